"""The fast native-schema check gives jsonschema's verdict exactly, and rnnlint's schema interpreter
(which writes the messages for rejected files) yields exactly jsonschema's errors, in its order."""

from __future__ import annotations

import math
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnlint.dialects.native import fastcheck, schema
from rnnlint.model import Span
from rnnlint.parse import fastyaml
from rnnlint.parse.loader import parse_yaml
from tests import schema_oracle

# Values a config can hold (what PyYAML and json produce), biased towards the edges of each check.
SCALARS = st.one_of(
    st.integers(min_value=-3, max_value=3),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0.0, -0.0, 0.5, 1.0, 1.5, -0.1, 256.0, math.nan, math.inf, -math.inf]),
    st.booleans(),
    st.none(),
    st.sampled_from(
        [
            "",
            "lstm",
            "gru",
            "rnn",
            "lstm_cell",
            "embedding",
            "linear",
            "dropout",
            "tanh",
            "relu",
            "pytorch",
            "keras",
            "onnx",
            "transformer",
            "5e6",
            "x",
        ]
    ),
)
# The values on either side of every check: minimums 0 and 1, the unit interval, types YAML confuses.
# The empty containers are built fresh for each draw: a shared [] that a later mutation appends to
# would change the strategy itself between examples (hypothesis reports that as flaky).
NEAR = (
    st.sampled_from(
        [
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
            "lstm",
            "tanh",
            "pytorch",
        ]
    )
    | st.builds(list)
    | st.builds(dict)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "type", "hidden_size"]), inner, max_size=2)
    ),
    max_leaves=4,
)

LAYER_KEYS = [
    "type",
    "name",
    "input_size",
    "hidden_size",
    "num_layers",
    "bidirectional",
    "bias",
    "proj_size",
    "nonlinearity",
    "reset_after",
    "dropout",
    "peepholes",
    "activation",
    "recurrent_activation",
    "recurrent_dropout",
    "unroll",
    "num_embeddings",
    "embedding_dim",
    "in_features",
    "out_features",
    "p",
    "hiden_size",
]
TYPES = [
    "lstm",
    "gru",
    "rnn",
    "lstm_cell",
    "gru_cell",
    "rnn_cell",
    "embedding",
    "linear",
    "dropout",
    "transformer",
    "",
    "LSTM",
]

# Valid values for each key, so that most drawn layers are near-valid rather than hopeless.
GOOD: dict[str, Any] = {
    "name": st.sampled_from(["enc", "x"]),
    "input_size": st.integers(1, 512),
    "hidden_size": st.integers(1, 512),
    "num_layers": st.integers(1, 4),
    "bidirectional": st.booleans(),
    "bias": st.booleans(),
    "proj_size": st.integers(0, 64),
    "nonlinearity": st.sampled_from(["tanh", "relu"]),
    "reset_after": st.booleans(),
    "dropout": st.floats(0, 1),
    "peepholes": st.booleans(),
    "activation": st.just("tanh"),
    "recurrent_activation": st.just("sigmoid"),
    "recurrent_dropout": st.floats(0, 1),
    "unroll": st.booleans(),
    "num_embeddings": st.integers(1, 50_000),
    "embedding_dim": st.integers(1, 512),
    "in_features": st.integers(1, 512),
    "out_features": st.integers(1, 512),
    "p": st.floats(0, 1),
    "hiden_size": st.integers(1, 8),
}
GOOD["type"] = st.sampled_from(TYPES)


ALLOWED = {
    "lstm": [
        "name",
        "input_size",
        "num_layers",
        "bidirectional",
        "bias",
        "proj_size",
        "nonlinearity",
        "reset_after",
        "dropout",
        "peepholes",
        "activation",
        "recurrent_activation",
        "recurrent_dropout",
        "unroll",
    ],
    "lstm_cell": ["name", "input_size", "bias", "nonlinearity", "reset_after"],
    "embedding": ["name"],
    "linear": ["name", "in_features", "bias"],
    "dropout": ["name", "p"],
    "transformer": ["name", "a", "hidden_size"],
}
REQUIRED = {
    "lstm": ["hidden_size"],
    "lstm_cell": ["hidden_size"],
    "embedding": ["num_embeddings", "embedding_dim"],
    "linear": ["out_features"],
    "dropout": [],
    "transformer": [],
}
GOOD["a"] = VALUES
FAMILY = {"gru": "lstm", "rnn": "lstm", "gru_cell": "lstm_cell", "rnn_cell": "lstm_cell"}


@st.composite
def valid_layers(draw: st.DrawFn) -> dict[str, Any]:
    layer_type = draw(st.sampled_from(TYPES[:-2]))
    family = FAMILY.get(layer_type, layer_type)
    layer: dict[str, Any] = {"type": layer_type}
    for key in REQUIRED.get(family, []):
        layer[key] = draw(GOOD[key])
    for key in draw(st.lists(st.sampled_from(ALLOWED[family]), max_size=5, unique=True)):
        layer[key] = draw(GOOD[key])
    return layer


@st.composite
def valid_configs(draw: st.DrawFn) -> dict[str, Any]:
    model: dict[str, Any] = {"layers": draw(st.lists(valid_layers(), min_size=1, max_size=3))}
    if draw(st.booleans()):
        model["input_size"] = draw(st.integers(1, 512))
    if draw(st.booleans()):
        model["name"] = draw(st.sampled_from(["", "m"]))
    data: dict[str, Any] = {"model": model}
    if draw(st.booleans()):
        data["framework"] = draw(st.sampled_from(["pytorch", "keras", "onnx"]))
    if draw(st.booleans()):
        data["dataset"] = draw(
            st.fixed_dictionaries(
                {}, optional={"train_examples": st.integers(1, 10**6), "tokens": st.integers(1, 10**9)}
            )
        )
    if draw(st.booleans()):
        data["limits"] = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "max_params": st.integers(0, 10**9),
                    "max_layer_params": st.integers(0, 10**9),
                    "max_params_per_example": st.floats(0.001, 10),
                    "min_tokens_per_param": st.floats(0.001, 10),
                },
            )
        )
    if draw(st.booleans()):
        data["$schema"] = "s"
    return data


MUTATION_KEYS = [
    *LAYER_KEYS,
    "model",
    "layers",
    "framework",
    "dataset",
    "limits",
    "$schema",
    "train_examples",
    "tokens",
    "max_params",
    "max_layer_params",
    "max_params_per_example",
    "min_tokens_per_param",
    "epochs",
    1,
    None,
]

TOP_KEYS = ["model", "framework", "dataset", "limits", "$schema", "extra"]
MODEL_KEYS = ["name", "input_size", "layers", "extra"]
SECTION_KEYS = [
    "train_examples",
    "tokens",
    "max_params",
    "max_layer_params",
    "max_params_per_example",
    "min_tokens_per_param",
    "epochs",
]


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


def interpreter_errors(data: Any) -> list[tuple[str, tuple[Any, ...], str]]:
    found = []
    for error in schema.iter_errors(data):
        message, _point, _at_key = schema._message(error, error.path)
        found.append((error.validator, error.path, message))
    return found


class _FlatLocator:
    """Every path at one position: validate()'s de-duplication and order then show through."""

    def value(self, path: Any) -> Span:
        return Span(1, 1)

    def key(self, path: Any) -> Span:
        return Span(1, 1)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_fast_check_agrees_with_jsonschema(data: Any) -> None:
    assert fastcheck.valid(data) == jsonschema_valid(data)
    # The interpreter: the same errors as jsonschema, in the same order, with the same messages.
    expected = schema_oracle.errors(data)
    assert interpreter_errors(data) == expected
    assert [p.message for p in schema.validate(data, _FlatLocator())] == list(dict.fromkeys(e[2] for e in expected))


# One layer of every kind with every optional key, and every section: the base for exhaustive mutations.
FULL_CONFIG: dict[str, Any] = {
    "$schema": "s",
    "framework": "pytorch",
    "model": {
        "name": "m",
        "input_size": 8,
        "layers": [
            {
                "type": "lstm",
                "name": "a",
                "input_size": 8,
                "hidden_size": 8,
                "num_layers": 2,
                "bidirectional": True,
                "bias": True,
                "proj_size": 0,
                "nonlinearity": "tanh",
                "reset_after": True,
                "dropout": 0.5,
                "peepholes": False,
                "activation": "tanh",
                "recurrent_activation": "sigmoid",
                "recurrent_dropout": 0.0,
                "unroll": False,
            },
            {
                "type": "gru_cell",
                "name": "b",
                "input_size": 16,
                "hidden_size": 8,
                "bias": False,
                "nonlinearity": "relu",
                "reset_after": False,
            },
            {"type": "embedding", "name": "c", "num_embeddings": 10, "embedding_dim": 4},
            {"type": "linear", "name": "d", "in_features": 4, "out_features": 2, "bias": True},
            {"type": "dropout", "name": "e", "p": 1.0},
            {"type": "transformer", "name": "f", "heads": 8},
        ],
    },
    "dataset": {"train_examples": 1, "tokens": 1},
    "limits": {"max_params": 0, "max_layer_params": 0, "max_params_per_example": 0.5, "min_tokens_per_param": 2},
}
NEAR_VALUES = [
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
    "lstm",
    "gru",
    "rnn_cell",
    "embedding",
    "linear",
    "dropout",
    "tanh",
    "relu",
    "keras",
    "onnx",
    [],
    [1],
    {},
]


def test_every_single_mutation_of_a_full_config_agrees() -> None:
    import copy

    assert fastcheck.valid(FULL_CONFIG) and jsonschema_valid(FULL_CONFIG)
    keys = sorted({*LAYER_KEYS, *TOP_KEYS, *MODEL_KEYS, *SECTION_KEYS, "heads"})
    checked = 0
    for index in range(len(_containers(FULL_CONFIG))):
        target_keys: list[Any] = list(range(len(_containers(FULL_CONFIG)[index]) + 1))
        if isinstance(_containers(FULL_CONFIG)[index], dict):
            target_keys = [*keys, 1, None]
        for key in target_keys:
            for value in [*NEAR_VALUES, "<delete>"]:
                data = copy.deepcopy(FULL_CONFIG)
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
                assert fastcheck.valid(data) == jsonschema_valid(data), (index, key, value)
                assert interpreter_errors(data) == schema_oracle.errors(data), (index, key, value)
                checked += 1
    assert checked > 5000


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
        assert interpreter_errors(data) == schema_oracle.errors(data), text


def test_fast_yaml_construction_matches_pyyaml() -> None:
    text = (
        "a: 1\nb: -2\nc: 0x1F\nd: 010\ne: 1:30\nf: 1_000\ng: 1.5\nh: .inf\ni: yes\nj: ~\nk: 'q'\n"
        "l: [1, {m: n}]\nn: 2020-01-01\n"
    )
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert fastyaml.construct(node) is fastyaml.FALLBACK  # the timestamp needs PyYAML
    plain = text.replace("n: 2020-01-01\n", "")
    node = yaml.compose(plain, Loader=yaml.CSafeLoader)
    assert fastyaml.construct(node) == yaml.load(plain, Loader=yaml.CSafeLoader)
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


def test_number_keys_are_the_schemas() -> None:
    from rnnlint.dialects.native.yaml11 import schema_number_keys

    assert frozenset(schema_number_keys(schema.load_schema())) == fastcheck.NUMBER_KEYS


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
    assert "model.layers[0]: missing required key 'hidden_size'" in messages
    assert any("unknown key 'hiden_size' (did you mean 'hidden_size'?)" in m for m in messages)
    assert any(m.startswith("model.layers[1].hidden_size: expected an integer, got the number 8.0") for m in messages)


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
        data, noted = fastyaml.construct_noting(yaml.compose(text, Loader=yaml.CSafeLoader))
        assert data == yaml.load(text, Loader=yaml.CSafeLoader) and noted == unusual, text
    documents, _ = parse_yaml("a: &x 010\nb: *x\n")  # PyYAML's constructor: unknown, so not vouched for
    assert documents[0].plain_integers is False


def test_octal_and_base_60_sizes_are_still_reported(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("m.yaml", "model:\n  input_size: 010\n  layers:\n    - {type: lstm, hidden_size: 1:30}\n")
    result = run_cli("--isolated", "--no-cache", path)
    assert result.out.count("RNN004") == 2, result.out
