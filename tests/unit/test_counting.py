"""Hand-checked counts and derivations (the generated fixtures cover the random cases)."""

from __future__ import annotations

import pytest

from rnnlint import counting
from rnnlint.model import Composite, Embedding, Fixed, Linear, Passthrough, Recurrent, Unknown


def test_issue_example_bilstm_layer() -> None:
    c = counting.count(Recurrent("lstm", 256, 300, bidirectional=True))
    assert c.params == 1_142_784
    assert c.formula == "2 directions x 4 x [256x(300+256) + 2x256] = 1,142,784"
    assert c.output_size == 512


def test_stacked_layers_take_the_previous_output() -> None:
    c = counting.count(Recurrent("lstm", 256, 300, num_layers=3, bidirectional=True))
    layer2 = 2 * 4 * (256 * (512 + 256) + 2 * 256)
    assert c.params == 1_142_784 + 2 * layer2
    assert c.formula.endswith(f"total 1,142,784 + 2 x {layer2:,} = {1_142_784 + 2 * layer2:,}")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (Recurrent("gru", 128, 64), 3 * (128 * (64 + 128) + 2 * 128)),
        (Recurrent("rnn", 10, 5, bias=False), 10 * (5 + 10)),
        (Recurrent("gru", 128, 64, framework="keras"), 3 * 128 * (64 + 128) + 6 * 128),
        (Recurrent("gru", 128, 64, framework="keras", reset_after=False), 3 * (128 * (64 + 128) + 128)),
        (Recurrent("lstm", 32, 16, framework="keras"), 4 * (32 * (16 + 32) + 32)),
        (Recurrent("lstm", 32, 16, framework="keras", cudnn=True), 4 * (32 * (16 + 32) + 64)),
        (Recurrent("rnn", 8, 4, framework="keras", bias=False), 8 * (4 + 8)),
        (Recurrent("lstm", 20, 10, framework="onnx", peepholes=True), 4 * (20 * 30 + 40) + 60),
        (Recurrent("lstm", 20, 10, cell=True, bidirectional=True, num_layers=3), 4 * (20 * 30 + 40)),
    ],
)
def test_conventions(spec: Recurrent, expected: int) -> None:
    assert counting.count(spec).params == expected


def test_projection() -> None:
    # torch.nn.LSTM(80, 1024, num_layers=2, proj_size=256, bidirectional=True)
    spec = Recurrent("lstm", 1024, 80, num_layers=2, bidirectional=True, proj_size=256)
    per_dir_1 = 4 * 1024 * 80 + 4 * 1024 * 256 + 8 * 1024 + 256 * 1024
    per_dir_2 = 4 * 1024 * 512 + 4 * 1024 * 256 + 8 * 1024 + 256 * 1024
    assert counting.count(spec).params == 2 * (per_dir_1 + per_dir_2)
    assert counting.count(spec).output_size == 512


def test_projection_is_pytorch_lstm_only() -> None:
    keras = Recurrent("lstm", 64, 32, framework="keras", proj_size=16)
    assert counting.count(keras).params == 4 * (64 * 96 + 64)
    gru = Recurrent("gru", 64, 32, proj_size=16)
    assert counting.count(gru).params == 3 * (64 * 96 + 128)


def test_keras_merge_modes_set_the_output_size() -> None:
    assert counting.count(Recurrent("gru", 8, 4, framework="keras", bidirectional=True)).output_size == 16
    spec = Recurrent("gru", 8, 4, framework="keras", bidirectional=True, merge_mode="sum")
    assert counting.count(spec).output_size == 8


def test_unknown_input_size_is_not_guessed() -> None:
    c = counting.count(Recurrent("lstm", 8, None))
    assert c.params is None and "unknown" in c.formula


def test_other_modules() -> None:
    assert counting.count(Embedding(1000, 16)).params == 16_000
    assert counting.count(Linear(16, 4)).params == 68
    assert counting.count(Linear(16, 4, bias=False)).params == 64
    assert counting.count(Linear(None, 4)).params is None
    assert counting.count(Passthrough(7)) == counting.Count(0, "no parameters", 7)
    assert counting.count(Fixed(5, "five")).params == 5
    assert counting.count(Unknown("sru")).params is None
    both = counting.count(Composite((Linear(2, 2), Linear(2, 1))))
    assert both.params == 9 and both.formula.endswith("= 9")
    assert counting.count(Composite((Linear(2, 2), Unknown("x")))).params is None


def test_describe() -> None:
    spec = Recurrent("lstm", 8, 4, num_layers=2, bidirectional=True, proj_size=4, bias=False)
    assert counting.describe(spec, "lstm") == "lstm, 2 layers, bidirectional, proj_size 4, no bias"


def test_fixed_part_marked_recurrent_is_recurrent() -> None:
    from rnnlint.model import Fixed

    assert counting.is_recurrent(Fixed(10, "10", recurrent=True))
    assert not counting.is_recurrent(Fixed(10, "10"))
