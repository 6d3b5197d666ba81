"""--jobs: worker processes give the same output, in the same order, as one process."""

from __future__ import annotations

import json
import os
import select
import signal
from collections.abc import Callable
from typing import Any

import pytest

from rnnlint.reporters import REPORTERS
from rnnlint.run import cache as cache_module
from rnnlint.run import linting, workers
from rnnlint.run.workers import PARALLEL_MIN_FILES, choose_jobs

needs_fork = pytest.mark.skipif(not workers._can_fork(), reason="the forked workers run on Linux only")

CONFIG = """
model:
  layers:
    - type: {kind}
      hidden_size: {hidden}
      input_size: 10
      dropout: 0.1
limits:
  max_params: 5000
"""


def _corpus(write, count: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(count):
        kind = ("lstm", "gru", "rnn")[i % 3]
        write(f"c/d{i % 4}/m{i:03d}.yaml", CONFIG.format(kind=kind, hidden=4 + i % 40))
    write("c/d0/broken.yaml", "model: [lstm\n")  # names a recurrent layer: an error even when walked
    write("c/d1/other.yaml", "name: not a model config\n")


def test_workers_give_the_serial_output(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    _corpus(write, 70)
    serial = run_cli("--no-cache", "-j", "1", "c")
    parallel = run_cli("--no-cache", "-j", "2", "c")
    assert serial.code == parallel.code == 1
    assert parallel.out == serial.out and parallel.err == serial.err
    assert "RNN001" in serial.out and "RNN101" in serial.out
    as_json = [run_cli("--no-cache", "--format", "json", "-j", j, "c").out for j in ("1", "3")]
    assert as_json[0] == as_json[1]
    counts = [run_cli("count", "--no-cache", "-j", j, "c").out for j in ("1", "2")]
    assert counts[0] == counts[1]


def test_workers_share_the_cache(run_cli, write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _corpus(write, 40)
    first = run_cli("-j", "2", "c")
    assert list((tmp_path / ".rnnlint_cache").rglob("*.bin"))
    assert run_cli("-j", "2", "c").out == first.out
    assert run_cli("-j", "1", "c").out == first.out


def test_default_jobs_depend_on_the_number_of_files() -> None:
    assert choose_jobs(None, 1) == 1
    assert choose_jobs(None, PARALLEL_MIN_FILES - 1) == 1
    assert choose_jobs(None, 10_000) >= 1
    assert choose_jobs(1, 10_000) == 1
    assert choose_jobs(8, 10_000) == 8
    assert choose_jobs(8, 20) == 1  # never more workers than chunks of files
    assert choose_jobs(0, 10_000) >= 1


def test_streamed_text_equals_the_text_reporter(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # The text format is written file by file; the text reporter over all results must agree.
    from rnnlint import reporters
    from rnnlint.engine import lint_file
    from rnnlint.result import RunResult
    from rnnlint.settings import Settings

    _corpus(write, 12)
    streamed = run_cli("--isolated", "--no-cache", "c")
    import io
    import os

    files = []
    for folder, _dirs, names in sorted(os.walk("c")):
        _dirs.sort()
        for name in sorted(names):
            files.extend(lint_file(os.path.join(folder, name), Settings(root=os.getcwd())))
    buffer = io.StringIO()
    reporters.get("text").report(RunResult(files), buffer, reporters.ReportOptions(color=False))
    assert streamed.out == buffer.getvalue()


# ----------------------------------------------------------------------------- uneven work, every format


def _uneven_corpus(write) -> list[str]:  # type: ignore[no-untyped-def]
    """Folders of 1 to 150 files, files of 1 to 30 layers: chunks of very different sizes."""
    written = []
    for folder, files in enumerate((1, 150, 2, 3, 40, 1, 7, 90, 5)):
        for i in range(files):
            layers = "".join(
                f"    - type: {('lstm', 'gru', 'rnn')[(i + k) % 3]}\n      hidden_size: {4 + k}\n"
                for k in range(1 + (i * 7 + folder) % 30)
            )
            text = f"model:\n  input_size: 10\n  layers:\n{layers}limits:\n  max_params: 20000\n"
            if (i + folder) % 17 == 0:
                text = "model: [lstm\n"  # a parse error now and then (naming a layer: reported when walked)
            written.append(str(write(f"u/f{folder}/m{i:03d}.yaml", text)))
    return written


@needs_fork
def test_uneven_chunks_give_the_serial_output(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    _uneven_corpus(write)
    serial = run_cli("--isolated", "--no-cache", "-j", "1", "u")
    assert serial.code == 1 and serial.out.count("RNN001") > 5
    for jobs in ("2", "3", "5"):
        parallel = run_cli("--isolated", "--no-cache", "-j", jobs, "u")
        assert (parallel.code, parallel.out, parallel.err) == (serial.code, serial.out, serial.err)


@pytest.mark.parametrize("fmt", sorted(set(REPORTERS) - {"auto"}))
def test_every_format_gives_the_serial_output(run_cli, write, fmt: str) -> None:  # type: ignore[no-untyped-def]
    _corpus(write, 70)
    serial = run_cli("--isolated", "--no-cache", "--format", fmt, "-j", "1", "c")
    parallel = run_cli("--isolated", "--no-cache", "--format", fmt, "-j", "3", "c")
    assert serial.out and (parallel.code, parallel.out, parallel.err) == (serial.code, serial.out, serial.err)
    if fmt in ("json", "sarif"):
        json.loads(parallel.out)


def test_chunks_follow_directories_and_shrink_towards_the_end() -> None:
    paths = [f"d{d}/f{i:04d}.yaml" for d, size in enumerate((1000, 3, 1, 300, 60)) for i in range(size)]
    chunks = workers._chunks(paths, 2)
    assert [path for chunk in chunks for path in chunk] == paths
    for chunk in chunks:
        assert len({os.path.dirname(path) for path in chunk}) == 1  # one directory: one cache shard
        assert len(chunk) <= 128
    assert len(chunks[-1]) <= workers._MIN_CHUNK
    # A directory is cut into runs of equal length, not a long run and a stub.
    d4 = [len(chunk) for chunk in chunks if chunk[0].startswith("d4/")]
    assert max(d4) - min(d4) <= 1


# ----------------------------------------------------------------------------- the cache across processes


@needs_fork
def test_a_directory_cut_across_processes_is_cached_whole(  # type: ignore[no-untyped-def]
    run_cli, write, tmp_path, monkeypatch
) -> None:
    # 400 files in one folder: several chunks, linted by several processes, all writing one shard.
    for i in range(400):
        write(f"big/m{i:03d}.yaml", CONFIG.format(kind=("lstm", "gru")[i % 2], hidden=4 + i % 50))
    first = run_cli("--isolated", "-j", "3", "big")
    assert first.code == 1
    shards = list((tmp_path / ".rnnlint_cache").rglob("*.bin"))
    assert len(shards) == 1
    assert len(cache_module.load_shard(str(shards[0])).plain) == 400  # no writer lost another's entries

    # Every file is now served from the cache: linting one again would fail loudly.
    from rnnlint import engine

    def no_lint(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("linted again")

    monkeypatch.setattr(engine, "lint_parsed", no_lint)
    for jobs in ("1", "2"):
        again = run_cli("--isolated", "-j", jobs, "big")
        assert (again.code, again.out, again.err) == (first.code, first.out, first.err)


# ----------------------------------------------------------------------------- a child that fails


def _child_fails_on_chunk_one(monkeypatch: pytest.MonkeyPatch, fail: Callable[[], None]) -> None:
    """The child takes chunk 1 (this process holds chunk 0 until the child has begun) and ``fail()``s."""
    parent = os.getpid()
    begun_r, begun_w = os.pipe()
    real = linting.lint_path
    calls = {"parent": 0}

    def lint_path(path: str, *args: Any) -> Any:
        if os.getpid() != parent:
            os.write(begun_w, b"x")
            fail()
        calls["parent"] += 1
        if calls["parent"] == 2:  # chunk 0's second file, after the fork
            ready, _, _ = select.select([begun_r], [], [], 60)
            assert ready, "the child never started"
        return real(path, *args)

    monkeypatch.setattr(linting, "lint_path", lint_path)


def _boom() -> None:
    raise RuntimeError("boom")


@needs_fork
def test_an_exception_in_a_child_is_an_internal_error(run_cli, write, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _corpus(write, 70)
    serial = run_cli("--isolated", "--no-cache", "-j", "1", "c")
    _child_fails_on_chunk_one(monkeypatch, _boom)
    result = run_cli("--isolated", "--no-cache", "-j", "2", "c")
    assert result.code == 2
    assert "Traceback" not in result.out + result.err
    [error] = result.err.splitlines()
    assert error.startswith("rnnlint: c/d")
    assert "internal error in a worker process: RuntimeError: boom (linting this file and the" in error
    # Every other file is reported, in order: the serial output less the failed chunk's lines.
    lines = result.out.splitlines()
    assert set(lines[:-1]) < set(serial.out.splitlines())


@needs_fork
def test_a_child_that_dies_is_an_internal_error(run_cli, write, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _corpus(write, 70)
    _child_fails_on_chunk_one(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGKILL))
    result = run_cli("--isolated", "--no-cache", "--format", "json", "-j", "2", "c")
    assert result.code == 2
    assert "Traceback" not in result.out + result.err
    [error] = result.err.splitlines()
    assert error.startswith("rnnlint: c/d") and "internal error: not linted: worker process" in error
    assert error.endswith("was killed by signal SIGKILL")
    assert 0 < len(result.json()["files"]) < 72


@needs_fork
def test_a_child_failing_before_any_chunk(run_cli, write, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _corpus(write, 70)
    serial = run_cli("--isolated", "--no-cache", "-j", "1", "c")
    parent = os.getpid()
    real = workers._init_worker

    def init(*args: Any) -> None:
        if os.getpid() != parent:
            raise RuntimeError("no worker today")
        real(*args)

    monkeypatch.setattr(workers, "_init_worker", init)
    result = run_cli("--isolated", "--no-cache", "-j", "2", "c")
    # This process linted everything; the child's failure is still reported, and fails the run.
    assert result.code == 2
    assert result.out == serial.out.replace(" counted; failed.\n", " counted; 1 internal error; failed.\n")
    assert result.err == "rnnlint: internal error in a worker process: RuntimeError: no worker today\n"


@needs_fork
def test_ctrl_c_leaves_no_child_behind(run_cli, write, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _corpus(write, 70)
    parent = os.getpid()
    real = linting.lint_path
    calls = {"parent": 0}

    def lint_path(path: str, *args: Any) -> Any:
        if os.getpid() == parent:
            calls["parent"] += 1
            if calls["parent"] == 3:  # after the fork: the children are working
                raise KeyboardInterrupt
        return real(path, *args)

    monkeypatch.setattr(linting, "lint_path", lint_path)
    result = run_cli("--isolated", "--no-cache", "-j", "3", "c")
    assert result.code == 130 and "Traceback" not in result.err
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child was reaped: none left running or as a zombie


@needs_fork
def test_no_process_to_fork_is_one_process(run_cli, write, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _corpus(write, 70)
    serial = run_cli("--isolated", "--no-cache", "-j", "1", "c")

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    parallel = run_cli("--isolated", "--no-cache", "-j", "3", "c")
    assert (parallel.code, parallel.out, parallel.err) == (serial.code, serial.out, serial.err)


def test_the_spawn_pool_gives_the_serial_output(run_cli, write, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # macOS and Windows: a pool of spawned workers instead of forked children.
    _corpus(write, 40)
    serial = run_cli("--isolated", "--no-cache", "-j", "1", "c")
    monkeypatch.setattr(workers, "_can_fork", lambda: False)
    for fmt in ("text", "json"):
        spawned = run_cli("--isolated", "--no-cache", "--format", fmt, "-j", "2", "c")
        expected = serial if fmt == "text" else run_cli("--isolated", "--no-cache", "--format", fmt, "-j", "1", "c")
        assert (spawned.code, spawned.out, spawned.err) == (expected.code, expected.out, expected.err)


@needs_fork
@pytest.mark.parametrize("inherited", ["default", "ignored"])
def test_children_keep_an_ignored_sigint(run_cli, write, monkeypatch, inherited: str) -> None:  # type: ignore[no-untyped-def]
    # Ctrl-C ends a child at once; a run started with SIGINT ignored (a background job) is not stopped by it.
    _corpus(write, 70)
    if inherited == "ignored":
        monkeypatch.setattr(signal, "getsignal", lambda signum: signal.SIG_IGN)  # what Python reports then
    parent = os.getpid()
    report_r, report_w = os.pipe()
    real = workers._init_worker

    def init(*args: Any) -> None:
        real(*args)
        if os.getpid() != parent:
            os.write(report_w, b"dfl" if signal.signal(signal.SIGINT, signal.SIG_IGN) == signal.SIG_DFL else b"kept")

    monkeypatch.setattr(workers, "_init_worker", init)
    assert run_cli("--isolated", "--no-cache", "-j", "2", "c").code == 1
    os.close(report_w)
    with os.fdopen(report_r, "rb") as reports:
        assert reports.read() == (b"dfl" if inherited == "default" else b"kept")
