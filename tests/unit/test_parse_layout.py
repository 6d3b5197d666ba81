"""The parse package's layout: each parser imports only what its format needs, and every stage imports a
name from the module that defines it (the old ``rnnlint.parse.loader`` front is gone and stays gone)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "rnnlint"

# Parses one text through the front door in a fresh process, then reports which parsers were imported.
_PROBE = """
import json, sys
from rnnlint.parse import parse_source
from rnnlint.parse.source import Source
parsed = parse_source(Source(sys.argv[1], sys.argv[2]))
print(json.dumps({"documents": len(parsed.documents), "modules": sorted(m for m in sys.modules if m in {
    "yaml", "json", "rnnlint.parse.yaml", "rnnlint.parse.json", "rnnlint.parse.jsonnet"})}))
"""


def _imported_by_parsing(name: str, text: str) -> tuple[int, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, name, text], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    probe = json.loads(out)
    return probe["documents"], [m for m in probe["modules"] if m != "json"]  # the probe itself imports json


@pytest.mark.parametrize(
    ("name", "text", "documents", "modules"),
    [
        ("model.yaml", "a: 1\n", 1, ["rnnlint.parse.yaml", "yaml"]),
        ("model.json", '{"a": 1}', 1, ["rnnlint.parse.json"]),
        ("model.json", '{"a": 1, // note\n}', 0, ["rnnlint.parse.json"]),  # the lenient reading too
        ("model.jsonnet", "{a: 1}", None, ["rnnlint.parse.jsonnet"]),  # evaluated when the extra is installed
    ],
)
def test_each_format_imports_only_its_parser(name: str, text: str, documents: int | None, modules: list[str]) -> None:
    found, imported = _imported_by_parsing(name, text)
    assert imported == modules
    if documents is not None:
        assert found == documents


def test_nothing_imports_the_old_loader() -> None:
    assert not (SRC / "parse" / "loader.py").exists()
    users: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            names = {a.name for a in node.names} if isinstance(node, (ast.Import, ast.ImportFrom)) else set()
            if (
                module == "rnnlint.parse.loader"
                or "rnnlint.parse.loader" in names
                or (module == "rnnlint.parse" and "loader" in names)
            ):
                users.add(str(path.relative_to(SRC)))
    assert users == set()
