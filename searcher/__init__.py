"""searcher: full-text search over encyclopedia articles about the Gulag uprisings of 1953.

    from searcher import Searcher
    with Searcher.open() as s:
        for hit in s.search("amnesty", uprising=["Vorkuta uprising"]).hits:
            print(hit.article, hit.section, hit.snippet)
"""

__version__ = "0.1.0"

from .article import Article, InfoboxField, Section, parse_article, read_article
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
from .search import FacetValue, Hit, Searcher, SearchResult

__all__ = [
    "AmbiguousArticle",
    "Article",
    "ArticleError",
    "ArticleNotFound",
    "CorpusError",
    "FacetValue",
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
