"""A hand-written check of the native schema: the verdict of jsonschema, without its cost.

Walking ``src/rnnlint/schemas/rnnlint-config.schema.json`` with its ``$ref``/``allOf``/``if`` machinery costs
more per file than parsing it. Most files are valid, and a valid file needs no messages, so
:func:`valid` decides validity directly; only a file it rejects goes to the schema interpreter
(``rnnlint.dialects.native.schema.validate``), which writes the messages. ``valid(data)`` is True exactly when
jsonschema reports no error for ``data`` (tests/test_fastcheck.py checks this with random
near-valid configs), for any value PyYAML, json or Jsonnet can produce.

When the schema changes, this module changes with it: the property test fails until it does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from rnnlint.parse.loader import Document, YamlLocator

Check = Callable[[Any], bool]


# The schema's types, as rnnlint's validator defines them ("integer" excludes booleans and 256.0).
def _integer(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _string(v: Any) -> bool:
    return isinstance(v, str)


def _boolean(v: Any) -> bool:
    return isinstance(v, bool)


# $defs, with jsonschema's comparisons (``minimum`` fails on ``v < m``: NaN passes, as there).
def _size(v: Any) -> bool:
    return _integer(v) and not v < 1


def _count(v: Any) -> bool:
    return _integer(v) and not v < 0


def _ratio(v: Any) -> bool:
    return _number(v) and not v <= 0


def _fraction(v: Any) -> bool:
    return _number(v) and not v < 0 and not v > 1


def _name(v: Any) -> bool:
    return isinstance(v, str) and len(v) >= 1


def _one_of(*options: str) -> Check:
    return lambda v: isinstance(v, str) and v in options


# Layer kinds: (required keys, property -> check); additionalProperties is false for each.
_RECURRENT: dict[str, Check] = {
    "type": _one_of("lstm", "gru", "rnn"),
    "name": _name,
    "input_size": _size,
    "hidden_size": _size,
    "num_layers": _size,
    "bidirectional": _boolean,
    "bias": _boolean,
    "proj_size": _count,
    "nonlinearity": _one_of("tanh", "relu"),
    "reset_after": _boolean,
    "dropout": _fraction,
    "peepholes": _boolean,
    "activation": _string,
    "recurrent_activation": _string,
    "recurrent_dropout": _fraction,
    "unroll": _boolean,
}
_CELL: dict[str, Check] = {
    "type": _one_of("lstm_cell", "gru_cell", "rnn_cell"),
    "name": _name,
    "input_size": _size,
    "hidden_size": _size,
    "bias": _boolean,
    "nonlinearity": _one_of("tanh", "relu"),
    "reset_after": _boolean,
}
_EMBEDDING: dict[str, Check] = {
    "type": _one_of("embedding"),
    "name": _name,
    "num_embeddings": _size,
    "embedding_dim": _size,
}
_LINEAR: dict[str, Check] = {
    "type": _one_of("linear"),
    "name": _name,
    "in_features": _size,
    "out_features": _size,
    "bias": _boolean,
}
_DROPOUT: dict[str, Check] = {"type": _one_of("dropout"), "name": _name, "p": _fraction}

_KINDS: dict[str, tuple[tuple[str, ...], dict[str, Check]]] = {
    **{t: (("type", "hidden_size"), _RECURRENT) for t in ("lstm", "gru", "rnn")},
    **{t: (("type", "hidden_size"), _CELL) for t in ("lstm_cell", "gru_cell", "rnn_cell")},
    "embedding": (("type", "num_embeddings", "embedding_dim"), _EMBEDDING),
    "linear": (("type", "out_features"), _LINEAR),
    "dropout": (("type",), _DROPOUT),
}


def _object(value: Any, required: tuple[str, ...], properties: dict[str, Check]) -> bool:
    """type: object, required, additionalProperties: false, and each property's schema."""
    if not isinstance(value, dict):
        return False
    for key in required:
        if key not in value:
            return False
    for key, item in value.items():
        check = properties.get(key) if isinstance(key, str) else None
        if check is None or not check(item):
            return False
    return True


def _layer(value: Any) -> bool:
    if not isinstance(value, dict) or "type" not in value:
        return False
    kind = value["type"]
    if not isinstance(kind, str) or not kind:
        return False
    spec = _KINDS.get(kind)
    if spec is None:
        return True  # a type rnnlint does not know: only ``type`` is constrained (RNN205 reports it)
    return _object(value, *spec)


def _layers(value: Any) -> bool:
    return isinstance(value, list) and len(value) >= 1 and all(_layer(item) for item in value)


_MODEL: dict[str, Check] = {"name": _string, "input_size": _size, "layers": _layers}
_DATASET: dict[str, Check] = {"train_examples": _size, "tokens": _size}
_LIMITS: dict[str, Check] = {
    "max_params": _count,
    "max_layer_params": _count,
    "max_params_per_example": _ratio,
    "min_tokens_per_param": _ratio,
}
_TOP: dict[str, Check] = {
    "$schema": _string,
    "framework": _one_of("pytorch", "keras", "onnx"),
    "model": lambda v: _object(v, ("layers",), _MODEL),
    "dataset": lambda v: _object(v, (), _DATASET),
    "limits": lambda v: _object(v, (), _LIMITS),
}


def valid(data: Any) -> bool:
    """Whether ``data`` is valid against the native schema (jsonschema's verdict, exactly)."""
    return _object(data, ("model",), _TOP)


# RNN004 (rnnlint.dialects.native.yaml11) can fire on a schema-valid file: ``010`` is the integer 8 and
# ``1:30`` is 90 in YAML 1.1. Such integers start with 0 (after a separator and a sign) or hold a
# colon between digits. Two plain scans are cheaper than one pattern with a look-behind.
_LEADING_ZERO = re.compile(r"[\s\[,:{?-][-+]?0[0-9_]")
_SEXAGESIMAL = re.compile(r"[0-9]:[0-9]")


def _yaml11_integers(text: str) -> bool:
    return bool(_LEADING_ZERO.search(text) or _SEXAGESIMAL.search(text))


_SAFE_INT = 2**62


# Every property the schema types as a number (rnnlint.dialects.native.yaml11.schema_number_keys of the schema; a test
# keeps the two equal). Written out so that a run does not load the schema file.
NUMBER_KEYS = frozenset(
    {
        "input_size",
        "hidden_size",
        "num_layers",
        "proj_size",
        "dropout",
        "recurrent_dropout",
        "num_embeddings",
        "embedding_dim",
        "in_features",
        "out_features",
        "p",
        "train_examples",
        "tokens",
        "max_params",
        "max_layer_params",
        "max_params_per_example",
        "min_tokens_per_param",
    }
)


def _plain_numbers(data: Any, keys: frozenset[str]) -> bool:
    """Every value under a numeric key anywhere is an ordinary int or a finite float."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys:
                    kind = type(value)
                    if kind is int:
                        if not -_SAFE_INT < value < _SAFE_INT:
                            return False
                    elif kind is not float or not math.isfinite(value):
                        return False
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, (dict, list)))
    return True


def clean(doc: Document, text: str | None) -> bool:
    """True when a native document has neither RNN002 nor RNN004 problems (decided cheaply).

    False means "look closer": jsonschema and the RNN004 check then run as before.
    """
    if not valid(doc.data):
        return False
    if isinstance(doc.locator, YamlLocator) and not doc.plain_integers and (text is None or _yaml11_integers(text)):
        return False  # the builder could not vouch for the integers: scan the text
    return _plain_numbers(doc.data, NUMBER_KEYS)
