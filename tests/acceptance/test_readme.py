"""The README's sample output is what rnnlint really prints for the shipped examples."""

from __future__ import annotations

import os
import re

import pytest

from tests.conftest import REPO, needs_shared

README = (REPO / "README.md").read_text(encoding="utf-8")


def console_block(command: str) -> list[str]:
    match = re.search(r"```console\n\$ " + re.escape(command) + r"\n(.*?)```", README, re.S)
    assert match, f"README has no console block for {command!r}"
    return match.group(1).rstrip("\n").splitlines()


@pytest.mark.parametrize("command", ["rnnlint examples/", "rnnlint count examples/stacked_bilstm_proj.yaml"])
def test_readme_sample_output_is_real(run_cli, monkeypatch: pytest.MonkeyPatch, command: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(REPO)
    args = command.split()[1:]
    result = run_cli("--isolated", *args) if args[0] != "count" else run_cli("count", "--isolated", *args[1:])
    assert result.out.rstrip("\n").splitlines() == console_block(command)
    assert os.getcwd() == str(REPO)


def test_readme_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest

    monkeypatch.chdir(REPO)
    blocks = [b for b in re.findall(r"```python\n(.*?)```", README, re.S) if ">>>" in b]
    assert blocks, "README has no Python example"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for n, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README python block {n}", "README.md", 0))
    results = runner.summarize(verbose=False)
    assert results.failed == 0 and results.attempted >= 4


@needs_shared
def test_readme_sample_outputs_are_current() -> None:
    """Every runnable ``$ rnnlint ...`` block prints what rnnlint prints today (tools/readme_samples.py)."""
    import subprocess
    import sys

    tool = REPO / "tools" / "readme_samples.py"
    done = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + " (run: python tools/readme_samples.py)"
