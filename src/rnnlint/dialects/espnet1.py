"""ESPnet1 training configs (``egs/*/conf/*.yaml``): flat argparse keys, hyphenated.

The model type decides what the size keys mean, never the keys alone:

- ``model-module`` names it when present (``...e2e_asr:E2E``, ``e2e_asr_transducer``, ``e2e_mt``,
  ``e2e_asr_mix``, ``e2e_tts_tacotron2``, LM ``seq_rnn``/``default``); anything with
  ``transformer``/``conformer``/``fastspeech`` builds no recurrent layer, so nothing is counted.
- Without it: ``etype`` means the attention ASR model (``transformer``/``custom``/``conformer``
  build no RNN); MT-only keys (``tie-src-tgt-embedding``, ``tie-classifier``, ``multilingual``)
  mean ``e2e_mt``; Tacotron2 keys (``econv-chans``, ``prenet-units``, ...) mean ``e2e_tts_tacotron2``;
  ``layer``/``unit`` alone mean the default RNN language model.

Sizes: ``etype`` ``[vgg]{b}{lstm|gru}[p]`` (a list for multi-encoder), ``elayers``, ``eunits``
(per direction), ``eprojs``, ``dtype``/``dlayers``/``dunits``; the decoder's first LSTMCell
takes ``dunits + eprojs``. Tacotron2 ``eunits`` is the total BLSTM width (halved per direction).
The feature dimension ``idim`` comes from the data, not the file: 83 (80 fbank + 3 pitch, the
recipes' default) is assumed unless ``[[tool.rnnlint.overrides]] input_size = N`` states it.
The token list (``odim``) is not in the file either: embeddings, output and CTC layers, and
attention are left out of the total, which a note says.
"""

from __future__ import annotations

from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._espnet import (
    ETYPE,
    RnnEncoder,
    Tacotron2,
    as_bool,
    as_int,
    cell_stack,
    encoder_entries,
    tacotron2_entries,
)
from rnnlint.loader import Document
from rnnlint.model import Assumption, Composite, LayerSpec, ModelConfig, Recurrent, RecurrentKind, Span, Unknown

NAME = "espnet1"

DEFAULT_IDIM = 83
LM_MODULES = {"seq_rnn", "default", "transformer"}
NON_RNN_WORDS = ("transformer", "conformer", "fastspeech")
NON_RNN_ETYPES = {"transformer", "custom", "conformer"}
MT_KEYS = ("tie-src-tgt-embedding", "tie-classifier", "multilingual", "replace-sos")
TACOTRON_KEYS = ("econv-chans", "econv-layers", "prenet-units", "prenet-layers", "postnet-chans", "embed-dim")
ESPNET1_KEYS = ("batch-size", "maxlen-in", "maxlen-out", "sortagrad", "batchsize", "maxlen", "epoch", "epochs")
# ESPnet1 argparse defaults (espnet/nets/pytorch_backend/rnn/argument.py, lm/default.py,
# e2e_tts_tacotron2.py, e2e_asr_transducer.py).
ASR_DEFAULTS: dict[str, Any] = {
    "etype": "blstmp",
    "elayers": 4,
    "eunits": 300,
    "eprojs": 320,
    "dtype": "lstm",
    "dlayers": 1,
    "dunits": 320,
    "dec-embed-dim": 320,
    "num-spkrs": 2,
    "elayers-sd": 4,
}
LM_DEFAULTS: dict[str, Any] = {"type": "lstm", "layer": 2, "unit": 650}
TACOTRON_DEFAULTS: dict[str, Any] = {
    "embed-dim": 512,
    "elayers": 1,
    "eunits": 512,
    "econv-layers": 3,
    "econv-chans": 512,
    "econv-filts": 5,
    "use-batch-norm": True,
    "dlayers": 2,
    "dunits": 1024,
    "prenet-layers": 2,
    "prenet-units": 256,
}


def detect(data: Any) -> bool:
    if not isinstance(data, dict) or isinstance(data.get("model"), dict):
        return False
    module = data.get("model-module")
    if isinstance(module, str) and (module.startswith("espnet.") or module in LM_MODULES):
        return True
    if "etype" in data:
        return True
    if "elayers" in data and any(k in data for k in ("eunits", "eprojs", "dunits", "dlayers")):
        return True
    if sum(k in data for k in TACOTRON_KEYS) >= 2:
        return True
    return "layer" in data and "unit" in data and any(k in data for k in ESPNET1_KEYS)


class _Reader:
    """Reads argparse-style keys (``eunits`` or ``e-units``/``e_units``), recording defaults used."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.defaulted: list[str] = []

    def key_of(self, key: str) -> str | None:
        for candidate in (key, key.replace("-", "_")):
            if candidate in self.data:
                return candidate
        return None

    def has(self, key: str) -> bool:
        return self.key_of(key) is not None

    def raw(self, key: str) -> Any:
        found = self.key_of(key)
        return self.data[found] if found is not None else None

    def get(self, key: str, defaults: dict[str, Any]) -> Any:
        found = self.key_of(key)
        if found is not None and self.data[found] is not None:
            return self.data[found]
        default = defaults.get(key)
        if default is not None:
            self.defaulted.append(f"{key}: {default}")
        return default

    def int(self, key: str, defaults: dict[str, Any]) -> int | None:
        return as_int(self.get(key, defaults))

    def span(self, *keys: str) -> Span:
        for key in keys:
            found = self.key_of(key)
            if found is not None:
                return self.doc.locator.key((found,))
        return Span(1, 1)


def _model_type(r: _Reader) -> str:
    module = r.raw("model-module")
    if isinstance(module, str) and module:
        low = module.lower()
        if module in LM_MODULES or ".lm." in low:
            return "lm-seq" if "seq_rnn" in low else "none" if "transformer" in low else "lm-default"
        if "transducer" in low:
            return "transducer"
        if any(word in low for word in NON_RNN_WORDS):
            return "none"
        if "tacotron2" in low:
            return "tacotron2"
        if "e2e_asr_mix" in low:
            return "mix"
        if "e2e_mt" in low:
            return "mt"
        if "e2e_asr" in low or "e2e_st" in low:
            return "asr"
        return "unknown"
    if r.has("etype"):
        etype = r.raw("etype")
        if isinstance(etype, str) and etype in NON_RNN_ETYPES:
            return "none"
        return "mt" if any(r.has(k) for k in MT_KEYS) else "asr"
    if sum(r.has(k) for k in TACOTRON_KEYS) >= 2:
        return "tacotron2"
    if r.has("layer") or r.has("unit"):
        return "lm-default"
    return "asr"


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    r = _Reader(doc)
    model_type = _model_type(r)
    layers: list[LayerSpec] = []
    assumptions: list[Assumption] = []
    if model_type == "unknown":
        module = str(r.raw("model-module"))
        layers.append(
            LayerSpec(
                "model",
                "model-module",
                r.span("model-module"),
                Unknown(module, f"ESPnet1 model-module {module!r} is not one rnnlint knows how to build"),
            )
        )
    elif model_type in ("lm-seq", "lm-default"):
        _language_model(r, model_type == "lm-seq", layers, assumptions)
    elif model_type == "tacotron2":
        _tacotron2(r, layers, assumptions)
    elif model_type != "none":
        _asr(r, model_type, options, layers, assumptions)
    if r.defaulted:
        assumptions.append(
            Assumption(
                "ESPnet1 defaults assumed for keys not in the file: "
                + ", ".join(dict.fromkeys(r.defaulted))
                + "; add them to make the count explicit",
                Span(1, 1),
            )
        )
    return Adapted(
        ModelConfig(
            dialect=NAME, framework="pytorch", layers=tuple(layers), span=Span(1, 1), assumptions=tuple(assumptions)
        )
    )


KINDS: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru"}


def _kind(value: Any) -> RecurrentKind | None:
    return KINDS.get(str(value).lower()) if value is not None else None


def _asr(r: _Reader, model_type: str, options: AdaptOptions, layers: list[LayerSpec], notes: list[Assumption]) -> None:
    etypes = r.get("etype", ASR_DEFAULTS)
    multi = isinstance(etypes, list)
    etype_list: list[Any] = etypes if isinstance(etypes, list) else [etypes]
    elayers = r.get("elayers", ASR_DEFAULTS)
    eunits = r.get("eunits", ASR_DEFAULTS)
    eprojs = r.int("eprojs", ASR_DEFAULTS)
    dropout = r.raw("dropout-rate")
    enc_span = r.span("etype", "elayers", "eunits")
    option_spans = {"dropout": r.span("dropout-rate")} if r.has("dropout-rate") else {}
    transducer = model_type == "transducer"
    idim_used = False
    for index, etype in enumerate(etype_list):
        name = f"encoder[{index}]" if multi else "encoder"
        match = ETYPE.match(str(etype)) if isinstance(etype, str) else None
        if match is None:
            if transducer and str(etype) in NON_RNN_ETYPES:
                continue  # a custom/transformer transducer encoder: no RNN, its decoder may still be one
            layers.append(
                LayerSpec(
                    name,
                    str(etype),
                    enc_span,
                    Unknown(str(etype), f"ESPnet1 etype {etype!r} is not [vgg]{{b}}{{lstm|gru}}[p]"),
                )
            )
            continue
        n_layers = as_int(elayers[index] if isinstance(elayers, list) and index < len(elayers) else elayers)
        n_units = as_int(eunits[index] if isinstance(eunits, list) and index < len(eunits) else eunits)
        if n_layers is None or n_units is None or eprojs is None:
            layers.append(
                LayerSpec(
                    name, str(etype), enc_span, Unknown(str(etype), "elayers, eunits and eprojs must be integers")
                )
            )
            continue
        vgg, bidir, kind_name, proj = match.groups()
        kind = KINDS[kind_name]
        if model_type == "mt":
            idim: int | None = r.int("dunits", ASR_DEFAULTS)  # e2e_mt feeds a dunits-wide source embedding
        else:
            idim = options.input_size if options.input_size is not None else DEFAULT_IDIM
            idim_used = options.input_size is None
        if model_type == "mix":
            _mix_encoder(r, kind, bool(bidir), bool(vgg), bool(proj), n_units, eprojs, idim, enc_span, layers, notes)
            continue
        encoder = RnnEncoder(
            kind=kind,
            bidirectional=bool(bidir),
            projected=bool(proj),
            vgg=bool(vgg),
            elayers=n_layers,
            eunits=n_units,
            eprojs=eprojs,
            idim=idim,
            summed_directions=transducer and not proj,
            dropout=float(dropout) if isinstance(dropout, (int, float)) and not isinstance(dropout, bool) else None,
        )
        layers.extend(encoder_entries(encoder, name, enc_span, option_spans))
    if idim_used:
        notes.append(
            Assumption(
                "encoder input: the feature dimension (idim) comes from the data, not this file; "
                f"assumed {DEFAULT_IDIM} "
                "(80 fbank + 3 pitch, the ESPnet1 recipe default); state it with "
                "[[tool.rnnlint.overrides]] input_size = N",
                enc_span,
            )
        )
    _decoder(r, transducer, eprojs, layers)
    what = "the decoder embedding, output layer, CTC layer and attention"
    if transducer:
        what = "the decoder embedding and the joint network"
    elif model_type == "mt":
        what = "the source and target embeddings, output layer and attention"
    notes.append(
        Assumption(
            f"not counted: {what}; their sizes depend on the token list (odim), which is not in this file",
            r.span("dunits", "dlayers", "etype"),
        )
    )


def _mix_encoder(
    r: _Reader,
    kind: RecurrentKind,
    bidir: bool,
    vgg: bool,
    proj: bool,
    eunits: int,
    eprojs: int,
    idim: int | None,
    span: Span,
    layers: list[LayerSpec],
    notes: list[Assumption],
) -> None:
    """``e2e_asr_mix`` EncoderMix: VGG2L, one speaker-differentiating RNNP per speaker, a shared RNNP."""
    if not (vgg and proj):
        layers.append(
            LayerSpec("encoder", "encodermix", span, Unknown("EncoderMix", "EncoderMix builds only vgg*p etypes"))
        )
        return
    num_spkrs = r.int("num-spkrs", ASR_DEFAULTS) or 2
    elayers_sd = r.int("elayers-sd", ASR_DEFAULTS) or 0
    elayers_rec = r.int("elayers", ASR_DEFAULTS) or 0
    sd = RnnEncoder(kind, bidir, True, True, elayers_sd, eunits, eprojs, idim)
    sd_entries = encoder_entries(sd, "encoder speaker-differentiating", span, {})
    for entry in sd_entries:
        if num_spkrs > 1 and entry.type != "vgg2l":
            entry = LayerSpec(
                f"{entry.name} x{num_spkrs}",
                entry.type,
                entry.span,
                Composite(tuple(entry.module for _ in range(num_spkrs))),
            )
        layers.append(entry)
    rec = RnnEncoder(kind, bidir, True, False, elayers_rec, eunits, eprojs, eprojs)
    layers.extend(encoder_entries(rec, "encoder recognition", span, {}))


def _decoder(r: _Reader, transducer: bool, eprojs: int | None, layers: list[LayerSpec]) -> None:
    dtype = r.get("dtype", ASR_DEFAULTS)
    kind = _kind(dtype)
    dlayers = r.int("dlayers", ASR_DEFAULTS)
    dunits = r.int("dunits", ASR_DEFAULTS)
    span = r.span("dtype", "dlayers", "dunits")
    if kind is None:
        if transducer and str(dtype) in ("custom", "transformer"):
            return  # a transformer prediction network: no RNN
        layers.append(LayerSpec("decoder", str(dtype), span, Unknown(str(dtype), "ESPnet1 dtype must be lstm or gru")))
        return
    if dlayers is None or dunits is None:
        layers.append(LayerSpec("decoder", kind, span, Unknown(kind, "dlayers and dunits must be integers")))
        return
    if transducer:
        embed = r.int("dec-embed-dim", ASR_DEFAULTS)
        # rnnt-att adds the attention context to the first layer's input.
        att = str(r.raw("rnnt-mode") or "rnnt") == "rnnt-att"
        first = None if embed is None else embed + (eprojs or 0) if att else embed
        if att and eprojs is None:
            first = None
        layers.append(LayerSpec("decoder", f"{kind}_cell", span, cell_stack(kind, first, dunits, dlayers)))
        return
    first_input = dunits + eprojs if eprojs is not None else None
    layers.append(LayerSpec("decoder", f"{kind}_cell", span, cell_stack(kind, first_input, dunits, dlayers)))


def _language_model(r: _Reader, sequential: bool, layers: list[LayerSpec], notes: list[Assumption]) -> None:
    kind = _kind(r.get("type", LM_DEFAULTS))
    n_layers = r.int("layer", LM_DEFAULTS)
    unit = r.int("unit", LM_DEFAULTS)
    span = r.span("layer", "unit", "model-module")
    if kind is None or n_layers is None or unit is None:
        layers.append(
            LayerSpec(
                "lm", "rnnlm", span, Unknown("rnnlm", "ESPnet1 LM type must be lstm or gru, layer and unit integers")
            )
        )
        return
    if sequential:
        layers.append(LayerSpec("lm", kind, span, Recurrent(kind, unit, unit, num_layers=n_layers)))
    else:
        embed = r.int("embed-unit", {}) or unit
        layers.append(LayerSpec("lm", f"{kind}_cell", span, cell_stack(kind, embed, unit, n_layers)))
    notes.append(
        Assumption(
            "not counted: the LM embedding and output layer; "
            "their size depends on the vocabulary, which is not in this file",
            span,
        )
    )


def _tacotron2(r: _Reader, layers: list[LayerSpec], notes: list[Assumption]) -> None:
    def num(key: str) -> int | None:
        return r.int(key, TACOTRON_DEFAULTS)

    values = {
        key: num(key)
        for key in (
            "embed-dim",
            "elayers",
            "eunits",
            "econv-layers",
            "econv-chans",
            "econv-filts",
            "dlayers",
            "dunits",
            "prenet-layers",
            "prenet-units",
        )
    }
    span = r.span("eunits", "elayers", "embed-dim")
    missing = [k for k, v in values.items() if v is None]
    if missing:
        layers.append(
            LayerSpec("tacotron2", "tacotron2", span, Unknown("tacotron2", f"not integers: {', '.join(missing)}"))
        )
        return
    v = {k: int(val) for k, val in values.items() if val is not None}
    spk = as_int(r.raw("spk-embed-dim"))
    t = Tacotron2(
        embed_dim=v["embed-dim"],
        elayers=v["elayers"],
        eunits=v["eunits"],
        econv_layers=v["econv-layers"],
        econv_chans=v["econv-chans"],
        econv_filts=v["econv-filts"],
        use_batch_norm=as_bool(r.get("use-batch-norm", TACOTRON_DEFAULTS), True),
        dlayers=v["dlayers"],
        dunits=v["dunits"],
        prenet_layers=v["prenet-layers"],
        prenet_units=v["prenet-units"],
        spk_embed_dim=spk,
        spk_concat=True,
    )
    spans = {"encoder": r.span("eunits", "elayers"), "decoder": r.span("dunits", "dlayers")}
    layers.extend(tacotron2_entries(t, spans, span))
    notes.append(
        Assumption(
            "not counted: the character embedding, attention, prenet, postnet and output layers; "
            "their sizes depend on the vocabulary and the feature dimension, which are not in this file"
            + (
                "; with prenet-layers: 0 the decoder input includes the feature dimension, so it is unknown"
                if t.prenet_layers == 0
                else ""
            ),
            span,
        )
    )
