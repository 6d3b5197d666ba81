"""Generate golden fixtures for the ``asteroid`` dialect with the real Asteroid.

Each case is a recipe ``conf.yml`` (``filterbank`` + ``masknet`` + ``data``) built the way the
recipe's ``train.py`` builds it, with Asteroid 0.7.0 and asteroid-filterbanks 0.4.0 on
torch 2.13.0:

- ``dprnn``: ``DPRNNTasNet(**filterbank, **masknet, n_src=...)`` (egs/wham/DPRNN/train.py,
  egs/librimix/DPRNNTasNet/train.py: ``n_src`` from the data, else masknet.n_src).
- ``multi_decoder``: ``MultiDecoderDPRNN(**masknet, **filterbank)``
  (egs/wsj0-mix-var/Multi-Decoder-DPRNN/model.py, make_model_and_optimizer).
- ``chimera``: ``Chimera(stft.n_feats_out // 2, n_src=data.n_src, **masknet)`` between an STFT
  encoder/decoder (egs/wsj0-mix/DeepClustering/model.py, make_model_and_optimizer).
- ``dns``: ``SimpleModel(input_size, output_size, **masknet)`` with train.py's default
  ``--is_complex true`` (egs/dns_challenge_INTERSPEECH2020/baseline/model.py).
- ``convtasnet``: ``ConvTasNet(**filterbank, **masknet)`` (no RNN; total only).

The ``egs`` models are not in the pip package: pass ``--egs`` a checkout of
asteroid-team/asteroid (commit 92c8d83a9dbe7c3afd1cd097e31254e0b4f82881). Imports Asteroid
needs only for data loading and hub downloads (soundfile, pandas, ...) are stubbed, so the
toolkit installs with ``--no-deps``::

    python -m venv /tmp/tk-asteroid   # with torch==2.13.0
    /tmp/tk-asteroid/bin/pip install --no-deps asteroid==0.7.0 asteroid-filterbanks==0.4.0
    /tmp/tk-asteroid/bin/python tools/gen_asteroid_fixtures.py --egs /path/to/asteroid \
        --out tests/fixtures/asteroid_cases.json tests/unit/dialects/asteroid/*.yaml

Every case records the model's ``sum(p.numel())`` and each torch RNN module's count.
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.machinery
import importlib.util
import json
import sys
import types
from pathlib import Path
from typing import Any
from unittest import mock

STUBBED = {
    "soundfile", "pandas", "requests", "huggingface_hub", "pytorch_lightning", "librosa", "tqdm",
    "pb_bss_eval", "sklearn", "scipy", "torch_optimizer", "torch_stoi", "pesq", "pystoi", "julius",
    "torchaudio", "torchmetrics",
}  # fmt: skip


class _Stubs(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Any module under STUBBED imports as a mock (never used for the model's parameters)."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = mock.MagicMock(name=spec.name)
        module.__path__ = []
        module.__spec__ = spec
        return module  # type: ignore[no-any-return]

    def exec_module(self, module: types.ModuleType) -> None:
        pass


sys.meta_path.insert(0, _Stubs())

import torch  # noqa: E402
import yaml  # noqa: E402

MODEL_FILES = {
    "multi_decoder": "egs/wsj0-mix-var/Multi-Decoder-DPRNN/model.py",
    "chimera": "egs/wsj0-mix/DeepClustering/model.py",
    "dns": "egs/dns_challenge_INTERSPEECH2020/baseline/model.py",
}


def egs_module(egs: Path, kind: str) -> types.ModuleType:
    path = egs / MODEL_FILES[kind]
    spec = importlib.util.spec_from_file_location(f"egs_{kind}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kind_of(masknet: dict[str, Any]) -> str:
    """The model a recipe builds from these masknet keys (the same reading as the dialect's)."""
    if "n_srcs" in masknet:
        return "multi_decoder"
    if "hid_size" in masknet or "chunk_size" in masknet:
        return "dprnn"
    if "embedding_dim" in masknet:
        return "chimera"
    if "hidden_size" in masknet:
        return "dns"
    if "n_blocks" in masknet:
        return "convtasnet"
    return "unknown"


def build(conf: dict[str, Any], kind: str, egs: Path) -> torch.nn.Module:
    from asteroid.models import ConvTasNet, DPRNNTasNet
    from asteroid_filterbanks import make_enc_dec

    filterbank = dict(conf["filterbank"])
    masknet = dict(conf["masknet"])
    data = conf.get("data") or {}
    sample_rate = data.get("sample_rate", 8000)
    if kind in ("dprnn", "convtasnet"):
        masknet["n_src"] = data.get("n_src", masknet.get("n_src"))
        cls = DPRNNTasNet if kind == "dprnn" else ConvTasNet
        return cls(**filterbank, **masknet, sample_rate=sample_rate)  # type: ignore[no-any-return]
    module = egs_module(egs, kind)
    if kind == "multi_decoder":
        return module.MultiDecoderDPRNN(**masknet, **filterbank, sample_rate=sample_rate)  # type: ignore[no-any-return]
    if kind == "chimera":
        enc, dec = make_enc_dec("stft", **filterbank)
        masker = module.Chimera(enc.n_feats_out // 2, n_src=data["n_src"], **masknet)
        return module.Model(enc, masker, dec)  # type: ignore[no-any-return]
    stft, istft = make_enc_dec("stft", **filterbank)
    inp_size, output_size = int(stft.n_feats_out * 3 / 2), stft.n_feats_out  # is_complex: True
    masker = module.SimpleModel(input_size=inp_size, output_size=output_size, **masknet)
    return module.Model(stft, masker, istft, is_complex=True)  # type: ignore[no-any-return]


def numel(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def case(path: Path, egs: Path, root: Path) -> dict[str, Any]:
    conf = yaml.safe_load(path.read_text())
    kind = kind_of(conf["masknet"])
    try:
        shown = str(path.resolve().relative_to(root))
    except ValueError:
        shown = path.name
    result: dict[str, Any] = {"file": shown, "model": kind}
    if kind == "unknown":
        return result
    torch.manual_seed(0)
    model = build(conf, kind, egs)
    rnns = [
        {"name": name, "type": type(m).__name__, "params": numel(m)}
        for name, m in model.named_modules()
        if isinstance(m, torch.nn.RNNBase)
    ]
    result.update(total_params=numel(model), recurrent_params=sum(r["params"] for r in rnns), rnns=rnns)
    result["children"] = {name: numel(child) for name, child in model.named_children()}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--egs", type=Path, required=True, help="a checkout of asteroid-team/asteroid")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("configs", nargs="+", type=Path)
    args = parser.parse_args()
    import asteroid
    import asteroid_filterbanks

    root = Path(__file__).resolve().parent.parent
    cases = [case(p, args.egs, root) for p in args.configs]
    meta = {
        "generator": "tools/gen_asteroid_fixtures.py",
        "asteroid": asteroid.__version__,
        "asteroid_filterbanks": getattr(asteroid_filterbanks, "__version__", "0.4.0"),
        "torch": torch.__version__,
        "egs_commit": "92c8d83a9dbe7c3afd1cd097e31254e0b4f82881",
    }
    args.out.write_text(json.dumps({"meta": meta, "cases": cases}, indent=1) + "\n")


if __name__ == "__main__":
    main()
