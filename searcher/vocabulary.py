"""The index's vocabulary, kept beside it: every word as written (lower-cased, accents
folded, not stemmed), the number of sections that have it, and its spelling-variant key.

Two things need words as written, which the index (of stems) does not hold: suggestions
("did you mean") and spelling variants (`Hrytsyak` finds `Gritsyak`: words that share a
transliteration-aware key, `variants.variant_key`). Indexing every section's text twice more
for them, as fields, tripled the index; these files are a small fraction of it. A build
writes them, each update adjusts them (adding the words of the sections it indexes,
subtracting those of the sections it deletes), and a search reads the small one of spellings
on every query and the whole vocabulary only when it has a word to suggest for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

from .atomic import write_atomically
from .variants import variant_key

WORDS_FILE = "vocabulary.json"
SPELLINGS_FILE = "spellings.json"


class Vocabulary:
    """Words, the number of sections each is in, and their spelling-variant keys."""

    def __init__(self, entries: dict[str, list[Any]] | None = None) -> None:
        self._entries: dict[str, list[Any]] = entries or {}  # word -> [sections, key]

    @classmethod
    def load(cls, build: Path) -> Vocabulary:
        """The vocabulary of a build (empty when it has none)."""
        return cls(_read(build / WORDS_FILE))

    def save(self, build: Path) -> None:
        """Write the vocabulary and the spelling groups atomically."""
        words = {word: entry for word, entry in sorted(self._entries.items()) if entry[0] > 0}
        groups: dict[str, list[str]] = {}
        for word, (_, key) in words.items():
            groups.setdefault(key, []).append(word)
        _write(build / WORDS_FILE, words)
        _write(build / SPELLINGS_FILE, {key: group for key, group in groups.items() if len(group) > 1})

    def add(self, sections: Iterable[set[str]]) -> None:
        """Count the words of sections added to the index (each section's set of words)."""
        for words in sections:
            for word in words:
                entry = self._entries.get(word)
                if entry is None:
                    self._entries[word] = [1, variant_key(word)]
                else:
                    entry[0] += 1

    def remove(self, sections: Iterable[set[str]]) -> None:
        """Uncount the words of sections deleted from the index."""
        for words in sections:
            for word in words:
                if word in self._entries:
                    self._entries[word][0] -= 1

    def frequency(self, word: str) -> int:
        """In how many sections the word stands."""
        entry = self._entries.get(word)
        return max(entry[0], 0) if entry else 0

    @cached_property
    def sorted_words(self) -> list[str]:
        """Every word, sorted (what Whoosh's `ListCorrector` searches)."""
        return sorted(word for word, (count, _) in self._entries.items() if count > 0)


class Spellings:
    """The groups of words that share a spelling-variant key (only groups of two or more)."""

    def __init__(self, groups: dict[str, list[str]]) -> None:
        self._groups = groups

    @classmethod
    def load(cls, build: Path) -> Spellings:
        """The spelling groups of a build (none when it has no file of them)."""
        return cls(_read(build / SPELLINGS_FILE))

    def of(self, key: str) -> list[str]:
        """The words with this key, when more than one has it."""
        return self._groups.get(key, [])


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, Any]) -> None:
    write_atomically(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
