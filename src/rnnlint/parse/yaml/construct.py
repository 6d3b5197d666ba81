"""Build a YAML document's data from its composed node tree faster than PyYAML's constructor.

PyYAML's ``SafeConstructor`` is pure Python and generator-based even under ``CSafeLoader``;
on a typical config it costs more than parsing in C. Plain configs use a handful of tags
(map, seq, str, int, float, bool, null), which this module turns into Python values with
the same results as ``SafeConstructor``, by direct calls. Anything else (anchors, merge keys,
application tags, timestamps, duplicate keys, values the constructor rejects) returns
:data:`FALLBACK` and the caller runs PyYAML's own constructor, so the result never differs.
"""

from __future__ import annotations

from typing import Any, Final

import yaml

_MAP: Final = "tag:yaml.org,2002:map"
_SEQ: Final = "tag:yaml.org,2002:seq"
_STR: Final = "tag:yaml.org,2002:str"
_INT: Final = "tag:yaml.org,2002:int"
_FLOAT: Final = "tag:yaml.org,2002:float"
_BOOL: Final = "tag:yaml.org,2002:bool"
_NULL: Final = "tag:yaml.org,2002:null"

# Stateless for scalars: its int and float constructors only read the node.
_CONSTRUCTOR: Final = yaml.constructor.SafeConstructor()
_BOOL_VALUES: Final = yaml.constructor.SafeConstructor.bool_values

FALLBACK: Final = object()


class _Fallback(Exception):
    """Something only PyYAML's full constructor handles."""


class MemoResolver:
    """Mixin for a ``CSafeLoader`` subclass: implicit scalar tags memoized by value.

    libyaml's composer calls the pure-Python resolver for every scalar, which costs about as
    much as the C parsing. Without path resolvers (none are registered for the safe loader)
    an implicit scalar's tag depends on its text alone, and config keys and values repeat.
    """

    _memo: dict[str, str] = {}  # noqa: RUF012  # shared on purpose: the tag of a text never changes

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            tag = self._memo.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[misc]
                if len(value) <= 64 and len(self._memo) < 4096:  # bounded: memory stays flat in the number of files
                    self._memo[value] = tag
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[misc]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        # Path resolvers only (none registered): skip the Python call's work for every node.
        return None

    def ascend_resolver(self) -> None:
        return None


def eligible(text: str) -> bool:
    """Texts without anchors, aliases' targets, merge keys or explicit tags (a cheap superset test)."""
    return "&" not in text and "!" not in text and "<<" not in text


class _Builder:
    """Builds one document; notes whether a number is written in a YAML 1.1-only way."""

    __slots__ = ("unusual_numbers",)

    def __init__(self) -> None:
        # An int not written as plain decimal digits (010 is 8 and 1:30 is 90 in YAML 1.1; also
        # +5, 0x1F, 1_000): the integers rnnlint.dialects.native.yaml11 (RNN004) has to look at as written.
        self.unusual_numbers = False

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        value: str = node.value
        if tag == _STR:
            return value
        if tag == _INT:
            # Plain decimal digits: int() is what construct_yaml_int computes for them.
            if value.isdigit() and (value[0] != "0" or value == "0") and len(value) < 1000:
                return int(value)
            self.unusual_numbers = True
            return _CONSTRUCTOR.construct_yaml_int(node)  # signs, 0x, 0o, 1:30, '_'
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _BOOL_VALUES[value.lower()]
        if tag == _FLOAT:
            return _CONSTRUCTOR.construct_yaml_float(node)
        raise _Fallback

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise _Fallback
            pairs = node.value
            mapping: dict[Any, Any] = {}
            scalar, build = self.scalar, self.build
            for key_node, value_node in pairs:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Fallback  # collection keys: PyYAML's error or tuple keys
                mapping[scalar(key_node)] = build(value_node)
            if len(mapping) != len(pairs):
                raise _Fallback  # duplicate keys: the loader reports them
            return mapping
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise _Fallback
            build = self.build
            return [build(item) for item in node.value]
        raise _Fallback


def construct_noting(root: yaml.Node) -> tuple[Any, bool]:
    """The document's data (or :data:`FALLBACK`), and whether an integer in it is written other
    than as plain decimal digits (unknown, so True, for FALLBACK)."""
    builder = _Builder()
    try:
        return builder.build(root), builder.unusual_numbers
    except (_Fallback, ValueError, TypeError, KeyError, OverflowError, RecursionError):
        return FALLBACK, True


def construct(root: yaml.Node) -> Any:
    """The document's data, or :data:`FALLBACK` when PyYAML's constructor must build it."""
    return construct_noting(root)[0]
