"""The rule registry enforces itself: complete (every module, code, stage and doc entry accounted for, flake8's
tests/unit/test_pyflakes_codes.py), well formed, and a failing and a passing example per rule run through the
console script."""

from __future__ import annotations

import ast
import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from rnnlint import codes
from rnnlint.rules import PHASES, RULE_MODULES, STAGES, Rule, all_rules
from tests.conftest import CliResult

EXAMPLE = re.compile(r"^(Failing|Passing|Base) example[^`]*?:\n\n```(yaml|json)\n(.*?)```", re.S | re.M)
RULES = all_rules()
REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "rnnlint"
RULES_DIR = SRC / "rules"


@pytest.fixture
def console(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run the console script's own entry point (``rnnlint.app.main:main``, the plain-check fast path
    included) in-process; returns the exit code and captured output."""
    from rnnlint.app.main import main

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str | Path) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def examples(doc: str) -> dict[str, tuple[str, str]]:
    return {m.group(1): (m.group(2), m.group(3)) for m in EXAMPLE.finditer(doc)}


# --------------------------------------------------------------------------- completeness


def test_every_rule_module_is_registered() -> None:
    """A rule module left out of RULE_MODULES would never run, and nothing else would notice."""
    import importlib

    assert {p.stem for p in RULES_DIR.glob("rnn*.py")} == set(RULE_MODULES)
    assert len(RULE_MODULES) == len(set(RULE_MODULES))
    # The rules package's other modules are helpers, not rules under another name.
    for path in RULES_DIR.glob("*.py"):
        if path.stem not in RULE_MODULES:
            name = "rnnlint.rules" if path.stem == "__init__" else f"rnnlint.rules.{path.stem}"
            assert not hasattr(importlib.import_module(name), "CODE"), f"{path.name} has a CODE: name it rnnNNN_*.py"


def test_every_code_has_one_rule_and_every_rule_a_code() -> None:
    assert set(codes.CODES) == {r.CODE for r in RULES}
    assert len(set(codes.CODES)) == len(codes.CODES) == len(RULES)
    # Every constant of the codes module is listed in CODES, and names itself.
    assert {n for n in vars(codes) if re.fullmatch(r"RNN\d{3}", n)} == set(codes.CODES)
    for code in codes.CODES:
        assert getattr(codes, code) == code
    # One order everywhere: the codes', the registry's, the docs' and `rnnlint rules`'.
    assert list(codes.CODES) == sorted(codes.CODES) == [r.CODE for r in RULES]


def test_every_rule_declares_exactly_the_protocol() -> None:
    """CODE, NAME, SEVERITY, PHASE and RELAYS, with valid values; no other public constant (a misspelt
    ``RELAY`` or a leftover ``AFTER_SUPPRESSIONS`` would be ignored by the engine)."""
    protocol = set(Rule.__annotations__) - {"__doc__"}
    assert protocol == {"CODE", "NAME", "SEVERITY", "PHASE", "RELAYS"}
    assert all((SRC / stage.split(".")[1]).is_dir() for stage in STAGES)
    for rule in RULES:
        declared = _constants(Path(rule.__file__))  # type: ignore[attr-defined]
        assert declared == protocol, f"{rule.CODE} declares {sorted(declared)}"
        assert rule.PHASE in PHASES, rule.CODE
        assert isinstance(rule.RELAYS, tuple) and set(rule.RELAYS) <= set(STAGES), rule.CODE
        assert len(rule.RELAYS) == len(set(rule.RELAYS)), rule.CODE
        assert callable(rule.check), rule.CODE


def test_codes_are_unique_and_well_formed() -> None:
    names = [r.NAME for r in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert re.fullmatch(r"RNN\d{3}", rule.CODE)
        assert re.fullmatch(r"[a-z][a-z0-9-]+", rule.NAME)
        assert rule.SEVERITY in ("error", "warning", "note")
        module_name = rule.__name__.rsplit(".", 1)[-1]  # type: ignore[attr-defined]
        assert module_name.startswith(rule.CODE.lower()), "a rule module is named after its code"


def _constants(path: Path) -> set[str]:
    """The public upper-case names a module assigns at its top level (imported ones are not its own)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        found.update(t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper() and not t.id.startswith("_"))
    return found


def _code_of(node: ast.expr | None) -> str | None:
    """``codes.RNN001`` -> ``RNN001``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "codes":
        return node.attr
    return None


def _names_bound_to_codes(tree: ast.Module) -> dict[str, set[str]]:
    """The names a module binds to a code: ``CODE = codes.X``, ``A, B = codes.X, codes.Y``, a parameter that
    defaults to one and the keyword arguments that pass one (``code=codes.RNN104``)."""
    bound: dict[str, set[str]] = defaultdict(set)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    pairs = list(zip(target.elts, node.value.elts, strict=True))
                else:
                    pairs = [(target, node.value)] if node.value is not None else []
                for name, value in pairs:
                    if isinstance(name, ast.Name) and (code := _code_of(value)):
                        bound[name.id].add(code)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            positional = [*args.posonlyargs, *args.args]
            with_defaults = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True))
            for arg, default in [*with_defaults, *zip(args.kwonlyargs, args.kw_defaults, strict=True)]:
                if code := _code_of(default):
                    bound[arg.arg].add(code)
        elif isinstance(node, ast.keyword) and node.arg and (code := _code_of(node.value)):
            bound[node.arg].add(code)
    return bound


def problems_made() -> dict[str, set[str]]:
    """Code -> the stages (``rnnlint.parse``, ...) whose source constructs a ``Problem`` with it."""
    made: dict[str, set[str]] = defaultdict(set)
    unresolved: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        if RULES_DIR in path.parents:
            continue
        rel = path.relative_to(SRC)
        stage = "rnnlint." + (rel.parts[0] if len(rel.parts) > 1 else rel.stem)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound = _names_bound_to_codes(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if not (isinstance(func, ast.Name) and func.id == "Problem") and not (
                isinstance(func, ast.Attribute) and func.attr == "Problem"
            ):
                continue
            arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "code"), None)
            code = _code_of(arg)
            found = {code} if code else bound.get(arg.id, set()) if isinstance(arg, ast.Name) else set()
            if not found:
                unresolved.append(f"{rel}:{node.lineno}")
            for one in found:
                made[one].add(stage)
    assert unresolved == [], "name the Problem's code as codes.RNNxxx (or a name bound to it) so this scan sees it"
    return dict(made)


def test_relays_name_every_stage_that_makes_the_code() -> None:
    """A Problem whose rule does not relay its stage would be dropped without a word; a declared stage
    that makes no such Problem is a stale declaration."""
    made = problems_made()
    assert made.get(codes.RNN001) == {"rnnlint.parse"}, "the scan is not vacuous: the readers make RNN001"
    assert set(made) <= set(codes.CODES)
    assert {r.CODE: set(r.RELAYS) for r in RULES if r.RELAYS} == made


def test_the_scan_resolves_each_way_of_naming_a_code() -> None:
    tree = ast.parse(
        "A = codes.RNN001\nB, C = codes.RNN010, codes.RNN011\nD: str = codes.RNN002\n"
        "def f(x, code=codes.RNN003, *, kw=codes.RNN004): ...\nf(1, code=codes.RNN104)\n"
    )
    assert _names_bound_to_codes(tree) == {
        "A": {"RNN001"},
        "B": {"RNN010"},
        "C": {"RNN011"},
        "D": {"RNN002"},
        "code": {"RNN003", "RNN104"},
        "kw": {"RNN004"},
    }


def test_codes_are_named_through_the_codes_module() -> None:
    """A code as a value is ``codes.RNNxxx``, never a string literal, anywhere but codes.py (one source of truth)."""
    literal = re.compile(r"[\"']RNN\d{3}[\"']")
    found = [
        f"{path.relative_to(REPO)}:{n}"
        for root in (REPO / "src", REPO / "tools", REPO / "bench")
        for path in sorted(root.rglob("*.py"))
        if path != SRC / "codes.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert found == []
    assert literal.search("x = 'RNN101'"), "the pattern finds a literal"


def test_every_code_named_in_the_docs_and_source_exists() -> None:
    """Prose that names a code (help texts, messages, docs) names one that exists: a renumbered or removed rule
    leaves no stale reference behind."""
    deliberately_unknown = {"RNN999"}  # the README's example of a code that is a usage error
    files = [REPO / "README.md", *(REPO / "docs").glob("*.md")]
    files += [p for root in ("src", "tools", "bench") for p in sorted((REPO / root).rglob("*.py"))]
    named = {code for path in files for code in re.findall(r"\bRNN\d{3}\b", path.read_text(encoding="utf-8"))}
    assert named - deliberately_unknown == set(codes.CODES)


def test_readme_rule_table_lists_every_rule() -> None:
    """The README's table has one row per rule, in order, each linking to its section of docs/rules.md (that both
    are what tools/gen_rules_doc.py writes is test_reporters.py::test_docs_rules_md_is_current)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = readme.index("<!-- rules:start"), readme.index("<!-- rules:end -->")
    rows = re.findall(
        r"^\| \[(RNN\d{3})\]\(docs/rules\.md#([a-z0-9-]+)\) \| ([a-z0-9-]+) \| (\w+) \|", readme[start:end], re.M
    )
    assert rows == [(r.CODE, f"{r.CODE.lower()}-{r.NAME}", r.NAME, r.SEVERITY) for r in RULES]
    docs = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for code, anchor, name, _ in rows:
        assert f"## {code} {name}\n" in docs, f"README links to docs/rules.md#{anchor}, which has no such section"


# --------------------------------------------------------------------------- the engine reads the declarations


DOC = "model:\n  input_size: 40\n  layers:\n    - type: lstm\n      hidden_size: 64\n"


def _codes_reported(console, path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    result = console("--format", "json", "--no-cache", "--isolated", path)
    assert "Traceback" not in result.err
    return [d["code"] for f in result.json()["files"] for d in f["diagnostics"]]


def test_engine_relays_only_what_a_rule_declares(console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import importlib

    path = tmp_path / "broken.yaml"
    path.write_text(DOC.replace("64", "[64"), encoding="utf-8")
    assert codes.RNN001 in _codes_reported(console, path)
    monkeypatch.setattr(importlib.import_module("rnnlint.rules.rnn001_parse_error"), "RELAYS", ())
    assert codes.RNN001 not in _codes_reported(console, path)


def test_engine_runs_a_rule_in_its_declared_phase(console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import importlib

    path = tmp_path / "unused.yaml"
    path.write_text(DOC.replace("lstm", "lstm  # rnnlint: disable=RNN203"), encoding="utf-8")
    assert codes.RNN011 in _codes_reported(console, path)
    # Run with the other rules, before the suppressions are judged, it has nothing to report.
    monkeypatch.setattr(importlib.import_module("rnnlint.rules.rnn011_unused_suppression"), "PHASE", "main")
    assert codes.RNN011 not in _codes_reported(console, path)


# --------------------------------------------------------------------------- documentation and its examples


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_rule_is_documented(rule) -> None:  # type: ignore[no-untyped-def]
    doc = rule.__doc__ or ""
    assert len(doc.strip().splitlines()[0]) > 10
    found = examples(doc)
    assert set(found) - {"Base"} == {"Failing", "Passing"}, f"{rule.CODE} needs a failing and a passing example"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_rule_examples_through_the_console_script(rule, console, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    found = examples(rule.__doc__ or "")
    extra: list[str] = []
    if "Base" in found:
        # A rule that compares with a git base (RNN107): commit the base under both names first.
        lang, base = found.pop("Base")
        for kind in found:
            (tmp_path / f"{kind.lower()}.{lang}").write_text(base, encoding="utf-8")
        commit = ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]
        for args in (["init", "-q"], ["add", "-A"], commit):
            subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)
        extra = ["--diff-base", "HEAD"]
    assert set(found) == {"Failing", "Passing"}
    for kind, (lang, text) in found.items():
        path = tmp_path / f"{kind.lower()}.{lang}"
        path.write_text(text, encoding="utf-8")
        result = console("--format", "json", "--no-cache", *extra, path)
        assert "Traceback" not in result.err
        reported = [d["code"] for f in result.json()["files"] for d in f["diagnostics"]]
        if kind == "Failing":
            assert rule.CODE in reported, f"{rule.CODE} failing example did not trigger: {reported}"
            assert result.code == (1 if rule.SEVERITY == "error" else 0)
        else:
            assert rule.CODE not in reported, f"{rule.CODE} passing example triggered: {result.out}"
            assert result.code == 0, f"{rule.CODE} passing example fails the run: {reported}"
