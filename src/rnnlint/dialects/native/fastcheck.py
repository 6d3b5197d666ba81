"""The native dialect's fast path: is a file free of RNN002 and RNN004, decided without jsonschema.

Walking ``src/rnnlint/schemas/rnnlint-config.schema.json`` with jsonschema's ``$ref``/``allOf``/``if`` machinery
costs more per file than parsing it (and importing jsonschema more than a small run). Most files are valid, and a
valid file needs no messages, so :func:`valid` (the schema compiled by tools/gen_native_fastcheck.py into
``_fast.py``) decides validity directly; only a file it rejects goes to jsonschema
(``rnnlint.dialects.native.validate``), which writes the messages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container
from typing import Any

from rnnlint.dialects.native._fast import NUMBER_KEYS, valid
from rnnlint.parse.document import Document
from rnnlint.parse.yaml.locate import YamlLocator

__all__ = ["NUMBER_KEYS", "clean", "valid"]

# RNN004 (rnnlint.dialects.native.yaml11) can fire on a schema-valid file: ``010`` is the integer 8 and
# ``1:30`` is 90 in YAML 1.1. Such integers start with 0 (after a separator and a sign) or hold a
# colon between digits. Two plain scans are cheaper than one pattern with a look-behind.
_LEADING_ZERO = re.compile(r"[\s\[,:{?-][-+]?0[0-9_]")
_SEXAGESIMAL = re.compile(r"[0-9]:[0-9]")


def _yaml11_integers(text: str) -> bool:
    return bool(_LEADING_ZERO.search(text) or _SEXAGESIMAL.search(text))


_SAFE_INT = 2**62


def _plain_numbers(data: Any, keys: Container[str]) -> bool:
    """Every value under a numeric key anywhere is an ordinary int or a finite float."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys:
                    kind = type(value)
                    if kind is int:
                        if not -_SAFE_INT < value < _SAFE_INT:
                            return False
                    elif kind is not float or not math.isfinite(value):
                        return False
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, (dict, list)))
    return True


def clean(doc: Document, text: str | None) -> bool:
    """True when a native document has neither RNN002 nor RNN004 problems (decided cheaply).

    False means "look closer": jsonschema and the RNN004 check then run as before.
    """
    if not valid(doc.data):
        return False
    if isinstance(doc.locator, YamlLocator) and not doc.plain_integers and (text is None or _yaml11_integers(text)):
        return False  # the builder could not vouch for the integers: scan the text
    return _plain_numbers(doc.data, NUMBER_KEYS)
