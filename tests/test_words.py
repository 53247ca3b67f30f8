"""The one-pass tokenizer (searcher/words.py) gives exactly the tokens of the Whoosh analyzer
chain it replaces, on every text of the real and bundled articles, under every option Whoosh
analyses with (index, query, passages, stop words kept, one token, offsets moved); and its
postings are the ones Whoosh's own format makes of those tokens."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.formats import Characters

from searcher import read_article, words
from searcher.numerals import digits
from searcher.schema import article_key
from searcher.verb_forms import VERB_OF
from searcher.words import FOLDING, NEGATIONS, POSSESSIVES, WORDS, WordPostings, Words
from tests.conftest import CORPUS
from tests.realdata import article_files


class _Digits(Filter):
    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            token.text = digits(token.text)
            yield token


class _Endings(Filter):
    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            if token.text.endswith(NEGATIONS):
                token.text = token.text[:-2] + "t"
            elif token.text.endswith(POSSESSIVES):
                token.text = token.text[:-2]
            yield token


class _Normalized(Filter):
    def __init__(self, form: str) -> None:
        self.form = form

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            token.text = unicodedata.normalize(self.form, token.text)  # type: ignore[arg-type]
            yield token


CHAIN = (
    RegexTokenizer(WORDS) | _Digits() | LowercaseFilter() | _Normalized("NFD") | CharsetFilter(FOLDING)
    | _Normalized("NFC") | _Endings() | StopFilter(minsize=1)
)


class _Verbs(Filter):
    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            token.text = VERB_OF.get(token.text, token.text)
            yield token


class _Unstemmed(Filter):
    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            token.unstemmed = token.text
            yield token


class _Undoubled(Filter):
    """Porter's step 1b as Whoosh's stemmer leaves it out: `runn` of `running` is `run`."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            stemmed, word = token.text, token.__dict__.pop("unstemmed")
            if len(stemmed) > 3 and stemmed[-1] == stemmed[-2] and stemmed[-1] in "bdgmnprt" and any(
                word == stemmed + ending for ending in ("ed", "ing", "ings")
            ):
                token.text = stemmed[:-1]
            yield token


STEMMED_CHAIN = CHAIN | _Unstemmed() | _Verbs() | StemFilter(cachesize=100_000) | _Undoubled()
OPTIONS: list[dict[str, Any]] = [
    {"mode": "index", "positions": True, "chars": True, "boosts": True},  # the index's text
    {"mode": "index", "boosts": True},
    {"mode": "query"},
    {"mode": "query", "tokenize": False},  # a pattern's or a range's text
    {"mode": "query", "tokenize": False, "removestops": False},
    {"mode": "index", "positions": True, "chars": True, "removestops": False},  # passages
    {"positions": True, "chars": True, "keeporiginal": True, "start_pos": 5, "start_char": 7},
]
ODD = [
    "", "of the", "The", "a", "Jānis", "x.y.z", "1,000,000.5", "18,000 and 18 000 and 18\u202f000, 3.5 km²",
    "Ærø Ёлки-палки", "the the camp", "ﬁnal straße İstanbul",
    "Nero's mother", "NERO\u2019S", "it's", "Kings' men", "rock'n'roll", "can't DON\u2019T isn'tx",
    "Du\u0308renstein", "\u0301a",
    "Αθήνα \u0391\u03b8\u03b7\u0301\u03bd\u03b1 ёжик \u0435\u0308жик 한국어",
]


def _texts(articles: Iterable[Any]) -> list[str]:
    return [
        text
        for a in articles
        for text in (a.title, *(section.text for section in a.sections), *(f.value for f in a.infobox))
    ]


def _tokens(analyzer: Any, text: str, options: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(vars(token)) for token in analyzer(text, **options)]


@pytest.mark.parametrize("stemmed", [False, True], ids=["words", "stems"])
def test_same_tokens_as_the_chain_on_the_bundled_articles(stemmed: bool) -> None:
    chain = STEMMED_CHAIN if stemmed else CHAIN
    for text in _texts(read_article(path) for path in sorted(CORPUS.glob("*.txt"))) + ODD:
        for options in OPTIONS:
            expected = _tokens(chain, text, options)
            assert _tokens(Words(stemmed), text, options) == expected, (text[:60], options)


@pytest.mark.slow
@pytest.mark.parametrize("stemmed", [False, True], ids=["words", "stems"])
def test_same_tokens_as_the_chain_on_the_real_articles(stemmed: bool) -> None:
    chain = STEMMED_CHAIN if stemmed else CHAIN
    texts = _texts(map(read_article, article_files()))
    differing = [
        (text[:60], options) for text in texts for options in OPTIONS
        if _tokens(Words(stemmed), text, options) != _tokens(chain, text, options)
    ]
    assert len(texts) > 1_500 and differing == [], (len(texts), differing[:3])


def test_a_long_word_fails_to_match_at_once() -> None:
    """The word pattern has one way to match a word: with Whoosh's optional point
    (`\\w+(\\.?\\w+)*`) a whole-text match of a long word followed by a mark tried every way
    of cutting it, twice as long for each letter (30 took seconds)."""
    pattern = re.compile(WORDS)
    for text in ("ab1" * 300 + "!", "a\u0301" * 300 + ":", "U.S" * 300 + "-"):
        assert pattern.fullmatch(text) is None
        assert [match.group() for match in pattern.finditer(text)][:1] == [text[:-1]]


def test_the_words_of_a_text_are_its_tokens_as_a_set() -> None:
    for text in ODD:
        assert Words().words(text) == {token.text for token in CHAIN(text)}


def test_the_words_of_a_text_just_indexed_are_the_same() -> None:
    """A build counts the words of each text just after `postings` went through it (which
    kept its written words): the same set, however many texts came between."""
    texts = _texts(read_article(path) for path in sorted(CORPUS.glob("*.txt"))) + ODD
    for text in texts:
        Words(stemmed=True).postings(text)
    assert texts[-1] in words._WRITTEN and len(words._WRITTEN) <= words._WRITTEN_TEXTS
    for text in reversed(texts):
        assert Words().words(text) == {token.text for token in CHAIN(text)}, text[:60]
    assert texts[-1] not in words._WRITTEN  # (each is kept until asked for once)


@pytest.mark.parametrize("stemmed", [False, True], ids=["words", "stems"])
def test_word_postings_hold_whooshs_postings_of_the_tokens(stemmed: bool) -> None:
    """`WordPostings` replaces Whoosh's `Characters.word_values` for speed, and packs the
    places smaller: the index must hold the same words, counts, weights, positions and
    character spans, read as Whoosh reads them. Fails if a Whoosh upgrade changes what
    that format makes or how its readers ask for it."""
    texts = _texts(read_article(path) for path in sorted(CORPUS.glob("*.txt"))) + ODD
    sizes = {"ours": 0, "whooshs": 0}
    for boost in (1.0, 2.5):
        ours, whooshs = WordPostings(field_boost=boost), Characters(field_boost=boost)
        for text in texts:
            expected = list(whooshs.word_values(text, Words(stemmed), mode="index"))
            found = list(ours.word_values(text, Words(stemmed), mode="index"))
            assert [(word, count, weight) for word, count, weight, _ in found] == [
                (word, count, weight) for word, count, weight, _ in expected], text[:60]
            for (_, _, _, value), (_, _, _, whooshs_value) in zip(found, expected, strict=True):
                for kind in ("characters", "positions", "frequency", "weight", "position_boosts"):
                    assert ours.decode_as(kind, value) == whooshs.decode_as(kind, whooshs_value), kind
                sizes["ours"] += len(value)
                sizes["whooshs"] += len(whooshs_value)
    assert sizes["ours"] < sizes["whooshs"] / 2


@given(st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 2**31), st.integers(1, 2**20)), min_size=1))
def test_word_postings_read_back_what_they_pack(steps: list[tuple[int, int, int]]) -> None:
    """Places of any size (a number past one byte, two bytes, or to the length of a long
    text) come back as packed; each value says how many it holds, as Whoosh's do."""
    places, position, end = [], -1, 0
    for step, gap, length in steps:
        position, start = position + 1 + step, end + gap
        end = start + length
        places.append((position, start, end))
    value = WordPostings().encode(places)
    assert WordPostings().decode_characters(value) == places
    assert WordPostings().decode_positions(value) == [position for position, _, _ in places]
    assert WordPostings().decode_frequency(value) == len(places)


def test_a_sentence_written_without_its_space_is_two_words() -> None:
    """`sufficient.Extract` (67 times in the 112 articles, footnotes joined by a converter)
    was one word: neither `sufficient` nor `Extract` found it (a bug hunt)."""
    assert Words().words("sufficient.Extract exile.London") == {"sufficient", "extract", "exile", "london"}
    assert Words().words("the U.S. Army, e.g. 3.5 km at example.com") == {"u.s", "army", "e.g", "3.5", "km",
                                                                         "example.com"}


def test_invisible_characters_are_no_part_of_a_word() -> None:
    """`International` missed `Inter\u00adnational` (a soft hyphen), and `str\u200bike` typed
    (a zero-width space) found nothing (a bug hunt)."""
    assert Words().words("Inter\u00adnational str\u200bike wo\u2060rd \ufeffbom \u200b") == {
        "international", "strike", "word", "bom"
    }
    [token] = Words()("Inter\u00adnational", chars=True)
    assert (token.startchar, token.endchar) == (0, 14)  # (a passage marks it as written)


def test_a_negation_is_one_word() -> None:
    """`can't` was `can` (a stop word) and `t`: it found every `T-number` and `ain't`, 68
    sections of the 112 articles for 7 that write it (a bug hunt)."""
    assert Words().words("can't Don\u2019t ISN'T T-numbers Nero's O'Brien") == {
        "cant", "dont", "isnt", "t", "numbers", "nero", "o", "brien"
    }


def test_a_ligature_is_its_letters() -> None:
    """`ﬁlm` (U+FB01, kept from print) is `film` in the index and in a query; Whoosh's accent
    folding leaves ligatures as they are, so `film` found no `ﬁlm`."""
    assert Words().words("ﬁlm oﬃce ﬂag ﬆar") == {"film", "office", "flag", "star"}
    # Letters written as two in English, and ligatures and digraphs of other languages.
    assert Words().words("Encyclopædia ÆTHELBALD œuvre ĳssel Ǆemal ǅemal ǉubav") == {
        "encyclopaedia", "aethelbald", "oeuvre", "ijssel", "dzemal", "ljubav"
    }
    stems = [token.text for token in Words(stemmed=True)("ﬁlms and oﬃces")]
    assert stems == [token.text for token in Words(stemmed=True)("films and offices")]


ATHENS = "\u0391\u03b8\u03ae\u03bd\u03b1"  # Athens in Greek, its eta with an accent
HEDGEHOG = "\u0451\u0436\u0438\u043a"  # `ёжик`, Russian: its first letter io, an ie with a diaeresis


@pytest.mark.parametrize(("written", "typed"), [
    (ATHENS, unicodedata.normalize("NFD", ATHENS)),
    (unicodedata.normalize("NFD", ATHENS), ATHENS),
    (ATHENS, ATHENS.replace("\u03ae", "\u03b7")),  # without the accent
    (HEDGEHOG, unicodedata.normalize("NFD", HEDGEHOG)),
    (HEDGEHOG, HEDGEHOG.replace("\u0451", "\u0435")),  # as Russian is mostly typed
])
def test_accents_fold_in_any_script_however_written(written: str, typed: str) -> None:
    """`Αθήνα` written decomposed (a letter, then its mark) was found only by the typo retry,
    and `ёжик` as people type it not at all: Whoosh's folding covers Latin letters only."""
    assert Words().words(written) == Words().words(typed)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_an_ascii_title_is_matched_as_folding_would_match_it(title: str) -> None:
    """`article_key` lower-cases a title of ASCII characters and leaves folding out (a
    twelfth of the time): folding changes no ASCII letter once it is lower case."""
    folded = unicodedata.normalize("NFD", title.casefold()).translate(FOLDING)
    assert article_key(title) == unicodedata.normalize("NFC", folded)


@pytest.mark.parametrize(("forms", "apart"), [
    ("wrote written writing writes", "writer"),
    ("led leading leads", "lid"),
    ("began begun begins", "beg"),
    ("fought fighting", "fig"),
    ("die died dies dying", "diet"),
    ("born birth births", "bore"),
    ("plan planned planning plans", "plane"),
    ("occur occurred occurring", "occult"),
    ("begin beginning beginnings", "beg"),
])
def test_a_words_forms_share_its_stem(forms: str, apart: str) -> None:
    """Stemming joined `writes` and `writing`, not `wrote`: `who wrote little gidding` missed
    the section that says `Eliot started writing Little Gidding`. Nor `die` and `died` (Porter
    stems them `die` and `di`), nor `born` and `birth`, nor `plan` and `planned` (Whoosh's
    stemmer keeps the doubled consonant: `plann`)."""
    stems = [token.text for token in Words(stemmed=True)(forms)]
    assert len(set(stems)) == 1, stems
    assert [token.text for token in Words(stemmed=True)(apart)] != stems[:1]


@pytest.mark.parametrize("word", "left found saw rose struck drew said sung did had".split())
def test_a_past_form_that_is_as_often_another_word_stays_itself(word: str) -> None:
    """`left` is a side, `found` a verb of its own, `struck` would join a labour strike, `Drew`,
    `Said` and `Sung` are names, and `did` and `had` are question words to the relaxation."""
    assert word not in VERB_OF
