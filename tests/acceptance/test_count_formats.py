"""``rnnlint count``: the same figures as text, JSON, Markdown and CSV, with bytes per dtype and totals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

# 4 x [8x(4+8) + 2x8] = 448 (an LSTM), then Linear(8 -> 3) = 27: 475 parameters in all.
SMALL = (
    "model:\n  input_size: 4\n  layers:\n    - {type: lstm, hidden_size: 8}\n    - {type: linear, out_features: 3}\n"
)
# A GRU counted (3 x [8x(4+8) + 2x8] = 336), then a layer type rnnlint cannot count.
PARTLY = "model:\n  input_size: 4\n  layers:\n    - {type: gru, hidden_size: 8}\n    - {type: sru, hidden_size: 8}\n"


def _count(run_cli, *args: str):  # type: ignore[no-untyped-def]
    result = run_cli("count", "--isolated", "--no-cache", *args)
    assert result.err == ""
    return result


def test_json_has_bytes_sizes_and_totals_across_files(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("a.yaml", SMALL)
    write("b.yaml", PARTLY)
    result = _count(run_cli, "--format", "json", "--dtype", "fp16", "a.yaml", "b.yaml")
    doc = json.loads(result.out)
    assert doc["dtype"] == "fp16" and doc["bytes_per_param"] == 2
    a, b = doc["files"]
    assert a["total_params"] == 475 and a["bytes"] == 950
    lstm, linear = a["layers"]
    assert (lstm["input_size"], lstm["output_size"], lstm["params"], lstm["bytes"]) == (4, 8, 448, 896)
    assert (linear["input_size"], linear["output_size"], linear["params"]) == (8, 3, 27)
    # b's total is unknown: no bytes for it, only for what is counted, and the sum is a lower bound.
    assert b["total_params"] is None and b["bytes"] is None and b["counted_bytes"] == 672
    assert b["layers"][1]["params"] is None and b["layers"][1]["bytes"] is None
    assert doc["totals"] == {
        "configs": 2,
        "not_counted": 0,
        "params": 475 + 336,
        "recurrent_params": 448 + 336,
        "bytes": 2 * (475 + 336),
        "lower_bound": True,
    }


@pytest.mark.parametrize(("dtype", "shown"), [("fp32", "0.00 MB"), ("int8", "0.00 MB")])
def test_text_shows_sizes_and_the_sum(run_cli, write, dtype: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    write("a.yaml", SMALL)
    write("b.yaml", SMALL)
    out = _count(run_cli, "--dtype", dtype, "a.yaml", "b.yaml").out
    assert f"  total 475 parameters, recurrent 448; {shown} at {dtype}\n" in out
    assert f"all 2 counted configs: 950 parameters ({shown} {dtype}), recurrent 896\n" in out


def test_megabytes_follow_the_dtype(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # 4 x [1024x(1024+1024) + 2x1024] = 8,396,800 parameters: 33.59 MB at fp32, 16.79 MB at bf16.
    write("big.yaml", "model:\n  input_size: 1024\n  layers:\n    - {type: lstm, hidden_size: 1024}\n")
    assert "8,396,800 parameters, recurrent 8,396,800; 33.59 MB at fp32" in _count(run_cli, "big.yaml").out
    assert "; 16.79 MB at bf16" in _count(run_cli, "--dtype", "bf16", "big.yaml").out


def test_the_sum_of_unknown_totals_says_at_least(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("a.yaml", SMALL)
    write("b.yaml", PARTLY)
    out = _count(run_cli, "a.yaml", "b.yaml").out
    assert "all 2 counted configs: at least 811 parameters (at least 0.00 MB fp32), recurrent at least 784\n" in out


def test_markdown_table(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("a.yaml", SMALL)
    out = _count(run_cli, "--format", "markdown", "a.yaml").out.splitlines()
    assert out[0] == "| config | layer | type | line | in | out | params | fp32 |"
    assert out[2] == "| `a.yaml` | layers[0] | lstm | 4 | 4 | 8 | 448 | 0.00 MB |"
    assert out[4].startswith("| `a.yaml` | **total** |") and "total 475 parameters" in out[4]


def test_csv_rows_per_layer_and_a_total_per_file(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("a.yaml", SMALL)
    write("b.yaml", PARTLY)
    rows = list(
        csv.DictReader(io.StringIO(_count(run_cli, "--format", "csv", "--dtype", "int8", "a.yaml", "b.yaml").out))
    )
    assert [(r["path"], r["type"], r["params"], r["bytes"]) for r in rows] == [
        ("a.yaml", "lstm", "448", "448"),
        ("a.yaml", "linear", "27", "27"),
        ("a.yaml", "total", "475", "475"),
        ("b.yaml", "gru", "336", "336"),
        ("b.yaml", "sru", "", ""),
        ("b.yaml", "total", "", ""),
    ]
    assert rows[0]["input_size"] == "4" and rows[0]["output_size"] == "8" and rows[0]["recurrent"] == "True"


def test_an_unknown_dtype_is_a_usage_error(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("a.yaml", SMALL)
    assert run_cli("count", "--dtype", "fp8", "a.yaml").code == 2


TRAINABLE = Path(__file__).resolve().parents[1] / "fixtures" / "keras_trainable"


@pytest.mark.parametrize("name", ["bn_lstm", "frozen_gru", "functional_bn_frozen"])
def test_trainable_and_non_trainable_as_keras_counts_them(run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    # Built and counted by Keras 3 itself (tools/gen_keras_trainable_fixtures.py): BatchNormalization's moving
    # mean and variance, and layers with trainable=False, are non-trainable weights that count_params() includes.
    expected = json.loads((TRAINABLE / "expected.json").read_text())["cases"][name]
    doc = json.loads(_count(run_cli, "--format", "json", TRAINABLE / f"{name}.json").out)
    [entry] = doc["files"]
    assert entry["total_params"] == expected["count_params"]
    assert entry["non_trainable_params"] == expected["non_trainable"]
    assert sum(layer["trainable_params"] for layer in entry["layers"]) == expected["trainable"]
    text = _count(run_cli, TRAINABLE / f"{name}.json").out
    trainable, frozen = expected["trainable"], expected["non_trainable"]
    assert f"(trainable {trainable:,}, non-trainable {frozen:,})" in text
    rows = list(csv.DictReader(io.StringIO(_count(run_cli, "--format", "csv", TRAINABLE / f"{name}.json").out)))
    assert rows[-1]["type"] == "total" and int(rows[-1]["non_trainable_params"]) == frozen


def test_no_non_trainable_note_where_every_weight_trains(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("a.yaml", SMALL)
    out = _count(run_cli, "a.yaml").out
    assert "non-trainable" not in out
    doc = json.loads(_count(run_cli, "--format", "json", "a.yaml").out)
    assert doc["files"][0]["non_trainable_params"] == 0
