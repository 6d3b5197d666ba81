"""ESPnet2 configs through the real CLI: encoder/decoder/lm/tts classes with their *_conf blocks."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from rnnlint.dialects import espnet2
from tests.conftest import REPO, SHARED, needs_shared

HERE = Path(__file__).resolve().parent / "espnet2"
FIXTURE = REPO / "tests" / "fixtures" / "espnet2_cases.json"


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
    assert [layer["name"] for layer in entry["layers"]] == ["decoder", "decoder attention"]
    assert entry["layers"][0]["params"] == _lstm(8 + 256, 8)
    # The default location attention (adim 320, aconv_chans 10, aconv_filts 100) over the encoder's 256.
    location = (256 * 320 + 320) + 8 * 320 + 10 * 320 + 10 * 201 + 321
    assert entry["layers"][1]["params"] == location
    assert any("att_conf.atype: location" in n for n in _notes(entry))


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
    # FastSpeech2 builds no RNN: never "total 0, complete"; one omission names it, and no RNN104 note.
    assert fastspeech["layers"] == [] and fastspeech["complete"] is False and fastspeech["total_params"] is None
    assert not _notes(fastspeech)


def test_detection_negatives() -> None:
    assert not espnet2.detect({"etype": "blstmp", "elayers": 4})
    assert not espnet2.detect({"model": {"encoder": {"type": "recurrent"}}})
    assert not espnet2.detect({"encoder": "rnn"})  # no ESPnet2 key beside it
    assert espnet2.detect({"lm": "seq_rnn", "lm_conf": {}})


def _omissions(entry: dict[str, Any]) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN106"]


def _codes(entry: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


def test_golden_fixtures_match_real_espnet(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every case was built with ESPnet2 itself (tools/gen_espnet2_fixtures.py)."""
    cases = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
    kinds = {case["kind"] for case in cases}
    assert len(cases) >= 80 and {"enh/rnn", "enh/tfgridnet", "tts/tacotron2+gst", "svs/naive_rnn_dp"} <= kinds
    for case in cases:
        (tmp_path / f"{case['name']}.yaml").write_text(json.dumps(case["config"]), encoding="utf-8")
    result = run_cli("--format", "json", "--isolated", "--no-cache", tmp_path)
    by_name = {Path(f["path"]).stem: f for f in result.json()["files"]}
    fully_counted = 0
    for case in cases:
        entry = by_name[case["name"]]
        assert entry["dialect"] == "espnet2", case["name"]
        assert {layer["name"]: layer["params"] for layer in entry["layers"]} == case["params"], case["name"]
        if "total" in case and sum(case["params"].values()) == case["total"]:
            # rnnlint counts everything this model has: its total is ESPnet's, with no omission.
            assert entry["total_params"] == case["total"], case["name"]
            assert not _omissions(entry), case["name"]
            fully_counted += 1
    assert fully_counted >= 40


def test_enhancement_rnn_separator(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "enh_rnn.yaml")
    layers = _layers(entry)
    bins = 64 // 2 + 1  # the STFT encoder's output: n_fft // 2 + 1
    assert layers["separator.rnn"]["params"] == _lstm(bins, 6, 2) + _lstm(12, 6, 2)
    assert layers["separator.rnn projection (l_last)"]["params"] == 12 * 6 + 6
    assert layers["separator.linear"]["params"] == 2 * (6 * bins + bins)  # one mask per speaker
    assert entry["total_params"] == entry["counted_params"] == sum(v["params"] for v in layers.values())
    assert entry["complete"] is True and not _omissions(entry) and not _notes(entry)


def test_enhancement_separators_not_understood_or_without_rnn(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    dccrn = _entry(run_cli, write("dccrn.yaml", "encoder: stft\nseparator: dccrn\nseparator_conf:\n  rnn_layer: 2\n"))
    assert any("DCCRNSeparator" in m for m in _codes(dccrn, "RNN205"))
    assert dccrn["total_params"] is None
    tcn = _entry(
        run_cli,
        write(
            "tcn.yaml",
            "encoder: conv\nencoder_conf:\n  channel: 4\n  kernel_size: 2\n  stride: 1\n"
            "separator: tcn\nseparator_conf:\n  layer: 8\n",
        ),
    )
    assert tcn["complete"] is False and tcn["total_params"] is None and not _notes(tcn)
    assert [layer["name"] for layer in tcn["layers"]] == ["encoder (conv)"]


def test_enhancement_partial_separator_says_what_is_left_out(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "encoder: stft\nencoder_conf:\n  n_fft: 960\nseparator: bsrnn\nseparator_conf:\n  num_spk: 1\n"
        "  num_channels: 4\n  num_layers: 1\n  causal: false\n  predict_noise: false\n"
    )
    entry = _entry(run_cli, write("bsrnn.yaml", text))
    layers = _layers(entry)
    assert layers["separator.bsrnn.rnn_time"]["params"] == _lstm(4, 8, 2)
    assert layers["separator.bsrnn.rnn_freq"]["params"] == _lstm(4, 8, 2)
    assert entry["total_params"] is None and entry["counted_params"] == sum(v["params"] for v in layers.values())
    assert any("band split and mask decoder" in m for m in _omissions(entry))


def test_transformer_asr_names_what_is_not_counted(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "asr_conformer.yaml")
    assert entry["layers"] == []
    assert entry["complete"] is False and entry["total_params"] is None
    assert not _notes(entry)  # RNN104 only where an assumed value changes a reported count


def test_transducer_joint_projections_are_counted(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "asr_transducer.yaml")
    layers = _layers(entry)
    assert layers["decoder"]["params"] == _lstm(6, 6)
    assert layers["joint network lin_enc"]["params"] == 16 * 10 + 10  # encoder_conf.output_size -> joint space
    assert layers["joint network lin_dec"]["params"] == 6 * 10 + 10
    omissions = _omissions(entry)
    assert any("lin_out" in m and "vocabulary" in m for m in omissions)
    # The fixed-size projections are not blamed on the vocabulary.
    assert not any("lin_enc" in m or "lin_dec" in m for m in omissions)
    assert any("conformer encoder" in m for m in omissions)


def test_tacotron2_gst_reference_encoder_gru(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "tts_gst.yaml")
    layers = _layers(entry)
    # n_mels 40 through two stride-2 3x3 convs (padding 1): 40 -> 20 -> 10 bins x 8 channels.
    assert layers["gst reference encoder gru"]["params"] == _lstm(10 * 8, 6, gates=3)
    assert layers["gst reference encoder gru"]["type"] == "gru"
    assert layers["gst reference encoder convolutions"]["params"] == (1 * 4 * 9 + 8) + (4 * 8 * 9 + 16)
    assert layers["gst style token embeddings"]["params"] == 5 * (12 // 2)
    assert entry["recurrent_params"] == sum(
        layers[name]["params"] for name in ("encoder", "decoder", "gst reference encoder gru")
    )


def test_svs_naive_rnn_is_a_model_config(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "svs_naive_rnn.yaml")
    layers = _layers(entry)
    lstm = _lstm(6, 6, 2) + _lstm(12, 6, 2)  # two bidirectional layers of eunits 6
    assert layers["encoder"]["params"] == layers["midi_encoder"]["params"] == lstm
    assert layers["midi_projection"]["params"] == 12 * 12 + 12
    assert layers["decoder"]["params"] == _lstm(6, 6)
    assert any("postnet" in m for m in _omissions(entry))
    # NaiveRNN passes ddropout_rate to the decoder's nn.LSTM itself: with one layer it has no effect.
    assert any("decoder" in m for m in _codes(entry, "RNN203"))


@needs_shared
def test_realworld_separators_are_never_silently_skipped(run_cli) -> None:  # type: ignore[no-untyped-def]
    tree = SHARED / "realworld" / "Masao-Someki+espnet" / "egs2"
    if not tree.is_dir():
        pytest.skip("needs ../shared/realworld")
    files = [p for p in tree.rglob("*.yaml") if p.is_file() and not p.is_symlink()]
    enh = [
        p
        for p in files
        if p.read_text(encoding="utf-8", errors="replace").startswith("separator:")
        or "\nseparator:" in p.read_text(encoding="utf-8", errors="replace")
    ]
    assert len(enh) >= 40
    result = run_cli("--format", "json", "--isolated", "--no-cache", *enh)
    for entry in result.json()["files"]:
        assert entry["dialect"] == "espnet2", entry["path"]
        # Counted, or an omission/RNN205 says why not: never "complete, total 0".
        assert entry["layers"] or not entry["complete"], entry["path"]


def test_wpe_beamformer_mask_estimator_is_espnet1_rnnp(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "encoder: stft\nencoder_conf:\n  n_fft: 16\nseparator: wpe_beamformer\nseparator_conf:\n  num_spk: 1\n"
        "  use_wpe: false\n  use_beamformer: true\n  bnet_type: blstmp\n  blayers: 2\n  bunits: 4\n  bprojs: 3\n"
        "  badim: 5\n  ref_channel: -1\n  use_noise_mask: true\n"
    )
    entry = _entry(run_cli, write("bf.yaml", text))
    layers = _layers(entry)
    bins = 16 // 2 + 1
    # RNNP: one-layer BLSTMs, each followed by Linear(2 x 4, 3); the second reads the projection.
    assert layers["separator.beamformer mask estimator"]["params"] == _lstm(bins, 4, 2) + _lstm(3, 4, 2)
    assert layers["separator.beamformer mask estimator projections (bt0-bt1)"]["params"] == 2 * (8 * 3 + 3)
    assert layers["separator.beamformer mask linears"]["params"] == 2 * (3 * bins + bins)  # speech + noise masks
    assert layers["separator.beamformer reference attention"]["params"] == (bins * 5 + 5) + (5 + 1)
    assert entry["total_params"] == sum(v["params"] for v in layers.values())


def test_joint_score2wav_counts_its_naive_rnn_dp(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "svs: joint_score2wav\nsvs_conf:\n  score2mel_type: naive_rnn_dp\n  score2mel_params:\n    elayers: 1\n"
        "    eunits: 4\n    ebidirectional: false\n    midi_embed_integration_type: add\n"
        "    dlayers: 1\n    dunits: 5\n"
        "    dbidirectional: false\n  vocoder_type: hifigan_generator\nmax_epoch: 1\n"
    )
    entry = _entry(run_cli, write("joint.yaml", text))
    layers = _layers(entry)
    assert [layers[n]["params"] for n in ("encoder", "midi_encoder", "duration_encoder")] == [_lstm(4, 4)] * 3
    assert layers["decoder"]["params"] == _lstm(4, 5)
    assert any("hifigan_generator vocoder" in m for m in _omissions(entry))


def test_lm_conf_alone_builds_the_default_seq_rnn(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(
        run_cli, write("train_lm.yaml", "lm_conf:\n    nlayers: 2\n    unit: 8\noptim: sgd\nmax_epoch: 20\n")
    )
    assert _layers(entry)["lm"]["params"] == _lstm(8, 8) + _lstm(8, 8)
    assert any("lm: seq_rnn" in n for n in _notes(entry))


def test_joint_enh_asr_counts_the_enhancement_front_end(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "enh_encoder: stft\nenh_encoder_conf:\n  n_fft: 16\nenh_separator: rnn\nenh_separator_conf:\n  rnn_type: lstm\n"
        "  num_spk: 1\n  predict_noise: false\n  layer: 1\n  unit: 4\nenh_decoder: stft\nasr_encoder: conformer\n"
        "asr_decoder: transformer\nmax_epoch: 1\n"
    )
    entry = _entry(run_cli, write("enh_asr.yaml", text))
    layers = _layers(entry)
    assert layers["enh separator.rnn"]["params"] == _lstm(9, 4)
    assert any("conformer asr encoder" in m for m in _omissions(entry))


def test_codec_models_are_never_silently_skipped(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("codec.yaml", "codec: encodec\ncodec_conf:\n  sampling_rate: 16000\nmax_epoch: 1\n"))
    assert any("encodec codec" in m for m in _codes(entry, "RNN205"))
