"""The corpus folder: which files are articles, and how to tell when one has changed."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from .errors import CorpusError

SUFFIX = ".txt"

# What a file test (`Path.is_file`) takes for "not a file" rather than an error: a link that
# points nowhere, a loop of links, a name whose folder went away.
_NOT_THERE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


class Stamp(NamedTuple):
    """What the index remembers of a file to notice an edit without reading it: its size and
    modification time, and its change time, which an edit that puts the modification time
    back (`touch -r`, `cp -p`, `rsync -a` of an edited copy of one size) changes too."""

    size: int
    mtime_ns: int
    ctime_ns: int


def corpus_files(
    root: Path, leave_out: Path | None = None, notify: Callable[[str], None] | None = None
) -> dict[str, Path]:
    """Article files below `root` by their path relative to it (`sub/x.txt`), in order.

    Every file ending in `.txt` (any case) counts, in subfolders too, through symbolic links
    to files and folders (a folder reached twice, as by a link loop, is walked once); hidden
    files and folders (names starting with `.`), broken links, and the folder `leave_out`
    (an index kept inside its corpus) do not. `CorpusError` when `root` is missing or cannot
    be listed; a folder below it that cannot be listed, and a file or folder whose name is not
    UTF-8, are left out, and `notify` says so.
    """
    return paths(corpus_entries(root, leave_out, notify))


def paths(entries: dict[str, os.DirEntry[str]]) -> dict[str, Path]:
    """The paths of the entries of `corpus_entries`, by the same names."""
    return {name: Path(entry.path) for name, entry in entries.items()}


def corpus_entries(
    root: Path, leave_out: Path | None = None, notify: Callable[[str], None] | None = None
) -> dict[str, os.DirEntry[str]]:
    """What `corpus_files` finds, as the walk found it: a file's `os.DirEntry` keeps its
    `stat` (one system call a file; 2,250 paths took an update 50 ms to make)."""
    return dict(_articles(root, leave_out, notify))


def corpus_stamps(root: Path, leave_out: Path | None = None) -> dict[str, Stamp]:
    """The stamp of each file `corpus_files` finds, by the same names, in the same order: the
    cheap way to tell whether the corpus changed (one `stat` per file, no paths built)."""
    stamps = {}
    for name, entry in _articles(root, leave_out):
        try:
            info = entry.stat()  # follows a link, as `stamp` does (cached by the file test)
        except OSError:  # gone since it was listed: the corpus changed, which the keys show
            continue
        stamps[name] = Stamp(info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return stamps


def _articles(
    root: Path, leave_out: Path | None, notify: Callable[[str], None] | None = None
) -> list[tuple[str, os.DirEntry[str]]]:
    """The article files below `root`, sorted by relative path, as `os.scandir` found them.

    Folders are walked depth first, subfolders in order of name, so where a folder is
    reached twice the name it has on the first way there is the one kept.
    """
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    if (shown := _not_utf8(str(root))) is not None:
        raise CorpusError(
            f"cannot index the corpus folder {shown}: its path is not UTF-8; rename it, or name it "
            "by a link whose path is (ln -s)"
        )
    found: list[tuple[str, os.DirEntry[str]]] = []
    walked: set[tuple[int, int]] = set()
    if leave_out is not None:
        with contextlib.suppress(OSError):
            _new_folder(str(leave_out), walked)  # (as if walked already)
    todo = [(str(root), "")]  # (folder, its path relative to root with a trailing `/`)
    while todo:
        folder, prefix = todo.pop()
        subfolders = []
        try:
            entries = _new_folder(folder, walked)
        except OSError as error:
            if not prefix:  # (the corpus itself: walked as empty, it would empty the index)
                raise CorpusError(f"cannot read the corpus folder {root} ({error.strerror})") from None
            if notify:
                notify(f"cannot list the folder {folder} ({error.strerror}): its files are left out")
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if _is_dir(entry):
                if _named_in_utf8(entry, "folder", notify):
                    subfolders.append((entry.path, f"{prefix}{name}/"))
            elif name.lower().endswith(SUFFIX) and _is_file(entry) and _named_in_utf8(entry, "file", notify):
                found.append((prefix + name, entry))
        todo += sorted(subfolders, reverse=True)  # taken from the end: the first name first
    found.sort(key=lambda item: item[0])
    return found


def _new_folder(folder: str, walked: set[tuple[int, int]]) -> list[os.DirEntry[str]]:
    """The entries of a folder not walked before: none if it was (by its device and inode,
    which a link does not change); OSError if it cannot be listed."""
    info = os.stat(folder)
    if (info.st_dev, info.st_ino) in walked:
        return []
    walked.add((info.st_dev, info.st_ino))
    with os.scandir(folder) as listing:
        return list(listing)


def _named_in_utf8(entry: os.DirEntry[str], kind: str, notify: Callable[[str], None] | None) -> bool:
    """Whether the entry's name is UTF-8 text; `notify` names one that is not, which is left out."""
    if _not_utf8(entry.name) is None:
        return True
    if notify:
        files = "; its files are left out" if kind == "folder" else ""
        notify(f"cannot index the {kind} {_not_utf8(entry.path)}: its name is not UTF-8 (rename it){files}")
    return False


def _not_utf8(path: str) -> str | None:
    """None when the path is UTF-8 text, as the index, a manifest, a hit's `path` and JSON hold
    it; else the path as a message shows it, its bytes that are not escaped (`caf\\xe9.txt`)."""
    if path.isascii():
        return None
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # (bytes that are not UTF-8, read as surrogates)
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError as error:
        if error.errno in _NOT_THERE:
            return False
        raise


def stamp(path: Path | os.DirEntry[str]) -> Stamp:
    """The file's size, modification and change times."""
    info = path.stat()
    return Stamp(info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def digest(data: bytes) -> str:
    """A content hash: a file whose stamp changed but whose bytes did not is not re-indexed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
