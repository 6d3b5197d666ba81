"""rl_games network configs (``params.network.rnn``), as IsaacGymEnvs ships them.

What rl_games builds (``rl_games/algos_torch/network_builder.py``, A2CBuilder): with an
``rnn`` block, ``torch.nn.LSTM`` / ``torch.nn.GRU`` (``name: lstm|gru``) with ``units``
hidden units and ``layers`` stacked layers, never bidirectional, two bias vectors. Its input:

- ``before_mlp: True``: the observation (or CNN output) size, which is not in the file;
  the MLP then takes ``units`` (plus the observation with ``concat_output``).
- ``before_mlp: False`` (the default): the MLP's output, the last of ``mlp.units``
  (the observation itself when ``mlp.units`` is empty), plus the observation size with
  ``concat_input: True``.

``separate: True`` builds the RNN (and its LayerNorm and MLP) twice, for actor and critic.
``layer_norm: True`` adds ``LayerNorm(units)``. The observation size is an assumption the
user states with ``[[tool.rnnlint.overrides]] input_size = N``; until then the counts that
need it are unknown and ``complete`` is false.
"""

from __future__ import annotations

from typing import Any

from rnnlint import counting, interpolation
from rnnlint.dialects import Adapted, AdaptOptions
from rnnlint.loader import DocPath, Document
from rnnlint.model import (
    Assumption,
    Composite,
    Fixed,
    LayerSpec,
    Linear,
    ModelConfig,
    Module,
    Recurrent,
    RecurrentKind,
    Span,
    Unknown,
)

NAME = "rl-games"

NETWORK: DocPath = ("params", "network")
RNN_KINDS: dict[str, RecurrentKind] = {"lstm": "lstm", "gru": "gru"}
HOW_TO_STATE = "state it with [[tool.rnnlint.overrides]] input_size = N (the observation size)"
MLP_INPUT_NOTE = f"MLP input: the observation size is not in the file; {HOW_TO_STATE}"


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


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _bool(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default


def _mlp_units(doc: Document) -> list[int] | None:
    units = _value(doc, (*NETWORK, "mlp", "units"))
    if not isinstance(units, list):
        return None
    ints = [_int(u) for u in units]
    return [u for u in ints if u is not None] if all(u is not None for u in ints) else None


def _mlp(units: list[int], input_size: int | None, d2rl: bool) -> Module:
    if d2rl:
        return Unknown("d2rl mlp", "rl_games D2RL MLP (each layer also takes the input): not counted")
    parts: list[Module] = []
    current = input_size
    for width in units:
        parts.append(Linear(current, width))
        current = width
    return Composite(tuple(parts), output_size=current)


def adapt(doc: Document, options: AdaptOptions) -> Adapted:
    locate = doc.locator
    network = _network(doc.data) or {}
    rnn = network.get("rnn")
    layers: list[LayerSpec] = []
    assumptions: list[Assumption] = []
    mlp_units = _mlp_units(doc)
    d2rl = _bool(_value(doc, (*NETWORK, "mlp", "d2rl")), False)
    separate = _bool(_value(doc, (*NETWORK, "separate")), False)
    copies = 2 if separate else 1
    observation = options.input_size
    mlp_span = locate.value((*NETWORK, "mlp"))

    if "separate" not in network and "defaults" in doc.data:
        assumptions.append(
            Assumption(
                "separate actor/critic networks: not set here, assumed False (the rl_games default); "
                "a config in the Hydra defaults list may set it; add network.separate to make it explicit",
                locate.key(NETWORK),
            )
        )

    if not isinstance(rnn, dict):
        if mlp_units:
            layers.append(_mlp_entry(mlp_units, observation, d2rl, copies, mlp_span))
            if observation is None:
                assumptions.append(Assumption(MLP_INPUT_NOTE, mlp_span))
        return Adapted(_model(doc, layers, assumptions))

    rnn_path = (*NETWORK, "rnn")
    span = locate.value(rnn_path)
    name = _value(doc, (*rnn_path, "name"))
    units = _int(_value(doc, (*rnn_path, "units")))
    num_layers = _int(_value(doc, (*rnn_path, "layers")))
    before_mlp = _bool(_value(doc, (*rnn_path, "before_mlp")), False)
    concat_input = _bool(_value(doc, (*rnn_path, "concat_input")), False)
    concat_output = _bool(_value(doc, (*rnn_path, "concat_output")), False)
    layer_norm = _bool(_value(doc, (*rnn_path, "layer_norm")), False)

    kind = RNN_KINDS.get(str(name).lower()) if isinstance(name, str) else None
    if kind is None or units is None or num_layers is None:
        reason = (
            f"rl_games rnn name {name!r} builds no LSTM/GRU rnnlint can count"
            if kind is None
            else "rl_games rnn needs integer units and layers"
        )
        layers.append(LayerSpec("rnn", str(name), span, Unknown(str(name), reason)))
        return Adapted(_model(doc, layers, assumptions))

    # The RNN's input, and the MLP's, following A2CBuilder.Network.__init__.
    rnn_input: int | None
    mlp_input: int | None
    if before_mlp:
        rnn_input = observation
        with_observation = units + observation if observation is not None else None
        mlp_input = with_observation if concat_output else units
        if observation is None:
            assumptions.append(
                Assumption(f"rnn input (before_mlp: True): the observation size is not in the file; {HOW_TO_STATE}",
                           span)
            )
    else:
        mlp_input = observation
        mlp_out = (mlp_units[-1] if mlp_units else observation) if mlp_units is not None else None
        if concat_input:
            rnn_input = mlp_out + observation if mlp_out is not None and observation is not None else None
        else:
            rnn_input = mlp_out
        if rnn_input is None:
            what = "the observation size"
            if concat_input:
                what = "the last of mlp.units plus the observation size (concat_input: True)"
            assumptions.append(Assumption(f"rnn input is {what}, not in the file; {HOW_TO_STATE}", span))

    recurrent = Recurrent(kind=kind, hidden_size=units, input_size=rnn_input, num_layers=num_layers)
    module: Module = recurrent if copies == 1 else Composite((recurrent, recurrent), output_size=units)
    option_spans = {"num_layers": locate.key((*rnn_path, "layers"))} if "layers" in rnn else {}
    layers.append(
        LayerSpec(
            name="rnn (actor and critic)" if copies == 2 else "rnn",
            type=kind,
            span=span,
            module=module,
            options={"bias": True},
            option_spans=option_spans,
        )
    )
    if layer_norm:
        norm = Fixed(2 * units * copies, f"{copies} x LayerNorm({units}): {copies} x 2x{units}", units)
        layers.append(LayerSpec("rnn layer_norm", "layer_norm", locate.key((*rnn_path, "layer_norm")), norm))
    if mlp_units:
        layers.append(_mlp_entry(mlp_units, mlp_input, d2rl, copies, mlp_span))
        if mlp_input is None:
            assumptions.append(Assumption(MLP_INPUT_NOTE, mlp_span))
    return Adapted(_model(doc, layers, assumptions))


def _mlp_entry(units: list[int], input_size: int | None, d2rl: bool, copies: int, span: Span) -> LayerSpec:
    mlp = _mlp(units, input_size, d2rl)
    module = mlp if copies == 1 else Composite((mlp, mlp), output_size=counting.count(mlp).output_size)
    return LayerSpec("mlp (actor and critic)" if copies == 2 else "mlp", "mlp", span, module)


def _model(doc: Document, layers: list[LayerSpec], assumptions: list[Assumption]) -> ModelConfig:
    return ModelConfig(
        dialect=NAME,
        framework="pytorch",
        layers=tuple(layers),
        span=doc.locator.key(NETWORK),
        assumptions=tuple(assumptions),
    )
