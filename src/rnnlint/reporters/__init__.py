"""The reporter registry: ``--format`` choices come from :data:`REPORTERS`.

A reporter is a module with ``NAME``, ``DESCRIPTION`` and
``report(run, out, options) -> None``. Adding a format is adding its module and one line.
The registry holds module *names* so that building the command line imports no reporter.

Capabilities are declared by the module itself:

- ``STREAMS = True``: it also has ``writer(out, options, strict) -> Writer``, which writes each file's
  part as soon as it is given (memory stays flat in the number of files); ``report`` is that writer
  fed the whole run, so the two give the same bytes.
- ``NEEDS_SOURCE = False``: it never reads a result's source text (the run may drop it).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol, TextIO, cast

if TYPE_CHECKING:
    from rnnlint.result import FileResult, RunResult

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


class Writer(Protocol):
    """A report written as the run goes: each file's results as they come, in order, then the end."""

    def add(self, results: list[FileResult]) -> None:
        """One file's results (a multi-document file has several): its part of the report."""

    def close(self, run: RunResult) -> None:
        """The end of the report; ``run`` answers the summary (its files may be stand-ins with the same counts)."""


def streams(reporter: Reporter) -> bool:
    return bool(getattr(reporter, "STREAMS", False))


def writer(reporter: Reporter, out: TextIO, options: ReportOptions, strict: bool) -> Writer:
    """A streaming reporter's writer (:func:`streams`); ``strict``: the run's --strict."""
    make: Callable[[TextIO, ReportOptions, bool], Writer] = reporter.writer  # type: ignore[attr-defined]
    return make(out, options, strict)


def needs_source(reporter: Reporter) -> bool:
    return bool(getattr(reporter, "NEEDS_SOURCE", True))


def write_all(writer: Writer, run: RunResult, by_path: bool = False) -> None:
    """A streaming reporter's ``report``: its writer fed the whole run, a run of results of one path at a
    time (``by_path``: all of a path's results together, in the order paths first appear)."""
    import itertools

    groups: list[list[FileResult]]
    if by_path:
        grouped: dict[str, list[FileResult]] = {}
        for result in run.files:
            grouped.setdefault(result.path, []).append(result)
        groups = list(grouped.values())
    else:
        groups = [list(group) for _, group in itertools.groupby(run.files, key=lambda result: result.path)]
    for results in groups:
        writer.add(results)
    writer.close(run)


def names() -> list[str]:
    return list(REPORTERS)


def resolve(name: str, environ: Mapping[str, str]) -> str:
    """The concrete format for ``name``: ``auto`` is ``github`` inside GitHub Actions, else ``text``."""
    if name != "auto":
        return name
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def get(name: str) -> Reporter:
    return cast(Reporter, importlib.import_module(f"rnnlint.reporters.{REPORTERS[name]}"))
