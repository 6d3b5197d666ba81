"""Golden fixtures for the ``paddlespeech`` dialect, built with Paddle and PaddleSpeech's own modules.

PaddleSpeech itself does not install here (its dependency tree pins conflict), but paddlepaddle
does. The script loads PaddleSpeech's module files from a checkout (``--paddlespeech DIR``, at
commit 969f33999fd6116a69831d098c1ab6f1e125129a) without their package ``__init__``, with the few
imports they need but never call stubbed (logging, the CTC decoder, checkpoint helpers,
``make_pad_mask``; ``s2t/modules/align.py``'s initializer-only subclasses are the plain paddle
layers), and builds:

- DeepSpeech2: ``paddlespeech/s2t/models/ds2/deepspeech2.py`` ``CRNNEncoder`` (with
  ``ds2/conv.py`` ``Conv2dSubsampling4Pure`` and ``s2t/modules/subsampling.py``), as
  ``DeepSpeech2Model.from_config`` calls it. The CTC decoder is left out (vocabulary-sized: an
  omission in rnnlint).
- Tacotron2: ``paddlespeech/t2s/modules/tacotron2/encoder.py`` ``Encoder``, ``decoder.py``
  ``Decoder`` (LSTMCells, prenet, postnet, feat_out, prob_out) and ``attentions.py`` ``AttLoc`` as
  ``t2s/models/tacotron2/tacotron2.py`` ``Tacotron2.__init__`` calls them (``odim`` = ``n_mels``,
  as ``t2s/exps/tacotron2/train.py`` passes it), plus its ``projection`` ``nn.Linear(spk_embed_dim,
  eunits)`` for ``spk_embed_integration_type: add``. The token embedding is left out (an omission).

Counts are trainable parameters: Paddle keeps BatchNorm's running mean/variance as non-trainable
parameters, which PyTorch keeps as buffers; rnnlint counts neither.

Run (never the dev virtualenv)::

    python -m venv /tmp/tk-paddle && /tmp/tk-paddle/bin/pip install paddlepaddle==3.3.1
    /tmp/tk-paddle/bin/python tools/gen_paddlespeech_fixtures.py --paddlespeech /path/to/PaddleSpeech \
        --out tests/fixtures/paddlespeech_cases.json
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import types
from pathlib import Path
from typing import Any


def _stub(name: str, **attrs: Any) -> None:
    module = types.ModuleType(name)
    for key, value in attrs.items():
        setattr(module, key, value)
    sys.modules[name] = module


def _package(name: str, path: Path) -> None:
    module = types.ModuleType(name)
    module.__path__ = [str(path)]
    sys.modules[name] = module


def _import(root: Path) -> tuple[Any, Any, Any]:
    for name in (
        "paddlespeech",
        "paddlespeech.s2t",
        "paddlespeech.s2t.models",
        "paddlespeech.s2t.models.ds2",
        "paddlespeech.s2t.modules",
        "paddlespeech.s2t.utils",
        "paddlespeech.t2s",
        "paddlespeech.t2s.modules",
        "paddlespeech.t2s.modules.tacotron2",
    ):
        _package(name, root / name.replace(".", "/"))

    class Log:  # paddlespeech.s2t.utils.log.Log: logging only
        def __init__(self, name: str) -> None:
            self.name = name

        def getlog(self) -> Any:
            import logging

            return logging.getLogger(self.name)

    _stub("paddlespeech.s2t.utils.log", Log=Log)
    _stub("paddlespeech.s2t.utils.layer_tools")
    _stub("paddlespeech.s2t.utils.checkpoint", Checkpoint=object)
    _stub("paddlespeech.s2t.modules.ctc", CTCDecoder=object)
    _stub("paddlespeech.t2s.modules.masked_fill", masked_fill=None)
    _stub("paddlespeech.t2s.modules.nets_utils", make_pad_mask=None)
    # s2t/modules/align.py subclasses paddle.nn.Conv2D/Linear/LayerNorm only to pick initializers,
    # with positional arguments paddle 3 no longer takes: the plain paddle classes have the same shapes.
    from paddle import nn

    _stub(
        "paddlespeech.s2t.modules.align",
        Conv2D=nn.Conv2D,
        Linear=nn.Linear,
        LayerNorm=nn.LayerNorm,
        Conv1D=nn.Conv1D,
        BatchNorm1D=nn.BatchNorm1D,
        Embedding=nn.Embedding,
    )
    import paddlespeech.s2t.models.ds2.deepspeech2 as ds2
    import paddlespeech.t2s.modules.tacotron2.attentions as attentions
    import paddlespeech.t2s.modules.tacotron2.decoder as decoder
    import paddlespeech.t2s.modules.tacotron2.encoder as encoder

    return ds2, encoder, decoder, attentions


def _n(layer: Any) -> int:
    return int(sum(int(p.numel()) for p in layer.parameters() if p.trainable))


DS2_CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "ds2_aishell_bidirect_lstm",
        {
            "feat_dim": 161,
            "num_conv_layers": 2,
            "num_rnn_layers": 5,
            "rnn_layer_size": 1024,
            "rnn_direction": "bidirect",
            "num_fc_layers": 0,
            "fc_layers_size_list": -1,
            "use_gru": False,
        },
    ),
    (
        "ds2_online_forward_lstm",
        {
            "feat_dim": 161,
            "num_conv_layers": 2,
            "num_rnn_layers": 5,
            "rnn_layer_size": 1024,
            "rnn_direction": "forward",
            "num_fc_layers": 0,
            "fc_layers_size_list": -1,
            "use_gru": False,
        },
    ),
    (
        "ds2_gru_fc",
        {
            "feat_dim": 80,
            "num_conv_layers": 2,
            "num_rnn_layers": 3,
            "rnn_layer_size": 256,
            "rnn_direction": "bidirect",
            "num_fc_layers": 2,
            "fc_layers_size_list": [512, 256],
            "use_gru": True,
        },
    ),
    (
        "ds2_small_forward_gru",
        {
            "feat_dim": 41,
            "num_conv_layers": 2,
            "num_rnn_layers": 1,
            "rnn_layer_size": 64,
            "rnn_direction": "forward",
            "num_fc_layers": 1,
            "fc_layers_size_list": [32],
            "use_gru": True,
        },
    ),
]
TACOTRON_CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "tacotron2_tts0_default",
        {
            "embed_dim": 512,
            "elayers": 1,
            "eunits": 512,
            "econv_layers": 3,
            "econv_chans": 512,
            "econv_filts": 5,
            "dlayers": 2,
            "dunits": 1024,
            "prenet_layers": 2,
            "prenet_units": 256,
            "use_batch_norm": True,
        },
    ),
    (
        "tacotron2_small_no_bn",
        {
            "embed_dim": 128,
            "elayers": 2,
            "eunits": 256,
            "econv_layers": 2,
            "econv_chans": 128,
            "econv_filts": 3,
            "dlayers": 1,
            "dunits": 256,
            "prenet_layers": 1,
            "prenet_units": 64,
            "use_batch_norm": False,
        },
    ),
    (
        "tacotron2_spk_concat",
        {
            "embed_dim": 256,
            "elayers": 1,
            "eunits": 256,
            "econv_layers": 3,
            "econv_chans": 256,
            "econv_filts": 5,
            "dlayers": 2,
            "dunits": 512,
            "prenet_layers": 2,
            "prenet_units": 128,
            "use_batch_norm": True,
            "spk_embed_dim": 64,
        },
    ),
    (
        "tacotron2_no_prenet_r2",
        {
            "embed_dim": 64,
            "elayers": 1,
            "eunits": 64,
            "econv_layers": 0,
            "econv_chans": 64,
            "econv_filts": 5,
            "dlayers": 2,
            "dunits": 128,
            "prenet_layers": 0,
            "prenet_units": 32,
            "use_batch_norm": False,
            "postnet_layers": 1,
            "postnet_chans": 32,
            "postnet_filts": 3,
            "use_concate": False,
            "reduction_factor": 2,
            "adim": 64,
            "aconv_chans": 8,
            "aconv_filts": 7,
            "spk_embed_dim": 16,
            "spk_embed_integration_type": "add",
        },
    ),
]
# Tacotron2.__init__ defaults for the decoder and attention keys the cases leave out.
DECODER_DEFAULTS = {
    "adim": 512,
    "aconv_chans": 32,
    "aconv_filts": 15,
    "postnet_layers": 5,
    "postnet_chans": 512,
    "postnet_filts": 5,
    "use_concate": True,
    "reduction_factor": 1,
    "spk_embed_integration_type": "concat",
}
N_MELS = 80


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paddlespeech", type=Path, required=True, help="a PaddleSpeech checkout (969f339)")
    parser.add_argument("--out", type=Path, default=Path("tests/fixtures/paddlespeech_cases.json"))
    args = parser.parse_args()
    ds2, encoder, decoder, attentions = _import(args.paddlespeech.resolve())
    from paddle import nn

    cases = []
    for name, c in DS2_CASES:
        enc = ds2.CRNNEncoder(
            feat_size=c["feat_dim"],
            dict_size=100,
            num_conv_layers=c["num_conv_layers"],
            num_rnn_layers=c["num_rnn_layers"],
            rnn_size=c["rnn_layer_size"],
            rnn_direction=c["rnn_direction"],
            num_fc_layers=c["num_fc_layers"],
            fc_layers_size_list=c["fc_layers_size_list"],
            use_gru=c["use_gru"],
        )
        parts = {
            "conv": _n(enc.conv),
            "rnn": _n(enc.rnn),
            "layernorm_list": _n(enc.layernorm_list),
            "fc_layers_list": _n(enc.fc_layers_list),
        }
        cases.append({"name": name, "kind": "deepspeech2", "config": c, "parts": parts, "counted": _n(enc)})
    for name, case in TACOTRON_CASES:
        c = {**DECODER_DEFAULTS, **case}
        enc = encoder.Encoder(
            idim=50,
            embed_dim=c["embed_dim"],
            elayers=c["elayers"],
            eunits=c["eunits"],
            econv_layers=c["econv_layers"],
            econv_chans=c["econv_chans"],
            econv_filts=c["econv_filts"],
            use_batch_norm=c["use_batch_norm"],
        )
        spk = c.get("spk_embed_dim")
        concat = spk and c["spk_embed_integration_type"] == "concat"
        dec_idim = c["eunits"] + (spk if concat else 0)
        att = attentions.AttLoc(dec_idim, c["dunits"], c["adim"], c["aconv_chans"], c["aconv_filts"])
        dec = decoder.Decoder(
            idim=dec_idim,
            odim=N_MELS,
            att=att,
            dlayers=c["dlayers"],
            dunits=c["dunits"],
            prenet_layers=c["prenet_layers"],
            prenet_units=c["prenet_units"],
            postnet_layers=c["postnet_layers"],
            postnet_chans=c["postnet_chans"],
            postnet_filts=c["postnet_filts"],
            use_batch_norm=c["use_batch_norm"],
            use_concate=c["use_concate"],
            reduction_factor=c["reduction_factor"],
        )
        convs = _n(enc.convs) if enc.convs is not None else 0
        parts = {
            "encoder.convs": convs,
            "encoder.blstm": _n(enc.blstm),
            "decoder.lstm": _n(dec.lstm),
            "decoder": _n(dec),
            "attention": _n(att),
        }
        if spk and not concat:
            parts["projection"] = _n(nn.Linear(spk, c["eunits"]))
        counted = sum(v for k, v in parts.items() if k not in ("decoder.lstm", "attention"))  # Decoder holds att
        cases.append({"name": name, "kind": "tacotron2", "config": case, "parts": parts, "counted": counted})
    out = {
        "source": "paddle modules of PaddleSpeech 969f339: s2t/models/ds2/deepspeech2.py CRNNEncoder, "
        "t2s/modules/tacotron2/encoder.py Encoder, decoder.py Decoder (trainable parameters)",
        "versions": {
            "paddlepaddle": importlib.metadata.version("paddlepaddle"),
            "paddlespeech": "969f33999fd6116a69831d098c1ab6f1e125129a",
        },
        "cases": cases,
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
