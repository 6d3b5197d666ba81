"""The rules of the Jenkins xUnit plugin's ``junit-10.xsd``, written out for the tests.

The schema itself is third-party and not in this repository (nor reachable from CI), so its
constraints are restated here: which elements each element may hold, which attributes it may
carry, which of them are required, and the pattern of a ``time``. Source:
https://github.com/jenkinsci/xunit-plugin/blob/8c515de2804b3fd591a3b0f1ff8908a1b1a41887/src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd
(the file last changed in ae25da5089d4f94ac6c4669bf736e4d416cc4665). ``xmlschema`` with that
file accepted rnnlint's output for the examples when this was written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

# element -> (children allowed, attributes allowed, attributes required)
_RERUN = ({"stackTrace", "system-out", "system-err"}, {"message", "type"}, {"type"})
_TEXT = (set[str](), {"type", "message"}, set[str]())
ELEMENTS: dict[str, tuple[set[str], set[str], set[str]]] = {
    "testsuites": ({"testsuite"}, {"name", "time", "tests", "failures", "errors"}, set()),
    "testsuite": (
        {"testsuite", "properties", "testcase", "system-out", "system-err"},
        {
            "name",
            "tests",
            "failures",
            "errors",
            "group",
            "time",
            "skipped",
            "timestamp",
            "hostname",
            "id",
            "package",
            "file",
            "log",
            "url",
            "version",
        },
        {"name", "tests", "failures", "errors"},
    ),
    "testcase": (
        {
            "skipped",
            "error",
            "failure",
            "rerunFailure",
            "rerunError",
            "flakyFailure",
            "flakyError",
            "system-out",
            "system-err",
        },
        {"name", "time", "classname", "group"},
        {"name"},
    ),
    "properties": ({"property"}, set(), set()),
    "property": (set(), {"name", "value"}, {"name", "value"}),
    "failure": _TEXT,
    "error": _TEXT,
    "skipped": _TEXT,
    "system-out": (set(), set(), set()),
    "system-err": (set(), set(), set()),
    "stackTrace": (set(), set(), set()),
    "rerunFailure": _RERUN,
    "rerunError": _RERUN,
    "flakyFailure": _RERUN,
    "flakyError": _RERUN,
}
# SUREFIRE_TIME, on testsuites/@time and testsuite/@time.
SUREFIRE_TIME = re.compile(r"(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]{0,3})?")


def errors(root: ET.Element) -> list[str]:
    """What in ``root`` the schema does not allow (empty: valid)."""
    found: list[str] = []
    if root.tag not in ("testsuites", "testsuite"):
        found.append(f"root element <{root.tag}> is neither <testsuites> nor <testsuite>")

    def visit(element: ET.Element, where: str) -> None:
        rule = ELEMENTS.get(element.tag)
        if rule is None:
            found.append(f"{where}: element <{element.tag}> is not in the schema")
            return
        children, allowed, required = rule
        for name in set(element.attrib) - allowed:
            found.append(f"{where}: attribute {name!r} not allowed on <{element.tag}>")
        for name in required - set(element.attrib):
            found.append(f"{where}: <{element.tag}> lacks required attribute {name!r}")
        time = element.attrib.get("time")
        if element.tag in ("testsuites", "testsuite") and time is not None and not SUREFIRE_TIME.fullmatch(time):
            found.append(f"{where}: time {element.attrib['time']!r} is not a SUREFIRE_TIME")
        for i, child in enumerate(element):
            if child.tag not in children:
                found.append(f"{where}: <{child.tag}> not allowed inside <{element.tag}>")
            else:
                visit(child, f"{where}/{child.tag}[{i}]")

    visit(root, root.tag)
    return found
