"""joeynmt: JoeyNMT model.encoder / model.decoder configs, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, REPO


def _lint(run_cli, write, text: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", write("config.yaml", text))
    assert result.code in (0, 1), result.err
    data: dict[str, Any] = result.json()["files"][0]
    return data


def _layers(entry: dict[str, Any]) -> dict[str, int | None]:
    return {layer["name"]: layer["params"] for layer in entry["layers"]}


def _notes(entry: dict[str, Any]) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]


def _omitted(entry: dict[str, Any]) -> list[str]:
    """The per-file JSON ``omitted`` list (RNN106 prints the same messages beside recurrent layers)."""
    listed = [o["message"] for o in entry["omitted"]]
    if entry["layers"]:
        assert sorted(listed) == sorted(d["message"] for d in entry["diagnostics"] if d["code"] == "RNN106")
    return listed


FULL = """
training: {epochs: 1}
model:
  encoder:
    type: recurrent
    rnn_type: gru
    embeddings: {embedding_dim: 16}
    hidden_size: 30
    bidirectional: true
    num_layers: 3
  decoder:
    type: recurrent
    rnn_type: gru
    embeddings: {embedding_dim: 16}
    hidden_size: 30
    num_layers: 2
    input_feeding: true
    init_hidden: last
    attention: luong
"""


def test_stated_keys_count_exactly(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, write, FULL)
    assert entry["dialect"] == "joeynmt"
    layers = _layers(entry)
    assert layers["encoder"] == 41_760 and layers["decoder"] == 12_600
    assert layers["decoder.attention"] == 30 * 60  # luong key projection from the 60-wide encoder output
    assert layers["decoder.att_vector_layer"] == 30 * 90 + 30
    assert "decoder.bridge_layer" not in layers
    # Embeddings and output_layer are vocabulary-sized: omitted, so the total is a lower bound.
    assert entry["complete"] is False and entry["total_params"] is None
    assert entry["counted_params"] == 41_760 + 12_600 + 1_800 + 2_730
    assert any("output_layer Linear(30, target vocabulary)" in m for m in _omitted(entry))
    assert _notes(entry) == []  # every key is stated


def test_code_defaults_gru_bidirectional_input_feeding(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        model:
          encoder:
            embeddings: {embedding_dim: 8}
            hidden_size: 4
          decoder:
            rnn_type: gru
            embeddings: {embedding_dim: 8}
            hidden_size: 4
        """,
    )
    layers = _layers(entry)
    assert layers["encoder"] == 2 * (3 * 4 * 12 + 24)  # bidirectional GRU by default
    assert layers["decoder"] == 3 * 4 * 16 + 24  # input feeding: 8 + 4
    assert layers["decoder.bridge_layer"] == 4 * 8 + 4
    notes = _notes(entry)
    assert any("rnn_type gru (JoeyNMT's code default; its sample configs' comments say lstm)" in n for n in notes)
    assert any("bidirectional True" in n for n in notes)
    # No decoder `type`, but rnn_type is read only by the recurrent decoder: 0.x/1.x assumed, and said so.
    [version] = [n for n in notes if "model.decoder has no `type`" in n]
    assert "JoeyNMT 0.x/1.x assumed" in version and "state `type: recurrent`" in version
    assert entry["complete"] is False


def test_decoder_without_type_or_recurrent_keys_is_2x_transformer(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        model:
          encoder:
            rnn_type: lstm
            embeddings: {embedding_dim: 8}
            hidden_size: 4
          decoder:
            embeddings: {embedding_dim: 8}
            hidden_size: 8
            num_layers: 2
        """,
    )
    assert list(_layers(entry)) == ["encoder"]  # joeynmt/model.py: dec_cfg.get("type", "transformer")
    assert any("JoeyNMT 2.x assumed" in n and "state `type: recurrent`" in n for n in _notes(entry))
    assert any("the transformer decoder is not counted" in m for m in _omitted(entry))


def test_dropout_reaches_torch_only_with_two_layers(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # encoders.py / decoders.py: dropout=dropout if num_layers > 1 else 0.0 -- so no RNN203 on one layer.
    one = FULL.replace("num_layers: 3", "num_layers: 1").replace("num_layers: 2", "num_layers: 1")
    one = one.replace("    hidden_size: 30\n", "    hidden_size: 30\n    dropout: 0.3\n")
    entry = _lint(run_cli, write, one)
    assert "dropout: 0.3" in one
    assert [d for d in entry["diagnostics"] if d["code"] == "RNN203"] == []
    assert entry["layers"][0]["params"] == 2 * (3 * 30 * (16 + 30) + 6 * 30)


def test_uppercase_gru_is_an_lstm_in_joeynmt(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, write, FULL.replace("rnn_type: gru", "rnn_type: GRU", 1))
    assert entry["layers"][0]["type"] == "lstm"
    assert any("rnn_type 'GRU' is not 'gru', so JoeyNMT builds nn.LSTM" in n for n in _notes(entry))


def test_transformer_is_not_recurrent(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        FULL.replace("type: recurrent", "type: transformer"),
    )
    assert entry["layers"] == [] and _notes(entry) == []
    assert entry["complete"] is False and entry["total_params"] is None and entry["counted_params"] is None
    [message] = _omitted(entry)
    assert "the transformer encoder and the transformer decoder" in message and "recurrent models only" in message


def test_not_detected_without_encoder_embeddings(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        FULL.replace(
            "    embeddings: {embedding_dim: 16}\n    hidden_size: 30\n    bidirectional",
            "    hidden_size: 30\n    bidirectional",
            1,
        ),
    )
    assert entry["skipped"] is True  # without encoder.embeddings it is not a JoeyNMT config


def test_not_detected_for_nemo_style_model(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli, write, "model:\n  encoder:\n    _target_: x.Enc\n    embeddings: {}\n  decoder:\n    _target_: x.Dec\n"
    )
    assert entry.get("dialect") != "joeynmt"


@pytest.mark.skipif(not (CORPUS / "joeynmt").is_dir(), reason="../shared/corpus is not present")
def test_corpus_folder(run_cli) -> None:  # type: ignore[no-untyped-def]
    data = run_cli("--format", "json", CORPUS / "joeynmt").json()
    assert {f["dialect"] for f in data["files"]} == {"joeynmt"}


@pytest.mark.parametrize("text", ["- 1\n", "model: 3\n", "42\n"])
def test_forced_on_other_files_is_a_located_error_not_a_crash(run_cli, write, text: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--dialect", "joeynmt", write("x.yaml", text))
    assert result.code == 1 and "Traceback" not in result.err
    assert [d["code"] for d in result.json()["files"][0]["diagnostics"]] == ["RNN002"]


FIXTURES = json.loads((REPO / "tests" / "fixtures" / "joeynmt_cases.json").read_text(encoding="utf-8"))


def test_golden_fixtures_match_build_model(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Cases built by tools/gen_joeynmt_fixtures.py with joeynmt.model.build_model (JoeyNMT 2.3.0)."""
    cases = FIXTURES["cases"]
    paths = []
    for case in cases:
        paths.append(tmp_path / f"{case['id']}.yaml")
        paths[-1].write_text(case["yaml"], encoding="utf-8")
    files = {Path(f["path"]).stem: f for f in run_cli("--format", "json", *paths).json()["files"]}
    for case in cases:
        entry = files[case["id"]]
        assert entry["dialect"] == "joeynmt", case["id"]
        assert _layers(entry) == case["counted"], case["id"]
        assert entry["complete"] is False and entry["total_params"] is None, case["id"]
        assert entry["counted_params"] == (sum(case["counted"].values()) or None), case["id"]
        assert case["total"] == sum(case["counted"].values()) + sum(case["not_counted"].values())
        # build_model leaves torch dropout only on stacked RNNs, so RNN203 never applies to JoeyNMT.
        assert not any(d["code"] == "RNN203" for d in entry["diagnostics"]), case["id"]
    one_layer = FIXTURES["cases"][1]
    assert "dropout: 0.3" in one_layer["yaml"] and set(one_layer["torch_rnn_dropout"].values()) == {0.0}
