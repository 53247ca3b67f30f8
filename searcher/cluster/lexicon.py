"""The words of a collection, as suggestions and the close-spelling retry need them.

Typesense holds stems and gives no list of its words, so the words as written come from the
vocabulary kept beside the collection (sync.py), read when first needed: their counts and
close words for "did you mean" (`suggest.suggestion`), and their stems, searchable by
spelling and by spelling-variant key, for the retry (as `rewrite.tolerant` widens words, with
the stems of the words close to one).
Whether a word is known, and how many sections hold a stem, is asked of the collection itself.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import cached_property, partial
from itertools import islice, takewhile

from ..rewrite import MAX_EXPANSION, stems_close_as_typed, typed_stems, typo_edits
from ..schema import word_analyzer
from ..suggest import ListWords, typos_of
from ..typos import CloseWords
from ..variants import spelling_key, transpositions
from ..vocabulary import Vocabulary
from ..words import index_term
from .documents import words
from .sync import synonym_sets

_FOLD = word_analyzer()

# Stems of the words close to a stem's words as typed: `rewrite.typed_stems`, `stems_close_as_typed`.
_AsTyped = Callable[[str, Collection[str], Callable[[str], Mapping[str, int]]], "set[str] | None"]


class Lexicon:
    """The `suggest.Vocabulary` of a collection, and its stems for the typo retry.

    `load` reads the vocabulary; `finds` tells whether a search for some stems finds a
    section (asked once a word); `count`, how many sections hold each of some stems, counted
    in each text field (asked once a stem)."""

    def __init__(
        self,
        load: Callable[[], Vocabulary],
        finds: Callable[[list[str]], bool],
        count: Callable[[list[str]], list[int]],
    ) -> None:
        self._load = load
        self._finds = finds
        self._count = count
        self._known: dict[str, bool] = {}
        self._held: dict[str, int] = {}
        self._typed: dict[tuple[_AsTyped, str, frozenset[str]], set[str] | None] = {}

    @cached_property
    def _vocabulary(self) -> Vocabulary:
        return self._load()

    @cached_property
    def _counted(self) -> tuple[str, list[int]]:
        """The words as written, a line each, and the sections holding each (`counted`)."""
        return self._vocabulary.counted()

    @cached_property
    def _counts(self) -> ListWords:
        return ListWords(*self._counted)

    @cached_property
    def _synonyms(self) -> dict[str, set[str]]:
        """The stems of each synonym set (`sync.synonym_sets`), by each of its stems."""
        found: dict[str, set[str]] = {}
        for stems in synonym_sets(self._vocabulary).values():
            for stem in stems:
                found.setdefault(stem, set()).update(stems)
        return found

    def fold(self, word: str) -> str | None:
        return next((token.text for token in _FOLD(word)), None)

    def frequency(self, word: str) -> int:
        return self._counts.frequency(word)

    def close(self, word: str, maxdist: int) -> Iterable[str]:
        return self._counts.close(word, maxdist)

    def knows(self, word: str) -> bool:
        if word not in self._known:
            stems = words(word)
            self._known[word] = not stems or self._finds(stems)
        return self._known[word]

    def sections(self, stems: list[str]) -> list[int]:
        """How many sections hold each stem, counted in each text field (as the Whoosh
        engine's retry counts a word: `rewrite.CloseSpellings`)."""
        wanted = [stem for stem in dict.fromkeys(stems) if stem not in self._held]
        if wanted:
            self._held.update(zip(wanted, self._count(wanted), strict=True))
        return [self._held[stem] for stem in stems]

    @cached_property
    def _sorted_stems(self) -> list[str]:
        written, _ = self._counted
        return sorted({stem for word in written.split("\n") for stem in words(word)})

    @cached_property
    def _stems(self) -> tuple[CloseWords, set[str], dict[str, list[str]]]:
        """The stems of the words, searchable by spelling, as a set, and by spelling key."""
        stems = self._sorted_stems
        keys: dict[str, list[str]] = {}
        for stem in stems:
            keys.setdefault(spelling_key(stem), []).append(stem)
        return CloseWords("\n".join(stems)), set(stems), keys

    def completions(self, prefix: str) -> list[str]:
        """The stems of the collection that start with `prefix` (what `amnest*` matched), at
        most `MAX_EXPANSION`."""
        stems = self._sorted_stems
        start = bisect_left(stems, prefix)
        following = islice(stems, start, start + MAX_EXPANSION)
        return list(takewhile(lambda stem: stem.startswith(prefix), following))

    def close_stems(self, stem: str, typed: Collection[str] = ()) -> list[str]:
        """The stem and the indexed stems one or two edits (or a swap) away, as
        `rewrite.CloseSpellings`'s: for a stem no word of the collection has, the stems of the
        words close to the words of `typed` (folded words) that have it, as typed (`meant`),
        and no others; for a stem the collection has, typed so, only those of its close stems
        (`rewrite.stems_close_as_typed`)."""
        corrector, every, _ = self._stems
        if stem not in every:
            return [stem, *sorted(self.meant(stem, typed))]
        close = set(corrector.suggest(stem, limit=MAX_EXPANSION, maxdist=typo_edits(stem), prefix=1))
        close |= transpositions(stem) & every
        if close - {stem} and (as_typed := self._as_typed(stems_close_as_typed, stem, typed)) is not None:
            close &= as_typed
        return [stem, *sorted(close - {stem})]

    def lacks(self, stem: str) -> bool:
        """Whether no word of the collection has the stem: it is then retried only as the
        words close to it as typed (`close_stems`), which Typesense's typos (of the stem) would
        not keep to."""
        return stem not in self._stems[1]

    def meant(self, stem: str, typed: Collection[str]) -> set[str]:
        """The stems of the words that a word of `typed` whose stem is `stem` is nearest a
        typo of (`rewrite.typed_stems`), worked out once for a stem and its typed words: a
        retry asks for them word by word, and again to choose how to ask for the word."""
        return self._as_typed(typed_stems, stem, typed) or set()

    def _as_typed(self, stems: _AsTyped, stem: str, typed: Collection[str]) -> set[str] | None:
        """`stems` (`rewrite.typed_stems` or `stems_close_as_typed`) of a stem and the words of
        `typed` whose stem it is, worked out once for them."""
        key = (stems, stem, frozenset(word for word in typed if index_term(word) == stem))
        if key not in self._typed:
            self._typed[key] = stems(stem, key[2], partial(typos_of, self._counts))
        return self._typed[key]

    @cached_property
    def _names(self) -> dict[str, list[str]]:
        """The stems of the collection's names (`Vocabulary.groups`) by spelling key."""
        return {key: sorted({stem for word in group for stem in words(word)})
                for key, group in self._vocabulary.groups().items()}

    def respelled(self, stem: str) -> str:
        """The stem, or for one no word of the collection has, a stem of a name of the
        collection that shares its spelling-variant key (`schamajew`: `shamaev`; `sttar` is
        no `star`, a common word): the collection's synonyms find the other spellings from
        it, as the Whoosh engine finds every name of a key."""
        if stem in self._stems[1]:
            return stem
        return next(iter(self._names.get(spelling_key(stem), ())), stem)

    def spellings(self, stem: str) -> list[str]:
        """The stem and the stems the collection's synonyms match for it (of `respelled`, for
        a stem no word of the collection has): where Typesense applies no synonyms, in a filter
        or an excluded word, these are the spellings the Whoosh engine matches."""
        held = self.respelled(stem)
        return [stem, *sorted(({held} | self._synonyms.get(held, set())) - {stem})]

    def variants(self, stem: str) -> list[str]:
        """The indexed stems that share the stem's spelling-variant key (not the stem)."""
        return [other for other in self._stems[2].get(spelling_key(stem), []) if other != stem]
