"""An index folder's builds as a reader sees them: which one is live, what it holds (its
manifest), opening it for reading, and bringing it up to date first.

An index folder holds builds and a `CURRENT` file naming the live one (`indexer` writes
them). Each build keeps a manifest (`searcher.json`) of the corpus and the files it holds,
which is how a changed corpus is noticed without reading it. Readers hold a shared lock on
the build they read (`readers.lock`), so that an update does not delete it under them.

A search of an index that is up to date imports nothing that writes one.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .atomic import write_atomically
from .codec import CODEC_VERSION
from .corpus import Stamp, corpus_stamps
from .errors import CorpusError, IndexLocked, IndexNotWritable, IndexUnavailable, SearcherError
from .locations import bundled_corpus, corpus_from_environment
from .schema import SCHEMA_VERSION, article_key
from .storage import MappedStorage

if TYPE_CHECKING:
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import Index

    from .indexer import IndexReport, Notify, Progress

try:
    import fcntl
except ImportError:  # Windows: a file in use cannot be deleted there anyway
    fcntl = None  # type: ignore[assignment]

CURRENT = "CURRENT"
MANIFEST = "searcher.json"
# Each build's file that its readers hold a shared lock on.
READERS = "readers.lock"
# The name of a build folder: the time it was begun, and a random part (`indexer`).
BUILD_NAME = re.compile(r"build-[0-9]{14}-[0-9a-f]{8}")
# A manifest file's inode, size, modification and change times (`manifest_stamp`).
ManifestStamp = tuple[int, int, int, int]


class Manifest:
    """What a build holds: its corpus, and each file's stamp, digest and title, or why it
    could not be indexed. (A plain class, not a dataclass: a search process need not load
    `dataclasses`, see results.py.)"""

    def __init__(
        self,
        corpus: str,
        generation: int = -1,
        files: dict[str, dict[str, Any]] | None = None,
        unheld_names: list[str] | None = None,
        schema_version: int = SCHEMA_VERSION,
        searcher_version: str = __version__,
        codec_version: int = CODEC_VERSION,
    ) -> None:
        self.corpus = corpus
        self.generation = generation
        self.files: dict[str, dict[str, Any]] = {} if files is None else files
        # After an update, of the generation's index: the infobox names its word list still
        # has that only deleted documents (old versions of edited articles) have. Each search
        # process would otherwise read the postings of every name to find them. None: not known.
        self.unheld_names = unheld_names
        self.schema_version = schema_version
        self.searcher_version = searcher_version
        self.codec_version = codec_version  # (of the Whoosh index's files: `codec.CODEC_VERSION`)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Manifest) and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]  # (mutable)

    @classmethod
    def load(cls, build: Path) -> Manifest | None:
        """The manifest of a build, or None when it is missing or unreadable."""
        try:
            data = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
            return cls(**{"codec_version": 0, **data})  # (0: written before the codec's number)
        except (OSError, ValueError, TypeError):
            return None

    def copy(self) -> Manifest:
        """A copy to compare with after an update (which changes file entries in place)."""
        return Manifest(**{**vars(self), "files": {name: dict(entry) for name, entry in self.files.items()}})

    def save(self, build: Path, unless: Manifest | None = None) -> None:
        """Write the manifest atomically, unless it equals `unless` (the manifest as it was
        read: a full disk fails no update that has nothing to do)."""
        if self != unless:
            write_atomically(build / MANIFEST, json.dumps(vars(self), ensure_ascii=False))

    def readable_here(self) -> bool:
        """Whether this version of searcher reads the Whoosh index: its schema and its files
        (`codec.CODEC_VERSION`) are this version's."""
        return self.schema_version == SCHEMA_VERSION and self.codec_version == CODEC_VERSION

    def indexed(self) -> list[str]:
        """The files the build holds an article of."""
        return [name for name, info in self._in_order() if not info.get("error")]

    def notes(self) -> dict[str, list[str]]:
        """Indexed files with values kept as text only (a date that could not be read)."""
        return {name: info["notes"] for name, info in self._in_order() if info.get("notes")}

    def problems(self) -> dict[str, str]:
        """Files of the corpus that are not indexed, with the reason."""
        return {name: info["error"] for name, info in self._in_order() if info.get("error")}

    def _in_order(self) -> list[tuple[str, dict[str, Any]]]:
        """The files in the corpus's order (`corpus_files`), as a build records them: an
        update records the files it adds last."""
        return sorted(self.files.items())

    def same_titles(self) -> dict[str, list[str]]:
        """Titles that more than one indexed file has, in any case (as `show` and filters match
        titles), with those files; each by the first file's title."""
        files: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        for name in self.indexed():
            if title := self.files[name].get("title"):
                files.setdefault(titles.setdefault(article_key(title), title), []).append(name)
        return {title: names for title, names in files.items() if len(names) > 1}


class OpenBuild:
    """The live build, open for reading: its Whoosh index and manifest, and the manifest
    file's `stamp` as it was before the manifest was read. While open, the build is not
    deleted by a rebuild that replaces it."""

    def __init__(
        self, build: Path, manifest: Manifest, ix: Index, hold: int | None, stamp: ManifestStamp | None
    ) -> None:
        self.path = build
        self.manifest = manifest
        self.index = ix
        self._hold = hold
        self.stamp = stamp

    def is_live(self) -> bool:
        """Whether this is still the live build, its manifest (which every commit writes
        anew) the one read: a stat of two files, where reading the manifest again takes
        milliseconds on thousands of files."""
        build = live_build(self.path.parent)
        return build is not None and build.name == self.path.name and manifest_stamp(build) == self.stamp

    def close(self) -> None:
        """Let an update delete the build once it is no longer live."""
        if self._hold is not None:
            os.close(self._hold)
            self._hold = None


def live_build(index_dir: Path) -> Path | None:
    """The build folder `CURRENT` names, if there is one."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    build = index_dir / name
    return build if name and build.is_dir() else None


def manifest_stamp(build: Path) -> ManifestStamp | None:
    """The file, size and times of a build's manifest (None: there is none): a commit writes
    the manifest anew (`write_atomically`: another file), so another stamp is another manifest."""
    try:
        info = os.stat(build / MANIFEST)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def is_build_name(name: str) -> bool:
    """Whether a name (a folder's, or what `CURRENT` holds) is that of a build."""
    return BUILD_NAME.fullmatch(name.strip()) is not None


def newest_build(index_dir: Path) -> Path | None:
    """The newest complete build folder of the index (one with a manifest), live or not:
    where `CURRENT` names none (deleted, emptied, damaged), the one that says what the index
    held."""
    try:
        with os.scandir(index_dir) as entries:
            names = [entry.name for entry in entries if is_build_name(entry.name) and entry.is_dir()]
    except OSError:
        return None
    complete = (index_dir / name for name in sorted(names, reverse=True))  # (by the time begun)
    return next((build for build in complete if (build / MANIFEST).is_file()), None)


def open_live(index_dir: Path) -> OpenBuild:
    """Open the live build for reading; `IndexUnavailable` says why it cannot be.

    Nothing is written: a read-only index can be read.
    """
    for _ in range(10):  # a rebuild may replace the live build while it is being opened
        build = live_build(index_dir)
        if build is None:
            if newest_build(index_dir) is not None:
                raise IndexUnavailable(
                    f"the {CURRENT} file of the index in {index_dir} names no build folder: run "
                    "'searcher index' to build it again from the corpus of its newest build"
                )
            raise IndexUnavailable(f"no index in {index_dir}: run 'searcher index' to build it")
        try:
            hold = _hold_for_reading(build)
            break
        except _Replaced:
            continue
    else:
        raise IndexUnavailable(f"cannot open the index in {index_dir}: it keeps being replaced")
    # (stamped first: a manifest written after the stamp makes the build look changed, never
    # the other way round)
    stamp = manifest_stamp(build)
    manifest = Manifest.load(build)
    try:
        if manifest is None or not manifest.readable_here():
            what = (f"the manifest of the index in {index_dir} is unreadable" if manifest is None
                    else f"the index in {index_dir} was built by another version of searcher")
            raise IndexUnavailable(f"{what}: run 'searcher index --rebuild'")
        storage: FileStorage = MappedStorage(str(build), readonly=True)
        try:
            return OpenBuild(build, manifest, storage.open_index(), hold, stamp)
        except Exception as error:  # Whoosh raises many kinds on a damaged index
            raise unreadable(index_dir, error) from None
    except BaseException:
        if hold is not None:
            os.close(hold)
        raise


def unreadable(index_dir: Path, error: Exception) -> IndexUnavailable:
    """The error of an index whose files cannot be read (damaged: Whoosh's own error)."""
    return IndexUnavailable(
        f"cannot read the index in {index_dir} ({type(error).__name__}: {error}): "
        "run 'searcher index --rebuild'"
    )


def _hold_for_reading(build: Path) -> int | None:
    """A shared lock on the build: its file descriptor, or None where there are no locks.

    `_Replaced` when an update deleted the build before the lock was taken.
    """
    if fcntl is None:
        return None
    try:
        hold = os.open(build / READERS, os.O_RDONLY)
    except FileNotFoundError:
        if (build / MANIFEST).exists():
            return None  # a build of an older version: the version check says so
        raise _Replaced() from None
    try:
        fcntl.flock(hold, fcntl.LOCK_SH | fcntl.LOCK_NB)
        if (build / MANIFEST).exists():
            return hold
    except OSError:  # an update holds it exclusively: it is deleting the build
        pass
    os.close(hold)
    raise _Replaced()


class _Replaced(Exception):
    """The build was deleted while it was being opened."""


def is_up_to_date(corpus_dir: Path | str | None, index_dir: Path) -> bool:
    """Whether the live build holds exactly the corpus as it is now (checked by file stamps).

    `corpus_dir` None means the corpus the index was built from (`$SEARCHER_CORPUS` if set);
    `CorpusError` when that folder is missing.
    """
    build = live_build(index_dir)
    manifest = Manifest.load(build) if build else None
    if manifest is None or not manifest.readable_here():
        return False
    return _holds_corpus(manifest, corpus_dir, index_dir)


def _holds_corpus(manifest: Manifest, corpus_dir: Path | str | None, index_dir: Path) -> bool:
    """Whether a build's manifest records the corpus asked for (`chosen_corpus`) as it is now."""
    return holds(manifest, chosen_corpus(corpus_dir, manifest), index_dir)


def holds(manifest: Manifest, corpus: Path, index_dir: Path | None = None) -> bool:
    """Whether a build's manifest records exactly the corpus as it is now (by file stamps);
    `index_dir` is no part of it (`corpus_files`)."""
    if manifest.corpus != str(corpus):
        return False
    stamps = corpus_stamps(corpus, index_dir)  # the stat results of the walk: one system call a file
    if stamps.keys() != manifest.files.keys():
        return False
    return all(stamp_matches(manifest.files[name], file_stamp) for name, file_stamp in stamps.items())


def update_for_reading(
    corpus_dir: Path | str | None,
    index_dir: Path,
    *,
    progress: Progress | None = None,
    notify: Notify | None = None,
) -> tuple[OpenBuild | None, IndexReport | None, list[str]]:
    """Bring the index up to date before reading it, where that can be done at once.

    Returns the live build, open for reading, when it already held the corpus as it is (the
    check used the manifest the open read, where it read the manifest itself: 2.5 ms on 2,250
    files), else None (the reader opens the live build); the update's report (None when
    nothing was updated); and warnings. A reader never waits behind another process's update
    when a build exists: it reads the last complete build and is warned. Where the index
    cannot be written, or its own corpus is gone, it reads the index as it is and is warned
    why (a missing folder of another name is an error). Only when there is no build yet does
    it wait (for as long as the other update takes), or fail.
    """
    has_build = live_build(index_dir) is not None
    try:
        if has_build:
            build = _opened_live(index_dir)
            if build is None:  # (a damaged index: when current, its reader says why)
                if is_up_to_date(corpus_dir, index_dir):
                    return None, None, []
            elif _kept_if_current(build, corpus_dir, index_dir):
                return build, None, []
        from .indexer import update_index  # (here: a search of a current index writes nothing)

        report = update_index(
            corpus_dir, index_dir, progress=progress, notify=notify,
            lock_timeout=0 if has_build else None,
        )
    except IndexLocked:
        if not has_build:
            raise
        return None, None, [
            f"another process is updating the index in {index_dir}; "
            "answering from the last complete build"
        ]
    except (CorpusError, IndexNotWritable, OSError) as error:
        if not has_build or (isinstance(error, CorpusError) and not _names_own_corpus(corpus_dir, index_dir)):
            raise
        reason = str(error) if isinstance(error, SearcherError) else _os_reason(error)
        return None, None, [
            f"the index could not be brought up to date ({reason}); searching it as it is "
            "(`--no-update`, `update=False` in Python, skips this check)"
        ]
    return None, report, []


def _opened_live(index_dir: Path) -> OpenBuild | None:
    """The live build, open for reading, or None when it cannot be opened."""
    try:
        return open_live(index_dir)
    except IndexUnavailable:
        return None


def _kept_if_current(build: OpenBuild, corpus_dir: Path | str | None, index_dir: Path) -> bool:
    """Whether the open build holds the corpus as it is now (`is_up_to_date`); if not, or if
    the check fails (`CorpusError` when the corpus folder is gone), the build is closed."""
    current = False
    try:
        current = _holds_corpus(build.manifest, corpus_dir, index_dir)
    finally:
        if not current:
            build.close()
    return current


def _names_own_corpus(corpus_dir: Path | str | None, index_dir: Path) -> bool:
    """Whether the corpus asked for (`corpus_dir`, else `$SEARCHER_CORPUS`) is the one the live
    build was made from, or none is asked for: a missing folder of another name is a mistyped
    one, not a corpus gone (an unmounted disk) that the index can stand in for."""
    named = asked_corpus(corpus_dir)
    build = live_build(index_dir)
    manifest = Manifest.load(build) if build else None
    return named is None or manifest is None or str(named) == manifest.corpus


def read_as_it_is(corpus_dir: Path | str | None, held: Path, place: str) -> list[str]:
    """Warnings for reading `place` (an index, a collection) without an update: another
    corpus asked for (`corpus_dir`, else `$SEARCHER_CORPUS`) than the one it holds, `held`,
    is not the one searched."""
    named = asked_corpus(corpus_dir)
    if named is None or named == held:
        return []
    return [f"{place} holds {held}, not {named}: searching it as it is, without an update "
            "(`--no-update`, `update=False` in Python)"]


def asked_corpus(corpus_dir: Path | str | None) -> Path | None:
    """The corpus asked for, `corpus_dir` else `$SEARCHER_CORPUS`, as an index records it
    (`_folder`); None when none is."""
    named = Path(corpus_dir) if corpus_dir is not None else corpus_from_environment()
    return None if named is None else _folder(named)


def _os_reason(error: OSError) -> str:
    return f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")


def chosen_corpus(given: Path | str | None, manifest: Manifest | None, build: Path | None = None) -> Path:
    """The corpus to index: the one given, `$SEARCHER_CORPUS`, the index's own, or the
    bundled one for a new index. `build` is the index's live build (or, where `CURRENT`
    names none, its newest build), when its manifest cannot be read: the corpus it names, if
    that can be read. `CorpusError` when the
    index's own corpus folder is gone, or unknown."""
    if (named := asked_corpus(given)) is not None:
        return named
    if manifest is not None:
        held = manifest.corpus
    elif build is None:
        return bundled_corpus().resolve()
    elif (recorded := _recorded_corpus(build)) is not None:
        held = recorded
    else:
        raise CorpusError(
            f"the index in {build.parent} does not say which corpus it holds (its manifest is "
            "unreadable); name the corpus with --corpus or SEARCHER_CORPUS"
        )
    if not Path(held).is_dir():
        raise CorpusError(
            f"corpus folder not found: {held} (the index was built from it); "
            "name the corpus with --corpus or SEARCHER_CORPUS"
        )
    return Path(held)


def _folder(named: Path) -> Path:
    """A corpus folder named as the index remembers it: its whole path, through the links
    it names (`~/current`, a link to this release's folder, stays `~/current`)."""
    return Path(os.path.abspath(named))


def _recorded_corpus(build: Path) -> str | None:
    """The corpus a manifest that `Manifest.load` cannot read names (one of another version
    of searcher), if it names one."""
    try:
        corpus = json.loads((build / MANIFEST).read_text(encoding="utf-8")).get("corpus")
    except (OSError, ValueError, AttributeError):
        return None
    return corpus if isinstance(corpus, str) and corpus else None


def stamp_matches(entry: dict[str, Any], file_stamp: Stamp) -> bool:
    """Whether a file's manifest entry records this stamp (`Stamp`)."""
    try:
        return _recorded_stamp(entry) == file_stamp  # (a tuple: as a `Stamp` is)
    except KeyError:  # (a damaged entry)
        return False


# A manifest entry's stamp, as a tuple (a check of every file at each search and update).
_recorded_stamp: Callable[[dict[str, Any]], tuple[int, ...]] = itemgetter(*Stamp._fields)
