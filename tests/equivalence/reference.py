"""The reference for the YAML fast paths: the installed PyYAML's safe loaders, C (libyaml) and Python.

rnnlint reads YAML with ``yaml.CSafeLoader``; the block reader (:mod:`rnnlint.parse.yaml.block`) must give
the same data and marks for every text it accepts, and accept only texts that both safe loaders read the
same way (so that a PyYAML whose C and Python scanners differ, as they do on "?" in flow scalars, is
never a question for it). Declining is always allowed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import yaml

from rnnlint.parse.yaml import block as blockyaml
from rnnlint.parse.yaml import parse_yaml

# What PyYAML raises for a text it refuses: YAMLError, or a plain Python error from a constructor
# (the date 2020-13-45, a 5,000-digit integer).
REFUSALS = (yaml.YAMLError, ValueError, TypeError, OverflowError)


class Verdict(NamedTuple):
    accepted: bool
    documents: list[Any]  # the data of each document (empty when refused)


def pyyaml(text: str, reference: Any = yaml.CSafeLoader) -> Verdict:
    """``reference``'s verdict and data for every document of ``text``."""
    try:
        return Verdict(True, list(yaml.load_all(text, Loader=reference)))
    except REFUSALS:
        return Verdict(False, [])


def typed(value: Any) -> Any:
    """The value with every scalar's type spelled out (True != 1, 1.0 != 1, nan == nan, key order kept)."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, repr(value))


def same_marks(record: tuple[Any, ...], node: yaml.Node, text: str) -> None:
    """The block reader's record tree has libyaml's node tree: kinds, start and end marks, scalar texts,
    styles and tags."""
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    assert record[1:5] == marks, (record[:5], marks, text)
    kind = record[0]
    if kind == blockyaml.SCALAR:
        assert isinstance(node, yaml.ScalarNode), text
        # (CSafeLoader's nodes give a plain scalar the style "", the Python composer's None.)
        assert (record[5], record[6], record[7]) == (node.value, node.style or "", node.tag), text
    elif kind == blockyaml.MAP:
        assert isinstance(node, yaml.MappingNode), text
        assert len(record[5]) == len(node.value), text
        for (key_record, value_record), (key_node, value_node) in zip(record[5], node.value, strict=True):
            same_marks(key_record, key_node, text)
            same_marks(value_record, value_node, text)
    else:
        assert isinstance(node, yaml.SequenceNode), text
        assert len(record[5]) == len(node.value), text
        for item_record, item_node in zip(record[5], node.value, strict=True):
            same_marks(item_record, item_node, text)


def check_block_reader(text: str) -> bool:
    """Assert the block reader reads ``text`` as PyYAML does, or declines it; returns whether it accepted."""
    block = blockyaml.parse(text)
    if block is None:
        return False
    for reference in (yaml.CSafeLoader, yaml.SafeLoader):
        verdict = pyyaml(text, reference)
        assert verdict.accepted, f"{reference.__name__} refuses a text the block reader accepts:\n{text!r}"
        assert len(verdict.documents) == 1, f"{reference.__name__} reads {len(verdict.documents)} documents:\n{text!r}"
        assert typed(block.data) == typed(verdict.documents[0]), (reference.__name__, text)
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert root is not None, text
    same_marks(block.root, root, text)
    return True


def check_parse_yaml(text: str) -> None:
    """rnnlint's whole YAML route (block reader, then libyaml) gives CSafeLoader's verdict and data.

    Application tags ("!x") are kept as inert values on purpose where PyYAML refuses them, so texts with
    a "!" are not asked; nor are texts past rnnlint's own nesting and alias bounds (none are generated).
    """
    if "!" in text:
        return
    documents, problems = parse_yaml(text)
    verdict = pyyaml(text)
    assert (not problems) == verdict.accepted, (problems, text)
    if verdict.accepted:
        assert [typed(d.data) for d in documents] == [typed(d) for d in verdict.documents], text
