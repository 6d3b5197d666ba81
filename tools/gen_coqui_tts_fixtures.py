"""Golden fixtures for the ``coqui-tts`` dialect, built with Coqui TTS's own layer modules.

Each case is a small Coqui config (old flat layout: ``"model": "Tacotron2"`` ...). The script
builds what the model constructors build (``TTS/tts/models/tacotron2.py`` ``Tacotron2.__init__``,
``tacotron.py`` ``Tacotron.__init__``, ``TTS/encoder/models/lstm.py``) from the real layer
classes (``TTS.tts.layers.tacotron.tacotron2`` / ``tacotron`` ``Encoder``, ``Decoder``,
``Postnet``, ``PostCBHG``; ``LSTMSpeakerEncoder``) with the same arguments, and records
``sum(p.numel())`` per module. The character embedding is left out (rnnlint
reports it as an omission), so ``counted`` is what rnnlint must count.

Only the layer modules are imported: ``TTS/tts/layers/__init__.py`` pulls in the losses (and
coqpit, trainer, ...), so the packages are registered without running their ``__init__``; scipy
is stubbed (``attentions.py`` imports ``betabinom`` for an alignment prior it never builds here).

Run (TTS==0.22.0 installed with --no-deps next to torch==2.13.0; never the dev virtualenv)::

    python -m venv /tmp/tk-coqui && /tmp/tk-coqui/bin/pip install torch==2.13.0 && \
        /tmp/tk-coqui/bin/pip install --no-deps TTS==0.22.0
    /tmp/tk-coqui/bin/python tools/gen_coqui_tts_fixtures.py --out tests/fixtures/coqui_tts_cases.json
"""

from __future__ import annotations

import argparse
import copy
import importlib.metadata
import importlib.util
import json
import sys
import types
from pathlib import Path
from typing import Any


def _import_layers() -> tuple[Any, Any, Any]:
    spec = importlib.util.find_spec("TTS")
    assert spec is not None and spec.submodule_search_locations
    root = Path(next(iter(spec.submodule_search_locations)))
    for name, sub in (
        ("TTS", ""),
        ("TTS.tts", "tts"),
        ("TTS.tts.layers", "tts/layers"),
        ("TTS.encoder", "encoder"),
        ("TTS.encoder.models", "encoder/models"),
    ):
        module = types.ModuleType(name)
        module.__path__ = [str(root / sub)]
        sys.modules[name] = module
    scipy = types.ModuleType("scipy")
    stats = types.ModuleType("scipy.stats")
    stats.betabinom = None  # type: ignore[attr-defined]
    sys.modules.setdefault("scipy", scipy)
    sys.modules.setdefault("scipy.stats", stats)
    import TTS.tts.layers.tacotron.gst_layers as gst_layers
    import TTS.tts.layers.tacotron.tacotron as taco1
    import TTS.tts.layers.tacotron.tacotron2 as taco2

    # base_encoder imports torchaudio-free helpers only for get_torch_mel_spectrogram_class.
    lstm = _load_speaker_encoder(root)
    global GST_LAYERS
    GST_LAYERS = gst_layers
    return taco1, taco2, lstm


GST_LAYERS: Any = None


def gst(parts: dict[str, int], c: dict[str, Any], num_mel: int) -> None:
    """Tacotron(2).__init__: GST(num_mel=decoder_output_dim, heads, tokens, embedding) with use_gst."""
    if not c.get("use_gst"):
        return
    g = {"gst_embedding_dim": 256, "gst_num_heads": 4, "gst_num_style_tokens": 10, **c["gst"]}
    layer = GST_LAYERS.GST(num_mel, g["gst_num_heads"], g["gst_num_style_tokens"], g["gst_embedding_dim"])
    parts["gst_layer"] = _n(layer)
    parts["gst_layer.encoder.recurrence"] = _n(layer.encoder.recurrence)


def _load_speaker_encoder(root: Path) -> Any:
    base = types.ModuleType("TTS.encoder.models.base_encoder")
    import torch

    class BaseEncoder(torch.nn.Module):  # the parent adds no parameters (base_encoder.py)
        pass

    base.BaseEncoder = BaseEncoder  # type: ignore[attr-defined]
    sys.modules["TTS.encoder.models.base_encoder"] = base
    spec = importlib.util.spec_from_file_location("TTS.encoder.models.lstm", root / "encoder/models/lstm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _n(module: Any) -> int:
    return int(sum(p.numel() for p in module.parameters()))


TACOTRON2_DEFAULTS = {
    "r": 2,
    "prenet_type": "original",
    "attention_type": "original",
    "location_attn": True,
    "transition_agent": False,
    "bidirectional_decoder": False,
    "double_decoder_consistency": False,
    "ddc_r": 6,
    "encoder_in_features": 512,
    "decoder_in_features": 512,
    "out_channels": 80,
    "use_gst": False,
    "memory_size": -1,
}
TACOTRON_DEFAULTS = {
    **TACOTRON2_DEFAULTS,
    "encoder_in_features": 256,
    "decoder_in_features": 256,
    "decoder_output_dim": 80,
    "out_channels": 513,
}


def _decoder_in(cfg: dict[str, Any]) -> int:
    dim = int(cfg["decoder_in_features"])
    if cfg.get("use_gst"):
        dim += int(cfg["gst"]["gst_embedding_dim"])
    if cfg.get("use_speaker_embedding") or cfg.get("use_d_vector_file"):
        dim += int(cfg.get("d_vector_dim") or 512)
    return dim


def tacotron2(taco2: Any, config: dict[str, Any]) -> dict[str, int]:
    c = {**TACOTRON2_DEFAULTS, **config}
    d = _decoder_in(c)

    def decoder(r: int) -> Any:
        return taco2.Decoder(
            d,
            c["out_channels"],
            r,
            c["attention_type"],
            False,
            "sigmoid",
            c["prenet_type"],
            True,
            False,
            c["transition_agent"],
            False,
            c["location_attn"],
            None,
            True,
            10000,
        )

    parts = {"encoder": _n(taco2.Encoder(c["encoder_in_features"])), "postnet": _n(taco2.Postnet(c["out_channels"]))}
    dec = decoder(c["r"])
    parts["decoder"] = _n(dec)
    parts["decoder.attention_rnn"] = _n(dec.attention_rnn)
    parts["decoder.decoder_rnn"] = _n(dec.decoder_rnn)
    gst(parts, c, c["out_channels"])
    if c["bidirectional_decoder"]:
        parts["decoder_backward"] = _n(copy.deepcopy(dec))  # Tacotron2._init_backward_decoder
    if c["double_decoder_consistency"]:
        parts["coarse_decoder"] = _n(decoder(c["ddc_r"]))
    return parts


def tacotron(taco1: Any, config: dict[str, Any]) -> dict[str, int]:
    c = {**TACOTRON_DEFAULTS, **config}
    d = _decoder_in(c)

    def decoder(r: int) -> Any:
        return taco1.Decoder(
            d,
            c["decoder_output_dim"],
            r,
            c["memory_size"],
            c["attention_type"],
            False,
            "sigmoid",
            c["prenet_type"],
            True,
            False,
            c["transition_agent"],
            False,
            c["location_attn"],
            None,
            True,
            10000,
        )

    postnet = taco1.PostCBHG(c["decoder_output_dim"])
    import torch

    last_linear = torch.nn.Linear(postnet.cbhg.gru_features * 2, c["out_channels"])
    enc = taco1.Encoder(c["encoder_in_features"])
    parts = {
        "encoder": _n(enc),
        "encoder.cbhg.gru": _n(enc.cbhg.cbhg.gru),
        "postnet": _n(postnet),
        "postnet.cbhg.gru": _n(postnet.cbhg.gru),
        "last_linear": _n(last_linear),
    }
    dec = decoder(c["r"])
    parts["decoder"] = _n(dec)
    parts["decoder.attention_rnn"] = _n(dec.attention_rnn)
    parts["decoder.decoder_rnns"] = _n(dec.decoder_rnns)
    gst(parts, c, c["decoder_output_dim"])
    if c["bidirectional_decoder"]:
        parts["decoder_backward"] = _n(copy.deepcopy(dec))
    if c["double_decoder_consistency"]:
        parts["coarse_decoder"] = _n(decoder(c["ddc_r"]))
    return parts


def speaker_encoder(lstm: Any, config: dict[str, Any]) -> dict[str, int]:
    p = config["model_params"]
    model = lstm.LSTMSpeakerEncoder(
        p["input_dim"], p["proj_dim"], p["lstm_dim"], p["num_lstm_layers"], p["use_lstm_with_projection"]
    )
    parts = {"model": _n(model)}
    if p["use_lstm_with_projection"]:
        for i, layer in enumerate(model.layers):
            parts[f"layers.{i}.lstm"] = _n(layer.lstm)
    return parts


AUDIO = {"num_mels": 80, "fft_size": 1024, "sample_rate": 22050}
CASES: list[tuple[str, dict[str, Any]]] = [
    ("tacotron2_defaults", {"model": "Tacotron2", "run_name": "t", "audio": AUDIO}),
    (
        "tacotron2_ddc_bn_gst",
        {
            "model": "Tacotron2",
            "run_name": "t",
            "audio": AUDIO,
            "r": 7,
            "prenet_type": "bn",
            "double_decoder_consistency": True,
            "ddc_r": 7,
            "use_gst": True,
            "gst": {"gst_embedding_dim": 512, "gst_num_heads": 4, "gst_num_style_tokens": 10},
        },
    ),
    (
        "tacotron2_bd_ta_small",
        {
            "model": "Tacotron2",
            "run_name": "t",
            "audio": AUDIO,
            "r": 3,
            "bidirectional_decoder": True,
            "transition_agent": True,
            "location_attn": False,
            "encoder_in_features": 256,
            "decoder_in_features": 256,
            "out_channels": 40,
        },
    ),
    (
        "tacotron2_d_vectors",
        {"model": "tacotron2", "run_name": "t", "audio": AUDIO, "use_d_vector_file": True, "d_vector_dim": 256},
    ),
    ("tacotron_defaults", {"model": "Tacotron", "run_name": "t", "audio": AUDIO}),
    (
        "tacotron_memory_bn_ddc",
        {
            "model": "Tacotron",
            "run_name": "t",
            "audio": AUDIO,
            "r": 5,
            "memory_size": 4,
            "prenet_type": "bn",
            "double_decoder_consistency": True,
            "ddc_r": 3,
            "bidirectional_decoder": True,
            "out_channels": 1025,
            "decoder_output_dim": 64,
        },
    ),
    (
        "tacotron_gst",
        {
            "model": "Tacotron",
            "run_name": "t",
            "audio": AUDIO,
            "r": 7,
            "use_gst": True,
            "gst": {"gst_embedding_dim": 256},
        },
    ),
    (
        "tacotron2_gst_sizes",
        {
            "model": "Tacotron2",
            "run_name": "t",
            "audio": AUDIO,
            "use_gst": True,
            "out_channels": 100,
            "gst": {"gst_embedding_dim": 128, "gst_num_heads": 8, "gst_num_style_tokens": 6},
        },
    ),
    (
        "speaker_encoder_projection",
        {
            "model": "speaker_encoder",
            "run_name": "s",
            "audio": {"num_mels": 40},
            "model_params": {
                "model_name": "lstm",
                "input_dim": 40,
                "proj_dim": 256,
                "lstm_dim": 768,
                "num_lstm_layers": 3,
                "use_lstm_with_projection": True,
            },
        },
    ),
    (
        "speaker_encoder_plain",
        {
            "model": "speaker_encoder",
            "run_name": "s",
            "audio": {"num_mels": 64},
            "model_params": {
                "model_name": "lstm",
                "input_dim": 64,
                "proj_dim": 128,
                "lstm_dim": 256,
                "num_lstm_layers": 2,
                "use_lstm_with_projection": False,
            },
        },
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("tests/fixtures/coqui_tts_cases.json"))
    args = parser.parse_args()
    taco1, taco2, lstm = _import_layers()
    import torch

    cases = []
    for name, config in CASES:
        model = str(config["model"]).lower()
        if model == "tacotron2":
            parts = tacotron2(taco2, config)
            counted = sum(v for k, v in parts.items() if "." not in k)
        elif model == "tacotron":
            parts = tacotron(taco1, config)
            counted = sum(v for k, v in parts.items() if "." not in k)
        else:
            parts = speaker_encoder(lstm, config)
            counted = parts["model"]
        cases.append({"name": name, "config": config, "parts": parts, "counted": counted})
    out = {
        "source": "Coqui TTS layer modules (TTS/tts/layers/tacotron/tacotron.py, tacotron2.py, "
        "TTS/encoder/models/lstm.py) built as the model constructors build them",
        "versions": {"TTS": importlib.metadata.version("TTS"), "torch": torch.__version__},
        "cases": cases,
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
