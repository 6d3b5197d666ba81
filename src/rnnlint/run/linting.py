"""One file through the cache and the engine, with the settings that apply to it.

:func:`lint_path` is the one place a file is linted, in this process or in a worker: it resolves
the file's own settings (its nearest configuration, :class:`~rnnlint.settings.SettingsTree`), asks the
cache, and runs the engine on a miss. An rnnlint bug is an outcome here, never a raise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rnnlint.parse.reading import read_source
from rnnlint.parse.source import display_path
from rnnlint.result import FileResult
from rnnlint.run.tally import Tally
from rnnlint.settings import ConfigError, Settings, SettingsTree

if TYPE_CHECKING:
    from rnnlint.run.cache import Cache, Plain, TallyKey

# (one file's results, or the internal error it raised)
Outcome = tuple[list[FileResult], str | None]
# (one file's results, its plain text-format rendering, its internal error): see lint_path
Linted = tuple["list[FileResult] | None", "Plain | None", "str | None"]
# One file of the text format: its lines, its tally keys, its internal error.
Rendered = tuple[str, list["TallyKey"], str | None]

# Each file's settings (the nearest configuration above it); set by _settings for the run, and
# handed to worker processes. None: one Settings for every file (the API's explicit settings).
_tree: SettingsTree | None = None


def _check_dialects(settings: Settings) -> None:
    """A dialect named in the configuration (top level or an override) must exist."""
    if settings.dialect is None and not settings.overrides:
        return  # no dialect named: nothing to check against the registry
    from rnnlint import dialects

    if settings.dialect is not None and dialects.by_name(settings.dialect) is None:
        raise ConfigError(f"unknown dialect {settings.dialect!r}; known: {', '.join(dialects.names())}")
    for override in settings.overrides:
        name = override.values.get("dialect")
        if name is not None and dialects.by_name(name) is None:
            raise ConfigError(f"{override.source}: unknown dialect {name!r}; known: {', '.join(dialects.names())}")


def settings_for(settings: Settings, path: str) -> Settings:
    """The settings that apply to ``path``: its nearest configuration's, when the run resolves them per file."""
    tree = _tree
    if tree is None or not tree.enabled or settings is not tree.base:
        return settings
    return tree.for_path(path)  # a nested configuration is read and checked once, by the tree


def _variant(settings: Settings, base: Settings) -> str:
    """What a file's cache key adds when its settings are not the run's (a nested configuration's)."""
    if settings is base:
        return ""
    tree = _tree
    return tree.variant(settings) if tree is not None and tree.base is base else repr(settings)


def lint_path(
    path: str,
    settings: Settings,
    stdin: bytes | None,
    cache: Cache | None,
    keep_text: bool,
    plain: bool,
    walked: bool = False,
) -> Linted:
    """One file through the engine, with the cache in front: its results, its plain text-format
    rendering, its internal error (an rnnlint bug is an outcome, not a raise).

    With ``plain``, a cache hit gives only the rendering (results None: nothing is decoded);
    otherwise a hit gives only the results. A miss gives both when the cache stores them.
    ``keep_text``: the results keep their source text (formats that quote lines). ``walked``: met
    by walking a directory, where a file that is not a model config is skipped (engine.walk_skip_reason)."""
    base = settings
    settings = settings_for(settings, path)  # a ConfigError in a nested configuration is a usage error
    try:
        # The file's effective settings, resolved once here; the engine reads only these.
        file = settings.resolve(path)
        if cache is None or stdin is not None:
            from rnnlint import engine

            try:
                results = engine.lint_file(path, file, stdin, walked)
            except engine.InternalError as exc:
                return None, None, str(exc)
            rendered = None
        else:
            source = read_source(path, settings.max_file_bytes)
            key = cache.key(path, source.text, walked, _variant(settings, base)) if source.text is not None else None
            shown = display_path(path)
            if key is not None and plain:
                stored = cache.get_plain(path, key, shown)
                if stored is not None:
                    return None, stored, None
            # A plain miss may still be a hit for the results: stored from another working directory,
            # whose lines show the path as it printed it (rendered again here).
            cached = cache.get(path, key, source.text) if key is not None else None
            if cached is not None:
                results, rendered = cached, plain_text(cached) if plain else None
            else:
                # The parser and the engine only on a miss: a run served from the cache never imports yaml.
                from rnnlint import engine
                from rnnlint.parse import parse_source

                results = engine.lint_parsed(parse_source(source), file, walked)
                rendered = None
                if key is not None:
                    rendered = plain_text(results)  # stored, and written by a text run: rendered once
                    cache.put(path, key, results, rendered, shown)
    except Exception as exc:  # the same message engine.lint_file gives
        from rnnlint.engine import internal_error  # only for an rnnlint bug

        return None, None, internal_error(path, exc)
    if not keep_text:
        for result in results:
            result.source_text = None  # not needed by this format: do not hold every file's text
    return results, rendered, None


def plain_text(results: list[FileResult]) -> Plain:
    """The text format's lines for ``results`` without colour, and their tally keys."""
    return _rendering(results, False)


def _rendering(results: list[FileResult], color: bool, keys: list[TallyKey] | None = None) -> Plain:
    """The text format's lines for ``results``, and their tally keys (``keys`` when already known)."""
    from rnnlint.reporters import text

    return text.lines(results, color), keys if keys is not None else [Tally.key(result) for result in results]


def _outcome(
    path: str, settings: Settings, stdin: bytes | None, cache: Cache | None, keep_text: bool, walked: bool = False
) -> Outcome:
    """One file's results (or the internal error it raised), for the formats that need results."""
    results, _, error = lint_path(path, settings, stdin, cache, keep_text, False, walked)
    return ([], error) if results is None else (results, None)


def render_path(
    path: str, settings: Settings, stdin: bytes | None, cache: Cache | None, color: bool, walked: bool = False
) -> Rendered:
    """One file in the text format: its lines, its tally keys, its internal error.

    Without colour a cache hit is written as stored; a miss reuses the lines it stored."""
    results, rendered, error = lint_path(path, settings, stdin, cache, False, not color, walked)
    if results is None:
        return (rendered[0], rendered[1], None) if rendered is not None else ("", [], error)
    if rendered is not None and not color:
        return rendered[0], rendered[1], None
    # With colour, the lines again; a miss's tally keys are already counted in ``rendered``.
    lines, keys = _rendering(results, color, rendered[1] if rendered is not None else None)
    return lines, keys, None
