"""Build the index from a corpus folder, and keep it up to date as the corpus changes.

An index folder holds builds and a `CURRENT` file naming the live one. A full build is
written into a new build folder and made live by replacing `CURRENT` in one atomic step, so
a build killed half-way leaves the previous index intact (the next update deletes what it
wrote). An incremental update deletes and re-adds the sections of the files that changed, in
one Whoosh commit. Each build keeps a manifest (`searcher.json`) of the files it holds, which
is how a changed corpus is noticed without reading it; the manifest records the Whoosh
generation it describes, and when a crash left it behind the index, the index's own stored
fields are trusted instead.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from . import __version__
from .article import decode, parse_article
from .corpus import Stamp, corpus_files, digest, stamp
from .errors import ArticleError, IndexLocked, IndexUnavailable
from .schema import SCHEMA_VERSION, build_schema, documents, unreadable_values

CURRENT = "CURRENT"
MANIFEST = "searcher.json"
LOCK_NAME = "update"
# Above this many files to (re)index, the writer uses two processes.
PARALLEL_FROM = 400
# Whoosh's estimate of the postings its writer processes hold in memory, shared between them:
# beyond it they sort runs to temporary files (slower). Real memory is about 1.4 times this.
POSTINGS_MB = 200

Progress = Callable[[int, int], None]
Notify = Callable[[str], None]


@dataclass
class IndexReport:
    """What an update did, and what the index holds now."""

    articles: int = 0
    sections: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    new_problems: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    rebuilt: bool = False

    @property
    def changed(self) -> bool:
        """Whether the update changed what the index holds."""
        return bool(self.added or self.updated or self.removed or self.rebuilt)


@dataclass
class Manifest:
    """What a build holds: each file's stamp and digest, or why it could not be indexed."""

    corpus: str
    generation: int = -1
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION
    searcher_version: str = __version__

    @classmethod
    def load(cls, build: Path) -> Manifest | None:
        """The manifest of a build, or None when it is missing or unreadable."""
        try:
            data = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None

    def save(self, build: Path) -> None:
        """Write the manifest atomically."""
        _write_atomically(build / MANIFEST, json.dumps(self.__dict__, ensure_ascii=False))

    def notes(self) -> dict[str, list[str]]:
        """Indexed files with values kept as text only (a date that could not be read)."""
        return {name: info["notes"] for name, info in self.files.items() if info.get("notes")}

    def problems(self) -> dict[str, str]:
        """Files of the corpus that are not indexed, with the reason."""
        return {name: info["error"] for name, info in self.files.items() if info.get("error")}


def live_build(index_dir: Path) -> Path | None:
    """The build folder `CURRENT` names, if there is one."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    build = index_dir / name
    return build if name and build.is_dir() else None


def open_live(index_dir: Path) -> tuple[whoosh_index.Index, Manifest]:
    """Open the live build for reading; `IndexUnavailable` says why it cannot be."""
    build = live_build(index_dir)
    if build is None:
        raise IndexUnavailable(f"no index in {index_dir}: run 'searcher index' to build it")
    manifest = Manifest.load(build)
    if manifest is None or manifest.schema_version != SCHEMA_VERSION:
        raise IndexUnavailable(
            f"the index in {index_dir} was built by another version of searcher: "
            "run 'searcher index --rebuild'"
        )
    try:
        return whoosh_index.open_dir(str(build)), manifest
    except Exception as error:  # Whoosh raises many kinds on a damaged index
        raise IndexUnavailable(f"cannot read the index in {index_dir}: {error}") from None


def recorded_corpus(index_dir: Path) -> Path | None:
    """The corpus folder the live build was made from, if it still exists."""
    build = live_build(index_dir)
    manifest = Manifest.load(build) if build else None
    if manifest is None or not Path(manifest.corpus).is_dir():
        return None
    return Path(manifest.corpus)


def is_up_to_date(corpus_dir: Path, index_dir: Path) -> bool:
    """Whether the live build holds exactly the corpus as it is now (checked by file stamps)."""
    build = live_build(index_dir)
    manifest = Manifest.load(build) if build else None
    if manifest is None or manifest.schema_version != SCHEMA_VERSION:
        return False
    if manifest.corpus != str(corpus_dir.resolve()):
        return False
    files = corpus_files(corpus_dir)
    if files.keys() != manifest.files.keys():
        return False
    return all(_stamp_matches(manifest.files[name], stamp(path)) for name, path in files.items())


def update_index(
    corpus_dir: Path | str,
    index_dir: Path | str,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    notify: Notify | None = None,
    lock_timeout: float = 60.0,
) -> IndexReport:
    """Bring the index in `index_dir` up to date with the articles in `corpus_dir`.

    Only files added, edited or removed since the last update are (re)indexed, unless
    `rebuild` is true or the index is missing or from another schema version, in which case
    a new build replaces it atomically. A file that cannot be read or parsed is reported in
    `IndexReport.problems` and every other file is still indexed.
    """
    corpus_dir, index_dir = Path(corpus_dir).resolve(), Path(index_dir)
    files = corpus_files(corpus_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with _update_lock(index_dir, lock_timeout, notify):
        build = live_build(index_dir)
        manifest = Manifest.load(build) if build else None
        reason = _rebuild_reason(rebuild, build, manifest)
        if reason:
            if notify:
                notify(f"building the index in {index_dir} ({reason})")
            report = _full_build(corpus_dir, index_dir, files, progress)
        else:
            assert build is not None and manifest is not None
            report = _incremental(corpus_dir, build, manifest, files, progress)
        _remove_old_builds(index_dir)
        return report


def _rebuild_reason(rebuild: bool, build: Path | None, manifest: Manifest | None) -> str:
    if rebuild:
        return "rebuild asked for"
    if build is None:
        return "no index yet"
    if manifest is None:
        return "its manifest is unreadable"
    if manifest.schema_version != SCHEMA_VERSION:
        return f"it was built by searcher {manifest.searcher_version}, with another schema"
    return ""


def _full_build(
    corpus_dir: Path, index_dir: Path, files: dict[str, Path], progress: Progress | None
) -> IndexReport:
    build = index_dir / f"build-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
    build.mkdir()
    try:
        ix = whoosh_index.create_in(str(build), build_schema())
        manifest = Manifest(str(corpus_dir))
        report = IndexReport(rebuilt=True, added=list(files))
        _write(ix, manifest, files, report, progress)
        manifest.save(build)
        _write_atomically(index_dir / CURRENT, build.name)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return _finish(report, manifest, ix)


def _incremental(
    corpus_dir: Path,
    build: Path,
    manifest: Manifest,
    files: dict[str, Path],
    progress: Progress | None,
) -> IndexReport:
    ix = whoosh_index.open_dir(str(build))
    if manifest.generation != ix.latest_generation():
        manifest.files = _files_in_index(ix)  # the manifest missed a commit: trust the index
    manifest.corpus = str(corpus_dir)
    report = IndexReport()
    changed: dict[str, Path] = {}
    for name, path in files.items():
        known = manifest.files.get(name)
        if known is None:
            report.added.append(name)
            changed[name] = path
        elif not _stamp_matches(known, stamp(path)):
            data_digest = _digest_or_none(path)
            if data_digest is not None and data_digest == known.get("digest"):
                known.update(_stamp_dict(stamp(path)))  # touched, not edited
            else:
                report.updated.append(name)
                changed[name] = path
    report.removed = [name for name in manifest.files if name not in files]
    if changed or report.removed:
        for name in report.removed:
            del manifest.files[name]
        _write(ix, manifest, changed, report, progress, replace=True)
    manifest.save(build)
    return _finish(report, manifest, ix)


def _write(
    ix: whoosh_index.Index,
    manifest: Manifest,
    todo: dict[str, Path],
    report: IndexReport,
    progress: Progress | None,
    replace: bool = False,
) -> None:
    """Index the files in `todo` in one commit, recording each in the manifest."""
    procs = 2 if len(todo) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
    options: dict[str, Any] = {"procs": procs, "multisegment": True} if procs > 1 else {}
    writer = ix.writer(limitmb=POSTINGS_MB // procs, **options)
    try:
        if replace:
            for name in [*report.removed, *todo]:
                writer.delete_by_term("path", name)
        for done, (name, path) in enumerate(todo.items(), 1):
            manifest.files[name] = _index_file(writer, name, path, report)
            if progress:
                progress(done, len(todo))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    manifest.generation = ix.latest_generation()


def _index_file(writer: Any, name: str, path: Path, report: IndexReport) -> dict[str, Any]:
    """Add one file's sections; its manifest entry, with the error if it could not be."""
    entry = _stamp_dict(stamp(path))
    try:
        data = path.read_bytes()
        entry["digest"] = digest(data)
        article = parse_article(decode(data, path), path)
    except OSError as error:
        entry["error"] = report.new_problems[name] = f"{path}: cannot read ({error.strerror})"
        return entry
    except ArticleError as error:
        entry["error"] = report.new_problems[name] = str(error)
        return entry
    for document in documents(article, name, entry["digest"]):
        writer.add_document(**document)
    if notes := unreadable_values(article):
        entry["notes"] = notes
    return entry


def _finish(report: IndexReport, manifest: Manifest, ix: whoosh_index.Index) -> IndexReport:
    report.sections = ix.doc_count()
    report.problems = manifest.problems()
    report.notes = manifest.notes()
    report.articles = len(manifest.files) - len(report.problems)
    return report


def _files_in_index(ix: whoosh_index.Index) -> dict[str, dict[str, Any]]:
    """Each indexed file's digest, read from the stored fields (stamps unknown)."""
    with ix.searcher() as searcher:
        return {
            fields["path"]: {"size": -1, "mtime_ns": -1, "digest": fields["digest"]}
            for fields in searcher.all_stored_fields()
        }


def _stamp_dict(file_stamp: Stamp) -> dict[str, Any]:
    return {"size": file_stamp.size, "mtime_ns": file_stamp.mtime_ns}


def _stamp_matches(entry: dict[str, Any], file_stamp: Stamp) -> bool:
    return entry.get("size") == file_stamp.size and entry.get("mtime_ns") == file_stamp.mtime_ns


def _digest_or_none(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _remove_old_builds(index_dir: Path) -> None:
    """Delete the builds other than the live one: unfinished ones (no manifest: a build killed
    half-way) and finished ones except the newest (readers may hold it). Hold the lock."""
    live = live_build(index_dir)
    old = [p for p in index_dir.glob("build-*") if p.is_dir() and p != live]
    finished = sorted((p for p in old if (p / MANIFEST).is_file()), key=lambda p: p.stat().st_mtime)
    for build in [p for p in old if p not in finished] + finished[:-1]:
        shutil.rmtree(build, ignore_errors=True)


@contextmanager
def _update_lock(index_dir: Path, timeout: float, notify: Notify | None) -> Iterator[None]:
    """Hold the index folder's update lock, waiting up to `timeout` seconds for it."""
    lock = FileStorage(str(index_dir)).lock(LOCK_NAME)
    deadline = time.monotonic() + timeout
    told = False
    while not lock.acquire(blocking=False):
        if time.monotonic() >= deadline:
            raise IndexLocked(
                f"the index in {index_dir} is being updated by another process "
                f"(waited {timeout:g} s); try again when it has finished"
            )
        if notify and not told:
            notify(f"waiting for another process to finish updating {index_dir} ...")
            told = True
        time.sleep(0.1)
    try:
        yield
    finally:
        lock.release()
