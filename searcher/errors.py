"""The exceptions `searcher` raises: each says in one line what went wrong and where, and
what to do in the words of the interface that tells it (`Advice`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

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


def counted(count: int, word: str) -> str:
    """`count` and `word` as a message puts them (`1 article`, `1,025 sections`)."""
    return f"{count:,} {word if count == 1 else word + 's'}"


def listed(names: Iterable[str]) -> str:
    """The names in order, at most `MAX_NAMES` of them, for a message; when there are more,
    how many."""
    every = sorted(names)
    return ", ".join(every[:MAX_NAMES]) + _and_more(len(every) - MAX_NAMES)


def closest(wanted: str, names: Iterable[str], see: str | None = None) -> str:
    """The names most like `wanted`, at most `MAX_NAMES` of them, for a message; when there
    are more, how many, and `see`, what lists them all (an `Advice`'s). Case does not count:
    the names asked for (fields, titles) are read in any case."""
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
    """How many names a message leaves out (none: nothing), and `see`, what lists them all."""
    return f" … and {more:,} more" + (f"; see {see}" if see else "") if more > 0 else ""


class Advice(NamedTuple):
    """What an error's advice names, in the words of one interface: the command line's and
    Python's (`COMMAND_LINE`), or another's (the HTTP API's, web.py)."""

    fields: str  # what lists every field a query, a filter or a facet can name
    titles: str  # what lists every article's title
    year_filter: str  # the filter of the articles of a year
    title_filter: str  # the filter of the articles of a title
    article: Callable[[str], str]  # how to ask for the article of a file path


def _show_command(path: str) -> str:
    """The command that shows the article of a file path."""
    import shlex  # here: only a failing command needs it

    return f"`searcher show {shlex.quote(path)}`"


COMMAND_LINE = Advice(
    fields="`searcher fields`",
    titles="`searcher facets`",
    year_filter="`--year YEAR` (`filters={'year': ...}` in Python)",
    title_filter="`--uprising NAME` (`uprising=` in Python)",
    article=_show_command,
)


class SearcherError(Exception):
    """Base class of every error this package raises on purpose.

    A message that advises what to do may name what the advice points to as an interface
    names it: the message is then a function of an `Advice`; `str()` is its command line's
    and Python's words (`COMMAND_LINE`), `told(advice)` another interface's.
    """

    def __init__(self, message: str | Callable[[Advice], str]) -> None:
        self._advised = None if isinstance(message, str) else message
        super().__init__(message if isinstance(message, str) else message(COMMAND_LINE))

    def told(self, advice: Advice) -> str:
        """The message, with its advice in the words of `advice`."""
        return str(self) if self._advised is None else self._advised(advice)

    def __reduce__(self) -> tuple[type[SearcherError], tuple[str]]:
        """Pickled as its message (as another process gets an error), without the function
        of its advice, which may not pickle."""
        return type(self), (str(self),)


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
