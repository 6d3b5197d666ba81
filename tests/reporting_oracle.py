"""The whole-document reporters as they were before the reports were streamed: every result held, then one
document built and written. The streamed writers must give these bytes (tests/equivalence/test_streaming.py).

Only the assembly is kept here; the per-file pieces (a file's JSON entry, its SARIF results, ...) are the
reporters' own, so what this oracle checks is the order, nesting, separators and counts of the streams.
"""

from __future__ import annotations

import os
import pathlib
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from rnnlint import __version__
from rnnlint.reporters import gitlab, json_format, jsontext, junit, sarif
from rnnlint.reporters.common import file_failed, layer_notes_wanted, relative_path, repository_root
from rnnlint.result import FileResult, RunResult


def json_report(run: RunResult, environ: Mapping[str, str]) -> str:
    document = {
        "version": __version__,
        "files": [json_format.file_entry(f) for f in run.files],
        "summary": run.summary(),
    }
    return jsontext.dumps(document) + "\n"


def sarif_report(run: RunResult, environ: Mapping[str, str]) -> str:
    count_notes = layer_notes_wanted(environ)
    rules = sarif.rule_descriptors()
    index = {r["id"]: i for i, r in enumerate(rules)}
    root = repository_root(environ)
    results = [entry for f in run.files for entry in sarif._results(f, index, count_notes, root)]
    root_uri = pathlib.Path(root).as_uri().rstrip("/") + "/"
    document: dict[str, Any] = {
        "$schema": sarif.SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rnnlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": sarif.INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {sarif.SRCROOT: {"uri": root_uri}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "rnnlint": {
                        "summary": run.summary(),
                        "configs": [sarif.config_properties(f, root) for f in run.linted],
                    }
                },
            }
        ],
    }
    return jsontext.dumps(document, ensure_ascii=False) + "\n"


def gitlab_report(run: RunResult, environ: Mapping[str, str]) -> str:
    count_notes = layer_notes_wanted(environ)
    root = repository_root(environ)
    found = [issue for result in run.files for issue in gitlab.file_issues(result, count_notes, root)]
    return jsontext.dumps(found, ensure_ascii=False) + "\n"


def junit_report(run: RunResult, environ: Mapping[str, str]) -> str:
    grouped: dict[str, list[FileResult]] = {}
    for result in run.files:
        grouped.setdefault(result.path, []).append(result)
    suites = ET.Element("testsuites", name="rnnlint")
    suite = ET.SubElement(suites, "testsuite", name="rnnlint")
    tests = failures = skipped = 0
    for raw_path, results in grouped.items():
        path = junit._NOT_XML.sub("?", relative_path(raw_path))
        case = ET.SubElement(suite, "testcase", classname="rnnlint", name=path)
        tests += 1
        if all(r.skipped for r in results):
            skipped += 1
            message = junit._NOT_XML.sub("?", results[0].skip_reason or "not a model config")
            ET.SubElement(case, "skipped", message=message)
            continue
        failing = [r for r in results if file_failed(r, run.strict)]
        lines = junit._lines(path, results)
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
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


REPORTS = {"json": json_report, "sarif": sarif_report, "gitlab": gitlab_report, "junit": junit_report}


def report(name: str, run: RunResult, environ: Mapping[str, str] | None = None) -> str:
    return REPORTS[name](run, os.environ if environ is None else environ)
