"""The pre-commit hook definition and the repository's own hook config, checked against sample paths.

Matching follows pre-commit: ``files`` / ``exclude`` are regexes searched in the path, and the
file's identify tags must meet ``types`` (all), ``types_or`` (any) and ``exclude_types`` (none).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from identify.identify import tags_from_filename

from tests.conftest import EXAMPLES, REPO


def _hook(path: Path, hook_id: str) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    hooks = data if isinstance(data, list) else [h for repo in data["repos"] for h in repo["hooks"]]
    return next(h for h in hooks if h["id"] == hook_id)


def selects(hook: dict[str, Any], path: str) -> bool:
    """Whether pre-commit would pass ``path`` to ``hook``."""
    if not re.search(hook.get("files", ""), path):
        return False
    if re.search(hook.get("exclude", "^$"), path):
        return False
    tags = tags_from_filename(path)
    if not set(hook.get("types", ["file"])) - {"file"} <= tags:
        return False
    types_or = set(hook.get("types_or", []))
    if types_or and not types_or & tags:
        return False
    return not set(hook.get("exclude_types", [])) & tags


PUBLISHED = _hook(REPO / ".pre-commit-hooks.yaml", "rnnlint")
DOGFOOD = _hook(REPO / ".pre-commit-config.yaml", "rnnlint")


@pytest.mark.parametrize(
    "path",
    [
        "config.yaml",
        "conf/train.yml",
        "models/keras_model.json",
        "allennlp/experiment.jsonnet",
        "lib/common.libsonnet",
        "path with spaces/asr.yaml",
        "UPPER.YAML",
    ],
)
def test_published_hook_selects_configs(path: str) -> None:
    assert selects(PUBLISHED, path)


@pytest.mark.parametrize(
    "path",
    ["train.py", "pyproject.toml", "README.md", "conf/train.yml.j2", "settings.json5", "Makefile", "data.csv"],
)
def test_published_hook_skips_other_files(path: str) -> None:
    assert not selects(PUBLISHED, path)


def test_published_hook_runs_rnnlint() -> None:
    assert PUBLISHED["entry"] == "rnnlint"
    assert PUBLISHED["language"] == "python"


def test_dogfood_hook_selects_the_passing_examples_only() -> None:
    assert selects(DOGFOOD, "examples/clean.yaml")
    assert selects(DOGFOOD, "examples/new_example.json")
    assert not selects(DOGFOOD, "examples/over_budget.yaml")
    assert not selects(DOGFOOD, "examples/schema_error.yaml")
    assert not selects(DOGFOOD, "tests/fixtures/clean.yaml")
    assert not selects(DOGFOOD, "docs/rules.md")


def test_dogfood_scope_matches_what_really_passes(run_cli) -> None:  # type: ignore[no-untyped-def]
    """The examples the repo's hook checks pass rnnlint; the ones it leaves out really fail."""
    for example in sorted(EXAMPLES.iterdir()):
        rel = f"examples/{example.name}"
        code = run_cli(example).code
        if selects(DOGFOOD, rel):
            assert code == 0, f"{rel} is checked by .pre-commit-config.yaml but fails rnnlint"
        elif selects(PUBLISHED, rel):
            assert code == 1, f"{rel} is left out of .pre-commit-config.yaml but passes: check it"
