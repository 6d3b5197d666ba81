"""rnnlint.counting against golden fixtures recorded from the real frameworks.

The fixtures under ``tests/fixtures`` are written by ``tools/gen_fixtures.py``, which builds
every case in PyTorch, Keras 3 and ONNX and records what the framework itself reports.
This test needs none of those frameworks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from rnnlint import counting
from rnnlint.model import Embedding, Linear, Module, Recurrent, RecurrentKind

FIXTURES = Path(__file__).parents[1] / "fixtures"

MIN_CASES = {"torch": 600, "keras": 600, "onnx": 500}

TORCH_KINDS: dict[str, RecurrentKind] = {
    "LSTM": "lstm",
    "GRU": "gru",
    "RNN": "rnn",
    "LSTMCell": "lstm",
    "GRUCell": "gru",
    "RNNCell": "rnn",
}
KERAS_KINDS: dict[str, RecurrentKind] = {
    "LSTM": "lstm",
    "GRU": "gru",
    "SimpleRNN": "rnn",
    "LSTMCell": "lstm",
    "GRUCell": "gru",
    "SimpleRNNCell": "rnn",
}
ONNX_KINDS: dict[str, RecurrentKind] = {"LSTM": "lstm", "GRU": "gru", "RNN": "rnn"}


@cache
def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}_recurrent.json").read_text(encoding="utf-8"))
    return data


def cases(name: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = load(name)["cases"]
    return result


# ----------------------------------------------------------------------------- ids


def torch_id(index: int, case: dict[str, Any]) -> str:
    kw = case["kwargs"]
    if case["module"] == "Embedding":
        return f"{index:04d}-Embedding-{kw['num_embeddings']}x{kw['embedding_dim']}"
    if case["module"] == "Linear":
        bias = "" if kw.get("bias", True) else "-nobias"
        return f"{index:04d}-Linear-{kw['in_features']}to{kw['out_features']}{bias}"
    parts = [f"{index:04d}", case["module"], f"i{kw['input_size']}", f"h{kw['hidden_size']}"]
    if "num_layers" in kw:
        parts.append(f"L{kw['num_layers']}")
    if kw.get("bidirectional"):
        parts.append("bi")
    if kw.get("proj_size"):
        parts.append(f"p{kw['proj_size']}")
    if not kw.get("bias", True):
        parts.append("nobias")
    if "nonlinearity" in kw:
        parts.append(kw["nonlinearity"])
    return "-".join(parts)


def keras_id(index: int, case: dict[str, Any]) -> str:
    layers = []
    for layer in case["layers"]:
        text = f"{layer['class']}{layer['units']}"
        if layer["bidirectional"]:
            text = f"Bi{layer['merge_mode']}({text})"
        if not layer["use_bias"]:
            text += "nb"
        if layer.get("reset_after") is False:
            text += "ra0"
        layers.append(text)
    return f"{index:04d}-i{case['input_dim']}-" + "+".join(layers)


def onnx_id(index: int, case: dict[str, Any]) -> str:
    parts = [f"{index:04d}", case["op"], f"i{case['input_size']}", f"h{case['hidden_size']}", case["direction"]]
    if not case["bias"]:
        parts.append("nobias")
    if case["peepholes"]:
        parts.append("P")
    return "-".join(parts)


def params(name: str, make_id: Callable[[int, dict[str, Any]], str]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", cases(name), ids=[make_id(i, c) for i, c in enumerate(cases(name))])


# ----------------------------------------------------------------------------- specs


def torch_spec(case: dict[str, Any]) -> Module:
    kw = case["kwargs"]
    module = case["module"]
    if module == "Embedding":
        return Embedding(kw["num_embeddings"], kw["embedding_dim"])
    if module == "Linear":
        return Linear(kw["in_features"], kw["out_features"], bias=kw.get("bias", True))
    return Recurrent(
        kind=TORCH_KINDS[module],
        hidden_size=kw["hidden_size"],
        input_size=kw["input_size"],
        framework="pytorch",
        num_layers=kw.get("num_layers", 1),
        bidirectional=kw.get("bidirectional", False),
        bias=kw.get("bias", True),
        proj_size=kw.get("proj_size", 0),
        cell=module.endswith("Cell"),
    )


def keras_spec(layer: dict[str, Any], input_size: int | None) -> Recurrent:
    return Recurrent(
        kind=KERAS_KINDS[layer["class"]],
        hidden_size=layer["units"],
        input_size=input_size,
        framework="keras",
        bidirectional=layer["bidirectional"],
        bias=layer["use_bias"],
        reset_after=layer.get("reset_after", True),
        merge_mode=layer["merge_mode"],
        cell=layer["class"].endswith("Cell"),
    )


def onnx_spec(case: dict[str, Any]) -> Recurrent:
    return Recurrent(
        kind=ONNX_KINDS[case["op"]],
        hidden_size=case["hidden_size"],
        input_size=case["input_size"],
        framework="onnx",
        bidirectional=case["direction"] == "bidirectional",
        bias=case["bias"],
        peepholes=case["peepholes"],
    )


def assert_formula(count: counting.Count, single_layer: bool) -> None:
    """The formula's stated total is the count."""
    assert count.params is not None
    if single_layer:
        assert "=" in count.formula, count.formula
        stated = count.formula.rsplit("=", 1)[1].strip()
    else:
        stated = count.formula.split()[-1]
    assert int(stated.replace(",", "")) == count.params, count.formula


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("name", sorted(MIN_CASES))
def test_fixture_is_populated(name: str) -> None:
    data = load(name)
    assert data["generator"] == "tools/gen_fixtures.py"
    assert data["versions"], "framework versions must be recorded"
    assert len(data["cases"]) >= MIN_CASES[name]


@params("torch", torch_id)
def test_torch(case: dict[str, Any]) -> None:
    spec = torch_spec(case)
    result = counting.count(spec)
    assert result.params == case["params"], (result.formula, case["shapes"])
    assert sum(_numel(shape) for shape in case["shapes"].values()) == case["params"]
    assert result.output_size == case["output_size"]
    single = not isinstance(spec, Recurrent) or spec.cell or spec.num_layers == 1
    assert_formula(result, single)


@params("keras", keras_id)
def test_keras(case: dict[str, Any]) -> None:
    assert case["keras_version"].startswith("3.")
    input_size: int | None = case["input_dim"]
    total = 0
    for layer, expected, expected_out in zip(case["layers"], case["layer_params"], case["layer_output"], strict=True):
        result = counting.count(keras_spec(layer, input_size))
        assert result.params == expected, (layer, input_size, result.formula)
        assert result.output_size == expected_out, (layer, input_size)
        assert_formula(result, single_layer=True)
        total += expected
        input_size = result.output_size
    assert total == case["params"]


@params("onnx", onnx_id)
def test_onnx(case: dict[str, Any]) -> None:
    result = counting.count(onnx_spec(case))
    assert result.params == case["params"], (result.formula, case["shapes"])
    assert sum(_numel(shape) for shape in case["shapes"].values()) == case["params"]
    assert_formula(result, single_layer=True)


def _numel(shape: list[int]) -> int:
    n = 1
    for dim in shape:
        n *= dim
    return n
