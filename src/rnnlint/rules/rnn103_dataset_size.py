"""Too many parameters for the declared dataset (a warning).

Checked only when the training data's size is declared: ``dataset.train_examples`` (and
``dataset.tokens``) in the file, a pragma, ``[tool.rnnlint]`` / an override, or the
command line. Two bounds, each overridable in the same places as the limits:

- ``max_params_per_example`` (default **1000**): parameters per training example. A model
  with more than a thousand weights for every example it sees can memorise its training
  set outright; the classic IMDB BiLSTM (about 2-3 M trainable parameters, 25,000 reviews)
  sits near 100, well inside the bound, while a 50 M parameter model on 25,000 examples
  (2,000 per example) is flagged.
- ``min_tokens_per_param`` (default **0.1**), where ``tokens`` is declared: training
  tokens per parameter. Language models are trained on many tokens per parameter (about
  20 for compute-optimal transformers); the Penn Treebank LSTMs of Zaremba et al. (2014),
  which needed heavy dropout to avoid overfitting, had 0.05 (medium, 20 M parameters on
  0.93 M tokens) and 0.014 (large). Below 0.1 the model is in that regime.

The total counts every parameter rnnlint can count (embeddings included, since they are
trained on the same data). The message gives the figures: parameters, examples, the ratio,
the bound and where it came from, and how many examples the bound asks for.

Failing example:

```yaml
model:
  input_size: 300
  layers:
    - type: lstm
      hidden_size: 1024
      num_layers: 2
dataset:
  train_examples: 5000
```

Passing example:

```yaml
model:
  input_size: 300
  layers:
    - type: lstm
      hidden_size: 128
dataset:
  train_examples: 25000
```
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from rnnlint import codes
from rnnlint.counting import fmt
from rnnlint.model import SourcedValue
from rnnlint.result import Severity
from rnnlint.rules import Phase
from rnnlint.rules.context import Finding, LintContext
from rnnlint.settings import keys

CODE = codes.RNN103
NAME = "dataset-size"
SEVERITY: Severity = "warning"
PHASE: Phase = "main"
RELAYS: tuple[str, ...] = ()


def _bound(ctx: LintContext, name: str) -> SourcedValue:
    found = ctx.limit(name)
    # The bounds' defaults are the setting keys' (rnnlint.settings.keys), like every other setting's.
    return found if found is not None else SourcedValue(keys.default(name), f"the default of {CODE}")


def _num(value: float) -> str:
    return fmt(int(value)) if float(value).is_integer() else f"{value:,.3g}"


def check(ctx: LintContext) -> Iterator[Finding]:
    total = ctx.counted_params
    if ctx.model is None or not total:
        return
    examples = ctx.dataset("train_examples")
    tokens = ctx.dataset("tokens")
    span = ctx.model.span
    at_least = "at least " if ctx.lower_bound else ""
    if examples is not None and examples.value > 0:
        bound = _bound(ctx, "max_params_per_example")
        ratio = total / examples.value
        if ratio > bound.value:
            needed = math.ceil(total / bound.value)
            yield Finding(
                f"model has {at_least}{fmt(total)} parameters for {_num(examples.value)} training examples "
                f"({examples.source}): {ratio:,.1f} per example, above the bound of {_num(bound.value)} "
                f"from {bound.source}; the bound asks for at least {fmt(needed)} examples",
                examples.span or span,
            )
    if tokens is not None:
        bound = _bound(ctx, "min_tokens_per_param")
        ratio = tokens.value / total
        if ratio < bound.value:
            needed = math.ceil(total * bound.value)
            yield Finding(
                f"model has {at_least}{fmt(total)} parameters for {_num(tokens.value)} training tokens "
                f"({tokens.source}): {ratio:,.3g} tokens per parameter, below the bound of "
                f"{_num(bound.value)} from {bound.source}; the bound asks for at least {fmt(needed)} tokens",
                tokens.span or span,
            )
