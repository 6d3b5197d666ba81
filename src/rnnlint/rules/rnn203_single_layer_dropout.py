"""Dropout on a single-layer PyTorch recurrent module (a warning).

``torch.nn.LSTM/GRU/RNN`` apply ``dropout`` between stacked layers only, so with
``num_layers: 1`` it does nothing (PyTorch warns at construction). Put a dropout layer
after the recurrent layer instead, or stack two or more layers.

Failing example:

```yaml
model:
  input_size: 80
  layers:
    - type: gru
      hidden_size: 256
      dropout: 0.3
```

Passing example:

```yaml
model:
  input_size: 80
  layers:
    - type: gru
      hidden_size: 256
      num_layers: 2
      dropout: 0.3
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.counting import recurrent_kind
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN203
NAME = "single-layer-dropout"
SEVERITY: Severity = "warning"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def check(ctx: LintContext) -> Iterator[Finding]:
    for layer in ctx.layers:
        spec = recurrent_kind(layer.spec.module)
        dropout = layer.spec.options.get("dropout")
        if spec is None or spec.framework != "pytorch" or spec.cell or spec.num_layers != 1:
            continue
        if isinstance(dropout, (int, float)) and not isinstance(dropout, bool) and dropout > 0:
            yield Finding(
                f"{layer.spec.name} ({layer.spec.type}): dropout {dropout} has no effect with num_layers 1 "
                "(PyTorch applies it between stacked layers only)",
                layer.spec.option_spans.get("dropout", layer.spec.span),
            )
