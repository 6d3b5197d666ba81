""".gitignore during walks (on by default), ``--no-respect-gitignore``, and ``--force-exclude``.

Hydra's ``outputs/`` and ``multirun/``, ``wandb/`` and ``lightning_logs/`` hold copies of the
configs a run used; a project's .gitignore already says so. Matching is pathspec's gitignore
patterns, applied per folder as git applies them, and checked here against git itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from rnnlint.app import main as entry

GRU = "model:\n  input_size: 8\n  layers: [{type: gru, hidden_size: 4}]\n"
GRU_JSON = '{"model": {"input_size": 8, "layers": [{"type": "gru", "hidden_size": 4}]}}\n'


def _files(tmp_path: Path, names: list[str]) -> None:
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GRU_JSON if name.endswith(".json") else GRU, encoding="utf-8")


def _linted(run_cli: Any, *args: str) -> list[str]:
    result = run_cli("--format", "json", *args)
    assert result.code == 0, result.err
    return [f["path"] for f in result.json()["files"]]


TREE = [
    "conf/model.yaml",
    "outputs/2024-01-01/12-00-00/.hydra/config.yaml",
    "multirun/2024-01-01/0/.hydra/config.yaml",
    "wandb/run-1/files/config.yaml",
    "lightning_logs/version_0/hparams.yaml",
    "exp/keep.yaml",
    "exp/drop.yaml",
    "exp/sub/build/x.yaml",
    "exp/sub/y.yaml",
    "build.yaml",
    "nested/build/z.yaml",
]
ROOT_IGNORE = "outputs/\nmultirun/\nwandb\nlightning_logs/\n# a comment\nexp/*.yaml\n!exp/keep.yaml\nbuild/\n"
KEPT = ["./build.yaml", "./conf/model.yaml", "./exp/keep.yaml", "./exp/sub/y.yaml"]


def _tree(tmp_path: Path) -> None:
    _files(tmp_path, TREE)
    (tmp_path / ".gitignore").write_text(ROOT_IGNORE, encoding="utf-8")


def test_a_walk_skips_what_gitignore_ignores(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _tree(tmp_path)
    assert _linted(run_cli, "--isolated", "--no-cache", ".") == KEPT
    # The console script's own parser (no click) gives the same walk.
    assert entry.main(["--isolated", "--no-cache", "."]) == 0


def test_no_respect_gitignore_walks_everything(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _tree(tmp_path)
    everything = sorted(f"./{name}" for name in TREE)
    assert sorted(_linted(run_cli, "--isolated", "--no-cache", "--no-respect-gitignore", ".")) == everything
    (tmp_path / "rnnlint.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    assert sorted(_linted(run_cli, "--no-cache", ".")) == everything
    # The command line wins over the configuration.
    assert _linted(run_cli, "--no-cache", "--respect-gitignore", ".") == KEPT


def test_the_setting_must_be_a_boolean(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "rnnlint.toml").write_text('respect-gitignore = "no"\n', encoding="utf-8")
    _files(tmp_path, ["a.yaml"])
    result = run_cli(".")
    assert result.code == 2 and "invalid value for 'respect-gitignore': expected true or false" in result.err


def test_nested_gitignore_files_and_negation(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _files(tmp_path, ["a/x.yaml", "a/y.yaml", "a/b/x.yaml", "a/b/y.yaml", "a/b/c/x.yaml", "top.yaml", "a/top.yaml"])
    (tmp_path / ".gitignore").write_text("x.yaml\n/top.yaml\n", encoding="utf-8")
    (tmp_path / "a" / "b" / ".gitignore").write_text("!x.yaml\ny.yaml\n", encoding="utf-8")
    # /top.yaml is anchored to its folder; a deeper file overrides a shallower one.
    assert _linted(run_cli, "--isolated", "--no-cache", ".") == [
        "./a/top.yaml",
        "./a/y.yaml",
        "./a/b/x.yaml",
        "./a/b/c/x.yaml",
    ]


def test_gitignore_files_above_the_walked_folder_apply(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _tree(tmp_path)
    assert _linted(run_cli, "--isolated", "--no-cache", "exp") == ["exp/keep.yaml", "exp/sub/y.yaml"]
    # A named folder is walked even when ignored itself; the rules still apply inside it.
    assert _linted(run_cli, "--isolated", "--no-cache", "wandb") == ["wandb/run-1/files/config.yaml"]


def test_a_named_file_is_linted_even_when_ignored(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _tree(tmp_path)
    assert _linted(run_cli, "--isolated", "--no-cache", "exp/drop.yaml") == ["exp/drop.yaml"]


def test_the_repository_top_bounds_the_rules_and_info_exclude_applies(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".gitignore").write_text("*.yaml\n", encoding="utf-8")  # above the repository: not read
    repo = tmp_path / "repo"
    _files(repo, ["a.yaml", "local.yaml", "sub/b.yaml"])
    (repo / ".git" / "info").mkdir(parents=True)
    (repo / ".git" / "info" / "exclude").write_text("local.yaml\n", encoding="utf-8")
    assert _linted(run_cli, "--isolated", "--no-cache", "repo") == ["repo/a.yaml", "repo/sub/b.yaml"]
    assert _linted(run_cli, "--isolated", "--no-cache", "repo/sub") == ["repo/sub/b.yaml"]


def test_cached_runs_follow_gitignore_edits(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _tree(tmp_path)
    assert _linted(run_cli, "--isolated", ".") == KEPT
    assert _linted(run_cli, "--isolated", ".") == KEPT  # served from the cache: the same walk
    (tmp_path / ".gitignore").write_text(ROOT_IGNORE + "conf/\n", encoding="utf-8")
    assert _linted(run_cli, "--isolated", ".") == [path for path in KEPT if not path.startswith("./conf")]
    assert sorted(_linted(run_cli, "--isolated", "--no-respect-gitignore", ".")) == sorted(f"./{n}" for n in TREE)


def test_a_pattern_pathspec_refuses_leaves_the_others(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _files(tmp_path, ["a.yaml", "b.yaml"])
    (tmp_path / ".gitignore").write_text("a.yaml\n!\n[z-a].yaml\n", encoding="utf-8")
    assert _linted(run_cli, "--isolated", "--no-cache", ".") == ["./b.yaml"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_walk_agrees_with_git(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = [
        *TREE,
        "deep/a/b/c.yaml",
        "deep/a/logs/c.yaml",
        "deep/a/keep/logs.yaml",
        "deep/x.json",
        "deep/sub dir/y.yml",
        "deep/[weird].yaml",
        "docs/a.yaml",
        "docs/b/a.yaml",
    ]
    _files(tmp_path, names)
    (tmp_path / ".gitignore").write_text(ROOT_IGNORE + "**/logs/\n*.json\ndocs/**/a.yaml\n!docs/a.yaml\n")
    (tmp_path / "deep" / ".gitignore").write_text("a/b/\n\\[weird].yaml\n!*.json\n", encoding="utf-8")
    (tmp_path / "deep" / "a" / ".gitignore").write_text("keep/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    git = sorted(f"./{line}" for line in listed if line.endswith((".yaml", ".yml", ".json")))
    assert sorted(_linted(run_cli, "--isolated", "--no-cache", ".")) == git
    assert "./deep/x.json" in git and "./docs/a.yaml" in git  # the negations matter


# ----------------------------------------------------------------------------- --force-exclude


def test_force_exclude_applies_exclude_to_named_paths(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _files(tmp_path, ["generated/x.yaml", "src/a.yaml", ".venv/lib/y.yaml", "src/skip_me.yaml"])
    (tmp_path / "rnnlint.toml").write_text('exclude = ["generated", "skip_*.yaml"]\n', encoding="utf-8")
    named = ["generated/x.yaml", "src/a.yaml", ".venv/lib/y.yaml", "src/skip_me.yaml"]
    # Without it a named file is always linted (as ruff), even in an excluded or default-excluded folder.
    assert _linted(run_cli, "--no-cache", *named) == named
    assert _linted(run_cli, "--no-cache", "--force-exclude", *named) == ["src/a.yaml"]
    assert _linted(run_cli, "--no-cache", "--force-exclude", "generated", "src") == ["src/a.yaml"]
    (tmp_path / "rnnlint.toml").write_text('exclude = ["generated"]\nforce-exclude = true\n', encoding="utf-8")
    assert _linted(run_cli, "--no-cache", "generated/x.yaml", "src/a.yaml") == ["src/a.yaml"]
    assert _linted(run_cli, "--no-cache", "--no-force-exclude", "generated/x.yaml") == ["generated/x.yaml"]
    # The fast command-line parser takes the flag too.
    assert entry.main(["--no-cache", "--force-exclude", "generated/x.yaml"]) == 0


def test_force_exclude_leaving_nothing_warns_and_passes(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _files(tmp_path, ["generated/x.yaml"])
    (tmp_path / "rnnlint.toml").write_text('exclude = ["generated"]\n', encoding="utf-8")
    result = run_cli("--no-cache", "--force-exclude", "generated/x.yaml")
    assert result.code == 0
    assert result.err == "rnnlint: warning: no config files found under the given paths (nothing was linted)\n"
