"""AllenNLP experiment configs (JSON, or Jsonnet evaluated by :mod:`rnnlint.parse.jsonnet`).

Every object under ``model`` with ``"type": "lstm" | "gru" | "rnn"`` is a PyTorch
``nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` behind AllenNLP's ``PytorchSeq2SeqWrapper`` /
``PytorchSeq2VecWrapper`` (seq2seq_encoder, seq2vec_encoder, encoder, phrase_layer,
modeling_layer, context_layer, a character encoder inside a token embedder, ...). The
keys are torch's: ``input_size``, ``hidden_size`` (per direction), ``num_layers``
(default 1), ``bidirectional`` (default false), ``bias`` (default true), ``dropout``.

AllenNLP's own highway LSTMs are counted with their own gate layout (allennlp 2.10.1,
``allennlp/modules/augmented_lstm.py``, ``AugmentedLSTMCell.__init__``): per layer and
direction an input projection ``Linear(input, 6h)`` (4h without ``use_highway``) and a
state projection ``Linear(h, 5h, bias=True)`` (4h without highway):

- ``augmented_lstm``: one ``AugmentedLstm``; the input bias follows
  ``use_input_projection_bias`` (default true).
- ``alternating_lstm`` (``stacked_alternating_lstm.py``, ``StackedAlternatingLstm``):
  ``num_layers`` one-direction layers, layer k > 0 reading ``hidden_size``; input bias as above.
- ``stacked_bidirectional_lstm`` (``stacked_bidirectional_lstm.py``): ``num_layers`` x 2
  directions with ``use_input_projection_bias=False``; layer k > 0 reads ``2 x hidden_size``.

``use_highway`` defaults to true in all three. They take no ``dropout`` argument
(``recurrent_dropout_probability`` is variational dropout inside the layer), so RNN203 does
not apply to them; the ``lstm`` / ``gru`` / ``rnn`` wrappers pass ``dropout`` straight to
the torch module (``pytorch_seq2seq_wrapper.py``), where RNN203's premise holds.

Seq2seq models build an ``LSTMCell`` decoder whose sizes follow the encoder
(allennlp-models ``SimpleSeq2Seq`` and ``CopyNetSeq2Seq``):

- ``simple_seq2seq``: hidden = encoder output; input = ``target_embedding_dim`` (default:
  the source embedder's output) plus the encoder output when ``attention`` is set; an
  ``nn.LSTM`` with ``target_decoder_layers`` layers when that is above 1.
- ``copynet_seq2seq``: ``LSTMCell(encoder output, encoder output)`` after an input
  projection ``Linear(target_embedding_dim + 2 x encoder output -> encoder output)``, and a
  copy-score ``Linear(encoder output -> encoder output)``.

Token embedders are counted only when ``num_embeddings`` is stated (the vocabulary size is
otherwise known only after reading the data); otherwise each is an omission. Also counted:
``FeedForward`` objects (written without a type: ``input_dim``, ``num_layers``,
``hidden_dims``; one biased Linear per layer, ``feedforward.py``) and the ``cnn`` Seq2Vec
encoder (``cnn_encoder.py``: a Conv1d per n-gram size, optional output Linear). Every other
typed module object is an omission, and so are the model's own layers (output and tag
projections, attention, heads sized from the vocabulary or the encoders). A model with no
recurrent layer is a single omission (rnnlint counts recurrent models).
"""

from __future__ import annotations

from typing import Any, cast

from rnnlint import counting
from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import as_int, override
from rnnlint.model import (
    Assumption,
    Composite,
    Embedding,
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

NAME = "allennlp"
# AllenNLP reads every experiment file, .json too, through Jsonnet (allennlp/common/params.py,
# Params.from_file -> _jsonnet.evaluate_file): //, # and /* */ comments and trailing commas are legal.
JSON_SYNTAX = frozenset({"//", "#", "/*", ","})

RECURRENT_TYPES: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru", "rnn": "rnn"}
# AllenNLP's own highway LSTMs (registered Seq2Seq/Seq2VecEncoder names), counted by _highway_lstm.
HIGHWAY_TYPES = ("augmented_lstm", "alternating_lstm", "stacked_bidirectional_lstm")
# Not a registered name (the registered one is alternating_lstm): AllenNLP refuses it.
UNREGISTERED_TYPES = {"stacked_alternating_lstm": "not a registered AllenNLP encoder name (use alternating_lstm)"}
# Top-level keys only AllenNLP experiment files carry.
EXPERIMENT_KEYS = (
    "dataset_reader",
    "train_data_path",
    "validation_data_path",
    "trainer",
    "data_loader",
    "iterator",
    "vocabulary",
    "datasets_for_vocab_creation",
    "validation_dataset_reader",
)
SEQ2SEQ_MODELS = ("simple_seq2seq", "copynet_seq2seq")
# Models whose own layers are sized here (the rest of their layers is an omission).
MODEL_HEADS: dict[str, Any] = {}
# Registered module names with no parameters (attention by dot product / cosine, bag of embeddings,
# pass-through, the text field embedder container, TokenCharactersEncoder's wrapper), and the non-module
# objects a model block may carry (token indexers / tokenizers from an imported reader).
PARAMETER_FREE_TYPES = frozenset(
    {
        "dot_product",
        "scaled_dot_product",
        "cosine",
        "boe",
        "bag_of_embeddings",
        "pass_through",
        "empty",
        "basic",
        "character_encoding",
        "single_id",
        "characters",
        "spacy",
        "whitespace",
        "just_spaces",
        # activations written as objects
        "relu",
        "elu",
        "tanh",
        "sigmoid",
        "gelu",
        "leaky_relu",
        "selu",
        "softmax",
        # beam search samplers and scorers (no modules)
        "deterministic",
        "multinomial",
        "top-k",
        "top-p",
        "gumbel",
        "sequence-log-prob",
        "length-normalized-sequence-log-prob",
        "beam_search",
    }
)
# Subtrees that name module types without building modules.
SKIPPED_KEYS = {"initializer", "regularizer"}
LOCATED_OPTIONS = ("input_size", "dropout", "bias", "proj_size", "num_layers", "bidirectional")


def _rnn_object(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") in RECURRENT_TYPES and "hidden_size" in node


def detect(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    model = data.get("model")
    if not isinstance(model, dict) or "layers" in model or "_target_" in model:
        return False
    if isinstance(model.get("type"), str) and any(key in data for key in EXPERIMENT_KEYS):
        return True
    # A partially evaluated Jsonnet file: the model block without the imported base.
    return any(_rnn_object(v) and "input_size" in v for v in model.values())


class _Builder:
    def __init__(self, doc: Document, options: AdaptOptions) -> None:
        self.doc = doc
        self.options = options
        self.layers: list[LayerSpec] = []
        self.assumptions: list[Assumption] = []
        self.input_override_used = False

    def span(self, path: DocPath) -> Span:
        return self.doc.locator.value(path)

    def key_span(self, path: DocPath) -> Span:
        return self.doc.locator.key(path)

    def recurrent(self, path: DocPath, node: dict[str, Any]) -> Recurrent | None:
        name = ".".join(str(p) for p in path[1:]) or "model"
        kind = RECURRENT_TYPES[node["type"]]
        hidden = as_int(node.get("hidden_size"))
        if hidden is None:
            self.add(path, node, Unknown(node["type"], f"hidden_size {node.get('hidden_size')!r} is not a number"))
            return None
        declared = as_int(node.get("input_size"))
        input_size = declared
        if input_size is None:
            if self.options.input_size is not None and not self.input_override_used:
                input_size = self.options.input_size
                self.input_override_used = True
            else:
                self.assumptions.append(
                    Assumption(
                        f'{name}: input_size is not stated (PyTorch requires it); add "input_size" to this '
                        f"object or set `{override()}`",
                        self.span(path),
                    )
                )
        module = Recurrent(
            kind=kind,
            hidden_size=hidden,
            input_size=input_size,
            framework="pytorch",
            num_layers=as_int(node.get("num_layers")) or 1,
            bidirectional=node.get("bidirectional") is True,
            bias=node.get("bias", True) is not False,
            proj_size=as_int(node.get("proj_size")) or 0,
        )
        self.add(path, node, module, declared)
        return module

    def input_size(self, path: DocPath, node: dict[str, Any]) -> int | None:
        """The stated input_size, else the override once, else None with a note."""
        declared = as_int(node.get("input_size"))
        if declared is not None:
            return declared
        if self.options.input_size is not None and not self.input_override_used:
            self.input_override_used = True
            return self.options.input_size
        name = ".".join(str(p) for p in path[1:]) or "model"
        self.assumptions.append(
            Assumption(
                f'{name}: input_size is not stated (PyTorch requires it); add "input_size" to this '
                f"object or set `{override()}`",
                self.span(path),
            )
        )
        return None

    def highway_lstm(self, path: DocPath, node: dict[str, Any]) -> None:
        """AugmentedLstm / StackedAlternatingLstm / StackedBidirectionalLstm, counted exactly."""
        node_type = str(node["type"])
        hidden = as_int(node.get("hidden_size"))
        layers = 1 if node_type == "augmented_lstm" else as_int(node.get("num_layers"))
        if hidden is None or layers is None:
            missing = "hidden_size" if hidden is None else "num_layers"
            self.add(path, node, Unknown(node_type, f"{missing} {node.get(missing)!r} is not a number"))
            return
        input_size = self.input_size(path, node)
        if input_size is None:
            self.add(path, node, Unknown(node_type, "input_size is not stated"))
            return
        module = highway_lstm_module(node_type, node, input_size, hidden, layers)
        self.add(path, node, module, as_int(node.get("input_size")))

    def add(self, path: DocPath, node: dict[str, Any], module: Module, declared: int | None = None) -> None:
        name = ".".join(str(p) for p in path[1:]) or "model"
        # Only the torch wrappers (lstm/gru/rnn) pass `dropout` to the torch module (RNN203's premise).
        passes_dropout = node.get("type") in RECURRENT_TYPES
        keys = ("dropout", "bias", "proj_size") if passes_dropout else ("bias", "proj_size")
        options: dict[str, Any] = {k: node[k] for k in keys if k in node}
        spans = {k: self.key_span((*path, k)) for k in LOCATED_OPTIONS if k in node}
        self.layers.append(
            LayerSpec(
                name=name,
                type=str(node.get("type")),
                span=self.span(path),
                module=module,
                options=options,
                declared_input_size=declared,
                declared_input_span=spans.get("input_size"),
                option_spans=spans,
            )
        )

    def extra(self, name: str, type_name: str, path: DocPath, module: Module) -> None:
        self.layers.append(LayerSpec(name=name, type=type_name, span=self.span(path), module=module))


def highway_lstm_module(node_type: str, node: dict[str, Any], input_size: int, hidden: int, layers: int) -> Fixed:
    """The parameters of AllenNLP's highway LSTMs (augmented_lstm.py, AugmentedLSTMCell.__init__)."""
    highway = node.get("use_highway", True) is not False
    bidirectional = node_type == "stacked_bidirectional_lstm"
    # StackedBidirectionalLstm builds its layers with use_input_projection_bias=False.
    input_bias = not bidirectional and node.get("use_input_projection_bias", True) is not False
    gates_in, gates_state = (6, 5) if highway else (4, 4)
    directions = 2 if bidirectional else 1
    total = 0
    terms: list[str] = []
    width = input_size
    for _ in range(layers):
        per_direction = gates_in * hidden * width + (gates_in * hidden if input_bias else 0)
        per_direction += gates_state * hidden * (hidden + 1)
        total += directions * per_direction
        bias_text = f"+{gates_in}x{hidden}" if input_bias else ""
        term = f"{gates_in}x{hidden}x{width}{bias_text} + {gates_state}x{hidden}x({hidden}+1)"
        terms.append(f"{directions}x[{term}]" if directions > 1 else term)
        width = hidden * directions
    # Identical layers (every one after the first) are written once with their count.
    groups: list[tuple[str, int]] = []
    for term in terms:
        if groups and groups[-1][0] == term:
            groups[-1] = (term, groups[-1][1] + 1)
        else:
            groups.append((term, 1))
    formula = " + ".join(f"{n} x ({t})" if n > 1 else f"({t})" for t, n in groups) if layers > 1 else terms[0]
    return Fixed(total, f"{formula} = {counting.fmt(total)}", width, recurrent=True)


def _embedder_output(embedder: Any) -> int | None:
    """Output size of a BasicTextFieldEmbedder made only of plain embeddings."""
    if not isinstance(embedder, dict):
        return None
    token_embedders = embedder.get("token_embedders", embedder)
    if not isinstance(token_embedders, dict) or not token_embedders:
        return None
    total = 0
    for value in token_embedders.values():
        if not isinstance(value, dict) or value.get("type", "embedding") != "embedding":
            return None
        size = as_int(value.get("projection_dim")) or as_int(value.get("embedding_dim"))
        if size is None:
            return None
        total += size
    return total


def _seq2seq(builder: _Builder, model: dict[str, Any], encoder: Recurrent | None) -> None:
    model_type = model.get("type")
    path: DocPath = ("model",)
    enc_out = counting.recurrent_output_size(encoder) if encoder is not None else None
    if enc_out is None:
        builder.extra(
            "decoder",
            "lstm_cell",
            path,
            Unknown(f"{model_type} decoder", "its sizes follow the encoder, which is not an lstm/gru/rnn here"),
        )
        return
    target_dim = as_int(model.get("target_embedding_dim"))
    if model_type == "simple_seq2seq":
        if target_dim is None:
            target_dim = _embedder_output(model.get("source_embedder"))
            if target_dim is not None:
                builder.assumptions.append(
                    Assumption(
                        f"decoder: target_embedding_dim is not stated; SimpleSeq2Seq uses the source embedder's "
                        f'output, {target_dim}; add "target_embedding_dim" to state it',
                        builder.span(path),
                    )
                )
        if target_dim is None:
            unknown = Unknown("simple_seq2seq decoder", "target_embedding_dim unknown")
            builder.extra("decoder", "lstm_cell", path, unknown)
            return
        input_size = target_dim + (enc_out if model.get("attention") else 0)
        layers = as_int(model.get("target_decoder_layers")) or 1
        cell = layers == 1
        builder.extra(
            "decoder",
            "lstm_cell" if cell else "lstm",
            path,
            Recurrent("lstm", enc_out, input_size, num_layers=layers, cell=cell),
        )
        return
    # copynet_seq2seq
    if target_dim is None:
        builder.extra("decoder", "lstm_cell", path, Unknown("copynet_seq2seq decoder", "target_embedding_dim unknown"))
        return
    builder.extra("decoder_input_projection", "linear", path, Linear(target_dim + 2 * enc_out, enc_out))
    builder.extra("decoder", "lstm_cell", path, Recurrent("lstm", enc_out, enc_out, cell=True))
    builder.extra("copy_projection", "linear", path, Linear(enc_out, enc_out))


def _dicts(node: Any, path: DocPath) -> list[tuple[DocPath, dict[str, Any]]]:
    """Every object under ``node`` (typed or not), in file order, outside the skipped subtrees."""
    found: list[tuple[DocPath, dict[str, Any]]] = []
    if isinstance(node, dict):
        found.append((path, node))
        for key, value in node.items():
            if key not in SKIPPED_KEYS:
                found.extend(_dicts(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_dicts(value, (*path, index)))
    return found


def _feedforward_like(node: dict[str, Any]) -> bool:
    """An allennlp.modules.FeedForward written without a type (it is FromParams, not Registrable)."""
    return "type" not in node and {"input_dim", "num_layers", "hidden_dims", "activations"} <= node.keys()


def _embedding_like(node: dict[str, Any], path: DocPath) -> bool:
    """An Embedding token embedder / ``*_embedding`` argument: ``"type": "embedding"`` or no type at all."""
    if node.get("type", "embedding") != "embedding" or "embedding_dim" not in node:
        return False
    return "type" in node or str(path[-1]).endswith("embedding") or path[-2:-1] == ("token_embedders",)


def _feedforward(node: dict[str, Any]) -> Module:
    """allennlp/modules/feedforward.py FeedForward: num_layers Linear layers (bias), input_dim -> hidden_dims."""
    input_dim = as_int(node.get("input_dim"))
    layers = as_int(node.get("num_layers"))
    hidden = node.get("hidden_dims")
    dims = [hidden] * layers if layers is not None and not isinstance(hidden, list) else hidden
    if input_dim is None or layers is None or not isinstance(dims, list) or len(dims) != layers:
        return Unknown("feedforward", "input_dim / num_layers / hidden_dims are not numbers that agree")
    sizes = [as_int(d) for d in dims]
    if None in sizes or not sizes:
        return Unknown("feedforward", "hidden_dims are not numbers")
    parts: list[Module] = []
    width = input_dim
    for size in cast(list[int], sizes):
        parts.append(Linear(width, size))
        width = size
    return parts[0] if len(parts) == 1 else Composite(tuple(parts), output_size=width)


def _cnn_encoder(node: dict[str, Any]) -> Module:
    """seq2vec_encoders/cnn_encoder.py CnnEncoder: Conv1d(embedding_dim, num_filters, n) per n-gram, [Linear]."""
    dim = as_int(node.get("embedding_dim"))
    filters = as_int(node.get("num_filters"))
    ngrams = node.get("ngram_filter_sizes", [2, 3, 4, 5])
    sizes = [as_int(n) for n in ngrams] if isinstance(ngrams, list) else [None]
    if dim is None or filters is None or None in sizes:
        return Unknown("cnn", "embedding_dim / num_filters / ngram_filter_sizes are not numbers")
    kernels = cast(list[int], sizes)
    convs = sum(filters * dim * n + filters for n in kernels)
    terms = " + ".join(f"{filters}x{dim}x{n}+{filters}" for n in kernels)
    parts: list[Module] = [Fixed(convs, f"Conv1d {terms} = {counting.fmt(convs)}", filters * len(kernels))]
    output = as_int(node.get("output_dim"))
    if output:
        parts.append(Linear(filters * len(kernels), output))
    return parts[0] if len(parts) == 1 else Composite(tuple(parts), output_size=output)


def _combined_dim(combination: Any, first: int, second: int) -> int | None:
    """allennlp/nn/util.py get_combined_dim: x -> first, y -> second, x*y / x+y / x-y / x/y -> their (equal) size."""
    if not isinstance(combination, str):
        return None
    total = 0
    for term in combination.split(","):
        if term == "x":
            total += first
        elif term == "y":
            total += second
        elif len(term) == 3 and term[1] in "*+-/" and first == second:
            total += first
        else:
            return None
    return total


def _attention(node: dict[str, Any]) -> Module | None:
    """Attention / MatrixAttention of registered type linear or bilinear whose sizes the object states."""
    if node.get("type") == "linear":
        # linear_(matrix_)attention.py: a weight vector over the combined dims and a scalar bias.
        first, second = as_int(node.get("tensor_1_dim")), as_int(node.get("tensor_2_dim"))
        if first is None or second is None:
            return None
        combined = _combined_dim(node.get("combination", "x,y"), first, second)
        if combined is None:
            return None
        return Fixed(combined + 1, f"LinearMatrixAttention {combined} + 1 = {counting.fmt(combined + 1)}")
    if "matrix_1_dim" in node:
        # bilinear_matrix_attention.py: weight (label_dim x) (m1 [+1]) x (m2 [+1]) and a scalar bias.
        first, second = as_int(node.get("matrix_1_dim")), as_int(node.get("matrix_2_dim"))
        labels = as_int(node.get("label_dim", 1))
        if first is None or second is None or labels is None:
            return None
        extra = 1 if node.get("use_input_biases") is True else 0
        params = labels * (first + extra) * (second + extra) + 1
        return Fixed(params, f"BilinearMatrixAttention {labels}x{first + extra}x{second + extra} + 1 = {params:,}")
    first, second = as_int(node.get("vector_dim")), as_int(node.get("matrix_dim"))
    if first is None or second is None:
        return None
    # bilinear_attention.py: weight vector_dim x matrix_dim and a scalar bias.
    return Fixed(first * second + 1, f"BilinearAttention {first}x{second} + 1 = {first * second + 1:,}")


def _token_embedder_dim(node: Any) -> int | None:
    """The output width of one token embedder (embedding or character_encoding with a sized encoder)."""
    if not isinstance(node, dict):
        return None
    kind = node.get("type", "embedding")
    if kind == "embedding":
        return as_int(node.get("projection_dim")) or as_int(node.get("embedding_dim"))
    if kind == "character_encoding":
        encoder = node.get("encoder")
        if not isinstance(encoder, dict):
            return None
        if encoder.get("type") == "cnn":
            return counting.count(_cnn_encoder(encoder)).output_size
        if encoder.get("type") in RECURRENT_TYPES and as_int(encoder.get("hidden_size")):
            return cast(int, encoder["hidden_size"]) * (2 if encoder.get("bidirectional") is True else 1)
    return None


def _text_embedder_dim(embedder: Any) -> int | None:
    """BasicTextFieldEmbedder.get_output_dim: the sum of its token embedders' widths."""
    if not isinstance(embedder, dict):
        return None
    token_embedders = embedder.get("token_embedders", embedder)
    if not isinstance(token_embedders, dict) or not token_embedders:
        return None
    widths = [_token_embedder_dim(v) for v in token_embedders.values()]
    return None if None in widths else sum(cast(list[int], widths))


def _bidaf(
    builder: _Builder, model: dict[str, Any], layers: tuple[LayerSpec, ...], omitted: list[Omission], span: Span
) -> tuple[LayerSpec, ...]:
    """allennlp-models rc/models/bidaf.py, BidirectionalAttentionFlow.__init__: Highway(embedder width,
    num_highway_layers) and the span start / end predictors Linear(4 x phrase + modeling / span_end, 1)."""
    found: list[LayerSpec] = []
    width = _text_embedder_dim(model.get("text_field_embedder"))
    highways = as_int(model.get("num_highway_layers"))
    if width is not None and highways is not None:
        params = highways * (width * 2 * width + 2 * width)
        formula = f"Highway {highways} x [{width}x{2 * width} + {2 * width}] = {counting.fmt(params)}"
        found.append(LayerSpec("highway_layer", "highway", span, Fixed(params, formula, width)))
    else:
        message = "highway_layer: the text field embedder's width or num_highway_layers is not known"
        omitted.append(Omission(message, span))
    outputs = {layer.name: counting.count(layer.module).output_size for layer in layers}
    phrase, modeling, end = (outputs.get(k) for k in ("phrase_layer", "modeling_layer", "span_end_encoder"))
    if phrase is not None and modeling is not None and end is not None:
        found.append(LayerSpec("span_start_predictor", "linear", span, Linear(4 * phrase + modeling, 1)))
        found.append(LayerSpec("span_end_predictor", "linear", span, Linear(4 * phrase + end, 1)))
    else:
        omitted.append(Omission("the span start / end predictors: their encoders' widths are not known", span))
    return tuple(found)


def _no_own_layers(
    builder: _Builder, model: dict[str, Any], layers: tuple[LayerSpec, ...], omitted: list[Omission], span: Span
) -> tuple[LayerSpec, ...]:
    """Models whose every layer is a config object (allennlp-models pair_classification/models/esim.py)."""
    return ()


def _encoder_output(layers: tuple[LayerSpec, ...]) -> int | None:
    for layer in layers:
        if layer.name == "encoder":
            return counting.count(layer.module).output_size
    return None


def _biaffine_parser(
    builder: _Builder, model: dict[str, Any], layers: tuple[LayerSpec, ...], omitted: list[Omission], span: Span
) -> tuple[LayerSpec, ...]:
    """allennlp-models biaffine_dependency_parser.py, BiaffineDependencyParser.__init__: head/child arc and
    tag FeedForwards (the child is a deep copy of the head), BilinearMatrixAttention(arc, arc, use_input_biases)
    and a head sentinel of the encoder's width; tag_bilinear is sized by the head_tags vocabulary."""
    encoder = _encoder_output(layers)
    arc = as_int(model.get("arc_representation_dim"))
    tag = as_int(model.get("tag_representation_dim"))
    found: list[LayerSpec] = []

    def head(kind: str, dim: int | None) -> None:
        stated = model.get(f"{kind}_feedforward")
        if isinstance(stated, dict) and _feedforward_like(stated):
            module = _feedforward(stated)  # listed once as written; the child is its copy
            found.append(LayerSpec(f"child_{kind}_feedforward", "feedforward", builder.span(("model",)), module))
        elif encoder is not None and dim is not None:
            for side in ("head", "child"):
                spec = LayerSpec(f"{side}_{kind}_feedforward", "feedforward", span, Linear(encoder, dim))
                found.append(spec)
        else:
            omitted.append(Omission(f"the {kind} feedforwards are not counted (the encoder's width is unknown)", span))

    head("arc", arc)
    head("tag", tag)
    if arc is not None:
        params = (arc + 1) * (arc + 1) + 1
        formula = f"BilinearMatrixAttention ({arc}+1)x({arc}+1) + 1 = {counting.fmt(params)}"
        found.append(LayerSpec("arc_attention", "bilinear", span, Fixed(params, formula)))
    if encoder is not None:
        found.append(LayerSpec("head_sentinel", "parameter", span, Fixed(encoder, f"1x1x{encoder}", encoder)))
    omitted.append(Omission(f"tag_bilinear: Bilinear({tag} x {tag} -> the head_tags vocabulary) is not counted", span))
    return tuple(found)


def _srl(
    builder: _Builder, model: dict[str, Any], layers: tuple[LayerSpec, ...], omitted: list[Omission], span: Span
) -> tuple[LayerSpec, ...]:
    """allennlp-models srl.py, SemanticRoleLabeler.__init__: the verb indicator Embedding(2,
    binary_feature_dim); tag_projection_layer is sized by the labels vocabulary."""
    found: list[LayerSpec] = []
    dim = as_int(model.get("binary_feature_dim"))
    if dim is not None:
        found.append(LayerSpec("binary_feature_embedding", "embedding", span, Embedding(2, dim)))
    width = _encoder_output(layers)
    omitted.append(Omission(f"tag_projection_layer: Linear({width} -> the labels vocabulary) is not counted", span))
    return tuple(found)


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    data = doc.data
    model = data["model"]
    builder = _Builder(doc, options)
    omitted: list[Omission] = []
    encoder: Recurrent | None = None
    model_type = model.get("type") if isinstance(model.get("type"), str) else None
    built_types: list[str] = []
    for path, node in _dicts(model, ("model",)):
        if len(path) == 1:
            continue  # the model object itself
        node_type = node.get("type")
        name = ".".join(str(p) for p in path[1:])
        if isinstance(node_type, str):
            built_types.append(node_type)
        if node_type in RECURRENT_TYPES:
            if "hidden_size" in node:
                built = builder.recurrent(path, node)
                if path == ("model", "encoder"):
                    encoder = built
        elif node_type in HIGHWAY_TYPES and "hidden_size" in node:
            builder.highway_lstm(path, node)
        elif node_type in UNREGISTERED_TYPES:
            builder.add(path, node, Unknown(node_type, UNREGISTERED_TYPES[node_type]))
        elif _embedding_like(node, path):
            dim = as_int(node.get("embedding_dim"))
            vocab = as_int(node.get("num_embeddings"))
            if dim is not None and vocab is not None:
                builder.extra(name, "embedding", path, Embedding(vocab, dim))
            else:
                omitted.append(
                    Omission(
                        f"{name}: the embedding ({node.get('embedding_dim')} per entry) has one row per vocabulary "
                        "entry, known only from the data; state num_embeddings to count it",
                        builder.span(path),
                    )
                )
            projection = as_int(node.get("projection_dim"))
            if projection and dim is not None:
                builder.extra(f"{name}.projection", "linear", path, Linear(dim, projection))
        elif _feedforward_like(node):
            builder.extra(name, "feedforward", path, _feedforward(node))
        elif node_type == "cnn":
            builder.extra(name, "cnn", path, _cnn_encoder(node))
        elif node_type in ("linear", "bilinear") and _attention(node) is not None:
            builder.extra(name, f"{node_type}_attention", path, cast(Module, _attention(node)))
        elif isinstance(node_type, str) and node_type not in PARAMETER_FREE_TYPES:
            omitted.append(Omission(f"{name} ({node_type}) is not counted", builder.span(path)))
    if model_type in SEQ2SEQ_MODELS:
        _seq2seq(builder, model, encoder)
    span = doc.locator.key(("model",))
    layers = tuple(builder.layers)
    assumptions = tuple(builder.assumptions)
    if not any(counting.is_recurrent(layer.module) or isinstance(layer.module, Unknown) for layer in layers):
        # No recurrent layer: one note for the whole model (conventions: rnnlint counts recurrent models).
        shown = ", ".join(dict.fromkeys(t for t in built_types if t not in PARAMETER_FREE_TYPES)) or "its layers"
        message = f"the {model_type or 'AllenNLP'} model ({shown}): rnnlint counts recurrent models only"
        layers, assumptions, omitted = (
            (),
            tuple(a for a in assumptions if "extVar" in a.message),
            [Omission(message, span)],
        )
    elif model_type in MODEL_HEADS:
        layers += MODEL_HEADS[model_type](builder, model, layers, omitted, span)
    else:
        omitted.append(
            Omission(
                f"the {model_type or 'AllenNLP'} model's own layers (output and tag projections, attention, "
                "heads sized by the label vocabulary or the encoders) are not counted",
                span,
            )
        )
    return Adapted(
        ModelConfig(
            dialect=NAME,
            framework="pytorch",
            layers=layers,
            span=span,
            name=model_type,
            assumptions=assumptions,
            omitted=tuple(omitted),
        )
    )


MODEL_HEADS.update({"biaffine_parser": _biaffine_parser, "srl": _srl, "bidaf": _bidaf, "esim": _no_own_layers})
