"""Reading config files: bytes to decoded text, every failure a located problem.

Kept apart from the parsers (:mod:`rnnlint.parse.yaml` imports PyYAML): a run served from the cache reads
and decodes files but parses none, so it never imports yaml.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from typing import NamedTuple

from rnnlint import codes
from rnnlint.model import Span

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
# Keras model files: binary, their model JSON is read by rnnlint.parse.keras_files.
KERAS_SUFFIXES = (".keras",)
H5_SUFFIXES = (".h5", ".hdf5")
MODEL_FILE_SUFFIXES = KERAS_SUFFIXES + H5_SUFFIXES


class Problem(NamedTuple):
    """A finding produced before the rules run (parse, schema); its rule module reports it."""

    code: str
    message: str
    span: Span


class Source(NamedTuple):
    """A file's decoded text (or why it has none)."""

    path: str
    text: str | None
    problem: Problem | None = None
    has_bom: bool = False
    # Set when the text is read out of a binary model file (``config.json`` of a .keras archive):
    # positions are in that text, and messages say so.
    member: str | None = None


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _byte_position(raw: bytes, offset: int) -> Span:
    """Line and column (in characters) of a byte offset in text that does not decode as a whole.

    Lines end at LF, CRLF or a lone CR, as YAML and JSON count them.
    """
    lines = _LINE_BREAK.split(raw[:offset].decode("utf-8", "replace"))
    return Span(len(lines), len(lines[-1]) + 1)


def _decode(raw: bytes) -> tuple[str | None, Problem | None, bool]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        bom = True
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), None, True
        except UnicodeDecodeError as exc:
            return None, Problem(codes.RNN001, f"invalid UTF-16 text: {exc.reason}", Span(1, 1)), True
    else:
        bom = False
    if b"\x00" in raw:
        at = _byte_position(raw, raw.index(b"\x00"))
        return None, Problem(codes.RNN001, "binary file (contains NUL bytes), not a config", Span(at.line, 1)), bom
    try:
        return raw.decode("utf-8"), None, bom
    except UnicodeDecodeError as exc:
        msg = f"invalid UTF-8: byte 0x{raw[exc.start]:02x} cannot start or continue a character"
        return None, Problem(codes.RNN001, msg, _byte_position(raw, exc.start)), bom


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_regular(path: str, max_bytes: int) -> bytes | Problem:
    """Read at most ``max_bytes + 1`` bytes of a regular file; anything else is a problem.

    The file is opened non-blocking and checked with ``fstat`` on the open descriptor, so a
    FIFO or device named on the command line is never waited on, and a file swapped for one
    between the walk and the read is caught too.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        mode = st.st_mode
        if not stat.S_ISREG(mode):  # the usual case costs one test
            if stat.S_ISDIR(mode):
                return Problem(codes.RNN001, "cannot read file: it is a directory", Span(1, 1))
            kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
            return Problem(codes.RNN001, f"not a regular file ({kind}); not read", Span(1, 1))
        # The size is known: one read of size + 1 bytes normally gets the whole file (a short read
        # of a regular file is its end). The loop below is for a file that grew meanwhile.
        wanted = min(st.st_size + 1, max_bytes + 1)
        first = os.read(fd, wanted)
        if len(first) < wanted or len(first) > max_bytes:
            return first
        chunks = [first]
        size = len(first)
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES, stdin: bytes | None = None) -> Source:
    """Read and decode one text file; every failure becomes a located RNN001 problem.

    :func:`rnnlint.parse.reading.read_source` is what callers use: it sends Keras model files elsewhere."""
    try:
        raw = stdin if stdin is not None else _open_regular(path, max_bytes)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno == errno.ENOENT:
            reason += " (removed while rnnlint ran, or a dangling symlink)"
        return Source(path, None, Problem(codes.RNN001, f"cannot read file: {reason}", Span(1, 1)))
    if isinstance(raw, Problem):
        return Source(path, None, raw)
    if len(raw) > max_bytes:
        msg = (
            f"file is larger than the size cap of {max_bytes:,} bytes; not read "
            "(raise it with max_file_bytes or --max-file-bytes)"
        )
        return Source(path, None, Problem(codes.RNN001, msg, Span(1, 1)))
    text, problem, bom = _decode(raw)
    return Source(path, text, problem, bom)


# Lone surrogates: the bytes of a file name that is not valid UTF-8 (os.fsdecode's surrogateescape).
_SURROGATES = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with each lone surrogate (a name's undecodable byte) as U+FFFD, as ruff shows such names:
    every report stays valid UTF-8 (JSON, XML, a strict stdout) whatever the file system holds."""
    return text if text.isascii() else _SURROGATES.sub("\ufffd", text)


def display_path(path: str) -> str:
    """Paths are printed relative to the working directory when they are under it (always printable)."""
    if path == "-" or not os.path.isabs(path):
        return printable(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return printable(path)
    return printable(path if rel.startswith("..") else rel)


def git_top(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that holds ``.git`` (a repository's top)."""
    probe = folder
    while True:
        if os.path.lexists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return None
        probe = parent
