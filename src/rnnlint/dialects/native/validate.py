"""RNN002 for a native file the fast check rejected: jsonschema's own errors, at the line and column of the node.

Imported only then (rnnlint.dialects.native.adapt), so that a run over valid files never imports jsonschema.
The messages are jsonschema's, after the path of the failing node; rnnlint adds what jsonschema cannot know:
"did you mean" for a misspelt key, and why a value meant as a number is not one (``"5e6"`` quoted, ``256.0``).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.protocols import Validator

from rnnlint import codes
from rnnlint.dialects.native.yaml11 import format_path
from rnnlint.parse.document import DocPath, Locator
from rnnlint.parse.source import Problem

SCHEMA_FILE = "rnnlint-config.schema.json"

# Strings that YAML 1.2 (and a person) would read as numbers but PyYAML's YAML 1.1 keeps as text.
_NUMBERISH = re.compile(r"^[-+]?(\d[\d_,]*)?(\.\d*)?([eE][-+]?\d+)?$")


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    text = resources.files("rnnlint.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _strict_integer(_checker: object, value: object) -> bool:
    # torch.nn.LSTM(hidden_size=256.0) raises, so 256.0 is not an integer here, though draft 2020-12 says it is
    # (the schema's $comment says so to editors).
    return isinstance(value, int) and not isinstance(value, bool)


TYPE_CHECKER = Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer)
NativeValidator = validators.extend(Draft202012Validator, type_checker=TYPE_CHECKER)  # type: ignore[no-untyped-call]


@lru_cache(maxsize=1)
def validator() -> Validator:
    checker: Validator = NativeValidator(load_schema())
    return checker


def iter_errors(data: Any) -> Iterator[ValidationError]:
    """Every error jsonschema reports for ``data`` against the native schema, in jsonschema's order."""
    return validator().iter_errors(data)


def _yaml11_number(text: str) -> bool:
    """Whether PyYAML would read ``text`` as a number when written unquoted."""
    import yaml

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def number_hint(value: Any, want_integer: bool) -> str:
    """Why a value the user meant as a number is not one, and what to write instead."""
    if isinstance(value, str):
        text = value.strip()
        if _NUMBERISH.match(text) and any(ch.isdigit() for ch in text):
            try:
                number = float(text.replace("_", "").replace(",", ""))
            except ValueError:
                return ""
            written = str(int(number)) if number.is_integer() and want_integer else repr(number)
            if "," in text:
                return f" (a comma makes it text; write {written})"
            if _yaml11_number(text):
                return f" (quoted, so it is text; write {written} without quotes)"
            return f" (YAML 1.1 reads {text} as text; write {written})"
    if isinstance(value, bool):
        return " (booleans are not numbers)"
    if isinstance(value, float) and want_integer and value.is_integer():
        return f" (write {int(value)}; rnnlint refuses a float here even with a zero fraction)"
    return ""


def _short(value: Any, nested: bool = False) -> str:
    """``value`` as repr writes it, cut to its first three items (in the file's order) and one level."""
    if isinstance(value, dict):
        if nested:
            return "{...}" if value else "{}"
        shown = [f"{_short(k, True)}: {_short(v, True)}" for k, v in list(value.items())[:3]]
        return "{" + ", ".join(shown) + (", ...}" if len(value) > 3 else "}")
    if isinstance(value, list):
        if nested:
            return "[...]" if value else "[]"
        return "[" + ", ".join(_short(item, True) for item in value[:3]) + (", ...]" if len(value) > 3 else "]")
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}...{text[-17:]}"


def _text(error: ValidationError) -> str:
    """jsonschema's message, with a long mapping or list it starts with cut short (``{'type': 'lstm', ...}``)."""
    shown = repr(error.instance)
    if len(shown) > 60 and error.message.startswith(shown):
        return _short(error.instance) + error.message[len(shown) :]
    return error.message


def _unknown_keys(error: ValidationError) -> tuple[list[str], str]:
    """The keys ``additionalProperties: false`` refused, in the file's order, and the "did you mean" for them."""
    schema: Any = error.schema
    allowed = list(schema.get("properties", {})) if isinstance(schema, dict) else []
    instance = error.instance if isinstance(error.instance, dict) else {}
    extras = [str(key) for key in instance if key not in allowed]
    guesses = [(key, close[0]) for key in extras if (close := difflib.get_close_matches(key, allowed, n=1))]
    if not guesses:
        return extras, f"; allowed keys: {', '.join(sorted(allowed))}"
    if len(extras) == 1:
        return extras, f" (did you mean '{guesses[0][1]}'?)"
    return extras, " (did you mean " + ", ".join(f"'{guess}' for '{key}'" for key, guess in guesses) + "?)"


def _message(error: ValidationError) -> tuple[str, DocPath, bool]:
    """The message, the path to point at, and whether to point at the key rather than the value."""
    path: DocPath = tuple(error.absolute_path)
    text = f"{format_path(path)}: {_text(error)}"
    if error.validator == "type":
        expected: Any = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        if {"integer", "number"} & set(names):
            text += number_hint(error.instance, "integer" in names)
    elif error.validator == "additionalProperties":
        extras, hint = _unknown_keys(error)
        if extras:
            return text + hint, (*path, extras[0]), True
    return text, path, False


def messages(data: Any) -> Iterator[tuple[str, DocPath, bool]]:
    """(message, path, at the key) for every error, in jsonschema's order."""
    for error in iter_errors(data):
        yield _message(error)


def validate(data: Any, locator: Locator) -> list[Problem]:
    """RNN002 problems for every schema violation, sorted by position (ties in jsonschema's order)."""
    problems: list[Problem] = []
    seen: set[tuple[str, int, int]] = set()
    for message, point, at_key in messages(data):
        span = locator.key(point) if at_key else locator.value(point)
        marker = (message, span.line, span.column)
        if marker in seen:
            continue
        seen.add(marker)
        problems.append(Problem(codes.RNN002, message, span))
    problems.sort(key=lambda p: (p.span.line, p.span.column))
    return problems
