"""Marian NMT model/CLI option files (``--config``): ``type: s2s | amun | nematus``.

Marian is C++; what it builds is read from its source (github:marian-nmt/marian-dev):

- ``src/models/model_factory.cpp``: ``s2s``, ``amun`` and ``nematus`` all build ``EncoderS2S`` +
  ``DecoderS2S`` (``src/models/s2s.h``) with ``original-type`` = the type; ``amun.h`` and
  ``nematus.h`` only restrict the options (they ABORT otherwise).
- ``EncoderS2S::applyEncoderRNN``: ``enc-type`` bidirectional / alternating: a forward and a
  backward stack of ``enc-depth`` layers, each a stacked cell of ``enc-cell-depth`` cells; context
  ``2 * dim-rnn``. Any other enc-type (bi-unidirectional): one bidirectional layer, then
  ``enc-depth - 1`` unidirectional layers (the first reads ``2 * dim-rnn``); context ``dim-rnn``.
- ``DecoderS2S::constructDecoderRNN``: the first layer is cell1 (reads ``dim-emb``), the attention
  (``src/rnn/attention.h`` GlobalAttention), cell2 (reads the context) and cells 3.. up to
  ``dec-cell-base-depth`` (transition cells, no input); layers 2..``dec-depth`` hold
  ``dec-cell-high-depth`` cells, the first reading ``dim-rnn``. ``startState`` adds the
  ``ff_state`` dense layer, ``step`` the ``ff_logit_l1`` dense layer (one W and b per input:
  embedding, decoder state, context).
- ``src/rnn/constructors.h`` (StackedCellFactory): only a stack's first cell (and the cell right
  after an attention) gets an input; the others get ``dimInput`` 0, so no ``W``.
- ``src/rnn/cells.h``: the parameter shapes of each cell (see :func:`cell_params`);
  ``src/layers/generic.h`` (Dense): one ``W``/``b`` per input, LayerNorm gains per input.

Defaults are Marian's own (``src/common/config_parser.cpp``: type amun, dim-emb 512, dim-rnn
1024, enc/dec-cell gru, enc-type bidirectional, depths 1, dec-cell-base-depth 2,
dec-cell-high-depth 1, layer-normalization false), reported where they are used. The embeddings
and the output layer are vocabulary-sized (omissions). Transformer types build no RNN (an
omission). The Amun decoder's own config (``scorers:``) names model files only: RNN205.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import YES_OR_NO, SectionReader, as_bool, as_int
from rnnlint.model import Assumption, Fixed, LayerSpec, ModelConfig, Omission, Span, Unknown
from rnnlint.parse.document import Document

NAME = "marian"

MARIAN_KEYS = (
    "dim-emb",
    "dim-rnn",
    "enc-cell",
    "dec-cell",
    "enc-depth",
    "dec-depth",
    "enc-type",
    "dim-vocabs",
    "transformer-heads",
    "transformer-dim-ffn",
)
# src/common/config_parser.cpp (ConfigParser::addOptionsModel).
DEFAULTS: dict[str, Any] = {
    "type": "amun",
    "dim-emb": 512,
    "dim-rnn": 1024,
    "enc-type": "bidirectional",
    "enc-cell": "gru",
    "enc-cell-depth": 1,
    "enc-depth": 1,
    "dec-cell": "gru",
    "dec-cell-base-depth": 2,
    "dec-cell-high-depth": 1,
    "dec-depth": 1,
    "layer-normalization": False,
}
RNN_TYPES = ("s2s", "amun", "nematus")
TRANSFORMER_TYPES = ("transformer", "transformer-new", "lm-transformer", "bert", "bert-classifier")
CELLS = ("gru", "gru-nematus", "lstm", "mlstm", "mgru", "tanh", "relu")


def detect(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if any(key in data for key in MARIAN_KEYS):
        return True
    # The Amun decoder's config: scorers -> {path, type} and their weights.
    scorers = data.get("scorers")
    return (
        isinstance(scorers, dict)
        and isinstance(data.get("weights"), dict)
        and any(isinstance(s, dict) and "path" in s for s in scorers.values())
    )


def cell_params(cell: str, dim_input: int, dim_state: int, layer_norm: bool) -> tuple[int, str]:
    """Parameters of one Marian RNN cell (src/rnn/cells.h) and a formula.

    gru / gru-nematus: U (h x 2h), Ux (h x h), W (i x 2h), Wx (i x h), b (2h), bx (h);
    layer norm: GRU gamma1 (3h, with an input), gamma2 (3h); GRUNematus W/Wx/U/Ux _lns and _lnb
    (6h with an input, 6h). lstm (FastLSTM): U (h x 4h), W (i x 4h), b (4h), gamma1/gamma2 4h.
    tanh: U (h x h), W (i x h), b (h), gamma1/gamma2 3h. relu: gamma1/gamma2 h.
    mgru / mlstm (Multiplicative): + Um (h x h), Wm (i x h), bm, bwm (h), gamma1m/gamma2m (h).
    """
    h, i = dim_state, dim_input
    base = cell[1:] if cell in ("mgru", "mlstm") else cell
    gates = {"gru": 3, "gru-nematus": 3, "lstm": 4, "tanh": 1, "relu": 1}[base]
    params = gates * h * h + gates * i * h + gates * h
    formula = f"{gates}x{h}x{h} + {gates}x{i}x{h} + {gates}x{h}" if i else f"{gates}x{h}x{h} + {gates}x{h}"
    if layer_norm:
        norm = {"gru": 3, "gru-nematus": 6, "lstm": 4, "tanh": 3, "relu": 1}[base] * h
        params += norm * (2 if i else 1)
        formula += f" + LN {norm}" + (f" + {norm}" if i else "")
    if cell in ("mgru", "mlstm"):
        extra = h * h + i * h + 2 * h + (2 * h if layer_norm else 0)
        params += extra
        formula += f" + multiplicative {extra}"
    return params, formula


def dense_params(inputs: Sequence[int], dim: int, layer_norm: bool, nematus: bool) -> int:
    """mlp::Dense (src/layers/generic.h): a W and b per input, plus its LayerNorm gains."""
    per_norm = (2 if nematus else 1) * dim if layer_norm else 0
    return sum(n * dim + dim + per_norm for n in inputs)


def attention_params(dim_state: int, dim_context: int, layer_norm: bool, nematus: bool) -> int:
    """GlobalAttention (src/rnn/attention.h): W_comb_att, Wc_att, U_att, b_att (+ LayerNorm gains)."""
    c = dim_context
    params = dim_state * c + c * c + c + c
    if layer_norm:
        params += 4 * c if nematus else 2 * c
    return params


class _Options(SectionReader):
    """Option values with Marian's defaults; remembers which defaults were used."""

    def __init__(self, doc: Document) -> None:
        self.data: dict[str, Any] = doc.data
        note = lambda key, default: f"{key}: {str(default).lower()}"  # noqa: E731
        super().__init__(doc, (), self.data, defaults=DEFAULTS, note=note, whole=Span(1, 1))


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    if not isinstance(doc.data, dict):
        return Adapted(_model([], [], []))
    data: dict[str, Any] = doc.data
    if "scorers" in data and not any(key in data for key in MARIAN_KEYS):
        unknown = Unknown(
            "amun scorers",
            "the Amun decoder's config names model files (scorers.*.path); the model's sizes are in "
            "those .npz files, not in this file",
        )
        return Adapted(_model([LayerSpec("scorers", "amun", doc.locator.key(("scorers",)), unknown)], [], []))
    opts = _Options(doc)
    model_type = str(opts.get("type"))
    type_span = opts.span("type")
    if model_type in TRANSFORMER_TYPES:
        omission = Omission(
            f"the {model_type} encoder and decoder are not counted: rnnlint counts recurrent models only", type_span
        )
        return Adapted(_model([], [], [omission]))
    if model_type not in RNN_TYPES:
        reason = f"rnnlint knows the RNN model types {', '.join(RNN_TYPES)}; not Marian type {model_type!r}"
        return Adapted(_model([LayerSpec("model", model_type, type_span, Unknown(model_type, reason))], [], []))
    return Adapted(_s2s(opts, model_type))


def _s2s(opts: _Options, model_type: str) -> ModelConfig:
    notes: list[Assumption] = []
    ints = {
        key: as_int(opts.get(key))
        for key in (
            "dim-emb",
            "dim-rnn",
            "enc-depth",
            "enc-cell-depth",
            "dec-depth",
            "dec-cell-base-depth",
            "dec-cell-high-depth",
        )
    }
    enc_type, enc_cell, dec_cell = str(opts.get("enc-type")), str(opts.get("enc-cell")), str(opts.get("dec-cell"))
    layer_norm = as_bool(opts.get("layer-normalization"), strings=YES_OR_NO)
    span = opts.span("type")
    problem = [key for key, value in ints.items() if value is None or value < 1]
    if problem or layer_norm is None:
        reason = "not positive integers: " + ", ".join(problem) if problem else "layer-normalization is not a bool"
        return _model([LayerSpec("model", model_type, span, Unknown(model_type, reason))], notes, [])
    v = {key: int(value) for key, value in ints.items() if value is not None}
    abort = _abort(model_type, v, enc_type, enc_cell, dec_cell, opts)
    unknown_cells = [cell for cell in (enc_cell, dec_cell) if cell not in CELLS]
    if abort or unknown_cells:
        reason = abort or f"rnnlint does not count Marian cell type {unknown_cells[0]!r} (sru/ssru or unknown)"
        return _model([LayerSpec("model", model_type, span, Unknown(model_type, reason))], notes, [])
    nematus = model_type == "nematus"  # "nematus-normalization" for attention and dense layers
    emb, h = v["dim-emb"], v["dim-rnn"]
    layers: list[LayerSpec] = []

    # Encoder.
    bidirectional = enc_type in ("bidirectional", "alternating")
    bi_layers = v["enc-depth"] if bidirectional else 1
    uni_layers = 0 if bidirectional else v["enc-depth"] - 1
    depth = v["enc-cell-depth"]
    total, parts = 0, []
    for layer in range(1, bi_layers + 1):
        first, formula = cell_params(enc_cell, emb if layer == 1 else h, h, layer_norm)
        trans, trans_formula = cell_params(enc_cell, 0, h, layer_norm)
        layer_total = 2 * (first + (depth - 1) * trans)
        total += layer_total
        parts.append(
            f"2 directions x [({formula})" + (f" + {depth - 1} x ({trans_formula})" if depth > 1 else "") + "]"
        )
    for layer in range(uni_layers):
        first, formula = cell_params(enc_cell, 2 * h if layer == 0 else h, h, layer_norm)
        trans, trans_formula = cell_params(enc_cell, 0, h, layer_norm)
        total += first + (depth - 1) * trans
        parts.append(f"({formula})" + (f" + {depth - 1} x ({trans_formula})" if depth > 1 else ""))
    context = h if uni_layers > 0 else 2 * h
    layers.append(
        LayerSpec(
            f"encoder ({enc_type}, {v['enc-depth']} layer(s) of {depth} {enc_cell} cell(s))",
            enc_cell,
            opts.span("enc-cell"),
            Fixed(total, " + ".join(parts) + f" = {total:,}", context, recurrent=True),
        )
    )

    # Decoder RNN: base cell 1 (dim-emb), attention, cell 2 (context), transition cells 3..
    base_depth = v["dec-cell-base-depth"]
    c1, f1 = cell_params(dec_cell, emb, h, layer_norm)
    dec_total, dec_parts = c1, [f"cell1 ({f1})"]
    if base_depth >= 2:
        c2, f2 = cell_params(dec_cell, context, h, layer_norm)
        dec_total += c2
        dec_parts.append(f"cell2 ({f2})")
    if base_depth >= 3:
        ct, ft = cell_params(dec_cell, 0, h, layer_norm)
        dec_total += (base_depth - 2) * ct
        dec_parts.append(f"{base_depth - 2} x ({ft})")
    for _layer in range(2, v["dec-depth"] + 1):
        high = v["dec-cell-high-depth"]
        ch, fh = cell_params(dec_cell, h, h, layer_norm)
        ct, ft = cell_params(dec_cell, 0, h, layer_norm)
        dec_total += ch + (high - 1) * ct
        dec_parts.append(f"({fh})" + (f" + {high - 1} x ({ft})" if high > 1 else ""))
    layers.append(
        LayerSpec(
            f"decoder ({v['dec-depth']} layer(s), base depth {base_depth}, {dec_cell})",
            dec_cell,
            opts.span("dec-cell"),
            Fixed(dec_total, " + ".join(dec_parts) + f" = {dec_total:,}", h, recurrent=True),
        )
    )
    att = attention_params(h, context, layer_norm, nematus)
    layers.append(
        LayerSpec(
            "decoder attention",
            "global_attention",
            opts.span("dec-cell"),
            Fixed(att, f"W_comb_att {h}x{context} + Wc_att {context}x{context} + U_att + b_att (+LN) = {att:,}"),
        )
    )
    ff_state = dense_params([context], h, layer_norm, nematus)
    layers.append(
        LayerSpec(
            "decoder_ff_state",
            "dense",
            opts.span("dim-rnn"),
            Fixed(ff_state, f"Dense({context} -> {h}) = {ff_state:,}", h),
        )
    )
    logit = dense_params([emb, h, context], emb, layer_norm, nematus)
    layers.append(
        LayerSpec(
            "decoder_ff_logit_l1",
            "dense",
            opts.span("dim-emb"),
            Fixed(logit, f"Dense([{emb}, {h}, {context}] -> {emb}) = {logit:,}", emb),
        )
    )
    tied = [
        key
        for key in ("tied-embeddings-all", "tied-embeddings-src", "tied-embeddings")
        if as_bool(opts.data.get(key), strings=YES_OR_NO)
    ]
    sharing = f"; with {tied[0]} they share their matrices" if tied else ""
    omitted = [
        Omission(
            "the source/target embeddings and the output layer (decoder_ff_logit_l2) are not counted: "
            f"they are vocabulary-sized (dim-vocabs / the vocabulary files){sharing}",
            opts.span("dim-vocabs") if "dim-vocabs" in opts.data else opts.span("dim-emb"),
        )
    ]
    if opts.defaulted:
        notes.append(
            Assumption(
                "Marian defaults assumed for options not in the file: "
                + ", ".join(dict.fromkeys(opts.defaulted))
                + "; a model's own model.yml or the command line may set them; add them to make the count explicit",
                Span(1, 1),
            )
        )
    return _model(layers, notes, omitted, model_type)


def _abort(model_type: str, v: dict[str, int], enc_type: str, enc_cell: str, dec_cell: str, opts: _Options) -> str:
    """The ABORT_IF checks of src/models/amun.h and nematus.h: Marian refuses these models."""
    checks: list[tuple[bool, str]] = []
    if model_type == "amun":
        checks = [
            (v["enc-depth"] > 1, "--type amun does not support multiple encoder layers"),
            (v["enc-cell-depth"] > 1, "--type amun does not support stacked encoder cells"),
            (
                as_bool(opts.data.get("skip"), strings=YES_OR_NO) is True,
                "--type amun does not support skip connections",
            ),
            (v["dec-depth"] > 1, "--type amun does not support multiple decoder layers"),
            (v["dec-cell-base-depth"] != 2, "--type amun does not support decoder base depth != 2"),
            (v["dec-cell-high-depth"] > 1, "--type amun does not support decoder high depth > 1"),
            (enc_cell != "gru", "--type amun does not support other rnn cells than gru"),
            (dec_cell != "gru", "--type amun does not support other rnn cells than gru"),
        ]
    elif model_type == "nematus":
        checks = [
            (enc_type != "bidirectional", "--type nematus does not support other encoder type than bidirectional"),
            (enc_cell != "gru-nematus", "--type nematus does not support other rnn cells than gru-nematus"),
            (dec_cell != "gru-nematus", "--type nematus does not support other rnn cells than gru-nematus"),
            (v["dec-cell-high-depth"] > 1, "--type nematus does not currently support --dec-cell-high-depth > 1"),
        ]
    for failed, message in checks:
        if failed:
            return f"Marian aborts: {message} (src/models/{model_type}.h)"
    return ""


def _model(
    layers: list[LayerSpec], notes: list[Assumption], omitted: list[Omission], name: str | None = None
) -> ModelConfig:
    return ModelConfig(
        dialect=NAME,
        framework=None,
        layers=tuple(layers),
        span=Span(1, 1),
        name=name,
        assumptions=tuple(notes),
        omitted=tuple(omitted),
    )
