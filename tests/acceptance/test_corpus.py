"""The real-world corpus (../shared/corpus): no file crashes, and every hand-derived count matches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS

if not CORPUS.is_dir():  # pragma: no cover - CI always has ../shared beside the clone
    pytest.skip("../shared/corpus is not present", allow_module_level=True)

CORPUS_FILES = sorted(
    p
    for p in CORPUS.rglob("*")
    if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".jsonnet", ".j2") and p.name != "EXPECTED.json"
)
EXPECTED: list[dict[str, Any]] = json.loads((CORPUS / "EXPECTED.json").read_text(encoding="utf-8"))


def _lint(run_cli, path: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", path)
    assert "Traceback" not in result.err + result.out
    assert result.code in (0, 1), result.err
    data: dict[str, Any] = result.json()
    return data


def test_corpus_has_files() -> None:
    assert len(CORPUS_FILES) >= 130


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name[:80])
def test_corpus_file_lints_without_crash(run_cli, path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _lint(run_cli, path)
    for entry in data["files"]:
        for diag in entry["diagnostics"]:
            assert diag["line"] >= 1 and diag["column"] >= 1


@pytest.mark.parametrize("row", EXPECTED, ids=lambda r: f"{Path(r['file']).name[:60]}:{r['layer'][:30]}")
def test_expected_counts(run_cli, row: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    data = _lint(run_cli, CORPUS / row["file"])
    linted = [f for f in data["files"] if not f["skipped"]]
    assert linted, f"{row['file']} was skipped: {data['files'][0].get('skip_reason')}"
    found = [layer["params"] for f in linted for layer in f["layers"] if layer["recurrent"]]
    assert row["expected_params"] in found, (
        f"{row['layer']}: expected {row['expected_params']:,} ({row['confidence']}); recurrent layers: {found}"
    )
