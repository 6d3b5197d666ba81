"""GitLab Code Quality report (a JSON array of issues) for merge request widgets.

GitLab reads every entry as a code quality violation and ignores fields beyond its subset of the
Code Climate spec, so the notes that only state a count (RNN100, RNN106) are left out unless
``RNNLINT_LAYER_NOTES=1``; the counts are in ``--format json`` (or SARIF's property bags).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, TextIO

from rnnlint import reporters
from rnnlint.reporters import ReportOptions, jsontext
from rnnlint.reporters.common import (
    end_of,
    is_count_note,
    layer_notes_wanted,
    line_fingerprints,
    relative_path,
    repository_root,
    source_lines,
)
from rnnlint.result import FileResult, RunResult, Violation

NAME = "gitlab"
DESCRIPTION = "GitLab Code Quality JSON (artifacts:reports:codequality)"
STREAMS = True

SEVERITIES = {"error": "major", "warning": "minor", "note": "info"}


def file_issues(result: FileResult, count_notes: bool, root: str) -> list[dict[str, Any]]:
    """One result's Code Quality entries (paths relative to ``root``)."""
    path = relative_path(result.path, root)
    lines = source_lines(result)
    out: list[dict[str, Any]] = []
    for v, line_hash in zip(result.diagnostics, line_fingerprints(result), strict=True):
        if not count_notes and is_count_note(v):
            continue
        # Stable when unrelated lines move: path, code and the line's text, not its number.
        fingerprint = hashlib.md5(f"{path}\0{v.code}\0{line_hash}".encode(), usedforsecurity=False)
        out.append(
            {
                "type": "issue",
                "check_name": v.code,
                "description": f"{v.code} {v.message}",
                "categories": ["Bug Risk"] if v.severity == "error" else ["Style"],
                "fingerprint": fingerprint.hexdigest(),
                "severity": SEVERITIES[v.severity],
                "location": {"path": path, "lines": _lines(v, lines)},
            }
        )
    return out


class Writer:
    """The array of issues, each file's as it comes."""

    def __init__(self, out: TextIO, count_notes: bool, environ: Mapping[str, str]) -> None:
        self._out = out
        self._count_notes = count_notes
        # GitLab resolves paths against the checkout (CI_PROJECT_DIR), whatever folder the job ran rnnlint in.
        self._root = repository_root(environ)
        self._issues = jsontext.Array(out.write, "\n", ensure_ascii=False)

    def add(self, results: list[FileResult]) -> None:
        for result in results:
            for issue in file_issues(result, self._count_notes, self._root):
                self._issues.add(issue)

    def close(self, run: RunResult) -> None:
        self._out.write(self._issues.closing() + "\n")


def writer(out: TextIO, options: ReportOptions, strict: bool) -> Writer:
    return Writer(out, layer_notes_wanted(options.environ), options.environ)


def _lines(v: Violation, lines: list[str]) -> dict[str, int]:
    span = {"begin": v.line}
    end = end_of(v, lines).line
    if end is not None and end > v.line:
        span["end"] = end
    return span


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    reporters.write_all(writer(out, options, run.strict), run)
