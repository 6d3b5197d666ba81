"""``--jobs`` on Linux: ``jobs - 1`` forked children, and this process as the last worker.

Work is handed out as it is asked for, so a process that drew short files takes more of them:
the chunk indices are written to a pipe before the fork and every process (this one included)
takes the next one by reading 4 bytes (a read that small from a pipe is atomic, and the pipe
holds only whole indices). This process lints the first file before forking, so the children
inherit, already imported, every module a file needs; it keeps the rest of that first chunk.

Each child sends each chunk's items over its own pipe (a length-prefixed pickle) and leaves
with ``os._exit``. This process reads those pipes between its own files, and yields the items
chunk by chunk, in the chunks' order, as soon as each chunk is complete. A child that raises
reports the error for its chunk; a child that dies (a signal, ``os._exit``) leaves chunks that
never arrive, each reported as an internal error once every child has ended. Whatever ends
this process's loop early (Ctrl-C, a closed stdout) kills and reaps the children; a child whose
parent is gone dies at its next write to the closed pipe.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

_INT = 4  # bytes of a chunk-group index in the token pipe and of a frame's length
# A child's pipe holds a whole chunk's items, so it rarely waits for this process to read.
_RESULT_PIPE_BYTES = 1 << 20
_MAX_TOKEN_PIPE_BYTES = 1 << 20  # the default limit for an unprivileged process


def _grow_pipe(fd: int, size: int) -> int:
    """Ask for a pipe buffer of ``size`` bytes; the size granted (the default when refused)."""
    import fcntl

    try:
        return fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size)
    except OSError:  # above /proc/sys/fs/pipe-max-size, or the user's pipe quota
        return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _describe_status(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"was killed by signal {name}"
    return f"exited with status {code}"


def _describe_exception(exc: BaseException) -> str:
    import traceback  # only for an rnnlint bug (start-up time)

    return traceback.format_exception_only(type(exc), exc)[-1].strip()


class _Child:
    __slots__ = ("buffer", "fd", "pid", "reported")

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self.buffer = bytearray()
        self.reported = False  # sent an error of its own before it ended


class Forked(Generic[T]):
    """One parallel run over ``chunks`` (lists of paths); iterate :meth:`items` once.

    ``one(path)`` makes a file's item; ``failed(message)`` the item for an internal error;
    ``child_start()`` runs first in each child (fresh per-process state); ``between(index, next)``
    runs after chunk ``index`` in the process that linted it, with the index of the chunk that
    process takes next (None: it has no more), e.g. to write what it cached.
    """

    def __init__(
        self,
        chunks: Sequence[Sequence[str]],
        jobs: int,
        one: Callable[[str], T],
        failed: Callable[[str], T],
        child_start: Callable[[], None],
        between: Callable[[int, int | None], None],
    ) -> None:
        self.chunks = chunks
        self.jobs = jobs
        self.one = one
        self.failed = failed
        self.child_start = child_start
        self.between = between
        self._tokens = -1  # the read end of the token pipe
        self._group = 1  # chunks per token (more than one only when the pipe cannot hold them all)
        self._children: dict[int, _Child] = {}  # by the read end of their pipe
        self._poller = select.poll()
        self._done: dict[int, list[T]] = {}  # complete chunks not yet yielded
        self._next = 0  # the next chunk to yield
        self._deaths: list[str] = []  # children that ended without a word

    # ------------------------------------------------------------------ both sides

    def _write_tokens(self) -> None:
        """Chunk 0 is this process's; the others are taken from the pipe in groups of ``_group``."""
        read, write = os.pipe()
        count = len(self.chunks) - 1
        capacity = _grow_pipe(write, min(max(count * _INT, 1), _MAX_TOKEN_PIPE_BYTES))
        self._group = -(-count * _INT // capacity) if count * _INT > capacity else 1
        groups = -(-count // self._group)
        # The whole content fits in the pipe: written now, so no process ever waits for an index.
        _write_all(write, b"".join(g.to_bytes(_INT, "little") for g in range(groups)))
        os.close(write)
        self._tokens = read

    def _take(self) -> range | None:
        """The chunk indices of the next token, or None when the pipe is empty."""
        data = os.read(self._tokens, _INT)
        while 0 < len(data) < _INT:  # never happens (whole indices, atomic reads); cheap to guard
            more = os.read(self._tokens, _INT - len(data))
            if not more:
                break
            data += more
        if len(data) < _INT:
            return None
        start = 1 + int.from_bytes(data, "little") * self._group
        return range(start, min(start + self._group, len(self.chunks)))

    def _work(self) -> Iterator[int]:
        """The chunk indices this process lints, in order, chunk 0 first for this process."""
        while (taken := self._take()) is not None:
            yield from taken

    # ------------------------------------------------------------------ a child

    def _child(self, out: int) -> int:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            # Ctrl-C: end at once (the parent reports). An ignored SIGINT (a background job) stays ignored.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        index = -1
        try:
            self.child_start()
            work = self._work()
            index = next(work, -1)
            while index >= 0:
                items = [self.one(path) for path in self.chunks[index]]
                frame = pickle.dumps((index, items, None), pickle.HIGHEST_PROTOCOL)
                _write_all(out, len(frame).to_bytes(_INT, "little") + frame)
                done, index = index, next(work, -1)
                # An error from here on is reported against the chunk taken next (never linted).
                self.between(done, index if index >= 0 else None)
            return 0
        except BrokenPipeError:
            return 1  # the parent is gone: nobody to tell
        except Exception as exc:
            where = self.chunks[index] if index >= 0 else ()
            detail = _describe_exception(exc)
            if where:
                message = f"{where[0]}: internal error in a worker process: {detail}"
                if len(where) > 1:
                    message += f" (linting this file and the {len(where) - 1} after it)"
            else:
                message = f"internal error in a worker process: {detail}"
            frame = pickle.dumps((index, None, message), pickle.HIGHEST_PROTOCOL)
            with contextlib.suppress(OSError):
                _write_all(out, len(frame).to_bytes(_INT, "little") + frame)
            return 1

    def _fork(self) -> None:
        read, write = os.pipe()
        _grow_pipe(write, _RESULT_PIPE_BYTES)
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the child: never returns into the parent's stack
            code = 70
            try:
                os.close(read)
                for child in self._children.values():
                    os.close(child.fd)
                code = self._child(write)
            finally:
                os._exit(code)
        os.close(write)  # only the child writes: its exit is the pipe's end
        self._children[read] = _Child(pid, read)
        self._poller.register(read, select.POLLIN)

    # ------------------------------------------------------------------ the parent

    def _receive(self, child: _Child) -> None:
        buffer = child.buffer
        while len(buffer) >= _INT:
            size = int.from_bytes(buffer[:_INT], "little")
            if len(buffer) < _INT + size:
                return
            with memoryview(buffer) as view:
                index, items, error = pickle.loads(view[_INT : _INT + size])
            del buffer[: _INT + size]
            if error is not None:
                child.reported = True
                items = [self.failed(error)]
            self._done[index] = items  # index -1: an error outside any chunk, yielded at the end

    def _poll(self, timeout_ms: int | None) -> None:
        """Read what the children have sent (waiting up to ``timeout_ms``; None: until one sends)."""
        for fd, _event in self._poller.poll(timeout_ms):
            child = self._children[fd]
            data = os.read(fd, _RESULT_PIPE_BYTES)
            if data:
                child.buffer += data
                self._receive(child)
                continue
            # The pipe's end: the child has exited (or is about to).
            self._poller.unregister(fd)
            os.close(fd)
            del self._children[fd]
            _pid, status = os.waitpid(child.pid, 0)
            if status != 0 and not child.reported:
                self._deaths.append(f"worker process {child.pid} {_describe_status(status)}")

    def _ready(self) -> Iterator[T]:
        while self._next in self._done:
            yield from self._done.pop(self._next)
            self._next += 1

    def _kill_children(self) -> None:
        for fd, child in list(self._children.items()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child.pid, 0)
            self._poller.unregister(fd)
            os.close(fd)
        self._children.clear()

    def items(self) -> Iterator[T]:
        """Every file's item, in the chunks' order."""
        import gc

        chunks = self.chunks
        first = [self.one(chunks[0][0])]  # imports what a file needs, before the fork
        self._write_tokens()
        # Objects made so far stay out of the children's collections: their pages stay shared.
        gc.freeze()
        try:
            try:
                for _ in range(self.jobs - 1):
                    try:
                        self._fork()
                    except OSError:  # out of processes or memory: carry on with those started
                        break
            finally:
                gc.unfreeze()
            work = self._work()
            index: int | None = 0
            items = first
            while index is not None:
                for path in chunks[index][len(items) :]:
                    items.append(self.one(path))
                    if self._children:
                        self._poll(0)
                        yield from self._ready()
                self._done[index] = items
                following = next(work, None)
                self.between(index, following)
                yield from self._ready()
                index, items = following, []
            while self._children:
                self._poll(None)
                yield from self._ready()
            os.close(self._tokens)
            self._tokens = -1
            self._report_lost()
            yield from self._ready()
            yield from self._done.pop(-1, [])
        finally:
            self._kill_children()  # only when ended early: a normal end has reaped them all
            if self._tokens >= 0:
                os.close(self._tokens)

    def _report_lost(self) -> None:
        """Chunks no process delivered: their worker died."""
        why = "; ".join(self._deaths) or "a worker process ended early"
        for index in range(self._next, len(self.chunks)):
            if index not in self._done:
                paths = self.chunks[index]
                more = f" and the {len(paths) - 1} after it" if len(paths) > 1 else ""
                self._done[index] = [self.failed(f"{paths[0]}{more}: internal error: not linted: {why}")]
