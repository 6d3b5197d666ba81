"""rnnlint.reporters.jsontext writes exactly what json.dumps(value, indent=2) writes."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnlint.reporters import jsontext

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.sampled_from(["", "é", "\u2028", "\x00", '"quoted"', "back\\slash", "\U0001f600"]),
)
_keys = st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none())
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=5).map(tuple),
        st.dictionaries(_keys, inner, max_size=5),
    ),
    max_leaves=40,
)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(_values, st.booleans())
def test_same_text_as_json_dumps(value: Any, ensure_ascii: bool) -> None:
    assert jsontext.dumps(value, ensure_ascii=ensure_ascii) == json.dumps(value, indent=2, ensure_ascii=ensure_ascii)


@pytest.mark.parametrize(
    "value",
    [{}, [], {"a": {}}, {"a": []}, [[], {}], {"x": [1, 2.5, None, True, "s"]}, math.inf, -math.inf, 1e300, -0.0],
)
def test_edge_values(value: Any) -> None:
    assert jsontext.dumps(value) == json.dumps(value, indent=2)


def test_other_objects_are_refused_as_json_refuses_them() -> None:
    with pytest.raises(TypeError):
        jsontext.dumps({"a": object()})
    with pytest.raises(TypeError):
        jsontext.dumps({(1, 2): "tuple key"})


def test_the_json_report_is_what_json_dumps_writes(run_cli: Any, write: Any) -> None:
    config = "framework: pytorch\nmodel:\n  input_size: 8\n  layers:\n    - type: lstm\n      hidden_size: 4\n"
    path = write("m.yaml", config)
    result = run_cli("--format", "json", "--no-cache", path)
    assert result.out == json.dumps(json.loads(result.out), indent=2) + "\n"
