"""The parameter count of a recurrent layer (a note, one per recurrent layer).

Reported at the line that declares the layer, with the count and its derivation in the
textbook form ``g x [h(i+h) + bias]`` with the numbers filled in, per stacked layer, so a
reviewer can check it by hand. When a size the count needs is unknown, the note says which.

Failing example (a note is always shown for a recurrent layer):

```yaml
model:
  input_size: 300
  layers:
    - type: lstm
      hidden_size: 256
      bidirectional: true
```

Passing example (no recurrent layer, no note):

```yaml
model:
  input_size: 300
  layers:
    - type: linear
      out_features: 2
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.counting import describe, fmt
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN100
NAME = "layer-params"
SEVERITY: Severity = "note"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def check(ctx: LintContext) -> Iterator[Finding]:
    for layer in ctx.recurrent_layers():
        spec = layer.spec
        what = f"{spec.name} ({describe(spec.module, spec.type)})"
        if layer.count.params is None:
            yield Finding(f"{what}: parameter count unknown: {layer.count.formula}", spec.span)
        else:
            yield Finding(f"{what}: {fmt(layer.count.params)} params: {layer.count.formula}", spec.span)
