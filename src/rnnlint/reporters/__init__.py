"""The reporter registry: ``--format`` choices come from :data:`REPORTERS`.

A reporter is a module with ``NAME``, ``DESCRIPTION`` and
``report(run, out, options) -> None``. Adding a format is adding its module and one line.
The registry holds module *names* so that building the command line imports no reporter.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol, TextIO, cast

if TYPE_CHECKING:
    from rnnlint.result import RunResult

# format name -> module under rnnlint.reporters ("auto" is resolved by :func:`resolve`).
REPORTERS: dict[str, str] = {
    "text": "text",
    "full": "full",
    "json": "json_format",
    "github": "github",
    "sarif": "sarif",
    "gitlab": "gitlab",
    "junit": "junit",
    "auto": "",
}


class ReportOptions(NamedTuple):
    color: bool = False
    # Print the summary line (text formats); machine formats ignore it.
    summary: bool = True
    # The environment the report is for (GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, ...).
    # Default: the process environment itself, read when the report is written.
    environ: Mapping[str, str] = os.environ


class Reporter(Protocol):
    NAME: str
    DESCRIPTION: str

    def report(self, run: RunResult, out: TextIO, options: ReportOptions) -> None: ...


def names() -> list[str]:
    return list(REPORTERS)


def resolve(name: str, environ: Mapping[str, str]) -> str:
    """The concrete format for ``name``: ``auto`` is ``github`` inside GitHub Actions, else ``text``."""
    if name != "auto":
        return name
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def get(name: str) -> Reporter:
    return cast(Reporter, importlib.import_module(f"rnnlint.reporters.{REPORTERS[name]}"))
