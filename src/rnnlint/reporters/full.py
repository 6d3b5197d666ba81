"""As ``text``, plus each diagnostic's source line with a caret under it, and every count's derivation."""

from __future__ import annotations

from typing import TextIO

from rnnlint import reporters
from rnnlint.counting import fmt
from rnnlint.parse.source import display_path
from rnnlint.reporters import ReportOptions
from rnnlint.reporters.common import end_of, source_lines
from rnnlint.reporters.text import format_violation, summary_line
from rnnlint.result import FileResult, RunResult, Violation

NAME = "full"
DESCRIPTION = "as text, with the source line, a caret under the column, and each count's derivation"
STREAMS = True

_DIM, _RESET = "\033[2m", "\033[0m"


def _excerpt(lines: list[str], v: Violation, color: bool) -> list[str]:
    if not 0 < v.line <= len(lines):
        return []
    text = lines[v.line - 1]
    gutter = str(v.line)
    pad = " " * len(gutter)
    # Keep tabs in the indent so the caret lines up however the terminal expands them.
    indent = "".join(c if c == "\t" else " " for c in text[: max(v.column - 1, 0)])
    end = end_of(v, lines)
    width = 1
    if end.line == v.line and end.column is not None:
        width = max(end.column - v.column + 1, 1)
    caret = "^" * min(width, max(len(text) - v.column + 1, 1))
    excerpt = [f" {pad} |", f" {gutter} | {text}", f" {pad} | {indent}{caret}"]
    return [f"{_DIM}{line}{_RESET}" for line in excerpt] if color else excerpt


def _derivations(result: FileResult) -> list[str]:
    counted = result.counted_params
    if result.skipped or result.dialect is None:  # no model: nothing to derive
        return []
    where = display_path(result.path)
    if counted is None or not any(layer.params for layer in result.layers):
        total = "no layer counted"  # never "0 parameters": nothing was counted, not nothing built
    elif result.complete and result.total_params is not None:
        total = f"{fmt(result.total_params)} parameters"
    else:
        total = f"at least {fmt(counted)} parameters (not the whole model)"
    recurrent_layers = [layer for layer in result.layers if layer.recurrent]
    recurrent = f"recurrent {fmt(result.recurrent_params or 0)}" if recurrent_layers else "no recurrent layer"
    out = [f"{where}: {result.dialect}, {result.framework or 'framework unknown'}: {total}, {recurrent}"]
    for layer in result.layers:
        params = fmt(layer.params) if layer.params is not None else "not counted"
        out.append(f"  line {layer.line}: {layer.name} ({layer.type}): {params}")
        if layer.formula:
            out.append(f"    = {layer.formula}")
    return out


class Writer:
    """Each file's diagnostics and derivations as they come, then the summary line."""

    def __init__(self, out: TextIO, options: ReportOptions) -> None:
        self._out = out
        self._options = options

    def add(self, results: list[FileResult]) -> None:
        color = self._options.color
        out: list[str] = []
        for result in results:
            lines = source_lines(result)
            for v in result.diagnostics:
                out.append(format_violation(result, v, color) + "\n")
                out.extend(line + "\n" for line in _excerpt(lines, v, color))
                out.append("\n")
            out.extend(line + "\n" for line in _derivations(result))
            if result.layers:
                out.append("\n")
        self._out.write("".join(out))  # one write per file

    def close(self, run: RunResult) -> None:
        if self._options.summary:
            self._out.write(summary_line(run) + "\n")


def writer(out: TextIO, options: ReportOptions, strict: bool) -> Writer:
    return Writer(out, options)


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    reporters.write_all(writer(out, options, run.strict), run)
