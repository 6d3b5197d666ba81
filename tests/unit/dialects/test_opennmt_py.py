"""opennmt-py: OpenNMT-py training YAML (v1/v2 and v3 keys), through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, REPO


def _lint(run_cli, write, text: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", write("train.yaml", text))
    assert result.code in (0, 1), result.err
    data: dict[str, Any] = result.json()["files"][0]
    return data


def _layers(entry: dict[str, Any]) -> dict[str, int | None]:
    return {layer["name"]: layer["params"] for layer in entry["layers"]}


def _notes(entry: dict[str, Any]) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]


def _omitted(entry: dict[str, Any]) -> list[str]:
    """The per-file JSON ``omitted`` list (RNN106 prints the same messages beside recurrent layers)."""
    listed = [o["message"] for o in entry["omitted"]]
    if entry["layers"]:
        assert sorted(listed) == sorted(d["message"] for d in entry["diagnostics"] if d["code"] == "RNN106")
    return listed


def _codes(entry: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


def test_v2_keys_brnn_gru_input_feed(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        save_model: models/m
        encoder_type: brnn
        decoder_type: rnn
        rnn_type: GRU
        word_vec_size: 100
        rnn_size: 150
        layers: 1
        input_feed: 1
        """,
    )
    assert entry["dialect"] == "opennmt-py"
    # brnn: 75 per direction; decoder GRUCell(100 + 150, 150); general attention: linear_in + linear_out
    assert _layers(entry) == {"encoder": 79_650, "decoder": 180_900, "decoder.attn": 150 * 150 + 300 * 150}
    # Embeddings and generator are vocabulary-sized: omitted, so the total is a lower bound.
    assert entry["complete"] is False and entry["total_params"] is None
    assert entry["counted_params"] == 79_650 + 180_900 + 67_500
    assert any("global_attention general" in n for n in _notes(entry))
    assert any("embeddings are not counted" in m for m in _omitted(entry))


def test_v3_keys_separate_sides_no_input_feed(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        save_data: run/example
        encoder_type: rnn
        decoder_type: rnn
        rnn_type: LSTM
        src_word_vec_size: 32
        tgt_word_vec_size: 16
        enc_hid_size: 64
        dec_hid_size: 64
        enc_layers: 1
        dec_layers: 3
        input_feed: 0
        """,
    )
    dec_first = 4 * 64 * (16 + 64) + 8 * 64
    dec_rest = 4 * 64 * 128 + 8 * 64
    attn = 64 * 64 + 128 * 64  # general (the default): linear_in + linear_out
    assert _layers(entry) == {
        "encoder": 4 * 64 * 96 + 8 * 64,
        "decoder": dec_first + 2 * dec_rest,
        "decoder.attn": attn,
    }


def test_defaults_only_data_yaml(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        data:
          corpus_1:
            path_src: src-train.txt
            path_tgt: tgt-train.txt
        """,
    )
    assert _layers(entry) == {"encoder": 4_008_000, "decoder": 5_008_000, "decoder.attn": 750_000}
    assert entry["complete"] is False
    notes = _notes(entry)
    assert any("encoder: OpenNMT-py (v3) defaults assumed" in n and "enc_layers 2" in n for n in notes)
    assert any("decoder" in n and "input_feed 1" in n for n in notes)


def test_bridge_counted_and_vocabulary_caps_are_omitted(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        src_vocab: vocab.src
        src_vocab_size: 1000
        tgt_vocab_size: 2000
        encoder_type: brnn
        rnn_type: LSTM
        word_vec_size: 8
        hidden_size: 16
        layers: 2
        bridge: true
        input_feed: 1
        decoder_type: rnn
        global_attention: dot
        """,
    )
    layers = _layers(entry)
    assert layers["encoder.bridge[0]"] == layers["encoder.bridge[1]"] == 16 * 16 + 16  # 8 per direction x 2 layers
    assert layers["decoder.attn"] == 32 * 16  # dot: linear_out only, no bias
    assert not any("embeddings" in name for name in layers)
    omitted = _omitted(entry)
    assert any("src_vocab_size and tgt_vocab_size only cap the vocabulary" in m for m in omitted)
    assert any("the generator Linear(16, target vocabulary)" in m for m in omitted)
    assert entry["complete"] is False and entry["total_params"] is None


def test_sru_is_unknown(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, write, "save_model: m\nencoder_type: rnn\nrnn_type: SRU\ninput_feed: 0\n")
    assert _layers(entry)["encoder"] is None
    assert any(d["code"] == "RNN205" and "SRU" in d["message"] for d in entry["diagnostics"])


@pytest.mark.parametrize("kind", ["transformer", "cnn"])
def test_non_recurrent_models_carry_one_omission(run_cli, write, kind: str) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        f"save_model: m\nencoder_type: {kind}\ndecoder_type: {kind}\nrnn_size: 512\nlayers: 6\nword_vec_size: 512\n",
    )
    assert entry["layers"] == [] and _notes(entry) == []
    assert entry["complete"] is False and entry["total_params"] is None
    omitted = _omitted(entry)
    assert omitted and all(f"the {kind} encoder and the {kind} decoder" in m for m in omitted)


def test_language_model_builds_no_encoder(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # The replicate_vicuna layout: model_task lm, decoder_type transformer_lm and no encoder_type.
    entry = _lint(
        run_cli,
        write,
        """
        data:
          alpaca:
            path_src: alpaca.txt
        save_model: llama
        model_task: lm
        decoder_type: transformer_lm
        dec_layers: 32
        heads: 32
        hidden_size: 4096
        word_vec_size: 4096
        dropout: [0.0]
        """,
    )
    assert entry["layers"] == [] and entry["diagnostics"] == []  # no RNN: no RNN104, and RNN106 stays quiet
    assert entry["complete"] is False and entry["total_params"] is None and entry["counted_params"] is None
    assert any("the transformer_lm decoder" in m and "recurrent models only" in m for m in _omitted(entry))


def test_language_model_with_rnn_decoder_counts_only_the_decoder(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        "save_model: m\nmodel_task: lm\ndecoder_type: rnn\nrnn_type: GRU\nhidden_size: 8\nword_vec_size: 4\n"
        "layers: 1\ninput_feed: 0\nglobal_attention: none\n",
    )
    assert _layers(entry) == {"decoder": 3 * 8 * (4 + 8) + 6 * 8}
    assert any("shared source/target embeddings" in m for m in _omitted(entry))


def test_rnn203_only_where_torch_gets_the_dropout(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # The encoder hands dropout to nn.GRU (torch warns with one layer); the input-feed decoder's
    # StackedGRU applies its own nn.Dropout between GRUCells, so torch never sees it.
    text = "save_model: m\nencoder_type: rnn\nrnn_type: GRU\nhidden_size: 8\nword_vec_size: 4\nlayers: 1\n"
    entry = _lint(run_cli, write, text + "dropout: [0.3]\ninput_feed: 1\n")
    assert [m.split(" ")[0] for m in _codes(entry, "RNN203")] == ["encoder"]
    entry = _lint(run_cli, write, text + "dropout: 0.3\ninput_feed: 0\n")
    assert sorted(m.split(" ")[0] for m in _codes(entry, "RNN203")) == ["decoder", "encoder"]


def test_attention_copy_coverage_and_context_gate(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        save_model: m
        encoder_type: rnn
        rnn_type: LSTM
        hidden_size: 10
        word_vec_size: 6
        layers: 1
        input_feed: 1
        global_attention: mlp
        coverage_attn: true
        copy_attn: true
        copy_attn_type: dot
        context_gate: source
        """,
    )
    layers = _layers(entry)
    h, rnn_in = 10, 6 + 10
    assert layers["decoder.attn"] == h * h + (h * h + h) + h + (2 * h * h + h) + h  # mlp + linear_cover
    assert layers["decoder.copy_attn"] == 2 * h * h  # dot, no coverage
    assert layers["decoder.context_gate"] == (rnn_in + 2 * h) * h + h + (h * h + h) + (rnn_in + h) * h + h
    assert layers["generator.linear_copy"] == h + 1
    assert any("the copy generator's Linear(10, target vocabulary)" in m for m in _omitted(entry))


def test_opennmt_kpg_builds_a_bilinear_and_one_decoder_layer(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        """
        model_type: keyphrase
        save_model: m
        encoder_type: brnn
        rnn_type: GRU
        word_vec_size: 8
        rnn_size: 12
        layers: 2
        global_attention: dot
        input_feed: 1
        """,
    )
    layers = _layers(entry)
    assert layers["decoder.bilinear_layer"] == 12 * 12 + 1
    assert layers["decoder"] == 3 * 12 * (8 + 12 + 12) + 6 * 12  # one GRUCell layer, whatever `layers` says
    assert layers["encoder"] == 2 * (3 * 6 * (8 + 6) + 6 * 6) + 2 * (3 * 6 * (12 + 6) + 6 * 6)


def test_not_detected_on_unrelated_yaml(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, write, "layers: 2\nhidden_size: 10\nrnn_type: lstm\n")
    assert entry["skipped"] is True


@pytest.mark.skipif(not (CORPUS / "opennmt-py").is_dir(), reason="../shared/corpus is not present")
def test_corpus_folder_lints_and_transformers_are_empty(run_cli) -> None:  # type: ignore[no-untyped-def]
    data = run_cli("--format", "json", CORPUS / "opennmt-py").json()
    for entry in data["files"]:
        assert entry["dialect"] == "opennmt-py", entry["path"]
        if "transformer" in Path(entry["path"]).name or "wmt17" in entry["path"]:
            assert entry["layers"] == [] and entry["complete"] is False


def test_forced_on_a_list_is_a_located_error_not_a_crash(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--dialect", "opennmt-py", write("x.yaml", "- 1\n- 2\n"))
    assert result.code == 1 and "Traceback" not in result.err
    [diag] = result.json()["files"][0]["diagnostics"]
    assert (diag["code"], diag["line"], diag["column"]) == ("RNN002", 1, 1)


FIXTURES = json.loads((REPO / "tests" / "fixtures" / "opennmt_cases.json").read_text(encoding="utf-8"))
FIXTURES_V2 = json.loads((REPO / "tests" / "fixtures" / "opennmt_v2_cases.json").read_text(encoding="utf-8"))


def test_golden_fixtures_match_the_model_builder(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Cases built by tools/gen_opennmt_fixtures.py with OpenNMT-py 3.5.1 and 2.3.0 (and kpg mirrored)."""
    cases = FIXTURES["cases"] + FIXTURES_V2["cases"]
    assert len(cases) >= 13 and any(not c["builds_encoder"] for c in cases)
    assert {c["toolkit"] for c in cases} >= {"OpenNMT-py 3.5.1", "OpenNMT-py 2.3.0"}
    for case in cases:
        (tmp_path / f"{case['id']}.yaml").write_text(case["yaml"], encoding="utf-8")
    data = run_cli("--format", "json", "--dialect", "opennmt-py", *[tmp_path / f"{c['id']}.yaml" for c in cases])
    files = {Path(f["path"]).stem: f for f in data.json()["files"]}
    for case in cases:
        entry = files[case["id"]]
        assert _layers(entry) == case["counted"], case["id"]
        assert ("encoder" in _layers(entry) or "encoder" in case["not_counted"]) == case["builds_encoder"], case["id"]
        # Vocabulary-sized and non-recurrent parts are omitted: never complete, counted is what torch holds minus them.
        assert entry["complete"] is False and entry["total_params"] is None, case["id"]
        counted = sum(case["counted"].values()) or None
        assert entry["counted_params"] == counted, case["id"]
        if case["total"] is not None:
            assert case["total"] == sum(case["counted"].values()) + sum(case["not_counted"].values())


def test_opennmt_kpg_target_encoder(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "model_type: keyphrase\nsave_model: m\nencoder_type: rnn\nrnn_type: GRU\nword_vec_size: 4\nrnn_size: 6\n"
        "layers: 1\nglobal_attention: dot\ntarget_encoder_type: rnn\ndropout: 0.2\n"
    )
    entry = _lint(run_cli, write, text + "input_feed: 1\n")
    layers = _layers(entry)
    assert layers["decoder.target_encoder"] == 3 * 6 * (4 + 6) + 6 * 6
    assert layers["decoder"] == 3 * 6 * (4 + 6 + 6 + 6) + 6 * 6  # embedding + input feed + target encoding
    # The input-feed decoder builds the target encoder as a one-GRUCell StackedGRU: torch gets no dropout.
    assert [m.split(" ")[0] for m in _codes(entry, "RNN203")] == ["encoder"]
    entry = _lint(run_cli, write, text + "input_feed: 0\n")
    assert sorted(m.split(" ")[0] for m in _codes(entry, "RNN203")) == ["decoder", "decoder.target_encoder", "encoder"]
