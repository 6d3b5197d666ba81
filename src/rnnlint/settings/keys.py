"""The one table of setting keys: each key's type, bounds, default and where it may be written.

Everything else is derived from :data:`KEYS`: the command line's options for the settings
(:mod:`rnnlint.app.cli`), the validation of ``[tool.rnnlint]`` and its overrides
(:mod:`rnnlint.settings`), of ``# rnnlint:`` pragmas (:mod:`rnnlint.engine.suppressions`), the native
file's ``limits``/``dataset`` keys, and the README's table of keys (``tools/gen_settings_doc.py``).
A new setting is one entry here (a limit also needs the rule that checks it).

Kept free of click (start-up time): the settings layer and the command line's fast path read it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rnnlint.model import FRAMEWORKS

# What a key holds; the validators of each place a key may appear know these kinds.
INT = "int"  # a whole number of at least ``minimum``
NUMBER = "number"  # a number above ``minimum`` (``open_min``) or at least it
BOOL = "bool"  # true or false (on the command line a --x/--no-x pair)
FLAG = "flag"  # true or false (on the command line only --x, which turns it on)
GROWTH = "growth"  # a number of parameters or a percentage ("10%")
CODES = "codes"  # a list of rule codes or prefixes
CHOICE = "choice"  # one of ``choices``
DIALECT = "dialect"  # a dialect's name (checked against the registry)
GLOBS = "globs"  # a list of glob patterns
SEVERITY = "severity"  # a table of rule code -> error | warning | note
OVERRIDES = "overrides"  # an array of tables, each with ``files`` and override keys

# What a key is for (the derived tables below collect them).
LIMIT = "limit"  # a bound on the model: the tightest of every place it is written holds
DATASET = "dataset"  # a dataset figure for RNN103: the file's own wins, then a pragma, then the configuration
SIZE = "size"  # a size the file cannot state, for the count


class Key(NamedTuple):
    """One setting key. ``name`` is the TOML/pragma spelling (``max-params`` is read as ``max_params``)."""

    name: str
    kind: str
    help: str
    group: str = ""
    minimum: float | None = None
    # The minimum itself is not allowed (a ratio must be above 0).
    open_min: bool = False
    # The value when no place states it (None: unset); ``doc_default`` says it in the docs when it is not a value.
    default: Any = None
    doc_default: str = ""
    # The command-line flag and the commands that take it (None: not on the command line).
    flag: str | None = None
    commands: tuple[str, ...] = ("check",)
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    # Written at the top level of [tool.rnnlint] / rnnlint.toml, in an overrides entry, in a pragma.
    toml: bool = True
    override: bool = False
    pragma: bool = False
    # The native file's section that holds it ("limits", "dataset"; "" the top level), None: not there.
    native: str | None = None


# The commands that lint files (``rnnlint annotate`` and ``diff`` read files too, with fewer settings).
_ALL = ("check", "count", "diff", "annotate")
_WALKS = ("check", "count")
_LIMIT_PLACES: dict[str, Any] = {"group": LIMIT, "override": True, "pragma": True}

KEYS: tuple[Key, ...] = (
    Key(
        "max_params",
        INT,
        "Upper bound on a model's parameters (RNN101).",
        minimum=0,
        flag="--max-params",
        native="limits",
        **_LIMIT_PLACES,
    ),
    Key(
        "max_layer_params",
        INT,
        "Upper bound on one layer's parameters (RNN102).",
        minimum=0,
        flag="--max-layer-params",
        native="limits",
        **_LIMIT_PLACES,
    ),
    Key(
        "max_recurrent_params",
        INT,
        "Upper bound on the recurrent layers' parameters together (RNN101).",
        minimum=0,
        flag="--max-recurrent-params",
        native="limits",
        **_LIMIT_PLACES,
    ),
    Key(
        "max_params_per_example",
        NUMBER,
        "Upper bound on parameters per training example (RNN103).",
        minimum=0,
        open_min=True,
        default=1000,
        flag="--max-params-per-example",
        native="limits",
        **_LIMIT_PLACES,
    ),
    Key(
        "min_tokens_per_param",
        NUMBER,
        "Lower bound on training tokens per parameter (RNN103).",
        minimum=0,
        open_min=True,
        default=0.1,
        flag="--min-tokens-per-param",
        native="limits",
        **_LIMIT_PLACES,
    ),
    Key(
        "max_growth",
        GROWTH,
        "Fail when a model grew by more than N parameters or P percent since the diff base (RNN107).",
        flag="--max-growth",
        commands=("check", "diff"),
        metavar="N|P%",
        **_LIMIT_PLACES,
    ),
    Key(
        "train_examples",
        INT,
        "Training examples (for RNN103).",
        group=DATASET,
        minimum=1,
        flag="--train-examples",
        override=True,
        pragma=True,
        native="dataset",
    ),
    Key(
        "tokens",
        INT,
        "Training tokens (for RNN103).",
        group=DATASET,
        minimum=1,
        flag="--tokens",
        override=True,
        pragma=True,
        native="dataset",
    ),
    Key(
        "input_size",
        INT,
        "The first layer's input features, for files that cannot state them.",
        group=SIZE,
        minimum=1,
        toml=False,
        override=True,
        pragma=True,
    ),
    Key(
        "state_size",
        INT,
        "rl_games: the environment's state size (the critic's input).",
        group=SIZE,
        minimum=1,
        toml=False,
        override=True,
    ),
    Key("action_size", INT, "rl_games: the action size.", group=SIZE, minimum=1, toml=False, override=True),
    Key(
        "framework",
        CHOICE,
        "Framework for files that do not state one.",
        choices=FRAMEWORKS,
        doc_default="the file's, else pytorch",
        flag="--framework",
        commands=_ALL,
        override=True,
        pragma=True,
        native="",
    ),
    Key(
        "dialect",
        DIALECT,
        "Read every file as this dialect (no detection).",
        doc_default="detected",
        flag="--dialect",
        commands=_ALL,
        override=True,
        pragma=True,
    ),
    Key(
        "select",
        CODES,
        "Only these codes or prefixes (comma separated).",
        doc_default="every rule",
        flag="--select",
    ),
    Key("ignore", CODES, "Skip these codes or prefixes (comma separated).", flag="--ignore", override=True),
    Key("severity", SEVERITY, "A rule's severity: error, warning or note ([tool.rnnlint.severity])."),
    Key("strict", FLAG, "Warnings fail too (exit 1).", default=False, flag="--strict"),
    Key(
        "include",
        GLOBS,
        "What a directory walk lints (file names or paths relative to the configuration).",
        doc_default="by extension",
    ),
    Key("exclude", GLOBS, "Skipped while walking (names or paths relative to the configuration)."),
    Key("extend_exclude", GLOBS, "More patterns for exclude."),
    Key(
        "max_file_bytes",
        INT,
        "Files larger than this are reported (RNN001), not read. Default 10 MiB.",
        minimum=1,
        default=10 * 1024 * 1024,
        flag="--max-file-bytes",
    ),
    Key(
        "respect_gitignore",
        BOOL,
        "Skip what .gitignore files ignore when walking folders (default: on).",
        default=True,
        flag="--respect-gitignore",
        commands=_WALKS,
    ),
    Key(
        "force_exclude",
        BOOL,
        "Apply 'exclude' to paths named on the command line too (for pre-commit).",
        default=False,
        flag="--force-exclude",
        commands=_WALKS,
    ),
    Key(
        "files",
        GLOBS,
        "The paths an overrides entry applies to (globs relative to the configuration).",
        minimum=1,
        toml=False,
        override=True,
    ),
    Key("overrides", OVERRIDES, "Per-path settings ([[tool.rnnlint.overrides]]; later entries win)."),
)

BY_NAME: dict[str, Key] = {key.name: key for key in KEYS}


def names(**where: Any) -> tuple[str, ...]:
    """The keys whose fields equal ``where``'s, in the table's order (e.g. ``names(pragma=True)``)."""
    return tuple(k.name for k in KEYS if all(getattr(k, field) == value for field, value in where.items()))


def flagged(command: str) -> tuple[Key, ...]:
    """The keys ``command`` takes on the command line, in the table's order."""
    return tuple(k for k in KEYS if k.flag is not None and command in k.commands)


def default(name: str) -> Any:
    return BY_NAME[name].default


def native(section: str) -> tuple[str, ...]:
    """The keys the native file holds in ``section`` ("limits", "dataset")."""
    return names(native=section)


def doc_default(key: Key) -> str:
    """The key's default as the docs say it."""
    if key.doc_default:
        return key.doc_default
    if key.default is None:
        return ""
    if isinstance(key.default, bool):
        return "true" if key.default else "false"
    return f"{key.default:_}" if isinstance(key.default, int) else repr(key.default)
