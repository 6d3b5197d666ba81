"""Keras recurrent options that turn off the fast cuDNN kernel (a warning).

Keras LSTM and GRU run on cuDNN only with the defaults: ``activation: tanh``,
``recurrent_activation: sigmoid``, ``recurrent_dropout: 0``, ``unroll: false``,
``use_bias: true`` and, for GRU, ``reset_after: true``. Any other value falls back to a
generic kernel that is several times slower on a GPU. The parameter count is unaffected
(except ``use_bias`` and ``reset_after``, which the count already reflects).

Failing example:

```yaml
framework: keras
model:
  input_size: 64
  layers:
    - type: lstm
      hidden_size: 128
      recurrent_dropout: 0.2
```

Passing example:

```yaml
framework: keras
model:
  input_size: 64
  layers:
    - type: lstm
      hidden_size: 128
      dropout: 0.2
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rnnlint import codes
from rnnlint.counting import recurrent_kind
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN204
NAME = "cudnn-kernel"
SEVERITY: Severity = "warning"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def _reasons(kind: str, options: dict[str, Any], bias: bool, reset_after: bool) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    activation = options.get("activation")
    if activation is not None and activation != "tanh":
        found.append(("activation", f"activation {activation!r} (cuDNN needs 'tanh')"))
    recurrent_activation = options.get("recurrent_activation")
    if recurrent_activation is not None and recurrent_activation != "sigmoid":
        found.append(("recurrent_activation", f"recurrent_activation {recurrent_activation!r} (cuDNN needs 'sigmoid')"))
    recurrent_dropout = options.get("recurrent_dropout")
    if isinstance(recurrent_dropout, (int, float)) and recurrent_dropout > 0:
        found.append(("recurrent_dropout", f"recurrent_dropout {recurrent_dropout} (cuDNN needs 0)"))
    if options.get("unroll") is True:
        found.append(("unroll", "unroll true"))
    if not bias:
        found.append(("bias", "use_bias false"))
    if kind == "gru" and not reset_after:
        found.append(("reset_after", "reset_after false"))
    return found


def check(ctx: LintContext) -> Iterator[Finding]:
    for layer in ctx.layers:
        spec = recurrent_kind(layer.spec.module)
        if spec is None or spec.framework != "keras" or spec.kind == "rnn" or spec.cell or spec.cudnn:
            continue
        if layer.spec.options.get("cudnn_kernel") is False:  # the dialect knows this Keras has no such kernel
            continue
        for key, reason in _reasons(spec.kind, dict(layer.spec.options), spec.bias, spec.reset_after):
            yield Finding(
                f"{layer.spec.name} ({layer.spec.type}): {reason} turns off the cuDNN kernel",
                layer.spec.option_spans.get(key, layer.spec.span),
            )
