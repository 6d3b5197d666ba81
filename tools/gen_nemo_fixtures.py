"""Golden fixtures for the ``nemo`` dialect, built with torch modules that mirror NeMo's constructors.

NeMo itself is not installed (it pulls Lightning, Hydra and a training stack); each case builds what these
constructors build, at NVIDIA/NeMo 8cfedd7203462cb251a914e700e5605444277561, with torch.nn modules of the
same shapes (``ConvNorm`` is a biased ``Conv1d``, ``LinearNorm`` a ``Linear``, submodules.py):

- ``nemo/collections/tts/modules/tacotron2.py`` ``Encoder.__init__``, ``Decoder.__init__`` (with
  ``submodules.py`` ``Prenet``, ``Attention``, ``LocationLayer``) and ``Postnet.__init__``;
- ``nemo/collections/asr/modules/msdd_diarizer.py`` ``MSDD_module.__init__`` and ``ConvLayer``;
- ``nemo/collections/asr/modules/rnnt.py`` ``RNNTJoint._joint_net_modules`` (``pred``, ``enc``);
- ``nemo/collections/asr/modules/hybrid_autoregressive_transducer.py`` ``HATJoint._joint_hat_net_modules``;
- ``nemo/collections/audio/modules/masking.py`` ``MaskEstimatorRNN.__init__`` (``features.py``
  ``SpectrogramToMultichannelFeatures`` sizes its input);
- ``nemo/collections/tts/modules/submodules.py`` ``ReferenceEncoder`` / ``Conv2DReLUNorm``;
- ``nemo/collections/tts/modules/radtts.py`` ``RadTTSModule.__init__`` LSTMs, ``common.py`` ``BiLSTM``
  (spectral norm on ``weight_hh_l0``, applied here too) and ``ConvLSTMLinear``.

Run (torch==2.13.0; never the dev virtualenv)::

    /tmp/torchvenv/bin/python tools/gen_nemo_fixtures.py --out tests/fixtures/nemo_cases.json
"""

from __future__ import annotations

import argparse
import json
import random
import warnings
from pathlib import Path
from typing import Any

import torch
from torch import nn

P = "nemo.collections.tts.modules.tacotron2."


def n(*modules: nn.Module) -> int:
    return sum(p.numel() for m in modules for p in m.parameters())


def conv_norm(cin: int, cout: int, k: int, bias: bool = True) -> nn.Module:
    return nn.Conv1d(cin, cout, k, padding=(k - 1) // 2, bias=bias)


def bilstm(i: int, h: int) -> nn.LSTM:
    """common.py BiLSTM: nn.LSTM(i, h, bidirectional) with spectral norm on the recurrent weights."""
    lstm = nn.LSTM(i, h, 1, batch_first=True, bidirectional=True)
    nn.utils.spectral_norm(lstm, "weight_hh_l0")
    nn.utils.spectral_norm(lstm, "weight_hh_l0_reverse")
    return lstm


def tacotron2_case(rng: random.Random) -> dict[str, Any]:
    e, k, convs = rng.choice([8, 12, 16]), rng.choice([3, 5]), rng.choice([1, 3])
    mels, prenet, att_rnn, dec_rnn = rng.choice([4, 10]), rng.choice([4, 6]), rng.choice([6, 10]), rng.choice([8, 12])
    adim, filters, akernel = rng.choice([4, 8]), rng.choice([2, 4]), rng.choice([3, 7])
    pchans, pk, pconvs = rng.choice([4, 8]), 5, rng.choice([2, 3, 5])
    enc_convs = [nn.Sequential(conv_norm(e, e, k), nn.BatchNorm1d(e)) for _ in range(convs)]
    enc_lstm = nn.LSTM(e, e // 2, 1, batch_first=True, bidirectional=True)
    prenet_layers = [nn.Linear(mels, prenet, bias=False), nn.Linear(prenet, prenet, bias=False)]
    attention = [
        nn.Linear(att_rnn, adim, bias=False),
        nn.Linear(e, adim, bias=False),
        nn.Linear(adim, 1, bias=False),
        nn.Conv1d(2, filters, akernel, padding=(akernel - 1) // 2, bias=False),
        nn.Linear(filters, adim, bias=False),
    ]
    heads = [nn.Linear(dec_rnn + e, mels), nn.Linear(dec_rnn + e, 1)]
    post = [nn.Sequential(conv_norm(mels, pchans, pk), nn.BatchNorm1d(pchans))]
    post += [nn.Sequential(conv_norm(pchans, pchans, pk), nn.BatchNorm1d(pchans)) for _ in range(1, pconvs - 1)]
    post += [nn.Sequential(conv_norm(pchans, mels, pk), nn.BatchNorm1d(mels))]
    config = {
        "model": {
            "n_mel_channels": mels,
            "encoder": {
                "_target_": P + "Encoder",
                "encoder_kernel_size": k,
                "encoder_n_convolutions": convs,
                "encoder_embedding_dim": e,
            },
            "decoder": {
                "_target_": P + "Decoder",
                "decoder_rnn_dim": dec_rnn,
                "encoder_embedding_dim": "${model.encoder.encoder_embedding_dim}",
                "gate_threshold": 0.5,
                "max_decoder_steps": 1000,
                "n_frames_per_step": 1,
                "n_mel_channels": "${model.n_mel_channels}",
                "p_attention_dropout": 0.1,
                "p_decoder_dropout": 0.1,
                "prenet_dim": prenet,
                "prenet_p_dropout": 0.5,
                "attention_dim": adim,
                "attention_rnn_dim": att_rnn,
                "attention_location_kernel_size": akernel,
                "attention_location_n_filters": filters,
                "early_stopping": True,
            },
            "postnet": {
                "_target_": P + "Postnet",
                "n_mel_channels": "${model.n_mel_channels}",
                "p_dropout": 0.5,
                "postnet_embedding_dim": pchans,
                "postnet_kernel_size": pk,
                "postnet_n_convolutions": pconvs,
            },
        }
    }
    params = {
        "model.encoder.convolutions": n(*enc_convs),
        "model.encoder.lstm": n(enc_lstm),
        "model.decoder.attention_rnn": n(nn.LSTMCell(prenet + e, att_rnn)),
        "model.decoder.decoder_rnn": n(nn.LSTMCell(att_rnn + e, dec_rnn)),
        "model.decoder.prenet": n(*prenet_layers),
        "model.decoder.linear_projection/gate_layer": n(*heads),
        "model.decoder.attention_layer": n(*attention),
        "model.postnet.convolutions": n(*post),
    }
    return {"config": config, "params": params}


def msdd_case(rng: random.Random) -> dict[str, Any]:
    spks, hidden, layers = rng.choice([2, 3]), rng.choice([4, 8]), rng.choice([1, 2, 3])
    chans, emb, scales, repeat = rng.choice([2, 4]), rng.choice([6, 12]), rng.choice([3, 5]), rng.choice([1, 2])
    scheme = rng.choice(["conv_scale_weight", "attn_scale_weight"])
    context = rng.choice(["cos_sim", "elem_prod"])
    params = {
        "model.msdd_module.lstm": n(nn.LSTM(hidden, hidden, num_layers=layers, batch_first=True, bidirectional=True))
    }
    if scheme == "conv_scale_weight":

        def conv_layer(kh: int) -> nn.Module:
            return nn.Sequential(
                nn.Conv2d(1, chans, (kh, 1)), nn.ReLU(), nn.BatchNorm2d(chans, eps=0.001, momentum=0.99)
            )

        convs = [conv_layer(scales + scales * spks)] + [conv_layer(chans) for _ in range(repeat)]
        bns = [nn.BatchNorm2d(emb, affine=False) for _ in range(repeat + 1)]
        params["model.msdd_module.conv"] = n(*convs, *bns)
        params["model.msdd_module.conv_to_linear/linear_to_weights"] = n(
            nn.Linear(emb * chans, hidden), nn.Linear(hidden, scales)
        )
    else:
        params["model.msdd_module.W_a"] = n(nn.Linear(emb, emb, bias=False))
    params["model.msdd_module.hidden_to_spks"] = n(nn.Linear(2 * hidden, spks))
    if context == "cos_sim":
        params["model.msdd_module.dist_to_emb"] = n(nn.Linear(scales * spks, hidden))
    else:
        params["model.msdd_module.product_to_emb"] = n(nn.Linear(emb * spks, hidden))
    config = {
        "model": {
            "msdd_module": {
                "_target_": "nemo.collections.asr.modules.msdd_diarizer.MSDD_module",
                "num_spks": spks,
                "hidden_size": hidden,
                "num_lstm_layers": layers,
                "dropout_rate": 0.5,
                "cnn_output_ch": chans,
                "conv_repeat": repeat,
                "emb_dim": emb,
                "scale_n": scales,
                "weighting_scheme": scheme,
                "context_vector_type": context,
            }
        }
    }
    return {"config": config, "params": params}


def joint_case(rng: random.Random) -> dict[str, Any]:
    enc, pred, joint = rng.choice([8, 16]), rng.choice([4, 6]), rng.choice([5, 10])
    explicit = rng.random() < 0.5
    jointnet: dict[str, Any] = {"joint_hidden": joint, "activation": "relu", "dropout": 0.1}
    if explicit:
        jointnet |= {"encoder_hidden": enc, "pred_hidden": pred}
    config = {
        "model": {
            "model_defaults": {"enc_hidden": enc, "pred_hidden": pred},
            "decoder": {
                "_target_": "nemo.collections.asr.modules.RNNTDecoder",
                "prednet": {"pred_hidden": "${model.model_defaults.pred_hidden}", "pred_rnn_layers": 1},
            },
            "joint": {"_target_": "nemo.collections.asr.modules.RNNTJoint", "jointnet": jointnet},
        }
    }
    params = {
        "model.decoder.prednet": n(nn.LSTM(pred, pred, 1)),
        "model.joint.pred": n(nn.Linear(pred, joint)),
        "model.joint.enc": n(nn.Linear(enc, joint)),
    }
    return {"config": config, "params": params}


def hat_case(rng: random.Random) -> dict[str, Any]:
    case = joint_case(rng)
    case["config"]["model"]["joint"]["_target_"] = "nemo.collections.asr.modules.HATJoint"
    joint = case["config"]["model"]["joint"]["jointnet"]["joint_hidden"]
    case["params"]["model.joint.blank_pred"] = n(nn.Linear(joint, 1))
    return case


def mask_estimator_case(rng: random.Random) -> dict[str, Any]:
    outputs, subbands, features = rng.choice([1, 2]), rng.choice([5, 9]), rng.choice([4, 8])
    layers, hidden = rng.choice([1, 2]), rng.choice([None, 6])
    rnn_type, bidirectional = rng.choice(["lstm", "gru"]), rng.random() < 0.6
    use_ipd, reduction, channels = rng.random() < 0.4, rng.choice(["rms", None]), rng.choice([1, 2, 4])
    h = hidden if hidden is not None else features
    rnn_cls = nn.LSTM if rnn_type == "lstm" else nn.GRU
    per_channel = 2 * subbands if use_ipd else subbands
    chans = channels if use_ipd or reduction is None else 1
    conf: dict[str, Any] = {
        "_target_": "nemo.collections.audio.modules.masking.MaskEstimatorRNN",
        "num_outputs": outputs,
        "num_subbands": subbands,
        "num_features": features,
        "num_layers": layers,
        "num_hidden_features": hidden,
        "num_input_channels": channels,
        "dropout": 0.1,
        "rnn_type": rnn_type,
        "bidirectional": bidirectional,
        "use_ipd": use_ipd,
        "mag_reduction": reduction,
    }
    params = {
        "model.mask_estimator.rnn": n(
            rnn_cls(features, h, num_layers=layers, batch_first=True, bidirectional=bidirectional)
        ),
        "model.mask_estimator.input_projection": n(nn.Linear(per_channel * chans, features)),
        "model.mask_estimator.fc/norm/output_projections": n(
            nn.Linear(2 * features if bidirectional else features, features),
            nn.LayerNorm(features),
            *(nn.Linear(features, subbands) for _ in range(outputs)),
        ),
    }
    return {"config": {"model": {"mask_estimator": conf}}, "params": params}


def reference_encoder_case(rng: random.Random) -> dict[str, Any]:
    mels, hidden, kernel = rng.choice([20, 40, 80]), rng.choice([4, 8]), rng.choice([3, 5])
    filters = [4, 4, 8][: rng.choice([1, 2, 3])]
    bias = rng.random() < 0.7
    chans = [1, *filters]
    convs = [
        nn.Sequential(
            nn.Conv2d(chans[i], chans[i + 1], kernel, stride=2, padding=1, bias=bias), nn.LayerNorm(chans[i + 1])
        )
        for i in range(len(filters))
    ]
    height = mels
    for _ in filters:
        height = (height - 3 + 2) // 2 + 1  # calculate_post_conv_lengths' fixed kernel 3, stride 2, pad 1
    conf = {
        "_target_": "nemo.collections.tts.modules.submodules.ReferenceEncoder",
        "n_mels": mels,
        "cnn_filters": filters,
        "dropout": 0.2,
        "gru_hidden": hidden,
        "kernel_size": kernel,
        "stride": 2,
        "padding": 1,
        "bias": bias,
    }
    params = {
        "model.reference_encoder.layers": n(*convs),
        "model.reference_encoder.gru": n(nn.GRU(filters[-1] * height, hidden, batch_first=True)),
    }
    return {"config": {"model": {"reference_encoder": conf}}, "params": params}


def radtts_case(rng: random.Random) -> dict[str, Any]:
    text, spk, group = rng.choice([8, 16]), rng.choice([2, 4]), rng.choice([1, 2])
    f0, energy, with_fe = rng.choice([0, 1]), rng.choice([0, 1]), rng.random() < 0.5
    include = rng.choice(["dec", "decatndpm", "decatnunvbiasdpmvpredapm"])
    chans = rng.choice([4, 8])
    dap = {
        "name": "dap",
        "hparams": {
            "n_speaker_dim": spk,
            "bottleneck_hparams": {"in_dim": text, "reduction_factor": 2},
            "take_log_of_input": True,
            "arch_hparams": {"out_dim": 1, "n_layers": 1, "n_channels": chans, "kernel_size": 3},
        },
    }
    module = {
        "_target_": "nemo.collections.tts.modules.radtts.RadTTSModule",
        "n_speakers": 1,
        "n_speaker_dim": spk,
        "n_text": 10,
        "n_text_dim": text,
        "n_flows": 2,
        "n_conv_layers_per_step": 2,
        "n_mel_channels": 8,
        "n_early_size": 2,
        "n_early_every": 2,
        "n_group_size": group,
        "include_modules": include,
        "use_context_lstm": True,
        "context_lstm_norm": "spectral",
        "context_lstm_w_f0_and_energy": with_fe,
        "n_f0_dims": f0,
        "n_energy_avg_dims": energy,
        "ap_use_voiced_embeddings": False,
        "dur_model_config": dap,
        "f0_model_config": dap,
        "energy_model_config": dap,
        "v_model_config": dap,
    }
    params = {"model.modelConfig.encoder.bilstm": n(bilstm(text, text // 2))}
    if "dec" in include or "atn" in include:
        width = spk + text * group
        hidden = int((spk + text * group) / 2)
        if with_fe:
            width = (f0 + energy + text) * group + spk
        params["model.modelConfig.context_lstm"] = n(bilstm(width, hidden))
    labels = []
    if "dpm" in include:
        labels.append("dur_pred_layer")
    if "vpred" in include:
        labels.append("v_pred_module")
    if "apm" in include:
        labels += ["f0_pred_module", "energy_pred_module"]
    for label in labels:
        params[f"model.modelConfig.{label}.feat_pred_fn.bilstm"] = n(bilstm(chans, chans // 2))
    return {"config": {"model": {"modelConfig": module}}, "params": params}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=10)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rng = random.Random(args.seed)
    cases = []
    for _ in range(args.per_kind):
        for kind, build in (
            ("tacotron2", tacotron2_case),
            ("msdd", msdd_case),
            ("rnnt_joint", joint_case),
            ("radtts", radtts_case),
            ("hat_joint", hat_case),
            ("mask_estimator_rnn", mask_estimator_case),
            ("reference_encoder", reference_encoder_case),
        ):
            cases.append({"kind": kind, **build(rng)})
    for index, case in enumerate(cases):
        case["name"] = f"case{index:03d}"
    meta = {"torch": torch.__version__, "source": "NVIDIA/NeMo@8cfedd7203462cb251a914e700e5605444277561"}
    args.out.write_text(json.dumps({"meta": meta, "cases": cases}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
