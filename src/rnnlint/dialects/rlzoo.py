"""rl-baselines3-zoo hyperparameter files with sb3-contrib RecurrentPPO entries (``policy: MlpLstmPolicy``).

A zoo file maps environment ids to hyperparameters; the algorithm comes from the file's name
(``ppo_lstm.yml``), so an entry is taken as RecurrentPPO when its ``policy`` is one of RecurrentPPO's
aliases (``MlpLstmPolicy``, ``CnnLstmPolicy``, ``MultiInputLstmPolicy``). Other entries (PPO, A2C, ...)
build no RNN and are passed over in silence; a file with no such entry is not claimed.

``policy_kwargs`` is a string holding a Python expression that the zoo evaluates; rnnlint reads it with
a restricted literal parser (``ast`` + a walk accepting ``dict(...)``, literals and dotted names such as
``nn.ReLU`` as opaque values; never ``eval``).

What sb3-contrib 2.9 builds (``sb3_contrib/common/recurrent/policies.py`` RecurrentActorCriticPolicy,
with ``stable_baselines3/common/policies.py`` ActorCriticPolicy and ``torch_layers.py`` MlpExtractor):

- ``lstm_actor = nn.LSTM(features_dim, lstm_hidden_size (256), num_layers=n_lstm_layers (1),
  **lstm_kwargs)``;
- ``enable_critic_lstm`` (True): ``lstm_critic``, the same LSTM again; else, unless ``shared_lstm``,
  ``critic = nn.Linear(features_dim, lstm_hidden_size)`` (both True is refused by an assertion);
- ``mlp_extractor``: Linear layers from ``lstm_hidden_size`` through ``net_arch`` ``pi`` and ``vf``
  (a list is used for both); the default is ``dict(pi=[64, 64], vf=[64, 64])``, or ``[]`` with the
  NatureCNN extractor; ``value_net = nn.Linear(last vf width, 1)``;
- ``features_dim``: the flattened observation size for ``MlpLstmPolicy`` (FlattenExtractor, no weights),
  which is the environment's: an RNN104 note and the ``input_size`` override (one value for every entry
  of the file); ``features_extractor_kwargs.features_dim`` (512) for ``CnnLstmPolicy``'s NatureCNN;
  unknown for ``MultiInputLstmPolicy`` (CombinedExtractor) and any other extractor class.

Omissions (RNN106): the action net (and log_std), sized by the environment's action space, and the CNN /
combined extractors.
"""

from __future__ import annotations

import ast
from typing import Any

from rnnlint import counting
from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.dialects._support import as_int, how_to_state
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
from rnnlint.parse.document import Document

NAME = "rl-zoo"

POLICIES = ("MlpLstmPolicy", "CnnLstmPolicy", "MultiInputLstmPolicy")
# Keys only a zoo hyperparameter entry has next to ``policy``.
ZOO_KEYS = frozenset(
    {"n_timesteps", "n_envs", "policy_kwargs", "normalize", "frame_stack", "env_wrapper", "n_steps", "n_epochs"}
)
DEFAULT_HIDDEN = 256
DEFAULT_LAYERS = 1
DEFAULT_CNN_FEATURES = 512
DEFAULT_MLP_ARCH: dict[str, list[int]] = {"pi": [64, 64], "vf": [64, 64]}
# lstm_kwargs that keep the LSTM countable: dropout (passed to nn.LSTM) and bias.
LSTM_KWARGS = frozenset({"dropout", "bias"})
HOW_TO_STATE = how_to_state(scope="one value for every entry of this file")


def _is_recurrent_entry(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get("policy") in POLICIES and not ZOO_KEYS.isdisjoint(entry)


def _is_zoo_entry(entry: Any) -> bool:
    policy = entry.get("policy") if isinstance(entry, dict) else None
    return isinstance(policy, str) and policy.endswith("Policy") and not ZOO_KEYS.isdisjoint(entry)


def detect(data: Any) -> bool:
    # A zoo hyperparameter file: every algorithm's file is one (a2c.yml, ppo.yml), recurrent or not.
    return isinstance(data, dict) and any(_is_zoo_entry(entry) for entry in data.values())


# --------------------------------------------------------------------------- policy_kwargs


class Opaque(str):
    """A name in policy_kwargs (``nn.ReLU``, ``th.optim.Adam``): kept as its dotted text, never resolved."""


class NotLiteral(ValueError):
    pass


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    raise NotLiteral(ast.dump(node)[:60])


def _literal(node: ast.expr) -> Any:
    """The value of a literal expression: dict(...)/{...}/[...]/(...), numbers, strings, True/False/None."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _literal(node.operand)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value if isinstance(node.op, ast.USub) else value
        raise NotLiteral("a sign before a non-number")
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_literal(item) for item in node.elts]
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise NotLiteral("** in a dict literal")
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values, strict=True) if k is not None}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        if any(keyword.arg is None for keyword in node.keywords):
            raise NotLiteral("**kwargs in dict(...)")
        return {keyword.arg: _literal(keyword.value) for keyword in node.keywords}
    if isinstance(node, (ast.Name, ast.Attribute)):
        return Opaque(_dotted(node))
    raise NotLiteral(type(node).__name__)


def parse_policy_kwargs(text: str) -> dict[str, Any]:
    """The mapping a zoo ``policy_kwargs`` string evaluates to, read without evaluating it."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
        value = _literal(tree.body)
    except SyntaxError as exc:
        raise NotLiteral(f"not a Python expression ({exc.msg})") from None
    except (RecursionError, MemoryError, ValueError):  # absurdly deep nesting, NUL bytes
        raise NotLiteral("not an expression rnnlint reads") from None
    if not isinstance(value, dict):
        raise NotLiteral("not a dict")
    return value


# --------------------------------------------------------------------------- adapting


def _widths(value: Any) -> list[int] | None:
    if not isinstance(value, list):
        return None
    widths = [as_int(v, minimum=1) for v in value]
    return [w for w in widths if w is not None] if all(w is not None for w in widths) else None


def _arch(net_arch: Any) -> tuple[list[int], list[int]] | None:
    """(pi, vf) widths as MlpExtractor reads net_arch (a leading-dict list is unwrapped, as since SB3 1.8)."""
    if isinstance(net_arch, list) and net_arch and isinstance(net_arch[0], dict):
        net_arch = net_arch[0]
    if isinstance(net_arch, dict):
        pi, vf = _widths(net_arch.get("pi", [])), _widths(net_arch.get("vf", []))
        return (pi, vf) if pi is not None and vf is not None else None
    widths = _widths(net_arch)
    return (widths, list(widths)) if widths is not None else None


def _mlp(widths: list[int], input_size: int) -> Composite:
    parts: list[Module] = []
    current = input_size
    for width in widths:
        parts.append(Linear(current, width))
        current = width
    return Composite(tuple(parts), output_size=current)


class _Entry:
    """One RecurrentPPO entry adapted: its layers, notes and omissions."""

    def __init__(self, doc: Document, key: str, entry: dict[str, Any], options: AdaptOptions) -> None:
        self.env = key
        self.options = options
        self.entry = entry
        self.policy: str = entry["policy"]
        self.span = doc.locator.key((key, "policy"))
        self.kwargs_span = doc.locator.value((key, "policy_kwargs")) if "policy_kwargs" in entry else self.span
        self.layers: list[LayerSpec] = []
        self.assumptions: list[Assumption] = []
        self.omitted: list[Omission] = []

    def unknown(self, what: str, reason: str) -> None:
        self.layers.append(LayerSpec(f"{self.env} {what}", what, self.kwargs_span, Unknown(what, reason)))

    def kwargs(self) -> dict[str, Any] | None:
        raw = self.entry.get("policy_kwargs")
        if raw is None:
            return {}
        if isinstance(raw, dict):
            return raw
        if not isinstance(raw, str):
            self.unknown("policy_kwargs", "policy_kwargs is neither a mapping nor a Python expression string")
            return None
        try:
            return parse_policy_kwargs(raw)
        except NotLiteral as exc:
            reason = f"policy_kwargs is not a literal dict rnnlint reads without evaluating it: {exc}"
            self.unknown("policy_kwargs", reason)
            return None

    def features_dim(self, kwargs: dict[str, Any]) -> int | None:
        extractor = kwargs.get("features_extractor_class")
        name = self.policy.removesuffix("LstmPolicy")
        if self.policy == "CnnLstmPolicy" and (extractor is None or str(extractor).endswith("NatureCNN")):
            self.omitted.append(
                Omission(f"{self.env}: the NatureCNN features extractor (its size depends on the images)", self.span)
            )
            if kwargs.get("share_features_extractor") is False:
                self.omitted.append(
                    Omission(f"{self.env}: the critic's own NatureCNN (share_features_extractor=False)", self.span)
                )
            fe_kwargs = kwargs.get("features_extractor_kwargs") or {}
            stated = fe_kwargs.get("features_dim") if isinstance(fe_kwargs, dict) else None
            return DEFAULT_CNN_FEATURES if stated is None else as_int(stated, minimum=1)
        if self.policy == "MlpLstmPolicy" and extractor is None:
            if self.options.input_size is None:
                note = (
                    f"{self.env} LSTM input: the flattened observation size of {self.env} is not in the file; "
                    f"{HOW_TO_STATE}"
                )
                self.assumptions.append(Assumption(note, self.span))
            return self.options.input_size
        what = f"the {extractor} features extractor" if extractor is not None else "the CombinedExtractor"
        self.omitted.append(Omission(f"{self.env}: {what} of the {name}LstmPolicy", self.span))
        return None

    def adapt(self) -> None:
        kwargs = self.kwargs()
        if kwargs is None:
            return
        stated = set(kwargs)
        hidden = as_int(kwargs.get("lstm_hidden_size", DEFAULT_HIDDEN), minimum=1)
        layers = as_int(kwargs.get("n_lstm_layers", DEFAULT_LAYERS), minimum=1)
        shared = kwargs.get("shared_lstm", False) is True
        critic_lstm = kwargs.get("enable_critic_lstm", True) is not False
        lstm_kwargs = kwargs.get("lstm_kwargs") or {}
        if hidden is None or layers is None:
            self.unknown("lstm", "lstm_hidden_size and n_lstm_layers must be positive integers")
            return
        if shared and critic_lstm:
            self.unknown("lstm", "sb3-contrib refuses shared_lstm=True with enable_critic_lstm=True (its default)")
            return
        if shared and kwargs.get("share_features_extractor") is False:
            self.unknown("lstm", "sb3-contrib refuses shared_lstm=True with share_features_extractor=False")
            return
        if not isinstance(lstm_kwargs, dict) or not LSTM_KWARGS.issuperset(lstm_kwargs):
            self.unknown("lstm", f"lstm_kwargs {lstm_kwargs!r}: only dropout and bias are read")
            return
        default_arch: Any = [] if self.policy == "CnnLstmPolicy" else DEFAULT_MLP_ARCH
        arch = _arch(kwargs.get("net_arch", default_arch))
        unstated = [
            f"{key} {value}"
            for key, value in (
                ("lstm_hidden_size", DEFAULT_HIDDEN),
                ("n_lstm_layers", DEFAULT_LAYERS),
                ("enable_critic_lstm", True),
                ("net_arch", "dict(pi=[64, 64], vf=[64, 64])" if default_arch else "[]"),
            )
            if key not in stated
        ]
        if not critic_lstm and "shared_lstm" not in stated:
            unstated.append("shared_lstm False")
        if unstated:
            self.assumptions.append(
                Assumption(
                    f"{self.env}: policy_kwargs does not set {', '.join(unstated)} (sb3-contrib's defaults assumed)",
                    self.kwargs_span,
                )
            )
        features = self.features_dim(kwargs)
        bias = lstm_kwargs.get("bias", True) is not False
        lstm = Recurrent(kind="lstm", hidden_size=hidden, input_size=features, num_layers=layers, bias=bias)
        lstm_options: dict[str, Any] = {"bias": bias}
        if "dropout" in lstm_kwargs:
            lstm_options["dropout"] = lstm_kwargs["dropout"]
        self.layers.append(LayerSpec(f"{self.env} lstm_actor", "lstm", self.span, lstm, options=lstm_options))
        if critic_lstm:
            self.layers.append(LayerSpec(f"{self.env} lstm_critic", "lstm", self.span, lstm, options=lstm_options))
        elif not shared:
            self.layers.append(LayerSpec(f"{self.env} critic", "linear", self.span, Linear(features, hidden)))
        if arch is None:
            self.unknown("net_arch", f"net_arch {kwargs.get('net_arch')!r} is not a list or dict(pi=..., vf=...)")
        else:
            pi, vf = arch
            if pi:
                policy_net = _mlp(pi, hidden)
                self.layers.append(LayerSpec(f"{self.env} mlp_extractor.policy_net", "mlp", self.span, policy_net))
            value_input = hidden
            if vf:
                value_mlp = _mlp(vf, hidden)
                self.layers.append(LayerSpec(f"{self.env} mlp_extractor.value_net", "mlp", self.span, value_mlp))
                value_input = counting.count(value_mlp).output_size or vf[-1]
            self.layers.append(LayerSpec(f"{self.env} value_net", "linear", self.span, Linear(value_input, 1)))
        self.omitted.append(
            Omission(f"{self.env}: the action net (and log_std), sized by the environment's action space", self.span)
        )


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    layers: list[LayerSpec] = []
    assumptions: list[Assumption] = []
    omitted: list[Omission] = []
    first: Span | None = None
    for env, entry in doc.data.items():
        if not isinstance(env, str) or not _is_recurrent_entry(entry):
            continue
        adapted = _Entry(doc, env, entry, options)
        adapted.adapt()
        first = first or doc.locator.key((env,))
        layers.extend(adapted.layers)
        assumptions.extend(adapted.assumptions)
        omitted.extend(adapted.omitted)
    if not layers and not omitted:
        # Nothing to say about other policies' entries; only that their networks are not counted.
        omitted.append(
            Omission(
                f"no entry uses a recurrent policy ({', '.join(POLICIES)}): the other policies' networks are not "
                "counted",
                doc.locator.value(()),
            )
        )
    model = ModelConfig(
        dialect=NAME,
        framework="pytorch",
        layers=tuple(layers),
        span=first or doc.locator.value(()),
        assumptions=tuple(assumptions),
        omitted=tuple(omitted),
    )
    return Adapted(model)
