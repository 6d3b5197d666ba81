"""Settings: ``[tool.rnnlint]`` in pyproject.toml (or rnnlint.toml), then the command line.

Every option is validated here, and a bad one is a :class:`ConfigError` naming the file, the
key and what is allowed (the CLI turns it into exit code 2).
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from rnnlint.model import FRAMEWORKS, SourcedValue

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

# Limits: "max_*" hold when the value is at most the bound, "min_*" when at least.
LIMIT_KEYS = ("max_params", "max_layer_params", "max_params_per_example", "min_tokens_per_param")
MIN_LIMITS = frozenset({"min_tokens_per_param"})
DATASET_KEYS = ("train_examples", "tokens")
DEFAULT_EXTENSIONS = (".yaml", ".yml", ".json", ".jsonnet")
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
CONFIG_FILES = ("rnnlint.toml", ".rnnlint.toml", "pyproject.toml")
OVERRIDE_KEYS = frozenset(
    {"files", "dialect", "framework", "input_size", "ignore", *LIMIT_KEYS, *DATASET_KEYS}
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
        *LIMIT_KEYS,
        *DATASET_KEYS,
    }
)


class ConfigError(Exception):
    """An invalid configuration: exit code 2."""


@dataclass(frozen=True)
class Override:
    files: tuple[str, ...]
    values: Mapping[str, Any]
    source: str


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    strict: bool = False
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    exclude: tuple[str, ...] = ()
    framework: str | None = None
    dialect: str | None = None
    max_file_bytes: int = 10 * 1024 * 1024
    # name -> values in force for every file, each with its source (config file, CLI).
    limits: Mapping[str, tuple[SourcedValue, ...]] = field(default_factory=dict)
    dataset: Mapping[str, SourcedValue] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    config_path: str | None = None
    root: str = "."

    def is_selected(self, code: str) -> bool:
        selected = not self.select or any(code.startswith(p) for p in self.select)
        return selected and not any(code.startswith(p) for p in self.ignore)

    def matching_overrides(self, path: str) -> Iterable[Override]:
        rel = _relative(path, self.root)
        for override in self.overrides:
            if any(_glob_match(rel, pattern) for pattern in override.files):
                yield override

    def limits_for(self, path: str, name: str) -> list[SourcedValue]:
        found = list(self.limits.get(name, ()))
        for override in self.matching_overrides(path):
            if name in override.values:
                found.append(SourcedValue(override.values[name], f"{override.source} {name}"))
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
        for key in ("framework", "dialect"):
            if cli.get(key):
                changes[key] = cli[key]
        limits = dict(self.limits)
        for key in LIMIT_KEYS:
            if cli.get(key) is not None:
                flag = "--" + key.replace("_", "-")
                limits[key] = (*limits.get(key, ()), SourcedValue(cli[key], flag))
        changes["limits"] = limits
        dataset = dict(self.dataset)
        for key in DATASET_KEYS:
            if cli.get(key) is not None:
                dataset[key] = SourcedValue(cli[key], "--" + key.replace("_", "-"))
        changes["dataset"] = dataset
        return replace(self, **changes)


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


def _expect(cond: bool, where: str, key: str, allowed: str) -> None:
    if not cond:
        raise ConfigError(f"{where}: invalid value for '{key}': expected {allowed}")


def _codes(value: Any, where: str, key: str) -> tuple[str, ...]:
    _expect(
        isinstance(value, list) and all(isinstance(v, str) for v in value),
        where,
        key,
        'a list of rule codes or prefixes, e.g. ["RNN1"]',
    )
    for code in value:
        _expect(code.upper().startswith("RNN"), where, key, f"rule codes starting with RNN (got {code!r})")
    return tuple(v.upper() for v in value)


def _number(value: Any, where: str, key: str, integer: bool) -> float:
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    _expect(ok and not isinstance(value, bool) and value >= 0, where, key, "a non-negative number")
    return value  # type: ignore[no-any-return]


def _check_values(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key in LIMIT_KEYS or key in DATASET_KEYS or key == "input_size":
            integer = key not in ("max_params_per_example", "min_tokens_per_param")
            out[key] = _number(value, where, key, integer)
        elif key == "framework":
            _expect(value in FRAMEWORKS, where, key, "one of " + ", ".join(FRAMEWORKS))
            out[key] = value
        elif key == "dialect":
            _expect(isinstance(value, str), where, key, "a dialect name")
            out[key] = value
        elif key in ("ignore", "select"):
            out[key] = _codes(value, where, key)
        elif key == "files":
            _expect(
                isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value),
                where,
                key,
                "a non-empty list of glob patterns",
            )
            out[key] = tuple(value)
        else:
            out[key] = value
    return out


def settings_from_table(table: Mapping[str, Any], where: str, root: str) -> Settings:
    unknown = sorted(set(table) - TOP_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}'; allowed keys: {', '.join(sorted(TOP_KEYS))}")
    values = _check_values({k: v for k, v in table.items() if k not in ("overrides",)}, where)
    kwargs: dict[str, Any] = {"root": root}
    for key in ("select", "ignore", "framework", "dialect"):
        if key in values:
            kwargs[key] = values[key]
    if "strict" in table:
        _expect(isinstance(table["strict"], bool), where, "strict", "true or false")
        kwargs["strict"] = table["strict"]
    if "severity" in table:
        sev = table["severity"]
        _expect(isinstance(sev, dict), where, "severity", 'a table such as {RNN103 = "error"}')
        for code, level in sev.items():
            _expect(level in ("error", "warning", "note"), where, f"severity.{code}", "error, warning or note")
        kwargs["severity"] = {str(k).upper(): v for k, v in sev.items()}
    for key in ("exclude", "extend_exclude", "include"):
        if key in table:
            _expect(
                isinstance(table[key], list) and all(isinstance(v, str) for v in table[key]),
                where,
                key,
                "a list of glob patterns",
            )
    kwargs["exclude"] = tuple(table.get("exclude", ())) + tuple(table.get("extend_exclude", ()))
    if "include" in table:
        kwargs["extensions"] = tuple(
            p[1:] if p.startswith("*.") else p for p in table["include"]
        )
    if "max_file_bytes" in table:
        kwargs["max_file_bytes"] = int(_number(table["max_file_bytes"], where, "max_file_bytes", True))
    name = os.path.basename(where)
    table_name = "[tool.rnnlint]" if name == "pyproject.toml" else ""
    label = f"{name} {table_name}".strip()
    kwargs["limits"] = {
        k: (SourcedValue(values[k], f"{label} {k}"),) for k in LIMIT_KEYS if k in values
    }
    kwargs["dataset"] = {k: SourcedValue(values[k], f"{label} {k}") for k in DATASET_KEYS if k in values}
    overrides = table.get("overrides", [])
    _expect(isinstance(overrides, list), where, "overrides", "an array of tables [[tool.rnnlint.overrides]]")
    parsed: list[Override] = []
    for n, entry in enumerate(overrides, 1):
        _expect(isinstance(entry, dict), where, f"overrides[{n}]", "a table")
        bad = sorted(set(entry) - OVERRIDE_KEYS)
        if bad:
            raise ConfigError(
                f"{where}: unknown key '{bad[0]}' in overrides entry {n}; "
                f"allowed keys: {', '.join(sorted(OVERRIDE_KEYS))}"
            )
        if "files" not in entry:
            raise ConfigError(f"{where}: overrides entry {n} needs 'files' (a list of glob patterns)")
        checked = _check_values(entry, where)
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
