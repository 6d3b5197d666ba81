"""A fast reader for the plain block YAML most configs are written in, with libyaml's positions.

libyaml (C) scans a config quickly, but PyYAML's composer calls back into Python for every
node (the resolver, the node and two position marks), which costs more than the scan itself.
Most configs use a small part of YAML: block mappings and sequences (also "- - x"), one
value per line (a scalar: plain, or single- or double-quoted without escapes; or a flow
sequence or mapping of such scalars), comments and blank lines. :func:`parse` reads exactly
that part, with one regular expression over the text and a loop over its lines, and builds
the same data and the same positions as the libyaml path (:func:`rnnlint.parse.yaml.parse_yaml`):
the data of :mod:`rnnlint.parse.yaml.construct`, and for every node the start and end marks libyaml gives it.

Anything outside that part returns None and the caller uses libyaml, so this module never has
to be right about the rest of YAML: non-ASCII or control characters, tabs, CR line ends,
document markers and directives, nested flow collections, block scalars, multi-line or escaped
scalars, anchors, aliases, tags, complex keys, duplicate keys, tags other than str, int,
float, bool and null (timestamps, merge keys), and every shape libyaml would reject.
``tests/equivalence/test_blockyaml.py`` checks data, marks and locator answers against libyaml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Final, NamedTuple

import yaml

# The module, not its package (which imports this one).
import rnnlint.parse.yaml.construct as construct

_STR: Final = "tag:yaml.org,2002:str"
_INT: Final = "tag:yaml.org,2002:int"
_FLOAT: Final = "tag:yaml.org,2002:float"
_BOOL: Final = "tag:yaml.org,2002:bool"
_NULL: Final = "tag:yaml.org,2002:null"

# Kinds of node records. A record is a tuple: (kind, line, column, end line, end column, ...),
# 0-based like libyaml's marks; scalars add (text, style, tag), collections their children.
MAP: Final = 0
SEQ: Final = 1
SCALAR: Final = 2

# A plain scalar on one line (block context): a first character that is no indicator (or "-"
# or "?" before a non-space), then anything but ": " and " #". Conservative on purpose: a
# stricter pattern only means more texts go to libyaml.
_FIRST = r"(?:[A-Za-z0-9_.(/$~+=<\\^]|[-?](?=\S))"
# Runs written so that the regular expression engine does not try alternatives per character.
_RUN = r"[^\s:]*(?::(?=\S)[^\s:]*)*"
_PLAIN = rf"{_FIRST}{_RUN}(?: +(?:[^\s:#]|:(?=\S)){_RUN})*"
# The same inside a flow collection, where ",[]{}" end it. No "?" at all: libyaml reads "x?y" and
# "x:?y" as PyYAML's Python scanner does not ("?" ends its flow scalars), and refuses "x:?y" itself.
_FLOW_RUN = r"[^\s:,\[\]{}?]*(?::(?=[^\s,\[\]{}?])[^\s:,\[\]{}?]*)*"
# "?" starts a key in a flow collection, never a scalar.
_FLOW_FIRST = r"(?:[A-Za-z0-9_.(/$~+=<\\^]|-(?=\S))"
_FLOW_PLAIN = rf"{_FLOW_FIRST}{_FLOW_RUN}(?: +(?:[^\s:#,\[\]{{}}?]|:(?=[^\s,\[\]{{}}?])){_FLOW_RUN})*"
_SINGLE = r"'(?:[^']|'')*'"
_DOUBLE = r'"[^"\\]*"'
_SCALAR_RE = rf"(?:{_PLAIN}|{_SINGLE}|{_DOUBLE})"
_ITEM_RE = rf"(?:{_FLOW_PLAIN}|{_SINGLE}|{_DOUBLE})"
# A flow sequence of scalars on one line, [a, 'b', 3], or a flow mapping of scalars, {a: 1, b: x}.
# The line pattern takes any bracketed run (a small pattern compiles faster: every run of rnnlint
# compiles it); its inside is checked with the full pattern, compiled when first needed.
_PAIR_RE = rf"({_ITEM_RE}) *: +({_ITEM_RE})"
_FLOW_RE = (
    rf"\[ *(?:{_ITEM_RE}(?: *, *{_ITEM_RE})*)? *\]"
    rf"|\{{ *(?:{_ITEM_RE} *: +{_ITEM_RE}(?: *, *{_ITEM_RE} *: +{_ITEM_RE})*)? *\}}"
)
# Every line of a text, one match each (re.findall gives the groups as strings, "" when absent):
# indent, "- " (or "- - "), key, the ":" between key and value, a scalar value, a bracketed value, then
# spaces or a comment; or a comment line; or anything else (refused).
_LINES: Final = re.compile(
    rf"^(?:( *)((?:-(?= |$) *)+)?(?:({_SCALAR_RE})( *:(?= |$) *))?(?:({_SCALAR_RE})|(\[[^\]\n]*\]|\{{[^}}\n]*\}}))?"
    r"(?: +#.*| *)| *#.*|(.+))$",
    re.M,
)


@lru_cache(maxsize=1)
def _flow_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The whole flow collection, its items, its pairs."""
    return re.compile(_FLOW_RE), re.compile(_ITEM_RE), re.compile(_PAIR_RE)


# Characters this reader leaves to libyaml (with any non-ASCII one): tabs, CR, controls.
_CONTROL: Final = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_LONGEST_KEY: Final = 1000  # libyaml refuses a simple key whose ":" is more than 1024 characters on
_MARKERS: Final = ("---", "...")  # document markers at column 0 (with a blank after them)

_resolve_tag: Any = yaml.resolver.Resolver().resolve  # PyYAML ships no type hints
_memo = construct.MemoResolver._memo
_BUILT_TAGS: Final = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL})


# What a token means: (text, style, tag, value, whether an int is written other than as plain
# digits). Keys and values repeat across a config and across files; every part is immutable.
Token = tuple[str, str, str, Any, bool]
_TOKENS: dict[str, Token] = {}
_TOKENS_MAX = 8192


def _token(token: str) -> Token:
    first = token[0]
    if first == "'":
        text = token[1:-1].replace("''", "'")
        known: Token = (text, "'", _STR, text, False)
    elif first == '"':
        text = token[1:-1]
        known = (text, '"', _STR, text, False)
    else:
        tag = _memo.get(token)
        if tag is None:
            tag = _resolve_tag(yaml.ScalarNode, token, (True, False))
        if tag not in _BUILT_TAGS:
            raise _Refused  # timestamps, merge keys, '=': PyYAML's constructor
        builder = construct._Builder()  # the same values as the libyaml path builds
        value = builder.scalar(yaml.ScalarNode(tag, token))
        known = (token, "", tag, value, builder.unusual_numbers)
    if len(token) <= 64 and len(_TOKENS) < _TOKENS_MAX:  # bounded: memory stays flat in the number of files
        _TOKENS[token] = known
    return known


class _Refused(Exception):
    """Outside the subset: the caller reads the text with libyaml."""


class Parsed(NamedTuple):
    data: Any
    root: tuple[Any, ...]  # the root node's record
    unusual_numbers: bool  # as construct.construct_noting notes it


class _Frame:
    """A collection being read: its records and data so far, and a key or item awaiting its value."""

    __slots__ = ("col", "data", "items", "key", "kind", "line", "pending")

    def __init__(self, kind: int, line: int, col: int, data: Any, key: tuple[Any, ...] | None) -> None:
        self.kind = kind
        self.line = line
        self.col = col  # the column of its keys or dashes
        self.data = data
        self.items: list[Any] = []  # (key record, value record) pairs, or item records
        self.key = key  # its own key record in the parent mapping (None in a sequence, or the root)
        # A key or "-" whose value is on later lines: (key record, key value, line, column of the empty value)
        self.pending: tuple[Any, Any, int, int] | None = None


class _Reader:
    __slots__ = ("root", "root_data", "stack", "unusual_numbers")

    def __init__(self) -> None:
        self.stack: list[_Frame] = []
        self.root: tuple[Any, ...] | None = None
        self.root_data: Any = None
        self.unusual_numbers = False  # as construct's builder notes it

    def scalar(self, token: str, line: int, col: int) -> tuple[tuple[Any, ...], Any]:
        """A scalar token's record and value."""
        known = _TOKENS.get(token)
        if known is None:
            known = _token(token)
        text, style, tag, value, unusual = known
        if unusual:
            self.unusual_numbers = True
        return (SCALAR, line, col, line, col + len(token), text, style, tag), value

    def close(self, line: int, col: int) -> None:
        """Close the innermost collection; (line, col) is the next token, libyaml's end mark."""
        frame = self.stack.pop()
        if frame.pending is not None:
            self._empty(frame)
        record = (frame.kind, frame.line, frame.col, line, col, frame.items)
        if not self.stack:
            self.root, self.root_data = record, frame.data
        elif frame.key is not None:
            self.stack[-1].items.append((frame.key, record))
        else:
            self.stack[-1].items.append(record)

    @staticmethod
    def _empty(frame: _Frame) -> None:
        """A key or "-" with nothing after it: a null, at the end of the ':' or '-'."""
        assert frame.pending is not None
        key_record, key, line, col = frame.pending
        frame.pending = None
        record = (SCALAR, line, col, line, col, "", "", _NULL)
        if frame.kind == MAP:
            frame.data[key] = None
            frame.items.append((key_record, record))
        else:
            frame.data.append(None)
            frame.items.append(record)

    def open(self, kind: int, line: int, col: int) -> _Frame:
        """A new collection: the root, or the value awaited by the innermost collection."""
        data: Any = {} if kind == MAP else []
        if not self.stack:
            if self.root is not None:
                raise _Refused  # a second root: a libyaml error
            frame = _Frame(kind, line, col, data, None)
        else:
            parent = self.stack[-1]
            pending = parent.pending
            if pending is None:
                raise _Refused
            parent.pending = None
            if parent.kind == MAP:
                parent.data[pending[1]] = data
                frame = _Frame(kind, line, col, data, pending[0])
            else:
                parent.data.append(data)
                frame = _Frame(kind, line, col, data, None)
        self.stack.append(frame)
        return frame

    def sequence_at(self, line: int, col: int) -> _Frame:
        """The sequence a "-" at ``col`` belongs to (closing what it ends, opening a new one)."""
        stack = self.stack
        while stack and stack[-1].col > col:
            self.close(line, col)
        top = stack[-1] if stack else None
        if top is not None and top.kind == SEQ and top.col == col:
            if top.pending is not None:
                self._empty(top)
            return top
        # A new sequence: the root, a value on the lines after "key:" (more indented, or at the
        # key's column), or an item on the lines after "-" (more indented).
        if top is not None and top.pending is None:
            raise _Refused
        return self.open(SEQ, line, col)

    def mapping_at(self, line: int, col: int, in_item: bool) -> _Frame:
        """The mapping a key at ``col`` belongs to (``in_item``: right after "- ")."""
        stack = self.stack
        if not in_item:
            # A key ends deeper collections, and a sequence at its own column (one written
            # without indentation under the previous key).
            while stack and (stack[-1].col > col or (stack[-1].col == col and stack[-1].kind == SEQ)):
                self.close(line, col)
            top = stack[-1] if stack else None
            if top is not None and top.kind == MAP and top.col == col:
                if top.pending is not None:
                    self._empty(top)
                return top
            if top is not None and (top.pending is None or top.col >= col):
                raise _Refused
        else:
            self.stack[-1].pending = (None, None, line, col)  # the item is this mapping
        return self.open(MAP, line, col)

    def value(self, scalar: str, flow: str, line: int, col: int) -> tuple[tuple[Any, ...], Any]:
        """The value on a line, at ``col``: a scalar, or a flow sequence of scalars."""
        if scalar:
            return self.scalar(scalar, line, col)
        whole, items, pairs = _flow_patterns()
        if whole.fullmatch(flow) is None:
            raise _Refused  # nested collections, quotes holding brackets, ...
        records: list[Any] = []
        # The searches run to the end of ``flow``, closing bracket included: an end position before
        # it would hide the "]" or "}" that a last item "-" needs after it ("-(?=\S)"), dropping it.
        if flow[0] == "{":
            mapping: dict[Any, Any] = {}
            for pair in pairs.finditer(flow, 1):
                if pair.start(2) - pair.start(1) >= _LONGEST_KEY:
                    raise _Refused  # libyaml's limit on a simple key, counted up to its ":"
                key_record, key = self.scalar(pair.group(1), line, col + pair.start(1))
                record, value = self.scalar(pair.group(2), line, col + pair.start(2))
                if key in mapping:
                    raise _Refused  # duplicate keys: the libyaml path reports them
                mapping[key] = value
                records.append((key_record, record))
            return (MAP, line, col, line, col + len(flow), records), mapping
        values: list[Any] = []
        for item in items.finditer(flow, 1):
            record, value = self.scalar(item.group(), line, col + item.start())
            records.append(record)
            values.append(value)
        return (SEQ, line, col, line, col + len(flow), records), values

    def entry(self, frame: _Frame, line: int, col: int, key: str, colon: str, scalar: str, flow: str) -> None:
        """A ``key:`` at ``col`` (and its value, when on this line) in ``frame``."""
        key_record, key_value = self.scalar(key, line, col)
        data = frame.data
        if key_value in data:
            raise _Refused  # duplicate keys: the libyaml path reports them
        value_col = col + len(key) + len(colon)
        if not scalar and not flow:
            data[key_value] = None  # a placeholder keeps the keys in order; the value comes later
            frame.pending = (key_record, key_value, line, col + len(key) + colon.index(":") + 1)
            return
        record, data[key_value] = self.value(scalar, flow, line, value_col)
        frame.items.append((key_record, record))


def parse(text: str) -> Parsed | None:
    """The one document of ``text`` when it is plain block YAML; None for anything else."""
    if not text.isascii() or _CONTROL.search(text) is not None:
        return None
    lines = _LINES.findall(text)
    if len(lines) != text.count("\n") + 1:
        return None  # cannot happen (every line matches once); a safety net all the same
    reader = _Reader()
    stack = reader.stack
    tokens = _TOKENS
    started = False  # a "---" line or the document's first node seen
    try:
        for number, (indent, dash, key, colon, value, flow, other) in enumerate(lines):
            # (libyaml counts a simple key's length up to its ":", spaces included; a key at column 0
            # that starts like a document marker, "--- : x" or "... : x", is left to libyaml.)
            if (
                key
                and value
                and not dash
                and stack
                and len(key) + len(colon) < _LONGEST_KEY
                and (indent or not key.startswith(_MARKERS))
            ):
                top = stack[-1]
                col = len(indent)
                if top.col == col and top.pending is None and top.kind == MAP:
                    # The common line, inline: another "key: scalar" in the mapping in hand.
                    known_key = tokens.get(key) or _token(key)
                    known = tokens.get(value) or _token(value)
                    if known_key[4] or known[4]:
                        reader.unusual_numbers = True
                    data = top.data
                    if known_key[3] in data:
                        return None  # duplicate keys: the libyaml path reports them
                    data[known_key[3]] = known[3]
                    start = col + len(key) + len(colon)
                    top.items.append(
                        (
                            (SCALAR, number, col, number, col + len(key), known_key[0], known_key[1], known_key[2]),
                            (SCALAR, number, start, number, start + len(value), known[0], known[1], known[2]),
                        )
                    )
                    started = True
                    continue
            if other:
                return None  # a line this reader does not read
            if not dash and not key:
                if not value and not flow:
                    continue  # blank, or a comment
                if value == "---" and not indent and not started:
                    started = True
                    continue  # the explicit start of the one document ("---" or "--- # ...")
                return None  # a scalar on its own line: a multi-line scalar, a scalar document, "..."
            if not indent and (key or value).startswith(_MARKERS):
                return None  # near a document marker: libyaml decides
            if len(key) + len(colon) >= _LONGEST_KEY:
                return None
            started = True
            col = len(indent)
            if dash:
                sequence = reader.sequence_at(number, col)
                # "- - x": each further "-" starts a sequence that is the item of the one before.
                for offset in range(1, len(dash)):
                    if dash[offset] == "-":
                        sequence.pending = (None, None, number, 0)  # taken at once by the new sequence
                        sequence = reader.open(SEQ, number, col + offset)
                last_dash = col + dash.rindex("-")
                col += len(dash)
                if key:
                    reader.entry(reader.mapping_at(number, col, in_item=True), number, col, key, colon, value, flow)
                elif value or flow:
                    record, item = reader.value(value, flow, number, col)
                    sequence.data.append(item)
                    sequence.items.append(record)
                else:
                    sequence.pending = (None, None, number, last_dash + 1)
            else:
                reader.entry(reader.mapping_at(number, col, in_item=False), number, col, key, colon, value, flow)
        # libyaml's end of stream: collections indented deeper than where the text stops end
        # there; the rest on the line after it (the scanner forces a line break at the end).
        last, stop = len(lines) - 1, len(text) - text.rfind("\n") - 1
        while stack and stack[-1].col > stop:
            reader.close(last, stop)
        while stack:
            reader.close(last + 1 if stop else last, 0)
    except (_Refused, ValueError, TypeError, KeyError, OverflowError):
        return None
    if reader.root is None:
        return None  # no document (only comments): libyaml's answer is the reference
    return Parsed(reader.root_data, reader.root, reader.unusual_numbers)
