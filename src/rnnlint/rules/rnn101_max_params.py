"""The model's total parameter count is above ``max_params``.

The limit can come from the file (``limits.max_params``), from ``[tool.rnnlint]`` or an
override in the configuration, or from ``--max-params``; where several apply, the tightest
holds and the message names where it came from. When part of the model cannot be counted
the total is a lower bound, and a lower bound that is already above the limit is reported.

``max_recurrent_params`` bounds the recurrent layers' parameters together (what an RNN
accelerator or a fused kernel must hold), with the same sources and precedence, written as
``max_recurrent_params`` in the configuration or a pragma, or ``--max-recurrent-params``.

Failing example:

```yaml
model:
  input_size: 300
  layers:
    - type: lstm
      hidden_size: 256
limits:
  max_params: 100000
```

Passing example:

```yaml
model:
  input_size: 300
  layers:
    - type: lstm
      hidden_size: 256
limits:
  max_params: 1000000
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.counting import fmt
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN101
NAME = "max-params"
SEVERITY: Severity = "error"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from _total(ctx)
    yield from _recurrent(ctx)


def _total(ctx: LintContext) -> Iterator[Finding]:
    limit = ctx.limit("max_params")
    # A lower bound already above the limit is a finding; one below it is RNN105's.
    total = ctx.counted_params
    if limit is None or total is None or ctx.model is None or total <= limit.value:
        return
    bound = int(limit.value)
    over = total - bound
    at_least = "at least " if ctx.lower_bound else ""
    share = f" ({over / bound:.1%})" if bound else ""
    yield Finding(
        f"model has {at_least}{fmt(total)} parameters, above max_params {fmt(bound)} "
        f"from {limit.source} by {fmt(over)}{share}",
        ctx.model.span,
    )


def _recurrent(ctx: LintContext) -> Iterator[Finding]:
    limit = ctx.limit("max_recurrent_params")
    if limit is None:
        return
    recurrent = ctx.recurrent_params  # None when a recurrent layer cannot be counted: RNN105's
    if recurrent is None or ctx.model is None or recurrent <= limit.value:
        return
    bound = int(limit.value)
    yield Finding(
        f"recurrent layers have {fmt(recurrent)} parameters, above max_recurrent_params {fmt(bound)} "
        f"from {limit.source} by {fmt(recurrent - bound)}",
        ctx.model.span,
    )
