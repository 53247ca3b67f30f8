"""Typed readings of infobox values: date intervals, `--during` periods and stated numbers.

Every reader is honest: it returns a value only when the text states one clearly, and None
(never a guess, never an exception) otherwise. Only `parse_period`, which reads user input,
raises, with a one-line message.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, NamedTuple

from .errors import quoted
from .numerals import SEPARATORS

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTHS = {name: number for number, full in enumerate(_MONTH_NAMES, 1) for name in (full, full[:3])}
_MONTHS["sept"] = 9
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>[0-9]{3,4})"

# The patterns are strings run through `re`'s functions, which compile each on its first use
# and keep it: indexing reads values with them, and a search reading none (most) need not
# compile them.

# One end of an infobox date, as (day?, month?, year?); a missing part may come from the other end.
# ASCII-only case folding: `ſ` (long s) or `ı` (dotless i) would match but spell no month.
_POINTS = tuple(
    "(?ia)" + pattern
    for pattern in (
        _YEAR,                                        # 1953
        rf"(?:{_DAY}\s+)?{_MONTH}(?:,?\s+{_YEAR})?",  # 26 May 1953, 26 May, July 1953, May
        rf"{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?",       # May 26, 1953 / May 26
        rf"{_DAY}(?:,?\s+{_YEAR})?",                  # 26 (`26–28 May`), 28, 1953 (`May 26–28`)
    )
)
_RANGE_SEPARATOR = r"(?i)\s*[-‐‑‒–—―−]\s*|\s+to\s+"
_REMARKS = r"\([^()]*\)|\[[^\[\]]*\]"  # `(aged 63)`, `(as York)`, `[1]`
_CIRCA = r"(?i)\b(?:circa|ca?\.)\s*"
_SPACES = r"\s+"
_SHORT_YEAR = r"[0-9]{2}"
_YEAR_DIGITS = r"[0-9]{1,4}"
_OPEN_END = r"(?i)(?:present|now|today|ongoing)?"
# A day as the tool's own periods write it (`1953-07-19`), read as `19 Jul 1953`; a decade.
_ISO_DAY = r"\b(?P<year>[0-9]{4})-(?P<month>0[1-9]|1[0-2])-(?P<day>[0-9]{2})\b"
# (`1950's` too, as the text writes it.)
DECADE = r"(?P<decade>[0-9]{3})0['\u2019]?s"

_PERIOD_POINT = r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{1,2})(?:-(?P<day>[0-9]{1,2}))?)?"
_PERIOD_FORMS = "use YYYY, YYYY-MM, YYYY-MM-DD, a decade (1950s) or A..B"

_NUMBER = (
    "(?i)"
    # a minus sign not after a word, a number or a dash (`-6`, `−8`; `42-66` is a range), or
    # not the tail of a word or a number (nor the minutes of `4:30`)
    r"(?:(?<![\w.,:\-−])(?P<minus>[-−])|(?<![\w.,:]))"
    # grouped by threes with one kind of separator (numerals.py: `18,000`, `18 000`), or not
    rf"(?P<whole>[0-9]{{1,3}}(?P<sep>[{SEPARATORS}])[0-9]{{3}}(?:(?P=sep)[0-9]{{3}})*(?![0-9])|[0-9]+)"
    # a fraction (`87.1`), or minutes and seconds of hours (`+4:30`, `23:25`, `1:02:03`)
    r"(?:\.(?P<fraction>[0-9]+)|:(?P<minutes>[0-5][0-9])(?::(?P<seconds>[0-5][0-9]))?)?"
    r"(?!\w|\.[0-9])"                                  # not glued to letters: `23px`, `1st`
    r"(?:\s+(?P<scale>(?a:thousand|million|billion|trillion))\b)?"  # (?a:) as in _POINTS
)
# A day or a year written beside a month name (`16 May 1997`, `September 10`, `May 1953`), a
# day as `--during` writes it, and a year after `in`, `since`, `as of` (`337,846 Sundays in
# 2010`) are part of a date, never a count.
_MONTH_WORD = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_DAY_WORD = r"[0-9]{1,2}(?:st|nd|rd|th)?\b"
_DATE_PHRASE = (
    rf"(?ia)\b(?:{_DAY_WORD}\s+{_MONTH_WORD}|{_MONTH_WORD}\s+{_DAY_WORD})(?:,?\s+[0-9]{{3,4}}\b)?"
    rf"|\b{_MONTH_WORD}\s+[0-9]{{3,4}}\b|\b[0-9]{{4}}-(?:0[1-9]|1[0-2])-[0-9]{{2}}\b"
    r"|\b(?:in|since|until|as\s+of)\s+[12][0-9]{3}\b"
)
# The end of a text that a date written month first continues after a comma: `January 4`
# (`, 1985`), `July 19 – August 1` (`, 1953`).
MONTH_AND_DAY_AT_END = rf"(?ia)\b{_MONTH_WORD}\s+{_DAY_WORD}$"
_SCALES = {"": 1, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_MAX_DIGITS = 30  # longer digit runs are not counts (and `int` refuses very long ones)
# The largest number an index holds exactly, either way: a float's (53 bits), and so in
# thousandths (`THOUSANDTHS`) a Typesense int64's. A larger one is no count, and a range
# above it must still be one.
LARGEST_NUMBER = 2**53
# A number is read to the thousandth (`23:25` -> 23.417), below a trillion: from there on a
# float's step nears a thousandth, and a number is read to the unit.
THOUSANDTHS = 1000
_FRACTIONS_BELOW = 10**12

_Parts = tuple[int | None, int | None, int | None]  # day, month, year


class _Days(NamedTuple):
    start: date
    end: date


class DateInterval(_Days):
    """The days from `start` to `end`, both included."""

    __slots__ = ()

    def __new__(cls, start: date, end: date) -> DateInterval:
        if start > end:
            raise ValueError(f"interval start {start} is after its end {end}")
        return super().__new__(cls, start, end)

    # (typeshed types a named tuple's `_make` by its own class, which an override can say only
    # with `typing.Self`, from Python 3.11 on)
    @classmethod
    def _make(cls, iterable: Iterable[Any]) -> DateInterval:  # type: ignore[override]
        """The interval of two days, checked as `DateInterval(start, end)` is (a named tuple's
        `_make`, which `_replace` calls too, makes the tuple without that check)."""
        return cls(*iterable)

    def overlaps(self, other: DateInterval) -> bool:
        """Whether the two intervals share at least one day."""
        return self.start <= other.end and other.start <= self.end


def _span(day: int | None, month: int | None, year: int | None) -> DateInterval | None:
    """The day, month or year the parts name; None if they name no real date."""
    if year is None or (day is not None and month is None):
        return None
    try:
        if month is None:
            return DateInterval(date(year, 1, 1), date(year, 12, 31))
        first = date(year, month, 1)
        if day is None:
            return DateInterval(first, first.replace(day=calendar.monthrange(year, month)[1]))
        single = date(year, month, day)
    except ValueError:  # month 13, 31 February, year 0
        return None
    return DateInterval(single, single)


def _read_point(text: str) -> _Parts | None:
    """The parts of one end of an infobox date, or None if it is no date."""
    for pattern in _POINTS:
        match = re.fullmatch(pattern, text)
        if match:
            parts = match.groupdict()
            month = parts.get("month")
            return (
                int(parts["day"]) if parts.get("day") else None,
                _MONTHS[month.lower()] if month else None,
                int(parts["year"]) if parts.get("year") else None,
            )
    return None


def parse_date_interval(value: str) -> DateInterval | None:
    """The days an infobox date value covers: `26 May – 4 August 1953` -> 26 May..4 August 1953.

    Reads a day, month or year, or a range of two (en/em dash, hyphen or `to`); the start may
    leave out what it shares with the end (`26–28 May 1953`, `May 26–28, 1953`, `1953–54`).
    An open end (`1969–present`, `2013–`: still going on when the article was written) reaches
    the last day there is. A day may be written as `--during` writes it (`1953-07-19`), and a
    decade stands alone (`1950s`). Remarks in brackets and `c.`/`circa` are ignored. Extra words (`16
    May 1997 in Mexico City`), an impossible date or a start after the end give None.
    """
    text = re.sub(_CIRCA, "", re.sub(_REMARKS, " ", value))
    text = re.sub(_SPACES, " ", text).strip(" ,;.")
    if decade := re.fullmatch(DECADE, text):
        return _decade(decade)
    text = re.sub(
        _ISO_DAY, lambda day: f"{day['day']} {_MONTH_NAMES[int(day['month']) - 1]} {day['year']}", text
    )
    sides = re.split(_RANGE_SEPARATOR, text)
    points = [_read_point(side) for side in sides]
    if len(points) == 1 and points[0] is not None:
        return _span(*points[0])
    if len(points) == 2 and points[0] is not None and re.fullmatch(_OPEN_END, sides[1]):
        first = _span(*points[0])
        return None if first is None else DateInterval(first.start, date.max)
    if len(points) != 2:
        return None
    start, end = points
    if start is None or end is None:
        return None
    (day1, month1, year1), (day2, month2, year2) = start, end
    # `1953–54`: the end, read as a day, is a later year of the same century.
    only_years = (day1, month1, month2, year2) == (None,) * 4
    if only_years and year1 is not None and day2 is not None and re.fullmatch(_SHORT_YEAR, sides[1]):
        year2, day2 = year1 // 100 * 100 + day2, None
        if year2 <= year1:
            return None
    year1 = year2 if year1 is None else year1
    if month1 is None and day1 is not None and day2 is not None:
        month1 = month2  # `26–28 May 1953`
    if month2 is None and day2 is not None and day1 is not None:
        month2 = month1  # `May 26–28, 1953`
    first, last = _span(day1, month1, year1), _span(day2, month2, year2)
    if first is None or last is None or first.start > last.end:
        return None
    return DateInterval(first.start, last.end)


def _decade(match: re.Match[str]) -> DateInterval | None:
    """The years of a decade (`1950s`); None for `0000s` (there is no year 0)."""
    year = int(match["decade"]) * 10
    return DateInterval(date(year, 1, 1), date(year + 9, 12, 31)) if year else None


def _period_point(text: str, whole: str) -> DateInterval:
    """The day, month, year or decade a `--during` end names; ValueError naming `whole`
    otherwise."""
    text = text.strip()
    decade, match = re.fullmatch(DECADE, text), re.fullmatch(_PERIOD_POINT, text)
    parts = match.group("day", "month", "year") if match else (None, None, None)
    span = _decade(decade) if decade else _span(*(int(part) if part else None for part in parts))
    if span is None and (match or decade):  # the form of one, naming no day, month or year
        raise ValueError(f"invalid period {whole!r}: {text} names no date of the calendar")
    if span is None:
        raise ValueError(f"invalid period {whole!r}: {_PERIOD_FORMS}")
    return span


def parse_period(text: str) -> DateInterval:
    """The user's `--during` period: `1953`, `1953-07`, `1953-07-25`, a decade (`1950s`), or
    `A..B` of two of them.

    Either end of a range may be left open (`1953-06..`, `..1953-07`): it then reaches
    `date.min` or `date.max`. Raises ValueError with a one-line message on anything else.
    """
    if ".." not in text:
        return _period_point(text, text)
    left, _, right = text.partition("..")
    if not left.strip() and not right.strip():
        raise ValueError(f"invalid period {text!r}: {_PERIOD_FORMS}")
    start = _period_point(left, text).start if left.strip() else date.min
    end = _period_point(right, text).end if right.strip() else date.max
    if start > end:
        raise ValueError(f"invalid period {text!r}: start {start} is after end {end}")
    return DateInterval(start, end)


def written_as_period(text: str) -> bool:
    """Whether a word is written as a `--during` period (`1953`, `1953-07`, `1953-06..`), though
    it may name none (`1953-13`, `1953-07..1953-06`: `parse_period` says why)."""
    if text in ("", ".."):
        return False
    ends = text.split("..", 1)
    return all(not end or re.fullmatch(_PERIOD_POINT, end) or re.fullmatch(DECADE, end) for end in ends)


def parse_number(value: str) -> int | float | None:
    """The first number a value states (`numbers_with_spans`): `16,378 people` -> 16378,
    `1.80 m` -> 1.8, `No data` -> None."""
    return next((number for number, _ in numbers_with_spans(value)), None)


def _blank(match: re.Match[str]) -> str:
    """Spaces for what a match holds (the spans of a value stay those it is written at)."""
    return " " * len(match[0])


def parse_numbers(value: str) -> list[int | float]:
    """Every number a value states, in order (`numbers_with_spans`): `37–700 killed` ->
    [37, 700], `381,310 weekdays, 546,819 Saturdays` -> [381310, 546819]."""
    return [number for number, _ in numbers_with_spans(value)]


def numbers_with_spans(value: str) -> Iterator[tuple[int | float, tuple[int, int]]]:
    """The numbers a value states, each with where it is written in the value: an int when it
    is whole (`2.0` -> 2), else a float.

    Words around them are ignored (`about 5,000`, `c. 5000`, `~5000`, `5000+`), a range gives
    both ends (`42–66 killed`), a list each item (`42 killed, 135 wounded`), and a minus sign
    makes a number negative (`-6`, `−8`). `,` or a space (of any width) before exactly three
    digits groups thousands (`18 000` -> 18000), one kind a number; otherwise it ends the
    number (`1,5` -> 1). A point is a decimal point: a fraction is kept, to the thousandth
    (`87.1% White` -> 87.1, `1.80 m` -> 1.8), and minutes (and seconds) are parts of hours
    (`+4:30` -> 4.5, `-3:30` -> -3.5; `4:3` is 4). `thousand`/`million`/`billion`/`trillion`
    scale it (`1.5 million`). A number glued to letters (`23px`, `1st`) is skipped. A day or
    a year beside a month name is part of a date, not a count (`16 May 1997 in Mexico City`,
    `September 10`), and a remark in brackets is no value (`60,000 (2014)`, `[1]`). A number
    beyond `LARGEST_NUMBER` either way is skipped.
    """
    for match in re.finditer(_NUMBER, re.sub(_DATE_PHRASE, _blank, re.sub(_REMARKS, _blank, value))):
        fraction = match["fraction"] or ""
        digits = match["whole"].replace(match["sep"] or ",", "") + fraction
        if len(digits) > _MAX_DIGITS:
            continue
        scaled = int(digits) * _SCALES[(match["scale"] or "").lower()]
        if fraction or match["minutes"]:
            minutes, seconds = int(match["minutes"] or 0), int(match["seconds"] or 0)
            number = _to_the_thousandth(scaled, len(fraction), minutes, seconds)
        else:
            number = scaled
        if abs(number) <= LARGEST_NUMBER:
            yield (-number if match["minus"] else number), match.span()


def _to_the_thousandth(scaled: int, decimals: int, minutes: int, seconds: int) -> int | float:
    """`scaled` with its last `decimals` digits after the point, plus minutes and seconds
    (sixtieths and 3600ths), to the thousandth: an int when that is whole (to the unit from a
    trillion)."""
    from fractions import Fraction  # (here: a search rarely reads a number with a fraction)

    exact = Fraction(scaled, 10**decimals) + Fraction(minutes, 60) + Fraction(seconds, 3600)
    if exact >= _FRACTIONS_BELOW:
        return round(exact)
    thousandths = round(exact * THOUSANDTHS)
    return thousandths // THOUSANDTHS if thousandths % THOUSANDTHS == 0 else thousandths / THOUSANDTHS


def parse_year(text: str) -> str:
    """A `year` filter value as the index writes years (`0953` -> `953`). Raises ValueError
    with a one-line message unless it is 1 to 4 digits, not all zeros (there is no year 0)."""
    if not re.fullmatch(_YEAR_DIGITS, text.strip()) or not int(text):
        raise ValueError(f"{quoted(text)} is not a year (1 to 9999, e.g. 1953)")
    return str(int(text))
