"""The results cache through the CLI: hits give the same output; edits, configuration and rnnlint's version
invalidate; a broken cache never fails a run."""

from __future__ import annotations

import marshal
import os
import zlib
from pathlib import Path

import pytest

from rnnlint import cache as cache_module
from rnnlint.result import FileResult

CONFIG = """
model:
  layers:
    - type: lstm
      hidden_size: {hidden}
      input_size: 10
"""


def _lstm(hidden: int) -> int:
    return 4 * (hidden * (10 + hidden) + 2 * hidden)


def _params(run_cli, *args) -> int:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", *args)
    assert result.code in (0, 1), result.err
    value: int = result.json()["files"][0]["total_params"]
    return value


def test_second_run_is_served_from_the_cache_with_the_same_output(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        write(f"configs/m{i}.yaml", CONFIG.format(hidden=8 + i))
    first = run_cli("--isolated", "configs")
    folder = tmp_path / ".rnnlint_cache"
    assert folder.is_dir() and (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    entries = list((folder / cache_module.FORMAT).glob("*.bin"))
    assert entries  # written on the first run
    # Doctor the stored entry: if the second run prints the doctored message, it came from the cache.
    shard = marshal.loads(zlib.decompress(entries[0].read_bytes()))
    path = next(iter(shard))
    result = list(shard[path][1][0])
    diagnostics = result[FileResult.FIELDS.index("diagnostics")]
    diagnostics[0] = (*diagnostics[0][:2], "served from the cache", *diagnostics[0][3:])
    shard[path][1][0] = tuple(result)
    entries[0].write_bytes(zlib.compress(marshal.dumps(shard)))
    second = run_cli("--isolated", "configs")
    assert "served from the cache" in second.out
    fresh = run_cli("--isolated", "--no-cache", "configs")
    assert fresh.out == first.out and "served from the cache" not in fresh.out


def test_edits_config_changes_and_rnnlint_changes_invalidate(run_cli, write, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = write("m.yaml", CONFIG.format(hidden=8))
    assert _params(run_cli, path) == _lstm(8)
    path.write_text(CONFIG.format(hidden=16), encoding="utf-8")  # same size class, new content
    assert _params(run_cli, path) == _lstm(16)
    # A configuration change that changes the verdict: the cached result must not be reused.
    clean = run_cli(path)
    assert clean.code == 0
    write("pyproject.toml", "[tool.rnnlint]\nmax_params = 10\n")
    assert run_cli(path).code == 1
    write("pyproject.toml", "[tool.rnnlint]\nmax_params = 100000000\n")
    assert run_cli(path).code == 0
    # A new rnnlint (version or code) invalidates every entry.
    cache_module.code_fingerprint.cache_clear()
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    try:
        result = run_cli("--format", "json", path)
        assert result.json()["files"][0]["total_params"] == _lstm(16)
        assert cache_module.code_fingerprint() != ""
    finally:
        cache_module.code_fingerprint.cache_clear()


def test_corrupt_cache_files_are_misses(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("m.yaml", CONFIG.format(hidden=8))
    first = run_cli(path)
    entries = list((tmp_path / ".rnnlint_cache" / cache_module.FORMAT).glob("*.bin"))
    assert entries
    stored = entries[0].read_bytes()
    for doctored in (
        stored[: len(stored) // 2],  # truncated
        b"\xff" + stored,  # not marshal data
        zlib.compress(marshal.dumps({str(path): ["wrong key", []], "x": 1})),
        zlib.compress(marshal.dumps({str(path): [1, 2, 3]})),
        zlib.compress(marshal.dumps([1, 2])),
        marshal.dumps({str(path): [1, 2, 3]}),  # not compressed
    ):
        for entry in entries:
            entry.write_bytes(doctored)
        assert run_cli(path).out == first.out
    # An entry of the right key but another shape is a miss too.
    shard = marshal.loads(zlib.decompress(stored))
    key = next(iter(shard.values()))[0]
    for entry_value in ([key, [(1, 2)]], [key, [None]], [key, "x"]):
        for entry in entries:
            entry.write_bytes(zlib.compress(marshal.dumps({str(path): entry_value, "m.yaml": entry_value})))
        assert run_cli(path).out == first.out


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_unwritable_cache_folder_never_fails_a_run(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("m.yaml", CONFIG.format(hidden=8))
    tmp_path.chmod(0o555)
    try:
        result = run_cli(path)
    finally:
        tmp_path.chmod(0o755)
    assert result.code == 0 and "RNN100" in result.out and not result.err


def test_cache_path_that_is_a_file_never_fails_a_run(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Works as root too: the cache folder's name is taken by a file, so nothing can be written.
    (tmp_path / ".rnnlint_cache").write_text("not a folder", encoding="utf-8")
    path = write("m.yaml", CONFIG.format(hidden=8))
    first = run_cli(path)
    second = run_cli(path)
    assert first.code == second.code == 0 and first.out == second.out and not first.err


def test_no_cache_writes_nothing(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("m.yaml", CONFIG.format(hidden=8))
    assert run_cli("--no-cache", path).code == 0
    assert not (tmp_path / ".rnnlint_cache").exists()
    assert run_cli("count", "--no-cache", path).code == 0
    assert not (tmp_path / ".rnnlint_cache").exists()


def test_cached_results_keep_source_lines_for_formats_that_quote_them(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("m.yaml", CONFIG.format(hidden=8))
    first = run_cli("--format", "full", path)
    second = run_cli("--format", "full", path)
    assert first.out == second.out and "- type: lstm" in second.out


def test_jsonnet_and_stdin_are_not_cached(run_cli, write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    cache = cache_module.Cache(str(tmp_path), "settings")
    assert cache.key("a.jsonnet", "{}") is None and cache.key("-", "x") is None
    assert cache.key("a.yaml", "x") != cache.key("a.yaml", "y") != cache.key("b.yaml", "y")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CONFIG.format(hidden=8).encode())))
    assert run_cli("-").code == 0
    assert not (tmp_path / ".rnnlint_cache").exists()


def test_an_entry_gives_back_the_same_result() -> None:
    from rnnlint.result import LayerResult, Violation

    result = FileResult(
        path="m.yaml", dialect="native", framework="keras", total_params=10, recurrent_params=8, complete=False,
        layers=[LayerResult("a", "lstm", 3, 5, 8, True, "4 x [1x(0+1) + 1]", 4)],
        diagnostics=[Violation("RNN100", "note", "a: 8 params", 3, 5, 3, 9)], skipped=False, skip_reason="",
        document=1, limits={"max_params": (5.0, "--max-params")}, source_text="text",
    )
    entry = marshal.loads(marshal.dumps(cache_module._encode(result)))
    assert cache_module._decode(entry, "text") == result
    assert cache_module._decode(entry, "text").source_text == "text"
