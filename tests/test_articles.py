"""Articles, not fragments: article data answers once per article, a page shows the corpus
rather than one article, and facets count articles.

Checked on the two bundled articles and on a corpus of many: the bundled ones plus the 112
real articles of the shared data (built once for the module).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher import Searcher, update_index
from searcher.cli import cli
from tests.conftest import CORPUS, NORILSK, UPRISINGS, VORKUTA, infobox_lines, section_text
from tests.realdata import ARTICLES, article_files, require_shared_data

EVERY = 100_000


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    """The bundled articles and the 112 real ones, in one index."""
    require_shared_data(ARTICLES)
    corpus = tmp_path_factory.mktemp("many") / "corpus"
    shutil.copytree(ARTICLES, corpus)
    shutil.copytree(CORPUS, corpus / "uprisings")
    update_index(corpus, corpus.parent / "index")
    with Searcher.open(corpus.parent / "index", update=False) as searcher:
        yield searcher


def sections_saying(word: str, title: str) -> int:
    """How many sections of the real article `title` have `word` in their text or heading."""
    from searcher import read_article

    [article] = [a for a in map(read_article, article_files()) if a.title == title]
    pattern = re.compile(rf"\b{word}\b", re.IGNORECASE)
    return sum(
        1 for section in article.sections
        if section.blocks and (pattern.search(section.text) or pattern.search(section.name))
    )


# --- article data lives once per article ----------------------------------------------------


@pytest.mark.parametrize("query", ["commander:Sirotkin", "casualties:>50", "result:suppressed",
                                   "commander:Sirotkin OR casualties:>50"])
def test_a_query_about_article_data_answers_once_per_article(searcher: Searcher, query: str) -> None:
    result = searcher.search(query, per_article=0)
    assert result.hits and result.matched == "articles"
    assert len({hit.article for hit in result.hits}) == len(result.hits) == result.total == result.articles
    for hit in result.hits:
        assert hit.section == "Infobox" and hit.highlights
        assert hit.snippet in infobox_lines(hit.article)  # the field's line is the passage


def test_the_field_line_marks_the_word(searcher: Searcher) -> None:
    [hit] = searcher.search("commander:Sirotkin").hits
    assert (hit.article, list(hit.marked())) == (NORILSK, ["Sirotkin"])
    assert hit.snippet.startswith("Commander2: ")


def test_a_mixed_query_finds_sections_of_articles_whose_data_matches(searcher: Searcher) -> None:
    mixed = searcher.search("strike commander:Sirotkin", per_article=0)
    plain = searcher.search("strike", uprising=[NORILSK], per_article=0)
    assert mixed.matched == "sections" and mixed.hits
    assert {(h.article, h.section) for h in mixed.hits} == {(h.article, h.section) for h in plain.hits}
    for hit in mixed.hits:
        assert [word.lower() for word in hit.marked()] and all(
            word.lower().startswith("strike") for word in hit.marked()
        ), hit


def test_a_filter_on_article_data_keeps_sections_of_those_articles(searcher: Searcher) -> None:
    suppressed = searcher.search("strike", filters={"result": ["suppressed"]}, per_article=0)
    assert {hit.article for hit in suppressed.hits} == set(UPRISINGS)  # both were suppressed
    excluded = searcher.search("strike NOT commander:Sirotkin", per_article=0)
    assert excluded.hits and {hit.article for hit in excluded.hits} == {VORKUTA}


def test_during_answers_once_per_article_with_a_field_query(searcher: Searcher) -> None:
    result = searcher.search("date:1953", during="1953-07")
    assert result.matched == "articles" and result.total == result.articles == 2


# --- a page shows the corpus, not one article ---------------------------------------------


@pytest.mark.parametrize("word", ["war", "Nero", "Toronto", "season"])
def test_no_article_holds_more_than_three_hits_of_a_page(many: Searcher, word: str) -> None:
    result = many.search(word, limit=10)
    shown = Counter(hit.article for hit in result.hits)
    assert max(shown.values()) <= 3
    assert len(result.hits) == min(10, sum(min(3, n) for n in Counter(
        hit.article for hit in many.search(word, limit=EVERY, per_article=0).hits).values()))
    everything = many.search(word, limit=EVERY, per_article=0)
    assert result.total == everything.total == len(everything.hits)
    assert result.articles == len({hit.article for hit in everything.hits})
    matching = Counter(hit.article for hit in everything.hits)
    for title, count in shown.items():
        last = [hit for hit in result.hits if hit.article == title][-1]
        assert last.more_in_article == matching[title] - count
        assert all(not hit.more_in_article for hit in result.hits if hit.article == title and hit is not last)


def test_per_article_changes_the_cap(many: Searcher) -> None:
    one = many.search("Nero", per_article=1)
    assert len({hit.article for hit in one.hits}) == len(one.hits)
    free = many.search("Nero", per_article=0, limit=10)
    assert Counter(hit.article for hit in free.hits)["Nero"] > 3
    assert all(hit.more_in_article == 0 for hit in free.hits)


def test_a_title_word_lifts_the_lead_but_does_not_make_every_section_a_hit(many: Searcher) -> None:
    result = many.search("Nero", limit=EVERY, per_article=0)
    nero = [hit for hit in result.hits if hit.article == "Nero"]
    assert nero[0].section == "Lead" and result.hits[0].article == "Nero"
    lead = 1  # the lead carries the title whether or not its text says it
    assert len(nero) == max(sections_saying("Nero", "Nero"), lead)
    assert all(hit.highlights for hit in nero[1:]), "a section shown with nothing marked"


def test_words_joined_by_or_lift_the_lead_of_an_article_whose_title_has_one(searcher: Searcher) -> None:
    """`amnesty OR vorkuta`: the Vorkuta uprising's title has what was asked, so its lead
    comes first of its sections, as for `vorkuta` alone, above its Background, the one that
    says amnesty (which came first when the title had to hold both words)."""
    amnesty = searcher.search("amnesty", article=VORKUTA, limit=EVERY, per_article=0).hits
    assert [hit.section for hit in amnesty] == ["Background"]
    for text in ("vorkuta", "amnesty OR vorkuta"):
        hits = searcher.search(text, limit=EVERY, per_article=0).hits
        vorkuta = [hit.section for hit in hits if hit.article == VORKUTA]
        assert vorkuta[0] == "Lead", text


def test_every_hit_of_a_title_word_marks_its_own_words(searcher: Searcher) -> None:
    for hit in searcher.search("Norilsk", limit=50, per_article=0).hits:
        if "norilsk" in section_text(hit.article, hit.section).lower():
            assert any(word.lower() == "norilsk" for word in hit.marked()), hit


# --- facets count articles --------------------------------------------------------------------


def test_facets_count_matching_articles_and_sections(many: Searcher) -> None:
    result = many.search("war", limit=1, facets=["article", "year"])
    everything = many.search("war", limit=EVERY, per_article=0, facets=False)
    per_article = Counter(hit.article for hit in everything.hits)
    article = {value.value: (value.count, value.articles) for value in result.facets["article"]}
    assert article == {title: (count, 1) for title, count in per_article.items()}
    assert sum(articles for _, articles in article.values()) == result.articles == len(per_article)
    for value in result.facets["year"]:
        assert value.articles <= value.count and value.articles <= result.articles


def test_a_chosen_uprising_counts_articles_of_the_others_too(searcher: Searcher) -> None:
    result = searcher.search("strike", uprising=[VORKUTA])
    facet = {value.value: (value.articles, value.selected) for value in result.facets["article"]}
    assert facet == {VORKUTA: (1, True), NORILSK: (1, False)}
    assert {hit.article for hit in result.hits} == {VORKUTA}


def test_cli_says_how_many_more_and_counts_articles(many: Searcher) -> None:
    index = str(many.index_dir)
    result = CliRunner().invoke(cli, ["search", "Nero", "--index", index, "--no-update"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^   \+ \d+ more sections in Nero$", result.stdout, re.M)
    assert re.search(r"^\d+ matching sections in \d+ articles \(", result.stdout.splitlines()[-1])
    one = CliRunner().invoke(cli, ["search", "Nero", "--index", index, "--no-update", "--per-article", "0"])
    assert "more sections in" not in one.stdout
    articles = CliRunner().invoke(cli, ["search", "commander:Sirotkin", "--index", index, "--no-update"])
    assert articles.stdout.splitlines()[-1] == "1 matching article"


def test_index_report_counts_sections_without_article_documents(tmp_path: Path) -> None:
    report = update_index(CORPUS, tmp_path / "index")
    assert (report.articles, report.sections) == (2, 11)


def test_facets_text_says_which_count_is_which(built_index: Path) -> None:
    result = CliRunner().invoke(cli, ["facets", "strike", "--index", str(built_index), "--no-update"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "article    articles  sections"
    assert re.fullmatch(rf"   +1 +2  {NORILSK}", lines[1]) and re.fullmatch(rf"   +1 +1  {VORKUTA}", lines[2])
    # A facet's name of 10 letters or more stays apart from the column names (`birth_placearticles`).
    long_name = CliRunner().invoke(
        cli, ["facets", "strike", "--facet", "combatant2", "--index", str(built_index), "--no-update"]
    )
    assert "combatant2 articles  sections" in long_name.stdout.splitlines()


def test_cli_footer_counts_the_chosen_articles_and_at_most_five(built_index: Path, many: Searcher) -> None:
    chosen = CliRunner().invoke(cli, ["search", "strike", "--article", VORKUTA, "--index", str(built_index),
                                      "--no-update"])
    assert chosen.stdout.splitlines()[-1] == f"1 matching section in 1 article ({VORKUTA} 1)"
    wide = CliRunner().invoke(cli, ["search", "war", "--index", str(many.index_dir), "--no-update"])
    footer = wide.stdout.splitlines()[-1]
    five_and_more = r"\d+ matching sections in \d+ articles \(([^,]+ \d+, ){5}and \d+ more\)"
    assert re.fullmatch(five_and_more, footer), footer


def test_the_api_speaks_of_articles(searcher: Searcher) -> None:
    by_article = searcher.search("strike", article="vorkuta uprising")
    assert {hit.article for hit in by_article.hits} == {VORKUTA}
    by_uprising = searcher.search("strike", uprising=[VORKUTA])
    assert [h.path for h in by_article.hits] == [h.path for h in by_uprising.hits]
