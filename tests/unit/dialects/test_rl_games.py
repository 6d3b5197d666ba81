"""rl_games: network.rnn after or before the MLP, separate actor/critic, the central value critic, the heads,
D2RL, the resnet builder's widened RNN input, and the observation/state/action sizes as overrides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import CORPUS, REPO, SHARED, needs_corpus, needs_shared

FIXTURES = REPO / "tests" / "fixtures" / "rl_games_cases.json"
CASES: list[dict[str, Any]] = json.loads(FIXTURES.read_text(encoding="utf-8"))["cases"]
ISAACGYM_TRAIN = SHARED / "realworld" / "isaac-sim+IsaacGymEnvs" / "isaacgymenvs" / "cfg" / "train"

NETWORK = """
params:
  algo: {{name: a2c_continuous}}
  model: {{name: continuous_a2c_logstd}}
  network:
    name: actor_critic
    separate: {separate}
    mlp:
      units: [256, 128]
      activation: elu
    rnn:
      name: {name}
      units: {units}
      layers: {layers}
      before_mlp: {before_mlp}
      layer_norm: True
"""


def _config(
    write,
    *,
    name: str = "gru",
    units: int = 64,
    layers: int = 2,
    before_mlp: bool = False,  # type: ignore[no-untyped-def]
    separate: bool = False,
):
    return write(
        "train.yaml", NETWORK.format(name=name, units=units, layers=layers, before_mlp=before_mlp, separate=separate)
    )


def _lint(run_cli, *args) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", *args)
    assert result.code in (0, 1), result.err
    entry: dict[str, Any] = result.json()["files"][0]
    return entry


def _sizes(write, **sizes: int) -> Path:  # type: ignore[no-untyped-def]
    lines = "\n".join(f"{key} = {value}" for key, value in sizes.items())
    return write("pyproject.toml", f'[[tool.rnnlint.overrides]]\nfiles = ["*.yaml"]\n{lines}\n')  # type: ignore[no-any-return]


def _messages(entry: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


def _params(entry: dict[str, Any]) -> dict[str, int | None]:
    return {layer["name"]: layer["params"] for layer in entry["layers"]}


def _lstm(hidden: int, inp: int, layers: int = 1) -> int:
    first = 4 * (hidden * (inp + hidden) + 2 * hidden)
    return first + (layers - 1) * 4 * (hidden * (2 * hidden) + 2 * hidden)


GRU_2X64_FROM_128 = 3 * (64 * (128 + 64) + 2 * 64) + 3 * (64 * (64 + 64) + 2 * 64)


# --- golden fixtures from the real rl_games builders -------------------------------------------


def test_fixture_suite_covers_the_builders() -> None:
    assert len(CASES) >= 50
    text = "\n".join(c["yaml"] for c in CASES)
    for needle in (
        "resnet_actor_critic",
        "central_value_config",
        "d2rl: true",
        "separate: true",
        "require_rewards: true",
        "require_last_actions: true",
        "fixed_sigma: false",
        "discrete: {}",
        "concat_input: true",
        "concat_output: true",
        "conv1d",
    ):
        assert needle in text, needle


def test_golden_fixtures_match_rl_games(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "cases"
    folder.mkdir()
    overrides = []
    for case in CASES:
        (folder / f"{case['name']}.yaml").write_text(case["yaml"], encoding="utf-8")
        lines = "\n".join(f"{key} = {value}" for key, value in case["sizes"].items())
        overrides.append(f'[[tool.rnnlint.overrides]]\nfiles = ["{case["name"]}.yaml"]\n{lines}\n')
    config = tmp_path / "pyproject.toml"
    config.write_text("\n".join(overrides), encoding="utf-8")
    result = run_cli("--format", "json", "--config", config, folder)
    assert result.code in (0, 1), result.err
    files = {Path(f["path"]).stem: f for f in result.json()["files"]}
    mismatches = []
    for case in CASES:
        entry = files[case["name"]]
        assert entry["dialect"] == "rl-games", case["name"]
        want_counted = case["total"] - case["omitted"]
        if _params(entry) != case["parts"] or entry["counted_params"] != want_counted:
            mismatches.append((case["name"], _params(entry), case["parts"]))
        # Only the CNNs are left out; with every size stated nothing else is unknown.
        assert entry["complete"] is (case["omitted"] == 0 and "conv_depths" not in case["yaml"]), case["name"]
        if entry["complete"]:
            assert entry["total_params"] == case["total"]
        assert not _messages(entry, "RNN104"), case["name"]
    assert not mismatches, mismatches[:3]


# --- the actor's RNN and MLP -------------------------------------------------------------------


def test_rnn_after_mlp_reads_the_last_mlp_layer(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, "--isolated", _config(write))
    assert entry["dialect"] == "rl-games" and entry["framework"] == "pytorch"
    rnn = entry["layers"][0]
    assert rnn["recurrent"] and rnn["params"] == GRU_2X64_FROM_128
    norm = [layer for layer in entry["layers"] if layer["type"] == "layer_norm"]
    assert norm[0]["params"] == 2 * 64
    # The RNN's input is known; the MLP's first layer reads the observation, which is not in the file:
    # an omission (RNN106), not an assumption.
    assert entry["complete"] is False and entry["total_params"] is None
    assert not _messages(entry, "RNN104")
    assert any("MLP" in m and "input_size = N" in m for m in _messages(entry, "RNN106"))
    # The value head reads the RNN's 64 units.
    assert _params(entry)["value head"] == 64 + 1


def test_separate_builds_actor_and_critic_rnns(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, "--isolated", _config(write, separate=True))
    assert entry["layers"][0]["params"] == 2 * GRU_2X64_FROM_128
    assert _params(entry)["rnn layer_norm"] == 2 * 2 * 64


def test_rnn_before_mlp_needs_the_observation_size(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = _config(write, name="lstm", units=32, layers=1, before_mlp=True)
    entry = _lint(run_cli, "--isolated", path)
    assert entry["layers"][0]["params"] is None
    assert any("input_size = N" in m for m in _messages(entry, "RNN104"))
    entry = _lint(run_cli, "--config", _sizes(write, input_size=50), path)
    assert entry["layers"][0]["params"] == _lstm(32, 50)
    # The MLP now reads the RNN's 32 units, the value head the MLP's 128: everything is known.
    params = _params(entry)
    assert params["mlp"] == (32 * 256 + 256) + (256 * 128 + 128)
    assert params["value head"] == 128 + 1
    assert entry["complete"] is True
    assert entry["total_params"] == _lstm(32, 50) + 2 * 32 + params["mlp"] + 129
    assert not _messages(entry, "RNN104")


def test_unknown_rnn_name_is_rnn205(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, "--isolated", _config(write, name="identity"))
    assert any(d["code"] == "RNN205" for d in entry["diagnostics"])


def test_rl_games_passes_no_dropout_so_no_rnn203(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # BaseNetwork._build_rnn builds LSTMWithDones(input_size, hidden_size, num_layers): a dropout key
    # in the config is never read, so RNN203's premise (dropout on a single-layer RNN) does not hold.
    text = NETWORK.format(name="lstm", units=32, layers=1, before_mlp=False, separate=False)
    path = write("train.yaml", text.replace("      layer_norm: True", "      layer_norm: True\n      dropout: 0.5"))
    entry = _lint(run_cli, "--isolated", path)
    assert entry["layers"][0]["params"] == _lstm(32, 128)
    assert not _messages(entry, "RNN203")


# --- the heads, D2RL ---------------------------------------------------------------------------

HEADS = """
params:
  network:
    name: actor_critic
    space:
      {space}
    mlp:
      units: [64, 32]
      activation: elu
      d2rl: {d2rl}
    normalization: {norm}
    rnn: {{name: gru, units: 16, layers: 1, before_mlp: True}}
"""
CONTINUOUS = "continuous: {{mu_activation: None, sigma_activation: None, fixed_sigma: {fixed}}}"


def _heads(write, space: str, d2rl: bool = False, norm: str = "None") -> Path:  # type: ignore[no-untyped-def]
    return write("train.yaml", HEADS.format(space=space, d2rl=d2rl, norm=norm))  # type: ignore[no-any-return]


def test_continuous_heads_need_the_action_size(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = _heads(write, CONTINUOUS.format(fixed="True"))
    entry = _lint(run_cli, "--config", _sizes(write, input_size=10), path)
    assert entry["complete"] is False and entry["total_params"] is None
    assert any("mu and sigma heads" in m and "action_size = N" in m for m in _messages(entry, "RNN106"))
    assert "mu head" not in _params(entry)
    entry = _lint(run_cli, "--config", _sizes(write, input_size=10, action_size=6), path)
    params = _params(entry)
    assert params["mu head"] == 32 * 6 + 6 and params["sigma (fixed_sigma)"] == 6
    assert params["value head"] == 33
    assert entry["complete"] is True
    gru = 3 * (16 * (10 + 16) + 2 * 16)
    assert entry["total_params"] == gru + (16 * 64 + 64) + (64 * 32 + 32) + 33 + 198 + 6


def test_learned_sigma_and_discrete_logits(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    sizes = _sizes(write, input_size=10, action_size=4)
    params = _params(_lint(run_cli, "--config", sizes, _heads(write, CONTINUOUS.format(fixed="False"))))
    assert params["sigma head"] == params["mu head"] == 32 * 4 + 4
    params = _params(_lint(run_cli, "--config", sizes, _heads(write, "discrete: {}")))
    assert params["logits head"] == 32 * 4 + 4 and "mu head" not in params


def test_multi_discrete_heads_are_an_omission(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, "--config", _sizes(write, input_size=10, action_size=4), _heads(write, "multi_discrete: {}"))
    assert entry["complete"] is False
    assert any("multi-discrete" in m for m in _messages(entry, "RNN106"))


def test_d2rl_layers_also_read_the_mlp_input(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    sizes = _sizes(write, input_size=10)
    # D2RLNet: Linear(16, 64), then Linear(64 + 16, 32): the MLP's input (the GRU's 16 units) again.
    entry = _lint(run_cli, "--config", sizes, _heads(write, "discrete: {}", d2rl=True))
    assert _params(entry)["mlp"] == (16 * 64 + 64) + (80 * 32 + 32)
    # network.normalization adds a LayerNorm per D2RL layer (the plain MLP ignores it).
    entry = _lint(run_cli, "--config", sizes, _heads(write, "discrete: {}", d2rl=True, norm="layer_norm"))
    assert _params(entry)["mlp"] == (16 * 64 + 64) + (80 * 32 + 32) + 2 * 64 + 2 * 32
    entry = _lint(run_cli, "--config", sizes, _heads(write, "discrete: {}", norm="layer_norm"))
    assert _params(entry)["mlp"] == (16 * 64 + 64) + (64 * 32 + 32)


# --- the central value critic ------------------------------------------------------------------

CRITIC = """
params:
  network:
    name: actor_critic
    separate: False
    mlp: {units: [32], activation: elu}
    rnn: {name: lstm, units: 16, layers: 1, before_mlp: True}
  config:
    central_value_config:
      network:
        name: actor_critic
        central_value: True
        mlp: {units: [64], activation: elu}
        rnn: {name: lstm, units: 24, layers: 1, before_mlp: True, layer_norm: True}
"""


def test_central_value_network_is_counted_from_the_state_size(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("train.yaml", CRITIC)
    entry = _lint(run_cli, "--config", _sizes(write, input_size=20), path)
    assert _params(entry)["central value rnn"] is None
    notes = _messages(entry, "RNN104")
    assert any("central value rnn input is the state size" in m and "state_size = N" in m for m in notes)
    assert entry["complete"] is False
    entry = _lint(run_cli, "--config", _sizes(write, input_size=20, state_size=30), path)
    params = _params(entry)
    critic = _lstm(24, 30) + 2 * 24 + (24 * 64 + 64) + 65
    actor = _lstm(16, 20) + (16 * 32 + 32) + 33
    assert params["central value rnn"] == _lstm(24, 30)
    assert params["central value mlp"] == 24 * 64 + 64 and params["central value value head"] == 65
    assert entry["complete"] is True and entry["total_params"] == actor + critic
    assert entry["recurrent_params"] == _lstm(16, 20) + _lstm(24, 30)
    assert not _messages(entry, "RNN104")


@needs_shared
def test_allegro_hand_lstm_counts_the_critic(run_cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # DeXtreme's AllegroHand: a 50-wide observation, a 174-wide state, 16 actions. The real builders
    # (tools/gen_rl_games_fixtures.py's ModelBuilder path) give 1,291,809 + 1,837,057 = 3,128,866.
    path = tmp_path / "AllegroHandLSTMPPO.yaml"
    path.write_text((ISAACGYM_TRAIN / "AllegroHandLSTMPPO.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    entry = _lint(run_cli, "--isolated", path)
    assert entry["complete"] is False
    notes = _messages(entry, "RNN104")
    assert any("state_size = N" in m for m in notes) and any("input_size = N" in m for m in notes)
    entry = _lint(run_cli, "--config", _sizes(write, input_size=50, state_size=174, action_size=16), path)
    assert entry["total_params"] == 3_128_866 and entry["complete"] is True
    assert _params(entry)["central value rnn"] == 1_409_024


# --- the resnet builder's widened RNN input ----------------------------------------------------

RESNET = """
params:
  network:
    name: resnet_actor_critic
    require_rewards: True
    require_last_actions: {last_actions}
    space:
      discrete: {{}}
    cnn: {{permute_input: False, conv_depths: [16, 32]}}
    mlp: {{units: [64], activation: relu}}
    rnn: {{name: lstm, units: 32, layers: 1, before_mlp: False}}
"""


def test_resnet_rewards_and_last_actions_widen_the_rnn_input(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("train.yaml", RESNET.format(last_actions=True))
    entry = _lint(run_cli, "--isolated", path)
    assert _params(entry)["rnn"] is None
    assert any("require_last_actions" in m and "action_size = N" in m for m in _messages(entry, "RNN104"))
    entry = _lint(run_cli, "--config", _sizes(write, input_size=200, action_size=6), path)
    # The MLP's 64 outputs, plus the reward, plus the 6 one-hot last actions.
    assert _params(entry)["rnn"] == _lstm(32, 64 + 1 + 6)
    assert _params(entry)["logits head"] == 32 * 6 + 6
    # The IMPALA CNN is left out: never complete.
    assert entry["complete"] is False
    assert any("IMPALA CNN" in m for m in _messages(entry, "RNN106"))
    path = write("train.yaml", RESNET.format(last_actions=False))
    assert _params(_lint(run_cli, "--config", _sizes(write, input_size=200), path))["rnn"] == _lstm(32, 64 + 1)


# --- configs without an RNN, other builders, Hydra defaults ----------------------------------

MLP_ONLY = """
params:
  network:
    name: {name}
    space: {{continuous: {{fixed_sigma: True}}}}
    mlp: {{units: [64, 32], activation: elu}}
"""


def test_mlp_only_network_gets_no_assumption(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("train.yaml", MLP_ONLY.format(name="actor_critic"))
    entry = _lint(run_cli, "--isolated", path)
    assert not _messages(entry, "RNN104")
    assert entry["layers"] == [] and entry["complete"] is False and entry["total_params"] is None
    assert entry["counted_params"] is None
    # No RNN: no RNN106 note either, but JSON names what is left out.
    assert not _messages(entry, "RNN106")
    assert [o["message"] for o in entry["omitted"]] == [
        "the actor-critic network (its MLP and heads) is not counted: its input is the observation size, not in "
        "the file; state it with [[tool.rnnlint.overrides]] input_size = N (the observation size)"
    ]
    entry = _lint(run_cli, "--config", _sizes(write, input_size=8, action_size=2), path)
    assert entry["complete"] is True
    assert entry["total_params"] == (8 * 64 + 64) + (64 * 32 + 32) + 33 + 66 + 2


def test_other_builders_are_omitted_or_unknown(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, "--isolated", write("train.yaml", MLP_ONLY.format(name="soft_actor_critic")))
    assert entry["complete"] is False and not _messages(entry, "RNN104")
    assert "soft_actor_critic" in entry["omitted"][0]["message"]
    text = CRITIC.replace("name: actor_critic\n    separate", "name: complex_net\n    separate")
    entry = _lint(run_cli, "--isolated", write("train.yaml", text))
    assert any("complex_net" in m for m in _messages(entry, "RNN205"))


def test_hydra_defaults_make_one_assumption(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "defaults: [Base, _self_]\n" + CRITIC.split("  config:")[0].replace("    name: actor_critic\n", "")
    text = text.replace("    separate: False\n", "")
    entry = _lint(run_cli, "--config", _sizes(write, input_size=20), write("train.yaml", text))
    notes = _messages(entry, "RNN104")
    assert len(notes) == 1 and "name (assumed actor_critic" in notes[0] and "separate (assumed False" in notes[0]
    assert any("network.space is not in this file" in m for m in _messages(entry, "RNN106"))


@needs_corpus
def test_mlp_only_config_has_no_recurrent_layer(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = CORPUS / "rl-games" / "rl-games__IsaacGymEnvs__isaacgymenvs_cfg_train_AntPPO.yaml"
    entry = _lint(run_cli, "--isolated", path)
    assert entry["dialect"] == "rl-games"
    assert not any(layer["recurrent"] for layer in entry["layers"])
    assert not _messages(entry, "RNN104")


@needs_shared
def test_isaacgym_configs_without_rnn_get_no_rnn104(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--isolated", "--no-cache", ISAACGYM_TRAIN)
    for entry in result.json()["files"]:
        if entry["skipped"]:
            continue
        if not any(layer["recurrent"] for layer in entry["layers"]):
            assert not _messages(entry, "RNN104"), entry["path"]
            assert entry["complete"] is False


@needs_corpus
def test_corpus_lstm_configs_say_how_to_state_the_input(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = CORPUS / "rl-games" / "rl-games__IsaacGymEnvs__isaacgymenvs_cfg_train_ShadowHandPPOLSTM.yaml"
    entry = _lint(run_cli, "--isolated", path)
    notes = _messages(entry, "RNN104")
    assert any("concat_input: True" in n and "[[tool.rnnlint.overrides]] input_size" in n for n in notes)


def test_size_overrides_must_be_positive_integers(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    config = _sizes(write, state_size=0)
    result = run_cli("--format", "json", "--config", config, _config(write))
    assert result.code == 2 and "state_size" in result.err


def test_detection_needs_params_network(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("other.yaml", "params: {seed: 1}\n")
    assert _lint(run_cli, "--isolated", path)["skipped"] is True
