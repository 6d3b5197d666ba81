"""Validate native configs against the shipped JSON Schema, with messages a person understands.

Every error carries the line and column of the offending node (looked up through the
document's locator), not only a JSON path.

The schema is evaluated here by a small interpreter of the draft 2020-12 keywords it uses
(``type``, ``required``, ``properties``, ``additionalProperties``, ``items``, ``allOf``,
``if``/``then``, ``$ref``, ``enum``, ``const``, the bounds): it walks the schema file itself, in
the order and with the semantics of jsonschema's ``Draft202012Validator`` (tests compare the
two on generated configs), at a fraction of its cost and without importing it at run time.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

from rnnlint import codes
from rnnlint.parse.loader import DocPath, Locator, Problem

SCHEMA_FILE = "rnnlint-config.schema.json"

# Strings that YAML 1.2 (and a person) would read as numbers but PyYAML's YAML 1.1 keeps as text.
_NUMBERISH = re.compile(r"^[-+]?(\d[\d_,]*)?(\.\d*)?([eE][-+]?\d+)?$")


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    text = resources.files("rnnlint.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


class SchemaError(NamedTuple):
    """One failed keyword, as jsonschema reports it: the innermost keyword and its schema."""

    validator: str  # the keyword: "type", "required", ...
    validator_value: Any
    instance: Any
    schema: Mapping[str, Any]
    path: DocPath
    # Only ``required`` needs its text (the missing key); jsonschema words it the same way.
    message: str = ""


def _is_type(value: Any, name: str) -> bool:
    """JSON Schema types, strict about integers: torch.nn.LSTM(hidden_size=256.0) raises."""
    if name == "integer":
        return type(value) is int
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    raise ValueError(f"unknown JSON Schema type {name!r}")


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's equality for enum/const: booleans are not numbers."""
    if isinstance(one, bool) or isinstance(two, bool):
        return type(one) is type(two) and one == two
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    return bool(one == two)


class _Evaluator:
    """The draft 2020-12 subset the native schema uses; keywords run in the schema's order."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = root

    def _resolve(self, ref: str) -> Mapping[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported: {ref!r}")
        node: Any = self._root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        resolved: Mapping[str, Any] = node
        return resolved

    def errors(self, instance: Any, schema: Mapping[str, Any], path: DocPath = ()) -> Iterator[SchemaError]:
        for keyword, value in schema.items():
            if keyword == "$ref":
                yield from self.errors(instance, self._resolve(value), path)
            elif keyword == "type":
                names = [value] if isinstance(value, str) else value
                if not any(_is_type(instance, n) for n in names):
                    yield SchemaError(keyword, value, instance, schema, path)
            elif keyword == "properties":
                if isinstance(instance, dict):
                    for name, subschema in value.items():
                        if name in instance:
                            yield from self.errors(instance[name], subschema, (*path, name))
            elif keyword == "required":
                if isinstance(instance, dict):
                    for name in value:
                        if name not in instance:
                            message = f"{name!r} is a required property"
                            yield SchemaError(keyword, value, instance, schema, path, message)
            elif keyword == "additionalProperties":
                if value is not False:
                    raise ValueError("only additionalProperties: false is supported")
                if isinstance(instance, dict):
                    known = schema.get("properties", {})
                    if any(key not in known for key in instance):
                        yield SchemaError(keyword, value, instance, schema, path)
            elif keyword == "items":
                if isinstance(instance, list):
                    for index, item in enumerate(instance):
                        yield from self.errors(item, value, (*path, index))
            elif keyword == "allOf":
                for subschema in value:
                    yield from self.errors(instance, subschema, path)
            elif keyword == "if":
                if "then" in schema and not any(True for _ in self.errors(instance, value, path)):
                    yield from self.errors(instance, schema["then"], path)
            elif keyword == "enum":
                if not any(_equal(option, instance) for option in value):
                    yield SchemaError(keyword, value, instance, schema, path)
            elif keyword == "const":
                if not _equal(instance, value):
                    yield SchemaError(keyword, value, instance, schema, path)
            elif keyword in ("minimum", "exclusiveMinimum", "maximum"):
                if _is_type(instance, "number") and (
                    instance < value
                    if keyword == "minimum"
                    else instance <= value
                    if keyword == "exclusiveMinimum"
                    else instance > value
                ):
                    yield SchemaError(keyword, value, instance, schema, path)
            elif keyword == "minItems":
                if isinstance(instance, list) and len(instance) < value:
                    yield SchemaError(keyword, value, instance, schema, path)
            elif keyword == "minLength":
                if isinstance(instance, str) and len(instance) < value:
                    yield SchemaError(keyword, value, instance, schema, path)
            elif keyword not in _ANNOTATIONS:
                raise ValueError(f"schema keyword {keyword!r} is not supported by rnnlint.dialects.native.schema")


# Keywords that never fail (``then`` is applied by ``if``).
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "default", "then"})


def iter_errors(data: Any) -> Iterator[SchemaError]:
    """Every keyword of the native schema that ``data`` fails, in jsonschema's order."""
    schema = load_schema()
    return _Evaluator(schema).errors(data, schema)


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


def _message(error: SchemaError, path: DocPath) -> tuple[str, DocPath, bool]:
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
    problems: list[Problem] = []
    seen: set[tuple[str, int, int]] = set()
    for error in iter_errors(data):
        path = error.path
        message, point, at_key = _message(error, path)
        span = locator.key(point) if at_key else locator.value(point)
        marker = (message, span.line, span.column)
        if marker in seen:
            continue
        seen.add(marker)
        problems.append(Problem(codes.RNN002, message, span))
    problems.sort(key=lambda p: (p.span.line, p.span.column))
    return problems
