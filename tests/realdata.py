"""Access to the real Wikipedia data in the shared folder, for the tests that use it.

The data lives beside the checkout, in `../shared/data/` (see its README: it is never copied
into the project). Tests read it in place. When it is absent a test is skipped with the
reason, unless `SEARCHER_REQUIRE_SHARED_DATA=1` (CI sets it), where absence is a failure:
`require_shared_data()` is the one place that decides.

Also: running the CLI as a real process, and a once-per-session index of the first N leads.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from searcher import IndexReport

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ARTICLES = SHARED_DATA / "articles"
LEADS_ARCHIVE = SHARED_DATA / "wikipedia-leads-10k.tar.gz"
REQUIRE_VARIABLE = "SEARCHER_REQUIRE_SHARED_DATA"

# What the shared data holds (README of the shared folder).
ARTICLE_COUNT = 112
LEAD_COUNT = 10_033


def require_shared_data(*paths: Path) -> None:
    """Skip the calling test when the shared data is missing; fail instead under CI."""
    wanted = paths or (SHARED_DATA,)
    missing = [path for path in wanted if not path.exists()]
    if not missing:
        return
    reason = (
        "the shared real-article data is not available ("
        + ", ".join(str(path) for path in missing)
        + " missing); it is read in place from ../shared/data beside the checkout"
    )
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{reason}, and {REQUIRE_VARIABLE}=1 requires it", pytrace=False)
    pytest.skip(reason)


@functools.cache
def article_files() -> tuple[Path, ...]:
    """Every real article file (`wikitext_pages/` and `wikitext/`), sorted."""
    require_shared_data(ARTICLES)
    return tuple(sorted(ARTICLES.rglob("*.txt")))


@functools.cache
def leads() -> tuple[tuple[str, bytes], ...]:
    """Every `summaries/*.txt` of the leads archive as (name, bytes), sorted by name.

    Read in memory: nothing is extracted to disk.
    """
    require_shared_data(LEADS_ARCHIVE)
    found = []
    with tarfile.open(LEADS_ARCHIVE, "r:gz") as archive:
        for member in archive:
            if member.isfile() and member.name.startswith("summaries/") and member.name.endswith(".txt"):
                handle = archive.extractfile(member)
                assert handle is not None
                found.append((member.name, handle.read()))
    return tuple(sorted(found))


def write_leads(folder: Path, count: int, start: int = 0) -> Path:
    """Write leads `start` .. `start + count` into `folder` (created), as they are."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in leads()[start : start + count]:
        (folder / Path(name).name).write_bytes(data)
    return folder


def child_environment() -> dict[str, str]:
    """The environment of a `python -m searcher` child: this checkout first on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHER_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["NO_COLOR"] = "1"
    env.pop("PYTHONWARNINGS", None)
    return env


def searcher_command(*arguments: str | Path) -> list[str]:
    return [sys.executable, "-m", "searcher", *map(str, arguments)]


# --- one index of the first N leads per test session --------------------------------------

_LEADS_INDEXES: dict[int, tuple[Path, Path, IndexReport]] = {}


def leads_index(base: Path, count: int) -> tuple[Path, Path, IndexReport]:
    """(corpus, index, report of the build) of the first `count` leads, built once per session.

    Read-only: a test that changes either works on a copy (`copy_leads_index`).
    """
    if count not in _LEADS_INDEXES:
        from searcher import update_index

        folder = base / f"leads-{count}"
        corpus = write_leads(folder / "corpus", count)
        report = update_index(corpus, folder / "index")
        assert report.articles == count and not report.problems, report.problems
        _LEADS_INDEXES[count] = (corpus, folder / "index", report)
    return _LEADS_INDEXES[count]


@functools.cache
def articles_index(base: Path) -> Path:
    """An index of the 112 real articles, built once per session in `base` (the session's
    tmp folder). Read-only: tests that change an index build their own."""
    require_shared_data(ARTICLES)
    from searcher import update_index

    index = base / "articles-index"
    update_index(ARTICLES, index)
    return index


def copy_leads_index(base: Path, count: int, target: Path) -> tuple[Path, Path]:
    """A private copy (corpus, index) of the session's index of the first `count` leads.

    The copy's manifest still names the original corpus; the first update of the copy with
    `--corpus` pointing at the copied corpus notices nothing else (stamps are kept).
    """
    corpus, index, _ = leads_index(base, count)
    shutil.copytree(corpus, target / "corpus")  # copy2 keeps mtimes: the stamps still match
    shutil.copytree(index, target / "index")
    return target / "corpus", target / "index"
