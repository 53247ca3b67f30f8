"""The Whoosh codec a build writes with: Whoosh's own, its length columns sparse where that is
smaller, its stored fields not compressed, the postings of a pool that holds them by term
written a term at a time, and a term of few short postings kept in its term info.

Each text field has a column of one length byte per document. Whoosh writes a byte for every
document up to the last that has the field (0 for those without), a call each (a tenth of a
writer process's time on 20,000 sections). An infobox field is on a few article documents
only, and there are hundreds of such fields: on the scaled corpus (20,603 section documents;
sizes in MiB) these columns took 6.8 of the index's 67.7 MiB, written in one call each.
`_Lengths` writes each column whole when the segment is written: Whoosh's bytes, or, where
that is smaller, the documents with the field and their bytes. The columns took 0.1 MiB, the
index 61.2 MiB (plain Whoosh's: 56.4 MiB).

Whoosh keeps a document's stored fields as a pickle compressed with zlib, and a hit's passage
reads its section's text: inflating it took 9% of a query's time in a profile. Here they are
not compressed (`_STORED`): on the 112 real articles the queries' p50 went from 0.69–0.70 to
0.64–0.66 ms (three runs of each, alternated) and the index from 8.0 to 8.9 MiB; on the
scaled corpus from 61.2 to 78.9 MiB (1.40 times plain Whoosh's).

Whoosh writes a segment's postings one at a time: for each, a call through three methods,
type checks, and a read of the document's length from the length column just written. From
a pool that hands them over by term (`PostingsByTerm`: writer.TermPool), `BuildCodec` fills
each block of a term's postings at once, with the lengths of a field read in one go, and
lets Whoosh write the blocks.

A term of fewer than 128 postings whose values (a word's places) take under 1,024 bytes is
kept in its term info, not in a block of the postings file: Whoosh calls this inlining, and
reads such terms without a read of the postings file, but its writer inlines nothing unless
asked and then fails (it calls `set_inline` on a term info that has `set_inlined`).
`_PostingsWriter` makes the call Whoosh means. A block costs a writer more than the values it
holds (a pickle of the block, another of its header, zlib from 80 bytes up), but a term info
is not compressed: on the 112 real articles, inlining terms of one posting, a build took
0.83 s for an index of 10.33 MB; terms of fewer than 16 postings under 128 bytes, 0.78 s for
10.45 MB (and queries 2% less, p50). Once values were packed and pickled at protocol 4 (see
below), terms of fewer than 128 postings under 1,024 bytes took builds from 0.79 to 0.77 s
(12 alternated each) and the queries' p50 from 0.75 to 0.71 ms, for segments of 7.7 against
6.8 MB (12% more). Every other file of a segment but the lengths and stored fields is byte
for byte Whoosh's, and Whoosh reads the postings with its own readers.

Whoosh pickles each block of postings, and the postings a term info keeps, at pickle's
protocol 2 (whoosh3's `dumps(..., 2)`), which writes each value (a word's places, bytes) as a
call of `codecs.encode` on a latin-1 string, and reads it back with that call. At protocol 4
a value is its bytes. `whoosh3.dumps` pickles at protocol 4 here (`POSTINGS_PROTOCOL`), and
Whoosh reads any protocol, so only what is written changes: every segment a process that
imports this writes, Whoosh's own writers' too. On the 112 real articles: segments of 6.8 MB
against 8.9 MB, a build 7% faster (0.83 against 0.89 s), the same hits, scores, snippets and
marks for the bench's 400 queries, and their p50 4% lower.

Segments remember the codec they were written with, so this one also reads them. A query
looks a term up in a segment's term index several times (is it there, how many documents have
it, where its postings are: each a hash of the key and a probe of the table); `_TermsReader`
looks each term up once and keeps where it is. A fuzzy term (`amnesty~2`) walks an automaton
over a field's terms, moving a cursor to hundreds of them, each move a binary search of the
term index on disk; `_TermsReader` reads the field's terms into memory the first time and
searches them there.

Pinned by tests/test_codec.py and tests/test_writer.py: a Whoosh upgrade that reads lengths
or stored fields another way, writes postings another way (or pickles them with another
function), or reads terms another way, fails them.
"""

from __future__ import annotations

import pickle
import sys
from abc import ABC, abstractmethod
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import repeat, takewhile
from typing import Any

from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.codec.base import FieldCursor
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

# The pickle protocol of Whoosh's blocks of postings and of the postings a term info keeps.
POSTINGS_PROTOCOL = 4
# What the files `BuildCodec` writes are, as a number: bump when that changes, and an index
# written before is rebuilt (a Typesense collection, which holds no such files, is not).
# 0: before the number was kept; 1: sparse length columns, stored fields not compressed.
CODEC_VERSION = 1


def _pickled(obj: object, protocol: int | None = None) -> bytes:
    """whoosh3's `dumps`, at `POSTINGS_PROTOCOL` whichever protocol Whoosh asks for."""
    return pickle.dumps(obj, POSTINGS_PROTOCOL)


whoosh3.dumps = _pickled  # type: ignore[assignment]  # (the module docstring says why)

# A term with fewer postings than this, whose values take fewer bytes than that, is kept in
# its term info, not in the postings file.
INLINE_BELOW = 128
INLINE_VALUE_BYTES = 1024
# How many terms of a segment `_TermsReader` keeps the place of (the most recently asked).
TERMS_KEPT = 4096
# How many of those it keeps read (their term info, with the postings inlined in it): a query
# asks about a term two or three times, twice in a row (a matcher's scorer, then its postings).
# Keeping 256 read took 0.85 MB more RSS on the 112 real articles for 1% fewer instructions.
TERM_INFOS_KEPT = 32
# Arrays of whole numbers in the index's own values (`words.WordPostings`, `_Lengths`) are
# little-endian (`little_endian`), of one, two or four bytes a number: the array type of each
# here (`I` is four bytes on most platforms).
ARRAY_TYPES = {"B": "B", "H": "H", "I": next(kind for kind in "IL" if array(kind).itemsize == 4)}
# The two forms of a length column (`_Lengths`): its first byte says which.
DENSE, SPARSE = b"D", b"S"
# How many bytes a document number takes in a sparse length column (`ARRAY_TYPES["I"]`).
DOCNUM_BYTES = 4
# A term's postings: its field, its text, and each posting's document, weight and value.
TermPostings = tuple[str, bytes, Sequence[int], Sequence[float], Sequence[bytes]]


class _Lengths(columns.Column):
    """Whoosh's length column (`whoosh3.LENGTHS_COLUMN`: a byte a document, 0 for none),
    written whole when the segment is: as Whoosh's bytes up to the last document with the
    field (`DENSE`), or, when that takes fewer bytes, as the documents with the field and
    their bytes (`SPARSE`). An infobox field is on a few article documents among thousands
    of sections: its Whoosh column is mostly zeros."""

    _default = 0  # (a document without the field has no length: Whoosh's `default_value`)

    def writer(self, dbfile: Any) -> _LengthsWriter:
        return _LengthsWriter(dbfile)

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> _LengthsReader:
        return _LengthsReader(dbfile.get(basepos, length), doccount)


class _LengthsWriter(columns.ColumnWriter):
    def __init__(self, dbfile: Any) -> None:
        super().__init__(dbfile)
        self._docnums = array(ARRAY_TYPES["I"])
        self._bytes = bytearray()

    def add(self, docnum: int, value: int) -> None:
        if value:
            self._docnums.append(docnum)
            self._bytes.append(value)

    def finish(self, doccount: int) -> None:
        dense_bytes = self._docnums[-1] + 1 if self._docnums else 0
        if len(self._bytes) * (DOCNUM_BYTES + 1) < dense_bytes:
            self._dbfile.write(SPARSE + little_endian(self._docnums).tobytes() + self._bytes)
            return
        dense = bytearray(dense_bytes)
        for docnum, value in zip(self._docnums, self._bytes, strict=True):
            dense[docnum] = value
        self._dbfile.write(DENSE + dense)


class _LengthsReader(columns.ColumnReader):
    """Every document's length byte in a field, read in memory from either form."""

    def __init__(self, data: bytes, doccount: int) -> None:
        held = data[1:]
        if data[:1] == SPARSE:
            count = len(held) // (DOCNUM_BYTES + 1)
            docnums = little_endian(array(ARRAY_TYPES["I"], held[: count * DOCNUM_BYTES]))
            lengths = bytearray(doccount)
            for docnum, value in zip(docnums, held[count * DOCNUM_BYTES :], strict=True):
                lengths[docnum] = value
            self._lengths = bytes(lengths)
        else:
            self._lengths = held + bytes(doccount - len(held))

    def __len__(self) -> int:
        return len(self._lengths)

    def __getitem__(self, docnum: int) -> int:
        try:
            return self._lengths[docnum]
        except IndexError:  # (past the last document: no length, as Whoosh's reader answers)
            return 0

    def __iter__(self) -> Iterator[int]:
        return iter(self._lengths)

    def all(self) -> bytes:
        """Every document's length byte (0: none)."""
        return self._lengths


def little_endian(numbers: array[int]) -> array[int]:
    """The array in the files' byte order (little-endian) from this machine's, and back: its
    numbers' bytes swapped in place on a big-endian machine."""
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


def values_column() -> columns.VarBytesColumn:
    """Whoosh's column of values of any length, where each document's value starts written:
    Whoosh writes that only past 32,768 documents, and otherwise sums the values' lengths in
    Python the first time a search reads a segment's column (0.4 ms a segment of 10,000)."""
    return columns.VarBytesColumn(write_offsets_cutoff=0)


_LENGTHS = _Lengths()
# Stored fields as Whoosh keeps them (a pickle of a document's dict), not compressed: a hit's
# passage reads its section's text, and zlib took 9% of a query's time inflating it.
_STORED = columns.PickleColumn(values_column())


def _own(column: Any) -> Any:
    """The column `BuildCodec` keeps in place of Whoosh's: lengths and stored fields."""
    if column is whoosh3.LENGTHS_COLUMN:
        return _LENGTHS
    return _STORED if column is whoosh3.STORED_COLUMN else column


class _PerDocumentWriter(whoosh3.W3PerDocWriter):
    def _create_column(self, fieldname: str, column: Any) -> None:
        super()._create_column(fieldname, _own(column))  # type: ignore[no-untyped-call]


class _PerDocumentReader(whoosh3.W3PerDocReader):
    def _cached_reader(self, fieldname: str, column: Any) -> Any:
        return super()._cached_reader(fieldname, _own(column))  # type: ignore[no-untyped-call]


class PostingsByTerm(ABC):
    """A pool's postings, sorted by field, term and document, handed over a term at a time."""

    @abstractmethod
    def by_term(self) -> Iterator[TermPostings]:
        """Each term's postings, in order."""

    def __iter__(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """The postings one at a time, as Whoosh's pools give them."""
        for fieldname, text, docnums, weights, values in self.by_term():
            yield from zip(repeat(fieldname), repeat(text), docnums, weights, values)


class _FieldWriter(whoosh3.W3FieldWriter):
    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        """Whoosh's, a term at a time from a `PostingsByTerm`: for each block of a term's
        postings, what Whoosh's `W3PostingsWriter.add_posting` would have gathered, posting
        by posting, before Whoosh writes the block (`_write_block`, `finish_postings`)."""
        if not isinstance(items, PostingsByTerm):
            super().add_postings(schema, lengths, items)  # type: ignore[no-untyped-call]
            return
        limit = self._codec._blocklimit
        field: str | None = None
        postings: Any = None  # the field's postings writer
        field_lengths: bytes | None = None
        for fieldname, text, docnums, weights, values in items.by_term():
            if fieldname != field:
                if field is not None:
                    self.finish_field()  # type: ignore[no-untyped-call]
                self.start_field(fieldname, schema[fieldname])  # type: ignore[no-untyped-call]
                field, postings, field_lengths = fieldname, self._postwriter, _lengths(lengths, fieldname)
            postings.start_postings(self._format, whoosh3.W3TermInfo())
            for start in range(0, len(docnums), limit):
                if start:
                    postings._write_block()  # a full block: Whoosh writes it when the next posting comes
                end = start + limit
                _fill(postings, docnums[start:end], weights[start:end], values[start:end], field_lengths)
            self._btext = text
            self.finish_term()  # type: ignore[no-untyped-call]  # writes the last block
        if field is not None:
            self.finish_field()  # type: ignore[no-untyped-call]


class _PostingsWriter(whoosh3.W3PostingsWriter):
    """Whoosh's writer of a term's postings, which keeps a term of fewer than `INLINE_BELOW`
    postings, their values under `INLINE_VALUE_BYTES`, in its term info as Whoosh's
    `finish_postings` means to: a term of a field that stores a value with each posting
    (the text's words: their places, `words.WordPostings`). Whoosh reads an inlined term of a
    field without values as having the value `""`, which a merge refuses (it wants bytes), so
    those terms stay in blocks."""

    def finish_postings(self) -> whoosh3.W3TermInfo:
        if (
            self._blockcount
            or len(self._ids) >= INLINE_BELOW
            or len(self._values) < len(self._ids)
            or sum(map(len, self._values)) >= INLINE_VALUE_BYTES
        ):
            # In blocks: Whoosh's own (its limit left at its default, 1, it inlines nothing).
            return super().finish_postings()  # type: ignore[no-untyped-call, no-any-return]
        terminfo: Any = self._terminfo
        terminfo.add_block(self)  # the term's statistics
        terminfo.set_inlined(self._ids, self._weights, self._values)
        self._terminfo = None
        return terminfo  # type: ignore[no-any-return]


def _lengths(lengths: Any, fieldname: str) -> bytes | None:
    """Each document's length byte in a field, or None when the segment has no lengths of it."""
    name = whoosh3._lenfield(fieldname)
    if lengths is None or not lengths.has_column(name):
        return None
    column: bytes = lengths.column_reader(name, _LENGTHS).all()
    return column


def _fill(
    postings: Any,
    docnums: Sequence[int],
    weights: Sequence[float],
    values: Sequence[bytes],
    lengths: bytes | None,
) -> None:
    """Put a block of postings in Whoosh's postings writer, as its `add_posting` does one by one
    (its block is empty): documents, weights, the values that are not empty, the largest weight
    (0 unless one is larger) and the shortest and longest length a document has (Whoosh reads
    a length as `byte_to_length` of its byte, which keeps order, and skips the 0 of none)."""
    postings._ids = array("I", docnums)
    postings._weights = array("f", weights)
    postings._values = [value for value in values if value]
    if (top := max(weights)) > 0:
        postings._maxweight = top
    if lengths is not None and (found := [byte for byte in map(lengths.__getitem__, docnums) if byte]):
        postings._minlength = byte_to_length(min(found))
        postings._maxlength = byte_to_length(max(found))


class _TermsReader(whoosh3.W3TermsReader):
    """Whoosh's reader of a segment's terms, each term's place in the term index (the range of
    its term info) looked up once, and its term info read once: Whoosh looks it up and reads it
    again for each question about the term (is it there, its postings, the highest weight and
    shortest length its scorer starts from)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)  # type: ignore[no-untyped-call]  # (Whoosh's own)
        self._places = lru_cache(maxsize=TERMS_KEPT)(self._place)
        self._infos = lru_cache(maxsize=TERM_INFOS_KEPT)(self._info)
        self._sorted_terms: dict[str, list[bytes]] = {}

    def _place(self, fieldname: str, tbytes: bytes) -> tuple[int, int] | None:
        """Where the term's info is in the term index, or None when the segment lacks it."""
        key = self._keycoder(fieldname, tbytes)  # type: ignore[no-untyped-call]  # (Whoosh's own)
        return next(self._tindex.ranges_for_key(key), None)

    def _range_for_key(self, fieldname: str, tbytes: bytes) -> tuple[int, int]:
        place = self._places(fieldname, tbytes)
        if place is None:
            raise KeyError((fieldname, tbytes))  # as Whoosh's hash reader does
        return place

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        return self._places(*term) is not None

    def term_info(self, fieldname: str, tbytes: bytes) -> whoosh3.W3TermInfo:
        """The term's info, the caller's own: a copy of the one kept read, as a reader of
        several segments shifts the document numbers of the info a segment gives it, in place
        (`reading.combine_terminfos`). A copy costs less than reading the info again."""
        info = self._infos(fieldname, tbytes)
        if info is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        own: whoosh3.W3TermInfo = whoosh3.W3TermInfo.__new__(whoosh3.W3TermInfo)
        own.__dict__.update(info.__dict__)  # (its inlined postings are tuples: shared as they are)
        return own

    def _info(self, fieldname: str, tbytes: bytes) -> whoosh3.W3TermInfo | None:
        """The term's info as Whoosh reads it, or None when the segment lacks the term."""
        place = self._places(fieldname, tbytes)
        return None if place is None else whoosh3.W3TermInfo.from_bytes(self._dbfile.get(*place))

    def cursor(self, fieldname: str, fieldobj: Any) -> _TermsCursor:
        """A cursor over the field's terms, read into memory the first time: a fuzzy term's
        automaton moves Whoosh's cursor to hundreds of terms, each a binary search of the term
        index on disk."""
        terms = self._sorted_terms.get(fieldname)
        if terms is None:
            following = self.terms_from(fieldname, b"")  # type: ignore[no-untyped-call]  # (Whoosh's)
            field_terms = takewhile(lambda key: key[0] == fieldname, following)
            terms = self._sorted_terms[fieldname] = [term for _, term in field_terms]
        return _TermsCursor(self, fieldname, fieldobj, terms)


class _TermsCursor(FieldCursor):
    """Whoosh's cursor over the terms of a field, sorted, the terms in memory."""

    def __init__(self, reader: _TermsReader, fieldname: str, fieldobj: Any, terms: list[bytes]) -> None:
        self._reader, self._fieldname, self._fieldobj, self._terms = reader, fieldname, fieldobj, terms
        self._at = 0

    def first(self) -> Any:
        self._at = 0
        return self.text()

    def find(self, term: Any) -> Any:
        """Move to the first term from `term` on, and return it (None past the last)."""
        key = term if isinstance(term, bytes) else self._fieldobj.to_bytes(term)
        self._at = bisect_left(self._terms, key)
        return self.text()

    def next(self) -> Any:
        self._at += 1
        return self.text()

    def text(self) -> Any:
        return self._fieldobj.from_bytes(self._terms[self._at]) if self.is_valid() else None

    def term_info(self) -> whoosh3.W3TermInfo | None:
        return self._reader.term_info(self._fieldname, self._terms[self._at]) if self.is_valid() else None

    def is_valid(self) -> bool:
        return self._at < len(self._terms)


class BuildCodec(whoosh3.W3Codec):
    """Whoosh's codec, its length columns sparse where that is smaller (`_Lengths`), its
    stored fields not compressed, a pool's postings by term (`PostingsByTerm`) written a term
    at a time, a term of fewer than `INLINE_BELOW` postings kept in its term info
    (`_PostingsWriter`), and each term of a segment it reads looked up once, the terms of a
    field walked in memory (`_TermsReader`)."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # (Whoosh's defaults)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> _PostingsWriter:
        """Whoosh's `W3Codec.postings_writer`, giving a `_PostingsWriter`."""
        return _PostingsWriter(  # type: ignore[no-untyped-call]  # (Whoosh's own)
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def terms_reader(self, storage: Any, segment: Any) -> _TermsReader:
        """Whoosh's `W3Codec.terms_reader`, giving a `_TermsReader`."""
        name = segment.make_filename(self.TERMS_EXT)
        postings = segment.open_file(storage, self.POSTS_EXT)
        return _TermsReader(self, storage.open_file(name), storage.file_length(name), postings)

    def per_document_writer(self, storage: Any, segment: Any) -> _PerDocumentWriter:
        return _PerDocumentWriter(self, storage, segment)  # type: ignore[no-untyped-call]

    def per_document_reader(self, storage: Any, segment: Any) -> _PerDocumentReader:
        return _PerDocumentReader(storage, segment)  # type: ignore[no-untyped-call]

    def field_writer(self, storage: Any, segment: Any) -> _FieldWriter:
        return _FieldWriter(self, storage, segment)  # type: ignore[no-untyped-call]
