"""Configuration: discovery, every setting, per-path overrides, and invalid files (exit 2), via the CLI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

LSTM = """
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 64
      dropout: 0.2
"""  # 27,136 parameters, RNN100 note and RNN203 warning
NO_INPUT = "model:\n  layers:\n    - type: lstm\n      hidden_size: 64\n"


def _codes(result: Any) -> list[str]:
    return [d["code"] for f in result.json()["files"] for d in f["diagnostics"]]


def _messages(result: Any, code: str) -> list[str]:
    return [d["message"] for f in result.json()["files"] for d in f["diagnostics"] if d["code"] == code]


# --------------------------------------------------------------------------- discovery


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", "[tool.rnnlint]\nmax_params = 1000\n"),
        ("rnnlint.toml", "max_params = 1000\n"),
        (".rnnlint.toml", "max_params = 1000\n"),
    ],
)
def test_config_found_walking_up_from_the_working_directory(  # type: ignore[no-untyped-def]
    run_cli, write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    write(name, text)
    write("a/b/m.yaml", LSTM)
    monkeypatch.chdir(tmp_path / "a" / "b")
    result = run_cli("--format", "json", "m.yaml")
    assert result.code == 1
    (message,) = _messages(result, "RNN101")
    assert f"from {name}" in message and "max_params" in message


def test_pyproject_without_a_table_is_passed_over(  # type: ignore[no-untyped-def]
    run_cli, write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("rnnlint.toml", "max_params = 1000\n")
    write("sub/pyproject.toml", "[project]\nname = 'x'\n")
    write("sub/m.yaml", LSTM)
    monkeypatch.chdir(tmp_path / "sub")
    assert "RNN101" in _codes(run_cli("--format", "json", "m.yaml"))


def test_rnnlint_toml_wins_over_pyproject_in_the_same_directory(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("pyproject.toml", "[tool.rnnlint]\nmax_params = 1000\n")
    write("rnnlint.toml", "max_params = 5000000\n")
    write("m.yaml", LSTM)
    assert "RNN101" not in _codes(run_cli("--format", "json", "m.yaml"))


def test_config_option_and_isolated(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM)
    write("elsewhere/strict.toml", "max_params = 1000\n")
    write("rnnlint.toml", "max_params = 5000000\n")
    assert "RNN101" in _codes(run_cli("--format", "json", "--config", "elsewhere/strict.toml", "m.yaml"))
    write("rnnlint.toml", "max_params = 1000\n")
    assert "RNN101" in _codes(run_cli("--format", "json", "m.yaml"))
    assert "RNN101" not in _codes(run_cli("--format", "json", "--isolated", "m.yaml"))


# --------------------------------------------------------------------------- settings


def test_select_ignore_and_severity(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM)
    write("rnnlint.toml", 'ignore = ["RNN100"]\n')
    assert _codes(run_cli("--format", "json", "m.yaml")) == ["RNN203"]
    write("rnnlint.toml", 'select = ["RNN1"]\n')
    assert _codes(run_cli("--format", "json", "m.yaml")) == ["RNN100"]
    write("rnnlint.toml", '[severity]\nRNN203 = "error"\n')
    result = run_cli("--format", "json", "m.yaml")
    severities = {d["code"]: d["severity"] for d in result.json()["files"][0]["diagnostics"]}
    assert severities == {"RNN100": "note", "RNN203": "error"}
    assert result.code == 1


def test_strict_setting(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM)
    assert run_cli("m.yaml").code == 0
    write("rnnlint.toml", "strict = true\n")
    assert run_cli("m.yaml").code == 1


def test_include_and_exclude_globs(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("configs/a.yaml", LSTM)
    write("configs/old/b.yaml", LSTM)
    write("configs/c.cfg", LSTM)

    def linted() -> list[str]:
        files = run_cli("--format", "json", "configs").json()["files"]
        return sorted(Path(f["path"]).as_posix() for f in files)

    assert linted() == ["configs/a.yaml", "configs/old/b.yaml"]
    write("rnnlint.toml", 'exclude = ["configs/old"]\n')
    assert linted() == ["configs/a.yaml"]
    write("rnnlint.toml", 'include = ["*.cfg", "configs/old/*.yaml"]\n')
    assert linted() == ["configs/c.cfg", "configs/old/b.yaml"]


def test_default_framework(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", NO_INPUT.replace("model:", "model:\n  input_size: 40", 1))
    assert run_cli("--format", "json", "m.yaml").json()["files"][0]["total_params"] == 27136
    write("rnnlint.toml", 'framework = "keras"\n')
    assert run_cli("--format", "json", "m.yaml").json()["files"][0]["total_params"] == 26880


def test_limits_and_dataset_figures(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM)
    write("rnnlint.toml", "max_layer_params = 20_000\ntrain_examples = 10\n")
    result = run_cli("--format", "json", "m.yaml")
    assert "RNN102" in _codes(result)
    (dataset,) = _messages(result, "RNN103")
    assert "10 training examples (rnnlint.toml train_examples)" in dataset
    # The command line adds its own bound; the tightest holds and is named.
    result = run_cli("--format", "json", "--max-layer-params", "100", "m.yaml")
    assert "above max_layer_params 100 from --max-layer-params" in _messages(result, "RNN102")[0]


# --------------------------------------------------------------------------- overrides


OVERRIDE = '[[overrides]]\nfiles = ["asr/*.yaml"]\n'


@pytest.mark.parametrize(
    ("setting", "matching", "other"),
    [
        ("max_params = 1000", ["RNN100", "RNN101", "RNN203"], ["RNN100", "RNN203"]),
        ("max_layer_params = 1000", ["RNN100", "RNN102", "RNN203"], ["RNN100", "RNN203"]),
        ("train_examples = 10", ["RNN100", "RNN103", "RNN203"], ["RNN100", "RNN203"]),
        ("tokens = 100", ["RNN100", "RNN103", "RNN203"], ["RNN100", "RNN203"]),
        ('ignore = ["RNN203"]', ["RNN100"], ["RNN100", "RNN203"]),
    ],
)
def test_overrides_apply_to_matching_paths_only(  # type: ignore[no-untyped-def]
    run_cli, write, setting: str, matching: list[str], other: list[str]
) -> None:
    write("asr/m.yaml", LSTM)
    write("lm/m.yaml", LSTM)
    write("rnnlint.toml", OVERRIDE + setting + "\n")
    assert sorted(_codes(run_cli("--format", "json", "asr/m.yaml"))) == matching
    assert sorted(_codes(run_cli("--format", "json", "lm/m.yaml"))) == other


def test_override_input_size_and_framework(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("asr/m.yaml", NO_INPUT)
    assert run_cli("--format", "json", "asr/m.yaml").json()["files"][0]["layers"][0]["params"] is None
    write("rnnlint.toml", OVERRIDE + "input_size = 40\n")
    assert run_cli("--format", "json", "asr/m.yaml").json()["files"][0]["layers"][0]["params"] == 27136
    write("rnnlint.toml", OVERRIDE + 'input_size = 40\nframework = "keras"\n')
    assert run_cli("--format", "json", "asr/m.yaml").json()["files"][0]["layers"][0]["params"] == 26880


def test_override_dialect(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("asr/m.yaml", "foo: 1\n")
    assert run_cli("--format", "json", "asr/m.yaml").json()["files"][0]["skipped"]
    write("rnnlint.toml", OVERRIDE + 'dialect = "native"\n')
    result = run_cli("--format", "json", "asr/m.yaml")
    assert not result.json()["files"][0]["skipped"] and "RNN002" in _codes(result)
    write("rnnlint.toml", OVERRIDE + 'dialect = "nativ"\n')
    result = run_cli("asr/m.yaml")
    assert result.code == 2 and "unknown dialect 'nativ'" in result.err


def test_later_overrides_win_and_globs_are_relative_to_the_config(  # type: ignore[no-untyped-def]
    run_cli, write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        "rnnlint.toml",
        '[[overrides]]\nfiles = ["asr/**"]\ntrain_examples = 10\n'
        '[[overrides]]\nfiles = ["asr/big/*.yaml"]\ntrain_examples = 1_000_000\n',
    )
    write("asr/small/m.yaml", LSTM)
    write("asr/big/m.yaml", LSTM)
    monkeypatch.chdir(tmp_path / "asr")
    assert "RNN103" in _codes(run_cli("--format", "json", "small/m.yaml"))
    assert "RNN103" not in _codes(run_cli("--format", "json", "big/m.yaml"))


# --------------------------------------------------------------------------- invalid configuration


@pytest.mark.parametrize(
    ("text", "key", "allowed"),
    [
        ("max_parms = 5", "'max_parms'", "did you mean 'max_params'"),
        ("max_params = -1", "'max_params'", "an integer of at least 0"),
        ("max_params = '5e6'", "'max_params'", "an integer"),
        ("train_examples = 0", "'train_examples'", "at least 1"),
        ('framework = "tf"', "'framework'", "one of pytorch, keras, onnx"),
        ('ignore = "RNN203"', "'ignore'", "a list of rule codes"),
        ('ignore = ["RNN999"]', "'ignore'", "known codes: RNN001"),
        ('select = ["E501"]', "'select'", "is not a rule code or prefix"),
        ('[severity]\nRNN203 = "fatal"', "'severity.RNN203'", "error, warning or note"),
        ('[severity]\nRNN299 = "error"', "'severity.RNN299'", "is not a rule code"),
        ("strict = 1", "'strict'", "true or false"),
        ('exclude = "old"', "'exclude'", "a list of glob patterns"),
        ("[[overrides]]\nmax_params = 5", "'files'", "a list of glob patterns"),
        ('[[overrides]]\nfiles = ["a"]\nmax_param = 5', "'max_param'", "did you mean 'max_params'"),
        ("[[overrides]]\nfiles = []\nmax_params = 5", "'files'", "a non-empty list of glob patterns"),
        ("max_params = [", "invalid TOML", ""),
    ],
)
def test_invalid_configuration_is_exit_2_naming_file_key_and_allowed(  # type: ignore[no-untyped-def]
    run_cli, write, text: str, key: str, allowed: str
) -> None:
    write("m.yaml", LSTM)
    write("rnnlint.toml", text + "\n")
    result = run_cli("m.yaml")
    assert result.code == 2
    assert result.out == ""
    message = result.err.strip()
    assert message.startswith("rnnlint: ") and "rnnlint.toml" in message
    assert key in message and allowed in message
    assert "Traceback" not in message and len(message.splitlines()) == 1


def test_missing_config_file(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM)
    result = run_cli("--config", "nope.toml", "m.yaml")
    assert result.code == 2 and "nope.toml" in result.err


def test_kebab_case_keys_are_accepted(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM)
    write("rnnlint.toml", "max-params = 1000\n")
    assert "RNN101" in _codes(run_cli("--format", "json", "m.yaml"))


def test_repository_pyproject_is_valid(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    repo = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(repo)
    result = run_cli("--exit-zero", os.path.join("examples", "clean.yaml"))
    assert result.code == 0, result.err


def test_readme_configuration_example_is_valid(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration\n", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    write("pyproject.toml", example)
    write("configs/asr/m.yaml", NO_INPUT + "      dropout: 0.2\n")
    result = run_cli("--format", "json", "configs/asr/m.yaml")
    assert result.code == 0, result.err
    entry = result.json()["files"][0]
    assert entry["layers"][0]["params"] == 4 * (64 * (80 + 64) + 2 * 64)  # the override's input_size
    assert [d["code"] for d in entry["diagnostics"]] == ["RNN100"]  # RNN203 ignored
