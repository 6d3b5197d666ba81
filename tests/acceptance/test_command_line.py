"""The one command-line parser (click, behind ``rnnlint.app.main.main``): what each spelling runs.

Every spelling the removed click-free fast path (``quickargs``) took is here with the arguments it
must build; the lines click refuses exit 2 with its message and run nothing. Options may come before
the command's name (``rnnlint --isolated count x.yaml`` runs ``count``). Through real processes: the
console script, ``python -m rnnlint`` and the in-process ``run_cli`` print the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rnnlint.app.annotate
import rnnlint.app.check
import rnnlint.app.count
import rnnlint.app.diff
from rnnlint.app import cli, options
from rnnlint.app import main as entry
from rnnlint.app.options import CheckArgs
from tests.conftest import EXAMPLES

DEFAULT = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@dataclass
class Parsed:
    """What one command line ran: the command and its arguments (None: nothing ran), exit code, stderr."""

    command: str | None
    args: Any
    code: int
    err: str


@pytest.fixture
def parse(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Any]:  # the parse(argv) function
    """Run ``rnnlint.app.main.main`` with every command's body replaced by a recorder."""
    seen: list[tuple[str, Any]] = []

    def recorder(name: str) -> Any:
        def record(args: Any, *rest: Any) -> int:
            seen.append((name, args))
            return 0

        return record

    for name in ("check", "count", "diff"):
        monkeypatch.setattr(getattr(rnnlint.app, name), f"execute_{name}", recorder(name))
    monkeypatch.setattr(rnnlint.app.annotate, "execute_annotate", recorder("annotate"))

    def run(argv: list[str]) -> Parsed:
        seen.clear()
        code = entry.main(argv)
        err = capsys.readouterr().err
        assert len(seen) <= 1
        command, args = seen[0] if seen else (None, None)
        return Parsed(command, args, code, err)

    yield run


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A working folder (the autouse fixture already chdir'ed here) with files, a folder, a config."""
    (tmp_path / "a.yaml").write_text("model: {}\n", encoding="utf-8")
    (tmp_path / "b.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "cfg.toml").write_text("[tool.rnnlint]\n", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    return tmp_path


def test_the_defaults_of_check(parse: Any) -> None:
    got = parse(["a.yaml"])
    assert (got.command, got.code) == ("check", 0)
    args = got.args
    assert (args.paths, args.format, args.output_file, args.config, args.stdin_filename) == (
        ("a.yaml",),
        "text",
        None,
        None,
        None,
    )
    assert (args.isolated, args.exit_zero, args.jobs, args.cache, args.verbose) == (False, False, None, True, False)
    given_cli = {key: value for key, value in args.cli.items() if value is not None}
    assert given_cli == {"select": (), "ignore": (), "strict": False}
    # Every limit and dataset key is passed, as None when not given (Settings.with_cli skips those).
    assert {"max_params", "train_examples", "tokens", "max_file_bytes", "max_growth"} <= set(args.cli)


# Spellings of check: (argv, fields that differ from test_the_defaults_of_check's, cli entries that differ).
CHECK = [
    (["check", "a.yaml"], {}, {}),
    (["check", "check"], {"paths": ("check",)}, {}),  # after the command name, "check" is a path
    (["--", "count"], {"paths": ("count",)}, {}),  # after --, "count" is a path
    (["check", "--", "-"], {"paths": ("-",)}, {}),
    (
        ["a.yaml", "--isolated", "b.json", "--no-cache", "dir", "missing.yaml"],
        {"paths": ("a.yaml", "b.json", "dir", "missing.yaml"), "isolated": True, "cache": False},
        {},
    ),
    (["--format", "json", "a.yaml"], {"format": "json"}, {}),
    (["--format=sarif", "a.yaml"], {"format": "sarif"}, {}),
    (["--format", "auto", "a.yaml"], {"format": "auto"}, {}),
    (["--format", "json", "--format", "text", "a.yaml"], {}, {}),  # the last one given wins
    (["-j", "2", "a.yaml"], {"jobs": 2}, {}),
    (["-j3", "a.yaml"], {"jobs": 3}, {}),
    (["--jobs=0", "a.yaml"], {"jobs": 0}, {}),
    (["--jobs", "007", "a.yaml"], {"jobs": 7}, {}),
    (["--jobs", " 2", "a.yaml"], {"jobs": 2}, {}),
    (
        ["--select", "rnn1,RNN2", "--select=RNN3", "--ignore", " rnn101 ,", "a.yaml"],
        {},
        {"select": ("RNN1", "RNN2", "RNN3"), "ignore": ("RNN101",)},
    ),
    (["-", "--stdin-filename", "x.yaml"], {"paths": ("-",), "stdin_filename": "x.yaml"}, {}),
    (["--stdin-filename=a b.yaml", "-"], {"paths": ("-",), "stdin_filename": "a b.yaml"}, {}),
    (["--output-file", "out.txt", "a.yaml"], {"output_file": "out.txt"}, {}),
    (["--output-file=a.yaml", "b.json"], {"paths": ("b.json",), "output_file": "a.yaml"}, {}),
    (["--output-file", "-", "a.yaml"], {"output_file": "-"}, {}),
    (["--config", "cfg.toml", "a.yaml"], {"config": "cfg.toml"}, {}),
    (["--config=missing.toml", "a.yaml"], {"config": "missing.toml"}, {}),
    (["--config", "cfg.toml", "--config=cfg.toml", "a.yaml"], {"config": "cfg.toml"}, {}),
    (["--dialect", "espnet2", "a.yaml"], {}, {"dialect": "espnet2"}),
    (["--dialect=no-such-dialect", "a.yaml"], {}, {"dialect": "no-such-dialect"}),  # the run checks names
    (["--framework", "keras", "a.yaml"], {}, {"framework": "keras"}),
    (["--framework=onnx", "a.yaml"], {}, {"framework": "onnx"}),
    (["--strict", "--strict", "--exit-zero", "a.yaml"], {"exit_zero": True}, {"strict": True}),
    (
        ["--no-respect-gitignore", "--force-exclude", "-v", "a.yaml"],
        {"verbose": True},
        {"respect_gitignore": False, "force_exclude": True},
    ),
    (
        ["--respect-gitignore", "--no-force-exclude", "--verbose", "dir"],
        {"paths": ("dir",), "verbose": True},
        {"respect_gitignore": True, "force_exclude": False},
    ),
    (["--force-exclude", "--no-force-exclude", "a.yaml"], {}, {"force_exclude": False}),  # the last one wins
    (["a.yaml", "--max-params", "5"], {}, {"max_params": 5}),
    (["a.yaml", "--max-file-bytes=10"], {}, {"max_file_bytes": 10}),
    # Options before the command's name belong to it (before the fix, "check" here was a path).
    (["--isolated", "check", "a.yaml"], {"isolated": True}, {}),
    (["--format", "json", "-j", "1", "check", "a.yaml"], {"format": "json", "jobs": 1}, {}),
    (["--select=RNN1", "check", "a.yaml", "--strict"], {}, {"select": ("RNN1",), "strict": True}),
]


@pytest.mark.parametrize(("argv", "fields", "cli_entries"), CHECK, ids=[" ".join(c[0]) for c in CHECK])
def test_check_spellings(parse: Any, argv: list[str], fields: dict[str, Any], cli_entries: dict[str, Any]) -> None:
    base = parse(["a.yaml"]).args
    got = parse(argv)
    assert (got.command, got.code, got.err) == ("check", 0, "")
    expected = CheckArgs(**{name: getattr(base, name) for name in options._FIELDS})
    for name, value in fields.items():
        setattr(expected, name, value)
    expected.cli = {**base.cli, **cli_entries}
    assert got.args == expected


# Lines click refuses: exit 2, click's message on stderr, nothing runs.
REFUSED = [
    ([], "Usage: rnnlint"),
    (["check"], "Missing argument 'PATHS...'"),
    (["--isolated"], "Missing argument 'PATHS...'"),
    (["--isolated", "count"], "Missing argument 'PATHS...'"),
    (["--strict", "count", "a.yaml"], "No such option '--strict'"),  # count has no --strict
    (["--format", "xml", "a.yaml"], "'xml' is not one of"),
    (["--format", "JSON", "a.yaml"], "'JSON' is not one of"),
    (["--format=", "a.yaml"], "'' is not one of"),
    (["--framework", "tensorflow", "a.yaml"], "'tensorflow' is not one of"),
    (["-j", "x", "a.yaml"], "'x' is not a valid integer range"),
    (["-j=2", "a.yaml"], "'=2' is not a valid integer range"),
    (["-j", "-1", "a.yaml"], "-1 is not in the range x>=0"),
    (["--select", "foo", "a.yaml"], "'FOO' is not a rule code or prefix"),
    (["--ignore=RNN1,E501", "a.yaml"], "'E501' is not a rule code or prefix"),
    (["--isolated=1", "a.yaml"], "Option '--isolated' does not take a value"),
    (["--output-file", "dir", "a.yaml"], "File 'dir' is a directory"),
    (["--config", "dir", "a.yaml"], "File 'dir' is a directory"),
    (["a.yaml", "--format"], "Option '--format' requires an argument"),
    (["-x", "a.yaml"], "No such option '-x'"),
    (["--unknown", "a.yaml"], "No such option '--unknown'"),
    (["--jobs4", "a.yaml"], "No such option '--jobs4'"),
    (["--output-file=a.yaml", "check"], "Missing argument 'PATHS...'"),  # "check" names the command
]


@pytest.mark.parametrize(("argv", "message"), REFUSED, ids=[" ".join(r[0]) or "(none)" for r in REFUSED])
def test_refused_lines_exit_2_with_clicks_message(parse: Any, argv: list[str], message: str) -> None:
    got = parse(argv)
    assert (got.command, got.code) == (None, 2)
    assert message in got.err


@pytest.mark.parametrize(
    ("argv", "command", "paths"),
    [
        (["count", "a.yaml"], "count", ("a.yaml",)),
        (["--isolated", "count", "a.yaml"], "count", ("a.yaml",)),
        (["--format", "json", "count", "a.yaml", "b.json"], "count", ("a.yaml", "b.json")),
        (["--dtype", "fp16", "count", "a.yaml"], "count", ("a.yaml",)),
        (["annotate", "a.yaml"], "annotate", ("a.yaml",)),
        (["--isolated", "annotate", "--check", "a.yaml"], "annotate", ("a.yaml",)),
        (["--isolated", "diff"], "diff", (".",)),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_other_commands_after_leading_options(
    parse: Any, argv: list[str], command: str, paths: tuple[str, ...]
) -> None:
    got = parse(argv)
    assert (got.command, got.code, got.err) == (command, 0, "")
    assert got.args.paths == paths
    assert got.args.isolated == ("--isolated" in argv)
    if command == "count":
        assert got.args.format == ("json" if "json" in argv else "text")
        assert got.args.dtype == ("fp16" if "fp16" in argv else "fp32")


def test_help_version_rule_and_explain_print_and_run_nothing(parse: Any, capsys: pytest.CaptureFixture[str]) -> None:
    for argv, shown in [
        (["--help"], "Usage: rnnlint [OPTIONS] COMMAND"),
        (["-h"], "Usage: rnnlint [OPTIONS] COMMAND"),
        (["a.yaml", "--help"], "Usage: rnnlint check [OPTIONS] PATHS"),
        (["--isolated", "--help"], "Usage: rnnlint check [OPTIONS] PATHS"),
        (["--isolated", "count", "--help"], "Usage: rnnlint count [OPTIONS] PATHS"),
        (["--version"], "rnnlint "),
        (["rule"], "RNN101"),
        (["--explain", "RNN101"], "RNN101 (max-params)"),
    ]:
        entry_code = entry.main(argv)
        out = capsys.readouterr().out
        assert entry_code == 0 and shown in out, argv


# Generated lines: options given before the command's name build what they build after it.
_GOOD_OPTIONS = [
    ["--isolated"],
    ["--no-cache"],
    ["-v"],
    ["--no-respect-gitignore"],
    ["--force-exclude"],
    ["--format", "json"],
    ["--config", "cfg.toml"],
    ["--dialect=native"],
    ["--framework", "keras"],
    ["-j", "2"],
    ["-j0"],
    ["--stdin-filename", "x.yaml"],
]
_CHECK_ONLY = [["--strict"], ["--exit-zero"], ["--select", "RNN1"], ["--max-params=9"], ["--format", "sarif"]]
_COUNT_ONLY = [["--dtype", "bf16"], ["--format=csv"]]


@DEFAULT
@given(
    command=st.sampled_from(["check", "count"]),
    picks=st.lists(st.integers(0, 100), max_size=5),
    split=st.integers(0, 5),
    paths=st.lists(st.sampled_from(["a.yaml", "b.json", "dir", "missing.yaml", "-"]), min_size=1, max_size=3),
)
def test_options_before_the_command_name_mean_the_same(
    parse: Any, command: str, picks: list[int], split: int, paths: list[str]
) -> None:
    pool = _GOOD_OPTIONS + (_CHECK_ONLY if command == "check" else _COUNT_ONLY)
    chosen = [pool[i % len(pool)] for i in picks]
    tokens = [t for option in chosen for t in option]
    cut = sum(len(option) for option in chosen[: min(split, len(chosen))])
    after = parse([command, *tokens, *paths])
    before = parse([*tokens[:cut], command, *tokens[cut:], *paths])
    assert (after.command, after.code) == (command, 0), after.err
    assert (before.command, before.code, before.err, before.args) == (after.command, after.code, after.err, after.args)


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


def test_split_codes_is_shared() -> None:
    assert options.split_codes(["rnn1, RNN2", ",", "RNN3"]) == (("RNN1", "RNN2", "RNN3"), None)
    assert options.split_codes(["RNN1,e501,W1"]) == (("RNN1", "E501", "W1"), "E501")


# The guard: a bug, Ctrl-C or a broken pipe in a command's body becomes an exit code, never a traceback.


def _raiser(exc: BaseException) -> object:
    def execute_check(args: CheckArgs) -> int:
        raise exc

    return execute_check


@pytest.mark.parametrize(
    ("exc", "code", "message"),
    [
        (RuntimeError("boom"), 2, "rnnlint: internal error: RuntimeError: boom (please report this)\n"),
        (KeyboardInterrupt(), 130, "rnnlint: interrupted\n"),
        (BrokenPipeError(), 2, ""),
    ],
    ids=["bug", "interrupt", "pipe"],
)
def test_the_guard(
    tree: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    exc: BaseException,
    code: int,
    message: str,
) -> None:
    monkeypatch.setattr(rnnlint.app.check, "execute_check", _raiser(exc))
    assert entry.main(["--isolated", "a.yaml"]) == code
    captured = capsys.readouterr()
    assert captured.err == message
    assert "Traceback" not in captured.out


def test_main_with_argv_leaves_the_collector_as_it_found_it(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import gc

    before = (gc.get_threshold(), gc.isenabled(), gc.get_freeze_count())
    assert entry.main(["--isolated", "--no-cache", "a.yaml"]) == 0
    assert (gc.get_threshold(), gc.isenabled(), gc.get_freeze_count()) == before


def test_the_process_own_command_line_freezes_before_exit(tree: Path) -> None:
    # Without argv main() runs the process's command line: it freezes the heap so the interpreter's last
    # collection has nothing to scan (a tenth of a one-file run), and still restores the threshold.
    code = (
        "import gc, sys; from rnnlint.app.main import main; t = gc.get_threshold(); "
        "sys.argv = ['rnnlint', '--isolated', '--no-cache', 'a.yaml']; c = main(); "
        "print(c, gc.get_freeze_count() > 1000, gc.get_threshold() == t, file=sys.stderr)"
    )
    proc = _run([sys.executable, "-c", code], cwd=tree)
    assert proc.stderr.split() == ["0", "True", "True"], proc.stderr
    assert "passed" in proc.stdout


# Real processes.


def _run(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False, cwd=cwd)


def _script() -> str:
    script = shutil.which("rnnlint", path=str(Path(sys.executable).parent))
    assert script is not None, "the console script is not installed next to this Python"
    return script


def _imported(stderr: str) -> set[str]:
    """Module names from ``python -X importtime`` output."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_importing_the_package_or_the_entry_imports_no_click() -> None:
    # The API (import rnnlint) and the entry module stay cheap: click comes with the first command line.
    proc = _run([sys.executable, "-X", "importtime", "-c", "import rnnlint, rnnlint.app.main"])
    assert proc.returncode == 0, proc.stderr
    modules = _imported(proc.stderr)
    assert "rnnlint.app.main" in modules
    assert not {m for m in modules if m == "click" or m.startswith("click.")}


def test_the_console_script_runs_count_after_a_leading_option(tmp_path: Path) -> None:
    # The regression: `rnnlint --isolated count x.yaml` used to lint a path named "count".
    (tmp_path / "x.yaml").write_text("model:\n  layers:\n    - {type: lstm, input_size: 10, hidden_size: 20}\n")
    proc = _run([_script(), "--isolated", "count", "x.yaml"], cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    assert "lstm" in proc.stdout and "2,560" in proc.stdout  # 4 x [20 x (10 + 20) + 2 x 20]
    assert "count: no such file" not in proc.stdout + proc.stderr
    same = _run([_script(), "count", "--isolated", "x.yaml"], cwd=tmp_path)
    assert (same.returncode, same.stdout, same.stderr) == (proc.returncode, proc.stdout, proc.stderr)


SAME_OUTPUT = [
    ["clean.yaml"],
    ["over_budget.yaml"],
    ["schema_error.yaml", "--format", "json"],
    ["clean.yaml", "over_budget.yaml", "too_big_for_dataset.yaml", "--strict"],
    ["over_budget.yaml", "--exit-zero", "--select", "RNN101"],
    ["count", "clean.yaml"],
    ["no-such-file.yaml"],
    ["--format", "xml", "clean.yaml"],
]


@pytest.mark.parametrize("args", SAME_OUTPUT, ids=" ".join)
def test_script_module_and_run_cli_print_the_same(run_cli: Any, args: list[str]) -> None:
    argv = ["--isolated", "--no-cache"] + [str(EXAMPLES / a) if a.endswith(".yaml") else a for a in args]
    runs = {"module": _run([sys.executable, "-m", "rnnlint", *argv]), "script": _run([_script(), *argv])}
    first = runs["script"]
    for name, proc in runs.items():
        assert (proc.returncode, proc.stdout, proc.stderr) == (first.returncode, first.stdout, first.stderr), name
    in_process = run_cli(*argv)
    assert (in_process.code, in_process.out, in_process.err) == (first.returncode, first.stdout, first.stderr)
    assert "Traceback" not in first.stderr
    if args == ["no-such-file.yaml"]:
        assert first.returncode == 2 and "no-such-file.yaml" in first.stderr
    elif args == ["over_budget.yaml"]:
        assert first.returncode == 1
    elif args[0] == "--format":
        assert first.returncode == 2 and "'xml' is not one of" in first.stderr
