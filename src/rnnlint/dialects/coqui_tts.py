"""Coqui TTS JSON configs (``"model": "Tacotron2" | "Tacotron" | "speaker_encoder"``), ``//`` comments allowed.

What Coqui builds (github:coqui-ai/TTS at dbf1a08, TTS 0.22.0):

- Tacotron2 (``TTS/tts/models/tacotron2.py`` ``Tacotron2.__init__``; layers in
  ``TTS/tts/layers/tacotron/tacotron2.py``): ``Encoder(encoder_in_features)``: three
  ``ConvBNBlock(E, E, 5)`` (Conv1d with bias + BatchNorm1d) and ``nn.LSTM(E, E // 2,
  bidirectional)``; ``Decoder(D, out_channels, r)``: ``Prenet(out_channels, [256, 256], bias=False)``
  (``LinearBN`` with ``prenet_type: bn``), ``attention_rnn = LSTMCell(256 + D, 1024)``, the
  attention (``attentions.py`` ``OriginalAttention``: query/inputs layers, ``v``, the location
  layer, the transition agent), ``decoder_rnn = LSTMCell(1024 + D, 1024)``, ``linear_projection =
  Linear(1024 + D, out_channels * r)``, ``stopnet`` ``Linear(1024 + out_channels * r, 1)``;
  ``Postnet(out_channels)``: five ``ConvBNBlock`` (to 512, 3 x 512, back to out_channels).
  ``double_decoder_consistency`` adds ``coarse_decoder`` (same Decoder with ``ddc_r``);
  ``bidirectional_decoder`` a deep copy of the decoder.
- Tacotron (``TTS/tts/models/tacotron.py``; ``layers/tacotron/tacotron.py``): ``Encoder(256)``:
  ``Prenet(256, [256, 128])`` and the encoder CBHG (K 16, a bidirectional ``nn.GRU(128, 128)``);
  ``Decoder``: ``Prenet(out * memory, [256, 128])``, ``attention_rnn = GRUCell(D + 128, 256)``,
  the attention, ``project_to_decoder_in``, two ``GRUCell(256, 256)``, ``proj_to_mel``, the
  stopnet; ``PostCBHG(decoder_output_dim)`` (K 8, bidirectional GRU) and ``last_linear``.
- D, the decoder input, is ``decoder_in_features`` plus ``gst.gst_embedding_dim`` with
  ``use_gst`` and the speaker embedding size (``d_vector_dim`` or 512) with
  ``use_speaker_embedding`` / ``use_d_vector_file`` (``base_tts.py`` ``init_multispeaker``).
- Values the file leaves out are ``TacotronConfig`` / ``Tacotron2Config`` defaults (reported).
  Coqui takes ``out_channels`` from the config, not from ``audio.num_mels``.
- ``use_gst``: the GST layer (``gst_layers.py``): the ReferenceEncoder's six Conv2d/BatchNorm2d
  and its ``nn.GRU``, the style tokens and their attention (``gst`` sizes, GSTConfig defaults).
- Not counted (omissions): the character embedding (``num_chars`` comes from the character set
  the tokenizer builds) and the speaker embedding table; Capacitron is RNN205.
- ``speaker_encoder`` (``TTS/encoder/models/lstm.py`` ``LSTMSpeakerEncoder``):
  ``model_params.model_name: lstm``: ``num_lstm_layers`` x (``nn.LSTM`` + ``Linear(lstm_dim,
  proj_dim, bias=False)``) with ``use_lstm_with_projection``, else one stacked ``nn.LSTM`` and
  ``Linear(lstm_dim, proj_dim)``. ``resnet`` builds no RNN (an omission).
- ``.models.json`` (the model zoo catalogue) names pretrained models, it sizes none: RNN205.
"""

from __future__ import annotations

from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import TRUE_ELSE_FALSE, SectionReader, as_bool, as_int
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
    Span,
    Unknown,
)
from rnnlint.parse.document import DocPath, Document

NAME = "coqui-tts"
# TTS/config/__init__.py read_json_with_comments: a .json that fails as JSON is read again with
# its // and /* */ comments removed (trailing commas stay errors).
JSON_SYNTAX = frozenset({"//", "/*"})

TACOTRON_NAMES = {"tacotron": "Tacotron", "tacotron2": "Tacotron2"}
# TTS/tts/configs/tacotron_config.py (TacotronConfig) and tacotron2_config.py (Tacotron2Config).
DEFAULTS: dict[str, dict[str, Any]] = {
    "Tacotron": {
        "r": 2,
        "memory_size": -1,
        "prenet_type": "original",
        "attention_type": "original",
        "location_attn": True,
        "transition_agent": False,
        "bidirectional_decoder": False,
        "double_decoder_consistency": False,
        "ddc_r": 6,
        "encoder_in_features": 256,
        "decoder_in_features": 256,
        "decoder_output_dim": 80,
        "out_channels": 513,
        "use_gst": False,
        "use_capacitron_vae": False,
        "use_speaker_embedding": False,
        "use_d_vector_file": False,
    },
    "Tacotron2": {
        "r": 2,
        "prenet_type": "original",
        "attention_type": "original",
        "location_attn": True,
        "transition_agent": False,
        "bidirectional_decoder": False,
        "double_decoder_consistency": False,
        "ddc_r": 6,
        "encoder_in_features": 512,
        "decoder_in_features": 512,
        "out_channels": 80,
        "use_gst": False,
        "use_capacitron_vae": False,
        "use_speaker_embedding": False,
        "use_d_vector_file": False,
    },
}
# Which defaults change a count, per model: only those are reported.
COUNTED_KEYS = {
    "Tacotron": (
        "r",
        "memory_size",
        "prenet_type",
        "attention_type",
        "location_attn",
        "transition_agent",
        "bidirectional_decoder",
        "double_decoder_consistency",
        "encoder_in_features",
        "decoder_in_features",
        "decoder_output_dim",
        "out_channels",
    ),
    "Tacotron2": (
        "r",
        "prenet_type",
        "attention_type",
        "location_attn",
        "transition_agent",
        "bidirectional_decoder",
        "double_decoder_consistency",
        "encoder_in_features",
        "decoder_in_features",
        "out_channels",
    ),
}
SPEAKER_ENCODER_DEFAULTS: dict[str, Any] = {
    "proj_dim": 256,
    "lstm_dim": 768,
    "num_lstm_layers": 3,
    "use_lstm_with_projection": True,
}


def detect(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if isinstance(data.get("tts_models"), dict) and ("vocoder_models" in data or "voice_conversion_models" in data):
        return True
    model = data.get("model")
    if not isinstance(model, str) or not isinstance(data.get("audio"), dict):
        return False
    return "run_name" in data or "datasets" in data or "output_path" in data


class _Config(SectionReader):
    def __init__(self, doc: Document, model: str) -> None:
        self.counted = COUNTED_KEYS.get(model, ())
        # An absent key is placed at `model` (the key that chose the architecture).
        super().__init__(
            doc, (), doc.data, defaults=DEFAULTS.get(model, {}), note=self._noted, whole=doc.locator.key(("model",))
        )
        self.data: dict[str, Any] = doc.data

    def _noted(self, key: str, default: Any) -> str | None:
        if key not in self.counted:
            return None
        return f"{key}: {str(default).lower() if isinstance(default, bool) else default}"

    def flag(self, key: str) -> bool:
        # Coqui reads the JSON into a coqpit dataclass; only true or "true" is taken for true here (unverified).
        return as_bool(self.get(key), False, strings=TRUE_ELSE_FALSE._replace(strip=False), others="default")

    def integer(self, key: str) -> int:
        value = as_int(self.get(key))
        if value is None:
            raise ValueError(f"{key} is {self.data.get(key)!r}, not an integer")
        return value


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
    if "tts_models" in data:
        unknown = Unknown(
            "model catalogue",
            "Coqui's .models.json lists pretrained models by name and download URL; their sizes are in each "
            "model's own config.json, not in this file",
        )
        return Adapted(
            _model([LayerSpec("tts_models", "catalogue", doc.locator.key(("tts_models",)), unknown)], [], [])
        )
    raw = str(data.get("model", ""))
    name = TACOTRON_NAMES.get(raw.lower())
    span = doc.locator.key(("model",))
    if name is not None:
        return Adapted(_tacotron(doc, name))
    if raw.lower() == "speaker_encoder":
        return Adapted(_speaker_encoder(doc))
    reason = f"rnnlint counts Coqui's Tacotron, Tacotron2 and LSTM speaker encoder only, not model {raw!r}"
    return Adapted(_model([LayerSpec("model", raw, span, Unknown(raw, reason))], [], [], raw))


def _conv_bn(cin: int, cout: int, kernel: int, bias: bool) -> int:
    """Conv1d (+ bias) and BatchNorm1d (weight and bias)."""
    return cin * cout * kernel + (cout if bias else 0) + 2 * cout


def _prenet(in_features: int, sizes: list[int], batch_norm: bool, bias: bool) -> Module:
    """common_layers.Prenet: Linear (LinearBN with prenet_type bn) per size."""
    parts: list[Module] = []
    current = in_features
    for size in sizes:
        parts.append(Linear(current, size, bias=bias))
        if batch_norm:
            parts.append(Fixed(2 * size, f"BatchNorm1d({size}): 2x{size}", size))
        current = size
    return Composite(tuple(parts), output_size=current)


def _attention(cfg: _Config, query_dim: int, embedding_dim: int) -> Module:
    """attentions.init_attn with attention_dim 128, 32 location filters of width 31."""
    kind = str(cfg.get("attention_type"))
    if kind != "original":
        return Unknown(kind, f"rnnlint counts Coqui's 'original' attention only, not {kind!r}")
    parts: list[Module] = [
        Linear(query_dim, 128, bias=False),  # query_layer
        Linear(embedding_dim, 128, bias=False),  # inputs_layer
        Linear(128, 1),  # v
    ]
    if cfg.flag("transition_agent"):
        parts.append(Linear(query_dim + embedding_dim, 1))  # ta
    if cfg.flag("location_attn"):
        parts.append(Fixed(2 * 32 * 31, "location_conv1d: Conv1d(2, 32, 31, no bias) = 1,984", 32))
        parts.append(Linear(32, 128, bias=False))  # location_dense
    return Composite(tuple(parts), output_size=embedding_dim)


def _gst(cfg: _Config, num_mel: int, notes: list[Assumption]) -> list[LayerSpec]:
    """gst_layers.py GST(num_mel, heads, tokens, E): ReferenceEncoder (6 Conv2d 3x3 stride 2 + BatchNorm2d,
    nn.GRU(128 * post-conv height, E // 2)) and StyleTokenLayer (tokens x E / heads, and a bias-free
    MultiHeadAttention: W_query (E // 2 -> E), W_key and W_value (E / heads -> E))."""
    gst = cfg.data.get("gst")
    values: dict[str, Any] = gst if isinstance(gst, dict) else {}
    defaulted = []
    sizes: dict[str, int] = {}
    for key, default in (("gst_embedding_dim", 256), ("gst_num_heads", 4), ("gst_num_style_tokens", 10)):
        value = as_int(values.get(key))
        if value is None:
            defaulted.append(f"{key}: {default}")
        sizes[key] = value if value is not None else default
    span = cfg.span("gst") if "gst" in cfg.data else cfg.span("use_gst")
    if defaulted:
        notes.append(Assumption("GSTConfig defaults assumed: " + ", ".join(defaulted) + "; add them under gst", span))
    emb, heads, tokens = sizes["gst_embedding_dim"], sizes["gst_num_heads"], sizes["gst_num_style_tokens"]
    filters = [1, 32, 32, 64, 64, 128, 128]
    convs = sum(filters[i] * filters[i + 1] * 9 + filters[i + 1] + 2 * filters[i + 1] for i in range(6))
    height = num_mel
    for _ in range(6):
        height = (height - 3 + 2) // 2 + 1
    key_dim = emb // heads
    style = tokens * key_dim + (emb // 2) * emb + 2 * key_dim * emb
    return [
        LayerSpec(
            "gst_layer.encoder.convs",
            "conv2d_bn",
            span,
            Fixed(convs, f"ReferenceEncoder: 6 x [Conv2d(3x3) + BatchNorm2d], 1 -> 32 -> ... -> 128 = {convs:,}", 128),
        ),
        LayerSpec("gst_layer.encoder.recurrence", "gru", span, Recurrent("gru", emb // 2, 128 * height)),
        LayerSpec(
            "gst_layer.style_token_layer",
            "style_tokens",
            span,
            Fixed(
                style,
                f"{tokens} tokens x {key_dim} + W_query {emb // 2}x{emb} + W_key/W_value 2 x {key_dim}x{emb}"
                f" = {style:,}",
                emb,
            ),
        ),
    ]


def _decoder_input(cfg: _Config, notes: list[Assumption], omitted: list[Omission]) -> int:
    dim = cfg.integer("decoder_in_features")
    if cfg.flag("use_gst"):
        gst = cfg.data.get("gst")
        if not isinstance(gst, dict):
            raise ValueError("use_gst is set but there is no gst section (the config's gst is None: Coqui fails)")
        # GSTConfig.gst_embedding_dim defaults to 256 (reported by _gst).
        gst_dim = as_int(gst.get("gst_embedding_dim"))
        dim += gst_dim if gst_dim is not None else 256
    if cfg.flag("use_capacitron_vae"):
        raise ValueError("rnnlint does not count the Capacitron VAE (use_capacitron_vae)")
    if cfg.flag("use_speaker_embedding") or cfg.flag("use_d_vector_file"):
        stated = as_int(cfg.data.get("d_vector_dim"))
        if stated is None:
            notes.append(
                Assumption(
                    "speaker embedding size: d_vector_dim is not in the file; assumed 512 (init_multispeaker)",
                    cfg.span("use_speaker_embedding"),
                )
            )
        dim += stated if stated is not None else 512
        if cfg.flag("use_speaker_embedding") and not cfg.flag("use_d_vector_file"):
            omitted.append(
                Omission(
                    "the speaker embedding table (num_speakers x d_vector_dim) is not counted: "
                    "the speakers come from the dataset",
                    cfg.span("use_speaker_embedding"),
                )
            )
    return dim


def _tacotron(doc: Document, name: str) -> ModelConfig:
    cfg = _Config(doc, name)
    notes: list[Assumption] = []
    omitted: list[Omission] = []
    span = doc.locator.key(("model",))
    try:
        layers = (
            _tacotron2_layers(cfg, notes, omitted) if name == "Tacotron2" else _tacotron_layers(cfg, notes, omitted)
        )
    except ValueError as exc:
        layers = [LayerSpec("model", name, span, Unknown(name, str(exc)))]
    embed = 512 if name == "Tacotron2" else 256
    omitted.insert(
        0,
        Omission(
            f"the character embedding (num_chars x {embed}) is not counted: num_chars comes from the character "
            "set Coqui's tokenizer builds (characters / phonemes / the default symbols)",
            doc.locator.key(("characters",)) if "characters" in doc.data else span,
        ),
    )
    if cfg.defaulted:
        notes.append(
            Assumption(
                f"{name}Config defaults assumed for keys not in the file: "
                + ", ".join(dict.fromkeys(cfg.defaulted))
                + "; add them to make the count explicit",
                span,
            )
        )
    return _model(layers, notes, omitted, name)


def _tacotron2_layers(cfg: _Config, notes: list[Assumption], omitted: list[Omission]) -> list[LayerSpec]:
    enc = cfg.integer("encoder_in_features")
    out = cfg.integer("out_channels")
    r = cfg.integer("r")
    dec_in = _decoder_input(cfg, notes, omitted)
    batch_norm = str(cfg.get("prenet_type")) == "bn"
    layers: list[LayerSpec] = []
    convs = 3 * _conv_bn(enc, enc, 5, bias=True)
    layers.append(
        LayerSpec(
            "encoder.convolutions",
            "conv_bn",
            cfg.span("encoder_in_features"),
            Fixed(convs, f"3 x ConvBNBlock({enc}, {enc}, 5): 3 x ({enc}x{enc}x5 + {enc} + 2x{enc}) = {convs:,}", enc),
        )
    )
    layers.append(
        LayerSpec(
            "encoder.lstm",
            "blstm",
            cfg.span("encoder_in_features"),
            Recurrent("lstm", enc // 2, enc, bidirectional=True),
        )
    )
    decoders = [("decoder", r)]
    if cfg.flag("bidirectional_decoder"):
        decoders.append(("decoder_backward", r))
    if cfg.flag("double_decoder_consistency"):
        decoders.append(("coarse_decoder", cfg.integer("ddc_r")))
    for prefix, rate in decoders:
        where = cfg.span("double_decoder_consistency" if prefix == "coarse_decoder" else "r")
        layers.append(
            LayerSpec(
                f"{prefix}.prenet", "prenet", cfg.span("prenet_type"), _prenet(out, [256, 256], batch_norm, False)
            )
        )
        layers.append(
            LayerSpec(f"{prefix}.attention_rnn", "lstm_cell", where, Recurrent("lstm", 1024, 256 + dec_in, cell=True))
        )
        layers.append(
            LayerSpec(f"{prefix}.attention", "attention", cfg.span("attention_type"), _attention(cfg, 1024, dec_in))
        )
        layers.append(
            LayerSpec(f"{prefix}.decoder_rnn", "lstm_cell", where, Recurrent("lstm", 1024, 1024 + dec_in, cell=True))
        )
        layers.append(LayerSpec(f"{prefix}.linear_projection", "linear", where, Linear(1024 + dec_in, out * rate)))
        layers.append(LayerSpec(f"{prefix}.stopnet", "linear", where, Linear(1024 + out * rate, 1)))
    if cfg.flag("use_gst"):
        layers.extend(_gst(cfg, out, notes))  # Tacotron2: GST(num_mel=decoder_output_dim = out_channels)
    post = _conv_bn(out, 512, 5, True) + 3 * _conv_bn(512, 512, 5, True) + _conv_bn(512, out, 5, True)
    layers.append(
        LayerSpec(
            "postnet",
            "conv_bn",
            cfg.span("out_channels"),
            Fixed(post, f"5 x ConvBNBlock(k=5): {out} -> 512 -> 512 -> 512 -> 512 -> {out} = {post:,}", out),
        )
    )
    return layers


def _cbhg(in_features: int, k: int, projections: tuple[int, int]) -> tuple[int, str]:
    """CBHG's convolution bank, projections, pre-highway and 4 highways (the GRU is listed apart)."""
    bank = sum(in_features * 128 * width + 2 * 128 for width in range(1, k + 1))
    p1, p2 = projections
    proj = (k * 128) * p1 * 3 + 2 * p1 + p1 * p2 * 3 + 2 * p2
    pre = p2 * 128 if p2 != 128 else 0
    highways = 4 * 2 * (128 * 128 + 128)
    total = bank + proj + pre + highways
    formula = (
        f"conv bank K={k} from {in_features} ({bank:,}) + projections {p1}, {p2} ({proj:,})"
        + (f" + pre_highway {p2}x128 ({pre:,})" if pre else "")
        + f" + 4 highways ({highways:,}) = {total:,}"
    )
    return total, formula


def _tacotron_layers(cfg: _Config, notes: list[Assumption], omitted: list[Omission]) -> list[LayerSpec]:
    enc = cfg.integer("encoder_in_features")
    mel = cfg.integer("decoder_output_dim")
    out = cfg.integer("out_channels")
    r = cfg.integer("r")
    memory = cfg.integer("memory_size")
    dec_in = _decoder_input(cfg, notes, omitted)
    batch_norm = str(cfg.get("prenet_type")) == "bn"
    layers: list[LayerSpec] = [
        LayerSpec("encoder.prenet", "prenet", cfg.span("encoder_in_features"), _prenet(enc, [256, 128], False, True))
    ]
    cbhg, formula = _cbhg(128, 16, (128, 128))
    layers.append(LayerSpec("encoder.cbhg", "cbhg", cfg.span("encoder_in_features"), Fixed(cbhg, formula, 128)))
    layers.append(
        LayerSpec(
            "encoder.cbhg.gru", "bgru", cfg.span("encoder_in_features"), Recurrent("gru", 128, 128, bidirectional=True)
        )
    )
    decoders = [("decoder", r)]
    if cfg.flag("bidirectional_decoder"):
        decoders.append(("decoder_backward", r))
    if cfg.flag("double_decoder_consistency"):
        decoders.append(("coarse_decoder", cfg.integer("ddc_r")))
    for prefix, rate in decoders:
        where = cfg.span("double_decoder_consistency" if prefix == "coarse_decoder" else "r")
        # A memory queue of memory_size frames feeds the prenet (memory_size > 0); else one frame.
        prenet_in = mel * memory if memory > 0 else mel
        layers.append(
            LayerSpec(
                f"{prefix}.prenet", "prenet", cfg.span("prenet_type"), _prenet(prenet_in, [256, 128], batch_norm, True)
            )
        )
        layers.append(
            LayerSpec(f"{prefix}.attention_rnn", "gru_cell", where, Recurrent("gru", 256, dec_in + 128, cell=True))
        )
        layers.append(
            LayerSpec(f"{prefix}.attention", "attention", cfg.span("attention_type"), _attention(cfg, 256, dec_in))
        )
        layers.append(LayerSpec(f"{prefix}.project_to_decoder_in", "linear", where, Linear(256 + dec_in, 256)))
        cells = Composite(
            (Recurrent("gru", 256, 256, cell=True), Recurrent("gru", 256, 256, cell=True)), output_size=256
        )
        layers.append(LayerSpec(f"{prefix}.decoder_rnns", "gru_cell", where, cells))
        layers.append(LayerSpec(f"{prefix}.proj_to_mel", "linear", where, Linear(256, mel * rate)))
        layers.append(LayerSpec(f"{prefix}.stopnet", "linear", where, Linear(256 + mel * rate, 1)))
    if cfg.flag("use_gst"):
        layers.extend(_gst(cfg, mel, notes))  # Tacotron: GST(num_mel=decoder_output_dim)
    post, post_formula = _cbhg(mel, 8, (256, mel))
    layers.append(LayerSpec("postnet.cbhg", "cbhg", cfg.span("decoder_output_dim"), Fixed(post, post_formula, 128)))
    layers.append(
        LayerSpec(
            "postnet.cbhg.gru", "bgru", cfg.span("decoder_output_dim"), Recurrent("gru", 128, 128, bidirectional=True)
        )
    )
    layers.append(LayerSpec("last_linear", "linear", cfg.span("out_channels"), Linear(256, out)))
    return layers


def _speaker_encoder(doc: Document) -> ModelConfig:
    params = doc.data.get("model_params")
    base: DocPath = ("model_params",)
    span = doc.locator.key(base) if isinstance(params, dict) else doc.locator.key(("model",))
    values: dict[str, Any] = params if isinstance(params, dict) else {}
    model_name = str(values.get("model_name", "lstm")).lower()
    notes: list[Assumption] = []
    if model_name == "resnet":
        omission = Omission("the ResNet speaker encoder is not counted: rnnlint counts recurrent models only", span)
        return _model([], notes, [omission], "speaker_encoder")
    if model_name != "lstm":
        unknown = Unknown(model_name, f"rnnlint knows Coqui's lstm and resnet speaker encoders, not {model_name!r}")
        return _model([LayerSpec("model_params", model_name, span, unknown)], notes, [], "speaker_encoder")
    defaulted: list[str] = []

    def get(key: str) -> Any:
        if values.get(key) is not None:
            return values[key]
        defaulted.append(f"{key}: {SPEAKER_ENCODER_DEFAULTS[key]}")
        return SPEAKER_ENCODER_DEFAULTS[key]

    input_dim = as_int(values.get("input_dim"))
    proj, hidden, count = as_int(get("proj_dim")), as_int(get("lstm_dim")), as_int(get("num_lstm_layers"))
    with_projection = get("use_lstm_with_projection") is True
    if proj is None or hidden is None or count is None or count < 1:
        unknown = Unknown("LSTMSpeakerEncoder", "proj_dim, lstm_dim and num_lstm_layers must be integers")
        return _model([LayerSpec("model_params", "lstm", span, unknown)], notes, [], "speaker_encoder")
    if input_dim is None:
        notes.append(Assumption("model_params.input_dim is not in the file: the first LSTM's input is unknown", span))
    layers: list[LayerSpec] = []
    if with_projection:
        for i in range(count):
            first = input_dim if i == 0 else proj
            layers.append(LayerSpec(f"layers.{i}.lstm", "lstm", span, Recurrent("lstm", hidden, first)))
            layers.append(LayerSpec(f"layers.{i}.linear", "linear", span, Linear(hidden, proj, bias=False)))
    else:
        layers.append(LayerSpec("layers.lstm", "lstm", span, Recurrent("lstm", hidden, input_dim, num_layers=count)))
        layers.append(LayerSpec("layers.linear", "linear", span, Linear(hidden, proj)))
    if defaulted:
        notes.append(
            Assumption(
                "LSTMSpeakerEncoder defaults assumed: " + ", ".join(defaulted) + "; add them to model_params",
                span,
            )
        )
    return _model(layers, notes, [], "speaker_encoder")


def _model(
    layers: list[LayerSpec], notes: list[Assumption], omitted: list[Omission], name: str | None = None
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
