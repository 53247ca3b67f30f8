"""Words of a text in one pass: what Whoosh's analyzer chain of a tokenizer and five filters
did token by token, done by one compiled expression and a cache.

The chain was `RegexTokenizer(WORDS) | NumberFilter | LowercaseFilter |
CharsetFilter(accent_map) | StopFilter(minsize=1)`, plus `StemFilter` for the index's text
(tests/test_words.py keeps it, with this module's combining marks and possessive endings, the
past forms of irregular verbs, and the doubled consonants Whoosh's stemmer leaves).
Each filter is a generator over the tokens before it; together they were most of the time a
build spends analysing. `Words` yields the same tokens (text, positions, character offsets,
stopped words when they are kept, the original text) from one loop, folding and stemming
each distinct written word once: a token is one cache look-up (`index_term`). The index's
text skips the tokens altogether: `WordPostings` groups each word's places in the same loop.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, chain
from typing import Any
from unicodedata import combining, normalize

from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.formats import Characters
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from .codec import ARRAY_TYPES, little_endian
from .numerals import GROUPED_NUMBER, digits
from .verb_forms import VERB_OF

# Combining marks: in text written decomposed (`Du\u0308renstein`) they belong to their word.
# And the invisible characters a word may hold (a soft hyphen, zero-width spaces and joiners,
# a byte-order mark): they belong to it too, and folding drops them all (`Inter\u00adnational`
# is `international`).
_MARK_RANGES = (
    (0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F),
    (0x00AD, 0x00AD), (0x200B, 0x200D), (0x2060, 0x2060), (0xFEFF, 0xFEFF),
)
MARKS = "".join(f"{chr(first)}-{chr(last)}" for first, last in _MARK_RANGES)
# The hyphens a text joins words with (`non-fiction`): the hyphen-minus and Unicode's two.
HYPHENS = "-\u2010\u2011"
# Possessive endings, which a word loses (`Nero's` is `nero`, marked as written).
POSSESSIVES = ("'s", "\u2019s")
# The ending of a negation, which stays one word without its apostrophe (`can't` is `cant`:
# `can` is a stop word, and the `t` alone matched every `T-number`).
NEGATIONS = ("n't", "n\u2019t")
# A word: a grouped number, else Whoosh's default expression (`\w+(\.?\w+)*`, its point
# required: the same words, where the optional one made a failed match try every way of
# cutting a long word) with the marks of its letters, and a possessive or negation's ending;
# a point between a small letter and a capital one followed by a small one ends a sentence
# written without its space (`sufficient.Extract`), where `U.S`, `e.g` and `3.5` are words.
_NO_SPACE_SENTENCE = r"(?<=[a-z])\.[A-Z][a-z]"
WORDS = (
    GROUPED_NUMBER
    + rf"|[\w{MARKS}]+(?:(?!{_NO_SPACE_SENTENCE})\.[\w{MARKS}]+)*"
    + rf"(?:['\u2019][sS](?![\w{MARKS}])|(?<=[nN])['\u2019][tT](?![\w{MARKS}]))?"
)
_WORD = re.compile(WORDS)
_WHOLE = re.compile(r".*", re.DOTALL)
_NOT_WORDS = STOP_WORDS | {""}
_MATCHED = re.Match.group
CACHE_SIZE = 200_000
# The distinct written words of the last texts `Words.postings` grouped, by text: a build
# counts the words of each section it indexes (`Words.words`) just after, in the same process.
_WRITTEN: dict[str, set[str]] = {}
_WRITTEN_TEXTS = 256


# Letters written as two in English, which Whoosh's folding leaves (`Encyclopædia`, `œuvre`),
# and the Latin ligatures and digraphs a text may keep from print (`ﬁlm`, `ĳ`, `ǆ`), as their
# letters without marks (`ǆ` is `dž`: `dz`), lower case (words are lowered first).
_LIGATURES = {
    "æ": "ae", "œ": "oe",
    **{chr(ligature): "".join(
        letter for letter in normalize("NFKD", chr(ligature)) if not combining(letter)
    ) for ligature in (*range(0xFB00, 0xFB07), 0x0133, 0x01C6, 0x01C9, 0x01CC)},
}
# Whoosh's folding of letters with diacritics, combining marks dropped (a word is decomposed
# first, a letter of any script and its marks apart, and composed again after), and the
# ligatures above.
FOLDING: dict[int, str | None] = {
    **accent_map,  # type: ignore[dict-item]  # (typed as str keys; they are code points)
    **{mark: None for first, last in _MARK_RANGES for mark in range(first, last + 1)},
    **{ord(ligature): letters for ligature, letters in _LIGATURES.items()},
}


@lru_cache(maxsize=CACHE_SIZE)
def _folded(text: str) -> str:
    """A written word as the index holds it: a grouped number as its digits, lower case,
    diacritics folded however they are written, in any script (`Jānis`, `Ja\u0304nis` ->
    `janis`; `ёжик` -> `ежик`; `Αθήνα` -> `αθηνα`), without a possessive ending, a negation
    without its apostrophe (`can't` -> `cant`)."""
    folded = normalize("NFC", normalize("NFD", digits(text).lower()).translate(FOLDING))
    if folded.endswith(NEGATIONS):
        return folded[:-2] + "t"
    return folded[:-2] if folded.endswith(POSSESSIVES) else folded


# Whoosh's Porter stemmer tests step 1b's doubled consonant with `match`, which only a word of
# two letters passes: `running`, `planned` and `occurred` kept theirs (`runn`, `plann`,
# `occurr`) and found no `run`, `plan`, `occur`. The consonants English doubles before `-ed`
# and `-ing` lose it here, as Porter's algorithm says, where that leaves three letters or more
# (`added` stays `add`); `stuffed` keeps its `ff`, as `stuff` does.
_DOUBLED = re.compile(r"([bdgmnprt])\1$")
_ED_ING = ("ed", "ing", "ings")


@lru_cache(maxsize=CACHE_SIZE)
def _stem(word: str) -> str:
    """A folded word's Porter stem, without a doubled consonant Porter undoes (`_DOUBLED`); an
    irregular verb's past form's is its verb's (`wrote` is `write`, as `writing` and `written`:
    verb_forms.py)."""
    stemmed = str(stem(VERB_OF.get(word, word)))
    if len(stemmed) > 3 and _DOUBLED.search(stemmed) and any(
        word == stemmed + ending for ending in _ED_ING
    ):
        return stemmed[:-1]
    return stemmed


@lru_cache(maxsize=CACHE_SIZE)
def _word(text: str) -> str | None:
    """A written word folded, or None for a stop word."""
    folded = _folded(text)
    return None if folded in _NOT_WORDS else folded


@lru_cache(maxsize=CACHE_SIZE)
def index_term(text: str) -> str | None:
    """A written word folded and stemmed (what the index holds), or None for a stop word:
    one cache look-up a token where the index's words are made."""
    folded = _word(text)
    return None if folded is None else _stem(folded)


def _stemmed_word(text: str) -> str:
    """A written word folded and stemmed, stop word or not."""
    return _stem(_folded(text))


class Words(Tokenizer):
    """Words, lower-cased, diacritics folded, without English stop words (one-letter words
    are kept), grouped numbers as their digits; with `stemmed`, as Porter stems; with
    `keep_stop_words`, stop words too."""

    def __init__(self, stemmed: bool = False, keep_stop_words: bool = False) -> None:
        self.stemmed = stemmed
        self.keep_stop_words = keep_stop_words

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Words):
            return False
        return (other.stemmed, other.keep_stop_words) == (self.stemmed, self.keep_stop_words)

    def __hash__(self) -> int:
        return hash((type(self), self.stemmed, self.keep_stop_words))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(stemmed={self.stemmed}, keep_stop_words={self.keep_stop_words})"

    def _word_of(self) -> Callable[[str], str | None]:
        """A written word as this tokenizer makes it (None: a stop word, left out)."""
        if self.keep_stop_words:
            return _stemmed_word if self.stemmed else _folded
        return index_term if self.stemmed else _word

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        matches = _WORD.finditer(value) if tokenize else [_WHOLE.match(value)]
        word_of = self._word_of()
        kept_pos: int | None = None  # as Whoosh's StopFilter renumbers the words it keeps
        for raw_pos, match in enumerate(matches, start_pos):
            text = match.group()  # type: ignore[union-attr]  # (_WHOLE matches any text)
            word = word_of(text)
            stopped = word is None
            if stopped and removestops:
                continue
            token.text = _folded(text) if word is None else word
            token.boost = 1.0
            token.stopped = stopped
            if keeporiginal or not tokenize:
                token.original = text  # type: ignore[attr-defined]  # as Whoosh's tokenizers set it
            if positions:
                if stopped:
                    token.pos = raw_pos
                else:
                    kept_pos = raw_pos if kept_pos is None else kept_pos + 1
                    token.pos = kept_pos
            if chars:
                start, end = match.span()  # type: ignore[union-attr]
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token

    def postings(self, value: str) -> dict[str, list[tuple[int, int, int]]]:
        """Each word of a text (as indexed: stop words out) with the position and character
        span of each of its tokens, in order of first appearance: the tokens `__call__` makes,
        grouped without a `Token` each."""
        word_of = self._word_of()
        found: dict[str, list[tuple[int, int, int]]] = {}
        written: set[str] = set()
        see = written.add
        pos: int | None = None  # numbered as `__call__` numbers the words it keeps
        for raw_pos, match in enumerate(_WORD.finditer(value)):
            see(text := match.group())
            word = word_of(text)
            if word is None:
                continue
            pos = raw_pos if pos is None else pos + 1
            place = (pos, *match.span())
            places = found.get(word)
            if places is None:
                found[word] = [place]
            else:
                places.append(place)
        if len(_WRITTEN) >= _WRITTEN_TEXTS:
            del _WRITTEN[next(iter(_WRITTEN))]  # the oldest
        _WRITTEN[value] = written
        return found

    def words(self, value: str) -> set[str]:
        """The distinct words of a text, folded, without stop words (never stemmed)."""
        return _folded_words(_written(value))

    def words_and_names(self, value: str) -> tuple[set[str], set[str]]:
        """`words`, and those of them the text writes with a capital (`Vorkuta`, `NKVD`, a
        word that opens a sentence).

        Each distinct written word is folded once, and the loops run in C (`map`): a build
        finds these of every section for the vocabulary, each just after `postings` went
        through the same text (which kept its written words)."""
        written = _written(value)
        return _folded_words(written), _folded_words(word for word in written if word[:1].isupper())


def _written(value: str) -> set[str]:
    """The distinct words of a text as written (kept by `Words.postings`, else found)."""
    written = _WRITTEN.pop(value, None)
    return set(map(_MATCHED, _WORD.finditer(value))) if written is None else written


def _folded_words(written: Iterable[str]) -> set[str]:
    found = set(map(_word, written))
    found.discard(None)
    return found  # type: ignore[return-value]  # (None is out)


class WordPostings(Characters):
    """Each word's positions and character offsets, as Whoosh's `Characters` postings hold
    them, of text analysed by `Words`: grouped by `Words.postings` rather than token by token
    (a third less time), and packed as small numbers rather than pickled.

    A value is Whoosh's prefix, the number of places (which Whoosh's `decode_frequency`
    reads), then the type code of an array (`B`, `H` or `I`: 1, 2 or 4 bytes a number, the
    narrowest that holds them) and the array, little-endian: for each place, its position
    less the previous place's, its start less the previous place's end, and its length. On
    the 112 real articles the text's 129,618 values took 1.8 MB where Whoosh's pickles took
    3.5 MB, and the index 9.4 MB where it took 10.0 MB (RSS after the bench's queries 1 MB
    less): the same hits, scores, snippets and marks for the bench's 400 queries, as fast,
    and builds as fast. For indexing only (a `Words` analyzer, no other options)."""

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[Any, int, float, bytes]]:
        boost = self.field_boost
        for word, places in analyzer.postings(value).items():
            yield word, len(places), len(places) * boost, self.encode(places)

    def encode(self, poslist: Sequence[tuple[int, int, int]]) -> bytes:
        """The value of a word's places, (position, start, end) each, in order."""
        if len(poslist) == 1:  # (most words of a section)
            at, start, stop = poslist[0]
            steps = [at, start, stop - start]
        else:
            steps = []
            position = end = 0
            for at, start, stop in poslist:
                steps += (at - position, start - end, stop - start)
                position, end = at, stop
        largest = max(steps)
        code = "B" if largest < 1 << 8 else "H" if largest < 1 << 16 else "I"
        packed = little_endian(array(ARRAY_TYPES[code], steps))
        return pack_uint(len(poslist)) + _CODE_BYTES[code] + packed.tobytes()

    def decode_characters(self, valuestring: bytes) -> list[tuple[int, int, int]]:
        steps = _steps(valuestring)
        # (each start follows the previous end, each end its start: one running sum of both)
        spans = list(accumulate(chain.from_iterable(zip(steps[1::3], steps[2::3], strict=True))))
        return list(zip(accumulate(steps[0::3]), spans[0::2], spans[1::2], strict=True))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(accumulate(_steps(valuestring)[0::3]))


# The type codes of `WordPostings` values (numbers of one, two and four bytes), as written.
_CODE_BYTES = {"B": b"B", "H": b"H", "I": b"I"}
# The bytes of the count that begins a value (Whoosh's `pack_uint`).
_COUNT_BYTES = len(pack_uint(0))


def _steps(valuestring: bytes) -> array[int]:
    """The numbers a `WordPostings` value packs after its count."""
    steps = array(ARRAY_TYPES[chr(valuestring[_COUNT_BYTES])])
    steps.frombytes(valuestring[_COUNT_BYTES + 1 :])
    return little_endian(steps)
