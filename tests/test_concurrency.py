"""Several processes at once, and processes killed half-way: real `python -m searcher`
processes on corpora of real Wikipedia leads (the shared data).

SEARCHER_STRESS=1 kills at more (random) moments.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from searcher import Searcher, update_index
from tests.realdata import REPO, child_environment, copy_leads_index, searcher_command, write_leads

STRESS = os.environ.get("SEARCHER_STRESS") == "1"
CORPUS = REPO / "corpus"
SMALL = 500  # leads: above the indexer's threshold for using two processes (400)
LARGE = 3_000
QUERY = "war"


def run(*arguments: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(searcher_command(*arguments), capture_output=True, text=True,
                          env=child_environment(), timeout=timeout)


def start(*arguments: str | Path, log: Path) -> subprocess.Popen[bytes]:
    """A `searcher` process in its own process group (its worker processes die with it)."""
    with open(log, "wb") as handle:
        return subprocess.Popen(searcher_command(*arguments), stdout=handle, stderr=subprocess.STDOUT,
                                env=child_environment(), start_new_session=True)


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and its workers (the process group it leads)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def state(index: Path, corpus: Path, *words: str) -> tuple[int, ...]:
    """Articles in the index and the total for each word, searching the index as it is."""
    with Searcher.open(index=index, corpus=corpus, update=False) as searcher:
        return (len(searcher.uprisings()), *(searcher.search(w, facets=False).total for w in words))


def builds(index: Path) -> list[str]:
    return sorted(p.name for p in index.glob("build-*") if p.is_dir())


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    return write_leads(tmp_path / "corpus", SMALL)


# --- two writers --------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("rebuild", [False, True], ids=["index", "index --rebuild"])
def test_two_index_runs_at_once(small_corpus: Path, tmp_path: Path, rebuild: bool) -> None:
    index = tmp_path / "index"
    if rebuild:
        update_index(small_corpus, index)
    extra = ["--rebuild"] if rebuild else []
    arguments = ["index", "--corpus", small_corpus, "--index", index, *extra]
    first = subprocess.Popen(searcher_command(*arguments), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=child_environment())
    second = subprocess.Popen(searcher_command(*arguments), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=child_environment())
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    for process, (out, err) in zip((first, second), outputs, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err
        assert out.strip().endswith(("up to date", "removed")), out
        assert out.startswith(f"{SMALL} articles, {SMALL} sections"), out
    waited = ["waiting" in err for _, err in outputs]
    assert waited.count(True) <= 1, outputs  # at most the one that came second waited
    assert state(index, small_corpus) == (SMALL,)
    check = run("index", "--corpus", small_corpus, "--index", index)
    assert check.returncode == 0 and "already up to date" in check.stdout
    assert len(builds(index)) <= 2


@pytest.mark.slow
def test_searches_during_a_rebuild_answer_from_the_last_index(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    update_index(small_corpus, index)
    articles, before = state(index, small_corpus, QUERY)
    assert articles == SMALL and before > 0
    rebuild = start("index", "--rebuild", "--corpus", small_corpus, "--index", index,
                    log=tmp_path / "rebuild.log")
    answers = 0
    try:
        while rebuild.poll() is None or answers < 3:
            done = run("search", "--no-update", "--json", "--index", index, "-n", "3", "--", QUERY,
                       timeout=60)
            assert done.returncode == 0, done.stderr
            data = json.loads(done.stdout)
            assert data["total"] == before
            assert all((small_corpus / hit["path"]).is_file() for hit in data["hits"])
            answers += 1
    finally:
        if rebuild.poll() is None:
            kill(rebuild)
    assert rebuild.returncode == 0, (tmp_path / "rebuild.log").read_text()
    assert answers >= 3
    assert state(index, small_corpus, QUERY) == (SMALL, before)


def test_a_searcher_held_open_across_two_rebuilds_still_answers(tmp_path: Path) -> None:
    index = tmp_path / "index"
    update_index(CORPUS, index)
    with Searcher.open(index=index, corpus=CORPUS, update=False) as searcher:
        before = searcher.search("strike").total
        update_index(CORPUS, index, rebuild=True)
        update_index(CORPUS, index, rebuild=True)  # the build the searcher reads is deleted now
        assert searcher.search("strike").total == before
        assert searcher.search("amnesty").hits


# --- processes killed half-way ------------------------------------------------------------------
#
# The process to kill is a small script calling `update_index` with a progress callback that
# prints a line per file. The test reads those lines and kills when the build is at the point
# it wants: at `LOCKED` (the lock is held, no file indexed yet) or after the Nth file. With
# `hold`, the script stops there (waiting on stdin), so the kill surely hits a running build;
# without, it goes on and the kill lands a moment later (the last file's line comes just
# before the commit). No test relies on a sleep being long enough.

LOCKED = 0  # the stop point "lock taken": `notify` says the build starts
HANG_GUARD = 120  # seconds to wait for a line of the child before failing: it hangs


@pytest.fixture
def large(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A private copy of an index of 3,000 leads (built once per session) and its corpus."""
    corpus, index = copy_leads_index(tmp_path_factory.mktemp("leads"), LARGE, tmp_path)
    yield corpus, index


_INDEXER = """
import sys
from searcher import update_index

corpus, index, mode, stop_at, hold = sys.argv[1:6]
stop_at, hold = int(stop_at), hold == "hold"

def reached(point):
    print(f"at {point}", flush=True)
    if point == stop_at and hold:
        print("holding", flush=True)
        sys.stdin.readline()

def note(message):
    print(f"note {message}", flush=True)
    if message.startswith("building the index"):
        reached(0)

def progress(done, total):
    reached(done)

report = update_index(corpus, index, rebuild=mode == "rebuild", progress=progress, notify=note)
print(f"done {report.articles}", flush=True)
"""


class Indexer:
    """A child process running `update_index`, in its own process group (its worker processes
    die with it), printing a line at each point it reaches."""

    def __init__(self, corpus: Path, index: Path, *, rebuild: bool, stop_at: int, hold: bool) -> None:
        self.stop_at, self.hold = stop_at, hold
        arguments = [str(corpus), str(index), "rebuild" if rebuild else "update", str(stop_at),
                     "hold" if hold else "go"]
        self.process = subprocess.Popen(
            [sys.executable, "-c", _INDEXER, *arguments], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=child_environment(),
            start_new_session=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout as lines:
            for line in lines:
                self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for_stop(self) -> None:
        """Read the child's lines until it reaches its stop point (and, with `hold`, stops
        there). Fails when it ends first or prints nothing for HANG_GUARD seconds."""
        wanted = "holding" if self.hold else f"at {self.stop_at}"
        while True:
            try:
                line = self.lines.get(timeout=HANG_GUARD)
            except queue.Empty:
                self.kill()
                pytest.fail(f"no line from the indexer for {HANG_GUARD} s; it said: {self.seen[-5:]}")
            if line is None:
                self.kill()
                pytest.fail(f"the indexer ended before reaching {self.stop_at}: {self.seen[-20:]}")
            self.seen.append(line)
            if line == wanted:
                return

    def kill(self) -> bool:
        """SIGKILL the process group; whether the kill ended the process (it was running)."""
        kill(self.process)
        assert self.process.stdin is not None
        self.process.stdin.close()
        return self.process.returncode == -signal.SIGKILL


def _stop_points(files: int) -> list[tuple[int, bool]]:
    """(stop point, hold) of each kill: held at the lock, after the first file, half-way and
    after the last file (before the commit); then once going on past the last file, so the
    kill lands in the commit. SEARCHER_STRESS=1 adds kills at random files, not held."""
    points = [(LOCKED, True), (1, True), (files // 2, True), (files, True), (files, False)]
    if STRESS:
        points += [(n, False) for n in sorted(random.sample(range(1, files + 1), 12))]
    return points


@pytest.mark.slow
def test_a_rebuild_killed_at_any_moment_leaves_the_index_intact(large: tuple[Path, Path]) -> None:
    corpus, index = large
    before = state(index, corpus, QUERY, "history")
    assert before[0] == LARGE and before[1] > 0
    for stop_at, hold in _stop_points(LARGE):
        indexer = Indexer(corpus, index, rebuild=True, stop_at=stop_at, hold=hold)
        indexer.wait_for_stop()
        running = indexer.kill()
        assert running or not hold, f"the held build at {stop_at} was not running: {indexer.seen[-5:]}"
        assert state(index, corpus, QUERY, "history") == before, f"after a kill at {stop_at} ({hold=})"
    done = run("index", "--corpus", corpus, "--index", index)
    assert done.returncode == 0, done.stderr
    assert "waiting" not in done.stderr  # the killed processes' lock died with them
    assert "already up to date" in done.stdout, done.stdout
    assert state(index, corpus, QUERY, "history") == before


@pytest.mark.slow
def test_the_next_index_run_clears_what_a_killed_build_left(large: tuple[Path, Path]) -> None:
    corpus, index = large
    live = builds(index)
    for stop_at in (1, LARGE // 2):
        indexer = Indexer(corpus, index, rebuild=True, stop_at=stop_at, hold=True)
        indexer.wait_for_stop()
        assert indexer.kill(), indexer.seen[-5:]
    assert len(builds(index)) == len(live) + 2  # the half-written builds
    done = run("index", "--corpus", corpus, "--index", index)
    assert done.returncode == 0, done.stderr
    assert builds(index) == live


@pytest.mark.slow
def test_an_update_killed_at_any_moment_leaves_the_index_intact(large: tuple[Path, Path]) -> None:
    corpus, index = large
    run("index", "--corpus", corpus, "--index", index)  # the copy now names its own corpus
    before = state(index, corpus, QUERY, "zqxjvkw")
    assert before[2] == 0
    edited = sorted(corpus.glob("*.txt"))[::2]  # 1,500 files
    later = time.time_ns() + 5_000_000_000
    for path in edited:
        path.write_bytes(path.read_bytes().rstrip(b"\n") + b"\n\nA zqxjvkw paragraph.\n")
        os.utime(path, ns=(later, later))
    after_all = (LARGE, before[1], len(edited))
    for stop_at, hold in _stop_points(len(edited)):
        if stop_at == LOCKED:
            continue  # an update takes the lock without a note
        indexer = Indexer(corpus, index, rebuild=False, stop_at=stop_at, hold=hold)
        indexer.wait_for_stop()
        running = indexer.kill()
        after = state(index, corpus, QUERY, "zqxjvkw")
        if hold:  # killed before its commit: nothing of it is seen
            assert running, f"the held update at {stop_at} was not running: {indexer.seen[-5:]}"
            assert after == before, f"after a kill at {stop_at}"
        else:  # killed in or after its commit: all or nothing
            assert after in (before, after_all), f"after a kill at {stop_at} (not held)"
            if after == after_all:
                break  # nothing is left to update
    done = run("index", "--corpus", corpus, "--index", index)
    assert done.returncode == 0, done.stderr
    assert "waiting" not in done.stderr
    assert state(index, corpus, QUERY, "zqxjvkw") == after_all
    again = run("index", "--corpus", corpus, "--index", index)
    assert again.returncode == 0 and "already up to date" in again.stdout, again.stdout
