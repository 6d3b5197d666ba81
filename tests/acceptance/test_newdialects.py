"""Every config in ``../shared/newdialects/`` is read by its toolkit's dialect, and each recurrent
layer is counted or is RNN205 with a reason; a model without one says what it leaves out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED, needs_shared

NEWDIALECTS = SHARED / "newdialects"
DIALECT_OF_GROUP = {
    "asteroid": "asteroid",
    "coqui-tts": "coqui-tts",
    "marian": "marian",
    "mlagents": "mlagents",
    "paddlespeech": "paddlespeech",
    "rllib": "rllib",
    "rlzoo": "rl-zoo",
    "wenet": "wenet",
}


def _files() -> list[Path]:
    if not NEWDIALECTS.is_dir():
        return []
    return sorted(p for p in NEWDIALECTS.glob("*/*") if p.is_file())


@needs_shared
def test_every_group_is_known() -> None:
    assert {p.name for p in NEWDIALECTS.iterdir() if p.is_dir()} == set(DIALECT_OF_GROUP)


@needs_shared
@pytest.mark.parametrize("path", _files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_read_by_its_dialect(run_cli, path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--isolated", "--no-cache", "--format", "json", path)
    assert result.code in (0, 1) and "internal error" not in result.err
    files: list[dict[str, Any]] = result.json()["files"]
    assert files and all(not f["skipped"] for f in files), [f.get("skip_reason") for f in files]
    for entry in files:
        assert entry["dialect"] == DIALECT_OF_GROUP[path.parent.name]
        codes = [d["code"] for d in entry["diagnostics"]]
        # Errors only where the file is wrong: Coqui's own test configs repeat two keys (RNN003, true positives).
        errors = [d for d in entry["diagnostics"] if d["severity"] == "error"]
        assert [d for d in errors if d["code"] not in ("RNN205", "RNN003")] == []
        recurrent = [layer for layer in entry["layers"] if layer["recurrent"]]
        # Each recurrent layer is counted, or unknown only for a size the file does not state (an RNN104 note
        # says which); a model with none is RNN205 (a class rnnlint cannot count) or says what it leaves out.
        for layer in recurrent:
            assert layer["params"] is not None or "RNN104" in codes or "RNN205" in codes, layer
        if not recurrent:
            assert "RNN205" in codes or entry["omitted"], entry
        # Never 0 for an unknown size.
        assert entry["total_params"] != 0 and entry["counted_params"] != 0
