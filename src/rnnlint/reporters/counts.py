"""``rnnlint count``: every layer's parameters, sizes and bytes, per file and across files.

Four forms of the same figures: ``text`` (a table per file), ``json`` (for scripts), ``markdown``
(for a pull-request comment) and ``csv`` (for a spreadsheet). Bytes are parameters times the
dtype's width; "MB" is 10^6 bytes, as torchinfo's "Params size (MB)" shows it. A total that leaves
parts out is "at least N" in every form, and a model with nothing counted says why, never 0.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from rnnlint import __version__
from rnnlint.counting import fmt
from rnnlint.parse.source import display_path
from rnnlint.reporters import jsontext
from rnnlint.result import FileResult

FORMATS: tuple[str, ...] = ("text", "json", "markdown", "csv")
# Bytes per parameter.
DTYPES: dict[str, int] = {"fp32": 4, "fp16": 2, "bf16": 2, "int8": 1}


def megabytes(params: int, dtype: str) -> str:
    """``params`` at ``dtype`` in MB (10^6 bytes, as torchinfo), two decimals."""
    return f"{params * DTYPES[dtype] / 1e6:.2f} MB"


def _size(n: int | None) -> str:
    return "-" if n is None else str(n)


def counted(files: Sequence[FileResult]) -> list[FileResult]:
    """The files a count covers: linted, with a model."""
    return [f for f in files if not f.skipped]


def _not_counted_reason(result: FileResult) -> str | None:
    """Why a file has no table (None when it has one)."""
    if result.dialect is not None and (result.layers or result.counted_params is not None):
        return None
    errors = [d.message for d in result.diagnostics if d.severity == "error"]
    reasons = errors or [o.message for o in result.omitted]
    return reasons[0] if reasons else ""


def non_trainable(result: FileResult) -> int:
    """Parameters the framework keeps but does not train (Keras moving statistics, frozen layers)."""
    return sum(layer.non_trainable for layer in result.layers if layer.params is not None)


def _trainable_note(result: FileResult, total: int) -> str:
    frozen = non_trainable(result)
    return f" (trainable {fmt(total - frozen)}, non-trainable {fmt(frozen)})" if frozen else ""


def total_line(result: FileResult, dtype: str) -> str:
    """A table's last line: the model's total only when every part is counted."""
    recurrent = "unknown" if result.recurrent_params is None else fmt(result.recurrent_params)
    if result.total_params is not None:
        size = megabytes(result.total_params, dtype)
        total = result.total_params
        return (
            f"total {fmt(total)} parameters{_trainable_note(result, total)}, recurrent {recurrent}; {size} at {dtype}"
        )
    if result.counted_params is None:
        return f"total unknown: no part could be counted, recurrent {recurrent}"
    return (
        f"total unknown: at least {fmt(result.counted_params)} parameters (part of the model is not counted), "
        f"recurrent {recurrent}"
    )


class Totals:
    """The sum over files: exact only when every file's total is known."""

    def __init__(self, files: Sequence[FileResult]) -> None:
        models = [f for f in files if _not_counted_reason(f) is None]
        self.configs = len(models)
        self.not_counted = len(files) - len(models)
        self.params = sum(f.counted_params or 0 for f in models)
        self.recurrent = sum(f.recurrent_params or 0 for f in models)
        # Any file whose total is unknown makes the sum a lower bound.
        self.lower_bound = self.not_counted > 0 or any(f.total_params is None for f in models)

    def line(self, dtype: str) -> str:
        what = "at least " if self.lower_bound else ""
        size = megabytes(self.params, dtype)
        return (
            f"all {self.configs} counted config{'s' if self.configs != 1 else ''}: {what}{fmt(self.params)} parameters "
            f"({what}{size} {dtype}), recurrent {what}{fmt(self.recurrent)}"
        )


def write_text(files: Sequence[FileResult], skipped: int, out: TextIO, dtype: str) -> None:
    shown = counted(files)
    for result in shown:
        where = display_path(result.path)
        reason = _not_counted_reason(result)
        if reason is not None:
            out.write(f"{where}: not counted{': ' + reason if reason else ''}\n\n")
            continue
        out.write(f"{where}  ({result.dialect}, {result.framework or 'framework unknown'})\n")
        rows = [("layer", "type", "line", "in", "out", "params", dtype)]
        for layer in result.layers:
            params = "unknown" if layer.params is None else fmt(layer.params)
            size = "-" if layer.params is None else megabytes(layer.params, dtype)
            rows.append(
                (
                    layer.name,
                    layer.type,
                    str(layer.line),
                    _size(layer.input_size),
                    _size(layer.output_size),
                    params,
                    size,
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for i, row in enumerate(rows):
            cells = [f"{c:<{w}}" if k < 2 else f"{c:>{w}}" for k, (c, w) in enumerate(zip(row, widths, strict=True))]
            out.write("  " + "  ".join(cells).rstrip() + "\n")
            if i == 0:
                out.write("  " + "  ".join("-" * w for w in widths) + "\n")
        out.write(f"  {total_line(result, dtype)}\n\n")
    totals = Totals(shown)
    if totals.configs > 1:
        out.write(totals.line(dtype) + "\n")
    out.write(f"{len(shown)} config{'s' if len(shown) != 1 else ''} read, {skipped} skipped (not model configs).\n")


def _layer_entry(layer: Any, dtype: str) -> dict[str, Any]:
    return {
        "name": layer.name,
        "type": layer.type,
        "line": layer.line,
        "column": layer.column,
        "recurrent": layer.recurrent,
        "input_size": layer.input_size,
        "output_size": layer.output_size,
        "params": layer.params,
        "trainable_params": None if layer.params is None else layer.params - layer.non_trainable,
        "non_trainable_params": None if layer.params is None else layer.non_trainable,
        "bytes": None if layer.params is None else layer.params * DTYPES[dtype],
    }


def document(files: Sequence[FileResult], dtype: str) -> dict[str, Any]:
    shown = counted(files)
    width = DTYPES[dtype]
    totals = Totals(shown)
    entries = []
    for result in shown:
        entries.append(
            {
                "path": display_path(result.path),
                "dialect": result.dialect,
                "framework": result.framework,
                "total_params": result.total_params,
                "counted_params": result.counted_params,
                "recurrent_params": result.recurrent_params,
                "complete": result.complete,
                # Of total_params (or of counted_params, when the total is unknown).
                "non_trainable_params": None if result.counted_params is None else non_trainable(result),
                "bytes": None if result.total_params is None else result.total_params * width,
                "counted_bytes": None if result.counted_params is None else result.counted_params * width,
                "not_counted": _not_counted_reason(result),
                "layers": [_layer_entry(layer, dtype) for layer in result.layers],
                "omitted": [{"message": o.message, "line": o.line, "column": o.column} for o in result.omitted],
            }
        )
    return {
        "version": __version__,
        "dtype": dtype,
        "bytes_per_param": width,
        "files": entries,
        "totals": {
            "configs": totals.configs,
            "not_counted": totals.not_counted,
            # The sums over every counted config; a lower bound when lower_bound is true.
            "params": totals.params,
            "recurrent_params": totals.recurrent,
            "bytes": totals.params * width,
            "lower_bound": totals.lower_bound,
        },
    }


def write_json(files: Sequence[FileResult], out: TextIO, dtype: str) -> None:
    out.write(jsontext.dumps(document(files, dtype)))
    out.write("\n")


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_markdown(files: Sequence[FileResult], out: TextIO, dtype: str) -> None:
    shown = counted(files)
    out.write(f"| config | layer | type | line | in | out | params | {dtype} |\n")
    out.write("|---|---|---|---:|---:|---:|---:|---:|\n")
    for result in shown:
        where = _md(display_path(result.path))
        reason = _not_counted_reason(result)
        if reason is not None:
            out.write(f"| `{where}` | | | | | | not counted{': ' + _md(reason) if reason else ''} | |\n")
            continue
        for layer in result.layers:
            params = "unknown" if layer.params is None else fmt(layer.params)
            size = "" if layer.params is None else megabytes(layer.params, dtype)
            out.write(
                f"| `{where}` | {_md(layer.name)} | {_md(layer.type)} | {layer.line} | {_size(layer.input_size)} | "
                f"{_size(layer.output_size)} | {params} | {size} |\n"
            )
        out.write(f"| `{where}` | **total** | | | | | {_md(total_line(result, dtype))} | |\n")
    totals = Totals(shown)
    if totals.configs > 1:
        out.write(f"\n{totals.line(dtype)}\n")


def csv_rows(files: Sequence[FileResult], dtype: str) -> Iterator[list[object]]:
    """One row per layer, then one ``total`` row per file (params empty when the total is unknown)."""
    width = DTYPES[dtype]
    yield [
        "path",
        "layer",
        "type",
        "line",
        "column",
        "recurrent",
        "input_size",
        "output_size",
        "params",
        "non_trainable_params",
        "bytes",
    ]
    for result in counted(files):
        where = display_path(result.path)
        for layer in result.layers:
            params = layer.params
            yield [
                where,
                layer.name,
                layer.type,
                layer.line,
                layer.column,
                layer.recurrent,
                "" if layer.input_size is None else layer.input_size,
                "" if layer.output_size is None else layer.output_size,
                "" if params is None else params,
                "" if params is None else layer.non_trainable,
                "" if params is None else params * width,
            ]
        total = result.total_params
        yield [
            where,
            "",
            "total",
            "",
            "",
            "",
            "",
            "",
            "" if total is None else total,
            "" if total is None else non_trainable(result),
            "" if total is None else total * width,
        ]


def write_csv(files: Sequence[FileResult], out: TextIO, dtype: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(csv_rows(files, dtype))
    out.write(buffer.getvalue())


def write(form: str, files: Sequence[FileResult], out: TextIO, dtype: str) -> None:
    skipped = sum(1 for f in files if f.skipped)
    if form == "json":
        write_json(files, out, dtype)
    elif form == "markdown":
        write_markdown(files, out, dtype)
    elif form == "csv":
        write_csv(files, out, dtype)
    else:
        write_text(files, skipped, out, dtype)
