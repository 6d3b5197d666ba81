"""Generate golden fixtures for the ``torch-target`` dialect with the real torch.

Each case is a random Hydra (``_target_`` + kwargs / ``_args_``) or Lightning
(``class_path`` + ``init_args``) YAML config naming torch.nn modules at random depths,
with OmegaConf interpolations (absolute and relative) for some sizes. The config is
resolved by OmegaConf itself, every named module is instantiated with torch, and
``sum(p.numel())`` is recorded per module (``null`` where torch refuses to build it, e.g.
a missing ``input_size``). tests/unit/dialects/test_torch_target.py lints the YAML with rnnlint
and compares.

Run (needs torch==2.13.0, pyyaml and omegaconf; never the dev virtualenv)::

    python tools/gen_torch_target_fixtures.py --count 320 --seed 3 --lists 40 \
        --out tests/fixtures/torch_target/cases.json

``--lists N`` appends N more cases (style ``list``, their own random stream, so the first
``--count`` cases do not change): a ``model.layers`` list of Hydra entries -- the layout rnnlint's
native dialect must leave to this one -- mixing the counted classes with parameter-free
``torch.nn.Dropout`` / ``torch.nn.Tanh`` and, sometimes, a ``torch.nn.LayerNorm`` rnnlint does not
count (an omission: the file is then incomplete).
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import warnings
from pathlib import Path
from typing import Any

import torch
import yaml
from omegaconf import OmegaConf

CLASSES = ["LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell", "Embedding", "Linear"]
SUBMODULE = {"Embedding": "sparse", "Linear": "linear"}
RNN_ORDER = ["input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout", "bidirectional"]
ORDER = {
    "LSTM": [*RNN_ORDER, "proj_size"],
    "GRU": RNN_ORDER,
    "RNN": [*RNN_ORDER[:3], "nonlinearity", *RNN_ORDER[3:]],
    "LSTMCell": ["input_size", "hidden_size", "bias"],
    "GRUCell": ["input_size", "hidden_size", "bias"],
    "RNNCell": ["input_size", "hidden_size", "bias", "nonlinearity"],
    "Embedding": ["num_embeddings", "embedding_dim", "padding_idx"],
    "Linear": ["in_features", "out_features", "bias"],
}
SLOTS = ["encoder", "decoder", "rnn", "cell", "embed", "proj", "head", "layer", "net", "core"]


def target_name(rng: random.Random, cls: str) -> str:
    if rng.random() < 0.3:
        return f"torch.nn.modules.{SUBMODULE.get(cls, 'rnn')}.{cls}"
    return f"torch.nn.{cls}"


def random_kwargs(rng: random.Random, cls: str) -> dict[str, Any]:
    """Constructor arguments torch accepts; defaults are often left out."""
    size = lambda: rng.choice([1, 2, 3, 8, 16, 17, 32, 50, 64, 100, 128, 200, 256])  # noqa: E731
    kw: dict[str, Any] = {}
    if cls == "Embedding":
        kw["num_embeddings"] = rng.choice([3, 10, 100, 1000, 5003])
        kw["embedding_dim"] = size()
        if rng.random() < 0.3:
            kw["padding_idx"] = 0
        return kw
    if cls == "Linear":
        kw["in_features"] = size()
        kw["out_features"] = size()
        if rng.random() < 0.4:
            kw["bias"] = rng.random() < 0.5
        return kw
    kw["input_size"] = size()
    kw["hidden_size"] = rng.choice([2, 4, 8, 16, 20, 32, 64, 100, 128, 256])
    if rng.random() < 0.3:
        kw["bias"] = rng.random() < 0.5
    if cls in ("RNN", "RNNCell") and rng.random() < 0.5:
        kw["nonlinearity"] = rng.choice(["tanh", "relu"])
    if cls.endswith("Cell"):
        return kw
    if rng.random() < 0.6:
        kw["num_layers"] = rng.choice([1, 2, 3, 4])
    if rng.random() < 0.5:
        kw["bidirectional"] = rng.random() < 0.6
    if rng.random() < 0.3:
        kw["batch_first"] = True
    if kw.get("num_layers", 1) > 1 and rng.random() < 0.4:
        kw["dropout"] = rng.choice([0.1, 0.25])
    if cls == "LSTM" and rng.random() < 0.3 and kw["hidden_size"] > 2:
        kw["proj_size"] = rng.randrange(1, kw["hidden_size"])
    return kw


def make_case(rng: random.Random, index: int) -> dict[str, Any]:
    style = rng.choice(["hydra", "lightning", "mixed"])
    root: dict[str, Any] = {"trainer": {"max_epochs": rng.randint(1, 50)}, "dims": {}}
    model: dict[str, Any] = {"d_model": rng.choice([16, 32, 64])}
    root["model"] = model
    modules: list[tuple[dict[str, Any], str]] = []
    for slot in rng.sample(SLOTS, rng.randint(1, 4)):
        cls = rng.choice(CLASSES)
        kw = random_kwargs(rng, cls)
        hydra = style == "hydra" or (style == "mixed" and rng.random() < 0.5)
        in_blocks = rng.random() < 0.3
        if rng.random() < 0.04 and "input_size" in kw:
            del kw["input_size"]  # torch refuses: the expected count is unknown
        # Dots from the key up to `model`: node mapping (+ init_args) (+ blocks).
        dots = "." * (2 + (0 if hydra else 1) + (1 if in_blocks else 0))
        # Interpolations: an absolute one into dims, a relative one up to model.<key>.
        for key in list(kw):
            if isinstance(kw[key], bool) or not isinstance(kw[key], int):
                continue
            roll = rng.random()
            if roll < 0.12:
                name = f"{slot}_{key}"
                root["dims"][name] = kw[key]
                kw[key] = f"${{dims.{name}}}"
            elif roll < 0.2:
                name = f"{slot}_{key}"
                model[name] = kw[key]
                kw[key] = f"${{{dots}{name}}}"
        node: dict[str, Any]
        if hydra:
            node = {"_target_": target_name(rng, cls)}
            order = ORDER[cls]
            positional = 0
            if rng.random() < 0.35:
                # A prefix of the parameters given positionally in _args_ (plain values only).
                while positional < len(order) and order[positional] in kw and rng.random() < 0.7:
                    value = kw[order[positional]]
                    if isinstance(value, str) and value.startswith("${."):
                        break
                    positional += 1
            if positional:
                node["_args_"] = [kw.pop(p) for p in order[:positional]]
            node.update(kw)
        else:
            node = {"class_path": target_name(rng, cls), "init_args": kw}
        if in_blocks:
            model.setdefault("blocks", {})[slot] = node
        else:
            model[slot] = node
        modules.append((node, cls))
    text = yaml.safe_dump(root, sort_keys=False)
    return {"id": f"case{index:03d}", "style": style, "yaml": text, **measure(text)}


EXTRA_CLASSES = {"Dropout": {"p": 0.1}, "Tanh": {}}


def make_list_case(rng: random.Random, index: int) -> dict[str, Any]:
    """A ``model.layers`` list of ``_target_`` entries, in the order a Sequential would take them."""
    entries: list[dict[str, Any]] = []
    for _ in range(rng.randint(1, 5)):
        roll = rng.random()
        if roll < 0.15:
            cls = rng.choice(sorted(EXTRA_CLASSES))
            entries.append({"_target_": f"torch.nn.{cls}", **EXTRA_CLASSES[cls]})
        elif roll < 0.22:
            entries.append({"_target_": "torch.nn.LayerNorm", "normalized_shape": rng.choice([8, 16, 32])})
        else:
            cls = rng.choice(CLASSES)
            entries.append({"_target_": target_name(rng, cls), **random_kwargs(rng, cls)})
    if not any(e["_target_"].rsplit(".", 1)[-1] in CLASSES[:6] for e in entries):
        entries.append({"_target_": "torch.nn.GRUCell", "input_size": 8, "hidden_size": 4})
    root = {"model": {"layers": entries}, "optimizer": {"_target_": "torch.optim.Adam", "lr": 0.001}}
    text = yaml.safe_dump(root, sort_keys=False)
    return {"id": f"list{index:03d}", "style": "list", "yaml": text, **measure(text)}


def _walk(node: Any, path: tuple[Any, ...]) -> Any:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, i))


def display(path: tuple[Any, ...]) -> str:
    out = ""
    for item in path:
        out += f"[{item}]" if isinstance(item, int) else ("." if out else "") + str(item)
    return out


def measure(text: str) -> dict[str, Any]:
    """Resolve with OmegaConf, build each module with torch, count its parameters."""
    resolved = OmegaConf.to_container(OmegaConf.create(yaml.safe_load(text)), resolve=True)
    modules = []
    total = 0
    for path, node in _walk(resolved, ()):
        target = node.get("_target_") or node.get("class_path")
        if not isinstance(target, str) or not target.startswith("torch.nn."):
            continue
        module_name, _, cls_name = target.rpartition(".")
        cls = getattr(importlib.import_module(module_name), cls_name)
        if "_target_" in node:
            args = node.get("_args_", [])
            kwargs = {k: v for k, v in node.items() if not k.startswith("_")}
        else:
            args, kwargs = [], dict(node["init_args"])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                built = cls(*args, **kwargs)
            params: int | None = sum(p.numel() for p in built.parameters())
        except TypeError as exc:
            params = None
            error = str(exc)
        modules.append({"name": display(path), "class": cls_name, "params": params})
        if params is None:
            modules[-1]["torch_error"] = error
        else:
            total += params
    return {"modules": modules, "total": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=320)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--lists", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path("tests/fixtures/torch_target/cases.json"))
    ns = parser.parse_args()
    rng = random.Random(ns.seed)
    cases = [make_case(rng, i) for i in range(ns.count)]
    list_rng = random.Random(ns.seed + 1000)
    cases += [make_list_case(list_rng, i) for i in range(ns.lists)]
    ns.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "generator": "tools/gen_torch_target_fixtures.py",
        "torch": torch.__version__,
        "seed": ns.seed,
        "cases": cases,
    }
    ns.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    modules = sum(len(c["modules"]) for c in cases)
    print(f"{len(cases)} configs, {modules} modules -> {ns.out}")


if __name__ == "__main__":
    main()
