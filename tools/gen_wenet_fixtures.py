"""Golden fixtures for the ``wenet`` dialect, built with torch modules that mirror WeNet's constructors.

WeNet itself is not installed (its package pulls a training stack); each case builds exactly what
these constructors build, at wenet-e2e/wenet 015469960db73eb19c49a48c020d5ac9db69bae5:

- ``wenet/models/transducer/predictor.py`` ``RNNPredictor.__init__``: ``WENET_RNN_CLASSES[rnn_type](
  input_size=embed_size, hidden_size, num_layers, bias, batch_first=True, dropout)`` and
  ``projection = nn.Linear(hidden_size, output_size)`` (the ``nn.Embedding(voca_size, embed_size)``
  depends on the token list and is left out of the figures).
- ``wenet/models/transducer/joint.py`` ``TransducerJoint.__init__``: ``enc_ffn``/``pred_ffn``
  (prejoin_linear), ``post_ffn`` (postjoin_linear), ``blank_pred``'s ``Linear(join_dim, 1)`` (hat_joint);
  ``ffn_out``/``token_pred`` are vocabulary-sized and left out.

Run (torch==2.13.0, pyyaml; never the dev virtualenv)::

    /tmp/torchvenv/bin/python tools/gen_wenet_fixtures.py --out tests/fixtures/wenet_cases.json
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

import torch
from torch import nn

RNN_CLASSES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def numel(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def build(config: dict[str, Any]) -> dict[str, int]:
    """The fixed-size parts WeNet builds for ``config``, by the dialect's layer names."""
    counts: dict[str, int] = {}
    p = config["predictor_conf"]
    rnn = RNN_CLASSES[p.get("rnn_type", "lstm")](
        input_size=p["embed_size"],
        hidden_size=p["hidden_size"],
        num_layers=p["num_layers"],
        bias=p.get("bias", True),
        batch_first=True,
        dropout=p.get("dropout", 0.1) if p["num_layers"] > 1 else 0.0,
    )
    counts["predictor.rnn"] = numel(rnn)
    counts["predictor.projection"] = numel(nn.Linear(p["hidden_size"], p["output_size"]))
    j = config["joint_conf"]
    if j.get("prejoin_linear", True):
        counts["joint.enc_ffn"] = numel(nn.Linear(j["enc_output_size"], j["join_dim"]))
        counts["joint.pred_ffn"] = numel(nn.Linear(j["pred_output_size"], j["join_dim"]))
    if j.get("postjoin_linear", False):
        counts["joint.post_ffn"] = numel(nn.Linear(j["join_dim"], j["join_dim"]))
    if j.get("hat_joint", False):
        counts["joint.blank_pred"] = numel(nn.Linear(j["join_dim"], 1))
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
    args = parser.parse_args()
    rng = random.Random(args.seed)
    torch.manual_seed(0)
    cases = []
    for index in range(args.count):
        config = random_config(rng)
        cases.append({"name": f"case{index:03d}", "config": config, "params": build(config)})
    meta = {"torch": torch.__version__, "source": "wenet-e2e/wenet@015469960db73eb19c49a48c020d5ac9db69bae5"}
    args.out.write_text(json.dumps({"meta": meta, "cases": cases}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
