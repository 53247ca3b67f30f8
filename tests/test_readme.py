"""README.md stays true: its Python example runs and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from searcher.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("SEARCHER_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("SEARCHER_CORPUS", str(ROOT / "corpus"))
    [example] = re.findall(r"```python\n(.*?)```", README, re.S)
    exec(compile(example, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "1 Vorkuta uprising Background" in printed
    assert "['amnesty']" in printed


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_readme(command: str) -> None:
    assert f"searcher {command}" in README


def test_readme_gives_the_ci_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in README
    assert ".venv/bin/python -m pytest" in ci
