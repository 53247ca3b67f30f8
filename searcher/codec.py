"""The Whoosh codec a build writes with: Whoosh's own, its length columns padded in one write.

Each text field has a column of one length byte per document. Whoosh writes the default byte
for every document between two that have the field, one call each; an infobox field is on a
few article documents only, and there are hundreds of such fields, so on 20,000 sections this
padding was a tenth of a writer process's time. `BuildCodec` writes the same bytes in one
call: the index is byte for byte Whoosh's, and any Whoosh reads it.

Pinned by tests/test_codec.py: a Whoosh upgrade that writes lengths another way fails it.
"""

from __future__ import annotations

from typing import Any

from whoosh import columns
from whoosh.codec import whoosh3


class _PaddedLengths(columns.NumericColumn):
    """Whoosh's length column (`whoosh3.LENGTHS_COLUMN`), padded in one write."""

    class Writer(columns.NumericColumn.Writer):
        def fill(self, docnum: int) -> None:
            if docnum > self._count:
                self._dbfile.write(self._defaultbytes * (docnum - self._count))


_LENGTHS = _PaddedLengths("B", default=0)  # type: ignore[no-untyped-call]  # (Whoosh's own)


class _PerDocumentWriter(whoosh3.W3PerDocWriter):
    def _create_column(self, fieldname: str, column: Any) -> None:
        padded = _LENGTHS if column is whoosh3.LENGTHS_COLUMN else column
        super()._create_column(fieldname, padded)  # type: ignore[no-untyped-call]


class BuildCodec(whoosh3.W3Codec):
    """Whoosh's codec, its length columns padded in one write each time."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # (Whoosh's defaults)

    def per_document_writer(self, storage: Any, segment: Any) -> _PerDocumentWriter:
        return _PerDocumentWriter(self, storage, segment)  # type: ignore[no-untyped-call]
