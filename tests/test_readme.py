"""README.md stays true: its Python example runs, the outputs it shows are what the commands
print, and every command is documented."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# The outputs README shows: a `$ searcher ...` line, then what it prints.
SHOWN = re.findall(r"```text\n\$ searcher (.*?)\n(.*?)```", README, re.S)


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


@pytest.mark.parametrize("command, output", SHOWN, ids=[command for command, _ in SHOWN])
def test_readme_shows_what_a_command_prints(built_index: Path, command: str, output: str) -> None:
    """Each output README shows is what the command prints on the bundled corpus, as is."""
    where = ["--index", str(built_index), "--corpus", str(ROOT / "corpus")]
    result = CliRunner().invoke(cli, [*shlex.split(command), *where], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == output


def test_readme_json_is_what_search_json_prints(built_index: Path) -> None:
    [shown] = re.findall(r"```json\n(.*?)```", README, re.S)
    expected = json.loads(shown)
    where = ["--index", str(built_index), "--corpus", str(ROOT / "corpus")]
    result = CliRunner().invoke(cli, ["search", expected["query"], "--json", *where], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == expected
