"""The posting pool of the writers of a build: each term's postings held together, in a
fraction of the memory, instead of as one tuple each.

Whoosh's writer keeps every posting as a tuple of five objects in a `PostingPool` (about 250
bytes a posting) and, past its memory limit, sorts what it holds and pickles it to a run file;
at the end it reads every run back and merges them. On 20,000 sections that was a quarter of
each writer process's time, and more memory only moved the limit. `TermPool` keeps each term's
postings packed in one `bytearray` (about 45 bytes a posting): the same corpus fits in less
memory than Whoosh's limit allowed, and the postings come out in Whoosh's order without a
sort of all of them. Past its own limit, it writes a run as Whoosh's pool does, and merges as
Whoosh does: the segment is byte for byte what Whoosh writes.

Pinned by tests/test_writer.py: a Whoosh upgrade that adds postings to the pool another way
fails it.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

from whoosh.writing import PostingPool

from .codec import PostingsByTerm, TermPostings

# What `TermPool` packs before each posting's value: its document number, its weight (a float:
# Whoosh multiplies every weight by the field's boost) and the length of its value.
_HEAD = struct.Struct("<IdI")
# About what a term costs `TermPool` beyond its text (dictionary slot, bytes and bytearray
# objects), in bytes: with `_HEAD` and the values, what its limit counts.
_TERM_BYTES = 160


class TermPool(PostingPool):
    """Whoosh's posting pool for documents added in order (a writer's own `add_document`s),
    each term's postings packed together: their order of arrival is their sorted order (a
    field gives a term one posting a document).

    Its limit (`limitmb`) is of the bytes it holds, not Whoosh's estimate of its tuples."""

    def __init__(self, tempstore: Any, segment: Any, limitmb: int) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb)  # type: ignore[no-untyped-call]
        self._terms: dict[str, dict[bytes, bytearray]] = {}
        self._held = 0

    def add(self, item: tuple[str, bytes, int, float, bytes]) -> None:
        fieldname, text, docnum, weight, value = item
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = {}
            self.fieldnames.add(fieldname)
        postings = terms.get(text)
        if postings is None:
            postings = terms[text] = bytearray()
            self._held += _TERM_BYTES + len(text)
        postings += _HEAD.pack(docnum, weight, len(value))
        postings += value
        self._held += _HEAD.size + len(value)
        if self._held > self.limit:
            self.save()

    def save(self) -> None:
        """Write what the pool holds as a sorted run (Whoosh's format) and let it go."""
        if self._terms:
            path, file = self._new_run()  # type: ignore[no-untyped-call]
            self._write_run(file, self._sorted())
            self._add_run(path)
            self._terms, self._held = {}, 0

    def items(self, maxfiles: int = 128) -> Any:
        """Whoosh's postings, sorted: by term (`PostingsByTerm`) when none were written to runs."""
        if self.runs:  # Whoosh's merge, which saves what the pool still holds first
            return super().items(maxfiles)
        return _Held(self._terms)

    def _sorted(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """The postings held, as Whoosh's pool sorts them: by field, term, document."""
        return iter(_Held(self._terms))


class _Held(PostingsByTerm):
    """What a `TermPool` holds, by term (which `BuildCodec` writes a term at a time)."""

    def __init__(self, terms: dict[str, dict[bytes, bytearray]]) -> None:
        self._terms = terms

    def by_term(self) -> Iterator[TermPostings]:
        head, size = _HEAD.unpack_from, _HEAD.size
        for fieldname in sorted(self._terms):
            terms = self._terms[fieldname]
            for text in sorted(terms):
                data = bytes(terms[text])
                docnums: list[int] = []
                weights: list[float] = []
                values: list[bytes] = []
                start, end = 0, len(data)
                while start < end:
                    docnum, weight, length = head(data, start)
                    start += size + length
                    docnums.append(docnum)
                    weights.append(weight)
                    values.append(data[start - length : start])
                yield fieldname, text, docnums, weights, values
