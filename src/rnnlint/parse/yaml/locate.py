"""Source positions in a YAML document, as libyaml's marks give them, from whichever tree the reader built:
PyYAML's nodes (:class:`NodeLocator`) or the block reader's records (:class:`BlockLocator`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import yaml

from rnnlint.model import Span
from rnnlint.parse.document import DocPath, Locator
from rnnlint.parse.yaml.block import MAP, SCALAR, SEQ


def span_of(node: yaml.Node) -> Span:
    s, e = node.start_mark, node.end_mark
    return Span(s.line + 1, s.column + 1, e.line + 1, e.column)


class RawScalar(NamedTuple):
    """A scalar as written in the YAML text, before YAML 1.1 resolved it (see rnnlint.dialects.native.yaml11)."""

    text: str
    plain: bool  # not quoted, not a block scalar
    tag: str  # the resolved tag, e.g. tag:yaml.org,2002:int
    span: Span


class YamlLocator:
    """Positions in a YAML document, as libyaml's marks give them, whichever reader built the tree.

    The subclasses walk their own trees: :class:`NodeLocator` PyYAML's nodes (libyaml's
    composer), :class:`BlockLocator` the records of :mod:`rnnlint.parse.yaml.block`.
    """

    __slots__ = ("_keys",)

    def __init__(self) -> None:
        # id(mapping node) -> key text -> (key node, value node), built when a walk first passes it:
        # rules and dialects ask for many paths through the same few mappings.
        self._keys: dict[int, dict[str, tuple[Any, Any]]] = {}

    def _walk(self, path: DocPath) -> tuple[Any, Any, bool]:
        """The deepest node along ``path``, its key node when the last step was a mapping key,
        and whether the whole path was found."""
        raise NotImplementedError

    def _span(self, node: Any) -> Span:
        raise NotImplementedError

    def _raw(self, node: Any) -> RawScalar | None:
        """A scalar node as written; None for a collection."""
        raise NotImplementedError

    def _scalar_keys(self, node: Any) -> list[tuple[str, Any]] | None:
        """A mapping node's scalar keys (text and key node) in order; None for anything else."""
        raise NotImplementedError

    def value(self, path: DocPath) -> Span:
        return self._span(self._walk(path)[0])

    def key(self, path: DocPath) -> Span:
        node, key_node, _ = self._walk(path)
        return self._span(key_node if key_node is not None else node)

    def scalar(self, path: DocPath) -> RawScalar | None:
        """The scalar at ``path`` as written, or None when ``path`` is not a scalar."""
        node, _, found = self._walk(path)
        return self._raw(node) if found else None

    def entry(self, path: DocPath, keys: Iterable[str]) -> tuple[Span, dict[str, Span]]:
        """``value(path)`` and ``key((*path, k))`` for each of ``keys``, from one walk."""
        node, _, found = self._walk(path)
        here = self._span(node)
        pairs = self._scalar_keys(node) if found else None
        if pairs is None:
            return here, {k: here for k in keys}  # each key's walk stops at this same node
        # One pass over this mapping's pairs (no index: each entry is usually asked for once).
        wanted = set(keys)
        key_nodes: dict[str, Any] = {}
        for text, key_node in pairs:
            if text in wanted:
                key_nodes[text] = key_node  # the last duplicate wins, as in the data
        span = self._span
        return here, {k: span(key_nodes[k]) if k in key_nodes else here for k in wanted}


class NodeLocator(YamlLocator):
    """Positions from PyYAML's node tree (the marks libyaml set)."""

    __slots__ = ("_root",)

    def __init__(self, root: yaml.Node) -> None:
        super().__init__()
        self._root = root

    def _index(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        index = self._keys.get(id(node))  # the root keeps every node alive: ids are not reused
        if index is None:
            # Later pairs overwrite earlier ones: the last duplicate wins, as in the data.
            index = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            self._keys[id(node)] = index
        return index

    def _walk(self, path: DocPath) -> tuple[yaml.Node, yaml.Node | None, bool]:
        node: yaml.Node = self._root
        key_node: yaml.Node | None = None
        for item in path:
            key_node = None
            if isinstance(node, yaml.MappingNode):
                found = self._index(node).get(item if isinstance(item, str) else str(item))
                if found is None:
                    return node, None, False
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(item, int):
                if not 0 <= item < len(node.value):
                    return node, None, False
                node = node.value[item]
            else:
                return node, None, False
        return node, key_node, True

    def _span(self, node: yaml.Node) -> Span:
        return span_of(node)

    def _raw(self, node: yaml.Node) -> RawScalar | None:
        if not isinstance(node, yaml.ScalarNode):
            return None
        return RawScalar(node.value, not node.style, node.tag, span_of(node))  # C parser: "", Python: None

    def _scalar_keys(self, node: yaml.Node) -> list[tuple[str, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            return None
        return [(k.value, k) for k, _v in node.value if isinstance(k, yaml.ScalarNode)]


class BlockLocator(YamlLocator):
    """Positions from :mod:`rnnlint.parse.yaml.block`'s records: (kind, line, column, end line, end
    column, ...), 0-based as libyaml's marks; scalars end with (text, style, tag), collections
    with their children (mappings: (key record, value record) pairs; keys are always scalars)."""

    __slots__ = ("_root",)

    def __init__(self, root: tuple[Any, ...]) -> None:
        super().__init__()
        self._root = root

    def _index(self, node: tuple[Any, ...]) -> dict[str, tuple[Any, Any]]:
        index = self._keys.get(id(node))  # the root keeps every record alive: ids are not reused
        if index is None:
            index = {k[5]: (k, v) for k, v in node[5]}
            self._keys[id(node)] = index
        return index

    def _walk(self, path: DocPath) -> tuple[tuple[Any, ...], tuple[Any, ...] | None, bool]:
        node = self._root
        key_node: tuple[Any, ...] | None = None
        for item in path:
            key_node = None
            kind = node[0]
            if kind == MAP:
                found = self._index(node).get(item if isinstance(item, str) else str(item))
                if found is None:
                    return node, None, False
                key_node, node = found
            elif kind == SEQ and isinstance(item, int):
                items = node[5]
                if not 0 <= item < len(items):
                    return node, None, False
                node = items[item]
            else:
                return node, None, False
        return node, key_node, True

    def _span(self, node: tuple[Any, ...]) -> Span:
        return Span(node[1] + 1, node[2] + 1, node[3] + 1, node[4])

    def _raw(self, node: tuple[Any, ...]) -> RawScalar | None:
        if node[0] != SCALAR:
            return None
        return RawScalar(node[5], not node[6], node[7], self._span(node))

    def _scalar_keys(self, node: tuple[Any, ...]) -> list[tuple[str, Any]] | None:
        if node[0] != MAP:
            return None
        return [(k[5], k) for k, _v in node[5]]


def entry_spans(locator: Locator, path: DocPath, keys: Iterable[str]) -> tuple[Span, dict[str, Span]]:
    """The span of the mapping at ``path`` and of each of its ``keys`` (one walk for YAML)."""
    if isinstance(locator, YamlLocator):
        return locator.entry(path, keys)
    return locator.value(path), {k: locator.key((*path, k)) for k in keys}
