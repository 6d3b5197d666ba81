"""The composite action: its run step (``python -m rnnlint.app.ci_action``) and ``action.yml`` itself."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rnnlint.app import ci_action
from tests.conftest import REPO

LSTM = "model:\n  input_size: 4\n  layers:\n    - {type: lstm, hidden_size: 8}\n"  # 448 parameters


def _outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def test_paths_with_spaces_and_quoted_args(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "my configs").mkdir()
    (tmp_path / "my configs" / "a.yaml").write_text(LSTM)
    (tmp_path / "b.yaml").write_text(LSTM)
    out = tmp_path / "github_output"
    env = {
        "RNNLINT_PATHS": '"my configs" b.yaml',
        # A quoted value stays one argument: the budget is 500, so both files pass.
        "RNNLINT_ARGS": "--isolated --max-params '500'",
        "GITHUB_OUTPUT": str(out),
    }
    assert ci_action.main([], env) == 0
    printed = capsys.readouterr().out
    assert "file=my configs/a.yaml" in printed and "file=b.yaml" in printed
    # The second (JSON) pass prints nothing more: one summary line.
    assert printed.count("configs checked") == 1
    assert _outputs(out) == {"total-params": "896", "complete": "true", "failed": "false"}


def test_one_path_per_line_and_a_failing_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "my configs").mkdir()
    (tmp_path / "my configs" / "a b.yaml").write_text(LSTM)
    (tmp_path / "my configs" / "c.yaml").write_text(LSTM)
    out = tmp_path / "github_output"
    # One path per line, spaces and all; a file named and also met in a named folder is linted once.
    env = {
        "RNNLINT_PATHS": "my configs/a b.yaml\nmy configs\n",
        "RNNLINT_ARGS": "--isolated --max-params 100",
        "GITHUB_OUTPUT": str(out),
    }
    assert ci_action.main([], env) == 1
    assert "::error file=my configs/a b.yaml" in capsys.readouterr().out
    assert _outputs(out) == {"total-params": "896", "complete": "true", "failed": "true"}


def test_an_unknown_total_is_not_complete(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("model:\n  layers:\n    - {type: lstm, hidden_size: 8}\n")
    out = tmp_path / "github_output"
    assert ci_action.main([], {"RNNLINT_PATHS": "m.yaml", "RNNLINT_ARGS": "--isolated", "GITHUB_OUTPUT": str(out)}) == 0
    assert _outputs(out) == {"total-params": "0", "complete": "false", "failed": "false"}


def test_unbalanced_quotes_are_a_usage_error(tmp_path: Path) -> None:
    assert ci_action.main([], {"RNNLINT_ARGS": "--max-params '5", "RNNLINT_PATHS": "."}) == 2


def test_it_runs_as_a_module(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(LSTM)
    env = {"RNNLINT_PATHS": "m.yaml", "RNNLINT_ARGS": "--isolated", "PATH": "", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "rnnlint.app.ci_action"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and "::notice file=m.yaml" in done.stdout


def test_action_yml_pins_actions_and_keeps_inputs_out_of_the_shell() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    steps = action["runs"]["steps"]
    for step in steps:
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
        if "run" in step:
            # ${{ }} in a script is a shell-injection hole: inputs go through env.
            assert "${{" not in step["run"]
    assert set(action["outputs"]) == {"total-params", "complete", "failed"}
    assert all("steps.rnnlint.outputs." in o["value"] for o in action["outputs"].values())
    setup = next(s for s in steps if "setup-python" in s.get("uses", ""))
    assert setup["with"]["update-environment"] is False  # the job's own python is left alone
