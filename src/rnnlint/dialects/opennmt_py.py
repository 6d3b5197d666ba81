"""OpenNMT-py training configs (``opennmt-py``): flat YAML of the ``onmt_train`` options.

What OpenNMT-py builds (onmt/model_builder.py ``build_task_specific_model`` / ``build_base_model``,
onmt/encoders/rnn_encoder.py, onmt/decoders/decoder.py, onmt/modules/{global_attention,gate,
copy_generator,stacked_rnn}.py):

- ``model_task: lm`` builds no encoder at all (a ``LanguageModel`` of the decoder only);
  ``seq2seq`` (default) builds both.
- ``encoder_type: rnn|brnn`` (default rnn) -> ``RNNEncoder``: one torch ``nn.LSTM``/``nn.GRU``
  (``rnn_type`` LSTM|GRU, default LSTM; SRU is a custom cell -> unknown) of ``enc_layers``
  layers over the source embeddings, ``dropout`` passed to torch. ``brnn`` is bidirectional and
  splits the hidden size in half per direction. ``bridge`` adds one ``Linear(h*layers, h*layers)``
  per state (h per direction; 2 states for LSTM, 1 otherwise).
- ``decoder_type: rnn`` (default) with ``input_feed: 1`` (default) -> ``InputFeedRNNDecoder``:
  ``StackedLSTM``/``StackedGRU``, LSTMCells/GRUCells whose first reads embedding + hidden, with
  its own ``nn.Dropout`` between cells (so torch never sees ``dropout``); with ``input_feed: 0``
  a plain ``nn.LSTM``/``nn.GRU`` over the embeddings that gets ``dropout``.
- Decoder parts sized by the hidden size h alone, all counted: the ``GlobalAttention``
  (``global_attention`` dot|general|mlp, default general; none builds none; ``coverage_attn``
  adds ``linear_cover``), a separate copy attention for ``copy_attn`` without
  ``reuse_copy_attn`` (``copy_attn_type``, default the global one), the ``context_gate``
  (three Linears over the RNN input, h and h) and, with ``copy_attn``, the copy generator's
  ``linear_copy`` ``Linear(h, 1)``.
- OpenNMT-kpg (``model_type: keyphrase`` or its own ``target_encoder_type``): the RNN decoder
  always has one layer, always holds ``nn.Bilinear(h, h, 1)`` (kpg onmt/decoders/decoder.py
  ``RNNDecoderBase.__init__``), and ``target_encoder_type: rnn`` adds a one-layer GRU(embedding, h)
  whose output widens the decoder input by h.
- Sizes: v3 ``hidden_size`` overrides ``enc_hid_size``/``dec_hid_size``; v1/v2 ``rnn_size``
  overrides ``enc_rnn_size``/``dec_rnn_size`` (default 500 in every version); ``layers``
  overrides ``enc_layers``/``dec_layers`` (default 2); ``word_vec_size`` overrides
  ``src_word_vec_size``/``tgt_word_vec_size`` (default 500). A value <= 0 means "not set".
- Not counted, listed as omissions: the embeddings and the generator (their sizes are the
  vocabulary built from the data; ``*_vocab_size`` is only a cap), and the transformer / cnn /
  mean / ggnn encoders and transformer / cnn decoders. A model with no RNN carries one omission.

Every default that changes a reported count is an RNN104 note with the key that states it.
"""

from __future__ import annotations

from typing import Any, cast

from rnnlint import codes
from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import YES_ELSE_FALSE, SectionReader, as_bool, as_int, as_number
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
from rnnlint.parse.document import Document
from rnnlint.parse.source import Problem

NAME = "opennmt-py"

# Keys only OpenNMT-py's onmt_train / onmt_build_vocab use at the top level.
_STRONG_KEYS = frozenset(
    {
        "save_model",
        "save_data",
        "src_vocab",
        "tgt_vocab",
        "src_vocab_size",
        "tgt_vocab_size",
        "encoder_type",
        "decoder_type",
        "rnn_size",
        "enc_rnn_size",
        "dec_rnn_size",
        "enc_hid_size",
        "dec_hid_size",
        "word_vec_size",
        "src_word_vec_size",
        "tgt_word_vec_size",
        "input_feed",
        "global_attention",
        "copy_attn",
        "train_from",
    }
)
RNN_ENCODERS = {"rnn", "brnn"}
# onmt/encoders/__init__.py str2enc and onmt/decoders/__init__.py str2dec, without the recurrent ones.
OTHER_ENCODERS = {"transformer", "cnn", "mean", "ggnn"}
OTHER_DECODERS = {"transformer", "transformer_lm", "cnn"}
ATTENTION_TYPES = ("dot", "general", "mlp")
CONTEXT_GATES = ("source", "target", "both")
# Options only OpenNMT-kpg's onmt/opts.py defines.
_KPG_KEYS = frozenset({"target_encoder_type", "detach_target_encoder", "orth_reg", "sem_cov"})
DEFAULT_SIZE = 500
DEFAULT_LAYERS = 2
_DISPLAY = {"lstm": "LSTM", "gru": "GRU"}


def _first_or_default(opts: Any, keys: tuple[str, ...], default: int, defaults: list[str]) -> Any:
    """The first of ``keys`` the file sets, else ``default``, noted under the most specific key."""
    value, _ = opts.first(*keys)
    if value is None:
        defaults.append(f"{keys[-1]} {default}")
        return default
    return value


def _is_corpus_data(value: Any) -> bool:
    """The v2/v3 ``data:`` section: corpora with ``path_src``."""
    return isinstance(value, dict) and any(isinstance(c, dict) and "path_src" in c for c in value.values())


def detect(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    model = data.get("model")
    if isinstance(model, dict) and ("encoder" in model or "layers" in model):
        return False  # JoeyNMT / native layouts
    if _is_corpus_data(data.get("data")):
        return True
    return sum(1 for key in data if key in _STRONG_KEYS) >= 2


# --------------------------------------------------------------------------- option reading


class _Options(SectionReader):
    """Reads onmt options the way configargparse hands YAML values to argparse."""

    def __init__(self, doc: Document) -> None:
        self.data: dict[str, Any] = doc.data
        # An absent key is placed at the top of the document.
        super().__init__(doc, (), self.data)

    def integer(self, key: str) -> int | None:
        """A positive int option (quoted digits too); None when absent or <= 0 (OpenNMT's "unset")."""
        return as_int(self.data.get(key), strings=True, minimum=1)

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        return as_bool(value, default, strings=YES_ELSE_FALSE, others="truthy")

    def text(self, key: str, default: str) -> str:
        value = self.data.get(key)
        return str(value) if value is not None else default

    def first(self, *keys: str) -> tuple[int | None, str | None]:
        """The first set (positive) integer among ``keys``, with its key."""
        for key in keys:
            value = self.integer(key)
            if value is not None:
                return value, key
        return None, None


def _sized(opts: _Options, side: str, version_hint: str, defaults: list[str]) -> tuple[int, str]:
    """Hidden size of one side: (size, the key it came from or 'default')."""
    value, key = opts.first("hidden_size", f"{side}_hid_size", "rnn_size", f"{side}_rnn_size")
    if value is not None and key is not None:
        return value, key
    defaults.append(f"{side}_hid_size {DEFAULT_SIZE}" if version_hint == "v3" else f"rnn_size {DEFAULT_SIZE}")
    return DEFAULT_SIZE, "default"


def _version(opts: _Options) -> str:
    if any(opts.has(k) for k in ("rnn_size", "enc_rnn_size", "dec_rnn_size")):
        return "v2"
    return "v3"


def _rnn_kind(opts: _Options, defaults: list[str]) -> tuple[RecurrentKind | None, str]:
    if not opts.has("rnn_type"):
        defaults.append("rnn_type LSTM")
        return "lstm", "LSTM"
    name = opts.text("rnn_type", "LSTM").strip()
    kind = name.lower()
    if kind in ("lstm", "gru"):
        return cast(RecurrentKind, kind), name
    return None, name


def _defaults_note(component: str, defaults: list[str], span: Span, version: str) -> Assumption:
    which = "v3" if version == "v3" else "v1/v2"
    listed = ", ".join(defaults)
    return Assumption(
        f"{component}: OpenNMT-py ({which}) defaults assumed: {listed} (no command-line overrides); "
        "state these keys in the file to make the count explicit",
        span,
    )


# --------------------------------------------------------------------------- adapt


class _Build:
    """What the model builder makes of the options: counted layers, notes and omissions."""

    def __init__(self, opts: _Options, version: str) -> None:
        self.opts = opts
        self.version = version
        self.kpg = opts.text("model_type", "text").strip().lower() == "keyphrase" or any(
            opts.has(key) for key in _KPG_KEYS
        )
        self.layers: list[LayerSpec] = []
        self.assumptions: list[Assumption] = []
        self.omitted: list[Omission] = []
        # Non-recurrent encoders / decoders, by name, with where they are declared.
        self.other: list[tuple[str, Span]] = []


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    if not isinstance(doc.data, dict):  # only reachable with --dialect forced
        return Adapted(
            None, [Problem(codes.RNN002, "not an OpenNMT-py config: the top level is not a mapping", Span(1, 1))]
        )
    opts = _Options(doc)
    build = _Build(opts, _version(opts))
    # model_builder.build_task_specific_model: the LM task builds the decoder only.
    language_model = opts.text("model_task", "seq2seq").strip().lower() == "lm"
    if not language_model:
        _encoder(build)
    _decoder(build)
    if not build.layers:
        # No RNN: one omission naming the model, and no notes (their defaults change no reported count).
        parts = [name for name, _ in build.other] or ["the model"]
        span = build.other[0][1] if build.other else doc.locator.value(())
        build.omitted = [
            Omission(
                f"{' and '.join(parts)}, the embeddings and the generator are not counted: "
                "rnnlint counts recurrent models only",
                span,
            )
        ]
        build.assumptions = []
    else:
        for name, span in build.other:
            build.omitted.append(Omission(f"{name} is not counted: rnnlint counts recurrent layers only", span))
        _vocabulary_parts(build, language_model)
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=tuple(build.layers),
            span=doc.locator.value(()),
            assumptions=tuple(build.assumptions),
            omitted=tuple(build.omitted),
        )
    )


def _encoder(build: _Build) -> None:
    opts = build.opts
    encoder_type = opts.text("encoder_type", "rnn").strip().lower()
    enc_defaults: list[str] = [] if opts.has("encoder_type") else ["encoder_type rnn"]
    model_type = opts.text("model_type", "text").strip().lower()
    enc_span = opts.span("encoder_type", "rnn_type", "hidden_size", "rnn_size", "enc_hid_size", "enc_rnn_size")
    if encoder_type in OTHER_ENCODERS and model_type in ("text", "keyphrase"):
        build.other.append((f"the {encoder_type} encoder", enc_span))
        return
    module: Module
    if model_type not in ("text", "keyphrase"):
        module = Unknown(f"{model_type} encoder", f"OpenNMT-py model_type {model_type!r} builds its own encoder")
        build.layers.append(LayerSpec("encoder", model_type, enc_span, module))
        return
    if encoder_type not in RNN_ENCODERS:
        module = Unknown(encoder_type, f"OpenNMT-py has no encoder_type {encoder_type!r} (str2enc)")
        build.layers.append(LayerSpec("encoder", encoder_type, enc_span, module))
        return
    kind, rnn_name = _rnn_kind(opts, enc_defaults)
    hidden, _ = _sized(opts, "enc", build.version, enc_defaults)
    num_layers = _first_or_default(opts, ("layers", "enc_layers"), DEFAULT_LAYERS, enc_defaults)
    emb = _first_or_default(opts, ("word_vec_size", "src_word_vec_size"), DEFAULT_SIZE, enc_defaults)
    bidirectional = encoder_type == "brnn"
    if kind is None:
        module = Unknown(rnn_name, _custom_cell(rnn_name))
    elif bidirectional and hidden % 2:
        module = Unknown(rnn_name, f"brnn needs an even hidden size, got {hidden} (OpenNMT-py asserts)")
    else:
        module = Recurrent(
            kind=kind,
            hidden_size=hidden // 2 if bidirectional else hidden,
            input_size=emb,
            num_layers=num_layers,
            bidirectional=bidirectional,
        )
    # RNNEncoder hands `dropout` to the torch RNN itself (rnn_factory).
    build.layers.append(LayerSpec("encoder", _type_name(module, encoder_type), enc_span, module, _dropout(opts)))
    if enc_defaults:
        build.assumptions.append(_defaults_note("encoder", enc_defaults, enc_span, build.version))
    if isinstance(module, Recurrent) and opts.flag("bridge", False):
        width = module.hidden_size * num_layers
        states = 2 if module.kind == "lstm" else 1
        for index in range(states):
            build.layers.append(
                LayerSpec(f"encoder.bridge[{index}]", "linear", opts.span("bridge"), Linear(width, width))
            )


def _decoder(build: _Build) -> None:
    opts = build.opts
    decoder_type = opts.text("decoder_type", "rnn").strip().lower()
    dec_span = opts.span("decoder_type", "input_feed", "rnn_type", "hidden_size", "rnn_size", "dec_hid_size")
    if decoder_type in OTHER_DECODERS:
        build.other.append((f"the {decoder_type} decoder", dec_span))
        return
    if decoder_type != "rnn":
        unknown = Unknown(decoder_type, f"OpenNMT-py has no decoder_type {decoder_type!r} (str2dec)")
        build.layers.append(LayerSpec("decoder", decoder_type, dec_span, unknown))
        return
    dec_defaults: list[str] = [] if opts.has("decoder_type") else ["decoder_type rnn"]
    kind, rnn_name = _rnn_kind(opts, dec_defaults)
    hidden, _ = _sized(opts, "dec", build.version, dec_defaults)
    num_layers = _first_or_default(opts, ("layers", "dec_layers"), DEFAULT_LAYERS, dec_defaults)
    emb = _first_or_default(opts, ("word_vec_size", "tgt_word_vec_size"), DEFAULT_SIZE, dec_defaults)
    if not opts.has("input_feed"):
        dec_defaults.append("input_feed 1")
    input_feed = opts.flag("input_feed", True)
    rnn_input = emb + hidden if input_feed else emb
    target_encoder = opts.text("target_encoder_type", "none").strip().lower() if build.kpg else "none"
    if target_encoder not in ("none", "null"):
        rnn_input += hidden  # kpg: the target encoding is fed to the decoder RNN too
    if build.kpg:
        num_layers = 1  # kpg's RNNDecoderBase builds its RNN with num_layers=1 whatever dec_layers says
    module: Module
    if kind is None:
        reason = _custom_cell(rnn_name)
        if input_feed:
            reason += " (and OpenNMT-py's input-feed decoder rejects it)"
        module, type_name = Unknown(rnn_name, reason), rnn_name.lower()
    elif target_encoder not in ("none", "null", "rnn"):
        reason = f"OpenNMT-kpg's RNN decoder raises NotImplementedError for target_encoder_type {target_encoder!r}"
        module, type_name = Unknown(f"target_encoder_type {target_encoder}", reason), kind
    else:
        module = Recurrent(kind=kind, hidden_size=hidden, input_size=rnn_input, num_layers=num_layers)
        type_name = f"{kind} (input-feed {kind.upper()}Cell stack)" if input_feed else kind
    if build.kpg:
        type_name += ", OpenNMT-kpg"
    # StackedLSTM/StackedGRU apply their own nn.Dropout between cells: torch's dropout is not involved.
    build.layers.append(LayerSpec("decoder", type_name, dec_span, module, {} if input_feed else _dropout(opts)))
    if target_encoder == "rnn":
        # kpg builds it with self._build_rnn("GRU", num_layers=1): a StackedGRU of one GRUCell in the
        # input-feed decoder (same count, no torch dropout), an nn.GRU otherwise.
        target = Recurrent(kind="gru", hidden_size=hidden, input_size=emb)
        span = opts.span("target_encoder_type")
        target_type = "gru (StackedGRU, one GRUCell)" if input_feed else "gru"
        target_options = {} if input_feed else _dropout(opts)
        build.layers.append(LayerSpec("decoder.target_encoder", target_type, span, target, target_options))
    _attention(build, hidden, rnn_input, dec_defaults)
    if build.kpg:
        # nn.Bilinear(h, h, 1): a 1 x h x h weight and one bias
        bilinear = Fixed(hidden * hidden + 1, f"nn.Bilinear({hidden}, {hidden}, 1): {hidden}x{hidden} + 1")
        build.layers.append(LayerSpec("decoder.bilinear_layer", "bilinear", dec_span, bilinear))
    if dec_defaults:
        build.assumptions.append(_defaults_note("decoder", dec_defaults, dec_span, build.version))


def _global_attention(dim: int, attn_type: str, coverage: bool) -> Composite:
    """onmt/modules/global_attention.py GlobalAttention.__init__."""
    parts: list[Module] = []
    if attn_type == "general":
        parts.append(Linear(dim, dim, bias=False))  # linear_in
    elif attn_type == "mlp":
        parts += [Linear(dim, dim, bias=False), Linear(dim, dim), Linear(dim, 1, bias=False)]  # context, query, v
    parts.append(Linear(dim * 2, dim, bias=attn_type == "mlp"))  # linear_out
    if coverage:
        parts.append(Linear(1, dim, bias=False))  # linear_cover
    return Composite(tuple(parts), dim)


def _attention(build: _Build, hidden: int, rnn_input: int, dec_defaults: list[str]) -> None:
    """The decoder's attention, copy attention, context gate and copy switch (RNNDecoderBase.__init__)."""
    opts = build.opts
    if not opts.has("global_attention"):
        dec_defaults.append("global_attention general")
    attn_type = opts.text("global_attention", "general").strip().lower()
    coverage = opts.flag("coverage_attn", False)
    span = opts.span("global_attention")
    if attn_type == "none":
        if coverage:
            reason = "coverage_attn with global_attention none: OpenNMT-py raises ValueError"
            build.layers.append(LayerSpec("decoder.attn", "none", span, Unknown("coverage attention", reason)))
    elif attn_type in ATTENTION_TYPES:
        build.layers.append(LayerSpec("decoder.attn", attn_type, span, _global_attention(hidden, attn_type, coverage)))
    else:
        reason = f"global_attention {attn_type!r} is not one of dot, general, mlp, none"
        build.layers.append(LayerSpec("decoder.attn", attn_type, span, Unknown(attn_type, reason)))
    copy_attn = opts.flag("copy_attn", False)
    if copy_attn and not opts.flag("reuse_copy_attn", False):
        copy_type = opts.text("copy_attn_type", attn_type).strip().lower()
        copy_span = opts.span("copy_attn_type", "copy_attn")
        if copy_type in ATTENTION_TYPES:
            copy_module: Module = _global_attention(hidden, copy_type, False)
        else:
            copy_module = Unknown(copy_type, f"copy_attn_type {copy_type!r}: OpenNMT-py refuses it for copy_attn")
        build.layers.append(LayerSpec("decoder.copy_attn", copy_type, copy_span, copy_module))
    if opts.has("context_gate"):
        gate = opts.text("context_gate", "").strip().lower()
        gate_span = opts.span("context_gate")
        if gate in CONTEXT_GATES:
            # onmt/modules/gate.py ContextGate(embeddings_size=rnn input, decoder_size=h, attention_size=h, h)
            parts = (Linear(rnn_input + 2 * hidden, hidden), Linear(hidden, hidden), Linear(rnn_input + hidden, hidden))
            build.layers.append(LayerSpec("decoder.context_gate", gate, gate_span, Composite(parts, hidden)))
        else:
            reason = f"context_gate {gate!r} is not one of source, target, both"
            build.layers.append(LayerSpec("decoder.context_gate", gate, gate_span, Unknown(gate, reason)))
    if copy_attn:
        # onmt/modules/copy_generator.py CopyGenerator: linear (vocabulary-sized) + linear_copy Linear(h, 1).
        build.layers.append(LayerSpec("generator.linear_copy", "linear", opts.span("copy_attn"), Linear(hidden, 1)))


def _vocabulary_parts(build: _Build, language_model: bool) -> None:
    """Embeddings and generator: their rows are the vocabulary OpenNMT-py builds from the data."""
    opts = build.opts
    shared = language_model or opts.flag("share_embeddings", False)
    which = "the shared source/target embeddings" if shared else "the source and target embeddings"
    caps = [key for key in ("src_vocab_size", "tgt_vocab_size") if opts.has(key)]
    why = (
        f"{' and '.join(caps)} only cap the vocabulary built from the data, which gains special tokens "
        "and vocab_size_multiple padding"
        if caps
        else "their rows are the vocabulary built from the data"
    )
    build.omitted.append(Omission(f"{which} are not counted: {why}", opts.span(*caps, "src_vocab", "share_vocab")))
    decoder = next((layer for layer in build.layers if layer.name == "decoder"), None)
    if decoder is not None:
        hidden = decoder.module.hidden_size if isinstance(decoder.module, Recurrent) else "hidden"
        owner = "the copy generator's" if opts.flag("copy_attn", False) else "the generator"
        build.omitted.append(
            Omission(
                f"{owner} Linear({hidden}, target vocabulary) is not counted: its size is the vocabulary",
                opts.span("copy_attn", "share_decoder_embeddings"),
            )
        )


def _custom_cell(rnn_name: str) -> str:
    if rnn_name.upper() == "SRU":
        return f"rnn_type {rnn_name} is a custom cell rnnlint cannot count"
    return f"rnn_type {rnn_name!r} is not one of LSTM, GRU, SRU (onmt_train rejects it)"


def _type_name(module: Module, encoder_type: str) -> str:
    if isinstance(module, Recurrent):
        return f"{module.kind} ({encoder_type})"
    return encoder_type


def _dropout(opts: _Options) -> dict[str, Any]:
    value = opts.raw("dropout")
    if isinstance(value, list) and value:
        value = value[0]
    rate = as_number(value)
    return {"dropout": rate} if rate is not None else {}
