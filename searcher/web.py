"""`searcher serve`: the search page and a JSON HTTP API over one shared `Searcher`.

`App` is a WSGI application (PEP 3333) with no dependency beyond the standard library:
`searcher serve` runs it on the standard library's threading HTTP server (`serve`), and any
WSGI server can mount it (`searcher.web:app`, or the factory `searcher.web:create_app()`).

- `GET /` is the page (`static/index.html`, its CSS and JavaScript): nothing is fetched from
  elsewhere, so it works with no network.
- `GET /api/search`, `/api/facets`, `/api/articles/{title or path}`, `/api/fields` and
  `/api/health` answer JSON: `/api/search` is the CLI's `search --json` object, `/api/facets`
  its `facets --json`, and so on. An error is `{"error": "one line"}` with 400 (bad query or
  parameter), 404 (no such article or address), 405 (not GET or HEAD), 409 (a title of several
  files), 503 (no index to read) or 500; never a traceback or an HTML page.
- Read-only: no request changes the index or the corpus. Only the files of the package's
  `static/` folder are served, by name, from a list made at start; every response has its
  `Content-Type` and `X-Content-Type-Options: nosniff`, and the page a content security policy
  that runs no script but its own.

`Library` holds the searcher every request thread uses, one call at a time (a lock: Whoosh's
searcher is not safe to share between threads, and the work is Python, which one process runs
one thread at a time anyway). A watcher thread checks the corpus the way the CLI does before
each command; when files changed, a `searcher index` process updates the index in the
background while requests are answered from the last build, and the new build then replaces
it between two requests.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import mimetypes
import os
import re
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, quote_from_bytes
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from . import __version__
from .article import Article
from .builds import is_up_to_date
from .cluster.sync import current
from .engine import ENVIRONMENT as ENGINE_VARIABLE
from .engine import engine_address
from .errors import (
    Advice,
    AmbiguousArticle,
    ArticleNotFound,
    CorpusError,
    IndexLocked,
    IndexUnavailable,
    QueryError,
    SearcherError,
    counted,
    terminal_safe,
)
from .locations import default_index
from .schema import DEFAULT_FACETS, text_analyzer
from .search import Searcher

STATIC = Path(__file__).resolve().parent / "static"
# The most hits one request may ask for, and the furthest page.
MAX_LIMIT = 100
MAX_OFFSET = 100_000
# How often the watcher checks the corpus for changes (seconds), and how long it waits after
# an update that failed (a read-only index, a corpus folder gone) before trying again.
CHECK_EVERY = 2.0
RETRY_AFTER = 30.0
# Requests of more parameters than this are refused (parse_qs's own bound).
MAX_PARAMETERS = 200
# The answers kept for repeated API requests (`App`), the largest answer kept, and the bytes
# all of them may take (any client chooses what is kept: an article of 1 MB under 1,024
# queries held 1 GB).
CACHE_SIZE = 1024
CACHE_MAX_BYTES = 1 << 20
CACHE_TOTAL_BYTES = 32 << 20
# The most of a request's body read (and dropped: the API reads none) after its answer, and
# for how long (seconds); past them the connection is closed with the rest unread.
DRAINED_BYTES = 64 << 20
DRAIN_SECONDS = 10.0

Notify = Callable[[str], None]
StartResponse = Callable[..., Any]

# What each endpoint accepts: parameters of one value, and those that may repeat.
_FILTERS = ("uprising", "article", "result", "place", "year", "filter", "during", "facet")
_SEARCH_SINGLE = ("q", "limit", "offset", "per_article")
_FACETS_SINGLE = ("q",)
_NUMBER = re.compile(r"[0-9]{1,7}")  # (`\d` is any script's digits: `limit=٣` was 3)

# The page may run and load only what this process serves; JSON answers may load nothing.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"


class BadRequest(Exception):
    """A request the API refuses: its HTTP status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


# What the library's errors advise, in the API's words (its parameters and addresses).
HTTP_API = Advice(
    fields="`/api/fields`",
    titles="`/api/facets`",
    year_filter="the parameter `year=YEAR`",
    title_filter="the parameter `uprising=TITLE`",
    article=lambda path: f"`/api/articles/{quote(path)}`",
)

# The HTTP status of each library error; any other `SearcherError` is 500.
_STATUS: tuple[tuple[type[SearcherError], int], ...] = (
    (QueryError, 400),
    (ArticleNotFound, 404),
    (AmbiguousArticle, 409),
    (IndexUnavailable, 503),
    (IndexLocked, 503),
    (CorpusError, 503),
)


@dataclass(frozen=True)
class _Loaded:
    """The build a searcher reads: its folder and Whoosh generation, and what it holds."""

    build: str
    generation: int
    articles: int
    sections: int


class Library:
    """The searcher a server answers from, shared by its request threads, replaced by a new
    one when the index changes.

    `use()` lends it to one thread at a time. `watch()` starts a thread that notices corpus
    changes as the CLI does (file stamps against the index's manifest), updates the index in
    a `searcher index` process and then reads the new build; searches meanwhile answer from
    the last one. With `update=False` it updates nothing, and reads the builds others make.
    """

    def __init__(
        self,
        index: Path | str | None = None,
        corpus: Path | str | None = None,
        *,
        update: bool = True,
        notify: Notify | None = None,
        check_every: float = CHECK_EVERY,
        engine: str | None = None,
    ) -> None:
        self.index_dir = Path(index) if index is not None else default_index()
        self._engine = engine_address(engine)  # None: the index folder
        self._corpus = Path(corpus) if corpus is not None else None
        self._notify = notify or (lambda message: None)
        self._check_every = check_every
        self._updates = update
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self._process: subprocess.Popen[str] | None = None  # an update running
        self._retry_at = 0.0
        self._warning = ""  # why the index may be out of date
        self._unread = ""  # why the live build is not the one read
        self.reloads = 0
        # Changes whenever an answer could: a new build read, or a new warning.
        self.version = 0
        self._searcher = Searcher.open(self.index_dir, self._corpus, update=update, notify=self._notify,
                                       engine=engine or "")
        self._loaded = self._describe(self._searcher)

    @property
    def place(self) -> str:
        """Where the answers come from: the index folder, or the Typesense collection."""
        return f"the collection {self._engine}" if self._engine else f"the index in {self.index_dir}"

    @contextlib.contextmanager
    def use(self) -> Iterator[Searcher]:
        """The current searcher, for one call at a time."""
        with self._lock:
            yield self._searcher

    def health(self) -> dict[str, Any]:
        """What the server answers from: index generation, articles, sections, warnings."""
        with self._lock:
            loaded, warnings = self._loaded, list(self._searcher.warnings)
        return {
            "status": "ok",
            "version": __version__,
            "generation": loaded.generation,
            "build": loaded.build,
            "articles": loaded.articles,
            "sections": loaded.sections,
            "reloads": self.reloads,
            "updating": self._warning.startswith("updating"),
            "warnings": warnings,
        }

    def watch(self) -> None:
        """Start checking the corpus (unless it updates nothing) and the index for changes
        every `check_every` seconds."""
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="searcher-watcher", daemon=True)
            self._watcher.start()

    def close(self) -> None:
        """Stop watching (ending a running update: the index stays as it was) and close the
        searcher."""
        self._stop.set()
        if self._process is not None:
            self._process.terminate()
        if self._watcher is not None:
            self._watcher.join()
        with self._lock:
            self._searcher.close()

    def _watch(self) -> None:
        while not self._stop.wait(self._check_every):
            try:
                self.check()
            except Exception:  # the watcher must outlive any one failure; say what it was
                self._notify("checking the index failed: " + traceback.format_exc().strip().splitlines()[-1])

    def check(self) -> bool:
        """One check: update the index if the corpus changed (unless it updates nothing),
        then read the live build if it is not the one being read. Returns whether the
        searcher was replaced."""
        if self._updates and time.monotonic() >= self._retry_at:
            self._update()
        return self._reload()

    def _update(self) -> None:
        try:
            if self._up_to_date():
                self._set_warning("")
                return
        except (SearcherError, OSError) as error:
            self._failed(str(error))
            return
        self._set_warning(
            "updating the index in the background; answering from the last complete build"
        )
        command = [sys.executable, "-m", "searcher", "index", "--index", str(self.index_dir)]
        environment = None
        if self._engine is not None:  # (the address holds a key: the environment, not argv)
            environment = {**os.environ, ENGINE_VARIABLE: self._engine.url()}
        if self._corpus is not None:
            command += ["--corpus", str(self._corpus)]
        with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=environment) as process:
            self._process = process
            if self._stop.is_set():  # closing: a killed update leaves the index as it was
                process.terminate()
            stdout, stderr = process.communicate()
        self._process = None
        for line in stderr.splitlines():
            if line.startswith("searcher: "):
                self._notify(line.removeprefix("searcher: "))
        if self._stop.is_set():
            return
        if process.returncode == 0:
            self._set_warning("")
            self._notify(f"index updated: {stdout.strip()}")
        else:
            errors = [line.removeprefix("Error: ") for line in stderr.splitlines()
                      if line.startswith("Error: ")]
            self._failed(errors[-1] if errors else f"`searcher index` exited with {process.returncode}")

    def _failed(self, reason: str) -> None:
        self._retry_at = time.monotonic() + RETRY_AFTER
        self._set_warning(
            f"the index could not be brought up to date ({reason}); answering from it as it is"
        )

    def _set_warning(self, warning: str, *, reading: bool = False) -> None:
        """Say (once) why the index may be out of date, or (`reading`) why the live build is
        not the one read; results carry these as warnings."""
        if warning != (self._unread if reading else self._warning):
            if reading:
                self._unread = warning
            else:
                self._warning = warning
            if warning:
                self._notify(warning)
        warnings = [text for text in (self._warning, self._unread) if text]
        with self._lock:
            if self._searcher.warnings != warnings:
                self._searcher.warnings = warnings
                self.version += 1

    def _up_to_date(self) -> bool:
        """Whether the index (or collection) holds the corpus as it is now."""
        if self._engine is not None:
            return current(self._engine, self._corpus)[2]
        return is_up_to_date(self._corpus, self.index_dir)

    def _reload(self) -> bool:
        if self._searcher.up_to_date():  # (a stat: the manifest is read only when it changed)
            return False
        build, generation = self._searcher.latest()
        if not build or (build, generation) == (self._loaded.build, self._loaded.generation):
            return False
        engine = self._engine.url() if self._engine else ""
        try:
            searcher = Searcher.open(self.index_dir, update=False, engine=engine)
        except SearcherError as error:  # (damaged, of another version: said once, not each check)
            self._set_warning(f"{error}; answering from the build read before", reading=True)
            return False
        try:
            loaded = self._describe(searcher)
        except BaseException:
            searcher.close()
            raise
        with self._lock:
            old, self._searcher, self._loaded = self._searcher, searcher, loaded
            searcher.warnings = old.warnings
            self.reloads += 1
            self.version += 1
        old.close()  # (which deletes the build it read, if a rebuild replaced it)
        self._set_warning("", reading=True)
        self._notify(f"now answering from {counted(loaded.articles, 'article')}, "
                     f"{counted(loaded.sections, 'section')} (index generation {loaded.generation})")
        return True

    def _describe(self, searcher: Searcher) -> _Loaded:
        # (the build it opened, not the live one now: an update may have landed since)
        every = searcher.search("*", limit=1, facets=False)
        return _Loaded(*searcher.source(), every.articles, every.total)


def _static_files() -> dict[str, tuple[bytes, str]]:
    """Every file of the static folder (not its subfolders) by name: its bytes and type."""
    files = {}
    for path in sorted(STATIC.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
                kind += "; charset=utf-8"
            files[path.name] = (path.read_bytes(), kind)
    return files


class _Answers:
    """The JSON of the last `size` distinct API requests that succeeded (at most
    `CACHE_TOTAL_BYTES` of it), by what the library read and the request: an index does not
    change between two builds, so neither do they."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[tuple[int, str, str], bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str, str]) -> bytes | None:
        with self._lock:
            body = self._kept.get(key)
            if body is not None:
                self._kept.move_to_end(key)
            return body

    def put(self, key: tuple[int, str, str], body: bytes) -> None:
        if self._size <= 0 or len(body) > CACHE_MAX_BYTES:
            return
        with self._lock:
            if (old := self._kept.pop(key, None)) is not None:
                self._bytes -= len(old)
            self._kept[key] = body
            self._bytes += len(body)
            while len(self._kept) > self._size or self._bytes > CACHE_TOTAL_BYTES:
                self._bytes -= len(self._kept.popitem(last=False)[1])


class App:
    """The WSGI application: the page and the JSON API over a `Library`. The answers to
    repeated API requests come from a cache of `cache` entries (0: none) until the library
    reads a new build or its warnings change."""

    def __init__(self, library: Library | Callable[[], Library], cache: int = CACHE_SIZE) -> None:
        self._library = library if isinstance(library, Library) else None
        self._make = library if not isinstance(library, Library) else None
        self._making = threading.Lock()
        self._static = _static_files()
        self._answers = _Answers(cache)

    @property
    def library(self) -> Library:
        """The library, made on first use when the app was given a factory."""
        if self._library is None:
            with self._making:
                if self._library is None:
                    assert self._make is not None
                    self._library = self._make()
        return self._library

    def __call__(self, environ: Mapping[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if method not in ("GET", "HEAD"):
                raise BadRequest(405, f"{method} is not allowed: the API only reads (GET)")
            status, body, headers = self._answer(_path(environ), environ.get("QUERY_STRING", ""))
        except BadRequest as error:
            status, body, headers = _error(error.status, str(error))
        except SearcherError as error:
            code = next((code for kind, code in _STATUS if isinstance(error, kind)), 500)
            status, body, headers = _error(code, error.told(HTTP_API))
        except Exception:
            traceback.print_exc(file=environ.get("wsgi.errors", sys.stderr))
            status, body, headers = _error(500, "internal error: the server's log says more")
        headers = [*headers, ("Content-Length", str(len(body))), ("X-Content-Type-Options", "nosniff"),
                   ("Referrer-Policy", "no-referrer")]
        if status == 405:
            headers.append(("Allow", "GET, HEAD"))
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [b""] if method == "HEAD" else [body]

    def _answer(self, path: str, raw_query: str) -> tuple[int, bytes, list[tuple[str, str]]]:
        """The answer to a request, from the cache when the same request was answered since
        the library last changed (the health of the server is never kept). The page and its
        files read no parameters (a link with odd ones still opens the page)."""
        if not path.startswith("/api/"):
            return self._route(path, {})
        query = _query(raw_query)
        if path == "/api/health":
            return self._route(path, _parameters(query))
        key = (self.library.version, path, query)
        body = self._answers.get(key)
        if body is not None:
            return 200, body, _json_headers()
        status, body, headers = self._route(path, _parameters(query))
        if status == 200:
            self._answers.put(key, body)
        return status, body, headers

    def _route(self, path: str, parameters: dict[str, list[str]]) -> tuple[int, bytes, list[tuple[str, str]]]:
        if path == "/":
            return self._file("index.html")
        if path.startswith("/static/"):
            return self._file(path.removeprefix("/static/"))
        if path.startswith("/api/articles/"):
            _known(parameters, ("q",))
            name, text = path.removeprefix("/api/articles/"), _single(parameters, "q")
            with self.library.use() as searcher:
                path = searcher.article_file(name)
                article = searcher.article(path)
                marked = None if text is None else _marked_words(searcher, article, path, text)
            return _json(asdict(article) if marked is None else {**asdict(article), "marked": marked})
        handlers = {
            "/api/search": self._search,
            "/api/facets": self._facets,
            "/api/fields": self._fields,
            "/api/health": self._health,
        }
        handler = handlers.get(path)
        if handler is None:
            answered = ", ".join([*handlers, "/api/articles/NAME"])
            raise BadRequest(404, f"nothing at {_shown(path)}; the API answers at {answered} (see README)")
        return _json(handler(parameters))

    def _file(self, name: str) -> tuple[int, bytes, list[tuple[str, str]]]:
        if name not in self._static:
            raise BadRequest(404, f"no file {_shown(name)}")
        body, kind = self._static[name]
        headers = [("Content-Type", kind), ("Cache-Control", "no-cache")]
        if name.endswith(".html"):
            headers += [("Content-Security-Policy", PAGE_POLICY), ("X-Frame-Options", "DENY")]
        return 200, body, headers

    def _search(self, parameters: dict[str, list[str]]) -> Any:
        _known(parameters, (*_SEARCH_SINGLE, *_FILTERS))
        text = _required(parameters, "q")
        limit = _whole(parameters, "limit", 10, 1, MAX_LIMIT)
        offset = _whole(parameters, "offset", 0, 0, MAX_OFFSET)
        per_article = _whole(parameters, "per_article", 3, 0, MAX_LIMIT)
        with self.library.use() as searcher:
            result = searcher.search(text, limit=limit, offset=offset, per_article=per_article,
                                     **_filter_arguments(parameters))
            return result.to_dict()

    def _facets(self, parameters: dict[str, list[str]]) -> Any:
        _known(parameters, (*_FACETS_SINGLE, *_FILTERS))
        text = _single(parameters, "q") or ""
        with self.library.use() as searcher:
            counts = searcher.facets(text, **_filter_arguments(parameters))
        return {name: [value._asdict() for value in values] for name, values in counts.items()}

    def _fields(self, parameters: dict[str, list[str]]) -> Any:
        _known(parameters, ())
        with self.library.use() as searcher:
            return [info._asdict() for info in searcher.fields()]

    def _health(self, parameters: dict[str, list[str]]) -> Any:
        _known(parameters, ())
        return self.library.health()


def _marked_words(searcher: Searcher, article: Article, path: str, text: str) -> list[str]:
    """The words of the article (of file `path`) a query marks: those its hits in the article
    mark, and every other form of them the article has (`strikes` beside `strike`: the same
    stem), sorted; none for a query that cannot run (the article is shown unmarked)."""
    try:
        found = searcher.search(text, uprising=[article.title], per_article=0, limit=MAX_LIMIT,
                                facets=False)
    except SearcherError:
        return []
    own = [hit for hit in found.hits if hit.path == path]  # (another file may have the title)
    marked = {hit.snippet[start:end] for hit in own for start, end in hit.highlights}
    analyzer = text_analyzer()
    # Other forms of a marked word; a mark of several words (a phrase, a date) only as it is,
    # or every `4` and `August` of the article would be marked for `date:1953-07`.
    terms = [[token.text for token in analyzer(words)] for words in marked]
    stems = {words[0] for words in terms if len(words) == 1}
    texts = [article.title, *(field.value for field in article.infobox),
             *(section.name for section in article.sections),
             *(block.text for section in article.sections for block in section.blocks)]
    for piece in texts:
        marked.update(piece[token.startchar:token.endchar]
                      for token in analyzer(piece, chars=True) if token.text in stems)
    return sorted(marked)


def _path(environ: Mapping[str, Any]) -> str:
    """The request's path as text: WSGI gives its bytes as Latin-1 characters."""
    return _utf8(environ.get("PATH_INFO", "") or "/", "the path")


def _query(raw: str) -> str:
    """A request's query string as text: its percent-escapes, and any bytes a client sent as
    they are (`q=Dürenstein` from curl), which WSGI gives as Latin-1 characters."""
    return _utf8(raw, "the query string")


def _utf8(raw: str, what: str) -> str:
    try:
        return str(raw.encode("latin-1").decode("utf-8"))
    except UnicodeError:
        raise BadRequest(400, f"{what} is not UTF-8") from None


def _parameters(query: str) -> dict[str, list[str]]:
    try:
        return parse_qs(query, keep_blank_values=True, errors="strict", max_num_fields=MAX_PARAMETERS)
    except UnicodeDecodeError:  # a percent-escape of bytes that are not UTF-8
        raise BadRequest(400, "the query string is not UTF-8") from None
    except ValueError as error:
        raise BadRequest(400, f"cannot read the parameters: {error}") from None


def _known(parameters: Mapping[str, list[str]], names: Iterable[str]) -> None:
    """Refuse parameters the endpoint does not take (a misspelt one would be ignored)."""
    allowed = set(names)
    for name, values in parameters.items():
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            meant = difflib.get_close_matches(name.casefold(), allowed, n=1)
            hint = f" (did you mean {_shown(meant[0])}?)" if meant else ""
            raise BadRequest(400, f"unknown parameter {_shown(name)}{hint}; this endpoint takes: {known}")
        if name in (*_SEARCH_SINGLE, *_FACETS_SINGLE) and len(values) > 1:
            raise BadRequest(400, f"parameter {_shown(name)} given {len(values)} times; give it once")


def _single(parameters: Mapping[str, list[str]], name: str) -> str | None:
    values = parameters.get(name)
    return values[0] if values else None


def _required(parameters: Mapping[str, list[str]], name: str) -> str:
    value = _single(parameters, name)
    if value is None:
        raise BadRequest(400, f"missing parameter {name!r}: the query, e.g. /api/search?q=amnesty")
    return value


def _whole(parameters: Mapping[str, list[str]], name: str, default: int, least: int, most: int) -> int:
    """A whole-number parameter within [least, most]."""
    value = _single(parameters, name)
    if value is None:
        return default
    if not _NUMBER.fullmatch(value) or not least <= int(value) <= most:
        raise BadRequest(400, f"{name} must be a whole number from {least} to {most:,}, not {_shown(value)}")
    return int(value)


def _filter_arguments(parameters: Mapping[str, list[str]]) -> dict[str, Any]:
    """The keyword arguments of `Searcher.search` and `facets` for the filter parameters, as
    the CLI's options give them (`filter=FIELD:VALUE` is `--filter FIELD=VALUE`)."""
    filters = {name: list(parameters.get(name, ())) for name in ("result", "place", "year")}
    for item in parameters.get("filter", ()):
        name, colon, value = item.partition(":")
        if not colon or not name.strip() or not value.strip():
            raise BadRequest(400, f"filter {_shown(item)} is not FIELD:VALUE (e.g. result:suppressed)")
        filters.setdefault(name.strip(), []).append(value.strip())
    extra = parameters.get("facet", [])
    return {
        "uprising": [*parameters.get("uprising", ()), *parameters.get("article", ())],
        "filters": filters,
        "during": parameters.get("during", []),
        "facets": [*DEFAULT_FACETS, *dict.fromkeys(f for f in extra if f not in DEFAULT_FACETS)],
    }


def _shown(text: str, most: int = 80) -> str:
    """Text from a request as a message quotes it: short, control characters escaped."""
    text = text if len(text) <= most else text[:most] + "..."
    return repr(text) if not text.isprintable() else f"'{text}'"


def _json(data: Any, status: int = 200) -> tuple[int, bytes, list[tuple[str, str]]]:
    return status, json.dumps(data, ensure_ascii=False).encode("utf-8"), _json_headers()


def _json_headers() -> list[tuple[str, str]]:
    return [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store"),
            ("Content-Security-Policy", DATA_POLICY)]


def _error(status: int, message: str) -> tuple[int, bytes, list[tuple[str, str]]]:
    return _json({"error": message}, status)


# --- the server ---------------------------------------------------------------------------




# Every ASCII character: what `quote_from_bytes` leaves as it is in a request line.
_ASCII = "".join(map(chr, range(128)))


class _Handler(WSGIRequestHandler):
    """One request: wsgiref's handler, with JSON errors for requests it cannot parse and an
    access log only when asked for."""

    server_version = f"searcher/{__version__}"
    raw_requestline: bytes  # (http.server's, which typeshed leaves untyped)
    # The version of a request that names none: http.server's HTTP/0.9 answers a line it
    # cannot read (`GARBAGE`, `GET / HTTP/9.9`) with a body alone, which no client of this
    # century reads as an answer; so a status line and headers, as to HTTP/1.0.
    default_request_version = "HTTP/1.0"
    timeout = 60  # a client that sends nothing for this long is dropped

    def parse_request(self) -> bool:
        # A request line's bytes beyond ASCII percent-encoded, as a browser sends them: sent as
        # they are (curl sends what is typed), http.server split the line at any byte whose
        # Latin-1 reading is a Unicode space, as the second byte of `à` (C3 A0) or `Å` (C3 85)
        # is, and refused the request.
        self.raw_requestline = quote_from_bytes(self.raw_requestline, safe=_ASCII).encode("ascii")
        return super().parse_request()

    def handle(self) -> None:
        super().handle()
        self._drain_body()

    def _drain_body(self) -> None:
        """Read the body the request was sent with, which nothing read, up to `DRAINED_BYTES`
        within `DRAIN_SECONDS`. A connection closed with bytes unread is reset, and a client
        still sending a body of megabytes (a POST to the API) lost its answer (a 405) to a
        broken pipe."""
        headers = getattr(self, "headers", None)  # (none for a request line it could not read)
        length = headers.get("Content-Length", "") if headers is not None else ""
        # (ASCII digits, a few: `isdigit` takes `²`, and `int` refuses it, or 5,000 digits)
        left = min(int(length), DRAINED_BYTES) if re.fullmatch(r"[0-9]{1,18}", length) else 0
        deadline = time.monotonic() + DRAIN_SECONDS
        with contextlib.suppress(OSError):
            while left > 0 and (remaining := deadline - time.monotonic()) > 0:
                self.connection.settimeout(remaining)  # (each read waits only what is left)
                if not (chunk := self.rfile.read1(min(left, 1 << 16))):
                    break
                left -= len(chunk)

    def log_message(self, format: str, *args: Any) -> None:
        server = self.server
        if isinstance(server, WebServer) and server.access_log:
            # (escaped: a client's request line may hold escape codes for the terminal)
            sys.stderr.write(f"searcher: {self.address_string()} {terminal_safe(format % args)}\n")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        body = json.dumps({"error": message or HTTPStatus(code).phrase}).encode()
        self.log_error("code %d, message %s", code, message)
        self.send_response(code, message)
        for name, value in (("Content-Type", "application/json; charset=utf-8"),
                            ("Content-Length", str(len(body))), ("X-Content-Type-Options", "nosniff"),
                            ("Connection", "close")):
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)


class WebServer(ThreadingHTTPServer, WSGIServer):
    """The standard library's threading HTTP server running a WSGI app (one thread a request)."""

    access_log = False
    request_queue_size = 128  # connections waiting to be accepted (socketserver's 5 drops bursts)

    def __init__(self, address: tuple[str, int], app: App, access_log: bool = False) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.access_log = access_log
        super().__init__(address, _Handler)
        self.set_app(app)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"


def make_server(library: Library, host: str = "127.0.0.1", port: int = 8000,
                access_log: bool = False, cache: int = CACHE_SIZE) -> WebServer:
    """A server of the page and the API on `host:port` (port 0: any free one), not yet
    serving: call its `serve_forever()`."""
    return WebServer((host, port), App(library, cache), access_log=access_log)


def create_app(index: Path | str | None = None, corpus: Path | str | None = None, *,
               update: bool = True, watch: bool = True) -> App:
    """A WSGI app for any WSGI server (`gunicorn 'searcher.web:create_app()'`): its library
    is opened on the first request, in the process that serves it, and watches the corpus."""

    def make() -> Library:
        library = Library(index, corpus, update=update,
                          notify=lambda message: print(f"searcher: {message}", file=sys.stderr))
        if watch:
            library.watch()
        return library

    return App(make)


def app(environ: Mapping[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """The WSGI app on the default index and corpus (`$SEARCHER_INDEX`, `$SEARCHER_CORPUS`):
    `waitress-serve searcher.web:app`, `gunicorn searcher.web:app`."""
    global _default_app
    with _default_lock:
        if _default_app is None:
            _default_app = create_app()
    return _default_app(environ, start_response)


_default_app: App | None = None
_default_lock = threading.Lock()
