"""The common ``rnnlint [check] PATH...`` command lines, parsed without click.

Importing click costs about as much as the rest of a one-file run, and a pre-commit hook starts
rnnlint on every commit. :func:`parse_plain` recognises the plain ``check`` invocations and
builds exactly the :class:`CheckArgs` click's ``check`` command would build; for anything else
(help, other commands, options it does not know, a value click would reject, ...) it returns
None and the caller hands the command line to click, which then behaves and reports as always.
"""

from __future__ import annotations

import os
import stat

from rnnlint.app.options import CheckArgs, split_codes
from rnnlint.model import FRAMEWORKS
from rnnlint.reporters import REPORTERS
from rnnlint.settings import DATASET_KEYS, LIMIT_KEYS

# The other subcommands of rnnlint.app.cli's group (a first token naming one is not a path).
OTHER_COMMANDS = frozenset({"count", "annotate", "rule", "diff"})
# click's ``check`` passes these options as None when they are not given (the fast path never takes them).
_UNSET_OPTIONS = (*LIMIT_KEYS, *DATASET_KEYS, "max_file_bytes", "diff_base", "max_growth")

_FLAGS = {
    "--isolated": "isolated",
    "--no-cache": "no_cache",
    "--strict": "strict",
    "--exit-zero": "exit_zero",
    "--verbose": "verbose",
    "-v": "verbose",
    "--respect-gitignore": "respect_gitignore",
    "--no-respect-gitignore": "no_respect_gitignore",
    "--force-exclude": "force_exclude",
    "--no-force-exclude": "no_force_exclude",
}
# Flag pairs: click keeps the last one given; the fast path leaves a line with both to click.
_PAIRS = (("respect_gitignore", "no_respect_gitignore"), ("force_exclude", "no_force_exclude"))
_VALUED = {
    "--format": "format",
    "--output-file": "output_file",
    "--config": "config",
    "--select": "select",
    "--ignore": "ignore",
    "--dialect": "dialect",
    "--framework": "framework",
    "--stdin-filename": "stdin_filename",
    "--jobs": "jobs",
    "-j": "jobs",
}
_MULTIPLE = frozenset({"select", "ignore"})

TYPE_CHECKING = False  # typing itself is not needed at run time (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence


def _path_ok(value: str, dir_okay: bool) -> bool:
    """What ``click.Path(dir_okay=...)`` accepts: a missing path, or an existing readable one."""
    try:
        st = os.stat(value)
    except OSError:
        return True
    except ValueError:  # an embedded NUL: leave the reporting to click
        return False
    if not dir_okay and stat.S_ISDIR(st.st_mode):
        return False
    return os.access(value, os.R_OK)


def _tokens(argv: Sequence[str]) -> tuple[list[str], dict[str, list[str]], set[str]] | None:
    """Paths, option values by name and flags set; None for a token outside the plain forms."""
    paths: list[str] = []
    values: dict[str, list[str]] = {}
    flags: set[str] = set()
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if token == "-" or not token.startswith("-"):
            paths.append(token)
            continue
        if token in _FLAGS:
            flags.add(_FLAGS[token])  # a repeated flag is still just set, as with click
            continue
        value: str | None = None
        if token.startswith("--"):
            name, eq, explicit = token.partition("=")
            key = _VALUED.get(name)
            if eq:
                value = explicit
        elif token.startswith("-j") and len(token) > 2:  # -j4 (click reads "-j=4" as the value "=4")
            key, value = "jobs", token[2:]
        else:
            key = _VALUED.get(token)
        if key is None:
            return None
        if value is None:
            if i == len(argv):
                return None
            value = argv[i]
            i += 1
        # click would take "-x" as the value; such lines are rare enough to leave to click.
        if not value or value.startswith("-"):
            return None
        if key in values and key not in _MULTIPLE:
            return None
        values.setdefault(key, []).append(value)
    return paths, values, flags


def parse_plain(argv: Sequence[str]) -> CheckArgs | None:
    """The :class:`CheckArgs` of a plain ``check`` command line, or None to let click parse it."""
    if not argv:
        return None
    if argv[0] == "check":
        argv = argv[1:]
    elif argv[0] in OTHER_COMMANDS:
        return None
    parsed = _tokens(argv)
    if parsed is None:
        return None
    paths, values, flags = parsed
    if any(on in flags and off in flags for on, off in _PAIRS):
        return None
    if not paths or not all(path and _path_ok(path, dir_okay=True) for path in paths):
        return None
    one = {key: found[0] for key, found in values.items() if key not in _MULTIPLE}
    output_format = one.get("format", "text")
    if output_format not in REPORTERS:
        return None
    if "framework" in one and one["framework"] not in FRAMEWORKS:
        return None
    for key in ("output_file", "config"):
        if key in one and not _path_ok(one[key], dir_okay=False):
            return None
    jobs: int | None = None
    if "jobs" in one:
        if not (one["jobs"].isascii() and one["jobs"].isdigit()):
            return None
        jobs = int(one["jobs"])
    select, bad_select = split_codes(values.get("select", ()))
    ignore, bad_ignore = split_codes(values.get("ignore", ()))
    if bad_select is not None or bad_ignore is not None:
        return None
    cli: dict[str, object] = {
        "select": select,
        "ignore": ignore,
        "strict": "strict" in flags,
        "dialect": one.get("dialect"),
        "framework": one.get("framework"),
    }
    for on, off in _PAIRS:
        cli[on] = True if on in flags else False if off in flags else None
    cli.update(dict.fromkeys(_UNSET_OPTIONS))
    return CheckArgs(
        paths=tuple(paths),
        format=output_format,
        output_file=one.get("output_file"),
        config=one.get("config"),
        isolated="isolated" in flags,
        stdin_filename=one.get("stdin_filename"),
        exit_zero="exit_zero" in flags,
        cli=cli,
        jobs=jobs,
        cache="no_cache" not in flags,
        verbose="verbose" in flags,
    )
