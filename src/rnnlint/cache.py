"""A results cache: an unchanged file under unchanged settings is not linted again.

Entries live under ``.rnnlint_cache/`` in the project root (the configuration's directory, or
the working directory), one small file per directory of linted files, so a run reads only
the entries it needs and memory does not grow with the cache. The key covers everything a result
depends on: the path as given, the decoded text, the settings (``repr`` of the frozen
:class:`~rnnlint.config.Settings`, which holds the configuration and command-line options), and
rnnlint itself (its version and the size and mtime of every module, so an upgrade or an edit to
rnnlint invalidates everything) and PyYAML (the size and mtime of its files, found without
importing it). Jsonnet files are never cached: their imports are other files.

A cache that cannot be read or written (a read-only directory, a corrupt or truncated entry, a
full disk) is a miss, never an error: the file is linted as if there were no cache.

Entries are written with :mod:`marshal` (plain tuples, lists, dicts, strings and numbers; it
builds and reads them several times faster than JSON, and never runs code), compressed with
zlib. marshal's format depends on the Python version, which is part of every key.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import zlib
from functools import lru_cache
from typing import Any

from rnnlint import __version__
from rnnlint.result import FileResult, LayerResult, Violation

CACHE_DIR = ".rnnlint_cache"
# Bumped when the entry format changes.
FORMAT = "3"
_UNCACHED_SUFFIXES = (".jsonnet", ".libsonnet")


class _Uncacheable(Exception):
    """A result holding something the entry format does not know (never stored)."""


def _yaml_files() -> list[str]:
    """PyYAML's module files, found without importing it (a run served from the cache never
    does): an upgrade or reinstall rewrites them, so their stat stands for its version."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("yaml")
    if spec is None or spec.origin is None:
        return []
    if not spec.submodule_search_locations:
        return [spec.origin]
    files: list[str] = []
    for folder in spec.submodule_search_locations:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        files.extend(os.path.join(folder, name) for name in names if name.endswith((".py", ".so", ".pyd")))
    return files


def _stamp(path: str, shown: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{shown}:absent"
    return f"{shown}:{st.st_size}:{st.st_mtime_ns}"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """rnnlint's version, Python's, and the stat of every rnnlint module and PyYAML file."""
    package = os.path.dirname(os.path.abspath(__file__))
    parts = [__version__, FORMAT, sys.version]
    for folder, _dirs, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                path = os.path.join(folder, name)
                parts.append(_stamp(path, os.path.relpath(path, package)))
    parts.extend(_stamp(path, path) for path in _yaml_files())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# One result as stored: FileResult.FIELDS in order (source_text is left out: the caller has the
# text, and it is in the key), with layers and diagnostics as plain tuples.
_LAYERS = FileResult.FIELDS.index("layers")
_DIAGNOSTICS = FileResult.FIELDS.index("diagnostics")
_LIMITS = FileResult.FIELDS.index("limits")
_SCALARS = (type(None), bool, int, float, str)


def _encode(result: FileResult) -> tuple[Any, ...]:
    """FileResult.FIELDS in order, rows as plain tuples (marshal stores exact tuples only)."""
    r = result
    head = (r.path, r.dialect, r.framework, r.total_params, r.recurrent_params, r.complete)
    tail = (r.skipped, r.skip_reason, r.document)
    for value in (*head, *tail):
        if type(value) not in _SCALARS:
            raise _Uncacheable(value)
    # Rows are NamedTuples of scalars by their types; anything else makes marshal refuse the
    # shard, which is then a miss, never a wrong hit.
    limits = {str(name): tuple(limit) for name, limit in r.limits.items()} if r.limits else {}
    return (*head, list(map(tuple, r.layers)), list(map(tuple, r.diagnostics)), *tail, limits)


def _decode(entry: tuple[Any, ...], text: str | None) -> FileResult:
    if len(entry) != len(FileResult.FIELDS):
        raise ValueError("an entry of another shape")
    values = list(entry)
    values[_LAYERS] = [LayerResult(*row) for row in entry[_LAYERS]]
    values[_DIAGNOSTICS] = [Violation(*row) for row in entry[_DIAGNOSTICS]]
    values[_LIMITS] = {name: (limit[0], limit[1]) for name, limit in entry[_LIMITS].items()}
    result = FileResult(*values)
    result.source_text = text
    return result


class Cache:
    """Results by file; every failure is a miss (reads) or a no-op (writes).

    Entries are grouped in one shard per directory of linted files (a walk visits a
    directory's files together), holding for each path its latest key and results: a run
    reads and writes one small file per directory, keeps one shard in memory, and an edited
    file's old entry is replaced rather than left behind.
    """

    def __init__(self, root: str, settings_repr: str) -> None:
        self.folder = os.path.join(root, CACHE_DIR)
        self._base = hashlib.sha256(f"{code_fingerprint()}\0{settings_repr}".encode()).hexdigest()
        self._shard_name: str | None = None
        self._directory: str | None = None
        self._shard: dict[str, Any] = {}
        self._pending: dict[str, Any] = {}
        self._writable = True

    def key(self, path: str, text: str) -> str | None:
        if path == "-" or path.lower().endswith(_UNCACHED_SUFFIXES):
            return None
        digest = hashlib.sha256(self._base.encode())
        digest.update(path.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _shard_path(self, path: str) -> str:
        directory = os.path.dirname(os.path.abspath(path))
        name = hashlib.sha256(f"{self._base}\0{directory}".encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.folder, FORMAT, name[:32] + ".bin")

    def _read_shard(self, shard: str) -> dict[str, Any]:
        try:
            with open(shard, "rb") as fh:
                stored = marshal.loads(zlib.decompress(fh.read()))
        except (OSError, ValueError, EOFError, TypeError, zlib.error):
            return {}  # absent, unreadable or truncated: every file in it is a miss
        return stored if isinstance(stored, dict) else {}

    def _select(self, path: str) -> None:
        directory = os.path.dirname(path)
        if directory == self._directory and self._shard_name is not None:
            return  # the walk's files come directory by directory: usually the shard in hand
        self._directory = directory
        shard = self._shard_path(path)
        if shard != self._shard_name:
            self.flush()
            self._shard_name = shard
            self._shard = self._read_shard(shard)

    def get(self, path: str, key: str, text: str) -> list[FileResult] | None:
        try:
            self._select(path)
            stored = self._shard.get(path)
            if not isinstance(stored, list) or len(stored) != 2 or stored[0] != key:
                return None
            return [_decode(entry, text) for entry in stored[1]]
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None  # an entry from another format: lint again

    def put(self, path: str, key: str, results: list[FileResult]) -> None:
        if not self._writable:
            return
        try:
            entry = [key, [_encode(r) for r in results]]
        except (_Uncacheable, TypeError, ValueError):
            return
        self._select(path)
        self._pending[path] = entry

    def flush(self) -> None:
        """Write the current shard's new entries (merged with what another process may have written)."""
        if not self._pending or self._shard_name is None:
            self._pending = {}
            return
        shard, pending = self._shard_name, self._pending
        self._pending = {}
        try:
            self._prepare(os.path.dirname(shard))
            merged = self._read_shard(shard)
            merged.update(pending)
            self._shard = merged
            temporary = f"{shard}.{os.getpid()}.tmp"
            # Compressed: messages repeat, and a run writes a tenth of the bytes (less for the disk to do).
            data = zlib.compress(marshal.dumps(merged), 1)
            with open(temporary, "wb") as fh:
                fh.write(data)
            os.replace(temporary, shard)  # readers see the old shard or the new one, never half of one
        except (OSError, TypeError, ValueError):
            self._writable = False  # read-only tree, full disk: stop trying for this run

    def _prepare(self, folder: str) -> None:
        if os.path.isdir(folder):
            return
        if not os.path.isdir(self.folder):
            os.makedirs(self.folder, exist_ok=True)
            # The cache ignores itself in git, wherever the project keeps it.
            with open(os.path.join(self.folder, ".gitignore"), "w", encoding="utf-8") as fh:
                fh.write("# Created by rnnlint: the whole cache folder is ignored.\n*\n")
        os.makedirs(folder, exist_ok=True)
