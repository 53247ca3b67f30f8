"""Query the index: ranked hits with the best passage of each section, and facet counts.

`Searcher` is the Python API the CLI is a thin layer over. Results are plain data copied out
of Whoosh while its searcher is open, so they stay valid after it closes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from whoosh import query
from whoosh.query.qcore import QueryError as WhooshQueryError
from whoosh.searching import Searcher as WhooshSearcher

from . import arguments
from .builds import (
    Manifest,
    OpenBuild,
    live_build,
    open_live,
    read_as_it_is,
    unreadable,
    update_for_reading,
)
from .collect import PER_ARTICLE, ArticleData, Collected, FacetCount, Match, collect, kept_count
from .engine import engine_address
from .errors import (
    Advice,
    AmbiguousArticle,
    ArticleError,
    ArticleNotFound,
    CorpusError,
    QueryError,
    SearcherError,
    closest,
    listed,
    quoted,
)
from .infobox import normalise_key
from .live import held, scoring_of
from .locations import default_index
from .passages import hits
from .query import FIELD_NAME, QueryParser, facet_name, has_terms, unknown_field
from .relax import OPERATORS, PlainWords, no_exact_matches, relaxable, retried, why_unmatched
from .results import FacetValue, FieldInfo, SearchResult
from .schema import (
    ARTICLE_KIND,
    BODY,
    DEFAULT_FACETS,
    FACET_PREFIX,
    INFOBOX_LINES,
    KIND,
    PATH,
    SECTION,
    TITLE_LIFT,
    article_key,
    field_names,
)
from .scope import (
    about_articles,
    chooses,
    during_query,
    filter_query,
    scoped_query,
    title_words,
    values_by_key,
)
from .suggest import IndexVocabulary, ListWords, suggestion, typos_of
from .values import parse_date_interval, parse_number, parse_year
from .vocabulary import Spellings, Vocabulary

if TYPE_CHECKING:
    from .article import Article
    from .indexer import IndexReport, Notify, Progress

# The key of the `during` period among the filters (no field can be named so).
DURING = "--during"
# The fields every index has, with an example of a query on each.
# The fields every index has, with examples for an index without articles.
BUILT_IN_FIELDS = {"title": "Vorkuta uprising", "section": "Background", "text": "amnesty"}
# A word of a section that makes a good example of the `text` field: long, lower case.
_EXAMPLE_WORD = re.compile(r"\b[a-z]{7,}\b")

_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
# A letter or digit: a query without one has no word to search for (`(`, `-`, `""`).
_WORD = re.compile(r"[^\W_]+")
# A filter's value written as the query compares: `>1000`, or a range (`[10000 TO 20000]`).
_COMPARISON = re.compile(r"\s*[<>]")
_RANGE = re.compile(r"\s*[\[{].*\bTO\b.*[\]}]\s*$")


class SearchRequest(NamedTuple):
    """A search's arguments, checked: the query parsed (with warnings on how), the page, the
    filters by facet (their article-document queries and the values chosen), the queries the
    articles kept must match (the filters and `--during`), and the facets to count."""

    text: str
    parsed: query.Query
    warnings: list[str]
    limit: int
    per_article: int
    offset: int
    selection: dict[str, tuple[query.Query, list[str]]]
    filters: dict[str, query.Query]
    facets: list[str]


# How much more a corrected search weighs the hits of its suggestion than the other close
# spellings it found: enough to rank them first.
SUGGESTED_BOOST = 10.0


class Searcher:
    """Search an index. Open with `Searcher.open()`; use as a context manager."""

    _closed = False

    def __init__(
        self,
        index_dir: Path,
        report: IndexReport | None = None,
        warnings: Sequence[str] = (),
        build: OpenBuild | None = None,
    ) -> None:
        self._build = open_live(index_dir) if build is None else build  # (`build`: opened already)
        try:
            reader = self._build.index.reader()
            self._searcher = WhooshSearcher(reader, weighting=scoring_of(reader), fromindex=self._build.index)
        except Exception as error:  # Whoosh raises many kinds on a damaged index
            self._build.close()
            raise unreadable(index_dir, error) from None
        self.index_dir = index_dir
        self.corpus_dir = Path(self._build.manifest.corpus)
        self.report = report
        self.warnings = list(warnings)
        manifest, reader = self._build.manifest, self._searcher.reader()
        # (the manifest knows of its own generation: an update may have committed a later one)
        unheld_names = manifest.unheld_names if manifest.generation == reader.generation() else None
        self._queries = QueryParser.of(self._searcher, Spellings.load(self._build.path), unheld_names)
        self._data = ArticleData(self._searcher)

    @classmethod
    def open(
        cls,
        index: Path | str | None = None,
        corpus: Path | str | None = None,
        *,
        update: bool = True,
        progress: Progress | None = None,
        notify: Notify | None = None,
        engine: str | None = None,
    ) -> Searcher:
        """Open the index, first bringing it up to date with its corpus when `update` is true.

        `index` defaults to `$SEARCHER_INDEX`, a checkout's `index/` or a per-user cache folder.
        `corpus` (default `$SEARCHER_CORPUS`) switches the index to another corpus (by the
        update: without one, `warnings` says the index holds another); without it, the index
        keeps the corpus it was built from (a new one gets the bundled corpus).
        The update never waits behind another process's update when there is an index to
        read, and never fails where the index cannot be written: the index is read as it is,
        and `warnings` says why (search results carry these warnings too). `notify` receives
        one-line messages as they happen (building, waiting for a first build, skipped files).

        `engine` (default `$SEARCHER_ENGINE`) names a Typesense cluster instead of the index
        folder (`typesense://API_KEY@HOST:PORT`, engine.py): the same search there.
        """
        if corpus is not None:
            arguments.folder(corpus, "corpus")
        address = engine_address(None if engine is None else arguments.string(engine, "engine"))
        if address is not None:
            from .cluster.search import ClusterSearcher

            return ClusterSearcher.open_cluster(
                address, corpus, update=update, progress=progress, notify=notify
            )
        index_dir = arguments.folder(index, "index") if index is not None else default_index()
        current: OpenBuild | None = None
        report: IndexReport | None = None
        warnings: list[str] = []
        if update:
            current, report, warnings = update_for_reading(
                corpus, index_dir, progress=progress, notify=notify
            )
            if notify and report is not None:
                for problem in report.new_problems.values():
                    notify(f"skipped {problem}")
        searcher = cls(index_dir, report, warnings, current)
        if not update:
            searcher.warnings += read_as_it_is(corpus, searcher.corpus_dir, f"the index in {index_dir}")
        return searcher

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the index files (again: nothing more). If a rebuild replaced the build this
        searcher read, that build is deleted now, unless another reader holds it or an update
        is at work (which deletes it as it ends)."""
        if not self._closed:
            self._closed = True
            self._searcher.close()
            self._build.close()
            if live_build(self.index_dir) not in (None, self._build.path):
                from .indexer import remove_replaced_builds  # (rarely: loads the writer's modules)

                remove_replaced_builds(self.index_dir)

    def _answers_from(self) -> str:
        """What this searcher answers from, as messages name it: its index folder."""
        return str(self.index_dir)

    def source(self) -> tuple[str, int]:
        """The build this searcher reads (its folder's name) and that build's generation, as
        they were when it was opened: `refresh` (and `searcher serve`) opens a new searcher
        once the live build is another, or a later generation of it. (Read before the index,
        the generation is never a later one than the searcher reads.)"""
        return self._build.path.name, self._build.manifest.generation

    def latest(self) -> tuple[str, int]:
        """The build (or collection) a searcher opened now would read and its generation, as
        `source` gives them ("" and -1: there is none): `source` itself, unless an update or
        a rebuild was committed since this searcher was opened."""
        build = live_build(self.index_dir)
        manifest = Manifest.load(build) if build else None
        return (build.name, manifest.generation) if build and manifest else ("", -1)

    def up_to_date(self) -> bool:
        """Whether this searcher reads the index as it is now: no update or rebuild was
        committed since it was opened (as Whoosh's `Searcher.up_to_date`), in a stat of two
        files. The corpus is not looked at: `update_index` or `searcher index` brings the
        index up to date with it."""
        self._check_open()
        return self._build.is_live()

    def refresh(self) -> Searcher:
        """This searcher if it is `up_to_date`, else a new one that reads the index as it is
        now, with this one's `warnings`, and this one closed (as Whoosh's `Searcher.refresh`):
        `s = s.refresh()` lets a long-running program answer from the updates that other
        processes commit. Nothing is written; when the index cannot be read (`IndexUnavailable`,
        say), this searcher stays open."""
        if self.up_to_date():
            return self
        fresh = self._reopened()
        fresh.warnings = list(self.warnings)
        self.close()
        return fresh

    def _reopened(self) -> Searcher:
        """A new searcher of what this one reads, without an update."""
        return Searcher(self.index_dir)

    def _check_open(self) -> None:
        if self._closed:
            raise SearcherError(
                f"the searcher of {self._answers_from()} is closed: open another with Searcher.open()"
            )

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Around a public method's reading of the index: a closed searcher says so, also
        when another thread closed it meanwhile (not Whoosh's `ReaderClosed` or a closed
        memory map)."""
        self._check_open()
        try:
            yield
        except Exception:
            self._check_open()
            raise

    @cached_property
    def _written(self) -> ListWords:
        """Every word of the index as written, searchable by spelling: for suggestions and
        typos, read when first needed."""
        return ListWords(*Vocabulary.load(self._build.path).counted())

    def uprisings(self) -> list[str]:
        """The titles of every article in the index, sorted."""
        with self._reading():
            return sorted(set(self._article_files().values()))

    def _article_files(self) -> dict[str, str]:
        """Every article's title by its file."""
        return self._data.titles

    def _skipped(self) -> dict[str, str]:
        """The files of the corpus that could not be indexed, with the reason."""
        return self._build.manifest.problems()

    def _infoboxes(self) -> Iterator[str]:
        """Every article's infobox, as `Key: Value` lines, in the order of the files' paths:
        `fields` gives the same examples whatever order a build or an update wrote them in."""
        stored = sorted(self._searcher.documents(kind=ARTICLE_KIND), key=lambda document: document[PATH])
        return (document[INFOBOX_LINES] for document in stored)

    def search(
        self,
        text: str,
        *,
        article: str | Sequence[str] = (),
        uprising: str | Sequence[str] = (),
        filters: Mapping[str, str | Sequence[str]] | None = None,
        during: str | Sequence[str] | None = None,
        limit: int | None = 10,
        facets: bool | str | Sequence[str] = True,
        per_article: int = PER_ARTICLE,
        offset: int = 0,
    ) -> SearchResult:
        """Ranked hits for a query in Whoosh's query language.

        `article` keeps only sections of those articles (titles, any case; any of them);
        `uprising` is the same filter, by the name this corpus's users know it by;
        `filters` maps a facet (`result`, `year`, `place`, any infobox field) to values, any
        of which may match; filters on different facets must all match. `during` keeps
        articles whose dates overlap a period (`1953`, `1953-07`, `1953-07-25`, `A..B`; a
        list: any of them).
        `facets` is True for the default facets, False for none, or the names to count.
        A facet's counts apply every filter but its own, so they show what choosing another
        value would add. No article holds more than `per_article` hits of the page (0: no
        limit); its last hit says how many more of its sections match. A query only about
        article data (`commander:Sirotkin`) answers once per article. A string where a list
        is expected is one value; a value of the wrong kind, an unknown name or an empty
        value is a `QueryError`. `limit` hits make a page (None: every hit); `offset` skips
        that many hits of the ranking (a later page).
        """
        with self._reading():
            return self._answer(
                self._request(text, article, uprising, filters, during, limit, facets, per_article, offset)
            )

    def _answer(self, asked: SearchRequest) -> SearchResult:
        """The result of a search whose arguments are checked: the engine's own work."""
        text, parsed, warnings, selection, names = (
            asked.text, asked.parsed, asked.warnings, asked.selection, asked.facets
        )
        limit, per_article, offset = asked.limit, asked.per_article, asked.offset
        kept = {name: self._data.matching(q) for name, q in asked.filters.items()}

        def run(parsed: query.Query) -> Collected:
            return collect(self._matches(parsed, text), limit=limit, per_article=per_article,
                           filters=kept, facets=names, data=self._data, offset=offset)

        # Each text parsed once a search: the retry parses each word of the query alone, the
        # suggestion each unknown word and its candidates, and the search the one it chose.
        parses = {text: parsed}

        def parse(asked_for: str) -> query.Query:
            if asked_for not in parses:
                parses[asked_for] = self._queries.parsed(asked_for)
            return parses[asked_for]

        collected, corrected = run(parsed), False
        exact = collected.total
        relaxed: list[str] = []
        words = PlainWords(text, parse, self._searcher)
        if relaxable(collected.total, words.typed) and has_terms(parsed):
            # Close spellings and/or fewer words: relax.py says in which order, and why.
            retry = retried(text, parsed, collected, words, self._searcher,
                            lambda word: typos_of(self._written, word), run,
                            lambda docnums: kept_count(map(self._data.file, docnums), kept))
            if retry is not None:
                parsed, collected, corrected = retry.query, retry.result, retry.corrected
                relaxed = retry.relaxed
                warnings.append(retry.warning)
        suggested = self._suggestion(
            text, parsed if corrected else None, exact,
            lambda candidate: kept_count(self._data.every_doc(scoped_query(candidate)[0]).values(), kept),
            parse,
        )
        if not collected.total and suggested is not None:
            # The retry spells the word as stemmed another way, the suggestion the word as
            # typed: `stirke` is `stirk`, two edits from `strike`, one as typed. The
            # suggestion is checked to find hits: they are shown.
            parsed, corrected = parse(suggested), True
            collected = run(parsed)
            warnings.append(no_exact_matches(text, suggested))
        elif corrected and not relaxed and suggested is not None:
            # Of the close spellings, the suggestion's first (`strke` found `strake` first,
            # while it suggested `strike`): both queries find its hits, and it weighs the more.
            parsed = query.Or([parse(suggested).with_boost(SUGGESTED_BOOST), parsed])
            collected = run(parsed)
        if not collected.total:
            warnings += unheld_filters(selection, kept)
        why = None if collected.total or kept else why_unmatched(words)
        if why:
            warnings.append(why)
        found = FacetCount(collected.total, collected.articles)
        return SearchResult(
            query=text,
            total=collected.total,
            articles=collected.articles,
            ranked=collected.ranked,
            hits=hits(collected.page, parsed, text, self._searcher.reader(), offset, bool(relaxed)),
            facets={
                name: self._facet_values(name, collected.counts[name], selection.get(name), found)
                for name in names
            },
            suggestion=suggested,
            warnings=[*self.warnings, *warnings],
            corrected=corrected,
            relaxed=relaxed,
            matched="articles" if about_articles(asked.parsed) else "sections",
        )

    def _request(
        self,
        text: object,
        article: object,
        uprising: object,
        filters: object,
        during: object,
        limit: object,
        facets: object,
        per_article: object,
        offset: object,
    ) -> SearchRequest:
        """The arguments of `search` checked (`QueryError` naming the one at fault) and read."""
        text = arguments.string(text, "the query")
        parsed, warnings = self._queries.parse(text)
        if not has_terms(parsed):
            words = _WORD.findall(FIELD_NAME.sub(" ", text))
            if words and set(words) <= OPERATORS:
                why = "has only operators (AND, OR, NOT): give a word to search for"
            elif words:
                why = "has only common words (like 'the', 'of'), which are not indexed"
            else:
                why = "has no words to search for"
            warnings.append(f"{quoted(text)} {why}")
        titles = [*arguments.strings(article, "article"), *arguments.strings(uprising, "uprising")]
        selection = self._selection(titles, filters)
        kept = {name: filter_by for name, (filter_by, _) in selection.items()}
        periods = [] if during is None else arguments.strings(during, "during")
        if periods:  # several: any of them
            kept[DURING] = query.Or([during_query(arguments.period(period)) for period in periods])
        return SearchRequest(
            text, parsed, warnings, arguments.limit(limit), arguments.count(per_article, "per_article"),
            arguments.count(offset, "offset"), selection, kept, self._facet_names(facets),
        )

    def _matches(self, parsed: query.Query, text: str) -> list[Match]:
        """Every section the query matches, or every article for a query only about article
        data. Sections of articles whose title has a word of the query rank higher; when the
        title has all of them, the article's first section comes first of its sections."""
        scoped, _ = scoped_query(parsed)
        try:
            matches = self._data.every_match(scoped)
            words = title_words(parsed)
            if not words:
                return matches
            carriers = self._data.every_doc(query.Or([term for terms in words for term in terms]))
            if not carriers:
                return matches
            lifted = set(carriers.values())
            # With one title word (or words joined by OR), the sections with every title word
            # are those with one.
            own = (carriers if len(words) == 1
                   else self._data.every_doc(query.And([query.Or(terms) for terms in words]))).keys()
        except WhooshQueryError as error:
            raise QueryError(f"cannot run query {quoted(text)}: {error}") from None
        best: dict[str, float] = {}
        for match in matches:
            if match.article in lifted:
                best[match.article] = max(best.get(match.article, 0.0), match.score)

        def lift(match: Match) -> Match:
            if match.article not in lifted:
                return match
            score = best[match.article] * 1.01 if match.docnum in own else match.score
            return match._replace(score=score * TITLE_LIFT)

        return [lift(match) for match in matches]

    def facets(
        self,
        text: str = "",
        *,
        facets: str | Sequence[str] = DEFAULT_FACETS,
        article: str | Sequence[str] = (),
        uprising: str | Sequence[str] = (),
        filters: Mapping[str, str | Sequence[str]] | None = None,
        during: str | Sequence[str] | None = None,
    ) -> dict[str, list[FacetValue]]:
        """Facet counts for a query (or for every section when `text` is empty): the counts
        alone, where `search(text, limit=1, facets=...)` also says what was done to the query
        (a correction, a relaxed question) and what is out of date."""
        result = self.search("*" if text == "" else text, article=article, uprising=uprising,
                             filters=filters, during=during, limit=1, facets=facets)
        return result.facets

    def fields(self) -> list[FieldInfo]:
        """Every field a query can name, with the keys it comes from and an example value."""
        with self._reading():
            found = self._built_in_fields()
            for infobox in self._infoboxes():
                seen: set[str] = set()
                for line in infobox.splitlines():
                    key, _, value = line.partition(":")
                    for alias in field_names(normalise_key(key)):  # `Year` answers as `infobox_year`
                        found[alias] = _with_example(
                            found.get(alias), alias, self._queries.kinds(alias), key.strip(), value.strip(),
                            alias not in seen,
                        )
                        seen.add(alias)
        return [found[name] for name in sorted(found, key=lambda n: (n not in BUILT_IN_FIELDS, n))]

    def _built_in_fields(self) -> dict[str, FieldInfo]:
        """`title`, `section` and `text`, each with an example from the index (the first
        article's title, a heading of it, a word of its text) and the articles that have it."""
        files = self._article_files()
        first = min(files, key=lambda path: (files[path].casefold(), path), default=None)
        examples = dict(BUILT_IN_FIELDS)
        if first is not None:
            sections = self._sections_of(first)
            examples["title"] = files[first]
            headings = [name for kind, name, _ in sections if kind == "section" and name]
            texts = (text for kind, _, text in sections if kind != "infobox")
            words = (word for text in texts for word in _EXAMPLE_WORD.findall(text))
            examples["section"] = headings[0] if headings else examples["section"]
            examples["text"] = next(words, examples["text"])
        return {name: FieldInfo(name, "text", (), example, len(files)) for name, example in examples.items()}

    def _sections_of(self, path: str) -> list[tuple[str, str, str]]:
        """The sections of a file, in order: (kind, name, text)."""
        return [
            (stored[KIND], stored[SECTION], stored[BODY])
            for stored in self._searcher.documents(**{PATH: path}) if stored[KIND] != ARTICLE_KIND
        ]

    def article(self, name: str) -> Article:
        """The article with this title (any case) or file path (as hits give it), read from
        the corpus: `ArticleNotFound` if there is none, `AmbiguousArticle` when the title
        is that of several files."""
        return self._read_article(self.article_file(name))

    def article_file(self, name: str) -> str:
        """The file path, as hits give it, of the article with this title (any case) or path:
        `ArticleNotFound` if there is none, `AmbiguousArticle` when the title is that of
        several files."""
        with self._reading():
            name = arguments.string(name, "the title or path")
            titles = self._titles().get(article_key(name.strip()))
            files = self._article_files()
        if titles is None:
            path = self._corpus_path(name)
            if path in (skipped := self._skipped()):
                raise ArticleNotFound(f"the file {path} is not indexed: {skipped[path]}")
            if path not in files:
                missing = f"no article with the title or path {quoted(name)}"
                raise ArticleNotFound(partial(_closest_titles, missing, name, self.uprisings()))
            return path
        paths = sorted(path for path, its_title in files.items() if its_title in titles)
        if len(paths) > 1:
            named = f"{quoted(titles[0])} is the title" if len(titles) == 1 else (
                " and ".join(map(quoted, titles)) + " are the titles"
            )
            raise AmbiguousArticle(
                lambda advice: f"{named} of {len(paths)} files: {listed(paths)}; "
                f"pass one of their paths instead, e.g. {advice.article(paths[0])}"
            )
        return paths[0]

    def _read_article(self, path: str) -> Article:
        """An indexed article's file, read now: `CorpusError` when it cannot be (its corpus
        unmounted, the file removed or spoiled since the index was updated)."""
        from .article import read_article  # (here: a search reads no article file)

        try:
            return read_article(self.corpus_dir / path)
        except ArticleError as error:
            raise CorpusError(f"the article file {path} cannot be read now ({error})") from None

    def _corpus_path(self, name: str) -> str:
        """A file's path as hits give it (below the corpus folder, `/` between folders), from
        that path or another way of writing it (`./sub/x.txt`, the whole path)."""
        path = Path(os.path.normpath(name))
        if path.is_absolute() and path.is_relative_to(self.corpus_dir):
            path = path.relative_to(self.corpus_dir)
        return path.as_posix()

    def _titles(self) -> dict[str, list[str]]:
        """Every title of the index by the form a title given in any case is matched by (two
        articles may be titled alike but for case: `Norilsk uprising`, `NORILSK Uprising`)."""
        return values_by_key(self.uprisings())

    def _whole(self, name: str) -> dict[str, list[str]]:
        """`_whole_values`, read once an open searcher: a filtered search asks for them twice
        (the filter, the facet's chosen values), and on Typesense each is a request."""
        if name not in self._wholes:
            self._wholes[name] = self._whole_values(name)
        return self._wholes[name]

    @cached_property
    def _wholes(self) -> dict[str, dict[str, list[str]]]:
        return {}

    def _whole_values(self, name: str) -> dict[str, list[str]]:
        """The values of the infobox field `name` by the form a filter naming one whole
        matches (any case, diacritics or not), from the index's facet values."""
        reader = self._searcher.reader()
        return values_by_key(held(reader, FACET_PREFIX + name, reader.field_terms(FACET_PREFIX + name)))

    def _selected_titles(self, uprisings: list[str]) -> list[str]:
        """The exact titles the `uprising` filter values name; `QueryError` for an unknown one."""
        titles = self._titles()
        for wanted in uprisings:
            if not wanted.strip():
                raise QueryError(
                    lambda advice: f"empty value for uprising: give a title ({advice.titles} lists them)"
                )
            if article_key(wanted.strip()) not in titles:
                unknown = f"unknown uprising {quoted(wanted)}"
                raise QueryError(partial(_closest_titles, unknown, wanted, self.uprisings()))
        chosen = (title for wanted in uprisings for title in titles[article_key(wanted.strip())])
        return list(dict.fromkeys(chosen))

    def _suggestion(
        self,
        text: str,
        retried: query.Query | None,
        found: int,
        count: Callable[[query.Query], int],
        parse: Callable[[str], query.Query],
    ) -> str | None:
        """Did you mean (`suggest.suggestion`): `retried` is the query with close spellings
        that gave the hits shown, if one did; `found` the query's own count of hits; `count`
        counts a parsed query's hits with the search's filters (a count only: no scores, no
        page, no facets); `parse` parses a text as the search does."""
        vocabulary = IndexVocabulary(self._searcher.reader(), parse, lambda: self._written)

        def count_hits(candidate: str) -> int:
            try:
                return count(parse(candidate))
            except (QueryError, WhooshQueryError):
                return 0

        matched = vocabulary.matched_by(retried) if retried is not None else None
        return suggestion(text, vocabulary, count_hits, found=found, retried=matched)

    def _selection(
        self, titles: list[str], filters: object
    ) -> dict[str, tuple[query.Query, list[str]]]:
        """The active filters by facet: the Whoosh filter query and the values chosen.

        `titles` (from `article=`/`uprising=`) and the `article` filter are one filter:
        titles, any case."""
        filters = {} if filters is None else filters
        if not isinstance(filters, Mapping) or not all(isinstance(name, str) for name in filters):
            raise QueryError(f"filters must map field names to values, not {arguments.described(filters)}")
        known = self._filter_fields
        chosen: dict[str, list[str]] = {}
        for name, values in filters.items():
            values = arguments.strings(values, f"filter {quoted(name)}")
            chosen.setdefault(facet_name(name, known), []).extend(values)
        for name, values in chosen.items():
            if name not in known:
                raise unknown_field(f"filter field {quoted(name)}", name, known)
            if name == "article":  # titles: `_selected_titles` checks them
                continue
            if any(not value.strip() for value in values):
                raise QueryError(f"empty value for filter {quoted(name)}: give words to match")
            for value in values:
                if kind := _comparison(value):
                    raise QueryError(
                        f"filter {quoted(name)}: {quoted(value)} is {kind}; a filter matches values "
                        f"(the query {name}:{value.strip()} compares)"
                    )
        chosen = {name: _distinct(values) for name, values in chosen.items() if values}
        if titles := [*chosen.get("article", ()), *titles]:
            chosen["article"] = self._selected_titles(titles)
        try:
            if "year" in chosen:
                chosen["year"] = list(dict.fromkeys(parse_year(value) for value in chosen["year"]))
        except ValueError as error:
            raise QueryError(f"filter 'year': {error}") from None
        selection = {}
        for name, values in chosen.items():
            try:
                whole = self._whole(name)
                selection[name] = (filter_query(name, values, self._queries.kinds, whole), values)
            except ValueError as error:  # a period that names none
                raise QueryError(f"filter {quoted(name)}: {error}") from None
        return selection

    @cached_property
    def _filter_fields(self) -> frozenset[str]:
        """The names a filter or a facet may use (`facet_name` reads other names of them):
        `article`, `year`, the default facets and every infobox field of the index (hundreds
        on a big index; asked twice a search)."""
        return self._queries.infobox_fields | {"article", "year", *DEFAULT_FACETS}

    def _facet_names(self, facets: object) -> list[str]:
        """The facets to count: True for the default ones, False or None for none, else the
        names (a string is one name)."""
        if facets is True:
            return list(DEFAULT_FACETS)
        known = self._filter_fields
        names = [facet_name(name, known) for name in arguments.strings(facets or (), "facets")]
        for name in names:
            if not name.strip():
                raise QueryError(
                    lambda advice: f"empty facet name: give a field's name ({advice.fields} lists them)"
                )
            if name not in known:
                raise unknown_field(f"facet {quoted(name)}", name, known)
        return names

    def _facet_values(
        self, name: str, counts: dict[str, FacetCount], selection: tuple[query.Query, list[str]] | None,
        found: FacetCount,
    ) -> list[FacetValue]:
        """Every value with its counts, chosen ones marked (and listed even when none match);
        most articles first. A value chosen that is no value of the field (`Tyler, Texas`,
        where the field's values are `Tyler` and `Texas`) counts what the search `found` when
        it is the only one chosen (it is the facet's whole filter), else nothing."""
        chosen = selection[1] if selection else []
        kinds, whole = self._queries.kinds, self._whole(name) if chosen else {}
        # Each value's choosers, found once: a chosen value that chooses none is listed too.
        chosen_by = {value: [c for c in chosen if chooses(name, c, value, kinds, whole)] for value in counts}
        values = [
            FacetValue(value, count.sections, bool(chosen_by[value]), count.articles)
            for value, count in counts.items()
        ]
        choosing = {c for choosers in chosen_by.values() for c in choosers}
        alone = found if len(chosen) == 1 else FacetCount(0, 0)
        values += [FacetValue(c, alone.sections, True, alone.articles) for c in chosen if c not in choosing]
        return sorted(values, key=lambda v: (-v.articles, -v.count, v.value))


def unheld_filters(selection: Mapping[str, tuple[query.Query, list[str]]],
                   kept: Mapping[str, Collection[str]]) -> list[str]:
    """Why a filtered search matches nothing, when it is a filter's own doing: the filters
    (`selection`) whose values no article has (`kept`: the articles each filter keeps)."""
    return [
        f"no article has {name} " + " or ".join(map(quoted, values))
        for name, (_, values) in selection.items() if not kept.get(name)
    ]


def _comparison(value: str) -> str | None:
    """What a filter's value is when it is written as a query compares (`>1000`, `[1 TO 2]`)."""
    return "a comparison" if _COMPARISON.match(value) else "a range" if _RANGE.match(value) else None


def _closest_titles(missing: str, wanted: str, titles: list[str], advice: Advice) -> str:
    """The error for a title not found (`missing` says what was not), naming the closest."""
    return f"{missing}; closest titles: {closest(wanted, titles, advice.titles)}"


def _distinct(values: Sequence[str]) -> list[str]:
    """The values without repeats, whatever their case."""
    return list({value.casefold(): value for value in reversed(values)}.values())[::-1]


def _with_example(
    info: FieldInfo | None, name: str, kind: str, key: str, value: str, new_article: bool
) -> FieldInfo:
    """`info` updated with one more key and value for the field `name` of this `kind` (as
    `FieldKinds` reads the index): its example is the first value that reads as the kind
    (a date field's `21 July 1968`, not `No data`), else the first value."""
    if info is None:
        return FieldInfo(name, kind, (key,), value, 1)
    keys = info.keys if key in info.keys else (*info.keys, key)
    example = info.example if _reads_as(kind, info.example) or not _reads_as(kind, value) else value
    return FieldInfo(name, kind, keys, example or value, info.articles + new_article)


def _reads_as(kind: str, value: str) -> bool:
    """Whether an infobox value reads as a field of this kind does: a date, a number, text."""
    if kind == "date":
        return parse_date_interval(value) is not None
    if kind == "number":
        return parse_number(value) is not None
    return bool(value)
