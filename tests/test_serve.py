"""`searcher serve` as a real process: it says where it listens (this machine only, unless told),
answers, stops cleanly on Ctrl-C and SIGTERM, and indexes corpus changes in the background
while it keeps answering. Waits are for lines the server prints, never for a length of time."""

from __future__ import annotations

import contextlib
import json
import queue
import re
import shutil
import signal
import socket
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import KENGIR, write_article
from realdata import child_environment, searcher_command

from searcher import update_index, web
from searcher.builds import is_up_to_date
from searcher.search import Searcher
from searcher.web import Library

pytestmark = pytest.mark.slow

# How long a line may take to come (a bound on a hung server, not a wait for anything).
PATIENCE = 120


def _ctrl_c_as_in_a_terminal() -> None:
    """The server's SIGINT as a terminal's Ctrl-C finds it, even when the tests run as a
    background job of a shell, whose children start with SIGINT ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Served:
    """A `searcher serve` process, its stderr read line by line in a thread."""

    def __init__(self, *arguments: str | Path, environment: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            searcher_command("serve", *arguments), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, env={**child_environment(), **(environment or {})},
            preexec_fn=_ctrl_c_as_in_a_terminal,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = ""

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def line(self, pattern: str) -> re.Match[str]:
        """The next line of stderr matching `pattern` (the lines before it are kept in `seen`)."""
        while True:
            line = self.lines.get(timeout=PATIENCE)
            if line is None:
                raise AssertionError(f"the server ended without printing {pattern!r}: {self.seen}")
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found

    def started(self) -> Served:
        self.url = self.line(r"listening on (http://\S+/)")[1]
        return self

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=PATIENCE) as response:
            return json.load(response)

    def stop(self, signum: int = signal.SIGINT) -> tuple[int, list[str]]:
        """Stop it as Ctrl-C (or another signal) does: its exit code and the rest of stderr."""
        self.process.send_signal(signum)
        code = self.process.wait(timeout=PATIENCE)
        self._reader.join(timeout=PATIENCE)
        rest = []
        while (line := self.lines.get_nowait()) is not None:
            rest.append(line)
        assert self.process.stdout is not None and self.process.stderr is not None
        self.process.stdout.close()
        self.process.stderr.close()
        return code, rest


@contextlib.contextmanager
def served(*arguments: str | Path, environment: dict[str, str] | None = None) -> Iterator[Served]:
    server = Served(*arguments, environment=environment)
    try:
        yield server.started()
    finally:
        if server.process.poll() is None:
            server.stop(signal.SIGKILL)


def test_it_listens_on_this_machine_says_so_and_stops_on_ctrl_c(tmp_path: Path, corpus_copy: Path) -> None:
    with served("--port", "0", "--index", tmp_path / "index", "--corpus", corpus_copy) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert "only this machine can connect" in server.seen[-1]
        assert any("serving 2 articles" in line for line in server.seen)
        assert server.get("/api/search?q=amnesty")["total"] == 2
        code, rest = server.stop(signal.SIGINT)
    assert code == 0
    assert rest[-1] == "searcher: stopped"
    assert not any("Traceback" in line for line in server.seen + rest)


def test_open_says_when_no_browser_opens(tmp_path: Path, corpus_copy: Path) -> None:
    """`--open` with no browser to open said nothing (a bug hunt)."""
    with served("--port", "0", "--open", "--index", tmp_path / "index", "--corpus", corpus_copy,
                environment={"BROWSER": "/bin/false"}) as server:
        assert server.line(r"could not open a browser here: open (\S+) in one")[1] == server.url
        server.stop()


def test_one_article_is_one_article(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("= Alone =\n\nOne section.\n", encoding="utf-8")
    with served("--port", "0", "--index", tmp_path / "index", "--corpus", corpus) as server:
        assert any("serving 1 article, 1 section from" in line for line in server.seen), server.seen
        server.stop()


def test_sigterm_stops_it_too_and_another_host_is_named(tmp_path: Path, corpus_copy: Path) -> None:
    with served("--host", "0.0.0.0", "--port", "0", "--index", tmp_path / "index",
                "--corpus", corpus_copy) as server:
        assert "anyone who can reach this machine can search" in server.seen[-1]  # (not "reach 0.0.0.0")
        code, rest = server.stop(signal.SIGTERM)
    assert code == 0 and rest[-1] == "searcher: stopped"


def test_the_access_log_escapes_what_a_client_sends(tmp_path: Path, corpus_copy: Path) -> None:
    """A request line with the terminal's escape codes (clear the screen, set the title) was
    written to stderr as it came (a bug hunt)."""
    arguments = ("--port", "0", "--access-log", "--index", tmp_path / "index", "--corpus", corpus_copy)
    with served(*arguments) as server:
        host, port = server.url.split("//")[1].rstrip("/").split(":")
        with socket.create_connection((host, int(port)), timeout=PATIENCE) as client:
            client.sendall(b"GET /\x1b[2J\x1b]0;PWNED\x07x HTTP/1.0\r\n\r\n")
            while client.recv(65536):  # the whole answer (the line is logged once it is sent)
                pass
        logged = server.line(r"PWNED")[0]
        server.stop()
    assert "\x1b" not in logged and "\x07" not in logged
    assert "GET /\\x1b[2J\\x1b]0;PWNED\\x07x HTTP/1.0" in server.seen[-1]


def test_a_port_in_use_is_an_error(tmp_path: Path, corpus_copy: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = subprocess.run(
            searcher_command("serve", "--port", str(port), "--index", tmp_path / "index",
                             "--corpus", corpus_copy),
            capture_output=True, text=True, env=child_environment(), timeout=PATIENCE,
        )
    assert process.returncode == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}: Address already in use" in process.stderr


def test_corpus_changes_are_indexed_in_the_background(tmp_path: Path, corpus_copy: Path) -> None:
    with served("--port", "0", "--index", tmp_path / "index", "--corpus", corpus_copy) as server:
        before = server.get("/api/health")
        assert server.get("/api/search?q=Kengirite")["total"] == 0
        write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
        server.line(r"now answering from 3 articles")
        assert server.get("/api/search?q=Kengirite")["total"] == 1
        after = server.get("/api/health")
        assert (after["articles"], after["reloads"]) == (3, 1)
        assert after["generation"] > before["generation"]
        (corpus_copy / "kengir-uprising.txt").unlink()
        server.line(r"now answering from 2 articles")
        assert server.get("/api/search?q=Kengirite")["total"] == 0
        code, _ = server.stop()
    assert code == 0


def test_a_check_updates_the_index_and_reads_the_new_build(tmp_path: Path, corpus_copy: Path) -> None:
    index = tmp_path / "index"
    update_index(corpus_copy, index)
    notes: list[str] = []
    library = Library(index, corpus_copy, notify=notes.append)
    try:
        assert library.check() is False  # nothing changed
        write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
        assert library.check() is True
        with library.use() as searcher:
            assert searcher.search("Kengirite").total == 1
        assert library.health()["articles"] == 3 and library.reloads == 1
        assert library.check() is False
        assert any(note.startswith("index updated: 3 articles") for note in notes), notes
    finally:
        library.close()


def test_a_build_replaced_while_it_served_is_deleted_once_it_moved_on(
    tmp_path: Path, corpus_copy: Path
) -> None:
    """A rebuild by another process while the server read the old build left it on disk (its
    reader held it) until some later update: 46 MB at 10,000 articles (a bug hunt). The
    server deletes it once it reads the new one."""
    index = tmp_path / "index"
    update_index(corpus_copy, index)
    library = Library(index, corpus_copy)
    try:
        [old] = list(index.glob("build-*"))
        update_index(corpus_copy, index, rebuild=True)
        assert old.exists() and len(list(index.glob("build-*"))) == 2  # (held by the server)
        assert library.check() is True and library.reloads == 1  # (nothing to index: read anew)
        assert not old.exists() and len(list(index.glob("build-*"))) == 1
        with library.use() as searcher:
            assert searcher.search("amnesty").total > 0
    finally:
        library.close()


def test_when_the_index_cannot_be_updated_it_answers_from_it_and_says_why(
    tmp_path: Path, corpus_copy: Path
) -> None:
    index = tmp_path / "index"
    update_index(corpus_copy, index)
    library = Library(index, notify=lambda message: None)
    try:
        shutil.rmtree(corpus_copy)
        assert library.check() is False
        with library.use() as searcher:
            result = searcher.search("amnesty")
        assert result.total == 2
        assert len(result.warnings) == 1 and "corpus folder not found" in result.warnings[0]
        assert library.health()["warnings"] == result.warnings
    finally:
        library.close()



def racing(corpus: Path, index: Path) -> type[Searcher]:
    """A `Searcher` whose first opening is followed at once by another process's update of
    the index (before the opener has looked at anything else): a Kengir article added."""
    landed: list[bool] = []

    class Racing(Searcher):
        @classmethod
        def open(cls, *arguments: Any, **options: Any) -> Searcher:
            opened = Searcher.open(*arguments, **options)
            if not landed:
                landed.append(True)
                write_article(corpus, "kengir-uprising.txt", KENGIR)
                update_index(corpus, index)
            return opened

    return Racing


def test_an_update_that_lands_while_a_build_is_being_opened_is_read_too(
    tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server named the build it read by what was live once it had opened it and
    counted its sections: an update by another process that landed in between was taken for
    read, and the server answered from the older build, its counts too, until the corpus
    changed again (a bug hunt)."""
    index = tmp_path / "index"
    update_index(corpus_copy, index)
    library = Library(index, corpus_copy)
    try:
        update_index(corpus_copy, index, rebuild=True)
        monkeypatch.setattr(web, "Searcher", racing(corpus_copy, index))
        assert library.check() is True  # the rebuild, read as the update landed
        assert library.check() is True  # then the update
        with library.use() as searcher:
            assert searcher.search("Kengirite").total == 1
        assert library.health()["articles"] == 3
    finally:
        library.close()


def test_an_update_that_lands_while_the_server_starts_is_read_too(
    tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index"
    update_index(corpus_copy, index)
    monkeypatch.setattr(web, "Searcher", racing(corpus_copy, index))
    library = Library(index, corpus_copy)
    try:
        assert library.health()["articles"] == 2  # (what it opened)
        assert library.check() is True
        with library.use() as searcher:
            assert searcher.search("Kengirite").total == 1
        assert library.health()["articles"] == 3
    finally:
        library.close()


def test_with_no_update_it_reads_the_builds_others_make(tmp_path: Path, corpus_copy: Path) -> None:
    """`--no-update` kept the build it started with for as long as it ran: an index updated
    by `searcher index` (a job of its own, where the server may not write) was never read,
    and the old build stayed on disk, held (a bug hunt). It updates nothing itself."""
    index = tmp_path / "index"
    update_index(corpus_copy, index)
    with served("--port", "0", "--no-update", "--index", index, "--corpus", corpus_copy) as server:
        write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
        subprocess.run(searcher_command("index", "--index", index), env=child_environment(),
                       capture_output=True, check=True, timeout=PATIENCE)
        server.line(r"now answering from 3 articles")
        assert server.get("/api/search?q=Kengirite")["total"] == 1
        assert len(list(index.glob("build-*"))) == 1
        code, rest = server.stop()
    assert code == 0
    assert not any("updating the index" in line for line in server.seen + rest)


def test_a_library_that_does_not_update_only_reads(tmp_path: Path, corpus_copy: Path) -> None:
    index = tmp_path / "index"
    update_index(corpus_copy, index)
    library = Library(index, corpus_copy, update=False)
    try:
        write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
        assert library.check() is False and library.health()["warnings"] == []
        assert not is_up_to_date(corpus_copy, index)  # (no update was run)
        update_index(corpus_copy, index)
        assert library.check() is True and library.health()["articles"] == 3
    finally:
        library.close()


def test_a_new_build_it_cannot_read_is_a_warning_said_once(tmp_path: Path, corpus_copy: Path) -> None:
    """A live build the server could not open (damaged, or of another version) printed the
    same `checking the index failed` line every 2 seconds for as long as it ran, while the
    API answered from the build before with no warning and said `"status": "ok"` (a bug
    hunt). It says so once, in the answers' warnings too, until it reads a build again."""
    index = tmp_path / "index"
    update_index(corpus_copy, index)
    notes: list[str] = []
    library = Library(index, corpus_copy, notify=notes.append)
    try:
        update_index(corpus_copy, index, rebuild=True)
        for segment in (index / (index / "CURRENT").read_text(encoding="utf-8").strip()).glob("*.seg"):
            with segment.open("r+b") as file:
                file.truncate(100)
        assert library.check() is False and library.check() is False
        [warning] = library.health()["warnings"]
        assert "cannot read the index in" in warning and "answering from the build read before" in warning
        assert notes.count(warning) == 1
        with library.use() as searcher:
            result = searcher.search("amnesty")
        assert result.total == 2 and result.warnings == [warning]
        update_index(corpus_copy, index, rebuild=True)
        assert library.check() is True and library.health()["warnings"] == []
    finally:
        library.close()
