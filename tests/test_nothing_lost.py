"""Nothing lost, nothing stuck: an index never changes corpus behind the user's back, reads
while another process writes it, works where it cannot be written, stays the size of a
rebuild, and reports what really happened.

Processes racing each other are made deterministic: the writer is a child process paused
inside its progress callback until the test says go, and the test waits for the reader's
own message (a line on stderr), never for a time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher import Searcher, update_index
from searcher.builds import CURRENT, MANIFEST
from searcher.cli import cli
from searcher.errors import CorpusError, IndexNotWritable
from tests.conftest import CORPUS, KENGIR, write_article
from tests.realdata import child_environment, searcher_command, write_leads

# Waits for a child are hang guards only: a test that passes never comes near them.
HANG_GUARD = 120

PAUSED_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from searcher import update_index

    corpus, index, signals, rebuild = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4] == "1"

    def pause(done, total):
        if done == 1:
            (signals / "paused").touch()
            while not (signals / "go").exists():
                time.sleep(0.01)

    report = update_index(corpus, index, rebuild=rebuild, progress=pause)
    print(report.articles, report.corpus, flush=True)
    """
)


@contextmanager
def paused_writer(
    corpus: Path, index: Path, signals: Path, rebuild: bool = False
) -> Iterator[subprocess.Popen[str]]:
    """A child process updating `index` from `corpus`, holding the update lock, paused after
    its first article until `signals/go` exists (the test creates it)."""
    signals.mkdir(exist_ok=True)
    writer = subprocess.Popen(
        [sys.executable, "-c", PAUSED_WRITER, str(corpus), str(index), str(signals), "1" if rebuild else "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_environment(),
    )
    try:
        while not (signals / "paused").exists():
            assert writer.poll() is None, writer.communicate()[1]
            os.sched_yield()
        yield writer
    finally:
        (signals / "go").touch()
        writer.communicate(timeout=HANG_GUARD)
    assert writer.returncode == 0


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from searcher import update_index

    from searcher.processes import ParallelWriter

    corpus, index, signals, when = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4]

    def stop(*_):
        (signals / "paused").touch()
        while True:
            time.sleep(1)

    if when == "waiting":  # every file handed to the writer processes: they wait for more
        progress = lambda done, total: stop() if done == total else None
    else:  # they were told to finish: each hands over its word counts, which nothing reads
        progress, ParallelWriter._next_counts = None, stop
    update_index(corpus, index, rebuild=True, progress=progress)
    """
)


def searcher_process(*arguments: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(searcher_command(*arguments), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=child_environment())


def recorded_corpus(index: Path) -> str:
    build = index / (index / CURRENT).read_text(encoding="utf-8").strip()
    return json.loads((build / MANIFEST).read_text(encoding="utf-8"))["corpus"]


def builds(index: Path) -> list[Path]:
    return sorted(path for path in index.glob("build-*") if path.is_dir())


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def my_corpus(tmp_path: Path) -> Path:
    """A corpus of its own (not the bundled one): the bundled articles and the Kengir one."""
    corpus = tmp_path / "mycorpus"
    shutil.copytree(CORPUS, corpus)
    write_article(corpus, "kengir-uprising.txt", KENGIR)
    return corpus


# --- an index never changes corpus implicitly -----------------------------------------------


def test_search_during_a_first_build_waits_and_searches_what_was_built(
    tmp_path: Path, my_corpus: Path
) -> None:
    index = tmp_path / "idx"
    with paused_writer(my_corpus, index, tmp_path / "signals"):
        search = searcher_process("search", "Kengirite", "--json", "--index", index)
        assert search.stderr is not None
        waiting = search.stderr.readline()  # the search says it waits; the writer is paused
        assert "waiting for another process" in waiting, waiting
    out, err = search.communicate(timeout=HANG_GUARD)
    assert search.returncode == 0, err
    hits = json.loads(out)["hits"]
    assert [(hit["article"], hit["section"]) for hit in hits] == [("Kengir uprising", "Lead")]
    assert recorded_corpus(index) == str(my_corpus.resolve())  # not the bundled corpus
    again = CliRunner().invoke(cli, ["index", "--index", str(index)])
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("3 articles,") and "already up to date" in again.stdout


def test_an_update_keeps_the_corpus_the_index_was_built_from(tmp_path: Path, my_corpus: Path) -> None:
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    report = update_index(None, index)  # no corpus named: the index's own
    assert report.corpus == str(my_corpus.resolve()) and not report.changed
    with Searcher.open(index) as searcher:
        assert searcher.corpus_dir == my_corpus.resolve()
        assert searcher.search("Kengirite").total == 1


def test_a_corpus_named_through_a_link_follows_the_link(tmp_path: Path) -> None:
    """`current -> release-1`, then `current -> release-2`: the index kept release-1, the
    folder the link named when it was built, and called itself up to date (a bug hunt)."""
    for release, word in (("release-1", "Versionone"), ("release-2", "Versiontwo")):
        write_article(tmp_path / release, "a.txt", f"= Alpha =\n\n{word} text.\n")
    current, index = tmp_path / "current", tmp_path / "idx"
    current.symlink_to("release-1")
    assert update_index(current, index).corpus == str(current)
    current.unlink()
    current.symlink_to("release-2")
    with Searcher.open(index) as searcher:
        assert searcher.search("Versiontwo").total == 1 and searcher.search("Versionone").total == 0


def test_naming_another_corpus_switches_and_says_so(tmp_path: Path, my_corpus: Path) -> None:
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    result = CliRunner().invoke(cli, ["index", "--index", str(index), "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert f"now holds {CORPUS.resolve()} (it held {my_corpus.resolve()})" in result.stderr
    assert "0 added, 0 updated, 1 removed" in result.stdout
    assert recorded_corpus(index) == str(CORPUS.resolve())


def test_another_corpus_named_without_an_update_is_not_searched_silently(
    tmp_path: Path, my_corpus: Path
) -> None:
    """`Searcher.open(index, CORPUS, update=False)` (`--corpus ... --no-update`) searched the
    index's own corpus without a word, as if it were the one named (a bug hunt)."""
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    warning = (f"the index in {index} holds {my_corpus.resolve()}, not {CORPUS.resolve()}: "
               "searching it as it is, without an update (`--no-update`, `update=False` in Python)")
    with Searcher.open(index, CORPUS, update=False) as searcher:
        assert searcher.warnings == [warning]
        assert searcher.search("Kengirite").warnings == [warning]
    with Searcher.open(index, my_corpus, update=False) as searcher:
        assert searcher.warnings == []
    result = CliRunner().invoke(cli, ["search", "Kengirite", "--no-update", "--index", str(index),
                                      "--corpus", str(CORPUS)])
    assert result.exit_code == 0 and f"searcher: {warning}" in result.stderr
    assert recorded_corpus(index) == str(my_corpus.resolve())


def test_the_environment_names_a_corpus_as_explicitly_as_the_option(
    tmp_path: Path, my_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "idx"
    update_index(CORPUS, index)
    monkeypatch.setenv("SEARCHER_CORPUS", str(my_corpus))
    with Searcher.open(index) as searcher:
        assert searcher.report is not None and searcher.report.added == ["kengir-uprising.txt"]
        assert searcher.report.previous_corpus == str(CORPUS.resolve())
    assert recorded_corpus(index) == str(my_corpus.resolve())


def test_a_missing_recorded_corpus_is_never_replaced_by_the_bundled_one(
    tmp_path: Path, my_corpus: Path
) -> None:
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    shutil.rmtree(my_corpus)
    with pytest.raises(CorpusError, match=r"corpus folder not found: .*mycorpus .*--corpus"):
        update_index(None, index)
    result = CliRunner().invoke(cli, ["index", "--index", str(index)])
    assert result.exit_code == 1 and "mycorpus" in result.stderr
    with Searcher.open(index) as searcher:  # a search reads what there is, and says why
        assert searcher.search("Kengirite").total == 1
        assert "corpus folder not found" in searcher.warnings[0]


@pytest.mark.parametrize("damage", ["build-20990101000000-deadbeef\n", "build-nope\n", "", None],
                         ids=["a-build-gone", "garbage", "empty", "deleted"])
def test_a_damaged_current_file_keeps_the_corpus_of_the_index(
    tmp_path: Path, my_corpus: Path, damage: str | None
) -> None:
    """A `CURRENT` file that named no build folder made the next search rebuild the index from
    the bundled corpus and delete the build of the user's corpus, or (empty, garbage) refuse
    the folder as no index folder (a bug hunt). The corpus is the one the newest build left
    holds, with a note that says so."""
    index = tmp_path / "idx"
    built = CliRunner().invoke(cli, ["index", "--corpus", str(my_corpus), "--index", str(index)])
    assert built.exit_code == 0, built.output
    [build] = builds(index)
    if damage is None:
        (index / CURRENT).unlink()
    else:
        (index / CURRENT).write_text(damage, encoding="utf-8")
    as_it_is = CliRunner().invoke(cli, ["search", "Kengirite", "--index", str(index), "--no-update"])
    assert as_it_is.exit_code == 1
    assert as_it_is.stderr == (
        f"Error: the CURRENT file of the index in {index} names no build folder: run "
        "'searcher index' to build it again from the corpus of its newest build\n"
    )
    searched = CliRunner().invoke(cli, ["search", "Kengirite", "--index", str(index)])
    assert searched.exit_code == 0, searched.output
    assert searched.stdout.startswith("1. Kengir uprising › Lead")
    damaged = "it has no CURRENT file" if damage is None else "its CURRENT file names no build folder"
    assert searched.stderr.splitlines() == [
        f"searcher: building the index in {index} from {my_corpus} ({damaged}; "
        f"the corpus is that of its newest build, {build.name})"
    ]
    assert recorded_corpus(index) == str(my_corpus)  # not the bundled corpus
    again = CliRunner().invoke(cli, ["index", "--index", str(index)])
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("3 articles,") and "already up to date" in again.stdout


def _refuse_to_list(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """List `folder` as one whose permissions forbid it (`chmod 000`, which root would list
    anyway)."""
    real_scandir = os.scandir

    def scandir(path: str | int = ".") -> Iterator[os.DirEntry[str]]:
        if path == str(folder):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_corpus_folder_that_cannot_be_listed_empties_no_index(
    tmp_path: Path, my_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A corpus folder whose permissions forbid listing it (`chmod 000`; simulated, as root
    lists it anyway) was walked as an empty folder: `searcher index` said it held no article
    files, removed all 3 from the index and exited 0 (a bug hunt)."""
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    _refuse_to_list(monkeypatch, my_corpus)
    os.utime(my_corpus / "kengir-uprising.txt", ns=(0, 0))  # (changed: the index is not current)
    result = CliRunner().invoke(cli, ["index", "--index", str(index)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: cannot read the corpus folder {my_corpus} (Permission denied)\n"
    with Searcher.open(index) as searcher:  # a search reads what there is, and says why
        assert searcher.search("Kengirite").total == 1
        assert "cannot read the corpus folder" in searcher.warnings[0]
    monkeypatch.undo()
    assert update_index(None, index).articles == 3


def test_a_subfolder_that_cannot_be_listed_is_named(
    tmp_path: Path, my_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder of the corpus whose permissions forbid listing it (simulated, as root lists
    it anyway) was walked as an empty one: its articles left the index without a word (a
    bug hunt). They still leave it, as an unreadable file does, but `searcher index` says
    why, and every other file is indexed."""
    sub = my_corpus / "sub"
    sub.mkdir()
    (my_corpus / "kengir-uprising.txt").rename(sub / "kengir-uprising.txt")
    index = tmp_path / "idx"
    assert update_index(my_corpus, index).articles == 3
    _refuse_to_list(monkeypatch, sub)
    result = CliRunner().invoke(cli, ["index", "--index", str(index)])
    assert result.exit_code == 0
    assert result.stdout == f"2 articles, 11 sections in {index}: 0 added, 0 updated, 1 removed\n"
    assert result.stderr == (
        f"searcher: cannot list the folder {sub} (Permission denied): its files are left out\n"
    )


def test_a_name_that_is_not_utf8_is_named_and_its_file_left_out(tmp_path: Path, my_corpus: Path) -> None:
    """A file or folder named in Latin-1 (`café` as an old archive unpacks it, byte 0xe9) made
    every update fail with a traceback (UnicodeEncodeError: a path the index cannot hold), so
    a first build left no index, and once it was in the corpus every search failed too (a
    bug hunt). It is named, as a folder that cannot be listed is, and the rest indexed."""
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    raw = os.fsencode(my_corpus)
    try:
        Path(os.fsdecode(raw + b"/caf\xe9.txt")).write_text("= Cafe =\n\nOkapi.\n", encoding="utf-8")
        Path(os.fsdecode(raw + b"/caf\xe9s")).mkdir()
    except OSError:
        pytest.skip("this file system takes no name that is not UTF-8")
    Path(os.fsdecode(raw + b"/caf\xe9s/x.txt")).write_text("= Cafes =\n\nOkapi.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["index", "--index", str(index)])
    assert result.exit_code == 0
    assert result.stdout == f"3 articles, 14 sections in {index}: already up to date\n"
    assert sorted(result.stderr.splitlines()) == [
        f"searcher: cannot index the file {my_corpus}/caf\\xe9.txt: its name is not UTF-8 (rename it)",
        f"searcher: cannot index the folder {my_corpus}/caf\\xe9s: its name is not UTF-8 (rename it); "
        "its files are left out",
    ]
    result = CliRunner().invoke(cli, ["search", "Kengir", "--index", str(index)])
    assert result.exit_code == 0 and "Kengir uprising" in result.stdout
    shutil.rmtree(index)
    assert update_index(my_corpus, index).articles == 3


def test_a_corpus_folder_whose_path_is_not_utf8_is_an_error_that_says_what_to_do(
    tmp_path: Path, my_corpus: Path
) -> None:
    """Its path, which the manifest records, failed the build's last step with a traceback
    (UnicodeEncodeError), leaving no index (a bug hunt). A link to it works."""
    named = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9"))
    try:
        my_corpus.rename(named)
    except OSError:
        pytest.skip("this file system takes no name that is not UTF-8")
    result = CliRunner().invoke(cli, ["index", "--corpus", str(named), "--index", str(tmp_path / "idx")])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: cannot index the corpus folder {tmp_path}/caf\\xe9: its path is not UTF-8; "
        "rename it, or name it by a link whose path is (ln -s)\n"
    )
    (tmp_path / "cafe").symlink_to(named)
    assert update_index(tmp_path / "cafe", tmp_path / "idx").articles == 3


def test_a_missing_corpus_of_another_name_is_an_error_not_a_corpus_gone(
    tmp_path: Path, my_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--corpus` mistyped: the index cannot stand in for a folder it was never built from."""
    index, typo = tmp_path / "idx", tmp_path / "mycorpsu"
    update_index(my_corpus, index)
    result = CliRunner().invoke(cli, ["search", "Kengirite", "--index", str(index), "--corpus", str(typo)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: corpus folder not found: {typo}\n"
    monkeypatch.setenv("SEARCHER_CORPUS", str(typo))
    with pytest.raises(CorpusError, match=r"corpus folder not found: .*mycorpsu"):
        Searcher.open(index)
    monkeypatch.setenv("SEARCHER_CORPUS", str(my_corpus))  # its own corpus, gone: searched as it is
    shutil.rmtree(my_corpus)
    with Searcher.open(index) as searcher:
        assert searcher.search("Kengirite").total == 1
        assert "corpus folder not found" in searcher.warnings[0]


# --- searches never wait behind a writer ----------------------------------------------------


def test_search_during_a_rebuild_answers_from_the_last_build(tmp_path: Path, my_corpus: Path) -> None:
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    (my_corpus / "kengir-uprising.txt").unlink()  # the corpus changed: a search would update
    with paused_writer(my_corpus, index, tmp_path / "signals", rebuild=True):
        search = searcher_process("search", "Kengirite", "--json", "--index", index)
        out, err = search.communicate(timeout=HANG_GUARD)  # answers while the writer is paused
        assert search.returncode == 0, err
        data = json.loads(out)
        assert [hit["article"] for hit in data["hits"]] == ["Kengir uprising"]  # the last build
        [warning] = data["warnings"]
        assert "another process is updating the index" in warning
        assert "answering from the last complete build" in err
    with Searcher.open(index, update=False) as searcher:  # the rebuild has finished
        assert searcher.search("Kengirite").total == 0


def test_every_reading_command_answers_during_an_update(tmp_path: Path, my_corpus: Path) -> None:
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    write_article(my_corpus, "more.txt", KENGIR.replace("Kengir uprising", "More uprising"))
    with paused_writer(my_corpus, index, tmp_path / "signals", rebuild=True):
        for command in (["facets"], ["fields"], ["show", "Kengir uprising"], ["search", "strike"]):
            result = CliRunner().invoke(cli, [*command, "--index", str(index)])
            assert result.exit_code == 0, (command, result.output)
            assert "answering from the last complete build" in result.stderr, command


# --- read-only places -------------------------------------------------------------------------


@contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """`folder` and everything in it cannot be written, even by root (immutable files)."""
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in [folder, *folder.rglob("*")]}
        for path in modes:
            path.chmod(modes[path] & ~0o222)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("chattr is needed to make a folder unwritable for root")
    made = subprocess.run(["chattr", "-R", "+i", str(folder)], capture_output=True, text=True)
    if made.returncode != 0:
        subprocess.run(["chattr", "-R", "-i", str(folder)], capture_output=True)
        pytest.skip(f"this file system cannot make files immutable: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-R", "-i", str(folder)], check=True)


@pytest.mark.slow
@pytest.mark.parametrize("when", ["waiting", "handing over"])
def test_a_killed_build_leaves_no_process_holding_the_lock(tmp_path: Path, when: str) -> None:
    """Killed (SIGKILL, or SIGTERM from `timeout`), a build of many files left its two writer
    processes waiting for work for ever, holding the update lock: every later update waited
    60 s and failed (a bug hunt); and so did one killed once they had their last work, each
    waiting at its exit for the parent to read its word counts (a second bug hunt). They now
    end once their parent is gone."""
    corpus, index, signals = write_leads(tmp_path / "leads", 120), tmp_path / "idx", tmp_path / "signals"
    # (words enough that what each process hands over fills the pipe it is handed over in)
    for number in range(60):
        words = " ".join(f"{letters(number)}x{letters(word)}" for word in range(500))
        write_article(corpus, f"wordy-{number}.txt", f"= Wordy {number} =\n\n{words}.\n")
    update_index(corpus, index)
    signals.mkdir()
    arguments = [sys.executable, "-c", KILLED_WRITER, str(corpus), str(index), str(signals), when]
    writer = subprocess.Popen(arguments, stderr=subprocess.PIPE, text=True, env=child_environment())
    while not (signals / "paused").exists():
        assert writer.poll() is None, writer.communicate()[1]
        os.sched_yield()
    writer.kill()
    writer.communicate(timeout=HANG_GUARD)
    report = update_index(corpus, index, lock_timeout=HANG_GUARD)  # (waits for the lock)
    assert report.articles == 180 and not report.rebuilt


def letters(number: int) -> str:
    """A number written in letters (`0` is `a`, `26` is `ba`): words with no digit."""
    return (letters(number // 26) if number >= 26 else "") + chr(ord("a") + number % 26)


def test_a_read_only_index_is_searched_as_it_is(tmp_path: Path, my_corpus: Path) -> None:
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    write_article(my_corpus, "more.txt", KENGIR.replace("Kengir uprising", "More uprising"))
    runner = CliRunner()
    with unwritable(index):
        for command in (["search", "Kengirite"], ["facets"], ["fields"], ["show", "Kengir uprising"]):
            result = runner.invoke(cli, [*command, "--index", str(index)])
            assert result.exit_code == 0, (command, result.output)
            notes = [line for line in result.stderr.splitlines() if "could not be brought up to date" in line]
            assert len(notes) == 1, (command, result.stderr)
            assert str(index) in notes[0] and "--no-update" in notes[0]
            quiet = runner.invoke(cli, [*command, "--index", str(index), "--no-update"])
            assert quiet.exit_code == 0 and quiet.stderr == "", (command, quiet.stderr)
        assert "Kengir uprising" in runner.invoke(cli, ["search", "Kengirite", "--index", str(index)]).stdout
        update = runner.invoke(cli, ["index", "--index", str(index)])
        assert update.exit_code == 1
        assert update.stderr.startswith(f"Error: cannot update the index in {index}: ")
        assert len(update.stderr.splitlines()) == 1


def test_an_index_folder_that_cannot_be_made_names_the_options(tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    with unwritable(parent):
        with pytest.raises(IndexNotWritable, match="--index or SEARCHER_INDEX"):
            Searcher.open(parent / "index")
        result = CliRunner().invoke(cli, ["search", "strike", "--index", str(parent / "index")])
    assert result.exit_code == 1
    denied = "(Operation not permitted)" if os.geteuid() == 0 else "(Permission denied)"
    assert result.stderr == (
        f"Error: cannot create the index folder {parent / 'index'} {denied}; "
        "choose another with --index or SEARCHER_INDEX\n"
    )


def test_a_folder_that_holds_anything_but_an_index_is_refused_untouched(tmp_path: Path) -> None:
    """`--index` naming the corpus, or a folder of the user's: an update deleted every
    `build-*` folder in it (`build-notes/`, with an article in it) and wrote over a `CURRENT`
    file. It now refuses such a folder and writes nothing there."""
    notes = tmp_path / "mine"
    (notes / "build-notes").mkdir(parents=True)
    write_article(notes / "build-notes", "kept.txt", "= Kept =\n\nKeptword.\n")
    (notes / "CURRENT").write_text("my notes\n", encoding="utf-8")
    before = sorted(str(path.relative_to(notes)) for path in notes.rglob("*"))
    for index in (notes, notes / "build-notes"):
        result = CliRunner().invoke(cli, ["index", "--corpus", str(notes), "--index", str(index)])
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"Error: {index} is not an index folder: it holds ")
        assert "choose an empty or new folder with --index or SEARCHER_INDEX" in result.stderr
    searched = CliRunner().invoke(cli, ["search", "x", "--index", str(notes)])
    assert "it holds 'CURRENT', 'build-notes'" in searched.stderr
    assert sorted(str(path.relative_to(notes)) for path in notes.rglob("*")) == before
    assert (notes / "CURRENT").read_text(encoding="utf-8") == "my notes\n"


def test_an_update_deletes_only_the_builds_it_made(tmp_path: Path, my_corpus: Path) -> None:
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    look_alike = index / "build-20200101000000-abcdef12"  # named as a build, not one
    look_alike.mkdir()
    (look_alike / "notes.txt").write_text("kept", encoding="utf-8")
    killed = index / "build-20200101000001-abcdef12"  # a build killed as it began
    killed.mkdir()
    (index / ".gitkeep").touch()  # hidden files are left alone
    update_index(my_corpus, index, rebuild=True)
    assert (look_alike / "notes.txt").read_text(encoding="utf-8") == "kept"
    assert not killed.exists() and (index / ".gitkeep").exists()


def test_a_reader_that_closes_deletes_no_build_while_current_names_none(
    tmp_path: Path, my_corpus: Path
) -> None:
    """A reader that closes deletes the builds a rebuild replaced; with `CURRENT` gone
    (deleted, damaged), no build was replaced, and the newest says what the index held."""
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    with Searcher.open(index, update=False):
        update_index(my_corpus, index, rebuild=True)
        (index / CURRENT).unlink()
    assert len(builds(index)) == 2
    assert update_index(my_corpus, index).rebuilt  # from the newest build's corpus
    assert len(builds(index)) == 1


# --- disk stays proportional ------------------------------------------------------------------


def test_a_rebuild_deletes_the_build_it_replaced_once_no_reader_holds_it(
    tmp_path: Path, my_corpus: Path
) -> None:
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    [first] = builds(index)
    with Searcher.open(index, update=False) as reader:
        update_index(my_corpus, index, rebuild=True)
        assert first in builds(index) and len(builds(index)) == 2  # held by the reader
        assert reader.search("Kengirite").total == 1  # which still reads it
    assert not first.exists()  # let go of: deleted as the reader closed, not at the next update
    [second] = builds(index)
    with Searcher.open(index, update=False) as reader, Searcher.open(index, update=False):  # (and another)
        update_index(my_corpus, index, rebuild=True)
        refreshed = reader.refresh()  # (a reader moving to the new build lets go of the old)
        assert second.exists()  # held by the other reader
    refreshed.close()
    [live] = builds(index)
    assert live not in (first, second) and not second.exists()
    fresh = tmp_path / "fresh"
    update_index(my_corpus, fresh)
    assert folder_size(index) <= 1.3 * folder_size(fresh)


@pytest.mark.slow
def test_one_file_updates_keep_the_index_near_the_size_of_a_rebuild(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    write_leads(corpus, 20)
    update_index(corpus, index)
    spare = write_leads(tmp_path / "spare", 100, start=20)
    for number, path in enumerate(sorted(spare.iterdir())):
        if number % 2:  # every other update edits an article: its old documents are deleted
            edited = sorted(corpus.iterdir())[number % 20]
            edited.write_text(edited.read_text(encoding="utf-8") + f"\nEdit {number}.\n", encoding="utf-8")
        else:
            shutil.copy(path, corpus / path.name)
        report = update_index(corpus, index)
        assert report.changed
    fresh = tmp_path / "fresh"
    update_index(corpus, fresh)
    assert len(builds(index)) == 1
    assert folder_size(index) <= 1.3 * folder_size(fresh), (folder_size(index), folder_size(fresh))


# --- honest reports ---------------------------------------------------------------------------


def test_counts_say_what_happened(tmp_path: Path, corpus_copy: Path) -> None:
    index = tmp_path / "idx"
    for name in ("a", "b", "c", "d"):
        write_article(corpus_copy, f"good-{name}.txt", KENGIR.replace("Kengir", f"Kengir{name}"))
    bad = {"empty.txt": b"", "latin1.txt": "= T =\n\nCaf\xe9".encode("latin-1"),
           "untitled.txt": b"no title\n", "title-only.txt": b"= Only title =\n",
           "blank-after-title.txt": b"= Nothing else =\n\n\n"}
    for name, data in bad.items():
        write_article(corpus_copy, name, data)
    result = CliRunner().invoke(cli, ["index", "--index", str(index), "--corpus", str(corpus_copy)])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": 6 added, 0 updated, 0 removed; 5 files skipped\n")
    assert result.stdout.startswith("6 articles,")
    skipped = [line for line in result.stderr.splitlines() if line.startswith("searcher: skipped ")]
    assert len(skipped) == 5
    assert any("title-only.txt: a title ('Only title') but no text to index" in line for line in skipped)
    rebuilt = update_index(corpus_copy, index, rebuild=True)
    assert len(rebuilt.added) == rebuilt.articles == 6 and len(rebuilt.problems) == 5
    (corpus_copy / "good-a.txt").write_bytes(b"")  # an indexed article turns bad
    broken = update_index(corpus_copy, index)
    assert (broken.added, broken.updated, broken.removed) == ([], [], ["good-a.txt"])
    assert broken.articles == 5 and "good-a.txt" in broken.problems
    (corpus_copy / "empty.txt").unlink()  # a file never indexed goes: nothing was removed
    assert update_index(corpus_copy, index).removed == []


def test_two_files_with_one_title_are_both_indexed_and_named(tmp_path: Path, corpus_copy: Path) -> None:
    index = tmp_path / "idx"
    norilsk = (corpus_copy / "norilsk-uprising.txt").read_text(encoding="utf-8")
    write_article(corpus_copy, "copies/norilsk-again.txt", norilsk.replace("Gorlag", "Gorlagite"))
    result = CliRunner().invoke(cli, ["index", "--index", str(index), "--corpus", str(corpus_copy)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("3 articles,")
    assert (
        "searcher: 2 files have the title 'Norilsk uprising': copies/norilsk-again.txt, "
        "norilsk-uprising.txt; hits name the file, and 'searcher show FILE' shows one"
    ) in result.stderr.splitlines()
    with Searcher.open(index, update=False) as searcher:
        paths = {hit.path for hit in searcher.search("Norilsk", limit=50).hits}
        assert {"copies/norilsk-again.txt", "norilsk-uprising.txt"} <= paths
        again = searcher.search("Gorlagite").hits
        assert again and {hit.path for hit in again} == {"copies/norilsk-again.txt"}


def test_a_full_disk_during_an_update_leaves_the_index_as_it_was(
    tmp_path: Path, my_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that filled while an update wrote its segment gave a traceback (Whoosh's "This
    writer is closed", from cancelling the writer its failed commit had closed) to `search`
    and `index` alike, and left the half-written segment in the live build, filling the disk
    for good (a bug hunt)."""
    from whoosh.writing import SegmentWriter

    index = tmp_path / "idx"
    update_index(my_corpus, index)
    [build] = builds(index)
    held = sorted(path.name for path in build.iterdir())
    write_article(my_corpus, "more.txt", KENGIR.replace("Kengir uprising", "Morefound uprising"))
    finalize = SegmentWriter._finalize_segment

    def disk_full(writer: SegmentWriter) -> None:
        finalize(writer)  # (its files written, as far as they went)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SegmentWriter, "_finalize_segment", disk_full)
    runner = CliRunner()
    searched = runner.invoke(cli, ["search", "Kengirite", "--index", str(index)])
    assert searched.exit_code == 0 and "Kengir uprising" in searched.stdout
    assert "could not be brought up to date" in searched.stderr and "Traceback" not in searched.stderr
    updated = runner.invoke(cli, ["index", "--index", str(index)])
    assert updated.exit_code == 1
    assert updated.stderr.splitlines() == [updated.stderr.strip()]
    assert "No space left on device" in updated.stderr
    assert sorted(path.name for path in build.iterdir()) == held
    monkeypatch.undo()
    assert update_index(my_corpus, index).added == ["more.txt"]


def test_what_a_killed_writer_left_is_removed_by_the_next_update(tmp_path: Path, my_corpus: Path) -> None:
    """A writer killed mid-commit left its temporary folder (hundreds of MB on a big corpus)
    and segment files no generation lists; an update with nothing to do said "already up to
    date" and kept them (a bug hunt). It also rewrote the manifest, which a full disk
    refused."""
    index = tmp_path / "idx"
    update_index(my_corpus, index)
    [build] = builds(index)
    held = sorted(path.name for path in build.iterdir())
    (build / "MAIN.tmp").mkdir()
    (build / "MAIN.tmp" / "MAIN_0123456789abcdef.run").write_bytes(b"\0" * 4096)
    (build / "MAIN_0123456789abcdef.pst").write_bytes(b"\0" * 4096)
    manifest = (build / MANIFEST).stat()
    assert update_index(my_corpus, index).added == []
    assert sorted(path.name for path in build.iterdir()) == held
    assert (build / MANIFEST).stat().st_mtime_ns == manifest.st_mtime_ns
