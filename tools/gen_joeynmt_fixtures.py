"""Generate golden fixtures for the ``joeynmt`` dialect with the real JoeyNMT model builder.

Each case is a small JoeyNMT YAML; its ``model`` section goes to ``joeynmt.model.build_model``
(JoeyNMT 2.3.0) with stand-in vocabularies (only their length and special indices are read), and
``sum(p.numel())`` is recorded per part under the name rnnlint gives it. The vocabulary-sized
parts (embeddings, ``output_layer``) and transformer sides are recorded apart, so that counted
+ those equals the whole model.

Cases whose decoder has no ``type`` but keys only the recurrent decoder reads stand for JoeyNMT
0.x/1.x, which built a recurrent decoder by default: they are built with ``type: recurrent``
added (``RecurrentDecoder``, ``BahdanauAttention``/``LuongAttention`` and the bridge hold the
same modules in 0.0.1, 1.5.1 and 2.3.0: joeynmt/decoders.py, joeynmt/attention.py).

Run with joeynmt 2.3.0 installed ``--no-deps`` beside torch==2.13.0 (never the dev venv)::

    /tmp/tk-joey/bin/python tools/gen_joeynmt_fixtures.py --out tests/fixtures/joeynmt_cases.json
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import textwrap
import types
import warnings
from pathlib import Path
from typing import Any


class _Stub(types.ModuleType):
    """Libraries joeynmt imports at module level that the model builder never uses."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return type(name, (), {"__init__": lambda self, *a, **k: None})


for _name in ("joeynmt.plotting", "torch.utils.tensorboard", "sentencepiece", "sacrebleu", "subword_nmt", "datasets"):
    sys.modules.setdefault(_name, _Stub(_name))

import torch  # noqa: E402
import yaml  # noqa: E402
from joeynmt.model import build_model  # noqa: E402
from torch import nn  # noqa: E402

SRC_VOCAB = 1003
TRG_VOCAB = 2005

CASES: dict[str, str] = {
    "stated_gru_luong_last": """
        model:
          encoder:
            type: recurrent
            rnn_type: gru
            embeddings: {embedding_dim: 16}
            hidden_size: 30
            bidirectional: true
            num_layers: 3
            dropout: 0.2
          decoder:
            type: recurrent
            rnn_type: gru
            embeddings: {embedding_dim: 16}
            hidden_size: 30
            num_layers: 2
            dropout: 0.2
            input_feeding: true
            init_hidden: last
            attention: luong
    """,
    "lstm_bahdanau_bridge_one_layer_dropout": """
        model:
          encoder:
            rnn_type: lstm
            embeddings: {embedding_dim: 12}
            hidden_size: 10
            bidirectional: false
            dropout: 0.3
          decoder:
            type: recurrent
            rnn_type: lstm
            embeddings: {embedding_dim: 8}
            hidden_size: 14
            dropout: 0.3
            input_feeding: false
            attention: bahdanau
            init_hidden: bridge
    """,
    "decoder_without_type_recurrent_keys_1x": """
        model:
          encoder:
            rnn_type: gru
            embeddings: {embedding_dim: 8}
            hidden_size: 6
          decoder:
            rnn_type: gru
            embeddings: {embedding_dim: 8}
            hidden_size: 6
            attention: bahdanau
    """,
    "uppercase_gru_builds_lstm": """
        model:
          encoder:
            type: recurrent
            rnn_type: GRU
            embeddings: {embedding_dim: 8}
            hidden_size: 6
            bidirectional: true
          decoder:
            type: recurrent
            rnn_type: gru
            embeddings: {embedding_dim: 8}
            hidden_size: 6
            init_hidden: zero
    """,
    "recurrent_encoder_transformer_decoder_2x": """
        model:
          encoder:
            type: recurrent
            rnn_type: lstm
            embeddings: {embedding_dim: 16}
            hidden_size: 8
            bidirectional: true
          decoder:
            embeddings: {embedding_dim: 16}
            hidden_size: 16
            num_layers: 1
            num_heads: 2
            ff_size: 32
    """,
    "transformer_both": """
        model:
          tied_embeddings: true
          encoder:
            type: transformer
            embeddings: {embedding_dim: 16}
            hidden_size: 16
            num_layers: 1
            num_heads: 2
            ff_size: 32
          decoder:
            type: transformer
            embeddings: {embedding_dim: 16}
            hidden_size: 16
            num_layers: 1
            num_heads: 2
            ff_size: 32
    """,
}

RECURRENT_DECODER_KEYS = ("rnn_type", "input_feeding", "init_hidden", "attention", "hidden_dropout")


class _Vocab:
    """What build_model and Model.__init__ read of a vocabulary."""

    pad_index, bos_index, eos_index, sep_index, unk_index = 1, 2, 3, None, 0

    def __init__(self, size: int) -> None:
        self.size = size
        self.specials: list[str] = []
        self.lang_tags: list[str] = []

    def __len__(self) -> int:
        return self.size

    def lookup(self, token: str) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Vocab) and other.size == self.size

    __hash__ = None  # type: ignore[assignment]


def _n(module: nn.Module | None) -> int:
    return 0 if module is None else sum(p.numel() for p in module.parameters())


def _case(yaml_text: str) -> dict[str, Any]:
    cfg = copy.deepcopy(yaml.safe_load(yaml_text)["model"])
    decoder_cfg = cfg["decoder"]
    version = "2.3.0"
    if "type" not in decoder_cfg and any(key in decoder_cfg for key in RECURRENT_DECODER_KEYS):
        decoder_cfg["type"] = "recurrent"  # what JoeyNMT 0.x/1.x built for a decoder without `type`
        version = "0.x/1.x (built as type: recurrent with 2.3.0)"
    tied = bool(cfg.get("tied_embeddings", False))
    src = _Vocab(SRC_VOCAB)
    model = build_model(cfg, src_vocab=src, trg_vocab=src if tied else _Vocab(TRG_VOCAB))
    counted: dict[str, int] = {}
    not_counted: dict[str, int] = {"vocabulary_sized": _n(model.src_embed) if tied else 0}
    if not tied:
        not_counted["vocabulary_sized"] = _n(model.src_embed) + _n(model.trg_embed)
    encoder, decoder = model.encoder, model.decoder
    if hasattr(encoder, "rnn"):
        counted["encoder"] = _n(encoder.rnn)
    else:
        not_counted["encoder"] = _n(encoder)
    if hasattr(decoder, "rnn"):
        counted["decoder"] = _n(decoder.rnn)
        counted["decoder.attention"] = _n(decoder.attention)
        counted["decoder.att_vector_layer"] = _n(decoder.att_vector_layer)
        if hasattr(decoder, "bridge_layer"):
            counted["decoder.bridge_layer"] = _n(decoder.bridge_layer)
        not_counted["vocabulary_sized"] += _n(decoder.output_layer)
    else:
        not_counted["decoder"] = _n(decoder)
    total = _n(model)
    assert sum(counted.values()) + sum(not_counted.values()) == total, (counted, not_counted, total)
    torch_dropout = {
        name: module.rnn.dropout
        for name, module in (("encoder", encoder), ("decoder", decoder))
        if hasattr(module, "rnn")
    }
    return {
        "joeynmt": version,
        "counted": counted,
        "not_counted": not_counted,
        "total": total,
        "torch_rnn_dropout": torch_dropout,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    torch.manual_seed(0)
    cases = []
    for name, text in CASES.items():
        yaml_text = textwrap.dedent(text).lstrip("\n")
        cases.append({"id": name, "yaml": yaml_text, **_case(yaml_text)})
    payload = {
        "generator": "tools/gen_joeynmt_fixtures.py",
        "torch": torch.__version__,
        "src_vocab": SRC_VOCAB,
        "trg_vocab": TRG_VOCAB,
        "cases": cases,
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
