"""The command line, end to end: exit codes, formats, limits and their sources, discovery."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES, REPO

CLEAN = """
model:
  input_size: 300
  layers:
    - type: lstm
      name: encoder
      hidden_size: 256
      bidirectional: true
"""


def test_clean_file_exits_zero_with_a_count_note(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.yaml", CLEAN)
    result = run_cli(path)
    assert result.code == 0
    assert "a.yaml:4:7: RNN100 encoder (lstm, bidirectional): 1,142,784 params: " in result.out
    assert "2 directions x 4 x [256x(300+256) + 2x256] = 1,142,784" in result.out
    assert result.out.strip().splitlines()[-1].startswith("1 config checked: 0 errors, 0 warnings, 1 note")


def test_json_contract(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.yaml", CLEAN + "  name: m\n".replace("  name: m\n", "") + "limits:\n  max_params: 1000\n")
    result = run_cli("--format", "json", path)
    assert result.code == 1
    data = result.json()
    assert set(data) == {"version", "files", "summary"}
    (entry,) = data["files"]
    assert entry["dialect"] == "native" and entry["framework"] == "pytorch"
    assert entry["total_params"] == entry["recurrent_params"] == 1_142_784
    assert entry["complete"] is True
    (layer,) = entry["layers"]
    assert layer == {
        "name": "encoder",
        "type": "lstm",
        "line": 4,
        "column": 7,
        "params": 1_142_784,
        "recurrent": True,
        "formula": "2 directions x 4 x [256x(300+256) + 2x256] = 1,142,784",
    }
    codes = {d["code"]: d for d in entry["diagnostics"]}
    assert codes["RNN101"]["severity"] == "error" and codes["RNN101"]["line"] == 1
    assert codes["RNN100"]["severity"] == "note"
    assert data["summary"]["errors"] == 1 and data["summary"]["failed"] is True


def test_exit_codes(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(write("ok.yaml", CLEAN)).code == 0
    assert run_cli(tmp_path / "missing.yaml").code == 2
    assert run_cli("--format", "nope", write("x.yaml", CLEAN)).code == 2
    bad = write("bad.yaml", "model: [")
    result = run_cli(bad)
    assert result.code == 1 and "RNN001 YAML syntax error" in result.out
    assert run_cli("--exit-zero", bad).code == 0


def test_missing_path_message(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(tmp_path / "nope")
    assert result.code == 2
    assert "no such file or directory" in result.err and "Traceback" not in result.err


def test_strict_makes_warnings_fail(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("w.yaml", "model:\n  input_size: 8\n  layers:\n    - {type: gru, hidden_size: 8, dropout: 0.5}\n")
    assert run_cli(path).code == 0
    assert run_cli("--strict", path).code == 1


def test_select_and_ignore(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.yaml", CLEAN + "limits:\n  max_params: 1000\n")
    assert "RNN100" not in run_cli("--ignore", "RNN100", path).out
    result = run_cli("--select", "RNN1", "--ignore", "RNN101", path)
    assert result.code == 0 and "RNN100" in result.out and "RNN101" not in result.out
    assert run_cli("--select", "bogus", path).code == 2


def test_tightest_limit_wins_and_is_named(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("a.yaml", CLEAN + "limits:\n  max_params: 2000000\n")
    (tmp_path / "pyproject.toml").write_text("[tool.rnnlint]\nmax_params = 1500000\n")
    assert run_cli(path).code == 0  # 1,142,784 is under both
    result = run_cli("--max-params", "1000000", path)
    assert result.code == 1 and "from --max-params" in result.out
    (tmp_path / "pyproject.toml").write_text("[tool.rnnlint]\nmax_params = 900000\n")
    result = run_cli("--max-params", "1000000", path)
    assert "from pyproject.toml [tool.rnnlint] max_params" in result.out
    result = run_cli("--isolated", "--max-params", "1000000", path)
    assert "from --max-params" in result.out
    write("b.yaml", CLEAN + "limits:\n  max_params: 500000\n")
    assert "from limits.max_params at line 9" in run_cli(tmp_path / "b.yaml").out


def test_invalid_configuration_is_exit_2(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("a.yaml", CLEAN)
    (tmp_path / "pyproject.toml").write_text('[tool.rnnlint]\nmax_params = "lots"\n')
    result = run_cli(path)
    assert result.code == 2
    assert "pyproject.toml" in result.err and "max_params" in result.err


def test_directory_walk_skips_vcs_venv_and_non_configs(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write("configs/model.yaml", CLEAN)
    write("configs/other.yml", "name: just some yaml\nvalues: [1, 2]\n")
    write("configs/notes.txt", "not linted")
    write(".git/config.yaml", "model: [")
    write("node_modules/x/model.json", "{")
    write("env/pyvenv.cfg", "home = /usr\n")
    write("env/lib/bad.yaml", "model: [")
    result = run_cli("--format", "json", tmp_path)
    data = result.json()
    paths = sorted(Path(f["path"]).name for f in data["files"])
    assert paths == ["model.yaml", "other.yml"]
    assert data["summary"]["skipped"] == 1 and data["summary"]["linted"] == 1
    assert result.code == 0


def test_exclude_from_configuration(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write("configs/keep.yaml", CLEAN)
    write("configs/old/broken.yaml", "model: [")
    (tmp_path / "pyproject.toml").write_text('[tool.rnnlint]\nexclude = ["configs/old"]\n')
    assert run_cli(tmp_path / "configs").code == 0


def test_stdin(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    class FakeStdin:
        buffer = io.BytesIO(CLEAN.lstrip().encode())

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    result = run_cli("--stdin-filename", "piped.yaml", "-")
    assert result.code == 0 and "piped.yaml:4:7: RNN100" in result.out


def test_count_table(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("count", EXAMPLES / "stacked_bilstm_proj.yaml")
    # layer, type, line, input and output size, parameters, bytes at fp32 (MB = 10^6 bytes, as torchinfo).
    assert re.search(r"encoder\s+lstm\s+7\s+80\s+512\s+23,789,568\s+95.16 MB", result.out)
    assert "total 24,046,068 parameters, recurrent 23,789,568; 96.18 MB at fp32" in result.out


def test_rule_docs(run_cli) -> None:  # type: ignore[no-untyped-def]
    listing = run_cli("rule")
    assert listing.code == 0 and "RNN101" in listing.out
    one = run_cli("rule", "RNN103")
    assert one.code == 0 and "Failing example" in one.out
    assert run_cli("rule", "RNN999").code == 2


def test_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    from rnnlint import __version__

    result = run_cli("--version")
    assert result.code == 0 and result.out.strip() == f"rnnlint {__version__}"


def test_examples_each_show_their_point(run_cli) -> None:  # type: ignore[no-untyped-def]
    data = run_cli("--format", "json", EXAMPLES).json()
    by_name = {Path(f["path"]).name: {d["code"] for d in f["diagnostics"]} for f in data["files"]}
    assert by_name["clean.yaml"] == {"RNN100"}
    assert {"RNN101", "RNN102"} <= by_name["over_budget.yaml"]
    assert "RNN103" in by_name["too_big_for_dataset.yaml"]
    assert by_name["schema_error.yaml"] == {"RNN002", "RNN004"}
    assert "RNN100" in by_name["stacked_bilstm_proj.yaml"]


def test_console_script_and_module_entry_points() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "rnnlint", "--format", "json", str(EXAMPLES / "clean.yaml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["dialect"] == "native"


def test_readme_quick_start_is_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```console\n(.*?)```", section, re.S)
    commands = [line for block in blocks for line in block.strip().splitlines()]
    assert len(commands) == 2
    assert "rnnlint" in commands[0] and "examples/" in commands[0]
    assert "pytest" in commands[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python -m pip install --quiet -e ".[test]"' in ci and "python -m pytest" in ci
