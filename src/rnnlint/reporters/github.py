"""GitHub Actions workflow commands: an annotation per diagnostic, and a job summary table.

The runner's rules shape the output: it shows at most ten annotations of each level per
step, so errors come first, then warnings, then notices, and what does not fit is printed as
plain log lines (and counted in the summary); it ignores ``col`` when ``line`` and
``endLine`` differ; and it wants paths relative to the workspace.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TextIO

from rnnlint.counting import fmt
from rnnlint.reporters import ReportOptions
from rnnlint.reporters.common import display_name, end_of, file_failed, relative_path, source_lines
from rnnlint.reporters.text import summary_line
from rnnlint.result import SEVERITIES, FileResult, RunResult, Violation

NAME = "github"
DESCRIPTION = "GitHub Actions annotations (::error/::warning/::notice) and a job summary table"

# The runner displays this many annotations of each level per step.
MAX_PER_LEVEL = 10
COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file=..., title=...): ':' and ',' would end it, so they are escaped too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(path: str, v: Violation, lines: list[str] | None = None) -> str:
    props = [f"file={escape_property(path)}", f"line={v.line}"]
    end = end_of(v, lines or [])
    if end.line is not None and end.line != v.line:
        # The runner drops col when the annotation spans lines; say only what it will show.
        props.append(f"endLine={end.line}")
    else:
        props.append(f"col={v.column}")
        if end.column is not None:
            props.append(f"endColumn={end.column}")
    props.append(f"title={escape_property('rnnlint ' + v.code)}")
    return f"::{COMMANDS[v.severity]} {','.join(props)}::{escape_data(v.message)}"


def _verdict(result: FileResult, strict: bool) -> str:
    counts = [
        f"{n} {label}{'' if n == 1 else 's'}"
        for label, n in (("error", result.count("error")), ("warning", result.count("warning")))
        if n
    ]
    word = "failed" if file_failed(result, strict) else "passed"
    icon = ":x:" if word == "failed" else ":white_check_mark:"
    return f"{icon} {word}" + (f" ({', '.join(counts)})" if counts else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def step_summary(run: RunResult, hidden: Mapping[str, int], base: str | None) -> str:
    """The Markdown appended to ``$GITHUB_STEP_SUMMARY``: one row per config."""
    rows = [
        "## rnnlint",
        "",
        "| config | dialect | total parameters | limit | verdict |",
        "|---|---|---:|---|---|",
    ]
    for result in run.linted:
        total = "not counted"
        if result.total_params is not None:
            total = ("≥ " if not result.complete else "") + fmt(result.total_params)
        limit = "none"
        if "max_params" in result.limits:
            value, source = result.limits["max_params"]
            limit = f"{fmt(int(value))} ({source})"
        rows.append(
            f"| `{_cell(display_name(result, base))}` | {_cell(result.dialect or 'unknown')} | {total} "
            f"| {_cell(limit)} | {_verdict(result, run.strict)} |"
        )
    rows += ["", summary_line(run)]
    not_shown = sum(hidden.values())
    if not_shown:
        rows.append("")
        rows.append(_hidden_line(hidden) + " They are listed in the step's log.")
    return "\n".join(rows) + "\n\n"


def _hidden_line(hidden: Mapping[str, int]) -> str:
    parts = ", ".join(f"{n} {COMMANDS[level]}{'' if n == 1 else 's'}" for level, n in hidden.items() if n)
    return (
        f"{sum(hidden.values())} annotations not shown ({parts}): "
        f"GitHub shows at most {MAX_PER_LEVEL} of each level per step."
    )


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    base = options.environ.get("GITHUB_WORKSPACE") or None
    hidden: dict[str, int] = {}
    overflow: list[str] = []
    for level in SEVERITIES:
        shown = 0
        for result in run.files:
            path = relative_path(result.path, base)
            lines = source_lines(result)
            for v in result.diagnostics:
                if v.severity != level:
                    continue
                if shown < MAX_PER_LEVEL:
                    out.write(workflow_command(path, v, lines) + "\n")
                    shown += 1
                else:
                    hidden[level] = hidden.get(level, 0) + 1
                    overflow.append(f"{path}:{v.line}:{v.column}: {v.code} {v.message}")
    for line in overflow:
        out.write(line + "\n")
    if options.summary:
        out.write(summary_line(run) + "\n")
        if hidden:
            out.write(_hidden_line(hidden) + "\n")
    summary_path = options.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        try:
            with open(summary_path, "a", encoding="utf-8") as fh:
                fh.write(step_summary(run, hidden, base))
        except OSError as exc:
            sys.stderr.write(f"rnnlint: cannot append to GITHUB_STEP_SUMMARY {summary_path}: {exc.strerror}\n")
