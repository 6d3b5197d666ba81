"""Settings: ``[tool.rnnlint]`` in pyproject.toml (or rnnlint.toml), then the command line.

Every key is a row of :mod:`rnnlint.settings.keys` (its type, bounds and places); :mod:`~rnnlint.settings.toml`
reads and checks a configuration against it, and a bad one is a :class:`ConfigError` naming the file, the key
and what is allowed (the CLI turns it into exit code 2). :mod:`~rnnlint.settings.core` holds the records: a
run's :class:`Settings`, one file's :class:`FileSettings`; :mod:`~rnnlint.settings.tree` finds each file's
configuration.
"""

from __future__ import annotations

from rnnlint.settings import keys
from rnnlint.settings.core import (
    CONFIG_FILES,
    DATASET_KEYS,
    DEFAULT_EXCLUDE,
    DEFAULT_EXTENSIONS,
    GROWTH_KEY,
    GROWTH_LIMITS,
    LIMIT_KEYS,
    MIN_LIMITS,
    OVERRIDE_KEYS,
    SIZE_KEYS,
    TOP_KEYS,
    BaseState,
    ConfigError,
    FileSettings,
    Override,
    Settings,
    parse_growth,
)
from rnnlint.settings.toml import check_code, find_config, known_codes, load_settings, settings_from_table
from rnnlint.settings.tree import SettingsTree

__all__ = [
    "CONFIG_FILES",
    "DATASET_KEYS",
    "DEFAULT_EXCLUDE",
    "DEFAULT_EXTENSIONS",
    "GROWTH_KEY",
    "GROWTH_LIMITS",
    "LIMIT_KEYS",
    "MIN_LIMITS",
    "OVERRIDE_KEYS",
    "SIZE_KEYS",
    "TOP_KEYS",
    "BaseState",
    "ConfigError",
    "FileSettings",
    "Override",
    "Settings",
    "SettingsTree",
    "check_code",
    "find_config",
    "keys",
    "known_codes",
    "load_settings",
    "parse_growth",
    "settings_from_table",
]
