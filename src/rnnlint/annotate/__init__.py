"""Annotate mode: write each recurrent layer's parameter count into the config as a comment.

Pure: bytes in, bytes out; reading and writing files is :mod:`rnnlint.app.annotate`.

What is written
    On the line that declares a recurrent layer (its :class:`~rnnlint.model.Span`)::

        - type: lstm  # rnnlint: 1,142,784 params (lstm, 2 layers, bidirectional)

    and on the model's first line the total::

        model:  # rnnlint: total 2,236,034 params (recurrent 235,520)

    ``total at least ...`` when some layer could not be counted (the total is a lower bound),
    ``, with assumed values`` when a count rests on a default or assumed size (RNN104), and
    ``unknown params (...)`` for a recurrent layer whose count is unknown. Several annotations
    that land on one line become one comment, items separated by ``; `` (each layer then
    names itself: ``1,234 params (encoder: lstm); 567 params (decoder: gru)``). Jsonnet files
    get ``//`` instead of ``#`` (:data:`COMMENT_MARKERS`, by suffix); JSON has no comments and
    is never annotated.

Where it goes
    Always at the very end of the line, after everything already there: a comment the user
    wrote on that line is kept and the annotation follows it (``x: 1  # mine  # rnnlint: ...``),
    so no line is ever added or removed and every position rnnlint reports stays valid. A line
    whose end is inside a multi-line scalar (quoted, plain or block) or inside a flow
    collection that continues on the next line cannot take a comment safely: the annotation
    moves down to the first line that can (e.g. the line that closes the flow collection).
    Where that is decided from the YAML scanner's tokens (libyaml, as the loader reads the
    file) or a small Jsonnet lexer, never by looking for ``#`` in the text.

Exact removal
    An annotation is exactly the two spaces, the marker and the grammar in :func:`_pattern`,
    at the end of a line, in comment territory. Strip removes that (and no more), so stripping
    an annotated file gives back the original bytes, and annotating is strip-then-add: an
    existing annotation is replaced in place, never duplicated, and a second run changes
    nothing. Every other byte (indentation, quoting, other comments, blank lines, trailing
    whitespace, each line's own CRLF / LF / CR ending, a UTF-8 byte-order mark, a missing
    final newline) is carried over as it was.
"""

from __future__ import annotations

import codecs
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import yaml

from rnnlint.counting import describe, fmt
from rnnlint.model import Span
from rnnlint.rules.context import CountedLayer

# The comment marker per file suffix; anything else rnnlint reads as YAML.
COMMENT_MARKERS: dict[str, str] = {".yaml": "#", ".yml": "#", ".jsonnet": "//", ".libsonnet": "//"}
DEFAULT_MARKER = "#"
# JSON, and the binary Keras model files (whose model JSON is inside): never annotated.
NO_COMMENT_SUFFIXES = (".json", ".keras", ".h5", ".hdf5")

# Written before the marker; strip removes exactly this much whitespace (at most).
SEPARATOR = "  "
PREFIX = "rnnlint: "

_BOM = codecs.BOM_UTF8
# Line breaks as libyaml counts lines (CRLF, LF, CR, NEL, LS, PS); Jsonnet ends lines at LF only.
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_JSONNET_BREAK = re.compile("\r?\n")

# The annotation grammar. Descriptions exclude what could end or start a comment (# / ;)
# so a match can never run from one comment into the next.
_COUNT = r"\d{1,3}(?:,\d{3})*"
_TEXT = "[^()#;/\r\n\x85\u2028\u2029]"
_DESC = rf"(?:{_TEXT}|\({_TEXT}*\))*"
_LAYER = rf"(?:{_COUNT}|unknown) params \({_DESC}\)"
_TOTAL = rf"total (?:at least )?{_COUNT} params \(recurrent (?:at least )?{_COUNT}(?:, with assumed values)?\)"
_ITEM = rf"(?:{_TOTAL}|{_LAYER})"


@cache
def _pattern(marker: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<sep> {{0,{len(SEPARATOR)}}})(?P<marker>{re.escape(marker)}) {PREFIX}{_ITEM}(?:; {_ITEM})*\Z"
    )


def comment_marker(path: str) -> str | None:
    """The line-comment marker for ``path``; None when the format has no comments (JSON)."""
    lower = path.lower()
    if lower.endswith(NO_COMMENT_SUFFIXES):
        return None
    for suffix, marker in COMMENT_MARKERS.items():
        if lower.endswith(suffix):
            return marker
    return DEFAULT_MARKER


@dataclass(frozen=True)
class Note:
    """Something the caller should tell the user (an annotation left out, a file not read)."""

    line: int
    column: int
    message: str


@dataclass(frozen=True)
class ModelCounts:
    """One model of a file, counted: what annotate needs to write its comments."""

    span: Span
    layers: tuple[CountedLayer, ...]
    assumptions: bool = False


@dataclass(frozen=True)
class Outcome:
    """The new bytes (``data``), their text without the BOM, and what could not be done.

    ``error`` set means the input could not be read; ``data`` is then the input unchanged.
    """

    data: bytes
    text: str
    notes: tuple[Note, ...] = ()
    error: Note | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


# --------------------------------------------------------------------------- lines


@dataclass
class _Lines:
    prefix: bytes
    content: list[str]
    # Each line's own terminator ("" for a last line without one).
    ends: list[str]

    @classmethod
    def split(cls, text: str, prefix: bytes, breaks: re.Pattern[str]) -> _Lines:
        content: list[str] = []
        ends: list[str] = []
        pos = 0
        for m in breaks.finditer(text):
            content.append(text[pos : m.start()])
            ends.append(m.group())
            pos = m.end()
        content.append(text[pos:])
        ends.append("")
        return cls(prefix, content, ends)

    def text(self) -> str:
        return "".join(c + e for c, e in zip(self.content, self.ends, strict=True))

    def encode(self) -> bytes:
        return self.prefix + self.text().encode("utf-8")


def _decode(raw: bytes) -> tuple[str, bytes] | Note:
    prefix = b""
    if raw.startswith(_BOM):
        prefix, raw = _BOM, raw[len(_BOM) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Note(1, 1, "UTF-16 files are not annotated; save the file as UTF-8")
    try:
        return raw.decode("utf-8"), prefix
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Note(line, column, "invalid UTF-8; not annotated")


# --------------------------------------------------------------------------- where comments may go


@dataclass
class _LineInfo:
    """Per line (0-based): where a trailing comment may start, and whether one may be written."""

    # Column from which a comment on this line is comment text (None: the line ends inside a
    # string or scalar, or, for Jsonnet, has no line comment).
    comment_from: list[int | None]
    # A comment may be appended at the end of this line without changing the data.
    writable: list[bool]


# Tokens that are zero-width bookkeeping or document framing, not content a reader sees.
_FRAMING_TOKENS = (
    yaml.StreamStartToken,
    yaml.StreamEndToken,
    yaml.DocumentStartToken,
    yaml.DocumentEndToken,
    yaml.DirectiveToken,
)
_FLOW_OPEN = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
_FLOW_CLOSE = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


def _yaml_info(text: str, count: int) -> _LineInfo | Note:
    """From libyaml's tokens: the last content column, multi-line scalars and flow depth per line."""
    content_end = [0] * count
    has_content = [False] * count
    in_scalar = [False] * count
    depth_change: dict[int, int] = {}
    depth = 0
    loader = yaml.CSafeLoader(text)
    try:
        while loader.check_token():
            token = loader.get_token()
            if token is None:
                break
            start, end = token.start_mark, token.end_mark
            if isinstance(token, _FLOW_OPEN):
                depth += 1
                depth_change[start.line] = depth
            elif isinstance(token, _FLOW_CLOSE):
                depth -= 1
                depth_change[start.line] = depth
            if isinstance(token, yaml.ScalarToken) and end.line > start.line:
                for line in range(start.line, min(end.line, count)):
                    in_scalar[line] = True
            if start.index == end.index or start.line >= count:
                continue  # zero-width (implicit keys, block starts and ends)
            if end.column > 0 and end.line < count:
                content_end[end.line] = max(content_end[end.line], end.column)
            # (A block scalar ends at column 0 of the line below its content; its lines are in_scalar.)
            if not isinstance(token, _FRAMING_TOKENS):
                has_content[start.line] = True
                if end.column > 0 and end.line < count:
                    has_content[end.line] = True
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return Note(line, column, f"YAML cannot be read: {getattr(exc, 'problem', None) or exc}")
    finally:
        loader.dispose()
    comment_from: list[int | None] = []
    writable: list[bool] = []
    depth = 0
    for line in range(count):
        depth = depth_change.get(line, depth)
        comment_from.append(None if in_scalar[line] else content_end[line])
        writable.append(has_content[line] and not in_scalar[line] and depth == 0)
    return _LineInfo(comment_from, writable)


def _jsonnet_info(lines: Sequence[str]) -> _LineInfo:
    """A small Jsonnet lexer: the state at each line's end (code, line comment, string, ...)."""
    comment_from: list[int | None] = []
    writable: list[bool] = []
    state = "code"  # code | str | verbatim | block | text
    quote = ""
    for line in lines:
        i, n = 0, len(line)
        line_comment: int | None = None
        content = state in ("str", "verbatim", "text") and bool(line.strip())
        while i < n and line_comment is None:
            c = line[i]
            if state == "code":
                if c == "#" or line.startswith("//", i):
                    line_comment = i
                elif line.startswith("/*", i):
                    state, i = "block", i + 2
                    continue
                elif line.startswith("|||", i):
                    state, i, content = "text", i + 3, True
                    continue
                elif c == "@" and line[i + 1 : i + 2] in ("'", '"'):
                    state, quote, i, content = "verbatim", line[i + 1], i + 2, True
                    continue
                elif c in "'\"":
                    state, quote, content = "str", c, True
                elif not c.isspace():
                    content = True
                i += 1
            elif state == "block":
                end = line.find("*/", i)
                if end < 0:
                    i = n
                else:
                    state, i = "code", end + 2
            elif state == "text":
                end = line.find("|||", i)
                if end < 0:
                    i = n
                else:
                    state, i = "code", end + 3
            elif state == "str":
                if c == "\\":
                    i += 2
                    continue
                if c == quote:
                    state = "code"
                i += 1
            else:  # verbatim: a doubled quote is the quote itself
                if c == quote:
                    if line[i + 1 : i + 2] == quote:
                        i += 2
                        continue
                    state = "code"
                i += 1
        comment_from.append(line_comment)
        writable.append(content and state == "code")
    return _LineInfo(comment_from, writable)


def _prepare(raw: bytes, marker: str) -> tuple[_Lines, _LineInfo] | Note:
    decoded = _decode(raw)
    if isinstance(decoded, Note):
        return decoded
    text, prefix = decoded
    jsonnet = marker == "//"
    lines = _Lines.split(text, prefix, _JSONNET_BREAK if jsonnet else _YAML_BREAK)
    info = _jsonnet_info(lines.content) if jsonnet else _yaml_info(text, len(lines.content))
    if isinstance(info, Note):
        return info
    return lines, info


def _strip_lines(lines: _Lines, info: _LineInfo, marker: str) -> int:
    """Remove every annotation in place; returns how many were removed."""
    pattern = _pattern(marker)
    removed = 0
    for index, line in enumerate(lines.content):
        start = info.comment_from[index]
        if start is None or PREFIX not in line:
            continue
        # Several in a row (e.g. left by a merge) all go: an annotation is never duplicated.
        while (match := pattern.search(line)) is not None and match.start("marker") >= start:
            line = line[: match.start()]
            removed += 1
        lines.content[index] = line
    return removed


# --------------------------------------------------------------------------- annotation text

_UNSAFE = re.compile("[#;/\r\n\x85\u2028\u2029]")


def _clean(words: str) -> str:
    """Text safe inside the annotation grammar (names and types come from user files)."""
    words = _UNSAFE.sub("_", words)
    if re.fullmatch(_DESC, words) is None:
        words = words.replace("(", "_").replace(")", "_")
    return words


def layer_text(layer: CountedLayer, named: bool = False) -> str:
    """``1,142,784 params (lstm, 2 layers, bidirectional)``; with ``named`` the layer's name leads."""
    params = layer.count.params
    words = describe(layer.spec.module, layer.spec.type)
    if named:
        words = f"{layer.spec.name}: {words}"
    figure = fmt(params) if params is not None else "unknown"
    return f"{figure} params ({_clean(words)})"


def total_text(model: ModelCounts) -> str:
    """``total 2,236,034 params (recurrent 235,520)``, ``total at least ...`` when a count is unknown."""
    total = sum(c.count.params or 0 for c in model.layers)
    recurrent = sum(c.count.params or 0 for c in model.layers if c.recurrent)
    bound = "at least " if any(c.count.params is None for c in model.layers) else ""
    assumed = ", with assumed values" if model.assumptions and not bound else ""
    return f"total {bound}{fmt(total)} params (recurrent {bound}{fmt(recurrent)}{assumed})"


def _target(info: _LineInfo, line: int) -> int | None:
    """The first line at or after ``line`` (1-based) that may take a comment, 0-based."""
    for index in range(max(line - 1, 0), len(info.writable)):
        if info.writable[index]:
            return index
    return None


def _plan(models: Sequence[ModelCounts], info: _LineInfo) -> tuple[dict[int, list[str]], list[Note]]:
    totals: dict[int, list[str]] = {}
    layers: dict[int, list[CountedLayer]] = {}
    notes: list[Note] = []
    for model in models:
        recurrent = [c for c in model.layers if c.recurrent]
        if not recurrent:
            continue  # nothing recurrent: no comment to keep true
        where = _target(info, model.span.line)
        if where is None:
            notes.append(Note(model.span.line, model.span.column, "no line can take the model's total; left out"))
        else:
            totals.setdefault(where, []).append(total_text(model))
        for layer in recurrent:
            span = layer.spec.span
            where = _target(info, span.line)
            if where is None:
                message = f"no line at or after this one can take {layer.spec.name}'s annotation; left out"
                notes.append(Note(span.line, span.column, message))
            else:
                layers.setdefault(where, []).append(layer)
    comments: dict[int, list[str]] = {}
    for index in sorted({*totals, *layers}):
        on_line = sorted(layers.get(index, []), key=lambda c: (c.spec.span.line, c.spec.span.column))
        named = len(on_line) > 1
        comments[index] = [*totals.get(index, []), *(layer_text(c, named) for c in on_line)]
    return comments, notes


# --------------------------------------------------------------------------- entry points


def strip(raw: bytes, marker: str) -> Outcome:
    """``raw`` without its annotations (the bytes annotate started from)."""
    prepared = _prepare(raw, marker)
    if isinstance(prepared, Note):
        return Outcome(raw, "", error=prepared)
    lines, info = prepared
    _strip_lines(lines, info, marker)
    return Outcome(lines.encode(), lines.text())


def annotate(raw: bytes, models: Sequence[ModelCounts], marker: str) -> Outcome:
    """``raw`` with exactly the annotations ``models`` call for (old ones replaced, stale ones removed).

    ``models`` must come from the same text without annotations (the output of :func:`strip`);
    comments do not move anything, so their spans hold for ``raw`` too.
    """
    prepared = _prepare(raw, marker)
    if isinstance(prepared, Note):
        return Outcome(raw, "", error=prepared)
    lines, info = prepared
    _strip_lines(lines, info, marker)
    comments, notes = _plan(models, info)
    for index, items in comments.items():
        lines.content[index] += f"{SEPARATOR}{marker} {PREFIX}{'; '.join(items)}"
    return Outcome(lines.encode(), lines.text(), tuple(notes))


def text_of(raw: bytes) -> str:
    """The text of bytes that :func:`strip` or :func:`annotate` read without error (BOM dropped)."""
    return raw.removeprefix(_BOM).decode("utf-8")


def unified_diff(path: str, old: str, new: str) -> str:
    """A ``git diff``-style unified diff of two texts (``\\ No newline at end of file`` included)."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    out: list[str] = []
    for line in difflib.unified_diff(old_lines, new_lines, fromfile=f"a/{path}", tofile=f"b/{path}"):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
