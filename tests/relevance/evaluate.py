"""Evaluate searcher against two suites of hand-judged queries.

    python tests/relevance/evaluate.py [--suite bundled|many|both] [--json]
    python -m tests.relevance.evaluate [--corpus DIR] [--judgments FILE]
                                       [--articles DIR] [--many-judgments FILE]

The suites:
  bundled   judgments.json over the bundled corpus (corpus/, two articles)
  many      many_judgments.json over a corpus of many articles: the 112 real articles of
            ../shared/data/articles (`--articles`) with the bundled two in `uprisings/`,
            copied into a temporary folder (skipped, with a note, when the data is absent)

For each suite: builds an index of its corpus in a temporary folder, runs every judged query
(top 10), and prints one row per query (category, rank of the first acceptable hit, whether
the expected words are marked in the first hit's snippet), then success@1, MRR and the share
of queries with correct marks, overall, for the settled judgments (those not `pending`) and
per category, and the list of failures with what the engine returned. Last, the figures of
both suites together.

A judgment (see judgments.json, many_judgments.json):
  id, query, category            what is asked, and under which heading it is counted
  uprising (optional)            the `uprising=` filter of the search
  during (optional)              the `during=` period of the search (`1953-07`, `A..B`)
  article, section               the first hit must be this article and this section (or
                                 one of these sections); both null: nothing must match
  also (optional)                other acceptable answers, each {article, section}, for a
                                 question with equally right answers in several articles
  marked                         words of the corpus that must be marked in the first hit's
                                 snippet; an item that is a list means any one of them
  not_marked (optional)          words that no marked span may be on its own
  pending (optional)             the feature it waits for; the tests expect it to fail
  note (optional)                why it is judged so

Ranks: the rank of the first hit (within the top 10) whose article and section are
acceptable (the judgment's own or one of `also`), or None. A "no match" judgment has rank 1
when the search returns nothing. `evaluate()` and `evaluate_many()` return the figures as
data (`Report`), which the tests check.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
JUDGMENTS = HERE / "judgments.json"
MANY_JUDGMENTS = HERE / "many_judgments.json"
DEFAULT_CORPUS = REPO / "corpus"
BUNDLED_FOLDER = "uprisings"  # where the many-article corpus holds the bundled articles
LIMIT = 10

if __package__ in (None, ""):  # run as a script: import the package of this checkout
    sys.path.insert(0, str(REPO))

from searcher import QueryError, Searcher  # noqa: E402
from tests.realdata import ARTICLES  # noqa: E402


def many_corpus(folder: Path | str, articles: Path | str = ARTICLES) -> Path:
    """Copy the corpus of the many-article suite into `folder` (created) and return it: the
    real articles as they are, the bundled ones in `uprisings/` (as tests/test_articles.py's
    `many` fixture). The shared data is read in place and never copied into the project."""
    corpus = Path(folder) / "corpus"
    shutil.copytree(articles, corpus)
    shutil.copytree(DEFAULT_CORPUS, corpus / BUNDLED_FOLDER)
    return corpus


def _sections(value: str | Sequence[str] | None) -> tuple[str, ...]:
    return () if value is None else (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Judgment:
    """One judged query, as judgments.json states it."""

    id: str
    query: str
    category: str
    article: str | None
    sections: tuple[str, ...]
    marked: tuple[tuple[str, ...], ...]
    not_marked: tuple[str, ...] = ()
    uprising: tuple[str, ...] = ()
    pending: str | None = None
    note: str | None = None
    during: str | None = None
    also: tuple[tuple[str, tuple[str, ...]], ...] = ()  # other (article, sections) accepted

    @property
    def expects_nothing(self) -> bool:
        """Whether the query must match nothing at all."""
        return self.article is None

    @property
    def answers(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Every acceptable (article, sections): the judgment's own, then `also`."""
        own = () if self.article is None else ((self.article, self.sections),)
        return own + self.also

    def accepts(self, article: str, section: str) -> bool:
        """Whether a hit in this article and section is a correct answer."""
        return any(article == title and section in sections for title, sections in self.answers)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Judgment:
        return cls(
            id=data["id"],
            query=data["query"],
            category=data["category"],
            article=data.get("article"),
            sections=_sections(data.get("section")),
            marked=tuple(
                (item,) if isinstance(item, str) else tuple(item) for item in data.get("marked", [])
            ),
            not_marked=tuple(data.get("not_marked", ())),
            uprising=tuple(data.get("uprising", ())),
            pending=data.get("pending"),
            note=data.get("note"),
            during=data.get("during"),
            also=tuple((item["article"], _sections(item["section"])) for item in data.get("also", ())),
        )


@dataclass(frozen=True)
class Outcome:
    """What the engine returned for one judgment, and how it measures up."""

    id: str
    query: str
    category: str
    pending: str | None
    rank: int | None  # of the first acceptable hit, within the top LIMIT
    marks_ok: bool  # the first hit marks every expected word and none of the not_marked
    missing_marks: list[str]
    unwanted_marks: list[str]
    first: dict[str, Any] | None  # the first hit: article, section, snippet, marked words
    total: int
    error: str | None = None

    @property
    def passed(self) -> bool:
        """First hit correct and its marks right."""
        return self.rank == 1 and self.marks_ok

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0


@dataclass(frozen=True)
class Figures:
    """success@1, MRR and the share with correct marks over a set of judgments."""

    count: int
    success_at_1: float
    mrr: float
    marks_ok: float
    passed: int

    @classmethod
    def of(cls, outcomes: Sequence[Outcome]) -> Figures:
        n = len(outcomes)
        if not n:
            return cls(0, 0.0, 0.0, 0.0, 0)
        return cls(
            count=n,
            success_at_1=sum(o.rank == 1 for o in outcomes) / n,
            mrr=sum(o.reciprocal_rank for o in outcomes) / n,
            marks_ok=sum(o.marks_ok for o in outcomes) / n,
            passed=sum(o.passed for o in outcomes),
        )


@dataclass
class Report:
    """Every outcome and the figures: overall, settled (not pending) and per category."""

    outcomes: list[Outcome]
    overall: Figures
    settled: Figures
    pending: Figures
    by_category: dict[str, Figures]
    targets: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, outcomes: list[Outcome], targets: dict[str, float] | None = None) -> Report:
        """The figures of these outcomes."""
        categories = sorted({o.category for o in outcomes})
        return cls(
            outcomes=outcomes,
            overall=Figures.of(outcomes),
            settled=Figures.of([o for o in outcomes if not o.pending]),
            pending=Figures.of([o for o in outcomes if o.pending]),
            by_category={c: Figures.of([o for o in outcomes if o.category == c]) for c in categories},
            targets=dict(targets or {}),
        )

    def outcome(self, judgment_id: str) -> Outcome:
        return next(o for o in self.outcomes if o.id == judgment_id)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": asdict(self.overall),
            "settled": asdict(self.settled),
            "pending": asdict(self.pending),
            "by_category": {name: asdict(f) for name, f in self.by_category.items()},
            "targets": self.targets,
            "outcomes": [asdict(o) | {"passed": o.passed} for o in self.outcomes],
        }


def load_judgments(path: Path | str = JUDGMENTS) -> tuple[list[Judgment], dict[str, float]]:
    """The judgments of a judgments file, and its target figures."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Judgment.from_dict(item) for item in data["judgments"]], data.get("targets", {})


def _word_in(word: str, span: str) -> bool:
    """Whether `word` (one or more words) is `span` or a whole-word part of it, any case."""
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", span, re.IGNORECASE) is not None


def check_marks(judgment: Judgment, spans: Sequence[str]) -> tuple[list[str], list[str]]:
    """(expected items not marked, unwanted words marked) for the marked spans of a snippet."""
    missing = [
        " | ".join(item) for item in judgment.marked
        if not any(_word_in(word, span) for word in item for span in spans)
    ]
    unwanted = [
        word for word in judgment.not_marked
        if any(span.casefold() == word.casefold() for span in spans)
    ]
    return missing, unwanted


def run_one(searcher: Searcher, judgment: Judgment) -> Outcome:
    """Search one judged query and measure the result."""
    try:
        result = searcher.search(judgment.query, uprising=list(judgment.uprising), during=judgment.during,
                                 limit=LIMIT)
    except QueryError as error:
        return Outcome(judgment.id, judgment.query, judgment.category, judgment.pending,
                       None, False, [], [], None, 0, error=str(error))
    hits = result.hits
    first = None
    spans: list[str] = []
    if hits:
        hit = hits[0]
        spans = [hit.snippet[start:end] for start, end in hit.highlights]
        first = {
            "article": hit.article,
            "section": hit.section,
            "snippet": hit.snippet,
            "marked": spans,
        }
    if judgment.expects_nothing:
        rank = None if hits else 1
        missing: list[str] = []
        unwanted: list[str] = []
        marks_ok = not hits
    else:
        rank = next(
            (hit.rank for hit in hits if judgment.accepts(hit.article, hit.section)), None
        )
        missing, unwanted = check_marks(judgment, spans)
        marks_ok = bool(hits) and not missing and not unwanted
    return Outcome(judgment.id, judgment.query, judgment.category, judgment.pending,
                   rank, marks_ok, missing, unwanted, first, result.total)


def evaluate(
    corpus: Path | str = DEFAULT_CORPUS,
    judgments: Path | str = JUDGMENTS,
    index: Path | str | None = None,
) -> Report:
    """Index `corpus` (in a temporary folder unless `index` is given) and run every judgment."""
    items, targets = load_judgments(judgments)
    with tempfile.TemporaryDirectory(prefix="searcher-relevance-") as scratch:
        index_dir = Path(index) if index is not None else Path(scratch) / "index"
        with Searcher.open(index=index_dir, corpus=Path(corpus)) as searcher:
            outcomes = [run_one(searcher, judgment) for judgment in items]
    return Report.of(outcomes, targets)


def evaluate_many(
    articles: Path | str = ARTICLES,
    judgments: Path | str = MANY_JUDGMENTS,
    folder: Path | str | None = None,
) -> Report:
    """The many-article suite: copy its corpus (`many_corpus`) into `folder` (a temporary
    one unless given), index it there and run every judgment of `judgments`."""
    with tempfile.TemporaryDirectory(prefix="searcher-relevance-many-") as scratch:
        base = Path(folder) if folder is not None else Path(scratch)
        return evaluate(many_corpus(base, articles), judgments, index=base / "index")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _figures_row(name: str, f: Figures | None = None) -> str:
    """A row of the figures table; without figures, its header."""
    if f is None:
        return f"{name:<22} {'n':>3}  {'success@1':>9}  {'MRR':>6}  {'marks ok':>8}"
    return f"{name:<22} {f.count:>3}  {f.success_at_1:>9.3f}  {f.mrr:>6.3f}  {f.marks_ok:>8.3f}"


def format_report(report: Report) -> str:
    """The table, the figures and the failures, as printed by the script."""
    lines = []
    width = max(len(o.query) for o in report.outcomes)
    width = min(max(width, 5), 40)
    lines.append(f"{'query':<{width}}  {'category':<10}  {'rank':>4}  {'marks':<5}  pending")
    lines.append("-" * (width + 38))
    for o in report.outcomes:
        rank = "-" if o.rank is None else str(o.rank)
        lines.append(
            f"{_clip(o.query, width):<{width}}  {o.category:<10}  {rank:>4}  "
            f"{'ok' if o.marks_ok else 'NO':<5}  {o.pending or ''}"
        )
    lines.append("")
    lines.append(_figures_row("figures"))
    lines.append(_figures_row("overall", report.overall))
    lines.append(_figures_row("settled (not pending)", report.settled))
    lines.append(_figures_row("pending", report.pending))
    for name, figures in report.by_category.items():
        lines.append(_figures_row(f"  {name}", figures))
    if report.targets:
        lines.append("targets (settled): " + ", ".join(f"{k} {v:g}" for k, v in report.targets.items()))
    lines.append("")
    failures = report.failures
    lines.append(f"failures: {len(failures)}" + (
        f" ({sum(1 for o in failures if o.pending)} pending)" if failures else ""))
    for o in failures:
        tag = f" [pending: {o.pending}]" if o.pending else ""
        lines.append(f"- {o.id}: {o.query!r}{tag}")
        if o.error:
            lines.append(f"    error: {o.error}")
            continue
        rank = "not in top 10" if o.rank is None else f"rank {o.rank}"
        lines.append(f"    correct hit: {rank}; {o.total} hit(s)")
        if o.first:
            lines.append(f"    first hit: {o.first['article']} / {o.first['section']}; "
                         f"marked {o.first['marked']}")
            lines.append(f"    snippet: {_clip(o.first['snippet'], 160)!r}")
        if o.missing_marks:
            lines.append(f"    not marked: {o.missing_marks}")
        if o.unwanted_marks:
            lines.append(f"    marked but should not be: {o.unwanted_marks}")
    return "\n".join(lines)


def format_summary(reports: dict[str, Report]) -> str:
    """The figures of each suite and, with more than one, of all together: settled and overall."""
    lines = [_figures_row("suite")]
    for name, report in reports.items():
        lines.append(_figures_row(f"{name} (settled)", report.settled))
        lines.append(_figures_row(f"{name} (all)", report.overall))
    if len(reports) > 1:
        both = Report.of([o for report in reports.values() for o in report.outcomes])
        lines.append(_figures_row("both suites (settled)", both.settled))
        lines.append(_figures_row("both suites (all)", both.overall))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", choices=["bundled", "many", "both"], default="both",
                        help="which suite to run (default: both)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus of the bundled suite")
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS, help="judgments of the bundled suite")
    parser.add_argument("--articles", type=Path, default=ARTICLES,
                        help="real articles of the many-article suite (default: ../shared/data/articles)")
    parser.add_argument("--many-judgments", type=Path, default=MANY_JUDGMENTS,
                        help="judgments of the many-article suite")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    reports: dict[str, Report] = {}
    notes: list[str] = []
    if args.suite in ("bundled", "both"):
        reports["bundled"] = evaluate(args.corpus, args.judgments)
    if args.suite in ("many", "both"):
        if args.articles.is_dir():
            reports["many"] = evaluate_many(args.articles, args.many_judgments)
        else:
            notes.append(f"many-article suite skipped: no folder {args.articles}")
    if args.json:
        print(json.dumps({name: r.to_dict() for name, r in reports.items()}, ensure_ascii=False, indent=2))
    else:
        for name, report in reports.items():
            print(f"=== {name} suite ===\n")
            print(format_report(report))
            print()
        print("=== figures of the suites ===\n")
        print(format_summary(reports))
    for note in notes:
        print(note, file=sys.stderr)
    settled_failures = [o for r in reports.values() for o in r.failures if not o.pending]
    return 1 if settled_failures or (args.suite == "many" and not reports) else 0


if __name__ == "__main__":
    sys.exit(main())
