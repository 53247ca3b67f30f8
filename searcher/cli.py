"""The `searcher` command: a thin layer over the Python API that parses and prints.

Exit codes: 0 done (also when nothing matches), 1 could not do it (bad query, missing corpus,
unreadable or locked index), 2 usage error (unknown option, missing argument, bad option value),
141 the output's reader went away (`| head`).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import SearcherError, counted, terminal_safe
from .locations import default_index

# The modules that load Whoosh (search, schema, indexer) are imported by the commands that use
# them, not here: `searcher --help`, or a usage error, answers without them.
if TYPE_CHECKING:
    from .results import FacetValue, Hit, SearchResult
    from .search import Searcher

# The exit code of a command whose reader went away (`| head`): a shell's for a process that
# SIGPIPE ended, as it ends most tools there (128 + 13).
SIGPIPE_EXIT = 141
# Below this many files, indexing is quick and no progress bar is shown.
PROGRESS_FROM = 200
# The most characters of a field's example `searcher fields` prints (cut at a word).
MAX_EXAMPLE = 120


class _Group(click.Group):
    """Turns the library's errors and OS errors into one-line messages and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(SIGPIPE_EXIT)
        except SearcherError as error:
            raise click.ClickException(terminal_safe(str(error))) from None
        except OSError as error:
            message = f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")
            raise click.ClickException(terminal_safe(message)) from None


class _QueryCommand(click.Command):
    """A command of a QUERY, which may start with `-` (an exclusion, `-Norilsk`): an option it
    does not know says to put such a query after `--`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # (click's parser consumes `args`)
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as error:
            if error.option_name.startswith("--"):
                raise
            from shlex import quote

            typed = next((arg for arg in given if arg.startswith(error.option_name)), error.option_name)
            message = (
                f"{error.message} A query that starts with '-' goes after '--': "
                f"searcher {ctx.info_name} [OPTIONS] -- {quote(typed)}"
            )
            raise click.NoSuchOption(error.option_name, message, error.possibilities, ctx) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="searcher")
def cli() -> None:
    """Full-text search over encyclopedia articles about the Gulag uprisings of 1953.

    Exit codes: 0 done (also when nothing matches), 1 could not do it, 2 usage error, 141 the
    output's reader went away (`| head`).

    \b
    Example:
        searcher search amnesty --uprising "Vorkuta uprising"
    """


def _locations(command: Callable[..., Any]) -> Callable[..., Any]:
    """The --corpus, --index and --engine options every command shares."""
    command = click.option(
        "--engine", metavar="URL", envvar="SEARCHER_ENGINE", show_envvar=True,
        help="whoosh (the index folder; default), or the same search on a Typesense cluster: "
        "typesense://API_KEY@HOST:PORT (more nodes: ,HOST:PORT; a collection: /NAME at the end).",
    )(command)
    command = click.option(
        "--index", "index_dir", type=_Folder(),
        help="Index folder [default: $SEARCHER_INDEX, index/ in a checkout, else a per-user cache "
        "folder: on Linux $XDG_CACHE_HOME/searcher/index, or ~/.cache/searcher/index].",
    )(command)
    return click.option(
        "--corpus", "corpus_dir", type=_Folder(),
        help="Folder of article .txt files [default: $SEARCHER_CORPUS, the corpus the index "
        "was built from, else the bundled one].",
    )(command)


class _Folder(click.Path):
    """A folder's path, not empty (click's Path reads '' as the current folder)."""

    def __init__(self) -> None:
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("an empty path: name a folder", param, ctx)
        return super().convert(value, param, ctx)


def _reading(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of the commands that read the index: --corpus, --index, --no-update."""
    command = click.option(
        "--no-update", is_flag=True,
        help="Read the index as it is, without checking the corpus for changes.",
    )(command)
    return _locations(command)


class _Checked(click.ParamType):  # type: ignore[type-arg,unused-ignore]  # generic from click 8.4
    """An option value the API would refuse, refused early as a usage error: `check` raises
    ValueError with a one-line message."""

    def __init__(self, name: str, check: Callable[[str], object]) -> None:
        self.name = name
        self._check = check

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            self._check(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)
        return value


def _words(text: str) -> str:
    if not text.strip():
        raise ValueError("empty value: give words to match")
    return text


def _title(text: str) -> str:
    if not text.strip():
        raise ValueError("empty value: give a title (`searcher facets` lists them)")
    return text


def _parse_year(text: str) -> str:
    from .values import parse_year

    return parse_year(text)


def _field_filter(item: str) -> tuple[str, str]:
    """A `--filter FIELD=WORDS` as (field, words); ValueError if it is not one."""
    name, equals, value = item.partition("=")
    if not equals or not name.strip() or not value.strip():
        raise ValueError(f"'{item}' is not FIELD=WORDS")
    return name.strip(), value.strip()


def _parse_period(text: str) -> object:
    from .values import parse_period

    return parse_period(text)


def _filters(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filter options of `search` and `facets`."""
    options = [
        click.option("-u", "--uprising", "--article", "uprising", multiple=True, metavar="TITLE",
                     type=_Checked("title", _title),
                     help="Only sections of this article (any case); repeat for several."),
        click.option("--result", multiple=True, metavar="WORDS", type=_Checked("words", _words),
                     help="Only articles whose Result has these words (e.g. suppressed); repeat for "
                     "any of several."),
        click.option("--place", multiple=True, metavar="WORDS", type=_Checked("words", _words),
                     help="Only articles whose Place has these words; repeat for any of several."),
        click.option("--year", multiple=True, metavar="YYYY", type=_Checked("year", _parse_year),
                     help="Only articles dated in this year; repeat for any of several."),
        click.option("--filter", "field_filters", multiple=True, metavar="FIELD=WORDS",
                     type=_Checked("filter", _field_filter),
                     help="Only articles whose infobox FIELD has this value (as `searcher facets` "
                     "lists it), else these words; repeatable."),
        click.option("--during", multiple=True, metavar="PERIOD", type=_Checked("period", _parse_period),
                     help="Only articles whose dates overlap PERIOD: YYYY, YYYY-MM, YYYY-MM-DD, a "
                     "decade (1950s) or A..B (repeat it for any of several)."),
        click.option("--facet", "extra_facets", multiple=True, metavar="FIELD",
                     help="Also count this infobox field's values; repeatable."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filter_arguments(uprising: tuple[str, ...], result: tuple[str, ...], place: tuple[str, ...],
                      year: tuple[str, ...], field_filters: tuple[str, ...], during: tuple[str, ...],
                      extra_facets: tuple[str, ...]) -> dict[str, Any]:
    """The keyword arguments of `Searcher.search` for the filter options."""
    filters: dict[str, list[str]] = {"result": list(result), "place": list(place), "year": list(year)}
    for item in field_filters:
        name, value = _field_filter(item)
        filters.setdefault(name, []).append(value)
    from .schema import DEFAULT_FACETS

    facets = [*DEFAULT_FACETS, *(f for f in extra_facets if f not in DEFAULT_FACETS)]
    return {"uprising": list(uprising), "filters": filters, "during": list(during), "facets": facets}


@cli.command(cls=_QueryCommand)
@click.argument("query")
@_filters
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(min=1),
              help="How many hits to show.")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0), metavar="N",
              help="Skip the first N hits (the next page: --offset 10 with -n 10).")
@click.option("--per-article", default=3, show_default=True, type=click.IntRange(min=0), metavar="N",
              help="At most N hits of one article (0: no limit); the last says how many more match.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (see README).")
@_reading
def search(query: str, limit: int, offset: int, per_article: int, as_json: bool, no_update: bool,
           corpus_dir: Path | None, index_dir: Path | None, engine: str | None, **filters: Any) -> None:
    """Search the articles for QUERY and print the best passages.

    QUERY uses Whoosh's query language: all words must match (words alone that
    few sections have together: the sections with most of them, with a note); "quoted phrases";
    -word leaves a word out (a query that starts with - goes after --: search -- '-Norilsk strike');
    OR, NOT, AND; prefix*; field:value (title:, section:, text:, and infobox
    fields such as commander:). Stemming and accents do not matter. A query
    only about infobox fields or title: answers once per article.

    \b
    Examples:
        searcher search amnesty
        searcher search '"Voice of America"' --json
        searcher search strike --uprising "Norilsk uprising" -n 3 --per-article 0
        searcher search strike -n 10 --offset 10
        searcher search 'casualties:killed' --result suppressed
        searcher search strike --during 1953-07
        searcher search 'strength:[10000 TO]'
    """
    with _open(index_dir, corpus_dir, engine, no_update, warn=False) as searcher:
        result = searcher.search(query, limit=limit, offset=offset, per_article=per_article,
                                 **_filter_arguments(**filters))
    _note_reading(result)
    if as_json:
        _echo_json(result.to_dict())
    else:
        _print_result(result, offset, _filtered(filters), filters["extra_facets"])


def _note_reading(result: SearchResult) -> None:
    """How the query was read (its warnings), and the suggestion for it, on stderr."""
    for warning in result.warnings:
        _note(warning)
    if result.suggestion:
        _note(f"did you mean: {result.suggestion}")


def _filtered(filters: dict[str, Any]) -> bool:
    """Whether the filter options (`_filters`) choose anything."""
    return any(value for name, value in filters.items() if name != "extra_facets")


def _no_match(query: str, filtered: bool) -> str:
    """The note for a query that matches nothing ("" : every section)."""
    return (f"no sections match '{query}'" if query else "no sections match") + (
        " with the filters given" if filtered else ""
    )


def _open(index_dir: Path | None, corpus_dir: Path | None, engine: str | None, no_update: bool,
          warn: bool = True) -> Searcher:
    """The searcher for a reading command; `warn` prints why the index may be out of date
    (`search` prints it with the result's warnings instead)."""
    from .search import Searcher

    searcher = Searcher.open(index_dir, corpus_dir, update=not no_update,
                             progress=_progress_bar(), notify=_note, engine=engine or "")
    for warning in searcher.warnings if warn else ():
        _note(warning)
    return searcher


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command(cls=_QueryCommand)
@click.argument("query", required=False, default="")
@_filters
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: facet name -> values.")
@_reading
def facets(query: str, as_json: bool, corpus_dir: Path | None, index_dir: Path | None,
           engine: str | None, no_update: bool, **filters: Any) -> None:
    """Count matching articles and sections per uprising, result, year and place
    (or every article and section, without QUERY).

    Each value shows how many matching articles and sections have it; values
    chosen by a filter are marked with *.

    \b
    Examples:
        searcher facets strike
        searcher facets --facet commander --json
    """
    with _open(index_dir, corpus_dir, engine, no_update, warn=False) as searcher:
        # (`Searcher.facets` is this search; its warnings say how the query was read.)
        result = searcher.search(query or "*", limit=1, **_filter_arguments(**filters))
    _note_reading(result)
    counts = result.facets
    if as_json:
        _echo_json({name: [value._asdict() for value in values] for name, values in counts.items()})
        return
    if not result.total:
        _note(_no_match(query, _filtered(filters)))
    _print_facets(counts)


def _print_facets(counts: dict[str, list[FacetValue]]) -> None:
    """Each facet's values with their matching articles and sections, chosen ones marked `*`."""
    for name, values in counts.items():
        click.echo(click.style(f"{name:<10} articles  sections", bold=True), color=_colour())
        for value in values:
            mark = "*" if value.selected else " "
            click.echo(f"  {mark} {value.articles:>8,}  {value.count:>8,}  {terminal_safe(value.value)}")
        if not values:
            click.echo("    (no values)")


@cli.command()
@click.argument("name", metavar="TITLE_OR_PATH")
@click.option("--json", "as_json", is_flag=True, help="Print the parsed article as JSON.")
@_reading
def show(name: str, as_json: bool, corpus_dir: Path | None, index_dir: Path | None,
         engine: str | None, no_update: bool) -> None:
    """Show an article: its infobox fields, then its sections.

    TITLE_OR_PATH is the article's title (any case) or its file's path below
    the corpus folder, as hits give it; when several files have one title,
    pass the path.

    \b
    Examples:
        searcher show "Vorkuta uprising"
        searcher show vorkuta-uprising.txt
    """
    with _open(index_dir, corpus_dir, engine, no_update) as searcher:
        article = searcher.article(name)
    if as_json:
        from dataclasses import asdict

        _echo_json(asdict(article))
        return
    click.echo(click.style(terminal_safe(article.title), bold=True), color=_colour())
    if article.infobox_header:
        click.echo(click.style(terminal_safe(f"  {article.infobox_header}"), dim=True), color=_colour())
    for section in article.sections:
        margin = "  "  # (every line of the infobox, indented: its fields and any other text)
        if section.kind != "infobox":
            # (a subsection's heading indented by its depth: `===Family===` under `==Early life==`)
            indent, margin = "  " * max(section.level - 2, 0), ""
            click.echo("\n" + indent + click.style(terminal_safe(section.name), bold=True), color=_colour())
        for block in section.blocks:  # (a field whose value was all debris: `Name:`, no space)
            click.echo(terminal_safe(margin + ("- " if block.is_item else "") + block.text).rstrip())


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the fields as a JSON list.")
@_reading
def fields(as_json: bool, corpus_dir: Path | None, index_dir: Path | None,
           engine: str | None, no_update: bool) -> None:
    """List every field a query can name, its kind and an example value.

    \b
    Examples:
        searcher fields
        searcher fields --json
    Then a query names one: searcher search 'commander:Shamaev'
    """
    with _open(index_dir, corpus_dir, engine, no_update) as searcher:
        found = searcher.fields()
    if as_json:
        _echo_json([info._asdict() for info in found])
        return
    from textwrap import shorten  # (here: only this command needs it)

    width = max([20, *(len(info.name) for info in found)])  # (names as long as 27 letters)
    for info in found:
        keys = f" (from {', '.join(info.keys)})" if info.keys else ""
        example = shorten(info.example, MAX_EXAMPLE, placeholder=" …")  # (a value may be a megabyte)
        click.echo(terminal_safe(f"{info.name:<{width}} {info.kind:<7} e.g. {example}{keys}"))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 (or ::) lets other machines connect.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port; the URL printed says which).")
@click.option("--open", "open_browser", is_flag=True, help="Open the search page in a web browser.")
@click.option("--access-log", is_flag=True, help="Print a line on stderr for each request.")
@click.option("--cache", default=1024, show_default=True, type=click.IntRange(min=0), metavar="N",
              help="Keep the answers to the last N distinct API requests until the index changes (0: none).")
@_reading
def serve(host: str, port: int, open_browser: bool, access_log: bool, cache: int,
          corpus_dir: Path | None, index_dir: Path | None, engine: str | None, no_update: bool) -> None:
    """Serve the search page and a JSON API over HTTP until Ctrl-C.

    The page is at the URL printed; the API (see README) answers
    /api/search?q=..., /api/facets, /api/articles/TITLE, /api/fields and
    /api/health. Only this machine can connect unless --host says otherwise.
    While it runs, changes to the corpus are indexed in the background.

    \b
    Examples:
        searcher serve
        searcher serve --port 8080 --open
        curl 'http://127.0.0.1:8000/api/search?q=amnesty'
    """
    import signal
    import webbrowser

    from .web import Library, make_server

    library = Library(index_dir, corpus_dir, update=not no_update, notify=_note, engine=engine)
    try:
        for warning in library.health()["warnings"]:
            _note(warning)
        try:
            server = make_server(library, host, port, access_log=access_log, cache=cache)
        except OSError as error:
            raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror or error}") from None

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        try:
            signal.signal(signal.SIGTERM, stop)  # as Ctrl-C: stop cleanly
            library.watch()  # (with --no-update: to read the builds others make)
            health = library.health()
            _note(f"serving {counted(health['articles'], 'article')}, "
                  f"{counted(health['sections'], 'section')} from {library.place}")
            reach = ("only this machine can connect (--host 0.0.0.0 to let others)"
                     if host in ("127.0.0.1", "localhost", "::1") else
                     "anyone who can reach this machine can search (read-only)"
                     if host in ("0.0.0.0", "::", "") else
                     f"anyone who can reach {host} can search (read-only)")
            _note(f"listening on {server.url} ; {reach}; Ctrl-C stops")
            if open_browser and not webbrowser.open(server.url):
                _note(f"could not open a browser here: open {server.url} in one")
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    finally:
        library.close()
    _note("stopped")


@cli.command()
@click.option("--rebuild", is_flag=True, help="Start afresh instead of updating what changed.")
@click.option("-v", "--verbose", is_flag=True, help="Also name values kept as text only (unreadable dates).")
@_locations
def index(rebuild: bool, verbose: bool, corpus_dir: Path | None, index_dir: Path | None,
          engine: str | None) -> None:
    """Bring the index up to date with the corpus (only changed files are re-read).

    Files that cannot be indexed (empty, over 64 MB, not UTF-8, no title line, a
    title and nothing else) are named on stderr; every other file is still indexed.

    \b
    Examples:
        searcher index
        searcher index --corpus ~/articles --index ~/articles-index --rebuild
        searcher index --engine typesense://KEY@127.0.0.1:8108 --corpus ~/articles
    """
    from .engine import engine_address

    address = engine_address(engine or "")
    if address is not None:
        from .cluster.sync import sync

        report = sync(address, corpus_dir, rebuild=rebuild, progress=_progress_bar(), notify=_note)
        place = str(address)
    else:
        from .indexer import update_index

        place = str(index_dir or default_index())
        report = update_index(corpus_dir, index_dir or default_index(), rebuild=rebuild,
                              progress=_progress_bar(), notify=_note)
    for problem in report.problems.values():
        _note(f"skipped {problem}")
    for name, notes in report.notes.items() if verbose else ():
        for note in notes:
            _note(f"{name}: {note}")
    if report.changed or report.new_problems:  # (a file newly found unreadable changed too)
        summary = (f"{len(report.added):,} added, {len(report.updated):,} updated, "
                   f"{len(report.removed):,} removed")
    else:
        summary = "already up to date"
    if report.problems:
        summary += f"; {counted(len(report.problems), 'file')} skipped"
    counts = f"{counted(report.articles, 'article')}, {counted(report.sections, 'section')}"
    click.echo(f"{counts} in {place}: {summary}")


def _print_result(result: SearchResult, offset: int, filtered: bool, facets: Sequence[str]) -> None:
    """The hits, a summary line, and the counts of the `facets` named (by `--facet`)."""
    if not result.total:
        _note(_no_match(result.query, filtered))
        return
    if not result.hits:
        _note(f"no hits from --offset {offset:,} on: the pages of this search hold "
              f"{counted(result.ranked, 'hit')}")
    paths: dict[str, set[str]] = {}
    for hit in result.hits:
        paths.setdefault(hit.article, set()).add(hit.path)
    for hit in result.hits:
        # (two files of one title on the page: each says which file it is)
        article = hit.article if len(paths[hit.article]) == 1 else f"{hit.article} ({hit.path})"
        heading = click.style(terminal_safe(f"{article} › {hit.section}"), bold=True)
        click.echo(f"{hit.rank}. {heading}  " + click.style(f"({hit.score:.2f})", dim=True), color=_colour())
        click.echo(f"   {_marked(hit)}", color=_colour())
        if hit.more_in_article:
            more = terminal_safe(f"{counted(hit.more_in_article, 'more section')} in {hit.article}")
            click.echo("   " + click.style(f"+ {more}", dim=True), color=_colour())
    counts, gap = _article_counts(result), "\n" if result.hits else ""
    if result.matched == "articles":
        click.echo(f"{gap}{counted(result.total, 'matching article')}")
    else:
        click.echo(f"{gap}{counted(result.total, 'matching section')} in "
                   f"{counted(result.articles, 'article')} ({counts})")
    if facets:
        from .query import facet_name

        click.echo()
        _print_facets({name: result.facets[name] for name in (facet_name(f, result.facets) for f in facets)})


def _article_counts(result: SearchResult, most: int = 5) -> str:
    """The matching sections of the first few articles (only the chosen ones, if any are)."""
    values = result.facets.get("article", [])
    if any(value.selected for value in values):
        values = [value for value in values if value.selected]
    shown = ", ".join(f"{terminal_safe(value.value)} {value.count:,}" for value in values[:most])
    return shown + (f", and {len(values) - most:,} more" if len(values) > most else "")


def _marked(hit: Hit) -> str:
    """The snippet with its highlighted words in bold yellow."""
    parts, index = [], 0
    for start, end in hit.highlights:
        marked = click.style(terminal_safe(hit.snippet[start:end]), fg="yellow", bold=True)
        parts += [terminal_safe(hit.snippet[index:start]), marked]
        index = end
    return "".join(parts) + terminal_safe(hit.snippet[index:])


def _colour() -> bool | None:
    """None lets click colour only a terminal; NO_COLOR turns colour off everywhere."""
    return False if os.environ.get("NO_COLOR") else None


def _note(message: str) -> None:
    click.echo(f"searcher: {terminal_safe(message)}", err=True)


def _progress_bar() -> Callable[[int, int], None]:
    """A progress callback that draws a bar on stderr for long indexing runs, on a terminal
    (piped, click's bar is its label alone, a bare `indexing` line in a log)."""
    bar: Any = None
    drawn = sys.stderr.isatty()

    def update(done: int, total: int) -> None:
        nonlocal bar
        if total < PROGRESS_FROM or not drawn:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="indexing", file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    return update
