"""Keep the README's sample outputs real: run each ``$ rnnlint ...`` console block and compare.

A block is run when every path it names exists in one of the sample folders: the repository
itself, ``../shared/corpus``, ``../shared/newdialects`` or ``tests/fixtures/keras_files`` (the first
that holds them all is the working directory). Blocks whose output is abridged (a line with
``...``) or whose files are elsewhere are left alone and listed.

    python tools/readme_samples.py            # rewrite stale blocks
    python tools/readme_samples.py --check    # exit 1 when a block is stale (the tests run this)
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SHARED = REPO.parent / "shared"
BASES = (REPO, SHARED / "corpus", SHARED / "newdialects", REPO / "tests" / "fixtures" / "keras_files")
BLOCK = re.compile(r"```console\n\$ rnnlint (?P<args>[^\n]*)\n(?P<out>.*?)```", re.S)


def _paths(args: list[str]) -> list[str]:
    return [a for a in args if not a.startswith("-") and a not in ("count", "check")]


def _base(paths: list[str]) -> Path | None:
    if not paths:
        return None
    for base in BASES:
        if all((base / p).exists() for p in paths):
            return base
    return None


def run(args: list[str], cwd: Path) -> str:
    # --isolated and --no-cache: the sample must not depend on a configuration or leave a cache behind.
    command = (
        ["count", "--isolated", "--no-cache", *args[1:]] if args[0] == "count" else ["--isolated", "--no-cache", *args]
    )
    env = {**os.environ, "NO_COLOR": "1"}
    for name in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "CI_PROJECT_DIR", "GITHUB_STEP_SUMMARY"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "rnnlint", *command], cwd=cwd, env=env, capture_output=True, text=True)
    return done.stdout


def refresh(text: str) -> tuple[str, list[str], list[str]]:
    """The README with every runnable block's output as rnnlint prints it, the stale commands, and
    the commands left alone."""
    stale: list[str] = []
    skipped: list[str] = []

    def replace(match: re.Match[str]) -> str:
        command = match.group("args")
        args = shlex.split(command)
        base = _base(_paths(args))
        if base is None or "..." in match.group("out") or args[0] in ("diff", "annotate"):
            skipped.append(command)
            return match.group(0)
        out = run(args, base)
        if out != match.group("out"):
            stale.append(command)
        return f"```console\n$ rnnlint {command}\n{out}```"

    return BLOCK.sub(replace, text), stale, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a block is stale")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    new, stale, skipped = refresh(text)
    if args.check:
        for command in stale:
            print(f"stale: rnnlint {command}", file=sys.stderr)
        return 1 if stale else 0
    if new != text:
        README.write_text(new, encoding="utf-8")
    print(f"{len(stale)} block(s) rewritten; left alone: {len(skipped)}")
    for command in skipped:
        print(f"  rnnlint {command}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
