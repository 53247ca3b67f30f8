"""Other forms of a query's word: joined and hyphenated words (`nonfiction` finds `non-fiction`,
and `non-fiction` finds `nonfiction`), a number and its unit written as one (`2km`, `T34` find
`2 km`, `T-34`), a decade (`1950s` finds `1953`).

The index holds a hyphenated word as its parts (`non`, `fiction`) and a joined one as one word
(`nonfiction`), so each form missed the other. `CompoundsPlugin` lets a query's word also match
its other form where the index has it: a hyphenated word also its parts joined, when that word
is indexed; a long word the index lacks, its two parts as a phrase, where some section has them
so (a word cut anywhere else would find what it never meant: `outsidere` is no `outside ere`);
a word of digits and letters the index lacks, its runs of each as a phrase (`2.5km` is
`"2.5 km"`), where some section has them so; a decade (`1950s`, which the index holds as
`1950`, its first year), also each of its other years that the index holds.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from whoosh import query
from whoosh.qparser import syntax
from whoosh.qparser.plugins import PhrasePlugin, Plugin
from whoosh.searching import Searcher as WhooshSearcher

from .live import holds
from .values import DECADE
from .words import HYPHENS, index_term

# The parts a word may be cut into are at least this long: a first part may be a prefix
# (`non` + `fiction`), a last part hardly ever is that short (`major` + `ite` is no compound).
MIN_FIRST, MIN_LAST = 3, 4
# Letters or digits joined by hyphens (`non-fiction`, `8-ft`).
_HYPHENATED = re.compile(rf"[^\W_]+(?:[{HYPHENS}][^\W_]+)+")
_HYPHENS = re.compile(f"[{HYPHENS}]")
_LETTERS = re.compile(r"[^\W\d_]+")
# A decade (`1950s`, `1950's`), as a period names it. Its years weigh less than it: a section
# about the decade comes before one that only dates two events in it.
_DECADE = re.compile(DECADE)
YEAR_WEIGHT = 0.5
# A word's runs of letters and of digits (a number's points and commas in it: `2.5`, `5,000`).
_RUNS = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")


class CompoundsPlugin(Plugin):
    """A Whoosh query parser plugin giving each word of the text fields (`fields`: by default,
    or named) its other forms, when the index (`searcher`'s) holds them: `non-fiction` OR
    `nonfiction`; `nonfiction` OR "non fiction" when only the parts are indexed; `1950s` OR
    `1951` ... OR `1959`."""

    def __init__(self, searcher: WhooshSearcher, fields: Collection[str]) -> None:
        self._searcher, self._fields = searcher, fields

    def filters(self, parser: object) -> list[tuple[object, int]]:
        return [(self._compounds, 106)]  # after the fields filter (100), before default fields (110)

    def _compounds(self, parser: object, group: syntax.GroupNode) -> syntax.GroupNode:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self._compounds(parser, node)
            elif type(node) is syntax.WordNode and (node.fieldname is None or node.fieldname in self._fields):
                forms = self._other_forms(node)
                if forms:
                    group[i] = syntax.OrGroup([node, *forms])
        return group

    def _other_forms(self, node: syntax.WordNode) -> list[syntax.SyntaxNode]:
        """The word's other forms the index holds: joined, cut in parts as a phrase, or the
        years of a decade."""
        text = node.text
        if decade := _DECADE.fullmatch(text):
            years = (f"{decade['decade']}{digit}" for digit in range(1, 10))
            held = [_like(node, syntax.WordNode(year)) for year in years if self._terms_in(node, [year])]
            return [syntax.OrGroup(held, boost=YEAR_WEIGHT)] if held else []
        if _HYPHENATED.fullmatch(text):
            joined = _HYPHENS.sub("", text)
            return [_like(node, syntax.WordNode(joined))] if self._terms_in(node, [joined]) else []
        runs = _RUNS.findall(text)  # (a word of nothing else when they join into it)
        if len(runs) > 1 and "".join(runs) == text:  # (digits and letters: `2km`)
            if self._terms_in(node, [text]) or not self._terms_in(node, runs):
                return []
            return [_like(node, PhrasePlugin.PhraseNode(" ".join(runs), node.startchar))]
        if len(text) < MIN_FIRST + MIN_LAST or not _LETTERS.fullmatch(text) or self._terms_in(node, [text]):
            return []
        return [
            _like(node, PhrasePlugin.PhraseNode(f"{text[:cut]} {text[cut:]}", node.startchar))
            for cut in range(MIN_FIRST, len(text) - MIN_LAST + 1)
            if self._terms_in(node, [text[:cut], text[cut:]])
        ]

    def _terms_in(self, node: syntax.WordNode, words: list[str]) -> bool:
        """Whether the words, each one term, stand in this order in some section's field (the
        node's, any text field by default)."""
        found = [index_term(word) for word in words]  # (each word is letters, or a number: one term)
        terms = [term for term in found if term is not None]
        if len(terms) < len(found):  # a stop word
            return False
        reader = self._searcher.reader()
        for field in self._fields if node.fieldname is None else [node.fieldname]:
            if all(holds(reader, field, term) for term in terms) and (
                len(terms) == 1 or query.Phrase(field, terms).matcher(self._searcher).is_active()
            ):
                return True
        return False


def _like(node: syntax.WordNode, other: syntax.SyntaxNode) -> syntax.SyntaxNode:
    """`other` in the field, with the boost and place in the query, of `node`."""
    other.set_fieldname(node.fieldname)
    other.set_boost(node.boost)
    other.set_range(node.startchar, node.endchar)
    return other
