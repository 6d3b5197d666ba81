"""Coqui TTS: Tacotron2 / Tacotron (DDC, backward decoder, GST input), the LSTM speaker encoder, // comments.

tests/fixtures/coqui_tts_cases.json is built with Coqui TTS 0.22.0's own layer modules
(tools/gen_coqui_tts_fixtures.py); rnnlint's counts must equal them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rnnlint.dialects import coqui_tts
from tests.conftest import SHARED, needs_shared
from tests.unit.dialects._shared_detect import claimed

HERE = Path(__file__).parent / "coqui_tts"
FIXTURE = json.loads((Path(__file__).parents[2] / "fixtures" / "coqui_tts_cases.json").read_text())
GROUP = SHARED / "newdialects" / "coqui-tts"


def _lint(run_cli, path: Path | str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--no-cache", "--isolated", path)
    assert result.code in (0, 1), result.err
    entry: dict[str, Any] = result.json()["files"][0]
    return entry


def _codes(entry: dict[str, Any]) -> list[str]:
    return [d["code"] for d in entry["diagnostics"]]


def _by_name(entry: dict[str, Any]) -> dict[str, int | None]:
    return {layer["name"]: layer["params"] for layer in entry["layers"]}


def _lstm_cell(i: int, h: int) -> int:
    return 4 * (h * (i + h) + 2 * h)


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=[c["name"] for c in FIXTURE["cases"]])
def test_counts_match_coqui_modules(run_cli, tmp_path: Path, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "config.json"
    path.write_text(json.dumps(case["config"]))
    entry = _lint(run_cli, path)
    assert entry["dialect"] == "coqui-tts"
    assert entry["counted_params"] == case["counted"]
    layers = _by_name(entry)
    for part, params in case["parts"].items():
        if part in layers:  # the single modules rnnlint lists on their own (RNNs, postnet ...)
            assert layers[part] == params, part
        elif part not in ("model",) and "." not in part:  # a whole decoder/encoder: the sum of its entries
            assert sum(v or 0 for k, v in layers.items() if k.startswith(part + ".")) == params, part
    speaker_encoder = case["config"]["model"] == "speaker_encoder"
    assert entry["complete"] is speaker_encoder  # the character embedding is an omission


def test_tacotron2_with_comments_and_ddc(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, HERE / "tacotron2_ddc.json")
    assert entry["dialect"] == "coqui-tts" and "RNN001" not in _codes(entry)
    layers = _by_name(entry)
    d = 256
    assert layers["encoder.lstm"] == 2 * 4 * (128 * (256 + 128) + 2 * 128)
    for decoder in ("decoder", "coarse_decoder"):
        assert layers[f"{decoder}.attention_rnn"] == _lstm_cell(256 + d, 1024)
        assert layers[f"{decoder}.decoder_rnn"] == _lstm_cell(1024 + d, 1024)
    # r = 2 and ddc_r = 4 size the projections: Linear(1024 + 256, 80 * r).
    assert layers["decoder.linear_projection"] == 1280 * 160 + 160
    assert layers["coarse_decoder.linear_projection"] == 1280 * 320 + 320
    # prenet_type bn: Linear(80, 256, no bias) + BN + Linear(256, 256, no bias) + BN.
    assert layers["decoder.prenet"] == 80 * 256 + 512 + 256 * 256 + 512
    assert [layer["recurrent"] for layer in entry["layers"]].count(True) == 5
    assert "RNN104" not in _codes(entry)  # every key that sizes a layer is stated
    assert entry["total_params"] is None and entry["counted_params"] == 38_350_388
    assert "character embedding" in entry["omitted"][0]["message"] and entry["omitted"][0]["line"] == 18


def test_speaker_encoder_is_complete(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, HERE / "speaker_encoder.json")
    layers = _by_name(entry)
    assert layers["layers.0.lstm"] == 4 * (128 * (40 + 128) + 2 * 128)
    assert layers["layers.1.lstm"] == 4 * (128 * (64 + 128) + 2 * 128)
    assert layers["layers.0.linear"] == layers["layers.1.linear"] == 128 * 64
    assert entry["complete"] is True and entry["total_params"] == 202_752


def test_unknown_models_and_the_catalogue_are_rnn205(run_cli) -> None:  # type: ignore[no-untyped-def]
    glow = _lint(run_cli, HERE / "glow_tts.json")
    assert _codes(glow) == ["RNN205"] and "glow_tts" in glow["diagnostics"][0]["message"]
    catalogue = _lint(run_cli, HERE / "catalogue.json")
    assert _codes(catalogue) == ["RNN205"] and catalogue["total_params"] is None


def test_defaults_are_reported_only_when_they_size_a_layer(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model": "Tacotron2", "run_name": "x", "audio": {"num_mels": 80}, "r": 3}))
    entry = _lint(run_cli, path)
    note = next(d for d in entry["diagnostics"] if d["code"] == "RNN104")["message"]
    assert "out_channels: 80" in note and "decoder_in_features: 512" in note and "r: 2" not in note


@needs_shared
def test_the_coqui_group_is_read(run_cli) -> None:  # type: ignore[no-untyped-def]
    entries = {Path(e["path"]).name: e for e in (_lint(run_cli, p) for p in sorted(GROUP.glob("*.json")))}
    assert len(entries) == 6 and all(e["dialect"] == "coqui-tts" for e in entries.values())

    def rnns(name: str) -> dict[str, int | None]:
        return {layer["name"]: layer["params"] for layer in entries[name]["layers"] if layer["recurrent"]}

    blstm = 2 * 4 * (256 * (512 + 256) + 2 * 256)
    # kokoro tacotron2-DDC: decoder input 512, no GST; the coarse decoder repeats the cells.
    kokoro = rnns("TTS__recipes_kokoro_tacotron2-DDC_tacotron2-DDC.json")
    assert kokoro == {
        "encoder.lstm": blstm,
        "decoder.attention_rnn": _lstm_cell(768, 1024),
        "decoder.decoder_rnn": _lstm_cell(1536, 1024),
        "coarse_decoder.attention_rnn": _lstm_cell(768, 1024),
        "coarse_decoder.decoder_rnn": _lstm_cell(1536, 1024),
    }
    # test_tacotron2_config: use_gst with a 512 GST embedding widens the decoder input to 1024.
    t2 = rnns("TTS__tests_inputs_test_tacotron2_config.json")
    assert t2["decoder.attention_rnn"] == _lstm_cell(256 + 1024, 1024) == 9_445_376
    assert t2["coarse_decoder.decoder_rnn"] == _lstm_cell(1024 + 1024, 1024) == 12_591_104
    # The GST reference encoder's GRU: 80 mel bins halve six times to 2, x 128 channels; 512 // 2 units.
    assert t2["gst_layer.encoder.recurrence"] == 3 * (256 * (256 + 256) + 2 * 256)
    assert not any("GST" in o["message"] for o in entries["TTS__tests_inputs_test_tacotron2_config.json"]["omitted"])
    gru = 2 * 3 * (128 * (128 + 128) + 2 * 128)
    for name, extra in (
        ("TTS__tests_inputs_test_tacotron_config.json", "coarse_decoder"),
        ("TTS__tests_inputs_test_tacotron_bd_config.json", "decoder_backward"),
    ):
        t1 = rnns(name)
        assert t1["encoder.cbhg.gru"] == t1["postnet.cbhg.gru"] == gru
        assert t1["decoder.attention_rnn"] == t1[f"{extra}.attention_rnn"] == 3 * (256 * (896 + 256) + 2 * 256)
        assert t1[f"{extra}.decoder_rnns"] == 2 * 3 * (256 * 512 + 2 * 256)
    speaker = rnns("TTS__tests_inputs_test_speaker_encoder_config.json")
    assert speaker == {"layers.0.lstm": 2_488_320, "layers.1.lstm": 3_151_872, "layers.2.lstm": 3_151_872}
    assert entries["TTS__tests_inputs_test_speaker_encoder_config.json"]["complete"] is True
    assert _codes(entries["TTS__TTS_.models.json"]) == ["RNN205"]


@needs_shared
def test_detection_claims_no_other_toolkits_file() -> None:
    assert [path for path, name in claimed().items() if name == coqui_tts.NAME] == []
    from rnnlint.parse import load

    for path in (SHARED / "newdialects").rglob("*"):
        if path.suffix in (".yml", ".yaml", ".json") and path.parent.name != "coqui-tts":
            parsed = load(str(path))
            docs = parsed.documents or (parsed.lenient.documents if parsed.lenient else [])
            assert not docs or not coqui_tts.detect(docs[0].data), path
