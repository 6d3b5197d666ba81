"""Worker processes: many files linted in ``--jobs`` processes, results back in the files' order.

Forked where the platform can (the parent's state is inherited, nothing is pickled), else a spawn
pool that receives the settings (and each file's, the :class:`~rnnlint.settings.SettingsTree`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from rnnlint.run import linting
from rnnlint.run.linting import Outcome, Rendered, _outcome, render_path
from rnnlint.settings import Settings, SettingsTree

if TYPE_CHECKING:
    from rnnlint.run.cache import Cache

# Below this many files one process is faster than starting workers.
PARALLEL_MIN_FILES = 200
_CHUNK = 16
_T = TypeVar("_T")


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


_worker_state: tuple[Settings, Cache | None, bool] | None = None
# Whether workers render the text format themselves, and with colour (None: they send results).
_worker_color: bool | None = None
# The paths named on the command line; every other path a worker gets was met by walking a folder.
_worker_named: frozenset[str] = frozenset()


def _init_worker(
    settings: Settings,
    use_cache: bool,
    keep_text: bool,
    color: bool | None = None,
    named: frozenset[str] = frozenset(),
    tree: SettingsTree | None = None,
) -> None:
    global _worker_state, _worker_color, _worker_named
    from rnnlint.run.cache import Cache

    linting._tree = tree
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
    """The forked workers (:mod:`rnnlint.run.forked`) on Linux; elsewhere a spawn pool (macOS
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
    """Items from :class:`rnnlint.run.forked.Forked`; the worker state must be set up (``_init_worker``)."""
    from rnnlint.run.forked import Forked

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
    init = (settings, cache is not None, keep_text, None, named, linting._tree)
    return _in_workers(paths, jobs, init, _lint_one, _lint_chunk, lambda message: ([], message))


def _parallel_rendered(
    paths: list[str], settings: Settings, cache: Cache | None, color: bool, jobs: int, named: frozenset[str]
) -> Iterator[Rendered]:
    """The text format from worker processes: each file's lines, in order."""
    init = (settings, cache is not None, False, color, named, linting._tree)
    return _in_workers(paths, jobs, init, _render_one, _render_chunk, lambda message: ("", [], message))
