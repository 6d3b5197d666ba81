"""RLlib tuned-example files (``<experiment>: {run: PPO, env: ..., config: {framework, model: {...}}}``).

What RLlib's old API stack builds with ``model: {use_lstm: true}`` (ray/rllib/models/catalog.py
ModelCatalog.get_model_v2 and MODEL_DEFAULTS):

- a default base model wrapped in ``LSTMWrapper``: for 1-D observations the FullyConnectedNetwork
  (models/torch/fcnet.py, models/tf/fcnet.py) built with ``num_outputs=None``: Linear layers from the
  observation through ``fcnet_hiddens + post_fcnet_hiddens`` ([256, 256] + []), with
  ``vf_share_layers`` false (PPO and MARWIL/BC set it so; MODEL_DEFAULTS has true) a separate value
  stack of the same widths, and a value head ``Linear(last, 1)``;
- ``LSTMWrapper`` (models/torch/recurrent_net.py, models/tf/recurrent_net.py): an LSTM of
  ``lstm_cell_size`` (256) cells over the base's output (the observation itself when there are no
  hidden layers) plus the action size with ``lstm_use_prev_action`` and 1 with
  ``lstm_use_prev_reward``; then a logits head ``Linear(cell, action-distribution inputs)`` and a
  value head ``Linear(cell, 1)``. In torch the wrapper's value head replaces the base's
  (the same attribute), in tf both are built.
- ``framework: torch`` builds ``nn.LSTM`` (two bias vectors), ``tf``/``tf2`` a Keras LSTM (one).
  Unset, torch is assumed (RNN104).

The observation size is the environment's: an RNN104 note, stated with the ``input_size`` override
(one value for every experiment of the file), and so is the action size that ``lstm_use_prev_action``
adds (``action_size``: Discrete n, MultiDiscrete the sum of nvec, Box the flattened shape; LSTMWrapper's
``action_dim``). The logits head is an omission (RNN106): its width is the action distribution's
input size, which is not the action size for every space.
``custom_model``, ``use_attention`` (GTrXL) and ``conv_filters`` (VisionNetwork base) are RNN205.

The new API stack's ``config.model_config`` (DefaultModelConfig) is read for PPO's default torch RLModule
(see ``_Experiment.new_stack``); for other algorithms it is RNN205.
"""

from __future__ import annotations

from typing import Any

from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import TRUE_ELSE_FALSE, as_bool, as_int, how_to_state
from rnnlint.model import (
    Assumption,
    Composite,
    Framework,
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

# RLlib's model config is a Python dict: only true or the string "true" switches an option on here
# (unverified).
BOOLS = TRUE_ELSE_FALSE._replace(strip=False)

NAME = "rllib"

DEFAULT_CELL = 256
DEFAULT_HIDDENS = [256, 256]
# Old-API-stack algorithms whose config sets model["vf_share_layers"] = False (ppo.py, marwil.py; BC is MARWIL).
SEPARATE_VALUE = frozenset({"PPO", "MARWIL", "BC"})
FRAMEWORKS: dict[str, Framework] = {"torch": "pytorch", "tf": "keras", "tf2": "keras", "tfe": "keras"}
ONE_VALUE = "one value for every experiment in this file"
ACTION_ADVICE = how_to_state("action_size", scope=ONE_VALUE)
HOW_TO_STATE = how_to_state(scope=ONE_VALUE)


# Algorithm config keys that make a Tune experiment (``run`` + ``config``) an RLlib one.
RLLIB_KEYS = frozenset(
    {
        "env",
        "model",
        "model_config",
        "framework",
        "num_workers",
        "num_env_runners",
        "num_envs_per_worker",
        "rollout_fragment_length",
        "train_batch_size",
        "env_config",
    }
)


def _experiments(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return []
    return [
        name
        for name, spec in data.items()
        if isinstance(name, str)
        and isinstance(spec, dict)
        and isinstance(spec.get("run"), str)
        and isinstance(spec.get("config"), dict)
        and ("env" in spec or not RLLIB_KEYS.isdisjoint(spec["config"]))
    ]


def detect(data: Any) -> bool:
    return bool(_experiments(data))


def _widths(value: Any) -> list[int] | None:
    if not isinstance(value, list):
        return None
    widths = [as_int(v, minimum=1) for v in value]
    return [w for w in widths if w is not None] if all(w is not None for w in widths) else None


def _stack(widths: list[int], input_size: int | None) -> Composite:
    parts: list[Module] = []
    current = input_size
    for width in widths:
        parts.append(Linear(current, width))
        current = width
    return Composite(tuple(parts), output_size=current)


class _Experiment:
    def __init__(self, doc: Document, name: str, options: AdaptOptions) -> None:
        self.doc = doc
        self.name = name
        self.options = options
        self.spec: dict[str, Any] = doc.data[name]
        self.config: dict[str, Any] = self.spec["config"]
        self.layers: list[LayerSpec] = []
        self.assumptions: list[Assumption] = []
        self.omitted: list[Omission] = []
        self.name_span = doc.locator.key((name,))

    def span(self, *path: str) -> Span:
        """The key at ``config.<path>`` where the file has it, else the experiment's name."""
        node: Any = self.config
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return self.name_span
            node = node[key]
        full: DocPath = (self.name, "config", *path)
        return self.doc.locator.key(full)

    def unknown(self, what: str, reason: str, span: Span) -> None:
        self.layers.append(LayerSpec(f"{self.name} {what}", what, span, Unknown(what, reason)))

    def no_rnn(self, why: str, span: Span) -> None:
        self.omitted.append(
            Omission(f"experiment {self.name}: the model ({why}; rnnlint counts recurrent models only)", span)
        )

    def adapt(self) -> None:
        model = self.config.get("model")
        model = model if isinstance(model, dict) else {}
        new_stack = self.config.get("model_config")
        if isinstance(new_stack, dict):
            self.new_stack(new_stack)
            return
        model_span = self.span("model")
        if model.get("custom_model"):
            reason = f"custom_model {model['custom_model']!r}: a user model class rnnlint does not know"
            self.unknown(str(model["custom_model"]), reason, self.span("model", "custom_model"))
            return
        if as_bool(model.get("use_attention"), False, strings=BOOLS, others="default"):
            reason = "use_attention wraps the model in a GTrXL attention net (GRU-gated): not counted"
            self.unknown("attention", reason, self.span("model", "use_attention"))
            return
        if not as_bool(model.get("use_lstm"), False, strings=BOOLS, others="default"):
            self.no_rnn("use_lstm is not set, so no LSTM", model_span)
            return
        lstm_span = self.span("model", "use_lstm")
        framework_name = self.config.get("framework")
        if framework_name is None:
            self.assumptions.append(
                Assumption(
                    f"experiment {self.name} framework: not set, torch assumed (recent RLlib's default; older "
                    "releases defaulted to tf, whose Keras LSTM keeps one bias vector); add config.framework",
                    self.name_span,
                )
            )
            framework_name = "torch"
        framework = FRAMEWORKS.get(str(framework_name).lower())
        if framework is None:
            reason = f"framework {framework_name!r}: RLlib builds its LSTM wrapper for torch and tf only"
            self.unknown("lstm", reason, self.span("framework"))
            return
        if "conv_filters" in model:
            reason = "conv_filters: a VisionNetwork base whose output the LSTM reads is not counted"
            self.unknown("lstm", reason, self.span("model", "conv_filters"))
            return
        if as_bool(model.get("free_log_std"), False, strings=BOOLS, others="default"):
            self.unknown("lstm", "free_log_std with use_lstm is not read", self.span("model", "free_log_std"))
            return
        self.build(model, framework, lstm_span)

    def new_stack(self, model: dict[str, Any]) -> None:
        """The new API stack: ``model_config`` (DefaultModelConfig) for PPO's default RLModule.

        algorithms/ppo/ppo_catalog.py PPOCatalog and core/models/catalog.py _get_encoder_config: each
        encoder (one with ``vf_share_layers``, else actor and critic; PPOConfig's
        _model_config_auto_includes sets it False) is a tokenizer MLP (the observation through
        ``fcnet_hiddens``) and ``nn.LSTM(fcnet_hiddens[-1], lstm_cell_size, 1)`` (core/models/torch/encoder.py
        TorchLSTMEncoder); the value head is an MLP from the cell through ``head_fcnet_hiddens`` to 1.
        """
        span = self.span("model_config")
        if not as_bool(model.get("use_lstm"), False, strings=BOOLS, others="default"):
            self.no_rnn("new API stack model_config without use_lstm, so no LSTM", span)
            return
        run = str(self.spec.get("run"))
        lstm_span = self.span("model_config", "use_lstm")
        if run != "PPO":
            reason = f"RLlib's new API stack RLModule for {run}: only PPO's default module is read"
            self.unknown("lstm", reason, lstm_span)
            return
        framework_name = self.config.get("framework", "torch")
        if str(framework_name).lower() != "torch":
            self.unknown("lstm", f"the new API stack builds torch RLModules only, not {framework_name!r}", lstm_span)
            return
        cell = as_int(model.get("lstm_cell_size", DEFAULT_CELL), minimum=1)
        fcnet = _widths(model.get("fcnet_hiddens", DEFAULT_HIDDENS))
        head = _widths(model.get("head_fcnet_hiddens", []))
        if cell is None or not fcnet or head is None:
            reason = "lstm_cell_size, a non-empty fcnet_hiddens and head_fcnet_hiddens must be positive integers"
            self.unknown("lstm", reason, lstm_span)
            return
        if as_bool(model.get("fcnet_use_layernorm"), False, strings=BOOLS, others="default") or as_bool(
            model.get("head_fcnet_use_layernorm"), False, strings=BOOLS, others="default"
        ):
            self.unknown("lstm", "fcnet_use_layernorm / head_fcnet_use_layernorm are not read", lstm_span)
            return
        share = (
            as_bool(model["vf_share_layers"], False, strings=BOOLS, others="default")
            if "vf_share_layers" in model
            else False
        )
        unstated = [
            f"{key} {value}"
            for key, value in (
                ("lstm_cell_size", DEFAULT_CELL),
                ("fcnet_hiddens", DEFAULT_HIDDENS),
                ("vf_share_layers", "False (PPO)"),
                ("head_fcnet_hiddens", []),
            )
            if key not in model
        ]
        if unstated:
            self.assumptions.append(
                Assumption(
                    f"experiment {self.name}: model_config does not set {', '.join(unstated)} (DefaultModelConfig "
                    "and PPOConfig's own setting assumed)",
                    span,
                )
            )
        observation = self.options.input_size
        if observation is None:
            self.assumptions.append(
                Assumption(
                    f"experiment {self.name}: the tokenizer's input is the flattened observation size of the "
                    f"environment, not in the file (1-D observations assumed); {HOW_TO_STATE}",
                    self.name_span,
                )
            )
        lstm = Recurrent(kind="lstm", hidden_size=cell, input_size=fcnet[-1])
        for encoder in ("encoder",) if share else ("actor_encoder", "critic_encoder"):
            stack = _stack(fcnet, observation)
            self.layers.append(LayerSpec(f"{self.name} {encoder}.tokenizer", "mlp", span, stack))
            self.layers.append(LayerSpec(f"{self.name} {encoder}.lstm", "lstm", lstm_span, lstm))
        self.layers.append(LayerSpec(f"{self.name} vf head", "mlp", span, _stack([*head, 1], cell)))
        self.omitted.append(
            Omission(
                f"experiment {self.name}: the pi head (an MLP from {cell} to the action distribution's inputs, sized "
                "by the environment's action space)",
                lstm_span,
            )
        )

    def build(self, model: dict[str, Any], framework: Framework, lstm_span: Span) -> None:
        run = str(self.spec.get("run"))
        unstated: list[str] = []
        cell = as_int(model.get("lstm_cell_size", DEFAULT_CELL), minimum=1)
        fcnet = _widths(model.get("fcnet_hiddens", DEFAULT_HIDDENS))
        post = _widths(model.get("post_fcnet_hiddens", []))
        if cell is None or fcnet is None or post is None:
            reason = "lstm_cell_size, fcnet_hiddens and post_fcnet_hiddens must be positive integers"
            self.unknown("lstm", reason, lstm_span)
            return
        if "lstm_cell_size" not in model:
            unstated.append(f"lstm_cell_size {DEFAULT_CELL}")
        if "fcnet_hiddens" not in model:
            unstated.append(f"fcnet_hiddens {DEFAULT_HIDDENS}")
        prev_action = as_bool(model.get("lstm_use_prev_action"), False, strings=BOOLS, others="default")
        prev_reward = as_bool(model.get("lstm_use_prev_reward"), False, strings=BOOLS, others="default")
        for key in ("lstm_use_prev_action", "lstm_use_prev_reward"):
            if key not in model:
                unstated.append(f"{key} False")
        if "vf_share_layers" in model:
            share = as_bool(model["vf_share_layers"], False, strings=BOOLS, others="default")
        elif "vf_share_layers" in self.config:
            share = as_bool(self.config["vf_share_layers"], False, strings=BOOLS, others="default")
            self.assumptions.append(
                Assumption(
                    f"experiment {self.name} vf_share_layers: read from config (older RLlib copies the top-level key "
                    "into the model config; newer releases refuse it there): put it under model",
                    self.span("vf_share_layers"),
                )
            )
        else:
            share = run not in SEPARATE_VALUE
            unstated.append(f"vf_share_layers {share} ({run})")
        if unstated:
            self.assumptions.append(
                Assumption(
                    f"experiment {self.name}: model does not set {', '.join(unstated)} (RLlib's MODEL_DEFAULTS "
                    "and the algorithm's own setting assumed)",
                    self.span("model"),
                )
            )

        observation = self.options.input_size
        hiddens = fcnet + post
        if observation is None:
            what = "the fully connected layers' input" if hiddens else "the LSTM's input"
            self.assumptions.append(
                Assumption(
                    f"experiment {self.name}: {what} is the flattened observation size of the environment, not in the "
                    f"file (1-D observations and RLlib's FullyConnectedNetwork assumed); {HOW_TO_STATE}",
                    self.name_span,
                )
            )
        base_out = observation
        model_span = self.span("model")
        if hiddens:
            stack = _stack(hiddens, observation)
            base_out = hiddens[-1]
            self.layers.append(LayerSpec(f"{self.name} fcnet hidden layers", "mlp", model_span, stack))
            if not share:
                self.layers.append(LayerSpec(f"{self.name} fcnet value layers", "mlp", model_span, stack))
        if framework == "keras":
            # tf: the FC base model keeps its value_out Dense(1) (models/tf/fcnet.py).
            self.layers.append(LayerSpec(f"{self.name} fcnet value_out", "linear", model_span, Linear(base_out, 1)))

        lstm_input = base_out
        if prev_reward and lstm_input is not None:
            lstm_input += 1
        if prev_action:
            actions = self.options.action_size
            lstm_input = lstm_input + actions if lstm_input is not None and actions is not None else None
            if actions is None:
                self.assumptions.append(
                    Assumption(
                        f"experiment {self.name}: lstm_use_prev_action adds the environment's action size to the "
                        f"LSTM's input (Discrete: n, MultiDiscrete: the sum of nvec, Box: its flattened shape), not in "
                        f"the file; {ACTION_ADVICE}",
                        self.span("model", "lstm_use_prev_action"),
                    )
                )
        lstm = Recurrent(kind="lstm", hidden_size=cell, input_size=lstm_input, framework=framework)
        self.layers.append(LayerSpec(f"{self.name} lstm", "lstm", lstm_span, lstm))
        self.layers.append(LayerSpec(f"{self.name} value branch", "linear", lstm_span, Linear(cell, 1)))
        self.omitted.append(
            Omission(
                f"experiment {self.name}: the logits head (Linear({cell}, the action distribution's inputs), sized by "
                "the environment's action space)",
                lstm_span,
            )
        )


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    layers: list[LayerSpec] = []
    assumptions: list[Assumption] = []
    omitted: list[Omission] = []
    names = _experiments(doc.data)
    framework: Framework | None = None
    for name in names:
        experiment = _Experiment(doc, name, options)
        experiment.adapt()
        layers.extend(experiment.layers)
        assumptions.extend(experiment.assumptions)
        omitted.extend(experiment.omitted)
        for layer in experiment.layers:
            if isinstance(layer.module, Recurrent) and framework is None:
                framework = layer.module.framework
    model = ModelConfig(
        dialect=NAME,
        framework=framework or "pytorch",
        layers=tuple(layers),
        span=doc.locator.key((names[0],)) if names else doc.locator.value(()),
        assumptions=tuple(assumptions),
        omitted=tuple(omitted),
    )
    return Adapted(model)
