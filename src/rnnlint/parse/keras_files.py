"""Keras model files: the model JSON inside a ``.keras`` archive or a legacy HDF5 ``.h5`` file.

Keras 3 saves ``model.save("m.keras")`` as a zip whose ``config.json`` is the same model JSON the
``keras-json`` dialect reads (``model.to_json()``); it is read with :mod:`zipfile`, importing no
Keras. Legacy ``model.save("m.h5")`` files keep that JSON in the root's ``model_config``
attribute, read with ``h5py`` (optional extra: ``pip install 'rnnlint[h5]'``; without it each
``.h5`` file gets one note). Only the JSON is read, never the weights, so the size cap applies to
the JSON. Positions are in the JSON (``config.json`` line:column); the engine says so in every
message. A file that is not a Keras model (another zip, an HDF5 data file) is a "not a Keras model
file" problem, which a directory walk skips.
"""

from __future__ import annotations

import os
import stat

from rnnlint import codes
from rnnlint.model import Span
from rnnlint.parse.source import H5_SUFFIXES, Problem, Source, _decode

NOT_KERAS = "not a Keras model file"
H5_INSTALL_HINT = "pip install 'rnnlint[h5]'"
MISSING_H5PY_NOTE = (
    "HDF5 model file not read: reading .h5 files needs h5py, an optional extra; install it with "
    f"{H5_INSTALL_HINT} to lint this file"
)
ARCHIVE_MEMBER = "config.json"
H5_MEMBER = "model_config attribute"
# An HDF5 file starts with this signature at offset 0 (or 512, 1024, ... after a user block).
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def _problem(path: str, message: str, code: str = codes.RNN001) -> Source:
    return Source(path, None, Problem(code, message, Span(1, 1)))


def _too_large(path: str, size: int, max_bytes: int, what: str) -> Source | None:
    if size <= max_bytes:
        return None
    return _problem(
        path,
        f"the model JSON ({what}, {size:,} bytes) is larger than the size cap of {max_bytes:,} bytes; "
        "not read (raise it with max_file_bytes or --max-file-bytes)",
    )


def read_model_file(path: str, max_bytes: int) -> Source:
    """The model JSON of a Keras model file as a :class:`Source` (``member`` names where it was)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return _problem(path, f"cannot read file: {exc.strerror or exc}")
    if not stat.S_ISREG(mode):
        return _problem(path, "not a regular file; not read")
    if path.lower().endswith(H5_SUFFIXES):
        return _read_h5(path, max_bytes)
    return _read_archive(path, max_bytes)


def _read_archive(path: str, max_bytes: int) -> Source:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo(ARCHIVE_MEMBER)
            except KeyError:
                return _problem(path, f"{NOT_KERAS}: the archive holds no {ARCHIVE_MEMBER}")
            large = _too_large(path, info.file_size, max_bytes, ARCHIVE_MEMBER)
            if large is not None:
                return large
            raw = archive.read(info)
    except zipfile.BadZipFile:
        return _problem(path, f"{NOT_KERAS}: not a zip archive (Keras 3 saves .keras files as zip archives)")
    except (OSError, RuntimeError, NotImplementedError, ValueError) as exc:  # unreadable, encrypted, ...
        return _problem(path, f"{NOT_KERAS}: {ARCHIVE_MEMBER} cannot be read from the archive ({exc})")
    return _source(path, raw, ARCHIVE_MEMBER)


def _is_hdf5(path: str) -> bool:
    with open(path, "rb") as handle:
        offset = 0
        while offset <= 1 << 20:
            handle.seek(offset)
            if handle.read(8) == _HDF5_SIGNATURE:
                return True
            offset = 512 if offset == 0 else offset * 2
    return False


def _read_h5(path: str, max_bytes: int) -> Source:
    try:
        if not _is_hdf5(path):
            return _problem(path, f"{NOT_KERAS}: not an HDF5 file")
    except OSError as exc:
        return _problem(path, f"cannot read file: {exc.strerror or exc}")
    try:
        import h5py  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return _problem(path, MISSING_H5PY_NOTE, code=codes.RNN104)
    try:
        with h5py.File(path, "r") as handle:
            value = handle.attrs.get("model_config")
    except (OSError, ValueError, KeyError) as exc:
        return _problem(path, f"{NOT_KERAS}: the HDF5 file does not open ({exc})")
    if value is None:
        return _problem(path, f"{NOT_KERAS}: the HDF5 file has no model_config attribute (weights or data only)")
    raw = value if isinstance(value, bytes) else str(value).encode("utf-8")
    large = _too_large(path, len(raw), max_bytes, H5_MEMBER)
    if large is not None:
        return large
    return _source(path, raw, H5_MEMBER)


def _source(path: str, raw: bytes, member: str) -> Source:
    text, problem, bom = _decode(raw)
    if problem is not None:
        problem = problem._replace(message=f"{NOT_KERAS}: its {member} is {problem.message}")
    return Source(path, text, problem, bom, member)
