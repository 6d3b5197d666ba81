"""A cold ``rnnlint .`` on a real repository's config tree, against another rnnlint build.

For the walk's costs (.gitignore, the skip rule): the tree is copied into the work folder (the
shared trees are read-only, and a cold run writes its cache), then every build runs ``rnnlint .``
from the copy's root with the cache removed before each round, interleaved round by round (see
run.py's measure_interleaved), and the medians and their ratio are printed::

    python bench/realworld.py --tree ../shared/realworld/Masao-Someki+espnet \\
        --baseline /tmp/venv-base/bin/python --rounds 7

``--baseline`` is the Python of an environment with the rnnlint to compare against (e.g. the
commit this branch started from, installed with ``pip install`` from ``git archive``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import Spec, _env, measure_interleaved, run_once  # bench/run.py, beside this script


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, required=True, help="a config tree, e.g. ../shared/realworld/<repo>")
    parser.add_argument("--baseline", required=True, help="the Python of the rnnlint build to compare against")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "rnnlint-bench-realworld")
    parser.add_argument("--extra", nargs="*", default=[], help="more options for every run")
    args = parser.parse_args(argv)

    copy = args.work / args.tree.resolve().name
    if not copy.exists():
        print(f"copying {args.tree} to {copy} ...", flush=True)
        shutil.copytree(args.tree, copy, symlinks=True)
    env = _env(args.work / "pycache")
    cache = copy / ".rnnlint_cache"
    builds = {"baseline": args.baseline, "this": sys.executable}
    for python in builds.values():  # byte code compiled before any round
        run_once([python, "-m", "rnnlint", "--no-cache", "--isolated", "--format", "json", "."], copy, env)
    specs = [
        Spec(name, f"{name}: rnnlint . (cache cold) {' '.join(args.extra)}", [[py, "-m", "rnnlint", *args.extra, "."]],
             clear=[cache])
        for name, py in builds.items()
    ]
    timings = measure_interleaved(specs, copy, env, args.rounds)
    ratio = timings["this"].seconds / timings["baseline"].seconds
    print(f"this / baseline: {ratio:.3f} (median wall time of {args.rounds} rounds)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
