"""JoeyNMT configs (``joeynmt``): ``model.encoder`` / ``model.decoder`` (joeynmt/model.py build_model).

- A side whose ``type`` is not ``transformer`` (default ``recurrent``) is a torch ``nn.GRU`` or
  ``nn.LSTM``: ``rnn_type`` (code default **gru**, although the sample configs' comments say
  lstm), ``hidden_size`` (per direction), ``num_layers`` (default 1); the encoder is
  ``bidirectional`` by default; its input is ``embeddings.embedding_dim`` (default 64).
- The decoder RNN reads embedding + hidden when ``input_feeding`` (default true).
- Decoder extras that do not need the vocabulary: the attention (``bahdanau`` default: key,
  query and energy projections; ``luong``: a key projection), ``att_vector_layer``
  ``Linear(hidden + encoder output, hidden)`` and, for ``init_hidden: bridge`` (default), a
  ``Linear(encoder output, hidden)``. Embedding tables and the output layer depend on the
  vocabulary built from the data and are not counted.
- Transformer sides: no entry, nothing flagged. Defaults that change a count are RNN104 notes.
"""

from __future__ import annotations

from typing import Any, cast

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.loader import DocPath, Document, Problem
from rnnlint.model import (
    Assumption,
    Composite,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)

NAME = "joeynmt"
DEFAULT_EMBEDDING_DIM = 64  # joeynmt.embeddings.Embeddings(embedding_dim=64)
_SIDE_KEYS = {"rnn_type", "embeddings", "hidden_size", "num_layers", "bidirectional", "input_feeding", "init_hidden"}


def detect(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    model = data.get("model")
    if not isinstance(model, dict):
        return False
    encoder, decoder = model.get("encoder"), model.get("decoder")
    if not isinstance(encoder, dict) or not isinstance(decoder, dict):
        return False
    if "_target_" in encoder or "_target_" in decoder:
        return False  # Hydra / NeMo
    side_type = encoder.get("type", "recurrent")
    return side_type in ("recurrent", "transformer") and "embeddings" in encoder and bool(_SIDE_KEYS & set(encoder))


class _Side:
    """One of model.encoder / model.decoder, with where its keys are."""

    def __init__(self, doc: Document, name: str) -> None:
        self.doc = doc
        self.name = name
        self.path: DocPath = ("model", name)
        section = doc.data["model"].get(name)
        self.data: dict[str, Any] = section if isinstance(section, dict) else {}
        self.defaults: list[str] = []

    def get(self, key: str, default: Any, note: str | None = None) -> Any:
        if key in self.data and self.data[key] is not None:
            return self.data[key]
        self.defaults.append(note or f"{key} {default}")
        return default

    def integer(self, key: str, default: int) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{self.name}.{key} is {value!r}, not a positive integer")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def span(self, key: str | None = None) -> Span:
        if key is not None and key in self.data:
            return self.doc.locator.key((*self.path, key))
        return self.doc.locator.value(self.path)

    def embedding_dim(self) -> int:
        embeddings = self.data.get("embeddings")
        if not isinstance(embeddings, dict):
            raise ValueError(f"{self.name}.embeddings is missing (JoeyNMT requires it)")
        value = embeddings.get("embedding_dim")
        if value is None:
            self.defaults.append(f"embeddings.embedding_dim {DEFAULT_EMBEDDING_DIM}")
            return DEFAULT_EMBEDDING_DIM
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{self.name}.embeddings.embedding_dim is {value!r}, not a positive integer")
        return value

    def kind(self) -> RecurrentKind:
        rnn_type = self.get(
            "rnn_type", "gru", "rnn_type gru (JoeyNMT's code default; its sample configs' comments say lstm)"
        )
        # JoeyNMT builds nn.GRU for "gru" and nn.LSTM for anything else.
        return "gru" if str(rnn_type).lower() == "gru" else "lstm"

    def is_recurrent(self) -> bool:
        return bool(self.data.get("type", "recurrent") != "transformer")

    def note_type(self) -> None:
        if "type" not in self.data:
            self.defaults.append("type recurrent")

    def assumption(self) -> Assumption | None:
        if not self.defaults:
            return None
        return Assumption(
            f"{self.name}: JoeyNMT defaults assumed: {', '.join(self.defaults)}; "
            f"state these keys under model.{self.name} to make the count explicit",
            self.span(),
        )


def _dropout(side: _Side) -> dict[str, Any]:
    value = side.data.get("dropout")
    return {"dropout": value} if isinstance(value, (int, float)) and not isinstance(value, bool) else {}


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("model"), dict):  # only with --dialect forced
        span = doc.locator.value(("model",)) if isinstance(doc.data, dict) else Span(1, 1)
        return Adapted(None, [Problem("RNN002", "not a JoeyNMT config: there is no `model` mapping", span)])
    layers: list[LayerSpec] = []
    assumptions: list[Assumption] = []
    encoder = _Side(doc, "encoder")
    decoder = _Side(doc, "decoder")
    encoder_output: int | None = None

    if encoder.is_recurrent():
        encoder.note_type()
        module: Module
        try:
            kind = encoder.kind()
            hidden = encoder.integer("hidden_size", 1)
            bidirectional = encoder.flag("bidirectional", True)
            module = Recurrent(
                kind=kind,
                hidden_size=hidden,
                input_size=encoder.embedding_dim(),
                num_layers=encoder.integer("num_layers", 1),
                bidirectional=bidirectional,
            )
            encoder_output = hidden * (2 if bidirectional else 1)
            type_name: str = kind
        except ValueError as exc:
            module, type_name = Unknown("recurrent encoder", str(exc)), "recurrent"
        layers.append(LayerSpec("encoder", type_name, encoder.span(), module, _dropout(encoder)))
    else:
        # A transformer encoder's output size is its hidden_size.
        stated = encoder.data.get("hidden_size")
        encoder_output = stated if isinstance(stated, int) and not isinstance(stated, bool) else None

    if decoder.is_recurrent():
        decoder.note_type()
        try:
            kind = decoder.kind()
            hidden = decoder.integer("hidden_size", 1)
            emb = decoder.embedding_dim()
            input_feeding = decoder.flag("input_feeding", True)
            dec_module: Module = Recurrent(
                kind=kind,
                hidden_size=hidden,
                input_size=emb + hidden if input_feeding else emb,
                num_layers=decoder.integer("num_layers", 1),
            )
            layers.append(LayerSpec("decoder", kind, decoder.span(), dec_module, _dropout(decoder)))
            layers.extend(_decoder_extras(decoder, hidden, encoder_output))
        except ValueError as exc:
            layers.append(LayerSpec("decoder", "recurrent", decoder.span(), Unknown("recurrent decoder", str(exc))))

    for side in (encoder, decoder):
        note = side.assumption()
        if note is not None:
            assumptions.append(note)
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=tuple(layers),
            span=doc.locator.key(("model",)),
            assumptions=tuple(assumptions),
        )
    )


def _decoder_extras(decoder: _Side, hidden: int, encoder_output: int | None) -> list[LayerSpec]:
    """Attention, attention-vector layer and bridge: sized by the hidden sizes only."""
    extras: list[LayerSpec] = []
    attention = str(decoder.get("attention", "bahdanau"))
    parts: tuple[Module, ...]
    if attention == "bahdanau":
        # key: Linear(encoder output, hidden), query: Linear(hidden, hidden), energy: Linear(hidden, 1); no biases
        parts = (
            Linear(encoder_output, hidden, bias=False),
            Linear(hidden, hidden, bias=False),
            Linear(hidden, 1, bias=False),
        )
        extras.append(LayerSpec("decoder.attention", "bahdanau", decoder.span("attention"), Composite(parts)))
    elif attention == "luong":
        parts = (Linear(encoder_output, hidden, bias=False),)
        extras.append(LayerSpec("decoder.attention", "luong", decoder.span("attention"), Composite(parts)))
    else:
        extras.append(
            LayerSpec(
                "decoder.attention",
                attention,
                decoder.span("attention"),
                Unknown(attention, "JoeyNMT knows only the bahdanau and luong attentions"),
            )
        )
    att_in = None if encoder_output is None else hidden + encoder_output
    extras.append(LayerSpec("decoder.att_vector_layer", "linear", decoder.span(), Linear(att_in, hidden)))
    if cast(str, decoder.get("init_hidden", "bridge")) == "bridge":
        extras.append(
            LayerSpec("decoder.bridge_layer", "linear", decoder.span("init_hidden"), Linear(encoder_output, hidden))
        )
    return extras
