"""Generate golden fixtures for the ``mlagents`` dialect with the real Unity ML-Agents trainers.

For each config in tests/unit/dialects/mlagents/ (written for the tests), ML-Agents' own
``RunOptions.from_dict`` reads the behaviors (``default_settings`` merged in, every default
applied), and for each behavior the trainer's real policy and optimizer are built:
``TorchPolicy`` with ``SimpleActor`` / ``SharedActorCritic`` (ppo/trainer.py create_policy) and
``TorchPPOOptimizer`` / ``TorchPOCAOptimizer`` / ``TorchSACOptimizer``. Every
``torch.nn.LSTM`` they hold is recorded with ``sum(p.numel())`` and its sizes, and so is every
LinearEncoder (the hidden layers) and ValueHeads;
tests/unit/dialects/test_mlagents.py lints the same files with rnnlint and compares.

The observation is one vector of OBSERVATION (8), which the test states with the ``input_size`` override;
the action spec (2 continuous) only feeds the action model and the Q networks, which rnnlint leaves out;
the LSTM reads ``hidden_units`` either way.

Run (mlagents 1.1.0 and mlagents-envs 1.1.0 installed ``--no-deps --ignore-requires-python`` with
protobuf<3.21, cattrs<1.7, pillow, grpcio next to torch==2.13.0; never the dev virtualenv)::

    /tmp/tk-mlagents/bin/python tools/gen_mlagents_fixtures.py --out tests/fixtures/mlagents_cases.json
"""

from __future__ import annotations

import argparse
import json
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import torch
import yaml

# mlagents 1.1.0 pins numpy<1.24 and imports h5py for buffer files; neither matters to building nets.
for _alias, _type in (("float", float), ("bool", bool), ("int", int), ("object", object)):
    if _alias not in np.__dict__:
        setattr(np, _alias, _type)
sys.modules.setdefault("h5py", types.ModuleType("h5py"))
# The trainers' stats writer imports tensorboard; no summary is written here.
_tensorboard = types.ModuleType("torch.utils.tensorboard")
_tensorboard.SummaryWriter = object  # type: ignore[attr-defined]
sys.modules.setdefault("torch.utils.tensorboard", _tensorboard)

import mlagents.trainers  # noqa: E402
from mlagents.plugins.trainer_type import register_trainer_plugins  # noqa: E402
from mlagents.trainers.poca.optimizer_torch import TorchPOCAOptimizer  # noqa: E402
from mlagents.trainers.policy.torch_policy import TorchPolicy  # noqa: E402
from mlagents.trainers.ppo.optimizer_torch import TorchPPOOptimizer  # noqa: E402
from mlagents.trainers.sac.optimizer_torch import TorchSACOptimizer  # noqa: E402
from mlagents.trainers.settings import RunOptions, TrainerSettings  # noqa: E402
from mlagents.trainers.torch_entities.networks import SharedActorCritic, SimpleActor  # noqa: E402
from mlagents_envs.base_env import (  # noqa: E402
    ActionSpec,
    BehaviorSpec,
    DimensionProperty,
    ObservationSpec,
    ObservationType,
)

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "dialects" / "mlagents"
OBSERVATION = 8
OPTIMIZERS = {"ppo": TorchPPOOptimizer, "poca": TorchPOCAOptimizer, "sac": TorchSACOptimizer}


def behavior_spec() -> BehaviorSpec:
    obs = ObservationSpec(
        shape=(OBSERVATION,),
        dimension_property=(DimensionProperty.NONE,),
        observation_type=ObservationType.DEFAULT,
        name="v",
    )
    return BehaviorSpec([obs], ActionSpec.create_continuous(2))


def build(name: str, settings: Any, parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    trainer = settings.trainer_type
    shared = bool(getattr(settings.hyperparameters, "shared_critic", False))
    actor_cls = SharedActorCritic if shared else SimpleActor
    kwargs: dict[str, Any] = {"conditional_sigma": False, "tanh_squash": trainer == "sac"}
    if shared:
        kwargs["stream_names"] = [key.value for key in settings.reward_signals]
    policy = TorchPolicy(0, behavior_spec(), settings.network_settings, actor_cls, kwargs)
    optimizer = OPTIMIZERS[trainer](policy, settings)
    owners: dict[str, torch.nn.Module] = {"policy.actor": policy.actor}
    for attr in ("_critic", "q_network", "target_network"):
        module = getattr(optimizer, attr, None)
        if isinstance(module, torch.nn.Module) and module is not policy.actor:
            owners[f"optimizer.{attr}"] = module
    found = []
    for owner, module in owners.items():
        for sub_name, sub in module.named_modules():
            if type(sub).__name__ in ("LinearEncoder", "ValueHeads"):
                parts.append(
                    {
                        "behavior": name,
                        "module": f"{owner}.{sub_name}",
                        "type": type(sub).__name__,
                        "params": sum(p.numel() for p in sub.parameters()),
                    }
                )
            if isinstance(sub, torch.nn.LSTM):
                found.append(
                    {
                        "behavior": name,
                        "module": f"{owner}.{sub_name}",
                        "input_size": sub.input_size,
                        "hidden_size": sub.hidden_size,
                        "num_layers": sub.num_layers,
                        "params": sum(p.numel() for p in sub.parameters()),
                    }
                )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "fixtures" / "mlagents_cases.json")
    args = parser.parse_args()
    register_trainer_plugins()  # what mlagents-learn does first: ppo, poca, sac become known
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        case: dict[str, Any] = {"file": path.name}
        TrainerSettings.default_override = None  # a class attribute: one file's default_settings would leak
        try:
            options = RunOptions.from_dict(config)
        except Exception as exc:  # the toolkit refuses the file (e.g. an unknown trainer_type)
            case["error"] = f"{type(exc).__name__}: {exc}"
            cases.append(case)
            continue
        lstms: list[dict[str, Any]] = []
        parts: list[dict[str, Any]] = []
        for name, settings in options.behaviors.items():
            lstms.extend(build(name, settings, parts))
        case["lstms"] = lstms
        # The hidden layers (LinearEncoder) and value heads (ValueHeads) of every network.
        case["parts"] = parts
        cases.append(case)
    payload = {
        "toolkit": f"mlagents {getattr(mlagents.trainers, '__version__', '1.1.0')}",
        "torch": torch.__version__,
        "built_with": "RunOptions.from_dict + TorchPolicy + Torch{PPO,POCA,SAC}Optimizer",
        "observation": OBSERVATION,
        "cases": cases,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
