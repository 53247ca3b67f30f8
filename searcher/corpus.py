"""The corpus folder: which files are articles, and how to tell when one has changed."""

from __future__ import annotations

import hashlib
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

    Every `*.txt` file counts, in subfolders too, through symbolic links; hidden files and
    folders (names starting with `.`) do not.
    """
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    found: dict[str, Path] = {}
    for path in sorted(root.rglob(f"*{SUFFIX}")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        found[relative.as_posix()] = path
    return found


def stamp(path: Path) -> Stamp:
    """The file's size and modification time."""
    info = path.stat()
    return Stamp(info.st_size, info.st_mtime_ns)


def digest(data: bytes) -> str:
    """A content hash: a file whose stamp changed but whose bytes did not is not re-indexed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
