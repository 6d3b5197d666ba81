"""OpenNMT-py training configs (``opennmt-py``): flat YAML of the ``onmt_train`` options.

What OpenNMT-py builds (onmt/opts.py, onmt/encoders/rnn_encoder.py, onmt/decoders/decoder.py):

- ``encoder_type: rnn|brnn`` (default rnn) -> ``RNNEncoder``: one torch ``nn.LSTM``/``nn.GRU``
  (``rnn_type`` LSTM|GRU, default LSTM; SRU is a custom cell -> unknown) of ``enc_layers``
  layers over the source embeddings. ``brnn`` is bidirectional and splits the hidden size
  in half per direction. ``bridge`` adds one ``Linear(h*layers, h*layers)`` per state
  (h per direction; 2 states for LSTM, 1 otherwise).
- ``decoder_type: rnn`` (default) with ``input_feed: 1`` (default) -> ``InputFeedRNNDecoder``:
  a stack of ``LSTMCell``/``GRUCell`` whose first layer reads embedding + hidden; with
  ``input_feed: 0`` a plain ``nn.LSTM``/``nn.GRU`` over the embeddings (same count formula).
- Sizes: v3 ``hidden_size`` overrides ``enc_hid_size``/``dec_hid_size``; v1/v2 ``rnn_size``
  overrides ``enc_rnn_size``/``dec_rnn_size`` (default 500 in every version); ``layers``
  overrides ``enc_layers``/``dec_layers`` (default 2); ``word_vec_size`` overrides
  ``src_word_vec_size``/``tgt_word_vec_size`` (default 500). A value <= 0 means "not set".
- Embeddings only when ``src_vocab_size``/``tgt_vocab_size`` are in the file (one table
  with ``share_embeddings``); the sizes are caps, so the rows are an assumption.
- transformer / cnn / mean / ggnn encoders and transformer / cnn decoders are not
  recurrent: they get no entry and nothing is flagged. Attention, copy, coverage, context
  gate and generator layers are not counted.

Every default that changes a count is reported (RNN104) with the key that states it.
"""

from __future__ import annotations

from typing import Any, cast

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.loader import Document, Problem
from rnnlint.model import (
    Assumption,
    Embedding,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)

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


class _Options:
    """Reads onmt options the way configargparse hands YAML values to argparse."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def integer(self, key: str) -> int | None:
        """A positive int option (quoted digits too); None when absent or <= 0 (OpenNMT's "unset")."""
        value = self.data.get(key)
        if isinstance(value, bool):
            return None
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, int) and value > 0:
            return value
        return None

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def text(self, key: str, default: str) -> str:
        value = self.data.get(key)
        return str(value) if value is not None else default

    def span(self, *keys: str) -> Span:
        """Position of the first key present, else the top of the document."""
        for key in keys:
            if key in self.data:
                return self.doc.locator.key((key,))
        return self.doc.locator.value(())

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


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    if not isinstance(doc.data, dict):  # only reachable with --dialect forced
        return Adapted(
            None, [Problem("RNN002", "not an OpenNMT-py config: the top level is not a mapping", Span(1, 1))]
        )
    opts = _Options(doc)
    version = _version(opts)
    layers: list[LayerSpec] = []
    assumptions: list[Assumption] = []

    # ---- encoder
    encoder_type = opts.text("encoder_type", "rnn").strip().lower()
    enc_defaults: list[str] = [] if opts.has("encoder_type") else ["encoder_type rnn"]
    model_type = opts.text("model_type", "text").strip().lower()
    enc_span = opts.span("encoder_type", "rnn_type", "hidden_size", "rnn_size", "enc_hid_size", "enc_rnn_size")
    if encoder_type in RNN_ENCODERS:
        kind, rnn_name = _rnn_kind(opts, enc_defaults)
        hidden, _ = _sized(opts, "enc", version, enc_defaults)
        num_layers = _first_or_default(opts, ("layers", "enc_layers"), DEFAULT_LAYERS, enc_defaults)
        emb = _first_or_default(opts, ("word_vec_size", "src_word_vec_size"), DEFAULT_SIZE, enc_defaults)
        bidirectional = encoder_type == "brnn"
        module: Module
        if model_type not in ("text", "keyphrase"):
            module = Unknown(f"{model_type} encoder", f"OpenNMT-py model_type {model_type!r} builds its own encoder")
        elif kind is None:
            module = Unknown(rnn_name, f"rnn_type {rnn_name} is a custom cell rnnlint cannot count")
        elif bidirectional and hidden % 2:
            module = Unknown(rnn_name, f"brnn needs an even hidden size, got {hidden} (OpenNMT-py asserts)")
        else:
            per_direction = hidden // 2 if bidirectional else hidden
            module = Recurrent(
                kind=kind,
                hidden_size=per_direction,
                input_size=emb,
                num_layers=num_layers,
                bidirectional=bidirectional,
            )
        layers.append(LayerSpec("encoder", _type_name(module, encoder_type), enc_span, module, _dropout(opts)))
        if enc_defaults:
            assumptions.append(_defaults_note("encoder", enc_defaults, enc_span, version))
        if isinstance(module, Recurrent) and opts.flag("bridge", False):
            width = module.hidden_size * num_layers
            states = 2 if module.kind == "lstm" else 1
            for index in range(states):
                layers.append(
                    LayerSpec(f"encoder.bridge[{index}]", "linear", opts.span("bridge"), Linear(width, width))
                )

    # ---- decoder
    decoder_type = opts.text("decoder_type", "rnn").strip().lower()
    dec_defaults: list[str] = [] if opts.has("decoder_type") else ["decoder_type rnn"]
    if decoder_type == "rnn":
        dec_span = opts.span("decoder_type", "input_feed", "rnn_type", "hidden_size", "rnn_size", "dec_hid_size")
        kind, rnn_name = _rnn_kind(opts, dec_defaults)
        hidden, _ = _sized(opts, "dec", version, dec_defaults)
        num_layers = _first_or_default(opts, ("layers", "dec_layers"), DEFAULT_LAYERS, dec_defaults)
        emb = _first_or_default(opts, ("word_vec_size", "tgt_word_vec_size"), DEFAULT_SIZE, dec_defaults)
        if not opts.has("input_feed"):
            dec_defaults.append("input_feed 1")
        input_feed = opts.flag("input_feed", True)
        if kind is None:
            reason = f"rnn_type {rnn_name} is a custom cell rnnlint cannot count"
            if input_feed:
                reason += " (and OpenNMT-py's input-feed decoder rejects it)"
            dec_module: Module = Unknown(rnn_name, reason)
            type_name = rnn_name.lower()
        else:
            dec_module = Recurrent(
                kind=kind,
                hidden_size=hidden,
                input_size=emb + hidden if input_feed else emb,
                num_layers=num_layers,
            )
            type_name = f"{kind} (input-feed {kind.upper()}Cell stack)" if input_feed else kind
        layers.append(LayerSpec("decoder", type_name, dec_span, dec_module, _dropout(opts)))
        if dec_defaults:
            assumptions.append(_defaults_note("decoder", dec_defaults, dec_span, version))

    # ---- embeddings (only when the vocabulary sizes are stated)
    if any(layer.name in ("encoder", "decoder") for layer in layers):
        _embeddings(opts, layers, assumptions)

    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=tuple(layers),
            span=doc.locator.value(()),
            assumptions=tuple(assumptions),
        )
    )


def _type_name(module: Module, encoder_type: str) -> str:
    if isinstance(module, Recurrent):
        return f"{module.kind} ({encoder_type})"
    return encoder_type


def _dropout(opts: _Options) -> dict[str, Any]:
    value = opts.raw("dropout")
    if isinstance(value, list) and value:
        value = value[0]
    return {"dropout": value} if isinstance(value, (int, float)) and not isinstance(value, bool) else {}


def _embeddings(opts: _Options, layers: list[LayerSpec], assumptions: list[Assumption]) -> None:
    shared = opts.flag("share_embeddings", False)
    sides = [("src", "src_vocab_size", "src_word_vec_size")]
    if not shared:
        sides.append(("tgt", "tgt_vocab_size", "tgt_word_vec_size"))
    for side, size_key, dim_key in sides:
        rows = opts.integer(size_key)
        if rows is None:
            continue
        dim, _ = opts.first("word_vec_size", dim_key)
        dim = dim or DEFAULT_SIZE
        name = "embeddings (shared src/tgt)" if shared else f"{side}_embeddings"
        span = opts.span(size_key)
        layers.append(LayerSpec(name, "embedding", span, Embedding(rows, dim)))
        assumptions.append(
            Assumption(
                f"{name}: {rows:,} rows assumed from {size_key}, which is a cap: the vocabulary built from the "
                "data can be smaller, and OpenNMT-py adds special tokens and pads to vocab_size_multiple",
                span,
            )
        )
