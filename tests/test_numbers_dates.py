"""Numbers and dates as people write them.

- A number written with thousands separators (`18,000`, `18 000`, `18\u202f000`) is one word,
  its digits (`18000`): each spelling finds the others, in text and in infobox fields, and the
  passage marks the number as written. A decimal point is no separator (`3.5`, `16.378` stay).
- `strength:16378` finds `Strength1: 16,378 people`; a bare number on a field whose values are
  numbers also matches the number a value states (`population:1500000` finds `1.5 million`).
- Every field whose values read as dates (`Date`, `Birth_date`, `Released`, ...) answers
  `field:1953-07`, `field:[1953 TO 1954]`, `field:>=1953` with the overlap `--during` uses.
- An infobox key named like a name the tool uses (`Year`, `Title`, `Article`, `Section`,
  `Text`) answers as `infobox_<name>`, which `searcher fields` lists with the key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher import QueryError, Searcher, SearchResult, read_article, update_index
from searcher.cli import cli
from searcher.schema import text_analyzer
from searcher.values import DateInterval, parse_date_interval
from tests.conftest import CORPUS, KENGIR, NORILSK, VORKUTA, write_article
from tests.realdata import ARTICLES, article_files, articles_index, require_shared_data

EVERY = 100_000


def open_corpus(folder: Path, files: dict[str, str]) -> Searcher:
    """A searcher on a fresh index of `files` (name -> text) written into `folder/corpus`."""
    corpus = folder / "corpus"
    for name, text in files.items():
        write_article(corpus, name, text)
    report = update_index(corpus, folder / "index")
    assert not report.problems, report.problems
    return Searcher.open(folder / "index", update=False)


def articles(result: SearchResult) -> set[str]:
    return {hit.article for hit in result.hits}


def found(searcher: Searcher, query: str, **options: object) -> set[str]:
    """The articles the query matches as asked (not retried with close spellings or fewer words)."""
    result = searcher.search(query, limit=EVERY, per_article=0, facets=False, **options)  # type: ignore[arg-type]
    return set() if result.corrected or result.relaxed else articles(result)


# --- numbers in text -------------------------------------------------------------------------

SPELLINGS = {
    "comma.txt": "18,000",
    "space.txt": "18 000",
    "nbsp.txt": "18\u00a0000",
    "narrow.txt": "18\u202f000",
    "plain.txt": "18000",
}
OTHERS = {
    "decimal.txt": "= Decimal camp =\n\nThe wall was 3.5 metres high and 16.378 metres long.\n",
    "apart.txt": "= Apart camp =\n\nIn 1953, 200 prisoners and 18 guards; 000 meant nothing; 3 and 5.\n",
    "dates.txt": "= Dates camp =\n\nOn May 26 1953 the strike began; 19 000 was no count here: 19,0000.\n",
}


def camp(spelling: str) -> str:
    return f"= Camp {spelling} =\n\nThe camp held {spelling} prisoners in 1953.\n\n==Later==\nIt closed.\n"


@pytest.fixture(scope="module")
def numbers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    files = {name: camp(spelling) for name, spelling in SPELLINGS.items()} | OTHERS
    with open_corpus(tmp_path_factory.mktemp("numbers"), files) as searcher:
        yield searcher


@pytest.mark.parametrize("query", ["18000", "18,000", "18 000", '"18 000"', "18\u00a0000", "18\u202f000",
                                   "text:18,000", "text:18000", '"18,000 prisoners"'])
def test_each_spelling_of_a_number_finds_every_other(numbers: Searcher, query: str) -> None:
    result = numbers.search(query, limit=EVERY, per_article=0)
    assert articles(result) == {f"Camp {spelling}" for spelling in SPELLINGS.values()}
    for hit in result.hits:
        written = hit.article.removeprefix("Camp ")
        marked = list(hit.marked())
        assert marked and marked[0].startswith(written), (query, hit.snippet, marked)


def test_the_passage_marks_the_number_as_written(numbers: Searcher) -> None:
    for hit in numbers.search("18000", limit=EVERY).hits:
        assert list(hit.marked()) == [hit.article.removeprefix("Camp ")]
    [phrase] = numbers.search('"18,000 prisoners"', uprising="Camp 18 000").hits
    assert list(phrase.marked()) == ["18 000 prisoners"]


def test_the_title_number_is_one_word_too(numbers: Searcher) -> None:
    assert found(numbers, "title:18000") == {f"Camp {spelling}" for spelling in SPELLINGS.values()}


def test_decimals_and_lists_stay_apart(numbers: Searcher) -> None:
    assert found(numbers, "3.5") == {"Decimal camp"}
    assert found(numbers, "16.378") == {"Decimal camp"}
    assert found(numbers, "16378") == set()
    assert found(numbers, "200") == {"Apart camp"}  # `1953, 200` is a list, not 1,953,200
    assert found(numbers, "1953200") == set()
    assert found(numbers, "000") == {"Apart camp"}
    assert found(numbers, "18") == {"Apart camp"}  # `18,000` is no longer `18` and `000`
    assert found(numbers, "26") == {"Dates camp"}  # `May 26 1953`: a day and a year
    assert found(numbers, "190") == set()
    assert "Dates camp" in found(numbers, "19000")  # `19 000` is a number, `19,0000` is not
    assert found(numbers, "190000") == set()


def test_the_analyzer_gives_digits_with_the_written_offsets() -> None:
    text = "18,000 and 18 000, 1,234,567.5 or 2\u202f500; 3.5 and 1953, 200"
    tokens = [(t.text, text[t.startchar:t.endchar]) for t in text_analyzer()(text, chars=True)]
    assert tokens == [
        ("18000", "18,000"), ("18000", "18 000"), ("1234567.5", "1,234,567.5"), ("2500", "2\u202f500"),
        ("3.5", "3.5"), ("1953", "1953"), ("200", "200"),
    ]


# --- numbers in infobox fields ---------------------------------------------------------------


@pytest.mark.parametrize("query", ["strength:16378", "strength:16,378", "strength:16 378", "Strength1:16378"])
def test_a_field_number_matches_however_it_is_written(searcher: Searcher, query: str) -> None:
    result = searcher.search(query)
    assert articles(result) == {NORILSK}
    assert result.total == searcher.search("strength:16,378").total == 1
    assert list(result.hits[0].marked()) == ["16,378"]


def test_a_bare_number_matches_the_number_a_value_states(tmp_path: Path) -> None:
    files = {
        "big.txt": "= Big town =\n\nInfobox\n- Population: 1.5 million\n\nA big town.\n",
        "small.txt": "= Small town =\n\nInfobox\n- Population: 14,736\n\nA small town.\n",
    }
    with open_corpus(tmp_path, files) as searcher:
        assert found(searcher, "population:1500000") == {"Big town"}
        assert found(searcher, "population:14736") == {"Small town"}
        assert found(searcher, "population:14,736") == {"Small town"}
        assert found(searcher, "population:million") == {"Big town"}  # still text too
        assert found(searcher, "population:[1000000 TO]") == {"Big town"}


def test_a_bare_number_matches_the_number_with_its_sign(tmp_path: Path) -> None:
    """`utc_offset:5` found Toronto's `-5` by its text; the filter found nothing (a bug hunt)."""
    offsets = {"West": "-5", "East": "+5", "Far": "9"}
    files = {f"{name}.txt": f"= {name} town =\n\nInfobox\n- UTC offset: {offset}\n\nA town.\n"
             for name, offset in offsets.items()}
    with open_corpus(tmp_path, files) as searcher:
        assert found(searcher, "utc_offset:5") == found(searcher, "*", filters={"utc_offset": "5"}) == {
            "East town"}
        assert found(searcher, "utc_offset:-5") == found(searcher, "*", filters={"utc_offset": "-5"}) == {
            "West town"}


# A field with values of both kinds: Toronto's `Established Date1` is a date, the United
# Kingdom's two years read as numbers only; with one of each the field is `number`, with two
# dates `date`, and either way `[1800 TO 1900]` found nothing of one of them (a bug hunt).
MIXED = {"old": "1535 and 1542", "new": "March 6, 1834", "mid": "1700"}
MIXED_QUERIES = {
    "established_date1:[1800 TO 1900]": {"New"}, "established_date1:1834": {"New"},
    "established_date1:1834-03": {"New"}, "established_date1:1535": {"Old"},
    "established_date1:[1500 TO 1600]": {"Old"}, "established_date1:>1600": {"New", "Mid"},
}


def mixed_files(names: Iterable[str]) -> dict[str, str]:
    return {f"{name}.txt": f"= {name.title()} =\n\nInfobox\n- Established Date1: {MIXED[name]}\n\nA town.\n"
            for name in names}


@pytest.mark.parametrize("names", [["old", "new"], ["old", "new", "mid"]])
def test_a_field_of_dates_and_numbers_answers_a_year_with_both(tmp_path: Path, names: list[str]) -> None:
    with open_corpus(tmp_path, mixed_files(names)) as searcher:
        kind = {info.name: info.kind for info in searcher.fields()}["established_date1"]
        assert kind == ("date" if "mid" in names else "number")
        for query, expected in MIXED_QUERIES.items():
            assert found(searcher, query) == expected & {name.title() for name in names}, query
        assert found(searcher, "*", filters={"established_date1": "1535"}) == {"Old"}
        assert found(searcher, "*", filters={"established_date1": "1834"}) == {"New"}
        # the facet marks the value the filter matched, not a made-up `1834` (a bug hunt)
        chosen = searcher.search("*", filters={"established_date1": "1834"}, facets=["established_date1"])
        assert [value.value for value in chosen.facets["established_date1"] if value.selected] == [
            "March 6, 1834"]


def test_a_value_grouped_by_spaces_is_its_number_in_ranges(tmp_path: Path) -> None:
    """`18 000` was 18 to ranges and comparisons, though the same value is found as `18000`
    (a bug hunt)."""
    files = {
        "berlin.txt": "= Berlin =\n\nInfobox\n- Strength1: 18 000 men\n- Strength2: 1\u202f500\n\nText.\n",
        "pilsen.txt": "= Pilsen =\n\nInfobox\n- Strength1: 16,378 people\n- Strength2: 1953 200\n\nText.\n",
    }
    with open_corpus(tmp_path, files) as searcher:
        assert found(searcher, "strength1:>17000") == {"Berlin"}
        assert found(searcher, "strength1:[10000 TO 20000]") == {"Berlin", "Pilsen"}
        assert found(searcher, "strength2:[1000 TO 1600]") == {"Berlin"}
        assert found(searcher, "strength2:1953") == {"Pilsen"}  # (a year and a number: no group)


def test_numbers_past_what_an_index_holds_are_no_error(tmp_path: Path) -> None:
    """Whoosh's numbers are 64-bit: such a number in an infobox stopped the build, and in a
    query gave a traceback (500 over HTTP), from a bug hunt."""
    huge = "1,000,000,000,000,000,000,000"
    files = {
        "huge.txt": f"= Huge =\n\nInfobox\n- Casualties: {huge}\n- Strength: 5\n\nText.\n",
        "small.txt": "= Small =\n\nInfobox\n- Casualties: 20\n- Strength: 50\n\nText.\n",
    }
    with open_corpus(tmp_path, files) as searcher:
        assert found(searcher, f'casualties:"{huge}"') == {"Huge"}  # (its text)
        assert found(searcher, "casualties:>10") == {"Small"}  # (no count)
        for query in ("strength:>99999999999999999999", "strength:{99999999999999999999 TO]",
                      "casualties:99999999999999999999", "strength:[99999999999999999999 TO 1]"):
            assert found(searcher, query) == set(), query
        assert found(searcher, "strength:[1 TO 99999999999999999999]") == {"Huge", "Small"}
        assert found(searcher, "strength:<99999999999999999999") == {"Huge", "Small"}


# Numbers with a fraction, and hours with minutes, as the 112 real articles write them (the
# United Kingdom's `87.1% White`, the Toronto Star's `CAD 0.75`, `1.80 m`, `+4:30`): each was
# read as its next whole number or none, so `ethnic_groups:>80` found nothing (a bug hunt).
DECIMALS = {
    "Kingdom": {"Ethnic Groups": "87.1% White, 7.0% Asian, 3.0% Black", "Height": "1.80 m",
                "Price": "CAD 0.75 Monday-Friday, CAD 2.00 Saturday", "Utc offset": "+3:30",
                "Utc offset DST": "+4:30"},
    "Republic": {"Ethnic Groups": "50.2% White, 12.7% East Asian", "Height": "2 m", "Price": "CAD 1.00",
                 "Utc offset": "-3:30", "Utc offset DST": "+4"},
    "Island": {"Ethnic Groups": "79.9% Islanders", "Height": "0.5 m", "Price": "CAD 3",
               "Utc offset": "-4", "Utc offset DST": "-3"},
}
# (a query, the articles it finds)
DECIMAL_QUERIES = {
    "ethnic_groups:>80": {"Kingdom"}, "ethnic_groups:87.1": {"Kingdom"}, "ethnic_groups:87": set(),
    "ethnic_groups:[79.9 TO 80]": {"Island"}, "ethnic_groups:{79.9 TO 80]": set(),
    "height:[1 TO 2]": {"Kingdom", "Republic"}, "height:{1 TO 2}": {"Kingdom"},
    "height:1.8": {"Kingdom"}, "height:1.80": {"Kingdom"}, "height:<1": {"Island"},
    "price:<1": {"Kingdom"}, "price:1": {"Republic"}, "price:>=2": {"Kingdom", "Island"},
    "utc_offset_dst:>4": {"Kingdom"}, "utc_offset_dst:4": {"Republic"}, "utc_offset_dst:4.5": {"Kingdom"},
    "utc_offset:-3.5": {"Republic"}, "utc_offset:<-3": {"Republic", "Island"},
    "utc_offset:[-4 TO -3.5}": {"Island"}, "utc_offset:>3": {"Kingdom"},
    # hours and minutes as the values write them (Whoosh's parser split `4:30` into 4 and 30)
    "utc_offset_dst:4:30": {"Kingdom"}, "utc_offset_dst:+4:30": {"Kingdom"}, "utc_offset:-3:30": {"Republic"},
    "utc_offset_dst:>4:15": {"Kingdom"}, "utc_offset_dst:<4:30": {"Republic", "Island"},
    "utc_offset:<=-3:30": {"Republic", "Island"}, "utc_offset:[-4:00 TO -3:30}": {"Island"},
}
# (a filter, the articles it finds): one number on a number field matches it, and only it
DECIMAL_FILTERS = {
    ("utc_offset_dst", "4.5"): {"Kingdom"}, ("utc_offset_dst", "4"): {"Republic"},
    ("utc_offset", "-4"): {"Island"}, ("utc_offset", "-3.5"): {"Republic"}, ("height", "1.8"): {"Kingdom"},
}


def decimal_files() -> dict[str, str]:
    return {
        f"{name.lower()}.txt": f"= {name} =\n\nInfobox\n"
        + "".join(f"- {key}: {value}\n" for key, value in fields.items()) + f"\nThe {name}.\n"
        for name, fields in DECIMALS.items()
    }


@pytest.fixture(scope="module")
def decimals(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    with open_corpus(tmp_path_factory.mktemp("decimals"), decimal_files()) as searcher:
        yield searcher


@pytest.mark.parametrize(("query", "expected"), DECIMAL_QUERIES.items())
def test_a_number_keeps_its_fraction(decimals: Searcher, query: str, expected: set[str]) -> None:
    assert found(decimals, query) == expected


@pytest.mark.parametrize(("name", "value"), DECIMAL_FILTERS)
def test_a_filter_of_a_number_with_a_fraction_matches_it(decimals: Searcher, name: str, value: str) -> None:
    assert found(decimals, "*", filters={name: value}) == DECIMAL_FILTERS[name, value]


@pytest.mark.parametrize(("query", "marked"), [
    ("ethnic_groups:>80", ["87.1"]), ("price:<1", ["0.75"]), ("height:[1 TO 2]", ["1.80", "2"]),
    ("utc_offset_dst:>4", ["4:30"]), ("utc_offset:-3.5", ["-3:30"]), ("ethnic_groups:[7 TO 8]", ["7.0"]),
    ("utc_offset_dst:4:30", ["4:30"]), ("utc_offset:-3:30", ["-3:30"]),
])
def test_the_passage_marks_the_number_with_its_fraction(
    decimals: Searcher, query: str, marked: list[str]
) -> None:
    result = decimals.search(query, limit=EVERY)
    assert sorted(word for hit in result.hits for word in hit.marked()) == sorted(marked)


def test_a_filter_of_hours_and_minutes_selects_its_facet_value(decimals: Searcher) -> None:
    result = decimals.search("*", filters={"utc_offset_dst": "4.5"}, facets=["utc_offset_dst"])
    assert [value.value for value in result.facets["utc_offset_dst"] if value.selected] == ["+4:30"]


# --- date fields answer like --during --------------------------------------------------------

DATED = {
    "kengir.txt": KENGIR,  # 16 May – 26 June 1954
    "early.txt": "= Early strike =\n\nInfobox\n- Date: March 1951 – 1952\n\nAn early strike.\n",
    "day.txt": "= One day strike =\n\nInfobox\n- Date: 30 June 1953\n\nA strike of one day.\n",
    "late.txt": "= Late strike =\n\nInfobox\n- Date: 1956\n\nA late strike.\n",
    "vague.txt": "= Vague strike =\n\nInfobox\n- Date: sometime in spring\n\nA vague strike.\n",
}

# (a query on the `date` field, the `--during` period it means)
SAME_AS_DURING = [
    ("date:1953", "1953"),
    ("date:1953-07", "1953-07"),
    ("date:1953-06", "1953-06"),
    ("date:1953-07-25", "1953-07-25"),
    ("date:1953-06..1953-07", "1953-06..1953-07"),
    ("date:[1953 TO 1954]", "1953..1954"),
    ("date:[1952-12 TO 1953-06-30]", "1952-12..1953-06-30"),
    ("date:[1954 TO]", "1954.."),
    ("date:[TO 1952]", "..1952"),
    ("date:[ 1953 TO 1954 ]", "1953..1954"),  # (spaces in the brackets matched nothing: a bug hunt)
    ("date:1950s", "1950s"), ("date:1940s..1950s", "1940s..1950s"),  # (a decade was no period: a bug hunt)
    ("date:[ 1953-07 TO ]", "1953-07.."),
    ("date:>=1953", "1953.."),
    ("date:>1953", "1954.."),
    ("date:<=1953", "..1953"),
    ("date:<1953", "..1952"),
    ("date:>=1953-08-02", "1953-08-02.."),
    ("Date:1954", "1954"),
    # A range of one period is that period (Whoosh's own normalizing made it a word).
    ("date:[1953-07 TO 1953-07]", "1953-07"),
    ("date:[1953-06-30 TO 1953-06-30]", "1953-06-30"),
    ("date:[1953 TO 1953]", "1953"),
]


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    folder = tmp_path_factory.mktemp("dated")
    files = dict(DATED)
    for bundled in ("norilsk-uprising.txt", "vorkuta-uprising.txt"):
        files[bundled] = (CORPUS / bundled).read_text(encoding="utf-8")
    with open_corpus(folder, files) as searcher:
        yield searcher


@pytest.mark.parametrize(("query", "period"), SAME_AS_DURING)
def test_a_date_query_finds_what_during_finds(dated: Searcher, query: str, period: str) -> None:
    expected = found(dated, "*", during=period)
    result = dated.search(query, limit=EVERY, per_article=0)
    assert articles(result) == expected
    assert result.matched == "articles" and result.total == len(expected)


@pytest.mark.parametrize(("query", "period"), SAME_AS_DURING[:6])
def test_date_queries_on_the_bundled_articles(searcher: Searcher, query: str, period: str) -> None:
    assert found(searcher, query) == found(searcher, "*", during=period)


def test_the_bundled_date_queries_have_answers(searcher: Searcher) -> None:
    assert found(searcher, "date:1953-07") == {NORILSK, VORKUTA}
    assert found(searcher, "date:1953-06") == {NORILSK}
    assert found(searcher, "date:[1953 TO 1954]") == {NORILSK, VORKUTA}
    assert found(searcher, "date:>=1953") == {NORILSK, VORKUTA}
    assert found(searcher, "date:>1953") == set()


def test_the_date_queries_have_answers(dated: Searcher) -> None:
    assert found(dated, "date:1953-07") == {NORILSK, VORKUTA}
    later = {NORILSK, VORKUTA, "One day strike", "Kengir uprising", "Late strike"}
    assert found(dated, "date:>=1953") == later
    assert found(dated, "date:[1952 TO 1953-06]") == {NORILSK, "One day strike", "Early strike"}


def test_periods_in_groups_with_boosts_and_exclusions(dated: Searcher) -> None:
    june_or_1956 = found(dated, "*", during="1953-06") | found(dated, "*", during="1956")
    assert found(dated, "date:(1953-06 OR 1956)") == june_or_1956
    assert found(dated, "date:1953-06 OR date:1956") == june_or_1956
    assert found(dated, "date:1953^2") == found(dated, "*", during="1953")
    assert found(dated, "date:{1953 TO 1954}") == set()  # strictly between two years: no day
    every = {hit.article for hit in dated.search("*", limit=EVERY, per_article=0).hits}
    assert found(dated, "-date:1953") == every - found(dated, "*", during="1953")


def test_several_periods_are_any_of_them(dated: Searcher) -> None:
    """`--during 1921 --during 1953` kept only the last period, without a word."""
    june_or_1956 = found(dated, "*", during="1953-06") | found(dated, "*", during="1956")
    assert found(dated, "*", during=["1953-06", "1956"]) == june_or_1956 != found(dated, "*", during="1956")
    result = CliRunner().invoke(cli, ["search", "*", "--during", "1953-06", "--during", "1956", "--json",
                                      "--index", str(dated.index_dir), "--no-update", "-n", "100",
                                      "--per-article", "0"])
    assert {hit["article"] for hit in json.loads(result.stdout)["hits"]} == june_or_1956


def test_two_ranges_of_a_field_are_both_periods(dated: Searcher) -> None:
    # Each is read as a period, not merged with the other as text first: a hit overlaps both.
    both = found(dated, "*", during="1953-05..1953-06") & found(dated, "*", during="1953-07..1953-08")
    assert both == {NORILSK}
    assert found(dated, "date:[1953-05 TO 1953-06] date:[1953-07 TO 1953-08]") == both
    # Merged as text, the two were 1 May to the end of 1954, which Kengir (from 16 May) overlaps.
    assert found(dated, "date:[1953 TO 1954-05-10] date:[1954-05-01 TO 1954]") == set()
    assert found(dated, "date:[1953 TO 1954-05-20] date:[1954-05-01 TO 1954]") == {"Kengir uprising"}


@pytest.mark.parametrize(("query", "warning"), [
    ("date:[1954 TO 1953]", "'date:[1954 TO 1953]' matches nothing: no day lies inside the range"),
    ("date:{1953 TO 1954}", "'date:{1953 TO 1954}' matches nothing: no day lies inside the range"),
    ("date:[1953-08 TO 1953-07-15]", "'date:[1953-08 TO 1953-07-15]' matches nothing: no day lies"),
    ("strength:[20000 TO 10000]", "'strength:[20000 TO 10000]' matches nothing: no number lies"),
    ("strength:{16378 TO 16378}", "'strength:{16378 TO 16378}' matches nothing: no number lies"),
])
def test_a_range_that_holds_nothing_says_so(dated: Searcher, query: str, warning: str) -> None:
    result = dated.search(f"strike OR {query}")  # the rest of the query still answers
    assert result.total and any(w.startswith(warning) for w in result.warnings), result.warnings
    assert dated.search(query).total == 0


@pytest.mark.parametrize("query", [
    "date:[1953-07 TO 1953]", "date:{1952 TO 1954}", "strength:[10000 TO 20000]", "strength:[16378 TO 16378]",
    "date:>=1953",
])
def test_a_range_that_holds_values_gives_no_warning(dated: Searcher, query: str) -> None:
    assert dated.search(query).warnings == []


@pytest.mark.parametrize(("query", "reason"), [
    ("date:1953-13", "invalid period '1953-13': 1953-13 names no date of the calendar"),
    ("strike date:1953-02-30", "invalid period '1953-02-30'"),
    ("date:1953-07..1953-06", "invalid period '1953-07..1953-06': start 1953-07-01 is after end 1953-06-30"),
    ("date:[1953-13 TO 1954]", "invalid period '1953-13'"),
    ("date:[1953..1954 TO 1955]", "'1953..1954' is a range, not a bound"),
])
def test_a_date_written_as_a_period_that_names_none_is_an_error(
    dated: Searcher, query: str, reason: str
) -> None:
    # As `--during 1953-13` is: before, the words `1953` and `13` were looked for in the text.
    with pytest.raises(QueryError, match=re.escape(f"cannot parse query '{query}': {reason}")):
        dated.search(query)


@pytest.mark.parametrize("query", ["date:[1 TO 2000]", "date:>=1", "date:[1900 TO 10000]", "date:<=99999"])
def test_a_range_of_dates_with_a_number_that_is_no_year_is_an_error(dated: Searcher, query: str) -> None:
    """These matched nothing, without a word of why (a bug hunt); 0001 is the year 1."""
    with pytest.raises(QueryError, match=r"is no year: write a year with four digits \(0999 for 999\)"):
        dated.search(query)
    assert dated.search("date:[0001 TO 2000]").total > 0


def test_a_year_of_three_digits_in_a_date_field_says_how_to_write_it(tmp_path: Path) -> None:
    """`birth_date:965` found nothing and said nothing, where Ibn al-Haytham's `Birth Date:
    0965 (c. 354 AH)` holds the year 965 (a bug hunt): a query writes a year with four digits,
    as a range's error already said. The value is still searched as text (`354`)."""
    born = "= A scholar =\n\nInfobox\n- Birth Date: 0965 (c. 354 AH)\n- Height: 965 cm\n\nHe wrote.\n"
    with open_corpus(tmp_path, {"scholar.txt": born}) as searcher:
        for typed, total in (("birth_date:965", 0), ("birth_date:354 wrote", 1)):
            result = searcher.search(typed)
            field, _, year = typed.split()[0].partition(":")
            assert result.total == total and result.warnings == [
                f"'{field}:{year}' in query '{typed}' is read as text, not as the year {year}: "
                f"a year of a date field has four digits ({field}:0{year})"
            ]
        assert found(searcher, "birth_date:0965") == {"A scholar"}
        for quiet in ("birth_date:0965", 'birth_date:"965"', "height:965", "birth_date:96"):
            assert searcher.search(quiet).warnings == [], quiet


def test_a_date_field_still_answers_words(dated: Searcher) -> None:
    assert found(dated, "date:spring") == {"Vague strike"}
    assert dated.search('date:"1953-13"').total == 0  # quoted: words of the text, no error
    assert found(dated, "date:June") == {"One day strike", "Kengir uprising"}


def test_a_date_query_marks_the_date_line(dated: Searcher) -> None:
    [hit] = dated.search("date:1953-06-30..1953-06-30 strike", uprising="One day strike").hits
    assert hit.section != "Infobox"  # words and data: the sections of the matching articles
    [hit] = dated.search("date:1951", limit=EVERY).hits
    assert hit.article == "Early strike" and hit.section == "Infobox"
    assert list(hit.marked()) == ["March 1951 – 1952"]


# --- other date fields, and the kinds `fields` gives -----------------------------------------

PEOPLE = {
    "ada.txt": "= Ada Person =\n\nInfobox\n- Birth_date: 10 December 1815\n- Death_date: 27 November 1852\n"
               "- Birth_place: London\n\nAda was a writer.\n",
    "bob.txt": "= Bob Person =\n\nInfobox\n- Birth_date: 21 July 1899 (aged 63)\n- Height: 1.80 m\n\n"
               "Bob was a boxer.\n",
    "cy.txt": "= Cy Person =\n\nInfobox\n- Birth_date: 3 March 1901\n- Birth_place: Paris, France\n\n"
              "Cy was a cook.\n",
    "dee.txt": "= Dee Person =\n\nInfobox\n- Birth_date: 1799\n- Founded: 16 May 1997 in Mexico City\n\n"
               "Dee was a founder.\n",
    "album.txt": "= An album =\n\nInfobox\n- Released: 12 August 1963\n- Length: 23:25\n"
                 "- Year: 1963\n- Title: Songs of the sea\n- Sales: 18 000 copies\n\nAn album.\n",
    "film.txt": "= A film =\n\nInfobox\n- Released: 1999\n- Year: Calendar Year\n- Article: Film\n"
                "- Section: Drama\n- Text: Script by Dee\n- Sales: 2,000,000\n\nA film.\n",
}


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    with open_corpus(tmp_path_factory.mktemp("people"), PEOPLE) as searcher:
        yield searcher


def test_any_date_field_answers_date_queries(people: Searcher) -> None:
    assert found(people, "birth_date:[1800 TO 1900]") == {"Ada Person", "Bob Person"}
    assert found(people, "Birth_date:[1800 TO 1900]") == {"Ada Person", "Bob Person"}
    assert found(people, "birth_date:>=1900") == {"Cy Person"}
    assert found(people, "birth_date:<1800") == {"Dee Person"}
    assert found(people, "birth_date:1899-07") == {"Bob Person"}
    assert found(people, "birth_date:1815-12-10") == {"Ada Person"}
    assert found(people, "death_date:1852") == {"Ada Person"}
    assert found(people, "released:[1960 TO 1970]") == {"An album"}
    assert found(people, "released:1999") == {"A film"}
    assert found(people, "birth_date:December") == {"Ada Person"}  # words still match


def test_a_filter_on_a_date_field_reads_a_period_as_the_query_does(people: Searcher) -> None:
    """`--filter birth_date=1899-07` matched the words `1899` and `07`: nothing, silently."""
    for period, expected in [("1899-07", {"Bob Person"}), ("1800..1900", {"Ada Person", "Bob Person"})]:
        assert found(people, "*", filters={"birth_date": period}) == found(people, f"birth_date:{period}")
        assert found(people, "*", filters={"birth_date": period}) == expected
    assert found(people, "*", filters={"birth_date": ["1815", "1901"]}) == {"Ada Person", "Cy Person"}
    assert found(people, "*", filters={"birth_date": "December"}) == {"Ada Person"}  # words still match
    with pytest.raises(QueryError, match=r"^filter 'birth_date': invalid period '1899-13'"):
        people.search("*", filters={"birth_date": "1899-13"})
    with pytest.raises(QueryError, match=r"^filter 'sales': '>1000' is a comparison; a filter matches "
                                         r"values \(the query sales:>1000 compares\)$"):
        people.search("*", filters={"sales": ">1000"})


@pytest.mark.parametrize("name, ranged", [("sales", "[1000 TO 5000000]"), ("birth_date", "{1800 TO 1900]")])
def test_a_range_in_a_filter_is_refused_as_a_comparison_is(people: Searcher, name: str, ranged: str) -> None:
    """`--filter 'sales=[1000 TO 5000000]'` matched the words of the range: nothing, silently,
    where the query `sales:[1000 TO 5000000]` finds both albums' sales."""
    assert found(people, f"{name}:{ranged}")
    refused = (rf"^filter '{name}': {re.escape(repr(ranged))} is a range; a filter matches values "
               rf"\(the query {re.escape(f'{name}:{ranged}')} compares\)$")
    with pytest.raises(QueryError, match=refused):
        people.search("*", filters={name: ranged})


def test_fields_are_numbers_or_dates_only_when_their_values_read_so(people: Searcher) -> None:
    kinds = {info.name: info.kind for info in people.fields()}
    assert kinds["birth_date"] == "date"
    assert kinds["death_date"] == "date"
    assert kinds["released"] == "date"
    assert kinds["sales"] == "number"
    assert kinds["birth_place"] == "text"
    assert kinds["founded"] == "text"  # `16 May 1997 in Mexico City`: neither a date nor a count
    assert kinds["height"] == "number"  # `1.80 m` (it was text: its fraction was dropped)
    assert kinds["title"] == kinds["section"] == kinds["text"] == "text"


def test_a_key_named_like_a_name_of_the_tool_gets_another_name(people: Searcher) -> None:
    infos = {info.name: info for info in people.fields()}
    assert infos["infobox_year"].keys == ("Year",)
    assert infos["infobox_year"].articles == 2
    assert infos["infobox_title"].keys == ("Title",)
    assert infos["infobox_article"].keys == ("Article",)
    assert infos["infobox_section"].keys == ("Section",)
    assert infos["infobox_text"].keys == ("Text",)
    assert "year" not in infos and "article" not in infos
    assert infos["title"].keys == () and infos["text"].keys == ()
    assert found(people, "infobox_year:calendar") == {"A film"}
    assert found(people, "infobox_title:sea") == {"An album"}
    assert found(people, "title:sea") == set()  # `title` is the article's title
    assert found(people, "title:album") == {"An album"}
    assert found(people, "infobox_text:script") == {"A film"}
    result = people.search("*", facets=["year", "infobox_year"])
    assert [value.value for value in result.facets["year"]] == []  # no `Date`: no years
    assert {value.value for value in result.facets["infobox_year"]} == {"1963", "Calendar Year"}
    assert found(people, "*", filters={"infobox_year": "calendar"}) == {"A film"}


def test_the_renamed_key_still_shows_as_written(people: Searcher) -> None:
    shown = people.article("A film")
    assert [f.key for f in shown.infobox][:2] == ["Released", "Year"]
    assert shown.field("year") is not None and shown.field("year").value == "Calendar Year"
    [hit] = people.search("infobox_year:calendar").hits
    assert hit.snippet == "Year: Calendar Year" and list(hit.marked()) == ["Calendar"]


def test_the_fields_command_lists_renamed_keys_and_kinds(people: Searcher) -> None:
    runner = CliRunner()
    options = ["--index", str(people.index_dir), "--no-update"]
    text = runner.invoke(cli, ["fields", *options])
    assert text.exit_code == 0, text.output
    lines = {line.split()[0]: line for line in text.output.splitlines()}
    assert lines["infobox_year"].split()[1] == "date"  # `1963` reads as a year, `Calendar Year` as nothing
    assert "(from Year)" in lines["infobox_year"]
    assert lines["birth_date"].split()[1] == "date"
    data = json.loads(runner.invoke(cli, ["fields", "--json", *options]).output)
    assert {"name": "infobox_title", "kind": "text", "keys": ["Title"], "example": "Songs of the sea",
            "articles": 1} in data


# --- the real articles -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    with Searcher.open(articles_index(tmp_path_factory.getbasetemp()), update=False) as searcher:
        yield searcher


def born_in(first: int, last: int) -> set[str]:
    """The real articles whose `birth_date` reads as a date overlapping the years."""
    period = DateInterval(date(first, 1, 1), date(last, 12, 31))
    titles = set()
    for path in article_files():
        field = read_article(path).field("birth_date")
        interval = parse_date_interval(field.value) if field else None
        if interval is not None and interval.overlaps(period):
            titles.add(read_article(path).title)
    return titles


@pytest.mark.slow
@pytest.mark.parametrize(("first", "last"), [(1800, 1900), (1900, 1965), (1960, 1970), (900, 2999)])
def test_real_birth_dates_answer_ranges(real: Searcher, first: int, last: int) -> None:
    require_shared_data(ARTICLES)
    expected = born_in(first, last)
    assert found(real, f"birth_date:[{first:04} TO {last}]") == expected
    if last == 2999:
        assert len(expected) == 11


@pytest.mark.slow
def test_real_field_kinds(real: Searcher) -> None:
    kinds = {info.name: info.kind for info in real.fields()}
    assert {name for name, kind in kinds.items() if kind == "date"} >= {
        "birth_date", "death_date", "term_start", "term_end", "years", "production"
    }
    assert kinds["population_total"] == kinds["circulation"] == kinds["statvalue5"] == "number"
    assert kinds["founded"] == kinds["birth_place"] == kinds["name"] == "text"
    assert kinds["debutdate"] == "text"  # `September 10`: a day, not a count
    assert kinds["title"] == "text" and "infobox_title" in kinds  # Goryeo ware's `Title` key
    assert kinds["issn"] == "text"  # The Toronto Star's `ISSN: 0319-0781`: a code, not years 319-781
    assert found(real, "issn:[1 TO 9999]") == set() and found(real, '"0319-0781"') != set()


@pytest.mark.slow
def test_real_numbers_with_separators_answer_their_digits(real: Searcher) -> None:
    for written in ("5,583,064", "2,615,060", "381,310"):
        digits = written.replace(",", "")
        assert found(real, digits) == found(real, written) != set(), written
        hit = real.search(digits).hits[0]
        assert written in list(hit.marked())


# --- open ends --------------------------------------------------------------------------------

CAREERS = {
    "saratov.txt": "= A skater =\n\nInfobox\n- Years1: 2002–2006\n- Years2: 2006–2009\n- Years7: 2013–\n\n"
                   "She skated.\n",
    "band.txt": "= A band =\n\nInfobox\n- Date: 1969–present\n- Years Active: 1969–present\n\nThey play.\n",
    "old.txt": "= An old band =\n\nInfobox\n- Date: 1960–1965\n- Years Active: 1960–1965\n\nThey played.\n",
}


def test_an_open_end_overlaps_every_later_period(tmp_path: Path) -> None:
    """`Years7: 2013–` and `1969–present` are still going on when the article was written:
    `years:2015` found nothing (its numbered pairs ended in 2009, its 2013– was no date)."""
    with open_corpus(tmp_path, CAREERS) as searcher:
        assert found(searcher, "years:2015") == {"A skater"}
        assert found(searcher, "years:2013") == {"A skater"}
        assert found(searcher, "years:2010") == set()
        assert found(searcher, "years_active:[1962 TO 1970]") == {"A band", "An old band"}
        assert found(searcher, "years_active:>=2000") == {"A band"}
        assert found(searcher, "band", during="2020..2021") == {"A band"}
        assert {info.name: info.kind for info in searcher.fields()}["years7"] == "date"
        # the year facet of an open Date runs to this year, not to the last year there is
        years = {value.value for value in searcher.search("band", uprising="A band").facets["year"]}
        assert years == {str(year) for year in range(1969, date.today().year + 1)}


def test_the_year_facet_spans_every_date_key_as_the_filter_does(tmp_path: Path) -> None:
    """Two `Date` keys: `--year 1961` matched the article (the span of both) while its year
    facet came from the first key only, and said 1961: 0."""
    twice = "= Twice =\n\nInfobox\n- Date: 1 May 1960\n- Date: 2 June 1961\n\nIt happened twice.\n"
    with open_corpus(tmp_path, {"twice.txt": twice}) as searcher:
        result = searcher.search("happened", filters={"year": "1961"})
        assert result.total == 1
        # (a facet's counts leave out its own filter: 1960 would be chosen alongside)
        assert [(value.value, value.count, value.selected) for value in result.facets["year"]] == [
            ("1960", 1, False), ("1961", 1, True),
        ]


def test_a_fields_example_reads_as_its_kind(tmp_path: Path) -> None:
    """`fields` showed the first value seen: `casualties2 number e.g. No data`."""
    files = {
        "a.txt": "= A =\n\nInfobox\n- Strength: No data\n- Born: unknown\n\nText.\n",
        "b.txt": "= B =\n\nInfobox\n- Strength: 5,000 men\n- Born: 3 March 1901\n\nText.\n",
        "c.txt": "= C =\n\nInfobox\n- Strength: 700\n- Born: 1899\n\nText.\n",
    }
    with open_corpus(tmp_path, files) as searcher:
        infos = {info.name: info for info in searcher.fields()}
    assert (infos["strength"].kind, infos["strength"].example) == ("number", "5,000 men")
    assert (infos["born"].kind, infos["born"].example) == ("date", "3 March 1901")
    assert infos["strength"].articles == infos["born"].articles == 3


def test_a_date_hit_shows_the_line_whose_date_overlaps(tmp_path: Path) -> None:
    """`term_end:1965` showed `Term End: October 26, 1967`, whose end alone is after 1965
    began, not `Term End1: August 14, 1965` (Harry McPherson; a bug hunt)."""
    infobox = ("- Term Start: February 11, 1966\n- Term End: October 26, 1967\n"
               "- Term Start1: August 23, 1964\n- Term End1: August 14, 1965\n")
    with open_corpus(tmp_path, {"h.txt": f"= H =\n\nInfobox\n{infobox}\nText.\n"}) as searcher:
        [hit] = searcher.search("term_end:1965").hits
        assert (hit.snippet, list(hit.marked())) == ("Term End1: August 14, 1965", ["August 14, 1965"])
        [hit] = searcher.search("term_end:1967").hits
        assert (hit.snippet, list(hit.marked())) == ("Term End: October 26, 1967", ["October 26, 1967"])


def test_a_range_after_an_update_of_a_value_of_close_numbers(tmp_path: Path) -> None:
    """`1953 and 1956 people` gave its document twice in the postings of their shared coarse
    terms, and once an update wrote that article into a segment of its own, `strength:>5`
    raised Whoosh's AssertionError (a differential test of updates against rebuilds)."""
    files = {f"x{number}.txt": f"= X{number} =\n\nInfobox\n- Strength: {number + 1} people\n\nA strike.\n"
             for number in range(10)}
    files["a.txt"] = "= A =\n\nInfobox\n- Strength: 1953 and 1956 people\n\nA strike.\n"
    with open_corpus(tmp_path, files) as searcher:
        before = found(searcher, "strength:>5")
    write_article(tmp_path / "corpus", "a.txt", files["a.txt"] + "Edited.\n")
    assert update_index(tmp_path / "corpus", tmp_path / "index").updated == ["a.txt"]
    with Searcher.open(tmp_path / "index", update=False) as searcher:
        assert found(searcher, "strength:>5") == before == {"A", "X5", "X6", "X7", "X8", "X9"}
        assert found(searcher, "strike strength:[1000 TO 2000]") == {"A"}
