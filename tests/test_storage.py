"""Segment files read through memory maps (storage.py): the same bytes as a file, no copy.

These tests pin how Whoosh opens a compound segment: an upgrade that stops opening sub-files
through the storage's `subset` (and so would read them another way, or copy them) fails here,
and that a build's storage (`BuildStorage`) writes the same segment as Whoosh's without a file
for each column.
"""

from __future__ import annotations

import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from searcher.builds import open_live
from searcher.codec import BuildCodec
from searcher.schema import build_schema
from searcher.storage import (
    COLUMN_EXTENSION,
    PEEK_BYTES,
    SEGMENT_EXTENSION,
    BuildStorage,
    MappedStorage,
    Window,
)
from tests.test_writer import _documents, _files

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.integers(-1, 40)),
        st.tuples(st.just("readline"), st.integers(-1, 40)),
        st.tuples(st.just("seek"), st.integers(0, 60)),
        st.tuples(st.just("seek_end"), st.integers(-60, 0)),
        st.tuples(st.just("seek_current"), st.integers(-10, 10)),
    ),
    max_size=20,
)


def _window(tmp_path: Path, data: bytes, start: int) -> Window:
    """A window onto `data`, which the mapped file holds from `start` on."""
    path = tmp_path / f"x{SEGMENT_EXTENSION}"
    path.write_bytes(b"\n" * start + data + b"\n#")
    whole = MappedStorage(str(tmp_path)).open_file(path.name)
    return whole.subset(start, len(data), name="sub")


@given(data=st.binary(max_size=50), start=st.integers(0, 9), operations=OPERATIONS)
def test_a_window_reads_like_a_file_of_its_bytes(
    data: bytes, start: int, operations: list[tuple[str, int]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        window, file = _window(Path(folder), data, start), io.BytesIO(data)
        for operation, number in operations:
            if operation == "read":
                assert window.read(number) == file.read(number)
            elif operation == "readline":
                assert window.readline(number) == file.readline(number)
            elif operation == "seek":
                assert window.seek(number) == file.seek(number)
            elif operation == "seek_end" and len(data) + number >= 0:
                assert window.seek(number, os.SEEK_END) == file.seek(number, os.SEEK_END)
            elif operation == "seek_current" and file.tell() + number >= 0:
                assert window.seek(number, os.SEEK_CUR) == file.seek(number, os.SEEK_CUR)
            assert window.tell() == file.tell()
        for position in range(len(data) + 2):
            assert window.get(position, 3) == data[position : position + 3]


@given(values=st.lists(st.one_of(st.integers(), st.binary(max_size=2 * PEEK_BYTES)), max_size=6))
def test_pickled_values_read_from_a_window_as_from_a_file(values: list[int | bytes]) -> None:
    data = b"".join(pickle.dumps((value, len(values)), 2) for value in values)  # as Whoosh pickles
    with tempfile.TemporaryDirectory() as folder:
        window, file = _window(Path(folder), data, 3), io.BytesIO(data)
        for _ in values:
            assert window.read_pickle() == pickle.load(file)
            assert window.tell() == file.tell()
        assert window.read() == b""


def test_a_pickled_block_header_is_read_in_one_go(tmp_path: Path, monkeypatch: Any) -> None:
    header = (128, 2**31, 0.5, 3, 7)  # what a postings block's header holds: numbers
    window = _window(tmp_path, pickle.dumps(header, 2) * 2, 0)
    reads: list[int | None] = []
    read = window.read
    monkeypatch.setattr(window, "read", lambda size=-1: reads.append(size) or read(size))
    assert window.read_pickle() == header
    assert len(reads) == 1  # the peeked bytes it used, not a read for each of its pieces
    assert window.read_pickle() == header


def test_whoosh_reads_segments_through_windows(built_index: Path) -> None:
    """Every segment is a compound file opened from a map, and its sub-files are windows
    onto that map: Whoosh took the storage's `subset` path, not its own mapping or copying."""
    build = open_live(built_index)
    try:
        with build.index.reader() as reader:
            leaves = [leaf for leaf, _ in reader.leaf_readers()]
            assert leaves
            for leaf in leaves:
                compound = leaf.storage().a
                assert isinstance(compound, CompoundStorage)
                assert isinstance(compound._file, Window)  # the mapped segment file
                for name in compound.list():
                    assert isinstance(compound.open_file(name), Window), name
    finally:
        build.close()


def test_the_index_reads_the_same_through_maps_as_from_the_files(built_index: Path) -> None:
    """Every term's postings and every stored field, read both ways."""
    build = open_live(built_index)
    try:
        plain = FileStorage(str(build.path), supports_mmap=False, readonly=True).open_index()
        with build.index.reader() as mapped, plain.reader() as read:
            terms = list(read.all_terms())
            assert terms == list(mapped.all_terms()) and len(terms) > 500
            for fieldname, text in terms[::7]:
                assert list(mapped.postings(fieldname, text).all_items()) == list(
                    read.postings(fieldname, text).all_items()
                )
            assert list(mapped.all_stored_fields()) == list(read.all_stored_fields())
    finally:
        build.close()


def test_closing_the_index_closes_its_maps(built_index: Path) -> None:
    build = open_live(built_index)
    with build.index.reader() as reader:
        windows = [leaf.storage().a._file for leaf, _ in reader.leaf_readers()]
    build.close()
    assert windows and all(window._data.closed for window in windows)


def _written(storage: FileStorage) -> dict[str, bytes]:
    """The files of a one-segment index of the bundled articles written into `storage`."""
    ix = storage.create_index(build_schema())
    writer = ix.writer(codec=BuildCodec())
    for document in _documents():
        writer.add_document(**document)
    writer.commit()
    (segment,) = ix._segments()
    return _files(segment, ix.storage)


def test_a_build_writes_no_column_file_and_the_same_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`BuildStorage` holds the column files in memory: none is created on disk, none is left
    behind, and the segment holds the same files, byte for byte, as one written to disk."""
    created: list[str] = []
    create_file = FileStorage.create_file

    def counted(self: FileStorage, name: str, *args: Any, **kwargs: Any) -> Any:
        created.append(name)
        return create_file(self, name, *args, **kwargs)

    monkeypatch.setattr(FileStorage, "create_file", counted)
    storage = BuildStorage(str(tmp_path / "build"))
    storage.create()
    held = _written(storage)
    assert created and not [name for name in created if name.endswith(COLUMN_EXTENSION)]
    assert not storage._held and not list((tmp_path / "build").glob(f"*{COLUMN_EXTENSION}"))
    created.clear()
    assert held == _written(FileStorage(str(tmp_path / "plain")).create())
    assert sum(name.endswith(COLUMN_EXTENSION) for name in created) > 10  # a length column a field


@given(st.lists(st.one_of(st.binary(max_size=9000), st.integers(0, 20_000)), max_size=12))
def test_a_file_written_for_a_build_keeps_its_position(steps: list[bytes | int]) -> None:
    """The files a build writes to disk (postings, terms) count their own position rather than
    ask the OS at each `tell`: the same positions and bytes as a plain file, seeks included
    (Whoosh seeks back to write a compound file's directory)."""
    with tempfile.TemporaryDirectory() as folder:
        storage = BuildStorage(folder)
        ours, plain = storage.create_file("x.pst"), io.BytesIO()
        for step in steps:
            if isinstance(step, bytes):
                ours.write(step)
                plain.write(step)
            else:
                ours.seek(min(step, plain.getbuffer().nbytes))
                plain.seek(min(step, plain.getbuffer().nbytes))
            assert ours.tell() == plain.tell()
        ours.write_pickle(("a", 1))
        plain.write(pickle.dumps(("a", 1), -1))
        assert ours.tell() == plain.tell()
        ours.close()
        assert Path(folder, "x.pst").read_bytes() == plain.getvalue()
