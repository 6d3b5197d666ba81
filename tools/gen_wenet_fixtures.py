"""Golden fixtures for the ``wenet`` dialect, built with WeNet's own predictor and joint classes.

WeNet is not on PyPI and its package imports a whole training stack, so the generator loads the two source
files that define what a transducer config builds straight from a WeNet checkout (``--wenet-src``, e.g. a
clone of wenet-e2e/wenet at 015469960db73eb19c49a48c020d5ac9db69bae5, never copied into this project):

- ``wenet/models/transducer/predictor.py`` ``RNNPredictor``: ``WENET_RNN_CLASSES[rnn_type](embed_size,
  hidden_size, num_layers, bias, dropout)`` and ``projection = nn.Linear(hidden_size, output_size)``;
- ``wenet/models/transducer/joint.py`` ``TransducerJoint``: ``enc_ffn``/``pred_ffn``, ``post_ffn``,
  ``blank_pred``; ``ffn_out``/``token_pred`` are vocabulary-sized and left out of the figures.

Their one WeNet import, ``wenet.utils.class_utils``, is given the two tables those classes read
(``WENET_RNN_CLASSES``: rnn/lstm/gru -> torch.nn.RNN/LSTM/GRU; ``WENET_ACTIVATION_CLASSES``), as that file
defines them. The classes are built with a vocabulary of 1; only the fixed-size parts are recorded.

Run (torch==2.13.0; never the dev virtualenv)::

    /tmp/torchvenv/bin/python tools/gen_wenet_fixtures.py --wenet-src /path/to/wenet \
        --out tests/fixtures/wenet_cases.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import types
from pathlib import Path
from typing import Any

import torch
from torch import nn

RNN_CLASSES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
ACTIVATIONS = {
    "hardtanh": nn.Hardtanh,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "selu": nn.SELU,
    "swish": nn.SiLU,
    "gelu": nn.GELU,
}


def load_wenet(src: Path) -> tuple[Any, Any]:
    """RNNPredictor and TransducerJoint from the checkout's own source files."""
    utils = types.ModuleType("wenet.utils.class_utils")
    utils.WENET_RNN_CLASSES = RNN_CLASSES  # type: ignore[attr-defined]
    utils.WENET_ACTIVATION_CLASSES = ACTIVATIONS  # type: ignore[attr-defined]
    for name in ("wenet", "wenet.utils"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["wenet.utils.class_utils"] = utils
    classes = []
    for rel, cls in (("predictor.py", "RNNPredictor"), ("joint.py", "TransducerJoint")):
        spec = importlib.util.spec_from_file_location(f"wenet_{cls}", src / "wenet" / "models" / "transducer" / rel)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        classes.append(getattr(module, cls))
    return classes[0], classes[1]


def numel(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def build(config: dict[str, Any], predictor_cls: Any, joint_cls: Any) -> dict[str, int]:
    """The fixed-size parts WeNet builds for ``config``, by the dialect's layer names."""
    predictor = predictor_cls(1, **config["predictor_conf"])
    counts = {"predictor.rnn": numel(predictor.rnn), "predictor.projection": numel(predictor.projection)}
    joint = joint_cls(1, **config["joint_conf"])
    for attr, name in (("enc_ffn", "joint.enc_ffn"), ("pred_ffn", "joint.pred_ffn"), ("post_ffn", "joint.post_ffn")):
        if getattr(joint, attr) is not None:
            counts[name] = numel(getattr(joint, attr))
    if joint.blank_pred is not None:
        counts["joint.blank_pred"] = numel(joint.blank_pred)
    return counts


def random_config(rng: random.Random) -> dict[str, Any]:
    size = lambda: rng.choice([8, 17, 64, 128, 256, 320])  # noqa: E731
    predictor: dict[str, Any] = {
        "embed_size": size(),
        "output_size": size(),
        "embed_dropout": 0.1,
        "hidden_size": size(),
        "num_layers": rng.choice([1, 2, 3]),
    }
    if rng.random() < 0.7:
        predictor["rnn_type"] = rng.choice(["lstm", "gru", "rnn"])
    if rng.random() < 0.5:
        predictor["bias"] = rng.random() < 0.7
    if predictor["num_layers"] > 1 and rng.random() < 0.5:
        predictor["dropout"] = 0.1
    joint: dict[str, Any] = {
        "enc_output_size": size(),
        "pred_output_size": predictor["output_size"],
        "join_dim": size(),
    }
    for key, chance in (("prejoin_linear", 0.8), ("postjoin_linear", 0.3), ("hat_joint", 0.2)):
        if rng.random() < 0.6:
            joint[key] = rng.random() < chance
    if not joint.get("prejoin_linear", True) and not joint.get("postjoin_linear", False):
        joint["prejoin_linear"] = True  # WeNet asserts equal sizes otherwise
    return {
        "encoder": "conformer",
        "encoder_conf": {"output_size": joint["enc_output_size"], "num_blocks": 2},
        "joint": "transducer_joint",
        "joint_conf": joint,
        "predictor": "rnn",
        "predictor_conf": predictor,
        "decoder": "bitransformer",
        "decoder_conf": {"num_blocks": 1},
        "tokenizer": "char",
        "tokenizer_conf": {"symbol_table_path": "data/dict/lang_char.txt"},
        "model": "transducer",
        "model_conf": {"ctc_weight": 0.1},
        "dataset_conf": {"batch_conf": {"batch_size": 8}},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--wenet-src", type=Path, required=True, help="a WeNet checkout (its wenet/ folder)")
    args = parser.parse_args()
    predictor_cls, joint_cls = load_wenet(args.wenet_src)
    rng = random.Random(args.seed)
    torch.manual_seed(0)
    cases = []
    for index in range(args.count):
        config = random_config(rng)
        cases.append({"name": f"case{index:03d}", "config": config, "params": build(config, predictor_cls, joint_cls)})
    meta = {"torch": torch.__version__, "source": "wenet-e2e/wenet@015469960db73eb19c49a48c020d5ac9db69bae5"}
    args.out.write_text(json.dumps({"meta": meta, "cases": cases}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
