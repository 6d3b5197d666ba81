"""``rnnlint check``: files -> engine -> reporter -> exit code (and the collecting that ``count`` shares).

One file goes through :mod:`rnnlint.run.linting` (its settings, the cache, the engine); many files through
:mod:`rnnlint.run.workers` (``--jobs``), results back in the files' order either way. Unchanged files are served
from the cache (:mod:`rnnlint.run.cache`, ``--no-cache`` to bypass). Every format that streams (the reporter
declares ``STREAMS``; the text format through its own rendered lines) is written as results arrive and only a
:mod:`rnnlint.run.tally` is kept, so memory does not grow with the number of files; ``github`` collects them.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TextIO, TypeVar

from rnnlint.app.exits import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from rnnlint.app.exits import error as _err
from rnnlint.app.settings import build_settings
from rnnlint.result import FileResult, RunResult
from rnnlint.run import linting
from rnnlint.run.discovery import MissingPathError, iter_files
from rnnlint.run.linting import Outcome, Rendered, _check_dialects, _outcome, render_path, settings_for
from rnnlint.run.tally import Tally
from rnnlint.run.workers import _parallel, _parallel_rendered, choose_jobs
from rnnlint.settings import ConfigError, Settings, SettingsTree

if TYPE_CHECKING:
    from rnnlint.app.options import CheckArgs
    from rnnlint.reporters import Reporter
    from rnnlint.run.cache import Cache


# The text format writes its lines in batches of about this many characters.
_WRITE_BATCH = 1 << 16
# Formats that print each file's lines on their own, then a summary line: written as results arrive.
_STREAMED_FORMATS = frozenset({"text"})

_T = TypeVar("_T")
# A run written: its summary's view of the results, and the internal errors.
Ran = tuple[RunResult, list[str]]


def _open_cache(args: CheckArgs, settings: Settings) -> Cache | None:
    if not args.cache:
        return None
    from rnnlint.run.cache import Cache

    return Cache(settings.root, repr(settings))


def _plan(args: CheckArgs, settings: Settings) -> tuple[list[str] | None, Iterable[object], Cache | None, int]:
    """The files, the cache and the number of processes; the paths are None for one process.

    Raises MissingPathError before any file is linted."""
    tree = (
        linting._tree
        if linting._tree is not None and linting._tree.enabled and linting._tree.base is settings
        else None
    )
    found = iter_files(list(args.paths), settings, tree.for_dir if tree is not None else None)
    if args.jobs == 1:
        # One process asked for: the files are linted as the walk lists them, so memory does not
        # grow with their number. (The walk checks every named path before it lists a file.)
        first = next(found, None)
        if first is None:
            _warn_nothing_found()
        return None, ([] if first is None else itertools.chain([first], found)), _open_cache(args, settings), 1
    candidates = list(found)
    if not candidates:
        _warn_nothing_found()
    for candidate in candidates:
        settings_for(settings, candidate.path)  # configurations read (and checked) here, before any worker starts
    cache = _open_cache(args, settings)
    jobs = choose_jobs(args.jobs, len(candidates))
    if jobs > 1 and not any(c.path == "-" for c in candidates):
        return [c.path for c in candidates], candidates, cache, jobs
    return None, candidates, cache, jobs


def _warn_nothing_found() -> None:
    """As ruff: a run that finds nothing to lint says so on stderr, and is no failure (exit 0)."""
    _err("warning: no config files found under the given paths (nothing was linted)")


def list_skipped(files: Iterable[FileResult]) -> None:
    """``--verbose``: every file skipped, and why, on stderr (stdout keeps the report's format)."""
    from rnnlint.parse.source import display_path

    lines = [f"rnnlint: skipped {display_path(f.path)}: {f.skip_reason}\n" for f in files if f.skipped]
    if lines:
        sys.stderr.write("".join(lines))


def _outcomes(args: CheckArgs, settings: Settings, keep_text: bool) -> Iterator[Outcome]:
    """Every file's results, in order. Raises MissingPathError before any file is linted."""
    paths, candidates, cache, jobs = _plan(args, settings)
    if paths is not None:
        return _parallel(paths, settings, cache, keep_text, jobs, _named(candidates))

    def one(path: str, stdin: bytes | None, walked: bool) -> Outcome:
        return _outcome(path, settings, stdin, cache, keep_text, walked)

    return _serial(candidates, args, cache, one)


def _named(candidates: Iterable[object]) -> frozenset[str]:
    """The paths named on the command line (the others were met by walking a folder)."""
    return frozenset(c.path for c in candidates if c.explicit)  # type: ignore[attr-defined]


def _serial(
    candidates: Iterable[object], args: CheckArgs, cache: Cache | None, one: Callable[[str, bytes | None, bool], _T]
) -> Iterator[_T]:
    """``one(path, stdin, walked)`` for each file in order, in this process; the cache written at the end."""
    for candidate in candidates:
        path: str = candidate.path  # type: ignore[attr-defined]
        stdin = None
        if path == "-":
            stdin = sys.stdin.buffer.read()
            path = args.stdin_filename or "-"
        yield one(path, stdin, not candidate.explicit)  # type: ignore[attr-defined]
    if cache is not None:
        cache.flush()


def _collect(args: CheckArgs, settings: Settings, keep_text: bool) -> tuple[list[FileResult], list[str]]:
    """Every file's results and the internal errors, in order (for formats that need them all)."""
    files: list[FileResult] = []
    internal: list[str] = []
    for results, error in _outcomes(args, settings, keep_text):
        files.extend(results)
        if error is not None:
            internal.append(error)
    return files, internal


def collect(args: CheckArgs, settings: Settings, per_file: bool = False) -> tuple[list[FileResult], list[str]]:
    """Every file's results and the internal errors (the public API's ``lint``); ``per_file``: each
    file gets its nearest configuration, as on the command line, rather than ``settings`` alone."""
    linting._tree = SettingsTree(settings, {}, per_file, check=_check_dialects)
    return _collect(args, settings, keep_text=False)


def _run(args: CheckArgs) -> tuple[RunResult, list[str], Settings] | int:
    try:
        settings = build_settings(args)
        files, internal = _collect(args, settings, keep_text=True)
    except (ConfigError, MissingPathError) as exc:
        _err(str(exc))
        return EXIT_ERROR
    return RunResult(files, strict=settings.strict, internal_errors=len(internal)), internal, settings


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


def _write_streamed(args: CheckArgs, settings: Settings, out: TextIO, color: bool) -> tuple[RunResult, list[str]]:
    tally = Tally()
    internal: list[str] = []
    paths, candidates, cache, jobs = _plan(args, settings)
    rendered: Iterator[Rendered]
    if paths is not None:
        rendered = _parallel_rendered(paths, settings, cache, color, jobs, _named(candidates))
    else:

        def one(path: str, stdin: bytes | None, walked: bool) -> Rendered:
            return render_path(path, settings, stdin, cache, color, walked)

        rendered = _serial(candidates, args, cache, one)
    # Lines are written in batches of about _WRITE_BATCH characters: one write per file costs a
    # run served from the cache a tenth of its time on an unbuffered stdout.
    batch: list[str] = []
    size = 0
    try:
        for text, keys, failure in rendered:
            if failure is not None:
                internal.append(failure)
            if text:
                batch.append(text)
                size += len(text)
                if size >= _WRITE_BATCH:
                    out.write("".join(batch))
                    batch, size = [], 0
            for key in keys:
                tally.add_key(key)
    finally:
        if batch:
            out.write("".join(batch))  # what was linted before an interrupt is still shown
    run = tally.run(settings.strict)
    run.internal_errors = len(internal)
    return run, internal


def _write_report(args: CheckArgs, settings: Settings, reporter: Reporter, out: TextIO, color: bool) -> Ran:
    """A report in any format but the text one: each file's part written as it comes when the format
    streams (memory flat in the number of files), else every result collected, then the report."""
    from rnnlint import reporters

    options = reporters.ReportOptions(color=color)
    keep_text = reporters.needs_source(reporter)
    if not reporters.streams(reporter):
        files, internal = _collect(args, settings, keep_text)
        run = RunResult(files, strict=settings.strict, internal_errors=len(internal))
        if args.verbose:
            list_skipped(files)
        reporter.report(run, out, options)
        return run, internal
    outcomes = _outcomes(args, settings, keep_text)  # a missing path raises here, before anything is written
    writer = reporters.writer(reporter, out, options, settings.strict)
    tally = Tally()
    internal = []
    for results, error in outcomes:
        if error is not None:
            internal.append(error)
        if results:
            writer.add(results)
            for result in results:
                tally.add(result)
            if args.verbose:
                list_skipped(results)
    run = tally.run(settings.strict)
    run.internal_errors = len(internal)
    writer.close(run)
    return run, internal


def execute_check(args: CheckArgs) -> int:
    from rnnlint import reporters
    from rnnlint.reporters.text import summary_line

    fmt_name = reporters.resolve(args.format, os.environ)
    reporter = reporters.get(fmt_name)
    # --verbose needs every result (skip reasons), so text takes the reporter's path.
    rendered = fmt_name in _STREAMED_FORMATS and not args.verbose
    try:
        settings = build_settings(args)
        if args.output_file:
            from rnnlint.app.output import replacing

            try:
                # The old report is replaced only by a whole new one (a failed run leaves it as it was).
                with replacing(args.output_file) as fh:
                    if rendered:
                        run, internal = _write_streamed(args, settings, fh, color=False)
                        fh.write(summary_line(run) + "\n")
                    else:
                        run, internal = _write_report(args, settings, reporter, fh, color=False)
            except OSError as exc:
                _err(f"cannot write {args.output_file}: {exc.strerror or exc}")
                return EXIT_ERROR
            # The report went to the file; the terminal still gets the verdict.
            sys.stdout.write(summary_line(run) + "\n")
        elif rendered:
            run, internal = _write_streamed(args, settings, sys.stdout, _use_color(sys.stdout))
            sys.stdout.write(summary_line(run) + "\n")
        else:
            run, internal = _write_report(args, settings, reporter, sys.stdout, _use_color(sys.stdout))
    except (ConfigError, MissingPathError) as exc:
        _err(str(exc))
        return EXIT_ERROR
    sys.stdout.flush()
    code = _exit_code(run, internal)
    return EXIT_OK if args.exit_zero and code == EXIT_FINDINGS else code
