"""``json.dumps(value, indent=2)``, the same text, several times faster.

With ``indent`` set, the json module leaves its C encoder for a pure-Python chain of
generators, which costs more than linting when a run reports thousands of files. This
module writes the same text with one recursive function over the plain values a report is
made of (dict with str keys, list, tuple, str, int, float, bool, None); strings are escaped by
json's own C functions. ``tests/unit/test_jsontext.py`` compares it with ``json.dumps``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

# json's own C escapers (the Python fallbacks when the C module is missing).
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

_float_repr = float.__repr__
_int_repr = int.__repr__


def dumps(value: Any, ensure_ascii: bool = True) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=ensure_ascii)``."""
    parts: list[str] = []
    _write(value, parts, encode_basestring_ascii if ensure_ascii else encode_basestring, "\n")
    return "".join(parts)


def _scalar(value: Any, quote: Any) -> str | None:
    """The text of a scalar, or None for a container."""
    kind = type(value)
    if kind is str:
        return quote(value)  # type: ignore[no-any-return]
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return _int_repr(value)
    if kind is float:
        if value != value:
            return "NaN"
        if value == float("inf"):
            return "Infinity"
        if value == -float("inf"):
            return "-Infinity"
        return _float_repr(value)
    return None


def _key(key: Any) -> str:
    """A non-string key as json writes it (int, float, bool, None; anything else is an error)."""
    if isinstance(key, float):
        return _scalar(float(key), str) or ""
    if key is True or key is False or key is None:
        return _scalar(key, str) or ""
    if isinstance(key, int):
        return _int_repr(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _write(value: Any, parts: list[str], quote: Any, newline: str) -> None:
    text = _scalar(value, quote)
    if text is not None:
        parts.append(text)
        return
    kind = type(value)
    inner = newline + "  "
    if kind is dict:
        if not value:
            parts.append("{}")
            return
        parts.append("{")
        first = True
        for key, item in value.items():
            if not isinstance(key, str):
                key = _key(key)
            parts.append(inner if first else "," + inner)
            first = False
            parts.append(quote(key))
            parts.append(": ")
            _write(item, parts, quote, inner)
        parts.append(newline + "}")
        return
    if kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        parts.append("[")
        first = True
        for item in value:
            parts.append(inner if first else "," + inner)
            first = False
            _write(item, parts, quote, inner)
        parts.append(newline + "]")
        return
    # Anything else (a subclass, a custom object): json's own encoder decides, as before.
    parts.append(json.dumps(value, indent=2, ensure_ascii=quote is encode_basestring_ascii).replace("\n", newline))


def dumps_at(value: Any, newline: str, ensure_ascii: bool = True) -> str:
    """``value`` as :func:`dumps` writes it where its line is indented by ``newline`` (``"\\n"`` + spaces)."""
    parts: list[str] = []
    _write(value, parts, encode_basestring_ascii if ensure_ascii else encode_basestring, newline)
    return "".join(parts)


def template(skeleton: Any, markers: list[str], ensure_ascii: bool = True) -> list[tuple[str, str]]:
    """A document to be written in parts: ``dumps(skeleton)`` cut at each of the ``markers`` (string values
    in ``skeleton``, in the order they are written). One ``(text before the marker, newline)`` per marker,
    ``newline`` being the indentation of the marker's line, then ``(the rest, "")``.

    What goes in a marker's place, written with :func:`dumps_at` or an :class:`Array` at that ``newline``,
    makes the same text as :func:`dumps` of the whole document."""
    quote = encode_basestring_ascii if ensure_ascii else encode_basestring
    text = dumps(skeleton, ensure_ascii)
    pieces: list[tuple[str, str]] = []
    start = 0
    for marker in markers:
        at = text.index(quote(marker), start)
        line = text[text.rfind("\n", 0, at) + 1 : at]
        pieces.append((text[start:at], "\n" + " " * (len(line) - len(line.lstrip(" ")))))
        start = at + len(quote(marker))
    pieces.append((text[start:], ""))
    return pieces


class Array:
    """A JSON array written one item at a time, as :func:`dumps` writes a list at ``newline``'s indentation.

    Nothing is written before the first item (``[`` comes with it); :meth:`close` writes ``[]`` or the
    closing line, to ``write`` or to another stream (the items may go to a spool first)."""

    def __init__(self, write: Callable[[str], object], newline: str, ensure_ascii: bool = True) -> None:
        self._write = write
        self._newline = newline
        self._inner = newline + "  "
        self._quote = encode_basestring_ascii if ensure_ascii else encode_basestring
        self.empty = True

    def add(self, value: Any) -> None:
        parts = ["[" + self._inner if self.empty else "," + self._inner]
        _write(value, parts, self._quote, self._inner)
        self.empty = False
        self._write("".join(parts))

    def closing(self) -> str:
        """What ends the array: ``[]`` when it had no item, else the newline and ``]``."""
        return "[]" if self.empty else self._newline + "]"
