"""``proj_size`` that is not smaller than ``hidden_size``, or where the framework has none.

Only PyTorch's ``nn.LSTM`` has a projection (``proj_size``, LSTMP); it must satisfy
``0 < proj_size < hidden_size`` or the constructor raises. GRU, RNN, the cells, Keras and
ONNX have no projection, so a ``proj_size`` there is silently ignored and the count is
not what the author meant.

Failing example:

```yaml
model:
  input_size: 80
  layers:
    - type: lstm
      hidden_size: 256
      proj_size: 256
```

Passing example:

```yaml
model:
  input_size: 80
  layers:
    - type: lstm
      hidden_size: 256
      proj_size: 128
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.counting import recurrent_kind
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN202
NAME = "projection"
SEVERITY: Severity = "error"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def check(ctx: LintContext) -> Iterator[Finding]:
    for layer in ctx.layers:
        spec = recurrent_kind(layer.spec.module)
        if spec is None or spec.proj_size <= 0:
            continue
        span = layer.spec.option_spans.get("proj_size", layer.spec.span)
        name = f"{layer.spec.name} ({layer.spec.type})"
        if spec.framework != "pytorch":
            yield Finding(f"{name}: proj_size {spec.proj_size} has no effect: {spec.framework} has no projection", span)
        elif spec.kind != "lstm" or spec.cell:
            what = f"{spec.kind.upper()}Cell" if spec.cell else f"nn.{spec.kind.upper()}"
            yield Finding(f"{name}: proj_size {spec.proj_size} has no effect: {what} has no projection", span)
        elif spec.proj_size >= spec.hidden_size:
            yield Finding(
                f"{name}: proj_size {spec.proj_size} must be smaller than hidden_size {spec.hidden_size} "
                "(torch.nn.LSTM raises ValueError)",
                span,
            )
