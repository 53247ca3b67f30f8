"""Field names in any case: infobox keys are written `Commander1`, `Result`, `Map Type` in
the articles, and a user types them as written or in lower case; both mean the same field,
in queries, filters and facets."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from searcher import QueryError, Searcher
from searcher.cli import cli
from tests.conftest import NORILSK


@pytest.mark.parametrize("written", ["Commander:Shamaev", "COMMANDER:shamaev", "Commander1:Shamaev"])
def test_a_field_name_in_any_case_finds_what_the_lower_case_name_finds(
    searcher: Searcher, written: str
) -> None:
    expected = searcher.search(written.lower())
    found = searcher.search(written)
    assert found.total == expected.total > 0
    assert {hit.article for hit in found.hits} == {NORILSK}


def test_built_in_fields_and_ranges_take_any_case(searcher: Searcher) -> None:
    assert searcher.search("Title:Norilsk").total == searcher.search("title:Norilsk").total > 0
    assert searcher.search("Casualties:>50").total == searcher.search("casualties:>50").total > 0


def test_quoted_text_is_not_taken_for_a_field(searcher: Searcher) -> None:
    assert searcher.search('"Commander: Shamaev"').total == searcher.search('"commander shamaev"').total


def test_filters_and_facets_take_any_case(searcher: Searcher) -> None:
    lower = searcher.search("strike", filters={"result": ["suppressed"]})
    assert searcher.search("strike", filters={"Result": ["suppressed"]}).total == lower.total > 0
    by_side = searcher.search("strike", filters={"Commander1": ["frenkel"]})
    assert {hit.article for hit in by_side.hits} == {NORILSK}
    assert "commander1" in searcher.search("strike", facets=["Commander1"]).facets


def test_an_unknown_name_in_any_case_is_still_unknown(searcher: Searcher) -> None:
    with pytest.raises(QueryError, match="unknown field 'Bogus'"):
        searcher.search("Bogus:x")


def test_cli_filter_with_the_key_as_written(built_index: object) -> None:
    result = CliRunner().invoke(
        cli, ["search", "strike", "--filter", "Commander1=Frenkel", "--index", str(built_index), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"article": "Norilsk uprising"' in result.stdout
    assert '"article": "Vorkuta uprising"' not in result.stdout
