"""ESPnet2 task configs (``egs2/*/conf/*.yaml``): a class name plus its ``*_conf`` keyword arguments.

Read (defaults from the class signatures in espnet2, used where a key is absent and reported):

- ``encoder: rnn|vgg_rnn`` + ``encoder_conf``: ``rnn_type`` (lstm), ``bidirectional`` (true),
  ``use_projection`` (true: ESPnet1's RNNP), ``num_layers`` (4), ``hidden_size`` (320, per
  direction), ``output_size`` (320), ``in_channel`` (vgg_rnn, 1). Other encoders (transformer,
  conformer, ...) build no RNN.
- ``decoder: rnn`` + ``decoder_conf``: LSTMCell/GRUCell stack, the first cell takes
  ``hidden_size + encoder output_size``; with the asr_transducer task's ``embed_size`` key it is
  that task's RNNDecoder (one-layer RNNs, the first taking ``embed_size``).
  ``decoder: transducer``: ``num_layers`` one-layer RNNs of ``hidden_size`` fed by a
  ``hidden_size`` embedding.
- ``lm: seq_rnn`` + ``lm_conf``: ``rnn_type`` (lstm), ``unit`` (650), ``nhid`` (= unit), ``nlayers`` (2).
- ``tts: tacotron2`` + ``tts_conf``: ESPnet's Tacotron2, ``eunits`` the total BLSTM width; with
  ``use_gst`` (any TTS class) the GST reference encoder's GRU and style tokens (:mod:`._espnet2_tts`).
- ``decoder: transducer`` (asr task, ``joint_net_conf``) and the asr_transducer task
  (``joint_network_conf``): the joint network's ``lin_enc``/``lin_dec`` are fixed-size and counted; only
  ``lin_out`` depends on the token list.
- ``separator`` (enh1) and ``enh_separator`` (enh_s2t): the separators, see :mod:`._espnet2_enh`.
- ``svs: naive_rnn | naive_rnn_dp | singing_tacotron`` and ``joint_score2wav`` with one of them.
- ``lm_conf`` alone is the lm task's default ``seq_rnn``; ``codec`` (gan_codec) is RNN205.

A model that builds no RNN (transformer/conformer encoders and decoders, FastSpeech, ...) carries one
omission per part naming it, so it never reads as "total 0, complete".

The encoder input is the frontend's output: ``input_size`` when the file states it, else
``frontend_conf.n_mels`` of the default frontend, else 80 (its default) as a reported
assumption that ``[[tool.rnnlint.overrides]] input_size = N`` replaces. The token list is not
in the file, so embeddings, output layers, CTC and attention are left out of the total (omissions).
"""

from __future__ import annotations

from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions, _espnet2_enh, _espnet2_tts
from rnnlint.dialects._espnet import (
    RnnEncoder,
    cell_stack,
    encoder_entries,
    tacotron2_entries,
    tacotron2_from,
)
from rnnlint.dialects._support import HOW_TO_STATE_INPUT, SectionReader, as_bool, as_float, as_int, override
from rnnlint.model import (
    Assumption,
    Composite,
    Fixed,
    LayerSpec,
    Linear,
    ModelConfig,
    Omission,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)
from rnnlint.parse.document import Document

NAME = "espnet2"

SECTIONS = ("encoder", "decoder", "lm", "tts", "separator", "svs")
ESPNET2_KEYS = ("batch_type", "max_epoch", "optim", "batch_bins", "best_model_criterion", "keep_nbest_models")
DEFAULT_N_MELS = 80
KINDS: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru"}
LM_KINDS: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru", "rnn_tanh": "rnn", "rnn_relu": "rnn"}
# encoder.output_size() of the encoders an RNN decoder can follow, when encoder_conf leaves it out.
ENCODER_OUTPUT_DEFAULTS = {
    "rnn": 320,
    "vgg_rnn": 320,
    "transformer": 256,
    "conformer": 256,
    "branchformer": 256,
    "e_branchformer": 256,
    "contextual_block_transformer": 256,
    "contextual_block_conformer": 256,
}
ENCODER_DEFAULTS: dict[str, Any] = {
    "rnn_type": "lstm",
    "bidirectional": True,
    "use_projection": True,
    "num_layers": 4,
    "hidden_size": 320,
    "output_size": 320,
    "in_channel": 1,
}
DECODER_DEFAULTS: dict[str, Any] = {"rnn_type": "lstm", "num_layers": 1, "hidden_size": 320}
TRANSDUCER_TASK_DECODER_DEFAULTS: dict[str, Any] = {
    "rnn_type": "lstm",
    "num_layers": 1,
    "hidden_size": 256,
    "embed_size": 256,
}
LM_DEFAULTS: dict[str, Any] = {"rnn_type": "lstm", "unit": 650, "nlayers": 2}
TACOTRON_DEFAULTS: dict[str, Any] = {
    "embed_dim": 512,
    "elayers": 1,
    "eunits": 512,
    "econv_layers": 3,
    "econv_chans": 512,
    "econv_filts": 5,
    "use_batch_norm": True,
    "dlayers": 2,
    "dunits": 1024,
    "prenet_layers": 2,
    "prenet_units": 256,
    "spk_embed_integration_type": "concat",
}


def detect(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    # The asr_transducer task names no encoder/decoder class: its own Encoder and RNNDecoder.
    if isinstance(data.get("joint_network_conf"), dict) and isinstance(data.get("decoder_conf"), dict):
        return True
    if isinstance(data.get("codec"), str) and isinstance(data.get("codec_conf"), dict):
        return True
    # The lm task's default class is seq_rnn: lm_conf alone builds it.
    if isinstance(data.get("lm_conf"), dict) and any(key in data for key in ESPNET2_KEYS):
        return True
    # The joint enh_s2t / enh_asr task: enh_separator with enh_* and asr_* / diar_* sections.
    if isinstance(data.get("enh_separator"), str) and any(key in data for key in ESPNET2_KEYS):
        return True
    for section in SECTIONS:
        if isinstance(data.get(section), str) and (
            f"{section}_conf" in data or any(key in data for key in ESPNET2_KEYS)
        ):
            return True
    return False


class _Conf(SectionReader):
    """One ``<section>_conf`` mapping, recording the defaults it falls back to."""

    def __init__(self, doc: Document, section: str, defaults: dict[str, Any], defaulted: list[str]) -> None:
        conf = doc.data.get(f"{section}_conf")
        values: dict[str, Any] = conf if isinstance(conf, dict) else {}
        note = lambda key, default: f"{section}_conf.{key}: {default}"  # noqa: E731
        super().__init__(doc, (f"{section}_conf",), values, defaults=defaults, note=note, defaulted=defaulted)
        self.section = section

    def int(
        self, key: str, default: int | None = None, *, minimum: int | None = None, strings: bool = True
    ) -> int | None:
        return super().int(key, default, minimum=minimum, strings=strings)

    def section_span(self) -> Span:
        """The mapping, else (no ``<section>_conf``) the ``<section>:`` key that chose the class."""
        return super().section_span() if self.values else self.doc.locator.key((self.section,))


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    data: dict[str, Any] = doc.data
    layers: list[LayerSpec] = []
    notes: list[Assumption] = []
    omitted: list[Omission] = []
    defaulted: list[str] = []
    if isinstance(data.get("enh_separator"), str):
        _enh_s2t(doc, layers, omitted, defaulted)
        return _model(layers, notes, omitted, defaulted)
    if isinstance(data.get("codec"), str) and "encoder" not in data:
        # gan_codec models (SoundStream, EnCodec, DAC, FunCodec, HiFi-Codec): SEANet-style encoders and
        # decoders, several with LSTMs (espnet2/gan_codec/shared/encoder/seanet.py SLSTM).
        codec = str(data["codec"])
        reason = (
            f"rnnlint does not count ESPnet2's {codec} codec (gan_codec; its SEANet encoder/decoder may hold LSTMs)"
        )
        layers.append(LayerSpec("codec", codec, _section_span(doc, "codec"), Unknown(codec, reason)))
        return _model(layers, notes, omitted, defaulted)
    if isinstance(data.get("separator"), str):
        # Speech enhancement (enh1): encoder/decoder are STFT or conv front ends, never ASR encoders.
        conf_span = _Conf(doc, "separator", {}, defaulted).span()

        def option_span(key: str) -> Span | None:
            return _Conf(doc, "separator", {}, []).key_span(key)

        _espnet2_enh.separator_entries(data, conf_span, option_span, layers, omitted, defaulted)
        for index, entry in enumerate(layers):
            if entry.name in ("encoder (conv)", "decoder (conv)"):
                layers[index] = entry._replace(span=_section_span(doc, entry.name.split()[0]))
        return _model(layers, notes, omitted, defaulted)
    encoder_name = data.get("encoder") if isinstance(data.get("encoder"), str) else None
    encoder_output: int | None = None
    if encoder_name is not None:
        enc = _Conf(doc, "encoder", ENCODER_DEFAULTS, defaulted)
        if encoder_name in ("rnn", "vgg_rnn"):
            encoder_output = _rnn_encoder(doc, enc, encoder_name == "vgg_rnn", options, layers, notes)
        else:
            if isinstance(enc.values.get("output_size"), int):
                encoder_output = enc.values["output_size"]
            else:
                encoder_output = ENCODER_OUTPUT_DEFAULTS.get(encoder_name)
            omitted.append(
                Omission(
                    f"the {encoder_name} encoder is not counted: rnnlint counts recurrent models only",
                    _section_span(doc, "encoder"),
                )
            )
    if "joint_network_conf" in data and encoder_name is None:
        omitted.append(
            Omission(
                "the asr_transducer encoder (its body_conf blocks) is not counted: "
                "rnnlint counts recurrent models only",
                _section_span(doc, "encoder"),
            )
        )
    decoder_name = data.get("decoder")
    if decoder_name is None and isinstance(data.get("joint_network_conf"), dict):
        decoder_name = "rnn"  # the asr_transducer task's only decoder class
    if isinstance(decoder_name, str):
        _decoder(doc, decoder_name, encoder_name, encoder_output, layers, notes, omitted, defaulted)
    lm_name = data.get("lm")
    if lm_name is None and isinstance(data.get("lm_conf"), dict) and not any(k in data for k in SECTIONS):
        lm_name = "seq_rnn"  # LMTask's default lm class
        defaulted.append("lm: seq_rnn")
    if isinstance(lm_name, str):
        if lm_name == "seq_rnn":
            _language_model(doc, layers, notes, omitted, defaulted)
        else:
            omitted.append(
                Omission(
                    f"the {lm_name} language model is not counted: rnnlint counts recurrent models only",
                    _section_span(doc, "lm"),
                )
            )
    if isinstance(data.get("tts"), str):
        tts = _Conf(doc, "tts", TACOTRON_DEFAULTS if data["tts"] == "tacotron2" else {}, defaulted)
        if data["tts"] == "tacotron2":
            _tacotron2(doc, layers, notes, omitted, defaulted)
        elif data["tts"] == "joint_text2wav":
            _espnet2_tts.joint_entries(doc, "tts", "joint_text2wav", tts.span(), layers, omitted, defaulted)
        else:
            omitted.append(
                Omission(
                    f"the {data['tts']} TTS model is not counted: rnnlint counts recurrent models only",
                    _section_span(doc, "tts"),
                )
            )
        if as_bool(tts.values.get("use_gst"), False):
            layers.extend(_espnet2_tts.gst_entries(doc, str(data["tts"]), tts.values, tts.span(), notes, defaulted))
    if isinstance(data.get("svs"), str):
        svs, span = str(data["svs"]), _Conf(doc, "svs", {}, []).span()
        if svs == "joint_score2wav":
            _espnet2_tts.joint_entries(doc, "svs", svs, span, layers, omitted, defaulted)
        else:
            conf = data.get("svs_conf") if isinstance(data.get("svs_conf"), dict) else {}
            _espnet2_tts.svs_entries(doc, svs, conf or {}, ("svs_conf",), span, layers, omitted, defaulted)
    return _model(layers, notes, omitted, defaulted)


def _section_span(doc: Document, section: str) -> Span:
    key = (f"{section}_conf",) if isinstance(doc.data.get(f"{section}_conf"), dict) else (section,)
    return doc.locator.key(key)


def _model(layers: list[LayerSpec], notes: list[Assumption], omitted: list[Omission], defaulted: list[str]) -> Adapted:
    # A default changes a reported count only where something is counted (no notes on a model with no layer).
    if defaulted and layers:
        notes.append(
            Assumption(
                "ESPnet2 defaults assumed for keys not in the file: "
                + ", ".join(dict.fromkeys(defaulted))
                + "; add them to make the count explicit",
                Span(1, 1),
            )
        )
    model = ModelConfig(
        dialect=NAME,
        framework="pytorch",
        layers=tuple(layers),
        span=Span(1, 1),
        assumptions=tuple(notes) if layers else (),
        omitted=tuple(omitted),
    )
    return Adapted(model)


def _input_size(doc: Document, options: AdaptOptions, span: Span, notes: list[Assumption]) -> int | None:
    """The frontend output the encoder sees."""
    data: dict[str, Any] = doc.data
    if options.input_size is not None:
        return options.input_size
    if as_int(data.get("input_size"), strings=True) is not None:
        return as_int(data.get("input_size"), strings=True)
    frontend = data.get("frontend", "default")
    conf = data.get("frontend_conf")
    if frontend in (None, "default"):
        n_mels = as_int(conf.get("n_mels"), strings=True) if isinstance(conf, dict) else None
        if n_mels is not None:
            return n_mels
        notes.append(
            Assumption(
                f"encoder input: the frontend output is not in this file; assumed {DEFAULT_N_MELS} "
                "(n_mels of ESPnet2's default frontend; recipes with precomputed fbank+pitch feed 83); "
                f"state it with frontend_conf.n_mels or {override()}",
                span,
            )
        )
        return DEFAULT_N_MELS
    notes.append(
        Assumption(
            f"encoder input: the output size of frontend {frontend!r} is not in this file, so the first "
            f"encoder layer is not counted; {HOW_TO_STATE_INPUT}",
            span,
        )
    )
    return None


def _rnn_encoder(
    doc: Document, enc: _Conf, vgg: bool, options: AdaptOptions, layers: list[LayerSpec], notes: list[Assumption]
) -> int | None:
    kind = KINDS.get(str(enc.get("rnn_type")).lower())
    num_layers, hidden, output = enc.int("num_layers"), enc.int("hidden_size"), enc.int("output_size")
    if kind is None or num_layers is None or hidden is None or output is None:
        reason = "ESPnet2 RNN encoders need rnn_type lstm|gru and integer num_layers, hidden_size, output_size"
        layers.append(LayerSpec("encoder", str(enc.get("rnn_type")), enc.span(), Unknown("rnn encoder", reason)))
        return output
    encoder = RnnEncoder(
        kind=kind,
        bidirectional=as_bool(enc.get("bidirectional"), True),
        projected=as_bool(enc.get("use_projection"), True),
        vgg=vgg,
        elayers=num_layers,
        eunits=hidden,
        eprojs=output,
        idim=_input_size(doc, options, enc.span(), notes),
        in_channel=(enc.int("in_channel") or 1) if vgg else 1,
        dropout=as_float(enc.values.get("dropout")),
    )
    spans = {"dropout": span} if (span := enc.key_span("dropout")) is not None else {}
    layers.extend(encoder_entries(encoder, "encoder", enc.span(), spans))
    return output


def _decoder(
    doc: Document,
    name: str,
    encoder_name: str | None,
    encoder_output: int | None,
    layers: list[LayerSpec],
    notes: list[Assumption],
    omitted: list[Omission],
    defaulted: list[str],
) -> None:
    raw = doc.data.get("decoder_conf")
    conf_values: dict[str, Any] = raw if isinstance(raw, dict) else {}
    transducer_task = name == "rnn" and ("embed_size" in conf_values or "joint_network_conf" in doc.data)
    if name not in ("rnn", "transducer"):
        if name not in ("none", "null"):
            omitted.append(
                Omission(
                    f"the {name} decoder is not counted: rnnlint counts recurrent models only",
                    _section_span(doc, "decoder"),
                )
            )
        return
    defaults = TRANSDUCER_TASK_DECODER_DEFAULTS if transducer_task else DECODER_DEFAULTS
    dec = _Conf(doc, "decoder", defaults, defaulted)
    kind = KINDS.get(str(dec.get("rnn_type")).lower())
    num_layers, hidden = dec.int("num_layers"), dec.int("hidden_size")
    if kind is None or num_layers is None or hidden is None:
        reason = "ESPnet2 RNN decoders need rnn_type lstm|gru and integer num_layers, hidden_size"
        layers.append(LayerSpec("decoder", str(dec.get("rnn_type")), dec.span(), Unknown("rnn decoder", reason)))
        return
    if name == "transducer" or transducer_task:
        first = dec.int("embed_size") if transducer_task else hidden
        # Separate one-layer nn.LSTM/GRU modules: the first fed by the label embedding.
        parts = tuple(Recurrent(kind, hidden, first if i == 0 else hidden) for i in range(num_layers))
        module = parts[0] if len(parts) == 1 else Composite(parts, output_size=hidden)
        layers.append(LayerSpec("decoder", kind, dec.span(), module))
        omitted.append(
            Omission(
                f"the prediction-network embedding is not counted (Embedding(vocabulary, {first})): "
                "the token list is not in this file",
                dec.span(),
            )
        )
        _joint_network(doc, transducer_task, encoder_output, hidden, layers, notes, omitted, defaulted)
        return
    if encoder_output is None:
        notes.append(
            Assumption(
                f"decoder input: the output size of encoder {encoder_name!r} is not known; "
                "set encoder_conf.output_size to count the first decoder cell",
                dec.span(),
            )
        )
    first_input = hidden + encoder_output if encoder_output is not None else None
    layers.append(LayerSpec("decoder", f"{kind}_cell", dec.span(), cell_stack(kind, first_input, hidden, num_layers)))
    omitted.append(
        Omission(
            "the decoder embedding, output layer and CTC layer are not counted: "
            "their sizes depend on the token list, which is not in this file",
            dec.span(),
        )
    )
    _attention(doc, dec, encoder_output, hidden, layers, omitted, defaulted)


def _language_model(
    doc: Document, layers: list[LayerSpec], notes: list[Assumption], omitted: list[Omission], defaulted: list[str]
) -> None:
    lm = _Conf(doc, "lm", LM_DEFAULTS, defaulted)
    kind = LM_KINDS.get(str(lm.get("rnn_type")).lower())
    unit, nlayers = lm.int("unit"), lm.int("nlayers")
    nhid = as_int(lm.values.get("nhid"), strings=True) or unit
    if kind is None or unit is None or nlayers is None or nhid is None:
        reason = "seq_rnn needs rnn_type lstm|gru|rnn_tanh|rnn_relu and integer unit, nlayers"
        layers.append(LayerSpec("lm", str(lm.get("rnn_type")), lm.span(), Unknown("seq_rnn", reason)))
        return
    layers.append(LayerSpec("lm", kind, lm.span(), Recurrent(kind, nhid, unit, num_layers=nlayers)))
    omitted.append(
        Omission(
            "the LM embedding and output layer are not counted: "
            "their size depends on the token list, which is not in this file",
            lm.span(),
        )
    )


def _tacotron2(
    doc: Document, layers: list[LayerSpec], notes: list[Assumption], omitted: list[Omission], defaulted: list[str]
) -> None:
    tts = _Conf(doc, "tts", TACOTRON_DEFAULTS, defaulted)
    keys = (
        "embed_dim",
        "elayers",
        "eunits",
        "econv_layers",
        "econv_chans",
        "econv_filts",
        "dlayers",
        "dunits",
        "prenet_layers",
        "prenet_units",
    )
    values = {key: tts.int(key) for key in keys}
    missing = [k for k, v in values.items() if v is None]
    if missing:
        layers.append(
            LayerSpec("tacotron2", "tacotron2", tts.span(), Unknown("tacotron2", f"not integers: {', '.join(missing)}"))
        )
        return
    v = {k: int(val) for k, val in values.items() if val is not None}
    spk = as_int(tts.values.get("spk_embed_dim"), strings=True)
    # The integration type matters only with a speaker embedding (reported as a default then).
    t = tacotron2_from(v, as_bool(tts.get("use_batch_norm"), True), spk, lambda: tts.get("spk_embed_integration_type"))
    spans = {
        key: span
        for key, name in (("encoder", "eunits"), ("decoder", "dunits"))
        if (span := tts.key_span(name)) is not None
    }
    layers.extend(tacotron2_entries(t, spans, tts.span()))
    omitted.append(
        Omission(
            "the token embedding (its size is the token list's), the attention (not read) and the prenet, "
            "postnet and output layers (sized by odim, the feature size) are not counted",
            tts.span(),
        )
    )


JOINT_DEFAULTS: dict[str, Any] = {"joint_space_size": 256, "lin_dec_bias": True}


def _transducer_encoder_output(doc: Document) -> int | None:
    """asr_transducer's Encoder: the last body block's output (validate_block_arguments)."""
    conf = doc.data.get("encoder_conf")
    body = conf.get("body_conf") if isinstance(conf, dict) else None
    if not isinstance(body, list) or not body or not isinstance(body[-1], dict):
        return None
    block = body[-1]
    if block.get("block_type") in ("conformer", "branchformer", "ebranchformer"):
        return as_int(block.get("hidden_size"), strings=True)
    if block.get("block_type") == "conv1d":
        return as_int(block.get("output_size"), strings=True)
    return None


def _joint_network(
    doc: Document,
    transducer_task: bool,
    encoder_output: int | None,
    decoder_output: int,
    layers: list[LayerSpec],
    notes: list[Assumption],
    omitted: list[Omission],
    defaulted: list[str],
) -> None:
    """espnet2/asr_transducer/joint_network.py JointNetwork: lin_enc and lin_dec are fixed-size;
    only lin_out (joint_space_size x vocabulary) depends on the token list. The asr task reads
    ``joint_net_conf``, the asr_transducer task ``joint_network_conf``."""
    section = "joint_network" if transducer_task else "joint_net"
    joint = _Conf(doc, section, JOINT_DEFAULTS, defaulted)
    space = joint.int("joint_space_size")
    if space is None:
        layers.append(
            LayerSpec(
                "joint network", "linear", joint.span(), Unknown("JointNetwork", "joint_space_size is not an integer")
            )
        )
        return
    enc = _transducer_encoder_output(doc) if transducer_task else encoder_output
    span = joint.span() if joint.values else _section_span(doc, "decoder")
    if enc is not None:
        layers.append(LayerSpec("joint network lin_enc", "linear", span, Linear(enc, space)))
    else:
        omitted.append(
            Omission(
                f"the joint network's lin_enc is not counted (Linear(encoder output, {space})): "
                "the encoder's output size is not known",
                span,
            )
        )
    bias = as_bool(joint.get("lin_dec_bias"), True)
    layers.append(LayerSpec("joint network lin_dec", "linear", span, Linear(decoder_output, space, bias=bias)))
    omitted.append(
        Omission(
            f"the joint network's output layer lin_out is not counted (Linear({space}, vocabulary)): "
            "the token list is not in this file",
            span,
        )
    )


def _enh_s2t(doc: Document, layers: list[LayerSpec], omitted: list[Omission], defaulted: list[str]) -> None:
    """EnhS2TTask (espnet2/tasks/enh_s2t.py): an enhancement front end from the ``enh_*`` sections, then
    the ``asr_*`` / ``st_*`` / ``diar_*`` back end."""
    data: dict[str, Any] = doc.data
    view = {key[4:]: value for key, value in data.items() if key.startswith("enh_")}
    locate = doc.locator

    def option_span(key: str) -> Span | None:
        conf = data.get("enh_separator_conf")
        return locate.key(("enh_separator_conf", key)) if isinstance(conf, dict) and key in conf else None

    section = "enh_separator_conf" if isinstance(data.get("enh_separator_conf"), dict) else "enh_separator"
    start = len(layers)
    _espnet2_enh.separator_entries(view, locate.key((section,)), option_span, layers, omitted, defaulted)
    for index in range(start, len(layers)):
        layers[index] = layers[index]._replace(name=f"enh {layers[index].name}")
    for prefix in ("asr", "st", "diar"):
        for part in ("encoder", "decoder"):
            name = data.get(f"{prefix}_{part}")
            if not isinstance(name, str) or name in ("none", "null"):
                continue
            span = locate.key((f"{prefix}_{part}",))
            if name in ("rnn", "vgg_rnn", "transducer"):
                reason = (
                    f"rnnlint does not count the {prefix}_{part} of a joint enh_s2t model ({prefix}_{part}: {name})"
                )
                layers.append(LayerSpec(f"{prefix} {part}", name, span, Unknown(name, reason)))
            else:
                message = f"the {name} {prefix} {part} is not counted: rnnlint counts recurrent models only"
                omitted.append(Omission(message, span))


ATT_DEFAULTS: dict[str, Any] = {"atype": "location", "num_att": 1, "adim": 320, "aconv_chans": 10, "aconv_filts": 100}


def _attention(
    doc: Document,
    dec: _Conf,
    eprojs: int | None,
    dunits: int,
    layers: list[LayerSpec],
    omitted: list[Omission],
    defaulted: list[str],
) -> None:
    """RNNDecoder's ``build_attention_list(eprojs, dunits, **att_conf)`` (espnet2/asr/decoder/rnn_decoder.py)
    with ESPnet1's attentions: location (AttLoc: mlp_enc, mlp_dec and mlp_att without bias, the location
    Conv2d(1, aconv_chans, (1, 2 * aconv_filts + 1)) without bias, gvec), dot (AttDot), add (AttAdd), noatt."""
    raw = dec.values.get("att_conf")
    conf: dict[str, Any] = raw if isinstance(raw, dict) else {}

    def get(key: str) -> Any:
        if conf.get(key) is not None:
            return conf[key]
        defaulted.append(f"decoder_conf.att_conf.{key}: {ATT_DEFAULTS[key]}")
        return ATT_DEFAULTS[key]

    atype = str(get("atype"))
    count, adim = as_int(get("num_att"), strings=True), as_int(get("adim"), strings=True)
    encs = as_int(conf.get("num_encs", 1), strings=True)
    if eprojs is None or count is None or adim is None or encs != 1 or atype not in ("location", "dot", "add", "noatt"):
        omitted.append(Omission(f"the decoder attention ({atype}) is not counted", dec.span()))
        return
    if atype == "noatt":
        return
    e, d, a = eprojs, dunits, adim
    if atype == "location":
        chans, filts = as_int(get("aconv_chans"), strings=True), as_int(get("aconv_filts"), strings=True)
        if chans is None or filts is None:
            omitted.append(Omission("the decoder attention (location) is not counted", dec.span()))
            return
        one = (e * a + a) + d * a + chans * a + chans * (2 * filts + 1) + (a + 1)
        formula = (
            f"AttLoc: Linear({e}, {a}) + Linear({d}, {a}, no bias) + Linear({chans}, {a}, no bias) + "
            f"Conv2d(1, {chans}, (1, {2 * filts + 1}), no bias) + Linear({a}, 1) = {one:,}"
        )
    elif atype == "dot":
        one = (e * a + a) + (d * a + a)
        formula = f"AttDot: Linear({e}, {a}) + Linear({d}, {a}) = {one:,}"
    else:
        one = (e * a + a) + d * a + (a + 1)
        formula = f"AttAdd: Linear({e}, {a}) + Linear({d}, {a}, no bias) + Linear({a}, 1) = {one:,}"
    if count != 1:
        formula = f"{count} x [{formula}] = {count * one:,}"
    layers.append(LayerSpec("decoder attention", atype, dec.span(), Fixed(count * one, formula, e)))
