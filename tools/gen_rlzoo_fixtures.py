"""Generate golden fixtures for the ``rl-zoo`` dialect with the real sb3-contrib RecurrentPPO policies.

For each RecurrentPPO entry (``policy`` one of RecurrentPPO.policy_aliases) of the zoo-style files in
tests/unit/dialects/rlzoo/ (written for the tests), ``policy_kwargs`` is evaluated the way rl-baselines3-zoo
does it (``eval`` with ``nn`` in scope: a tool, never rnnlint) and the policy class is built:
``RecurrentPPO.policy_aliases[policy](observation_space, action_space, lr_schedule, **policy_kwargs)``.
``sum(p.numel())`` of each named child is recorded (``null`` where sb3-contrib refuses the kwargs).
The observation is a Box of OBSERVATION (11) for MlpLstmPolicy, which the test states with the
``input_size`` override, and 3x64x64 images for CnnLstmPolicy; the action space is Discrete(3).

Run (sb3-contrib 2.9.2 and stable-baselines3 2.9.2 with gymnasium, next to torch==2.13.0; never the
dev virtualenv)::

    /tmp/tk-sb3/bin/python tools/gen_rlzoo_fixtures.py --out tests/fixtures/rlzoo_cases.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import sb3_contrib
import stable_baselines3
import torch
import yaml
from gymnasium import spaces
from sb3_contrib import RecurrentPPO
from torch import nn

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "dialects" / "rlzoo"
OBSERVATION = 11
MODULES = (
    "features_extractor",
    "lstm_actor",
    "lstm_critic",
    "critic",
    "mlp_extractor.policy_net",
    "mlp_extractor.value_net",
    "value_net",
    "action_net",
)


def observation_space(policy: str) -> spaces.Space[Any]:
    if policy == "CnnLstmPolicy":
        return spaces.Box(0, 255, (3, 64, 64), dtype=np.uint8)
    return spaces.Box(-1.0, 1.0, (OBSERVATION,), dtype=np.float32)


def build(policy: str, kwargs_text: str | None) -> dict[str, Any]:
    # The zoo evaluates the string so (a tool here, never rnnlint).
    kwargs = eval(kwargs_text, {"nn": nn, "dict": dict}) if kwargs_text else {}
    cls = RecurrentPPO.policy_aliases[policy]
    try:
        model = cls(observation_space(policy), spaces.Discrete(3), lambda _: 3e-4, **kwargs)
    except AssertionError as exc:
        return {"error": f"AssertionError: {exc}"}
    modules = dict(model.named_modules())
    params: dict[str, int | None] = {}
    for name in MODULES:
        module = modules.get(name)
        params[name] = None if module is None else sum(p.numel() for p in module.parameters())
    lstm = model.lstm_actor
    return {
        "params": params,
        "lstm": {"input_size": lstm.input_size, "hidden_size": lstm.hidden_size, "num_layers": lstm.num_layers},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "fixtures" / "rlzoo_cases.json")
    args = parser.parse_args()
    cases = []
    for path in sorted(CASES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for env, entry in data.items():
            if not isinstance(entry, dict) or entry.get("policy") not in RecurrentPPO.policy_aliases:
                continue
            case = {"file": path.name, "env": env, "policy": entry["policy"]}
            try:
                case.update(build(entry["policy"], entry.get("policy_kwargs")))
            except Exception as exc:  # e.g. a kwargs expression sb3-contrib does not accept
                case["error"] = f"{type(exc).__name__}: {exc}"
            cases.append(case)
    payload = {
        "toolkit": f"sb3-contrib {sb3_contrib.__version__}, stable-baselines3 {stable_baselines3.__version__}",
        "torch": torch.__version__,
        "observation": OBSERVATION,
        "built_with": "RecurrentPPO.policy_aliases[policy](obs, Discrete(3), lr, **policy_kwargs)",
        "cases": cases,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
