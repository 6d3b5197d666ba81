"""The config breaks rnnlint's schema.

Applies to rnnlint's own dialect, validated against the JSON Schema shipped in the wheel
(``src/rnnlint/schemas/rnnlint-config.schema.json``). Each violation is reported at the line and
column of the offending key or value, with what was expected and, for numbers written as
quoted text (``"5e6"``), what to write instead. A plain ``5e6``, ``1,000``, ``010`` or ``on``
where a number is expected is RNN004 instead. Counting waits until the file is valid.

Failing example:

```yaml
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: "500"
```

Passing example:

```yaml
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 500
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN002
NAME = "schema"
SEVERITY: Severity = "error"
PHASE: Phase = "main"
# Made by the dialects (the native schema, a toolkit's own shape checks).
RELAYS: tuple[str, ...] = ("rnnlint.dialects",)


def check(ctx: LintContext) -> Iterator[Finding]:
    return iter(())  # every finding is relayed (RELAYS)
