#!/usr/bin/env python
"""Known-item benchmark: plain-word searches for one section, with a word remembered wrong.

Each query is 2-4 distinctive words of one section of the corpus (words few sections have),
plus one extra word of the same rarity that the section lacks, at a random place: what a user
types who remembers a section, one word of it wrongly. The known item is that section; every
query is also asked without the extra word. Engines, on the same sections and the same queries:
searcher (its Python API), SQLite FTS5 bm25 with the words ORed, and FTS5 with the words ANDed.
Figures: MRR@10 of the section, success@1, queries with no hits, and the same for the article.

    python bench/knownitem.py [--queries 200] [--seed N] [--corpus DIR] [--out FILE]

See bench/README.md. Standard library, whoosh and searcher; reuses bench/run.py's helpers.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # imported from the tests rather than run as a script
    sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402  (bench/run.py)

DEFAULT_CORPUS = bench.ARTICLES_DIR
DEFAULT_QUERIES = 200
DEFAULT_SEED = 20240601
TOP_N = bench.TOP_N

# The rules of the draw, fixed before any result was looked at (see draw_items).
MAX_DF = 3  # a distinctive word is in at most this many sections
MIN_LETTERS = 4  # and has at least this many letters (ASCII letters only, not a stop word)
MIN_WORDS, MAX_WORDS = 2, 4  # words of the section per query, before the extra word

KINDS = ("with extra word", "without")
Key = tuple[str, str]  # (path below the corpus, section name): the known item


# --------------------------------------------------------------------------
# Sections, as searcher splits them, and the draw
# --------------------------------------------------------------------------


def searcher_sections(corpus: Path) -> list[bench.Section]:
    """The sections searcher indexes, in its own split (infobox apart from the lead; the lead
    named `Lead`), as bench `Section`s: every engine gets exactly these. The files are the ones
    searcher finds (`bench.corpus_files`); one it cannot read or parse gives none."""
    from searcher import ArticleError, read_article

    found = []
    for file in bench.corpus_files(corpus):
        rel = bench.relative(file, corpus)
        try:
            article = read_article(file)
        except ArticleError:
            continue
        found += [bench.Section(rel, article.title, s.name, s.text) for s in article.sections if s.blocks]
    return found


def distinctive_candidates(section: bench.Section) -> set[str]:
    """The section's words that may be query words: bench's query words (whole ASCII-letter
    tokens, lower case, not stop words) of at least MIN_LETTERS letters."""
    return {word for word in bench.section_words(section) if len(word) >= MIN_LETTERS}


def stems_of(*texts: str) -> set[str]:
    from whoosh.lang.porter import stem

    return {stem(token) for text in texts for token in bench.TOKEN_RE.findall(text.lower())}


@dataclass(frozen=True)
class KnownItem:
    path: str
    article: str
    section: str
    words: tuple[str, ...]  # drawn from the section, in query order
    extra: str  # a word the section lacks
    position: int  # where the extra word stands among the words

    @property
    def key(self) -> Key:
        return (self.path, self.section)

    def query(self, with_extra: bool) -> tuple[str, ...]:
        if not with_extra:
            return self.words
        return (*self.words[: self.position], self.extra, *self.words[self.position :])


def draw_items(sections: Sequence[bench.Section], n: int, seed: int, max_df: int = MAX_DF) -> list[KnownItem]:
    """`n` known items (fewer if the corpus cannot give them), drawn from `seed` alone.

    - A distinctive word: a candidate word (`distinctive_candidates`) in 1..max_df sections.
    - The section: uniformly among those with at least MIN_WORDS distinctive words whose
      (path, name) no other section shares (so the known item is one section).
    - Its words: k uniform in MIN_WORDS..MAX_WORDS (at most the section has), a random
      sample of its distinctive words, in random order.
    - The extra word: uniformly among all distinctive words of the corpus, redrawn while its
      stem (Porter) is the stem of a word of the section's text, heading or article title.
      It goes at a random place in the query.
    - The same section and words twice are drawn once. With the same sections and seed, the
      first m items of a draw of n > m are the draw of m.
    """
    rng = random.Random(seed)
    candidates = [distinctive_candidates(s) for s in sections]
    df = Counter(word for words in candidates for word in words)
    rare = sorted(word for word, count in df.items() if count <= max_df)
    rare_set = set(rare)
    keys = Counter((s.path, s.heading) for s in sections)
    eligible = [i for i, s in enumerate(sections)
                if keys[s.path, s.heading] == 1 and len(candidates[i] & rare_set) >= MIN_WORDS]
    items: dict[tuple[Key, frozenset[str]], KnownItem] = {}
    for _ in range(50 * n):
        if len(items) >= n or not eligible:
            break
        i = rng.choice(eligible)
        s = sections[i]
        pool = sorted(candidates[i] & rare_set)
        k = min(rng.randint(MIN_WORDS, MAX_WORDS), len(pool))
        words = tuple(rng.sample(pool, k))
        lacks = stems_of(s.text, s.heading, s.article)
        extra = next((word for word in (rng.choice(rare) for _ in range(1000))
                      if not stems_of(word) & lacks), None)
        if extra is None:  # a tiny corpus: every rare word is a word of this section
            continue
        item = KnownItem(s.path, s.article, s.heading, words, extra, rng.randint(0, k))
        items.setdefault((item.key, frozenset(words)), item)
    return list(items.values())


# --------------------------------------------------------------------------
# Engines: each answers a list of words with its top N (path, section)
# --------------------------------------------------------------------------

Engine = Callable[[Sequence[str]], list[Key]]
TOP_FTS5 = f"SELECT path, section FROM t WHERE t MATCH ? ORDER BY rank LIMIT {TOP_N}"


def fts5_and(words: Sequence[str]) -> str:
    """`"a" "b"`: FTS5's implicit AND, quoted as bench/run.py quotes its queries."""
    return bench.Query(tuple(words)).fts5_syntax()


def fts5_or(words: Sequence[str]) -> str:
    """`"a" OR "b"`."""
    return " OR ".join(bench.Query((word,)).fts5_syntax() for word in words)


@contextlib.contextmanager
def fts5_engines(sections: Sequence[bench.Section]) -> Iterator[dict[str, Engine]]:
    """bench/run.py's FTS5 table (bm25 on the section text), in memory, with these sections."""
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        with conn:
            conn.execute(bench.Fts5Engine.CREATE)
            conn.executemany(bench.Fts5Engine.INSERT, bench.Fts5Engine.rows(sections))

        def engine(syntax: Callable[[Sequence[str]], str]) -> Engine:
            return lambda words: [(p, s) for p, s in conn.execute(TOP_FTS5, (syntax(words),))]

        yield {"fts5 OR": engine(fts5_or), "fts5 AND": engine(fts5_and)}


@contextlib.contextmanager
def searcher_engine(corpus: Path, index: Path | None) -> Iterator[tuple[Engine, dict[str, Any]]]:
    """searcher through its Python API, on an index of `corpus`: the one given (opened as it
    is) or a fresh one built in a temporary folder."""
    from searcher import Searcher, update_index

    with contextlib.ExitStack() as stack:
        built: dict[str, Any] = {}
        if index is None:
            index = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="knownitem-"))) / "index"
            started = time.perf_counter()
            report = update_index(corpus, index, rebuild=True)
            built = {"build_seconds": round(time.perf_counter() - started, 2),
                     "sections": report.sections, "articles": report.articles}
        s = stack.enter_context(Searcher.open(index=index, corpus=corpus, update=False))

        def search(words: Sequence[str]) -> list[Key]:
            result = s.search(" ".join(words), limit=TOP_N, per_article=0, facets=False)
            return [(hit.path, hit.section) for hit in result.hits]

        yield search, built


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------


def rank_of(found: Sequence[object], wanted: object) -> int | None:
    """The rank (from 1) of the first of the top N that is `wanted`, or None."""
    return next((i for i, x in enumerate(found[:TOP_N], 1) if x == wanted), None)


@dataclass(frozen=True)
class Figures:
    queries: int
    mrr: float  # MRR@10 of the known section
    success_at_1: float
    no_hits: int
    article_mrr: float  # MRR@10 of the first hit in the known article (any section)
    article_success_at_1: float

    @classmethod
    def of(cls, ranks: Sequence[dict[str, Any]]) -> Figures:
        n = max(len(ranks), 1)

        def mrr(field: str) -> float:
            return float(sum(1 / r[field] for r in ranks if r[field])) / n

        def at_1(field: str) -> float:
            return float(sum(r[field] == 1 for r in ranks)) / n

        return cls(len(ranks), mrr("rank"), at_1("rank"), sum(r["hits"] == 0 for r in ranks),
                   mrr("article_rank"), at_1("article_rank"))


def evaluate(corpus: Path = DEFAULT_CORPUS, queries: int = DEFAULT_QUERIES, seed: int = DEFAULT_SEED,
             index: Path | None = None, max_df: int = MAX_DF,
             note: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Draw the items, ask every engine both forms of each, and measure. `index`: an index of
    `corpus` searcher opens as it is (else it builds one in a temporary folder)."""
    started = time.perf_counter()
    sections = searcher_sections(corpus)
    items = draw_items(sections, queries, seed, max_df)
    note(f"{len(items)} known items from {len(sections)} sections of "
         f"{len({s.path for s in sections})} articles in {corpus}")
    per_query: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with searcher_engine(corpus, index) as (searcher, built), fts5_engines(sections) as fts5:
        if built:
            note(f"searcher index built in {built['build_seconds']} s")
        for name, engine in {"searcher": searcher, **fts5}.items():
            note(f"asking {name}")
            per_query[name] = {kind: [] for kind in KINDS}
            for item in items:
                for kind in KINDS:
                    hits = engine(item.query(kind == KINDS[0]))
                    per_query[name][kind].append({
                        "rank": rank_of(hits, item.key),
                        "article_rank": rank_of([path for path, _ in hits], item.path),
                        "hits": len(hits),
                    })
    figures = {name: {kind: asdict(Figures.of(ranks)) for kind, ranks in by_kind.items()}
               for name, by_kind in per_query.items()}
    return {
        "corpus": str(corpus),
        "sections": len(sections),
        "articles": len({s.path for s in sections}),
        "searcher_index": built or {"given": str(index)},
        "rules": {"max_df": max_df, "min_letters": MIN_LETTERS, "words": [MIN_WORDS, MAX_WORDS],
                  "top_n": TOP_N},
        "seed": seed,
        "queries_asked": queries,
        "queries": len(items),
        "words_per_query": dict(sorted(Counter(len(item.words) for item in items).items())),
        "figures": figures,
        "items": [asdict(item) | {"query": " ".join(item.query(True)),
                                  "ranks": {name: {kind: per_query[name][kind][i] for kind in KINDS}
                                            for name in per_query}}
                  for i, item in enumerate(items)],
        "seconds": round(time.perf_counter() - started, 1),
    }


def table(figures: dict[str, dict[str, dict[str, Any]]]) -> str:
    head = ("engine", "query", "MRR@10", "success@1", "no hits", "article MRR", "article s@1")
    rows = [head] + [
        (name, kind, f"{f['mrr']:.3f}", f"{f['success_at_1']:.3f}", f"{f['no_hits']}/{f['queries']}",
         f"{f['article_mrr']:.3f}", f"{f['article_success_at_1']:.3f}")
        for name, by_kind in figures.items() for kind, f in by_kind.items()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
                     for row in rows)


def checks(figures: dict[str, dict[str, dict[str, Any]]]) -> list[tuple[str, bool]]:
    """The issue's two conditions."""
    mrr = {name: {kind: f["mrr"] for kind, f in by_kind.items()} for name, by_kind in figures.items()}
    with_extra, without = KINDS
    return [
        (f"with the extra word: searcher MRR {mrr['searcher'][with_extra]:.3f} > "
         f"FTS5 OR {mrr['fts5 OR'][with_extra]:.3f}",
         mrr["searcher"][with_extra] > mrr["fts5 OR"][with_extra]),
        (f"without it: searcher MRR {mrr['searcher'][without]:.3f} >= "
         f"FTS5 AND {mrr['fts5 AND'][without]:.3f}",
         mrr["searcher"][without] >= mrr["fts5 AND"][without]),
    ]


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    index = results["searcher_index"]
    out = [f"searcher known-item benchmark, {results['date']}",
           f"searcher {m['searcher']} (checkout {m['checkout_rev']}, sources "
           f"{m['searcher_sources_sha256']}); sqlite {m['sqlite']}; python {m['python']}",
           f"corpus {results['corpus']}: {results['articles']} articles, {results['sections']} sections "
           f"(searcher indexed {index.get('sections', '?')})",
           f"{results['queries']} queries, seed {results['seed']}, words of the section per query "
           f"{results['words_per_query']} + 1 extra word; a word is distinctive in "
           f"<= {results['rules']['max_df']} sections",
           "", table(results["figures"]), ""]
    out += [f"{'ok  ' if ok else 'FAIL'} {text}" for text, ok in checks(results["figures"])]
    return "\n".join(out)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, metavar="DIR",
                   help=f"folder of article .txt files, read in place (default {DEFAULT_CORPUS})")
    p.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="known items to draw")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--max-df", type=int, default=MAX_DF, metavar="N",
                   help=f"a distinctive word is in at most N sections (default {MAX_DF})")
    p.add_argument("--out", type=Path, help="JSON results (default bench/out/knownitem-<time>.json)")
    args = p.parse_args(argv)
    if not args.corpus.is_dir() or not bench.corpus_files(args.corpus):
        p.error(f"--corpus {args.corpus}: not a folder with article .txt files")
    if args.max_df < 1:
        p.error("--max-df must be at least 1")
    if args.queries < 1:
        p.error("--queries must be at least 1")
    return args


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    started = dt.datetime.now()
    out = args.out or bench.OUT_DIR / f"knownitem-{started:%Y%m%d-%H%M%S}.json"
    with tempfile.TemporaryDirectory(prefix="knownitem-code-") as work:
        # A copy of the checkout's searcher, so edits made during the run cannot mix versions.
        code, code_info = bench.snapshot_searcher(Path(work))
        sys.path.insert(0, str(code))
        results = evaluate(args.corpus, args.queries, args.seed, max_df=args.max_df,
                           note=lambda text: print(text, file=sys.stderr))
    results = {"date": started.isoformat(timespec="seconds"),
               "machine": bench.machine() | code_info} | results
    print(report(results))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print(f"\nraw figures: {out}  ({results['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
