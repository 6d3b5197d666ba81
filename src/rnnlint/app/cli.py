"""The command line: a thin click layer that builds :class:`Settings` and calls ``execute``.

Exit codes: 0 nothing failing, 1 findings that fail (errors; warnings too with
``--strict``), 2 usage, configuration or internal error. Never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import click

from rnnlint import __version__
from rnnlint.app.exits import EXIT_ERROR, EXIT_OK, error, guarded
from rnnlint.app.options import CheckArgs, split_codes
from rnnlint.reporters import REPORTERS
from rnnlint.settings import keys

# CheckArgs lives in rnnlint.app.options (click-free); it is still importable from here.
__all__ = ["CheckArgs", "cli", "run_click"]


def _split_codes(values: Sequence[str]) -> tuple[str, ...]:
    codes, bad = split_codes(values)
    if bad is not None:
        raise click.BadParameter(f"{bad!r} is not a rule code or prefix (codes look like RNN101)")
    return codes


def _growth(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, float] | None:
    if value is None:
        return None
    from rnnlint.settings import parse_growth

    parsed = parse_growth(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is neither a number of parameters nor a percentage such as 10%")
    return parsed


def _key_option(key: keys.Key) -> Any:
    """The click option of one setting key, from its row in rnnlint.settings.keys."""
    flag, name, kind = key.flag, key.name, key.kind
    assert flag is not None
    if kind == keys.BOOL:
        return click.option(f"{flag}/--no-{flag[2:]}", name, default=None, help=key.help)
    if kind == keys.FLAG:
        return click.option(flag, name, is_flag=True, help=key.help)
    if kind == keys.CODES:
        return click.option(flag, name, multiple=True, help=key.help)
    if kind == keys.CHOICE:
        return click.option(flag, name, type=click.Choice(list(key.choices)), help=key.help)
    if kind == keys.GROWTH:
        return click.option(flag, name, callback=_growth, metavar=key.metavar, help=key.help)
    if kind == keys.INT:
        return click.option(flag, name, type=click.IntRange(min=int(key.minimum or 0)), help=key.help)
    if kind == keys.NUMBER:
        return click.option(flag, name, type=click.FloatRange(min=key.minimum, min_open=key.open_min), help=key.help)
    return click.option(flag, name, metavar=key.metavar, help=key.help)


def _key_options(*names: str) -> list[Any]:
    return [_key_option(keys.BY_NAME[name]) for name in names]


# Setting flags that the shared option groups declare (every other one a command declares itself).
_CONFIG_KEYS = ("dialect", "framework")
_WALK_KEYS = ("respect_gitignore", "force_exclude")


def _own_keys(command: str) -> list[Any]:
    """The setting flags of ``command`` outside the shared groups, in the table's order."""
    shared = (*_CONFIG_KEYS, *_WALK_KEYS)
    return [_key_option(k) for k in keys.flagged(command) if k.name not in shared]


def _given(command: str, values: dict[str, Any]) -> dict[str, Any]:
    """The settings ``command`` was given, for Settings.with_cli (None: not given)."""
    out: dict[str, Any] = {}
    for key in keys.flagged(command):
        value = values.pop(key.name)
        out[key.name] = _split_codes(value) if key.kind == keys.CODES else value
    return out


def _exit_with(run: Callable[[], int]) -> NoReturn:
    """Run a command's body under the same guard as the fast path (click would turn Ctrl-C into Abort)."""
    raise SystemExit(guarded(run))


class _DefaultGroup(click.Group):
    """``rnnlint PATH...`` means ``rnnlint check PATH...`` (as ``ruff`` without a subcommand would).

    Options may come before the command's name: ``rnnlint --isolated count x.yaml`` is
    ``rnnlint count --isolated x.yaml`` (the first argument that is neither an option nor an option's
    value names the command when it is one; after ``--`` everything is a path).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            at = self._command_at(args)
            args = [args[at], *args[:at], *args[at + 1 :]] if at is not None else ["check", *args]
        return super().parse_args(ctx, args)

    def _command_at(self, args: list[str]) -> int | None:
        """The index of a command name that follows leading options, or None."""
        valued = {
            name
            for command in self.commands.values()
            for param in command.params
            if isinstance(param, click.Option) and not param.is_flag and not param.count
            for name in param.opts
        }
        i = 0
        while i < len(args):
            token = args[i]
            if token == "--":
                return None
            if token == "-" or not token.startswith("-"):
                return i if token in self.commands else None
            i += 2 if token in valued else 1  # "--format json": skip the value too ("--format=json" is one)
        return None


def _apply(f: Any, options: list[Any]) -> Any:
    for option in reversed(options):
        f = option(f)
    return f


def _apply_options(options: list[Any]) -> Callable[[Any], Any]:
    """A decorator that adds ``options`` (in their order in --help)."""
    return lambda f: _apply(f, options)


def _config_options(f: Any) -> Any:
    """PATHS and the options that decide how files are read (every command that lints files)."""
    return _apply(
        f,
        [
            click.argument("paths", nargs=-1, required=True, type=click.Path()),
            click.option("--config", "config", type=click.Path(dir_okay=False), help="Configuration file to use."),
            click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
            *_key_options(*_CONFIG_KEYS),
        ],
    )


def _common_options(f: Any) -> Any:
    options = [
        _config_options,
        click.option("--stdin-filename", help="Name to report (and to match overrides) when reading '-'."),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=0),
            help="Worker processes (0: every core). Default: one for few files, every core for many.",
        ),
        click.option(
            "--no-cache", "no_cache", is_flag=True, help="Lint every file again; do not read or write .rnnlint_cache/."
        ),
        *_key_options(*_WALK_KEYS),
        click.option("-v", "--verbose", is_flag=True, help="List every file skipped, and why, on stderr."),
    ]
    return _apply(f, options)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
@click.version_option(__version__, "--version", prog_name="rnnlint", message="%(prog)s %(version)s")
def cli() -> None:
    """Lint ML model configs: count every recurrent layer's parameters exactly, check budgets.

    rnnlint PATH... is short for rnnlint check PATH...
    """


def _explain(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """``--explain CODE``: the rule's documentation, then exit (no paths needed)."""
    if value is None or ctx.resilient_parsing:
        return
    _print_rule(value)
    ctx.exit(EXIT_OK)


def _print_rule(code: str) -> None:
    from rnnlint.rules import by_code

    found = by_code(code)
    if found is None:
        raise click.BadParameter(f"no rule {code!r}; see 'rnnlint rule' for the list", param_hint="CODE")
    click.echo(f"{found.CODE} ({found.NAME}), default severity: {found.SEVERITY}\n")
    click.echo((found.__doc__ or "").strip())


@cli.command()
@_common_options
@click.option(
    "--explain",
    metavar="CODE",
    is_eager=True,
    expose_value=False,
    callback=_explain,
    help="Print a rule's documentation and exit (as 'rnnlint rule CODE').",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--output-file", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail (errors in usage still exit 2).")
@click.option(
    "--diff-base",
    metavar="REF",
    help="Count each changed config at this git ref too, for max_growth (RNN107).",
)
@_apply_options(_own_keys("check"))
def check(
    paths: tuple[str, ...],
    output_format: str,
    output_file: str | None,
    config: str | None,
    isolated: bool,
    stdin_filename: str | None,
    jobs: int | None,
    no_cache: bool,
    verbose: bool,
    exit_zero: bool,
    diff_base: str | None,
    **settings: Any,
) -> None:
    """Lint config files and directories (recursively)."""
    args = CheckArgs(
        paths=paths,
        format=output_format,
        output_file=output_file,
        config=config,
        isolated=isolated,
        stdin_filename=stdin_filename,
        exit_zero=exit_zero,
        jobs=jobs,
        cache=not no_cache,
        cli={**_given("check", settings), "diff_base": diff_base},
        verbose=verbose,
    )
    from rnnlint.app.check import execute_check

    _exit_with(lambda: execute_check(args))


@cli.command()
@_common_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--dtype",
    type=click.Choice(["fp32", "fp16", "bf16", "int8"]),
    default="fp32",
    show_default=True,
    help="Parameter width for the sizes in bytes.",
)
def count(
    paths: tuple[str, ...],
    output_format: str,
    dtype: str,
    config: str | None,
    isolated: bool,
    stdin_filename: str | None,
    jobs: int | None,
    no_cache: bool,
    verbose: bool,
    **settings: Any,
) -> None:
    """Print every layer's parameters, sizes and bytes, and the totals."""
    args = CheckArgs(
        paths=paths,
        format=output_format,
        dtype=dtype,
        config=config,
        isolated=isolated,
        stdin_filename=stdin_filename,
        jobs=jobs,
        cache=not no_cache,
        cli=_given("count", settings),
        verbose=verbose,
    )
    from rnnlint.app.count import execute_count

    _exit_with(lambda: execute_count(args))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--config", "config", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@_apply_options(_key_options(*_CONFIG_KEYS))
@click.option(
    "--base",
    "base_ref",
    metavar="REF",
    help="Compare with this git ref (default: the merge base with the default branch, or the CI's target branch).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown", "github"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@_apply_options(_own_keys("diff"))
def diff(
    paths: tuple[str, ...],
    config: str | None,
    isolated: bool,
    base_ref: str | None,
    output_format: str,
    **settings: Any,
) -> None:
    """How each changed config grew against a git base: every layer and total, with the change."""
    args = CheckArgs(
        paths=paths or (".",),
        format=output_format,
        config=config,
        isolated=isolated,
        cache=False,
        cli=_given("diff", settings),
    )
    from rnnlint.app.diff import execute_diff

    _exit_with(lambda: execute_diff(args, base_ref))


@cli.command()
@_config_options
@click.option("--check", is_flag=True, help="Change nothing; exit 1 with a diff if an annotation is missing or stale.")
@click.option("--diff", "show_diff", is_flag=True, help="Change nothing; print the diff.")
@click.option("--strip", is_flag=True, help="Remove rnnlint's annotations instead.")
def annotate(
    paths: tuple[str, ...],
    config: str | None,
    isolated: bool,
    check: bool,
    show_diff: bool,
    strip: bool,
    **settings: Any,
) -> None:
    """Write each recurrent layer's parameter count into the file as a comment (exit 1 when a file changed)."""
    from rnnlint.app.annotate import AnnotateArgs, execute_annotate

    args = AnnotateArgs(
        paths=paths,
        config=config,
        isolated=isolated,
        check=check,
        diff=show_diff,
        strip=strip,
        cli=_given("annotate", settings),
    )
    _exit_with(lambda: execute_annotate(args))


@cli.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule.")
def rule(code: str | None, show_all: bool) -> None:
    """Show a rule's documentation (rnnlint rule RNN101), or list the rules."""
    from rnnlint.rules import all_rules, summary_line

    if code is None or show_all:
        for r in all_rules():
            click.echo(f"{r.CODE}  {r.NAME:<22} {r.SEVERITY:<8} {summary_line(r)}")
        raise SystemExit(EXIT_OK)
    _print_rule(code)
    raise SystemExit(EXIT_OK)


def run_click(args: list[str]) -> int:
    """Parse and run ``args`` with click; click's own errors become exit codes (the caller guards the rest)."""
    try:
        cli.main(args=args, prog_name="rnnlint", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_ERROR)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Abort:
        error("aborted")
        return EXIT_ERROR
    return EXIT_OK
