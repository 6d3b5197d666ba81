"""The model grew by more than ``max_growth`` since the diff base (an error).

With ``--diff-base REF`` (``rnnlint check``) or ``rnnlint diff``, each changed config's model is
counted at the base too, read with ``git show``. ``max_growth`` (in ``[tool.rnnlint]``, an
override, a ``# rnnlint: max_growth=10%`` pragma, or ``--max-growth``) is a number of
parameters or a percentage of the base's size; a model that grew by more fails. Both sizes must
be known: the whole totals, or, when a part is left out on either side, the counted sums (the
message then says so). When one of them is unknown, RNN105 says the limit could not be checked.
A config that is new at this commit has no base to grow from, and a base that did not parse
is not compared: the budget rules still apply to them.

Base example (the file as committed at the diff base, before the change):

```yaml
# rnnlint: max_growth=10%
model:
  input_size: 80
  layers:
    - type: lstm
      hidden_size: 256
```

Failing example (the hidden size doubled: 346,112 -> 1,216,512 parameters, +251.5%):

```yaml
# rnnlint: max_growth=10%
model:
  input_size: 80
  layers:
    - type: lstm
      hidden_size: 512
```

Passing example (a little wider: 346,112 -> 380,160 parameters, +9.8%):

```yaml
# rnnlint: max_growth=10%
model:
  input_size: 80
  layers:
    - type: lstm
      hidden_size: 270
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.counting import fmt
from rnnlint.model import SourcedValue
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext
from rnnlint.settings import GROWTH_LIMITS, BaseState

CODE = codes.RNN107
NAME = "max-growth"
SEVERITY: Severity = "error"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def growth_limits(ctx: LintContext) -> list[tuple[str, SourcedValue]]:
    """Every ``max_growth`` in force for the file: the file's pragmas, the configuration, the command line."""
    found: list[tuple[str, SourcedValue]] = []
    for name in GROWTH_LIMITS:
        if ctx.model is not None and name in ctx.model.limits:
            found.append((name, ctx.model.limits[name]))
        found.extend((name, value) for value in ctx.settings.limit_values(name))
    return found


def sizes(ctx: LintContext, base: BaseState) -> tuple[int, int, bool] | None:
    """(base, now, whole) to compare, or None when one side is unknown."""
    now_total = ctx.total_params
    if base.total is not None and now_total is not None:
        return base.total, now_total, True
    now_counted = ctx.counted_params
    if base.counted is not None and now_counted is not None:
        return base.counted, now_counted, False
    return None


def percent(old: int, new: int) -> str:
    if old == 0:
        return "new parameters" if new else "+0%"
    return f"{(new - old) / old * 100:+.1f}%"


def _limit_text(name: str, value: SourcedValue) -> str:
    amount = f"{value.value:g}%" if name == "max_growth_percent" else fmt(int(value.value))
    return f"max_growth {amount} from {value.source}"


def _over(name: str, value: float, old: int, new: int) -> bool:
    grown = new - old
    if name == "max_growth":
        return grown > value
    return grown > 0 and (old == 0 or grown * 100 > value * old)


def check(ctx: LintContext) -> Iterator[Finding]:
    base = ctx.settings.base
    if base is None or ctx.model is None:
        return
    limits = growth_limits(ctx)
    if not limits:
        return
    compared = sizes(ctx, base)
    if compared is None:
        return  # RNN105 says why the limit could not be checked
    old, new, whole = compared
    for name, value in limits:
        if _over(name, value.value, old, new):
            what = "parameters" if whole else "counted parameters (part of the model is not counted)"
            since = f"since {base.ref}" + (f" (then {base.old_path})" if base.status == "renamed" else "")
            yield Finding(
                f"the model grew from {fmt(old)} to {fmt(new)} {what} {since}: +{fmt(new - old)} "
                f"({percent(old, new)}), above {_limit_text(name, value)}",
                ctx.model.span,
            )
            return
