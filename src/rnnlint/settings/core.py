"""The settings' records: a run's :class:`Settings` (configuration and command line), one file's
:class:`FileSettings` (resolved once), an :class:`Override`, and the tables derived from the keys' table."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import rnnlint.settings.keys as keys
from rnnlint.model import SourcedValue

# Every key's type, bounds and places are in rnnlint.settings.keys; these are its derived tables.
# Limits: "max_*" hold when the value is at most the bound, "min_*" when at least.
LIMIT_KEYS = tuple(k.name for k in keys.KEYS if k.group == keys.LIMIT and k.kind != keys.GROWTH)
MIN_LIMITS = frozenset(name for name in LIMIT_KEYS if name.startswith("min_"))
DATASET_KEYS = keys.names(group=keys.DATASET)
DEFAULT_EXTENSIONS = (".yaml", ".yml", ".json", ".jsonnet", ".keras", ".h5")
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".rnnlint_cache",
    "site-packages",
)
# Sizes a file cannot state: the first layer's input; rl_games' critic input (the environment's state
# size) and action size.
SIZE_KEYS = keys.names(group=keys.SIZE)
# ``max_growth`` is written as a number of parameters or a percentage ("10%"); it is kept as one of
# these two limits, which RNN107 checks against the model at the diff base.
GROWTH_KEY = "max_growth"
GROWTH_LIMITS = ("max_growth", "max_growth_percent")
CONFIG_FILES = ("rnnlint.toml", ".rnnlint.toml", "pyproject.toml")
OVERRIDE_KEYS = frozenset(keys.names(override=True))
TOP_KEYS = frozenset(keys.names(toml=True))


class ConfigError(Exception):
    """An invalid configuration: exit code 2."""


class BaseState(NamedTuple):
    """A config's model at the diff base, as RNN107 compares it (see :mod:`rnnlint.run.gitbase`)."""

    # "modified" or "renamed" (a config that is new at this commit has no base to grow from).
    status: str
    old_path: str
    # The base's whole total, or None; the counted sum (a lower bound when total is None).
    total: int | None
    counted: int | None
    ref: str


def parse_growth(value: Any) -> tuple[str, float] | None:
    """``max_growth`` as (limit name, amount): ``"10%"`` is a percentage, ``1_000_000`` parameters.

    None when it is neither (the caller says what is allowed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number, percent = float(value), False
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        percent = text.endswith("%")
        try:
            number = float(text[:-1] if percent else text)
        except ValueError:
            return None
    else:
        return None
    if number != number or number < 0 or number == float("inf") or (not percent and not number.is_integer()):
        return None
    return ("max_growth_percent", number) if percent else ("max_growth", number)


class Override(NamedTuple):
    files: tuple[str, ...]
    values: Mapping[str, Any]
    source: str


class Settings(NamedTuple):
    # Mapping defaults are one shared empty dict, never written (typed Mapping); a plain dict
    # because Settings is pickled for worker processes where fork is not available.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = {}
    strict: bool = False
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    # Glob patterns (file names or paths relative to root) a directory walk lints; empty: by extension.
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    framework: str | None = None
    dialect: str | None = None
    max_file_bytes: int = keys.default("max_file_bytes")
    # name -> values in force for every file, each with its source (config file, CLI).
    limits: Mapping[str, tuple[SourcedValue, ...]] = {}
    dataset: Mapping[str, SourcedValue] = {}
    overrides: tuple[Override, ...] = ()
    config_path: str | None = None
    root: str = "."
    # Walks skip what .gitignore files (and .git/info/exclude) ignore; --no-respect-gitignore turns it off.
    respect_gitignore: bool = True
    # Apply ``exclude`` to paths named on the command line too (for pre-commit), as ruff's --force-exclude.
    force_exclude: bool = False
    # --diff-base: each changed config's model at the base, by absolute path (RNN107).
    base: Mapping[str, BaseState] = {}

    def is_selected(self, code: str) -> bool:
        selected = not self.select or any(code.startswith(p) for p in self.select)
        return selected and not any(code.startswith(p) for p in self.ignore)

    def includes(self, path: str) -> bool:
        """Whether a file met while walking a directory is linted (named files always are)."""
        if not self.include:
            return path.lower().endswith(self.extensions)
        rel = _relative(path, self.root)
        return any(_glob_match(rel, pattern) for pattern in self.include)

    def matching_overrides(self, path: str) -> Iterable[Override]:
        if not self.overrides:
            return  # the common case: no path arithmetic
        rel = _relative(path, self.root)
        for override in self.overrides:
            if any(_glob_match(rel, pattern) for pattern in override.files):
                yield override

    def resolve(self, path: str) -> FileSettings:
        """``path``'s effective settings: these, with every override that matches it (the last one wins,
        limits join), worked out once for the whole way through the engine."""
        base = self.base.get(os.path.abspath(path)) if self.base else None
        if not self.overrides:
            return FileSettings(
                path, self, self.dialect, self.framework, None, None, None, self.limits, self.dataset, (), base
            )
        options: dict[str, Any] = {"dialect": self.dialect, "framework": self.framework}
        limits = dict(self.limits)
        dataset = dict(self.dataset)
        ignore: list[str] = []
        for override in self.matching_overrides(path):
            for name, value in override.values.items():
                if name in _LIMIT_NAMES:
                    label = GROWTH_KEY if name in GROWTH_LIMITS else name
                    limits[name] = (*limits.get(name, ()), SourcedValue(value, f"{override.source} {label}"))
                elif name in DATASET_KEYS:
                    dataset[name] = SourcedValue(value, f"{override.source} {name}")
                elif name == "ignore":
                    ignore.extend(value)
                else:  # dialect, framework and the sizes
                    options[name] = value
        return FileSettings(
            path,
            self,
            options["dialect"],
            options["framework"],
            options.get("input_size"),
            options.get("state_size"),
            options.get("action_size"),
            limits,
            dataset,
            tuple(ignore),
            base,
        )

    def with_cli(self, **cli: Any) -> Settings:
        """Apply command-line options on top of the file configuration (each key as the table says)."""
        changes: dict[str, Any] = {}
        limits = dict(self.limits)
        dataset = dict(self.dataset)
        for key in _FLAGGED:
            value = cli.get(key.name)
            if key.group == keys.LIMIT:
                if value is not None:
                    # max_growth arrives parsed by the command line: (limit name, amount).
                    name, amount = value if key.kind == keys.GROWTH else (key.name, value)
                    limits[name] = (*limits.get(name, ()), SourcedValue(amount, key.flag or ""))
            elif key.group == keys.DATASET:
                if value is not None:
                    dataset[key.name] = SourcedValue(value, key.flag or "")
            elif key.kind in (keys.BOOL, keys.INT, keys.NUMBER):
                if value is not None:  # a flag given either way; None: the configuration decides
                    changes[key.name] = value
            elif key.kind == keys.CODES:
                if value:
                    changes[key.name] = tuple(value)
            elif key.kind == keys.FLAG:
                if value:
                    changes[key.name] = True
            elif value:  # a choice or a name
                changes[key.name] = value
        if cli.get("extend_ignore"):
            changes["ignore"] = (*changes.get("ignore", self.ignore), *cli["extend_ignore"])
        changes["limits"] = limits
        if cli.get("base") is not None:
            changes["base"] = cli["base"]
        changes["dataset"] = dataset
        return self._replace(**changes)


# Every limit a configuration keeps, by the name it is kept under.
_LIMIT_NAMES = frozenset({*LIMIT_KEYS, *GROWTH_LIMITS})
# The keys the command line can set.
_FLAGGED = tuple(k for k in keys.KEYS if k.flag is not None)


class FileSettings(NamedTuple):
    """One file's effective settings, resolved once (:meth:`Settings.resolve`) and handed down the
    pipeline: the engine, the rules' context and the suppressions read it, never the path again.

    The file's pragmas join it when the file is parsed (:meth:`with_pragmas`)."""

    path: str
    # The configuration (and command line) it was resolved from: select, severity, strict, ...
    settings: Settings
    dialect: str | None
    framework: str | None
    input_size: int | None
    state_size: int | None
    action_size: int | None
    # name -> every value in force, in order: pragmas, configuration, command line, overrides.
    limits: Mapping[str, tuple[SourcedValue, ...]]
    dataset: Mapping[str, SourcedValue]
    # Codes or prefixes the matching overrides ignore for this file.
    ignore: tuple[str, ...]
    # --diff-base: the file's model at the base (RNN107).
    base: BaseState | None

    @property
    def strict(self) -> bool:
        return self.settings.strict

    @property
    def max_file_bytes(self) -> int:
        return self.settings.max_file_bytes

    def is_selected(self, code: str) -> bool:
        """Whether ``code`` runs on this file: selected, and not ignored by an override that matches it."""
        return self.settings.is_selected(code) and not self.ignored(code)

    def ignored(self, code: str) -> bool:
        return bool(self.ignore) and any(code.startswith(p) for p in self.ignore)

    def limit_values(self, name: str) -> tuple[SourcedValue, ...]:
        return self.limits.get(name, ())

    def with_pragmas(
        self, dialect: str | None, framework: str | None, values: Mapping[str, SourcedValue]
    ) -> FileSettings:
        """These settings with the file's own ``# rnnlint:`` pragmas: a forced dialect, framework or
        input size wins; a pragma's limits join the others (first, as the file's own); its dataset
        figures win over the configuration's (the file's own keys still win over both)."""
        if not (dialect or framework or values):
            return self
        changes: dict[str, Any] = {}
        if dialect:
            changes["dialect"] = dialect
        if framework:
            changes["framework"] = framework
        if values:
            limits = dict(self.limits)
            dataset = dict(self.dataset)
            for name, value in values.items():
                if name in _LIMIT_NAMES:
                    limits[name] = (value, *limits.get(name, ()))
                elif name in DATASET_KEYS:
                    dataset[name] = value
                elif name == "input_size":
                    changes["input_size"] = int(value.value)
            changes["limits"] = limits
            changes["dataset"] = dataset
        return self._replace(**changes)


def _relative(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


def _glob_match(rel: str, pattern: str) -> bool:
    pattern = pattern.replace(os.sep, "/")
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    # "configs/**" style and bare names match at any depth, as in ruff and .gitignore.
    if "/" not in pattern.rstrip("/"):
        return any(fnmatch.fnmatchcase(part, pattern.rstrip("/")) for part in rel.split("/"))
    return fnmatch.fnmatchcase(rel, pattern.rstrip("/") + "/*")
