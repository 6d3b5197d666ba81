"""The console script and ``python -m rnnlint``: plain ``check`` runs skip click entirely.

:func:`main` parses the common command lines itself (:mod:`rnnlint.app.quickargs`) and hands every
other one to click (:func:`rnnlint.app.cli.run_click`). :func:`guarded` is the one place that turns a broken
pipe, Ctrl-C or a bug into an exit code and a one-line message (never a traceback); both paths use it.
"""

from __future__ import annotations

import gc
import os
import sys

from rnnlint.app.exits import guarded

TYPE_CHECKING = False  # typing itself is not needed at run time (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence

# A lint run allocates many short-lived objects (YAML nodes, records) and almost no reference
# cycles, so collecting cycles every 700 allocations costs time for nothing (10-15% of a run
# here). Collect less often, as mypy does; memory stays flat because nothing cyclic piles up.
_GC_THRESHOLD = (50_000, 50, 100)

# click answers shell-completion requests when this is set; only click can.
_COMPLETION_VAR = "_RNNLINT_COMPLETE"


def _dispatch(argv: list[str]) -> int:
    if _COMPLETION_VAR not in os.environ:
        from rnnlint.app.quickargs import parse_plain

        args = parse_plain(argv)
        if args is not None:
            from rnnlint.app.runner import execute_check

            return execute_check(args)
    from rnnlint.app.cli import run_click

    return run_click(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the console script and ``python -m rnnlint``; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    threshold = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLD)
    try:
        return guarded(lambda: _dispatch(args))
    finally:
        gc.set_threshold(*threshold)  # main() may run inside another program (tests)
