"""The rule registry.

A rule is a module named after its code with ``CODE``, ``NAME``, ``SEVERITY`` (the
default), ``OPTIONS`` (name -> default) and ``check(ctx) -> Iterator[Finding]``; its
docstring is its user documentation, with a failing and a passing example that the test
suite runs through the real CLI. Adding a rule is adding its module and one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import cache
from types import ModuleType
from typing import Any, Protocol, cast

from rnnlint.result import Severity
from rnnlint.rules.context import Finding, LintContext

RULE_MODULES: tuple[str, ...] = (
    "rnn001_parse_error",
    "rnn002_schema",
    "rnn003_duplicate_key",
    "rnn004_yaml11_number",
    "rnn010_invalid_pragma",
    "rnn011_unused_suppression",
    "rnn100_layer_params",
    "rnn101_max_params",
    "rnn102_max_layer_params",
    "rnn103_dataset_size",
    "rnn104_assumption",
    "rnn105_budget_unchecked",
    "rnn106_uncounted_part",
    "rnn107_max_growth",
    "rnn201_input_size",
    "rnn202_projection",
    "rnn203_single_layer_dropout",
    "rnn204_cudnn_kernel",
    "rnn205_unknown_layer",
)


class Rule(Protocol):
    CODE: str
    NAME: str
    SEVERITY: Severity
    OPTIONS: dict[str, Any]
    __doc__: str | None

    def check(self, ctx: LintContext) -> Iterator[Finding]: ...


@cache
def all_rules() -> tuple[Rule, ...]:
    modules: list[ModuleType] = [importlib.import_module(f"rnnlint.rules.{m}") for m in RULE_MODULES]
    return tuple(cast(Rule, m) for m in modules)


def by_code(code: str) -> Rule | None:
    for rule in all_rules():
        if code.upper() == rule.CODE or code.lower() == rule.NAME:
            return rule
    return None


def problems_with_code(ctx: LintContext, code: str) -> Iterator[Finding]:
    """Findings made before the rules ran (parse, schema), handed to their rule."""
    for problem in ctx.problems:
        if problem.code == code:
            yield Finding(problem.message, problem.span)


def summary_line(rule: Rule) -> str:
    doc = (rule.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else rule.NAME
