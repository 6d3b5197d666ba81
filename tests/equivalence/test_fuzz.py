"""A longer fuzz run of the property suite's checks, with fresh random examples, for a time budget.

The budget is ``RNNLINT_FUZZ_SECONDS`` (seconds, total over the three kinds of input); without
it the run takes 90 s when the ``CI`` variable is set (GitHub, GitLab and most CI set it) and
15 s otherwise, so a local ``pytest`` stays quick. ``RNNLINT_FUZZ_SECONDS=0`` skips it.
A failure prints the falsifying example; hypothesis's seed is printed too, to replay it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.equivalence.test_properties import (
    native_configs,
    prop_mutation,
    prop_structure,
    prop_yaml_text,
    structures,
    yaml_text,
)


def budget() -> float:
    configured = os.environ.get("RNNLINT_FUZZ_SECONDS")
    if configured is not None:
        return float(configured)
    return 90.0 if os.environ.get("CI") else 15.0


FUZZ = settings(
    database=None,
    deadline=None,
    max_examples=100,
    suppress_health_check=list(HealthCheck),
)


@given(yaml_text, st.sampled_from([".yaml", ".json"]))
@FUZZ
def fuzz_yaml_text(text: str, suffix: str) -> None:
    prop_yaml_text(text, suffix)


@given(structures | native_configs, st.booleans())
@FUZZ
def fuzz_structures(data: Any, as_json: bool) -> None:
    prop_structure(data, as_json)


@given(st.integers(0, 10_000), st.integers(0, 2**32), st.integers(1, 40))
@FUZZ
def fuzz_mutations(index: int, seed: int, count: int) -> None:
    prop_mutation(index, seed, count)


@pytest.mark.parametrize("target", [fuzz_yaml_text, fuzz_structures, fuzz_mutations], ids=lambda f: f.__name__)
def test_fuzz_for_a_time_budget(target: Callable[[], None]) -> None:
    seconds = budget() / 3
    if seconds <= 0:
        pytest.skip("RNNLINT_FUZZ_SECONDS=0")
    stop = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < stop or rounds == 0:
        target()  # each call: a fresh random batch of up to 100 examples
        rounds += 1
