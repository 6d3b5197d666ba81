"""torch-target: torch.nn modules named by Hydra `_target_` / Lightning `class_path`, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, REPO

FIXTURES = REPO / "tests" / "fixtures" / "torch_target" / "cases.json"
CASES: list[dict[str, Any]] = json.loads(FIXTURES.read_text(encoding="utf-8"))["cases"]
RECURRENT_CLASSES = {"LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell"}
COUNTED_CLASSES = RECURRENT_CLASSES | {"Embedding", "Linear"}
PARAMETER_FREE = {"Dropout", "Tanh"}
UNCOUNTED = {"LayerNorm"}  # torch builds parameters rnnlint does not count: an omission


def _files(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(f["path"]).name: f for f in data["files"]}


def test_fixture_suite_is_large_and_covers_both_styles() -> None:
    assert len(CASES) >= 300
    assert {c["style"] for c in CASES} == {"hydra", "lightning", "mixed", "list"}
    classes = {m["class"] for c in CASES for m in c["modules"]}
    assert classes == COUNTED_CLASSES | PARAMETER_FREE | UNCOUNTED
    assert any("_args_" in c["yaml"] for c in CASES)
    assert any("${.." in c["yaml"] for c in CASES)


def test_golden_fixtures_match_torch(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "cases"
    folder.mkdir()
    for case in CASES:
        (folder / f"{case['id']}.yaml").write_text(case["yaml"], encoding="utf-8")
    result = run_cli("--format", "json", "--dialect", "torch-target", folder)
    assert result.code in (0, 1), result.err
    files = _files(result.json())
    mismatches = []
    for case in CASES:
        entry = files[f"{case['id']}.yaml"]
        assert entry["dialect"] == "torch-target"
        got = {layer["name"]: layer["params"] for layer in entry["layers"]}
        modules = [m for m in case["modules"] if m["class"] in COUNTED_CLASSES]
        want = {m["name"]: m["params"] for m in modules}
        # Parameter-free modules are neither layers nor omissions; LayerNorm is an omission.
        omitted = {o["message"].split(" ")[0] for o in entry["omitted"]}
        assert omitted == {m["name"] for m in case["modules"] if m["class"] in UNCOUNTED}, case["id"]
        # A module torch refuses to build (no input_size) is unknown and makes the file incomplete:
        # the total is then unknown (null), and what is counted is a lower bound (null if nothing is).
        built = all(m["params"] is not None for m in modules)
        whole = built and not omitted
        counted_sum = sum(m["params"] for m in modules if m["params"] is not None)
        counted = counted_sum if any(m["params"] is not None for m in modules) or built else None
        if got != want or entry["counted_params"] != counted or entry["total_params"] != (counted if whole else None):
            mismatches.append((case["id"], got, want))
        assert entry["complete"] == whole
    assert not mismatches, mismatches[:3]


def test_detection_needs_a_recurrent_module(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "cases"
    folder.mkdir()
    # The `list` cases are model.layers lists of _target_ entries: torch-target's, not native's.
    chosen = CASES[:80] + [c for c in CASES if c["style"] == "list"]
    for case in chosen:
        (folder / f"{case['id']}.yaml").write_text(case["yaml"], encoding="utf-8")
    files = _files(run_cli("--format", "json", folder).json())
    for case in chosen:
        entry = files[f"{case['id']}.yaml"]
        has_rnn = any(m["class"] in RECURRENT_CLASSES for m in case["modules"])
        assert entry["skipped"] is (not has_rnn), case["id"]
        if has_rnn:
            assert entry["dialect"] == "torch-target"


def _lint(run_cli, write, text: str, *extra: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    path = write("config.yaml", text)
    result = run_cli("--format", "json", *extra, path)
    assert result.code in (0, 1), result.err
    data: dict[str, Any] = result.json()["files"][0]
    return data


def _messages(entry: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


def test_hydra_kwargs_args_and_interpolation(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        model:
          d_model: 128
          encoder:
            _target_: torch.nn.LSTM
            _args_: [40, "${...d_model}"]  # from a list item, '..' is the module itself
            num_layers: 2
            bidirectional: true
          head:
            _target_: torch.nn.modules.linear.Linear
            in_features: ${model.d_model}
            out_features: 10
        """,
    )
    layers = {layer["name"]: layer for layer in entry["layers"]}
    # torch: 2 x 4 x 128 x (40+128) + 2 x 2 x 512 = 174,080 (layer 1); layer 2 input 256: 2 x (4x128x384 + 1024)
    assert layers["model.encoder"]["params"] == 174_080 + 395_264
    assert layers["model.encoder"]["line"] == 4
    assert layers["model.head"]["params"] == 128 * 10 + 10
    assert entry["complete"] is True
    assert entry["recurrent_params"] == 569_344


def test_lightning_class_path(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        model:
          class_path: my.Model
          init_args:
            rnn:
              class_path: torch.nn.GRUCell
              init_args:
                input_size: 10
                hidden_size: 20
                bias: false
        """,
    )
    assert [(x["name"], x["type"], x["params"]) for x in entry["layers"]] == [
        ("model.init_args.rnn", "gru_cell", 3 * 20 * 30)
    ]


def test_missing_or_unresolvable_input_is_unknown_with_a_note(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        encoder:
          _target_: torch.nn.GRU
          hidden_size: 64
        decoder:
          _target_: torch.nn.LSTM
          input_size: ${oc.env:FEATS}
          hidden_size: 64
        """,
    )
    assert [x["params"] for x in entry["layers"]] == [None, None]
    assert entry["complete"] is False
    notes = _messages(entry, "RNN104")
    assert any("encoder: the input size is unknown" in n and "input_size is not in the file" in n for n in notes)
    assert any("decoder" in n and "resolver 'oc.env'" in n for n in notes)


def test_override_input_size_fills_the_missing_input(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.rnnlint]\n\n[[tool.rnnlint.overrides]]\nfiles = ["*.yaml"]\ninput_size = 10\n', encoding="utf-8"
    )
    entry = _lint(run_cli, write, "rnn:\n  _target_: torch.nn.RNN\n  hidden_size: 5\n")
    assert entry["layers"][0]["params"] == 5 * 15 + 10
    assert entry["complete"] is True


def test_unresolvable_hidden_size_and_bad_arguments_are_rnn205(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        a:
          _target_: torch.nn.LSTM
          input_size: 8
          hidden_size: ???
        b:
          _target_: torch.nn.GRU
          input_size: 8
          hidden_size: 8
          proj_size: 4
        c:
          _target_: torch.nn.LSTM
          input_size: 8
          hidden: 8
        d:
          _target_: torch.nn.LSTM
          input_size: 8
          hidden_size: ${d.hidden_size}
        """,
    )
    assert [x["params"] for x in entry["layers"]] == [None, None, None, None]
    warnings = _messages(entry, "RNN205")
    assert len(warnings) == 4
    assert any("'???'" in w for w in warnings)
    assert any("no proj_size" in w for w in warnings)
    assert any("unexpected keyword argument 'hidden'" in w for w in warnings)
    assert any("circular" in w for w in warnings)


def test_quoted_false_is_true_for_torch_and_said_so(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        "rnn:\n  _target_: torch.nn.GRU\n  input_size: 4\n  hidden_size: 4\n  bidirectional: 'false'\n",
    )
    assert entry["layers"][0]["params"] == 2 * (3 * 4 * 8 + 2 * 12)
    assert any("torch treats any non-empty string as true" in n for n in _messages(entry, "RNN104"))


def test_not_detected_for_other_targets(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        optimizer:
          _target_: torch.optim.Adam
          lr: 0.001
        head:
          _target_: torch.nn.Linear
          in_features: 4
          out_features: 2
        encoder:
          _target_: tabular_ssl.models.components.RNNSequenceEncoder
          hidden_dim: 256
        """,
    )
    assert entry["skipped"] is True


def test_ptls_rnn_seq_encoder_input_from_trx_encoder(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        seq_encoder:
          _target_: ptls.nn.RnnSeqEncoder
          trx_encoder:
            _target_: ptls.nn.TrxEncoder
            embeddings:
              mcc: {in: 100, out: 24}
              unused: {in: 10, out: 0}
            numeric_values: {amount: identity, skipped: none}
          type: lstm
          hidden_size: 32
          bidir: true
        """,
    )
    layers = {x["name"]: x["params"] for x in entry["layers"]}
    # input 24 + 1 = 25; LSTM 2 directions x (4 x 32 x (25+32) + 2 x 128)
    assert layers["seq_encoder"] == 2 * (4 * 32 * 57 + 256)
    assert layers["seq_encoder.starter_h"] == 2 * 32
    assert layers["seq_encoder.trx_encoder.embeddings.mcc"] == 2400
    assert "seq_encoder.trx_encoder.embeddings.unused" not in layers
    assert any("input size 25 assumed from the TrxEncoder" in n for n in _messages(entry, "RNN104"))


CORPUS_DIR = CORPUS / "hydra-target"


@pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="../shared/corpus is not present")
def test_corpus_ptls_files(run_cli) -> None:  # type: ignore[no-untyped-def]
    files = _files(run_cli("--format", "json", CORPUS_DIR).json())
    mles = files["hydra-target__ptls-experiments__scenario_age_pred_conf_mles_params.yaml"]
    assert mles["dialect"] == "torch-target"
    seq = next(x for x in mles["layers"] if x["name"] == "pl_module.seq_encoder")
    assert seq["params"] == 2_004_000 and seq["recurrent"]
    # transformer-only and unknown project classes: nothing counted or guessed
    for name in (
        "hydra-target__ptls-experiments__scenario_alpha_battle_conf_mles_params_transf.yaml",
        "hydra-target__tabular-ssl__configs_sequence_encoder_rnn.yaml",
        "hydra-target__tabular-ssl__configs_model_transformer_classifier.yaml",
    ):
        assert files[name]["skipped"] is True


def test_uncounted_targets_are_omissions_and_non_modules_are_not(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        model:
          _target_: mypkg.models.Seq2Seq
          encoder:
            _target_: torch.nn.GRU
            input_size: 32
            hidden_size: 8
            num_layers: 2
            bidirectional: true
          norm:
            _target_: torch.nn.LayerNorm
            normalized_shape: 16
          drop:
            _target_: torch.nn.Dropout
            p: 0.1
          loss:
            _target_: torch.nn.CrossEntropyLoss
        optimizer:
          _target_: torch.optim.Adam
          _partial_: true
        scheduler:
          _target_: mypkg.schedules.WarmupLRScheduler
        datamodule:
          _target_: mypkg.data.TextDataModule
          splitter:
            _target_: ptls.frames.coles.split_strategy.SampleSlices
            split_count: 5
        """,
    )
    # torch 2.13.0: GRU(32, 8, num_layers=2, bidirectional=True) holds 3,264 parameters.
    assert [(layer["name"], layer["params"]) for layer in entry["layers"]] == [("model.encoder", 3_264)]
    omitted = [o["message"] for o in entry["omitted"]]
    assert sorted(omitted) == sorted(d["message"] for d in entry["diagnostics"] if d["code"] == "RNN106")
    assert sorted(m.split(" ")[0] for m in omitted) == ["model", "model.norm"]
    assert any(
        "(mypkg.models.Seq2Seq) is not counted: rnnlint has not read what this class builds" in m for m in omitted
    )
    assert any("(torch.nn.LayerNorm) is not counted" in m for m in omitted)
    assert entry["complete"] is False and entry["total_params"] is None and entry["counted_params"] == 3_264


def test_only_parameter_free_neighbours_keep_the_total_complete(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        net:
          _target_: torch.nn.Sequential
          _args_:
            - _target_: torch.nn.LSTM
              input_size: 4
              hidden_size: 4
            - _target_: torch.nn.Tanh
        optimizer:
          _target_: torch.optim.SGD
          lr: 0.1
        """,
    )
    assert entry["complete"] is True and entry["total_params"] == 4 * 4 * 8 + 8 * 4
