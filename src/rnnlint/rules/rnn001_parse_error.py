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
from typing import Any

from rnnlint import codes
from rnnlint.result import Severity
from rnnlint.rules import problems_with_code
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN001
NAME = "parse-error"
SEVERITY: Severity = "error"
OPTIONS: dict[str, Any] = {}


def check(ctx: LintContext) -> Iterator[Finding]:
    return problems_with_code(ctx, CODE)
