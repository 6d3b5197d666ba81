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

Recurrent entries hold only the RNN weights; the LayerNorms and Dense projections between
them are a separate entry. Embeddings, joint networks and conv front ends depend on the
vocabulary or are not recurrent and are left out. A value not in the file takes the
model's TensorFlowASR default and is reported as an RNN104 assumption.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.loader import DocPath, Document
from rnnlint.model import (
    Assumption,
    Composite,
    Fixed,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Recurrent,
    RecurrentKind,
    Span,
)

NAME = "tensorflowasr"

KINDS: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru", "rnn": "rnn"}
TRANSDUCERS = {"conformer", "contextnet", "rnn_transducer", "streaming_transducer", "streaming_conformer"}

# Constructor defaults per model family (tensorflow_asr/models, v1.0.x).
PREDICTION_DEFAULTS: dict[str, dict[str, Any]] = {
    "rnn_transducer": {"prediction_embed_dim": 320, "prediction_num_rnns": 2, "prediction_rnn_units": 2048,
                       "prediction_rnn_type": "lstm", "prediction_layer_norm": True,
                       "prediction_projection_units": 640},
    "other": {"prediction_embed_dim": 512, "prediction_num_rnns": 1, "prediction_rnn_units": 320,
              "prediction_rnn_type": "lstm", "prediction_layer_norm": True, "prediction_projection_units": 0},
}
ENCODER_DEFAULTS: dict[str, Any] = {"encoder_dmodel": 640, "encoder_nlayers": 8, "encoder_rnn_type": "lstm",
                                    "encoder_rnn_units": 2048, "encoder_layer_norm": True}
DS2_DEFAULTS: dict[str, Any] = {"rnn_nlayers": 5, "rnn_type": "lstm", "rnn_units": 1024, "rnn_bidirectional": True,
                                "conv_type": "conv2d", "conv_strides": [[2, 2], [1, 2], [1, 2]],
                                "conv_filters": [32, 32, 96]}


def detect(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("model_config"), dict):
        return False
    return any(key in data for key in ("speech_config", "decoder_config", "learning_config"))


@dataclass
class _Reader:
    """Reads model keys with their positions, recording the defaults it falls back on."""

    doc: Document
    base: DocPath
    keys: dict[str, Any]
    assumptions: list[Assumption]

    def span(self, key: str | None = None) -> Span:
        if key is None or key not in self.keys:
            return self.doc.locator.key(self.base) if self.base else self.doc.locator.value(())
        return self.doc.locator.key((*self.base, key))

    def get(self, key: str, defaults: dict[str, Any], why: str = "") -> Any:
        if key in self.keys and self.keys[key] is not None:
            return self.keys[key]
        default = defaults[key]
        self.assumptions.append(
            Assumption(
                f"{key}: not set, TensorFlowASR's default {default!r} assumed{why}; add {key} to make it explicit",
                self.span(),
            )
        )
        return default


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


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
    if isinstance(model_config.get("config"), dict) and "class_name" in model_config:
        base = ("model_config", "config")
        keys = model_config["config"]
        speech = keys.get("speech_config", speech)
        name = str(model_config["class_name"])
    family = _family(name)
    assumptions: list[Assumption] = []
    reader = _Reader(doc, base, keys, assumptions)
    features = _features(speech if isinstance(speech, dict) else {}, reader, options)
    layers: list[LayerSpec] = []
    if family == "deepspeech2":
        layers.extend(_deepspeech2(reader, features))
    if family == "rnn_transducer" or any(k.startswith("encoder_rnn") for k in keys):
        layers.extend(_rnnt_encoder(reader, features, v3="encoder_reduction_factors" in keys))
    if family in TRANSDUCERS or family == "transducer" or any(k.startswith("prediction_") for k in keys):
        defaults = PREDICTION_DEFAULTS["rnn_transducer" if family == "rnn_transducer" else "other"]
        layers.extend(_prediction(reader, defaults))
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="keras",
            layers=tuple(layers),
            span=doc.locator.key(("model_config",)),
            name=name or None,
            assumptions=tuple(assumptions),
        )
    )


def _features(speech: dict[str, Any], reader: _Reader, options: AdaptOptions) -> tuple[int, int] | None:
    """(feature bins, channels) of the speech featurizer; the input_size override replaces bins x channels."""
    if options.input_size is not None:
        return options.input_size, 1
    bins = speech.get("num_feature_bins", 80)
    if "num_feature_bins" not in speech:
        reader.assumptions.append(
            Assumption("speech_config.num_feature_bins: not set, TensorFlowASR's default 80 assumed; add it to make "
                       "it explicit", reader.span())
        )
    if _int(bins) is None:
        return None
    channels = 1 + sum(1 for key in ("delta", "delta_delta", "pitch") if _bool(speech.get(key, False)))
    return int(bins), channels


def _recurrent(kind_name: Any, units: int, input_size: int | None, *, layers: int = 1,
               bidirectional: bool = False) -> Recurrent:
    kind = KINDS.get(str(kind_name).lower(), "lstm")
    return Recurrent(kind=kind, hidden_size=units, input_size=input_size, framework="keras", num_layers=layers,
                     bidirectional=bidirectional)


def _options(reader: _Reader, unroll_key: str) -> tuple[dict[str, Any], dict[str, Span]]:
    options: dict[str, Any] = {"bias": True}
    spans: dict[str, Span] = {}
    if unroll_key in reader.keys:
        options["unroll"] = _bool(reader.keys[unroll_key])
        spans["unroll"] = reader.span(unroll_key)
    return options, spans


def _deepspeech2(reader: _Reader, features: tuple[int, int] | None) -> list[LayerSpec]:
    d = DS2_DEFAULTS
    nlayers = _int(reader.get("rnn_nlayers", d))
    units = _int(reader.get("rnn_units", d))
    rnn_type = reader.get("rnn_type", d)
    bidirectional = _bool(reader.get("rnn_bidirectional", d))
    if nlayers is None or units is None or nlayers < 1:
        return []
    conv_type = str(reader.get("conv_type", d))
    filters = reader.get("conv_filters", d)
    strides = reader.get("conv_strides", d)
    input_size: int | None = None
    if isinstance(filters, list) and filters and _int(filters[-1]) is not None and features is not None:
        if conv_type == "conv1d":
            input_size = int(filters[-1])
        elif conv_type == "conv2d" and isinstance(strides, list):
            bins = features[0]
            for stride in strides:
                step = stride[1] if isinstance(stride, list) and len(stride) == 2 else stride
                if _int(step) is None:
                    bins = -1
                    break
                bins = math.ceil(bins / int(step))  # padding="same"
            input_size = bins * int(filters[-1]) if bins > 0 else None
    if input_size is None:
        reader.assumptions.append(
            Assumption("DeepSpeech2 RNN input: the conv front end's output size could not be derived; "
                       "state it with [[tool.rnnlint.overrides]] input_size = N", reader.span("rnn_nlayers"))
        )
    options, spans = _options(reader, "rnn_unroll")
    module = _recurrent(rnn_type, units, input_size, layers=nlayers, bidirectional=bidirectional)
    return [LayerSpec("rnn_module", module.kind, reader.span("rnn_nlayers"), module, options=options,
                      option_spans=spans)]


def _reductions(reader: _Reader, nlayers: int, v3: bool) -> list[tuple[str, int]]:
    """(position, factor) per encoder block; factor 0 means no time reduction."""
    if v3:
        positions = reader.keys.get("encoder_reduction_positions") or ["pre"] * nlayers
        factors = reader.keys.get("encoder_reduction_factors") or [0] * nlayers
        return [
            (str(positions[i]) if i < len(positions) else "pre", _int(factors[i]) or 0 if i < len(factors) else 0)
            for i in range(nlayers)
        ]
    raw = reader.keys.get("encoder_reductions", {0: 3, 1: 2})
    table = {int(k): _int(v) or 0 for k, v in raw.items() if str(k).isdigit()} if isinstance(raw, dict) else {}
    return [("pre", table.get(i, 0)) for i in range(nlayers)]


def _rnnt_encoder(reader: _Reader, features: tuple[int, int] | None, v3: bool) -> list[LayerSpec]:
    d = ENCODER_DEFAULTS
    nlayers = _int(reader.get("encoder_nlayers", d))
    units = _int(reader.get("encoder_rnn_units", d))
    dmodel = _int(reader.get("encoder_dmodel", d))
    rnn_type = reader.get("encoder_rnn_type", d)
    layer_norm = _bool(reader.get("encoder_layer_norm", d))
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
        LayerSpec("encoder rnn blocks", kind, span, Composite(tuple(rnns), output_size=units), options=options,
                  option_spans=spans),
        LayerSpec("encoder layer norms and projections", "dense", reader.span("encoder_dmodel"),
                  Composite(tuple(between), output_size=dmodel)),
    ]


def _prediction(reader: _Reader, defaults: dict[str, Any]) -> list[LayerSpec]:
    embed_dim = _int(reader.get("prediction_embed_dim", defaults))
    num_rnns = _int(reader.get("prediction_num_rnns", defaults))
    units = _int(reader.get("prediction_rnn_units", defaults))
    rnn_type = reader.get("prediction_rnn_type", defaults)
    layer_norm = _bool(reader.get("prediction_layer_norm", defaults))
    projection = _int(reader.get("prediction_projection_units", defaults)) or 0
    if num_rnns is None or units is None or num_rnns < 1:
        return []
    input_size = embed_dim
    mode = str(reader.keys.get("prediction_label_encode_mode", "embedding"))
    if mode == "one_hot":
        input_size = None
        reader.assumptions.append(
            Assumption("prediction network input is a one-hot of the vocabulary, whose size is not in the file; "
                       "state it with [[tool.rnnlint.overrides]] input_size = N",
                       reader.span("prediction_label_encode_mode"))
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
        entries.append(LayerSpec("prediction layer norms and projections", "dense",
                                 reader.span("prediction_projection_units"),
                                 Composite(tuple(between), output_size=projection or units)))
    return entries
