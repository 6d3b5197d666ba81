"""Settings: ``[tool.rnnlint]`` in pyproject.toml (or rnnlint.toml), then the command line.

Every option is validated here, and a bad one is a :class:`ConfigError` naming the file, the
key and what is allowed (the CLI turns it into exit code 2).
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from rnnlint.model import SourcedValue
from rnnlint.settings import keys

if TYPE_CHECKING:
    from types import ModuleType


def _toml() -> ModuleType:
    """tomllib, imported only when a configuration file is read (start-up time)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    module: ModuleType = tomllib
    return module


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


def find_config(start: str) -> str | None:
    """The nearest rnnlint.toml, .rnnlint.toml, or pyproject.toml with a [tool.rnnlint] table."""
    current = os.path.abspath(start)
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(current, name)
            if not os.path.isfile(candidate):
                continue
            if name != "pyproject.toml":
                return candidate
            tomllib = _toml()
            try:
                with open(candidate, "rb") as fh:
                    if "rnnlint" in tomllib.load(fh).get("tool", {}):
                        return candidate
            except (OSError, tomllib.TOMLDecodeError):
                continue
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _expect(cond: bool, where: str, key: str, allowed: str, value: Any = None) -> None:
    if not cond:
        got = f" (got {value!r})" if value is not None else ""
        raise ConfigError(f"{where}: invalid value for '{key}': expected {allowed}{got}")


def known_codes() -> tuple[str, ...]:
    from rnnlint.codes import CODES

    return CODES


def check_code(code: str, where: str, key: str, prefix: bool) -> str:
    """A rule code (or, where ``prefix``, a prefix of some codes) that names an existing rule."""
    upper = code.upper()
    known = known_codes()
    ok = any(c.startswith(upper) for c in known) if prefix and upper.startswith("RNN") else upper in known
    if not ok:
        import difflib  # only for a bad configuration's hint

        close = difflib.get_close_matches(upper, known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        kind = "a rule code or prefix" if prefix else "a rule code"
        raise ConfigError(
            f"{where}: invalid value for '{key}': {code!r} is not {kind}{hint}; "
            f"known codes: {', '.join(known)} (see 'rnnlint rule')"
        )
    return upper


def _codes(value: Any, where: str, key: str) -> tuple[str, ...]:
    _expect(
        isinstance(value, list) and all(isinstance(v, str) for v in value),
        where,
        key,
        'a list of rule codes or prefixes, e.g. ["RNN1", codes.RNN203]',
        value,
    )
    return tuple(check_code(code, where, key, prefix=True) for code in value)


def _bound(key: keys.Key) -> str:
    """What a number key allows, as the configuration's messages say it."""
    kind = "an integer" if key.kind == keys.INT else "a number"
    minimum = key.minimum or 0
    shown = int(minimum) if float(minimum).is_integer() else minimum
    return f"{kind} {'greater than' if key.open_min else 'of at least'} {shown}"


def _number(value: Any, where: str, key: keys.Key) -> float:
    ok = isinstance(value, int) if key.kind == keys.INT else isinstance(value, (int, float))
    minimum = key.minimum or 0
    ok = ok and not isinstance(value, bool) and value == value
    _expect(ok and (value > minimum if key.open_min else value >= minimum), where, key.name, _bound(key), value)
    return value  # type: ignore[no-any-return]


def _globs(value: Any, where: str, key: keys.Key) -> tuple[str, ...]:
    nonempty = bool(key.minimum)
    _expect(
        isinstance(value, list) and (bool(value) or not nonempty) and all(isinstance(v, str) for v in value),
        where,
        key.name,
        "a non-empty list of glob patterns" if nonempty else "a list of glob patterns",
        value,
    )
    return tuple(value)


def _normalize_keys(table: Mapping[str, Any]) -> dict[str, Any]:
    """``max-params`` and ``max_params`` are the same key (TOML users write both)."""
    return {str(k).replace("-", "_"): v for k, v in table.items()}


def _unknown_key(where: str, key: str, allowed: Iterable[str], context: str = "") -> ConfigError:
    import difflib  # only for a bad configuration's hint

    close = difflib.get_close_matches(key, list(allowed), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return ConfigError(f"{where}: unknown key '{key}'{context}{hint}; allowed keys: {', '.join(sorted(allowed))}")


def _check_value(key: keys.Key, value: Any, where: str) -> Any:
    """One key's value from a configuration, checked against the key's kind and bounds."""
    kind, name = key.kind, key.name
    if kind in (keys.INT, keys.NUMBER):
        return _number(value, where, key)
    if kind == keys.GROWTH:
        growth = parse_growth(value)
        _expect(growth is not None, where, name, 'a number of parameters (1_000_000) or a percentage ("10%")', value)
        return growth
    if kind == keys.CHOICE:
        _expect(value in key.choices, where, name, "one of " + ", ".join(key.choices), value)
    elif kind == keys.DIALECT:
        _expect(isinstance(value, str) and bool(value), where, name, "a dialect name", value)
    elif kind == keys.CODES:
        return _codes(value, where, name)
    elif kind == keys.GLOBS:
        return _globs(value, where, key)
    elif kind in (keys.BOOL, keys.FLAG):
        _expect(isinstance(value, bool), where, name.replace("_", "-"), "true or false", value)
    elif kind == keys.SEVERITY:
        _expect(isinstance(value, dict), where, name, 'a table such as {RNN103 = "error"}', value)
        for code, level in value.items():
            check_code(code, where, f"{name}.{code}", prefix=False)
            _expect(level in ("error", "warning", "note"), where, f"{name}.{code}", "error, warning or note", level)
        return {str(k).upper(): v for k, v in value.items()}
    return value


def _check_values(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Every key's checked value (``max_growth`` as its limit name and amount)."""
    out: dict[str, Any] = {}
    for name, value in table.items():
        checked = _check_value(keys.BY_NAME[name], value, where)
        if name == GROWTH_KEY:
            out[checked[0]] = checked[1]
        else:
            out[name] = checked
    return out


def settings_from_table(table: Mapping[str, Any], where: str, root: str) -> Settings:
    table = _normalize_keys(table)
    unknown = sorted(set(table) - TOP_KEYS)
    if unknown:
        raise _unknown_key(where, unknown[0], TOP_KEYS)
    values = _check_values({k: v for k, v in table.items() if k != "overrides"}, where)
    kwargs: dict[str, Any] = {"root": root}
    for key in ("select", "ignore", "framework", "dialect", "strict", "respect_gitignore", "force_exclude"):
        if key in values:
            kwargs[key] = values[key]
    for key in ("severity", "include", "max_file_bytes"):
        if key in values:
            kwargs[key] = values[key]
    kwargs["exclude"] = values.get("exclude", ()) + values.get("extend_exclude", ())
    name = os.path.basename(where)
    table_name = "[tool.rnnlint]" if name == "pyproject.toml" else ""
    label = f"{name} {table_name}".strip()
    kwargs["limits"] = {
        k: (SourcedValue(values[k], f"{label} {GROWTH_KEY if k in GROWTH_LIMITS else k}"),)
        for k in (*LIMIT_KEYS, *GROWTH_LIMITS)
        if k in values
    }
    kwargs["dataset"] = {k: SourcedValue(values[k], f"{label} {k}") for k in DATASET_KEYS if k in values}
    overrides = table.get("overrides", [])
    _expect(isinstance(overrides, list), where, "overrides", "an array of tables [[tool.rnnlint.overrides]]")
    parsed: list[Override] = []
    for n, raw_entry in enumerate(overrides, 1):
        _expect(isinstance(raw_entry, dict), where, f"overrides[{n}]", "a table")
        entry = _normalize_keys(raw_entry)
        bad = sorted(set(entry) - OVERRIDE_KEYS)
        if bad:
            raise _unknown_key(where, bad[0], OVERRIDE_KEYS, f" in overrides entry {n}")
        if "files" not in entry:
            raise ConfigError(f"{where}: overrides entry {n} needs 'files' (a list of glob patterns)")
        checked = _check_values(entry, f"{where}: overrides entry {n}")
        files = checked.pop("files")
        parsed.append(Override(files, checked, f"{label} overrides[{n}]"))
    kwargs["overrides"] = tuple(parsed)
    kwargs["config_path"] = where
    return Settings(**kwargs)


def load_settings(config_path: str | None = None, isolated: bool = False, cwd: str = ".") -> Settings:
    """Find and read the configuration; ``isolated`` ignores every configuration file."""
    if isolated:
        return Settings(root=os.path.abspath(cwd))
    path = config_path or find_config(cwd)
    if path is None:
        return Settings(root=os.path.abspath(cwd))
    tomllib = _toml()
    try:
        with open(path, "rb") as fh:
            document = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if os.path.basename(path) == "pyproject.toml":
        table = document.get("tool", {}).get("rnnlint", {})
    else:
        table = document.get("tool", {}).get("rnnlint", document)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.rnnlint] must be a table")
    return settings_from_table(table, path, os.path.dirname(os.path.abspath(path)))


def _has_table(path: str) -> bool:
    """Whether a configuration file applies: rnnlint.toml always, pyproject.toml with [tool.rnnlint]."""
    if os.path.basename(path) != "pyproject.toml":
        return True
    tomllib = _toml()
    try:
        with open(path, "rb") as fh:
            return "rnnlint" in tomllib.load(fh).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False


class SettingsTree:
    """Each file's settings: the nearest configuration file above it applies, as in ruff's hierarchical model.

    The closest ``rnnlint.toml``, ``.rnnlint.toml`` or ``pyproject.toml`` with ``[tool.rnnlint]`` in the
    file's folder or above wins whole (files do not merge); its patterns are relative to its own folder;
    the command line's options apply on top of every one. A file with no configuration above it gets
    the defaults. So the verdict on a file does not depend on the working directory. ``--config`` and
    ``--isolated`` turn this off (one configuration, or none, for every file).
    """

    __slots__ = ("_by_config", "_by_dir", "_check", "_cli", "_extra", "_variants", "base", "enabled")

    def __init__(
        self,
        base: Settings,
        cli: Mapping[str, Any],
        enabled: bool,
        extra: Mapping[str, Any] | None = None,
        check: Callable[[Settings], None] | None = None,
    ) -> None:
        self.base = base
        self.enabled = enabled
        self._cli = dict(cli)
        # Called once on each configuration read (it raises ConfigError for a bad one).
        self._check = check
        # A nested configuration's cache-key part, once per configuration.
        self._variants: dict[int, str] = {}
        # Settings fields every file's settings share with the base (the diff base's states).
        self._extra = dict(extra or {})
        self._by_dir: dict[str, str | None] = {}
        self._by_config: dict[str | None, Settings] = {}
        self._by_config[os.path.abspath(base.config_path) if base.config_path is not None else None] = base

    def _config_of(self, directory: str) -> str | None:
        found = self._by_dir.get(directory, "")
        if found != "":
            return found
        config: str | None = None
        for name in CONFIG_FILES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and _has_table(candidate):
                config = candidate
                break
        else:
            parent = os.path.dirname(directory)
            config = None if parent == directory else self._config_of(parent)
        self._by_dir[directory] = config
        return config

    def for_dir(self, directory: str) -> Settings:
        if not self.enabled:
            return self.base
        config = self._config_of(os.path.abspath(directory))
        found = self._by_config.get(config)
        if found is None:
            loaded = load_settings(config) if config is not None else Settings(root=self.base.root)
            found = loaded.with_cli(**self._cli)._replace(**self._extra)
            if self._check is not None:
                self._check(found)
            self._by_config[config] = found
        return found

    def variant(self, settings: Settings) -> str:
        """What a file's cache key adds for ``settings``: nothing for the run's own, else their repr."""
        if settings is self.base:
            return ""
        found = self._variants.get(id(settings))
        if found is None:
            found = self._variants[id(settings)] = repr(settings)
        return found

    def for_path(self, path: str) -> Settings:
        if not self.enabled or path == "-":
            return self.base
        return self.for_dir(os.path.dirname(os.path.abspath(path)))
