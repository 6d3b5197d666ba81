"""A ``# rnnlint:`` comment that rnnlint cannot read (an error).

Pragma comments declare what a file's own format has no place for (limits, dataset
figures, the input size, framework or dialect) and suppress diagnostics::

    # rnnlint: train_examples=25000 max_params=5_000_000
    - type: gru  # rnnlint: disable=RNN203

(Jsonnet files may use ``//`` as well as ``#``.) A pragma with an unknown key, a value
of the wrong kind, or an unknown rule code does nothing as written; a mistyped budget
would go unchecked without a word, so this is an error. The message says what is allowed;
unknown keys and codes get a "did you mean". Annotation comments written by ``rnnlint
annotate`` (``# rnnlint: 235,520 params (...)``) are not pragmas and are never reported.

Failing example:

```yaml
# rnnlint: max_parms=5_000_000
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 64
```

Passing example:

```yaml
# rnnlint: max_params=5_000_000
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 64
```
"""

from __future__ import annotations

from collections.abc import Iterator

from rnnlint import codes
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext

CODE = codes.RNN010
NAME = "invalid-pragma"
SEVERITY: Severity = "error"
PHASE: Phase = "main"
# Made by the engine's pragma reader.
RELAYS: tuple[str, ...] = ("rnnlint.engine",)


def check(ctx: LintContext) -> Iterator[Finding]:
    return iter(())  # every finding is relayed (RELAYS)
