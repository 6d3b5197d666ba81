"""The dialect toolkit (rnnlint.dialects._support): coercers, the section reader, the override advice; and the
dialect registry's completeness (every public dialect module registered, every NAME in the README table)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from rnnlint import dialects
from rnnlint.dialects import _support
from rnnlint.dialects._support import (
    NO_STRINGS,
    PYTHON_TRUTH,
    STRTOBOOL,
    TRUE_ELSE_FALSE,
    TRUE_OR_FALSE,
    YES_ELSE_FALSE,
    YES_OR_NO,
    SectionReader,
    as_bool,
    as_float,
    as_int,
    as_number,
    how_to_state,
    override,
)
from rnnlint.model import Span
from rnnlint.parse.yaml import parse_yaml
from rnnlint.settings.keys import KEYS

REPO = Path(__file__).resolve().parents[3]
DIALECTS_DIR = REPO / "src" / "rnnlint" / "dialects"


# --------------------------------------------------------------------------- registry


def test_every_public_dialect_module_is_registered() -> None:
    """flake8's completeness pattern: a dialect module (or package) not in DIALECT_MODULES is never detected."""
    modules = {p.stem for p in DIALECTS_DIR.glob("*.py") if not p.stem.startswith("_")}
    modules |= {p.name for p in DIALECTS_DIR.iterdir() if (p / "__init__.py").is_file() and not p.name.startswith("_")}
    # interpolation.py is a helper shared by dialects, not a dialect (no NAME).
    helpers = {name for name in modules if "NAME" not in _module_names(name)}
    assert helpers == {"interpolation"}
    assert modules - helpers == set(dialects.DIALECT_MODULES)
    assert len(dialects.DIALECT_MODULES) == len(set(dialects.DIALECT_MODULES))


def _module_names(name: str) -> set[str]:
    path = DIALECTS_DIR / f"{name}.py"
    if not path.is_file():
        path = DIALECTS_DIR / name / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        found |= {t.id for t in targets if isinstance(t, ast.Name)}
        if isinstance(node, ast.ImportFrom):
            found |= {a.asname or a.name for a in node.names}
    return found


def test_every_dialect_name_is_in_the_readme_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Dialects", 1)[1].split("\n\n", 3)[2]
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", table, re.M)
    assert len(listed) == len(set(listed)), "README dialect table: one row per dialect"
    assert set(listed) == set(dialects.names())


def test_dialect_names_are_unique_and_found_by_name() -> None:
    names = dialects.names()
    assert len(names) == len(set(names))
    assert all(dialects.by_name(name) is not None and name == dialects.by_name(name).NAME for name in names)  # type: ignore[union-attr]


# --------------------------------------------------------------------------- advice


def test_override_advice_names_an_override_key() -> None:
    override_keys = {key.name for key in KEYS if key.override}
    for key in ("input_size", "action_size", "state_size"):
        assert key in override_keys
        assert override(key) == f"[[tool.rnnlint.overrides]] {key} = N"
    assert how_to_state() == "state it with [[tool.rnnlint.overrides]] input_size = N"
    assert (
        how_to_state(first="feat_dim", scope="one value")
        == "state it with feat_dim or [[tool.rnnlint.overrides]] input_size = N (one value)"
    )


def test_the_advice_text_is_written_only_in_support() -> None:
    """Dialects say it through _support (the text was pasted 16 times); docstrings may quote it."""
    for path in DIALECTS_DIR.rglob("*.py"):
        if path.name == "_support.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert "tool.rnnlint.overrides" not in node.value, f"{path.name}:{node.lineno}"


# --------------------------------------------------------------------------- coercers


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (3, {}, 3),
        (True, {}, None),
        (3.0, {}, None),
        ("3", {}, None),
        ("3", {"strings": True}, 3),
        (" -3 ", {"strings": True}, -3),
        ("3.5", {"strings": True}, None),
        # argparse's type=int is int(): these used to pass an isdigit() test and then raise.
        ("²", {"strings": True}, None),
        ("--5", {"strings": True}, None),
        (0, {"minimum": 1}, None),
        (1, {"minimum": 1}, 1),
        (-1, {"minimum": 0}, None),
        (None, {}, None),
    ],
)
def test_as_int(value: Any, kwargs: dict[str, Any], expected: int | None) -> None:
    assert as_int(value, **kwargs) == expected


def test_as_float_and_as_number() -> None:
    assert as_float(2) == 2.0 and as_float(True) is None and as_float("1e-3") is None
    assert as_float("1e-3", strings=True) == 0.001 and as_float("x", strings=True) is None
    assert as_number(2) == 2 and isinstance(as_number(2), int) and as_number(2.5) == 2.5
    assert as_number(False) is None and as_number("2") is None


@pytest.mark.parametrize(
    ("words", "value", "expected"),
    [
        (TRUE_OR_FALSE, " True ", True),
        (TRUE_OR_FALSE, "false", False),
        (TRUE_OR_FALSE, "yes", "default"),
        (TRUE_OR_FALSE._replace(strip=False), "true ", "default"),
        (NO_STRINGS, "true", "default"),
        (TRUE_ELSE_FALSE, "yes", False),
        (TRUE_ELSE_FALSE, "TRUE", True),
        (YES_ELSE_FALSE, "Yes", True),
        (YES_ELSE_FALSE, "no", False),
        (YES_ELSE_FALSE, "maybe", False),
        (YES_OR_NO, "off", False),
        (YES_OR_NO, "on", True),
        (YES_OR_NO, "maybe", "default"),
        (STRTOBOOL, "T", True),
        (STRTOBOOL, "off", False),
        (STRTOBOOL, " no", "default"),
        (STRTOBOOL, "nope", "default"),
        (PYTHON_TRUTH, "false", True),
        (PYTHON_TRUTH, "", False),
        (PYTHON_TRUTH, " ", True),
    ],
)
def test_as_bool_strings(words: _support.BoolWords, value: str, expected: bool | str) -> None:
    sentinel = object()
    got = as_bool(value, sentinel, strings=words)  # type: ignore[call-overload]
    assert got is (sentinel if expected == "default" else expected)


def test_as_bool_other_values() -> None:
    assert as_bool(True) is True and as_bool(False, True) is False
    assert as_bool(1, None, others="int") is True and as_bool(0, True, others="int") is False
    assert as_bool(2.0, None, others="int") is None and as_bool(2.0, None, others="truthy") is True
    assert as_bool(1, False, others="default") is False
    assert as_bool(None, True, others="truthy") is False  # a null passed on is falsy
    assert as_bool(None, True, others="int") is True


# --------------------------------------------------------------------------- the reader


TEXT = """\
model:
  encoder:
    hidden: 4
    empty: null
  other: 1
"""


def _doc() -> Any:
    docs, problems = parse_yaml(TEXT)
    assert not problems
    return docs[0]


def test_section_reader_values_defaults_and_notes() -> None:
    reader = SectionReader(_doc(), ("model", "encoder"), defaults={"layers": 2, "empty": 7})
    assert reader.has("hidden") and not reader.has("empty") and not reader.has("absent")
    assert reader.get("hidden") == 4 and reader.int("hidden") == 4
    assert reader.get("layers") == 2 and reader.get("empty") == 7 and reader.get("absent") is None
    assert reader.get("absent", 5) == 5
    assert reader.defaulted == ["layers: 2", "empty: 7", "absent: 5"]
    quiet = SectionReader(_doc(), ("model", "encoder"), defaults={"layers": 2}, note=lambda key, default: None)
    assert quiet.get("layers") == 2 and quiet.defaulted == []


def _at(span: Span | None) -> tuple[int, int] | None:
    return None if span is None else (span.line, span.column)


def test_section_reader_positions() -> None:
    doc = _doc()
    reader = SectionReader(doc, ("model", "encoder"))
    assert _at(reader.span("hidden")) == (3, 5) == _at(reader.key_span("hidden"))
    assert _at(reader.value_span("hidden")) == (3, 13)
    assert _at(reader.span("absent", "hidden")) == (3, 5)
    assert reader.span("absent") == doc.locator.value(("model", "encoder"))
    assert _at(SectionReader(doc, ("model", "encoder"), whole="key").span()) == (2, 3)
    assert SectionReader(doc, ("model", "encoder"), whole=Span(1, 1)).span("absent") == Span(1, 1)
    assert reader.key_span("absent") is None and reader.value_span("absent") is None
    assert SectionReader(doc, (), whole="key").span("nothing") == doc.locator.value(())
    assert reader.sourced("hidden") == (4, reader.key_span("hidden"), True)
    assert reader.sourced("layers", 3) == (3, reader.span(), False)
