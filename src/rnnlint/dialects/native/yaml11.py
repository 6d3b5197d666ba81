"""RNN004: numbers that YAML 1.1 (PyYAML, what the toolkits use) reads differently from what was meant.

For dialect authors: call :func:`check_number` for each value your dialect reads as a size
or a rate, and report the returned problem instead of your own type error for that value::

    from rnnlint.dialects.native import yaml11

    problem = yaml11.check_number(doc.locator, ("encoder", "hidden_size"), value)
    if problem is not None:
        problems.append(problem)  # an RNN004 error at the value, with the fix in the message
        value = None              # and do not count with it

It returns None for an ordinary number, so the cost is a few type checks; only integers need
the text as written (``010`` is 8, ``1:30`` is 90), which the YAML locator looks up. JSON
and Jsonnet documents have none of the YAML surprises: only ``NaN``/``Infinity`` and sizes
no framework can store are reported for them. ``true``/``false`` are left to the caller's
own type check (booleans are never sizes; the native schema says so as RNN002).

The native dialect gets its numeric keys from the JSON Schema (:func:`check_schema_numbers`, through the
generated ``_fast.NUMBER_KEYS``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from rnnlint import codes
from rnnlint.dialects.native._fast import NUMBER_KEYS
from rnnlint.parse import iter_mappings
from rnnlint.parse.document import DocPath, Document, Locator
from rnnlint.parse.source import Problem
from rnnlint.parse.yaml.locate import YamlLocator

CODE = codes.RNN004
# torch and keras keep sizes in 64-bit integers: anything larger cannot be built.
INT64_MAX = 2**63 - 1

# What YAML 1.2 (and a person) reads as a number, but PyYAML keeps as text: 5e6, 1e-6, 1.0e6, 1,000.
_NUMBER_TEXT = re.compile(r"^[-+]?(?:\d[\d_,]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?$")
_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_BOOL_WORDS = frozenset({"yes", "no", "on", "off"})


def _plain_float(number: float) -> str:
    """A float written so that YAML 1.1 reads it as a float (a dot, and a signed exponent)."""
    text = repr(number)
    if "e" not in text and "inf" not in text and "nan" not in text:
        return text if "." in text else text + ".0"
    mantissa, exponent = f"{number:e}".split("e")
    mantissa = mantissa.rstrip("0")
    mantissa = mantissa + "0" if mantissa.endswith(".") else mantissa
    return f"{mantissa}e{exponent[0]}{int(exponent[1:])}"


def _fix(number: float, integer: bool) -> str:
    if number.is_integer() and (integer or abs(number) >= 1):
        return str(int(number)) if integer else _plain_float(number)
    return _plain_float(number)


def format_path(path: DocPath) -> str:
    """``model.layers[0].hidden_size``: where a message points, as the user reads the file."""
    out = ""
    for item in path:
        if isinstance(item, int):
            out += f"[{item}]"
        else:
            out += f".{item}" if out else str(item)
    return out or "(document)"


def describe_problem(raw_text: str | None, value: Any, integer: bool = True) -> str | None:
    """Why ``value`` (written as ``raw_text`` when known, plain) is not the number meant; None if it is."""
    if isinstance(value, bool):
        if raw_text is not None and raw_text.lower() in _BOOL_WORDS:
            meaning = "true" if value else "false"
            return f"YAML 1.1 reads {raw_text} as the boolean {meaning}, not a number; write the number"
        return None
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            shown = raw_text if raw_text is not None else repr(value)
            return f"{shown} is not a finite number; write the {'size' if integer else 'number'} meant"
        return None
    if isinstance(value, int):
        if raw_text is not None:
            text = raw_text.strip()
            if _OCTAL.match(text) and text.lstrip("+-").strip("0_"):
                decimal = text.replace("_", "").lstrip("+-").lstrip("0")
                fix = f"write {decimal} (or {value} if octal was meant)"
                return f"YAML 1.1 reads {text} as the octal number {value}; {fix}"
            if ":" in text:
                return f"YAML 1.1 reads {text} as the base-60 number {value}; write {value} (quote it for text)"
        if abs(value) > INT64_MAX:
            return f"a {len(str(abs(value)))}-digit integer does not fit in 64 bits; no framework can build it"
        return None
    if isinstance(value, str) and raw_text is not None:
        text = value.strip()
        if _NUMBER_TEXT.match(text) and any(ch.isdigit() for ch in text):
            try:
                number = float(text.replace("_", "").replace(",", ""))
            except ValueError:
                return None
            if not math.isfinite(number):
                # 1e400: past a 64-bit float, so there is no number to suggest writing instead.
                return f"YAML 1.1 reads {text} as the string '{text}'; as a number it overflows a 64-bit float"
            if integer and abs(number) > INT64_MAX:
                return f"YAML 1.1 reads {text} as the string '{text}'; as a size it does not fit in 64 bits"
            if "," in text:
                return f"a comma makes {text} the string '{text}' in YAML; write {_fix(number, integer)}"
            return f"YAML 1.1 reads {text} as the string '{text}', not a number; write {_fix(number, integer)}"
    return None


def check_number(locator: Locator, path: DocPath, value: Any, integer: bool = True) -> Problem | None:
    """An RNN004 problem when ``value`` at ``path`` is a number YAML 1.1 read differently from
    what was meant, or that no framework can store; None otherwise (see the module doc).

    ``integer`` says whether an integer (a size) or any number (a rate) is expected; it only
    changes the fix suggested.
    """
    if type(value) is int and -(2**62) < value < 2**62 and not isinstance(locator, YamlLocator):
        return None  # the common case, decided without looking anything up
    if isinstance(value, (int, float, str)) and isinstance(locator, YamlLocator):
        raw = locator.scalar(path)
        if raw is None:
            return None
        if not raw.plain:  # quoted: text on purpose, the caller's type check says so
            return None
        reason = describe_problem(raw.text, value, integer)
        span = raw.span
    else:
        reason = describe_problem(None, value, integer)
        span = locator.value(path)
    if reason is None:
        return None
    return Problem(CODE, f"{format_path(path)}: {reason}", span)


def check_numbers(doc: Document, keys: Mapping[str, bool]) -> list[Problem]:
    """RNN004 problems for every mapping key in ``keys`` (name -> integer expected) in ``doc``."""
    problems: list[Problem] = []
    for path, mapping in iter_mappings(doc.data):
        for key in keys.keys() & mapping.keys():
            problem = check_number(doc.locator, (*path, key), mapping[key], keys[key])
            if problem is not None:
                problems.append(problem)
    return problems


def check_schema_numbers(doc: Document) -> list[Problem]:
    """RNN004 for the native dialect: the schema says where a number is expected."""
    return check_numbers(doc, NUMBER_KEYS)


def without_overlaps(problems: Iterable[Problem], number_problems: list[Problem]) -> list[Problem]:
    """``problems`` minus those at a value RNN004 already reports, plus the RNN004 ones.

    RNN004 is the specific finding: the schema's type error for the same value would say the
    same thing less precisely.
    """
    taken = {(p.span.line, p.span.column) for p in number_problems}
    kept = [p for p in problems if (p.span.line, p.span.column) not in taken]
    return sorted([*kept, *number_problems], key=lambda p: (p.span.line, p.span.column))
