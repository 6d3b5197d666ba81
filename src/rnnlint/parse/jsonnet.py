"""Jsonnet files: evaluation with the optional ``jsonnet`` library, and positions in the source.

Evaluation (``pip install 'rnnlint[jsonnet]'``, Google's C++ binding) is sandboxed the
way a linter needs it:

- ``import`` / ``importstr`` are resolved relative to the importing file and never outside
  the project root (the nearest directory above the file holding ``.git`` or
  ``pyproject.toml``; else the working directory when the file is under it; else the
  file's own directory). An import that is missing or outside the root is an RNN001
  diagnostic at the import's line:column; evaluation goes on with a stand-in object in
  its place (fields the file reads from it are added as empty objects), so what the file
  writes itself is still counted. That is a partial evaluation and the note says so.
- ``std.extVar("NAME")`` gets the placeholder string ``"<extVar NAME>"`` (rnnlint never
  reads the environment) and one RNN104 note lists the names.
- Without the library a Jsonnet file gets one RNN104 note saying how to install it.

The evaluated JSON has no positions, so :class:`JsonnetLocator` maps a document path back
to the source by a heuristic over a small Jsonnet tokenizer: each path key is looked up as
a field name (``"key":``, ``key+:``, ``'key'::``, ...) inside the value of the previous
key, preferring the nesting depth right below it; a field whose value is a bare ``local``
name continues in that local's definition; list indices count elements of the first
``[`` in the value. Keys that come from imported files are skipped (the nearest written
ancestor is used), and line 1 is the answer only when no key of the path is written here.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rnnlint import codes
from rnnlint.model import Span
from rnnlint.parse.document import DocPath, Document
from rnnlint.parse.source import Problem

INSTALL_HINT = "pip install 'rnnlint[jsonnet]'"
MISSING_LIBRARY_NOTE = (
    "Jsonnet file not evaluated: Jsonnet support is an optional extra; install it with "
    f"{INSTALL_HINT} to lint this file"
)
# Bounds for a linter: deep recursion and runaway stand-in rounds end as diagnostics.
MAX_STACK = 500
MAX_ROUNDS = 30
MAX_IMPORT_BYTES = 10 * 1024 * 1024

_EXTVAR_CALL = re.compile(r"std\s*\.\s*extVar\s*\(\s*(['\"])([^'\"]*)\1")
_UNDEFINED_EXTVAR = re.compile(r"[Uu]ndefined external variable:\s*(\S+)")
_MISSING_FIELD = re.compile(r"[Ff]ield does not exist:\s*(\S+)")
_TRACE_POS = re.compile(r"^\s*(.+?):(\d+):(\d+)", re.MULTILINE)


# --------------------------------------------------------------------------- project root


def project_root(path: str, cwd: str | None = None) -> str:
    """The directory imports may not leave (see the module docstring)."""
    here = os.path.dirname(os.path.abspath(path))
    probe = here
    while True:
        if os.path.exists(os.path.join(probe, ".git")) or os.path.isfile(os.path.join(probe, "pyproject.toml")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    cwd = os.path.abspath(cwd or os.getcwd())
    if _inside(here, cwd):
        return cwd
    return here


def _inside(path: str, root: str) -> bool:
    real_path, real_root = os.path.realpath(path), os.path.realpath(root)
    return real_path == real_root or real_path.startswith(real_root.rstrip(os.sep) + os.sep)


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    kind: str  # "str", "id", "num", "punct"
    value: str
    offset: int
    # Open brackets ({[( ) around the token; an opener and its closer share the outer depth.
    depth: int
    # The innermost open bracket around the token ("" at top level).
    inside: str


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\", '"': '"', "'": "'"}


def _scan_string(text: str, i: int, quote: str) -> tuple[str, int]:
    """A quoted string starting after the opening quote at ``i``; returns (value, end)."""
    out: list[str] = []
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt == "u" and i + 5 < n:
                try:
                    out.append(chr(int(text[i + 2 : i + 6], 16)))
                except ValueError:
                    out.append(nxt)
                i += 6
                continue
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        if c == quote:
            return "".join(out), i + 1
        out.append(c)
        i += 1
    return "".join(out), n


def tokenize(text: str) -> list[Token]:
    """Jsonnet tokens with their nesting; never raises (unterminated parts run to the end)."""
    tokens: list[Token] = []
    stack: list[str] = []
    i, n = 0, len(text)

    def add(kind: str, value: str, start: int) -> None:
        tokens.append(Token(kind, value, start, len(stack), stack[-1] if stack else ""))

    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#" or text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif text.startswith("|||", i):
            j = text.find("|||", i + 3)
            end = n if j < 0 else j + 3
            add("str", text[i + 3 : j if j >= 0 else n], i)
            i = end
        elif c in "\"'":
            value, end = _scan_string(text, i + 1, c)
            add("str", value, i)
            i = end
        elif c == "@" and i + 1 < n and text[i + 1] in "\"'":
            quote = text[i + 1]
            j = i + 2
            buf: list[str] = []
            while j < n:
                if text[j] == quote:
                    if j + 1 < n and text[j + 1] == quote:
                        buf.append(quote)
                        j += 2
                        continue
                    j += 1
                    break
                buf.append(text[j])
                j += 1
            add("str", "".join(buf), i)
            i = j
        elif (m := _IDENT.match(text, i)) is not None:
            add("id", m.group(), i)
            i = m.end()
        elif (m := _NUMBER.match(text, i)) is not None:
            add("num", m.group(), i)
            i = m.end()
        elif c in "{[(":
            add("punct", c, i)
            stack.append(c)
            i += 1
        elif c in "}])":
            if stack:
                stack.pop()
            add("punct", c, i)
            i += 1
        else:
            add("punct", c, i)
            i += 1
    return tokens


# --------------------------------------------------------------------------- locator


@dataclass(frozen=True)
class _Field:
    name: str
    key_index: int
    value_index: int
    depth: int


class JsonnetLocator:
    """Positions in Jsonnet source for paths into the evaluated JSON (a documented heuristic)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._tokens = tokenize(text)
        self._fields = self._find_fields()
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def _find_fields(self) -> list[_Field]:
        toks = self._tokens
        found: list[_Field] = []
        for i, tok in enumerate(toks):
            if tok.kind not in ("str", "id") or tok.inside != "{":
                continue
            j = i + 1
            if j < len(toks) and toks[j].value == "+":
                j += 1
            if j >= len(toks) or toks[j].value != ":":
                continue
            while j < len(toks) and toks[j].value == ":":
                j += 1
            if tok.kind == "id" and i > 0 and toks[i - 1].value in (".", "local"):
                continue
            found.append(_Field(tok.value, i, min(j, len(toks) - 1), tok.depth))
        return found

    def _extent(self, start: int, depth: int) -> int:
        """Index just past the value that starts at token ``start`` in an object at ``depth``."""
        toks = self._tokens
        j = start
        while j < len(toks):
            tok = toks[j]
            if tok.depth < depth or (tok.depth == depth and tok.value in (",", ";")):
                break
            j += 1
        return j

    def _local(self, name: str) -> int | None:
        """Token index of the value of ``local name = ...``, when the file defines it."""
        toks = self._tokens
        for i in range(len(toks) - 2):
            if toks[i].value == "local" and toks[i + 1].value == name and toks[i + 2].value == "=":
                return i + 3 if i + 3 < len(toks) else None
        return None

    def _element(self, start: int, end: int, index: int) -> int | None:
        toks = self._tokens
        j = start
        while j < end and toks[j].value != "[":
            j += 1
        if j >= end:
            return None
        inner = toks[j].depth + 1
        j += 1
        current = 0
        while j < len(toks) and toks[j].depth >= inner:
            if current == index:
                return j
            # skip to the next comma at this list's depth
            while j < len(toks) and toks[j].depth >= inner and not (toks[j].depth == inner and toks[j].value == ","):
                j += 1
            if j < len(toks) and toks[j].value == ",":
                j += 1
                current += 1
        return None

    def _resolve(self, path: DocPath) -> tuple[int, int] | None:
        """Token indices (key, value) of the deepest path step written in this file."""
        toks = self._tokens
        if not toks:
            return None
        start, end = 0, len(toks)
        want: int | None = None
        found: tuple[int, int] | None = None
        for item in path:
            if isinstance(item, int):
                elem = self._element(start, end, item)
                if elem is None:
                    continue
                found = (elem, elem)
                start, end = elem, self._extent(elem, toks[elem].depth)
                want = toks[elem].depth + 1
                continue
            candidates = [f for f in self._fields if f.name == item and start <= f.key_index < end]
            if not candidates:
                continue
            exact = [f for f in candidates if f.depth == want]
            best = exact[0] if exact else min(candidates, key=lambda f: (f.depth, f.key_index))
            value = best.value_index
            found = (best.key_index, value)
            start, end, want = value, self._extent(value, best.depth), best.depth + 1
            # ``key: SOME_LOCAL`` continues in the local's definition.
            if toks[value].kind == "id" and (value + 1 >= len(toks) or toks[value + 1].value in (",", "}", ";")):
                defined = self._local(toks[value].value)
                if defined is not None:
                    found = (best.key_index, defined)
                    start = defined
                    end = self._extent(defined, toks[defined].depth)
                    want = toks[defined].depth + 1
        return found

    def _span(self, offset: int) -> Span:
        import bisect

        line = bisect.bisect_right(self._line_starts, offset)
        return Span(line, offset - self._line_starts[line - 1] + 1)

    def value(self, path: DocPath) -> Span:
        found = self._resolve(path)
        return self._span(self._tokens[found[1]].offset) if found else Span(1, 1)

    def key(self, path: DocPath) -> Span:
        found = self._resolve(path)
        return self._span(self._tokens[found[0]].offset) if found else Span(1, 1)

    def import_span(self, target: str) -> Span | None:
        """Position of ``import 'target'`` (or importstr) in this file."""
        toks = self._tokens
        for i in range(len(toks) - 1):
            is_import = toks[i].value in ("import", "importstr", "importbin") and toks[i + 1].kind == "str"
            if is_import and toks[i + 1].value == target:
                return self._span(toks[i].offset)
        return None


# --------------------------------------------------------------------------- evaluation


@dataclass
class _Stand:
    """An import rnnlint could not read, evaluated as an object with the fields the file reads."""

    rel: str
    importer: str
    reason: str
    fields: set[str] = field(default_factory=set)

    def content(self) -> bytes:
        body = ", ".join(f"{json.dumps(name)}: {{}}" for name in sorted(self.fields))
        return ("{" + body + "}").encode("utf-8")


def _load_library() -> Any:
    try:
        import _jsonnet  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    return _jsonnet


def _first_line(message: str) -> str:
    text = message.strip().splitlines()[0] if message.strip() else message
    return text.removeprefix("RUNTIME ERROR: ").removeprefix("STATIC ERROR: ")


def _error_span(message: str, main: str) -> Span:
    """The first traceback frame in the main file (jsonnet prints ``file:line:col``)."""
    for m in _TRACE_POS.finditer(message):
        name = m.group(1).strip()
        if name.startswith(("RUNTIME ERROR", "STATIC ERROR")):
            name = name.split(":", 1)[-1].strip()
        if os.path.abspath(name) == main or name == main:
            return Span(int(m.group(2)), int(m.group(3)))
    return Span(1, 1)


def evaluate(path: str, text: str, cwd: str | None = None) -> tuple[Any, list[Problem]]:
    """Evaluate Jsonnet ``text`` (from ``path``); returns (data or None, problems)."""
    library = _load_library()
    if library is None:
        return None, [Problem(codes.RNN104, MISSING_LIBRARY_NOTE, Span(1, 1))]
    main = os.path.abspath(path if path != "-" else os.path.join(cwd or os.getcwd(), "<stdin>.jsonnet"))
    root = project_root(main, cwd)
    locator = JsonnetLocator(text)
    ext_vars: dict[str, str] = {}
    for m in _EXTVAR_CALL.finditer(text):
        ext_vars.setdefault(m.group(2), f"<extVar {m.group(2)}>")
    stands: dict[tuple[str, str], _Stand] = {}

    def import_callback(directory: str, rel: str) -> tuple[str, bytes]:
        base = directory or os.path.dirname(main)
        target = os.path.normpath(os.path.join(base, rel))
        importer = os.path.join(base, "")
        key = (base, rel)
        reason = ""
        if not _inside(target, root):
            reason = f"it resolves outside the project root {root}, which rnnlint never reads"
        elif not os.path.isfile(target):
            reason = f"no file {target}"
        else:
            try:
                with open(target, "rb") as fh:
                    content = fh.read(MAX_IMPORT_BYTES + 1)
            except OSError as exc:
                reason = f"cannot read {target}: {exc.strerror or exc}"
            else:
                if len(content) <= MAX_IMPORT_BYTES:
                    return target, content
                reason = f"{target} is larger than {MAX_IMPORT_BYTES:,} bytes"
        stand = stands.setdefault(key, _Stand(rel, importer, reason))
        # A distinct name per stand-in keeps jsonnet's import cache from mixing them.
        return os.path.join(base, f"<unresolved {rel}>"), stand.content()

    evaluate_snippet: Callable[..., str] = library.evaluate_snippet
    data: Any = None
    failure: tuple[str, Span] | None = None
    for _ in range(MAX_ROUNDS):
        try:
            output = evaluate_snippet(
                main, text, import_callback=import_callback, ext_vars=dict(ext_vars), max_stack=MAX_STACK
            )
        except RuntimeError as exc:
            message = str(exc)
            undefined = _UNDEFINED_EXTVAR.search(message)
            if undefined and undefined.group(1) not in ext_vars:
                name = undefined.group(1).strip("\"'")
                ext_vars[name] = f"<extVar {name}>"
                continue
            missing = _MISSING_FIELD.search(message)
            if missing and stands:
                name = missing.group(1)
                grown = [s for s in stands.values() if name not in s.fields]
                if grown:
                    for stand in grown:
                        stand.fields.add(name)
                    continue
            failure = (_first_line(message), _error_span(message, main))
            break
        try:
            data = json.loads(output)
        except ValueError:  # pragma: no cover - the library always returns JSON
            failure = ("Jsonnet evaluation did not produce JSON", Span(1, 1))
        break
    else:
        failure = ("Jsonnet evaluation needed too many stand-ins for unreadable imports", Span(1, 1))

    problems: list[Problem] = []
    for stand in stands.values():
        here = os.path.dirname(main) == os.path.normpath(stand.importer)
        span = (locator.import_span(stand.rel) if here else None) or Span(1, 1)
        where = "" if here else f" (imported from {stand.importer})"
        problems.append(
            Problem(
                codes.RNN001,
                f"cannot import {stand.rel!r}{where}: {stand.reason}; evaluated with an empty object in "
                "its place, so only what this file writes itself is counted",
                span,
            )
        )
    if failure is not None:
        problems.append(Problem(codes.RNN001, f"Jsonnet evaluation failed: {failure[0]}", failure[1]))
        return None, problems
    if ext_vars:
        first = _EXTVAR_CALL.search(text)
        span = locator._span(first.start()) if first else Span(1, 1)
        names = ", ".join(sorted(ext_vars))
        problems.append(
            Problem(
                codes.RNN104,
                f"std.extVar values are not read from the environment: {names} evaluated as placeholder "
                "strings '<extVar NAME>' (sizes computed from them would be wrong)",
                span,
            )
        )
    return data, problems


def parse_jsonnet(path: str, text: str) -> tuple[list[Document], list[Problem]]:
    """Loader entry point: one document (the evaluated JSON) with a source-mapping locator."""
    data, problems = evaluate(path, text)
    if data is None:
        return [], problems
    return [Document(data, JsonnetLocator(text), problems=problems)], []
