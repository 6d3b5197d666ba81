"""Discovery: a file reached twice (the same folder named twice, a symlink to a listed file) is linted once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rnnlint.run.discovery import Candidate, iter_files
from rnnlint.settings import Settings

GRU = "model:\n  input_size: 8\n  layers: [{type: gru, hidden_size: 4}]\n"


def _linted(run_cli: Any, *args: str) -> list[str]:
    result = run_cli("--isolated", "--no-cache", "--format", "json", *args)
    assert result.code == 0, result.err
    return [entry["path"] for entry in result.json()["files"]]


def test_the_same_folder_named_twice_is_linted_once(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.yaml").write_text(GRU)
    (tmp_path / "d" / "sub" / "b.yaml").write_text(GRU)
    assert _linted(run_cli, "d", "./d") == ["d/a.yaml", "d/sub/b.yaml"]
    assert _linted(run_cli, "./d", "d/sub", "d") == ["./d/a.yaml", "./d/sub/b.yaml"]


def test_a_symlink_to_a_listed_file_is_linted_once(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b.yaml").write_text(GRU)
    (tmp_path / "d" / "a.yaml").symlink_to(tmp_path / "d" / "b.yaml")  # walked first, but b.yaml is listed
    (tmp_path / "d" / "c.yaml").write_text(GRU)  # same text, another file: listed
    (tmp_path / "d" / "z.yaml").symlink_to(tmp_path / "d" / "c.yaml")  # walked last: skipped as well
    assert _linted(run_cli, "d") == ["d/b.yaml", "d/c.yaml"]


def test_symlinks_to_files_the_walk_does_not_list_are_linted(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "d" / "node_modules").mkdir(parents=True)  # excluded by default
    (tmp_path / "outside").mkdir()
    (tmp_path / "d" / "node_modules" / "x.yaml").write_text(GRU)
    (tmp_path / "d" / "notes.txt").write_text(GRU)  # not a config extension
    (tmp_path / "outside" / "o.yaml").write_text(GRU)
    (tmp_path / "d" / "a.yaml").symlink_to(tmp_path / "d" / "node_modules" / "x.yaml")
    (tmp_path / "d" / "b.yaml").symlink_to(tmp_path / "d" / "notes.txt")
    (tmp_path / "d" / "c.yaml").symlink_to(tmp_path / "outside" / "o.yaml")
    (tmp_path / "d" / "e.yaml").symlink_to(tmp_path / "outside" / "o.yaml")  # the same outside file again
    assert _linted(run_cli, "d") == ["d/a.yaml", "d/b.yaml", "d/c.yaml"]
    # Named together with the folder its target is in, a link's target is listed under its own path.
    assert _linted(run_cli, "d", "outside") == ["d/a.yaml", "d/b.yaml", "outside/o.yaml"]


def test_a_hard_link_is_the_same_file(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.yaml").write_text(GRU)
    os.link(tmp_path / "d" / "a.yaml", tmp_path / "d" / "b.yaml")
    assert list(iter_files(["d"], Settings(root=str(tmp_path)))) == [Candidate("d/a.yaml", False)]


def test_dangling_links_are_each_listed(tmp_path: Path) -> None:
    # No inode to compare: both are listed and reading each reports the broken link.
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.yaml").symlink_to(tmp_path / "d" / "missing.yaml")
    (tmp_path / "d" / "y.yaml").symlink_to(tmp_path / "d" / "missing-too.yaml")
    paths = [c.path for c in iter_files(["d"], Settings(root=str(tmp_path)))]
    assert paths == ["d/x.yaml", "d/y.yaml"]


def test_a_missing_path_stops_the_run_before_any_file_is_linted(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # One process lints files as the walk lists them; the named paths are still all checked first.
    write("c/m.yaml", "model:\n  layers:\n    - {type: lstm, hidden_size: 8, input_size: 4}\n")
    for jobs in ("1", "2"):
        result = run_cli("--no-cache", "-j", jobs, "c", "c/m.yaml", "missing")
        assert result.code == 2 and result.out == "", (jobs, result.out)
        assert "missing: no such file or directory" in result.err


def test_a_file_named_and_walked_is_linted_once(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("conf/a.yaml", "model:\n  input_size: 4\n  layers:\n    - {type: lstm, hidden_size: 8}\n")
    write("conf/b.yaml", "model:\n  input_size: 4\n  layers:\n    - {type: gru, hidden_size: 8}\n")
    for args in (["conf/a.yaml", "conf"], ["conf", "conf/a.yaml"], ["conf/a.yaml", "./conf/a.yaml", "conf"]):
        result = run_cli("--isolated", "--no-cache", "--format", "json", *args)
        paths = sorted(f["path"].removeprefix("./") for f in result.json()["files"])
        assert paths == ["conf/a.yaml", "conf/b.yaml"], args
