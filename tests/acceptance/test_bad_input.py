"""Bad input: every file in tests/acceptance/bad_input/ (and the large ones generated here) gets a located
diagnostic and an exit code through the real CLI, never a traceback, and is never written to."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnlint.parse.document import Tagged
from rnnlint.parse.limits import MAX_NESTING_DEPTH
from rnnlint.parse.source import DEFAULT_MAX_FILE_BYTES
from rnnlint.parse.yaml import parse_yaml
from rnnlint.parse.yaml.limits import _surely_shallow
from tests.conftest import CliResult

BAD_INPUT = Path(__file__).resolve().parent / "bad_input"

# file -> (exit code, [(code, line, column, text in the message)]); an empty list means the file
# was skipped (not a model config) or linted clean; RNN100 notes are not listed.
TABLE: dict[str, tuple[int, list[tuple[str, int, int, str]]]] = {
    "malformed_flow.yaml": (1, [("RNN001", 3, 1, "did not find expected ',' or ']'")]),
    "malformed_indent.yaml": (1, [("RNN001", 4, 4, "did not find expected key")]),
    "malformed_tab.yaml": (1, [("RNN001", 2, 1, "cannot start any token")]),
    "undefined_alias.yaml": (1, [("RNN001", 1, 8, "undefined alias")]),
    "unterminated_string.yaml": (1, [("RNN001", 2, 1, "unexpected end of stream")]),
    "bad_binary_tag.yaml": (1, [("RNN001", 1, 4, "base64")]),
    "bad_timestamp.yaml": (1, [("RNN001", 2, 7, "month must be in 1..12")]),
    "unhashable_key.yaml": (1, [("RNN001", 1, 3, "unhashable key")]),
    "recursive_alias.yaml": (1, [("RNN001", 1, 4, "contains it (a cycle)")]),
    "trailing_comma.json": (1, [("RNN001", 1, 28, "JSON syntax error")]),
    "truncated.json": (1, [("RNN001", 2, 1, "JSON syntax error")]),
    "bare_key.json": (1, [("RNN001", 1, 2, "property name enclosed in double quotes")]),
    "single_quotes.json": (1, [("RNN001", 1, 2, "property name enclosed in double quotes")]),
    "empty.json": (1, [("RNN001", 1, 1, "Expecting value")]),
    "empty.yaml": (0, []),
    "comments_only.yaml": (0, []),
    "invalid_utf8.yaml": (1, [("RNN001", 6, 20, "invalid UTF-8: byte 0xff")]),
    "nul_bytes.yaml": (1, [("RNN001", 2, 1, "binary file")]),
    "png_named.json": (1, [("RNN001", 3, 1, "binary file")]),
    "crlf.yaml": (0, []),
    "lone_cr.yaml": (0, []),
    "lone_cr.json": (0, []),
    "utf8_bom.yaml": (0, []),
    "utf16_bom.yaml": (0, []),
    "utf16_bom.json": (0, []),
    "duplicate_key.yaml": (1, [("RNN003", 7, 7, "duplicate key 'hidden_size': line 5 sets it first")]),
    "duplicate_key.json": (1, [("RNN003", 3, 15, "duplicate key 'hidden_size': line 2 sets it first")]),
    "merge_override.yaml": (0, []),
    "multi_document.yaml": (1, [("RNN002", 13, 20, "True is not of type 'integer' (booleans are not numbers)")]),
    "yaml11_5e6.yaml": (1, [("RNN004", 5, 20, "reads 5e6 as the string '5e6', not a number; write 5000000")]),
    "yaml11_1em6.yaml": (1, [("RNN004", 5, 20, "reads 1e-6 as the string '1e-6'")]),
    "yaml11_1c000.yaml": (1, [("RNN004", 5, 20, "a comma makes 1,000 the string '1,000' in YAML; write 1000")]),
    "yaml11_on.yaml": (1, [("RNN004", 5, 20, "reads on as the boolean true, not a number")]),
    "yaml11_off.yaml": (1, [("RNN004", 5, 20, "reads off as the boolean false, not a number")]),
    "yaml11_yes.yaml": (1, [("RNN004", 5, 20, "reads yes as the boolean true")]),
    "yaml11_010.yaml": (1, [("RNN004", 5, 20, "reads 010 as the octal number 8; write 10")]),
    "yaml11_1t30.yaml": (1, [("RNN004", 5, 20, "reads 1:30 as the base-60 number 90; write 90")]),
    "yaml11__inf.yaml": (1, [("RNN004", 5, 20, ".inf is not a finite number")]),
    "yaml11__nan.yaml": (1, [("RNN004", 5, 20, ".nan is not a finite number")]),
    "yaml11_rate.yaml": (1, [("RNN004", 6, 16, "reads 1e-1 as the string '1e-1', not a number; write 0.1")]),
    "size_true.yaml": (1, [("RNN002", 5, 20, "True is not of type 'integer'")]),
    "size_m4.yaml": (1, [("RNN002", 5, 20, "-4 is less than the minimum of 1")]),
    "size_0.yaml": (1, [("RNN002", 5, 20, "0 is less than the minimum of 1")]),
    "size_256d5.yaml": (1, [("RNN002", 5, 20, "256.5 is not of type 'integer'")]),
    "size_q128q.yaml": (1, [("RNN002", 5, 20, "'128' is not of type 'integer'")]),
    "size_100_digits.yaml": (1, [("RNN004", 5, 20, "a 100-digit integer does not fit in 64 bits")]),
    "size_nan.json": (1, [("RNN004", 1, 72, "nan is not a finite number")]),
    "size_infinity.json": (1, [("RNN004", 1, 72, "inf is not a finite number")]),
    "python_apply_open.yaml": (0, []),
    "python_apply_system.yaml": (0, []),
    "python_name.yaml": (0, []),
}


def lint(run_cli: Any, *args: str | os.PathLike[str]) -> tuple[CliResult, list[dict[str, Any]]]:
    result = run_cli("--isolated", "--format", "json", *args)
    assert "Traceback" not in result.out + result.err
    files: list[dict[str, Any]] = result.json()["files"] if result.out else []
    return result, files


def findings(files: list[dict[str, Any]]) -> list[tuple[str, int, int, str]]:
    return [
        (d["code"], d["line"], d["column"], d["message"])
        for f in files
        for d in f["diagnostics"]
        if d["code"] != "RNN100"
    ]


def test_the_table_covers_the_folder() -> None:
    assert sorted(p.name for p in BAD_INPUT.iterdir()) == sorted(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_bad_input_file(run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    expected_exit, expected = TABLE[name]
    result, files = lint(run_cli, BAD_INPUT / name)
    assert result.code == expected_exit, result.out
    found = findings(files)
    assert [f[:3] for f in found] == [e[:3] for e in expected], found
    for (_, _, _, message), (*_, fragment) in zip(found, expected, strict=True):
        assert fragment in message


def test_line_ends_and_byte_order_marks_keep_positions(run_cli) -> None:  # type: ignore[no-untyped-def]
    for name in ("crlf.yaml", "lone_cr.yaml", "utf8_bom.yaml", "utf16_bom.yaml"):
        _, files = lint(run_cli, BAD_INPUT / name)
        assert [(layer["line"], layer["column"], layer["params"]) for layer in files[0]["layers"]] == [(4, 7, 224)]
    _, files = lint(run_cli, BAD_INPUT / "lone_cr.json")
    assert [(layer["line"], layer["params"]) for layer in files[0]["layers"]] == [(3, 224)]


def test_documents_are_linted_apart_with_their_own_line_numbers(run_cli) -> None:  # type: ignore[no-untyped-def]
    _, files = lint(run_cli, BAD_INPUT / "multi_document.yaml")
    assert [f["document"] for f in files] == [0, 1]
    assert files[0]["layers"][0]["line"] == 5 and files[0]["diagnostics"][0]["code"] == "RNN100"
    assert files[0]["total_params"] == 224
    assert [d["code"] for d in files[1]["diagnostics"]] == ["RNN002"] and files[1]["total_params"] is None


def test_merge_keys_are_overrides_not_duplicates(run_cli) -> None:  # type: ignore[no-untyped-def]
    _, files = lint(run_cli, BAD_INPUT / "merge_override.yaml")
    assert [layer["params"] for layer in files[0]["layers"]] == [70_656, 395_264]


def test_duplicate_keys_count_with_the_last_value(run_cli) -> None:  # type: ignore[no-untyped-def]
    # The count follows what the toolkit reads (the last value); RNN003 says the first was lost.
    _, files = lint(run_cli, BAD_INPUT / "duplicate_key.yaml")
    assert files[0]["layers"][0]["params"] == 798_720


# --------------------------------------------------------------------------- code never runs


@pytest.mark.parametrize("name", ["python_apply_open.yaml", "python_apply_system.yaml", "python_name.yaml"])
def test_python_tags_are_never_constructed(run_cli, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "rnnlint-was-here"  # the tests run in tmp_path (conftest)
    result, files = lint(run_cli, BAD_INPUT / name)
    assert result.code == 0 and files[0]["skipped"]
    assert not marker.exists()


def test_the_unsafe_loader_would_have_run_the_tag(tmp_path: Path) -> None:
    # Proves the test above can fail: PyYAML's unsafe loader really creates the file.
    marker = tmp_path / "rnnlint-was-here"
    handle = yaml.unsafe_load((BAD_INPUT / "python_apply_open.yaml").read_text(encoding="utf-8"))["model"]
    handle.close()
    assert marker.exists()


def test_tagged_values_stay_inert() -> None:
    documents, problems = parse_yaml((BAD_INPUT / "python_name.yaml").read_text(encoding="utf-8"))
    assert not problems
    data = documents[0].data
    assert data["hook"] == Tagged("tag:yaml.org,2002:python/name:os.system", "")
    assert data["obj"] == Tagged("tag:yaml.org,2002:python/object:collections.OrderedDict", {"a": 1})


# --------------------------------------------------------------------------- large, generated here


def _billion_laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\nmodel:\n  layers: *a9\n"


def _merge_bomb(levels: int = 12) -> str:
    lines = ["m0: &m0 {x: 1, y: 2}"]
    for i in range(1, levels):
        lines.append(f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 8)}]}}")
    return "\n".join(lines) + "\n"


LARGE: dict[str, tuple[str | bytes, int, str, tuple[int, int]]] = {
    # name -> (content, exit, message fragment, (line, column))
    "deep_flow.yaml": ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", 1, "nesting deeper than 100 levels", (1, 103)),
    "deep_block.yaml": (
        "".join(" " * i + f"k{i}:\n" for i in range(3000)) + " " * 3000 + "v: 1\n",
        1,
        "nesting deeper than 100 levels",
        (101, 101),
    ),
    "deep_compact.yaml": ("- " * 40_000 + "x\n", 1, "nesting deeper than 100 levels", (1, 201)),
    "deep_mixed.yaml": (
        "a:\n" + "  - " * 60 + "[" * 60 + "]" * 60 + "\n",
        1,
        "nesting deeper than 100 levels",
        (2, 280),
    ),
    "deep.json": ('{"a": ' * 50_000 + "1" + "}" * 50_000, 1, "nesting deeper than 100 levels", (1, 601)),
    "deep_array.json": ("[" * 200_000 + "]" * 200_000, 1, "nesting deeper than 100 levels", (1, 101)),
    "billion_laughs.yaml": (_billion_laughs(), 1, "aliases expand to more than 100,000 nodes", (6, 5)),
    "merge_bomb.yaml": (_merge_bomb(), 1, "aliases expand to more than 100,000 nodes", (6, 14)),
    "alias_depth.yaml": (
        "a: &a " + "[" * 90 + "1" + "]" * 90 + "\nb: " + "[" * 20 + "*a" + "]" * 20 + "\n",
        1,
        "aliases nest deeper than 100 levels",
        (2, 14),
    ),
    "huge_integer.yaml": ("model:\n  input_size: " + "9" * 5000 + "\n", 1, "more than 4,300 digits", (2, 15)),
    "huge_integer.json": ('{"model": {"input_size": ' + "9" * 5000 + "}}", 1, "more than 4,300 digits", (1, 26)),
}


@pytest.mark.parametrize("name", sorted(LARGE))
def test_large_bad_input(run_cli, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    content, expected_exit, fragment, (line, column) = LARGE[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8") if isinstance(content, str) else path.write_bytes(content)
    started = time.perf_counter()
    result, files = lint(run_cli, path)
    elapsed = time.perf_counter() - started
    assert result.code == expected_exit
    assert [(code, ln, col) for code, ln, col, _ in findings(files)] == [("RNN001", line, column)]
    assert fragment in findings(files)[0][3]
    assert elapsed < 5, f"{name} took {elapsed:.1f}s"


def test_nesting_just_under_the_limit_is_read(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "deep_ok.yaml"
    path.write_text("model: " + "[" * 99 + "]" * 99 + "\n", encoding="utf-8")
    result, files = lint(run_cli, path)
    assert result.code == 0 and files[0]["skipped"]


def test_megabyte_lines_are_read(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "long_lines.yaml"
    name = "x" * 3_000_000
    path.write_text(
        f"model:\n  name: {name}\n  input_size: 8\n  layers:\n    - {{type: lstm, hidden_size: 4, name: '{name}'}}\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    result, files = lint(run_cli, path)
    assert result.code == 0 and files[0]["layers"][0]["params"] == 224
    assert time.perf_counter() - started < 5


def test_size_cap_from_the_command_line_and_the_config(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "config.yaml"
    path.write_text("model:\n  input_size: 8\n  layers:\n    - {type: lstm, hidden_size: 4}\n", encoding="utf-8")
    result, files = lint(run_cli, "--max-file-bytes", "20", path)
    assert result.code == 1
    assert findings(files) == [
        (
            "RNN001",
            1,
            1,
            "file is larger than the size cap of 20 bytes; not read (raise it with max_file_bytes or --max-file-bytes)",
        )
    ]
    (tmp_path / "rnnlint.toml").write_text("max_file_bytes = 30\n", encoding="utf-8")
    result = run_cli("--format", "json", path)
    assert "size cap of 30 bytes" in result.out and result.code == 1
    result = run_cli("--format", "json", "--max-file-bytes", "1000", path)
    assert result.code == 0
    assert run_cli("--max-file-bytes", "0", path).code == 2  # a usage error


def test_default_size_cap(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * DEFAULT_MAX_FILE_BYTES + b"\n")
    result, files = lint(run_cli, path)
    assert result.code == 1 and "size cap of 10,485,760 bytes" in findings(files)[0][3]


# --------------------------------------------------------------------------- the file system


def test_missing_path_exits_2(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(tmp_path / "nope.yaml")
    assert result.code == 2 and "nope.yaml: no such file or directory" in result.err
    assert "Traceback" not in result.err


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail instead of hanging if something blocks (a FIFO opened for reading)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def _timeout(signum: int, frame: Any) -> None:
        raise TimeoutError("rnnlint blocked")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_never_opened_for_a_blocking_read(run_cli, tmp_path: Path, alarm: None) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "ok.yaml").write_text("model:\n  input_size: 8\n  layers: [{type: gru, hidden_size: 4}]\n")
    result, files = lint(run_cli, tmp_path)  # walked: skipped
    assert result.code == 0 and [Path(f["path"]).name for f in files] == ["ok.yaml"]
    result, files = lint(run_cli, fifo)  # named: reported, not read
    assert result.code == 1 and findings(files) == [("RNN001", 1, 1, "not a regular file (a FIFO); not read")]


def test_symlink_loops_and_dangling_links(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "up").symlink_to(tree, target_is_directory=True)  # a directory loop
    (tree / "a.yaml").symlink_to(tree / "b.yaml")  # a file loop
    (tree / "b.yaml").symlink_to(tree / "a.yaml")
    (tree / "gone.yaml").symlink_to(tree / "missing.yaml")
    (tree / "sub" / "ok.yaml").write_text("model:\n  input_size: 8\n  layers: [{type: gru, hidden_size: 4}]\n")
    result, files = lint(run_cli, tree)
    # Met by the walk, broken links are skipped with their reason (see tests/acceptance/test_walk_skip.py).
    assert result.code == 0
    by_name = {Path(f["path"]).name: f for f in files}
    assert set(by_name) == {"a.yaml", "b.yaml", "gone.yaml", "ok.yaml"}
    assert by_name["a.yaml"]["skip_reason"] == f"symlink loop: {tree / 'b.yaml'} leads back to itself"
    assert by_name["gone.yaml"]["skip_reason"] == f"dangling symlink: its target {tree / 'missing.yaml'} does not exist"
    assert by_name["ok.yaml"]["layers"][0]["params"] == 168
    # Named, they are reported.
    result, files = lint(run_cli, tree / "a.yaml")
    assert result.code == 1 and "Too many levels of symbolic links" in files[0]["diagnostics"][0]["message"]
    result, files = lint(run_cli, tree / "gone.yaml")
    assert result.code == 1 and "dangling symlink" in files[0]["diagnostics"][0]["message"]


def test_unreadable_file(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # The suite may run as root, which chmod 000 does not stop: the refusal is simulated.
    path = tmp_path / "secret.yaml"
    path.write_text("model: {}\n")
    path.chmod(0)
    real_open = os.open

    def deny(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(file).endswith("secret.yaml"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)  # the one os module: rnnlint.parse.source reads with it
    result, files = lint(run_cli, tmp_path)
    assert result.code == 1
    assert findings(files) == [("RNN001", 1, 1, "cannot read file: Permission denied")]


def test_directory_named_like_a_config(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "dir.yaml" / "inner.yaml").write_text("a: 1\n")
    result, files = lint(run_cli, tmp_path)
    assert result.code == 0 and [Path(f["path"]).name for f in files] == ["inner.yaml"]


def test_file_removed_during_the_walk(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from rnnlint.app import check as runner

    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("model:\n  input_size: 8\n  layers: [{type: gru, hidden_size: 4}]\n")
    real_iter = runner.iter_files

    def iter_and_remove(paths: list[str], settings: Any, settings_for: Any = None) -> Iterator[Any]:
        for candidate in real_iter(paths, settings, settings_for):
            if candidate.path.endswith("b.yaml"):
                os.remove(candidate.path)  # found by the walk, gone before it is read
            yield candidate

    monkeypatch.setattr(runner, "iter_files", iter_and_remove)
    result, files = lint(run_cli, tmp_path)
    assert result.code == 1
    by_name = {Path(f["path"]).name: f for f in files}
    assert by_name["a.yaml"]["layers"][0]["params"] == 168
    assert "removed while rnnlint ran" in by_name["b.yaml"]["diagnostics"][0]["message"]


def test_rnnlint_never_writes_to_a_linted_file(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def snapshot() -> dict[str, tuple[int, bytes]]:
        return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in BAD_INPUT.iterdir()}

    before = snapshot()
    for args in ((), ("--format", "text"), ("--strict",)):
        result = run_cli("--isolated", *args, BAD_INPUT)
        assert result.code == 1 and "Traceback" not in result.err
    assert run_cli("count", "--isolated", BAD_INPUT).code == 1
    assert snapshot() == before
    assert not (tmp_path / "rnnlint-was-here").exists()


def test_jsonnet_import_outside_the_project_root(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("_jsonnet")
    secret = tmp_path / "secret.libsonnet"
    secret.write_text("{ hidden_size: 4 }\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()  # the project root: imports may not leave it
    (project / "model.jsonnet").write_text('local s = import "../secret.libsonnet";\n{ model: s }\n')
    result = run_cli("--isolated", "--format", "json", project / "model.jsonnet")
    assert "Traceback" not in result.out + result.err
    diagnostics = [d for f in result.json()["files"] for d in f["diagnostics"]]
    assert result.code == 1
    assert any(d["code"] == "RNN001" and "outside the project root" in d["message"] for d in diagnostics)


def _nesting_bound(text: str) -> int:
    """The nesting bound as a formula: flow openers plus two per step of the longest leading run."""
    import re

    flow = text.count("[") + text.count("{")
    if flow + len(text) // 2 + 2 <= MAX_NESTING_DEPTH:
        return flow + len(text) // 2 + 2
    lead = max(map(len, re.findall(r"^[ \t?:-]*", text, re.M)), default=0)
    return flow + 2 * (lead + 1)


# Lines with leading runs of spaces and indicators of every length around the limit, and flow openers.
_LINES = st.lists(
    st.tuples(st.integers(0, 80), st.sampled_from([" ", "-", " - ", "? ", ": ", "\t"]), st.text("ab[{:", max_size=30)),
    max_size=30,
).map(lambda lines: "\n".join((lead * n)[:n] + rest for n, lead, rest in lines))


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.one_of(st.text(alphabet=" -?:\t[{\nab", max_size=400), _LINES))
def test_shallow_check_is_the_nesting_bound(text: str) -> None:
    # The pre-parse depth guard only skips the exact (event stream) check when the bound allows it.
    assert _surely_shallow(text) == (_nesting_bound(text) <= MAX_NESTING_DEPTH)


def test_shallow_check_at_the_boundary() -> None:
    for flow in (0, 1, 2, 37, 97, 98, 99, 100, 101):
        for run in range(0, 60):
            text = "[" * flow + "\n" + " " * run + "a\n" + "b" * 300
            assert _surely_shallow(text) == (_nesting_bound(text) <= MAX_NESTING_DEPTH), (flow, run)
