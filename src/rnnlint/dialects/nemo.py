"""NVIDIA NeMo model configs: Hydra/OmegaConf mappings with ``_target_: nemo.collections...``.

The ``_target_`` class decides what the keys mean, never the keys alone. Sizes written as
``${model.model_defaults.pred_hidden}`` are resolved inside the file (:mod:`rnnlint.interpolation`);
one that cannot be resolved (``???``, a resolver, a key from another file) leaves that layer unknown.

- ``nemo.collections.asr.modules.RNNEncoder`` (``rnn_encoder.py``): a pre-encoder maps ``feat_in``
  to ``proj_size`` (stacking subsampling: ``Linear(subsampling_factor * feat_in, proj_size)``;
  convolutional subsampling is not counted), then ``n_layers`` separate one-layer ``nn.LSTM``
  of ``d_model`` units with ``proj_size`` halved per direction when bidirectional, each taking
  ``proj_size`` and followed by ``LayerNorm(proj_size)``. Only ``rnn_type: lstm`` builds: for
  gru/rnn the constructor never assigns the layer.
- ``RNNTDecoder`` ``prednet``: ``nn.LSTM(pred_hidden, rnn_hidden_size or pred_hidden,
  pred_rnn_layers, proj_size=pred_hidden if pred_hidden < rnn_hidden_size else 0)``
  (``nemo/collections/common/parts/rnn.py``); ``normalization_mode: batch`` is BNRNNSum, ``layer``
  a custom LayerNorm LSTM cell (RNN205).
- ``StatelessTransducerDecoder`` builds no RNN, although it carries ``prednet.pred_rnn_layers``.
- ``tts.modules.tacotron2.Encoder``: ``nn.LSTM(E, E // 2, 1, bidirectional)``;
  ``tacotron2.Decoder``: ``LSTMCell(prenet_dim + E, attention_rnn_dim)`` and
  ``LSTMCell(attention_rnn_dim + E, decoder_rnn_dim)``.
- ``msdd_diarizer.MSDD_module``: ``nn.LSTM(hidden_size, hidden_size, num_lstm_layers, bidirectional=True)``.

Vocabulary-sized parts (prediction embedding, joint network, output layers) depend on the
tokenizer, which is not in the file: they are left out and a note says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rnnlint import interpolation
from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._espnet import as_bool, as_int
from rnnlint.loader import DocPath, Document
from rnnlint.model import Assumption, Composite, Fixed, LayerSpec, Linear, ModelConfig, Module, Recurrent, Span, Unknown

NAME = "nemo"

PREFIX = "nemo.collections."
_MAX_DEPTH = 6
# Targets whose modules hold recurrent layers (by class name, the last part of _target_).
RECURRENT_TARGETS = ("RNNEncoder", "RNNTDecoder", "Encoder", "Decoder", "MSDD_module")


def _targets(node: Any, path: DocPath = (), depth: int = 0) -> Iterator[tuple[DocPath, dict[str, Any]]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, dict):
        if isinstance(node.get("_target_"), str):
            yield path, node
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                yield from _targets(value, (*path, key), depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, (dict, list)):
                yield from _targets(value, (*path, index), depth + 1)


def detect(data: Any) -> bool:
    return any(str(node["_target_"]).startswith(PREFIX) for _, node in _targets(data))


class _Module:
    """One ``_target_`` mapping: resolved values, defaults recorded, unresolved notes kept."""

    def __init__(self, doc: Document, path: DocPath, defaulted: list[str]) -> None:
        self.doc = doc
        self.path = path
        self.defaulted = defaulted
        self.unresolved: list[str] = []

    def node(self, sub: DocPath = ()) -> dict[str, Any]:
        node = _raw(self.doc.data, (*self.path, *sub))
        return node if isinstance(node, dict) else {}

    def get(self, key: str, default: Any = None, sub: DocPath = (), shown: str | None = None) -> Any:
        where = (*self.path, *sub)
        if key not in self.node(sub) or _raw(self.doc.data, (*where, key)) is None:
            if default is not None:
                self.defaulted.append(f"{interpolation.display((*where, key))}: {shown or default}")
            return default
        value, note = interpolation.lookup(self.doc.data, (*where, key))
        if value is interpolation.UNRESOLVED:
            self.unresolved.append(note or f"{interpolation.display((*where, key))} cannot be resolved")
            return None
        return value

    def int(self, key: str, default: int | None = None, sub: DocPath = (), shown: str | None = None) -> int | None:
        return as_int(self.get(key, default, sub, shown))

    def span(self, sub: DocPath = ()) -> Span:
        return self.doc.locator.value((*self.path, *sub))

    def key_span(self, key: str, sub: DocPath = ()) -> Span:
        return self.doc.locator.key((*self.path, *sub, key))

    def unknown(self, name: str, what: str) -> LayerSpec:
        reason = "; ".join(self.unresolved) or f"{what} needs integer sizes"
        return LayerSpec(name, what, self.span(), Unknown(what, reason))


def _raw(root: Any, path: DocPath) -> Any:
    node = root
    for item in path:
        in_list = isinstance(node, list) and isinstance(item, int) and -len(node) <= item < len(node)
        if not (in_list or (isinstance(node, dict) and item in node)):
            return None
        node = node[item]
    return node


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    layers: list[LayerSpec] = []
    notes: list[Assumption] = []
    defaulted: list[str] = []
    vocab_parts: list[str] = []
    for path, node in _targets(doc.data):
        target = str(node["_target_"])
        if not target.startswith(PREFIX):
            continue
        cls = target.rsplit(".", 1)[-1]
        module = _Module(doc, path, defaulted)
        name = interpolation.display(path)
        if cls == "RNNEncoder" and ".asr." in target:
            layers.extend(_rnn_encoder(module, name, notes))
        elif cls == "RNNTDecoder":
            layers.extend(_rnnt_decoder(module, name))
            vocab_parts.append(f"the {name} prediction embedding")
        elif cls == "Encoder" and ".tacotron2" in target:
            layers.extend(_tacotron2_encoder(module, name))
        elif cls == "Decoder" and ".tacotron2" in target:
            layers.extend(_tacotron2_decoder(module, name))
        elif cls == "MSDD_module":
            layers.extend(_msdd(module, name))
        elif cls in ("RNNTJoint", "SampledRNNTJoint"):
            vocab_parts.append(f"the {name} joint network")
        elif cls == "ConvASRDecoder":
            vocab_parts.append(f"the {name} CTC output layer")
    if vocab_parts and layers:
        notes.append(
            Assumption(
                f"not counted: {', '.join(vocab_parts)}; their sizes depend on the tokenizer vocabulary, "
                "which is not in this file",
                Span(1, 1),
            )
        )
    if defaulted and layers:
        notes.append(
            Assumption(
                "NeMo defaults assumed for keys not in the file: "
                + ", ".join(dict.fromkeys(defaulted))
                + "; add them to make the count explicit",
                Span(1, 1),
            )
        )
    return Adapted(
        ModelConfig(dialect=NAME, framework="pytorch", layers=tuple(layers), span=Span(1, 1), assumptions=tuple(notes))
    )


def _rnn_encoder(m: _Module, name: str, notes: list[Assumption]) -> list[LayerSpec]:
    feat_in = m.int("feat_in")
    n_layers = m.int("n_layers")
    d_model = m.int("d_model")
    proj_size = m.int("proj_size", -1)
    rnn_type = str(m.get("rnn_type", "lstm")).lower()
    bidirectional = as_bool(m.get("bidirectional", True), True)
    subsampling = m.get("subsampling", "striding")
    factor = m.int("subsampling_factor", 4)
    if rnn_type != "lstm":
        reason = (
            f"NeMo's RNNEncoder only constructs its layers for rnn_type 'lstm'; with {rnn_type!r} the "
            "constructor fails before any layer exists"
        )
        return [LayerSpec(name, rnn_type, m.span(), Unknown(f"RNNEncoder {rnn_type}", reason))]
    if n_layers is None or d_model is None or proj_size is None:
        return [m.unknown(name, "RNNEncoder")]
    if proj_size <= 0:
        reason = f"proj_size {proj_size} gives nn.LSTM a negative or zero proj_size, which it rejects; set proj_size"
        return [LayerSpec(name, "lstm", m.span(), Unknown("RNNEncoder", reason))]
    entries: list[LayerSpec] = []
    # The pre-encoder turns feat_in into proj_size features.
    if subsampling and factor is not None and factor > 1:
        if subsampling in ("stacking", "stacking_norm"):
            if feat_in is not None:
                parts: list[Module] = [Linear(factor * feat_in, proj_size)]
                if subsampling == "stacking_norm":
                    width = feat_in  # StackingSubsampling's pre_norm is LayerNorm(feat_in)
                    parts.insert(0, Fixed(2 * width, f"LayerNorm({width}): 2x{width} = {2 * width:,}", width))
                module: Module = parts[0] if len(parts) == 1 else Composite(tuple(parts), output_size=proj_size)
                entries.append(LayerSpec(f"{name} pre_encode ({subsampling})", "linear", m.span(), module))
        else:
            notes.append(
                Assumption(
                    f"not counted: {name} pre_encode ({subsampling} convolutional subsampling)",
                    m.key_span("subsampling"),
                )
            )
    elif feat_in is not None:
        entries.append(LayerSpec(f"{name} pre_encode", "linear", m.span(), Linear(feat_in, proj_size)))
    rnn_proj = proj_size // 2 if bidirectional else proj_size
    directions = 2 if bidirectional else 1
    if rnn_proj * directions == proj_size:
        lstm: Module = Recurrent(
            "lstm", d_model, proj_size, num_layers=n_layers, bidirectional=bidirectional, proj_size=rnn_proj
        )
    else:  # odd proj_size: every layer still takes proj_size, so the layers differ from one stacked LSTM
        one = Recurrent("lstm", d_model, proj_size, bidirectional=bidirectional, proj_size=rnn_proj)
        lstm = Composite(tuple(one for _ in range(n_layers)), output_size=rnn_proj * directions)
    spans = {"proj_size": m.key_span("proj_size")} if "proj_size" in m.node() else {}
    entries.append(LayerSpec(name, "lstm", m.span(), lstm, options={"proj_size": rnn_proj}, option_spans=spans))
    norms = 2 * proj_size * n_layers
    entries.append(
        LayerSpec(
            f"{name} layer norms",
            "layer_norm",
            m.span(),
            Fixed(norms, f"{n_layers} x LayerNorm({proj_size}): {n_layers} x 2x{proj_size} = {norms:,}", proj_size),
        )
    )
    return entries


def _rnnt_decoder(m: _Module, name: str) -> list[LayerSpec]:
    prednet = ("prednet",)
    pred_hidden = m.int("pred_hidden", sub=prednet)
    layers = m.int("pred_rnn_layers", sub=prednet)
    rnn_hidden = m.int("rnn_hidden_size", -1, sub=prednet, shown="-1 (the LSTM is pred_hidden wide)")
    norm = m.get("normalization_mode")
    if pred_hidden is None or layers is None or rnn_hidden is None:
        return [m.unknown(f"{name}.prednet", "RNNTDecoder")]
    span = m.span(prednet)
    hidden = rnn_hidden if rnn_hidden > 0 else pred_hidden
    prednet_name = f"{name}.prednet"
    if norm is None:
        proj = pred_hidden if pred_hidden < rnn_hidden else 0
        # LSTMDropout also applies the dropout to the LSTM output, so it is not lost with one layer.
        lstm = Recurrent("lstm", hidden, pred_hidden, num_layers=layers, proj_size=proj)
        spans = {"proj_size": m.key_span("rnn_hidden_size", prednet)} if proj else {}
        return [
            LayerSpec(prednet_name, "lstm", span, lstm, options={"proj_size": proj} if proj else {}, option_spans=spans)
        ]
    if norm == "batch":
        # BNRNNSum: the first LSTM keeps its biases; later ones have BatchNorm1d(hidden) and no bias;
        # proj_size is not passed on.
        parts = tuple(Recurrent("lstm", hidden, pred_hidden if i == 0 else hidden, bias=i == 0) for i in range(layers))
        entries = [
            LayerSpec(prednet_name, "lstm", span, parts[0] if len(parts) == 1 else Composite(parts, output_size=hidden))
        ]
        if layers > 1:
            bn = 2 * hidden * (layers - 1)
            formula = f"{layers - 1} x BatchNorm1d({hidden}): {layers - 1} x 2x{hidden} = {bn:,}"
            entries.append(LayerSpec(f"{prednet_name} batch norms", "batch_norm", span, Fixed(bn, formula, hidden)))
        return entries
    reason = (
        f"normalization_mode {norm!r} builds NeMo's LayerNormLSTMCell (custom cell with layer norms); "
        "rnnlint does not count it"
    )
    return [LayerSpec(prednet_name, "layernorm_lstm", span, Unknown("LayerNormLSTM", reason))]


def _tacotron2_encoder(m: _Module, name: str) -> list[LayerSpec]:
    embedding = m.int("encoder_embedding_dim")
    if embedding is None:
        return [m.unknown(name, "tacotron2 Encoder")]
    lstm = Recurrent("lstm", embedding // 2, embedding, bidirectional=True)
    return [LayerSpec(f"{name}.lstm", "blstm", m.span(), lstm)]


def _tacotron2_decoder(m: _Module, name: str) -> list[LayerSpec]:
    embedding = m.int("encoder_embedding_dim")
    prenet = m.int("prenet_dim")
    attention_rnn = m.int("attention_rnn_dim")
    decoder_rnn = m.int("decoder_rnn_dim")
    if embedding is None or prenet is None or attention_rnn is None or decoder_rnn is None:
        return [m.unknown(name, "tacotron2 Decoder")]
    return [
        LayerSpec(
            f"{name}.attention_rnn",
            "lstm_cell",
            m.span(),
            Recurrent("lstm", attention_rnn, prenet + embedding, cell=True),
        ),
        LayerSpec(
            f"{name}.decoder_rnn",
            "lstm_cell",
            m.span(),
            Recurrent("lstm", decoder_rnn, attention_rnn + embedding, cell=True),
        ),
    ]


def _msdd(m: _Module, name: str) -> list[LayerSpec]:
    hidden = m.int("hidden_size", 256)
    layers = m.int("num_lstm_layers", 2)
    dropout = m.get("dropout_rate", 0.5)
    if hidden is None or layers is None:
        return [m.unknown(name, "MSDD_module")]
    lstm = Recurrent("lstm", hidden, hidden, num_layers=layers, bidirectional=True)
    options: dict[str, Any] = {}
    option_spans: dict[str, Span] = {}
    if isinstance(dropout, (int, float)) and not isinstance(dropout, bool):
        options["dropout"] = float(dropout)
        if "dropout_rate" in m.node():
            option_spans["dropout"] = m.key_span("dropout_rate")
    return [LayerSpec(f"{name}.lstm", "blstm", m.span(), lstm, options=options, option_spans=option_spans)]
