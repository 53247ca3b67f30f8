"""The Whoosh writer a build of many files uses: Whoosh's two-process writer, each process
holding its postings by term, in a fraction of the memory, instead of as one tuple each.

Whoosh's writer keeps every posting as a tuple of five objects in a `PostingPool` (about 250
bytes a posting) and, past its memory limit, sorts what it holds and pickles it to a run file;
at the end it reads every run back and merges them. On 20,000 sections that was a quarter of
each writer process's time, and more memory only moved the limit. `TermPool` keeps each term's
postings packed in one `bytearray` (about 45 bytes a posting): the same corpus fits in less
memory than Whoosh's limit allowed, and the postings come out in Whoosh's order without a
sort of all of them. Past its own limit, it writes a run as Whoosh's pool does, and merges as
Whoosh does: the segment is byte for byte what Whoosh writes.

Each process also counts the words of what it indexes for the index's vocabulary (the main
process would otherwise read every text a second time) and hands the counts over before it
writes its segment. A process that fails fails the commit, where Whoosh's would go on without
that process's segment.

Pinned by tests/test_writer.py: a Whoosh upgrade that adds postings to the pool or hands out
the sub-writers' work another way fails it.
"""

from __future__ import annotations

import os
import pickle
import queue
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import PostingPool, SegmentWriter

from .codec import PostingsByTerm, TermPostings
from .errors import IndexNotWritable
from .schema import words_of
from .vocabulary import Vocabulary

# What `TermPool` packs before each posting's value: its document number, its weight (a float:
# Whoosh multiplies every weight by the field's boost) and the length of its value.
_HEAD = struct.Struct("<IdI")
# About what a term costs `TermPool` beyond its text (dictionary slot, bytes and bytearray
# objects), in bytes: with `_HEAD` and the values, what its limit counts.
_TERM_BYTES = 160
# How often a writer process waiting for work checks that its parent is alive, in seconds.
PARENT_CHECK_SECONDS = 0.5


class TermPool(PostingPool):
    """Whoosh's posting pool for documents added in order (a writer's own `add_document`s),
    each term's postings packed together: their order of arrival is their sorted order (a
    field gives a term one posting a document).

    Its limit (`limitmb`) is of the bytes it holds, not Whoosh's estimate of its tuples."""

    def __init__(self, tempstore: Any, segment: Any, limitmb: int) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb)  # type: ignore[no-untyped-call]
        self._terms: dict[str, dict[bytes, bytearray]] = {}
        self._held = 0

    def add(self, item: tuple[str, bytes, int, float, bytes]) -> None:
        fieldname, text, docnum, weight, value = item
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = {}
            self.fieldnames.add(fieldname)
        postings = terms.get(text)
        if postings is None:
            postings = terms[text] = bytearray()
            self._held += _TERM_BYTES + len(text)
        postings += _HEAD.pack(docnum, weight, len(value))
        postings += value
        self._held += _HEAD.size + len(value)
        if self._held > self.limit:
            self.save()

    def save(self) -> None:
        """Write what the pool holds as a sorted run (Whoosh's format) and let it go."""
        if self._terms:
            path, file = self._new_run()  # type: ignore[no-untyped-call]
            self._write_run(file, self._sorted())
            self._add_run(path)
            self._terms, self._held = {}, 0

    def items(self, maxfiles: int = 128) -> Any:
        """Whoosh's postings, sorted: by term (`PostingsByTerm`) when none were written to runs."""
        if self.runs:  # Whoosh's merge, which saves what the pool still holds first
            return super().items(maxfiles)
        return _Held(self._terms)

    def _sorted(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """The postings held, as Whoosh's pool sorts them: by field, term, document."""
        return iter(_Held(self._terms))


class _Held(PostingsByTerm):
    """What a `TermPool` holds, by term (which `BuildCodec` writes a term at a time)."""

    def __init__(self, terms: dict[str, dict[bytes, bytearray]]) -> None:
        self._terms = terms

    def by_term(self) -> Iterator[TermPostings]:
        head, size = _HEAD.unpack_from, _HEAD.size
        for fieldname in sorted(self._terms):
            terms = self._terms[fieldname]
            for text in sorted(terms):
                data = bytes(terms[text])
                docnums: list[int] = []
                weights: list[float] = []
                values: list[bytes] = []
                start, end = 0, len(data)
                while start < end:
                    docnum, weight, length = head(data, start)
                    start += size + length
                    docnums.append(docnum)
                    weights.append(weight)
                    values.append(data[start - length : start])
                yield fieldname, text, docnums, weights, values


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
