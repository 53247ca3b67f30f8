"""Where a query's words stand in each hit's text, read from the index's postings.

The `body` and `variants` fields store each occurrence's character offsets, so the words to
mark in a hit are found without analysing its text again: one postings lookup per term per
search, not a pass over every word of every hit.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from whoosh.reading import IndexReader

from .live import doc_frequency


class Occurrence(NamedTuple):
    """One occurrence of an indexed term in a document: its position, characters, and how
    rare the term is (its inverse document frequency)."""

    pos: int
    startchar: int
    endchar: int
    term: str
    weight: float


class Mark(NamedTuple):
    """A span of text to mark: one word, or a whole phrase; rarer words weigh more when the
    best passage is chosen."""

    startchar: int
    endchar: int
    text: str
    weight: float


def occurrences(
    reader: IndexReader, fieldname: str, terms: Iterable[str], docnums: Collection[int]
) -> dict[int, list[Occurrence]]:
    """Each document's occurrences of `terms` in `fieldname`, in text order.

    Each segment is read apart, and only for the documents it holds: a term is looked up in
    a segment with some of them (Whoosh's reader of several segments looks each term up in
    every one, and again for each question about it)."""
    found: dict[int, list[Occurrence]] = {docnum: [] for docnum in docnums}
    wanted = sorted(docnums)
    segments = []  # (reader, the wanted documents it holds, by its own numbers, and the offset)
    for leaf, offset in reader.leaf_readers():
        here = [docnum - offset for docnum in wanted if offset <= docnum < offset + leaf.doc_count_all()]
        if here:
            segments.append((leaf, here, offset))
    documents = reader.doc_count()  # (as `doc_frequency`: those an update did not delete)
    for term in terms:
        frequency = doc_frequency(reader, fieldname, term)
        if not frequency:
            continue
        weight = rarity(documents, frequency)
        for leaf, here, offset in segments:
            # Whoosh's `__contains__` takes text as str too (it encodes it), though typed as bytes.
            if (fieldname, term) not in leaf:  # type: ignore[operator]
                continue
            postings = leaf.postings(fieldname, term)  # (inactive at once if all deleted)
            for docnum in here:
                if not postings.is_active():
                    break
                if postings.id() < docnum:
                    postings.skip_to(docnum)
                if not postings.is_active():
                    break
                if postings.id() == docnum:
                    found[docnum + offset].extend(
                        Occurrence(pos, start, end, term, weight)
                        for pos, start, end in postings.value_as("characters")
                    )
    for found_here in found.values():
        found_here.sort()
    return found


def rarity(documents: int, frequency: int) -> float:
    """How much an occurrence of a term weighs in choosing a passage: its inverse document
    frequency among `documents`, of which `frequency` hold it."""
    return math.log(documents / frequency) + 1


def marks(
    found: Sequence[Occurrence], words: Collection[str], phrases: Sequence[Sequence[str]]
) -> list[Mark]:
    """The spans to mark: every occurrence of a phrase as one span, then each of `words`
    not inside a phrase occurrence."""
    at = {(o.pos, o.term): o for o in found}
    spans: list[Mark] = []
    covered: set[int] = set()
    for phrase in filter(None, phrases):
        for first in (o for o in found if o.term == phrase[0]):
            run = [at[key] for i, word in enumerate(phrase) if (key := (first.pos + i, word)) in at]
            starts = {o.startchar for o in run}
            if len(run) == len(phrase) and not covered & starts:
                covered |= starts
                weight = sum(o.weight for o in run)
                spans.append(Mark(first.startchar, run[-1].endchar, " ".join(phrase), weight))
    spans += [
        Mark(o.startchar, o.endchar, o.term, o.weight)
        for o in found if o.term in words and o.startchar not in covered
    ]
    return sorted(spans)
