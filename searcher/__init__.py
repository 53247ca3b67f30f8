"""searcher: full-text search over encyclopedia articles about the Gulag uprisings of 1953.

    from searcher import Searcher
    with Searcher.open() as s:
        for hit in s.search("amnesty", uprising=["Vorkuta uprising"]).hits:
            print(hit.article, hit.section, hit.snippet)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .article import Article, Block, InfoboxField, Section, parse_article, read_article
    from .errors import (
        AmbiguousArticle,
        ArticleError,
        ArticleNotFound,
        CorpusError,
        IndexLocked,
        IndexNotWritable,
        IndexUnavailable,
        QueryError,
        SearcherError,
    )
    from .indexer import IndexReport, update_index
    from .results import FacetValue, FieldInfo, Hit, SearchResult
    from .search import Searcher

# The names `from searcher import NAME` gives, by the module they come from. Each module is
# imported on the first use of one of its names (PEP 562), so that `import searcher.cli`, or
# `searcher --help`, does not load Whoosh.
_EXPORTS = {
    "article": ("Article", "Block", "InfoboxField", "Section", "parse_article", "read_article"),
    "errors": (
        "AmbiguousArticle", "ArticleError", "ArticleNotFound", "CorpusError", "IndexLocked",
        "IndexNotWritable", "IndexUnavailable", "QueryError", "SearcherError",
    ),
    "indexer": ("IndexReport", "update_index"),
    "results": ("FacetValue", "FieldInfo", "Hit", "SearchResult"),
    "search": ("Searcher",),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'searcher' has no attribute '{name}'")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups find it without coming here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULE_OF})


__all__ = [
    "AmbiguousArticle",
    "Article",
    "ArticleError",
    "ArticleNotFound",
    "Block",
    "CorpusError",
    "FacetValue",
    "FieldInfo",
    "Hit",
    "IndexLocked",
    "IndexNotWritable",
    "IndexReport",
    "IndexUnavailable",
    "InfoboxField",
    "QueryError",
    "SearchResult",
    "Searcher",
    "SearcherError",
    "Section",
    "__version__",
    "parse_article",
    "read_article",
    "update_index",
]
