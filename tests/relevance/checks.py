"""What the relevance tests assert, shared by both suites (test_relevance.py over the bundled
corpus, test_many_relevance.py over many articles): a judged first hit, the figures against
their targets, and judgments grounded in the text of the articles they name."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pytest

from searcher import read_article

from .evaluate import Figures, Judgment, Outcome

# title -> section name -> text (the infobox is the section `Infobox`)
Texts = Mapping[str, Mapping[str, str]]


def judged_param(judgment: Judgment) -> object:
    """A test parameter of a judgment; a pending one is a strict expected failure, so the test
    fails once the feature it waits for makes it pass, until `pending` is removed."""
    pending = pytest.mark.xfail(strict=True, reason=f"pending: {judgment.pending}")
    marks = [pending] if judgment.pending else []
    return pytest.param(judgment, id=judgment.id, marks=marks)


def assert_first_hit(judgment: Judgment, outcome: Outcome) -> None:
    """The first hit is an acceptable answer and marks the expected words (or, for a judgment
    of no match, nothing matches)."""
    assert outcome.error is None, outcome.error
    first = outcome.first
    got = f"{first['article']} / {first['section']}, marked {first['marked']}" if first else "no hits"
    if judgment.expects_nothing:
        assert outcome.rank == 1, f"{judgment.query!r} should match nothing; first hit: {got}"
        return
    wanted = " or ".join(f"{title} / {' or '.join(sections)}" for title, sections in judgment.answers)
    assert outcome.rank == 1, (
        f"{judgment.query!r}: expected {wanted} first; got {got} "
        f"(correct hit at rank {outcome.rank or 'none in top 10'})"
    )
    assert first is not None
    assert not outcome.missing_marks, (
        f"{judgment.query!r}: {outcome.missing_marks} not marked in {first['snippet']!r} "
        f"(marked {first['marked']})"
    )
    assert not outcome.unwanted_marks, (
        f"{judgment.query!r}: {outcome.unwanted_marks} marked in {first['snippet']!r}"
    )


def assert_figures(figures: Figures, targets: Mapping[str, float], what: str) -> None:
    """Each figure named in `targets` is at least its target."""
    for name, target in targets.items():
        value = getattr(figures, name)
        assert value >= target, f"{what} {name} = {value:.3f}, target {target:g}"


FIGURES = {"success_at_1", "mrr", "marks_ok"}


def assert_well_formed(
    judged: Sequence[Judgment], targets: Mapping[str, float], required: Mapping[str, int], least: int
) -> None:
    """At least `least` judgments of unique ids, `required[c]` of each category c, targets that
    name figures, and each judgment whole: a query, an answer with its sections (or neither:
    nothing must match), a reason where it is pending."""
    ids = Counter(j.id for j in judged)
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    assert len(judged) >= least
    counts = Counter(j.category for j in judged)
    short = {c: n for c, n in required.items() if counts[c] < n}
    assert not short, f"too few judgments in {short}"
    assert set(targets) <= FIGURES and targets
    for j in judged:
        assert j.query.strip() and j.category
        assert (j.article is None) == (not j.sections), j.id
        assert j.pending is None or j.pending.strip(), j.id


def article_texts(paths: Iterable[Path]) -> dict[str, dict[str, str]]:
    """The sections of the articles in `paths`, by title."""
    articles = {}
    for path in paths:
        article = read_article(path)
        articles[article.title] = {s.name: s.text for s in article.sections}
    return articles


def assert_grounded(judgment: Judgment, articles: Texts) -> None:
    """Every acceptable answer's article and sections exist, and each section holds every word
    the first hit must mark (an item of several words: one of them); `uprising` names titles."""
    for title, sections in judgment.answers:
        assert title in articles, f"no article {title!r}"
        for name in sections:
            text = articles[title].get(name)
            assert text is not None, f"{title!r} has no section {name!r}"
            for item in judgment.marked:
                assert any(
                    re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) for word in item
                ), f"none of {item} is in {title} / {name}"
    for word in judgment.uprising:
        assert word.casefold() in {title.casefold() for title in articles}
