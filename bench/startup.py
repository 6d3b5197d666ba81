"""rnnlint's start-up: one small file against ``python -c "import yaml"``, 20 interleaved rounds.

Run from the repository root (rnnlint installed in the running Python)::

    python bench/startup.py             # prints the table and writes its section of docs/benchmarks.md
    python bench/startup.py --output -  # prints only

Every command line goes through click (there is no second, hand-written parser), so this is the cost of
a pre-commit hook's run. The target: a one-file run at most 2.5 times ``python -c "import yaml"``.
Each measurement is a fresh process, with byte code cached in a private PYTHONPYCACHEPREFIX (warmed
first), as an installed tool starts; the rounds are interleaved so the shared machine's drift hits all
alike. CPU is the child's user + system time (from os.wait4), steadier than wall time on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "benchmarks.md"
# bench/run.py keeps this section when it rewrites the rest of docs/benchmarks.md.
BEGIN, END = "<!-- startup: written by bench/startup.py -->", "<!-- /startup -->"
TARGET = 2.5


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def _section(rows: list[tuple[str, float, float]], rounds: int) -> str:
    base_wall, base_cpu = rows[0][1], rows[0][2]
    lines = [
        BEGIN,
        "## Start-up",
        "",
        f"Written by `python bench/startup.py`: the median of {rounds} interleaved rounds, each a fresh process "
        f'(Python {platform.python_version()}). Target: a one-file run at most {TARGET} times `python -c "import '
        'yaml"`. Every command line is parsed by click (imported on each run).',
        "",
        "| command | ms | CPU ms | / import yaml (CPU) |",
        "|---|---:|---:|---:|",
    ]
    for label, wall, cpu in rows:
        lines.append(f"| {label} | {1000 * wall:.1f} | {1000 * cpu:.1f} | {cpu / base_cpu:.2f} |")
    one = next(cpu for label, _wall, cpu in rows if label.startswith("rnnlint --no-cache"))
    one_wall = next(wall for label, wall, _cpu in rows if label.startswith("rnnlint --no-cache"))
    verdict = "met" if one / base_cpu <= TARGET else "**not met**"
    lines += [
        "",
        f"One file, no cache: {one / base_cpu:.2f} times `import yaml` in CPU time ({one_wall / base_wall:.2f} in "
        f"wall time), target <= {TARGET}: {verdict}.",
        END,
    ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Put ``section`` in place of the file's start-up section (or at its end)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--output", default=str(OUTPUT), help="'-' prints only")
    args = parser.parse_args(argv)

    script = shutil.which("rnnlint", path=str(Path(sys.executable).parent))
    if script is None:
        raise SystemExit("the rnnlint console script is not installed next to this Python")
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(REPO / "examples" / "clean.yaml", work / "clean.yaml")
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed tool runs: byte code cached
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        env["NO_COLOR"] = "1"
        commands = [
            ('python -c "import yaml"', [py, "-c", "import yaml"]),
            ("python -c pass", [py, "-c", "pass"]),
            ("rnnlint --no-cache --isolated clean.yaml", [script, "--no-cache", "--isolated", "clean.yaml"]),
            ("rnnlint --isolated clean.yaml (served from the cache)", [script, "--isolated", "clean.yaml"]),
            ("rnnlint --version", [script, "--version"]),
        ]
        for _label, cmd in commands:  # warm the byte code (and the cache of the cached run)
            _run(cmd, work, env)
        wall: dict[str, list[float]] = {label: [] for label, _cmd in commands}
        cpu: dict[str, list[float]] = {label: [] for label, _cmd in commands}
        for _round in range(args.rounds):
            for label, cmd in commands:
                w, c = _run(cmd, work, env)
                wall[label].append(w)
                cpu[label].append(c)
    rows = [(label, statistics.median(wall[label]), statistics.median(cpu[label])) for label, _cmd in commands]
    section = _section(rows, args.rounds)
    print(section)
    if args.output != "-":
        write_section(Path(args.output), section)
        print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
