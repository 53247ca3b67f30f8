"""Relevance on a corpus of many articles: every hand-judged query of many_judgments.json must
rank an acceptable section first and mark the expected words, over the 112 real articles of
../shared/data with the bundled two beside them (one index, built once for the module, in a
temporary folder; the data is read in place).

Judgments are made from the text: words of a title, infobox fields alone and with words,
questions in plain words, exclusions, numbers and dates. A judgment `pending` a feature is a
strict expected failure (see test_relevance.py): when the feature makes it pass, its test
fails until `pending` is removed from many_judgments.json (and the floors may be raised).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.realdata import ARTICLES, article_files, require_shared_data

from . import checks
from .evaluate import (
    BUNDLED_FOLDER,
    DEFAULT_CORPUS,
    MANY_JUDGMENTS,
    Judgment,
    Report,
    evaluate_many,
    format_report,
    load_judgments,
    many_corpus,
)

JUDGED, TARGETS = load_judgments(MANY_JUDGMENTS)
# Figures over every judgment, pending ones included: they may rise, never fall.
FLOORS: dict[str, float] = json.loads(MANY_JUDGMENTS.read_text(encoding="utf-8"))["floors"]
PENDING = [j for j in JUDGED if j.pending]
# The kinds of query the suite must keep covering, with the least number of each.
REQUIRED_CATEGORIES = {
    "title": 8, "field": 8, "mixed": 6, "question": 15, "exclusion": 6, "number": 8, "date": 8,
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """Every judged query run once against a fresh index of the many-article corpus."""
    require_shared_data(ARTICLES)
    return evaluate_many(ARTICLES, MANY_JUDGMENTS, folder=tmp_path_factory.mktemp("relevance-many"))


@pytest.mark.slow
@pytest.mark.parametrize("judgment", [checks.judged_param(j) for j in JUDGED])
def test_first_hit_is_correct_and_marked(report: Report, judgment: Judgment) -> None:
    checks.assert_first_hit(judgment, report.outcome(judgment.id))


@pytest.mark.slow
def test_settled_figures_meet_targets(report: Report) -> None:
    """success@1, MRR and correct marks over every judgment that is not pending."""
    checks.assert_figures(report.settled, TARGETS, "settled")


@pytest.mark.slow
def test_all_figures_stay_above_their_floors(report: Report) -> None:
    """The figures over every judgment, pending ones included, as measured when they were
    judged: a change that moves a pending answer down fails here."""
    checks.assert_figures(report.overall, FLOORS, "overall")


@pytest.mark.slow
@pytest.mark.xfail(bool(PENDING), strict=True, reason=f"{len(PENDING)} judgments pending")
def test_all_figures_meet_targets(report: Report) -> None:
    """The targets over every judgment, pending ones included."""
    checks.assert_figures(report.overall, TARGETS, "overall")


@pytest.mark.slow
def test_report_prints_the_figures_per_category(report: Report) -> None:
    text = format_report(report)
    assert "success@1" in text and "MRR" in text
    assert set(report.by_category) == set(REQUIRED_CATEGORIES)
    assert all(f"  {category} " in text for category in report.by_category)


# The judgments themselves: well-formed, covering every kind, and grounded in the text.


def test_judgments_are_well_formed() -> None:
    checks.assert_well_formed(JUDGED, TARGETS, REQUIRED_CATEGORIES, least=60)
    assert {j.category for j in JUDGED} == set(REQUIRED_CATEGORIES), "a category the suite does not count"
    assert set(FLOORS) <= checks.FIGURES and FLOORS
    assert all(FLOORS[name] <= TARGETS.get(name, 1.0) for name in FLOORS)
    for j in JUDGED:
        assert j.article and j.marked, f"{j.id}: every query of this suite has an answer to mark"
        assert j.note and j.note.strip(), f"{j.id}: say why it is judged so"
        assert all(title and sections for title, sections in j.also), j.id
    assert any(j.during for j in JUDGED) and any(j.also for j in JUDGED)


@pytest.fixture(scope="module")
def texts() -> dict[str, dict[str, str]]:
    """The sections of every article of the corpus, by title."""
    paths = [*article_files(), *sorted(Path(DEFAULT_CORPUS).glob("*.txt"))]
    found = checks.article_texts(paths)
    assert len(found) == len(paths), "two articles of one title: a judgment could not say which"
    return found


@pytest.mark.parametrize("judgment", [pytest.param(j, id=j.id) for j in JUDGED])
def test_judgment_is_grounded_in_the_corpus(texts: dict[str, dict[str, str]], judgment: Judgment) -> None:
    """Each acceptable article and section exists, and holds every word the hit must mark."""
    checks.assert_grounded(judgment, texts)


def test_the_corpus_is_the_real_articles_and_the_bundled_ones(tmp_path: Path) -> None:
    """What `many_corpus` copies: the real articles as they are, the bundled ones in a folder."""
    require_shared_data(ARTICLES)
    corpus = many_corpus(tmp_path)
    copied = sorted(path.relative_to(corpus) for path in corpus.rglob("*.txt"))
    real = sorted(path.relative_to(ARTICLES) for path in article_files())
    bundled = sorted(Path(BUNDLED_FOLDER) / path.name for path in Path(DEFAULT_CORPUS).glob("*.txt"))
    assert copied == sorted([*real, *bundled])
