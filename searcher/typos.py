"""The words of a sorted list that a typo may stand for: those a few edits away from it.

Whoosh's `ListCorrector` finds them with an edit automaton built for the word and walked over
the list, in Python: about a millisecond a word for one edit, 5 to 10 ms for two (two
automata, each walked), on the 19,000 terms of the 112 real articles, and the typo retry asks
for every word of a query that finds nothing. `CloseWords` gives the same words, ranked the
same way, from the words of about the same length that begin as the word does, each kept
only when it holds enough of the word's pairs of letters (a test in C) and then measured, a
column of the table of edits at a time (`_Edits`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from whoosh.spelling import Corrector


class CloseWords(Corrector):
    """Whoosh's `ListCorrector`, faster: `suggest(word, limit, maxdist, prefix)` gives the
    words of the list (the word itself aside) that begin with the word's first `prefix`
    letters and are at most `maxdist` edits (Levenshtein's: an insertion, a deletion or a
    change of a letter) from it after them, the fewest edits first, then in order.

    The words are given as one string, sorted, one a line (none empty), and kept so, with
    where each first letter's lines are: a string a word made the vocabulary of the 112 real
    articles take 5 MB (its 25,000 words), and their garbage stayed in the process."""

    def __init__(self, words: str) -> None:
        self._text = f"\n{words}\n" if words else "\n"
        self._letters = _first_letters(self._text)

    def position(self, word: str) -> int | None:
        """Where the word stands among the words given, if it is there."""
        if not word or (letter := self._letters.get(word[0])) is None:
            return None
        start, end, before = letter
        at = self._text.find(f"\n{word}\n", start, end + 1)
        return None if at < 0 else before + self._text.count("\n", start, at)

    def scored(self, text: str, maxdist: int, prefix: int) -> list[tuple[float, str]]:
        """Every word `suggest` may give (the word itself aside), with its score (minus its
        edits); `suggest` gives the `limit` highest pairs of score and word."""
        return [(score, word) for score, word in self._suggestions(text, maxdist, prefix) if word != text]

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[float, str]]:
        """Each word near `text` with its score, as `ListCorrector` scores it: minus its edits
        (at least one)."""
        start, rest = text[:prefix], text[prefix:]
        # Each edit spoils at most two of the pairs of neighbouring letters that `rest` holds,
        # so a word this close holds all but `2 * maxdist` of them.
        pairs = {rest[i : i + 2] for i in range(len(rest) - 1)}
        needed = len(pairs) - 2 * maxdist
        edits_from = _Edits(rest)
        of_length = _lines_of(max(len(text) - maxdist, 1), len(text) + maxdist)
        if start:
            letters = [self._letters[start[0]]] if start[0] in self._letters else []
        else:
            letters = list(self._letters.values())
        for first, last, _ in letters:
            for word in of_length.findall(self._text, first, last + 1):
                if not word.startswith(start):
                    continue
                other = word[prefix:]
                if needed > 0 and sum(map(other.__contains__, pairs)) < needed:
                    continue
                edits = edits_from.within(other, maxdist)
                if edits <= maxdist:
                    yield -max(edits, 1), word


@lru_cache(maxsize=64)
def _lines_of(shortest: int, longest: int) -> re.Pattern[str]:
    """The lines of `shortest` to `longest` letters (each after its line end)."""
    return re.compile(rf"\n([^\n]{{{shortest},{longest}}})(?=\n)")


def _first_letters(text: str) -> dict[str, tuple[int, int, int]]:
    """Where the lines of each first letter are in `text` (sorted lines, each after a line
    end, the last one too): the line end before the first and the one after the last, and how
    many lines come before them. Found by halving the text, not line by line."""
    letters: dict[str, tuple[int, int, int]] = {}
    start, before, last = 0, 0, len(text) - 1
    while start < last:
        letter = text[start + 1]
        low, high = start + 1, last  # (the first line end after the letter's lines, sought)
        while low < high:
            middle = (low + high) // 2
            end = text.rfind("\n", 0, middle + 1)
            if end == last or text[end + 1] > letter:
                high = middle
            else:
                low = middle + 1
        letters[letter] = (start, low, before)
        before += text.count("\n", start, low)
        start = low
    return letters


class _Edits:
    """The Levenshtein distances from one word to others, a column of the table of edits at a
    time: the column's differences from one row to the next as the bits of two ints (Myers'
    bit-parallel algorithm, in the form Hyyrö gives for the distance of two words), so each
    letter of the other word costs a dozen int operations, not a cell per letter of the word."""

    def __init__(self, word: str) -> None:
        self._length = len(word)
        self._mask = (1 << len(word)) - 1
        self._last = 1 << (len(word) - 1) if word else 0
        self._places: dict[str, int] = {}  # each letter's places in the word, as bits
        for place, letter in enumerate(word):
            self._places[letter] = self._places.get(letter, 0) | 1 << place

    def within(self, other: str, most: int) -> int:
        """The distance to `other`, or `most + 1` when it is more than `most`."""
        if abs(self._length - len(other)) > most:
            return most + 1
        if not self._length:
            return min(len(other), most + 1)
        mask, last, places = self._mask, self._last, self._places
        up, down, distance = mask, 0, self._length  # (the rows where a column goes up or down)
        left = len(other)
        for letter in other:
            matched = places.get(letter, 0)
            vertical = matched | down
            horizontal = (((matched & up) + up) ^ up) | matched
            rises = down | ~(horizontal | up)
            falls = up & horizontal
            if rises & last:
                distance += 1
            elif falls & last:
                distance -= 1
            left -= 1
            if distance - left > most:  # (each letter left takes at most one edit off)
                return most + 1
            rises = (rises << 1) | 1
            falls <<= 1
            up = (falls | ~(vertical | rises)) & mask
            down = rises & vertical
        return min(distance, most + 1)
