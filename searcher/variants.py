"""Spelling variants of transliterated names: a phonetic key, a Whoosh filter, swaps.

`variant_key` rewrites a lower-cased, accent-folded word so that the usual ways of
writing one Russian, Ukrainian or Polish name in Latin letters give the same key
(`Gritsyak`/`Hrytsyak`, `Frenkel`/`Frenkiel`, `Evgeny`/`Yevhen`), while it keeps the
vowels and most consonants so that different names rarely meet. Common English words do
meet (`Beijing` and `being`, `yearly` and `early`): the key groups only names (vocabulary.py).
`spelling_key`, the key the index groups words by, leaves out the points of an abbreviation
(`U.S.S.R.`, `USSR`), keys `St` as `Saint` (`ABBREVIATED`) and a Roman numeral as its number
(`II`, `2`), and keeps a word from a key as short as a word of two or three letters, which is
its own key (`Maya`, `MA`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from whoosh.analysis import Filter, Token

_NON_VOWEL = "[^aeiouy]"  # y counts as a vowel: it is one before the y -> i rule
# The first of a doubled consonant (`Matt`'s first `t`).
_DOUBLED = re.compile(r"([^aeiou])(?=\1)")

# Ordered (pattern, replacement, letters) rewrites; each one states a spelling correspondence.
# `letters` are a part of every text the pattern matches: a word without them is passed by
# unchanged, at a fraction of the cost of trying the pattern (most words pass most rules by).
_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), replacement, letters)
    for pattern, replacement, letters in (
        (r"x", "ks", "x"),  # Alexander / Aleksandr
        (r"ph", "f", "ph"),  # Philip / Filip
        (r"ts?ch", "ch", "ch"),  # German tsch, French tch: Tschaikowsky / Tchaikovsky
        (r"sch", "sh", "sch"),  # German: Schamajew / Shamaev
        (r"cz", "ch", "cz"),  # Polish
        (r"sz", "sh", "sz"),  # Polish
        (r"tz", "ts", "tz"),  # Spitzbergen / Spitsbergen
        (r"zh", "z", "zh"),  # Zhukov / Zukow (Polish z-dot folds to z)
        (r"gh", "g", "gh"),  # Kenghir / Kengir, Afghan / Afgan
        # Polish/German w for v before a consonant, at the end, or after a consonant:
        # Wladimir, Romanow; but not English "lower"/"lover" between vowels.
        (rf"w(?![aeiouhy])|(?<={_NON_VOWEL})w", "v", "w"),
        # Ukrainian h for Russian g where English never writes h: after a consonant
        # that forms no digraph (Yevhen, Olha, Serhiy) or before one at the start (Hrytsyak).
        (r"(?<=[bdflmnrv])h", "g", "h"),
        (rf"^h(?={_NON_VOWEL})", "g", "h"),
        (r"kh", "h", "kh"),  # Mikhail / Mihail
        (r"ts(?=[aeiouy])", "c", "ts"),  # Polish c: Hryciak / Hrytsyak
        (r"[jy]", "i", ""),  # y/i/j glides and vowels: Mikhaylo, Jurij, Yuriy
        # Iotated e: initial or after a vowel (Yevhen, Shamayev), Polish kie/gie (Frenkiel).
        (r"(?:^|(?<=[aeiougk]))ie", "e", "ie"),
        (r"(?<=[^aeiou])i[eo](?=v)", "e", "v"),  # Vorobyov / Vorobyev / Vorobev
        (r"aia$", "a", "aia"),  # feminine adjective ending: Zelenskaya / Zelenska
        # Doubled consonants: each one that its double follows goes (a replacement without
        # `\1` is not expanded as a template in Python, which cost more than all other rules).
        (_DOUBLED.pattern, "", ""),
        (r"ii+", "i", "ii"),  # -iy, -ij, -ii endings: Dmitriy / Dmitrii / Dmitri
        (r"ei$", "i", "ei"),  # Russian -ey, Ukrainian -iy: Sergey / Serhiy
        (r"eni$", "en", "eni"),  # Russian -eniy, Ukrainian -en: Evgeny / Yevhen, Arseniy / Arsen
    )
)
_HAS_DIGIT = re.compile(r"\d")
MIN_KEYED_LENGTH = 4
# A point between letters: an abbreviation is one word with its points or without them
# (`U.S.S.R.` and `USSR`, `D.C.` and `DC`, `Ph.D.` and `PhD`).
_POINT_IN_WORD = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_])")
# Abbreviations of a name's first word, which a name is written with or without (`St. Louis`,
# `Saint Petersburg`). `St` is also `Street`, seldom in an encyclopedia; `Mt` is also the
# megatonne, `Ft` the foot: those stay apart.
ABBREVIATED = {"st": "saint", "ste": "sainte"}


@lru_cache(maxsize=100_000)
def variant_key(word: str) -> str:
    """Return the transliteration-aware key of one lower-cased, accent-folded word."""
    for pattern, replacement, letters in _RULES:
        if letters in word:
            word = pattern.sub(replacement, word)
    return word


def transpositions(word: str) -> set[str]:
    """Return every string made by swapping two neighbouring, different letters."""
    return {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(len(word) - 1)
        if word[i] != word[i + 1]
    }


_ROMAN = re.compile(r"(x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_UNITS = {"": 0, "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}


def roman_number(word: str) -> int | None:
    """The number a word of Roman numerals of 1 to 39 stands for (`i`, `viii`, `xiv`); None for
    any other word, and for `v` and `x` alone, letters more often than numbers (`Malcolm X`,
    `Roe v. Wade`). An encyclopedia's `I` is mostly a numeral (`World War I`, `Charles I`)."""
    match = _ROMAN.fullmatch(word)
    if match is None or word in ("", "v", "x"):
        return None
    return 10 * len(match.group(1)) + _ROMAN_UNITS[match.group(2)]


def spelling_key(word: str) -> str:
    """The key a word's spellings share: its `variant_key`, except that a word shorter than
    `MIN_KEYED_LENGTH` or with a digit is its own key (`6` and `66` are not one word), and
    that a word whose variant key would be that short loses only its doubled letters (`Maya`
    is no `MA`, nor `VIII` `VI`; `Matt` is `Mat`). Points between letters are left out
    (`u.s.s.r` is `ussr`), an abbreviation of `ABBREVIATED` is keyed as its word, and a Roman
    numeral as its number (`roman_number`)."""
    if "." in word:
        word = _POINT_IN_WORD.sub("", word)
    word = ABBREVIATED.get(word, word)
    if (number := roman_number(word)) is not None:
        return str(number)
    if len(word) < MIN_KEYED_LENGTH or _HAS_DIGIT.search(word):
        return word
    key = variant_key(word)
    return key if len(key) >= MIN_KEYED_LENGTH else _DOUBLED.sub("", word)


class VariantFilter(Filter):
    """Whoosh filter replacing each token's text with its `spelling_key`; positions and
    character offsets are kept."""

    # Whoosh's own Filter narrows Composable.__call__(value, **kwargs) the same way.
    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            token.text = spelling_key(token.text)
            yield token
