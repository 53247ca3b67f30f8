"""The known-item benchmark of plain-word searches (bench/knownitem.py) on the 112 real
articles, as the issue "Articles, not fragments" states its conditions: with one word the
section lacks, searcher's MRR beats SQLite FTS5 bm25 with the words ORed; without it, it is at
least FTS5's with the words ANDed.

The draw is the benchmark's default one (seed, 200 queries, the rules of `draw_items`): the
figures bench/README.md gives. On its first 60 queries FTS5 OR ranks every section first
(MRR 1.000), where no engine can beat it; so the test asks the whole set.
"""

from __future__ import annotations

from typing import Any

import pytest

from bench import knownitem  # a namespace package: the checkout is on the path
from tests.realdata import ARTICLES, articles_index, require_shared_data

WITH_EXTRA, WITHOUT = knownitem.KINDS


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_shared_data(ARTICLES)
    index = articles_index(tmp_path_factory.getbasetemp())
    results = knownitem.evaluate(ARTICLES, index=index)
    assert results["queries"] == knownitem.DEFAULT_QUERIES
    figures: dict[str, Any] = results["figures"]
    return figures


def mrr(figures: dict[str, Any], engine: str, kind: str) -> float:
    value: float = figures[engine][kind]["mrr"]
    return value


@pytest.mark.slow
def test_draw_is_fixed_by_the_seed() -> None:
    """The same seed gives the same queries; a smaller draw is the start of a larger one."""
    require_shared_data(ARTICLES)
    sections = knownitem.searcher_sections(ARTICLES)
    small = knownitem.draw_items(sections, 60, knownitem.DEFAULT_SEED)
    full = knownitem.draw_items(sections, 200, knownitem.DEFAULT_SEED)
    assert len(small) == 60 and small == full[:60]
    for item in full:
        assert 2 <= len(item.words) <= 4
        assert item.extra not in item.words
        assert len(item.query(True)) == len(item.words) + 1


@pytest.mark.slow
def test_with_a_word_remembered_wrong_searcher_beats_fts5_or(figures: dict[str, Any]) -> None:
    assert mrr(figures, "searcher", WITH_EXTRA) > mrr(figures, "fts5 OR", WITH_EXTRA), figures


@pytest.mark.slow
def test_without_it_searcher_keeps_up_with_fts5_and(figures: dict[str, Any]) -> None:
    assert mrr(figures, "searcher", WITHOUT) >= mrr(figures, "fts5 AND", WITHOUT), figures
