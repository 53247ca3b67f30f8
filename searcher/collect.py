"""Collect a query's matches: every match scored, filtered and grouped by article, a page of
hits that no article crowds, and facet counts of articles and of sections.

Whoosh finds and scores every match (a collector that keeps them all, so totals and counts
are exact); what is done with them is plain Python. Filters are about articles (`--result`,
`--during`, `--uprising`), so each becomes the set of articles it keeps, and a facet's counts
are those of the matches that every other filter keeps. Each article's title and facet values
are read once per open index (`ArticleData`), not on every search.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any, NamedTuple

from whoosh import collectors, query
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher as WhooshSearcher

from .schema import ARTICLE, ARTICLE_KIND, FACET_VALUES, PATH
from .scope import ARTICLES

# By default no article holds more than this many hits of a page.
PER_ARTICLE = 3


class Match(NamedTuple):
    """A matching document: its number, score and article file."""

    docnum: int
    score: float
    article: str


class FacetCount(NamedTuple):
    """How many matching sections and articles have a facet value."""

    sections: int
    articles: int


class Collected(NamedTuple):
    """A page of matches, each with how many more of its article's matches the per-article
    limit left off the page (told on the article's last hit shown), and the counts over all
    matches: `ranked` is how many the pages of the ranking hold in all."""

    page: list[tuple[Match, int]]
    total: int
    articles: int
    ranked: int
    counts: dict[str, dict[str, FacetCount]]


class ArticleData:
    """The matches of queries with their articles, and each article's title and facet values,
    by article file, read from an open index when first needed (it never changes while
    open)."""

    def __init__(self, searcher: WhooshSearcher) -> None:
        self._searcher = searcher
        self._facets: dict[str, dict[str, list[str]]] = {}
        self._files: dict[int, str] = {}  # article document -> article file, as read

    @cached_property
    def titles(self) -> dict[str, str]:
        """Every article's title by its file."""
        return {stored[PATH]: stored[ARTICLE] for stored in self._searcher.documents(kind=ARTICLE_KIND)}

    def facets(self, matches: Mapping[str, int]) -> dict[str, dict[str, list[str]]]:
        """The facet values of articles, given a document of each (article file -> docnum)."""
        reader = self._searcher.reader()
        for path, docnum in matches.items():
            if path not in self._facets:
                stored = reader.stored_fields(self._article_doc(docnum))
                self._facets[path] = {**stored.get(FACET_VALUES, {}), "article": [stored[ARTICLE]]}
        return {path: self._facets[path] for path in matches}

    @cached_property
    def _article_docnums(self) -> list[int]:
        return sorted(documents(self._searcher, ARTICLES))

    def _article_doc(self, docnum: int) -> int:
        """A document's article document: the first of its group, the last at or before it."""
        return self._article_docnums[bisect_right(self._article_docnums, docnum) - 1]

    @cached_property
    def _paths(self) -> Any:
        """The article file of each document: a column, read once (reading its offsets
        costs more than most searches)."""
        return self._searcher.reader().column_reader(PATH)

    def file(self, docnum: int) -> str:
        """The article file of a document, read from the column once per article (finding
        the article document costs a quarter of reading the column)."""
        article = self._article_doc(docnum)
        path = self._files.get(article)
        if path is None:
            path = self._files[article] = self._paths[article]
        return path

    def matching(self, articles: query.Query) -> set[str]:
        """The files of the articles (article documents) a query matches."""
        found = documents(self._searcher, query.And([ARTICLES, articles]))
        return {self.file(docnum) for docnum in found}

    def every_match(self, parsed: query.Query) -> list[Match]:
        """Every document the query matches, with its score and article file.

        An OR of three or more parts (each word of a query is one, over the text fields) is
        matched by a tree of unions on an index of over 5,000 documents, but on a smaller one
        by preloading arrays of 2,048 scores per part, cleared in Python: a fifth of a query's
        time on 1,000 sections. `needs_current` asks Whoosh for the tree on every index, so
        scores are also summed in the same order whatever the index's size."""
        collector = collectors.UnlimitedCollector()
        self._searcher.search_with_collector(parsed, collector, self._searcher.context(needs_current=True))
        return [Match(docnum, score, self.file(docnum)) for score, docnum in collector.items]

    def every_doc(self, parsed: query.Query) -> dict[int, str]:
        """Every document the query matches with its article file, unscored: for what needs
        no score (a count, which articles match), at a fraction of `every_match`'s cost."""
        return {docnum: self.file(docnum) for docnum in documents(self._searcher, parsed)}


def documents(searcher: WhooshSearcher, parsed: query.Query) -> Iterator[int]:
    """The documents a query matches, unscored: Whoosh's `docs_for_query`, asking for the
    matchers that `ArticleData.every_match` explains (they find the same documents)."""
    context = searcher.boolean_context().set(needs_current=True)
    for leaf, offset in searcher.leaf_searchers():
        try:
            matched = parsed.matcher(leaf, context).all_ids()
        except TermNotFound:  # as `docs_for_query`: a term gone from the index matches nothing
            continue
        yield from (offset + docnum for docnum in matched)


def kept_count(files: Iterable[str], filters: Mapping[str, set[str]]) -> int:
    """How many matches (given by their article files) every filter keeps."""
    return sum(1 for file in files if _kept(file, filters, None))


def collect(
    matches: list[Match],
    *,
    limit: int,
    per_article: int,
    filters: Mapping[str, set[str]],
    facets: Collection[str],
    data: ArticleData,
    offset: int = 0,
) -> Collected:
    """The page and counts of `matches` whose articles every filter keeps.

    Ranked by score, then article file, then document order (the article's section order);
    with `per_article` > 0, no article holds more than that many hits of the ranking. The
    page is `limit` hits of that ranking after its first `offset` (earlier pages); an
    article's last hit on it says how many of its matches neither it nor an earlier page
    shows. A facet's counts apply every filter but its own.
    """
    per_file = Counter(match.article for match in matches)
    kept = [match for match in matches if _kept(match.article, filters, None)]
    kept.sort(key=lambda match: (-match.score, match.article, match.docnum))
    page: list[Match] = []
    shown: Counter[str] = Counter()
    skipped = 0
    for match in kept:
        if len(page) == limit:
            break
        if not per_article or shown[match.article] < per_article:
            if skipped < offset:
                skipped += 1
            else:
                page.append(match)
            shown[match.article] += 1
    last = {match.article: index for index, match in enumerate(page)}
    per_kept_file = Counter(match.article for match in kept)
    left_off = per_kept_file - shown if per_article else Counter()
    values = data.facets({match.article: match.docnum for match in matches}) if facets else {}
    counts = {name: _facet_counts(per_file, name, filters, values) for name in facets}
    return Collected(
        page=[
            (match, left_off[match.article] if last[match.article] == index else 0)
            for index, match in enumerate(page)
        ],
        total=len(kept),
        articles=len(per_kept_file),
        ranked=ranked_size(per_kept_file.values(), per_article),
        counts=counts,
    )


def ranked_size(per_article_counts: Iterable[int], per_article: int) -> int:
    """How many hits a ranking holds whose articles match these many sections each, when no
    article holds more than `per_article` of them (0: no limit)."""
    return sum(min(count, per_article) if per_article else count for count in per_article_counts)


def _kept(article: str, filters: Mapping[str, set[str]], ignored: str | None) -> bool:
    return all(article in allowed for name, allowed in filters.items() if name != ignored)


def _facet_counts(
    per_file: Mapping[str, int],
    name: str,
    filters: Mapping[str, set[str]],
    values: Mapping[str, dict[str, list[str]]],
) -> dict[str, FacetCount]:
    """Each value of facet `name`: the matching sections and articles that have it, among
    the matches every filter but the facet's own keeps."""
    sections: defaultdict[str, int] = defaultdict(int)
    articles: defaultdict[str, int] = defaultdict(int)
    for article, count in per_file.items():
        if _kept(article, filters, name):
            for value in values[article].get(name, ()):
                sections[value] += count
                articles[value] += 1
    return {value: FacetCount(sections[value], articles[value]) for value in sections}
