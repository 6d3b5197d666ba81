"""Run a whole command: settings -> files -> engine -> reporter -> exit code.

Files are linted in this process or, for many files, in a pool of worker processes
(``--jobs``); results come back in the files' order either way. Unchanged files are served
from the cache (:mod:`rnnlint.cache`, ``--no-cache`` to bypass). The text format is written
as results arrive and only a tally is kept, so memory does not grow with the number of files.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO, TypeVar

from rnnlint.config import ConfigError, Settings, SettingsTree, load_settings
from rnnlint.discovery import MissingPathError, iter_files
from rnnlint.reading import read_source
from rnnlint.result import SEVERITIES, FileResult, LayerResult, RunResult, Severity, Violation

if TYPE_CHECKING:
    from rnnlint.cache import Cache, Plain, TallyKey
    from rnnlint.options import CheckArgs

from rnnlint.exits import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from rnnlint.exits import error as _err

# Below this many files one process is faster than starting workers.
PARALLEL_MIN_FILES = 200
_CHUNK = 16
# The text format writes its lines in batches of about this many characters.
_WRITE_BATCH = 1 << 16
# Formats that print each file's lines on their own, then a summary line: written as results arrive.
_STREAMED_FORMATS = frozenset({"text"})
# Formats that never look at the source text (others quote lines or fingerprint them).
_TEXT_FREE_FORMATS = frozenset({"text", "json", "junit"})

# (one file's results, or the internal error it raised)
Outcome = tuple[list[FileResult], str | None]
# (one file's results, its plain text-format rendering, its internal error): see lint_path
Linted = tuple["list[FileResult] | None", "Plain | None", "str | None"]
_T = TypeVar("_T")


# Each file's settings (the nearest configuration above it); set by _settings for the run, and
# handed to worker processes. None: one Settings for every file (the API's explicit settings).
_tree: SettingsTree | None = None


def _check_dialects(settings: Settings) -> None:
    """A dialect named in the configuration (top level or an override) must exist."""
    if settings.dialect is None and not settings.overrides:
        return  # no dialect named: nothing to check against the registry
    from rnnlint import dialects

    if settings.dialect is not None and dialects.by_name(settings.dialect) is None:
        raise ConfigError(f"unknown dialect {settings.dialect!r}; known: {', '.join(dialects.names())}")
    for override in settings.overrides:
        name = override.values.get("dialect")
        if name is not None and dialects.by_name(name) is None:
            raise ConfigError(f"{override.source}: unknown dialect {name!r}; known: {', '.join(dialects.names())}")


def settings_for(settings: Settings, path: str) -> Settings:
    """The settings that apply to ``path``: its nearest configuration's, when the run resolves them per file."""
    tree = _tree
    if tree is None or not tree.enabled or settings is not tree.base:
        return settings
    found = tree.for_path(path)
    if found is not settings:
        _check_dialects(found)
    return found


def _variant(settings: Settings, base: Settings) -> str:
    """What a file's cache key adds when its settings are not the run's (a nested configuration's)."""
    return "" if settings is base else repr(settings)


def _settings(args: CheckArgs) -> Settings:
    global _tree
    settings = load_settings(args.config, args.isolated)
    for key in ("select", "ignore"):
        if args.cli.get(key):
            from rnnlint.config import check_code

            # As in pyproject.toml: an unknown code or prefix is refused, not a rule silently off.
            for code in args.cli[key]:
                check_code(code, "command line", f"--{key}", prefix=True)
    settings = settings.with_cli(**args.cli)
    if args.cli.get("diff_base") is not None:
        from rnnlint import growth

        # Each changed config counted at the base, for RNN107 (git reads the base; only changed files).
        base = growth.find_base(args.cli["diff_base"], list(args.paths), os.environ)
        settings = settings._replace(base=growth.base_states(base, settings))
    _check_dialects(settings)
    # --config and --isolated name one configuration (or none) for every file.
    hierarchical = not (args.config or args.isolated)
    _tree = SettingsTree(settings, args.cli, hierarchical, {"base": settings.base} if settings.base else None)
    return settings


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def choose_jobs(requested: int | None, files: int) -> int:
    """``--jobs``: 0 means every core; unset means one process for few files, every core for many."""
    if requested is None:
        requested = 0 if files >= PARALLEL_MIN_FILES else 1
    if requested == 0:
        requested = _cpu_count()
    return max(1, min(requested, max(1, files // _CHUNK)))


def lint_path(
    path: str,
    settings: Settings,
    stdin: bytes | None,
    cache: Cache | None,
    keep_text: bool,
    plain: bool,
    walked: bool = False,
) -> Linted:
    """One file through the engine, with the cache in front: its results, its plain text-format
    rendering, its internal error (an rnnlint bug is an outcome, not a raise).

    With ``plain``, a cache hit gives only the rendering (results None: nothing is decoded);
    otherwise a hit gives only the results. A miss gives both when the cache stores them.
    ``keep_text``: the results keep their source text (formats that quote lines). ``walked``: met
    by walking a directory, where a file that is not a model config is skipped (engine.walk_skip_reason)."""
    base = settings
    settings = settings_for(settings, path)  # a ConfigError in a nested configuration is a usage error
    try:
        if cache is None or stdin is not None:
            from rnnlint import engine

            try:
                results = engine.lint_file(path, settings, stdin, walked)
            except engine.InternalError as exc:
                return None, None, str(exc)
            rendered = None
        else:
            source = read_source(path, settings.max_file_bytes)
            key = cache.key(path, source.text, walked, _variant(settings, base)) if source.text is not None else None
            if key is not None and plain:
                stored = cache.get_plain(path, key)
                if stored is not None:
                    return None, stored, None
            cached = cache.get(path, key, source.text) if key is not None and not plain else None
            if cached is not None:
                results, rendered = cached, None
            else:
                # The parser and the engine only on a miss: a run served from the cache never imports yaml.
                from rnnlint import engine, loader

                results = engine.lint_parsed(loader.parse_source(source), settings, walked)
                rendered = None
                if key is not None:
                    rendered = plain_text(results)  # stored, and written by a text run: rendered once
                    cache.put(path, key, results, rendered)
    except Exception as exc:  # the same message engine.lint_file gives
        from rnnlint.engine import internal_error  # only for an rnnlint bug

        return None, None, internal_error(path, exc)
    if not keep_text:
        for result in results:
            result.source_text = None  # not needed by this format: do not hold every file's text
    return results, rendered, None


def plain_text(results: list[FileResult]) -> Plain:
    """The text format's lines for ``results`` without colour, and their tally keys."""
    return _rendering(results, False)


def _rendering(results: list[FileResult], color: bool, keys: list[TallyKey] | None = None) -> Plain:
    """The text format's lines for ``results``, and their tally keys (``keys`` when already known)."""
    from rnnlint.reporters import text

    return text.lines(results, color), keys if keys is not None else [Tally.key(result) for result in results]


def _outcome(
    path: str, settings: Settings, stdin: bytes | None, cache: Cache | None, keep_text: bool, walked: bool = False
) -> Outcome:
    """One file's results (or the internal error it raised), for the formats that need results."""
    results, _, error = lint_path(path, settings, stdin, cache, keep_text, False, walked)
    return ([], error) if results is None else (results, None)


def render_path(
    path: str, settings: Settings, stdin: bytes | None, cache: Cache | None, color: bool, walked: bool = False
) -> Rendered:
    """One file in the text format: its lines, its tally keys, its internal error.

    Without colour a cache hit is written as stored; a miss reuses the lines it stored."""
    results, rendered, error = lint_path(path, settings, stdin, cache, False, not color, walked)
    if results is None:
        return (rendered[0], rendered[1], None) if rendered is not None else ("", [], error)
    if rendered is not None and not color:
        return rendered[0], rendered[1], None
    # With colour, the lines again; a miss's tally keys are already counted in ``rendered``.
    lines, keys = _rendering(results, color, rendered[1] if rendered is not None else None)
    return lines, keys, None


def _open_cache(args: CheckArgs, settings: Settings) -> Cache | None:
    if not args.cache:
        return None
    from rnnlint.cache import Cache

    return Cache(settings.root, repr(settings))


# ----------------------------------------------------------------------------- worker processes

_worker_state: tuple[Settings, Cache | None, bool] | None = None
# Whether workers render the text format themselves, and with colour (None: they send results).
_worker_color: bool | None = None
# The paths named on the command line; every other path a worker gets was met by walking a folder.
_worker_named: frozenset[str] = frozenset()

# One file of the text format: its lines, its tally keys, its internal error.
Rendered = tuple[str, list["TallyKey"], str | None]


def _init_worker(
    settings: Settings,
    use_cache: bool,
    keep_text: bool,
    color: bool | None = None,
    named: frozenset[str] = frozenset(),
    tree: SettingsTree | None = None,
) -> None:
    global _worker_state, _worker_color, _worker_named, _tree
    from rnnlint.cache import Cache

    _tree = tree
    cache = Cache(settings.root, repr(settings)) if use_cache else None
    _worker_state = (settings, cache, keep_text)
    _worker_color = color
    _worker_named = named


def _lint_one(path: str) -> Outcome:
    assert _worker_state is not None
    settings, cache, keep_text = _worker_state
    return _outcome(path, settings, None, cache, keep_text, path not in _worker_named)


def _flush_worker_cache() -> None:
    assert _worker_state is not None
    cache = _worker_state[1]
    if cache is not None:
        cache.flush()


def _lint_chunk(paths: Sequence[str]) -> list[Outcome]:
    outcomes = [_lint_one(path) for path in paths]
    _flush_worker_cache()
    return outcomes


def _render_one(path: str) -> Rendered:
    """The text format's lines and tally keys for one file: the parent only writes and adds them
    (sending whole results costs the parent more than the lines it prints)."""
    assert _worker_state is not None and _worker_color is not None
    settings, cache, _ = _worker_state
    return render_path(path, settings, None, cache, _worker_color, path not in _worker_named)


def _render_chunk(paths: Sequence[str]) -> list[Rendered]:
    rendered = [_render_one(path) for path in paths]
    _flush_worker_cache()
    return rendered


# The smallest chunk: near the end of a run chunks shrink to this, so the processes finish together.
_MIN_CHUNK = 8


def _chunks(paths: list[str], jobs: int) -> list[list[str]]:
    """Runs of files from one directory (a chunk writes one cache shard), shorter near the end.

    A chunk holds at most a quarter of a process's share of the files still to come (within
    [_MIN_CHUNK, 128]), so a process that takes the last one is not left working alone for
    long; a directory longer than that is cut into runs of equal length.
    """
    chunks: list[list[str]] = []
    total = len(paths)
    start = 0
    while start < total:
        directory = os.path.dirname(paths[start])
        end = start + 1
        while end < total and os.path.dirname(paths[end]) == directory:
            end += 1
        # paths[start:end] is one directory (the walk lists a directory's files together).
        while start < end:
            limit = max(_MIN_CHUNK, min(128, (total - start) // (jobs * 4)))
            pieces = -(-(end - start) // limit)
            size = -(-(end - start) // pieces)
            chunks.append(paths[start : start + size])
            start += size
    return chunks


def _can_fork() -> bool:
    """The forked workers (:mod:`rnnlint.forked`) on Linux; elsewhere a spawn pool (macOS
    frameworks are not fork-safe, Windows has no fork)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class _ShardLock:
    """The processes of one run take turns writing cache shards: a directory cut into several
    chunks has several writers, and a shard is read, merged and replaced, so two writers at once
    would lose one's entries. A POSIX lock on an unnamed temporary file: held per process (a
    forked child does not inherit it) and released if its holder dies."""

    def __init__(self) -> None:
        self.fd: int | None = None
        import contextlib

        # Without O_TMPFILE writers race: a lost entry is only a miss on the next run.
        with contextlib.suppress(OSError, AttributeError):
            self.fd = os.open(os.environ.get("TMPDIR") or "/tmp", os.O_TMPFILE | os.O_RDWR, 0o600)

    def flush(self, cache: Cache) -> None:
        if self.fd is None:
            cache.flush()
            return
        import fcntl

        fcntl.lockf(self.fd, fcntl.LOCK_EX)
        try:
            cache.flush()
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _forked(
    chunks: list[list[str]],
    jobs: int,
    one: Callable[[str], _T],
    failed: Callable[[str], _T],
    restart: Callable[[], None],
) -> Iterator[_T]:
    """Items from :class:`rnnlint.forked.Forked`; the worker state must be set up (``_init_worker``)."""
    from rnnlint.forked import Forked

    lock = _ShardLock()

    def between(done: int, following: int | None) -> None:
        assert _worker_state is not None
        cache = _worker_state[1]
        # Written when this process moves to another directory (the cache holds one shard).
        if cache is not None and (
            following is None or os.path.dirname(chunks[following][0]) != os.path.dirname(chunks[done][0])
        ):
            lock.flush(cache)

    try:
        yield from Forked(chunks, jobs, one, failed, restart, between).items()
    finally:
        lock.close()


def _in_workers(
    paths: list[str],
    jobs: int,
    init: tuple[Settings, bool, bool, bool | None, frozenset[str], SettingsTree | None],
    one: Callable[[str], _T],
    by_chunk: Callable[[Sequence[str]], list[_T]],
    failed: Callable[[str], _T],
) -> Iterator[_T]:
    """Each file's item from ``jobs`` processes, in order; ``init``: the arguments of ``_init_worker``."""
    chunks = _chunks(paths, jobs)
    if _can_fork():
        _init_worker(*init)
        yield from _forked(chunks, jobs, one, failed, lambda: _init_worker(*init))
        return

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=init,
    ) as pool:
        for items in pool.map(by_chunk, chunks):
            yield from items


def _parallel(
    paths: list[str], settings: Settings, cache: Cache | None, keep_text: bool, jobs: int, named: frozenset[str]
) -> Iterator[Outcome]:
    init = (settings, cache is not None, keep_text, None, named, _tree)
    return _in_workers(paths, jobs, init, _lint_one, _lint_chunk, lambda message: ([], message))


def _parallel_rendered(
    paths: list[str], settings: Settings, cache: Cache | None, color: bool, jobs: int, named: frozenset[str]
) -> Iterator[Rendered]:
    """The text format from worker processes: each file's lines, in order."""
    init = (settings, cache is not None, False, color, named, _tree)
    return _in_workers(paths, jobs, init, _render_one, _render_chunk, lambda message: ("", [], message))


def _plan(args: CheckArgs, settings: Settings) -> tuple[list[str] | None, Iterable[object], Cache | None, int]:
    """The files, the cache and the number of processes; the paths are None for one process.

    Raises MissingPathError before any file is linted."""
    tree = _tree if _tree is not None and _tree.enabled and _tree.base is settings else None
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
    from rnnlint.source import display_path

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
    global _tree
    _tree = SettingsTree(settings, {}, per_file)
    return _collect(args, settings, keep_text=False)


def _run(args: CheckArgs) -> tuple[RunResult, list[str], Settings] | int:
    try:
        settings = _settings(args)
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


class Tally:
    """What the summary needs of files already reported, in memory that does not grow per file.

    Each file is replaced by a shared stand-in with the same counts (skipped, diagnostics per
    severity, recurrent layers), so ``RunResult.summary()`` gives exactly the figures the full
    results would give.
    """

    def __init__(self) -> None:
        self.files: list[FileResult] = []
        self._standins: dict[TallyKey, FileResult] = {}
        self._totals = [0, 0, 0]  # errors, warnings, notes

    def run(self, strict: bool) -> RunResult:
        """The run as the summary sees it: every file's stand-in, and the diagnostics counted."""
        return _TalliedRun(self.files, strict, dict(zip(SEVERITIES, self._totals, strict=True)))

    @staticmethod
    def key(result: FileResult) -> TallyKey:
        """What the summary needs of one file: skipped, errors, warnings, notes, recurrent layers."""
        by_severity = {"error": 0, "warning": 0, "note": 0}
        for diagnostic in result.diagnostics:  # one pass, not one per severity
            if diagnostic.severity in by_severity:
                by_severity[diagnostic.severity] += 1
        return (
            result.skipped,
            by_severity["error"],
            by_severity["warning"],
            by_severity["note"],
            sum(1 for layer in result.layers if layer.recurrent),
        )

    def add(self, result: FileResult) -> None:
        self.add_key(self.key(result))

    def add_key(self, key: TallyKey) -> None:
        totals = self._totals
        totals[0] += key[1]
        totals[1] += key[2]
        totals[2] += key[3]
        standin = self._standins.get(key)
        if standin is None:
            wanted: tuple[tuple[Severity, int], ...] = (("error", key[1]), ("warning", key[2]), ("note", key[3]))
            severities = [severity for severity, n in wanted for _ in range(n)]
            standin = FileResult(
                path="",
                skipped=key[0],
                diagnostics=[Violation("", severity, "", 0, 0) for severity in severities],
                layers=[LayerResult("", "", 0, 0, None, True, "") for _ in range(key[4])],
            )
            self._standins[key] = standin
        self.files.append(standin)


class _TalliedRun(RunResult):
    """A :class:`Tally`'s run: its diagnostics counted as they were added, not again for every
    question the summary and the exit code ask."""

    __slots__ = ("_counts",)

    def __init__(self, files: list[FileResult], strict: bool, counts: dict[str, int]) -> None:
        super().__init__(files, strict)
        self._counts = counts

    def totals(self) -> dict[str, int]:
        return dict(self._counts)


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


def execute_check(args: CheckArgs) -> int:
    from rnnlint import reporters
    from rnnlint.reporters.text import summary_line

    fmt_name = reporters.resolve(args.format, os.environ)
    reporter = reporters.get(fmt_name)
    try:
        settings = _settings(args)
        # --verbose needs every result (skip reasons), so it takes the collecting path.
        if fmt_name in _STREAMED_FORMATS and not args.verbose:
            if args.output_file:
                try:
                    with open(args.output_file, "w", encoding="utf-8") as fh:
                        run, internal = _write_streamed(args, settings, fh, color=False)
                        fh.write(summary_line(run) + "\n")
                except OSError as exc:
                    _err(f"cannot write {args.output_file}: {exc.strerror or exc}")
                    return EXIT_ERROR
                sys.stdout.write(summary_line(run) + "\n")
            else:
                run, internal = _write_streamed(args, settings, sys.stdout, _use_color(sys.stdout))
                sys.stdout.write(summary_line(run) + "\n")
            sys.stdout.flush()
            code = _exit_code(run, internal)
            return EXIT_OK if args.exit_zero and code == EXIT_FINDINGS else code
        files, internal = _collect(args, settings, keep_text=fmt_name not in _TEXT_FREE_FORMATS)
    except (ConfigError, MissingPathError) as exc:
        _err(str(exc))
        return EXIT_ERROR
    run = RunResult(files, strict=settings.strict, internal_errors=len(internal))
    if args.verbose:
        list_skipped(files)
    if args.output_file:
        try:
            with open(args.output_file, "w", encoding="utf-8") as fh:
                reporter.report(run, fh, reporters.ReportOptions(color=False, summary=True))
        except OSError as exc:
            _err(f"cannot write {args.output_file}: {exc.strerror or exc}")
            return EXIT_ERROR
        # The report went to the file; the terminal still gets the verdict.
        sys.stdout.write(summary_line(run) + "\n")
    else:
        reporter.report(run, sys.stdout, reporters.ReportOptions(color=_use_color(sys.stdout)))
    sys.stdout.flush()
    code = _exit_code(run, internal)
    return EXIT_OK if args.exit_zero and code == EXIT_FINDINGS else code


def execute_diff(args: CheckArgs, base_ref: str | None) -> int:
    """``rnnlint diff``: every changed config and layer against the base; exit 1 on what fails
    (RNN107 growth over ``max_growth``, and errors in the changed files)."""
    from rnnlint import engine, growth
    from rnnlint.config import BaseState

    try:
        settings = _settings(args)
        base = growth.find_base(base_ref, list(args.paths), os.environ)
        states: dict[str, BaseState] = growth.base_states(base, settings)
        settings = settings._replace(base=states)
        changed = {os.path.join(base.top, c.path) for c in base.changes if c.path}
        now: dict[str, FileResult] = {}
        for candidate in iter_files(list(args.paths), settings):
            full = os.path.abspath(candidate.path)
            if full not in changed:
                continue
            results = engine.lint_file(candidate.path, settings, walked=not candidate.explicit)
            model = next((r for r in results if not r.skipped and r.dialect is not None), None)
            if model is not None:
                now[full] = model
            elif any(d.severity == "error" for r in results for d in r.diagnostics):
                now[full] = next(r for r in results if r.diagnostics)
    except (ConfigError, MissingPathError) as exc:
        _err(str(exc))
        return EXIT_ERROR
    except engine.InternalError as exc:
        _err(str(exc))
        return EXIT_ERROR
    deltas = growth.compare(base, settings, now)
    run = RunResult([d.now for d in deltas if d.now is not None], strict=settings.strict)
    growth.write(args.format, deltas, base, sys.stdout, os.environ)
    return EXIT_FINDINGS if run.failed else EXIT_OK


def execute_count(args: CheckArgs) -> int:
    from rnnlint.reporters import counts

    outcome = _run(args)
    if isinstance(outcome, int):
        return outcome
    run, internal, _ = outcome
    if args.verbose:
        list_skipped(run.files)
    counts.write(args.format, run.files, sys.stdout, args.dtype)
    return _exit_code(run, internal)
