"""Exact counts: the total and every facet count cover all matches, however many there are,
with facets or without, and whatever the page size. On the 112 real articles the top-10 heap
fills long before the matches run out (where Whoosh's collector, left to its defaults, prunes
branches of the query and undercounts: `world war` counted 37 of 80 sections with facets)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from searcher import Searcher
from tests.realdata import articles_index

QUERIES = ["world war", "war OR music OR film", "city river", "king NOT england", '"united states"', "emp*"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    with Searcher.open(articles_index(tmp_path_factory.getbasetemp()), update=False) as searcher:
        yield searcher


@pytest.mark.parametrize("query", QUERIES)
def test_total_and_facet_counts_count_every_match(real_searcher: Searcher, query: str) -> None:
    every = real_searcher.search(query, limit=None, facets=False, per_article=0)
    assert every.total == len(every.hits) > 10  # every match is a hit: nothing was cut
    by_article = Counter(hit.article for hit in every.hits)
    for facets in (False, True):
        page = real_searcher.search(query, limit=10, facets=facets, per_article=0)
        assert page.total == every.total, (query, facets)
        assert [hit.score for hit in page.hits] == [hit.score for hit in every.hits[:10]]
    counted = real_searcher.search(query, limit=10).facets["article"]
    assert {value.value: value.count for value in counted} == dict(by_article)


@pytest.mark.parametrize("query", QUERIES)
def test_ranked_counts_every_hit_the_pages_hold(real_searcher: Searcher, query: str) -> None:
    for per_article in (1, 3):
        page = real_searcher.search(query, limit=10, per_article=per_article)
        every = real_searcher.search(query, limit=None, facets=False, per_article=per_article)
        assert page.ranked == len(every.hits) < page.total, (query, per_article)


def test_a_selected_facet_still_counts_every_match(real_searcher: Searcher) -> None:
    every = real_searcher.search("war", limit=None, facets=False, per_article=0)
    [first, *_] = sorted(Counter(hit.article for hit in every.hits))
    chosen = real_searcher.search("war", uprising=[first], limit=1)
    assert chosen.total == sum(hit.article == first for hit in every.hits)
    assert sum(value.count for value in chosen.facets["article"]) == every.total
    assert [value.value for value in chosen.facets["article"] if value.selected] == [first]


def test_a_chosen_value_that_is_no_value_of_the_field_counts_what_it_found(searcher: Searcher) -> None:
    """`--filter place='Vorkuta Soviet'`: the words of Vorkuta's place, but no one value of it
    (`Vorkutlag`, `Vorkuta`, `Soviet Union`). Its row was listed, chosen, with a count of 0."""
    result = searcher.search("*", filters={"place": "Vorkuta Soviet"}, facets=["place"])
    assert result.total > 0
    chosen = [value for value in result.facets["place"] if value.selected]
    assert [(v.value, v.count, v.articles) for v in chosen] == [("Vorkuta Soviet", result.total, 1)]
