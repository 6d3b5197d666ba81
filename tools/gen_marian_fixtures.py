"""Derived fixtures for the ``marian`` dialect: Marian's parameters, named and shaped as its C++ creates them.

Marian (C++) is not installed here, so this script replays the ``graph->param(name, shape)`` calls
of its constructors for each case and records every parameter's name and shape, the way
``marian`` would save them in ``model.npz``. It follows, independently of rnnlint's formulas:

- ``src/models/s2s.h`` ``EncoderS2S::applyEncoderRNN`` (prefixes ``encoder_bi``, ``encoder_bi_r``,
  ``_l{i}``, ``_cell{j}``) and ``DecoderS2S::constructDecoderRNN`` / ``startState`` / ``step``
  (``decoder_cell{i}``, ``decoder_l{i}_cell{j}``, ``decoder_ff_state``, ``decoder_ff_logit_l1``);
- ``src/rnn/constructors.h`` ``StackedCellFactory::construct`` (only a stack's first cell and a
  cell right after an attention get an input) and ``RNNFactory::construct`` (layer i > 0 reads the
  previous layer's state);
- ``src/rnn/cells.h`` ``GRU``, ``GRUNematus``, ``FastLSTM`` (``LSTM``), ``Tanh``, ``ReLU``,
  ``Multiplicative`` (``mgru``, ``mlstm``) parameter shapes;
- ``src/rnn/attention.h`` ``GlobalAttention`` (``_W_comb_att``, ``_Wc_att``, ``_U_att``, ``_b_att``
  and the layer-norm gains, nematus style for ``type: nematus``);
- ``src/layers/generic.h`` ``Dense`` (``_W{n}``/``_b{n}`` per input and ``_ln_s``/``_ln_b`` or
  ``_gamma`` per input).

Embeddings (``Wemb``, ``encoder_Wemb``, ``decoder_Wemb``) and ``decoder_ff_logit_l2`` are
vocabulary-sized and left out, as rnnlint leaves them out. ``counted`` is the sum of the rest.

Run (plain Python, no toolkit)::

    python tools/gen_marian_fixtures.py --out tests/fixtures/marian_cases.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {  # src/common/config_parser.cpp
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

Params = dict[str, list[int]]


def cell(params: Params, kind: str, prefix: str, dim_input: int, dim_state: int, ln: bool) -> None:
    """The graph->param calls of one cell constructor (src/rnn/cells.h)."""
    h, i = dim_state, dim_input
    base = kind[1:] if kind in ("mgru", "mlstm") else kind
    if base in ("gru", "gru-nematus"):
        params[prefix + "_U"] = [h, 2 * h]
        params[prefix + "_Ux"] = [h, h]
        if i:
            params[prefix + "_W"] = [i, 2 * h]
            params[prefix + "_Wx"] = [i, h]
        params[prefix + "_b"] = [1, 2 * h]
        params[prefix + "_bx"] = [1, h]
        if ln and base == "gru":
            if i:
                params[prefix + "_gamma1"] = [1, 3 * h]
            params[prefix + "_gamma2"] = [1, 3 * h]
        if ln and base == "gru-nematus":
            names = (["W", "Wx"] if i else []) + ["U", "Ux"]
            for name in names:
                width = 2 * h if name in ("W", "U") else h
                params[f"{prefix}_{name}_lns"] = [1, width]
                params[f"{prefix}_{name}_lnb"] = [1, width]
    elif base == "lstm":  # FastLSTM
        params[prefix + "_U"] = [h, 4 * h]
        if i:
            params[prefix + "_W"] = [i, 4 * h]
        params[prefix + "_b"] = [1, 4 * h]
        if ln:
            if i:
                params[prefix + "_gamma1"] = [1, 4 * h]
            params[prefix + "_gamma2"] = [1, 4 * h]
    else:  # tanh, relu
        params[prefix + "_U"] = [h, h]
        if i:
            params[prefix + "_W"] = [i, h]
        params[prefix + "_b"] = [1, h]
        if ln:
            gamma = 3 * h if base == "tanh" else h
            if i:
                params[prefix + "_gamma1"] = [1, gamma]
            params[prefix + "_gamma2"] = [1, gamma]
    if kind in ("mgru", "mlstm"):  # Multiplicative<CellType>
        params[prefix + "_Um"] = [h, h]
        params[prefix + "_Wm"] = [i, h]
        params[prefix + "_bm"] = [1, h]
        params[prefix + "_bwm"] = [1, h]
        if ln:
            params[prefix + "_gamma1m"] = [1, h]
            params[prefix + "_gamma2m"] = [1, h]


def dense(params: Params, prefix: str, inputs: list[int], dim: int, ln: bool, nematus: bool) -> None:
    for n, size in enumerate(inputs):
        num = str(n) if len(inputs) > 1 else ""
        params[f"{prefix}_W{num}"] = [size, dim]
        params[f"{prefix}_b{num}"] = [1, dim]
        if ln and nematus:
            params[f"{prefix}_ln_s{num}"] = [1, dim]
            params[f"{prefix}_ln_b{num}"] = [1, dim]
        elif ln:
            params[f"{prefix}_gamma{num}"] = [1, dim]


def build(options: dict[str, Any]) -> Params:
    o = {**DEFAULTS, **options}
    emb, h, ln = o["dim-emb"], o["dim-rnn"], bool(o["layer-normalization"])
    nematus = o["type"] == "nematus"
    params: Params = {}
    # EncoderS2S::applyEncoderRNN
    if o["enc-type"] in ("bidirectional", "alternating"):
        first, second = o["enc-depth"], 0
    else:
        first, second = 1, o["enc-depth"] - 1
    for suffix in ("_bi", "_bi_r"):
        for i in range(1, first + 1):
            for j in range(1, o["enc-cell-depth"] + 1):
                prefix = "encoder" + suffix + (f"_l{i}" if i > 1 else "") + (f"_cell{j}" if i > 1 or j > 1 else "")
                dim_input = 0 if j > 1 else (emb if i == 1 else h)
                cell(params, o["enc-cell"], prefix, dim_input, h, ln)
    for i in range(first + 1, first + second + 1):
        for j in range(1, o["enc-cell-depth"] + 1):
            dim_input = 0 if j > 1 else (2 * h if i == first + 1 else h)
            cell(params, o["enc-cell"], f"encoder_l{i}_cell{j}", dim_input, h, ln)
    context = h if second > 0 else 2 * h
    # DecoderS2S::startState
    dense(params, "decoder_ff_state", [context], h, ln, nematus)
    # DecoderS2S::constructDecoderRNN: cell1, attention, cell2, transition cells
    for i in range(1, o["dec-cell-base-depth"] + 1):
        dim_input = emb if i == 1 else (context if i == 2 else 0)
        cell(params, o["dec-cell"], f"decoder_cell{i}", dim_input, h, ln)
        if i == 1:
            c = context
            params["decoder_W_comb_att"] = [h, c]
            params["decoder_Wc_att"] = [c, c]
            params["decoder_U_att"] = [c, 1]
            params["decoder_b_att"] = [1, c]
            if ln and nematus:
                for name in ("Wc_att_lns", "Wc_att_lnb", "W_comb_att_lns", "W_comb_att_lnb"):
                    params[f"decoder_{name}"] = [1, c]
            elif ln:
                params["decoder_att_gamma1"] = [1, c]
                params["decoder_att_gamma2"] = [1, c]
    for i in range(2, o["dec-depth"] + 1):
        for j in range(1, o["dec-cell-high-depth"] + 1):
            cell(params, o["dec-cell"], f"decoder_l{i}_cell{j}", h if j == 1 else 0, h, ln)
    # DecoderS2S::step: the deep output's first layer reads embedding, decoder state and context
    dense(params, "decoder_ff_logit_l1", [emb, h, context], emb, ln, nematus)
    return params


CASES: list[tuple[str, dict[str, Any]]] = [
    ("s2s_small_defaults", {"type": "s2s", "dim-rnn": 32, "dim-emb": 16}),
    ("amun_wmt16", {"type": "amun", "dim-emb": 500}),
    (
        "nematus_wmt17_deep_ln",
        {
            "type": "nematus",
            "enc-depth": 1,
            "enc-cell-depth": 4,
            "enc-type": "bidirectional",
            "dec-depth": 1,
            "dec-cell-base-depth": 8,
            "dec-cell-high-depth": 1,
            "dec-cell": "gru-nematus",
            "enc-cell": "gru-nematus",
            "layer-normalization": True,
            "dim-emb": 512,
        },
    ),
    (
        "s2s_lstm_deep_ln",
        {
            "type": "s2s",
            "dim-emb": 64,
            "dim-rnn": 128,
            "enc-cell": "lstm",
            "dec-cell": "lstm",
            "enc-depth": 3,
            "enc-cell-depth": 2,
            "dec-depth": 3,
            "dec-cell-base-depth": 3,
            "dec-cell-high-depth": 2,
            "layer-normalization": True,
        },
    ),
    (
        "s2s_bi_unidirectional_gru",
        {"type": "s2s", "dim-emb": 32, "dim-rnn": 48, "enc-type": "bi-unidirectional", "enc-depth": 4, "dec-depth": 2},
    ),
    (
        "s2s_bi_unidirectional_one_layer",
        {"type": "s2s", "dim-emb": 32, "dim-rnn": 48, "enc-type": "bi-unidirectional", "enc-depth": 1},
    ),
    (
        "s2s_alternating_tanh_ln",
        {
            "type": "s2s",
            "dim-emb": 20,
            "dim-rnn": 30,
            "enc-type": "alternating",
            "enc-depth": 2,
            "enc-cell": "tanh",
            "dec-cell": "relu",
            "layer-normalization": True,
        },
    ),
    (
        "s2s_mgru_mlstm",
        {
            "type": "s2s",
            "dim-emb": 24,
            "dim-rnn": 40,
            "enc-cell": "mgru",
            "dec-cell": "mlstm",
            "dec-cell-base-depth": 1,
        },
    ),
    ("s2s_gru_ln", {"type": "s2s", "dim-emb": 16, "dim-rnn": 24, "layer-normalization": True, "dec-depth": 2}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("tests/fixtures/marian_cases.json"))
    args = parser.parse_args()
    cases = []
    for name, options in CASES:
        params = build(options)
        sizes = {key: shape[0] * shape[1] for key, shape in params.items()}
        encoder = sum(v for k, v in sizes.items() if k.startswith("encoder"))
        decoder_rnn = sum(v for k, v in sizes.items() if k.startswith(("decoder_cell", "decoder_l")))
        cases.append(
            {
                "name": name,
                "options": options,
                "parts": {"encoder": encoder, "decoder": decoder_rnn},
                "counted": sum(sizes.values()),
                "params": {key: shape for key, shape in params.items()},
            }
        )
    out = {
        "source": "derived from marian-nmt/marian-dev (c9f287d) src/models/s2s.h, src/rnn/constructors.h, "
        "src/rnn/cells.h, src/rnn/attention.h, src/layers/generic.h: Marian (C++) is not installed here",
        "cases": cases,
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
