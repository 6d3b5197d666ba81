"""The records that flow from the checks to the reporters."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class LayerResult:
    name: str
    type: str
    line: int
    column: int
    params: int | None
    recurrent: bool
    formula: str
    end_line: int | None = None


@dataclass
class FileResult:
    """Everything rnnlint found in one file (one document of a multi-document YAML file)."""

    path: str
    dialect: str | None = None
    framework: str | None = None
    total_params: int | None = None
    recurrent_params: int | None = None
    complete: bool = True
    layers: list[LayerResult] = field(default_factory=list)
    diagnostics: list[Violation] = field(default_factory=list)
    # True when the file is not a model config rnnlint knows (counted, not reported).
    skipped: bool = False
    skip_reason: str = ""
    document: int | None = None
    # Limits in force, name -> (value, where it came from); used by summaries.
    limits: dict[str, tuple[float, str]] = field(default_factory=dict)
    # The file's text, for reporters that quote source lines (full, sarif fingerprints).
    source_text: str | None = field(default=None, repr=False, compare=False)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)


@dataclass
class RunResult:
    files: list[FileResult]
    strict: bool = False

    @property
    def linted(self) -> list[FileResult]:
        return [f for f in self.files if not f.skipped]

    def total(self, severity: Severity) -> int:
        return sum(f.count(severity) for f in self.files)

    @property
    def failed(self) -> bool:
        return self.total("error") > 0 or (self.strict and self.total("warning") > 0)

    def summary(self) -> dict[str, int | bool]:
        linted = self.linted
        return {
            "files": len(self.files),
            "linted": len(linted),
            "skipped": len(self.files) - len(linted),
            "errors": self.total("error"),
            "warnings": self.total("warning"),
            "notes": self.total("note"),
            "recurrent_layers": sum(1 for f in linted for layer in f.layers if layer.recurrent),
            "failed": self.failed,
        }
