"""rl_games: network.rnn after or before the MLP, separate actor/critic, the observation size as an override."""

from __future__ import annotations

from typing import Any

from tests.conftest import CORPUS, needs_corpus

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


GRU_2X64_FROM_128 = 3 * (64 * (128 + 64) + 2 * 64) + 3 * (64 * (64 + 64) + 2 * 64)


def test_rnn_after_mlp_reads_the_last_mlp_layer(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, "--isolated", _config(write))
    assert entry["dialect"] == "rl-games" and entry["framework"] == "pytorch"
    rnn = entry["layers"][0]
    assert rnn["recurrent"] and rnn["params"] == GRU_2X64_FROM_128
    norm = [layer for layer in entry["layers"] if layer["type"] == "layer_norm"]
    assert norm[0]["params"] == 2 * 64
    # The MLP's first layer reads the observation, which is not in the file.
    assert entry["complete"] is False
    assert any("observation size" in d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104")


def test_separate_builds_actor_and_critic_rnns(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, "--isolated", _config(write, separate=True))
    assert entry["layers"][0]["params"] == 2 * GRU_2X64_FROM_128


def test_rnn_before_mlp_needs_the_observation_size(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = _config(write, name="lstm", units=32, layers=1, before_mlp=True)
    entry = _lint(run_cli, "--isolated", path)
    assert entry["layers"][0]["params"] is None
    config = write(
        "pyproject.toml",
        """
        [[tool.rnnlint.overrides]]
        files = ["*.yaml"]
        input_size = 50
    """,
    )
    entry = _lint(run_cli, "--config", config, path)
    assert entry["layers"][0]["params"] == 4 * (32 * (50 + 32) + 2 * 32)
    # The MLP now reads the RNN's 32 units: everything is known.
    mlp = next(layer for layer in entry["layers"] if layer["type"] == "mlp")
    assert mlp["params"] == (32 * 256 + 256) + (256 * 128 + 128)
    assert entry["complete"] is True


def test_unknown_rnn_name_is_rnn205(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, "--isolated", _config(write, name="identity"))
    assert any(d["code"] == "RNN205" for d in entry["diagnostics"])


@needs_corpus
def test_mlp_only_config_has_no_recurrent_layer(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = CORPUS / "rl-games" / "rl-games__IsaacGymEnvs__isaacgymenvs_cfg_train_AntPPO.yaml"
    entry = _lint(run_cli, "--isolated", path)
    assert entry["dialect"] == "rl-games"
    assert not any(layer["recurrent"] for layer in entry["layers"])


@needs_corpus
def test_corpus_lstm_configs_say_how_to_state_the_input(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = CORPUS / "rl-games" / "rl-games__IsaacGymEnvs__isaacgymenvs_cfg_train_ShadowHandPPOLSTM.yaml"
    entry = _lint(run_cli, "--isolated", path)
    notes = [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]
    assert any("concat_input: True" in n and "[[tool.rnnlint.overrides]] input_size" in n for n in notes)


def test_detection_needs_params_network(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("other.yaml", "params: {seed: 1}\n")
    assert _lint(run_cli, "--isolated", path)["skipped"] is True
