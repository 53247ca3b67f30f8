"""Search a Typesense collection with the Python API and results of the Whoosh engine.

`ClusterSearcher` is a `Searcher` whose index is a Typesense collection (sync.py keeps it up
to date): the checks of arguments, filters, facet names and values, fields and articles are
the Whoosh engine's own code; a search is translated (translate.py) and sent as one
multi-search: the page (grouped by article file, at most `per_article` hits each), the
number of matching sections and their facet counts, the number of matching articles and
theirs (Typesense counts groups), and for each facet with chosen values the same counts
without its own choice. Passages are cut from the text as written around the words Typesense
matched (its highlights name them, spelling variants included).

Differences from the Whoosh engine (README "Typesense"): scores are Typesense's text-match
scores (same order of importance: every word, then field weights, then proximity), and the
typo retry is Typesense's (`num_typos`; a phrase takes its best spelling, not all of them;
a word the collection holds keeps to its likelier spellings by a filter).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, partial
from itertools import chain
from pathlib import Path
from typing import Any

from whoosh import query

from ..arguments import EVERY_HIT
from ..builds import read_as_it_is
from ..collect import FacetCount, ranked_size
from ..engine import TypesenseAddress
from ..errors import IndexUnavailable, QueryError
from ..indexer import IndexReport, Notify, Progress
from ..marks import marks, rarity
from ..passages import (
    ANALYZER,
    analysed,
    asked_words,
    infobox_passage,
    opening,
    pinpoint_passage,
    variants,
)
from ..query import QueryParser, has_terms
from ..relax import no_exact_matches, relaxable, words_as_typed
from ..results import Hit, SearchResult
from ..rewrite import Spelling, respelled
from ..schema import (
    ARTICLE,
    ARTICLE_KIND,
    ARTICLE_TITLE,
    BODY,
    END_PREFIX,
    FACET_PREFIX,
    INFOBOX_LINES,
    INFOBOX_PREFIX,
    KIND,
    NUMBER_PREFIX,
    PATH,
    POSITION,
    SECTION,
    START_PREFIX,
    TITLE,
    VALUE_KINDS,
    WORDS,
    FieldKinds,
    word_analyzer,
)
from ..scope import values_by_key
from ..search import Searcher, SearchRequest, unheld_filters
from ..suggest import suggestion
from .client import answering, connect, disconnect
from .documents import LENGTH, TEXT_FIELDS, WRITTEN, document_id, facet_text, filter_value, words
from .lexicon import Lexicon
from .retry import (
    Counts,
    Sections,
    best_phrasing,
    beyond_typos,
    field_spellings,
    held_to_likelier,
    relaxed,
    unknown,
    why_unmatched,
)
from .sync import current, live_collection, load_manifest, load_vocabulary, sync
from .translate import QUERY_BY, QUERY_BY_WEIGHTS, InOrder, Translated, in_articles, translate

# Typesense returns at most this many hits (or groups) a page.
MAX_PAGE = 250
# The hits (or groups) of Typesense's order that `_rescored` orders anew together: a window
# is fetched in whole blocks of these, each ordered on its own, so that a page's hits do not
# depend on how far it is (pages partition one ranking); hits of an article fetched beyond
# those shown, and Typesense's limit of hits a group (`_grouped`).
RESCORE_WINDOW = 50
GROUP_SPARE = 2
# Of a relaxed query, more: its words left out (and those naming the article, a filter) rank
# the hits here, not in Typesense's order, which has only `q`'s (`when did nero die` ranked
# the section on Nero's death past the first five of his that say `died`).
RELAXED_GROUP_SPARE = 12
MAX_GROUP = 99
# Hit scores are Typesense's text-match scores (64-bit numbers packing matched words, typos,
# proximity and field weight) over this: about 0.1 to 10.
TEXT_MATCH_SCALE = 1e18
# Seconds to wait, after a sync, for the node asked to have the collection (replication).
CATCH_UP = 30.0
CATCH_UP_POLL = 0.1
# Searches sent in one multi-search request, at most (Typesense's `limit_multi_searches`).
MULTI_SEARCHES = 50
# Facet values counted, at most, per facet.
MAX_FACET_VALUES = 10_000
# Fields shorter than this (all) are highlighted whole: their highlights name every word matched,
# not only those near the best match. Asked of the typo retry's hits: the suggestion's words
# must be among those it matched.
WHOLE_FIELDS = 2**31 - 1
_FOLD = word_analyzer()
# What makes a word query syntax rather than a plain word.
_SYNTAX = re.compile(r"[:*?~^()\[\]{}\"]")


@dataclass
class _Counts:
    """What one set of count searches found: sections and articles, facet counts, and how
    many hits the ranking holds."""

    sections: int = 0
    articles: int = 0
    facets: dict[str, dict[str, FacetCount]] = field(default_factory=dict)
    ranked: int = 0  # the hits the pages hold (`SearchResult.ranked`), when asked


class ClusterSearcher(Searcher):
    """Search a Typesense collection. Open with `Searcher.open(engine=...)`."""

    def __init__(
        self, address: TypesenseAddress, report: IndexReport | None = None, warnings: Sequence[str] = ()
    ) -> None:
        self.address = address
        self.report = report
        self.warnings = list(warnings)
        self._client = connect(address)
        try:
            self._load(address)
        except BaseException:
            disconnect(self._client)
            raise

    def _load(self, address: TypesenseAddress) -> None:
        """Read what the collection holds: its files, fields and their kinds."""
        # Right after a sync, a node other than the leader may not have applied it yet.
        deadline = time.monotonic() + (CATCH_UP if self.report is not None else 0)
        with answering(address):
            while True:
                live = live_collection(self._client, address.collection)
                manifest = load_manifest(self._client, live) if live else None
                if live is not None and manifest is not None:
                    break
                if time.monotonic() >= deadline:
                    raise IndexUnavailable(
                        f"no collection at {address}: build it with `searcher index --engine URL`"
                    )
                time.sleep(CATCH_UP_POLL)
            self._collection = live
            self._generation = manifest.generation
            schema = self._client.collections[live].retrieve()
            fields = [f["name"] for f in schema["fields"]]
            kinds = self._value_kinds()
        self.corpus_dir = Path(manifest.corpus)
        self._documents = int(schema.get("num_documents", 0))
        self._fields = set(fields)
        self._files = {name: info["title"] for name, info in manifest.files.items() if not info.get("error")}
        self._problems = manifest.problems()
        self._titles_words: dict[str, set[str]] = {}
        self._facet_fields = {name for name in fields if name.startswith(FACET_PREFIX) and "*" not in name}
        infobox = [name[len(INFOBOX_PREFIX) :] for name in fields if name.startswith(INFOBOX_PREFIX)]
        self._queries = QueryParser(
            [name for name in infobox if "*" not in name],
            FieldKinds(lambda kind: kinds.get(kind, 0), lambda: fields),
        )

    @classmethod
    def open_cluster(
        cls,
        address: TypesenseAddress,
        corpus: Path | str | None = None,
        *,
        update: bool = True,
        progress: Progress | None = None,
        notify: Notify | None = None,
    ) -> ClusterSearcher:
        """Open the collection, first bringing it up to date with its corpus when `update`
        is true (as `Searcher.open` does an index folder)."""
        report = sync(address, corpus, progress=progress, notify=notify) if update else None
        if notify and report is not None:
            for problem in report.new_problems.values():
                notify(f"skipped {problem}")
        searcher = cls(address, report)
        if not update:
            searcher.warnings += read_as_it_is(corpus, searcher.corpus_dir, f"the collection {address}")
        return searcher

    def close(self) -> None:
        """Close the connections to the cluster (again: nothing more)."""
        if not self._closed:
            self._closed = True
            disconnect(self._client)

    def _answers_from(self) -> str:
        return str(self.address)  # (without its API key)

    def source(self) -> tuple[str, int]:
        """The collection this searcher reads and its generation, as when it was opened."""
        return self._collection, self._generation

    def latest(self) -> tuple[str, int]:
        return current(self.address)[:2]

    def up_to_date(self) -> bool:
        self._check_open()
        return self.latest() == self.source()

    def _reopened(self) -> ClusterSearcher:
        return ClusterSearcher(self.address)

    def _article_files(self) -> dict[str, str]:
        return self._files

    def _skipped(self) -> dict[str, str]:
        return self._problems

    def _sections_of(self, path: str) -> list[tuple[str, str, str]]:
        found = self._export(f"{PATH}:={filter_value(path)} && {KIND}:!={ARTICLE_KIND}",
                             [KIND, SECTION, WRITTEN, POSITION])
        return [(d[KIND], d[SECTION], d[WRITTEN]) for d in sorted(found, key=lambda d: d[POSITION])]

    def _infoboxes(self) -> Iterator[str]:
        exported = self._export(f"{KIND}:={ARTICLE_KIND}", [PATH, INFOBOX_LINES])
        for document in sorted(exported, key=lambda document: document[PATH]):
            yield document.get(INFOBOX_LINES, "")

    def _answer(self, asked: SearchRequest) -> SearchResult:
        """The result of a checked search (`Searcher.search`), from the Typesense collection."""
        text, parsed, warnings, selection, names = (
            asked.text, asked.parsed, asked.warnings, asked.selection, asked.facets
        )
        limit, per_article, offset = asked.limit, asked.per_article, asked.offset
        if limit == EVERY_HIT:
            raise QueryError(f"limit=None (every hit) is the Whoosh engine's: offset + limit must be at most "
                             f"{MAX_PAGE} on the Typesense engine")
        if offset + limit > MAX_PAGE:
            raise QueryError(f"offset + limit must be at most {MAX_PAGE} on the Typesense engine")
        with answering(self.address):
            kept = {name: self._article_set(q) for name, q in asked.filters.items()}
            translated = asked_as = self._translated(parsed, text)
            sections = self._sections_once()
            counts, window = self._counted_window(translated, kept, names, limit, per_article, offset)
            exact = counts.sections
            corrected, relaxed = False, list[str]()
            if relaxable(counts.sections, words_as_typed(text)) and has_terms(parsed):
                retry = self._retry(text, parsed, translated, kept, counts.sections, sections)
                if retry is not None:
                    translated, corrected, relaxed, warning = retry
                    warnings.append(warning)
                    counts, window = self._counted_window(translated, kept, names, limit, per_article, offset)
            # A corrected search suggests only words its close spellings found (as on Whoosh).
            suggested = suggestion(text, self._lexicon, lambda other: self._section_count(other, kept),
                                   found=exact, retried=_found_by(window, translated) if corrected else None)
            ahead: list[list[dict[str, Any]]] = []
            if not counts.sections and suggested is not None:  # (as `Searcher._answer` says why)
                parsed, corrected = self._queries.parsed(suggested), True
                translated = self._translated(parsed, suggested)
                warnings.append(no_exact_matches(text, suggested))
                counts, window = self._counted_window(translated, kept, names, limit, per_article, offset)
            elif corrected and not relaxed and suggested is not None:
                # Of the close spellings, the suggestion's first, as `Searcher._answer` ranks them:
                # its hits (the retry's too: it spells words the retry found) are fetched, and lead.
                ahead = self._suggested_window(suggested, kept, limit, per_article, offset)
            page, frequencies = self._page(translated, kept, window, limit, per_article, offset, ahead)
            if not counts.sections:  # (as `Searcher._answer` says why)
                warnings += unheld_filters(selection, kept)
            if not counts.sections and not kept and (why := why_unmatched(text, asked_as, sections)):
                warnings.append(why)
        found = FacetCount(counts.sections, counts.articles)
        return SearchResult(
            query=text,
            total=counts.sections,
            articles=counts.articles,
            ranked=min(counts.ranked, MAX_PAGE),
            hits=self._hits(page, frequencies, translated, parsed, text, offset, bool(relaxed), corrected),
            facets={
                name: self._facet_values(name, counts.facets.get(name, {}), selection.get(name), found)
                for name in names
            },
            suggestion=suggested,
            warnings=[*self.warnings, *warnings],
            corrected=corrected,
            relaxed=relaxed,
            matched="articles" if translated.about_articles else "sections",
        )

    def _translated(self, parsed: query.Query, text: str) -> Translated:
        """`parsed` (the query `text`) as Typesense runs it, each word spelled as the collection
        spells it."""
        return translate(parsed, text, set(self._files), self._matching_files,
                         respelled=self._lexicon.respelled, spellings=self._lexicon.spellings)

    def _section_count(self, text: str, kept: Mapping[str, set[str]]) -> int:
        """The sections a query matches with the search's filters (0 when it cannot run)."""
        try:
            return self._counts(self._translated(self._queries.parsed(text), text), kept, []).sections
        except QueryError:
            return 0

    def _suggested_window(
        self, suggested: str, kept: Mapping[str, set[str]], limit: int, per_article: int, offset: int
    ) -> list[list[dict[str, Any]]]:
        """The hits a page would be chosen from for the query `suggested` (`_window`)."""
        translated = self._translated(self._queries.parsed(suggested), suggested)
        return _window_hits(self._multi(self._window(translated, kept, limit, per_article, offset)))

    # Requests.

    def _search(self, translated: Translated, chosen: set[str] | None, **extra: Any) -> dict[str, Any]:
        """The parameters of one search for `translated` in the articles `chosen` (None: all)."""
        kind = f"{KIND}:={ARTICLE_KIND}" if translated.about_articles else f"{KIND}:!={ARTICLE_KIND}"
        filters = [kind, *translated.filters]
        if chosen is not None:
            filters.append(in_articles(chosen))
        return {
            "collection": self._collection,
            "q": translated.q,
            "query_by": QUERY_BY,
            "query_by_weights": QUERY_BY_WEIGHTS,
            "filter_by": " && ".join(filters),
            "prefix": "true" if translated.prefix else "false",
            "max_candidates": MAX_FACET_VALUES if translated.prefix else 4,  # every completion
            "num_typos": translated.typos,
            "min_len_1typo": 1,
            "min_len_2typo": 8,
            "drop_tokens_threshold": 0,  # every word must match: relaxing is `_relaxed`'s
            # With typos, look at every close spelling (a threshold no result count reaches).
            "typo_tokens_threshold": 2**31 - 1 if translated.typos else 0,
            **extra,
        }

    def _multi(self, searches: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The answers to `searches`, sent in multi-search requests of `MULTI_SEARCHES`."""
        answers = []
        for start in range(0, len(searches), MULTI_SEARCHES):
            chunk = searches[start : start + MULTI_SEARCHES]
            answers += self._client.multi_search.perform({"searches": chunk}, {})["results"]
        for answer in answers:
            if "error" in answer:
                raise IndexUnavailable(f"Typesense at {self.address}: {answer['error']}")
        return answers

    def _chosen(
        self, translated: Translated, kept: Mapping[str, set[str]], ignored: str | None
    ) -> set[str] | None:
        """The articles the query's article data and every filter but `ignored` allow."""
        chosen = translated.articles
        for name, files in kept.items():
            if name != ignored:
                chosen = files if chosen is None else chosen & files
        return chosen

    def _counted_window(
        self,
        translated: Translated,
        kept: Mapping[str, set[str]],
        names: list[str],
        limit: int,
        per_article: int,
        offset: int,
    ) -> tuple[_Counts, list[list[dict[str, Any]]]]:
        """The counts (`_counts`, with the ranking's size) and the hits the page is chosen
        from (`_window_hits`), in one request."""
        counting, read = self._counting(translated, kept, names, per_article)
        window = self._window(translated, kept, limit, per_article, offset)
        answers = self._multi([*counting, *window[:1]])
        return read(answers[: len(counting)]), _window_hits(answers[len(counting) :])

    def _counts(self, translated: Translated, kept: Mapping[str, set[str]], names: list[str]) -> _Counts:
        """Matching sections and articles, and each facet's counts with every filter but its
        own."""
        counting, read = self._counting(translated, kept, names)
        return read(self._multi(counting))

    def _counting(
        self, translated: Translated, kept: Mapping[str, set[str]], names: list[str], per_article: int = 0
    ) -> tuple[list[dict[str, Any]], Callable[[list[dict[str, Any]]], _Counts]]:
        """The searches `_counts` sends, and what reads their answers; with `per_article`,
        also each article's matching sections, for the size of the ranking (ranked_size)."""
        plans: list[tuple[str | None, list[str]]] = [(None, [n for n in names if n not in kept])]
        plans += [(name, [name]) for name in names if name in kept]
        searches: list[dict[str, Any]] = []
        shapes: list[tuple[list[str], int | None]] = []
        for ignored, counted in plans:
            chosen = self._chosen(translated, kept, ignored)
            if chosen is not None and not chosen:
                shapes.append((counted, None))
                continue
            facet_by = ",".join(self._facet_field(name) for name in counted if self._facet_field(name))
            extra: dict[str, Any] = {"per_page": 0, "max_facet_values": MAX_FACET_VALUES}
            if facet_by:
                extra["facet_by"] = facet_by
            searches.append(self._search(translated, chosen, **extra))
            if not translated.about_articles:
                searches.append(self._search(translated, chosen, group_by=PATH, group_limit=1, **extra))
            shapes.append((counted, len(searches)))
        step = 1 if translated.about_articles else 2
        per_file = None
        if per_article and not translated.about_articles and shapes[0][1] is not None:
            searches.append(self._search(translated, self._chosen(translated, kept, None), per_page=0,
                                         facet_by=PATH, max_facet_values=max(len(self._files), 1)))
            per_file = len(searches) - 1

        def read(answers: list[dict[str, Any]]) -> _Counts:
            counts = _Counts()
            for number, (counted, end) in enumerate(shapes):
                if end is None:
                    continue
                sections, articles = answers[end - step], answers[end - 1]
                if number == 0:
                    counts.sections, counts.articles = int(sections["found"]), int(articles["found"])
                for name in counted:
                    counts.facets[name] = _facet_counts(self._facet_field(name), sections, articles)
            counts.ranked = counts.sections if per_file is None else ranked_size(
                (int(c["count"]) for c in answers[per_file]["facet_counts"][0]["counts"]), per_article)
            return counts

        return searches, read

    def _facet_field(self, name: str) -> str:
        if name == ARTICLE:
            return ARTICLE
        return FACET_PREFIX + name if FACET_PREFIX + name in self._facet_fields else ""

    def _window(
        self,
        translated: Translated,
        kept: Mapping[str, set[str]],
        limit: int,
        per_article: int,
        offset: int,
        page: int = 1,
    ) -> list[dict[str, Any]]:
        """The search for the hits a page is chosen from (none when no article is allowed):
        the whole blocks of `RESCORE_WINDOW` that reach the page's end, grouped by article with
        a few spare hits each (`_grouped`); with `page`, the next hits of an ungrouped window."""
        chosen = self._chosen(translated, kept, None)
        if chosen is not None and not chosen:
            return []
        wanted = {
            "per_page": _window_size(offset, limit),
            "page": page,
            "sort_by": f"_text_match:desc,{LENGTH}:asc",
            "highlight_fields": QUERY_BY,
            # The text only where the rescoring reads it (a relaxed query's left-out words);
            # else only the shown hits' text is fetched, after.
            "include_fields": f"id,{PATH},{ARTICLE},{SECTION},{POSITION},{INFOBOX_LINES},{KIND},{TITLE}"
            + (f",{WRITTEN}" if translated.optional else ""),
            **({"snippet_threshold": WHOLE_FIELDS} if translated.typos else {}),
        }
        if _grouped(translated, per_article):
            spare = RELAXED_GROUP_SPARE if translated.optional else GROUP_SPARE
            grouping = {"group_by": PATH, "group_limit": min(per_article + spare, MAX_GROUP)}
            return [self._search(translated, chosen, **grouping, **wanted)]
        return [self._search(translated, chosen, **wanted)]

    def _page(
        self,
        translated: Translated,
        kept: Mapping[str, set[str]],
        window: list[list[dict[str, Any]]],
        limit: int,
        per_article: int,
        offset: int,
        ahead: list[list[dict[str, Any]]],
    ) -> tuple[list[tuple[dict[str, Any], int]], dict[str, int]]:
        """The hits of the page, chosen from the `window` (Typesense's hits, with their
        documents, in blocks: `_window_hits`), their text, and how many more sections of its
        article each last hit of an article stands for; and the `_frequencies` of the words
        the page's hits may mark (but a pattern's completions), when there are several. The
        hits of `ahead` (a corrected search's suggestion's window: `search.SUGGESTED_BOOST`)
        come before the others."""
        per_article = 0 if translated.about_articles else per_article
        ranking = _crowded(self._ranking(window, ahead, translated), per_article)
        # An ungrouped window that articles crowd below the page's end: its next hits too.
        size, fetched = _window_size(offset, limit), 1
        while (len(ranking) < offset + limit and per_article and not _grouped(translated, per_article)
               and sum(map(len, window)) == size * fetched):
            fetched += 1
            window = window + _window_hits(self._multi(
                self._window(translated, kept, limit, per_article, offset, page=fetched)))
            ranking = _crowded(self._ranking(window, ahead, translated), per_article)
        ranking = ranking[: offset + limit]
        page = ranking[offset:]
        chosen = self._chosen(translated, kept, None)
        marked = translated.words.union(*map(_matched, page))
        more, frequencies = self._texts_and_more(translated, chosen, ranking, page, per_article,
                                                 sorted(marked) if len(marked) > 1 else [])
        last = {hit["document"][PATH]: index for index, hit in enumerate(page)}
        return [(hit, more.get(hit["document"][PATH], 0) if last[hit["document"][PATH]] == index else 0)
                for index, hit in enumerate(page)], frequencies

    def _ranking(
        self, window: list[list[dict[str, Any]]], ahead: list[list[dict[str, Any]]], translated: Translated
    ) -> list[dict[str, Any]]:
        """The hits of `ahead`'s blocks, then those of `window`'s that `ahead` lacks, each
        block ordered anew (`_rescored`): the order of a hit depends only on its block, not on
        how many blocks were fetched. A hit of both is shown as the `window` found it (its
        highlights name the words the search matched)."""
        found = {hit["document"]["id"]: hit for block in window for hit in block}
        ranking = [found.get(hit["document"]["id"], hit)
                   for block in ahead for hit in self._rescored(block, translated)]
        first = {hit["document"]["id"] for hit in ranking}
        for block in window:
            others = [hit for hit in block if hit["document"]["id"] not in first]
            ranking += self._rescored(others, translated)
        return ranking

    def _rescored(self, found: list[dict[str, Any]], translated: Translated) -> list[dict[str, Any]]:
        """The hits in the Whoosh engine's order of importance: sections of articles whose
        title has a word of the query (`schema.TITLE_LIFT`), the article's first section first
        of them when its title has them all; then Typesense's score."""
        wanted = translated.words

        def key(hit: dict[str, Any]) -> tuple[int, ...]:
            document = hit["document"]
            title = self._title_words(document[PATH])
            whole = bool(wanted) and wanted <= title and bool(document.get(TITLE))
            matched = _matched(hit)
            # Words of a relaxed query left out still count where a section has them (in its
            # heading or its text), and a section with every word it left out (an exact match)
            # comes first (relax.py); then one whose heading has them, which weighs twice its
            # text (schema.FIELD_BOOSTS).
            optional = translated.optional
            heading = set(words(document.get(SECTION, ""))) if optional else set()
            held = set(words(document.get(WRITTEN, ""))) | heading if optional else set()
            exact = bool(translated.left_out) and translated.left_out <= held
            return (-bool(wanted & title), -whole, -exact, -len(optional & held), -len(optional & heading),
                    -len(matched & wanted), -int(hit.get("text_match", 0)))

        return sorted(found, key=key)

    def _titled(self, stem: str) -> tuple[set[str], int]:
        """The articles whose title has a stem, and the number of articles (`retry.Titled`)."""
        return {path for path in self._files if stem in self._title_words(path)}, len(self._files)

    def _title_words(self, path: str) -> set[str]:
        if path not in self._titles_words:
            self._titles_words[path] = set(words(self._files.get(path, "")))
        return self._titles_words[path]

    def _texts_and_more(
        self,
        translated: Translated,
        chosen: set[str] | None,
        ranking: list[dict[str, Any]],
        page: list[dict[str, Any]],
        per_article: int,
        counted: list[str],
    ) -> tuple[dict[str, int], dict[str, int]]:
        """Fetch the text as written of the page's sections into their documents (unless the
        window had it), and count, for each article on the page (the last of the `ranking`,
        with `per_article`), how many of its matching sections neither the page nor an earlier
        one shows, and the `_frequencies` of the words `counted`: one request."""
        searches = self._frequency_searches(counted)
        # (an article document without an infobox stands for its opening section: its text)
        ids = [_text_id(hit["document"]) for hit in page
               if WRITTEN not in hit["document"] and not hit["document"].get(INFOBOX_LINES)]
        if ids:
            searches.append({"collection": self._collection, "q": "*", "filter_by": f"id:=[{', '.join(ids)}]",
                             "include_fields": f"id,{WRITTEN}", "per_page": len(ids)})
        shown = Counter(hit["document"][PATH] for hit in ranking)
        on_page = {hit["document"][PATH] for hit in page} if per_article else set()
        within = on_page if chosen is None else on_page & chosen
        if within:
            searches.append(self._search(translated, within, per_page=0, facet_by=PATH,
                                         max_facet_values=len(within)))
        answers = self._multi(searches)
        frequencies = _found(counted, answers[: len(counted)])
        if ids:
            texts = {hit["document"]["id"]: hit["document"].get(WRITTEN, "")
                     for hit in answers[len(counted)]["hits"]}
            for hit in page:
                hit["document"].setdefault(WRITTEN, texts.get(_text_id(hit["document"]), ""))
        if not within:
            return {}, frequencies
        counts = {c["value"]: int(c["count"]) for c in answers[-1]["facet_counts"][0]["counts"]}
        more = {path: counts[path] - shown[path] for path in within if counts.get(path, 0) > shown[path]}
        return more, frequencies

    def _frequency_searches(self, counted: list[str], name: str = BODY) -> list[dict[str, Any]]:
        """The searches that count the sections whose field `name` holds each word `counted`
        (its document frequency there: in the text, as the Whoosh engine weighs a passage's
        marks)."""
        return [{"collection": self._collection, "q": "*", "filter_by": f"{name}:[{filter_value(word)}]",
                 "per_page": 0} for word in counted]

    def _frequencies(self, counted: list[str]) -> dict[str, int]:
        """The document frequency of each word `counted` in the text: one request."""
        return _found(counted, self._multi(self._frequency_searches(counted)))

    def _held_in_fields(self, stems: list[str]) -> list[int]:
        """How many sections hold each stem, counted in each text field: one request."""
        answers = self._multi([search for name in TEXT_FIELDS
                               for search in self._frequency_searches(stems, name)])
        found = [int(answer["found"]) for answer in answers]
        return [sum(found[number :: len(stems)]) for number in range(len(stems))]

    def _article_set(self, node: query.Query) -> set[str]:
        """The files of the articles a filter query (scope.filter_query) holds for."""
        translated = translate(node, str(node), set(self._files), self._matching_files, articles_only=True)
        return translated.articles if translated.articles is not None else set(self._files)

    def _matching_files(self, name: str, filter_by: str, phrase: InOrder | None = None) -> set[str]:
        """The files of the article documents a Typesense filter on the field `name` matches
        (whose words hold the `phrase`, when there is one: a filter cannot say it): none when
        no document has the field (Typesense refuses a filter on a field it does not know; the
        Whoosh engine finds nothing), as no value of another kind (`result:>5` of a text field,
        `--during` where no article has a date) is held."""
        if name not in self._fields:
            return set()
        found = self._export(f"{KIND}:={ARTICLE_KIND} && {filter_by}", [PATH, *([name] if phrase else [])])
        return {document[PATH] for document in found
                if phrase is None or phrase.found_in(document.get(name, []))}

    def _export(self, filter_by: str, fields: list[str]) -> list[dict[str, Any]]:
        import json

        with answering(self.address):
            text = self._client.collections[self._collection].documents.export(
                {"filter_by": filter_by, "include_fields": ",".join(fields)}
            )
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def _value_kinds(self) -> dict[str, int]:
        return self._article_facet(VALUE_KINDS)

    def _whole_values(self, name: str) -> dict[str, list[str]]:
        field = self._facet_field(name)
        if field in ("", ARTICLE):
            return {}
        with answering(self.address):
            return values_by_key(self._article_facet(field))

    def _article_facet(self, field: str) -> dict[str, int]:
        """Every value of a facet field over the article documents, with its count."""
        answer = self._client.collections[self._collection].documents.search({
            "q": "*", "filter_by": f"{KIND}:={ARTICLE_KIND}", "facet_by": field,
            "per_page": 0, "max_facet_values": MAX_FACET_VALUES,
        })
        return {_facet_text(field, c["value"]): int(c["count"])
                for facet in answer["facet_counts"] for c in facet["counts"]}

    # Retries.

    def _sections_once(self) -> Sections:
        """`_section_ids`, each query's sections fetched once (for a search: its retry, then
        why it matches nothing, ask of the same words)."""
        held: dict[tuple[str, int, tuple[str, ...]], set[str]] = {}

        def key(query: Translated) -> tuple[str, int, tuple[str, ...]]:
            return query.q, query.typos, tuple(query.filters)

        def sections(queries: list[Translated]) -> list[set[str]]:
            wanted = [query for query in queries if key(query) not in held]
            held.update(zip(map(key, wanted), self._section_ids(wanted), strict=True))
            return [held[key(query)] for query in queries]

        return sections

    def _retry(
        self, text: str, parsed: query.Query, translated: Translated, kept: Mapping[str, set[str]],
        found: int, sections: Sections,
    ) -> tuple[Translated, bool, list[str], str] | None:
        """Close spellings and fewer words (retry.relaxed), in relax.py's order: when nothing
        matches and a word matches nothing on its own, close spellings first, then fewer words
        with them; else fewer words, then (nothing matching) close spellings. The query
        retried, whether corrected, the words left out, and the warning. `sections` finds the
        sections of queries (`_sections_once`)."""

        def counts(queries: list[Translated]) -> list[int]:
            return self._section_counts(queries, kept)

        typo_first = not found and unknown(text, translated, sections)
        if typo_first and (spelled := self._close_spellings(text, parsed, kept, counts)) is not None:
            return spelled
        close = partial(self._lexicon.close_stems, typed=WORDS.words(text)) if typo_first else None
        fewer = relaxed(text, translated, found, counts, sections, self._documents, self._titled,
                        self._lexicon.spellings, close)
        if fewer is not None:
            query, dropped, warning, corrected = fewer
            return query, corrected, dropped, warning
        return None if found or typo_first else self._close_spellings(text, parsed, kept, counts)

    def _close_spellings(
        self, text: str, parsed: query.Query, kept: Mapping[str, set[str]], counts: Counts
    ) -> tuple[Translated, bool, list[str], str] | None:
        """The query with Typesense's typos (and a phrase spelled the way that matches most),
        as `_retry` returns it; None when that finds nothing either."""
        lexicon = self._lexicon
        every = set(self._files)
        typed = WORDS.words(text)
        close = cache(partial(lexicon.close_stems, typed=typed))  # (asked again for a word: filters)
        tolerant = translate(parsed, text, every, self._matching_files, spelling=self._spelling(typed))
        tolerant = beyond_typos(replace(tolerant, typos=2), close, lexicon.lacks)
        tolerant = held_to_likelier(tolerant, close, lexicon.sections, lexicon.spellings)
        if tolerant.phrases:
            # (each word spelled as the Whoosh engine's retry spells a phrase's: a number not)
            spelling = partial(field_spellings, in_phrase=True, held=None, close=close,
                               sections=lexicon.sections)
            tolerant = best_phrasing(tolerant, spelling, counts)
        if not self._counts(tolerant, kept, []).sections:
            return None
        return tolerant, True, [], no_exact_matches(text)

    def _section_counts(self, queries: list[Translated], kept: Mapping[str, set[str]]) -> list[int]:
        """The sections each query matches with the search's filters, counted together."""
        if not queries:
            return []
        chosen = self._chosen(queries[0], kept, None)
        if chosen is not None and not chosen:
            return [0] * len(queries)
        return [int(answer["found"]) for answer in self._multi(
            [self._search(query, chosen, per_page=0) for query in queries]
        )]

    def _section_ids(self, queries: list[Translated]) -> list[set[str]]:
        """The ids of the sections each query matches (in any article), found together: the
        first page of each, then the others' further pages."""
        wanted = {"per_page": MAX_PAGE, "include_fields": "id"}
        firsts = self._multi([self._search(query, None, **wanted) for query in queries])
        pages = [(number, page) for number, answer in enumerate(firsts)
                 for page in range(2, -(-int(answer["found"]) // MAX_PAGE) + 1)]
        rest = self._multi([self._search(queries[number], None, page=page, **wanted)
                            for number, page in pages])
        found = [{hit["document"]["id"] for hit in answer["hits"]} for answer in firsts]
        for (number, _), answer in zip(pages, rest, strict=True):
            found[number].update(hit["document"]["id"] for hit in answer["hits"])
        return found

    @cached_property
    def _lexicon(self) -> Lexicon:
        """The collection's words: for suggestions and the typo retry."""
        return Lexicon(
            lambda: load_vocabulary(self._client, self._collection),
            lambda stems: self._section_counts([Translated(" ".join(stems))], {})[0] > 0,
            self._held_in_fields,
        )

    @cached_property
    def _title_stems(self) -> set[str]:
        """The words of the articles' titles, as `title:` asks for them."""
        return {stem for title in self._files.values() for stem in words(title)}

    def _spelling(self, typed: Collection[str]) -> Spelling:
        """For a query whose words were typed so (folded): a word of a field of article data
        and its other spellings, which the typo retry also matches (`translate`'s
        `spelling`), in a phrase or not, as the Whoosh engine's (`rewrite.tolerant`): an
        infobox field's spelling variants, the title's close spellings; None for another field."""
        lexicon = self._lexicon

        def spelling(field: str, in_phrase: bool) -> Callable[[str], list[str]] | None:
            if field == ARTICLE_TITLE:
                return partial(field_spellings, in_phrase=in_phrase, held=self._title_stems,
                               close=partial(lexicon.close_stems, typed=typed), sections=lexicon.sections)
            if field.startswith(INFOBOX_PREFIX):
                return lambda word: [word, *lexicon.variants(word)]
            return None

        return spelling

    # Hits.

    def _hits(
        self,
        page: list[tuple[dict[str, Any], int]],
        frequencies: dict[str, int],
        translated: Translated,
        parsed: query.Query,
        text: str,
        offset: int,
        relaxed: bool,
        corrected: bool,
    ) -> list[Hit]:
        """The page's hits, their passages chosen as the Whoosh engine's (passages.hits), the
        words of a text that holds several weighed by their `frequencies` (those lacking, a
        pattern's completions, are counted first); `corrected`: the typo retry found them."""
        asked = asked_words(text, parsed)
        # Retried, an infobox field's words and phrases are marked as the retry spelled them, as
        # the Whoosh engine marks those of its retried query (`rewrite.tolerant`).
        parsed = respelled(parsed, self._spelling(WORDS.words(text))) if corrected else parsed
        wanted = _wanted(parsed)
        completions = set(self._lexicon.completions(translated.completed)) if translated.completed else set()
        # Marked alone: no word only of a phrase (the phrase is one mark), as the Whoosh engine marks.
        unmarked = {word for phrase in translated.phrases for word in phrase} - translated.alone
        phrased = set(chain.from_iterable(translated.phrases))
        marked = [(translated.words | completions | _matched(hit)) - unmarked for hit, _ in page]
        occurring = [analysed(hit["document"].get(WRITTEN, ""), ANALYZER, words | phrased)
                     for (hit, _), words in zip(page, marked, strict=True)]
        # Where a text holds several of the words, the rarer weigh more (as the index's
        # occurrences weigh): the passage with the rarest is shown.
        several = [terms for terms in ({o.term for o in found} for found in occurring) if len(terms) > 1]
        if lacking := sorted(set().union(*several) - frequencies.keys()):
            frequencies = {**frequencies, **self._frequencies(lacking)}
        found = []
        shown = zip(page, marked, occurring, strict=True)
        for rank, ((hit, more), matched, occurrences) in enumerate(shown, offset + 1):
            document = hit["document"]
            lines = document.get(INFOBOX_LINES, "")
            written = document.get(WRITTEN, "")
            title = document[ARTICLE] if relaxed else ""
            if len({o.term for o in occurrences}) > 1:
                occurrences = [o._replace(weight=rarity(self._documents, max(frequencies[o.term], 1)))
                               for o in occurrences]
            passage = (
                pinpoint_passage(written, marks(occurrences, matched, translated.phrases), title)
                or infobox_passage(lines, wanted, parsed)
                or opening(written or lines)
            )
            found.append(Hit(
                rank=rank,
                score=round(int(hit.get("text_match", 0)) / TEXT_MATCH_SCALE, 6),
                article=document[ARTICLE],
                section=document[SECTION],
                snippet=passage.text,
                highlights=passage.spans,
                path=document[PATH],
                position=document.get(POSITION, 0),
                variants=variants(passage, asked),
                more_in_article=more,
            ))
        return found


def _found(counted: list[str], answers: list[dict[str, Any]]) -> dict[str, int]:
    """What the searches `_frequency_searches(counted)` found: each word's frequency."""
    return {word: int(answer["found"]) for word, answer in zip(counted, answers, strict=True)}


def _text_id(document: dict[str, Any]) -> str:
    """The id of the document whose text a hit shows: its own, or for an article document
    the section it stands for (`schema.documents`)."""
    if document[KIND] != ARTICLE_KIND:
        return str(document["id"])
    return document_id(f"{document[PATH]}#{document.get(POSITION, 0)}")


def _window_size(offset: int, limit: int) -> int:
    """The hits (or groups) a window holds: the whole blocks that reach the page's end."""
    return min(-(-(offset + limit) // RESCORE_WINDOW) * RESCORE_WINDOW, MAX_PAGE)


def _grouped(translated: Translated, per_article: int) -> bool:
    """Whether a window's hits are grouped by article (at most `per_article` and a few spare
    each): not when all of them are wanted, nor beyond Typesense's group limit, where the
    articles are crowded here (`_crowded`) from hits as they come."""
    return 0 < per_article <= MAX_GROUP - GROUP_SPARE and not translated.about_articles


def _window_hits(answers: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The hits of a window's answer (none without one), in blocks of `RESCORE_WINDOW` hits
    or groups (flattened) of Typesense's order."""
    if not answers:
        return []
    answer = answers[0]
    if "grouped_hits" in answer:
        groups = [group["hits"] for group in answer["grouped_hits"]]
    else:
        groups = [[hit] for hit in answer.get("hits", [])]
    return [[hit for group in groups[start : start + RESCORE_WINDOW] for hit in group]
            for start in range(0, len(groups), RESCORE_WINDOW)]


def _matched(hit: dict[str, Any]) -> set[str]:
    """The words (as the collection holds them) Typesense matched in a hit, as its highlights
    name them."""
    return {token for highlight in hit.get("highlights", [])
            for token in highlight.get("matched_tokens", []) if isinstance(token, str)}


def _found_by(window: list[list[dict[str, Any]]], translated: Translated) -> Callable[[str], bool]:
    """Whether the typo retry (`translated`) whose `window` this is matched a (folded) word:
    one of its stems is a word Typesense matched in its hits, or one its filters of close
    spellings match (`suggest.suggestion`'s `retried`)."""
    matched = set().union(translated.spelled, *(_matched(hit) for block in window for hit in block))
    return lambda word: bool(matched.intersection(words(word)))


def _crowded(hits: list[dict[str, Any]], per_article: int) -> list[dict[str, Any]]:
    """The hits in order, at most `per_article` of an article (0: no limit)."""
    if not per_article:
        return hits
    shown: dict[str, int] = {}
    kept = []
    for hit in hits:
        path = hit["document"][PATH]
        if shown.get(path, 0) < per_article:
            shown[path] = shown.get(path, 0) + 1
            kept.append(hit)
    return kept


def _facet_counts(name: str, sections: dict[str, Any], articles: dict[str, Any]) -> dict[str, FacetCount]:
    """A facet's counts of sections and of articles (Typesense counts groups when grouping)."""

    def counts(answer: dict[str, Any]) -> dict[str, int]:
        return {_facet_text(name, c["value"]): int(c["count"])
                for f in answer.get("facet_counts", []) if f["field_name"] == name for c in f["counts"]}

    by_section, by_article = counts(sections), counts(articles)
    return {value: FacetCount(count, by_article.get(value, count)) for value, count in by_section.items()}


def _facet_text(field: str, value: str) -> str:
    """A value of a facet field as written (`documents.facet_value`)."""
    return facet_text(value) if field.startswith(FACET_PREFIX) else value


def _wanted(parsed: query.Query) -> dict[str, set[str]]:
    """The article-data terms of the query by field: what an article hit's line marks."""
    wanted: dict[str, set[str]] = {}
    for leaf in parsed.leaves():
        name = leaf.field() or ""
        if name.startswith((INFOBOX_PREFIX, NUMBER_PREFIX, START_PREFIX, END_PREFIX)):
            words = [str(leaf.text)] if isinstance(leaf, query.Term) else getattr(leaf, "words", [])
            wanted.setdefault(name, set()).update(words)
    return wanted

