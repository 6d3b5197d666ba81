"""The block reader against the installed PyYAML, on generated YAML-ish texts.

Texts are built from the constructs the block reader accepts (block mappings and sequences, "- - x",
one-line flow collections of scalars, quotes, comments, "---") and their near misses (nested flow,
"-", "?" and ":" in odd places, document markers, keys near libyaml's 1,024-character limit, "=" and
"<<", anchors, tags, block scalars, tabs, non-ASCII). For each text: when the block reader accepts it,
both safe loaders accept it with the same data, and libyaml's nodes have the reader's marks; and
rnnlint's whole YAML route gives CSafeLoader's verdict and data. A short deterministic sweep runs in
every local run; the long one is marked slow (CI runs it, so a new PyYAML that reads differently is
caught the day it is installed).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.equivalence.reference import check_block_reader, check_parse_yaml

LONG = "k" * 985  # with a few spaces before ":" it crosses the limit the reader keeps (1,000), not libyaml's

KEYS = [
    "a",
    "b",
    "type",
    "hidden_size",
    "key with space",
    "'quoted key'",
    '"dq"',
    "'it''s'",
    "1",
    "010",
    "yes",
    "~",
    "x-y",
    "a.b",
    "-x",
    ".5",
    LONG,
]
NEAR_KEYS = [
    "k" * 1030,
    "---",
    "...",
    "--- x",
    "-",
    "?",
    "? x",
    "x:?y",
    "x?y",
    "=",
    "<<",
    "&a k",
    "!t k",
    "[k]",
    "{k: v}",
    "a#b",
    "a #b",
    "é",
]
SCALARS = [
    "0",
    "7",
    "010",
    "0x1F",
    "+5",
    "-3",
    "1:30",
    "1.5",
    "1e3",
    ".inf",
    "-.Inf",
    ".nan",
    "true",
    "No",
    "on",
    "~",
    "null",
    "abc",
    "a b",
    "a:b",
    "http://x.y/z?q=1",
    "a#b",
    "${a.b}",
    "???",
    "-x",
    "?x",
    "x?y",
    "'q'",
    '"d"',
    "''",
    "'a: b'",
    '"x # y"',
    "(x)",
    "/p",
    "-",
]
NEAR_SCALARS = [
    "?",
    "=",
    "<<",
    "---",
    "...",
    "x:?y",
    "2001-12-14",
    "2020-13-45",
    "a: b",
    "a #b",
    "&a 1",
    "*a",
    "!t x",
    "|",
    ">",
    "'unclosed",
    '"esc\\n"',
    "é",
    "a\tb",
]
FLOW_ITEMS = [
    "x",
    "1",
    "1.5",
    "yes",
    "~",
    "'q'",
    '"d"',
    "a b",
    "-x",
    "x:y",
    "a#b",
    "-",
]
NEAR_ITEMS = [
    "?",
    "? x",
    "x?y",
    "x:?y",
    "x:",
    ":x",
    "- x",
    "=",
    "<<",
    "[x]",
    "{a: 1}",
    "",
    "a #b",
    LONG,
]
SEPARATORS = [": ", ": ", ": ", ":  ", " : ", f"{' ' * 20}: "]
NEAR_SEPARATORS = [":", " :", ":\t"]
DASHES = ["", "", "", "- ", "- ", "-  ", "- - ", "-", "? ", ": "]
TRAILERS = ["", "", "", "  ", " # c", "# c", "  #c"]
WHOLE_LINES = ["", "# note", "---", "--- # c", "...", "--- x", "%YAML 1.1", "  ", "-", "- -", "&a", "? a", ": b"]


def pick(draw: st.DrawFn, good: list[str], near: list[str], noisy: bool) -> str:
    """A construct the block reader reads, or (in a noisy text, one time in four) a near miss."""
    if noisy and draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(near))
    return draw(st.sampled_from(good))


@st.composite
def flow(draw: st.DrawFn, noisy: bool) -> str:
    items = [pick(draw, FLOW_ITEMS, NEAR_ITEMS, noisy) for _ in range(draw(st.integers(0, 4)))]
    comma = draw(st.sampled_from([", ", ",", " , ", ", "]))
    pad = draw(st.sampled_from(["", "", " "]))
    end = "," if noisy and draw(st.integers(0, 3)) == 0 else ""  # a trailing comma
    if draw(st.booleans()):
        return "[" + pad + comma.join(items) + end + pad + "]"
    pairs = [
        f"{key}{pick(draw, SEPARATORS, NEAR_SEPARATORS, noisy)}{value}"
        for key, value in zip(items, reversed(items), strict=True)
    ]
    return "{" + pad + comma.join(pairs) + end + pad + "}"


@st.composite
def block(draw: st.DrawFn, noisy: bool, indent: int = 0, depth: int = 0, kind: str = "") -> list[str]:
    """Lines of a block collection at ``indent``: well formed, with near misses drawn in when ``noisy``."""
    kind = kind or draw(st.sampled_from(["map", "map", "seq"]))
    lines: list[str] = []
    used: set[str] = set()
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 9)) == 0:
            whole = draw(st.sampled_from(WHOLE_LINES if noisy else ["", "# note", "  "]))
            lines.append(" " * draw(st.integers(0, indent + 2)) + whole)
        prefix = " " * indent
        if kind == "seq":
            prefix += draw(st.sampled_from(["- ", "- ", "-  ", "- - "]))
        elif noisy and draw(st.integers(0, 15)) == 0:
            prefix += draw(st.sampled_from(DASHES))  # an indicator where a key belongs
        key = ""
        if kind == "map" or draw(st.booleans()):
            # Mostly new keys: PyYAML keeps the last of duplicate keys, the reader declines them.
            fresh = [k for k in KEYS if k not in used] or KEYS
            key = pick(draw, fresh if draw(st.integers(0, 9)) else KEYS, NEAR_KEYS, noisy)
            used.add(key)
        separator = pick(draw, SEPARATORS, NEAR_SEPARATORS, noisy) if key else ""
        if depth < 3 and draw(st.integers(0, 2)) == 0:
            lines.append((prefix + key + separator).rstrip() if key else prefix.rstrip())
            step = draw(st.sampled_from([0, 1, 2, 2, 4] if key else [2, 2, 4]))
            child_indent = indent + step if key or kind != "seq" else len(prefix)
            # (At its key's column only a sequence is a value: a mapping there is more of this one.)
            lines.extend(draw(block(noisy, child_indent, depth + 1, "seq" if key and not step else "")))
        else:
            scalar = draw(st.integers(0, 3)) > 0
            written = pick(draw, SCALARS, NEAR_SCALARS, noisy) if scalar else draw(flow(noisy))
            lines.append(prefix + key + separator + written + draw(st.sampled_from(TRAILERS)))
    return lines


@st.composite
def texts(draw: st.DrawFn) -> str:
    noisy = draw(st.booleans())
    lines = draw(block(noisy, draw(st.sampled_from([0, 0, 0, 2]))))
    if draw(st.integers(0, 4)) == 0:
        lines.insert(0, draw(st.sampled_from(["---", "--- # start", "# top"] + (["%YAML 1.1\n---"] if noisy else []))))
    ends = ["\n", "\n", "", "\n\n", "\n# end\n"] + (["\n...\n", "\n---\nb: 1\n"] if noisy else [])
    text = "\n".join(lines) + draw(st.sampled_from(ends))
    if noisy and draw(st.booleans()):  # one more near miss: a character or fragment put anywhere
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from([*" -:?#,'\"[]{}\n\t!&*|>%@.=<", "---", "...", "<<", "- ", ": ", "? "]))
        cut = draw(st.sampled_from([0, 0, 1]))  # insert, or replace one character
        text = text[:at] + piece + text[at + cut :]
    return text


def check(text: str) -> None:
    check_block_reader(text)
    check_parse_yaml(text)


_SETTINGS = {"deadline": None, "derandomize": True, "suppress_health_check": [HealthCheck.too_slow]}


@settings(max_examples=400, **_SETTINGS)  # type: ignore[arg-type]
@given(texts())
def test_block_reader_reads_as_pyyaml_or_declines(text: str) -> None:
    check(text)


@pytest.mark.slow
@settings(max_examples=10_000, **_SETTINGS)  # type: ignore[arg-type]
@given(texts())
def test_block_reader_reads_as_pyyaml_or_declines_long_sweep(text: str) -> None:
    check(text)


def test_the_generator_reaches_both_sides() -> None:
    """Not a vacuous pass: a fixed sample of generated texts has many the reader accepts, and many it declines."""
    accepted = _accepted_in_sample()
    assert 0.25 <= accepted <= 0.9, accepted


def _accepted_in_sample() -> float:
    seen: list[bool] = []

    @settings(max_examples=300, database=None, **_SETTINGS)  # type: ignore[arg-type]
    @given(texts())
    def collect(text: str) -> None:
        seen.append(check_block_reader(text))

    collect()
    return sum(seen) / len(seen)
