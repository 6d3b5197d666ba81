"""Build Keras models whose weights are partly non-trainable and record what Keras says about them.

Each case is a small model: BatchNormalization (its moving mean and variance are non-trainable
weights) and layers frozen with ``trainable=False``, around LSTM/GRU layers. For each it writes the
model JSON (``model.to_json()``) to ``tests/fixtures/keras_trainable/<name>.json`` and, in
``expected.json``, ``count_params()`` and the trainable / non-trainable sums, as ``summary()`` shows
them. The tests read these with rnnlint's keras-json dialect, without Keras.

    pip install keras jax jaxlib   # Keras 3, JAX backend, CPU
    KERAS_BACKEND=jax python tools/gen_keras_trainable_fixtures.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
from keras import layers

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "keras_trainable"


def _weights(model: keras.Model, trainable: bool) -> int:
    chosen = model.trainable_weights if trainable else model.non_trainable_weights
    return int(sum(int(w.numpy().size) for w in chosen))


def cases() -> dict[str, keras.Model]:
    bn_lstm = keras.Sequential(
        [keras.Input((20, 16)), layers.BatchNormalization(), layers.LSTM(32), layers.Dense(4)], name="bn_lstm"
    )
    frozen_gru = keras.Sequential(
        [keras.Input((10, 8)), layers.GRU(12, return_sequences=True, trainable=False), layers.GRU(6), layers.Dense(2)],
        name="frozen_gru",
    )
    inputs = keras.Input((30, 5))
    x = layers.Bidirectional(layers.LSTM(7, return_sequences=True))(inputs)
    x = layers.BatchNormalization(center=False)(x)
    x = layers.LSTM(9, trainable=False)(x)
    outputs = layers.Dense(3)(x)
    functional = keras.Model(inputs, outputs, name="functional_bn_frozen")
    return {m.name: m for m in (bn_lstm, frozen_gru, functional)}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {"keras": keras.__version__, "backend": keras.backend.backend(), "cases": {}}
    for name, model in cases().items():
        (OUT / f"{name}.json").write_text(model.to_json() + "\n", encoding="utf-8")
        expected["cases"][name] = {
            "count_params": int(model.count_params()),
            "trainable": _weights(model, True),
            "non_trainable": _weights(model, False),
        }
    (OUT / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(expected, indent=2))


if __name__ == "__main__":
    main()
