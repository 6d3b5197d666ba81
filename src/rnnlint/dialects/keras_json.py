"""Keras model JSON (``model.to_json()``, the HDF5 ``model_config``, TF.js ``modelTopology``).

Reads Keras 3 (``batch_shape``, ``module``/``registered_name``, ``build_config``,
``__keras_tensor__`` arguments), Keras 2 / tf.keras (``batch_input_shape``,
``keras_version``, nested-list ``inbound_nodes``, the bare-list Sequential config of 2.0.x)
and Keras 1 (``output_dim``, ``input_dim``, ``TimeDistributedDense``). Every Keras layer in
the file becomes one entry (a ``Bidirectional`` wrapper is one entry); the sum of the
entries equals ``model.count_params()`` (trainable and non-trainable weights).

Shapes are propagated from the input layers through the graph (without the batch axis)
because a layer's weights depend on its input: Sequential models in order, functional
models along ``inbound_nodes``. A shape the file states itself (Keras 3 ``build_config``
and tensor shapes) wins over the propagated one. Checked against golden fixtures that
``tools/gen_keras_json_fixtures.py`` writes with the real Keras.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard, cast

from rnnlint import codes, counting
from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import as_int, override
from rnnlint.model import (
    Assumption,
    Composite,
    Embedding,
    Fixed,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Passthrough,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)
from rnnlint.parse.document import DocPath, Document, Locator
from rnnlint.parse.source import Problem

NAME = "keras-json"
# The file lists every part of the model: an empty list is an empty model, not an unknown one.
LISTS_EVERY_PART = True

# A tensor shape without the batch axis; None marks a size the file does not fix.
Shape = tuple[int | None, ...]
# The shapes of the tensors a layer is called on (or of its outputs); None where unknown.
Inputs = list[Shape | None]

MODEL_CLASSES = frozenset({"Sequential", "Model", "Functional"})

RECURRENT_CLASSES: dict[str, RecurrentKind] = {
    "LSTM": "lstm",
    "GRU": "gru",
    "SimpleRNN": "rnn",
    "CuDNNLSTM": "lstm",
    "CuDNNGRU": "gru",
}
CELL_CLASSES: dict[str, RecurrentKind] = {"LSTMCell": "lstm", "GRUCell": "gru", "SimpleRNNCell": "rnn"}
STATES = {"lstm": 2, "gru": 1, "rnn": 1}
CONV_LSTM_RANK = {"ConvLSTM1D": 1, "ConvLSTM2D": 2, "ConvLSTM3D": 3}
CONV_RANK = {"Conv1D": 1, "Conv2D": 2, "Conv3D": 3, "Convolution1D": 1, "Convolution2D": 2, "Convolution3D": 3}
POOL_RANK = {
    "MaxPooling1D": 1,
    "AveragePooling1D": 1,
    "MaxPooling2D": 2,
    "AveragePooling2D": 2,
    "MaxPooling3D": 3,
    "AveragePooling3D": 3,
    "MaxPool1D": 1,
    "AvgPool1D": 1,
    "MaxPool2D": 2,
    "AvgPool2D": 2,
}
GLOBAL_POOL_RANK = {
    "GlobalAveragePooling1D": 1,
    "GlobalMaxPooling1D": 1,
    "GlobalAveragePooling2D": 2,
    "GlobalMaxPooling2D": 2,
    "GlobalAveragePooling3D": 3,
    "GlobalMaxPooling3D": 3,
    "GlobalAvgPool1D": 1,
    "GlobalMaxPool1D": 1,
}
# Parameter-free layers whose output has the shape of their (first) input.
SHAPE_KEEPING = frozenset(
    {
        "Dropout",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "GaussianNoise",
        "GaussianDropout",
        "AlphaDropout",
        "Activation",
        "Masking",
        "ActivityRegularization",
        "LeakyReLU",
        "ReLU",
        "ELU",
        "Softmax",
        "ThresholdedReLU",
        "UnitNormalization",
        "Identity",
    }
)
# Parameter-free layers whose output shape rnnlint does not work out (ops, lambdas).
PARAM_FREE_OPAQUE = frozenset(
    {"Lambda", "TFOpLambda", "SlicingOpLambda", "NotEqual", "Dot", "Cropping1D", "ZeroPadding1D", "UpSampling1D"}
)
MERGE_SAME = frozenset({"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"})
KERAS1_MERGE_SAME = frozenset({"sum", "mul", "ave", "max", "min"})

# Normalized option name -> config keys (Keras 2/3 first, then Keras 1).
RNN_OPTION_KEYS: dict[str, tuple[str, ...]] = {
    "activation": ("activation",),
    "recurrent_activation": ("recurrent_activation", "inner_activation"),
    "dropout": ("dropout", "dropout_W"),
    "recurrent_dropout": ("recurrent_dropout", "dropout_U"),
    "unroll": ("unroll",),
    "bias": ("use_bias",),
    "reset_after": ("reset_after",),
}


# --------------------------------------------------------------------------- detection


def _is_layer(item: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(item, dict) and isinstance(item.get("class_name"), str) and "config" in item


def _is_model(node: Any) -> bool:
    if not _is_layer(node) or node["class_name"] not in MODEL_CLASSES:
        return False
    config = node.get("config")
    if isinstance(config, list):
        return all(_is_layer(item) for item in config)
    return isinstance(config, dict) and isinstance(config.get("layers"), list)


def _is_bare_layer_list(node: Any) -> bool:
    # Old Sequential configs are a bare list of layers; ask for one Keras class so that
    # any other list of {"class_name", "config"} objects is left alone.
    return (
        isinstance(node, list)
        and bool(node)
        and all(_is_layer(item) for item in node)
        and any(item["class_name"] in KNOWN_CLASSES for item in node)
    )


def _find_model(data: Any) -> tuple[Any, DocPath, dict[str, Any]] | None:
    """The model node, its path, and the mapping that carries ``keras_version``."""
    if isinstance(data, dict) and "modelTopology" in data:
        topology = data["modelTopology"]
        if isinstance(topology, dict) and _is_model(topology.get("model_config")):
            return topology["model_config"], ("modelTopology", "model_config"), topology
        if _is_model(topology):
            return topology, ("modelTopology",), topology
        return None
    if _is_model(data):
        return data, (), data
    if _is_bare_layer_list(data):
        return data, (), {}
    return None


def detect(data: Any) -> bool:
    return _find_model(data) is not None


# --------------------------------------------------------------------------- versions


@dataclass(frozen=True)
class _Version:
    text: str | None
    major: int | None
    minor: int | None
    tfjs: bool

    @classmethod
    def parse(cls, holder: dict[str, Any], model: Any) -> _Version:
        raw = holder.get("keras_version")
        if raw is None and isinstance(model, dict):
            raw = model.get("keras_version")
        text = raw if isinstance(raw, str) else None
        match = re.search(r"(\d+)\.(\d+)", text or "")
        major = int(match.group(1)) if match else None
        minor = int(match.group(2)) if match else None
        return cls(text, major, minor, bool(text and text.startswith("tfjs")))

    @property
    def keras1(self) -> bool:
        return self.major == 1 and not self.tfjs

    def reset_after_default(self) -> tuple[bool, str]:
        """Keras GRU's reset_after default for this file, and why."""
        if self.tfjs:
            return False, f"TF.js ({self.text}) GRU has no reset_after"
        if self.major is not None and (self.major, self.minor or 0) < (2, 3):
            return False, f"the Keras {self.text} default (reset_after came in as false; true only from Keras 2.3)"
        if self.text:
            return True, f"the Keras {self.text} default"
        return True, "the default of Keras >= 2.3 and Keras 3 (the file has no keras_version)"

    @property
    def cudnn_kernel(self) -> bool:
        """Whether LSTM/GRU options can pick the cuDNN kernel (tf.keras 2 / Keras 3 only)."""
        if self.tfjs or self.keras1:
            return False
        return not (self.major == 2 and (self.minor or 0) < 3 and not (self.text or "").endswith("-tf"))


# --------------------------------------------------------------------------- shapes


def _shape(value: Any) -> Shape | None:
    """A shape list from the file (batch axis included) -> Shape without the batch axis."""
    if not isinstance(value, list) or not value:
        return None
    if any(isinstance(v, list) for v in value):
        return None
    return tuple(as_int(v, minimum=0) for v in value[1:])


def _tuple(value: Any, rank: int) -> tuple[int, ...] | None:
    size = as_int(value)
    if size is not None:
        return (size,) * rank
    if isinstance(value, list) and len(value) == rank and all(isinstance(v, int) for v in value):
        return tuple(value)
    return None


def _conv_length(length: int | None, kernel: int, padding: str, stride: int, dilation: int) -> int | None:
    """Keras' conv_output_length (pooling too, with dilation 1)."""
    if length is None:
        return None
    span = (kernel - 1) * dilation + 1
    if padding == "valid":
        out = length - span + 1
    elif padding == "full":
        out = length + span - 1
    else:  # same, causal
        out = length
    return (out + stride - 1) // stride


def _prod(dims: Sequence[int | None]) -> int | None:
    if any(d is None for d in dims):
        return None
    return math.prod(cast(Sequence[int], dims))


def _last(shape: Shape | None) -> int | None:
    return shape[-1] if shape else None


def _input_unknown(output_size: int | None) -> Module:
    """A layer whose weights depend on an input size the file does not give.

    Counted as a dense map from an unknown input: the count is unknown ("input size
    unknown"), never a guess, and the layer is not reported as an unknown type.
    """
    return Linear(None, output_size or 0)


@dataclass
class _Built:
    """One layer worked out: what it builds and the shapes of its output tensors."""

    module: Module
    outputs: list[Shape | None]
    type_name: str
    options: dict[str, Any] = field(default_factory=dict)
    option_spans: dict[str, Span] = field(default_factory=dict)


@dataclass(frozen=True)
class _Layer:
    """One entry of the layers list, read defensively."""

    index: int
    path: DocPath
    class_name: str
    config: dict[str, Any]
    raw: dict[str, Any]

    @property
    def name(self) -> str:
        name = self.raw.get("name", self.config.get("name"))
        return name if isinstance(name, str) else f"layers[{self.index}]"


def _units(config: dict[str, Any]) -> int | None:
    return as_int(config.get("units", config.get("output_dim")), minimum=0)


# --------------------------------------------------------------------------- the adapter


class _Adapter:
    def __init__(self, doc: Document, options: AdaptOptions, version: _Version) -> None:
        self.locate: Locator = doc.locator
        self.options = options
        self.version = version
        self.assumptions: list[Assumption] = []
        self.input_noted = False

    # ----------------------------------------------------------------- models

    def model(self, node: Any, path: DocPath, inputs: Inputs | None) -> tuple[list[LayerSpec], Inputs]:
        """Adapt one (possibly nested) model; returns its entries and its output shapes."""
        if isinstance(node, list):
            return self.sequential(node, path, None, inputs)
        config = node.get("config")
        if isinstance(config, list):
            return self.sequential(config, (*path, "config"), node, inputs)
        layers_path = (*path, "config", "layers")
        if node.get("class_name") == "Sequential":
            return self.sequential(config["layers"], layers_path, node, inputs)
        return self.functional(config, layers_path, inputs)

    def _layers(self, items: list[Any], path: DocPath) -> list[_Layer]:
        found = []
        for index, item in enumerate(items):
            if not _is_layer(item):
                continue
            config = item["config"] if isinstance(item["config"], dict) else {}
            found.append(_Layer(index, (*path, index), item["class_name"], config, item))
        return found

    def sequential(
        self, items: list[Any], path: DocPath, node: dict[str, Any] | None, inputs: list[Shape | None] | None
    ) -> tuple[list[LayerSpec], list[Shape | None]]:
        current: Shape | None = inputs[0] if inputs else None
        if current is None and node is not None:
            config = node.get("config")
            build = node.get("build_config")
            stated = config.get("build_input_shape") if isinstance(config, dict) else None
            if stated is None and isinstance(build, dict):
                stated = build.get("input_shape")
            current = _shape(stated)
        specs: list[LayerSpec] = []
        for layer in self._layers(items, path):
            # A batch shape only counts on the first layer: tf.keras writes batch_input_shape
            # [null, null] into every Embedding, even behind an InputLayer that fixes the length.
            if current is None or layer.class_name == "InputLayer":
                current = self._declared_input(layer) or current
            # An Embedding reads token ids: it needs no input size.
            if current is None and not specs and layer.class_name not in ("InputLayer", "Embedding"):
                current = self._missing_input(layer)
            built = self.layer(layer, [current])
            specs.append(self.spec(layer, built))
            current = built.outputs[0] if built.outputs else None
        return specs, [current]

    def functional(
        self, config: dict[str, Any], path: DocPath, inputs: list[Shape | None] | None
    ) -> tuple[list[LayerSpec], list[Shape | None]]:
        layers = self._layers(config["layers"], path)
        by_name = {layer.name: layer for layer in layers}
        nodes: dict[tuple[str, int], list[Shape | None]] = {}
        built: dict[str, _Built] = {}
        visiting: set[str] = set()
        # Inputs handed to a nested functional model replace its InputLayers' shapes.
        given = {ref.layer: shape for ref, shape in zip(_refs(config.get("input_layers")), inputs or [], strict=False)}

        def tensor(ref: _Ref) -> Shape | None:
            if ref.shape is not None:
                return ref.shape
            # Keras 2 may number a nested model's call after its own inner node (["sequential", 1, 0]
            # with one inbound node in the file): such a reference means the last call written.
            calls = len(_inbound(by_name[ref.layer].raw.get("inbound_nodes"))) if ref.layer in by_name else 0
            outputs = node_outputs(ref.layer, min(ref.node, max(calls - 1, 0)))
            return outputs[ref.tensor] if ref.tensor < len(outputs) else None

        def node_outputs(name: str, node_index: int) -> list[Shape | None]:
            key = (name, node_index)
            if key in nodes:
                return nodes[key]
            layer = by_name.get(name)
            if layer is None or name in visiting:
                return [None]
            visiting.add(name)
            try:
                inbound = _inbound(layer.raw.get("inbound_nodes"))
                if layer.class_name == "InputLayer" or not inbound:
                    shape = given.get(name) or self._declared_input(layer)
                    if shape is None and layer.class_name == "InputLayer":
                        shape = self._missing_input(layer)
                    result = self.layer(layer, [shape]) if name not in built else built[name]
                    built.setdefault(name, result)
                    nodes[key] = result.outputs
                    return result.outputs
                for index, refs in enumerate(inbound):
                    shapes = [tensor(ref) for ref in refs]
                    result = self.layer(layer, shapes)
                    if index == 0:  # weights are built by the first call
                        built[name] = result
                    nodes[(name, index)] = result.outputs
                return nodes.get(key, [None])
            finally:
                visiting.discard(name)

        specs: list[LayerSpec] = []
        for layer in layers:
            node_outputs(layer.name, 0)
            result = built.get(layer.name) or self.layer(layer, [None])
            specs.append(self.spec(layer, result))
        outputs = [tensor(ref) for ref in _refs(config.get("output_layers"))]
        return specs, outputs

    def _declared_input(self, layer: _Layer) -> Shape | None:
        """The input shape a first layer (or an InputLayer) declares; build_config is read in layer()."""
        config = layer.config
        inner = config.get("layer")
        # Bidirectional(LSTM(..., input_shape=...)) writes the shape on the wrapped layer.
        inner_config = inner["config"] if layer.class_name == "Bidirectional" and _is_layer(inner) else None
        for source in (config, inner_config if isinstance(inner_config, dict) else {}):
            for key in ("batch_shape", "batch_input_shape"):
                shape = _shape(source.get(key))
                if shape is not None:
                    return shape
        # Keras 1: input_dim (and input_length) on the first layer.
        if (
            self.version.keras1
            and layer.class_name != "Embedding"
            and as_int(config.get("input_dim"), minimum=0) is not None
        ):
            length = as_int(config.get("input_length"), minimum=0)
            if layer.class_name in RECURRENT_CLASSES or "input_length" in config:
                return (length, config["input_dim"])
            return (config["input_dim"],)
        if layer.class_name == "Embedding" and as_int(config.get("input_length"), minimum=0) is not None:
            return (config["input_length"],)
        return None

    def _missing_input(self, layer: _Layer) -> Shape | None:
        if self.options.input_size is not None:
            return (None, self.options.input_size)
        if not self.input_noted:
            self.input_noted = True
            self.assumptions.append(
                Assumption(
                    f"{layer.name} ({layer.class_name}): the file gives no input shape (an unbuilt model), so the "
                    "counts that need the input size are unknown; add an InputLayer / batch_input_shape, or set "
                    f"{override()}",
                    self.locate.value(layer.path),
                )
            )
        return None

    # ----------------------------------------------------------------- entries

    def spec(self, layer: _Layer, built: _Built) -> LayerSpec:
        unknown = not isinstance(built.module, Unknown) and counting.count(built.module).params is None
        if unknown and not self.input_noted:
            self.input_noted = True
            self.assumptions.append(
                Assumption(
                    f"{layer.name} ({built.type_name}): its input size is not in the file (no shape reaches it), so "
                    "its count is unknown; state the input shape (batch_input_shape / batch_shape), or set "
                    f"{override()}",
                    self.locate.value(layer.path),
                )
            )
        return LayerSpec(
            name=layer.name,
            type=built.type_name,
            span=self.locate.value(layer.path),
            module=built.module,
            options=built.options,
            option_spans=built.option_spans,
            # Keras: a layer with trainable false keeps its weights out of training (summary()'s non-trainable).
            trainable=layer.config.get("trainable", True) is not False if isinstance(layer.config, dict) else True,
        )

    def layer(self, layer: _Layer, inputs: list[Shape | None]) -> _Built:
        """Work out one layer from its config and the shapes of its inputs."""
        stated = self._stated_inputs(layer)
        if stated is not None and len(stated) >= len(inputs):
            inputs = stated
        try:
            return self.build(layer.class_name, layer.config, inputs, (*layer.path, "config"), layer.raw)
        except (AttributeError, TypeError, ValueError, KeyError, IndexError, ZeroDivisionError):
            # A config too odd to read: the layer is unknown, the run goes on.
            reason = f"cannot read the {layer.class_name} config"
            return _Built(Unknown(layer.class_name, reason), [None], layer.class_name)

    def _stated_inputs(self, layer: _Layer) -> list[Shape | None] | None:
        # Keras 3 writes the input shape it built the layer with.
        build = layer.raw.get("build_config")
        if not isinstance(build, dict):
            return None
        value = build.get("input_shape")
        if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
            return [_shape(v) for v in value]
        shape = _shape(value)
        return [shape] if shape is not None else None

    def build(
        self, cls: str, config: dict[str, Any], inputs: list[Shape | None], path: DocPath, raw: dict[str, Any]
    ) -> _Built:
        first = inputs[0] if inputs else None
        if not isinstance(config, dict):
            return _Built(Unknown(cls, f"the {cls} config is not a mapping"), [None], cls)
        handler = _HANDLERS.get(cls)
        if handler is not None:
            return handler(self, cls, config, inputs, path)
        if cls in MODEL_CLASSES:
            return self.nested(cls, raw, inputs, path)
        if cls in SHAPE_KEEPING:
            return _Built(Passthrough(_last(first)), [first], cls)
        if cls in PARAM_FREE_OPAQUE or str(raw.get("module", "")).startswith(("keras.src.ops", "keras.ops")):
            return _Built(Passthrough(None), [None], cls)
        return _Built(Unknown(cls, f"rnnlint cannot count Keras layer class {cls!r}"), [None], cls)

    def nested(self, cls: str, raw: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
        specs, outputs = self.model(raw, path[:-1], inputs)
        parts = tuple(spec.module for spec in specs if not isinstance(spec.module, Passthrough))
        module: Module = Composite(parts or (Passthrough(None),), _last(outputs[0]) if outputs else None)
        return _Built(module, outputs or [None], cls)

    # ----------------------------------------------------------------- recurrent

    def recurrent(self, cls: str, config: dict[str, Any], inputs: list[Shape | None], path: DocPath) -> _Built:
        first = inputs[0] if inputs else None
        module, states = self.recurrent_module(cls, config, first, path)
        out = self.sequence_output(config, first, module.hidden_size)
        outputs = [out, *([(module.hidden_size,)] * states if config.get("return_state") else [])]
        options, spans = self.rnn_options(config, path)
        return _Built(module, outputs, cls, options, spans)

    def recurrent_module(
        self, cls: str, config: dict[str, Any], first: Shape | None, path: DocPath
    ) -> tuple[Recurrent, int]:
        kind = RECURRENT_CLASSES.get(cls) or CELL_CLASSES[cls]
        units = _units(config)
        if units is None:
            raise ValueError("no units")
        cudnn = cls.startswith("CuDNN")
        reset_after = True
        if kind == "gru" and not cudnn:
            reset_after = self.reset_after(config, path)
        module = Recurrent(
            kind=kind,
            hidden_size=units,
            input_size=_last(first),
            framework="keras",
            # CuDNN* layers have no use_bias: they always keep cuDNN's two bias vectors.
            bias=True if cudnn else bool(config.get("use_bias", True)),
            reset_after=reset_after,
            cudnn=cudnn,
        )
        return module, STATES[kind]

    def reset_after(self, config: dict[str, Any], path: DocPath) -> bool:
        if "reset_after" in config:
            return bool(config["reset_after"])
        value, why = self.version.reset_after_default()
        name = config.get("name", "GRU")
        vectors = "two bias vectors" if value else "one bias vector"
        self.assumptions.append(
            Assumption(
                f"{name} (GRU): reset_after is not in the file; assumed {str(value).lower()} ({why}), so "
                f'{vectors}; add "reset_after": {str(value).lower()} to the layer config to state it',
                self.locate.value(path[:-1]),
            )
        )
        return value

    def sequence_output(self, config: dict[str, Any], first: Shape | None, width: int | None) -> Shape | None:
        if config.get("return_sequences"):
            steps = first[0] if first else None
            return (steps, width)
        return (width,)

    def rnn_options(self, config: dict[str, Any], path: DocPath) -> tuple[dict[str, Any], dict[str, Span]]:
        options: dict[str, Any] = {}
        spans: dict[str, Span] = {}
        cudnn_options = self.version.cudnn_kernel
        if not cudnn_options:
            # Says so to RNN204: this Keras has no cuDNN kernel to lose (use_bias and reset_after are in the
            # layer record, not in these options, so leaving them out here is not enough).
            options["cudnn_kernel"] = False
        for option, keys in RNN_OPTION_KEYS.items():
            if not cudnn_options and option != "dropout":
                continue
            for key in keys:
                if key in config:
                    options[option] = config[key]
                    spans[option] = self.locate.key((*path, key))
                    break
        return options, spans

    def rnn_wrapper(self, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
        """keras.layers.RNN(cell) and RNN([cells]) (StackedRNNCells)."""
        first = inputs[0] if inputs else None
        cell = config.get("cell")
        cells: list[tuple[dict[str, Any], DocPath]] = []
        if isinstance(cell, list):
            cells = [(c, (*path, "cell", i)) for i, c in enumerate(cell)]
        elif isinstance(cell, dict) and cell.get("class_name") == "StackedRNNCells":
            items = cell.get("config", {}).get("cells", [])
            cells = [(c, (*path, "cell", "config", "cells", i)) for i, c in enumerate(items)]
        elif isinstance(cell, dict):
            cells = [(cell, (*path, "cell"))]
        if not cells or any(not _is_layer(c) or c["class_name"] not in CELL_CLASSES for c, _ in cells):
            return _Built(Unknown("RNN", "an RNN with a cell rnnlint does not know"), [None], cls)
        parts: list[Recurrent] = []
        width = _last(first)
        states = 0
        for cell_node, cell_path in cells:
            cell_config = (*cell_path, "config")
            module, n = self.recurrent_module(cell_node["class_name"], cell_node["config"], (width,), cell_config)
            parts.append(module)
            states += n
            width = module.hidden_size
        names = "+".join(c["class_name"] for c, _ in cells)
        module_out: Module = parts[0] if len(parts) == 1 else Composite(tuple(parts), width)
        out = self.sequence_output(config, first, width)
        extra = [(p.hidden_size,) for p in parts for _ in range(STATES[p.kind])]
        outputs = [out, *(extra if config.get("return_state") else [])]
        options, spans = self.rnn_options(cells[0][0]["config"], (*cells[0][1], "config"))
        return _Built(module_out, outputs, f"RNN({names})", options, spans)

    def bidirectional(self, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
        first = inputs[0] if inputs else None
        inner = config.get("layer")
        if not _is_layer(inner):
            return _Built(Unknown(cls, "Bidirectional without a layer"), [None], cls)
        merge = config.get("merge_mode", "concat")
        forward = self.build(inner["class_name"], inner["config"], [first], (*path, "layer", "config"), inner)
        backward_node = config.get("backward_layer")
        backward = forward
        if _is_layer(backward_node):
            # Keras 3 always writes the backward layer; it only matters when it differs.
            saved = len(self.assumptions)
            backward = self.build(
                backward_node["class_name"],
                backward_node["config"],
                [first],
                (*path, "backward_layer", "config"),
                backward_node,
            )
            del self.assumptions[saved:]  # the forward layer already said what was assumed
        type_name = f"Bidirectional({forward.type_name})"
        fwd_out, bwd_out = forward.outputs[0], backward.outputs[0]
        if merge == "concat":
            width = _last(fwd_out), _last(bwd_out)
            total = None if None in width else cast(int, width[0]) + cast(int, width[1])
            merged: Inputs = [(*fwd_out[:-1], total) if fwd_out else None]
        elif merge is None:
            merged = [fwd_out, bwd_out]
        else:  # sum, mul, ave
            merged = [fwd_out]
        outputs = merged + forward.outputs[1:] + backward.outputs[1:]
        f, b = forward.module, backward.module
        module: Module
        if isinstance(f, Recurrent) and f == (b if isinstance(b, Recurrent) else None):
            module = f._replace(bidirectional=True, merge_mode=merge or "none")
        elif isinstance(f, Fixed) and f == b:
            module = Fixed(2 * f.params, f"2 directions x ({f.formula})", _last(merged[0]))
        else:
            module = Composite((f, b), _last(merged[0]))
        return _Built(module, outputs, type_name, forward.options, forward.option_spans)

    def time_distributed(self, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
        first = inputs[0] if inputs else None
        inner = config.get("layer")
        if not _is_layer(inner):
            return _Built(Unknown(cls, "TimeDistributed without a layer"), [None], cls)
        inner_in = first[1:] if first else None
        built = self.build(inner["class_name"], inner["config"], [inner_in], (*path, "layer", "config"), inner)
        steps = first[0] if first else None
        outputs = [(steps, *out) if out is not None else None for out in built.outputs]
        return _Built(built.module, outputs, f"TimeDistributed({built.type_name})", built.options, built.option_spans)

    def conv_lstm(self, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
        first = inputs[0] if inputs else None
        rank = CONV_LSTM_RANK[cls]
        filters = as_int(config.get("filters"), minimum=0)
        kernel = _tuple(config.get("kernel_size"), rank)
        if filters is None or kernel is None:
            raise ValueError("ConvLSTM without filters/kernel_size")
        channels_first = config.get("data_format") == "channels_first"
        spatial: tuple[int | None, ...] = (None,) * rank
        channels = None
        steps = None
        if first is not None and len(first) == rank + 2:
            steps = first[0]
            channels = first[1] if channels_first else first[-1]
            spatial = first[2:] if channels_first else first[1:-1]
        strides = _tuple(config.get("strides", 1), rank) or (1,) * rank
        dilation = _tuple(config.get("dilation_rate", 1), rank) or (1,) * rank
        padding = str(config.get("padding", "valid"))
        out_spatial = tuple(_conv_length(spatial[i], kernel[i], padding, strides[i], dilation[i]) for i in range(rank))
        frame = (filters, *out_spatial) if channels_first else (*out_spatial, filters)
        out = (steps, *frame) if config.get("return_sequences") else frame
        outputs: list[Shape | None] = [out, *([frame] * 2 if config.get("return_state") else [])]
        bias = bool(config.get("use_bias", True))
        window = math.prod(kernel)
        ksize = "x".join(str(k) for k in kernel)
        options, spans = self.rnn_options(config, path)
        if channels is None:
            return _Built(_input_unknown(filters), outputs, cls, options, spans)
        params = 4 * filters * window * (channels + filters) + (4 * filters if bias else 0)
        formula = f"4 x [{filters}x{ksize}x({channels}+{filters})" + (f" + {filters}]" if bias else "]")
        module = Fixed(params, f"{formula} = {counting.fmt(params)}", filters)
        return _Built(module, outputs, cls, options, spans)


# --------------------------------------------------------------------------- other layers


def _dense(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    units = _units(config)
    if units is None:
        raise ValueError("Dense without units")
    bias = bool(config.get("use_bias", config.get("bias", True)))
    out = (*first[:-1], units) if first else (units,)
    return _Built(Linear(_last(first), units, bias), [out], cls)


def _embedding(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    vocab, dim = as_int(config.get("input_dim"), minimum=0), as_int(config.get("output_dim"), minimum=0)
    if vocab is None or dim is None:
        raise ValueError("Embedding without input_dim/output_dim")
    out = (*first, dim) if first is not None else (None, dim)
    return _Built(Embedding(vocab, dim), [out], cls)


def _input_layer(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    return _Built(Passthrough(_last(inputs[0]) if inputs else None), [inputs[0] if inputs else None], cls)


def _merge(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    shapes = inputs
    mode = config.get("mode") if cls == "Merge" else ("concat" if cls == "Concatenate" else "same")
    out: Shape | None = None
    if mode == "concat" and shapes and all(s is not None for s in shapes):
        known = cast(list[Shape], shapes)
        rank = len(known[0])
        axis = config.get("axis", config.get("concat_axis", -1))
        if isinstance(axis, int) and all(len(s) == rank for s in known) and rank:
            axis = axis - 1 if axis > 0 else axis + rank  # the batch axis is not in Shape
            if 0 <= axis < rank:
                sizes = [s[axis] for s in known]
                total = None if None in sizes else sum(cast(list[int], sizes))
                out = (*known[0][:axis], total, *known[0][axis + 1 :])
    elif mode == "same" or mode in KERAS1_MERGE_SAME:
        out = next((s for s in shapes if s is not None), None)
    if cls == "Merge" and isinstance(config.get("layers"), list):
        # Keras 1 Sequential Merge holds whole branch models.
        return _Built(Unknown(cls, "a Keras 1 Merge of branch models"), [None], cls)
    return _Built(Passthrough(_last(out)), [out], cls)


def _flatten(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    size = _prod(first) if first is not None else None
    return _Built(Passthrough(size), [(size,)], cls)


def _reshape(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    target = config.get("target_shape")
    if not isinstance(target, list) or not all(isinstance(t, int) for t in target):
        return _Built(Passthrough(None), [None], cls)
    dims: list[int | None] = list(target)
    if -1 in dims:
        total = _prod(first) if first is not None else None
        rest = math.prod(d for d in target if d != -1)
        dims[dims.index(-1)] = total // rest if total is not None and rest else None
    out = tuple(dims)
    return _Built(Passthrough(_last(out)), [out], cls)


def _repeat(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    out = (as_int(config.get("n"), minimum=0), *first) if first is not None else None
    return _Built(Passthrough(_last(out)), [out], cls)


def _permute(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    dims = config.get("dims")
    out: Shape | None = None
    if first is not None and isinstance(dims, list) and sorted(dims) == list(range(1, len(first) + 1)):
        out = tuple(first[d - 1] for d in dims)
    return _Built(Passthrough(_last(out)), [out], cls)


def _conv(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    rank = CONV_RANK[cls]
    filters = as_int(config.get("filters"), minimum=0)
    kernel = _tuple(config.get("kernel_size"), rank)
    if filters is None or kernel is None:
        return _Built(Unknown(cls, f"a {cls} config rnnlint cannot read"), [None], cls)
    groups = as_int(config.get("groups", 1), minimum=0) or 1
    channels_first = config.get("data_format") == "channels_first"
    channels = None
    spatial: tuple[int | None, ...] = (None,) * rank
    if first is not None and len(first) == rank + 1:
        channels = first[0] if channels_first else first[-1]
        spatial = first[1:] if channels_first else first[:-1]
    strides = _tuple(config.get("strides", 1), rank) or (1,) * rank
    dilation = _tuple(config.get("dilation_rate", 1), rank) or (1,) * rank
    padding = str(config.get("padding", "valid"))
    out_spatial = tuple(_conv_length(spatial[i], kernel[i], padding, strides[i], dilation[i]) for i in range(rank))
    out = (filters, *out_spatial) if channels_first else (*out_spatial, filters)
    bias = bool(config.get("use_bias", True))
    if channels is None:
        return _Built(_input_unknown(filters), [out], cls)
    params = math.prod(kernel) * (channels // groups) * filters + (filters if bias else 0)
    ksize = "x".join(str(k) for k in kernel)
    text = f"{ksize}x{channels // groups}x{filters}" + (f" + {filters}" if bias else "")
    return _Built(Fixed(params, f"{text} = {counting.fmt(params)}", filters), [out], cls)


def _pool(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    rank = POOL_RANK[cls]
    size = _tuple(config.get("pool_size", config.get("pool_length", 2)), rank)
    strides = _tuple(config.get("strides"), rank) if config.get("strides") is not None else size
    if first is None or size is None or strides is None or len(first) != rank + 1:
        return _Built(Passthrough(None), [None], cls)
    channels_first = config.get("data_format") == "channels_first"
    spatial = first[1:] if channels_first else first[:-1]
    padding = str(config.get("padding", "valid"))
    out_spatial = tuple(_conv_length(spatial[i], size[i], padding, strides[i], 1) for i in range(rank))
    out = (first[0], *out_spatial) if channels_first else (*out_spatial, first[-1])
    return _Built(Passthrough(_last(out)), [out], cls)


def _global_pool(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    rank = GLOBAL_POOL_RANK[cls]
    if first is None or len(first) != rank + 1:
        return _Built(Passthrough(None), [None], cls)
    channels_first = config.get("data_format") == "channels_first"
    channels = first[0] if channels_first else first[-1]
    if config.get("keepdims"):
        out: Shape = (channels, *(1,) * rank) if channels_first else (*(1,) * rank, channels)
    else:
        out = (channels,)
    return _Built(Passthrough(channels), [out], cls)


def _norm_axis_size(config: dict[str, Any], first: Shape | None) -> int | None:
    if first is None:
        return None
    axis = config.get("axis", -1)
    axes = axis if isinstance(axis, list) else [axis]
    size = 1
    for a in axes:
        if not isinstance(a, int):
            return None
        index = a - 1 if a > 0 else a + len(first)
        if not 0 <= index < len(first) or first[index] is None:
            return None
        size *= cast(int, first[index])
    return size


def _batch_norm(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    size = _norm_axis_size(config, first)
    vectors = 2 + bool(config.get("center", True)) + bool(config.get("scale", True))
    if size is None:
        return _Built(_input_unknown(None), [first], cls)
    params = vectors * size
    # moving mean and variance are non-trainable weights, which count_params() includes
    module = Fixed(params, f"{vectors}x{size} = {counting.fmt(params)}", _last(first), non_trainable=2 * size)
    return _Built(module, [first], cls)


def _layer_norm(adapter: _Adapter, cls: str, config: dict[str, Any], inputs: Inputs, path: DocPath) -> _Built:
    first = inputs[0] if inputs else None
    size = _norm_axis_size(config, first)
    # rms_scaling (Keras 3) keeps only gamma.
    vectors = 1 if config.get("rms_scaling") else bool(config.get("center", True)) + bool(config.get("scale", True))
    if size is None:
        return _Built(_input_unknown(None), [first], cls)
    params = vectors * size
    return _Built(Fixed(params, f"{vectors}x{size} = {counting.fmt(params)}", _last(first)), [first], cls)


Handler = Callable[[_Adapter, str, dict[str, Any], Inputs, DocPath], _Built]

_HANDLERS: dict[str, Handler] = {
    **{cls: _Adapter.recurrent for cls in RECURRENT_CLASSES},
    **{cls: _Adapter.conv_lstm for cls in CONV_LSTM_RANK},
    **{cls: _conv for cls in CONV_RANK},
    **{cls: _pool for cls in POOL_RANK},
    **{cls: _global_pool for cls in GLOBAL_POOL_RANK},
    **{cls: _merge for cls in (*MERGE_SAME, "Concatenate", "Merge")},
    "RNN": _Adapter.rnn_wrapper,
    "Bidirectional": _Adapter.bidirectional,
    "TimeDistributed": _Adapter.time_distributed,
    "Dense": _dense,
    "TimeDistributedDense": _dense,
    "Embedding": _embedding,
    "InputLayer": _input_layer,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "RepeatVector": _repeat,
    "Permute": _permute,
    "BatchNormalization": _batch_norm,
    "LayerNormalization": _layer_norm,
}

KNOWN_CLASSES = frozenset(_HANDLERS) | SHAPE_KEEPING | PARAM_FREE_OPAQUE | MODEL_CLASSES


# --------------------------------------------------------------------------- inbound nodes


@dataclass(frozen=True)
class _Ref:
    """A reference to one output tensor of one call (node) of a layer."""

    layer: str
    node: int
    tensor: int
    # Keras 3 tensors carry their shape.
    shape: Shape | None = None


def _ref(item: Any) -> _Ref | None:
    if isinstance(item, dict) and item.get("class_name") == "__keras_tensor__":
        config = item.get("config", {})
        history = config.get("keras_history") if isinstance(config, dict) else None
        if isinstance(history, list) and len(history) >= 3 and isinstance(history[0], str):
            shape = config.get("shape")
            stated = tuple(as_int(v, minimum=0) for v in shape[1:]) if isinstance(shape, list) and shape else None
            return _Ref(history[0], as_int(history[1], minimum=0) or 0, as_int(history[2], minimum=0) or 0, stated)
        return None
    if isinstance(item, list) and len(item) >= 3 and isinstance(item[0], str):
        return _Ref(item[0], as_int(item[1], minimum=0) or 0, as_int(item[2], minimum=0) or 0)
    return None


def _refs(value: Any) -> list[_Ref]:
    """input_layers / output_layers: [[name, node, tensor], ...] or a single [name, node, tensor]."""
    if not isinstance(value, list):
        return []
    single = _ref(value)
    if single is not None:
        return [single]
    return [r for r in (_ref(item) for item in value) if r is not None]


def _keras3_args(args: Any) -> list[_Ref]:
    # Positional tensors in order; a merge layer gets one list of tensors.
    found: list[_Ref] = []
    items = args if isinstance(args, list) else [args]
    for item in items:
        if isinstance(item, list):
            found.extend(_keras3_args(item))
        else:
            ref = _ref(item)
            if ref is not None:
                found.append(ref)
    return found


def _inbound(value: Any) -> list[list[_Ref]]:
    """Each call of a layer: the tensors it was called on (Keras 1/2 lists, Keras 3 args)."""
    if not isinstance(value, list):
        return []
    calls: list[list[_Ref]] = []
    for node in value:
        if isinstance(node, dict):
            calls.append(_keras3_args(node.get("args", [])))
        elif isinstance(node, list):
            calls.append([r for r in (_ref(item) for item in node) if r is not None])
    return calls


# --------------------------------------------------------------------------- entry point


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    found = _find_model(doc.data)
    if found is None:
        message = (
            'not a Keras model JSON: expected {"class_name": "Sequential"|"Model"|"Functional", '
            '"config": ...}, a list of layers, or {"modelTopology": ...}'
        )
        return Adapted(None, [Problem(codes.RNN002, message, Span(1, 1))])
    node, path, holder = found
    version = _Version.parse(holder, node)
    adapter = _Adapter(doc, options, version)
    try:
        specs, _ = adapter.model(node, path, None)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError, RecursionError) as exc:
        # Each layer is read defensively; this is the last guard for a malformed graph.
        message = f"cannot read this Keras model: {type(exc).__name__} {exc}"
        return Adapted(None, [Problem(codes.RNN002, message, doc.locator.value(path))])
    name = None
    if isinstance(node, dict):
        config = node.get("config")
        name = config.get("name") if isinstance(config, dict) else node.get("name")
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="keras",
            layers=tuple(specs),
            span=doc.locator.value(path),
            name=name if isinstance(name, str) else None,
            # A shared layer is worked out once per call: say each assumption once.
            assumptions=tuple(dict.fromkeys(adapter.assumptions)),
        )
    )
