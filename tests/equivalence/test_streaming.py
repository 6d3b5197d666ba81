"""Streamed reports: each file's part is written as soon as it is known, and the bytes are those of the
whole-document reporters they replaced (tests/reporting_oracle.py), in one process or several."""

from __future__ import annotations

import io
import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rnnlint import engine
from rnnlint.reporters import ReportOptions, get, junit, streams
from rnnlint.result import FileResult, RunResult
from rnnlint.run.discovery import iter_files
from rnnlint.settings import load_settings
from tests import reporting_oracle
from tests.conftest import EXAMPLES

STREAMED = sorted(reporting_oracle.REPORTS)

LSTM = """\
model:
  input_size: {input}
  layers:
    - type: {kind}
      hidden_size: {hidden}
      num_layers: {layers}
      bidirectional: {bidi}
limits:
  max_params: {limit}
"""


def _tree(root: Path, files: int, seed: int) -> Path:
    """A project of ``files`` configs in nested folders: clean ones, over budget, schema errors, files a
    walk skips, multi-document files, parse errors, and the examples."""
    rng = random.Random(seed)
    tree = root / "tree"
    examples = sorted(EXAMPLES.glob("*.yaml"))
    for i in range(files):
        folder = tree / f"d{i % 7}" / (f"e{i % 3}" if i % 2 else "")
        folder.mkdir(parents=True, exist_ok=True)
        kind = rng.randrange(6)
        if kind == 0:
            text = examples[i % len(examples)].read_text(encoding="utf-8")
        elif kind == 1:
            text = f"name: not a model {i}\nvalues: [1, 2, 3]\n"  # skipped by the walk
        elif kind == 2:
            text = "model: {layers: [\n"  # a parse error
        elif kind == 3:
            one = LSTM.format(input=8, kind="gru", hidden=4 + i, layers=1, bidi="false", limit=10**6)
            text = one + "---\n" + LSTM.format(input=9, kind="lstm", hidden=3, layers=2, bidi="true", limit=10)
        else:
            text = LSTM.format(
                input=rng.choice([16, 80, "eighty"]),
                kind=rng.choice(["lstm", "gru", "rnn"]),
                hidden=rng.choice([8, 64, 512]),
                layers=rng.choice([1, 2]),
                bidi=rng.choice(["true", "false"]),
                limit=rng.choice([100, 10**9]),
            )
        (folder / f"c{i:03d}.yaml").write_text(text, encoding="utf-8")
    return tree


def _whole_run(tree: Path, strict: bool) -> RunResult:
    """Every result of the tree, held, as the reporters had them before they streamed."""
    settings = load_settings(None, True)
    if strict:
        settings = settings.with_cli(strict=True)
    files: list[FileResult] = []
    for candidate in iter_files([str(tree)], settings):
        files.extend(engine.lint_file(candidate.path, settings, walked=not candidate.explicit))
    return RunResult(files, strict=settings.strict)


@pytest.mark.parametrize("strict", [False, True])
def test_streamed_reports_are_the_whole_documents(run_cli, tmp_path: Path, strict: bool) -> None:  # type: ignore[no-untyped-def]
    tree = _tree(tmp_path, 60, seed=14)
    run = _whole_run(tree, strict)
    assert {f.skipped for f in run.files} == {True, False} and any(f.document for f in run.files)
    flags = ["--strict"] if strict else []
    for name in STREAMED:
        expected = reporting_oracle.report(name, run)
        for jobs in ("1", "2"):
            result = run_cli("--isolated", "--no-cache", "-j", jobs, "--format", name, *flags, tree)
            assert result.code == 1, result.err
            assert result.out == expected, (name, jobs)
        target = tmp_path / f"report.{name}"
        assert run_cli("--isolated", "--format", name, *flags, "--output-file", target, tree).code == 1
        assert target.read_text(encoding="utf-8") == expected, name


def test_streamed_reports_of_nothing(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty").mkdir()
    run = RunResult([])
    for name in STREAMED:
        result = run_cli("--isolated", "--format", name, tmp_path / "empty")
        assert result.code == 0
        assert result.out == reporting_oracle.report(name, run), name


@pytest.mark.parametrize("name", STREAMED)
def test_a_large_part_goes_through_the_spool_and_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # A spool that moves to disk at once: the parts that wait for the counts make the round trip.
    from rnnlint.reporters import common

    monkeypatch.setattr(common, "SPOOL_CHARS", 1)
    run = _whole_run(_tree(tmp_path, 30, seed=3), strict=False)
    out = io.StringIO()
    get(name).report(run, out, ReportOptions(environ=os.environ))
    assert out.getvalue() == reporting_oracle.report(name, run)


@pytest.mark.parametrize("name", [*STREAMED, "full"])
def test_each_files_part_is_written_before_the_next_file_is_linted(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:  # type: ignore[no-untyped-def]
    from rnnlint.app import check as runner

    assert streams(get(name))
    run = _whole_run(_tree(tmp_path, 12, seed=5), strict=False)
    linted = [f for f in run.files if f.count("error")]
    first, second = linted[0], linted[1]
    stdout = io.StringIO()
    # JUnit's test cases wait in a spool for the suite's counts (attributes of the element around them).
    spooled = io.StringIO()
    monkeypatch.setattr(junit, "spool", lambda: spooled)
    seen: list[bool] = []

    def outcomes(*args: object) -> Iterator[tuple[list[FileResult], str | None]]:
        yield [first], None
        # The run asks for the second file only now: the first one's part must be out already.
        seen.append(Path(first.path).name in (spooled if name == "junit" else stdout).getvalue())
        yield [second], None

    monkeypatch.setattr(runner, "_outcomes", outcomes)
    monkeypatch.setattr(sys, "stdout", stdout)
    run_cli("--isolated", "--format", name, tmp_path)
    assert seen == [True]
    assert Path(second.path).name in stdout.getvalue()
