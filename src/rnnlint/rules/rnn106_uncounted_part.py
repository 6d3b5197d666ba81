"""A part of the model that the toolkit builds and rnnlint does not count (a note).

Dialects count what a config sizes exactly (recurrent layers, and where they can the
embeddings, projections and heads around them). A part they cannot size from the file
(an attention module, a CNN front end, a transformer block) is not dropped in silence:
each gets this note at the line that declares it, the model's total becomes unknown
(``total_params`` null, ``complete`` false, the counted sum a lower bound in
``counted_params``), and a limit the lower bound cannot settle is RNN105.

Failing example (OpenNMT-py builds embeddings, attention and a generator around the
LSTMs; their sizes follow the vocabulary, which the config does not state):

```yaml
encoder_type: rnn
decoder_type: rnn
rnn_type: LSTM
layers: 2
rnn_size: 512
word_vec_size: 512
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
from typing import Any

from rnnlint.context import Finding, LintContext
from rnnlint.result import Severity

CODE = "RNN106"
NAME = "uncounted-part"
SEVERITY: Severity = "note"
OPTIONS: dict[str, Any] = {}


def check(ctx: LintContext) -> Iterator[Finding]:
    if ctx.model is None:
        return
    for omission in ctx.model.omitted:
        yield Finding(omission.message, omission.span)
