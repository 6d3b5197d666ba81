"""SpeechBrain HyperPyYAML through the real CLI: tags are never executed, !ref arithmetic is rnnlint's own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rnnlint.dialects import speechbrain
from rnnlint.parse.document import Tagged
from rnnlint.parse.yaml import parse_yaml
from tests.conftest import REPO

# Built by SpeechBrain itself (tools/gen_speechbrain_fixtures.py): per top-level module, sum(p.numel()).
FIXTURE_CASES: list[dict[str, Any]] = json.loads(
    (REPO / "tests" / "fixtures" / "speechbrain_cases.json").read_text(encoding="utf-8")
)["cases"]


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


def test_crdnn_counts_its_cnn_rnn_and_dnn(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "crdnn.yaml",
        """
        n_mels: 40
        cnn_channels: (128, 256)
        enc: !new:speechbrain.lobes.models.CRDNN.CRDNN
            input_shape: [null, null, !ref <n_mels>]
            cnn_blocks: 2
            cnn_channels: !ref <cnn_channels>
            cnn_kernelsize: (3, 3)
            inter_layer_pooling_size: (2, 2)
            rnn_class: !name:speechbrain.nnet.RNN.LSTM
            rnn_layers: 1
            rnn_neurons: 8
            rnn_bidirectional: False
            dnn_blocks: 1
            dnn_neurons: 6
        """,
    )
    entry = _file(run_cli("--format", "json", path).json())
    layers = {layer["name"]: layer["params"] for layer in entry["layers"]}
    # CNN_Block: Conv2d(1->128, 3x3) + LayerNorm(40x128) + Conv2d(128->128) + LayerNorm(40x128), pool 40 -> 20
    assert layers["enc.CNN.block_0"] == (128 * 9 + 128) + 2 * 40 * 128 + (128 * 128 * 9 + 128) + 2 * 40 * 128
    assert layers["enc.CNN.block_1"] == (256 * 128 * 9 + 256) + 2 * 20 * 256 + (256 * 256 * 9 + 256) + 2 * 20 * 256
    # RNN input 256 channels x (40 // 2 // 2) = 2560
    assert layers["enc.RNN"] == 4 * (8 * (2560 + 8) + 2 * 8)
    # DNN_Block: Linear(8 -> 6) + BatchNorm1d(6)
    assert layers["enc.DNN.block_0"] == 8 * 6 + 6 + 2 * 6
    assert entry["complete"] is True and entry["total_params"] == sum(layers.values())


def test_vad_sequential_cnn_and_dnn_are_counted(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    vad = next(c for c in FIXTURE_CASES if c["name"] == "vad_sequential")
    path = write("train.yaml", vad["yaml"])
    entry = _file(run_cli("--format", "json", path).json())
    layers = {layer["name"]: layer["params"] for layer in entry["layers"]}
    assert layers == {
        "cnn.norm1": 80,
        "cnn.cnn1": 5_040,
        "cnn.cnn2": 16_448,
        "rnn": 86_784,
        "dnn.dnn1": 1_072,
        "dnn.dnn2": 304,
        "dnn.lin": 16,
    }
    assert entry["total_params"] == entry["counted_params"] == 109_744
    # the recipe leaves CNN_Block's pooling_size to its default, which sizes cnn2's LayerNorm
    notes = [d for d in entry["diagnostics"] if d["code"] == "RNN104"]
    assert [n["message"].split(":")[0] for n in notes] == ["cnn.cnn1", "cnn.cnn2"]
    assert all("pooling_size not stated" in n["message"] for n in notes)
    assert entry["complete"] is False
    stated = vad["yaml"].replace("kernel_size: (3, 3)", "kernel_size: (3, 3)\n        pooling_size: 2")
    entry = _file(run_cli("--format", "json", write("stated.yaml", stated)).json())
    assert entry["total_params"] == 109_744 and entry["complete"] is True
    assert "RNN104" not in [d["code"] for d in entry["diagnostics"]]


def test_sequential_entry_that_cannot_be_sized_is_an_omission(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "seq.yaml",
        """
        net: !new:speechbrain.nnet.containers.Sequential
            input_shape: [null, null, 10]
            lin: !name:speechbrain.nnet.linear.Linear
                n_neurons: 4
            odd: !name:speechbrain.nnet.CNN.SincConv
                out_channels: 3
                kernel_size: 5
            after: !name:speechbrain.nnet.linear.Linear
                n_neurons: 2
        rnn: !new:speechbrain.nnet.RNN.GRU
            input_size: 4
            hidden_size: 2
        """,
    )
    entry = _file(run_cli("--format", "json", path).json())
    layers = {layer["name"]: layer["params"] for layer in entry["layers"]}
    assert layers == {"net.lin": 10 * 4 + 4, "rnn": 3 * (2 * (4 + 2) + 2 * 2)}
    assert entry["total_params"] is None
    assert entry["counted_params"] == 44 + 48
    assert entry["complete"] is False
    notes = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN106"]
    assert any("net.odd (SincConv) is not counted" in n for n in notes)
    assert any("net.after (Linear) is not counted: its input shape follows net.odd" in n for n in notes)


def test_dropout_reaches_rnn203_only_where_torch_gets_it(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "drop.yaml",
        """
        rnn: !new:speechbrain.nnet.RNN.LSTM
            input_size: 4
            hidden_size: 2
            num_layers: 1
            dropout: 0.3
        cell: !new:speechbrain.nnet.RNN.LSTMCell
            input_size: 4
            hidden_size: 2
            num_layers: 1
            dropout: 0.3
        enc: !new:speechbrain.lobes.models.CRDNN.CRDNN
            input_size: 8
            cnn_blocks: 0
            rnn_class: !name:speechbrain.nnet.RNN.GRU
            rnn_layers: 1
            rnn_neurons: 4
            dnn_blocks: 0
            dropout: 0.3
        """,
    )
    entry = _file(run_cli("--format", "json", path).json())
    warned = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN203"]
    # speechbrain/nnet/RNN.py LSTM passes dropout to torch.nn.LSTM; LSTMCell and CRDNN use their own Dropout
    assert len(warned) == 1 and warned[0].startswith("rnn (lstm)")


def test_dual_path_copies_its_rnn_blocks_and_omits_transformers(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    dprnn = next(c for c in FIXTURE_CASES if c["name"] == "dprnn")
    entry = _file(run_cli("--format", "json", write("dprnn.yaml", dprnn["yaml"])).json())
    layers = {layer["name"]: layer for layer in entry["layers"]}
    # SBRNNBlock templates deep-copied into 3 Dual_Computation_Blocks, listed at the template
    assert layers["MaskNet.intra_model"]["params"] == 3 * 2 * 4 * (10 * (12 + 10) + 2 * 10)
    assert (
        layers["MaskNet.intra_model"]["line"]
        == dprnn["yaml"].splitlines().index("intra: !new:speechbrain.lobes.models.dual_path.SBRNNBlock") + 1
    )
    assert layers["MaskNet.inter_model"]["params"] == 3 * (3 * (7 * (12 + 7) + 2 * 7) + 3 * (7 * (7 + 7) + 2 * 7))
    assert "intra" not in layers and "inter" not in layers  # the templates themselves are not trained
    assert entry["total_params"] == dprnn["total"] and entry["complete"] is True
    sepformer = dprnn["yaml"].replace("dual_path.SBRNNBlock", "dual_path.SBTransformerBlock")
    entry = _file(run_cli("--format", "json", write("sepformer.yaml", sepformer)).json())
    assert entry["layers"] == [] and entry["total_params"] is None
    (omission,) = entry["omitted"]
    assert omission["message"].startswith("the model (Encoder, SBTransformerBlock, Dual_Path_Model, Decoder)")


def test_skim_counts_seg_and_mem_lstms(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    skim = next(c for c in FIXTURE_CASES if c["name"] == "skim")
    entry = _file(run_cli("--format", "json", write("skim.yaml", skim["yaml"])).json())
    layers = {layer["name"]: layer["params"] for layer in entry["layers"]}
    lstm = 2 * 4 * (9 * (12 + 9) + 2 * 9)  # SegLSTM: nn.LSTM(12, 9, bidirectional)
    assert layers["MaskNet.seg_model"] == 4 * lstm
    memory = 2 * 4 * (9 * (18 + 9) + 2 * 9)  # MemLSTM h and c nets: LSTM(2 x 9, 9, bidirectional)
    assert layers["MaskNet.mem_model"] == 2 * 3 * memory
    assert sum(layers.values()) == entry["total_params"] == skim["total"]


def test_model_parts_rnnlint_does_not_count_are_omissions(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "transducer.yaml",
        """
        enc: !new:speechbrain.lobes.models.transformer.TransformerASR.TransformerASR
            input_size: 640
            d_model: 256
        loss: !new:speechbrain.nnet.losses.TransducerLoss
        dec: !new:speechbrain.nnet.RNN.LSTM
            input_size: 128
            hidden_size: 64
        """,
    )
    entry = _file(run_cli("--format", "json", path).json())
    assert [o["message"] for o in entry["omitted"]] == ["enc (TransformerASR) is not counted"]
    assert entry["total_params"] is None and entry["counted_params"] == 4 * (64 * (128 + 64) + 2 * 64)


def test_golden_fixtures_match_speechbrain(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert len(FIXTURE_CASES) >= 6
    mismatches = []
    for case in FIXTURE_CASES:
        path = tmp_path / f"{case['name']}.yaml"
        path.write_text(case["yaml"], encoding="utf-8")
        entry = _file(run_cli("--format", "json", path).json())
        for key, expected in case["modules"].items():
            got = [layer["params"] for layer in entry["layers"] if layer["name"].split(".")[0] == key]
            if not got or None in got or sum(got) != expected:
                mismatches.append((case["name"], key, expected, got))
        if entry["total_params"] != case["total"]:
            mismatches.append((case["name"], "total", case["total"], entry["total_params"]))
    assert not mismatches


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
