"""Failover on a real 3-node Typesense cluster: searches go on while the leader dies, an update
made meanwhile is kept, and nothing is lost once the cluster settles.

The cluster holds the bundled corpus plus real articles from the shared data, built by
`cluster.sync`. A thread searches without pause (each article by its title)
while the test SIGKILLs the leader and, at once, adds an article and edits another
(`cluster.sync`, retried until the cluster takes it). The outage a reader sees is measured
between successful searches and compared with the election as `/debug` shows it: no search
fails outside the time the cluster had no leader. Then the killed node is restarted and, once
every node has applied every write, each node alone is asked for every article and section.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from searcher import Searcher, read_article
from searcher.cluster.sync import sync
from searcher.engine import parse_engine
from tests.conftest import CORPUS, KENGIR, NORILSK_FILE, where, write_article
from tests.realdata import article_files
from tests.typesense_servers import POLL_INTERVAL, Cluster, wait_until

pytestmark = [pytest.mark.typesense, pytest.mark.slow]

COLLECTION = "failover"
REAL_ARTICLES = 20  # of the shared data's 112; with the bundled two, ~200 sections
EDIT_WORD = "Failoverword"  # in no article: what the edit adds
EDIT_SECTION = "Failover"
# A word of letters alone, maybe in quotes or brackets or before a comma or full stop.
_LETTERS = re.compile(r"[\"'(\[]?([^\W\d_]{4,})[\"')\],.;:]*")


def make_corpus(folder: Path) -> Path:
    """The bundled corpus plus a copy of some real articles, in `folder`."""
    shutil.copytree(CORPUS, folder)
    for path in article_files()[:REAL_ARTICLES]:
        shutil.copy2(path, folder / path.name)
    return folder


def update_corpus(corpus: Path) -> None:
    """Add an article (Kengir) and edit one (Norilsk gets a section with a new word)."""
    write_article(corpus, "kengir-uprising.txt", KENGIR)
    norilsk = corpus / NORILSK_FILE
    added = f"\n=={EDIT_SECTION}==\nThe {EDIT_WORD} was written while the leader was dead.\n"
    norilsk.write_text(norilsk.read_text(encoding="utf-8") + added, encoding="utf-8")


def indexed_sections(corpus: Path) -> list[tuple[str, str, str]]:
    """(article, section, a word of it) for every section with text (an indexed section):
    its longest word of letters alone between spaces (`Baseball-Reference.com` is not one),
    which a search in its article finds it by."""
    found = []
    for path in sorted(corpus.glob("*.txt")):
        article = read_article(path)
        for section in article.sections:
            words = [word for word in map(_LETTERS.fullmatch, section.text.split()) if word]
            if section.blocks:
                assert words, f"{article.title} › {section.name} has no plain word"
                found.append((article.title, section.name, max((w[1] for w in words), key=len)))
    return found


def titles_found(searcher: Searcher, title: str) -> list[str]:
    return [hit.article for hit in searcher.search(title).hits]


def missing_sections(searcher: Searcher, wanted: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """The sections a search for their word, in their article, does not find."""
    return [
        (title, section)
        for title, section, word in wanted
        if (title, section)
        not in where(searcher.search(word, article=title, per_article=0, limit=100, facets=False).hits)
    ]


# --- what a stream of searches saw ------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    start: float
    end: float
    error: str | None  # None: the search answered, with the article searched for

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Outage:
    """Consecutive failed searches, and the window between the successes around them."""

    failed: list[Attempt]
    window: float


def outages(attempts: list[Attempt]) -> list[Outage]:
    found: list[Outage] = []
    run: list[Attempt] = []
    last_success: Attempt | None = None
    for attempt in attempts:
        if attempt.error is not None:
            run.append(attempt)
            continue
        if run:
            since = last_success.end if last_success is not None else run[0].start
            found.append(Outage(run, attempt.start - since))
            run = []
        last_success = attempt
    if run:  # the stream ended failing: the window is open, measured to the last failure
        since = last_success.end if last_success is not None else run[0].start
        found.append(Outage(run, run[-1].end - since))
    return found


class SearchStream:
    """Searches one after another in a thread, each for an article by its title, from `with`
    until its end. A search fails when it raises or its hits miss the article searched for."""

    def __init__(self, search: Callable[[str], list[str]], titles: list[str]) -> None:
        self.search = search
        self.titles = titles
        self.attempts: list[Attempt] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="search-stream", daemon=True)

    def __enter__(self) -> SearchStream:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        number = 0
        while not self._stop.is_set():
            title = self.titles[number % len(self.titles)]
            number += 1
            start = time.monotonic()
            try:
                articles = self.search(title)
                error = None if title in articles else f"{title!r} not in the hits {articles}"
            except Exception as failure:  # any failure a user would see counts
                error = repr(failure)
            self.attempts.append(Attempt(start, time.monotonic(), error))

    def successes_after(self, moment: float) -> int:
        return sum(1 for attempt in list(self.attempts) if attempt.start >= moment and attempt.error is None)


class Retried:
    """A write retried in a thread until the cluster takes it (while there is no leader,
    followers answer writes with an error)."""

    def __init__(self, write: Callable[[], object]) -> None:
        self.write = write
        self.errors: list[str] = []
        self.done_at: float | None = None
        self._thread = threading.Thread(target=self._run, name="update", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while self.done_at is None:
            try:
                self.write()
            except Exception as failure:
                self.errors.append(repr(failure))
                if len(self.errors) > 100:
                    return
                time.sleep(POLL_INTERVAL)
            else:
                self.done_at = time.monotonic()

    def wait(self) -> float:
        """When the write succeeded; fails the test with its errors if it gave up."""
        self._thread.join()
        assert self.done_at is not None, f"the update never succeeded: {self.errors[-3:]}"
        return self.done_at


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return make_corpus(tmp_path / "corpus")


def test_searches_go_on_while_the_leader_dies_and_nothing_is_lost(
    typesense_cluster: Cluster, corpus: Path
) -> None:
    cluster = typesense_cluster
    url = cluster.engine_url(COLLECTION)
    with Searcher.open(corpus=corpus, engine=url) as searcher:  # builds, then reads it
        titles = searcher.uprisings()
        leader = cluster.leader()
        assert leader is not None, cluster.describe()

        with SearchStream(lambda title: titles_found(searcher, title), titles) as stream:
            wait_until("searches before the kill", lambda: stream.successes_after(0) >= len(titles), 30)
            killed_at = time.monotonic()
            leader.kill()
            update_corpus(corpus)
            update = Retried(lambda: sync(parse_engine(url), corpus))
            new_leader, elected_at = cluster.wait_new_leader(leader)
            written_at = update.wait()
            leader.start()
            healthy_at = leader.wait_healthy()
            settled_at = cluster.wait_caught_up()
            wait_until("searches after settling", lambda: stream.successes_after(settled_at) >= 1, 30)

    election = elected_at - killed_at
    attempts = stream.attempts
    during = [a for a in attempts if a.end >= killed_at and a.start <= elected_at]
    failed = [a for a in attempts if a.error is not None]
    found_outages = outages(attempts)
    longest = max((outage.window for outage in found_outages), default=0.0)
    figures = (
        f"leader {leader.name} killed at 0 s; {new_leader.name} leads at {election:.2f} s (/debug); "
        f"the update, begun at once, was taken at {written_at - killed_at:.2f} s after "
        f"{len(update.errors)} refused tries; the restarted node was healthy at "
        f"{healthy_at - killed_at:.2f} s and every node had applied every write at "
        f"{settled_at - killed_at:.2f} s. {len(attempts)} searches, {len(during)} during the "
        f"election, {len(failed)} failed; longest outage {longest:.2f} s; slowest search "
        f"{max(a.duration for a in attempts):.2f} s"
        + "".join(f"\nthe update was refused: {error}" for error in update.errors)
    )
    print(f"\n{figures}")

    def shown(attempt: Attempt) -> str:
        return f"{attempt.start - killed_at:+.2f} to {attempt.end - killed_at:+.2f} s: {attempt.error}"

    assert during, f"no search ran while the cluster had no leader\n{figures}"
    # Every failed search was under way while the cluster had no leader ...
    outside = [a for a in failed if a.end < killed_at or a.start > elected_at]
    assert not outside, (
        "searches failed outside the election:\n" + "\n".join(map(shown, outside)) + f"\n{figures}"
    )
    # ... so readers waited no longer than the election and the two searches at its ends.
    for outage in found_outages:
        first, last = outage.failed[0], outage.failed[-1]
        assert outage.window <= election + first.duration + last.duration, (
            f"searches failed for {outage.window:.2f} s, the election took {election:.2f} s:\n"
            + "\n".join(map(shown, outage.failed))
        )

    # Nothing lost: each node alone finds every article and section, the new and edited ones too.
    wanted = indexed_sections(corpus)
    edited = read_article(corpus / NORILSK_FILE).title
    assert ("Kengir uprising", "Aftermath") in {(title, section) for title, section, _ in wanted}
    for node in cluster.nodes:
        with Searcher.open(engine=node.url(COLLECTION), update=False) as alone:
            assert set(alone.uprisings()) == {title for title, _, _ in wanted}, node.name
            assert missing_sections(alone, wanted) == [], node.name
            assert where(alone.search(EDIT_WORD).hits) == [(edited, EDIT_SECTION)], node.name
