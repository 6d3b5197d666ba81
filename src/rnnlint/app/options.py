"""What a ``check``/``count`` run was asked to do: built by the click CLI, read by the runner.

Kept free of click and dataclasses: the runner and the API import it without either, and start-up
time is most of a one-file run.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not needed at run time (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

# CheckArgs' fields in the order of its constructor (and of its repr).
_FIELDS = (
    "paths",
    "format",
    "output_file",
    "config",
    "isolated",
    "stdin_filename",
    "exit_zero",
    "cli",
    "jobs",
    "cache",
    "verbose",
    "dtype",
)


class CheckArgs:
    """The parsed command line of ``check`` (``count`` uses a subset)."""

    __slots__ = _FIELDS

    def __init__(
        self,
        paths: tuple[str, ...],
        format: str = "text",
        output_file: str | None = None,
        config: str | None = None,
        isolated: bool = False,
        stdin_filename: str | None = None,
        exit_zero: bool = False,
        cli: dict[str, Any] | None = None,
        jobs: int | None = None,
        cache: bool = True,
        verbose: bool = False,
        dtype: str = "fp32",
    ) -> None:
        self.paths = paths
        self.format = format
        self.output_file = output_file
        self.config = config
        self.isolated = isolated
        self.stdin_filename = stdin_filename
        self.exit_zero = exit_zero
        # Settings given on the command line, passed to Settings.with_cli (None: not given).
        self.cli: dict[str, Any] = {} if cli is None else cli
        # Worker processes (0: every core; None: decided from the number of files) and the results cache.
        self.jobs = jobs
        self.cache = cache
        # List the files skipped, and why, on stderr.
        self.verbose = verbose
        # ``count``: the width of a parameter in bytes comes from this dtype.
        self.dtype = dtype

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, CheckArgs)
        return self._values() == other._values()

    # Mutable and compared by value, so not hashable (as the dataclass it replaces).
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in _FIELDS)
        return f"CheckArgs({fields})"


def split_codes(values: Iterable[str]) -> tuple[tuple[str, ...], str | None]:
    """``--select``/``--ignore`` values (each comma separated) as upper-case codes.

    Returns the codes and the first one that is not a rule code or prefix (None when all are).
    """
    out: list[str] = []
    for value in values:
        out.extend(v.strip().upper() for v in value.split(",") if v.strip())
    bad = next((code for code in out if not code.startswith("RNN")), None)
    return tuple(out), bad
