"""Questions in plain words: `-word` excludes and `+word` requires (as in Elasticsearch's simple
query string), and a query no section fully matches is relaxed: the sections with most of its
words, the rarest weighing most, with the words left out named in `relaxed` and a warning.

Most tests search the shared index of the bundled corpus; the slow ones an index of the 112
real articles (the shared data, read in place), built once for this module.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, NORILSK, VORKUTA, section_text, where, write_article
from whoosh.query import Phrase, Query
from whoosh.reading import IndexReader
from whoosh.spelling import ListCorrector

from searcher import Hit, QueryError, Searcher, SearchResult, rewrite, update_index
from searcher.builds import open_live
from searcher.cli import cli
from searcher.collect import Collected
from searcher.query import QueryParser
from searcher.relax import FEW_HITS, QUESTION_WORDS, Counted, _typo_retry, names_some, ranked_sets
from searcher.rewrite import (
    MAX_EXPANSION,
    SPELLED_FIELDS,
    VARIANT_BOOST,
    CloseSpellings,
    respelled,
    tolerant,
    typo_edits,
)
from searcher.schema import BODY, WORDS
from searcher.suggest import ListWords, typos_of
from searcher.variants import transpositions
from searcher.vocabulary import Spellings, Vocabulary
from tests.realdata import articles_index
from tests.workmeter import measure

ALL = 1_000
# No section of the bundled corpus has every one of these words; the Norilsk infobox has the
# four that carry the meaning ("Casualties1: 1,000 people killed and wounded", "Place: ...
# Norilsk"), and the index has never seen "how".
QUESTION = "how many people were killed and wounded in Norilsk"


def exactly(text: str) -> str:
    """The query with every word required: a query that is never relaxed."""
    return " ".join(f"+{word}" for word in text.split())


def text_of(hit: Hit) -> str:
    """The section's text as the corpus has it, lower-cased."""
    return section_text(hit.article, hit.section).casefold()


# --- -word excludes, +word requires ---------------------------------------------------------


def test_minus_excludes_the_sections_with_the_word(searcher: Searcher) -> None:
    """`strike -Norilsk` is `strike NOT Norilsk`: the sections with `strike` minus those that
    also have `Norilsk` (sections, not articles: as in Elasticsearch, where a document is
    excluded when it has the word)."""
    minus = searcher.search("strike -Norilsk", limit=ALL)
    strike = searcher.search("strike", limit=ALL)
    both = searcher.search("strike Norilsk", limit=ALL)
    assert minus.total == strike.total - both.total > 0
    assert minus.total == searcher.search("strike NOT Norilsk", limit=ALL).total
    for hit in minus.hits:
        assert "norilsk" not in text_of(hit), hit
        assert "strike" in text_of(hit), hit
    assert minus.relaxed == [] and not minus.corrected


def test_minus_a_phrase_and_minus_a_field(searcher: Searcher) -> None:
    strike = {(hit.article, hit.section) for hit in searcher.search("strike", limit=ALL).hits}
    assert (VORKUTA, "Uprising") in strike
    no_voice = searcher.search('strike -"Voice of America"', limit=ALL)
    assert (VORKUTA, "Uprising") not in {(hit.article, hit.section) for hit in no_voice.hits}
    assert no_voice.total == len(strike) - 1
    # Sirotkin commanded the troops at Norilsk: no Norilsk section is left.
    no_sirotkin = searcher.search("strike -commander:Sirotkin", limit=ALL)
    assert no_sirotkin.hits and all(hit.article == VORKUTA for hit in no_sirotkin.hits)


def test_plus_requires_the_word(searcher: Searcher) -> None:
    plus = searcher.search("+amnesty strike", limit=ALL)
    assert plus.hits and all("amnest" in text_of(hit) for hit in plus.hits)
    assert plus.total == searcher.search("amnesty strike", limit=ALL).total
    only = searcher.search("+amnesty", limit=ALL)
    assert only.total == searcher.search("amnesty", limit=ALL).total


def test_a_hyphen_or_plus_inside_a_word_is_no_operator(searcher: Searcher) -> None:
    """Only a sign at the start of a word is an operator: `anti-Soviet` is two words to
    match (Norilsk's History: "an anti-Soviet armed counter-revolutionary uprising")."""
    hits = searcher.search("anti-Soviet armed", limit=ALL).hits
    assert [(hit.article, hit.section) for hit in hits] == [(NORILSK, "History")]
    assert searcher.search("counter-revolutionary").total == 1
    assert searcher.search("strike - Norilsk").total == searcher.search("strike Norilsk").total


def test_a_query_of_only_exclusions_matches_every_other_section(searcher: Searcher) -> None:
    """`-Norilsk` alone is `NOT Norilsk`: every section without the word (no error)."""
    minus = searcher.search("-Norilsk", limit=ALL)
    assert minus.total == searcher.search("NOT Norilsk", limit=ALL).total > 0
    assert minus.total == searcher.search("*", limit=ALL).total - searcher.search("Norilsk").total
    assert all("norilsk" not in text_of(hit) for hit in minus.hits)
    assert minus.relaxed == []


def test_signs_combine_with_the_other_operators(searcher: Searcher) -> None:
    assert searcher.search("(amnesty OR strike) -Norilsk").total == searcher.search(
        "(amnesty OR strike) NOT Norilsk"
    ).total
    assert searcher.search("amnesty -(Norilsk OR Vorkuta)").total == 0
    with pytest.raises(QueryError):
        searcher.search("-nosuchfield:x")


# --- relaxation -----------------------------------------------------------------------------


def test_a_question_finds_the_section_with_most_of_its_words(searcher: Searcher) -> None:
    result = searcher.search(QUESTION)
    assert searcher.search(exactly(QUESTION)).total == 0  # no section has all the words
    assert result.hits, result.warnings
    first = result.hits[0]
    assert (first.article, first.section) == (NORILSK, "Infobox")
    assert {"killed", "wounded"} <= {word.casefold() for word in first.marked()}
    # The question words go; the words that carry the meaning stay.
    assert result.relaxed == ["how", "many", "were"]
    assert not result.corrected
    assert (
        f"no section has all of '{QUESTION}'; showing sections without: how, many, were"
        in result.warnings
    )


def test_a_relaxed_question_s_passage_shows_what_its_title_does_not_say(searcher: Searcher) -> None:
    """The History section of the Norilsk uprising has the question's kept words `Norilsk`,
    `uprising` (the title, shown with the hit) and `August` (the answer), but not together:
    its passage shows where it says August, not where it names the uprising twice."""
    result = searcher.search("how did the norilsk uprising end in august")
    assert result.relaxed == ["how", "did", "end"]
    history = next(hit for hit in result.hits if (hit.article, hit.section) == (NORILSK, "History"))
    assert "August" in history.marked()


def test_relaxed_is_in_the_json(searcher: Searcher) -> None:
    data = json.loads(json.dumps(searcher.search(QUESTION).to_dict()))
    assert data["relaxed"] == ["how", "many", "were"]
    assert data["hits"][0]["article"] == NORILSK
    assert json.loads(json.dumps(searcher.search("amnesty").to_dict()))["relaxed"] == []


@pytest.mark.parametrize(
    "query", ["amnesty", "strike", "killed wounded", '"Voice of America"', "uprising -Vorkuta"]
)
def test_a_query_with_enough_exact_matches_is_never_relaxed(searcher: Searcher, query: str) -> None:
    result = searcher.search(query)
    assert result.total >= 1 and result.relaxed == []
    assert not any("showing sections without" in warning for warning in result.warnings)


@pytest.mark.parametrize(("question", "word"), [("which prisoners", "prisoners"), ("which camp", "camp")])
def test_a_question_leaves_out_its_question_words_however_many_sections_have_them(
    searcher: Searcher, question: str, word: str
) -> None:
    """A question word carries no meaning a section could match, yet with `FEW_HITS` sections
    that have it the question was never relaxed: `which prisoners` found the 3 sections that
    say `which`, not the 6 about prisoners (on the 112 articles, `who commanded the french at
    durenstein` found 3 that say `who`, not the lead that says who commanded the French)."""
    exact = searcher.search(exactly(question), limit=ALL)
    assert exact.total >= FEW_HITS
    result = searcher.search(question, limit=ALL)
    assert result.relaxed == ["which"] and not result.corrected
    assert where(result.hits) == where(searcher.search(word, limit=ALL).hits) and result.total > exact.total
    assert result.warnings == [
        f"{exact.total} sections have all of '{question}'; also showing sections without: which"
    ]
    # Only a question opens with a question word: elsewhere the word is as any other.
    assert searcher.search(f"{word} which", limit=ALL).total == exact.total


def test_two_words_are_never_relaxed(searcher: Searcher) -> None:
    """Frenkel is in the Norilsk article only: dropping either word would answer another
    question (tests/relevance judges `Frenkel Vorkuta` as matching nothing)."""
    result = searcher.search("Frenkel Vorkuta")
    assert result.total == 0 and result.relaxed == [] and not result.corrected


def test_a_question_keeps_the_word_naming_its_subject(searcher: Searcher) -> None:
    """`Norilsk` is in half the bundled corpus's sections, `died` in one (Vorkuta's): by rarity
    alone the relaxed question kept `prisoners died` and answered about Vorkuta. A word of
    some articles' titles names what the question is about: it stays, and a word of the
    answer goes."""
    result = searcher.search("how many prisoners died in Norilsk")
    assert result.relaxed == ["how", "many", "died"]
    assert {hit.article for hit in result.hits} == {NORILSK}


def test_a_word_naming_an_article_is_held_by_its_every_section(searcher: Searcher) -> None:
    """The section that answers a question need not say the name its title says: Vorkuta's
    Uprising section has `prisoners` and `died` (`42 were killed ... died later`) and never
    `Vorkuta`. Relaxed, the question keeps `Vorkuta` as the article (what `title:Vorkuta`
    asks) and finds it; as it is the only section with every other word, one more word goes
    (`died`, the rarest of them, stays before `prisoners`, which more sections have), and the
    answer comes first of Vorkuta's sections with `prisoners`."""
    assert "vorkuta" not in section_text(VORKUTA, "Uprising").casefold()
    result = searcher.search("how many prisoners died in Vorkuta")
    assert result.relaxed == ["how", "many", "died"]
    assert where(result.hits)[0] == (VORKUTA, "Uprising")
    assert {hit.article for hit in result.hits} == {VORKUTA} and len(result.hits) > 1
    assert searcher.search("how many prisoners died in Vorkuta") == result  # (the same each time)


def test_a_question_whose_other_words_few_sections_have_leaves_out_one_more(searcher: Searcher) -> None:
    """Left out its question words, a question that fewer than 3 sections answer leaves out one
    word more, if that finds more: the sections with every other word still come first. One
    only: `how many people were killed and wounded in Norilsk` keeps its one answer."""
    led = searcher.search("who led the norilsk uprising")
    assert led.relaxed == ["who", "led"]
    assert where(led.hits)[0] == (NORILSK, "Lead")  # (`It was led by Pavel Frenkiel ...`)
    assert len(led.hits) > 1
    assert searcher.search(QUESTION).relaxed == ["how", "many", "were"]


def test_a_word_of_some_titles_ranks_before_rarer_words() -> None:
    """Of the sets of words a question's sections hold, those with more words naming articles
    come first, then the rarer; of words alone (no question word), the rarer, as a word naming
    articles may be the one remembered wrong. A word of every title (`uprising` of a corpus of
    uprisings) or of none names no article."""
    together = Counter({0b011: 1, 0b101: 3})  # prisoners+died: 1 section; prisoners+Norilsk: 3
    words = [Counted("prisoners", 5, False), Counted("died", 1, False), Counted("Norilsk", 5, True)]
    assert ranked_sets(together, words, 10, 2, False, True) == [0b101, 0b011]
    assert ranked_sets(together, words, 10, 2, False, False) == [0b011, 0b101]
    by_rarity = [*words[:2], Counted("Norilsk", 5, False)]
    assert ranked_sets(together, by_rarity, 10, 2, False, True) == [0b011, 0b101]
    assert [names_some(titled, 2) for titled in (0, 1, 2)] == [False, True, False]


def test_a_question_that_matches_nothing_says_why(searcher: Searcher) -> None:
    """`Frenkel Vorkuta` matched nothing without a word on why: each word is in some section,
    but no section has both (OR finds either); a word no section has is named, the question
    words and `-words` never."""
    both = ("no section has both 'Frenkel' and 'Vorkuta', though each is in some: "
            "'Frenkel OR Vorkuta' finds either")
    with measure() as work:
        assert searcher.search("Frenkel Vorkuta").warnings == [both]
    # (each word parsed once, for the retry and the warning both)
    assert work.parsed == [len("Frenkel Vorkuta"), len("Frenkel"), len("Vorkuta")]
    assert searcher.search("how many Frenkel Vorkuta -amnesty").warnings == [both]
    assert searcher.search("Frenkel OR Vorkuta").total > 0  # (the advice finds sections)
    assert searcher.search("Frenkel Vorkuta Kengir").warnings == ["'Kengir' is in no section"]
    missing = searcher.search("Vorkuta Kengir Ekibastuz")
    assert missing.warnings == ["'Kengir' and 'Ekibastuz' are in no section"]
    # Alone, a word says it already; filters, and queries with syntax, are not explained.
    unexplained = [("Kengir", {}), ("Frenkel Vorkuta", {"uprising": NORILSK}), ("Frenkel AND Vorkuta", {}),
                   ('"Frenkel Vorkuta"', {}), ("Frenkel place:Vorkuta", {})]
    for text, filters in unexplained:
        result = searcher.search(text, **filters)
        assert result.total == 0 and result.warnings == [], text


def test_a_filter_no_article_matches_is_named_when_nothing_matches(searcher: Searcher) -> None:
    """`place=Norilks` (a typo) found nothing, said to be the filters' doing without naming
    the one at fault."""
    result = searcher.search("strike", filters={"place": ["Norilks", "Nowhere"], "result": "suppressed"})
    assert (result.total, result.warnings) == (0, ["no article has place 'Norilks' or 'Nowhere'"])
    any_of_them = searcher.search("strike", filters={"place": ["Norilks", "Norilsk"]})
    assert any_of_them.total > 0 and any_of_them.warnings == []
    assert searcher.search("xqzvwk", filters={"place": "Norilsk"}).warnings == []  # (the words' doing)


@pytest.mark.parametrize("query", ["Frenkel", "Frenkel Norilsk", '"Frenkel"', "Frenkel -Vorkuta"])
def test_a_query_too_short_to_relax_is_parsed_once(searcher: Searcher, query: str) -> None:
    """With fewer than FEW_HITS exact matches, a query of one or two words (no question word)
    could not be relaxed: its words are not each parsed and counted again."""
    with measure() as work:
        result = searcher.search(query, facets=[])
    assert 0 < result.total < FEW_HITS and result.relaxed == []
    assert len(work.parsed) == 1, work.parsed


@pytest.mark.parametrize(("query", "texts"), [
    ("xqzvwk", ["xqzvwk"]),  # the query, then the retry's word and the suggestion's: the same text
    ("strke", ["strke", "strike"]),  # and the suggestion, counted, then searched
    ("Norilsk xqzvwk", ["Norilsk xqzvwk", "Norilsk", "xqzvwk"]),
])
def test_each_text_is_parsed_once_a_search(searcher: Searcher, query: str, texts: list[str]) -> None:
    """A search that finds few or no exact matches parses each word alone (the retry), each
    unknown word and its candidates (the suggestion), and the suggestion it shows: each text
    once."""
    with measure() as work:
        searcher.search(query, facets=[])
    assert work.parsed == [len(text) for text in texts]


def test_plus_words_stay_required_when_relaxing(searcher: Searcher) -> None:
    """Only Vorkuta's Uprising section has `many`: required, it takes the place of the
    Norilsk infobox, and is not among the words left out."""
    result = searcher.search(QUESTION.replace("many", "+many"), limit=ALL)
    assert result.hits and all("many" in text_of(hit) for hit in result.hits)
    assert (result.hits[0].article, result.hits[0].section) == (VORKUTA, "Uprising")
    assert "many" not in result.relaxed and "Norilsk" in result.relaxed


def test_minus_words_stay_excluded_when_relaxing(searcher: Searcher) -> None:
    result = searcher.search("how many people were killed and wounded -Norilsk", limit=ALL)
    assert result.relaxed and "Norilsk" not in result.relaxed
    assert result.hits and all("norilsk" not in text_of(hit) for hit in result.hits)


def test_relaxing_keeps_the_filters(searcher: Searcher) -> None:
    """The words the Norilsk infobox has are no answer within Vorkuta: the next best set is
    (Vorkuta's Uprising section: "killed", "wounded")."""
    result = searcher.search(QUESTION, uprising=VORKUTA, limit=ALL)
    assert result.hits and all(hit.article == VORKUTA for hit in result.hits)
    assert (result.hits[0].article, result.hits[0].section) == (VORKUTA, "Uprising")
    assert not {"killed", "wounded"} & set(result.relaxed)
    assert {"Norilsk", "people"} <= set(result.relaxed)


def test_explicit_operators_are_never_relaxed(searcher: Searcher) -> None:
    for query in ["(how OR why) many people were killed Norilsk", "killed AND wounded AND Shumuk"]:
        result = searcher.search(query)
        assert result.relaxed == [], query


def test_a_misspelled_question_is_corrected_and_relaxed(searcher: Searcher) -> None:
    """A word the index does not know is first retried with close spellings (`Norilks`); when
    the whole query still matches nothing, it is relaxed with the corrected word kept."""
    result = searcher.search(QUESTION.replace("Norilsk", "Norilks"))
    assert result.corrected
    assert result.relaxed == ["how", "many", "were"]
    assert (result.hits[0].article, result.hits[0].section) == (NORILSK, "Infobox")
    assert {"killed", "wounded"} <= {word.casefold() for word in result.hits[0].marked()}
    assert result.warnings[-1].endswith("showing sections without: how, many, were, with close spellings")
    assert any("close spellings" in warning for warning in result.warnings)


def test_the_typo_retry_still_comes_first_for_an_unknown_word(searcher: Searcher) -> None:
    """`Norilks amnesty`: the typo is corrected and nothing is left out."""
    result = searcher.search("Norilks amnesty")
    assert result.corrected and result.relaxed == []
    assert (result.hits[0].article, result.hits[0].section) == (NORILSK, "History")


@pytest.mark.parametrize(("query", "marked"), [
    ("commander:Hrytsyak", "Gritsyak"),
    ('commander:"Evgeny Hrytsyak"', "Evgeny Gritsyak"),
    ('commander:"Boris Shamayev"', "Boris Shamaev"),
])
def test_an_infobox_value_is_retried_with_its_spelling_variants(
    searcher: Searcher, query: str, marked: str
) -> None:
    """The words of an infobox field, alone or in a phrase, are retried with the field's words
    that share their spelling-variant key: the Norilsk infobox writes Gritsyak and Shamaev."""
    result = searcher.search(query)
    assert result.corrected and result.total == 1
    [hit] = result.hits
    assert (hit.article, hit.section) == (NORILSK, "Infobox")
    assert marked in hit.marked()


@pytest.mark.parametrize("query", ["casualties2:5777", "casualties2:577", "casualties2:5"])
def test_a_number_in_an_infobox_field_has_no_spelling_variants(searcher: Searcher, query: str) -> None:
    """Doubled letters fold in a spelling-variant key (`Frenkell` is `Frenkel`), but a number
    is no name: `5777` is not the `57` of Vorkuta's `Casualties2: 57 killed`."""
    result = searcher.search(query)
    assert result.total == 0 and result.hits == []


def close_spellings(reader: IndexReader, build: Path, typed: list[str]) -> CloseSpellings:
    """The close spellings of a build's index, with the words as written of its vocabulary,
    for a query of the `typed` words (folded)."""
    written = ListWords(*Vocabulary.load(build).counted())
    return CloseSpellings(reader, lambda word: typos_of(written, word), typed)


def test_close_spellings_looked_up_again_are_the_first_answer(built_index: Path) -> None:
    """A search asks for a word's close spellings more than once (the whole query retried,
    then the word when the query is relaxed): the index is searched once, the answer is the
    same."""
    build = open_live(built_index)
    try:
        with build.index.searcher() as whoosh:
            spellings = close_spellings(whoosh.reader(), build.path, ["norilk"])
            fresh = close_spellings(whoosh.reader(), build.path, ["norilk"])
            asked = [(field, word) for field in SPELLED_FIELDS for word in ("norilk", "amnesti", "strike")]
            first = {key: spellings.of(*key) for key in asked}
            assert first[BODY, "norilk"][:1] == ["norilk"] and "norilsk" in first[BODY, "norilk"]
            for key in reversed(asked):
                assert spellings.of(*key) is first[key]
                assert fresh.of(*key) == first[key]
    finally:
        build.close()


@pytest.mark.parametrize(
    "searched", ["Derevyanko", "amnesty^2", Phrase(BODY, ["voic", "america"], boost=VARIANT_BOOST)]
)
def test_a_word_widened_to_close_spellings_keeps_its_weight(built_index: Path, searched: str | Query) -> None:
    """Each word of a query retried with close spellings weighs what it did (a word's body
    term weighs its variants' share too, a variant phrase less than the phrase): with close
    spellings no section has, the retried query scores every section as the query did."""
    build = open_live(built_index)
    try:
        with build.index.searcher() as whoosh:
            parser = QueryParser.of(whoosh, Spellings.load(build.path))
            parsed = parser.parsed(searched) if isinstance(searched, str) else searched
            words = [leaf for leaf in parsed.leaves() if leaf.fieldname in SPELLED_FIELDS]
            assert any(leaf.boost != 1 for leaf in words)

            def unheld(field: str, in_phrase: bool) -> Callable[[str], list[str]] | None:
                return (lambda word: [word, word + "qx"]) if field in SPELLED_FIELDS else None

            def scores(searched: Query) -> dict[int, float]:
                return {hit.docnum: round(hit.score, 9) for hit in whoosh.search(searched, limit=None)}

            widened = respelled(parsed, unheld)
            assert widened != parsed
            assert scores(widened) == scores(parsed) != {}
    finally:
        build.close()


@pytest.mark.parametrize("searched", ["Derevyanko", "amnesty^2 Vorkuta", '"voice of america"'])
def test_a_query_without_close_spellings_is_not_retried(built_index: Path, searched: str) -> None:
    """When no word of a query that finds nothing has a close spelling, the typo retry is the
    query itself, and is not run again; a word with one is retried."""
    build = open_live(built_index)
    try:
        with build.index.searcher() as whoosh:
            parser = QueryParser.of(whoosh, Spellings.load(build.path))
            spellings = close_spellings(whoosh.reader(), build.path, sorted(WORDS.words(searched)))
            parsed = parser.parsed(searched)
            assert tolerant(parsed, spellings) is parsed

            def run(retried: Query) -> Collected:
                raise AssertionError(f"ran {retried}")

            assert _typo_retry(searched, parsed, spellings, run) is None
            typo = parser.parsed("Derevyanka")
            assert tolerant(typo, close_spellings(whoosh.reader(), build.path, ["derevyanka"])) != typo
    finally:
        build.close()


# Words one edit from `barx` in the text, and one in the title and one in a heading only.
BARDS = """= Bard uprising =

The bars, the barn and the bark were bare.

==Bart==
Barbs.
"""


@pytest.mark.parametrize("limit", [MAX_EXPANSION, 2])
def test_close_spellings_are_each_field_s_own(
    corpus_copy: Path, tmp_path: Path, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The words near a word are found once among the terms of every spelled field, then
    kept by field: the same as searching each field's terms, also when Whoosh's limit on the
    words found (`MAX_EXPANSION`, 2 here) would cut them (`barx`: the title's `bard` is not
    among the first two of all fields)."""
    monkeypatch.setattr(rewrite, "MAX_EXPANSION", limit)
    write_article(corpus_copy, "bards.txt", BARDS)
    update_index(corpus_copy, tmp_path / "index")
    build = open_live(tmp_path / "index")
    try:
        with build.index.searcher() as whoosh:
            reader = whoosh.reader()
            spellings = close_spellings(reader, build.path, ["barx"])
            lexicons = {field: sorted(t.decode() for t in reader.lexicon(field)) for field in SPELLED_FIELDS}
            words = ["barx", "norilk", "vorkta", "amnesti", "strike", "uprisng", "camp", "derevyanco"]
            for field, terms in lexicons.items():
                # (every close spelling, before a word the index holds keeps some of them)
                for word in [*words, *(term for term in terms[::5] if not term.isdigit())]:
                    near = ListCorrector(terms).suggest(word, limit=limit, maxdist=typo_edits(word), prefix=1)
                    swaps = [swapped for swapped in transpositions(word) if swapped in terms]
                    expected = [word, *sorted({*near, *swaps} - {word})]
                    assert rewrite._close_words(reader, word)[field] == expected, (field, word)
            assert "bard" in spellings.of("title", "barx")
    finally:
        build.close()


def test_a_number_or_a_word_spelled_right_is_no_typo(searcher: Searcher) -> None:
    """The retry spells a number no other way (`1955` found 1953 and 1954), nor a word the
    index holds, but as a word it is likelier a typo of: `army` in `film AND army` found `Amy`."""
    assert searcher.search("1955").total == 0 and not searcher.search("1955").corrected
    assert searcher.search('"July 1954"').total == 0
    for query in ("MGB action", "monument AND convicts"):  # (found `mob`, `movements`)
        assert searcher.search(query).total == 0, query
    # A word the corpus misspells is found through the phrase (`Norlisk Gulag`).
    found = searcher.search('"Norilsk Gulag"')
    assert found.corrected and "Norlisk Gulag" in found.hits[0].marked()
    assert searcher.search("Vorkta").corrected  # (a typo is still retried)


EMERGENCY = """= Emergency powers =

The state declared an emergency, and a state of alert followed.

==Rule==
Emergency rule lasted a year.

==Visit==
Officials of the United States, Emery among them, came in May.
"""


def test_a_word_spelled_right_is_retried_as_words_close_to_it_as_written(tmp_path: Path) -> None:
    """A word the index holds is retried only as the stems of written words close to it as
    typed: the stems of `emergency` and `Emery` (`emerg`, `emeri`) are one edit apart, the
    words four, and `"state of emergency"`, which nothing matches, found `United States, Emery`
    (on the 112 real articles, a bug hunt). A word misspelled is still found (`rul`)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_article(corpus, "emergency.txt", EMERGENCY)
    update_index(corpus, index)
    with Searcher.open(index=index, corpus=corpus, update=False) as searcher:
        assert searcher.search('"states Emery"').total == 1  # (the phrase the retry found)
        for text in ('"state of emergency"', '"emergency visit"'):
            result = searcher.search(text)
            assert (result.total, result.corrected) == (0, False), text
        respelled = searcher.search('"emergency rul"')
        assert respelled.corrected and list(respelled.hits[0].marked()) == ["Emergency rule"]


# A Latin title: the stem of `deity` (`deiti`) is one swap from `editi`, the words two edits.
OPTICS = """= Optics =

Risner printed it as Opticae thesaurus, nuncprimum editi, in 1572.
"""


# Words one edit from `PhD` and `cmp` (on the 112 real articles `PhD` found `pH` and `PHP`,
# `cmp` `cup`, `cm` and `cdp` beside `camp`).
SHORT_WORDS = """= Units =

Its pH is 7. The peso (PHP) fell. A cup of tea, 5 cm long. The camp stood by the cemetery.

==War==
The war came.
"""


def test_a_three_letter_word_is_retried_only_as_longer_words_or_swapped(tmp_path: Path) -> None:
    """Too many words are one edit from a word of three letters: it is retried only as the
    longer words it misses a letter of (`cmp`: `camp`) or as its letters swapped (`wra`:
    `war`), never as other words as short (`PhD` is not `pH` or `PHP`; `cmp` not `cup` or `cm`)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_article(corpus, "units.txt", SHORT_WORDS)
    with Searcher.open(index=index, corpus=corpus) as searcher:
        assert searcher.search("PhD").total == 0
        respelled = searcher.search("cmp")
        assert respelled.corrected and list(respelled.hits[0].marked()) == ["camp"]
        assert searcher.search("PhD cmp").total == 0  # (no `pH` in a relaxed or corrected query)
        assert [list(hit.marked()) for hit in searcher.search("wra").hits] == [["war"]]


def test_a_word_the_index_lacks_is_retried_only_as_words_close_to_it_as_written(tmp_path: Path) -> None:
    """A word no section has, with no written word within a typo of it, is not retried as the
    stems close to its stem: `deity` found the Latin `editi` of a book title (on the 112 real
    articles, `Ibn al-Haytham`), its `deiti` one swap from `editi`. A typo is still found."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_article(corpus, "optics.txt", OPTICS)
    with Searcher.open(index=index, corpus=corpus) as searcher:
        result = searcher.search("deity")
        assert (result.total, result.corrected, result.suggestion) == (0, False, None)
        respelled = searcher.search("thesarus")
        assert respelled.corrected and list(respelled.hits[0].marked()) == ["thesaurus"]



def test_few_exact_matches_come_first_then_sections_with_fewer_words(searcher: Searcher) -> None:
    """One section has all of `Frenkel first camp` (the lead); fewer than FEW_HITS do, so
    sections with most of the words follow it."""
    exact = searcher.search("Frenkel first camp")
    assert FEW_HITS > 1
    result = searcher.search("Frenkel first camp", limit=ALL)
    assert (result.hits[0].article, result.hits[0].section) == (NORILSK, "Lead")
    if result.relaxed:
        assert result.total > 1
        assert any("only 1 section has all of 'Frenkel first camp'" in w for w in result.warnings)
    else:
        assert result.total == exact.total


@pytest.mark.parametrize("words", [["camp", "standoff", "western"], ["uprising", "waves", "57"]])
def test_which_word_goes_is_not_the_order_of_the_query(searcher: Searcher, words: list[str]) -> None:
    """Of two words as common, the order of the query chose which one a relaxed query left
    out: `camp standoff western` left out `western`, `camp western standoff` `standoff` (a bug
    hunt)."""
    orders = (words, words[::-1], words[1:] + words[:1])
    answers = [searcher.search(" ".join(order), limit=ALL) for order in orders]
    assert answers[0].relaxed
    assert all(answer.relaxed == answers[0].relaxed for answer in answers)
    assert len({tuple((hit.path, hit.position) for hit in answer.hits) for answer in answers}) == 1


def test_question_words_are_lowercase_words() -> None:
    assert all(word == word.casefold() and word.isalpha() for word in QUESTION_WORDS)
    assert {"how", "many", "were", "what", "who"} <= QUESTION_WORDS
    assert not {"killed", "first", "people"} & QUESTION_WORDS


def test_the_cli_says_what_was_left_out(built_index: Path) -> None:
    args = ["search", QUESTION, "--index", str(built_index), "--corpus", str(CORPUS), "--no-update"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert "showing sections without: how, many, were" in result.stderr
    assert "showing sections without" not in result.stdout
    data = json.loads(CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False).stdout)
    assert data["relaxed"] == ["how", "many", "were"]


def test_the_cli_says_why_nothing_matched(built_index: Path) -> None:
    args = ["search", "Frenkel Kengir", "--index", str(built_index), "--corpus", str(CORPUS), "--no-update"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines() == [
        "searcher: 'Kengir' is in no section", "searcher: no sections match 'Frenkel Kengir'"]
    data = json.loads(CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False).stdout)
    assert (data["total"], data["warnings"]) == (0, ["'Kengir' is in no section"])


def test_search_result_has_relaxed_by_default() -> None:
    assert SearchResult("x", 0, [], {}).relaxed == ()


# --- the 112 real articles ------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    with Searcher.open(articles_index(tmp_path_factory.getbasetemp()), update=False) as opened:
        yield opened


@pytest.mark.slow
@pytest.mark.parametrize("question", ["how many were killed", "how many died"])
def test_real_questions_find_sections_about_them(real_searcher: Searcher, question: str) -> None:
    """Only Nero's `Early rule` has every word ("how much Nero knew", "many", "killed"): the
    question is relaxed, leaving out a question word, never the word that asks."""
    exact = real_searcher.search(exactly(question))
    assert 0 < exact.total < FEW_HITS
    result = real_searcher.search(question, limit=ALL)
    assert result.relaxed and set(result.relaxed) <= QUESTION_WORDS, result.relaxed
    assert result.total > exact.total
    stem = {"killed": "kill", "died": "die"}[question.split()[-1]]
    assert sum(stem in hit.snippet.casefold() for hit in result.hits[:5]) >= 4, [
        hit.snippet for hit in result.hits[:5]
    ]


@pytest.mark.slow
def test_real_long_question_keeps_its_rarest_words(real_searcher: Searcher) -> None:
    result = real_searcher.search("how many soldiers were killed and wounded in the battle of Ulm")
    assert result.relaxed, result.warnings
    assert not {"killed", "wounded"} & {word.casefold() for word in result.relaxed}
    assert result.hits


@pytest.mark.slow
@pytest.mark.parametrize("query", ["killed wounded", "world war", "battle"])
def test_real_queries_with_exact_matches_are_not_relaxed(real_searcher: Searcher, query: str) -> None:
    result = real_searcher.search(query)
    assert result.total >= FEW_HITS and result.relaxed == []


@pytest.mark.slow
def test_real_minus_excludes_sections(real_searcher: Searcher) -> None:
    minus = real_searcher.search("war -world", limit=ALL)
    assert minus.total == real_searcher.search("war", limit=ALL).total - real_searcher.search(
        "war world", limit=ALL
    ).total > 0


def test_a_number_grouped_by_thousands_is_one_word_when_relaxing(searcher: Searcher) -> None:
    """`16 378` is one word (numerals.py): relaxing keeps it whole or drops it whole."""
    for text in ("16 378 people xylophone", "16,378 people xylophone"):
        result = searcher.search(text)
        assert result.relaxed == ["xylophone"], text
        assert [hit.section for hit in result.hits] == ["Infobox"]
