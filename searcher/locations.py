"""Where the corpus and the index are, when the user does not say.

In a checkout (the package sits beside `pyproject.toml` and `corpus/`), the checkout's
`corpus/` and `index/`; in an installed package, its bundled copy of the corpus and a per-user
cache folder. `SEARCHER_CORPUS` and `SEARCHER_INDEX` override both. Once built, an index
remembers its corpus (see `indexer`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent


def _in_checkout() -> bool:
    return (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "corpus").is_dir()


def corpus_from_environment() -> Path | None:
    """`$SEARCHER_CORPUS`, when set: a corpus named as explicitly as `--corpus`."""
    named = os.environ.get("SEARCHER_CORPUS")
    return Path(named) if named else None


def bundled_corpus() -> Path:
    """The checkout's `corpus/`, or the corpus bundled with the package: what a new index
    holds when no corpus is named."""
    return CHECKOUT / "corpus" if _in_checkout() else PACKAGE / "_corpus"


def default_index() -> Path:
    """`$SEARCHER_INDEX`, the checkout's `index/`, or a per-user cache folder."""
    if os.environ.get("SEARCHER_INDEX"):
        return Path(os.environ["SEARCHER_INDEX"])
    return CHECKOUT / "index" if _in_checkout() else _user_cache() / "searcher" / "index"


def _user_cache() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
