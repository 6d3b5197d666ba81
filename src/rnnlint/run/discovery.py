"""Expand the command line's paths into the files to lint."""

from __future__ import annotations

import fnmatch
import itertools
import os
import re
import stat
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from rnnlint.parse.source import git_top
from rnnlint.settings import DEFAULT_EXCLUDE, Settings


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


# ----------------------------------------------------------------------------- .gitignore

GITIGNORE = ".gitignore"
# One ignore file's rules: the folder its patterns are relative to, and the compiled patterns.
Rules = tuple[str, "_Spec"]
# The rules in force in one folder, outermost first (a deeper file overrides a shallower one).
Chain = tuple[Rules, ...]


def _compile(path: str) -> _Spec | None:
    """The gitwildmatch patterns of one ignore file (None when it cannot be read or holds none)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    import pathspec  # only for trees that have an ignore file

    try:
        spec = pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):
        # A pattern pathspec refuses: git ignores such a line and keeps the others, so do the same.
        spec = pathspec.GitIgnoreSpec.from_lines([line for line in lines if _valid(pathspec, line)])
    return _Spec(spec) if len(spec) else None


_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_]\w*>")


class _Spec:
    """One ignore file's patterns (a pathspec GitIgnoreSpec), with a quick "does any pattern match?".

    pathspec's own matching tries each pattern in turn in Python, which costs a walk time per file
    in proportion to the patterns (a large .gitignore holds over a hundred). Most paths match none:
    one alternation of every pattern's regular expression, searched in C, says so at once, and only
    a path it matches is asked of pathspec (which pattern wins, negations, git's folder rules)."""

    __slots__ = ("_any", "patterns", "spec")

    def __init__(self, spec: Any) -> None:
        self.spec = spec
        self.patterns = spec.patterns
        # Named groups cannot repeat in one expression; the alternation only needs to match.
        parts = [_NAMED_GROUP.sub("(?:", p.regex.pattern) for p in spec.patterns if p.include is not None and p.regex]
        self._any = re.compile("|".join(f"(?:{part})" for part in parts)).search if parts else None

    def check(self, path: str) -> bool | None:
        """True: ignored, False: re-included by a negation, None: no pattern matches."""
        if self._any is None or self._any(path) is None:
            return None
        found = self.spec.check_file(path).include
        return None if found is None else bool(found)


def _valid(pathspec: Any, line: str) -> bool:
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except (ValueError, re.error):
        return False
    return True


def _rules(folder: str, name: str = GITIGNORE) -> Rules | None:
    spec = _compile(os.path.join(folder, name))
    return None if spec is None else (folder, spec)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def outer_chain(root: str, project_root: str) -> Chain:
    """The ignore rules in force at a walk's ``root`` from the folders above it.

    As git reads them: the repository's ``.git/info/exclude``, then each ``.gitignore`` from the
    repository's top down to the folder above ``root``. Outside a repository the project root
    (the configuration's folder, else the working directory) stands for its top when ``root`` is
    under it, so a tree copied without its ``.git`` is walked the same way.
    """
    here = os.path.abspath(root)
    top = git_top(here)
    chain: list[Rules] = []
    if top is not None:
        exclude = os.path.join(top, ".git", "info")
        if os.path.isdir(exclude):
            found = _rules(exclude, "exclude")
            if found is not None:
                chain.append((top, found[1]))  # its patterns are relative to the repository's top
    else:
        project = os.path.abspath(project_root)
        top = project if _inside(here, project) else here
    folders: list[str] = []
    probe = here
    while probe != top:
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        folders.append(parent)
        probe = parent
    for folder in reversed(folders):
        found = _rules(folder)
        if found is not None:
            chain.append(found)
    return tuple(chain)


def _relative_to(folder: str, base: str) -> str:
    """``folder`` relative to ``base`` (both absolute, ``folder`` inside ``base``), "" for itself."""
    if folder == base:
        return ""
    return folder[len(base.rstrip(os.sep)) + 1 :].replace(os.sep, "/") + "/"


def _own_match(spec: _Spec, path: str) -> bool | None:
    """The last pattern of ``spec`` matching ``path`` itself (not a folder above it): its verdict."""
    for pattern in reversed(spec.patterns):
        if pattern.include is not None and pattern.regex is not None and pattern.regex.fullmatch(path):
            return bool(pattern.include)
    return None


class _Ignorer:
    """The ignore rules of one folder of the walk, asked about each of its entries.

    pathspec answers for a path and every folder above it, as git does; the walk never enters an
    ignored folder, so that is the same answer, except above a folder named on the command line:
    a named folder is walked even when ignored (as ruff does), and the rules that ignore it judge
    each entry in it by the entry's own path only (``exact``)."""

    __slots__ = ("_tests",)

    def __init__(self, folder: str, chain: Chain, exact: frozenset[str] = frozenset()) -> None:
        # Innermost first: the first file with a matching pattern decides, as in git.
        self._tests = [(_relative_to(folder, base), spec, base in exact) for base, spec in reversed(chain)]

    def ignored(self, name: str, is_dir: bool) -> bool:
        for prefix, spec, exact in self._tests:
            path = prefix + name + "/" if is_dir else prefix + name
            found = _own_match(spec, path) if exact else spec.check(path)
            if found is not None:
                return bool(found)
        return False


def ignoring_bases(root: str, chain: Chain) -> frozenset[str]:
    """The folders of the ignore files above ``root`` that ignore ``root`` itself."""
    here = os.path.abspath(root)
    return frozenset(base for base, spec in chain if here != base and spec.check(_relative_to(here, base)))


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
            chain = self.outer(root)
            for folder in folders:
                chain = self.inner(dirpath, chain)
                ignorer = _Ignorer(os.path.abspath(dirpath), chain) if chain else None
                # The walk goes into real folders only (followlinks=False), kept by the same filters.
                if (
                    os.path.islink(os.path.join(dirpath, folder))
                    or not self.keeps_dir(dirpath, folder)
                    or (ignorer is not None and ignorer.ignored(folder, True))
                ):
                    break
                dirpath = os.path.join(dirpath, folder)
            else:
                chain = self.inner(dirpath, chain)
                if chain and _Ignorer(os.path.abspath(dirpath), chain).ignored(name, False):
                    continue
                if self.keeps_file(dirpath, name):
                    return True
        return False

    def outer(self, root: str) -> Chain:
        """The ignore rules in force at a walk's root (none when .gitignore is not respected)."""
        if not self.settings.respect_gitignore:
            return ()
        return outer_chain(root, self.settings.root)

    def inner(self, dirpath: str, chain: Chain, names: list[str] | None = None) -> Chain:
        """``chain`` with the ignore file of ``dirpath`` added (``names``: its files, when listed)."""
        if not self.settings.respect_gitignore:
            return chain
        if names is not None and GITIGNORE not in names:
            return chain  # the common case: no file system call
        found = _rules(os.path.abspath(dirpath))
        return chain if found is None else (*chain, found)

    def force_excluded(self, path: str) -> bool:
        """``--force-exclude``: whether a path named on the command line, or a folder above it, is excluded."""
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(self.settings.root)).replace(os.sep, "/")
        parts = [part for part in rel.split("/") if part not in ("", ".")]
        outside = bool(parts) and parts[0] == ".."
        while parts and parts[0] == "..":
            parts.pop(0)  # outside the root: only the names below the common folder can match
        for end in range(1, len(parts) + 1):
            sub = "/".join(parts[:end])
            name = parts[end - 1]
            # Folders meet the default excludes too; a file only the configured ones, as in a walk.
            patterns = self.patterns if end < len(parts) or os.path.isdir(path) else self.settings.exclude
            if _excluded(name if outside else sub, name, patterns):
                return True
        return False


def _overlap(roots: list[str]) -> bool:
    """Whether two of the folders named are one inside the other (``d`` and ``./d``, ``d`` and ``d/sub``)."""
    real = sorted(os.path.join(os.path.realpath(root), "") for root in roots)
    return any(inner.startswith(outer) for outer, inner in itertools.pairwise(real))


def iter_files(
    paths: list[str], settings: Settings, settings_for: Callable[[str], Settings] | None = None
) -> Iterator[Candidate]:
    """Files under ``paths``, sorted per directory, skipping VCS, virtualenv and excluded folders.

    A file reached twice is listed once. Within folders that do not overlap, only a symlink or
    a hard link can reach a file again: a symlink to a file the walk lists itself is skipped (the
    file is linted under its own path), and symlink targets and hard-linked files are remembered
    by (device, inode). Folders that overlap remember every file. So the memory a walk keeps does
    not grow with the number of files in the common case.
    """
    filters = _Filters(settings)
    # With per-folder configurations (``settings_for``), each folder's include and exclude are its own.
    by_settings: dict[int, _Filters] = {id(settings): filters}

    def filters_in(dirpath: str) -> _Filters:
        if settings_for is None:
            return filters
        here = settings_for(dirpath)
        found = by_settings.get(id(here))
        if found is None:
            found = by_settings[id(here)] = _Filters(here)
        return found

    # Every named path is checked before the first file is listed: a missing one is a usage error
    # (exit 2) before anything is linted, even though the files are listed as the walk goes.
    for path in paths:
        if path != "-" and not os.path.lexists(path):
            raise MissingPathError(f"{path}: no such file or directory")
    roots = [path for path in paths if path != "-" and os.path.isdir(path)]
    remember_all = len(roots) > 1 and _overlap(roots)
    seen: set[int | str] = set()
    # Files named on the command line are linted once, as named, even when a walk meets them too
    # or they are named twice (``a.yaml ./a.yaml``), as ruff does.
    named = (
        {os.path.abspath(p) for p in paths if p != "-" and not os.path.isdir(p)} if roots or len(paths) > 1 else set()
    )
    listed: set[str] = set()
    for path in paths:
        if path == "-":
            yield Candidate("-", True)
            continue
        if settings.force_exclude and filters.force_excluded(path):
            continue
        if not os.path.isdir(path):
            if named:
                key = os.path.abspath(path)
                if key in listed:
                    continue
                listed.add(key)
            yield Candidate(path, True)
            continue
        # The ignore rules of each folder still to be walked (popped when it is): memory follows
        # the walk's frontier, not the number of folders.
        pending: dict[str, Chain] = {path: filters.outer(path)}
        exact = ignoring_bases(path, pending[path]) if pending[path] else frozenset()
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            chain = filters.inner(dirpath, pending.pop(dirpath, ()), filenames)
            ignorer = _Ignorer(os.path.abspath(dirpath), chain, exact) if chain else None
            here = filters_in(dirpath)
            dirnames[:] = [
                d
                for d in sorted(dirnames)
                if here.keeps_dir(dirpath, d) and (ignorer is None or not ignorer.ignored(d, True))
            ]
            if chain:
                for d in dirnames:
                    pending[os.path.join(dirpath, d)] = chain
            for name in sorted(filenames):
                if not here.keeps_file(dirpath, name):
                    continue
                if ignorer is not None and ignorer.ignored(name, False):
                    continue
                full = os.path.join(dirpath, name)
                if named and os.path.abspath(full) in named:
                    continue  # linted where it is named
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
