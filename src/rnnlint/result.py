"""The records that flow from the checks to the reporters."""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "note"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")


class Violation(NamedTuple):
    """One diagnostic. The engine, not the rule, stamps code and severity."""

    code: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None


class LayerResult(NamedTuple):
    name: str
    type: str
    line: int
    column: int
    params: int | None
    recurrent: bool
    formula: str
    end_line: int | None = None
    # The features the layer takes in and hands on, where known (the count table shows them).
    input_size: int | None = None
    output_size: int | None = None
    # Of ``params``, those the framework keeps but does not train (Keras moving statistics, frozen layers).
    non_trainable: int = 0


class OmittedPart(NamedTuple):
    """A part of the model the toolkit builds that is not counted (model.Omission, as reported)."""

    message: str
    line: int
    column: int


class FileResult:
    """Everything rnnlint found in one file (one document of a multi-document YAML file).

    A plain class with slots (not a dataclass: that import alone costs start-up time); the
    engine fills it in after creating it.
    """

    # Compared, shown and cached, in the constructor's order; source_text is none of these (it is
    # the input, not a finding).
    FIELDS = (
        "path",
        "dialect",
        "framework",
        "total_params",
        "counted_params",
        "recurrent_params",
        "complete",
        "layers",
        "diagnostics",
        "skipped",
        "skip_reason",
        "document",
        "limits",
        "omitted",
        "base_total",
        "base_ref",
        "strict",
    )
    __slots__ = (*FIELDS, "source_text")

    def __init__(
        self,
        path: str,
        dialect: str | None = None,
        framework: str | None = None,
        total_params: int | None = None,
        counted_params: int | None = None,
        recurrent_params: int | None = None,
        complete: bool = True,
        layers: list[LayerResult] | None = None,
        diagnostics: list[Violation] | None = None,
        skipped: bool = False,
        skip_reason: str = "",
        document: int | None = None,
        limits: dict[str, tuple[float, str]] | None = None,
        omitted: list[OmittedPart] | None = None,
        base_total: int | None = None,
        base_ref: str = "",
        strict: bool = False,
        source_text: str | None = None,
    ) -> None:
        self.path = path
        self.dialect = dialect
        self.framework = framework
        # The model's total: None unless every part is counted (then counted_params is a lower bound).
        self.total_params = total_params
        # The sum of the parts counted; None when nothing could be counted (unknown, never 0).
        self.counted_params = counted_params
        self.recurrent_params = recurrent_params
        self.complete = complete
        self.layers: list[LayerResult] = [] if layers is None else layers
        self.diagnostics: list[Violation] = [] if diagnostics is None else diagnostics
        # True when the file is not a model config rnnlint knows (counted, not reported).
        self.skipped = skipped
        self.skip_reason = skip_reason
        self.document = document
        # Limits in force, name -> (value, where it came from); used by summaries.
        self.limits: dict[str, tuple[float, str]] = {} if limits is None else limits
        # What the total leaves out (JSON ``omitted``); RNN106 notes them only beside recurrent layers.
        self.omitted: list[OmittedPart] = [] if omitted is None else omitted
        # With --diff-base: the model's total at the base (None when unknown there) and the base's commit.
        self.base_total = base_total
        self.base_ref = base_ref
        # The file's own configuration makes its warnings fail (strict = true in its nearest configuration).
        self.strict = strict
        # The file's text, for reporters that quote source lines (full, sarif fingerprints).
        self.source_text = source_text

    def __eq__(self, other: object) -> bool:
        if type(other) is not FileResult:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"FileResult({inner})"

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)


class RunResult:
    __slots__ = ("files", "internal_errors", "strict")

    def __init__(self, files: list[FileResult], strict: bool = False, internal_errors: int = 0) -> None:
        self.files = files
        self.strict = strict
        # Files an rnnlint bug kept from being linted: the run fails (exit 2), and the summary says so.
        self.internal_errors = internal_errors

    @property
    def linted(self) -> list[FileResult]:
        return [f for f in self.files if not f.skipped]

    def totals(self) -> dict[str, int]:
        """Diagnostics per severity, from one pass over every file's diagnostics."""
        counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for f in self.files:
            for d in f.diagnostics:
                counts[d.severity] += 1
        return counts

    def total(self, severity: Severity) -> int:
        return self.totals()[severity]

    def _failed(self, totals: dict[str, int]) -> bool:
        if totals["error"] > 0 or self.internal_errors > 0:
            return True
        if not totals["warning"]:
            return False
        # Warnings fail under --strict (or the run's configuration), or in a file whose own configuration says so.
        return self.strict or any(f.strict and f.count("warning") for f in self.files)

    @property
    def failed(self) -> bool:
        return self._failed(self.totals())

    def summary(self) -> dict[str, int | bool]:
        linted = self.linted
        totals = self.totals()
        return {
            "files": len(self.files),
            "linted": len(linted),
            "skipped": len(self.files) - len(linted),
            "errors": totals["error"],
            "warnings": totals["warning"],
            "notes": totals["note"],
            "recurrent_layers": sum(1 for f in linted for layer in f.layers if layer.recurrent),
            "internal_errors": self.internal_errors,
            "failed": self._failed(totals),
        }
