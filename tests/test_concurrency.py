"""Several processes at once, and processes killed half-way: real `python -m searcher`
processes on corpora of real Wikipedia leads (the shared data).

SEARCHER_STRESS=1 kills at more (random) moments.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
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
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
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
    for process, (out, err) in zip((first, second), outputs):
        assert process.returncode == 0, err
        assert "Traceback" not in err
        assert out.strip().endswith(tuple(["up to date", "removed"])), out
        assert out.startswith(f"{SMALL} articles, {SMALL} sections"), out
    waited = ["waiting" in err for _, err in outputs]
    assert waited.count(True) <= 1, outputs  # at most the one that came second waited
    assert state(index, small_corpus) == (SMALL,)
    check = run("index", "--corpus", small_corpus, "--index", index)
    assert check.returncode == 0 and "already up to date" in check.stdout
    assert len(builds(index)) <= 2


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


@pytest.fixture
def large(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A private copy of an index of 3,000 leads (built once per session) and its corpus."""
    corpus, index = copy_leads_index(tmp_path_factory.mktemp("leads"), LARGE, tmp_path)
    yield corpus, index


def _kill_delays(default: tuple[float, ...], longest: float) -> list[float]:
    if not STRESS:
        return list(default)
    return sorted(round(random.uniform(0.05, longest), 2) for _ in range(12))


def test_a_rebuild_killed_at_any_moment_leaves_the_index_intact(large: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index = large
    before = state(index, corpus, QUERY, "history")
    assert before[0] == LARGE and before[1] > 0
    running_when_killed = []
    for delay in _kill_delays((0.2, 0.5, 1.0, 2.0), longest=5.0):
        process = start("index", "--rebuild", "--corpus", corpus, "--index", index,
                        log=tmp_path / "killed.log")
        time.sleep(delay)
        running_when_killed.append(process.poll() is None)
        kill(process)
        assert state(index, corpus, QUERY, "history") == before, f"after a kill at {delay} s"
    # each kill hit a running build (random stress delays may outlast a build: then most did)
    assert (any if STRESS else all)(running_when_killed), running_when_killed
    started = time.perf_counter()
    done = run("index", "--corpus", corpus, "--index", index)
    assert done.returncode == 0, done.stderr
    assert "waiting" not in done.stderr  # the killed processes' lock died with them
    assert "already up to date" in done.stdout, done.stdout
    assert time.perf_counter() - started < 30
    assert state(index, corpus, QUERY, "history") == before


def test_the_next_index_run_clears_what_a_killed_build_left(large: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index = large
    live = builds(index)
    for delay in (1.0, 2.0):
        process = start("index", "--rebuild", "--corpus", corpus, "--index", index,
                        log=tmp_path / "killed.log")
        time.sleep(delay)
        kill(process)
    assert len(builds(index)) == len(live) + 2  # the half-written builds
    done = run("index", "--corpus", corpus, "--index", index)
    assert done.returncode == 0, done.stderr
    assert builds(index) == live


def test_an_update_killed_at_any_moment_leaves_the_index_intact(large: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index = large
    run("index", "--corpus", corpus, "--index", index)  # the copy now names its own corpus
    before = state(index, corpus, QUERY, "zqxjvkw")
    assert before[2] == 0
    edited = sorted(corpus.glob("*.txt"))[::2]  # 1,500 files
    later = time.time_ns() + 5_000_000_000
    for path in edited:
        path.write_bytes(path.read_bytes().rstrip(b"\n") + b"\n\nA zqxjvkw paragraph.\n")
        os.utime(path, ns=(later, later))
    running_when_killed = []
    for delay in _kill_delays((0.5, 1.5, 3.0), longest=10.0):
        process = start("index", "--corpus", corpus, "--index", index, log=tmp_path / "killed.log")
        time.sleep(delay)
        running_when_killed.append(process.poll() is None)
        kill(process)
        after = state(index, corpus, QUERY, "zqxjvkw")
        if running_when_killed[-1]:
            assert after == before, f"after a kill at {delay} s"
        else:  # it finished first: all or nothing
            assert after in (before, (LARGE, before[1], len(edited)))
    assert any(running_when_killed), running_when_killed
    done = run("index", "--corpus", corpus, "--index", index)
    assert done.returncode == 0, done.stderr
    assert "waiting" not in done.stderr
    assert state(index, corpus, QUERY, "zqxjvkw") == (LARGE, before[1], len(edited))
    again = run("index", "--corpus", corpus, "--index", index)
    assert again.returncode == 0 and "already up to date" in again.stdout, again.stdout
