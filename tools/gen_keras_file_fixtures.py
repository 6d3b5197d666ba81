"""Generate Keras model files (``.keras``, legacy ``.h5``) and their real parameter counts.

Builds a few small models with LSTM / GRU / SimpleRNN / Bidirectional layers, saves each as a
Keras 3 ``.keras`` archive (``model.save("m.keras")``: a zip whose ``config.json`` is the model
JSON) and as a legacy HDF5 file (``model.save("m.h5")``: the JSON in the ``model_config``
attribute), and writes ``expected.json`` with ``model.count_params()`` per model.
``tests/unit/test_keras_files.py`` lints the files with rnnlint (no Keras needed) and compares. The
weights are kept small (a few KB per file), so the files are committed.

Run (a throwaway virtualenv; never the dev one)::

    python3 -m venv /tmp/tk-keras && /tmp/tk-keras/bin/pip install keras jax jaxlib h5py
    KERAS_BACKEND=jax /tmp/tk-keras/bin/python tools/gen_keras_file_fixtures.py
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
from keras import layers as L

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "keras_files"


def lstm_stack() -> Any:
    return keras.Sequential(
        [keras.Input((None, 8)), L.LSTM(12, return_sequences=True), L.LSTM(6), L.Dense(3)], name="lstm_stack"
    )


def bidirectional_gru() -> Any:
    return keras.Sequential(
        [keras.Input((20, 5)), L.Bidirectional(L.GRU(7, return_sequences=True)), L.GRU(4), L.Dense(2)],
        name="bidirectional_gru",
    )


def functional_mixed() -> Any:
    tokens = keras.Input((None,), dtype="int32")
    x = L.Embedding(50, 6)(tokens)
    x = L.Bidirectional(L.LSTM(5), merge_mode="sum")(x)
    x = L.Dense(4, activation="relu")(x)
    return keras.Model(tokens, L.Dense(1)(x), name="functional_mixed")


def simple_rnn() -> Any:
    return keras.Sequential([keras.Input((10, 3)), L.SimpleRNN(9), L.Dense(1)], name="simple_rnn")


MODELS: dict[str, Callable[[], Any]] = {
    "lstm_stack": lstm_stack,
    "bidirectional_gru": bidirectional_gru,
    "functional_mixed": functional_mixed,
    "simple_rnn": simple_rnn,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(0)
    expected: dict[str, Any] = {}
    for name, build in MODELS.items():
        model = build()
        params = int(model.count_params())
        model.save(OUT / f"{name}.keras")
        expected[f"{name}.keras"] = params
        if name in ("lstm_stack", "bidirectional_gru"):
            model.save(OUT / f"{name}.h5")  # legacy HDF5 (Keras warns that it is legacy)
            expected[f"{name}.h5"] = params
    meta = {"generator": "tools/gen_keras_file_fixtures.py", "keras": keras.__version__, "backend": "jax"}
    (OUT / "expected.json").write_text(json.dumps({"meta": meta, "params": expected}, indent=1) + "\n")


if __name__ == "__main__":
    main()
