"""What every dialect needs: a section reader with positions, one set of coercers, the override advice.

- :class:`SectionReader` reads one mapping of a document: its values, the toolkit's defaults for absent
  keys (each default used is noted, for the dialect's "defaults assumed" message) and where each key and
  the section itself are written.
- :func:`as_int`, :func:`as_float`, :func:`as_number`, :func:`as_bool` turn a value into what the toolkit's
  own code would make of it, or None (the default) when the toolkit would not take it. Where toolkits truly
  differ (which strings are booleans; whether argparse reads the value), the difference is a named argument,
  and the dialect's call site says which toolkit code it follows.
- :func:`override` / :func:`how_to_state` write the advice that names the ``[[tool.rnnlint.overrides]]`` key
  stating a size the file cannot state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple, overload

from rnnlint.model import Span
from rnnlint.parse.document import DocPath, Document
from rnnlint.settings.keys import OVERRIDES

# --------------------------------------------------------------------------- advice

OVERRIDE_TABLE = f"[[tool.rnnlint.{OVERRIDES}]]"


def override(key: str = "input_size") -> str:
    """The override line that states ``key`` for a file: ``[[tool.rnnlint.overrides]] input_size = N``."""
    return f"{OVERRIDE_TABLE} {key} = N"


def how_to_state(key: str = "input_size", *, first: str | None = None, scope: str | None = None) -> str:
    """``state it with [<first> or ]<override line>[ (<scope>)]``: the end of a note on an unknown size."""
    text = f"state it with {first} or {override(key)}" if first else f"state it with {override(key)}"
    return f"{text} ({scope})" if scope else text


HOW_TO_STATE_INPUT = how_to_state()

# --------------------------------------------------------------------------- coercers


def as_int(value: Any, *, minimum: int | None = None, strings: bool = False, unset: int | None = None) -> int | None:
    """An integer (never a bool), or None; None too below ``minimum``. ``unset``: what a null stands for.

    ``strings``: the toolkit reads the value with argparse's ``type=int`` (configargparse hands YAML values to
    argparse as text), so a string ``int()`` accepts is that integer.
    """
    if value is None:
        return unset
    if isinstance(value, bool):
        return None
    if strings and isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            return None
    if not isinstance(value, int):
        return None
    return None if minimum is not None and value < minimum else value


def as_float(value: Any, *, strings: bool = False) -> float | None:
    """A number as a float (never a bool), or None. ``strings``: argparse's ``type=float`` reads text too."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if strings:
        try:
            return float(str(value))
        except ValueError:
            return None
    return None


def as_number(value: Any) -> int | float | None:
    """An int or float as it is (never a bool), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


class BoolWords(NamedTuple):
    """Which strings a toolkit takes for true and for false (lowercased first; ``strip``: blanks around removed).

    ``None`` for one side: every other string is that side (``if cfg.flag:`` in Python, or ``== "true"``).
    A string in neither set is not a boolean: :func:`as_bool` gives its default.
    """

    true: frozenset[str] | None
    false: frozenset[str] | None
    strip: bool = True


# A string is never a boolean (the toolkit passes it on and the count cannot follow).
NO_STRINGS = BoolWords(frozenset(), frozenset())
# "true" / "false" only (distutils' strtobool subset that the dialect trusts), anything else: the default.
TRUE_OR_FALSE = BoolWords(frozenset({"true"}), frozenset({"false"}))
# "true" is true, every other string false (a comparison with "true", or a JSON loader that keeps the string).
TRUE_ELSE_FALSE = BoolWords(frozenset({"true"}), None)
# "true", "yes", "1" are true, every other string false.
YES_ELSE_FALSE = BoolWords(frozenset({"true", "yes", "1"}), None)
# YAML 1.1's words and 0 / 1 both ways; anything else: the default.
YES_OR_NO = BoolWords(frozenset({"true", "yes", "on", "1"}), frozenset({"false", "no", "off", "0"}))
# distutils' ``strtobool`` (argparse ``type=strtobool``), which takes the text as it is.
STRTOBOOL = BoolWords(
    frozenset({"y", "yes", "t", "true", "on", "1"}), frozenset({"n", "no", "f", "false", "off", "0"}), strip=False
)
# Python's truth: only the empty string is false (``bool("false")`` is True).
PYTHON_TRUTH = BoolWords(None, frozenset({""}), strip=False)

# What a value that is neither a bool nor a string is: ``bool(value)``; an int's truth (other values: the
# default); or always the default.
Others = Literal["truthy", "int", "default"]


@overload
def as_bool(value: Any, default: bool, *, strings: BoolWords = ..., others: Others = ...) -> bool: ...
@overload
def as_bool(value: Any, default: None = None, *, strings: BoolWords = ..., others: Others = ...) -> bool | None: ...
def as_bool(
    value: Any, default: bool | None = None, *, strings: BoolWords = TRUE_OR_FALSE, others: Others = "int"
) -> bool | None:
    """A boolean as the toolkit reads ``value``: a bool as it is, a string by ``strings``, others by ``others``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower() if strings.strip else value.lower()
        if strings.true is None:
            return word not in strings.false if strings.false is not None else True
        if word in strings.true:
            return True
        if strings.false is None or word in strings.false:
            return False
        return default
    if others == "truthy":
        return bool(value)
    if others == "int" and isinstance(value, int):
        return bool(value)
    return default


# --------------------------------------------------------------------------- sections


class Sourced(NamedTuple):
    """A value and where it is written (the section's position when it is a default)."""

    value: Any
    span: Span
    stated: bool


def _note_default(key: str, default: Any) -> str | None:
    return f"{key}: {default}"


class SectionReader:
    """One mapping of a document: its values, the toolkit's defaults for unset keys, and positions.

    - ``values`` is the mapping (default: the one at ``path``, or empty); a key is unset when it is absent or null.
    - ``get`` falls back on ``defaults`` (a default of None is no default) and appends ``note(key, default)`` to
      :attr:`defaulted` (``None`` from ``note``: nothing noted); ``defaulted`` may be a list sections share.
    - ``span(key, ...)`` is where the first of the keys the file writes is (``at``: its key or its value), else
      the section's position, ``whole``: ``"value"`` the mapping, ``"key"`` the key naming it (the document's top
      for the root), or a fixed span.
    """

    def __init__(
        self,
        doc: Document,
        path: DocPath = (),
        values: dict[str, Any] | None = None,
        *,
        defaults: Mapping[str, Any] | None = None,
        note: Callable[[str, Any], str | None] = _note_default,
        whole: Literal["value", "key"] | Span = "value",
        at: Literal["key", "value"] = "key",
        defaulted: list[str] | None = None,
    ) -> None:
        self.doc = doc
        self.path = path
        if values is None:
            found = _at(doc.data, path)
            values = found if isinstance(found, dict) else {}
        self.values: dict[str, Any] = values
        self.defaults: Mapping[str, Any] = {} if defaults is None else defaults
        self.note = note
        self.whole = whole
        self.at = at
        self.defaulted: list[str] = [] if defaulted is None else defaulted

    # -- values

    def key_of(self, key: str) -> str | None:
        """The spelling of ``key`` in the file (a subclass may accept aliases), None when absent."""
        return key if key in self.values else None

    def written(self, key: str) -> bool:
        """Whether the file writes ``key`` (null too)."""
        return self.key_of(key) is not None

    def has(self, key: str) -> bool:
        """Whether ``key`` is stated (present and not null)."""
        return self.raw(key) is not None

    def raw(self, key: str) -> Any:
        """The stated value of ``key`` (None when absent), no default."""
        found = self.key_of(key)
        return self.values[found] if found is not None else None

    def default(self, key: str) -> Any:
        return self.defaults.get(key)

    def get(self, key: str, default: Any = None, *, note: str | None = None) -> Any:
        """The stated value, else ``default`` (else the table's), noted (as ``note`` if given); None when neither."""
        value = self.raw(key)
        if value is not None:
            return value
        if default is None:
            default = self.default(key)
        if default is not None:
            noted = self.note(key, default) if note is None else note
            if noted is not None:
                self.defaulted.append(noted)
        return default

    def int(
        self, key: str, default: int | None = None, *, minimum: int | None = None, strings: bool = False
    ) -> int | None:
        return as_int(self.get(key, default), minimum=minimum, strings=strings)

    def sourced(self, key: str, default: Any = None) -> Sourced:
        stated = self.has(key)
        return Sourced(self.get(key, default), self.span(key), stated)

    # -- positions

    def section_span(self) -> Span:
        if isinstance(self.whole, Span):
            return self.whole
        if self.whole == "key" and self.path:
            return self.doc.locator.key(self.path)
        return self.doc.locator.value(self.path)

    def key_span(self, key: str) -> Span | None:
        found = self.key_of(key)
        return self.doc.locator.key((*self.path, found)) if found is not None else None

    def value_span(self, key: str) -> Span | None:
        found = self.key_of(key)
        return self.doc.locator.value((*self.path, found)) if found is not None else None

    def span(self, *keys: str) -> Span:
        """Where the first of ``keys`` the file has is written (its key), else the section's position."""
        for key in keys:
            found = self.key_span(key) if self.at == "key" else self.value_span(key)
            if found is not None:
                return found
        return self.section_span()


def _at(root: Any, path: DocPath) -> Any:
    node = root
    for item in path:
        if not isinstance(node, dict) or item not in node:
            return None
        node = node[item]
    return node
