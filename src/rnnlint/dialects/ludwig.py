"""Ludwig model configs (``input_features`` / ``combiner`` / ``output_features``).

Recurrent encoders (``ludwig/encoders/sequence_encoders.py``): ``rnn`` (StackedRNN) embeds
the sequence and feeds it to a ``RecurrentStack`` of ``cell_type`` (``rnn`` by default: a
plain RNN), ``state_size`` (256) units, ``num_layers`` (1) layers, ``bidirectional`` (false),
``use_bias`` (true); ``cnnrnn`` (StackedCNNRNN) puts 1-d convolutions first, so the RNN
reads the last conv layer's ``num_filters`` (256) and stacks ``num_rec_layers``.
The RNN's input is the embedding, ``embedding_size`` (256) wide; Ludwig makes a dense
embedding ``min(vocabulary size, embedding_size)`` wide, so a smaller vocabulary shrinks it.

Forms and versions: since 0.6 the encoder is nested (``encoder: {type: rnn, ...}``); up
to 0.5 it is flat (``encoder: rnn`` with the keys on the feature). Ludwig is PyTorch since
0.5 (two bias vectors) and TensorFlow/Keras up to 0.4 (one bias; TF2 Keras GRU keeps two).
A flat config is taken as 0.5 when it has a ``trainer`` section (or ``ludwig_version``
>= 0.5) and as TensorFlow-era otherwise; either way the note says which was assumed.

``combiner: {type: sequence, encoder: rnn}`` runs the encoder over the concatenated
feature outputs, whose width rnnlint does not derive (unknown input), and
``decoder: generator`` sizes its RNN from the combiner output, so it is reported unknown.

Only the recurrent stacks are counted. What else Ludwig builds is an omission (RNN106): the
embeddings (vocabulary x width, the vocabulary comes from the data), the convolutions of
``cnnrnn`` and the fully connected layers after an encoder or in a combiner, the other input
features' encoders (a passthrough encoder builds nothing), a combiner other than a plain
``concat``, and every output feature's decoder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import HOW_TO_STATE_INPUT, TRUE_OR_FALSE, as_bool, as_int
from rnnlint.model import (
    Assumption,
    Framework,
    LayerSpec,
    ModelConfig,
    Module,
    Omission,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)
from rnnlint.parse.document import DocPath, Document

# Ludwig's schema takes true / false; other strings keep the default (as written: unverified).
BOOLS = TRUE_OR_FALSE._replace(strip=False)

NAME = "ludwig"

RNN_ENCODERS = {"rnn", "cnnrnn", "stacked_cnn_rnn"}
CELLS: dict[str, RecurrentKind] = {"rnn": "rnn", "lstm": "lstm", "gru": "gru"}
EMBEDDED_TYPES = {"sequence", "text"}
DEFAULT_STATE_SIZE = 256
DEFAULT_EMBEDDING_SIZE = 256
DEFAULT_NUM_FILTERS = 256
# Encoders that pass the feature through and build no weights (Ludwig's passthrough and its aliases).
PASSTHROUGH = {"passthrough", "none", "null"}
# Feature types whose default encoder is a passthrough (number/binary in every Ludwig version).
PASSTHROUGH_BY_DEFAULT = {"numerical", "number", "binary"}
FC_KEYS = ("fc_layers", "num_fc_layers")


def detect(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("input_features"), list)
        and isinstance(data.get("output_features"), list)
    )


@dataclass(frozen=True)
class _Era:
    framework: Framework
    note: str


def _version(value: Any) -> tuple[int, int] | None:
    match = re.match(r"\s*(\d+)\.(\d+)", str(value)) if value is not None else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def _era(data: dict[str, Any], nested: bool) -> _Era:
    version = _version(data.get("ludwig_version"))
    if version is not None:
        if version >= (0, 5):
            return _Era("pytorch", f"ludwig_version {data['ludwig_version']}: PyTorch, two bias vectors")
        return _Era("keras", f"ludwig_version {data['ludwig_version']}: TensorFlow/Keras, one bias vector")
    if nested:
        return _Era("pytorch", "nested encoder form: Ludwig >= 0.6 (PyTorch, two bias vectors) assumed")
    if "trainer" in data:
        note = "flat encoder form with a trainer section: Ludwig 0.5 (PyTorch, two bias vectors) assumed"
        return _Era("pytorch", note)
    return _Era(
        "keras",
        "flat encoder form without a trainer section: Ludwig <= 0.4 (TensorFlow/Keras, one bias vector) assumed; "
        "add ludwig_version to make it explicit",
    )


def _encoder_of(feature: dict[str, Any], path: DocPath) -> tuple[str | None, dict[str, Any], DocPath]:
    """(encoder type, the mapping holding its keys, that mapping's path)."""
    encoder = feature.get("encoder")
    if isinstance(encoder, dict):
        kind = encoder.get("type")
        return (str(kind) if kind is not None else None), encoder, (*path, "encoder")
    if isinstance(encoder, str):
        return encoder, feature, path
    return None, feature, path


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    data: dict[str, Any] = doc.data
    locate = doc.locator
    features = [f for f in data["input_features"] if isinstance(f, dict)]
    combiner = data.get("combiner")
    nested = any(isinstance(f.get("encoder"), dict) for f in features) or (
        isinstance(combiner, dict) and isinstance(combiner.get("encoder"), dict)
    )
    era = _era(data, nested)
    layers: list[LayerSpec] = []
    assumptions: list[Assumption] = []
    era_noted = False

    def note_era(span: Span) -> None:
        nonlocal era_noted
        if not era_noted and "ludwig_version" not in data:
            assumptions.append(Assumption(era.note, span))
            era_noted = True

    omitted: list[Omission] = []
    for index, feature in enumerate(data["input_features"]):
        if not isinstance(feature, dict):
            continue
        path: DocPath = ("input_features", index)
        label = str(feature.get("name", f"input_features[{index}]"))
        kind, keys, keys_path = _encoder_of(feature, path)
        if kind not in RNN_ENCODERS:
            if kind is None and feature.get("type") in PASSTHROUGH_BY_DEFAULT:
                continue
            default = f"Ludwig's default for {feature.get('type')} features"
            _other_encoder(f"the {label} feature's", kind, default, locate.value(path), omitted)
            continue
        span = locate.value(keys_path)
        note_era(span)
        input_size = _encoder_input(feature, keys, kind, options, span, assumptions)
        layers.append(_rnn_entry(f"{label} encoder", kind, keys, keys_path, input_size, era, doc, span, assumptions))
        if feature.get("type") in EMBEDDED_TYPES:
            omitted.append(
                Omission(
                    f"the {label} feature's embedding is not counted (vocabulary x embedding width; "
                    "the vocabulary comes from the training data)",
                    span,
                )
            )
        _encoder_extras(f"the {label} encoder's", kind, keys, span, omitted)

    combiner_type = combiner.get("type", "concat") if isinstance(combiner, dict) else "concat"
    combiner_span = locate.value(("combiner",)) if isinstance(combiner, dict) else locate.key(("input_features",))
    if isinstance(combiner, dict) and combiner_type == "concat":
        if any(combiner.get(key) for key in FC_KEYS):
            omitted.append(Omission("the concat combiner's fully connected layers are not counted", combiner_span))
    elif isinstance(combiner, dict) and combiner_type != "sequence":
        omitted.append(Omission(f"the {combiner_type} combiner is not counted", combiner_span))

    if isinstance(combiner, dict) and combiner.get("type") == "sequence":
        kind, keys, keys_path = _encoder_of(combiner, ("combiner",))
        if kind not in RNN_ENCODERS:
            _other_encoder("the sequence combiner's", kind, "the sequence combiner's default", combiner_span, omitted)
        else:
            _encoder_extras("the sequence combiner encoder's", kind, keys, locate.value(keys_path), omitted)
        if kind in RNN_ENCODERS:
            span = locate.value(keys_path)
            note_era(span)
            input_size = options.input_size
            if input_size is None:
                assumptions.append(
                    Assumption(
                        "sequence combiner RNN input: the concatenated width of the input features' outputs, "
                        f"which rnnlint does not derive; {HOW_TO_STATE_INPUT}",
                        span,
                    )
                )
            layers.append(
                _rnn_entry("sequence combiner encoder", kind, keys, keys_path, input_size, era, doc, span, assumptions)
            )

    for index, feature in enumerate(data["output_features"]):
        if not isinstance(feature, dict):
            continue
        decoder = feature.get("decoder")
        decoder_type = decoder.get("type") if isinstance(decoder, dict) else decoder
        if decoder_type == "generator":
            path = ("output_features", index)
            span = locate.value((*path, "decoder") if isinstance(decoder, dict) else path)
            reason = (
                "Ludwig generator decoder: its RNN is as wide as the combiner's output, which rnnlint does not derive"
            )
            name = f"{feature.get('name', f'output_features[{index}]')} decoder"
            layers.append(LayerSpec(name, "generator", span, Unknown("generator", reason)))
        else:
            label = str(feature.get("name", f"output_features[{index}]"))
            omitted.append(
                Omission(
                    f"the {label} output feature's decoder is not counted (it reads the combiner's "
                    "output, whose width rnnlint does not derive)",
                    locate.value(("output_features", index)),
                )
            )

    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework=era.framework,
            layers=tuple(layers),
            span=locate.key(("input_features",)),
            assumptions=tuple(assumptions),
            omitted=tuple(omitted),
        )
    )


def _other_encoder(owner: str, kind: str | None, default: str, span: Span, omitted: list[Omission]) -> None:
    """A non-recurrent encoder is not counted; a passthrough builds nothing."""
    if kind is not None and kind.lower() in PASSTHROUGH:
        return
    if kind is None:
        message = f"{owner} encoder ({default}) is not counted"
    else:
        message = f"{owner} {kind} encoder is not counted"
    omitted.append(Omission(message, span))


def _encoder_extras(owner: str, kind: str, keys: dict[str, Any], span: Span, omitted: list[Omission]) -> None:
    """What a recurrent encoder builds besides the RNN: cnnrnn's convolutions, fully connected layers."""
    if kind != "rnn":
        omitted.append(Omission(f"{owner} convolution layers are not counted", span))
    if any(keys.get(key) for key in FC_KEYS):
        omitted.append(Omission(f"{owner} fully connected layers are not counted", span))


def _encoder_input(
    feature: dict[str, Any],
    keys: dict[str, Any],
    kind: str,
    options: AdaptOptions,
    span: Span,
    assumptions: list[Assumption],
) -> int | None:
    if options.input_size is not None:
        return options.input_size
    if kind != "rnn":
        # cnnrnn: the RNN reads the last convolution's filters.
        conv_layers = keys.get("conv_layers")
        default_filters = as_int(keys.get("num_filters"), unset=DEFAULT_NUM_FILTERS)
        if isinstance(conv_layers, list) and conv_layers and isinstance(conv_layers[-1], dict):
            return as_int(conv_layers[-1].get("num_filters"), unset=default_filters or DEFAULT_NUM_FILTERS)
        return default_filters
    feature_type = feature.get("type")
    if feature_type not in EMBEDDED_TYPES:
        assumptions.append(
            Assumption(
                f"{feature_type} feature: the RNN reads the raw feature vectors, whose width is not in the file; "
                f"{HOW_TO_STATE_INPUT}",
                span,
            )
        )
        return None
    if keys.get("representation") == "sparse":
        assumptions.append(
            Assumption(
                "representation: sparse: the RNN reads one-hot vectors as wide as the vocabulary, which is "
                f"not in the file; {HOW_TO_STATE_INPUT}",
                span,
            )
        )
        return None
    size = as_int(keys.get("embedding_size"), unset=DEFAULT_EMBEDDING_SIZE)
    stated = "embedding_size" in keys
    assumptions.append(
        Assumption(
            f"RNN input = embedding_size {size}{'' if stated else ' (Ludwig default; add embedding_size)'}, "
            "assuming the vocabulary has at least that many entries (Ludwig uses min(vocabulary size, "
            "embedding_size))",
            span,
        )
    )
    return size


def _rnn_entry(
    name: str,
    kind: str,
    keys: dict[str, Any],
    keys_path: DocPath,
    input_size: int | None,
    era: _Era,
    doc: Document,
    span: Span,
    assumptions: list[Assumption],
) -> LayerSpec:
    locate = doc.locator
    cell_name = keys.get("cell_type")
    if cell_name is None:
        assumptions.append(
            Assumption(
                "cell_type not set: Ludwig's default is a plain RNN (cell_type: rnn); add cell_type to make "
                "it explicit",
                span,
            )
        )
        cell_name = "rnn"
    cell = CELLS.get(str(cell_name).lower())
    if cell is None:
        reason = f"Ludwig cell_type {cell_name!r} (a TensorFlow-era custom cell): rnnlint cannot count it exactly"
        return LayerSpec(name, str(cell_name), span, Unknown(str(cell_name), reason))
    layers_key = "num_layers" if kind == "rnn" else "num_rec_layers"
    state_size = as_int(keys.get("state_size"), unset=DEFAULT_STATE_SIZE)
    num_layers = as_int(keys.get(layers_key), unset=1)
    if state_size is None or num_layers is None:
        return LayerSpec(name, cell, span, Unknown(cell, "state_size and the layer count must be integers"))
    if era.framework == "keras" and cell == "gru":
        assumptions.append(
            Assumption(
                "TensorFlow-era GRU: Keras reset_after=True (TF2, Ludwig 0.3-0.4) assumed, two bias vectors; "
                "Ludwig 0.1-0.2 (TF1 cells) keep one",
                span,
            )
        )
    module: Module = Recurrent(
        kind=cell,
        hidden_size=state_size,
        input_size=input_size,
        framework=era.framework,
        num_layers=num_layers,
        bidirectional=as_bool(keys.get("bidirectional"), False, strings=BOOLS, others="default"),
        bias=as_bool(keys.get("use_bias"), True, strings=BOOLS, others="default"),
    )
    option_spans = {
        normalized: locate.key((*keys_path, key))
        for normalized, key in (("bias", "use_bias"), ("num_layers", layers_key))
        if key in keys
    }
    options = {"bias": as_bool(keys.get("use_bias"), True, strings=BOOLS, others="default")}
    return LayerSpec(name, cell, span, module, options=options, option_spans=option_spans)
