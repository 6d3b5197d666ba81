"""Keras model files: ``.keras`` archives (config.json) and legacy ``.h5`` files (model_config).

The files in tests/fixtures/keras_files/ were saved by Keras 3.15.1 (tools/gen_keras_file_fixtures.py),
with their ``model.count_params()`` in expected.json.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

FILES = Path(__file__).parents[1] / "fixtures" / "keras_files"
EXPECTED: dict[str, int] = json.loads((FILES / "expected.json").read_text())["params"]
KERAS = sorted(name for name in EXPECTED if name.endswith(".keras"))
H5 = sorted(name for name in EXPECTED if name.endswith(".h5"))


def _lint(run_cli, *args: Any) -> tuple[int, list[dict[str, Any]]]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--no-cache", "--isolated", *args)
    assert result.code in (0, 1), result.err
    files: list[dict[str, Any]] = result.json()["files"]
    return result.code, files


@pytest.mark.parametrize("name", KERAS)
def test_keras_archive_counts_match_keras(run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    _, (entry,) = _lint(run_cli, FILES / name)
    assert entry["dialect"] == "keras-json"
    assert entry["total_params"] == EXPECTED[name] and entry["complete"] is True
    assert any(layer["recurrent"] for layer in entry["layers"])


@pytest.mark.parametrize("name", H5)
def test_legacy_h5_counts_match_keras(run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("h5py")
    _, (entry,) = _lint(run_cli, FILES / name)
    assert entry["dialect"] == "keras-json"
    assert entry["total_params"] == EXPECTED[name] and entry["complete"] is True


def test_messages_point_into_config_json(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--no-cache", "--isolated", FILES / "lstm_stack.keras")
    lines = [line for line in result.out.splitlines() if "RNN100" in line]
    assert len(lines) == 2
    for line in lines:
        # Shown under the archive's own path, the position being the one in config.json.
        path, row, col, _ = line.split(":", 3)
        assert path.endswith("lstm_stack.keras")
        assert line.endswith(f"[config.json {row}:{col}]")
    text = zipfile.ZipFile(FILES / "lstm_stack.keras").read("config.json").decode()
    row, col = int(lines[0].split(":")[1]), int(lines[0].split(":")[2])
    assert text.splitlines()[row - 1][col - 1 :].startswith('{"module": "keras.layers", "class_name": "LSTM"')


def test_missing_h5py_is_one_note(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "h5py", None)  # import h5py raises ImportError
    code, (entry,) = _lint(run_cli, FILES / "lstm_stack.h5")
    assert code == 0
    (note,) = entry["diagnostics"]
    assert note["code"] == "RNN104" and "pip install 'rnnlint[h5]'" in note["message"]
    assert entry["total_params"] is None


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_walk_skips_files_that_are_not_keras_models(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    walk = tmp_path / "walk"
    walk.mkdir()
    _zip(walk / "weights_only.keras", {"model.weights.h5": b"\x00" * 64})
    _zip(walk / "other.keras", {"config.json": b'{"learning_rate": 0.1}'})
    (walk / "random.keras").write_bytes(b"\x00\x01 not a zip at all")
    (walk / "data.h5").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (walk / "truncated.keras").write_bytes((FILES / "simple_rnn.keras").read_bytes()[:200])
    shutil.copy(FILES / "simple_rnn.keras", walk / "model.keras")
    code, files = _lint(run_cli, walk)
    assert code == 0
    by_name = {Path(f["path"]).name: f for f in files}
    assert by_name["model.keras"]["total_params"] == EXPECTED["simple_rnn.keras"]
    for name in ("weights_only.keras", "random.keras", "data.h5", "truncated.keras"):
        assert by_name[name]["skipped"], name
        assert "not a Keras model file" in by_name[name]["skip_reason"], name
    # A zip with a config.json that is no model: skipped like any other JSON.
    assert by_name["other.keras"]["skip_reason"] == "not a model config rnnlint knows"
    assert all(f["diagnostics"] == [] for f in files if f["skipped"])


def test_a_walk_skips_an_hdf5_data_file(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    h5py = pytest.importorskip("h5py")
    with h5py.File(tmp_path / "features.h5", "w") as handle:
        handle.create_dataset("x", data=[1, 2, 3])
    code, (entry,) = _lint(run_cli, tmp_path)
    assert code == 0 and entry["skipped"]
    assert "no model_config attribute" in entry["skip_reason"]


def test_a_named_non_keras_file_is_an_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _zip(tmp_path / "weights_only.keras", {"model.weights.h5": b"\x00"})
    code, (entry,) = _lint(run_cli, path)
    assert code == 1
    assert entry["diagnostics"][0]["code"] == "RNN001"
    assert "holds no config.json" in entry["diagnostics"][0]["message"]


def test_the_size_cap_applies_to_the_model_json(run_cli) -> None:  # type: ignore[no-untyped-def]
    size = (FILES / "lstm_stack.keras").stat().st_size
    # A cap below the archive's size but above its config.json: read.
    _, (entry,) = _lint(run_cli, "--max-file-bytes", str(size // 2), FILES / "lstm_stack.keras")
    assert entry["total_params"] == EXPECTED["lstm_stack.keras"]
    _, (small,) = _lint(run_cli, "--max-file-bytes", "100", FILES / "lstm_stack.keras")
    assert "larger than the size cap" in small["diagnostics"][0]["message"]


def test_annotate_never_touches_binary_files(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "models"
    shutil.copytree(FILES, copy)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in copy.iterdir()}
    result = run_cli("annotate", "--isolated", copy, copy / "lstm_stack.keras")
    assert result.code == 0
    assert "lstm_stack.keras: note: Keras model files (.keras, .h5) are binary" in result.err
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in copy.iterdir()} == before
    assert run_cli("annotate", "--isolated", "--check", copy / "simple_rnn.keras").code == 0


def test_cached_run_gives_the_same_result(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.keras"
    shutil.copy(FILES / "bidirectional_gru.keras", path)
    first = run_cli("--format", "json", "--isolated", path)
    second = run_cli("--format", "json", "--isolated", path)
    assert first.json()["files"] == second.json()["files"]
    assert first.json()["files"][0]["total_params"] == EXPECTED["bidirectional_gru.keras"]


def test_zip_built_in_memory_reads_the_same(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Only config.json matters: an archive rebuilt without the weights counts the same.
    config = zipfile.ZipFile(FILES / "functional_mixed.keras").read("config.json")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", config)
    path = tmp_path / "rebuilt.keras"
    path.write_bytes(buffer.getvalue())
    _, (entry,) = _lint(run_cli, path)
    assert entry["total_params"] == EXPECTED["functional_mixed.keras"]
