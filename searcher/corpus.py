"""The corpus folder: which files are articles, and how to tell when one has changed."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError

SUFFIX = ".txt"


@dataclass(frozen=True)
class Stamp:
    """What the index remembers of a file to notice an edit without reading it."""

    size: int
    mtime_ns: int


def corpus_files(root: Path) -> dict[str, Path]:
    """Article files below `root` by their path relative to it (`sub/x.txt`), in order.

    Every file ending in `.txt` (any case) counts, in subfolders too, through symbolic links
    to files and folders (a folder reached twice, as by a link loop, is walked once); hidden
    files and folders (names starting with `.`) and broken links do not.
    """
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    found: dict[str, Path] = {}
    walked: set[tuple[int, int]] = set()
    for folder, subfolders, names in os.walk(root, followlinks=True):
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in walked:
            subfolders.clear()
            continue
        walked.add((info.st_dev, info.st_ino))
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in names:
            path = Path(folder, name)
            if name.lower().endswith(SUFFIX) and not name.startswith(".") and path.is_file():
                found[path.relative_to(root).as_posix()] = path
    return dict(sorted(found.items()))


def stamp(path: Path) -> Stamp:
    """The file's size and modification time."""
    info = path.stat()
    return Stamp(info.st_size, info.st_mtime_ns)


def digest(data: bytes) -> str:
    """A content hash: a file whose stamp changed but whose bytes did not is not re-indexed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
