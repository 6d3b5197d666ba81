"""GitLab Code Quality report (a JSON array of issues) for merge request widgets.

GitLab reads every entry as a code quality violation and ignores fields beyond its subset of the
Code Climate spec, so the notes that only state a count (RNN100, RNN106) are left out unless
``RNNLINT_LAYER_NOTES=1``; the counts are in ``--format json`` (or SARIF's property bags).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from typing import Any, TextIO

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
from rnnlint.result import RunResult, Violation

NAME = "gitlab"
DESCRIPTION = "GitLab Code Quality JSON (artifacts:reports:codequality)"

SEVERITIES = {"error": "major", "warning": "minor", "note": "info"}


def issues(run: RunResult, count_notes: bool = False, environ: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    # GitLab resolves paths against the checkout (CI_PROJECT_DIR), whatever folder the job ran rnnlint in.
    root = repository_root(os.environ if environ is None else environ)
    out: list[dict[str, Any]] = []
    for result in run.files:
        path = relative_path(result.path, root)
        lines = source_lines(result)
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


def _lines(v: Violation, lines: list[str]) -> dict[str, int]:
    span = {"begin": v.line}
    end = end_of(v, lines).line
    if end is not None and end > v.line:
        span["end"] = end
    return span


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    found = issues(run, layer_notes_wanted(options.environ), options.environ)
    out.write(jsontext.dumps(found, ensure_ascii=False))
    out.write("\n")
