"""One JSON document on standard output (a stable contract, see docs/json-output.md)."""

from __future__ import annotations

from typing import Any, TextIO

from rnnlint import __version__, reporters
from rnnlint.parse.source import display_path
from rnnlint.reporters import ReportOptions, jsontext
from rnnlint.result import FileResult, LayerResult, RunResult

NAME = "json"
DESCRIPTION = "one JSON document with every file, layer and diagnostic"
STREAMS = True
NEEDS_SOURCE = False


def layer_entry(layer: LayerResult) -> dict[str, Any]:
    """One layer as ``--format json`` writes it (SARIF's properties carry the same)."""
    return {
        "name": layer.name,
        "type": layer.type,
        "line": layer.line,
        "column": layer.column,
        "params": layer.params,
        "recurrent": layer.recurrent,
        "formula": layer.formula,
    }


def file_entry(result: FileResult) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": display_path(result.path),
        "dialect": result.dialect,
        "framework": result.framework,
        "total_params": result.total_params,
        "counted_params": result.counted_params,
        "recurrent_params": result.recurrent_params,
        "complete": result.complete,
        "skipped": result.skipped,
        "layers": [layer_entry(layer) for layer in result.layers],
        "omitted": [{"message": o.message, "line": o.line, "column": o.column} for o in result.omitted],
        "diagnostics": [
            {
                "code": d.code,
                "severity": d.severity,
                "message": d.message,
                "line": d.line,
                "column": d.column,
                **({"end_line": d.end_line} if d.end_line is not None else {}),
                **({"end_column": d.end_column} if d.end_column is not None else {}),
            }
            for d in result.diagnostics
        ],
    }
    if result.document is not None:
        entry["document"] = result.document
    if result.base_ref:
        # --diff-base: the whole total at the base and the change (null when either side is unknown).
        entry["base_ref"] = result.base_ref
        entry["base_total"] = result.base_total
        total, base_total = result.total_params, result.base_total
        entry["delta"] = total - base_total if total is not None and base_total is not None else None
    if result.skipped:
        entry["skip_reason"] = result.skip_reason
    return entry


# The document's shape; the files and the summary are written in the markers' places as the run goes.
_FILES, _SUMMARY = "\0files\0", "\0summary\0"


class Writer:
    """``{"version", "files": [...], "summary"}``: the head at once, each file object as it comes, the
    summary at the end (the same text as one ``jsontext.dumps`` of the whole document)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        (head, files_at), (middle, self._summary_at), (self._tail, _) = jsontext.template(
            {"version": __version__, "files": _FILES, "summary": _SUMMARY}, [_FILES, _SUMMARY]
        )
        self._middle = middle
        out.write(head)
        self._files = jsontext.Array(out.write, files_at)

    def add(self, results: list[FileResult]) -> None:
        for result in results:
            self._files.add(file_entry(result))

    def close(self, run: RunResult) -> None:
        out = self._out
        out.write(self._files.closing() + self._middle)
        out.write(jsontext.dumps_at(run.summary(), self._summary_at) + self._tail + "\n")


def writer(out: TextIO, options: ReportOptions, strict: bool) -> Writer:
    return Writer(out)


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    reporters.write_all(writer(out, options, run.strict), run)
