#!/usr/bin/env python
"""Typesense (one node) beside Whoosh: searcher's two engines on the same corpus, side by side.

For each corpus (bench/run.py's `bundled` and `scaled`, made as run.py makes them) this builds
searcher's Whoosh index (`update_index(corpus, index, rebuild=True)`) and a new Typesense
collection (`searcher.cluster.sync.sync`), each in a fresh child process as run.py builds;
then it opens both in this process (`Searcher.open(index=...)`, `Searcher.open(engine=URL)`)
and asks them run.py's own query list of the corpus: top 10 with snippets, without facets and
with the default ones; one untimed warm-up pass, then timed passes with the engines called in
alternating order query by query (per-query median). It also gives the resident memory of the
Typesense server beside that of a process holding an open Whoosh searcher (run.py's query
child), the update after one article edit (run.py's), and where the Typesense time goes (the
HTTP requests to the server, and the search time the server reports).

    python bench/typesense_speed.py                 # bundled + scaled, on a node started here
    python bench/typesense_speed.py --corpora scaled --repeats 3 --query-passes 3
    python bench/typesense_speed.py --engine typesense://KEY@HOST:PORT   # on a running node
    python bench/typesense_speed.py --quick         # small sizes: about a minute

Needs `pip install -e '.[typesense]'` (the client, and the server binary a node is started
from: tests/typesense_servers.py's `running_node`). See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from unittest import mock

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402  (bench/run.py)

# After the run's copy of the searcher package (put first on the path in `main`): the tests'
# Typesense helpers.
if str(bench.ROOT) not in sys.path:
    sys.path.append(str(bench.ROOT))

SIDES = ("whoosh", "typesense")
ENGINE_VARIABLE = "SEARCHER_ENGINE"  # searcher.engine.ENVIRONMENT; read by every child


# --------------------------------------------------------------------------
# The Typesense engine, as run.py's children run engines
# --------------------------------------------------------------------------


@dataclass
class TypesenseBuilt(bench.Built):
    """A build, with the HTTP requests the client made during it."""

    requests: dict[str, dict[str, float]] = field(default_factory=dict)


class TypesenseEngine:
    """searcher's Typesense engine at `$SEARCHER_ENGINE`, set by the parent for each child."""

    name = "typesense"

    @staticmethod
    def url() -> str:
        return os.environ[ENGINE_VARIABLE]

    def build(self, corpus: Path, index: Path) -> bench.Built:
        from searcher.cluster.sync import sync
        from searcher.engine import parse_engine

        address = parse_engine(self.url())
        assert address is not None
        with RequestTimer() as timer:
            report = sync(address, corpus, rebuild=True)
        return TypesenseBuilt(report.sections, report.articles, timer.by_kind())

    def update(self, corpus: Path, index: Path, changed: Path) -> None:
        from searcher.cluster.sync import sync
        from searcher.engine import parse_engine

        address = parse_engine(self.url())
        assert address is not None
        sync(address, corpus)

    @contextlib.contextmanager
    def open(self, corpus: Path, index: Path) -> Iterator[bench.Session]:
        from searcher import Searcher

        with Searcher.open(corpus=corpus, engine=self.url(), update=False) as s:
            yield bench.SearcherSession(s)

    def cold_command(self, corpus: Path, index: Path, query: bench.Query) -> list[str]:
        return [*bench.SearcherEngine().cold_command(corpus, index, query), "--engine", self.url()]


bench.ENGINES["typesense"] = TypesenseEngine


# --------------------------------------------------------------------------
# Where the Typesense time goes
# --------------------------------------------------------------------------


@dataclass
class Request:
    kind: str
    ms: float  # in the client's request call: encode, send, wait for the server, decode
    server_ms: float  # the search time the server reports (searches only)


def request_kind(method: str, url: str) -> str:
    path = re.sub(r"^\w+://[^/]+", "", url).split("?")[0]
    for pattern, kind in ((r"/multi_search$", "multi_search"), (r"/documents/import$", "import"),
                          (r"/synonyms/", "synonyms"), (r"/documents/search$", "search"),
                          (r"/documents/export$", "export")):
        if re.search(pattern, path):
            return kind
    return f"{method.lower()} other"


def server_ms(answer: Any) -> float:
    if not isinstance(answer, dict):
        return 0.0
    answers = answer.get("results", [answer])
    return float(sum(a.get("search_time_ms", 0) for a in answers if isinstance(a, dict)))


class RequestTimer:
    """Every HTTP request the Typesense client makes in this process while entered (one per
    attempt), timed in the client's `RequestHandler.make_request`."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._patch: Any = None

    def __enter__(self) -> RequestTimer:
        from typesense.request_handler import RequestHandler

        original = RequestHandler.make_request
        requests = self.requests

        def timed(handler: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            answer = original(handler, **kwargs)
            ms = (time.perf_counter() - started) * 1000
            requests.append(Request(request_kind(kwargs["method"], kwargs["url"]), ms, server_ms(answer)))
            return answer

        self._patch = mock.patch.object(RequestHandler, "make_request", timed)
        self._patch.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._patch.stop()

    def take(self) -> list[Request]:
        """The requests since the last `take`."""
        taken = list(self.requests)
        self.requests.clear()
        return taken

    def by_kind(self) -> dict[str, dict[str, float]]:
        kinds: dict[str, dict[str, float]] = {}
        for r in self.requests:
            k = kinds.setdefault(r.kind, {"count": 0, "seconds": 0.0})
            k["count"] += 1
            k["seconds"] += r.ms / 1000
        return kinds


# --------------------------------------------------------------------------
# The node
# --------------------------------------------------------------------------


@dataclass
class Server:
    url: str  # typesense://KEY@HOST:PORT, no collection
    pid: int | None  # None for a running node given by --engine

    def rss_mb(self) -> float | None:
        if self.pid is None:
            return None
        return bench.proc_status_kb(self.pid, "VmRSS:") / 1024 or None

    def collection(self, alias: str) -> str:
        return f"{self.url}/{alias}"


@contextlib.contextmanager
def typesense_server(given: str | None, pid: int | None, work: Path) -> Iterator[Server]:
    """The node given by `--engine`, or one started in `work` (stopped on exit)."""
    from searcher.engine import parse_engine

    if given:
        address = parse_engine(given)
        if address is None:
            raise SystemExit("--engine must name a Typesense node: typesense://KEY@HOST:PORT")
        nodes = ",".join(f"{node.host}:{node.port}" for node in address.nodes)
        yield Server(f"typesense{'s' if address.https else ''}://{address.api_key}@{nodes}", pid)
        return
    import pytest

    from tests.typesense_servers import running_node

    try:
        with running_node(work / "typesense") as node:
            yield Server(node.url(), node.pid)
    except pytest.skip.Exception as skipped:
        raise SystemExit(f"cannot start a Typesense node: {skipped}") from None


@contextlib.contextmanager
def engine_variable(url: str) -> Iterator[None]:
    """`$SEARCHER_ENGINE` set to `url` for the children started inside."""
    before = os.environ.get(ENGINE_VARIABLE)
    os.environ[ENGINE_VARIABLE] = url
    try:
        yield
    finally:
        if before is None:
            del os.environ[ENGINE_VARIABLE]
        else:
            os.environ[ENGINE_VARIABLE] = before


def drop(url: str) -> None:
    """Delete the collection alias `url` names, its build and the build's meta collection."""
    from typesense import exceptions

    from searcher.cluster.client import connect, disconnect
    from searcher.cluster.sync import META_SUFFIX, live_collection
    from searcher.engine import parse_engine

    address = parse_engine(url)
    assert address is not None
    client = connect(address)
    try:
        live = live_collection(client, address.collection)
        with contextlib.suppress(exceptions.ObjectNotFound):
            client.aliases[address.collection].delete()
        for name in (live, f"{live}{META_SUFFIX}") if live else ():
            with contextlib.suppress(exceptions.ObjectNotFound):
                client.collections[name].delete()
    finally:
        disconnect(client)


# --------------------------------------------------------------------------
# One corpus
# --------------------------------------------------------------------------


def load() -> list[float] | None:
    return list(os.getloadavg()) if hasattr(os, "getloadavg") else None


def build_both(runner: bench.Runner, corpus: bench.Corpus, server: Server, builds: int,
               run_id: str) -> dict[str, Any]:
    """`builds` builds of each engine, alternating which goes first; each Whoosh build into
    an empty folder, each Typesense build into a new collection alias (the one before it
    deleted after it, untimed). The server's memory is sampled during its builds."""
    index = runner.work / "index" / corpus.name / "searcher"
    done: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    alias = ""
    for i in range(builds):
        for side in SIDES if i % 2 == 0 else SIDES[::-1]:
            runner.note(f"  {side}: build {i + 1}/{builds} (load {load()})")
            if side == "whoosh":
                shutil.rmtree(index, ignore_errors=True)
                index.mkdir(parents=True)
                with engine_variable(""):
                    done[side].append(runner.child("build", "searcher", corpus=str(corpus.path),
                                                   index=str(index)))
                continue
            previous, alias = alias, f"bench-{run_id}-{corpus.name}-{i + 1}"
            sampler = bench.TreeMemorySampler(server.pid) if server.pid else None
            if sampler:
                sampler.start()
            with engine_variable(server.collection(alias)):
                result = runner.child("build", "typesense", corpus=str(corpus.path), index=str(index))
            if sampler:
                sampler.stop()
            done[side].append(result | {"server_peak_rss_mb": sampler.peak_rss_mb if sampler else None,
                                        "server_rss_after_mb": server.rss_mb()})
            if previous:
                drop(server.collection(previous))
    for side, results in done.items():
        if errors := [b["error"] for b in results if "error" in b]:
            raise SystemExit(f"{side} build failed: {errors[0]}")
    return {"builds": done, "index": str(index), "collection": server.collection(alias)}


def side_by_side(sessions: dict[str, bench.Session], queries: Sequence[bench.Query], passes: int,
                 timer: RequestTimer) -> dict[str, Any]:
    """run.py's `side_by_side`, with the HTTP requests of each timed Typesense search."""
    requests: dict[bool, list[list[Request]]] = {False: [], True: []}  # by facets

    def taken(side: str, facets: bool) -> None:
        if side == "typesense":
            requests[facets].append(timer.take())

    times = bench.side_by_side(sessions, queries, passes, warmed=timer.take, after=taken)
    answers = {side: [session.search(q, True) for q in queries] for side, session in sessions.items()}
    out: dict[str, Any] = {}
    for side, timed in times.items():
        out[side] = timed | {
            "top_hits": [len(a.hits) for a in answers[side]],
            "facet_names": sorted({name for a in answers[side] for name in a.facet_names}),
            "top_articles": [[h[0] for h in a.hits] for a in answers[side]],
        }
        if side == "typesense":
            out[side] |= {"requests": request_figures(requests[False]),
                          "faceted_requests": request_figures(requests[True])}
    return out


def request_figures(calls: list[list[Request]]) -> dict[str, Any]:
    """Per search call: the requests made, the time in them and the server's search time."""
    return {"count": [len(c) for c in calls], "ms": [sum(r.ms for r in c) for c in calls],
            "server_ms": [sum(r.server_ms for r in c) for c in calls],
            "kinds": dict(Counter(r.kind for c in calls for r in c))}


def query_both(built: dict[str, Any], corpus: bench.Corpus, queries: list[bench.Query],
               passes: int) -> dict[str, Any]:
    """The side-by-side timing, in this process, on both engines open at once."""
    from searcher import Searcher

    index, collection = built["index"], built["collection"]
    with RequestTimer() as timer, \
            Searcher.open(index=index, corpus=corpus.path, engine="whoosh", update=False) as whoosh, \
            Searcher.open(corpus=corpus.path, engine=collection, update=False) as typesense:
        timer.take()
        sessions: dict[str, bench.Session] = {"whoosh": bench.SearcherSession(whoosh),
                                              "typesense": bench.SearcherSession(typesense)}
        return side_by_side(sessions, queries, passes, timer)


def bench_corpus(runner: bench.Runner, name: str, settings: bench.Settings, server: Server,
                 run_id: str, keep: bool) -> dict[str, Any]:
    corpus = bench.prepare_corpus(name, runner.work, settings)
    runner.note(f"\n[{name}] {corpus.files} files, {corpus.sections} sections: {corpus.how}")
    queries = bench.draw_queries(list(bench.iter_sections(corpus.path)), settings.queries, settings.seed)
    queries_file = runner.work / f"queries-{name}.json"
    queries_file.write_text(json.dumps([bench.query_to_json(q) for q in queries]))
    builds = settings.repeats_small if corpus.sections < 1_000 else settings.plan.builds
    load_before = load()
    built = build_both(runner, corpus, server, builds, run_id)
    runner.note(f"  side by side: {len(queries)} queries x 2 engines x 2 (load {load()})")
    timed = query_both(built, corpus, queries, settings.plan.query_passes)
    server_rss = server.rss_mb()
    # A process holding each engine open, as run.py measures it (its own, unalternated times).
    own = {"own": str(queries_file)}
    processes = {}
    for side, engine in (("whoosh", "searcher"), ("typesense", "typesense")):
        runner.note(f"  {side}: a query process on its own")
        with engine_variable(built["collection"] if side == "typesense" else ""):
            processes[side] = runner.child("queries", engine, corpus=str(corpus.path), index=built["index"],
                                           query_sets=own, passes=1)
    updates = {}
    for side, engine in (("whoosh", "searcher"), ("typesense", "typesense")):
        with engine_variable(built["collection"] if side == "typesense" else ""):
            indexes = {engine: Path(built["index"])}
            updates[side] = bench.bench_updates(runner, indexes, corpus, settings.plan.update_rounds)[engine]
    if not keep:
        drop(built["collection"])
    return {
        "corpus": {"files": corpus.files, "sections_bench_split": corpus.sections, "how": corpus.how},
        "queries": {"count": len(queries), "seed": settings.seed,
                    "kinds": dict(Counter(q.kind for q in queries)),
                    "list": [q.whoosh_syntax() for q in queries]},
        "builds": builds, "query_passes": settings.plan.query_passes,
        "load_average": {"before": load_before, "after": load()},
        "build": built["builds"], "side_by_side": timed, "server_rss_after_queries_mb": server_rss,
        "query_processes": processes, "update": updates,
    }


# --------------------------------------------------------------------------
# Figures and the table
# --------------------------------------------------------------------------


def figures(r: dict[str, Any], side: str) -> dict[str, float | None]:
    builds = r["build"][side]
    seconds = statistics.median(b["seconds"] for b in builds)
    q = r["side_by_side"][side]
    process = r["query_processes"][side]
    update = r["update"][side]
    figs: dict[str, float | None] = {
        "sections": builds[0]["sections"],
        "build_s": seconds,
        "sections_per_s": builds[0]["sections"] / seconds,
        "query_p50_ms": bench.percentile(q["plain_ms"], 50),
        "query_p95_ms": bench.percentile(q["plain_ms"], 95),
        "query_facets_p50_ms": bench.percentile(q["faceted_ms"], 50),
        "query_facets_p95_ms": bench.percentile(q["faceted_ms"], 95),
        "zero_hit_queries": q["top_hits"].count(0),
        "process_rss_mb": process.get("rss_queried_mb"),
        "process_p50_ms": bench.percentile(process.get("sets", {}).get("own", {}).get("plain_ms", []), 50),
        "update_s": update.get("seconds") if update.get("marker_hits") else None,
    }
    if side == "whoosh":
        figs["build_peak_mb"] = bench.median_or_none(
            [max(b["peak_rss_mb"] or 0, b["tree_peak_pss_mb"]) for b in builds])
        return figs
    requests = statistics.median(sum(k["seconds"] for k in b["requests"].values()) for b in builds)
    figs |= {
        "build_requests_s": requests,
        "build_peak_mb": bench.median_or_none(
            [(b["server_peak_rss_mb"] or 0) + max(b["peak_rss_mb"] or 0, b["tree_peak_pss_mb"])
             for b in builds] if builds[0]["server_peak_rss_mb"] else []),
        "server_rss_mb": r["server_rss_after_queries_mb"],
        "requests_per_search": statistics.median(q["requests"]["count"]),
        "requests_per_search_facets": statistics.median(q["faceted_requests"]["count"]),
        "request_p50_ms": bench.percentile(q["requests"]["ms"], 50),
        "server_p50_ms": bench.percentile(q["requests"]["server_ms"], 50),
        "client_p50_ms": bench.percentile([total - wait for total, wait in zip(
            q["plain_ms"], per_query(q["requests"]["ms"], len(q["plain_ms"])), strict=True)], 50),
    }
    return figs


def per_query(values: list[float], queries: int) -> list[float]:
    """Per-query medians of values recorded pass after pass, query after query."""
    passes = len(values) // queries
    return [statistics.median(values[p * queries + i] for p in range(passes)) for i in range(queries)]


ROWS: list[tuple[str, str, str]] = [
    ("sections", "sections indexed", "{:,.0f}"),
    ("build_s", "build time (median)", "{:.2f} s"),
    ("sections_per_s", "  sections per second", "{:,.0f}"),
    ("build_requests_s", "  in requests to the server", "{:.2f} s"),
    ("build_peak_mb", "peak memory while building", "{:.0f} MB"),
    ("query_p50_ms", "query+snippets top10 p50", "{:.2f} ms"),
    ("query_p95_ms", "query+snippets top10 p95", "{:.2f} ms"),
    ("query_facets_p50_ms", "  with default facets p50", "{:.2f} ms"),
    ("query_facets_p95_ms", "  with default facets p95", "{:.2f} ms"),
    ("zero_hit_queries", "queries with no hits", "{:.0f}"),
    ("requests_per_search", "HTTP requests per search", "{:.0f}"),
    ("requests_per_search_facets", "  with default facets", "{:.0f}"),
    ("request_p50_ms", "time in requests p50 (no facets)", "{:.2f} ms"),
    ("server_p50_ms", "  server's search_time_ms p50", "{:.2f} ms"),
    ("client_p50_ms", "  rest (Python: passages...) p50", "{:.2f} ms"),
    ("process_p50_ms", "p50 in a process of its own", "{:.2f} ms"),
    ("process_rss_mb", "RSS of the searching process", "{:.0f} MB"),
    ("server_rss_mb", "RSS of the Typesense server", "{:.0f} MB"),
    ("update_s", "update after 1 article edit", "{:.3f} s"),
]


def table(figs: dict[str, dict[str, float | None]]) -> str:
    w, t = figs["whoosh"], figs["typesense"]
    head = f"{'':34}{'Whoosh':>12}{'Typesense':>12}{'Typesense/Whoosh':>18}"
    lines = [head, "-" * len(head)]
    for key, label, pattern in ROWS:
        lines.append(f"{label:34}{bench.fmt(w.get(key), pattern):>12}{bench.fmt(t.get(key), pattern):>12}"
                     f"{bench.ratio(t.get(key), w.get(key)):>18}")
    return "\n".join(lines)


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    out = [f"Typesense (one node) beside Whoosh, {results['date']}",
           f"machine: {m['platform']}; {m['cpu']}; {m['cpu_count']} CPUs; {m['memory_gb']} GB; "
           f"python {m['python']}; whoosh3 {m.get('whoosh3')}; typesense server {results['server_version']}, "
           f"client {m.get('typesense')}; searcher {m['searcher']} (checkout {m['checkout_rev']}, "
           f"sources {m['searcher_sources_sha256']})",
           f"node: {results['node']}; load average at start {fmt_load(m['load_average_at_start'])}, "
           f"at end {fmt_load(results['load_average_at_end'])}"]
    for name, r in results["corpora"].items():
        c, q = r["corpus"], r["queries"]
        out += ["", f"== {name}: {c['files']} files, {c['sections_bench_split']} sections ({c['how']})",
                f"   {q['count']} queries {q['kinds']}, seed {q['seed']}; builds {r['builds']} (median), "
                f"alternating; {r['query_passes']} timed pass(es) after 1 warm-up, engines alternating "
                f"per query; load average {fmt_load(r['load_average']['before'])} before, "
                f"{fmt_load(r['load_average']['after'])} after",
                "", table(r["figures"])]
    return "\n".join(out)


def fmt_load(values: Sequence[float] | None) -> str:
    return " ".join(f"{v:.2f}" for v in values) if values else "n/a"


def server_version(server: Server) -> str:
    from searcher.cluster.client import connect, disconnect
    from searcher.engine import parse_engine

    address = parse_engine(server.url)
    assert address is not None
    client = connect(address)
    try:
        return str(client.debug.retrieve().get("version", "?"))
    except Exception as error:  # only a label
        return f"unknown ({error})"
    finally:
        disconnect(client)


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--engine", help="typesense://KEY@HOST:PORT of a running node (default: start one)")
    p.add_argument("--server-pid", type=int, help="with --engine: the node's PID, for its memory")
    p.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    p.add_argument("--corpora", type=lambda s: [n for n in s.split(",") if n], default=["bundled", "scaled"],
                   help=f"comma-separated subset of {','.join(bench.CORPUS_NAMES)} (default bundled,scaled)")
    p.add_argument("--repeats", type=int, default=1,
                   help="builds per engine per corpus (median; corpora under 1,000 sections get at least 3)")
    p.add_argument("--query-passes", type=int, default=1, help="timed passes over the queries")
    p.add_argument("--queries", type=int, help="queries per corpus (default 200; 30 with --quick)")
    p.add_argument("--sections", type=int, help="sections in the scaled corpus (default 20000)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--keep", action="store_true", help="leave the last collections on the node")
    p.add_argument("--workdir", type=Path, help="keep corpora and indexes in this new or empty folder")
    p.add_argument("--out", type=Path, help="JSON results (default bench/out/typesense-<time>.json)")
    args = p.parse_args(argv)
    if unknown := set(args.corpora) - set(bench.CORPUS_NAMES):
        p.error(f"unknown corpora: {', '.join(sorted(unknown))}")
    if args.server_pid and not args.engine:
        p.error("--server-pid goes with --engine")
    return args


def main(argv: Sequence[str]) -> int:
    if argv[:1] == ["_worker"]:
        bench.worker_main(argv[1])
        return 0
    args = parse_args(argv)
    settings = bench.Settings(
        corpora=args.corpora, engines=list(SIDES),
        scaled_sections=args.sections or (500 if args.quick else 20_000),
        leads_limit=300 if args.quick else None,
        queries=args.queries or (30 if args.quick else 200), seed=args.seed,
        plan=bench.Plan(builds=args.repeats, query_passes=args.query_passes, cli_runs=0),
        repeats_small=max(args.repeats, 1 if args.quick else 3),
        folders={},
    )
    started = dt.datetime.now()
    out = args.out or bench.OUT_DIR / f"typesense-{started:%Y%m%d-%H%M%S}.json"
    machine = bench.machine()
    with bench.work_dir(args.workdir) as work:
        code, code_info = bench.snapshot_searcher(work)
        sys.path.insert(0, str(code))  # this process searches with the same copy as its children
        runner = bench.Runner(work, code, script=Path(__file__).resolve())
        with typesense_server(args.engine, args.server_pid, work) as server:
            with contextlib.suppress(metadata.PackageNotFoundError):
                machine["typesense"] = metadata.version("typesense")
            results: dict[str, Any] = {
                "date": started.isoformat(timespec="seconds"),
                "machine": machine | code_info,
                "settings": asdict(settings),
                "node": ("given by --engine" if args.engine else "started here (tests/typesense_servers.py)")
                + f", PID {server.pid or 'unknown'}",
                "server_version": server_version(server),
                "corpora": {name: bench_corpus(runner, name, settings, server, f"{started:%H%M%S}", args.keep)
                            for name in settings.corpora},
            }
    for r in results["corpora"].values():
        r["figures"] = {side: figures(r, side) for side in SIDES}
    results["seconds"] = (dt.datetime.now() - started).total_seconds()
    results["load_average_at_end"] = load()
    print(report(results))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str))
    print(f"\nraw figures: {out}  ({results['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
