"""The words of a sorted list that a typo may stand for: those a few edits away from it.

Whoosh's `ListCorrector` finds them with an edit automaton built for the word and walked over
the list, in Python: about a millisecond a word for one edit, 5 to 10 ms for two (two
automata, each walked), on the 19,000 terms of the 112 real articles, and the typo retry asks
for every word of a query that finds nothing. `CloseWords` gives the same words, ranked the
same way, from the words of about the same length that begin as the word does, each kept
only when it holds enough of the word's pairs of letters (a test in C) and then measured.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cached_property

from whoosh.spelling import Corrector


class CloseWords(Corrector):
    """Whoosh's `ListCorrector`, faster: `suggest(word, limit, maxdist, prefix)` gives the
    words of the list (the word itself aside) that begin with the word's first `prefix`
    letters and are at most `maxdist` edits (Levenshtein's: an insertion, a deletion or a
    change of a letter) from it after them, the fewest edits first, then in order."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = words

    @cached_property
    def _groups(self) -> dict[tuple[str, int], list[str]]:
        """The words by first letter and length, grouped when first asked."""
        groups: dict[tuple[str, int], list[str]] = {}
        for word in self.words:
            groups.setdefault((word[:1], len(word)), []).append(word)
        return groups

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[float, str]]:
        """Each word near `text` with its score, as `ListCorrector` scores it: minus its edits
        (at least one)."""
        start, rest = text[:prefix], text[prefix:]
        # Each edit spoils at most two of the pairs of neighbouring letters that `rest` holds,
        # so a word this close holds all but `2 * maxdist` of them.
        pairs = {rest[i : i + 2] for i in range(len(rest) - 1)}
        needed = len(pairs) - 2 * maxdist
        lengths = range(len(text) - maxdist, len(text) + maxdist + 1)
        groups = self._groups
        keys = (
            [(start[0], length) for length in lengths] if start
            else [key for key in groups if key[1] in lengths]
        )
        for key in keys:
            for word in groups.get(key, ()):
                if not word.startswith(start):
                    continue
                other = word[prefix:]
                if needed > 0 and sum(map(other.__contains__, pairs)) < needed:
                    continue
                edits = _edits_within(rest, other, maxdist)
                if edits <= maxdist:
                    yield -max(edits, 1), word


def _edits_within(a: str, b: str, most: int) -> int:
    """The Levenshtein distance of `a` and `b`, or `most + 1` when it is more than `most`."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other)))
        if min(current) > most:  # (a row's least never falls in the rows below it)
            return most + 1
        previous = current
    return min(previous[-1], most + 1)
