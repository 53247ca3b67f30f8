"""Joined and hyphenated words (compounds.py): `nonfiction` finds `non-fiction`, and
`non-violence` finds `nonviolence`, where the index holds the other form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NORILSK, write_article
from whoosh.query import Phrase

from searcher import Searcher, update_index
from searcher.builds import open_live
from searcher.query import QueryParser
from searcher.vocabulary import Spellings

ARTICLES = {
    "books.txt": "= Books =\n\nShe wrote non-fiction for twenty years.\n\n==Later==\nHe sold fiction "
                 "mostly.\n",
    "protest.txt": "= Protest =\n\nThe strike was an act of non-violence.\n",
    "march.txt": "= March =\n\nThe march kept to nonviolence throughout.\n",
    "apart.txt": "= Apart =\n\nNon members rejected violence.\n\n==Reply==\n"
                 "Brien wrote back, o so briefly, in 1954, not 1953.\n",
    "letters.txt": "= Letters =\n\nA letter from O'Brien, 1953\u20131954.\n",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("compounds")
    for name, text in ARTICLES.items():
        write_article(folder / "corpus", name, text)
    update_index(folder / "corpus", folder / "index")
    return folder / "index"


@pytest.fixture(scope="module")
def compounds(index: Path) -> Iterator[Searcher]:
    with Searcher.open(index, update=False) as searcher:
        yield searcher


def sections(searcher: Searcher, query: str) -> dict[tuple[str, str], list[str]]:
    """The sections a query finds as asked (not retried or relaxed), with what each marks."""
    result = searcher.search(query, per_article=0)
    assert not result.corrected and not result.relaxed, query
    return {(hit.article, hit.section): list(hit.marked()) for hit in result.hits}


def test_a_joined_word_finds_it_hyphenated(compounds: Searcher) -> None:
    """No section writes `nonfiction`: its parts, in that order, are found and marked."""
    assert sections(compounds, "nonfiction") == {("Books", "Lead"): ["non-fiction"]}
    assert sections(compounds, "nonfiction years") == {("Books", "Lead"): ["non-fiction", "years"]}


def test_a_hyphenated_word_finds_it_joined(compounds: Searcher) -> None:
    assert sections(compounds, "non-violence") == {
        ("Protest", "Lead"): ["non-violence"], ("March", "Lead"): ["nonviolence"],
    }


@pytest.mark.parametrize(("query", "found"), [
    ("non-violence", {("Protest", "Lead"): ["non-violence"], ("March", "Lead"): ["nonviolence"]}),
    ("O'Brien", {("Letters", "Lead"): ["O'Brien"]}),
    ("1953\u20131954", {("Letters", "Lead"): ["1953\u20131954"]}),
])
def test_a_word_cut_in_parts_finds_them_one_after_the_other(
    compounds: Searcher, query: str, found: dict[tuple[str, str], list[str]]
) -> None:
    """A word the index holds as parts (at a hyphen, an apostrophe, a dash) finds them as a
    phrase, as quoted: `non-violence` found `Non members rejected violence`, `O'Brien` the `o`
    and `Brien` of `Brien wrote back, o so briefly`, `1953–1954` its `1954, not 1953` (each
    part anywhere in the section)."""
    assert sections(compounds, query) == found


def test_a_word_cut_in_parts_that_sections_have_only_apart_says_where_they_are(compounds: Searcher) -> None:
    """Found as the phrase of its parts, `violence-members` matches nothing, where it found
    `members rejected violence` before: the warning gives the query that finds them apart."""
    said = "'violence-members' is in no section; 'violence members' finds its parts apart"
    for text in ("violence-members", "violence-members rejected"):
        result = compounds.search(text)
        assert result.total == 0 and not result.corrected, text
        assert result.warnings == [said], text
    assert [hit.article for hit in compounds.search("violence members").hits] == ["Apart"]
    assert compounds.search("violence-zzyx").warnings == []  # (its parts are in no section)
    # A quoted phrase says so too; with each word or phrase in some section, no `a OR "b c"`.
    assert compounds.search('"violence members"').warnings == [
        "'\"violence members\"' is in no section; 'violence members' finds its words apart"]
    assert compounds.search('"non members" strike').warnings == []


def test_a_word_the_index_holds_is_not_cut(compounds: Searcher) -> None:
    """`nonviolence` is a word of the index: it finds that word only, as a word does."""
    assert sections(compounds, "nonviolence") == {("March", "Lead"): ["nonviolence"]}


@pytest.mark.parametrize(("query", "phrases"), [
    ("nonfiction", ['"non fiction"']),
    ("mostlyfiction", []),  # `fiction mostly`: the other order
    ("wrotefiction", []),  # `wrote non-fiction`: a word between
    ("majorfiction", []),  # `major` is no word of the index
    ("yearsfiction", []),  # the parts are in two sections
])
def test_a_word_is_cut_only_where_a_section_has_its_parts_so(
    index: Path, query: str, phrases: list[str]
) -> None:
    """A cut of a word the index lacks is searched for only where some section has its parts
    one right after the other: any other cut would find what the word never meant."""
    build = open_live(index)
    try:
        with build.index.searcher() as whoosh:
            parsed = QueryParser.of(whoosh, Spellings.load(build.path)).parsed(query)
    finally:
        build.close()
    found = {str(leaf).partition(":")[2] for leaf in parsed.leaves() if isinstance(leaf, Phrase)}
    assert sorted(found) == phrases


def test_a_bundled_article_finds_its_joined_word_hyphenated(searcher: Searcher) -> None:
    """Norilsk's History says `nonviolent`; `non-violent` found nothing."""
    result = searcher.search("non-violent")
    assert [(hit.article, list(hit.marked())) for hit in result.hits] == [(NORILSK, ["nonviolent"])]


def test_a_word_of_title_finds_the_other_form_of_a_title_s_word(tmp_path: Path) -> None:
    """`title:` asks the title on article documents: its words find their other form there, as
    they did in the section holding the title."""
    write_article(tmp_path / "corpus", "prize.txt",
                  "= Non-fiction prize =\n\nA prize for books.\n\n==History==\nIt began in a library.\n")
    write_article(tmp_path / "corpus", "protest.txt", "= Nonviolent protest =\n\nA protest in a library.\n")
    with Searcher.open(tmp_path / "index", tmp_path / "corpus") as found:
        assert sections(found, "title:nonfiction library") == {("Non-fiction prize", "History"): ["library"]}
        assert sections(found, "title:non-violent library") == {("Nonviolent protest", "Lead"): ["library"]}


GLUED = {
    "camp.txt": "= Camp =\n\nThe camp lay 2 km from the mine; a T-34 stood at the gate.\n\n"
                "==Walls==\nThe walls were 2.5 m high and 12 km long.\n",
    "mine.txt": "= Mine =\n\nThe shaft went 40km down a 8ft ladder.\n",
}


@pytest.mark.parametrize(("query", "found"), [
    ("2km", {("Camp", "Lead"): ["2 km"]}),
    ("T34", {("Camp", "Lead"): ["T-34"]}),
    ("2.5m walls", {("Camp", "Walls"): ["walls", "2.5 m"]}),
    ("40km", {("Mine", "Lead"): ["40km"]}),  # a word the index holds is not cut
    ("8-ft", {("Mine", "Lead"): ["8ft"]}),  # digits and letters joined by a hyphen: joined too
    ("12m", {}),  # `12 km`, and an `m` in another sentence: no section has `12 m`
])
def test_a_number_glued_to_its_unit_finds_them_apart(
    tmp_path: Path, query: str, found: dict[tuple[str, str], list[str]]
) -> None:
    """A word of digits and letters that no section writes finds its runs of each one after the
    other, as `"2 km"` does (`2km` found nothing where a section has `2 km`); a word the index
    holds finds only itself."""
    for name, text in GLUED.items():
        write_article(tmp_path / "corpus", name, text)
    with Searcher.open(tmp_path / "index", tmp_path / "corpus") as glued:
        assert sections(glued, query) == found


def test_a_long_word_of_digits_is_searched_at_once(compounds: Searcher) -> None:
    """A word's runs of digits and letters are found in one pass: the pattern of a whole word
    of them (`(?:\\d+|...)+`) backtracked through every way of cutting a long number when a
    character followed that it could not match, twice as long for each digit (22 took a
    second): a hypothesis test's query hung the search."""
    for text in ("1" * 990 + "!", "1" * 990 + "km!", "2.5" * 330 + "x\u00b0"):
        result = compounds.search(text)
        assert result.total == 0 and not result.corrected, text[-6:]


DECADES = {
    "strikes.txt": "= Strikes =\n\nThe strike of 1953 ended in July.\n\n"
                   "==Later==\nIn 1961 the camps closed.\n\n==Decade==\nThe 1950s saw many strikes.\n",
    "war.txt": "= War =\n\nThe war ended in 1945, and 1949 was calm.\n",
}


def test_a_decade_finds_its_years(tmp_path: Path) -> None:
    """`1950s` is held as its first year, `1950`, and found nothing of 1953: a decade also finds
    each of its years, which weigh less than it (the section about the decade comes first). A
    quoted decade is the word alone."""
    for name, text in DECADES.items():
        write_article(tmp_path / "corpus", name, text)
    with Searcher.open(tmp_path / "index", tmp_path / "corpus") as decades:
        expected = {("Strikes", "Decade"): ["1950s"], ("Strikes", "Lead"): ["1953"]}
        for text in ("1950s", "1950's", "text:1950s"):
            assert sections(decades, text) == expected, text
            assert [hit.section for hit in decades.search(text).hits] == ["Decade", "Lead"], text
        assert sections(decades, "strike 1950s") == {
            ("Strikes", "Lead"): ["strike", "1953"], ("Strikes", "Decade"): ["1950s", "strikes"]}
        assert sections(decades, "1940s") == {("War", "Lead"): ["1945", "1949"]}
        assert sections(decades, '"1950s"') == {("Strikes", "Decade"): ["1950s"]}
