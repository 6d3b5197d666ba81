"""The results cache through the CLI: hits give the same output; edits, configuration and rnnlint's version
invalidate; a broken cache never fails a run."""

from __future__ import annotations

import io
import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from rnnlint.result import FileResult
from rnnlint.run import cache as cache_module

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


def _shards(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / ".rnnlint_cache" / cache_module.FORMAT).glob("*.bin"))


def _doctor(shard: Path, plain_message: str | None = None, results_message: str | None = None) -> None:
    """Rewrite every entry's first diagnostic message in the stored text and/or stored results."""
    stored = cache_module.load_shard(str(shard))
    assert stored.plain
    results = cache_module.load_results(stored.results)
    for path, entry in stored.plain.items():
        if plain_message is not None:
            first, *rest = entry[1].split("\n")
            entry[1] = "\n".join([first.split(" RNN")[0] + " RNN100 " + plain_message, *rest])
        if results_message is not None:
            result = list(results[path][1][0])
            diagnostics = result[FileResult.FIELDS.index("diagnostics")]
            diagnostics[0] = (*diagnostics[0][:2], results_message, *diagnostics[0][3:])
            results[path][1][0] = tuple(result)
    blob = cache_module.pack_results(results)
    cache_module.write_shard(str(shard), cache_module.Shard(stored.plain, blob))


def test_second_run_is_served_from_the_cache_with_the_same_output(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        write(f"configs/m{i}.yaml", CONFIG.format(hidden=8 + i))
    first = run_cli("--isolated", "configs")
    folder = tmp_path / ".rnnlint_cache"
    assert folder.is_dir() and (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert _shards(tmp_path)  # written on the first run
    assert run_cli("--isolated", "configs").out == first.out
    first_json = run_cli("--isolated", "--format", "json", "configs")
    assert first_json.out == run_cli("--isolated", "--no-cache", "--format", "json", "configs").out
    # Doctor the stored entries: a run that prints a doctored message was served from the cache,
    # the text format from the stored text, every other format from the stored results.
    for shard in _shards(tmp_path):
        _doctor(shard, plain_message="text from the cache", results_message="results from the cache")
    second = run_cli("--isolated", "configs")
    assert second.out.count("text from the cache") == 3 and "results from the cache" not in second.out
    assert second.out.splitlines()[-1] == first.out.splitlines()[-1]  # the summary, from the stored counts
    as_json = run_cli("--isolated", "--format", "json", "configs").out
    assert as_json.count("results from the cache") == 3 and "text from the cache" not in as_json
    fresh = run_cli("--isolated", "--no-cache", "configs")
    assert fresh.out == first.out and "from the cache" not in fresh.out


def test_a_shard_holds_only_its_own_directory(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for folder in ("a", "b", "c"):
        for i in range(2):
            write(f"t/{folder}/m{i}.yaml", CONFIG.format(hidden=8 + i))
    run_cli("--isolated", "t")
    shards = [cache_module.load_shard(str(shard)) for shard in _shards(tmp_path)]
    held = sorted(sorted(shard.plain) for shard in shards)
    assert held == [[f"t/{folder}/m0.yaml", f"t/{folder}/m1.yaml"] for folder in ("a", "b", "c")]
    for shard in shards:
        assert sorted(cache_module.load_results(shard.results)) == sorted(shard.plain)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _coloured(run_cli, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:  # type: ignore[no-untyped-def]
    terminal = _Terminal()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", terminal)
        patch.delenv("NO_COLOR")
        run_cli(*args)
    return terminal.getvalue()


def test_text_with_and_without_colour_from_one_cache(
    run_cli,
    write,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for i in range(3):
        write(f"configs/m{i}.yaml", CONFIG.format(hidden=8 + i) + "      dropout: 0.5\n")
    plain = run_cli("--isolated", "--no-cache", "configs").out
    colour = _coloured(run_cli, monkeypatch, "--isolated", "--no-cache", "configs")
    assert "\033[" in colour and "\033[" not in plain
    # A coloured first run stores the plain text; later runs of either kind are served from it.
    assert _coloured(run_cli, monkeypatch, "--isolated", "configs") == colour
    assert _shards(tmp_path)
    assert run_cli("--isolated", "configs").out == plain
    assert _coloured(run_cli, monkeypatch, "--isolated", "configs") == colour
    assert run_cli("--isolated", "configs").out == plain


def test_other_formats_after_a_text_run(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        write(f"configs/m{i}.yaml", CONFIG.format(hidden=8 + i))
    run_cli("--isolated", "configs")
    for fmt in ("json", "full", "sarif", "github", "text"):
        fresh = run_cli("--isolated", "--no-cache", "--format", fmt, "configs")
        cached = run_cli("--isolated", "--format", fmt, "configs")
        assert (cached.code, cached.out) == (fresh.code, fresh.out), fmt


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the forked workers run on Linux only")
def test_forked_workers_write_text_hits_without_decoding(
    run_cli,
    write,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for i in range(80):
        write(f"many/d{i % 2}/m{i:02d}.yaml", CONFIG.format(hidden=4 + i % 30))
    first = run_cli("--isolated", "-j", "0", "many")
    assert first.out == run_cli("--isolated", "--no-cache", "-j", "1", "many").out

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("decoded or linted again")

    from rnnlint import engine

    # Forked workers inherit these: a text run served from the cache neither lints nor decodes.
    monkeypatch.setattr(engine, "lint_parsed", refuse)
    monkeypatch.setattr(cache_module.Cache, "get", refuse)
    for jobs in ("0", "2", "1"):
        again = run_cli("--isolated", "-j", jobs, "many")
        assert (again.code, again.out, again.err) == (first.code, first.out, first.err)


def test_edits_config_changes_and_rnnlint_changes_invalidate(
    run_cli,
    write,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
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


def _framed(value: Any) -> bytes:
    """``value`` as a shard file holds it: CRC-32 of the payload, then the payload."""
    payload = marshal.dumps(value)
    return zlib.crc32(payload).to_bytes(4, "little") + payload


def test_corrupt_cache_files_are_misses(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("m.yaml", CONFIG.format(hidden=8) + "      dropout: 0.5\n")
    first = run_cli(path)
    first_json = run_cli("--format", "json", path)
    [entry] = _shards(tmp_path)
    stored = entry.read_bytes()
    shard = cache_module.load_shard(str(entry))
    [key] = {value[0] for value in shard.plain.values()}
    flipped = bytearray(stored)
    flipped[len(stored) // 2] ^= 0x20  # one bit, mid-shard: the CRC catches it
    results = cache_module.load_results(shard.results)
    good_blob = shard.results
    doctored_shards = [
        stored[: len(stored) // 2],  # truncated
        bytes(flipped),
        b"\xff" + stored,  # not a shard
        b"",
        _framed([1, 2]),
        _framed(({str(path): ["wrong key", "x\n", []]}, good_blob)),
        _framed(({str(path): [key, 1, []]}, good_blob)),  # text of the wrong type
        _framed(({str(path): [key, "x\n", [(1, 2)]]}, good_blob)),  # a tally key of the wrong shape
        _framed(({str(path): [key, "x\n", [(False, 0, 0, "1", 0)]]}, good_blob)),
        _framed(({str(path): [key, "x\n"]}, good_blob)),
        _framed(({str(path): [key, "x\n", []]}, b"not marshal")),  # text served; results a miss
        _framed(({str(path): [key, "x\n", []]}, cache_module.pack_results({str(path): [key, [(1, 2)]]}))),
        _framed(({str(path): [key, "x\n", []]}, cache_module.pack_results({str(path): [key, "x"]}))),
        _framed(({str(path): [key, "x\n", []]}, cache_module.pack_results({str(path): ["other", results]}))),
    ]
    for doctored in doctored_shards:
        entry.write_bytes(doctored)
        out = run_cli(path).out
        # A well-formed entry under the right key is a hit for the text format (its stored text);
        # every other shard is a miss.
        assert out == first.out or (out.startswith("x\n") and b"x\n" in doctored), doctored[:40]
        entry.write_bytes(doctored)
        assert run_cli("--format", "json", path).out == first_json.out
        # That run found no usable results, linted again and replaced the whole entry.
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


def test_a_new_format_removes_only_the_folders_of_earlier_formats(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("m.yaml", CONFIG.format(hidden=8))
    folder = tmp_path / ".rnnlint_cache"
    old = folder / "3"
    old.mkdir(parents=True)
    (old / "0123.bin").write_bytes(b"an entry of an earlier rnnlint")
    (folder / "notes").mkdir()  # not a format folder: kept
    (folder / "17.txt").write_text("kept")  # not a folder: kept
    first = run_cli(path)
    assert not old.exists()
    assert (folder / cache_module.FORMAT).is_dir()
    assert (folder / "notes").is_dir() and (folder / "17.txt").read_text() == "kept"
    assert run_cli(path).out == first.out  # and the new entries serve the next run


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
        path="m.yaml",
        dialect="native",
        framework="keras",
        total_params=10,
        recurrent_params=8,
        complete=False,
        layers=[LayerResult("a", "lstm", 3, 5, 8, True, "4 x [1x(0+1) + 1]", 4)],
        diagnostics=[Violation("RNN100", "note", "a: 8 params", 3, 5, 3, 9)],
        skipped=False,
        skip_reason="",
        document=1,
        limits={"max_params": (5.0, "--max-params")},
        source_text="text",
    )
    entry = marshal.loads(marshal.dumps(cache_module._encode(result)))
    assert cache_module._decode(entry, "text") == result
    assert cache_module._decode(entry, "text").source_text == "text"


def test_keys_are_standard_blake2b_from_hashlib_not_a_private_module() -> None:
    import ast

    # The published BLAKE2b-256 of "abc" (digest_size=32): the hasher is the one _blake2 gave, so keys
    # written before the switch to hashlib stay valid and the FORMAT did not need a bump.
    abc = "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
    assert cache_module._hash(b"abc").hexdigest() == abc
    tree = ast.parse(Path(cache_module.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "hashlib" in imported
    assert not [name for name in imported - {"__future__"} if name.startswith("_")], "a private stdlib module"
