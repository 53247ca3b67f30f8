"""Build the index from a corpus folder, and keep it up to date as the corpus changes.

A full build is written into a new build folder and made live by replacing `CURRENT` in one
atomic step (`builds`), so a build killed half-way leaves the previous index intact (the next
update deletes what it wrote). An incremental update deletes and re-adds the sections of the
files that changed, in one Whoosh commit. The build's manifest records the Whoosh generation
it describes; when a crash left it behind the index, the index's own stored fields are trusted
instead.

Which corpus an update reads is decided under the update lock: the one named by the caller (or
`$SEARCHER_CORPUS`), else the one the index was built from (where `CURRENT` names no build, the
one its newest build holds), else the bundled corpus. An index never changes corpus unless told to.

A build replaced by a rebuild is deleted as soon as no reader holds it, at the latest by the
next update.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import replace as replaced
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from . import arguments
from .article import decode, parse_article
from .atomic import write_atomically
from .builds import (
    CURRENT,
    READERS,
    Manifest,
    asked_corpus,
    chosen_corpus,
    is_build_name,
    live_build,
    newest_build,
    stamp_matches,
)
from .codec import CODEC_VERSION, BuildCodec
from .corpus import Stamp, corpus_entries, digest, paths, stamp
from .errors import MAX_NAMES, ArticleError, CorpusError, IndexLocked, IndexNotWritable, listed, quoted
from .live import unheld
from .schema import (
    ARTICLE,
    ARTICLE_KIND,
    DIGEST,
    INFOBOX_NAMES,
    KIND,
    PATH,
    SCHEMA_VERSION,
    build_schema,
    documents,
    unreadable_values,
    words_of,
)
from .storage import BuildStorage
from .vocabulary import Vocabulary

try:
    import fcntl
except ImportError:  # Windows: a file in use cannot be deleted there anyway
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "update"
# From this many files to (re)index, the writer uses two processes, each indexing batches of
# documents into a segment of its own. A second segment makes every query slower (it is
# searched too: on the 112 real articles query+snippets p50 is 1.25 ms with two, 1.00 ms with
# one), so it has to save a build real time: on 2 cores, 0.08 s at 20 files, 0.12 s at 30,
# 0.26 s at 50 and 0.6 s at 112 (1.03 s against 1.62 s). Below 50 files it saves under 0.2 s.
PARALLEL_FROM = 50
# A file larger than this is no article (the longest Wikipedia articles are about 1 MB; a
# 50 MB file takes 40 s and 330 MB to index): it is skipped, where reading it whole could
# exhaust the memory and stop the build.
LARGEST_ARTICLE_BYTES = 64 * 2**20
# How many documents (whole articles, at least) the writer hands to one of its processes at once.
BATCH = 100
# Whoosh's estimate of the postings an update's one-process writer holds in memory: beyond it,
# it sorts runs to temporary files (slower). Real memory is about 1.4 times this.
POSTINGS_MB = 200
# The postings a writer packs by term (writer.py, about 45 bytes a posting) and holds in memory
# in each of its processes (a build's, or a two-process update's) before it writes runs: on the
# scaled corpus of the benchmark (20,000 sections, 2.8 million postings) each of two processes
# holds about 60 MB, which take about 75 MB of its memory.
PROCESS_POSTINGS_MB = 100
# An incremental update is followed by a rebuild when deleted documents (the old versions
# of edited or removed articles) pass this share of all documents: the index then stays close
# to the size of a fresh rebuild.
MERGE_DELETED_SHARE = 0.1

# The stamp of a file that could not be read: it matches none.
UNKNOWN_STAMP = Stamp(-1, -1, -1)

Progress = Callable[[int, int], None]
Notify = Callable[[str], None]


@dataclass
class IndexReport:
    """What an update did, and what the index holds now.

    `added`, `updated` and `removed` name article files that entered, changed in, or left
    the index; files that could not be indexed are in `problems` (all of them) and
    `new_problems` (those this update read), never among the added or updated.
    """

    corpus: str = ""
    articles: int = 0
    sections: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    new_problems: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    same_titles: dict[str, list[str]] = field(default_factory=dict)
    previous_corpus: str | None = None
    rebuilt: bool = False

    @property
    def changed(self) -> bool:
        """Whether the update changed what the index holds."""
        return bool(self.added or self.updated or self.removed or self.rebuilt)


def update_index(
    corpus_dir: Path | str | None,
    index_dir: Path | str,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    notify: Notify | None = None,
    lock_timeout: float | None = 60.0,
) -> IndexReport:
    """Bring the index in `index_dir` up to date with the articles in `corpus_dir`.

    `corpus_dir` None means `$SEARCHER_CORPUS` if set, else the corpus the index was built
    from, else the bundled corpus; naming another corpus than the index's switches it (and
    `notify` says so). Only files added, edited or removed since the last update are
    (re)indexed, unless `rebuild` is true or the index is missing or from another schema
    version, in which case a new build replaces it atomically. A file that cannot be read or
    parsed is reported in `IndexReport.problems` and every other file is still indexed.

    Waits up to `lock_timeout` seconds (None: as long as it takes) for another update to
    finish, then raises `IndexLocked`; raises `IndexNotWritable` where the index cannot be
    written.
    """
    index_dir = arguments.folder(index_dir, "index_dir")
    if corpus_dir is not None:
        arguments.folder(corpus_dir, "corpus_dir")
    lock_timeout = arguments.seconds(lock_timeout, "lock_timeout")
    asked = asked_corpus(corpus_dir)
    if asked is not None and not asked.is_dir():  # (before writing anything)
        raise CorpusError(f"corpus folder not found: {asked}")
    _create_folder(index_dir)
    _check_is_index_folder(index_dir)
    with _update_lock(index_dir, lock_timeout, notify):
        build = live_build(index_dir)
        # `CURRENT` names no build (deleted, emptied, damaged): the newest build left says
        # which corpus the index held, never the bundled one.
        lost = None if build else newest_build(index_dir)
        recorded = build or lost  # (the build whose manifest names the corpus)
        manifest = Manifest.load(recorded) if recorded else None
        corpus = chosen_corpus(corpus_dir, manifest, recorded)
        held = manifest.corpus if manifest else None
        files = corpus_entries(corpus, leave_out=index_dir, notify=notify)
        if not files and notify:  # (a wrong folder named, most likely)
            notify(f"the corpus folder {corpus} holds no article files (*.txt)")
        reason = (_lost_reason(index_dir, lost, asked) if lost
                  else rebuild_reason(rebuild, build, manifest) or _codec_reason(manifest))
        ix = _opened(build) if not reason and build is not None else None
        if not reason and ix is None:
            reason = "its files cannot be read"
        if reason:
            if notify:
                notify(f"building the index in {index_dir} from {corpus} ({reason})")
            report = _full_build(corpus, index_dir, paths(files), progress)
        else:
            assert build is not None and manifest is not None and ix is not None
            report = _incremental(corpus, build, ix, manifest, files, progress, notify)
        announce(report, held, corpus, f"the index in {index_dir}", notify)
        _remove_old_builds(index_dir)
        return report


def announce(report: IndexReport, held: str | None, corpus: Path, place: str, notify: Notify | None) -> None:
    """Record in the report that an update switched `place` (an index or a collection) from
    the corpus it `held`, and say so, and name titles that several files share."""
    if held is not None and held != str(corpus):
        report.previous_corpus = held
        if notify:
            notify(f"{place} now holds {corpus} (it held {held})")
    if notify:
        for message in _same_title_notes(report):
            notify(message)


def _same_title_notes(report: IndexReport) -> Iterator[str]:
    """A note for each title shared by several files, one of which this update indexed."""
    indexed = {*report.added, *report.updated}
    for title, names in report.same_titles.items():
        if indexed & set(names):
            yield (
                f"{len(names)} files have the title '{title}': {listed(names)}; "
                "hits name the file, and 'searcher show FILE' shows one"
            )


def rebuild_reason(rebuild: bool, build: Path | None, manifest: Manifest | None) -> str:
    if rebuild:
        return "rebuild asked for"
    if build is None:
        return "no index yet"
    if manifest is None:
        return "its manifest is unreadable"
    if manifest.schema_version != SCHEMA_VERSION:
        return f"it was built by searcher {manifest.searcher_version}, with another schema"
    return ""


def _codec_reason(manifest: Manifest | None) -> str:
    """Why a Whoosh index of this version's schema is rebuilt all the same: its files were
    written by another codec (`rebuild_reason`, which a Typesense collection shares, does not
    ask)."""
    if manifest is not None and manifest.codec_version != CODEC_VERSION:
        return f"it was built by searcher {manifest.searcher_version}, which wrote its files another way"
    return ""


def _lost_reason(index_dir: Path, lost: Path, asked: Path | None) -> str:
    """Why an index whose `CURRENT` names no build is built anew, and, unless a corpus was
    `asked` for, that its corpus is the one `lost`, its newest build, holds."""
    damaged = (f"its {CURRENT} file names no build folder" if (index_dir / CURRENT).exists()
               else f"it has no {CURRENT} file")
    return damaged if asked is not None else f"{damaged}; the corpus is that of its newest build, {lost.name}"


def _opened(build: Path) -> whoosh_index.Index | None:
    """The build's index, for writing, once Whoosh could open its segments; None when it
    cannot (damaged)."""
    storage: FileStorage = BuildStorage(str(build))
    try:
        ix: whoosh_index.Index = storage.open_index()
        ix.reader().close()
    except Exception:  # Whoosh raises many kinds on a damaged index
        return None
    return ix


def _full_build(
    corpus_dir: Path, index_dir: Path, files: dict[str, Path], progress: Progress | None
) -> IndexReport:
    build = index_dir / f"build-{time.strftime('%Y%m%d%H%M%S')}-{os.urandom(4).hex()}"  # (BUILD_NAME)
    build.mkdir()
    try:
        (build / READERS).touch()
        storage: FileStorage = BuildStorage(str(build))
        ix = storage.create_index(build_schema())
        manifest, vocabulary = Manifest(str(corpus_dir), unheld_names=[]), Vocabulary()
        report = IndexReport(rebuilt=True)
        # The vocabulary of a new build is written while the writer processes write their
        # segments: nothing reads it unless the build is made live.
        _write(ix, manifest, vocabulary, files, report, progress, alongside=lambda: vocabulary.save(build))
        manifest.save(build)
        write_atomically(index_dir / CURRENT, build.name)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return _finish(report, manifest, ix.doc_count())


def _incremental(
    corpus_dir: Path,
    build: Path,
    ix: whoosh_index.Index,
    manifest: Manifest,
    files: dict[str, os.DirEntry[str]],
    progress: Progress | None,
    notify: Notify | None,
) -> IndexReport:
    _remove_leftovers(ix)
    vocabulary = Vocabulary.load(build)
    if manifest.generation != ix.latest_generation():  # the manifest missed a commit:
        manifest.files, vocabulary = _files_in_index(ix)  # trust the index
        manifest.unheld_names = None  # (what that commit deleted is not known)
    recorded = manifest.copy()
    manifest.corpus = str(corpus_dir)
    report, changed, gone = pending_changes(manifest, files)
    if changed or gone:
        try:
            replaced_names = _write(ix, manifest, vocabulary, changed, report, progress, replace=gone)
        except BaseException:
            _remove_leftovers(ix)  # (a commit that failed half-way: its files)
            raise
    with ix.reader() as reader:
        if changed or gone:
            # The names only deleted documents may have now: those of the articles replaced,
            # and those that had none before (None: not known, all are read).
            unheld_before = manifest.unheld_names
            maybe_unheld = None if unheld_before is None else {*unheld_before, *replaced_names}
            manifest.unheld_names = unheld(reader, INFOBOX_NAMES, maybe_unheld)
        documents = reader.doc_count()
        deleted = 1 - documents / max(reader.doc_count_all(), 1)  # (old versions of edited articles)
    if changed or gone:
        vocabulary.save(build)
    manifest.save(build, unless=recorded)
    if deleted > MERGE_DELETED_SHARE:
        # The deleted documents dropped (the index stays the size of a rebuild) by a
        # rebuild: Whoosh's `optimize` merges in one process, with its slow posting pool (a
        # one-file edit took 75 s on 3,360 articles, where a rebuild takes 22 s).
        if notify and len(files) >= PARALLEL_FROM:  # (a rebuild worth waiting for: say why)
            notify(f"rebuilding the index in {build.parent}: {deleted:.0%} of its documents are old "
                   "versions of edited or removed articles")
        rebuilt = _full_build(corpus_dir, build.parent, paths(files), progress=None)
        # (what the index holds now is the rebuild's; what changed, what the update did)
        return replaced(
            rebuilt, added=report.added, updated=report.updated, removed=report.removed,
            new_problems=report.new_problems, rebuilt=False,
        )
    return _finish(report, manifest, documents)


def _remove_leftovers(ix: whoosh_index.Index) -> None:
    """Delete what a writer killed (or failed) half-way left in the live build: its folders
    of temporary files, and segment files that no generation lists (as Whoosh's commit
    deletes those it replaced). Hold the lock: no other writer is at work."""
    assert isinstance(ix, whoosh_index.FileIndex)  # (as BuildStorage opens it)
    storage = ix.storage
    toc = whoosh_index.TOC.read(storage, ix.indexname)
    whoosh_index.clean_files(storage, ix.indexname, toc.generation, toc.segments)
    for leftover in Path(storage.folder).glob("*.tmp"):  # type: ignore[attr-defined]  # (a FileStorage's)
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def pending_changes(
    manifest: Manifest, files: Mapping[str, Path | os.DirEntry[str]]
) -> tuple[IndexReport, dict[str, Path], list[str]]:
    """What an update has to do: the files of the corpus that are new or edited since
    `manifest` was written, and the names of those gone from it, which are dropped from the
    manifest; the report starts with the gone files that were indexed. A file touched but not
    edited (same digest) is not changed: its new stamp is recorded in the manifest."""
    changed: dict[str, Path] = {}
    for name, path in files.items():
        known = manifest.files.get(name)
        if known is None:
            changed[name] = Path(path)
        elif (now := _stamp_or_none(path)) is None or not stamp_matches(known, now):
            data_digest = _digest_or_none(Path(path))
            if now is not None and data_digest is not None and data_digest == known.get("digest"):
                known.update(_stamp_dict(now))  # touched, not edited
            else:
                changed[name] = Path(path)  # (gone since it was listed: `read_documents` says so)
    gone = [name for name in manifest.files if name not in files]
    report = IndexReport(removed=[name for name in gone if not manifest.files[name].get("error")])
    for name in gone:
        del manifest.files[name]
    return report, changed, gone


def _write(
    ix: whoosh_index.Index,
    manifest: Manifest,
    vocabulary: Vocabulary,
    todo: dict[str, Path],
    report: IndexReport,
    progress: Progress | None,
    replace: list[str] | None = None,
    alongside: Callable[[], None] | None = None,
) -> set[str]:
    """Index the files in `todo` in one commit, recording each in the manifest, the
    vocabulary and the report.

    With `replace` (an incremental update), the files' old documents go, and those of the
    files named in `replace` (removed from the corpus): what it returns is the infobox names
    of the articles it deleted. `alongside` is called once the vocabulary has counted every
    file, before the commit ends (while writer processes write their segments, if there are
    any).
    """
    was_indexed = {name: name in manifest.files and not manifest.files[name].get("error") for name in todo}
    parallel = len(todo) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
    writer = _writer(ix, vocabulary, parallel, new_build=replace is None, alongside=alongside)
    # (the processes of a parallel writer count the words of what they index)
    counting = None if parallel else vocabulary
    replaced_names: set[str] = set()
    try:
        if replace is not None:
            replaced_names = _delete_files(writer, vocabulary, [*replace, *todo])
        for done, (name, path) in enumerate(todo.items(), 1):
            manifest.files[name] = entry = _index_file(writer, counting, name, path, report)
            if "error" not in entry:
                (report.updated if was_indexed[name] else report.added).append(name)
            elif was_indexed[name]:
                report.removed.append(name)
            if progress:
                progress(done, len(todo))
        if alongside is not None and not parallel:
            alongside()  # (ParallelWriter calls it in its commit)
        writer.commit()
    except BaseException:
        if not writer.is_closed:  # (a commit that failed has closed it)
            writer.cancel()
        raise
    manifest.generation = ix.latest_generation()
    return replaced_names


def _delete_files(writer: Any, vocabulary: Vocabulary, names: list[str]) -> set[str]:
    """Delete the documents of the files `names`, uncounting their words in `vocabulary`;
    the infobox names of the articles deleted. (By document number, from the postings of
    the writer's own reader: `delete_by_term` and a searcher would load Whoosh's queries.)"""
    with writer.reader() as reader:
        docnums = [
            docnum for name in names if (PATH, name) in reader
            for docnum in reader.postings(PATH, name).all_ids()  # (the documents not deleted)
        ]
        deleted = [reader.stored_fields(docnum) for docnum in docnums]
    vocabulary.remove(map(words_of, deleted))  # (an article document has none)
    for docnum in docnums:
        writer.delete_document(docnum)
    return {
        infobox_name for fields in deleted if fields[KIND] == ARTICLE_KIND
        for infobox_name in fields.get(INFOBOX_NAMES, "").split()
    }


def _writer(
    ix: whoosh_index.Index,
    vocabulary: Vocabulary,
    parallel: bool,
    new_build: bool,
    alongside: Callable[[], None] | None,
) -> Any:
    """The writer of an update or a build: of two processes (`ParallelWriter`, which adds the
    words they index to `vocabulary` and calls `alongside` in its commit), else of this one,
    which holds a new build's postings by term too (its documents come in order, as a
    `TermPool` needs; an update's writer may also merge segments into its pool, so it keeps
    Whoosh's)."""
    # (imported here: a search that updates nothing loads no writer, an update of a few files
    # no processes)
    if parallel:
        from .processes import ParallelWriter

        return ParallelWriter(
            ix, vocabulary, alongside, procs=2, multisegment=True, batchsize=BATCH,
            limitmb=PROCESS_POSTINGS_MB, codec=BuildCodec(),
        )
    writer: Any = ix.writer(limitmb=POSTINGS_MB, codec=BuildCodec())  # (a SegmentWriter)
    if new_build:
        from .writer import TermPool

        writer.pool = TermPool(writer.temp_storage(), writer.newsegment, PROCESS_POSTINGS_MB)
    return writer


def _index_file(
    writer: Any, vocabulary: Vocabulary | None, name: str, path: Path, report: IndexReport
) -> dict[str, Any]:
    """Add one file's documents, counting their words in `vocabulary` if given; its manifest
    entry, with the error if it could not be."""
    entry, found = read_documents(name, path, report)
    if found:
        # The article document, then its sections: Whoosh's nested documents, which a group
        # keeps in one segment. The last is added just after the group: a writer of two
        # processes hands its documents over in batches only from an `add_document` outside
        # a group, so with every document in one, the whole corpus went to one process at
        # commit (test_indexer pins this).
        *grouped, last = found
        with writer.group():
            for document in grouped:
                writer.add_document(**document)
        writer.add_document(**last)
        if vocabulary is not None:
            vocabulary.add(map(words_of, found))
    return entry


def read_documents(name: str, path: Path, report: IndexReport) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One file's manifest entry and documents (`schema.documents`); none, and the entry
    with the error (also in `report.new_problems`), when it cannot be read or parsed."""
    # (a file gone since it was listed is a file that cannot be read: the next update drops it)
    file_stamp = _stamp_or_none(path) or UNKNOWN_STAMP
    entry = _stamp_dict(file_stamp)
    if file_stamp.size > LARGEST_ARTICLE_BYTES:
        entry["error"] = report.new_problems[name] = (
            f"{path}: {file_stamp.size:,} bytes, too large for an article "
            f"(at most {LARGEST_ARTICLE_BYTES // 2**20} MB)"
        )
        return entry, []
    try:
        data = path.read_bytes()
        entry["digest"] = digest(data)
        article = parse_article(decode(data, path), path)
        found = documents(article, name, entry["digest"])
        if len(found) == 1:  # the article document alone: no section has text
            raise ArticleError(f"{path}: a title ('{article.title}') but no text to index")
    except OSError as error:
        entry["error"] = report.new_problems[name] = f"{path}: cannot read ({error.strerror})"
        return entry, []
    except ArticleError as error:
        entry["error"] = report.new_problems[name] = str(error)
        return entry, []
    entry["title"] = article.title
    if notes := unreadable_values(article):
        entry["notes"] = notes
    return entry, found


def _finish(report: IndexReport, manifest: Manifest, documents: int) -> IndexReport:
    """The report of an index of `documents` documents, that the manifest describes."""
    report.corpus = manifest.corpus
    report.problems = manifest.problems()
    report.notes = manifest.notes()
    report.same_titles = manifest.same_titles()
    report.articles = len(manifest.indexed())
    report.sections = documents - report.articles  # one article document each
    return report


def _files_in_index(ix: whoosh_index.Index) -> tuple[dict[str, dict[str, Any]], Vocabulary]:
    """Each indexed file's digest and title, read from the stored fields (stamps unknown),
    and the vocabulary of its sections."""
    vocabulary = Vocabulary()
    with ix.searcher() as searcher:
        files = {
            fields[PATH]: {**_stamp_dict(UNKNOWN_STAMP), "digest": fields[DIGEST], "title": fields[ARTICLE]}
            for fields in searcher.documents(kind=ARTICLE_KIND)
        }
        vocabulary.add(map(words_of, searcher.all_stored_fields()))  # (an article's: none)
    return files, vocabulary


def _stamp_dict(file_stamp: Stamp) -> dict[str, Any]:
    return file_stamp._asdict()


def _stamp_or_none(path: Path | os.DirEntry[str]) -> Stamp | None:
    try:
        return stamp(path)
    except OSError:
        return None


def _digest_or_none(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


def _check_is_index_folder(index_dir: Path) -> None:
    """Refuse a folder that holds anything but an index (`IndexNotWritable`): its builds, the
    file naming the live one, the update lock, and hidden files (left alone). An update never
    writes over, or deletes, what it did not make."""
    with os.scandir(index_dir) as entries:
        foreign = sorted(entry.name for entry in entries if not _is_of_an_index(entry))
    if foreign:
        shown = ", ".join(quoted(name) for name in foreign[:MAX_NAMES])
        more = f" and {len(foreign) - MAX_NAMES} more" if len(foreign) > MAX_NAMES else ""
        raise IndexNotWritable(
            f"{index_dir} is not an index folder: it holds {shown}{more}; choose an empty or "
            "new folder with --index or SEARCHER_INDEX"
        )


def _is_of_an_index(entry: os.DirEntry[str]) -> bool:
    if entry.name.startswith("."):
        return True
    if entry.name == CURRENT:  # a build's name; or, beside a build, damaged (`update_index` says so)
        try:
            with open(entry.path, "rb") as file:  # (or some file of the same name)
                named = is_build_name(file.read(64).decode("ascii", errors="replace"))
        except OSError:
            return False
        return named or newest_build(Path(entry.path).parent) is not None
    if entry.name == LOCK_NAME:
        return entry.is_file()
    return is_build_name(entry.name) and entry.is_dir()


def remove_replaced_builds(index_dir: Path) -> None:
    """Delete the builds a rebuild replaced that no reader holds any more, unless an update
    is at work (which does so as it ends): for a reader that let go of a replaced build
    (`Searcher.close`), which would otherwise stay on disk until the next update."""
    try:
        with _update_lock(index_dir, timeout=0, notify=None):
            _remove_old_builds(index_dir)
    except (IndexLocked, IndexNotWritable):
        pass


def _remove_old_builds(index_dir: Path) -> None:
    """Delete the builds other than the live one that no reader holds: finished ones a
    rebuild replaced, and unfinished ones (no manifest) a killed build left. Hold the lock.
    A build folder is known by its name and its readers file (or, killed before it made
    that, by being empty)."""
    live = live_build(index_dir)
    if live is None:  # (none is replaced: the newest build may be what says what the index held)
        return
    for build in index_dir.iterdir():
        if (
            is_build_name(build.name) and build.is_dir() and build != live
            and ((build / READERS).is_file() or not any(build.iterdir()))
        ):
            with _unread(build) as unread:
                if unread:
                    shutil.rmtree(build, ignore_errors=True)


@contextmanager
def _unread(build: Path) -> Iterator[bool]:
    """Whether no reader holds the build; while true, none can start to."""
    if fcntl is None:
        yield True  # where files in use cannot be deleted, deleting fails harmlessly
        return
    try:
        hold = os.open(build / READERS, os.O_RDONLY)
    except OSError:
        yield True  # unfinished before its readers file was made
        return
    try:
        fcntl.flock(hold, fcntl.LOCK_EX | fcntl.LOCK_NB)
        locked = True
    except OSError:
        locked = False
    try:
        yield locked
    finally:
        os.close(hold)


def _create_folder(index_dir: Path) -> None:
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise IndexNotWritable(
            f"cannot create the index folder {index_dir} ({error.strerror or error}); "
            "choose another with --index or SEARCHER_INDEX"
        ) from None


@contextmanager
def _update_lock(index_dir: Path, timeout: float | None, notify: Notify | None) -> Iterator[None]:
    """Hold the index folder's update lock, waiting up to `timeout` seconds (None: for as
    long as it takes) for it."""
    lock = FileStorage(str(index_dir)).lock(LOCK_NAME)
    deadline = None if timeout is None else time.monotonic() + timeout
    told = False
    while not _acquire(lock, index_dir):
        if deadline is not None and time.monotonic() >= deadline:
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


def _acquire(lock: Any, index_dir: Path) -> bool:
    try:
        return bool(lock.acquire(blocking=False))
    except OSError as error:
        raise IndexNotWritable(
            f"cannot update the index in {index_dir}: {error.strerror or error}"
        ) from None
