"""JUnit XML: one test case per config file, failing when the file has findings that fail.

The document follows the Jenkins xUnit plugin's ``junit-10.xsd``, the schema GitLab and Jenkins read: a test
case carries only ``name``, ``classname`` (and ``time``, ``group``), and ``testsuites`` has no ``skipped``
count (``testsuite`` does).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import NamedTuple, TextIO

from rnnlint import reporters
from rnnlint.reporters import ReportOptions
from rnnlint.reporters.common import copy_spool, file_failed, relative_path, spool
from rnnlint.result import FileResult, RunResult

# Characters XML 1.0 cannot hold at all, even escaped (a config may contain them), and lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

NAME = "junit"
DESCRIPTION = "JUnit XML, one test case per config file"
STREAMS = True
NEEDS_SOURCE = False


def _lines(path: str, results: list[FileResult]) -> list[str]:
    return [
        _NOT_XML.sub("?", f"{path}:{v.line}:{v.column}: {v.code} [{v.severity}] {v.message}")
        for r in results
        for v in r.diagnostics
    ]


class Case(NamedTuple):
    element: ET.Element
    failed: bool
    skipped: bool


def case_of(results: list[FileResult], strict: bool) -> Case:
    """One config file's test case (all of its documents' results)."""
    path = _NOT_XML.sub("?", relative_path(results[0].path))
    case = ET.Element("testcase", classname="rnnlint", name=path)
    if all(r.skipped for r in results):
        ET.SubElement(case, "skipped", message=_NOT_XML.sub("?", results[0].skip_reason or "not a model config"))
        return Case(case, False, True)
    failing = [r for r in results if file_failed(r, strict)]
    lines = _lines(path, results)
    if failing:
        errors = sum(r.count("error") for r in results)
        warnings = sum(r.count("warning") for r in results)
        failure = ET.SubElement(case, "failure", message=f"{errors} errors, {warnings} warnings", type="rnnlint")
        failure.text = "\n".join(lines)
    elif lines:
        ET.SubElement(case, "system-out").text = "\n".join(lines)
    return Case(case, bool(failing), False)


def _frame(tests: int, failures: int, skipped: int, cases: list[ET.Element]) -> ET.Element:
    suites = ET.Element("testsuites", name="rnnlint")
    suite = ET.SubElement(suites, "testsuite", name="rnnlint")
    suite.extend(cases)
    for element in (suites, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", "0")
    suite.set("skipped", str(skipped))
    return suites


# Where the test cases go in the frame (an element name no report holds).
_CASES = "rnnlint-test-cases"


class Writer:
    """Test cases as they come, to a spool (memory, then a temporary file): the suites' counts are
    attributes of the elements that enclose them, written at the end, then the cases copied after."""

    def __init__(self, out: TextIO, strict: bool) -> None:
        self._out = out
        self._strict = strict
        self._spool = spool()
        self.tests = self.failures = self.skipped = 0

    def add(self, results: list[FileResult]) -> None:
        if not results:
            return
        case = case_of(results, self._strict)
        ET.indent(case.element, level=2)  # as ET.indent(whole document) leaves a test case and its children
        self._spool.write(("" if not self.tests else "\n    ") + ET.tostring(case.element, encoding="unicode"))
        self.tests += 1
        self.failures += case.failed
        self.skipped += case.skipped

    def close(self, run: RunResult) -> None:
        out = self._out
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        cases = [ET.Element(_CASES)] if self.tests else []
        frame = _frame(self.tests, self.failures, self.skipped, cases)
        ET.indent(frame)
        head, _, tail = ET.tostring(frame, encoding="unicode").partition(f"<{_CASES} />")
        out.write(head)
        copy_spool(self._spool, out)
        out.write(tail + "\n")


def writer(out: TextIO, options: ReportOptions, strict: bool) -> Writer:
    return Writer(out, strict)


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    reporters.write_all(writer(out, options, run.strict), run, by_path=True)
