"""Reading ``[tool.rnnlint]`` (pyproject.toml) or rnnlint.toml: find the file, check every key against
its row in :mod:`rnnlint.settings.keys`, build the :class:`~rnnlint.settings.core.Settings`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import rnnlint.settings.keys as keys
from rnnlint.model import SourcedValue
from rnnlint.settings.core import (
    CONFIG_FILES,
    DATASET_KEYS,
    GROWTH_KEY,
    GROWTH_LIMITS,
    LIMIT_KEYS,
    OVERRIDE_KEYS,
    TOP_KEYS,
    ConfigError,
    Override,
    Settings,
    parse_growth,
)

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


def has_table(path: str) -> bool:
    """Whether a configuration file applies: rnnlint.toml always, pyproject.toml with [tool.rnnlint]."""
    if os.path.basename(path) != "pyproject.toml":
        return True
    tomllib = _toml()
    try:
        with open(path, "rb") as fh:
            return "rnnlint" in tomllib.load(fh).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False
