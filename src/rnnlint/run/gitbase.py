"""A config's version at a git ref, read with git itself (``git show``, ``git diff --name-status -M``).

Nothing here reimplements git: the base is resolved by ``git rev-parse`` / ``git merge-base``, renames
come from git's own detection, and old text from ``git show REF:path``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from rnnlint.settings import ConfigError


class GitError(ConfigError):
    """git cannot answer (not a repository, the base is missing): a usage error, exit 2, as a bad
    configuration is."""


class Change(NamedTuple):
    """One file that differs between the base and the working tree, paths relative to the top."""

    status: str  # "added", "deleted", "modified", "renamed"
    path: str  # the path now ("" when deleted)
    old_path: str  # the path at the base ("" when added)


def _git(top: str, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", top, *args], capture_output=True, text=True, encoding="utf-8", errors="replace"
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        raise GitError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed")
    return done.stdout


def toplevel(cwd: str = ".") -> str:
    try:
        return _git(os.path.abspath(cwd), "rev-parse", "--show-toplevel").strip()
    except GitError:
        raise GitError(f"{os.path.abspath(cwd)} is not inside a git repository") from None


def _exists(top: str, ref: str) -> bool:
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        return False
    return True


def _default_branch(top: str) -> str | None:
    try:
        head = _git(top, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD").strip()
        return head.removeprefix("refs/remotes/")
    except GitError:
        pass
    for candidate in ("origin/main", "origin/master", "main", "master"):
        if _exists(top, candidate):
            return candidate
    return None


def resolve_base(top: str, base: str | None, environ: Mapping[str, str]) -> tuple[str, str]:
    """The base commit and how it was chosen: ``--base``, the CI's target branch, else the merge
    base with the default branch. Raises GitError with what to do when it is not in the clone."""
    if base:
        named, how = base, f"--base {base}"
    elif environ.get("GITHUB_BASE_REF"):
        named, how = f"origin/{environ['GITHUB_BASE_REF']}", "GITHUB_BASE_REF"
    elif environ.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"):
        named, how = f"origin/{environ['CI_MERGE_REQUEST_TARGET_BRANCH_NAME']}", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    else:
        default = _default_branch(top)
        if default is None:
            raise GitError("no default branch to compare with (no origin/HEAD, main or master): pass --base REF")
        named, how = default, "the default branch"
    if not _exists(top, named):
        raise GitError(
            f"base {named!r} ({how}) is not in this clone; a shallow clone has no history to compare with: "
            f"fetch it (git fetch --depth=1 origin {named.removeprefix('origin/')}) or pass --base REF"
        )
    if base:
        return _git(top, "rev-parse", f"{named}^{{commit}}").strip(), how
    try:
        merge_base = _git(top, "merge-base", named, "HEAD").strip()
    except GitError:
        raise GitError(
            f"no merge base of HEAD and {named!r} ({how}): the clone is too shallow; fetch more history "
            "(git fetch --deepen=100) or pass --base REF"
        ) from None
    return merge_base, f"the merge base with {how} {named}"


def changes(top: str, commit: str, pathspecs: Iterable[str], cwd: str = ".") -> list[Change]:
    """Files that differ between ``commit`` and the working tree, with git's rename detection, and
    untracked files (not ignored) as added. ``pathspecs`` are relative to ``cwd``; the paths
    returned are relative to ``top``."""
    here = os.path.abspath(cwd)
    specs = list(pathspecs)
    out = _git(here, "diff", "--name-status", "-M", "-z", commit, "--", *specs)
    fields = out.split("\0")
    found: list[Change] = []
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        kind = status[0]
        if kind == "R" or kind == "C":
            old, new = fields[i + 1], fields[i + 2]
            found.append(Change("renamed" if kind == "R" else "added", new, old if kind == "R" else ""))
            i += 3
            continue
        path = fields[i + 1]
        i += 2
        if kind == "A":
            found.append(Change("added", path, ""))
        elif kind == "D":
            found.append(Change("deleted", "", path))
        else:  # M, T (type change): the same path, new content
            found.append(Change("modified", path, path))
    untracked = _git(here, "ls-files", "--others", "--exclude-standard", "--full-name", "-z", "--", *specs)
    found.extend(Change("added", path, "") for path in untracked.split("\0") if path)
    return found


def show(top: str, commit: str, path: str) -> str | None:
    """The text of ``path`` at ``commit`` (None when it is not there or is not text)."""
    try:
        return _git(top, "show", f"{commit}:{path}")
    except GitError:
        return None
