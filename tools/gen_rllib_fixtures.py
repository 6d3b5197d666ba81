"""Generate golden fixtures for the ``rllib`` dialect with RLlib's own old-API-stack model catalog.

For each experiment (``name: {run, env, config}``) of the tuned-example-style files in
tests/unit/dialects/rllib/ (written for the tests), the model config RLlib uses is put together as it does:
``MODEL_DEFAULTS``, then the algorithm's own setting (PPO and MARWIL/BC set
``model["vf_share_layers"] = False``: algorithms/ppo/ppo.py, algorithms/marwil/marwil.py), then the
file's ``model``. With ``framework: torch`` (also when not set: RLlib's default ``framework_str``)
``ModelCatalog.get_model_v2`` builds it (catalog.py: FullyConnectedNetwork wrapped in LSTMWrapper with
``use_lstm``) and ``sum(p.numel())`` is recorded per child module. An experiment with the new API
stack's ``model_config`` is built as PPO's default torch RLModule (DefaultPPOTorchRLModule with
PPOCatalog) and recorded per encoder part and head. With ``framework: tf`` the model is
derived from the source instead (tensorflow is not installed here; models/tf/recurrent_net.py
LSTMWrapper.__init__ and models/tf/fcnet.py FullyConnectedNetwork.__init__: the same Dense layers, a
Keras LSTM with one bias vector, and the FC base model keeps its own ``value_out`` Dense(1)).

The observation is a Box of OBSERVATION (6), which the test states with the ``input_size`` override;
the action space is a Box of ACTIONS (3): a diagonal Gaussian, 2 x 3 model outputs. (A Discrete space
would do as well, but gymnasium 1.x keeps ``Discrete.n`` as numpy.int64, which RLlib 2.60 hands to
torch 2.13's ``nn.LSTM`` as input size with ``lstm_use_prev_action``, and torch refuses it.)

Run (ray 2.60.0 installed ``--no-deps`` with the few modules ray.tune and rllib import, next to
torch==2.13.0; never the dev virtualenv)::

    /tmp/tk-rllib/bin/python tools/gen_rllib_fixtures.py --out tests/fixtures/rllib_cases.json
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import ray
import torch
import yaml
from gymnasium import spaces
from ray.rllib.models.catalog import MODEL_DEFAULTS, ModelCatalog

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "dialects" / "rllib"
OBSERVATION = 6
ACTIONS = 3
SEPARATE_VALUE_BRANCH = {"PPO", "MARWIL", "BC"}


def model_config(run: str, model: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(MODEL_DEFAULTS)
    if run in SEPARATE_VALUE_BRANCH:
        merged["vf_share_layers"] = False
    merged.update(model)
    return merged


def linear(i: int, o: int) -> int:
    return i * o + o


def tf_derived(config: dict[str, Any]) -> dict[str, int]:
    """models/tf/fcnet.py + models/tf/recurrent_net.py, as Keras builds them (one LSTM bias vector)."""
    hiddens = list(config["fcnet_hiddens"]) + list(config["post_fcnet_hiddens"])
    sizes = [OBSERVATION, *hiddens]
    params = {"fc_hidden": sum(linear(a, b) for a, b in itertools.pairwise(sizes))}
    params["fc_value_out"] = linear(sizes[-1], 1)
    if not config["vf_share_layers"]:
        params["fc_value_separate"] = params["fc_hidden"]
    if config["use_lstm"]:
        cell = config["lstm_cell_size"]
        lstm_in = sizes[-1] + (ACTIONS if config["lstm_use_prev_action"] else 0)
        lstm_in += 1 if config["lstm_use_prev_reward"] else 0
        params["lstm"] = 4 * (cell * (lstm_in + cell) + cell)
        params["lstm_logits"] = linear(cell, 2 * ACTIONS)
        params["lstm_values"] = linear(cell, 1)
    return params


def torch_built(config: dict[str, Any]) -> dict[str, int]:
    obs = spaces.Box(-1.0, 1.0, (OBSERVATION,), dtype=np.float32)
    actions = spaces.Box(-1.0, 1.0, (ACTIONS,), dtype=np.float32)
    model = ModelCatalog.get_model_v2(obs, actions, 2 * ACTIONS, config, framework="torch")
    params = {name: sum(p.numel() for p in child.parameters()) for name, child in model.named_children()}
    if isinstance(getattr(model, "lstm", None), torch.nn.LSTM):
        params["lstm.input_size"] = model.lstm.input_size
    return params


def new_stack_built(config: dict[str, Any]) -> dict[str, int]:
    """The new API stack: PPO's default torch RLModule from PPOConfig().rl_module(model_config=...)."""
    from ray.rllib.algorithms.ppo import PPOConfig
    from ray.rllib.algorithms.ppo.ppo_catalog import PPOCatalog
    from ray.rllib.algorithms.ppo.torch.default_ppo_torch_rl_module import DefaultPPOTorchRLModule

    model_config = PPOConfig().rl_module(model_config=config).model_config  # + vf_share_layers False
    obs = spaces.Box(-1.0, 1.0, (OBSERVATION,), dtype=np.float32)
    actions = spaces.Box(-1.0, 1.0, (ACTIONS,), dtype=np.float32)
    module = DefaultPPOTorchRLModule(
        observation_space=obs, action_space=actions, model_config=model_config, catalog_class=PPOCatalog
    )
    params = {}
    for name, child in module.named_modules():
        if name in ("pi", "vf") or (name.startswith("encoder.") and name.count(".") == 2):
            params[name.removeprefix("encoder.")] = sum(p.numel() for p in child.parameters())
    return params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "fixtures" / "rllib_cases.json")
    args = parser.parse_args()
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        for name, experiment in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            config = experiment.get("config", {})
            framework = config.get("framework", "torch")
            if "model_config" in config:
                case = {"file": path.name, "experiment": name, "framework": framework, "api_stack": "new"}
                case["built_with"] = "DefaultPPOTorchRLModule(model_config=PPOConfig().rl_module(...).model_config)"
                case["params"] = new_stack_built(config["model_config"])
                cases.append(case)
                continue
            merged = model_config(experiment["run"], config.get("model", {}))
            case: dict[str, Any] = {"file": path.name, "experiment": name, "framework": framework}
            if merged.get("custom_model"):
                case["error"] = f"custom_model {merged['custom_model']!r} is not registered"
            elif framework == "torch":
                case["built_with"] = "ModelCatalog.get_model_v2(..., framework='torch')"
                case["params"] = torch_built(merged)
            else:
                case["built_with"] = "derived: models/tf/fcnet.py, models/tf/recurrent_net.py LSTMWrapper.__init__"
                case["params"] = tf_derived(merged)
            cases.append(case)
    payload = {
        "toolkit": f"ray[rllib] {ray.__version__} (old API stack ModelV2)",
        "torch": torch.__version__,
        "observation": OBSERVATION,
        "actions": ACTIONS,
        "cases": cases,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
