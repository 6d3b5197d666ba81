"""A suppression that suppresses nothing (a warning, like ruff's RUF100).

``# rnnlint: disable=CODE`` on a line (or alone on the line before it) hides that code's
diagnostics on that line; ``# rnnlint: disable-file`` (or ``disable-file=CODES``) hides
them in the whole file. When the code is not reported there any more, say because the
config was fixed, the suppression only hides the next real problem: remove it. Codes that
are not selected for the file (``--select``, ``ignore``, an override) are not judged.

Failing example:

```yaml
model:
  input_size: 40
  layers:
    - type: lstm  # rnnlint: disable=RNN203
      hidden_size: 64
```

Passing example:

```yaml
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 64
      # rnnlint: disable=RNN203
      dropout: 0.2
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN011
NAME = "unused-suppression"
SEVERITY: Severity = "warning"
# Runs after the other rules, once the suppressions have been applied.
PHASE: Phase = "after-suppressions"
# Made by the engine once the suppressions are applied.
RELAYS: tuple[str, ...] = ("rnnlint.engine",)


def check(ctx: LintContext) -> Iterator[Finding]:
    return iter(())  # every finding is relayed (RELAYS)
