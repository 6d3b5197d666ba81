"""PaddleSpeech: DeepSpeech2 (conv subsampling, one-layer RNNs with LayerNorm, FC) and Tacotron2 (tts0).

tests/fixtures/paddlespeech_cases.json is built with paddlepaddle 3.3.1 and PaddleSpeech's own module
files (tools/gen_paddlespeech_fixtures.py); rnnlint's counts must equal them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from rnnlint.dialects import paddlespeech
from tests.conftest import SHARED, needs_shared
from tests.unit.dialects._shared_detect import claimed

HERE = Path(__file__).parent / "paddlespeech"
FIXTURE = json.loads((Path(__file__).parents[2] / "fixtures" / "paddlespeech_cases.json").read_text())
GROUP = SHARED / "newdialects" / "paddlespeech"


def _lint(run_cli, path: Path | str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--no-cache", "--isolated", path)
    assert result.code in (0, 1), result.err
    entry: dict[str, Any] = result.json()["files"][0]
    return entry


def _codes(entry: dict[str, Any]) -> list[str]:
    return [d["code"] for d in entry["diagnostics"]]


def _rnn(g: int, i: int, h: int, directions: int = 1) -> int:
    return directions * g * (h * (i + h) + 2 * h)


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=[c["name"] for c in FIXTURE["cases"]])
def test_counts_match_paddle_modules(run_cli, tmp_path: Path, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    config = case["config"]
    if case["kind"] == "tacotron2":
        config = {"fs": 22050, "n_mels": 80, "model": config, "updater": {}}
    path = tmp_path / "conf.yaml"
    path.write_text(yaml.safe_dump(config))
    entry = _lint(run_cli, path)
    assert entry["dialect"] == "paddlespeech"
    assert entry["counted_params"] == case["counted"]
    recurrent = [layer["params"] for layer in entry["layers"] if layer["recurrent"]]
    if case["kind"] == "deepspeech2":
        assert recurrent == [case["parts"]["rnn"]]
    else:
        assert recurrent == [case["parts"]["encoder.blstm"], case["parts"]["decoder.lstm"]]
    assert entry["complete"] is False  # CTC output / embedding: omissions


def test_deepspeech2_counts_and_notes(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, HERE / "deepspeech2.yaml")
    layers = {layer["name"].split(" ")[0]: layer["params"] for layer in entry["layers"]}
    conv_out = ((81 - 1) // 2 - 1) // 2 * 32  # 608
    assert layers["encoder.conv"] == 32 * 9 + 32 + 32 * 32 * 9 + 32
    assert layers["encoder.conv.out"] == conv_out * 32 + 32
    assert layers["encoder.rnn"] == _rnn(3, conv_out, 128, 2) + 2 * _rnn(3, 256, 128, 2)
    assert layers["encoder.layernorm_list"] == 3 * 2 * 256
    assert layers["encoder.fc_layers_list"] == 256 * 64 + 64
    assert "RNN104" not in _codes(entry) and entry["omitted"][0]["line"] == 2  # vocab_filepath
    assert entry["total_params"] is None and entry["counted_params"] == 1_206_720


def test_deepspeech2_without_feat_dim_asks_for_it(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, HERE / "deepspeech2_no_feat.yaml")
    notes = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]
    assert any("input_size = N" in note for note in notes)
    assert any("rnn_direction: forward" in note and "num_fc_layers: 2" in note for note in notes)
    layers = {layer["name"].split(" ")[0]: layer["params"] for layer in entry["layers"]}
    assert layers["encoder.rnn"] is None


def test_input_size_override(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    conf = tmp_path / "conf.yaml"
    conf.write_text((HERE / "deepspeech2_no_feat.yaml").read_text())
    (tmp_path / "pyproject.toml").write_text('[[tool.rnnlint.overrides]]\nfiles = ["conf.yaml"]\ninput_size = 161\n')
    result = run_cli("--format", "json", "--no-cache", "--config", tmp_path / "pyproject.toml", conf)
    entry = result.json()["files"][0]
    layers = {layer["name"].split(" ")[0]: layer["params"] for layer in entry["layers"]}
    assert layers["encoder.rnn"] == _rnn(4, 1248, 64) + _rnn(4, 64, 64)


def test_tacotron2_reuses_the_espnet_builder(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, HERE / "tacotron2.yaml")
    layers = {layer["name"]: layer["params"] for layer in entry["layers"]}
    assert layers["encoder"] == _rnn(4, 128, 64, 2)
    assert layers["decoder"] == _rnn(4, 128 + 64, 256) + _rnn(4, 256, 256)
    assert layers["encoder convolutions"] == 128 * 128 * 5 * 2 + 2 * 2 * 128
    # odim = n_mels (80) sizes the decoder extras; the attention and postnet keys are defaults.
    assert layers["decoder prenet"] == 80 * 64 + 64 + 64 * 64 + 64
    assert layers["decoder attention (AttLoc)"] == (128 * 512 + 512) + 256 * 512 + 32 * 512 + 32 * 31 + 512 + 1
    assert layers["decoder postnet"] == 80 * 512 * 5 + 3 * 512 * 512 * 5 + 512 * 80 * 5 + 4 * 2 * 512 + 2 * 80
    assert layers["decoder feat_out"] == (128 + 256) * 80 and layers["decoder prob_out"] == (128 + 256) + 1
    note = next(d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104")
    assert "atype: location" in note and "postnet_layers: 5" in note
    assert "token embedding" in entry["omitted"][0]["message"] and len(entry["omitted"]) == 1


@needs_shared
def test_the_paddlespeech_group_is_read(run_cli) -> None:  # type: ignore[no-untyped-def]
    entries = {Path(e["path"]).name: e for e in (_lint(run_cli, p) for p in sorted(GROUP.glob("*.yaml")))}
    assert len(entries) == 5 and all(e["dialect"] == "paddlespeech" for e in entries.values())

    def rnns(name: str) -> list[int | None]:
        return [
            layer["params"] for layer in entries[f"PaddleSpeech__examples_{name}.yaml"]["layers"] if layer["recurrent"]
        ]

    bidirect = _rnn(4, 1248, 1024, 2) + 4 * _rnn(4, 2048, 1024, 2)
    assert rnns("aishell_asr0_conf_deepspeech2") == rnns("librispeech_asr0_conf_deepspeech2") == [bidirect]
    assert rnns("aishell_asr0_conf_deepspeech2_online") == [_rnn(4, 1248, 1024) + 4 * _rnn(4, 1024, 1024)]
    tts = [_rnn(4, 512, 256, 2), _rnn(4, 512 + 256, 1024) + _rnn(4, 1024, 1024)]
    assert rnns("ljspeech_tts0_conf_default") == rnns("csmsc_tts0_conf_default") == tts
    assert entries["PaddleSpeech__examples_aishell_asr0_conf_deepspeech2.yaml"]["counted_params"] == 119_427_456
    # Everything but the phone embedding; equals the paddle-built fixture case tacotron2_tts0_default.
    for name in ("ljspeech_tts0_conf_default", "csmsc_tts0_conf_default"):
        entry = entries[f"PaddleSpeech__examples_{name}.yaml"]
        assert entry["counted_params"] == 26_619_010 and len(entry["omitted"]) == 1


@needs_shared
def test_detection_claims_no_other_toolkits_file() -> None:
    assert [path for path, name in claimed().items() if name == paddlespeech.NAME] == []
    from rnnlint.parse import load

    for path in (SHARED / "newdialects").rglob("*"):
        if path.suffix in (".yml", ".yaml", ".json") and path.parent.name != "paddlespeech":
            parsed = load(str(path))
            docs = parsed.documents or (parsed.lenient.documents if parsed.lenient else [])
            assert not docs or not paddlespeech.detect(docs[0].data), path
