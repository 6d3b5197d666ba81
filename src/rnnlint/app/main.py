"""The console script and ``python -m rnnlint``: every command line goes through click.

:func:`main` is the one entry point (the tests' ``run_cli`` calls it too). click is imported only
inside it, so importing this module (or :mod:`rnnlint` for its API) stays cheap. :func:`guarded` is the
one place that turns a broken pipe, Ctrl-C or a bug into an exit code and a one-line message (never
a traceback).
"""

from __future__ import annotations

import gc
import sys

from rnnlint.app.exits import guarded

TYPE_CHECKING = False  # typing itself is not needed at run time (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence

# A lint run allocates many short-lived objects (YAML nodes, records) and almost no reference
# cycles, so collecting cycles every 700 allocations costs time for nothing (10-15% of a run
# here, and a part of importing click). Collect less often, as mypy does; memory stays flat
# because nothing cyclic piles up.
_GC_THRESHOLD = (50_000, 50, 100)


def _dispatch(argv: list[str]) -> int:
    from rnnlint.app.cli import run_click

    return run_click(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the console script and ``python -m rnnlint``; returns the exit code.

    Without ``argv`` it runs the process's own command line (the console script, ``python -m rnnlint``),
    and the process ends next; with ``argv`` it may run inside another program (tests, the CI action),
    and leaves the collector as it found it.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    threshold = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLD)
    try:
        return guarded(lambda: _dispatch(args))
    finally:
        gc.set_threshold(*threshold)
        if argv is None:
            # The interpreter's last collection at exit would scan every object of the run (every
            # module, click's and PyYAML's classes): about 7 ms, a tenth of a one-file run
            # (bench/startup.py). Frozen, they are not scanned; the process is about to end anyway.
            gc.freeze()
