"""Generate golden fixtures for the SpeechBrain dialect with the real SpeechBrain.

Each case is a small HyperPyYAML hparams file written here (modelled on the VAD, ASR and
separation recipes). It is loaded by ``hyperpyyaml.load_hyperpyyaml`` exactly as a recipe
loads it, so SpeechBrain itself builds every ``!new:`` object (``Sequential`` infers each
entry's ``input_shape`` with a dummy forward pass). For each top-level key that is a
``torch.nn.Module`` the fixture records ``sum(p.numel())``, and the total over the distinct
modules. tests/unit/dialects/test_speechbrain.py lints the YAML with rnnlint and compares.

Run with torch==2.13.0 and ``pip install --no-deps speechbrain hyperpyyaml ruamel.yaml
packaging`` (never the dev virtualenv). SpeechBrain's optional imports that the built modules
do not use (torchaudio, tqdm, ...) are stubbed, so only ``speechbrain.nnet`` / ``lobes`` code
runs::

    python tools/gen_speechbrain_fixtures.py --out tests/fixtures/speechbrain_cases.json
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.machinery
import importlib.util
import json
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

# Optional dependencies of `import speechbrain` that no module built here uses.
STUBBED = {"tqdm", "torchaudio", "sentencepiece", "joblib", "huggingface_hub", "scipy", "soundfile", "pandas"}


class _Stub(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        top = name.split(".")[0]
        if top in STUBBED and importlib.machinery.PathFinder.find_spec(top) is None:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = mock.MagicMock()
        module.__path__ = []
        module.__name__ = spec.name
        module.__spec__ = spec
        return module  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        pass


CASES: dict[str, str] = {
    # recipes/LibriParty/VAD/hparams/train.yaml, model section: CNN and DNN in Sequential.
    "vad_sequential": """
        n_mels: 40
        rnn_layers: 2
        rnn_neurons: 32
        dnn_neurons: 16
        output_neurons: 1
        cnn: !new:speechbrain.nnet.containers.Sequential
            input_shape: [null, null, !ref <n_mels>]
            norm1: !name:speechbrain.nnet.normalization.LayerNorm
            cnn1: !name:speechbrain.lobes.models.CRDNN.CNN_Block
                channels: 16
                kernel_size: (3, 3)
            cnn2: !name:speechbrain.lobes.models.CRDNN.CNN_Block
                channels: 32
                kernel_size: (3, 3)
        rnn: !new:speechbrain.nnet.RNN.GRU
            input_shape: [null, null, 320]
            hidden_size: !ref <rnn_neurons>
            num_layers: !ref <rnn_layers>
            bidirectional: True
        dnn: !new:speechbrain.nnet.containers.Sequential
            input_shape: [null, null, !ref <rnn_neurons> * 2]
            dnn1: !name:speechbrain.lobes.models.CRDNN.DNN_Block
                neurons: !ref <dnn_neurons>
            dnn2: !name:speechbrain.lobes.models.CRDNN.DNN_Block
                neurons: !ref <dnn_neurons>
            lin: !name:speechbrain.nnet.linear.Linear
                n_neurons: !ref <output_neurons>
                bias: False
        model: !new:torch.nn.ModuleList
            - [!ref <cnn>, !ref <rnn>, !ref <dnn>]
    """,
    # recipes/LibriSpeech/ASR/seq2seq/hparams/train_BPE_1000.yaml, the CRDNN encoder.
    "asr_crdnn": """
        n_mels: 40
        activation: !name:torch.nn.LeakyReLU
        cnn_channels: (128, 256)
        enc: !new:speechbrain.lobes.models.CRDNN.CRDNN
            input_shape: [null, null, !ref <n_mels>]
            activation: !ref <activation>
            dropout: 0.15
            cnn_blocks: 2
            cnn_channels: !ref <cnn_channels>
            cnn_kernelsize: (3, 3)
            inter_layer_pooling_size: (2, 2)
            time_pooling: True
            using_2d_pooling: False
            time_pooling_size: 4
            rnn_class: !name:speechbrain.nnet.RNN.LSTM
            rnn_layers: 4
            rnn_neurons: 1024
            rnn_bidirectional: True
            rnn_re_init: True
            dnn_blocks: 2
            dnn_neurons: 512
            use_rnnp: False
    """,
    # CRDNN with its projection, 2-d pooling, odd feature size and RNNP (RNN + Linear per layer).
    "crdnn_rnnp_projection": """
        enc: !new:speechbrain.lobes.models.CRDNN.CRDNN
            input_size: 45
            cnn_blocks: 3
            cnn_channels: [8, 12, 16]
            cnn_kernelsize: (5, 3)
            inter_layer_pooling_size: [2, 3, 2]
            using_2d_pooling: True
            projection_dim: 64
            rnn_class: !name:speechbrain.nnet.RNN.GRU
            rnn_layers: 2
            rnn_neurons: 24
            rnn_bidirectional: False
            use_rnnp: True
            dnn_blocks: 1
            dnn_neurons: 40
    """,
    # CRDNN without CNN blocks: the RNN reads the features directly.
    "crdnn_no_cnn": """
        enc: !new:speechbrain.lobes.models.CRDNN.CRDNN
            input_shape: [null, null, 20]
            cnn_blocks: 0
            rnn_class: !name:speechbrain.nnet.RNN.RNN
            rnn_layers: 3
            rnn_neurons: 16
            rnn_bidirectional: True
            dnn_blocks: 2
            dnn_neurons: 8
    """,
    # Sequential with Conv1d, BatchNorm1d, 1-d pooling, an RNN entry and instances.
    "sequential_conv1d_rnn": """
        feats: 30
        net: !new:speechbrain.nnet.containers.Sequential
            input_shape: [null, null, !ref <feats>]
            conv: !name:speechbrain.nnet.CNN.Conv1d
                out_channels: 12
                kernel_size: 5
            norm: !name:speechbrain.nnet.normalization.BatchNorm1d
            act: !new:torch.nn.LeakyReLU
            pool: !new:speechbrain.nnet.pooling.Pooling1d
                pool_type: max
                kernel_size: 2
            rnn: !name:speechbrain.nnet.RNN.LSTM
                hidden_size: 10
                num_layers: 2
                bidirectional: True
            drop: !new:torch.nn.Dropout
                p: 0.1
            out: !name:speechbrain.nnet.linear.Linear
                n_neurons: 7
    """,
    # Conv2d with 'valid' padding, one output channel (squeezed back to 3-d), LayerNorm
    # without affine, a nested Sequential and a Linear over combined dims.
    "sequential_conv2d_valid": """
        net: !new:speechbrain.nnet.containers.Sequential
            input_shape: [null, null, 24]
            conv_a: !name:speechbrain.nnet.CNN.Conv2d
                out_channels: 4
                kernel_size: (3, 5)
                padding: valid
            norm_a: !name:speechbrain.nnet.normalization.LayerNorm
                elementwise_affine: False
            conv_b: !name:speechbrain.nnet.CNN.Conv2d
                out_channels: 6
                kernel_size: [3, 3]
                bias: False
            inner: !name:speechbrain.nnet.containers.Sequential
                lin: !name:speechbrain.nnet.linear.Linear
                    n_neurons: 9
                    combine_dims: True
                bn: !name:speechbrain.nnet.normalization.BatchNorm1d
            rnn: !name:speechbrain.nnet.RNN.GRU
                hidden_size: 3
    """,
    # recipes/WSJ0Mix/separation/hparams/dprnn.yaml, small: Dual_Path_Model deep-copies the
    # SBRNNBlock templates into num_layers blocks.
    "dprnn": """
        N: 16
        Encoder: !new:speechbrain.lobes.models.dual_path.Encoder
            kernel_size: 8
            out_channels: !ref <N>
        intra: !new:speechbrain.lobes.models.dual_path.SBRNNBlock
            num_layers: 1
            input_size: 12
            hidden_channels: 10
            dropout: 0
            bidirectional: True
        inter: !new:speechbrain.lobes.models.dual_path.SBRNNBlock
            num_layers: 2
            input_size: 12
            hidden_channels: 7
            rnn_type: GRU
            bidirectional: False
        MaskNet: !new:speechbrain.lobes.models.dual_path.Dual_Path_Model
            num_spks: 3
            in_channels: !ref <N>
            out_channels: 12
            num_layers: 3
            K: 50
            intra_model: !ref <intra>
            inter_model: !ref <inter>
            norm: ln
            linear_layer_after_inter_intra: True
            skip_around_intra: True
        Decoder: !new:speechbrain.lobes.models.dual_path.Decoder
            in_channels: !ref <N>
            out_channels: 1
            kernel_size: 8
            stride: 4
            bias: False
        modules:
            encoder: !ref <Encoder>
            decoder: !ref <Decoder>
            masknet: !ref <MaskNet>
    """,
    # recipes/WSJ0Mix/separation/hparams/skim.yaml, small: SkiM's SegLSTM and MemLSTM templates.
    "skim": """
        N: 12
        latent: 9
        Encoder: !new:speechbrain.lobes.models.dual_path.Encoder
            kernel_size: 4
            out_channels: !ref <N>
        intra_mdl: !new:speechbrain.lobes.models.resepformer.SegLSTM
            input_size: !ref <N>
            hidden_size: !ref <latent>
            bidirectional: True
            norm_type: gln
        mem_mdl: !new:speechbrain.lobes.models.resepformer.MemLSTM
            hidden_size: !ref <latent>
            bidirectional: True
            norm_type: gln
            mem_type: hc
        MaskNet: !new:speechbrain.lobes.models.resepformer.ResourceEfficientSeparator
            input_dim: !ref <N>
            num_spk: 2
            causal: False
            unit: !ref <latent>
            segment_size: 15
            layer: 4
            mem_type: hc
            seg_model: !ref <intra_mdl>
            mem_model: !ref <mem_mdl>
        Decoder: !new:speechbrain.lobes.models.dual_path.Decoder
            in_channels: !ref <N>
            out_channels: 1
            kernel_size: 4
            stride: 2
        modules:
            encoder: !ref <Encoder>
            decoder: !ref <Decoder>
            masknet: !ref <MaskNet>
    """,
    # SkiM with a one-directional SegLSTM and a memory of h only.
    "skim_h": """
        seg: !new:speechbrain.lobes.models.resepformer.SegLSTM
            input_size: 10
            hidden_size: 6
            bidirectional: False
        mem: !new:speechbrain.lobes.models.resepformer.MemLSTM
            hidden_size: 6
            bidirectional: False
            mem_type: h
        MaskNet: !new:speechbrain.lobes.models.resepformer.ResourceEfficientSeparator
            input_dim: 10
            num_spk: 3
            layer: 3
            mem_type: h
            seg_model: !ref <seg>
            mem_model: !ref <mem>
        modules:
            masknet: !ref <MaskNet>
    """,
}


def build(yaml_text: str) -> dict[str, Any]:
    import torch
    from hyperpyyaml import load_hyperpyyaml

    hparams = load_hyperpyyaml(yaml_text)
    modules: dict[str, int] = {}
    seen: dict[int, torch.nn.Module] = {}
    for key, value in hparams.items():
        if isinstance(value, torch.nn.Module) and not isinstance(value, torch.nn.ModuleList):
            modules[key] = sum(p.numel() for p in value.parameters())
            seen[id(value)] = value
    if "modules" in hparams:
        # The model a recipe trains is its `modules`; templates a separator deep-copies are not in it.
        seen = {id(m): m for m in hparams["modules"].values()}
        modules = {k: n for k, n in modules.items() if id(hparams[k]) in seen}
    total = sum(sum(p.numel() for p in m.parameters()) for m in seen.values())
    return {"modules": modules, "total": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sys.meta_path.append(_Stub())
    import speechbrain

    cases = []
    for name, text in CASES.items():
        yaml_text = textwrap.dedent(text).lstrip("\n")
        cases.append({"name": name, "yaml": yaml_text, **build(yaml_text)})
    payload = {"speechbrain": getattr(speechbrain, "__version__", "?"), "cases": cases}
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
