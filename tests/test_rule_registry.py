"""The rule registry enforces itself: codes, docs, and a failing and a passing example per rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rnnlint.rules import RULE_MODULES, all_rules

EXAMPLE = re.compile(r"^(Failing|Passing|Base) example[^`]*?:\n\n```(yaml|json)\n(.*?)```", re.S | re.M)
RULES = all_rules()


def examples(doc: str) -> dict[str, tuple[str, str]]:
    return {m.group(1): (m.group(2), m.group(3)) for m in EXAMPLE.finditer(doc)}


def test_codes_are_unique_and_well_formed() -> None:
    codes = [r.CODE for r in RULES]
    names = [r.NAME for r in RULES]
    assert len(codes) == len(set(codes)) == len(RULE_MODULES)
    assert len(names) == len(set(names))
    for rule in RULES:
        assert re.fullmatch(r"RNN\d{3}", rule.CODE)
        assert re.fullmatch(r"[a-z][a-z0-9-]+", rule.NAME)
        assert rule.SEVERITY in ("error", "warning", "note")
        module_name = type(rule).__name__ and rule.__name__.rsplit(".", 1)[-1]  # type: ignore[attr-defined]
        assert module_name.startswith(rule.CODE.lower()), "a rule module is named after its code"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_rule_is_documented(rule) -> None:  # type: ignore[no-untyped-def]
    doc = rule.__doc__ or ""
    assert len(doc.strip().splitlines()[0]) > 10
    found = examples(doc)
    assert set(found) - {"Base"} == {"Failing", "Passing"}, f"{rule.CODE} needs a failing and a passing example"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_rule_examples_through_the_cli(rule, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    found = examples(rule.__doc__ or "")
    extra: list[str] = []
    if "Base" in found:
        # A rule that compares with a git base (RNN107): commit the base under both names first.
        import subprocess

        lang, base = found.pop("Base")
        for kind in found:
            (tmp_path / f"{kind.lower()}.{lang}").write_text(base, encoding="utf-8")
        commit = ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]
        for args in (["init", "-q"], ["add", "-A"], commit):
            subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)
        extra = ["--diff-base", "HEAD"]
    for kind, (lang, text) in found.items():
        path = tmp_path / f"{kind.lower()}.{lang}"
        path.write_text(text, encoding="utf-8")
        result = run_cli("--format", "json", *extra, path)
        data = result.json()
        codes = [d["code"] for f in data["files"] for d in f["diagnostics"]]
        if kind == "Failing":
            assert rule.CODE in codes, f"{rule.CODE} failing example did not trigger: {codes}"
            expected_exit = 1 if rule.SEVERITY == "error" else 0
            assert result.code == expected_exit
        else:
            assert rule.CODE not in codes, f"{rule.CODE} passing example triggered: {result.out}"
        assert "Traceback" not in result.err


def test_readme_rule_table_lists_every_rule() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| {rule.CODE} | {rule.NAME} | {rule.SEVERITY} |" in readme
