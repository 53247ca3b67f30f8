"""The cold path does only what the answer needs: what a fresh process imports, and the walk of
the corpus folder (one `os.scandir` pass) that tells whether the index is up to date.

Nothing here measures time: the import tests look at `sys.modules` of a fresh interpreter, and
the walk is compared, on many folder trees, with the `os.walk` + `pathlib` walk it replaced,
which the benchmark keeps (so the bench's plain engines also index the files searcher does).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from unittest.mock import Mock

import pytest
from conftest import CORPUS, REPO
from realdata import ARTICLES, require_shared_data

import searcher
from searcher import corpus as corpus_module
from searcher import update_index
from searcher.builds import is_up_to_date, stamp_matches
from searcher.corpus import Stamp, corpus_files, corpus_stamps, stamp

# Modules that only writing an index needs (reading its articles, too): a search of a current
# index never imports them.
WRITING = ("whoosh.writing", "whoosh.multiproc", "multiprocessing", "searcher.indexer", "searcher.writer",
           "searcher.processes", "searcher.article")


def fresh_modules(code: str) -> set[str]:
    """The modules a fresh interpreter has imported after running `code` (from the checkout)."""
    process = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=120,
    )
    assert process.returncode == 0, process.stderr
    return set(json.loads(process.stdout.splitlines()[-1]))


# --- imports ----------------------------------------------------------------------------------


def test_importing_the_cli_loads_no_whoosh() -> None:
    modules = fresh_modules("import searcher.cli")
    assert "whoosh.highlight" not in modules
    assert not {name for name in modules if name.split(".")[0] == "whoosh"}
    assert not modules & {"searcher.search", "searcher.indexer", "searcher.schema", *WRITING}


def test_help_and_version_load_no_whoosh() -> None:
    modules = fresh_modules(
        "from click.testing import CliRunner\n"
        "from searcher.cli import cli\n"
        "for arguments in (['--help'], ['--version'], ['search', '--help']):\n"
        "    assert CliRunner().invoke(cli, arguments).exit_code == 0, arguments\n"
    )
    assert not {name for name in modules if name.split(".")[0] == "whoosh"}


def test_a_usage_error_loads_no_whoosh_and_touches_no_index(tmp_path: Path) -> None:
    """`search x --filter bad` built the index first, then said the filter was no FIELD=WORDS;
    `--year abc` loaded Whoosh to say so (a README audit)."""
    modules = fresh_modules(
        "from click.testing import CliRunner\n"
        "from searcher.cli import cli\n"
        "for option in (['--filter', 'bad'], ['--year', 'abc'], ['--filter', '=x']):\n"
        f"    arguments = ['search', 'x', *option, '--index', {str(tmp_path / 'ix')!r}]\n"
        "    result = CliRunner().invoke(cli, arguments)\n"
        "    assert result.exit_code == 2 and 'Invalid value' in result.output, result.output\n"
    )
    assert not {name for name in modules if name.split(".")[0] == "whoosh"}
    assert not (tmp_path / "ix").exists()


def test_a_search_of_a_current_index_loads_nothing_for_writing(built_index: Path) -> None:
    """Nor `dataclasses`, which loads `inspect` (in a process that has neither, 10 ms of
    imports and 1 MB of RSS): its records are named tuples. Nor `fractions`, which only a
    number with a fraction needs."""
    modules = fresh_modules(
        "from pathlib import Path\n"
        "from searcher import Searcher\n"
        f"with Searcher.open({str(built_index)!r}, {str(CORPUS)!r}) as s:\n"
        "    assert s.search('amnesty').hits and s.search('strke').hits and s.facets('riot')\n"
        "    assert s.search('how many prisoners died in the norilsk uprising').relaxed\n"
        "    assert s.fields() and s.search('strike', during='1953').hits\n"
    )
    assert "searcher.search" in modules  # the test searched
    assert not modules & {*WRITING, "dataclasses", "inspect", "fractions"}


# A child that runs the command line as the console script does (`searcher.__main__.main`)
# or as click alone does (`cli`), counting the cyclic garbage collector's runs from there.
COUNT_COLLECTIONS = """
import atexit, gc, sys
gc.set_threshold(700)  # CPython's own, which a later CPython may change
from searcher.{entry} import {name}
runs = []
gc.callbacks.append(lambda phase, info: phase == "start" and runs.append(info["generation"]))
atexit.register(lambda: print("collections:", len(runs), file=sys.stderr))
sys.argv[0] = "searcher"
{name}()
"""


def test_a_cold_search_runs_no_cycle_collection(built_index: Path) -> None:
    """Loading click, Whoosh and the package makes many objects and no garbage: the collector's
    looks at them in a cold search freed nothing and took about a tenth of its time."""
    runs = {}
    for entry, name in [("__main__", "main"), ("cli", "cli")]:
        process = subprocess.run(
            [sys.executable, "-c", COUNT_COLLECTIONS.format(entry=entry, name=name), "search",
             "strike", "--json", "--no-update", "--index", str(built_index), "--corpus", str(CORPUS)],
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
            timeout=120,
        )
        assert process.returncode == 0, process.stderr
        assert json.loads(process.stdout)["hits"]
        runs[entry] = int(process.stderr.split("collections:")[1])
    assert runs["__main__"] == 0
    assert runs["cli"] > 10  # click alone, at CPython's threshold


def test_an_update_of_a_few_files_starts_no_processes_and_loads_no_searcher(tmp_path: Path) -> None:
    """An update of a few files writes in one process: it loaded Whoosh's two-process writer
    and `multiprocessing` anyway (12 ms of a 0.35 s update). Nor does it search: finding an
    edited article's old documents through a searcher loaded Whoosh's searcher and queries
    (25 ms more)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    update_index(corpus, tmp_path / "index")
    (corpus / "extra.txt").write_text("= Extra =\n\nThe quendorilite miners wrote home.\n", encoding="utf-8")
    edited = corpus / "vorkuta-uprising.txt"
    with edited.open("a", encoding="utf-8") as file:
        file.write("\nThe quendorilite ore ran out.\n")
    modules = fresh_modules(
        "from searcher import update_index\n"
        f"report = update_index({str(corpus)!r}, {str(tmp_path / 'index')!r})\n"
        f"assert (report.added, report.updated) == (['extra.txt'], [{edited.name!r}]), report\n"
    )
    assert "whoosh.writing" in modules and not modules & {"searcher.processes", "multiprocessing"}
    assert not modules & {"whoosh.searching", "whoosh.query", "searcher.search"}


def test_every_exported_name_imports_and_is_listed() -> None:
    for name in searcher.__all__:
        assert getattr(searcher, name) is not None, name
    assert set(searcher.__all__) <= set(dir(searcher))
    with pytest.raises(AttributeError, match="no attribute 'nothing_of_that_name'"):
        _ = searcher.nothing_of_that_name  # type: ignore[attr-defined]
    imported = fresh_modules(f"from searcher import {', '.join(searcher.__all__)}")
    assert {"searcher.article", "searcher.errors", "searcher.indexer", "searcher.search"} <= imported


def test_every_type_the_api_hands_out_is_exported() -> None:
    """`Searcher.fields()` returned `FieldInfo`s and an article's sections hold `Block`s, which
    `from searcher import ...` could not import (a bug hunt): a tool-builder could not name
    the types of what it got. Every class of this package that a public function or method
    returns, or that a field of one holds, is exported."""
    def classes(annotation: str, module: ModuleType) -> set[type]:
        # (The annotations are strings: __future__. A module may import a type it names only
        # for type checkers, out of the cold path: the package's exports stand in for it.)
        names = {**{name: getattr(searcher, name) for name in searcher.__all__}, **vars(module)}
        found = {eval(annotation, names)}
        every: set[type] = set()
        while found:
            kind = found.pop()
            found |= set(typing.get_args(kind))
            origin = typing.get_origin(kind) or kind
            if isinstance(origin, type) and origin.__module__.startswith("searcher.") and origin not in every:
                every.add(origin)
                if dataclasses.is_dataclass(origin) or hasattr(origin, "_fields"):  # (a named tuple)
                    home = sys.modules[origin.__module__]
                    # (strings: __future__; a named tuple's are `typing.ForwardRef`s of them)
                    kinds = origin.__annotations__.values()
                    found |= {eval(str(getattr(kind, "__forward_arg__", kind)), vars(home)) for kind in kinds}
        return every

    public = [searcher.update_index, searcher.parse_article, searcher.read_article,
              *(member for name, member in vars(searcher.Searcher).items() if not name.startswith("_"))]
    handed_out = set()
    for function in public:
        function = getattr(function, "__func__", function)  # (a classmethod)
        if callable(function) and "return" in function.__annotations__:
            handed_out |= classes(function.__annotations__["return"], sys.modules[function.__module__])
    assert {kind.__name__ for kind in handed_out} <= set(searcher.__all__)


def test_names_from_the_package_are_those_of_their_modules() -> None:
    from searcher import errors, indexer, search

    assert searcher.Searcher is search.Searcher
    assert searcher.update_index is indexer.update_index
    assert searcher.QueryError is errors.QueryError


# --- the corpus walk --------------------------------------------------------------------------


def load_bench() -> ModuleType:
    """bench/run.py, whose `corpus_files` is the walk `corpus_files` had before `os.scandir`:
    `os.walk` following links, guarded by (device, inode), hidden names left out."""
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


BENCH = load_bench()


def walk_before_scandir(root: Path) -> dict[str, Path]:
    """What the old walk gave: each file by its path below `root`, sorted."""
    return {BENCH.relative(file, root): file for file in BENCH.corpus_files(root)}


def assert_same_walk(root: Path) -> dict[str, Path]:
    files = corpus_files(root)
    assert list(files.items()) == list(walk_before_scandir(root).items())  # order included
    stamps = corpus_stamps(root)
    assert list(stamps) == list(files)
    assert stamps == {name: stamp(path) for name, path in files.items()}
    return files


def write(path: Path, text: str = "= T =\n\nText.\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def tangled(tmp_path: Path) -> Path:
    """A corpus folder with every case the walk has a rule for."""
    root, outside = tmp_path / "corpus", tmp_path / "outside"
    for name in ("a.txt", "UPPER.TXT", "Mixed.Txt", "sub/b.txt", "sub/deeper/c.txt",
                 "sub/deeper/deepest/d.txt", "name with spaces.txt", "Zürich – café/Ærø.txt",
                 "日本語/記事.txt", "folder.txt/z.txt", "notes.md", "readme", "x.txt.bak",
                 ".hidden.txt", ".git/h.txt", "sub/.cache/h.txt", "zz/real/r.txt"):
        write(root / name)
    for name in ("file.txt", "folder/e.txt", "folder/inner/f.txt", ".secret/s.txt", "other/g.txt"):
        write(outside / name)
    (root / "link.txt").symlink_to(outside / "file.txt")
    (root / "LINK-UPPER.TXT").symlink_to(outside / "file.txt")
    (root / "linked").symlink_to(outside / "folder", target_is_directory=True)
    (root / "also-linked").symlink_to(outside / "folder", target_is_directory=True)  # twice
    (root / "aa-first").symlink_to(root / "zz", target_is_directory=True)  # before its real name
    (root / "secret").symlink_to(outside / ".secret", target_is_directory=True)  # visible name
    (root / ".hidden-link").symlink_to(outside / "folder", target_is_directory=True)
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "sub" / "deeper" / "up").symlink_to(root / "sub", target_is_directory=True)
    (root / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "dangling-folder").symlink_to(tmp_path / "nowhere", target_is_directory=True)
    (root / "self.txt").symlink_to(root / "self.txt")  # a link to itself: ELOOP
    (root / "dir-link.txt").symlink_to(outside / "other", target_is_directory=True)
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "fifo.txt")
    return root


def test_scandir_walk_is_the_old_walk_on_a_tangled_folder(tangled: Path) -> None:
    files = assert_same_walk(tangled)
    assert set(files) == {
        "a.txt", "UPPER.TXT", "Mixed.Txt", "sub/b.txt", "sub/deeper/c.txt",
        "sub/deeper/deepest/d.txt", "name with spaces.txt", "Zürich – café/Ærø.txt",
        "日本語/記事.txt", "folder.txt/z.txt", "link.txt", "LINK-UPPER.TXT", "secret/s.txt",
        "also-linked/e.txt", "also-linked/inner/f.txt",  # `linked` reaches the folder again
        "aa-first/real/r.txt",  # the link's name comes first: `zz/real` is that folder again
        "dir-link.txt/g.txt",
    }
    assert list(files) == sorted(files)
    assert files["link.txt"] == tangled / "link.txt"  # the path through the link, not its target


def test_scandir_walk_is_the_old_walk_from_a_relative_root(tangled: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tangled.parent)
    assert_same_walk(Path("corpus"))
    monkeypatch.chdir(tangled)
    assert_same_walk(Path("."))


@pytest.mark.parametrize("seed", range(25))
def test_scandir_walk_is_the_old_walk_on_random_folders(tmp_path: Path, seed: int) -> None:
    """Random trees of files, folders and links (to files, folders, ancestors, nowhere)."""
    rng = random.Random(seed)
    root = tmp_path / "corpus"
    root.mkdir()
    folders, files = [root], []
    names = ["a", "B", "c.txt", ".h", "d.TXT", "e e", "ü", "f.md", ".g.txt", "z"]
    for _ in range(40):
        parent, name = rng.choice(folders), rng.choice(names) + rng.choice(["", "1", ".txt"])
        path = parent / name
        if path.exists() or path.is_symlink():
            continue
        kind = rng.random()
        if kind < 0.35:
            path.mkdir()
            folders.append(path)
        elif kind < 0.7:
            write(path)
            files.append(path)
        elif kind < 0.85:
            path.symlink_to(rng.choice(folders), target_is_directory=True)
        elif kind < 0.95 and files:
            path.symlink_to(rng.choice(files))
        else:
            path.symlink_to(tmp_path / "nowhere")
    assert_same_walk(root)


def test_scandir_walk_is_the_old_walk_on_the_bundled_and_real_corpora() -> None:
    assert list(assert_same_walk(CORPUS)) == ["norilsk-uprising.txt", "vorkuta-uprising.txt"]
    require_shared_data(ARTICLES)
    assert len(assert_same_walk(ARTICLES)) == 112


def test_corpus_stamps_leave_out_a_file_gone_since_it_was_listed(
    tangled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = corpus_module._articles

    def listed_then_removed(root: Path, leave_out: Path | None) -> list[tuple[str, os.DirEntry[str]]]:
        entries = listed(root, leave_out)
        (root / "a.txt").unlink()
        return entries

    monkeypatch.setattr(corpus_module, "_articles", listed_then_removed)
    stamps = corpus_stamps(tangled)
    assert "a.txt" not in stamps and "UPPER.TXT" in stamps


def test_up_to_date_after_a_build_and_not_after_an_edit(tangled: Path, tmp_path: Path) -> None:
    from searcher import update_index

    index = tmp_path / "index"
    report = update_index(tangled, index)
    assert sorted(report.added) == sorted(corpus_files(tangled))
    assert is_up_to_date(tangled, index)
    path = tangled / "sub" / "deeper" / "c.txt"
    write(path, "= T =\n\nOther text, a different size.\n")
    assert not is_up_to_date(tangled, index)
    update_index(tangled, index)
    assert is_up_to_date(tangled, index)
    (tangled / "aa-first").unlink()  # the folder is now reached by its own name: files renamed
    assert not is_up_to_date(tangled, index)


def test_a_search_reads_the_manifest_once_and_walks_a_changed_corpus_once_before_updating(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check that the index is current uses the manifest the open build read: one read
    of it (2.5 ms on 2,250 files), where the check and the open each read it; and a corpus
    found changed is not checked again before the update (a walk of it: 10 ms)."""
    from searcher import Searcher
    from searcher import builds as builds_module
    from searcher.builds import Manifest

    index = tmp_path / "index"
    update_index(corpus_copy, index)
    load = Mock(wraps=Manifest.load)
    monkeypatch.setattr(Manifest, "load", load)
    walks = Mock(wraps=corpus_stamps)
    monkeypatch.setattr(builds_module, "corpus_stamps", walks)
    with Searcher.open(index, corpus_copy) as current:
        assert current.report is None and current.search("amnesty").hits
    assert (load.call_count, walks.call_count) == (1, 1)

    vorkuta = corpus_copy / "vorkuta-uprising.txt"
    vorkuta.write_text(vorkuta.read_text(encoding="utf-8").replace("amnesty", "pardon"), encoding="utf-8")
    walks.reset_mock()
    with Searcher.open(index, corpus_copy) as updated:
        assert updated.report is not None and updated.report.updated == ["vorkuta-uprising.txt"]
        assert {hit.article for hit in updated.search("pardon").hits} == {"Vorkuta uprising"}
    assert walks.call_count == 1
    assert is_up_to_date(corpus_copy, index)


def test_a_check_that_fails_leaves_the_build_it_opened_unheld(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check opens the live build, which holds a shared lock on it: when the check
    fails, the lock goes with the error, so an update can still delete the build."""
    fcntl = pytest.importorskip("fcntl")  # (where there are no locks, nothing is held)
    from searcher import Searcher
    from searcher import builds as builds_module

    index = tmp_path / "index"
    update_index(corpus_copy, index)
    build = builds_module.live_build(index)
    assert build is not None

    def broken(*args: object) -> bool:
        raise RuntimeError("the check broke")

    monkeypatch.setattr(builds_module, "holds", broken)
    with pytest.raises(RuntimeError, match="the check broke"):
        Searcher.open(index, corpus_copy)
    with open(build / builds_module.READERS, "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # (raises while a reader holds it)


def test_a_manifest_entry_matches_only_the_stamp_it_records(tangled: Path) -> None:
    path = tangled / "sub" / "deeper" / "c.txt"
    entry = {**stamp(path)._asdict(), "digest": "0" * 32, "title": "T"}
    assert stamp_matches(entry, stamp(path))
    for field in Stamp._fields:
        assert not stamp_matches({**entry, field: entry[field] + 1}, stamp(path))
        assert not stamp_matches({name: value for name, value in entry.items() if name != field}, stamp(path))
