"""Peak memory of a run against the number of files, for every report format (issue 14, section 5).

Generates N small native configs (bench/corpus.py, 30-60 lines each, 100 per folder) in a work folder and
measures the peak resident set (ru_maxrss of the child, from os.wait4) of::

    rnnlint --no-cache --format FORMAT DIR > /dev/null

for each format and size, and the same for the peers that are installed (yamllint, check-jsonschema: on
PATH, or in bench/run.py's peers virtualenv under the work folder; a missing one is skipped, never
installed). ``--before SRC`` also measures another rnnlint source tree (e.g. a checkout of main) with the
same interpreter, to show what streaming changed. Run from the repository root::

    python bench/memory.py                          # 2,000 and 20,000 files
    python bench/memory.py --sizes 2000,20000,100000 --before ../main/src --readme bench/README.md
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # bench/corpus.py, beside this script

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "src" / "rnnlint" / "schemas" / "rnnlint-config.schema.json"
FORMATS = ("text", "json", "sarif", "gitlab", "junit")
BEGIN, END = "<!-- memory.py: begin -->", "<!-- memory.py: end -->"


def peak_mb(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(peak RSS in MB, wall seconds) of one child process, its report thrown away."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1) or "Traceback (most recent call last)" in err:  # exit 1 may be a crash, not findings
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(cmd)}\n{err}")
    # Linux reports KB, macOS bytes.
    return usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024), seconds


def corpus(work: Path, count: int) -> Path:
    folder = work / f"native-{count}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"writing {count:,} configs to {folder} ...", file=sys.stderr, flush=True)
        write_corpus(str(folder), count)
        marker.write_text("", encoding="utf-8")
    return folder


def peers(work: Path) -> dict[str, list[str]]:
    """The installed peers: a command prefix each (the folder is appended)."""
    bins = [work / "peers" / "bin", Path(tempfile.gettempdir()) / "rnnlint-bench" / "peers" / "bin"]
    found: dict[str, list[str]] = {}
    for name, args in (("yamllint", ["-d", "default"]), ("check-jsonschema", ["--schemafile", str(SCHEMA)])):
        local = next((str(b / name) for b in bins if (b / name).exists()), None)
        command = local or shutil.which(name)
        if command is not None:
            found[name] = [command, *args]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,20000", help="numbers of files, comma-separated: 2000,20000,100000")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--jobs", default=None, help="rnnlint's -j (default: rnnlint's own choice)")
    parser.add_argument("--before", type=Path, help="another rnnlint source tree (its src/) to measure alike")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "rnnlint-bench-memory")
    parser.add_argument("--readme", type=Path, help=f"write the table into this file, between {BEGIN} and {END}")
    args = parser.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",") if s]
    formats = [f for f in args.formats.split(",") if f]
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PYTHONPATH")}
    env["NO_COLOR"] = "1"
    jobs = ["-j", args.jobs] if args.jobs else []
    tools: list[tuple[str, list[str], dict[str, str]]] = []
    for fmt in formats:
        cmd = [sys.executable, "-m", "rnnlint", "--isolated", "--no-cache", *jobs, "--format", fmt]
        tools.append((f"rnnlint --format {fmt}", cmd, env))
        if args.before:
            tools.append((f"before: rnnlint --format {fmt}", cmd, {**env, "PYTHONPATH": str(args.before.resolve())}))
    for name, cmd in peers(work).items():
        tools.append((name, cmd, env))
    # check-jsonschema takes files, not folders (given a folder it stops with IsADirectoryError, exit 1).
    takes_files = {"check-jsonschema"}

    figures: dict[tuple[str, int], tuple[float, float]] = {}
    for size in sizes:
        folder = corpus(work, size)
        for label, cmd, tool_env in tools:
            targets = sorted(map(str, folder.rglob("*.yaml"))) if label in takes_files else [str(folder)]
            figures[label, size] = peak_mb([*cmd, *targets], work, tool_env)
            mb, seconds = figures[label, size]
            print(f"{label:<40} {size:>8,} files: {mb:8.1f} MB  {seconds:7.1f} s", file=sys.stderr, flush=True)

    header = "| command | " + " | ".join(f"{size:,} files" for size in sizes) + " | growth |"
    rule = "|---|" + "---:|" * len(sizes) + "---:|"
    rows = [header, rule]
    for label, _, _ in tools:
        cells = [f"{figures[label, size][0]:.1f} MB" for size in sizes]
        growth = figures[label, sizes[-1]][0] / figures[label, sizes[0]][0]
        rows.append(f"| {label} | " + " | ".join(cells) + f" | {growth:.2f}x |")
    table = "\n".join(rows)
    print(table)
    if args.readme:
        where = f"`--no-cache`, -j {args.jobs or 'default'}, Python {sys.version.split()[0]} on {sys.platform}"
        block = f"{BEGIN}\nPeak resident set, written by `python bench/memory.py` ({where}):\n\n{table}\n{END}"
        text = args.readme.read_text(encoding="utf-8") if args.readme.exists() else ""
        if BEGIN in text and END in text:
            text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
        else:
            text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
        args.readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
