"""Values read as each toolkit's own code reads them (dialects/_support coercers), through the console script.

Each case writes a value two ways, as the toolkit sees it (a string) and as the plain YAML value the toolkit
turns it into, and expects the same counts; and a different count from the opposite value, so the value matters.
"""

from __future__ import annotations

from typing import Any

import pytest


def _layers(run_cli, write, name: str, text: str) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    result = run_cli("--format", "json", "--no-cache", "--isolated", write(name, text))
    assert result.code in (0, 1), result.err
    assert "internal error" not in result.err
    entry: dict[str, Any] = result.json()["files"][0]
    return [(layer["name"], layer["params"]) for layer in entry["layers"]]


TACOTRON = (
    "embed-dim: 32\nelayers: 1\neunits: 20\neconv-layers: 1\neconv-chans: 32\neconv-filts: 5\n"
    "dlayers: 1\ndunits: 24\nprenet-layers: 2\nprenet-units: 8\n"
    "atype: location\nadim: 6\naconv-chans: 2\naconv-filts: 1\npostnet-layers: 2\nuse-batch-norm: {}\n"
)


@pytest.mark.parametrize(
    ("written", "meant"), [('"no"', "false"), ("'off'", "false"), ('"y"', "true"), ('"1"', "true")]
)
def test_espnet1_flags_are_strtobool(run_cli, write, written: str, meant: str) -> None:  # type: ignore[no-untyped-def]
    """ESPnet1's flags are argparse ``type=strtobool`` fed the YAML value as text by configargparse; a quoted
    ``"no"`` used to be ignored (the default, batch norm on, was counted)."""
    got = _layers(run_cli, write, "a.yaml", TACOTRON.format(written))
    assert got == _layers(run_cli, write, "b.yaml", TACOTRON.format(meant))
    opposite = "true" if meant == "false" else "false"
    assert got != _layers(run_cli, write, "c.yaml", TACOTRON.format(opposite))


ESPNET1_ASR = "etype: blstmp\nelayers: 2\neunits: {}\neprojs: 320\ndlayers: 1\ndunits: 300\n"


def test_espnet1_sizes_are_argparse_ints(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    """configargparse hands ``"+320"`` to argparse's ``int``: 320. Text that passed ``isdigit()`` but not ``int()``
    (``"--5"``, ``"²"``) used to end in an internal error; now the encoder is not countable, as for any text."""
    assert _layers(run_cli, write, "a.yaml", ESPNET1_ASR.format('"+320"')) == _layers(
        run_cli, write, "b.yaml", ESPNET1_ASR.format("320")
    )
    not_a_size = _layers(run_cli, write, "c.yaml", ESPNET1_ASR.format('"x"'))
    assert ("encoder", None) in not_a_size
    for text in ('"--5"', '"²"'):
        assert _layers(run_cli, write, "d.yaml", ESPNET1_ASR.format(text)) == not_a_size


OPENNMT = (
    "encoder_type: rnn\ndecoder_type: rnn\nrnn_type: LSTM\nlayers: 1\nrnn_size: {}\nword_vec_size: 8\nsave_data: x\n"
)


def test_opennmt_sizes_are_argparse_ints(run_cli, write) -> None:  # type: ignore[no-untyped-def]
    assert _layers(run_cli, write, "a.yaml", OPENNMT.format('"+16"')) == _layers(
        run_cli, write, "b.yaml", OPENNMT.format("16")
    )
    assert _layers(run_cli, write, "c.yaml", OPENNMT.format('"--16"')) == _layers(
        run_cli, write, "d.yaml", OPENNMT.format('"x"')
    )


JOEYNMT = """
model:
  encoder:
    type: recurrent
    rnn_type: gru
    embeddings: {{embedding_dim: 8}}
    hidden_size: 4
    bidirectional: {}
  decoder:
    type: recurrent
    rnn_type: gru
    embeddings: {{embedding_dim: 8}}
    hidden_size: 4
    input_feeding: {}
"""


@pytest.mark.parametrize("written", ['"false"', '"no"', '"0"', '"yes"'])
def test_joeynmt_flags_are_python_truth(run_cli, write, written: str) -> None:  # type: ignore[no-untyped-def]
    """JoeyNMT hands the YAML value to nn.GRU / ``if self.input_feeding``: any non-empty string is true."""
    got = _layers(run_cli, write, "a.yaml", JOEYNMT.format(written, written))
    assert got == _layers(run_cli, write, "b.yaml", JOEYNMT.format("true", "true"))
    assert got != _layers(run_cli, write, "c.yaml", JOEYNMT.format("false", "false"))


TFASR = """
speech_config: {{num_feature_bins: 80}}
model_config:
  name: deepspeech2
  conv_type: conv2d
  conv_strides: [[2, 2], [1, 2], [1, 2]]
  conv_filters: [32, 32, 96]
  rnn_nlayers: 1
  rnn_type: lstm
  rnn_units: 16
  rnn_bidirectional: {}
"""


@pytest.mark.parametrize("written", ['"false"', '"yes"'])
def test_tensorflowasr_bidirectional_is_python_truth(run_cli, write, written: str) -> None:  # type: ignore[no-untyped-def]
    """RnnBlock tests ``if bidirectional:`` on the YAML value; "yes" used to count one direction."""
    got = _layers(run_cli, write, "a.yml", TFASR.format(written))
    assert got == _layers(run_cli, write, "b.yml", TFASR.format("true"))
    assert got != _layers(run_cli, write, "c.yml", TFASR.format("false"))
