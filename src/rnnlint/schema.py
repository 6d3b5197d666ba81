"""Validate native configs against the shipped JSON Schema, with messages a person understands.

Every error carries the line and column of the offending node (looked up through the
document's locator), not only a JSON path.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from rnnlint.loader import DocPath, Locator, Problem

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

SCHEMA_FILE = "rnnlint-config.schema.json"

# Strings that YAML 1.2 (and a person) would read as numbers but PyYAML's YAML 1.1 keeps as text.
_NUMBERISH = re.compile(r"^[-+]?(\d[\d_,]*)?(\.\d*)?([eE][-+]?\d+)?$")


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    text = resources.files("rnnlint.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def _validator() -> Validator:
    # Imported here: jsonschema is only needed when a native file is validated.
    from jsonschema import Draft202012Validator, validators

    # JSON Schema calls 256.0 an integer; torch.nn.LSTM(hidden_size=256.0) raises. Be strict.
    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    cls: Any = validators.extend(Draft202012Validator, type_checker=checker)  # type: ignore[no-untyped-call]
    validator: Validator = cls(load_schema())
    return validator


def format_path(path: DocPath) -> str:
    out = ""
    for item in path:
        if isinstance(item, int):
            out += f"[{item}]"
        else:
            out += f".{item}" if out else str(item)
    return out or "(document)"


_TYPE_WORDS = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def describe(value: Any) -> str:
    """A value as the user wrote it, with the type PyYAML gave it."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null (an empty value)"
    return f"{type(value).__name__} {value!r}"


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
        return f" (write {int(value)})"
    return ""


def _message(error: ValidationError, path: DocPath) -> tuple[str, DocPath, bool]:
    """The message, the path to point at, and whether to point at the key rather than the value."""
    where = format_path(path)
    validator, value = error.validator, error.instance
    expected_value: Any = error.validator_value
    schema: Any = error.schema
    if validator == "type":
        expected = expected_value
        names = [expected] if isinstance(expected, str) else list(expected)
        want = " or ".join(_TYPE_WORDS.get(n, n) for n in names)
        hint = number_hint(value, "integer" in names) if {"integer", "number"} & set(names) else ""
        return f"{where}: expected {want}, got {describe(value)}{hint}", path, False
    if validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        key = missing.group(1) if missing else "?"
        return f"{where}: missing required key '{key}'", path, False
    if validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        key = extras[0] if extras else "?"
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; allowed keys: {', '.join(allowed)}"
        return f"{where}: unknown key '{key}'{hint}", (*path, str(key)), True
    if validator in ("enum", "const"):
        options = expected_value if validator == "enum" else [expected_value]
        listed = ", ".join(str(o) for o in options)
        return f"{where}: expected one of {listed}, got {describe(value)}", path, False
    if validator == "minimum":
        return f"{where}: must be at least {error.validator_value}, got {value!r}", path, False
    if validator == "exclusiveMinimum":
        return f"{where}: must be greater than {error.validator_value}, got {value!r}", path, False
    if validator == "maximum":
        return f"{where}: must be at most {error.validator_value}, got {value!r}", path, False
    if validator == "minItems":
        return f"{where}: must list at least {error.validator_value} item(s)", path, False
    if validator == "minLength":
        return f"{where}: must not be empty", path, False
    return f"{where}: {error.message}", path, False


def validate(data: Any, locator: Locator) -> list[Problem]:
    """RNN002 problems for every schema violation, in document order."""
    validator = _validator()
    problems: list[Problem] = []
    seen: set[tuple[str, int, int]] = set()
    for error in validator.iter_errors(data):
        path: DocPath = tuple(error.absolute_path)
        message, point, at_key = _message(error, path)
        span = locator.key(point) if at_key else locator.value(point)
        marker = (message, span.line, span.column)
        if marker in seen:
            continue
        seen.add(marker)
        problems.append(Problem("RNN002", message, span))
    problems.sort(key=lambda p: (p.span.line, p.span.column))
    return problems
