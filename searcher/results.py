"""What a search returns: plain data, copied out of Whoosh while its searcher is open, so it
stays valid after the searcher closes; `SearchResult.to_dict` is the documented JSON.

The records are named tuples (`_asdict`, `_replace`), not dataclasses: defining a dataclass
costs a search process about 0.5 ms each, and `dataclasses` loads `inspect` (1 MB of RSS)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple


class Hit(NamedTuple):
    """One ranked section: where it is, how well it matched, and its best passage."""

    rank: int
    score: float
    article: str
    section: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    path: str
    position: int = 0  # the section's place among the article's (`show --json`'s `sections`)
    variants: tuple[str, ...] = ()
    more_in_article: int = 0

    def marked(self) -> Iterable[str]:
        """The marked words of the snippet, in order."""
        return (self.snippet[start:end] for start, end in self.highlights)


class FacetValue(NamedTuple):
    """A value of a facet, how many matching sections (`count`) and articles have it, and
    whether it is selected."""

    value: str
    count: int  # type: ignore[assignment]  # (the JSON's name; it hides `tuple.count`)
    selected: bool
    articles: int = 0


class FieldInfo(NamedTuple):
    """A field a query can name: its kind (text, number or date), the infobox keys it comes
    from, an example value, and in how many articles it appears (0 for built-in fields)."""

    name: str
    kind: str
    keys: tuple[str, ...]
    example: str
    articles: int


class SearchResult(NamedTuple):
    """A page of hits, the number of matching sections (`total`; for a query only about
    article data, the matching articles) and articles, and facet counts."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    warnings: Sequence[str] = ()
    corrected: bool = False
    articles: int = 0
    matched: str = "sections"
    # The words of the query its hits may lack: the query was relaxed (relax.py).
    relaxed: Sequence[str] = ()
    # How many hits the pages of this search hold in all: `total` less the sections the
    # per-article limit leaves out (an offset below it finds hits).
    ranked: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (README.md): keys may be added, never changed."""
        return {
            "query": self.query,
            "total": self.total,
            "articles": self.articles,
            "ranked": self.ranked,
            "matched": self.matched,
            "hits": [
                {**hit._asdict(), "highlights": [list(span) for span in hit.highlights],
                 "variants": list(hit.variants)}
                for hit in self.hits
            ],
            "facets": {
                name: [value._asdict() for value in values] for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "corrected": self.corrected,
            "relaxed": list(self.relaxed),
            "warnings": list(self.warnings),
        }
