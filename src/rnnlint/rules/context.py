"""What a rule sees: one document's normalized model, its counts, and the settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from rnnlint.counting import Count
from rnnlint.model import LayerSpec, ModelConfig, SourcedValue, Span
from rnnlint.parse.document import Document
from rnnlint.parse.source import Problem, Source
from rnnlint.settings import LIMIT_KEYS, MIN_LIMITS, FileSettings


class Finding(NamedTuple):
    """What a rule yields: the engine adds the code and severity."""

    message: str
    span: Span


class CountedLayer:
    """A layer with its count (slots, not a NamedTuple: a field named ``count`` would hide tuple.count)."""

    __slots__ = ("count", "recurrent", "spec")

    def __init__(self, spec: LayerSpec, count: Count, recurrent: bool) -> None:
        self.spec = spec
        self.count = count
        self.recurrent = recurrent

    def __repr__(self) -> str:
        return f"CountedLayer(spec={self.spec!r}, count={self.count!r}, recurrent={self.recurrent!r})"


class LintContext:
    """One document as the rules see it (a plain slotted class: created once per document)."""

    __slots__ = ("_limits", "document", "layers", "model", "path", "problems", "settings", "source")

    def __init__(
        self,
        path: str,
        source: Source,
        settings: FileSettings,
        document: Document | None = None,
        model: ModelConfig | None = None,
        layers: tuple[CountedLayer, ...] = (),
        problems: list[Problem] | None = None,
    ) -> None:
        self.path = path
        self.source = source
        self.settings = settings
        self.document = document
        self.model = model
        self.layers = layers
        self.problems: list[Problem] = [] if problems is None else problems
        # limit() by name, with the model and settings it was worked out for (rules ask again).
        self._limits: dict[str, tuple[object, object, SourcedValue | None]] = {}

    @property
    def lower_bound(self) -> bool:
        """Whether the counted parts leave part of the model out (an unknown count or an omission)."""
        model = self.model
        if model is None:
            return False
        return bool(model.omitted) or any(c.count.params is None for c in self.layers)

    @property
    def counted_params(self) -> int | None:
        """The sum of every part counted: the model's total, or a lower bound of it (``lower_bound``).

        None when the model leaves parts out and no part could be counted: unknown, never 0."""
        if self.model is None:
            return None
        known = [c.count.params for c in self.layers if c.count.params is not None]
        if not known and self.lower_bound:
            return None
        return sum(known)

    @property
    def total_params(self) -> int | None:
        """The model's total: None unless every part the toolkit builds is counted."""
        return None if self.lower_bound else self.counted_params

    @property
    def recurrent_params(self) -> int | None:
        """The recurrent layers' total: None when one of them cannot be counted."""
        if self.model is None:
            return None
        counts = [c.count.params for c in self.layers if c.recurrent]
        return None if None in counts else sum(c for c in counts if c is not None)

    @property
    def complete(self) -> bool:
        """The total is the whole model, with nothing assumed (JSON ``complete``)."""
        return self.model is not None and not self.model.assumptions and not self.lower_bound

    def recurrent_layers(self) -> Iterator[CountedLayer]:
        return (c for c in self.layers if c.recurrent)

    def limit(self, name: str) -> SourcedValue | None:
        """The tightest of the file's, the configuration's and the command line's values."""
        assert name in LIMIT_KEYS
        known = self._limits.get(name)
        if known is not None and known[0] is self.model and known[1] is self.settings:
            return known[2]
        found = self._limit(name)
        self._limits[name] = (self.model, self.settings, found)
        return found

    def _limit(self, name: str) -> SourcedValue | None:
        candidates: list[SourcedValue] = []
        if self.model is not None and name in self.model.limits:
            candidates.append(self.model.limits[name])
        candidates.extend(self.settings.limit_values(name))
        if not candidates:
            return None
        if name in MIN_LIMITS:
            return max(candidates, key=lambda v: v.value)
        return min(candidates, key=lambda v: v.value)

    def dataset(self, name: str) -> SourcedValue | None:
        """A dataset figure: the file's own declaration wins over configuration."""
        if self.model is not None:
            declared = getattr(self.model, name, None)
            if isinstance(declared, SourcedValue):
                return declared
        return self.settings.dataset.get(name)
