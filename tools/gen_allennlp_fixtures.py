"""Generate golden fixtures for the AllenNLP dialect with the real allennlp 2.10.1.

Each case is a set of model-block objects as an experiment file writes them (encoders by their
registered ``type``, FeedForward without one, the ``cnn`` Seq2Vec encoder, token embedders). Every
object is built by allennlp itself through ``from_params`` (``Seq2SeqEncoder`` / ``Seq2VecEncoder``
/ ``TokenEmbedder`` / ``FeedForward``), and ``sum(p.numel())`` is recorded per object.
tests/unit/dialects/test_allennlp.py writes each case into an experiment file, lints it with rnnlint
and compares.

allennlp 2.10.1 pins old dependencies; only ``allennlp.modules`` is used here, so install it with
``pip install --no-deps allennlp==2.10.1 dill`` beside torch==2.13.0 (never the dev virtualenv).
The packages ``import allennlp`` pulls in for other subsystems (transformers, spacy, ...) are
replaced by inert stubs::

    python tools/gen_allennlp_fixtures.py --seed 7 --out tests/fixtures/allennlp_cases.json
"""

from __future__ import annotations

import argparse
import importlib
import importlib.abc
import importlib.machinery
import json
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

STUBBED = {
    "transformers", "spacy", "nltk", "boto3", "botocore", "requests", "cached_path", "filelock", "lmdb",
    "more_itertools", "termcolor", "tqdm", "jsonnet", "_jsonnet", "h5py", "tensorboardX", "sentencepiece",
    "scipy", "sklearn", "base58", "huggingface_hub", "wandb", "fairscale", "google", "traitlets", "typer",
    "torchvision", "datasets", "conllu", "word2number", "py_rouge", "ftfy", "PIL",
}  # fmt: skip


class _Meta(type):
    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Meta(name, (), {})


class _StubModule(ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Meta(name, (), {})


class _Stub(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        top = name.split(".")[0]
        if top in STUBBED and importlib.machinery.PathFinder.find_spec(top) is None:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = _StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: ModuleType) -> None:
        pass


FIXED: list[dict[str, Any]] = [
    {
        "name": "corpus_dependency_parser",  # training_config/structured_prediction/dependency_parser.jsonnet
        "objects": {
            "encoder": {
                "type": "stacked_bidirectional_lstm",
                "input_size": 200,
                "hidden_size": 400,
                "num_layers": 3,
                "recurrent_dropout_probability": 0.3,
                "use_highway": True,
            }
        },
    },
    {
        "name": "corpus_srl",  # training_config/structured_prediction/srl.jsonnet
        "objects": {
            "encoder": {
                "type": "alternating_lstm",
                "input_size": 200,
                "hidden_size": 300,
                "num_layers": 8,
                "recurrent_dropout_probability": 0.1,
                "use_highway": True,
            }
        },
    },
    {
        "name": "feedforward_and_cnn",
        "objects": {
            "projection_feedforward": {"input_dim": 2400, "hidden_dims": 300, "num_layers": 1, "activations": "relu"},
            "output_feedforward": {
                "input_dim": 300,
                "num_layers": 3,
                "hidden_dims": [200, 100, 7],
                "activations": ["relu", "relu", "linear"],
                "dropout": 0.5,
            },
            "char_encoder": {"type": "cnn", "embedding_dim": 16, "num_filters": 100, "ngram_filter_sizes": [5]},
            "seq2vec_encoder": {"type": "cnn", "embedding_dim": 30, "num_filters": 8, "output_dim": 12},
            # rnnlint counts the parts around a recurrent model (a model without one is a single omission)
            "encoder": {"type": "gru", "input_size": 12, "hidden_size": 5, "bidirectional": True},
        },
    },
    {
        "name": "embeddings_with_sizes",
        "objects": {
            "tokens": {"type": "embedding", "embedding_dim": 20, "num_embeddings": 501},
            "projected": {"type": "embedding", "embedding_dim": 20, "num_embeddings": 77, "projection_dim": 6},
            "encoder": {"type": "rnn", "input_size": 26, "hidden_size": 9, "num_layers": 2, "bias": False},
        },
    },
]


def random_cases(rng: random.Random, count: int) -> list[dict[str, Any]]:
    cases = []
    size = lambda: rng.choice([1, 3, 8, 17, 32, 50, 100])  # noqa: E731
    for index in range(count):
        objects: dict[str, Any] = {}
        for slot in ("encoder", "context_layer", "phrase_layer")[: rng.randint(1, 3)]:
            kind = rng.choice(["augmented_lstm", "alternating_lstm", "stacked_bidirectional_lstm", "lstm", "gru"])
            obj: dict[str, Any] = {"type": kind, "input_size": size(), "hidden_size": size()}
            if kind != "augmented_lstm":
                obj["num_layers"] = rng.randint(1, 4)
            if kind in ("augmented_lstm", "alternating_lstm", "stacked_bidirectional_lstm") and rng.random() < 0.5:
                obj["use_highway"] = rng.random() < 0.5
            if kind in ("augmented_lstm", "alternating_lstm") and rng.random() < 0.5:
                obj["use_input_projection_bias"] = rng.random() < 0.5
            if kind in ("lstm", "gru") and rng.random() < 0.5:
                obj["bidirectional"] = True
            objects[slot] = obj
        if rng.random() < 0.5:
            layers = rng.randint(1, 3)
            objects["feedforward"] = {
                "input_dim": size(),
                "num_layers": layers,
                "hidden_dims": [size() for _ in range(layers)] if rng.random() < 0.5 else size(),
                "activations": "relu",
            }
        cases.append({"name": f"random_{index}", "objects": objects})
    return cases


# Whole models (allennlp-models 2.10.1) built with a small vocabulary: the parts rnnlint sizes from the
# file are compared by name; the vocabulary-sized ones (embeddings, tag_bilinear, tag_projection_layer)
# are recorded under "vocabulary_sized" for reference only.
MODELS: list[dict[str, Any]] = [
    {
        "name": "biaffine_parser",  # training_config/structured_prediction/dependency_parser.jsonnet, small
        "model": {
            "type": "biaffine_parser",
            "text_field_embedder": {"token_embedders": {"tokens": {"type": "embedding", "embedding_dim": 10}}},
            "pos_tag_embedding": {"embedding_dim": 4, "vocab_namespace": "pos"},
            "encoder": {"type": "stacked_bidirectional_lstm", "input_size": 14, "hidden_size": 6, "num_layers": 2},
            "arc_representation_dim": 5,
            "tag_representation_dim": 3,
        },
        "counted": ["encoder", "head_arc_feedforward", "child_arc_feedforward", "arc_attention",
                    "head_tag_feedforward", "child_tag_feedforward", "head_sentinel"],
    },
    {
        "name": "biaffine_parser_stated_feedforwards",
        "model": {
            "type": "biaffine_parser",
            "text_field_embedder": {"token_embedders": {"tokens": {"type": "embedding", "embedding_dim": 8}}},
            "encoder": {"type": "lstm", "input_size": 8, "hidden_size": 4, "bidirectional": True},
            "arc_feedforward": {"input_dim": 8, "num_layers": 2, "hidden_dims": [6, 5], "activations": "elu"},
            "arc_representation_dim": 5,
            "tag_representation_dim": 2,
        },
        "counted": ["encoder", "arc_feedforward", "child_arc_feedforward", "arc_attention",
                    "head_tag_feedforward", "child_tag_feedforward", "head_sentinel"],
    },
    {
        "name": "srl",  # training_config/structured_prediction/srl.jsonnet, small
        "model": {
            "type": "srl",
            "text_field_embedder": {"token_embedders": {"tokens": {"type": "embedding", "embedding_dim": 10}}},
            "encoder": {"type": "alternating_lstm", "input_size": 14, "hidden_size": 6, "num_layers": 3},
            "binary_feature_dim": 4,
        },
        "counted": ["encoder", "binary_feature_embedding"],
    },
    {
        "name": "bidaf",  # training_config/rc/bidaf.jsonnet, small
        "model": {
            "type": "bidaf",
            "text_field_embedder": {"token_embedders": {
                "tokens": {"type": "embedding", "embedding_dim": 6},
                "token_characters": {"type": "character_encoding",
                    "embedding": {"num_embeddings": 40, "embedding_dim": 4},
                    "encoder": {"type": "cnn", "embedding_dim": 4, "num_filters": 5, "ngram_filter_sizes": [3]}}}},
            "num_highway_layers": 2,
            "phrase_layer": {"type": "lstm", "bidirectional": True, "input_size": 11, "hidden_size": 3},
            "matrix_attention": {"type": "linear", "combination": "x,y,x*y", "tensor_1_dim": 6, "tensor_2_dim": 6},
            "modeling_layer": {"type": "lstm", "bidirectional": True, "input_size": 24, "hidden_size": 3,
                               "num_layers": 2, "dropout": 0.2},
            "span_end_encoder": {"type": "lstm", "bidirectional": True, "input_size": 42, "hidden_size": 4},
            "dropout": 0.2,
        },
        "counted": ["phrase_layer", "matrix_attention", "modeling_layer", "span_end_encoder", "highway_layer",
                    "span_start_predictor", "span_end_predictor"],
        "embedder": {"text_field_embedder.token_embedders.token_characters.embedding": 160,
                     "text_field_embedder.token_embedders.token_characters.encoder": 65},
    },
    {
        "name": "esim",  # training_config/pair_classification/esim.jsonnet, small
        "model": {
            "type": "esim",
            "text_field_embedder": {"token_embedders": {"tokens": {"type": "embedding", "embedding_dim": 5}}},
            "encoder": {"type": "lstm", "input_size": 5, "hidden_size": 4, "num_layers": 1, "bidirectional": True},
            "matrix_attention": {"type": "dot_product"},
            "projection_feedforward": {"input_dim": 32, "hidden_dims": 6, "num_layers": 1, "activations": "relu"},
            "inference_encoder": {"type": "lstm", "input_size": 6, "hidden_size": 4, "num_layers": 1,
                                  "bidirectional": True},
            "output_feedforward": {"input_dim": 32, "num_layers": 1, "hidden_dims": 7, "activations": "relu"},
            "output_logit": {"input_dim": 7, "num_layers": 1, "hidden_dims": 3, "activations": "linear"},
        },
        "counted": ["encoder", "projection_feedforward", "inference_encoder", "output_feedforward", "output_logit"],
    },
]  # fmt: skip
VOCABULARY = {"tokens": 30, "pos": 7, "head_tags": 5, "labels": 9}


def build_model(case: dict[str, Any]) -> dict[str, Any]:
    # Importing the model packages registers the models.
    for package in ("pair_classification", "rc", "structured_prediction"):
        importlib.import_module(f"allennlp_models.{package}.models")
    from allennlp.common import Params
    from allennlp.data import Vocabulary
    from allennlp.models import Model

    vocab = Vocabulary()
    for namespace, size in VOCABULARY.items():
        vocab.add_tokens_to_namespace([f"{namespace}{i}" for i in range(size)], namespace)
    model = Model.from_params(vocab=vocab, params=Params(json.loads(json.dumps(case["model"]))))
    parts = {name.lstrip("_"): sum(p.numel() for p in child.parameters()) for name, child in model.named_children()}
    parts.update({name.lstrip("_"): p.numel() for name, p in model.named_parameters(recurse=False)})
    # A stated arc_feedforward is the head one (rnnlint lists it under the key the file writes).
    if "arc_feedforward" in case["model"]:
        parts["arc_feedforward"] = parts.pop("head_arc_feedforward")
    counted = {name: parts.pop(name) for name in case["counted"]}
    if "embedder" in case:
        # The embedder's parts that the file sizes (a character embedding with num_embeddings, its CNN).
        embedder = model._text_field_embedder._token_embedders["token_characters"]
        prefix = "text_field_embedder.token_embedders.token_characters"
        measured = {
            f"{prefix}.embedding": embedder._embedding._module.weight.numel(),
            f"{prefix}.encoder": sum(p.numel() for p in embedder._encoder.parameters()),
        }
        assert measured == case.pop("embedder"), measured
        counted.update(measured)
        parts["text_field_embedder"] -= sum(measured.values())
    return {"params": counted, "vocabulary_sized": {k: v for k, v in parts.items() if v}}


def build(obj: dict[str, Any]) -> int:
    from allennlp.common import Params
    from allennlp.modules.feedforward import FeedForward
    from allennlp.modules.seq2seq_encoders import Seq2SeqEncoder
    from allennlp.modules.seq2vec_encoders import Seq2VecEncoder
    from allennlp.modules.token_embedders import TokenEmbedder

    params = Params(json.loads(json.dumps(obj)))
    if "type" not in obj:
        module = FeedForward.from_params(params)
    elif obj["type"] == "cnn":
        module = Seq2VecEncoder.from_params(params)
    elif obj["type"] == "embedding":
        module = TokenEmbedder.from_params(params)
    else:
        module = Seq2SeqEncoder.from_params(params)
    return sum(p.numel() for p in module.parameters())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--random", type=int, default=12)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sys.meta_path.append(_Stub())
    import allennlp.version

    cases = FIXED + random_cases(random.Random(args.seed), args.random)
    for case in cases:
        case["params"] = {key: build(obj) for key, obj in case["objects"].items()}
    models = [{**case, **build_model(case)} for case in MODELS]
    for case in models:
        del case["counted"]
    payload = {"allennlp": allennlp.version.VERSION, "vocabulary": VOCABULARY, "cases": cases, "models": models}
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
