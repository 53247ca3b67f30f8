"""`SearchAheadParser.tag` and `.process` (tagging.py) against Whoosh's own `QueryParser.tag`
and `.process`: the same syntax nodes at the same places, for any text, with every plugin of
the project's query parser (its compounds' too, on an index), and with taggers and filters of
other kinds. A Whoosh upgrade that tags or filters another way fails here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.qparser import QueryParser as WhooshParser
from whoosh.qparser import syntax
from whoosh.qparser.plugins import Plugin
from whoosh.qparser.taggers import RegexTagger, Tagger

from searcher.builds import open_live
from searcher.query import QueryParser
from searcher.schema import FieldKinds, build_schema, query_schema
from searcher.tagging import SearchAheadParser, multifield_parser
from searcher.vocabulary import Spellings

# The project's parser, with infobox fields of each kind (`strength` numbers, `date` dates).
PROJECT = QueryParser(
    ["commander", "strength", "date"],
    FieldKinds(lambda kind_and_name: 5 if kind_and_name in {"number:strength", "date:date"} else 0, list),
)._parser

# Pieces of queries: words, every mark of the query language, operators, spaces.
PIECES = [
    "a", "word", "Vorkuta", "title", "date", "strength", "commander", ":", " ", "  ", "\t", '"', "'",
    "(", ")", "[", "]", "{", "}", "*", "?", "~", "~2", "/3", "^", "^2.5", "-", "+", "<", ">", "=",
    ">=", "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO", "to", "18", "000", " 000",
    ",", ".", "1953-07", "é", "\u00a0", "*:*", "x", "\n",
]
QUERIES = st.lists(st.sampled_from(PIECES), max_size=14).map("".join) | st.text(max_size=24)


def shape(node: syntax.SyntaxNode) -> Any:
    """A node as its kind, text, place and children: what two taggings are compared by."""
    children = [shape(child) for child in node] if isinstance(node, syntax.GroupNode) else []
    return type(node).__name__, repr(node), node.startchar, node.endchar, children


def assert_tagged_alike(parser: WhooshParser, text: str) -> None:
    assert shape(parser.tag(text)) == shape(WhooshParser.tag(parser, text)), text
    assert_processed_alike(parser, text)


def assert_processed_alike(parser: WhooshParser, text: str) -> None:
    """The tree `process` makes (tagged, then filtered), or its error, is Whoosh's: its own
    tagging, then every filter."""
    assert outcome(lambda: parser.process(text)) == outcome(
        lambda: parser.filterize(WhooshParser.tag(parser, text))
    ), text


def outcome(process: Callable[[], syntax.GroupNode]) -> Any:
    """The shape of the tree made, or the error raised."""
    try:
        return shape(process())
    except Exception as error:  # (Whoosh's filters raise assorted errors on odd input: `<a`)
        return type(error), str(error)


@settings(max_examples=500)
@given(QUERIES)
def test_tags_as_whoosh_does_with_the_projects_plugins(text: str) -> None:
    assert_tagged_alike(PROJECT, text)


def test_tags_as_whoosh_does_on_the_query_language() -> None:
    for text in [
        "Kengir uprising", '"general strike"~3 OR Norilsk^2', "title:Vorkuta -Kengir +strike",
        "strength:>=10 000 date:[1953-05 TO 1953-07]", "commander:(Kuznetsov OR Sirotkin)",
        "strik~2/3 emper* ?orkuta", "a AND b ANDNOT c ANDMAYBE d NOT e REQUIRE f", "*:*",
        "'single quoted' and \"unclosed", "x^ (a", "18 000 prisoners", "",
    ]:
        assert_tagged_alike(PROJECT, text)


class _Everywhere(Tagger):
    """A tagger of its own kind (no expression): `%` anywhere, as a word node."""

    def match(self, parser: Any, text: str, pos: int) -> syntax.SyntaxNode | None:
        if text.startswith("%", pos):
            return syntax.WordNode("%").set_range(pos, pos + 1)
        return None


class _OddRuns(RegexTagger):
    """Runs of `x`, tagged only when their length is odd: an expression that matches where
    the tagger makes no node."""

    def __init__(self) -> None:
        super().__init__(r"x+")

    def create(self, parser: Any, match: re.Match[str]) -> syntax.SyntaxNode | None:
        return syntax.WordNode(match[0]) if len(match[0]) % 2 else None


class _Plugin(Plugin):
    def taggers(self, parser: Any) -> list[tuple[Tagger, int]]:
        return [(_Everywhere(), 0), (_OddRuns(), 1)]


OTHER_KINDS = multifield_parser(["body", "title"], query_schema(build_schema()))
OTHER_KINDS.add_plugin(_Plugin())


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["x", "xx", "%", " ", "a", '"', "OR", "(", ")"]), max_size=16).map("".join))
def test_tags_as_whoosh_does_with_taggers_of_other_kinds(text: str) -> None:
    assert_tagged_alike(OTHER_KINDS, text)


# Words and spaces only (no tagger but the whitespace one matches): `process` neither tags them
# nor runs the filters that would leave them as they are.
PLAIN_WORDS = [
    "Vorkuta", "uprising", "the", "of", "strike", "anti-Soviet", "O'Brien", "x", "é", "straße",
    "nonfiction", "non-violent", "nonviolent", "non", "fiction", "and", "or", "to", "And",
]
SPACES = [" ", "  ", "\t", "\u00a0", "\n"]
# Words, each after spaces or none (glued to the one before), and spaces or none at the end.
WORDS = st.builds(
    lambda pairs, last: "".join(space + word for space, word in pairs) + last,
    st.lists(st.tuples(st.sampled_from(["", *SPACES]), st.sampled_from(PLAIN_WORDS)), min_size=1, max_size=6),
    st.sampled_from(["", *SPACES]),
)


@settings(max_examples=300)
@given(WORDS)
def test_processes_words_and_spaces_as_whoosh_does(text: str) -> None:
    assert_processed_alike(PROJECT, text)


@pytest.fixture(scope="module")
def on_index(built_index: Path) -> Iterator[WhooshParser]:
    """The project's parser on the bundled articles' index: with its compounds plugin, which
    looks words up (`nonviolent` is a word there; `non violent` a phrase)."""
    build = open_live(built_index)
    try:
        with build.index.searcher() as whoosh:
            yield QueryParser.of(whoosh, Spellings.load(build.path))._parser
    finally:
        build.close()


@settings(max_examples=200)
@given(text=WORDS)
def test_processes_words_and_spaces_as_whoosh_does_on_an_index(on_index: WhooshParser, text: str) -> None:
    assert_processed_alike(on_index, text)


def test_words_and_spaces_are_not_tagged(monkeypatch: Any) -> None:
    """A query of words and spaces is processed without tagging and without the filters that
    leave it as it is; any other query is tagged and every filter runs."""
    tagged: list[str] = []
    filtered: list[str] = []
    tag = SearchAheadParser.tag

    def spy(parser: SearchAheadParser, text: str, pos: int = 0, debug: bool = False) -> syntax.GroupNode:
        tagged.append(text)
        return tag(parser, text, pos, debug)

    monkeypatch.setattr(SearchAheadParser, "tag", spy)
    parser = multifield_parser(["body", "title"], query_schema(build_schema()))
    filters = parser.filters()
    parser.filters = lambda: [_named(filter_, filtered) for filter_ in filters]  # type: ignore[method-assign]
    parser.process("Kengir  uprising ")
    assert (tagged, filtered) == ([], ["do_multifield", "remove_whitespace"])
    parser.process("Kengir OR uprising")
    assert tagged == ["Kengir OR uprising"]
    assert len(filtered) == 2 + len(filters)


def _named(filter_: Any, called: list[str]) -> Any:
    """The filter, noting its name in `called` when it runs (and itself as `__self__`)."""

    class Noted:
        __self__ = filter_.__self__

        def __call__(self, parser: WhooshParser, group: syntax.GroupNode) -> syntax.GroupNode:
            called.append(filter_.__name__)
            return filter_(parser, group)

    return Noted()


def test_debugging_is_left_to_whoosh(monkeypatch: Any) -> None:
    """With `debug`, Whoosh's own `tag` runs: it prints each step."""
    asked: list[tuple[str, int, bool]] = []
    whooshs = WhooshParser.tag

    def spy(parser: WhooshParser, text: str, pos: int = 0, debug: bool = False) -> syntax.GroupNode:
        asked.append((text, pos, debug))
        return whooshs(parser, text, pos)

    monkeypatch.setattr(WhooshParser, "tag", spy)
    parser = SearchAheadParser("body", query_schema(build_schema()))
    assert shape(parser.tag("a OR b", debug=True)) == shape(whooshs(parser, "a OR b"))
    assert asked == [("a OR b", 0, True)]
    parser.tag("a OR b")
    assert len(asked) == 1
