"""A cold ``rnnlint .`` over the real repository trees in ../shared/realworld, this checkout against a base.

Run from the repository root, with the project's dependencies installed in the running Python::

    python bench/realworld.py --base d6bdf19                       # every tree, 5 interleaved rounds
    python bench/realworld.py --base d6bdf19 --tree Masao-Someki+espnet --rounds 7

The base revision is checked out with ``git worktree`` into a temporary folder, and each tree is copied
there (the shared trees are read-only, and a run writes its cache). Both versions run as
``python -m rnnlint .`` from the copy's root, its ``.rnnlint_cache`` removed before each run (a cold run,
as a user's first), with PYTHONPATH pointing at their ``src``, in alternating order, each in its own
process (CPU time from os.wait4, wall time around the child).
Byte code goes to a private PYTHONPYCACHEPREFIX, warmed by a first untimed run of each. The median of
the rounds is reported, with the ratio this / base; the issue's target is a ratio of at most 1.5.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REALWORLD = REPO.parent / "shared" / "realworld"


def _run(src: Path, tree: Path, pycache: str) -> tuple[float, float, int]:
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONPYCACHEPREFIX": pycache, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    shutil.rmtree(tree / ".rnnlint_cache", ignore_errors=True)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "rnnlint", "."],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="git revision to compare against")
    parser.add_argument("--tree", action="append", help="folder under ../shared/realworld (repeatable)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if not REALWORLD.is_dir():
        print(f"{REALWORLD} is not present", file=sys.stderr)
        return 2
    trees = [REALWORLD / name for name in (args.tree or sorted(p.name for p in REALWORLD.iterdir() if p.is_dir()))]
    with tempfile.TemporaryDirectory(prefix="rnnlint-bench-") as work:
        base = Path(work) / "base"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(base), args.base], check=True)
        try:
            versions = {"base": base / "src", "this": REPO / "src"}
            caches = {name: os.path.join(work, f"pycache-{name}") for name in versions}
            header = (
                "| tree | base CPU s | this CPU s | CPU ratio | base wall s | this wall s | wall ratio "
                "| exit base/this |"
            )
            print(header)
            print("|---|---:|---:|---:|---:|---:|---:|---|")
            for original in trees:
                tree = Path(work) / "trees" / original.name
                shutil.copytree(original, tree, symlinks=True)
                results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in versions}
                for name, src in versions.items():
                    _run(src, tree, caches[name])  # warm the byte code
                for i in range(args.rounds):
                    order = list(versions) if i % 2 == 0 else list(reversed(versions))
                    for name in order:
                        results[name].append(_run(versions[name], tree, caches[name]))
                wall = {n: statistics.median(r[0] for r in rs) for n, rs in results.items()}
                cpu = {n: statistics.median(r[1] for r in rs) for n, rs in results.items()}
                codes = "/".join(str(results[n][0][2]) for n in versions)
                print(
                    f"| {tree.name} | {cpu['base']:.2f} | {cpu['this']:.2f} | {cpu['this'] / cpu['base']:.2f} | "
                    f"{wall['base']:.2f} | {wall['this']:.2f} | {wall['this'] / wall['base']:.2f} | {codes} |",
                    flush=True,
                )
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
