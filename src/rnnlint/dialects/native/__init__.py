"""rnnlint's own config dialect (``native``): a model as an ordered list of layers.

A layer's input size is the previous layer's output size: embedding -> embedding_dim;
recurrent -> (proj_size or hidden_size) x 2 if bidirectional; linear -> out_features.
With ``framework: keras`` a recurrent entry with ``num_layers: k`` is k stacked Keras
layers (each in ``Bidirectional(merge_mode='concat')`` when bidirectional); with ``onnx``
it is k ONNX ops. The file is validated against ``src/rnnlint/schemas/rnnlint-config.schema.json``; the key
lists below come from it (through ``_fast.py``, which tools/gen_native_fastcheck.py generates).
"""

from __future__ import annotations

from typing import Any, cast

from rnnlint import counting
from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects.native import _fast, fastcheck, yaml11
from rnnlint.model import (
    Embedding,
    Framework,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Passthrough,
    Recurrent,
    RecurrentKind,
    SourcedValue,
    Span,
    Unknown,
)
from rnnlint.parse.document import Document
from rnnlint.parse.source import Problem
from rnnlint.parse.yaml.locate import entry_spans
from rnnlint.settings import keys

NAME = "native"
# The file lists every part of the model: an empty list is an empty model, not an unknown one.
LISTS_EVERY_PART = True

# The schema's layer kinds ($defs recurrent and cell): a cell type names its recurrent kind ("gru_cell" -> "gru").
RECURRENT_TYPES = frozenset(t for t, kind in _fast.LAYER_KINDS.items() if kind == "recurrent")
CELL_TYPES = {t: t.removesuffix("_cell") for t, kind in _fast.LAYER_KINDS.items() if kind == "cell"}
# Keys whose position rules point at, when present.
LOCATED_OPTIONS = (
    "proj_size",
    "dropout",
    "input_size",
    "in_features",
    "activation",
    "recurrent_activation",
    "recurrent_dropout",
    "unroll",
    "bias",
    "reset_after",
    "peepholes",
    "num_layers",
)
_LOCATED = frozenset(LOCATED_OPTIONS)


# What native claims: its own layer types, or a file made only of its own keys (so a typo in a
# native file still gets native's schema messages). A `model.layers` list of Hydra `_target_` /
# Lightning `class_path` entries, or any other tool's `model.layers`, is left to the other dialects.
NATIVE_TYPES = frozenset(_fast.LAYER_KINDS)
_NATIVE_TOP_KEYS = frozenset(_fast.PROPERTIES[""])
_NATIVE_MODEL_KEYS = frozenset(_fast.PROPERTIES["model"])
# The limits the native file holds (their row in rnnlint.settings.keys says so; a test keeps the schema equal).
_LIMIT_KEYS = keys.native("limits")
_FOREIGN_ENTRY_KEYS = ("_target_", "class_path")


def detect(data: Any) -> bool:
    model = data.get("model") if isinstance(data, dict) else None
    if not isinstance(model, dict) or "layers" not in model:
        return False
    layers = model["layers"]
    entries = [entry for entry in layers if isinstance(entry, dict)] if isinstance(layers, list) else []
    if any(entry.get("type") in NATIVE_TYPES for entry in entries if isinstance(entry.get("type"), str)):
        return True
    if any(key in entry for entry in entries for key in _FOREIGN_ENTRY_KEYS):
        return False
    return set(data) <= _NATIVE_TOP_KEYS and set(model) <= _NATIVE_MODEL_KEYS


def _recurrent(entry: dict[str, Any], framework: Framework, input_size: int | None) -> Recurrent:
    layer_type = entry["type"]
    cell = layer_type in CELL_TYPES
    kind = cast(RecurrentKind, CELL_TYPES.get(layer_type, layer_type))
    return Recurrent(
        kind=kind,
        hidden_size=entry["hidden_size"],
        input_size=input_size,
        framework=framework,
        num_layers=1 if cell else entry.get("num_layers", 1),
        bidirectional=False if cell else entry.get("bidirectional", False),
        bias=entry.get("bias", True),
        proj_size=entry.get("proj_size", 0),
        cell=cell,
        reset_after=entry.get("reset_after", True),
        peepholes=entry.get("peepholes", False),
    )


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    data = doc.data
    # RNN004 (5e6, 010, on, .nan where the schema wants a number) replaces RNN002 for that value.
    # fastcheck decides the common valid case; jsonschema writes the messages for the rest.
    problems: list[Problem] = []
    if not fastcheck.clean(doc, options.text):
        schema_problems: list[Problem] = []
        if not fastcheck.valid(data):  # jsonschema's verdict: a file that only needs the RNN004 look skips it
            from rnnlint.dialects.native.validate import validate  # imports jsonschema

            schema_problems = validate(data, doc.locator)
        problems = yaml11.without_overlaps(schema_problems, yaml11.check_schema_numbers(doc))
    if problems:
        return Adapted(None, problems)
    locate = doc.locator
    framework = cast(Framework, data.get("framework") or options.framework or "pytorch")
    model = data["model"]
    current: int | None = model.get("input_size", options.input_size)
    layers: list[LayerSpec] = []
    for index, entry in enumerate(model["layers"]):
        path = ("model", "layers", index)
        layer_type: str = entry["type"]
        declared = entry.get("input_size", entry.get("in_features"))
        expected = current
        input_size = declared if declared is not None else current
        module: Module
        if layer_type in RECURRENT_TYPES or layer_type in CELL_TYPES:
            module = _recurrent(entry, framework, input_size)
        elif layer_type == "embedding":
            module = Embedding(entry["num_embeddings"], entry["embedding_dim"])
            expected = None  # an embedding takes token ids, not features
        elif layer_type == "linear":
            module = Linear(input_size, entry["out_features"], entry.get("bias", True))
        elif layer_type == "dropout":
            module = Passthrough(input_size)
        else:
            module = Unknown(layer_type)
        span, option_spans = entry_spans(locate, path, [key for key in entry if key in _LOCATED])
        declared_span = option_spans.get("input_size") or option_spans.get("in_features")
        layers.append(
            LayerSpec(
                name=entry.get("name") or f"layers[{index}]",
                type=layer_type,
                span=span,
                module=module,
                options={k: v for k, v in entry.items() if k not in ("type", "name")},
                declared_input_size=declared,
                declared_input_span=declared_span,
                expected_input_size=expected,
                option_spans=option_spans,
            )
        )
        current = counting.count(module).output_size
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework=framework,
            layers=tuple(layers),
            span=locate.key(("model",)),
            name=model.get("name"),
            train_examples=_sourced(doc, ("dataset", "train_examples")),
            tokens=_sourced(doc, ("dataset", "tokens")),
            limits={key: value for key in _LIMIT_KEYS if (value := _sourced(doc, ("limits", key))) is not None},
        )
    )


def _sourced(doc: Document, path: tuple[str, str]) -> SourcedValue | None:
    section = doc.data.get(path[0])
    if not isinstance(section, dict) or path[1] not in section:
        return None
    span: Span = doc.locator.value(path)
    return SourcedValue(section[path[1]], f"{path[0]}.{path[1]} at line {span.line}", span)
