"""Write tests/fixtures/realworld_figures.json: what ``rnnlint .`` reports from the root of each tree in
../shared/realworld (files linted and skipped, recurrent layers, findings by code, the exit code).

    python tools/realworld_figures.py           # rewrite the fixture after a deliberate change
    python tools/realworld_figures.py --check   # exit 1 when the fixture is stale

tests/acceptance/test_realworld.py runs the same figures through the console script and compares them with the
fixture, so a change in what rnnlint finds on real repositories shows up as a reviewed diff of this file, not
as nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT.parent / "shared" / "realworld"
TARGET = ROOT / "tests" / "fixtures" / "realworld_figures.json"


def figures(document: dict[str, Any], code: int) -> dict[str, Any]:
    """The figures a tree's JSON report is judged by (also used by the test)."""
    summary = document["summary"]
    by_code = Counter(d["code"] for f in document["files"] for d in f["diagnostics"])
    errors = sorted(
        f"{f['path']}:{d['line']}:{d['column']}: {d['code']}"
        for f in document["files"]
        for d in f["diagnostics"]
        if d["severity"] == "error"
    )
    return {
        "exit": code,
        "linted": summary["linted"],
        "skipped": summary["skipped"],
        "recurrent_layers": summary["recurrent_layers"],
        "complete": sum(1 for f in document["files"] if not f["skipped"] and f["complete"]),
        "by_code": dict(sorted(by_code.items())),
        "errors": errors,
    }


def tree_figures(tree: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITLAB_CI")}
    done = subprocess.run(
        [sys.executable, "-m", "rnnlint", "--no-cache", "--format", "json", "."],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"{tree.name}: exit {done.returncode}: {done.stderr}")
    return figures(json.loads(done.stdout), done.returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if not REALWORLD.is_dir():
        print(f"{REALWORLD} is not present", file=sys.stderr)
        return 2
    current = {tree.name: tree_figures(tree) for tree in sorted(REALWORLD.iterdir()) if tree.is_dir()}
    text = json.dumps(current, indent=2) + "\n"
    if args.check:
        stale = not TARGET.is_file() or TARGET.read_text(encoding="utf-8") != text
        print(f"{TARGET.relative_to(ROOT)} is {'stale' if stale else 'current'}")
        return 1 if stale else 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(current)} trees)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
