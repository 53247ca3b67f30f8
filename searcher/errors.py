"""The exceptions `searcher` raises: each says in one line what went wrong and where."""

from __future__ import annotations


def quoted(text: str, limit: int = 60) -> str:
    """`text` quoted for a one-line message: control characters escaped, long text cut."""
    shown = text if len(text) <= limit else text[:limit] + "..."
    if shown.isprintable():
        return f"'{shown}'"
    return repr(shown)


class SearcherError(Exception):
    """Base class of every error this package raises on purpose."""


class ArticleError(SearcherError):
    """An article file cannot be read or parsed (empty, not UTF-8, no title line)."""


class CorpusError(SearcherError):
    """The corpus folder is missing or unreadable."""


class IndexUnavailable(SearcherError):
    """The index is missing, unreadable, or from an incompatible version."""


class IndexLocked(SearcherError):
    """Another process kept the index locked past the timeout."""


class QueryError(SearcherError):
    """A query or filter cannot be understood."""
