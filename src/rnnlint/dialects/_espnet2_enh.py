"""ESPnet2 speech enhancement (``enh1``): ``encoder`` + ``separator`` + ``decoder``, as
``espnet2/tasks/enh.py`` ``EnhancementTask.build_model`` builds them: the separator is
``separator_choices[separator](encoder.output_dim, **separator_conf)``.

Encoder output (the separator's ``input_dim``): ``stft`` ``n_fft // 2 + 1`` (``n_fft`` 512,
``onesided``), ``conv`` ``channel`` (plus ``Conv1d(1, channel, kernel_size, bias=False)``, its
decoder ``ConvTranspose1d(channel, 1, kernel_size, bias=False)``), ``same`` 1. STFT has no weights.

Separators (``espnet2/enh/separator/*.py``, ``espnet2/enh/layers/*.py``):

- ``rnn`` / ``dan`` / ``dpcl`` / ``dpcl_e2e``: ESPnet1's ``RNN(input_dim, layer, unit, unit,
  dropout, rnn_type)`` (one ``nn.LSTM`` if "lstm" is in ``rnn_type``, else ``nn.GRU``; bidirectional
  when it starts with "b"; ``l_last = Linear(unit * directions, unit)``), then per output
  ``Linear(unit, input_dim)`` (rnn), ``Linear(unit, input_dim * emb_D)`` (dan, dpcl); dpcl_e2e
  adds a one-layer RNN over ``input_dim * (outputs + 1)`` and ``Linear(unit, input_dim * outputs)``.
- ``dprnn``: ``DPRNN``: per layer a bidirectional row ``SingleRNN`` and a column ``SingleRNN``
  (each one-layer RNN + ``Linear(unit * directions, input_dim)``), two ``GroupNorm(1, input_dim)``;
  then ``PReLU`` and ``Conv2d(input_dim, input_dim * outputs, 1)``.
- ``skim``: ``SkiM``: per block a ``SegLSTM`` (LSTM + Linear + norm), ``layer - 1`` ``MemLSTM``
  (an h and/or c ``SingleRNN`` over ``directions * unit`` + norm), ``PReLU`` + ``Conv1d``.
- ``tfgridnet``: ``Conv2d(2 * n_imics, emb_dim, 3x3)`` + ``GroupNorm``, ``n_layers`` ``GridNetBlock``
  (two BLSTMs over ``emb_dim * emb_ks``, two ``ConvTranspose1d``, two 4-D layer norms, the attention
  convolutions and their layer norms over ``n_fft // 2 + 1`` frequencies), ``ConvTranspose2d``.
- ``bsrnn``: per layer a time LSTM (``2 * num_channels`` units, bidirectional unless causal) and a
  frequency BLSTM, their Linears and norms; the band split and mask decoder (sized by the
  sampling-rate-dependent sub-bands) are omissions.
- ``dc_crn``: the grouped LSTM over ``input_channels[-1] * F'`` (``F'`` after the encoder's strided
  convolutions) and ``fc_real``/``fc_imag``; the densely connected convolution blocks are omissions.
- ``fasnet``: the DPRNN-TAC's row and column LSTMs and (ifasnet) the context LSTMs; TAC, the
  convolutions and norms are omissions.
- ``wpe_beamformer`` (``NeuralBeamformer``): the DNN-WPE (``use_wpe``, ``use_dnn_mask_for_wpe``) and the
  DNN beamformer (``use_beamformer``) each have a ``MaskEstimator`` (``enh/layers/mask_estimator.py``):
  ESPnet1's ``RNNP`` (type ending in "p") or ``RNN`` over ``input_dim`` and one ``Linear(projs, input_dim)``
  per mask (WPE: 1 with ``multi_source_wpe``, else ``num_spk``; beamformer: ``num_spk`` + 1 with
  ``use_noise_mask``); with ``ref_channel < 0`` the beamformer's ``AttentionReference``
  (``Linear(input_dim, badim)`` + ``Linear(badim, 1)``).
- ``tcn``, ``tcn_nomask``, ``transformer``, ``conformer`` build no RNN (an omission says so); any
  other separator is RNN205 naming its class.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from rnnlint.dialects._espnet import ETYPE, RnnEncoder, encoder_entries
from rnnlint.dialects._support import as_bool, as_float, as_int
from rnnlint.model import Composite, Fixed, LayerSpec, Linear, Module, Omission, Recurrent, RecurrentKind, Span, Unknown

NO_RNN = {
    "tcn": "TCNSeparator",
    "tcn_nomask": "TCNSeparatorNomask",
    "transformer": "TransformerSeparator",
    "conformer": "ConformerSeparator",
}
CLASSES = {
    "asteroid": "AsteroidModel_Converter",
    "dccrn": "DCCRNSeparator",
    "dptnet": "DPTNetSeparator",
    "svoice": "SVoiceSeparator",
    "ineube": "iNeuBe",
    "uses": "USESSeparator",
    "uses2": "USES2Separator",
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "rnn": {"rnn_type": "blstm", "num_spk": 2, "predict_noise": False, "layer": 3, "unit": 512},
    "dan": {"rnn_type": "blstm", "num_spk": 2, "layer": 2, "unit": 512, "emb_D": 40},
    "dpcl": {"rnn_type": "blstm", "num_spk": 2, "layer": 2, "unit": 512, "emb_D": 40},
    "dpcl_e2e": {"rnn_type": "blstm", "num_spk": 2, "predict_noise": False, "layer": 2, "unit": 512, "emb_D": 40},
    "dprnn": {
        "rnn_type": "lstm",
        "bidirectional": True,
        "num_spk": 2,
        "predict_noise": False,
        "layer": 3,
        "unit": 512,
    },
    "skim": {"causal": True, "num_spk": 2, "predict_noise": False, "layer": 3, "unit": 512, "mem_type": "hc"},
    "tfgridnet": {
        "n_srcs": 2,
        "n_fft": 128,
        "n_imics": 1,
        "n_layers": 6,
        "lstm_hidden_units": 192,
        "attn_n_head": 4,
        "attn_approx_qk_dim": 512,
        "emb_dim": 48,
        "emb_ks": 4,
        "emb_hs": 1,
        "activation": "prelu",
    },
    "tfgridnetv2": {
        "n_srcs": 2,
        "n_imics": 1,
        "n_layers": 6,
        "lstm_hidden_units": 192,
        "emb_dim": 48,
        "emb_ks": 4,
    },
    "bsrnn": {"num_spk": 1, "num_channels": 16, "num_layers": 6, "causal": False, "predict_noise": False},
    "dc_crn": {
        "num_spk": 2,
        "predict_noise": False,
        "input_channels": [2, 16, 32, 64, 128, 256],
        "enc_last_kernel_size": [1, 4],
        "enc_last_stride": [1, 2],
        "enc_last_padding": [0, 1],
        "glstm_groups": 2,
        "glstm_layers": 2,
        "glstm_bidirectional": False,
    },
    "fasnet": {"predict_noise": False},
    "wpe_beamformer": {
        "num_spk": 1,
        "use_wpe": False,
        "wnet_type": "blstmp",
        "wlayers": 3,
        "wunits": 300,
        "wprojs": 320,
        "use_dnn_mask_for_wpe": True,
        "multi_source_wpe": True,
        "use_beamformer": True,
        "bnet_type": "blstmp",
        "blayers": 3,
        "bunits": 300,
        "bprojs": 320,
        "badim": 320,
        "ref_channel": -1,
        "use_noise_mask": True,
    },
}
# torch activations get_layer() builds for TF-GridNet: PReLU() has one weight, these none.
ZERO_PARAM_ACTIVATIONS = {"relu", "elu", "tanh", "sigmoid", "gelu", "silu", "swish", "leakyrelu", "selu", "identity"}
MISSING = object()


class _Sep:
    """``separator_conf`` with the class defaults (recording each default used), and what every separator
    handler reads and writes: the separator's input size and position, where a conf key is, the entries."""

    def __init__(
        self,
        name: str,
        conf: dict[str, Any],
        defaulted: list[str],
        input_dim: int | None,
        span: Span,
        option_span: Callable[[str], Span | None],
        layers: list[LayerSpec],
        omitted: list[Omission],
    ) -> None:
        self.name = name
        self.conf = conf
        self.defaults = DEFAULTS.get("tfgridnetv2" if name == "tfgridnetv3" else name, {})
        self.defaulted = defaulted
        self.input_dim = input_dim
        self.span = span
        self.option_span = option_span
        self.layers = layers
        self.omitted = omitted

    def get(self, key: str) -> Any:
        if self.conf.get(key) is not None:
            return self.conf[key]
        if key in self.defaults:
            self.defaulted.append(f"separator_conf.{key}: {self.defaults[key]}")
            return self.defaults[key]
        return None

    def size(self, key: str) -> int | None:
        return as_int(self.get(key), strings=True)

    def flag(self, key: str) -> bool:
        return as_bool(self.get(key), bool(self.defaults.get(key, False)))

    def outputs(self, key: str = "num_spk") -> int | None:
        spk = self.size(key)
        if spk is None:
            return None
        return spk + 1 if "predict_noise" in self.defaults and self.flag("predict_noise") else spk


def encoder_output(data: dict[str, Any], defaulted: list[str]) -> tuple[int | None, list[tuple[str, Module]]]:
    """The separator's input_dim and the encoder/decoder weights (conv only)."""
    encoder = str(data.get("encoder", "stft"))
    conf = data.get("encoder_conf") if isinstance(data.get("encoder_conf"), dict) else {}
    assert isinstance(conf, dict)
    parts: list[tuple[str, Module]] = []
    if encoder == "stft":
        n_fft = as_int(conf.get("n_fft"), strings=True)
        if n_fft is None:
            n_fft = 512
            defaulted.append("encoder_conf.n_fft: 512")
        return (n_fft // 2 + 1 if as_bool(conf.get("onesided"), True) else n_fft), parts
    if encoder == "conv":
        channel, kernel = as_int(conf.get("channel"), strings=True), as_int(conf.get("kernel_size"), strings=True)
        if channel is not None and kernel is not None:
            w = channel * kernel
            parts.append(("encoder (conv)", Fixed(w, f"Conv1d(1, {channel}, k={kernel}, no bias) = {w:,}", channel)))
            dec = data.get("decoder_conf") if isinstance(data.get("decoder_conf"), dict) else {}
            assert isinstance(dec, dict)
            dch, dk = as_int(dec.get("channel"), strings=True), as_int(dec.get("kernel_size"), strings=True)
            if data.get("decoder", "stft") == "conv" and dch is not None and dk is not None:
                d = dch * dk
                parts.append(("decoder (conv)", Fixed(d, f"ConvTranspose1d({dch}, 1, k={dk}, no bias) = {d:,}", 1)))
        return channel, parts
    if encoder == "same":
        return 1, parts
    return None, parts


def _rnn_kind(typ: str) -> tuple[RecurrentKind, bool]:
    """ESPnet1 ``RNN``: LSTM when "lstm" is in the type, else GRU; bidirectional when it starts with b."""
    return ("lstm" if "lstm" in typ else "gru"), typ.startswith("b")


def _stack(parts: Sequence[Module], output: int | None) -> Module:
    return parts[0] if len(parts) == 1 else Composite(tuple(parts), output_size=output)


def _norms(count: int, channels: int, what: str) -> Fixed:
    total = 2 * channels * count
    return Fixed(total, f"{count} x {what}({channels}): {count} x 2x{channels} = {total:,}", channels)


def separator_entries(
    data: dict[str, Any],
    span: Span,
    option_span: Callable[[str], Span | None],
    layers: list[LayerSpec],
    omitted: list[Omission],
    defaulted: list[str],
) -> None:
    """Append the enhancement model's entries; ``option_span(key)`` finds a separator_conf key."""
    name = str(data.get("separator", "rnn"))
    raw = data.get("separator_conf")
    conf: dict[str, Any] = raw if isinstance(raw, dict) else {}
    input_dim, front = encoder_output(data, defaulted)
    for label, module in front:
        layers.append(LayerSpec(label, "conv1d", span, module))
    sep = _Sep(name, conf, defaulted, input_dim, span, option_span, layers, omitted)
    if name in NO_RNN:
        omitted.append(
            Omission(
                f"the {name} separator ({NO_RNN[name]}) is not counted: rnnlint counts recurrent models only", span
            )
        )
        return
    builder = BUILDERS.get(name)
    if builder is None:
        cls = CLASSES.get(name, name)
        reason = f"rnnlint does not count ESPnet2's {cls} separator (separator: {name})"
        layers.append(LayerSpec("separator", name, span, Unknown(cls, reason)))
        return
    before = len(layers)
    builder(sep)
    if len(layers) == before:
        return
    for index in range(before, len(layers)):
        layers[index] = layers[index]._replace(name=f"separator.{layers[index].name}")


Builder = Callable[[_Sep], None]


def _unknown(sep: _Sep, what: str) -> None:
    sep.layers.append(LayerSpec(sep.name, sep.name, sep.span, Unknown(sep.name, f"{sep.name} separator: {what}")))


def _espnet_rnn(sep: _Sep, name: str, idim: int | None, num_layers: int, unit: int) -> None:
    kind, bidirectional = _rnn_kind(str(sep.get("rnn_type")).lower())
    directions = 2 if bidirectional else 1
    options: dict[str, Any] = {}
    spans: dict[str, Span] = {}
    dropout = as_float(sep.conf.get("dropout"))
    # ESPnet1's RNN passes dropout to nn.LSTM/GRU itself (RNN203 applies).
    if dropout:
        options["dropout"] = dropout
        where = sep.option_span("dropout")
        if where is not None:
            spans["dropout"] = where
    rnn = Recurrent(kind, unit, idim, num_layers=num_layers, bidirectional=bidirectional)
    type_name = ("b" if bidirectional else "") + kind
    sep.layers.append(LayerSpec(name, type_name, sep.span, rnn, options=options, option_spans=spans))
    sep.layers.append(LayerSpec(f"{name} projection (l_last)", "linear", sep.span, Linear(unit * directions, unit)))


def _rnn_family(sep: _Sep) -> None:
    layer, unit = sep.size("layer"), sep.size("unit")
    outputs = sep.outputs()
    if layer is None or unit is None or outputs is None:
        _unknown(sep, "layer, unit and num_spk must be integers")
        return
    _espnet_rnn(sep, "rnn" if sep.name == "rnn" else "blstm", sep.input_dim, layer, unit)
    if sep.input_dim is None:
        sep.omitted.append(
            Omission("the mask layers are not counted: the encoder's output size is not known", sep.span)
        )
        return
    if sep.name == "rnn":
        linears = tuple(Linear(unit, sep.input_dim) for _ in range(outputs))
        sep.layers.append(LayerSpec("linear", "linear", sep.span, _stack(list(linears), sep.input_dim)))
        return
    emb = sep.size("emb_D")
    if emb is None:
        _unknown(sep, "emb_D must be an integer")
        return
    sep.layers.append(LayerSpec("linear", "linear", sep.span, Linear(unit, sep.input_dim * emb)))
    if sep.name == "dpcl_e2e":
        _espnet_rnn(sep, "enh_blstm", sep.input_dim * (outputs + 1), 1, unit)
        sep.layers.append(LayerSpec("enh_linear", "linear", sep.span, Linear(unit, sep.input_dim * outputs)))


def _single_rnns(kind: RecurrentKind, count: int, idim: int, hidden: int, bidirectional: bool) -> tuple[Module, Module]:
    """``count`` dprnn.SingleRNN: one-layer RNNs and their ``Linear(hidden * directions, idim)``."""
    directions = 2 if bidirectional else 1
    rnns = [Recurrent(kind, hidden, idim, bidirectional=bidirectional) for _ in range(count)]
    projs = [Linear(hidden * directions, idim) for _ in range(count)]
    return _stack(rnns, hidden * directions), _stack(projs, idim)


def _dprnn(sep: _Sep) -> None:
    layer, unit, outputs = sep.size("layer"), sep.size("unit"), sep.outputs()
    typ = str(sep.get("rnn_type")).upper()
    if layer is None or unit is None or outputs is None or sep.input_dim is None or typ not in ("RNN", "LSTM", "GRU"):
        _unknown(sep, "needs integer layer, unit, num_spk, rnn_type rnn|lstm|gru and a known input size")
        return
    kind: RecurrentKind = "rnn" if typ == "RNN" else ("lstm" if typ == "LSTM" else "gru")
    bidirectional = sep.flag("bidirectional")
    rows, row_proj = _single_rnns(kind, layer, sep.input_dim, unit, True)
    cols, col_proj = _single_rnns(kind, layer, sep.input_dim, unit, bidirectional)
    sep.layers.append(LayerSpec("dprnn.row_rnn", f"b{kind}", sep.span, rows))
    sep.layers.append(LayerSpec("dprnn.row_rnn projections", "linear", sep.span, row_proj))
    sep.layers.append(LayerSpec("dprnn.col_rnn", ("b" if bidirectional else "") + kind, sep.span, cols))
    sep.layers.append(LayerSpec("dprnn.col_rnn projections", "linear", sep.span, col_proj))
    sep.layers.append(LayerSpec("dprnn norms", "group_norm", sep.span, _norms(2 * layer, sep.input_dim, "GroupNorm")))
    out = sep.input_dim * outputs
    conv = 1 + sep.input_dim * out + out
    sep.layers.append(
        LayerSpec(
            "dprnn.output",
            "conv2d",
            sep.span,
            Fixed(conv, f"PReLU (1) + Conv2d({sep.input_dim}, {out}, 1) = {conv:,}", out),
        )
    )


def _skim(sep: _Sep) -> None:
    layer, unit, outputs = sep.size("layer"), sep.size("unit"), sep.outputs()
    mem_type = sep.get("mem_type") if "mem_type" not in sep.conf or sep.conf["mem_type"] is not None else None
    if (
        layer is None
        or unit is None
        or outputs is None
        or sep.input_dim is None
        or mem_type not in ("hc", "h", "c", "id", None)
    ):
        _unknown(sep, "needs integer layer, unit, num_spk, mem_type hc|h|c|id|null and a known input size")
        return
    bidirectional = not sep.flag("causal")
    directions = 2 if bidirectional else 1
    seg, seg_proj = _single_rnns("lstm", layer, sep.input_dim, unit, bidirectional)
    sep.layers.append(LayerSpec("skim.seg_lstms", ("b" if bidirectional else "") + "lstm", sep.span, seg))
    sep.layers.append(LayerSpec("skim.seg_lstms projections", "linear", sep.span, seg_proj))
    sep.layers.append(
        LayerSpec("skim.seg_lstms norms", "layer_norm", sep.span, _norms(layer, sep.input_dim, "LayerNorm"))
    )
    nets = {"hc": 2, "h": 1, "c": 1}.get(str(mem_type), 0) * (layer - 1) if mem_type is not None else 0
    if nets:
        width = directions * unit
        mem, mem_proj = _single_rnns("lstm", nets, width, unit, bidirectional)
        sep.layers.append(LayerSpec("skim.mem_lstms", ("b" if bidirectional else "") + "lstm", sep.span, mem))
        sep.layers.append(LayerSpec("skim.mem_lstms projections", "linear", sep.span, mem_proj))
        sep.layers.append(LayerSpec("skim.mem_lstms norms", "layer_norm", sep.span, _norms(nets, width, "LayerNorm")))
    out = sep.input_dim * outputs
    conv = 1 + sep.input_dim * out + out
    sep.layers.append(
        LayerSpec(
            "skim.output_fc",
            "conv1d",
            sep.span,
            Fixed(conv, f"PReLU (1) + Conv1d({sep.input_dim}, {out}, 1) = {conv:,}", out),
        )
    )


def _tfgridnet(sep: _Sep) -> None:
    keys: tuple[str, ...] = ("n_srcs", "n_fft", "n_imics", "n_layers", "lstm_hidden_units", "attn_n_head")
    keys = (*keys, "attn_approx_qk_dim", "emb_dim", "emb_ks")
    values = {key: sep.size(key) for key in keys}
    activation = str(sep.get("activation")).lower()
    missing = [k for k, v in values.items() if v is None]
    if missing or (activation != "prelu" and activation not in ZERO_PARAM_ACTIVATIONS):
        _unknown(
            sep,
            f"needs integer {', '.join(missing)} and a known activation"
            if missing
            else f"activation {activation!r} is not known",
        )
        return
    v = {k: int(x or 0) for k, x in values.items()}
    act = 1 if activation == "prelu" else 0
    emb, ks, hidden, heads, blocks = v["emb_dim"], v["emb_ks"], v["lstm_hidden_units"], v["attn_n_head"], v["n_layers"]
    freqs = v["n_fft"] // 2 + 1
    e = math.ceil(v["attn_approx_qk_dim"] * 1.0 / freqs)
    lstm = Recurrent("lstm", hidden, emb * ks, bidirectional=True)
    sep.layers.append(
        LayerSpec("tfgridnet blocks intra_rnn/inter_rnn", "blstm", sep.span, _stack([lstm] * (2 * blocks), 2 * hidden))
    )
    deconv = 2 * hidden * emb * ks + emb
    qk = emb * e + e + act + 2 * e * freqs
    vv = emb * (emb // heads) + emb // heads + act + 2 * (emb // heads) * freqs
    proj = emb * emb + emb + act + 2 * emb * freqs
    block = 2 * (2 * emb) + 2 * deconv + heads * (2 * qk + vv) + proj
    formula = (
        f"{blocks} x [2 x LayerNorm4D({emb}) + 2 x ConvTranspose1d({2 * hidden}, {emb}, {ks}) + "
        f"{heads} heads x (Q, K: Conv2d({emb}, {e}, 1) + LN({e}x{freqs}); V: Conv2d({emb}, {emb // heads}, 1) + "
        f"LN({emb // heads}x{freqs})) + concat Conv2d({emb}, {emb}, 1) + LN({emb}x{freqs})"
        + (" + PReLUs" if act else "")
        + f"] = {blocks * block:,}"
    )
    sep.layers.append(
        LayerSpec("tfgridnet blocks (norms, linears, attention)", "conv", sep.span, Fixed(blocks * block, formula, emb))
    )
    mics, srcs = v["n_imics"], v["n_srcs"]
    edge = 2 * mics * emb * 9 + emb + 2 * emb + emb * srcs * 2 * 9 + srcs * 2
    sep.layers.append(
        LayerSpec(
            "tfgridnet conv/deconv",
            "conv2d",
            sep.span,
            Fixed(
                edge,
                f"Conv2d({2 * mics}, {emb}, 3x3) + GroupNorm({emb}) + "
                f"ConvTranspose2d({emb}, {2 * srcs}, 3x3) = {edge:,}",
                2 * srcs,
            ),
        )
    )


def _tfgridnet_v2(sep: _Sep) -> None:
    """TFGridNetV2/V3: the same per-block intra/inter BLSTMs over emb_dim * emb_ks and the same
    Conv2d + GroupNorm / ConvTranspose2d ends as TF-GridNet; the blocks' norms, linears and all-head
    attention are omissions."""
    keys = ("n_srcs", "n_imics", "n_layers", "lstm_hidden_units", "emb_dim", "emb_ks")
    values = {key: sep.size(key) for key in keys}
    missing = [k for k, v in values.items() if v is None]
    if missing:
        _unknown(sep, f"needs integer {', '.join(missing)}")
        return
    v = {k: int(x or 0) for k, x in values.items()}
    if sep.name == "tfgridnetv3" and v["n_imics"] != 1:
        _unknown(sep, "TFGridNetV3 asserts n_imics == 1")
        return
    emb, hidden, blocks = v["emb_dim"], v["lstm_hidden_units"], v["n_layers"]
    lstm = Recurrent("lstm", hidden, emb * v["emb_ks"], bidirectional=True)
    sep.layers.append(
        LayerSpec(
            f"{sep.name} blocks intra_rnn/inter_rnn", "blstm", sep.span, _stack([lstm] * (2 * blocks), 2 * hidden)
        )
    )
    mics, srcs = v["n_imics"], v["n_srcs"]
    edge = 2 * mics * emb * 9 + emb + 2 * emb + emb * srcs * 2 * 9 + srcs * 2
    formula = f"Conv2d({2 * mics}, {emb}, 3x3) + GroupNorm({emb}) + ConvTranspose2d({emb}, {2 * srcs}, 3x3) = {edge:,}"
    sep.layers.append(LayerSpec(f"{sep.name} conv/deconv", "conv2d", sep.span, Fixed(edge, formula, 2 * srcs)))
    sep.omitted.append(
        Omission(f"the {sep.name} blocks' norms, linears and attention are not counted (only their LSTMs)", sep.span)
    )


def _bsrnn(sep: _Sep) -> None:
    channels, count = sep.size("num_channels"), sep.size("num_layers")
    norm = str(sep.conf.get("norm_type", "GN"))
    if channels is None or count is None or norm not in ("GN", "BN", "cLN", "cfLN"):
        _unknown(sep, "needs integer num_channels, num_layers and norm_type GN|BN|cLN|cfLN")
        return
    causal = sep.flag("causal")
    hdim = 2 * channels
    time = Recurrent("lstm", hdim, channels, bidirectional=not causal)
    freq = Recurrent("lstm", hdim, channels, bidirectional=True)
    sep.layers.append(
        LayerSpec(
            "bsrnn.rnn_time",
            "lstm" if causal else "blstm",
            sep.span,
            _stack([time] * count, hdim * (1 if causal else 2)),
        )
    )
    sep.layers.append(LayerSpec("bsrnn.rnn_freq", "blstm", sep.span, _stack([freq] * count, 2 * hdim)))
    fc_time = Linear(hdim if causal else 2 * hdim, channels)
    fc_freq = Linear(4 * channels, channels)
    sep.layers.append(
        LayerSpec(
            "bsrnn.fc_time/fc_freq", "linear", sep.span, Composite((fc_time,) * count + (fc_freq,) * count, channels)
        )
    )
    sep.layers.append(LayerSpec("bsrnn norms", "norm", sep.span, _norms(2 * count, channels, norm)))
    sep.omitted.append(
        Omission(
            "the BSRNN band split and mask decoder are not counted (their sizes follow the sub-bands "
            "that target_fs and the encoder's frequency bins define)",
            sep.span,
        )
    )


def _dc_crn(sep: _Sep) -> None:
    channels = sep.get("input_channels")
    kernel, stride, pad = (sep.get(k) for k in ("enc_last_kernel_size", "enc_last_stride", "enc_last_padding"))
    groups, count = sep.size("glstm_groups"), sep.size("glstm_layers")
    pairs = [
        x
        for x in (kernel, stride, pad)
        if isinstance(x, (list, tuple)) and len(x) == 2 and all(as_int(i, strings=True) is not None for i in x)
    ]
    if (
        sep.input_dim is None
        or not isinstance(channels, list)
        or not channels
        or any(as_int(c, strings=True) is None for c in channels)
        or len(pairs) != 3
        or groups is None
        or count is None
    ):
        _unknown(
            sep, "needs integer input_channels, glstm sizes, 2-element kernel/stride/padding and a known input size"
        )
        return
    k, s, p = (int(as_int(x[1], strings=True) or 0) for x in pairs)
    hdim = sep.input_dim
    for _ in range(1, len(channels)):
        hdim = (hdim + 2 * p - k) // s + 1  # conv2d_output_shape on the frequency axis
    hs = hdim * int(as_int(channels[-1], strings=True) or 0)
    bidirectional = sep.flag("glstm_bidirectional")
    if groups <= 0 or hs % groups or (bidirectional and (hs // groups) % 2):
        _unknown(sep, f"the grouped LSTM width {hs} does not split into {groups} groups")
        return
    width = hs // groups
    one = Recurrent("lstm", width // 2 if bidirectional else width, width, bidirectional=bidirectional)
    sep.layers.append(
        LayerSpec("dc_crn.glstm", "blstm" if bidirectional else "lstm", sep.span, _stack([one] * (groups * count), hs))
    )
    sep.layers.append(LayerSpec("dc_crn.glstm norms", "layer_norm", sep.span, _norms(count, hs, "LayerNorm")))
    sep.layers.append(
        LayerSpec(
            "dc_crn.fc_real/fc_imag",
            "linear",
            sep.span,
            Composite((Linear(sep.input_dim, sep.input_dim),) * 2, sep.input_dim),
        )
    )
    sep.omitted.append(
        Omission(
            "the DC-CRN densely connected convolution blocks (encoder, skip pathways, decoder) are not counted",
            sep.span,
        )
    )


def _fasnet(sep: _Sep) -> None:
    feature, hidden, count = sep.size("feature_dim"), sep.size("hidden_dim"), sep.size("layer")
    kind = str(sep.get("fasnet_type"))
    if feature is None or hidden is None or count is None or kind not in ("fasnet", "ifasnet"):
        _unknown(sep, "needs integer feature_dim, hidden_dim, layer and fasnet_type fasnet|ifasnet")
        return
    # BF_module's DPRNN_TAC("lstm", feature_dim, hidden_dim, ...): row and column SingleRNNs, both bidirectional.
    rnns, projs = _single_rnns("lstm", 2 * count, feature, hidden, True)
    sep.layers.append(LayerSpec("fasnet DPRNN-TAC row/col rnn", "blstm", sep.span, rnns))
    sep.layers.append(LayerSpec("fasnet DPRNN-TAC rnn projections", "linear", sep.span, projs))
    if kind == "ifasnet":
        ctx, ctx_proj = _single_rnns("lstm", 2, feature, hidden, True)
        sep.layers.append(LayerSpec("fasnet summ_RNN/gen_RNN", "blstm", sep.span, ctx))
        sep.layers.append(LayerSpec("fasnet summ_RNN/gen_RNN projections", "linear", sep.span, ctx_proj))
    sep.omitted.append(
        Omission(
            f"the {kind} TAC layers, waveform convolutions and norms are not counted "
            "(only its LSTMs and their projections)",
            sep.span,
        )
    )


def _mask_estimator(sep: _Sep, prefix: str, label: str, input_dim: int, masks: int) -> bool:
    net = str(sep.get(f"{prefix}net_type")).lower()
    count, units, projs = sep.size(f"{prefix}layers"), sep.size(f"{prefix}units"), sep.size(f"{prefix}projs")
    # MaskEstimator: typ = type.lstrip("vgg").rstrip("p"); RNNP when the type ends in "p".
    match = ETYPE.match(net)
    if match is None or match.group(1) or count is None or units is None or projs is None:
        _unknown(sep, f"{prefix}net_type {net!r} with integer {prefix}layers, {prefix}units, {prefix}projs")
        return False
    encoder = RnnEncoder(
        kind="lstm" if match.group(3) == "lstm" else "gru",
        bidirectional=bool(match.group(2)),
        projected=bool(match.group(4)),
        vgg=False,
        elayers=count,
        eunits=units,
        eprojs=projs,
        idim=input_dim,
    )
    sep.layers.extend(encoder_entries(encoder, f"{label} mask estimator", sep.span, {}))
    linears = [Linear(projs, input_dim) for _ in range(masks)]
    sep.layers.append(LayerSpec(f"{label} mask linears", "linear", sep.span, _stack(linears, input_dim)))
    return True


def _beamformer(sep: _Sep) -> None:
    spk = sep.size("num_spk")
    if sep.input_dim is None or spk is None:
        _unknown(sep, "needs an integer num_spk and a known input size")
        return
    if sep.flag("use_wpe") and sep.flag("use_dnn_mask_for_wpe"):
        masks = 1 if sep.flag("multi_source_wpe") else spk
        if not _mask_estimator(sep, "w", "wpe", sep.input_dim, masks):
            return
    if sep.flag("use_beamformer"):
        masks = spk + 1 if sep.flag("use_noise_mask") else spk
        if not _mask_estimator(sep, "b", "beamformer", sep.input_dim, masks):
            return
        ref = sep.size("ref_channel")
        if ref is not None and ref < 0:
            badim = sep.size("badim")
            if badim is None:
                _unknown(sep, "badim must be an integer")
                return
            attention = Composite((Linear(sep.input_dim, badim), Linear(badim, 1)), 1)
            sep.layers.append(LayerSpec("beamformer reference attention", "linear", sep.span, attention))


BUILDERS: dict[str, Builder] = {
    "wpe_beamformer": _beamformer,
    "rnn": _rnn_family,
    "dan": _rnn_family,
    "dpcl": _rnn_family,
    "dpcl_e2e": _rnn_family,
    "dprnn": _dprnn,
    "skim": _skim,
    "tfgridnet": _tfgridnet,
    "tfgridnetv2": _tfgridnet_v2,
    "tfgridnetv3": _tfgridnet_v2,
    "bsrnn": _bsrnn,
    "dc_crn": _dc_crn,
    "fasnet": _fasnet,
}
