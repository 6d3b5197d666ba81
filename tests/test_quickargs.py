"""The click-free fast path (rnnlint.app.quickargs + rnnlint.app.main) against click's own parsing.

Whenever ``parse_plain`` accepts a command line it must build exactly the CheckArgs click's
``check`` command builds; wherever click refuses one, ``parse_plain`` must refuse it too (so click
reports it as always). Through real subprocesses: a plain run imports no click, and the console
script, ``python -m rnnlint`` and the click path print the same thing with the same exit code.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rnnlint.app.runner
from rnnlint.app import cli, options, quickargs
from rnnlint.app import main as entry
from rnnlint.app.options import CheckArgs
from rnnlint.app.quickargs import parse_plain
from tests.conftest import EXAMPLES

DEFAULT = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=400,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@contextlib.contextmanager
def _captured_check() -> Iterator[list[CheckArgs]]:
    """Record the CheckArgs handed to ``execute_check`` instead of running it."""
    seen: list[CheckArgs] = []

    def fake(args: CheckArgs) -> int:
        seen.append(args)
        return 0

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(rnnlint.app.runner, "execute_check", fake)
        yield seen


def click_args(argv: list[str]) -> CheckArgs | None:
    """What click's ``check`` builds for ``argv``; None when click refuses it (or runs something else)."""
    with (
        _captured_check() as seen,
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        code = cli.main(argv)
    if not seen:
        return None
    assert code == 0
    return seen[0]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A working folder (the autouse fixture already chdir'ed here) with files, a folder, a config."""
    (tmp_path / "a.yaml").write_text("model: {}\n", encoding="utf-8")
    (tmp_path / "b.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "cfg.toml").write_text("[tool.rnnlint]\n", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    return tmp_path


# Command lines parse_plain must take (and build what click builds).
PLAIN = [
    ["a.yaml"],
    ["check", "a.yaml"],
    ["check", "check"],  # after the command name, "check" is a path
    ["--isolated", "check", "a.yaml"],  # an option first: click prepends check, so "check" is a path
    ["a.yaml", "--isolated", "b.json", "--no-cache", "dir", "missing.yaml"],
    ["--format", "json", "a.yaml"],
    ["--format=sarif", "a.yaml"],
    ["--format", "auto", "a.yaml"],
    ["-j", "2", "a.yaml"],
    ["-j3", "a.yaml"],
    ["--jobs=0", "a.yaml"],
    ["--jobs", "007", "a.yaml"],
    ["--select", "rnn1,RNN2", "--select=RNN3", "--ignore", " rnn101 ,", "a.yaml"],
    ["-", "--stdin-filename", "x.yaml"],
    ["--stdin-filename=a b.yaml", "-"],
    ["--output-file", "out.txt", "a.yaml"],
    ["--output-file=a.yaml", "b.json"],
    ["--config", "cfg.toml", "a.yaml"],
    ["--config=missing.toml", "a.yaml"],
    ["--dialect", "espnet2", "a.yaml"],
    ["--dialect=no-such-dialect", "a.yaml"],  # click does not check dialect names either; the run does
    ["--framework", "keras", "a.yaml"],
    ["--framework=onnx", "a.yaml"],
    ["--strict", "--strict", "--exit-zero", "a.yaml"],
    ["--no-respect-gitignore", "--force-exclude", "-v", "a.yaml"],
    ["--respect-gitignore", "--no-force-exclude", "--verbose", "dir"],
]

# Command lines parse_plain leaves to click (whether click accepts them or not).
FALLBACK = [
    [],
    ["check"],
    ["--isolated"],
    ["count", "a.yaml"],
    ["annotate", "a.yaml"],
    ["rule"],
    ["--help"],
    ["-h"],
    ["a.yaml", "--help"],
    ["--version"],
    ["--explain", "RNN101"],
    ["a.yaml", "--max-params", "5"],
    ["a.yaml", "--max-file-bytes=10"],
    ["--format", "json", "--format", "text", "a.yaml"],
    ["--config", "cfg.toml", "--config=cfg.toml", "a.yaml"],
    ["--format", "xml", "a.yaml"],
    ["--format", "JSON", "a.yaml"],
    ["--format=", "a.yaml"],
    ["--framework", "tensorflow", "a.yaml"],
    ["-j", "x", "a.yaml"],
    ["-j=2", "a.yaml"],
    ["-j", "-1", "a.yaml"],
    ["--jobs", " 2", "a.yaml"],
    ["--jobs", "٣", "a.yaml"],  # int() takes Arabic-Indic digits; plain runs take ASCII only
    ["--select", "foo", "a.yaml"],
    ["--ignore=RNN1,E501", "a.yaml"],
    ["--", "a.yaml"],
    ["--isolated=1", "a.yaml"],
    ["--output-file", "dir", "a.yaml"],
    ["--config", "dir", "a.yaml"],
    ["a.yaml", "--format"],
    ["--output-file", "-", "a.yaml"],
    ["-x", "a.yaml"],
    ["--unknown", "a.yaml"],
    ["--jobs4", "a.yaml"],
    ["", "a.yaml"],
    ["--force-exclude", "--no-force-exclude", "a.yaml"],  # click keeps the last of a pair
]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_plain_command_lines_build_what_click_builds(tree: Path, argv: list[str]) -> None:
    fast = parse_plain(argv)
    assert fast is not None, argv
    assert fast == click_args(argv)


@pytest.mark.parametrize("argv", FALLBACK, ids=" ".join)
def test_other_command_lines_are_left_to_click(tree: Path, argv: list[str]) -> None:
    assert parse_plain(argv) is None


def test_click_refuses_what_the_fast_path_must_refuse(tree: Path) -> None:
    # The FALLBACK lines click refuses (those it accepts are fine to leave to it, just slower).
    refused = [argv for argv in FALLBACK if click_args(argv) is None]
    for argv in (["--format", "xml", "a.yaml"], ["--output-file", "dir", "a.yaml"], ["-j=2", "a.yaml"], ["check"]):
        assert argv in refused


# Tokens for generated command lines: (those click accepts, those it may refuse).
PATHS = (["a.yaml", "b.json", "dir", "missing.yaml", "-", "check"], ["", "count", "rule", "-1"])
VALUES = {
    "--format": (["text", "json", "full", "github", "auto"], ["xml", "Text", "", "-"]),
    "--output-file": (["out.txt", "a.yaml"], ["dir", "-", ""]),
    "--config": (["cfg.toml", "missing.toml"], ["dir", "-x"]),
    "--select": (["RNN1", "rnn101,RNN2", " RNN3 ", ","], ["E501", "RNN1,x", "-"]),
    "--ignore": (["RNN2", "rnn"], ["W", "--isolated"]),
    "--dialect": (["native", "espnet2", "nope"], ["--isolated", ""]),
    "--framework": (["pytorch", "keras", "onnx"], ["tf", "Keras"]),
    "--stdin-filename": (["x.yaml", "a b"], ["-", "--x"]),
    "--jobs": (["0", "1", "12", " 2", "+2", "1_0"], ["-1", "x", ""]),
    "-j": (["0", "4"], ["x", "-2"]),
}
FLAGS = [
    "--isolated",
    "--no-cache",
    "--strict",
    "--exit-zero",
    "-v",
    "--verbose",
    "--no-respect-gitignore",
    "--respect-gitignore",
    "--force-exclude",
    "--no-force-exclude",
]
# Options the fast path never takes: some click accepts (limits), some it refuses or handles itself.
OTHERS = (
    ["--tokens=5", "--max-params=7", "--train-examples=3"],
    ["--help", "-h", "--version", "--explain", "--", "-x", "--unknown", "--max-params", "-j", "--strict=1"],
)


@st.composite
def _argv_token(draw: st.DrawFn, good: bool) -> list[str]:
    def pick(choices: tuple[list[str], list[str]]) -> str:
        return draw(st.sampled_from(choices[0] if good else choices[0] + choices[1]))

    kind = draw(st.sampled_from(["path", "path", "flag", "valued", "valued", "valued", "other"]))
    if kind == "path":
        return [pick(PATHS)]
    if kind == "flag":
        return [draw(st.sampled_from(FLAGS))]
    if kind == "other":
        return [pick(OTHERS)]
    option = draw(st.sampled_from(sorted(VALUES)))
    value = pick(VALUES[option])
    form = draw(st.sampled_from(["separate", "equals"]))
    if option == "-j":
        return ["-j", value] if form == "separate" else [f"-j{value}"]
    return [option, value] if form == "separate" else [f"{option}={value}"]


@st.composite
def argvs(draw: st.DrawFn) -> list[str]:
    """Mostly command lines of good tokens (click accepts them), some with anything in them."""
    good = draw(st.integers(0, 3)) > 0
    head = draw(st.sampled_from([[], [], [], ["check"], ["count"]]))
    tokens = draw(st.lists(_argv_token(good), max_size=6))
    # At least one path somewhere (without one every line is an error, for both parsers).
    tokens.insert(draw(st.integers(0, len(tokens))), [draw(st.sampled_from(PATHS[0]))])
    return head + [token for group in tokens for token in group]


@DEFAULT
@given(argv=argvs())
def test_generated_command_lines_agree_with_click(tree: Path, argv: list[str]) -> None:
    fast = parse_plain(argv)
    slow = click_args(argv)
    if fast is not None:
        assert fast == slow, argv
    if slow is None:
        assert fast is None, argv


def test_check_args_is_a_plain_value_class() -> None:
    assert cli.CheckArgs is options.CheckArgs
    a = CheckArgs(paths=("x.yaml",), cli={"strict": True}, jobs=2)
    assert a == CheckArgs(("x.yaml",), "text", None, None, False, None, False, {"strict": True}, 2, True)
    assert a != CheckArgs(paths=("x.yaml",), cli={"strict": True}, jobs=3)
    assert repr(a).startswith("CheckArgs(paths=('x.yaml',), format='text', ")
    assert CheckArgs(paths=()).cli == {} and CheckArgs(paths=()).cli is not CheckArgs(paths=()).cli
    assert not hasattr(a, "__dict__")
    with pytest.raises(TypeError):
        hash(a)


def test_quickargs_knows_the_other_commands() -> None:
    assert isinstance(cli.cli, click.Group)
    assert set(cli.cli.commands) == quickargs.OTHER_COMMANDS | {"check"}


def test_split_codes_is_shared() -> None:
    assert options.split_codes(["rnn1, RNN2", ",", "RNN3"]) == (("RNN1", "RNN2", "RNN3"), None)
    assert options.split_codes(["RNN1,e501,W1"]) == (("RNN1", "E501", "W1"), "E501")


# The guard: the fast path and the click path turn a bug, Ctrl-C or a broken pipe into the same codes.


def _raiser(exc: BaseException) -> object:
    def execute_check(args: CheckArgs) -> int:
        raise exc

    return execute_check


@pytest.mark.parametrize("main", [entry.main, cli.main], ids=["fast", "click"])
@pytest.mark.parametrize(
    ("exc", "code", "message"),
    [
        (RuntimeError("boom"), 2, "rnnlint: internal error: RuntimeError: boom (please report this)\n"),
        (KeyboardInterrupt(), 130, "rnnlint: interrupted\n"),
        (BrokenPipeError(), 2, ""),
    ],
    ids=["bug", "interrupt", "pipe"],
)
def test_one_guard_for_both_paths(
    tree: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    main: object,
    exc: BaseException,
    code: int,
    message: str,
) -> None:
    monkeypatch.setattr(rnnlint.app.runner, "execute_check", _raiser(exc))
    assert callable(main)
    assert main(["--isolated", "a.yaml"]) == code
    captured = capsys.readouterr()
    assert captured.err == message
    assert "Traceback" not in captured.out


# Real processes.


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def _imported(stderr: str) -> set[str]:
    """Module names from ``python -X importtime`` output."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_a_plain_run_imports_no_click() -> None:
    proc = _run(
        [sys.executable, "-X", "importtime", "-m", "rnnlint", "--isolated", "--no-cache", str(EXAMPLES / "clean.yaml")]
    )
    assert proc.returncode == 0, proc.stderr
    modules = _imported(proc.stderr)
    assert "rnnlint.app.runner" in modules and "rnnlint.app.quickargs" in modules
    assert not {m for m in modules if m == "click" or m.startswith("click.")}
    assert "rnnlint.app.cli" not in modules


def test_help_goes_through_click() -> None:
    proc = _run([sys.executable, "-X", "importtime", "-m", "rnnlint", "--help"])
    assert proc.returncode == 0, proc.stderr
    assert "click" in _imported(proc.stderr)
    assert "Usage: rnnlint" in proc.stdout


CLICK_MAIN = "import sys; from rnnlint.app.cli import main; sys.exit(main(sys.argv[1:]))"
SAME_OUTPUT = [
    ["clean.yaml"],
    ["over_budget.yaml"],
    ["schema_error.yaml", "--format", "json"],
    ["clean.yaml", "over_budget.yaml", "too_big_for_dataset.yaml", "--strict"],
    ["over_budget.yaml", "--exit-zero", "--select", "RNN101"],
    ["no-such-file.yaml"],
]


@pytest.mark.parametrize("args", SAME_OUTPUT, ids=" ".join)
def test_fast_and_click_paths_print_the_same(args: list[str]) -> None:
    argv = ["--isolated", "--no-cache"] + [str(EXAMPLES / a) if a.endswith(".yaml") else a for a in args]
    assert parse_plain(argv) is not None
    script = shutil.which("rnnlint", path=str(Path(sys.executable).parent))
    assert script is not None, "the console script is not installed next to this Python"
    runs = {
        "module": _run([sys.executable, "-m", "rnnlint", *argv]),
        "script": _run([script, *argv]),
        "click": _run([sys.executable, "-c", CLICK_MAIN, *argv]),
    }
    first = runs["click"]
    for name, proc in runs.items():
        assert (proc.returncode, proc.stdout, proc.stderr) == (first.returncode, first.stdout, first.stderr), name
    assert "Traceback" not in first.stderr
    if args == ["no-such-file.yaml"]:
        assert first.returncode == 2 and "no-such-file.yaml" in first.stderr
    elif args == ["over_budget.yaml"]:
        assert first.returncode == 1
