"""``rnnlint diff``: every changed config and layer against a git base."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from rnnlint.app.exits import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from rnnlint.app.exits import error as _err
from rnnlint.app.settings import build_settings
from rnnlint.result import FileResult, RunResult
from rnnlint.run.discovery import MissingPathError, iter_files
from rnnlint.settings import ConfigError

if TYPE_CHECKING:
    from rnnlint.app.options import CheckArgs


def execute_diff(args: CheckArgs, base_ref: str | None) -> int:
    """``rnnlint diff``: every changed config and layer against the base; exit 1 on what fails
    (RNN107 growth over ``max_growth``, and errors in the changed files)."""
    from rnnlint import engine
    from rnnlint.app import growth
    from rnnlint.settings import BaseState

    try:
        settings = build_settings(args)
        base = growth.find_base(base_ref, list(args.paths), os.environ)
        states: dict[str, BaseState] = growth.base_states(base, settings)
        settings = settings._replace(base=states)
        changed = {os.path.join(base.top, c.path) for c in base.changes if c.path}
        now: dict[str, FileResult] = {}
        for candidate in iter_files(list(args.paths), settings):
            full = os.path.abspath(candidate.path)
            if full not in changed:
                continue
            results = engine.lint_file(candidate.path, settings, walked=not candidate.explicit)
            model = next((r for r in results if not r.skipped and r.dialect is not None), None)
            if model is not None:
                now[full] = model
            elif any(d.severity == "error" for r in results for d in r.diagnostics):
                now[full] = next(r for r in results if r.diagnostics)
    except (ConfigError, MissingPathError) as exc:
        _err(str(exc))
        return EXIT_ERROR
    except engine.InternalError as exc:
        _err(str(exc))
        return EXIT_ERROR
    deltas = growth.compare(base, settings, now)
    run = RunResult([d.now for d in deltas if d.now is not None], strict=settings.strict)
    growth.write(args.format, deltas, base, sys.stdout, os.environ)
    return EXIT_FINDINGS if run.failed else EXIT_OK
