"""rnnlint: exact parameter counts and budgets for the recurrent layers in ML model configs.

The public API is :func:`count` and :func:`lint` (see :mod:`rnnlint.app.api`). They are imported on
first use, so that the console script, which imports this package, starts no slower.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time (start-up time)
__version__ = "0.1.0"

__all__ = ["CountError", "FileResult", "LayerResult", "ModelCount", "Violation", "__version__", "count", "lint"]

if TYPE_CHECKING:
    from typing import Any

    from rnnlint.app.api import CountError, FileResult, LayerResult, ModelCount, Violation, count, lint


def __getattr__(name: str) -> Any:
    if name in __all__:
        from rnnlint.app import api

        return getattr(api, name)
    raise AttributeError(f"module 'rnnlint' has no attribute {name!r}")
