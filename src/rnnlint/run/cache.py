"""A results cache: an unchanged file under unchanged settings is not linted again.

Entries live under ``.rnnlint_cache/`` in the project root (the configuration's directory, or
the working directory), one small file per directory of linted files, so a run reads only
the entries it needs and memory does not grow with the cache. The key covers everything a result
depends on: the path as given, the decoded text, the settings (``repr`` of the frozen
:class:`~rnnlint.settings.Settings`, which holds the configuration and command-line options), and
rnnlint itself (its version and the size and mtime of every module, so an upgrade or an edit to
rnnlint invalidates everything) and PyYAML (the size and mtime of its files, found without
importing it). Jsonnet files are never cached: their imports are other files.

A cache that cannot be read or written (a read-only directory, a corrupt or truncated entry, a
full disk) is a miss, never an error: the file is linted as if there were no cache.

Each file's results are stored twice: the text format's plain lines and summary counts,
ready to write (a text run served from the cache builds no result objects), and the full
results for every other format, all of a shard's in one marshal blob that is read only when a
run in another format asks for them. Nothing is compressed: compressing the results cost a cold
run more than writing them whole (zlib alone was about 3% of a cold text run).

Shards are written with :mod:`marshal` (plain tuples, lists, dicts, strings, bytes and numbers;
it builds and reads them several times faster than JSON, and never runs code), behind a CRC-32
of the payload, so a damaged shard is a miss. marshal's format depends on the Python version,
which is part of every key.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import zlib
from functools import lru_cache
from typing import Any, NamedTuple

from rnnlint import __version__
from rnnlint.result import FileResult, LayerResult, OmittedPart, Violation

CACHE_DIR = ".rnnlint_cache"
# Bumped when the entry format changes.
FORMAT = "11"
_UNCACHED_SUFFIXES = (".jsonnet", ".libsonnet")
# What the summary line needs of one result: skipped, errors, warnings, notes, recurrent layers.
# skipped, errors, warnings, notes, recurrent layers, and whether the file's own configuration is strict.
TallyKey = tuple[bool, int, int, int, int, bool]
_TALLY_TYPES = (bool, int, int, int, int, bool)
# One file for the text format: its plain (uncoloured) lines and each result's tally key.
Plain = tuple[str, list[TallyKey]]


def _hash(data: bytes = b"") -> hashlib.blake2b:
    """A 256-bit BLAKE2b hasher (hexdigest: 64 hex digits); BLAKE2b is faster than SHA-256 for these short texts."""
    return hashlib.blake2b(data, digest_size=32)


class _Uncacheable(Exception):
    """A result holding something the entry format does not know (never stored)."""


# The libraries whose behaviour is in a stored result: PyYAML reads the files, jsonschema words RNN002.
_LIBRARIES = ("yaml", "jsonschema")


def _library_files(name: str) -> list[str]:
    """A library's top-level module files, found without importing it (a run served from the cache
    never does): an upgrade or reinstall rewrites them, so their stat stands for its version."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec(name)
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
    return _hash("\n".join(fingerprint_parts()).encode()).hexdigest()


def fingerprint_parts() -> list[str]:
    """rnnlint's version, Python's, and the stat of every rnnlint module (every stage package) and of
    the libraries' files."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # rnnlint/, above run/
    parts = [__version__, FORMAT, sys.version]
    for folder, _dirs, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                path = os.path.join(folder, name)
                parts.append(_stamp(path, os.path.relpath(path, package)))
    parts.extend(_stamp(path, path) for name in _LIBRARIES for path in _library_files(name))
    return parts


# One result as stored: FileResult.FIELDS in order (source_text is left out: the caller has the
# text, and it is in the key), with layers and diagnostics as plain tuples.
_LAYERS = FileResult.FIELDS.index("layers")
_DIAGNOSTICS = FileResult.FIELDS.index("diagnostics")
_LIMITS = FileResult.FIELDS.index("limits")
_OMITTED = FileResult.FIELDS.index("omitted")
_SCALARS = (type(None), bool, int, float, str)


def _encode(result: FileResult) -> tuple[Any, ...]:
    """FileResult.FIELDS in order, rows as plain tuples (marshal stores exact tuples only)."""
    r = result
    head = (r.path, r.dialect, r.framework, r.total_params, r.counted_params, r.recurrent_params, r.complete)
    tail = (r.skipped, r.skip_reason, r.document)
    for value in (*head, *tail):
        if type(value) not in _SCALARS:
            raise _Uncacheable(value)
    # Rows are NamedTuples of scalars by their types; anything else makes marshal refuse the
    # shard, which is then a miss, never a wrong hit.
    limits = {str(name): tuple(limit) for name, limit in r.limits.items()} if r.limits else {}
    omitted = list(map(tuple, r.omitted))
    if type(r.base_total) not in _SCALARS or type(r.base_ref) is not str:
        raise _Uncacheable(r.base_total)
    rows = (list(map(tuple, r.layers)), list(map(tuple, r.diagnostics)))
    return (*head, *rows, *tail, limits, omitted, r.base_total, r.base_ref, bool(r.strict))


def _decode(entry: tuple[Any, ...], text: str | None) -> FileResult:
    if len(entry) != len(FileResult.FIELDS):
        raise ValueError("an entry of another shape")
    values = list(entry)
    values[_LAYERS] = [LayerResult(*row) for row in entry[_LAYERS]]
    values[_DIAGNOSTICS] = [Violation(*row) for row in entry[_DIAGNOSTICS]]
    values[_LIMITS] = {name: (limit[0], limit[1]) for name, limit in entry[_LIMITS].items()}
    values[_OMITTED] = [OmittedPart(*row) for row in entry[_OMITTED]]
    result = FileResult(*values)
    result.source_text = text
    return result


class Shard(NamedTuple):
    """One directory's entries: by path, [key, plain text, tally keys, display path] (what a text run reads),
    and the full results, by path [key, encoded results], as one marshal blob (loaded only when
    a run in another format, or a write, needs them)."""

    plain: dict[str, Any]
    results: bytes


def _empty() -> Shard:
    return Shard({}, b"")  # a new dict each time: flush() adds to it


def load_shard(shard: str) -> Shard:
    """The shard stored at ``shard``; empty when it is absent, truncated, damaged or not a shard."""
    try:
        with open(shard, "rb") as fh:
            data = fh.read()
        payload = memoryview(data)[4:]
        if len(data) < 4 or zlib.crc32(payload) != int.from_bytes(data[:4], "little"):
            return _empty()  # truncated or damaged: every file in it is a miss
        stored = marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return _empty()  # absent or unreadable: every file in it is a miss
    if type(stored) is not tuple or len(stored) != 2 or type(stored[0]) is not dict or type(stored[1]) is not bytes:
        return _empty()
    return Shard(*stored)


def write_shard(shard: str, value: Shard) -> None:
    """Write ``value`` to ``shard``: a CRC-32 of the payload (little-endian), then the marshal payload.

    The shard as a whole is not compressed: the plain text is what a warm text run reads, and
    inflating it would cost that run more than reading it whole."""
    payload = marshal.dumps(tuple(value))
    with open(shard, "wb") as fh:
        fh.write(zlib.crc32(payload).to_bytes(4, "little"))
        fh.write(payload)


def pack_results(results: dict[str, Any]) -> bytes:
    """A shard's full results by path, as the blob :func:`load_results` reads."""
    return marshal.dumps(results)


def load_results(blob: bytes) -> dict[str, Any]:
    """A shard's full results by path (empty when there are none or they are damaged)."""
    if not blob:
        return {}
    try:
        stored = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return {}
    return stored if type(stored) is dict else {}


class Cache:
    """Results by file; every failure is a miss (reads) or a no-op (writes).

    Entries are grouped in one shard per directory of linted files (a walk visits a
    directory's files together), holding for each path its latest key and results: a run
    reads and writes one small file per directory, keeps one shard in memory, and an edited
    file's old entry is replaced rather than left behind.
    """

    def __init__(self, root: str, settings_repr: str) -> None:
        self.folder = os.path.join(root, CACHE_DIR)
        self._base = _hash(f"{code_fingerprint()}\0{settings_repr}".encode()).hexdigest()
        self._seed = _hash(self._base.encode())  # every key starts from it
        self._shard_name: str | None = None
        self._directory: str | None = None
        self._shard = _empty()
        self._results: dict[str, Any] | None = None  # the shard's results, once loaded
        # path -> (plain entry, results entry), written by flush()
        self._pending: dict[str, tuple[list[Any], list[Any]]] = {}
        self._writable = True

    def key(self, path: str, text: str, walked: bool = False, variant: str = "") -> str | None:
        """``walked``: the file was met by walking a directory (a walk may skip what a named file reports);
        ``variant``: the file's own settings when they are not the run's (a nested configuration)."""
        if path == "-" or path.lower().endswith(_UNCACHED_SUFFIXES):
            return None
        digest = self._seed.copy()
        digest.update(path.encode("utf-8", "surrogatepass"))
        digest.update(b"\0walked\0" if walked else b"\0")
        if variant:
            digest.update(variant.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _shard_path(self, path: str) -> str:
        directory = os.path.dirname(os.path.abspath(path))
        name = _hash(f"{self._base}\0{directory}".encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.folder, FORMAT, name[:32] + ".bin")

    def _select(self, path: str) -> None:
        directory = os.path.dirname(path)
        if directory == self._directory and self._shard_name is not None:
            return  # the walk's files come directory by directory: usually the shard in hand
        self._directory = directory
        shard = self._shard_path(path)
        if shard != self._shard_name:
            self.flush()
            self._shard_name = shard
            self._shard = load_shard(shard)
            self._results = None

    def _plain_entry(self, path: str, key: str) -> list[Any] | None:
        """The stored [key, plain text, tally keys, display path] for ``path`` under ``key``."""
        self._select(path)
        stored = self._shard.plain.get(path)
        if type(stored) is not list or len(stored) != 4 or stored[0] != key:
            return None
        return stored

    def get(self, path: str, key: str, text: str | None) -> list[FileResult] | None:
        """The results stored for ``path`` under ``key`` (``text``: their source text), or None."""
        try:
            if self._plain_entry(path, key) is None:
                return None
            if self._results is None:
                self._results = load_results(self._shard.results)
            stored = self._results.get(path)
            if type(stored) is not list or len(stored) != 2 or stored[0] != key:
                return None
            return [_decode(entry, text) for entry in stored[1]]
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None  # an entry from another format: lint again

    def get_plain(self, path: str, key: str, display: str) -> Plain | None:
        """The text format's plain lines and tally keys stored for ``path`` under ``key``, or None.

        ``display``: the path as this run prints it. The lines hold the path as the storing run printed
        it, which for an absolute path depends on the working directory: another one is a miss here
        (the full results, cwd-free, are still there for :meth:`get`)."""
        try:
            stored = self._plain_entry(path, key)
        except (ValueError, TypeError):
            return None
        if stored is None or stored[3] != display:
            return None
        lines, tally = stored[1], stored[2]
        if type(lines) is not str or type(tally) is not list:
            return None
        for item in tally:
            if type(item) is not tuple or tuple(map(type, item)) != _TALLY_TYPES:
                return None
        return lines, tally

    def put(self, path: str, key: str, results: list[FileResult], plain: Plain, display: str) -> None:
        """Store ``results`` and their text-format rendering ``plain`` (no colour, the path shown as
        ``display``) under ``key``."""
        if not self._writable:
            return
        try:
            encoded = [_encode(r) for r in results]
        except (_Uncacheable, TypeError, ValueError):
            return
        self._select(path)
        self._pending[path] = ([key, plain[0], plain[1], display], [key, encoded])

    def flush(self) -> None:
        """Write the current shard's new entries (merged with what another process may have written)."""
        if not self._pending or self._shard_name is None:
            self._pending = {}
            return
        shard, pending = self._shard_name, self._pending
        self._pending = {}
        try:
            self._prepare(os.path.dirname(shard))
            stored = load_shard(shard)
            plain, results = stored.plain, load_results(stored.results)
            for path, (plain_entry, results_entry) in pending.items():
                plain[path] = plain_entry
                results[path] = results_entry
            merged = Shard(plain, pack_results(results))
            temporary = f"{shard}.{os.getpid()}.tmp"
            try:
                write_shard(temporary, merged)
                os.replace(temporary, shard)  # readers see the old shard or the new one, never half of one
            except BaseException:
                # A full disk (or an interrupt) mid-write: no half-written temporary is left behind.
                _remove(temporary)
                raise
            self._shard, self._results = merged, results
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
        else:
            _remove_old_formats(self.folder)
        os.makedirs(folder, exist_ok=True)


def _remove(path: str) -> None:
    import contextlib

    with contextlib.suppress(OSError):  # never written, or already gone
        os.unlink(path)


def _remove_old_formats(cache_folder: str) -> None:
    """Delete the folders of earlier entry formats (an upgraded rnnlint never reads them again).

    Only folders rnnlint made are touched: their names are format numbers, inside the cache
    folder; anything else there is left alone, and a failure only leaves the old files behind."""
    import shutil

    try:
        names = os.listdir(cache_folder)
    except OSError:
        return
    for name in names:
        path = os.path.join(cache_folder, name)
        if name.isdigit() and name != FORMAT and os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
