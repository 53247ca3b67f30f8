"""Paging: `Searcher.search(offset=N)` is the page after the first N hits of the ranking, the
same ranking (per-article limit included) that a single long page would show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import NORILSK, VORKUTA, where

from searcher import QueryError, Searcher
from searcher.cli import cli


def ranking(searcher: Searcher, query: str, per_article: int) -> list[tuple[str, str]]:
    return where(searcher.search(query, limit=100, per_article=per_article, facets=False).hits)


@pytest.mark.parametrize("per_article", [0, 1, 2, 3])
@pytest.mark.parametrize("size", [1, 2, 4])
def test_pages_put_together_are_the_one_long_page(searcher: Searcher, per_article: int, size: int) -> None:
    whole = ranking(searcher, "uprising", per_article)
    assert len(whole) >= 2 * min(per_article or 4, 4)
    pages = []
    for offset in range(0, len(whole) + size, size):
        page = searcher.search("uprising", limit=size, offset=offset, per_article=per_article, facets=False)
        assert [hit.rank for hit in page.hits] == list(range(offset + 1, offset + 1 + len(page.hits)))
        pages += where(page.hits)
    assert pages == whole


@pytest.mark.parametrize("per_article", [0, 1, 3])
def test_no_limit_is_every_hit_of_the_ranking(searcher: Searcher, per_article: int) -> None:
    """`limit=None` is every hit, as Whoosh's `search(limit=None)`: the pages put together."""
    for query in ("uprising", "*", "amnesty OR Norilsk"):
        every = searcher.search(query, limit=None, per_article=per_article)
        assert len(every.hits) == every.ranked > 1, query
        assert where(every.hits) == ranking(searcher, query, per_article)
        rest = searcher.search(query, limit=None, offset=2, per_article=per_article)
        assert where(rest.hits) == where(every.hits)[2:]
        assert [hit.rank for hit in rest.hits] == list(range(3, len(every.hits) + 1))
    assert len(searcher.search("*", limit=None, per_article=0).hits) == searcher.search("*").total == 11


@pytest.mark.parametrize("per_article", [0, 1, 2, 3])
def test_ranked_is_how_many_hits_the_pages_hold(searcher: Searcher, per_article: int) -> None:
    for query in ("uprising", "strike", "amnesty OR Norilsk", "commander:Shamaev", "nothingatall"):
        result = searcher.search(query, limit=1, per_article=per_article)
        assert result.ranked == len(searcher.search(query, limit=100, per_article=per_article).hits), query
        assert searcher.search(query, limit=1, offset=result.ranked, per_article=per_article).hits == []
        if result.ranked:
            assert searcher.search(query, limit=1, offset=result.ranked - 1, per_article=per_article).hits
    assert searcher.search("uprising", per_article=1).ranked == 2  # (two articles)
    assert searcher.search("uprising", per_article=0).ranked == searcher.search("uprising").total


def test_a_page_past_the_end_is_empty_with_the_same_counts(searcher: Searcher) -> None:
    first = searcher.search("uprising")
    beyond = searcher.search("uprising", offset=1_000)
    assert beyond.hits == []
    assert (beyond.total, beyond.articles, beyond.facets) == (first.total, first.articles, first.facets)


def test_more_in_article_counts_what_no_page_so_far_has_shown(searcher: Searcher) -> None:
    # "uprising": Vorkuta and Norilsk each match more sections than the per-article limit.
    every = searcher.search("uprising", limit=100, per_article=0, facets=False).hits
    matching = {title: sum(hit.article == title for hit in every) for title in (NORILSK, VORKUTA)}
    seen = {NORILSK: 0, VORKUTA: 0}
    for offset in range(4):  # two articles, two hits each
        (hit,) = searcher.search("uprising", limit=1, offset=offset, per_article=2, facets=False).hits
        seen[hit.article] += 1
        # a one-hit page: the hit is its article's last on the page
        assert hit.more_in_article == matching[hit.article] - seen[hit.article]
    assert seen == {NORILSK: 2, VORKUTA: 2}
    assert searcher.search("uprising", limit=1, offset=4, per_article=2).hits == []


@pytest.mark.parametrize("offset", [-1, 1.5, "2", None, True])
def test_offset_must_be_a_whole_number_of_at_least_0(searcher: Searcher, offset: object) -> None:
    with pytest.raises(QueryError, match="offset must be a whole number of at least 0"):
        searcher.search("uprising", offset=offset)  # type: ignore[arg-type]


def test_the_cli_pages_with_offset(searcher: Searcher, built_index: Path) -> None:
    """`searcher search --offset N`: the API's page, ranks counted from the first page."""
    result = CliRunner().invoke(cli, ["search", "uprising", "-n", "2", "--offset", "2", "--per-article", "0",
                                      "--json", "--index", str(built_index), "--no-update"])
    assert result.exit_code == 0, result.stderr
    page = searcher.search("uprising", limit=2, offset=2, per_article=0)
    assert [(hit["rank"], hit["section"]) for hit in json.loads(result.stdout)["hits"]] == [
        (hit.rank, hit.section) for hit in page.hits
    ]
    assert [hit.rank for hit in page.hits] == [3, 4]
    refused = CliRunner().invoke(cli, ["search", "uprising", "--offset", "-1", "--index", str(built_index)])
    assert refused.exit_code == 2 and "--offset" in refused.stderr


def test_the_cli_says_a_page_past_the_end_is_past_the_hits(built_index: Path) -> None:
    """A page past the last hit is not "no sections match": the query's counts still show,
    and a note says how many hits the pages hold."""
    args = ["search", "strike", "--index", str(built_index), "--no-update"]
    whole = CliRunner().invoke(cli, args)
    beyond = CliRunner().invoke(cli, [*args, "--offset", "20"])
    assert beyond.exit_code == 0, beyond.stderr
    summary = whole.stdout.strip().splitlines()[-1]
    assert summary.startswith("3 matching sections in 2 articles")
    assert beyond.stdout == summary + "\n"
    assert beyond.stderr == "searcher: no hits from --offset 20 on: the pages of this search hold 3 hits\n"
