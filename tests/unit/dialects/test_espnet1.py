"""ESPnet1 configs through the real CLI: the model-module table, RNN/VGG encoders, attention,
decoders, transducers, LMs, Tacotron2; counts against the real espnet model classes."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from rnnlint.dialects import AdaptOptions, espnet1
from rnnlint.parse.yaml import parse_yaml
from tests.conftest import SHARED, needs_shared

HERE = Path(__file__).parent / "espnet1"
FIXTURE = Path(__file__).parents[2] / "fixtures" / "espnet1_models.json"
CASES = json.loads(FIXTURE.read_text())["cases"]


def _lstm(i: int, h: int, directions: int = 1, gates: int = 4, bias: int = 2) -> int:
    """One layer of torch nn.LSTM/GRU (or one cell), written out independently of rnnlint."""
    return directions * gates * (h * (i + h) + bias * h)


def _entry(run_cli, path: Any, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--isolated", *args, path)
    assert "Traceback" not in result.out + result.err
    files = [f for f in result.json()["files"] if not f["skipped"]]
    assert len(files) == 1
    entry: dict[str, Any] = files[0]
    assert entry["dialect"] == "espnet1"
    return entry


def _layers(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {layer["name"]: layer for layer in entry["layers"]}


def _codes(entry: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


def _notes(entry: dict[str, Any]) -> list[str]:
    return _codes(entry, "RNN104")


def _omissions(entry: dict[str, Any]) -> list[str]:
    """The omissions: the per-file ``omitted`` list, or RNN106's notes where a model has an RNN."""
    listed = [o["message"] if isinstance(o, dict) else str(o) for o in entry.get("omitted", [])]
    return listed + _codes(entry, "RNN106")


def _assert_lower_bound(entry: dict[str, Any]) -> None:
    assert entry["complete"] is False and entry["total_params"] is None


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_counts_match_the_espnet_model(run_cli, tmp_path: Path, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    # The fixture: espnet's own model class built from this config by its trainer's parser
    # (tools/gen_espnet1_fixtures.py); idim 83 is rnnlint's assumed feature dimension too.
    path = tmp_path / f"{case['name']}.yaml"
    path.write_text(yaml.safe_dump(case["config"]))
    if case["trainer"].endswith(("/asr_train.py", "/st_train.py")):
        assert case["idim"] == 83
    entry = _entry(run_cli, path)
    assert not _codes(entry, "RNN205")
    if case["counted"] == 0:
        assert entry["layers"] == [] and entry["counted_params"] is None
    else:
        assert entry["counted_params"] == case["counted"]
    assert entry["recurrent_params"] == case["recurrent"]
    # Every model has parts sized by the token list or the features: never complete.
    assert case["omitted"] > 0
    if case["recurrent_omitted"]:  # RNNs rnnlint leaves out (the front end's) are named as such
        assert any("RNN" in message for message in _omissions(entry))
    _assert_lower_bound(entry)


@pytest.mark.parametrize("name", ["maskctc.yaml", "conformer.yaml"])
def test_non_recurrent_model_modules_build_no_layer(run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / name)
    assert entry["layers"] == []
    assert entry["counted_params"] is None
    _assert_lower_bound(entry)
    assert not _notes(entry) and not _codes(entry, "RNN205")  # no RNN defaults, nothing "cannot count"
    messages = _omissions(entry)
    assert len(messages) <= 1
    if messages:
        assert "rnnlint counts recurrent models only" in messages[0]


def test_the_omission_names_the_model() -> None:
    docs, problems = parse_yaml((HERE / "maskctc.yaml").read_text())
    assert not problems
    model = espnet1.adapt(docs[0], AdaptOptions(path="maskctc.yaml")).model
    assert [o.message for o in model.omitted] == [
        "the Mask-CTC Transformer/Conformer encoder and decoder "
        "(espnet.nets.pytorch_backend.e2e_asr_maskctc:E2E): rnnlint counts recurrent models only"
    ]
    assert model.layers == () and model.assumptions == ()


def test_module_not_in_the_table_is_rnn205_not_the_rnn_default(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "unknown_module.yaml")
    assert [layer["recurrent"] for layer in entry["layers"]] == [False]
    (message,) = _codes(entry, "RNN205")
    assert "cannot count layer type 'mylab.nets.e2e_asr_fancy:E2E'" in message and "not in rnnlint's table" in message
    assert not _notes(entry)  # the etype/elayers keys are never read with the RNN defaults
    _assert_lower_bound(entry)


def test_chainer_backend_is_unknown(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("train.yaml", "backend: chainer\netype: blstmp\nelayers: 1\neunits: 8\n"))
    assert _codes(entry, "RNN205") and not any(layer["recurrent"] for layer in entry["layers"])


def test_custom_transducer_encoder_is_omitted_and_its_lstm_decoder_counted(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "transducer_custom_encoder.yaml")
    layers = _layers(entry)
    # transducer/rnn_decoder.py: nn.LSTM(dec-embed-dim 10, 12), then nn.LSTM(12, 12).
    assert layers["decoder"]["params"] == _lstm(10, 12) + _lstm(12, 12)
    assert [n for n, layer in layers.items() if layer["recurrent"]] == ["decoder"]
    assert "encoder" not in layers and "joint network" not in layers
    assert entry["recurrent_params"] == entry["counted_params"] == _lstm(10, 12) + _lstm(12, 12)
    # Every size the decoder needs is in the file: no RNN defaults, nothing about etype/eunits/eprojs.
    assert not _notes(entry)
    omissions = " | ".join(_omissions(entry))
    assert "custom encoder (etype: custom" in omissions
    assert "lin_enc/lin_dec" in omissions and "Linear(joint-dim, odim)" in omissions
    _assert_lower_bound(entry)


def test_custom_custom_transducer_counts_nothing_and_notes_nothing(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "transducer_custom_custom.yaml")
    assert entry["layers"] == [] and entry["counted_params"] is None
    assert not _notes(entry) and not _codes(entry, "RNN205")
    _assert_lower_bound(entry)


def test_location_attention_is_counted_exactly(run_cli) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "location_attention.yaml")
    layers = _layers(entry)
    eprojs, dunits, adim, chans, filts = 12, 10, 8, 4, 3
    # rnn/attentions.py AttLoc: mlp_enc (bias), mlp_dec, mlp_att (no bias), loc_conv (no bias), gvec.
    expected = (eprojs * adim + adim) + dunits * adim + chans * adim + chans * (2 * filts + 1) + (adim + 1)
    assert layers["attention"]["params"] == expected and layers["attention"]["recurrent"] is False
    vgg_out = 128 * math.ceil(math.ceil(83 / 2) / 2)
    assert layers["encoder"]["params"] == _lstm(vgg_out, 16, 2) + _lstm(eprojs, 16, 2)
    assert layers["decoder"]["params"] == _lstm(dunits + eprojs, dunits)
    # No note blames the vocabulary for the fixed-size attention; its sizes are all stated.
    for message in _notes(entry) + _omissions(entry):
        assert "attention" not in message
    assert not any("atype" in n or "adim" in n for n in _notes(entry))
    omissions = " | ".join(_omissions(entry))
    assert "Embedding(odim, dunits)" in omissions and "CTC layer Linear(eprojs, odim)" in omissions
    _assert_lower_bound(entry)


def test_unstated_attention_is_the_dot_default_with_a_note(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "etype: blstm\nelayers: 1\neunits: 8\neprojs: 6\ndunits: 5\nbackend: pytorch\n"
    entry = _entry(run_cli, write("train.yaml", text))
    # rnn/argument.py: atype dot, adim 320; AttDot is mlp_enc + mlp_dec, both with bias.
    assert _layers(entry)["attention"]["params"] == (6 * 320 + 320) + (5 * 320 + 320)
    (note,) = [n for n in _notes(entry) if "defaults assumed" in n]
    assert "atype: dot" in note and "adim: 320" in note


def test_location_attention_without_aconv_chans_is_an_omission(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "etype: blstm\nelayers: 1\neunits: 8\neprojs: 6\ndunits: 5\natype: location\nadim: 4\n"
    entry = _entry(run_cli, write("train.yaml", text))
    assert "attention" not in _layers(entry)
    assert any("aconv-chans" in m and "-1" in m for m in _omissions(entry))


def test_num_spkrs_defaults_to_one(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, HERE / "multispeaker.yaml")
    layers = _layers(entry)
    assert "encoder speaker-differentiating" in layers  # one copy, not x2
    (note,) = [n for n in _notes(entry) if "defaults assumed" in n]
    assert "num-spkrs: 1" in note
    two = (HERE / "multispeaker.yaml").read_text() + "num-spkrs: 2\n"
    entry = _entry(run_cli, write("mix2.yaml", two))
    layers = _layers(entry)
    assert layers["encoder speaker-differentiating x2"]["params"] == 2 * _lstm(2688, 8, 2)
    assert not any("num-spkrs" in n for n in _notes(entry))


def test_two_speakers_without_model_module_mean_e2e_asr_mix(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = "num-spkrs: 2\netype: vggblstmp\nelayers-sd: 1\nelayers: 1\neunits: 8\neprojs: 6\ndunits: 5\n"
    entry = _entry(run_cli, write("train.yaml", text))
    assert "encoder speaker-differentiating x2" in _layers(entry)


def test_rnn203_only_where_dropout_reaches_a_single_layer_torch_rnn(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # rnn/encoders.py RNN passes dropout to nn.LSTM(elayers): one layer + dropout is RNN203.
    rnn = _entry(run_cli, write("rnn.yaml", "etype: blstm\nelayers: 1\neunits: 8\neprojs: 8\ndropout-rate: 0.2\n"))
    assert _codes(rnn, "RNN203")
    # RNNP builds one-layer RNNs without dropout (F.dropout between them): no RNN203.
    rnnp = _entry(run_cli, write("rnnp.yaml", "etype: blstmp\nelayers: 1\neunits: 8\neprojs: 8\ndropout-rate: 0.2\n"))
    assert not _codes(rnnp, "RNN203")
    # transducer/rnn_encoder.py: one-layer RNNs with an nn.Dropout between them: no RNN203.
    rnnt = (
        "model-module: espnet.nets.pytorch_backend.e2e_asr_transducer:E2E\n"
        "etype: blstm\nelayers: 1\neunits: 8\neprojs: 8\ndropout-rate: 0.2\n"
    )
    assert not _codes(_entry(run_cli, write("rnnt.yaml", rnnt)), "RNN203")
    # lm/seq_rnn.py: nn.LSTM(unit, unit, layer, dropout=dropout_rate).
    seq = _entry(run_cli, write("seq.yaml", "model-module: seq_rnn\nlayer: 1\nunit: 8\ndropout-rate: 0.5\n"))
    assert _codes(seq, "RNN203")


BLSTMP = """\
# encoder related
etype: blstmp
elayers: 2
eunits: 10
eprojs: 6
subsample: "1_2_2"
# decoder related
dlayers: 1
dunits: 8
batch-size: 30
"""


def test_blstmp_rnnp_stack_with_assumed_idim(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("train.yaml", BLSTMP))
    layers = _layers(entry)
    # RNNP: separate one-layer BLSTMs, layer 0 from idim 83, layer 1 from eprojs 6.
    assert layers["encoder"]["params"] == _lstm(83, 10, 2) + _lstm(6, 10, 2)
    assert layers["encoder"]["recurrent"] is True
    assert (layers["encoder"]["line"], layers["encoder"]["column"]) == (2, 1)
    # The bottlenecks Linear(2 * eunits, eprojs) are their own non-recurrent entry.
    projections = layers["encoder projections (bt0-bt1)"]
    assert projections["params"] == 2 * (20 * 6 + 6) and projections["recurrent"] is False
    # Decoder LSTMCell(dunits + eprojs, dunits).
    assert layers["decoder"]["params"] == _lstm(8 + 6, 8)
    notes = _notes(entry)
    assert any("assumed 83" in n and "input_size = N" in n for n in notes)
    assert any("dtype: lstm" in n and "backend: pytorch" in n for n in notes)
    _assert_lower_bound(entry)


def test_input_size_override_replaces_the_idim_assumption(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("train.yaml", BLSTMP)
    config = write("pyproject.toml", '[[tool.rnnlint.overrides]]\nfiles = ["train.yaml"]\ninput_size = 40\n')
    result = run_cli("--format", "json", "--config", config, path)
    entry = result.json()["files"][0]
    assert _layers(entry)["encoder"]["params"] == _lstm(40, 10, 2) + _lstm(6, 10, 2)
    assert not any("assumed 83" in n for n in _notes(entry))


def test_etype_transformer_without_a_model_module_is_unknown(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("etype.yaml", "etype: transformer\nelayers: 12\neunits: 2048\n"))
    assert _codes(entry, "RNN205")
    assert not any(layer["recurrent"] for layer in entry["layers"])


def test_language_models(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    default = _entry(run_cli, write("lm.yaml", "layer: 2\nunit: 16\nbatchsize: 512\nepoch: 20\n"))
    assert _layers(default)["lm"]["params"] == 2 * _lstm(16, 16)
    assert _layers(default)["lm"]["type"] == "lstm_cell"
    seq = _entry(run_cli, write("seq.yaml", "layer: 1\nunit: 16\ntype: gru\nmodel-module: seq_rnn\n"))
    assert _layers(seq)["lm"]["params"] == _lstm(16, 16, gates=3)
    transformer = _entry(run_cli, write("tlm.yaml", "layer: 16\nunit: 2048\nmodel-module: transformer\n"))
    assert transformer["layers"] == [] and not _notes(transformer)
    _assert_lower_bound(transformer)


def test_tacotron2_eunits_is_the_total_width(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "embed-dim: 32\nelayers: 1\neunits: 20\neconv-layers: 0\n"
        "econv-chans: 32\ndlayers: 1\ndunits: 24\nprenet-layers: 2\nprenet-units: 8\n"
        "atype: location\nadim: 6\naconv-chans: 2\naconv-filts: 1\npostnet-layers: 2\n"
    )
    entry = _entry(run_cli, write("tts.yaml", text))
    layers = _layers(entry)
    # Without convolutions the BLSTM reads embed-dim; eunits 20 is 10 per direction.
    assert layers["encoder"]["params"] == _lstm(32, 10, 2)
    assert layers["decoder"]["params"] == _lstm(20 + 8, 24)
    # AttLoc(eunits, dunits, adim, aconv-chans, aconv-filts).
    assert layers["attention"]["params"] == (20 * 6 + 6) + 24 * 6 + 2 * 6 + 2 * 3 + 7
    assert "encoder convolutions" not in layers
    # prenet layer 2 Linear(8, 8); with two postnet layers both read odim: no middle convolution.
    assert layers["prenet layers 1+"]["params"] == 8 * 8 + 8
    assert "postnet middle convolutions" not in layers
    assert not _notes(entry)


def test_transducer_rnn_encoder_sums_directions(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "model-module: espnet.nets.pytorch_backend.e2e_asr_transducer:E2E\n"
        "etype: blstm\nelayers: 3\neunits: 8\neprojs: 6\ndtype: lstm\ndlayers: 1\ndunits: 5\ndec-embed-dim: 4\n"
        "joint-dim: 3\n"
    )
    entry = _entry(run_cli, write("rnnt.yaml", text))
    layers = _layers(entry)
    assert layers["encoder"]["params"] == _lstm(83, 8, 2) + 2 * _lstm(8, 8, 2)
    assert layers["encoder output projection (l_last)"]["params"] == 8 * 6 + 6
    assert layers["decoder"]["params"] == _lstm(4, 5)
    # joint_network.py: lin_enc Linear(eprojs, joint-dim) + lin_dec Linear(dunits, joint-dim, bias=False).
    assert layers["joint network"]["params"] == (6 * 3 + 3) + 5 * 3


def test_machine_translation_encoder_reads_eunits(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # e2e_mt.py: Embedding(idim, eunits) then encoder_for(args, eunits): the encoder reads eunits.
    text = "etype: blstm\nelayers: 1\neunits: 8\neprojs: 8\ndlayers: 1\ndunits: 12\ntie-src-tgt-embedding: false\n"
    entry = _entry(run_cli, write("mt.yaml", text))
    assert _layers(entry)["encoder"]["params"] == _lstm(8, 8, 2)
    assert not any("idim" in n for n in _notes(entry))
    assert any("source embedding" in m for m in _omissions(entry))


def test_an_mt1_recipe_directory_means_mt_train(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # No MT-only key: the recipe directory (its run.sh calls mt_train.py) says e2e_mt.
    text = "etype: blstm\nelayers: 1\neunits: 8\neprojs: 8\ndlayers: 1\ndunits: 12\n"
    entry = _entry(run_cli, write("egs/jesc/mt1/conf/tuning/train_rnn.yaml", text))
    assert _layers(entry)["encoder"]["params"] == _lstm(8, 8, 2)
    asr = _entry(run_cli, write("egs/jesc/asr1/conf/train.yaml", text))
    assert _layers(asr)["encoder"]["params"] == _lstm(83, 8, 2)
    st = _entry(run_cli, write("egs/x/st1/conf/train.yaml", text))
    assert not any("CTC" in m for m in _omissions(st))  # e2e_st builds CTC only for asr-weight > 0


def test_unknown_etype_is_rnn205(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(run_cli, write("train.yaml", "etype: blstmx\nelayers: 1\neunits: 8\neprojs: 8\n"))
    assert any(d["code"] == "RNN205" for d in entry["diagnostics"])


def test_model_module_table_cites_only_real_espnet_paths() -> None:
    assert not set(espnet1.RNN_MODULES) & set(espnet1.NON_RNN_MODULES)
    for path in [*espnet1.RNN_MODULES, *espnet1.NON_RNN_MODULES]:
        module, _, cls = path.partition(":")
        assert module.startswith("espnet.nets.") and cls


def test_detection_negatives() -> None:
    assert not espnet1.detect({"encoder": "rnn", "encoder_conf": {"num_layers": 2}})
    assert not espnet1.detect({"model": {"layers": []}, "etype": "blstm"})
    assert not espnet1.detect({"layer": 2, "unit": 10})  # no ESPnet1 training key beside them
    assert espnet1.detect({"layer": 2, "unit": 10, "batchsize": 4})


@needs_shared
def test_real_espnet_configs_never_report_an_rnn_for_a_non_recurrent_model(run_cli) -> None:  # type: ignore[no-untyped-def]
    tree = SHARED / "realworld" / "Masao-Someki+espnet" / "egs"
    paths = []
    for path in sorted(tree.glob("*/*/conf/**/*.yaml")):
        text = path.read_text(errors="replace")
        if "model-module" not in text:
            continue
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        module = data.get("model-module") if isinstance(data, dict) else None
        if isinstance(module, str) and espnet1.LM_ALIASES.get(module, module) in espnet1.NON_RNN_MODULES:
            paths.append(path)
    assert len(paths) > 200  # Transformer, Conformer, Mask-CTC, FastSpeech, ... recipes
    result = run_cli("--format", "json", "--isolated", "--no-cache", *paths)
    files = [f for f in result.json()["files"] if not f["skipped"]]
    assert len(files) == len(paths)
    for entry in files:
        assert entry["dialect"] == "espnet1"
        assert entry["layers"] == [] and entry["recurrent_params"] in (0, None), entry["path"]
        assert not _notes(entry) and not _codes(entry, "RNN205"), entry["path"]
        _assert_lower_bound(entry)
