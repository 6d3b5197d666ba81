"""The ``rnnlint`` hook for real: ``pre-commit try-repo`` installs this repository and runs it.

pre-commit builds the hook's virtualenv from PyPI (hatchling, pyyaml, ...), so this needs the
network: CI has it; offline it is skipped. Building the environment takes a minute or so.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO

pytestmark = pytest.mark.network

TIMEOUT = 900  # seconds: a cold pip install of the hook environment


def _pypi_reachable() -> bool:
    try:
        with socket.create_connection(("pypi.org", 443), timeout=5):
            return True
    except OSError:
        return False


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_runs_through_pre_commit(tmp_path: Path) -> None:
    if not _pypi_reachable():
        pytest.skip("PyPI is not reachable: pre-commit cannot build the hook environment")
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    for name in ("clean.yaml", "over_budget.yaml"):
        shutil.copy(EXAMPLES / name, project / name)
    _git(project, "add", ".")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "NO_COLOR": "1",
    }
    env.pop("GITHUB_ACTIONS", None)

    # The committed state: a working tree shared with work in progress would make this flaky.
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.strip()

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        command = ["try-repo", str(REPO), "rnnlint", "--ref", head, "--verbose", "--files", *files]
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *command],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )

    passing = try_repo("clean.yaml")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "clean.yaml:9:7: RNN100" in passing.stdout

    failing = try_repo("clean.yaml", "over_budget.yaml")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "over_budget.yaml:3:1: RNN101" in failing.stdout
    assert "Failed" in failing.stdout
