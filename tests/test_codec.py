"""The codec a build writes with (codec.py): Whoosh's own, its length columns padded in one write.

These tests pin how Whoosh writes a segment's length columns: an upgrade that makes them
another way (so that `BuildCodec` no longer pads them, or pads them differently) fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage

from searcher import read_article
from searcher.codec import BuildCodec, _PaddedLengths
from searcher.indexer import open_live
from searcher.schema import build_schema, documents
from tests.conftest import CORPUS


def _segment_files(codec: Any) -> dict[str, bytes]:
    """The files of a one-segment index of the bundled articles written with `codec`, by
    name without the segment's random id."""
    ix = RamStorage().create_index(build_schema())
    writer = ix.writer(codec=codec)
    for path in sorted(CORPUS.glob("*.txt")):
        for document in documents(read_article(path), path.name, "digest"):
            writer.add_document(**document)
    writer.commit()
    (segment,) = ix._segments()
    files = segment.open_compound_file(ix.storage)
    return {name.split(".", 1)[1]: files.open_file(name).read() for name in files.list()}


def test_the_segment_is_byte_for_byte_whooshs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sparse infobox fields make Whoosh pad their length columns; `BuildCodec` pads them
    itself (one write each time), and every file of the segment is the same as Whoosh's."""
    padded: list[int] = []
    fill = _PaddedLengths.Writer.fill

    def counted(self: Any, docnum: int) -> None:
        padded.append(docnum)
        fill(self, docnum)

    monkeypatch.setattr(_PaddedLengths.Writer, "fill", counted)
    ours = _segment_files(BuildCodec())
    assert padded, "BuildCodec's length columns were not used"
    assert ours == _segment_files(W3Codec())
    assert any(name.startswith("_ib_") and name.endswith("_len.col") for name in ours)


def test_builds_write_with_it(built_index: Path) -> None:
    build = open_live(built_index)
    try:
        assert all(isinstance(segment.codec(), BuildCodec) for segment in build.index._segments())
    finally:
        build.close()
