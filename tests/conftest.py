from __future__ import annotations

import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rnnlint.app.main import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
# CI has ../shared beside the clone; a user's clone does not: those tests skip there, saying why.
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="needs ../shared/corpus (CI has it; a clone alone has not)"
)
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared (CI has it; a clone alone has not)")


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run the console script's function (``rnnlint.app.main.main``) in-process: exit code and captured output."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str | os.PathLike[str]) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a dedented config into tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No test may pick up this repository's own pyproject [tool.rnnlint] by accident.
    monkeypatch.chdir(tmp_path)


# The long equivalence sweeps are marked slow: a local `pytest` skips them (saying so), CI runs them all
# (`.ci/run` passes --run-slow; RNNLINT_SLOW=1 does the same).
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", default=False, help="also run the tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow") or os.environ.get("RNNLINT_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow equivalence sweep: run with --run-slow (CI does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
