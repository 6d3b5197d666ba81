"""Expand the command line's paths into the files to lint."""

from __future__ import annotations

import fnmatch
import itertools
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


class _Filters:
    """The walk's choices, shared by the walk and by the question "does the walk list this file?"."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.patterns = DEFAULT_EXCLUDE + settings.exclude

    def _rel(self, dirpath: str, name: str) -> str:
        root_rel = os.path.relpath(dirpath, self.settings.root).replace(os.sep, "/")
        return f"{root_rel}/{name}" if root_rel != "." else name

    def keeps_dir(self, dirpath: str, name: str) -> bool:
        full = os.path.join(dirpath, name)
        return not (_excluded(self._rel(dirpath, name), name, self.patterns) or _is_venv(full))

    def keeps_file(self, dirpath: str, name: str) -> bool:
        full = os.path.join(dirpath, name)
        if not self.settings.includes(full):
            return False
        # Only configured excludes apply to files: no path arithmetic per file without them.
        return not self.settings.exclude or not _excluded(self._rel(dirpath, name), name, self.settings.exclude)

    def lists(self, target: str, roots: list[str]) -> bool:
        """Whether walking one of ``roots`` lists the file whose real path is ``target``."""
        for root in roots:
            rel = os.path.relpath(target, os.path.realpath(root))
            if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep):
                continue
            *folders, name = rel.split(os.sep)
            dirpath = root
            for folder in folders:
                # The walk goes into real folders only (followlinks=False), kept by the same filters.
                if os.path.islink(os.path.join(dirpath, folder)) or not self.keeps_dir(dirpath, folder):
                    break
                dirpath = os.path.join(dirpath, folder)
            else:
                if self.keeps_file(dirpath, name):
                    return True
        return False


def _overlap(roots: list[str]) -> bool:
    """Whether two of the folders named are one inside the other (``d`` and ``./d``, ``d`` and ``d/sub``)."""
    real = sorted(os.path.join(os.path.realpath(root), "") for root in roots)
    return any(inner.startswith(outer) for outer, inner in itertools.pairwise(real))


def iter_files(paths: list[str], settings: Settings) -> Iterator[Candidate]:
    """Files under ``paths``, sorted per directory, skipping VCS, virtualenv and excluded folders.

    A file reached twice is listed once. Within folders that do not overlap, only a symlink or
    a hard link can reach a file again: a symlink to a file the walk lists itself is skipped (the
    file is linted under its own path), and symlink targets and hard-linked files are remembered
    by (device, inode). Folders that overlap remember every file. So the memory a walk keeps does
    not grow with the number of files in the common case.
    """
    filters = _Filters(settings)
    # Every named path is checked before the first file is listed: a missing one is a usage error
    # (exit 2) before anything is linted, even though the files are listed as the walk goes.
    for path in paths:
        if path != "-" and not os.path.lexists(path):
            raise MissingPathError(f"{path}: no such file or directory")
    roots = [path for path in paths if path != "-" and os.path.isdir(path)]
    remember_all = len(roots) > 1 and _overlap(roots)
    seen: set[int | str] = set()
    for path in paths:
        if path == "-":
            yield Candidate("-", True)
            continue
        if not os.path.isdir(path):
            yield Candidate(path, True)
            continue
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames[:] = [d for d in sorted(dirnames) if filters.keeps_dir(dirpath, d)]
            for name in sorted(filenames):
                if not filters.keeps_file(dirpath, name):
                    continue
                full = os.path.join(dirpath, name)
                identity: int | str
                try:
                    st = os.lstat(full)
                    link = stat.S_ISLNK(st.st_mode)
                    if link:
                        st = os.stat(full)
                except OSError:
                    # Dangling symlink or removed during the walk: reading reports it.
                    identity = os.path.realpath(full)
                    link = True
                else:
                    if not stat.S_ISREG(st.st_mode):
                        continue  # FIFOs, sockets, devices: never opened
                    identity = st.st_dev << 64 | st.st_ino
                    if link and filters.lists(os.path.realpath(full), roots):
                        continue  # the walk lists the file itself, under its own path
                if identity in seen:
                    continue
                if remember_all or link or st.st_nlink > 1:
                    seen.add(identity)
                yield Candidate(full, False)
