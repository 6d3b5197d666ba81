"""The public Python API: the counts and findings of the command line, as values.

>>> import rnnlint
>>> model = rnnlint.count("conf/model.yaml")            # doctest: +SKIP
>>> assert model.complete and model.total <= 50e6        # doctest: +SKIP

Everything here is re-exported by :mod:`rnnlint` (see its ``__all__``); the other modules are
internal and may change between releases.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from rnnlint import codes
from rnnlint.result import FileResult, LayerResult, Violation
from rnnlint.run.discovery import MissingPathError
from rnnlint.settings import ConfigError, Settings, load_settings, settings_from_table

__all__ = ["CountError", "FileResult", "LayerResult", "ModelCount", "Violation", "count", "lint"]

Source = str | os.PathLike[str] | Mapping[str, Any]


class CountError(ValueError):
    """The source cannot be counted: it does not parse, is not a model config, or holds several models.

    The message says why, with ``file:line:column`` where there is one."""


class ModelCount(NamedTuple):
    """One model's parameters, as ``rnnlint count`` reports them.

    ``total`` is the model's size only when every part the toolkit builds is counted, and None
    otherwise (``counted`` then holds the lower bound, and ``omitted`` names what is left out);
    ``complete`` is true only when ``total`` is the whole model and nothing was assumed
    (``assumptions`` holds the RNN104 notes that say what was).
    """

    path: str
    dialect: str
    framework: str | None
    total: int | None
    counted: int | None
    recurrent: int | None
    complete: bool
    layers: tuple[LayerResult, ...]
    omitted: tuple[str, ...]
    assumptions: tuple[str, ...]
    diagnostics: tuple[Violation, ...]

    @property
    def recurrent_layers(self) -> tuple[LayerResult, ...]:
        return tuple(layer for layer in self.layers if layer.recurrent)


def _settings(settings: Mapping[str, Any] | None, config: str | os.PathLike[str] | None, isolated: bool) -> Settings:
    """A ``[tool.rnnlint]`` table given as a mapping, or the configuration the command line would find."""
    if settings is not None:
        return settings_from_table(dict(settings), "settings", os.getcwd())
    return load_settings(os.fspath(config) if config is not None else None, isolated)


def _results(source: Source, settings: Settings, name: str | None) -> list[FileResult]:
    from rnnlint import engine

    if isinstance(source, Mapping):
        # An in-memory config (e.g. OmegaConf.to_container): read as the JSON it serializes to, so
        # positions in messages point into that text.
        try:
            text = json.dumps(source, indent=2, allow_nan=False)
        except (TypeError, ValueError) as exc:
            plain = "str, int, float, bool, None, lists, dicts"
            raise CountError(f"the mapping is not plain data ({plain}): {exc}") from None
        return engine.lint_text(name or "<mapping>.json", text, settings)
    if isinstance(source, str) and "\n" in source:
        return engine.lint_text(name or "<text>.yaml", source, settings)
    path = os.fspath(source)
    if not os.path.isfile(path):
        raise CountError(f"{path}: no such file (text to count must hold a newline, or be passed as a mapping)")
    return engine.lint_file(path, settings)


def _error_reason(result: FileResult) -> str | None:
    for d in result.diagnostics:
        if d.severity == "error":
            return f"{result.path}:{d.line}:{d.column}: {d.code} {d.message}"
    return None


def count(
    source: Source,
    *,
    dialect: str | None = None,
    framework: str | None = None,
    name: str | None = None,
    settings: Mapping[str, Any] | None = None,
    config: str | os.PathLike[str] | None = None,
    isolated: bool = False,
) -> ModelCount:
    """Count the model one config declares.

    ``source`` is a path (``str`` without a newline, or ``os.PathLike``), the text of a config
    (a ``str`` holding a newline; ``name`` gives it a file name, which decides YAML, JSON or
    Jsonnet), or an in-memory mapping. ``dialect`` and ``framework`` do what ``--dialect`` and
    ``--framework`` do; ``settings`` is a ``[tool.rnnlint]`` table, and otherwise the
    configuration file is found as the command line finds it (``config``, ``isolated``).

    Raises :class:`CountError` when the source does not parse, is not a model config, or holds
    more than one model (use :func:`lint` for those).
    """
    try:
        resolved = _settings(settings, config, isolated).with_cli(dialect=dialect, framework=framework)
    except ConfigError as exc:
        raise CountError(str(exc)) from None
    if dialect is not None:
        from rnnlint import dialects

        if dialects.by_name(dialect) is None:
            raise CountError(f"unknown dialect {dialect!r}; known: {', '.join(dialects.names())}")
    results = _results(source, resolved, name)
    models = [r for r in results if not r.skipped and r.dialect is not None]
    if not models:
        reasons = [_error_reason(r) for r in results] + [r.skip_reason for r in results if r.skipped]
        reason = next((r for r in reasons if r), "it is not a model config rnnlint knows")
        where = results[0].path if results else os.fspath(source) if not isinstance(source, Mapping) else "<mapping>"
        raise CountError(reason if reason.startswith(where) else f"{where}: {reason}")
    if len(models) > 1:
        raise CountError(f"{models[0].path}: holds {len(models)} models (YAML documents); use rnnlint.lint()")
    result = models[0]
    error = _error_reason(result)
    if error is not None and not result.layers:
        raise CountError(error)
    return ModelCount(
        path=result.path,
        dialect=result.dialect or "",
        framework=result.framework,
        total=result.total_params,
        counted=result.counted_params,
        recurrent=result.recurrent_params,
        complete=result.complete,
        layers=tuple(result.layers),
        omitted=tuple(o.message for o in result.omitted),
        assumptions=tuple(d.message for d in result.diagnostics if d.code == codes.RNN104),
        diagnostics=tuple(result.diagnostics),
    )


def lint(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    settings: Mapping[str, Any] | None = None,
    config: str | os.PathLike[str] | None = None,
    isolated: bool = False,
) -> list[FileResult]:
    """Lint files and folders as ``rnnlint check`` does (walks, ``.gitignore``, ``exclude``, each file's
    nearest configuration), without the cache or worker processes; one :class:`FileResult` per file (per
    YAML document). ``settings`` or ``config`` applies one configuration to every file.

    Raises :class:`CountError` for a configuration error or a path that does not exist, and
    RuntimeError for an rnnlint bug (what the command line reports as an internal error).
    """
    from rnnlint.app import check
    from rnnlint.app.options import CheckArgs

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    args = CheckArgs(paths=tuple(os.fspath(p) for p in paths), cache=False, jobs=1)
    try:
        resolved = _settings(settings, config, isolated)
        files, internal = check.collect(args, resolved, per_file=settings is None and config is None and not isolated)
    except (ConfigError, MissingPathError) as exc:
        raise CountError(str(exc)) from None
    if internal:
        raise RuntimeError("; ".join(internal))
    return files
