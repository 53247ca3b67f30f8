"""Every input is checked at the edge: bad values given to the API or the CLI are errors that
say in one line what is wrong and how to fix it, never a silent empty result or a traceback.
Lists of names in those errors are capped at the 10 closest."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import KENGIR, NORILSK, NORILSK_FILE, VORKUTA, VORKUTA_FILE, write_article
from test_cli import assert_one_line_error, run, shared

import searcher as package
from searcher import (
    AmbiguousArticle,
    ArticleNotFound,
    QueryError,
    Searcher,
    SearcherError,
    update_index,
)

# The 10 known fields closest to `foo` and to `bogus`, of 22 query fields and 21 facet fields.
FIELDS_LIKE_FOO = (
    "partof, section, conflict, commander, combatant, map_relief, commander2, commander1, "
    "combatant2, combatant1 … and 12 more; see `searcher fields`"
)
FIELDS_LIKE_BOGUS = (
    "result, partof, strength, conflict, strength2, strength1, commander, combatant, "
    "commander2, commander1 … and 11 more; see `searcher fields`"
)
CAMPS = ("Kengir", "Ekibastuz", "Steplag", "Dubravlag", "Karlag", "Ozerlag", "Minlag",
         "Peschanlag", "Berlag", "Dallag", "Kargopollag", "Sevvostlag")


def error_line(result: Result) -> str:
    """The one `Error: ...` line of a failed command (exit 1)."""
    assert_one_line_error(result)
    return result.stderr.strip()


def usage_error(result: Result) -> str:
    """The `Error: ...` line of a usage error (exit 2), after click's usage lines."""
    assert result.exit_code == 2, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert "Usage:" in result.stderr
    return result.stderr.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def camps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with `corpus/`: 12 small articles, and `sub/x.txt` sharing the title of
    `kengir.txt`; and `index/`, its index."""
    folder = tmp_path_factory.mktemp("camps")
    for camp in CAMPS:
        text = f"= {camp} uprising =\n\nThe {camp} camp rose.\n"
        write_article(folder / "corpus", f"{camp.lower()}.txt", text)
    write_article(folder / "corpus", "sub/x.txt", KENGIR)
    update_index(folder / "corpus", folder / "index")
    return folder


@pytest.fixture
def camps_searcher(camps: Path) -> Iterator[Searcher]:
    with Searcher.open(camps / "index", camps / "corpus", update=False) as opened:
        yield opened


def camps_options(camps: Path) -> list[str]:
    return ["--index", str(camps / "index"), "--corpus", str(camps / "corpus")]


# --- the API: a string where a list is expected is one value ----------------------------------


def test_a_string_filter_value_is_one_value(searcher: Searcher) -> None:
    as_list = searcher.search("strike", filters={"result": ["suppressed"]})
    assert as_list.total > 0
    assert searcher.search("strike", filters={"result": "suppressed"}).total == as_list.total


def test_a_string_uprising_is_one_title(searcher: Searcher) -> None:
    as_list = searcher.search("inmates", uprising=[VORKUTA], limit=100)
    as_string = searcher.search("inmates", uprising=VORKUTA, limit=100)
    assert as_string.total == as_list.total == 4
    assert as_string.to_dict() == as_list.to_dict()


def test_a_string_facets_is_one_facet(searcher: Searcher) -> None:
    assert list(searcher.search("strike", facets="commander").facets) == ["commander"]
    assert list(searcher.facets("strike", facets="commander")) == ["commander"]


def test_article_filter_and_uprising_are_one_path(searcher: Searcher) -> None:
    by_uprising = searcher.search("inmates", uprising=["vorkuta uprising"], limit=100)
    by_filter = searcher.search("inmates", filters={"article": ["vorkuta uprising"]}, limit=100)
    assert by_filter.total == by_uprising.total == 4
    assert by_filter.to_dict() == by_uprising.to_dict()
    both = searcher.search("inmates", uprising=NORILSK, filters={"article": VORKUTA.upper()})
    assert both.total == searcher.search("inmates", uprising=[NORILSK, VORKUTA]).total == 6
    message = "unknown uprising 'Kengir uprising'; closest titles: Norilsk uprising, Vorkuta uprising"
    with pytest.raises(QueryError) as by_uprising_error:
        searcher.search("strike", uprising="Kengir uprising")
    with pytest.raises(QueryError) as by_filter_error:
        searcher.search("strike", filters={"article": "Kengir uprising"})
    assert str(by_uprising_error.value) == str(by_filter_error.value) == message
    for empty in ({"uprising": ""}, {"article": [VORKUTA, " "]}, {"filters": {"article": ""}}):
        with pytest.raises(QueryError, match=r"^empty value for uprising: give a title \(`searcher facets`"):
            searcher.search("strike", **empty)


# --- the API: values of the wrong kind --------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    (None, "the query must be a string, not None (NoneType)"),
    (42, "the query must be a string, not 42 (int)"),
    (["strike"], "the query must be a string, not ['strike'] (list)"),
])
def test_a_query_that_is_not_a_string(searcher: Searcher, text: Any, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        searcher.search(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(("options", "message"), [
    ({"filters": {"year": 1953}}, "filter 'year' must be a string or a list of strings, not 1953 (int)"),
    ({"filters": {"year": [1953]}}, "filter 'year' must be a string or a list of strings, not 1953 (int)"),
    ({"filters": "result"}, "filters must map field names to values, not 'result' (str)"),
    ({"uprising": None}, "uprising must be a string or a list of strings, not None (NoneType)"),
    ({"uprising": [VORKUTA, None]}, "uprising must be a string or a list of strings, not None (NoneType)"),
    ({"facets": [1]}, "facets must be a string or a list of strings, not 1 (int)"),
    ({"during": 1953}, "during must be a string or a list of strings, not 1953 (int)"),
    ({"limit": "5"}, "limit must be a whole number of at least 1 or None (every hit), not '5' (str)"),
    ({"limit": 0}, "limit must be a whole number of at least 1 or None (every hit), not 0 (int)"),
], ids=["year-int", "year-int-in-list", "filters-str", "uprising-none", "none-in-uprising",
        "facet-int", "during-int", "limit-str", "limit-zero"])
def test_a_value_of_the_wrong_kind_says_what_is_wanted(
    searcher: Searcher, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(QueryError) as raised:
        searcher.search("strike", **options)
    assert str(raised.value) == message


@pytest.mark.parametrize(("options", "message"), [
    ({"filters": {"place": ""}}, "empty value for filter 'place': give words to match"),
    ({"filters": {"result": ["suppressed", " "]}}, "empty value for filter 'result': give words to match"),
    ({"filters": {"year": "abc"}}, "filter 'year': 'abc' is not a year (1 to 9999, e.g. 1953)"),
    ({"filters": {"year": "99999"}}, "filter 'year': '99999' is not a year (1 to 9999, e.g. 1953)"),
    ({"filters": {"year": "0"}}, "filter 'year': '0' is not a year (1 to 9999, e.g. 1953)"),
    ({"during": ""}, "invalid period '': use YYYY, YYYY-MM, YYYY-MM-DD, a decade (1950s) or A..B"),
], ids=["empty-place", "blank-result", "year-abc", "year-99999", "year-0", "during-empty"])
def test_a_bad_filter_value_is_an_error(searcher: Searcher, options: dict[str, Any], message: str) -> None:
    with pytest.raises(QueryError) as raised:
        searcher.search("strike", **options)
    assert str(raised.value) == message


def test_a_year_filter_of_digits_matches(searcher: Searcher) -> None:
    assert searcher.search("strike", filters={"year": "1953"}).total == searcher.search("strike").total


# --- the API: unknown names, with the closest known ones --------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("foo:bar", f"unknown field 'foo' in query 'foo:bar'; closest known fields: {FIELDS_LIKE_FOO}"),
    ("comander:Shamaev", "unknown field 'comander' in query 'comander:Shamaev'; closest known fields: "
     "commander, commander2, commander1, combatant, combatant2, combatant1, map_type, conflict, "
     "map_relief, date … and 12 more; see `searcher fields`"),
])
def test_unknown_field_in_a_query_names_close_fields(searcher: Searcher, text: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        searcher.search(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(("options", "closest"), [
    ({"text": "COMANDER:Shamaev"}, "commander, commander2, commander1"),
    ({"facets": "PLACES"}, "place, "),
    ({"filters": {"STRENGHT": "5"}}, "strength, strength2, strength1"),
])
def test_a_name_in_capitals_is_compared_as_written_small(
    searcher: Searcher, options: dict[str, Any], closest: str
) -> None:
    """Field names are read in any case, but the closest were chosen by their capitals:
    `COMANDER` was closest to `title, text, strength2` (a bug hunt)."""
    with pytest.raises(QueryError) as raised:
        searcher.search(**{"text": "strike", **options})
    assert f"closest known fields: {closest}" in str(raised.value)


BY_TITLE = "use `--uprising NAME` (`uprising=` in Python) or `title:WORD` in the query"


@pytest.mark.parametrize(("text", "instead", "in_the_query"), [
    ("year:1953 strike", "use `--year YEAR` (`filters={'year': ...}` in Python) or `date:YEAR` in the query",
     "date:1953 strike"),
    ("Uprising:Vorkuta", BY_TITLE, "title:Vorkuta"),
    ("article:Norilsk", BY_TITLE, "title:Norilsk"),
])
def test_a_filter_named_in_a_query_says_how_to_filter(
    searcher: Searcher, text: str, instead: str, in_the_query: str
) -> None:
    with pytest.raises(QueryError) as raised:
        searcher.search(text)
    assert str(raised.value) == f"'{text.split(':')[0]}' in query '{text}' is a filter: {instead}"
    assert searcher.search(in_the_query).total > 0  # what the message offers works


def test_unknown_filter_field_names_close_fields(searcher: Searcher) -> None:
    with pytest.raises(QueryError) as raised:
        searcher.search("strike", filters={"bogus": ["x"]})
    assert str(raised.value) == f"unknown filter field 'bogus'; closest known fields: {FIELDS_LIKE_BOGUS}"


@pytest.mark.parametrize("facets", [" ", [""], ["article", ""]])
def test_an_empty_facet_name_says_so(searcher: Searcher, facets: Any) -> None:
    """It listed the ten fields "closest" to nothing (a bug hunt)."""
    with pytest.raises(QueryError) as raised:
        searcher.search("strike", facets=facets)
    assert str(raised.value) == "empty facet name: give a field's name (`searcher fields` lists them)"


@pytest.mark.parametrize("facets", ["bogus", ["article", "bogus"]])
def test_unknown_facet_names_close_fields(searcher: Searcher, facets: Any) -> None:
    with pytest.raises(QueryError) as raised:
        searcher.search("strike", facets=facets)
    assert str(raised.value) == f"unknown facet 'bogus'; closest known fields: {FIELDS_LIKE_BOGUS}"


@pytest.mark.parametrize(("text", "field", "example"), [
    ("commander:", "commander:", "WORD"), ("strike commander: Shamaev", "commander:", "WORD"),
    ("(title:)", "title:", "WORD"),
    # A comparison is no value: these searched for the word `strength` ("close spellings").
    ("strength:>", "strength:>", "1000"), ("strength:>= 10000", "strength:>=", "1000"),
    ("(strength:<)", "strength:<", "1000"),
])
def test_a_field_without_a_value_is_named(searcher: Searcher, text: str, field: str, example: str) -> None:
    with pytest.raises(QueryError) as raised:
        searcher.search(text)
    assert str(raised.value) == (
        f"no value after '{field}' in query '{text}'; put the value right after the colon, "
        f"e.g. {field}{example}"
    )


RANGES_ARE = (
    "ranges and comparisons are on the numbers and dates of infobox fields, e.g. "
    "strength:[10000 TO 20000], strength:>10000, date:[1953 TO 1954] (`searcher fields` lists them)"
)


@pytest.mark.parametrize("text", ["[1 TO 2]", "text:[1000 TO 1001]", "title:[1 TO 2]", "place:>m",
                                  "commander:[a TO c]", "section:{a TO}"])
def test_a_range_of_words_is_refused(searcher: Searcher, text: str) -> None:
    """Words have no order a reader means: `[1 TO 2]` on the text matched `100`, `1947` and
    `1,822`, as text sorts them."""
    with pytest.raises(QueryError) as raised:
        searcher.search(text)
    assert str(raised.value) == f"a range in query '{text}' is not one of numbers or dates: {RANGES_ARE}"


@pytest.mark.parametrize(("text", "message"), [
    ("strength:[1 TO 2", "'strength:[1 TO 2' in query 'strength:[1 TO 2' has no closing bracket"),
    ("strike date:{1953 TO", "'date:{1953 TO' in query 'strike date:{1953 TO' has no closing bracket"),
    ("(" * 60 + "strike" + ")" * 60, "nests parentheses 60 deep: at most 50"),
    # (stemmed as a bound, `1950s` was 1950: `date:[1940s TO 1950s]` ended in 1950)
    ("date:[1940s TO 1950s]", "'date:[1940s TO 1950s]' in query 'date:[1940s TO 1950s]': a decade is"),
    ("strike date:>=1950s", "'date:>=1950s' in query 'strike date:>=1950s': a decade is a period alone"),
])
def test_an_open_range_or_parentheses_too_deep_refused(searcher: Searcher, text: str, message: str) -> None:
    """`population:[1 TO 2` silently searched `population:1` and the word `2`; 400 nested
    parentheses were 'maximum recursion depth exceeded' (a bug hunt)."""
    with pytest.raises(QueryError, match=re.escape(message)):
        searcher.search(text)
    assert searcher.search("(" * 50 + "strike" + ")" * 50).total == searcher.search("strike").total


@pytest.mark.parametrize(("text", "years"), [
    ("date:[1940s TO 1950s]", "date:[1940 TO 1959]"), ("date:[1950s TO 1960s]", "date:[1950 TO 1969]"),
    ("date:{1950s TO}", "date:{1950 TO}"), ("date:[TO 1950s]", "date:[TO 1959]"),
    ("date:>1950s", "date:>1959"), ("date:>=1950s", "date:>=1950"),
    ("date:<1950s", "date:<1950"), ("date:<=1950s", "date:<=1959"),
])
def test_a_decade_as_a_bound_is_refused_with_its_years(searcher: Searcher, text: str, years: str) -> None:
    """The error gave `[1940 TO 1959]` whatever the decades typed (a README audit)."""
    with pytest.raises(QueryError) as raised:
        searcher.search(text)
    assert str(raised.value).endswith(f"give its years, {years}")


@pytest.mark.parametrize("text", [">5", "strike >1953", "strike <=5", "(>5)"])
def test_a_comparison_without_a_field_is_refused(searcher: Searcher, text: str) -> None:
    """`strike >1953` searched for `strike 1953`; `>5` failed in Whoosh's parser."""
    with pytest.raises(QueryError) as raised:
        searcher.search(text)
    assert str(raised.value) == f"a comparison in query '{text}' has no field: {RANGES_ARE}"


@pytest.mark.parametrize(("text", "articles"), [
    ("strength:>10000", 1), ("strength:[10000 TO]", 1), ("date:[1953 TO 1954]", 2),
    ("casualties:<=1000", 2), ('"general amnesty" OR "a > b"', 1), ("x<y", 0),
])
def test_ranges_and_comparisons_of_numbers_and_dates_stand(
    searcher: Searcher, text: str, articles: int
) -> None:
    """And a `>` in a phrase, or inside a word, is no comparison."""
    assert searcher.search(text).articles == articles


def test_unknown_uprising_names_the_10_closest_titles(camps_searcher: Searcher) -> None:
    with pytest.raises(QueryError) as raised:
        camps_searcher.search("camp", uprising="Kengir uprsing")
    assert str(raised.value) == (
        "unknown uprising 'Kengir uprsing'; closest titles: Kengir uprising, Karlag uprising, "
        "Berlag uprising, Steplag uprising, Peschanlag uprising, Ozerlag uprising, Ekibastuz uprising, "
        "Minlag uprising, Dallag uprising, Sevvostlag uprising … and 2 more; see `searcher facets`"
    )


# --- the API: articles by title or path -------------------------------------------------------


def test_article_not_found_is_its_own_error(searcher: Searcher) -> None:
    assert "ArticleNotFound" in package.__all__
    assert issubclass(ArticleNotFound, SearcherError)
    with pytest.raises(ArticleNotFound) as raised:
        searcher.article("Nope")
    assert str(raised.value) == (
        "no article with the title or path 'Nope'; closest titles: Norilsk uprising, Vorkuta uprising"
    )


def test_article_not_found_names_the_10_closest_titles(camps_searcher: Searcher) -> None:
    with pytest.raises(ArticleNotFound) as raised:
        camps_searcher.article("Karlag")
    assert str(raised.value) == (
        "no article with the title or path 'Karlag'; closest titles: Karlag uprising, "
        "Kargopollag uprising, Dallag uprising, Berlag uprising, Ozerlag uprising, "
        "Ekibastuz uprising, Dubravlag uprising, Peschanlag uprising, Minlag uprising, "
        "Steplag uprising … and 2 more; see `searcher facets`"
    )


def test_article_by_path(searcher: Searcher) -> None:
    assert searcher.article(VORKUTA_FILE) == searcher.article(VORKUTA.upper())
    assert searcher.article(VORKUTA_FILE).title == VORKUTA
    # written another way: from this folder, or the whole path
    for path in (f"./{VORKUTA_FILE}", str(searcher.corpus_dir / VORKUTA_FILE)):
        assert searcher.article(path) == searcher.article(VORKUTA_FILE)


def test_a_title_of_two_files_is_ambiguous(camps_searcher: Searcher) -> None:
    with pytest.raises(SearcherError) as raised:
        camps_searcher.article("kengir uprising")
    assert type(raised.value).__name__ == "AmbiguousArticle"
    assert str(raised.value) == (
        "'Kengir uprising' is the title of 2 files: kengir.txt, sub/x.txt; pass one of their "
        "paths instead, e.g. `searcher show kengir.txt`"
    )
    assert [s.name for s in camps_searcher.article("sub/x.txt").sections] == ["Infobox", "Lead", "Aftermath"]
    assert [s.name for s in camps_searcher.article("kengir.txt").sections] == ["Lead"]


def test_the_files_of_an_ambiguous_title_are_listed_in_order(tmp_path: Path) -> None:
    """The files were listed by how like the title their paths are, while the example named
    the first in order (a bug hunt): the example is now the first listed."""
    for name in ("kengir-uprising.txt", "b.txt", "a.txt"):
        write_article(tmp_path / "corpus", name, KENGIR)
    update_index(tmp_path / "corpus", tmp_path / "index")
    with (
        Searcher.open(tmp_path / "index", update=False) as searcher,
        pytest.raises(AmbiguousArticle) as raised,
    ):
        searcher.article("Kengir uprising")
    assert str(raised.value) == (
        "'Kengir uprising' is the title of 3 files: a.txt, b.txt, kengir-uprising.txt; pass one of "
        "their paths instead, e.g. `searcher show a.txt`"
    )


def test_a_title_of_two_files_filters_both(camps_searcher: Searcher) -> None:
    result = camps_searcher.search("camp", uprising="kengir uprising", limit=100)
    assert {hit.path for hit in result.hits} == {"kengir.txt", "sub/x.txt"}


# --- the CLI ----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["abc", "99999", "", "19 53", "-1", "0", "0000"])
@pytest.mark.parametrize("command", ["search", "facets"])
def test_bad_year_is_a_usage_error(built_index: Path, command: str, year: str) -> None:
    result = run(command, "strike", "--year", year, *shared(built_index))
    assert usage_error(result) == (
        f"Error: Invalid value for '--year': '{year}' is not a year (1 to 9999, e.g. 1953)"
    )


def test_a_good_year_filters(built_index: Path) -> None:
    result = run("search", "strike", "--year", "1953", *shared(built_index))
    assert result.exit_code == 0 and result.stdout


@pytest.mark.parametrize(("period", "why"), [
    ("", "use YYYY, YYYY-MM, YYYY-MM-DD, a decade (1950s) or A..B"),
    ("July 1953", "use YYYY, YYYY-MM, YYYY-MM-DD, a decade (1950s) or A..B"),
    # (written as a period: what is wrong is the date; it said how to write one)
    ("1953-13", "1953-13 names no date of the calendar"),
    ("1953-02-30", "1953-02-30 names no date of the calendar"),
    ("1953-02-01..1953-02-29", "1953-02-29 names no date of the calendar"),
])
@pytest.mark.parametrize("command", ["search", "facets"])
def test_bad_during_is_a_usage_error(built_index: Path, command: str, period: str, why: str) -> None:
    result = run(command, "strike", "--during", period, *shared(built_index))
    assert usage_error(result) == f"Error: Invalid value for '--during': invalid period '{period}': {why}"


@pytest.mark.parametrize(("args", "line"), [
    (["search", "strike", "--facet", "bogus"],
     f"unknown facet 'bogus'; closest known fields: {FIELDS_LIKE_BOGUS}"),
    (["facets", "strike", "--facet", "bogus"],
     f"unknown facet 'bogus'; closest known fields: {FIELDS_LIKE_BOGUS}"),
    (["search", "commander:"],
     "no value after 'commander:' in query 'commander:'; put the value right after the colon, "
     "e.g. commander:WORD"),
    (["search", "strength:>"],  # (said `strength:>WORD`: a bug hunt)
     "no value after 'strength:>' in query 'strength:>'; put the value right after the colon, "
     "e.g. strength:>1000"),
    (["search", "date:<"],
     "no value after 'date:<' in query 'date:<'; put the value right after the colon, e.g. date:<1953-07"),
    (["search", "foo:bar"],
     f"unknown field 'foo' in query 'foo:bar'; closest known fields: {FIELDS_LIKE_FOO}"),
    (["show", "Nope"],
     "no article with the title or path 'Nope'; closest titles: Norilsk uprising, Vorkuta uprising"),
], ids=["search-facet", "facets-facet", "bare-field", "bare-number-comparison", "bare-date-comparison",
       "unknown-field", "show-unknown"])
def test_a_bad_input_that_needs_the_index_exits_1(built_index: Path, args: list[str], line: str) -> None:
    assert error_line(run(*args, *shared(built_index))) == f"Error: {line}"


@pytest.mark.parametrize(("option", "message"), [
    ("--uprising", "Invalid value for '-u' / '--uprising' / '--article': empty value: give a title "
                   "(`searcher facets` lists them)"),
    ("--place", "Invalid value for '--place': empty value: give words to match"),
    ("--result", "Invalid value for '--result': empty value: give words to match"),
])
def test_an_empty_filter_option_is_a_usage_error(built_index: Path, option: str, message: str) -> None:
    """As `--during ''` and `--filter 'result= '` are (exit 2); these exited 1."""
    assert usage_error(run("search", "strike", option, " ", *shared(built_index))) == f"Error: {message}"


def test_show_accepts_a_path(built_index: Path) -> None:
    by_path = run("show", VORKUTA_FILE, *shared(built_index))
    assert by_path.exit_code == 0
    assert by_path.stdout == run("show", "vorkuta uprising", *shared(built_index)).stdout
    assert by_path.stdout.startswith(f"{VORKUTA}\n")
    assert "path" in " ".join(run("show", "--help").stdout.split())


def test_show_a_skipped_file_says_why_it_was_skipped(tmp_path: Path) -> None:
    """`searcher show empty.txt`, a file of the corpus that `searcher index` skipped, said
    there was no article with that path, which a user looking at the file could not make
    sense of (a bug hunt). It says the file is not indexed, and why, as `searcher index` does."""
    corpus = tmp_path / "corpus"
    write_article(corpus, "kengir.txt", KENGIR)
    (corpus / "sub").mkdir()
    (corpus / "sub" / "empty.txt").write_bytes(b"")
    options = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    assert run("index", *options).exit_code == 0
    result = run("show", "sub/empty.txt", *options)
    assert error_line(result) == (
        f"Error: the file sub/empty.txt is not indexed: {corpus / 'sub' / 'empty.txt'}: empty file"
    )
    assert error_line(run("show", "sub/nothing.txt", *options)).startswith(
        "Error: no article with the title or path 'sub/nothing.txt'; closest titles: Kengir uprising"
    )


def test_hits_of_two_files_of_one_title_say_which_file(camps: Path) -> None:
    """They printed alike: `1. Kengir uprising › Lead` twice."""
    result = run("search", "Kengir camp", "--per-article", "0", *camps_options(camps))
    headings = {line.split(". ", 1)[1].split("  (")[0] for line in result.stdout.splitlines()
                if line.partition(". ")[0].isdigit()}
    assert headings == {"Kengir uprising (kengir.txt) › Lead", "Kengir uprising (sub/x.txt) › Lead"}
    one = run("search", "Ekibastuz", *camps_options(camps))
    assert one.stdout.startswith("1. Ekibastuz uprising › Lead  (")


def test_show_a_title_of_two_files(camps: Path) -> None:
    result = run("show", "Kengir uprising", *camps_options(camps))
    assert error_line(result) == (
        "Error: 'Kengir uprising' is the title of 2 files: kengir.txt, sub/x.txt; pass one of "
        "their paths instead, e.g. `searcher show kengir.txt`"
    )
    chosen = run("show", "sub/x.txt", *camps_options(camps))
    assert chosen.exit_code == 0
    assert chosen.stdout.startswith("Kengir uprising\n") and "Aftermath" in chosen.stdout


def test_unknown_uprising_on_the_command_line_is_capped(camps: Path) -> None:
    result = run("search", "camp", "--uprising", "Karlag", *camps_options(camps))
    assert error_line(result) == (
        "Error: unknown uprising 'Karlag'; closest titles: Karlag uprising, Kargopollag uprising, "
        "Dallag uprising, Berlag uprising, Ozerlag uprising, Ekibastuz uprising, Dubravlag uprising, "
        "Peschanlag uprising, Minlag uprising, Steplag uprising … and 2 more; see `searcher facets`"
    )



def test_a_searcher_closed_while_it_searches_says_so(
    built_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closed by one thread while another searched, a searcher raised Whoosh's `ReaderClosed`
    or `ValueError: mmap closed` to the one searching (a bug hunt). Here the close comes
    inside the search, as another thread's would."""
    with Searcher.open(built_index, update=False) as searcher:
        answer = searcher._answer
        monkeypatch.setattr(searcher, "_answer", lambda asked: (searcher.close(), answer(asked))[1])
        with pytest.raises(SearcherError) as raised:
            searcher.search("amnesty")
    assert str(raised.value) == f"the searcher of {built_index} is closed: open another with Searcher.open()"


@pytest.mark.parametrize(("reads", "use"), [
    ("_infoboxes", lambda searcher: searcher.fields()),
    ("_article_files", lambda searcher: searcher.uprisings()),
    ("_article_files", lambda searcher: searcher.article("Norilsk uprising")),
], ids=["fields", "uprisings", "article"])
def test_a_searcher_closed_while_it_reads_the_index_says_so(
    built_index: Path, monkeypatch: pytest.MonkeyPatch, reads: str, use: Any
) -> None:
    """Closed by one thread while another asked for its fields, titles or an article, a
    searcher raised Whoosh's `ReaderClosed` or `ValueError: mmap closed` (a bug hunt: only
    `search` said it was closed). Here the close comes inside the call, as another
    thread's would."""
    with Searcher.open(built_index, update=False) as searcher:
        read = getattr(searcher, reads)
        monkeypatch.setattr(searcher, reads, lambda: (searcher.close(), read())[1])
        with pytest.raises(SearcherError) as raised:
            use(searcher)
    assert str(raised.value) == f"the searcher of {built_index} is closed: open another with Searcher.open()"


def test_a_closed_searcher_says_so_and_closes_again_quietly(built_index: Path) -> None:
    """Used after `close()`, a searcher blamed the query ("cannot parse query 'amnesty': ") or
    raised Whoosh's `ReaderClosed`; a second `close()` raised too."""
    with Searcher.open(built_index, update=False) as searcher:
        assert searcher.search("amnesty").total > 0
    searcher.close()
    message = f"the searcher of {built_index} is closed: open another with Searcher.open()"
    for use in (lambda: searcher.search("amnesty"), lambda: searcher.facets("amnesty"),
                searcher.fields, searcher.uprisings, lambda: searcher.article("Norilsk uprising")):
        with pytest.raises(SearcherError) as raised:
            use()
        assert str(raised.value) == message


def test_the_note_on_many_files_of_one_title_names_ten_in_order(corpus_copy: Path, tmp_path: Path) -> None:
    """30 copies of an article gave a note naming all 30, out of order (a bug hunt)."""
    norilsk = (corpus_copy / NORILSK_FILE).read_text(encoding="utf-8")
    for number in range(1, 30):
        write_article(corpus_copy, f"copies/d{number:02}.txt", norilsk)
    notes: list[str] = []
    update_index(corpus_copy, tmp_path / "index", notify=notes.append)
    [note] = [note for note in notes if "have the title" in note]
    names = ", ".join(f"copies/d{number:02}.txt" for number in range(1, 11))
    assert note.startswith(f"30 files have the title 'Norilsk uprising': {names} … and 20 more; ")


def test_titles_alike_but_for_case_are_one_title_to_show_and_filters(
    corpus_copy: Path, tmp_path: Path
) -> None:
    """`NORILSK Uprising` beside `Norilsk uprising`: `show` of either gave the other file's
    article, and the filter chose one file while its facet marked both."""
    norilsk = (corpus_copy / NORILSK_FILE).read_text(encoding="utf-8")
    write_article(corpus_copy, "sub/n2.txt", norilsk.replace("= Norilsk uprising =", "= NORILSK Uprising ="))
    notes: list[str] = []
    update_index(corpus_copy, tmp_path / "index", notify=notes.append)
    assert f"2 files have the title 'Norilsk uprising': {NORILSK_FILE}, sub/n2.txt" in " ".join(notes)
    with Searcher.open(tmp_path / "index", update=False) as searcher:
        with pytest.raises(AmbiguousArticle) as raised:
            searcher.article("NORILSK Uprising")
        assert str(raised.value) == (
            f"'NORILSK Uprising' and 'Norilsk uprising' are the titles of 2 files: {NORILSK_FILE}, "
            f"sub/n2.txt; pass one of their paths instead, e.g. `searcher show {NORILSK_FILE}`"
        )
        assert searcher.article("sub/n2.txt").title == "NORILSK Uprising"
        result = searcher.search("amnesty", uprising="norilsk UPRISING", per_article=0)
        assert {hit.path for hit in result.hits} == {NORILSK_FILE, "sub/n2.txt"}
        assert {value.value: (value.count, value.selected) for value in result.facets["article"]} == {
            "NORILSK Uprising": (1, True), NORILSK: (1, True), VORKUTA: (1, False),
        }


def test_a_title_that_starts_like_a_comparison_is_still_a_title(tmp_path: Path) -> None:
    """`<3 (album)`: the page offers its title as a filter; the check that refuses a filter
    value `>10000` (a comparison) refused it too."""
    write_article(tmp_path / "corpus", "album.txt", "= <3 (album) =\n\nA record of love songs.\n")
    update_index(tmp_path / "corpus", tmp_path / "index")
    with Searcher.open(tmp_path / "index", update=False) as searcher:
        assert searcher.search("love", uprising="<3 (album)").total == 1
        assert searcher.search("love", filters={"article": "<3 (album)"}).total == 1
        assert searcher.article("<3 (ALBUM)").title == "<3 (album)"
