"""Tests of `searcher.values`: infobox dates and numbers, and `--during` periods."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searcher.values import (
    DateInterval,
    parse_date_interval,
    parse_number,
    parse_numbers,
    parse_period,
    written_as_period,
)
from tests.realdata import article_files

FIELD = re.compile(r"^- (?P<key>[^:]+): (?P<value>.*)$")
DATE_KEY = re.compile(r"date|year|founded|born|birth|death", re.IGNORECASE)
NUMBER_KEY = re.compile(r"strength|casualties|employees|population", re.IGNORECASE)


def days(start: str, end: str | None = None) -> DateInterval:
    """The interval between two ISO dates (one day if `end` is left out)."""
    return DateInterval(date.fromisoformat(start), date.fromisoformat(end or start))


# --- infobox dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("26 May – 4 August 1953", days("1953-05-26", "1953-08-04")),  # Norilsk: year stated once
        ("19 July 1953 – 1 August 1953", days("1953-07-19", "1953-08-01")),  # Vorkuta
    ],
)
def test_corpus_dates(value: str, expected: DateInterval) -> None:
    assert parse_date_interval(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("May 26 – August 4, 1953", days("1953-05-26", "1953-08-04")),
        ("July 21, 1968", days("1968-07-21")),
        ("January 4, 1985", days("1985-01-04")),
        ("5 March 1980", days("1980-03-05")),
        ("26th May 1953", days("1953-05-26")),
        ("July 1953", days("1953-07-01", "1953-07-31")),
        ("February 1952", days("1952-02-01", "1952-02-29")),  # leap year
        ("1953", days("1953-01-01", "1953-12-31")),
        ("1962–1983", days("1962-01-01", "1983-12-31")),
        ("1953–54", days("1953-01-01", "1954-12-31")),
        ("26–28 May 1953", days("1953-05-26", "1953-05-28")),
        ("May 26–28, 1953", days("1953-05-26", "1953-05-28")),
        ("May–August 1953", days("1953-05-01", "1953-08-31")),
        ("December 1952 – January 1953", days("1952-12-01", "1953-01-31")),
        # a day as --during writes it, and a decade (neither was read: a bug hunt)
        ("1953-07-19", days("1953-07-19")),
        ("1953-07-19 – 1953-08-01", days("1953-07-19", "1953-08-01")),
        ("1953-07-19 to present", DateInterval(date(1953, 7, 19), date.max)),
        ("1950s", days("1950-01-01", "1959-12-31")),
        ("1950's", days("1950-01-01", "1959-12-31")),  # (as the search reads a decade too)
    ],
)
def test_date_forms(value: str, expected: DateInterval) -> None:
    assert parse_date_interval(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "26 May – 4 August 1953",
        "26 May—4 August 1953",  # em dash, no spaces
        "26 May - 4 August 1953",
        "26 May-4 August 1953",
        "26 May to 4 August 1953",
        "26 may – 4 AUGUST 1953",
        "26 May – 4 Aug 1953",
        "26 MAY – 4 aug. 1953",
        "c. 26 May – 4 August 1953",
        "circa 26 May – 4 August 1953",
        "26 May – 4 August 1953[1]",
        "26 May (or 22 July) – 4 August 1953 (disputed)",
        "  26 May\u00a0–\u00a04 August 1953 ,",
    ],
)
def test_date_separators_case_and_junk(value: str) -> None:
    assert parse_date_interval(value) == days("1953-05-26", "1953-08-04")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("16 February 2012 (aged 63)", days("2012-02-16")),
        ("March 6, 1834 (as Toronto)", days("1834-03-06")),
        ("1916, (current location since April 4, 1997)", days("1916-01-01", "1916-12-31")),
        ("0965 (c. 354 AH)", days("0965-01-01", "0965-12-31")),
        ("ca. 1953", days("1953-01-01", "1953-12-31")),
        ("Sept 5, 1953", days("1953-09-05")),
    ],
)
def test_date_remarks_are_ignored(value: str, expected: DateInterval) -> None:
    assert parse_date_interval(value) == expected


@pytest.mark.parametrize(
    ("value", "start"),
    [
        ("1969–present", "1969-01-01"),
        ("2012–Present", "2012-01-01"),
        ("1953 – ongoing", "1953-01-01"),
        ("2013–", "2013-01-01"),  # `Years7: 2013–`: `years:2015` finds it
        ("26 May 1953 – now", "1953-05-26"),
    ],
)
def test_an_open_end_reaches_the_last_day(value: str, start: str) -> None:
    """Still going on when the article was written: the interval overlaps every later period."""
    assert parse_date_interval(value) == DateInterval(date.fromisoformat(start), date.max)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "No data",
        "–2013",  # an open start: not a date
        "May –",  # no year
        "31 February 1953",  # no such day
        "30 February – 2 March 1953",
        "September 10",  # no year
        "26 May",
        "4 August – 26 May 1953",  # start after end
        "1953–52",
        "1953-07",  # neither a later year of the century nor a supported ISO form
        "1535 and 1542",
        "16 May 1997 in Mexico City, Mexico",  # extra words: not read with confidence
        "dd/mm/yyyy (AD)",
        "26 – August 1953",
        "1953 – 1954 – 1955",
        "1 auguſt 1953",  # long s is no `s`
    ],
)
def test_unreadable_dates_are_none(value: str) -> None:
    assert parse_date_interval(value) is None


# --- infobox numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("16,378 people", 16378),  # Norilsk Strength1
        ("No data", None),  # Norilsk Strength2, Casualties2
        ("1,000 people killed and wounded", 1000),  # Norilsk Casualties1
        ("None", None),  # Vorkuta Casualties1
        ("57 killed", 57),  # Vorkuta Casualties2
    ],
)
def test_corpus_numbers(value: str, expected: int | None) -> None:
    assert parse_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0),  # zero is a stated number
        ("0 killed", 0),
        ("about 5,000", 5000),
        ("c. 5000", 5000),
        ("~5000", 5000),
        ("5000+", 5000),
        ("1.5 million", 1_500_000),
        ("2 thousand", 2000),
        ("2 MILLION", 2_000_000),
        ("3\u00a0billion", 3_000_000_000),
        ("1.1 million", 1_100_000),  # exact, no float rounding
        ("42–66 killed", 42),  # a range gives its first number
        ("42 killed, 135 wounded", 42),
        ("1,000,000", 1_000_000),
        ("1,5", 1),  # `,` not before three digits ends the number
        ("1,5000", 1),
        ("60,000 (2014)", 60000),
        ("5,583,064 (1st)", 5583064),
        ("(1st) 7 divisions", 7),  # an ordinal is no count
        ("*23px 500 guards", 500),  # nor is an image size
        ("2.0", 2),
        # a fraction is kept (`87.1% White` was 7, its next number; bug hunt), to the thousandth
        ("1.5", 1.5), ("16.378", 16.378), ("1,115.1", 1115.1), ("87.1% White", 87.1),
        ("CAD 0.75 Monday-Friday", 0.75), ("1.80 m", 1.8), ("-0.5", -0.5), ("2.71828", 2.718),
        ("0.0004", 0),
        # hours and minutes (a UTC offset, a length): `+4:30` was 4
        ("+4:30", 4.5), ("-3:30", -3.5), ("+5:45", 5.75), ("23:25", 23.417), ("1:02:03", 1.034),
    ],
)
def test_number_forms(value: str, expected: float) -> None:
    assert parse_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2.0", 2), ("2.00", 2), ("1.5 million", 1_500_000), ("0:00", 0), ("1.5", 1.5), ("+4:30", 4.5)],
)
def test_a_whole_number_is_an_int_and_a_fraction_a_float(value: str, expected: float) -> None:
    """An integer stays one (it is written back as one), a fraction is a float."""
    number = parse_number(value)
    assert number == expected and type(number) is type(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9,007,199,254,740,992", [2**53]),  # the largest a float holds exactly: still a count
        ("9,007,199,254,740,993", []),  # past it: no count (a float would make it ...992)
        ("-9,007,199,254,740,993", []),
        ("2,565 trillion", [2_565_000_000_000_000]),
        ("999,999,999,999.5", [999_999_999_999.5]),  # a thousandth below a trillion
        ("1,000,000,000,000.4", [1_000_000_000_000]),  # from a trillion on, whole numbers
    ],
)
def test_numbers_are_no_larger_than_an_index_holds_exactly(value: str, expected: list[float]) -> None:
    """An integer is held exactly up to 2**53 (a float's, and a Typesense int64 of thousandths),
    and a thousandth below a trillion (where a float's step is still finer)."""
    assert parse_numbers(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "?", "n/a", "Unknown", "None", "No data", "auto", "1.5million", "1.5.3", "9" * 40],
)
def test_unknown_numbers_are_none(value: str) -> None:
    assert parse_number(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("37–700 killed", [37, 700]),  # a range: both ends (a comparison may want either)
        ("42-66", [42, 66]),  # a hyphen between numbers is no minus sign
        ("381,310 weekdays, 546,819 Saturdays, 337,846 Sundays", [381310, 546819, 337846]),
        ("-6", [-6]), ("−8", [-8]), ("a -5", [-5]),  # a minus sign, ASCII or U+2212
        ("+4:30", [4.5]), ("-3:30 (DST)", [-3.5]),  # hours and minutes (`+4:30` was 4; bug hunt)
        ("10:30, 11", [10.5, 11]),
        ("4:3", [4]), ("4:60", [4]), ("2:1 win", [2]),  # no minutes (two digits, to 59): as before
        ("87.1% White, 7.0% Asian, 3.0% Black, 2.0% Mixed, 0.9% others", [87.1, 7, 3, 2, 0.9]),
        ("CAD 0.75 Monday-Friday, CAD 2.00 Saturday, CAD 1.00 Sunday", [0.75, 2, 1]),
        ("Length: 10.0m, 11.0m", []), ("1.25em", []),  # glued to letters: no count
        ("5 - 3", [5, 3]),
        ("60,000 (2014)", [60000]), ("16,378 [1]", [16378]),  # remarks are no values
        ("16 May 1997 in Mexico City, 5 killed", [5]),
        ("US$ 1,230 million (2013)", [1_230_000_000]), ("$2,565 trillion", [2_565_000_000_000_000]),
        ("No data", []),
        # the year of a date is no count (`circulation:<3000` found the Toronto Star's 2010)
        ("337,846 Sundays in 2010", [337846]), ("as of 2011: 5,000", [5000]), ("in 300 cities", [300]),
        ("1953-07-19", []),
    ],
)
def test_every_number_a_value_states(value: str, expected: list[float]) -> None:
    """A comparison read only a value's first number, while a bare number matched any of
    them: `casualties:>=700` missed `37–700 killed`; and `-6` was 6 (bug hunts)."""
    assert parse_numbers(value) == expected
    assert parse_number(value) == (expected[0] if expected else None)


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1953", days("1953-01-01", "1953-12-31")),
        ("1953-07", days("1953-07-01", "1953-07-31")),
        ("1953-02", days("1953-02-01", "1953-02-28")),
        ("1953-07-25", days("1953-07-25")),
        ("1953-06-01..1953-06-30", days("1953-06-01", "1953-06-30")),
        ("1953-06..1953-07", days("1953-06-01", "1953-07-31")),
        ("1952..1953-03-05", days("1952-01-01", "1953-03-05")),
        ("1953-07-25..1953-07-25", days("1953-07-25")),
        (" 1953-06 .. 1953-07 ", days("1953-06-01", "1953-07-31")),
        ("1953-06..", DateInterval(date(1953, 6, 1), date.max)),
        ("..1953-07", DateInterval(date.min, date(1953, 7, 31))),
        ("1950s", days("1950-01-01", "1959-12-31")),  # a decade, as infobox values write one
        ("1950\u2019s", days("1950-01-01", "1959-12-31")),
        ("1940s..1953-06", days("1940-01-01", "1953-06-30")),
    ],
)
def test_period_forms(text: str, expected: DateInterval) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["53", "July 1953", "", "..", "x..1953", "1953..1954..1955", "1953/07"],
)
def test_invalid_period_names_text_and_forms(text: str) -> None:
    message = f"invalid period {text!r}: use YYYY, YYYY-MM, YYYY-MM-DD, a decade (1950s) or A..B"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_period(text)


@pytest.mark.parametrize(("text", "named"), [
    ("1953-13", "1953-13"), ("1953-02-30", "1953-02-30"), ("0000", "0000"),
    ("1953-01..1953-02-29", "1953-02-29"),
])
def test_a_period_written_as_one_that_names_no_date_says_so(text: str, named: str) -> None:
    message = f"invalid period {text!r}: {named} names no date of the calendar"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_period(text)


def test_period_start_after_end_is_an_error() -> None:
    message = "invalid period '1953-08..1953-07': start 1953-08-01 is after end 1953-07-31"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_period("1953-08..1953-07")


def test_period_error_is_one_line() -> None:
    with pytest.raises(ValueError) as error:
        parse_period("1953\n-13")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("text", ["1953", "1953-07", "1953-7", "1953-07-25", "1953-7-5", "1953..", "..1953",
                                  "1953-06..1953-07", "1953..1953-07-25"])
def test_every_period_is_written_as_one(text: str) -> None:
    parse_period(text)  # (a period)
    assert written_as_period(text)


@pytest.mark.parametrize("text", ["1953-13", "1953-02-30", "1953-00", "1953-07..1953-06"])
def test_a_period_that_names_no_days_is_still_written_as_one(text: str) -> None:
    assert written_as_period(text)
    with pytest.raises(ValueError, match="invalid period"):
        parse_period(text)


@pytest.mark.parametrize(
    "text", ["June", "99999", "53-07", "1953-1954", "..", "", "1953.07", "1953-07-25-1", "13"]
)
def test_other_words_are_not_written_as_periods(text: str) -> None:
    assert not written_as_period(text)


# --- intervals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (days("1953-07-01", "1953-07-31"), True),  # inside
        (days("1953-01-01", "1953-12-31"), True),  # around
        (days("1953-08-04"), True),  # the last day counts
        (days("1953-05-26"), True),  # and the first
        (days("1953-08-05", "1953-09-01"), False),  # the day after
        (days("1953-01-01", "1953-05-25"), False),  # up to the day before
        (DateInterval(date.min, date.max), True),
    ],
)
def test_overlaps_is_inclusive_and_symmetric(other: DateInterval, expected: bool) -> None:
    norilsk = days("1953-05-26", "1953-08-04")
    assert norilsk.overlaps(other) is expected
    assert other.overlaps(norilsk) is expected


def test_interval_start_after_end_is_rejected() -> None:
    with pytest.raises(ValueError, match="after its end"):
        days("1953-08-04", "1953-05-26")


def test_an_interval_made_or_changed_as_a_named_tuple_is_checked_too() -> None:
    norilsk = days("1953-05-26", "1953-08-04")
    assert norilsk._replace(end=date(1953, 9, 1)) == days("1953-05-26", "1953-09-01")
    assert DateInterval._make([date(1953, 5, 26), date(1953, 8, 4)]) == norilsk
    with pytest.raises(ValueError, match="after its end"):
        norilsk._replace(start=date(1954, 1, 1))
    with pytest.raises(ValueError, match="after its end"):
        DateInterval._make([date(1953, 8, 4), date(1953, 5, 26)])


# --- real infoboxes --------------------------------------------------------------------------


def infobox_values(key_pattern: re.Pattern[str]) -> list[str]:
    """Every `- Key: Value` value of the real articles whose key matches `key_pattern`."""
    return [
        match["value"]
        for path in article_files()  # the shared data: skipped when absent, failed under CI
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if (match := FIELD.match(line)) and key_pattern.search(match["key"])
    ]


def test_real_infobox_values_never_raise() -> None:
    dates = infobox_values(DATE_KEY)
    numbers = infobox_values(NUMBER_KEY)
    assert dates and numbers, "the data folder holds no matching fields"
    intervals = [parse_date_interval(value) for value in dates]
    assert all(interval is None or interval.start <= interval.end for interval in intervals)
    assert any(interval is not None for interval in intervals)
    counts = [parse_number(value) for value in numbers]
    assert all(count is None or count >= 0 for count in counts)
    assert any(count is not None for count in counts)


# --- properties ------------------------------------------------------------------------------

DATE_TOKENS = [
    "26", "4", "31", "54", "1953", "0965", "May", "feb", "August", "Sept.",
    " ", ",", "–", "-", " to ", "c. ", "(aged 63)", "[1]", "present",
]
date_like = st.lists(st.sampled_from(DATE_TOKENS), max_size=8).map("".join)
NUMBER_TOKENS = [
    "16", ",378", ",5", ".5", ":30", ":7", "0", " ", "million", "thousand", "px", "~", "+", "–",
    "No data", "1st",
]
number_like = st.lists(st.sampled_from(NUMBER_TOKENS), max_size=8).map("".join)


@given(st.one_of(st.text(), date_like))
def test_parse_date_interval_never_raises_and_keeps_order(value: str) -> None:
    interval = parse_date_interval(value)
    assert interval is None or interval.start <= interval.end


@given(st.one_of(st.text(), number_like))
def test_parse_number_never_raises(value: str) -> None:
    count = parse_number(value)
    assert count is None or (isinstance(count, (int, float)) and count >= 0)


@given(st.dates(min_value=date(1000, 1, 1)))  # YYYY: four digits
def test_parse_period_reads_iso_days(day: date) -> None:
    assert parse_period(day.isoformat()) == DateInterval(day, day)
