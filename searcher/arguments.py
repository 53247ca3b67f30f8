"""The API's arguments checked: a value of the wrong kind is a `QueryError` that names the
argument and shows the value, never a failure deeper down."""

from __future__ import annotations

import math
import os
import reprlib
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import QueryError
from .values import DateInterval, parse_period


def described(value: object) -> str:
    """A value of the wrong kind as a message shows it: short, with its type."""
    return f"{reprlib.repr(value)} ({type(value).__name__})"


# The `limit` of a search for every hit (`limit=None`): a page no ranking fills.
EVERY_HIT = sys.maxsize


def limit(value: object) -> int:
    """The `limit` of a search, which must be a whole number of at least 1, or None for every
    hit (as Whoosh's `search(limit=None)`): `EVERY_HIT`."""
    if value is None:
        return EVERY_HIT
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise QueryError(
            f"limit must be a whole number of at least 1 or None (every hit), not {described(value)}"
        )
    return value


def count(value: object, what: str) -> int:
    """A whole number of at least 0, such as `per_article`."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise QueryError(f"{what} must be a whole number of at least 0, not {described(value)}")
    return value


def seconds(value: object, what: str) -> float | None:
    """A time to wait, in seconds, or None for no limit; `QueryError` naming `what` if not."""
    if value is not None and (
        not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value)
    ):
        raise QueryError(f"{what} must be a number of seconds or None, not {described(value)}")
    return value


def string(value: object, what: str) -> str:
    """`value`, which must be a string; `QueryError` saying so, naming `what`, if not."""
    if not isinstance(value, str):
        raise QueryError(f"{what} must be a string, not {described(value)}")
    return value


def folder(value: Path | str, what: str) -> Path:
    """A folder the API is given, as a path or a string; an empty name, which would be the
    current folder, is a `QueryError` naming `what` (the CLI refuses `--index ''` alike)."""
    return _path(value, what, "folder", " ('.' for the current one)")


def file(value: object, what: str) -> Path:
    """A file the API is given, as a path or a string; an empty name (the current folder) is
    a `QueryError` naming `what`."""
    return _path(value, what, "file")


def _path(value: object, what: str, kind: str, current: str = "") -> Path:
    """`value` as the path of a `kind` (folder, file); `QueryError` naming `what` for a value
    of another type or an empty name (`current` says how to name the current folder)."""
    if not isinstance(value, (str, os.PathLike)):
        raise QueryError(f"{what} must be a {kind}'s path, not {described(value)}")
    if isinstance(value, str) and not value.strip():
        raise QueryError(f"{what} is an empty name: give a {kind}{current}")
    return Path(value)


def strings(value: object, what: str) -> list[str]:
    """`value` as a list of strings (a string is one); `QueryError` naming `what` if not."""
    if isinstance(value, str):
        return [value]
    strings = []
    items = value if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)) else [value]
    for item in items:
        if not isinstance(item, str):
            raise QueryError(f"{what} must be a string or a list of strings, not {described(item)}")
        strings.append(item)
    return strings


def period(text: str) -> DateInterval:
    """A period as `--during` reads it (`1953`, `1953-07`, `A..B`); `QueryError` if not."""
    try:
        return parse_period(text)
    except ValueError as error:
        raise QueryError(str(error)) from None
