"""Asteroid recipe configs (``asteroid``): ``egs/<dataset>/<recipe>/local/conf.yml``.

A recipe's ``train.py`` builds the model from the ``filterbank`` and ``masknet`` sections (and
``data.n_src``); the file does not name the model class, so it is read from the masknet keys
(Asteroid 0.7.0, commit 92c8d83):

- ``chunk_size`` / ``hid_size`` -> ``DPRNNTasNet`` (asteroid/models/dprnn_tasnet.py) whose masker
  is ``DPRNN`` (asteroid/masknn/recurrent.py): a bottleneck (norm + 1x1 conv), ``n_repeats``
  ``DPRNNBlock`` s, each an intra-chunk RNN (always bidirectional) and an inter-chunk RNN
  (``bidirectional``), each ``SingleRNN`` -> one torch ``nn.LSTM/GRU/RNN`` of ``num_layers``
  layers over ``bn_chan`` (``MulCatRNN`` with ``use_mulcat``: two such RNNs, output + input),
  each followed by a ``Linear`` back to ``bn_chan`` and a norm (2 x bn_chan); then a PReLU +
  1x1 conv to ``n_src`` masks, the gate convs and the mask conv. ``data.n_src`` wins over
  ``masknet.n_src`` (egs/librimix/DPRNNTasNet/train.py).
- ``n_srcs`` -> Multi-Decoder DPRNN (egs/wsj0-mix-var/Multi-Decoder-DPRNN/model.py): the same
  blocks after a ``free`` encoder, then ``Decoder_Select``: one decoder head per ``n_srcs`` entry
  (DPRNN's output convs + a ``free`` decoder) and a two-conv source-count selector.
- ``embedding_dim`` + ``hidden_size`` -> deep clustering ``Chimera`` (egs/wsj0-mix/DeepClustering/
  model.py): one ``SingleRNN`` over ``n_filters // 2 + 1`` STFT bins, a mask head and an
  embedding head.
- ``hidden_size`` -> the DNS-challenge ``SimpleModel`` (egs/dns_challenge_INTERSPEECH2020/
  baseline/model.py): ``Linear`` in, ``StackedResidualRNN`` (``n_layers`` one-layer
  unidirectional RNNs of ``hidden_size``; the dropout is between them, not inside torch), ``Linear``
  out; its input size depends on train.py's ``--is_complex`` (default true).
- ``n_blocks`` / ``hid_chan`` -> ConvTasNet: no recurrent layer (an omission).

Filterbanks (asteroid_filterbanks ``make_enc_dec``): ``free`` keeps ``n_filters x kernel_size``
weights in each of encoder and decoder and gives ``n_filters`` features; ``stft`` keeps none and
gives ``2 * (n_filters // 2 + 1)``. Every norm Asteroid offers (gLN, cLN, cgLN, fgLN, bN) keeps
``2 x channels``.
"""

from __future__ import annotations

from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import NO_STRINGS, SectionReader, as_bool, as_int
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

NAME = "asteroid"

RNN_KINDS: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru", "rnn": "rnn"}
NORMS = frozenset({"gLN", "cLN", "cgLN", "fgLN", "bN"})
MASKNET: DocPath = ("masknet",)
FILTERBANK: DocPath = ("filterbank",)
STATE_IT = "state these keys in the file to make the count explicit"

# (model class, where it is built, defaults of the constructor that change a count)
DPRNN_DEFAULTS: dict[str, Any] = {
    "bn_chan": 128,
    "hid_size": 128,
    "n_repeats": 6,
    "bidirectional": True,
    "rnn_type": "LSTM",
    "num_layers": 1,
    "use_mulcat": False,
}
CHIMERA_DEFAULTS: dict[str, Any] = {
    "rnn_type": "lstm",
    "n_layers": 2,
    "hidden_size": 600,
    "bidirectional": True,
    "embedding_dim": 20,
}
DNS_DEFAULTS: dict[str, Any] = {"rnn_type": "gru", "n_layers": 3}
# DPRNNTasNet / MultiDecoderDPRNN filterbank defaults.
FB_DEFAULTS: dict[str, Any] = {"n_filters": 64, "kernel_size": 16}


def detect(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("masknet"), dict) and isinstance(data.get("filterbank"), dict)


def _kind(masknet: dict[str, Any]) -> str:
    if "n_srcs" in masknet:
        return "multi_decoder"
    if "hid_size" in masknet or "chunk_size" in masknet:
        return "dprnn"
    if "embedding_dim" in masknet:
        return "chimera"
    if "hidden_size" in masknet:
        return "dns"
    if "n_blocks" in masknet or "hid_chan" in masknet:
        return "convtasnet"
    return "unknown"


MODEL_NAMES = {
    "dprnn": "DPRNNTasNet (asteroid/models/dprnn_tasnet.py)",
    "multi_decoder": "MultiDecoderDPRNN (egs/wsj0-mix-var/Multi-Decoder-DPRNN/model.py)",
    "chimera": "Chimera (egs/wsj0-mix/DeepClustering/model.py)",
    "dns": "SimpleModel (egs/dns_challenge_INTERSPEECH2020/baseline/model.py)",
}


class _Reader(SectionReader):
    """Reads one section's keys, with defaults noted for the assumption message."""

    def __init__(self, doc: Document, path: DocPath, defaults: dict[str, Any]) -> None:
        super().__init__(
            doc, path, defaults=defaults, note=lambda key, default: f"{key}={default}", whole="key", at="value"
        )
        self.bad: list[str] = []

    def get(self, key: str, default: Any = None, *, note: str | None = None) -> Any:
        # A written null is passed to the constructor as it is (not the default), and so is not countable.
        if self.written(key):
            return self.values[key]
        # Absent and no default: required by the constructor (None; the caller names it).
        return super().get(key, default, note=note)

    def size(self, key: str) -> int:
        value = as_int(self.get(key))
        if value is None:
            self.bad.append(key)
            return 0
        return value

    def flag(self, key: str) -> bool:
        # Asteroid's recipes write y / yes (YAML 1.1 booleans), which the loader already maps; a string is
        # passed to the model as it is.
        value = as_bool(self.get(key), strings=NO_STRINGS, others="default")
        if value is None:
            self.bad.append(key)
            return False
        return value


def _filterbank(doc: Document, fb_name: str, defaults: dict[str, Any]) -> tuple[_Reader, int | None, int | None]:
    """(reader, params of one of encoder/decoder, features out) for a filterbank; None when unknown."""
    reader = _Reader(doc, FILTERBANK, defaults)
    n_filters = reader.size("n_filters")
    kernel_size = reader.size("kernel_size")
    if reader.bad:
        return reader, None, None
    if fb_name == "free":
        return reader, n_filters * kernel_size, n_filters
    if fb_name == "stft":
        return reader, 0, 2 * (n_filters // 2 + 1)
    return reader, None, None


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    masknet: dict[str, Any] = doc.data["masknet"]
    kind = _kind(masknet)
    span = doc.locator.key(MASKNET)
    layers: list[LayerSpec] = []
    assumptions: list[Assumption] = []
    omitted: list[Omission] = []
    if kind == "convtasnet":
        omitted.append(
            Omission(
                "ConvTasNet's TCN masker and filterbanks (masknet n_blocks/hid_chan): "
                "rnnlint counts recurrent models only",
                span,
            )
        )
    elif kind == "unknown":
        reason = (
            "asteroid masknet with keys " + ", ".join(map(str, masknet)) + ": no model rnnlint knows "
            "(DPRNN, Multi-Decoder DPRNN, deep clustering Chimera, the DNS baseline) takes them"
        )
        layers.append(LayerSpec("masknet", "masknet", span, Unknown("asteroid masknet", reason)))
    else:
        builder = {"dprnn": _dprnn, "multi_decoder": _dprnn, "chimera": _chimera, "dns": _dns}[kind]
        builder(doc, kind, layers, assumptions, omitted)
    model = ModelConfig(
        dialect=NAME,
        framework="pytorch",
        layers=tuple(layers),
        span=span,
        # The file does not name the class: the recipe's train.py builds it; it is read from the masknet keys.
        name=MODEL_NAMES.get(kind, kind).split(" ")[0],
        assumptions=tuple(assumptions),
        omitted=tuple(omitted),
    )
    return Adapted(model)


def _note_defaults(reader: _Reader, what: str, assumptions: list[Assumption]) -> None:
    if reader.defaulted:
        assumptions.append(
            Assumption(f"{what} defaults assumed: {', '.join(reader.defaulted)}; {STATE_IT}", doc_key(reader))
        )


def doc_key(reader: _Reader) -> Span:
    return reader.doc.locator.key(reader.path)


def _rnn_kind(reader: _Reader, key: str) -> RecurrentKind | None:
    value = reader.get(key)
    return RNN_KINDS.get(value.lower()) if isinstance(value, str) else None


def _bad(name: str, reader: _Reader, span: Span) -> LayerSpec:
    reason = f"asteroid {name}: " + ", ".join(reader.bad) + " must be integers / booleans to count it"
    return LayerSpec(name, name, span, Unknown(name, reason))


def _filterbank_layers(
    doc: Document,
    fb_name: str,
    both: bool,
    layers: list[LayerSpec],
    assumptions: list[Assumption],
    omitted: list[Omission],
    defaults: dict[str, Any],
) -> tuple[int | None, LayerSpec | None]:
    """Add the encoder; return the masker's input size and the decoder (added last by the caller)."""
    reader, params, n_feats = _filterbank(doc, fb_name, defaults)
    fb_span = doc.locator.key(FILTERBANK)
    if params is None:
        if reader.bad:
            layers.append(_bad("filterbank", reader, fb_span))
        else:
            omitted.append(
                Omission(
                    f"the {fb_name!r} filterbank encoder/decoder: rnnlint counts only 'free' and 'stft' filterbanks",
                    fb_span,
                )
            )
        return None, None
    _note_defaults(reader, "filterbank: make_enc_dec", assumptions)
    kernel = reader.values.get("kernel_size", defaults.get("kernel_size"))
    formula = f"{fb_name} filterbank: {reader.values.get('n_filters', defaults.get('n_filters'))}x{kernel}"
    if fb_name == "stft":
        formula = "stft filterbank: fixed (buffers, no parameters)"
    layers.append(LayerSpec("encoder", f"{fb_name} filterbank", fb_span, Fixed(params, formula, n_feats)))
    decoder = LayerSpec("decoder", f"{fb_name} filterbank", fb_span, Fixed(params, formula)) if both else None
    return n_feats, decoder


def _dprnn(
    doc: Document, kind: str, layers: list[LayerSpec], assumptions: list[Assumption], omitted: list[Omission]
) -> None:
    fb_name = doc.data["filterbank"].get("fb_name", "free") if kind == "dprnn" else "free"
    if not isinstance(fb_name, str):
        fb_name = repr(fb_name)
    n_feats, decoder = _filterbank_layers(doc, fb_name, kind == "dprnn", layers, assumptions, omitted, FB_DEFAULTS)
    _dprnn_masker(doc, kind, n_feats, layers, assumptions, omitted)
    if decoder is not None:
        layers.append(decoder)


def _dprnn_masker(
    doc: Document,
    kind: str,
    n_feats: int | None,
    layers: list[LayerSpec],
    assumptions: list[Assumption],
    omitted: list[Omission],
) -> None:
    masknet: dict[str, Any] = doc.data["masknet"]
    data = doc.data.get("data") if isinstance(doc.data.get("data"), dict) else {}
    encoder_at = len(layers)
    if n_feats is None:
        n_feats = as_int(masknet.get("in_chan"))
    reader = _Reader(doc, MASKNET, DPRNN_DEFAULTS)
    rnn = _rnn_kind(reader, "rnn_type")
    bn = reader.size("bn_chan")
    hid = reader.size("hid_size")
    repeats = reader.size("n_repeats")
    num_layers = reader.size("num_layers")
    bidirectional = reader.flag("bidirectional")
    mulcat = reader.flag("use_mulcat")
    norm = masknet.get("norm_type", "gLN")
    span = doc.locator.key(MASKNET)
    if rnn is None:
        reason = f"asteroid SingleRNN rnn_type {reader.get('rnn_type')!r}: torch builds only RNN, LSTM or GRU"
        layers.append(LayerSpec("masknet", str(reader.get("rnn_type")), span, Unknown("rnn_type", reason)))
        return
    if reader.bad:
        layers.append(_bad("masknet", reader, span))
        return
    _note_defaults(reader, f"masknet: {'DPRNN' if kind == 'dprnn' else 'DPRNN_MultiStage'}", assumptions)
    name = "RNN" if rnn == "rnn" else rnn.upper()
    options: dict[str, Any] = {"dropout": masknet["dropout"]} if "dropout" in masknet else {}
    option_spans: dict[str, Span] = {
        key: doc.locator.key((*MASKNET, key)) for key in ("dropout", "num_layers") if key in masknet
    }
    rnn_span = reader.span("hid_size")
    blocks = f"masknet.net[0..{repeats - 1}]" if repeats > 1 else "masknet.net[0]"
    # One entry per block and path, as torch builds them (MulCat: its rnn1 and rnn2 in one entry).
    for index in range(repeats):
        for path, two_way in (("intra_RNN", True), ("inter_RNN", bidirectional)):
            spec = Recurrent(kind=rnn, hidden_size=hid, input_size=bn, num_layers=num_layers, bidirectional=two_way)
            module: Module = Composite((spec, spec), output_size=bn) if mulcat else spec
            layers.append(
                LayerSpec(
                    name=f"masknet.net[{index}].{path}" + (" (MulCat: rnn1 + rnn2)" if mulcat else ""),
                    type=name,
                    span=rnn_span,
                    module=module,
                    options=options,
                    option_spans=option_spans,
                )
            )
    if norm not in NORMS:
        omitted.append(
            Omission(
                f"the DPRNN blocks' linear and {norm!r} norm layers: norm_type {norm!r} is not one rnnlint knows",
                reader.span("hid_size"),
            )
        )
    else:
        per_block = 0
        for dirs in (2, 2 if bidirectional else 1):
            rnn_out = dirs * hid + (bn if mulcat else 0)
            per_block += rnn_out * bn + bn + 2 * bn
        formula = f"{repeats} x (2 x Linear(RNN out, {bn}) + 2 x {norm}({bn}))"
        layers.append(
            LayerSpec(f"{blocks} linear + norm layers", "linear", rnn_span, Fixed(repeats * per_block, formula, bn))
        )
    # The bottleneck: norm(in_chan) + Conv1d(in_chan, bn_chan, 1).
    if n_feats is None or norm not in NORMS:
        omitted.append(
            Omission(
                "the masker's bottleneck (norm + 1x1 conv over the filterbank features): its input size is not known",
                span,
            )
        )
    else:
        bottleneck = Fixed(2 * n_feats + n_feats * bn + bn, f"{norm}({n_feats}) + Conv1d({n_feats}, {bn}, 1)", bn)
        layers.insert(encoder_at, LayerSpec("masknet.bottleneck", "conv", span, bottleneck))
    if kind == "multi_decoder":
        _decoder_select(doc, bn, n_feats, layers, omitted)
        return
    # DPRNN's output: PReLU + Conv2d(bn, n_src*bn, 1), gate convs, mask conv (no bias).
    n_src_key = "data.n_src" if as_int(data.get("n_src")) is not None else "masknet.n_src"
    n_src = as_int(data.get("n_src")) if n_src_key == "data.n_src" else as_int(masknet.get("n_src"))
    if n_src is not None and n_src_key == "masknet.n_src":
        # egs/wham/DPRNN/train.py sets masknet.n_src from the dataset (its task) before building.
        assumptions.append(
            Assumption(
                f"n_src: assumed masknet.n_src ({n_src}); recipes whose train.py takes it from the dataset "
                "(the WHAM! task) may build another number of masks; state data.n_src to make it explicit",
                doc.locator.key((*MASKNET, "n_src")),
            )
        )
    out_chan = as_int(masknet.get("out_chan", n_feats))
    if n_src is None or out_chan is None:
        missing = "n_src (data.n_src or masknet.n_src)" if n_src is None else "out_chan"
        omitted.append(Omission(f"the masker's output convs: {missing} is not in the file", span))
        return
    head = 1 + bn * n_src * bn + n_src * bn + 2 * (bn * bn + bn) + bn * out_chan
    formula = (
        f"PReLU 1 + Conv2d({bn}, {n_src}x{bn}, 1) + 2 x Conv1d({bn}, {bn}, 1) + "
        f"Conv1d({bn}, {out_chan}, 1, bias=False); n_src from {n_src_key}"
    )
    layers.append(LayerSpec("masknet output convs", "conv", span, Fixed(head, formula)))


def _chimera(
    doc: Document, kind: str, layers: list[LayerSpec], assumptions: list[Assumption], omitted: list[Omission]
) -> None:
    masknet: dict[str, Any] = doc.data["masknet"]
    data = doc.data.get("data") if isinstance(doc.data.get("data"), dict) else {}
    n_feats, decoder = _filterbank_layers(doc, "stft", True, layers, assumptions, omitted, {})
    span = doc.locator.key(MASKNET)
    reader = _Reader(doc, MASKNET, CHIMERA_DEFAULTS)
    rnn = _rnn_kind(reader, "rnn_type")
    hidden = reader.size("hidden_size")
    num_layers = reader.size("n_layers")
    bidirectional = reader.flag("bidirectional")
    embedding_dim = reader.size("embedding_dim")
    if rnn is None or reader.bad or n_feats is None:
        layers.append(
            LayerSpec(
                "masknet",
                "chimera",
                span,
                Unknown(
                    "chimera", "asteroid Chimera: rnn_type must be RNN/LSTM/GRU and the sizes integers to count it"
                ),
            )
        )
        return
    _note_defaults(reader, "masknet: Chimera", assumptions)
    in_chan = n_feats // 2
    spec = Recurrent(
        kind=rnn, hidden_size=hidden, input_size=in_chan, num_layers=num_layers, bidirectional=bidirectional
    )
    options: dict[str, Any] = {"dropout": masknet["dropout"]} if "dropout" in masknet else {"dropout": 0.3}
    option_spans: dict[str, Span] = {
        key: doc.locator.key((*MASKNET, key)) for key in ("dropout", "n_layers") if key in masknet
    }
    if "n_layers" in option_spans:
        option_spans["num_layers"] = option_spans.pop("n_layers")
    rnn_out = hidden * (2 if bidirectional else 1)
    new = [
        LayerSpec(
            "masknet.rnn", rnn.upper(), reader.span("hidden_size"), spec, options=options, option_spans=option_spans
        )
    ]
    n_src = as_int(data.get("n_src"))
    if n_src is None:
        omitted.append(
            Omission("the Chimera mask head Linear(rnn out, bins x n_src): data.n_src is not in the file", span)
        )
    else:
        new.append(LayerSpec("masknet.mask_layer", "linear", span, Linear(rnn_out, in_chan * n_src)))
    new.append(
        LayerSpec(
            "masknet.embedding_layer", "linear", reader.span("embedding_dim"), Linear(rnn_out, in_chan * embedding_dim)
        )
    )
    layers.extend(new)
    if decoder is not None:
        layers.append(decoder)


def _dns(
    doc: Document, kind: str, layers: list[LayerSpec], assumptions: list[Assumption], omitted: list[Omission]
) -> None:
    n_feats, decoder = _filterbank_layers(doc, "stft", True, layers, assumptions, omitted, {})
    span = doc.locator.key(MASKNET)
    reader = _Reader(doc, MASKNET, DNS_DEFAULTS)
    rnn = _rnn_kind(reader, "rnn_type")
    hidden = as_int(reader.values.get("hidden_size"))
    num_layers = reader.size("n_layers")
    if rnn is None or reader.bad or hidden is None or n_feats is None:
        layers.append(
            LayerSpec(
                "masknet",
                "dns",
                span,
                Unknown(
                    "SimpleModel",
                    "asteroid DNS SimpleModel: rnn_type "
                    "must be RNN/LSTM/GRU and hidden_size / n_layers integers to count it",
                ),
            )
        )
        return
    _note_defaults(reader, "masknet: SimpleModel", assumptions)
    assumptions.append(
        Assumption(
            "masker input: train.py's --is_complex (not in this file, default true) assumed true: "
            f"the masker reads [re, im, mag] ({n_feats * 3 // 2} = 3/2 x {n_feats} STFT features) and outputs "
            f"{n_feats}; with --is_complex false both are {n_feats // 2}",
            span,
        )
    )
    # StackedResidualRNN: n_layers one-layer SingleRNNs (its dropout is nn.Dropout between them).
    spec = Recurrent(kind=rnn, hidden_size=hidden, input_size=hidden)
    layers += [
        LayerSpec("masknet.in_proj_layer", "linear", span, Linear(int(n_feats * 3 / 2), hidden)),
        LayerSpec(
            f"masknet.residual_rec ({num_layers} x one-layer {rnn.upper()})",
            rnn.upper(),
            reader.span("hidden_size"),
            Composite((spec,) * num_layers, output_size=hidden),
        ),
        LayerSpec("masknet.out_proj_layer", "linear", span, Linear(hidden, n_feats)),
    ]
    if decoder is not None:
        layers.append(decoder)


def _decoder_select(
    doc: Document, bn: int, in_chan: int | None, layers: list[LayerSpec], omitted: list[Omission]
) -> None:
    """Multi-Decoder DPRNN's Decoder_Select (egs/wsj0-mix-var/Multi-Decoder-DPRNN/model.py): one
    SingleDecoder per entry of n_srcs (DPRNN's output convs + a free transposed-conv decoder of
    in_chan filters) and the selector (Conv2d(bn, in_chan, 1), Conv2d(in_chan, len(n_srcs), 1))."""
    span = doc.locator.value((*MASKNET, "n_srcs"))
    n_srcs = doc.data["masknet"].get("n_srcs")
    kernel = as_int(doc.data["filterbank"].get("kernel_size", FB_DEFAULTS["kernel_size"]))
    sources = [as_int(n) for n in n_srcs] if isinstance(n_srcs, list) else []
    if in_chan is None or kernel is None or not sources or None in sources:
        omitted.append(
            Omission(
                "the Multi-Decoder DPRNN decoder heads and selector (Decoder_Select): n_srcs must be a "
                "list of integers and the filterbank sizes known to count them",
                span,
            )
        )
        return
    for n_src in sources:
        assert n_src is not None
        params = 1 + bn * n_src * bn + n_src * bn + 2 * (bn * bn + bn) + bn * in_chan + in_chan * kernel
        formula = (
            f"PReLU 1 + Conv2d({bn}, {n_src}x{bn}, 1) + 2 x Conv1d({bn}, {bn}, 1) + "
            f"Conv1d({bn}, {in_chan}, 1, bias=False) + free decoder {in_chan}x{kernel}"
        )
        layers.append(LayerSpec(f"decoder_select.decoders ({n_src} sources)", "decoder", span, Fixed(params, formula)))
    heads = len(sources)
    selector = bn * in_chan + in_chan + in_chan * heads + heads
    layers.append(
        LayerSpec(
            "decoder_select.selector",
            "conv",
            span,
            Fixed(selector, f"Conv2d({bn}, {in_chan}, 1) + Conv2d({in_chan}, {heads}, 1)"),
        )
    )
