"""An rnnlint bug never reads as a pass: exit 2, and the summary line says the run failed."""

from __future__ import annotations

import json

import pytest

from rnnlint import engine


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        # Past a 64-bit float: once an internal error (ValueError from formatting 'inf').
        (
            "model:\n  input_size: 10\n  layers:\n    - type: lstm\n      hidden_size: 1e400\n",
            "5:20",
            "reads 1e400 as the string '1e400'; as a number it overflows a 64-bit float",
        ),
        (
            "model:\n  input_size: 10\n  layers:\n    - type: lstm\n      hidden_size: 8\nlimits:\n"
            "  max_params: 50005e6000\n",
            "7:15",
            "as a number it overflows a 64-bit float",
        ),
        # Finite, but no framework has such a size.
        (
            "model:\n  input_size: 10\n  layers:\n    - type: lstm\n      hidden_size: 1e300\n",
            "5:20",
            "as a size it does not fit in 64 bits",
        ),
    ],
)
def test_huge_numbers_written_as_text_are_findings(run_cli, write, text: str, where: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = write("c.yaml", text)
    result = run_cli("--isolated", "--no-cache", path)
    assert result.code == 1, result.err
    assert result.err == ""
    [line, summary] = result.out.splitlines()
    assert line.startswith(f"{path.name}:{where}: RNN004 ") and fragment in line
    assert summary.endswith("failed.")


def _explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_summary_agrees_with_the_exit_code_after_an_internal_error(run_cli, write, monkeypatch, fmt: str) -> None:  # type: ignore[no-untyped-def]
    good = write("a.yaml", "model:\n  input_size: 4\n  layers:\n    - type: gru\n      hidden_size: 2\n")
    bad = write("b.yaml", "model:\n  input_size: 4\n  layers:\n    - type: gru\n      hidden_size: 3\n")
    real = engine.lint_parsed

    def lint_parsed(parsed, settings, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(parsed.source.path).endswith("b.yaml"):
            _explode()
        return real(parsed, settings, *args, **kwargs)

    monkeypatch.setattr(engine, "lint_parsed", lint_parsed)
    result = run_cli("--isolated", "--no-cache", "-j", "1", "--format", fmt, good.name, bad.name)
    assert result.code == 2
    assert "Traceback" not in result.out + result.err
    assert result.err.strip() == f"rnnlint: {bad.name}: internal error: RuntimeError: boom"
    if fmt == "text":
        summary = result.out.splitlines()[-1]
        assert summary == (
            "1 config checked: 0 errors, 0 warnings, 1 note; 1 recurrent layer counted; 1 internal error; failed."
        )
    else:
        summary = json.loads(result.out)["summary"]
        assert summary["internal_errors"] == 1
        assert summary["failed"] is True
