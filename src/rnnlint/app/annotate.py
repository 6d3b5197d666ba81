"""``rnnlint annotate``: the file I/O around :mod:`rnnlint.annotate` (the only place rnnlint writes a user's file).

Each file is read once as bytes, counted from its text without annotations (the same
pipeline as linting: dialect, pragmas, settings overrides), and the new bytes are written
atomically: a temporary file in the same directory, given the original's permission bits
(and owner, where allowed), then ``os.replace``. Right before the replace the file is
checked again (inode, size, mtime, bytes); if it changed since it was read (an editor
saved it meanwhile) it is left as it is and reported, never overwritten.

Exit codes, as pre-commit's fixers (``trailing-whitespace``) behave: 0 nothing to change;
1 a file was changed (or, with ``--check``, would be), or could not be annotated; 2 usage,
configuration or internal error. ``--diff`` only prints and exits 0.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Any

from rnnlint import annotate, codes
from rnnlint.app.exits import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from rnnlint.engine import adapt_document, count_layers, suppressions
from rnnlint.parse import is_jinja_template, parse_source
from rnnlint.parse.source import MODEL_FILE_SUFFIXES, Source, display_path
from rnnlint.run.discovery import MissingPathError, iter_files
from rnnlint.settings import ConfigError, Settings

# annotate exits 1 when it changed (or, with --check, would change) a file.
EXIT_CHANGED = EXIT_FINDINGS

JSON_NOTE = "JSON files cannot hold comments; left alone"
BINARY_NOTE = "Keras model files (.keras, .h5) are binary: rnnlint never modifies them; left alone"


@dataclass
class AnnotateArgs:
    paths: tuple[str, ...]
    config: str | None = None
    isolated: bool = False
    check: bool = False
    diff: bool = False
    strip: bool = False
    cli: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Tally:
    changed: int = 0
    unchanged: int = 0
    left_alone: int = 0
    failed: int = 0


class FileChangedError(Exception):
    """The file on disk is no longer the one that was read."""


def _err(message: str) -> None:
    sys.stderr.write(f"{message}\n")


# --------------------------------------------------------------------------- counting


def count_models(path: str, text: str, settings: Settings) -> list[annotate.ModelCounts] | annotate.Note:
    """The counted models of one file's text, or why it cannot be annotated.

    Uses the engine's own adapt and count steps, so annotations and lint reports agree.
    """
    parsed = parse_source(Source(path, text))
    fatal = [p for p in parsed.problems if p.code == codes.RNN001]
    if fatal:
        if is_jinja_template(text):
            return []  # a template is YAML only after rendering: nothing to count, nothing to say
        first = fatal[0]
        return annotate.Note(first.span.line, first.span.column, f"{first.message}; not annotated")
    file = suppressions.scan(path, text).merged_into(settings.resolve(path))
    models: list[annotate.ModelCounts] = []
    for document in parsed.documents:
        _dialect, adapted = adapt_document(text, document, file)
        model = adapted.model if adapted is not None else None
        if model is None:
            continue
        models.append(annotate.ModelCounts(model.span, count_layers(model), bool(model.assumptions)))
    return models


# --------------------------------------------------------------------------- reading and writing


def _read(path: str, max_bytes: int) -> tuple[bytes, os.stat_result] | str:
    """The bytes of a regular file and its stat at read time, or why not."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            return "not a regular file; not annotated"
        if before.st_size > max_bytes:
            return f"file is larger than the size cap of {max_bytes:,} bytes; not annotated"
        chunks: list[bytes] = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks), before
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    finally:
        os.close(fd)


def _unchanged_since(path: str, before: os.stat_result, expected: bytes) -> bool:
    try:
        now = os.stat(path)
    except OSError:
        return False
    same_file = (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) == (
        before.st_dev,
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    if not same_file:
        return False
    # mtime has coarse granularity on some file systems: compare the bytes too.
    try:
        with open(path, "rb") as fh:
            return fh.read() == expected
    except OSError:
        return False


def write_atomically(path: str, new: bytes, before: os.stat_result, expected: bytes) -> None:
    """Replace ``path``'s content with ``new`` unless it is no longer ``expected``.

    Raises :class:`FileChangedError` (the file is left as it is) or ``OSError``.
    """
    real = os.path.realpath(path)  # a symlink stays a symlink: its target is rewritten
    directory = os.path.dirname(real)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".rnnlint-tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new)
            fh.flush()
            os.fsync(fh.fileno())
            if hasattr(os, "fchown") and (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
                # Keep the owner where the OS lets us (root, or a group we belong to); else ours.
                with contextlib.suppress(OSError):
                    os.fchown(fh.fileno(), before.st_uid, before.st_gid)
        # After chown (which may clear set-id bits); os.chmod, as fchmod is POSIX-only.
        os.chmod(tmp, stat.S_IMODE(before.st_mode))
        if not _unchanged_since(real, before, expected):
            raise FileChangedError(real)
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# --------------------------------------------------------------------------- one file


def _new_bytes(path: str, raw: bytes, marker: str, settings: Settings, strip_only: bool) -> annotate.Outcome:
    stripped = annotate.strip(raw, marker)
    if stripped.error is not None and is_jinja_template(raw.decode("utf-8", "replace")):
        return annotate.Outcome(raw, "")  # YAML only after rendering: left alone, as the linter skips it
    if stripped.error is not None or strip_only:
        return stripped
    models = count_models(path, stripped.text, settings)
    if isinstance(models, annotate.Note):
        return annotate.Outcome(raw, stripped.text, error=models)
    return annotate.annotate(raw, models, marker)


def _process(path: str, explicit: bool, settings: Settings, args: AnnotateArgs, tally: _Tally) -> None:
    shown = display_path(path)
    if path.lower().endswith(MODEL_FILE_SUFFIXES):
        # Never opened for writing; named on the command line (or a Keras model met in a walk), it is said so.
        if explicit or _is_keras_model(path, settings):
            _err(f"{shown}: note: {BINARY_NOTE}")
            tally.left_alone += 1
        return
    marker = annotate.comment_marker(path)
    if marker is None:
        # Only model configs are worth a note (a directory walk meets package.json and the like).
        if explicit or _is_model_config(path, settings):
            _err(f"{shown}: note: {JSON_NOTE}")
            tally.left_alone += 1
        return
    read = _read(path, settings.max_file_bytes)
    if isinstance(read, str):
        _err(f"{shown}: error: {read}")
        tally.failed += 1
        return
    raw, before = read
    outcome = _new_bytes(path, raw, marker, settings, args.strip)
    if outcome.error is not None:
        error = outcome.error
        _err(f"{shown}:{error.line}:{error.column}: error: {error.message}")
        tally.failed += 1
        return
    for note in outcome.notes:
        _err(f"{shown}:{note.line}:{note.column}: note: {note.message}")
    if outcome.data == raw:
        tally.unchanged += 1
        return
    verb, done = ("strip", "stripped") if args.strip else ("annotate", "annotated")
    if args.diff or args.check:
        sys.stdout.write(annotate.unified_diff(shown, annotate.text_of(raw), outcome.text))
        sys.stdout.flush()
        if args.check:
            _err(f"would {verb} {shown}")
        tally.changed += 1
        return
    try:
        write_atomically(path, outcome.data, before, raw)
    except FileChangedError:
        _err(f"{shown}: error: the file changed while rnnlint was annotating it; left as it is, run again")
        tally.failed += 1
        return
    except OSError as exc:
        _err(f"{shown}: error: cannot write: {exc.strerror or exc}")
        tally.failed += 1
        return
    _err(f"{done} {shown}")
    tally.changed += 1


def _is_keras_model(path: str, settings: Settings) -> bool:
    from rnnlint.parse.keras_files import read_model_file

    # Its model JSON was found: it is a Keras model file (whatever the JSON holds).
    return read_model_file(path, settings.max_file_bytes).text is not None


def _is_model_config(path: str, settings: Settings) -> bool:
    read = _read(path, settings.max_file_bytes)
    if isinstance(read, str):
        return False
    try:
        text = read[0].decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    models = count_models(path, text, settings)
    return not isinstance(models, annotate.Note) and bool(models)


def _summary(tally: _Tally, args: AnnotateArgs) -> str:
    def files(n: int) -> str:
        return f"{n} file{'s' if n != 1 else ''}"

    if args.check or args.diff:
        done = f"{files(tally.changed)} would be {'stripped' if args.strip else 'annotated'}"
    else:
        done = f"{files(tally.changed)} {'stripped' if args.strip else 'annotated'}"
    parts = [done, f"{tally.unchanged} unchanged"]
    if tally.left_alone:
        parts.append(f"{tally.left_alone} left alone (JSON or binary)")
    if tally.failed:
        parts.append(f"{tally.failed} could not be {'stripped' if args.strip else 'annotated'}")
    return ", ".join(parts) + "."


def execute_annotate(args: AnnotateArgs) -> int:
    from rnnlint.app.options import CheckArgs
    from rnnlint.app.settings import build_settings

    try:
        settings = build_settings(CheckArgs(paths=args.paths, config=args.config, isolated=args.isolated, cli=args.cli))
        if "-" in args.paths:
            raise ConfigError("annotate rewrites files in place; it cannot read '-' (standard input)")
        tally = _Tally()
        for candidate in iter_files(list(args.paths), settings):
            _process(candidate.path, candidate.explicit, settings, args, tally)
    except (ConfigError, MissingPathError) as exc:
        _err(f"rnnlint: {exc}")
        return EXIT_ERROR
    _err(_summary(tally, args))
    if tally.failed:
        return EXIT_CHANGED
    if tally.changed and not (args.diff and not args.check):
        return EXIT_CHANGED
    return EXIT_OK
