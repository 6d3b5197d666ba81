"""JoeyNMT configs (``joeynmt``): ``model.encoder`` / ``model.decoder`` (joeynmt/model.py build_model).

- Encoder: ``type`` other than ``transformer`` (default ``recurrent`` in every version) is
  ``RecurrentEncoder``: ``nn.GRU`` when ``rnn_type`` is exactly ``gru`` (the code default), else
  ``nn.LSTM``; ``hidden_size`` per direction, ``num_layers`` (default 1), ``bidirectional``
  (default true), input ``embeddings.embedding_dim`` (default 64).
- Decoder: without ``type`` JoeyNMT 2.x builds a **transformer** decoder
  (``dec_cfg.get("type", "transformer")``) while 0.x/1.x built a **recurrent** one. The file
  decides: keys only ``RecurrentDecoder`` reads (``rnn_type``, ``input_feeding``, ``init_hidden``,
  ``attention``, ``hidden_dropout``) mean 0.x/1.x; otherwise 2.x. The version assumed is an RNN104
  note when something recurrent is counted.
- ``RecurrentDecoder``: the RNN reads embedding + hidden when ``input_feeding`` (default true);
  the attention (``bahdanau`` default: key, query, energy projections without bias; ``luong``: a
  key projection), ``att_vector_layer`` ``Linear(hidden + encoder output, hidden)`` and, for
  ``init_hidden: bridge`` (default), ``bridge_layer`` ``Linear(encoder output, hidden)`` -- all
  counted (joeynmt/decoders.py, joeynmt/attention.py).
- Both RNNs get ``dropout`` only when ``num_layers > 1`` (``dropout=dropout if num_layers > 1
  else 0.0`` in encoders.py / decoders.py), so a one-layer JoeyNMT RNN never has torch dropout.
- Omissions: the embeddings and the decoder's ``output_layer`` (vocabulary-sized) and transformer
  sides. A model with no RNN carries one omission and no notes.
"""

from __future__ import annotations

from typing import Any, cast

from rnnlint import codes
from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import PYTHON_TRUTH, SectionReader, as_bool, as_int, as_number
from rnnlint.model import (
    Assumption,
    Composite,
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

NAME = "joeynmt"
DEFAULT_EMBEDDING_DIM = 64  # joeynmt.embeddings.Embeddings(embedding_dim=64)
_SIDE_KEYS = {"rnn_type", "embeddings", "hidden_size", "num_layers", "bidirectional", "input_feeding", "init_hidden"}
# Keys only joeynmt.decoders.RecurrentDecoder / TransformerDecoder read (both take **kwargs and ignore the rest).
RECURRENT_DECODER_KEYS = ("rnn_type", "input_feeding", "init_hidden", "attention", "hidden_dropout")
TRANSFORMER_DECODER_KEYS = ("num_heads", "ff_size")


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


class _Side(SectionReader):
    """One of model.encoder / model.decoder, with where its keys are."""

    def __init__(self, doc: Document, name: str) -> None:
        section = doc.data["model"].get(name)
        self.data: dict[str, Any] = section if isinstance(section, dict) else {}
        super().__init__(doc, ("model", name), self.data, note=lambda key, default: f"{key} {default}")
        self.name = name

    def integer(self, key: str, default: int) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{self.name}.{key} is {value!r}, not a positive integer")
        return value

    def flag(self, key: str, default: bool) -> bool:
        # JoeyNMT passes the YAML value on as it is: RecurrentEncoder hands ``bidirectional`` to nn.GRU/LSTM and
        # computes ``2 * hidden_size if bidirectional``, RecurrentDecoder tests ``if self.input_feeding`` (joeynmt
        # encoders.py, decoders.py): Python's truth, so even the string "false" is true.
        return as_bool(self.get(key, default), default, strings=PYTHON_TRUTH, others="truthy")

    def embedding_dim(self) -> int:
        embeddings = self.data.get("embeddings")
        if not isinstance(embeddings, dict):
            raise ValueError(f"{self.name}.embeddings is missing (JoeyNMT requires it)")
        value = embeddings.get("embedding_dim")
        if value is None:
            self.defaulted.append(f"embeddings.embedding_dim {DEFAULT_EMBEDDING_DIM}")
            return DEFAULT_EMBEDDING_DIM
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{self.name}.embeddings.embedding_dim is {value!r}, not a positive integer")
        return value

    def kind(self) -> RecurrentKind:
        rnn_type = self.get(
            "rnn_type", "gru", note="rnn_type gru (JoeyNMT's code default; its sample configs' comments say lstm)"
        )
        # JoeyNMT builds nn.GRU for exactly "gru" and nn.LSTM for anything else (even "GRU").
        if rnn_type not in ("gru", "lstm"):
            self.defaulted.append(f"rnn_type {rnn_type!r} is not 'gru', so JoeyNMT builds nn.LSTM")
        return "gru" if rnn_type == "gru" else "lstm"

    def is_recurrent(self) -> bool:
        return bool(self.data.get("type", "recurrent") != "transformer")

    def note_type(self) -> None:
        if "type" not in self.data:
            self.defaulted.append("type recurrent")

    def assumption(self) -> Assumption | None:
        if not self.defaulted:
            return None
        return Assumption(
            f"{self.name}: JoeyNMT defaults assumed: {', '.join(self.defaulted)}; "
            f"state these keys under model.{self.name} to make the count explicit",
            self.span(),
        )


def _dropout(side: _Side, num_layers: int) -> dict[str, Any]:
    """JoeyNMT passes ``dropout`` to the torch RNN only when it has more than one layer."""
    value = as_number(side.data.get("dropout"))
    if num_layers < 2 or value is None:
        return {}
    return {"dropout": value}


def _decoder_is_recurrent(decoder: _Side) -> tuple[bool, str | None]:
    """Whether build_model makes a RecurrentDecoder, and the version note when ``type`` is absent."""
    if decoder.data.get("type") is not None:
        return decoder.data["type"] != "transformer", None
    keys = [key for key in RECURRENT_DECODER_KEYS if key in decoder.data]
    advice = "state `type: recurrent` or `type: transformer` under model.decoder to make it explicit"
    if keys and not any(key in decoder.data for key in TRANSFORMER_DECODER_KEYS):
        listed = ", ".join(keys)
        return True, (
            f"decoder: JoeyNMT 0.x/1.x assumed: model.decoder has no `type`, and {listed} "
            f"{'is' if len(keys) == 1 else 'are'} read only by the recurrent decoder those versions build by "
            f"default; JoeyNMT 2.x would build a transformer decoder and ignore {listed}; {advice}"
        )
    return False, (
        "decoder: JoeyNMT 2.x assumed: model.decoder has no `type` and no key only a recurrent decoder reads, "
        "so it is a transformer decoder (not counted); JoeyNMT 0.x/1.x would build a recurrent one; " + advice
    )


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("model"), dict):  # only with --dialect forced
        span = doc.locator.value(("model",)) if isinstance(doc.data, dict) else Span(1, 1)
        return Adapted(None, [Problem(codes.RNN002, "not a JoeyNMT config: there is no `model` mapping", span)])
    layers: list[LayerSpec] = []
    other: list[tuple[str, Span]] = []
    encoder = _Side(doc, "encoder")
    decoder = _Side(doc, "decoder")
    encoder_output: int | None = None

    if encoder.is_recurrent():
        encoder.note_type()
        module: Module
        rnn_options: dict[str, Any] = {}
        try:
            kind = encoder.kind()
            hidden = encoder.integer("hidden_size", 1)
            bidirectional = encoder.flag("bidirectional", True)
            num_layers = encoder.integer("num_layers", 1)
            module = Recurrent(
                kind=kind,
                hidden_size=hidden,
                input_size=encoder.embedding_dim(),
                num_layers=num_layers,
                bidirectional=bidirectional,
            )
            rnn_options = _dropout(encoder, num_layers)
            encoder_output = hidden * (2 if bidirectional else 1)
            type_name: str = kind
        except ValueError as exc:
            module, type_name = Unknown("recurrent encoder", str(exc)), "recurrent"
        layers.append(LayerSpec("encoder", type_name, encoder.span(), module, rnn_options))
    else:
        # A transformer encoder's output size is its hidden_size.
        stated = encoder.data.get("hidden_size")
        encoder_output = as_int(stated)
        other.append(("the transformer encoder", encoder.span()))

    decoder_recurrent, version_note = _decoder_is_recurrent(decoder)
    if decoder_recurrent:
        try:
            kind = decoder.kind()
            hidden = decoder.integer("hidden_size", 1)
            emb = decoder.embedding_dim()
            input_feeding = decoder.flag("input_feeding", True)
            num_layers = decoder.integer("num_layers", 1)
            dec_module: Module = Recurrent(
                kind=kind,
                hidden_size=hidden,
                input_size=emb + hidden if input_feeding else emb,
                num_layers=num_layers,
            )
            layers.append(LayerSpec("decoder", kind, decoder.span(), dec_module, _dropout(decoder, num_layers)))
            layers.extend(_decoder_extras(decoder, hidden, encoder_output))
        except ValueError as exc:
            layers.append(LayerSpec("decoder", "recurrent", decoder.span(), Unknown("recurrent decoder", str(exc))))
    else:
        other.append(("the transformer decoder", decoder.span()))

    if not layers:
        # No RNN: one omission naming the model, and no notes (no reported count depends on them).
        parts = " and ".join(name for name, _ in other)
        message = f"{parts}, the embeddings and the output layer are not counted: rnnlint counts recurrent models only"
        return _adapted(doc, [], [], [Omission(message, doc.locator.key(("model",)))])
    assumptions: list[Assumption] = []
    if version_note is not None:
        assumptions.append(Assumption(version_note, decoder.span("type")))
    for side in (encoder, decoder):
        note = side.assumption()
        if note is not None:
            assumptions.append(note)
    omitted = [Omission(f"{name} is not counted: rnnlint counts recurrent layers only", span) for name, span in other]
    tied = bool(doc.data["model"].get("tied_embeddings", False))
    which = "the shared source/target embeddings are" if tied else "the source and target embeddings are"
    omitted.append(
        Omission(
            f"{which} not counted: their rows are the vocabulary built from the data (voc_limit is only a cap)",
            doc.locator.key(("model",)),
        )
    )
    if decoder_recurrent:
        width = decoder.data.get("hidden_size", "hidden")
        message = (
            f"the decoder's output_layer Linear({width}, target vocabulary) is not counted: its size is the vocabulary"
        )
        omitted.append(Omission(message, decoder.span()))
    return _adapted(doc, layers, assumptions, omitted)


def _adapted(doc: Document, layers: list[LayerSpec], assumptions: list[Assumption], omitted: list[Omission]) -> Adapted:
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=tuple(layers),
            span=doc.locator.key(("model",)),
            assumptions=tuple(assumptions),
            omitted=tuple(omitted),
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
