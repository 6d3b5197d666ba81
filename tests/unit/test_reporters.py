"""Every output format through the real CLI: examples/, the corpus, and each platform's own rules."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rnnlint.app.cli import check
from rnnlint.reporters import REPORTERS, names, resolve
from rnnlint.reporters.github import MAX_PER_LEVEL, escape_data, escape_property
from tests.conftest import CORPUS, EXAMPLES, REPO

SARIF_SCHEMA = CORPUS.parent / "external" / "sarif-schema-2.1.0.json"
CONCRETE = [name for name in names() if name != "auto"]
WORKFLOW_COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of examples/ under the working directory, so reports show relative paths."""
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return Path("examples")


def _props(line: str) -> dict[str, str]:
    match = WORKFLOW_COMMAND.match(line)
    assert match, line
    return dict(item.split("=", 1) for item in match.group("props").split(","))


def _sarif_structure_errors(document: Any) -> list[str]:
    """What GitHub's upload needs of a SARIF log, checked without the official schema."""
    errors: list[str] = []
    if document.get("version") != "2.1.0" or not str(document.get("$schema", "")).endswith(".json"):
        errors.append("version 2.1.0 and a $schema are required")
    runs = document.get("runs")
    if not isinstance(runs, list) or not runs:
        return [*errors, "runs: a non-empty list is required"]
    for i, run in enumerate(runs):
        driver = run.get("tool", {}).get("driver", {})
        if not isinstance(driver.get("name"), str):
            errors.append(f"runs[{i}].tool.driver.name is required")
        rule_ids = [rule.get("id") for rule in driver.get("rules", [])]
        for j, result in enumerate(run.get("results", [])):
            where = f"runs[{i}].results[{j}]"
            if not isinstance(result.get("message", {}).get("text"), str):
                errors.append(f"{where}.message.text is required")
            if result.get("level", "warning") not in {"none", "note", "warning", "error"}:
                errors.append(f"{where}.level {result.get('level')!r} is not a SARIF level")
            if "ruleIndex" in result and rule_ids[result["ruleIndex"]] != result.get("ruleId"):
                errors.append(f"{where}.ruleIndex does not point at its ruleId")
            for location in result.get("locations", []):
                physical = location.get("physicalLocation", {})
                if not isinstance(physical.get("artifactLocation", {}).get("uri"), str):
                    errors.append(f"{where}: a location needs artifactLocation.uri")
                region = physical.get("region", {})
                if not all(
                    isinstance(region.get(k, 1), int) and region.get(k, 1) >= 1
                    for k in ("startLine", "startColumn", "endLine", "endColumn")
                ):
                    errors.append(f"{where}: region lines and columns are 1-based integers")
    return errors


def _sarif_errors(document: Any) -> list[str]:
    """The structural check always; the official schema as well where ../shared has it."""
    errors = _sarif_structure_errors(document)
    if not SARIF_SCHEMA.is_file():
        return errors
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [*errors, *(f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document))]


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="needs ../shared/external/sarif-schema-2.1.0.json")
def test_sarif_output_validates_against_the_official_schema(run_cli, examples: Path) -> None:  # type: ignore[no-untyped-def]
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    document = json.loads(run_cli("--format", "sarif", examples).out)
    assert [e.message for e in validator.iter_errors(document)] == []
    # The schema check can fail: a log without its runs is refused.
    assert list(validator.iter_errors({"version": "2.1.0"}))


def test_the_structural_sarif_check_can_fail() -> None:
    assert _sarif_structure_errors({"version": "2.1.0", "$schema": "x.json", "runs": []})
    bad = {
        "version": "2.1.0",
        "$schema": "x.json",
        "runs": [{"tool": {"driver": {"name": "r"}}, "results": [{"level": "fatal"}]}],
    }
    assert len(_sarif_structure_errors(bad)) == 2


# --------------------------------------------------------------------------- registry


def test_format_choices_come_from_the_registry() -> None:
    option = next(p for p in check.params if p.name == "output_format")
    assert list(option.type.choices) == list(REPORTERS)  # type: ignore[attr-defined]
    assert {"text", "full", "json", "github", "sarif", "gitlab", "junit", "auto"} <= set(REPORTERS)


@pytest.mark.parametrize("name", CONCRETE)
def test_reporter_modules_declare_their_name(name: str) -> None:
    from rnnlint.reporters import get

    reporter = get(name)
    assert name == reporter.NAME
    assert len(reporter.DESCRIPTION) > 10


def test_start_up_imports_no_reporter_module() -> None:
    code = "import sys, rnnlint.app.cli; print(sorted(m for m in sys.modules if m.startswith('rnnlint.reporters.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_auto_resolves_from_the_environment() -> None:
    assert resolve("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve("auto", {}) == "text"
    assert resolve("auto", {"GITHUB_ACTIONS": "false"}) == "text"
    assert resolve("sarif", {"GITHUB_ACTIONS": "true"}) == "sarif"


def test_auto_through_the_cli(run_cli, examples: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    plain = run_cli("--format", "auto", examples)
    assert plain.out.startswith("examples/") and "::" not in plain.out
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    annotated = run_cli("--format", "auto", examples)
    assert annotated.out.startswith("::error ")
    assert annotated.code == plain.code == 1


# --------------------------------------------------------------------------- every format, real inputs


@pytest.mark.parametrize("name", CONCRETE)
def test_every_format_on_the_examples(run_cli, examples: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--format", name, examples)
    assert result.code == 1, result.err  # over_budget.yaml and schema_error.yaml fail on purpose
    assert result.err == ""
    assert "over_budget.yaml" in result.out
    _check_parses(name, result.out)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("name", CONCRETE)
def test_every_format_on_the_corpus(run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--format", name, CORPUS)
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.out + result.err
    _check_parses(name, result.out)


def _check_parses(name: str, out: str) -> None:
    if name in ("json", "gitlab"):
        json.loads(out)
    elif name == "sarif":
        assert _sarif_errors(json.loads(out)) == []
    elif name == "junit":
        ET.fromstring(out)
    elif name == "github":
        commands = [line for line in out.splitlines() if line.startswith("::")]
        assert commands
        for line in commands:
            _props(line)  # every command is well formed
    else:
        assert re.search(r"\d+ configs? checked", out)


# --------------------------------------------------------------------------- text and full


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(  # type: ignore[no-untyped-def]
    run_cli, examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = run_cli(examples)
    assert "\033[" not in piped.out
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.delenv("NO_COLOR")
    run_cli(examples)
    assert "\033[31mRNN101\033[0m" in terminal.getvalue()
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("NO_COLOR", "1")
    run_cli(examples)
    assert "\033[" not in terminal.getvalue() and "RNN101" in terminal.getvalue()


def test_full_shows_the_source_line_a_caret_and_the_derivation(run_cli, examples: Path) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("--format", "full", examples / "schema_error.yaml", examples / "clean.yaml").out
    lines = out.splitlines()
    at = lines.index(next(line for line in lines if "'hiden_size' was unexpected" in line))
    source = (Path.cwd() / examples / "schema_error.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[at + 1] == "   |"
    assert lines[at + 2] == f" 6 | {source[5]}"
    assert source[5].startswith("      hiden_size:")
    # The caret sits under column 7 and covers the key.
    assert lines[at + 3] == "   |       ^^^^^^^^^^"
    assert "    = 2 directions x 4 x [128x(100+128) + 2x128] = 235,520" in lines
    assert lines[-1].endswith("failed.")


def test_full_derivation_header_never_reads_zero_for_nothing_counted(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "partial.yaml",
        "model:\n  input_size: 8\n  layers:\n    - type: lstm\n      hidden_size: 16\n"
        "    - type: attention\n      size: 3\n",
    )
    write("jasper.yaml", "speech_config:\n  num_feature_bins: 80\nmodel_config:\n  name: jasper\n")
    write("dense.yaml", "model:\n  input_size: 10\n  layers:\n    - type: linear\n      out_features: 5\n")
    lines = run_cli("--format", "full", "partial.yaml", "jasper.yaml", "dense.yaml").out.splitlines()
    headers = {line.split(":")[0]: line for line in lines if ": native, " in line or ": tensorflowasr, " in line}
    assert headers["partial.yaml"] == (
        "partial.yaml: native, pytorch: at least 1,664 parameters (not the whole model), recurrent 1,664"
    )  # 4 x [16x(8+16) + 2x16]
    assert headers["dense.yaml"] == "dense.yaml: native, pytorch: 55 parameters, no recurrent layer"
    assert not any(" 0 parameters" in line for line in lines)
    assert headers["jasper.yaml"] == "jasper.yaml: tensorflowasr, keras: no layer counted, no recurrent layer"


# --------------------------------------------------------------------------- github


def test_escaping_follows_the_runner() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    # '%' first, so an escape is never escaped twice.
    assert escape_data("%0A") == "%250A"


def test_github_escapes_messages_and_properties_through_the_cli(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "odd,name:50%.yaml",
        """
        model:
          input_size: 40
          layers:
            - type: lstm
              name: "enc 50%: a,b\\nsecond line"
              hidden_size: 64
        """,
    )
    out = run_cli("--format", "github", "odd,name:50%.yaml").out
    notice = next(line for line in out.splitlines() if line.startswith("::notice"))
    props = _props(notice)
    assert props["file"] == "odd%2Cname%3A50%25.yaml"
    assert props["title"] == "rnnlint RNN100"
    message = WORKFLOW_COMMAND.match(notice).group("message")  # type: ignore[union-attr]
    assert message.startswith("enc 50%25: a,b%0Asecond line (lstm)")
    assert "\n" not in message


def test_github_levels_limits_and_positions(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    layers = "".join(f"    - type: gru\n      hidden_size: {64 + i}\n" for i in range(12))
    write("many.yaml", "model:\n  input_size: 40\n  layers:\n" + layers + "limits:\n  max_params: 1000\n")
    result = run_cli("--format", "github", "many.yaml")
    lines = result.out.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    levels = [line.split(" ", 1)[0] for line in commands]
    # Errors first, then notices; at most ten of each level.
    assert levels == ["::error"] + ["::notice"] * MAX_PER_LEVEL
    hidden_notes = [line for line in lines if line.startswith("many.yaml:") and " RNN100 " in line]
    assert len(hidden_notes) == 2
    assert "2 annotations not shown (2 notices)" in result.out
    # A layer spans lines: endLine is given and col is not (the runner would drop it).
    first_notice = _props(commands[1])
    assert first_notice["line"] == "4" and first_notice["endLine"] == "5" and "col" not in first_notice
    # A one-line span keeps its column.
    error = _props(commands[0])
    assert error["line"] == "1" and error["col"] == "1"


def test_github_paths_are_relative_to_the_workspace(  # type: ignore[no-untyped-def]
    run_cli, examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    out = run_cli("--format", "github", tmp_path / "examples" / "over_budget.yaml").out
    assert _props(out.splitlines()[0])["file"] == "examples/over_budget.yaml"


def test_github_step_summary_table(run_cli, examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_cli("--format", "github", examples)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")  # appended, never overwritten
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    # Failing configs first, then the largest first.
    assert [row.split("`")[1] for row in rows] == [
        "examples/over_budget.yaml",
        "examples/schema_error.yaml",
        "examples/too_big_for_dataset.yaml",
        "examples/stacked_bilstm_proj.yaml",
        "examples/clean.yaml",
    ]
    assert rows[0] == (
        "| `examples/over_budget.yaml` | native | 1 | 40,919,040 | 41,574,656 "
        "| 20,000,000 (limits.max_params at line 17) | :x: failed (2 errors) |"
    )
    assert rows[1] == (
        "| `examples/schema_error.yaml` | native | none | none | not counted | none | :x: failed (3 errors) |"
    )
    assert "| `examples/clean.yaml` | native | 1 | 235,520 | 2,236,034 | 5,000,000" in text
    assert "5 configs checked" in text


def _summary_cells(text: str) -> dict[str, list[str]]:
    return {
        line.split("`")[1]: [cell.strip() for cell in line.split("|")[2:-1]]
        for line in text.splitlines()
        if line.startswith("| `")
    }


def test_github_step_summary_leads_with_recurrent_or_failing_configs(  # type: ignore[no-untyped-def]
    run_cli, write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("big.yaml", "model:\n  input_size: 100\n  layers:\n    - type: lstm\n      hidden_size: 512\n")
    write("small.yaml", "model:\n  input_size: 8\n  layers:\n    - type: gru\n      hidden_size: 16\n")
    # A recurrent layer and a layer rnnlint cannot count: the total is a lower bound.
    write(
        "partial.yaml",
        "model:\n  input_size: 8\n  layers:\n    - type: lstm\n      hidden_size: 1024\n"
        "    - type: attention\n      size: 3\n",
    )
    # Nothing recurrent and nothing wrong: only counted on the closing line.
    write("dense.yaml", "model:\n  input_size: 10\n  layers:\n    - type: linear\n      out_features: 5\n")
    write("dense2.yaml", "model:\n  input_size: 10\n  layers:\n    - type: linear\n      out_features: 7\n")
    # A conv-only TensorFlowASR model with an error: listed, and its total is never "0".
    write(
        "jasper.yaml",
        "# rnnlint: bogus=1\nspeech_config:\n  num_feature_bins: 80\nmodel_config:\n  name: jasper\n",
    )
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_cli("--format", "github", ".")
    text = summary.read_text(encoding="utf-8")
    cells = _summary_cells(text)
    assert list(cells) == ["jasper.yaml", "partial.yaml", "big.yaml", "small.yaml"]
    assert cells["jasper.yaml"][1:4] == ["none", "none", "not counted"]
    assert cells["big.yaml"][1:4] == ["1", "1,257,472", "1,257,472"]  # 4 x [512x(100+512) + 2x512]
    assert cells["small.yaml"][1:4] == ["1", "1,248", "1,248"]  # 3 x [16x(8+16) + 2x16]
    assert cells["partial.yaml"][1:4] == ["1", "4,235,264", "at least 4,235,264"]  # 4 x [1024x(8+1024) + 2x1024]
    assert not any(row[3] == "0" for row in cells.values())
    assert "2 more configs with no recurrent layer and no errors or warnings (native 2)." in text.splitlines()


def test_github_step_summary_stays_under_githubs_limit(  # type: ignore[no-untyped-def]
    run_cli, write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rnnlint.reporters.github import SUMMARY_LIMIT

    for i in range(40):
        write(f"m{i:02}.yaml", f"model:\n  input_size: 8\n  layers:\n    - type: lstm\n      hidden_size: {16 + i}\n")
    summary = tmp_path / "summary.md"
    earlier = "x" * (SUMMARY_LIMIT - 4000) + "\n"  # what earlier commands of the step wrote
    summary.write_text(earlier, encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_cli("--format", "github", ".")
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode()) <= SUMMARY_LIMIT
    cells = _summary_cells(text[len(earlier) :])
    assert 0 < len(cells) < 40
    assert next(iter(cells)) == "m39.yaml"  # the largest are the ones kept
    left = 40 - len(cells)
    assert f"{left} more configs with recurrent layers or findings not shown" in text
    # With no room at all, nothing is appended (GitHub would reject the whole summary).
    summary.write_text("x" * SUMMARY_LIMIT, encoding="utf-8")
    run_cli("--format", "github", ".")
    assert len(summary.read_bytes()) == SUMMARY_LIMIT


def test_github_without_step_summary_writes_no_file(run_cli, examples: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = set(tmp_path.iterdir())
    run_cli("--format", "github", examples)
    assert set(tmp_path.iterdir()) - {tmp_path / ".rnnlint_cache"} == before  # the results cache is not a report


# --------------------------------------------------------------------------- sarif


def test_sarif_validates_and_describes_rules(run_cli, examples: Path) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(run_cli("--format", "sarif", examples).out)
    assert _sarif_errors(document) == []
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "rnnlint" and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    for rule in rules:
        assert {"id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"} <= set(rule)
    result = next(r for r in run["results"] if r["ruleId"] == "RNN101")
    assert rules[result["ruleIndex"]]["id"] == "RNN101"
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "examples/over_budget.yaml"
    assert location["region"]["startLine"] == 3 and location["region"]["startColumn"] == 1
    assert not [r for r in run["results"] if r["ruleId"] == "RNN100"]  # counts are not alerts (next test)


def _over_budget_config(document: dict[str, Any]) -> dict[str, Any]:
    configs = document["runs"][0]["properties"]["rnnlint"]["configs"]
    return next(c for c in configs if c["artifactLocation"]["uri"] == "examples/over_budget.yaml")


def test_sarif_carries_counts_in_properties_not_alerts(  # type: ignore[no-untyped-def]
    run_cli, examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RNNLINT_LAYER_NOTES", raising=False)
    document = json.loads(run_cli("--format", "sarif", examples).out)
    assert _sarif_errors(document) == []
    run = document["runs"][0]
    assert {r["ruleId"] for r in run["results"]} >= {"RNN101", "RNN102"}
    assert "RNN100" not in {r["ruleId"] for r in run["results"]}
    bag = run["properties"]["rnnlint"]
    assert bag["summary"]["linted"] == 5 and bag["summary"]["notes"] == 4
    assert len(bag["configs"]) == 5
    over = _over_budget_config(document)
    assert over["artifactLocation"] == {"uri": "examples/over_budget.yaml", "uriBaseId": "%SRCROOT%"}
    assert (over["dialect"], over["total_params"], over["counted_params"], over["complete"]) == (
        "native",
        41_574_656,
        41_574_656,
        True,
    )
    assert over["recurrent_params"] == 40_919_040
    decoder = next(layer for layer in over["layers"] if layer["recurrent"])
    assert (decoder["name"], decoder["params"], decoder["line"]) == ("decoder", 40_919_040, 9)
    assert [n["ruleId"] for n in over["notes"]] == ["RNN100"]
    assert over["notes"][0]["message"].startswith("decoder (gru, 2 layers): 40,919,040 params")

    # Asked for, the notes are results again (level note), and the other results keep their fingerprints.
    monkeypatch.setenv("RNNLINT_LAYER_NOTES", "1")
    with_notes = json.loads(run_cli("--format", "sarif", examples).out)
    assert _sarif_errors(with_notes) == []
    results = with_notes["runs"][0]["results"]
    assert {r["level"] for r in results if r["ruleId"] == "RNN100"} == {"note"}
    assert len([r for r in results if r["ruleId"] == "RNN100"]) == 4

    def prints(doc: dict[str, Any]) -> list[tuple[str, str]]:
        return [
            (r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"])
            for r in doc["runs"][0]["results"]
            if r["ruleId"] != "RNN100"
        ]

    assert prints(with_notes) == prints(document)


def test_sarif_count_note_raised_to_a_warning_is_a_result(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("model.yaml", "model:\n  input_size: 8\n  layers:\n    - type: gru\n      hidden_size: 16\n")
    write("rnnlint.toml", '[severity]\nRNN100 = "warning"\n')
    results = json.loads(run_cli("--format", "sarif", "model.yaml").out)["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("RNN100", "warning")]


def test_sarif_fingerprints_survive_unrelated_lines_moving(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    body = """
        model:
          input_size: 40
          layers:
            - type: lstm
              hidden_size: 64
              dropout: 0.3
            - type: lstm
              hidden_size: 64
              dropout: 0.3
        """
    write("model.yaml", body)
    before = json.loads(run_cli("--format", "sarif", "model.yaml").out)["runs"][0]["results"]
    write("model.yaml", "# a new header comment\n# and another\n\n" + textwrap.dedent(body).lstrip("\n"))
    after = json.loads(run_cli("--format", "sarif", "model.yaml").out)["runs"][0]["results"]

    def keyed(results: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
        return [
            (
                r["ruleId"],
                r["partialFingerprints"]["primaryLocationLineHash"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in results
        ]

    old, new = keyed(before), keyed(after)
    assert [k[:2] for k in old] == [k[:2] for k in new]
    assert [k[2] + 3 for k in old] == [k[2] for k in new]  # the lines did move
    hashes = [k[1] for k in old]
    assert len(set(hashes)) == len(hashes)  # two identical dropout lines: told apart by occurrence
    assert all(re.fullmatch(r"[0-9a-f]{16}:\d+", h) for h in hashes)


# --------------------------------------------------------------------------- gitlab, junit, output file


def test_gitlab_code_quality(run_cli, examples: Path) -> None:  # type: ignore[no-untyped-def]
    issues = json.loads(run_cli("--format", "gitlab", examples).out)
    assert issues
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"].startswith("examples/")
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    over = next(i for i in issues if i["check_name"] == "RNN101")
    assert over["severity"] == "major" and over["location"] == {
        "path": "examples/over_budget.yaml",
        "lines": {"begin": 3},
    }
    assert "RNN100" not in {i["check_name"] for i in issues}  # a count is not a code quality violation


def test_gitlab_count_notes_only_when_asked(  # type: ignore[no-untyped-def]
    run_cli, examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RNNLINT_LAYER_NOTES", raising=False)
    without = json.loads(run_cli("--format", "gitlab", examples).out)
    monkeypatch.setenv("RNNLINT_LAYER_NOTES", "true")
    issues = json.loads(run_cli("--format", "gitlab", examples).out)
    notes = [i for i in issues if i["check_name"] == "RNN100"]
    assert len(notes) == 4 and {i["severity"] for i in notes} == {"info"}
    assert [i for i in issues if i["check_name"] != "RNN100"] == without


def test_junit_one_case_per_config(run_cli, examples: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("examples/notes.txt.yaml", "just: a mapping\n")
    root = ET.fromstring(run_cli("--format", "junit", examples).out)
    cases = root.findall("./testsuite/testcase")
    assert sorted(c.get("name") for c in cases) == sorted(
        f"examples/{p.name}" for p in (Path.cwd() / "examples").iterdir()
    )
    failed = sorted(c.get("name") for c in cases if c.find("failure") is not None)
    assert failed == ["examples/over_budget.yaml", "examples/schema_error.yaml"]
    skipped = [c.get("name") for c in cases if c.find("skipped") is not None]
    assert skipped == ["examples/notes.txt.yaml"]
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "6" and suite.get("failures") == "2"


def test_junit_strict_fails_warnings(run_cli, examples: Path) -> None:  # type: ignore[no-untyped-def]
    root = ET.fromstring(run_cli("--format", "junit", "--strict", examples).out)
    failed = {c.get("name") for c in root.iter("testcase") if c.find("failure") is not None}
    assert "examples/too_big_for_dataset.yaml" in failed


@pytest.mark.parametrize("name", ["sarif", "junit", "github", "json"])
def test_output_file_gets_the_report_and_the_terminal_the_summary(  # type: ignore[no-untyped-def]
    run_cli, examples: Path, tmp_path: Path, name: str
) -> None:
    target = tmp_path / f"report.{name}"
    result = run_cli("--format", name, "--output-file", target, examples)
    assert result.code == 1
    assert result.out == "5 configs checked: 5 errors, 2 warnings, 4 notes; 4 recurrent layers counted; failed.\n"
    _check_parses(name, target.read_text(encoding="utf-8"))


def test_output_file_that_cannot_be_written(run_cli, examples: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "sarif", "--output-file", tmp_path / "missing" / "x.sarif", examples)
    assert result.code == 2
    assert "cannot write" in result.err and "Traceback" not in result.err


# --------------------------------------------------------------------------- rule documentation


def test_docs_rules_md_is_current() -> None:
    tool = REPO / "tools" / "gen_rules_doc.py"
    result = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + " (run: python tools/gen_rules_doc.py)"


def test_docs_rules_md_has_every_rule() -> None:
    from rnnlint.rules import all_rules

    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"## {rule.CODE} {rule.NAME}\n" in text
        assert f"](#{rule.CODE.lower()}-{rule.NAME})" in text


def test_explain_prints_the_rule_without_paths(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--explain", "RNN011")
    assert result.code == 0
    assert result.out.startswith("RNN011 (unused-suppression), default severity: warning")
    assert "Failing example:" in result.out
    assert run_cli("check", "--explain", "rnn101").out == run_cli("rule", "RNN101").out
    unknown = run_cli("--explain", "RNN999")
    assert unknown.code == 2 and "no rule 'RNN999'" in unknown.err


def test_junit_follows_the_jenkins_xunit_schema(run_cli, examples: Path, write) -> None:  # type: ignore[no-untyped-def]
    from tests.junit_schema import errors

    write("examples/notes.txt.yaml", "just: a mapping\n")
    for args in ((), ("--strict",)):
        root = ET.fromstring(run_cli("--format", "junit", *args, examples).out)
        assert errors(root) == []
    # The checker is not vacuous: what the output had before it followed the schema is refused.
    bad = ET.fromstring(
        '<testsuites skipped="0"><testsuite name="x"><testcase name="a" file="a"/></testsuite></testsuites>'
    )
    assert len(errors(bad)) == 5


def _repo(tmp_path: Path) -> Path:
    """A checkout: a folder with .git, the config one level down."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "conf").mkdir()
    (tmp_path / "repo" / "conf" / "m.yaml").write_text(
        "model:\n  input_size: 4\n  layers:\n    - {type: lstm, hidden_size: 8}\n  limits:\n    max_params: 10\n"
    )
    return tmp_path / "repo"


@pytest.mark.parametrize("where", [".", "conf"])
def test_sarif_and_gitlab_paths_are_relative_to_the_git_top(run_cli, tmp_path: Path, monkeypatch, where: str) -> None:  # type: ignore[no-untyped-def]
    repo = _repo(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    monkeypatch.chdir(repo / where)
    target = "conf/m.yaml" if where == "." else "m.yaml"
    sarif = json.loads(run_cli("--isolated", "--no-cache", "--format", "sarif", target).out)
    run = sarif["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"conf/m.yaml"}
    gitlab = json.loads(run_cli("--isolated", "--no-cache", "--format", "gitlab", target).out)
    assert {i["location"]["path"] for i in gitlab} == {"conf/m.yaml"}


def test_ci_checkout_variables_set_the_root(run_cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    repo = _repo(tmp_path)
    monkeypatch.chdir(repo)
    # CI checked out the parent: paths are relative to it, whatever the working directory.
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path))
    gitlab = json.loads(run_cli("--isolated", "--no-cache", "--format", "gitlab", "conf/m.yaml").out)
    assert {i["location"]["path"] for i in gitlab} == {"repo/conf/m.yaml"}
    monkeypatch.delenv("CI_PROJECT_DIR")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    sarif = json.loads(run_cli("--isolated", "--no-cache", "--format", "sarif", "conf/m.yaml").out)
    [uri] = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uri == "repo/conf/m.yaml"


def test_sarif_rules_carry_githubs_properties(run_cli, examples: Path) -> None:  # type: ignore[no-untyped-def]
    sarif = json.loads(run_cli("--format", "sarif", examples).out)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["RNN101"]["properties"] == {
        "tags": ["rnnlint", "model-size", "budget"],
        "precision": "very-high",
        "problem.severity": "error",
    }
    assert rules["RNN203"]["properties"]["precision"] == "high"
    assert rules["RNN100"]["properties"]["problem.severity"] == "recommendation"
    assert all({"tags", "precision", "problem.severity"} <= set(r["properties"]) for r in rules.values())
