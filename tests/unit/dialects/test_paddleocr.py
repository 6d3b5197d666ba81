"""PaddleOCR: the fixed two-layer BiLSTM neck, backbone channels as an assumption, the input_size override."""

from __future__ import annotations

from typing import Any

from rnnlint.dialects import AdaptOptions, paddleocr
from rnnlint.model import ModelConfig
from rnnlint.parse.yaml import parse_yaml

NECK = """
Global:
  character_dict_path: ppocr/utils/ppocr_keys_v1.txt
Architecture:
  model_type: rec
  algorithm: CRNN
  Backbone:
{backbone}
  Neck:
    name: SequenceEncoder
    encoder_type: {encoder_type}
    hidden_size: 96
  Head:
    name: CTCHead
"""


def _config(write, backbone: str, encoder_type: str = "rnn"):  # type: ignore[no-untyped-def]
    return write("rec.yml", NECK.format(backbone=backbone, encoder_type=encoder_type))


def _lint(run_cli, *args) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", *args)
    assert result.code in (0, 1), result.err
    entry: dict[str, Any] = result.json()["files"][0]
    return entry


def _adapt(text: str) -> ModelConfig:
    docs, problems = parse_yaml(text)
    assert not problems and paddleocr.detect(docs[0].data)
    model = paddleocr.adapt(docs[0], AdaptOptions(path="rec.yml")).model
    assert model is not None
    return model


def _bilstm(input_size: int, hidden: int) -> int:
    first = 2 * 4 * (hidden * (input_size + hidden) + 2 * hidden)
    second = 2 * 4 * (hidden * (2 * hidden + hidden) + 2 * hidden)
    return first + second


def test_mobilenetv3_large_half_gives_480_channels(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = _config(write, "    name: MobileNetV3\n    scale: 0.5\n    model_name: large")
    entry = _lint(run_cli, "--isolated", path)
    assert entry["dialect"] == "paddleocr" and entry["framework"] == "pytorch"
    (layer,) = entry["layers"]
    assert layer["params"] == _bilstm(480, 96) == 666_624
    notes = [d for d in entry["diagnostics"] if d["code"] == "RNN104"]
    assert "input size 480 assumed from the backbone code" in notes[0]["message"]
    assert notes[0]["line"] == 7  # the Backbone mapping
    assert entry["complete"] is False


def test_resnet34_gives_512_channels(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = _config(write, "    name: ResNet\n    layers: 34")
    assert _lint(run_cli, "--isolated", path)["layers"][0]["params"] == _bilstm(512, 96)


def test_unknown_backbone_leaves_the_input_unknown(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = _config(write, "    name: MyBackbone")
    entry = _lint(run_cli, "--isolated", path)
    assert entry["layers"][0]["params"] is None
    assert any("input_size = N" in d["message"] for d in entry["diagnostics"])


def test_override_states_the_input_size(run_cli, write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _config(write, "    name: MyBackbone")
    config = write(
        "pyproject.toml",
        """
        [[tool.rnnlint.overrides]]
        files = ["*.yml"]
        input_size = 100
    """,
    )
    entry = _lint(run_cli, "--config", config, path)
    assert entry["layers"][0]["params"] == _bilstm(100, 96)
    assert not [d for d in entry["diagnostics"] if d["code"] == "RNN104"]
    # The backbone and the CTC head are built but not counted: the total is not the whole model.
    assert entry["complete"] is False


def test_parts_not_counted_are_omissions() -> None:
    model = _adapt(
        NECK.format(
            backbone="    name: MobileNetV3\n    scale: 0.5\n    model_name: large", encoder_type="rnn"
        ).replace("  Backbone:", "  Transform:\n    name: TPS\n  Backbone:")
    )
    assert [o.message for o in model.omitted] == [
        "the TPS transform is not counted",
        "the MobileNetV3 backbone is not counted",
        "the CTCHead is not counted (its output Linear is as wide as the character dictionary "
        "(Global.character_dict_path), which rnnlint does not read)",
    ]
    det = _adapt(
        "Architecture:\n  model_type: det\n  Backbone: {name: MobileNetV3}\n  Neck: {name: DBFPN}\n"
        "  Head: {name: DBHead}\n"
    )
    assert [o.message for o in det.omitted] == [
        "the MobileNetV3 backbone is not counted",
        "the DBFPN neck is not counted",
        "the DBHead head is not counted",
    ]
    svtr = _adapt(NECK.format(backbone="    name: MobileNetV3", encoder_type="svtr"))
    assert "the SequenceEncoder's svtr encoder is not counted" in [o.message for o in svtr.omitted]
    reshape = _adapt(NECK.format(backbone="    name: MobileNetV3", encoder_type="reshape"))
    assert not [o for o in reshape.omitted if "SequenceEncoder" in o.message]  # Im2Seq has no parameters


def test_reshape_and_svtr_necks_build_no_rnn(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    for encoder_type in ("reshape", "svtr"):
        path = _config(write, "    name: MobileNetV3", encoder_type)
        entry = _lint(run_cli, "--isolated", path)
        # Only notes about parts not counted (RNN106), no count and no assumption.
        assert entry["layers"] == [] and [d for d in entry["diagnostics"] if d["code"] != "RNN106"] == []


def test_fc_neck_is_a_linear_layer(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = _config(write, "    name: MobileNetV3\n    scale: 0.5\n    model_name: small", "fc")
    (layer,) = _lint(run_cli, "--isolated", path)["layers"]
    assert layer["recurrent"] is False and layer["params"] == 288 * 96 + 96


def test_attention_head_gru_cell_is_unknown_with_a_note(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "rec.yml",
        NECK.format(backbone="    name: ResNet\n    layers: 34", encoder_type="rnn").replace(
            "name: CTCHead", "name: AttentionHead\n    hidden_size: 96"
        ),
    )
    entry = _lint(run_cli, "--isolated", path)
    head = [layer for layer in entry["layers"] if layer["type"] == "gru_cell"]
    assert head and head[0]["params"] is None
    assert any("character_dict_path" in d["message"] for d in entry["diagnostics"])
    # rec_att_head.AttentionGRUCell: i2h Linear(192, 96, no bias), h2h Linear(96, 96), score Linear(96, 1, no bias).
    attention = next(layer for layer in entry["layers"] if layer["name"].startswith("Head AttentionHead attention"))
    assert attention["params"] == 192 * 96 + (96 * 96 + 96) + 96


def test_detection_needs_model_type(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("other.yml", "Architecture:\n  Backbone: {name: ResNet}\n")
    assert _lint(run_cli, "--isolated", path)["skipped"] is True
