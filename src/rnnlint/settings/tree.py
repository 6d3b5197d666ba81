"""Each file's settings from the nearest configuration above it (ruff's hierarchical model)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from rnnlint.settings.core import CONFIG_FILES, Settings
from rnnlint.settings.toml import has_table, load_settings


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
            if os.path.isfile(candidate) and has_table(candidate):
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
