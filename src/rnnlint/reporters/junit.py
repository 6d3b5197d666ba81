"""JUnit XML: one test case per config file, failing when the file has findings that fail.

The document follows the Jenkins xUnit plugin's ``junit-10.xsd``, the schema GitLab and Jenkins read: a test
case carries only ``name``, ``classname`` (and ``time``, ``group``), and ``testsuites`` has no ``skipped``
count (``testsuite`` does).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from rnnlint.reporters import ReportOptions
from rnnlint.reporters.common import file_failed, relative_path
from rnnlint.result import FileResult, RunResult

# Characters XML 1.0 cannot hold at all, even escaped (a config may contain them), and lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

NAME = "junit"
DESCRIPTION = "JUnit XML, one test case per config file"


def _by_path(run: RunResult) -> dict[str, list[FileResult]]:
    grouped: dict[str, list[FileResult]] = {}
    for result in run.files:
        grouped.setdefault(result.path, []).append(result)
    return grouped


def _lines(path: str, results: list[FileResult]) -> list[str]:
    return [
        _NOT_XML.sub("?", f"{path}:{v.line}:{v.column}: {v.code} [{v.severity}] {v.message}")
        for r in results
        for v in r.diagnostics
    ]


def build(run: RunResult) -> ET.Element:
    suites = ET.Element("testsuites", name="rnnlint")
    suite = ET.SubElement(suites, "testsuite", name="rnnlint")
    tests = failures = skipped = 0
    for raw_path, results in _by_path(run).items():
        path = _NOT_XML.sub("?", relative_path(raw_path))
        case = ET.SubElement(suite, "testcase", classname="rnnlint", name=path)
        tests += 1
        if all(r.skipped for r in results):
            skipped += 1
            ET.SubElement(case, "skipped", message=_NOT_XML.sub("?", results[0].skip_reason or "not a model config"))
            continue
        failing = [r for r in results if file_failed(r, run.strict)]
        lines = _lines(path, results)
        if failing:
            failures += 1
            errors = sum(r.count("error") for r in results)
            warnings = sum(r.count("warning") for r in results)
            failure = ET.SubElement(case, "failure", message=f"{errors} errors, {warnings} warnings", type="rnnlint")
            failure.text = "\n".join(lines)
        elif lines:
            ET.SubElement(case, "system-out").text = "\n".join(lines)
    for element in (suites, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", "0")
    suite.set("skipped", str(skipped))
    return suites


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    root = build(run)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
