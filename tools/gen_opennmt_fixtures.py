"""Generate golden fixtures for the ``opennmt-py`` dialect with the real OpenNMT-py model builder.

Each case is a small onmt_train YAML. The options are parsed by OpenNMT-py's own parser
(``onmt.opts`` with the YAML as ``-config``), passed through ``ArgumentParser.update_model_opts``
/ ``validate_model_opts`` and built with ``onmt.model_builder.build_base_model`` against a
stand-in vocabulary (only its length and pad index are read). ``sum(p.numel())`` is recorded
per part under the name rnnlint gives it, with the vocabulary-sized parts (embeddings,
generator) and the non-recurrent encoders/decoders recorded apart, so that counted + those
equals the whole model.

OpenNMT-py 3 ignores the v1/v2 ``rnn_size`` (its parser does not know it), so the upstream cases
use ``hidden_size``; the v1/v2 names are covered by tests/unit/dialects/test_opennmt_py.py.

OpenNMT-kpg (memray/OpenNMT-kpg-release) is not on PyPI: its cases are built from the upstream
pieces plus what kpg's onmt/decoders/decoder.py ``RNNDecoderBase.__init__`` adds (the decoder RNN
always with ``num_layers=1``, ``nn.Bilinear(h, h, 1)``, and for ``target_encoder_type: rnn`` a
one-layer GRU(embedding, h) -- built by ``self._build_rnn``, so a one-GRUCell ``StackedGRU`` in the
input-feed decoder, the same count -- whose output widens the decoder RNN input by h).

Run with OpenNMT-py 3.5.1 installed ``--no-deps`` beside torch==2.13.0 (never the dev venv)::

    /tmp/tk-onmt/bin/python tools/gen_opennmt_fixtures.py --out tests/fixtures/opennmt_cases.json

and with OpenNMT-py 2.3.0 (``--no-deps``; torchtext is stubbed, the builder only reads vocabulary sizes)
for the v1/v2 option names (``rnn_size``, ``enc_rnn_size``, ...)::

    /tmp/tk-onmt2/bin/python tools/gen_opennmt_fixtures.py --out tests/fixtures/opennmt_v2_cases.json
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.machinery
import json
import sys
import tempfile
import textwrap
import types
import warnings
from pathlib import Path
from typing import Any


class _Stub(types.ModuleType):
    """Tokenizer / transform libraries onmt imports at module level but the model builder never uses."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return type(name, (), {"__init__": lambda self, *a, **k: None})


_STUBBED = ("spacy", "ahocorasick", "sentencepiece", "subword_nmt", "rapidfuzz", "regex", "fasttext")
# OpenNMT-py 2.x also imports these (torchtext.data's legacy Field is only a type there).
_STUBBED_V2 = ("pyonmttok", "torchtext", "sacrebleu")


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name.split(".")[0] in _STUBBED + _STUBBED_V2:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _Stub(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        return None


sys.meta_path.insert(0, _StubFinder())

import onmt  # noqa: E402
import onmt.opts  # noqa: E402
import torch  # noqa: E402
from onmt.model_builder import build_base_model  # noqa: E402
from onmt.utils.parse import ArgumentParser  # noqa: E402
from torch import nn  # noqa: E402

V2 = onmt.__version__.startswith("2.")
SRC_VOCAB = 1003
TGT_VOCAB = 2005

CASES: dict[str, str] = {
    "v3_brnn_gru_mlp_copy_coverage_gate_bridge": """
        save_model: m
        encoder_type: brnn
        decoder_type: rnn
        rnn_type: GRU
        word_vec_size: 24
        hidden_size: 32
        layers: 1
        dropout: 0.5
        global_attention: mlp
        copy_attn: true
        coverage_attn: true
        context_gate: both
        bridge: true
        input_feed: 1
    """,
    "v3_lstm_two_layers_general_bridge": """
        save_model: m
        encoder_type: rnn
        decoder_type: rnn
        rnn_type: LSTM
        src_word_vec_size: 16
        tgt_word_vec_size: 12
        hidden_size: 20
        layers: 2
        dropout: 0.3
        global_attention: general
        bridge: true
        input_feed: 1
    """,
    "lstm_no_input_feed_dot_copy_general_source_gate": """
        save_model: m
        encoder_type: rnn
        decoder_type: rnn
        rnn_type: LSTM
        word_vec_size: 10
        hidden_size: 18
        enc_layers: 1
        dec_layers: 3
        global_attention: dot
        copy_attn: true
        copy_attn_type: general
        context_gate: source
        input_feed: 0
    """,
    "gru_no_attention_no_input_feed": """
        save_model: m
        encoder_type: brnn
        decoder_type: rnn
        rnn_type: GRU
        word_vec_size: 8
        hidden_size: 14
        layers: 2
        global_attention: none
        input_feed: 0
    """,
    "lstm_target_gate_reused_copy_attention_shared_embeddings": """
        save_model: m
        share_vocab: true
        share_embeddings: true
        encoder_type: rnn
        decoder_type: rnn
        rnn_type: LSTM
        word_vec_size: 12
        hidden_size: 12
        layers: 1
        global_attention: general
        copy_attn: true
        reuse_copy_attn: true
        context_gate: target
        input_feed: 1
    """,
    "defaults_only": """
        save_model: m
        save_data: run/example
    """,
    "transformer_encoder_rnn_decoder": """
        save_model: m
        encoder_type: transformer
        decoder_type: rnn
        rnn_type: LSTM
        word_vec_size: 16
        hidden_size: 16
        layers: 1
        heads: 2
        transformer_ff: 32
        global_attention: mlp
        input_feed: 1
    """,
    "language_model_transformer_lm": """
        save_model: m
        model_task: lm
        share_vocab: true
        decoder_type: transformer_lm
        dec_layers: 2
        heads: 2
        hidden_size: 16
        word_vec_size: 16
        transformer_ff: 32
    """,
}

# OpenNMT-py 2.x cases (--v2, run with OpenNMT-py 2.3.0): the v1/v2 option names.
CASES_V2: dict[str, str] = {
    "v2_rnn_size_brnn_lstm_mlp_copy_gate_bridge": """
        save_model: m
        encoder_type: brnn
        decoder_type: rnn
        rnn_type: LSTM
        word_vec_size: 10
        rnn_size: 18
        layers: 2
        dropout: [0.3]
        global_attention: mlp
        copy_attn: true
        context_gate: both
        bridge: true
        input_feed: 1
    """,
    "v2_enc_dec_rnn_size_gru_no_input_feed_dot": """
        save_model: m
        encoder_type: rnn
        decoder_type: rnn
        rnn_type: GRU
        src_word_vec_size: 6
        tgt_word_vec_size: 8
        enc_rnn_size: 12
        dec_rnn_size: 12
        enc_layers: 1
        dec_layers: 2
        global_attention: dot
        coverage_attn: true
        copy_attn: true
        copy_attn_type: mlp
        input_feed: 0
    """,
    "v2_defaults_only": """
        save_model: m
        save_data: run/example
    """,
}

# OpenNMT-kpg cases: the options kpg reads, built as kpg's RNNDecoderBase does (see the module docstring).
KPG_CASES: dict[str, str] = {
    "kpg_brnn_gru_mlp_coverage_gate": """
        model_type: keyphrase
        save_model: m
        encoder_type: brnn
        rnn_type: GRU
        word_vec_size: 20
        rnn_size: 30
        layers: 1
        dropout: 0.5
        copy_attn: 'true'
        global_attention: mlp
        reuse_copy_attn: 'true'
        bridge: 'true'
        coverage_attn: 'true'
        context_gate: both
        input_feed: 1
        share_embeddings: 'true'
    """,
    "kpg_target_encoder_rnn": """
        model_type: keyphrase
        save_model: m
        encoder_type: brnn
        rnn_type: GRU
        word_vec_size: 16
        rnn_size: 24
        layers: 1
        global_attention: general
        target_encoder_type: rnn
        input_feed: 1
    """,
}


class _Vocab:
    """What build_base_model reads of a vocabulary: its length and the pad index."""

    def __init__(self, size: int) -> None:
        self.size = size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, token: str) -> int:
        return 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Vocab) and other.size == self.size

    __hash__ = None  # type: ignore[assignment]


def _opts(yaml_text: str) -> argparse.Namespace:
    parser = ArgumentParser()
    onmt.opts.config_opts(parser)
    onmt.opts.model_opts(parser)
    onmt.opts._add_train_general_opts(parser)
    for group in ("distributed_opts", "_add_quant_opts"):  # OpenNMT-py 3 only
        if hasattr(onmt.opts, group):
            getattr(onmt.opts, group)(parser)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(yaml_text)
    opt, _ = parser.parse_known_args(["-config", handle.name])
    Path(handle.name).unlink()
    ArgumentParser.update_model_opts(opt)
    ArgumentParser.validate_model_opts(opt)
    return opt


class _Field:
    """OpenNMT-py 2.x: what build_base_model reads of a torchtext field (vocab size, pad index)."""

    pad_token = "<blank>"

    def __init__(self, size: int) -> None:
        self.vocab = _Vocab(size)
        self.vocab.stoi = {self.pad_token: 1}  # type: ignore[attr-defined]
        self.base_field = self

    def __iter__(self) -> Any:
        return iter([("word", self)])


def _build(opt: argparse.Namespace, shared: bool) -> nn.Module:
    tgt = SRC_VOCAB if shared else TGT_VOCAB
    if V2:
        return build_base_model(opt, {"src": _Field(SRC_VOCAB), "tgt": _Field(tgt)}, gpu=False)
    return build_base_model(opt, {"src": _Vocab(SRC_VOCAB), "tgt": _Vocab(tgt)})


def _n(module: nn.Module | None) -> int:
    return 0 if module is None else sum(p.numel() for p in module.parameters())


def _upstream(yaml_text: str) -> dict[str, Any]:
    opt = _opts(yaml_text)
    shared = bool(opt.share_embeddings) or opt.model_task == "lm"
    model = _build(opt, shared)
    counted: dict[str, int] = {}
    other: dict[str, int] = {}
    encoder = getattr(model, "encoder", None)
    decoder = model.decoder
    vocab_parts = _n(decoder.embeddings) + _n(model.generator)
    if encoder is not None:
        if encoder.embeddings is not decoder.embeddings:
            vocab_parts += _n(encoder.embeddings) if not shared else 0
        rnn = getattr(encoder, "rnn", None)
        if isinstance(rnn, nn.RNNBase):
            counted["encoder"] = _n(rnn)
            for index, linear in enumerate(getattr(encoder, "bridge", None) or []):
                counted[f"encoder.bridge[{index}]"] = _n(linear)
        else:
            other["encoder"] = _n(encoder) - _n(encoder.embeddings)
    if hasattr(decoder, "attn") and hasattr(decoder, "rnn"):
        counted["decoder"] = _n(decoder.rnn)
        for attr in ("attn", "copy_attn", "context_gate"):
            part = getattr(decoder, attr, None)
            if part is not None:
                counted[f"decoder.{attr}"] = _n(part)
        linear_copy = getattr(model.generator, "linear_copy", None)
        if linear_copy is not None:
            counted["generator.linear_copy"] = _n(linear_copy)
            vocab_parts -= _n(linear_copy)
    else:
        other["decoder"] = _n(decoder) - _n(decoder.embeddings)
    total = _n(model)
    assert sum(counted.values()) + sum(other.values()) + vocab_parts == total, (counted, other, vocab_parts, total)
    return {
        "builds_encoder": encoder is not None,
        "counted": counted,
        "not_counted": {"vocabulary_sized": vocab_parts, **other},
        "total": total,
    }


def _kpg(yaml_text: str) -> dict[str, Any]:
    """Upstream pieces, then kpg's changes to RNNDecoderBase.__init__ (one RNN layer, Bilinear, target GRU)."""
    import yaml

    options = yaml.safe_load(textwrap.dedent(yaml_text))
    target_rnn = options.pop("target_encoder_type", None) == "rnn"
    options.pop("model_type")
    options["layers"] = 1  # kpg's decoder RNN is always one layer; the cases keep the encoder at one too
    options["hidden_size"] = options.pop("rnn_size")  # kpg reads the v1 name; OpenNMT-py 3 calls it hidden_size
    upstream_text = "\n".join(f"{key}: {json.dumps(value)}" for key, value in options.items())
    opt = _opts(upstream_text)
    model = _build(opt, bool(opt.share_embeddings))
    hidden, emb = opt.dec_hid_size, opt.tgt_word_vec_size
    counted: dict[str, int] = {"encoder": _n(model.encoder.rnn)}
    for index, linear in enumerate(getattr(model.encoder, "bridge", None) or []):
        counted[f"encoder.bridge[{index}]"] = _n(linear)
    # kpg: self.input_size = embedding + hidden (input feed) [+ hidden for the target encoding]
    rnn_input = emb + hidden + (hidden if target_rnn else 0)
    cell = nn.GRUCell if opt.rnn_type == "GRU" else nn.LSTMCell
    counted["decoder"] = _n(cell(rnn_input, hidden))
    if target_rnn:
        counted["decoder.target_encoder"] = _n(nn.GRU(emb, hidden, num_layers=1, batch_first=True))
    for attr in ("attn", "copy_attn"):
        part = getattr(model.decoder, attr, None)
        if part is not None:
            counted[f"decoder.{attr}"] = _n(part)
    if model.decoder.context_gate is not None:
        gate = onmt.modules.context_gate_factory(opt.context_gate, rnn_input, hidden, hidden, hidden)
        counted["decoder.context_gate"] = _n(gate)
    counted["decoder.bilinear_layer"] = _n(nn.Bilinear(in1_features=hidden, in2_features=hidden, out_features=1))
    if getattr(model.generator, "linear_copy", None) is not None:
        counted["generator.linear_copy"] = _n(model.generator.linear_copy)
    return {"builds_encoder": True, "counted": counted, "not_counted": {}, "total": None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    torch.manual_seed(0)
    cases = []
    toolkit = f"OpenNMT-py {onmt.__version__}"
    for name, text in (CASES_V2 if V2 else CASES).items():
        yaml_text = textwrap.dedent(text).lstrip("\n")
        cases.append({"id": name, "toolkit": toolkit, "yaml": yaml_text, **_upstream(yaml_text)})
    for name, text in ({} if V2 else KPG_CASES).items():
        yaml_text = textwrap.dedent(text).lstrip("\n")
        cases.append({"id": name, "toolkit": "OpenNMT-kpg (mirrored)", "yaml": yaml_text, **_kpg(yaml_text)})
    payload = {
        "generator": "tools/gen_opennmt_fixtures.py",
        "torch": torch.__version__,
        "src_vocab": SRC_VOCAB,
        "tgt_vocab": TGT_VOCAB,
        "cases": cases,
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
