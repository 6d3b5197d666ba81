"""Ludwig: nested and flat encoders, version -> bias convention, defaults and what stays unknown."""

from __future__ import annotations

from typing import Any

import pytest

from rnnlint.dialects import AdaptOptions, ludwig
from rnnlint.parse.yaml import parse_yaml
from tests.conftest import CORPUS

needs_corpus = pytest.mark.skipif(not (CORPUS / "ludwig").is_dir(), reason="../shared/corpus is not present")


def _lint(run_cli, path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--isolated", path)
    assert result.code in (0, 1), result.err
    entry: dict[str, Any] = result.json()["files"][0]
    return entry


def _notes(entry: dict[str, Any]) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]


def test_nested_encoder_is_pytorch(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "model.yaml",
        """
        input_features:
          - name: utterance
            type: text
            encoder:
              type: rnn
              cell_type: lstm
              state_size: 128
              num_layers: 2
              bidirectional: true
              embedding_size: 64
        output_features:
          - name: intent
            type: category
        trainer:
          epochs: 3
    """,
    )
    entry = _lint(run_cli, path)
    assert entry["dialect"] == "ludwig" and entry["framework"] == "pytorch"
    (layer,) = entry["layers"]
    # 2 x 4 x [128x(64+128) + 2x128] + 2 x 4 x [128x(256+128) + 2x128]
    assert layer["params"] == 198_656 + 395_264
    assert layer["line"] == 5
    assert any("min(vocabulary size, embedding_size)" in n for n in _notes(entry))


def test_flat_form_without_trainer_is_tensorflow_one_bias(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "model.yaml",
        """
        input_features:
          - name: text
            type: sequence
            encoder: rnn
            cell_type: lstm
            state_size: 100
            embedding_size: 50
        output_features:
          - name: label
            type: binary
        training:
          epochs: 3
    """,
    )
    entry = _lint(run_cli, path)
    assert entry["framework"] == "keras"
    assert entry["layers"][0]["params"] == 4 * (100 * 150 + 100)
    assert any("Ludwig <= 0.4" in n for n in _notes(entry))


def test_flat_form_with_trainer_is_ludwig_05_pytorch(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "model.yaml",
        """
        input_features:
          - {name: text, type: sequence, encoder: rnn, cell_type: lstm, state_size: 100, embedding_size: 50}
        output_features:
          - {name: label, type: binary}
        trainer: {epochs: 3}
    """,
    )
    entry = _lint(run_cli, path)
    assert entry["framework"] == "pytorch"
    assert entry["layers"][0]["params"] == 4 * (100 * 150 + 2 * 100)


def test_defaults_are_a_plain_rnn_and_say_so(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "model.yaml",
        """
        input_features:
          - name: text
            type: text
            encoder: {type: rnn}
        output_features:
          - {name: label, type: binary}
    """,
    )
    entry = _lint(run_cli, path)
    layer = entry["layers"][0]
    assert layer["type"] == "rnn"
    assert layer["params"] == 256 * (256 + 256) + 2 * 256
    notes = _notes(entry)
    assert any("plain RNN" in n for n in notes)
    assert entry["complete"] is False


def test_cnnrnn_reads_the_last_conv_filters(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "model.yaml",
        """
        input_features:
          - name: text
            type: text
            encoder:
              type: cnnrnn
              cell_type: gru
              state_size: 32
              num_rec_layers: 1
              conv_layers: [{num_filters: 64}, {num_filters: 16}]
        output_features:
          - {name: label, type: binary}
    """,
    )
    entry = _lint(run_cli, path)
    assert entry["layers"][0]["params"] == 3 * (32 * (16 + 32) + 2 * 32)


def test_generator_decoder_and_custom_cells_are_unknown(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "model.yaml",
        """
        input_features:
          - {name: text, type: text, encoder: rnn, cell_type: layer_norm_lstm}
        output_features:
          - {name: answer, type: sequence, decoder: generator, cell_type: lstm}
    """,
    )
    entry = _lint(run_cli, path)
    codes = [d["code"] for d in entry["diagnostics"]]
    assert codes.count("RNN205") == 2
    assert all(layer["params"] is None for layer in entry["layers"])


@needs_corpus
def test_non_recurrent_ludwig_config_has_no_layers(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, CORPUS / "ludwig" / "ludwig__ludwig__examples_hyperparameters_base_model.yaml")
    assert entry["dialect"] == "ludwig" and entry["layers"] == []


@needs_corpus
def test_sequence_combiner_input_is_unknown_with_a_note(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, CORPUS / "ludwig" / "ludwig__ludwig__examples_hyperparameters_model.yaml")
    (layer,) = entry["layers"]
    assert layer["name"] == "sequence combiner encoder" and layer["params"] is None
    assert any("input_size = N" in n for n in _notes(entry))


def test_detection_needs_both_feature_lists(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("other.yaml", "input_features: [{name: a, type: text, encoder: rnn}]\n")
    entry = _lint(run_cli, path)
    assert entry["skipped"] is True


def test_parts_not_counted_are_omissions() -> None:
    text = """
input_features:
  - name: utterance
    type: text
    encoder: {type: rnn, cell_type: lstm, state_size: 8, embedding_size: 4, num_fc_layers: 2}
  - name: review
    type: text
    encoder: {type: cnnrnn, cell_type: gru, state_size: 8}
  - {name: city, type: category}
  - {name: amount, type: number}
  - {name: series, type: timeseries, encoder: {type: passthrough}}
  - {name: image, type: image, encoder: {type: stacked_cnn}}
combiner: {type: transformer}
output_features:
  - {name: intent, type: category}
  - {name: answer, type: sequence, decoder: generator}
"""
    docs, problems = parse_yaml(text)
    assert not problems
    model = ludwig.adapt(docs[0], AdaptOptions(path="model.yaml")).model
    assert model is not None
    assert [o.message for o in model.omitted] == [
        "the utterance feature's embedding is not counted (vocabulary x embedding width; the vocabulary comes from "
        "the training data)",
        "the utterance encoder's fully connected layers are not counted",
        "the review feature's embedding is not counted (vocabulary x embedding width; the vocabulary comes from "
        "the training data)",
        "the review encoder's convolution layers are not counted",
        "the city feature's encoder (Ludwig's default for category features) is not counted",
        "the image feature's stacked_cnn encoder is not counted",
        "the transformer combiner is not counted",
        "the intent output feature's decoder is not counted (it reads the combiner's output, whose width rnnlint "
        "does not derive)",
    ]  # number and passthrough build nothing; the generator decoder is an unknown layer (RNN205) instead
    assert [o.span.line for o in model.omitted][:2] == [5, 5]  # the encoder mapping


def test_a_counted_rnn_is_not_the_whole_model(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "model.yaml",
        """
        ludwig_version: "0.8"
        input_features:
          - {name: signal, type: timeseries, encoder: {type: rnn, cell_type: gru, state_size: 16, num_layers: 1}}
        output_features:
          - {name: label, type: binary}
    """,
    )
    write("rnnlint.toml", '[[overrides]]\nfiles = ["*.yaml"]\ninput_size = 3\n')
    result = run_cli("--format", "json", path)
    (entry,) = result.json()["files"]
    assert entry["layers"][0]["params"] == 3 * (16 * (3 + 16) + 2 * 16)  # PyTorch GRU
    assert not [d for d in entry["diagnostics"] if d["code"] == "RNN104"]
    assert entry["complete"] is False  # the binary decoder is built but not counted
