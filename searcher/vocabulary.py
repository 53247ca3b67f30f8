"""The index's vocabulary, kept beside it: every word as written (lower-cased, accents
folded, not stemmed), the number of sections that have it, and its spelling-variant key.

Two things need words as written, which the index (of stems) does not hold: suggestions
("did you mean") and spelling variants (`Hrytsyak` finds `Gritsyak`: words that share a
transliteration-aware key, `variants.spelling_key`). Indexing every section's text twice more
for them, as fields, tripled the index; these files are a small fraction of it. A build
writes them, each update adjusts them (adding the words of the sections it indexes,
subtracting those of the sections it deletes): only the lines of the spellings file whose keys
the words it counted differently may change are worked out again, from the saved columns and
the counts changed since. A search
looks up its words' keys in the spellings file, sorted by key, in place (a binary search of the
mapped file: nothing is loaded), and reads the vocabulary's words and their counts (not its
other columns) only when it has a word to suggest for.

An update does not write the columns again (a megabyte on a corpus of 2,250 files, 40 ms of
each one-file update): it writes the counts changed since they were (`CHANGES_FILE`), until
those are a tenth of the words.
"""

from __future__ import annotations

import json
import mmap
import re
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from functools import cached_property
from itertools import pairwise, starmap
from operator import lt
from pathlib import Path
from typing import Any, NamedTuple

from .atomic import write_atomically
from .variants import spelling_key
from .words import index_term

WORDS_FILE = "vocabulary.json"
# One line a key that some name has, sorted: the key, a tab, the names that have it, then
# the other words that have it, each after a `~`, separated by spaces.
SPELLINGS_FILE = "spellings.txt"
_COMMON = "~"
# The stems column's line for a word that is its own stem.
_OWN_STEM = "="
# A line of a column of lines (a word: none is empty).
_LINE = re.compile(r"[^\n]+")
# The counts changed since the vocabulary file was written (words gained or lost, in sections
# and in sections that write them with a capital), and the checksum of the spellings file
# written with them.
CHANGES_FILE = "vocabulary-changes.json"
# Changes of more words than this share of the saved ones are saved in the vocabulary file.
_MOST_CHANGES = 0.1
# Where the vocabulary file and the changes file keep the checksum of the spellings file
# written with them, and where the changes file keeps the checksum of the vocabulary file it
# changes (a changes file left by a crash before the vocabulary file was written anew, or by a
# rebuild, is of another).
_SPELLINGS_CHECKSUM = "spellings_crc32"
_BASE = "words_crc32"


class _Columns(NamedTuple):
    """A vocabulary's columns (`Vocabulary.columns`) as lists, its words sorted."""

    words: list[str]
    sections: list[int]
    keys: list[str]
    capitalised: list[int]
    stems: dict[str, str]


class _Saved:
    """The columns of a saved vocabulary as `Vocabulary.columns` stores them (none when they
    are damaged or of another layout), each column of lines split when first used: a search
    needs only the words, as lines, and their counts (splitting the words made 25,000 strings
    on the 112 real articles, and splitting every column left 2.4 MB more in its process),
    until an update saves changed counts (`CHANGES_FILE`): the words are split to find the
    changed ones, until the next build or the next time the columns are saved whole."""

    def __init__(self, stored: Any) -> None:
        self.sections: list[int] = []  # (none: no words)
        self.capitalised: list[int] = []
        self.text = ""  # the words, a line each
        self._stored: dict[str, Any] = {}
        if _well_formed(stored):
            self.sections, self.capitalised = stored["sections"], stored["capitalised"]
            self.text, self._stored = stored["words"], stored

    @cached_property
    def words(self) -> list[str]:
        return _lines(self.text, len(self.sections))

    @cached_property
    def keys(self) -> list[str]:
        return _lines(self._stored.get("keys", ""), len(self.sections))

    @cached_property
    def stems(self) -> dict[str, str]:
        stems = _lines(self._stored.get("stems", ""), len(self.sections))
        return {word: stem for word, stem in zip(self.words, stems, strict=True) if stem != _OWN_STEM}

    def position(self, word: str) -> int | None:
        """Where a word is among `words`, if it is there."""
        at = bisect_left(self.words, word)
        return at if at < len(self.words) and self.words[at] == word else None

    def stem(self, word: str) -> str:
        return self.stems.get(word, word)

    def with_stems(self, stems: Collection[str]) -> list[int]:
        """The positions of the words whose stem is one of `stems`: those `self.stems` lists,
        and the words that are their own stem."""
        found = [self.position(word) for word, stem in self.stems.items() if stem in stems]
        found += [self.position(stem) for stem in stems if stem not in self.stems]
        return sorted(at for at in found if at is not None)


class Vocabulary:
    """Words, the number of sections each is in (and writes it with a capital), and their
    spelling-variant keys: the columns a build saved, and the counts changed since.

    The saved columns are kept as they were read, what changes is counted apart: an update
    works out again only the words it counted (on the 112 real articles, a dictionary a word
    took 20 ms to make at each load, a sort of every word 30 ms at each save, and the
    spelling groups 40 ms)."""

    def __init__(self, columns: dict[str, Any] | None = None) -> None:
        # `columns`: what `columns()` gives (and `save` writes), or nothing for none
        self._saved = _Saved(columns or {})
        # A build counts a few hundred thousand words (`Counter.update` counts a section's set
        # in C); a word's key and stem are worked out when it is first saved, not at each count.
        self._counts: Counter[str] = Counter()  # sections gained (lost: below 0) since saved
        self._names: Counter[str] = Counter()  # sections writing it with a capital, the same
        self._keys: dict[str, str] = {}  # the spelling keys of words not saved
        self._stems: dict[str, str] = {}  # the stems of words not saved
        # The checksum of the spellings file saved with the columns (or with the changes
        # loaded), and the build they were loaded from (`load`): its spellings file is theirs
        # if its checksum is that one.
        checksum = (columns or {}).get(_SPELLINGS_CHECKSUM)
        self._checksum = checksum if self._saved.sections and type(checksum) is int else None
        self._loaded_from: Path | None = None
        self._base: int | None = None  # the checksum of the vocabulary file loaded
        # The changes loaded with it, which its spellings file has too.
        self._loaded_counts: dict[str, int] = {}
        self._loaded_names: dict[str, int] = {}

    @classmethod
    def load(cls, build: Path) -> Vocabulary:
        """The vocabulary of a build, with the changes saved since (empty when it has none)."""
        words = _read(build / WORDS_FILE)
        loaded = cls(_json_object(words))
        loaded._loaded_from = build
        loaded._base = zlib.crc32(words) if loaded._saved.sections else None
        changes = _json_object(_read(build / CHANGES_FILE))
        counts, names = changes.get("counts"), changes.get("names")
        if (loaded._base is not None and changes.get(_BASE) == loaded._base
                and isinstance(counts, dict) and isinstance(names, dict)
                and _all_of(int, counts.values(), names.values())):
            loaded._counts.update(counts)
            loaded._names.update(names)
            loaded._loaded_counts, loaded._loaded_names = counts, names
            checksum = changes.get(_SPELLINGS_CHECKSUM)
            loaded._checksum = checksum if type(checksum) is int else None
        return loaded

    def save(self, build: Path) -> None:
        """Write the spelling groups, then the vocabulary with their checksum, each atomically:
        the counts changed since it was loaded from `build`, while they are few, else whole.

        The groups of a vocabulary loaded from `build` are those of its spellings file but for
        the keys its counts since may change (`_changed_spellings`), when the file is the one
        saved with it (its checksum tells; after a crash between the two writes, it is not).
        The columns are merged with the counts only to be saved whole."""
        columns = None
        spellings = self._patched_spellings(build)
        if spellings is None:
            columns = self._merged()
            lines = _spelling_lines(_spelling_groups(columns))
            spellings = "".join(line for _, line in sorted(lines.items()))
        write_atomically(build / SPELLINGS_FILE, spellings)
        checksum = zlib.crc32(spellings.encode("utf-8"))
        if self._base is not None and self._loaded_from == build:  # (not a build's: all is new)
            counts = {word: change for word, change in self._counts.items() if change}
            if len(counts) <= _MOST_CHANGES * len(self._saved.sections):
                names = {word: change for word, change in self._names.items() if change}
                changes = {_BASE: self._base, "counts": counts, "names": names, _SPELLINGS_CHECKSUM: checksum}
                write_atomically(build / CHANGES_FILE, _compact_json(changes))
                return
        stored = _stored(self._merged() if columns is None else columns)
        write_atomically(build / WORDS_FILE, _compact_json({**stored, _SPELLINGS_CHECKSUM: checksum}))
        (build / CHANGES_FILE).unlink(missing_ok=True)  # (of the columns replaced)
        self._base = None  # (the columns loaded are not those saved)

    def _patched_spellings(self, build: Path) -> str | None:
        """The spellings file of the vocabulary made from the one `build` holds, if that is
        the one saved with the columns and changes loaded (else None)."""
        if self._checksum is None or self._loaded_from != build:
            return None
        try:
            text = (build / SPELLINGS_FILE).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None
        if zlib.crc32(text.encode("utf-8")) != self._checksum:
            return None
        changed, changed_lines = self._changed_spellings()
        if not changed:
            return text
        lines = text.splitlines(keepends=True)
        keys = [line[: line.index("\t")] for line in lines]  # (sorted, as the lines are)
        for key in changed:
            at = bisect_left(keys, key)
            if at < len(keys) and keys[at] == key:
                del keys[at], lines[at]
        for key, line in changed_lines.items():
            at = bisect_left(keys, key)
            keys.insert(at, key)
            lines.insert(at, line)
        return "".join(lines)

    def _changed_spellings(self) -> tuple[set[str], dict[str, str]]:
        """The spelling keys whose groups may differ from those of the spellings file loaded,
        and the lines of those that have a group now: the keys of every word that shares a
        stem with a word counted differently since it was saved (whether a word is a name
        depends on the words of its stem). Worked out from the saved columns and the counts,
        without merging them (`columns`)."""
        self.stem_words()
        saved, counts, names = self._saved, self._counts, self._names
        differing = [word for word in counts.keys() | names.keys()
                     if counts[word] != self._loaded_counts.get(word, 0)
                     or names[word] != self._loaded_names.get(word, 0)]
        stems = {self._stem(word) for word in differing}
        unsaved = [word for word in counts if saved.position(word) is None]
        changed = {saved.keys[at] for at in saved.with_stems(stems)}
        changed |= {self._new_key(word) for word in unsaved if self._stem(word) in stems}
        new = [word for word in unsaved if counts[word] > 0]
        chosen = [self._saved_word(at) for at, key in enumerate(saved.keys) if key in changed]
        chosen += [self._new_word(word) for word in new if self._new_key(word) in changed]
        now = sorted(_held(chosen))
        kin_stems = {stem for _, _, stem, _, _ in now}
        kin = [self._saved_word(at) for at in saved.with_stems(kin_stems)]
        kin += [self._new_word(word) for word in new if self._stem(word) in kin_stems]
        return changed, _spelling_lines(_named_groups(now, _common_stems(_held(kin))))

    def _stem(self, word: str) -> str:
        """A word's stem (`stem_words` worked out those of the words not saved)."""
        return self._stems[word] if word in self._stems else self._saved.stem(word)

    def _new_key(self, word: str) -> str:
        """The spelling key of a word the saved columns lack, worked out once."""
        if word not in self._keys:
            self._keys[word] = spelling_key(word)
        return self._keys[word]

    def _saved_word(self, at: int) -> _Word:
        """The saved word at `at`, counted as it is now."""
        saved = self._saved
        word = saved.words[at]
        return (word, saved.keys[at], saved.stem(word), saved.sections[at] + self._counts.get(word, 0),
                max(saved.capitalised[at] + self._names.get(word, 0), 0))

    def _new_word(self, word: str) -> _Word:
        """A word counted since the columns were saved, that they do not have."""
        return (word, self._new_key(word), self._stems[word], self._counts[word], max(self._names[word], 0))

    def columns(self) -> dict[str, Any]:
        """What `save` writes (and the constructor takes): each word in some section, sorted,
        one a line (`words`), and beside it, in columns of the same order, the sections that
        hold it (`sections`), its spelling key (`keys`, a line each) and the sections that
        write it with a capital (`capitalised`); `stems`, a line each, the word's stem (`=`
        for the word itself). Columns, not an entry a word, and lines, not a list of strings:
        parsed in two fifths of the time (3.2 against 7.9 ms on the 112 real articles), and a
        search splits none of them while no changed counts are saved beside them. The stems are kept
        for the spelling groups: an update would otherwise stem every word of the vocabulary
        again (70 ms on the 112 real articles)."""
        return _stored(self._merged())

    def counted(self) -> tuple[str, list[int]]:
        """Every word, sorted, a line each, and the number of sections that hold each (what
        `suggest.ListWords` searches): the `columns` a search needs, with no other, the words
        as saved while no word was added or lost since."""
        saved, counts = self._saved, self._counts
        if not saved.sections:
            words = self._new_words()
            return "\n".join(words), [counts[word] for word in words]
        if not any(counts.values()):
            return saved.text, saved.sections
        sections, changes = self._changes()
        if not changes:
            return saved.text, sections
        words, sections = _spliced([saved.words, sections], changes, lambda word: (word, counts[word]))
        return "\n".join(words), sections

    def _merged(self) -> _Columns:
        """The saved columns with the counts changed since (`columns`, as lists)."""
        self.stem_words()
        saved, counts, names, stems = self._saved, self._counts, self._names, self._stems
        if not saved.sections:  # (a build's: every word is new, none to splice in)
            words = self._new_words()
            return _Columns(words, [counts[word] for word in words], [self._new_key(word) for word in words],
                            [max(names[word], 0) for word in words],
                            {word: stem for word in words if (stem := stems[word]) != word})
        sections, changes = self._changes()
        capitalised = saved.capitalised.copy()
        for word, change in names.items():
            if (at := saved.position(word)) is not None:
                capitalised[at] = max(capitalised[at] + change, 0)
        if not changes:
            return _Columns(saved.words, sections, saved.keys, capitalised, saved.stems)
        merged = _spliced(
            [saved.words, sections, saved.keys, capitalised], changes,
            lambda word: (word, counts[word], self._new_key(word), max(names[word], 0)),
        )
        dropped = {word for _, gone, word in changes if gone}
        kept_stems = {word: stem for word, stem in saved.stems.items() if word not in dropped}
        kept_stems.update((word, stems[word]) for _, gone, word in changes
                          if not gone and stems[word] != word)
        words, sections, keys, capitalised = merged
        return _Columns(words, sections, keys, capitalised, kept_stems)

    def _new_words(self) -> list[str]:
        """The words counted in some section, sorted: every word of a vocabulary that has no
        saved columns."""
        return sorted(word for word, count in self._counts.items() if count > 0)

    def _changes(self) -> tuple[list[int], list[tuple[int, bool, str]]]:
        """The saved counts of sections with the changes since, and where the saved words
        change, in order: a word gone (no section left) at its place, a new one before the
        saved word it sorts before (`_spliced`)."""
        saved = self._saved
        sections = saved.sections.copy()
        changes: list[tuple[int, bool, str]] = []
        for word, change in self._counts.items():
            at = saved.position(word)
            if at is not None:
                sections[at] += change
                if sections[at] <= 0:
                    changes.append((at, True, word))
            elif change > 0:
                changes.append((bisect_left(saved.words, word), False, word))
        return sections, sorted(changes)

    def groups(self) -> dict[str, list[str]]:
        """The names (`_spelling_groups`) by spelling key, each group sorted."""
        return {key: names for key, (names, _) in _spelling_groups(self._merged()).items()}

    def add(self, sections: Iterable[tuple[set[str], set[str]]]) -> None:
        """Count the words of sections added to the index: each section's words, and those
        of them it writes with a capital (`schema.words_of`)."""
        count, name = self._counts.update, self._names.update
        for words, names in sections:
            count(words)
            name(names)

    def include(self, other: Vocabulary) -> None:
        """Count the words another vocabulary counted since it was saved (a writer process's,
        which saved none, handed over as it is: sorting its words and working out their keys
        there, on the way to writing its segment, made a build on two cores 3% slower than
        doing it once here)."""
        self._counts.update(other._counts)
        self._names.update(other._names)
        self._keys.update(other._keys)
        self._stems.update(other._stems)

    def stem_words(self) -> None:
        """Work out the stem of each word counted that is not saved, as `columns` keeps them:
        a writer process does, where its analysis just stemmed them (a cache look-up each),
        so that the main process need not stem the build's every word anew (75 ms of a build
        of the 112 real articles)."""
        saved, stems = self._saved, self._stems
        for word in self._counts:
            if word not in stems and (not saved.sections or saved.position(word) is None):
                stems[word] = index_term(word) or ""

    def remove(self, sections: Iterable[tuple[set[str], set[str]]]) -> None:
        """Uncount the words of sections deleted from the index (as `add` counted them)."""
        counts, names, saved = self._counts, self._names, self._saved
        for words, capitalised in sections:
            for word in words:
                if word in counts or saved.position(word) is not None:
                    counts[word] -= 1
            for word in capitalised:
                if word in names or saved.position(word) is not None:
                    names[word] -= 1


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


# A word as the spelling groups see it: the word, its key, its stem, the sections that have
# it and those that write it with a capital. (Tuples: as NamedTuples, the groups of a whole
# vocabulary took twice as long to work out.)
_Word = tuple[str, str, str, int, int]


def _held(words: Iterable[_Word]) -> list[_Word]:
    """The words of `words` that some section has."""
    return [word for word in words if word[3] > 0]  # (its sections)


def _spelling_groups(columns: _Columns) -> dict[str, tuple[list[str], list[str]]]:
    """The spelling groups of the words of `columns` (`_named_groups`)."""
    stems = [columns.stems.get(word, word) for word in columns.words]
    words = list(zip(columns.words, columns.keys, stems, columns.sections, columns.capitalised, strict=True))
    return _named_groups(words, _common_stems(words))


def _common_stems(words: Iterable[_Word]) -> set[str]:
    """The stems that some of `words` that most sections write in lower case have."""
    return {stem for _, _, stem, sections, capitalised in words if stem and not 2 * capitalised > sections}


def _named_groups(words: list[_Word], common: set[str]) -> dict[str, tuple[list[str], list[str]]]:
    """The spelling keys some name of `words` (sorted) has, each with its names and its other
    words, in the words' order; `common`, the stems of common words (`_common_stems`) of every
    word that shares a stem with one of `words`.

    A name is a word that most sections holding it write with a capital, but for those whose
    stem is also a common word's: a spelling is searched as its stem, and `Hering` as `here`,
    `Denis` as the `deni` of `denied`, would find the common word. The key is for the ways a
    name is written in Latin letters (`Hrytsyak`, `Gritsyak`); among common words it joins
    words that have nothing in common (`Beijing` and `being`, `yearly` and `early`). A number
    counts as a name where a name shares its key: a Roman numeral's (`2` of `II`)."""

    def named(stem: str, sections: int, capitalised: int) -> bool:  # (as `_common_stems` tells)
        return 2 * capitalised > sections and stem not in common

    keys = {key for _, key, stem, sections, capitalised in words if named(stem, sections, capitalised)}
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for word, key, stem, sections, capitalised in words:
        if key in keys:
            name = named(stem, sections, capitalised) or word.isdigit()
            groups.setdefault(key, ([], []))[0 if name else 1].append(word)
    return groups


def _spelling_lines(groups: dict[str, tuple[list[str], list[str]]]) -> dict[str, str]:
    """The lines of the spellings file by key, of the groups (`_named_groups`)."""
    return {
        key: f"{key}\t{' '.join([*names, *(_COMMON + word for word in others)])}\n"
        for key, (names, others) in groups.items()
    }


def _spliced(columns: list[list[Any]], changes: list[tuple[int, bool, str]],
             row: Callable[[str], tuple[Any, ...]]) -> list[list[Any]]:
    """The columns with the changes (`Vocabulary._changes`) made: each word gone left out, each
    new one's `row` put in; the rows between are copied whole."""
    spliced: list[list[Any]] = [[] for _ in columns]
    start = 0
    for at, gone, word in changes:
        for column, source in zip(spliced, columns, strict=True):
            column += source[start:at]
        start = at + 1 if gone else at
        if not gone:
            for column, value in zip(spliced, row(word), strict=True):
                column.append(value)
    for column, source in zip(spliced, columns, strict=True):
        column += source[start:]
    return spliced


def _stored(columns: _Columns) -> dict[str, Any]:
    """The columns as `Vocabulary.columns` stores them."""
    stems = columns.stems
    return {"words": "\n".join(columns.words), "sections": columns.sections, "keys": "\n".join(columns.keys),
            "capitalised": columns.capitalised,
            "stems": "\n".join(stems.get(word, _OWN_STEM) for word in columns.words)}


def _well_formed(stored: Any) -> bool:
    """Whether stored columns (`Vocabulary.columns`) are all there, of one length, of words
    (sorted) and counts (none below 0): not a file of another layout, or damaged. The words
    are compared a pair at a time, not split."""
    if not isinstance(stored, dict):
        return False
    lines: list[Any] = [stored.get(name) for name in ("words", "keys", "stems")]
    counts: list[Any] = [stored.get(name) for name in ("sections", "capitalised")]
    if not (_all_of(str, lines) and _all_of(list, counts) and _all_of(int, *counts)
            and all(min(column, default=0) >= 0 for column in counts)):
        return False
    rows = lines[0].count("\n") + 1 if lines[0] else 0
    return (all(text.count("\n") + 1 == rows for text in lines[1:])
            and all(len(column) == rows for column in counts)
            and all(starmap(lt, pairwise(match[0] for match in _LINE.finditer(lines[0])))))


def _lines(text: str, count: int) -> list[str]:
    """The `count` lines of a column stored as lines (none: an empty text)."""
    return text.split("\n") if count else []


def _all_of(kind: type, *columns: Iterable[Any]) -> bool:
    """Whether every value of the columns is of the type (a bool, which JSON tells apart, is not
    a count)."""
    return all(set(map(type, column)) <= {kind} for column in columns)


def _compact_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _json_object(text: bytes) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
