"""The native schema for the tests: jsonschema itself as the oracle, and the schema's keys and valid values.

Everything the test generators need (layer types, each kind's keys, the sections, a valid value for each key) is
read here from the shipped JSON Schema, so that a new schema key is exercised without editing a test.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from hypothesis import strategies as st

from rnnlint.dialects.native import validate

SCHEMA: dict[str, Any] = validate.load_schema()


def resolve(node: Any) -> Any:
    """``node`` with its ``$ref`` chain followed (local references only, as the schema has)."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = SCHEMA
        for part in str(node["$ref"])[2:].split("/"):
            target = target[part]
        node = target
    return node


class Kind(NamedTuple):
    """A layer kind: the `type` values that select it, its required keys and every key it allows."""

    types: tuple[str, ...]
    required: tuple[str, ...]
    properties: dict[str, Any]  # key -> resolved schema


def layer_kinds() -> list[Kind]:
    kinds = []
    for branch in SCHEMA["$defs"]["layer"]["allOf"]:
        selector = branch["if"]["properties"]["type"]
        types = tuple(selector["enum"]) if "enum" in selector else (selector["const"],)
        then = resolve(branch["then"])
        properties = {key: resolve(sub) for key, sub in then["properties"].items()}
        kinds.append(Kind(types, tuple(then.get("required", ())), properties))
    return kinds


def sections() -> dict[str, dict[str, Any]]:
    """The document's properties ("") and those of each object section under it ("model", "limits", ...)."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any, path: str) -> None:
        node = resolve(node)
        if isinstance(node, dict) and node.get("type") == "object" and "properties" in node:
            found[path] = {key: resolve(sub) for key, sub in node["properties"].items()}
            for key, sub in node["properties"].items():
                walk(sub, f"{path}.{key}" if path else key)

    walk(SCHEMA, "")
    return found


def _bounds(prop: dict[str, Any]) -> tuple[float, float]:
    low = prop.get("minimum", prop.get("exclusiveMinimum", 0))
    high = prop.get("maximum", low + 511 if prop.get("type") == "integer" else 10)
    return low, high


def good(prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Valid values for a property (resolved schema), spread over its range."""
    if "enum" in prop:
        return st.sampled_from(prop["enum"])
    if "const" in prop:
        return st.just(prop["const"])
    kind = prop.get("type")
    low, high = _bounds(prop)
    if kind == "integer":
        return st.integers(int(low), int(high))
    if kind == "number":
        return st.floats(low, high, exclude_min="exclusiveMinimum" in prop)
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        return st.sampled_from(["enc", "x"] if prop.get("minLength") else ["", "x", "tanh"])
    raise AssertionError(f"no valid values drawn for {prop}: teach tests/schema_oracle.good")


def example(prop: dict[str, Any]) -> Any:
    """One valid value for a property, away from its bounds where it has room (a fixed config's value)."""
    if "enum" in prop:
        return prop["enum"][-1]
    if "const" in prop:
        return prop["const"]
    kind = prop.get("type")
    low, high = _bounds(prop)
    if kind == "integer":
        return int(low) + 7
    if kind == "number":
        return (low + min(high, low + 1)) / 2
    return {"boolean": True, "string": "x"}[kind]


def validator() -> Any:
    """rnnlint's jsonschema validator: Draft202012Validator with a strict "integer" (256.0 is refused)."""
    return validate.validator()


def valid(data: Any) -> bool:
    return not any(True for _ in validator().iter_errors(data))
