"""PyTorch modules named in Hydra ``_target_`` or Lightning ``class_path`` configs (``torch-target``).

Any mapping, at any depth of a YAML or JSON file, that names a torch module is one entry:

- Hydra: ``_target_: torch.nn.LSTM`` with the constructor's keyword arguments beside it and
  positional ones in ``_args_`` (torch's parameter order). Hydra's own ``_partial_``,
  ``_recursive_``, ``_convert_`` keys are ignored.
- Lightning CLI: ``class_path: torch.nn.LSTM`` with keyword arguments in ``init_args``.

Classes: ``torch.nn.{LSTM,GRU,RNN,LSTMCell,GRUCell,RNNCell,Embedding,Linear}`` and their
``torch.nn.modules.<module>.<Class>`` spellings; torch's own defaults apply (num_layers 1,
bias True, bidirectional False, proj_size 0). Values go through OmegaConf interpolation
(:mod:`rnnlint.dialects.interpolation`); what cannot be resolved inside the file is unknown, with a note.

Project classes whose construction code was read (pytorch-lifestream): ``ptls.nn.RnnSeqEncoder``
and ``ptls.nn.RnnEncoder`` (a torch GRU/LSTM; ``type`` default gru, ``bidir``, ``num_layers``,
``trainable_starter: static`` adds a ``starter_h`` parameter), their input size being
``input_size`` or the ``ptls.nn.TrxEncoder`` output size (embedding ``out`` sizes, skipping
disabled / 0-sized ones, plus 1 per numeric scaler, or ``linear_projection_size``). Other
project classes, and torch.nn modules outside the list above, are not counted: each one is an
omission (so the total stays a lower bound), except what builds no parameters -- the
parameter-free torch.nn modules (dropout, activations, pooling, containers, losses) and the
classes that are not modules at all (optimizers, schedulers, data, callbacks, loggers, trainers,
metrics, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from rnnlint.dialects import Adapted, AdaptOptions, interpolation
from rnnlint.dialects._support import PYTHON_TRUTH, as_bool, override
from rnnlint.dialects.interpolation import UNRESOLVED
from rnnlint.model import (
    Assumption,
    Embedding,
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
from rnnlint.parse import iter_mappings
from rnnlint.parse.document import DocPath, Document

NAME = "torch-target"
# The file lists every part of the model: an empty list is an empty model, not an unknown one.
LISTS_EVERY_PART = True

# class name -> (torch submodule of the long spelling, positional parameter order, defaults)
_RNN_PARAMS = ("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout", "bidirectional")
_TORCH: dict[str, tuple[str, tuple[str, ...], dict[str, Any]]] = {
    "LSTM": ("rnn", (*_RNN_PARAMS, "proj_size", "device", "dtype"), {}),
    # GRU and RNN raise ValueError on a proj_size keyword; binding it gives that reason.
    "GRU": ("rnn", (*_RNN_PARAMS, "proj_size", "device", "dtype"), {}),
    # nn.RNN takes nonlinearity as its 4th positional argument.
    "RNN": ("rnn", (*_RNN_PARAMS[:3], "nonlinearity", *_RNN_PARAMS[3:], "proj_size", "device", "dtype"), {}),
    "LSTMCell": ("rnn", ("input_size", "hidden_size", "bias", "device", "dtype"), {}),
    "GRUCell": ("rnn", ("input_size", "hidden_size", "bias", "device", "dtype"), {}),
    "RNNCell": ("rnn", ("input_size", "hidden_size", "bias", "nonlinearity", "device", "dtype"), {}),
    "Embedding": (
        "sparse",
        (
            "num_embeddings",
            "embedding_dim",
            "padding_idx",
            "max_norm",
            "norm_type",
            "scale_grad_by_freq",
            "sparse",
            "_weight",
            "_freeze",
            "device",
            "dtype",
        ),
        {},
    ),
    "Linear": ("linear", ("in_features", "out_features", "bias", "device", "dtype"), {}),
}
_KIND: dict[str, tuple[RecurrentKind, bool]] = {
    "LSTM": ("lstm", False),
    "GRU": ("gru", False),
    "RNN": ("rnn", False),
    "LSTMCell": ("lstm", True),
    "GRUCell": ("gru", True),
    "RNNCell": ("rnn", True),
}
_PTLS_SEQ = {
    "ptls.nn.RnnSeqEncoder",
    "ptls.nn.seq_encoder.RnnSeqEncoder",
    "ptls.nn.seq_encoder.containers.RnnSeqEncoder",
}
_PTLS_RNN = {"ptls.nn.RnnEncoder", "ptls.nn.seq_encoder.RnnEncoder", "ptls.nn.seq_encoder.rnn_encoder.RnnEncoder"}
_PTLS_TRX = {"ptls.nn.TrxEncoder", "ptls.nn.trx_encoder.TrxEncoder", "ptls.nn.trx_encoder.trx_encoder.TrxEncoder"}
# pytorch-lifestream scalers that give one feature each (ptls.nn.trx_encoder.scalers).
_PTLS_ONE_FEATURE_SCALERS = {"identity", "sigmoid", "log", "year"}
_HYDRA_KEYS = {"_target_", "_args_", "_partial_", "_recursive_", "_convert_"}
# torch.nn modules without parameters (their children, if any, are entries of their own).
_PARAMETER_FREE = frozenset(
    {
        *("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"),
        *("Identity", "Flatten", "Unflatten", "Sequential", "ModuleList", "ModuleDict"),
        *("ReLU", "ReLU6", "LeakyReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Sigmoid", "Tanh"),
        *("Softmax", "LogSoftmax", "Softmin", "Softplus", "Softsign", "Hardtanh", "Hardswish", "Hardsigmoid"),
        *("Hardshrink", "Softshrink", "Tanhshrink", "Threshold", "GLU", "LogSigmoid"),
        *("MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "LPPool1d", "LPPool2d"),
        *("AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d"),
        *("AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d"),
        *("Upsample", "PixelShuffle", "PixelUnshuffle", "ZeroPad1d", "ZeroPad2d", "ConstantPad1d", "ConstantPad2d"),
        *("ReflectionPad1d", "ReflectionPad2d", "ReplicationPad1d", "ReplicationPad2d", "ChannelShuffle"),
        *("CosineSimilarity", "PairwiseDistance"),
    }
)
# Classes that are not modules (no parameters to count): by package, or by a word in the class name.
_NOT_MODULE_PREFIXES = (
    *("torch.optim.", "torch.utils.", "torch.distributions.", "torch.device", "torch.Generator"),
    *("hydra.", "omegaconf.", "functools.", "builtins.", "numpy.", "torchmetrics.", "datasets."),
    *("pytorch_lightning.callbacks.", "pytorch_lightning.loggers.", "pytorch_lightning.strategies."),
    *("lightning.pytorch.callbacks.", "lightning.pytorch.loggers.", "lightning.pytorch.strategies."),
    *("pytorch_lightning.Trainer", "lightning.pytorch.Trainer", "lightning.Trainer", "transformers.get_"),
)
_NOT_MODULE_WORDS = (
    *("Optimizer", "Scheduler", "LR", "Dataset", "DataLoader", "DataModule", "Sampler", "Collat"),
    *("Callback", "Logger", "Trainer", "Metric", "Loss", "Tokenizer", "Transform", "Strategy"),
    *("Profiler", "Checkpoint", "Plugin", "Selector"),
)
# ... or a word in one of its package names (ptls.frames.coles.split_strategy, ....metric, ...).
_NOT_MODULE_PACKAGE_WORDS = (
    *("data", "metric", "loss", "optim", "schedul", "callback", "logger", "transform", "tokeniz"),
    *("augment", "sampl", "strateg", "collat"),
)


def torch_class(target: Any) -> str | None:
    """``LSTM`` for ``torch.nn.LSTM`` or ``torch.nn.modules.rnn.LSTM``; None for anything else."""
    if not isinstance(target, str):
        return None
    if target.startswith("torch.nn.modules."):
        module, _, name = target[len("torch.nn.modules.") :].partition(".")
        return name if name in _TORCH and _TORCH[name][0] == module else None
    if target.startswith("torch.nn."):
        name = target[len("torch.nn.") :]
        return name if name in _TORCH else None
    return None


@dataclass(frozen=True)
class _Node:
    """A mapping that names a class: where it is, the class and where its arguments live."""

    path: DocPath
    target: str
    # Path of the mapping holding the keyword arguments (the node itself, or its init_args).
    kwargs_path: DocPath
    kwargs: dict[str, Any]
    args: list[Any] = field(default_factory=list)
    lightning: bool = False


def _node(root: Any, path: DocPath, mapping: dict[str, Any]) -> _Node | None:
    target = mapping.get("_target_")
    if isinstance(target, str):
        args = mapping.get("_args_")
        kwargs = {k: v for k, v in mapping.items() if k not in _HYDRA_KEYS}
        return _Node(path, target, path, kwargs, list(args) if isinstance(args, list) else [])
    class_path = mapping.get("class_path")
    if isinstance(class_path, str):
        init_args = mapping.get("init_args", {})
        if interpolation.has_interpolation(init_args):
            init_args, _ = interpolation.resolve(root, init_args, (*path, "init_args"))
        if not isinstance(init_args, dict):
            init_args = {}
        return _Node(path, class_path, (*path, "init_args"), dict(init_args), lightning=True)
    return None


def _nodes(data: Any) -> Iterator[_Node]:
    for path, mapping in iter_mappings(data):
        node = _node(data, path, mapping)
        if node is not None:
            yield node


def _is_counted(target: str) -> bool:
    name = torch_class(target)
    return (name is not None and name in _KIND) or target in _PTLS_SEQ or target in _PTLS_RNN


def detect(data: Any) -> bool:
    if not isinstance(data, (dict, list)):
        return False
    found = False
    for node in _nodes(data):
        if node.target.startswith("nemo."):
            return False  # NeMo configs belong to the nemo dialect
        found = found or _is_counted(node.target)
    return found


# --------------------------------------------------------------------------- argument binding


class _Invalid(Exception):
    """The constructor would raise (or a value is unknown): the reason becomes an RNN205 Unknown."""


@dataclass
class _Binder:
    """Resolves one node's constructor arguments, remembering positions and notes."""

    doc: Document
    node: _Node
    params: tuple[str, ...]
    values: dict[str, tuple[Any, DocPath]] = field(default_factory=dict)

    def bind(self, allow_extra: bool = False) -> None:
        node = self.node
        if len(node.args) > len(self.params):
            raise _Invalid(f"{len(node.args)} positional arguments in _args_, the constructor takes {len(self.params)}")
        for index, raw in enumerate(node.args):
            self.values[self.params[index]] = (raw, (*node.path, "_args_", index))
        for key, raw in node.kwargs.items():
            if not isinstance(key, str):
                continue
            if key not in self.params:
                if allow_extra:
                    continue
                raise _Invalid(f"unexpected keyword argument {key!r} (the constructor raises TypeError)")
            if key in self.values:
                raise _Invalid(f"{key!r} is given both in _args_ and as a keyword (the constructor raises TypeError)")
            self.values[key] = (raw, (*node.kwargs_path, key))

    def has(self, name: str) -> bool:
        return name in self.values

    def get(self, name: str, default: Any = None) -> Any:
        if name not in self.values:
            return default
        raw, path = self.values[name]
        value, note = interpolation.resolve(self.doc.data, raw, path)
        if value is UNRESOLVED:
            raise _Invalid(f"{name}: {note}")
        return value

    def integer(self, name: str, default: int | None = None, minimum: int = 0) -> int | None:
        value = self.get(name, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid(f"{name} is {_short(value)}, not an integer")
        if value < minimum:
            raise _Invalid(f"{name} is {value}; it must be at least {minimum}")
        return value

    def span(self, name: str) -> Span:
        return self.doc.locator.key(self.values[name][1])


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _truthy(binder: _Binder, name: str, default: bool, assumptions: list[Assumption], label: str) -> bool:
    value = binder.get(name, default)
    if isinstance(value, str):
        # torch tests truthiness: any non-empty string, even 'false', switches the option on.
        assumptions.append(
            Assumption(
                f"{label}: {name} is the string {value!r}; torch treats any non-empty string as true, "
                f"so {name}={bool(value)} was counted (write {str(bool(value)).lower()} without quotes)",
                binder.span(name),
            )
        )
    return as_bool(value, False, strings=PYTHON_TRUTH, others="truthy")


# --------------------------------------------------------------------------- torch modules


def _torch_entry(
    doc: Document, node: _Node, name: str, options: AdaptOptions, assumptions: list[Assumption]
) -> LayerSpec:
    label = _label(node)
    binder = _Binder(doc, node, _TORCH[name][1])
    span = doc.locator.value(node.path)
    entry_type = _entry_type(name)
    option_values: dict[str, Any] = {}
    option_spans: dict[str, Span] = {}
    try:
        binder.bind()
        module = _build_torch(binder, name, label, options, assumptions)
        for key in ("dropout", "bias", "proj_size", "nonlinearity"):
            if binder.has(key):
                try:
                    option_values[key] = binder.get(key)
                except _Invalid:
                    continue
                option_spans[key] = binder.span(key)
    except _Invalid as exc:
        module = Unknown(f"torch.nn.{name}", str(exc))
    return LayerSpec(
        name=label,
        type=entry_type,
        span=span,
        module=module,
        options=option_values,
        option_spans=option_spans,
    )


def _entry_type(name: str) -> str:
    if name in _KIND:
        kind, cell = _KIND[name]
        return f"{kind}_cell" if cell else kind
    return name.lower()


def _build_torch(
    binder: _Binder, name: str, label: str, options: AdaptOptions, assumptions: list[Assumption]
) -> Module:
    if name == "Embedding":
        rows = binder.integer("num_embeddings")
        dim = binder.integer("embedding_dim")
        if rows is None or dim is None:
            missing = "num_embeddings" if rows is None else "embedding_dim"
            raise _Invalid(f"{missing} is missing (torch.nn.Embedding requires it)")
        return Embedding(rows, dim)
    if name == "Linear":
        out = binder.integer("out_features")
        if out is None:
            raise _Invalid("out_features is missing (torch.nn.Linear requires it)")
        in_features = _input_size(binder, label, "in_features", options, assumptions)
        return Linear(in_features, out, _truthy(binder, "bias", True, assumptions, label))
    kind, cell = _KIND[name]
    hidden = binder.integer("hidden_size", minimum=1)
    if hidden is None:
        raise _Invalid(f"hidden_size is missing (torch.nn.{name} requires it)")
    input_size = _input_size(binder, label, "input_size", options, assumptions)
    if kind != "lstm" or cell:
        if binder.has("proj_size"):
            raise _Invalid(f"torch.nn.{name} has no proj_size (its constructor raises ValueError on the keyword)")
        proj = 0
    else:
        proj = cast(int, binder.integer("proj_size", 0))
    if kind == "rnn":
        nonlinearity = binder.get("nonlinearity", "tanh")
        if nonlinearity not in ("tanh", "relu"):
            raise _Invalid(f"nonlinearity {nonlinearity!r} is neither 'tanh' nor 'relu' (torch raises ValueError)")
    return Recurrent(
        kind=kind,
        hidden_size=hidden,
        input_size=input_size,
        framework="pytorch",
        num_layers=1 if cell else cast(int, binder.integer("num_layers", 1, minimum=1)),
        bidirectional=False if cell else _truthy(binder, "bidirectional", False, assumptions, label),
        bias=_truthy(binder, "bias", True, assumptions, label),
        proj_size=proj,
        cell=cell,
    )


def _input_size(
    binder: _Binder, label: str, key: str, options: AdaptOptions, assumptions: list[Assumption]
) -> int | None:
    """The stated input size; else the settings' input_size; else unknown, with a note saying why."""
    try:
        value = binder.integer(key)
        if value is not None:
            return value
        why = (
            f"{key} is null"
            if binder.has(key)
            else f"{key} is not in the file (Hydra / Lightning may pass it at run time)"
        )
    except _Invalid as exc:
        why = str(exc)
    if options.input_size is not None:
        return options.input_size
    span = binder.span(key) if binder.has(key) else binder.doc.locator.value(binder.node.path)
    assumptions.append(
        Assumption(
            f"{label}: the input size is unknown, so its count is too: {why}; state {key}, or set "
            f"`{override()}` for this file",
            span,
        )
    )
    return None


# --------------------------------------------------------------------------- pytorch-lifestream


def _trx_output(doc: Document, node: _Node) -> tuple[int | None, str]:
    """ptls TrxEncoder.output_size, with the derivation (or why it is unknown)."""
    if node.target not in _PTLS_TRX:
        return None, f"the trx_encoder is {node.target}, whose output size rnnlint does not know"
    binder = _Binder(doc, node, tuple(k for k in node.kwargs if isinstance(k, str)))
    binder.bind()
    try:
        projection = binder.get("linear_projection_size", 0)
        if projection:
            if isinstance(projection, bool) or not isinstance(projection, int):
                return None, f"linear_projection_size is {projection!r}"
            return projection, f"TrxEncoder linear_projection_size {projection}"
        for unsupported in ("custom_embeddings", "positions"):
            if binder.get(unsupported):
                return None, f"the TrxEncoder has {unsupported}, whose sizes rnnlint does not know"
        embeddings = binder.get("embeddings", {}) or {}
        numeric = binder.get("numeric_values", {}) or {}
    except _Invalid as exc:
        return None, str(exc)
    if not isinstance(embeddings, dict) or not isinstance(numeric, dict):
        return None, "the TrxEncoder embeddings / numeric_values are not mappings"
    sizes: list[str] = []
    total = 0
    for field_name, props in embeddings.items():
        at = (*node.kwargs_path, "embeddings", field_name)
        props, note = interpolation.resolve(doc.data, props, at)
        if not isinstance(props, dict):
            return None, f"embeddings.{field_name} is not a mapping{': ' + note if note else ''}"
        values: dict[str, Any] = {}
        for key in ("in", "out", "disabled"):
            value, note = interpolation.resolve(doc.data, props.get(key), (*at, key))
            if value is UNRESOLVED:
                return None, f"embeddings.{field_name}.{key}: {note}"
            values[key] = value
        if values["disabled"]:
            continue
        out, rows = values["out"], values["in"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (out, rows)):
            return None, f"embeddings.{field_name} has a non-integer in/out"
        if out == 0 or rows == 0:  # ptls skips these fields
            continue
        total += out
        sizes.append(str(out))
    scalers: list[str] = []
    for field_name, scaler in numeric.items():
        scaler, note = interpolation.resolve(doc.data, scaler, (*node.kwargs_path, "numeric_values", field_name))
        if scaler == "none":
            continue
        if scaler not in _PTLS_ONE_FEATURE_SCALERS:
            return (
                None,
                f"numeric_values.{field_name} uses the scaler {scaler!r}, whose output size rnnlint does not know",
            )
        total += 1
        scalers.append(str(field_name))
    text = "embedding sizes " + (" + ".join(sizes) if sizes else "none")
    text += f", plus 1 per numeric value ({', '.join(scalers) if scalers else 'none'})"
    return total, text


def _ptls_entries(
    doc: Document, node: _Node, options: AdaptOptions, assumptions: list[Assumption], nodes: dict[DocPath, _Node]
) -> list[LayerSpec]:
    label = _label(node)
    span = doc.locator.value(node.path)
    params = ("trx_encoder", "input_size", "hidden_size", "type", "bidir", "num_layers", "dropout", "trainable_starter")
    binder = _Binder(doc, node, params)
    entries: list[LayerSpec] = []
    try:
        binder.bind(allow_extra=True)
        rnn_type = binder.get("type", "gru")
        if rnn_type not in ("gru", "lstm"):
            raise _Invalid(f"type {rnn_type!r} is neither 'gru' nor 'lstm' (ptls raises KeyError)")
        hidden = binder.integer("hidden_size", minimum=1)
        if hidden is None:
            raise _Invalid("hidden_size is missing (ptls passes None to torch, which raises)")
        input_size = binder.integer("input_size")
        if input_size is None:
            input_size = _ptls_input(doc, node, binder, label, options, assumptions, nodes)
        bidirectional = _truthy(binder, "bidir", False, assumptions, label)
        num_layers = cast(int, binder.integer("num_layers", 1, minimum=1))
        module: Module = Recurrent(
            kind=cast(RecurrentKind, rnn_type),
            hidden_size=hidden,
            input_size=input_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
        )
        starter = binder.get("trainable_starter", "static")
    except _Invalid as exc:
        return [LayerSpec(label, "unknown", span, Unknown(node.target, str(exc)))]
    option_values = {}
    option_spans = {}
    if binder.has("dropout"):
        try:
            option_values["dropout"] = binder.get("dropout")
            option_spans["dropout"] = binder.span("dropout")
        except _Invalid:
            pass
    entries.append(LayerSpec(label, rnn_type, span, module, options=option_values, option_spans=option_spans))
    if starter == "static":
        directions = 2 if bidirectional else 1
        n = num_layers * directions * hidden
        entries.append(
            LayerSpec(
                f"{label}.starter_h",
                "parameter",
                binder.span("trainable_starter") if binder.has("trainable_starter") else span,
                Fixed(n, f"trainable_starter static: {num_layers}x{directions}x{hidden} = {n:,}"),
            )
        )
    return entries


def _ptls_input(
    doc: Document,
    node: _Node,
    binder: _Binder,
    label: str,
    options: AdaptOptions,
    assumptions: list[Assumption],
    nodes: dict[DocPath, _Node],
) -> int | None:
    if options.input_size is not None:
        return options.input_size
    trx_path = (*node.kwargs_path, "trx_encoder")
    trx = nodes.get(trx_path)
    span = doc.locator.value(trx_path) if trx is not None else doc.locator.value(node.path)
    if trx is None:
        size, why = None, "it has neither input_size nor a trx_encoder in this file"
    else:
        size, why = _trx_output(doc, trx)
    if size is None:
        assumptions.append(
            Assumption(
                f"{label}: the input size is unknown ({why}); state input_size on it, or set "
                f"`{override()}` for this file",
                span,
            )
        )
        return None
    assumptions.append(
        Assumption(
            f"{label}: input size {size} assumed from the TrxEncoder at line {span.line} ({why}), as "
            "pytorch-lifestream's TrxEncoder.output_size computes it; state input_size on the seq encoder "
            "to make it explicit",
            span,
        )
    )
    return size


def _trx_embedding_entries(doc: Document, node: _Node) -> list[LayerSpec]:
    """Each TrxEncoder categorical field is an nn.Embedding(in, out) (ptls NoisyEmbedding)."""
    embeddings, _ = interpolation.resolve(doc.data, node.kwargs.get("embeddings"), (*node.kwargs_path, "embeddings"))
    if not isinstance(embeddings, dict):
        return []
    entries: list[LayerSpec] = []
    for field_name, props in embeddings.items():
        at = (*node.kwargs_path, "embeddings", field_name)
        if not isinstance(props, dict):
            continue
        rows, _ = interpolation.resolve(doc.data, props.get("in"), (*at, "in"))
        out, _ = interpolation.resolve(doc.data, props.get("out"), (*at, "out"))
        disabled, _ = interpolation.resolve(doc.data, props.get("disabled", False), (*at, "disabled"))
        if disabled or not all(isinstance(v, int) and not isinstance(v, bool) for v in (rows, out)):
            continue
        if rows == 0 or out == 0:
            continue
        entries.append(
            LayerSpec(
                f"{_label(node)}.embeddings.{field_name}",
                "embedding",
                doc.locator.value(at),
                Embedding(cast(int, rows), cast(int, out)),
            )
        )
    return entries


# --------------------------------------------------------------------------- adapt


def _holds_no_parameters(target: str) -> bool:
    """A parameter-free torch.nn module, or a class that is no module (optimizer, data, callback, ...)."""
    if target.startswith("torch.nn."):
        name = target.rsplit(".", 1)[-1]
        return name in _PARAMETER_FREE or name.endswith("Loss")
    if target.startswith(_NOT_MODULE_PREFIXES):
        return True
    package, _, name = target.rpartition(".")
    if any(word in name for word in _NOT_MODULE_WORDS):
        return True
    return any(word in part.lower() for part in package.split(".")[1:] for word in _NOT_MODULE_PACKAGE_WORDS)


def _omission(doc: Document, node: _Node) -> Omission:
    if node.target.startswith("torch.nn."):
        why = "rnnlint counts only the recurrent torch.nn modules, Embedding and Linear"
    else:
        why = "rnnlint has not read what this class builds"
    return Omission(f"{_label(node)} ({node.target}) is not counted: {why}", doc.locator.value(node.path))


def _label(node: _Node) -> str:
    if node.path:
        return interpolation.display(node.path)
    return node.target.rsplit(".", 1)[-1]


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    nodes = {node.path: node for node in _nodes(doc.data)}
    assumptions: list[Assumption] = []
    layers: list[LayerSpec] = []
    handlers: dict[str, Callable[[_Node], list[LayerSpec]]] = {}
    for target in _PTLS_SEQ:
        handlers[target] = lambda n: _ptls_entries(doc, n, options, assumptions, nodes)
    for target in _PTLS_RNN:
        handlers[target] = lambda n: _ptls_entries(doc, n, options, assumptions, nodes)
    for target in _PTLS_TRX:
        handlers[target] = lambda n: _trx_embedding_entries(doc, n)
    omitted: list[Omission] = []
    for node in nodes.values():
        name = torch_class(node.target)
        if name is not None:
            layers.append(_torch_entry(doc, node, name, options, assumptions))
        elif node.target in handlers:
            layers.extend(handlers[node.target](node))
        elif not _holds_no_parameters(node.target):
            omitted.append(_omission(doc, node))
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=tuple(layers),
            span=Span(1, 1),
            assumptions=tuple(assumptions),
            omitted=tuple(omitted),
        )
    )
