"""rnnlint.parse.yaml.block against libyaml: whatever it accepts, it reads exactly as libyaml does.

For every text the block reader accepts, the data (types included), the integers note, and
every answer of the locator (value, key, scalar and entry spans, for every path in the data
and for paths that are not there) must equal what the libyaml path gives. Texts are
hand-picked edge cases, generated block YAML in many layouts, single-character mutations of
those (which also reach texts libyaml refuses), and the real corpus.
"""

from __future__ import annotations

import glob
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnlint.parse.yaml import STRATEGIES, parse_with_libyaml, parse_yaml
from rnnlint.parse.yaml import block as blockyaml
from rnnlint.parse.yaml.locate import BlockLocator, NodeLocator

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "corpus")


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _typed(value: Any) -> Any:
    """The value with every scalar's type spelled out (True != 1, 1.0 != 1, key order kept)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def compare(text: str) -> bool:
    """True when the block reader accepts ``text`` (and then asserts it agrees with libyaml)."""
    block = blockyaml.parse(text)
    if block is None:
        return False
    documents, problems = parse_with_libyaml(text)
    assert problems == [], f"accepted a text libyaml refuses: {problems}\n{text}"
    assert len(documents) == 1, text
    reference = documents[0]
    assert _typed(block.data) == _typed(reference.data), text
    # The note is exact here (libyaml's path says "unknown" whenever PyYAML's constructor ran).
    assert block.unusual_numbers == _unusual(block.root), text
    assert not (reference.plain_integers and block.unusual_numbers), text
    ours = BlockLocator(block.root)
    theirs = reference.locator
    assert isinstance(theirs, NodeLocator)
    for path in [*_paths(reference.data), ("missing",), (0,), (True,)]:
        for probe in (path, (*path, "nope"), (*path, 99)):
            assert ours.value(probe) == theirs.value(probe), (probe, text)
            assert ours.key(probe) == theirs.key(probe), (probe, text)
            assert ours.scalar(probe) == theirs.scalar(probe), (probe, text)
        keys = _keys_at(reference.data, path)
        assert ours.entry(path, [*keys, "nope"]) == theirs.entry(path, [*keys, "nope"]), (path, text)
    return True


def _unusual(record: tuple[Any, ...]) -> bool:
    """Whether an int in the tree is written other than as plain decimal digits (010, 0x1F, 1:30)."""
    if record[0] == blockyaml.SCALAR:
        text, tag = record[5], record[7]
        return tag == "tag:yaml.org,2002:int" and not (text.isdigit() and (text[0] != "0" or text == "0"))
    children = record[5]
    if record[0] == blockyaml.MAP:
        return any(_unusual(k) or _unusual(v) for k, v in children)
    return any(_unusual(item) for item in children)


def _keys_at(data: Any, path: tuple[Any, ...]) -> list[str]:
    for item in path:
        try:
            data = data[item]
        except (KeyError, IndexError, TypeError):
            return []
    return [str(k) for k in data] if isinstance(data, dict) else []


# --------------------------------------------------------------------------- hand-picked texts

ACCEPTED = [
    "a: 1\n",
    "a: 1",
    "a: 1\nb:\n  c: x\n  d:\n  - 1\n  - 2   # c\n\n# x\ne:\n    - f: 1\n      g: 2\n"
    "    - h\n    -\n    - i:\nk:   \nz: 'q'\n",
    "---\nmodel:\n  layers:\n    - type: lstm\n      hidden_size: 256\n",
    "--- # a comment\na: 1\n",
    "# only a comment first\n\n\na:\n  b: 1\n\n# end\n\n",
    "a:\n- 1\n- 2\nb: 3\n",
    "- a: 1\n  b:\n  - x\n  c: 2\n- 3\n",
    "-\n  - x\n  - y\n- z\n",
    "- - a\n  - b\n- -   - c\n      -\n-   - valid\n    - loss\n    - min\n",
    "-\n  a: 1\n",
    "a:\n  - b:\n    - 1\n    c: 2\n",
    "  a: 1\n  b: 2\n",
    "a: [1, 2, three]\nb: []\nc: [ 'x' , \"y\" ]\nd: [0.9, 0.999]\n",
    "- [1, 2]\n- []\n",
    "algo: {name: a2c}\nb: { }\n",
    "c: {x: 1 , 'y z': b, \"q\": ~}\nd:\n- {a: 1}\n",
    "a: 'it''s'\nb: \"x # y\"\nc: 'a: b'\n'q k': 1\n\"d\": 2\n",
    "a: yes\nb: No\nc: ~\nd: null\ne: 1.5e3\nf: .inf\ng: -.5\nh: 0x1F\ni: 010\nj: 1:30\nk: +5\nl: 1_000\n",
    "path: /a/b:c\nurl: http://x.y/z?q=1\nref: ${model.encoder.d_model}\nmissing: ???\nx: a#b\ny: -x\n",
    "1: one\n010: eight\nfalse: t\n~: n\n1.5: f\n",
    "a:    value with   spaces   \nb: trailing   # comment\n",
    "key with spaces: 1\nk: v w x\n",
]

REFUSED = [
    "a: &x 1\nb: *x\n",
    "a: !tag 1\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: {b: 1, b: 2}\n",
    "a: {b: [1]}\n",
    "a: {b:1}\n",
    "a: [[1, 2], [3]]\n",
    "a: b: c\n",
    "a: 1\n  b: 2\n",
    "a:\n  b: 1\n c: 2\n",
    "a: 1\na: 2\n",
    "1: a\ntrue: b\n",  # the same key to Python
    "a: 2001-12-14\n",
    "<<: {a: 1}\n",
    "a: multi\n  line\n",
    "a: 'multi\n  line'\n",
    'a: "esc\\n"\n',
    "a:\tb\n",
    "a: 1\r\nb: 2\r\n",
    "a: é\n",
    "---\na: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "just a scalar\n",
    "# only comments\n",
    "",
    "? complex\n: key\n",
    "a: 1 # c\n b: 2\n",
    "- a\nb: 1\n",
    "a:\n- 1\n  x: 1\n",
    "a: 'unclosed\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted_texts_read_as_libyaml_reads_them(text: str) -> None:
    assert compare(text), f"the block reader should read this:\n{text}"


@pytest.mark.parametrize("text", REFUSED)
def test_texts_outside_the_subset_go_to_libyaml(text: str) -> None:
    assert blockyaml.parse(text) is None


def test_parse_yaml_uses_the_block_reader_and_keeps_its_answers() -> None:
    documents, problems = parse_yaml("a:\n  b: [1, 2]\n")
    assert problems == []
    assert isinstance(documents[0].locator, BlockLocator)
    assert documents[0].data == {"a": {"b": [1, 2]}}
    assert documents[0].locator.value(("a", "b", 1)).line == 2


@pytest.mark.parametrize(
    ("text", "takers"),
    [
        ("a:\n  b: [1, 2]\n", ["read_block", "read_libyaml_fast_construct", "read_libyaml_pyyaml"]),
        ("a: |\n  text\n", ["read_libyaml_fast_construct", "read_libyaml_pyyaml"]),  # a block scalar
        ("a: &x 1\nb: *x\n", ["read_libyaml_pyyaml"]),  # anchors: PyYAML's constructor only
    ],
)
def test_the_strategies_are_tried_in_order_and_the_first_taker_reads(text: str, takers: list[str]) -> None:
    assert [s.__name__ for s in STRATEGIES] == [
        "read_block",
        "read_libyaml_fast_construct",
        "read_libyaml_pyyaml",
    ]
    reads = {s.__name__: s(text) for s in STRATEGIES}
    assert [name for name, read in reads.items() if read is not None] == takers
    documents, problems = parse_yaml(text)
    first = reads[takers[0]]
    assert first is not None
    assert problems == first[1] == []
    assert [(d.data, type(d.locator)) for d in documents] == [(d.data, type(d.locator)) for d in first[0]]


def test_a_text_outside_the_subset_still_gets_libyaml_diagnostics() -> None:
    documents, _ = parse_yaml("a: 1\na: 2\n")
    assert isinstance(documents[0].locator, NodeLocator)
    assert any("duplicate" in p.message for p in documents[0].problems)


def test_the_cli_gives_the_same_report_with_and_without_the_block_reader(
    run_cli: Any, write: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        "model.yaml",
        "framework: pytorch\nmodel:\n  input_size: 40\n  layers:\n    - type: lstm\n      hidden_size: 010\n"
        "      num_layers: 2\n    - type: gru   # a comment\n      hidden_size: 64\n      bidirectional: yes\n"
        "limits:\n  max_params: 1000\n",
    )
    fast = run_cli("--format", "json", "--no-cache", path)
    monkeypatch.setattr(blockyaml, "parse", lambda text: None)
    slow = run_cli("--format", "json", "--no-cache", path)
    assert fast.out == slow.out
    assert fast.code == slow.code == 1
    assert '"RNN004"' in fast.out  # hidden_size: 010 is 8 in YAML 1.1, found through the block reader's note


# --------------------------------------------------------------------------- generated texts

_KEYS = [
    "a",
    "type",
    "hidden_size",
    "key with space",
    "'quoted key'",
    '"dq"',
    "1",
    "010",
    "yes",
    "~",
    "x-y",
    "a.b",
    "---",
    "...",
]
_SCALARS = [
    "0",
    "7",
    "010",
    "0x1F",
    "0o17",
    "1_000",
    "+5",
    "-3",
    "1:30",
    "190:20:30",
    "1.5",
    "1e3",
    "1.0e+3",
    ".5",
    "-.Inf",
    ".nan",
    "6.8523015e+5",
    "true",
    "False",
    "yes",
    "NO",
    "on",
    "off",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "abc",
    "a b",
    "a:b",
    "http://x.y/z",
    "a#b",
    "${a.b}",
    "???",
    "-x",
    "?x",
    "a,b",
    "x]",
    "a{b}",
    "'q'",
    '"d"',
    "'it''s'",
    "''",
    '""',
    "2001-12-14",
    "=",
    "<<",
    "a  b",
    "(x)",
    "/p",
    "$v",
    "^c",
    "\\w",
    "+x",
    "-",
    "--x",
]


@st.composite
def _layout(draw: st.DrawFn) -> str:
    """A block YAML text: nested mappings and sequences in random layouts."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    lines: list[str] = []
    if rng.random() < 0.2:
        lines.append("---" + rng.choice(["", " # start"]))

    def comment(indent: int) -> None:
        roll = rng.random()
        if roll < 0.08:
            lines.append(" " * rng.randint(0, indent + 2) + "# note")
        elif roll < 0.14:
            lines.append(" " * rng.randint(0, 3))

    def value() -> str:
        roll = rng.random()
        if roll < 0.1:
            items = [rng.choice(_SCALARS[:40]) for _ in range(rng.randint(0, 3))]
            pad = rng.choice(["", " "])
            return "[" + pad + (rng.choice([", ", " , ", ","])).join(items) + pad + "]"
        if roll < 0.16:
            pairs = [f"{rng.choice(_KEYS)}{rng.choice([': ', ' :  '])}{rng.choice(_SCALARS[:40])}" for _ in range(3)]
            pad = rng.choice(["", " "])
            return "{" + pad + (rng.choice([", ", " , ", ","])).join(pairs[: rng.randint(0, 3)]) + pad + "}"
        return rng.choice(_SCALARS)

    def trailer() -> str:
        return rng.choice(["", "", "", "  ", " # c", "   # c c"])

    def block(indent: int, depth: int, kind: str, first_prefix: str | None = None) -> None:
        for index in range(rng.randint(1, 4)):
            comment(indent)
            prefix = first_prefix if (index == 0 and first_prefix is not None) else " " * indent
            if kind == "map":
                key = rng.choice(_KEYS)
                if depth < 3 and rng.random() < 0.35:
                    lines.append(f"{prefix}{key}:{trailer()}")
                    child = rng.choice(["map", "seq", "seq0", "empty"])
                    step = rng.randint(1, 4)
                    if child == "map":
                        block(indent + step, depth + 1, "map")
                    elif child == "seq":
                        block(indent + step, depth + 1, "seq")
                    elif child == "seq0":
                        block(indent, depth + 1, "seq")  # a sequence at its key's column
                else:
                    lines.append(f"{prefix}{key}:{rng.choice([' ', '  '])}{value()}{trailer()}")
            else:
                dash = "-" + " " * rng.randint(1, 3)
                roll = rng.random()
                if depth < 3 and roll < 0.35:
                    block(indent + len(dash), depth + 1, "map", first_prefix=" " * indent + dash)
                elif depth < 3 and roll < 0.45:
                    lines.append(" " * indent + "-" + trailer())
                    block(indent + rng.randint(1, 3), depth + 1, rng.choice(["map", "seq"]))
                elif depth < 3 and roll < 0.5:
                    block(indent + len(dash), depth + 1, "seq", first_prefix=" " * indent + dash)  # "- - x"
                elif roll < 0.55:
                    lines.append(" " * indent + "-" + trailer())
                else:
                    lines.append(f"{' ' * indent}{dash}{value()}{trailer()}")

    block(rng.choice([0, 0, 0, 2]), 0, rng.choice(["map", "map", "seq"]))
    comment(0)
    return "\n".join(lines) + rng.choice(["\n", "\n", "", "\n\n", "\n# end\n"])


_EDITS = list(" -:#\n'\"[],a1\t!&*|>?%@{}.")


@settings(max_examples=1500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_layout())
def test_generated_block_yaml(text: str) -> None:
    compare(text)


@settings(max_examples=2000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_layout(), st.integers(0, 10_000), st.sampled_from(_EDITS), st.sampled_from(["insert", "replace", "delete"]))
def test_mutated_block_yaml(text: str, where: int, char: str, how: str) -> None:
    at = where % (len(text) + 1)
    if how == "insert":
        text = text[:at] + char + text[at:]
    elif how == "replace":
        text = text[:at] + char + text[at + 1 :]
    else:
        text = text[:at] + text[at + 1 :]
    compare(text)


def test_most_generated_texts_take_the_fast_path() -> None:
    """Not a vacuous pass: the generator's texts are mostly within the subset."""
    accepted = sum(compare(_render_plain(seed)) for seed in range(300))
    assert accepted >= 250


def _render_plain(seed: int) -> str:
    """A generated text without the scalars the reader leaves to libyaml (timestamps, '=', '<<')."""
    rng = random.Random(seed)
    lines = []
    for i in range(rng.randint(1, 8)):
        lines.append(f"k{i}: {rng.choice(_SCALARS[:40])}")
        if rng.random() < 0.4:
            lines.append(f"s{i}:")
            lines.extend(f"  - {rng.choice(_SCALARS[:20])}" for _ in range(rng.randint(1, 3)))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- real files


def _corpus_yaml() -> list[str]:
    found = glob.glob(os.path.join(CORPUS, "**", "*.y*ml"), recursive=True)
    return sorted(found)


@pytest.mark.skipif(not os.path.isdir(CORPUS), reason="../shared/corpus not beside the repository")
def test_corpus_files_read_as_libyaml_reads_them() -> None:
    accepted = 0
    for path in _corpus_yaml():
        with open(path, encoding="utf-8", errors="replace") as fh:
            accepted += compare(fh.read())
    assert accepted >= 60  # most real configs are plain block YAML


def test_bench_corpus_files_take_the_fast_path() -> None:
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
    try:
        from corpus import native_config
    finally:
        sys.path.pop(0)
    for index in range(40):
        assert compare(native_config(index))


# --------------------------------------------------------------------------- regressions (issue 14, section 4)


def _pyyaml(text: str, reference: Any) -> tuple[bool, Any]:
    """PyYAML's verdict and data for ``text`` with ``reference`` (yaml.CSafeLoader or yaml.SafeLoader)."""
    try:
        return True, yaml.load(text, Loader=reference)
    except yaml.YAMLError:
        return False, None


def _as_pyyaml_or_declined(text: str) -> bool:
    """The block reader reads ``text`` as both of PyYAML's safe loaders do, or declines it (returned: accepted)."""
    block = blockyaml.parse(text)
    if block is not None:
        for reference in (yaml.CSafeLoader, yaml.SafeLoader):
            accepted, data = _pyyaml(text, reference)
            assert accepted, f"{reference.__name__} refuses a text the block reader accepted:\n{text}"
            assert _typed(block.data) == _typed(data), (reference.__name__, text)
    return compare(text)


LONG = "k" * 990
# F1: a last item "-" in a one-line flow collection was dropped; these are valid, and stay on the fast path.
F1_KEPT = ["a: [x, -]\n", "a: [x,-]\n", "a: [-]\n", "- [-, -]\n", "a: {b: -}\n", "a: {-: -}\n", "a: {b: x, c: -}\n"]
DECLINED = {
    # F2: libyaml refuses ":" followed by "?" in a flow scalar; "?" in one also splits C and Python PyYAML.
    "F2 seq": "a: [x:?y]\n",
    "F2 map": "a: {x:?y: 1}\n",
    "F2 root": "{x:?y: 1}\n",
    "? in flow (CSafeLoader reads it, SafeLoader refuses)": "a: [x?y]\n",
    # F3: "---" and "..." at column 0 are document markers, even before " :".
    "F3 ---": "a: 1\n--- : 2\n",
    "F3 ...": "a: 1\n... : 2\n",
    "F3 --- x": "a: 1\n--- x: 2\n",
    # F4: libyaml's 1,024 characters for a simple key count up to its ":", spaces included, and hold in {...}.
    "F4 spaces": f"a: 1\n{LONG}{' ' * 40}: 1\n",
    "F4 spaces after -": f"- {LONG}{' ' * 40}: 1\n",
    "F4 flow key": f"a: {{{'k' * 1030}: 1}}\n",
    "F4 flow key and spaces": f"a: {{{LONG}{' ' * 40}: 1}}\n",
}


@pytest.mark.parametrize("text", F1_KEPT)
def test_f1_a_last_dash_in_a_flow_collection_is_kept(text: str) -> None:
    assert _as_pyyaml_or_declined(text), f"plain flow YAML should stay on the fast path:\n{text}"


@pytest.mark.parametrize("text", DECLINED.values(), ids=DECLINED.keys())
def test_f2_f3_f4_texts_libyaml_refuses_or_reads_otherwise_are_declined(text: str) -> None:
    assert not _as_pyyaml_or_declined(text)


def test_f4_keys_just_within_the_limit_stay_on_the_fast_path() -> None:
    for text in (f"a: 1\n{LONG}: 1\n", f"a: {{{LONG}: 1}}\n", f"a: 1\n{'k' * 980}{' ' * 10}: 1\n"):
        assert _as_pyyaml_or_declined(text)


F8_REFUSED = {
    "a: =\n": (1, 4),
    "a:\n  b: <<\n": (2, 6),
    "- [x, =]\n": (1, 7),
    "a: {b: <<}\n": (1, 8),
}


@pytest.mark.parametrize("text", F8_REFUSED)
def test_f8_a_plain_equals_or_merge_value_is_refused_as_pyyaml_refuses_it(text: str) -> None:
    for reference in (yaml.CSafeLoader, yaml.SafeLoader):
        assert _pyyaml(text, reference) == (False, None), reference.__name__
    documents, problems = parse_yaml(text)
    assert documents == []
    [problem] = problems
    assert problem.code == "RNN001"
    assert "could not determine a constructor" in problem.message
    assert (problem.span.line, problem.span.column) == F8_REFUSED[text]


@pytest.mark.parametrize(
    ("text", "data"),
    [("base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n", {"base": {"x": 1}, "d": {"x": 1, "y": 2}}), ("=: 1\n", {"=": 1})],
)
def test_f8_merge_keys_still_merge_and_an_equals_key_is_a_string(text: str, data: Any) -> None:
    # PyYAML's flatten_mapping merges "<<" keys and turns a "=" key into a string before construction.
    documents, problems = parse_yaml(text)
    assert problems == []
    assert documents[0].data == yaml.load(text, Loader=yaml.CSafeLoader) == data


def _console(*args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    script = shutil.which("rnnlint", path=os.path.dirname(sys.executable))
    assert script is not None, "the console script is not installed next to this Python"
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [script, "--isolated", "--no-cache", *map(str, args)], capture_output=True, text=True, env=env
    )


_CONFIG = """\
framework: pytorch{comment}
model:
  layers:
    - type: embedding
      num_embeddings: 20000
      embedding_dim: 100
    - type: lstm
      hidden_size: {hidden}
dataset: {{train_examples: 1000, tokens: -}}
"""


def test_f1_cli_a_dash_in_a_flow_mapping_gives_the_same_finding_as_through_libyaml(tmp_path: Any) -> None:
    # The non-ASCII comment sends the file to libyaml; both must report dataset.tokens ('-' is a string).
    plain = tmp_path / "plain.yaml"
    plain.write_text(_CONFIG.format(comment="", hidden="128"), encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(_CONFIG.format(comment="  # café", hidden="128"), encoding="utf-8")
    ours, theirs = _console(plain), _console(other)
    assert ours.returncode == theirs.returncode == 1, ours.stderr
    assert "plain.yaml:9:41: RNN002 dataset.tokens: " in ours.stdout  # (the schema message's wording aside)
    assert ours.stdout.replace("plain.yaml", "other.yaml") == theirs.stdout


def test_f8_cli_a_plain_equals_value_is_a_parse_error_with_its_position(tmp_path: Any) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(_CONFIG.format(comment="", hidden="="), encoding="utf-8")
    run = _console(path)
    assert run.returncode == 1, run.stderr
    assert "model.yaml:8:20: RNN001 YAML value cannot be read: could not determine a constructor" in run.stdout
    assert "Tagged" not in run.stdout + run.stderr
