"""``rnnlint .`` from the root of six whole public repositories (../shared/realworld), cold and cached.

The figures (files linted and skipped, recurrent layers, findings by code, every error) are compared with
tests/fixtures/realworld_figures.json, which tools/realworld_figures.py writes: a change in what rnnlint
finds on real repositories is a reviewed diff of that file. The only errors allowed are the three duplicate
keys OpenNMT-py's own files hold (RNN003).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SHARED

REALWORLD = SHARED / "realworld"
FIXTURE = REPO / "tests" / "fixtures" / "realworld_figures.json"
TREES = sorted(p.name for p in REALWORLD.iterdir() if p.is_dir()) if REALWORLD.is_dir() else []

_spec = importlib.util.spec_from_file_location("realworld_figures", REPO / "tools" / "realworld_figures.py")
assert _spec is not None and _spec.loader is not None
_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tool)


def _expected() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="needs ../shared/realworld (CI has it; a clone alone has not)")
def test_every_tree_has_figures() -> None:
    assert (
        sorted(_expected())
        == TREES
        == [
            "Masao-Someki+espnet",
            "NVIDIA+NeMo",
            "OpenNMT+OpenNMT-py",
            "allenai+allennlp-models",
            "isaac-sim+IsaacGymEnvs",
            "speechbrain+speechbrain",
        ]
    )


@pytest.mark.parametrize("tree", TREES or ["(none)"])
def test_rnnlint_dot_on_a_real_repository(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tree: str) -> None:  # type: ignore[no-untyped-def]
    if not REALWORLD.is_dir():
        pytest.skip("needs ../shared/realworld (CI has it; a clone alone has not)")
    # A copy: the cache is written into the tree's root, and ../shared is not ours to write (CI runs as root).
    root = tmp_path / tree
    shutil.copytree(REALWORLD / tree, root, symlinks=True)
    monkeypatch.chdir(root)
    cold = run_cli("--format", "json", ".")
    cached = run_cli("--format", "json", ".")
    assert cold.err == cached.err == ""
    assert (cached.code, cached.out) == (cold.code, cold.out), "a cached run must report what a cold run does"
    got = _tool.figures(cold.json(), cold.code)
    assert got == _expected()[tree]
    allowed = {"OpenNMT+OpenNMT-py": 3}.get(tree, 0)
    assert len(got["errors"]) == allowed and all(e.endswith(": RNN003") for e in got["errors"])
    assert got["exit"] == (1 if allowed else 0)
