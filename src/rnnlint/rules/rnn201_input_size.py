"""A layer's declared input size does not match what the layer before it produces.

The framework builds the layer with the declared size and then fails (PyTorch) or
silently reshapes nothing (a config that never ran) at the first batch. The count uses
the declared size, since that is what gets built.

Failing example:

```yaml
model:
  layers:
    - type: embedding
      num_embeddings: 1000
      embedding_dim: 300
    - type: lstm
      input_size: 200
      hidden_size: 128
```

Passing example:

```yaml
model:
  layers:
    - type: embedding
      num_embeddings: 1000
      embedding_dim: 300
    - type: lstm
      input_size: 300
      hidden_size: 128
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN201
NAME = "input-size-mismatch"
SEVERITY: Severity = "error"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def check(ctx: LintContext) -> Iterator[Finding]:
    previous = None
    for layer in ctx.layers:
        spec = layer.spec
        declared, expected = spec.declared_input_size, spec.expected_input_size
        if declared is not None and expected is not None and declared != expected:
            source = f"{previous.spec.name} ({previous.spec.type})" if previous else "model.input_size"
            yield Finding(
                f"{spec.name} ({spec.type}) declares input size {declared}, but {source} produces {expected}",
                spec.declared_input_span or spec.span,
            )
        previous = layer
