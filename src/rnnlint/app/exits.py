"""Exit codes and the one-line message on stderr, for every command; and the guard that turns a
broken pipe, Ctrl-C or a bug into an exit code (never a traceback).

Kept free of click and typing at run time: the console script imports it on every start.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing itself is not needed at run time (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable

# 0: nothing fails; 1: findings that fail (errors; warnings too with --strict), or annotate
# changed a file; 2: usage, configuration or internal error; 130: interrupted.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def error(message: str) -> None:
    """``rnnlint: message`` on stderr."""
    sys.stderr.write(f"rnnlint: {message}\n")


def guarded(run: Callable[[], int]) -> int:
    """``run()``'s exit code, or the code for a broken pipe, an interrupt or an internal error."""
    try:
        return run()
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; nothing left to say. Point stdout at devnull so
        # the flush at interpreter exit does not fail again.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_ERROR
    except KeyboardInterrupt:
        error("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug in rnnlint: say so, without a traceback
        error(f"internal error: {type(exc).__name__}: {exc} (please report this)")
        return EXIT_ERROR
