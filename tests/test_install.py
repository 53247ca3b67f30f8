"""Install the project into a fresh virtual environment and search with its own command, far
from the checkout: the installed package must answer from the corpus it bundles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, NORILSK, NORILSK_FILE, REPO, VORKUTA, VORKUTA_FILE, assert_json_contract

TIMEOUT = 300  # seconds, for creating the venv and installing into it


def clean_env(tmp_path: Path) -> dict[str, str]:
    """The caller's environment without anything that points at the checkout."""
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith("SEARCHER_")
        and key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "NO_COLOR"}
    }
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    return env


def bin_dir(venv: Path) -> Path:
    return venv / ("Scripts" if sys.platform == "win32" else "bin")


@pytest.mark.slow
def test_installed_package_searches_its_bundled_corpus(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env,
                   capture_output=True, timeout=TIMEOUT)
    python = bin_dir(venv) / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(REPO)],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import searcher; print(searcher.__file__)"],
        env=env, cwd=elsewhere, capture_output=True, text=True, timeout=60, check=True,
    )
    package = Path(where.stdout.strip()).parent
    assert package.is_relative_to(venv), "the installed copy, not the checkout"
    bundled = package / "_corpus"
    for name in (NORILSK_FILE, VORKUTA_FILE):
        assert (bundled / name).read_bytes() == (CORPUS / name).read_bytes()
    for name in ("index.html", "app.js", "style.css"):  # the page `searcher serve` serves
        assert (package / "static" / name).read_bytes() == (REPO / "searcher" / "static" / name).read_bytes()

    process = subprocess.run(
        [str(bin_dir(venv) / "searcher"), "search", "amnesty", "--json"],
        env=env, cwd=elsewhere, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stderr
    data = json.loads(process.stdout)
    assert_json_contract(data)
    assert {hit["article"] for hit in data["hits"]} == {NORILSK, VORKUTA}

    # the index went to the user cache, built from the bundled corpus; the checkout is untouched
    index = tmp_path / "cache" / "searcher" / "index"
    build = index / (index / "CURRENT").read_text(encoding="utf-8").strip()
    manifest = json.loads((build / "searcher.json").read_text(encoding="utf-8"))
    assert Path(manifest["corpus"]).resolve() == bundled.resolve()
    assert sorted(manifest["files"]) == [NORILSK_FILE, VORKUTA_FILE]
    assert list(elsewhere.iterdir()) == []
