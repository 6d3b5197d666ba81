"""Generate the keras-json golden fixtures: random models saved with the real ``model.to_json()``.

Each case holds the model's JSON exactly as Keras wrote it, ``model.count_params()`` and
``layer.count_params()`` for every layer in ``model.layers``, so
``tests/unit/dialects/test_keras_json.py`` checks the keras-json dialect against the real Keras
without Keras installed. Two flavours, each from its own throwaway virtualenv:

Keras 3 (``batch_shape``, ``__keras_tensor__`` inbound nodes)::

    python3 -m venv /tmp/kerasenv && /tmp/kerasenv/bin/pip install keras jax jaxlib numpy
    KERAS_BACKEND=jax /tmp/kerasenv/bin/python tools/gen_keras_json_fixtures.py --flavour keras3

Keras 2 (tf_keras: ``batch_input_shape``, ``keras_version``, nested-list inbound nodes)::

    python3 -m venv /tmp/tfkenv && /tmp/tfkenv/bin/pip install tensorflow-cpu tf_keras
    TF_CPP_MIN_LOG_LEVEL=3 /tmp/tfkenv/bin/python tools/gen_keras_json_fixtures.py --flavour tf_keras

Options: ``--count N`` models (default 340 for keras3, 160 for tf_keras), ``--out DIR``
(default ``tests/fixtures/keras_json``). The seed is fixed, so a rerun with the same
versions writes the same models. Output: ``<flavour>_models.json``, compact JSON,
``{"generator", "flavour", "versions", "seed", "cases"}`` with one case per line, each case
``{"id", "kind", "params", "layer_params": {name: n}, "model": <to_json() output>}``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEED = 20251124
GENERATOR = "tools/gen_keras_json_fixtures.py"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "keras_json"

K: Any = None  # the keras module of the chosen flavour
L: Any = None  # its layers


def _units(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.1:
        return 1
    if roll < 0.85:
        return rng.randint(2, 24)
    return rng.randint(25, 96)


def _rnn_kwargs(rng: random.Random, kind: str, steps: int | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"units": _units(rng)}
    if rng.random() < 0.2:
        kwargs["use_bias"] = False
    if rng.random() < 0.15:
        kwargs["activation"] = rng.choice(["relu", "sigmoid"])
    if kind != "SimpleRNN" and rng.random() < 0.15:
        kwargs["recurrent_activation"] = "hard_sigmoid"
    if rng.random() < 0.15:
        kwargs["recurrent_dropout"] = 0.1
    if rng.random() < 0.2:
        kwargs["dropout"] = 0.2
    if steps is not None and rng.random() < 0.1:
        kwargs["unroll"] = True
    if kind == "GRU" and rng.random() < 0.4:
        kwargs["reset_after"] = False
    return kwargs


def _rnn(rng: random.Random, steps: int | None, return_sequences: bool, kind: str | None = None, **extra: Any) -> Any:
    kind = kind or rng.choice(["LSTM", "GRU", "SimpleRNN"])
    kwargs = {**_rnn_kwargs(rng, kind, steps), **extra}
    return getattr(L, kind)(return_sequences=return_sequences, **kwargs)


def _cell_rnn(rng: random.Random, return_sequences: bool) -> Any:
    cells = []
    for _ in range(rng.choice([1, 1, 2])):
        kind = rng.choice(["LSTM", "GRU", "SimpleRNN"])
        kwargs = _rnn_kwargs(rng, kind, None)
        kwargs.pop("unroll", None)
        cells.append(getattr(L, f"{kind}Cell")(**kwargs))
    return L.RNN(cells if len(cells) > 1 else cells[0], return_sequences=return_sequences)


def _bidirectional(rng: random.Random, steps: int | None, return_sequences: bool, merge: str | None) -> Any:
    kind = rng.choice(["LSTM", "GRU", "SimpleRNN"])
    forward = _rnn(rng, steps, return_sequences, kind)
    if rng.random() < 0.2:
        config = forward.get_config()
        config.pop("name", None)
        backward = getattr(L, kind)(**{**config, "go_backwards": True})
        return L.Bidirectional(forward, merge_mode=merge, backward_layer=backward)
    return L.Bidirectional(forward, merge_mode=merge)


def _sequence_start(rng: random.Random) -> tuple[list[Any], int | None]:
    """The first layers of a Sequential model and its number of time steps."""
    steps = rng.choice([None, rng.randint(1, 12)])
    if rng.random() < 0.45:
        length = steps if steps is not None else rng.randint(3, 12)
        layers = [
            K.Input((length,), dtype="int32"),
            L.Embedding(rng.randint(2, 500), _units(rng), mask_zero=rng.random() < 0.3),
        ]
        return layers, length
    layers = [K.Input((steps, _units(rng)))]
    if rng.random() < 0.2:
        layers.append(L.Masking())
    return layers, steps


def sequential(rng: random.Random) -> Any:
    layers, steps = _sequence_start(rng)
    depth = rng.randint(1, 4)
    for i in range(depth):
        last = i == depth - 1
        keep_sequences = not last or rng.random() < 0.3
        roll = rng.random()
        if roll < 0.45:
            layers.append(_rnn(rng, steps, keep_sequences))
        elif roll < 0.75:
            layers.append(_bidirectional(rng, steps, keep_sequences, rng.choice(["concat", "sum", "mul", "ave"])))
        elif roll < 0.85:
            layers.append(_cell_rnn(rng, keep_sequences))
        else:
            layers.append(L.TimeDistributed(L.Dense(_units(rng))))
            if last:
                keep_sequences = True
        if not last and rng.random() < 0.3:
            layers.append(rng.choice([L.Dropout(0.1), L.LayerNormalization(), L.BatchNormalization()]))
        if keep_sequences and last and steps is not None and rng.random() < 0.5:
            layers.append(L.Flatten())
    layers.append(L.Dense(_units(rng), use_bias=rng.random() < 0.8))
    return K.Sequential(layers)


def functional(rng: random.Random) -> Any:
    steps = rng.choice([None, rng.randint(2, 10)])
    inputs = []
    branches = []
    width = _units(rng)
    for _ in range(rng.choice([1, 2, 2, 3])):
        if rng.random() < 0.5:
            length = steps if steps is not None else rng.randint(3, 10)
            tokens = K.Input((length,), dtype="int32")
            x = L.Embedding(rng.randint(2, 300), _units(rng), mask_zero=rng.random() < 0.4)(tokens)
            inputs.append(tokens)
            if length != steps:
                x = L.GlobalAveragePooling1D()(x)
                x = L.RepeatVector(steps or 4)(x)
        else:
            feats = K.Input((steps, _units(rng)))
            inputs.append(feats)
            x = feats
        branches.append(x)
    # every branch ends with `width` features per step so that any merge fits
    outs = []
    shared = _rnn(rng, steps, True, units=width) if rng.random() < 0.3 else None
    for x in branches:
        if shared is not None and rng.random() < 0.7:
            try:
                outs.append(shared(x))
                continue
            except Exception:  # a shared layer needs equal input widths
                pass
        roll = rng.random()
        if roll < 0.5:
            outs.append(_rnn(rng, steps, True, units=width)(x))
        elif roll < 0.8:
            merge = rng.choice(["concat", "sum", "mul", "ave", None])
            kind = rng.choice(["LSTM", "GRU", "SimpleRNN"])
            units = width // 2 if merge == "concat" and width % 2 == 0 else width
            layer = L.Bidirectional(_rnn(rng, steps, True, kind, units=units), merge_mode=merge)
            y = layer(x)
            if merge is None:
                y = L.Concatenate()(list(y))
                y = L.Dense(width)(y)
            elif merge == "concat" and 2 * units != width:
                y = L.Dense(width)(y)
            outs.append(y)
        else:
            outs.append(L.TimeDistributed(L.Dense(width))(x))
    if len(outs) > 1:
        merger = rng.choice(["Concatenate", "Add", "Average", "Maximum", "Multiply", "Minimum", "Subtract"])
        if merger == "Subtract":
            outs = outs[:2]
        x = getattr(L, merger)()(outs)
    else:
        x = outs[0]
    if rng.random() < 0.4:
        # encoder-decoder: the decoder starts from the encoder's states
        kind = rng.choice(["LSTM", "GRU"])
        units = _units(rng)
        result = _rnn(rng, steps, False, kind, units=units, return_state=True)(x)
        dec_in = K.Input((steps, _units(rng)))
        inputs.append(dec_in)
        x = _rnn(rng, steps, rng.random() < 0.5, kind, units=units)(dec_in, initial_state=list(result[1:]))
    else:
        x = _rnn(rng, steps, False)(x)
    if rng.random() < 0.25:
        inner = K.Sequential([L.Dense(_units(rng)), L.Dropout(0.1), L.Dense(_units(rng))])
        x = inner(x)
    outputs = L.Dense(_units(rng))(x)
    return K.Model(inputs, outputs)


def conv_lstm(rng: random.Random) -> Any:
    rank = rng.choice([1, 2, 2, 3])
    steps = rng.choice([None, rng.randint(1, 5)])
    spatial = [rng.randint(3, 7) for _ in range(rank)]
    channels = rng.randint(1, 5)
    channels_first = rng.random() < 0.25
    shape = (steps, channels, *spatial) if channels_first else (steps, *spatial, channels)
    kwargs: dict[str, Any] = {
        "filters": rng.randint(1, 6),
        "kernel_size": rng.choice([1, 2, 3]),
        "padding": rng.choice(["valid", "same"]),
        "use_bias": rng.random() < 0.8,
        "data_format": "channels_first" if channels_first else "channels_last",
    }
    if rng.random() < 0.3 and kwargs["padding"] == "valid":
        kwargs["strides"] = 2
    layer_cls = getattr(L, f"ConvLSTM{rank}D")
    layers = [K.Input(shape)]
    return_sequences = rng.random() < 0.4
    if rng.random() < 0.2:
        layers.append(L.Bidirectional(layer_cls(return_sequences=return_sequences, **kwargs)))
    else:
        layers.append(layer_cls(return_sequences=return_sequences, **kwargs))
    if not (return_sequences and steps is None):
        layers.append(L.Flatten())
    layers.append(L.Dense(_units(rng)))
    return K.Sequential(layers)


BUILDERS: dict[str, Callable[[random.Random], Any]] = {
    "sequential": sequential,
    "functional": functional,
    "conv_lstm": conv_lstm,
}
WEIGHTS = {"sequential": 0.5, "functional": 0.38, "conv_lstm": 0.12}


def case(model: Any, kind: str, index: int) -> dict[str, Any]:
    return {
        "id": f"{kind}-{index:03d}",
        "kind": kind,
        "params": int(model.count_params()),
        "layer_params": {layer.name: int(layer.count_params()) for layer in model.layers},
        "model": json.loads(model.to_json()),
    }


def generate(flavour: str, count: int) -> tuple[dict[str, str], list[dict[str, Any]]]:
    global K, L
    if flavour == "keras3":
        import keras

        K = keras
        versions = {"keras": keras.__version__, "backend": keras.backend.backend()}
    else:
        import tensorflow as tf
        import tf_keras

        K = tf_keras
        versions = {"tf_keras": tf_keras.__version__, "tensorflow": tf.__version__}
    L = K.layers
    rng = random.Random(f"{SEED}-{flavour}")
    cases: list[dict[str, Any]] = []
    failures = 0
    while len(cases) < count:
        kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        K.backend.clear_session()
        try:
            model = BUILDERS[kind](rng)
        except Exception as exc:  # an invalid random combination: draw another
            failures += 1
            if failures > count:
                raise RuntimeError(f"too many invalid models, last: {exc}") from exc
            continue
        cases.append(case(model, kind, len(cases)))
    print(f"{flavour}: {len(cases)} models ({failures} invalid draws skipped)", file=sys.stderr)
    return versions, cases


def write(path: Path, flavour: str, versions: dict[str, str], cases: list[dict[str, Any]]) -> None:
    """Compact JSON, one case per line, so reruns diff cleanly."""
    header = {"generator": GENERATOR, "flavour": flavour, "versions": versions, "seed": SEED}
    lines = [json.dumps(header, sort_keys=True, separators=(",", ":"))[:-1] + ',"cases":[']
    lines.append(",\n".join(json.dumps(c, sort_keys=True, separators=(",", ":")) for c in cases))
    lines.append("]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flavour", choices=["keras3", "tf_keras"], required=True)
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    count = args.count or (340 if args.flavour == "keras3" else 160)
    versions, cases = generate(args.flavour, count)
    path = args.out / f"{args.flavour}_models.json"
    write(path, args.flavour, versions, cases)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
