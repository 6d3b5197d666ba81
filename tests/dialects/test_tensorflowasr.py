"""TensorFlowASR: Keras one-bias counts, DeepSpeech2 conv input, RNN-T blocks, prediction nets, Jinja2 templates."""

from __future__ import annotations

from typing import Any

from tests.conftest import CORPUS, needs_corpus

FOLDER = CORPUS / "tensorflowasr"


def _lint(run_cli, *paths) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--isolated", *paths)
    assert result.code in (0, 1), result.err
    files: list[dict[str, Any]] = result.json()["files"]
    return files


def test_prediction_network_is_keras_single_bias(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "config.yml",
        """
        speech_config: {num_feature_bins: 80}
        model_config:
          name: conformer
          encoder_dmodel: 144
          prediction_embed_dim: 320
          prediction_num_rnns: 1
          prediction_rnn_units: 320
          prediction_rnn_type: lstm
          prediction_layer_norm: True
          prediction_projection_units: 0
    """,
    )
    (entry,) = _lint(run_cli, path)
    assert entry["dialect"] == "tensorflowasr" and entry["framework"] == "keras"
    recurrent = [layer for layer in entry["layers"] if layer["recurrent"]]
    assert [layer["params"] for layer in recurrent] == [4 * (320 * 640 + 320)]
    norms = [layer for layer in entry["layers"] if not layer["recurrent"]]
    assert [layer["params"] for layer in norms] == [2 * 320]
    assert entry["complete"] is True


def test_deepspeech2_input_comes_from_the_conv_front_end(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "config.yml",
        """
        speech_config: {num_feature_bins: 80}
        model_config:
          name: deepspeech2
          conv_type: conv2d
          conv_strides: [[2, 2], [1, 2], [1, 2]]
          conv_filters: [32, 32, 96]
          rnn_nlayers: 1
          rnn_type: lstm
          rnn_units: 512
          rnn_bidirectional: False
    """,
    )
    (entry,) = _lint(run_cli, path)
    # 80 bins -> ceil(/2) three times = 10, times 96 filters = 960 features into the LSTM.
    assert entry["layers"][0]["params"] == 4 * (512 * (960 + 512) + 512)


def test_missing_keys_take_defaults_and_say_so(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "config.yml",
        """
        learning_config: {}
        model_config:
          name: conformer
          prediction_rnn_units: 320
    """,
    )
    (entry,) = _lint(run_cli, path)
    notes = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]
    assert any("prediction_embed_dim: not set, TensorFlowASR's default 512" in n for n in notes)
    assert entry["complete"] is False
    recurrent = [layer["params"] for layer in entry["layers"] if layer["recurrent"]]
    assert recurrent == [4 * (320 * (512 + 320) + 320)]


@needs_corpus
def test_rnn_transducer_v1_blocks_and_projected_prediction(run_cli) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _lint(run_cli, FOLDER / "tensorflowasr__TensorFlowASR__examples_rnn_transducer_config.yml")
    by_name = {layer["name"]: layer for layer in entry["layers"]}
    block = lambda i: 4 * (1024 * (i + 1024) + 1024)  # noqa: E731
    # Time reduction x3 before block 0 (80 x 3 = 240), x2 before block 1 (320 x 2), then dmodel 320.
    assert by_name["encoder rnn blocks"]["params"] == block(240) + block(640) + 6 * block(320)
    # Two LSTMs, the second reads the first's 320-unit projection.
    assert by_name["prediction network"]["params"] == 2 * block(320)
    assert by_name["prediction layer norms and projections"]["params"] == 2 * (2 * 1024 + 1024 * 320 + 320)


@needs_corpus
def test_conformer_corpus_row(run_cli) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _lint(run_cli, FOLDER / "tensorflowasr__TensorFlowASR__examples_conformer_config.yml")
    assert [layer["params"] for layer in entry["layers"] if layer["recurrent"]] == [820_480]


@needs_corpus
def test_ctc_model_without_rnn_has_no_layers(run_cli) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _lint(run_cli, FOLDER / "tensorflowasr__TensorFlowASR__examples_jasper_config.yml")
    assert entry["dialect"] == "tensorflowasr" and entry["layers"] == []


@needs_corpus
def test_jinja_template_named_explicitly_is_skipped_with_a_reason(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = FOLDER / "tensorflowasr__TensorFlowASR__examples_models_transducer_rnnt_small.yml.j2"
    result = run_cli("--format", "json", "--isolated", path)
    assert result.code == 0, result.out
    (entry,) = result.json()["files"]
    assert entry["skipped"] is True
    assert entry["skip_reason"] == "Jinja2 template: rnnlint cannot lint it before rendering"
    assert entry["diagnostics"] == []


def test_jinja_inside_a_yml_file_is_a_skip_not_rnn001(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "model.yml",
        """
        model_config:
          name: conformer
          vocab_size: {{decoder_config.vocabsize}}
          filepath: {{modeldir}}/checkpoints
    """,
    )
    result = run_cli("--isolated", path)
    assert result.code == 0
    assert "RNN001" not in result.out
    assert "1 skipped" in result.out


def test_j2_files_are_not_picked_up_from_directories(run_cli, write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    write("configs/model.yml.j2", "model_config:\n  vocab_size: {{v}}\n")
    result = run_cli("--format", "json", "--isolated", tmp_path / "configs")
    assert result.json()["files"] == []


def test_plain_yaml_syntax_errors_stay_rnn001(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("broken.yml", "model_config:\n  name: [conformer\n")
    result = run_cli("--isolated", path)
    assert result.code == 1 and "RNN001" in result.out


def test_detection_needs_a_tensorflowasr_section(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("config.yml", "model_config: {name: conformer, prediction_rnn_units: 320}\n")
    (entry,) = _lint(run_cli, path)
    assert entry["skipped"] is True
