"""A mapping states the same key twice: YAML and JSON readers silently keep only the last value.

PyYAML and Python's ``json`` both keep the last of two equal keys without a word, so the first
value is lost (a ``hidden_size`` tuned at the top of a block and restated by a paste further
down). rnnlint reports the second key and names the line of the first. Keys brought in by a
YAML merge (``<<: *defaults``) and then restated are overrides, not duplicates. This is
checked in every YAML and JSON file rnnlint reads, model config or not.

Failing example:

```yaml
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 128
      hidden_size: 256
```

Passing example:

```yaml
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 256
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN003
NAME = "duplicate-key"
SEVERITY: Severity = "error"
PHASE: Phase = "main"
# Made by the YAML and JSON readers.
RELAYS: tuple[str, ...] = ("rnnlint.parse",)


def check(ctx: LintContext) -> Iterator[Finding]:
    return iter(())  # every finding is relayed (RELAYS)
