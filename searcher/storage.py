"""How a build's files are read: segment files through a memory map, without copying them.

Whoosh's `FileStorage` either maps a segment file and copies each of its sub-files into a
`BytesIO` (the default: the whole index in memory, and an open that reads all of it), or
reads every value with a seek and a read of the file (`supports_mmap=False`: slow where a
search looks up many terms). `MappedStorage` does neither: it maps each segment file, and
Whoosh's `CompoundStorage` opens the sub-files as windows onto that map (its `subset`
path, taken when the storage does not map files itself), so a value is one slice of the map.
The OS pages the index in and out as searches touch it. A map needs its file never to be cut
short while mapped, and segment files never are: Whoosh writes each segment once, under a new
name, and the indexer writes a rebuild into a new build folder.

A build or update writes through `BuildStorage`, which keeps a segment's many small column
files in memory until they are copied into the segment's compound file, and writes the others
through files that know their own position.

Pinned by tests/test_storage.py: a Whoosh upgrade that opens segments another way fails it.
"""

from __future__ import annotations

import mmap
import os
import time
from io import BufferedWriter, BytesIO, FileIO
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

# The extension of Whoosh's compound segment files: the only files worth mapping.
SEGMENT_EXTENSION = ".seg"
# The extension of a segment's column files (`W3Codec.COLUMN_EXT`), which `BuildStorage` holds.
COLUMN_EXTENSION = ".col"
# How much of a window `Window.peek` shows: more than a postings block's pickled header.
PEEK_BYTES = 512


class MappedStorage(FileStorage):
    """A folder of index files whose segment files are read through memory maps."""

    def __init__(self, path: str, readonly: bool = False) -> None:
        FileStorage.__init__(self, path, supports_mmap=False, readonly=readonly)

    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not name.endswith(SEGMENT_EXTENSION):
            return FileStorage.open_file(self, name, *args, **kwargs)
        with open(os.path.join(self.folder, name), "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if not size:  # mmap cannot map an empty file
                return FileStorage.open_file(self, name, *args, **kwargs)
            data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        return Window(data, 0, size, name, owner=True)


class Window(StructFile):
    """A file that is a range of a memory map: reads are slices of the map. The window that
    owns the map closes it; its sub-files (`subset`) share it."""

    def __init__(self, data: mmap.mmap, start: int, end: int, name: str, owner: bool = False) -> None:
        # StructFile's own state; `file` is what `read_pickle` reads.
        self.file = self  # type: ignore[assignment]  # it reads like a file
        self._name = name
        self.onclose = None
        self.is_closed = False
        self.is_real = False
        self._data = data
        self._start = start
        self._end = end
        self._position = start
        self._owner = owner

    def read(self, size: int | None = -1) -> bytes:
        start = self._position
        end = self._end if size is None or size < 0 else min(start + size, self._end)
        self._position = max(start, end)
        return self._data[start:end]

    def peek(self, size: int = 0) -> bytes:
        """Up to `PEEK_BYTES` ahead, without moving: pickle reads a value in one go through this,
        rather than calling `read` for each of its pieces."""
        return self._data[self._position : min(self._position + PEEK_BYTES, self._end)]

    def readline(self, size: int | None = -1) -> bytes:
        line = (self._data.find(b"\n", self._position, self._end) + 1 or self._end) - self._position
        return self.read(line if size is None or size < 0 else min(size, line))

    def get(self, position: int, length: int) -> bytes:
        start = self._start + position
        return self._data[start : min(start + length, self._end)]

    def seek(self, where: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_CUR:
            where += self._position - self._start
        elif whence == os.SEEK_END:
            where += self._end - self._start
        self._position = self._start + where
        return where

    def tell(self) -> int:
        return self._position - self._start

    def subset(self, offset: int, length: int, name: str | None = None) -> Window:
        start = self._start + offset
        return Window(self._data, start, start + length, name or self._name or "")

    def close(self) -> None:
        if self.is_closed:
            raise ValueError(f"{self._name} is already closed")
        self.is_closed = True
        if self._owner:
            self._data.close()


class BuildStorage(MappedStorage):
    """A build's folder, open for writing: a segment's column files are held in memory until
    Whoosh copies them into the segment's compound file, rather than written to disk first.

    Whoosh writes a file for each column (a length column for each text field that a document
    of the segment has: hundreds, with the infobox fields), copies them all into the compound
    file and deletes them. Creating a file took about half a millisecond here: a quarter of the
    time a writer process took to close its segment of half the 112 real articles. Whoosh
    writes every segment compound, so each held file is read back and deleted by the process
    that made it."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self._held: dict[str, tuple[bytes, float]] = {}  # name -> (data, when it was written)

    def create_file(self, name: str, excl: bool = False, mode: str = "wb", **kwargs: Any) -> Any:
        if not name.endswith(COLUMN_EXTENSION):
            if self.readonly or mode != "wb":
                return FileStorage.create_file(self, name, excl, mode, **kwargs)
            written = _Written(os.path.join(self.folder, name), "x" if excl else "w")
            return StructFile(BufferedWriter(written), name=name, **kwargs)

        def hold(file: StructFile) -> None:
            self._held[name] = (file.file.getvalue(), time.time())  # type: ignore[attr-defined]

        return StructFile(BytesIO(), name=name, onclose=hold)

    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if name in self._held:
            return StructFile(BytesIO(self._held[name][0]), name=name)
        return super().open_file(name, *args, **kwargs)

    def list(self) -> list[str]:
        return [*FileStorage.list(self), *self._held]

    def file_exists(self, name: str) -> bool:
        return name in self._held or FileStorage.file_exists(self, name)

    def file_length(self, name: str) -> int:
        return len(self._held[name][0]) if name in self._held else FileStorage.file_length(self, name)

    def file_modified(self, name: str) -> float:
        return self._held[name][1] if name in self._held else FileStorage.file_modified(self, name)

    def delete_file(self, name: str) -> None:
        if self._held.pop(name, None) is None:
            FileStorage.delete_file(self, name)


class _Written(FileIO):
    """A file being written that keeps count of its position. A buffered file asks its file
    for the position at each `tell`, which Whoosh's writer calls for every term and block:
    a system call each time (51,000 for a writer process's half of the 112 real articles)."""

    def __init__(self, path: str, mode: str) -> None:
        super().__init__(path, mode)
        self._position = 0

    def write(self, data: Any) -> int:
        written = super().write(data)
        self._position += written
        return written

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self._position = super().seek(offset, whence)
        return self._position

    def tell(self) -> int:
        return self._position
