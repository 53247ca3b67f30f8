"""The exceptions `searcher` raises: each says in one line what went wrong and where."""

from __future__ import annotations


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
