"""Tests of "did you mean" (searcher.suggest): a suggestion is offered only when it finds more
than the query did, never for a word the index knows in another form, never a field-name-like
word, and it agrees with the typo retry. First the rules on a vocabulary and hit counts given
by hand, then on the bundled corpus and small corpora built for one case."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, NORILSK, where, write_article

from searcher import Searcher, update_index
from searcher.builds import open_live
from searcher.cli import cli
from searcher.query import QueryParser
from searcher.rewrite import wanted_terms
from searcher.schema import BODY
from searcher.suggest import MAX_TRIES, IndexVocabulary, ListWords, suggestion
from searcher.vocabulary import Spellings, Vocabulary
from tests.workmeter import measure

# --- the rules, on a vocabulary and counts given by hand ---------------------------------------

STOP_WORDS = {"the", "of", "and"}


class Words:
    """A `Vocabulary` of plain words with their document counts; `other_forms` are words the
    index knows in another form (by their stem or spelling-variant key)."""

    def __init__(self, counts: dict[str, int], other_forms: Iterable[str] = ()) -> None:
        self.counts = counts
        self.other_forms = set(other_forms)

    def fold(self, word: str) -> str | None:
        return None if word.lower() in STOP_WORDS else word.lower()

    def frequency(self, word: str) -> int:
        return self.counts.get(word, 0)

    def close(self, word: str, maxdist: int) -> Iterable[str]:
        # More than asked for (every word of the same first letter): `suggestion` measures.
        return [known for known in self.counts if known[:1] == word[:1]]

    def knows(self, word: str) -> bool:
        return word in self.counts or word in self.other_forms


class Hits:
    """Hit counts by query text (0 for any other), remembering what was asked."""

    def __init__(self, counts: dict[str, int] | None = None) -> None:
        self.counts = counts or {}
        self.asked: list[str] = []

    def __call__(self, text: str) -> int:
        self.asked.append(text)
        return self.counts.get(text, 0)


def suggest(
    text: str,
    counts: dict[str, int],
    hits: dict[str, int] | Hits,
    *,
    found: int = 0,
    other_forms: Iterable[str] = (),
    retried: Callable[[str], bool] | None = None,
) -> str | None:
    hits = hits if isinstance(hits, Hits) else Hits(hits)
    return suggestion(text, Words(counts, other_forms), hits, found=found, retried=retried)


def test_a_known_word_asks_for_no_count() -> None:
    hits = Hits()
    assert suggest("amnesty of the strike", {"amnesty": 2, "strike": 3}, hits) is None
    assert hits.asked == []


def test_the_query_itself_is_counted_only_when_there_is_something_to_suggest() -> None:
    hits = Hits({"amnesty OR Vorkta": 2, "amnesty OR Vorkuta": 9})
    words = Words({"amnesty": 2, "vorkuta": 7})
    assert suggestion("amnesty OR Vorkta", words, hits) == "amnesty OR Vorkuta"
    assert hits.asked == ["amnesty OR Vorkta", "amnesty OR Vorkuta"]
    hits = Hits({"amnesty OR Vorkta": 9, "amnesty OR Vorkuta": 9})
    assert suggestion("amnesty OR Vorkta", words, hits) is None
    hits = Hits()
    assert suggestion("amnesty", words, hits) is None
    assert hits.asked == []


def test_a_suggestion_must_find_more_than_the_query() -> None:
    counts = {"amnesty": 2, "vorkuta": 7}
    assert suggest("amnesty OR Vorkta", counts, {"amnesty OR Vorkuta": 9}, found=2) == "amnesty OR Vorkuta"
    assert suggest("amnesty NOT Vorkta", counts, {"amnesty NOT Vorkuta": 1}, found=2) is None
    assert suggest("amnesty Vorkta", counts, {"amnesty Vorkuta": 2}, found=2) is None


def test_a_suggestion_that_finds_nothing_gives_way_to_the_next() -> None:
    counts = {"death": 4, "took": 9, "told": 2}
    assert suggest("death toll", counts, {"death told": 1}) == "death told"
    assert suggest("death toll", counts, {}) is None


def test_no_suggestion_for_a_word_known_by_its_stem() -> None:
    # `leaders` finds `leader` (one section); `loaders` would find more, but is another word.
    counts = {"leader": 1, "loaders": 3, "letters": 9}
    hits = Hits({"loaders": 3, "letters": 9})
    assert suggest("leaders", counts, hits, found=1, other_forms={"leaders"}) is None
    assert hits.asked == []
    assert suggest("leaders", counts, {"loaders": 3, "letters": 9}, found=1) == "loaders"  # without


def test_no_suggestion_for_a_hyphenated_word_the_index_knows_joined() -> None:
    counts = {"nonviolent": 1, "violet": 4}
    assert suggest("non-violent", counts, {"non-violet": 4}) is None
    assert suggest("non-violent", {"violet": 4}, {"non-violet": 4}) == "non-violet"  # without




def test_no_suggestion_of_words_with_digits() -> None:
    counts = {"casualties1": 2, "casualties2": 2}
    assert suggest("casualties", counts, {"casualties1": 2, "casualties2": 2}) is None
    counts["casualtie"] = 1
    assert suggest("casualties", counts, {"casualtie": 1, "casualties2": 2}) == "casualtie"


def test_fewer_edits_first_then_more_sections() -> None:
    every = {"Vorota": 1, "Vorkuta": 1, "Vorkutb": 1}
    assert suggest("Vorkta", {"vorkuta": 7, "vorota": 9}, every) == "Vorota"
    assert suggest("Vorkta", {"vorkuta": 9, "vorota": 7}, every) == "Vorkuta"
    # `derevyanko` is one edit away, `derevianko` two: the nearer wins, however rare.
    every = {"Derevyanko": 1, "Derevianko": 1}
    assert suggest("Derevyanco", {"derevyanko": 1, "derevianko": 50}, every) == "Derevyanko"


def test_a_swap_of_neighbours_is_one_edit() -> None:
    assert suggest("Rudneko", {"rudenko": 1}, {"Rudenko": 1}) == "Rudenko"
    assert suggest("Rudnkeo", {"rudenko": 1}, {"Rudenko": 1}) is None  # two swaps: too far


def test_a_swap_and_another_edit_are_two_edits() -> None:
    """`galdiators` is two edits from `gladiator` (a swap, a letter more), as the typo retry
    counts them: the retry showed the section of `gladiator` (its stem, one swap away), while
    the suggestion, looking for words two edits away with Whoosh's edit automaton, which
    counts a swap as two, offered nothing (a bug hunt on the 112 real articles)."""
    counts = {"gladiator": 1, "gladiatorial": 1, "glacier": 4}
    words = ListWords("\n".join(sorted(counts)), [counts[word] for word in sorted(counts)])

    class Listed(Words):
        def close(self, word: str, maxdist: int) -> Iterable[str]:
            return words.close(word, maxdist)

    found = suggestion("galdiators", Listed(counts), Hits({"gladiator": 1}), found=0)
    assert found == "gladiator"
    assert suggestion("galdiatros", Listed(counts), Hits({"gladiator": 1}), found=0) is None  # three


def test_case_and_the_rest_of_the_query_are_kept() -> None:
    counts = {"vorkuta": 7, "uprising": 11, "amnesty": 2}
    assert suggest("VORKTA", counts, {"VORKUTA": 7}) == "VORKUTA"
    assert suggest("vorkta", counts, {"vorkuta": 7}) == "vorkuta"
    text = 'amnesty OR "Vorkta uprising" title:Vorkta Vork* strength:>100'
    wanted = 'amnesty OR "Vorkuta uprising" title:Vorkuta Vork* strength:>100'
    assert suggest(text, counts, {wanted: 9}, found=2) == wanted


def test_after_a_retry_only_the_spellings_it_matched() -> None:
    counts = {"vorkuta": 7, "vorota": 9}
    every = {"Vorota": 9, "Vorkuta": 7}
    assert suggest("Vorkta", counts, every) == "Vorota"
    assert suggest("Vorkta", counts, every, retried=lambda word: word == "vorkuta") == "Vorkuta"
    assert suggest("Vorkta", counts, every, retried=lambda word: False) is None


def test_short_words_are_left_alone() -> None:
    assert suggest("Lev", {"leo": 3}, {"Leo": 3}) is None


def test_counts_are_bounded() -> None:
    # Four unknown words, three candidates each: 81 queries, of which a few are counted.
    stems = ("alph", "brav", "delt", "gamm")
    counts = {stem + end: 1 for stem in stems for end in "xyz"}
    hits = Hits()
    assert suggest(" ".join(stem + "q" for stem in stems), counts, hits) is None
    assert 0 < len(hits.asked) <= MAX_TRIES


def test_a_sorted_word_list_gives_the_words_a_few_edits_away() -> None:
    counts = {"amnesty": 2, "strike": 3, "striker": 1, "strikes": 4, "stroke": 1}
    words = ListWords("\n".join(sorted(counts)), [counts[word] for word in sorted(counts)])
    assert set(words.close("strikr", 1)) == {"strike", "striker"}
    assert set(words.close("strikr", 2)) == {"strike", "striker", "strikes", "stroke"}
    assert words.frequency("strikes") == 4 and words.frequency("strikr") == 0


# --- on the bundled corpus ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "start",  # 'started' (stem 'start'): not 'state'
        "non-violent",  # 'nonviolent' and 'non' + 'violently' are indexed: not 'non-violently'
        "casualties",  # not the infobox key 'casualties2'
        "death toll",  # 'death took' finds nothing
        "leaders",  # not 'letters', which finds nothing (and is two edits away)
        "Hrytsiak",  # the spelling-variant key of 'Hrytsyak' and 'Gritsyak'
        "Hrytsiak uprising",
    ],
)
def test_no_suggestion(searcher: Searcher, query: str) -> None:
    assert searcher.search(query).suggestion is None


def test_a_joined_word_is_known_apart_only_where_the_search_finds_it_so(searcher: Searcher) -> None:
    # `hunger strike` is written: the search finds `hungerstrike` as that phrase (compounds.py).
    found = searcher.search("hungerstrike")
    assert found.total >= 1 and found.suggestion is None
    # `major` and `its` are indexed, but the search cuts no word so (a last part of 3 letters,
    # never written one after the other): `majorits` finds nothing as typed, and the retry's
    # `majority` is offered.
    found, majority = searcher.search("majorits"), searcher.search("majority")
    assert found.corrected and found.suggestion == "majority"
    assert (found.total, where(found.hits)) == (majority.total, where(majority.hits))


def test_a_word_found_in_another_form_is_not_corrected(searcher: Searcher) -> None:
    for query in ("start", "Hrytsiak"):
        found = searcher.search(query)
        assert found.total >= 1 and not found.corrected


def test_a_word_is_known_when_a_query_for_it_alone_looks_for_a_term_of_the_index(built_index: Path) -> None:
    # `knows` looks the word's stems up before it parses the word: the answer is the parse's,
    # for every indexed word, misspellings, stop words, and the pieces `nonviolent` is cut into.
    build = open_live(built_index)
    try:
        with build.index.searcher() as whoosh:
            reader = whoosh.reader()
            parse = QueryParser.of(whoosh, Spellings.load(build.path)).parsed
            vocabulary = IndexVocabulary(reader, parse, lambda: pytest.fail("no word list needed"))
            indexed = Vocabulary.load(build.path).counted()[0].split("\n")
            pieces = [word[:cut] for word in ("nonviolent", "hrytsiak") for cut in range(1, len(word))]
            words = [*indexed, *pieces, "vorkta", "uprisng", "leaders", "the", "which", "gritsiak",
                     "hungerstrike", "majorits"]
            for word in words:
                assert vocabulary.knows(word) == any(wanted_terms(parse(word), reader).values()), word
    finally:
        build.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Vorkta", "Vorkuta"),
        ("VORKTA", "VORKUTA"),
        ('"Vorkta uprising"', '"Vorkuta uprising"'),
        ("Vorkta amnesty", "Vorkuta amnesty"),
        ("Norilks amnesty", "Norilsk amnesty"),
        ("Derevyanco strike", "Derevyanko strike"),
        ("monumnet", "monument"),
        ("Rudneko", "Rudenko"),
        ("Markisov", "Markizov"),
        ("Sirotkn", "Sirotkin"),
        # (two edits from `upris`, the stem of `uprising`: the retry takes written words' stems)
        ("uprisng", "uprising"),
        ("Vorkuta uprisig", "Vorkuta uprising"),
    ],
)
def test_the_suggestion_spells_what_the_retry_found(searcher: Searcher, query: str, expected: str) -> None:
    retried = searcher.search(query, limit=100, facets=False)
    assert retried.corrected and retried.total > 0
    assert retried.suggestion == expected
    # Each word put in is one the retry's hits mark (or their title), and the suggestion
    # finds those hits.
    shown = {word for hit in retried.hits for text in (*hit.marked(), hit.article) for word in text.split()}
    put_in = set(expected.split()) - set(query.split())
    assert {word.strip('"').casefold() for word in put_in} <= {word.casefold() for word in shown}
    suggested = searcher.search(expected, limit=100, facets=False)
    assert not suggested.corrected and suggested.total > 0
    assert set(where(suggested.hits)) <= set(where(retried.hits))


@pytest.mark.parametrize(("query", "expected"), [
    ("commander:Sirotkn", "commander:Sirotkin"),
    ('commander:"Sirotkn"', 'commander:"Sirotkin"'),
    ("strike commander2:Sirotkn", "strike commander2:Sirotkin"),
])
def test_a_fields_value_gets_a_suggestion_quoted_or_not(
    searcher: Searcher, query: str, expected: str
) -> None:
    """An infobox field's word is retried with its spelling variants only, not close
    spellings; "did you mean" still offers the word the field holds (once only when quoted),
    and, as the retry found nothing, its hits are shown."""
    shows_the_suggestion(searcher, query, expected)


def shows_the_suggestion(searcher: Searcher, query: str, expected: str) -> None:
    """The search for `query`, which nothing matches and the retry does not mend, shows the
    hits of its suggestion, `expected`, saying so."""
    result, suggested = searcher.search(query), searcher.search(expected)
    assert result.suggestion == expected and result.corrected
    assert (result.total, where(result.hits)) == (suggested.total, where(suggested.hits)) and result.total > 0
    assert f"no exact matches for '{query}': showing '{expected}'" in result.warnings


@pytest.mark.parametrize("typo", ["Jānus", "Ja\u0304nus", "Janus"])
def test_a_word_written_decomposed_gets_the_same_suggestion(searcher: Searcher, typo: str) -> None:
    # `Ja\u0304nus` (a letter, then a combining macron) was read as `Ja` and `nus`: none.
    # (Suggestions are spelled as the vocabulary keeps words: accents folded.)
    assert searcher.search(typo).suggestion == "Janis"
    assert searcher.search(f"Mendriks {typo}").suggestion == "Mendriks Janis"


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("stirke", "strike"), ("Norilsk stirke", "Norilsk strike"), ("poliical", "political"),
     ("consiwted", "consisted")],
)
def test_the_retry_measures_a_typo_as_typed_as_the_suggestion_does(
    searcher: Searcher, typo: str, meant: str
) -> None:
    """The retry compared the word as stemmed: `stirk` is two edits from `strike` (the search
    showed nothing, then its suggestion's hits), `poliic` one from `polic` (it showed `police`
    for `poliical`, and no suggestion, which would have disagreed). As typed, each is one edit
    from the word meant: the retry shows its hits, and the suggestion is that word. Only the
    nearest as typed: `consiwted` also showed `convicts` (`convicted` is two edits from it)."""
    result, exact = searcher.search(typo, limit=100), searcher.search(meant, limit=100)
    assert result.corrected and result.suggestion == meant
    assert (result.total, where(result.hits)) == (exact.total, where(exact.hits)) and result.total > 0
    assert f"no exact matches for '{typo}': showing close spellings" in result.warnings


def test_a_query_with_hits_gets_a_suggestion_only_to_find_more(searcher: Searcher) -> None:
    found = searcher.search("amnesty OR Vorkta")
    assert found.total > 0 and found.suggestion == "amnesty OR Vorkuta"
    assert searcher.search("amnesty OR Vorkuta").total > found.total
    assert searcher.search("amnesty NOT Vorkta").suggestion is None


def test_suggestions_are_counted_with_the_filters(searcher: Searcher) -> None:
    # Norilsk's article never names Vorkuta: within it, the suggestion would find no more.
    assert searcher.search("amnesty OR Vorkta").suggestion is not None
    assert searcher.search("amnesty OR Vorkta", uprising=NORILSK).suggestion is None
    assert searcher.search("Vorkta", uprising=NORILSK).suggestion is None


MISSPELT = [
    "Vorkta", "VORKTA", "vorkta", "Vorkta amnesty", "prisoners Vorkta", '"Vorkta uprising"',
    "amnesty OR Vorkta", "amnesty NOT Vorkta", "Vorkuta OR Norilks", "Norilks amnesty",
    "Norlisk", "Derevyanco", "Derevyanco strike", "monumnet", "Rudneko", "Markisov",
    "Maslenikov", "Solzhenitsin", "Solzhenitsin uprising", "Shamayev", "Gritsyak", "Sirotkn",
    "strik", "strikez", "uprisng", "amnsety", "Stalni", "Berai", "Gulga", "rebelion", "Kengirr",
    "start", "non-violent", "nonviolent", "non-violently", "casualties", "casualty", "death toll",
    "leaders", "letters", "prisonres", "strikers demnads", "Voice of Amerika", "Norilsk Gulga",
    "guards OR gaurds", "Stalni death", "amnesty Vorkta Norilks",
]


@pytest.mark.parametrize("query", MISSPELT)
def test_every_suggestion_finds_more_than_the_query(searcher: Searcher, query: str) -> None:
    result = searcher.search(query, facets=False)
    if result.suggestion is None:
        return
    exact = 0 if result.corrected else result.total
    suggested = searcher.search(result.suggestion, facets=False)
    assert not suggested.corrected, (query, result.suggestion)
    assert suggested.total > exact and suggested.total > 0, (query, result.suggestion)
    assert not any(char.isdigit() for char in result.suggestion), (query, result.suggestion)


def test_the_command_line_says_did_you_mean(built_index: Path) -> None:
    args = ["search", "Vorkta", "--index", str(built_index), "--corpus", str(CORPUS)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert "did you mean: Vorkuta" in result.stderr


# --- on a corpus built for the case -------------------------------------------------------------

LEADERS = """= Couriers uprising =

The leader of the camp spoke once.

==Loaders==
The loaders struck first.

==Letters==
Letters were smuggled out; loaders carried the letters.

==Mail==
The letters reached Moscow, and the loaders went on strike.
"""


def test_a_plural_of_an_indexed_word_is_not_corrected(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_article(corpus, "leaders.txt", LEADERS)
    update_index(corpus, index)
    with Searcher.open(index=index, corpus=corpus, update=False) as searcher:
        found = searcher.search("leaders")
        assert found.total == 1 and not found.corrected
        assert found.suggestion is None
        # What a suggestion would have been measured against: more sections, one edit away.
        assert searcher.search("loaders").total > found.total


# `anarchizm` is one edit from `anarchism`, whose stem `anarch` is three edits away, and two
# from `anarchist`, its own stem.
ANARCHISTS = """= Anarchists of the camp =

Among the strikers was an anarchist from Odessa.

==Pamphlets==
The pamphlets smuggled out of the camp were on anarchism.
"""


def test_a_typo_is_retried_as_the_nearest_written_word_whose_stem_is_far(tmp_path: Path) -> None:
    """The retry compared `anarchizm` with the index's stems: it found `anarchist` and
    suggested it, never `anarchism` (stem `anarch`), the nearer word (on the 112 real
    articles, a bug hunt). Measured as typed, it is retried as the nearest written word alone:
    `anarchist`, two edits away, is another word."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_article(corpus, "anarchists.txt", ANARCHISTS)
    update_index(corpus, index)
    with Searcher.open(index=index, corpus=corpus, update=False) as searcher:
        with measure() as work:
            result = searcher.search("anarchizm")
        assert result.corrected and result.suggestion == "anarchism"
        assert [hit.section for hit in result.hits] == ["Pamphlets"]
        assert [list(hit.marked()) for hit in result.hits] == [["anarchism"]]
        # What it reads in the text: the stem of the nearest written word alone.
        assert work.postings[BODY] == {b"anarch"}


def test_the_written_words_are_read_only_for_a_word_the_index_does_not_hold(
    built_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The retry takes written words close to a word the index does not hold (as the
    suggestion does): a query whose words it holds all (`Frenkel Vorkuta`, retried, which
    finds nothing) reads no vocabulary, every word as written."""
    loads: list[Path] = []
    load = Vocabulary.load.__func__  # type: ignore[attr-defined]
    counted = classmethod(lambda cls, build: loads.append(build) or load(cls, build))
    monkeypatch.setattr(Vocabulary, "load", counted)
    with Searcher.open(index=built_index, corpus=CORPUS, update=False) as searcher:
        assert searcher.search("Frenkel Vorkuta").total == 0 and not loads
        assert searcher.search("Frenkl Norilsk").corrected and len(loads) == 1
