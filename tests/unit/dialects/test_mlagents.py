"""Unity ML-Agents: the memory LSTMs of every network body, against networks built by mlagents 1.1.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rnnlint.dialects import mlagents
from tests.conftest import REPO, SHARED, needs_shared
from tests.unit.dialects import shared_documents

CASES = Path(__file__).resolve().parent / "mlagents"
FIXTURE = REPO / "tests" / "fixtures" / "mlagents_cases.json"
NEWDIALECTS = SHARED / "newdialects" / "mlagents"


def _fixture() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
    return cases


def _lint(run_cli, path: Path | str, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    # A --config of the test's own, else --isolated (this repository's pyproject must not apply).
    result = run_cli("--format", "json", "--no-cache", *(args or ("--isolated",)), path)
    assert result.code in (0, 1), result.err
    entry: dict[str, Any] = result.json()["files"][0]
    return entry


def _codes(entry: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


# rnnlint's network label -> the module ML-Agents builds it as (policy / optimizer attributes).
OWNERS = {
    "actor": "policy.actor",
    "actor and critic (shared_critic)": "policy.actor",
    "critic": "optimizer._critic",
    "value network": "optimizer._critic",
    "target value network": "optimizer.target_network",
}
PARTS = {"hidden layers": "network_body._body_endoder", "value heads": "value_heads"}


def _observation(write, size: int) -> Path:  # type: ignore[no-untyped-def]
    path: Path = write("pyproject.toml", f'[[tool.rnnlint.overrides]]\nfiles = ["*.yaml"]\ninput_size = {size}\n')
    return path


@pytest.mark.parametrize("case", [c for c in _fixture() if "lstms" in c], ids=lambda c: c["file"])
def test_counts_match_the_networks_mlagents_builds(run_cli, write, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    config = _observation(write, json.loads(FIXTURE.read_text(encoding="utf-8"))["observation"])
    entry = _lint(run_cli, CASES / case["file"], "--config", str(config))
    assert entry["dialect"] == "mlagents" and entry["framework"] == "pytorch"
    recurrent = [layer for layer in entry["layers"] if layer["recurrent"]]
    # One LSTM per network body, in the order the trainer builds them, per behavior.
    assert [(layer["name"].split()[0], layer["params"]) for layer in recurrent] == [
        (lstm["behavior"], lstm["params"]) for lstm in case["lstms"]
    ]
    built = {(part["behavior"], part["module"]): part["params"] for part in case["parts"]}
    matched = 0
    for layer in entry["layers"]:
        if layer["recurrent"]:
            continue
        behavior, rest = layer["name"].split(" ", 1)
        part = next(p for p in PARTS if rest.endswith(" " + p))
        network = rest.removesuffix(" " + part)
        assert layer["params"] == built[(behavior, f"{OWNERS[network]}.{PARTS[part]}")], layer["name"]
        matched += layer["params"]
    # Nothing counted is "unknown", never 0.
    assert entry["counted_params"] == (sum(lstm["params"] for lstm in case["lstms"]) + matched or None)
    # The encoders and the action model are not counted: never complete, never a total.
    assert entry["complete"] is False and entry["total_params"] is None


def test_fixture_has_the_trainers_and_the_defaults() -> None:
    by_file = {c["file"]: c for c in _fixture()}
    assert len(by_file["poca_and_sac.yaml"]["lstms"]) == 2 + 5
    assert len(by_file["ppo_shared_critic.yaml"]["lstms"]) == 1
    # memory_size defaults to 128: hidden 64; default_settings' memory merges into the behavior's.
    assert by_file["ppo_shared_critic.yaml"]["lstms"][0]["hidden_size"] == 64
    assert {lstm["hidden_size"] for lstm in by_file["default_settings.yaml"]["lstms"]} == {18}
    assert "my_plugin_trainer" in by_file["unknown_trainer.yaml"]["error"]


def test_hidden_size_is_half_the_memory_and_input_is_hidden_units(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, CASES / "ppo_memory.yaml")
    layers = {layer["name"]: layer for layer in entry["layers"]}
    actor = layers["Walker actor LSTM"]
    assert actor["params"] == 4 * (32 * (96 + 32) + 2 * 32)
    assert actor["formula"].startswith("4 x [32x(96+32)")
    # The first hidden layer reads the observation: unknown until stated; one value head (extrinsic).
    assert layers["Walker actor hidden layers"]["params"] is None
    assert layers["Walker critic value heads"]["params"] == 32 + 1
    notes = _codes(entry, "RNN104")
    assert [n.split(":")[0] for n in notes] == ["behavior Walker", "behavior Walker shared_critic"]
    assert "input_size = N" in notes[0]
    assert any("observation encoders" in m for m in _codes(entry, "RNN106"))


def test_unstated_defaults_that_change_the_count_are_notes(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("trainer.yaml", "behaviors:\n  Agent:\n    network_settings:\n      memory: {sequence_length: 8}\n")
    entry = _lint(run_cli, path)
    notes = _codes(entry, "RNN104")
    assert sorted(n.split(":")[0] for n in notes) == [
        "behavior Agent",
        "behavior Agent hidden_units",
        "behavior Agent memory_size",
        "behavior Agent num_layers",
        "behavior Agent reward_signals",
        "behavior Agent shared_critic",
        "behavior Agent trainer_type",
    ]
    # PPO, hidden_units 128, memory_size 128: two LSTM(128, 64).
    lstms = [layer["params"] for layer in entry["layers"] if layer["recurrent"]]
    assert lstms == [4 * (64 * (128 + 64) + 2 * 64)] * 2


def test_no_memory_builds_no_recurrent_layer(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, CASES / "no_memory.yaml")
    assert entry["dialect"] == "mlagents" and entry["layers"] == []
    assert entry["complete"] is False and entry["total_params"] is None
    assert any("no recurrent layer" in o["message"] for o in entry["omitted"])
    assert entry["diagnostics"] == []


def test_unknown_trainer_is_rnn205(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, CASES / "unknown_trainer.yaml")
    assert any("my_plugin_trainer" in m for m in _codes(entry, "RNN205"))
    assert entry["complete"] is False


def test_odd_memory_size_is_not_counted(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "behaviors:\n  A:\n    trainer_type: ppo\n    network_settings:\n      memory: {memory_size: 7}\n"
    path = write("odd.yaml", text)
    entry = _lint(run_cli, path)
    assert any("even positive memory_size" in m for m in _codes(entry, "RNN205"))


def test_reward_signal_networks_are_omissions_and_streams_value_heads(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "curious.yaml",
        """
        behaviors:
          A:
            trainer_type: ppo
            hyperparameters: {shared_critic: false}
            network_settings: {hidden_units: 8, num_layers: 3, memory: {memory_size: 4}}
            reward_signals: {extrinsic: {gamma: 0.99}, curiosity: {strength: 0.02}}
        """,
    )
    entry = _lint(run_cli, path, "--config", str(_observation(write, 5)))
    assert _codes(entry, "RNN104") == []
    assert any("curiosity reward signal" in o["message"] for o in entry["omitted"])
    layers = {layer["name"]: layer["params"] for layer in entry["layers"]}
    assert layers == {
        "A actor hidden layers": (5 * 8 + 8) + 2 * (8 * 8 + 8),
        "A actor LSTM": 4 * (2 * (8 + 2) + 2 * 2),
        "A critic hidden layers": (5 * 8 + 8) + 2 * (8 * 8 + 8),
        "A critic LSTM": 4 * (2 * (8 + 2) + 2 * 2),
        "A critic value heads": 2 * (2 + 1),  # extrinsic and curiosity
    }


def test_detection_needs_behaviors_with_trainer_settings(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    assert _lint(run_cli, write("b.yaml", "behaviors: {walk: [1, 2]}\n"))["skipped"] is True
    assert not mlagents.detect({"behaviors": {"x": {"speed": 1}}})
    assert mlagents.detect({"behaviors": {"x": {"trainer_type": "ppo"}}})


@needs_shared
def test_claims_no_file_of_the_corpus_or_the_real_world_trees() -> None:
    claimed = [path for path, data in shared_documents.documents() if mlagents.detect(data)]
    assert claimed == []


@needs_shared
def test_newdialects_files(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--no-cache", "--isolated", NEWDIALECTS)
    files = {Path(f["path"]).name: f for f in result.json()["files"]}
    assert sorted(files) == ["ml-agents__config_poca_DungeonEscape.yaml", "ml-agents__config_ppo_Hallway.yaml"]
    assert all(f["dialect"] == "mlagents" for f in files.values())
    hallway = files["ml-agents__config_ppo_Hallway.yaml"]
    lstm = 4 * (64 * (128 + 64) + 2 * 64)  # memory_size 128 -> hidden 64, reading hidden_units 128
    assert [(layer["name"], layer["params"]) for layer in hallway["layers"]] == [
        ("Hallway2 actor hidden layers", None),  # the observation size is the environment's
        ("Hallway2 actor LSTM", lstm),
        ("Hallway2 critic hidden layers", None),
        ("Hallway2 critic LSTM", lstm),
        ("Hallway2 critic value heads", 64 + 1),
    ]
    assert hallway["counted_params"] == 2 * lstm + 65 == 99393 and hallway["complete"] is False
    # DungeonEscape (POCA) has no memory: no recurrent layer, and never "total 0, complete".
    dungeon = files["ml-agents__config_poca_DungeonEscape.yaml"]
    assert dungeon["layers"] == [] and dungeon["total_params"] is None and dungeon["complete"] is False
    assert dungeon["diagnostics"] == []
