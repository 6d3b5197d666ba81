"""Report output through the real console script: a file name that is not valid UTF-8 in every format (F6),
and an ``--output-file`` that a failed run leaves as it was."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from rnnlint.reporters import REPORTERS
from tests.acceptance.test_cache_fixes import console_script
from tests.conftest import EXAMPLES

FORMATS = [name for name in REPORTERS if name != "auto"]
BAD_NAME = os.fsdecode(b"bad\xff.yaml")  # the byte 0xFF: no UTF-8 text has it


def _rnnlint(cwd: Path, *args: str, encoding: str = "") -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "CI_PROJECT_DIR")}
    env.update(NO_COLOR="1", LC_ALL="C.UTF-8", PYTHONIOENCODING=encoding)
    return subprocess.run([*console_script(), *args], cwd=cwd, env=env, capture_output=True, timeout=120, check=False)


def _bad_name(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.rnnlint]\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()  # the repository's top: SARIF and GitLab paths are relative to it
    path = tmp_path / BAD_NAME
    try:
        path.write_bytes((EXAMPLES / "over_budget.yaml").read_bytes())
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    return path


def _parsed(name: str, text: str) -> object:
    if name in ("json", "sarif", "gitlab"):
        return json.loads(text)
    if name == "junit":
        return ET.fromstring(text)
    return text


@pytest.mark.parametrize("name", FORMATS)
def test_a_name_that_is_not_utf8_in_every_format(tmp_path: Path, name: str) -> None:
    _bad_name(tmp_path)
    for where in ("stdout", "file"):
        extra = ["--output-file", "report.out"] if where == "file" else []
        done = _rnnlint(tmp_path, "--no-cache", "--format", name, *extra, ".")
        assert done.returncode == 1, done.stderr.decode(errors="replace")  # findings, never an internal error
        raw = (tmp_path / "report.out").read_bytes() if where == "file" else done.stdout
        text = raw.decode("utf-8")  # the whole report is valid UTF-8
        assert b"\xff" not in raw and "\udcff" not in text and "\\udcff" not in text
        parsed = _parsed(name, text)
        if name == "sarif":
            assert isinstance(parsed, dict)
            uris = {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in parsed["runs"][0]["results"]
            }
            assert uris == {"bad%FF.yaml"}  # the name's own byte, percent-encoded
        elif name == "json":
            assert isinstance(parsed, dict) and parsed["files"][0]["path"] == "./bad\ufffd.yaml"
        else:
            assert "bad\ufffd.yaml" in text, text  # the byte shown as U+FFFD, as ruff shows it


def test_a_name_that_is_not_utf8_on_a_strict_stdout(tmp_path: Path) -> None:
    # A stdout that refuses surrogates (Python's default under most UTF-8 locales): the text format still prints.
    _bad_name(tmp_path)
    done = _rnnlint(tmp_path, "--no-cache", ".", encoding="utf-8:strict")
    assert done.returncode == 1, done.stderr
    assert done.stdout.decode("utf-8").startswith("./bad\ufffd.yaml:3:1: RNN101 ")


def _old_report(tmp_path: Path) -> Path:
    target = tmp_path / "report.json"
    target.write_text("the previous run's report\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("name", ["text", "json", "sarif", "junit"])
def test_a_failed_run_leaves_the_old_report(tmp_path: Path, name: str) -> None:
    target = _old_report(tmp_path)
    (tmp_path / "t" / "a").mkdir(parents=True)
    (tmp_path / "t" / "a" / "m.yaml").write_bytes((EXAMPLES / "over_budget.yaml").read_bytes())
    (tmp_path / "t" / "b").mkdir()
    (tmp_path / "t" / "b" / "m.yaml").write_bytes((EXAMPLES / "clean.yaml").read_bytes())
    # A usage error met part-way: the second folder's configuration is wrong.
    (tmp_path / "t" / "b" / "pyproject.toml").write_text("[tool.rnnlint]\nno_such_key = 1\n", encoding="utf-8")
    done = _rnnlint(tmp_path, "--no-cache", "-j", "1", "--format", name, "--output-file", str(target), "t")
    assert done.returncode == 2 and b"no_such_key" in done.stderr
    missing = _rnnlint(tmp_path, "--format", name, "--output-file", str(target), "no-such-folder")
    assert missing.returncode == 2 and b"no such file" in missing.stderr
    assert target.read_text(encoding="utf-8") == "the previous run's report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "t"]  # no temporary left behind


def test_a_run_replaces_the_report_and_keeps_its_mode(tmp_path: Path) -> None:
    target = _old_report(tmp_path)
    target.chmod(0o640)
    args = ("--isolated", "--no-cache", "--format", "json", "--output-file", str(target), str(EXAMPLES))
    assert _rnnlint(tmp_path, *args).returncode == 1
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["files"] == 5
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_report_through_a_symlink_replaces_its_target(tmp_path: Path) -> None:
    target = _old_report(tmp_path)
    link = tmp_path / "latest.json"
    link.symlink_to(target.name)
    assert (
        _rnnlint(tmp_path, "--isolated", "--format", "json", "--output-file", str(link), str(EXAMPLES)).returncode == 1
    )
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))["summary"]["files"] == 5


def test_a_report_to_a_device_is_written_in_place(tmp_path: Path) -> None:
    if not os.path.exists("/dev/stdout"):
        pytest.skip("no /dev/stdout here")
    done = _rnnlint(tmp_path, "--isolated", "--format", "json", "--output-file", "/dev/stdout", str(EXAMPLES))
    assert done.returncode == 1
    report, verdict = done.stdout.decode().rsplit("\n}\n", 1)
    assert json.loads(report + "\n}")["summary"]["files"] == 5 and "5 configs checked" in verdict


def test_a_report_that_fails_part_way_leaves_the_old_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An rnnlint bug met while writing the report (as F6's name was in SARIF): the old report stays whole.
    from rnnlint.app.main import main
    from rnnlint.reporters import sarif

    target = _old_report(tmp_path)
    written: list[str] = []

    def failing(result: object, root: str) -> dict[str, object]:
        written.append(root)
        if len(written) == 2:
            raise RuntimeError("a bug in the reporter")
        return {}

    monkeypatch.setattr(sarif, "config_properties", failing)
    code = main(["--isolated", "--no-cache", "--format", "sarif", "--output-file", str(target), str(EXAMPLES)])
    assert code == 2 and len(written) == 2
    assert target.read_text(encoding="utf-8") == "the previous run's report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
