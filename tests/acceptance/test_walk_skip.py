"""The walk's skip rule: files met by walking a folder that are not model configs never fail a run.

A walked file that cannot be parsed, and whose text does not show it is a model config, is
skipped with its reason (JSON ``skip_reason``, ``--verbose`` on stderr). The same file named on
the command line, or a walked file whose text shows a model config, still gets RNN001 at its
line:column. AllenNLP ``.json`` experiments with comments and trailing commas are read as
AllenNLP reads them (through Jsonnet) and counted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from rnnlint.app import main as entry

TSCONFIG = """\
{
  // compiler options
  "compilerOptions": {
    "target": "es2020", /* inline */
    "strict": true,
  },
}
"""
VSCODE = '{\n  "editor.tabSize": 2,\n  "files.exclude": {"**/.git": true,},\n}\n'
DEVCONTAINER = """\
// For format details, see https://aka.ms/devcontainer.json
{
\t"name": "dev",
\t"image": "mcr.microsoft.com/devcontainers/base:ubuntu"
}
"""
JSON_LINES = '{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n'

# An AllenNLP experiment with the comments and trailing commas Jsonnet allows; STRICT is the same
# text with each comment blanked and each trailing comma removed (so every node keeps its position).
ALLENNLP = """\
# an AllenNLP experiment
{
  "dataset_reader": {"type": "sequence_tagging"},
  "train_data_path": "train.tsv",
  "model": {
    "type": "simple_tagger",
    // the embedder
    "text_field_embedder": {"token_embedders": {"tokens": {"type": "embedding", "embedding_dim": 6}}},
    "encoder": {
      "type": "lstm",
      "input_size": 6,
      "hidden_size": 5, /* one layer */
      "bidirectional": true,
    },
  },
}
"""
STRICT = """\

{
  "dataset_reader": {"type": "sequence_tagging"},
  "train_data_path": "train.tsv",
  "model": {
    "type": "simple_tagger",

    "text_field_embedder": {"token_embedders": {"tokens": {"type": "embedding", "embedding_dim": 6}}},
    "encoder": {
      "type": "lstm",
      "input_size": 6,
      "hidden_size": 5
      "bidirectional": true
    }
  }
}
""".replace('"hidden_size": 5\n', '"hidden_size": 5,\n')
# rnnlint's own format, which is plain JSON: a comment in it is an error wherever the file is.
NATIVE_WITH_COMMENT = (
    '{\n  "model": {\n    // one layer\n    "input_size": 8,\n'
    '    "layers": [{"type": "gru", "hidden_size": 4}]\n  }\n}\n'
)


def _json(run_cli: Any, *args: str | Path) -> tuple[int, dict[str, Any], str]:
    result = run_cli("--isolated", "--format", "json", *args)
    return result.code, {entry["path"]: entry for entry in result.json()["files"]}, result.err


def _junk(tmp_path: Path) -> None:
    """A project's non-config files, written for the test."""
    for name, text in {
        "web/tsconfig.json": TSCONFIG,
        ".vscode/settings.json": VSCODE,
        ".devcontainer/devcontainer.json": DEVCONTAINER,
        "docs/false_positives.json": JSON_LINES,
        "data/md5.json": "../../other/md5.json\n",  # a symlink stored as text by a checkout
    }.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "data" / "blob.json").write_bytes(b"\x00\x01binary")
    (tmp_path / "data" / "gone.yaml").symlink_to(tmp_path / "data" / "missing.yaml")


REASONS = {
    "web/tsconfig.json": "JSON with comments or trailing commas (an editor or tool setting), not a model config "
    "rnnlint knows",
    ".vscode/settings.json": "JSON with comments or trailing commas (an editor or tool setting), not a model config "
    "rnnlint knows",
    ".devcontainer/devcontainer.json": "JSON with comments or trailing commas (an editor or tool setting), not a "
    "model config rnnlint knows",
    "docs/false_positives.json": "not a model config: it does not parse (JSON syntax error: Extra data at 2:1) and "
    "names no recurrent layer",
    "data/md5.json": "not a model config: it does not parse (JSON syntax error: Expecting value at 1:1) and names "
    "no recurrent layer",
    "data/blob.json": "not a config: binary file (contains NUL bytes), not a config",
}


def test_walked_files_that_are_not_model_configs_are_skipped(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _junk(tmp_path)
    code, files, err = _json(run_cli, "--no-cache", ".")
    assert code == 0, files
    gone = f"dangling symlink: its target {tmp_path / 'data' / 'missing.yaml'} does not exist"
    assert {path: entry.get("skip_reason") for path, entry in files.items()} == {
        **{f"./{path}": reason for path, reason in REASONS.items()},
        "./data/gone.yaml": gone,
    }
    assert all(entry["skipped"] and not entry["diagnostics"] for entry in files.values())
    assert err == ""


def test_verbose_lists_each_skipped_file_and_its_reason(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _junk(tmp_path)
    for fmt in ("text", "json"):
        result = run_cli("--isolated", "--no-cache", "--verbose", "--format", fmt, ".")
        assert result.code == 0
        listed = sorted(line for line in result.err.splitlines())
        assert len(listed) == len(REASONS) + 1
        for path, reason in REASONS.items():
            assert f"rnnlint: skipped ./{path}: {reason}" in listed
    quiet = run_cli("--isolated", "--no-cache", ".")
    assert quiet.err == "" and quiet.out.startswith("0 configs checked, 7 skipped (not model configs)")
    # The text report itself is the same with and without --verbose.
    assert run_cli("--isolated", "--no-cache", "-v", ".").out == quiet.out
    # The console script's own parser (no click) takes -v as well.
    assert entry.main(["--isolated", "--no-cache", "-v", "."]) == 0


@pytest.mark.parametrize(
    ("name", "position", "message"),
    [
        ("web/tsconfig.json", (2, 3), "JSON syntax error: Expecting property name enclosed in double quotes"),
        (".vscode/settings.json", (3, 37), "JSON syntax error: Expecting property name enclosed in double quotes"),
        (".devcontainer/devcontainer.json", (1, 1), "JSON syntax error: Expecting value"),
        ("docs/false_positives.json", (2, 1), "JSON syntax error: Extra data"),
        ("data/blob.json", (1, 1), "binary file (contains NUL bytes), not a config"),
    ],
)
def test_the_same_files_named_on_the_command_line_are_errors(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, name: str, position: tuple[int, int], message: str
) -> None:
    _junk(tmp_path)
    code, files, _ = _json(run_cli, "--no-cache", name)
    assert code == 1
    (found,) = files[name]["diagnostics"]
    assert (found["code"], found["line"], found["column"], found["message"]) == ("RNN001", *position, message)


def test_a_named_dangling_symlink_is_an_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _junk(tmp_path)
    code, files, _ = _json(run_cli, "--no-cache", "data/gone.yaml")
    assert code == 1
    (found,) = files["data/gone.yaml"]["diagnostics"]
    assert found["code"] == "RNN001" and "dangling symlink" in found["message"]


def test_a_walked_file_whose_text_shows_a_model_config_is_still_an_error(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("cfg/broken.yaml", "model:\n  layers:\n    - type: lstm\n      hidden_size: [4\n")
    write("cfg/native.json", NATIVE_WITH_COMMENT)
    write("cfg/notes.yaml", "title: [unclosed\n")  # names no recurrent layer: skipped
    code, files, _ = _json(run_cli, "--no-cache", "cfg")
    assert code == 1
    (broken,) = files["cfg/broken.yaml"]["diagnostics"]
    assert (broken["code"], broken["line"], broken["column"]) == ("RNN001", 5, 1)
    (native,) = files["cfg/native.json"]["diagnostics"]
    assert (native["code"], native["line"], native["column"]) == ("RNN001", 3, 5)
    assert native["message"] == (
        "JSON syntax error: Expecting property name enclosed in double quotes "
        "(a // comment: native reads this file as plain JSON)"
    )
    assert files["cfg/notes.yaml"]["skipped"]


def test_a_forced_dialect_shows_a_model_config(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("cfg/x.yaml", "title: [unclosed\n")
    code, files, _ = _json(run_cli, "--no-cache", "--dialect", "native", "cfg")
    assert code == 1 and files["cfg/x.yaml"]["diagnostics"][0]["code"] == "RNN001"


def _layers(entry: dict[str, Any]) -> list[tuple[str, int, int, int | None]]:
    return [(layer["name"], layer["line"], layer["column"], layer["params"]) for layer in entry["layers"]]


def test_allennlp_json_with_comments_is_counted_where_it_is_written(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name, text in (("exp/experiment.json", ALLENNLP), ("strict/experiment.json", STRICT)):
        (tmp_path / name).parent.mkdir()
        (tmp_path / name).write_text(text, encoding="utf-8")  # as written: line 1 of STRICT is empty
    json.loads(STRICT)  # the reference really is JSON
    for args in (["exp/experiment.json"], ["exp"]):  # named and walked alike
        code, files, _ = _json(run_cli, "--no-cache", *args)
        lenient = files["exp/experiment.json"]
        assert code == 0 and lenient["dialect"] == "allennlp"
        _, reference, _ = _json(run_cli, "--no-cache", "strict/experiment.json")
        strict = reference["strict/experiment.json"]
        assert _layers(lenient) == _layers(strict)
        # 2 directions x 4 gates x [5 x (6 + 5) + 2 x 5] (torch.nn.LSTM, as AllenNLP builds it).
        assert ("encoder", 9, 16, 2 * 4 * (5 * (6 + 5) + 2 * 5)) in _layers(lenient)
        assert [(d["code"], d["line"], d["column"]) for d in lenient["diagnostics"]] == [
            (d["code"], d["line"], d["column"]) for d in strict["diagnostics"]
        ]


def test_the_lenient_reading_is_what_jsonnet_evaluates(tmp_path: Path) -> None:
    """AllenNLP reads the file with _jsonnet.evaluate_file (allennlp/common/params.py, Params.from_file)."""
    jsonnet = pytest.importorskip("_jsonnet")
    from rnnlint.parse import parse_source
    from rnnlint.parse.source import Source

    for text in (ALLENNLP, TSCONFIG, VSCODE, DEVCONTAINER, NATIVE_WITH_COMMENT):
        parsed = parse_source(Source(str(tmp_path / "x.json"), text))
        assert parsed.lenient is not None
        (document,) = parsed.lenient.documents
        assert document.data == json.loads(jsonnet.evaluate_snippet("x.json", text))


def test_coqui_style_line_comments_are_readable_by_a_dialect(tmp_path: Path) -> None:
    """A dialect whose toolkit strips // comments (Coqui TTS) can declare JSON_SYNTAX = {"//"}."""
    from rnnlint.parse import parse_source
    from rnnlint.parse.source import Source

    text = '{\n  "model": "tacotron",  // the model\n  "r": 7\n}\n'
    parsed = parse_source(Source(str(tmp_path / "config.json"), text))
    assert parsed.lenient is not None and parsed.lenient.features == frozenset({"//"})
    (document,) = parsed.lenient.documents
    assert document.data == {"model": "tacotron", "r": 7}
    assert (document.locator.key(("r",)).line, document.locator.key(("r",)).column) == (3, 3)
    with_comma = parse_source(Source(str(tmp_path / "config.json"), '{"r": 7, // x\n}\n'))
    assert with_comma.lenient is not None and with_comma.lenient.features == frozenset({"//", ","})


def test_cached_runs_keep_walked_and_named_apart(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _junk(tmp_path)
    (tmp_path / "web" / "exp.json").write_text(ALLENNLP, encoding="utf-8")
    cold = run_cli("--isolated", "--format", "json", ".")
    warm = run_cli("--isolated", "--format", "json", ".")
    assert cold.code == warm.code == 0 and cold.out == warm.out
    assert run_cli("--isolated", ".").out == run_cli("--isolated", ".").out  # the text format's cache too
    # Named after a walk cached it as skipped: reported, not served the walk's entry.
    named = run_cli("--isolated", "--format", "json", "web/tsconfig.json")
    assert named.code == 1 and named.json()["files"][0]["diagnostics"][0]["code"] == "RNN001"
    again = run_cli("--isolated", "--format", "json", ".")
    assert again.out == cold.out


def test_workers_apply_the_rule_as_one_process_does(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _junk(tmp_path)
    for i in range(40):
        path = tmp_path / "many" / f"m{i:02d}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"model:\n  input_size: 8\n  layers: [{{type: gru, hidden_size: {i + 1}}}]\n")
    (tmp_path / "many" / "junk.json").write_text(JSON_LINES, encoding="utf-8")
    (tmp_path / "named.json").write_text(JSON_LINES, encoding="utf-8")
    args = ("--isolated", "--no-cache", "--format", "json", "named.json", ".")
    serial = run_cli("-j", "1", *args)
    parallel = run_cli("-j", "2", *args)
    assert serial.code == parallel.code == 1
    assert serial.out == parallel.out
    files = {entry["path"]: entry for entry in serial.json()["files"]}
    assert files["named.json"]["diagnostics"][0]["code"] == "RNN001"
    assert files["./many/junk.json"]["skipped"]


def test_unreadable_and_oversized_files_stay_errors_when_walked(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # The size cap is about this machine's setting, not the file's format: reported wherever it is met.
    write("d/big.json", json.dumps({"data": "x" * 100}))
    code, files, _ = _json(run_cli, "--no-cache", "--max-file-bytes", "20", "d")
    assert code == 1 and "size cap" in files["d/big.json"]["diagnostics"][0]["message"]


def test_jinja_templates_keep_their_reason(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("t/model.yml.j2", "model: {{ name }}\n  x: [\n")
    write("t/model.yaml", "model: {% if x %}\n  - [\n")
    code, files, _ = _json(run_cli, "--no-cache", "t")
    assert code == 0 and files["t/model.yaml"]["skip_reason"].startswith("Jinja2 template")
    assert os.path.exists("t/model.yml.j2")
