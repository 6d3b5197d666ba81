"""Property-based: random YAML text, random structures and mutated corpus files through the real CLI.

Whatever the input: no traceback, exit status 0 or 1, every diagnostic at a line and column
inside the file, and a bounded time per file. The default run is derandomized (the same
examples every time, so CI is stable) and sized to stay well under a minute; tests/equivalence/test_fuzz.py
runs the same properties with fresh random examples for a time budget.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnlint.app.main import main
from tests.conftest import CORPUS

SECONDS_PER_FILE = 5.0
CORPUS_FILES = (
    sorted(
        p
        for p in CORPUS.rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".yml", ".json") and p.name != "EXPECTED.json"
    )
    if CORPUS.is_dir()
    else []
)
# A few hand-made seeds that reach the native dialect's deeper paths, for when the corpus is absent.
SEEDS: list[tuple[str, bytes]] = [
    (
        ".yaml",
        b"model:\n  input_size: 40\n  layers:\n    - type: lstm\n      hidden_size: 128\n"
        b"      num_layers: 2\n      bidirectional: true\nlimits:\n  max_params: 5000000\n",
    ),
    (".json", b'{"model": {"input_size": 8, "layers": [{"type": "gru", "hidden_size": 4}]}}'),
]

DEFAULT = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def line_count(raw: bytes) -> int:
    """Lines as the most generous reader counts them (\\n, \\r, and the Unicode breaks)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        with contextlib.suppress(UnicodeDecodeError):
            raw = raw.decode("utf-16").encode("utf-8")
    text = raw.decode("utf-8", "replace")
    return max(len(text.splitlines()), raw.count(b"\n") + 1, raw.count(b"\r") + 1)


def check_file(suffix: str, raw: bytes, *args: str) -> dict[str, Any]:
    """Lint one file through ``rnnlint.app.main.main`` (the console script) and assert the properties.

    Returns the JSON report."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(raw)
        out, err = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--isolated", "--format", "json", *args, str(path)])
        elapsed = time.perf_counter() - started
    context = f"input {raw[:300]!r}... ({len(raw)} bytes)\nstderr: {err.getvalue()}"
    assert "Traceback" not in out.getvalue() + err.getvalue(), context
    assert code in (0, 1), context
    assert elapsed < SECONDS_PER_FILE, f"{elapsed:.1f}s for {context}"
    report: dict[str, Any] = json.loads(out.getvalue())
    lines = line_count(raw)
    # Lines as rnnlint counts them: split at LF and CR only (str.splitlines also splits at form feeds).
    decoded = raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    longest = max((len(line) for line in decoded.split("\n")), default=0)
    for entry in report["files"]:
        for diag in entry["diagnostics"]:
            assert 1 <= diag["line"] <= lines + 1, f"{diag} outside {lines} lines; {context}"
            assert 1 <= diag["column"] <= longest + 2, f"{diag} beyond column {longest + 1}; {context}"
        for layer in entry["layers"]:
            assert 1 <= layer["line"] <= lines + 1, f"{layer} outside {lines} lines; {context}"
    return report


# --------------------------------------------------------------------------- strategies

# Text that is mostly YAML's own punctuation, so the parser gets deep rather than failing at once.
YAML_ALPHABET = st.sampled_from(
    [
        *" \n\t:-[]{},#&*!|>'\"%@`?~.0123456789eE+_",
        "  ",
        "\n  ",
        "- ",
        ": ",
        "---\n",
        "\r",
        "\r\n",
        "model",
        "layers",
        "type",
        "lstm",
        "gru",
        "hidden_size",
        "input_size",
        "num_layers",
        "yes",
        "on",
        ".inf",
        ".nan",
        "010",
        "1:30",
        "5e6",
        "<<",
        "!!python/name:os.system",
        "!!str",
        "\ufeff",
        "\x00",
        "é",
    ]
)
yaml_text = st.lists(YAML_ALPHABET, max_size=120).map("".join)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["lstm", "gru", "rnn", "lstm_cell", "linear", "embedding", "5e6", "1,000", "on"])
)
KEYS = st.sampled_from(
    [
        "model",
        "layers",
        "type",
        "hidden_size",
        "input_size",
        "num_layers",
        "bidirectional",
        "proj_size",
        "dropout",
        "framework",
        "limits",
        "max_params",
        "dataset",
        "train_examples",
        "name",
        "encoder",
        "rnn_type",
        "units",
        "config",
        "class_name",
        "_target_",
        "<<",
    ]
) | st.text(max_size=8)
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=40,
)
native_layers = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["lstm", "gru", "rnn", "gru_cell", "linear", "embedding", "dropout", "sru"])},
        optional={
            "hidden_size": scalars,
            "num_layers": st.integers(-2, 5) | scalars,
            "bidirectional": st.booleans(),
            "proj_size": st.integers(-1, 300),
            "input_size": st.integers(-1, 300),
            "out_features": st.integers(0, 300),
            "num_embeddings": st.integers(0, 300),
            "embedding_dim": st.integers(0, 300),
        },
    ),
    max_size=4,
)
native_configs = st.fixed_dictionaries(
    {"model": st.fixed_dictionaries({"layers": native_layers}, optional={"input_size": st.integers(-1, 500)})},
    optional={
        "framework": st.sampled_from(["pytorch", "keras", "onnx", "jax"]),
        "limits": st.dictionaries(st.sampled_from(["max_params", "max_layer_params"]), scalars, max_size=2),
    },
)


def dump(data: Any, as_json: bool) -> bytes:
    if as_json:
        return json.dumps(data).encode("utf-8")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def mutate(raw: bytes, rng: random.Random, count: int) -> bytes:
    """Byte-level damage: flip, delete, insert, duplicate a slice, or splice in YAML punctuation."""
    data = bytearray(raw)
    for _ in range(count):
        if not data:
            data.extend(b"a: [")
        i = rng.randrange(len(data))
        j = min(len(data), i + rng.randint(1, 40))
        op = rng.randrange(6)
        if op == 0:
            data[i] = rng.randrange(256)
        elif op == 1:
            del data[i:j]
        elif op == 2:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 3:
            data[i:i] = data[i:j]
        elif op == 4:
            data[i:i] = rng.choice([b"[", b"{", b"]", b"&a ", b"*a", b"\n- ", b": ", b"\t", b"\r", b"'", b'"', b"#"])
        else:
            data[i:i] = rng.choice([b"5e6", b"010", b"on", b".nan", b"1:30", b"-1", b"0", b"9" * 30, b"true"])
    return bytes(data)


def corpus_sample(index: int) -> tuple[str, bytes]:
    if CORPUS_FILES:
        path = CORPUS_FILES[index % len(CORPUS_FILES)]
        return path.suffix, path.read_bytes()
    return SEEDS[index % len(SEEDS)]


# --------------------------------------------------------------------------- properties


def prop_yaml_text(text: str, suffix: str) -> None:
    check_file(suffix, text.encode("utf-8", "surrogatepass"))


def prop_structure(data: Any, as_json: bool) -> None:
    try:
        raw = dump(data, as_json)
    except (ValueError, OverflowError):  # json refuses nothing here, but be explicit about it
        return
    check_file(".json" if as_json else ".yaml", raw)


def prop_mutation(index: int, seed: int, count: int) -> None:
    suffix, raw = corpus_sample(index)
    check_file(suffix, mutate(raw, random.Random(seed), count))


@settings(DEFAULT, max_examples=250)
@given(yaml_text, st.sampled_from([".yaml", ".yml", ".json"]))
def test_random_yaml_text(text: str, suffix: str) -> None:
    prop_yaml_text(text, suffix)


@settings(DEFAULT, max_examples=150)
@given(structures | native_configs, st.booleans())
def test_random_structures(data: Any, as_json: bool) -> None:
    prop_structure(data, as_json)


@settings(DEFAULT, max_examples=150)
@given(native_configs, st.booleans())
def test_random_native_configs(data: Any, as_json: bool) -> None:
    prop_structure(data, as_json)


@settings(DEFAULT, max_examples=300)
@given(st.integers(0, 10_000), st.integers(0, 2**32), st.integers(1, 12))
def test_mutated_corpus_files(index: int, seed: int, count: int) -> None:
    prop_mutation(index, seed, count)


def test_every_corpus_file_survives_a_bad_byte() -> None:
    # Deterministic sweep: each corpus file once, damaged at a spot chosen from its name.
    for index in range(len(CORPUS_FILES) or len(SEEDS)):
        _, raw = corpus_sample(index)
        prop_mutation(index, sum(raw[:64]) + index, 3)


def test_line_count_is_generous() -> None:
    assert line_count(b"a\rb\r\nc\n") == 3
    assert line_count(b"a\rb\rc") == 3
    assert line_count("a\nb\n".encode("utf-16")) == 3
