"""Asteroid recipe configs: DPRNN(TasNet), Multi-Decoder DPRNN, deep clustering Chimera, the DNS baseline.

The counts are compared with tests/fixtures/asteroid_*.json, built by the real Asteroid 0.7.0 on
torch 2.13.0 (tools/gen_asteroid_fixtures.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rnnlint.dialects import asteroid
from tests.conftest import CORPUS, SHARED, needs_shared

HERE = Path(__file__).parent / "asteroid"
FIXTURES = Path(__file__).parents[2] / "fixtures"
CASES = json.loads((FIXTURES / "asteroid_cases.json").read_text())["cases"]
NEWDIALECTS = json.loads((FIXTURES / "asteroid_newdialects.json").read_text())["cases"]
GROUP = SHARED / "newdialects" / "asteroid"


def _lint(run_cli, *paths: Path | str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--no-cache", "--isolated", *paths)
    assert result.code in (0, 1), result.err
    files: list[dict[str, Any]] = result.json()["files"]
    return files


def _codes(entry: dict[str, Any], code: str) -> list[str]:
    return [d["message"] for d in entry["diagnostics"] if d["code"] == code]


def _recurrent(entry: dict[str, Any]) -> list[int]:
    return [layer["params"] for layer in entry["layers"] if layer["recurrent"]]


def _rnn_modules(case: dict[str, Any]) -> list[int]:
    """The toolkit's torch RNN counts, one per rnnlint entry (MulCat's rnn1 + rnn2 are one entry)."""
    counts: dict[str, int] = {}
    for rnn in case["rnns"]:
        owner = rnn["name"].rsplit(".", 1)[0]
        if case["model"] == "dns":
            owner = "residual_rec"  # StackedResidualRNN is one entry
        counts[owner] = counts.get(owner, 0) + rnn["params"]
    return list(counts.values())


@pytest.mark.parametrize("case", CASES, ids=[c["file"].rsplit("/", 1)[-1] for c in CASES])
def test_counts_match_asteroid(run_cli, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    root = Path(__file__).parents[2].parent
    (entry,) = _lint(run_cli, root / case["file"])
    assert entry["dialect"] == "asteroid"
    kind = case["model"]
    if kind == "unknown":
        assert entry["complete"] is False and entry["total_params"] is None
        assert any("no model rnnlint knows" in m for m in _codes(entry, "RNN205"))
        return
    if kind == "convtasnet":
        assert entry["layers"] == [] and entry["counted_params"] is None and entry["complete"] is False
        assert "rnnlint counts recurrent models only" in entry["omitted"][0]["message"]
        return
    assert _recurrent(entry) == _rnn_modules(case)
    assert entry["recurrent_params"] == case["recurrent_params"]
    assert entry["total_params"] == case["total_params"]
    # Complete only with nothing assumed.
    assert entry["complete"] is (not _codes(entry, "RNN104"))
    assert entry["omitted"] == []
    assert _codes(entry, "RNN205") == []


def test_defaults_are_noted_where_they_change_a_count(run_cli) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _lint(run_cli, HERE / "dprnn_defaults.yaml")
    notes = _codes(entry, "RNN104")
    assert any("rnn_type=LSTM, num_layers=1, use_mulcat=False" in n for n in notes)
    # Stated keys are not noted.
    (stated,) = _lint(run_cli, HERE / "dprnn_gru_two_layers.yaml")
    assert not any("rnn_type=" in n or "num_layers=" in n for n in _codes(stated, "RNN104"))
    (dns,) = _lint(run_cli, HERE / "dns_gru.yaml")
    assert any("--is_complex" in n for n in _codes(dns, "RNN104"))


def test_dropout_note_follows_what_torch_gets(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # DPRNN's SingleRNN passes dropout to a one-layer torch RNN: RNN203 applies.
    dprnn = write(
        "conf.yml",
        "filterbank: {n_filters: 8, kernel_size: 4}\n"
        "masknet: {n_src: 2, bn_chan: 8, hid_size: 8, n_repeats: 1, rnn_type: GRU, num_layers: 1,\n"
        "  bidirectional: true, use_mulcat: false, dropout: 0.2}\n"
        "data: {n_src: 2}\n",
    )
    (entry,) = _lint(run_cli, dprnn)
    assert len(_codes(entry, "RNN203")) == 2
    assert entry["complete"] is True
    # The DNS StackedResidualRNN applies its dropout between one-layer RNNs, never inside torch.
    (dns,) = _lint(run_cli, HERE / "dns_gru.yaml")
    assert _codes(dns, "RNN203") == []


def test_unknown_rnn_type_cannot_be_counted(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "conf.yml",
        "filterbank: {n_filters: 8, kernel_size: 4}\n"
        "masknet: {n_src: 2, bn_chan: 8, hid_size: 8, rnn_type: SRU, n_repeats: 1}\n",
    )
    (entry,) = _lint(run_cli, path)
    assert any("SRU" in m for m in _codes(entry, "RNN205"))
    assert entry["total_params"] is None and entry["complete"] is False


def test_detection_needs_both_sections() -> None:
    assert asteroid.detect({"filterbank": {"n_filters": 64}, "masknet": {"hid_size": 128}})
    assert not asteroid.detect({"masknet": {"hid_size": 128}})
    assert not asteroid.detect({"filterbank": [], "masknet": {}})
    assert not asteroid.detect([1, 2])


@needs_shared
def test_newdialects_files_are_counted_as_asteroid_builds_them(run_cli) -> None:  # type: ignore[no-untyped-def]
    files = sorted(GROUP.glob("*.yml"))
    assert len(files) == 6
    entries = {Path(e["path"]).name: e for e in _lint(run_cli, *files)}
    assert {e["dialect"] for e in entries.values()} == {"asteroid"}
    for case in NEWDIALECTS:
        entry = entries.pop(case["file"])
        assert _recurrent(entry) == _rnn_modules(case), case["file"]
        assert entry["recurrent_params"] == case["recurrent_params"]
        assert entry["total_params"] == case["total_params"], case["file"]
    # What is left: ConvTasNet, which builds no RNN.
    ((name, conv),) = entries.items()
    assert "ConvTasNet" in name and conv["layers"] == [] and conv["complete"] is False
    assert conv["total_params"] is None and conv["omitted"]
    # Exact figures, as built by Asteroid 0.7.0 (tests/fixtures/asteroid_newdialects.json).
    wham = next(c for c in NEWDIALECTS if "wham_DPRNN" in c["file"])
    assert wham["recurrent_params"] == 12 * 264_192 and wham["total_params"] == 3_651_073


@needs_shared
def test_no_other_config_is_claimed() -> None:
    roots = [CORPUS, SHARED / "realworld"]
    for group in (SHARED / "newdialects").iterdir():
        if group.is_dir() and group.name != "asteroid":
            roots.append(group)
    cmd = [sys.executable, "-m", "rnnlint", "--format", "json", "--no-cache", "--isolated", *map(str, roots)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd="/tmp", check=False)
    assert out.returncode in (0, 1), out.stderr[-2000:]
    claimed = [f["path"] for f in json.loads(out.stdout)["files"] if f.get("dialect") == "asteroid"]
    assert claimed == []


def test_n_src_from_masknet_is_an_assumption(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "conf.yml",
        "filterbank: {n_filters: 8, kernel_size: 4}\n"
        "masknet: {n_src: 3, bn_chan: 8, hid_size: 8, n_repeats: 1, rnn_type: LSTM, num_layers: 1,\n"
        "  bidirectional: true, use_mulcat: false}\n",
    )
    (entry,) = _lint(run_cli, path)
    assert [n for n in _codes(entry, "RNN104") if n.startswith("n_src: assumed masknet.n_src (3)")]
    # With data.n_src (what librimix's train.py reads) nothing is assumed and the head uses it.
    stated = write(
        "stated.yml",
        "filterbank: {n_filters: 8, kernel_size: 4}\n"
        "masknet: {n_src: 3, bn_chan: 8, hid_size: 8, n_repeats: 1, rnn_type: LSTM, num_layers: 1,\n"
        "  bidirectional: true, use_mulcat: false}\n"
        "data: {n_src: 1}\n",
    )
    (exact,) = _lint(run_cli, stated)
    assert _codes(exact, "RNN104") == [] and exact["complete"] is True
    # Conv2d(8, n_src x 8, 1) differs by 2 sources x (8x8 + 8).
    assert entry["total_params"] - exact["total_params"] == 2 * (8 * 8 + 8)


def test_missing_required_sizes_cannot_be_counted(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    # The deep clustering STFT filterbank has no default n_filters / kernel_size.
    path = write(
        "conf.yml",
        "filterbank: {stride: 64}\nmasknet: {rnn_type: lstm, n_layers: 2, hidden_size: 60, embedding_dim: 20}\n",
    )
    (entry,) = _lint(run_cli, path)
    assert entry["total_params"] is None and entry["complete"] is False
    assert _codes(entry, "RNN205")


def test_other_filterbanks_are_omitted_not_guessed(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "conf.yml",
        "filterbank: {fb_name: param_sinc, n_filters: 8, kernel_size: 4}\n"
        "masknet: {bn_chan: 8, hid_size: 8, n_repeats: 1, rnn_type: LSTM, num_layers: 1,\n"
        "  bidirectional: true, use_mulcat: false}\n"
        "data: {n_src: 2}\n",
    )
    (entry,) = _lint(run_cli, path)
    # The RNNs do not depend on the filterbank (they read bn_chan): still exact.
    lstm = 2 * 4 * (8 * (8 + 8) + 2 * 8)
    assert _recurrent(entry) == [lstm, lstm]
    messages = [o["message"] for o in entry["omitted"]]
    assert any("'param_sinc' filterbank" in m for m in messages)
    assert any("bottleneck" in m for m in messages)
    assert entry["total_params"] is None and entry["complete"] is False
