"""Did you mean: the query with words the index does not know replaced by close words it does
know, offered only when it finds more than the query did.

The stage after a search has collected its hits. It sees the index through two narrow
interfaces, so its rules need no Whoosh: a `Vocabulary` (the words of the sections with how
many sections hold each, the words a few edits from one, whether the index knows a word in
another form) and a `hits` callback (how many sections a query finds with the search's
filters: a count, no passages, no facets). `IndexVocabulary` is the vocabulary of a Whoosh
index.

The rules, for each word of the query (not field names, operators, or terms with syntax):

- A word is left as typed when the index knows it in any form: as written, by its stem
  (`leaders` when `leader` is indexed), by its spelling-variant key (`Hrytsiak`), joined
  where it is hyphenated (`non-violent` when `nonviolent` is indexed) or apart where it is
  joined and the search finds it so (`nonviolent` as `non violent`: compounds.py); or when it
  is a stop word, shorter than 4 letters or longer than `MAX_FUZZY_LENGTH`.
- Candidates are the words as many edits away as the typo retry allows (one, two from 8
  letters; a swap of neighbouring letters is one edit), first letter kept (a swap of the
  first two aside), without digits unless the typed word has some (`casualties2` is an
  infobox key, not a word). Nearer first, then the word more sections hold.
- Agreement with the typo retry (`rewrite.tolerant`): when the hits shown come from a retry
  with close spellings, only words the retry matched are candidates, so the suggestion
  spells the words of the hits it goes with (`Vorkta` shows Vorkuta's sections and suggests
  `Vorkuta`); it takes the stems of the written words close to a word (`typos_of`), so the
  nearest is among them. Otherwise the candidates are those above: the retry compares the word
  as stemmed, which can be farther from a word than the word as typed (`stirke` is `stirk`:
  the retry finds nothing, `strike` is offered).
- The suggestion keeps the rest of the query as typed and each replaced word's case
  (UPPER, Capitalised, lower). Candidate queries are counted, nearest first, at most
  `MAX_TRIES`; the first that finds more than the query did (so at least one hit) is it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property, lru_cache
from typing import NamedTuple, Protocol

from whoosh import query
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import damerau_levenshtein

from .errors import SearcherError
from .live import holds
from .rewrite import MAX_EXPANSION, MAX_FUZZY_LENGTH, SPELLED_AS, SPELLED_FIELDS, typo_edits, wanted_terms
from .schema import BODY, text_analyzer, word_analyzer
from .typos import CloseWords
from .variants import transpositions
from .words import HYPHENS, MARKS

# Words shorter than this are never replaced: too many words are one edit from them.
MIN_LENGTH = 4
# Each replaced word offers at most this many candidates ...
MAX_CANDIDATES = 3
# ... and at most this many candidate queries are counted.
MAX_TRIES = 6
# How many asks for a word's close words a vocabulary keeps the answers of.
CLOSE_WORDS_KEPT = 1024
# The patterns are strings run through `re`'s functions, which compile each on its first use
# and keep it: a search that finds something suggests nothing, and need not compile them
# (0.9 ms of a cold process).
# A letter, and the combining marks that may follow it (words.py).
_LETTERS = rf"(?:[^\W\d_]|[{MARKS}])+"
# A word of a query (a field's value too) that is not a field name, an operator or a term
# with syntax (prefix*, x~).
_WORD = rf"(?<![\w*~{MARKS}])(?!(?:AND|OR|NOT|TO)\b){_LETTERS}(?![\w:*~{MARKS}])"
# Words joined by hyphens (any of the Unicode hyphens a text may use).
_HYPHENATED = rf"(?<![\w:*~{MARKS}]){_LETTERS}(?:[{HYPHENS}]{_LETTERS})+(?![\w:*~{MARKS}])"
_DIGIT = r"\d"
# Where `knows` looks for a stem, the text first: most words are there and nowhere else.
_KNOWN_IN = sorted(SPELLED_FIELDS, key=lambda field: field != BODY)


class Vocabulary(Protocol):
    """The words of an index, as suggestions need them."""

    def fold(self, word: str) -> str | None:
        """The word as the vocabulary writes words (lower case, accents folded), or None for
        a word never indexed (a stop word)."""

    def frequency(self, word: str) -> int:
        """How many sections hold the (folded) word as written."""

    def close(self, word: str, maxdist: int) -> Iterable[str]:
        """Words of the vocabulary at most `maxdist` edits from `word`, with its first letter.
        More may be given: `suggestion` measures each."""

    def knows(self, word: str) -> bool:
        """Whether a query for the (folded) word finds it in some form: as written, by its
        stem, by its spelling-variant key, as the two words it joins where the search looks
        for them so. Asked before `frequency` and `close`, which a query whose words are all
        known never needs."""


class _Choice(NamedTuple):
    """The candidates for one word of the query: (word, edits) pairs, best first."""

    match: re.Match[str]
    candidates: list[tuple[str, int]]


def suggestion(
    text: str,
    vocabulary: Vocabulary,
    hits: Callable[[str], int],
    *,
    found: int | None = None,
    retried: Callable[[str], bool] | None = None,
) -> str | None:
    """The query `text` with unknown words replaced, if that finds more than the query does
    exactly; else None. `hits` counts a query's hits; `found` is the query's own count
    (counted with `hits`, when not given, only if there is something to suggest).

    `retried`, for a query whose retry with close spellings gave the hits shown, tells
    whether the retry matched a (folded) word: only such words are candidates.
    """
    hyphenated = [m.span() for m in re.finditer(_HYPHENATED, text) if _known_compound(m[0], vocabulary)]
    choices = []
    for match in re.finditer(_WORD, text):
        if any(start <= match.start() and match.end() <= end for start, end in hyphenated):
            continue
        candidates = _candidates(match[0], vocabulary, retried)
        if candidates:
            choices.append(_Choice(match, candidates))
    for replacement in _replacements(choices):
        if found is None:
            found = hits(text)
        candidate = _replaced(text, choices, replacement)
        if hits(candidate) > found:
            return candidate
    return None


def _candidates(
    typed: str, vocabulary: Vocabulary, retried: Callable[[str], bool] | None
) -> list[tuple[str, int]]:
    """The words to put for `typed`, with their edits from it, best first; none for a word
    the index knows in some form."""
    word = vocabulary.fold(typed)
    if word is None or not MIN_LENGTH <= len(word) <= MAX_FUZZY_LENGTH:
        return []
    if vocabulary.knows(word):
        return []
    digits = bool(re.search(_DIGIT, word))
    scored = [
        (edits, -vocabulary.frequency(known), known)
        for known, edits in typos_of(vocabulary, word).items()
        if (digits or not re.search(_DIGIT, known)) and (retried is None or retried(known))
    ]
    return [(known, edits) for edits, _, known in sorted(scored)[:MAX_CANDIDATES]]


def typos_of(words: WordCounts, word: str) -> dict[str, int]:
    """The words of `words` that `word` may be a typo of, with their edits from it: as many
    as the typo retry allows (`typo_edits`: the two must agree), a swap of neighbours counting
    as one, the first letter kept (a swap of the first two aside)."""
    maxdist = typo_edits(word)
    near = set(words.close(word, maxdist))
    # (`close` counts a swap as two edits: each swapped spelling, and the words the edits left
    # are from it)
    for swapped in transpositions(word):
        if words.frequency(swapped):
            near.add(swapped)
        if maxdist > 1:
            near.update(words.close(swapped, maxdist - 1))
    measured = ((known, damerau_levenshtein(word, known)) for known in near - {word})
    return {known: edits for known, edits in measured if edits <= maxdist}


def _known_compound(hyphenated: str, vocabulary: Vocabulary) -> bool:
    """Whether the index knows a hyphenated word: joined, or each of its parts."""
    parts = [vocabulary.fold(part) for part in re.split(f"[{HYPHENS}]", hyphenated)]
    words = [part for part in parts if part is not None]
    return bool(words) and (
        all(vocabulary.knows(word) for word in words) or vocabulary.frequency("".join(words)) > 0
    )


def _replacements(choices: list[_Choice]) -> Iterator[tuple[int, ...]]:
    """Which candidate of each word to put, best first: every word's best, then one word's
    next best (fewest edits added first), and so on: at most `MAX_TRIES`."""
    if not choices:
        return
    best = tuple(0 for _ in choices)
    others = sorted(
        (choice.candidates[rank][1] - choice.candidates[0][1], rank, position)
        for position, choice in enumerate(choices)
        for rank in range(1, len(choice.candidates))
    )
    yield best
    for _, rank, position in others[: MAX_TRIES - 1]:
        yield (*best[:position], rank, *best[position + 1 :])


def _replaced(text: str, choices: list[_Choice], replacement: tuple[int, ...]) -> str:
    """The query with each chosen word put in the place of the typed one, in its case."""
    pieces, last = [], 0
    for choice, rank in zip(choices, replacement, strict=True):
        start, end = choice.match.span()
        pieces += [text[last:start], _same_case(choice.candidates[rank][0], choice.match[0])]
        last = end
    return "".join([*pieces, text[last:]])


def _same_case(word: str, like: str) -> str:
    """`word` written in the case of `like`: UPPER, Capitalised or lower."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word.capitalize() if like[:1].isupper() else word


class WordCounts(Protocol):
    """Words as written with the number of sections holding each: where candidates come from."""

    def frequency(self, word: str) -> int:
        """How many sections hold the word."""

    def close(self, word: str, maxdist: int) -> Iterable[str]:
        """The words at most `maxdist` edits from `word`, with its first letter."""


class ListWords:
    """The `WordCounts` of words, sorted, a line each (none empty), and the sections holding
    each (the vocabulary kept beside the index: `Vocabulary.counted`)."""

    def __init__(self, words: str, counts: Sequence[int]) -> None:
        self._corrector = CloseWords(words)
        self._counts = counts
        # Each ask measures the words of about the word's length (typos.py); the typo retry and
        # the suggestion ask for the same words, and a long-open searcher (serve) for them again.
        self._close = lru_cache(maxsize=CLOSE_WORDS_KEPT)(self._find_close)

    def frequency(self, word: str) -> int:
        at = self._corrector.position(word)
        return 0 if at is None else self._counts[at]

    def close(self, word: str, maxdist: int) -> Iterable[str]:
        return self._close(word, maxdist)

    def _find_close(self, word: str, maxdist: int) -> tuple[str, ...]:
        return tuple(self._corrector.suggest(word, limit=MAX_EXPANSION, maxdist=maxdist, prefix=1))


class IndexVocabulary:
    """The `Vocabulary` of an open Whoosh index.

    A word is known when a query for it alone (`parse`, as the search parses queries) looks
    for any term the index has: its stem, the words that share its spelling-variant key, or
    its parts as a phrase (compounds.py). Candidates come from the words `load` gives,
    loaded only when a word is not known.
    """

    def __init__(
        self,
        reader: IndexReader,
        parse: Callable[[str], query.Query],
        load: Callable[[], WordCounts],
    ) -> None:
        self._reader = reader
        self._parse = parse
        self._load = load
        self._fold = word_analyzer()
        self._stem = text_analyzer()

    @cached_property
    def _words(self) -> WordCounts:
        return self._load()

    def fold(self, word: str) -> str | None:
        return next((token.text for token in self._fold(word)), None)

    def frequency(self, word: str) -> int:
        return self._words.frequency(word)

    def close(self, word: str, maxdist: int) -> Iterable[str]:
        return self._words.close(word, maxdist)

    def knows(self, word: str) -> bool:
        # A query for the word looks for its stem in the text fields: when the index has the
        # stem there, the query finds it (a term lookup, where parsing costs ~0.3 ms a word).
        stems = [token.text for token in self._stem(word)]
        if any(holds(self._reader, field, stem) for stem in stems for field in _KNOWN_IN):
            return True
        try:
            parsed = self._parse(word)
        except SearcherError:
            return False
        wanted = wanted_terms(parsed, self._reader)
        return any(holds(self._reader, field, term) for field, terms in wanted.items() for term in terms)

    def matched_by(self, parsed: query.Query) -> Callable[[str], bool]:
        """Whether the index's terms that `parsed` (the typo retry's query) looks for hold
        a word: its stem is one of them."""
        wanted = wanted_terms(parsed, self._reader)
        terms = {term for field in SPELLED_AS for term in wanted.get(field, ())}
        return lambda word: bool({token.text for token in self._stem(word)} & terms)
