"""SpeechBrain HyperPyYAML through the real CLI: tags are never executed, !ref arithmetic is rnnlint's own."""

from __future__ import annotations

from typing import Any

import pytest

from rnnlint.dialects import speechbrain
from rnnlint.loader import Tagged, parse_yaml


def _file(data: dict[str, Any]) -> dict[str, Any]:
    files = [f for f in data["files"] if not f["skipped"]]
    assert len(files) == 1, data
    return files[0]


def _layers(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {layer["name"]: layer for layer in _file(data)["layers"]}


VAD = """
rnn_layers: 2
rnn_neurons: 32
n_mels: 40
cnn: !new:speechbrain.nnet.containers.Sequential
    input_shape: [null, null, !ref <n_mels>]
rnn: !new:speechbrain.nnet.RNN.GRU
    input_shape: [null, null, 320]
    hidden_size: !ref <rnn_neurons>
    num_layers: !ref <rnn_layers>
    bidirectional: True
dnn: !new:speechbrain.nnet.linear.Linear
    input_size: !ref <rnn_neurons> * 2
    n_neurons: !ref (<rnn_neurons> - 16) // 4
model: !new:torch.nn.ModuleList
    - [!ref <cnn>, !ref <rnn>, !ref <dnn>]
"""


def test_gru_with_refs_and_input_shape(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("train.yaml", VAD)
    data = run_cli("--format", "json", path).json()
    entry = _file(data)
    assert entry["dialect"] == "speechbrain"
    layers = _layers(data)
    assert layers["rnn"]["params"] == 86_784  # the EXPECTED.json figure for LibriParty VAD
    assert (layers["rnn"]["line"], layers["rnn"]["column"]) == (6, 6)
    # Linear(64 -> (32 - 16) // 4 = 4): arithmetic with parentheses and //
    assert layers["dnn"]["params"] == 64 * 4 + 4
    # the ModuleList's !ref entries are the same objects: counted once
    assert [layer["name"] for layer in entry["layers"]] == ["rnn", "dnn"]
    assert entry["complete"] is True


def test_lstm_defaults_are_notes(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "lstm.yaml",
        """
        enc_dim: 4
        enc: !new:speechbrain.nnet.RNN.LSTM
            input_size: !ref <enc_dim>
            hidden_size: 8
        """,
    )
    entry = _file(run_cli("--format", "json", path).json())
    assert entry["layers"][0]["params"] == 4 * (8 * (4 + 8) + 2 * 8)
    notes = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]
    assert any("num_layers" in n for n in notes) and any("bidirectional" in n for n in notes)
    assert entry["complete"] is False


def test_stacked_cells_and_nested_refs(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "cells.yaml",
        """
        sizes:
            hidden: 16
            layers: 3
        feat: 10
        cell: !new:speechbrain.nnet.RNN.LSTMCell
            input_shape: [null, !ref <feat>]
            hidden_size: !ref <sizes[hidden]>
            num_layers: !ref <sizes.layers>
        """,
    )
    layer = _file(run_cli("--format", "json", path).json())["layers"][0]
    first = 4 * (16 * (10 + 16) + 2 * 16)
    rest = 4 * (16 * (16 + 16) + 2 * 16)
    assert layer["params"] == first + 2 * rest


def test_attentional_decoder_and_rnnlm(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "asr.yaml",
        """
        emb_size: 128
        output_neurons: 1000
        dec: !new:speechbrain.nnet.RNN.AttentionalRNNDecoder
            enc_dim: 512
            input_size: !ref <emb_size>
            rnn_type: gru
            attn_type: location
            hidden_size: 1024
            attn_dim: 1024
            num_layers: 1
        lm_model: !new:speechbrain.lobes.models.RNNLM.RNNLM
            output_neurons: !ref <output_neurons>
            embedding_dim: !ref <emb_size>
            rnn_layers: 2
            rnn_neurons: 2048
            dnn_blocks: 1
            dnn_neurons: 512
        """,
    )
    data = run_cli("--format", "json", path).json()
    layers = _layers(data)
    assert layers["dec"]["params"] == 6_690_816  # GRUCell(128 + 1024, 1024)
    assert layers["dec.proj"]["params"] == 2048 * 1024 + 1024
    assert layers["lm_model.rnn"]["params"] == 51_412_992
    assert layers["lm_model.embedding"]["params"] == 128_000
    assert layers["lm_model.out"]["params"] == 512 * 1000 + 1000
    messages = [d["message"] for d in _file(data)["diagnostics"]]
    assert any("attention module is not counted" in m for m in messages)
    assert any("rnn_class not stated" in m for m in messages)


def test_crdnn_rnn_input_is_derived_and_said(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "crdnn.yaml",
        """
        n_mels: 40
        cnn_channels: (128, 256)
        enc: !new:speechbrain.lobes.models.CRDNN.CRDNN
            input_shape: [null, null, !ref <n_mels>]
            cnn_blocks: 2
            cnn_channels: !ref <cnn_channels>
            inter_layer_pooling_size: (2, 2)
            rnn_class: !name:speechbrain.nnet.RNN.LSTM
            rnn_layers: 1
            rnn_neurons: 8
            rnn_bidirectional: False
        """,
    )
    entry = _file(run_cli("--format", "json", path).json())
    # input 256 channels x (40 // 2 // 2) = 2560
    assert entry["layers"][0]["params"] == 4 * (8 * (2560 + 8) + 2 * 8)
    assert any("cnn_channels[-1] x (40 // 2 // 2) = 2560" in d["message"] for d in entry["diagnostics"])


def test_custom_cells_and_unresolvable_values(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "ligru.yaml",
        """
        data_folder: !PLACEHOLDER
        feat: !apply:speechbrain.lobes.models.g2p.model.input_dim
            embedding_dim: 4
        ligru: !new:speechbrain.nnet.RNN.LiGRU
            input_shape: [null, null, 40]
            hidden_size: 8
        enc: !new:speechbrain.nnet.RNN.LSTM
            input_shape: [null, null, !ref <feat>]
            hidden_size: 8
            num_layers: 1
            bidirectional: false
        """,
    )
    result = run_cli("--format", "json", path)
    assert "Traceback" not in result.err
    entry = _file(result.json())
    codes = [d["code"] for d in entry["diagnostics"]]
    assert "RNN205" in codes
    assert any("input size unknown" in d["message"] for d in entry["diagnostics"])
    assert [layer["params"] for layer in entry["layers"]] == [None, None]


@pytest.mark.parametrize(
    "expression, expected",
    [("<a> * 2", 20), ("<a> - 1", 9), ("2 * <a>", 20), ("(<a> + 2) // 5", 2), ("<a> / 4", 2.5), ("-<a> + 12", 2)],
)
def test_ref_arithmetic(expression: str, expected: float) -> None:
    resolver = speechbrain.Resolver({"a": 10})
    assert resolver.expression(expression) == expected


@pytest.mark.parametrize("expression", ["results/<a>", "<missing>", "<a> +", "__import__('os')", "<a> / 0"])
def test_ref_arithmetic_refuses(expression: str) -> None:
    with pytest.raises(speechbrain.Unresolved):
        speechbrain.Resolver({"a": 10, "loop": Tagged("!ref", "<loop>")}).expression(expression)


def test_ref_cycle_is_unresolved() -> None:
    resolver = speechbrain.Resolver({"x": Tagged("!ref", "<y> + 1"), "y": Tagged("!ref", "<x>")})
    with pytest.raises(speechbrain.Unresolved):
        resolver.lookup("x")


def test_detection() -> None:
    docs, _ = parse_yaml("model: !new:speechbrain.lobes.models.RNNLM.RNNLM\n  output_neurons: 10\n")
    assert speechbrain.detect(docs[0].data)
    assert not speechbrain.detect({"model": {"encoder": {"_target_": "x"}}})
    assert not speechbrain.detect({"encoder": "rnn", "elayers": 4})
    assert not speechbrain.detect([1, 2])
