"""The reporter registry: ``--format`` choices come from :data:`REPORTERS`.

A reporter is a module with ``NAME``, ``DESCRIPTION`` and
``report(run, out, options) -> None``. Adding a format is adding its module and one line.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol, TextIO, cast

from rnnlint.result import RunResult

# format name -> module under rnnlint.reporters
REPORTERS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
}


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    # Print the summary line (text formats); machine formats ignore it.
    summary: bool = True


class Reporter(Protocol):
    NAME: str
    DESCRIPTION: str

    def report(self, run: RunResult, out: TextIO, options: ReportOptions) -> None: ...


def names() -> list[str]:
    return list(REPORTERS)


def get(name: str) -> Reporter:
    return cast(Reporter, importlib.import_module(f"rnnlint.reporters.{REPORTERS[name]}"))
