"""rnnlint's bounds on a YAML text (:mod:`rnnlint.parse.limits`), checked before any reader builds its tree:
nesting depth from cheap scans (the event stream only when they cannot tell), alias expansion on libyaml's nodes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from rnnlint import codes
from rnnlint.model import Span
from rnnlint.parse.limits import MAX_ALIAS_EXPANSION, MAX_NESTING_DEPTH
from rnnlint.parse.source import Problem
from rnnlint.parse.yaml.locate import span_of


@lru_cache(maxsize=64)
def _long_lead(length: int) -> re.Pattern[str]:
    """A line whose leading run of spaces and indicators (``- ``, ``? ``, ``: ``) is ``length`` long."""
    return re.compile(rf"^[ \t?:-]{{{length}}}", re.M)


def _surely_shallow(text: str) -> bool:
    """Whether a cheap bound (C-speed string scans only) proves the nesting depth within the limit.

    Every flow level opens with '[' or '{'. Every block level starts at a column no smaller
    than its parent's, strictly greater except for a sequence directly under a mapping key,
    and within the leading run of spaces and indicators of its line: so the depth is at most
    ``flow + 2 * (lead + 1)`` for the longest such run ``lead``.
    """
    flow = text.count("[") + text.count("{")
    if flow + len(text) // 2 + 2 <= MAX_NESTING_DEPTH:  # short texts cannot nest deeply
        return True
    # flow + 2 * (lead + 1) <= limit exactly when no run reaches (limit - flow) // 2 characters.
    longest_allowed = (MAX_NESTING_DEPTH - flow) // 2 - 1
    return longest_allowed >= 0 and _long_lead(longest_allowed + 1).search(text) is None


def too_deep(text: str) -> Problem | None:
    """Exact depth from the event stream (iterative), for the rare texts the bound cannot clear."""
    if _surely_shallow(text):
        return None
    try:
        return _deeper_than_limit(text, yaml.CSafeLoader)
    except yaml.YAMLError:
        pass
    # libyaml (0.2.5 as PyYAML 6.0.4 bundles it) refuses 1,000 flow levels while scanning ahead,
    # before it emits the event where rnnlint's own limit is crossed: PyYAML's pure-Python
    # scanner has no such limit, so rnnlint's limit and its position win with either version.
    try:
        return _deeper_than_limit(text, yaml.SafeLoader)
    except yaml.YAMLError:
        return None  # the real parse reports the syntax error, at most this deep


def _deeper_than_limit(text: str, loader: Any) -> Problem | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                mark = event.start_mark
                span = Span(mark.line + 1, mark.column + 1) if mark is not None else Span(1, 1)
                return Problem(codes.RNN001, f"nesting deeper than {MAX_NESTING_DEPTH} levels; not read", span)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.DocumentEndEvent):
            depth = 0
    return None


def alias_problem(root: yaml.Node) -> Problem | None:
    """Refuse a document whose aliases expand without bound, or that contains itself.

    One post-order pass over the distinct nodes computes each node's expanded size and
    depth (aliases point at the same node object, so a billion laughs is a few dozen nodes
    here); only documents whose text has both '&' and '*' come this way.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            children = child_nodes(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_ALIAS_EXPANSION + len(size) or depth[key] > MAX_NESTING_DEPTH:
                what = "nest deeper than" if depth[key] > MAX_NESTING_DEPTH else "expand to more than"
                limit = MAX_NESTING_DEPTH if depth[key] > MAX_NESTING_DEPTH else MAX_ALIAS_EXPANSION
                message = f"aliases {what} {limit:,} {'levels' if 'deeper' in what else 'nodes'}; not read"
                return Problem(codes.RNN001, message, span_of(node))
            continue
        if key in size:
            continue
        if key in on_path:
            return Problem(
                codes.RNN001, "an alias refers to a value that contains it (a cycle); not read", span_of(node)
            )
        on_path.add(key)
        stack.append((node, True))
        for child in child_nodes(node):
            if id(child) in on_path:
                return Problem(
                    codes.RNN001, "an alias refers to a value that contains it (a cycle); not read", span_of(child)
                )
            if id(child) not in size:
                stack.append((child, False))
    return None


def child_nodes(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []
