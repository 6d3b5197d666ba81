"""JSON text -> documents with positions, and the lenient reading of a ``.json`` file with comments.

JSON is parsed by the C ``json`` module (imported for JSON files only: a YAML run does not pay for
it), and positions are found on demand by scanning the text along the wanted path (:class:`JsonLocator`).
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate
from typing import Any, NamedTuple

from rnnlint import codes
from rnnlint.model import Span
from rnnlint.parse.document import DocPath, Document
from rnnlint.parse.limits import MAX_NESTING_DEPTH, value_problem
from rnnlint.parse.source import Problem

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
        return [], [value_problem(exc, text)]
    if text.count("[") + text.count("{") > MAX_NESTING_DEPTH:
        problem = _json_too_deep(text)
        if problem is not None:
            return [], [problem]
    locator = JsonLocator(text)
    document = Document(data, locator)
    if duplicated:
        document.problems.extend(_json_duplicates(data, duplicated, locator))
    return [document], []


# --------------------------------------------------------------------------- JSON with comments


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


class Lenient(NamedTuple):
    """A ``.json`` file that is not JSON, read again as JSON with comments and trailing commas.

    ``features`` names what it needed beyond JSON: ``"//"``, ``"#"``, ``"/*"`` comments and
    ``","`` (a trailing comma). The engine lints these documents only when the dialect that
    recognises them reads such files (AllenNLP reads ``.json`` through Jsonnet); otherwise they
    only tell whether the file is a model config (see ``engine.lint_parsed``).
    """

    documents: list[Document]
    features: frozenset[str]


def lenient_json(text: str) -> Lenient | None:
    """The JSON-with-comments reading of a file that failed as JSON (None when that fails too)."""
    stripped = strip_json_comments(text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text)
    if stripped is None:
        return None
    documents, problems = parse_json(stripped[0])
    if problems or not documents:
        return None
    return Lenient(documents, stripped[1])
