"""Robustness: odd article text, odd queries, huge wildcard expansions, an index made by
another version of searcher, and corpus folders as users really have them.

Property tests use hypothesis with modest example counts (the file runs in well under a
minute apart from the wildcard test, which needs the shared 10k-leads data).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.query import Query

from searcher import (
    ArticleError,
    IndexReport,
    IndexUnavailable,
    QueryError,
    Searcher,
    parse_article,
    update_index,
)
from searcher.builds import open_live
from searcher.cli import cli
from searcher.query import QueryParser
from searcher.rewrite import (
    MAX_EDITS,
    MAX_EXPANSION,
    MAX_FUZZY_LENGTH,
    MAX_QUERY_LENGTH,
    bounded,
)
from searcher.schema import DEFAULT_FIELDS, VARIANTS
from searcher.vocabulary import Spellings
from tests.realdata import REPO, article_files, child_environment, leads, leads_index
from tests.workmeter import Work, measure

CORPUS = REPO / "corpus"
BUNDLED = tuple(path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt")))

FUZZ = settings(  # (no deadline, no example database: the profile conftest.py loads)
    max_examples=120,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- parsing never fails but with ArticleError -------------------------------------------------

ODD_CHARACTERS = [
    "=", "-", ":", " ", "\t", "\r", "\r\n", "\n", "\ufeff", "\x00", "\x07", "\x0b", "\x0c",
    "\x1b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\u200b", "\u202e", "*", "|",
]
ODD_LINES = [
    "", "=", "==", "= =", "===", "====", "= x", "x =", "==x", "== ==", "=x=", "==x==", "=== a ==",
    "-", "- ", "- :", ":", "- a:", "-a:b", "- 1: x", "- K: ", "Infobox", "RSFSR", "- " + "k" * 70 + ": v",
    "==" + "=" * 50 + "x" + "=" * 50, "- item", "  - Key: Value  ", "= Another title =",
]


def _article_like_text() -> st.SearchStrategy[str]:
    line = st.one_of(st.sampled_from(ODD_LINES), st.text(max_size=30))
    separator = st.sampled_from(["\n", "\r\n", "\r"])
    return st.tuples(st.lists(line, max_size=12), separator).map(lambda t: t[1].join(t[0]))


@st.composite
def _mutated(draw: st.DrawFn, texts: tuple[str, ...], keep_title: bool = False) -> str:
    """A real article with lines deleted, duplicated, swapped or inserted and characters
    inserted; then perhaps CRLF line ends and a byte-order mark."""
    lines = draw(st.sampled_from(texts)).split("\n")
    first = 1 if keep_title else 0
    for _ in range(draw(st.integers(0, 8))):
        if len(lines) <= first:
            break
        i = draw(st.integers(first, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "insert line", "insert char"]))
        if operation == "delete" and len(lines) > first + 1:
            del lines[i]
        elif operation == "duplicate":
            lines.insert(i, lines[i])
        elif operation == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif operation == "insert line":
            lines.insert(i, draw(st.sampled_from(ODD_LINES)))
        elif operation == "insert char":
            at = draw(st.integers(0, len(lines[i])))
            char = draw(st.sampled_from([c for c in ODD_CHARACTERS if not keep_title or c not in "\r\n"]))
            lines[i] = lines[i][:at] + char + lines[i][at:]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if not keep_title and draw(st.booleans()):
        text = "\ufeff" + text
    return text


def _parses_or_article_error(text: str) -> None:
    try:
        article = parse_article(text, "fuzz.txt")
    except ArticleError as error:
        assert "fuzz.txt" in str(error)
        return
    assert article.title
    assert article.sections
    for section in article.sections:
        assert section.level >= 1 and section.kind in {"lead", "infobox", "section"}


@FUZZ
@given(st.text(max_size=400))
def test_parse_article_on_arbitrary_text(text: str) -> None:
    _parses_or_article_error(text)


@FUZZ
@given(_article_like_text())
def test_parse_article_on_article_like_lines(text: str) -> None:
    _parses_or_article_error(text)


@pytest.fixture(scope="module")
def real_texts() -> tuple[str, ...]:
    shared = tuple(path.read_text(encoding="utf-8") for path in article_files())
    some_leads = tuple(data.decode("utf-8") for _, data in leads()[:40])
    return BUNDLED + shared + some_leads


def test_parse_article_on_mutated_real_articles(real_texts: tuple[str, ...]) -> None:
    @FUZZ
    @given(_mutated(real_texts))
    def check(text: str) -> None:
        _parses_or_article_error(text)

    check()


def test_mutations_below_the_title_keep_the_article(real_texts: tuple[str, ...]) -> None:
    @FUZZ
    @given(st.data())
    def check(data: st.DataObject) -> None:
        text = data.draw(_mutated(real_texts, keep_title=True))
        original = text.replace("\r\n", "\n").split("\n", 1)[0]
        article = parse_article(text, "fuzz.txt")  # a title line on top: never an ArticleError
        assert article.title == original[1:-1].strip()

    check()


@FUZZ
@given(st.sampled_from(BUNDLED), st.sampled_from(["\r\n", "\r"]), st.booleans())
def test_line_ends_and_a_byte_order_mark_change_nothing(text: str, newline: str, bom: bool) -> None:
    changed = text.replace("\n", newline)
    parsed = parse_article(changed, "x.txt")
    assert parsed == parse_article(text, "x.txt")
    raw = ("\ufeff" + changed).encode("utf-8") if bom else changed.encode("utf-8")
    from searcher.article import decode

    assert parse_article(decode(raw, "x.txt"), "x.txt") == parsed


# --- a long line costs its length ----------------------------------------------------------------
#
# Each file is read in a child process (parsed, and its documents made, as an update does);
# the child's timeout only guards against a hang: a pattern that reads a line again from each
# of its characters takes hours on a line of these lengths (the brief's odd corpora: a 10 MB
# line, a 1 MB infobox value), where one pass takes milliseconds.

LONG_LINE = " ".join(["the strike went on"] * 16_000)  # 303,999 characters, no `=`, `,`, `;` or `|`
UNCLOSED_LIST = "(" + ", ".join(["strike"] * 250_000)  # 1,999,999 characters


@pytest.mark.parametrize(("text", "shape"), [
    # a heading never closed: the line is text of the lead, as any line of no other shape
    (f"= A =\n\nLead.\n==History {LONG_LINE}\n",
     {"sections": [["Lead", [5, len("==History ") + len(LONG_LINE)]]], "values": []}),
    # an infobox value of 912 kB in which nothing is markup debris
    (f"= A =\n\nInfobox\n- Notes: {' '.join([LONG_LINE] * 3)}\n\nLead.\n",
     {"sections": [["Infobox", [len("Notes: ") + 3 * len(LONG_LINE) + 2]], ["Lead", [5]]],
      "values": [[3 * len(LONG_LINE) + 2]]}),
    # a list of 2 MB in an infobox value, in a bracket never closed: one value
    (f"= A =\n\nInfobox\n- Notes: {UNCLOSED_LIST}\n\nLead.\n",
     {"sections": [["Infobox", [len("Notes: ") + len(UNCLOSED_LIST)]], ["Lead", [5]]],
      "values": [[len(UNCLOSED_LIST)]]}),
    # a million spaces in an infobox value: one
    (f"= A =\n\nInfobox\n- Notes: a{' ' * 1_000_000}b\n\nLead.\n",
     {"sections": [["Infobox", [len("Notes: a b")]], ["Lead", [5]]], "values": [[3]]}),
], ids=["unclosed heading", "long infobox value", "unclosed bracket", "spaces in a value"])
def test_a_long_line_is_read_in_one_pass(tmp_path: Path, text: str, shape: dict[str, Any]) -> None:
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    command = [sys.executable, "-c", _READ_FILE, str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=child_environment(),
                              timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        pytest.fail(f"no article after {HANG_GUARD} s: reading the file hangs")
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == shape


_READ_FILE = """
import json, sys
from pathlib import Path
from searcher.indexer import IndexReport, read_documents
from searcher import read_article
entry, _ = read_documents("long.txt", Path(sys.argv[1]), IndexReport())
assert "error" not in entry, entry
article = read_article(sys.argv[1])
print(json.dumps({
    "sections": [[s.name, [len(b.text) for b in s.blocks]] for s in article.sections],
    "values": [[len(value) for value in f.values] for f in article.infobox],
}))
"""


# --- searching never fails but with QueryError -------------------------------------------------

CORPUS_WORDS = [
    "strike", "Norilsk", "norilsk", "amnesty", "Vorkuta", "Frenkel", "Frenkiel", "Jānis", "Janis",
    "uprising", "the", "of", "camp", "1953", "16,378", "killed", "Beria", "Norlisk", "Hrytsyak",
    "commander", "Shamaev", "Gulag", "prisoners", "suppressed", "Voice", "America",
]
QUERY_PIECES = [
    '"', "'", "(", ")", "[", "]", "{", "}", "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "and",
    "*", "?", "~", "~2", "~2/1", "~1/9", "^", "^2", "^-1", "^1e309", "^nan", "/", "\\", "<", ">", ">=",
    "<=", "..", "-", "+", "!", "&&", "||", ":", "::", "title:", "section:", "text:",
    "commander:", "Commander:", "casualties:", "strength:", "date:", "nosuchfield:", "article:",
    "path:", "doc_id:", "body:", "ib_commander:", "variants:", "words:", "num_strength:",
    "strength:>1000", "strength:[10 TO]", "strength:[TO 5]", "date:[1953 TO 1954]", "[a TO]",
    "😀", "🇺🇦", "👩‍👩‍👧", "שלום", "مرحبا", "\u202e", "\u200b", "\x00", "\x1b[31m", "\t", "\n",
    "\r", "\x7f", "\ud7ff", "Ⅻ", "ﬁ", "İ", "ß", "a" * 200, "1" * 60, "a*",
    "*a", "*a*", "?*", "**", "n?rilsk", "vork*", "strik~", "Frenkl~2", "uprising^3",
]


def _queries() -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.sampled_from(QUERY_PIECES), st.sampled_from(CORPUS_WORDS), st.text(max_size=12)
    )
    joined = st.tuples(st.lists(piece, min_size=1, max_size=8), st.sampled_from([" ", ""])).map(
        lambda t: t[1].join(t[0])
    )
    return st.one_of(joined, st.text(max_size=60))


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("robust") / "index"
    report = update_index(CORPUS, index)
    assert report.articles == 2 and not report.problems
    return index


@pytest.fixture(scope="module")
def bundled_searcher(bundled_index: Path) -> Iterator[Searcher]:
    with Searcher.open(index=bundled_index, corpus=CORPUS, update=False) as searcher:
        yield searcher


def _check_result_offsets(result: object) -> None:
    for hit in result.hits:  # type: ignore[attr-defined]
        previous = 0
        for start, end in hit.highlights:
            assert previous <= start < end <= len(hit.snippet), (hit.highlights, hit.snippet)
            previous = end


def _assert_bounded(text: str, work: Work) -> None:
    """What makes a search slow stayed within the bounds of `searcher.rewrite`: the parser read
    at most MAX_QUERY_LENGTH characters, and every fuzzy expansion had at most MAX_EDITS edits
    of a word of at most MAX_FUZZY_LENGTH letters."""
    assert all(length <= MAX_QUERY_LENGTH for length in work.parsed), (text, work.parsed)
    for fieldname, letters, edits in work.fuzzy:
        assert edits <= MAX_EDITS and letters <= MAX_FUZZY_LENGTH, (text, fieldname, letters, edits)


def test_search_on_arbitrary_queries(bundled_searcher: Searcher) -> None:
    @FUZZ
    @given(_queries())
    def check(text: str) -> None:
        with measure() as work:
            try:
                result = bundled_searcher.search(text)
            except QueryError as error:
                assert str(error)
                return
            finally:
                _assert_bounded(text, work)
        assert result.total >= len(result.hits)
        _check_result_offsets(result)
        json.dumps(result.to_dict())

    check()


def test_the_parser_gathers_its_taggers_once_and_parses_as_whoosh_does(bundled_index: Path) -> None:
    # query.py sorts the plugins' taggers and filters once; Whoosh's parser does it every parse.
    build = open_live(bundled_index)
    try:
        with build.index.searcher() as whoosh:
            fixed = QueryParser.of(whoosh, Spellings.load(build.path))
            fresh = QueryParser.of(whoosh, Spellings.load(build.path))
            del fresh._parser.taggers, fresh._parser.filters  # Whoosh's own methods again

            @FUZZ
            @given(_queries())
            def check(text: str) -> None:
                try:
                    expected = fresh.parsed(text)
                except QueryError as error:
                    with pytest.raises(QueryError, match=re.escape(str(error))):
                        fixed.parsed(text)
                    return
                assert fixed.parsed(text) == expected

            with ExitStack() as stack:
                for plugin in fixed._parser.plugins:
                    for method in ("taggers", "filters"):
                        stack.enter_context(patch.object(plugin, method, side_effect=AssertionError))
                check()
    finally:
        build.close()


def test_bounding_leaves_normalizing_to_the_spellings(bundled_index: Path) -> None:
    # `bounded` does not normalize its query, as `with_spellings` normalizes the whole after it.
    def normalizing(parsed: Query, reader: Any) -> tuple[Query, list[str]]:
        query, warnings = bounded(parsed, reader)
        return query.normalize(), warnings

    build = open_live(bundled_index)
    try:
        with build.index.searcher() as whoosh:
            parser = QueryParser.of(whoosh, Spellings.load(build.path))

            @FUZZ
            @given(_queries())
            def check(text: str) -> None:
                try:
                    with patch("searcher.query.bounded", normalizing):
                        expected = parser.parsed(text)
                except QueryError:
                    return
                assert parser.parsed(text) == expected

            check()
    finally:
        build.close()


def test_highlights_lie_within_the_snippet(bundled_searcher: Searcher) -> None:
    word = st.sampled_from([*CORPUS_WORDS, "Zelenska", "Sirotkin", "guards", "mines", "rechlag"])
    decorated = st.tuples(word, st.sampled_from(["", "*", "~", "~2", "^2"])).map("".join)
    query = st.one_of(
        st.lists(decorated, min_size=1, max_size=4).map(" OR ".join),
        st.lists(word, min_size=2, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"'),
        st.tuples(st.sampled_from(["title:", "section:", "text:", "commander:", "place:"]), word).map(
            "".join
        ),
    )

    @FUZZ
    @given(query, st.integers(1, 30))
    def check(text: str, limit: int) -> None:
        try:
            result = bundled_searcher.search(text, limit=limit)
        except QueryError:
            return
        assert len(result.hits) <= limit
        _check_result_offsets(result)
        for hit in result.hits:
            assert "\n" not in hit.snippet

    check()


def test_the_cli_never_shows_a_traceback(bundled_index: Path) -> None:
    runner = CliRunner()

    @settings(FUZZ, max_examples=80)
    @given(_queries(), st.booleans())
    def check(text: str, as_json: bool) -> None:
        arguments = ["search", "--no-update", "--index", str(bundled_index), "--corpus", str(CORPUS)]
        result = runner.invoke(cli, [*arguments, *(["--json"] if as_json else []), "--", text])
        assert result.exit_code in (0, 1), (result.exit_code, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert "Traceback" not in result.output
        if result.exit_code == 0 and as_json:
            json.loads(result.stdout)
        if result.exit_code == 1:
            assert result.stderr.strip(), "exit 1 without a message"

    check()


@pytest.mark.parametrize("text", ["nosuchfield:x\nsecond line", "nosuchfield:\x1b[2J\x1b[31mred"])
def test_an_error_about_a_query_is_one_clean_line(bundled_index: Path, text: str) -> None:
    result = CliRunner().invoke(
        cli, ["search", "--no-update", "--index", str(bundled_index), "--", text], color=True
    )  # color=True: click writes what it would write to a terminal
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "\x1b" not in message


# --- queries whose cost explodes ----------------------------------------------------------------
#
# Each search runs in a child process that counts what Whoosh was made to do (`tests.workmeter`):
# the posting lists read per field, the edit-distance expansions, the length of what the query
# parser read. The tests assert these counts against the bounds of `searcher.rewrite`, never the
# time taken; the child's timeout only guards against a hang.

HANG_GUARD = 120  # seconds; a bounded search takes well under one


def test_a_fuzzy_term_with_a_large_distance_is_read_with_two_edits(bundled_index: Path) -> None:
    outcome = _measured_search(bundled_index, CORPUS, "Frenkelxxxxxxxxxxxx~9")
    assert "error" not in outcome, outcome
    [warning] = outcome["warnings"]
    assert "frenkelxxxxxxxxxxxx'~9" in warning and f"using {MAX_EDITS}" in warning, warning
    assert outcome["fuzzy"], "the fuzzy term was not expanded at all"
    assert {(letters, edits) for _, letters, edits in outcome["fuzzy"]} == {(19, MAX_EDITS)}
    # no word of the corpus is within two edits of it: as `~2` would find, nothing
    assert outcome["total"] == 0 and _words_read(outcome) == {}
    assert _measured_search(bundled_index, CORPUS, "Frenkel~9")["total"] > 0  # Frenkel, Frenkiel


def test_a_very_long_word_is_refused_before_it_is_parsed(bundled_index: Path) -> None:
    outcome = _measured_search(bundled_index, CORPUS, "q" * 20_000)
    assert "too long: 20,000 characters" in outcome["error"]
    assert outcome["parsed"] == [] and outcome["fuzzy"] == [] and outcome["terms_read"] == {}


# --- wildcards that expand to very many terms -------------------------------------------------

LEADS_FOR_WILDCARDS = 3_000  # the full 10k leads take about 60 s to index on 2 cores


def _measured_search(index: Path, corpus: Path, text: str) -> dict[str, Any]:
    """Open the index in a child process and search there (QueryError allowed), counting the
    work; the outcome and the counts. Fails when the child hangs."""
    command = [sys.executable, "-c", _MEASURED_SEARCH, str(index), str(corpus), text]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=child_environment(),
                              timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        done = None  # (failing here would print the whole command line)
    if done is None:
        pytest.fail(f"{text[:40]!r}: no answer after {HANG_GUARD} s: the search hangs")
    assert done.returncode == 0, done.stderr[-2000:]
    outcome: dict[str, Any] = json.loads(done.stdout)
    assert all(length <= MAX_QUERY_LENGTH for length in outcome["parsed"]), outcome["parsed"]
    return outcome


def _words_read(outcome: dict[str, Any]) -> dict[str, int]:
    """Posting lists read per field that a query's words search (counting facets reads others)."""
    return {name: count for name, count in outcome["terms_read"].items() if name in DEFAULT_FIELDS}


_MEASURED_SEARCH = """
import json, sys
from searcher import QueryError, Searcher
from tests.workmeter import measure
with Searcher.open(index=sys.argv[1], corpus=sys.argv[2], update=False) as searcher:
    with measure() as work:
        try:
            result = searcher.search(sys.argv[3])
            outcome = {"total": result.total, "hits": len(result.hits), "warnings": result.warnings}
        except QueryError as error:
            outcome = {"error": str(error)}
print(json.dumps({**outcome, **work.to_dict()}))
"""


@pytest.fixture(scope="module")
def leads_3k(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, IndexReport]:
    return leads_index(tmp_path_factory.mktemp("leads"), LEADS_FOR_WILDCARDS)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("wildcard", "expected"),
    [
        ("a*", "expanded"),  # 1,229 words of the text, 249 of titles
        ("*", "every section"),
        ("?*", "every section"),
        ("*a*", "refused"),  # more than 5,000 words of the text contain an `a`
        ("?????*", "every section"),
    ],
)
def test_a_wildcard_over_thousands_of_articles_is_bounded_or_refused(
    leads_3k: tuple[Path, Path, IndexReport], wildcard: str, expected: str
) -> None:
    corpus, index, report = leads_3k
    outcome = _measured_search(index, corpus, wildcard)
    print(f"{wildcard!r} over {LEADS_FOR_WILDCARDS} leads: {outcome}")
    if expected == "refused":
        error = outcome.get("error", "")
        assert f"'{wildcard}' matches more than {MAX_EXPANSION:,} different words" in error, outcome
        assert outcome["terms_read"] == {}  # refused before any posting list was read
        return
    assert "error" not in outcome, outcome
    assert 0 < outcome["hits"] <= 10
    if expected == "every section":  # matched as every section is: no word is expanded
        assert outcome["total"] == report.sections
        assert _words_read(outcome) == {}
    else:
        assert 0 < outcome["total"] < report.sections
        read = _words_read(outcome)
        assert read and all(0 < count <= MAX_EXPANSION for count in read.values()), read
        assert VARIANTS not in read  # patterns never search spelling-variant keys
    assert outcome["fuzzy"] == []


# --- an index built by another version --------------------------------------------------------


def _manifest(index: Path) -> Path:
    build = (index / "CURRENT").read_text(encoding="utf-8").strip()
    return index / build / "searcher.json"


def _set_schema_version(index: Path, version: int) -> None:
    manifest = _manifest(index)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["schema_version"] = version
    data["searcher_version"] = "0.0.1"
    manifest.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def versioned(tmp_path: Path) -> tuple[Path, Path, int]:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "index"
    update_index(corpus, index)
    current = json.loads(_manifest(index).read_text(encoding="utf-8"))["schema_version"]
    return corpus, index, current


def test_a_manifest_that_cannot_be_read_keeps_the_corpus_it_names(versioned: tuple[Path, Path, int]) -> None:
    """An unreadable manifest (a key of a newer version; cut short) rebuilt the index from
    the bundled corpus, in place of the user's, without a word of it (a bug hunt)."""
    corpus, index, _ = versioned
    (corpus / "norilsk-uprising.txt").unlink()  # (not the bundled corpus any more)
    data = json.loads(_manifest(index).read_text(encoding="utf-8"))
    _manifest(index).write_text(json.dumps({**data, "from_a_newer_version": 1}), encoding="utf-8")
    report = update_index(None, index)
    assert report.rebuilt and report.corpus == str(corpus) and report.articles == 1
    _manifest(index).write_text('{"corpus": ', encoding="utf-8")
    runner = CliRunner()
    searched = runner.invoke(cli, ["search", "strike", "--index", str(index), "--no-update"])
    assert searched.exit_code == 1
    assert searched.stderr == (
        f"Error: the manifest of the index in {index} is unreadable: run 'searcher index --rebuild'\n"
    )
    rebuilt = runner.invoke(cli, ["index", "--rebuild", "--index", str(index)])
    assert rebuilt.exit_code == 1
    assert rebuilt.stderr == (
        f"Error: the index in {index} does not say which corpus it holds (its manifest is unreadable); "
        "name the corpus with --corpus or SEARCHER_CORPUS\n"
    )
    assert runner.invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)]).exit_code == 0


@pytest.mark.parametrize("other", [-1, +1], ids=["older", "newer"])
def test_an_index_of_another_schema_is_rebuilt_with_a_notice(
    versioned: tuple[Path, Path, int], other: int
) -> None:
    corpus, index, current = versioned
    _set_schema_version(index, current + other)
    runner = CliRunner()
    result = runner.invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "another schema" in result.stderr or "rebuild" in result.stderr.lower()
    assert json.loads(_manifest(index).read_text(encoding="utf-8"))["schema_version"] == current
    # and a search (with its update) works again without a notice
    searched = runner.invoke(
        cli, ["search", "--json", "--corpus", str(corpus), "--index", str(index), "strike"]
    )
    assert searched.exit_code == 0 and json.loads(searched.stdout)["total"] > 0
    assert searched.stderr == ""


def test_a_search_rebuilds_an_index_of_another_schema(versioned: tuple[Path, Path, int]) -> None:
    corpus, index, current = versioned
    _set_schema_version(index, current - 1)
    result = CliRunner().invoke(
        cli, ["search", "--json", "--corpus", str(corpus), "--index", str(index), "strike"]
    )
    assert result.exit_code == 0, result.output
    assert "building the index" in result.stderr
    assert json.loads(result.stdout)["total"] > 0


def test_no_update_refuses_an_index_of_another_schema(versioned: tuple[Path, Path, int]) -> None:
    corpus, index, current = versioned
    _set_schema_version(index, current - 1)
    result = CliRunner().invoke(cli, ["search", "--no-update", "--index", str(index), "strike"])
    assert result.exit_code == 1
    assert result.stdout == ""
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in result.output
    assert "version" in message and "searcher index --rebuild" in message
    with pytest.raises(IndexUnavailable):
        Searcher.open(index=index, corpus=corpus, update=False)


def test_an_unreadable_manifest_is_rebuilt(versioned: tuple[Path, Path, int]) -> None:
    corpus, index, _ = versioned
    _manifest(index).write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "building the index" in result.stderr
    with Searcher.open(index=index, corpus=corpus, update=False) as searcher:
        assert searcher.search("strike").total > 0


# --- corpus folders as users have them --------------------------------------------------------


def _article(title: str, word: str) -> str:
    return f"= {title} =\n\nThe {title} article mentions {word} once.\n\n==Details==\n- {word} item\n"


@pytest.fixture
def odd_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "linked file.txt").write_text(_article("Linked file", "quokka"), encoding="utf-8")
    (outside / "folder" / "e.txt").write_text(_article("Linked folder", "wombat"), encoding="utf-8")
    files = {
        "a.txt": _article("Top level", "aardvark"),
        "sub/b.txt": _article("In a subfolder", "badger"),
        "sub/deeper/c.txt": _article("Two levels down", "capybara"),
        "name with spaces.txt": _article("Spaces", "dingo"),
        "Zürich – café/Ærø ñandú.txt": _article("Non ASCII", "echidna"),
        "日本語.txt": _article("Japanese name", "ferret"),
        "notes.md": _article("Markdown", "gecko"),
        "readme": _article("No suffix", "gecko"),
        "backup.txt.bak": _article("Backup", "gecko"),
        ".hidden.txt": _article("Hidden file", "gecko"),
        ".git/x.txt": _article("Hidden folder", "gecko"),
        "sub/.cache/y.txt": _article("Hidden subfolder", "gecko"),
        "folder.txt/z.txt": _article("In a folder named .txt", "hyrax"),
        "SHOUTING.TXT": _article("Upper-case suffix", "lemur"),
    }
    for name, text in files.items():
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (corpus / "crlf.txt").write_bytes(_article("CRLF ends", "ibex").replace("\n", "\r\n").encode())
    (corpus / "bom.txt").write_bytes(b"\xef\xbb\xbf" + _article("With BOM", "jackal").encode())
    (corpus / "link.txt").symlink_to(outside / "linked file.txt")
    (corpus / "linked").symlink_to(outside / "folder", target_is_directory=True)
    (corpus / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    return corpus


INDEXED = {
    "a.txt": ("Top level", "aardvark"),
    "sub/b.txt": ("In a subfolder", "badger"),
    "sub/deeper/c.txt": ("Two levels down", "capybara"),
    "name with spaces.txt": ("Spaces", "dingo"),
    "Zürich – café/Ærø ñandú.txt": ("Non ASCII", "echidna"),
    "日本語.txt": ("Japanese name", "ferret"),
    "folder.txt/z.txt": ("In a folder named .txt", "hyrax"),
    "crlf.txt": ("CRLF ends", "ibex"),
    "bom.txt": ("With BOM", "jackal"),
    "link.txt": ("Linked file", "quokka"),
    "SHOUTING.TXT": ("Upper-case suffix", "lemur"),
    "linked/e.txt": ("Linked folder", "wombat"),
}


def test_what_gets_indexed_from_an_odd_corpus_folder(odd_corpus: Path, tmp_path: Path) -> None:
    report = update_index(odd_corpus, tmp_path / "index")
    assert sorted(report.added) == sorted(INDEXED)
    assert not report.problems
    with Searcher.open(index=tmp_path / "index", corpus=odd_corpus, update=False) as searcher:
        for path, (title, word) in INDEXED.items():
            result = searcher.search(word)
            assert {(h.article, h.path) for h in result.hits} == {(title, path)}, word
            assert {h.section for h in result.hits} == {"Lead", "Details"}
        assert searcher.search("gecko").total == 0  # hidden, not .txt: ignored
    assert "Top level" in CliRunner().invoke(
        cli, ["search", "--no-update", "--index", str(tmp_path / "index"), "aardvark"]
    ).output


def test_a_symlinked_folder_is_indexed(odd_corpus: Path, tmp_path: Path) -> None:
    report = update_index(odd_corpus, tmp_path / "index")
    assert "linked/e.txt" in report.added
    with Searcher.open(index=tmp_path / "index", corpus=odd_corpus, update=False) as searcher:
        assert {h.path for h in searcher.search("wombat").hits} == {"linked/e.txt"}


def test_a_symlink_loop_neither_hangs_nor_fails(odd_corpus: Path, tmp_path: Path) -> None:
    (odd_corpus / "sub" / "loop").symlink_to(odd_corpus, target_is_directory=True)
    calls: list[tuple[int, int]] = []
    report = update_index(odd_corpus, tmp_path / "index", progress=lambda *call: calls.append(call))
    # the folder reached again through the loop is read once: each file indexed once, no more
    assert sorted(report.added) == sorted(INDEXED)
    assert calls == [(done, len(INDEXED)) for done in range(1, len(INDEXED) + 1)]


def test_an_edit_of_a_crlf_file_is_seen(odd_corpus: Path, tmp_path: Path) -> None:
    update_index(odd_corpus, tmp_path / "index")
    path = odd_corpus / "crlf.txt"
    path.write_bytes(_article("CRLF ends", "kudu").replace("\n", "\r\n").encode())
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
    report = update_index(odd_corpus, tmp_path / "index")
    assert report.updated == ["crlf.txt"] and not report.added
    with Searcher.open(index=tmp_path / "index", corpus=odd_corpus, update=False) as searcher:
        assert searcher.search("kudu").total == 2 and searcher.search("ibex").total == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_a_file_that_becomes_unreadable_is_reported(odd_corpus: Path, tmp_path: Path) -> None:
    update_index(odd_corpus, tmp_path / "index")
    path = odd_corpus / "sub" / "b.txt"
    path.chmod(0)
    try:
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
        report = update_index(odd_corpus, tmp_path / "index")
        assert "sub/b.txt" in report.problems and "cannot read" in report.problems["sub/b.txt"]
        assert report.articles == len(INDEXED) - 1
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="needs Linux /proc")
def test_a_file_that_cannot_be_read_is_reported_not_fatal(odd_corpus: Path, tmp_path: Path) -> None:
    """Even as root: reading /proc/self/mem from offset 0 fails with EIO."""
    index = tmp_path / "index"
    update_index(odd_corpus, index)
    (odd_corpus / "sub" / "b.txt").unlink()
    (odd_corpus / "sub" / "b.txt").symlink_to("/proc/self/mem")
    report = update_index(odd_corpus, index)
    assert "cannot read" in report.problems.get("sub/b.txt", ""), report.problems
    assert report.articles == len(INDEXED) - 1
    result = CliRunner().invoke(cli, ["index", "--corpus", str(odd_corpus), "--index", str(index)])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "sub/b.txt" in result.stderr and "cannot read" in result.stderr
    with Searcher.open(index=index, corpus=odd_corpus, update=False) as searcher:
        assert searcher.search("badger").total == 0 and searcher.search("capybara").total == 2
