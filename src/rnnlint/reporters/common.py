"""Helpers the reporters share: relative paths, end positions, source lines, stable fingerprints."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from typing import IO, NamedTuple, TextIO

from rnnlint import codes
from rnnlint.parse.source import git_top, printable
from rnnlint.result import FileResult, RunResult, Violation

_SPACE = re.compile(r"\s+")


def relative_path(path: str, base: str | None = None) -> str:
    """``path`` relative to ``base`` (default: the working directory) with ``/``, when it is under it;
    an undecodable byte of the name is U+FFFD (:func:`~rnnlint.parse.source.printable`)."""
    return printable(raw_relative_path(path, base))


def raw_relative_path(path: str, base: str | None = None) -> str:
    """As :func:`relative_path`, with the name's undecodable bytes kept (as surrogates), for a URI."""
    if path == "-":
        return path
    base_abs = os.path.abspath(base or os.getcwd())
    try:
        rel = os.path.relpath(os.path.abspath(path), base_abs)
    except ValueError:  # another drive on Windows
        return path.replace(os.sep, "/")
    if rel.startswith(".."):
        return os.path.abspath(path).replace(os.sep, "/") if os.path.isabs(path) else path.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


# Where CI services check the repository out; code scanning and Code Quality resolve paths against it.
ROOT_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")


def repository_root(environ: Mapping[str, str], cwd: str | None = None) -> str:
    """The folder report paths are relative to: the CI checkout (``GITHUB_WORKSPACE``,
    ``CI_PROJECT_DIR``), else the git top level above the working directory, else the working directory.

    The git top is the nearest folder holding ``.git`` (a folder, or the file a worktree or
    submodule has), found without running git (:func:`rnnlint.parse.source.git_top`, as the walk finds it)."""
    for name in ROOT_VARIABLES:
        value = environ.get(name)
        if value and os.path.isdir(value):
            return os.path.abspath(value)
    start = os.path.abspath(cwd or os.getcwd())
    return git_top(start) or start


class End(NamedTuple):
    line: int | None
    column: int | None


def source_lines(result: FileResult) -> list[str]:
    return result.source_text.splitlines() if result.source_text is not None else []


def _blank_or_comment(text: str) -> bool:
    stripped = text.strip()
    return not stripped or stripped.startswith(("#", "//"))


def end_of(v: Violation, lines: list[str]) -> End:
    """The last line and column a diagnostic covers, where known.

    A YAML block's end mark is where the next token starts (column 0 or the indent of the
    next line): there the block really ended on the last line with content before it, so the
    end moves back to that line and its column is dropped.
    """
    if v.end_line is None or v.end_line < v.line:
        return End(None, None)
    end_line, end_column = v.end_line, v.end_column
    if end_line > v.line and end_column is not None and 0 < end_line <= len(lines) + 1:
        before = lines[end_line - 1][:end_column] if end_line <= len(lines) else ""
        if not before.strip():
            end_line -= 1
            while end_line > v.line and _blank_or_comment(lines[end_line - 1]):
                end_line -= 1
            return End(end_line, None)
    if end_column is None or end_column < 1:
        return End(end_line, None)
    if end_line == v.line and end_column < v.column:
        return End(v.line, None)
    return End(end_line, end_column)


def source_line(result: FileResult, line: int) -> str | None:
    """The text of a 1-based line of the file, without its line break."""
    lines = source_lines(result)
    return lines[line - 1] if 0 < line <= len(lines) else None


def line_fingerprints(result: FileResult) -> list[str]:
    """A ``hash:occurrence`` per diagnostic, stable when unrelated lines move.

    The hash covers the code and the diagnostic's source line with whitespace collapsed, not
    the line number; the occurrence tells apart identical (code, line text) pairs in one file.
    """
    lines = source_lines(result)
    seen: dict[str, int] = {}
    out: list[str] = []
    for v in result.diagnostics:
        text = lines[v.line - 1] if 0 < v.line <= len(lines) else ""
        normalized = _SPACE.sub(" ", text).strip()
        digest = hashlib.sha256(f"{v.code}\0{normalized}".encode()).hexdigest()[:16]
        seen[digest] = seen.get(digest, 0) + 1
        out.append(f"{digest}:{seen[digest]}")
    return out


def iter_diagnostics(run: RunResult) -> Iterator[tuple[FileResult, Violation]]:
    for result in run.files:
        for v in result.diagnostics:
            yield result, v


def file_failed(result: FileResult, strict: bool) -> bool:
    """``strict``: the run's (--strict); a file whose own configuration is strict fails on warnings too."""
    return result.count("error") > 0 or ((strict or result.strict) and result.count("warning") > 0)


def display_name(result: FileResult, base: str | None = None) -> str:
    """A config's name in tables and test reports; one document of a multi-document file says which."""
    name = relative_path(result.path, base)
    return f"{name} (document {result.document + 1})" if result.document is not None else name


# Notes that state what was counted rather than something to fix. Code scanning makes every SARIF result
# an alert and GitLab every Code Quality entry a finding, open for as long as the config exists, so the
# code-scanning formats leave these out unless RNNLINT_LAYER_NOTES asks for them (their figures still
# travel, in SARIF's property bags). A code raised above "note" (severity settings) is a finding again.
COUNT_NOTES = frozenset({codes.RNN100, codes.RNN106})
LAYER_NOTES_ENV = "RNNLINT_LAYER_NOTES"


def layer_notes_wanted(environ: Mapping[str, str]) -> bool:
    """Whether ``RNNLINT_LAYER_NOTES`` asks for the count notes as results (1, true, yes, on)."""
    return environ.get(LAYER_NOTES_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def is_count_note(v: Violation) -> bool:
    return v.code in COUNT_NOTES and v.severity == "note"


# A spool holds this many characters in memory, then moves to a temporary file.
SPOOL_CHARS = 1 << 20


def spool() -> IO[str]:
    """Somewhere to keep a report's part that must wait for the end (it comes after the counts): memory
    while small, then an unnamed temporary file, so memory stays flat in the number of files.

    ``surrogatepass``: it gives back exactly the text written to it. Closed by :func:`copy_spool`, or
    with the writer of a run that failed (an unnamed temporary file leaves nothing on disk)."""
    import tempfile

    class Spool(tempfile.SpooledTemporaryFile[str]):
        def __del__(self) -> None:
            self.close()  # a failed run's spool goes with its writer, without a ResourceWarning

    return Spool(max_size=SPOOL_CHARS, mode="w+", encoding="utf-8", errors="surrogatepass", newline="")


def copy_spool(held: IO[str], out: TextIO) -> None:
    """Write what :func:`spool` ``held`` to ``out``, and close it."""
    import shutil

    with held:
        held.seek(0)
        shutil.copyfileobj(held, out)
