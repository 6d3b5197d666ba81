"""ESPnet2 TTS/SVS parts with recurrent layers beyond Tacotron2's encoder and decoder.

- GST (``use_gst: true`` in ``tts_conf``; ``espnet2/tts/gst/style_encoder.py`` ``StyleEncoder``):
  a ``ReferenceEncoder`` of ``gst_conv_layers`` ``Conv2d(k x k, stride, no bias)`` + ``BatchNorm2d``
  over the mel-spectrogram (``odim`` bins) and ``nn.GRU(F' * chans[-1], gst_gru_units,
  gst_gru_layers)``, with ``F'`` the bins after the strided convolutions; then a
  ``StyleTokenLayer``: ``gst_tokens x (token_dim // gst_heads)`` embeddings and a multi-head
  attention (``linear_q`` from ``gst_gru_units``, ``linear_k``/``linear_v`` from
  ``token_dim // gst_heads``, ``linear_out``, all to ``token_dim``). ``token_dim`` is ``eunits``
  for Tacotron2 and ``adim`` for FastSpeech/FastSpeech2/Transformer. ``odim`` is the feature
  extractor's output (``feats_extract_conf.n_mels`` of the default ``fbank``, 80).
- SVS ``naive_rnn`` / ``naive_rnn_dp`` (``espnet2/svs/naive_rnn/naive_rnn.py``, ``naive_rnn_dp.py``):
  ``encoder`` and ``midi_encoder`` (and ``duration_encoder`` for dp) are
  ``nn.LSTM(eunits, eunits, elayers, dropout=edropout_rate, bidirectional=ebidirectional)``,
  ``midi_projection`` a ``Linear`` over the directions, ``decoder``
  ``nn.LSTM(eunits (dp: eunits * directions), eunits (dp: dunits), dlayers, dropout=ddropout_rate,
  bidirectional=dbidirectional)``. The prenets (token embedding), the duration predictor, the output
  layer and postnet (``odim``) are omissions.
"""

from __future__ import annotations

from typing import Any

from rnnlint.dialects._support import as_bool, as_float, as_int
from rnnlint.model import Assumption, Composite, Fixed, LayerSpec, Linear, Omission, Recurrent, Span, Unknown
from rnnlint.parse.document import Document

GST_DEFAULTS: dict[str, Any] = {
    "gst_tokens": 10,
    "gst_heads": 4,
    "gst_conv_layers": 6,
    "gst_conv_chans_list": [32, 32, 64, 64, 128, 128],
    "gst_conv_kernel_size": 3,
    "gst_conv_stride": 2,
    "gst_gru_layers": 1,
    "gst_gru_units": 128,
}
# The attention width of the style token layer: tts_conf key and its class default.
TOKEN_DIM = {"tacotron2": ("eunits", 512), "fastspeech": ("adim", 384), "fastspeech2": ("adim", 384)}
TOKEN_DIM["transformer"] = ("adim", 512)
DEFAULT_ODIM = 80

NAIVE_RNN_DEFAULTS: dict[str, Any] = {
    "elayers": 3,
    "eunits": 1024,
    "ebidirectional": True,
    "midi_embed_integration_type": "add",
    "dlayers": 3,
    "dunits": 1024,
    "dbidirectional": True,
    "edropout_rate": 0.1,
    "ddropout_rate": 0.1,
}


def _odim(doc: Document, span: Span, notes: list[Assumption]) -> int | None:
    data: dict[str, Any] = doc.data
    if as_int(data.get("odim"), strings=True) is not None:
        return as_int(data.get("odim"), strings=True)
    extractor = data.get("feats_extract", "fbank")
    conf = data.get("feats_extract_conf")
    if extractor == "fbank":
        n_mels = as_int(conf.get("n_mels"), strings=True) if isinstance(conf, dict) else None
        if n_mels is not None:
            return n_mels
        notes.append(
            Assumption(
                f"GST input: the mel-spectrogram size is not in this file; assumed {DEFAULT_ODIM} (n_mels of "
                "ESPnet2's default fbank feature extractor); state it with feats_extract_conf.n_mels",
                span,
            )
        )
        return DEFAULT_ODIM
    return None


def gst_entries(
    doc: Document, tts: str, conf: dict[str, Any], span: Span, notes: list[Assumption], defaulted: list[str]
) -> list[LayerSpec]:
    def get(key: str) -> Any:
        if conf.get(key) is not None:
            return conf[key]
        defaulted.append(f"tts_conf.{key}: {GST_DEFAULTS[key]}")
        return GST_DEFAULTS[key]

    values = {key: as_int(get(key), strings=True) for key in GST_DEFAULTS if key != "gst_conv_chans_list"}
    chans = get("gst_conv_chans_list")
    token_key, token_default = TOKEN_DIM.get(tts, ("", 0))
    if token_key and conf.get(token_key) is None:
        defaulted.append(f"tts_conf.{token_key}: {token_default}")
    token_dim = as_int(conf.get(token_key, token_default), strings=True) if token_key else None
    layers_n = values["gst_conv_layers"]
    bad = [k for k, v in values.items() if v is None]
    if (
        bad
        or not isinstance(chans, (list, tuple))
        or layers_n is None
        or len(chans) != layers_n
        or any(as_int(c, strings=True) is None for c in chans[:layers_n])
        or token_dim is None
    ):
        reason = "GST sizes must be integers, and gst_conv_chans_list exactly gst_conv_layers long (ESPnet asserts it)"
        if token_dim is None:
            reason = f"the style token width of {tts!r} is not known"
        return [LayerSpec("gst", "gru", span, Unknown("StyleEncoder", reason))]
    v = {k: int(x or 0) for k, x in values.items()}
    ch = [int(as_int(c, strings=True) or 0) for c in chans[: v["gst_conv_layers"]]]
    k, stride = v["gst_conv_kernel_size"], v["gst_conv_stride"]
    entries: list[LayerSpec] = []
    convs = sum((1 if i == 0 else ch[i - 1]) * ch[i] * k * k + 2 * ch[i] for i in range(len(ch)))
    formula = f"{len(ch)} x [Conv2d({k}x{k}, stride {stride}, no bias) + BatchNorm2d], channels {ch} = {convs:,}"
    entries.append(
        LayerSpec("gst reference encoder convolutions", "conv2d", span, Fixed(convs, formula, ch[-1] if ch else 1))
    )
    odim = _odim(doc, span, notes)
    gru_in: int | None = None
    if odim is not None:
        padding = (k - 1) // 2
        width = odim
        for _ in range(len(ch)):
            width = (width - k + 2 * padding) // stride + 1
        gru_in = width * (ch[-1] if ch else 1)
    gru = Recurrent("gru", v["gst_gru_units"], gru_in, num_layers=v["gst_gru_layers"])
    entries.append(LayerSpec("gst reference encoder gru", "gru", span, gru))
    heads, tokens, units = v["gst_heads"], v["gst_tokens"], v["gst_gru_units"]
    kv = token_dim // heads
    embs = tokens * kv
    entries.append(
        LayerSpec("gst style token embeddings", "embedding", span, Fixed(embs, f"{tokens} x {kv} = {embs:,}", kv))
    )
    attention = Composite(
        (Linear(units, token_dim), Linear(kv, token_dim), Linear(kv, token_dim), Linear(token_dim, token_dim)),
        output_size=token_dim,
    )
    entries.append(LayerSpec("gst style token attention (q, k, v, out)", "linear", span, attention))
    return entries


def joint_entries(
    doc: Document,
    section: str,
    model: str,
    span: Span,
    layers: list[LayerSpec],
    omitted: list[Omission],
    defaulted: list[str],
) -> None:
    """``joint_score2wav`` / ``joint_text2wav`` (espnet2/gan_svs/joint, espnet2/gan_tts/joint): a score2mel or
    text2mel model built from ``*_params``, a vocoder and its discriminator."""
    raw = doc.data.get(f"{section}_conf")
    conf: dict[str, Any] = raw if isinstance(raw, dict) else {}
    stage = "score2mel" if section == "svs" else "text2mel"
    inner = str(conf.get(f"{stage}_type", "xiaoice" if section == "svs" else "fastspeech2"))
    params = conf.get(f"{stage}_params")
    inner_conf: dict[str, Any] = params if isinstance(params, dict) else {}
    if section == "svs" and inner in ("naive_rnn", "naive_rnn_dp"):
        path = (f"{section}_conf", f"{stage}_params")
        svs_entries(doc, inner, inner_conf, path, span, layers, omitted, defaulted)
    elif inner in ("tacotron2", "singing_tacotron"):
        reason = f"rnnlint does not count the {inner} inside {model} ({stage}_type: {inner})"
        layers.append(LayerSpec(stage, inner, span, Unknown(inner, reason)))
    else:
        omitted.append(
            Omission(f"the {inner} {stage} model of {model} is not counted: rnnlint counts recurrent models only", span)
        )
    vocoder = conf.get("vocoder_type", "hifigan_generator")
    omitted.append(Omission(f"the {vocoder} vocoder and the discriminators of {model} are not counted (no RNN)", span))


def svs_entries(
    doc: Document,
    svs: str,
    conf: dict[str, Any],
    conf_path: tuple[str, ...],
    span: Span,
    layers: list[LayerSpec],
    omitted: list[Omission],
    defaulted: list[str],
) -> None:
    key_prefix = ".".join(conf_path)
    if svs == "singing_tacotron":
        _singing_tacotron(conf, key_prefix, span, layers, omitted, defaulted)
        return
    if svs not in ("naive_rnn", "naive_rnn_dp"):
        omitted.append(Omission(f"the {svs} SVS model is not counted: rnnlint counts recurrent models only", span))
        return

    def get(key: str) -> Any:
        if conf.get(key) is not None:
            return conf[key]
        defaulted.append(f"{key_prefix}.{key}: {NAIVE_RNN_DEFAULTS[key]}")
        return NAIVE_RNN_DEFAULTS[key]

    elayers, eunits, dlayers = (
        as_int(get("elayers"), strings=True),
        as_int(get("eunits"), strings=True),
        as_int(get("dlayers"), strings=True),
    )
    dunits = as_int(get("dunits"), strings=True) if svs == "naive_rnn_dp" else eunits
    if elayers is None or eunits is None or dlayers is None or dunits is None:
        reason = f"{svs} needs integer elayers, eunits, dlayers" + (", dunits" if svs == "naive_rnn_dp" else "")
        layers.append(LayerSpec("svs", svs, span, Unknown(svs, reason)))
        return
    ebi = as_bool(get("ebidirectional"), True)
    dbi = as_bool(get("dbidirectional"), True)
    directions = 2 if ebi else 1

    def dropout_options(key: str, num_layers: int) -> tuple[dict[str, Any], dict[str, Span]]:
        # The LSTMs get dropout itself (RNN203 applies); only a value the file states is reported.
        value = as_float(conf.get(key))
        if value:
            return {"dropout": value}, {"dropout": doc.locator.key((*conf_path, key))}
        return {}, {}

    names = ["encoder", "midi_encoder"] + (["duration_encoder"] if svs == "naive_rnn_dp" else [])
    opts, spans = dropout_options("edropout_rate", elayers)
    for name in names:
        lstm = Recurrent("lstm", eunits, eunits, num_layers=elayers, bidirectional=ebi)
        layers.append(LayerSpec(name, "blstm" if ebi else "lstm", span, lstm, options=opts, option_spans=spans))
    concat = str(get("midi_embed_integration_type")) != "add"
    width = eunits * directions
    inputs = (len(names) if concat else 1) * width
    layers.append(LayerSpec("midi_projection", "linear", span, Linear(inputs, width)))
    dec_in = width if svs == "naive_rnn_dp" else eunits
    opts, spans = dropout_options("ddropout_rate", dlayers)
    decoder = Recurrent("lstm", dunits, dec_in, num_layers=dlayers, bidirectional=dbi)
    layers.append(LayerSpec("decoder", "blstm" if dbi else "lstm", span, decoder, options=opts, option_spans=spans))
    parts = "the token and midi prenets (the token embedding depends on the token list)"
    if svs == "naive_rnn_dp":
        parts += ", the duration predictor"
    omitted.append(
        Omission(f"{parts}, the output layer and the postnet (odim) are not counted", span),
    )


SINGING_TACOTRON_DEFAULTS: dict[str, Any] = {
    "embed_dim": 512,
    "elayers": 1,
    "eunits": 512,
    "econv_layers": 3,
    "econv_chans": 512,
    "dlayers": 2,
    "dunits": 1024,
    "prenet_layers": 2,
    "prenet_units": 256,
    "spk_embed_integration_type": "concat",
}


def _singing_tacotron(
    conf: dict[str, Any],
    key_prefix: str,
    span: Span,
    layers: list[LayerSpec],
    omitted: list[Omission],
    defaulted: list[str],
) -> None:
    """espnet2/svs/singing_tacotron: ``enc`` and ``dur_enc`` (svs/singing_tacotron/encoder.py Encoder) each end in
    ``nn.LSTM(econv_chans or embed_dim, eunits // 2, elayers, bidirectional)``; the decoder (decoder.py) stacks
    ``dlayers`` LSTMCells, the first over ``eunits (+ spk_embed_dim) + prenet_units``."""

    def get(key: str) -> Any:
        if conf.get(key) is not None:
            return conf[key]
        defaulted.append(f"{key_prefix}.{key}: {SINGING_TACOTRON_DEFAULTS[key]}")
        return SINGING_TACOTRON_DEFAULTS[key]

    keys = ("embed_dim", "elayers", "eunits", "econv_layers", "econv_chans", "dlayers", "dunits", "prenet_layers")
    values = {key: as_int(get(key), strings=True) for key in (*keys, "prenet_units")}
    missing = [k for k, v in values.items() if v is None]
    if missing:
        reason = f"singing_tacotron needs integer {', '.join(missing)}"
        layers.append(LayerSpec("svs", "singing_tacotron", span, Unknown("SingingTacotron", reason)))
        return
    v = {k: int(x or 0) for k, x in values.items()}
    if v["elayers"] > 0:
        iunits = v["econv_chans"] if v["econv_layers"] != 0 else v["embed_dim"]
        for name in ("enc.blstm", "dur_enc.blstm"):
            lstm = Recurrent("lstm", v["eunits"] // 2, iunits, num_layers=v["elayers"], bidirectional=True)
            layers.append(LayerSpec(name, "blstm", span, lstm))
    dec_idim = v["eunits"]
    spk = as_int(conf.get("spk_embed_dim"), strings=True)
    if spk and spk > 0 and str(get("spk_embed_integration_type")) == "concat":
        dec_idim += spk
    # Without a prenet the first cell reads odim (the mel size), which is not in this file.
    first = dec_idim + v["prenet_units"] if v["prenet_layers"] != 0 else None
    cells = tuple(
        Recurrent("lstm", v["dunits"], first if i == 0 else v["dunits"], cell=True) for i in range(v["dlayers"])
    )
    if cells:
        module = cells[0] if len(cells) == 1 else Composite(cells, output_size=v["dunits"])
        layers.append(LayerSpec("dec.lstm", "lstm_cell", span, module))
    omitted.append(
        Omission(
            "the singing_tacotron embeddings, encoder convolutions, duration encoder, attention, prenet, postnet "
            "and output layers are not counted: only its LSTMs are",
            span,
        )
    )
