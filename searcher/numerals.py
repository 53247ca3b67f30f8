"""Numbers as people write them: `18,000`, `18 000` and `18000` are one word, `18000`.

A number whose digits are grouped by threes with a thousands separator (a comma, a space, a
no-break or a narrow no-break space; one kind of separator per number) is one token of its
digits, whose character offsets span the number as written, so a passage marks `18,000`.
A decimal part stays (`1,115.1` -> `1115.1`). A point is never a thousands separator: `3.5`
and `16.378` are decimals, as the English articles write them (and as `values.parse_number`
reads them). Groups must be exactly three digits and the number must stand alone: `1953, 200`
(a comma and a space), `19,0000`, `1,5` and `18,000km` are not grouped numbers.

The same words run at index and at query time (words.py); Whoosh's query parser splits a
query at spaces before analysing it, so query.py's `NumberTagger` keeps `18 000` together first.
"""

from __future__ import annotations

import re

# The separators a grouped number may use, one kind per number.
SEPARATORS = ",\u00a0\u202f "
GROUPED_NUMBER = (
    rf"(?<![\w.,])[0-9]{{1,3}}(?P<sep>[{SEPARATORS}])[0-9]{{3}}(?:(?P=sep)[0-9]{{3}})*"
    r"(?:\.[0-9]+)?(?!\w|[.,][0-9])"
)
_GROUPED = re.compile(GROUPED_NUMBER)
_SEPARATOR = re.compile(f"[{SEPARATORS}]")


def digits(text: str) -> str:
    """A grouped number's digits (`18,000` -> `18000`); any other text as it is."""
    return _SEPARATOR.sub("", text) if _GROUPED.fullmatch(text) else text
