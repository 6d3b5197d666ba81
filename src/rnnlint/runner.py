"""Run a whole command: settings -> files -> engine -> reporter -> exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from rnnlint import dialects, engine
from rnnlint.config import ConfigError, Settings, load_settings
from rnnlint.counting import fmt
from rnnlint.discovery import MissingPathError, iter_files
from rnnlint.loader import display_path
from rnnlint.result import FileResult, RunResult

if TYPE_CHECKING:
    from rnnlint.cli import CheckArgs

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _err(message: str) -> None:
    sys.stderr.write(f"rnnlint: {message}\n")


def _settings(args: CheckArgs) -> Settings:
    settings = load_settings(args.config, args.isolated)
    settings = settings.with_cli(**args.cli)
    if settings.dialect is not None and dialects.by_name(settings.dialect) is None:
        raise ConfigError(f"unknown dialect {settings.dialect!r}; known: {', '.join(dialects.names())}")
    for override in settings.overrides:
        name = override.values.get("dialect")
        if name is not None and dialects.by_name(name) is None:
            raise ConfigError(
                f"{override.source}: unknown dialect {name!r}; known: {', '.join(dialects.names())}"
            )
    return settings


def _lint_all(args: CheckArgs, settings: Settings) -> tuple[list[FileResult], list[str]]:
    results: list[FileResult] = []
    internal: list[str] = []
    for candidate in iter_files(list(args.paths), settings):
        stdin = None
        path = candidate.path
        if path == "-":
            stdin = sys.stdin.buffer.read()
            path = args.stdin_filename or "-"
        try:
            results.extend(engine.lint_file(path, settings, stdin))
        except engine.InternalError as exc:
            internal.append(str(exc))
    return results, internal


def _run(args: CheckArgs) -> tuple[RunResult, list[str], Settings] | int:
    try:
        settings = _settings(args)
        files, internal = _lint_all(args, settings)
    except (ConfigError, MissingPathError) as exc:
        _err(str(exc))
        return EXIT_ERROR
    return RunResult(files, strict=settings.strict), internal, settings


def _exit_code(run: RunResult, internal: list[str]) -> int:
    for message in internal:
        _err(message)
    if internal:
        return EXIT_ERROR
    return EXIT_FINDINGS if run.failed else EXIT_OK


def _use_color(out: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return out.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def execute_check(args: CheckArgs) -> int:
    from rnnlint import reporters

    outcome = _run(args)
    if isinstance(outcome, int):
        return outcome
    run, internal, _settings_used = outcome
    reporter = reporters.get(reporters.resolve(args.format, os.environ))
    if args.output_file:
        try:
            with open(args.output_file, "w", encoding="utf-8") as fh:
                reporter.report(run, fh, reporters.ReportOptions(color=False, summary=True))
        except OSError as exc:
            _err(f"cannot write {args.output_file}: {exc.strerror or exc}")
            return EXIT_ERROR
        from rnnlint.reporters.text import summary_line

        # The report went to the file; the terminal still gets the verdict.
        sys.stdout.write(summary_line(run) + "\n")
    else:
        reporter.report(run, sys.stdout, reporters.ReportOptions(color=_use_color(sys.stdout)))
    sys.stdout.flush()
    code = _exit_code(run, internal)
    return EXIT_OK if args.exit_zero and code == EXIT_FINDINGS else code


def _table_rows(result: FileResult) -> Iterator[tuple[str, str, str, str]]:
    for layer in result.layers:
        params = fmt(layer.params) if layer.params is not None else "unknown"
        yield (layer.name, layer.type, str(layer.line), params)


def execute_count(args: CheckArgs) -> int:
    outcome = _run(args)
    if isinstance(outcome, int):
        return outcome
    run, internal, _ = outcome
    out = sys.stdout
    for result in run.files:
        where = display_path(result.path)
        if result.skipped:
            continue
        if result.dialect is None or result.total_params is None:
            errors = [d for d in result.diagnostics if d.severity == "error"]
            first = f": {errors[0].message}" if errors else ""
            out.write(f"{where}: not counted{first}\n\n")
            continue
        header = f"{where}  ({result.dialect}, {result.framework or 'framework unknown'})"
        rows = [("layer", "type", "line", "params"), *_table_rows(result)]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        out.write(header + "\n")
        for i, row in enumerate(rows):
            out.write(
                f"  {row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}\n"
            )
            if i == 0:
                out.write("  " + "  ".join("-" * w for w in widths) + "\n")
        bound = "" if result.complete else " (lower bound: part of the model could not be counted)"
        recurrent = fmt(result.recurrent_params or 0)
        out.write(f"  total {fmt(result.total_params)} parameters, recurrent {recurrent}{bound}\n\n")
    skipped = sum(1 for f in run.files if f.skipped)
    counted = len(run.files) - skipped
    out.write(f"{counted} config{'s' if counted != 1 else ''} counted, {skipped} skipped (not model configs).\n")
    return _exit_code(run, internal)
