#!/usr/bin/env python
"""A bounded load test of `searcher serve`: client threads send a mix of requests to a real
server on 127.0.0.1 and the script reports throughput, latency percentiles and errors, beside
the same operations' latency in-process (the Python API, no HTTP).

    python bench/serve_load.py                                   # bundled corpus, 1,000 requests
    python bench/serve_load.py --corpus ../shared/data/articles  # the 112 real articles
    python bench/serve_load.py --threads 8 --requests 2000 --out result.json

Target (the issue): no errors, and the HTTP p95 under 3x the in-process p95. The server is a
child process (`python -m searcher serve --port 0`), so the clients do not share its
interpreter; `--cache 0` turns off its cache of repeated answers, so that every request
searches. The first `--warmup` requests are sent before the clock starts (and are in the
cache then). Not part of the test suite; standard library and searcher only.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from searcher import QueryError, Searcher, update_index  # noqa: E402  (the checkout's package)

# The mix: queries people type (words, phrases, fields, filters, questions, typos), a few pages
# further on, facet counts and articles.
QUERIES = [
    "amnesty", "strike", "uprising", "prisoners", '"Voice of America"', "camp guards",
    "commander:Shamaev", "casualties:killed", "strike -Norilsk", "Vorkta", "Gritsyak",
    "how many people were killed and wounded in Norilsk", "death of Stalin", "amnest*",
    "date:1953", "soviet union", "revolt OR rebellion", "war", "hunger strike", "mine",
]
FILTERS: list[dict[str, Any]] = [
    {}, {}, {}, {"during": "1953"}, {"filter": "year:1953"}, {"per_article": "0"},
    {"offset": "10"}, {"limit": "20"},
]


@dataclass(frozen=True)
class Request:
    """One request of the mix, and how to do the same in-process."""

    path: str
    kind: str  # search, facets or article
    arguments: dict[str, Any]


def mix(count: int, queries: Sequence[str], titles: Sequence[str], seed: int) -> list[Request]:
    """`count` requests: 85% searches, 10% facet counts, 5% articles."""
    chance = random.Random(seed)
    requests = []
    for _ in range(count):
        roll = chance.random()
        query = chance.choice(queries)
        if roll < 0.85:
            extra = dict(chance.choice(FILTERS))
            parameters = {"q": query, **extra}
            requests.append(Request("/api/search?" + urlencode(parameters), "search", parameters))
        elif roll < 0.95:
            requests.append(Request("/api/facets?" + urlencode({"q": query}), "facets", {"q": query}))
        else:
            title = chance.choice(titles)
            requests.append(Request("/api/articles/" + quote(title), "article", {"name": title}))
    return requests


def in_process(searcher: Searcher, request: Request) -> None:
    """The same work through the Python API (what a request does, without HTTP and JSON)."""
    arguments = request.arguments
    if request.kind == "article":
        searcher.article(arguments["name"])
        return
    if request.kind == "facets":
        searcher.facets(arguments["q"])
        return
    filters = {"year": [arguments["filter"].partition(":")[2]]} if "filter" in arguments else None
    searcher.search(arguments["q"], filters=filters, during=arguments.get("during"),
                    limit=int(arguments.get("limit", 10)), offset=int(arguments.get("offset", 0)),
                    per_article=int(arguments.get("per_article", 3))).to_dict()


def runs(searcher: Searcher, query: str) -> bool:
    try:
        searcher.search(query)
    except QueryError:
        return False
    return True


def percentiles(values: Sequence[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": statistics.median(values), "p95": cuts[94], "p99": cuts[98], "max": max(values)}


def timed(call: Callable[[], None]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def start_server(index: Path, corpus: Path, cache: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "searcher", "serve", "--port", "0", "--index", str(index),
         "--corpus", str(corpus), "--cache", str(cache)],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        print(line.rstrip(), file=sys.stderr)
        if "listening on " in line:
            url = line.split("listening on ", 1)[1].split()[0]
            # keep reading stderr, so the server never blocks on a full pipe
            threading.Thread(target=lambda: [None for _ in process.stderr or ()], daemon=True).start()
            return process, url.rstrip("/")
    raise SystemExit(f"the server ended before listening (exit {process.wait()})")


def fetch(url: str) -> tuple[float, str | None]:
    """Latency in ms and the error, if any (a status other than 200, or no answer)."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            json.load(response)
            error = None if response.status == 200 else f"status {response.status}"
    except urllib.error.HTTPError as failure:
        with failure:
            error = f"status {failure.code}: {failure.read()[:200]!r}"
    except Exception as failure:  # a refused or dropped connection counts as an error
        error = f"{type(failure).__name__}: {failure}"
    return (time.perf_counter() - start) * 1000, error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="folder of article .txt files")
    parser.add_argument("--requests", type=int, default=1000, help="requests to send (default 1000)")
    parser.add_argument("--threads", type=int, default=6, help="client threads, 4 to 8 (default 6)")
    parser.add_argument("--warmup", type=int, default=50, help="requests sent first, not counted")
    parser.add_argument("--cache", type=int, default=1024,
                        help="the server's --cache: answers kept for repeated requests (0: none)")
    parser.add_argument("--seed", type=int, default=1953)
    parser.add_argument("--out", type=Path, help="write every figure to this JSON file")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="searcher-load-") as work:
        index = Path(work) / "index"
        print(f"building the index of {options.corpus} ...", file=sys.stderr)
        update_index(options.corpus, index)
        with Searcher.open(index, options.corpus, update=False) as searcher:
            titles = searcher.uprisings()
            queries = [query for query in QUERIES if runs(searcher, query)]  # fields the corpus has
            print(f"queries: {', '.join(queries)}", file=sys.stderr)
            requests = mix(options.warmup + options.requests, queries, titles, options.seed)
            for request in requests[: options.warmup]:
                in_process(searcher, request)
            local = [timed(lambda r=request: in_process(searcher, r))  # type: ignore[misc]
                     for request in requests[options.warmup:]]

        process, url = start_server(index, options.corpus, options.cache)
        try:
            for request in requests[: options.warmup]:
                fetch(url + request.path)
            start = time.perf_counter()
            with ThreadPoolExecutor(options.threads) as pool:
                answers = list(pool.map(lambda r: fetch(url + r.path), requests[options.warmup:]))
            seconds = time.perf_counter() - start
        finally:
            process.terminate()
            process.wait(timeout=60)

    latencies = [ms for ms, _ in answers]
    errors = [error for _, error in answers if error]
    http, direct = percentiles(latencies), percentiles(local)
    ratio = http["p95"] / direct["p95"]
    report = {
        "corpus": str(options.corpus), "articles": len(titles), "requests": options.requests,
        "threads": options.threads, "cache": options.cache, "seconds": seconds,
        "throughput_per_s": options.requests / seconds,
        "http_ms": http, "in_process_ms": direct, "p95_ratio": ratio, "errors": len(errors),
        "error_examples": errors[:5], "python": sys.version.split()[0],
    }
    print(f"{options.requests} requests, {options.threads} client threads, {len(titles)} articles, "
          f"cache {options.cache}: "
          f"{report['throughput_per_s']:.0f} requests/s, {len(errors)} errors")
    for name, figures in (("HTTP", http), ("in-process", direct)):
        print(f"  {name:<10} p50 {figures['p50']:7.2f} ms  p95 {figures['p95']:7.2f} ms  "
              f"p99 {figures['p99']:7.2f} ms  max {figures['max']:7.2f} ms")
    verdict = "met" if not errors and ratio < 3 else "NOT met"
    print(f"  HTTP p95 / in-process p95 = {ratio:.2f} (target: under 3, no errors: {verdict})")
    for error in errors[:5]:
        print(f"  error: {error}")
    if options.out:
        options.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
