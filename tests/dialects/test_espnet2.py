"""ESPnet2 configs through the real CLI: encoder/decoder/lm/tts classes with their *_conf blocks."""

from __future__ import annotations

import math
from typing import Any

from rnnlint.dialects import espnet2


def _lstm(i: int, h: int, directions: int = 1, gates: int = 4) -> int:
    """One layer of torch nn.LSTM/GRU (or one cell), written out independently of rnnlint."""
    return directions * gates * (h * (i + h) + 2 * h)


def _entry(run_cli, path: Any, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--isolated", *args, path)
    assert "Traceback" not in result.out + result.err
    files = [f for f in result.json()["files"] if not f["skipped"]]
    assert len(files) == 1
    entry: dict[str, Any] = files[0]
    assert entry["dialect"] == "espnet2"
    return entry


def _layers(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {layer["name"]: layer for layer in entry["layers"]}


def _notes(entry: dict[str, Any]) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]


RNN_ASR = """\
encoder: rnn
encoder_conf:
    rnn_type: gru
    num_layers: 2
    hidden_size: 10
    output_size: 6
decoder: rnn
decoder_conf:
    num_layers: 1
    hidden_size: 8
max_epoch: 10
"""


def test_rnn_encoder_defaults_to_bidirectional_projection(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("asr.yaml", RNN_ASR))
    layers = _layers(entry)
    # bidirectional and use_projection default to true: RNNP of bidirectional GRUs on n_mels 80.
    assert layers["encoder"]["params"] == _lstm(80, 10, 2, gates=3) + _lstm(6, 10, 2, gates=3)
    assert layers["encoder"]["type"] == "bgrup"
    assert (layers["encoder"]["line"], layers["encoder"]["column"]) == (3, 5)
    assert layers["decoder"]["params"] == _lstm(8 + 6, 8)
    notes = _notes(entry)
    assert any("assumed 80" in n and "input_size = N" in n for n in notes)
    assert any("encoder_conf.bidirectional: True" in n and "decoder_conf.rnn_type: lstm" in n for n in notes)
    assert entry["complete"] is False


def test_frontend_n_mels_and_override_give_the_input(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("asr.yaml", RNN_ASR + "frontend_conf:\n    n_mels: 40\n")
    entry = _entry(run_cli, path)
    assert _layers(entry)["encoder"]["params"] == _lstm(40, 10, 2, gates=3) + _lstm(6, 10, 2, gates=3)
    assert not any("assumed 80" in n for n in _notes(entry))
    config = write("pyproject.toml", '[[tool.rnnlint.overrides]]\nfiles = ["asr.yaml"]\ninput_size = 83\n')
    entry = run_cli("--format", "json", "--config", config, path).json()["files"][0]
    assert _layers(entry)["encoder"]["params"] == _lstm(83, 10, 2, gates=3) + _lstm(6, 10, 2, gates=3)


def test_vgg_rnn_without_projection(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "encoder: vgg_rnn\nencoder_conf:\n  rnn_type: lstm\n  bidirectional: true\n  use_projection: false\n"
        "  num_layers: 2\n  hidden_size: 8\n  output_size: 4\n"
    )
    entry = _entry(run_cli, write("asr.yaml", text))
    vgg_out = 128 * math.ceil(math.ceil(80 / 2) / 2)
    assert _layers(entry)["encoder"]["params"] == _lstm(vgg_out, 8, 2) + _lstm(16, 8, 2)
    assert _layers(entry)["encoder output projection (l_last)"]["params"] == 16 * 4 + 4


def test_rnn_decoder_after_a_transformer_encoder(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "encoder: transformer\nencoder_conf:\n  num_blocks: 12\ndecoder: rnn\ndecoder_conf:\n  hidden_size: 8\n"
    entry = _entry(run_cli, write("asr.yaml", text))
    # The transformer encoder's output_size defaults to 256; it builds no RNN itself.
    assert [layer["name"] for layer in entry["layers"]] == ["decoder"]
    assert entry["layers"][0]["params"] == _lstm(8 + 256, 8)


def test_transducer_decoder_stack(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "encoder: conformer\ndecoder: transducer\ndecoder_conf:\n  rnn_type: lstm\n  num_layers: 2\n  hidden_size: 6\n"
    )
    entry = _entry(run_cli, write("rnnt.yaml", text))
    assert _layers(entry)["decoder"]["params"] == 2 * _lstm(6, 6)


def test_seq_rnn_lm(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "lm: seq_rnn\nlm_conf:\n  rnn_type: gru\n  unit: 12\n  nhid: 10\n  nlayers: 2\n"
    entry = _entry(run_cli, write("lm.yaml", text))
    assert _layers(entry)["lm"]["params"] == _lstm(12, 10, gates=3) + _lstm(10, 10, gates=3)


def test_tacotron2_and_fastspeech2(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "tts: tacotron2\ntts_conf:\n  embed_dim: 16\n  elayers: 1\n  eunits: 12\n  econv_layers: 1\n"
        "  econv_chans: 8\n  econv_filts: 3\n  dlayers: 2\n  dunits: 10\n  prenet_units: 4\n  spk_embed_dim: 5\n"
    )
    entry = _entry(run_cli, write("tts.yaml", text))
    layers = _layers(entry)
    assert layers["encoder"]["params"] == _lstm(8, 6, 2)  # eunits 12 is the total width
    # The speaker embedding is concatenated to the encoder output (the default integration).
    assert layers["decoder"]["params"] == _lstm(12 + 5 + 4, 10) + _lstm(10, 10)
    assert layers["encoder convolutions"]["params"] == 16 * 8 * 3 + 2 * 8
    fastspeech = _entry(run_cli, write("fs2.yaml", "tts: fastspeech2\ntts_conf:\n  elayers: 4\n  eunits: 1536\n"))
    assert fastspeech["layers"] == [] and fastspeech["diagnostics"] == []


def test_detection_negatives() -> None:
    assert not espnet2.detect({"etype": "blstmp", "elayers": 4})
    assert not espnet2.detect({"model": {"encoder": {"type": "recurrent"}}})
    assert not espnet2.detect({"encoder": "rnn"})  # no ESPnet2 key beside it
    assert espnet2.detect({"lm": "seq_rnn", "lm_conf": {}})
