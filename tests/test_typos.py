"""`CloseWords` finds what Whoosh's `ListCorrector` finds, the same words in the same order,
and where each word stands; its distances are Levenshtein's."""

from __future__ import annotations

from conftest import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.spelling import ListCorrector

from searcher.rewrite import typo_edits
from searcher.typos import CloseWords, _Edits
from searcher.words import Words

# Few letters, so that words a few edits apart are common; one with a diacritic, one a digit.
_WORDS = st.text(alphabet="abcé1", max_size=9)


@settings(max_examples=400, deadline=None)
@given(
    vocabulary=st.sets(_WORDS.filter(bool), max_size=60),
    word=_WORDS,
    maxdist=st.integers(1, 2),
    prefix=st.integers(0, 2),
    limit=st.sampled_from([1, 3, 5_000]),
)
def test_the_same_words_as_whooshs_list_corrector(
    vocabulary: set[str], word: str, maxdist: int, prefix: int, limit: int
) -> None:
    words = sorted(vocabulary)
    if len(word) < prefix:  # (Whoosh's automaton fails on a word shorter than its prefix)
        word += "a" * prefix
    expected = ListCorrector(words).suggest(word, limit=limit, maxdist=maxdist, prefix=prefix)
    assert CloseWords("\n".join(words)).suggest(word, limit=limit, maxdist=maxdist, prefix=prefix) == expected


@settings(max_examples=300, deadline=None)
@given(vocabulary=st.sets(_WORDS.filter(bool), max_size=60), word=_WORDS)
def test_a_word_is_found_where_it_stands_in_the_list(vocabulary: set[str], word: str) -> None:
    """`position` finds each word of the list by its place, and no other: a word is found
    whole, not as the end of one and the start of the next."""
    words = sorted(vocabulary)
    close = CloseWords("\n".join(words))
    assert [close.position(known) for known in words] == list(range(len(words)))
    assert close.position(word) == (words.index(word) if word in vocabulary else None)
    assert CloseWords("a\nb").position("b\na") is None and close.position("") is None


def test_the_same_words_for_the_bundled_corpus_and_its_typos() -> None:
    """Every word of the bundled articles, and each with a letter dropped, doubled or swapped
    for a neighbour's, as the typo retry and the suggestion ask (`typo_edits`, the first
    letter kept)."""
    words = sorted({
        token.text for path in CORPUS.glob("*.txt") for token in Words()(path.read_text(encoding="utf-8"))
    })
    asked = set(words[::3])
    for word in words[::7]:
        middle = len(word) // 2
        asked |= {word[:middle] + word[middle + 1 :], word[:middle] + word[middle] + word[middle:],
                  word[:middle] + word[middle + 1 : middle + 2] + word[middle] + word[middle + 2 :]}
    whooshs, ours = ListCorrector(words), CloseWords("\n".join(words))
    found = 0
    for word in sorted(filter(None, asked)):
        expected = whooshs.suggest(word, limit=5_000, maxdist=typo_edits(word), prefix=1)
        assert ours.suggest(word, limit=5_000, maxdist=typo_edits(word), prefix=1) == expected, word
        found += len(expected)
    assert len(asked) > 300 and found > 100  # (the test compared real lists)


def levenshtein(a: str, b: str) -> int:
    """The distance of two words, cell by cell (Wagner and Fischer)."""
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other)))
        previous = current
    return previous[-1]


@settings(max_examples=600, deadline=None)
@given(a=st.text(alphabet="abcdé", max_size=70), b=st.text(alphabet="abcdé", max_size=70),
       most=st.integers(0, 80))
def test_the_distances_are_levenshteins(a: str, b: str, most: int) -> None:
    """Of words of any length (more letters than a machine word's bits too), up to a limit."""
    assert _Edits(a).within(b, most) == min(levenshtein(a, b), most + 1)
