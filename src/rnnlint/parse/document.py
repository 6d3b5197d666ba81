"""A parsed document as the dialects see it: its data and the locator that finds each path's
source position. Kept free of PyYAML and of every parser, so that the parsers (:mod:`rnnlint.parse.yaml`,
:mod:`rnnlint.parse.json`, :mod:`rnnlint.parse.jsonnet`) can share it without importing each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from rnnlint.model import Span

if TYPE_CHECKING:
    from rnnlint.parse.source import Problem

PathItem = str | int
DocPath = tuple[PathItem, ...]


class Locator(Protocol):
    def value(self, path: DocPath) -> Span:
        """Position of the value at ``path`` (or of its nearest existing ancestor)."""

    def key(self, path: DocPath) -> Span:
        """Position of the mapping key that ends ``path`` (the value's position for list items)."""


class Tagged:
    """A YAML node with an application tag (``!new:...``, ``!ref``): kept inert, never constructed.

    A plain class, not a NamedTuple: dialects test data values with ``isinstance(v, tuple)``.
    """

    __slots__ = ("tag", "value")

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value

    def __eq__(self, other: object) -> bool:
        if type(other) is not Tagged:
            return NotImplemented
        return self.tag == other.tag and self.value == other.value

    def __hash__(self) -> int:
        return hash((self.tag, self.value))

    def __repr__(self) -> str:
        return f"Tagged(tag={self.tag!r}, value={self.value!r})"


class Document:
    """One parsed document: its data, and the locator that finds a path's source position."""

    __slots__ = ("count", "data", "index", "locator", "plain_integers", "problems")

    def __init__(
        self, data: Any, locator: Locator, index: int = 0, count: int = 1, problems: list[Problem] | None = None
    ) -> None:
        self.data = data
        self.locator = locator
        self.index = index
        # Set for files holding several YAML documents.
        self.count = count
        # Parse-stage findings about this document (duplicate keys, ...).
        self.problems: list[Problem] = [] if problems is None else problems
        # YAML only: True when the builder saw every integer written as plain decimal digits
        # (so none is a YAML 1.1 surprise such as 010 or 1:30); False when unknown.
        self.plain_integers = False
