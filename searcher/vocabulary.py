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

    def __init__(self, columns: dict[str, Any] | None = None) -> None:
        # `columns`: what `columns()` gives (and `save` writes), or nothing for none
        words, sections, keys, capitalised, stems = _columns(columns or {})
        # A build counts a few hundred thousand words (`Counter.update` counts a section's set
        # in C); a word's key and stem are worked out when it is first saved, not at each count.
        self._counts: Counter[str] = Counter(dict(zip(words, sections, strict=True)))
        self._keys: dict[str, str] = dict(zip(words, keys, strict=True))
        self._names: Counter[str] = Counter(dict(zip(words, capitalised, strict=True)))
        self._stems: dict[str, str] = dict(zip(words, words, strict=True))
        self._stems.update(stems)

    @classmethod
    def load(cls, build: Path) -> Vocabulary:
        """The vocabulary of a build (empty when it has none)."""
        return cls(_read(build / WORDS_FILE))

    def save(self, build: Path) -> None:
        """Write the vocabulary and the spelling groups atomically."""
        columns = self.columns()
        write_atomically(build / WORDS_FILE, json.dumps(columns, ensure_ascii=False, separators=(",", ":")))
        names = _names(columns)
        groups = _groups(columns, names)
        common: dict[str, list[str]] = {}
        for word, key in zip(columns["words"], columns["keys"], strict=True):
            if key in groups and word not in names:
                common.setdefault(key, []).append(_COMMON + word)
        lines = (
            f"{key}\t{' '.join([*group, *common.get(key, [])])}\n"
            for key, group in sorted(groups.items())
        )
        write_atomically(build / SPELLINGS_FILE, "".join(lines))

    def columns(self) -> dict[str, Any]:
        """Each word in some section, sorted (`words`), and beside it, in lists of the same
        order, the sections that hold it (`sections`), its spelling key (`keys`) and the
        sections that write it with a capital (`capitalised`); `stems`, the stem of each word
        whose stem is not the word. What `save` writes: columns, not an entry a word, read and
        written in half the time. The stems are kept for `_names`: an update would
        otherwise stem every word of the vocabulary again (70 ms on the 112 real articles)."""
        self.stem_words()
        counts, keys, names, stems = self._counts, self._keys, self._names, self._stems
        words = sorted(word for word, count in counts.items() if count > 0)
        for word in words:
            if word not in keys:
                keys[word] = spelling_key(word)
        return {
            "words": words,
            "sections": [counts[word] for word in words],
            "keys": [keys[word] for word in words],
            "capitalised": [max(names[word], 0) for word in words],
            "stems": {word: stem for word in words if (stem := stems[word]) != word},
        }

    def groups(self) -> dict[str, list[str]]:
        """The names (`_groups`) by spelling key, each group sorted."""
        columns = self.columns()
        return _groups(columns, _names(columns))

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
        """Work out the stem of each word counted, as `columns` keeps them: a writer process
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


def _groups(columns: dict[str, Any], names: set[str]) -> dict[str, list[str]]:
    """The `names` of `Vocabulary.columns` (`_names`) by spelling key, in the words' order.
    The key is for the ways a name is written in Latin letters (`Hrytsyak`, `Gritsyak`);
    among common words it joins words that have nothing in common (`Beijing` and `being`,
    `yearly` and `early`)."""
    groups: dict[str, list[str]] = {}
    for word, key in zip(columns["words"], columns["keys"], strict=True):
        if word in names:
            groups.setdefault(key, []).append(word)
    return groups


def _names(columns: dict[str, Any]) -> set[str]:
    """The words of `Vocabulary.columns` that most sections holding them write with a
    capital, but for those whose stem is also a common word's: a spelling is searched as its
    stem, and `Hering` as `here`, `Denis` as the `deni` of `denied`, would find the common
    word."""
    words, stems = columns["words"], columns["stems"]
    is_name = [2 * capitalised > sections
               for sections, capitalised in zip(columns["sections"], columns["capitalised"], strict=True)]
    stemmed = [(word, stems.get(word, word), name) for word, name in zip(words, is_name, strict=True)]
    common = {stem for _, stem, name in stemmed if not name} - {""}
    return {word for word, stem, name in stemmed if name and stem not in common}


def _columns(columns: Any) -> tuple[list[str], list[int], list[str], list[int], dict[str, str]]:
    """The columns of a saved vocabulary (`Vocabulary.columns`); none when they are not all
    there, of one length and of words and counts (a file of another layout, or damaged)."""
    if not isinstance(columns, dict):
        return [], [], [], [], {}
    words, stems = columns.get("words", []), columns.get("stems", {})
    lists = [columns.get(name, []) for name in ("sections", "keys", "capitalised")]
    if not (isinstance(words, list) and isinstance(stems, dict)
            and all(isinstance(column, list) and len(column) == len(words) for column in lists)
            and _all_of(str, words, lists[1], stems.values()) and _all_of(int, lists[0], lists[2])):
        return [], [], [], [], {}
    return words, lists[0], lists[1], lists[2], stems


def _all_of(kind: type, *columns: Iterable[Any]) -> bool:
    """Whether every value of the columns is of the type (a bool, which JSON tells apart, is not
    a count)."""
    return all(set(map(type, column)) <= {kind} for column in columns)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
