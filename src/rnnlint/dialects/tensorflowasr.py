"""TensorFlowASR configs (``model_config`` next to ``speech_config`` / ``learning_config``).

Two layouts: v1 puts the model's keys straight under ``model_config`` (with ``name``);
v2/v3 write ``model_config: {class_name: ..., config: {...}}`` (``speech_config`` inside).
Everything is tf.keras: one bias vector (GRU ``reset_after=True`` keeps two), stacked
layers are separate Keras layers, ``Bidirectional`` concatenates.

What is built (``tensorflow_asr/models``):

- DeepSpeech2 (``rnn_nlayers`` x ``rnn_type`` with ``rnn_units``, ``rnn_bidirectional``):
  its input is the conv front end's output, ``ceil``-strided ``num_feature_bins`` times the
  last ``conv_filters`` for ``conv2d`` (``padding='same'``), the last filters for ``conv1d``.
- RNN-Transducer encoder: ``encoder_nlayers`` blocks of [time reduction] -> RNN(``encoder_rnn_units``)
  -> LayerNorm -> Dense(``encoder_dmodel``). v1 ``encoder_reductions: {block: factor}`` reduce
  before the block's RNN; v3 ``encoder_reduction_positions`` pre/post with ``encoder_reduction_factors``.
  A reduction by f multiplies the features by f. The first block takes ``num_feature_bins``
  times the feature channels (v1: 1 + delta + delta_delta + pitch).
- Transducer prediction network (every transducer: conformer, contextnet, rnn_transducer):
  Embedding(``prediction_embed_dim``) -> ``prediction_num_rnns`` x [RNN(``prediction_rnn_units``)
  -> LayerNorm -> Dense(``prediction_projection_units``) when > 0].

- Conformer encoder (``encoders/conformer.py``, ``ConformerEncoder``): Conv2d or VGG subsampling,
  Dense(``encoder_dmodel``), then ``encoder_num_blocks`` x [FF, MHSA (relative: pos kernel and u/v
  biases), conv module, FF, LayerNorm].
- ContextNet encoder (``encoders/contextnet.py``, ``ContextNetEncoder``): per ``encoder_blocks`` entry,
  ``nlayers`` separable-conv modules (with BatchNorm), a squeeze-and-excitation module and the
  residual conv module, every width ``int(filters * encoder_alpha)``.
- DeepSpeech2 (``ctc/deepspeech2.py``): the conv blocks (conv + BatchNorm), a SequenceBatchNorm
  (and RowConv1D when unidirectional with ``rnn_rowconv``) after each RNN, ``fc_nlayers`` x
  (Dense + BatchNorm).
- Transducer joint (``transducer/base_transducer.py``, ``TransducerJoint``): Dense(``joint_dim``) of
  the encoder output, Dense(``joint_dim``, no bias) of the prediction output, Dense(``joint_dim``)
  after joining when ``postjoint_linear``.

Keras counts a BatchNormalization's moving mean and variance (``count_params``), so one is
4 x channels. Recurrent entries hold only the RNN weights; the LayerNorms and Dense projections
between them are a separate entry. The prediction embedding and the output layers (joint or CTC)
are vocabulary x width, and the vocabulary's size comes from the vocabulary file or the text
featurizer, not the file: they are omissions (RNN106). So is what rnnlint does not read (a Jasper
model; the encoders and joint of the v2/v3 layout). A value not in the file takes the model's
TensorFlowASR default (v1.0.4) and is reported as an RNN104 assumption.
"""

from __future__ import annotations

import math
from typing import Any

from rnnlint.counting import fmt
from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import HOW_TO_STATE_INPUT, PYTHON_TRUTH, TRUE_ELSE_FALSE, SectionReader, as_bool, as_int
from rnnlint.model import (
    Assumption,
    Composite,
    Fixed,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Omission,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)
from rnnlint.parse.document import DocPath, Document

NAME = "tensorflowasr"

KINDS: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru", "rnn": "rnn"}
TRANSDUCERS = {"conformer", "contextnet", "rnn_transducer", "streaming_transducer", "streaming_conformer"}

# Constructor defaults per model family (tensorflow_asr/models, v1.0.x).
PREDICTION_DEFAULTS: dict[str, dict[str, Any]] = {
    "rnn_transducer": {
        "prediction_embed_dim": 320,
        "prediction_num_rnns": 2,
        "prediction_rnn_units": 2048,
        "prediction_rnn_type": "lstm",
        "prediction_layer_norm": True,
        "prediction_projection_units": 640,
    },
    "other": {
        "prediction_embed_dim": 512,
        "prediction_num_rnns": 1,
        "prediction_rnn_units": 320,
        "prediction_rnn_type": "lstm",
        "prediction_layer_norm": True,
        "prediction_projection_units": 0,
    },
}
ENCODER_DEFAULTS: dict[str, Any] = {
    "encoder_dmodel": 640,
    "encoder_nlayers": 8,
    "encoder_rnn_type": "lstm",
    "encoder_rnn_units": 2048,
    "encoder_layer_norm": True,
}
DS2_DEFAULTS: dict[str, Any] = {
    "rnn_nlayers": 5,
    "rnn_type": "lstm",
    "rnn_units": 1024,
    "rnn_bidirectional": True,
    "conv_type": "conv2d",
    "conv_strides": [[2, 2], [1, 2], [1, 2]],
    "conv_filters": [32, 32, 96],
    "conv_kernels": [[11, 41], [11, 21], [11, 21]],
    "rnn_rowconv": 0,
    "fc_nlayers": 0,
    "fc_units": 1024,
}
# ConformerEncoder's keys as the Conformer model names them (transducer/conformer.py).
CONFORMER_DEFAULTS: dict[str, Any] = {
    "encoder_positional_encoding": "sinusoid",
    "encoder_dmodel": 144,
    "encoder_num_blocks": 16,
    "encoder_head_size": 36,
    "encoder_num_heads": 4,
    "encoder_mha_type": "relmha",
    "encoder_kernel_size": 32,
    "encoder_depth_multiplier": 1,
}
CONTEXTNET_DEFAULTS: dict[str, Any] = {"encoder_alpha": 0.5}
# encoders/contextnet.py ConvBlock.
CONTEXTNET_BLOCK_DEFAULTS: dict[str, Any] = {"nlayers": 3, "kernel_size": 3, "filters": 256, "residual": True}
JOINT_DEFAULTS: dict[str, dict[str, Any]] = {
    "rnn_transducer": {"joint_dim": 640, "prejoint_linear": True, "postjoint_linear": False, "joint_mode": "add"},
    "other": {"joint_dim": 1024, "prejoint_linear": True, "postjoint_linear": False, "joint_mode": "add"},
}
KNOWN_FAMILIES = {"deepspeech2", "jasper", "conformer", "contextnet", "rnn_transducer"}
VOCABULARY = "the vocabulary's size comes from decoder_config's vocabulary or text featurizer, not the file"


def detect(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("model_config"), dict):
        return False
    return any(key in data for key in ("speech_config", "decoder_config", "learning_config"))


class _Reader(SectionReader):
    """Reads model keys with their positions, stating each default it falls back on as an assumption."""

    def __init__(self, doc: Document, base: DocPath, keys: dict[str, Any], assumptions: list[Assumption]) -> None:
        super().__init__(doc, base, keys, whole="key")
        self.base = base
        self.keys = keys
        self.assumptions = assumptions

    def get(self, key: str, defaults: dict[str, Any] | None = None, why: str = "") -> Any:  # type: ignore[override]
        if self.has(key):
            return self.values[key]
        default = (defaults or {})[key]
        self.assumptions.append(
            Assumption(
                f"{key}: not set, TensorFlowASR's default {default!r} assumed{why}; add {key} to make it explicit",
                self.span(),
            )
        )
        return default


def _family(name: str) -> str:
    """Normalise a v1 ``name`` or a v3 ``class_name`` to a model family."""
    lowered = name.lower()
    if ">" in lowered:  # v3 "tensorflow_asr.models.transducer.rnnt>RnnTransducer"
        module, _, cls = lowered.partition(">")
        if "deepspeech2" in cls:
            return "deepspeech2"
        if "rnntransducer" in cls:
            return "rnn_transducer"
        return "transducer" if ".transducer." in module + "." else cls
    return lowered


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    model_config: dict[str, Any] = doc.data["model_config"]
    base: DocPath = ("model_config",)
    keys = model_config
    speech = doc.data.get("speech_config")
    name = str(model_config.get("name", ""))
    v1 = True
    if isinstance(model_config.get("config"), dict) and "class_name" in model_config:
        base = ("model_config", "config")
        keys = model_config["config"]
        speech = keys.get("speech_config", speech)
        name = str(model_config["class_name"])
        v1 = False
    family = _family(name)
    assumptions: list[Assumption] = []
    omitted: list[Omission] = []
    reader = _Reader(doc, base, keys, assumptions)
    whole = reader.span()
    features = _features(speech if isinstance(speech, dict) else {}, reader, options)
    layers: list[LayerSpec] = []
    encoder_output: int | None = None
    if family == "deepspeech2":
        layers.extend(_deepspeech2(reader, features, v1, omitted))
    if family == "jasper":
        omitted.append(Omission("the Jasper model (its convolution blocks and CTC output layer) is not counted", whole))
    if family == "rnn_transducer" or any(k.startswith("encoder_rnn") for k in keys):
        layers.extend(_rnnt_encoder(reader, features, v3="encoder_reduction_factors" in keys))
        encoder_output = as_int(keys.get("encoder_dmodel", ENCODER_DEFAULTS["encoder_dmodel"]))
    elif v1 and family == "conformer":
        entry, encoder_output = _conformer_encoder(reader, features)
        layers.append(entry)
    elif v1 and family == "contextnet":
        entry, encoder_output = _contextnet_encoder(reader, features)
        layers.append(entry)
    transducer = family in TRANSDUCERS or family == "transducer" or any(k.startswith("prediction_") for k in keys)
    if transducer and encoder_output is None:
        if v1 and family not in KNOWN_FAMILIES:
            # A model class rnnlint does not know: its encoder cannot be counted (RNN205).
            layers.append(
                LayerSpec(
                    "encoder",
                    name or "encoder",
                    whole,
                    Unknown(name or "encoder", f"rnnlint does not know TensorFlowASR model {name!r}"),
                )
            )
        elif not v1:
            omitted.append(
                Omission(
                    f"the encoder of {name} is not counted (rnnlint reads the v1 model_config layout's encoders only)",
                    whole,
                )
            )
    if transducer:
        defaults = PREDICTION_DEFAULTS["rnn_transducer" if family == "rnn_transducer" else "other"]
        prediction = _prediction(reader, defaults)
        layers.extend(prediction)
        if prediction:
            omitted.append(
                Omission(
                    f"the prediction network's embedding is not counted (vocabulary x "
                    f"prediction_embed_dim: {VOCABULARY})",
                    reader.span("prediction_embed_dim"),
                )
            )
        if v1:
            joint = _joint(
                reader,
                JOINT_DEFAULTS["rnn_transducer" if family == "rnn_transducer" else "other"],
                encoder_output,
                _prediction_output(reader, defaults),
            )
            layers.extend(joint)
            omitted.append(
                Omission(
                    f"the joint network's output layer is not counted (joint width x vocabulary: {VOCABULARY})",
                    reader.span("joint_dim"),
                )
            )
        else:
            omitted.append(
                Omission(
                    f"the joint network of {name} is not counted (rnnlint reads the v1 "
                    "model_config layout's joint only)",
                    whole,
                )
            )
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="keras",
            layers=tuple(layers),
            span=doc.locator.key(("model_config",)),
            name=name or None,
            assumptions=tuple(assumptions),
            omitted=tuple(omitted),
        )
    )


def _features(speech: dict[str, Any], reader: _Reader, options: AdaptOptions) -> tuple[int, int] | None:
    """(feature bins, channels) of the speech featurizer; the input_size override replaces bins x channels."""
    if options.input_size is not None:
        return options.input_size, 1
    bins = speech.get("num_feature_bins", 80)
    if "num_feature_bins" not in speech:
        reader.assumptions.append(
            Assumption(
                "speech_config.num_feature_bins: not set, TensorFlowASR's default 80 assumed; add it to make "
                "it explicit",
                reader.span(),
            )
        )
    if as_int(bins) is None:
        return None
    channels = 1 + sum(
        1
        for key in ("delta", "delta_delta", "pitch")
        if as_bool(speech.get(key, False), False, strings=TRUE_ELSE_FALSE, others="truthy")
    )
    return int(bins), channels


def _recurrent(
    kind_name: Any, units: int, input_size: int | None, *, layers: int = 1, bidirectional: bool = False
) -> Recurrent:
    kind = KINDS.get(str(kind_name).lower(), "lstm")
    return Recurrent(
        kind=kind,
        hidden_size=units,
        input_size=input_size,
        framework="keras",
        num_layers=layers,
        bidirectional=bidirectional,
    )


def _options(reader: _Reader, unroll_key: str) -> tuple[dict[str, Any], dict[str, Span]]:
    options: dict[str, Any] = {"bias": True}
    spans: dict[str, Span] = {}
    if unroll_key in reader.keys:
        options["unroll"] = as_bool(reader.keys[unroll_key], False, strings=TRUE_ELSE_FALSE, others="truthy")
        spans["unroll"] = reader.span(unroll_key)
    return options, spans


def _pair(value: Any) -> tuple[int, int] | None:
    """A Keras kernel/stride argument for a 2-D layer: an int or a pair."""
    if as_int(value) is not None:
        return int(value), int(value)
    if isinstance(value, list | tuple) and len(value) == 2 and all(as_int(v) is not None for v in value):
        return int(value[0]), int(value[1])
    return None


def _conv2d(cin: int, cout: int, kernel: tuple[int, int], bias: bool = True) -> int:
    return kernel[0] * kernel[1] * cin * cout + (cout if bias else 0)


def _deepspeech2(
    reader: _Reader, features: tuple[int, int] | None, v1: bool, omitted: list[Omission]
) -> list[LayerSpec]:
    d = DS2_DEFAULTS
    nlayers = as_int(reader.get("rnn_nlayers", d))
    units = as_int(reader.get("rnn_units", d))
    rnn_type = reader.get("rnn_type", d)
    # RnnBlock (models/ctc/deepspeech2.py) tests ``if bidirectional:`` on the YAML value: Python's truth.
    bidirectional = as_bool(reader.get("rnn_bidirectional", d), False, strings=PYTHON_TRUTH, others="truthy")
    if nlayers is None or units is None or nlayers < 1:
        return []
    conv_type = str(reader.get("conv_type", d))
    filters = reader.get("conv_filters", d)
    strides = reader.get("conv_strides", d)
    input_size: int | None = None
    if isinstance(filters, list) and filters and as_int(filters[-1]) is not None and features is not None:
        if conv_type == "conv1d":
            input_size = int(filters[-1])
        elif conv_type == "conv2d" and isinstance(strides, list):
            bins = features[0]
            for stride in strides:
                step = stride[1] if isinstance(stride, list) and len(stride) == 2 else stride
                if as_int(step) is None:
                    bins = -1
                    break
                bins = math.ceil(bins / int(step))  # padding="same"
            input_size = bins * int(filters[-1]) if bins > 0 else None
    if input_size is None:
        reader.assumptions.append(
            Assumption(
                f"DeepSpeech2 RNN input: the conv front end's output size could not be derived; {HOW_TO_STATE_INPUT}",
                reader.span("rnn_nlayers"),
            )
        )
    entries: list[LayerSpec] = []
    if v1:
        entries.append(_ds2_conv_module(reader, features, conv_type, filters))
    options, spans = _options(reader, "rnn_unroll")
    module = _recurrent(rnn_type, units, input_size, layers=nlayers, bidirectional=bidirectional)
    entries.append(
        LayerSpec("rnn_module", module.kind, reader.span("rnn_nlayers"), module, options=options, option_spans=spans)
    )
    if not v1:
        omitted.append(
            Omission(
                "the DeepSpeech2 conv front end, batch norms and fully connected layers are not "
                "counted (rnnlint reads the v1 model_config layout's only)",
                reader.span(),
            )
        )
    else:
        width = units * (2 if bidirectional else 1)
        rowconv = as_int(reader.get("rnn_rowconv", d)) or 0
        parts: list[Module] = [
            Fixed(2 * width * nlayers, f"{nlayers} x SequenceBatchNorm({width}): {nlayers} x 2x{width}", width)
        ]
        if not bidirectional and rowconv > 0:
            kernel = 2 * rowconv + 1  # RowConv1D keeps the whole kernel (half of it masked to zero)
            one = kernel * units * units + units
            parts.append(Fixed(nlayers * one, f"{nlayers} x RowConv1D: {kernel}x{units}x{units} + {units}", units))
        entries.append(
            LayerSpec(
                "rnn batch norms", "batchnorm", reader.span("rnn_nlayers"), Composite(tuple(parts), output_size=width)
            )
        )
        fc_layers = as_int(reader.get("fc_nlayers", d)) or 0
        fc_units = as_int(reader.get("fc_units", d)) if fc_layers > 0 else None
        if fc_layers > 0 and fc_units is not None:
            fc: list[Module] = []
            current = width
            for _ in range(fc_layers):
                fc.append(Linear(current, fc_units))
                fc.append(Fixed(4 * fc_units, f"BatchNormalization({fc_units}): 4x{fc_units}", fc_units))
                current = fc_units
            entries.append(
                LayerSpec("fc_module", "dense", reader.span("fc_nlayers"), Composite(tuple(fc), output_size=fc_units))
            )
        omitted.append(
            Omission(f"the CTC output layer is not counted (Dense to the vocabulary: {VOCABULARY})", reader.span())
        )
    return entries


def _ds2_conv_module(reader: _Reader, features: tuple[int, int] | None, conv_type: str, filters: Any) -> LayerSpec:
    """DeepSpeech2's ConvModule: per block a Conv1D/Conv2D (padding same) and a BatchNormalization."""
    span = reader.span("conv_filters")
    kernels = reader.get("conv_kernels", DS2_DEFAULTS)
    if (
        features is None
        or not isinstance(filters, list)
        or not isinstance(kernels, list)
        or len(kernels) != len(filters)
        or any(as_int(f) is None for f in filters)
        or conv_type not in ("conv1d", "conv2d")
    ):
        return LayerSpec(
            "conv_module", conv_type, span, Unknown(conv_type, "the conv front end's sizes could not be read")
        )
    parts: list[Module] = []
    # conv2d reads [T, F, C]; conv1d first merges F x C into channels.
    cin = features[1] if conv_type == "conv2d" else features[0] * features[1]
    for f, kernel in zip(filters, kernels, strict=True):
        cout = int(f)
        if conv_type == "conv2d":
            pair = _pair(kernel)
            if pair is None:
                return LayerSpec("conv_module", conv_type, span, Unknown(conv_type, f"kernel {kernel!r} unreadable"))
            n = _conv2d(cin, cout, pair)
            text = f"Conv2D {pair[0]}x{pair[1]}x{cin}x{cout} + {cout}"
        else:
            k = as_int(kernel[0] if isinstance(kernel, list) and len(kernel) == 1 else kernel)
            if k is None:
                return LayerSpec("conv_module", conv_type, span, Unknown(conv_type, f"kernel {kernel!r} unreadable"))
            n = k * cin * cout + cout
            text = f"Conv1D {k}x{cin}x{cout} + {cout}"
        parts.append(Fixed(n + 4 * cout, f"{text} + BatchNormalization 4x{cout} = {fmt(n + 4 * cout)}", cout))
        cin = cout
    return LayerSpec("conv_module", conv_type, span, Composite(tuple(parts), output_size=cin))


def _nested(
    reader: _Reader, mapping: dict[str, Any], key: str, defaults: dict[str, Any], where: str, span: Span
) -> Any:
    """A key of a nested mapping (a subsampling or a ContextNet block), its default assumed when absent."""
    if key in mapping and mapping[key] is not None:
        return mapping[key]
    default = defaults[key]
    reader.assumptions.append(
        Assumption(
            f"{where}.{key}: not set, TensorFlowASR's default {default!r} assumed; add it to make it explicit", span
        )
    )
    return default


def _conformer_encoder(reader: _Reader, features: tuple[int, int] | None) -> tuple[LayerSpec, int | None]:
    """ConformerEncoder (encoders/conformer.py) as one entry; returns it and the encoder's output width."""
    d = CONFORMER_DEFAULTS
    span = reader.span("encoder_dmodel")
    dmodel = as_int(reader.get("encoder_dmodel", d))
    blocks = as_int(reader.get("encoder_num_blocks", d))
    head_size = as_int(reader.get("encoder_head_size", d))
    heads = as_int(reader.get("encoder_num_heads", d))
    mha_type = str(reader.get("encoder_mha_type", d))
    kernel_size = as_int(reader.get("encoder_kernel_size", d))
    multiplier = as_int(reader.get("encoder_depth_multiplier", d))
    sub = reader.keys.get("encoder_subsampling")
    if not isinstance(sub, dict):
        missing = Unknown("conformer", "encoder_subsampling is not set (the Conformer model requires it)")
        return LayerSpec("encoder", "conformer", reader.span("encoder_subsampling"), missing), dmodel
    if (
        None in (dmodel, blocks, head_size, heads, kernel_size, multiplier)
        or features is None
        or mha_type not in ("relmha", "mha")
    ):
        return LayerSpec(
            "encoder", "conformer", span, Unknown("conformer", "the encoder's sizes could not be read")
        ), dmodel
    assert dmodel is not None and blocks is not None and head_size is not None and heads is not None
    assert kernel_size is not None and multiplier is not None
    sub_span = reader.span("encoder_subsampling")
    where = "encoder_subsampling"
    kind = str(sub.get("type", "conv2d"))
    bins, channels = features
    if kind == "conv2d":
        filters = as_int(sub.get("filters"))
        kernel = _pair(_nested(reader, sub, "kernel_size", {"kernel_size": 3}, where, sub_span))
        stride = _pair(_nested(reader, sub, "strides", {"strides": 2}, where, sub_span))
        if filters is None or kernel is None or stride is None:
            return LayerSpec(
                "encoder",
                "conformer",
                sub_span,
                Unknown("conformer", "encoder_subsampling's filters, kernel_size or strides unreadable"),
            ), dmodel
        sub_params = _conv2d(channels, filters, kernel) + _conv2d(filters, filters, kernel)
        freq = math.ceil(math.ceil(bins / stride[1]) / stride[1])  # two convs, padding="same"
        width = freq * filters
        sub_text = f"Conv2dSubsampling 2 x Conv2D({filters}, {kernel[0]}x{kernel[1]}) = {fmt(sub_params)}"
    elif kind == "vgg":
        pair = _nested(reader, sub, "filters", {"filters": [32, 64]}, where, sub_span)
        kernel = _pair(_nested(reader, sub, "kernel_size", {"kernel_size": 3}, where, sub_span))
        pool = _pair(_nested(reader, sub, "strides", {"strides": 2}, where, sub_span))
        f0, f1 = (as_int(pair[0]), as_int(pair[1])) if isinstance(pair, list) and len(pair) == 2 else (None, None)
        if f0 is None or f1 is None or kernel is None or pool is None:
            return LayerSpec(
                "encoder",
                "conformer",
                sub_span,
                Unknown("conformer", "encoder_subsampling's filters, kernel_size or strides unreadable"),
            ), dmodel
        sub_params = (
            _conv2d(channels, f0, kernel) + _conv2d(f0, f0, kernel) + _conv2d(f0, f1, kernel) + _conv2d(f1, f1, kernel)
        )
        freq = math.ceil(math.ceil(bins / pool[1]) / pool[1])  # two max pools, padding="same"
        width = freq * f1
        sub_text = f"VggSubsampling 4 x Conv2D ({f0}, {f0}, {f1}, {f1}) = {fmt(sub_params)}"
    else:
        return LayerSpec(
            "encoder",
            "conformer",
            sub_span,
            Unknown("conformer", f"subsampling type {kind!r} (TensorFlowASR has conv2d and vgg)"),
        ), dmodel
    dim = dmodel
    linear = width * dim + dim
    ff = 2 * dim + (dim * 4 * dim + 4 * dim) + (4 * dim * dim + dim)  # LayerNorm, Dense(4d), Dense(d)
    # LayerNorm, then query/key/value kernels (heads x d x head_size), output projection and its bias.
    mhsa = 2 * dim + 3 * heads * dim * head_size + heads * head_size * dim + dim
    if mha_type == "relmha":
        mhsa += heads * dim * head_size + 2 * heads * head_size  # pos kernel (positional encoding is d wide), u, v
    inner = dim * multiplier
    # LayerNorm, pointwise Conv 1x1 to 2d (GLU halves it), depthwise (k x 1), BatchNorm, pointwise back to d.
    conv = 2 * dim + (dim * 2 * dim + 2 * dim) + (kernel_size * inner + inner) + 4 * inner + (inner * dim + dim)
    block = 2 * ff + mhsa + conv + 2 * dim
    total = sub_params + linear + blocks * block
    formula = (
        f"{sub_text} + Dense({dim}) {width}x{dim} + {dim} = {fmt(linear)} + {blocks} blocks x "
        f"[2 x FF {fmt(ff)} + {mha_type} {fmt(mhsa)} + conv {fmt(conv)} + LayerNorm {2 * dim}] "
        f"({fmt(block)} each) = {fmt(total)}"
    )
    return LayerSpec("encoder", "conformer", span, Fixed(total, formula, dim)), dim


def _conv_module(cin: int, filters: int, kernel: int) -> int:
    """ContextNet's ConvModule: SeparableConv1D (depthwise k x cin, pointwise cin x f, bias f) + BatchNorm."""
    return kernel * cin + cin * filters + filters + 4 * filters


def _contextnet_encoder(reader: _Reader, features: tuple[int, int] | None) -> tuple[LayerSpec, int | None]:
    """ContextNetEncoder (encoders/contextnet.py) as one entry; returns it and the encoder's output width."""
    span = reader.span("encoder_blocks")
    alpha = reader.get("encoder_alpha", CONTEXTNET_DEFAULTS)
    blocks = reader.keys.get("encoder_blocks")
    if not isinstance(blocks, list) or not blocks or features is None or not isinstance(alpha, int | float):
        return LayerSpec("encoder", "contextnet", span, Unknown("contextnet", "encoder_blocks could not be read")), None
    cin = features[0] * features[1]  # the encoder merges bins x channels first
    total = 0
    texts: list[str] = []
    for i, raw in enumerate(blocks):
        block = raw if isinstance(raw, dict) else {}
        where = f"encoder_blocks[{i}]"
        block_span = reader.doc.locator.value((*reader.base, "encoder_blocks", i)) if isinstance(raw, dict) else span
        values = {
            key: _nested(reader, block, key, CONTEXTNET_BLOCK_DEFAULTS, where, block_span)
            for key in ("nlayers", "kernel_size", "filters", "residual")
        }
        nlayers, kernel, filters = as_int(values["nlayers"]), as_int(values["kernel_size"]), as_int(values["filters"])
        if nlayers is None or kernel is None or filters is None or nlayers < 1:
            return LayerSpec(
                "encoder",
                "contextnet",
                block_span,
                Unknown("contextnet", f"{where}'s nlayers, kernel_size or filters unreadable"),
            ), None
        width = int(filters * alpha)
        n = _conv_module(cin, width, kernel) + (nlayers - 1) * _conv_module(width, width, kernel)
        squeeze = width // 8
        n += _conv_module(width, width, kernel) + (width * squeeze + squeeze) + (squeeze * width + width)  # SE
        if as_bool(values["residual"], False, strings=TRUE_ELSE_FALSE, others="truthy"):
            n += _conv_module(cin, width, kernel)
        total += n
        texts.append(fmt(n))
        cin = width
    formula = f"{len(blocks)} conv blocks: {' + '.join(texts)} = {fmt(total)}"
    return LayerSpec("encoder", "contextnet", span, Fixed(total, formula, cin)), cin


def _prediction_output(reader: _Reader, defaults: dict[str, Any]) -> int | None:
    keys = reader.keys
    projection = as_int(keys.get("prediction_projection_units", defaults["prediction_projection_units"])) or 0
    return projection if projection > 0 else as_int(keys.get("prediction_rnn_units", defaults["prediction_rnn_units"]))


def _joint(reader: _Reader, defaults: dict[str, Any], encoder: int | None, prediction: int | None) -> list[LayerSpec]:
    """TransducerJoint's projections (transducer/base_transducer.py); the vocabulary output is an omission."""
    joint_dim = as_int(reader.get("joint_dim", defaults))
    # TransducerJoint (transducer/transducer_joint.py) tests ``if self.prejoint_linear:``: Python's truth.
    prejoint = as_bool(reader.get("prejoint_linear", defaults), False, strings=PYTHON_TRUTH, others="truthy")
    postjoint = as_bool(reader.get("postjoint_linear", defaults), False, strings=PYTHON_TRUTH, others="truthy")
    if joint_dim is None or not (prejoint or postjoint):
        return []
    parts: list[Module] = []
    if prejoint:
        parts += [Linear(encoder, joint_dim), Linear(prediction, joint_dim, bias=False)]
    if postjoint:
        # Only here does joint_mode change a count: concat doubles the width the Dense reads.
        concat = str(reader.get("joint_mode", defaults)) == "concat"
        joined: int | None = None
        if prejoint:
            joined = 2 * joint_dim if concat else joint_dim
        elif encoder is not None and prediction is not None:
            joined = encoder + prediction if concat else encoder
        parts.append(Linear(joined, joint_dim))
    return [
        LayerSpec(
            "joint network projections",
            "dense",
            reader.span("joint_dim"),
            Composite(tuple(parts), output_size=joint_dim),
        )
    ]


def _reductions(reader: _Reader, nlayers: int, v3: bool) -> list[tuple[str, int]]:
    """(position, factor) per encoder block; factor 0 means no time reduction."""
    if v3:
        positions = reader.keys.get("encoder_reduction_positions") or ["pre"] * nlayers
        factors = reader.keys.get("encoder_reduction_factors") or [0] * nlayers
        return [
            (str(positions[i]) if i < len(positions) else "pre", as_int(factors[i]) or 0 if i < len(factors) else 0)
            for i in range(nlayers)
        ]
    raw = reader.keys.get("encoder_reductions", {0: 3, 1: 2})
    table = {int(k): as_int(v) or 0 for k, v in raw.items() if str(k).isdigit()} if isinstance(raw, dict) else {}
    return [("pre", table.get(i, 0)) for i in range(nlayers)]


def _rnnt_encoder(reader: _Reader, features: tuple[int, int] | None, v3: bool) -> list[LayerSpec]:
    d = ENCODER_DEFAULTS
    nlayers = as_int(reader.get("encoder_nlayers", d))
    units = as_int(reader.get("encoder_rnn_units", d))
    dmodel = as_int(reader.get("encoder_dmodel", d))
    rnn_type = reader.get("encoder_rnn_type", d)
    layer_norm = as_bool(reader.get("encoder_layer_norm", d), False, strings=TRUE_ELSE_FALSE, others="truthy")
    if nlayers is None or units is None or dmodel is None or nlayers < 1:
        return []
    current = features[0] * features[1] if features is not None else None
    rnns: list[Module] = []
    between: list[Module] = []
    for position, factor in _reductions(reader, nlayers, v3):
        if position == "pre" and factor > 0 and current is not None:
            current *= factor
        rnns.append(_recurrent(rnn_type, units, current))
        if layer_norm:
            between.append(Fixed(2 * units, f"LayerNorm({units}): 2x{units}", units))
        between.append(Linear(units, dmodel))
        current = dmodel * factor if position == "post" and factor > 0 else dmodel
    span = reader.span("encoder_nlayers")
    options, spans = _options(reader, "encoder_rnn_unroll")
    kind = KINDS.get(str(rnn_type).lower(), "lstm")
    return [
        LayerSpec(
            "encoder rnn blocks",
            kind,
            span,
            Composite(tuple(rnns), output_size=units),
            options=options,
            option_spans=spans,
        ),
        LayerSpec(
            "encoder layer norms and projections",
            "dense",
            reader.span("encoder_dmodel"),
            Composite(tuple(between), output_size=dmodel),
        ),
    ]


def _prediction(reader: _Reader, defaults: dict[str, Any]) -> list[LayerSpec]:
    embed_dim = as_int(reader.get("prediction_embed_dim", defaults))
    num_rnns = as_int(reader.get("prediction_num_rnns", defaults))
    units = as_int(reader.get("prediction_rnn_units", defaults))
    rnn_type = reader.get("prediction_rnn_type", defaults)
    layer_norm = as_bool(reader.get("prediction_layer_norm", defaults), False, strings=TRUE_ELSE_FALSE, others="truthy")
    projection = as_int(reader.get("prediction_projection_units", defaults)) or 0
    if num_rnns is None or units is None or num_rnns < 1:
        return []
    input_size = embed_dim
    mode = str(reader.keys.get("prediction_label_encode_mode", "embedding"))
    if mode == "one_hot":
        input_size = None
        reader.assumptions.append(
            Assumption(
                "prediction network input is a one-hot of the vocabulary, whose size is not in the file; "
                f"{HOW_TO_STATE_INPUT}",
                reader.span("prediction_label_encode_mode"),
            )
        )
    span = reader.span("prediction_rnn_units")
    options, spans = _options(reader, "prediction_rnn_unroll")
    module: Module
    if projection > 0 and num_rnns > 1:
        # Each layer after the first reads the previous layer's projection, not its state.
        parts = [_recurrent(rnn_type, units, input_size)]
        parts += [_recurrent(rnn_type, units, projection) for _ in range(num_rnns - 1)]
        module = Composite(tuple(parts), output_size=projection)
    else:
        module = _recurrent(rnn_type, units, input_size, layers=num_rnns)
    kind = KINDS.get(str(rnn_type).lower(), "lstm")
    entries = [LayerSpec("prediction network", kind, span, module, options=options, option_spans=spans)]
    between: list[Module] = []
    for _ in range(num_rnns):
        if layer_norm:
            between.append(Fixed(2 * units, f"LayerNorm({units}): 2x{units}", units))
        if projection > 0:
            between.append(Linear(units, projection))
    if between:
        entries.append(
            LayerSpec(
                "prediction layer norms and projections",
                "dense",
                reader.span("prediction_projection_units"),
                Composite(tuple(between), output_size=projection or units),
            )
        )
    return entries
