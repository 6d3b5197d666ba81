"""A value the count needs is not in the file, and rnnlint assumed it (a note).

Dialects fill what a file leaves out from the toolkit's own defaults (by version where
versions differ) or from a documented convention, e.g. ESPnet's feature dimension or a
PaddleOCR backbone's output channels. Each such value is reported here, saying what was
assumed and how to state it (a key in the file, a ``# rnnlint:`` pragma, or an override
in the configuration), and makes the file's ``complete`` false in the JSON output.

Failing example (an OpenNMT-py config that leaves out rnn_type and the layer counts,
so the toolkit's defaults are assumed and reported):

```yaml
encoder_type: brnn
word_vec_size: 128
rnn_size: 256
```

Passing example (rnnlint's own dialect states every size):

```yaml
framework: pytorch
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

CODE = codes.RNN104
NAME = "assumed-value"
SEVERITY: Severity = "note"
PHASE: Phase = "main"
# Besides the assumed values below, the parse stage's notes (a Jsonnet std.extVar placeholder, the
# Jsonnet extra or h5py not installed).
RELAYS: tuple[str, ...] = ("rnnlint.parse",)


def check(ctx: LintContext) -> Iterator[Finding]:
    if ctx.model is None:
        return
    for assumption in ctx.model.assumptions:
        yield Finding(assumption.message, assumption.span)
