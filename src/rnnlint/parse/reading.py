"""Any config file to a :class:`~rnnlint.parse.source.Source`: text files decoded by :mod:`rnnlint.parse.source`,
Keras model files (``.keras`` archives, HDF5) opened by :mod:`rnnlint.parse.keras_files`.

Both readers sit below this module, so neither needs the other.
"""

from __future__ import annotations

from rnnlint.parse.source import DEFAULT_MAX_FILE_BYTES, MODEL_FILE_SUFFIXES, Source, read_text


def read_source(path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES, stdin: bytes | None = None) -> Source:
    """Read and decode one file; every failure becomes a located RNN001 problem."""
    if stdin is None and path.lower().endswith(MODEL_FILE_SUFFIXES):
        from rnnlint.parse.keras_files import read_model_file  # zipfile / h5py only for such files

        return read_model_file(path, max_bytes)
    return read_text(path, max_bytes, stdin)
