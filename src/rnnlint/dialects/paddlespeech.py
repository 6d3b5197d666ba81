"""PaddleSpeech configs: DeepSpeech2 (``examples/*/asr0``) and Tacotron2 (``examples/*/tts0``).

DeepSpeech2 (``paddlespeech/s2t/models/ds2/deepspeech2.py``, ``DeepSpeech2Model.from_config``
and ``CRNNEncoder.__init__``; the streaming "online" recipes build the same class with
``rnn_direction: forward``):

- ``Conv2dSubsampling4Pure(feat_dim, 32)`` (``ds2/conv.py``, from ``s2t/modules/subsampling.py``
  ``Conv2dSubsampling4``): ``Conv2D(1, 32, 3, 2)``, ``Conv2D(32, 32, 3, 2)`` and the parent's
  ``out`` ``Linear(32 * (((feat_dim - 1) // 2 - 1) // 2), 32)``, which is built (it holds
  parameters) although the Pure forward never calls it. ``num_conv_layers`` is read but not used.
  The RNN input is ``((feat_dim - 1) // 2 - 1) // 2 * 32``.
- ``num_rnn_layers`` separate one-layer ``nn.LSTM`` (``nn.GRU`` with ``use_gru``) of
  ``rnn_layer_size``, ``direction`` ``rnn_direction`` (forward | bidirect); the first takes the
  convolution output, the others the previous layer's output; a ``LayerNorm`` after each.
  Paddle's ``nn.LSTM``/``nn.GRU`` keep PyTorch's layout (``weight_ih``, ``weight_hh``,
  ``bias_ih``, ``bias_hh`` per layer and direction), so they count as PyTorch RNNs.
- ``num_fc_layers`` ``Linear`` layers of ``fc_layers_size_list``; then the CTC decoder's
  ``Linear(encoder output, vocabulary)``: an omission (the vocabulary is a file).
- ``feat_dim`` is the dataloader's feature size (``input_dim`` = ``feat_dim``); without it
  the first layers' input is unknown until ``[[tool.rnnlint.overrides]] input_size = N``.

Tacotron2 (``paddlespeech/t2s/models/tacotron2/tacotron2.py``, ``modules/tacotron2/encoder.py``
and ``decoder.py``) is ESPnet's Tacotron2 ported to Paddle (same modules, same sizes), so the
``model`` section's keys go through the ESPnet builder (``_espnet.tacotron2_entries``: encoder
convolutions, BLSTM, decoder LSTMCells). ``t2s/exps/tacotron2/train.py`` passes ``odim = n_mels``,
which the file states, so the decoder's extras are counted too: the ``AttLoc`` attention
(``atype: location``; other attentions are omissions), the prenet, the postnet, ``feat_out`` and
``prob_out``, and ``projection`` for ``spk_embed_integration_type: add``. The token embedding is
sized by the phone dictionary (an omission), as are ``spk_num`` / ``lang_num`` tables.
"""

from __future__ import annotations

from typing import Any

from rnnlint import codes
from rnnlint.dialects import Adapted, AdaptOptions, espnet2
from rnnlint.dialects._espnet import Tacotron2, cell_stack, tacotron2_entries, tacotron2_from
from rnnlint.dialects._support import SectionReader, as_bool, as_int, how_to_state
from rnnlint.model import (
    Assumption,
    Composite,
    Fixed,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Omission,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)
from rnnlint.parse.document import DocPath, Document
from rnnlint.parse.source import Problem

NAME = "paddlespeech"

DS2_KEYS = ("num_rnn_layers", "rnn_layer_size")
# CRNNEncoder / DeepSpeech2Model signature defaults.
DS2_DEFAULTS: dict[str, Any] = {
    "num_rnn_layers": 4,
    "rnn_layer_size": 1024,
    "rnn_direction": "forward",
    "num_fc_layers": 2,
    "fc_layers_size_list": [512, 256],
    "use_gru": False,
}
CONV_CHANNELS = 32
TACOTRON_KEYS = ("elayers", "eunits", "dlayers", "dunits", "econv_layers")
# paddlespeech.t2s.models.tacotron2.Tacotron2.__init__ defaults: ESPnet2's Tacotron2 (which it ports) plus the
# attention and postnet defaults ESPnet2's table leaves to its own reader.
TACOTRON_DEFAULTS: dict[str, Any] = {
    **espnet2.TACOTRON_DEFAULTS,
    "atype": "location",
    "adim": 512,
    "aconv_chans": 32,
    "aconv_filts": 15,
    "postnet_layers": 5,
    "postnet_chans": 512,
    "postnet_filts": 5,
    "use_concate": True,
    "reduction_factor": 1,
}
EXTRA_KEYS = (
    "adim",
    "aconv_chans",
    "aconv_filts",
    "postnet_layers",
    "postnet_chans",
    "postnet_filts",
    "reduction_factor",
)
HOW_TO_STATE = how_to_state(first="feat_dim")


def _ds2_section(data: Any) -> tuple[DocPath, dict[str, Any]] | None:
    if not isinstance(data, dict):
        return None
    if all(key in data for key in DS2_KEYS) and "use_gru" in data:
        return (), data
    model = data.get("model")
    if isinstance(model, dict) and all(key in model for key in DS2_KEYS) and "use_gru" in model:
        return ("model",), model
    return None


def _is_tacotron2(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    model = data.get("model")
    return (
        isinstance(model, dict)
        and all(key in model for key in TACOTRON_KEYS)
        and "n_mels" in data
        and ("updater" in data or "fs" in data)
    )


def detect(data: Any) -> bool:
    return _ds2_section(data) is not None or _is_tacotron2(data)


class _Reader(SectionReader):
    """Keys of one section, recording the signature defaults used for absent ones."""

    def __init__(self, doc: Document, base: DocPath, values: dict[str, Any], defaults: dict[str, Any]) -> None:
        super().__init__(doc, base, values, defaults=defaults, whole="value" if base else Span(1, 1))
        self.base = base


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    section = _ds2_section(doc.data)
    if section is not None:
        return Adapted(_deepspeech2(doc, section[0], section[1], options))
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("model"), dict):  # only with --dialect forced
        message = "not a PaddleSpeech config: no DeepSpeech2 keys (num_rnn_layers, rnn_layer_size) or `model` mapping"
        return Adapted(None, [Problem(codes.RNN002, message, Span(1, 1))])
    return Adapted(_tacotron2(doc))


def _deepspeech2(doc: Document, base: DocPath, values: dict[str, Any], options: AdaptOptions) -> ModelConfig:
    reader = _Reader(doc, base, values, DS2_DEFAULTS)
    notes: list[Assumption] = []
    omitted: list[Omission] = []
    layers: list[LayerSpec] = []
    whole = reader.span()
    num_layers, size = (
        as_int(reader.get("num_rnn_layers"), strings=True),
        as_int(reader.get("rnn_layer_size"), strings=True),
    )
    direction = str(reader.get("rnn_direction"))
    use_gru = as_bool(reader.get("use_gru"), False)
    if num_layers is None or size is None or direction not in ("forward", "bidirect", "bidirectional"):
        reason = "DeepSpeech2 needs integer num_rnn_layers, rnn_layer_size and rnn_direction forward|bidirect"
        layers.append(LayerSpec("encoder.rnn", "rnn", whole, Unknown("CRNNEncoder", reason)))
        return _model(doc, layers, notes, omitted, "DeepSpeech2Model")
    bidirectional = direction != "forward"
    feat = options.input_size if options.input_size is not None else as_int(doc.data.get("feat_dim"), strings=True)
    if feat is None:
        feat = as_int(values.get("feat_dim"), strings=True)
    if feat is None:
        notes.append(Assumption(f"encoder input: the feature size is not in this file; {HOW_TO_STATE}", whole))

    # Conv2dSubsampling4Pure: two stride-2 3x3 convolutions, 32 channels, and the unused `out` Linear.
    conv_out = ((feat - 1) // 2 - 1) // 2 * CONV_CHANNELS if feat is not None else None
    conv_params = (1 * CONV_CHANNELS * 9 + CONV_CHANNELS) + (CONV_CHANNELS * CONV_CHANNELS * 9 + CONV_CHANNELS)
    conv_formula = f"Conv2D(1, 32, 3, 2) + Conv2D(32, 32, 3, 2): (32x1x3x3 + 32) + (32x32x3x3 + 32) = {conv_params:,}"
    span = reader.span("num_conv_layers")
    layers.append(LayerSpec("encoder.conv", "conv2d", span, Fixed(conv_params, conv_formula, conv_out)))
    layers.append(
        LayerSpec(
            "encoder.conv.out (built, not used by Conv2dSubsampling4Pure.forward)",
            "linear",
            span,
            Linear(conv_out, CONV_CHANNELS),
        )
    )
    kind: RecurrentKind = "gru" if use_gru else "lstm"
    width = size * (2 if bidirectional else 1)
    rnns: list[Module] = [
        Recurrent(kind, size, conv_out if i == 0 else width, bidirectional=bidirectional) for i in range(num_layers)
    ]
    if rnns:
        module: Module = rnns[0] if len(rnns) == 1 else Composite(tuple(rnns), output_size=width)
        name = f"encoder.rnn (x{num_layers}, one layer each)" if num_layers > 1 else "encoder.rnn"
        layers.append(LayerSpec(name, ("b" if bidirectional else "") + kind, reader.span("num_rnn_layers"), module))
        norm = Fixed(2 * width * num_layers, f"{num_layers} x LayerNorm({width}): {num_layers} x 2x{width}", width)
        layers.append(LayerSpec("encoder.layernorm_list", "layer_norm", reader.span("rnn_layer_size"), norm))
    fc = _fc_layers(reader, width)  # CRNNEncoder: fc_input_size = layernorm_size
    if isinstance(fc, str):
        layers.append(LayerSpec("encoder.fc_layers_list", "linear", reader.span("num_fc_layers"), Unknown("fc", fc)))
    elif fc:
        layers.append(LayerSpec("encoder.fc_layers_list", "linear", reader.span("num_fc_layers"), Composite(fc)))
    omitted.append(
        Omission(
            "the CTC output layer (Linear(encoder output, vocabulary)) is not counted: the vocabulary is "
            "in vocab_filepath, which rnnlint does not read",
            reader.span("vocab_filepath") if "vocab_filepath" in doc.data else whole,
        )
    )
    if reader.defaulted:
        notes.append(
            Assumption(
                "DeepSpeech2Model defaults assumed for keys not in the file: "
                + ", ".join(reader.defaulted)
                + "; add them to make the count explicit",
                whole,
            )
        )
    return _model(doc, layers, notes, omitted, "DeepSpeech2Model")


def _fc_layers(reader: _Reader, first: int | None) -> tuple[Module, ...] | str:
    count = as_int(reader.get("num_fc_layers"), strings=True)
    if count is None:
        return "num_fc_layers is not an integer"
    if count <= 0:
        return ()
    sizes = reader.get("fc_layers_size_list")
    widths = [as_int(s, strings=True) for s in sizes] if isinstance(sizes, list) else []
    if len(widths) < count or any(w is None for w in widths[:count]):
        return f"fc_layers_size_list does not list {count} integer sizes"
    parts: list[Module] = []
    current = first
    for width in widths[:count]:
        assert width is not None
        parts.append(Linear(current, width))
        current = width
    return tuple(parts)


def _tacotron2(doc: Document) -> ModelConfig:
    values: dict[str, Any] = doc.data["model"]
    reader = _Reader(doc, ("model",), values, TACOTRON_DEFAULTS)
    notes: list[Assumption] = []
    omitted: list[Omission] = []
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
    ints = {key: as_int(reader.get(key), strings=True) for key in keys}
    missing = [key for key, value in ints.items() if value is None]
    whole = reader.span()
    if missing:
        unknown = Unknown("Tacotron2", f"not integers: {', '.join(missing)}")
        return _model(doc, [LayerSpec("tacotron2", "tacotron2", whole, unknown)], notes, omitted, "Tacotron2")
    v = {key: int(value) for key, value in ints.items() if value is not None}
    spk = as_int(values.get("spk_embed_dim"), strings=True)
    with_spk = spk is not None and spk > 0
    t = tacotron2_from(
        v, as_bool(reader.get("use_batch_norm"), True), spk, lambda: reader.get("spk_embed_integration_type")
    )
    spans = {part: reader.span(key) for part, key in (("encoder", "eunits"), ("decoder", "dunits")) if key in values}
    layers = tacotron2_entries(t, spans, whole)
    odim = as_int(doc.data.get("n_mels"), strings=True)  # train.py: Tacotron2(idim=vocab_size, odim=config.n_mels, ...)
    dec_idim = t.eunits + (t.spk_embed_dim or 0 if t.spk_concat else 0)
    if odim is None:
        notes.append(
            Assumption("n_mels (the decoder's odim) is not an integer: the decoder extras are not counted", whole)
        )
    else:
        if t.prenet_layers == 0:
            # Decoder.__init__: prenet_units = odim without a prenet, so the first cell reads idim + odim.
            layers = [
                entry._replace(module=cell_stack("lstm", dec_idim + odim, t.dunits, t.dlayers))
                if entry.name == "decoder"
                else entry
                for entry in layers
            ]
        layers.extend(_tacotron2_decoder_extras(reader, t, odim, dec_idim, omitted))
    if with_spk and str(reader.get("spk_embed_integration_type")) == "add":
        projection = Linear(spk, t.eunits)
        layers.append(LayerSpec("projection (speaker embedding)", "linear", reader.span("spk_embed_dim"), projection))
    omitted.append(
        Omission(
            "the token embedding is not counted: its size is the phone dictionary's (phones_dict), not in this file",
            whole,
        )
    )
    for key, table in (("spk_num", "sid_emb"), ("lang_num", "lid_emb")):
        number = as_int(values.get(key), strings=True)
        if number is not None and number > 1:
            omitted.append(Omission(f"the {key} embedding table ({table}) is not counted", reader.span(key)))
    if reader.defaulted:
        notes.append(
            Assumption(
                "Tacotron2 defaults assumed for keys not in the file: "
                + ", ".join(reader.defaulted)
                + "; add them under model: to make the count explicit",
                whole,
            )
        )
    return _model(doc, layers, notes, omitted, "Tacotron2")


def _tacotron2_decoder_extras(
    reader: _Reader, t: Tacotron2, odim: int, dec_idim: int, omitted: list[Omission]
) -> list[LayerSpec]:
    """Attention, prenet, postnet and the feature/stop outputs (t2s/modules/tacotron2/decoder.py)."""
    layers: list[LayerSpec] = []
    ints = {key: as_int(reader.get(key), strings=True) for key in EXTRA_KEYS}
    missing = [key for key, value in ints.items() if value is None]
    if missing:
        omitted.append(
            Omission(f"the decoder extras are not counted: not integers: {', '.join(missing)}", reader.span())
        )
        return layers
    v = {key: int(value) for key, value in ints.items() if value is not None}
    atype = str(reader.get("atype"))
    if atype == "location":
        # attentions.py AttLoc(eprojs=dec_idim, dunits, adim, aconv_chans, aconv_filts).
        adim, chans, filts = v["adim"], v["aconv_chans"], v["aconv_filts"]
        conv = chans * (2 * filts + 1)
        parts: tuple[Module, ...] = (
            Linear(dec_idim, adim),  # mlp_enc
            Linear(t.dunits, adim, bias=False),  # mlp_dec
            Linear(chans, adim, bias=False),  # mlp_att
            Fixed(conv, f"loc_conv: Conv2D(1, {chans}, (1, {2 * filts + 1}), no bias) = {conv:,}", chans),
            Linear(adim, 1),  # gvec
        )
        layers.append(LayerSpec("decoder attention (AttLoc)", "att_loc", reader.span("atype"), Composite(parts)))
    else:
        omitted.append(
            Omission(f"the {atype!r} attention is not counted (rnnlint counts AttLoc)", reader.span("atype"))
        )
    if t.prenet_layers > 0:
        prenet = tuple(Linear(odim if i == 0 else t.prenet_units, t.prenet_units) for i in range(t.prenet_layers))
        layers.append(LayerSpec("decoder prenet", "linear", reader.span("prenet_layers"), Composite(prenet)))
    if v["postnet_layers"] > 0:
        n, chans, filts = v["postnet_layers"], v["postnet_chans"], v["postnet_filts"]
        bn = as_bool(reader.get("use_batch_norm"), True)
        total = 0
        for layer in range(n - 1):
            ichans = odim if layer == 0 else chans
            total += ichans * chans * filts + (2 * chans if bn else 0)
        last_in = chans if n != 1 else odim
        total += last_in * odim * filts + (2 * odim if bn else 0)
        formula = f"{n} x Conv1D(k={filts}, no bias){' + BatchNorm1D' if bn else ''}: {odim} -> {chans} ... -> {odim}"
        layers.append(
            LayerSpec(
                "decoder postnet", "conv1d", reader.span("postnet_layers"), Fixed(total, f"{formula} = {total:,}", odim)
            )
        )
    iunits = dec_idim + t.dunits if as_bool(reader.get("use_concate"), True) else t.dunits
    r = v["reduction_factor"]
    layers.append(
        LayerSpec("decoder feat_out", "linear", reader.span("reduction_factor"), Linear(iunits, odim * r, bias=False))
    )
    layers.append(LayerSpec("decoder prob_out", "linear", reader.span("reduction_factor"), Linear(iunits, r)))
    return layers


def _model(
    doc: Document, layers: list[LayerSpec], notes: list[Assumption], omitted: list[Omission], name: str
) -> ModelConfig:
    return ModelConfig(
        dialect=NAME,
        framework="pytorch",
        layers=tuple(layers),
        span=Span(1, 1),
        name=name,
        assumptions=tuple(notes),
        omitted=tuple(omitted),
    )
