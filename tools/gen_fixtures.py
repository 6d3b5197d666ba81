"""Generate the golden parameter-count fixtures from the real frameworks.

Every case is built in the framework itself (PyTorch, Keras 3, ONNX) and the framework's
own parameter count is recorded, so ``tests/equivalence/test_counting_fixtures.py`` can check
``rnnlint.counting`` against it without any of those frameworks installed.

Run it from the repository root in a throwaway virtualenv (see ``tools/README.md``)::

    python3 -m venv /tmp/fixenv
    /tmp/fixenv/bin/pip install torch==2.13.0 keras jax jaxlib onnx numpy
    KERAS_BACKEND=jax /tmp/fixenv/bin/python tools/gen_fixtures.py

Options: ``--only torch|keras|onnx`` (repeatable) regenerates some files only;
``--out DIR`` writes somewhere other than ``tests/fixtures``. The random seed is fixed,
so a rerun with the same framework versions writes byte-identical files.

Fixture files are compact JSON, ``{"generator", "versions", "seed", "cases"}`` with one
case per line. Case forms:

- torch: ``{"module": "LSTM", "kwargs": {...}, "params": N, "shapes": {name: shape},
  "output_size": F}`` where ``kwargs`` are the exact constructor keyword arguments and
  ``output_size`` is the last dimension of the module's output on a real forward pass
  (for cells, of the hidden state).
- keras: ``{"input_dim": I, "layers": [...], "params": N, "layer_params": [...],
  "layer_output": [...], "keras_version": V}``; each layer is
  ``{"class": "LSTM"|"GRU"|"SimpleRNN", "units", "use_bias", "return_sequences",
  "bidirectional", "merge_mode"}`` (+ ``"reset_after"`` for GRU), or a cell
  ``{"class": "LSTMCell"|"GRUCell"|"SimpleRNNCell", ...}`` meaning
  ``keras.layers.RNN(cell)``; ``layer_output`` is each layer's output feature size. The
  layers get zero initializers (values change no count; it avoids JAX compiling per shape).
- onnx: ``{"op": "LSTM"|"GRU"|"RNN", "input_size", "hidden_size", "direction", "bias",
  "peepholes", "params": N, "shapes": {...}, "y_shape": [...]}`` where ``params`` is the
  element count of all initializers of a model that passed
  ``onnx.checker.check_model(full_check=True)`` and ran through
  ``onnx.reference.ReferenceEvaluator``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SEED = 20240611
GENERATOR = "tools/gen_fixtures.py"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "fixtures"

Case = dict[str, Any]

TORCH_RANDOM = 640
KERAS_RANDOM = 640
ONNX_RANDOM = 540


def _size(rng: random.Random, small: bool = False) -> int:
    """A layer width: mostly small, sometimes 1, occasionally large."""
    roll = rng.random()
    if roll < 0.12:
        return 1
    if small or roll < 0.75:
        return rng.randint(1, 24)
    if roll < 0.95:
        return rng.randint(25, 160)
    return rng.choice([256, 300, 512])


def write_fixture(path: Path, versions: dict[str, str], cases: list[Case]) -> None:
    """Compact JSON, one case per line, keys sorted, so reruns diff cleanly."""
    header = {"generator": GENERATOR, "versions": versions, "seed": SEED}
    lines = [json.dumps(header, sort_keys=True, separators=(",", ":"))[:-1] + ',"cases":[']
    body = [json.dumps(case, sort_keys=True, separators=(",", ":")) for case in cases]
    lines.append(",\n".join(body))
    lines.append("]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Round-trip so a broken file can never be written silently.
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert loaded["cases"] == cases
    print(f"wrote {path} ({len(cases)} cases, {path.stat().st_size:,} bytes)")


# --------------------------------------------------------------------------- torch


def _torch_random_kwargs(rng: random.Random) -> tuple[str, dict[str, Any]]:
    module = rng.choice(["LSTM", "LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell", "Embedding", "Linear"])
    if module == "Embedding":
        return module, {"num_embeddings": _size(rng), "embedding_dim": _size(rng)}
    if module == "Linear":
        return module, {
            "in_features": _size(rng),
            "out_features": _size(rng),
            "bias": rng.random() < 0.7,
        }
    kwargs: dict[str, Any] = {
        "input_size": _size(rng),
        "hidden_size": _size(rng),
        "bias": rng.random() < 0.7,
    }
    if module in ("LSTM", "GRU", "RNN"):
        kwargs["num_layers"] = rng.randint(1, 4)
        kwargs["bidirectional"] = rng.random() < 0.5
    if module == "LSTM" and kwargs["hidden_size"] > 1 and rng.random() < 0.4:
        kwargs["proj_size"] = rng.randint(1, kwargs["hidden_size"] - 1)
    if module in ("RNN", "RNNCell"):
        kwargs["nonlinearity"] = rng.choice(["tanh", "relu"])
    return module, kwargs


def _torch_edge_cases() -> list[tuple[str, dict[str, Any]]]:
    edges: list[tuple[str, dict[str, Any]]] = []
    for module in ("LSTM", "GRU", "RNN"):
        for bias in (True, False):
            for bidirectional in (False, True):
                for layers in (1, 2, 3, 4):
                    edges.append(
                        (
                            module,
                            {
                                "input_size": 1,
                                "hidden_size": 1,
                                "num_layers": layers,
                                "bias": bias,
                                "bidirectional": bidirectional,
                            },
                        )
                    )
    for bias in (True, False):
        for bidirectional in (False, True):
            for layers in (1, 2, 4):
                edges.append(
                    (
                        "LSTM",
                        {
                            "input_size": 10,
                            "hidden_size": 20,
                            "num_layers": layers,
                            "bias": bias,
                            "bidirectional": bidirectional,
                            "proj_size": 1,
                        },
                    )
                )
                edges.append(
                    (
                        "LSTM",
                        {
                            "input_size": 1,
                            "hidden_size": 2,
                            "num_layers": layers,
                            "bias": bias,
                            "bidirectional": bidirectional,
                            "proj_size": 1,
                        },
                    )
                )
                edges.append(
                    (
                        "LSTM",
                        {
                            "input_size": 7,
                            "hidden_size": 8,
                            "num_layers": layers,
                            "bias": bias,
                            "bidirectional": bidirectional,
                            "proj_size": 7,
                        },
                    )
                )
    for nonlinearity in ("tanh", "relu"):
        edges.append(("RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 4, "nonlinearity": nonlinearity}))
        edges.append(("RNNCell", {"input_size": 1, "hidden_size": 1, "nonlinearity": nonlinearity}))
    # Documentation-style sizes and defaults (no optional kwargs at all).
    edges.append(("LSTM", {"input_size": 10, "hidden_size": 20, "num_layers": 2}))
    edges.append(("GRU", {"input_size": 10, "hidden_size": 20, "num_layers": 2}))
    edges.append(("RNN", {"input_size": 10, "hidden_size": 20, "num_layers": 2}))
    edges.append(("LSTM", {"input_size": 512, "hidden_size": 512, "num_layers": 4, "bidirectional": True}))
    for cell in ("LSTMCell", "GRUCell", "RNNCell"):
        for bias in (True, False):
            edges.append((cell, {"input_size": 1, "hidden_size": 1, "bias": bias}))
            edges.append((cell, {"input_size": 10, "hidden_size": 20, "bias": bias}))
    edges.append(("Embedding", {"num_embeddings": 1, "embedding_dim": 1}))
    edges.append(("Embedding", {"num_embeddings": 10000, "embedding_dim": 300}))
    for bias in (True, False):
        edges.append(("Linear", {"in_features": 1, "out_features": 1, "bias": bias}))
        edges.append(("Linear", {"in_features": 512, "out_features": 10, "bias": bias}))
    return edges


def _torch_case(module: str, kwargs: dict[str, Any]) -> Case:
    import torch

    cls: Callable[..., torch.nn.Module] = getattr(torch.nn, module)
    m = cls(**kwargs)
    params = sum(p.numel() for p in m.parameters())
    shapes = {name: list(p.shape) for name, p in m.named_parameters()}
    with torch.no_grad():
        if module == "Embedding":
            out = m(torch.zeros(2, dtype=torch.long))
        elif module == "Linear":
            out = m(torch.randn(2, kwargs["in_features"]))
        elif module.endswith("Cell"):
            result = m(torch.randn(2, kwargs["input_size"]))
            out = result[0] if isinstance(result, tuple) else result
        else:
            out, _ = m(torch.randn(3, 2, kwargs["input_size"]))
    return {
        "module": module,
        "kwargs": kwargs,
        "params": int(params),
        "shapes": shapes,
        "output_size": int(out.shape[-1]),
    }


def generate_torch(out: Path) -> None:
    import torch

    torch.manual_seed(SEED)
    warnings.filterwarnings("ignore", message="LSTM with projections is not supported with oneDNN")
    rng = random.Random(SEED)
    specs = _torch_edge_cases() + [_torch_random_kwargs(rng) for _ in range(TORCH_RANDOM)]
    cases = [_torch_case(module, kwargs) for module, kwargs in specs]
    write_fixture(out / "torch_recurrent.json", {"torch": torch.__version__}, cases)


# --------------------------------------------------------------------------- keras

KERAS_LAYERS = ("LSTM", "GRU", "SimpleRNN")
KERAS_CELLS = ("LSTMCell", "GRUCell", "SimpleRNNCell")
MERGE_MODES = ("concat", "sum", "mul", "ave")
_FAST_INIT: dict[str, Any] = {}


def _fast_init() -> dict[str, Any]:
    """Initializer options that skip JAX compilation.

    Weight values change no shape and no count, but the default random/orthogonal
    initializers make JAX compile kernels for every new weight shape (seconds per case).
    A serializable initializer that returns NumPy zeros keeps a case well under a second.
    """
    if not _FAST_INIT:
        import keras
        import numpy as np

        @keras.saving.register_keras_serializable(package="gen_fixtures")
        class NumpyZeros(keras.initializers.Initializer):  # type: ignore[misc]
            def __call__(self, shape: Any, dtype: Any = None) -> Any:
                return np.zeros(shape, dtype="float32")

        for key in ("kernel_initializer", "recurrent_initializer", "bias_initializer"):
            _FAST_INIT[key] = NumpyZeros()
    return _FAST_INIT


def _keras_random_layer(rng: random.Random, last: bool) -> dict[str, Any]:
    cls = rng.choice(KERAS_LAYERS + KERAS_LAYERS + KERAS_CELLS)
    layer: dict[str, Any] = {
        "class": cls,
        "units": _size(rng, small=True) if rng.random() < 0.8 else _size(rng),
        "use_bias": rng.random() < 0.75,
        "return_sequences": True if not last else rng.random() < 0.5,
        "bidirectional": False,
        "merge_mode": "concat",
    }
    if cls in ("GRU", "GRUCell"):
        layer["reset_after"] = rng.random() < 0.5
    if cls in KERAS_LAYERS and rng.random() < 0.5:
        layer["bidirectional"] = True
        layer["merge_mode"] = rng.choice(MERGE_MODES)
    return layer


def _keras_random_stack(rng: random.Random) -> tuple[int, list[dict[str, Any]]]:
    depth = rng.randint(1, 4)
    return _size(rng, small=True), [_keras_random_layer(rng, i == depth - 1) for i in range(depth)]


def _keras_layer(desc: dict[str, Any]) -> Any:
    import keras

    cls = desc["class"]
    options: dict[str, Any] = {"units": desc["units"], "use_bias": desc["use_bias"], **_fast_init()}
    if "reset_after" in desc:
        options["reset_after"] = desc["reset_after"]
    if cls in KERAS_CELLS:
        cell = getattr(keras.layers, cls)(**options)
        return keras.layers.RNN(cell, return_sequences=desc["return_sequences"])
    layer = getattr(keras.layers, cls)(return_sequences=desc["return_sequences"], **options)
    if desc["bidirectional"]:
        return keras.layers.Bidirectional(layer, merge_mode=desc["merge_mode"])
    return layer


def _keras_edge_cases() -> list[tuple[int, list[dict[str, Any]]]]:
    def layer(cls: str, units: int, **extra: Any) -> dict[str, Any]:
        desc: dict[str, Any] = {
            "class": cls,
            "units": units,
            "use_bias": extra.pop("use_bias", True),
            "return_sequences": extra.pop("return_sequences", True),
            "bidirectional": extra.pop("bidirectional", False),
            "merge_mode": extra.pop("merge_mode", "concat"),
        }
        if cls in ("GRU", "GRUCell"):
            desc["reset_after"] = extra.pop("reset_after", True)
        assert not extra, extra
        return desc

    edges: list[tuple[int, list[dict[str, Any]]]] = []
    for cls in KERAS_LAYERS + KERAS_CELLS:
        for use_bias in (True, False):
            resets = (True, False) if cls.startswith("GRU") else (True,)
            for reset_after in resets:
                extra: dict[str, Any] = {"use_bias": use_bias}
                if cls.startswith("GRU"):
                    extra["reset_after"] = reset_after
                edges.append((1, [layer(cls, 1, return_sequences=False, **extra)]))
                edges.append((7, [layer(cls, 5, return_sequences=False, **extra)]))
                if cls in KERAS_LAYERS:
                    for merge_mode in MERGE_MODES:
                        edges.append((1, [layer(cls, 1, bidirectional=True, merge_mode=merge_mode, **extra)]))
                        # Four stacked bidirectional layers: the merge mode sets the next input.
                        stack = [layer(cls, 3, bidirectional=True, merge_mode=merge_mode, **extra) for _ in range(4)]
                        edges.append((2, stack))
    # Mixed stacks, as configs write them.
    edges.append(
        (
            40,
            [
                layer("LSTM", 128, bidirectional=True),
                layer("GRU", 64, reset_after=False),
                layer("SimpleRNN", 32, return_sequences=False),
            ],
        )
    )
    edges.append(
        (
            13,
            [
                layer("GRUCell", 16, reset_after=True),
                layer("LSTM", 8, bidirectional=True, merge_mode="sum"),
                layer("LSTMCell", 4, use_bias=False),
                layer("SimpleRNNCell", 1, return_sequences=False),
            ],
        )
    )
    return edges


def _keras_case(input_dim: int, layers: list[dict[str, Any]], version: str) -> Case:
    import keras

    inputs = keras.Input(shape=(None, input_dim))
    x = inputs
    built = []
    for desc in layers:
        layer = _keras_layer(desc)
        x = layer(x)
        built.append(layer)
    model = keras.Model(inputs, x)
    layer_params = [int(layer.count_params()) for layer in built]
    layer_output = [int(layer.output.shape[-1]) for layer in built]
    params = int(model.count_params())
    assert params == sum(layer_params), (params, layer_params)
    case: Case = {
        "input_dim": input_dim,
        "layers": layers,
        "params": params,
        "layer_params": layer_params,
        "layer_output": layer_output,
        "keras_version": version,
    }
    keras.backend.clear_session()
    return case


def generate_keras(out: Path) -> None:
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import keras

    keras.utils.set_random_seed(SEED)
    rng = random.Random(SEED)
    stacks = _keras_edge_cases() + [_keras_random_stack(rng) for _ in range(KERAS_RANDOM)]
    cases: list[Case] = []
    for index, (dim, layers) in enumerate(stacks):
        cases.append(_keras_case(dim, layers, keras.__version__))
        if index % 100 == 99:
            print(f"keras: {index + 1}/{len(stacks)}", file=sys.stderr, flush=True)
    versions = {"keras": keras.__version__, "backend": keras.backend.backend()}
    if keras.backend.backend() == "jax":
        import jax

        versions["jax"] = jax.__version__
    write_fixture(out / "keras_recurrent.json", versions, cases)


# --------------------------------------------------------------------------- onnx

ONNX_GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}
ONNX_DIRECTIONS = ("forward", "reverse", "bidirectional")
ONNX_OPSET = 21


def _onnx_case(op: str, input_size: int, hidden: int, direction: str, bias: bool, peepholes: bool, np_rng: Any) -> Case:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from onnx.reference import ReferenceEvaluator

    g = ONNX_GATES[op]
    dirs = 2 if direction == "bidirectional" else 1
    initializers = {
        "W": np_rng.standard_normal((dirs, g * hidden, input_size)),
        "R": np_rng.standard_normal((dirs, g * hidden, hidden)),
    }
    if bias:
        initializers["B"] = np_rng.standard_normal((dirs, 2 * g * hidden))
    if peepholes:
        initializers["P"] = np_rng.standard_normal((dirs, 3 * hidden))
    # Inputs by position: X, W, R, B, sequence_lens, initial_h, initial_c, P ("" = absent).
    inputs = ["X", "W", "R", "B" if bias else ""]
    if peepholes:
        inputs += ["", "", "", "P"]
    while inputs and inputs[-1] == "":
        inputs.pop()
    node = helper.make_node(op, inputs, ["Y", "Y_h"], hidden_size=hidden, direction=direction)
    seq, batch = 3, 2
    graph = helper.make_graph(
        [node],
        f"{op.lower()}_case",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [seq, batch, input_size])],
        [
            helper.make_tensor_value_info("Y", TensorProto.FLOAT, [seq, dirs, batch, hidden]),
            helper.make_tensor_value_info("Y_h", TensorProto.FLOAT, [dirs, batch, hidden]),
        ],
        [numpy_helper.from_array(value.astype(np.float32) * 0.1, name) for name, value in initializers.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", ONNX_OPSET)])
    model.ir_version = 10
    onnx.checker.check_model(model, full_check=True)
    x = np_rng.standard_normal((seq, batch, input_size)).astype(np.float32)
    outputs: list[Any] = list(ReferenceEvaluator(model).run(None, {"X": x}))
    y, y_h = outputs
    assert list(y.shape) == [seq, dirs, batch, hidden], y.shape
    assert list(y_h.shape) == [dirs, batch, hidden], y_h.shape
    assert np.isfinite(y).all()
    params = sum(int(init.size) for init in initializers.values())
    assert params == sum(int(np.prod(list(t.dims))) for t in model.graph.initializer)
    return {
        "op": op,
        "input_size": input_size,
        "hidden_size": hidden,
        "direction": direction,
        "bias": bias,
        "peepholes": peepholes,
        "params": params,
        "shapes": {name: list(value.shape) for name, value in initializers.items()},
        "y_shape": [int(d) for d in y.shape],
    }


def generate_onnx(out: Path) -> None:
    import numpy as np
    import onnx

    rng = random.Random(SEED)
    np_rng = np.random.default_rng(SEED)
    specs: list[tuple[str, int, int, str, bool, bool]] = []
    for op in ONNX_GATES:
        for direction in ONNX_DIRECTIONS:
            for bias in (True, False):
                for peepholes in (False, True) if op == "LSTM" else (False,):
                    specs.append((op, 1, 1, direction, bias, peepholes))
                    specs.append((op, 10, 20, direction, bias, peepholes))
    for _ in range(ONNX_RANDOM):
        op = rng.choice(list(ONNX_GATES))
        peepholes = op == "LSTM" and rng.random() < 0.4
        specs.append(
            (
                op,
                _size(rng, small=True),
                _size(rng, small=True),
                rng.choice(ONNX_DIRECTIONS),
                rng.random() < 0.7,
                peepholes,
            )
        )
    cases = [_onnx_case(*spec, np_rng=np_rng) for spec in specs]
    versions = {"onnx": onnx.__version__, "numpy": np.__version__, "opset": str(ONNX_OPSET)}
    write_fixture(out / "onnx_recurrent.json", versions, cases)


# --------------------------------------------------------------------------- main

GENERATORS: dict[str, Callable[[Path], None]] = {
    "torch": generate_torch,
    "keras": generate_keras,
    "onnx": generate_onnx,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", action="append", choices=sorted(GENERATORS), help="generate only these")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    for name in args.only or list(GENERATORS):
        GENERATORS[name](args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
