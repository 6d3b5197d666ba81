"""--jobs: worker processes give the same output, in the same order, as one process."""

from __future__ import annotations

from rnnlint.runner import PARALLEL_MIN_FILES, choose_jobs

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
    write("c/d0/broken.yaml", "model: [\n")
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
    assert list((tmp_path / ".rnnlint_cache").rglob("*.json"))
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
    from rnnlint.config import Settings
    from rnnlint.engine import lint_file
    from rnnlint.result import RunResult

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
