"""ESPnet1 configs through the real CLI: model types, RNNP/VGG encoders, decoders, LMs, Tacotron2."""

from __future__ import annotations

import math
from typing import Any

from rnnlint.dialects import espnet1


def _lstm(i: int, h: int, directions: int = 1, gates: int = 4, bias: int = 2) -> int:
    """One layer of torch nn.LSTM/GRU (or one cell), written out independently of rnnlint."""
    return directions * gates * (h * (i + h) + bias * h)


def _entry(run_cli, path: Any, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--isolated", *args, path)
    assert "Traceback" not in result.out + result.err
    files = [f for f in result.json()["files"] if not f["skipped"]]
    assert len(files) == 1
    entry: dict[str, Any] = files[0]
    assert entry["dialect"] == "espnet1"
    return entry


def _layers(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {layer["name"]: layer for layer in entry["layers"]}


def _notes(entry: dict[str, Any]) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]


BLSTMP = """\
# encoder related
etype: blstmp
elayers: 2
eunits: 10
eprojs: 6
subsample: "1_2_2"
# decoder related
dlayers: 1
dunits: 8
batch-size: 30
"""


def test_blstmp_rnnp_stack_with_assumed_idim(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("train.yaml", BLSTMP))
    layers = _layers(entry)
    # RNNP: separate one-layer BLSTMs, layer 0 from idim 83, layer 1 from eprojs 6.
    assert layers["encoder"]["params"] == _lstm(83, 10, 2) + _lstm(6, 10, 2)
    assert layers["encoder"]["recurrent"] is True
    assert (layers["encoder"]["line"], layers["encoder"]["column"]) == (2, 1)
    # The bottlenecks Linear(2 * eunits, eprojs) are their own non-recurrent entry.
    projections = layers["encoder projections (bt0-bt1)"]
    assert projections["params"] == 2 * (20 * 6 + 6) and projections["recurrent"] is False
    # Decoder LSTMCell(dunits + eprojs, dunits).
    assert layers["decoder"]["params"] == _lstm(8 + 6, 8)
    notes = _notes(entry)
    assert any("assumed 83" in n and "input_size = N" in n for n in notes)
    assert any("dtype: lstm" in n for n in notes)  # the decoder type is the ESPnet1 default
    assert any("not counted" in n and "odim" in n for n in notes)
    assert entry["complete"] is False


def test_input_size_override_replaces_the_idim_assumption(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("train.yaml", BLSTMP)
    config = write("pyproject.toml", '[[tool.rnnlint.overrides]]\nfiles = ["train.yaml"]\ninput_size = 40\n')
    result = run_cli("--format", "json", "--config", config, path)
    entry = result.json()["files"][0]
    assert _layers(entry)["encoder"]["params"] == _lstm(40, 10, 2) + _lstm(6, 10, 2)
    assert not any("assumed 83" in n for n in _notes(entry))


def test_vggblstm_front_end_output_size(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "etype: vggblstm\nelayers: 2\neunits: 16\neprojs: 12\ndtype: gru\ndlayers: 2\ndunits: 8\n"
    entry = _entry(run_cli, write("train.yaml", text))
    layers = _layers(entry)
    vgg_out = 128 * math.ceil(math.ceil(83 / 2) / 2)  # 2688
    assert layers["encoder"]["params"] == _lstm(vgg_out, 16, 2) + _lstm(32, 16, 2)
    assert layers["encoder VGG2L"]["params"] == (64 * 9 + 64) + (64 * 64 * 9 + 64) + (64 * 128 * 9 + 128) + (
        128 * 128 * 9 + 128
    )
    assert layers["encoder output projection (l_last)"]["params"] == 32 * 12 + 12
    # GRU decoder: GRUCell(dunits + eprojs, dunits) then GRUCell(dunits, dunits).
    assert layers["decoder"]["params"] == _lstm(8 + 12, 8, gates=3) + _lstm(8, 8, gates=3)


def test_transformer_configs_have_no_recurrent_layer(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # elayers/eunits/dunits mean transformer blocks and feed-forward units here.
    text = (
        "model-module: espnet.nets.pytorch_backend.e2e_asr_transformer:E2E\nelayers: 12\neunits: 2048\ndunits: 2048\n"
    )
    entry = _entry(run_cli, write("transformer.yaml", text))
    assert entry["layers"] == [] and entry["diagnostics"] == []
    entry = _entry(run_cli, write("etype.yaml", "etype: transformer\nelayers: 12\neunits: 2048\n"))
    assert entry["layers"] == [] and entry["diagnostics"] == []


def test_language_models_without_and_with_a_type_key(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    default = _entry(run_cli, write("lm.yaml", "layer: 2\nunit: 16\nbatchsize: 512\nepoch: 20\n"))
    assert _layers(default)["lm"]["params"] == 2 * _lstm(16, 16)
    assert _layers(default)["lm"]["type"] == "lstm_cell"
    seq = _entry(run_cli, write("seq.yaml", "layer: 1\nunit: 16\ntype: gru\nmodel-module: seq_rnn\n"))
    assert _layers(seq)["lm"]["params"] == _lstm(16, 16, gates=3)
    transformer = _entry(run_cli, write("tlm.yaml", "layer: 16\nunit: 2048\nmodel-module: transformer\n"))
    assert transformer["layers"] == []


def test_tacotron2_eunits_is_the_total_width(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "embed-dim: 32\nelayers: 1\neunits: 20\neconv-layers: 0\n"
        "econv-chans: 32\ndlayers: 1\ndunits: 24\nprenet-layers: 2\nprenet-units: 8\n"
    )
    entry = _entry(run_cli, write("tts.yaml", text))
    layers = _layers(entry)
    # Without convolutions the BLSTM reads embed-dim; eunits 20 is 10 per direction.
    assert layers["encoder"]["params"] == _lstm(32, 10, 2)
    assert layers["decoder"]["params"] == _lstm(20 + 8, 24)
    assert "encoder convolutions" not in layers


def test_transducer_rnn_encoder_sums_directions(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "model-module: espnet.nets.pytorch_backend.e2e_asr_transducer:E2E\n"
        "etype: blstm\nelayers: 3\neunits: 8\neprojs: 6\ndtype: lstm\ndlayers: 1\ndunits: 5\ndec-embed-dim: 4\n"
    )
    entry = _entry(run_cli, write("rnnt.yaml", text))
    layers = _layers(entry)
    assert layers["encoder"]["params"] == _lstm(83, 8, 2) + 2 * _lstm(8, 8, 2)
    assert layers["encoder output projection (l_last)"]["params"] == 8 * 6 + 6
    assert layers["decoder"]["params"] == _lstm(4, 5)


def test_machine_translation_encoder_reads_the_source_embedding(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "etype: blstm\nelayers: 1\neunits: 8\neprojs: 8\ndlayers: 1\ndunits: 12\ntie-src-tgt-embedding: false\n"
    entry = _entry(run_cli, write("mt.yaml", text))
    assert _layers(entry)["encoder"]["params"] == _lstm(12, 8, 2)
    assert not any("idim" in n for n in _notes(entry))


def test_single_layer_rnn_encoder_with_dropout_is_rnn203(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("train.yaml", "etype: blstm\nelayers: 1\neunits: 8\neprojs: 8\ndropout-rate: 0.2\n"))
    assert any(d["code"] == "RNN203" for d in entry["diagnostics"])


def test_unknown_etype_is_rnn205(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("train.yaml", "etype: blstmx\nelayers: 1\neunits: 8\neprojs: 8\n"))
    assert any(d["code"] == "RNN205" for d in entry["diagnostics"])


def test_detection_negatives() -> None:
    assert not espnet1.detect({"encoder": "rnn", "encoder_conf": {"num_layers": 2}})
    assert not espnet1.detect({"model": {"layers": []}, "etype": "blstm"})
    assert not espnet1.detect({"layer": 2, "unit": 10})  # no ESPnet1 training key beside them
    assert espnet1.detect({"layer": 2, "unit": 10, "batchsize": 4})
