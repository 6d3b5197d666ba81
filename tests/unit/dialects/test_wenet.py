"""WeNet configs through the real CLI: the RNN-T predictor and joint projections, omissions, detection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rnnlint.dialects import wenet
from tests.conftest import CORPUS, REPO, SHARED, needs_shared

HERE = Path(__file__).resolve().parent / "wenet"
FIXTURE = REPO / "tests" / "fixtures" / "wenet_cases.json"


def _rnn(i: int, h: int, gates: int, layers: int = 1, bias: bool = True) -> int:
    """Stacked torch RNN layers, written out independently of rnnlint."""
    first = gates * h * (i + h) + (2 * gates * h if bias else 0)
    rest = gates * h * (2 * h) + (2 * gates * h if bias else 0)
    return first + (layers - 1) * rest


def _entry(run_cli, path: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--isolated", "--no-cache", path)
    assert "Traceback" not in result.out + result.err
    files = result.json()["files"]
    assert len(files) == 1
    entry: dict[str, Any] = files[0]
    assert entry["dialect"] == "wenet"
    return entry


def _messages(entry: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


def test_rnnt_predictor_and_joint_projections(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "rnnt.yaml")
    params = {layer["name"]: layer["params"] for layer in entry["layers"]}
    assert params == {
        "predictor.rnn": _rnn(10, 14, 3),
        "predictor.projection": 14 * 12 + 12,
        "joint.enc_ffn": 16 * 20 + 20,
        "joint.pred_ffn": 12 * 20 + 20,
        "joint.post_ffn": 20 * 20 + 20,
    }
    assert entry["recurrent_params"] == _rnn(10, 14, 3)
    assert entry["counted_params"] == sum(params.values())
    assert entry["total_params"] is None and entry["complete"] is False
    omissions = _messages(entry, "RNN106")
    assert any("conformer encoder" in m for m in omissions)
    assert any("bitransformer attention decoder" in m for m in omissions)
    assert any("Embedding(vocabulary, 10)" in m for m in omissions)
    assert any("Linear(20, vocabulary)" in m for m in omissions)
    # The fixed-size joint projections are counted: no omission blames the vocabulary for them.
    assert not any("enc_ffn" in m or "pred_ffn" in m for m in omissions)
    # WeNet passes dropout to the single-layer GRU: RNN203 is right to fire.
    assert any("dropout" in m for m in _messages(entry, "RNN203"))
    notes = _messages(entry, "RNN104")
    assert any("predictor_conf.bias: true" in n and "joint_conf.hat_joint: false" in n for n in notes)


def test_attention_model_is_never_complete_with_zero(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "attention.yaml")
    assert entry["layers"] == []
    assert entry["complete"] is False and entry["total_params"] is None
    assert not _messages(entry, "RNN104")


def test_missing_required_predictor_size_is_rnn205(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (HERE / "rnnt.yaml").read_text(encoding="utf-8").replace("    hidden_size: 14\n", "")
    entry = _entry(run_cli, write("rnnt.yaml", text))
    assert any("RNNPredictor needs integer hidden_size" in m for m in _messages(entry, "RNN205"))


def test_predictor_without_model_key_is_read_as_wenet2(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (HERE / "rnnt.yaml").read_text(encoding="utf-8").replace("model: transducer\n", "")
    entry = _entry(run_cli, write("rnnt.yaml", text))
    assert entry["recurrent_params"] == _rnn(10, 14, 3)
    assert any("WeNet 2.x" in n for n in _messages(entry, "RNN104"))
    text = text + "model: asr_model\n"
    entry = _entry(run_cli, write("asr.yaml", text))
    assert entry["layers"] == []
    # asr_model builds no predictor: nothing counted, nothing said about a predictor.
    assert not any("predictor" in m for m in _messages(entry, "RNN106") + _messages(entry, "RNN104"))
    assert entry["complete"] is False


def test_golden_fixtures_match_torch(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cases = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 30
    for case in cases:
        (tmp_path / f"{case['name']}.yaml").write_text(json.dumps(case["config"]), encoding="utf-8")
    result = run_cli("--format", "json", "--isolated", "--no-cache", tmp_path)
    by_name = {Path(f["path"]).stem: f for f in result.json()["files"]}
    for case in cases:
        entry = by_name[case["name"]]
        assert entry["dialect"] == "wenet"
        assert {layer["name"]: layer["params"] for layer in entry["layers"]} == case["params"], case["name"]


def test_detect_needs_wenet_sections() -> None:
    assert not wenet.detect({"encoder": "conformer", "encoder_conf": {}, "batch_type": "numel"})
    assert not wenet.detect({"predictor_conf": {}, "joint_conf": {}})
    assert wenet.detect({"encoder_conf": {}, "predictor_conf": {}, "joint_conf": {}})
    assert wenet.detect({"encoder_conf": {}, "tokenizer_conf": {}})


@needs_shared
@pytest.mark.parametrize("tree", ["corpus", "realworld", "newdialects"])
def test_detection_claims_only_wenet_files(run_cli, tree: str) -> None:  # type: ignore[no-untyped-def]
    root = SHARED / tree
    result = run_cli("--format", "json", "--isolated", "--no-cache", root)
    files = result.json()["files"]
    assert files
    claimed = {Path(f["path"]).resolve() for f in files if f["dialect"] == "wenet"}
    wenet_dir = (SHARED / "newdialects" / "wenet").resolve()
    expected = {p.resolve() for p in wenet_dir.glob("*.yaml")} if tree == "newdialects" else set()
    assert claimed == expected
    if tree == "corpus":
        assert CORPUS.is_dir()
