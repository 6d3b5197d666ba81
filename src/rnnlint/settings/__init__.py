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

from rnnlint.model import FRAMEWORKS, SourcedValue

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


# Limits: "max_*" hold when the value is at most the bound, "min_*" when at least.
LIMIT_KEYS = ("max_params", "max_layer_params", "max_params_per_example", "min_tokens_per_param")
MIN_LIMITS = frozenset({"min_tokens_per_param"})
DATASET_KEYS = ("train_examples", "tokens")
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
SIZE_KEYS = ("input_size", "state_size", "action_size")
# ``max_growth`` is written as a number of parameters or a percentage ("10%"); it is kept as one of
# these two limits, which RNN107 checks against the model at the diff base.
GROWTH_KEY = "max_growth"
GROWTH_LIMITS = ("max_growth", "max_growth_percent")
CONFIG_FILES = ("rnnlint.toml", ".rnnlint.toml", "pyproject.toml")
OVERRIDE_KEYS = frozenset(
    {"files", "dialect", "framework", *SIZE_KEYS, "ignore", *LIMIT_KEYS, *DATASET_KEYS, GROWTH_KEY}
)
TOP_KEYS = frozenset(
    {
        "select",
        "ignore",
        "severity",
        "strict",
        "include",
        "exclude",
        "extend_exclude",
        "framework",
        "dialect",
        "max_file_bytes",
        "overrides",
        "respect_gitignore",
        "force_exclude",
        GROWTH_KEY,
        *LIMIT_KEYS,
        *DATASET_KEYS,
    }
)


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
    max_file_bytes: int = 10 * 1024 * 1024
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

    def base_for(self, path: str) -> BaseState | None:
        return self.base.get(os.path.abspath(path)) if self.base else None

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
            return  # the common case, asked several times per file: no path arithmetic
        rel = _relative(path, self.root)
        for override in self.overrides:
            if any(_glob_match(rel, pattern) for pattern in override.files):
                yield override

    def limits_for(self, path: str, name: str) -> list[SourcedValue]:
        found = list(self.limits.get(name, ()))
        for override in self.matching_overrides(path):
            if name in override.values:
                label = GROWTH_KEY if name in GROWTH_LIMITS else name
                found.append(SourcedValue(override.values[name], f"{override.source} {label}"))
        return found

    def dataset_for(self, path: str, name: str) -> SourcedValue | None:
        value = self.dataset.get(name)
        for override in self.matching_overrides(path):
            if name in override.values:
                value = SourcedValue(override.values[name], f"{override.source} {name}")
        return value

    def ignored_for(self, path: str, code: str) -> bool:
        for override in self.matching_overrides(path):
            if any(code.startswith(p) for p in override.values.get("ignore", ())):
                return True
        return False

    def option_for(self, path: str, name: str) -> Any:
        """dialect / framework / input_size for one path: the last matching override wins."""
        value = getattr(self, name, None)
        for override in self.matching_overrides(path):
            if name in override.values:
                value = override.values[name]
        return value

    def with_cli(self, **cli: Any) -> Settings:
        """Apply command-line options on top of the file configuration."""
        changes: dict[str, Any] = {}
        for key in ("select", "ignore"):
            if cli.get(key):
                changes[key] = tuple(cli[key])
        if cli.get("extend_ignore"):
            changes["ignore"] = (*changes.get("ignore", self.ignore), *cli["extend_ignore"])
        if cli.get("strict"):
            changes["strict"] = True
        for key in ("respect_gitignore", "force_exclude"):
            if cli.get(key) is not None:  # a flag given either way; None: the configuration decides
                changes[key] = cli[key]
        for key in ("framework", "dialect"):
            if cli.get(key):
                changes[key] = cli[key]
        if cli.get("max_file_bytes") is not None:
            changes["max_file_bytes"] = cli["max_file_bytes"]
        limits = dict(self.limits)
        for key in LIMIT_KEYS:
            if cli.get(key) is not None:
                flag = "--" + key.replace("_", "-")
                limits[key] = (*limits.get(key, ()), SourcedValue(cli[key], flag))
        if cli.get(GROWTH_KEY) is not None:
            name, amount = cli[GROWTH_KEY]  # parsed by the command line
            limits[name] = (*limits.get(name, ()), SourcedValue(amount, "--max-growth"))
        changes["limits"] = limits
        if cli.get("base") is not None:
            changes["base"] = cli["base"]
        dataset = dict(self.dataset)
        for key in DATASET_KEYS:
            if cli.get(key) is not None:
                dataset[key] = SourcedValue(cli[key], "--" + key.replace("_", "-"))
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


def _number(value: Any, where: str, key: str, integer: bool) -> float:
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    minimum = 1 if key in (*DATASET_KEYS, *SIZE_KEYS) else 0
    kind = "an integer" if integer else "a number"
    _expect(
        ok and not isinstance(value, bool) and value >= minimum and value == value,
        where,
        key,
        f"{kind} of at least {minimum}",
        value,
    )
    return value  # type: ignore[no-any-return]


def _normalize_keys(table: Mapping[str, Any]) -> dict[str, Any]:
    """``max-params`` and ``max_params`` are the same key (TOML users write both)."""
    return {str(k).replace("-", "_"): v for k, v in table.items()}


def _unknown_key(where: str, key: str, allowed: Iterable[str], context: str = "") -> ConfigError:
    import difflib  # only for a bad configuration's hint

    close = difflib.get_close_matches(key, list(allowed), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return ConfigError(f"{where}: unknown key '{key}'{context}{hint}; allowed keys: {', '.join(sorted(allowed))}")


def _check_values(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key in LIMIT_KEYS or key in DATASET_KEYS or key in SIZE_KEYS:
            integer = key not in ("max_params_per_example", "min_tokens_per_param")
            out[key] = _number(value, where, key, integer)
        elif key == GROWTH_KEY:
            growth = parse_growth(value)
            _expect(growth is not None, where, key, 'a number of parameters (1_000_000) or a percentage ("10%")', value)
            assert growth is not None
            out[growth[0]] = growth[1]
        elif key == "framework":
            _expect(value in FRAMEWORKS, where, key, "one of " + ", ".join(FRAMEWORKS), value)
            out[key] = value
        elif key == "dialect":
            _expect(isinstance(value, str) and bool(value), where, key, "a dialect name", value)
            out[key] = value
        elif key in ("ignore", "select"):
            out[key] = _codes(value, where, key)
        elif key == "files":
            _expect(
                isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value),
                where,
                key,
                "a non-empty list of glob patterns",
                value,
            )
            out[key] = tuple(value)
        else:
            out[key] = value
    return out


def settings_from_table(table: Mapping[str, Any], where: str, root: str) -> Settings:
    table = _normalize_keys(table)
    unknown = sorted(set(table) - TOP_KEYS)
    if unknown:
        raise _unknown_key(where, unknown[0], TOP_KEYS)
    values = _check_values({k: v for k, v in table.items() if k not in ("overrides",)}, where)
    kwargs: dict[str, Any] = {"root": root}
    for key in ("select", "ignore", "framework", "dialect"):
        if key in values:
            kwargs[key] = values[key]
    for key in ("strict", "respect_gitignore", "force_exclude"):
        if key in table:
            _expect(isinstance(table[key], bool), where, key.replace("_", "-"), "true or false", table[key])
            kwargs[key] = table[key]
    if "severity" in table:
        sev = table["severity"]
        _expect(isinstance(sev, dict), where, "severity", 'a table such as {RNN103 = "error"}', sev)
        for code, level in sev.items():
            check_code(code, where, f"severity.{code}", prefix=False)
            _expect(level in ("error", "warning", "note"), where, f"severity.{code}", "error, warning or note", level)
        kwargs["severity"] = {str(k).upper(): v for k, v in sev.items()}
    for key in ("exclude", "extend_exclude", "include"):
        if key in table:
            _expect(
                isinstance(table[key], list) and all(isinstance(v, str) for v in table[key]),
                where,
                key,
                "a list of glob patterns",
                table[key],
            )
    kwargs["exclude"] = tuple(table.get("exclude", ())) + tuple(table.get("extend_exclude", ()))
    if "include" in table:
        kwargs["include"] = tuple(table["include"])
    if "max_file_bytes" in table:
        kwargs["max_file_bytes"] = int(_number(table["max_file_bytes"], where, "max_file_bytes", True))
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
