"""Query the index: ranked hits with the best passage of each section, and facet counts.

`Searcher` is the Python API the CLI is a thin layer over. Results are plain data copied out
of Whoosh while its searcher is open, so they stay valid after it closes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh import qparser, query, sorting

from .errors import CorpusError, QueryError
from .indexer import IndexReport, Notify, Progress, is_up_to_date, open_live, recorded_corpus
from .indexer import update_index
from .locations import default_corpus, default_index
from .passages import Passage, best_passage, opening
from .schema import BODY, DEFAULT_FIELDS, INFOBOX_PREFIX, article_key, infobox_field_of_line
from .schema import text_analyzer, user_field_aliases

_FIELD_PREFIX = re.compile(r"(?<![\w.])([A-Za-z_][\w]*):(?=\S)")
_QUOTED = re.compile(r'"[^"]*"')


@dataclass(frozen=True)
class Hit:
    """One ranked section: where it is, how well it matched, and its best passage."""

    rank: int
    score: float
    article: str
    section: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    path: str

    def marked(self) -> Iterable[str]:
        """The marked words of the snippet, in order."""
        return (self.snippet[start:end] for start, end in self.highlights)


@dataclass(frozen=True)
class FacetValue:
    """A value of a facet, how many matching sections have it, and whether it is selected."""

    value: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the total number of matching sections, and facet counts."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (README.md): keys may be added, never changed."""
        return {
            "query": self.query,
            "total": self.total,
            "hits": [
                {**asdict(hit), "highlights": [list(span) for span in hit.highlights]}
                for hit in self.hits
            ],
            "facets": {
                name: [asdict(value) for value in values] for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "warnings": self.warnings,
        }


class Searcher:
    """Search an index. Open with `Searcher.open()`; use as a context manager."""

    def __init__(self, index_dir: Path, corpus_dir: Path, report: IndexReport | None) -> None:
        self._ix, _ = open_live(index_dir)
        self._searcher = self._ix.searcher()
        self.index_dir = index_dir
        self.corpus_dir = corpus_dir
        self.report = report
        self._analyzer = text_analyzer()
        reader = self._searcher.reader()
        self._aliases = user_field_aliases([t.decode() for t in reader.lexicon("infobox_names")])
        self._parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), self._ix.schema)
        self._parser.add_plugin(qparser.FieldAliasPlugin(self._aliases))

    @classmethod
    def open(
        cls,
        index: Path | str | None = None,
        corpus: Path | str | None = None,
        *,
        update: bool = True,
        progress: Progress | None = None,
        notify: Notify | None = None,
    ) -> Searcher:
        """Open the index, first bringing it up to date with its corpus when `update` is true.

        `index` defaults to `$SEARCHER_INDEX`, a checkout's `index/` or a per-user cache folder;
        `corpus` to `$SEARCHER_CORPUS`, the corpus the index was built from, or the bundled one.
        `notify` receives one-line messages (building, waiting for a lock, skipped files).
        """
        index_dir = Path(index) if index is not None else default_index()
        corpus_dir = Path(corpus) if corpus is not None else corpus_for(index_dir)
        report = None
        if update:
            try:
                up_to_date = is_up_to_date(corpus_dir, index_dir)
            except CorpusError:
                if recorded_corpus(index_dir) is None and not (index_dir / "CURRENT").exists():
                    raise
                up_to_date = True  # the corpus is gone: search the index as it is
                if notify:
                    notify(f"corpus folder not found: {corpus_dir}; searching the index as it is")
            if not up_to_date:
                report = update_index(corpus_dir, index_dir, progress=progress, notify=notify)
                if notify:
                    for problem in report.new_problems.values():
                        notify(f"skipped {problem}")
        return cls(index_dir, corpus_dir, report)

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()

    def uprisings(self) -> list[str]:
        """The titles of every article in the index, sorted."""
        reader = self._searcher.reader()
        return sorted(term.decode("utf-8") for term in reader.lexicon("article"))

    def search(
        self,
        text: str,
        *,
        uprising: Sequence[str] = (),
        limit: int = 10,
        facets: bool = True,
    ) -> SearchResult:
        """Ranked hits for a query in Whoosh's query language.

        `uprising` keeps only sections of those articles (titles, any case; any of them).
        Facet counts ignore that filter, so they show what choosing another would add.
        """
        if limit < 1:
            raise QueryError(f"limit must be at least 1, not {limit}")
        parsed = self._parse(text)
        selected = self._selected_titles(uprising)
        warnings = [] if _has_terms(parsed) or not text.strip() else [
            f"'{text}' has only common words (like 'the', 'of'), which are not indexed"
        ]
        sort_key = [sorting.ScoreFacet(), sorting.FieldFacet("article"), sorting.FieldFacet("position")]
        article_facet = sorting.FieldFacet("article", maptype=sorting.Count)
        filter_query = query.Or([query.Term("article", title) for title in selected]) if selected else None
        results = self._searcher.search(
            parsed,
            limit=limit,
            sortedby=sort_key,
            filter=filter_query,
            groupedby=article_facet if facets and not selected else None,
            terms=True,
        )
        hits = [self._hit(rank, hit, parsed) for rank, hit in enumerate(results, 1)]
        counts: dict[str, int] = {}
        if facets:
            grouped = results if not selected else self._searcher.search(
                parsed, limit=1, groupedby=article_facet
            )
            counts = grouped.groups("article")
        facet_values = [
            FacetValue(value, count, value in selected)
            for value, count in counts.items()
        ] + [FacetValue(value, 0, True) for value in selected if value not in counts]
        facet_values.sort(key=lambda v: (-v.count, v.value))
        return SearchResult(
            query=text,
            total=len(results),
            hits=hits,
            facets={"article": facet_values} if facets else {},
            warnings=warnings,
        )

    def _parse(self, text: str) -> query.Query:
        if not text.strip():
            raise QueryError("empty query: give at least one word to search for")
        known = {name for names in self._aliases.values() for name in names}
        for name in _FIELD_PREFIX.findall(_QUOTED.sub(" ", text)):
            if name not in known:
                raise QueryError(
                    f"unknown field '{name}' in query '{text}'; known fields: "
                    + ", ".join(sorted(known))
                )
        try:
            return self._parser.parse(text)
        except Exception as error:  # Whoosh's parser raises assorted errors on odd input
            raise QueryError(f"cannot parse query '{text}': {error}") from None

    def _selected_titles(self, uprisings: Sequence[str]) -> list[str]:
        """The exact titles the `uprising` filter values name; `QueryError` for an unknown one."""
        titles = {article_key(title): title for title in self.uprisings()}
        selected = []
        for wanted in uprisings:
            title = titles.get(article_key(wanted.strip()))
            if title is None:
                raise QueryError(
                    f"unknown uprising '{wanted}'; the index has: " + ", ".join(titles.values())
                )
            selected.append(title)
        return selected

    def _hit(self, rank: int, hit: Any, parsed: query.Query) -> Hit:
        """Copy what a Whoosh hit says into a `Hit`, with its passage."""
        matched: dict[str, set[str]] = {}
        for fieldname, term in hit.matched_terms():
            matched.setdefault(fieldname, set()).add(term.decode("utf-8"))
        stored = hit.fields()
        passage = self._passage(stored["body"], BODY, matched, parsed)
        if passage is None:
            passage = self._infobox_passage(stored.get("infobox", ""), matched, parsed)
        if passage is None:
            passage = opening(stored["body"])
        return Hit(
            rank=rank,
            score=round(-hit.score[0], 6),  # the ScoreFacet sort key is the negated score
            article=stored["article"],
            section=stored["section"],
            snippet=passage.text,
            highlights=passage.spans,
            path=stored["path"],
        )

    def _passage(
        self, text: str, fieldname: str, matched: dict[str, set[str]], parsed: query.Query
    ) -> Passage | None:
        terms = matched.get(fieldname, set())
        if not terms:
            return None
        phrases = [
            leaf.words for leaf in parsed.leaves()
            if isinstance(leaf, query.Phrase) and leaf.fieldname == fieldname
        ]
        single = {leaf.text for leaf in parsed.leaves() if isinstance(leaf, query.Term)}
        phrase_only = {word for words in phrases for word in words} - single
        return best_passage(text, self._analyzer, terms - phrase_only, phrases)

    def _infobox_passage(
        self, infobox: str, matched: dict[str, set[str]], parsed: query.Query
    ) -> Passage | None:
        """The infobox line holding a matched infobox field, for hits matched only there."""
        for fieldname in sorted(f for f in matched if f.startswith(INFOBOX_PREFIX)):
            for line in infobox.splitlines():
                if infobox_field_of_line(line, fieldname):
                    passage = self._passage(line, fieldname, matched, parsed)
                    if passage is not None:
                        return passage
        return None


def corpus_for(index_dir: Path) -> Path:
    """The corpus an index answers for when the user names none."""
    if os.environ.get("SEARCHER_CORPUS"):
        return Path(os.environ["SEARCHER_CORPUS"])
    return recorded_corpus(index_dir) or default_corpus()


def _has_terms(parsed: query.Query) -> bool:
    return parsed is not query.NullQuery and any(True for _ in parsed.leaves())
