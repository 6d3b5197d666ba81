"""Every parsed document of ../shared/corpus and ../shared/realworld, loaded once per test run.

The new dialects' detection tests check that none of these (other toolkits' files) is claimed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rnnlint.parse import load
from tests.conftest import SHARED

SUFFIXES = (".yaml", ".yml", ".json")


@cache
def documents() -> tuple[tuple[str, Any], ...]:
    found: list[tuple[str, Any]] = []
    for top in ("corpus", "realworld"):
        for path in sorted((SHARED / top).rglob("*")):
            if path.suffix.lower() not in SUFFIXES or not path.is_file():
                continue
            for document in load(str(path)).documents:
                found.append((str(path.relative_to(SHARED)), document.data))
    return tuple(found)
