"""OmegaConf interpolation inside one file (rnnlint.dialects.interpolation), checked against OmegaConf's semantics."""

from __future__ import annotations

from typing import Any

import pytest

from rnnlint.dialects.interpolation import UNRESOLVED, display, has_interpolation, lookup, resolve

DOC: dict[str, Any] = {
    "model": {
        "d_model": 256,
        "encoder": {
            "hidden_size": "${model.d_model}",
            "sibling": "${.hidden_size}",
            "parent": "${..d_model}",
            "name": "enc_${model.d_model}_x${.layers}",
            "layers": 2,
            "env": "${oc.env:HIDDEN}",
            "custom": "${if:${model.d_model},1,2}",
            "missing": "???",
            "to_missing": "${.missing}",
            "outside": "${dataset.train}",
            "too_far": "${....x}",
            "escaped": "\\${model.d_model}",
            "nested_key": "${model.sizes.${model.which}}",
        },
        "which": "small",
        "sizes": {"small": 64},
        "list": [10, {"h": "${model.list[0]}"}],
        "via_dot_index": "${model.list.0}",
    },
    "loop_a": "${loop_b}",
    "loop_b": "${loop_a}",
    "self": "${self}",
    "alias": "${model}",
    "through_alias": "${alias.d_model}",
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("model", "encoder", "hidden_size"), 256),
        (("model", "encoder", "sibling"), 256),
        (("model", "encoder", "parent"), 256),
        (("model", "encoder", "name"), "enc_256_x2"),
        (("model", "encoder", "escaped"), "${model.d_model}"),
        (("model", "encoder", "nested_key"), 64),
        (("model", "list", 1, "h"), 10),
        (("model", "via_dot_index"), 10),
        (("through_alias",), 256),
        (("model", "d_model"), 256),
    ],
)
def test_resolves_inside_the_file(path: tuple[Any, ...], expected: Any) -> None:
    assert lookup(DOC, path) == (expected, None)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (("model", "encoder", "env"), "resolver 'oc.env'"),
        (("model", "encoder", "custom"), "resolver 'if'"),
        (("model", "encoder", "missing"), "'???'"),
        (("model", "encoder", "to_missing"), "'???'"),
        (("model", "encoder", "outside"), "not in this file"),
        (("model", "encoder", "too_far"), "above the top"),
        (("loop_a",), "circular: loop_a -> loop_b -> loop_a"),
        (("self",), "circular"),
        (("no", "such", "key"), "not in this file"),
    ],
)
def test_unresolvable_values_are_unknown_with_a_note(path: tuple[Any, ...], words: str) -> None:
    value, note = lookup(DOC, path)
    assert value is UNRESOLVED
    assert note is not None and words in note


def test_resolve_takes_a_value_and_its_position() -> None:
    assert resolve(DOC, "${..d_model}", ("model", "encoder", "anything")) == (256, None)
    assert resolve(DOC, 7, ()) == (7, None)
    assert resolve(DOC, "plain", ()) == ("plain", None)
    value, note = resolve(DOC, "${unclosed", ())
    assert value is UNRESOLVED and note is not None and "unclosed" in note


def test_helpers() -> None:
    assert has_interpolation("a ${b}") and has_interpolation("???") and not has_interpolation(5)
    assert display(("model", "layers", 0, "hidden_size")) == "model.layers[0].hidden_size"
    assert repr(UNRESOLVED) == "UNRESOLVED"
