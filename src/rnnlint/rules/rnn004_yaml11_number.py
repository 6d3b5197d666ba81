"""A number YAML 1.1 reads differently from what was written, where a number is expected.

The ML toolkits read YAML with PyYAML, which follows YAML 1.1: ``5e6`` and ``1e-6`` (no dot,
or no sign in the exponent) are strings, ``1,000`` is a string, ``yes``/``no``/``on``/``off``
are booleans, ``010`` is octal 8, ``1:30`` is the base-60 number 90, and ``.inf``/``.nan``
are not finite. A YAML 1.2 tool (check-jsonschema, an editor) reads several of these the
other way, so the mistake survives review. rnnlint reports each one where the schema (native
dialect) or the dialect expects a size or a rate, with the spelling to use instead, and
reports sizes too large for any framework's 64-bit integers. Quoted values are text on
purpose and left to RNN002. Booleans written ``true``/``false`` are never sizes: RNN002.

Failing example:

```yaml
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 128
limits:
  max_params: 5e6
```

Passing example:

```yaml
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 128
limits:
  max_params: 5000000
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN004
NAME = "yaml11-number"
SEVERITY: Severity = "error"
PHASE: Phase = "main"
# Made by the dialects, which know where a number is expected.
RELAYS: tuple[str, ...] = ("rnnlint.dialects",)


def check(ctx: LintContext) -> Iterator[Finding]:
    return iter(())  # every finding is relayed (RELAYS)
