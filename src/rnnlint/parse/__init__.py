"""Bytes -> documents with the line and column of every node (YAML, JSON, Jsonnet, Keras model files).

The front door: :func:`parse_source` sends a decoded file to its parser by suffix
(:mod:`rnnlint.parse.yaml`, :mod:`rnnlint.parse.json`, :mod:`rnnlint.parse.jsonnet`). Parse failures
are values (:class:`~rnnlint.parse.source.Problem` with code RNN001), never exceptions: the run goes
on with the next file.

This module stays light: a run served from the cache imports it (for :mod:`rnnlint.parse.source`) but
parses nothing, so the parsers, and yaml and json with them, are imported only when a file needs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from rnnlint.parse.source import DEFAULT_MAX_FILE_BYTES

if TYPE_CHECKING:
    from rnnlint.parse.document import DocPath, Document, PathItem
    from rnnlint.parse.json import Lenient
    from rnnlint.parse.source import Problem, Source

JSON_SUFFIXES = (".json",)
JSONNET_SUFFIXES = (".jsonnet", ".libsonnet")


class Parsed(NamedTuple):
    source: Source
    documents: list[Document]
    problems: list[Problem]
    # Set for a .json file that fails as JSON but reads as JSON with comments / trailing commas.
    lenient: Lenient | None = None


# --------------------------------------------------------------------------- templates

JINJA_SKIP_REASON = "Jinja2 template: rnnlint cannot lint it before rendering"
# A Jinja2 expression or statement: ``{{ name }}``, ``{% if ... %}`` (on one line).
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def is_jinja_template(text: str | None) -> bool:
    """Whether ``text`` holds Jinja2 syntax (checked only after the file failed to parse)."""
    return text is not None and _JINJA.search(text) is not None


# --------------------------------------------------------------------------- entry point


def parse_source(source: Source) -> Parsed:
    if source.text is None:
        problems = [source.problem] if source.problem else []
        return Parsed(source, [], problems)
    if source.member is not None or source.path.lower().endswith(JSON_SUFFIXES):
        # A Keras model file's text is its model JSON (rnnlint.parse.keras_files).
        from rnnlint.parse.json import lenient_json, parse_json

        documents, problems = parse_json(source.text)
        if problems and problems[0].message.startswith("JSON syntax error"):
            return Parsed(source, documents, problems, lenient_json(source.text))
    elif source.path.lower().endswith(JSONNET_SUFFIXES):
        # Jsonnet is evaluated (optional extra) and mapped back to its source: see rnnlint.parse.jsonnet.
        from rnnlint.parse.jsonnet import parse_jsonnet

        documents, problems = parse_jsonnet(source.path, source.text)
    else:
        from rnnlint.parse.yaml import parse_yaml  # yaml only for YAML files (and not on a cache hit)

        documents, problems = parse_yaml(source.text)
    return Parsed(source, documents, problems)


def load(path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES, stdin: bytes | None = None) -> Parsed:
    from rnnlint.parse.reading import read_source

    return parse_source(read_source(path, max_bytes, stdin))


def iter_mappings(data: Any, path: DocPath = ()) -> Iterator[tuple[DocPath, dict[str, Any]]]:
    """Every mapping in a document with its path, depth first (for dialects that search trees)."""
    stack: list[tuple[DocPath, Any]] = [(path, data)]
    while stack:
        p, node = stack.pop()
        if isinstance(node, dict):
            yield p, node
            items: Sequence[tuple[PathItem, Any]] = list(node.items())
        elif isinstance(node, list):
            items = list(enumerate(node))
        else:
            continue
        for k, v in reversed(items):
            if isinstance(v, (dict, list)):
                stack.append(((*p, k), v))
