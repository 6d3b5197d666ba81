"""NeMo configs through the real CLI: _target_ classes decide, OmegaConf interpolation resolves sizes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rnnlint.dialects import nemo
from tests.conftest import REPO, SHARED, needs_shared

FIXTURE = REPO / "tests" / "fixtures" / "nemo_cases.json"
HERE = Path(__file__).resolve().parent / "nemo"


def _lstm(i: int, h: int, directions: int = 1, proj: int = 0) -> int:
    """One layer of torch nn.LSTM (with proj_size), written out independently of rnnlint."""
    recurrent = proj or h
    return directions * (4 * h * (i + recurrent) + 2 * 4 * h + proj * h)


def _entry(run_cli, path: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--isolated", path)
    assert "Traceback" not in result.out + result.err
    files = [f for f in result.json()["files"] if not f["skipped"]]
    assert len(files) == 1
    entry: dict[str, Any] = files[0]
    assert entry["dialect"] == "nemo"
    return entry


def _layers(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {layer["name"]: layer for layer in entry["layers"]}


def _codes(entry: dict[str, Any]) -> list[str]:
    return [d["code"] for d in entry["diagnostics"]]


RNNT = """\
model:
  model_defaults:
    pred_hidden: 16
  preprocessor:
    _target_: nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor
    features: 20
  encoder:
    _target_: nemo.collections.asr.modules.RNNEncoder
    feat_in: ${model.preprocessor.features}
    n_layers: 2
    d_model: 24
    proj_size: ${model.model_defaults.pred_hidden}
    rnn_type: lstm
    bidirectional: true
    subsampling: stacking
    subsampling_factor: 4
  decoder:
    _target_: nemo.collections.asr.modules.RNNTDecoder
    prednet:
      pred_hidden: ${model.model_defaults.pred_hidden}
      pred_rnn_layers: 2
      rnn_hidden_size: 32
      dropout: 0.2
  joint:
    _target_: nemo.collections.asr.modules.RNNTJoint
"""


def test_rnn_encoder_and_projected_prediction_network(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("rnnt.yaml", RNNT))
    layers = _layers(entry)
    # Each encoder layer takes proj_size 16; proj_size is halved per direction.
    assert layers["model.encoder"]["params"] == 2 * _lstm(16, 24, 2, proj=8)
    assert layers["model.encoder pre_encode (stacking)"]["params"] == 4 * 20 * 16 + 16
    assert layers["model.encoder layer norms"]["params"] == 2 * 2 * 16
    # pred_hidden 16 < rnn_hidden_size 32: the prediction LSTM projects back to 16.
    prednet = layers["model.decoder.prednet"]
    assert prednet["params"] == 2 * _lstm(16, 32, proj=16)
    assert (prednet["line"], prednet["column"]) == (20, 7)  # the prednet mapping
    # LSTMDropout applies the dropout after the LSTM, so no single-layer dropout warning.
    assert "RNN203" not in _codes(entry)
    omissions = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN106"]
    assert any("model.joint output layer" in n and "vocabulary" in n for n in omissions)
    # EncDecRNNTModel fills jointnet.encoder_hidden/pred_hidden from model_defaults; none is there here.
    assert any("model.joint input projections are not all counted" in n for n in omissions)


def test_prednet_without_rnn_hidden_size(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("rnnt.yaml", RNNT.replace("      rnn_hidden_size: 32\n", "")))
    assert _layers(entry)["model.decoder.prednet"]["params"] == _lstm(16, 16) * 2


def test_stateless_decoder_builds_no_rnn(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = """\
model:
  decoder:
    _target_: nemo.collections.asr.modules.StatelessTransducerDecoder
    context_size: 2
    prednet:
      pred_hidden: 640
      pred_rnn_layers: 1
"""
    entry = _entry(run_cli, write("tdt.yaml", text))
    # Nothing recurrent: never "total 0, complete"; the omission names the module, and no RNN104 note.
    assert entry["layers"] == [] and entry["complete"] is False and entry["total_params"] is None
    assert not [d for d in entry["diagnostics"] if d["code"] == "RNN104"]


def test_gru_rnn_encoder_and_unresolved_sizes_are_rnn205(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("gru.yaml", RNNT.replace("rnn_type: lstm", "rnn_type: gru")))
    assert "RNN205" in _codes(entry)
    missing = RNNT.replace("pred_hidden: 16\n", "pred_hidden: ???\n")
    entry = _entry(run_cli, write("missing.yaml", missing))
    warnings = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN205"]
    assert any("???" in w for w in warnings)


def test_tacotron2_modules(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = """\
model:
  encoder:
    _target_: nemo.collections.tts.modules.tacotron2.Encoder
    encoder_embedding_dim: 12
  decoder:
    _target_: nemo.collections.tts.modules.tacotron2.Decoder
    encoder_embedding_dim: ${model.encoder.encoder_embedding_dim}
    prenet_dim: 4
    attention_rnn_dim: 10
    decoder_rnn_dim: 8
"""
    layers = _layers(_entry(run_cli, write("tts.yaml", text)))
    assert layers["model.encoder.lstm"]["params"] == _lstm(12, 6, 2)
    assert layers["model.decoder.attention_rnn"]["params"] == _lstm(4 + 12, 10)
    assert layers["model.decoder.decoder_rnn"]["params"] == _lstm(10 + 12, 8)


def test_msdd_lstm_is_bidirectional_with_defaults_reported(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "model:\n  msdd_module:\n"
        "    _target_: nemo.collections.asr.modules.msdd_diarizer.MSDD_module\n    hidden_size: 8\n"
    )
    entry = _entry(run_cli, write("msdd.yaml", text))
    # num_lstm_layers defaults to 2; layer 2 reads both directions of layer 1.
    assert _layers(entry)["model.msdd_module.lstm"]["params"] == _lstm(8, 8, 2) + _lstm(16, 8, 2)
    assert any("num_lstm_layers: 2" in d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104")


def test_detection_negatives() -> None:
    assert not nemo.detect({"model": {"encoder": {"_target_": "torch.nn.LSTM", "input_size": 3, "hidden_size": 4}}})
    assert not nemo.detect({"etype": "blstmp"})
    assert nemo.detect({"model": {"encoder": {"_target_": "nemo.collections.asr.modules.ConformerEncoder"}}})


def _omissions(entry: dict[str, Any]) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN106"]


def test_golden_fixtures_match_the_mirrored_constructors(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cases = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 40 and {c["kind"] for c in cases} >= {
        "tacotron2",
        "msdd",
        "rnnt_joint",
        "radtts",
        "mask_estimator_rnn",
    }
    for case in cases:
        (tmp_path / f"{case['name']}.yaml").write_text(json.dumps(case["config"]), encoding="utf-8")
    result = run_cli("--format", "json", "--isolated", "--no-cache", tmp_path)
    by_name = {Path(f["path"]).stem: f for f in result.json()["files"]}
    for case in cases:
        entry = by_name[case["name"]]
        assert entry["dialect"] == "nemo", case["name"]
        assert {layer["name"]: layer["params"] for layer in entry["layers"]} == case["params"], case["name"]


def test_tacotron2_counts_convolutions_prenet_attention_and_postnet(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "tacotron2.yaml")
    layers = _layers(entry)
    assert layers["model.encoder.convolutions"]["params"] == 2 * (8 * 8 * 3 + 8 + 2 * 8)
    assert layers["model.decoder.prenet"]["params"] == 5 * 4 + 4 * 4  # two bias-free Linears
    assert layers["model.decoder.attention_layer"]["params"] == (6 + 8 + 1) * 3 + 2 * 2 * 5 + 2 * 3
    assert layers["model.decoder.linear_projection/gate_layer"]["params"] == (7 + 8) * 5 + 5 + (7 + 8) + 1
    post = (5 * 4 * 5 + 4 + 8) + (4 * 4 * 5 + 4 + 8) + (4 * 5 * 5 + 5 + 10)
    assert layers["model.postnet.convolutions"]["params"] == post
    # Only the text embedding (the tokenizer's size) is left out.
    assert _omissions(entry) == [
        "the Tacotron2 text embedding is not counted (Embedding(tokens, 512); the tokenizer's size)"
    ]
    assert entry["counted_params"] == sum(layer["params"] for layer in entry["layers"])


def test_rnnt_joint_projections_from_model_defaults(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "rnnt_joint.yaml")
    layers = _layers(entry)
    assert layers["model.joint.pred"]["params"] == 6 * 10 + 10
    assert layers["model.joint.enc"]["params"] == 12 * 10 + 10
    omissions = _omissions(entry)
    assert any("Linear(10, classes)" in m for m in omissions)
    assert not any("input projections" in m for m in omissions)


@needs_shared
def test_realworld_tacotron2_and_msdd_leave_only_vocabulary_out(run_cli) -> None:  # type: ignore[no-untyped-def]
    root = SHARED / "realworld" / "NVIDIA+NeMo" / "examples"
    tts = _entry(run_cli, root / "tts" / "conf" / "tacotron2.yaml")
    # 8,698,241 more than the recurrent layers: convolutions, prenet, attention, projections, postnet.
    assert tts["counted_params"] - tts["recurrent_params"] == 8_698_241
    msdd = _entry(
        run_cli,
        root / "speaker_tasks" / "diarization" / "conf" / "neural_diarizer" / "msdd_5scl_15_05_50Povl_256x3x32x2.yaml",
    )
    assert msdd["counted_params"] - msdd["recurrent_params"] == 1_581_063
    # The speaker embedding model (TitaNet) comes from a checkpoint: an omission, so no total.
    assert msdd["total_params"] is None and any("speaker embedding model" in m for m in _omissions(msdd))
