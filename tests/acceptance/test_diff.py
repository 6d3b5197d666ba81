"""``rnnlint diff`` and ``check --diff-base``: growth against a git base, in a real git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

LSTM = (
    "model:\n  input_size: 80\n  layers:\n    - {{name: encoder, type: lstm, hidden_size: {h}}}\n"
    "    - {{type: linear, out_features: 10}}\n"
)
GRU = "model:\n  input_size: 8\n  layers:\n    - {type: gru, hidden_size: 8}\n"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main: a.yaml (LSTM 256), shrink.yaml (LSTM 512), old.yaml, bad.yaml (does not parse), notes.json;
    feature: a.yaml grows to 512, shrink.yaml shrinks to 128, old.yaml renamed, new.yaml added,
    bad.yaml fixed, gone.yaml deleted."""
    for name in ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
    repo = tmp_path / "repo"
    (repo / "conf").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    (repo / "conf" / "a.yaml").write_text(LSTM.format(h=256))
    (repo / "conf" / "shrink.yaml").write_text(LSTM.format(h=512))
    (repo / "conf" / "old.yaml").write_text(GRU)
    (repo / "conf" / "gone.yaml").write_text(GRU.replace("gru", "rnn"))
    (repo / "conf" / "bad.yaml").write_text("model: [1\n")
    (repo / "notes.json").write_text('{"a": 1}\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "conf" / "a.yaml").write_text(LSTM.format(h=512))
    (repo / "conf" / "shrink.yaml").write_text(LSTM.format(h=128))
    git(repo, "mv", "conf/old.yaml", "conf/renamed.yaml")
    git(repo, "rm", "-q", "conf/gone.yaml")
    (repo / "conf" / "new.yaml").write_text(GRU.replace("gru", "lstm"))
    (repo / "conf" / "bad.yaml").write_text(GRU)
    (repo / "notes.json").write_text('{"a": 2}\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")
    monkeypatch.chdir(repo)
    return repo


def lstm(h: int) -> int:
    return 4 * h * (80 + h) + 8 * h + h * 10 + 10


def _diff(run_cli, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = run_cli("diff", "--isolated", "--format", "json", *args)
    assert result.code in (0, 1), result.err
    return {f["path"]: f for f in result.json()["files"]}


def test_text_report(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("diff", "--isolated")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("against ") and "the merge base with the default branch main" in lines[0]
    assert f"conf/a.yaml: total {lstm(256):,} -> {lstm(512):,} (+{lstm(512) - lstm(256):,}, +250.4%)" in lines
    assert "  encoder (lstm): 346,112 -> 1,216,512 (+870,400, +251.5%)" in lines
    assert f"conf/shrink.yaml: total {lstm(512):,} -> {lstm(128):,} (-{lstm(512) - lstm(128):,}, -91.1%)" in lines
    assert "conf/renamed.yaml (renamed from conf/old.yaml): total 432 -> 432 (+0, +0.0%)" in lines
    assert "conf/new.yaml: new config, total 576" in lines
    assert "conf/gone.yaml: deleted (was total 144)" in lines
    [bad] = [line for line in lines if line.startswith("conf/bad.yaml")]
    assert "did not parse" in bad and bad.endswith("now total 432")
    assert not any("notes.json" in line for line in lines)  # not a model config on either side
    assert lines[-1] == "6 configs changed, 1 grew."


def test_json_carries_base_totals_and_deltas(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    files = _diff(run_cli)
    a = files["conf/a.yaml"]
    assert (a["status"], a["base_total"], a["total"], a["delta"]) == (
        "modified",
        lstm(256),
        lstm(512),
        lstm(512) - lstm(256),
    )
    assert [(layer["name"], layer["status"], layer["delta"]) for layer in a["layers"]] == [
        ("encoder", "changed", 870400),
        ("layers[1]", "changed", 2560),
    ]
    assert files["conf/renamed.yaml"]["old_path"] == "conf/old.yaml" and files["conf/renamed.yaml"]["delta"] == 0
    assert files["conf/new.yaml"]["status"] == "added" and files["conf/new.yaml"]["base_total"] is None
    assert files["conf/gone.yaml"]["status"] == "deleted" and files["conf/gone.yaml"]["total"] is None
    assert files["conf/bad.yaml"]["delta"] is None and "did not parse" in files["conf/bad.yaml"]["note"]


def test_layers_added_and_removed(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    (repo / "conf" / "a.yaml").write_text(
        "model:\n  input_size: 80\n  layers:\n    - {name: encoder, type: gru, hidden_size: 256}\n"
    )
    a = _diff(run_cli)["conf/a.yaml"]
    assert {(layer["name"], layer["type"], layer["status"]) for layer in a["layers"]} == {
        ("encoder", "gru", "added"),
        ("encoder", "lstm", "removed"),
        ("layers[1]", "linear", "removed"),
    }
    out = run_cli("diff", "--isolated", "conf/a.yaml").out
    assert "  encoder (gru): added, 259,584" in out and "  encoder (lstm): removed (was 346,112)" in out


@pytest.mark.parametrize(
    ("how", "fails"),
    [
        (("--max-growth", "10%"), True),
        (("--max-growth", "300%"), False),
        (("--max-growth", "1000000"), False),
        (("--max-growth", "800000"), True),
    ],
)
def test_growth_over_the_limit_fails(run_cli, repo: Path, how: tuple[str, str], fails: bool) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("diff", "--isolated", *how)
    assert result.code == (1 if fails else 0)
    assert ("RNN107 the model grew from 348,682 to 1,221,642 parameters since" in result.out) is fails


def test_growth_limit_from_the_configuration_and_a_pragma(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    (repo / "rnnlint.toml").write_text(
        'max-growth = "10%"\n\n[[overrides]]\nfiles = ["conf/shrink.yaml"]\nmax-growth = 0\n'
    )
    result = run_cli("diff")
    assert result.code == 1 and "above max_growth 10% from rnnlint.toml max_growth" in result.out
    # A pragma in the file tightens it further, for that file only.
    (repo / "rnnlint.toml").unlink()
    (repo / "conf" / "a.yaml").write_text("# rnnlint: max_growth=1000\n" + LSTM.format(h=512))
    result = run_cli("diff", "--isolated")
    assert result.code == 1 and "above max_growth 1,000 from pragma at line 1" in result.out


def test_check_with_a_diff_base_gates_ci(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        "check", "--isolated", "--no-cache", "--diff-base", "main", "--max-growth", "10%", "--format", "sarif", "conf"
    )
    assert result.code == 1
    sarif = json.loads(result.out)
    growth = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "RNN107"]
    [one] = growth
    location = one["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "conf/a.yaml" and location["region"]["startLine"] == 1
    gitlab = json.loads(
        run_cli(
            "--isolated", "--no-cache", "--diff-base", "main", "--max-growth", "10%", "--format", "gitlab", "conf"
        ).out
    )
    assert [i["location"]["path"] for i in gitlab if i["check_name"] == "RNN107"] == ["conf/a.yaml"]
    # Without a limit, the base changes nothing.
    assert run_cli("--isolated", "--no-cache", "--diff-base", "main", "conf").code == 0


def test_an_unknown_size_leaves_growth_unchecked(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    (repo / "conf" / "a.yaml").write_text("model:\n  layers:\n    - {type: lstm, hidden_size: 8}\n")
    result = run_cli(
        "--isolated", "--no-cache", "--diff-base", "main", "--max-growth", "10%", "--format", "json", "conf/a.yaml"
    )
    [entry] = result.json()["files"]
    messages = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN105"]
    assert any("max_growth from --max-growth could not be checked" in m for m in messages)


def test_ci_target_branch_and_a_shallow_clone(
    run_cli, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature", repo.as_uri(), str(clone)], check=True)
    monkeypatch.chdir(clone)
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    result = run_cli("diff", "--isolated")
    assert result.code == 2
    assert "base 'origin/main' (GITHUB_BASE_REF) is not in this clone" in result.err and "git fetch" in result.err
    # Once the target branch is fetched, the same command works.
    subprocess.run(
        ["git", "-C", str(clone), "fetch", "-q", "--depth", "50", "origin", "main:refs/remotes/origin/main"], check=True
    )
    subprocess.run(["git", "-C", str(clone), "fetch", "-q", "--deepen", "50"], check=True)
    result = run_cli("diff", "--isolated")
    assert result.code == 0, result.err
    assert "conf/a.yaml: total" in result.out


def test_outside_a_repository(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "lone").mkdir()
    monkeypatch.chdir(tmp_path / "lone")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run_cli("diff", "--isolated")
    assert result.code == 2 and "is not inside a git repository" in result.err


def test_markdown_and_github(run_cli, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    md = run_cli("diff", "--isolated", "--format", "markdown").out
    assert "| config | layer | base | now | change |" in md
    assert "| `conf/a.yaml` | **total** | 348,682 | 1,221,642 | +872,960, +250.4% |" in md
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = run_cli("diff", "--isolated", "--format", "github", "--max-growth", "10%").out
    assert out.startswith("::error file=conf/a.yaml,line=1") and "RNN107" in out
    assert summary.read_text().startswith("Model size against ")


def test_check_with_a_diff_base_carries_the_deltas(
    run_cli, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--isolated", "--no-cache", "--diff-base", "main", "--format", "json", "conf")
    files = {f["path"].removeprefix("./"): f for f in result.json()["files"]}
    a = files["conf/a.yaml"]
    assert (a["base_total"], a["delta"]) == (lstm(256), lstm(512) - lstm(256)) and len(a["base_ref"]) == 12
    assert "base_ref" not in files["conf/new.yaml"]  # new at this commit: no base to compare with
    # The GitHub job summary leads with the delta table, largest growth first.
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_cli("--isolated", "--no-cache", "--diff-base", "main", "--format", "github", "conf")
    text = summary.read_text()
    table = text.index("| config | base | now | change |")
    assert table < text.index("| config | dialect |")
    rows = [line for line in text[table:].splitlines()[2:] if line.startswith("| `")]
    assert rows[0].startswith("| `conf/a.yaml` | 348,682 | 1,221,642 | +872,960, +250.4% |")
    assert rows[1].startswith("| `conf/shrink.yaml` | 1,221,642 | 108,810 | -1,112,832, -91.1% |")
