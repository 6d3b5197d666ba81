"""Configuration per file: the nearest rnnlint.toml / .rnnlint.toml / pyproject.toml [tool.rnnlint] above a
file applies to it, whatever the working directory (ruff's hierarchical model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

# 4 x [8x(4+8) + 2x8] = 448 parameters.
LSTM = "model:\n  input_size: 4\n  layers:\n    - {type: lstm, hidden_size: 8}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """project/rnnlint.toml: max-params 1000, and an override that caps experiments/ at 100;
    project/team/pyproject.toml [tool.rnnlint]: max-params 10 for everything under team/ (it wins there whole);
    project/team/skip/: excluded by team's configuration."""
    root = tmp_path / "project"
    for folder in ("models", "experiments", "team/models", "team/skip"):
        (root / folder).mkdir(parents=True)
        (root / folder / "m.yaml").write_text(LSTM)
    (root / "rnnlint.toml").write_text(
        'max-params = 1000\n\n[[overrides]]\nfiles = ["experiments/*"]\nmax-params = 100\n'
    )
    (root / "team" / "pyproject.toml").write_text('[tool.rnnlint]\nmax-params = 10\nexclude = ["skip"]\n')
    return root


def _verdicts(run_cli, *args: Any) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", *args)
    assert result.code in (0, 1), result.err
    out: dict[str, list[str]] = {}
    for entry in result.json()["files"]:
        where = Path(entry["path"]).resolve().as_posix()
        key = where[where.index("/project/") + len("/project/") :]
        out[key] = sorted(d["code"] for d in entry["diagnostics"] if d["severity"] == "error")
    return out


EXPECTED = {
    "models/m.yaml": [],  # 448 <= 1000
    "experiments/m.yaml": ["RNN101"],  # the root's override: 100
    "team/models/m.yaml": ["RNN101"],  # team's own configuration: 10
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("cache", [True, False])
def test_the_same_verdict_from_three_working_directories(
    run_cli, project: Path, monkeypatch: pytest.MonkeyPatch, jobs: str, cache: bool
) -> None:  # type: ignore[no-untyped-def]
    extra = ["-j", jobs] + ([] if cache else ["--no-cache"])
    monkeypatch.chdir(project)
    assert _verdicts(run_cli, *extra, ".") == EXPECTED
    # From a subfolder: the root's override still applies to experiments/, and team's file to team/.
    monkeypatch.chdir(project / "experiments")
    assert _verdicts(run_cli, *extra, "..") == EXPECTED
    monkeypatch.chdir(project / "team")
    assert _verdicts(run_cli, *extra, "..") == EXPECTED
    # From outside the project, naming it.
    monkeypatch.chdir(project.parent)
    assert _verdicts(run_cli, *extra, "project") == EXPECTED


def test_a_file_named_alone_gets_its_own_configuration(run_cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project.parent)
    assert _verdicts(run_cli, "--no-cache", "project/team/models/m.yaml") == {"team/models/m.yaml": ["RNN101"]}
    assert _verdicts(run_cli, "--no-cache", "project/models/m.yaml") == {"models/m.yaml": []}


def test_config_and_isolated_apply_one_configuration_to_every_file(
    run_cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project)
    one = _verdicts(run_cli, "--no-cache", "--config", "rnnlint.toml", ".")
    assert one["team/models/m.yaml"] == [] and one["experiments/m.yaml"] == ["RNN101"]
    # team's exclude is not in force either: team/skip is linted.
    assert "team/skip/m.yaml" in one
    assert all(codes == [] for codes in _verdicts(run_cli, "--no-cache", "--isolated", ".").values())


def test_command_line_options_apply_on_top_of_each_file(
    run_cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project)
    verdicts = _verdicts(run_cli, "--no-cache", "--max-params", "400", ".")
    assert verdicts["models/m.yaml"] == ["RNN101"] and verdicts["team/models/m.yaml"] == ["RNN101"]


def test_a_broken_nested_configuration_is_a_usage_error(
    run_cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    (project / "team" / "pyproject.toml").write_text("[tool.rnnlint]\nmax-params = 'lots'\n")
    monkeypatch.chdir(project)
    for jobs in ("1", "2"):
        result = run_cli("--no-cache", "-j", jobs, ".")
        assert result.code == 2 and "pyproject.toml" in result.err and "max_params" in result.err.replace("-", "_")


def test_a_nested_configuration_edit_is_seen_through_the_cache(
    run_cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project)
    assert _verdicts(run_cli, ".") == EXPECTED
    (project / "team" / "pyproject.toml").write_text("[tool.rnnlint]\nmax-params = 10000\n")
    again = _verdicts(run_cli, ".")
    assert again["team/models/m.yaml"] == [] and "team/skip/m.yaml" in again


def test_the_api_resolves_configuration_per_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rnnlint

    monkeypatch.chdir(project / "experiments")
    results = {Path(r.path).resolve().relative_to(project).as_posix(): r for r in rnnlint.lint("..")}
    codes = {path: sorted(d.code for d in r.diagnostics if d.severity == "error") for path, r in results.items()}
    assert codes == EXPECTED
    # Explicit settings: one configuration for every file.
    [one] = rnnlint.lint(project / "team" / "models" / "m.yaml", settings={"max-params": 1000})
    assert [d.code for d in one.diagnostics if d.severity == "error"] == []


def test_a_nested_strict_configuration_fails_its_own_warnings(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # RNN105 is a warning: a limit the count cannot settle (no input size, so nothing is counted).
    unsized = "model:\n  layers:\n    - {type: lstm, hidden_size: 8}\nlimits:\n  max_params: 10\n"
    root = tmp_path / "p"
    (root / "strict").mkdir(parents=True)
    (root / "loose").mkdir()
    (root / "strict" / "m.yaml").write_text(unsized)
    (root / "loose" / "m.yaml").write_text(unsized)
    (root / "strict" / "rnnlint.toml").write_text("strict = true\n")
    for where, target in ((root, "."), (root / "strict", "."), (root / "loose", "..")):
        monkeypatch.chdir(where)
        for cache in ([], ["--no-cache"]):
            assert run_cli(*cache, target).code == 1, where  # the strict folder's warning fails, from anywhere
    monkeypatch.chdir(root / "loose")
    assert run_cli("--no-cache", ".").code == 0  # the loose folder alone passes
    monkeypatch.chdir(root)
    junit = run_cli("--no-cache", "--format", "junit", ".").out
    assert junit.count("<failure") == 1
