"""The Typesense engine against a real node: sync, the same answers as the Whoosh engine, what
it refuses, the CLI. The node is the session's (`typesense_node`); each test has its own
collection (`typesense_url`)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher import Hit, QueryError, Searcher, SearcherError
from searcher.cli import cli
from searcher.cluster import lexicon as lexicon_module
from searcher.cluster.client import connect, disconnect
from searcher.cluster.lexicon import Lexicon
from searcher.cluster.sync import live_collection, sync
from searcher.engine import EngineError, parse_engine
from searcher.vocabulary import Vocabulary
from tests.realdata import ARTICLES, require_shared_data
from tests.test_compounds import ARTICLES as COMPOUND_ARTICLES
from tests.test_numbers_dates import (
    DECIMAL_FILTERS,
    DECIMAL_QUERIES,
    MIXED,
    MIXED_QUERIES,
    decimal_files,
    mixed_files,
)
from tests.test_relax import EMERGENCY, OPTICS, SHORT_WORDS
from tests.test_suggest import ANARCHISTS
from tests.test_variants import FIRST_WAR, NUMERALS, SAINTS

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "corpus"

# Queries of every kind the translation handles, with an answer on the bundled corpus.
SAME_ANSWERS = [
    "amnesty",
    "Sirotkin",
    "commander:Sirotkin",
    "strike commander:Sirotkin",
    "Vorkuta -strike",
    "strike NOT (amnesty OR tanks)",
    "bronze OR granite",
    "(Rudenko OR Shumuk) AND Moscow",
    "Lithuan*",
    '"hunger strike"',
    "date:1953-07",
    "date:[1953-07 TO 1953-07]",
    "date:[1954 TO 1953]",
    "Sirotkin-zzxqv",
    "strength:>=10000",
    "title:Vorkuta",
    "title:Norilsk strike",  # (every section of the article: they found its lead alone)
    "strike -title:Norilsk",
    'title:"Norilsk uprising" strike',
    "strike (title:Norilsk OR title:Kengir)",
    "Uprising -(title:Vorkuta OR title:Norilsk)",  # (refused: a NOT of a word in one field)
    "-title:Norilsk",
    "title:Norilsk OR title:Vorkuta",
    "section:Background amnesty",
    "how many prisoners were killed at Vorkuta",
    "Hrytsyak",
    "commander:\"Boris Shamayev\"",
    "commander:Hrytsyak",
    "U.S.S.R.",  # an abbreviation with points: the text's USSR
    "MVD camp",
    "Schamajew",  # a spelling the corpus never writes: Shamaev (Typesense found nothing)
    "Shamayev strike",  # (Typesense found it only through the typo retry)
    "casualties2:5777",
    "the of",  # only stop words: nothing (Typesense's "*" matched every section)
    "amnsty",
    "uprisng",  # (the retry finds nothing: the suggestion's hits)
    "*",
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the bundled corpus the test may edit."""
    return Path(shutil.copytree(BUNDLED, tmp_path / "corpus"))


def _add_a_word(article: Path) -> None:
    """Edit an article: a word no article has, `zanzibarian`, at its end."""
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\nA zanzibarian postscript.\n", encoding="utf-8")


def test_engine_addresses_are_read_or_refused_by_name() -> None:
    address = parse_engine("typesense://k3y@10.0.0.1:8108,10.0.0.2:8108/arts")
    assert address is not None
    assert (address.api_key, address.collection) == ("k3y", "arts")
    assert [(n.host, n.port) for n in address.nodes] == [("10.0.0.1", 8108), ("10.0.0.2", 8108)]
    assert parse_engine("whoosh") is None and parse_engine("") is None
    with pytest.raises(EngineError, match="not an engine") as error:
        parse_engine("http://secret@host:1")
    assert "secret" not in str(error.value)  # the key is never printed
    with pytest.raises(EngineError, match="node 'host' is not HOST:PORT"):
        parse_engine("typesense://k@host")
    with pytest.raises(EngineError, match="collection"):
        parse_engine("typesense://k@host:1/a b")


def test_sync_adds_edits_and_removes_only_what_changed(typesense_url: str, corpus: Path) -> None:
    address = parse_engine(typesense_url)
    assert address is not None
    first = sync(address, corpus)
    assert first.rebuilt and sorted(first.added) == sorted(p.name for p in corpus.glob("*.txt"))
    assert (first.articles, first.sections) == (2, 11)
    assert not sync(address, corpus).changed
    _add_a_word(corpus / "vorkuta-uprising.txt")
    edited = sync(address, corpus)
    assert (edited.added, edited.updated, edited.removed) == ([], ["vorkuta-uprising.txt"], [])
    with Searcher.open(corpus=corpus, engine=typesense_url, update=False) as searcher:
        assert [hit.article for hit in searcher.search("zanzibarian").hits] == ["Vorkuta uprising"]
    (corpus / "norilsk-uprising.txt").unlink()
    removed = sync(address, corpus)
    assert removed.removed == ["norilsk-uprising.txt"] and removed.articles == 1
    with Searcher.open(corpus=corpus, engine=typesense_url, update=False) as searcher:
        assert searcher.uprisings() == ["Vorkuta uprising"]
        assert searcher.search("Sirotkin").total == 0


def test_a_long_open_searcher_of_a_collection_refreshes_to_a_sync(typesense_url: str, corpus: Path) -> None:
    """`refresh` gives a searcher of the collection as a later sync left it (its files, titles
    and fields), as it does of an index folder."""
    address = parse_engine(typesense_url)
    assert address is not None
    sync(address, corpus)
    with Searcher.open(corpus=corpus, engine=typesense_url, update=False) as opened:
        assert opened.up_to_date() and opened.refresh() is opened
        (corpus / "norilsk-uprising.txt").unlink()
        sync(address, corpus)
        assert not opened.up_to_date() and opened.latest()[1] > opened.source()[1]
        refreshed = opened.refresh()
    with refreshed:
        assert refreshed is not opened and refreshed.up_to_date()
        assert refreshed.uprisings() == ["Vorkuta uprising"]
    with pytest.raises(SearcherError, match="is closed"):
        opened.uprisings()


def test_a_closed_searcher_of_a_collection_says_so(typesense_url: str) -> None:
    """Used after `close()`, a searcher of a Typesense collection raised `AttributeError:
    'ClusterSearcher' object has no attribute 'index_dir'` (a bug hunt), where a closed
    searcher of an index folder says it is closed."""
    with Searcher.open(corpus=BUNDLED, engine=typesense_url) as searcher:
        assert searcher.search("amnesty").total == 2
    address = parse_engine(typesense_url)
    message = f"the searcher of {address} is closed: open another with Searcher.open()"
    for use in (lambda: searcher.search("amnesty"), searcher.fields, searcher.uprisings,
                lambda: searcher.article("Norilsk uprising")):
        with pytest.raises(SearcherError) as raised:
            use()
        assert str(raised.value) == message


def test_another_corpus_named_without_a_sync_is_not_searched_silently(
    typesense_url: str, corpus: Path
) -> None:
    """`Searcher.open(corpus=..., engine=..., update=False)` searched the collection's own
    corpus without a word, as if it were the one named (a bug hunt)."""
    with Searcher.open(corpus=corpus, engine=typesense_url):
        pass
    address = parse_engine(typesense_url)
    warning = (f"the collection {address} holds {corpus.resolve()}, not {BUNDLED.resolve()}: "
               "searching it as it is, without an update (`--no-update`, `update=False` in Python)")
    with Searcher.open(corpus=BUNDLED, engine=typesense_url, update=False) as searcher:
        assert searcher.warnings == [warning]
        assert searcher.search("amnesty").warnings == [warning]
    with Searcher.open(corpus=corpus, engine=typesense_url, update=False) as searcher:
        assert searcher.warnings == []


def test_a_rebuild_moves_the_alias_and_drops_the_old_collection(typesense_url: str, corpus: Path) -> None:
    address = parse_engine(typesense_url)
    assert address is not None
    sync(address, corpus)
    client = connect(address)
    try:
        before = live_collection(client, address.collection)
        report = sync(address, corpus, rebuild=True)
        after = live_collection(client, address.collection)
        names = {collection["name"] for collection in client.collections.retrieve()}
    finally:
        disconnect(client)
    assert report.rebuilt and before != after
    assert after in names and before not in names


def test_a_search_answers_as_the_whoosh_engine_does(typesense_url: str, tmp_path: Path) -> None:
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in SAME_ANSWERS:
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert theirs.total == ours.total and theirs.articles == ours.articles, text
            assert theirs.matched == ours.matched, text
            assert theirs.facets == ours.facets, text
            assert {hit.article for hit in theirs.hits} == {hit.article for hit in ours.hits}, text
            assert (theirs.corrected, theirs.relaxed) == (ours.corrected, ours.relaxed), text
        # A pattern's hits mark the words it completed (they showed the section's start, unmarked),
        # and a quoted phrase is one mark (its words were marked alone too).
        # A field's value found by the typo retry marks the line it is on (they showed the
        # infobox's start, unmarked).
        # The words of `title:`, `section:` and infobox fields mark no text (they marked it).
        # A relaxed question marks the words it left out where a hit has them, but no question
        # word (they marked `which` and `were`, and not `strike` and `Beria`).
        # A phrase found by its close spellings is one mark, as the text spells it (they marked
        # the word spelled another way alone: `Norlisk`, not `Norlisk Gulag`); so is a phrase of
        # a field found by its spelling variants (`Shamaev`, not `Boris Shamaev`).
        for text in ("amnest*", "Vork*", '"Vorkuta uprising"', '"hunger strike"',
                     '"Norilsk Gulag"', '"hunger strke"', '"Voice of Amerika"',
                     "how many prisoners were killed at Vorkuta", "commander:Shamayev", "commander:Gritsiak",
                     "title:Norilsk strike", "section:Background amnesty", "strike conflict:Vorkuta",
                     "which prisoners were shot by guards", "who were the leaders of the Norilsk strike",
                     "prisoners strike amnesty Beria", 'commander:"Boris Shamayev"'):
            marked = [{word.casefold() for hit in engine.search(text).hits for word in hit.marked()}
                      for engine in (whoosh, typesense)]
            assert marked[1] == marked[0] != set(), text
        assert typesense.fields() == whoosh.fields()
        assert typesense.uprisings() == whoosh.uprisings()
        assert typesense.article("norilsk UPRISING").title == "Norilsk uprising"


def test_an_article_without_an_infobox_that_a_not_matches_shows_its_opening(
    typesense_url: str, corpus: Path, tmp_path: Path
) -> None:
    """Such a hit had an empty passage on Typesense (a bug hunt), as on Whoosh before."""
    (corpus / "kengir.txt").write_text("= Kengir uprising =\n\nThe Kengir uprising was a rebellion.\n",
                                       encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=typesense_url) as typesense:
        answers = [engine.search("-result:suppressed") for engine in (whoosh, typesense)]
    shown = [[(h.article, h.section, h.position, h.snippet) for h in found.hits] for found in answers]
    assert shown[1] == shown[0] == [("Kengir uprising", "Lead", 0, "The Kengir uprising was a rebellion.")]


def test_a_heading_with_no_text_is_searched_with_the_headings_under_it(
    typesense_url: str, corpus: Path, tmp_path: Path
) -> None:
    (corpus / "town.txt").write_text("= Town =\n\nA town.\n\n==Churches==\n\n===Parish church===\n"
                                     "Old stone.\n===Other===\nSmall ones.\n", encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=typesense_url) as typesense:
        found = [sorted((h.article, h.section) for h in engine.search("section:churches").hits)
                 for engine in (whoosh, typesense)]
    assert found[1] == found[0] == [("Town", "Other"), ("Town", "Parish church")]


def test_a_field_of_dates_and_numbers_as_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    for name, text in mixed_files(MIXED).items():
        (tmp_path / "corpus" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "corpus" / name).write_text(text, encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=tmp_path / "corpus") as whoosh, \
            Searcher.open(corpus=tmp_path / "corpus", engine=typesense_url) as typesense:
        for query, expected in MIXED_QUERIES.items():
            found = [{hit.article for hit in engine.search(query).hits} for engine in (whoosh, typesense)]
            assert found[1] == found[0] == expected, query


def test_which_word_a_relaxed_query_leaves_out_is_not_the_query_s_order(typesense_url: str) -> None:
    with Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        answers = [typesense.search(text) for text in ("camp standoff western", "camp western standoff")]
    assert answers[0].relaxed == answers[1].relaxed != []


def test_numbers_with_a_fraction_as_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    """`87.1%`, `0.75`, `1.80 m`, `+4:30`: each engine kept the whole part or none (a bug hunt)."""
    for name, text in decimal_files().items():
        (tmp_path / "corpus" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "corpus" / name).write_text(text, encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=tmp_path / "corpus") as whoosh, \
            Searcher.open(corpus=tmp_path / "corpus", engine=typesense_url) as typesense:
        for query, expected in DECIMAL_QUERIES.items():
            answers = [engine.search(query) for engine in (whoosh, typesense)]
            found = [{hit.article for hit in answer.hits} for answer in answers]
            assert found[1] == found[0] == expected, query
            marked = [sorted(word for hit in answer.hits for word in hit.marked()) for answer in answers]
            assert marked[1] == marked[0], query
        for (name, value), expected in DECIMAL_FILTERS.items():
            found = [{hit.article for hit in engine.search("*", filters={name: value}).hits}
                     for engine in (whoosh, typesense)]
            assert found[1] == found[0] == expected, (name, value)


def test_filters_facets_and_pages_as_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for arguments in (
            {"uprising": ["Norilsk uprising"]},
            {"filters": {"result": ["suppressed"]}},
            {"filters": {"place": ["Vorkuta"]}, "facets": ["place", "article"]},
            {"filters": {"combatant": ["PRISONERS"]}, "facets": ["combatant"]},  # a value whole
            {"filters": {"Uprising": ["norilsk uprising"]}, "facets": ["uprising", "place"]},  # `article`
            {"during": "1953-07-25"},
            {"per_article": 0, "limit": 20},
            {"per_article": 1},
            {"per_article": 2, "limit": 1},
            {"filters": {"place": ["Norilks", "Nowhere"], "year": "1953"}},  # (no article has that place)
        ):
            ours, theirs = whoosh.search("strike", **arguments), typesense.search("strike", **arguments)  # type: ignore[arg-type]
            assert (theirs.total, theirs.articles, theirs.ranked, theirs.facets) == (
                ours.total, ours.articles, ours.ranked, ours.facets
            )
            assert (len(theirs.hits), theirs.warnings) == (len(ours.hits), ours.warnings)
            assert sorted((h.article, h.more_in_article) for h in theirs.hits) == sorted(
                (h.article, h.more_in_article) for h in ours.hits
            ), arguments
        page = typesense.search("uprising", limit=2, per_article=0, offset=2)
        assert [hit.rank for hit in page.hits] == [3, 4]
        for too_long, why in (({"limit": None}, "limit=None (every hit) is the Whoosh engine's: offset"),
                              ({"limit": 200, "offset": 51}, "offset")):
            at_most = re.escape(f"{why} + limit must be at most 250 on the Typesense")
            with pytest.raises(QueryError, match=at_most):
                typesense.search("uprising", **too_long)  # type: ignore[arg-type]
        # a value named whole is that value (`Prison Guards` has the stem of `Prisoners`)
        prisoners = typesense.search("*", filters={"combatant": "prisoners"}, facets=["combatant"])
        assert {hit.article for hit in prisoners.hits} == {"Norilsk uprising"}
        assert [v.value for v in prisoners.facets["combatant"] if v.selected] == ["Prisoners"]


def test_did_you_mean_as_on_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    """A corrected search suggests only words its close spellings found (they offered `Army`
    while showing the sections with `armed`, `worker` with `word`, `started` with `State`)."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in ("Frenkl", "Norilks amnesty", "amnesty", "Vorkta strike", "Arym", "worke", "strated"):
            assert typesense.search(text).suggestion == whoosh.search(text).suggestion, text
        assert typesense.search("Norilks amnesty").suggestion == "Norilsk amnesty"


def test_a_corrected_search_shows_its_suggestions_hits_first(typesense_url: str, tmp_path: Path) -> None:
    """As on the Whoosh engine (`SUGGESTED_BOOST`): `wite` showed `wire` before the suggested
    `wide`, `caled` `cases` before `called`."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in ("wite", "caled", "nubers", "Latvina"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert theirs.corrected and theirs.suggestion == ours.suggestion is not None, text
            suggested = set(_places(typesense.search(ours.suggestion, per_article=0).hits))
            firsts = [place in suggested for place in _places(theirs.hits)]
            assert firsts == sorted(firsts, reverse=True) and firsts[0], (text, firsts)
            assert theirs.total == ours.total and _places(theirs.hits) == _places(ours.hits), text


def test_a_typo_is_retried_as_the_nearest_written_word_as_on_the_whoosh_engine(
    typesense_url: str, tmp_path: Path
) -> None:
    """Typesense's typos compare `anarchizm` with the collection's stems: they found
    `anarchist`, which was suggested, never `anarchism` (stem `anarch`, three edits away), the
    nearer word. The retry also takes the stems of the written words close to a word, as on
    the Whoosh engine, and the suggestion's hits come first."""
    with both_engines(typesense_url, tmp_path, {"anarchists.txt": ANARCHISTS}) as (whoosh, typesense):
        ours, theirs = whoosh.search("anarchizm"), typesense.search("anarchizm")
        assert theirs.suggestion == ours.suggestion == "anarchism"
        assert (theirs.total, theirs.corrected, theirs.warnings) == (
            ours.total, ours.corrected, ours.warnings)
        assert _places(theirs.hits) == _places(ours.hits)
        assert [list(hit.marked()) for hit in theirs.hits] == [list(hit.marked()) for hit in ours.hits]


def test_a_word_spelled_right_is_retried_as_words_close_to_it_as_written_on_both_engines(
    typesense_url: str, tmp_path: Path
) -> None:
    """Both engines retried a word the collection holds as its close stems: `"state of
    emergency"` found `United States, Emery` (`emerg` is one edit from `emeri`, `emergency`
    four from `Emery`). Now as the stems of the written words close to it as typed."""
    with both_engines(typesense_url, tmp_path, {"emergency.txt": EMERGENCY}) as (whoosh, typesense):
        for text in ('"state of emergency"', '"emergency visit"', '"emergency rul"', '"states Emery"'):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert (theirs.total, theirs.corrected) == (ours.total, ours.corrected), text
            assert _places(theirs.hits) == _places(ours.hits), text
        assert typesense.search('"state of emergency"').total == 0


def test_a_word_the_index_lacks_is_retried_only_as_words_close_to_it_as_written_on_both_engines(
    typesense_url: str, tmp_path: Path
) -> None:
    """`deity` is in no section and no written word is a typo away: neither engine retries it
    as the Latin `editi`, whose stem is one swap from its `deiti`; `thesarus` finds `thesaurus`."""
    with both_engines(typesense_url, tmp_path, {"optics.txt": OPTICS}) as (whoosh, typesense):
        for text in ("deity", "thesarus", "deity thesarus"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert (theirs.total, theirs.corrected) == (ours.total, ours.corrected), text
            assert _places(theirs.hits) == _places(ours.hits), text
        assert typesense.search("deity").total == 0 and typesense.search("thesarus").total == 1


def test_a_three_letter_word_is_retried_only_as_longer_words_or_swapped_on_both_engines(
    typesense_url: str, tmp_path: Path
) -> None:
    """`PhD` is no typo of `pH` or `PHP`, `cmp` one of `camp`, not `cup` or `cm`: Typesense's
    own typos (one for any word) kept to the Whoosh engine's close spellings."""
    with both_engines(typesense_url, tmp_path, {"units.txt": SHORT_WORDS}) as (whoosh, typesense):
        for text in ("PhD", "cmp", "PhD cmp", "camp cmp", "wra"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert (theirs.total, theirs.corrected) == (ours.total, ours.corrected), text
            marked = [{word for hit in found.hits for word in hit.marked()} for found in (ours, theirs)]
            assert marked[1] == marked[0], text
        assert typesense.search("PhD").total == 0
        assert {word for hit in typesense.search("cmp").hits for word in hit.marked()} == {"camp"}


def test_a_word_cut_in_parts_finds_them_one_after_the_other_on_both_engines(
    typesense_url: str, tmp_path: Path
) -> None:
    """A word a hyphen, an apostrophe or a dash cuts in parts is a phrase of them on both
    engines: `non-violence` found `Non members rejected violence` (and only the Whoosh engine
    finds it joined, `nonviolence`); one that matches nothing so says where its parts are."""
    with both_engines(typesense_url, tmp_path, COMPOUND_ARTICLES) as (whoosh, typesense):
        for text in ("O'Brien", "1953\u20131954"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert [list(hit.marked()) for hit in theirs.hits] == [list(hit.marked()) for hit in ours.hits]
            assert [hit.article for hit in theirs.hits] == ["Letters"], text
        for text in ("violence-members", "violence-members rejected", "violence-zzyx"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert (theirs.total, theirs.warnings) == (ours.total, ours.warnings) == (
                0, ["'violence-members' is in no section; 'violence members' finds its parts apart"]
                if text.startswith("violence-members") else []), text
        for text in ('"violence members"', '"violence members" rejected', '"non members" strike'):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert (theirs.total, theirs.warnings) == (ours.total, ours.warnings), text
            assert bool(ours.warnings) == text.startswith('"violence'), text
        assert [list(hit.marked()) for hit in typesense.search("non-violence").hits] == [["non-violence"]]


@pytest.mark.slow
def test_a_second_phrase_is_asked_as_its_words_on_the_112_articles(
    typesense_url: str, tmp_path: Path
) -> None:
    """Typesense 0.24 matches one phrase a query: `"eat pray" "north northwest"` found the
    section of `Eat, Pray, Love`, which has no `north`, and `Eat-Pray north-northwest` too,
    once a word cut in parts became a phrase. A second phrase is asked as its words."""
    require_shared_data(ARTICLES)
    with Searcher.open(index=tmp_path / "index", corpus=ARTICLES) as whoosh, \
            Searcher.open(corpus=ARTICLES, engine=typesense_url) as typesense:
        for text in ('"eat pray" "north northwest"', '"north northwest" "eat pray"',
                     "Eat-Pray north-northwest"):
            assert typesense.search(text).total == whoosh.search(text).total == 0, text
        both = typesense.search('"eat pray" Elizabeth-Gilbert')  # (the second phrase's words: here too)
        assert both.total == whoosh.search('"eat pray" Elizabeth-Gilbert').total > 0


def test_a_phrase_is_retried_with_the_spellings_the_whoosh_engine_takes(
    typesense_url: str, tmp_path: Path
) -> None:
    """The Typesense engine retried each word of a phrase as any close stem: `"1953 1954"` found
    `1953, 1956`, and `"film stag"` `film star`, where the Whoosh engine spells no number
    another way, and a word some section holds only as a rarer one (a misspelling of the text)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "film.txt").write_text(
        "= Film =\n\nA film star spoke of the strikes of 1953, 1956 and 1962.\n\n==Hunt==\nThe stag ran.\n",
        encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=typesense_url) as typesense:
        for text in ('"1953 1954"', "1953\u20131954", '"film stag"'):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert (theirs.total, theirs.corrected) == (ours.total, ours.corrected) == (0, False), text
        assert typesense.search('"film sar"').corrected  # (a word no section holds is retried)


def test_a_typed_word_is_measured_once_for_its_close_stems(monkeypatch: pytest.MonkeyPatch) -> None:
    """`close_stems` measured a typo as typed twice (whether it is retried so, then `meant`): ~20 ms each
    on this machine's 25,000 words, asked several times a query by the retry."""
    vocabulary = Vocabulary()
    vocabulary.add([({"political", "police"}, set())])
    lexicon = Lexicon(lambda: vocabulary, lambda stems: True, lambda stems: [1] * len(stems))
    measured: list[str] = []
    typos_of = lexicon_module.typos_of
    monkeypatch.setattr(lexicon_module, "typos_of",
                        lambda words, word: measured.append(word) or typos_of(words, word))
    assert lexicon.close_stems("poliic", ["poliical"]) == ["poliic", "polit"]
    assert measured == ["poliical"]


@pytest.mark.slow
def test_a_typo_is_retried_as_the_nearest_written_word_on_the_112_articles(
    typesense_url: str, tmp_path: Path
) -> None:
    """`imagizm` showed the one section of a French `imagisme`, with no "did you mean", and
    `anarchizm` suggested `anarchist`, on both engines (a bug hunt): `imagism` and `anarchism`
    are one edit away, their stems (`imag`, `anarch`) more."""
    require_shared_data(ARTICLES)
    with Searcher.open(index=tmp_path / "index", corpus=ARTICLES) as whoosh, \
            Searcher.open(corpus=ARTICLES, engine=typesense_url) as typesense:
        for typo, written in (("imagizm", "imagism"), ("anarchizm", "anarchism")):
            ours, theirs = whoosh.search(typo), typesense.search(typo)
            assert theirs.corrected and theirs.suggestion == ours.suggestion == written, typo
            assert (theirs.total, theirs.articles) == (ours.total, ours.articles), typo
            assert written in {word.casefold() for hit in theirs.hits for word in hit.marked()}, typo
            suggested = set(_places(typesense.search(written, per_article=0, limit=100).hits))
            assert _places(theirs.hits)[0] in suggested, typo


def test_the_typo_retry_widens_the_other_words_as_the_whoosh_engine_on_the_112_articles(
    typesense_url: str, tmp_path: Path
) -> None:
    """Typesense's typos widened every word of the retry, correctly spelled ones too: `duped
    sole` matched 109 sections of the 112 articles, 6 on the Whoosh engine (`sole during`:
    now none, `duped` is no typo of a word close to it as written), and 31 of 58 two-word
    questions with a letter left out answered otherwise (a differential test of the engines).
    A word the collection holds keeps to the spellings it is more likely a typo of; one it
    lacks with no close spelling (which keeps its first letter) to itself: `zoologist` found 13
    sections of `biologists` there, where the Whoosh engine finds none."""
    require_shared_data(ARTICLES)
    with Searcher.open(index=tmp_path / "index", corpus=ARTICLES) as whoosh, \
            Searcher.open(corpus=ARTICLES, engine=typesense_url) as typesense:
        for text in ("sirns lies", "flandrs sinking", "obtaied coins", "prceded boat"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert ours.corrected and theirs.corrected, text
            assert (theirs.total, theirs.articles) == (ours.total, ours.articles), text
        for text in ("duped sole", "zoologist", "aramaic"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert (theirs.total, theirs.corrected) == (ours.total, ours.corrected) == (0, False), text


@contextlib.contextmanager
def both_engines(
    typesense_url: str, tmp_path: Path, files: dict[str, str]
) -> Iterator[tuple[Searcher, Searcher]]:
    """The Whoosh and Typesense engines, open on a corpus of these files (name: text)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=typesense_url) as typesense:
        yield whoosh, typesense


def _places(hits: list[Hit]) -> list[tuple[str, int]]:
    """Where each hit is: its file and its section's place."""
    return [(hit.path, hit.position) for hit in hits]


def test_passages_mark_the_words_in_the_text_as_written(typesense_url: str) -> None:
    with Searcher.open(corpus=BUNDLED, engine=typesense_url) as searcher:
        hit = searcher.search("amnesty").hits[0]
        assert [hit.snippet[start:end] for start, end in hit.highlights] == ["amnesty"]
        variant = searcher.search("Hrytsyak").hits
        marked = {hit.snippet[start:end] for hit in variant for start, end in hit.highlights}
        assert "Gritsyak" in marked
        assert any("Gritsyak" in hit.variants for hit in variant)


@pytest.mark.parametrize("text, construct", [
    ("Vork?ta", "pattern"),
    ("Vorkuta~", "fuzzy word"),
    ("Vorkuta^2", "boost"),
    ('"general strike"~3', "phrase with words apart"),
    # (OR between single words runs: naming "OR between words" told the user it did not)
    ("Vorkuta OR (strike amnesty)", r"OR between phrases or groups of words \(OR between single words runs"),
    ('"Voice of America" OR strike', "OR between phrases or groups of words"),
    ("strike -(amnesty tanks)", "NOT of several words"),
    ('section:"Notable participants"', r'a phrase in one field \(section:"\.\.\."'),
    # (they excluded the words from every field: 3 sections, not 7)
    ("strike NOT (section:History OR section:Uprising)", r"NOT of a word in one field \('-section:"),
])
def test_what_typesense_cannot_say_is_refused_by_name(typesense_url: str, text: str, construct: str) -> None:
    with Searcher.open(corpus=BUNDLED, engine=typesense_url) as searcher, \
            pytest.raises(QueryError, match=construct) as error:
        searcher.search(text)
    assert "Typesense engine cannot run" in str(error.value) and "\n" not in str(error.value)


def test_the_cli_takes_the_engine_on_every_command(typesense_url: str, corpus: Path) -> None:
    runner = CliRunner()
    common = ["--engine", typesense_url, "--corpus", str(corpus)]
    built = runner.invoke(cli, ["index", *common])
    assert built.exit_code == 0, built.output
    assert built.stdout.startswith("2 articles, 11 sections in typesense://…@127.0.0.1:")
    assert "searcher-test-key" not in built.stdout + built.stderr
    found = runner.invoke(cli, ["search", "amnesty", "--json", *common])
    assert found.exit_code == 0, found.stderr
    data = json.loads(found.stdout)
    assert data["total"] == 2
    assert {hit["article"] for hit in data["hits"]} == {"Vorkuta uprising", "Norilsk uprising"}
    for command in (["facets", "strike"], ["show", "Norilsk uprising"], ["fields"]):
        result = runner.invoke(cli, [*command, *common])
        assert result.exit_code == 0, (command, result.stderr)
    refused = runner.invoke(cli, ["search", "Vork*ta", *common])
    assert refused.exit_code == 1 and "cannot run the pattern" in refused.stderr
    down = runner.invoke(cli, ["search", "x", "--engine", "typesense://k@127.0.0.1:9/none"])
    assert down.exit_code == 1 and "is not answering" in down.stderr and "Traceback" not in down.output


def test_the_engine_comes_from_the_environment_in_a_real_process(typesense_url: str, corpus: Path) -> None:
    environment = {**os.environ, "SEARCHER_ENGINE": typesense_url, "SEARCHER_CORPUS": str(corpus)}
    done = subprocess.run([sys.executable, "-m", "searcher", "search", "Sirotkin", "--json"],
                          capture_output=True, text=True, env=environment, check=False)
    assert done.returncode == 0, done.stderr
    assert [hit["article"] for hit in json.loads(done.stdout)["hits"]] == ["Norilsk uprising"]


@pytest.mark.slow
def test_the_judged_suites_agree_on_both_engines(typesense_url: str, tmp_path: Path) -> None:
    """The issue's measure: the same matching articles for every judged query, success@1 and
    MRR within 0.05 of Whoosh's (bench/engines.py prints the details)."""
    require_shared_data(ARTICLES)
    sys.path.insert(0, str(REPO))
    from bench.engines import compare
    from tests.relevance.evaluate import JUDGMENTS, MANY_JUDGMENTS, many_corpus

    suites = [
        compare("bundled", BUNDLED, JUDGMENTS, typesense_url, tmp_path),
        compare("many", many_corpus(tmp_path / "many"), MANY_JUDGMENTS, typesense_url, tmp_path),
    ]
    for suite in suites:
        assert suite.same_articles == suite.queries, [c for c in suite.differences if not c.same_articles]
        for figure in ("success_at_1", "mrr"):
            assert abs(suite.typesense[figure] - suite.whoosh[figure]) <= 0.05, (suite.suite, figure)


def test_serve_answers_from_the_collection_and_follows_the_corpus(typesense_url: str, corpus: Path) -> None:
    """`searcher serve --engine`: the API over a real socket answers from the collection; a
    check after an edit syncs it (in a `searcher index` process) and reads the new state."""
    import threading
    import urllib.request

    from searcher.web import Library, make_server

    library = Library(corpus=corpus, engine=typesense_url, notify=lambda message: None)
    web = make_server(library, "127.0.0.1", 0)
    thread = threading.Thread(target=web.serve_forever, daemon=True)
    thread.start()
    try:
        def api(path: str) -> dict[str, object]:
            with urllib.request.urlopen(web.url.rstrip("/") + path, timeout=60) as answer:
                return json.loads(answer.read())  # type: ignore[no-any-return]

        assert api("/api/health")["articles"] == 2
        found = api("/api/search?q=Sirotkin")
        assert [hit["article"] for hit in found["hits"]] == ["Norilsk uprising"]  # type: ignore[index]
        _add_a_word(corpus / "vorkuta-uprising.txt")
        assert library.check()  # synced and reloaded
        assert api("/api/search?q=zanzibarian")["total"] == 1
    finally:
        web.shutdown()
        web.server_close()
        thread.join()
        library.close()


def _film_corpus(folder: Path) -> Path:
    """60 articles with `film` in a short lead, and one titled `Film archive` whose ten long
    sections have it too: Typesense ranks those last (longer), the Whoosh order first (a
    title word lifts them)."""
    folder.mkdir()
    for number in range(60):
        (folder / f"place{number:02}.txt").write_text(
            f"= Place {number} =\n\nPlace {number} has a film club.\n", encoding="utf-8")
    filler = " ".join(f"word{number}" for number in range(80))
    reels = "".join(f"==Reel {number}==\nThis reel of film holds {filler}.\n\n" for number in range(10))
    (folder / "archive.txt").write_text(f"= Film archive =\n\nThe archive.\n\n{reels}", encoding="utf-8")
    return folder


def test_pages_partition_one_ranking_as_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    """Pages beyond the first 50 hits were each chosen from a window as long as the page's end,
    ordered anew: `Film archive`'s reels, which the longer window lifted, came again on page 7
    while some `Place` leads were never shown."""
    corpus = _film_corpus(tmp_path / "corpus")
    with Searcher.open(index=tmp_path / "index", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=typesense_url) as typesense:
        for per_article in (0, 3):
            ours = whoosh.search("film", per_article=per_article, limit=100)
            for name, engine in (("whoosh", whoosh), ("typesense", typesense)):
                paged = [_places(engine.search("film", per_article=per_article, limit=10, offset=offset).hits)
                         for offset in range(0, 80, 10)]
                whole = _places(engine.search("film", per_article=per_article, limit=80).hits)
                assert [place for page in paged for place in page] == whole, (name, per_article)
                assert len(set(whole)) == len(whole) == ours.ranked, (name, per_article)
                if not per_article:
                    assert set(whole) == set(_places(ours.hits)), name


# Questions of 7, 16 and 32 plain words (relax.MAX_WORDS), with too few exact matches.
LONG_QUESTIONS = [
    "strike amnesty tanks Beria Norilsk Vorkuta camp",
    "strike amnesty tanks Beria Norilsk Vorkuta camp prisoners guards Stalin death March Moscow"
    " Lithuania Latvia Estonia",
    "strike amnesty tanks Beria Norilsk Vorkuta camp prisoners guards Stalin death March Moscow"
    " Lithuania Latvia Estonia Ukraine Georgia inmates shot killed wounded arrested demands"
    " commission Rudenko Maslennikov Derevyanko Kuznetsov general Gorlag Norillag",
]


def test_long_questions_are_relaxed_as_on_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    """Every set of a question's words was counted in one multi-search: 7 to 12 words failed
    (more than Typesense's 50 searches a request), 13 to 32 were never relaxed."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in LONG_QUESTIONS:
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert ours.relaxed, text
            assert (theirs.total, theirs.relaxed) == (ours.total, ours.relaxed), text
            assert _places(theirs.hits) == _places(ours.hits), text


def test_a_field_no_article_holds_as_such_matches_nothing(typesense_url: str, tmp_path: Path) -> None:
    """A range on a text field, a date where no article has one, a filter on a field no article
    has: Typesense refused the filter on a field it does not hold (IndexUnavailable, 'Could not
    find a filter field named num_result'), where the Whoosh engine finds nothing."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "town.txt").write_text("= Town =\n\nInfobox newspaper\n- Issn: 0317-8471\n- Result: won\n\n"
                                     "The town paper.\n", encoding="utf-8")
    (corpus / "village.txt").write_text("= Village =\n\nA small village.\n", encoding="utf-8")
    asked = [("issn:>319", {}), ("-issn:>319", {}), ("result:>5", {}), ("*", {"during": "1953"}),
             ("*", {"filters": {"year": "1953"}}), ("paper", {"filters": {"place": "London"}})]
    for folder, questions in ((BUNDLED, [("result:>5", {}), ("conflict:>=1953", {})]), (corpus, asked)):
        with Searcher.open(index=tmp_path / f"index-{folder.name}", corpus=folder) as whoosh, \
                Searcher.open(corpus=folder, engine=f"{typesense_url}{folder.name}") as typesense:
            for text, arguments in questions:
                found = [sorted(_places(engine.search(text, **arguments).hits))  # type: ignore[arg-type]
                         for engine in (whoosh, typesense)]
                assert found[1] == found[0], (text, arguments)


def test_an_or_keeps_each_word_s_field_as_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    """In an OR, `title:`, `section:` and `text:` words were searched in every field (`title:Norilsk
    OR title:Vorkuta` found 7 sections, not 2)."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in ("title:Norilsk OR title:Vorkuta", "title:Norilsk OR amnesty",
                     "title:Norilsk OR section:History", "section:Uprising OR text:Sirotkin",
                     "title:Norilsk OR Norilsk", "commander:Sirotkin OR amnesty",
                     "strike -(title:Norilsk OR amnesty)"):
            found = [sorted(_places(engine.search(text, per_article=0).hits))
                     for engine in (whoosh, typesense)]
            assert found[1] == found[0] != [], text


@pytest.mark.slow
def test_title_on_the_112_articles_as_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    """`title:` is about every section of the articles so titled, on both engines: on the
    Whoosh engine it matched only the section holding the title (`* -title:toronto` kept 28
    sections of Toronto), on Typesense it was a filter on that section's title (and
    `-title:...` was refused). A misspelled title word is retried with its close spellings
    (`title:Toronot`: Typesense showed the suggestion's hits; `title:Wae`, none)."""
    require_shared_data(ARTICLES)
    with Searcher.open(index=tmp_path / "index", corpus=ARTICLES) as whoosh, \
            Searcher.open(corpus=ARTICLES, engine=typesense_url) as typesense:
        for text in ("title:toronto", "-title:toronto", "city -title:toronto", "genre:rock -title:horses",
                     "genre:rock", "title:toronto newspaper", 'title:"toronto star"',
                     "newspaper -title:toronto", "newspaper (title:toronto OR title:atlas)",
                     "title:Toronot", "title:Gilbret", "title:Wae"):
            ours, theirs = (engine.search(text, per_article=0, limit=100, facets=["article"])
                            for engine in (whoosh, typesense))
            assert (theirs.total, theirs.articles, theirs.matched) == (
                ours.total, ours.articles, ours.matched), text
            assert (theirs.corrected, theirs.suggestion, theirs.warnings) == (
                ours.corrected, ours.suggestion, ours.warnings), text
            assert theirs.facets == ours.facets, text
            if ours.total <= 100:
                assert sorted(_places(theirs.hits)) == sorted(_places(ours.hits)), text
        assert whoosh.search("city -title:toronto").articles == whoosh.search("city").articles - 2


@pytest.mark.slow
def test_an_abbreviation_with_points_or_without_on_the_112_articles(
    typesense_url: str, tmp_path: Path
) -> None:
    """`AH` finds the sections that write `A.H.`, and `A.H.` those with `AH`, on both engines
    (Typesense's synonyms dropped the points: `a.h` was `ah`); `Washington DC` also the
    section headed `... Washington, D.C.` (the Whoosh engine searched spellings in the text)."""
    require_shared_data(ARTICLES)
    with Searcher.open(index=tmp_path / "index", corpus=ARTICLES) as whoosh, \
            Searcher.open(corpus=ARTICLES, engine=typesense_url) as typesense:
        for text in ("A.H.", "AH", "D.C.", "DC", "Washington DC"):
            ours, theirs = (engine.search(text, per_article=0, limit=100) for engine in (whoosh, typesense))
            assert not ours.corrected and not theirs.corrected, text
            assert sorted(_places(theirs.hits)) == sorted(_places(ours.hits)), text
            assert {word for hit in theirs.hits for word in hit.marked()} == {
                word for hit in ours.hits for word in hit.marked()}, text
        assert whoosh.search("Washington DC").total == 6
        for text in ("AH", "A.H."):
            assert {word for hit in typesense.search(text, per_article=0).hits for word in hit.marked()} == {
                "AH", "A.H"}, text


# `Britt` names an article, and `Brit` is one of its spellings (the key drops a doubled letter).
BRITS = {"britt.txt": "= Britt Morgan =\n\nBritt Morgan sang with the band.\n",
         "music.txt": "= Music =\n\nThe Brit Awards went to Murphy.\n\n==Later==\nMurphy sang again.\n",
         "other.txt": "= Other =\n\nNothing here.\n"}


def test_a_word_naming_articles_is_held_in_its_every_spelling_on_both_engines(
    typesense_url: str, tmp_path: Path
) -> None:
    """The Typesense engine's filter for a word naming articles held the word as written
    alone, where synonyms reach its other spellings: `how many awards Britt Murphy` found
    nothing there, and the Whoosh engine the section of the `Brit Awards` (a bug hunt, on the
    112 real articles)."""
    with both_engines(typesense_url, tmp_path, BRITS) as (whoosh, typesense):
        for text in ("how many Murphy Britt sang", "how many awards Britt Murphy", "who sang Britt Murphy"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert ours.total and (theirs.total, theirs.relaxed) == (ours.total, ours.relaxed), text
            assert _places(theirs.hits) == _places(ours.hits), text


def test_saint_and_st_are_one_word_on_both_engines(typesense_url: str, tmp_path: Path) -> None:
    """Typesense's synonyms come from the same spelling keys: `Saint Louis` finds `St. Louis`."""
    with both_engines(typesense_url, tmp_path, {"cities.txt": SAINTS}) as (whoosh, typesense):
        for text in ("Saint Louis", "St Paul", "St. Paul", "saint"):
            ours, theirs = whoosh.search(text, per_article=0), typesense.search(text, per_article=0)
            assert ours.total and (theirs.total, theirs.corrected) == (ours.total, ours.corrected), text
            assert sorted(_places(theirs.hits)) == sorted(_places(ours.hits)), text
            marked = [{word for hit in found.hits for word in hit.marked()} for found in (ours, theirs)]
            assert marked[1] == marked[0], text


def test_a_number_and_its_roman_numeral_are_one_word_on_both_engines(
    typesense_url: str, tmp_path: Path
) -> None:
    """`world war 2` finds `World War II`, `world war 1` `World War I`, and `Type II` `Type 2`,
    on both engines (in a quoted phrase, on the Whoosh engine only: Typesense applies no
    synonym inside a phrase)."""
    articles = {"wars.txt": NUMERALS, "first.txt": FIRST_WAR}
    with both_engines(typesense_url, tmp_path, articles) as (whoosh, typesense):
        for text in ("world war 2", "world war 1", "Type II", "2", "II", "1"):
            ours, theirs = whoosh.search(text, per_article=0), typesense.search(text, per_article=0)
            assert ours.total and (theirs.total, theirs.corrected) == (ours.total, ours.corrected), text
            assert sorted(_places(theirs.hits)) == sorted(_places(ours.hits)), text
            marked = [{(hit.path, hit.position, word) for hit in found.hits for word in hit.marked()}
                      for found in (ours, theirs)]
            assert marked[1] == marked[0], text


def test_a_question_word_and_one_other_word_is_relaxed_as_on_the_whoosh_engine(
    typesense_url: str, tmp_path: Path
) -> None:
    """`which Vorkuta` kept at least two words, so nothing could be left out: 1 section with
    `which` marked, where the Whoosh engine shows the 4 with `Vorkuta`."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        # (`which prisoners`: a question, which 3 sections have whole, leaves out `which`)
        for text in ("which Vorkuta", "had Norillag", "there Stalin", "which prisoners", "which camp"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert ours.relaxed == [text.split()[0]], text
            assert (theirs.total, theirs.relaxed) == (ours.total, ours.relaxed), text
            assert sorted(_places(theirs.hits)) == sorted(_places(ours.hits)), text
            marked = [{word.casefold() for hit in found.hits for word in hit.marked()}
                      for found in (ours, theirs)]
            assert marked[1] == marked[0], text


def test_a_word_naming_articles_is_kept_as_on_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    """A relaxed question keeps a word of some articles' titles, held by their every section
    (relax.py): `how many prisoners died in Vorkuta` finds Vorkuta's Uprising section, which
    never says `Vorkuta`; `... in Norilsk` leaves out `died` rather than `Norilsk`."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in ("how many prisoners died in Vorkuta", "how many prisoners died in Norilsk",
                     "how many inmates were on strike in vorkuta", "prisoners died vorkuta"):
            # (every hit: the engines rank a relaxed query's hits alike, not the same, and the
            # 3 hits an article may hold on a page may be others)
            ours, theirs = whoosh.search(text, per_article=0), typesense.search(text, per_article=0)
            assert (theirs.total, theirs.relaxed) == (ours.total, ours.relaxed), text
            assert sorted(_places(theirs.hits)) == sorted(_places(ours.hits)), text
        # The section with every word the question left out comes first, as its answer: the
        # Infobox and Lead, which say `Vorkuta` and `strike`, came before it.
        for text in ("how many inmates were on strike in vorkuta", "how many prisoners died in Vorkuta"):
            firsts = {(found.hits[0].article, found.hits[0].section) for found in (whoosh.search(text),
                                                                                  typesense.search(text))}
            assert firsts == {("Vorkuta uprising", "Uprising")}, text


def test_a_question_with_signed_words_is_relaxed_as_on_the_whoosh_engine(
    typesense_url: str, tmp_path: Path
) -> None:
    """A `+word` or `-word` kept the question from being relaxed: `+Vorkuta amnesty Sirotkin`
    found nothing, where the Whoosh engine leaves out `Sirotkin`; `+words` stay, `-words` stay
    excluded."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in ("+Vorkuta amnesty Sirotkin", "Vorkuta amnesty -Sirotkin Beria",
                     "+Vorkuta +amnesty Sirotkin Beria", "strike amnesty -Beria tanks Moscow",
                     "+which Vorkuta strike"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert ours.relaxed, text
            assert (theirs.total, theirs.relaxed) == (ours.total, ours.relaxed), text
            assert sorted(_places(theirs.hits)) == sorted(_places(ours.hits)), text


def test_a_misspelled_word_is_corrected_before_the_question_is_relaxed(
    typesense_url: str, tmp_path: Path
) -> None:
    """`Norilks prisoners strike` left out `Norilks` (3 sections) where the Whoosh engine first
    retries it with close spellings (2 sections with `Norilsk`); when that finds nothing, the
    question is relaxed with the close spellings kept. Its "did you mean" is the Whoosh
    engine's: `Evgny Gritsyak Soviet` offered none on Typesense (the corrected word, a filter
    there, was no word the retry found), where the Whoosh engine offers `Evgeny Gritsyak
    Soviet`, which a section has whole. A question that matches nothing says why, as there
    (`Frenkel Vorkuta`: no section has both)."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in ("Norilks prisoners strike", "Norilks Frenkl Vorkuta strike", "Sirotkn Frenkl strike",
                     "how many prisoners were killed at Vorkta", "strike amnesty -Beria tanks Moscow",
                     "Evgny Gritsyak Soviet", "Frenkel Vorkuta", "how many Frenkel Vorkuta -amnesty",
                     "Vorkuta strikke", "Vorkuta Kengir Ekibastuz"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert (theirs.total, theirs.corrected, theirs.relaxed, theirs.suggestion) == (
                ours.total, ours.corrected, ours.relaxed, ours.suggestion), text
            assert sorted(_places(theirs.hits)) == sorted(_places(ours.hits)), text
            assert theirs.warnings == ours.warnings, text
            marked = [{word.casefold() for hit in found.hits for word in hit.marked()}
                      for found in (ours, theirs)]
            assert marked[1] == marked[0], text
        relaxed = whoosh.search("Evgny Gritsyak Soviet")
        assert relaxed.corrected and relaxed.relaxed == ["Soviet"]
        assert relaxed.suggestion == "Evgeny Gritsyak Soviet"


def test_a_quote_left_open_is_said_as_on_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    """`"hunger strike` is read as words, with a note saying the quote was not closed, on
    both engines (the note comes from the query's parsing, which they share)."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        ours, theirs = whoosh.search('"hunger strike'), typesense.search('"hunger strike')
        assert ours.warnings == [
            "the quote before 'hunger strike' in query '\"hunger strike' is not closed: "
            "its words are read as words, not as a phrase"
        ]
        assert theirs.warnings == ours.warnings and theirs.total == ours.total > 0


def test_the_words_a_pattern_matches_are_no_variants_on_either_engine(
    typesense_url: str, tmp_path: Path
) -> None:
    """A word a query's pattern completes is the query's own spelling, not another: `Vork*`
    listed `Vorkuta` among its hits' `variants`."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in ("Vork*", "amnest*"):
            ours, theirs = whoosh.search(text, per_article=0), typesense.search(text, per_article=0)
            hits = [*ours.hits, *theirs.hits]
            assert hits and all(hit.highlights for hit in hits), text
            assert [hit.variants for hit in hits] == [()] * len(hits), text


def test_points_inside_words_are_kept_as_on_the_whoosh_engine(typesense_url: str, tmp_path: Path) -> None:
    """Typesense's tokenizer dropped the points the Whoosh index keeps inside a word: `1.8`
    found `18 years` too, `U.S.S.R.` found `USSR`, `birth_place:U` found `U.S.`."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "rod.txt").write_text("= Rod =\n\nThe rod is 1.8 metres long.\n", encoding="utf-8")
    (corpus / "boy.txt").write_text("= Boy =\n\nInfobox person\n- Birth place: U.S.\n\n"
                                    "He was 18 years old and had USSR papers.\n", encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=typesense_url) as typesense:
        for text in ("1.8", "U.S.S.R.", "birth_place:U", "18", "USSR", "birth_place:U.S.", '"1.8 metres"'):
            found = [sorted(_places(engine.search(text).hits)) for engine in (whoosh, typesense)]
            assert found[1] == found[0], text


def test_spelling_variants_count_in_an_or_and_an_exclusion_as_on_the_whoosh_engine(
    typesense_url: str, tmp_path: Path
) -> None:
    """An OR of words is a filter, and a `-word` excludes the word as written: Typesense applies
    its synonyms to neither, so `Hrytsyak OR amnesty` missed the infobox's `Gritsyak` and
    `-Yevhen` kept the sections with `Evgeny`."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in ("Hrytsyak OR amnesty", "Schamajew OR amnesty", "-Yevhen", "-Schamajew",
                     "strike NOT (Hrytsyak OR amnesty)", "Vorkuta amnesty -Yevhen Beria"):
            answers = [engine.search(text, per_article=0) for engine in (whoosh, typesense)]
            assert answers[1].relaxed == answers[0].relaxed, text
            found = [sorted((hit.path, hit.position, *hit.marked(), *hit.variants) for hit in answer.hits)
                     for answer in answers]
            assert found[1] == found[0], text


def test_a_phrase_in_an_infobox_field_keeps_its_order_as_on_the_whoosh_engine(
    typesense_url: str, tmp_path: Path
) -> None:
    """A phrase of an infobox field matched its words in any order and anywhere in the field
    (`commander:"Shamaev Boris"` found Norilsk's `Boris Shamaev`)."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in ('commander:"Shamaev Boris"', 'place:"Norilsk Gorlag"', 'commander:"Boris Shamaev"',
                     'place:"Norillag Norilsk"', 'commander:"Boris Vorobyov"~3',
                     'commander:"Boris Vorobyov"~2', 'strike commander:"Pavel Frenkel"',
                     'casualties:"killed and wounded"'):
            found = [sorted(_places(engine.search(text).hits)) for engine in (whoosh, typesense)]
            assert found[1] == found[0], text


def test_facet_values_apart_in_case_or_points_are_apart_as_on_the_whoosh_engine(
    typesense_url: str, tmp_path: Path
) -> None:
    """Typesense counted (and filtered as one) the values whose words differ only in case or
    points: one `st louis` of 3 articles, where the Whoosh engine counts `St. Louis`, `St Louis`
    and `st louis`; and `term_start` (a date) was `termstart`'s kind."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    long_value = "Saint Louis, " + ", ".join(f"Ward {number}" for number in range(40))
    for name, place, more in (("a", "St. Louis", "- Term Start: February 11, 1966"),
                              ("b", "St Louis", "- Termstart: 1990"),
                              ("c", "st louis", f"- Venue: {long_value}")):
        (corpus / f"{name}.txt").write_text(f"= {name.upper()} =\n\nInfobox\n- Place: {place}\n{more}\n\n"
                                            f"Text of {name}.\n", encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=typesense_url) as typesense:
        for arguments in ({}, {"filters": {"place": "St. Louis"}}, {"filters": {"place": "st LOUIS"}},
                          {"filters": {"venue": long_value}}, {"filters": {"place": "louis"}}):
            answers = [engine.search("*", facets=["place", "venue"], **arguments)  # type: ignore[arg-type]
                       for engine in (whoosh, typesense)]
            assert answers[1].facets == answers[0].facets, arguments
            assert sorted(_places(answers[1].hits)) == sorted(_places(answers[0].hits)), arguments
        assert len(whoosh.search("*", facets=["place"]).facets["place"]) == 3
        assert typesense.fields() == whoosh.fields()


def test_an_article_shows_up_to_per_article_hits_past_typesense_s_group_limit(
    typesense_url: str, tmp_path: Path
) -> None:
    """Hits were grouped by article with Typesense's `group_limit`, at most 99: `per_article=100`
    showed 99 of an article's 220 matching sections. (The short films, longer sections, rank after
    all of them, beyond the first window of hits.)"""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sections = "".join(f"==Part {number}==\nA film reel, number {number}.\n\n" for number in range(220))
    (corpus / "reels.txt").write_text(f"= Reels =\n\nThe reels.\n\n{sections}", encoding="utf-8")
    for number in range(3):
        (corpus / f"short{number}.txt").write_text(
            f"= Short {number} =\n\nA short film about a long and winding road in the northern hills.\n",
            encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=typesense_url) as typesense:
        for per_article in (100, 110):
            answers = [engine.search("film", per_article=per_article, limit=150)
                       for engine in (whoosh, typesense)]
            assert answers[1].ranked == answers[0].ranked == per_article + 3, per_article
            # (which of the article's sections: each engine's order of equal matches)
            assert sorted((h.path, h.more_in_article) for h in answers[1].hits) == sorted(
                (h.path, h.more_in_article) for h in answers[0].hits), per_article
            paged = [place for offset in range(0, 150, 20)
                     for place in _places(typesense.search("film", per_article=per_article, limit=20,
                                                           offset=offset).hits)]
            assert paged == _places(answers[1].hits), per_article


def test_a_passage_shows_the_rarer_words_as_on_the_whoosh_engine(
    typesense_url: str, corpus: Path, tmp_path: Path
) -> None:
    """The passage of a hit whose text holds several of the words weighed them alike on
    Typesense, where the Whoosh engine weighs the rarer more (`marks.rarity`): `camp prisoners`
    showed where Norilsk's History says `prisoners`, not `camp` and `prison`; `film*` the
    common `film`, not the rare `filmmaker` (a pattern's completions are counted apart)."""
    filler = " ".join(["The crew rested."] * 20)
    (corpus / "crew.txt").write_text(f"= Crew =\n\nIts filmmaker left. {filler} A film crew.\n",
                                     encoding="utf-8")
    for number in range(3):
        (corpus / f"film{number}.txt").write_text(f"= Film {number} =\n\nA film.\n", encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=typesense_url) as typesense:
        for text in ("camp prisoners", "film*", "Vorkuta strike amnesty"):
            shown = [{(hit.path, hit.position): (hit.snippet, hit.highlights) for hit in engine.search(
                text, per_article=0, limit=50).hits} for engine in (whoosh, typesense)]
            assert shown[1] == shown[0] != {}, text


def test_a_word_the_collection_lacks_is_respelled_only_as_a_name_as_on_the_whoosh_engine(
    typesense_url: str, tmp_path: Path
) -> None:
    """A word no section writes was searched as any word sharing its spelling-variant key,
    where the Whoosh engine searches the names that share it (`Schamajew`: `Shamaev`): `sttrike`
    found `strike` as if written so, uncorrected and with no suggestion, and `amnesty OR
    sttrike` every strike (on the 112 real articles, `phillosophy` and `white OR sttar` the
    same)."""
    with Searcher.open(index=tmp_path / "index", corpus=BUNDLED) as whoosh, \
            Searcher.open(corpus=BUNDLED, engine=typesense_url) as typesense:
        for text in ("sttrike", "amnesty OR sttrike", "Vorkuta -sttrike", "Schamajew", "Schamajew OR Beria"):
            ours, theirs = whoosh.search(text, per_article=0), typesense.search(text, per_article=0)
            assert (theirs.total, theirs.corrected, theirs.suggestion, theirs.warnings) == (
                ours.total, ours.corrected, ours.suggestion, ours.warnings), text
            assert sorted(_places(theirs.hits)) == sorted(_places(ours.hits)), text


def test_a_misspelled_title_word_is_retried_with_close_spellings_as_on_the_whoosh_engine(
    typesense_url: str, tmp_path: Path
) -> None:
    """The typo retry spelled a `title:` word only by its spelling variants, as an infobox
    field's: `title:Wae` found nothing where the Whoosh engine shows the title with `ware`
    (a letter `Wae` misses; `War`, as short, is not one, nor `Wales`, two edits), and
    `title:Toronot` (on the 112 real articles) showed the suggestion's hits alone. A word the
    collection holds is widened only to words 20 times as common, as there: `ware` to `war`,
    which 40 sections hold; `wale` not to `ware`."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, title in (("graves", "War Graves"), ("goryeo", "Goryeo ware"), ("wales", "Wales")):
        (corpus / f"{name}.txt").write_text(f"= {title} =\n\nOn {title.lower()}.\n", encoding="utf-8")
    for number in range(40):
        (corpus / f"battle{number}.txt").write_text(f"= Battle {number} =\n\nA battle of the war.\n",
                                                    encoding="utf-8")
    with Searcher.open(index=tmp_path / "index", corpus=corpus) as whoosh, \
            Searcher.open(corpus=corpus, engine=typesense_url) as typesense:
        for text in ("title:Wae", 'title:"Wae Graves"', "title:Wae graves", "title:ware title:graves",
                     "title:wale title:graves", "title:Wlaes"):
            ours, theirs = whoosh.search(text, per_article=0), typesense.search(text, per_article=0)
            assert (theirs.total, theirs.articles, theirs.matched, theirs.corrected) == (
                ours.total, ours.articles, ours.matched, ours.corrected), text
            assert (theirs.suggestion, theirs.warnings) == (ours.suggestion, ours.warnings), text
            assert sorted(_places(theirs.hits)) == sorted(_places(ours.hits)), text
        assert {hit.article for hit in whoosh.search("title:Wae").hits} == {"Goryeo ware"}
        assert {hit.article for hit in whoosh.search("title:ware title:graves").hits} == {"War Graves"}
        assert not whoosh.search("title:wale title:graves").hits


def test_an_irregular_verbs_past_form_finds_its_verb_on_both_engines(
    typesense_url: str, tmp_path: Path
) -> None:
    """`wrote` is `write`, as `writing` is, on both engines (the collection holds the stems
    the Whoosh engine indexes)."""
    poem = "= Little Gidding =\n\nEliot started writing Little Gidding in 1941.\n"
    with both_engines(typesense_url, tmp_path, {"poem.txt": poem}) as (whoosh, typesense):
        for text in ("wrote little gidding", '"started writing"', "who wrote it"):
            ours, theirs = whoosh.search(text), typesense.search(text)
            assert ours.total == theirs.total == 1, text
            marked = [[list(hit.marked()) for hit in found.hits] for found in (ours, theirs)]
            assert marked[1] == marked[0], text


# Nero's sections: seven say `died` three times and his name once, in their text; the one on
# his death says `died` once, and his name in its heading only.
_KIN = ("father", "friend", "courtier", "general", "senator", "poet", "rival")
NERO = "= Nero =\n\nNero was a Roman emperor.\n" + "".join(
    f"\n=={who.title()}s==\nNero's {who} died, and died again in the story; a {who} died too.\n"
    for who in _KIN
) + "\n==The death of Nero==\nIn 68 he died near Rome.\n"


def test_a_relaxed_question_ranks_a_heading_as_on_the_whoosh_engine(
    typesense_url: str, tmp_path: Path
) -> None:
    """`when did nero die` keeps `Nero` as a filter (it names the article), which Typesense's
    order of an article's hits does not weigh: the section on his death came last of eight,
    past the five hits of the article Typesense returned, and its heading, which has his name,
    counted nowhere. The Whoosh engine ranks it first."""
    articles = {"nero.txt": NERO, "rome.txt": "= Rome =\n\nRome is a city.\n"}
    with both_engines(typesense_url, tmp_path, articles) as (whoosh, typesense):
        for text in ("when did nero die", "how did nero die"):
            firsts = [found.hits[0].section for found in (whoosh.search(text), typesense.search(text))]
            assert firsts == ["The death of Nero"] * 2, text
