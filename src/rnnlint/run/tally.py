"""What the summary needs of files already reported, in memory that does not grow with their number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rnnlint.result import SEVERITIES, FileResult, LayerResult, RunResult, Severity, Violation

if TYPE_CHECKING:
    from rnnlint.run.cache import TallyKey


class Tally:
    """What the summary needs of files already reported, in memory that does not grow per file.

    Each file is replaced by a shared stand-in with the same counts (skipped, diagnostics per
    severity, recurrent layers), so ``RunResult.summary()`` gives exactly the figures the full
    results would give.
    """

    def __init__(self) -> None:
        self.files: list[FileResult] = []
        self._standins: dict[TallyKey, FileResult] = {}
        self._totals = [0, 0, 0]  # errors, warnings, notes

    def run(self, strict: bool) -> RunResult:
        """The run as the summary sees it: every file's stand-in, and the diagnostics counted."""
        return _TalliedRun(self.files, strict, dict(zip(SEVERITIES, self._totals, strict=True)))

    @staticmethod
    def key(result: FileResult) -> TallyKey:
        """What the summary needs of one file: skipped, errors, warnings, notes, recurrent layers."""
        by_severity = {"error": 0, "warning": 0, "note": 0}
        for diagnostic in result.diagnostics:  # one pass, not one per severity
            if diagnostic.severity in by_severity:
                by_severity[diagnostic.severity] += 1
        return (
            result.skipped,
            by_severity["error"],
            by_severity["warning"],
            by_severity["note"],
            sum(1 for layer in result.layers if layer.recurrent),
            result.strict,
        )

    def add(self, result: FileResult) -> None:
        self.add_key(self.key(result))

    def add_key(self, key: TallyKey) -> None:
        totals = self._totals
        totals[0] += key[1]
        totals[1] += key[2]
        totals[2] += key[3]
        standin = self._standins.get(key)
        if standin is None:
            wanted: tuple[tuple[Severity, int], ...] = (("error", key[1]), ("warning", key[2]), ("note", key[3]))
            severities = [severity for severity, n in wanted for _ in range(n)]
            standin = FileResult(
                path="",
                skipped=key[0],
                diagnostics=[Violation("", severity, "", 0, 0) for severity in severities],
                layers=[LayerResult("", "", 0, 0, None, True, "") for _ in range(key[4])],
                strict=key[5],
            )
            self._standins[key] = standin
        self.files.append(standin)


class _TalliedRun(RunResult):
    """A :class:`Tally`'s run: its diagnostics counted as they were added, not again for every
    question the summary and the exit code ask."""

    __slots__ = ("_counts",)

    def __init__(self, files: list[FileResult], strict: bool, counts: dict[str, int]) -> None:
        super().__init__(files, strict)
        self._counts = counts

    def totals(self) -> dict[str, int]:
        return dict(self._counts)
