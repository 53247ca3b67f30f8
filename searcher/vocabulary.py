"""The index's vocabulary, kept beside it: every word as written (lower-cased, accents
folded, not stemmed), the number of sections that have it, and its spelling-variant key.

Two things need words as written, which the index (of stems) does not hold: suggestions
("did you mean") and spelling variants (`Hrytsyak` finds `Gritsyak`: words that share a
transliteration-aware key, `variants.spelling_key`). Indexing every section's text twice more
for them, as fields, tripled the index; these files are a small fraction of it. A build
writes them, each update adjusts them (adding the words of the sections it indexes,
subtracting those of the sections it deletes). A search looks up its words' keys in the
spellings file, sorted by key, in place (a binary search of the mapped file: nothing is
loaded), and reads the whole vocabulary only when it has a word to suggest for.
"""

from __future__ import annotations

import json
import mmap
from collections import Counter
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

from .atomic import write_atomically
from .variants import spelling_key
from .words import index_term

WORDS_FILE = "vocabulary.json"
# One line a key that some name has, sorted: the key, a tab, the names that have it, then
# the other words that have it, each after a `~`, separated by spaces.
SPELLINGS_FILE = "spellings.txt"
_COMMON = "~"


class Vocabulary:
    """Words, the number of sections each is in (and writes it with a capital), and their
    spelling-variant keys."""

    def __init__(self, entries: dict[str, list[Any]] | None = None) -> None:
        # word -> [sections, key, sections writing it with a capital, stem] (`entries`)
        entries = entries or {}
        # A build counts a few hundred thousand words (`Counter.update` counts a section's set
        # in C); a word's key and stem are worked out when it is first saved, not at each count.
        self._counts: Counter[str] = Counter({word: entry[0] for word, entry in entries.items()})
        self._keys: dict[str, str] = {word: entry[1] for word, entry in entries.items()}
        self._names: Counter[str] = Counter({word: entry[2] for word, entry in entries.items()})
        self._stems: dict[str, str] = {word: _stem(word, entry) for word, entry in entries.items()}

    @classmethod
    def load(cls, build: Path) -> Vocabulary:
        """The vocabulary of a build (empty when it has none)."""
        return cls(_read(build / WORDS_FILE))

    def save(self, build: Path) -> None:
        """Write the vocabulary and the spelling groups atomically."""
        entries = self.entries()
        write_atomically(build / WORDS_FILE, json.dumps(entries, ensure_ascii=False, separators=(",", ":")))
        names = _names(entries)
        groups = _groups(entries, names)
        common: dict[str, list[str]] = {}
        for word, (_, key, *_) in entries.items():
            if key in groups and word not in names:
                common.setdefault(key, []).append(_COMMON + word)
        lines = (
            f"{key}\t{' '.join([*group, *common.get(key, [])])}\n"
            for key, group in sorted(groups.items())
        )
        write_atomically(build / SPELLINGS_FILE, "".join(lines))

    def entries(self) -> dict[str, list[Any]]:
        """Each word in some section, sorted: `[sections, key, sections writing it with a
        capital]`, then its stem where that is not the word (what `save` writes). The stems
        are kept for `_names`: an update would otherwise stem every word of the vocabulary
        again (70 ms on the 112 real articles)."""
        self.stem_words()
        counts, keys, names, stems = self._counts, self._keys, self._names, self._stems
        entries: dict[str, list[Any]] = {}
        for word in sorted(counts):
            if (count := counts[word]) > 0:
                key = keys.get(word)
                if key is None:
                    key = keys[word] = spelling_key(word)
                entry = entries[word] = [count, key, max(names.get(word, 0), 0)]
                if stems[word] != word:
                    entry.append(stems[word])
        return entries

    def groups(self) -> dict[str, list[str]]:
        """The names (`_groups`) by spelling key, each group sorted."""
        entries = self.entries()
        return _groups(entries, _names(entries))

    def add(self, sections: Iterable[tuple[set[str], set[str]]]) -> None:
        """Count the words of sections added to the index: each section's words, and those
        of them it writes with a capital (`schema.words_of`)."""
        count, name = self._counts.update, self._names.update
        for words, names in sections:
            count(words)
            name(names)

    def include(self, other: Vocabulary) -> None:
        """Count the words another vocabulary counted (a writer process's, handed over as
        it is: sorting its words and working out their keys there, on the way to writing its
        segment, made a build on two cores 3% slower than doing it once here)."""
        self._counts.update(other._counts)
        self._names.update(other._names)
        self._keys.update(other._keys)
        self._stems.update(other._stems)

    def stem_words(self) -> None:
        """Work out the stem of each word counted, as `entries` keeps them: a writer process
        does, where its analysis just stemmed them (a cache look-up each), so that the main
        process need not stem the build's every word anew (75 ms of a build of the 112 real
        articles)."""
        stems = self._stems
        for word in self._counts:
            if word not in stems:
                stems[word] = index_term(word) or ""

    def remove(self, sections: Iterable[tuple[set[str], set[str]]]) -> None:
        """Uncount the words of sections deleted from the index (as `add` counted them)."""
        counts, names = self._counts, self._names
        for words, capitalised in sections:
            for word in words:
                if word in counts:
                    counts[word] -= 1
            for word in capitalised:
                if word in names:
                    names[word] -= 1

    def frequency(self, word: str) -> int:
        """In how many sections the word stands."""
        return max(self._counts.get(word, 0), 0)

    @cached_property
    def sorted_words(self) -> list[str]:
        """Every word, sorted (what Whoosh's `ListCorrector` searches)."""
        return sorted(word for word, count in self._counts.items() if count > 0)


class Spellings:
    """The words of the index by spelling key, looked up in the sorted spellings file."""

    def __init__(self, text: bytes | mmap.mmap) -> None:
        self._text = text

    @classmethod
    def load(cls, build: Path) -> Spellings:
        """The spellings of a build, mapped (none when it has no such file)."""
        try:
            with open(build / SPELLINGS_FILE, "rb") as handle:
                return cls(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        except (OSError, ValueError):  # missing, unreadable, or empty (which mmap refuses)
            return cls(b"")

    def group(self, key: str) -> tuple[list[str], list[str]]:
        """The indexed names whose spelling key is `key` (`Vocabulary.groups`), and the other
        indexed words with that key (when some name has it): one look-up."""
        words = self._line(key)
        return ([word for word in words if not word.startswith(_COMMON)],
                [word[1:] for word in words if word.startswith(_COMMON)])

    def _line(self, key: str) -> list[str]:
        wanted, text = key.encode("utf-8"), self._text
        low, high = 0, len(text)
        while low < high:  # the first line whose key is not below the wanted one
            middle = (low + high) // 2
            start = text.rfind(b"\n", 0, middle) + 1
            if text[start : text.find(b"\t", start)] < wanted:
                end = text.find(b"\n", start)
                low = len(text) if end < 0 else end + 1
            else:
                high = start
        line_end = text.find(b"\n", low)
        line = text[low : len(text) if line_end < 0 else line_end]
        found_key, _, words = line.partition(b"\t")
        return words.decode("utf-8").split() if found_key == wanted else []


def _groups(entries: dict[str, list[Any]], names: set[str]) -> dict[str, list[str]]:
    """The `names` of `Vocabulary.entries` (`_names`) by spelling key, in the entries' order.
    The key is for the ways a name is written in Latin letters (`Hrytsyak`, `Gritsyak`);
    among common words it joins words that have nothing in common (`Beijing` and `being`,
    `yearly` and `early`)."""
    groups: dict[str, list[str]] = {}
    for word, (_, key, *_) in entries.items():
        if word in names:
            groups.setdefault(key, []).append(word)
    return groups


def _names(entries: dict[str, list[Any]]) -> set[str]:
    """The words of `Vocabulary.entries` that most sections holding them write with a
    capital (`_is_name`), but for those whose stem is also a common word's: a spelling is
    searched as its stem, and `Hering` as `here`, `Denis` as the `deni` of `denied`, would
    find the common word."""
    name = {word: _is_name(entry[0], entry[2]) for word, entry in entries.items()}
    common = {_stem(word, entries[word]) for word, is_name in name.items() if not is_name} - {""}
    return {word for word, is_name in name.items() if is_name and _stem(word, entries[word]) not in common}


def _stem(word: str, entry: list[Any]) -> str:
    """A word's stem, as its entry keeps it (`Vocabulary.entries`; "" for a stop word)."""
    return entry[3] if len(entry) > 3 else word


def _is_name(sections: int, capitalised: int) -> bool:
    """Whether a word is a name: most of the sections that hold it write it with a capital."""
    return 2 * capitalised > sections


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
