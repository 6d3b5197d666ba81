"""jsonschema itself, as the oracle for rnnlint's schema interpreter and fast check (tests only)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, validators

from rnnlint.dialects.native import schema


@lru_cache(maxsize=1)
def validator() -> Any:
    # The same strictness as rnnlint.dialects.native.schema: 256.0 is not an integer (torch.nn.LSTM raises on it).
    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    cls: Any = validators.extend(Draft202012Validator, type_checker=checker)  # type: ignore[no-untyped-call]
    return cls(schema.load_schema())


def errors(data: Any) -> list[tuple[str, tuple[Any, ...], str]]:
    """(keyword, instance path, text rnnlint makes of it) for every error jsonschema yields, in order."""
    found = []
    for error in validator().iter_errors(data):
        path = tuple(error.absolute_path)
        message, _point, _at_key = schema._message(error, path)
        found.append((str(error.validator), path, message))
    return found


def valid(data: Any) -> bool:
    return not any(True for _ in validator().iter_errors(data))
