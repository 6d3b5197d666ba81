"""A layer rnnlint cannot count: the total is a lower bound (a warning).

Custom cells (SRU, LiGRU, highway LSTMs, ...) and layer types rnnlint does not know get
this warning instead of a guessed number. The JSON ``total_params`` is then null,
``counted_params`` sums the layers that are counted, ``complete`` is false, RNN101 treats
the counted sum as a lower bound, and a limit it cannot settle is RNN105.

Failing example:

```yaml
model:
  input_size: 80
  layers:
    - type: sru
      hidden_size: 256
```

Passing example:

```yaml
model:
  input_size: 80
  layers:
    - type: gru
      hidden_size: 256
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.counting import fmt
from rnnlint.model import Composite, Module, Unknown
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN205
NAME = "unknown-layer"
SEVERITY: Severity = "warning"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def unknown_part(module: Module) -> Unknown | None:
    """The first part of ``module`` rnnlint cannot count (RNN105 names it too)."""
    if isinstance(module, Unknown):
        return module
    if isinstance(module, Composite):
        for part in module.parts:
            found = unknown_part(part)
            if found is not None:
                return found
    return None


def check(ctx: LintContext) -> Iterator[Finding]:
    counted = ctx.counted_params
    total = f"the model total {fmt(counted)} is a lower bound" if counted else "the model total is unknown"
    for layer in ctx.layers:
        unknown = unknown_part(layer.spec.module)
        if unknown is None:
            continue
        reason = f": {unknown.reason}" if unknown.reason else ""
        yield Finding(
            f"{layer.spec.name}: rnnlint cannot count layer type {unknown.type_name!r}{reason}; {total}",
            layer.spec.span,
        )
