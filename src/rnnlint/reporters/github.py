"""GitHub Actions workflow commands: an annotation per diagnostic, and a job summary table.

The runner's rules shape the output: it shows at most ten annotations of each level per
step, so errors come first, then warnings, then notices, and what does not fit is printed as
plain log lines (and counted in the summary); it ignores ``col`` when ``line`` and
``endLine`` differ; and it wants paths relative to the workspace.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO

from rnnlint.counting import fmt, signed_change
from rnnlint.reporters import ReportOptions
from rnnlint.reporters.common import (
    display_name,
    end_of,
    file_failed,
    relative_path,
    repository_root,
    source_lines,
)
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


# GitHub rejects a step summary file above 1 MiB ("supports content up to a size of 1024k"), and the
# file is per step: what earlier commands of the step appended counts too.
SUMMARY_LIMIT = 1024 * 1024
# The delta table's rows at most (the growth is what a reviewer reads first; the rest is in the log).
MAX_DELTA_ROWS = 50
# Room kept for the line that counts rows left out, and a margin.
_TAIL_RESERVE = 1024


def _has_recurrent(result: FileResult) -> bool:
    return any(layer.recurrent for layer in result.layers)


def _has_findings(result: FileResult) -> bool:
    return result.count("error") > 0 or result.count("warning") > 0


def counted_size(result: FileResult) -> int | None:
    """What was counted for the config: its total, or the sum of the parts counted; None if nothing was."""
    counted = result.counted_params
    if counted is None or not any(layer.params for layer in result.layers):
        return None
    return counted


def total_cell(result: FileResult) -> str:
    """The total as the summary states it: exact only when it is the whole model."""
    counted = counted_size(result)
    if counted is None:
        return "not counted"
    if result.complete and result.total_params is not None:
        return fmt(result.total_params)
    return f"at least {fmt(counted)}"


def recurrent_cells(result: FileResult) -> tuple[str, str]:
    """The number of recurrent layers and their parameters ("none" for a config that has none)."""
    recurrent = [layer for layer in result.layers if layer.recurrent]
    if not recurrent:
        return "none", "none"
    if all(layer.params is None for layer in recurrent):
        return str(len(recurrent)), "not counted"
    known = sum(layer.params or 0 for layer in recurrent)
    prefix = "at least " if any(layer.params is None for layer in recurrent) else ""
    return str(len(recurrent)), prefix + fmt(known)


def _row(result: FileResult, base: str | None, strict: bool) -> str:
    limit = "none"
    if "max_params" in result.limits:
        value, source = result.limits["max_params"]
        limit = f"{fmt(int(value))} ({source})"
    layers, recurrent = recurrent_cells(result)
    return (
        f"| `{_cell(display_name(result, base))}` | {_cell(result.dialect or 'unknown')} | {layers} | {recurrent} "
        f"| {total_cell(result)} | {_cell(limit)} | {_verdict(result, strict)} |"
    )


def _order(result: FileResult, strict: bool) -> tuple[bool, int, str]:
    # Failing configs first (they are why the job failed), then the largest first.
    size = counted_size(result)
    return (not file_failed(result, strict), -(size if size is not None else -1), result.path)


def _rest_line(rest: list[FileResult]) -> str:
    by_dialect: dict[str, int] = {}
    for result in rest:
        key = result.dialect or "unknown"
        by_dialect[key] = by_dialect.get(key, 0) + 1
    parts = ", ".join(f"{name} {n:,}" for name, n in sorted(by_dialect.items(), key=lambda kv: (-kv[1], kv[0])))
    n = len(rest)
    return f"{n:,} more config{'' if n == 1 else 's'} with no recurrent layer and no errors or warnings ({parts})."


def step_summary(run: RunResult, hidden: Mapping[str, int], base: str | None, budget: int = SUMMARY_LIMIT) -> str:
    """The Markdown appended to ``$GITHUB_STEP_SUMMARY``, at most ``budget`` bytes (UTF-8).

    A row for each config with recurrent layers or errors or warnings: failing ones first, then the
    largest first. The others are one line with their number per dialect. Rows that do not fit the
    budget are counted on a line of their own instead of shown.
    """
    listed = [r for r in run.linted if _has_recurrent(r) or _has_findings(r)]
    rest = [r for r in run.linted if not (_has_recurrent(r) or _has_findings(r))]
    listed.sort(key=lambda r: _order(r, run.strict))
    blocks = [f"## rnnlint\n\n{summary_line(run)}\n"]
    deltas = _delta_table(run, base)
    if deltas:
        blocks.append(deltas)
    after: list[str] = []
    if rest:
        after.append(_rest_line(rest) + "\n")
    if sum(hidden.values()):
        after.append(_hidden_line(hidden) + " They are listed in the step's log.\n")
    # Each block is followed by a blank line; the left-out line may be added, so room is kept for it.
    used = sum(len(b.encode()) + 1 for b in blocks + after) + _TAIL_RESERVE
    if used > budget:
        return ""
    table = ""
    shown = 0
    if listed:
        lines = [
            "| config | dialect | recurrent layers | recurrent parameters | total parameters | limit | verdict |",
            "|---|---|---:|---:|---:|---|---|",
        ]
        used += sum(len(line.encode()) + 1 for line in lines) + 1
        for result in listed:
            row = _row(result, base, run.strict)
            if used + len(row.encode()) + 1 > budget:
                break
            lines.append(row)
            used += len(row.encode()) + 1
            shown += 1
        table = "\n".join(lines) + "\n"
    left = len(listed) - shown
    if left:
        after.insert(
            0,
            f"{left:,} more config{'' if left == 1 else 's'} with recurrent layers or findings not shown, to keep "
            "this summary under GitHub's 1 MiB limit (`rnnlint count` lists every config).\n",
        )
    if shown:
        blocks.append(table)
    return "\n".join(blocks + after) + "\n"


def _delta_table(run: RunResult, base: str | None) -> str:
    """With --diff-base: the configs whose size changed, largest growth first (the summary leads with it)."""
    changed = [r for r in run.linted if r.base_ref and r.total_params != r.base_total]
    if not changed:
        return ""

    def growth(r: FileResult) -> int:
        old, new = r.base_total, r.total_params
        return new - old if old is not None and new is not None else 0

    changed.sort(key=lambda r: -growth(r))
    lines = [
        f"Model size against {changed[0].base_ref}:",
        "",
        "| config | base | now | change |",
        "|---|---:|---:|---:|",
    ]
    for r in changed[:MAX_DELTA_ROWS]:
        old, new = r.base_total, r.total_params
        shown = [f"{v:,}" if v is not None else "unknown" for v in (old, new)]
        change = signed_change(old, new)
        lines.append(f"| `{_cell(display_name(r, base))}` | {shown[0]} | {shown[1]} | {change} |")
    if len(changed) > MAX_DELTA_ROWS:
        lines.append(f"| {len(changed) - MAX_DELTA_ROWS:,} more changed configs | | | |")
    return "\n".join(lines) + "\n"


def _hidden_line(hidden: Mapping[str, int]) -> str:
    parts = ", ".join(f"{n} {COMMANDS[level]}{'' if n == 1 else 's'}" for level, n in hidden.items() if n)
    return (
        f"{sum(hidden.values())} annotations not shown ({parts}): "
        f"GitHub shows at most {MAX_PER_LEVEL} of each level per step."
    )


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    base = repository_root(options.environ)
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
            try:
                earlier = os.path.getsize(summary_path)
            except OSError:
                earlier = 0
            with open(summary_path, "a", encoding="utf-8") as fh:
                fh.write(step_summary(run, hidden, base, SUMMARY_LIMIT - earlier))
        except OSError as exc:
            sys.stderr.write(f"rnnlint: cannot append to GITHUB_STEP_SUMMARY {summary_path}: {exc.strerror}\n")
