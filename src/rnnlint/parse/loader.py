"""Read and parse config files, keeping the source position of every node.

Parse failures are values (:class:`Problem` with code RNN001), never exceptions: the
run goes on with the next file. YAML is read as the ML toolkits read it (PyYAML, YAML
1.1): plain block YAML by :mod:`rnnlint.parse.blockyaml`, anything else by libyaml (:data:`STRATEGIES`). Positions
come from the node tree (blockyaml's records or PyYAML's nodes, with the same marks), which
is kept beside the data and only walked when a diagnostic needs a position. JSON is parsed by the C ``json`` module
and positions are found on demand by scanning the text along the wanted path.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate
from typing import Any, Final, NamedTuple

import yaml

from rnnlint import codes
from rnnlint.model import Span
from rnnlint.parse import blockyaml, fastyaml
from rnnlint.parse.document import DocPath as DocPath
from rnnlint.parse.document import Document as Document
from rnnlint.parse.document import Locator as Locator
from rnnlint.parse.document import PathItem as PathItem
from rnnlint.parse.document import Tagged as Tagged
from rnnlint.parse.reading import read_source as read_source

# Reading needs no YAML (a run served from the cache imports only rnnlint.parse.source); re-exported here.
from rnnlint.parse.source import DEFAULT_MAX_FILE_BYTES as DEFAULT_MAX_FILE_BYTES
from rnnlint.parse.source import MODEL_FILE_SUFFIXES as MODEL_FILE_SUFFIXES
from rnnlint.parse.source import Problem as Problem
from rnnlint.parse.source import Source as Source
from rnnlint.parse.source import _byte_position as _byte_position
from rnnlint.parse.source import _decode as _decode
from rnnlint.parse.source import _open_regular as _open_regular
from rnnlint.parse.source import display_path as display_path

JSON_SUFFIXES = (".json",)
JSONNET_SUFFIXES = (".jsonnet", ".libsonnet")


class Lenient(NamedTuple):
    """A ``.json`` file that is not JSON, read again as JSON with comments and trailing commas.

    ``features`` names what it needed beyond JSON: ``"//"``, ``"#"``, ``"/*"`` comments and
    ``","`` (a trailing comma). The engine lints these documents only when the dialect that
    recognises them reads such files (AllenNLP reads ``.json`` through Jsonnet); otherwise they
    only tell whether the file is a model config (see ``engine.lint_parsed``).
    """

    documents: list[Document]
    features: frozenset[str]


class Parsed(NamedTuple):
    source: Source
    documents: list[Document]
    problems: list[Problem]
    # Set for a .json file that fails as JSON but reads as JSON with comments / trailing commas.
    lenient: Lenient | None = None


# --------------------------------------------------------------------------- YAML


# Nesting deeper than this is refused before the tree is built: libyaml's composer recurses in
# C without a guard (around 30,000 levels overflow the C stack), and dialects and rules walk
# the data recursively. Real configs nest a dozen levels.
MAX_NESTING_DEPTH = 100
# Aliases may repeat a subtree, but not without bound ("billion laughs"): above this many
# nodes beyond the document's own, the document is refused before it is constructed.
MAX_ALIAS_EXPANSION = 100_000

_MERGE_TAG = "tag:yaml.org,2002:merge"
_COLLECTION_NODES = (yaml.MappingNode, yaml.SequenceNode)


class _SafeLoader(fastyaml.MemoResolver, yaml.CSafeLoader):
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
            self.duplicate_problems.append(Problem(codes.RNN003, message, _span_of(key_node)))


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


def _span_of(node: yaml.Node) -> Span:
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
    composer), :class:`BlockLocator` the records of :mod:`rnnlint.parse.blockyaml`.
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
        return _span_of(node)

    def _raw(self, node: yaml.Node) -> RawScalar | None:
        if not isinstance(node, yaml.ScalarNode):
            return None
        return RawScalar(node.value, not node.style, node.tag, _span_of(node))  # C parser: "", Python: None

    def _scalar_keys(self, node: yaml.Node) -> list[tuple[str, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            return None
        return [(k.value, k) for k, _v in node.value if isinstance(k, yaml.ScalarNode)]


class BlockLocator(YamlLocator):
    """Positions from :mod:`rnnlint.parse.blockyaml`'s records: (kind, line, column, end line, end
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
            if kind == blockyaml.MAP:
                found = self._index(node).get(item if isinstance(item, str) else str(item))
                if found is None:
                    return node, None, False
                key_node, node = found
            elif kind == blockyaml.SEQ and isinstance(item, int):
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
        if node[0] != blockyaml.SCALAR:
            return None
        return RawScalar(node[5], not node[6], node[7], self._span(node))

    def _scalar_keys(self, node: tuple[Any, ...]) -> list[tuple[str, Any]] | None:
        if node[0] != blockyaml.MAP:
            return None
        return [(k[5], k) for k, _v in node[5]]


def entry_spans(locator: Locator, path: DocPath, keys: Iterable[str]) -> tuple[Span, dict[str, Span]]:
    """The span of the mapping at ``path`` and of each of its ``keys`` (one walk for YAML)."""
    if isinstance(locator, YamlLocator):
        return locator.entry(path, keys)
    return locator.value(path), {k: locator.key((*path, k)) for k in keys}


def _yaml_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    span = Span(mark.line + 1, mark.column + 1) if mark is not None else Span(1, 1)
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = "; ".join(p for p in parts if p) or str(exc)
    kind = "YAML value cannot be read" if isinstance(exc, yaml.constructor.ConstructorError) else "YAML syntax error"
    return Problem(codes.RNN001, f"{kind}: {text}", span)


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


def _too_deep(text: str) -> Problem | None:
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


def _alias_problem(root: yaml.Node) -> Problem | None:
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
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_ALIAS_EXPANSION + len(size) or depth[key] > MAX_NESTING_DEPTH:
                what = "nest deeper than" if depth[key] > MAX_NESTING_DEPTH else "expand to more than"
                limit = MAX_NESTING_DEPTH if depth[key] > MAX_NESTING_DEPTH else MAX_ALIAS_EXPANSION
                message = f"aliases {what} {limit:,} {'levels' if 'deeper' in what else 'nodes'}; not read"
                return Problem(codes.RNN001, message, _span_of(node))
            continue
        if key in size:
            continue
        if key in on_path:
            return Problem(
                codes.RNN001, "an alias refers to a value that contains it (a cycle); not read", _span_of(node)
            )
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                return Problem(
                    codes.RNN001, "an alias refers to a value that contains it (a cycle); not read", _span_of(child)
                )
            if id(child) not in size:
                stack.append((child, False))
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


_LONG_DIGITS = re.compile(r"\d{1000,}")


def _value_problem(exc: Exception, text: str, root: yaml.Node | None = None) -> Problem:
    """A value the constructors reject with a plain Python error (a 5,000-digit integer, the
    date 2020-13-45), located by constructing each scalar again (only on this failure path)."""
    found = _LONG_DIGITS.search(text) if "digits" in str(exc) else None
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        return Problem(codes.RNN001, "an integer with more than 4,300 digits cannot be read", Span(line, column))
    span = Span(1, 1)
    if root is not None:
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
                    span = _span_of(node)
                    break
            else:
                stack.extend(reversed(_children(node)))
        probe.dispose()
    return Problem(codes.RNN001, f"a value cannot be read: {exc}", span)


_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]", re.M)
_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s\[\]{},*]", re.M)


YamlRead = tuple[list[Document], list[Problem]]  # the documents of a YAML text, and why it could not be read


def read_block(text: str) -> YamlRead | None:
    """Plain block YAML (most configs), by :mod:`rnnlint.parse.blockyaml`: no per-node Python calls, the
    same data and positions as libyaml's route (tests/equivalence holds it to PyYAML). None: not plain."""
    block = blockyaml.parse(text)
    if block is None:
        return None
    document = Document(block.data, BlockLocator(block.root))
    document.plain_integers = not block.unusual_numbers
    return [document], []


def read_libyaml_fast_construct(text: str) -> YamlRead | None:
    """libyaml composes, :mod:`rnnlint.parse.fastyaml` builds each document (PyYAML's constructor the ones
    it cannot). None for a text with anchors, tags or merge keys, which only PyYAML's constructor builds."""
    return _read_libyaml(text, fast=True) if fastyaml.eligible(text) else None


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
    problem = _too_deep(text)
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
    """libyaml composes; with ``fast``, fastyaml builds what it can, PyYAML's constructor the rest."""
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
            refused = _alias_problem(node) if check_aliases else None
            if refused is not None:
                problems.append(refused)
                continue
            # Plain documents skip PyYAML's (slow, pure Python) constructor; same data either way.
            data, unusual = fastyaml.construct_noting(node) if fast else (fastyaml.FALLBACK, True)
            try:
                if data is fastyaml.FALLBACK:
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


# --------------------------------------------------------------------------- JSON

_WS = re.compile(r"[ \t\n\r]*")


class JsonLocator:
    """Finds positions in JSON text on demand, skipping sibling values with the C decoder."""

    def __init__(self, text: str) -> None:
        import json

        self._text = text
        self._line_starts: list[int] | None = None
        self._decoder = json.JSONDecoder()

    def _pos(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", self._text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _span(self, start: int) -> Span:
        line, col = self._pos(start)
        return Span(line, col)

    def _skip_ws(self, i: int) -> int:
        m = _WS.match(self._text, i)
        return m.end() if m else i

    def _find(self, path: DocPath) -> tuple[int, int | None]:
        """Offsets of the value at the deepest reachable step of ``path`` and of its key."""
        text = self._text
        i = self._skip_ws(0)
        key_at: int | None = None
        for item in path:
            if i >= len(text):
                break
            if text[i] == "{" and isinstance(item, str):
                j = self._skip_ws(i + 1)
                found = False
                while j < len(text) and text[j] == '"':
                    key, end = _scanstring(text, j + 1)
                    k_start = j
                    j = self._skip_ws(end)
                    j = self._skip_ws(j + 1)  # the colon
                    if key == item:
                        found = True
                        key_at, i = k_start, j
                        # keep scanning: JSON's last duplicate key wins
                    _, j = self._decoder.raw_decode(text, j)
                    j = self._skip_ws(j)
                    if j < len(text) and text[j] == ",":
                        j = self._skip_ws(j + 1)
                if not found:
                    return i, None
            elif text[i] == "[" and isinstance(item, int):
                j = self._skip_ws(i + 1)
                index = 0
                while j < len(text) and text[j] != "]" and index < item:
                    _, j = self._decoder.raw_decode(text, j)
                    j = self._skip_ws(j)
                    if j < len(text) and text[j] == ",":
                        j = self._skip_ws(j + 1)
                    index += 1
                if index != item or j >= len(text) or text[j] == "]":
                    return i, None
                i, key_at = j, None
            else:
                return i, None
        return i, key_at

    def value(self, path: DocPath) -> Span:
        try:
            return self._span(self._find(path)[0])
        except (ValueError, IndexError):
            return Span(1, 1)

    def object_keys(self, path: DocPath) -> list[tuple[str, Span]]:
        """Every key of the object at ``path``, duplicates included, in text order."""
        text = self._text
        try:
            i, _ = self._find(path)
            if i >= len(text) or text[i] != "{":
                return []
            found: list[tuple[str, Span]] = []
            j = self._skip_ws(i + 1)
            while j < len(text) and text[j] == '"':
                key, end = _scanstring(text, j + 1)
                found.append((key, self._span(j)))
                j = self._skip_ws(self._skip_ws(end) + 1)
                _, j = self._decoder.raw_decode(text, j)
                j = self._skip_ws(j)
                if j < len(text) and text[j] == ",":
                    j = self._skip_ws(j + 1)
            return found
        except (ValueError, IndexError):
            return []

    def key(self, path: DocPath) -> Span:
        try:
            value_at, key_at = self._find(path)
        except (ValueError, IndexError):
            return Span(1, 1)
        return self._span(key_at if key_at is not None else value_at)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _json_too_deep(text: str) -> Problem | None:
    """Depth of valid JSON text from its brackets outside strings (C-speed scans)."""
    brackets = _BRACKETS.findall(_JSON_STRING.sub("", text))
    if max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) <= MAX_NESTING_DEPTH:
        return None
    depth = 0
    for match in _JSON_TOKEN.finditer(text):  # only for a file refused anyway: find where
        step = _DEPTH_STEP.get(match.group())
        if step is None:
            continue
        depth += step
        if depth > MAX_NESTING_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            return Problem(
                codes.RNN001, f"nesting deeper than {MAX_NESTING_DEPTH} levels; not read", Span(line, column)
            )
    return None


def _path_of(data: Any, target: dict[str, Any]) -> DocPath | None:
    stack: list[tuple[DocPath, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if node is target:
            return path
        if isinstance(node, dict):
            stack.extend(((*path, k), v) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in enumerate(node) if isinstance(v, (dict, list)))
    return None


def _json_duplicates(data: Any, mappings: list[dict[str, Any]], locator: JsonLocator) -> list[Problem]:
    problems: list[Problem] = []
    for mapping in mappings:
        path = _path_of(data, mapping)
        if path is None:
            continue
        first: dict[str, Span] = {}
        for key, span in locator.object_keys(path):
            if key in first:
                message = (
                    f"duplicate key '{key}': line {first[key].line} sets it first; "
                    "JSON readers keep only this last value"
                )
                problems.append(Problem(codes.RNN003, message, span))
            else:
                first[key] = span
    return problems


def _scanstring(text: str, end: int) -> tuple[str, int]:
    """The JSON string whose opening quote is at ``end - 1``: its value and the offset after it."""
    from json.decoder import scanstring  # type: ignore[attr-defined]

    return scanstring(text, end)  # type: ignore[no-any-return]


def parse_json(text: str) -> tuple[list[Document], list[Problem]]:
    """JSON (json is imported for JSON files only: a YAML run does not pay for it)."""
    import json

    if "\r" in text:
        # json counts only \n as a line end; editors (and YAML) also count a lone \r.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    duplicated: list[dict[str, Any]] = []

    def keep_last(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        # json's own behaviour (the last duplicate wins), noting the objects that had duplicates.
        mapping = dict(pairs)
        if len(mapping) < len(pairs):
            duplicated.append(mapping)
        return mapping

    try:
        data = json.loads(text, object_pairs_hook=keep_last)
    except json.JSONDecodeError as exc:
        return [], [Problem(codes.RNN001, f"JSON syntax error: {exc.msg}", Span(exc.lineno, exc.colno))]
    except RecursionError:
        problem = _json_too_deep(text)
        return [], [problem or Problem(codes.RNN001, "JSON nesting is too deep to read", Span(1, 1))]
    except MemoryError:
        return [], [Problem(codes.RNN001, "JSON file needs more memory than is available; not read", Span(1, 1))]
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return [], [_value_problem(exc, text)]
    if text.count("[") + text.count("{") > MAX_NESTING_DEPTH:
        problem = _json_too_deep(text)
        if problem is not None:
            return [], [problem]
    locator = JsonLocator(text)
    document = Document(data, locator)
    if duplicated:
        document.problems.extend(_json_duplicates(data, duplicated, locator))
    return [document], []


# --------------------------------------------------------------------------- templates

JINJA_SKIP_REASON = "Jinja2 template: rnnlint cannot lint it before rendering"
# A Jinja2 expression or statement: ``{{ name }}``, ``{% if ... %}`` (on one line).
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def is_jinja_template(text: str | None) -> bool:
    """Whether ``text`` holds Jinja2 syntax (checked only after the file failed to parse)."""
    return text is not None and _JINJA.search(text) is not None


# --------------------------------------------------------------------------- entry point


# Outside strings: a comment, or a comma followed (after blanks and comments) by a closing bracket.
_JSONC_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|#[^\n]*|/\*.*?\*/|,', re.S)
_JSONC_BLANKS = re.compile(r"(?:\s|//[^\n]*|#[^\n]*|/\*.*?\*/)*", re.S)


def strip_json_comments(text: str) -> tuple[str, frozenset[str]] | None:
    """``text`` with its comments and trailing commas blanked out, and which of them it held.

    Every removed character becomes a space (line breaks stay), so the result has the same
    offsets, lines and columns as ``text``: positions found in it are positions in the file.
    None when there is nothing to remove (the text is not JSON for another reason).
    """
    chars: list[str] | None = None
    features: set[str] = set()
    for match in _JSONC_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == '"':
            continue
        if first == ",":
            after = _JSONC_BLANKS.match(text, match.end())
            end = after.end() if after is not None else match.end()
            if end >= len(text) or text[end] not in "]}":
                continue
            feature = ","
        else:
            feature = "/*" if token.startswith("/*") else "//" if first == "/" else "#"
        if chars is None:
            chars = list(text)
        features.add(feature)
        for i in range(match.start(), match.end()):
            if chars[i] not in "\r\n":
                chars[i] = " "
    if chars is None:
        return None
    return "".join(chars), frozenset(features)


def _lenient_json(text: str) -> Lenient | None:
    """The JSON-with-comments reading of a file that failed as JSON (None when that fails too)."""
    stripped = strip_json_comments(text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text)
    if stripped is None:
        return None
    documents, problems = parse_json(stripped[0])
    if problems or not documents:
        return None
    return Lenient(documents, stripped[1])


def parse_source(source: Source) -> Parsed:
    if source.text is None:
        problems = [source.problem] if source.problem else []
        return Parsed(source, [], problems)
    if source.member is not None or source.path.lower().endswith(JSON_SUFFIXES):
        # A Keras model file's text is its model JSON (rnnlint.parse.keras_files).
        documents, problems = parse_json(source.text)
        if problems and problems[0].message.startswith("JSON syntax error"):
            return Parsed(source, documents, problems, _lenient_json(source.text))
    elif source.path.lower().endswith(JSONNET_SUFFIXES):
        # Jsonnet is evaluated (optional extra) and mapped back to its source: see rnnlint.parse.jsonnet.
        from rnnlint.parse.jsonnet import parse_jsonnet

        documents, problems = parse_jsonnet(source.path, source.text)
    else:
        documents, problems = parse_yaml(source.text)
    return Parsed(source, documents, problems)


def load(path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES, stdin: bytes | None = None) -> Parsed:
    return parse_source(read_source(path, max_bytes, stdin))


def iter_mappings(data: Any, path: DocPath = ()) -> Iterator[tuple[DocPath, dict[str, Any]]]:
    """Every mapping in a document with its path, depth first (for dialects that search trees)."""
    stack: list[tuple[DocPath, Any]] = [(path, data)]
    while stack:
        p, node = stack.pop()
        if isinstance(node, dict):
            yield p, node
            items: Sequence[tuple[PathItem, Any]] = list(node.items())
        elif isinstance(node, list):
            items = list(enumerate(node))
        else:
            continue
        for k, v in reversed(items):
            if isinstance(v, (dict, list)):
                stack.append(((*p, k), v))
