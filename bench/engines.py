"""Do the Whoosh and Typesense engines agree? The judged suites, run on both.

    python bench/engines.py --engine typesense://KEY@HOST:PORT [--suite bundled|many|both] [--json]

For each judged query of tests/relevance (the bundled suite over corpus/, the many-article
suite over the 112 shared articles plus the bundled two) this builds a Whoosh index and a
Typesense collection of the same corpus, runs the query on both (top 10, the judgment's
filters) and compares: the set of matching articles (every article the query matches, from
the `article` facet, or nothing when the query is refused), the overlap of the first three
hits (article and section), and each engine's success@1 and MRR. It prints one line per
query where the engines differ, then the figures. Typesense collections it makes are named
`engines-bench-SUITE` and left in place for a look (`--engine` may name any collection; the
suite's name replaces it).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from searcher import QueryError, Searcher  # noqa: E402
from searcher.engine import parse_engine  # noqa: E402
from tests.realdata import ARTICLES  # noqa: E402
from tests.relevance.evaluate import (  # noqa: E402
    DEFAULT_CORPUS,
    JUDGMENTS,
    MANY_JUDGMENTS,
    Figures,
    Judgment,
    load_judgments,
    many_corpus,
    run_one,
)

TOP = 3


@dataclass
class Comparison:
    """One judged query on both engines."""

    id: str
    query: str
    same_articles: bool
    top_overlap: float
    whoosh_only: list[str] = field(default_factory=list)
    typesense_only: list[str] = field(default_factory=list)
    refused: str | None = None


@dataclass
class SuiteFigures:
    suite: str
    queries: int
    same_articles: int
    refused: int
    top_overlap: float
    whoosh: dict[str, float]
    typesense: dict[str, float]
    differences: list[Comparison]


def matching_articles(searcher: Searcher, judgment: Judgment) -> tuple[set[str], str | None]:
    """Every article the judged query matches (with its filters), or the refusal."""
    try:
        result = searcher.search(judgment.query, uprising=list(judgment.uprising), during=judgment.during,
                                 limit=10, facets=["article"])
    except QueryError as error:
        return set(), str(error)
    return {value.value for value in result.facets["article"] if value.count}, None


def top(searcher: Searcher, judgment: Judgment) -> list[tuple[str, str]]:
    try:
        result = searcher.search(judgment.query, uprising=list(judgment.uprising), during=judgment.during,
                                 limit=TOP)
    except QueryError:
        return []
    return [(hit.article, hit.section) for hit in result.hits]


def compare(suite: str, corpus: Path, judgments_file: Path, engine: str, scratch: Path) -> SuiteFigures:
    judgments, _ = load_judgments(judgments_file)
    given = parse_engine(engine)
    if given is None:
        raise SystemExit("--engine must name a Typesense node")
    address = given._replace(collection=f"engines-bench-{suite}")
    url = f"typesense://{address.api_key}@" + ",".join(f"{n.host}:{n.port}" for n in address.nodes)
    url += f"/{address.collection}"
    with Searcher.open(index=scratch / f"index-{suite}", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=url) as typesense:
        comparisons: list[Comparison] = []
        outcomes: dict[str, list[Any]] = {"whoosh": [], "typesense": []}
        for judgment in judgments:
            ours, _ = matching_articles(whoosh, judgment)
            theirs, refused = matching_articles(typesense, judgment)
            first, second = top(whoosh, judgment), top(typesense, judgment)
            shared = len(set(first) & set(second))
            overlap = shared / max(len(first), len(second)) if first or second else 1.0
            comparisons.append(Comparison(
                judgment.id, judgment.query, ours == theirs and refused is None, overlap,
                sorted(ours - theirs), sorted(theirs - ours), refused,
            ))
            outcomes["whoosh"].append(run_one(whoosh, judgment))
            outcomes["typesense"].append(run_one(typesense, judgment))
    return SuiteFigures(
        suite=suite,
        queries=len(comparisons),
        same_articles=sum(c.same_articles for c in comparisons),
        refused=sum(c.refused is not None for c in comparisons),
        top_overlap=round(sum(c.top_overlap for c in comparisons) / max(len(comparisons), 1), 3),
        whoosh=_figures(outcomes["whoosh"]),
        typesense=_figures(outcomes["typesense"]),
        differences=[c for c in comparisons if not c.same_articles or c.top_overlap < 1],
    )


def _figures(outcomes: list[Any]) -> dict[str, float]:
    figures = Figures.of(outcomes)
    return {"success_at_1": round(figures.success_at_1, 3), "mrr": round(figures.mrr, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", required=True, help="typesense://KEY@HOST:PORT of a running node")
    parser.add_argument("--suite", choices=("bundled", "many", "both"), default="both")
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="searcher-engines-") as folder:
        scratch = Path(folder)
        if args.suite in ("bundled", "both"):
            results.append(compare("bundled", DEFAULT_CORPUS, JUDGMENTS, args.engine, scratch))
        if args.suite in ("many", "both"):
            corpus = many_corpus(scratch / "many", args.articles)
            results.append(compare("many", corpus, MANY_JUDGMENTS, args.engine, scratch))
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False))
        return
    for r in results:
        print(f"== {r.suite}: {r.queries} judged queries")
        for c in r.differences:
            detail = f"refused: {c.refused}" if c.refused else (
                f"only Whoosh: {c.whoosh_only[:3]} only Typesense: {c.typesense_only[:3]}"
                if not c.same_articles else "")
            print(f"  {c.id:<28} top-3 overlap {c.top_overlap:.2f}  {detail}")
        print(f"  same matching articles: {r.same_articles}/{r.queries} ({r.refused} refused by Typesense)")
        print(f"  top-3 overlap (mean): {r.top_overlap:.3f}")
        first = (r.whoosh["success_at_1"], r.typesense["success_at_1"])
        print(f"  success@1 Whoosh {first[0]:.3f}  Typesense {first[1]:.3f}")
        print(f"  MRR       Whoosh {r.whoosh['mrr']:.3f}  Typesense {r.typesense['mrr']:.3f}")


if __name__ == "__main__":
    main()
