"""Builders shared by the ESPnet1 and ESPnet2 dialects.

ESPnet2 reuses ESPnet1's torch modules (``espnet/nets/pytorch_backend/rnn/encoders.py``:
``RNNP``, ``RNN``, ``VGG2L``; ``tacotron2/encoder.py`` and ``decoder.py``), so the shapes
are built once here and each dialect only maps its own keys onto them.

- ``RNNP`` (the ``p`` suffix, ESPnet2 ``use_projection``): ``elayers`` separate one-layer
  RNNs; layer 0 takes the input, the others ``eprojs``; after each a bottleneck
  ``Linear(eunits * directions, eprojs)``.
- ``RNN``: one ``nn.LSTM``/``nn.GRU`` with ``elayers`` layers, then ``Linear(eunits * directions, eprojs)``.
- The ESPnet1 transducer's ``RNN`` (``transducer/rnn_encoder.py``) is a stack of one-layer RNNs
  whose bidirectional outputs are summed, so layers after the first take ``eunits``, and its
  last Linear is ``Linear(eunits, eprojs)``.
- ``VGG2L``: four 3x3 convolutions (64, 64, 128, 128 channels) and two ceil-mode poolings; its
  output has ``128 * ceil(ceil(idim / in_channel / 2) / 2)`` features.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rnnlint.model import Composite, Fixed, LayerSpec, Linear, Module, Recurrent, RecurrentKind, Span

# ESPnet1 etype grammar: [vgg]{b}{lstm|gru}[p].
ETYPE = re.compile(r"^(vgg)?(b)?(lstm|gru)(p)?$")


def vgg2l_odim(idim: int, in_channel: int = 1) -> int:
    """``espnet.nets.e2e_asr_common.get_vgg2l_odim``: two ceil-mode halvings, 128 channels."""
    size = idim / in_channel
    size = math.ceil(size / 2)
    size = math.ceil(size / 2)
    return int(size) * 128


def vgg2l(idim: int | None, in_channel: int = 1) -> Fixed:
    """The VGG2L front end's parameters (Conv2d weights and biases)."""
    convs = ((in_channel, 64), (64, 64), (64, 128), (128, 128))
    params = sum(cin * cout * 9 + cout for cin, cout in convs)
    text = " + ".join(f"({cout}x{cin}x3x3 + {cout})" for cin, cout in convs)
    out = vgg2l_odim(idim, in_channel) if idim is not None else None
    return Fixed(params, f"4 Conv2d: {text} = {params:,}", out)


@dataclass(frozen=True)
class RnnEncoder:
    """One ESPnet RNN encoder as ``Encoder``/``RNNEncoder``/``VGGRNNEncoder`` build it."""

    kind: RecurrentKind
    bidirectional: bool
    projected: bool  # RNNP (bottleneck after every layer)
    vgg: bool
    elayers: int
    eunits: int
    eprojs: int
    idim: int | None
    in_channel: int = 1
    # ESPnet1 transducer RNN: stacked one-layer RNNs with summed directions.
    summed_directions: bool = False
    dropout: float | None = None


def encoder_entries(enc: RnnEncoder, name: str, span: Span, option_spans: dict[str, Span]) -> list[LayerSpec]:
    """VGG front end (if any), the recurrent layers, and their Linear projections: one entry each."""
    entries: list[LayerSpec] = []
    rnn_input = enc.idim
    if enc.vgg:
        front = vgg2l(enc.idim, enc.in_channel)
        entries.append(LayerSpec(f"{name} VGG2L", "vgg2l", span, front))
        rnn_input = front.output_size
    directions = 2 if enc.bidirectional else 1
    type_name = ("b" if enc.bidirectional else "") + enc.kind + ("p" if enc.projected else "")
    recurrent: Module
    projections: Module
    options: dict[str, Any] = {}
    if enc.projected:
        parts = tuple(
            Recurrent(enc.kind, enc.eunits, rnn_input if i == 0 else enc.eprojs, bidirectional=enc.bidirectional)
            for i in range(enc.elayers)
        )
        recurrent = parts[0] if len(parts) == 1 else Composite(parts, output_size=enc.eunits * directions)
        bottleneck = Linear(enc.eunits * directions, enc.eprojs)
        projections = Composite(tuple(bottleneck for _ in range(enc.elayers)), output_size=enc.eprojs)
        proj_name = f"{name} projections (bt0-bt{enc.elayers - 1})" if enc.elayers > 1 else f"{name} projection (bt0)"
    elif enc.summed_directions:
        parts = tuple(
            Recurrent(enc.kind, enc.eunits, rnn_input if i == 0 else enc.eunits, bidirectional=enc.bidirectional)
            for i in range(enc.elayers)
        )
        recurrent = parts[0] if len(parts) == 1 else Composite(parts, output_size=enc.eunits)
        projections = Linear(enc.eunits, enc.eprojs)
        proj_name = f"{name} output projection (l_last)"
    else:
        recurrent = Recurrent(enc.kind, enc.eunits, rnn_input, num_layers=enc.elayers, bidirectional=enc.bidirectional)
        projections = Linear(enc.eunits * directions, enc.eprojs)
        proj_name = f"{name} output projection (l_last)"
        # Only this form passes dropout to nn.LSTM/GRU (RNN203 applies to it).
        if enc.dropout:
            options["dropout"] = enc.dropout
    entries.append(
        LayerSpec(
            name,
            type_name,
            span,
            recurrent,
            options=options,
            option_spans={k: v for k, v in option_spans.items() if k in options},
        )
    )
    entries.append(LayerSpec(proj_name, "linear", span, projections))
    return entries


def cell_stack(kind: RecurrentKind, first_input: int | None, hidden: int, layers: int) -> Module:
    """``layers`` LSTMCell/GRUCell objects: the first takes ``first_input``, the rest ``hidden``."""
    cells = tuple(Recurrent(kind, hidden, first_input if i == 0 else hidden, cell=True) for i in range(max(layers, 0)))
    if len(cells) == 1:
        return cells[0]
    return Composite(cells, output_size=hidden)


@dataclass(frozen=True)
class Tacotron2:
    """Sizes of ESPnet's Tacotron2 (``espnet/nets/pytorch_backend/tacotron2``)."""

    embed_dim: int
    elayers: int
    eunits: int  # the TOTAL BLSTM width: eunits // 2 per direction
    econv_layers: int
    econv_chans: int
    econv_filts: int
    use_batch_norm: bool
    dlayers: int
    dunits: int
    prenet_layers: int
    prenet_units: int
    spk_embed_dim: int | None
    spk_concat: bool


def tacotron2_from(
    v: Mapping[str, int], use_batch_norm: bool, spk: int | None, integration: Callable[[], object]
) -> Tacotron2:
    """ESPnet2's Tacotron2 (and PaddleSpeech's port of it) from its underscored integer options.

    The speaker-embedding integration type matters only when there is a speaker embedding, so
    ``integration()`` (which may note a default) is read only then."""
    with_spk = spk is not None and spk > 0
    return Tacotron2(
        embed_dim=v["embed_dim"],
        elayers=v["elayers"],
        eunits=v["eunits"],
        econv_layers=v["econv_layers"],
        econv_chans=v["econv_chans"],
        econv_filts=v["econv_filts"],
        use_batch_norm=use_batch_norm,
        dlayers=v["dlayers"],
        dunits=v["dunits"],
        prenet_layers=v["prenet_layers"],
        prenet_units=v["prenet_units"],
        spk_embed_dim=spk if with_spk else None,
        spk_concat=with_spk and str(integration()) == "concat",
    )


def tacotron2_entries(t: Tacotron2, spans: dict[str, Span], default_span: Span) -> list[LayerSpec]:
    """Encoder convolutions, encoder BLSTM and decoder LSTMCells (ZoneOut adds no parameters)."""
    entries: list[LayerSpec] = []
    enc_span = spans.get("encoder", default_span)
    dec_span = spans.get("decoder", default_span)
    if t.econv_layers > 0:
        total = 0
        for layer in range(t.econv_layers):
            ichans = t.embed_dim if layer == 0 else t.econv_chans
            total += ichans * t.econv_chans * t.econv_filts
            if t.use_batch_norm:
                total += 2 * t.econv_chans
        bn = f" + BatchNorm1d({t.econv_chans})" if t.use_batch_norm else ""
        formula = (
            f"{t.econv_layers} x [Conv1d(k={t.econv_filts}, no bias){bn}], "
            f"first from {t.embed_dim}, then {t.econv_chans} channels = {total:,}"
        )
        entries.append(LayerSpec("encoder convolutions", "conv1d", enc_span, Fixed(total, formula, t.econv_chans)))
    if t.elayers > 0:
        iunits = t.econv_chans if t.econv_layers != 0 else t.embed_dim
        blstm = Recurrent("lstm", t.eunits // 2, iunits, num_layers=t.elayers, bidirectional=True)
        entries.append(LayerSpec("encoder", "blstm", enc_span, blstm))
    dec_idim = t.eunits
    if t.spk_embed_dim and t.spk_concat:
        dec_idim += t.spk_embed_dim
    # prenet_units replace the previous frame (odim) only when the prenet exists.
    first = dec_idim + t.prenet_units if t.prenet_layers != 0 else None
    entries.append(LayerSpec("decoder", "lstm_cell", dec_span, cell_stack("lstm", first, t.dunits, t.dlayers)))
    return entries
