"""The rule registry.

A rule is a module named after its code with ``CODE`` (from :mod:`rnnlint.codes`), ``NAME``,
``SEVERITY`` (the default), ``PHASE`` (when the engine runs it), ``RELAYS`` (the stages whose
findings of this code it reports) and ``check(ctx) -> Iterator[Finding]``; its docstring is its
user documentation, with a failing and a passing example that the test suite runs through the
console script. Adding a rule is adding its module and one line here.

A finding made before the rules run (a parse error, a schema violation, a bad pragma) is a
``Problem`` with the rule's code; the engine hands it to the rule only if the rule names the stage
that makes it in ``RELAYS``, so a relayed code is declared, never an idiom inside ``check``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import cache
from types import ModuleType
from typing import Literal, Protocol, cast

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


# "main": with the others, on the document as linted. "after-suppressions": once the suppressions are
# applied, so it can judge them (RNN011).
Phase = Literal["main", "after-suppressions"]
PHASES: tuple[Phase, ...] = ("main", "after-suppressions")
# The stages that make findings before the rules run, which a rule may relay (RELAYS).
STAGES: tuple[str, ...] = ("rnnlint.parse", "rnnlint.dialects", "rnnlint.engine")


class Rule(Protocol):
    CODE: str
    NAME: str
    SEVERITY: Severity
    PHASE: Phase
    # The stages (of STAGES) whose Problems with this CODE the engine reports as this rule's findings,
    # before check()'s own; () for a rule that makes all its findings itself.
    RELAYS: tuple[str, ...]
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


def relayed(ctx: LintContext, code: str) -> Iterator[Finding]:
    """The findings with ``code`` made before the rules ran (parse, schema, pragmas): the engine's, for RELAYS."""
    for problem in ctx.problems:
        if problem.code == code:
            yield Finding(problem.message, problem.span)


def summary_line(rule: Rule) -> str:
    doc = (rule.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else rule.NAME
