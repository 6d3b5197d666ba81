"""Read and parse config files, keeping the source position of every node.

Parse failures are values (:class:`Problem` with code RNN001), never exceptions: the
run goes on with the next file. YAML is read as the ML toolkits read it (PyYAML, YAML
1.1); positions come from the composed node tree, which is kept beside the data and
only walked when a diagnostic needs a position. JSON is parsed by the C ``json`` module
and positions are found on demand by scanning the text along the wanted path.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from rnnlint.model import Span

PathItem = str | int
DocPath = tuple[PathItem, ...]

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024

JSON_SUFFIXES = (".json",)
JSONNET_SUFFIXES = (".jsonnet", ".libsonnet")


@dataclass(frozen=True)
class Problem:
    """A finding produced before the rules run (parse, schema); its rule module reports it."""

    code: str
    message: str
    span: Span


class Locator(Protocol):
    def value(self, path: DocPath) -> Span:
        """Position of the value at ``path`` (or of its nearest existing ancestor)."""

    def key(self, path: DocPath) -> Span:
        """Position of the mapping key that ends ``path`` (the value's position for list items)."""


@dataclass(frozen=True)
class Tagged:
    """A YAML node with an application tag (``!new:...``, ``!ref``): kept inert, never constructed."""

    tag: str
    value: Any


@dataclass
class Document:
    data: Any
    locator: Locator
    index: int = 0
    # Set for files holding several YAML documents.
    count: int = 1
    # Parse-stage findings about this document (duplicate keys, ...).
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Source:
    """A file's decoded text (or why it has none)."""

    path: str
    text: str | None
    problem: Problem | None = None
    has_bom: bool = False


@dataclass
class Parsed:
    source: Source
    documents: list[Document]
    problems: list[Problem]


# --------------------------------------------------------------------------- reading


def _decode(raw: bytes) -> tuple[str | None, Problem | None, bool]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        bom = True
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), None, True
        except UnicodeDecodeError as exc:
            return None, Problem("RNN001", f"invalid UTF-16 text: {exc.reason}", Span(1, 1)), True
    else:
        bom = False
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return None, Problem("RNN001", "binary file (contains NUL bytes), not a config", Span(line, 1)), bom
    try:
        return raw.decode("utf-8"), None, bom
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = f"invalid UTF-8: byte 0x{raw[exc.start]:02x} cannot start or continue a character"
        return None, Problem("RNN001", msg, Span(line, col)), bom


def read_source(path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES, stdin: bytes | None = None) -> Source:
    """Read and decode one file; every failure becomes a located RNN001 problem."""
    try:
        if stdin is not None:
            raw = stdin
        else:
            with open(path, "rb") as fh:
                raw = fh.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Source(path, None, Problem("RNN001", f"cannot read file: {reason}", Span(1, 1)))
    if len(raw) > max_bytes:
        msg = f"file is larger than the size cap of {max_bytes:,} bytes (set max_file_bytes to raise it)"
        return Source(path, None, Problem("RNN001", msg, Span(1, 1)))
    text, problem, bom = _decode(raw)
    return Source(path, text, problem, bom)


# --------------------------------------------------------------------------- YAML


class _SafeLoader(yaml.CSafeLoader):
    """PyYAML's safe loader (YAML 1.1), with application tags kept as inert values."""


def _construct_tagged(loader: _SafeLoader, suffix_or_node: Any, node: Any = None) -> Tagged:
    if node is None:
        node = suffix_or_node
    value: Any
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)
    return Tagged(node.tag, value)


_SafeLoader.add_constructor(None, _construct_tagged)


def _span_of(node: yaml.Node) -> Span:
    s, e = node.start_mark, node.end_mark
    return Span(s.line + 1, s.column + 1, e.line + 1, e.column)


class YamlLocator:
    def __init__(self, root: yaml.Node) -> None:
        self._root = root

    def _walk(self, path: DocPath) -> tuple[yaml.Node, yaml.Node | None]:
        """The deepest node along ``path`` and, when the last step was a mapping key, its key node."""
        node: yaml.Node = self._root
        key_node: yaml.Node | None = None
        for item in path:
            key_node = None
            if isinstance(node, yaml.MappingNode):
                found = None
                for k, v in reversed(node.value):  # the last duplicate wins, as in the data
                    if isinstance(k, yaml.ScalarNode) and (k.value == item or k.value == str(item)):
                        found = (k, v)
                        break
                if found is None:
                    return node, None
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(item, int):
                if not 0 <= item < len(node.value):
                    return node, None
                node = node.value[item]
            else:
                return node, None
        return node, key_node

    def value(self, path: DocPath) -> Span:
        return _span_of(self._walk(path)[0])

    def key(self, path: DocPath) -> Span:
        node, key_node = self._walk(path)
        return _span_of(key_node if key_node is not None else node)

    @property
    def root(self) -> yaml.Node:
        return self._root


def _yaml_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    span = Span(mark.line + 1, mark.column + 1) if mark is not None else Span(1, 1)
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = "; ".join(p for p in parts if p) or str(exc)
    return Problem("RNN001", f"YAML syntax error: {text}", span)


def parse_yaml(text: str) -> tuple[list[Document], list[Problem]]:
    loader = _SafeLoader(text)
    documents: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            data = loader.construct_document(node)
            documents.append(Document(data, YamlLocator(node), index=len(documents)))
    except yaml.YAMLError as exc:
        return documents, [_yaml_problem(exc)]
    except RecursionError:
        return documents, [Problem("RNN001", "YAML nesting is too deep to read", Span(1, 1))]
    finally:
        loader.dispose()
    for doc in documents:
        doc.count = len(documents)
    return documents, []


# --------------------------------------------------------------------------- JSON

_WS = re.compile(r"[ \t\n\r]*")


class JsonLocator:
    """Finds positions in JSON text on demand, skipping sibling values with the C decoder."""

    def __init__(self, text: str) -> None:
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
                    key, end = json.decoder.scanstring(text, j + 1)  # type: ignore[attr-defined]
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

    def key(self, path: DocPath) -> Span:
        try:
            value_at, key_at = self._find(path)
        except (ValueError, IndexError):
            return Span(1, 1)
        return self._span(key_at if key_at is not None else value_at)


def parse_json(text: str) -> tuple[list[Document], list[Problem]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Problem("RNN001", f"JSON syntax error: {exc.msg}", Span(exc.lineno, exc.colno))]
    except RecursionError:
        return [], [Problem("RNN001", "JSON nesting is too deep to read", Span(1, 1))]
    return [Document(data, JsonLocator(text))], []


# --------------------------------------------------------------------------- templates

JINJA_SKIP_REASON = "Jinja2 template: rnnlint cannot lint it before rendering"
# A Jinja2 expression or statement: ``{{ name }}``, ``{% if ... %}`` (on one line).
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def is_jinja_template(text: str | None) -> bool:
    """Whether ``text`` holds Jinja2 syntax (checked only after the file failed to parse)."""
    return text is not None and _JINJA.search(text) is not None


# --------------------------------------------------------------------------- entry point


def parse_source(source: Source) -> Parsed:
    if source.text is None:
        problems = [source.problem] if source.problem else []
        return Parsed(source, [], problems)
    if source.path.lower().endswith(JSON_SUFFIXES):
        documents, problems = parse_json(source.text)
    elif source.path.lower().endswith(JSONNET_SUFFIXES):
        # Jsonnet is evaluated (optional extra) and mapped back to its source: see rnnlint.jsonnet.
        from rnnlint.jsonnet import parse_jsonnet

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


def display_path(path: str) -> str:
    """Paths are printed relative to the working directory when they are under it."""
    if path == "-" or not os.path.isabs(path):
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel
