#!/usr/bin/env python
"""Benchmark `searcher` against a plain Whoosh index and SQLite FTS5.

One run builds every engine on the same corpora, asks every engine the same
queries, and prints one table per corpus (see bench/README.md).  Each build,
each engine's queries, the timing of every engine's queries side by side, and
each update runs in a fresh child process (this script's hidden ``_worker``
sub-command), one at a time, so timings and peak memory are isolated.  Raw
figures go to a JSON file so runs can be compared.

    python bench/run.py [--quick] [--out results.json] [--corpus DIR]

Standard library only, plus whoosh and searcher (imported in the children).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = ROOT / "corpus"
SHARED_DATA = ROOT.parent / "shared" / "data"
LEADS_TARBALL = SHARED_DATA / "wikipedia-leads-10k.tar.gz"
ARTICLES_DIR = SHARED_DATA / "articles"
OUT_DIR = ROOT / "bench" / "out"

ENGINE_NAMES = ("searcher", "whoosh", "fts5")
CORPUS_NAMES = ("bundled", "leads10k", "scaled")
TOP_N = 10
# Updates after an edit of one article, per engine and corpus, the engines in turn; the median
# is reported (a single update's time moved by 20% from run to run on a noisy machine).
UPDATE_ROUNDS = 3
MB = 1024 * 1024


# --------------------------------------------------------------------------
# The article format, split the straightforward way (for whoosh and fts5)
# --------------------------------------------------------------------------

TITLE_RE = re.compile(r"^=(?!=)\s*(.*?)\s*(?<!=)=$")
HEADING_RE = re.compile(r"^(={2,})\s*(.*?)\s*\1$")


@dataclass(frozen=True)
class Section:
    path: str  # file name relative to the corpus folder
    article: str
    heading: str  # "" for the lead
    text: str


def split_article(file: Path, rel: str) -> list[Section]:
    """The sections of an article file (`split_text`); one that is not UTF-8 yields nothing,
    as searcher skips it too."""
    try:
        return split_text(file.read_text(encoding="utf-8-sig"), rel)
    except UnicodeDecodeError:
        return []


def split_text(article_text: str, rel: str) -> list[Section]:
    """Title line `= T =`, lead, then one section per `==H==` (any depth).

    Infobox and list lines stay text of the section they stand in; sections
    with no text (a heading straight followed by a sub-heading) are dropped.
    A text without a title line yields nothing.
    """
    lines = article_text.splitlines()
    body = [line.strip() for line in lines if line.strip()]
    if not body or not (title := TITLE_RE.match(body[0])):
        return []
    article = title.group(1)
    sections: list[Section] = []
    heading = ""
    text: list[str] = []

    def close() -> None:
        if text:
            sections.append(Section(rel, article, heading, "\n".join(text)))

    for line in body[1:]:
        if match := HEADING_RE.match(line):
            close()
            heading, text = match.group(2), []
        else:
            text.append(line)
    close()
    return sections


def corpus_files(corpus: Path) -> list[Path]:
    """The article files as searcher finds them: names ending in `.txt` (any case), in
    subfolders too and through links (a folder reached twice is read once), hidden files and
    folders and broken links left out; sorted by path below `corpus`."""
    found = []
    walked: set[tuple[int, int]] = set()
    for folder, subfolders, names in os.walk(corpus, followlinks=True):
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in walked:
            subfolders.clear()
            continue
        walked.add((info.st_dev, info.st_ino))
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found += [Path(folder, name) for name in names if name.lower().endswith(".txt")
                  and not name.startswith(".") and Path(folder, name).is_file()]
    return sorted(found, key=lambda file: relative(file, corpus))


def relative(file: Path, corpus: Path) -> str:
    """A file's path below the corpus folder, with `/`: its `path` in every engine."""
    return file.relative_to(corpus).as_posix()


def iter_sections(corpus: Path) -> Iterator[Section]:
    for file in corpus_files(corpus):
        yield from split_article(file, relative(file, corpus))


# --------------------------------------------------------------------------
# Corpora
# --------------------------------------------------------------------------


@dataclass
class Corpus:
    name: str
    path: Path
    how: str
    files: int = 0
    sections: int = 0  # as split by this script

    def count(self) -> Corpus:
        self.files = len(corpus_files(self.path))
        self.sections = sum(1 for _ in iter_sections(self.path))
        return self


def make_bundled(dest: Path) -> Corpus:
    dest.mkdir(parents=True)
    for file in corpus_files(BUNDLED_CORPUS):
        shutil.copyfile(file, dest / file.name)
    return Corpus("bundled", dest, "corpus/ of the checkout, copied").count()


def lead_files(limit: int | None) -> Iterator[tuple[str, bytes]]:
    """(file name, content) of the leads in the tarball, the first `limit` by name."""
    with tarfile.open(LEADS_TARBALL) as tar:
        members = [m for m in tar.getmembers()
                   if m.isfile() and m.name.startswith("summaries/") and m.name.endswith(".txt")]
        wanted = set(sorted(m.name for m in members)[:limit])
        for member in members:  # in archive order: seeking back in a .gz re-reads it
            if member.name not in wanted:
                continue
            source = tar.extractfile(member)
            assert source is not None
            yield Path(member.name).name, source.read()


def make_leads(dest: Path, limit: int | None) -> Corpus:
    dest.mkdir(parents=True)
    for name, data in lead_files(limit):
        (dest / name).write_bytes(data)
    how = f"{LEADS_TARBALL.name}: summaries/*.txt" + (f", first {limit} by name" if limit else "")
    return Corpus("leads10k", dest, how).count()


def make_scaled(dest: Path, target_sections: int) -> Corpus:
    """Repeat the real articles of shared/data/articles until the target is reached.

    Pass 0 copies every article as is; pass k >= 1 copies it again with the title
    line `= T (copy k) =`.  Files are named `kNNN_<folder>_<name>`.
    """
    dest.mkdir(parents=True)
    sources = sorted(ARTICLES_DIR.glob("*/*.txt"))
    if not sources:
        raise SystemExit(f"no articles under {ARTICLES_DIR}")
    written = 0
    for copy in range(10_000):
        for source in sources:
            if written >= target_sections:
                how = (f"copies of the {len(sources)} real articles of "
                       f"{ARTICLES_DIR.relative_to(SHARED_DATA.parent)}/, pass k >= 1 titled "
                       f"'= T (copy k) =', {copy + 1} passes, stopped at {target_sections} sections")
                return Corpus("scaled", dest, how).count()
            text = source.read_text(encoding="utf-8")
            if copy:
                text = retitle(text, f" (copy {copy})")
            name = f"k{copy:03d}_{source.parent.name}_{source.name}"
            (dest / name).write_text(text, encoding="utf-8")
            written += len(split_article(dest / name, name))
    raise AssertionError("unreachable")


def make_copy(dest: Path, name: str, source: Path) -> Corpus:
    """A `--corpus` folder's article files, copied (through links) with their subfolders, so
    the update benchmark edits the copy, never the user's file."""
    dest.mkdir(parents=True)
    files = corpus_files(source)
    for file in files:
        target = dest / relative(file, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
    return Corpus(name, dest, f"--corpus {source}: its {len(files)} .txt files, copied").count()


def retitle(text: str, suffix: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if match := TITLE_RE.match(line.strip()):
            lines[i] = f"= {match.group(1)}{suffix} ="
            break
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------

# Whoosh's default stop list plus the commonest English function words: a query
# made only of these would match nothing in Whoosh and everything in FTS5.
STOP_WORDS = frozenset("""
a an and are as at be by can for from have if in is it may not of on or tbd that the this
to us we when will with yet you your was were his her its their there which who whom also
but had has been than then into out over such other more most some all any these those
would could should about after before between while during under only both each
""".split())
# Whoosh's default tokenizer pattern: "Commander1" is one token, "Stalin's" two.
TOKEN_RE = re.compile(r"\w+(?:\.?\w+)*")


def query_words(text: str) -> list[tuple[str, int, int]]:
    """Tokens usable as query words: ASCII letters only, 3+ long, with their spans."""
    return [(m.group().lower(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)
            if len(m.group()) >= 3 and m.group().isascii() and m.group().isalpha()]


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]
    phrase: bool = False

    @property
    def kind(self) -> str:
        return "phrase" if self.phrase else f"{len(self.words)}-word"

    def whoosh_syntax(self) -> str:
        joined = " ".join(self.words)
        return f'"{joined}"' if self.phrase else joined

    def fts5_syntax(self) -> str:
        def quote(s: str) -> str:
            return '"' + s.replace('"', '""') + '"'
        return quote(" ".join(self.words)) if self.phrase else " ".join(map(quote, self.words))


def section_words(section: Section) -> set[str]:
    tokens = set(TOKEN_RE.findall(section.text.lower()))
    return {t for t in tokens if len(t) >= 3 and t.isascii() and t.isalpha()} - STOP_WORDS


def draw_queries(sections: Sequence[Section], n: int, seed: int) -> list[Query]:
    """A seeded sample: 50% one word, 30% two words, 20% two-word phrases.

    Words are ASCII, 3+ letters, not stop words, of mid document frequency
    (in at least max(2, 0.05% of sections) and at most max(that, 2%) sections).
    Two-word queries take both words from one random section, so they match;
    phrases are two adjacent words of a random section's text.
    """
    rng = random.Random(seed)
    words_of = [section_words(s) for s in sections]
    df = Counter(w for ws in words_of for w in ws)
    lo = max(2, math.ceil(len(sections) * 0.0005))
    hi = max(lo, int(len(sections) * 0.02))
    mid = {w for w, c in df.items() if lo <= c <= hi}
    queries: dict[Query, None] = {}
    want = {1: n // 2, 2: n * 3 // 10, 0: n - n // 2 - n * 3 // 10}

    def add(query: Query | None, key: int) -> None:
        if query and want[key] > 0 and query not in queries:
            queries[query] = None
            want[key] -= 1

    singles = sorted(mid)
    for _ in range(50 * n):
        if not any(want.values()):
            break
        if want[1] and singles:
            add(Query((rng.choice(singles),)), 1)
        i = rng.randrange(len(sections))
        pool = sorted(words_of[i] & mid)
        if want[2] and len(pool) >= 2:
            add(Query(tuple(rng.sample(pool, 2))), 2)
        if want[0]:
            add(pick_phrase(sections[i].text, mid, rng), 0)
    return list(queries)


def pick_phrase(text: str, mid: set[str], rng: random.Random) -> Query | None:
    """Two adjacent tokens separated by one space, no stop word, one of mid frequency."""
    words = query_words(text)
    pairs = [(a, b) for (a, _, end), (b, start, _) in itertools.pairwise(words)
             if text[end:start] == " " and a not in STOP_WORDS and b not in STOP_WORDS
             and (a in mid or b in mid)]
    return Query(rng.choice(pairs), phrase=True) if pairs else None


def query_to_json(q: Query) -> dict[str, Any]:
    return {"words": list(q.words), "phrase": q.phrase}


def query_from_json(d: dict[str, Any]) -> Query:
    return Query(tuple(d["words"]), d["phrase"])


# --------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------


@dataclass
class Answer:
    hits: list[tuple[str, str, str]]  # (article, section, snippet) for the top N
    facet_values: int = 0  # distinct facet values counted (0 without facets)
    facet_names: tuple[str, ...] = ()  # the facets counted


@dataclass
class Built:
    sections: int
    articles: int


class Session(Protocol):
    def search(self, query: Query, facets: bool) -> Answer: ...


class Engine(Protocol):
    name: str

    def build(self, corpus: Path, index: Path) -> Built: ...

    def update(self, corpus: Path, index: Path, changed: Path) -> None: ...

    def open(self, corpus: Path, index: Path) -> contextlib.AbstractContextManager[Session]: ...

    def cold_command(self, corpus: Path, index: Path, query: Query) -> list[str]: ...


def count_built(sections: Iterable[Section]) -> tuple[list[Section], Built]:
    sections = list(sections)
    return sections, Built(len(sections), len({s.path for s in sections}))


class WhooshEngine:
    """Plain Whoosh, the straightforward way: TEXT(stored=True), one writer, default analyzer."""

    name = "whoosh"

    @staticmethod
    def schema() -> Any:
        from whoosh.fields import ID, TEXT, Schema

        return Schema(
            path=ID(stored=True, unique=True),
            article=ID(stored=True, sortable=True),
            section=TEXT(stored=True),
            text=TEXT(stored=True),
        )

    def build(self, corpus: Path, index: Path) -> Built:
        from whoosh.index import create_in

        sections, built = count_built(iter_sections(corpus))
        writer = create_in(str(index), self.schema()).writer()
        for s in sections:
            writer.add_document(path=s.path, article=s.article, section=s.heading, text=s.text)
        writer.commit()
        return built

    def update(self, corpus: Path, index: Path, changed: Path) -> None:
        from whoosh.index import open_dir

        writer = open_dir(str(index)).writer()
        name = relative(changed, corpus)
        writer.delete_by_term("path", name)
        for s in split_article(changed, name):
            writer.add_document(path=s.path, article=s.article, section=s.heading, text=s.text)
        writer.commit()

    @contextlib.contextmanager
    def open(self, corpus: Path, index: Path) -> Iterator[Session]:
        from whoosh.index import open_dir

        with open_dir(str(index)).searcher() as searcher:
            yield WhooshSession(searcher)

    def cold_command(self, corpus: Path, index: Path, query: Query) -> list[str]:
        return [sys.executable, "-c", WHOOSH_ONE_SHOT, str(index), query.whoosh_syntax()]


class WhooshSession:
    def __init__(self, searcher: Any) -> None:
        from whoosh.qparser import QueryParser
        from whoosh.sorting import Count, FieldFacet

        self.searcher = searcher
        self.parser = QueryParser("text", searcher.schema)
        self.article_facet = FieldFacet("article", maptype=Count)

    def search(self, query: Query, facets: bool) -> Answer:
        parsed = self.parser.parse(query.whoosh_syntax())
        grouped = {"groupedby": self.article_facet} if facets else {}
        results = self.searcher.search(parsed, limit=TOP_N, **grouped)
        # With groupedby Whoosh collects (and ranks) every match: keep the top N.
        hits = [(h["article"], h["section"], h.highlights("text")) for h in results[:TOP_N]]
        if not facets:
            return Answer(hits)
        return Answer(hits, len(results.groups("article")), ("article",))


# What searcher's CLI imports beside Whoosh and the standard library a one-shot script uses.
CLI_LIBRARIES = "click, pathlib"
# What a one-shot `search --json` process looks like with plain Whoosh.
WHOOSH_ONE_SHOT = """\
import json, sys
from whoosh.index import open_dir
from whoosh.qparser import QueryParser
ix = open_dir(sys.argv[1])
with ix.searcher() as s:
    r = s.search(QueryParser("text", ix.schema).parse(sys.argv[2]), limit=10)
    print(json.dumps([{"article": h["article"], "section": h["section"],
                       "snippet": h.highlights("text")} for h in r]))
"""


class Fts5Engine:
    """SQLite FTS5 from the standard library: one table, bm25 ranking, snippet()."""

    name = "fts5"
    CREATE = "CREATE VIRTUAL TABLE t USING fts5(path UNINDEXED, article UNINDEXED, section UNINDEXED, text)"
    INSERT = "INSERT INTO t (path, article, section, text) VALUES (?, ?, ?, ?)"
    TOP = (f"SELECT article, section, snippet(t, 3, '<b>', '</b>', '...', 32) FROM t "
           f"WHERE t MATCH ? ORDER BY rank LIMIT {TOP_N}")
    FACET = "SELECT article, count(*) FROM t WHERE t MATCH ? GROUP BY article"

    @staticmethod
    def db(index: Path) -> Path:
        return index / "fts5.sqlite"

    @staticmethod
    def rows(sections: Iterable[Section]) -> Iterator[tuple[str, str, str, str]]:
        return ((s.path, s.article, s.heading, s.text) for s in sections)

    def build(self, corpus: Path, index: Path) -> Built:
        sections, built = count_built(iter_sections(corpus))
        with contextlib.closing(sqlite3.connect(self.db(index))) as conn, conn:
            conn.execute(self.CREATE)
            conn.executemany(self.INSERT, self.rows(sections))
        return built

    def update(self, corpus: Path, index: Path, changed: Path) -> None:
        name = relative(changed, corpus)
        with contextlib.closing(sqlite3.connect(self.db(index))) as conn, conn:
            conn.execute("DELETE FROM t WHERE path = ?", (name,))
            conn.executemany(self.INSERT, self.rows(split_article(changed, name)))

    @contextlib.contextmanager
    def open(self, corpus: Path, index: Path) -> Iterator[Session]:
        with contextlib.closing(sqlite3.connect(self.db(index))) as conn:
            yield Fts5Session(conn)

    def cold_command(self, corpus: Path, index: Path, query: Query) -> list[str]:
        return [sys.executable, "-c", FTS5_ONE_SHOT, str(self.db(index)), query.fts5_syntax()]


class Fts5Session:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def search(self, query: Query, facets: bool) -> Answer:
        match = query.fts5_syntax()
        hits = [tuple(row) for row in self.conn.execute(Fts5Engine.TOP, (match,))]
        if not facets:
            return Answer(hits)
        counts = self.conn.execute(Fts5Engine.FACET, (match,)).fetchall()
        return Answer(hits, len(counts), ("article",))


FTS5_ONE_SHOT = f"""\
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute({Fts5Engine.TOP!r}, (sys.argv[2],))
print(json.dumps([{{"article": a, "section": s, "snippet": x}} for a, s, x in rows]))
"""


class SearcherEngine:
    """The project under test, through its Python API and its CLI."""

    name = "searcher"

    def build(self, corpus: Path, index: Path) -> Built:
        from searcher import update_index

        report = update_index(corpus, index, rebuild=True)
        return Built(report.sections, report.articles)

    def update(self, corpus: Path, index: Path, changed: Path) -> None:
        from searcher import update_index

        update_index(corpus, index)

    @contextlib.contextmanager
    def open(self, corpus: Path, index: Path) -> Iterator[Session]:
        from searcher import Searcher

        with Searcher.open(index=index, corpus=corpus, update=False) as s:
            yield SearcherSession(s)

    def cold_command(self, corpus: Path, index: Path, query: Query) -> list[str]:
        script = Path(sys.executable).with_name("searcher")
        head = [str(script)] if script.exists() else [sys.executable, "-m", "searcher"]
        return [*head, "search", query.whoosh_syntax(), "--json",
                "--corpus", str(corpus), "--index", str(index)]


class SearcherSession:
    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher

    def search(self, query: Query, facets: bool) -> Answer:
        result = self.searcher.search(query.whoosh_syntax(), limit=TOP_N, facets=facets)
        hits = [(h.article, h.section, h.snippet) for h in result.hits]
        for h in result.hits:  # make sure lazily computed highlights are paid for
            _ = h.highlights
        counted = result.facets or {}
        return Answer(hits, sum(map(len, counted.values())), tuple(counted))


ENGINES: dict[str, Callable[[], Engine]] = {
    "searcher": SearcherEngine,
    "whoosh": WhooshEngine,
    "fts5": Fts5Engine,
}


# --------------------------------------------------------------------------
# Child-process tasks (`run.py _worker SPEC.json`), one per build/query/update
# --------------------------------------------------------------------------


def vm_hwm_mb() -> float | None:
    """Peak resident memory of this process (Linux)."""
    return proc_file_kb(os.getpid(), "status", "VmHWM:") / 1024 or None


def vm_rss_mb() -> float | None:
    """Resident memory of this process now (Linux)."""
    return proc_file_kb(os.getpid(), "status", "VmRSS:") / 1024 or None


def children_maxrss_mb() -> float:
    """Largest peak RSS among this process's finished child processes."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def task_build(spec: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    built = engine_of(spec).build(Path(spec["corpus"]), Path(spec["index"]))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, **asdict(built),
            "peak_rss_mb": vm_hwm_mb(), "children_peak_rss_mb": children_maxrss_mb()}


def timed_search(session: Session, query: Query, facets: bool) -> float:
    started = time.perf_counter()
    session.search(query, facets)
    return (time.perf_counter() - started) * 1000


def task_queries(spec: dict[str, Any]) -> dict[str, Any]:
    """Each query set in turn on one open index (see `time_queries`), and the resident
    memory of the process once the index is open and after all the queries."""
    engine, sets = engine_of(spec), query_sets_of(spec)
    with engine.open(Path(spec["corpus"]), Path(spec["index"])) as session:
        rss_open = vm_rss_mb()
        timed = {name: time_queries(engine, session, queries, spec["passes"])
                 for name, queries in sets.items()}
        rss_queried = vm_rss_mb()
    return {"sets": timed, "rss_open_mb": rss_open, "rss_queried_mb": rss_queried,
            "peak_rss_mb": vm_hwm_mb()}


def query_sets_of(spec: dict[str, Any]) -> dict[str, list[Query]]:
    return {name: [query_from_json(q) for q in json.loads(Path(file).read_text())]
            for name, file in spec["query_sets"].items()}


def task_side_by_side(spec: dict[str, Any]) -> dict[str, Any]:
    """Every engine's index open in this one process, each query set timed `side_by_side`:
    each engine's per-query medians, by query set."""
    sets = query_sets_of(spec)
    with contextlib.ExitStack() as stack:
        sessions = {name: stack.enter_context(ENGINES[name]().open(Path(spec["corpus"]), Path(index)))
                    for name, index in spec["indexes"].items()}
        timed = {name: side_by_side(sessions, queries, spec["passes"]) for name, queries in sets.items()}
    return {engine: {name: times[engine] for name, times in timed.items()} for engine in sessions}


def side_by_side(sessions: dict[str, Session], queries: Sequence[Query], passes: int,
                 warmed: Callable[[], object] | None = None,
                 after: Callable[[str, bool], None] | None = None) -> dict[str, dict[str, list[float]]]:
    """One warm-up pass, then `passes` timed passes; each query asked of every engine, with
    and without facets, the engines taking turns to go first query by query (and facets every
    second query): a machine whose speed drifts slows them alike, and none gains from
    another's warm caches. Each engine's per-query medians (`plain_ms`, `faceted_ms`).
    `warmed()` is called once the warm-up pass is done, `after(engine, facets)` after each
    timed search."""
    for q in queries:
        for session in sessions.values():
            session.search(q, False)
            session.search(q, True)
    if warmed is not None:
        warmed()
    names = list(sessions)
    times: dict[str, dict[str, list[list[float]]]] = {
        name: {"plain_ms": [[] for _ in queries], "faceted_ms": [[] for _ in queries]} for name in names
    }
    for _ in range(passes):
        for i, q in enumerate(queries):
            for facets in (False, True) if i // 2 % 2 == 0 else (True, False):
                for name in names[i % len(names):] + names[:i % len(names)]:
                    times[name]["faceted_ms" if facets else "plain_ms"][i].append(
                        timed_search(sessions[name], q, facets))
                    if after is not None:
                        after(name, facets)
    return {name: {key: [statistics.median(t) for t in per_query] for key, per_query in kinds.items()}
            for name, kinds in times.items()}


def time_queries(engine: Engine, session: Session, queries: Sequence[Query],
                 passes: int) -> dict[str, Any]:
    """One warm-up pass, then `passes` timed passes; per-query median latency."""
    plain: list[list[float]] = [[] for _ in queries]
    faceted: list[list[float]] = [[] for _ in queries]
    for q in queries:
        session.search(q, False)
        session.search(q, True)
    for _ in range(passes):
        for i, q in enumerate(queries):
            # Alternate which call goes first, so neither gains from the other's warm caches.
            for facets in (False, True) if i % 2 == 0 else (True, False):
                (faceted if facets else plain)[i].append(timed_search(session, q, facets))
    answers = [session.search(q, True) for q in queries]
    if too_many := [str(q) for q, a in zip(queries, answers, strict=True) if len(a.hits) > TOP_N]:
        raise AssertionError(f"{engine.name} returned more than {TOP_N} hits for {too_many[:3]}")
    return {
        "plain_ms": [statistics.median(t) for t in plain],
        "faceted_ms": [statistics.median(t) for t in faceted],
        "top_hits": [len(a.hits) for a in answers],
        "facet_values": [a.facet_values for a in answers],
        "facet_names": sorted({name for a in answers for name in a.facet_names}),
        "top_articles": [[h[0] for h in a.hits] for a in answers],
        "first_snippet": [a.hits[0][2] if a.hits else None for a in answers],
    }


def task_update(spec: dict[str, Any]) -> dict[str, Any]:
    corpus, index, changed = Path(spec["corpus"]), Path(spec["index"]), Path(spec["changed"])
    engine = engine_of(spec)
    started = time.perf_counter()
    engine.update(corpus, index, changed)
    seconds = time.perf_counter() - started
    with engine.open(corpus, index) as session:
        found = len(session.search(Query((spec["marker"],)), False).hits)
    return {"seconds": seconds, "marker_hits": found, "peak_rss_mb": vm_hwm_mb()}


TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "build": task_build,
    "queries": task_queries,
    "side_by_side": task_side_by_side,
    "update": task_update,
}


def engine_of(spec: dict[str, Any]) -> Engine:
    return ENGINES[spec["engine"]]()


def worker_main(spec_file: str) -> None:
    spec = json.loads(Path(spec_file).read_text())
    sys.path.insert(0, spec["code"])  # this run's snapshot of the searcher package wins
    result = TASKS[spec["task"]](spec)
    print("\n" + json.dumps(result))


# --------------------------------------------------------------------------
# Parent side: run children one at a time, sample their memory
# --------------------------------------------------------------------------


class TreeMemorySampler(threading.Thread):
    """Peak memory of a process and all its descendants (Linux /proc; zero elsewhere).

    Every `interval` it sums the tree's RSS (cheap); near a new RSS peak, at most every
    `pss_interval`, it also sums PSS, which counts pages shared by forked workers once but
    costs milliseconds per process to read, so sampling it constantly would slow the build.
    """

    def __init__(self, pid: int, interval: float = 0.1, pss_interval: float = 0.3) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss_interval = pid, interval, pss_interval
        self.peak_rss_mb = self.peak_pss_mb = 0.0
        self.max_processes = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        last_pss = 0.0
        while not self.stopped.wait(self.interval):
            pids = descendants(self.pid)
            self.max_processes = max(self.max_processes, len(pids))
            rss = sum(proc_status_kb(pid, "VmRSS:") for pid in pids) / 1024
            near_peak = rss >= 0.95 * self.peak_rss_mb
            self.peak_rss_mb = max(self.peak_rss_mb, rss)
            if near_peak and time.monotonic() - last_pss >= self.pss_interval:
                last_pss = time.monotonic()
                pss = sum(proc_file_kb(pid, "smaps_rollup", "Pss:") for pid in pids) / 1024
                self.peak_pss_mb = max(self.peak_pss_mb, pss)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def descendants(root: int) -> list[int]:
    """`root` and every process below it, through /proc/PID/task/TID/children."""
    tree = [root]
    for pid in tree:  # grows while iterating: breadth first
        with contextlib.suppress(OSError, ValueError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                tree += map(int, (task / "children").read_text().split())
    return tree


def proc_file_kb(pid: int, file: str, key: str) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    return 0


def proc_status_kb(pid: int, key: str) -> int:
    return proc_file_kb(pid, "status", key)


def snapshot_searcher(work: Path) -> tuple[Path, dict[str, str]]:
    """Copy the checkout's searcher package, so edits made during a run do not mix versions.

    Returns the folder to put first on the import path, and the copy's version and a hash
    of its sources (to tell runs of different code apart).
    """
    code = work / "code"
    shutil.copytree(ROOT / "searcher", code / "searcher",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    sha = hashlib.sha256()
    for file in sorted((code / "searcher").rglob("*")):
        if file.is_file():
            sha.update(file.relative_to(code).as_posix().encode() + b"\0" + file.read_bytes())
    init = (code / "searcher" / "__init__.py").read_text(encoding="utf-8")
    version = re.search(r"^__version__\s*=\s*[\"']([^\"']+)", init, re.M)
    return code, {"searcher": version.group(1) if version else "unknown",
                  "searcher_sources_sha256": sha.hexdigest()[:12]}


def compile_bytecode(code: Path) -> dict[str, bool]:
    """Compile to bytecode, before anything is timed, every package the timed processes import
    beyond the standard library: this run's searcher copy, whoosh and click. Then neither side's
    cold process compiles source, as after `pip install` (which compiles by default).
    Returns, per folder, whether all of it compiled (a read-only install may not)."""
    import compileall
    import importlib.util

    folders = [code / "searcher"]
    for package in ("whoosh", "click"):
        spec = importlib.util.find_spec(package)  # finds it without importing it
        if spec is not None and spec.submodule_search_locations:
            folders += [Path(location) for location in spec.submodule_search_locations]
    return {str(folder): bool(compileall.compile_dir(folder, quiet=2)) for folder in folders}


@dataclass
class Runner:
    work: Path
    code: Path  # import path holding this run's copy of the searcher package
    verbose: bool = True
    # The script whose `_worker` sub-command runs the children (another bench script may
    # register engines of its own in ENGINES and hand `_worker` to `worker_main`).
    script: Path = Path(__file__).resolve()  # noqa: RUF009  (one value, fixed at import)

    def child(self, task: str, engine: str, **spec: Any) -> dict[str, Any]:
        spec_file = self.work / f"spec-{task}-{engine}.json"
        spec_file.write_text(json.dumps({"task": task, "engine": engine, "code": str(self.code),
                                         **spec}))
        command = [sys.executable, str(self.script), "_worker", str(spec_file)]
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = TreeMemorySampler(proc.pid)
        sampler.start()
        out, err = proc.communicate()
        sampler.stop()
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            message = (err.strip().splitlines() or ["no output"])[-1]
            self.note(f"  ! {engine} {task} failed: {message}")
            return {"error": message, "stderr": err[-4000:]}
        result = json.loads(out.strip().splitlines()[-1])
        return {**result, "wall_s": wall, "tree_peak_rss_mb": sampler.peak_rss_mb,
                "tree_peak_pss_mb": sampler.peak_pss_mb, "tree_max_processes": sampler.max_processes}

    def note(self, line: str) -> None:
        if self.verbose:
            print(line, file=sys.stderr, flush=True)


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / MB


def percentile(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(p) - 1]


def median_or_none(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


# --------------------------------------------------------------------------
# One engine on one corpus
# --------------------------------------------------------------------------


@dataclass
class Plan:
    builds: int
    query_passes: int
    cli_runs: int
    update_rounds: int = UPDATE_ROUNDS


def build(runner: Runner, engine: str, corpus: Corpus, plan: Plan) -> dict[str, Any]:
    """Build `plan.builds` times (each into an empty folder)."""
    index = runner.work / "index" / corpus.name / engine
    builds = []
    for i in range(plan.builds):
        shutil.rmtree(index, ignore_errors=True)
        index.mkdir(parents=True)
        runner.note(f"  {engine}: build {i + 1}/{plan.builds}")
        builds.append(runner.child("build", engine, corpus=str(corpus.path), index=str(index)))
        if "error" in builds[-1]:
            return {"builds": builds, "error": builds[-1]["error"]}
    return {"builds": builds, "index_mb": dir_size_mb(index), "index": str(index)}


def bench_queries(runner: Runner, raw: dict[str, Any], corpus: Corpus, query_sets: dict[str, str],
                  plan: Plan) -> None:
    """Each built engine's queries in a process of its own (its memory, and its answers), then
    the times of all of them side by side in one process (`side_by_side`): timed one after
    the other, the engines were timed at different moments of a machine whose speed drifts
    from second to second."""
    built = [e for e, result in raw.items() if "error" not in result]
    for engine in built:
        runner.note(f"  {engine}: queries")
        raw[engine]["queries"] = runner.child("queries", engine, corpus=str(corpus.path),
                                              index=raw[engine]["index"], query_sets=query_sets, passes=1)
    runner.note(f"  {', '.join(built)}: queries side by side, {plan.query_passes} passes")
    timed = runner.child("side_by_side", "all", corpus=str(corpus.path), query_sets=query_sets,
                         indexes={e: raw[e]["index"] for e in built}, passes=plan.query_passes)
    for engine in built:
        raw[engine]["side_by_side"] = timed.get(engine, timed)  # (an error: each engine's)


def bench_updates(
    runner: Runner, indexes: dict[str, Path], corpus: Corpus, rounds_wanted: int
) -> dict[str, dict[str, Any]]:
    """Per engine (its index), the median of `rounds_wanted` updates after an edit of one
    article, the engines in turn: each round appends a paragraph with a word of its own to
    the article, so each update indexes it again. The file is restored at the end.

    Runs last on a corpus: each index is left one edit behind the restored file.
    """
    changed = corpus_files(corpus.path)[0]
    original = changed.read_bytes()
    markers = random.Random(corpus.path.name)
    rounds: dict[str, list[dict[str, Any]]] = {engine: [] for engine in indexes}
    try:
        for number in range(rounds_wanted):
            for engine in list(indexes) if number % 2 == 0 else list(indexes)[::-1]:
                runner.note(f"  {engine}: incremental update, round {number + 1}/{rounds_wanted}")
                marker = "benchmarkedit" + "".join(markers.choices("qxzjkv", k=8))
                edit = f"\n\nAn edit for the benchmark: {marker}.\n"
                changed.write_bytes(original.rstrip(b"\n") + edit.encode())
                rounds[engine].append(runner.child("update", engine, corpus=str(corpus.path),
                                                   index=str(indexes[engine]), changed=str(changed),
                                                   marker=marker))
    finally:
        changed.write_bytes(original)
    return {engine: median_update(done) | {"article": relative(changed, corpus.path)}
            for engine, done in rounds.items()}


def median_update(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One engine's update rounds as one: the median time, and whether every round's new word
    was found (or the first failure)."""
    if failed := [done for done in rounds if "error" in done]:
        return failed[0]
    return {"seconds": statistics.median(done["seconds"] for done in rounds),
            "rounds_s": [done["seconds"] for done in rounds],
            "marker_hits": min(done["marker_hits"] for done in rounds),
            "peak_rss_mb": max(done["peak_rss_mb"] or 0 for done in rounds)}


def measure_cold(commands: dict[str, Callable[[Query], list[str]]], queries: Sequence[Query],
                 runs: int, code: Path) -> dict[str, dict[str, Any]]:
    """Round-robin wall times of whole processes; median per command.

    Every command gets the same environment, with this run's searcher snapshot on PYTHONPATH.
    """
    env = os.environ | {"PYTHONPATH": str(code)}
    times: dict[str, list[float]] = {name: [] for name in commands}
    errors: dict[str, str] = {}
    for run in range(runs):
        query = queries[run % len(queries)]
        for name, command in commands.items():
            started = time.perf_counter()
            proc = subprocess.run(command(query), capture_output=True, text=True, env=env,
                                  cwd=tempfile.gettempdir())
            times[name].append((time.perf_counter() - started) * 1000)
            if proc.returncode != 0:
                errors[name] = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            elif name != "floor" and not valid_json(proc.stdout):
                errors[name] = "output is not JSON: " + proc.stdout[:200]
    example = queries[0]
    return {name: {"runs_ms": t, "median_ms": statistics.median(t), "error": errors.get(name),
                   "example_command": commands[name](example)}
            for name, t in times.items()}


def valid_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------
# Figures, table, targets
# --------------------------------------------------------------------------


# The kinds of query `draw_queries` makes (`Query.kind`), each with a p50 of its own.
QUERY_KINDS = ("1-word", "2-word", "phrase")


def figures(raw: dict[str, Any], cold: dict[str, Any], floor_ms: float,
            kinds: Sequence[str]) -> dict[str, float | None]:
    """The table's numbers for one engine on one corpus (None = not measured); `kinds` is
    each query's kind, in the order of the corpus's own queries."""
    builds = [b for b in raw.get("builds", []) if "error" not in b]
    if not builds:
        return {}
    seconds = statistics.median(b["seconds"] for b in builds)
    run, timed = raw.get("queries", {}), raw.get("side_by_side", {})
    q, every = run.get("sets", {}).get("own", {}), run.get("sets", {}).get("all", {})
    own, every_timed = timed.get("own", {}), timed.get("all", {})
    plain, faceted = own.get("plain_ms", []), own.get("faceted_ms", [])
    facet_cost = [f - p for p, f in zip(plain, faceted, strict=True)]
    update = raw.get("update", {})
    cold_ms = cold.get("median_ms") if not cold.get("error") else None
    kinded = list(zip(plain, kinds, strict=True)) if plain else []  # (none: not timed)
    by_kind = {kind: [ms for ms, of in kinded if of == kind] for kind in QUERY_KINDS}
    return {
        "sections": builds[0]["sections"],
        "articles": builds[0]["articles"],
        "build_s": seconds,
        "sections_per_s": builds[0]["sections"] / seconds if seconds else None,
        "index_mb": raw.get("index_mb"),
        "peak_mb": median_or_none([max(b["peak_rss_mb"] or 0, b["tree_peak_pss_mb"]) for b in builds]),
        "query_p50_ms": percentile(plain, 50),
        "query_p95_ms": percentile(plain, 95),
        **{f"query_p50_{kind}_ms": percentile(by_kind[kind], 50) for kind in QUERY_KINDS},
        "query_facets_p50_ms": percentile(faceted, 50),
        "facet_p50_ms": percentile(facet_cost, 50),
        "facet_p95_ms": percentile(facet_cost, 95),
        "zero_hit_queries": q["top_hits"].count(0) if "top_hits" in q else None,
        "all_query_p50_ms": percentile(every_timed.get("plain_ms", []), 50),
        "all_query_p95_ms": percentile(every_timed.get("plain_ms", []), 95),
        "all_query_facets_p50_ms": percentile(every_timed.get("faceted_ms", []), 50),
        "all_zero_hit_queries": every["top_hits"].count(0) if "top_hits" in every else None,
        "rss_open_mb": run.get("rss_open_mb"),
        "rss_queried_mb": run.get("rss_queried_mb"),
        "update_s": update.get("seconds") if update.get("marker_hits") else None,
        "cold_ms": cold_ms,
        "cold_over_floor": cold_ms / floor_ms if cold_ms and floor_ms else None,
    }


# (key, label, format)
ROWS: list[tuple[str, str, str]] = [
    ("articles", "articles", "{:.0f}"),
    ("sections", "sections indexed", "{:.0f}"),
    ("build_s", "build time (median)", "{:.2f} s"),
    ("sections_per_s", "  sections per second", "{:,.0f}"),
    ("index_mb", "index size on disk", "{:.1f} MB"),
    ("peak_mb", "peak memory while building", "{:.0f} MB"),
    ("query_p50_ms", "query+snippets top10 p50", "{:.2f} ms"),
    ("query_p95_ms", "query+snippets top10 p95", "{:.2f} ms"),
    *((f"query_p50_{kind}_ms", f"  {kind} queries p50", "{:.2f} ms") for kind in QUERY_KINDS),
    ("query_facets_p50_ms", "query+snippets+facets p50", "{:.2f} ms"),
    ("facet_p50_ms", "facet counting p50", "{:.2f} ms"),
    ("facet_p95_ms", "facet counting p95", "{:.2f} ms"),
    ("zero_hit_queries", "queries with no hits", "{:.0f}"),
    ("all_query_p50_ms", "all-articles queries p50", "{:.2f} ms"),
    ("all_query_p95_ms", "  p95", "{:.2f} ms"),
    ("all_query_facets_p50_ms", "  with facets p50", "{:.2f} ms"),
    ("all_zero_hit_queries", "  queries with no hits", "{:.0f}"),
    ("rss_open_mb", "RSS with the index open", "{:.0f} MB"),
    ("rss_queried_mb", "  after the queries", "{:.0f} MB"),
    ("update_s", "update after 1 article edit", "{:.3f} s"),
    ("cold_ms", "cold one-shot search process", "{:.0f} ms"),
    ("cold_over_floor", "  / `import whoosh` floor", "{:.2f}x"),
]


def ratio(a: float | None, b: float | None) -> str:
    """a/b, or "-" when either is missing or not positive (a difference lost in noise)."""
    return f"{a / b:.2f}x" if a is not None and b is not None and a > 0 and b > 0 else "-"


def fmt(value: float | None, pattern: str) -> str:
    return pattern.format(value) if value is not None else "n/a"


def table(figs: dict[str, dict[str, float | None]]) -> str:
    s, w, f = (figs.get(e, {}) for e in ENGINE_NAMES)
    head = f"{'':31}{'searcher':>12}{'whoosh':>12}{'fts5':>12}{'srch/whoosh':>13}{'srch/fts5':>11}"
    lines = [head, "-" * len(head)]
    for key, label, pattern in ROWS:
        lines.append(f"{label:31}{fmt(s.get(key), pattern):>12}{fmt(w.get(key), pattern):>12}"
                     f"{fmt(f.get(key), pattern):>12}{ratio(s.get(key), w.get(key)):>13}"
                     f"{ratio(s.get(key), f.get(key)):>11}")
    return "\n".join(lines)


@dataclass
class Target:
    what: str
    value: float | None
    limit: float
    unit: str
    strict: bool = False  # "under" rather than "at most"

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "n/a"
        ok = self.value < self.limit if self.strict else self.value <= self.limit
        return "PASS" if ok else "FAIL"

    def line(self) -> str:
        shown = "n/a" if self.value is None else f"{self.value:.2f}{self.unit}"
        bound = "<" if self.strict else "<="
        return f"  {self.verdict:5} {self.what:48} {shown:>10}  ({bound} {self.limit:g}{self.unit})"


def targets(figs: dict[str, dict[str, float | None]]) -> list[Target]:
    """Issue #12's targets (ratios to plain Whoosh in this run), and a bound on build memory."""
    s, w = figs.get("searcher", {}), figs.get("whoosh", {})

    def rel(key: str, base: str | None = None) -> float | None:
        value, of = s.get(key), w.get(base or key)
        return value / of if value is not None and of else None

    return [
        Target("build time / plain whoosh", rel("build_s"), 0.6, "x"),
        Target("index size / plain whoosh", rel("index_mb"), 1.5, "x"),
        Target("query+snippets p50 / plain whoosh", rel("query_p50_ms"), 0.6, "x"),
        Target("query+snippets p95 / plain whoosh", rel("query_p95_ms"), 0.5, "x"),
        Target("query+snippets+facets p50 / plain whoosh", rel("query_facets_p50_ms"), 1.0, "x"),
        Target("cold `searcher search --json` / plain one-shot", rel("cold_ms"), 1.0, "x"),
        Target("RSS after the queries / plain whoosh", rel("rss_queried_mb"), 1.0, "x"),
        Target("update after one article edit", s.get("update_s"), 0.3, " s", strict=True),
        Target("peak memory while building", s.get("peak_mb"), 400, " MB", strict=True),
    ]


# --------------------------------------------------------------------------
# Machine and the whole run
# --------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    def first(path: str, key: str) -> str | None:
        with contextlib.suppress(OSError):
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        return None

    mem = first("/proc/meminfo", "MemTotal")
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "cpu": first("/proc/cpuinfo", "model name") or platform.processor(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gb": round(int(mem.split()[0]) / 1024 / 1024, 1) if mem else None,
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "executable": sys.executable,
    }
    info |= package_versions()
    return info


def package_versions() -> dict[str, Any]:
    from importlib import metadata

    versions: dict[str, Any] = {}
    for dist in ("whoosh3", "click"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[dist] = metadata.version(dist)
    git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True)
    versions["checkout_rev"] = git.stdout.strip() or "no commit"
    return versions


@dataclass
class Settings:
    corpora: list[str]
    engines: list[str]
    scaled_sections: int
    leads_limit: int | None
    queries: int
    seed: int
    plan: Plan
    repeats_small: int  # builds on corpora under 1,000 sections
    folders: dict[str, str]  # corpus name -> a `--corpus` folder


def settings_from(args: argparse.Namespace) -> Settings:
    quick = args.quick
    folders: dict[str, str] = {}
    for folder in args.corpus:
        base = "dir-" + (re.sub(r"[^\w.-]+", "-", folder.resolve().name) or "root")
        name = base
        while name in folders or name in CORPUS_NAMES:
            name = f"{base}-{len(folders) + 2}"
        folders[name] = str(folder.resolve())
    return Settings(
        corpora=[*args.corpora, *folders],
        engines=args.engines,
        scaled_sections=args.sections or (500 if quick else 20_000),
        leads_limit=300 if quick else None,
        queries=args.queries or (30 if quick else 200),
        seed=args.seed,
        plan=Plan(builds=args.repeats, query_passes=args.query_passes or (1 if quick else 3),
                  cli_runs=args.cli_runs or (3 if quick else 10)),
        repeats_small=max(args.repeats, 1 if quick else 3),
        folders=folders,
    )


def prepare_corpus(name: str, work: Path, settings: Settings) -> Corpus:
    dest = work / "corpora" / name
    if name == "bundled":
        return make_bundled(dest)
    if name == "leads10k":
        return make_leads(dest, settings.leads_limit)
    if name in settings.folders:
        return make_copy(dest, name, Path(settings.folders[name]))
    return make_scaled(dest, settings.scaled_sections)


def all_articles_queries(work: Path, settings: Settings) -> dict[str, Any]:
    """The second query set, the same for every corpus: drawn (as `draw_queries` does) from
    every article text the run can read, not from one corpus's own: the bundled corpus, the
    real articles of shared/data/articles, the leads (as many as `leads10k` takes) and each
    `--corpus` folder (unless it is one of the others). So a query may name what a corpus
    lacks, as a user's often does."""
    sources: dict[str, list[Section]] = {"bundled": list(iter_sections(BUNDLED_CORPUS))}
    if ARTICLES_DIR.is_dir():
        sources["articles"] = list(iter_sections(ARTICLES_DIR))
    if LEADS_TARBALL.exists():
        sources["leads"] = [section for name, data in lead_files(settings.leads_limit)
                            for section in split_text(data.decode("utf-8-sig", "replace"), name)]
    for name, folder in settings.folders.items():
        if Path(folder) not in (BUNDLED_CORPUS.resolve(), ARTICLES_DIR.resolve()):
            sources[name] = list(iter_sections(Path(folder)))
    pool = [section for sections in sources.values() for section in sections]
    queries = draw_queries(pool, settings.queries, settings.seed)
    file = work / "queries-all-articles.json"
    file.write_text(json.dumps([query_to_json(q) for q in queries]))
    return {"file": str(file), "count": len(queries), "kinds": dict(Counter(q.kind for q in queries)),
            "sections_per_source": {name: len(sections) for name, sections in sources.items()},
            "list": [q.whoosh_syntax() for q in queries]}


def bench_corpus(runner: Runner, name: str, settings: Settings, all_queries: str) -> dict[str, Any]:
    corpus = prepare_corpus(name, runner.work, settings)
    runner.note(f"\n[{name}] {corpus.files} files, {corpus.sections} sections: {corpus.how}")
    queries = draw_queries(list(iter_sections(corpus.path)), settings.queries, settings.seed)
    queries_file = runner.work / f"queries-{name}.json"
    queries_file.write_text(json.dumps([query_to_json(q) for q in queries]))
    builds = settings.repeats_small if corpus.sections < 1_000 else settings.plan.builds
    plan = replace(settings.plan, builds=builds)
    query_sets = {"own": str(queries_file), "all": all_queries}
    raw = {e: build(runner, e, corpus, plan) for e in settings.engines}
    bench_queries(runner, raw, corpus, query_sets, plan)
    cold = bench_cold(runner, corpus, queries, raw, plan.cli_runs)
    indexes = {e: Path(result["index"]) for e, result in raw.items() if "index" in result}
    for e, update in bench_updates(runner, indexes, corpus, plan.update_rounds).items():
        raw[e]["update"] = update
    floor = cold["floor"]["median_ms"]
    kinds = [q.kind for q in queries]
    figs = {e: figures(raw[e], cold.get(e, {}), floor, kinds) for e in settings.engines}
    return {
        "corpus": {"files": corpus.files, "sections_bench_split": corpus.sections, "how": corpus.how},
        "queries": {"count": len(queries), "seed": settings.seed,
                    "kinds": dict(Counter(q.kind for q in queries)),
                    "list": [q.whoosh_syntax() for q in queries]},
        "plan": asdict(plan),
        "engines": raw,
        "cold": cold,
        "floor_ms": floor,
        "figures": figs,
    }


def bench_cold(runner: Runner, corpus: Corpus, queries: list[Query], raw: dict[str, Any],
               runs: int) -> dict[str, Any]:
    """Whole-process times: each engine's one-shot search, searcher's CLI also with
    `--no-update` (no corpus check), Whoosh's script also importing the CLI's other libraries,
    and the `import whoosh` floor. Run i asks query i."""
    runner.note(f"  cold processes: {runs} runs each")
    commands: dict[str, Callable[[Query], list[str]]] = {
        "floor": lambda q: [sys.executable, "-c", "import whoosh"]}
    for name, result in raw.items():
        if "index" in result:
            engine, index = ENGINES[name](), Path(result["index"])
            commands[name] = partial(engine.cold_command, corpus.path, index)
    if "searcher" in commands:
        searcher_cli = commands["searcher"]
        commands["searcher --no-update"] = lambda q: [*searcher_cli(q), "--no-update"]
    if "whoosh" in commands:
        whoosh_script = commands["whoosh"]
        # The one-shot script also importing the libraries searcher's CLI loads beside Whoosh:
        # the least a cold search through the CLI could take.
        commands["whoosh + cli libraries"] = lambda q: [
            *(f"import {CLI_LIBRARIES}\n{part}" if part == WHOOSH_ONE_SHOT else part
              for part in whoosh_script(q))]
    cold = measure_cold(commands, queries or [Query(("uprising",))], runs, runner.code)
    for name, c in cold.items():
        if c["error"]:
            runner.note(f"  ! cold {name} failed: {c['error']}")
    return cold


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    out = [f"searcher benchmark, {results['date']}",
           f"machine: {m['platform']}; {m['cpu']}; {m['cpu_count']} CPUs; {m['memory_gb']} GB; "
           f"python {m['python']}; sqlite {m['sqlite']}; whoosh3 {m.get('whoosh3')}; "
           f"searcher {m['searcher']} (checkout {m['checkout_rev']}, "
           f"sources {m['searcher_sources_sha256']})",
           "bytecode compiled before timing: " + ", ".join(
               f"{Path(folder).name} {'yes' if done else 'NO'}"
               for folder, done in results["bytecode_compiled"].items())]
    every = results["all_articles_queries"]
    out.append(f"all-articles queries (the same for every corpus): {every['count']} {every['kinds']}, "
               f"drawn from the sections of {every['sections_per_source']}")
    for name, r in results["corpora"].items():
        c, q, p = r["corpus"], r["queries"], r["plan"]
        sections = {e: f.get("sections") for e, f in r["figures"].items()}
        out += ["", f"== {name}: {c['files']} files, {c['sections_bench_split']} sections ({c['how']})",
                f"   {q['count']} queries {q['kinds']}, seed {q['seed']}; builds {p['builds']} "
                f"(median), queries side by side in one process, {p['query_passes']} timed "
                f"pass{'' if p['query_passes'] == 1 else 'es'} after 1 warm-up (median), updates "
                f"{p.get('update_rounds', 1)} alternated (median), cold runs "
                f"{p['cli_runs']} (median); floor `python -c 'import whoosh'` {r['floor_ms']:.0f} ms",
                f"   sections indexed per engine: {sections}", "", table(r["figures"])]
        no_update = r["cold"].get("searcher --no-update", {})
        if no_update.get("median_ms") and not no_update.get("error"):
            out.append(f"   searcher CLI with --no-update (no corpus check): "
                       f"{no_update['median_ms']:.0f} ms, "
                       f"{no_update['median_ms'] / r['floor_ms']:.2f}x the floor")
        libraries = r["cold"].get("whoosh + cli libraries", {})
        plain = r["cold"].get("whoosh", {})
        if libraries.get("median_ms") and plain.get("median_ms") and not libraries.get("error"):
            out.append(f"   whoosh's one-shot script also importing {CLI_LIBRARIES}: "
                       f"{libraries['median_ms']:.0f} ms, "
                       f"{libraries['median_ms'] / plain['median_ms']:.2f}x the script")
        for e, raw in r["engines"].items():
            if "error" in raw:
                out.append(f"   {e}: {raw['error']}")
    for name, found in results["targets"].items():
        out += ["", f"targets ({name}, searcher against plain whoosh in this run):"]
        out += [t["line"] for t in found]
    return "\n".join(out)


def positive(text: str) -> int:
    """A count given on the command line: a whole number of 1 or more."""
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return int(text)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes for a smoke run (< 1 min)")
    p.add_argument("--out", type=Path, help="JSON results (default bench/out/results-<time>.json)")
    p.add_argument("--repeats", type=positive, default=1,
                   help="builds per engine per corpus (median; corpora under 1,000 sections get at least 3)")
    p.add_argument("--query-passes", type=positive,
                   help="timed passes over the queries, the engines side by side (default 3; 1 with --quick)")
    p.add_argument("--cli-runs", type=positive, help="cold process runs (default 10; 3 with --quick)")
    p.add_argument("--queries", type=positive, help="queries per corpus (default 200; 30 with --quick)")
    p.add_argument("--sections", type=positive, help="sections in the scaled corpus (default 20000)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--corpora", type=lambda s: [name for name in s.split(",") if name],
                   help="comma-separated subset of " + ",".join(CORPUS_NAMES)
                   + " (default: all of them, or none when --corpus is given)")
    p.add_argument("--corpus", type=Path, action="append", default=[], metavar="DIR",
                   help="also run on this folder of article .txt files (copied first; repeatable)")
    p.add_argument("--engines", type=lambda s: s.split(","), default=list(ENGINE_NAMES),
                   help="comma-separated subset of " + ",".join(ENGINE_NAMES))
    p.add_argument("--workdir", type=Path,
                   help="keep generated corpora and indexes in this new or empty folder")
    args = p.parse_args(argv)
    if args.corpora is None:
        args.corpora = [] if args.corpus else list(CORPUS_NAMES)
    for folder in args.corpus:
        if not folder.is_dir() or not corpus_files(folder):
            p.error(f"--corpus {folder}: not a folder with article .txt files")
    if not args.corpora and not args.corpus:
        p.error("no corpus to run on")
    for given, known in ((args.corpora, CORPUS_NAMES), (args.engines, ENGINE_NAMES)):
        if unknown := set(given) - set(known):
            p.error(f"unknown: {', '.join(sorted(unknown))}")
    return args


def main(argv: Sequence[str]) -> int:
    if argv[:1] == ["_worker"]:
        worker_main(argv[1])
        return 0
    args = parse_args(argv)
    settings = settings_from(args)
    started = dt.datetime.now()
    out = args.out or OUT_DIR / f"results-{started:%Y%m%d-%H%M%S}.json"
    with work_dir(args.workdir) as work:
        code, code_info = snapshot_searcher(work)
        runner = Runner(work, code)
        bytecode = compile_bytecode(code)
        for folder, compiled in bytecode.items():
            if not compiled:
                runner.note(f"  ! could not compile {folder}: its processes compile it as they go")
        runner.note("drawing the all-articles queries")
        all_queries = all_articles_queries(work, settings)
        results: dict[str, Any] = {
            "date": started.isoformat(timespec="seconds"),
            "machine": machine() | code_info,
            "settings": asdict(settings),
            "bytecode_compiled": bytecode,
            "all_articles_queries": all_queries,
            "corpora": {name: bench_corpus(runner, name, settings, all_queries["file"])
                        for name in settings.corpora},
        }
    results["targets"] = {
        name: [asdict(t) | {"verdict": t.verdict, "line": t.line()} for t in targets(r["figures"])]
        for name, r in results["corpora"].items()
        if {"searcher", "whoosh"} <= r["figures"].keys() and name != "bundled"
    }
    results["seconds"] = (dt.datetime.now() - started).total_seconds()
    results["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    text = report(results)
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str))
    print(f"\nraw figures: {out}  ({results['seconds']:.0f} s)")
    return 0


@contextlib.contextmanager
def work_dir(given: Path | None) -> Iterator[Path]:
    if given:
        if given.exists() and any(given.iterdir()):
            raise SystemExit(f"--workdir {given} is not empty: give a new or empty folder")
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="searcher-bench-") as tmp:
        yield Path(tmp)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
