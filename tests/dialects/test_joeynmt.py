"""joeynmt: JoeyNMT model.encoder / model.decoder configs, through the real CLI."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import CORPUS


def _lint(run_cli, write, text: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", write("config.yaml", text))
    assert result.code in (0, 1), result.err
    data: dict[str, Any] = result.json()["files"][0]
    return data


def _layers(entry: dict[str, Any]) -> dict[str, int | None]:
    return {layer["name"]: layer["params"] for layer in entry["layers"]}


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
    assert entry["complete"] is True


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
            embeddings: {embedding_dim: 8}
            hidden_size: 4
        """,
    )
    layers = _layers(entry)
    assert layers["encoder"] == 2 * (3 * 4 * 12 + 24)  # bidirectional GRU by default
    assert layers["decoder"] == 3 * 4 * 16 + 24  # input feeding: 8 + 4
    assert layers["decoder.bridge_layer"] == 4 * 8 + 4
    notes = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]
    assert any("rnn_type gru (JoeyNMT's code default; its sample configs' comments say lstm)" in n for n in notes)
    assert any("bidirectional True" in n for n in notes)
    assert entry["complete"] is False


def test_transformer_is_not_recurrent(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        FULL.replace("type: recurrent", "type: transformer"),
    )
    assert entry["layers"] == [] and entry["diagnostics"] == []


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
