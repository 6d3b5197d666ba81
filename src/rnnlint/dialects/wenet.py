"""WeNet training configs (``examples/*/conf/*.yaml``): ``encoder`` + ``encoder_conf`` like ESPnet2,
but with WeNet's own sections: ``tokenizer``/``tokenizer_conf``, ``cmvn``/``cmvn_conf``,
``dataset_conf``, and for transducers ``predictor``/``predictor_conf`` and ``joint``/``joint_conf``.

What ``wenet/utils/init_model.py`` (``init_speech_model``) builds from them:

- ``model: transducer`` builds ``WENET_PREDICTOR_CLASSES[predictor](vocab_size, **predictor_conf)``
  and ``TransducerJoint(vocab_size, **joint_conf)``; any other ``model`` (``asr_model`` by default)
  builds no predictor. WeNet 2.x (``init_model.py`` before commit d2b337da, December 2023) decided by
  the presence of ``predictor`` alone, so a file with a
  predictor and no ``model`` key is read the old way (an assumption says so).
- ``predictor: rnn`` is ``RNNPredictor`` (``wenet/transducer/predictor.py``): ``Embedding(vocab,
  embed_size)``, ``nn.LSTM|GRU|RNN(embed_size, hidden_size, num_layers, bias=bias,
  dropout=dropout)`` (``rnn_type`` lstm, ``bias`` true, ``dropout`` 0.1 by default) and
  ``projection = Linear(hidden_size, output_size)``. ``embed_size``, ``output_size``,
  ``hidden_size`` and ``num_layers`` have no default (WeNet raises a TypeError).
- ``TransducerJoint`` (``wenet/transducer/joint.py``): with ``prejoin_linear`` (true)
  ``Linear(enc_output_size, join_dim)`` and ``Linear(pred_output_size, join_dim)``, with
  ``postjoin_linear`` (false) ``Linear(join_dim, join_dim)``; the output ``Linear(join_dim, vocab)``
  (or, with ``hat_joint``, ``Linear(join_dim, 1)`` + ``Linear(join_dim, vocab - 1)``) depends on
  the token list.

The encoder (conformer, transformer, ...), the attention decoder, CTC and the other predictors
(embedding, conv, CIF) build no RNN and are omissions; vocabulary-sized parts are omissions too.
"""

from __future__ import annotations

from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import SectionReader, as_bool, as_float, as_int
from rnnlint.model import (
    Assumption,
    Fixed,
    LayerSpec,
    Linear,
    ModelConfig,
    Omission,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)
from rnnlint.parse.document import Document

NAME = "wenet"

# Sections only WeNet's train.yaml has (ESPnet2 uses token_type/normalize/iterator keys instead).
WENET_KEYS = ("dataset_conf", "tokenizer_conf", "cmvn_conf")
RNN_TYPES: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru", "rnn": "rnn"}
RNN_PREDICTOR_REQUIRED = ("embed_size", "output_size", "hidden_size", "num_layers")
JOINT_REQUIRED = ("enc_output_size", "pred_output_size", "join_dim")


def detect(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("encoder_conf"), dict):
        return False
    if any(isinstance(data.get(key), dict) for key in WENET_KEYS):
        return True
    # A transducer config written without the data sections: WeNet's predictor + joint pair.
    return isinstance(data.get("predictor_conf"), dict) and isinstance(data.get("joint_conf"), dict)


def _conf(data: dict[str, Any], section: str) -> dict[str, Any]:
    conf = data.get(f"{section}_conf")
    return conf if isinstance(conf, dict) else {}


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    data: dict[str, Any] = doc.data
    locate = doc.locator
    layers: list[LayerSpec] = []
    notes: list[Assumption] = []
    omitted: list[Omission] = []
    defaulted: list[str] = []

    top = SectionReader(doc, (), data, whole=Span(1, 1))

    def span_of(section: str) -> Span:
        return top.span(f"{section}_conf", section)

    encoder = str(data.get("encoder", "conformer"))
    omitted.append(
        Omission(f"the {encoder} encoder is not counted: rnnlint counts recurrent models only", span_of("encoder"))
    )
    decoder = data.get("decoder", "bitransformer")
    if decoder is not None:
        omitted.append(
            Omission(
                f"the {decoder} attention decoder is not counted: rnnlint counts recurrent models only; "
                "its embedding and output layer depend on the token list",
                span_of("decoder"),
            )
        )
    omitted.append(Omission("the CTC output layer is not counted (Linear(encoder output, vocabulary))", span_of("ctc")))

    model = data.get("model")
    transducer = model == "transducer" or (model is None and "predictor" in data)
    if transducer and model is None:
        notes.append(
            Assumption(
                "model is not in this file: read as a transducer, as WeNet 2.x (init_model.py before December "
                "2023) decides from the predictor key; later WeNet builds asr_model without a predictor unless "
                "model: transducer; state model: transducer",
                locate.key(("predictor",)),
            )
        )
    if transducer:
        predictor = str(data.get("predictor", "rnn"))
        if predictor == "rnn":
            layers.extend(_rnn_predictor(doc, span_of("predictor"), omitted, defaulted))
        else:
            omitted.append(
                Omission(f"the {predictor} predictor is not counted (it builds no RNN)", span_of("predictor"))
            )
        layers.extend(_joint(doc, str(data.get("joint", "transducer_joint")), span_of("joint"), omitted, defaulted))
    elif model == "paraformer":
        # Paraformer builds its CIF predictor (convolutions and a Linear), no RNN.
        predictor = data.get("predictor", "cif")
        omitted.append(Omission(f"the {predictor} predictor is not counted (it builds no RNN)", span_of("predictor")))
    if defaulted and layers:
        notes.append(
            Assumption(
                "WeNet defaults assumed for keys not in the file: "
                + ", ".join(defaulted)
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


def _rnn_predictor(doc: Document, span: Span, omitted: list[Omission], defaulted: list[str]) -> list[LayerSpec]:
    conf = _conf(doc.data, "predictor")
    sizes = {key: as_int(conf.get(key), strings=True) for key in RNN_PREDICTOR_REQUIRED}
    rnn_type = str(conf.get("rnn_type", "lstm")).lower()
    kind = RNN_TYPES.get(rnn_type)
    missing = [key for key, value in sizes.items() if value is None]
    if missing or kind is None:
        reason = (
            f"RNNPredictor needs integer {', '.join(missing)} (WeNet has no default for them)"
            if missing
            else f"rnn_type {rnn_type!r} is not in WENET_RNN_CLASSES (rnn, lstm, gru)"
        )
        return [LayerSpec("predictor.rnn", rnn_type, span, Unknown("RNNPredictor", reason))]
    embed, output, hidden, num_layers = (int(sizes[key] or 0) for key in RNN_PREDICTOR_REQUIRED)
    for key, default in (("rnn_type", "lstm"), ("bias", "true")):  # dropout changes no count
        if conf.get(key) is None:
            defaulted.append(f"predictor_conf.{key}: {default}")
    bias = as_bool(conf.get("bias"), True)
    omitted.append(
        Omission(
            f"the predictor embedding is not counted (Embedding(vocabulary, {embed}); "
            "the token list is not in this file)",
            span,
        )
    )
    options: dict[str, Any] = {}
    option_spans: dict[str, Span] = {}
    dropout = as_float(conf.get("dropout"))
    # RNNPredictor passes dropout to the torch RNN itself (RNN203 applies).
    if dropout is not None:
        options["dropout"] = dropout
        option_spans["dropout"] = doc.locator.key(("predictor_conf", "dropout"))
    rnn = Recurrent(kind, hidden, embed, num_layers=num_layers, bias=bias)
    return [
        LayerSpec("predictor.rnn", rnn_type, span, rnn, options=options, option_spans=option_spans),
        LayerSpec("predictor.projection", "linear", span, Linear(hidden, output)),
    ]


def _joint(doc: Document, joint: str, span: Span, omitted: list[Omission], defaulted: list[str]) -> list[LayerSpec]:
    if joint != "transducer_joint":
        return [LayerSpec("joint", joint, span, Unknown(joint, "not a WeNet joint class (transducer_joint)"))]
    conf = _conf(doc.data, "joint")
    sizes = {key: as_int(conf.get(key), strings=True) for key in JOINT_REQUIRED}
    missing = [key for key, value in sizes.items() if value is None]
    if missing:
        reason = f"TransducerJoint needs integer {', '.join(missing)} (WeNet has no default for them)"
        return [LayerSpec("joint", joint, span, Unknown("TransducerJoint", reason))]
    enc, pred, dim = (int(sizes[key] or 0) for key in JOINT_REQUIRED)
    for key, default in (("prejoin_linear", "true"), ("postjoin_linear", "false"), ("hat_joint", "false")):
        if conf.get(key) is None:
            defaulted.append(f"joint_conf.{key}: {default}")
    entries: list[LayerSpec] = []
    if as_bool(conf.get("prejoin_linear"), True):
        entries.append(LayerSpec("joint.enc_ffn", "linear", span, Linear(enc, dim)))
        entries.append(LayerSpec("joint.pred_ffn", "linear", span, Linear(pred, dim)))
    if as_bool(conf.get("postjoin_linear"), False):
        entries.append(LayerSpec("joint.post_ffn", "linear", span, Linear(dim, dim)))
    if as_bool(conf.get("hat_joint"), False):
        entries.append(
            LayerSpec("joint.blank_pred", "linear", span, Fixed(dim + 1, f"Linear({dim}, 1) = {dim + 1:,}", 1))
        )
        omitted.append(Omission(f"the joint token output is not counted (Linear({dim}, vocabulary - 1))", span))
    else:
        omitted.append(Omission(f"the joint output layer is not counted (Linear({dim}, vocabulary))", span))
    return entries
