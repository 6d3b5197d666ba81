"""A part of the model that the toolkit builds and rnnlint does not count (a note).

Dialects count what a config sizes exactly (recurrent layers, and where they can the
embeddings, projections and heads around them). A part they cannot size from the file
(an attention module, a CNN front end, a transformer block) is not dropped in silence:
each gets this note at the line that declares it, the model's total becomes unknown
(``total_params`` null, ``complete`` false, the counted sum a lower bound in
``counted_params``), and a limit the lower bound cannot settle is RNN105.

The note appears only in a model with at least one recurrent layer. In a model with none
(a transformer, say) the parts left out are listed in the JSON ``omitted`` field, and the
total stays unknown, but no note is printed for every such file.

Failing example (Ludwig builds an embedding and an output decoder around the LSTM; their sizes
follow the data, which the config does not state):

```yaml
input_features:
  - name: text
    type: text
    encoder: rnn
    cell_type: lstm
    state_size: 32
output_features:
  - name: label
    type: category
```

Passing example (rnnlint's own dialect lists every part):

```yaml
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

CODE = codes.RNN106
NAME = "uncounted-part"
SEVERITY: Severity = "note"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def check(ctx: LintContext) -> Iterator[Finding]:
    # Beside no recurrent layer the note is noise (a transformer config would get one per file):
    # there the omissions show only in JSON ``omitted`` and in the unknown total.
    if ctx.model is None or not any(ctx.recurrent_layers()):
        return
    for omission in ctx.model.omitted:
        yield Finding(omission.message, omission.span)
