"""Cache regressions: a text hit shows the path as this run prints it (F5), and a failed shard write
leaves no temporary file behind (F9)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnnlint.run import cache as cache_module

CONFIG = """\
model:
  layers:
    - type: lstm
      hidden_size: 8
      input_size: 10
"""


def console_script() -> list[str]:
    """The installed ``rnnlint`` console script (beside this interpreter), else ``python -m rnnlint``."""
    script = Path(sys.executable).with_name("rnnlint")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "rnnlint"]


def _rnnlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [*console_script(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_cached_text_line_shows_the_path_as_this_working_directory_prints_it(tmp_path: Path) -> None:
    # One project (its pyproject.toml fixes the cache's folder), one file named by its absolute path,
    # linted from the project's top and then from the file's own folder.
    (tmp_path / "pyproject.toml").write_text("[tool.rnnlint]\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    config = tmp_path / "sub" / "m.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    from_top = _rnnlint(tmp_path, str(config))
    assert from_top.returncode == 0, from_top.stderr
    assert from_top.stdout.startswith("sub/m.yaml:3:7: RNN100 ")
    assert list((tmp_path / ".rnnlint_cache").rglob("*.bin"))  # stored: the next runs can hit it
    from_sub = _rnnlint(tmp_path / "sub", str(config))
    uncached = _rnnlint(tmp_path / "sub", "--no-cache", str(config))
    assert from_sub.stdout == uncached.stdout
    assert from_sub.stdout.startswith("m.yaml:3:7: RNN100 ")
    # And back: the first folder's lines are not the second's either.
    assert _rnnlint(tmp_path, str(config)).stdout == from_top.stdout


def _fill_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every shard write fails half-way, as on a full disk: some bytes written, then ENOSPC."""

    def write_shard(shard: str, value: cache_module.Shard) -> None:
        with open(shard, "wb") as fh:
            fh.write(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cache_module, "write_shard", write_shard)


def test_a_full_disk_leaves_no_temporary_shard(run_cli, write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for folder in ("a", "b"):
        write(f"configs/{folder}/m.yaml", CONFIG)
    _fill_disk(monkeypatch)
    for _ in range(2):
        result = run_cli("--isolated", "configs")
        assert result.code == 0 and "RNN100" in result.out and not result.err
    left = [p.name for p in (tmp_path / ".rnnlint_cache").rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert left == []


def test_an_interrupted_shard_write_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rnnlint.result import FileResult

    def interrupted(shard: str, value: cache_module.Shard) -> None:
        Path(shard).write_bytes(b"half")
        raise KeyboardInterrupt

    cache = cache_module.Cache(str(tmp_path), "settings")
    path = str(tmp_path / "m.yaml")
    key = cache.key(path, CONFIG)
    assert key is not None
    cache.put(path, key, [FileResult(path=path)], ("", []), path)
    monkeypatch.setattr(cache_module, "write_shard", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.flush()
    assert [p.name for p in (tmp_path / ".rnnlint_cache").rglob("*.tmp")] == []
