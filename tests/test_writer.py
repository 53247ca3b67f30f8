"""The writer a build of many files uses (writer.py): Whoosh's two-process writer, each process
holding its postings by term (`TermPool`).

These tests pin what `TermPool` relies on: that a writer hands its pool postings of documents
in order and reads them back sorted from `items`; what a process of the writer hands Whoosh's
commit (a segment as Whoosh writes it, and the words it counted); and when Whoosh's commit lets
the writer work alongside its processes. An upgrade that changes any of these fails here.
"""

from __future__ import annotations

import pickle
import queue
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.writing import PostingPool, SegmentWriter

from searcher import codec, read_article
from searcher.codec import BuildCodec
from searcher.errors import IndexNotWritable
from searcher.processes import ParallelWriter, _SubWriter
from searcher.schema import build_schema, documents, words_of
from searcher.vocabulary import Vocabulary
from searcher.writer import TermPool
from tests.conftest import CORPUS, word_counts

Posting = tuple[str, bytes, int, float, bytes]

# Documents in order, each with postings of a few fields and terms, one a term, as a field's
# words are, or the same posting twice, as a number field's list of values may give.
DOCUMENTS = st.lists(
    st.dictionaries(
        st.tuples(st.sampled_from(["body", "title", "ib_date"]), st.binary(max_size=3)),
        st.tuples(st.floats(0, 10, allow_nan=False), st.binary(max_size=6), st.integers(1, 2)),
        max_size=6,
    ),
    max_size=30,
)
Documents = list[dict[tuple[str, bytes], tuple[float, bytes, int]]]


def _postings(docs: Documents) -> list[Posting]:
    return [
        (fieldname, text, docnum, weight, value)
        for docnum, postings in enumerate(docs)
        for (fieldname, text), (weight, value, times) in postings.items()
        for _ in range(times)
    ]


def _pooled(pool: PostingPool, postings: list[Posting], limit: int | None) -> list[Posting]:
    if limit is not None:
        pool.limit = limit
    for posting in postings:
        pool.add(posting)
    return list(pool.items())


@given(docs=DOCUMENTS, limit=st.sampled_from([None, 0, 40, 300]))
def test_the_pool_gives_whooshs_postings_in_whooshs_order(docs: Documents, limit: int | None) -> None:
    """Held in memory or written to runs past its limit (bytes), as Whoosh's pool sorts them."""
    postings = _postings(docs)
    whooshs = _pooled(PostingPool(RamStorage(), None, limitmb=64), postings, None)
    assert _pooled(TermPool(RamStorage(), None, 64), postings, limit) == whooshs


def _documents() -> list[dict[str, Any]]:
    """The documents of the bundled articles, as a build adds them."""
    return [
        document
        for path in sorted(CORPUS.glob("*.txt"))
        for document in documents(read_article(path), path.name, "digest")
    ]


def _files(segment: Any, storage: Any) -> dict[str, bytes]:
    """A segment's files, by name without the segment's random id."""
    files = segment.open_compound_file(storage)
    return {name.split(".", 1)[1]: files.open_file(name).read() for name in files.list()}


def _segment(storage: Any, limit: int | None = None, runs: int = 0, copies: int = 1) -> dict[str, bytes]:
    """The files of a one-segment index of the bundled articles (`copies` times over); with
    `limit`, written with a `TermPool` of that limit (bytes), which writes `runs` runs before
    the commit."""
    ix = storage.create_index(build_schema())
    writer = ix.writer(codec=BuildCodec())
    if limit is not None:
        writer.pool = TermPool(writer.temp_storage(), writer.newsegment, 64)
        writer.pool.limit = limit
    for document in _documents() * copies:
        writer.add_document(**document)
    assert len(writer.pool.runs) == runs
    writer.commit()
    (segment,) = ix._segments()
    return _files(segment, ix.storage)


@pytest.mark.parametrize(("limit", "runs"), [(10**9, 0), (20_000, 9)])
def test_a_segment_written_through_the_pool_is_whooshs(limit: int, runs: int) -> None:
    """Held in memory (and written by term: `BuildCodec`), and written to runs that are merged
    back (a limit of 20 kB)."""
    assert _segment(RamStorage(), limit, runs) == _segment(RamStorage())


def test_terms_of_many_blocks_are_written_as_whoosh_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Terms with more postings than a block of Whoosh's holds (128), written by term."""
    blocks: list[int] = []
    fill = codec._fill

    def counted(postings: Any, docnums: list[int], *rest: Any) -> None:
        blocks.append(len(docnums))
        fill(postings, docnums, *rest)

    monkeypatch.setattr(codec, "_fill", counted)
    by_term = _segment(RamStorage(), 10**9, copies=30)
    assert blocks.count(128) > 10 and len(blocks) > 500
    assert by_term == _segment(RamStorage(), copies=30)


def test_each_process_of_the_parallel_writer_pools_by_term_and_counts_words(tmp_path: Path) -> None:
    """A process (run here in this one) pools its batches by term, writes Whoosh's segment,
    and hands over the words of what it indexed, as a one-process build counts them."""
    storage = FileStorage(str(tmp_path / "parallel")).create()
    ix = storage.create_index(build_schema())
    jobs: queue.Queue[Any] = queue.Queue()
    results: queue.Queue[Any] = queue.Queue()
    counted: queue.Queue[Any] = queue.Queue()
    task = _SubWriter(
        storage, ix.indexname, jobs, results, {"limitmb": 64, "codec": BuildCodec()}, True, counted=counted
    )
    found = _documents()
    temporary = storage.temp_storage(f"{ix.indexname}.tmp")  # the writers' job files, shared
    for number, batch in enumerate((found[:5], found[5:])):  # as MpWriter._enqueue writes them
        with temporary.create_file(f"job{number}").raw_file() as file:
            for document in batch:
                pickle.dump((0, document), file, 2)
        jobs.put((f"job{number}", len(batch)))
    jobs.put(None)
    task.run()
    assert isinstance(task.writer.pool, TermPool)
    expected = Vocabulary()
    expected.add(map(words_of, found))
    assert counted.get_nowait().columns() == expected.columns() and word_counts(expected, "norilsk") == [4]
    _, _, segment = results.get_nowait()
    assert _files(segment, storage) == _segment(FileStorage(str(tmp_path / "plain")).create())


class _Recorded:
    """A queue whose `put`s are recorded (forked with the writer's processes, it still works)."""

    def __init__(self, queue: Any, events: list[str]) -> None:
        self.queue, self.events = queue, events

    def put(self, item: Any, *args: Any) -> None:
        self.events.append("job" if item is not None else "finish")
        self.queue.put(item, *args)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self.queue.get(*args, **kwargs)


def test_the_parallel_writer_works_alongside_while_its_processes_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`alongside` runs once in the commit: after the processes got their last documents and
    were told to finish and handed over their counts, before they are waited for."""
    events: list[str] = []
    join = _SubWriter.join
    monkeypatch.setattr(_SubWriter, "join", lambda task, *args: events.append("wait") or join(task, *args))
    ix = FileStorage(str(tmp_path)).create().create_index(build_schema())
    writer = ParallelWriter(
        ix, Vocabulary(), lambda: events.append("alongside"), procs=2, multisegment=True, batchsize=3,
        limitmb=64, codec=BuildCodec(),
    )
    writer.jobqueue = _Recorded(writer.jobqueue, events)
    for document in _documents():
        writer.add_document(**document)
    writer.commit()
    assert events.count("job") > 2
    assert events[events.index("alongside") - 1 :] == ["finish", "alongside", "wait", "wait"]
    assert ix.doc_count() == len(_documents())


@pytest.mark.parametrize("failing", ["_process_file", "_finalize_segment"])
def test_a_process_that_fails_fails_the_commit(
    failing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A process that fails while it indexes, or later while it writes its segment (when
    Whoosh's commit would go on without that segment), fails the commit with its error, in
    one line: nothing is committed, no traceback is printed, and nothing waits for ever."""

    def disk_full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    owner = _SubWriter if failing == "_process_file" else SegmentWriter
    monkeypatch.setattr(owner, failing, disk_full)
    ix = FileStorage(str(tmp_path)).create().create_index(build_schema())
    vocabulary = Vocabulary()
    writer = ParallelWriter(
        ix, vocabulary, procs=2, multisegment=True, batchsize=3, limitmb=64, codec=BuildCodec()
    )
    for document in _documents():
        writer.add_document(**document)
    with pytest.raises(IndexNotWritable) as failed:
        writer.commit()
    writer.cancel()
    assert not any(task.is_alive() for task in writer.tasks)
    assert str(failed.value) == (
        "cannot write the index: a writer process failed (OSError: [Errno 28] No space left on device); "
        "nothing was committed"
    )
    assert ix.doc_count() == 0 and ix.latest_generation() == 0
    if failing == "_process_file":
        assert vocabulary.counted() == ("", [])
    assert "Traceback" not in capfd.readouterr().err
