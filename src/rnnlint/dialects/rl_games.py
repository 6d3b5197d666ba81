"""rl_games network configs (``params.network``), as IsaacGymEnvs ships them.

What rl_games 1.6 builds (``rl_games/algos_torch/network_builder.py``):

- ``name: actor_critic`` (``A2CBuilder.Network.__init__``): an optional CNN, an optional
  ``torch.nn.LSTM`` / ``torch.nn.GRU`` (``rnn.name: lstm|gru``, ``units``, ``layers``; never
  bidirectional, two bias vectors, no dropout: ``BaseNetwork._build_rnn`` passes none) with an
  optional ``LayerNorm(units)``, the MLP (``mlp.units``; ``d2rl: True`` builds ``D2RLNet``,
  whose layers after the first also read the MLP's input), then the heads: ``value``
  (``Linear(out, value_size)``, value_size 1 unless the environment reports another), and from
  ``space``: continuous ``mu`` = ``Linear(out, actions)`` and ``sigma`` (a ``Parameter(actions)``
  with ``fixed_sigma: True``, else ``Linear(out, actions)``), discrete ``logits`` =
  ``Linear(out, actions)``, multi-discrete one ``Linear`` per action dimension.
  ``separate: True`` builds the CNN, RNN, LayerNorm and MLP twice (actor and critic).
  The RNN's input: with ``before_mlp: True`` the observation (or CNN output); else the MLP's
  output (the observation when ``mlp.units`` is empty), plus the observation with
  ``concat_input``. ``out`` is ``rnn.units`` (+ the observation with ``concat_output``) after
  the MLP, else the last of ``mlp.units``.
- ``name: resnet_actor_critic`` (``A2CResnetBuilder.Network.__init__``): an IMPALA CNN, an
  optional RNN whose input is widened by 1 with ``require_rewards`` and by the action size with
  ``require_last_actions``, a plain MLP and the same heads (no multi-discrete head; the
  ``layer_norm`` it reads is never built).
- ``name: amp``: IsaacGymEnvs' ``AMPBuilder`` (an ``A2CBuilder`` plus a discriminator, and a fixed
  sigma unless ``learn_sigma``).
- ``params.config.central_value_config.network`` (``a2c_common.A2CBase.load_networks``,
  ``central_value.CentralValueTrain``): the asymmetric critic, a second network of the same
  builders whose input is the environment's state size.

Sizes the file cannot state: the observation size (``[[tool.rnnlint.overrides]] input_size``),
the state size (``state_size``) and the action size (``action_size``). A recurrent layer whose
input needs one gets an RNN104 note saying how to state it; any other part that needs one is an
Omission (the total is then a lower bound), so a network with no RNN gets no RNN104 note.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rnnlint import counting
from rnnlint.dialects import Adapted, AdaptOptions, interpolation
from rnnlint.dialects._support import TRUE_OR_FALSE, as_bool, as_int, how_to_state
from rnnlint.model import (
    Assumption,
    Composite,
    Fixed,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Omission,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)
from rnnlint.parse.document import DocPath, Document

# rl_games reads `network` values as Python truth (`if self.has_rnn`); strings: true / false only, as
# written (unverified).
BOOLS = TRUE_OR_FALSE._replace(strip=False)

NAME = "rl-games"

NETWORK: DocPath = ("params", "network")
CENTRAL_VALUE: DocPath = ("params", "config", "central_value_config", "network")
RNN_KINDS: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru"}
# Builders with A2CBuilder's layout (IsaacGymEnvs' AMPBuilder subclasses it).
A2C_BUILDERS = ("actor_critic", "amp")
RESNET_BUILDER = "resnet_actor_critic"
ACTION_ADVICE = how_to_state("action_size")


class _Input(NamedTuple):
    """What a network reads: its size (None when not stated) and how to state it."""

    size: int | None
    what: str
    key: str

    def advice(self) -> str:
        return how_to_state(self.key, scope=self.what)


def _network(data: Any) -> dict[str, Any] | None:
    params = data.get("params") if isinstance(data, dict) else None
    network = params.get("network") if isinstance(params, dict) else None
    return network if isinstance(network, dict) else None


def detect(data: Any) -> bool:
    network = _network(data)
    if network is None:
        return False
    # rl_games keeps the algorithm and the model next to the network; IsaacGymEnvs
    # files that inherit them through Hydra defaults still carry mlp/rnn here.
    params = data["params"]
    return "mlp" in network or "rnn" in network or ("algo" in params and "model" in params)


def _value(doc: Document, path: DocPath) -> Any:
    """The value at ``path`` with OmegaConf interpolation resolved (UNRESOLVED when it cannot be)."""
    value, _note = interpolation.lookup(doc.data, path)
    return value


def _mapping(doc: Document, path: DocPath) -> dict[str, Any] | None:
    node: Any = doc.data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def _plus(*sizes: int | None) -> int | None:
    return None if any(s is None for s in sizes) else sum(s for s in sizes if s is not None)


def _linears(widths: list[tuple[int | None, int]]) -> Composite:
    parts = tuple(Linear(i, o) for i, o in widths)
    return Composite(parts, output_size=widths[-1][1] if widths else None)


class _Builder:
    """Collects the layers, assumptions and omissions of the networks one file builds."""

    def __init__(self, doc: Document, options: AdaptOptions) -> None:
        self.doc = doc
        self.locate = doc.locator
        self.actions = options.action_size
        self.layers: list[LayerSpec] = []
        self.assumptions: list[Assumption] = []
        self.omitted: list[Omission] = []

    def add(self, name: str, type_name: str, span: Span, module: Module, **extra: Any) -> None:
        self.layers.append(LayerSpec(name, type_name, span, module, **extra))

    def omit(self, message: str, span: Span) -> None:
        self.omitted.append(Omission(message, span))

    def network(self, path: DocPath, label: str, feature: _Input) -> None:
        """One network at ``path`` (the actor-critic, or the central value critic)."""
        net = _mapping(self.doc, path) or {}
        span = self.locate.key(path)
        name = _value(self.doc, (*path, "name"))
        before = len(self.layers)
        pending: list[Assumption] = []
        # Hydra's defaults list may set what this file leaves out; say what was assumed, in one note.
        unset = []
        if not isinstance(name, str):
            name = "actor_critic"
            unset.append("name (assumed actor_critic, rl_games A2CBuilder)")
        if "separate" not in net and name in A2C_BUILDERS and "defaults" in self.doc.data:
            unset.append("separate (assumed False, the rl_games default)")
        if unset:
            where = "a config in the Hydra defaults list may set them" if "defaults" in self.doc.data else "add them"
            pending.append(Assumption(f"{label} network: {' and '.join(unset)} not set here; {where}", span))
        has_rnn = isinstance(net.get("rnn"), dict)
        prefix = "" if label == "actor-critic" else f"{label} "
        known = name in A2C_BUILDERS or name == RESNET_BUILDER
        if known and not has_rnn and feature.size is None:
            # No RNN and no input size: one note naming the network, rather than a few heads counted.
            self.omit(
                f"the {label} network (its MLP and heads) is not counted: its input is {feature.what}, "
                f"not in the file; {feature.advice()}",
                span,
            )
        elif known:
            self._a2c(path, net, prefix, feature, resnet=name == RESNET_BUILDER, amp=name == "amp")
        else:
            what = f"rl_games network {name!r}"
            if has_rnn:
                reason = f"{what} is not a builder rnnlint knows ({', '.join((*A2C_BUILDERS, RESNET_BUILDER))})"
                rnn_path = (*path, "rnn")
                self.add(
                    f"{prefix}rnn",
                    str(_value(self.doc, (*rnn_path, "name"))),
                    self.locate.value(rnn_path),
                    Unknown(str(name), reason),
                )
            self.omit(
                f"the {label} network ({what}): rnnlint counts rl_games' actor_critic, amp and "
                "resnet_actor_critic builders only",
                span,
            )
        # A note on a value nobody counted would only be noise.
        if has_rnn or len(self.layers) > before:
            self.assumptions.extend(pending)

    def _a2c(self, path: DocPath, net: dict[str, Any], prefix: str, feature: _Input, resnet: bool, amp: bool) -> None:
        doc, locate = self.doc, self.locate
        separate = not resnet and as_bool(_value(doc, (*path, "separate")), False, strings=BOOLS, others="default")
        copies = 2 if separate else 1
        both = " (actor and critic)" if separate else ""
        size, what = feature.size, feature.what
        if resnet or isinstance(net.get("cnn"), dict):
            cnn = "IMPALA CNN" if resnet else "CNN"
            self.omit(
                f"the {prefix}{cnn}{both} (network.cnn) is not counted: its input is the observation's image shape",
                locate.value((*path, "cnn")),
            )
            what = f"the {cnn}'s flattened output size"
            feature = _Input(size, what, feature.key)

        mlp_path = (*path, "mlp")
        raw_units = _value(doc, (*mlp_path, "units"))
        units = [as_int(u) for u in raw_units] if isinstance(raw_units, list) else None
        mlp_units = [u for u in units if u is not None] if units is not None and None not in units else None
        if mlp_units is None:
            self.omit(f"the {prefix}MLP: mlp.units is not a list of integers here", locate.value(mlp_path))
        d2rl = not resnet and as_bool(_value(doc, (*mlp_path, "d2rl")), False, strings=BOOLS, others="default")
        norm = _value(doc, (*path, "normalization"))

        mlp_input, mlp_what = size, what
        out: int | None = (mlp_units[-1] if mlp_units else size) if mlp_units is not None else None
        out_what = "the last of mlp.units" if mlp_units else what

        rnn = net.get("rnn")
        if isinstance(rnn, dict):
            rnn_path = (*path, "rnn")
            rnn_span = locate.value(rnn_path)
            rnn_name = _value(doc, (*rnn_path, "name"))
            hidden = as_int(_value(doc, (*rnn_path, "units")))
            num_layers = as_int(_value(doc, (*rnn_path, "layers")))
            before_mlp = as_bool(_value(doc, (*rnn_path, "before_mlp")), False, strings=BOOLS, others="default")
            # The resnet builder reads neither concat flag.
            concat_input = not resnet and as_bool(
                _value(doc, (*rnn_path, "concat_input")), False, strings=BOOLS, others="default"
            )
            concat_output = not resnet and as_bool(
                _value(doc, (*rnn_path, "concat_output")), False, strings=BOOLS, others="default"
            )
            kind = RNN_KINDS.get(rnn_name.lower()) if isinstance(rnn_name, str) else None
            if kind is None or hidden is None or num_layers is None:
                reason = (
                    f"rl_games rnn name {rnn_name!r} builds no LSTM/GRU rnnlint can count"
                    if kind is None
                    else "rl_games rnn needs integer units and layers"
                )
                self.add(f"{prefix}rnn", str(rnn_name), rnn_span, Unknown(str(rnn_name), reason))
                out = mlp_input = None
                out_what = mlp_what = "the rnn's output size"
            else:
                if before_mlp:
                    rnn_input, rnn_what = size, what
                    mlp_input = _plus(hidden, size) if concat_output else hidden
                    mlp_what = f"rnn.units plus {what} (concat_output: True)"
                else:
                    rnn_input, rnn_what = out, out_what
                    if concat_input:
                        rnn_input, rnn_what = _plus(out, size), f"{out_what} plus {what} (concat_input: True)"
                    out = _plus(hidden, size) if concat_output else hidden
                    out_what = f"rnn.units plus {what} (concat_output: True)"
                advice = feature.advice()
                if resnet and as_bool(_value(doc, (*path, "require_rewards")), False, strings=BOOLS, others="default"):
                    rnn_input, rnn_what = _plus(rnn_input, 1), f"{rnn_what} plus 1 (require_rewards)"
                if resnet and as_bool(
                    _value(doc, (*path, "require_last_actions")), False, strings=BOOLS, others="default"
                ):
                    rnn_input = _plus(rnn_input, self.actions)
                    rnn_what = f"{rnn_what} plus the action size (require_last_actions)"
                    if self.actions is None:
                        advice = f"{advice}; {ACTION_ADVICE} (the action size)"
                if rnn_input is None:
                    self.assumptions.append(
                        Assumption(f"{prefix}rnn input is {rnn_what}, not in the file; {advice}", rnn_span)
                    )
                recurrent = Recurrent(kind=kind, hidden_size=hidden, input_size=rnn_input, num_layers=num_layers)
                module: Module = recurrent if copies == 1 else Composite((recurrent,) * copies, output_size=hidden)
                option_spans = {"num_layers": locate.key((*rnn_path, "layers"))} if "layers" in rnn else {}
                # No dropout: BaseNetwork._build_rnn passes input, units and layers only.
                self.add(
                    f"{prefix}rnn{both}", kind, rnn_span, module, options={"bias": True}, option_spans=option_spans
                )
                if not resnet and as_bool(
                    _value(doc, (*rnn_path, "layer_norm")), False, strings=BOOLS, others="default"
                ):
                    formula = f"{copies} x LayerNorm({hidden}): {copies} x 2x{hidden}"
                    self.add(
                        f"{prefix}rnn layer_norm",
                        "layer_norm",
                        locate.key((*rnn_path, "layer_norm")),
                        Fixed(2 * hidden * copies, formula, hidden),
                    )

        if mlp_units:
            self._mlp(mlp_path, prefix, both, copies, mlp_units, mlp_input, mlp_what, feature, d2rl, norm)
        self._heads(path, prefix, out, out_what, feature, resnet, amp)

    def _mlp(
        self,
        mlp_path: DocPath,
        prefix: str,
        both: str,
        copies: int,
        units: list[int],
        size: int | None,
        what: str,
        feature: _Input,
        d2rl: bool,
        norm: Any,
    ) -> None:
        span = self.locate.value(mlp_path)
        if size is None:
            self.omit(
                f"the {prefix}MLP{both} is not counted: its input is {what}, not in the file; {feature.advice()}", span
            )
            return
        if d2rl:
            # D2RLNet: every layer after the first reads the previous output and the MLP's input.
            ins = [size, *(u + size for u in units[:-1])]
            parts: list[Module] = [Linear(i, o) for i, o in zip(ins, units, strict=True)]
            if norm in ("layer_norm", "batch_norm"):
                parts.extend(Fixed(2 * u, f"{norm}({u}): 2x{u}", u) for u in units)
            mlp: Module = Composite(tuple(parts), output_size=units[-1])
        else:
            # _build_sequential_mlp: Linear per unit (A2CBuilder passes no norm to it).
            mlp = _linears(list(zip([size, *units[:-1]], units, strict=True)))
        module = mlp if copies == 1 else Composite((mlp,) * copies, output_size=counting.count(mlp).output_size)
        self.add(f"{prefix}mlp{both}", "d2rl mlp" if d2rl else "mlp", span, module)

    def _heads(
        self, path: DocPath, prefix: str, out: int | None, out_what: str, feature: _Input, resnet: bool, amp: bool
    ) -> None:
        doc, locate = self.doc, self.locate
        unread = f"its input is {out_what}, not in the file; {feature.advice()}"
        # The value head: value_size is the environment's (1 unless it reports more).
        value_span = locate.key(path)
        if out is None:
            self.omit(f"the {prefix}value head is not counted: {unread}", value_span)
        else:
            self.add(f"{prefix}value head", "linear", value_span, Linear(out, 1))
        space = _mapping(doc, (*path, "space"))
        if space is None:
            if "defaults" in doc.data and not prefix:
                self.omit(
                    "the action heads are not counted: network.space is not in this file "
                    "(a config in the Hydra defaults list may set it)",
                    value_span,
                )
            return
        actions = self.actions

        def heads(what: str, key: str, modules: list[tuple[str, Module]]) -> None:
            span = locate.key((*path, "space", key))
            if actions is None:
                self.omit(f"the {prefix}{what} not counted: the action size is not in the file; {ACTION_ADVICE}", span)
                return
            for name, module in modules:
                if isinstance(module, Linear) and module.in_features is None:
                    self.omit(f"the {prefix}{name} is not counted: {unread}", span)
                else:
                    self.add(f"{prefix}{name}", "linear" if isinstance(module, Linear) else "parameter", span, module)

        a = actions or 1
        if "continuous" in space:
            cont = (*path, "space", "continuous")
            fixed = as_bool(_value(doc, (*cont, "fixed_sigma")), False, strings=BOOLS, others="default")
            if amp and not as_bool(_value(doc, (*cont, "learn_sigma")), False, strings=BOOLS, others="default"):
                fixed = True  # AMPBuilder replaces sigma by a fixed Parameter(actions)
            sigma: tuple[str, Module] = (
                ("sigma (fixed_sigma)", Fixed(a, f"Parameter({a})", a)) if fixed else ("sigma head", Linear(out, a))
            )
            heads("mu and sigma heads are", "continuous", [("mu head", Linear(out, a)), sigma])
        if "discrete" in space:
            heads("logits head is", "discrete", [("logits head", Linear(out, a))])
        if "multi_discrete" in space and not resnet:
            self.omit(
                f"the {prefix}multi-discrete logits heads are not counted: one Linear per action dimension, "
                "whose sizes are not in the file",
                locate.key((*path, "space", "multi_discrete")),
            )
        if amp:
            self.omit(
                f"the {prefix}AMP discriminator (IsaacGymEnvs AMPBuilder, network.disc) is not counted: its "
                "input is the AMP observation size",
                locate.key((*path, "disc")),
            )


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    builder = _Builder(doc, options)
    builder.network(NETWORK, "actor-critic", _Input(options.input_size, "the observation size", "input_size"))
    if _mapping(doc, CENTRAL_VALUE) is not None:
        # The asymmetric critic reads the environment's state, not the observation.
        builder.network(CENTRAL_VALUE, "central value", _Input(options.state_size, "the state size", "state_size"))
    model = ModelConfig(
        dialect=NAME,
        framework="pytorch",
        layers=tuple(builder.layers),
        span=doc.locator.key(NETWORK),
        assumptions=tuple(builder.assumptions),
        omitted=tuple(builder.omitted),
    )
    return Adapted(model)
