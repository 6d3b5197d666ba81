"""``rnnlint annotate``: round trips over the corpus, byte-exactness, placement, safety, exit codes.

Everything runs through the real CLI (``run_cli``).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnlint import annotate
from rnnlint.app.annotate import count_models
from rnnlint.parse.jsonnet import parse_jsonnet
from rnnlint.parse.yaml import parse_yaml
from rnnlint.settings import Settings
from tests.acceptance.test_hook_files import _hook, selects
from tests.conftest import CORPUS, EXAMPLES, REPO

FIXTURES = Path(__file__).resolve().parent / "annotate"
ROUND_TRIP_SUFFIXES = (".yaml", ".yml", ".jsonnet")


def _round_trip_files() -> list[Path]:
    roots = [EXAMPLES, FIXTURES] + ([CORPUS] if CORPUS.is_dir() else [])
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file() and p.suffix in ROUND_TRIP_SUFFIXES)


ROUND_TRIP_FILES = _round_trip_files()


def _data(path: Path) -> str:
    """What a reader gets from the file (repr: key order and NaN compare too), plus its parse problems."""
    text = path.read_bytes().decode("utf-8-sig")
    if path.suffix == ".jsonnet":
        documents, problems = parse_jsonnet(str(path), text)
    else:
        documents, problems = parse_yaml(text)
    return repr(([d.data for d in documents], [p.message for p in problems]))


def _copy(path: Path, tmp_path: Path) -> Path:
    """A copy of ``path``'s folder (Jsonnet imports resolve beside the file) with a project root marker."""
    target = tmp_path / "copy"
    shutil.copytree(path.parent, target)
    (target / ".git").mkdir()
    return target / path.name


def _items(text: str, marker: str = "#") -> list[str]:
    """Every annotation item in ``text`` (a combined comment counts each of its items)."""
    found: list[str] = []
    for line in text.splitlines():
        _, sep, body = line.partition(f"{marker} rnnlint: ")
        if sep and "params" in body:
            found.extend(body.split("; "))
    return found


@pytest.mark.parametrize("path", ROUND_TRIP_FILES, ids=lambda p: f"{p.parent.name}/{p.name[:70]}")
def test_round_trip(run_cli, tmp_path: Path, path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = _copy(path, tmp_path)
    original = copy.read_bytes()
    before = _data(copy)

    first = run_cli("annotate", copy)
    assert "Traceback" not in first.err
    annotated = copy.read_bytes()
    assert first.code == (1 if annotated != original else 0), first.err
    assert _data(copy) == before, "annotating changed what the file means"

    again = run_cli("annotate", copy)
    assert (again.code, copy.read_bytes()) == (0, annotated), again.err
    assert run_cli("annotate", "--check", copy).code == 0

    stripped = run_cli("annotate", "--strip", copy)
    assert copy.read_bytes() == original
    assert stripped.code == (1 if annotated != original else 0)


def test_round_trip_covers_the_corpus(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every recurrent layer the linter counts gets an annotation (the round trips are not vacuous),
    and the annotated files lint as the originals did."""
    if not CORPUS.is_dir():  # pragma: no cover - CI has ../shared beside the clone
        pytest.skip("corpus not present")
    copy = tmp_path / "corpus"
    shutil.copytree(CORPUS, copy)
    (copy / ".git").mkdir()
    linted = run_cli("--format", "json", "--exit-zero", copy).json()
    run_cli("annotate", copy)
    relinted = run_cli("--format", "json", "--exit-zero", copy).json()
    # Annotations are comments, not pragmas: the annotated corpus lints exactly as before.
    assert [(f["diagnostics"], f["layers"]) for f in relinted["files"]] == [
        (f["diagnostics"], f["layers"]) for f in linted["files"]
    ]
    annotated_files = 0
    for entry in linted["files"]:
        path = Path(entry["path"])
        recurrent = [layer for layer in entry["layers"] if layer["recurrent"]]
        if entry["skipped"] or not recurrent or path.suffix == ".json":
            continue
        marker = annotate.comment_marker(path.name) or "#"
        items = _items(path.read_text(encoding="utf-8-sig"), marker)
        layer_items = [i for i in items if not i.startswith("total ")]
        assert len(layer_items) >= len(recurrent), (path.name, items)
        assert any(i.startswith("total ") for i in items), path.name
        annotated_files += 1
    assert annotated_files >= 80


# --------------------------------------------------------------------------- bytes kept


def test_crlf_bom_and_missing_final_newline_are_kept(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "crlf.yaml"
    original = (
        b"\xef\xbb\xbfmodel:\r\n"
        b"  input_size: 10\r\n"
        b"  layers:\n"  # one LF line among CRLF ones: each line keeps its own ending
        b"    - type: gru   \r\n"  # trailing whitespace
        b"      hidden_size: 4"  # no final newline
    )
    path.write_bytes(original)
    assert run_cli("annotate", path).code == 1
    assert path.read_bytes() == (
        b"\xef\xbb\xbfmodel:  # rnnlint: total 192 params (recurrent 192)\r\n"
        b"  input_size: 10\r\n"
        b"  layers:\n"
        b"    - type: gru     # rnnlint: 192 params (gru)\r\n"
        b"      hidden_size: 4"
    )
    assert run_cli("annotate", "--strip", path).code == 1
    assert path.read_bytes() == original


def test_cr_only_line_ends(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cr.yaml"
    original = b"model:\r  input_size: 10\r  layers:\r    - type: rnn\r      hidden_size: 2\r"
    path.write_bytes(original)
    run_cli("annotate", path)
    assert path.read_bytes().split(b"\r")[3] == b"    - type: rnn  # rnnlint: 28 params (rnn)"
    run_cli("annotate", "--strip", path)
    assert path.read_bytes() == original


def test_user_comment_with_tabs_is_kept_and_annotation_follows(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "tabs.yaml",
        """
        model:
          input_size: 10
          layers:
            - type: lstm\t# encoder:\tsee the paper\t
              hidden_size: 4
        """,
    )
    original = path.read_bytes()
    run_cli("annotate", path)
    line = path.read_text(encoding="utf-8").splitlines()[3]
    assert line == "    - type: lstm\t# encoder:\tsee the paper\t  # rnnlint: 256 params (lstm)"
    run_cli("annotate", "--strip", path)
    assert path.read_bytes() == original


# --------------------------------------------------------------------------- placement


def _annotated(run_cli, write, name: str, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    path = write(name, text)
    original = path.read_bytes()
    before = _data(path)
    result = run_cli("annotate", path)
    assert result.code in (0, 1), result.err
    assert _data(path) == before
    lines = path.read_text(encoding="utf-8").splitlines()
    run_cli("annotate", "--strip", path)
    assert path.read_bytes() == original
    return lines


def test_flow_style_layer(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    lines = _annotated(
        run_cli,
        write,
        "flow.yaml",
        """
        model:
          input_size: 10
          layers:
            - {type: lstm, hidden_size: 8}
            - {type: linear, out_features: 2}
        """,
    )
    assert lines[3] == "    - {type: lstm, hidden_size: 8}  # rnnlint: 640 params (lstm)"
    assert "rnnlint" not in lines[4]  # only recurrent layers are annotated


def test_several_layers_on_one_line_share_one_comment(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    lines = _annotated(
        run_cli,
        write,
        "one_line.yaml",
        """
        model: {input_size: 10, layers: [{type: gru, hidden_size: 4, name: enc}, {type: rnn, hidden_size: 2}]}
        """,
    )
    assert lines[0].endswith(
        "  # rnnlint: total 208 params (recurrent 208); 192 params (enc: gru); 16 params (layers[1]: rnn)"
    )


def test_layer_inside_a_multi_line_flow_collection(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    lines = _annotated(
        run_cli,
        write,
        "multi_line_flow.yaml",
        """
        model:
          input_size: 10
          layers: [{type: gru,
                    hidden_size: 4},
                   {type: rnn, hidden_size: 2}
          ]
        """,
    )
    # No '#' inside a flow collection that goes on: both land where it closes.
    assert lines[2:5] == [
        "  layers: [{type: gru,",
        "            hidden_size: 4},",
        "           {type: rnn, hidden_size: 2}",
    ]
    assert lines[5] == "  ]  # rnnlint: 192 params (layers[0]: gru); 16 params (layers[1]: rnn)"


def test_hash_inside_a_quoted_string_on_the_layer_line(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    lines = _annotated(
        run_cli,
        write,
        "quoted.yaml",
        """
        model:
          input_size: 10
          layers:
            - {type: lstm, hidden_size: 8, name: "enc # 1"}  # keep me
        """,
    )
    assert lines[3] == '    - {type: lstm, hidden_size: 8, name: "enc # 1"}  # keep me  # rnnlint: 640 params (lstm)'


def test_multi_line_scalar_on_the_layer_line_moves_the_annotation(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    lines = _annotated(
        run_cli,
        write,
        "scalar.yaml",
        """
        model:
          input_size: 10
          layers:
            - name: "a long
                name"
              type: rnn
              hidden_size: 2
            - name: plain
                continued
              type: rnn
              hidden_size: 2
        """,
    )
    assert lines[3] == '    - name: "a long'
    assert lines[4] == '        name"  # rnnlint: 28 params (rnn)'
    assert lines[7] == "    - name: plain"
    assert lines[8] == "        continued  # rnnlint: 12 params (rnn)"  # its input is the first rnn's 2


def test_annotation_after_a_pragma_keeps_the_pragma_working(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "pragma.yaml",
        """
        model:
          input_size: 10
          layers:
            - type: gru  # rnnlint: disable=RNN100
              hidden_size: 4
        """,
    )
    assert "RNN100" not in run_cli(path).out
    run_cli("annotate", path)
    assert "# rnnlint: disable=RNN100  # rnnlint: 192 params (gru)" in path.read_text(encoding="utf-8")
    out = run_cli(path).out
    assert "RNN100" not in out
    assert "RNN011" not in out
    assert ":4:" not in out  # no RNN010 either: the annotation is commentary after the pragma


def test_existing_annotation_is_updated_in_place(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "stale.yaml",
        """
        model:  # rnnlint: total 9 params (recurrent 9)
          input_size: 10
          layers:
            - type: gru  # mine  # rnnlint: 9 params (gru)
              hidden_size: 4
            - type: linear  # rnnlint: 1 params (gru)
              out_features: 2
        """,
    )
    check = run_cli("annotate", "--check", path)
    assert check.code == 1
    assert "-    - type: gru  # mine  # rnnlint: 9 params (gru)" in check.out
    assert "+    - type: gru  # mine  # rnnlint: 192 params (gru)" in check.out
    assert run_cli("annotate", path).code == 1
    assert path.read_text(encoding="utf-8").splitlines()[:6] == [
        "model:  # rnnlint: total 202 params (recurrent 192)",
        "  input_size: 10",
        "  layers:",
        "    - type: gru  # mine  # rnnlint: 192 params (gru)",
        "      hidden_size: 4",
        "    - type: linear",  # a stale annotation on a line that no longer needs one goes
    ]


def test_duplicated_annotations_collapse_to_one(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "merged.yaml",
        """
        model:
          input_size: 10
          layers:
            - type: rnn  # rnnlint: 1 params (rnn)  # rnnlint: 2 params (rnn)
              hidden_size: 2
        """,
    )
    run_cli("annotate", path)
    assert path.read_text(encoding="utf-8").splitlines()[3] == "    - type: rnn  # rnnlint: 28 params (rnn)"


def test_annotation_look_alikes_inside_strings_are_never_stripped(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = """
    quoted: "x
      # rnnlint: 5 params (lstm)
      y"
    block: |
      # rnnlint: 5 params (lstm)
    model:
      input_size: 10
      layers:
        - type: rnn
          hidden_size: 2
    """
    path = write("lookalike.yaml", text)
    before = _data(path)
    run_cli("annotate", path)
    assert _data(path) == before
    run_cli("annotate", "--strip", path)
    assert _data(path) == before
    assert path.read_text(encoding="utf-8").count("# rnnlint: 5 params (lstm)") == 2


def test_incomplete_model_says_at_least(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    lines = _annotated(
        run_cli,
        write,
        "unknown.yaml",
        """
        params:
          network:
            name: actor_critic
            separate: False
            mlp:
              units: [256, 128]
            rnn:
              name: lstm
              units: 64
              layers: 1
              before_mlp: True
        """,
    )
    joined = "\n".join(lines)
    assert "# rnnlint: total at least " in joined
    assert "# rnnlint: unknown params (lstm)" in joined


# --------------------------------------------------------------------------- Jsonnet and JSON


JSONNET = """\
// An AllenNLP experiment.
local hidden = 8;
{
  "notes": |||
    // rnnlint: 5 params (lstm)
  |||,
  "url": "http://example.org/#x",
  "model": {
    "type": "basic_classifier", /* inline
      block comment */ "text_field_embedder": {},
    "seq2vec_encoder": {  # the encoder
      "type": "lstm",
      "input_size": 10,
      "hidden_size": hidden
    }
  },
  "dataset_reader": {"type": "sst_tokens"},
  "train_data_path": "train.txt"
}
"""


def test_jsonnet_gets_slash_comments(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("experiment.jsonnet", JSONNET)
    (path.parent / ".git").mkdir()
    before = _data(path)
    assert run_cli("annotate", path).code == 1
    assert _data(path) == before
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[7] == '  "model": {  // rnnlint: total 640 params (recurrent 640)'
    assert lines[10] == '    "seq2vec_encoder": {  # the encoder  // rnnlint: 640 params (lstm)'
    assert lines[4] == "    // rnnlint: 5 params (lstm)"  # inside a text block: text, not a comment
    assert run_cli("annotate", "--strip", path).code == 1
    assert path.read_text(encoding="utf-8") == JSONNET


def test_comment_marker_is_chosen_by_suffix() -> None:
    assert annotate.comment_marker("a/b.yaml") == "#"
    assert annotate.comment_marker("B.YML") == "#"
    assert annotate.comment_marker("x.jsonnet") == "//"
    assert annotate.comment_marker("lib.libsonnet") == "//"
    assert annotate.comment_marker("model.json") is None
    assert annotate.comment_marker("config.cfg") == "#"  # rnnlint reads other files as YAML


def test_json_is_left_alone_with_a_note(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("model.json", '{"model": {"input_size": 10, "layers": [{"type": "rnn", "hidden_size": 2}]}}')
    original = path.read_bytes()
    result = run_cli("annotate", path)
    assert result.code == 0
    assert f"{path.name}: note: JSON files cannot hold comments; left alone" in result.err
    assert path.read_bytes() == original


def test_directory_walk_notes_json_model_configs_only(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write("configs/model.json", '{"model": {"input_size": 10, "layers": [{"type": "rnn", "hidden_size": 2}]}}')
    write("configs/package.json", '{"name": "not a model"}')
    result = run_cli("annotate", tmp_path / "configs")
    assert result.code == 0
    assert "model.json: note" in result.err
    assert "package.json" not in result.err


# --------------------------------------------------------------------------- safety of the write


MODEL = """
model:
  input_size: 10
  layers:
    - type: rnn
      hidden_size: 2
"""


def test_file_changed_between_read_and_write_is_not_clobbered(  # type: ignore[no-untyped-def]
    run_cli, write, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write("racy.yaml", MODEL)
    edited = b"model:\n  input_size: 10\n  layers: []  # saved by an editor meanwhile\n"
    real_annotate = annotate.annotate

    def annotate_while_someone_saves(*args: Any, **kwargs: Any) -> annotate.Outcome:
        outcome = real_annotate(*args, **kwargs)
        path.write_bytes(edited)  # after the read, before the write
        return outcome

    monkeypatch.setattr(annotate, "annotate", annotate_while_someone_saves)
    result = run_cli("annotate", path)
    assert result.code == 1
    assert "changed while rnnlint was annotating it" in result.err
    assert path.read_bytes() == edited
    assert sorted(p.name for p in tmp_path.iterdir()) == ["racy.yaml"]  # no temporary file left


def test_same_size_same_second_change_is_caught_too(  # type: ignore[no-untyped-def]
    run_cli, write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change that keeps size and mtime (coarse clocks) is still seen: the bytes are compared."""
    path = write("sneaky.yaml", MODEL)
    stat_before = path.stat()
    swapped = path.read_bytes().replace(b"hidden_size: 2", b"hidden_size: 3")
    real_annotate = annotate.annotate

    def swap(*args: Any, **kwargs: Any) -> annotate.Outcome:
        outcome = real_annotate(*args, **kwargs)
        with open(path, "r+b") as fh:  # same inode, same size
            fh.write(swapped)
        os.utime(path, ns=(stat_before.st_atime_ns, stat_before.st_mtime_ns))
        return outcome

    monkeypatch.setattr(annotate, "annotate", swap)
    assert run_cli("annotate", path).code == 1
    assert path.read_bytes() == swapped


@pytest.mark.parametrize("mode", [0o640, 0o755, 0o604])
def test_permissions_are_kept(run_cli, write, mode: int) -> None:  # type: ignore[no-untyped-def]
    path = write("perm.yaml", MODEL)
    path.chmod(mode)
    assert run_cli("annotate", path).code == 1
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert "# rnnlint:" in path.read_text(encoding="utf-8")


def test_symlink_stays_a_symlink(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = write("real/model.yaml", MODEL)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert run_cli("annotate", link).code == 1
    assert link.is_symlink()
    assert "# rnnlint:" in target.read_text(encoding="utf-8")


def test_unwritable_directory_is_an_error_not_a_traceback(  # type: ignore[no-untyped-def]
    run_cli, write, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write("locked/model.yaml", MODEL)
    original = path.read_bytes()

    def refuse(*args: Any, **kwargs: Any) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    # As a directory without write permission does (tests may run as root, who may write anywhere).
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = run_cli("annotate", path)
    assert path.read_bytes() == original
    assert result.code == 1
    assert "cannot write" in result.err
    assert "Traceback" not in result.err


def test_jinja_template_that_does_not_scan_is_left_alone(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("model.yml", "model:\n  layers: {% for i in range(2) %}\n    - type: lstm\n{% endfor %}\n")
    original = path.read_bytes()
    result = run_cli("annotate", path)
    assert (result.code, path.read_bytes()) == (0, original), result.err


def test_parse_error_is_reported_with_its_position(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("broken.yaml", "model:\n  layers: [\n  - a\n")
    original = path.read_bytes()
    result = run_cli("annotate", path)
    assert result.code == 1
    assert f"{path.name}:" in result.err
    assert "error:" in result.err
    assert path.read_bytes() == original


# --------------------------------------------------------------------------- modes and exit codes


def test_check_and_diff_change_nothing(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("ci.yaml", MODEL)
    original = path.read_bytes()
    check = run_cli("annotate", "--check", path)
    assert check.code == 1
    assert check.out.startswith(f"--- a/{path.name}\n+++ b/{path.name}\n@@ ")
    assert "+    - type: rnn  # rnnlint: 28 params (rnn)\n" in check.out
    assert f"would annotate {path.name}" in check.err
    diff = run_cli("annotate", "--diff", path)
    assert (diff.code, diff.out) == (0, check.out)
    assert path.read_bytes() == original

    assert run_cli("annotate", path).code == 1
    clean = run_cli("annotate", "--check", path)
    assert (clean.code, clean.out) == (0, "")
    assert run_cli("annotate", "--diff", path).out == ""


def test_diff_marks_a_missing_final_newline(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("no_eol.yaml", "model:\n  input_size: 10\n  layers: [{type: rnn, hidden_size: 2}]")
    out = run_cli("annotate", "--diff", path).out
    assert out.endswith("  # rnnlint: 28 params (rnn)\n\\ No newline at end of file\n")


def test_strip_check_finds_leftover_annotations(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("left.yaml", MODEL)
    run_cli("annotate", path)
    result = run_cli("annotate", "--strip", "--check", path)
    assert result.code == 1
    assert f"would strip {path.name}" in result.err
    assert run_cli("annotate", "--strip", path).code == 1
    assert run_cli("annotate", "--strip", "--check", path).code == 0


def test_pre_commit_style_exit_codes(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write("a.yaml", MODEL)
    write("b.yaml", "not: a model\n")
    first = run_cli("annotate", tmp_path)
    assert first.code == 1  # changed a file: the hook fails, as fixers do
    assert "1 file annotated, 1 unchanged." in first.err
    second = run_cli("annotate", tmp_path)
    assert second.code == 0
    assert "0 files annotated, 2 unchanged." in second.err


def test_usage_errors_exit_2(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("annotate", tmp_path / "missing.yaml").code == 2
    assert run_cli("annotate", "-").code == 2
    assert run_cli("annotate", "--dialect", "nope", tmp_path).code == 2


def test_dialect_option_applies(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("forced.yaml", MODEL)
    assert run_cli("annotate", "--framework", "keras", path).code == 1
    # Keras keeps one bias vector: 2 x (10 + 2) + 2 = 26 (PyTorch, two: 28).
    assert "# rnnlint: 26 params (rnn)" in path.read_text(encoding="utf-8")


def test_annotate_hook_definition() -> None:
    hook = _hook(REPO / ".pre-commit-hooks.yaml", "rnnlint-annotate")
    assert hook["entry"] == "rnnlint annotate"
    for path in ("conf/train.yml", "model.yaml", "exp.jsonnet"):
        assert selects(hook, path)
    for path in ("model.json", "train.py", "conf/train.yml.j2"):
        assert not selects(hook, path)


# --------------------------------------------------------------------------- pragmas


def test_layer_annotations_are_not_pragmas(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("lint_after.yaml", MODEL)
    run_cli("annotate", path)
    out = run_cli(path).out
    assert "RNN010" not in "\n".join(line for line in out.splitlines() if ":5:" in line)


@pytest.mark.parametrize("name", ["one_line.yaml", "commented.yaml", "experiment.jsonnet"])
def test_annotated_files_lint_as_before(run_cli, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    """Annotations (totals, lower bounds, several per line, '//' ones) are never read as pragmas."""
    copy = _copy(FIXTURES / name, tmp_path)
    before = run_cli("--format", "json", copy).json()
    assert run_cli("annotate", copy).code == 1
    after = run_cli("--format", "json", copy).json()
    assert after["files"][0]["diagnostics"] == before["files"][0]["diagnostics"]


def test_lower_bound_annotations_lint_as_before(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("rl.yaml", "params:\n  network:\n    rnn: {name: lstm, units: 64, layers: 1, before_mlp: True}\n")
    before = run_cli("--format", "json", path).json()["files"][0]["diagnostics"]
    run_cli("annotate", path)
    assert "# rnnlint: unknown params (lstm)" in path.read_text(encoding="utf-8")
    assert run_cli("--format", "json", path).json()["files"][0]["diagnostics"] == before


# --------------------------------------------------------------------------- properties

_SEED_FILES = [p for p in ROUND_TRIP_FILES if p.suffix in (".yaml", ".yml")]


def _yaml_data(raw: bytes) -> str:
    documents, problems = parse_yaml(raw.decode("utf-8-sig"))
    return repr(([d.data for d in documents], [p.message for p in problems]))


def _annotate_bytes(name: str, raw: bytes) -> annotate.Outcome:
    stripped = annotate.strip(raw, "#")
    assert stripped.error is None
    models = count_models(name, stripped.text, Settings())
    assert not isinstance(models, annotate.Note), models
    return annotate.annotate(raw, models, "#")


def _check_round_trip(name: str, raw: bytes) -> int:
    """The three properties on bytes; returns how many lines got an annotation."""
    first = _annotate_bytes(name, raw)
    assert _yaml_data(first.data) == _yaml_data(raw)
    assert _annotate_bytes(name, first.data).data == first.data
    assert annotate.strip(first.data, "#").data == raw
    return sum(1 for a, b in zip(first.text.splitlines(), annotate.text_of(raw).splitlines(), strict=True) if a != b)


@st.composite
def _native_config(draw: st.DrawFn) -> bytes:
    """A native config in random layouts: block / flow / split-flow layers, quoted '#', comments, EOLs."""
    comment = st.sampled_from(["", "  # note", "\t#\ttab\t", " # 'quoted' # twice", "  ## x: y", "   "])
    name = st.sampled_from(["enc", '"a # b"', "'c # d'", '"e: f"', "g#h"])
    lines = [f"model:{draw(comment)}", f"  input_size: {draw(st.integers(1, 50))}{draw(comment)}", "  layers:"]
    for index in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["lstm", "gru", "rnn"] if index == 0 else ["lstm", "gru", "rnn", "linear"]))
        size = "out_features" if kind == "linear" else "hidden_size"
        value = draw(st.integers(1, 64))
        style = draw(st.sampled_from(["block", "flow", "split"]))
        label = draw(name)
        if style == "block":
            lines += [f"    - type: {kind}{draw(comment)}", f"      {size}: {value}", f"      name: {label}"]
        elif style == "flow":
            lines.append(f"    - {{type: {kind}, {size}: {value}, name: {label}}}{draw(comment)}")
        else:
            first, last = draw(comment), draw(comment)
            lines += [f"    - {{type: {kind},{first}", f"       {size}: {value}, name: {label}}}{last}"]
    eols = [draw(st.sampled_from(["\n", "\r\n"])) for _ in lines]
    text = "".join(line + eol for line, eol in zip(lines, eols, strict=True))
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_native_config())
def test_property_native_configs_round_trip(raw: bytes) -> None:
    assert _check_round_trip("model.yaml", raw) >= 1


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_SEED_FILES),
    st.randoms(use_true_random=False),
    st.booleans(),
    st.booleans(),
)
def test_property_mutated_corpus_round_trip(path: Path, rng: Any, bom: bool, drop_final_newline: bool) -> None:
    """Corpus files with random per-line CRLF, trailing whitespace, a BOM, no final newline."""
    lines = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8").splitlines()
    text = "".join(line + rng.choice(["", "", " ", "\t"]) + rng.choice(["\n", "\r\n"]) for line in lines)
    if drop_final_newline:
        text = text.rstrip("\r\n")
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    if yaml_problem(raw):
        return  # trailing whitespace can break a file (e.g. after a block scalar indicator); nothing to compare
    _check_round_trip(path.name, raw)


def yaml_problem(raw: bytes) -> bool:
    return bool(parse_yaml(raw.decode("utf-8-sig"))[1])
