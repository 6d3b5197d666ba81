"""TensorFlowASR: Keras one-bias counts, DeepSpeech2 conv input, RNN-T blocks, prediction nets, Jinja2 templates.

The encoder, front end and joint figures follow TensorFlowASR v1.0.4 (2cb7e90): encoders/conformer.py
(ConformerEncoder, ConformerBlock, FFModule, MHSAModule, ConvModule), layers/subsampling.py
(Conv2dSubsampling, VggSubsampling), layers/multihead_attention.py (MultiHeadAttention,
RelPositionMultiHeadAttention), encoders/contextnet.py (ContextNetEncoder, ConvBlock, SEModule, ConvModule),
ctc/deepspeech2.py (ConvModule, RnnBlock, FcModule), layers/sequence_wise_bn.py, layers/row_conv_1d.py and
transducer/base_transducer.py (TransducerJoint). The corpus totals were also rebuilt layer by layer in
Keras 3.15.1 (jax backend) and match its count_params(): conformer encoder 8,710,848, its joint projections
148,800; contextnet encoder 6,888,392, joint 615,040; DeepSpeech2 conv front end 623,488; the VGG/mha case
below 1,273,008.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from rnnlint.dialects import AdaptOptions, tensorflowasr
from rnnlint.model import ModelConfig
from rnnlint.parse.yaml import parse_yaml
from tests.conftest import CORPUS

FOLDER = CORPUS / "tensorflowasr"
needs_corpus = pytest.mark.skipif(not FOLDER.is_dir(), reason="../shared/corpus is not present")


def _adapt(text: str) -> ModelConfig:
    docs, problems = parse_yaml(text)
    assert not problems and tensorflowasr.detect(docs[0].data)
    model = tensorflowasr.adapt(docs[0], AdaptOptions(path="config.yml")).model
    assert model is not None
    return model


def _by_name(entry: dict[str, Any]) -> dict[str, int | None]:
    return {layer["name"]: layer["params"] for layer in entry["layers"]}


def _conv2d(cin: int, cout: int, kh: int, kw: int) -> int:
    return kh * kw * cin * cout + cout


def _conformer_block(d: int, heads: int, head_size: int, kernel: int, multiplier: int, relative: bool) -> int:
    ff = 2 * d + (d * 4 * d + 4 * d) + (4 * d * d + d)
    mhsa = 2 * d + 4 * heads * d * head_size + d + ((heads * d * head_size + 2 * heads * head_size) if relative else 0)
    inner = d * multiplier
    conv = 2 * d + (d * 2 * d + 2 * d) + (kernel * inner + inner) + 4 * inner + (inner * d + d)
    return 2 * ff + mhsa + conv + 2 * d


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
    assert _by_name(entry)["prediction layer norms and projections"] == 2 * 320
    # The Conformer model requires encoder_subsampling: without it the encoder cannot be counted.
    assert _by_name(entry)["encoder"] is None
    assert "RNN205" in {d["code"] for d in entry["diagnostics"]}
    assert entry["complete"] is False


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
    assert _by_name(entry)["rnn_module"] == 4 * (512 * (960 + 512) + 512)


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
    layers = _by_name(entry)
    # Conv2dSubsampling(144, 3, 2) on 80 bins x 1 channel: 2 convs, then 20 x 144 = 2,880 into Dense(144).
    subsampling = _conv2d(1, 144, 3, 3) + _conv2d(144, 144, 3, 3)
    linear = 2880 * 144 + 144
    assert layers["encoder"] == subsampling + linear + 16 * _conformer_block(144, 4, 36, 32, 1, True) == 8_710_848
    # Dense(joint_dim 320) of the 144-wide encoder output; Dense(320, no bias) of the 320-unit prediction output.
    assert layers["joint network projections"] == (144 * 320 + 320) + 320 * 320 == 148_800
    # The embedding and the joint's vocabulary layer are left out: the total is not the whole model.
    assert entry["complete"] is False


def test_conformer_vgg_subsampling_plain_attention_and_depth_multiplier(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "config.yml",
        """
        speech_config: {num_feature_bins: 80}
        model_config:
          name: conformer
          encoder_subsampling: {type: vgg, filters: [32, 64], kernel_size: 3, strides: 2}
          encoder_positional_encoding: sinusoid
          encoder_dmodel: 144
          encoder_num_blocks: 2
          encoder_head_size: 36
          encoder_num_heads: 4
          encoder_mha_type: mha
          encoder_kernel_size: 32
          encoder_depth_multiplier: 2
          prediction_embed_dim: 32
          prediction_num_rnns: 1
          prediction_rnn_units: 16
          prediction_rnn_type: gru
          prediction_layer_norm: False
          prediction_projection_units: 0
          joint_dim: 8
          prejoint_linear: True
          postjoint_linear: True
          joint_mode: concat
    """,
    )
    (entry,) = _lint(run_cli, path)
    layers = _by_name(entry)
    vgg = _conv2d(1, 32, 3, 3) + _conv2d(32, 32, 3, 3) + _conv2d(32, 64, 3, 3) + _conv2d(64, 64, 3, 3)
    width = math.ceil(math.ceil(80 / 2) / 2) * 64  # two same-padded max pools of 2
    expected = vgg + (width * 144 + 144) + 2 * _conformer_block(144, 4, 36, 32, 2, False)
    assert layers["encoder"] == expected == 1_273_008
    # Keras GRU keeps two bias vectors (reset_after=True).
    assert layers["prediction network"] == 3 * (16 * (32 + 16) + 2 * 16)
    # enc -> 8, pred -> 8 (no bias), then concat (16) -> Dense(8).
    assert layers["joint network projections"] == (144 * 8 + 8) + 16 * 8 + (16 * 8 + 8)


@needs_corpus
def test_contextnet_corpus_row(run_cli) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _lint(run_cli, FOLDER / "tensorflowasr__TensorFlowASR__examples_contextnet_config.yml")
    layers = _by_name(entry)
    assert layers["encoder"] == 6_888_392
    # The last block is 640 x alpha 0.5 = 320 wide; the prediction network's LSTM has 640 units.
    assert layers["joint network projections"] == (320 * 640 + 640) + 640 * 640 == 615_040
    assert entry["complete"] is False


def test_contextnet_blocks_from_the_source(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "config.yml",
        """
        speech_config: {num_feature_bins: 4}
        model_config:
          name: contextnet
          encoder_alpha: 0.5
          encoder_blocks:
            - {nlayers: 1, kernel_size: 5, filters: 32, strides: 1, residual: False, activation: silu}
            - {nlayers: 2, kernel_size: 3, filters: 64, strides: 2, residual: True, activation: silu}
          prediction_embed_dim: 8
          prediction_num_rnns: 1
          prediction_rnn_units: 8
          prediction_rnn_type: lstm
          prediction_layer_norm: True
          prediction_projection_units: 0
          joint_dim: 8
          prejoint_linear: True
          postjoint_linear: False
    """,
    )
    (entry,) = _lint(run_cli, path)

    def module(cin: int, f: int, k: int) -> int:  # SeparableConv1D + BatchNormalization (4 x f in Keras)
        return k * cin + cin * f + f + 4 * f

    def se(f: int, k: int) -> int:
        return module(f, f, k) + (f * (f // 8) + f // 8) + ((f // 8) * f + f)

    first = module(4, 16, 5) + se(16, 5)  # 32 x 0.5 = 16 wide, no residual
    second = module(16, 32, 3) + module(32, 32, 3) + se(32, 3) + module(16, 32, 3)  # residual from 16
    assert _by_name(entry)["encoder"] == first + second
    assert _by_name(entry)["joint network projections"] == (32 * 8 + 8) + 8 * 8


@needs_corpus
def test_deepspeech2_corpus_row_counts_the_front_end(run_cli) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _lint(run_cli, FOLDER / "tensorflowasr__TensorFlowASR__examples_deepspeech2_config.yml")
    layers = _by_name(entry)
    # Conv2D [11,41] 1->32, [11,21] 32->32, [11,11] 32->96, each with a BatchNormalization (4 x filters).
    front = (_conv2d(1, 32, 11, 41) + 4 * 32) + (_conv2d(32, 32, 11, 21) + 4 * 32) + (_conv2d(32, 96, 11, 11) + 4 * 96)
    assert layers["conv_module"] == front == 623_488
    # A SequenceBatchNorm (beta, gamma) after each of the 5 bidirectional 512-unit RNNs.
    assert layers["rnn batch norms"] == 5 * 2 * 1024
    assert entry["complete"] is False  # the CTC output layer is vocabulary-sized


def test_deepspeech2_rowconv_and_fully_connected_layers(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "config.yml",
        """
        speech_config: {num_feature_bins: 8}
        model_config:
          name: deepspeech2
          conv_type: conv1d
          conv_kernels: [3]
          conv_strides: [1]
          conv_filters: [16]
          rnn_nlayers: 2
          rnn_type: gru
          rnn_units: 64
          rnn_bidirectional: False
          rnn_rowconv: 2
          fc_nlayers: 1
          fc_units: 32
    """,
    )
    (entry,) = _lint(run_cli, path)
    layers = _by_name(entry)
    assert layers["conv_module"] == (3 * 8 * 16 + 16) + 4 * 16  # conv1d reads the 8 bins x 1 channel
    assert layers["rnn_module"] == 3 * (64 * (16 + 64) + 2 * 64) + 3 * (64 * (64 + 64) + 2 * 64)
    # SequenceBatchNorm per RNN, and a RowConv1D (future context 2: kernel 5, the whole kernel is a weight).
    assert layers["rnn batch norms"] == 2 * 2 * 64 + 2 * (5 * 64 * 64 + 64)
    assert layers["fc_module"] == (64 * 32 + 32) + 4 * 32


def test_omissions_name_the_vocabulary_sized_parts_only(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    model = _adapt(
        """
        speech_config: {num_feature_bins: 80}
        model_config:
          name: rnn_transducer
          encoder_dmodel: 32
          encoder_nlayers: 1
          encoder_rnn_type: lstm
          encoder_rnn_units: 16
          encoder_layer_norm: True
          encoder_reductions: {0: 2}
          prediction_embed_dim: 8
          prediction_num_rnns: 1
          prediction_rnn_units: 16
          prediction_rnn_type: lstm
          prediction_layer_norm: True
          prediction_projection_units: 8
          joint_dim: 8
          prejoint_linear: True
          postjoint_linear: False
        """
    )
    messages = [o.message for o in model.omitted]
    assert len(messages) == 2
    assert messages[0].startswith("the prediction network's embedding is not counted (vocabulary x ")
    assert messages[1].startswith("the joint network's output layer is not counted (joint width x vocabulary")
    # The joint's input projections have fixed sizes: counted, never blamed on the vocabulary.
    assert [layer.name for layer in model.layers][-1] == "joint network projections"
    assert not [a for a in model.assumptions if "joint_mode" in a.message]  # it changes no count here


@needs_corpus
def test_ctc_model_without_rnn_has_no_layers(run_cli) -> None:  # type: ignore[no-untyped-def]
    model = _adapt("speech_config: {num_feature_bins: 80}\nmodel_config: {name: jasper, dense: true}\n")
    assert model.layers == ()
    assert [o.message for o in model.omitted] == [
        "the Jasper model (its convolution blocks and CTC output layer) is not counted"
    ]


@needs_corpus
def test_jasper_corpus_row_is_not_complete(run_cli) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _lint(run_cli, FOLDER / "tensorflowasr__TensorFlowASR__examples_jasper_config.yml")
    assert entry["dialect"] == "tensorflowasr" and entry["layers"] == []
    assert entry["complete"] is False


def test_unknown_model_class_is_cannot_count(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "config.yml",
        """
        speech_config: {num_feature_bins: 80}
        model_config:
          name: streaming_transducer
          prediction_embed_dim: 8
          prediction_num_rnns: 1
          prediction_rnn_units: 16
          prediction_rnn_type: lstm
          prediction_layer_norm: False
          prediction_projection_units: 0
          joint_dim: 8
          prejoint_linear: True
          postjoint_linear: False
    """,
    )
    (entry,) = _lint(run_cli, path)
    assert _by_name(entry)["encoder"] is None
    warnings = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN205"]
    assert any("streaming_transducer" in w for w in warnings)
    assert _by_name(entry)["joint network projections"] is None  # its encoder width is unknown


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
