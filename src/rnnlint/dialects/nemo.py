"""NVIDIA NeMo model configs: Hydra/OmegaConf mappings with ``_target_: nemo.collections...``.

The ``_target_`` class decides what the keys mean, never the keys alone. Sizes written as
``${model.model_defaults.pred_hidden}`` are resolved inside the file (:mod:`rnnlint.dialects.interpolation`);
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
  Their convolutions, prenet, location-sensitive attention, ``linear_projection``/``gate_layer`` and the
  ``Postnet`` are counted too; only the model's text embedding (the tokenizer's size) is left out.
- ``msdd_diarizer.MSDD_module``: ``nn.LSTM(hidden_size, hidden_size, num_lstm_layers, bidirectional=True)``
  plus its scale-weighting convolutions and linears.
- ``RNNTJoint`` / ``SampledRNNTJoint`` / ``HATJoint``: ``pred`` and ``enc`` projections to ``joint_hidden``
  (their input sizes from ``jointnet`` or, as EncDecRNNTModel sets them, ``model_defaults``); only the
  output layer depends on the vocabulary.
- ``radtts.RadTTSModule``: the text encoder's, context and DAP predictors' BiLSTMs (the rest an omission).
- ``audio...MaskEstimatorRNN`` and ``tts...submodules.ReferenceEncoder`` (a GRU) are counted;
  ``SEANetEncoder``/``SEANetDecoder`` are RNN205.

Vocabulary-sized parts (prediction embedding, joint output, CTC output) depend on the tokenizer, which is
not in the file: each is an omission.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions, interpolation
from rnnlint.dialects._support import as_bool, as_float, as_int
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

NAME = "nemo"

PREFIX = "nemo.collections."
_MAX_DEPTH = 6
# Targets whose modules hold recurrent layers (by class name, the last part of _target_).
RECURRENT_TARGETS = (
    "RNNEncoder",
    "RNNTDecoder",
    "Encoder",
    "Decoder",
    "MSDD_module",
    "RadTTSModule",
    "MaskEstimatorRNN",
    "ReferenceEncoder",
)


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
        return as_int(self.get(key, default, sub, shown), strings=True)

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
    omitted: list[Omission] = []
    defaulted: list[str] = []
    for path, node in _targets(doc.data):
        target = str(node["_target_"])
        if not target.startswith(PREFIX):
            continue
        cls = target.rsplit(".", 1)[-1]
        module = _Module(doc, path, defaulted)
        name = interpolation.display(path)
        span = module.span()
        if cls == "RNNEncoder" and ".asr." in target:
            layers.extend(_rnn_encoder(module, name, notes, omitted))
        elif cls == "RNNTDecoder":
            layers.extend(_rnnt_decoder(module, name))
            omitted.append(Omission(f"the {name} prediction embedding is not counted ({VOCAB})", span))
        elif cls == "Encoder" and ".tacotron2" in target:
            layers.extend(_tacotron2_encoder(module, name, omitted))
        elif cls == "Decoder" and ".tacotron2" in target:
            layers.extend(_tacotron2_decoder(module, name, omitted))
        elif cls == "Postnet" and ".tacotron2" in target:
            layers.extend(_tacotron2_postnet(module, name, omitted))
        elif cls == "MSDD_module":
            layers.extend(_msdd(module, name))
        elif cls == "RadTTSModule":
            layers.extend(_radtts(module, name, omitted))
        elif cls in ("RNNTJoint", "SampledRNNTJoint", "HATJoint"):
            layers.extend(_rnnt_joint(module, name, omitted, hat=cls == "HATJoint"))
        elif cls == "MaskEstimatorRNN" and ".audio." in target:
            layers.extend(_mask_estimator_rnn(module, name))
        elif cls == "ReferenceEncoder" and ".tts." in target:
            layers.extend(_reference_encoder(module, name))
        elif cls in ("SEANetEncoder", "SEANetDecoder") and ".tts." in target:
            reason = f"rnnlint does not count NeMo's {cls} (its LSTM and convolutions)"
            layers.append(LayerSpec(name, cls, span, Unknown(cls, reason)))
        elif cls == "ConvASRDecoder":
            omitted.append(Omission(f"the {name} CTC output layer is not counted ({VOCAB})", span))
        elif ".modules." in target and not cls.endswith(WEIGHTLESS) and not _data_side(path, target):
            # Every other module the model builds is named, so a partly counted model never reads as complete.
            omitted.append(Omission(f"{name} ({cls}) is not counted: rnnlint counts recurrent models only", span))
        where = (*path[:-1], "diarizer", "speaker_embeddings")
        if cls == "MSDD_module" and _raw(doc.data, where):
            # EncDecDiarLabelModel holds the speaker embedding model (TitaNet) loaded from its model_path.
            omitted.append(
                Omission(
                    f"the speaker embedding model ({interpolation.display(where)}.model_path) is not counted: it is "
                    "loaded from a checkpoint, not sized in this file",
                    doc.locator.key(where),
                )
            )
    model = doc.data.get("model") if isinstance(doc.data, dict) else None
    if isinstance(model, dict) and model.get("type") == "bnr":
        # audio/models/maxine/bnr.py: the BNR2 model's feature and denoising GRUs, built from model.type.
        reason = "rnnlint does not count NeMo's Maxine BNR model (model.type: bnr; its GRUs and convolutions)"
        layers.append(LayerSpec("model", "bnr", doc.locator.key(("model", "type")), Unknown("BNR2", reason)))
    if layers and _tacotron2_model(doc):
        omitted.append(
            Omission(
                "the Tacotron2 text embedding is not counted (Embedding(tokens, 512); the tokenizer's size)", Span(1, 1)
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
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=tuple(layers),
            span=Span(1, 1),
            assumptions=tuple(notes),
            omitted=tuple(omitted),
        )
    )


VOCAB = "its size depends on the tokenizer vocabulary, which is not in this file"
# Feature extractors and augmentations hold no trainable weights.
WEIGHTLESS = (
    "Preprocessor",
    "Processor",
    "Augmentation",
    "SpecAugment",
    "SpecCutout",
    "AudioToSpectrogram",
    "SpectrogramToAudio",
)


def _data_side(path: DocPath, target: str) -> bool:
    """Tokenizers, G2P, datasets, losses and optimizers: no model weights."""
    parts = [str(p) for p in path]
    return (
        ".g2p." in target
        or ".tokenizers." in target
        or any("tokenizer" in p or p.endswith("_ds") or p in ("optim", "loss", "dataset") for p in parts)
    )


def _tacotron2_model(doc: Document) -> bool:
    """A Tacotron2Model config (its encoder/decoder/postnet targets): the model adds the text embedding."""
    return any(".tacotron2.Encoder" in str(node["_target_"]) for _, node in _targets(doc.data))


def _rnn_encoder(m: _Module, name: str, notes: list[Assumption], omitted: list[Omission]) -> list[LayerSpec]:
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
            omitted.append(
                Omission(
                    f"{name} pre_encode ({subsampling} convolutional subsampling) is not counted",
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


def _conv_bn(cin: int, cout: int, kernel: int) -> int:
    """ConvNorm (Conv1d with bias) + BatchNorm1d(cout)."""
    return cin * cout * kernel + cout + 2 * cout


def _tacotron2_encoder(m: _Module, name: str, omitted: list[Omission]) -> list[LayerSpec]:
    """tacotron2.Encoder: n x [ConvNorm(E, E, k) + BatchNorm1d(E)], then nn.LSTM(E, E // 2, bidirectional)."""
    embedding = m.int("encoder_embedding_dim")
    if embedding is None:
        return [m.unknown(name, "tacotron2 Encoder")]
    entries: list[LayerSpec] = []
    convs, kernel = m.int("encoder_n_convolutions"), m.int("encoder_kernel_size")
    if convs is not None and kernel is not None:
        total = convs * _conv_bn(embedding, embedding, kernel)
        formula = f"{convs} x [Conv1d({embedding}, {embedding}, k={kernel}) + BatchNorm1d({embedding})] = {total:,}"
        entries.append(LayerSpec(f"{name}.convolutions", "conv1d", m.span(), Fixed(total, formula, embedding)))
    else:
        omitted.append(
            Omission(
                f"the {name} convolutions are not counted: encoder_n_convolutions and "
                "encoder_kernel_size (NeMo requires both) are not integers here",
                m.span(),
            )
        )
    lstm = Recurrent("lstm", embedding // 2, embedding, bidirectional=True)
    entries.append(LayerSpec(f"{name}.lstm", "blstm", m.span(), lstm))
    return entries


def _tacotron2_decoder(m: _Module, name: str, omitted: list[Omission]) -> list[LayerSpec]:
    """tacotron2.Decoder: Prenet, the attention and decoder LSTMCells, location-sensitive Attention,
    linear_projection and gate_layer (nemo/collections/tts/modules/tacotron2.py, submodules.py)."""
    embedding = m.int("encoder_embedding_dim")
    prenet = m.int("prenet_dim")
    attention_rnn = m.int("attention_rnn_dim")
    decoder_rnn = m.int("decoder_rnn_dim")
    if embedding is None or prenet is None or attention_rnn is None or decoder_rnn is None:
        return [m.unknown(name, "tacotron2 Decoder")]
    span = m.span()
    entries = [
        LayerSpec(
            f"{name}.attention_rnn", "lstm_cell", span, Recurrent("lstm", attention_rnn, prenet + embedding, cell=True)
        ),
        LayerSpec(
            f"{name}.decoder_rnn",
            "lstm_cell",
            span,
            Recurrent("lstm", decoder_rnn, attention_rnn + embedding, cell=True),
        ),
    ]
    mels, frames = m.int("n_mel_channels"), m.int("n_frames_per_step")
    adim, filters, kernel = (
        m.int("attention_dim"),
        m.int("attention_location_n_filters"),
        m.int("attention_location_kernel_size"),
    )
    if mels is not None and frames is not None:
        out = mels * frames
        entries.append(
            LayerSpec(
                f"{name}.prenet",
                "linear",
                span,
                Composite((Linear(out, prenet, bias=False), Linear(prenet, prenet, bias=False)), prenet),
            )
        )
        heads = Composite((Linear(decoder_rnn + embedding, out), Linear(decoder_rnn + embedding, 1)), out)
        entries.append(LayerSpec(f"{name}.linear_projection/gate_layer", "linear", span, heads))
    else:
        omitted.append(
            Omission(
                f"the {name} prenet and output projections are not counted: n_mel_channels and "
                "n_frames_per_step are not integers here",
                span,
            )
        )
    if adim is not None and filters is not None and kernel is not None:
        attention = (attention_rnn + embedding + 1) * adim + 2 * filters * kernel + filters * adim
        formula = (
            f"query Linear({attention_rnn}, {adim}) + memory Linear({embedding}, {adim}) + v Linear({adim}, 1) "
            f"+ location Conv1d(2, {filters}, k={kernel}) + Linear({filters}, {adim}), no biases = {attention:,}"
        )
        entries.append(LayerSpec(f"{name}.attention_layer", "attention", span, Fixed(attention, formula, adim)))
    else:
        omitted.append(
            Omission(
                f"the {name} attention layer is not counted: attention_dim, attention_location_n_filters "
                "and attention_location_kernel_size are not integers here",
                span,
            )
        )
    return entries


def _tacotron2_postnet(m: _Module, name: str, omitted: list[Omission]) -> list[LayerSpec]:
    """tacotron2.Postnet: mels -> C, (n - 2) x C -> C, C -> mels; each ConvNorm + BatchNorm1d."""
    mels, chans = m.int("n_mel_channels"), m.int("postnet_embedding_dim")
    kernel, convs = m.int("postnet_kernel_size"), m.int("postnet_n_convolutions")
    if mels is None or chans is None or kernel is None or convs is None:
        return [m.unknown(name, "tacotron2 Postnet")]
    total = (
        _conv_bn(mels, chans, kernel)
        + max(convs - 2, 0) * _conv_bn(chans, chans, kernel)
        + _conv_bn(chans, mels, kernel)
    )
    formula = (
        f"Conv1d({mels}, {chans}) + {max(convs - 2, 0)} x Conv1d({chans}, {chans}) + Conv1d({chans}, {mels}), "
        f"k={kernel}, each + BatchNorm1d = {total:,}"
    )
    return [LayerSpec(f"{name}.convolutions", "conv1d", m.span(), Fixed(total, formula, mels))]


def _rnnt_joint(m: _Module, name: str, omitted: list[Omission], hat: bool = False) -> list[LayerSpec]:
    """RNNTJoint._joint_net_modules: pred Linear(pred_hidden, joint_hidden) and enc Linear(encoder_hidden,
    joint_hidden) are fixed-size; only the last Linear(joint_hidden, classes) depends on the vocabulary."""
    sub = ("jointnet",)
    joint = m.int("joint_hidden", sub=sub)
    # EncDecRNNTModel (rnnt_models.py, rnnt_bpe_models.py) sets jointnet.encoder_hidden and pred_hidden
    # from model_defaults.enc_hidden and pred_hidden before it builds the joint.
    defaults = _Module(m.doc, (*m.path[:-1], "model_defaults"), m.defaulted)
    sizes: dict[str, int | None] = {}
    for key, fallback in (("encoder_hidden", "enc_hidden"), ("pred_hidden", "pred_hidden")):
        if key in m.node(sub):
            sizes[key] = m.int(key, sub=sub)
        else:
            sizes[key] = defaults.int(fallback)
            m.unresolved.extend(defaults.unresolved)
    enc, pred = sizes["encoder_hidden"], sizes["pred_hidden"]
    span = m.span(sub) if m.node(sub) else m.span()
    entries: list[LayerSpec] = []
    if joint is not None and pred is not None:
        entries.append(LayerSpec(f"{name}.pred", "linear", span, Linear(pred, joint)))
    if joint is not None and enc is not None:
        entries.append(LayerSpec(f"{name}.enc", "linear", span, Linear(enc, joint)))
    if joint is None or pred is None or enc is None:
        reason = "; ".join(m.unresolved) or "jointnet encoder_hidden, pred_hidden and joint_hidden are not all integers"
        omitted.append(Omission(f"the {name} input projections are not all counted: {reason}", span))
    if hat and joint is not None:
        # HATJoint (hybrid_autoregressive_transducer.py) adds blank_pred: Linear(joint_hidden, 1).
        entries.append(LayerSpec(f"{name}.blank_pred", "linear", span, Linear(joint, 1)))
    width = joint if joint is not None else "joint_hidden"
    omitted.append(Omission(f"the {name} output layer is not counted (Linear({width}, classes); {VOCAB})", span))
    return entries


def _mask_estimator_rnn(m: _Module, name: str) -> list[LayerSpec]:
    """audio/modules/masking.py MaskEstimatorRNN: input_projection, nn.LSTM/GRU(num_features,
    num_hidden_features or num_features, num_layers, dropout, bidirectional), fc Linear(2F or F, F),
    LayerNorm(F), num_outputs x Linear(F, num_subbands). The input is SpectrogramToMultichannelFeatures:
    num_subbands (x2 with use_ipd) features per channel, one channel after a mag_reduction."""
    outputs, subbands = m.int("num_outputs"), m.int("num_subbands")
    features, count = m.int("num_features", 1024), m.int("num_layers", 3)
    hidden_raw = m.get("num_hidden_features")
    hidden = as_int(hidden_raw, strings=True) if hidden_raw is not None else features
    rnn_type = str(m.get("rnn_type", "lstm"))
    bidirectional = as_bool(m.get("bidirectional", True), True)
    use_ipd = bool(m.get("use_ipd")) and as_bool(m.get("use_ipd"), False)
    # An explicit null is NeMo's None (no reduction), not the default 'rms'.
    reduction = m.node()["mag_reduction"] if "mag_reduction" in m.node() else m.get("mag_reduction", "rms")
    channels_raw = m.get("num_input_channels")
    span = m.span()
    if outputs is None or subbands is None or features is None or count is None or hidden is None:
        return [m.unknown(name, "MaskEstimatorRNN")]
    if rnn_type not in ("lstm", "gru"):
        return [LayerSpec(name, rnn_type, span, Unknown("MaskEstimatorRNN", f"rnn_type {rnn_type!r}"))]
    kind: RecurrentKind = "lstm" if rnn_type == "lstm" else "gru"
    options: dict[str, Any] = {}
    spans: dict[str, Span] = {}
    dropout = as_float(m.get("dropout", 0))
    if dropout and "dropout" in m.node():
        options["dropout"], spans["dropout"] = dropout, m.key_span("dropout")
    rnn = Recurrent(kind, hidden, features, num_layers=count, bidirectional=bidirectional)
    entries = [
        LayerSpec(f"{name}.rnn", ("b" if bidirectional else "") + kind, span, rnn, options=options, option_spans=spans)
    ]
    per_channel = 2 * subbands if use_ipd else subbands
    channels = as_int(channels_raw, strings=True) if use_ipd or reduction is None else 1
    if channels is not None:
        entries.append(LayerSpec(f"{name}.input_projection", "linear", span, Linear(per_channel * channels, features)))
    else:
        entries.append(m.unknown(f"{name}.input_projection", "MaskEstimatorRNN input_projection"))
    fc = Linear(2 * features if bidirectional else features, features)
    norm = Fixed(2 * features, f"LayerNorm({features}): 2x{features} = {2 * features:,}", features)
    heads = _stack_linear([Linear(features, subbands) for _ in range(outputs)], subbands)
    entries.append(
        LayerSpec(f"{name}.fc/norm/output_projections", "linear", span, Composite((fc, norm, heads), subbands))
    )
    return entries


def _stack_linear(parts: list[Linear], output: int) -> Module:
    return parts[0] if len(parts) == 1 else Composite(tuple(parts), output_size=output)


def _reference_encoder(m: _Module, name: str) -> list[LayerSpec]:
    """tts/modules/submodules.py ReferenceEncoder: Conv2DReLUNorm layers (Conv2d + LayerNorm(out)), then
    nn.GRU(cnn_filters[-1] * H', gru_hidden), H' from calculate_post_conv_lengths, whose kernel 3, stride 2
    and padding 1 are fixed (the convolutions' own settings are not passed to it)."""
    mels, hidden, kernel = m.int("n_mels"), m.int("gru_hidden"), m.int("kernel_size")
    filters = m.get("cnn_filters")
    bias = as_bool(m.get("bias"), True)
    span = m.span()
    if (
        mels is None
        or hidden is None
        or kernel is None
        or not isinstance(filters, list)
        or not filters
        or any(as_int(f, strings=True) is None for f in filters)
    ):
        return [m.unknown(name, "ReferenceEncoder")]
    chans = [1] + [int(as_int(f, strings=True) or 0) for f in filters]
    convs = sum(
        chans[i] * chans[i + 1] * kernel * kernel + (chans[i + 1] if bias else 0) + 2 * chans[i + 1]
        for i in range(len(chans) - 1)
    )
    formula = f"{len(chans) - 1} x [Conv2d({kernel}x{kernel}) + LayerNorm], channels {chans[1:]} = {convs:,}"
    height = mels
    for _ in range(len(chans) - 1):
        height = (height - 3 + 2 * 1) // 2 + 1
    return [
        LayerSpec(f"{name}.layers", "conv2d", span, Fixed(convs, formula, chans[-1])),
        LayerSpec(f"{name}.gru", "gru", span, Recurrent("gru", hidden, chans[-1] * height)),
    ]


def _msdd(m: _Module, name: str) -> list[LayerSpec]:
    """msdd_diarizer.MSDD_module: the BLSTM, the scale-weighting convolutions (or W_a), hidden_to_spks and
    dist_to_emb / product_to_emb."""
    hidden = m.int("hidden_size", 256)
    layers = m.int("num_lstm_layers", 2)
    dropout = m.get("dropout_rate", 0.5)
    if hidden is None or layers is None:
        return [m.unknown(name, "MSDD_module")]
    lstm = Recurrent("lstm", hidden, hidden, num_layers=layers, bidirectional=True)
    options: dict[str, Any] = {}
    option_spans: dict[str, Span] = {}
    rate = as_float(dropout)
    if rate is not None:
        options["dropout"] = rate
        if "dropout_rate" in m.node():
            option_spans["dropout"] = m.key_span("dropout_rate")
    span = m.span()
    entries = [LayerSpec(f"{name}.lstm", "blstm", span, lstm, options=options, option_spans=option_spans)]
    spks, scales, emb = m.int("num_spks", 2), m.int("scale_n", 5), m.int("emb_dim", 192)
    chans, repeat = m.int("cnn_output_ch", 16), m.int("conv_repeat", 1)
    scheme = str(m.get("weighting_scheme", "conv_scale_weight"))
    context = str(m.get("context_vector_type", "cos_sim"))
    if spks is None or scales is None or emb is None or chans is None or repeat is None:
        return [*entries, m.unknown(f"{name} (weighting and output layers)", "MSDD_module")]
    if scheme == "conv_scale_weight":
        # ConvLayer: Conv2d(1, C, (kh, 1)) + BatchNorm2d(C); conv_bn is BatchNorm2d(emb_dim, affine=False).
        first = chans * (scales + scales * spks) + chans + 2 * chans
        rest = repeat * (chans * chans + chans + 2 * chans)
        convs = first + rest
        formula = (
            f"Conv2d(1, {chans}, ({scales + scales * spks}, 1)) + {repeat} x Conv2d(1, {chans}, ({chans}, 1)), "
            f"each + BatchNorm2d({chans}) = {convs:,}"
        )
        entries.append(LayerSpec(f"{name}.conv", "conv2d", span, Fixed(convs, formula, chans)))
        weights = Composite((Linear(emb * chans, hidden), Linear(hidden, scales)), scales)
        entries.append(LayerSpec(f"{name}.conv_to_linear/linear_to_weights", "linear", span, weights))
    elif scheme == "attn_scale_weight":
        entries.append(LayerSpec(f"{name}.W_a", "linear", span, Linear(emb, emb, bias=False)))
    else:
        return [*entries, LayerSpec(name, scheme, span, Unknown("MSDD_module", f"weighting_scheme {scheme!r}"))]
    entries.append(LayerSpec(f"{name}.hidden_to_spks", "linear", span, Linear(2 * hidden, spks)))
    if context == "cos_sim":
        entries.append(LayerSpec(f"{name}.dist_to_emb", "linear", span, Linear(scales * spks, hidden)))
    elif context == "elem_prod":
        entries.append(LayerSpec(f"{name}.product_to_emb", "linear", span, Linear(emb * spks, hidden)))
    else:
        entries.append(LayerSpec(name, context, span, Unknown("MSDD_module", f"context_vector_type {context!r}")))
    return entries


def _radtts(m: _Module, name: str, omitted: list[Omission]) -> list[LayerSpec]:
    """radtts.RadTTSModule's LSTMs (common.py BiLSTM: nn.LSTM(i, h, bidirectional); spectral norm keeps the
    weight's size): the text encoder's ConvLSTMLinear BiLSTM(n_text_dim, n_text_dim // 2), the context LSTM
    (use_context_lstm) and each DAP attribute predictor's ConvLSTMLinear BiLSTM(n_channels, n_channels // 2)."""
    span = m.span()
    text_dim, speaker_dim = m.int("n_text_dim"), m.int("n_speaker_dim")
    if text_dim is None or speaker_dim is None:
        return [m.unknown(name, "RadTTSModule")]
    entries = [
        LayerSpec(
            f"{name}.encoder.bilstm", "blstm", span, Recurrent("lstm", text_dim // 2, text_dim, bidirectional=True)
        )
    ]
    include = str(m.get("include_modules", "dec"))
    if as_bool(m.get("use_context_lstm", False), False) and ("atn" in include or "dec" in include):
        group = m.int("n_group_size")
        f0, energy = m.int("n_f0_dims", 0), m.int("n_energy_avg_dims", 0)
        if group is None or f0 is None or energy is None:
            entries.append(m.unknown(f"{name}.context_lstm", "RadTTSModule context_lstm"))
        else:
            hidden = (speaker_dim + text_dim * group) // 2
            width = speaker_dim + text_dim * group
            if as_bool(m.get("context_lstm_w_f0_and_energy", True), True):
                width = (f0 + energy + text_dim) * group + speaker_dim
            entries.append(
                LayerSpec(f"{name}.context_lstm", "blstm", span, Recurrent("lstm", hidden, width, bidirectional=True))
            )
    predictors = []
    if "dpm" in include:
        predictors.append(("dur_pred_layer", "dur_model_config"))
    if "vpred" in include or as_bool(m.get("ap_use_voiced_embeddings", False), False):
        predictors.append(("v_pred_module", "v_model_config"))
    if "apm" in include:
        predictors += [("f0_pred_module", "f0_model_config"), ("energy_pred_module", "energy_model_config")]
    for label, key in predictors:
        sub = (key, "hparams")
        if m.get("name", sub=(key,)) != "dap" or as_bool(m.get("use_transformer", False, sub=sub), False):
            omitted.append(
                Omission(f"the {name}.{label} predictor is not counted (not a DAP with ConvLSTMLinear)", span)
            )
            continue
        chans = m.int("n_channels", sub=(*sub, "arch_hparams"))
        if chans is None:
            entries.append(m.unknown(f"{name}.{label}.feat_pred_fn.bilstm", "DAP ConvLSTMLinear"))
            continue
        lstm = Recurrent("lstm", chans // 2, chans, bidirectional=True)
        entries.append(LayerSpec(f"{name}.{label}.feat_pred_fn.bilstm", "blstm", span, lstm))
    omitted.append(
        Omission(
            f"the rest of {name} is not counted (text and speaker embeddings, convolutions, flows, attention, "
            "predictor bottlenecks and outputs): only its LSTMs are",
            span,
        )
    )
    return entries
