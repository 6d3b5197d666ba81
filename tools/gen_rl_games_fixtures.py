"""Generate golden fixtures for the ``rl-games`` dialect with the real rl_games builders.

Each case is a random ``params`` block (``network`` and, for some, a
``config.central_value_config.network`` critic) for rl_games' ``actor_critic``
(``network_builder.A2CBuilder``) or ``resnet_actor_critic`` (``A2CResnetBuilder``). The networks
are built by ``rl_games.algos_torch.model_builder.ModelBuilder`` exactly as
``a2c_common.A2CBase.load_networks`` and ``central_value.CentralValueTrain`` build them, with the
observation, state and action sizes recorded in the case; ``sum(p.numel())`` is recorded per
part under the layer names rnnlint gives them (the CNNs, which rnnlint leaves out, under
``omitted``). tests/unit/dialects/test_rl_games.py lints the YAML with those sizes as overrides and
compares.

Run (rl_games 1.6.5 installed ``--no-deps`` next to torch==2.13.0; never the dev virtualenv)::

    python tools/gen_rl_games_fixtures.py --count 60 --seed 5 --out tests/fixtures/rl_games_cases.json
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
from importlib.metadata import version
from pathlib import Path
from typing import Any

import torch
import yaml
from rl_games.algos_torch import model_builder

CONTINUOUS = {
    "mu_activation": "None",
    "sigma_activation": "None",
    "mu_init": {"name": "default"},
    "sigma_init": {"name": "const_initializer", "val": 0},
}
SIZES = [1, 3, 8, 13, 16, 32, 50, 64, 100, 128, 256]


def numel(module: torch.nn.Module | torch.nn.Parameter) -> int:
    if isinstance(module, torch.nn.Parameter):
        return module.numel()
    return sum(p.numel() for p in module.parameters())


def random_network(rng: random.Random, resnet: bool, critic: bool) -> dict[str, Any]:
    net: dict[str, Any] = {"name": "resnet_actor_critic" if resnet else "actor_critic"}
    units = [rng.choice(SIZES) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
    if not units and not resnet:
        units = [rng.choice(SIZES)]  # the MLP is always there in IsaacGymEnvs configs
    net["mlp"] = {"units": units, "activation": "elu", "initializer": {"name": "default"}}
    if not resnet:
        if rng.random() < 0.3:
            net["separate"] = True
        if rng.random() < 0.25 and units:
            net["mlp"]["d2rl"] = True
            net["normalization"] = rng.choice([None, "layer_norm", "batch_norm"])
        if rng.random() < 0.1:
            net["cnn"] = {
                "type": "conv1d",
                "permute_input": False,
                "activation": "relu",
                "initializer": {"name": "default"},
                "convs": [{"filters": 4, "kernel_size": 3, "strides": 1, "padding": 0}],
            }
    else:
        net["cnn"] = {"permute_input": False, "conv_depths": [4, 8]}
        net["require_rewards"] = rng.random() < 0.5
        net["require_last_actions"] = rng.random() < 0.5
    if rng.random() < 0.75 or resnet:
        rnn: dict[str, Any] = {
            "name": rng.choice(["lstm", "gru"]),
            "units": rng.choice(SIZES),
            "layers": rng.choice([1, 1, 2, 3]),
            "before_mlp": rng.random() < 0.5,
        }
        if not resnet:
            rnn["layer_norm"] = rng.random() < 0.5
            rnn["concat_input"] = rng.random() < 0.3
            rnn["concat_output"] = rng.random() < 0.3
        net["rnn"] = rnn
    if critic:
        net["central_value"] = True
    else:
        kind = rng.choice(["continuous", "continuous", "discrete"])
        net["space"] = {kind: dict(CONTINUOUS, fixed_sigma=rng.random() < 0.6) if kind == "continuous" else {}}
    return net


PARTS = {
    "rnn": "rnn",
    "a_rnn": "rnn (actor and critic)",
    "c_rnn": "rnn (actor and critic)",
    "layer_norm": "rnn layer_norm",
    "a_layer_norm": "rnn layer_norm",
    "c_layer_norm": "rnn layer_norm",
    "actor_mlp": "mlp",
    "critic_mlp": "mlp",
    "mlp": "mlp",
    "value": "value head",
    "mu": "mu head",
    "logits": "logits head",
}


def parts(net: torch.nn.Module, prefix: str, separate: bool) -> tuple[dict[str, int], int]:
    """Per-part counts under rnnlint's layer names, and the CNN parameters rnnlint leaves out."""
    out: dict[str, int] = {}
    omitted = 0
    for name, child in net.named_children():
        n = numel(child)
        if name in ("actor_cnn", "critic_cnn", "cnn"):
            omitted += n
            continue
        if name == "sigma":
            out[f"{prefix}sigma head"] = n
            continue
        if name not in PARTS or n == 0:
            continue
        label = PARTS[name]
        if label == "mlp" and separate:
            label = "mlp (actor and critic)"
        out[prefix + label] = out.get(prefix + label, 0) + n
    sigma = getattr(net, "sigma", None)
    if isinstance(sigma, torch.nn.Parameter):
        out[f"{prefix}sigma (fixed_sigma)"] = sigma.numel()
    return out, omitted


def build(params: dict[str, Any], shape: tuple[int, ...], actions: int) -> torch.nn.Module:
    builder = model_builder.ModelBuilder()
    model = builder.load(params)
    config = {"actions_num": actions, "input_shape": shape, "num_seqs": 1, "value_size": 1}
    config.update(normalize_value=False, normalize_input=False)
    with contextlib.redirect_stdout(io.StringIO()):  # rl_games prints every MLP it builds
        built = model.build(config)
    return built.a2c_network


def case(rng: random.Random, index: int) -> dict[str, Any]:
    resnet = rng.random() < 0.2
    network = random_network(rng, resnet, critic=False)
    params: dict[str, Any] = {
        "algo": {"name": "a2c_continuous"},
        "model": {"name": "continuous_a2c_logstd" if "continuous" in network["space"] else "discrete_a2c"},
        "network": network,
    }
    obs, state, actions = rng.choice(SIZES), rng.choice(SIZES), rng.choice([1, 2, 6, 16, 21])
    has_critic = not resnet and rng.random() < 0.5
    if has_critic:
        critic = random_network(rng, False, critic=True)
        critic.pop("cnn", None)
        params["config"] = {"central_value_config": {"network": critic}}
    # An image for the CNNs (channels first); a flat vector otherwise.
    shape = (3, 12, 12) if resnet else ((2, obs + 8) if "cnn" in network else (obs,))
    actor = build(params, shape, actions)
    expected, omitted = parts(actor, "", bool(network.get("separate")))
    feature = actor._calc_input_size(shape, getattr(actor, "actor_cnn", None) or getattr(actor, "cnn", None))
    if has_critic:
        cv = {"network": params["config"]["central_value_config"]["network"], "model": {"name": "central_value"}}
        critic_net = build(cv, (state,), actions)
        more, _ = parts(
            critic_net, "central value ", bool(params["config"]["central_value_config"]["network"].get("separate"))
        )
        expected.update(more)
    total = numel(actor) + (numel(critic_net) if has_critic else 0)
    sizes = {"input_size": feature, "action_size": actions}
    if has_critic:
        sizes["state_size"] = state
    return {
        "name": f"case{index:03d}",
        "yaml": yaml.safe_dump({"params": params}, sort_keys=False),
        "sizes": sizes,
        "parts": expected,
        "total": total,
        "omitted": omitted,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("tests/fixtures/rl_games_cases.json"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = [case(rng, i) for i in range(args.count)]
    doc = {
        "source": "rl_games.algos_torch.model_builder.ModelBuilder (network_builder.A2CBuilder, A2CResnetBuilder; "
        "ModelCentralValue for central_value_config.network)",
        "rl_games": version("rl_games"),
        "torch": torch.__version__,
        "seed": args.seed,
        "cases": cases,
    }
    args.out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
