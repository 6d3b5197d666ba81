"""rl-baselines3-zoo RecurrentPPO entries: policy_kwargs read without eval, against sb3-contrib 2.9.2's policies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rnnlint.dialects import rlzoo
from tests.conftest import REPO, SHARED, needs_shared
from tests.unit.dialects import shared_documents

CASES = Path(__file__).resolve().parent / "rlzoo"
FIXTURE = REPO / "tests" / "fixtures" / "rlzoo_cases.json"
NEWDIALECTS = SHARED / "newdialects" / "rlzoo"
COUNTED = ("lstm_actor", "lstm_critic", "critic", "mlp_extractor.policy_net", "mlp_extractor.value_net", "value_net")


def _fixture() -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return payload


def _run(run_cli, *args: str | Path) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--no-cache", *args)
    assert result.code in (0, 1), result.err
    files: list[dict[str, Any]] = result.json()["files"]
    return files


def _with_observation(write, size: int) -> Path:  # type: ignore[no-untyped-def]
    path: Path = write("pyproject.toml", f'[[tool.rnnlint.overrides]]\nfiles = ["*.yml"]\ninput_size = {size}\n')
    return path


def _messages(entry: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


@pytest.fixture
def stated(run_cli, write) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """recurrent_ppo.yml linted with the fixture's observation size stated; layers by name."""
    config = _with_observation(write, _fixture()["observation"])
    entry = _run(run_cli, "--config", config, CASES / "recurrent_ppo.yml")[0]
    return {layer["name"]: layer for layer in entry["layers"]}


@pytest.mark.parametrize(
    "case", [c for c in _fixture()["cases"] if c["file"] == "recurrent_ppo.yml"], ids=lambda c: c["env"]
)
def test_counts_match_the_policy_sb3_contrib_builds(stated, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    for module in COUNTED:
        expected = case["params"][module]
        layer = stated.get(f"{case['env']} {module}")
        if not expected:  # not built (None) or an empty Sequential
            assert layer is None, module
        else:
            assert layer is not None and layer["params"] == expected, module


def test_observation_size_is_a_note_until_stated(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _run(run_cli, "--isolated", CASES / "recurrent_ppo.yml")[0]
    assert entry["dialect"] == "rl-zoo" and entry["framework"] == "pytorch"
    layers = {layer["name"]: layer for layer in entry["layers"]}
    assert layers["TunedNoVel-v1 lstm_actor"]["params"] is None
    notes = _messages(entry, "RNN104")
    assert any(n.startswith("TunedNoVel-v1 LSTM input") and "input_size = N" in n for n in notes)
    # The CNN policy's LSTM reads features_dim (512 unless stated): known without the override.
    assert layers["PixelsDefault-v0 lstm_actor"]["params"] == 4 * (32 * (512 + 32) + 2 * 32)
    assert layers["Pixels-v0 lstm_actor"]["params"] == 4 * (64 * (100 + 64) + 2 * 64)
    assert not any(n.startswith("Pixels") and "LSTM input" in n for n in notes)
    # MlpPolicy under "default" is not RecurrentPPO: nothing about it.
    assert not any(layer["name"].startswith("default") for layer in entry["layers"])
    assert entry["complete"] is False and entry["total_params"] is None


def test_unstated_defaults_are_one_note_per_entry(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _run(run_cli, "--isolated", CASES / "recurrent_ppo.yml")[0]
    notes = [n for n in _messages(entry, "RNN104") if n.startswith("DefaultsNoVel-v0: ")]
    assert notes == [
        "DefaultsNoVel-v0: policy_kwargs does not set lstm_hidden_size 256, n_lstm_layers 1, enable_critic_lstm "
        "True, net_arch dict(pi=[64, 64], vf=[64, 64]) (sb3-contrib's defaults assumed)"
    ]
    shared = [n for n in _messages(entry, "RNN104") if n.startswith("SharedLstm-v0: ")]
    assert shared == ["SharedLstm-v0: policy_kwargs does not set n_lstm_layers 1 (sb3-contrib's defaults assumed)"]


def test_action_net_and_cnn_are_omissions(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _run(run_cli, "--isolated", CASES / "recurrent_ppo.yml")[0]
    omitted = [o["message"] for o in entry["omitted"]]
    assert sum("action net" in m for m in omitted) == 6
    assert sum("NatureCNN" in m for m in omitted) == 2


def test_lstm_kwargs_dropout_reaches_the_lstm(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "ppo_lstm.yml",
        """
        Env-v0:
          n_envs: 1
          policy: 'MlpLstmPolicy'
          policy_kwargs: "dict(lstm_hidden_size=8, n_lstm_layers=1, enable_critic_lstm=True, net_arch=[],
                               lstm_kwargs=dict(dropout=0.3))"
        """,
    )
    entry = _run(run_cli, "--config", _with_observation(write, 4), path)[0]
    # nn.LSTM(..., num_layers=1, dropout=0.3): torch's "dropout has no effect" case.
    assert len(_messages(entry, "RNN203")) == 2
    assert [layer["params"] for layer in entry["layers"]] == [4 * (8 * (4 + 8) + 2 * 8)] * 2 + [8 + 1]


def test_expressions_that_are_not_literals_are_rnn205(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _run(run_cli, "--isolated", CASES / "not_literal.yml")[0]
    cannot = _messages(entry, "RNN205")
    assert any("Computed-v0" in m and "not a literal dict" in m for m in cannot)
    assert any("Refused-v0" in m and "shared_lstm=True" in m for m in cannot)
    assert any("SharedSeparate-v0" in m and "share_features_extractor=False" in m for m in cannot)
    for env in ("Refused-v0", "SharedSeparate-v0"):
        refused = next(c for c in _fixture()["cases"] if c["env"] == env)
        assert refused["error"].startswith("AssertionError")


def test_literal_parser_never_evaluates() -> None:
    kwargs = rlzoo.parse_policy_kwargs("dict(activation_fn=nn.ReLU, net_arch=dict(pi=[64], vf=[]), log_std_init=-2)")
    assert kwargs == {"activation_fn": "nn.ReLU", "net_arch": {"pi": [64], "vf": []}, "log_std_init": -2}
    assert isinstance(kwargs["activation_fn"], rlzoo.Opaque)
    for text in ("__import__('os').system('true')", "dict(a=f(1))", "dict(**x)", "[1, 2]", "dict(a=1"):
        with pytest.raises(rlzoo.NotLiteral):
            rlzoo.parse_policy_kwargs(text)


def test_files_without_recurrent_ppo_entries_say_nothing(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "ppo.yml", "CartPole-v1:\n  n_envs: 8\n  policy: 'MlpPolicy'\n  policy_kwargs: 'dict(net_arch=[64])'\n"
    )
    [entry] = _run(run_cli, "--isolated", path)
    # Read as a zoo file (its size is unknown, never 0), with no finding about the other policies.
    assert entry["dialect"] == "rl-zoo" and entry["diagnostics"] == [] and entry["layers"] == []
    assert entry["total_params"] is None and "no entry uses a recurrent policy" in entry["omitted"][0]["message"]
    assert not rlzoo.detect({"x": {"policy": "MlpLstmPolicy"}})  # a policy alone is not a zoo entry


@needs_shared
def test_claims_no_file_of_the_corpus_or_the_real_world_trees() -> None:
    assert [path for path, data in shared_documents.documents() if rlzoo.detect(data)] == []


@needs_shared
def test_newdialects_files(run_cli) -> None:  # type: ignore[no-untyped-def]
    files = {Path(f["path"]).name: f for f in _run(run_cli, "--isolated", NEWDIALECTS)}
    # ppo.yml and a2c.yml have no RecurrentPPO entry: read as zoo files, nothing said.
    for name in ("rl-baselines3-zoo__hyperparams_ppo.yml", "rl-baselines3-zoo__hyperparams_a2c.yml"):
        assert files[name]["dialect"] == "rl-zoo" and files[name]["diagnostics"] == [] and files[name]["omitted"]
    entry = files["rl-baselines3-zoo__hyperparams_ppo_lstm.yml"]
    assert entry["dialect"] == "rl-zoo"
    recurrent = [layer for layer in entry["layers"] if layer["recurrent"]]
    # 31 MlpLstm/CnnLstm entries; the two CNN ones (atari, CarRacing-v3) disable the critic LSTM.
    assert len(recurrent) == 2 * 31 - 2 == 60
    layers = {layer["name"]: layer for layer in entry["layers"]}
    assert layers["atari lstm_actor"]["params"] == 4 * (128 * (512 + 128) + 2 * 128)
    assert layers["atari critic"]["params"] == 512 * 128 + 128
    assert layers["CarRacing-v3 lstm_actor"]["params"] == layers["atari lstm_actor"]["params"]
    # Every MlpLstmPolicy LSTM reads the environment's observation: unknown until stated.
    unknown = [layer["name"] for layer in recurrent if layer["params"] is None]
    assert len(unknown) == 2 * 29 and "default lstm_actor" not in layers
    assert layers["HalfCheetah-v4 mlp_extractor.policy_net"]["params"] == (256 * 256 + 256) * 2
    assert entry["complete"] is False and entry["total_params"] is None
