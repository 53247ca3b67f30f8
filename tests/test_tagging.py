"""`SearchAheadParser.tag` (tagging.py) against Whoosh's own `QueryParser.tag`: the same
syntax nodes at the same places, for any text, with every plugin of the project's query
parser, and with taggers of other kinds. A Whoosh upgrade that tags another way fails here."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.qparser import QueryParser as WhooshParser
from whoosh.qparser import syntax
from whoosh.qparser.plugins import Plugin
from whoosh.qparser.taggers import RegexTagger, Tagger

from searcher.query import QueryParser
from searcher.schema import FieldKinds, build_schema, query_schema
from searcher.tagging import SearchAheadParser, multifield_parser

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
