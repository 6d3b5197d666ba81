"""Marian NMT: s2s / amun / nematus encoder, decoder cells, attention and dense layers (from the C++ source).

The fixture (tests/fixtures/marian_cases.json, tools/gen_marian_fixtures.py) replays Marian's
``graph->param`` calls by name and shape; the counts here must equal its sums.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from rnnlint.dialects import marian
from tests.conftest import SHARED, needs_shared
from tests.unit.dialects._shared_detect import claimed

HERE = Path(__file__).parent / "marian"
FIXTURE = json.loads((Path(__file__).parents[2] / "fixtures" / "marian_cases.json").read_text())
GROUP = SHARED / "newdialects" / "marian"


def _lint(run_cli, path: Path | str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--no-cache", "--isolated", path)
    assert result.code in (0, 1), result.err
    entry: dict[str, Any] = result.json()["files"][0]
    return entry


def _codes(entry: dict[str, Any]) -> list[str]:
    return [d["code"] for d in entry["diagnostics"]]


def _gru(i: int, h: int) -> int:
    """Marian GRU: U (h x 2h) + Ux (h x h) + W/Wx (i x 3h) + b/bx (3h)."""
    return 3 * h * h + 3 * i * h + 3 * h


def _lstm(i: int, h: int) -> int:
    return 4 * h * h + 4 * i * h + 4 * h


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=[c["name"] for c in FIXTURE["cases"]])
def test_counts_match_the_derived_fixture(run_cli, tmp_path: Path, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "model.yml"
    path.write_text(yaml.safe_dump(case["options"]))
    entry = _lint(run_cli, path)
    assert entry["dialect"] == "marian"
    assert entry["counted_params"] == case["counted"]
    recurrent = {layer["name"].split(" ")[0]: layer["params"] for layer in entry["layers"] if layer["recurrent"]}
    assert recurrent == case["parts"]
    # Embeddings and the output layer are vocabulary-sized: never complete.
    assert entry["complete"] is False and entry["total_params"] is None


def test_s2s_lstm_counts_every_part(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, HERE / "s2s_lstm.yml")
    layers = {layer["name"].split(" ")[0]: layer for layer in entry["layers"] if layer["recurrent"]}
    emb, h, c = 64, 128, 256
    # Two directions x two layers: layer 1 reads the embedding, layer 2 the previous state.
    assert layers["encoder"]["params"] == 2 * (_lstm(emb, h) + _lstm(h, h))
    # cell1 (embedding), cell2 (context), layer 2's cell (the state).
    assert layers["decoder"]["params"] == _lstm(emb, h) + _lstm(c, h) + _lstm(h, h)
    assert layers["encoder"]["recurrent"] and layers["decoder"]["recurrent"]
    assert layers["decoder"]["params"] == 427_520
    assert _codes(entry).count("RNN100") == 2 and "RNN104" not in _codes(entry)
    assert "RNN106" in _codes(entry) and entry["omitted"][0]["line"] == 14  # dim-vocabs
    assert entry["counted_params"] == 1_048_896 and entry["complete"] is False


def test_cli_option_file_uses_marians_default_type(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, HERE / "cli_options.yml")
    layers = {layer["name"].split(" ")[0]: layer["params"] for layer in entry["layers"] if layer["recurrent"]}
    assert layers["encoder"] == 2 * _gru(32, 64) and layers["decoder"] == _gru(32, 64) + _gru(128, 64)
    note = next(d for d in entry["diagnostics"] if d["code"] == "RNN104")
    assert "type: amun" in note["message"] and "enc-cell: gru" in note["message"]


def test_transformer_is_an_omission_not_a_zero(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, HERE / "transformer.yml")
    assert entry["dialect"] == "marian" and entry["layers"] == []
    assert entry["total_params"] is None and entry["complete"] is False
    assert "recurrent models only" in entry["omitted"][0]["message"]
    assert "RNN104" not in _codes(entry)


def test_what_marian_refuses_or_does_not_size_is_rnn205(run_cli) -> None:  # type: ignore[no-untyped-def]
    nematus = _lint(run_cli, HERE / "nematus_gru.yml")
    assert _codes(nematus) == ["RNN205"] and "Marian aborts" in nematus["diagnostics"][0]["message"]
    amun = _lint(run_cli, HERE / "amun_decoder.yml")
    assert _codes(amun) == ["RNN205"] and ".npz" in amun["diagnostics"][0]["message"]
    assert amun["total_params"] is None and amun["complete"] is False


def test_cell_formulas_follow_cells_h() -> None:
    assert marian.cell_params("gru", 0, 10, False)[0] == 3 * 100 + 30
    # GRUNematus layer norm: W/Wx/U/Ux scales and biases (2h + h each, twice).
    assert marian.cell_params("gru-nematus", 5, 10, True)[0] == _gru(5, 10) + 60 + 60
    assert marian.cell_params("gru-nematus", 0, 10, True)[0] == _gru(0, 10) + 60
    assert marian.cell_params("tanh", 4, 10, True)[0] == 100 + 40 + 10 + 30 + 30


@needs_shared
def test_the_marian_group_is_read(run_cli) -> None:  # type: ignore[no-untyped-def]
    entries = {Path(e["path"]).name: e for e in (_lint(run_cli, p) for p in sorted(GROUP.glob("*.yml")))}
    assert len(entries) == 6 and all(e["dialect"] == "marian" for e in entries.values())

    def recurrent(name: str) -> dict[str, int]:
        return {layer["name"].split(" ")[0]: layer["params"] for layer in entries[name]["layers"] if layer["recurrent"]}

    # wmt16 amun: dim-emb 500, dim-rnn 1024 (default, RNN104).
    assert recurrent("marian-regression-tests__models_wmt16_systems_marian.en-de.yml") == {
        "encoder": 2 * _gru(500, 1024),
        "decoder": _gru(500, 1024) + _gru(2048, 1024),
    }
    # wmt17 nematus: 4 encoder cells, 8 decoder base cells, layer norm.
    wmt17_name = "marian-regression-tests__models_wmt17_systems_marian.en-de.yml"
    wmt17 = entries[wmt17_name]
    assert recurrent(wmt17_name) == {"encoder": 28_397_568, "decoder": 33_116_160}
    assert wmt17["counted_params"] == 71_757_312 and "dim-rnn: 1024" in str(wmt17["diagnostics"])
    for name in ("load_config.yml", "overwrite.yml"):
        key = f"marian-regression-tests__tests_interface_config_{name}"
        assert recurrent(key) == {"encoder": 2 * _gru(16, 32), "decoder": _gru(16, 32) + _gru(64, 32)}
    transformer = entries["marian-examples__transformer-intro_transformer-model.yml"]
    assert transformer["layers"] == [] and transformer["omitted"] and transformer["total_params"] is None
    amun = entries["marian-regression-tests__models_wmt16_systems_amun.en-de.yml"]
    assert _codes(amun) == ["RNN205"]


@needs_shared
def test_detection_claims_no_other_toolkits_file() -> None:
    assert [path for path, name in claimed().items() if name == marian.NAME] == []
    others = [
        p
        for p in (SHARED / "newdialects").rglob("*")
        if p.suffix in (".yml", ".yaml", ".json") and p.parent.name != "marian"
    ]
    from rnnlint.parse import load

    for path in others:
        parsed = load(str(path))
        docs = parsed.documents or (parsed.lenient.documents if parsed.lenient else [])
        assert not docs or not marian.detect(docs[0].data), path
