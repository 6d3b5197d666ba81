"""The normalized model every dialect adapts to.

Dialects turn a parsed document into a :class:`ModelConfig`: an ordered tuple of
:class:`LayerSpec` entries, each holding a *module spec* (what the framework builds,
with every size resolved as far as the file allows) and the source position that
declares it. Counting and rules only ever see these types.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

Framework = Literal["pytorch", "keras", "onnx"]
RecurrentKind = Literal["lstm", "gru", "rnn"]

FRAMEWORKS: tuple[str, ...] = ("pytorch", "keras", "onnx")

# The records are NamedTuples: immutable, typed, and several times cheaper to create than frozen
# dataclasses (a file builds dozens of them; importing dataclasses alone costs start-up time).
# A shared read-only default for mapping fields.
NO_OPTIONS: Mapping[str, Any] = MappingProxyType({})


class Span(NamedTuple):
    """A 1-based source position (end is optional and inclusive of the last character)."""

    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None


UNKNOWN_SPAN = Span(1, 1)


class Recurrent(NamedTuple):
    """A recurrent module as one framework constructs it.

    ``num_layers`` stacked layers, each with ``2 if bidirectional else 1`` directions.
    ``cell`` marks the single-step cells (LSTMCell, GRUCell, RNNCell): one layer, one
    direction. For Keras, ``num_layers`` means that many stacked Keras layers (each wrapped
    in ``Bidirectional(merge_mode='concat')`` when bidirectional); for ONNX that many ops.
    """

    kind: RecurrentKind
    hidden_size: int
    input_size: int | None
    framework: Framework = "pytorch"
    num_layers: int = 1
    bidirectional: bool = False
    bias: bool = True
    proj_size: int = 0
    cell: bool = False
    # Keras GRU only: reset_after=True keeps two bias vectors.
    reset_after: bool = True
    # Keras CuDNNLSTM / CuDNNGRU keep cuDNN's two bias vectors.
    cudnn: bool = False
    # ONNX LSTM only: the optional peephole tensor P (3 x hidden per direction).
    peepholes: bool = False
    # Keras Bidirectional merge mode; only "concat" doubles the output size.
    merge_mode: str = "concat"


class Embedding(NamedTuple):
    num_embeddings: int
    embedding_dim: int


class Linear(NamedTuple):
    """A fully connected layer (torch nn.Linear, Keras Dense)."""

    in_features: int | None
    out_features: int
    bias: bool = True


class Fixed(NamedTuple):
    """A part whose count a dialect derived itself (e.g. a Keras ConvLSTM2D)."""

    params: int
    formula: str
    output_size: int | None = None
    # True for a recurrent module the dialect counted itself (e.g. AllenNLP's highway LSTM), so it is
    # listed and totalled with the recurrent layers.
    recurrent: bool = False
    # How many of ``params`` the framework keeps but does not train (Keras BatchNormalization's moving
    # mean and variance: count_params() includes them).
    non_trainable: int = 0


class Passthrough(NamedTuple):
    """A parameter-free layer (dropout, masking, ...): output size equals input size."""

    input_size: int | None = None


class Unknown(NamedTuple):
    """A layer rnnlint cannot count; the model total becomes a lower bound."""

    type_name: str
    reason: str = ""


class Composite(NamedTuple):
    """Several parts that one config entry builds (e.g. ESPnet's RNNP stack)."""

    parts: tuple[Module, ...]
    output_size: int | None = None


Module = Recurrent | Embedding | Linear | Fixed | Passthrough | Unknown | Composite


class LayerSpec(NamedTuple):
    """One entry of the model as the config declares it."""

    name: str
    type: str
    span: Span
    module: Module
    # Options the rules read (dropout, activation, recurrent_dropout, ...), as written.
    options: Mapping[str, Any] = NO_OPTIONS
    # The input size the file itself states for this entry, with its position (RNN201).
    declared_input_size: int | None = None
    declared_input_span: Span | None = None
    # The input size the previous entry produces, where the dialect knows it.
    expected_input_size: int | None = None
    # Position of specific option keys (e.g. proj_size) for precise diagnostics.
    option_spans: Mapping[str, Span] = NO_OPTIONS
    # False when the file freezes the layer (Keras ``trainable: false``): all its parameters are non-trainable.
    trainable: bool = True


class Assumption(NamedTuple):
    """A value that is not in the file: what was assumed and how to state it."""

    message: str
    span: Span


class Omission(NamedTuple):
    """A part of the model the toolkit builds that rnnlint does not count (attention, embeddings, a CNN
    front end, ...). Any omission makes the total a lower bound; the RNN106 note names each one."""

    # What is left out and why, e.g. "the attention layer (its size is not read)".
    message: str
    span: Span


class SourcedValue(NamedTuple):
    """A figure together with where it was declared (for messages)."""

    value: float
    source: str
    span: Span | None = None


class ModelConfig(NamedTuple):
    dialect: str
    framework: Framework | None
    layers: tuple[LayerSpec, ...]
    span: Span
    name: str | None = None
    assumptions: tuple[Assumption, ...] = ()
    # Parts the toolkit builds that are not in ``layers``: the total leaves them out (never complete).
    omitted: tuple[Omission, ...] = ()
    # Figures declared in the file (native dialect, pragmas); settings may add more.
    train_examples: SourcedValue | None = None
    tokens: SourcedValue | None = None
    limits: Mapping[str, SourcedValue] = NO_OPTIONS
