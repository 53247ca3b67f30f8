"""Infobox keys and values: normalised field names and values cleaned of markup debris."""

from __future__ import annotations

import re

from .values import MONTH_AND_DAY_AT_END

INFOBOX = "Infobox"  # the name of an article's infobox as a section

# The patterns are strings run through `re`'s functions, which compile each on its first use
# and keep it: indexing cleans and splits values with them, and a search need not compile them.
_NON_ALNUM = r"[^0-9a-z]+"
_NUMBERED = r"^(?P<base>[a-z_]*[a-z])_?(?P<side>\d+)$"
# A piped link's target (`Pound sign|£`), an image's size (`*23px`) and a font size standing
# alone (`1.25em`); a size stated as a value (`Image size: 250px`) is no debris. A link's
# target is sought only where a list item begins (at the start, after `|`, `;` or `,`): sought
# at every character, it read the rest of the item from each (a 1 MB value took many minutes).
_MARKUP_DEBRIS = r"(?<![^|;,])[^|;,]*\||\*\s*\d+px\b\s*|^\d+(?:\.\d+)?em$"
_REPEATED_COMMAS = r"\s*,(?:\s*,)+"
_SPACES = r"\s+"
# A comma separates list items unless it sits between digits (`16,378`).
_LIST_SEPARATOR = r"(\s*(?:,(?!\d)|(?<!\d),)\s*|\s*;\s*)"
_YEAR_FIRST = r"[0-9]{3,4}\b"


def normalise_key(key: str) -> str:
    """`Map Type` -> `map_type`, `Partof` -> `partof`, `Commander1` -> `commander1`."""
    return re.sub(_NON_ALNUM, "_", key.casefold()).strip("_")


def shared_name(name: str) -> str | None:
    """The name a numbered field shares with its pair: `commander1` -> `commander`."""
    match = re.match(_NUMBERED, name)
    return match["base"].rstrip("_") if match else None


def clean_value(raw: str) -> str:
    """Remove markup debris (`*23px`, `1.25em`, a link target before `|`), doubled and
    trailing commas, extra spaces."""
    value = re.sub(_MARKUP_DEBRIS, " ", raw)
    # (spaces first: the commas' pattern read a long run of them again from each space)
    value = re.sub(_SPACES, " ", value)
    value = re.sub(_REPEATED_COMMAS, ",", value).strip()
    return value.strip(" ,;")


def split_values(value: str) -> tuple[str, ...]:
    """The items of a list value (`Pavel Frenkel, Mikhail Izmailov` -> two names); a date
    written month first is one item (`January 4, 1985`), and so is a bracket
    (`Texas A&M (B.A., M.A.)`)."""
    parts = re.split(_LIST_SEPARATOR, value)
    items: list[list[str]] = []  # each item's parts and the separators between them
    unclosed = 0  # how many more `(` than `)` the last item has (counted a part at a time)
    for item, separator in zip(parts[::2], ["", *parts[1::2]], strict=True):
        joined = items and (
            unclosed > 0 or (re.match(_YEAR_FIRST, item) and re.search(MONTH_AND_DAY_AT_END, items[-1][-1]))
        )
        if joined:
            items[-1] += [separator, item]
        elif item:
            items.append([item])
            unclosed = 0
        unclosed += item.count("(") - item.count(")")
    return tuple("".join(pieces) for pieces in items)
