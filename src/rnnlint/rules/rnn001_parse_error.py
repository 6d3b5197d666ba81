"""The file cannot be read or parsed.

rnnlint reports where the reader stopped (line and column from the YAML or JSON parser,
or the offending byte for bad encodings) and lints nothing else in that file. Files that
parse but are not model configs are not findings: they are skipped and counted.

Failing example:

```yaml
model:
  layers:
    - type: lstm
      hidden_size: [128
```

Passing example:

```yaml
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 128
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN001
NAME = "parse-error"
SEVERITY: Severity = "error"
PHASE: Phase = "main"
# Made by the parse stage (the readers and decoders).
RELAYS: tuple[str, ...] = ("rnnlint.parse",)


def check(ctx: LintContext) -> Iterator[Finding]:
    return iter(())  # every finding is relayed (RELAYS)
