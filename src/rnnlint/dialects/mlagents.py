"""Unity ML-Agents trainer configs (``behaviors: {<name>: {trainer_type, network_settings, ...}}``).

What ML-Agents builds (mlagents 1.1.0, ``mlagents/trainers``):

- ``network_settings.memory`` (``settings.py`` NetworkSettings.MemorySettings: ``memory_size`` 128,
  ``sequence_length`` 64) gives every network body an LSTM: ``torch_entities/networks.py`` NetworkBody
  and MultiAgentNetworkBody build ``LSTM(h_size, m_size)`` with ``h_size = hidden_units`` (128), and
  ``torch_entities/layers.py`` LSTM makes ``torch.nn.LSTM(input_size, memory_size // 2, 1)``: the memory
  holds the hidden and the cell state, so the hidden size is half of ``memory_size``. Two bias vectors,
  no dropout.
- Which networks have a body: the policy's actor (SimpleActor, or SharedActorCritic with PPO's
  ``hyperparameters.shared_critic``); PPO's critic (``ppo/optimizer_torch.py`` ValueNetwork, unless
  shared); POCA's critic (``poca/optimizer_torch.py`` POCAValueNetwork, one MultiAgentNetworkBody);
  SAC's value network, its two Q networks and the target value network (``sac/optimizer_torch.py``).
- ``default_settings`` is merged into every behavior, nested mappings key by key
  (``settings.py`` TrainerSettings.structure, deep_update_dict).

Counted: every LSTM (its sizes are all in the file); the hidden layers of the actor and of the PPO / SAC
value networks (torch_entities/layers.py LinearEncoder: ``Linear(observation, hidden_units)`` then
``num_layers - 1`` (2) x ``Linear(hidden_units, hidden_units)``), whose first layer reads the
environment's observation size (RNN104 + the ``input_size`` override; no goal observations assumed);
and the value heads (torch_entities/decoders.py ValueHeads: one ``Linear(memory_size // 2, 1)`` per
reward signal; ``extrinsic`` when none is set). Omissions (RNN106): the observation encoders (and
normalizers) and the action model, sized by the environment; the POCA critic's entity encoders,
attention and heads; the SAC Q networks' hidden layers (they read the actions too) and Q heads; the
curiosity / GAIL / RND reward networks. A behavior without memory builds no recurrent layer: one
omission says so. A trainer type other than ppo, poca, sac is a plugin rnnlint does not know (RNN205).
"""

from __future__ import annotations

from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import TRUE_OR_FALSE, as_bool, as_int, how_to_state
from rnnlint.model import (
    Assumption,
    Composite,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Omission,
    Recurrent,
    Span,
    Unknown,
)
from rnnlint.parse.document import DocPath, Document

# ML-Agents structures its YAML with cattrs; this reads true / false strings only, as written (unverified).
BOOLS = TRUE_OR_FALSE._replace(strip=False)

NAME = "mlagents"

DEFAULT_HIDDEN_UNITS = 128
DEFAULT_MEMORY_SIZE = 128
DEFAULT_TRAINER = "ppo"
# The networks with a body (hence an LSTM with memory) per trainer, in the order it builds them, and their kind:
# "actor" (hidden layers + LSTM), "critic" (+ value heads), "poca" (attention body: only the LSTM is counted),
# "q" (the hidden layers also read the actions: only the LSTM is counted).
NETWORKS: dict[str, tuple[tuple[str, str], ...]] = {
    "ppo": (("actor", "actor"), ("critic", "critic")),
    "poca": (("actor", "actor"), ("critic (POCA value network)", "poca")),
    "sac": (
        ("actor", "actor"),
        ("value network", "critic"),
        ("Q1 network", "q"),
        ("Q2 network", "q"),
        ("target value network", "critic"),
    ),
}
SHARED_CRITIC = (("actor and critic (shared_critic)", "critic"),)
DEFAULT_NUM_LAYERS = 2
DEFAULT_REWARDS = ("extrinsic",)
HOW_TO_STATE = how_to_state(
    scope="the observation encoders' output: for vector observations their sizes summed; one value for every "
    "behavior in this file"
)
BEHAVIOR_KEYS = frozenset({"trainer_type", "network_settings", "hyperparameters", "reward_signals", "max_steps"})
# Reward signals whose providers build networks of their own (reward_providers/*.py).
NETWORK_REWARDS = frozenset({"curiosity", "gail", "rnd"})


def detect(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    behaviors = data.get("behaviors")
    if not isinstance(behaviors, dict):
        return False
    return any(isinstance(b, dict) and not BEHAVIOR_KEYS.isdisjoint(b) for b in behaviors.values())


class _Settings:
    """One behavior's settings with ``default_settings`` under them, each value with where it is stated."""

    def __init__(self, doc: Document, behavior: str) -> None:
        self.doc = doc
        self.bases: list[DocPath] = [("behaviors", behavior)]
        if isinstance(doc.data.get("default_settings"), dict):
            self.bases.append(("default_settings",))

    def find(self, *keys: str) -> tuple[Any, DocPath | None]:
        """The value of ``keys`` in the behavior, else in default_settings; and the path stating it."""
        for base in self.bases:
            node: Any = self.doc.data
            for key in (*base, *keys):
                node = node.get(key) if isinstance(node, dict) else None
                if node is None:
                    break
            else:
                return node, (*base, *keys)
        return None, None

    def keys(self, key: str) -> list[str]:
        """The names under ``key`` in the behavior and default_settings together (deep_update_dict merges them)."""
        names: list[str] = []
        for base in self.bases:
            node: Any = self.doc.data
            for part in (*base, key):
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, dict):
                names.extend(str(name) for name in node if str(name) not in names)
        return names

    def memory(self) -> tuple[bool, DocPath | None]:
        """Whether the merged settings have a memory section (``memory: null`` in the behavior turns it off)."""
        for base in self.bases:
            node: Any = self.doc.data
            for key in (*base, "network_settings"):
                node = node.get(key) if isinstance(node, dict) else None
            if isinstance(node, dict) and "memory" in node:
                return node["memory"] is not None, (*base, "network_settings", "memory")
        return False, None


def _hidden_layers(observation: int | None, hidden_units: int, num_layers: int | None) -> Composite | None:
    """LinearEncoder (torch_entities/layers.py): Linear(input, h), then num_layers - 1 x Linear(h, h)."""
    if num_layers is None:
        return None
    parts: list[Module] = [Linear(observation, hidden_units)]
    parts.extend(Linear(hidden_units, hidden_units) for _ in range(num_layers - 1))
    return Composite(tuple(parts), output_size=hidden_units)


def _unstated(key: str, default: Any, why: str, span: Span) -> Assumption:
    return Assumption(f"{key}: not set, {default!r} assumed (the ML-Agents default): {why}", span)


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    locate = doc.locator
    behaviors: dict[str, Any] = doc.data.get("behaviors") or {}
    layers: list[LayerSpec] = []
    assumptions: list[Assumption] = []
    omitted: list[Omission] = []
    for name, behavior in behaviors.items():
        if not isinstance(behavior, dict):
            continue
        label = str(name)
        settings = _Settings(doc, label)
        behavior_span = locate.key(("behaviors", label))
        has_memory, memory_path = settings.memory()
        if not has_memory or memory_path is None:
            omitted.append(
                Omission(
                    f"behavior {label}: its networks (no network_settings.memory, so no recurrent layer; rnnlint "
                    "counts recurrent models only)",
                    behavior_span,
                )
            )
            continue
        memory_span = locate.key(memory_path)
        trainer, trainer_path = settings.find("trainer_type")
        trainer = DEFAULT_TRAINER if trainer is None else str(trainer).lower()
        networks = NETWORKS.get(trainer)
        if networks is None:
            reason = f"trainer_type {trainer!r} is not one rnnlint knows (ppo, poca, sac): a plugin trainer"
            layers.append(LayerSpec(f"{label} memory", trainer, memory_span, Unknown(trainer, reason)))
            continue
        if trainer_path is None:
            why = "it decides which networks get an LSTM; add trainer_type to make it explicit"
            assumptions.append(_unstated(f"behavior {label} trainer_type", DEFAULT_TRAINER, why, behavior_span))

        hidden, hidden_path = settings.find("network_settings", "hidden_units")
        hidden_units = DEFAULT_HIDDEN_UNITS if hidden is None else as_int(hidden)
        if hidden_path is None:
            why = "the LSTM reads hidden_units features; add network_settings.hidden_units"
            assumptions.append(_unstated(f"behavior {label} hidden_units", DEFAULT_HIDDEN_UNITS, why, memory_span))
        size, size_path = settings.find("network_settings", "memory", "memory_size")
        memory_size = DEFAULT_MEMORY_SIZE if size is None else as_int(size)
        if size_path is None:
            why = "the LSTM's hidden size is memory_size // 2; add memory.memory_size"
            assumptions.append(_unstated(f"behavior {label} memory_size", DEFAULT_MEMORY_SIZE, why, memory_span))
        span = locate.key(size_path) if size_path is not None else memory_span
        if hidden_units is None or hidden_units <= 0 or memory_size is None or memory_size <= 0 or memory_size % 2:
            reason = "ML-Agents needs a positive integer hidden_units and an even positive memory_size"
            layers.append(LayerSpec(f"{label} memory", "lstm", span, Unknown("lstm", reason)))
            continue

        if trainer == "ppo":
            shared, shared_path = settings.find("hyperparameters", "shared_critic")
            if as_bool(shared, False, strings=BOOLS, others="default"):
                networks = SHARED_CRITIC
            elif shared_path is None:
                why = "the critic has an LSTM of its own; add hyperparameters.shared_critic"
                assumptions.append(_unstated(f"behavior {label} shared_critic", False, why, memory_span))
        layers_value, layers_path = settings.find("network_settings", "num_layers")
        num_layers = DEFAULT_NUM_LAYERS if layers_value is None else as_int(layers_value)
        if layers_path is None:
            why = "the hidden layers are num_layers Linear layers; add network_settings.num_layers"
            assumptions.append(_unstated(f"behavior {label} num_layers", DEFAULT_NUM_LAYERS, why, behavior_span))
        kinds = {kind for _network, kind in networks}
        streams = settings.keys("reward_signals")
        if not streams:
            streams = list(DEFAULT_REWARDS)
            if "critic" in kinds:
                why = "each reward signal gets a value head; add reward_signals"
                assumptions.append(_unstated(f"behavior {label} reward_signals", "extrinsic", why, behavior_span))
        observation = options.input_size
        if observation is None and kinds & {"actor", "critic"}:
            assumptions.append(
                Assumption(
                    f"behavior {label}: the first hidden layer reads the environment's observations (no goal "
                    f"observations assumed), not in the file; {HOW_TO_STATE}",
                    behavior_span,
                )
            )
        lstm = Recurrent(kind="lstm", hidden_size=memory_size // 2, input_size=hidden_units)
        hidden_span = locate.key(layers_path) if layers_path is not None else behavior_span
        for network, kind in networks:
            if kind in ("actor", "critic"):
                hidden = _hidden_layers(observation, hidden_units, num_layers)
                if hidden is None:
                    reason = "network_settings.num_layers must be an integer"
                    layers.append(
                        LayerSpec(f"{label} {network} hidden layers", "mlp", hidden_span, Unknown("mlp", reason))
                    )
                else:
                    layers.append(LayerSpec(f"{label} {network} hidden layers", "mlp", hidden_span, hidden))
            layers.append(LayerSpec(f"{label} {network} LSTM", "lstm", span, lstm))
            if kind == "critic":
                heads = Composite(tuple(Linear(memory_size // 2, 1) for _ in streams), output_size=len(streams))
                layers.append(LayerSpec(f"{label} {network} value heads", "linear", behavior_span, heads))
        omitted.append(
            Omission(
                f"behavior {label}: the observation encoders (and normalizers) and the action model (sized by the "
                "environment)",
                behavior_span,
            )
        )
        if "poca" in kinds:
            omitted.append(
                Omission(
                    f"behavior {label}: the POCA critic's entity encoders, attention and value and baseline heads",
                    behavior_span,
                )
            )
        if "q" in kinds:
            omitted.append(
                Omission(
                    f"behavior {label}: the Q networks' hidden layers (they read the actions too) and Q heads",
                    behavior_span,
                )
            )
        rewards, rewards_path = settings.find("reward_signals")
        if isinstance(rewards, dict) and rewards_path is not None:
            for reward in rewards:
                if str(reward).lower() in NETWORK_REWARDS:
                    omitted.append(
                        Omission(
                            f"behavior {label}: the {reward} reward signal's networks",
                            locate.key((*rewards_path, str(reward))),
                        )
                    )
    model = ModelConfig(
        dialect=NAME,
        framework="pytorch",
        layers=tuple(layers),
        span=locate.key(("behaviors",)),
        assumptions=tuple(assumptions),
        omitted=tuple(omitted),
    )
    return Adapted(model)
