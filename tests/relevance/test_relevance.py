"""Relevance regression tests: every hand-judged query of judgments.json must rank its
correct section first and mark the expected words, and the figures must meet the targets.

A judgment with `"pending": "<feature>"` waits for a feature: its test is an expected
failure with strict=True, so once the feature makes it pass the test fails until the
`pending` key is removed from judgments.json.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .checks import (
    article_texts,
    assert_figures,
    assert_first_hit,
    assert_grounded,
    assert_well_formed,
    judged_param,
)
from .evaluate import DEFAULT_CORPUS, JUDGMENTS, Judgment, Report, evaluate, format_report, load_judgments

JUDGED, TARGETS = load_judgments(JUDGMENTS)
PENDING = [j for j in JUDGED if j.pending]
# The kinds of query the suite must keep covering, with the least number of each.
REQUIRED_CATEGORIES = {
    "plain": 4, "phrase": 3, "stem": 2, "diacritics": 3, "typo": 5, "variant": 5,
    "filter": 1, "infobox": 3, "operators": 3,
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """Every judged query run once against a fresh index of the bundled corpus."""
    return evaluate(DEFAULT_CORPUS, JUDGMENTS, index=tmp_path_factory.mktemp("relevance") / "index")


@pytest.mark.parametrize("judgment", [judged_param(j) for j in JUDGED])
def test_first_hit_is_correct_and_marked(report: Report, judgment: Judgment) -> None:
    assert_first_hit(judgment, report.outcome(judgment.id))


def test_settled_figures_meet_targets(report: Report) -> None:
    """success@1, MRR and correct marks over every judgment that is not pending."""
    assert_figures(report.settled, TARGETS, "settled")


@pytest.mark.xfail(bool(PENDING), strict=True, reason=f"{len(PENDING)} judgments pending")
def test_all_figures_meet_targets(report: Report) -> None:
    """The same over every judgment, pending ones included."""
    assert_figures(report.overall, TARGETS, "overall")


def test_report_prints_the_figures(report: Report) -> None:
    text = format_report(report)
    assert "success@1" in text and "MRR" in text
    assert all(category in text for category in report.by_category)


# The judgments themselves: well-formed, covering every kind, and grounded in the text.


def test_judgments_are_well_formed() -> None:
    assert_well_formed(JUDGED, TARGETS, REQUIRED_CATEGORIES, least=45)
    assert any(j.uprising for j in JUDGED)


@pytest.mark.parametrize("judgment", [pytest.param(j, id=j.id) for j in JUDGED if j.article])
def test_judgment_is_grounded_in_the_corpus(judgment: Judgment) -> None:
    """The expected article and sections exist, and each holds every word it must mark."""
    assert_grounded(judgment, article_texts(sorted(Path(DEFAULT_CORPUS).glob("*.txt"))))
