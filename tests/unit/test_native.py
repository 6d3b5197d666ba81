"""rnnlint's own dialect: schema messages with positions, size propagation, frameworks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO


def lint(run_cli, write, text: str, name: str = "m.yaml") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    data: dict[str, Any] = run_cli("--format", "json", write(name, text)).json()
    return data["files"][0]


def messages(entry: dict[str, Any], code: str) -> list[tuple[int, int, str]]:
    return [(d["line"], d["column"], d["message"]) for d in entry["diagnostics"] if d["code"] == code]


def test_the_schema_has_one_copy() -> None:
    # The packaged file is the only hand-written form of the native schema (editors point at it too).
    places = [REPO.glob("*/rnnlint-config.schema.json")] + [
        (REPO / folder).rglob("rnnlint-config.schema.json") for folder in ("src", "tests", "docs", "tools", "examples")
    ]
    found = sorted(p.relative_to(REPO).as_posix() for place in places for p in place)
    assert found == ["src/rnnlint/schemas/rnnlint-config.schema.json"]


def test_schema_is_loaded_from_the_package() -> None:
    from rnnlint.dialects.native.validate import load_schema

    assert load_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # Quoted: text on purpose, so RNN002 (a plain 5e6 is RNN004, see tests/acceptance/test_bad_input.py).
        ('"5e6"', "'5e6' is not of type 'integer' (YAML 1.1 reads 5e6 as text; write 5000000)"),
        ("'1,000'", "'1,000' is not of type 'integer' (a comma makes it text; write 1000)"),
        ("true", "True is not of type 'integer' (booleans are not numbers)"),
        ("256.0", "256.0 is not of type 'integer' (write 256; rnnlint refuses a float here even with a zero fraction)"),
        ("0", "0 is less than the minimum of 1"),
        ("-4", "-4 is less than the minimum of 1"),
        ("[1]", "[1] is not of type 'integer'"),
    ],
)
def test_type_messages_with_positions(run_cli, write, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    text = f"model:\n  input_size: 8\n  layers:\n    - type: lstm\n      hidden_size: {value}\n"
    entry = lint(run_cli, write, text)
    assert messages(entry, "RNN002") == [(5, 20, f"model.layers[0].hidden_size: {message}")]
    assert entry["total_params"] is None and entry["complete"] is False


def test_unknown_key_points_at_the_key(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = lint(run_cli, write, "model:\n  layers:\n    - type: gru\n      hidden_size: 4\n      bidirectonal: true\n")
    assert messages(entry, "RNN002") == [
        (
            5,
            7,
            "model.layers[0]: Additional properties are not allowed ('bidirectonal' was unexpected)"
            " (did you mean 'bidirectional'?)",
        )
    ]


def test_json_positions(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        '{\n  "model": {\n    "input_size": 4,\n    "layers": [\n'
        '      {"type": "gru", "hidden_size": "8"}\n    ]\n  }\n}\n'
    )
    entry = lint(run_cli, write, text, "m.json")
    assert messages(entry, "RNN002") == [
        (
            5,
            38,
            "model.layers[0].hidden_size: '8' is not of type 'integer' (quoted, so it is text; write 8 without quotes)",
        )
    ]


def test_json_layer_positions(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        '{"model": {"input_size": 4,\n "layers": [{"type": "linear", "out_features": 3},\n'
        '   {"type": "gru", "hidden_size": 8}]}}'
    )
    entry = lint(run_cli, write, text, "m.json")
    assert [(la["line"], la["column"]) for la in entry["layers"]] == [(2, 13), (3, 4)]
    assert entry["layers"][1]["params"] == 3 * (8 * (3 + 8) + 16)


def test_sizes_propagate_through_every_layer_type(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = """
model:
  layers:
    - {type: embedding, num_embeddings: 100, embedding_dim: 10}
    - {type: dropout, p: 0.1}
    - {type: lstm, hidden_size: 6, proj_size: 3, bidirectional: true}
    - {type: gru_cell, hidden_size: 5}
    - {type: linear, out_features: 2}
"""
    entry = lint(run_cli, write, text)
    params = [la["params"] for la in entry["layers"]]
    lstm = 2 * (4 * 6 * (10 + 3) + 2 * 4 * 6 + 3 * 6)
    assert params == [1000, 0, lstm, 3 * (5 * (6 + 5) + 2 * 5), 2 * 5 + 2]
    assert [la["recurrent"] for la in entry["layers"]] == [False, False, True, True, False]
    assert entry["total_params"] == sum(params)
    assert entry["recurrent_params"] == params[2] + params[3]


def test_keras_and_onnx_frameworks(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    keras = lint(
        run_cli,
        write,
        "framework: keras\nmodel:\n  input_size: 4\n  layers:\n"
        "    - {type: gru, hidden_size: 8, num_layers: 2, bidirectional: true}\n",
    )
    first = 2 * (3 * 8 * (4 + 8) + 6 * 8)
    second = 2 * (3 * 8 * (16 + 8) + 6 * 8)
    assert keras["layers"][0]["params"] == first + second
    onnx = lint(
        run_cli,
        write,
        "framework: onnx\nmodel:\n  input_size: 4\n  layers:\n    - {type: lstm, hidden_size: 8, peepholes: true}\n",
        "o.yaml",
    )
    assert onnx["layers"][0]["params"] == 4 * (8 * 12 + 16) + 24


def test_unknown_input_size_is_reported_not_guessed(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = lint(run_cli, write, "model:\n  layers:\n    - {type: lstm, hidden_size: 8}\n")
    assert entry["layers"][0]["params"] is None and entry["complete"] is False
    assert "parameter count unknown: input size unknown" in messages(entry, "RNN100")[0][2]


def test_unknown_layer_type_makes_a_lower_bound(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = lint(
        run_cli,
        write,
        "model:\n  input_size: 4\n  layers:\n    - {type: sru, hidden_size: 8}\n"
        "    - {type: gru, input_size: 8, hidden_size: 8}\n",
    )
    assert entry["complete"] is False
    # The model's total is unknown; what is counted is a lower bound of it.
    assert entry["total_params"] is None and entry["counted_params"] == 3 * (8 * 16 + 16)
    assert messages(entry, "RNN205")[0][2].endswith("the model total 432 is a lower bound")


def test_declared_input_mismatch(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = lint(
        run_cli,
        write,
        "model:\n  input_size: 4\n  layers:\n    - {type: linear, out_features: 6}\n"
        "    - type: gru\n      input_size: 5\n      hidden_size: 8\n",
    )
    assert messages(entry, "RNN201") == [
        (6, 7, "layers[1] (gru) declares input size 5, but layers[0] (linear) produces 6")
    ]
    assert entry["layers"][1]["params"] == 3 * (8 * 13 + 16)  # counted as declared: that is what gets built


@pytest.mark.parametrize(
    ("framework", "layer", "expected"),
    [
        ("pytorch", "{type: lstm, hidden_size: 8, proj_size: 8}", "must be smaller than hidden_size 8"),
        ("pytorch", "{type: gru, hidden_size: 8, proj_size: 4}", "nn.GRU has no projection"),
        ("keras", "{type: lstm, hidden_size: 8, proj_size: 4}", "keras has no projection"),
        ("onnx", "{type: lstm, hidden_size: 8, proj_size: 4}", "onnx has no projection"),
    ],
)
def test_projection_rule(run_cli, write, framework: str, layer: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    entry = lint(run_cli, write, f"framework: {framework}\nmodel:\n  input_size: 4\n  layers:\n    - {layer}\n")
    (found,) = messages(entry, "RNN202")
    assert expected in found[2]


def test_keras_cudnn_rule_names_each_option(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "framework: keras\nmodel:\n  input_size: 4\n  layers:\n    - type: gru\n      hidden_size: 8\n"
        "      reset_after: false\n      activation: relu\n      unroll: true\n"
    )
    entry = lint(run_cli, write, text)
    found = messages(entry, "RNN204")
    assert [line for line, _, _ in found] == [7, 8, 9]
    assert "reset_after false" in found[0][2] and "activation 'relu'" in found[1][2]


def test_dataset_rule_figures(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "model:\n  input_size: 10\n  layers:\n    - {type: rnn, hidden_size: 90}\n"
        "dataset:\n  train_examples: 9\nlimits:\n  max_params_per_example: 1000\n"
    )
    entry = lint(run_cli, write, text)
    params = 90 * 100 + 180
    (found,) = messages(entry, "RNN103")
    assert found[0] == 6
    assert found[2] == (
        f"model has {params:,} parameters for 9 training examples (dataset.train_examples at line 6): "
        f"{params / 9:,.1f} per example, above the bound of 1,000 from limits.max_params_per_example at line 8; "
        "the bound asks for at least 10 examples"
    )


def test_dataset_from_the_command_line(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("m.yaml", "model:\n  input_size: 10\n  layers:\n    - {type: rnn, hidden_size: 90}\n")
    result = run_cli("--train-examples", "5", path)
    assert "RNN103" in result.out and "(--train-examples)" in result.out and "the default of RNN103" in result.out


HYDRA_LAYERS = """
model:
  layers:
    - _target_: torch.nn.Embedding
      num_embeddings: 100
      embedding_dim: 16
    - _target_: torch.nn.RNNCell
      input_size: 16
      hidden_size: 32
"""


def test_hydra_target_list_under_model_layers_is_torch_target(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # Native used to claim any model.layers and answered RNN002 "missing required key 'type'".
    entry = lint(run_cli, write, HYDRA_LAYERS)
    assert entry["dialect"] == "torch-target"
    assert messages(entry, "RNN002") == []
    # torch 2.13.0: Embedding(100, 16) holds 1,600 parameters, RNNCell(16, 32) holds 1,600.
    assert [(layer["name"], layer["params"]) for layer in entry["layers"]] == [
        ("model.layers[0]", 1_600),
        ("model.layers[1]", 1_600),
    ]
    assert entry["total_params"] == 3_200 and entry["complete"] is True


def test_native_still_claims_its_own_files_with_mistakes(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # One native layer type is enough, even beside an entry without `type`.
    entry = lint(run_cli, write, "model:\n  layers:\n    - type: gru\n      hidden_size: 4\n    - hidden_size: 8\n")
    assert entry["dialect"] == "native"
    assert any("'type' is a required property" in m for _, _, m in messages(entry, "RNN002"))
    # A file made only of native keys is native too: its typo gets native's message.
    entry = lint(run_cli, write, "model:\n  input_size: 3\n  layers:\n    - type: lsmt\n      hidden_size: 4\n")
    assert entry["dialect"] == "native"


def test_other_tools_model_layers_are_not_native(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "trainer: {epochs: 3}\nmodel:\n  layers:\n    - kind: conv\n      filters: 8\n"
    entry = lint(run_cli, write, text)
    assert entry.get("dialect") != "native" and messages(entry, "RNN002") == []


def test_a_float_with_a_zero_fraction_is_refused_by_rnnlint_and_the_schema_says_so() -> None:
    # JSON Schema counts 256.0 as an integer; torch.nn.LSTM(hidden_size=256.0) raises, so rnnlint refuses it.
    from jsonschema import Draft202012Validator

    from rnnlint.dialects.native import fastcheck, validate

    config = {"model": {"input_size": 4, "layers": [{"type": "lstm", "hidden_size": 256.0}]}}
    assert Draft202012Validator(validate.load_schema()).is_valid(config)  # what an editor with the schema says
    assert not validate.validator().is_valid(config) and not fastcheck.valid(config)
    assert validate.validator().is_valid({"model": {"input_size": 4, "layers": [{"type": "lstm", "hidden_size": 256}]}})
    # The schema tells editors, and the README tells people.
    schema = validate.load_schema()
    assert "256.0" in schema["$comment"] and "rnnlint" in schema["$comment"]
    for name in ("size", "count"):
        assert schema["$defs"][name]["type"] == "integer" and "256.0" in schema["$defs"][name]["description"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The native config format") : readme.index("## Rules")]
    assert "256.0" in section and "editor" in section


def _console_script() -> str:
    script = shutil.which("rnnlint", path=str(Path(sys.executable).parent))
    assert script is not None, "the console script is not installed next to this Python"
    return script


@pytest.mark.parametrize(
    ("layer", "code", "imported"),
    [
        ("hidden_size: 8", 0, False),
        ("hidden_size: 010", 1, False),  # RNN004 only: the schema is satisfied, so no schema messages to write
        ("hidden_size: 8.0", 1, True),
    ],
)
def test_jsonschema_is_imported_only_for_a_rejected_file(tmp_path: Path, layer: str, code: int, imported: bool) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(f"model:\n  input_size: 4\n  layers:\n    - type: lstm\n      {layer}\n", encoding="utf-8")
    script = (
        "import sys, rnnlint.dialects.native\n"
        "from rnnlint.app.main import main\n"
        f"code = main(['--isolated', '--no-cache', {str(path)!r}])\n"
        "print(code, 'jsonschema' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.splitlines()[-1] == f"{code} {imported}", done.stdout + done.stderr


def test_schema_messages_through_the_console_script(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "framework: tensorflow\nmodel:\n  layers:\n    - type: gru\n      hiden_size: 4\n      bias: yes_please\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [_console_script(), "--isolated", "--no-cache", "m.yaml"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[:4] == [
        "m.yaml:1:12: RNN002 framework: 'tensorflow' is not one of ['pytorch', 'keras', 'onnx']",
        "m.yaml:4:7: RNN002 model.layers[0]: 'hidden_size' is a required property",
        "m.yaml:5:7: RNN002 model.layers[0]: Additional properties are not allowed ('hiden_size' was unexpected)"
        " (did you mean 'hidden_size'?)",
        "m.yaml:6:13: RNN002 model.layers[0].bias: 'yes_please' is not of type 'boolean'",
    ]


def test_several_unknown_keys_are_one_message_at_the_first(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "model:\n  layers:\n    - type: linear\n      out_features: 2\n      zzz: 1\n      in_featurs: 3\n"
    entry = lint(run_cli, write, text)
    assert messages(entry, "RNN002") == [
        (
            5,
            7,
            "model.layers[0]: Additional properties are not allowed ('in_featurs', 'zzz' were unexpected)"
            " (did you mean 'in_features' for 'in_featurs'?)",
        )
    ]
    entry = lint(run_cli, write, "model:\n  layers:\n    - {type: dropout, zzz: 1}\n", "n.yaml")
    assert messages(entry, "RNN002") == [
        (
            3,
            23,
            "model.layers[0]: Additional properties are not allowed ('zzz' was unexpected);"
            " allowed keys: name, p, type",
        )
    ]


def test_a_long_value_is_cut_short_in_the_message(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    keys = "".join(f"    key_{n}: {n}\n" for n in range(30))
    entry = lint(run_cli, write, f"model:\n  layers:\n    type: lstm\n{keys}")
    assert messages(entry, "RNN002") == [
        (3, 5, "model.layers: {'type': 'lstm', 'key_0': 0, 'key_1': 1, ...} is not of type 'array'")
    ]
    # A short value is shown whole, as jsonschema writes it.
    entry = lint(run_cli, write, "model:\n  layers:\n    type: lstm\n", "n.yaml")
    assert messages(entry, "RNN002") == [(3, 5, "model.layers: {'type': 'lstm'} is not of type 'array'")]


def test_errors_are_sorted_by_position() -> None:
    from rnnlint.dialects.native.validate import validate
    from rnnlint.parse.yaml import parse_yaml

    text = "limits: {max_params: -1}\nmodel:\n  layers:\n    - {type: rnn, hidden_size: 0}\nframework: x\n"
    documents, _ = parse_yaml(text)
    problems = validate(documents[0].data, documents[0].locator)
    assert [(p.span.line, p.span.column) for p in problems] == [(1, 22), (4, 32), (5, 12)]


def test_native_key_lists_are_the_schemas() -> None:
    from rnnlint.dialects import native
    from rnnlint.dialects.native.validate import load_schema

    schema = load_schema()
    assert set(schema["properties"]) == native._NATIVE_TOP_KEYS
    assert set(schema["properties"]["model"]["properties"]) == native._NATIVE_MODEL_KEYS
    assert set(schema["$defs"]["recurrent"]["properties"]["type"]["enum"]) == native.RECURRENT_TYPES
    assert set(native.CELL_TYPES) == set(schema["$defs"]["cell"]["properties"]["type"]["enum"])
    layer_keys = {key for kind in ("recurrent", "cell", "linear") for key in schema["$defs"][kind]["properties"]}
    assert set(native.LOCATED_OPTIONS) <= layer_keys  # rules point at keys a native layer may hold
