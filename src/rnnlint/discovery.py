"""Expand the command line's paths into the files to lint."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator
from typing import NamedTuple

from rnnlint.config import DEFAULT_EXCLUDE, Settings


class MissingPathError(Exception):
    """A path named on the command line does not exist (exit code 2)."""


class Candidate(NamedTuple):
    path: str
    # Named on the command line: linted whatever its extension.
    explicit: bool


def _excluded(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        bare = pattern.rstrip("/")
        if fnmatch.fnmatchcase(name, bare) or fnmatch.fnmatchcase(rel, bare):
            return True
        if fnmatch.fnmatchcase(rel, bare + "/*"):
            return True
    return False


def _is_venv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def iter_files(paths: list[str], settings: Settings) -> Iterator[Candidate]:
    """Files under ``paths``, sorted per directory, skipping VCS, virtualenv and excluded folders."""
    patterns = DEFAULT_EXCLUDE + settings.exclude
    # Files reached twice (a symlink to a listed file, `d` and `./d`) are listed once: by
    # (device, inode) from the stat the walk makes anyway, not a realpath per file.
    seen: set[tuple[int, int] | str] = set()
    for path in paths:
        if path == "-":
            yield Candidate("-", True)
            continue
        if not os.path.lexists(path):
            raise MissingPathError(f"{path}: no such file or directory")
        if not os.path.isdir(path):
            yield Candidate(path, True)
            continue
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            root_rel = os.path.relpath(dirpath, settings.root).replace(os.sep, "/")
            kept = []
            for d in sorted(dirnames):
                full = os.path.join(dirpath, d)
                rel = f"{root_rel}/{d}" if root_rel != "." else d
                if _excluded(rel, d, patterns) or _is_venv(full):
                    continue
                kept.append(d)
            dirnames[:] = kept
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                if not settings.includes(full):
                    continue
                rel = f"{root_rel}/{name}" if root_rel != "." else name
                if _excluded(rel, name, settings.exclude):
                    continue
                identity: tuple[int, int] | str
                try:
                    st = os.stat(full)
                except OSError:
                    # Dangling symlink or removed during the walk: reading reports it.
                    identity = os.path.realpath(full)
                else:
                    if not stat.S_ISREG(st.st_mode):
                        continue  # FIFOs, sockets, devices: never opened
                    identity = (st.st_dev, st.st_ino)
                if identity in seen:
                    continue
                seen.add(identity)
                yield Candidate(full, False)
