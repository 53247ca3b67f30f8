"""Whoosh's query parser, tagging a query without trying every tagger at every character,
and a query of words and spaces without tagging it at all.

Whoosh's `QueryParser.tag` walks a query one character at a time and tries each tagger of the
parser's plugins there (21 with this project's), in order of priority; a word is the text
between what taggers find, so each of its letters costs every tagger a try. `SearchAheadParser`
asks a tagger's expression where it next matches (`re.Pattern.search`, which tries the same
places in the same order, so finds the first place `match` would) and skips the places where
no tagger can match: the same syntax nodes in two fifths of the time (the benchmark's 400
queries: 60 to 23 µs a query, about 2% of a search).

Most queries are words and spaces (`Kengir uprising`): no tagger but the whitespace one matches
anywhere in them, so tagging makes word nodes between the spaces' nodes. The filters of
Whoosh's plugins for operators, brackets, field names, boosts, patterns, comparisons and
fuzziness change only their own taggers' nodes, which such a query has none of.
`SearchAheadParser.process` makes those nodes without tagging and runs only the other filters
(the fields', the spaces', the project's): the same tree in a little over half the time (the
benchmark's 160 queries of words: 175 to 98 µs a query, about 3% of a search).

Pinned by tests/test_tagging.py against Whoosh's own `tag` and `process`.
"""

from __future__ import annotations

from whoosh.fields import Schema
from whoosh.qparser import MultifieldPlugin, QueryParser, syntax
from whoosh.qparser.plugins import (
    BoostPlugin,
    FieldAliasPlugin,
    FieldsPlugin,
    FuzzyTermPlugin,
    GroupPlugin,
    GtLtPlugin,
    OperatorsPlugin,
    WhitespacePlugin,
    WildcardPlugin,
)
from whoosh.qparser.taggers import RegexTagger, Tagger

# Whoosh's plugins whose filters change only the nodes of their own taggers (`FieldAliasPlugin`:
# those of `FieldsPlugin`): they leave a tree of words and spaces as it is.
_IDLE_ON_WORDS = (
    BoostPlugin, FieldAliasPlugin, FieldsPlugin, FuzzyTermPlugin, GroupPlugin, GtLtPlugin,
    OperatorsPlugin, WildcardPlugin,
)


class SearchAheadParser(QueryParser):
    """Whoosh's `QueryParser`, its `tag` searching ahead, and a query of words and spaces
    not tagged, nor filtered by plugins that would leave it as it is (the module's docstring
    says how)."""

    def process(self, text: str, pos: int = 0, debug: bool = False) -> syntax.GroupNode:
        nodes = None if debug else self._words_and_spaces(text, pos)
        if nodes is None:
            return super().process(text, pos, debug)
        group = self.group(nodes)
        for filter_ in self.filters():  # type: ignore[no-untyped-call]  # (Whoosh's own)
            if type(getattr(filter_, "__self__", None)) not in _IDLE_ON_WORDS:
                group = filter_(self, group)
        return group

    def _words_and_spaces(self, text: str, pos: int) -> list[syntax.SyntaxNode] | None:
        """The nodes `tag` makes of a text from `pos` where no tagger but the whitespace one
        matches: words and spaces; else None."""
        spaces = None
        for tagger in self.taggers():  # type: ignore[no-untyped-call]  # (Whoosh's own)
            if not _searchable(tagger):
                return None
            if type(tagger) is WhitespacePlugin:  # (the plugin is its own tagger)
                spaces = tagger
            elif _next_match(tagger, text, pos) <= len(text):
                return None
        if spaces is None:
            return None
        nodes: list[syntax.SyntaxNode] = []
        for space in spaces.expr.finditer(text, pos):
            if pos < space.start():
                nodes.append(_untagged(text, pos, space.start()))
            node = spaces.match(self, text, space.start())
            if node is None:  # (a whitespace tagger of another kind)
                return None
            nodes.append(node)
            pos = space.end()
        if pos < len(text):
            nodes.append(_untagged(text, pos, len(text)))
        return nodes

    def tag(self, text: str, pos: int = 0, debug: bool = False) -> syntax.GroupNode:
        if debug:  # (Whoosh's prints each step)
            return super().tag(text, pos, debug)
        taggers: list[Tagger] = self.taggers()  # type: ignore[no-untyped-call]  # (Whoosh's own)
        end = len(text)
        # Where each tagger may match next, from where its expression was last searched (past
        # the end: nowhere); None for a tagger of its own kind, tried everywhere.
        ahead: list[int | None] = [-1 if _searchable(tagger) else None for tagger in taggers]
        nodes: list[syntax.SyntaxNode] = []
        last = pos  # where the text not tagged yet begins
        while pos < end:
            node, nearest = None, end
            for i, tagger in enumerate(taggers):
                at = ahead[i]
                if at is not None and at < pos:
                    at = ahead[i] = _next_match(tagger, text, pos)
                if at is None or at == pos:
                    node = tagger.match(self, text, pos)
                    if node is not None:
                        break
                    if at is None:  # (tried at each place)
                        at = pos + 1
                    else:  # (its expression matched, but it made no node: it may match further on)
                        at = ahead[i] = _next_match(tagger, text, pos + 1)
                nearest = min(nearest, at)
            if node is None:
                pos = nearest  # no tagger matches before
                continue
            if node.endchar <= pos:
                raise ValueError(f"tagger {tagger!r} did not move past {pos} in {text!r}")
            if last < pos:
                nodes.append(_untagged(text, last, pos))
            nodes.append(node)
            last = pos = node.endchar
        if last < end:
            nodes.append(_untagged(text, last, end))
        return self.group(nodes)


def multifield_parser(fieldnames: list[str], schema: Schema) -> QueryParser:
    """Whoosh's `MultifieldParser` (a word is looked for in each of `fieldnames`), searching
    ahead."""
    parser = SearchAheadParser(None, schema)
    parser.add_plugin(MultifieldPlugin(fieldnames))  # type: ignore[no-untyped-call]  # (Whoosh's own)
    return parser


def _searchable(tagger: Tagger) -> bool:
    """Whether the tagger matches where its expression does (RegexTagger's own `match`)."""
    return isinstance(tagger, RegexTagger) and type(tagger).match is RegexTagger.match


def _next_match(tagger: Tagger, text: str, start: int) -> int:
    found = tagger.expr.search(text, start)  # type: ignore[attr-defined]  # (a RegexTagger)
    return len(text) + 1 if found is None else int(found.start())


def _untagged(text: str, start: int, end: int) -> syntax.WordNode:
    """The text between tagged nodes, as Whoosh makes it: a word node."""
    node = syntax.WordNode(text[start:end])
    node.startchar, node.endchar = start, end
    return node
