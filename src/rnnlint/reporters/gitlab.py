"""GitLab Code Quality report (a JSON array of issues) for merge request widgets.

GitLab reads every entry as a code quality violation and ignores fields beyond its subset of the
Code Climate spec, so the notes that only state a count (RNN100, RNN106) are left out unless
``RNNLINT_LAYER_NOTES=1``; the counts are in ``--format json`` (or SARIF's property bags).
"""

from __future__ import annotations

import hashlib
from typing import Any, TextIO

from rnnlint.reporters import ReportOptions, jsontext
from rnnlint.reporters.common import is_count_note, layer_notes_wanted, line_fingerprints, relative_path
from rnnlint.result import RunResult

NAME = "gitlab"
DESCRIPTION = "GitLab Code Quality JSON (artifacts:reports:codequality)"

SEVERITIES = {"error": "major", "warning": "minor", "note": "info"}


def issues(run: RunResult, count_notes: bool = False) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for result in run.files:
        path = relative_path(result.path)
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
                    "location": {"path": path, "lines": {"begin": v.line}},
                }
            )
    return out


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    out.write(jsontext.dumps(issues(run, layer_notes_wanted(options.environ)), ensure_ascii=False))
    out.write("\n")
