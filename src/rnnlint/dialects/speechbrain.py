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
  attention module itself is an omission (RNN106).
- ``speechbrain.lobes.models.RNNLM.RNNLM``: Embedding(output_neurons, embedding_dim 128),
  ``rnn_class`` (default LSTM) with ``rnn_layers`` 2 x ``rnn_neurons`` 1024, ``dnn_blocks``
  1 x (Linear + LayerNorm) of ``dnn_neurons`` 512, and the output Linear.
- ``speechbrain.nnet.containers.Sequential``: its ``!name:`` entries are built in order with
  ``input_shape`` = the shape the entries before them produce (``Sequential.append``); rnnlint
  follows that shape through ``CRDNN.CNN_Block`` / ``DNN_Block``, ``nnet.CNN.Conv1d`` /
  ``Conv2d`` (stride 1, 'same' or 'valid'), ``nnet.linear.Linear``, ``nnet.normalization``
  ``LayerNorm`` (over ``input_shape[2:]``) / ``BatchNorm1d`` / ``BatchNorm2d``, ``Pooling1d`` /
  ``Pooling2d`` instances, parameter-free instances and the ``nnet.RNN`` modules. An entry it
  cannot size is an omission, and so is every entry after it.
- ``speechbrain.lobes.models.CRDNN.CRDNN``: ``cnn_blocks`` CNN_Blocks, [time pooling],
  [projection Linear + LayerNorm], the RNN (``rnn_class`` default LiGRU, ``rnn_layers`` 4,
  ``rnn_neurons`` 512, ``rnn_bidirectional`` true; ``use_rnnp`` for RNN + Linear per layer)
  and ``dnn_blocks`` DNN_Blocks, with the shapes CRDNN.__init__ builds them with.
- ``lobes.models.dual_path.Dual_Path_Model``: ``num_layers`` deep copies of its
  ``intra_model`` / ``inter_model`` (``SBRNNBlock`` counted, transformer blocks omitted) with
  their norms and Linear layers (sized from the intra block, as ``Dual_Computation_Block``
  does), its own convolutions, norm and PReLU; ``dual_path.Encoder`` / ``Decoder`` convolutions.
- ``lobes.models.resepformer.ResourceEfficientSeparator`` (SkiM): ``layer`` copies of a
  ``SegLSTM`` seg_model and ``layer - 1`` of a ``MemLSTM`` mem_model, and its output Conv1d.
  The templates a separator copies are counted inside it, not on their own.
- ``speechbrain.nnet.linear.Linear`` and ``speechbrain.nnet.embedding.Embedding``.
- ``LiGRU``, ``SLiGRU``, ``QuasiRNN``: custom cells, reported as RNN205.

Every other model class (``lobes.models``, ``nnet``, ``torch.nn``) is an omission; a file with no
recurrent layer is a single omission (rnnlint counts recurrent models). ``dropout`` reaches the
rules (RNN203) only for ``nnet.RNN.LSTM`` / ``GRU`` / ``RNN``, which pass it to the torch module.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Any

from rnnlint import counting
from rnnlint.counting import recurrent_output_size
from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import YES_ELSE_FALSE, as_bool, as_number, override
from rnnlint.model import (
    Assumption,
    Composite,
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
from rnnlint.parse.document import DocPath, Document, Tagged

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
            number = as_number(value)
            if number is None:
                raise Unresolved(f"{tok} is not a number")
            return number
        return float(tok) if any(c in tok for c in ".eE") else int(tok)


def _size(value: Any) -> int:
    """A positive integer size, or :class:`Unresolved`."""
    if isinstance(value, Tagged):
        raise Unresolved(f"{value.tag} value is not evaluated")
    number = as_number(value)
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


# --------------------------------------------------------------------------- shape inference
# speechbrain/nnet/containers.py, Sequential: a class entry (``!name:``) is built with
# ``input_shape=`` the output shape of the entries before it (a dummy forward pass; a null batch
# dimension is 1 and a null time dimension 256). Shapes here are [batch, time, features...].

Shape = tuple[int, ...]

SB = "speechbrain."
# Entries with no parameters that keep the shape (activations, dropout).
PARAM_FREE = frozenset(
    {
        "torch.nn.LeakyReLU",
        "torch.nn.ReLU",
        "torch.nn.Tanh",
        "torch.nn.Sigmoid",
        "torch.nn.GELU",
        "torch.nn.ELU",
        "torch.nn.SiLU",
        "torch.nn.Identity",
        "torch.nn.Dropout",
        "torch.nn.Dropout2d",
        "torch.nn.Softmax",
        "torch.nn.LogSoftmax",
        SB + "nnet.dropout.Dropout2d",
        SB + "nnet.activations.Softmax",
        SB + "nnet.activations.Swish",
    }
)


def counting_output(module: Module) -> int | None:
    return recurrent_output_size(module) if isinstance(module, Recurrent) else None


def _features(shape: Shape) -> int:
    product = 1
    for dim in shape[2:]:
        product *= dim
    return product


def _pair(value: Any, name: str) -> tuple[int, int]:
    sizes = _int_list(value)
    if len(sizes) == 1:
        return sizes[0], sizes[0]
    if len(sizes) != 2:
        raise Unresolved(f"{name} {value!r} is not one or two sizes")
    return sizes[0], sizes[1]


def _layernorm(shape: Shape, affine: bool) -> tuple[Module, Shape]:
    """nnet/normalization.py LayerNorm: torch LayerNorm over input_shape[2:] (weight and bias)."""
    dims = "x".join(str(d) for d in shape[2:])
    params = 2 * _features(shape) if affine else 0
    return Fixed(params, f"LayerNorm 2x{dims} = {params:,}" if affine else "LayerNorm without affine", None), shape


def _batchnorm(shape: Shape, affine: bool, skip_transpose: bool = False) -> tuple[Module, Shape]:
    """nnet/normalization.py BatchNorm1d / BatchNorm2d: input_shape[-1] channels (weight and bias)."""
    channels = shape[1] if skip_transpose else shape[-1]
    params = 2 * channels if affine else 0
    return Fixed(params, f"BatchNorm 2x{channels} = {params:,}", None), shape


def _conv2d(
    shape: Shape, out: int, kernel: tuple[int, int], dilation: tuple[int, int], padding: str, groups: int, bias: bool
) -> tuple[Module, Shape]:
    """nnet/CNN.py Conv2d: 3-d input gets one channel, 4-d input has input_shape[3]; (time, freq, channels) out."""
    if len(shape) == 3:
        channels, freq = 1, shape[2]
    elif len(shape) == 4:
        channels, freq = shape[3], shape[2]
    else:
        raise Unresolved(f"Conv2d expects a 3-d or 4-d input, got {len(shape)}-d")
    if channels % groups:
        raise Unresolved(f"{channels} input channels are not divisible into {groups} groups")
    if padding == "same":
        if kernel[0] % 2 == 0 or kernel[1] % 2 == 0:
            raise Unresolved(f"SpeechBrain refuses an even kernel {kernel} with 'same' padding")
    elif padding == "valid":
        # The kernel's first size runs over the frequency axis (the input is transposed to B, C, F, T).
        freq = freq - dilation[0] * (kernel[0] - 1)
    else:
        raise Unresolved(f"padding {padding!r} is not followed")
    params = out * (channels // groups) * kernel[0] * kernel[1] + (out if bias else 0)
    formula = f"Conv2d {out}x{channels // groups}x{kernel[0]}x{kernel[1]}{f' + {out}' if bias else ''} = {params:,}"
    # A single output channel of a 3-d input is squeezed away again (Conv2d.forward).
    out_shape: Shape = (shape[0], shape[1], freq) if len(shape) == 3 and out == 1 else (shape[0], shape[1], freq, out)
    return Fixed(params, formula, None), out_shape


def _pool(shape: Shape, axis: int, kernel: int, stride: int, padding: int, dilation: int, ceil: bool) -> Shape:
    """nnet/pooling.py Pooling1d/2d: torch max/avg pooling along ``axis`` (no parameters)."""
    if axis < 1 or axis >= len(shape):
        raise Unresolved(f"pool_axis {axis} is outside a {len(shape)}-d input")
    span = shape[axis] + 2 * padding - dilation * (kernel - 1) - 1
    size = -(-span // stride) + 1 if ceil else span // stride + 1
    return (*shape[:axis], size, *shape[axis + 1 :])


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
        self.omitted: list[Omission] = []
        self._override_used = False
        self.by_args: dict[int, _Object] = {}
        self.consumed: set[int] = set()

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

    def size(self, obj: _Object, key: str, default: int | None = None, *, counts: bool = True) -> int:
        value = self.arg(obj, key, default, counts=counts)
        if value is None:
            raise Unresolved(f"{key} is missing")
        try:
            return _size(value)
        except Unresolved as exc:
            raise Unresolved(f"{key}: {exc}") from exc

    def flag(self, obj: _Object, key: str, default: bool, *, counts: bool = False) -> bool:
        return as_bool(self.arg(obj, key, default, counts=counts), default, strings=YES_ELSE_FALSE, others="truthy")

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
                f"{self.name(obj)}: input size unknown ({reason}); state `input_size:` or set `{override()}`",
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
            # Only speechbrain.nnet.RNN.LSTM/GRU/RNN pass `dropout` to the torch module (RNN203's premise);
            # the cells and the lobes apply their own dropout layers.
            if key == "dropout" and type_name not in RNN_MODULES.values():
                continue
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
        self.omit(obj, f"{self.name(obj)}: the {attn_type} attention module is not counted")

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

    # -- shape-inferred containers (nnet/containers.py Sequential, lobes/models/CRDNN.py)

    def shape_of(self, obj: _Object) -> Shape:
        """The object's ``input_shape`` (or ``[_, _, input_size]``), null batch/time as SpeechBrain's dummy."""
        if "input_shape" in obj.args:
            raw = self.resolver.value(obj.args["input_shape"])
            if not isinstance(raw, list) or len(raw) < 3:
                raise Unresolved(f"input_shape {raw!r} has no feature dimension")
            dims: list[int] = []
            for index, dim in enumerate(raw):
                dim = self.resolver.value(dim)
                if dim is None and index < 2:
                    dims.append(1 if index == 0 else 256)
                elif dim is None:
                    raise Unresolved("a feature dimension of input_shape is null")
                else:
                    dims.append(_size(dim))
            return tuple(dims)
        if "input_size" in obj.args:
            return (1, 256, _size(self.resolver.value(obj.args["input_size"])))
        raise Unresolved("neither input_shape nor input_size is stated")

    def omit(self, obj: _Object, message: str) -> None:
        self.omitted.append(Omission(message, self.span(obj)))

    def sequential(self, obj: _Object) -> None:
        try:
            shape: Shape | None = self.shape_of(obj)
        except Unresolved as exc:
            shape = None
            reason = str(exc)
        entries = [(k, v) for k, v in obj.args.items() if k != "input_shape"]
        if shape is None and any(isinstance(v, Tagged) and v.tag.startswith("!name:") for _, v in entries):
            self.omit(obj, f"{self.name(obj)} (Sequential): its layers are not counted ({reason})")
            return
        self.chain(obj, entries, shape)

    def chain(self, obj: _Object, entries: list[tuple[str, Any]], shape: Shape | None) -> Shape | None:
        """A Sequential's entries in order; the shape after them (None once it is lost)."""
        lost_at = ""
        for key, raw in entries:
            value = self.resolver.value(raw) if not isinstance(raw, Tagged) or raw.tag == "!ref" else raw
            if not isinstance(value, Tagged):
                continue
            tag = value.tag
            cls = tag.split(":", 1)[1] if ":" in tag else tag
            child = _Object(cls, value.value if isinstance(value.value, dict) else {}, (*obj.path, key))
            short = cls.rsplit(".", 1)[-1]
            if tag.startswith("!name:"):
                if shape is None:
                    self.omit(child, f"{self.name(child)} ({short}) is not counted: its input shape follows {lost_at}")
                    continue
                try:
                    shape = self.shaped(child, shape)
                except Unresolved as exc:
                    self.omit(child, f"{self.name(child)} ({short}) is not counted: {exc}")
                    shape, lost_at = None, self.name(child)
            elif tag.startswith("!new:") and cls not in PARAM_FREE:
                # An instance is added as it is (and counted where it is declared); its output shape
                # is followed for the classes whose output size the file states.
                # (an instance rnnlint does not count is an omission where it is declared).
                shape = self.instance_shape(child, shape)
                if shape is None:
                    lost_at = self.name(child)
        return shape

    def instance_shape(self, obj: _Object, shape: Shape | None) -> Shape | None:
        with contextlib.suppress(Unresolved):
            # Pooling takes no input_shape: it is only ever an instance (CRDNN.py CNN_Block appends one).
            if obj.cls in (SB + "nnet.pooling.Pooling1d", SB + "nnet.pooling.Pooling2d") and shape is not None:
                return self.pooling(obj, shape)
            if obj.cls == SB + "nnet.linear.Linear" and shape is not None:
                return (*shape[:-1], self.size(obj, "n_neurons"))
            if obj.cls.startswith(RNN_PREFIX) and obj.cls.rsplit(".", 1)[-1] in RNN_MODULES and shape is not None:
                directions = 2 if self.flag(obj, "bidirectional", False) else 1
                return (shape[0], shape[1], self.size(obj, "hidden_size") * directions)
        return None

    def shaped(self, obj: _Object, shape: Shape) -> Shape:
        """Builds one class entry of a Sequential with ``input_shape=shape``; returns its output shape."""
        cls = obj.cls
        short = cls.rsplit(".", 1)[-1]
        module: Module
        if cls == SB + "nnet.containers.Sequential":
            entries = [(k, v) for k, v in obj.args.items() if k != "input_shape"]
            out = self.chain(obj, entries, shape)
            if out is None:
                raise Unresolved("the shape after its layers is not followed")
            return out
        if cls == SB + "lobes.models.CRDNN.CNN_Block":
            kernel = _pair(self.arg(obj, "kernel_size", [3, 3]), "kernel_size")
            module, out = self.cnn_block(
                shape,
                self.size(obj, "channels"),
                kernel,
                self.flag(obj, "using_2d_pool", False),
                self.size(obj, "pooling_size", 2),
            )
            self.add(obj, "cnn_block", module)
            return out
        if cls == SB + "lobes.models.CRDNN.DNN_Block":
            module, out = self.dnn_block(shape, self.size(obj, "neurons"))
            self.add(obj, "dnn_block", module)
            return out
        if cls == SB + "nnet.linear.Linear":
            combine = self.flag(obj, "combine_dims", False)
            width = shape[2] * shape[3] if combine and len(shape) == 4 else shape[-1]
            if "input_size" in obj.args:
                width = self.size(obj, "input_size")
            n = self.size(obj, "n_neurons")
            self.add(obj, "linear", Linear(width, n, self.flag(obj, "bias", True)))
            return (*shape[:-1], n) if not (combine and len(shape) == 4) else (shape[0], shape[1], n)
        if cls == SB + "nnet.normalization.LayerNorm":
            if "input_size" in obj.args:
                raise Unresolved("input_size and input_shape are both given")
            module, out = _layernorm(shape, self.flag(obj, "elementwise_affine", True))
            self.add(obj, "layernorm", module)
            return out
        if cls in (SB + "nnet.normalization.BatchNorm1d", SB + "nnet.normalization.BatchNorm2d"):
            skip = cls.endswith("1d") and self.flag(obj, "skip_transpose", False)
            module, out = _batchnorm(shape, self.flag(obj, "affine", True), skip)
            self.add(obj, short.lower(), module)
            return out
        if cls == SB + "nnet.CNN.Conv2d":
            if self.flag(obj, "swap", False) or self.flag(obj, "skip_transpose", False) or "in_channels" in obj.args:
                raise Unresolved("swap / skip_transpose / in_channels are not followed")
            if _pair(self.arg(obj, "stride", 1, counts=False), "stride") != (1, 1):
                raise Unresolved("a strided Conv2d's output shape is not followed")
            module, out = _conv2d(
                shape,
                self.size(obj, "out_channels"),
                _pair(self.arg(obj, "kernel_size"), "kernel_size"),
                _pair(self.arg(obj, "dilation", 1, counts=False), "dilation"),
                str(self.arg(obj, "padding", "same", counts=False)),
                self.size(obj, "groups", 1, counts=False),
                self.flag(obj, "bias", True),
            )
            if self.flag(obj, "weight_norm", False):
                raise Unresolved("weight_norm Conv2d is not followed")
            self.add(obj, "conv2d", module)
            return out
        if cls == SB + "nnet.CNN.Conv1d":
            if len(shape) != 3 or self.flag(obj, "skip_transpose", False) or "in_channels" in obj.args:
                raise Unresolved("Conv1d on this input is not followed")
            if self.flag(obj, "weight_norm", False):
                raise Unresolved("weight_norm Conv1d is not followed")
            out_ch = self.size(obj, "out_channels")
            width = self.size(obj, "kernel_size")
            groups = self.size(obj, "groups", 1, counts=False)
            bias = self.flag(obj, "bias", True)
            params = out_ch * (shape[2] // groups) * width + (out_ch if bias else 0)
            formula = f"Conv1d {out_ch}x{shape[2] // groups}x{width}{f' + {out_ch}' if bias else ''} = {params:,}"
            self.add(obj, "conv1d", Fixed(params, formula, out_ch))
            # Only the channel count is followed: the time axis does not size any later layer.
            return (shape[0], shape[1], out_ch)
        if cls.startswith(RNN_PREFIX) and short in RNN_MODULES:
            kind = RNN_MODULES[short]
            hidden = self.size(obj, "hidden_size")
            bidirectional = self.flag(obj, "bidirectional", False, counts=True)
            module = Recurrent(
                kind,
                hidden,
                self.size(obj, "input_size") if "input_size" in obj.args else _features(shape),
                num_layers=self.size(obj, "num_layers", 1),
                bidirectional=bidirectional,
                bias=self.flag(obj, "bias", True),
            )
            self.add(obj, kind, module)
            return (shape[0], shape[1], hidden * (2 if bidirectional else 1))
        raise Unresolved(f"rnnlint does not size {cls}")

    def pooling(self, obj: _Object, shape: Shape) -> Shape:
        kernel = _pair(self.arg(obj, "kernel_size", counts=False), "kernel_size")
        if obj.cls.endswith("1d"):
            axis = self.size(obj, "pool_axis", 1, counts=False)
            stride = self.arg(obj, "stride", None, counts=False)
            return _pool(
                shape,
                axis,
                kernel[0],
                _size(stride) if stride is not None else kernel[0],
                self.size(obj, "padding", 0, counts=False),
                self.size(obj, "dilation", 1, counts=False),
                self.flag(obj, "ceil_mode", False),
            )
        axes = _pair(self.arg(obj, "pool_axis", [1, 2], counts=False), "pool_axis")
        out = shape
        for axis, size in zip(axes, kernel, strict=True):
            out = _pool(out, axis, size, size, 0, 1, False)
        return out

    def cnn_block(
        self, shape: Shape, channels: int, kernel: tuple[int, int], pool_2d: bool, pooling: int
    ) -> tuple[Module, Shape]:
        """lobes/models/CRDNN.py CNN_Block: (Conv2d + LayerNorm) x 2, then frequency (or 2-d) pooling."""
        conv1, shape = _conv2d(shape, channels, kernel, (1, 1), "same", 1, True)
        norm1, shape = _layernorm(shape, True)
        conv2, shape = _conv2d(shape, channels, kernel, (1, 1), "same", 1, True)
        norm2, shape = _layernorm(shape, True)
        if len(shape) != 4:
            raise Unresolved("CNN_Block's pooling expects a 4-d output")
        shape = _pool(shape, 2, pooling, pooling, 0, 1, False)
        if pool_2d:
            shape = _pool(shape, 1, pooling, pooling, 0, 1, False)
        return Composite((conv1, norm1, conv2, norm2), output_size=_features(shape)), shape

    def dnn_block(self, shape: Shape, neurons: int) -> tuple[Module, Shape]:
        """lobes/models/CRDNN.py DNN_Block: Linear(input_shape[-1] -> neurons) + BatchNorm1d(neurons)."""
        norm, _ = _batchnorm((*shape[:-1], neurons), True)
        return Composite((Linear(shape[-1], neurons), norm), output_size=neurons), (*shape[:-1], neurons)

    def crdnn(self, obj: _Object) -> None:
        """lobes/models/CRDNN.py CRDNN.__init__: CNN blocks, [time pooling], [projection], RNN, DNN blocks."""
        cls = self.rnn_class(obj, "rnn_class", "LiGRU")
        layers = self.size(obj, "rnn_layers", 4)
        neurons = self.size(obj, "rnn_neurons", 512)
        bidirectional = self.flag(obj, "rnn_bidirectional", True, counts=True)
        blocks = self.size(obj, "cnn_blocks", 2)
        dnn_blocks = self.size(obj, "dnn_blocks", 2)
        dnn = self.size(obj, "dnn_neurons", 512) if dnn_blocks or (layers and self.flag(obj, "use_rnnp", False)) else 0
        projection = self.arg(obj, "projection_dim", -1, counts=False)
        shape: Shape | None
        try:
            shape = self.shape_of(obj)
        except Unresolved as exc:
            shape = None
            self.unknown_input(obj, str(exc))
            if blocks or projection != -1:
                message = "the CRDNN's CNN blocks / projection are not counted (input size unknown)"
                self.omit(obj, f"{self.name(obj)}: {message}")
        if shape is not None and blocks:
            channels = _int_list(self.arg(obj, "cnn_channels", [128, 256]))
            pooling = _int_list(self.arg(obj, "inter_layer_pooling_size", [2, 2]))
            kernel = _pair(self.arg(obj, "cnn_kernelsize", (3, 3)), "cnn_kernelsize")
            pool_2d = self.flag(obj, "using_2d_pooling", False)
            if len(channels) < blocks or len(pooling) < blocks:
                raise Unresolved("cnn_channels / inter_layer_pooling_size have fewer entries than cnn_blocks")
            for index in range(blocks):
                module, shape = self.cnn_block(shape, channels[index], kernel, pool_2d, pooling[index])
                self.add(obj, "cnn_block", module, f".CNN.block_{index}")
        if shape is not None and self.flag(obj, "time_pooling", False):
            size = self.size(obj, "time_pooling_size", 2)
            shape = _pool(shape, 1, size, size, 0, 1, False)
        if isinstance(projection, int) and not isinstance(projection, bool) and projection != -1:
            if shape is not None:
                width = shape[2] * shape[3] if len(shape) == 4 else shape[-1]
                self.add(obj, "linear", Linear(width, projection), ".projection.linear")
                norm = Fixed(2 * projection, f"LayerNorm 2x{projection} = {2 * projection:,}")
                self.add(obj, "layernorm", norm, ".projection.norm")
            shape = (1, 256, projection)
        rnn_input = _features(shape) if shape is not None else None
        width = neurons * (2 if bidirectional else 1)
        if layers:
            if cls not in RNN_MODULES:
                self.add(obj, cls, Unknown(cls, "a SpeechBrain custom recurrent cell (CRDNN rnn_class)"), ".RNN")
            elif self.flag(obj, "use_rnnp", False):
                kind = RNN_MODULES[cls]
                parts: list[Module] = []
                step = rnn_input
                for _ in range(layers):
                    parts.append(Recurrent(kind, neurons, step, bidirectional=bidirectional))
                    parts.append(Linear(width, dnn))
                    step = dnn
                self.add(obj, kind, Composite(tuple(parts), output_size=dnn), ".RNN")
                width = dnn
            else:
                kind = RNN_MODULES[cls]
                module = Recurrent(kind, neurons, rnn_input, num_layers=layers, bidirectional=bidirectional)
                self.add(obj, kind, module, ".RNN")
        elif rnn_input is not None:
            width = rnn_input
        else:
            if dnn_blocks:
                self.omit(obj, f"{self.name(obj)}: the CRDNN's DNN blocks are not counted (input size unknown)")
            return
        for index in range(dnn_blocks):
            module, _ = self.dnn_block((1, 256, width), dnn)
            self.add(obj, "dnn_block", module, f".DNN.block_{index}")
            width = dnn

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

    # -- separators (lobes/models/dual_path.py, lobes/models/resepformer.py)

    def template(self, obj: _Object, key: str) -> _Object | None:
        """The ``!new:`` object an argument refers to (a separator deep-copies it per block)."""
        value = self.resolver.value(obj.args.get(key))
        if isinstance(value, Tagged) and value.tag.startswith("!new:") and isinstance(value.value, dict):
            return self.by_args.get(id(value.value)) or _Object(value.tag[len("!new:") :], value.value, obj.path)
        return None

    def conv_encoder(self, obj: _Object) -> None:
        """dual_path.py Encoder: Conv1d(in_channels 1, out_channels 64, kernel_size 2, bias=False)."""
        out = self.size(obj, "out_channels", 64)
        channels = self.size(obj, "in_channels", 1, counts=False)
        kernel = self.size(obj, "kernel_size", 2)
        params = out * channels * kernel
        self.add(obj, "conv1d", Fixed(params, f"Conv1d {out}x{channels}x{kernel} = {params:,}", out))

    def conv_decoder(self, obj: _Object) -> None:
        """dual_path.py Decoder: a torch ConvTranspose1d(in_channels, out_channels, kernel_size, bias=True)."""
        channels = self.size(obj, "in_channels")
        out = self.size(obj, "out_channels")
        kernel = self.size(obj, "kernel_size")
        groups = self.size(obj, "groups", 1, counts=False)
        bias = self.flag(obj, "bias", True)
        params = channels * (out // groups) * kernel + (out if bias else 0)
        formula = f"ConvTranspose1d {channels}x{out // groups}x{kernel}{f' + {out}' if bias else ''} = {params:,}"
        self.add(obj, "conv_transpose1d", Fixed(params, formula, out))

    def rnn_block(self, block: _Object, resepformer: bool) -> tuple[Recurrent | None, int, int]:
        """SBRNNBlock (dual_path.py / resepformer.py): an nnet.RNN ``rnn_type`` module [+ Linear(out, outsize)].

        Returns the recurrent module (None for a custom cell), its hidden size and the Linear's parameters."""
        rnn_type = str(self.arg(block, "rnn_type", "LSTM", counts=False))
        hidden = self.size(block, "hidden_channels")
        bidirectional = self.flag(block, "bidirectional", True)
        input_size = self.size(block, "input_size")
        linear = 0
        if resepformer:
            width = hidden * (2 if bidirectional else 1)
            linear = width * self.size(block, "outsize") + self.size(block, "outsize")
        if rnn_type not in RNN_MODULES:
            return None, hidden, linear
        layers = self.size(block, "num_layers")
        module = Recurrent(RNN_MODULES[rnn_type], hidden, input_size, num_layers=layers, bidirectional=bidirectional)
        return module, hidden, linear

    def copies(self, owner: _Object, suffix: str, template: _Object, module: Module, count: int) -> None:
        """``count`` deep copies of one recurrent template, listed once at the template's position."""
        parts = (module,) * count
        built = parts[0] if count == 1 else Composite(parts, output_size=counting_output(module))
        spans = {k: self.doc.locator.key((*template.path, k)) for k in LOCATED_OPTIONS if k in template.args}
        options: dict[str, Any] = {}
        with contextlib.suppress(Unresolved):
            dropout = as_number(self.resolver.value(template.args.get("dropout")))
            if dropout is not None:
                options["dropout"] = dropout
        kind = module.kind if isinstance(module, Recurrent) else "lstm"
        self.layers.append(
            LayerSpec(
                name=f"{self.name(owner)}{suffix}",
                type=f"{kind} x {count}" if count > 1 else kind,
                span=self.span(template),
                module=built,
                options=options,
                option_spans=spans,
            )
        )

    def dual_path(self, obj: _Object) -> None:
        """dual_path.py Dual_Path_Model: its own convolutions and norms, plus num_layers deep copies of
        Dual_Computation_Block(intra_model, inter_model) with their norms and Linear layers."""
        channels = self.size(obj, "in_channels")
        out = self.size(obj, "out_channels")
        blocks = self.size(obj, "num_layers", 1)
        speakers = self.size(obj, "num_spks", 2)
        norm = self.arg(obj, "norm", "ln", counts=False)
        linear_after = self.flag(obj, "linear_layer_after_inter_intra", True)
        # select_norm: every choice (gln, cln, ln as GroupNorm, else BatchNorm1d) keeps a weight and a bias.
        own = 2 * channels + channels * out  # norm, conv1d (no bias)
        own += out * out * speakers + out * speakers  # conv2d 1x1
        own += out * channels + 1  # end_conv1x1 (no bias), PReLU
        own += 2 * (out * out + out)  # output and output_gate Conv1d 1x1
        per_block = 2 * 2 * out if norm is not None else 0
        intra_hidden: int | None = None
        for key in ("intra_model", "inter_model"):
            template = self.template(obj, key)
            short = template.cls.rsplit(".", 1)[-1] if template else "?"
            if template is not None and template.cls == SB + "lobes.models.dual_path.SBRNNBlock":
                module, hidden, _ = self.rnn_block(template, resepformer=False)
                if key == "intra_model":
                    intra_hidden = hidden
                if module is None:
                    self.omit(
                        template, f"{self.name(obj)}: its {key} ({short}, a custom cell) x {blocks} is not counted"
                    )
                else:
                    self.copies(obj, f".{key}", template, module, blocks)
                    self.consumed.add(id(template.args))
            else:
                self.omit(obj, f"{self.name(obj)}: its {key} ({short}) x {blocks} is not counted")
            if linear_after:
                # Dual_Computation_Block sizes both Linears from the intra model when it is an SBRNNBlock:
                # input 2 x its hidden size (bidirectional or not), else out_channels.
                width = out
                if template is not None and template.cls == SB + "lobes.models.dual_path.SBRNNBlock":
                    width = 2 * intra_hidden if intra_hidden is not None else out
                per_block += width * out + out
        params = own + blocks * per_block
        formula = (
            f"convolutions, norms and PReLU {own:,} + {blocks} x {per_block:,} (block norms, Linears) = {params:,}"
        )
        self.add(obj, "dual_path", Fixed(params, formula, channels))

    def skim(self, obj: _Object) -> None:
        """resepformer.py ResourceEfficientSeparator (SkiM): ``layer`` deep copies of seg_model and
        ``layer - 1`` of mem_model (when mem_type is set), and output_fc = PReLU + Conv1d(dim, dim x spk)."""
        dim = self.size(obj, "input_dim")
        blocks = self.size(obj, "layer", 3)
        speakers = self.size(obj, "num_spk", 2)
        mem_type = self.arg(obj, "mem_type", "hc", counts=False)
        own = 1 + dim * dim * speakers + dim * speakers
        seg = self.template(obj, "seg_model")
        if seg is not None and seg.cls == SB + "lobes.models.resepformer.SegLSTM":
            hidden = self.size(seg, "hidden_size")
            size = self.size(seg, "input_size")
            bidirectional = self.flag(seg, "bidirectional", False, counts=True)
            width = hidden * (2 if bidirectional else 1)
            # SegLSTM: nn.LSTM(input, hidden, 1) (its dropout is a Dropout layer after it), proj, norm.
            self.copies(obj, ".seg_model", seg, Recurrent("lstm", hidden, size, bidirectional=bidirectional), blocks)
            self.layers[-1] = self.layers[-1]._replace(options={})
            own += blocks * (width * size + size + 2 * size)
            self.consumed.add(id(seg.args))
        else:
            short = seg.cls.rsplit(".", 1)[-1] if seg else "none"
            self.omit(obj, f"{self.name(obj)}: its seg_model ({short}) x {blocks} is not counted")
        mem = self.template(obj, "mem_model")
        if mem_type is not None and blocks > 1:
            if mem is not None and mem.cls == SB + "lobes.models.resepformer.MemLSTM":
                hidden = self.size(mem, "hidden_size")
                bidirectional = self.flag(mem, "bidirectional", False, counts=True)
                width = hidden * (2 if bidirectional else 1)
                own_type = self.arg(mem, "mem_type", "hc", counts=False)
                nets = {"hc": 2, "h": 1, "c": 1}.get(str(own_type), 0)
                if nets:
                    # MemLSTM: per h/c net an SBRNNBlock (LSTM(width, hidden), Linear(width, width)) and a norm.
                    lstm = Recurrent("lstm", hidden, width, bidirectional=bidirectional)
                    self.copies(obj, ".mem_model", mem, lstm, nets * (blocks - 1))
                    own += nets * (blocks - 1) * (width * width + width + 2 * width)
                self.consumed.add(id(mem.args))
            elif mem is not None:
                short = mem.cls.rsplit(".", 1)[-1]
                self.omit(obj, f"{self.name(obj)}: its mem_model ({short}) x {blocks - 1} is not counted")
        self.add(obj, "skim", Fixed(own, f"projections, norms and output_fc = {own:,}", dim * speakers))

    def build(self, obj: _Object) -> bool:
        """Counts one ``!new:`` object; False when its class is not one rnnlint counts."""
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
            elif cls in (SB + "nnet.containers.Sequential", SB + "nnet.containers.LengthsCapableSequential"):
                self.sequential(obj)
            elif cls == SB + "lobes.models.dual_path.Encoder":
                self.conv_encoder(obj)
            elif cls == SB + "lobes.models.dual_path.Decoder":
                self.conv_decoder(obj)
            elif cls == SB + "lobes.models.dual_path.Dual_Path_Model":
                self.dual_path(obj)
            elif cls == SB + "lobes.models.resepformer.ResourceEfficientSeparator":
                self.skim(obj)
            elif cls == "speechbrain.nnet.linear.Linear":
                self.linear(obj)
            elif cls == "speechbrain.nnet.embedding.Embedding":
                self.embedding(obj)
            else:
                return False
        except Unresolved as exc:
            if cls.startswith(RNN_PREFIX) or cls.startswith("speechbrain.lobes.models."):
                self.add(obj, short, Unknown(short, f"cannot resolve its sizes: {exc}"))
            else:
                self.omit(obj, f"{self.name(obj)} ({short}) is not counted: {exc}")
        return True


# Containers of instances (their entries are counted where they are declared).
CONTAINERS = frozenset(
    {"torch.nn.ModuleList", "torch.nn.ModuleDict", "torch.nn.Sequential", SB + "nnet.containers.ModuleList"}
)


def _model_class(cls: str) -> bool:
    """A class that builds part of a model (not a loss, scheduler, augmenter, data or utility object)."""
    if cls in PARAM_FREE or cls in CONTAINERS or cls.endswith("Loss"):
        return False
    if cls.startswith(("speechbrain.nnet.schedulers", "speechbrain.nnet.losses", "speechbrain.nnet.pooling.")):
        return cls.endswith("AttentionPooling")
    return cls.startswith(("speechbrain.lobes.models.", "speechbrain.nnet.", "torch.nn."))


# Blocks a separator deep-copies (its templates): counted inside the separator, once per copy.
TEMPLATES = frozenset(
    {
        SB + "lobes.models.dual_path.SBRNNBlock",
        SB + "lobes.models.resepformer.SegLSTM",
        SB + "lobes.models.resepformer.MemLSTM",
    }
)


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    builder = _Builder(doc, options)
    objects = _objects(doc.data)
    builder.by_args = {id(obj.args): obj for obj in objects}
    for obj in objects:
        if obj.cls not in TEMPLATES and not builder.build(obj) and _model_class(obj.cls):
            builder.omit(obj, f"{builder.name(obj)} ({obj.cls.rsplit('.', 1)[-1]}) is not counted")
    for obj in objects:
        # A template no separator takes is still built on its own (and is then not copied).
        if obj.cls in TEMPLATES and id(obj.args) not in builder.consumed:
            builder.omit(obj, f"{builder.name(obj)} ({obj.cls.rsplit('.', 1)[-1]}) is not counted on its own")
    layers = tuple(builder.layers)
    assumptions = tuple(builder.assumptions)
    omitted = tuple(builder.omitted)
    if not any(counting.is_recurrent(layer.module) or isinstance(layer.module, Unknown) for layer in layers):
        # No recurrent layer: one note for the whole model (conventions: rnnlint counts recurrent models).
        built = dict.fromkeys(o.cls.rsplit(".", 1)[-1] for o in objects if _model_class(o.cls))
        shown = f" ({', '.join(built)})" if built else ""
        layers, assumptions = (), ()
        omitted = (Omission(f"the model{shown}: rnnlint counts recurrent models only", Span(1, 1)),)
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=layers,
            span=Span(1, 1),
            assumptions=assumptions,
            omitted=omitted,
        )
    )
