"""AllenNLP JSON / Jsonnet through the real CLI, including Jsonnet evaluation and its sandbox."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from rnnlint.dialects import allennlp
from rnnlint.parse.jsonnet import JsonnetLocator, project_root
from tests.conftest import CORPUS, REPO

HAS_JSONNET = importlib.util.find_spec("_jsonnet") is not None
needs_jsonnet = pytest.mark.skipif(not HAS_JSONNET, reason="the jsonnet extra is not installed")


def _file(data: dict[str, Any]) -> dict[str, Any]:
    files = [f for f in data["files"] if not f["skipped"]]
    assert len(files) == 1, data
    return files[0]


def _codes(entry: dict[str, Any]) -> list[str]:
    return [d["code"] for d in entry["diagnostics"]]


BIDAF_JSON = """
{
  "dataset_reader": {"type": "squad"},
  "train_data_path": "train.json",
  "model": {
    "type": "bidaf",
    "phrase_layer": {
      "type": "lstm",
      "bidirectional": true,
      "input_size": 200,
      "hidden_size": 100,
      "num_layers": 1
    },
    "modeling_layer": {"type": "gru", "input_size": 800, "hidden_size": 100, "num_layers": 2, "dropout": 0.2}
  }
}
"""


def test_json_encoders_counted_with_positions(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("bidaf.json", BIDAF_JSON)
    entry = _file(run_cli("--format", "json", path).json())
    assert entry["dialect"] == "allennlp"
    layers = {layer["name"]: layer for layer in entry["layers"]}
    # 2 x 4 x [100 x (200 + 100) + 2 x 100]
    assert layers["phrase_layer"]["params"] == 241_600
    assert (layers["phrase_layer"]["line"], layers["phrase_layer"]["column"]) == (6, 21)
    # GRU, unidirectional: 3 x [100 x 900 + 200] + 3 x [100 x 200 + 200]
    assert layers["modeling_layer"]["params"] == 270_600 + 60_600
    # the model's own layers (span heads, similarity) are built too: the total is a lower bound
    assert entry["complete"] is False and entry["total_params"] is None
    assert entry["counted_params"] == 241_600 + 331_200
    # BiDAF's highway and span predictors follow the embedder and the span end encoder, not given here
    omitted = [o["message"].split(":")[0] for o in entry["omitted"]]
    assert omitted == ["highway_layer", "the span start / end predictors"]


def test_highway_lstms_are_counted_with_their_gate_layout(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "srl.json",
        """
        {"trainer": {}, "model": {"type": "srl",
          "encoder": {"type": "alternating_lstm", "input_size": 200, "hidden_size": 300, "num_layers": 8,
                      "recurrent_dropout_probability": 0.1, "use_highway": true},
          "parser": {"type": "stacked_bidirectional_lstm", "input_size": 200, "hidden_size": 400,
                     "num_layers": 3, "recurrent_dropout_probability": 0.3},
          "plain": {"type": "augmented_lstm", "input_size": 10, "hidden_size": 4, "use_highway": false,
                    "use_input_projection_bias": false, "dropout": 0.5},
          "typo": {"type": "stacked_alternating_lstm", "input_size": 10, "hidden_size": 4, "num_layers": 2}}}
        """,
    )
    entry = _file(run_cli("--format", "json", path).json())
    layers = {layer["name"]: layer for layer in entry["layers"]}
    # input Linear(i, 6h) with bias, state Linear(h, 5h) with bias; layers after the first read h
    assert layers["encoder"]["params"] == (6 * 300 * 200 + 6 * 300 + 5 * 300 * 301) + 7 * (
        6 * 300 * 300 + 6 * 300 + 5 * 300 * 301
    )
    assert layers["encoder"]["params"] == 7_766_400  # the corpus srl.jsonnet, as allennlp 2.10.1 builds it
    # two directions, input projections without bias, layers after the first read 2h
    assert layers["parser"]["params"] == 13_452_000
    assert "2 x (2x[6x400x800 + 5x400x(400+1)])" in layers["parser"]["formula"]
    # no highway: a plain 4-gate layout, and no input bias here
    assert layers["plain"]["params"] == 4 * 4 * 10 + 4 * 4 * 5
    assert all(layers[n]["recurrent"] for n in ("encoder", "parser", "plain"))
    codes = _codes(entry)
    # only the unregistered name cannot be counted; the highway LSTMs take no `dropout` (no RNN203)
    assert codes.count("RNN205") == 1 and "RNN203" not in codes
    assert layers["typo"]["params"] is None


def test_feedforward_cnn_and_vocabulary_sized_parts(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "tagger.json",
        """
        {"trainer": {}, "model": {"type": "crf_tagger",
          "text_field_embedder": {"token_embedders": {
            "tokens": {"type": "embedding", "embedding_dim": 50},
            "token_characters": {"type": "character_encoding",
              "embedding": {"embedding_dim": 16, "num_embeddings": 262},
              "encoder": {"type": "cnn", "embedding_dim": 16, "num_filters": 128, "ngram_filter_sizes": [3, 5],
                          "output_dim": 64}}}},
          "encoder": {"type": "lstm", "input_size": 114, "hidden_size": 20, "num_layers": 2, "dropout": 0.2},
          "feedforward": {"input_dim": 40, "num_layers": 2, "hidden_dims": [30, 10], "activations": "relu"},
          "attention": {"type": "dot_product"},
          "span_extractor": {"type": "bidirectional_endpoint", "input_dim": 40}}}
        """,
    )
    entry = _file(run_cli("--format", "json", path).json())
    layers = {layer["name"]: layer["params"] for layer in entry["layers"]}
    assert layers["text_field_embedder.token_embedders.token_characters.embedding"] == 262 * 16
    # Conv1d(16, 128, 3) + Conv1d(16, 128, 5) + Linear(256 -> 64)
    assert layers["text_field_embedder.token_embedders.token_characters.encoder"] == (
        128 * 16 * 3 + 128 + 128 * 16 * 5 + 128 + 256 * 64 + 64
    )
    assert layers["feedforward"] == 40 * 30 + 30 + 30 * 10 + 10
    omitted = [o["message"] for o in entry["omitted"]]
    assert len(omitted) == 3
    assert omitted[0].startswith("text_field_embedder.token_embedders.tokens: the embedding (50 per entry)")
    assert omitted[1] == "span_extractor (bidirectional_endpoint) is not counted"
    assert omitted[2].startswith("the crf_tagger model's own layers")
    assert entry["total_params"] is None and entry["complete"] is False
    assert entry["counted_params"] == sum(layers.values())
    notes = [d for d in entry["diagnostics"] if d["code"] == "RNN106"]
    assert sorted(n["line"] for n in notes) == [1, 3, 11]


def test_model_without_recurrent_layers_is_one_omission(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "qa.json",
        """
        {"trainer": {}, "model": {"type": "basic_classifier",
          "text_field_embedder": {"token_embedders": {"tokens": {"type": "pretrained_transformer",
                                                                 "model_name": "roberta-base"}}},
          "seq2vec_encoder": {"type": "cnn", "embedding_dim": 768, "num_filters": 4},
          "feedforward": {"input_dim": 16, "num_layers": 1, "hidden_dims": 8, "activations": "relu"}}}
        """,
    )
    entry = _file(run_cli("--format", "json", path).json())
    assert entry["layers"] == []
    assert [o["message"] for o in entry["omitted"]] == [
        "the basic_classifier model (pretrained_transformer, cnn): rnnlint counts recurrent models only"
    ]
    assert entry["total_params"] is None and entry["complete"] is False
    assert _codes(entry) == []


def test_golden_fixtures_match_allennlp(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases = json.loads((REPO / "tests" / "fixtures" / "allennlp_cases.json").read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 10
    mismatches = []
    for case in cases:
        path = tmp_path / f"{case['name']}.json"
        path.write_text(json.dumps({"trainer": {}, "model": {"type": "fixture", **case["objects"]}}), encoding="utf-8")
        layers = _file(run_cli("--format", "json", path).json())["layers"]
        for key, expected in case["params"].items():
            # an embedding's projection is listed as its own Linear, "<key>.projection"
            got = [layer["params"] for layer in layers if layer["name"] in (key, f"{key}.projection")]
            if not got or None in got or sum(got) != expected:
                mismatches.append((case["name"], key, expected, got))
    assert not mismatches


def test_model_heads_match_allennlp_models(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """biaffine_parser and srl heads sized by the file, as allennlp-models 2.10.1 builds them."""
    fixture = json.loads((REPO / "tests" / "fixtures" / "allennlp_cases.json").read_text(encoding="utf-8"))
    for case in fixture["models"]:
        path = tmp_path / f"{case['name']}.json"
        path.write_text(json.dumps({"trainer": {}, "model": case["model"]}), encoding="utf-8")
        entry = _file(run_cli("--format", "json", path).json())
        layers = {layer["name"]: layer["params"] for layer in entry["layers"]}
        assert layers == case["params"], case["name"]
        # what the vocabulary sizes is named, so the total is a lower bound
        omitted = " ".join(o["message"] for o in entry["omitted"])
        for part in case["vocabulary_sized"]:
            assert part.split("_embedding")[0].replace("text_field_embedder", "token_embedders.tokens") in omitted
        assert entry["total_params"] is None and entry["counted_params"] == sum(case["params"].values())


def test_missing_input_size_is_a_note_and_override_fills_it(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("enc.json", '{"trainer": {}, "model": {"type": "x", "encoder": {"type": "lstm", "hidden_size": 8}}}')
    entry = _file(run_cli("--format", "json", path).json())
    assert "RNN104" in _codes(entry)
    assert entry["layers"][0]["params"] is None
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.rnnlint.overrides]]\nfiles = ["enc.json"]\ninput_size = 4\n', encoding="utf-8"
    )
    entry = _file(run_cli("--format", "json", path).json())
    assert entry["layers"][0]["params"] == 4 * (8 * (4 + 8) + 2 * 8)


def test_simple_seq2seq_decoder_follows_the_encoder(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "s2s.json",
        """
        {"trainer": {}, "model": {"type": "simple_seq2seq", "target_embedding_dim": 30,
          "attention": {"type": "dot_product"},
          "encoder": {"type": "lstm", "input_size": 47, "hidden_size": 10, "num_layers": 1}}}
        """,
    )
    layers = {layer["name"]: layer for layer in _file(run_cli("--format", "json", path).json())["layers"]}
    # LSTMCell(30 + 10 attention, 10)
    assert layers["decoder"]["params"] == 4 * (10 * (40 + 10) + 2 * 10)
    assert layers["decoder"]["type"] == "lstm_cell"


def test_copynet_decoder_and_projections(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "copy.json",
        """
        {"trainer": {}, "model": {"type": "copynet_seq2seq", "target_embedding_dim": 10,
          "encoder": {"type": "lstm", "input_size": 25, "hidden_size": 10, "bidirectional": true}}}
        """,
    )
    layers = {layer["name"]: layer for layer in _file(run_cli("--format", "json", path).json())["layers"]}
    assert layers["decoder"]["params"] == 4 * (20 * (20 + 20) + 2 * 20)
    assert layers["decoder_input_projection"]["params"] == (10 + 2 * 20) * 20 + 20
    assert layers["copy_projection"]["params"] == 20 * 20 + 20


def test_detection_negatives() -> None:
    assert not allennlp.detect({"model": {"layers": []}})
    assert not allennlp.detect({"model": {"_target_": "x", "encoder": {"type": "lstm"}}})
    # JoeyNMT: model.encoder.type recurrent, no AllenNLP experiment keys
    assert not allennlp.detect({"training": {}, "model": {"encoder": {"type": "recurrent", "hidden_size": 64}}})
    assert not allennlp.detect(["model"])


# --------------------------------------------------------------------------- Jsonnet


NER_JSONNET = """// a comment with "encoder": {"type": "gru"}
local hidden = 200;
{
  "train_data_path": std.extVar("NER_TRAIN_DATA_PATH"),
  "model": {
    "type": "crf_tagger",
    "text_field_embedder": {"token_embedders": {"token_characters": {
        "encoder": {"type": "cnn", "embedding_dim": 16}}}},
    "encoder": {
        "type": "lstm",
        "input_size": 50 + 128,
        "hidden_size": hidden,
        "num_layers": 2,
        "bidirectional": true
    },
  },
  "trainer": {"num_epochs": 1},
}
"""


@needs_jsonnet
def test_jsonnet_evaluates_arithmetic_and_points_into_the_source(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("ner.jsonnet", NER_JSONNET)
    entry = _file(run_cli("--format", "json", path).json())
    layer, char_cnn = entry["layers"]
    assert layer["params"] == 1_571_200
    # the character CNN states no num_filters: AllenNLP could not build it, rnnlint cannot count it
    assert char_cnn["params"] is None and "RNN205" in _codes(entry)
    # the model's encoder, not the comment's nor the character encoder's
    assert (layer["line"], layer["column"]) == (9, 16)
    notes = [d for d in entry["diagnostics"] if d["code"] == "RNN104"]
    assert len(notes) == 1 and "NER_TRAIN_DATA_PATH" in notes[0]["message"]
    assert (notes[0]["line"], notes[0]["column"]) == (4, 22)


@needs_jsonnet
def test_jsonnet_import_relative_to_the_file_and_libsonnet_not_linted_alone(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    write("configs/common/base.libsonnet", '{"trainer": {}, "model": {"type": "fraud", "dropout": 0.5}}')
    write(
        "configs/lstm.jsonnet",
        """
        local base = import 'common/base.libsonnet';
        base + {
            "model"+: {
                "encoder": {"type": "lstm", "input_size": 128, "hidden_size": 256, "bidirectional": true},
            },
        }
        """,
    )
    data = run_cli("--format", "json", tmp_path / "configs").json()
    linted = [f for f in data["files"] if not f["skipped"]]
    assert [Path(f["path"]).name for f in linted] == ["lstm.jsonnet"]
    (layer,) = linted[0]["layers"]
    assert layer["params"] == 790_528
    assert (layer["line"], layer["column"]) == (4, 20)
    assert "RNN001" not in _codes(linted[0])


@needs_jsonnet
def test_jsonnet_import_outside_the_project_root_is_refused(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (tmp_path / "secret.libsonnet").write_text('{"model": {"encoder": {"type": "lstm"}}}', encoding="utf-8")
    path = write(
        "project/exp.jsonnet",
        """
        local outside = import '../secret.libsonnet';
        {"trainer": {}, "model": {"type": "x",
          "encoder": {"type": "gru", "input_size": 4, "hidden_size": 4}}, "leak": outside}
        """,
    )
    entry = _file(run_cli("--format", "json", path).json())
    errors = [d for d in entry["diagnostics"] if d["code"] == "RNN001"]
    assert len(errors) == 1
    assert "outside the project root" in errors[0]["message"]
    assert (errors[0]["line"], errors[0]["column"]) == (1, 17)
    # the file's own encoder is still counted
    assert entry["layers"][0]["params"] == 3 * (4 * 8 + 2 * 4)


@needs_jsonnet
def test_jsonnet_missing_import_partial_evaluation(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "exp.jsonnet",
        """
        local COMMON = import 'common.jsonnet';
        {
            "data_loader": COMMON['data_loader'],
            "trainer": COMMON['trainer'],
            "model": {"type": "basic_classifier",
                "seq2seq_encoder": {"type": "lstm", "input_size": 10, "hidden_size": 16}}
        }
        """,
    )
    result = run_cli("--format", "json", path)
    assert result.code == 1 and "Traceback" not in result.err
    entry = _file(result.json())
    (error,) = [d for d in entry["diagnostics"] if d["code"] == "RNN001"]
    assert "cannot import 'common.jsonnet'" in error["message"] and (error["line"], error["column"]) == (1, 16)
    assert entry["layers"][0]["params"] == 1_792


@needs_jsonnet
def test_jsonnet_syntax_error_is_rnn001_with_position(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.jsonnet", '{\n  "model": {"type": \n}\n')
    result = run_cli("--format", "json", path)
    assert result.code == 1 and "Traceback" not in result.err
    entry = result.json()["files"][0]
    (error,) = entry["diagnostics"]
    assert error["code"] == "RNN001" and error["line"] >= 2


def test_without_the_library_one_note(run_cli, write, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from rnnlint.parse import jsonnet

    monkeypatch.setattr(jsonnet, "_load_library", lambda: None)
    path = write("exp.jsonnet", '{"model": {"type": "x"}}')
    result = run_cli("--format", "json", path)
    assert result.code == 0
    entry = result.json()["files"][0]
    (note,) = entry["diagnostics"]
    assert note["code"] == "RNN104" and "rnnlint[jsonnet]" in note["message"]


def test_locator_heuristic_depth_locals_and_lists() -> None:
    text = """local enc = {
  "type": "lstm",
};
{
  model: {
    embedder: {encoder: {type: 'cnn'}},
    encoder: enc,
    stack: [{type: 'gru'}, {type: 'lstm'}],
  },
}
"""
    locator = JsonnetLocator(text)
    # a bare local name continues at the local's definition
    assert locator.value(("model", "encoder")).line == 1
    assert locator.value(("model", "embedder", "encoder")).line == 6
    assert (locator.value(("model", "stack", 1)).line, locator.value(("model", "stack", 1)).column) == (8, 28)
    # keys written nowhere fall back to the nearest written ancestor, then to line 1
    assert locator.value(("model", "from_import")).line == 5
    assert locator.value(("nothing",)).line == 1


def test_project_root(tmp_path: Path) -> None:
    (tmp_path / "repo" / "sub").mkdir(parents=True)
    (tmp_path / "repo" / "pyproject.toml").write_text("", encoding="utf-8")
    assert project_root(str(tmp_path / "repo" / "sub" / "x.jsonnet")) == str(tmp_path / "repo")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
@needs_jsonnet
def test_corpus_fraud_lstm_partial(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = CORPUS / "allennlp" / "allennlp__fraud_detection__configs_lstm.jsonnet"
    entry = _file(run_cli("--format", "json", path).json())
    assert [layer["params"] for layer in entry["layers"]] == [790_528]
    assert entry["layers"][0]["line"] == 5
    assert "RNN001" in _codes(entry)
