"""What the documents an index still holds say of a term.

Whoosh's term statistics and word lists (`frequency`, `doc_frequency`, `lexicon`,
`(field, term) in reader`) also count the documents an update deleted, until their segment
is merged away; its postings leave them out. After an incremental update these read the
postings, so what a search decides from them (a field's kind, a value named whole, a word
the index holds, the rarer word a passage shows) is what a rebuild of the corpus would decide,
and its hits score as a rebuild scores them, but for a rounding (`HeldBM25F`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from whoosh import scoring
from whoosh.reading import IndexReader

if TYPE_CHECKING:  # (an update reads and writes: it loads no searcher, nor Whoosh's queries)
    from whoosh.searching import Searcher

# A reader's counts of documents not deleted, by term (`doc_frequency`).
_DOC_FREQUENCIES: WeakKeyDictionary[IndexReader, dict[tuple[str, str], int]] = WeakKeyDictionary()


def holds(reader: IndexReader, fieldname: str, text: str | bytes) -> bool:
    """Whether a document not deleted has the term."""
    if (fieldname, text) not in reader:  # type: ignore[operator]  # (Whoosh's readers support `in`)
        return False
    return not reader.has_deletions() or reader.postings(fieldname, text).is_active()


def held(reader: IndexReader, fieldname: str, texts: Iterable[str]) -> list[str]:
    """The terms of `texts` that a document not deleted has (all, when none is deleted)."""
    if not reader.has_deletions():
        return list(texts)
    return [text for text in texts if holds(reader, fieldname, text)]


def unheld(reader: IndexReader, fieldname: str, candidates: Iterable[str] | None = None) -> list[str]:
    """The terms of the field's word list, or of `candidates` (the terms of the documents
    deleted), that only deleted documents have (none, when none is deleted)."""
    if not reader.has_deletions():
        return []
    terms = (term.decode() for term in reader.lexicon(fieldname)) if candidates is None else candidates
    return sorted({term for term in terms if not holds(reader, fieldname, term)})


def frequency(reader: IndexReader, fieldname: str, text: str) -> float:
    """The term's total weight (how often it stands) in the documents not deleted."""
    if not reader.has_deletions():
        return reader.frequency(fieldname, text)
    if (fieldname, text) not in reader:  # type: ignore[operator]
        return 0.0
    matcher, total = reader.postings(fieldname, text), 0.0
    while matcher.is_active():
        total += matcher.weight()
        matcher.next()
    return total


def doc_frequency(reader: IndexReader, fieldname: str, text: str) -> int:
    """How many documents not deleted have the term: counted in its postings once a reader
    (a reader's index does not change), since scoring and passages ask at every search."""
    if not reader.has_deletions():
        return reader.doc_frequency(fieldname, text)
    counted = _DOC_FREQUENCIES.setdefault(reader, {})
    if (fieldname, text) not in counted:
        held = (fieldname, text) in reader  # type: ignore[operator]
        counted[fieldname, text] = sum(1 for _ in reader.postings(fieldname, text).all_ids()) if held else 0
    return counted[fieldname, text]


def scoring_of(reader: IndexReader) -> scoring.WeightingModel:
    """The ranking of a searcher of `reader`: Whoosh's BM25F, or, where an update deleted
    documents, `HeldBM25F`, which scores as a rebuild of the corpus would."""
    return HeldBM25F() if reader.has_deletions() else scoring.BM25F()


class HeldBM25F(scoring.BM25F):
    """Whoosh's BM25F, scored by what the documents not deleted hold: how many there are, how
    many have the term, and their average length in the field. Whoosh's own statistics count
    the documents an update deleted, so an updated index ranked its hits otherwise than a
    rebuild of the corpus. One per Whoosh searcher of a reader with deleted documents: it
    keeps what it read of the index."""

    def __init__(self) -> None:
        super().__init__()
        self._deleted: list[tuple[IndexReader, list[int]]] | None = None
        self._average_lengths: dict[str, float] = {}

    def idf(self, searcher: Searcher, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        return math.log(parent.doc_count() / (doc_frequency(parent.reader(), fieldname, text) + 1)) + 1

    def scorer(self, searcher: Searcher, fieldname: str, text: str, qf: int = 1) -> scoring.BaseScorer:
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, scoring.BM25FScorer):
            scorer.avgfl = self._average_length(searcher.get_parent(), fieldname) or 1
        return scorer

    def _average_length(self, searcher: Searcher, fieldname: str) -> float:
        """The field's length in the documents not deleted, on average: Whoosh's total less
        the lengths of the deleted documents, as the length column keeps them (a long one
        rounded, by up to 3%: so the average is a rebuild's within a few in 10,000)."""
        if fieldname not in self._average_lengths:
            if self._deleted is None:
                self._deleted = [
                    (leaf, [docnum for docnum in range(leaf.doc_count_all()) if leaf.is_deleted(docnum)])
                    for leaf, _ in searcher.reader().leaf_readers() if leaf.has_deletions()
                ]
            deleted = sum(
                leaf.doc_field_length(docnum, fieldname) or 0  # (Whoosh's None: no length)
                for leaf, docnums in self._deleted for docnum in docnums
            )
            total = searcher.field_length(fieldname) - deleted
            self._average_lengths[fieldname] = total / (searcher.doc_count() or 1)
        return self._average_lengths[fieldname]
