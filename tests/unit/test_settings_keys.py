"""The one table of setting keys (rnnlint.settings.keys) and what is derived from it.

The command line's options, the configuration's and the pragmas' validation, the native file's keys
and the README's table all come from the table; these tests hold each of them to it, and show the
key added to prove the point (``max_recurrent_params``) working in every place it may be written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest

from rnnlint.app import cli
from rnnlint.engine import lint_text
from rnnlint.settings import ConfigError, FileSettings, Settings, keys, load_settings
from rnnlint.settings import settings_from_table as from_table

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "src" / "rnnlint" / "schemas" / "rnnlint-config.schema.json"

# Options of a command that are not settings (they steer the run, not the verdict on a file).
_WALK = {"paths", "config", "isolated", "stdin_filename", "jobs", "no_cache", "verbose", "output_format", "help"}
RUN_OPTIONS = {
    "check": _WALK | {"explain", "output_file", "exit_zero", "diff_base"},
    "count": _WALK | {"dtype"},
    "diff": {"paths", "config", "isolated", "base_ref", "output_format", "help"},
    "annotate": {"paths", "config", "isolated", "check", "show_diff", "strip", "help"},
}


def _params(command: str) -> dict[str, click.Parameter]:
    group = cli.cli
    assert isinstance(group, click.Group)
    found = group.commands[command]
    return {p.name: p for p in found.params if p.name is not None}


@pytest.mark.parametrize("command", sorted(RUN_OPTIONS))
def test_every_setting_option_comes_from_the_table(command: str) -> None:
    params = _params(command)
    settings = set(params) - RUN_OPTIONS[command]
    assert settings == {k.name for k in keys.flagged(command)}
    for key in keys.flagged(command):
        param = params[key.name]
        assert key.flag in param.opts
        assert param.help == key.help
        if key.kind in (keys.INT, keys.NUMBER):
            assert isinstance(param.type, click.IntRange | click.FloatRange)
            assert param.type.min == key.minimum and param.type.min_open == key.open_min


def test_the_table_places_are_consistent() -> None:
    for key in keys.KEYS:
        assert key.name == key.name.lower().replace("-", "_"), key.name
        if key.flag is not None:
            assert key.flag == "--" + key.name.replace("_", "-")
        assert key.toml or key.override or key.pragma or key.flag, f"{key.name} can be written nowhere"
        if key.kind in (keys.INT, keys.NUMBER):
            assert key.minimum is not None, f"{key.name} has no lower bound"


def test_native_limits_and_dataset_are_the_schemas() -> None:
    """The native file's limits and dataset keys are the table's (the schema is their other hand-written form)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for section in ("limits", "dataset"):
        assert sorted(schema["properties"][section]["properties"]) == sorted(keys.native(section))
        for name in keys.native(section):
            key = keys.BY_NAME[name]
            ref = schema["properties"][section]["properties"][name]["$ref"].rsplit("/", 1)[1]
            bound = schema["$defs"][ref]
            minimum = bound.get("exclusiveMinimum", bound.get("minimum"))
            assert (minimum, "exclusiveMinimum" in bound) == (key.minimum, key.open_min), name


def test_readme_table_of_keys_is_current() -> None:
    tool = REPO / "tools" / "gen_settings_doc.py"
    result = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + " (run: python tools/gen_settings_doc.py)"


# --------------------------------------------------------------------------- one bound in every place


def _pragma_problem(key: str, value: str) -> str | None:
    text = f"# rnnlint: {key}={value}\nmodel:\n  input_size: 4\n  layers:\n    - type: gru\n      hidden_size: 2\n"
    (result,) = lint_text("p.yaml", text, Settings())
    found = [d.message for d in result.diagnostics if d.code == "RNN010"]
    return found[0] if found else None


def _toml_problem(key: str, value: Any) -> str | None:
    try:
        from_table({key: value}, "rnnlint.toml", ".")
    except ConfigError as exc:
        return str(exc)
    return None


def _cli_problem(key: keys.Key, value: str) -> bool:
    assert key.flag is not None
    param = _params("check")[key.name]
    try:
        param.type.convert(value, param, None)
    except click.BadParameter:
        return True
    return False


NUMBER_KEYS = [k for k in keys.KEYS if k.kind in (keys.INT, keys.NUMBER)]


@pytest.mark.parametrize("key", NUMBER_KEYS, ids=lambda k: k.name)
def test_a_number_key_has_one_bound_everywhere(key: keys.Key) -> None:
    """The least value allowed is allowed, and the one below it refused, in every place the key is written.

    (The configuration used to take 0 for the two RNN103 ratios and max_file_bytes, which the
    command line, pragmas and the native schema refuse.)"""
    minimum = key.minimum
    assert minimum is not None
    low: Any = minimum if key.open_min else (minimum - 1 if key.kind == keys.INT else minimum - 0.5)
    ok: Any = minimum + 1 if key.open_min else minimum
    if key.kind == keys.INT:
        low, ok = int(low), int(ok)
    if key.toml:
        assert _toml_problem(key.name, low) is not None
        assert _toml_problem(key.name, ok) is None
    if key.override:
        entry = {"overrides": [{"files": ["*"], key.name: low}]}
        assert _toml_problem("overrides", entry["overrides"]) is not None
    if key.pragma:
        assert _pragma_problem(key.name, str(low)) is not None
        assert _pragma_problem(key.name, str(ok)) is None
    if key.flag is not None:
        assert _cli_problem(key, str(low))
        assert not _cli_problem(key, str(ok))


def test_ratio_and_file_size_bounds_unified_in_the_configuration() -> None:
    assert _toml_problem("max_params_per_example", 0) == (
        "rnnlint.toml: invalid value for 'max_params_per_example': expected a number greater than 0 (got 0)"
    )
    assert _toml_problem("max_file_bytes", 0) == (
        "rnnlint.toml: invalid value for 'max_file_bytes': expected an integer of at least 1 (got 0)"
    )


def test_unknown_key_lists_the_tables_keys() -> None:
    message = _toml_problem("max_recurent_params", 5)
    assert message is not None
    assert "(did you mean 'max_recurrent_params'?)" in message
    assert "allowed keys: " + ", ".join(sorted(keys.names(toml=True))) in message


# --------------------------------------------------------------------------- resolved once


def test_a_files_settings_are_resolved_once_with_its_overrides(tmp_path: Path) -> None:
    (tmp_path / "rnnlint.toml").write_text(
        "max_params = 100\n"
        '[[overrides]]\nfiles = ["a/*.yaml"]\ninput_size = 8\nmax_params = 50\nignore = ["RNN203"]\n'
        '[[overrides]]\nfiles = ["a/x.yaml"]\ninput_size = 9\ndialect = "native"\n',
        encoding="utf-8",
    )
    settings = load_settings(str(tmp_path / "rnnlint.toml"))
    file = settings.resolve(str(tmp_path / "a" / "x.yaml"))
    assert isinstance(file, FileSettings)
    assert (file.input_size, file.dialect) == (9, "native")  # the last matching override wins
    assert [v.value for v in file.limit_values("max_params")] == [100, 50]  # limits join
    assert file.ignored("RNN203") and not file.is_selected("RNN203") and file.is_selected("RNN204")
    other = settings.resolve(str(tmp_path / "b.yaml"))
    assert (other.input_size, other.dialect, other.ignore) == (None, None, ())
    pragmas = {"max_params": other.limit_values("max_params")[0]._replace(value=7, source="pragma at line 1")}
    merged = other.with_pragmas(None, "keras", pragmas)
    assert merged.framework == "keras"
    assert [v.source for v in merged.limit_values("max_params")] == ["pragma at line 1", "rnnlint.toml max_params"]
    with pytest.raises(AttributeError):
        merged.framework = "onnx"  # type: ignore[misc]


# --------------------------------------------------------------------------- the key added from one table row

MODEL = """\
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 256
    - type: linear
      out_features: 10
"""
MESSAGE = "recurrent layers have 305,152 parameters, above max_recurrent_params 300,000 from {} by 5,152"


def _console(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = shutil.which("rnnlint", path=str(Path(sys.executable).parent))
    assert script is not None, "the console script is not installed next to this Python"
    env = {**os.environ, "NO_COLOR": "1"}
    for name in ("GITHUB_ACTIONS", "CI_PROJECT_DIR"):
        env.pop(name, None)
    return subprocess.run([script, "--no-cache", *args], cwd=cwd, capture_output=True, text=True, env=env)


def _rnn101(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.split(" RNN101 ", 1)[1] for line in done.stdout.splitlines() if " RNN101 " in line]


@pytest.mark.parametrize(
    ("setup", "args", "source"),
    [
        ("", ("--isolated", "--max-recurrent-params", "300000"), "--max-recurrent-params"),
        ("rnnlint.toml:max-recurrent-params = 300_000\n", (), "rnnlint.toml max_recurrent_params"),
        (
            'pyproject.toml:[tool.rnnlint]\n[[tool.rnnlint.overrides]]\nfiles = ["m.yaml"]\n'
            "max_recurrent_params = 300_000\n",
            (),
            "pyproject.toml [tool.rnnlint] overrides[1] max_recurrent_params",
        ),
        ("pragma:# rnnlint: max-recurrent-params=300_000\n", ("--isolated",), "pragma at line 1"),
        ("native:limits:\n  max_recurrent_params: 300000\n", ("--isolated",), "limits.max_recurrent_params at line 9"),
    ],
    ids=["cli", "toml", "override", "pragma", "native"],
)
def test_max_recurrent_params_in_every_place(tmp_path: Path, setup: str, args: tuple[str, ...], source: str) -> None:
    text = MODEL
    if setup.startswith("pragma:"):
        text = setup.removeprefix("pragma:") + MODEL
    elif setup.startswith("native:"):  # the native file's own limits (one schema line, then the generator)
        text = MODEL + setup.removeprefix("native:")
    elif setup:
        name, content = setup.split(":", 1)
        (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    done = _console(tmp_path, *args, "m.yaml")
    assert done.returncode == 1, done.stderr
    assert _rnn101(done) == [MESSAGE.format(source)]


def test_max_recurrent_params_passes_at_the_bound_and_is_checked_in_json(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(MODEL, encoding="utf-8")
    assert _console(tmp_path, "--isolated", "--max-recurrent-params", "305152", "m.yaml").returncode == 0
    # The whole model (305,152 + 2,570) is above the bound; only the recurrent part is bounded.
    done = _console(tmp_path, "--isolated", "--max-params", "400000", "--max-recurrent-params", "305152", "m.yaml")
    assert done.returncode == 0 and not _rnn101(done)


def test_max_recurrent_params_bad_values(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("# rnnlint: max_recurrent_params=-3\n" + MODEL, encoding="utf-8")
    done = _console(tmp_path, "--isolated", "m.yaml")
    assert "RNN010 max_recurrent_params must be a whole number such as 5_000_000, not '-3'" in done.stdout
    (tmp_path / "rnnlint.toml").write_text("max_recurrent_params = 1.5\n", encoding="utf-8")
    done = _console(tmp_path, "m.yaml")
    assert done.returncode == 2
    assert "invalid value for 'max_recurrent_params': expected an integer of at least 0 (got 1.5)" in done.stderr
    done = _console(tmp_path, "--isolated", "--max-recurrent-params", "x", "m.yaml")
    assert done.returncode == 2 and "--max-recurrent-params" in done.stderr


def test_max_recurrent_params_unchecked_when_a_recurrent_layer_is_unknown(tmp_path: Path) -> None:
    """The first layer's input size is unknown: the recurrent total cannot be checked, and RNN105 says so."""
    text = "model:\n  layers:\n    - type: lstm\n      hidden_size: 256\n"
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    done = _console(tmp_path, "--isolated", "--max-recurrent-params", "10", "m.yaml")
    assert "RNN105 max_recurrent_params 10 from --max-recurrent-params could not be checked" in done.stdout
    assert not _rnn101(done)


def test_a_file_climbs_to_its_overrides_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The engine, the rules and the suppressions read the file's resolved settings, never the path again."""
    (tmp_path / "rnnlint.toml").write_text(
        '[[overrides]]\nfiles = ["*.yaml"]\ninput_size = 40\nmax_params = 1000\nignore = ["RNN203"]\n', encoding="utf-8"
    )
    settings = load_settings(str(tmp_path / "rnnlint.toml"))
    calls: list[str] = []
    real = Settings.matching_overrides

    def counted(self: Settings, path: str) -> Any:
        calls.append(path)
        return real(self, path)

    monkeypatch.setattr(Settings, "matching_overrides", counted)
    text = (
        "# rnnlint: disable=RNN204 train_examples=10\nmodel:\n  layers:\n    - type: lstm\n      hidden_size: 256\n"
        "      dropout: 0.2\n---\nmodel:\n  layers:\n    - type: gru\n      hidden_size: 8\n"
    )
    results = lint_text(str(tmp_path / "m.yaml"), text, settings)
    assert len(results) == 2 and calls == [str(tmp_path / "m.yaml")]
    codes = {d.code for r in results for d in r.diagnostics}
    assert "RNN101" in codes and "RNN203" not in codes  # the override's input size, limit and ignore all applied
