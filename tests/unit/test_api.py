"""The public Python API, used only through the names ``rnnlint`` exports."""

from __future__ import annotations

from pathlib import Path

import pytest

import rnnlint

# 4 x [8x(4+8) + 2x8] = 448 (an LSTM), then Linear(8 -> 3) = 27: 475 parameters in all.
SMALL = (
    "model:\n  input_size: 4\n  layers:\n    - {type: lstm, hidden_size: 8}\n    - {type: linear, out_features: 3}\n"
)


def test_all_names_are_exported() -> None:
    for name in rnnlint.__all__:
        assert getattr(rnnlint, name) is not None
    with pytest.raises(AttributeError):
        rnnlint.not_a_name  # noqa: B018


def test_count_a_path(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(SMALL)
    for source in (path, str(path)):
        model = rnnlint.count(source)
        assert isinstance(model, rnnlint.ModelCount)
        assert model.total == 475 and model.complete and model.dialect == "native"
        assert [layer.params for layer in model.layers] == [448, 27]
        assert [layer.type for layer in model.recurrent_layers] == ["lstm"]
        # What a training script would write before it starts.
        assert model.total <= 50e6


def test_count_text_and_a_mapping_agree() -> None:
    from_text = rnnlint.count(SMALL)
    mapping = {
        "model": {
            "input_size": 4,
            "layers": [{"type": "lstm", "hidden_size": 8}, {"type": "linear", "out_features": 3}],
        }
    }
    from_mapping = rnnlint.count(mapping)
    assert from_text.total == from_mapping.total == 475
    assert from_mapping.path == "<mapping>.json"


def test_an_unknown_total_is_none_and_says_what_is_left_out() -> None:
    model = rnnlint.count("encoder: transformer\nencoder_conf:\n  output_size: 256\ndecoder: transformer\n")
    assert model.dialect == "espnet2" and model.total is None and model.counted is None and not model.complete
    assert model.omitted and model.recurrent == 0


def test_assumptions_are_listed() -> None:
    # OpenNMT-py's rnn_type defaults to LSTM: the count holds under that assumption, so it is not complete.
    model = rnnlint.count("save_model: m\nencoder_type: rnn\ndecoder_type: rnn\nrnn_size: 64\nlayers: 2\n")
    assert model.dialect == "opennmt-py" and not model.complete
    assert any("rnn_type LSTM" in a for a in model.assumptions)


def test_an_unknown_first_input_size_is_unknown_not_zero() -> None:
    model = rnnlint.count("model:\n  layers:\n    - {type: lstm, hidden_size: 8}\n")
    assert model.total is None and model.counted is None and model.recurrent is None


def test_framework_and_dialect_options() -> None:
    keras = rnnlint.count(SMALL, framework="keras")
    # Keras keeps one bias vector: 4 x [8x(4+8) + 8] = 416, plus Dense 27.
    assert keras.framework == "keras" and keras.total == 416 + 27
    with pytest.raises(rnnlint.CountError, match="unknown dialect 'nope'"):
        rnnlint.count(SMALL, dialect="nope")


def test_count_errors_say_where(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("model:\n  input_size: 4\n  layers:\n    - {type: lstm}\n")
    with pytest.raises(rnnlint.CountError, match=r"bad\.yaml:4:\d+: RNN002 .*hidden_size"):
        rnnlint.count(bad)
    with pytest.raises(rnnlint.CountError, match="no such file"):
        rnnlint.count(tmp_path / "missing.yaml")
    with pytest.raises(rnnlint.CountError, match="not a model config"):
        rnnlint.count("name: my-service\nreplicas: 3\n")
    with pytest.raises(rnnlint.CountError, match="not plain data"):
        rnnlint.count({"model": object()})
    with pytest.raises(rnnlint.CountError, match="holds 2 models"):
        rnnlint.count(SMALL + "---\n" + SMALL)


def test_settings_apply(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(SMALL)
    [result] = rnnlint.lint(path, settings={"max-params": 100})
    assert isinstance(result, rnnlint.FileResult)
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["RNN101"]
    with pytest.raises(rnnlint.CountError):
        rnnlint.lint(path, settings={"max-params": "lots"})


def test_lint_walks_folders_as_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(SMALL)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yaml").write_text(SMALL)
    (tmp_path / "notes.json").write_text("{not json")
    results = rnnlint.lint([tmp_path], isolated=True)
    linted = sorted(Path(r.path).name for r in results if not r.skipped)
    assert linted == ["a.yaml", "b.yaml"]
    assert all(isinstance(d, rnnlint.Violation) for r in results for d in r.diagnostics)
    with pytest.raises(rnnlint.CountError):
        rnnlint.lint(tmp_path / "missing")
