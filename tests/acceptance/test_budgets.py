"""Totals and budgets never mislead: an unknown total is null, and a limit it cannot settle is RNN105."""

from __future__ import annotations

from typing import Any

import pytest

UNSIZED = "model:\n  layers:\n    - type: lstm\n      hidden_size: 256\n"
# A GRU counted (3 x [8x(4+8) + 2x8] = 336), then a layer type rnnlint cannot count.
PARTLY = "model:\n  input_size: 4\n  layers:\n    - {type: gru, hidden_size: 8}\n    - {type: sru, hidden_size: 8}\n"


def _lint(run_cli, write, text: str, *args: str) -> tuple[int, dict[str, Any]]:  # type: ignore[no-untyped-def]
    write("m.yaml", text)
    result = run_cli("--isolated", "--no-cache", "--format", "json", *args, "m.yaml")
    assert result.err == ""
    return result.code, result.json()["files"][0]


def _codes(entry: dict[str, Any]) -> list[str]:
    return [d["code"] for d in entry["diagnostics"]]


def _message(entry: dict[str, Any], code: str) -> str:
    [message] = [d["message"] for d in entry["diagnostics"] if d["code"] == code]
    return message


def test_unknown_count_with_a_file_limit_is_a_warning_and_fails_with_strict(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    code, entry = _lint(run_cli, write, UNSIZED + "limits:\n  max_params: 10\n")
    assert code == 0
    assert entry["total_params"] is None and entry["counted_params"] is None and entry["recurrent_params"] is None
    assert entry["complete"] is False
    assert _message(entry, "RNN105") == (
        "max_params 10 from limits.max_params at line 6 could not be checked: the model's total is unknown and "
        "nothing could be counted (layers[0] (lstm): input size unknown)"
    )
    strict, entry = _lint(run_cli, write, UNSIZED + "limits:\n  max_params: 10\n", "--strict")
    assert strict == 1 and "RNN105" in _codes(entry)


def test_a_command_line_limit_counts_too(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    code, entry = _lint(run_cli, write, UNSIZED, "--max-params", "1000")
    assert code == 0 and _codes(entry).count("RNN105") == 1
    assert "max_params 1,000 from --max-params" in _message(entry, "RNN105")


def test_a_lower_bound_within_the_limit_is_unchecked(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    _, entry = _lint(run_cli, write, PARTLY, "--max-params", "1000")
    assert entry["total_params"] is None and entry["counted_params"] == 336
    assert "RNN101" not in _codes(entry)
    assert "only a lower bound of 336 is known (layers[1] (sru): cannot be counted (RNN205))" in _message(
        entry, "RNN105"
    )


def test_a_lower_bound_above_the_limit_is_rnn101_not_rnn105(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    code, entry = _lint(run_cli, write, PARTLY, "--max-params", "300")
    assert code == 1
    assert "RNN105" not in _codes(entry)
    assert _message(entry, "RNN101").startswith("model has at least 336 parameters, above max_params 300")


def test_no_limit_no_warning(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    _, entry = _lint(run_cli, write, UNSIZED)
    assert "RNN105" not in _codes(entry)


def test_a_whole_count_is_checked_as_before(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    code, entry = _lint(
        run_cli,
        write,
        "model:\n  input_size: 4\n  layers:\n    - {type: gru, hidden_size: 8}\n",
        "--max-params",
        "1000",
    )
    assert code == 0 and entry["total_params"] == entry["counted_params"] == entry["recurrent_params"] == 336
    assert entry["complete"] is True and "RNN105" not in _codes(entry)


def test_layer_limit_on_an_unknown_layer(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    _, entry = _lint(run_cli, write, PARTLY, "--max-layer-params", "100000")
    [finding] = [d for d in entry["diagnostics"] if d["code"] == "RNN105"]
    assert (finding["line"], finding["column"]) == (5, 7)
    assert finding["message"] == (
        "max_layer_params 100,000 from --max-layer-params could not be checked on layers[1] (sru): "
        "cannot be counted (RNN205)"
    )


@pytest.mark.parametrize(
    ("dataset", "args", "unchecked"),
    [
        ("  train_examples: 1000000\n", (), True),  # 336 / 1e6 is within the bound: the real total may not be
        # The lower bound already fails (336 per example, above 100): RNN103 says so.
        ("  train_examples: 1\n", ("--max-params-per-example", "100"), False),
        ("  tokens: 1000000\n", (), True),
        ("  tokens: 1\n", (), False),
    ],
)
def test_dataset_bounds_only_where_a_dataset_is_declared(  # type: ignore[no-untyped-def]
    run_cli, write, dataset: str, args: tuple[str, ...], unchecked: bool
) -> None:
    _, entry = _lint(run_cli, write, PARTLY + "dataset:\n" + dataset, *args)
    assert ("RNN105" in _codes(entry)) is unchecked
    assert ("RNN103" in _codes(entry)) is not unchecked


def test_count_table_never_shows_a_lower_bound_as_the_total(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", PARTLY)
    result = run_cli("count", "--isolated", "--no-cache", "m.yaml")
    assert "  total unknown: at least 336 parameters (part of the model is not counted), recurrent 336\n" in result.out
    write("m.yaml", UNSIZED)
    result = run_cli("count", "--isolated", "--no-cache", "m.yaml")
    assert "  total unknown: no part could be counted, recurrent unknown\n" in result.out
    write("m.yaml", "model:\n  input_size: 4\n  layers:\n    - {type: gru, hidden_size: 8}\n")
    whole = run_cli("count", "--isolated", "--no-cache", "m.yaml").out
    assert "  total 336 parameters, recurrent 336; 0.00 MB at fp32\n" in whole


def test_rule_docs(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("rule", "RNN105")
    assert result.code == 0 and "budget-unchecked" in result.out and "--strict" in result.out


# An ESPnet2 ASR config whose model builds no recurrent layer (a transformer encoder and decoder).
TRANSFORMER = (
    "encoder: transformer\nencoder_conf:\n  output_size: 256\ndecoder: transformer\nmodel_conf:\n  ctc_weight: 0.3\n"
)


def test_a_model_with_nothing_counted_is_unknown_not_zero(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    code, entry = _lint(run_cli, write, TRANSFORMER)
    assert code == 0 and entry["dialect"] == "espnet2"
    assert entry["total_params"] is None and entry["counted_params"] is None and entry["complete"] is False
    assert entry["recurrent_params"] == 0 and entry["layers"] == []
    # ESPnet2 names what it leaves out: the transformer encoder and decoder.
    messages = [o["message"] for o in entry["omitted"]]
    assert any(m.startswith("the transformer encoder") for m in messages)
    assert any(m.startswith("the transformer decoder") for m in messages)
    assert all(o["line"] >= 1 for o in entry["omitted"])
    # No recurrent layer: no RNN106 note for what is left out (it would be on every transformer config).
    assert _codes(entry) == []


def test_a_dialect_that_names_nothing_gets_the_engine_omission() -> None:
    from types import SimpleNamespace

    from rnnlint import engine
    from rnnlint.model import ModelConfig, Span

    empty = ModelConfig(dialect="x", framework="pytorch", layers=(), span=Span(1, 1))
    [omitted] = engine._nothing_counted(SimpleNamespace(), empty).omitted  # type: ignore[arg-type,union-attr]
    assert omitted.message == engine.NOTHING_COUNTED
    lists_all = SimpleNamespace(LISTS_EVERY_PART=True)
    assert engine._nothing_counted(lists_all, empty).omitted == ()  # type: ignore[arg-type,union-attr]


def test_count_says_why_a_model_is_not_counted(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", TRANSFORMER)
    result = run_cli("count", "--isolated", "--no-cache", "m.yaml")
    assert result.code == 0
    assert "m.yaml: not counted: the transformer encoder is not counted" in result.out
    assert "total 0" not in result.out


def test_a_native_model_with_no_recurrent_layer_is_counted_whole(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # rnnlint's own dialect lists every part, so a model with no recurrent layer is still counted whole.
    _, entry = _lint(run_cli, write, "model:\n  input_size: 4\n  layers:\n    - {type: linear, out_features: 3}\n")
    assert entry["dialect"] == "native" and entry["recurrent_params"] == 0
    assert entry["total_params"] == 15 and entry["complete"] is True and entry["omitted"] == []


def test_omissions_survive_the_cache(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", TRANSFORMER)
    cold = run_cli("--isolated", "--format", "json", "m.yaml")
    warm = run_cli("--isolated", "--format", "json", "m.yaml")
    assert cold.json() == warm.json() and cold.json()["files"][0]["omitted"]
