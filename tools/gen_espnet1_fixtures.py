"""Generate golden fixtures for the ``espnet1`` dialect with the real ESPnet1 model classes.

Each case is a small ESPnet1 training config. It is read the way the trainer reads it
(``espnet/bin/<task>_train.py`` ``get_parser(required=False)`` with ``--config``, then the model
class's ``add_arguments``), the model class is instantiated with torch, and the fixture records:

- ``total``: every parameter of the model;
- ``omitted``: the parameters under the module prefixes rnnlint leaves out (they are sized by
  the token list / feature dimension, or are custom blocks); ``counted = total - omitted``;
- ``recurrent``: the parameters of every ``nn.LSTM``/``nn.GRU``/``LSTMCell``/``GRUCell`` outside those
  prefixes (``recurrent_omitted``: inside them, e.g. the multichannel front end's mask estimators).

tests/unit/dialects/test_espnet1.py lints the same YAML with rnnlint and compares ``counted_params``
and ``recurrent_params``.

Run (needs espnet==202511 installed ``--no-deps`` with torch==2.13.0, pyyaml and configargparse;
never the dev virtualenv). Imports that only the trainers' reporters, data loaders and plots use
(chainer, librosa, torchaudio, nltk, ...) are replaced by empty stand-ins: no model class here
builds anything from them::

    python tools/gen_espnet1_fixtures.py --out tests/fixtures/espnet1_models.json
"""

from __future__ import annotations

import argparse
import importlib
import importlib.abc
import importlib.machinery
import json
import sys
import tempfile
import types
from pathlib import Path
from typing import Any, ClassVar

import torch
import yaml

STUBBED = (
    "chainer",
    "librosa",
    "soundfile",
    "sentencepiece",
    "editdistance",
    "h5py",
    "kaldiio",
    "matplotlib",
    "torchaudio",
    "nltk",
    "pytorch_wpe",
    "torch_complex",
    "flash_attn",
    "warprnnt_pytorch",
)


class _Anything(type):
    def __getattr__(cls, name: str) -> Any:
        return _Stub


class _Stub(metaclass=_Anything):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _Stub()

    def __getattr__(self, name: str) -> Any:
        return _Stub()


class _StubModule(types.ModuleType):
    __path__: ClassVar[list[str]] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Stub


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _StubModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


PT = "espnet.nets.pytorch_backend."
ASR_OUT = ["ctc.", "dec.embed.", "dec.output."]

# (name, trainer, config, idim, odim, omitted parameter-name prefixes)
CASES: list[tuple[str, str, dict[str, Any], int, int, list[str]]] = []


def _asr(name: str, config: dict[str, Any], omitted: list[str] | None = None) -> None:
    CASES.append((name, "asr", config, 83, 11, ASR_OUT if omitted is None else omitted))


SMALL = {"elayers": 2, "eunits": 8, "eprojs": 6, "dlayers": 2, "dunits": 5}
_asr(
    "asr_blstmp_location",
    {"etype": "blstmp", **SMALL, "atype": "location", "adim": 4, "aconv-chans": 3, "aconv-filts": 2},
)
_asr("asr_vggblstm_gru_add", {"etype": "vggblstm", **SMALL, "dtype": "gru", "atype": "add", "adim": 7})
_asr("asr_bgrup_default_attention", {"etype": "bgrup", "elayers": 1, "eunits": 8, "eprojs": 6, "dunits": 7})
_asr("asr_lstm_context_residual", {"etype": "lstm", **SMALL, "context-residual": True, "atype": "dot", "adim": 3})
# e2e_asr.py: with use-frontend the encoder reads n-mels features (the front end's RNNs read STFT bins).
_asr(
    "asr_frontend_n_mels",
    {"use-frontend": True, "n-mels": 20, "etype": "vggblstmp", **SMALL, "atype": "add", "adim": 4},
    [*ASR_OUT, "frontend."],
)
for atype in (
    "noatt",
    "dot",
    "add",
    "location",
    "location2d",
    "location_recurrent",
    "coverage",
    "coverage_location",
    "multi_head_dot",
    "multi_head_add",
    "multi_head_loc",
    "multi_head_multi_res_loc",
):
    _asr(
        f"asr_atype_{atype}",
        {
            "etype": "blstmp",
            **SMALL,
            "atype": atype,
            "adim": 4,
            "aheads": 3,
            "awin": 2,
            "aconv-chans": 3,
            "aconv-filts": 5,
        },
    )
CASES.append(
    (
        "asr_mix_two_speakers",
        "asr",
        {
            "model-module": PT + "e2e_asr_mix:E2E",
            "num-spkrs": 2,
            "etype": "vggblstmp",
            "elayers-sd": 2,
            "elayers": 1,
            "eunits": 8,
            "eprojs": 6,
            "dunits": 5,
            "atype": "location",
            "adim": 4,
            "aconv-chans": 3,
            "aconv-filts": 2,
        },
        83,
        11,
        ASR_OUT,
    )
)
CASES.append(
    (
        "asr_mix_spa",
        "asr",
        {
            "model-module": PT + "e2e_asr_mix:E2E",
            "num-spkrs": 2,
            "spa": True,
            "etype": "vggblstmp",
            "elayers-sd": 1,
            "elayers": 1,
            "eunits": 8,
            "eprojs": 6,
            "dunits": 5,
            "atype": "add",
            "adim": 4,
        },
        83,
        11,
        ASR_OUT,
    )
)
CASES.append(
    (
        "asr_mulenc_two_streams",
        "asr",
        {
            "model-module": PT + "e2e_asr_mulenc:E2E",
            "num-encs": 2,
            "etype": ["blstmp", "vggblstm"],
            "elayers": [2, 1],
            "eunits": [8, 6],
            "eprojs": 6,
            "subsample": ["1_2_2", "1_1"],
            "dlayers": 1,
            "dunits": 5,
            "atype": ["location", "add"],
            "adim": [4, 3],
            "awin": [5, 5],
            "aheads": [4, 4],
            "aconv-chans": [3, 3],
            "aconv-filts": [2, 2],
            "han-type": "add",
            "han-dim": 4,
            "han-win": 5,
            "han-heads": 4,
            "han-conv-chans": 4,
            "han-conv-filts": 3,
            "share-ctc": False,
            "weights-ctc-train": [0.5, 0.5],
            "weights-ctc-dec": [0.5, 0.5],
            "dropout-rate": [0.0, 0.0],
        },
        83,
        11,
        ASR_OUT,
    )
)
# e2e_mt: Embedding(idim, eunits) feeds the encoder, so eunits (8) and dunits (5) differ on purpose.
CASES.append(
    (
        "mt_blstmp",
        "mt",
        {
            "etype": "blstmp",
            **SMALL,
            "atype": "location",
            "adim": 4,
            "aconv-chans": 3,
            "aconv-filts": 2,
            "tie-src-tgt-embedding": False,
        },
        50,
        11,
        ["embed.", "dec.embed.", "dec.output."],
    )
)
CASES.append(
    (
        "st_asr_and_mt_tasks",
        "st",
        {
            "etype": "vggblstm",
            **SMALL,
            "atype": "location",
            "adim": 4,
            "aconv-chans": 3,
            "aconv-filts": 2,
            "mtlalpha": 0.5,
            "asr-weight": 0.3,
            "mt-weight": 0.2,
        },
        83,
        11,
        ["ctc.", "dec.embed.", "dec.output.", "dec_asr.embed.", "dec_asr.output.", "embed_mt."],
    )
)
CASES.append(
    ("st_only", "st", {"etype": "blstmp", **SMALL, "atype": "add", "adim": 4}, 83, 11, ["dec.embed.", "dec.output."])
)
TRANSDUCER = PT + "e2e_asr_transducer:E2E"
RNNT_OUT = ["dec.embed.", "transducer_tasks.joint_network.lin_out."]
CASES.append(
    (
        "transducer_blstm",
        "asr",
        {
            "model-module": TRANSDUCER,
            "etype": "blstm",
            "elayers": 3,
            "eunits": 8,
            "eprojs": 6,
            "dtype": "lstm",
            "dlayers": 2,
            "dunits": 5,
            "dec-embed-dim": 4,
            "joint-dim": 3,
            "mtlalpha": 1.0,
        },
        83,
        11,
        RNNT_OUT,
    )
)
CASES.append(
    (
        "transducer_vggbgrup",
        "asr",
        {
            "model-module": TRANSDUCER,
            "etype": "vggbgrup",
            "elayers": 2,
            "eunits": 8,
            "eprojs": 6,
            "dtype": "gru",
            "dlayers": 1,
            "dunits": 5,
            "dec-embed-dim": 4,
            "joint-dim": 3,
            "dropout-rate": 0.2,
        },
        83,
        11,
        RNNT_OUT,
    )
)
CONFORMER_BLOCK = [
    {
        "type": "conformer",
        "d_hidden": 8,
        "d_ff": 8,
        "heads": 2,
        "macaron_style": True,
        "use_conv_mod": True,
        "conv_mod_kernel": 3,
    }
]
CASES.append(
    (
        "transducer_custom_encoder_lstm_decoder",
        "asr",
        {
            "model-module": TRANSDUCER,
            "etype": "custom",
            "enc-block-arch": CONFORMER_BLOCK,
            "enc-block-repeat": 2,
            "custom-enc-input-layer": "vgg2l",
            "dtype": "lstm",
            "dlayers": 1,
            "dunits": 5,
            "dec-embed-dim": 4,
            "joint-dim": 3,
        },
        83,
        11,
        ["encoder.", "dec.embed.", "transducer_tasks.joint_network."],
    )
)
CASES.append(
    (
        "transducer_custom_custom",
        "asr",
        {
            "model-module": TRANSDUCER,
            "etype": "custom",
            "enc-block-arch": CONFORMER_BLOCK,
            "enc-block-repeat": 1,
            "dtype": "custom",
            "dec-block-arch": [{"type": "transformer", "d_hidden": 8, "d_ff": 8, "heads": 2}],
            "joint-dim": 3,
        },
        83,
        11,
        ["encoder.", "decoder.", "transducer_tasks."],
    )
)
TACO = {
    "embed-dim": 6,
    "elayers": 1,
    "eunits": 8,
    "econv-layers": 2,
    "econv-chans": 6,
    "econv-filts": 3,
    "dlayers": 2,
    "dunits": 7,
    "prenet-layers": 2,
    "prenet-units": 5,
    "postnet-layers": 3,
    "postnet-chans": 4,
    "postnet-filts": 3,
    "adim": 4,
    "aconv-chans": 3,
    "aconv-filts": 2,
}
# The prenet's first layer and the postnet's first and last convolutions read the features (odim).
TACO_OUT = [
    "enc.embed.",
    "dec.prenet.prenet.0.",
    "dec.postnet.postnet.0.",
    "dec.postnet.postnet.2.",
    "dec.feat_out.",
    "dec.prob_out.",
]
CASES.append(("tacotron2_location", "tts", {**TACO, "atype": "location"}, 30, 12, TACO_OUT))
CASES.append(("tacotron2_forward_spk", "tts", {**TACO, "atype": "forward", "spk-embed-dim": 3}, 30, 12, TACO_OUT))
CASES.append(
    (
        "tacotron2_cbhg",
        "tts",
        {
            **TACO,
            "atype": "location",
            "use-cbhg": True,
            "spc-dim": 9,
            "cbhg-conv-bank-layers": 2,
            "cbhg-conv-bank-chans": 3,
            "cbhg-conv-proj-chans": 4,
            "cbhg-highway-layers": 1,
            "cbhg-highway-units": 5,
            "cbhg-gru-units": 6,
        },
        30,
        12,
        [*TACO_OUT, "cbhg.conv_bank.", "cbhg.projections.", "cbhg.highways.", "cbhg.output."],
    )
)
CASES.append(
    (
        "tacotron2_no_batch_norm",
        "tts",
        {**TACO, "use-batch-norm": False, "postnet-layers": 4, "prenet-layers": 3},
        30,
        12,
        [
            "enc.embed.",
            "dec.prenet.prenet.0.",
            "dec.postnet.postnet.0.",
            "dec.postnet.postnet.3.",
            "dec.feat_out.",
            "dec.prob_out.",
        ],
    )
)
CASES.append(("tacotron2_forward_ta", "tts", {**TACO, "atype": "forward_ta"}, 30, 12, [*TACO_OUT, "dec.att.mlp_ta."]))
CASES.append(
    (
        "vc_tacotron2",
        "vc",
        {"model-module": PT + "e2e_vc_tacotron2:Tacotron2", **TACO, "atype": "location"},
        12,
        12,
        [*TACO_OUT, "src_reconstructor_linear.", "trg_reconstructor_linear."],
    )
)
CASES.append(
    (
        "lm_default",
        "lm",
        {"layer": 2, "unit": 8, "embed-unit": 5, "batchsize": 4},
        0,
        20,
        ["model.predictor.embed.", "model.predictor.lo."],
    )
)
CASES.append(
    (
        "lm_seq_rnn",
        "lm",
        {"model-module": "seq_rnn", "type": "gru", "layer": 2, "unit": 8, "batchsize": 4},
        0,
        20,
        ["encoder.", "decoder."],
    )
)

DEFAULT_MODULE = {
    "asr": PT + "e2e_asr:E2E",
    "mt": PT + "e2e_mt:E2E",
    "st": PT + "e2e_st:E2E",
    "tts": PT + "e2e_tts_tacotron2:Tacotron2",
    "vc": PT + "e2e_tts_tacotron2:Tacotron2",
    "lm": "default",
}


def build(trainer: str, config: dict[str, Any], idim: int, odim: int) -> torch.nn.Module:
    """The model exactly as ``<trainer>_train.py`` builds it from ``--config``."""
    from espnet.utils.dynamic_import import dynamic_import

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        yaml.safe_dump(config, handle)
    cmd = ["--config", handle.name]
    if trainer in ("tts", "vc"):  # their get_parser has no required=False
        cmd += ["--outdir", "unused", "--train-json", "unused", "--valid-json", "unused"]
    else:  # the recipes' run.sh passes --backend pytorch (the trainers' own default is chainer)
        cmd += ["--backend", "pytorch"]
    bin_module = importlib.import_module(f"espnet.bin.{trainer}_train")
    parser = bin_module.get_parser() if trainer in ("tts", "vc") else bin_module.get_parser(required=False)
    args, _ = parser.parse_known_args(cmd)
    if trainer == "lm":
        from espnet.nets.lm_interface import dynamic_import_lm

        model_class = dynamic_import_lm(args.model_module, args.backend)
    else:
        module = getattr(args, "model_module", None)
        if trainer == "asr" and module is None:  # asr_train.py main
            module = PT + ("e2e_asr:E2E" if args.num_spkrs == 1 else "e2e_asr_mix:E2E")
        model_class = dynamic_import(module or DEFAULT_MODULE[trainer])
    model_class.add_arguments(parser)
    if trainer in ("tts", "vc"):
        args, _ = parser.parse_known_args(cmd)
    else:
        args = parser.parse_args(cmd)
    args.char_list = [f"t{i}" for i in range(odim)]
    args.model_module = getattr(args, "model_module", None)
    if trainer == "lm":
        return model_class(odim, args)
    if trainer in ("tts", "vc"):
        return model_class(idim, odim, args)
    if getattr(args, "num_encs", 1) > 1:
        return model_class([idim] * args.num_encs, odim, args)
    return model_class(idim, odim, args)


RECURRENT = (torch.nn.LSTM, torch.nn.GRU, torch.nn.RNN, torch.nn.LSTMCell, torch.nn.GRUCell, torch.nn.RNNCell)


def measure(model: torch.nn.Module, omitted: list[str]) -> dict[str, Any]:
    params = dict(model.named_parameters())  # shared modules (dec.att is att) counted once
    total = sum(p.numel() for p in params.values())
    left_out = sum(p.numel() for name, p in params.items() if any(name.startswith(prefix) for prefix in omitted))
    names = {id(p): name for name, p in params.items()}
    seen: set[int] = set()
    recurrent = recurrent_omitted = 0
    for module in model.modules():
        if isinstance(module, RECURRENT):
            for p in module.parameters():
                if id(p) not in seen:
                    seen.add(id(p))
                    if any(names[id(p)].startswith(prefix) for prefix in omitted):
                        recurrent_omitted += p.numel()
                    else:
                        recurrent += p.numel()
    unmatched = [prefix for prefix in omitted if not any(name.startswith(prefix) for name in params)]
    if unmatched:
        raise SystemExit(f"omitted prefixes match no parameter: {unmatched}; names: {sorted(params)}")
    return {
        "total": total,
        "omitted": left_out,
        "counted": total - left_out,
        "recurrent": recurrent,
        "recurrent_omitted": recurrent_omitted,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", help="build one case and print its parameter names")
    options = parser.parse_args()
    sys.meta_path.insert(0, _StubFinder())
    import espnet
    import librosa  # the stand-in: LogMel keeps librosa's mel matrix as a buffer, not a parameter
    import numpy

    librosa.filters = types.SimpleNamespace(
        mel=lambda sr, n_fft, n_mels, **kwargs: numpy.zeros((n_mels, 1 + n_fft // 2), dtype=numpy.float32)
    )

    torch.manual_seed(0)
    cases = []
    for name, trainer, config, idim, odim, omitted in CASES:
        if options.only and name != options.only:
            continue
        model = build(trainer, config, idim, odim)
        if options.only:
            for pname, p in model.named_parameters():
                print(pname, tuple(p.shape))
        figures = measure(model, omitted)
        cases.append(
            {
                "name": name,
                "trainer": f"espnet/bin/{trainer}_train.py",
                "config": config,
                "idim": idim,
                "odim": odim,
                "omitted_prefixes": omitted,
                **figures,
            }
        )
        print(f"{name}: {figures}")
    if options.only:
        return
    payload = {
        "source": f"espnet {espnet.__version__} model classes built from each config by their trainer's parser; "
        f"torch {torch.__version__}",
        "cases": cases,
    }
    options.out.write_text(json.dumps(payload, indent=1) + "\n")


if __name__ == "__main__":
    main()
