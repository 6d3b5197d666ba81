"""OmegaConf / Hydra interpolation, resolved inside one file, lazily and without crashing.

Hydra, Lightning and NeMo configs write sizes as ``${model.encoder.d_model}``. rnnlint
resolves the interpolations that point inside the file it reads and reports the others
as unknown; it never runs resolvers and never reads other files. Only the values a
dialect asks for are resolved.

API (all pure; ``root`` is ``Document.data``, ``at`` is the document path of the key
whose value is being resolved, needed only for relative interpolations)::

    value, note = resolve(root, raw_value, at)   # one value already read from the tree
    value, note = lookup(root, ("model", "hidden_size"))   # read a path and resolve it
    if value is UNRESOLVED: ...                  # note says why, in words for a user

- ``value`` is the resolved value, or :data:`UNRESOLVED`; ``note`` is ``None`` when
  nothing needed resolving or everything resolved, else a sentence naming the
  interpolation and why it stays unknown (for an RNN104 assumption or an RNN205 reason).
- A string that is exactly one interpolation takes the target's value and type
  (``"${a.b}"`` -> ``256``); interpolations inside a longer string give a string
  (``"lstm_${a.b}"`` -> ``"lstm_256"``), as OmegaConf does.
- Absolute ``${a.b.c}`` starts at the document root; relative ``${.x}`` starts at the
  mapping that holds the key at ``at``, each further dot goes one level up
  (``${..x}`` is a key of the parent mapping). ``${a.0}`` and ``${a[0]}`` index lists.
  Targets that are themselves interpolations are followed; a cycle is reported, not looped.
- Unknown (UNRESOLVED with a note): resolvers (``${oc.env:HOME}``, ``${if:...}``, any
  ``${name:...}``), the mandatory-missing marker ``???`` (as the value or as a target),
  targets not in the file (Hydra ``defaults:`` or the command line may supply them),
  cycles, and malformed ``${`` syntax. Escaped ``\\${...}`` is literal text.
- Containers (mappings, lists) are returned as they are; resolve their members one by one.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from typing import Any, Final

PathItem = str | int
DocPath = tuple[PathItem, ...]

MISSING_MARKER: Final = "???"
# Deep enough for any real chain; guards against pathological files.
_MAX_DEPTH: Final = 64
_INDEX = re.compile(r"\[([^\[\]]*)\]")


class _Marker(enum.Enum):
    UNRESOLVED = "UNRESOLVED"

    def __repr__(self) -> str:
        return "UNRESOLVED"


UNRESOLVED: Final = _Marker.UNRESOLVED
"""The value of an interpolation rnnlint cannot resolve from the file alone."""


class _Unresolvable(Exception):
    """Internal: carries the user-facing note up to :func:`resolve`."""


def has_interpolation(value: Any) -> bool:
    """Whether ``value`` is a string that OmegaConf would interpolate (or the ``???`` marker)."""
    return isinstance(value, str) and ("${" in value or value == MISSING_MARKER)


def resolve(root: Any, value: Any, at: Sequence[PathItem] = ()) -> tuple[Any, str | None]:
    """Resolve ``value`` (read from the key at path ``at`` of ``root``): ``(value | UNRESOLVED, note)``."""
    if not has_interpolation(value):
        return value, None
    try:
        return _resolve_value(root, value, tuple(at), ()), None
    except _Unresolvable as exc:
        return UNRESOLVED, str(exc)


def lookup(root: Any, path: Sequence[PathItem]) -> tuple[Any, str | None]:
    """The resolved value at ``path`` (interpolations along the way followed): ``(value | UNRESOLVED, note)``.

    A path that is not in the file gives ``(UNRESOLVED, note)``.
    """
    try:
        target_path, target = _walk(root, tuple(path), ())
        return _resolve_value(root, target, target_path, ()), None
    except _Unresolvable as exc:
        return UNRESOLVED, str(exc)


def display(path: Sequence[PathItem]) -> str:
    """A document path the way OmegaConf writes it: ``model.layers[0].hidden_size``."""
    out = ""
    for item in path:
        if isinstance(item, int):
            out += f"[{item}]"
        else:
            out += ("." if out else "") + str(item)
    return out or "<root>"


# --------------------------------------------------------------------------- internals


def _resolve_value(root: Any, value: Any, at: DocPath, chain: tuple[DocPath, ...]) -> Any:
    if not isinstance(value, str):
        return value
    if value == MISSING_MARKER:
        raise _Unresolvable(f"'{display(at)}' is '???' (a mandatory value set at run time)")
    if "${" not in value:
        return value
    if len(chain) > _MAX_DEPTH:
        raise _Unresolvable(f"interpolation chain through '{display(at)}' is too deep")
    pieces = _split(value)
    if len(pieces) == 1 and isinstance(pieces[0], _Interp):
        return _evaluate(root, pieces[0].body, at, chain)
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, _Interp):
            resolved = _evaluate(root, piece.body, at, chain)
            if isinstance(resolved, (dict, list)):
                raise _Unresolvable(f"'${{{piece.body}}}' is a mapping or list used inside a string")
            out.append(_to_text(resolved))
        else:
            out.append(piece)
    return "".join(out)


def _to_text(value: Any) -> str:
    if value is None:
        return "None"
    return str(value)


class _Interp:
    __slots__ = ("body",)

    def __init__(self, body: str) -> None:
        self.body = body


def _split(text: str) -> list[str | _Interp]:
    """Literal text and ``${...}`` parts (nested braces balanced, ``\\${`` kept literal)."""
    pieces: list[str | _Interp] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("\\${", i):
            literal.append("${")
            i += 3
            continue
        if text.startswith("${", i):
            depth, j = 1, i + 2
            while j < len(text) and depth:
                if text.startswith("${", j):
                    depth += 1
                    j += 2
                    continue
                if text[j] == "}":
                    depth -= 1
                j += 1
            if depth:
                raise _Unresolvable(f"'{text}' has an unclosed '${{'")
            if literal:
                pieces.append("".join(literal))
                literal = []
            pieces.append(_Interp(text[i + 2 : j - 1].strip()))
            i = j
            continue
        literal.append(text[i])
        i += 1
    if literal:
        pieces.append("".join(literal))
    return pieces


def _top_level_colon(body: str) -> int:
    depth = 0
    for i, ch in enumerate(body):
        if body.startswith("${", i):
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif ch == ":" and depth == 0:
            return i
    return -1


def _evaluate(root: Any, body: str, at: DocPath, chain: tuple[DocPath, ...]) -> Any:
    colon = _top_level_colon(body)
    if colon >= 0:
        name = body[:colon].strip()
        raise _Unresolvable(
            f"'${{{body}}}' calls the resolver '{name}', which rnnlint does not run "
            "(its value is known only at run time)"
        )
    key = body
    if "${" in key:  # a nested interpolation builds the key, e.g. ${models.${name}.size}
        key = _to_text(_resolve_value(root, key, at, chain))
    if not key:
        raise _Unresolvable("'${}' is an empty interpolation")
    target = _target_path(key, at, body)
    if target in chain or target == at:
        loop = " -> ".join(display(p) for p in (*chain, at, target))
        raise _Unresolvable(f"'${{{body}}}' is circular: {loop}")
    target_path, raw = _walk(root, target, (*chain, at))
    return _resolve_value(root, raw, target_path, (*chain, at))


def _target_path(key: str, at: DocPath, body: str) -> DocPath:
    if key.startswith("."):
        dots = len(key) - len(key.lstrip("."))
        # '.x' is a sibling: start at the mapping holding the key; each extra dot goes up one.
        base = at[:-1]
        up = dots - 1
        if up > len(base):
            raise _Unresolvable(f"'${{{body}}}' goes above the top of this file (it is resolved in a parent config)")
        base = base[: len(base) - up]
        rest = key[dots:]
    else:
        base = ()
        rest = key
    return (*base, *_parse_key(rest, body))


def _parse_key(key: str, body: str) -> DocPath:
    if not key:
        return ()
    items: list[PathItem] = []
    for part in key.split("."):
        if part == "" and items:
            raise _Unresolvable(f"'${{{body}}}' is not a valid interpolation key")
        head = _INDEX.split(part)
        # _INDEX.split yields [name, idx, between, idx, ...]
        if head[0]:
            items.append(head[0])
        for idx in head[1::2]:
            idx = idx.strip().strip("'\"")
            items.append(int(idx) if idx.lstrip("-").isdigit() else idx)
    return tuple(items)


def _walk(root: Any, path: DocPath, chain: tuple[DocPath, ...]) -> tuple[DocPath, Any]:
    """The raw value at ``path``; intermediate interpolated nodes are followed."""
    node = root
    walked: DocPath = ()
    for item in path:
        if isinstance(node, str) and has_interpolation(node):
            node = _resolve_value(root, node, walked, chain)
        if isinstance(node, dict):
            if item in node:
                node = node[item]
            elif isinstance(item, int) and str(item) in node:
                node = node[str(item)]
            else:
                raise _missing(path)
        elif isinstance(node, list):
            index = item if isinstance(item, int) else int(item) if str(item).isdigit() else None
            if index is None or not -len(node) <= index < len(node):
                raise _missing(path)
            item = index
            node = node[index]
        else:
            raise _missing(path)
        walked = (*walked, item)
    return walked, node


def _missing(path: DocPath) -> _Unresolvable:
    return _Unresolvable(
        f"'${{{display(path)}}}' points to a key that is not in this file "
        "(Hydra defaults or command-line overrides may set it)"
    )
