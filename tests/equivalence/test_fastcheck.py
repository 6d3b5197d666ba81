"""The fast native-schema check (generated from the schema) gives jsonschema's verdict exactly, and every file
it rejects gets jsonschema's messages.

The generators' keys, layer types and valid values are read from the schema (tests/schema_oracle.py), so a new
schema key is drawn, mutated and compared here without editing this file.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnlint.dialects.native import fastcheck, validate
from rnnlint.model import Span
from rnnlint.parse.yaml import construct, parse_yaml
from tests import schema_oracle

KINDS = schema_oracle.layer_kinds()
SECTIONS = schema_oracle.sections()
KIND_OF = {layer_type: kind for kind in KINDS for layer_type in kind.types}
TYPO = "hiden_size"  # a layer key of no kind: the did-you-mean case
UNKNOWN_TYPES = ["transformer", "", "LSTM"]  # not the schema's: only `type` is constrained (RNN205 reports it)
UNKNOWN_KEYS = ["name", "a", "hidden_size"]  # what an unknown type's layer holds

TYPES = [*KIND_OF, *UNKNOWN_TYPES]
LAYER_KEYS = sorted({key for kind in KINDS for key in kind.properties} | {TYPO})
TOP_KEYS = [*SECTIONS[""], "extra"]
MODEL_KEYS = [*SECTIONS["model"], "extra"]
SECTION_KEYS = [key for path in SECTIONS if path not in ("", "model") for key in SECTIONS[path]] + ["epochs"]
MUTATION_KEYS = [*LAYER_KEYS, *SECTIONS[""], *SECTION_KEYS, "layers", 1, None]


def _schema_strings(node: Any) -> set[str]:
    """Every string an enum or const of the schema lists: the values a string check tells apart."""
    if isinstance(node, list):
        return {s for item in node for s in _schema_strings(item)}
    if not isinstance(node, dict):
        return set()
    found = {v for v in node.get("enum", []) if isinstance(v, str)}
    if isinstance(node.get("const"), str):
        found.add(node["const"])
    return found | {s for value in node.values() for s in _schema_strings(value)}


STRINGS = sorted(_schema_strings(schema_oracle.SCHEMA) | {"", "transformer", "5e6", "x"})

# Values a config can hold (what PyYAML and json produce), biased towards the edges of each check.
SCALARS = st.one_of(
    st.integers(min_value=-3, max_value=3),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0.0, -0.0, 0.5, 1.0, 1.5, -0.1, 256.0, math.nan, math.inf, -math.inf]),
    st.booleans(),
    st.none(),
    st.sampled_from(STRINGS),
)
# The values on either side of every check: minimums 0 and 1, the unit interval, types YAML confuses.
NEAR_VALUES: list[Any] = [
    -1,
    0,
    1,
    2,
    0.0,
    -0.0,
    -0.5,
    0.5,
    1.0,
    1.5,
    256.0,
    math.nan,
    math.inf,
    -math.inf,
    True,
    False,
    None,
    "",
    "x",
    *sorted(_schema_strings(schema_oracle.SCHEMA)),
]
# The empty containers are built fresh for each draw: a shared [] that a later mutation appends to
# would change the strategy itself between examples (hypothesis reports that as flaky).
NEAR = st.sampled_from([v for v in NEAR_VALUES if not isinstance(v, (list, dict))]) | st.builds(list) | st.builds(dict)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "type", "hidden_size"]), inner, max_size=2)
    ),
    max_leaves=4,
)

# Valid values for each key, so that most drawn layers are near-valid rather than hopeless.
GOOD: dict[str, Any] = {
    key: schema_oracle.good(prop) for kind in KINDS for key, prop in kind.properties.items() if key != "type"
}
GOOD.update({TYPO: st.integers(1, 8), "a": VALUES, "type": st.sampled_from(TYPES)})


def _allowed(layer_type: str) -> tuple[list[str], list[str]]:
    """(required keys other than type, optional keys) of a layer type."""
    kind = KIND_OF.get(layer_type)
    if kind is None:
        return [], UNKNOWN_KEYS
    required = [key for key in kind.required if key != "type"]
    return required, [key for key in kind.properties if key not in ("type", *required)]


@st.composite
def valid_layers(draw: st.DrawFn) -> dict[str, Any]:
    layer_type = draw(st.sampled_from(TYPES[:-2]))
    required, optional = _allowed(layer_type)
    layer: dict[str, Any] = {"type": layer_type}
    for key in required:
        layer[key] = draw(GOOD[key])
    for key in draw(st.lists(st.sampled_from(optional), max_size=5, unique=True)):
        layer[key] = draw(GOOD[key])
    return layer


def _section(props: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={key: schema_oracle.good(prop) for key, prop in props.items()})


@st.composite
def valid_configs(draw: st.DrawFn) -> dict[str, Any]:
    model: dict[str, Any] = {"layers": draw(st.lists(valid_layers(), min_size=1, max_size=3))}
    for key, prop in SECTIONS["model"].items():
        if key != "layers" and draw(st.booleans()):
            model[key] = draw(schema_oracle.good(prop) if key != "name" else st.sampled_from(["", "m"]))
    data: dict[str, Any] = {"model": model}
    for key, prop in SECTIONS[""].items():
        if key == "model" or not draw(st.booleans()):
            continue
        data[key] = draw(_section(SECTIONS[key]) if key in SECTIONS else schema_oracle.good(prop))
    return data


def _containers(node: Any) -> list[Any]:
    found = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            found.append(item)
            stack.extend(item)
    return found


@st.composite
def configs(draw: st.DrawFn) -> Any:
    """A valid native config, then zero to two small mutations: near-valid, so each check is exercised."""
    data: Any = draw(valid_configs())
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
        target = draw(st.sampled_from(_containers(data)))
        op = draw(st.sampled_from(["set", "set", "set", "delete", "replace"]))
        if isinstance(target, list):
            if op == "delete" and target:
                target.pop(draw(st.integers(0, len(target) - 1)))
            else:
                target.append(draw(SCALARS | VALUES) if op == "replace" else draw(valid_layers()))
        elif op == "delete" and target:
            del target[draw(st.sampled_from(sorted(target, key=str)))]
        elif op == "replace" and target:
            target[draw(st.sampled_from(sorted(target, key=str)))] = draw(VALUES)
        else:
            existing = sorted(target, key=str)
            pool = (
                LAYER_KEYS
                if "type" in target
                else TOP_KEYS
                if target is data
                else MODEL_KEYS
                if "layers" in target
                else SECTION_KEYS
            )
            if draw(st.integers(0, 7)) == 0:
                pool = MUTATION_KEYS
            key = draw(st.sampled_from(existing)) if existing and draw(st.booleans()) else draw(st.sampled_from(pool))
            good = GOOD.get(key) if isinstance(key, str) else None
            target[key] = draw(good) if good is not None and draw(st.integers(0, 3)) == 0 else draw(NEAR | SCALARS)
    if draw(st.integers(0, 60)) == 0:
        return draw(VALUES)  # not a mapping at all
    return data


jsonschema_valid = schema_oracle.valid


class _FlatLocator:
    """Every path at one position: validate()'s de-duplication shows through."""

    def value(self, path: Any) -> Span:
        return Span(1, 1)

    def key(self, path: Any) -> Span:
        return Span(1, 1)


def _agrees(data: Any) -> None:
    verdict = jsonschema_valid(data)
    assert fastcheck.valid(data) == verdict
    # A rejected file always gets a message; a valid one none.
    assert bool(validate.validate(data, _FlatLocator())) == (not verdict)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_fast_check_agrees_with_jsonschema(data: Any) -> None:
    _agrees(data)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_fast_check_agrees_with_jsonschema_long(data: Any) -> None:
    _agrees(data)


def full_config() -> dict[str, Any]:
    """One layer of every kind with every key it allows, one unknown layer, every section full: the base for
    exhaustive mutations."""
    layers: list[dict[str, Any]] = [
        {key: kind.types[-1] if key == "type" else schema_oracle.example(prop) for key, prop in kind.properties.items()}
        for kind in KINDS
    ]
    layers.append({"type": "transformer", "name": "f", "heads": 8})
    data: dict[str, Any] = {}
    for key, prop in SECTIONS[""].items():
        if key == "model":
            data[key] = {k: schema_oracle.example(p) for k, p in SECTIONS["model"].items() if k != "layers"}
            data[key]["layers"] = layers
        elif key in SECTIONS:
            data[key] = {k: schema_oracle.example(p) for k, p in SECTIONS[key].items()}
        else:
            data[key] = schema_oracle.example(prop)
    return data


def _single_mutations(base: dict[str, Any], values: list[Any]) -> Any:
    keys = sorted({*LAYER_KEYS, *TOP_KEYS, *MODEL_KEYS, *SECTION_KEYS, "heads"})
    for index, container in enumerate(_containers(base)):
        targets: list[Any] = [*keys, 1, None] if isinstance(container, dict) else list(range(len(container) + 1))
        for key in targets:
            for value in [*values, "<delete>"]:
                data = copy.deepcopy(base)
                target = _containers(data)[index]
                if value == "<delete>":
                    if isinstance(target, dict):
                        target.pop(key, None)
                    elif key < len(target):
                        target.pop(key)
                elif isinstance(target, list) and key == len(target):
                    target.append(value)
                else:
                    target[key] = value
                yield (index, key, value), data


@pytest.mark.slow
def test_every_single_mutation_of_a_full_config_agrees() -> None:
    base = full_config()
    assert fastcheck.valid(base) and jsonschema_valid(base)
    checked = 0
    for where, data in _single_mutations(base, [*NEAR_VALUES, [], [1], {}]):
        assert fastcheck.valid(data) == jsonschema_valid(data), where
        checked += 1
    assert checked > 5000


def test_single_mutations_of_a_full_config_agree_quick() -> None:
    # The short form of the sweep above: every key and position, a few values on either side of the checks.
    base = full_config()
    assert fastcheck.valid(base) and jsonschema_valid(base)
    verdicts = set()
    for where, data in _single_mutations(base, [0, 1, 256.0, True, "x", None]):
        verdict = jsonschema_valid(data)
        assert fastcheck.valid(data) == verdict, where
        verdicts.add(verdict)
    assert verdicts == {True, False}


def test_the_full_config_holds_every_schema_key() -> None:
    # Guards the sweeps against a config built from the schema that misses part of it.
    base = full_config()
    layer_keys = {key for layer in base["model"]["layers"] for key in layer}
    assert {key for kind in KINDS for key in kind.properties} <= layer_keys
    assert {layer["type"] for layer in base["model"]["layers"]} >= {kind.types[-1] for kind in KINDS}
    for path, props in SECTIONS.items():
        section = base if path == "" else base[path]
        assert set(props) <= set(section), path


def test_the_generator_reaches_both_verdicts() -> None:
    # Guards the property test against a generator that only ever draws one kind of config.
    found = {True: 0, False: 0}

    @settings(max_examples=400, deadline=None, database=None)
    @given(configs())
    def tally(data: Any) -> None:
        found[jsonschema_valid(data)] += 1

    tally()
    assert found[True] > 40 and found[False] > 40, found


def test_examples_and_corpus_shapes_agree() -> None:
    texts = [
        "model: {layers: [{type: lstm, hidden_size: 8}]}",
        "model: {layers: [{type: lstm, hidden_size: 8.0}]}",
        "model: {layers: [{type: lstm, hidden_size: true}]}",
        "model: {layers: [{type: transformer, anything: [1, 2]}]}",
        "model: {layers: []}",
        "model: {layers: [{type: dropout, p: .nan}]}",
        "limits: {max_params_per_example: .nan}\nmodel: {layers: [{type: rnn, hidden_size: 2}]}",
        "framework: tensorflow\nmodel: {layers: [{type: gru, hidden_size: 2}]}",
    ]
    for text in texts:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
        assert fastcheck.valid(data) == jsonschema_valid(data), text


def test_fast_yaml_construction_matches_pyyaml() -> None:
    text = (
        "a: 1\nb: -2\nc: 0x1F\nd: 010\ne: 1:30\nf: 1_000\ng: 1.5\nh: .inf\ni: yes\nj: ~\nk: 'q'\n"
        "l: [1, {m: n}]\nn: 2020-01-01\n"
    )
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert construct.construct(node) is construct.FALLBACK  # the timestamp needs PyYAML
    plain = text.replace("n: 2020-01-01\n", "")
    node = yaml.compose(plain, Loader=yaml.CSafeLoader)
    assert construct.construct(node) == yaml.load(plain, Loader=yaml.CSafeLoader)
    documents, problems = parse_yaml("a: 1\na: 2\n")  # duplicate keys still reported
    assert documents[0].data == {"a": 2} and documents[0].problems and not problems


@settings(max_examples=300, deadline=None)
@given(configs())
def test_fast_yaml_gives_pyyaml_data(data: Any) -> None:
    text = yaml.safe_dump(data, sort_keys=False) if not isinstance(data, float) or not math.isnan(data) else "x"
    expected = yaml.load(text, Loader=yaml.CSafeLoader)
    documents, problems = parse_yaml(text)
    assert not problems
    got = documents[0].data if documents else None
    assert repr(got) == repr(expected)


def test_rejected_files_get_jsonschema_messages(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "bad.yaml",
        """
        model:
          layers:
            - type: lstm
              hiden_size: 8
            - type: gru
              hidden_size: 8.0
    """,
    )
    result = run_cli("--isolated", "--format", "json", path)
    assert result.code == 1, result.err
    messages = [d["message"] for d in result.json()["files"][0]["diagnostics"] if d["code"] == "RNN002"]
    assert messages == [
        "model.layers[0]: 'hidden_size' is a required property",
        "model.layers[0]: Additional properties are not allowed ('hiden_size' was unexpected)"
        " (did you mean 'hidden_size'?)",
        "model.layers[1].hidden_size: 8.0 is not of type 'integer'"
        " (write 8; rnnlint refuses a float here even with a zero fraction)",
    ]


def test_valid_but_yaml11_surprising_numbers_still_reported(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # 010 is a valid integer (8) for the schema; the fast path must not hide RNN004.
    path = write(
        "octal.yaml",
        """
        model:
          input_size: 010
          layers:
            - type: lstm
              hidden_size: 8
    """,
    )
    result = run_cli("--isolated", "--format", "json", path)
    codes = [d["code"] for d in result.json()["files"][0]["diagnostics"]]
    assert "RNN004" in codes


def test_yaml11_integer_forms_are_sent_to_the_full_check() -> None:
    for text in ("a: 010", "a: -010", "a: [1, 010]", "a: {b: 0_7}", "- 1:30", "a: +010", "a:\n  - 00"):
        assert fastcheck._yaml11_integers(text), text
    for text in ("a: 10", "a: 0", "a: 0.5", "a: 1.05", "a: 100\nb: 2", "x0: 1", "a: 0x1F"):
        assert not fastcheck._yaml11_integers(text), text


def test_builder_notes_integers_yaml_1_1_reads_its_own_way() -> None:
    # The native fast path trusts this note instead of scanning the text for 010 or 1:30.
    for text, unusual in [
        ("a: 10\nb: [0, 7]\nc: 1.5\nd: '010'\n", False),
        ("a: 010\n", True),
        ("a: 1:30\n", True),
        ("a: +5\n", True),
        ("a: 0x1F\n", True),
        ("a: 1_000\n", True),
        ("{010: x}\n", True),
    ]:
        data, noted = construct.construct_noting(yaml.compose(text, Loader=yaml.CSafeLoader))
        assert data == yaml.load(text, Loader=yaml.CSafeLoader) and noted == unusual, text
    documents, _ = parse_yaml("a: &x 010\nb: *x\n")  # PyYAML's constructor: unknown, so not vouched for
    assert documents[0].plain_integers is False


def test_octal_and_base_60_sizes_are_still_reported(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("m.yaml", "model:\n  input_size: 010\n  layers:\n    - {type: lstm, hidden_size: 1:30}\n")
    result = run_cli("--isolated", "--no-cache", path)
    assert result.out.count("RNN004") == 2, result.out
