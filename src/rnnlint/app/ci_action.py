"""The GitHub composite action's run step (``action.yml``): ``python -m rnnlint.app.ci_action``.

It reads the action's inputs from the environment, so no value passes through the shell:

- ``RNNLINT_PATHS``: one path per line (a path may hold spaces); a single line is split as a shell
  would split it, so ``"my configs" other`` is two paths.
- ``RNNLINT_ARGS``: more options, split as a shell would (quotes kept together).

It runs ``rnnlint --format github`` (annotations and the job summary), then reads the same run as
JSON (from the cache) for the step's outputs, written to ``GITHUB_OUTPUT``: ``total-params`` (the sum
of every config's counted parameters), ``complete`` (whether that sum is every model's whole size)
and ``failed``. The exit code is rnnlint's.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import sys
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any


def split_paths(value: str) -> list[str]:
    """Paths one per line; a single line is split as a shell would (quotes keep spaces)."""
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if len(lines) == 1:
        return shlex.split(lines[0])
    return lines


def outputs(document: Mapping[str, Any]) -> dict[str, str]:
    """The step's outputs from a ``--format json`` document."""
    files = [f for f in document.get("files", []) if isinstance(f, dict) and not f.get("skipped")]
    total = sum(int(f["counted_params"] or 0) for f in files)
    complete = all(f.get("total_params") is not None for f in files)
    summary = document.get("summary", {})
    failed = bool(summary.get("failed")) if isinstance(summary, dict) else True
    return {"total-params": str(total), "complete": str(complete).lower(), "failed": str(failed).lower()}


def write_outputs(values: Mapping[str, str], environ: Mapping[str, str]) -> None:
    target = environ.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as fh:
        for name, value in values.items():
            fh.write(f"{name}={value}\n")


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    from rnnlint.app.main import main as rnnlint_main

    env = os.environ if environ is None else environ
    extra = list(argv) if argv is not None else []
    try:
        args = shlex.split(env.get("RNNLINT_ARGS", "")) + extra
        paths = split_paths(env.get("RNNLINT_PATHS", "") or ".")
    except ValueError as exc:  # an unbalanced quote
        sys.stderr.write(f"rnnlint action: cannot split the inputs: {exc}\n")
        return 2
    code = rnnlint_main(["--format", "github", *args, "--", *paths])
    if code not in (0, 1):
        return code
    with tempfile.TemporaryDirectory() as folder:
        report = os.path.join(folder, "rnnlint.json")
        # The same run again, from the cache; its summary line would repeat the first one's.
        with contextlib.redirect_stdout(io.StringIO()):
            again = rnnlint_main(["--format", "json", "--output-file", report, *args, "--", *paths])
        if again in (0, 1) and os.path.exists(report):
            with open(report, encoding="utf-8") as fh:
                write_outputs(outputs(json.load(fh)), env)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
