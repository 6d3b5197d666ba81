"""Golden fixtures for the ``espnet2`` dialect, built with the real ESPnet2 (``pip install espnet``, 202511).

Each case is a small ESPnet2 config; the generator builds the model part with ESPnet's own classes and
records ``sum(p.numel())`` for each part rnnlint reports, under rnnlint's layer name:

- enhancement: ``espnet2.tasks.enh`` ``encoder_choices`` / ``separator_choices`` / ``decoder_choices``
  (``separator(encoder.output_dim, **separator_conf)``, as ``EnhancementTask.build_model``), plus
  ``total``, the whole encoder + separator + decoder;
- TTS: ``espnet2.tts.tacotron2.Tacotron2`` (``use_gst``: ``espnet2/tts/gst/style_encoder.py``);
- SVS: ``espnet2.svs.naive_rnn.naive_rnn.NaiveRNN`` and ``naive_rnn_dp.NaiveRNNDP``;
- transducers: ``espnet2.asr.decoder.transducer_decoder.TransducerDecoder`` /
  ``espnet2.asr_transducer.decoder.rnn_decoder.RNNDecoder`` with
  ``espnet2.asr_transducer.joint_network.JointNetwork`` (as ``ASRTask`` / ``ASRTransducerTask`` build them).

The model classes are imported directly; ``librosa`` and ``torchaudio`` are only used at run time by the
modules imported here, so small stand-ins satisfy their imports.

Run (torch==2.13.0 and espnet==202511 installed with --no-deps plus torch-complex, typeguard, packaging, six;
never the dev virtualenv)::

    PYTHONPATH=/tmp/tk-espnet/site /tmp/torchvenv/bin/python tools/gen_espnet2_fixtures.py \
        --out tests/fixtures/espnet2_cases.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import types
import warnings
from pathlib import Path
from typing import Any

for _name in ("librosa", "torchaudio"):
    sys.modules.setdefault(_name, types.ModuleType(_name))

import torch  # noqa: E402
from espnet2.asr.decoder.rnn_decoder import RNNDecoder as AttentionRNNDecoder  # noqa: E402
from espnet2.asr.decoder.transducer_decoder import TransducerDecoder  # noqa: E402
from espnet2.asr_transducer.decoder.rnn_decoder import RNNDecoder  # noqa: E402
from espnet2.asr_transducer.joint_network import JointNetwork  # noqa: E402
from espnet2.enh.decoder.conv_decoder import ConvDecoder  # noqa: E402
from espnet2.enh.decoder.stft_decoder import STFTDecoder  # noqa: E402
from espnet2.enh.encoder.conv_encoder import ConvEncoder  # noqa: E402
from espnet2.enh.encoder.stft_encoder import STFTEncoder  # noqa: E402
from espnet2.enh.separator.bsrnn_separator import BSRNNSeparator  # noqa: E402
from espnet2.enh.separator.dan_separator import DANSeparator  # noqa: E402
from espnet2.enh.separator.dc_crn_separator import DC_CRNSeparator  # noqa: E402
from espnet2.enh.separator.dpcl_e2e_separator import DPCLE2ESeparator  # noqa: E402
from espnet2.enh.separator.dpcl_separator import DPCLSeparator  # noqa: E402
from espnet2.enh.separator.dprnn_separator import DPRNNSeparator  # noqa: E402
from espnet2.enh.separator.fasnet_separator import FaSNetSeparator  # noqa: E402
from espnet2.enh.separator.neural_beamformer import NeuralBeamformer  # noqa: E402
from espnet2.enh.separator.rnn_separator import RNNSeparator  # noqa: E402
from espnet2.enh.separator.skim_separator import SkiMSeparator  # noqa: E402
from espnet2.enh.separator.tfgridnet_separator import TFGridNet  # noqa: E402
from espnet2.enh.separator.tfgridnetv2_separator import TFGridNetV2  # noqa: E402
from espnet2.enh.separator.tfgridnetv3_separator import TFGridNetV3  # noqa: E402
from espnet2.svs.naive_rnn.naive_rnn import NaiveRNN  # noqa: E402
from espnet2.svs.naive_rnn.naive_rnn_dp import NaiveRNNDP  # noqa: E402
from espnet2.svs.singing_tacotron.singing_tacotron import singing_tacotron  # noqa: E402
from espnet2.tts.tacotron2.tacotron2 import Tacotron2  # noqa: E402
from torch import nn  # noqa: E402

SEPARATORS: dict[str, type[nn.Module]] = {
    "rnn": RNNSeparator,
    "dan": DANSeparator,
    "dpcl": DPCLSeparator,
    "dpcl_e2e": DPCLE2ESeparator,
    "dprnn": DPRNNSeparator,
    "skim": SkiMSeparator,
    "tfgridnet": TFGridNet,
    "tfgridnetv2": TFGridNetV2,
    "tfgridnetv3": TFGridNetV3,
    "bsrnn": BSRNNSeparator,
    "dc_crn": DC_CRNSeparator,
    "fasnet": FaSNetSeparator,
    "wpe_beamformer": NeuralBeamformer,
}


def mask_estimator(label: str, est: Any) -> dict[str, int]:
    """enh/layers/mask_estimator.py MaskEstimator: ESPnet1's RNNP or RNN, then the mask Linears."""
    brnn = est.brnn
    if hasattr(brnn, "nbrnn"):
        parts = {
            f"{label} mask estimator": n(brnn.nbrnn),
            f"{label} mask estimator output projection (l_last)": n(brnn.l_last),
        }
    else:
        layers = brnn.elayers
        rnns = [m for name, m in brnn.named_children() if name.startswith(("birnn", "rnn"))]
        bts = [getattr(brnn, f"bt{i}") for i in range(layers)]
        proj = (
            f"{label} mask estimator projections (bt0-bt{layers - 1})"
            if layers > 1
            else f"{label} mask estimator projection (bt0)"
        )
        parts = {f"{label} mask estimator": n(*rnns), proj: n(*bts)}
    parts[f"{label} mask linears"] = n(est.linears)
    return parts


def n(*modules: Any) -> int:
    total = 0
    for m in modules:
        if isinstance(m, nn.Parameter):
            total += m.numel()
        elif m is not None:
            total += sum(p.numel() for p in m.parameters())
    return total


def single(rnns: Any) -> tuple[int, int]:
    """dprnn.SingleRNN modules: (their RNNs, their projections)."""
    return n(*(r.rnn for r in rnns)), n(*(r.proj for r in rnns))


def separator_parts(name: str, sep: Any) -> dict[str, int]:
    if name in ("rnn", "dan", "dpcl", "dpcl_e2e"):
        rnn = sep.rnn if name == "rnn" else sep.blstm
        label = "rnn" if name == "rnn" else "blstm"
        parts = {label: n(rnn.nbrnn), f"{label} projection (l_last)": n(rnn.l_last), "linear": n(sep.linear)}
        if name == "dpcl_e2e":
            parts |= {
                "enh_blstm": n(sep.enh_blstm.nbrnn),
                "enh_blstm projection (l_last)": n(sep.enh_blstm.l_last),
                "enh_linear": n(sep.enh_linear),
            }
        return parts
    if name == "dprnn":
        d = sep.dprnn
        rows, row_proj = single(d.row_rnn)
        cols, col_proj = single(d.col_rnn)
        return {
            "dprnn.row_rnn": rows,
            "dprnn.row_rnn projections": row_proj,
            "dprnn.col_rnn": cols,
            "dprnn.col_rnn projections": col_proj,
            "dprnn norms": n(d.row_norm, d.col_norm),
            "dprnn.output": n(d.output),
        }
    if name == "skim":
        s = sep.skim
        parts = {
            "skim.seg_lstms": n(*(x.lstm for x in s.seg_lstms)),
            "skim.seg_lstms projections": n(*(x.proj for x in s.seg_lstms)),
            "skim.seg_lstms norms": n(*(x.norm for x in s.seg_lstms)),
        }
        mems = [
            net
            for m in getattr(s, "mem_lstms", [])
            for net in (getattr(m, "h_net", None), getattr(m, "c_net", None))
            if net
        ]
        norms = [
            x
            for m in getattr(s, "mem_lstms", [])
            for x in (getattr(m, "h_norm", None), getattr(m, "c_norm", None))
            if x
        ]
        if mems:
            rnns, projs = single(mems)
            parts |= {"skim.mem_lstms": rnns, "skim.mem_lstms projections": projs, "skim.mem_lstms norms": n(*norms)}
        parts["skim.output_fc"] = n(s.output_fc)
        return parts
    if name == "tfgridnet":
        rnn = n(*(m for b in sep.blocks for m in (b.intra_rnn, b.inter_rnn)))
        return {
            "tfgridnet blocks intra_rnn/inter_rnn": rnn,
            "tfgridnet blocks (norms, linears, attention)": n(sep.blocks) - rnn,
            "tfgridnet conv/deconv": n(sep.conv, sep.deconv),
        }
    if name in ("tfgridnetv2", "tfgridnetv3"):
        rnn = n(*(m for b in sep.blocks for m in (b.intra_rnn, b.inter_rnn)))
        return {f"{name} blocks intra_rnn/inter_rnn": rnn, f"{name} conv/deconv": n(sep.conv, sep.deconv)}
    if name == "bsrnn":
        b = sep.bsrnn
        return {
            "bsrnn.rnn_time": n(b.rnn_time),
            "bsrnn.rnn_freq": n(b.rnn_freq),
            "bsrnn.fc_time/fc_freq": n(b.fc_time, b.fc_freq),
            "bsrnn norms": n(b.norm_time, b.norm_freq),
        }
    if name == "dc_crn":
        g = sep.dc_crn.glstm
        return {
            "dc_crn.glstm": n(g.lstm_list),
            "dc_crn.glstm norms": n(g.ln),
            "dc_crn.fc_real/fc_imag": n(sep.dc_crn.fc_real, sep.dc_crn.fc_imag),
        }
    if name == "fasnet":
        f = sep.fasnet
        bf = f.all_BF if hasattr(f, "all_BF") else f.separator
        rows, row_proj = single(list(bf.dprnn_model.row_rnn) + list(bf.dprnn_model.col_rnn))
        parts = {"fasnet DPRNN-TAC row/col rnn": rows, "fasnet DPRNN-TAC rnn projections": row_proj}
        if hasattr(f, "summ_RNN"):
            ctx, ctx_proj = single([f.summ_RNN, f.gen_RNN])
            parts |= {"fasnet summ_RNN/gen_RNN": ctx, "fasnet summ_RNN/gen_RNN projections": ctx_proj}
        return parts
    if name == "wpe_beamformer":
        parts = {}
        if sep.wpe is not None and getattr(sep.wpe, "use_dnn_mask", False):
            parts |= mask_estimator("wpe", sep.wpe.mask_est)
        if sep.beamformer is not None:
            parts |= mask_estimator("beamformer", sep.beamformer.mask)
            if sep.beamformer.ref is not None:
                parts["beamformer reference attention"] = n(sep.beamformer.ref)
        return parts
    raise ValueError(name)


def enh_case(rng: random.Random, name: str) -> dict[str, Any]:
    size = lambda: rng.choice([4, 6, 8, 16])  # noqa: E731
    conf: dict[str, Any] = {}
    encoder: dict[str, Any]
    if name in ("dprnn", "skim") and rng.random() < 0.6:
        ch = size()
        encoder = {
            "encoder": "conv",
            "encoder_conf": {"channel": ch, "kernel_size": 2, "stride": 1},
            "decoder": "conv",
            "decoder_conf": {"channel": ch, "kernel_size": 2, "stride": 1},
        }
    else:
        n_fft = rng.choice([16, 32, 64])
        encoder = {
            "encoder": "stft",
            "encoder_conf": {"n_fft": n_fft, "hop_length": n_fft // 2},
            "decoder": "stft",
            "decoder_conf": {"n_fft": n_fft, "hop_length": n_fft // 2},
        }
    if name in ("rnn", "dan", "dpcl", "dpcl_e2e"):
        conf = {
            "rnn_type": rng.choice(["blstm", "lstm", "bgru", "gru"]),
            "num_spk": rng.choice([1, 2, 3]),
            "layer": rng.choice([1, 2, 3]),
            "unit": size(),
            "dropout": rng.choice([0.0, 0.1]),
        }
        if name in ("dan", "dpcl", "dpcl_e2e"):
            conf["emb_D"] = rng.choice([2, 5])
    elif name == "dprnn":
        conf = {
            "rnn_type": rng.choice(["lstm", "gru", "rnn"]),
            "bidirectional": rng.random() < 0.5,
            "num_spk": rng.choice([1, 2]),
            "layer": rng.choice([1, 2, 3]),
            "unit": size(),
            "segment_size": 10,
        }
    elif name == "skim":
        conf = {
            "causal": rng.random() < 0.5,
            "num_spk": rng.choice([1, 2]),
            "layer": rng.choice([1, 2, 3]),
            "unit": size(),
            "segment_size": 10,
            "mem_type": rng.choice(["hc", "h", "c", "id", None]),
        }
    elif name == "tfgridnet":
        heads = rng.choice([1, 2])
        conf = {
            "n_srcs": rng.choice([1, 2]),
            "n_fft": rng.choice([16, 32]),
            "stride": 8,
            "n_imics": rng.choice([1, 2]),
            "n_layers": rng.choice([1, 2]),
            "lstm_hidden_units": size(),
            "attn_n_head": heads,
            "attn_approx_qk_dim": rng.choice([16, 64]),
            "emb_dim": 4 * heads,
            "emb_ks": rng.choice([1, 2]),
            "emb_hs": 1,
            "activation": rng.choice(["prelu", "relu"]),
        }
    elif name in ("tfgridnetv2", "tfgridnetv3"):
        heads = rng.choice([1, 2])
        conf = {
            "n_srcs": rng.choice([1, 2]),
            "n_imics": rng.choice([1, 2]),
            "n_layers": rng.choice([1, 2]),
            "lstm_hidden_units": size(),
            "attn_n_head": heads,
            "emb_dim": 4 * heads,
            "emb_ks": rng.choice([1, 2]),
            "emb_hs": 1,
            "activation": "prelu",
        }
        if name == "tfgridnetv2":
            conf |= {"n_fft": rng.choice([16, 32]), "stride": 8, "attn_approx_qk_dim": rng.choice([16, 64])}
        else:
            conf |= {"attn_qk_output_channel": 2, "n_imics": 1}  # TFGridNetV3 asserts one microphone
    elif name == "bsrnn":
        encoder = {
            "encoder": "stft",
            "encoder_conf": {"n_fft": 960, "hop_length": 480},
            "decoder": "stft",
            "decoder_conf": {"n_fft": 960, "hop_length": 480},
        }
        causal = rng.random() < 0.4
        conf = {
            "num_spk": 1,
            "num_channels": size(),
            "num_layers": rng.choice([1, 2]),
            "causal": causal,
            "norm_type": rng.choice(["cLN", "cfLN"]) if causal else rng.choice(["GN", "BN", "cLN"]),
        }
    elif name == "dc_crn":
        bi = rng.random() < 0.5
        conf = {
            "num_spk": 1,
            "input_channels": [2, 4, 8],
            "enc_hid_channels": 2,
            "enc_layers": 2,
            "glstm_groups": 2,
            "glstm_layers": rng.choice([1, 2]),
            "glstm_bidirectional": bi,
            "mode": "masking",
        }
        encoder = {
            "encoder": "stft",
            "encoder_conf": {"n_fft": 64, "hop_length": 32},
            "decoder": "stft",
            "decoder_conf": {"n_fft": 64, "hop_length": 32},
        }
    elif name == "fasnet":
        conf = {
            "enc_dim": size(),
            "feature_dim": size(),
            "hidden_dim": size(),
            "layer": rng.choice([1, 2]),
            "segment_size": 10,
            "num_spk": 1,
            "win_len": 4,
            "context_len": 4,
            "sr": 8000,
            "fasnet_type": rng.choice(["fasnet", "ifasnet"]),
        }
        encoder = {"encoder": "same", "decoder": "same"}
    elif name == "wpe_beamformer":
        use_wpe, use_bf = rng.random() < 0.6, rng.random() < 0.8
        conf = {
            "num_spk": rng.choice([1, 2]),
            "use_wpe": use_wpe,
            "wnet_type": rng.choice(["blstmp", "lstm", "bgru", "gru"]),
            "wlayers": rng.choice([1, 2]),
            "wunits": size(),
            "wprojs": size(),
            "multi_source_wpe": rng.random() < 0.5,
            "use_beamformer": use_bf or not use_wpe,
            "bnet_type": rng.choice(["blstmp", "blstm", "lstmp"]),
            "blayers": rng.choice([1, 2, 3]),
            "bunits": size(),
            "bprojs": size(),
            "badim": size(),
            "ref_channel": rng.choice([-1, 0]),
            "use_noise_mask": rng.random() < 0.5,
            "loss_type": "mask_mse",
        }
    config = {**encoder, "separator": name, "separator_conf": conf, "optim": "adam", "max_epoch": 1}
    enc_conf = config.get("encoder_conf", {})
    enc = (
        ConvEncoder(**enc_conf)
        if config["encoder"] == "conv"
        else (STFTEncoder(**enc_conf) if config["encoder"] == "stft" else None)
    )
    dec = (
        ConvDecoder(**config["decoder_conf"])
        if config["decoder"] == "conv"
        else (STFTDecoder(**config["decoder_conf"]) if config["decoder"] == "stft" else None)
    )
    input_dim = enc.output_dim if enc is not None else 1
    sep = SEPARATORS[name](input_dim, **conf)
    params = {f"separator.{k}": v for k, v in separator_parts(name, sep).items()}
    if config["encoder"] == "conv":
        params = {"encoder (conv)": n(enc), "decoder (conv)": n(dec), **params}
    return {"config": config, "params": params, "total": n(enc, sep, dec)}


def tts_case(rng: random.Random) -> dict[str, Any]:
    conf: dict[str, Any] = {
        "embed_dim": 8,
        "elayers": 1,
        "eunits": rng.choice([8, 12, 16]),
        "econv_layers": rng.choice([1, 2]),
        "econv_chans": 8,
        "econv_filts": 3,
        "dlayers": rng.choice([1, 2]),
        "dunits": 10,
        "prenet_layers": 2,
        "prenet_units": 6,
        "postnet_layers": 1,
        "postnet_chans": 4,
        "adim": 8,
        "use_gst": True,
        "gst_tokens": rng.choice([3, 10]),
        "gst_heads": rng.choice([1, 2, 4]),
        "gst_conv_layers": rng.choice([2, 3]),
        "gst_conv_chans_list": [4, 4, 8],
        "gst_conv_kernel_size": 3,
        "gst_conv_stride": 2,
        "gst_gru_layers": rng.choice([1, 2]),
        "gst_gru_units": rng.choice([6, 8]),
    }
    conf["gst_conv_chans_list"] = [4, 4, 8][: conf["gst_conv_layers"]]
    n_mels = rng.choice([20, 40, 80])
    model = Tacotron2(idim=10, odim=n_mels, **conf)
    g = model.gst
    params = {
        "encoder convolutions": n(model.enc.convs),
        "encoder": n(model.enc.blstm),
        "decoder": n(model.dec.lstm),
        "gst reference encoder convolutions": n(g.ref_enc.convs),
        "gst reference encoder gru": n(g.ref_enc.gru),
        "gst style token embeddings": n(g.stl.gst_embs),
        "gst style token attention (q, k, v, out)": n(g.stl.mha),
    }
    config = {
        "tts": "tacotron2",
        "tts_conf": conf,
        "feats_extract": "fbank",
        "feats_extract_conf": {"n_mels": n_mels},
        "optim": "adam",
        "max_epoch": 1,
    }
    return {"config": config, "params": params, "total": n(model)}


def svs_case(rng: random.Random, name: str) -> dict[str, Any]:
    conf: dict[str, Any] = {
        "midi_dim": 129,
        "embed_dim": 8,
        "eprenet_conv_layers": 1,
        "eprenet_conv_chans": 4,
        "eprenet_conv_filts": 3,
        "elayers": rng.choice([1, 2]),
        "eunits": rng.choice([4, 6]),
        "ebidirectional": rng.random() < 0.6,
        "midi_embed_integration_type": rng.choice(["add", "cat"]),
        "dlayers": rng.choice([1, 2]),
        "dbidirectional": rng.random() < 0.6,
        "postnet_layers": 1,
        "postnet_chans": 4,
        "postnet_filts": 3,
    }
    if name == "naive_rnn_dp":
        conf["dunits"] = rng.choice([4, 10])
        conf["duration_predictor_layers"] = 1
        conf["duration_predictor_chans"] = 4
    cls = NaiveRNNDP if name == "naive_rnn_dp" else NaiveRNN
    model = cls(idim=10, odim=8, **conf)
    names = ["encoder", "midi_encoder"] + (["duration_encoder"] if name == "naive_rnn_dp" else [])
    params = {k: n(getattr(model, k)) for k in names}
    params |= {"midi_projection": n(model.midi_projection), "decoder": n(model.decoder)}
    return {
        "config": {"svs": name, "svs_conf": conf, "optim": "adam", "max_epoch": 1},
        "params": params,
        "total": n(model),
    }


def singing_tacotron_case(rng: random.Random) -> dict[str, Any]:
    conf: dict[str, Any] = {
        "embed_dim": 8,
        "elayers": rng.choice([1, 2]),
        "eunits": rng.choice([4, 6]),
        "econv_layers": rng.choice([0, 1]),
        "econv_chans": 4,
        "econv_filts": 3,
        "dlayers": rng.choice([1, 2]),
        "dunits": rng.choice([5, 7]),
        "prenet_layers": 2,
        "prenet_units": rng.choice([3, 4]),
        "postnet_layers": 1,
        "postnet_chans": 4,
        "adim": 4,
        "aconv_chans": 2,
        "aconv_filts": 3,
    }
    model = singing_tacotron(idim=10, odim=8, **conf)
    params = {"enc.blstm": n(model.enc.blstm), "dur_enc.blstm": n(model.dur_enc.blstm), "dec.lstm": n(model.dec.lstm)}
    return {
        "config": {"svs": "singing_tacotron", "svs_conf": conf, "optim": "adam", "max_epoch": 1},
        "params": params,
        "total": n(model),
    }


def attention_decoder_case(rng: random.Random) -> dict[str, Any]:
    """espnet2/asr/decoder/rnn_decoder.py RNNDecoder after a conformer encoder of output_size eprojs."""
    eprojs = rng.choice([6, 8])
    att: dict[str, Any] = {
        "atype": rng.choice(["location", "dot", "add", "noatt"]),
        "adim": rng.choice([3, 5]),
        "aconv_chans": rng.choice([2, 4]),
        "aconv_filts": rng.choice([3, 5]),
    }
    if rng.random() < 0.3:
        att["num_att"] = 2
    dec_conf = {
        "rnn_type": rng.choice(["lstm", "gru"]),
        "num_layers": rng.choice([1, 2]),
        "hidden_size": rng.choice([4, 6]),
        "att_conf": att,
    }
    decoder = AttentionRNNDecoder(7, eprojs, **dec_conf)
    params = {"decoder": n(decoder.decoder)}
    if att["atype"] != "noatt":
        params["decoder attention"] = n(decoder.att_list)
    config = {
        "encoder": "conformer",
        "encoder_conf": {"output_size": eprojs},
        "decoder": "rnn",
        "decoder_conf": dec_conf,
        "optim": "adam",
        "max_epoch": 1,
    }
    return {"config": config, "params": params}


def transducer_case(rng: random.Random, task: str) -> dict[str, Any]:
    vocab = 7
    joint_conf: dict[str, Any] = {"joint_space_size": rng.choice([4, 6, 9])}
    if rng.random() < 0.4:
        joint_conf["lin_dec_bias"] = False
    if task == "asr":
        out = rng.choice([8, 12])
        dec_conf = {
            "rnn_type": rng.choice(["lstm", "gru"]),
            "num_layers": rng.choice([1, 2]),
            "hidden_size": rng.choice([5, 6]),
        }
        decoder = TransducerDecoder(vocab, embed_pad=0, **dec_conf)
        joint = JointNetwork(vocab, out, decoder.dunits, **joint_conf)
        config = {
            "encoder": "conformer",
            "encoder_conf": {"output_size": out},
            "decoder": "transducer",
            "decoder_conf": dec_conf,
            "joint_net_conf": joint_conf,
            "optim": "adam",
            "max_epoch": 1,
        }
        rnn = decoder.decoder
    else:
        hidden = rng.choice([4, 6])
        dec_conf = {
            "embed_size": rng.choice([3, 5]),
            "hidden_size": hidden,
            "rnn_type": rng.choice(["lstm", "gru"]),
            "num_layers": rng.choice([1, 2]),
        }
        decoder = RNNDecoder(vocab, **dec_conf)
        joint = JointNetwork(vocab, 2, decoder.output_size, **joint_conf)
        config = {
            "encoder_conf": {
                "body_conf": [
                    {
                        "block_type": "conformer",
                        "hidden_size": 2,
                        "linear_size": 4,
                        "heads": 2,
                        "conv_mod_kernel_size": 3,
                    }
                ]
            },
            "decoder_conf": dec_conf,
            "joint_network_conf": joint_conf,
            "batch_type": "unsorted",
            "max_epoch": 1,
        }
        rnn = decoder.rnn
    params = {"decoder": n(rnn), "joint network lin_enc": n(joint.lin_enc), "joint network lin_dec": n(joint.lin_dec)}
    return {"config": config, "params": params}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=6)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rng = random.Random(args.seed)
    cases: list[dict[str, Any]] = []
    for _ in range(args.per_kind):
        for name in SEPARATORS:
            cases.append({"kind": f"enh/{name}", **enh_case(rng, name)})
        cases.append({"kind": "tts/tacotron2+gst", **tts_case(rng)})
        for name in ("naive_rnn", "naive_rnn_dp"):
            cases.append({"kind": f"svs/{name}", **svs_case(rng, name)})
        cases.append({"kind": "svs/singing_tacotron", **singing_tacotron_case(rng)})
        cases.append({"kind": "asr/rnn_decoder_attention", **attention_decoder_case(rng)})
        for task in ("asr", "asr_transducer"):
            cases.append({"kind": f"transducer/{task}", **transducer_case(rng, task)})
    for index, case in enumerate(cases):
        case["name"] = f"case{index:03d}"
    import espnet

    meta = {"torch": torch.__version__, "espnet": espnet.__version__}
    args.out.write_text(json.dumps({"meta": meta, "cases": cases}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
