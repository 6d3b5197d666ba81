"""The dialect registry.

A dialect is a module with ``NAME`` (stable, used in the JSON output and ``--dialect``),
``detect(data) -> bool`` (cheap, from content only, never from file names) and
``adapt(doc, options) -> Adapted``. The order of :data:`DIALECT_MODULES` is the detection priority.
Optional module constants: ``LISTS_EVERY_PART = True`` for a dialect whose files list every part of
the model (for the others a model with no layer and no omission gets one: a toolkit always builds
something) and ``JSON_SYNTAX`` (what its toolkit's JSON reader accepts beyond JSON).

Adding a dialect ``foo`` (``NAME = "foo"``) is:

1. ``src/rnnlint/dialects/foo.py``: ``NAME``, ``detect``, ``adapt``. Read sections with
   :class:`rnnlint.dialects._support.SectionReader`, coerce values with its ``as_int`` / ``as_bool`` /
   ``as_float`` (naming how the toolkit's own code reads a string), and end a note on a size the file
   cannot state with ``how_to_state()``. A module whose name starts with ``_`` is a helper, never a dialect.
2. One line ``"foo",`` in :data:`DIALECT_MODULES`, placed by detection priority (more specific first).
3. Its tests: ``tests/unit/dialects/test_foo.py`` (fixtures in ``tests/unit/dialects/foo/``) and the example
   folder ``tests/examples/positive/foo/`` with its ``expected.json`` (tests/examples/README.md).
4. The docs: one row in the README's dialect table (``| `foo` | what it reads | framework conventions |``).

Nothing else names dialects: ``--dialect``, the ``dialect`` setting and pragma, ``rnnlint.count(dialect=)``
are checked against this registry, and detection walks it. tests/unit/dialects/test_support.py fails when a
public module is not registered or a ``NAME`` is missing from the README table; tests/acceptance/
test_examples.py when a ``NAME`` has no example folder.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType
from typing import Any, NamedTuple, Protocol, cast

from rnnlint.model import ModelConfig
from rnnlint.parse.document import Document
from rnnlint.parse.source import Problem

# module name under rnnlint.dialects, in detection order (most specific first).
DIALECT_MODULES: tuple[str, ...] = (
    "native",
    "keras_json",
    "tensorflowasr",
    "paddleocr",
    "rl_games",
    "mlagents",
    "rlzoo",
    "rllib",
    "ludwig",
    "allennlp",
    "espnet1",
    "wenet",
    "espnet2",
    "nemo",
    "asteroid",
    "torch_target",
    "opennmt_py",
    "joeynmt",
    "speechbrain",
    "paddlespeech",
    "marian",
    "coqui_tts",
)


class AdaptOptions(NamedTuple):
    """What a dialect may use besides the document itself."""

    path: str
    text: str | None = None
    # From settings / overrides: a framework or first-layer input size the file cannot state.
    framework: str | None = None
    input_size: int | None = None
    # rl_games: the environment's state size (the central value network's input) and action size (also rllib's
    # lstm_use_prev_action).
    state_size: int | None = None
    action_size: int | None = None


class Adapted:
    """What a dialect made of a document: the model (None when it cannot be built) and problems."""

    __slots__ = ("model", "problems")

    def __init__(self, model: ModelConfig | None, problems: list[Problem] | None = None) -> None:
        self.model = model
        self.problems: list[Problem] = [] if problems is None else problems

    def __repr__(self) -> str:
        return f"Adapted(model={self.model!r}, problems={self.problems!r})"


class Dialect(Protocol):
    NAME: str

    def detect(self, data: Any) -> bool: ...

    def adapt(self, doc: Document, options: AdaptOptions) -> Adapted: ...


@cache
def _load(module_name: str) -> Dialect:
    module: ModuleType = importlib.import_module(f"rnnlint.dialects.{module_name}")
    return cast(Dialect, module)


def all_dialects() -> list[Dialect]:
    return [_load(name) for name in DIALECT_MODULES]


def names() -> list[str]:
    return [d.NAME for d in all_dialects()]


def by_name(name: str) -> Dialect | None:
    for dialect in all_dialects():
        if name == dialect.NAME:
            return dialect
    return None


def detect(data: Any) -> Dialect | None:
    # One module at a time: a native file imports no other dialect (start-up time).
    for name in DIALECT_MODULES:
        dialect = _load(name)
        if dialect.detect(data):
            return dialect
    return None
