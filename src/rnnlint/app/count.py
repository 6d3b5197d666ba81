"""``rnnlint count``: every model's parameters, as a table (text, JSON, Markdown or CSV)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from rnnlint.app.check import _exit_code, _run, list_skipped

if TYPE_CHECKING:
    from rnnlint.app.options import CheckArgs


def execute_count(args: CheckArgs) -> int:
    from rnnlint.reporters import counts

    outcome = _run(args)
    if isinstance(outcome, int):
        return outcome
    run, internal, _ = outcome
    if args.verbose:
        list_skipped(run.files)
    counts.write(args.format, run.files, sys.stdout, args.dtype)
    return _exit_code(run, internal)
