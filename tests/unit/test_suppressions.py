"""``# rnnlint:`` pragmas (inline settings) and suppressions, through the real CLI."""

from __future__ import annotations

from typing import Any

import pytest

from rnnlint.engine.suppressions import scan

LSTM = """
model:
  input_size: 40
  layers:
    - type: lstm
      hidden_size: 64
      dropout: 0.2
"""  # 27,136 parameters; RNN203 on line 6 (the dropout key)


def _diagnostics(result: Any) -> list[tuple[str, int]]:
    return [(d["code"], d["line"]) for f in result.json()["files"] for d in f["diagnostics"]]


def _messages(result: Any, code: str) -> list[str]:
    return [d["message"] for f in result.json()["files"] for d in f["diagnostics"] if d["code"] == code]


# --------------------------------------------------------------------------- settings pragmas


def test_pragma_limit_is_enforced_and_named(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", "# rnnlint: max_params=20_000\n" + LSTM.lstrip("\n"))
    result = run_cli("--format", "json", "m.yaml")
    assert result.code == 1
    (message,) = _messages(result, "RNN101")
    assert "above max_params 20,000 from pragma at line 1" in message


def test_pragma_limit_that_holds_passes(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", "# rnnlint: max_params=5_000_000 max_layer_params=30000\n" + LSTM.lstrip("\n"))
    result = run_cli("--format", "json", "m.yaml")
    assert result.code == 0
    assert not [c for c, _ in _diagnostics(result) if c in ("RNN101", "RNN102", "RNN010")]


def test_pragma_dataset_figures_feed_rnn103(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("small.yaml", "# rnnlint: train_examples=10 tokens=1_000\n" + LSTM.lstrip("\n"))
    messages = _messages(run_cli("--format", "json", "small.yaml"), "RNN103")
    assert len(messages) == 2
    assert "for 10 training examples (pragma at line 1)" in messages[0]
    assert "1,000 training tokens (pragma at line 1)" in messages[1]
    write("big.yaml", "# rnnlint: train_examples=25000\n" + LSTM.lstrip("\n"))
    assert _messages(run_cli("--format", "json", "big.yaml"), "RNN103") == []


def test_the_tighter_of_file_and_pragma_limits_holds(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", "# rnnlint: max_params=30_000\n" + LSTM.lstrip("\n") + "limits:\n  max_params: 20000\n")
    (message,) = _messages(run_cli("--format", "json", "m.yaml"), "RNN101")
    assert "max_params 20,000 from limits.max_params at line 9" in message


def test_pragma_input_size_and_framework(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "m.yaml",
        """
        # rnnlint: framework=keras
        model:
          input_size: 40
          layers:
            - type: lstm
              hidden_size: 64
        """,
    )
    layer = run_cli("--format", "json", "m.yaml").json()["files"][0]["layers"][0]
    assert layer["params"] == 4 * (64 * (40 + 64) + 64)  # Keras keeps one bias vector


def test_pragma_input_size_and_dialect(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    no_input = "model:\n  layers:\n    - type: lstm\n      hidden_size: 64\n"
    write("m.yaml", no_input)
    assert run_cli("--format", "json", "m.yaml").json()["files"][0]["layers"][0]["params"] is None
    write("m.yaml", "# rnnlint: input_size=40\n" + no_input)
    assert run_cli("--format", "json", "m.yaml").json()["files"][0]["layers"][0]["params"] == 27136
    write("other.yaml", "foo: 1\n")
    assert run_cli("--format", "json", "other.yaml").json()["files"][0]["skipped"]
    write("other.yaml", "# rnnlint: dialect=native\nfoo: 1\n")
    forced = run_cli("--format", "json", "other.yaml").json()["files"][0]
    assert not forced["skipped"] and forced["dialect"] == "native"


def test_jsonnet_pragmas_use_slashes_too(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "m.jsonnet",
        """
        // rnnlint: max_params=1000
        local h = 64;
        {
          model: {
            input_size: 40,
            layers: [
              { type: 'lstm', hidden_size: h, dropout: 0.2 },  // rnnlint: disable=RNN203
            ],
          },
        }
        """,
    )
    result = run_cli("--format", "json", "m.jsonnet")
    codes = [c for c, _ in _diagnostics(result)]
    assert "RNN101" in codes and "RNN203" not in codes and "RNN011" not in codes


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [
        ("max_parms=5000000", "unknown key 'max_parms' (did you mean 'max_params'?)"),
        ("max_params=5e6x", "max_params must be a whole number"),
        ("max_params", "'max_params' needs a value"),
        ("train_examples=0", "train_examples must be at least 1"),
        ("framework=tensorflow", "framework must be one of pytorch, keras, onnx"),
        ("dialect=nope", "unknown dialect 'nope'"),
        ("disable=RNN999", "unknown rule code 'RNN999' in 'disable'"),
        ("disable-file=RNN13", "unknown rule code 'RNN13' in 'disable-file'"),
        ("disable", "'disable' needs the codes to suppress"),
        ("", "empty '# rnnlint:' comment"),
        ("max_params=1 max_params=2", "'max_params' is already declared at line 1"),
    ],
)
def test_invalid_pragmas_are_reported(run_cli, write, pragma: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", f"# rnnlint: {pragma}\n" + LSTM.lstrip("\n"))
    result = run_cli("--format", "json", "m.yaml")
    messages = _messages(result, "RNN010")
    assert any(expected in m for m in messages), messages
    diag = next(d for d in result.json()["files"][0]["diagnostics"] if d["code"] == "RNN010")
    assert diag["line"] == 1 and diag["column"] >= 3
    assert result.code == 1


def test_annotation_comments_are_not_pragmas(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "m.yaml",
        """
        model:
          input_size: 40
          layers:
            - type: lstm  # rnnlint: 27,136 params (lstm: 4 x [64x(40+64) + 2x64])
              hidden_size: 64
            # rnnlint: 1_000 params
        """,
    )
    result = run_cli("--format", "json", "m.yaml")
    assert [c for c, _ in _diagnostics(result)] == ["RNN100"]
    for annotation in (
        "27,136 params (lstm)",
        "unknown params (lstm: input size unknown)",
        "total 2,236,034 params (recurrent 235,520)",
        "total at least 1,000 params (recurrent at least 10, with assumed values)",
    ):
        assert not scan("m.yaml", f"x: 1  # mine  # rnnlint: {annotation}\n"), annotation
    # An annotation appended after a user's pragma leaves the pragma readable.
    (suppression,) = scan("m.yaml", "x: 1  # rnnlint: disable=RNN203  # rnnlint: 5 params (rnn)\n").suppressions
    assert suppression.codes == (("RNN203", 26),)  # the column of the code


def test_comment_like_text_that_is_not_a_comment_is_ignored() -> None:
    assert not scan("m.yaml", "url: http://example.com/#rnnlint:max_params=1\n")
    assert not scan("m.json", '{"a": "# rnnlint: max_parms=1"}\n')  # JSON has no comments


# --------------------------------------------------------------------------- suppressions


def test_disable_on_the_line(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM.replace("dropout: 0.2", "dropout: 0.2  # rnnlint: disable=RNN203"))
    result = run_cli("--format", "json", "m.yaml")
    assert [c for c, _ in _diagnostics(result)] == ["RNN100"]


def test_disable_on_the_line_before(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM.replace("      dropout: 0.2", "      # rnnlint: disable=RNN203, RNN100\n\n      dropout: 0.2"))
    result = run_cli("--format", "json", "m.yaml")
    # RNN203 on the dropout line is suppressed; RNN100 (on the layer's line) is not there, so unused.
    assert [c for c, _ in _diagnostics(result)] == ["RNN100", "RNN011"]
    (message,) = _messages(result, "RNN011")
    assert message == "unused suppression: RNN100 is not reported on line 8; remove it from 'disable'"


def test_disable_does_not_reach_other_lines(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM.replace("hidden_size: 64", "hidden_size: 64  # rnnlint: disable=RNN203"))
    result = run_cli("--format", "json", "m.yaml")
    codes = [c for c, _ in _diagnostics(result)]
    assert "RNN203" in codes and "RNN011" in codes


def test_disable_file(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("all.yaml", "# rnnlint: disable-file\n" + LSTM.lstrip("\n"))
    assert _diagnostics(run_cli("--format", "json", "all.yaml")) == []
    write("some.yaml", "# rnnlint: disable-file=RNN203\n" + LSTM.lstrip("\n"))
    assert [c for c, _ in _diagnostics(run_cli("--format", "json", "some.yaml"))] == ["RNN100"]


def test_unused_disable_file(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", "# rnnlint: disable-file=RNN204\n" + LSTM.lstrip("\n"))
    result = run_cli("--format", "json", "m.yaml")
    assert ("RNN011", 1) in _diagnostics(result)
    assert result.code == 0  # a warning


def test_suppressing_an_error_turns_the_run_green(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = LSTM.lstrip("\n") + "limits:\n  max_params: 1000\n"
    write("m.yaml", text)
    assert run_cli("m.yaml").code == 1
    write("m.yaml", text.replace("model:", "model:  # rnnlint: disable=RNN101"))
    assert run_cli("m.yaml").code == 0


def test_codes_not_selected_are_not_judged_unused(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM.replace("hidden_size: 64", "hidden_size: 64  # rnnlint: disable=RNN203"))
    result = run_cli("--format", "json", "--ignore", "RNN203", "m.yaml")
    assert [c for c, _ in _diagnostics(result)] == ["RNN100"]


def test_unused_suppression_can_be_ignored(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write("m.yaml", LSTM.replace("hidden_size: 64", "hidden_size: 64  # rnnlint: disable=RNN203"))
    result = run_cli("--format", "json", "--ignore", "RNN011", "m.yaml")
    assert "RNN011" not in [c for c, _ in _diagnostics(result)]


def test_multi_document_files_judge_suppressions_per_file(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    doc = LSTM.lstrip("\n")
    write("m.yaml", "# rnnlint: disable-file=RNN203\n" + doc + "---\n" + doc.replace("dropout: 0.2", "bias: true"))
    result = run_cli("--format", "json", "m.yaml")
    # The disable-file suppressed RNN203 in the first document: it is used, though the second has none.
    assert [c for c, _ in _diagnostics(result)] == ["RNN100", "RNN100"]


def test_json_uses_per_path_ignores(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "configs/m.json",
        '{"model": {"input_size": 40, "layers": [{"type": "lstm", "hidden_size": 64, "dropout": 0.2}]}}\n',
    )
    assert "RNN203" in [c for c, _ in _diagnostics(run_cli("--format", "json", "configs/m.json"))]
    write("rnnlint.toml", '[[overrides]]\nfiles = ["configs/*.json"]\nignore = ["RNN203"]\n')
    assert "RNN203" not in [c for c, _ in _diagnostics(run_cli("--format", "json", "configs/m.json"))]
    write("rnnlint.toml", '[[overrides]]\nfiles = ["configs/*.json"]\nignore = ["RNN2O3"]\n')
    result = run_cli("configs/m.json")
    assert result.code == 2
    assert "rnnlint.toml" in result.err and "'ignore'" in result.err and "'RNN2O3'" in result.err
