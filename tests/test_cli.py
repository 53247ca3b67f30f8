"""Tests of the `searcher` command line: output for people and for programs, exit codes,
where messages go. Read-only tests search the shared index; the others build their own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import (
    ANSI,
    CORPUS,
    KENGIR,
    NORILSK,
    REPO,
    VORKUTA,
    article_counts,
    assert_json_contract,
    write_article,
)
from realdata import write_leads

import searcher
from searcher.cli import PROGRESS_FROM, cli


def run(*args: str, **options) -> Result:
    """Invoke the CLI in-process (stdout and stderr kept apart)."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **options)


def shared(built_index: Path) -> list[str]:
    return ["--index", str(built_index), "--corpus", str(CORPUS)]


def assert_one_line_error(result: Result, *words: str) -> None:
    """Exit 1, nothing on stdout, one `Error: ...` line on stderr naming `words`."""
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


# --- text output -------------------------------------------------------------------------------


def test_search_text_output(built_index: Path) -> None:
    result = run("search", "amnesty", *shared(built_index))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert re.fullmatch(rf"1\. {VORKUTA} › Background  \(\d+\.\d\d\)", lines[0])
    assert lines[1].startswith("   ") and "general amnesty, issued after" in lines[1]
    assert re.fullmatch(rf"2\. {NORILSK} › History  \(\d+\.\d\d\)", lines[2])
    assert "the amnesty that followed his death" in lines[3]
    assert lines[-1] == f"2 matching sections in 2 articles ({NORILSK} 1, {VORKUTA} 1)"
    assert "\x1b" not in result.stdout  # not a terminal: no colour


def test_search_text_prints_the_facets_asked_for(built_index: Path) -> None:
    """`search --facet FIELD` counted the field and printed nothing of it in text: only
    `--json` and `searcher facets` showed the counts (a bug hunt). The text ends with the
    facets `--facet` names (any case; a default one too, when named), in the order named,
    as `searcher facets` prints them; the other default facets are not printed."""
    searched = run("search", "strike", "--facet", "Commander1", "--facet", "place", *shared(built_index))
    assert searched.exit_code == 0, searched.stderr
    counted = run("facets", "strike", "--facet", "commander1", *shared(built_index)).stdout.splitlines()
    place = counted.index("place      articles  sections")
    commander = counted.index("commander1 articles  sections")
    summary = f"3 matching sections in 2 articles ({NORILSK} 2, {VORKUTA} 1)"
    lines = searched.stdout.splitlines()
    assert lines[lines.index(summary):] == [summary, "", *counted[commander:], *counted[place:commander]]
    assert "           1         2  Pavel Frenkel" in lines
    assert run("search", "strike", *shared(built_index)).stdout.splitlines()[-1] == summary


def test_uprising_names_the_article_facet_and_filter(built_index: Path) -> None:
    """`--uprising` is `--article`, and `searcher facets` counts "per uprising", yet `--facet
    uprising` and `--filter uprising=TITLE` were unknown fields, exit 1 (a bug hunt)."""
    searched = run("search", "strike", "--facet", "uprising", "--filter", f"Uprising={NORILSK.upper()}",
                   *shared(built_index))
    assert searched.exit_code == 0, searched.stderr
    counted = run("facets", "strike", "--article", NORILSK, *shared(built_index)).stdout.splitlines()
    assert counted[:3] == ["article    articles  sections", f"  *        1         2  {NORILSK}",
                           f"           1         1  {VORKUTA}"]
    assert searched.stdout.splitlines()[-5:] == [f"2 matching sections in 1 article ({NORILSK} 2)", "",
                                                 *counted[:3]]


def test_title_in_the_query_finds_what_the_uprising_filter_finds(built_index: Path) -> None:
    """`title:` matched only the section holding the title: `title:norilsk strike` printed
    Norilsk's lead alone, where `strike --uprising "Norilsk uprising"` prints its History too,
    and the error for `article:` in a query offers `title:WORD` for it (a bug hunt)."""
    score = re.compile(r"  \(\d+\.\d\d\)$", re.MULTILINE)
    for text, title in (("title:norilsk strike", NORILSK), ("strike -title:norilsk", VORKUTA)):
        searched = run("search", *shared(built_index), "--", text)
        filtered = run("search", "strike", "--uprising", title, *shared(built_index))
        assert searched.exit_code == filtered.exit_code == 0, searched.stderr
        assert score.sub("", searched.stdout) == score.sub("", filtered.stdout), text
    alone = run("search", "title:norilsk", *shared(built_index))
    assert alone.stdout.splitlines()[0].startswith(f"1. {NORILSK} › Infobox  (")
    assert alone.stdout.splitlines()[-1] == "1 matching article"
    told = run("search", "article:norilsk strike", *shared(built_index))
    assert told.exit_code == 1 and "or `title:WORD` in the query" in told.stderr


def test_text_an_article_holds_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """An article's escape codes (`\x1b[31m`) and bidirectional overrides (U+202E) reached a
    terminal as they were: they coloured or reordered the lines that followed (a bug hunt).
    Each command shows them escaped; only the tool's own styles are codes."""
    write_article(tmp_path / "corpus", "evil.txt", (
        "= Evil \x1b[31mRED\x1b[0m title\u202e reversed =\n\nInfobox\n- Place: Vork\x1buta\n\n"
        "Some evil \x1b]0;owned\x07 text\u2066 here.\n"))
    options = ["--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "ix")]
    commands = (["search", "evil"], ["show", "evil.txt"], ["facets", "evil", "--facet", "place"], ["fields"])
    for command in commands:
        output = run(*command, *options, color=True).stdout
        own = re.sub(r"\x1b\[[0-9;]*m", "", output)  # (the tool's styles, as click writes them)
        assert not {"\x1b", "\u202e", "\u2066", "\x07"} & set(own), command
        if command[0] in ("search", "show"):
            assert r"Evil \x1b[31mRED\x1b[0m title\u202e reversed" in own, own


def test_search_text_ranks_follow_the_api(built_index: Path) -> None:
    result = run("search", "uprising", "-n", "4", *shared(built_index))
    assert result.exit_code == 0
    with searcher.Searcher.open(index=built_index, update=False) as opened:
        hits = opened.search("uprising", limit=4).hits
    headings = [line for line in result.stdout.splitlines() if re.match(r"\d+\. ", line)]
    assert headings == [f"{h.rank}. {h.article} › {h.section}  ({h.score:.2f})" for h in hits]


def test_colour_marks_the_matched_word_in_bold(built_index: Path) -> None:
    result = run("search", "Derevyanko", *shared(built_index), color=True)
    assert result.exit_code == 0
    styled = re.search(r"((?:\x1b\[[0-9;]*m)+)Derevyanko\x1b\[0m", result.stdout)
    assert styled, result.stdout
    codes = re.findall(r"\x1b\[([0-9;]*)m", styled.group(1))
    assert any("1" in code.split(";") for code in codes)  # bold
    assert ANSI.sub("", result.stdout) == run("search", "Derevyanko", *shared(built_index)).stdout


def test_no_color_is_respected(built_index: Path) -> None:
    result = run("search", "Derevyanko", *shared(built_index), color=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "Derevyanko" in result.stdout
    assert "\x1b" not in result.stdout


def test_zero_hits_in_text(built_index: Path) -> None:
    result = run("search", "xylophonequartz", *shared(built_index))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "xylophonequartz" in result.stderr


# --- JSON output -------------------------------------------------------------------------------


def search_json(built_index: Path, *args: str) -> dict:
    result = run("search", *args, "--json", *shared(built_index))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert_json_contract(data)
    return data


def test_json_output(built_index: Path) -> None:
    data = search_json(built_index, '"Voice of America"')
    assert data["query"] == '"Voice of America"'
    assert data["total"] == 1
    [hit] = data["hits"]
    assert (hit["rank"], hit["article"], hit["section"]) == (1, VORKUTA, "Uprising")
    [[start, end]] = hit["highlights"]
    assert hit["snippet"][start:end] == "Voice of America"
    assert article_counts(data) == {VORKUTA: 1}
    assert data["suggestion"] is None


def test_json_matches_the_api(built_index: Path) -> None:
    data = search_json(built_index, "inmates", "--uprising", "vorkuta uprising", "-n", "2")
    with searcher.Searcher.open(index=built_index, update=False) as opened:
        expected = opened.search("inmates", uprising=["vorkuta uprising"], limit=2).to_dict()
        # (`to_dict` is the JSON as Python values: lists where JSON has arrays; a bug hunt
        # found `variants` left a tuple)
        varied = opened.search("Gritsyak").to_dict()
    assert data == json.loads(json.dumps(expected)) == expected
    assert len(data["hits"]) == 2 and data["total"] == 4
    assert any(hit["variants"] for hit in varied["hits"]) and varied == json.loads(json.dumps(varied))


def test_json_writes_non_ascii_as_is(built_index: Path) -> None:
    result = run("search", "Janis Mendriks", "--json", *shared(built_index))
    assert result.exit_code == 0
    assert "Jānis Mendriks" in result.stdout
    assert "\\u" not in result.stdout
    [hit] = json.loads(result.stdout)["hits"]
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["Jānis", "Mendriks"]


def test_json_zero_hits(built_index: Path) -> None:
    data = search_json(built_index, "xylophonequartz")
    assert data["total"] == 0
    assert data["hits"] == []


def test_json_stop_words_only(built_index: Path) -> None:
    result = run("search", "the of", "--json", *shared(built_index))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["total"], data["hits"]) == (0, [])
    assert "common words" in result.stderr


@pytest.mark.parametrize("uprising", [["-u", "NORILSK UPRISING"], ["--uprising", "norilsk uprising",
                                                                   "--uprising", VORKUTA]])
def test_json_uprising_filter(built_index: Path, uprising: list[str]) -> None:
    chosen = {u.casefold() for u in uprising[1::2]}
    data = search_json(built_index, "inmates", *uprising, "-n", "1")
    assert article_counts(data) == {VORKUTA: 4, NORILSK: 2}
    assert {v["value"] for v in data["facets"]["article"] if v["selected"]} == {
        title for title in (NORILSK, VORKUTA) if title.casefold() in chosen
    }
    assert data["total"] == sum(article_counts(data)[t] for t in (NORILSK, VORKUTA)
                                if t.casefold() in chosen)


# --- errors and exit codes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["foo:bar"], ["foo", "known fields"]),
        ([""], ["empty query"]),
        (["strike", "--uprising", "Kengir uprising"], ["Kengir uprising", NORILSK]),
    ],
    ids=["unknown-field", "empty-query", "unknown-uprising"],
)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_bad_query_is_a_one_line_error(
    built_index: Path, args: list[str], words: list[str], as_json: bool
) -> None:
    result = run("search", *args, *(["--json"] if as_json else []), *shared(built_index))
    assert_one_line_error(result, *words)


def test_missing_corpus_is_a_one_line_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-corpus"
    result = run("search", "amnesty", "--json", "--index", str(tmp_path / "ix"),
                 "--corpus", str(missing))
    assert_one_line_error(result, str(missing))
    result = run("index", "--index", str(tmp_path / "ix"), "--corpus", str(missing))
    assert_one_line_error(result, str(missing))
    assert not (tmp_path / "ix").exists()  # (nothing written: it held an `update` lock file)


@pytest.mark.parametrize(
    "args",
    [["search", "amnesty", "--bogus"], ["search"], ["search", "amnesty", "-n", "0"],
     ["no-such-command"], ["index", "--index", ""], ["search", "x", "--corpus", " "]],
    # (click read an empty path as the current folder: an index built there, of it)
    ids=["unknown-option", "missing-query", "limit-zero", "unknown-command", "empty-index", "empty-corpus"],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Usage:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "query", "shown"), [
    (["search"], "-Norilsk", "-Norilsk"),
    (["search", "-n", "3"], "-commander:Sirotkin strike", "'-commander:Sirotkin strike'"),
    (["facets"], "-Norilsk", "-Norilsk"),
])
def test_a_query_that_starts_with_a_minus_is_told_to_follow_two_dashes(
    built_index: Path, args: list[str], query: str, shown: str
) -> None:
    result = run(*args, query, *shared(built_index))
    assert result.exit_code == 2
    hint = f"A query that starts with '-' goes after '--': searcher {args[0]} [OPTIONS] -- {shown}"
    assert hint in result.stderr
    followed = run(*args, *shared(built_index), "--json", "--", query)  # as the hint says
    assert followed.exit_code == 0, followed.stderr
    assert json.loads(followed.stdout)


def test_an_unknown_long_option_gets_no_query_hint() -> None:
    result = run("search", "amnesty", "--bogus")
    assert result.exit_code == 2 and "goes after '--'" not in result.stderr


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0
    assert searcher.__version__ in result.stdout
    assert result.stdout.startswith("searcher")


def command_paths() -> list[list[str]]:
    return [[]] + [[name] for name in sorted(cli.commands)]


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "searcher")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help_with_an_example(path: list[str], flag: str) -> None:
    result = run(*path, flag)
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert "searcher " in result.stdout.split("Example", 1)[1]


def test_search_and_index_are_commands() -> None:
    assert {"search", "index"} <= set(cli.commands)
    # the commands README documents, each listed by `searcher --help` with what it does
    assert sorted(cli.commands) == ["facets", "fields", "index", "search", "serve", "show"]
    listed = run("--help").stdout.split("\nCommands:\n", 1)[1].splitlines()
    assert [line.split(maxsplit=1)[0] for line in listed] == sorted(cli.commands)
    assert all(len(line.split()) > 2 for line in listed), listed


# --- the index command and messages about indexing ---------------------------------------------


def test_index_prints_a_summary(tmp_path: Path, corpus_copy: Path) -> None:
    index = tmp_path / "ix"
    result = run("index", "--index", str(index), "--corpus", str(corpus_copy))
    assert result.exit_code == 0
    assert result.stdout == f"2 articles, 11 sections in {index}: 2 added, 0 updated, 0 removed\n"
    assert "building" in result.stderr
    again = run("index", "--index", str(index), "--corpus", str(corpus_copy))
    assert again.exit_code == 0
    assert again.stdout == f"2 articles, 11 sections in {index}: already up to date\n"
    assert again.stderr == ""
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    third = run("index", "--index", str(index))  # the index remembers its corpus
    assert third.exit_code == 0
    assert third.stdout.startswith("3 articles, ")
    assert third.stdout.endswith(": 1 added, 0 updated, 0 removed\n")


def test_index_rebuild(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    assert run("index", "--index", str(index), "--corpus", str(CORPUS)).exit_code == 0
    result = run("index", "--rebuild", "--index", str(index), "--corpus", str(CORPUS))
    assert result.exit_code == 0
    assert result.stdout.endswith(": 2 added, 0 updated, 0 removed\n")
    assert "rebuild" in result.stderr


def test_no_match_says_when_filters_were_given(built_index: Path) -> None:
    """With filters that leave nothing, the note said only 'no sections match' (a bug hunt)."""
    filtered = run("search", "strike", "--year", "1954", *shared(built_index))
    assert (filtered.exit_code, filtered.stdout) == (0, "")
    assert filtered.stderr == (
        "searcher: no article has year '1954'\nsearcher: no sections match 'strike' with the filters given\n")
    # Each filter's values some article has, but none all of them: nothing to name.
    both = run("search", "strike", "--filter", "place=Norilsk", "--uprising", "Vorkuta uprising",
               *shared(built_index))
    assert both.stderr == "searcher: no sections match 'strike' with the filters given\n"
    assert run("search", "zzzqqq", *shared(built_index)).stderr == "searcher: no sections match 'zzzqqq'\n"


def test_index_names_skipped_bad_files_on_stderr(tmp_path: Path, corpus_copy: Path) -> None:
    write_article(corpus_copy, "empty.txt", b"")
    write_article(corpus_copy, "latin1.txt", b"= Caf\xe9 =\n")
    result = run("index", "--index", str(tmp_path / "ix"), "--corpus", str(corpus_copy))
    assert result.exit_code == 0
    assert result.stdout.startswith("2 articles, ")
    assert result.stdout.endswith(": 2 added, 0 updated, 0 removed; 2 files skipped\n")
    (corpus_copy / "latin1.txt").unlink()
    one = run("index", "--index", str(tmp_path / "ix"), "--corpus", str(corpus_copy))
    assert one.stdout.endswith(": already up to date; 1 file skipped\n")  # (not `1 files`)
    write_article(corpus_copy, "binary.txt", b"\xff\xfe")  # (a change: not 'already up to date')
    new = run("index", "--index", str(tmp_path / "ix"), "--corpus", str(corpus_copy))
    assert new.stdout.endswith(": 0 added, 0 updated, 0 removed; 2 files skipped\n")
    assert "empty.txt" not in result.stdout
    skipped = [line for line in result.stderr.splitlines() if line.startswith("searcher: skipped ")]
    assert len(skipped) == 2
    assert any("empty.txt" in line and "empty" in line for line in skipped)
    assert any("latin1.txt" in line and "UTF-8" in line for line in skipped)


def test_first_search_builds_with_messages_on_stderr_only(tmp_path: Path, corpus_copy: Path) -> None:
    write_article(corpus_copy, "empty.txt", b"")
    index = tmp_path / "ix"
    result = run("search", "amnesty", "--json", "--index", str(index), "--corpus", str(corpus_copy))
    assert result.exit_code == 0
    data = json.loads(result.stdout)  # nothing but the JSON on stdout
    assert_json_contract(data)
    assert data["total"] == 2
    assert "building" in result.stderr
    assert "empty.txt" in result.stderr
    # the next search has nothing to build and nothing new to tell
    again = run("search", "amnesty", "--json", "--index", str(index), "--corpus", str(corpus_copy))
    assert again.exit_code == 0
    assert json.loads(again.stdout) == data
    assert again.stderr == ""


def test_search_sees_a_changed_corpus(tmp_path: Path, corpus_copy: Path) -> None:
    index = ["--index", str(tmp_path / "ix"), "--corpus", str(corpus_copy)]
    assert json.loads(run("search", "Kengirite", "--json", *index).stdout)["total"] == 0
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    result = run("search", "Kengirite", "--json", *index)
    assert result.exit_code == 0
    assert [(h["article"], h["section"]) for h in json.loads(result.stdout)["hits"]] == [
        ("Kengir uprising", "Lead")
    ]


def test_no_update_searches_the_index_as_it_is(tmp_path: Path, corpus_copy: Path) -> None:
    index = ["--index", str(tmp_path / "ix"), "--corpus", str(corpus_copy)]
    assert run("index", *index).exit_code == 0
    write_article(corpus_copy, "kengir-uprising.txt", KENGIR)
    result = run("search", "Kengirite", "--json", "--no-update", *index)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["total"] == 0


def test_no_update_says_when_the_index_holds_another_corpus_than_the_one_named(
    tmp_path: Path, corpus_copy: Path
) -> None:
    """`--corpus` naming another corpus with `--no-update` was ignored without a word: a
    search of the other corpus's words said nothing matched (a bug hunt)."""
    other = tmp_path / "other"
    write_article(other, "kengir-uprising.txt", KENGIR)
    index = ["--index", str(tmp_path / "ix")]
    assert run("index", *index, "--corpus", str(corpus_copy)).exit_code == 0
    note = (f"the index in {tmp_path / 'ix'} holds {corpus_copy}, not {other}: "
            "searching it as it is, without an update (`--no-update`, `update=False` in Python)")
    result = run("search", "Kengirite", "--json", "--no-update", *index, "--corpus", str(other))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["warnings"] == [note]
    assert result.stderr == f"searcher: {note}\n"
    shown = run("show", NORILSK, "--no-update", *index, "--corpus", str(other))
    assert shown.stdout.startswith(f"{NORILSK}\n") and shown.stderr == f"searcher: {note}\n"
    same = run("search", "amnesty", "--no-update", *index, "--corpus", str(corpus_copy))
    assert same.exit_code == 0 and same.stderr == ""


def test_no_update_without_an_index_is_an_error(tmp_path: Path) -> None:
    result = run("search", "amnesty", "--no-update", "--index", str(tmp_path / "ix"),
                 "--corpus", str(CORPUS))
    assert_one_line_error(result, "no index")


def test_show_a_removed_article_is_a_one_line_error(tmp_path: Path, corpus_copy: Path) -> None:
    index = ["--index", str(tmp_path / "ix"), "--corpus", str(corpus_copy)]
    assert run("index", *index).exit_code == 0
    (corpus_copy / "norilsk-uprising.txt").unlink()
    result = CliRunner().invoke(cli, ["show", NORILSK, *index])
    assert_one_line_error(result, NORILSK)


# --- as a real process -------------------------------------------------------------------------


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHER_")}
    env.pop("NO_COLOR", None)
    env["PYTHONPATH"] = str(REPO)
    return env


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "searcher", *args],
        cwd=cwd, env=subprocess_env(), capture_output=True, text=True, encoding="utf-8",
        timeout=120,
    )


def test_real_process_search_json(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    process = run_module("search", "Janis Mendriks", "--json", "--index", str(index),
                         "--corpus", str(CORPUS), cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stderr
    assert "building" in process.stderr
    data = json.loads(process.stdout)
    assert_json_contract(data)
    assert [(h["article"], h["section"]) for h in data["hits"]] == [
        (VORKUTA, "Notable participants")
    ]
    assert "Jānis" in process.stdout
    assert (index / "CURRENT").is_file()


def test_a_reader_that_goes_away_ends_the_command_quietly_as_sigpipe_would(tmp_path: Path) -> None:
    """`searcher search war | head -1` exited 1, which README keeps for a command that could
    not do its job and says why (a bug hunt); a tool the pipe stops ends as SIGPIPE ends it.
    The pipe is closed before the command writes anything."""
    process = subprocess.Popen(
        [sys.executable, "-m", "searcher", "search", "strike", "--index", str(tmp_path / "ix"),
         "--corpus", str(CORPUS)],
        cwd=tmp_path, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 141
    assert "Traceback" not in errors.decode() and "Error" not in errors.decode()


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_reader_that_goes_away_during_a_big_write_ends_the_command_as_sigpipe_would(
    tmp_path: Path, unbuffered: str
) -> None:
    """`searcher search '*' --json -n 1000 | head -1` exited 0, its output cut short: a write
    bigger than the pipe takes was taken in part, and Python kept the error for a next write
    that never came (a README audit)."""
    write_article(tmp_path / "corpus", "big.txt", "= Big =\n\n" + "A long paragraph. " * 20_000 + "\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "searcher", "show", "Big", "--json", "--index", str(tmp_path / "ix"),
         "--corpus", str(tmp_path / "corpus")],
        cwd=tmp_path, env={**subprocess_env(), "PYTHONUNBUFFERED": unbuffered},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdout.readline() == b"{\n"
    process.stdout.close()
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 141, errors.decode()
    assert "Traceback" not in errors.decode()


@pytest.mark.slow
def test_a_long_build_with_stderr_piped_draws_no_bar(tmp_path: Path) -> None:
    """Piped, click's bar is its label alone: a bare `indexing` line in a log (a bug hunt)."""
    corpus = write_leads(tmp_path / "leads", PROGRESS_FROM + 10)
    process = subprocess.run(
        [sys.executable, "-m", "searcher", "index", "--corpus", str(corpus), "--index", str(tmp_path / "ix")],
        cwd=tmp_path, env=subprocess_env(), capture_output=True, text=True, timeout=300,
    )
    assert process.returncode == 0, process.stderr
    [note] = process.stderr.splitlines()
    assert note.startswith("searcher: building the index")
    assert process.stdout.startswith(f"{PROGRESS_FROM + 10} articles")


def test_real_process_error(tmp_path: Path) -> None:
    process = run_module("search", "amnesty", "--index", str(tmp_path / "ix"),
                         "--corpus", str(tmp_path / "missing"), cwd=tmp_path)
    assert process.returncode == 1
    assert process.stdout == ""
    assert "Traceback" not in process.stderr
    assert process.stderr.strip().splitlines() == [
        f"Error: corpus folder not found: {tmp_path / 'missing'}"
    ]


def test_facets_say_how_the_query_was_read() -> None:
    """Counts of a misspelled or relaxed query come with the same note as its search."""
    typo = run("facets", "amnsty")
    assert typo.exit_code == 0
    assert "close spellings" in typo.stderr and typo.stdout.count("uprising") == 2
    question = run("facets", "how many prisoners were killed at Vorkuta", "--json")
    assert "showing sections without: how, many, were" in question.stderr
    assert [value["value"] for value in json.loads(question.stdout)["article"]] == ["Vorkuta uprising"]


def test_facets_say_when_nothing_matches_and_suggest_as_search_does() -> None:
    """Counts of nothing were empty tables alone, where the same search says so; and the
    counts of a typo did not say what it may mean, where its search does."""
    nothing = run("facets", "riot")
    assert nothing.exit_code == 0
    assert nothing.stderr.splitlines() == ["searcher: no sections match 'riot'"]
    assert nothing.stdout.count("(no values)") == 4  # (the tables stay, for a reader of stdout)
    assert run("search", "riot").stderr == nothing.stderr
    filtered = run("facets", "--result", "nothing")
    assert filtered.stderr.splitlines()[-1] == "searcher: no sections match with the filters given"
    assert "did you mean: strike" in run("facets", "stirke").stderr
    assert run("facets", "riot", "--json").stderr == ""  # (JSON says it: every facet empty)


def test_fields_cuts_a_long_example_in_text_and_keeps_it_whole_in_json(tmp_path: Path) -> None:
    """A 1 MB infobox value was printed whole as the field's example: one line of a
    megabyte (a hunt on big corpora). The text cuts it at a word; JSON keeps it whole."""
    value = " ".join(f"word{number}" for number in range(20_000))
    write_article(tmp_path / "corpus", "a.txt", f"= A =\n\nInfobox\n- Notes: {value}\n\nA lead.\n")
    where = ["--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index")]
    line = next(line for line in run("fields", *where).stdout.splitlines() if line.startswith("notes "))
    assert len(line) < 200 and "e.g. word0 word1 word2" in line and "… (from Notes)" in line
    listed = json.loads(run("fields", "--json", *where).stdout)
    assert next(field["example"] for field in listed if field["name"] == "notes") == value
