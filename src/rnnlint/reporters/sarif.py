"""SARIF 2.1.0 (code scanning): every rule in ``tool.driver.rules``, one result per finding.

GitHub code scanning makes each result an alert and ignores the property bags, so the notes that
only state a count (RNN100, RNN106: :data:`~rnnlint.reporters.common.COUNT_NOTES`) are not results
unless ``RNNLINT_LAYER_NOTES=1``; every config's figures and those notes are in the run's
``properties.rnnlint`` instead (``configs``: one entry per config checked, and ``summary``).
"""

from __future__ import annotations

import os
import pathlib
import re
from collections.abc import Mapping
from typing import Any, TextIO
from urllib.parse import quote

from rnnlint import __version__, reporters
from rnnlint.parse.source import printable
from rnnlint.reporters import ReportOptions, jsontext
from rnnlint.reporters.common import (
    copy_spool,
    end_of,
    is_count_note,
    layer_notes_wanted,
    line_fingerprints,
    raw_relative_path,
    repository_root,
    source_lines,
    spool,
)
from rnnlint.reporters.json_format import layer_entry
from rnnlint.result import FileResult, RunResult, Violation

NAME = "sarif"
DESCRIPTION = "SARIF 2.1.0 for GitHub code scanning and other SARIF viewers"
STREAMS = True

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/rnnlint/rnnlint"
RULES_DOC_URI = "https://github.com/rnnlint/rnnlint/blob/main/docs/rules.md"
LEVELS = {"error": "error", "warning": "warning", "note": "note"}
SRCROOT = "%SRCROOT%"


def _paragraphs(doc: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", doc.strip()) if p.strip()]


def rule_descriptors() -> list[dict[str, Any]]:
    from rnnlint.rules import all_rules, summary_line

    out: list[dict[str, Any]] = []
    for rule in all_rules():
        doc = (rule.__doc__ or "").strip()
        paragraphs = _paragraphs(doc)
        out.append(
            {
                "id": rule.CODE,
                "name": rule.NAME,
                "shortDescription": {"text": summary_line(rule)},
                "fullDescription": {"text": paragraphs[1] if len(paragraphs) > 1 else summary_line(rule)},
                "help": {"text": doc, "markdown": doc},
                "helpUri": f"{RULES_DOC_URI}#{rule.CODE.lower()}-{rule.NAME}",
                "defaultConfiguration": {"level": LEVELS[rule.SEVERITY]},
                "properties": rule_properties(rule.CODE, rule.SEVERITY),
            }
        )
    return out


# GitHub code scanning reads these rule properties: ``tags`` (filters), ``precision`` (how far a
# result can be trusted; it ranks and filters alerts) and ``problem.severity`` (error, warning,
# recommendation) for results that are not security findings.
_TAGS = {"RNN0": ("config", "syntax"), "RNN1": ("model-size", "budget"), "RNN2": ("model-config", "correctness")}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}


def rule_properties(code: str, severity: str) -> dict[str, Any]:
    # Parse errors and counts are exact ("very-high"); the RNN2xx checks read a toolkit's behaviour
    # from its config, which a custom build can change ("high").
    precision = "high" if code.startswith("RNN2") else "very-high"
    return {
        "tags": ["rnnlint", *_TAGS.get(code[:4], ())],
        "precision": precision,
        "problem.severity": PROBLEM_SEVERITY[severity],
    }


def artifact_uri(path: str, root: str | None = None) -> tuple[str, bool]:
    """The file's URI and whether it is relative to the repository root (%SRCROOT%)."""
    if path == "-":
        return "stdin", True
    rel = raw_relative_path(path, root)
    if os.path.isabs(rel) or rel.startswith(".."):
        return pathlib.Path(os.path.abspath(path)).as_uri(), False
    # The name's own bytes, percent-encoded (as as_uri does): an undecodable byte is %FF, not an error.
    try:
        return quote(rel.encode("utf-8", "surrogateescape")), True
    except UnicodeEncodeError:  # a surrogate no file system name decodes to (a --stdin-filename)
        return quote(printable(rel)), True


def _region(v: Violation, lines: list[str]) -> dict[str, int]:
    region = {"startLine": v.line, "startColumn": v.column}
    end = end_of(v, lines)
    if end.line is not None:
        region["endLine"] = end.line
        if end.column is not None:
            region["endColumn"] = end.column + 1  # SARIF's end column is exclusive
    return region


def _location(result: FileResult, root: str) -> dict[str, Any]:
    uri, relative = artifact_uri(result.path, root)
    location: dict[str, Any] = {"uri": uri}
    if relative:
        location["uriBaseId"] = SRCROOT
    return location


def _results(result: FileResult, index: dict[str, int], count_notes: bool, root: str) -> list[dict[str, Any]]:
    location = _location(result, root)
    lines = source_lines(result)
    out = []
    # Fingerprints over every diagnostic: leaving notes out must not renumber the others' occurrences.
    for v, fingerprint in zip(result.diagnostics, line_fingerprints(result), strict=True):
        if not count_notes and is_count_note(v):
            continue
        entry: dict[str, Any] = {
            "ruleId": v.code,
            "level": LEVELS[v.severity],
            "message": {"text": v.message},
            "locations": [{"physicalLocation": {"artifactLocation": location, "region": _region(v, lines)}}],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        }
        if v.code in index:
            entry["ruleIndex"] = index[v.code]
        out.append(entry)
    return out


def config_properties(result: FileResult, root: str) -> dict[str, Any]:
    """One config's figures, named as in ``--format json``; ``total_params`` only when it is the whole model."""
    entry: dict[str, Any] = {"artifactLocation": _location(result, root)}
    if result.document is not None:
        entry["document"] = result.document
    entry.update(
        {
            "dialect": result.dialect,
            "framework": result.framework,
            "total_params": result.total_params if result.complete else None,
            "counted_params": result.counted_params,
            "recurrent_params": result.recurrent_params,
            "complete": result.complete,
            "layers": [layer_entry(layer) for layer in result.layers],
            "notes": [
                {"ruleId": v.code, "message": v.message, "line": v.line, "column": v.column}
                for v in result.diagnostics
                if is_count_note(v)
            ],
        }
    )
    return entry


# The document's shape; the results, the summary and the configs are written in the markers' places.
_RESULTS, _SUMMARY, _CONFIGS = "\0results\0", "\0summary\0", "\0configs\0"


def _skeleton(rules: list[dict[str, Any]], root: str) -> dict[str, Any]:
    root_uri = pathlib.Path(root).as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rnnlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
                "columnKind": "unicodeCodePoints",
                "results": _RESULTS,
                "properties": {"rnnlint": {"summary": _SUMMARY, "configs": _CONFIGS}},
            }
        ],
    }


class Writer:
    """The run's static part (the rules table) at once, each file's results as they come; each config's
    figures go to a spool (memory, then a temporary file), since the summary is written before them."""

    def __init__(self, out: TextIO, count_notes: bool, environ: Mapping[str, str]) -> None:
        self._out = out
        self._count_notes = count_notes
        rules = rule_descriptors()
        self._index = {r["id"]: i for i, r in enumerate(rules)}
        # Paths relative to the repository root: code scanning resolves them against the checkout.
        self._root = repository_root(environ)
        pieces = jsontext.template(_skeleton(rules, self._root), [_RESULTS, _SUMMARY, _CONFIGS], ensure_ascii=False)
        (head, results_at), (self._before_summary, self._summary_at), (self._before_configs, configs_at) = pieces[:3]
        self._tail = pieces[3][0]
        self._spool = spool()
        out.write(head)
        self._results = jsontext.Array(out.write, results_at, ensure_ascii=False)
        self._configs = jsontext.Array(self._spool.write, configs_at, ensure_ascii=False)

    def add(self, results: list[FileResult]) -> None:
        for result in results:
            for entry in _results(result, self._index, self._count_notes, self._root):
                self._results.add(entry)
            if not result.skipped:
                self._configs.add(config_properties(result, self._root))

    def close(self, run: RunResult) -> None:
        out = self._out
        out.write(self._results.closing() + self._before_summary)
        out.write(jsontext.dumps_at(run.summary(), self._summary_at, ensure_ascii=False) + self._before_configs)
        copy_spool(self._spool, out)
        out.write(self._configs.closing() + self._tail + "\n")


def writer(out: TextIO, options: ReportOptions, strict: bool) -> Writer:
    return Writer(out, layer_notes_wanted(options.environ), options.environ)


def report(run: RunResult, out: TextIO, options: ReportOptions) -> None:
    reporters.write_all(writer(out, options, run.strict), run)
