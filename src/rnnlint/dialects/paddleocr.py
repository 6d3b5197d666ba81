"""PaddleOCR (and PaddleOCR2Pytorch) ``Architecture`` configs.

``Neck: {name: SequenceEncoder, encoder_type: rnn, hidden_size: h}`` builds ``Im2Seq``
(no parameters) and ``EncoderWithRNN``: one ``nn.LSTM(in_channels, h, num_layers=2,
bidirectional)``; Paddle's ``nn.LSTM`` keeps PyTorch's layout (two bias vectors) and the
PyTorch port builds the same module. ``encoder_type: fc`` is ``Linear(in_channels, h)``;
``reshape``, ``svtr`` and ``lightsvtr`` build no recurrent layer. ``hidden_size`` defaults to 48.

``in_channels`` is the backbone's ``out_channels``, which is in the backbone code, not the
file. rnnlint knows the recognition backbones (from ``ppocr/modeling/backbones``):

- ``MobileNetV3``: ``make_divisible(scale * 960)`` for ``model_name: large``,
  ``make_divisible(scale * 576)`` for ``small`` (defaults ``small``, scale 0.5);
- ``ResNet`` (rec_resnet_vd): 512 for ``layers`` < 50, else 2048 (default 50);
- ``MobileNetV1Enhance``: ``int(1024 * scale)`` (default scale 0.5).

The derived size is reported as an RNN104 assumption (it rests on that code); another
backbone leaves the input unknown. ``[[tool.rnnlint.overrides]] input_size = N`` states it.
``Head: AttentionHead`` (``ppocr/modeling/heads/rec_att_head.py``) adds a
``GRUCell(in + num_classes, hidden_size)`` whose ``num_classes`` comes from the character
dictionary, so its count stays unknown; its attention ``i2h`` (``Linear(in, hidden)``, no bias),
``h2h`` (``Linear(hidden, hidden)``) and ``score`` (``Linear(hidden, 1)``, no bias) have fixed
sizes and are counted.

Everything else the architecture builds is an omission (RNN106): the ``Transform`` (TPS, ...),
the backbone, a neck other than the rnn/fc ``SequenceEncoder``, the head's dictionary-sized
output layer, and a head other than ``AttentionHead``.
"""

from __future__ import annotations

from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import HOW_TO_STATE_INPUT, as_float, as_int
from rnnlint.model import Assumption, Composite, LayerSpec, Linear, ModelConfig, Omission, Recurrent, Span
from rnnlint.parse.document import DocPath, Document

NAME = "paddleocr"

ARCH: DocPath = ("Architecture",)
DEFAULT_HIDDEN = 48
DEFAULT_SCALE = 0.5  # a scale that is not a number: the backbones' default
HOW_TO_STATE = HOW_TO_STATE_INPUT
DICTIONARY = "as wide as the character dictionary (Global.character_dict_path), which rnnlint does not read"
# SequenceEncoder encoder types that build nothing beyond Im2Seq (no parameters).
NO_PARAMETERS = {"reshape"}


def detect(data: Any) -> bool:
    arch = data.get("Architecture") if isinstance(data, dict) else None
    return isinstance(arch, dict) and ("Backbone" in arch or "Neck" in arch) and "model_type" in arch


def make_divisible(value: float, divisor: int = 8) -> int:
    """PaddleOCR's rounding of scaled channel counts (rec_mobilenet_v3.make_divisible)."""
    new_value = max(divisor, int(value + divisor / 2) // divisor * divisor)
    if new_value < 0.9 * value:
        new_value += divisor
    return new_value


def backbone_channels(backbone: dict[str, Any]) -> tuple[int | None, str]:
    """The backbone's out_channels and how they follow from its keys (or why unknown)."""
    name = backbone.get("name")
    if name == "MobileNetV3":
        model_name = backbone.get("model_name", "small")
        stated = as_float(backbone.get("scale"))
        scale = DEFAULT_SCALE if stated is None else stated
        squeeze = {"large": 960, "small": 576}.get(str(model_name))
        if squeeze is None:
            return None, f"MobileNetV3 model_name {model_name!r} is not large or small"
        channels = make_divisible(scale * squeeze)
        return channels, f"MobileNetV3 {model_name} scale {scale:g}: make_divisible({scale:g} x {squeeze}) = {channels}"
    if name == "ResNet":
        stated = backbone.get("layers", 50)
        depth = as_int(stated)
        if depth is None:
            return None, f"ResNet layers {stated!r} is not an integer"
        channels = 2048 if depth >= 50 else 512
        return channels, f"ResNet {depth} (rec_resnet_vd): {channels} channels"
    if name == "MobileNetV1Enhance":
        stated = as_float(backbone.get("scale"))
        scale = DEFAULT_SCALE if stated is None else stated
        channels = int(1024 * scale)
        return channels, f"MobileNetV1Enhance scale {scale:g}: int(1024 x {scale:g}) = {channels}"
    return None, f"backbone {name!r} is not one rnnlint knows the output channels of"


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    locate = doc.locator
    arch: dict[str, Any] = doc.data["Architecture"]
    raw_backbone = arch.get("Backbone")
    backbone: dict[str, Any] = raw_backbone if isinstance(raw_backbone, dict) else {}
    neck = arch.get("Neck")
    head = arch.get("Head")
    layers: list[LayerSpec] = []
    assumptions: list[Assumption] = []
    omitted: list[Omission] = []

    def name_of(part: Any) -> str:
        return str(part.get("name")) if isinstance(part, dict) and part.get("name") is not None else "unnamed"

    transform = arch.get("Transform")
    if isinstance(transform, dict):
        where = locate.value((*ARCH, "Transform"))
        omitted.append(Omission(f"the {name_of(transform)} transform is not counted", where))
    if raw_backbone is not None:
        omitted.append(Omission(f"the {name_of(backbone)} backbone is not counted", locate.value((*ARCH, "Backbone"))))

    neck_out: int | None = None
    if isinstance(neck, dict) and neck.get("name") == "SequenceEncoder":
        neck_path = (*ARCH, "Neck")
        span = locate.value(neck_path)
        encoder_type = str(neck.get("encoder_type", "")).strip()
        hidden = neck.get("hidden_size", DEFAULT_HIDDEN)
        in_channels: int | None = None
        if encoder_type in ("rnn", "fc"):
            in_channels = _input(backbone, options, locate.value((*ARCH, "Backbone")), span, assumptions)
        if encoder_type == "rnn" and isinstance(hidden, int):
            if "hidden_size" not in neck:
                assumptions.append(
                    Assumption(
                        f"SequenceEncoder hidden_size: not set, PaddleOCR's default {DEFAULT_HIDDEN}; "
                        "add Neck.hidden_size to make it explicit",
                        span,
                    )
                )
            lstm = Recurrent(kind="lstm", hidden_size=hidden, input_size=in_channels, num_layers=2, bidirectional=True)
            layers.append(
                LayerSpec(
                    name="Neck SequenceEncoder (rnn)",
                    type="lstm",
                    span=span,
                    module=lstm,
                    options={"bias": True},
                    declared_input_size=None,
                    expected_input_size=in_channels,
                )
            )
            neck_out = 2 * hidden
        elif encoder_type == "fc" and isinstance(hidden, int):
            layers.append(LayerSpec("Neck SequenceEncoder (fc)", "linear", span, Linear(in_channels, hidden)))
            neck_out = hidden
        elif encoder_type not in NO_PARAMETERS:
            omitted.append(Omission(f"the SequenceEncoder's {encoder_type or 'unnamed'} encoder is not counted", span))
    elif isinstance(neck, dict):
        omitted.append(Omission(f"the {name_of(neck)} neck is not counted", locate.value((*ARCH, "Neck"))))

    if isinstance(head, dict):
        head_path = (*ARCH, "Head")
        span = locate.value(head_path)
        hidden = head.get("hidden_size")
        if head.get("name") == "AttentionHead" and isinstance(hidden, int) and not isinstance(hidden, bool):
            cell = Recurrent(kind="gru", hidden_size=hidden, input_size=None, cell=True)
            layers.append(LayerSpec("Head AttentionHead (GRUCell)", "gru_cell", span, cell, options={"bias": True}))
            base = f"{neck_out} (the neck's output)" if neck_out is not None else "the neck's output"
            assumptions.append(
                Assumption(
                    f"AttentionHead GRUCell input is {base} plus the number of classes, which comes from "
                    "Global.character_dict_path; rnnlint does not read the dictionary, so this count is unknown",
                    span,
                )
            )
            attention = Composite(
                (Linear(neck_out, hidden, bias=False), Linear(hidden, hidden), Linear(hidden, 1, bias=False)),
                output_size=1,
            )
            layers.append(LayerSpec("Head AttentionHead attention (i2h, h2h, score)", "linear", span, attention))
            omitted.append(
                Omission(
                    f"the AttentionHead's generator is not counted (Linear({hidden}, classes), {DICTIONARY})", span
                )
            )
        elif head.get("name") == "CTCHead":
            omitted.append(Omission(f"the CTCHead is not counted (its output Linear is {DICTIONARY})", span))
        else:
            omitted.append(Omission(f"the {name_of(head)} head is not counted", span))
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=tuple(layers),
            span=locate.key(ARCH),
            assumptions=tuple(assumptions),
            omitted=tuple(omitted),
        )
    )


def _input(
    backbone: dict[str, Any],
    options: AdaptOptions,
    backbone_span: Span,
    neck_span: Span,
    assumptions: list[Assumption],
) -> int | None:
    """The neck's input: the override, else the backbone's known out_channels (an assumption)."""
    if options.input_size is not None:
        return options.input_size
    channels, how = backbone_channels(backbone)
    if channels is None:
        assumptions.append(
            Assumption(
                f"SequenceEncoder input size unknown: {how}; {HOW_TO_STATE} (the backbone's out_channels)", neck_span
            )
        )
    else:
        assumptions.append(
            Assumption(
                f"SequenceEncoder input size {channels} assumed from the backbone code ({how}); "
                f"{HOW_TO_STATE} if your backbone differs",
                backbone_span,
            )
        )
    return channels
