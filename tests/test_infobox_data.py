"""The infobox as data: fields, dates, numbers, facets, and the show and fields commands."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from searcher import Searcher
from searcher.cli import cli
from tests.conftest import write_article

NORILSK, VORKUTA = "Norilsk uprising", "Vorkuta uprising"


def articles(result) -> set[str]:
    return {hit.article for hit in result.hits}


def test_during_june_finds_norilsk_only(searcher: Searcher) -> None:
    assert articles(searcher.search("strike", during="1953-06")) == {NORILSK}


def test_during_a_day_in_both_intervals_finds_both(searcher: Searcher) -> None:
    assert articles(searcher.search("strike", during="1953-07-25")) == {NORILSK, VORKUTA}


def test_during_a_range_before_vorkuta_finds_norilsk(searcher: Searcher) -> None:
    assert articles(searcher.search("strike", during="1953-06-01..1953-06-30")) == {NORILSK}


def test_commander_sirotkin_finds_norilsk_with_the_name_marked(searcher: Searcher) -> None:
    result = searcher.search("commander:Sirotkin")
    assert articles(result) == {NORILSK}
    first = result.hits[0]
    assert first.section == "Infobox"
    assert list(first.marked()) == ["Sirotkin"]


def test_numbers_answer_ranges_and_unknowns_never_match(searcher: Searcher) -> None:
    assert articles(searcher.search("strength:[10000 TO]")) == {NORILSK}  # 16,378 people
    assert articles(searcher.search("strength:[TO 100]")) == set()  # Strength2: No data
    assert articles(searcher.search("casualties:[50 TO 60]")) == {VORKUTA}  # 57 killed
    assert articles(searcher.search("casualties:[900 TO 1100]")) == {NORILSK}


def test_facet_counts_apply_every_filter_but_their_own(searcher: Searcher) -> None:
    plain = searcher.search("strike", limit=1)
    assert {v.value: v.count for v in plain.facets["article"]} == {NORILSK: 2, VORKUTA: 1}
    filtered = searcher.search("strike", uprising=["vorkuta UPRISING"], limit=1)
    assert filtered.total == 1
    assert {(v.value, v.count, v.selected) for v in filtered.facets["article"]} == {
        (NORILSK, 2, False), (VORKUTA, 1, True)
    }
    places = {v.value: v.count for v in filtered.facets["place"]}
    assert places == {"Vorkutlag": 1, "Vorkuta": 1, "Soviet Union": 1}


def test_result_filter_marks_the_value_selected(searcher: Searcher) -> None:
    result = searcher.search("casualties:killed", filters={"result": ["suppressed"]})
    assert [(v.value, v.selected) for v in result.facets["result"]] == [("Uprising suppressed", True)]


def test_fields_list_shared_names_numbers_and_dates(searcher: Searcher) -> None:
    fields = {info.name: info for info in searcher.fields()}
    assert fields["commander"].keys == ("Commander1", "Commander2")
    assert fields["strength"].kind == "number"
    assert fields["date"].kind == "date"
    assert fields["map_type"].example == "European Russia"

    # The fields every index has take their examples from it: the first article (by title),
    # its first heading, a word of its text; every article has them.
    built_in = [(fields[name].example, fields[name].articles) for name in ("title", "section", "text")]
    assert built_in == [("Norilsk uprising", 2), ("History", 2), ("uprising", 2)]
    for query in ('title:"Norilsk uprising"', "section:History", "text:uprising"):
        assert searcher.search(query).total > 0, query


def test_show_indents_a_subsections_heading_by_its_depth(tmp_path: Path) -> None:
    """`show` printed `==` and `===` headings alike: Nero's subsections could not be told
    from its sections (a bug hunt)."""
    nested = "= Nested =\n\nLead text.\n\n==Life==\nOf it.\n\n===Family===\nOf them.\n\n====Children====\n"
    write_article(tmp_path / "corpus", "nested.txt", nested + "Of those.\n\n==Death==\nAt the end.\n")
    shown = CliRunner().invoke(cli, ["show", "Nested", "--corpus", str(tmp_path / "corpus"),
                                     "--index", str(tmp_path / "ix")])
    names = ("Life", "Family", "Children", "Death")
    headings = [line for line in shown.output.splitlines() if line.strip() in names]
    assert headings == ["Life", "  Family", "    Children", "Death"]


def test_show_and_fields_commands_in_text_and_json(built_index: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    options = ["--index", str(built_index)]
    shown = runner.invoke(cli, ["show", "vorkuta uprising", *options])
    assert shown.exit_code == 0
    assert "Combatant1: Soviet Authorities, Soviet Army, Prison Guards" in shown.output
    assert shown.output.index("Casualties2: 57 killed") < shown.output.index("Background")
    # every line of an infobox, not only its fields (a bug hunt), and its header
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "= A =\n\nFlag caption\n- Name: Jaguar\n- Free text about jaguars\n"
                                   "- Kind: cat\n- Size: 1.25em\n\nLead.\n")
    lines = runner.invoke(cli, ["show", "A", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]).stdout
    assert lines.splitlines()[:7] == ["A", "  Flag caption", "  Name: Jaguar", "  - Free text about jaguars",
                                      "  Kind: cat", "  Size:", ""]  # (a value all debris: no trailing space)
    data = json.loads(runner.invoke(cli, ["show", VORKUTA, "--json", *options]).output)
    assert [f["value"] for f in data["infobox"] if f["key"] == "Combatant1"] == [
        "Soviet Authorities, Soviet Army, Prison Guards"
    ]
    listed = json.loads(runner.invoke(cli, ["fields", "--json", *options]).output)
    assert {"name": "commander2", "kind": "text", "keys": ["Commander2"],
            "example": "Mikhail Kuznetsov, Alexander Sirotkin, Ivan Semyonov", "articles": 1} in listed
    facets = json.loads(runner.invoke(cli, ["facets", "strike", "--json", *options]).output)
    assert {v["value"]: v["count"] for v in facets["year"]} == {"1953": 3}


def test_fields_are_listed_in_columns_whatever_the_length_of_a_name(tmp_path: Path) -> None:
    """A name of more than 20 letters (`gdp_nominal_per_capita_rank`) pushed its row's kind and
    example out of line (a bug hunt)."""
    write_article(tmp_path / "corpus", "a.txt",
                  "= A =\n\nInfobox\n- GDP nominal per capita rank: 19th\n- Place: Here\n\nText.\n")
    options = ["--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "ix")]
    listed = CliRunner().invoke(cli, ["fields", *options])
    assert listed.exit_code == 0, listed.output
    kinds = {line.index(" text ") for line in listed.stdout.splitlines()}
    assert len(kinds) == 1 and kinds != {20}
