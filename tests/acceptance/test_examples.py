"""Example folders run through the real console script (check-jsonschema's tests/acceptance/test_example_files.py).

``tests/examples/positive/<dialect>/`` holds small valid configs of each dialect: each must lint with exit 0 and
give the counts in the folder's ``expected.json``. ``tests/examples/negative/<RULE CODE>/`` holds configs that must
produce that rule's code at the line:column in the sidecar. Each layer's count in a sidecar comes with
``by_hand``, its derivation from the formulas, so a sidecar number is checked twice: against the arithmetic and
against what rnnlint prints. How to add a case: tests/examples/README.md.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from rnnlint.app.main import main
from rnnlint.dialects import names as dialect_names
from rnnlint.rules import all_rules

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
POSITIVE = EXAMPLES / "positive"
NEGATIVE = EXAMPLES / "negative"
SIDECAR = "expected.json"
SUFFIXES = {".yaml", ".yml", ".json", ".jsonnet"}
# What every case runs with: the JSON report, no cache written beside the examples, no configuration file read.
BASE_ARGS = ["--format", "json", "--no-cache", "--isolated"]
CASE_KEYS = {
    "args",
    "base",
    "exit_code",
    "dialect",
    "total_params",
    "counted_params",
    "complete",
    "layers",
    "diagnostics",
    "message",
    "xfail",
}


class Case(NamedTuple):
    folder: Path
    name: str
    expected: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.folder.name}/{self.name}"


def _cases(root: Path) -> list[Case]:
    cases: list[Case] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        sidecar = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
        cases.extend(Case(folder, name, expected) for name, expected in sorted(sidecar.items()))
    return cases


POSITIVE_CASES = _cases(POSITIVE)
NEGATIVE_CASES = _cases(NEGATIVE)
ALL_CASES = POSITIVE_CASES + NEGATIVE_CASES


def _params(cases: list[Case]) -> list[Any]:
    # A sidecar states what is right; where rnnlint is known to differ, "xfail" says why (strict: a fix shows).
    return [
        pytest.param(c, id=c.id, marks=pytest.mark.xfail(reason=c.expected["xfail"], strict=True))
        if "xfail" in c.expected
        else pytest.param(c, id=c.id)
        for c in cases
    ]


def _arithmetic(expression: str) -> int:
    """Evaluate a by_hand derivation: integers, + - * // and parentheses, nothing else."""

    def value(node: ast.expr) -> int:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.BinOp):
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, ast.FloorDiv):
                return left // right
        raise ValueError(f"not plain integer arithmetic: {ast.unparse(node)!r} in {expression!r}")

    return value(ast.parse(expression, mode="eval").body)


def _run(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, dict[str, Any], str]:
    """Copy the case's folder to tmp_path and lint the case there with the console script's main(argv)."""
    work = tmp_path / case.folder.name
    shutil.copytree(case.folder, work)
    # From inside the copy, as a user runs it: git (for --diff-base) and the project root are the copy's.
    monkeypatch.chdir(work)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    args = [*BASE_ARGS, *case.expected.get("args", [])]
    base = case.expected.get("base")
    if base is not None:
        # A rule that compares with a git base (RNN107): commit the base under the case's name, then change it.
        shutil.copyfile(work / base, work / case.name)
        commit = ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]
        for git_args in (["init", "-q"], ["add", "-A"], commit):
            subprocess.run(["git", "-C", str(work), *git_args], check=True, capture_output=True)
        shutil.copyfile(case.folder / case.name, work / case.name)
        args += ["--diff-base", "HEAD"]
    capsys.readouterr()
    try:
        code = main([*args, case.name])
    except SystemExit as exit_:  # click may end a run this way
        code = exit_.code if isinstance(exit_.code, int) else 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err, captured.err
    report = json.loads(captured.out)
    [file_report] = report["files"]
    return code, file_report, captured.err


def _check(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    if case.name.endswith(".jsonnet"):
        pytest.importorskip("_jsonnet")
    expected = case.expected
    code, got, err = _run(case, tmp_path, capsys, monkeypatch)
    shown = json.dumps(got, indent=1)
    assert code == expected["exit_code"], f"exit {code}, stderr {err!r}\n{shown}"
    diagnostics = [f"{d['code']} {d['line']}:{d['column']}" for d in got["diagnostics"]]
    assert diagnostics == expected["diagnostics"], shown
    for key in ("dialect", "total_params", "counted_params", "complete"):
        if key in expected:
            assert got[key] == expected[key], f"{key}: {got[key]!r}\n{shown}"
    if "layers" in expected:
        layers = [{"name": layer["name"], "params": layer["params"]} for layer in got["layers"]]
        assert layers == [{"name": e["name"], "params": e["params"]} for e in expected["layers"]], shown
    return got


@pytest.mark.parametrize("case", _params(POSITIVE_CASES))
def test_positive_example(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert case.expected["exit_code"] == 0
    got = _check(case, tmp_path, capsys, monkeypatch)
    assert got["dialect"] == case.folder.name, "a positive folder is named after the dialect its files are read as"
    assert not got["skipped"]


@pytest.mark.parametrize("case", _params(NEGATIVE_CASES))
def test_negative_example(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    got = _check(case, tmp_path, capsys, monkeypatch)
    code = case.folder.name
    own = [d for d in got["diagnostics"] if d["code"] == code]
    assert own, f"{code} did not fire"
    if "message" in case.expected:
        assert any(case.expected["message"] in d["message"] for d in own), [d["message"] for d in own]


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_sidecar_is_consistent(case: Case) -> None:
    """What a sidecar says is derived, not pasted: each layer's count is its by_hand arithmetic."""
    expected = case.expected
    assert set(expected) <= CASE_KEYS, f"unknown keys {set(expected) - CASE_KEYS}"
    assert (case.folder / case.name).is_file()
    for layer in expected.get("layers", []):
        if layer["params"] is None:
            assert layer["by_hand"] is None
        else:
            assert _arithmetic(layer["by_hand"]) == layer["params"], layer
    known = [layer["params"] for layer in expected.get("layers", [])]
    if expected.get("complete"):
        assert expected["total_params"] == sum(known), "a whole model's total is the sum of its layers"
    if "counted_params" in expected and known and None not in known:
        assert expected["counted_params"] == sum(known)
    if case.folder.parent == NEGATIVE:
        code = case.folder.name
        assert any(d.startswith(f"{code} ") for d in expected["diagnostics"]), f"the case must expect {code}"
        rule = {r.CODE: r for r in all_rules()}[code]
        fails = rule.SEVERITY == "error" or (rule.SEVERITY == "warning" and "--strict" in expected.get("args", []))
        assert expected["exit_code"] == (1 if fails else 0), "errors (and warnings with --strict) fail the run"


def test_every_dialect_has_a_positive_folder() -> None:
    assert {p.name for p in POSITIVE.iterdir() if p.is_dir()} == set(dialect_names())


def test_every_rule_has_a_negative_folder() -> None:
    # Every rule can fire from a file (RNN107 with a committed base, the rest from the file and its arguments).
    assert {p.name for p in NEGATIVE.iterdir() if p.is_dir()} == {r.CODE for r in all_rules()}


@pytest.mark.parametrize(
    "folder",
    sorted(p for root in (POSITIVE, NEGATIVE) for p in root.iterdir()),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_example_file_is_a_case(folder: Path) -> None:
    """No file sits in a folder without a sidecar entry (it would never run), and every entry has its file."""
    assert folder.is_dir(), f"{folder} is not a folder"
    sidecar = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
    assert sidecar, f"{folder} has no case"
    bases = {Path(e["base"]) for e in sidecar.values() if "base" in e}
    files = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and p.name != SIDECAR}
    assert files == {Path(name) for name in sidecar} | bases
    assert all(p.suffix in SUFFIXES for p in files)
