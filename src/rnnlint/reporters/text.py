"""``path:line:col: CODE message`` lines, then a one-line summary."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from rnnlint.parse.source import display_path
from rnnlint.reporters import ReportOptions
from rnnlint.result import FileResult, RunResult, Violation

NAME = "text"
DESCRIPTION = "path:line:col: CODE message, then a summary (default)"
NEEDS_SOURCE = False

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def format_violation(result: FileResult, v: Violation, color: bool) -> str:
    return _line(display_path(result.path), v, color)


def _line(path: str, v: Violation, color: bool) -> str:
    where = f"{path}:{v.line}:{v.column}:"
    code = v.code
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        code = f"{_COLORS[v.severity]}{code}{_RESET}"
    return f"{where} {code} {v.message}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(run: RunResult) -> str:
    s = run.summary()
    parts = [
        _plural(int(s["errors"]), "error"),
        _plural(int(s["warnings"]), "warning"),
        _plural(int(s["notes"]), "note"),
    ]
    files = f"{_plural(int(s['linted']), 'config')} checked"
    if s["skipped"]:
        files += f", {s['skipped']} skipped (not model configs)"
    verdict = "failed" if s["failed"] else "passed"
    if s["internal_errors"]:  # an rnnlint bug (on stderr) fails the run: the verdict says so too
        verdict = f"{_plural(int(s['internal_errors']), 'internal error')}; {verdict}"
    return f"{files}: {', '.join(parts)}; {_plural(int(s['recurrent_layers']), 'recurrent layer')} counted; {verdict}."


def _lines(result: FileResult, color: bool) -> str:
    """One file's lines, as format_violation writes them (the path worked out once per file)."""
    where = display_path(result.path)
    return "".join(_line(where, v, color) + "\n" for v in result.diagnostics)


def lines(results: Iterable[FileResult], color: bool) -> str:
    """What :func:`report` writes for these results, without the summary, as one string."""
    return "".join([_lines(result, color) for result in results if result.diagnostics])


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    for result in run.files:
        if result.diagnostics:
            out.write(_lines(result, options.color))  # one write per file
    if options.summary:
        out.write(summary_line(run) + "\n")
