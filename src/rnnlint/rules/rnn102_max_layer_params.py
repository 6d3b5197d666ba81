"""One layer entry has more parameters than ``max_layer_params``.

Every entry of the model is checked (embeddings and linear layers too); a stacked or
bidirectional recurrent entry counts all its layers and directions. The limit's sources
and precedence are those of RNN101.

Failing example:

```yaml
model:
  layers:
    - type: embedding
      num_embeddings: 50000
      embedding_dim: 300
    - type: gru
      hidden_size: 128
limits:
  max_layer_params: 1000000
```

Passing example:

```yaml
model:
  layers:
    - type: embedding
      num_embeddings: 5000
      embedding_dim: 100
    - type: gru
      hidden_size: 128
limits:
  max_layer_params: 1000000
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.counting import fmt
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN102
NAME = "max-layer-params"
SEVERITY: Severity = "error"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def check(ctx: LintContext) -> Iterator[Finding]:
    limit = ctx.limit("max_layer_params")
    if limit is None:
        return
    for layer in ctx.layers:
        params = layer.count.params
        if params is not None and params > limit.value:
            yield Finding(
                f"{layer.spec.name} ({layer.spec.type}) has {fmt(params)} parameters, above "
                f"max_layer_params {fmt(int(limit.value))} from {limit.source}",
                layer.spec.span,
            )
