"""The exceptions `searcher` raises: each says in one line what went wrong and where."""

from __future__ import annotations

from collections.abc import Iterable

# How many names a message lists, at most.
MAX_NAMES = 10


# What text from the articles or a client may hold that a terminal acts on rather than shows:
# control characters (escape sequences begin with one; a tab is left as it is), the line and
# paragraph separators, and the bidirectional embeddings, overrides and isolates (U+202A-
# U+202E, U+2066-U+2069), which reorder the rest of a line. Written escaped, as the standard
# library's request log does: a message stays one line.
_TERMINAL_ACTS_ON = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (*range(0x09), *range(0x0A, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029,
                 *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}


def terminal_safe(text: str) -> str:
    """Text as a terminal should get it: what it would act on (`_TERMINAL_ACTS_ON`) escaped."""
    return text.translate(_TERMINAL_ACTS_ON)


def quoted(text: str, limit: int = 60) -> str:
    """`text` quoted for a one-line message: control characters escaped, long text cut."""
    shown = text if len(text) <= limit else text[:limit] + "..."
    if shown.isprintable():
        return f"'{shown}'"
    return repr(shown)


def plural(count: int, word: str) -> str:
    """`word` as a message puts it after `count` (`1 article`, `2 articles`)."""
    return word if count == 1 else word + "s"


def listed(names: Iterable[str]) -> str:
    """The names in order, at most `MAX_NAMES` of them, for a message; when there are more,
    how many."""
    every = sorted(names)
    return ", ".join(every[:MAX_NAMES]) + _and_more(len(every) - MAX_NAMES)


def closest(wanted: str, names: Iterable[str], see: str | None = None) -> str:
    """The names most like `wanted`, at most `MAX_NAMES` of them, for a message; when there
    are more, how many, and the command `see` that lists them all. Case does not count: the
    names asked for (fields, titles) are read in any case."""
    import difflib  # here: only a failing command needs it

    every = sorted(set(names))
    if not every:
        return "none"
    by_folded: dict[str, list[str]] = {}
    for name in every:
        by_folded.setdefault(name.casefold(), []).append(name)
    nearest = difflib.get_close_matches(wanted.casefold(), by_folded, n=MAX_NAMES, cutoff=0)
    shown = [name for folded in nearest for name in by_folded[folded]][:MAX_NAMES]
    return ", ".join(shown) + _and_more(len(every) - len(shown), see)


def _and_more(more: int, see: str | None = None) -> str:
    """How many names a message leaves out (none: nothing), and the command `see` that lists
    them all."""
    return f" … and {more:,} more" + (f"; see `{see}`" if see else "") if more > 0 else ""


class SearcherError(Exception):
    """Base class of every error this package raises on purpose."""


class AmbiguousArticle(SearcherError):
    """A title names several article files; their paths tell them apart."""


class ArticleError(SearcherError):
    """An article file cannot be read or parsed (empty, not UTF-8, no title line)."""


class ArticleNotFound(SearcherError):
    """No article in the index has the title or path asked for."""


class CorpusError(SearcherError):
    """The corpus folder is missing or unreadable."""


class IndexUnavailable(SearcherError):
    """The index is missing, unreadable, or from an incompatible version."""


class IndexNotWritable(SearcherError):
    """The index folder, or its lock, cannot be written (read-only place, permissions)."""


class IndexLocked(SearcherError):
    """Another process kept the index locked past the timeout."""


class QueryError(SearcherError):
    """A query or filter cannot be understood."""
