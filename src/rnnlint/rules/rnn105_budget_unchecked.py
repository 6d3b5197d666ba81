"""A limit applies but the count cannot settle it: the budget is not checked (a warning).

A limit (``max_params``, ``max_layer_params``, ``max_recurrent_params``, or a dataset bound when the
dataset size is declared) is only checked against a count rnnlint knows. When a layer cannot be counted
(RNN205, or a size the count needs is unknown) or the dialect leaves a part of the model out
(RNN106), the model's total is unknown, and what was counted is only a lower bound. If that
lower bound is already past the limit, RNN101 or RNN103 reports it; otherwise this warning
says that the limit could not be checked, and why, instead of letting the budget pass in
silence. It fails the run with ``--strict``. State the missing size in the file (or with an
override) so that the count is whole.

Failing example (the first layer's input size is not stated, so nothing can be counted):

```yaml
model:
  layers:
    - type: lstm
      hidden_size: 256
limits:
  max_params: 1000000
```

Passing example (every size is stated, and the total is under the limit):

```yaml
model:
  input_size: 80
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
from rnnlint.rules.context import CountedLayer, Finding, LintContext
from rnnlint.rules.rnn205_unknown_layer import unknown_part
from rnnlint.settings import keys

CODE = codes.RNN105
NAME = "budget-unchecked"
SEVERITY: Severity = "warning"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()

# Dataset bounds have defaults (the setting keys'): they apply only where a dataset size is declared.
_DATASET_BOUNDS = (("train_examples", "max_params_per_example"), ("tokens", "min_tokens_per_param"))


def _why(layer: CountedLayer) -> str:
    """``name (type): why it has no count``."""
    unknown = unknown_part(layer.spec.module)
    if unknown is not None:
        return f"{layer.spec.name} ({unknown.type_name}): cannot be counted (RNN205)"
    return f"{layer.spec.name} ({layer.spec.type}): {layer.count.formula or 'a size is unknown'}"


def _reasons(ctx: LintContext) -> str:
    """What keeps the total from being whole, the first three of each kind by name."""
    assert ctx.model is not None
    parts = [_why(c) for c in ctx.layers if c.count.params is None]
    omitted = len(ctx.model.omitted)
    shown = parts[:3] + ([f"{len(parts) - 3} more layers cannot be counted"] if len(parts) > 3 else [])
    if omitted:
        shown.append(
            f"{omitted} part{'s' if omitted != 1 else ''} of the model {'are' if omitted != 1 else 'is'}"
            " not counted (RNN106)"
        )
    return "; ".join(shown)


def _what_is_known(counted: int | None) -> str:
    return "nothing could be counted" if counted is None else f"only a lower bound of {fmt(counted)} is known"


def _growth_unchecked(ctx: LintContext) -> Iterator[Finding]:
    """``max_growth`` with a diff base, where the base's size or the model's is unknown."""
    from rnnlint.rules.rnn107_max_growth import growth_limits, sizes

    base = ctx.settings.base
    if base is None or ctx.model is None:
        return
    limits = growth_limits(ctx)
    if not limits or sizes(ctx, base) is not None:
        return
    side = "the model's size at the base" if base.counted is None else "the model's size now"
    yield Finding(
        f"max_growth from {limits[0][1].source} could not be checked against {base.ref}: {side} is unknown "
        "(nothing could be counted)",
        ctx.model.span,
    )


def check(ctx: LintContext) -> Iterator[Finding]:
    model = ctx.model
    yield from _growth_unchecked(ctx)
    if model is None or not ctx.lower_bound:
        return
    counted = ctx.counted_params
    limit = ctx.limit("max_params")
    if limit is not None and (counted is None or counted <= limit.value):
        yield Finding(
            f"max_params {fmt(int(limit.value))} from {limit.source} could not be checked: the model's total is "
            f"unknown and {_what_is_known(counted)} ({_reasons(ctx)})",
            model.span,
        )
    recurrent_limit = ctx.limit("max_recurrent_params")
    if recurrent_limit is not None and ctx.recurrent_params is None:
        yield Finding(
            f"max_recurrent_params {fmt(int(recurrent_limit.value))} from {recurrent_limit.source} could not be "
            f"checked: the recurrent layers' total is unknown ({_reasons(ctx)})",
            model.span,
        )
    layer_limit = ctx.limit("max_layer_params")
    if layer_limit is not None:
        for layer in ctx.layers:
            if layer.count.params is None:
                yield Finding(
                    f"max_layer_params {fmt(int(layer_limit.value))} from {layer_limit.source} could not be checked "
                    f"on {_why(layer)}",
                    layer.spec.span,
                )
    for figure, bound_name in _DATASET_BOUNDS:
        declared = ctx.dataset(figure)
        if declared is None or declared.value <= 0:
            continue
        bound = ctx.limit(bound_name)
        bound_value = bound.value if bound is not None else float(keys.default(bound_name))
        if counted is not None:
            # The bound already fails on the lower bound: RNN103 reports that.
            if figure == "train_examples" and counted / declared.value > bound_value:
                continue
            if figure == "tokens" and counted and declared.value / counted < bound_value:
                continue
        where = bound.source if bound is not None else f"the default of {codes.RNN103}"
        yield Finding(
            f"{bound_name} {bound_value:g} from {where} could not be checked against {figure} "
            f"({declared.source}): the model's total is unknown and {_what_is_known(counted)} ({_reasons(ctx)})",
            declared.span or model.span,
        )
