"""RLlib tuned examples: FC base + LSTMWrapper, against models built by ray 2.60's ModelCatalog (tf: derived)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rnnlint.dialects import rllib
from tests.conftest import REPO, SHARED, needs_shared
from tests.unit.dialects import shared_documents

CASES = Path(__file__).resolve().parent / "rllib"
FIXTURE = REPO / "tests" / "fixtures" / "rllib_cases.json"
NEWDIALECTS = SHARED / "newdialects" / "rllib"
# rnnlint's layer name -> the fixture's module (torch children; tf: the derived parts).
TORCH = {
    "fcnet hidden layers": "_hidden_layers",
    "fcnet value layers": "_value_branch_separate",
    "lstm": "lstm",
    "value branch": "_value_branch",
}
TF = {
    "fcnet hidden layers": "fc_hidden",
    "fcnet value_out": "fc_value_out",
    "lstm": "lstm",
    "value branch": "lstm_values",
}


def _fixture() -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return payload


def _run(run_cli, *args: str | Path) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--no-cache", *args)
    assert result.code in (0, 1), result.err
    files: list[dict[str, Any]] = result.json()["files"]
    return files


def _observation(write, size: int, actions: int | None = None) -> Path:  # type: ignore[no-untyped-def]
    text = f'[[tool.rnnlint.overrides]]\nfiles = ["*.yaml"]\ninput_size = {size}\n'
    if actions is not None:
        text += f"action_size = {actions}\n"
    path: Path = write("pyproject.toml", text)
    return path


def _messages(entry: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


COUNTED = [c for c in _fixture()["cases"] if "params" in c and "lstm" in c["params"]]
NEW_STACK = [c for c in _fixture()["cases"] if c.get("api_stack") == "new"]


@pytest.mark.parametrize("case", COUNTED, ids=lambda c: c["experiment"])
def test_counts_match_the_model_rllib_builds(run_cli, write, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    config = _observation(write, _fixture()["observation"], _fixture()["actions"])
    entry = _run(run_cli, "--config", config, CASES / case["file"])[0]
    assert entry["dialect"] == "rllib"
    layers = {
        layer["name"].removeprefix(case["experiment"] + " "): layer
        for layer in entry["layers"]
        if layer["name"].startswith(case["experiment"] + " ")
    }
    names = TORCH if case["framework"] == "torch" else TF
    expected = {ours: case["params"][theirs] for ours, theirs in names.items() if case["params"].get(theirs)}
    if case["experiment"] == "pendulum-ppo-prev":  # prev action (the action_size) and prev reward (1) read too
        assert case["params"]["lstm.input_size"] == 24 + 3 + 1
    assert {name: layer["params"] for name, layer in layers.items()} == expected
    # The logits head is sized by the action space: never complete.
    assert entry["complete"] is False and entry["total_params"] is None


@pytest.mark.parametrize("case", NEW_STACK, ids=lambda c: c["experiment"])
def test_new_api_stack_matches_the_ppo_rl_module(run_cli, write, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    config = _observation(write, _fixture()["observation"])
    entry = _run(run_cli, "--config", config, CASES / case["file"])[0]
    prefix = case["experiment"] + " "
    layers = {
        layer["name"].removeprefix(prefix): layer["params"]
        for layer in entry["layers"]
        if layer["name"].startswith(prefix)
    }
    expected = {("vf head" if name == "vf" else name): n for name, n in case["params"].items() if name != "pi"}
    assert layers == expected
    assert any(case["experiment"] in o["message"] and "pi head" in o["message"] for o in entry["omitted"])


def test_new_api_stack_other_algorithms_are_rnn205(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("n.yaml", "n:\n  run: APPO\n  config: {model_config: {use_lstm: true}}\n")
    assert any("only PPO's default module" in m for m in _messages(_run(run_cli, "--isolated", path)[0], "RNN205"))


def test_prev_action_needs_the_action_size(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _run(run_cli, "--config", _observation(write, 6), CASES / "torch_prev_action.yaml")[0]
    lstm = next(layer for layer in entry["layers"] if layer["recurrent"])
    assert lstm["params"] is None
    notes = [n for n in _messages(entry, "RNN104") if "lstm_use_prev_action" in n]
    assert len(notes) == 1 and "action_size = N" in notes[0]


def test_prev_reward_adds_one_input(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "r.yaml",
        "e:\n  run: PPO\n  config:\n    framework: torch\n    model:\n      use_lstm: true\n"
        "      lstm_cell_size: 4\n      fcnet_hiddens: [5]\n      lstm_use_prev_reward: true\n",
    )
    entry = _run(run_cli, "--isolated", path)[0]
    lstm = next(layer for layer in entry["layers"] if layer["name"] == "e lstm")
    assert lstm["params"] == 4 * (4 * (5 + 1 + 4) + 2 * 4)


def test_tf_keras_lstm_keeps_one_bias_and_torch_two(run_cli) -> None:  # type: ignore[no-untyped-def]
    tf = _run(run_cli, "--isolated", CASES / "tf_lstm.yaml")[0]
    assert tf["framework"] == "keras"
    assert next(layer for layer in tf["layers"] if layer["recurrent"])["params"] == 4 * (20 * (12 + 20) + 20)
    torch = _run(run_cli, "--isolated", CASES / "torch_lstm.yaml")[0]
    assert torch["framework"] == "pytorch"
    assert next(layer for layer in torch["layers"] if layer["recurrent"])["params"] == 4 * (32 * (8 + 32) + 2 * 32)


def test_defaults_that_change_counts_are_notes(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _run(run_cli, "--isolated", CASES / "defaults.yaml")[0]
    notes = _messages(entry, "RNN104")
    assert any(n.startswith("experiment two-experiments framework: not set, torch assumed") for n in notes)
    assert any(
        "lstm_cell_size 256, fcnet_hiddens [256, 256]" in n and "vf_share_layers False (PPO)" in n for n in notes
    )
    assert any("vf_share_layers True (A2C)" in n for n in notes)
    assert any("input_size = N" in n for n in notes)
    # The LSTM over two default hidden layers is known without the observation size.
    lstm = next(layer for layer in entry["layers"] if layer["name"] == "two-experiments lstm")
    assert lstm["params"] == 4 * (256 * (256 + 256) + 2 * 256)


def test_no_lstm_is_an_omission_and_custom_models_are_rnn205(run_cli) -> None:  # type: ignore[no-untyped-def]
    plain = _run(run_cli, "--isolated", CASES / "no_lstm.yaml")[0]
    assert plain["dialect"] == "rllib" and plain["layers"] == [] and plain["diagnostics"] == []
    assert any("use_lstm is not set" in o["message"] for o in plain["omitted"])
    assert plain["total_params"] is None and plain["complete"] is False
    custom = _run(run_cli, "--isolated", CASES / "custom_model.yaml")[0]
    assert any("my_rnn_model" in m for m in _messages(custom, "RNN205"))


def test_attention_and_new_api_stack_are_rnn205(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "a.yaml",
        "a:\n  run: PPO\n  config: {model: {use_attention: true}}\n"
        "b:\n  run: PPO\n  config: {framework: tf, model_config: {use_lstm: true, lstm_cell_size: 8}}\n",
    )
    cannot = _messages(_run(run_cli, "--isolated", path)[0], "RNN205")
    assert any("GTrXL" in m for m in cannot) and any("torch RLModules only" in m for m in cannot)


def test_detection_needs_an_experiment_with_run_and_config(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    assert _run(run_cli, "--isolated", write("x.yaml", "exp:\n  run: PPO\n  env: CartPole-v1\n"))[0]["skipped"]
    assert rllib.detect({"exp": {"run": "PPO", "config": {"model": {}}}})
    assert rllib.detect({"exp": {"run": "PPO", "env": "CartPole-v1", "config": {}}})
    # A Tune experiment of some other trainable is not RLlib's.
    assert not rllib.detect({"exp": {"run": "my_trainable", "config": {"seed": 1}}})


@needs_shared
def test_claims_no_file_of_the_corpus_or_the_real_world_trees() -> None:
    assert [path for path, data in shared_documents.documents() if rllib.detect(data)] == []


@needs_shared
def test_newdialects_files(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    files = {Path(f["path"]).name: f for f in _run(run_cli, "--isolated", NEWDIALECTS)}
    assert all(f["dialect"] == "rllib" and f["framework"] == "keras" for f in files.values())
    repeat = files["ray__rllib_tuned_examples_ppo_repeatafterme-ppo-lstm.yaml"]
    lstm = [layer for layer in repeat["layers"] if layer["recurrent"]]
    # framework: tf -> a Keras LSTM(64) over fcnet_hiddens [64]: one bias vector.
    assert [layer["params"] for layer in lstm] == [4 * (64 * (64 + 64) + 64)] == [33024]
    tower = files["ray__rllib_tuned_examples_ppo_obstacle-tower-ppo.yaml"]
    lstm = [layer for layer in tower["layers"] if layer["recurrent"]]
    # lstm_use_prev_action: the LSTM reads the action size too, which the file does not state.
    assert len(lstm) == 1 and lstm[0]["params"] is None
    notes = _messages(tower, "RNN104")
    assert any("lstm_use_prev_action" in n and "action_size = N" in n for n in notes)
    assert any("vf_share_layers: read from config" in n for n in notes)
    # Observation and action sizes stated: the FC layers, the LSTM over 256 + actions + 1 reward, the value head.
    path = NEWDIALECTS / Path(tower["path"]).name
    entry = _run(run_cli, "--config", _observation(write, 10, 11), path)[0]
    layers = {layer["name"].split(" ", 1)[1]: layer["params"] for layer in entry["layers"]}
    assert layers == {
        "fcnet hidden layers": (10 * 256 + 256) + (256 * 256 + 256),
        "fcnet value_out": 257,
        "lstm": 4 * (256 * (256 + 11 + 1 + 256) + 256),
        "value branch": 257,
    }
    assert not any("lstm_use_prev_action" in n for n in _messages(entry, "RNN104"))
