"""keras-json: Keras model JSON (Keras 1/2/3, TF.js) checked against the real Keras and through the CLI.

The golden fixtures in tests/fixtures/keras_json/ are random models written by the real
``model.to_json()`` with their ``count_params()`` (tools/gen_keras_json_fixtures.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rnnlint import counting
from rnnlint.dialects import AdaptOptions, keras_json
from rnnlint.model import ModelConfig
from rnnlint.parse.json import parse_json
from tests.conftest import CORPUS, REPO, needs_corpus

FIXTURES = REPO / "tests" / "fixtures" / "keras_json"
SUITES: dict[str, dict[str, Any]] = {
    path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(FIXTURES.glob("*_models.json"))
}
CASES = [(suite, case) for suite, data in SUITES.items() for case in data["cases"]]
KERAS_CORPUS = sorted((CORPUS / "keras-json").glob("*.json"))


def _adapt(model: Any, input_size: int | None = None) -> ModelConfig:
    docs, problems = parse_json(json.dumps(model, indent=1))
    assert not problems
    assert keras_json.detect(docs[0].data)
    adapted = keras_json.adapt(docs[0], AdaptOptions(path="model.json", input_size=input_size))
    assert adapted.model is not None, adapted.problems
    return adapted.model


def _without_stated_shapes(node: Any) -> Any:
    """Drop what Keras 3 / tf_keras 2.13+ write about built shapes, so that only propagation is left."""
    if isinstance(node, dict):
        return {
            key: _without_stated_shapes(value)
            for key, value in node.items()
            if key not in ("build_config", "build_input_shape") and not (key == "shape" and "keras_history" in node)
        }
    if isinstance(node, list):
        return [_without_stated_shapes(item) for item in node]
    return node


def _mismatches(model: ModelConfig, case: dict[str, Any]) -> list[str]:
    counts = {layer.name: counting.count(layer.module) for layer in model.layers}
    found = []
    total = sum(c.params or 0 for c in counts.values())
    if total != case["params"] or any(c.params is None for c in counts.values()):
        found.append(f"total {total:,} != count_params() {case['params']:,}")
    for name, params in case["layer_params"].items():
        count = counts.get(name)
        if count is None or count.params != params:
            found.append(
                f"{name}: {count.params if count else 'missing'} != {params} ({count.formula if count else ''})"
            )
    # Entries keras does not list in model.layers (a Sequential's InputLayer) hold no weights.
    found += [
        f"extra entry {n} with {c.params}" for n, c in counts.items() if n not in case["layer_params"] and c.params
    ]
    return found


# --------------------------------------------------------------------------- golden fixtures


def test_fixture_suites_cover_the_issue() -> None:
    keras3 = SUITES["keras3_models"]["cases"]
    assert len(keras3) >= 300
    assert len(SUITES["tf_keras_models"]["cases"]) >= 100
    assert {c["kind"] for c in keras3} == {"sequential", "functional", "conv_lstm"}
    text = json.dumps([c["model"] for _, c in CASES])
    for needle in (
        '"class_name": "Bidirectional"',
        '"backward_layer"',
        '"merge_mode": "concat"',
        '"merge_mode": "sum"',
        '"merge_mode": "mul"',
        '"merge_mode": "ave"',
        '"merge_mode": null',
        '"class_name": "ConvLSTM1D"',
        '"class_name": "ConvLSTM2D"',
        '"class_name": "ConvLSTM3D"',
        '"class_name": "TimeDistributed"',
        '"class_name": "NotEqual"',
        '"class_name": "Concatenate"',
        '"class_name": "Add"',
        '"reset_after": false',
        '"use_bias": false',
        '"return_state": true',
        '"class_name": "StackedRNNCells"',
        '"class_name": "Masking"',
        '"batch_input_shape"',
        '"keras_history"',
    ):
        assert needle.replace(": ", ":") in text.replace(": ", ":"), needle


@pytest.mark.parametrize(("suite", "case"), CASES, ids=[f"{s}:{c['id']}" for s, c in CASES])
def test_counts_match_keras(suite: str, case: dict[str, Any]) -> None:
    model = _adapt(case["model"])
    assert model.dialect == "keras-json" and model.framework == "keras"
    assert not _mismatches(model, case)
    # Every value is in the file: nothing assumed.
    assert not model.assumptions
    # The same counts from shapes propagated along the graph alone.
    assert not _mismatches(_adapt(_without_stated_shapes(case["model"])), case)


def test_fixture_models_through_the_cli(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chosen = [c for _, c in CASES if c["kind"] == "functional"][:6] + [
        c for _, c in CASES if c["kind"] != "functional"
    ][:6]
    for case in chosen:
        (tmp_path / f"{case['id']}.json").write_text(json.dumps(case["model"], indent=2), encoding="utf-8")
    result = run_cli("--format", "json", *(tmp_path / f"{c['id']}.json" for c in chosen))
    assert result.code in (0, 1), result.err
    files = {Path(f["path"]).stem: f for f in result.json()["files"]}
    for case in chosen:
        entry = files[case["id"]]
        assert entry["dialect"] == "keras-json"
        assert entry["total_params"] == case["params"]
        assert entry["complete"] is True
        got = {layer["name"]: layer["params"] for layer in entry["layers"]}
        assert {k: got[k] for k in case["layer_params"]} == case["layer_params"]


# --------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize("path", KERAS_CORPUS, ids=lambda p: p.name[-60:])
def test_corpus_file_counts(run_cli, path: Path) -> None:  # type: ignore[no-untyped-def]
    entry = run_cli("--format", "json", path).json()["files"][0]
    assert entry["dialect"] == "keras-json"
    assert entry["layers"] and all(layer["params"] is not None for layer in entry["layers"])
    assert entry["total_params"] == sum(layer["params"] for layer in entry["layers"])


@needs_corpus
def test_corpus_has_twelve_keras_files() -> None:
    assert len(KERAS_CORPUS) == 12


@needs_corpus
def test_keras1_and_flatten_counts(run_cli) -> None:  # type: ignore[no-untyped-def]
    def corpus(suffix: str) -> Path:
        return next(p for p in KERAS_CORPUS if p.name.endswith(suffix))

    entry = run_cli("--format", "json", corpus("keras2_bidirectional_lstm_tf_keras_2_config.json")).json()
    layers = {layer["name"]: layer["params"] for layer in entry["files"][0]["layers"]}
    # merge_mode sum keeps 64 features per step; Flatten over 100 steps feeds Dense(1) 6,400 + 1.
    assert layers == {
        "embedding_1": 20000 * 128,
        "bidirectional_1": 2 * 4 * (64 * (128 + 64) + 64),
        "flatten_1": 0,
        "dense_1": 6401,
    }
    entry = run_cli("--format", "json", corpus("keras1_lstm_tddense_config.json")).json()
    layers = {layer["name"]: layer["params"] for layer in entry["files"][0]["layers"]}
    # Keras 1: output_dim and input_dim; TimeDistributedDense(3) after LSTM(2).
    assert layers == {
        "lstm_1": 4 * (3 * (2 + 3) + 3),
        "lstm_2": 4 * (2 * (3 + 2) + 2),
        "timedistributeddense_1": 2 * 3 + 3,
        "activation_1": 0,
    }


# --------------------------------------------------------------------------- hand-written Keras 1/2 cases


def _layer(cls: str, **config: Any) -> dict[str, Any]:
    return {"class_name": cls, "config": config}


def _sequential(*layers: dict[str, Any], version: str | None = "2.2.4") -> dict[str, Any]:
    model: dict[str, Any] = {"class_name": "Sequential", "config": {"name": "m", "layers": list(layers)}}
    if version is not None:
        model["keras_version"] = version
    return model


def _lint(run_cli, write, model: Any, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    path = write("model.json", json.dumps(model, indent=2))
    result = run_cli("--format", "json", *args, path)
    assert result.code in (0, 1), result.err
    entry: dict[str, Any] = result.json()["files"][0]
    return entry


def _notes(entry: dict[str, Any], code: str = "RNN104") -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


def test_cudnn_layers_keep_two_bias_vectors(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    model = _sequential(
        _layer("CuDNNLSTM", name="lstm", units=20, return_sequences=True, batch_input_shape=[None, None, 10]),
        _layer("CuDNNGRU", name="gru", units=20),
    )
    entry = _lint(run_cli, write, model)
    layers = {layer["name"]: layer["params"] for layer in entry["layers"]}
    assert layers == {"lstm": 4 * 20 * (10 + 20) + 2 * 4 * 20, "gru": 3 * 20 * (20 + 20) + 2 * 3 * 20}
    assert not _notes(entry, "RNN204")  # CuDNN layers always run on cuDNN


@pytest.mark.parametrize(
    ("version", "reset_after", "words"),
    [
        ("2.0.8", False, "assumed false"),
        ("1.2.2", False, "assumed false"),
        (None, True, "assumed true"),
        ("2.4.0", True, "assumed true"),
        ("tfjs-layers 3.0.0", False, "assumed false"),
    ],
)
def test_gru_reset_after_default_by_version(run_cli, write, version, reset_after, words) -> None:  # type: ignore[no-untyped-def]
    gru = _layer("GRU", name="gru_1", units=20, batch_input_shape=[None, 5, 10])
    entry = _lint(run_cli, write, _sequential(gru, version=version))
    assert entry["layers"][0]["params"] == 3 * 20 * (10 + 20) + (2 if reset_after else 1) * 3 * 20
    notes = _notes(entry)
    assert len(notes) == 1 and words in notes[0] and '"reset_after"' in notes[0]
    assert entry["complete"] is False
    # Stated in the file: nothing assumed.
    gru_stated = _layer("GRU", name="gru_1", units=20, reset_after=reset_after, batch_input_shape=[None, 5, 10])
    entry = _lint(run_cli, write, _sequential(gru_stated, version=version))
    assert not _notes(entry) and entry["complete"] is True


def test_bare_list_and_tfjs_wrappers(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    layers = [_layer("LSTM", name="l", units=8, batch_input_shape=[None, 4, 3]), _layer("Dense", name="d", units=2)]
    expected = {"l": 4 * (8 * (3 + 8) + 8), "d": 8 * 2 + 2}
    for model in (
        layers,  # a bare list of layers
        {"class_name": "Sequential", "keras_version": "2.0.5", "config": layers},
        {
            "modelTopology": {
                "class_name": "Sequential",
                "keras_version": "tfjs-layers 1.0",
                "config": {"layers": layers},
            }
        },
        {
            "modelTopology": {"keras_version": "2.1.6", "model_config": {"class_name": "Sequential", "config": layers}},
            "weightsManifest": [],
        },
    ):
        entry = _lint(run_cli, write, model)
        assert entry["dialect"] == "keras-json"
        assert {layer["name"]: layer["params"] for layer in entry["layers"]} == expected


def test_unbuilt_model_counts_are_unknown_until_input_size_is_set(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    model = _sequential(
        _layer("LSTM", name="lstm", units=8, return_sequences=True), _layer("Dense", name="d", units=2), version=None
    )
    entry = _lint(run_cli, write, model)
    assert [layer["params"] for layer in entry["layers"]] == [None, 2 * 8 + 2]
    assert entry["complete"] is False
    notes = _notes(entry)
    assert len(notes) == 1 and "no input shape" in notes[0] and "input_size = N" in notes[0]
    config = write("pyproject.toml", '[[tool.rnnlint.overrides]]\nfiles = ["model.json"]\ninput_size = 5\n')
    entry = _lint(run_cli, write, model, "--config", str(config))
    assert [layer["params"] for layer in entry["layers"]] == [4 * (8 * (5 + 8) + 8), 18]
    assert not _notes(entry) and entry["complete"] is True


def test_embedding_first_needs_no_input_shape(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    model = _sequential(
        _layer("Embedding", name="e", input_dim=100, output_dim=16),
        _layer("GRU", name="g", units=4, reset_after=True),
        version=None,
    )
    entry = _lint(run_cli, write, model)
    assert [layer["params"] for layer in entry["layers"]] == [1600, 3 * 4 * (16 + 4) + 2 * 3 * 4]
    assert entry["complete"] is True


def test_unknown_layer_is_rnn205_and_param_free_ops_count_zero(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    model = _sequential(
        _layer("InputLayer", name="in", batch_input_shape=[None, 6, 3]),
        _layer("MyAttention", name="att", units=4),
        _layer("Lambda", name="lam"),
        _layer("Dropout", name="drop", rate=0.1),
    )
    entry = _lint(run_cli, write, model)
    assert [layer["params"] for layer in entry["layers"]] == [0, None, 0, 0]
    warnings = _notes(entry, "RNN205")
    assert len(warnings) == 1 and "MyAttention" in warnings[0]


def test_rnn204_options_point_at_their_keys(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    lstm = _layer("LSTM", name="lstm", units=4, recurrent_dropout=0.2, batch_input_shape=[None, 5, 3])
    model = _sequential(_layer("Bidirectional", name="bi", layer=lstm, merge_mode="concat"), version="2.4.0")
    path = write("model.json", json.dumps(model, indent=2))
    entry = run_cli("--format", "json", path).json()["files"][0]
    (warning,) = [d for d in entry["diagnostics"] if d["code"] == "RNN204"]
    line = path.read_text().splitlines()[warning["line"] - 1]
    assert '"recurrent_dropout"' in line[warning["column"] - 1 :]
    assert entry["layers"][0]["type"] == "Bidirectional(LSTM)"
    assert entry["layers"][0]["params"] == 2 * 4 * (4 * (3 + 4) + 4)
    # Standalone Keras 2.2 had no cuDNN kernel in LSTM: nothing to warn about.
    model["keras_version"] = "2.2.4"
    assert not _notes(_lint(run_cli, write, model), "RNN204")


def test_layer_spans_point_at_the_layer_objects(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    model = _sequential(
        _layer("LSTM", name="first", units=4, batch_input_shape=[None, 5, 3]), _layer("Dense", name="second", units=1)
    )
    path = write("model.json", json.dumps(model, indent=2))
    lines = path.read_text().splitlines()
    entry = run_cli("--format", "json", path).json()["files"][0]
    for layer in entry["layers"]:
        # the '{' of the layer object, whose config names it a few lines below
        assert lines[layer["line"] - 1][layer["column"] - 1] == "{"
        assert f'"name": "{layer["name"]}"' in "\n".join(lines[layer["line"] - 1 : layer["line"] + 6])


def test_functional_keras2_initial_state_and_shared_layer(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    def node(*refs: str) -> list[list[list[Any]]]:
        return [[[ref, 0, 0, {}] for ref in refs]]

    layers = [
        {
            "class_name": "InputLayer",
            "name": "a",
            "config": {"batch_input_shape": [None, None, 7]},
            "inbound_nodes": [],
        },
        {
            "class_name": "InputLayer",
            "name": "b",
            "config": {"batch_input_shape": [None, None, 7]},
            "inbound_nodes": [],
        },
        {
            "class_name": "LSTM",
            "name": "shared",
            "config": {"units": 5, "return_sequences": True},
            "inbound_nodes": node("a") + node("b"),
        },
        {
            "class_name": "Concatenate",
            "name": "cat",
            "config": {"axis": -1},
            "inbound_nodes": [[["shared", 0, 0, {}], ["shared", 1, 0, {}]]],
        },
        {
            "class_name": "LSTM",
            "name": "enc",
            "config": {"units": 6, "return_state": True},
            "inbound_nodes": node("cat"),
        },
        {
            "class_name": "InputLayer",
            "name": "c",
            "config": {"batch_input_shape": [None, None, 2]},
            "inbound_nodes": [],
        },
        {
            "class_name": "LSTM",
            "name": "dec",
            "config": {"units": 6},
            "inbound_nodes": [[["c", 0, 0, {}], ["enc", 0, 1, {}], ["enc", 0, 2, {}]]],
        },
    ]
    model = {
        "class_name": "Model",
        "keras_version": "2.1.4",
        "config": {
            "layers": layers,
            "input_layers": [["a", 0, 0], ["b", 0, 0], ["c", 0, 0]],
            "output_layers": [["dec", 0, 0]],
        },
    }
    entry = _lint(run_cli, write, model)
    params = {layer["name"]: layer["params"] for layer in entry["layers"]}
    assert params["shared"] == 4 * (5 * (7 + 5) + 5)  # counted once, though called twice
    assert params["enc"] == 4 * (6 * (10 + 6) + 6)  # Concatenate of two 5-wide sequences
    assert params["dec"] == 4 * (6 * (2 + 6) + 6)  # the states are not its input
    assert entry["total_params"] == sum(params.values())


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "data",
    [
        {"model": {"layers": [{"type": "lstm", "hidden_size": 4}]}},
        {"class_name": "Sequential"},
        {"class_name": "Trainer", "config": {"layers": []}},
        [{"class_name": "Foo", "config": {}}],
        [1, 2, 3],
        {"encoder": {"_target_": "torch.nn.LSTM", "input_size": 3, "hidden_size": 4}},
        {"modelTopology": {"nodes": []}},
    ],
)
def test_detection_negatives(data: Any) -> None:
    assert not keras_json.detect(data)


def test_other_dialects_corpus_files_are_not_keras(run_cli) -> None:  # type: ignore[no-untyped-def]
    others = [p for p in sorted(CORPUS.rglob("*.json")) if p.parent.name != "keras-json" and p.name != "EXPECTED.json"]
    for path in others:
        assert not keras_json.detect(json.loads(path.read_text(encoding="utf-8"))), path.name


def test_forced_dialect_on_other_files_and_odd_configs_never_crash(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("other.json", '{"model": {"layers": []}}')
    result = run_cli("--format", "json", "--dialect", "keras-json", path)
    assert result.code == 1 and "Traceback" not in result.err
    assert any(d["code"] == "RNN002" for d in result.json()["files"][0]["diagnostics"])
    odd = _sequential(
        _layer("LSTM", name="l", units="many", batch_input_shape=[None, 3, 2]),
        _layer("Bidirectional", name="b", layer="LSTM"),
        _layer("Dense", name="d", units=[3]),
    )
    entry = _lint(run_cli, write, odd)
    assert [layer["params"] for layer in entry["layers"]] == [None, None, None]
    assert "Traceback" not in json.dumps(entry)
