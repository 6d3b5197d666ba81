"""SpeechBrain HyperPyYAML hparams files.

The YAML tags are never executed: the loader keeps them as inert ``Tagged`` values.
``!ref <x>`` is evaluated by rnnlint's own small arithmetic evaluator (numbers, ``<refs>``
including ``<a[b]>`` / ``<a.b>``, ``+ - * / // ( )``; no ``eval``); ``!new:`` /
``!name:`` / ``!apply:`` are recognized by their class name only. Every ``!new:`` object
in the file is one module SpeechBrain builds (a ``!ref`` to it is the same object, counted
once), nested ``!new:`` inside containers included.

Counted classes (defaults from SpeechBrain's ``speechbrain/nnet/RNN.py``,
``lobes/models/RNNLM.py`` and ``lobes/models/CRDNN.py``; ``re_init`` does not change counts):

- ``speechbrain.nnet.RNN.LSTM`` / ``GRU`` / ``RNN``: torch modules; ``input_size``, or
  ``input_shape`` whose dims from the third on multiply; ``num_layers`` 1, ``bias`` true,
  ``bidirectional`` false.
- ``LSTMCell`` / ``GRUCell`` / ``RNNCell``: ``num_layers`` stacked torch cells (the first
  takes the input, the rest ``hidden_size``); ``input_shape`` dims from the second on.
- ``AttentionalRNNDecoder``: ``rnn_type`` cells with input ``input_size + attn_dim`` and
  ``num_layers`` layers, plus ``Linear(hidden_size + attn_dim -> hidden_size)``; the
  attention module itself is not counted (a note says so).
- ``speechbrain.lobes.models.RNNLM.RNNLM``: Embedding(output_neurons, embedding_dim 128),
  ``rnn_class`` (default LSTM) with ``rnn_layers`` 2 x ``rnn_neurons`` 1024, ``dnn_blocks``
  1 x (Linear + LayerNorm) of ``dnn_neurons`` 512, and the output Linear.
- ``speechbrain.lobes.models.CRDNN.CRDNN``: its RNN only (``rnn_class`` default LiGRU,
  ``rnn_layers`` 4, ``rnn_neurons`` 512, ``rnn_bidirectional`` true; ``use_rnnp``). The
  RNN input comes from the CNN: ``projection_dim`` when set, else
  ``cnn_channels[-1] x`` the feature size after each block's frequency pooling (floor
  division by ``inter_layer_pooling_size``); that derivation is stated as a note.
- ``speechbrain.nnet.linear.Linear`` and ``speechbrain.nnet.embedding.Embedding``.
- ``LiGRU``, ``SLiGRU``, ``QuasiRNN``: custom cells, reported as RNN205.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.loader import DocPath, Document, Tagged
from rnnlint.model import (
    Assumption,
    Composite,
    Embedding,
    Fixed,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)

NAME = "speechbrain"

RNN_MODULES: dict[str, RecurrentKind] = {"LSTM": "lstm", "GRU": "gru", "RNN": "rnn"}
RNN_CELLS: dict[str, RecurrentKind] = {"LSTMCell": "lstm", "GRUCell": "gru", "RNNCell": "rnn"}
CUSTOM_CELLS = {"LiGRU", "SLiGRU", "QuasiRNN"}
RNN_PREFIX = "speechbrain.nnet.RNN."
TAG_PREFIXES = ("!new:speechbrain.", "!name:speechbrain.", "!apply:speechbrain.", "!ref")
LOCATED_OPTIONS = ("input_size", "input_shape", "dropout", "bias", "num_layers", "bidirectional")


class Unresolved(Exception):
    """A value rnnlint cannot work out from the file (a !PLACEHOLDER, an !apply:, ...)."""


# --------------------------------------------------------------------------- detection


def _tagged_like(value: Any) -> bool:
    return isinstance(value, Tagged) and value.tag.startswith(TAG_PREFIXES)


def detect(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    for value in data.values():
        if _tagged_like(value):
            return True
        if isinstance(value, dict) and any(_tagged_like(v) for v in value.values()):
            return True
    return False


# --------------------------------------------------------------------------- !ref evaluation

_REF_TOKEN = re.compile(r"\s*(?:(<[^<>]+>)|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(//|[-+*/()]))")


class Resolver:
    """Resolves ``!ref`` values against the document, with rnnlint's own arithmetic."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self._active: set[str] = set()

    def lookup(self, name: str) -> Any:
        parts = [p for p in re.split(r"[\[\].]", name.strip()) if p]
        if not parts:
            raise Unresolved(f"empty reference <{name}>")
        key = ".".join(parts)
        if key in self._active:
            raise Unresolved(f"<{name}> refers to itself")
        self._active.add(key)
        try:
            node: Any = self._data
            for part in parts:
                node = self.value(node)
                if isinstance(node, Tagged) and isinstance(node.value, dict):
                    node = node.value
                if isinstance(node, dict) and part in node:
                    node = node[part]
                elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                    node = node[int(part)]
                else:
                    raise Unresolved(f"<{name}> is not defined in the file")
            return self.value(node)
        finally:
            self._active.discard(key)

    def value(self, node: Any) -> Any:
        """A node with ``!ref`` followed; other tags stay as they are."""
        if isinstance(node, Tagged) and node.tag == "!ref":
            return self.expression(str(node.value))
        return node

    def expression(self, text: str) -> Any:
        text = text.strip()
        only_ref = re.fullmatch(r"<([^<>]+)>", text)
        if only_ref:
            return self.lookup(only_ref.group(1))
        tokens: list[str] = []
        pos = 0
        while pos < len(text):
            m = _REF_TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                # Text around refs (``results/<seed>``) is string interpolation, not a size.
                raise Unresolved(f"!ref {text!r} is not arithmetic")
            tokens.append(m.group(m.lastindex or 0))
            pos = m.end()
        return _Arithmetic(tokens, self).parse()


class _Arithmetic:
    """``expr := term (('+'|'-') term)*; term := factor (('*'|'/'|'//') factor)*``."""

    def __init__(self, tokens: list[str], resolver: Resolver) -> None:
        self._tokens = tokens
        self._i = 0
        self._resolver = resolver

    def parse(self) -> int | float:
        value = self._expr()
        if self._i != len(self._tokens):
            raise Unresolved("unexpected token in !ref arithmetic")
        return value

    def _peek(self) -> str | None:
        return self._tokens[self._i] if self._i < len(self._tokens) else None

    def _expr(self) -> int | float:
        value = self._term()
        while self._peek() in ("+", "-"):
            op = self._tokens[self._i]
            self._i += 1
            right = self._term()
            value = value + right if op == "+" else value - right
        return value

    def _term(self) -> int | float:
        value = self._factor()
        while self._peek() in ("*", "/", "//"):
            op = self._tokens[self._i]
            self._i += 1
            right = self._factor()
            if right == 0 and op != "*":
                raise Unresolved("division by zero in !ref arithmetic")
            value = value * right if op == "*" else value / right if op == "/" else value // right
        return value

    def _factor(self) -> int | float:
        tok = self._peek()
        if tok is None:
            raise Unresolved("incomplete !ref arithmetic")
        self._i += 1
        if tok == "-":
            return -self._factor()
        if tok == "(":
            value = self._expr()
            if self._peek() != ")":
                raise Unresolved("unbalanced parentheses in !ref arithmetic")
            self._i += 1
            return value
        if tok.startswith("<"):
            value = self._resolver.lookup(tok[1:-1])
            number = _number(value)
            if number is None:
                raise Unresolved(f"{tok} is not a number")
            return number
        return float(tok) if any(c in tok for c in ".eE") else int(tok)


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    return None


def _size(value: Any) -> int:
    """A positive integer size, or :class:`Unresolved`."""
    if isinstance(value, Tagged):
        raise Unresolved(f"{value.tag} value is not evaluated")
    number = _number(value)
    if number is None or number != int(number) or number < 0:
        raise Unresolved(f"{value!r} is not a size")
    return int(number)


def _int_list(value: Any) -> list[int]:
    """Lists and SpeechBrain's tuple-as-string ``(128, 256)``."""
    if isinstance(value, str):
        parts = value.strip().strip("()[]").split(",")
        try:
            return [int(p) for p in parts if p.strip()]
        except ValueError as exc:
            raise Unresolved(f"{value!r} is not a list of sizes") from exc
    if isinstance(value, (list, tuple)):
        return [_size(v) for v in value]
    return [_size(value)]


# --------------------------------------------------------------------------- building


@dataclass
class _Object:
    """One ``!new:`` node: its class name, arguments and position."""

    cls: str
    args: dict[str, Any]
    path: DocPath


def _objects(node: Any, path: DocPath = ()) -> list[_Object]:
    found: list[_Object] = []
    if isinstance(node, Tagged):
        if node.tag.startswith("!new:"):
            args = node.value if isinstance(node.value, dict) else {}
            found.append(_Object(node.tag[len("!new:") :], args, path))
        found.extend(_objects(node.value, path))
    elif isinstance(node, dict):
        for key, value in node.items():
            found.extend(_objects(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_objects(value, (*path, index)))
    return found


class _Builder:
    def __init__(self, doc: Document, options: AdaptOptions) -> None:
        self.doc = doc
        self.options = options
        self.resolver = Resolver(doc.data)
        self.layers: list[LayerSpec] = []
        self.assumptions: list[Assumption] = []
        self._override_used = False

    # -- values

    def arg(self, obj: _Object, key: str, default: Any = None, *, counts: bool = True) -> Any:
        """A constructor argument; a default that changes the count is stated as a note."""
        if key in obj.args:
            return self.resolver.value(obj.args[key])
        if counts and default is not None:
            self.assumptions.append(
                Assumption(
                    f"{self.name(obj)}: {key} not stated, SpeechBrain's default {default!r} assumed; "
                    f"add `{key}:` to state it",
                    self.span(obj),
                )
            )
        return default

    def size(self, obj: _Object, key: str, default: int | None = None) -> int:
        value = self.arg(obj, key, default)
        if value is None:
            raise Unresolved(f"{key} is missing")
        try:
            return _size(value)
        except Unresolved as exc:
            raise Unresolved(f"{key}: {exc}") from exc

    def flag(self, obj: _Object, key: str, default: bool, *, counts: bool = False) -> bool:
        value = self.arg(obj, key, default, counts=counts)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "yes", "1")
        return bool(value)

    def input_size(self, obj: _Object, first_dim: int) -> int | None:
        """``input_size``, else the product of ``input_shape[first_dim:]``; None with a note if unknown."""
        try:
            if "input_size" in obj.args:
                return _size(self.resolver.value(obj.args["input_size"]))
            if "input_shape" in obj.args:
                shape = self.resolver.value(obj.args["input_shape"])
                if not isinstance(shape, list) or len(shape) <= first_dim:
                    raise Unresolved(f"input_shape {shape!r} has no feature dimension")
                product = 1
                for dim in shape[first_dim:]:
                    product *= _size(self.resolver.value(dim))
                return product
            raise Unresolved("neither input_size nor input_shape is stated")
        except Unresolved as exc:
            return self.unknown_input(obj, str(exc))

    def unknown_input(self, obj: _Object, reason: str) -> int | None:
        if self.options.input_size is not None and not self._override_used:
            self._override_used = True
            return self.options.input_size
        self.assumptions.append(
            Assumption(
                f"{self.name(obj)}: input size unknown ({reason}); state `input_size:` or set "
                "`[[tool.rnnlint.overrides]] input_size = N`",
                self.span(obj),
            )
        )
        return None

    # -- output

    def name(self, obj: _Object) -> str:
        return ".".join(str(p) for p in obj.path) or obj.cls.rsplit(".", 1)[-1]

    def span(self, obj: _Object) -> Span:
        return self.doc.locator.value(obj.path)

    def add(self, obj: _Object, type_name: str, module: Module, suffix: str = "") -> None:
        spans = {k: self.doc.locator.key((*obj.path, k)) for k in LOCATED_OPTIONS if k in obj.args}
        options: dict[str, Any] = {}
        for key in ("dropout", "bias"):
            if key in obj.args:
                with contextlib.suppress(Unresolved):
                    value = self.resolver.value(obj.args[key])
                    # Rules compare these: only plain numbers and booleans are passed on.
                    if isinstance(value, (int, float, bool)):
                        options[key] = value
        self.layers.append(
            LayerSpec(
                name=self.name(obj) + suffix,
                type=type_name,
                span=self.span(obj),
                module=module,
                options=options if not suffix else {},
                option_spans=spans if not suffix else {},
            )
        )

    # -- classes

    def rnn_module(self, obj: _Object, kind: RecurrentKind) -> None:
        module = Recurrent(
            kind=kind,
            hidden_size=self.size(obj, "hidden_size"),
            input_size=self.input_size(obj, 2),
            num_layers=self.size(obj, "num_layers", 1),
            bidirectional=self.flag(obj, "bidirectional", False, counts=True),
            bias=self.flag(obj, "bias", True),
        )
        self.add(obj, kind, module)

    def cell_stack(self, kind: RecurrentKind, hidden: int, input_size: int | None, layers: int, bias: bool) -> Module:
        cells: list[Module] = [Recurrent(kind, hidden, input_size, bias=bias, cell=True)]
        cells += [Recurrent(kind, hidden, hidden, bias=bias, cell=True) for _ in range(layers - 1)]
        return cells[0] if layers == 1 else Composite(tuple(cells), output_size=hidden)

    def rnn_cell(self, obj: _Object, kind: RecurrentKind) -> None:
        hidden = self.size(obj, "hidden_size")
        module = self.cell_stack(
            kind, hidden, self.input_size(obj, 1), self.size(obj, "num_layers", 1), self.flag(obj, "bias", True)
        )
        self.add(obj, f"{kind}_cell", module)

    def attentional_decoder(self, obj: _Object) -> None:
        rnn_type = str(self.arg(obj, "rnn_type", counts=False)).lower()
        if rnn_type not in ("rnn", "gru", "lstm"):
            raise Unresolved(f"rnn_type {rnn_type!r} is not rnn, gru or lstm")
        kind: RecurrentKind = "lstm" if rnn_type == "lstm" else "gru" if rnn_type == "gru" else "rnn"
        hidden = self.size(obj, "hidden_size")
        attn_dim = self.size(obj, "attn_dim")
        try:
            embedded: int | None = self.size(obj, "input_size")
        except Unresolved as exc:
            embedded = self.unknown_input(obj, str(exc))
        cell_input = embedded + attn_dim if embedded is not None else None
        layers = self.size(obj, "num_layers")
        self.add(obj, f"{kind}_cell", self.cell_stack(kind, hidden, cell_input, layers, self.flag(obj, "bias", True)))
        self.add(obj, "linear", Linear(hidden + attn_dim, hidden), ".proj")
        attn_type = self.arg(obj, "attn_type", counts=False)
        self.assumptions.append(
            Assumption(
                f"{self.name(obj)}: the {attn_type} attention module is not counted (total_params excludes it)",
                self.span(obj),
            )
        )

    def rnn_class(self, obj: _Object, key: str, default: str) -> str:
        """The class name an ``rnn_class: !name:...`` argument selects."""
        value = self.arg(obj, key, default, counts=key not in obj.args)
        if isinstance(value, Tagged) and value.tag.startswith("!name:"):
            return value.tag[len("!name:") :].rsplit(".", 1)[-1]
        if isinstance(value, str):
            return value.rsplit(".", 1)[-1]
        raise Unresolved(f"{key} is not a class name")

    def rnnlm(self, obj: _Object) -> None:
        vocab = self.size(obj, "output_neurons")
        emb = self.size(obj, "embedding_dim", 128)
        self.add(obj, "embedding", Embedding(vocab, emb), ".embedding")
        cls = self.rnn_class(obj, "rnn_class", "LSTM")
        neurons = self.size(obj, "rnn_neurons", 1024)
        layers = self.size(obj, "rnn_layers", 2)
        if cls in RNN_MODULES:
            self.add(obj, RNN_MODULES[cls], Recurrent(RNN_MODULES[cls], neurons, emb, num_layers=layers), ".rnn")
        else:
            self.add(obj, cls, Unknown(cls, "a SpeechBrain custom recurrent cell"), ".rnn")
        blocks = self.size(obj, "dnn_blocks", 1)
        dnn = self.size(obj, "dnn_neurons", 512)
        width = neurons
        for index in range(blocks):
            self.add(obj, "linear", Linear(width, dnn), f".dnn.block_{index}.linear")
            self.add(
                obj, "layernorm", Fixed(2 * dnn, f"LayerNorm 2x{dnn} = {2 * dnn:,}", dnn), f".dnn.block_{index}.norm"
            )
            width = dnn
        self.add(obj, "linear", Linear(width, vocab), ".out")

    def crdnn(self, obj: _Object) -> None:
        cls = self.rnn_class(obj, "rnn_class", "LiGRU")
        layers = self.size(obj, "rnn_layers", 4)
        neurons = self.size(obj, "rnn_neurons", 512)
        bidirectional = self.flag(obj, "rnn_bidirectional", True, counts=True)
        if layers == 0:
            return
        projection = self.arg(obj, "projection_dim", -1, counts=False)
        feature = self.input_size(obj, 2)
        rnn_input: int | None
        if isinstance(projection, int) and projection != -1:
            rnn_input = projection
        elif feature is None:
            rnn_input = None
        else:
            blocks = self.size(obj, "cnn_blocks", 2)
            channels = _int_list(self.arg(obj, "cnn_channels", [128, 256]))
            pooling = _int_list(self.arg(obj, "inter_layer_pooling_size", [2, 2]))
            freq = feature
            for index in range(blocks):
                freq //= pooling[index] if index < len(pooling) else pooling[-1]
            rnn_input = (channels[blocks - 1] if blocks else 1) * freq
            shown = " // ".join(str(p) for p in pooling[:blocks])
            self.assumptions.append(
                Assumption(
                    f"{self.name(obj)}: CRDNN RNN input derived from the CNN as cnn_channels[-1] x "
                    f"({feature} // {shown}) = {rnn_input} (SpeechBrain's 'same' conv padding and floor "
                    "pooling on the frequency axis); its CNN and DNN blocks are not counted",
                    self.span(obj),
                )
            )
        if cls not in RNN_MODULES:
            self.add(obj, cls, Unknown(cls, "a SpeechBrain custom recurrent cell (CRDNN rnn_class)"), ".RNN")
            return
        kind = RNN_MODULES[cls]
        if self.flag(obj, "use_rnnp", False):
            dnn = self.size(obj, "dnn_neurons", 512)
            parts: list[Module] = []
            width = rnn_input
            for _ in range(layers):
                parts.append(Recurrent(kind, neurons, width, bidirectional=bidirectional))
                parts.append(Linear(neurons * (2 if bidirectional else 1), dnn))
                width = dnn
            self.add(obj, kind, Composite(tuple(parts), output_size=dnn), ".RNN")
            return
        module = Recurrent(kind, neurons, rnn_input, num_layers=layers, bidirectional=bidirectional)
        self.add(obj, kind, module, ".RNN")

    def linear(self, obj: _Object) -> None:
        combine = self.flag(obj, "combine_dims", False)
        try:
            if "input_size" in obj.args:
                in_features: int | None = _size(self.resolver.value(obj.args["input_size"]))
            else:
                shape = self.resolver.value(obj.args.get("input_shape"))
                if not isinstance(shape, list) or not shape:
                    raise Unresolved("no input_size")
                dims = shape[2:] if combine and len(shape) > 3 else shape[-1:]
                in_features = 1
                for dim in dims:
                    in_features *= _size(self.resolver.value(dim))
        except Unresolved:
            in_features = None
        self.add(obj, "linear", Linear(in_features, self.size(obj, "n_neurons"), self.flag(obj, "bias", True)))

    def embedding(self, obj: _Object) -> None:
        if self.flag(obj, "consider_as_one_hot", False):
            return  # a fixed one-hot table, no trained parameters worth a guess
        self.add(obj, "embedding", Embedding(self.size(obj, "num_embeddings"), self.size(obj, "embedding_dim", 128)))

    def build(self, obj: _Object) -> None:
        cls = obj.cls
        short = cls.rsplit(".", 1)[-1]
        try:
            if cls.startswith(RNN_PREFIX) and short in RNN_MODULES:
                self.rnn_module(obj, RNN_MODULES[short])
            elif cls.startswith(RNN_PREFIX) and short in RNN_CELLS:
                self.rnn_cell(obj, RNN_CELLS[short])
            elif cls.startswith(RNN_PREFIX) and short in CUSTOM_CELLS:
                self.add(obj, short, Unknown(short, "a SpeechBrain custom recurrent cell with its own formula"))
            elif cls == RNN_PREFIX + "AttentionalRNNDecoder":
                self.attentional_decoder(obj)
            elif cls == "speechbrain.lobes.models.RNNLM.RNNLM":
                self.rnnlm(obj)
            elif cls == "speechbrain.lobes.models.CRDNN.CRDNN":
                self.crdnn(obj)
            elif cls == "speechbrain.nnet.linear.Linear":
                self.linear(obj)
            elif cls == "speechbrain.nnet.embedding.Embedding":
                self.embedding(obj)
        except Unresolved as exc:
            if cls.startswith(RNN_PREFIX) or cls.startswith("speechbrain.lobes.models."):
                self.add(obj, short, Unknown(short, f"cannot resolve its sizes: {exc}"))


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    builder = _Builder(doc, options)
    for obj in _objects(doc.data):
        builder.build(obj)
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=tuple(builder.layers),
            span=Span(1, 1),
            assumptions=tuple(builder.assumptions),
        )
    )
