"""YAML text -> documents with positions, read as the ML toolkits read it (PyYAML, YAML 1.1).

:data:`STRATEGIES` lists the routes, fastest first: plain block YAML by :mod:`rnnlint.parse.yaml.block`;
otherwise libyaml composes and :mod:`rnnlint.parse.yaml.construct` builds the data, or PyYAML's safe
constructor for what it cannot. rnnlint's bounds (:mod:`rnnlint.parse.yaml.limits`) are checked first.
Positions come from the node tree (the block reader's records or PyYAML's nodes, with the same marks),
which is kept beside the data and only walked when a diagnostic needs a position (:mod:`rnnlint.parse.yaml.locate`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

import yaml

from rnnlint import codes
from rnnlint.model import Span
from rnnlint.parse.document import Document, Tagged
from rnnlint.parse.limits import value_problem
from rnnlint.parse.source import Problem
from rnnlint.parse.yaml import block, construct
from rnnlint.parse.yaml.limits import alias_problem, child_nodes, too_deep
from rnnlint.parse.yaml.locate import BlockLocator, NodeLocator, span_of

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _SafeLoader(construct.MemoResolver, yaml.CSafeLoader):
    """PyYAML's safe loader (YAML 1.1), with application tags kept as inert values.

    It also notes duplicate mapping keys (RNN003) at O(1) extra cost per mapping: a mapping
    whose dict came out shorter than its key list is the only one looked at again.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_problems: list[Problem] = []
        # id(mapping node) -> its own pairs, kept only for mappings with a merge key ("<<").
        self._own_pairs: dict[int, list[tuple[yaml.Node, yaml.Node]]] = {}

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        before = node.value
        super().flatten_mapping(node)
        if node.value is not before:
            # PyYAML removed the merge keys from ``before`` in place and prepended the merged pairs.
            self._own_pairs[id(node)] = before

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(node.value):
            own = self._own_pairs.get(id(node))
            self._note_duplicates(own if own is not None else node.value)
        return mapping

    def _note_duplicates(self, pairs: list[tuple[yaml.Node, yaml.Node]]) -> None:
        first: dict[Any, yaml.Node] = {}
        for key_node, _ in pairs:
            key = self.construct_object(key_node)
            try:
                earlier = first.setdefault(key, key_node)
            except TypeError:  # unhashable keys are PyYAML's own error
                continue
            if earlier is key_node:
                continue
            shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key)
            message = (
                f"duplicate key '{shown}': line {earlier.start_mark.line + 1} sets it first; "
                "YAML readers keep only this last value"
            )
            self.duplicate_problems.append(Problem(codes.RNN003, message, span_of(key_node)))


def _construct_tagged(loader: _SafeLoader, suffix_or_node: Any, node: Any = None) -> Any:
    """An application tag (or ``!!python/...``): kept as an inert :class:`Tagged`, never run.

    Collections are filled after the first yield, as PyYAML's own constructors do, so deep
    tagged trees are not built by recursion.
    """
    if node is None:
        node = suffix_or_node
    if isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        yield Tagged(node.tag, mapping)
        mapping.update(loader.construct_mapping(node))
    elif isinstance(node, yaml.SequenceNode):
        items: list[Any] = []
        yield Tagged(node.tag, items)
        items.extend(loader.construct_sequence(node))
    else:
        yield Tagged(node.tag, loader.construct_scalar(node))


_SafeLoader.add_constructor(None, _construct_tagged)
_SafeLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


def _construct_undefined(loader: _SafeLoader, node: yaml.Node) -> Any:
    """A plain "=" (the value tag) or a "<<" that is no merge key (the merge tag): PyYAML's safe loader has
    no constructor for either and refuses the file, and so does rnnlint. They are YAML's own tags, not an
    application's, so they must not reach the dialects as :class:`Tagged` values."""
    return loader.construct_undefined(node)  # raises PyYAML's ConstructorError at the node


for _tag in ("tag:yaml.org,2002:value", _MERGE_TAG):
    _SafeLoader.add_constructor(_tag, _construct_undefined)


def _yaml_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    span = Span(mark.line + 1, mark.column + 1) if mark is not None else Span(1, 1)
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = "; ".join(p for p in parts if p) or str(exc)
    kind = "YAML value cannot be read" if isinstance(exc, yaml.constructor.ConstructorError) else "YAML syntax error"
    return Problem(codes.RNN001, f"{kind}: {text}", span)


def _value_problem(exc: Exception, text: str, root: yaml.Node) -> Problem:
    """:func:`rnnlint.parse.limits.value_problem`, located by constructing each scalar of ``root`` again."""
    return value_problem(exc, text, lambda: _failing_scalar(root))


def _failing_scalar(root: yaml.Node) -> Span:
    """The first scalar (depth first) that PyYAML's constructor rejects; 1:1 when none does."""
    span = Span(1, 1)
    probe = _SafeLoader("")
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                probe.construct_object(node)
            except (ValueError, OverflowError, TypeError, yaml.YAMLError):
                span = span_of(node)
                break
        else:
            stack.extend(reversed(child_nodes(node)))
    probe.dispose()
    return span


_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]", re.M)
_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s\[\]{},*]", re.M)


YamlRead = tuple[list[Document], list[Problem]]  # the documents of a YAML text, and why it could not be read


def read_block(text: str) -> YamlRead | None:
    """Plain block YAML (most configs), by :mod:`rnnlint.parse.yaml.block`: no per-node Python calls, the
    same data and positions as libyaml's route (tests/equivalence holds it to PyYAML). None: not plain."""
    read = block.parse(text)
    if read is None:
        return None
    document = Document(read.data, BlockLocator(read.root))
    document.plain_integers = not read.unusual_numbers
    return [document], []


def read_libyaml_fast_construct(text: str) -> YamlRead | None:
    """libyaml composes, :mod:`rnnlint.parse.yaml.construct` builds each document (PyYAML's constructor the ones
    it cannot). None for a text with anchors, tags or merge keys, which only PyYAML's constructor builds."""
    return _read_libyaml(text, fast=True) if construct.eligible(text) else None


def read_libyaml_pyyaml(text: str) -> YamlRead:
    """libyaml composes, PyYAML's safe constructor builds: any YAML."""
    return _read_libyaml(text, fast=False)


# The ways to read a YAML text, fastest first: each reads the text or answers None ("not mine"), and the
# last reads anything. All give the same data and positions; rnnlint's own limits are checked before.
STRATEGIES: Final[tuple[Callable[[str], YamlRead | None], ...]] = (
    read_block,
    read_libyaml_fast_construct,
    read_libyaml_pyyaml,
)


def parse_yaml(text: str) -> YamlRead:
    problem = too_deep(text)
    if problem is not None:
        return [], [problem]
    for strategy in STRATEGIES:
        read = strategy(text)
        if read is not None:
            return read
    raise AssertionError("the last strategy reads any text")  # pragma: no cover


def parse_with_libyaml(text: str) -> YamlRead:
    """Any YAML (within the depth bound) through libyaml, without the block reader."""
    read = read_libyaml_fast_construct(text)
    return read if read is not None else read_libyaml_pyyaml(text)


def _read_libyaml(text: str, fast: bool) -> YamlRead:
    """libyaml composes; with ``fast``, construct builds what it can, PyYAML's constructor the rest."""
    # Only texts with an anchor and an alias token pay for the expansion check.
    check_aliases = "&" in text and "*" in text and bool(_ANCHOR.search(text)) and bool(_ALIAS.search(text))
    loader = _SafeLoader(text)
    documents: list[Document] = []
    problems: list[Problem] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            refused = alias_problem(node) if check_aliases else None
            if refused is not None:
                problems.append(refused)
                continue
            # Plain documents skip PyYAML's (slow, pure Python) constructor; same data either way.
            data, unusual = construct.construct_noting(node) if fast else (construct.FALLBACK, True)
            try:
                if data is construct.FALLBACK:
                    data = loader.construct_document(node)
            except (ValueError, OverflowError, TypeError) as exc:
                problems.append(_value_problem(exc, text, node))
                break  # the constructor's state is unknown after a plain Python error
            documents.append(Document(data, NodeLocator(node), index=len(documents)))
            documents[-1].plain_integers = not unusual
            documents[-1].problems.extend(loader.duplicate_problems)
            loader.duplicate_problems = []
            loader._own_pairs.clear()
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(exc))
    except RecursionError:
        problems.append(Problem(codes.RNN001, "YAML nesting is too deep to read", Span(1, 1)))
    except MemoryError:
        problems.append(Problem(codes.RNN001, "YAML file needs more memory than is available; not read", Span(1, 1)))
    finally:
        loader.dispose()
    for doc in documents:
        doc.count = len(documents)
    return documents, problems
