"""The writer of a build of many files: Whoosh's two-process writer, each process holding its
postings by term (`writer.TermPool`).

Each process also counts the words of what it indexes for the index's vocabulary (the main
process would otherwise read every text a second time) and hands the counts over before it
writes its segment. A process that fails fails the commit, where Whoosh's would go on without
that process's segment. A module of its own: an update of a few files writes in one process,
and loads no `multiprocessing` (12 ms).

Pinned by tests/test_writer.py: a Whoosh upgrade that hands out the sub-writers' work another
way fails it.
"""

from __future__ import annotations

import os
import pickle
import queue
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from .errors import IndexNotWritable
from .schema import words_of
from .vocabulary import Vocabulary
from .writer import TermPool

# How often a writer process waiting for work checks that its parent is alive, in seconds.
PARENT_CHECK_SECONDS = 0.5


class _SubWriter(SubWriterTask):
    """A process of `ParallelWriter` (of `multisegment` Whoosh's): it indexes the batches of
    documents it is given into a segment of its own, its writer's pool a `TermPool`.

    It counts the words of the documents it indexes (`schema.words_of`, just after their
    text was analysed, which keeps their words) and puts the counts on `counted` before it
    writes its segment: the parent writes the vocabulary meanwhile. If it fails, it puts the
    error there, for the parent to report, and ends without a traceback."""

    def __init__(self, *args: Any, counted: Any) -> None:
        super().__init__(*args)  # type: ignore[no-untyped-call]  # (Whoosh's own)
        self.counted = counted
        self.vocabulary = Vocabulary()
        self._parent = os.getpid()  # (made in the parent)

    def run(self) -> None:
        # Whoosh's `SubWriterTask.run`, with this pool and the counts handed over.
        if os.getpid() != self._parent:  # (in a process of its own)
            threading.Thread(target=self._end_with_parent, daemon=True).start()
        try:
            ix = self.storage.open_index(self.indexname)
            writer = self.writer = SegmentWriter(ix, _lk=False, **self.kwargs)
            writer.pool = TermPool(writer.temp_storage(), writer.newsegment, self.kwargs["limitmb"])
            while (job := self.jobqueue.get()) is not None:
                self._process_file(*job)
            self.vocabulary.stem_words()
            self.counted.put(self.vocabulary)
            segment = writer._finalize_segment()
        except Exception as error:
            self.counted.put(f"{type(error).__name__}: {error}")
            sys.exit(1)
        self.resultqueue.put((None, writer.pool.fieldnames, segment), timeout=5)

    def _end_with_parent(self) -> None:
        """End this process once its parent is gone (killed), whatever it is doing: waiting
        for work, or, at its exit, for what it handed over to be read, which nothing will;
        else it would hold the update lock the parent held for ever."""
        while os.getppid() == self._parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    def _process_file(self, filename: str, doc_count: int) -> None:
        # Whoosh's, each document's words counted after it is added.
        temporary = self.writer.temp_storage()
        with temporary.open_file(filename).raw_file() as file:
            for _ in range(doc_count):
                _, document = pickle.load(file)
                self.writer.add_document(**document)
                self.vocabulary.add([words_of(document)])
        temporary.delete_file(filename)


class ParallelWriter(MpWriter):
    """Whoosh's multi-process writer (`ix.writer(procs=...)`), its processes `_SubWriter`s.

    Its commit adds the words its processes counted to `vocabulary`, then calls `alongside`,
    if given, while they write their segments, when this process would only wait for them.
    A process that fails fails the commit (`IndexNotWritable`, with the process's error):
    nothing is committed, where Whoosh's commit goes on without the process's segment."""

    def __init__(
        self, ix: Any, vocabulary: Vocabulary, alongside: Callable[[], None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(ix, **kwargs)  # type: ignore[no-untyped-call]  # (Whoosh's own)
        self._vocabulary = vocabulary
        self._alongside = alongside
        self._counted = self._mpctx.Queue()

    def _merge_segments(self, mergetype: Any, optimize: bool, merge: bool) -> Any:
        # Whoosh's commit calls this once it has told its processes to finish, before it
        # waits for them (which would wait forever for a process whose counts fill its pipe),
        # while they write their segments.
        for _ in self.tasks:
            self._vocabulary.include(self._next_counts())
        if self._alongside is not None:
            self._alongside()
        return super()._merge_segments(mergetype, optimize, merge)  # type: ignore[no-untyped-call]

    def _next_counts(self) -> Vocabulary:
        while True:
            running = any(task.is_alive() for task in self.tasks)
            try:  # (what a process put before it ended is in the queue by then)
                counts: Vocabulary | str = self._counted.get(timeout=1 if running else 0.1)
            except queue.Empty:
                if not running:
                    raise self._failure("it ended before it handed over its word counts") from None
                continue
            if isinstance(counts, str):
                raise self._failure(counts)
            return counts

    def _commit_toc(self, segments: Any) -> None:
        # Whoosh's commit calls this once its processes ended, with the segments they wrote.
        if failed := [task.exitcode for task in self.tasks if task.exitcode]:
            try:
                error = self._counted.get(timeout=0.1)
            except queue.Empty:
                error = f"exit code {failed[0]}"
            raise self._failure(error)
        super()._commit_toc(segments)  # type: ignore[no-untyped-call]

    def cancel(self, **kwargs: Any) -> None:
        # A process may be indexing still, or waiting to hand over what nothing will read.
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
                task.join()
        super().cancel(**kwargs)  # type: ignore[no-untyped-call]

    def _failure(self, error: str) -> IndexNotWritable:
        return IndexNotWritable(
            f"cannot write the index: a writer process failed ({error}); nothing was committed"
        )

    def _new_task(self) -> _SubWriter:
        task = _SubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment,
            counted=self._counted,
        )
        self.tasks.append(task)
        task.start()
        return task
