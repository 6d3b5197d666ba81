"""opennmt-py: OpenNMT-py training YAML (v1/v2 and v3 keys), through the real CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS


def _lint(run_cli, write, text: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", write("train.yaml", text))
    assert result.code in (0, 1), result.err
    data: dict[str, Any] = result.json()["files"][0]
    return data


def _layers(entry: dict[str, Any]) -> dict[str, int | None]:
    return {layer["name"]: layer["params"] for layer in entry["layers"]}


def _notes(entry: dict[str, Any]) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == "RNN104"]


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
    # brnn: 75 per direction; decoder GRUCell(100 + 150, 150)
    assert _layers(entry) == {"encoder": 79_650, "decoder": 180_900}
    assert entry["complete"] is True and _notes(entry) == []


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
    assert _layers(entry) == {"encoder": 4 * 64 * 96 + 8 * 64, "decoder": dec_first + 2 * dec_rest}


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
    assert _layers(entry) == {"encoder": 4_008_000, "decoder": 5_008_000}
    assert entry["complete"] is False
    notes = _notes(entry)
    assert any("encoder: OpenNMT-py (v3) defaults assumed" in n and "enc_layers 2" in n for n in notes)
    assert any("decoder" in n and "input_feed 1" in n for n in notes)


def test_bridge_and_embeddings_from_vocab_sizes(run_cli, write) -> None:  # type: ignore[no-untyped-def]
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
        """,
    )
    layers = _layers(entry)
    assert layers["encoder.bridge[0]"] == layers["encoder.bridge[1]"] == 16 * 16 + 16  # 8 per direction x 2 layers
    assert layers["src_embeddings"] == 8000 and layers["tgt_embeddings"] == 16000
    assert any("which is a cap" in n for n in _notes(entry))


def test_sru_is_unknown(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, write, "save_model: m\nencoder_type: rnn\nrnn_type: SRU\ninput_feed: 0\n")
    assert _layers(entry)["encoder"] is None
    assert any(d["code"] == "RNN205" and "SRU" in d["message"] for d in entry["diagnostics"])


@pytest.mark.parametrize("kind", ["transformer", "cnn"])
def test_non_recurrent_models_have_nothing_to_flag(run_cli, write, kind: str) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(
        run_cli,
        write,
        f"save_model: m\nencoder_type: {kind}\ndecoder_type: {kind}\nrnn_size: 512\nlayers: 6\nword_vec_size: 512\n",
    )
    # Nothing to flag, and nothing to count: the size of a model with no recurrent layer is unknown, not 0.
    assert entry["layers"] == [] and entry["diagnostics"] == [] and entry["complete"] is False
    assert entry["total_params"] is None and entry["counted_params"] is None and entry["omitted"]


def test_not_detected_on_unrelated_yaml(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    entry = _lint(run_cli, write, "layers: 2\nhidden_size: 10\nrnn_type: lstm\n")
    assert entry["skipped"] is True


@pytest.mark.skipif(not (CORPUS / "opennmt-py").is_dir(), reason="../shared/corpus is not present")
def test_corpus_folder_lints_and_transformers_are_empty(run_cli) -> None:  # type: ignore[no-untyped-def]
    data = run_cli("--format", "json", CORPUS / "opennmt-py").json()
    for entry in data["files"]:
        assert entry["dialect"] == "opennmt-py", entry["path"]
        if "transformer" in Path(entry["path"]).name or "wmt17" in entry["path"]:
            assert entry["layers"] == []


def test_forced_on_a_list_is_a_located_error_not_a_crash(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--dialect", "opennmt-py", write("x.yaml", "- 1\n- 2\n"))
    assert result.code == 1 and "Traceback" not in result.err
    [diag] = result.json()["files"][0]["diagnostics"]
    assert (diag["code"], diag["line"], diag["column"]) == ("RNN002", 1, 1)
