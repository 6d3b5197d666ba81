"""ESPnet1 training configs (``egs/*/conf/*.yaml``): flat argparse keys, hyphenated.

The model class decides what the size keys mean, never the keys alone:

- ``model-module`` names it. Only the classes in ``RNN_MODULES`` build recurrent layers and are
  counted; the classes in ``NON_RNN_MODULES`` (Transformer, Conformer, Mask-CTC, FastSpeech, ...)
  build none: no layers, one omission naming the model. Any other class is unknown (RNN205),
  never read with the RNN defaults.
- Without it the trainer's default class applies (``asr_train.py``: ``e2e_asr``, or ``e2e_asr_mix``
  when ``num-spkrs`` is 2; ``mt_train.py``: ``e2e_mt``; ``st_train.py``: ``e2e_st``; ``tts_train.py``:
  Tacotron2; ``lm_train.py``: the default RNN LM). The trainer is read from the keys: MT-only keys
  (``tie-src-tgt-embedding``, ...) mean MT, ``asr-weight``/``mt-weight`` ST, then a recipe
  directory ``mt1``/``st1`` in the path (its run.sh calls that trainer), Tacotron2 keys TTS,
  ``layer``/``unit`` the LM, anything else ASR. Those trainers (not tts_train.py) import from the
  ``--backend`` package, chainer by default; the recipes pass pytorch, which is assumed and noted.
- A transducer's ``etype: custom``/``dtype: custom`` builds ``enc-block-arch``/``dec-block-arch``
  blocks: omissions; the RNN parts beside them are counted.

Sizes: ``etype`` ``[vgg]{b}{lstm|gru}[p]`` (a list for multi-encoder), ``elayers``, ``eunits``
(per direction), ``eprojs``, ``dtype``/``dlayers``/``dunits``; the decoder's first LSTMCell
takes ``dunits + eprojs``. The attention (``atype``, ``adim``, ``aheads``, ``awin``,
``aconv-chans``, ``aconv-filts``) has fixed sizes and is counted. Tacotron2 ``eunits`` is the
total BLSTM width (halved per direction). The feature dimension ``idim`` comes from the data, not
the file: 83 (80 fbank + 3 pitch, the recipes' default) is assumed unless
``[[tool.rnnlint.overrides]] input_size = N`` states it. The token list (``odim``) is not in the
file either: embeddings, output and CTC layers are omissions.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import PurePosixPath
from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._espnet import (
    ETYPE,
    RnnEncoder,
    Tacotron2,
    cell_stack,
    encoder_entries,
    tacotron2_entries,
)
from rnnlint.dialects._support import HOW_TO_STATE_INPUT, STRTOBOOL, SectionReader, as_bool, as_float, as_int
from rnnlint.model import (
    Assumption,
    Composite,
    Fixed,
    LayerSpec,
    ModelConfig,
    Module,
    Omission,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)
from rnnlint.parse.document import Document

NAME = "espnet1"

PT = "espnet.nets.pytorch_backend."
# Classes that build recurrent layers (espnet 202511 source, espnet/nets/pytorch_backend/):
RNN_MODULES: dict[str, str] = {
    # e2e_asr.py E2E.__init__: encoder_for, ctc_for, att_for, decoder_for (rnn/*.py).
    PT + "e2e_asr:E2E": "asr",
    # e2e_asr_mix.py E2E.__init__: EncoderMix (VGG2L, per-speaker RNNP, shared RNNP), CTC, att_for(num_att).
    PT + "e2e_asr_mix:E2E": "mix",
    # e2e_asr_mulenc.py E2E.__init__: one rnn Encoder per stream, ctc_for, att_for + the HAN attention.
    PT + "e2e_asr_mulenc:E2E": "mulenc",
    # e2e_mt.py E2E.__init__: Embedding(idim, eunits), encoder_for(args, eunits), att_for, decoder_for.
    PT + "e2e_mt:E2E": "mt",
    # e2e_st.py E2E.__init__: encoder_for, att_for, decoder_for; ASR/MT sub-tasks by asr-weight/mt-weight.
    PT + "e2e_st:E2E": "st",
    # e2e_asr_transducer.py E2E.__init__: transducer/rnn_encoder.py encoder_for or CustomEncoder,
    # transducer/rnn_decoder.py RNNDecoder or CustomDecoder, joint_network.py JointNetwork.
    PT + "e2e_asr_transducer:E2E": "transducer",
    # e2e_tts_tacotron2.py Tacotron2.__init__: tacotron2/encoder.py Encoder (embed), AttLoc/AttForward[TA],
    # tacotron2/decoder.py Decoder.
    PT + "e2e_tts_tacotron2:Tacotron2": "tacotron2",
    # e2e_vc_tacotron2.py Tacotron2.__init__: the same, with a Linear(idim, econv-chans) input layer.
    PT + "e2e_vc_tacotron2:Tacotron2": "vc-tacotron2",
    # lm/default.py DefaultRNNLM -> RNNLM: Embedding, LSTMCell/GRUCell stack, Linear.
    PT + "lm.default:DefaultRNNLM": "lm-default",
    # lm/seq_rnn.py SequentialRNNLM: Embedding, nn.LSTM/GRU(unit, unit, layer, dropout), Linear.
    PT + "lm.seq_rnn:SequentialRNNLM": "lm-seq",
}
# Classes that build no recurrent layer: what rnnlint leaves out of them.
NON_RNN_MODULES: dict[str, str] = {
    # e2e_asr_transformer.py: transformer/encoder.py Encoder + transformer/decoder.py Decoder.
    PT + "e2e_asr_transformer:E2E": "the Transformer ASR encoder and decoder",
    # e2e_asr_conformer.py: E2E(e2e_asr_transformer.E2E) with conformer/encoder.py Encoder.
    PT + "e2e_asr_conformer:E2E": "the Conformer ASR encoder and Transformer decoder",
    # e2e_asr_maskctc.py: E2E(e2e_asr_transformer.E2E), Transformer or Conformer encoder, Mask-CTC decoder.
    PT + "e2e_asr_maskctc:E2E": "the Mask-CTC Transformer/Conformer encoder and decoder",
    # e2e_asr_mix_transformer.py: EncoderMix of Transformer blocks, Transformer decoder.
    PT + "e2e_asr_mix_transformer:E2E": "the multi-speaker Transformer encoder and decoder",
    # e2e_mt_transformer.py / e2e_st_transformer.py / e2e_st_conformer.py.
    PT + "e2e_mt_transformer:E2E": "the Transformer MT encoder and decoder",
    PT + "e2e_st_transformer:E2E": "the Transformer ST encoder and decoders",
    PT + "e2e_st_conformer:E2E": "the Conformer ST encoder and Transformer decoders",
    # e2e_tts_transformer.py Transformer, e2e_tts_fastspeech.py FeedForwardTransformer,
    # e2e_vc_transformer.py Transformer.
    PT + "e2e_tts_transformer:Transformer": "the Transformer TTS encoder and decoder",
    PT + "e2e_tts_fastspeech:FeedForwardTransformer": "the FastSpeech feed-forward Transformer",
    PT + "e2e_vc_transformer:Transformer": "the Transformer VC encoder and decoder",
    # lm/transformer.py TransformerLM.
    PT + "lm.transformer:TransformerLM": "the Transformer language model",
    # espnet/nets/chainer_backend/e2e_asr_transformer.py: Chainer Transformer encoder and decoder.
    "espnet.nets.chainer_backend.e2e_asr_transformer:E2E": "the Chainer Transformer ASR encoder and decoder",
}
# lm_train.py resolves these through nets/lm_interface.py predefined_lms["pytorch"]; asr_train.py,
# mt_train.py, st_train.py and tts_train.py call dynamic_import without aliases.
LM_ALIASES = {
    "default": PT + "lm.default:DefaultRNNLM",
    "seq_rnn": PT + "lm.seq_rnn:SequentialRNNLM",
    "transformer": PT + "lm.transformer:TransformerLM",
}
NOT_COUNTED = "rnnlint counts recurrent models only"
NON_RNN_ETYPES = ("transformer", "conformer", "custom")
# ESPnet1 recipe directories: asr1, asr1b, mt1, st1, tts1, vc1, ...
RECIPE_DIR = re.compile(r"^(asr|mt|st|tts|vc)\d+[a-z]?(_[a-z0-9]+)?$")

DEFAULT_IDIM = 83
MT_KEYS = ("tie-src-tgt-embedding", "tie-classifier", "multilingual", "replace-sos")
ST_KEYS = ("asr-weight", "mt-weight")
TACOTRON_KEYS = ("econv-chans", "econv-layers", "prenet-units", "prenet-layers", "postnet-chans", "embed-dim")
ESPNET1_KEYS = ("batch-size", "maxlen-in", "maxlen-out", "sortagrad", "batchsize", "maxlen", "epoch", "epochs")
# ESPnet1 argparse defaults: rnn/argument.py (encoder, decoder, attention), bin/asr_train.py
# (num-spkrs 1, mtlalpha 0.5), bin/st_train.py (mtlalpha 0.0, asr-weight 0.0, mt-weight 0.0),
# e2e_asr_mix.py (elayers-sd 4), e2e_asr_mulenc.py (han-*), transducer/arguments.py (dec-embed-dim,
# joint-dim 320).
ASR_DEFAULTS: dict[str, Any] = {
    "etype": "blstmp",
    "elayers": 4,
    "eunits": 300,
    "eprojs": 320,
    "dtype": "lstm",
    "dlayers": 1,
    "dunits": 320,
    "atype": "dot",
    "adim": 320,
    "awin": 5,
    "aheads": 4,
    "aconv-chans": -1,
    "aconv-filts": 100,
    "dec-embed-dim": 320,
    "joint-dim": 320,
    "num-spkrs": 1,
    "elayers-sd": 4,
    "mtlalpha": 0.5,
    "han-type": "dot",
    "han-dim": 320,
    "han-win": 5,
    "han-heads": 4,
    "han-conv-chans": -1,
    "han-conv-filts": 100,
}
ST_DEFAULTS: dict[str, Any] = {**ASR_DEFAULTS, "mtlalpha": 0.0, "asr-weight": 0.0, "mt-weight": 0.0}
LM_DEFAULTS: dict[str, Any] = {"type": "lstm", "layer": 2, "unit": 650}
# e2e_tts_tacotron2.py Tacotron2.add_arguments.
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
    "atype": "location",
    "adim": 512,
    "aconv-chans": 32,
    "aconv-filts": 15,
    "postnet-layers": 5,
    "postnet-chans": 512,
    "postnet-filts": 5,
    "cbhg-highway-units": 128,
    "cbhg-gru-units": 256,
}


def detect(data: Any) -> bool:
    if not isinstance(data, dict) or isinstance(data.get("model"), dict):
        return False
    module = data.get("model-module")
    if isinstance(module, str) and (module.startswith("espnet.") or module in LM_ALIASES):
        return True
    if "etype" in data:
        return True
    if "elayers" in data and any(k in data for k in ("eunits", "eprojs", "dunits", "dlayers")):
        return True
    if sum(k in data for k in TACOTRON_KEYS) >= 2:
        return True
    return "layer" in data and "unit" in data and any(k in data for k in ESPNET1_KEYS)


class _Reader(SectionReader):
    """Reads argparse-style keys (``eunits`` or ``e-units``/``e_units``), recording defaults used."""

    def __init__(self, doc: Document) -> None:
        super().__init__(doc, (), doc.data, whole=Span(1, 1))
        self.data: dict[str, Any] = doc.data

    def key_of(self, key: str) -> str | None:
        for candidate in (key, key.replace("-", "_")):
            if candidate in self.values:
                return candidate
        return None

    def get(self, key: str, defaults: dict[str, Any] | None = None) -> Any:  # type: ignore[override]
        """The stated value, else the default in ``defaults`` (the argparse defaults of that model)."""
        return super().get(key, (defaults or {}).get(key))

    def int(self, key: str, defaults: dict[str, Any]) -> int | None:  # type: ignore[override]
        return as_int(self.get(key, defaults), strings=True)

    def number(self, key: str, defaults: dict[str, Any]) -> float | None:
        return as_float(self.get(key, defaults), strings=True)

    def flag(self, key: str) -> bool:
        """A strtobool option whose default is False (no note: an unstated flag adds nothing).

        ESPnet1's options are ``type=strtobool`` and configargparse hands them the YAML value as text
        (``YAMLConfigFileParser.parse``: ``str(value)``), so ``yes`` / ``no`` / ``on`` / ``1`` count too.
        """
        return as_bool(self.raw(key), False, strings=STRTOBOOL)


class _Build:
    """What one config builds: counted layers, assumptions and omissions."""

    def __init__(self) -> None:
        self.layers: list[LayerSpec] = []
        self.notes: list[Assumption] = []
        self.omitted: list[Omission] = []

    def omit(self, message: str, span: Span) -> None:
        self.omitted.append(Omission(message, span))


def _recipe_task(path: str) -> str | None:
    """The task of an ESPnet1 recipe directory (``egs/<corpus>/mt1/conf/...`` -> "mt"): its run.sh
    calls that task's trainer (``mt_train.py``)."""
    for part in reversed(PurePosixPath(path.replace("\\", "/")).parts[:-1]):
        match = RECIPE_DIR.match(part)
        if match:
            return match.group(1)
    return None


def _model_class(r: _Reader, file_path: str) -> tuple[str, str | None, str]:
    """(model type, class path, why unknown) — the type is a value of RNN_MODULES, "none" or "unknown"."""
    module = r.raw("model-module")
    if module is not None:
        path = str(module).strip()
        path = LM_ALIASES.get(path, path)
        if path in RNN_MODULES:
            return RNN_MODULES[path], path, ""
        if path in NON_RNN_MODULES:
            return "none", path, ""
        return "unknown", path, "an ESPnet1 model-module not in rnnlint's table of model classes"
    # No model-module: the trainer's default class (see the module docstring).
    if not r.written("etype") and sum(r.written(k) for k in TACOTRON_KEYS) >= 2:
        return "tacotron2", None, ""  # tts_train.py: --backend defaults to pytorch
    # asr/mt/st/lm_train.py import from the --backend package: their default is chainer, but every
    # recipe's run.sh passes --backend pytorch.
    backend = r.raw("backend")
    if backend is not None and str(backend) != "pytorch":
        return "unknown", f"backend: {backend}", "rnnlint counts the pytorch backend's models only"
    etype = r.raw("etype")
    if isinstance(etype, str) and etype in NON_RNN_ETYPES:
        # asr_train.py without model-module builds e2e_asr, whose encoders are RNNs only: the
        # Transformer this etype means needs a model-module the file does not name.
        return (
            "unknown",
            f"etype: {etype}",
            "without a model-module asr_train.py builds e2e_asr, whose encoders are RNNs only",
        )
    if not r.written("backend"):
        r.defaulted.append("backend: pytorch (the recipes' run.sh passes --backend pytorch)")
    if any(r.written(k) for k in MT_KEYS):
        return "mt", None, ""
    if any(r.written(k) for k in ST_KEYS):
        return "st", None, ""
    task = _recipe_task(file_path)
    if task in ("mt", "st") and r.written("etype"):
        return task, None, ""
    if not r.written("etype") and (r.written("layer") or r.written("unit")):
        return "lm-default", None, ""
    # asr_train.py main: e2e_asr for one speaker, e2e_asr_mix for two.
    return ("mix" if as_int(r.raw("num-spkrs"), strings=True) == 2 else "asr"), None, ""


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    r = _Reader(doc)
    b = _Build()
    model_type, path, why = _model_class(r, options.path)
    if model_type == "unknown":
        module = str(path)
        b.layers.append(
            LayerSpec(
                "model",
                "model-module",
                r.span("model-module", "backend", "etype"),
                Unknown(module, why),
            )
        )
    elif model_type == "none":
        b.omit(f"{NON_RNN_MODULES[str(path)]} ({path}): {NOT_COUNTED}", r.span("model-module"))
    elif model_type in ("lm-seq", "lm-default"):
        _language_model(r, model_type == "lm-seq", b)
    elif model_type in ("tacotron2", "vc-tacotron2"):
        _tacotron2(r, model_type == "vc-tacotron2", b)
    else:
        _asr(r, model_type, options, b)
    # Defaults matter only where they change a reported count (no note on a model with no RNN).
    if r.defaulted and any(not isinstance(layer.module, Unknown) for layer in b.layers):
        b.notes.append(
            Assumption(
                "ESPnet1 defaults assumed for keys not in the file: "
                + ", ".join(dict.fromkeys(r.defaulted))
                + "; add them to make the count explicit",
                Span(1, 1),
            )
        )
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=tuple(b.layers),
            span=Span(1, 1),
            assumptions=tuple(b.notes),
            omitted=tuple(b.omitted),
        )
    )


KINDS: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru"}


def _kind(value: Any) -> RecurrentKind | None:
    return KINDS.get(str(value).lower()) if value is not None else None


def _at(value: Any, index: int, multi: bool) -> Any:
    """The ``index``-th element of a per-encoder list (e2e_asr_mulenc), or the value itself."""
    if multi and isinstance(value, list):
        return value[index] if index < len(value) else None
    return value


def _dropout(value: Any) -> float | None:
    return as_float(value)


def _asr(r: _Reader, model_type: str, options: AdaptOptions, b: _Build) -> None:
    defaults = ST_DEFAULTS if model_type == "st" else ASR_DEFAULTS
    transducer = model_type == "transducer"
    etypes = r.get("etype", defaults)
    multi = model_type == "mulenc" or isinstance(etypes, list)
    etype_list: list[Any] = etypes if isinstance(etypes, list) else [etypes]
    # Read only where an RNN encoder uses them: a custom transducer encoder never reads them.
    sizes: dict[str, Any] = {}

    def size(key: str) -> Any:
        if key not in sizes:
            sizes[key] = r.get(key, defaults)
        return sizes[key]

    dropout = r.raw("dropout-rate")
    enc_span = r.span("etype", "elayers", "eunits")
    option_spans = {"dropout": r.span("dropout-rate")} if r.written("dropout-rate") else {}
    idim_used = False
    rnn_encoder = True
    for index, etype in enumerate(etype_list):
        name = f"encoder[{index}]" if multi else "encoder"
        if transducer and etype == "custom":
            # e2e_asr_transducer.py: etype "custom" builds CustomEncoder from enc-block-arch.
            b.omit(f"the custom encoder (etype: custom, enc-block-arch blocks): {NOT_COUNTED}", enc_span)
            rnn_encoder = False
            continue
        match = ETYPE.match(str(etype)) if isinstance(etype, str) else None
        if match is None and transducer and etype == "transformer":
            # Older ESPnet1 transducers read etype "transformer" with enc-block-arch; espnet 202511's
            # transducer/rnn_encoder.py would take it for a GRU ("lstm" not in the type): not countable.
            rnn_encoder = False
            b.layers.append(
                LayerSpec(
                    name,
                    "transformer",
                    enc_span,
                    Unknown(
                        "transformer",
                        "in a transducer, older ESPnet1 built a Transformer encoder for etype 'transformer'; "
                        "current ESPnet1 wants etype: custom with enc-block-arch",
                    ),
                )
            )
            continue
        if match is None:
            rnn_encoder = False
            b.layers.append(
                LayerSpec(
                    name,
                    str(etype),
                    enc_span,
                    Unknown(
                        str(etype),
                        "ESPnet1's RNN encoders are [vgg]{b}{lstm|gru}[p]",
                    ),
                )
            )
            continue
        n_layers = as_int(_at(size("elayers"), index, multi), strings=True)
        n_units = as_int(_at(size("eunits"), index, multi), strings=True)
        eprojs = as_int(size("eprojs"), strings=True)
        if n_layers is None or n_units is None or eprojs is None:
            rnn_encoder = False
            b.layers.append(
                LayerSpec(
                    name, str(etype), enc_span, Unknown(str(etype), "elayers, eunits and eprojs must be integers")
                )
            )
            continue
        vgg, bidir, kind_name, proj = match.groups()
        kind = KINDS[kind_name]
        if model_type == "mt":
            idim: int | None = n_units  # e2e_mt.py: encoder_for(args, args.eunits) after Embedding(idim, eunits)
        elif options.input_size is not None:
            idim = options.input_size
        elif model_type == "asr" and as_bool(r.raw("use-frontend"), False, strings=STRTOBOOL):
            # e2e_asr.py: with the front end the encoder reads its n-mels fbank features.
            idim = r.int("n-mels", {"n-mels": 80})
        else:
            idim = DEFAULT_IDIM
            idim_used = True
        if model_type == "mix":
            _mix_encoder(r, kind, bool(bidir), bool(vgg), bool(proj), n_units, eprojs, idim, enc_span, b)
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
            # transducer/rnn_encoder.py stacks one-layer RNNs: dropout never reaches torch.
            dropout=None if transducer else _dropout(_at(dropout, index, multi)),
        )
        b.layers.extend(encoder_entries(encoder, name, enc_span, option_spans))
        if model_type == "st" and index == 0:
            _st_mt_encoder(r, encoder, enc_span, b)
    eprojs = as_int(size("eprojs"), strings=True) if rnn_encoder or not transducer else None
    if idim_used:
        b.notes.append(
            Assumption(
                "encoder input: the feature dimension (idim) comes from the data, not this file; "
                f"assumed {DEFAULT_IDIM} "
                f"(80 fbank + 3 pitch, the ESPnet1 recipe default); {HOW_TO_STATE_INPUT}",
                enc_span,
            )
        )
    if model_type == "asr" and as_bool(r.raw("use-frontend"), False, strings=STRTOBOOL):
        b.omit(
            "the multichannel front end (use-frontend: the WPE and beamformer mask estimators, RNNs over the "
            "STFT bins of the data, and the feature transform) is not counted",
            r.span("use-frontend"),
        )
    dec_span = r.span("dtype", "dlayers", "dunits")
    if transducer:
        _transducer_decoder(r, eprojs if rnn_encoder else None, b)
        return
    dunits = r.int("dunits", defaults)
    _attentions(r, model_type, eprojs, dunits, len(etype_list) if multi else 1, b)
    _decoder(r, "decoder", eprojs, b)
    b.omit(
        "the decoder embedding Embedding(odim, dunits) and output layer Linear(dunits, odim): "
        "sized by the token list (odim), which is not in this file",
        dec_span,
    )
    if model_type == "mt":
        b.omit(
            "the source embedding Embedding(idim, eunits): sized by the source vocabulary, which is not in this file",
            enc_span,
        )
        return
    if model_type == "st":
        _st_asr_task(r, eprojs, b)
        return
    # ctc.py ctc_for: Linear(eprojs, odim) per encoder (one when share-ctc).
    b.omit(
        "the CTC layer Linear(eprojs, odim): sized by the token list (odim), which is not in this file",
        r.span("mtlalpha", "etype"),
    )


def _st_asr_task(r: _Reader, eprojs: int | None, b: _Build) -> None:
    """e2e_st.py: with asr-weight > 0, a CTC (mtlalpha > 0) and a second attention + decoder (mtlalpha < 1)."""
    asr_weight = r.number("asr-weight", ST_DEFAULTS) or 0.0
    if asr_weight <= 0:
        return
    mtlalpha = r.number("mtlalpha", ST_DEFAULTS)
    if mtlalpha is None:
        return
    span = r.span("asr-weight")
    if mtlalpha > 0:
        b.omit("the ASR task's CTC layer Linear(eprojs, odim): sized by the token list (odim)", span)
    if mtlalpha < 1:
        # att_asr = att_for(args): the same atype as the ST attention (args_asr only changes the decoder's).
        _attentions(r, "st", eprojs, r.int("dunits", ST_DEFAULTS), 1, b, prefix="asr ")
        _decoder(r, "asr decoder", eprojs, b)
        b.omit("the ASR decoder's embedding and output layer: sized by the token list (odim)", span)


def _st_mt_encoder(r: _Reader, encoder: RnnEncoder, span: Span, b: _Build) -> None:
    """e2e_st.py: with mt-weight > 0, Embedding(odim, eunits) and encoder_for(args, eunits) for the MT task."""
    mt_weight = r.number("mt-weight", ST_DEFAULTS) or 0.0
    if mt_weight <= 0:
        return
    mt = dataclasses.replace(encoder, idim=encoder.eunits)
    b.layers.extend(encoder_entries(mt, "mt encoder", span, {}))
    b.omit("the MT task's embedding Embedding(odim, eunits): sized by the token list (odim)", r.span("mt-weight"))


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
    b: _Build,
) -> None:
    """``e2e_asr_mix`` EncoderMix: VGG2L, one speaker-differentiating RNNP per speaker, a shared RNNP."""
    if not (vgg and proj):
        b.layers.append(
            LayerSpec("encoder", "encodermix", span, Unknown("EncoderMix", "EncoderMix builds only vgg*p etypes"))
        )
        return
    # asr_train.py: --num-spkrs defaults to 1 (the wsj_mix recipe passes --num-spkrs 2 on its command line).
    if r.written("num-spkrs"):
        num_spkrs = as_int(r.raw("num-spkrs"), strings=True) or 1
    else:
        num_spkrs = 1
        r.defaulted.append("num-spkrs: 1 (asr_train.py's default; the wsj_mix recipe passes --num-spkrs 2 to it)")
    elayers_sd = r.int("elayers-sd", ASR_DEFAULTS) or 0
    elayers_rec = r.int("elayers", ASR_DEFAULTS) or 0
    sd = RnnEncoder(kind, bidir, True, True, elayers_sd, eunits, eprojs, idim)
    for entry in encoder_entries(sd, "encoder speaker-differentiating", span, {}):
        if num_spkrs > 1 and entry.type != "vgg2l":
            entry = LayerSpec(
                f"{entry.name} x{num_spkrs}",
                entry.type,
                entry.span,
                Composite(tuple(entry.module for _ in range(num_spkrs))),
            )
        b.layers.append(entry)
    rec = RnnEncoder(kind, bidir, True, False, elayers_rec, eunits, eprojs, eprojs)
    b.layers.extend(encoder_entries(rec, "encoder recognition", span, {}))


def _decoder(r: _Reader, name: str, eprojs: int | None, b: _Build) -> None:
    """rnn/decoders.py Decoder: LSTMCell(dunits + eprojs, dunits), then LSTMCell(dunits, dunits)."""
    dtype = r.get("dtype", ASR_DEFAULTS)
    kind = _kind(dtype)
    dlayers = r.int("dlayers", ASR_DEFAULTS)
    dunits = r.int("dunits", ASR_DEFAULTS)
    span = r.span("dtype", "dlayers", "dunits")
    if kind is None:
        b.layers.append(LayerSpec(name, str(dtype), span, Unknown(str(dtype), "ESPnet1 dtype must be lstm or gru")))
        return
    if dlayers is None or dunits is None:
        b.layers.append(LayerSpec(name, kind, span, Unknown(kind, "dlayers and dunits must be integers")))
        return
    first_input = dunits + eprojs if eprojs is not None else None
    b.layers.append(LayerSpec(name, f"{kind}_cell", span, cell_stack(kind, first_input, dunits, dlayers)))


def _transducer_decoder(r: _Reader, encoder_out: int | None, b: _Build) -> None:
    """transducer/rnn_decoder.py RNNDecoder (or CustomDecoder) and joint_network.py JointNetwork."""
    dtype = r.get("dtype", ASR_DEFAULTS)
    span = r.span("dtype", "dlayers", "dunits")
    joint_span = r.span("joint-dim")
    decoder_out: int | None = None
    if dtype == "custom":
        b.omit(f"the custom decoder (dtype: custom, dec-block-arch blocks): {NOT_COUNTED}", span)
    else:
        kind = _kind(dtype)
        dlayers = r.int("dlayers", ASR_DEFAULTS)
        dunits = r.int("dunits", ASR_DEFAULTS)
        embed = r.int("dec-embed-dim", ASR_DEFAULTS)
        if kind is None or dlayers is None or dunits is None or embed is None:
            b.layers.append(
                LayerSpec(
                    "decoder",
                    str(dtype),
                    span,
                    Unknown(str(dtype), "dtype lstm/gru, integer dlayers, dunits, dec-embed-dim"),
                )
            )
        else:
            if str(r.raw("rnnt-mode") or "rnnt") == "rnnt-att":
                # espnet 202511 has no rnnt-att (the decoder is RNNDecoder only); older versions added attention.
                b.omit(
                    "rnnt-mode: rnnt-att is not in current ESPnet1; its attention is not counted", r.span("rnnt-mode")
                )
            # A stack of one-layer nn.LSTM/GRU: the first from dec-embed-dim, the others from dunits.
            layers = tuple(Recurrent(kind, dunits, embed if i == 0 else dunits) for i in range(max(dlayers, 0)))
            module: Module = layers[0] if len(layers) == 1 else Composite(layers, output_size=dunits)
            b.layers.append(LayerSpec("decoder", kind, span, module))
            decoder_out = dunits
        b.omit("the decoder embedding Embedding(odim, dec-embed-dim): sized by the token list (odim)", span)
    joint = r.int("joint-dim", ASR_DEFAULTS)
    if joint is not None and encoder_out is not None and decoder_out is not None:
        params = encoder_out * joint + joint + decoder_out * joint
        formula = (
            f"lin_enc Linear({encoder_out}, {joint}) + lin_dec Linear({decoder_out}, {joint}, no bias) = {params:,}"
        )
        b.layers.append(LayerSpec("joint network", "linear", joint_span, Fixed(params, formula, joint)))
    else:
        b.omit("the joint network's lin_enc/lin_dec: they read the custom block output size", joint_span)
    b.omit("the joint network's output layer Linear(joint-dim, odim): sized by the token list (odim)", joint_span)
    for key, what in (
        ("use-ctc-loss", "the auxiliary CTC layer Linear(encoder out, odim)"),
        ("use-lm-loss", "the auxiliary LM layer Linear(decoder out, odim)"),
        ("use-aux-transducer-loss", "the auxiliary transducer MLP"),
    ):
        if r.flag(key):
            b.omit(f"{what} ({key}) is not counted", r.span(key))


def _lin(i: int, o: int, bias: bool = True) -> int:
    return i * o + (o if bias else 0)


_LOC = ("adim", "chans", "filts")
# What rnn/attentions.py initial_att passes each attention class.
ATTENTION_USES: dict[str, tuple[str, ...]] = {
    "noatt": (),
    "dot": ("adim",),
    "add": ("adim",),
    "coverage": ("adim",),
    "location": _LOC,
    "location_recurrent": _LOC,
    "coverage_location": _LOC,
    "location2d": (*_LOC, "awin"),
    "multi_head_dot": ("adim", "aheads"),
    "multi_head_add": ("adim", "aheads"),
    "multi_head_loc": (*_LOC, "aheads"),
    "multi_head_multi_res_loc": (*_LOC, "aheads"),
}


def attention(
    atype: str,
    eprojs: int,
    dunits: int,
    adim: int | None,
    aheads: int | None,
    awin: int | None,
    chans: int | None,
    filts: int | None,
) -> tuple[Fixed, Recurrent | None] | str:
    """rnn/attentions.py initial_att: the attention's parameters, or why it can't be sized.

    The second value is AttLocRec's LSTMCell(aconv-chans, adim, bias=False), the one recurrent part.
    """
    if atype == "noatt":
        return Fixed(0, "NoAtt: no parameters"), None
    if adim is None or adim <= 0:
        return "adim must be a positive integer"
    enc = _lin(eprojs, adim)
    gvec = _lin(adim, 1)
    loc_types = ("location", "location2d", "location_recurrent", "coverage_location")
    multi_types = ("multi_head_dot", "multi_head_add", "multi_head_loc", "multi_head_multi_res_loc")
    located = atype in loc_types or atype in ("multi_head_loc", "multi_head_multi_res_loc")
    if located and (chans is None or chans <= 0 or filts is None or filts < 0):
        return f"aconv-chans and aconv-filts must be stated (ESPnet1's aconv-chans default -1 cannot build {atype})"
    if atype in multi_types and (aheads is None or aheads <= 0):
        return "aheads must be a positive integer"
    if atype == "dot":  # AttDot: mlp_enc, mlp_dec (both with bias)
        p = enc + _lin(dunits, adim)
        return Fixed(p, f"AttDot: Linear({eprojs}, {adim}) + Linear({dunits}, {adim}) = {p:,}"), None
    if atype == "add":  # AttAdd: mlp_enc, mlp_dec (no bias), gvec
        p = enc + _lin(dunits, adim, False) + gvec
        return Fixed(p, f"AttAdd: Linear({eprojs}, {adim}) + Linear({dunits}, {adim}, no bias) + gvec = {p:,}"), None
    if atype == "coverage":  # AttCov: mlp_enc, mlp_dec (no bias), wvec Linear(1, adim), gvec
        p = enc + _lin(dunits, adim, False) + _lin(1, adim) + gvec
        return Fixed(
            p, f"AttCov: Linear({eprojs}, {adim}) + Linear({dunits}, {adim}, no bias) + wvec + gvec = {p:,}"
        ), None
    if atype in loc_types:
        assert chans is not None and filts is not None
        height = 1
        if atype == "location2d":
            if awin is None or awin <= 0:
                return "awin must be a positive integer"
            height = awin
        conv = chans * height * (2 * filts + 1)  # loc_conv Conv2d(1, chans, (height, 2*filts+1), bias=False)
        mlp_att = 0 if atype == "location_recurrent" else _lin(chans, adim, False)
        p = enc + _lin(dunits, adim, False) + mlp_att + conv + gvec
        formula = (
            f"{atype}: Linear({eprojs}, {adim}) + Linear({dunits}, {adim}, no bias)"
            + ("" if atype == "location_recurrent" else f" + Linear({chans}, {adim}, no bias)")
            + f" + Conv2d(1, {chans}, ({height}, {2 * filts + 1}), no bias) + gvec = {p:,}"
        )
        cell = Recurrent("lstm", adim, chans, bias=False, cell=True) if atype == "location_recurrent" else None
        return Fixed(p, formula), cell
    if atype in multi_types:
        assert aheads is not None
        p = 0
        for head in range(aheads):
            p += _lin(dunits, adim) + 2 * _lin(eprojs, adim, False)  # mlp_q, mlp_k, mlp_v
            if atype != "multi_head_dot":
                p += gvec
            if atype in ("multi_head_loc", "multi_head_multi_res_loc"):
                assert chans is not None and filts is not None
                afilts = filts * (head + 1) // aheads if atype == "multi_head_multi_res_loc" else filts
                p += chans * (2 * afilts + 1) + _lin(chans, adim, False)
        p += _lin(aheads * adim, eprojs, False)  # mlp_o
        return Fixed(p, f"{atype}: {aheads} heads of q/k/v Linear (adim {adim}) + mlp_o = {p:,}"), None
    return f"rnn/attentions.py initial_att builds no attention for atype {atype!r}"


def _attentions(
    r: _Reader, model_type: str, eprojs: int | None, dunits: int | None, streams: int, b: _Build, prefix: str = ""
) -> None:
    """att_for: one attention per stream (e2e_asr_mulenc adds the HAN one), num-spkrs with --spa (e2e_asr_mix)."""
    defaults = ST_DEFAULTS if model_type == "st" else ASR_DEFAULTS
    span = r.span("atype", "adim")
    jobs: list[tuple[str, list[Any]]] = []
    multi = model_type == "mulenc"

    def read(keys: tuple[str, ...], index: int | None) -> list[Any]:
        # Only the sizes this atype builds with are read (an unused default is never noted).
        atype = r.get(keys[0], defaults)
        atype = _at(atype, index, True) if index is not None else atype
        used = ATTENTION_USES.get(str(atype), ())
        values: list[Any] = [atype]
        for role, key in zip(("adim", "aheads", "awin", "chans", "filts"), keys[1:], strict=True):
            value = r.get(key, defaults) if role in used else None
            values.append(_at(value, index, True) if index is not None else value)
        return values

    for index in range(streams):
        name = f"{prefix}attention[{index}]" if multi else f"{prefix}attention"
        jobs.append(
            (name, read(("atype", "adim", "aheads", "awin", "aconv-chans", "aconv-filts"), index if multi else None))
        )
    if multi:
        han = ("han-type", "han-dim", "han-heads", "han-win", "han-conv-chans", "han-conv-filts")
        jobs.append(("attention HAN", read(han, None)))
    copies = 1
    if model_type == "mix" and r.flag("spa"):
        copies = as_int(r.raw("num-spkrs"), strings=True) or 1  # the encoder notes an unstated num-spkrs
    for name, (atype, adim, aheads, awin, chans, filts) in jobs:
        if eprojs is None or dunits is None:
            b.omit(f"the {name}: eprojs and dunits must be integers to size it", span)
            continue
        built = attention(
            str(atype),
            eprojs,
            dunits,
            as_int(adim, strings=True),
            as_int(aheads, strings=True),
            as_int(awin, strings=True),
            as_int(chans, strings=True),
            as_int(filts, strings=True),
        )
        if isinstance(built, str):
            b.omit(f"the {name} ({atype}) is not counted: {built}", span)
            continue
        fixed, cell = built
        label = f"{name} x{copies}" if copies > 1 else name
        module: Module = fixed if copies == 1 else Fixed(fixed.params * copies, f"{copies} x [{fixed.formula}]")
        b.layers.append(LayerSpec(label, str(atype), span, module))
        if cell is not None:
            cells: Module = cell if copies == 1 else Composite(tuple(cell for _ in range(copies)))
            b.layers.append(LayerSpec(f"{label} att_lstm", "lstm_cell", span, cells))


def _language_model(r: _Reader, sequential: bool, b: _Build) -> None:
    kind = _kind(r.get("type", LM_DEFAULTS))
    n_layers = r.int("layer", LM_DEFAULTS)
    unit = r.int("unit", LM_DEFAULTS)
    span = r.span("layer", "unit", "model-module")
    if kind is None or n_layers is None or unit is None:
        b.layers.append(
            LayerSpec(
                "lm", "rnnlm", span, Unknown("rnnlm", "ESPnet1 LM type must be lstm or gru, layer and unit integers")
            )
        )
        return
    if sequential:
        # lm/seq_rnn.py RNNModel: getattr(nn, type)(unit, unit, layer, dropout=dropout_rate).
        dropout = _dropout(r.raw("dropout-rate"))
        options = {"dropout": dropout} if dropout else {}
        spans = {"dropout": r.span("dropout-rate")} if dropout else {}
        b.layers.append(
            LayerSpec(
                "lm", kind, span, Recurrent(kind, unit, unit, num_layers=n_layers), options=options, option_spans=spans
            )
        )
    else:
        # lm/default.py RNNLM: LSTMCell(embed-unit or unit, unit), then LSTMCell(unit, unit); dropout is nn.Dropout.
        embed = r.int("embed-unit", {}) or unit
        b.layers.append(LayerSpec("lm", f"{kind}_cell", span, cell_stack(kind, embed, unit, n_layers)))
    b.omit("the LM embedding and output layer: sized by the vocabulary, which is not in this file", span)


def _tacotron2(r: _Reader, vc: bool, b: _Build) -> None:
    def num(key: str) -> int | None:
        return r.int(key, TACOTRON_DEFAULTS)

    keys = (
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
    # e2e_vc_tacotron2.py has no embed-dim: its Encoder keeps the class default 512 (tacotron2/encoder.py).
    values = {key: num(key) for key in keys} | ({"embed-dim": 512} if vc else {"embed-dim": num("embed-dim")})
    span = r.span("eunits", "elayers", "embed-dim")
    missing = [k for k, v in values.items() if v is None]
    if missing:
        b.layers.append(
            LayerSpec("tacotron2", "tacotron2", span, Unknown("tacotron2", f"not integers: {', '.join(missing)}"))
        )
        return
    v = {k: int(val) for k, val in values.items() if val is not None}
    spk = as_int(r.raw("spk-embed-dim"), strings=True)
    t = Tacotron2(
        # e2e_vc_tacotron2.py: input_layer "linear" -> the first convolution reads econv-chans.
        embed_dim=v["econv-chans"] if vc and v["econv-layers"] > 0 else v["embed-dim"],
        elayers=v["elayers"],
        eunits=v["eunits"],
        econv_layers=v["econv-layers"],
        econv_chans=v["econv-chans"],
        econv_filts=v["econv-filts"],
        use_batch_norm=as_bool(r.get("use-batch-norm", TACOTRON_DEFAULTS), True, strings=STRTOBOOL),
        dlayers=v["dlayers"],
        dunits=v["dunits"],
        prenet_layers=v["prenet-layers"],
        prenet_units=v["prenet-units"],
        spk_embed_dim=spk,
        spk_concat=True,
    )
    if v["econv-layers"] == 0:
        # No convolutions: their filter size, channels (TTS) and batch norm change no count.
        unused = ("econv-filts", "use-batch-norm") + (() if vc else ("econv-chans",))
        r.defaulted[:] = [d for d in r.defaulted if d.split(":")[0] not in unused]
    spans = {"encoder": r.span("eunits", "elayers"), "decoder": r.span("dunits", "dlayers")}
    b.layers.extend(tacotron2_entries(t, spans, span))
    # e2e_tts_tacotron2.py: AttLoc/AttForward(dec_idim, dunits, adim, aconv_chans, aconv_filts).
    dec_idim = t.eunits + (spk or 0)
    att_span = r.span("atype", "adim")
    atype = str(r.get("atype", TACOTRON_DEFAULTS))
    adim, chans, filts = num("adim"), num("aconv-chans"), num("aconv-filts")
    if atype in ("location", "forward", "forward_ta"):
        built = attention("location", dec_idim, t.dunits, adim, None, None, chans, filts)
        if isinstance(built, str):
            b.omit(f"the attention ({atype}) is not counted: {built}", att_span)
        else:
            fixed = built[0]
            b.layers.append(
                LayerSpec(
                    "attention",
                    atype,
                    att_span,
                    fixed._replace(formula=fixed.formula.replace("location:", f"{atype}:", 1)),
                )
            )
            if atype == "forward_ta":
                b.omit(
                    "AttForwardTA's mlp_ta Linear(eunits + dunits + odim, 1): it reads the feature dimension (odim)",
                    att_span,
                )
    else:
        b.omit(f"the attention ({atype}) is not counted: Tacotron2 builds only location, forward, forward_ta", att_span)
    if vc:
        _vc_reconstructors(r, t, dec_idim, b)
    what = "the input Linear(idim, econv-chans)" if vc else "the character embedding Embedding(idim, embed-dim)"
    b.omit(f"{what}: sized by the {'feature dimension' if vc else 'vocabulary'}, which is not in this file", span)
    _prenet_postnet(r, t, b)
    if t.prenet_layers == 0:
        b.omit(
            "with prenet-layers: 0 the decoder's first LSTMCell reads the feature dimension (odim)",
            r.span("prenet-layers"),
        )
    if as_bool(r.raw("use-cbhg"), False, strings=STRTOBOOL):
        # tacotron2/cbhg.py CBHG: GRU(highway-units, gru-units // 2, bidirectional) after the highways.
        cbhg_span = r.span("use-cbhg")
        highway, gru = num("cbhg-highway-units"), num("cbhg-gru-units")
        if highway is None or gru is None:
            b.omit("the CBHG GRU: cbhg-highway-units and cbhg-gru-units must be integers", cbhg_span)
        else:
            b.layers.append(
                LayerSpec("cbhg gru", "bgru", cbhg_span, Recurrent("gru", gru // 2, highway, bidirectional=True))
            )
        b.omit(
            "the CBHG convolution bank, projections, highway network and output: the bank reads the feature "
            "dimension (odim) and the output the spectrogram dimension (spc-dim)",
            cbhg_span,
        )


def _vc_reconstructors(r: _Reader, t: Tacotron2, dec_idim: int, b: _Build) -> None:
    """e2e_vc_tacotron2.py: with {src,trg}-reconstruction-loss-lambda > 0 (default 1.0), an Encoder
    (input Linear(eunits [+ spk-embed-dim], econv-chans), convolutions, BLSTM) and a Linear to the features."""
    span = r.span("eunits", "elayers")
    for side, key in (("src", "src-reconstruction-loss-lambda"), ("trg", "trg-reconstruction-loss-lambda")):
        weight = r.number(key, {key: 1.0})
        if weight is None or weight <= 0:
            continue
        params = dec_idim * t.econv_chans + t.econv_chans
        name = f"{side} reconstructor"
        formula = f"Linear({dec_idim}, {t.econv_chans}) = {params:,}"
        b.layers.append(LayerSpec(f"{name} input", "linear", span, Fixed(params, formula, t.econv_chans)))
        for entry in tacotron2_entries(t, {}, span):
            if entry.name.startswith("encoder"):
                b.layers.append(entry._replace(name=entry.name.replace("encoder", name, 1)))
        b.omit(f"the {name}'s output Linear(econv-chans, feature dimension): the features are not in this file", span)


def _prenet_postnet(r: _Reader, t: Tacotron2, b: _Build) -> None:
    """tacotron2/decoder.py Prenet: Linear(odim, units), then Linear(units, units); Postnet: Conv1d(odim,
    chans), Conv1d(chans, chans) ..., Conv1d(chans, odim), each without bias and with BatchNorm1d."""
    pre_span = r.span("prenet-units", "prenet-layers")
    if t.prenet_layers > 1:
        units = t.prenet_units
        params = (t.prenet_layers - 1) * (units * units + units)
        formula = f"{t.prenet_layers - 1} x Linear({units}, {units}) = {params:,}"
        b.layers.append(LayerSpec("prenet layers 1+", "linear", pre_span, Fixed(params, formula, units)))
    post_layers = r.int("postnet-layers", TACOTRON_DEFAULTS)
    post_span = r.span("postnet-chans", "postnet-layers")
    if post_layers is not None and post_layers > 2:  # the middle convolutions read and write chans
        chans = r.int("postnet-chans", TACOTRON_DEFAULTS)
        filts = r.int("postnet-filts", TACOTRON_DEFAULTS)
        bn = as_bool(r.get("use-batch-norm", TACOTRON_DEFAULTS), True, strings=STRTOBOOL)
        if chans is not None and filts is not None:
            middle = post_layers - 2
            params = middle * (chans * chans * filts + (2 * chans if bn else 0))
            norm = f" + BatchNorm1d({chans})" if bn else ""
            formula = f"{middle} x [Conv1d({chans}, {chans}, {filts}, no bias){norm}] = {params:,}"
            entry = LayerSpec("postnet middle convolutions", "conv1d", post_span, Fixed(params, formula, chans))
            b.layers.append(entry)
    b.omit(
        "the prenet's first layer Linear(odim, prenet-units), the postnet's first and last convolutions and the "
        "output layers (feat_out, prob_out): they read the feature dimension (odim)",
        r.span("prenet-layers", "postnet-layers", "dunits"),
    )
