"""The bounds every parser enforces before it builds data (YAML's and JSON's alike; no parser imported here).

The checks themselves are the parsers': :mod:`rnnlint.parse.yaml.limits` for YAML, ``parse_json`` for JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rnnlint import codes
from rnnlint.model import Span
from rnnlint.parse.source import Problem

# Nesting deeper than this is refused before the tree is built: libyaml's composer recurses in
# C without a guard (around 30,000 levels overflow the C stack), and dialects and rules walk
# the data recursively. Real configs nest a dozen levels.
MAX_NESTING_DEPTH = 100
# Aliases may repeat a subtree, but not without bound ("billion laughs"): above this many
# nodes beyond the document's own, the document is refused before it is constructed.
MAX_ALIAS_EXPANSION = 100_000

_LONG_DIGITS = re.compile(r"\d{1000,}")


def value_problem(exc: Exception, text: str, locate: Callable[[], Span] | None = None) -> Problem:
    """A value the constructors reject with a plain Python error (a 5,000-digit integer, the
    date 2020-13-45): an over-long integer is found in the text, anything else at ``locate()``
    (the parser's search for the failing value, only on this failure path), or at 1:1."""
    found = _LONG_DIGITS.search(text) if "digits" in str(exc) else None
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        return Problem(codes.RNN001, "an integer with more than 4,300 digits cannot be read", Span(line, column))
    span = locate() if locate is not None else Span(1, 1)
    return Problem(codes.RNN001, f"a value cannot be read: {exc}", span)
