"""A run served from the cache, through the real CLI in fresh processes: the same output as the
first run, and none of the parsing machinery (PyYAML) imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Runs the CLI, then reports on stderr (last line) whether PyYAML and the engine were imported.
_PROBE = """
import json, sys
from rnnlint.app.main import main
code = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps({"code": code, "yaml": "yaml" in sys.modules, "engine": "rnnlint.engine" in sys.modules}),
      file=sys.stderr)
"""

CONFIG = """\
model:
  layers:
    - type: lstm
      hidden_size: {hidden}
      input_size: 10
      dropout: 0.3
"""


def _run(cwd: Path, *args: str) -> tuple[str, dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PYTHONDONTWRITEBYTECODE")}
    env["NO_COLOR"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    probe: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    assert probe["code"] in (0, 1), done.stderr  # findings at most: never an error
    return done.stdout, probe


def test_a_run_served_from_the_cache_imports_no_yaml_and_prints_the_same(tmp_path: Path) -> None:
    (tmp_path / "configs").mkdir()
    for i in range(4):
        (tmp_path / "configs" / f"m{i}.yaml").write_text(CONFIG.format(hidden=8 + i), encoding="utf-8")
    first, cold = _run(tmp_path, "--isolated", "configs")
    assert cold["yaml"] and cold["engine"]  # the first run parsed every file
    assert "RNN100" in first and "4 configs checked" in first
    second, warm = _run(tmp_path, "--isolated", "configs")
    assert second == first
    assert warm == {"code": cold["code"], "yaml": False, "engine": False}
    # An edited file is a miss: that run parses again, and only the edit shows.
    (tmp_path / "configs" / "m0.yaml").write_text(CONFIG.format(hidden=32), encoding="utf-8")
    third, edited = _run(tmp_path, "--isolated", "configs")
    assert edited["yaml"] and third != first
    assert third == _run(tmp_path, "--isolated", "--no-cache", "configs")[0]


def test_a_pyyaml_change_invalidates_without_importing_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rnnlint.run import cache as cache_module

    for library in ("yaml", "jsonschema"):  # PyYAML reads the files, jsonschema words RNN002
        files = cache_module._library_files(library)
        assert any(name.endswith("__init__.py") for name in files)  # the library's own files, found
        assert any(os.path.basename(os.path.dirname(name)) == library for name in files)
    # Its files' stat stands for its version: a rewritten file changes every key.
    fake = tmp_path / "yaml_init.py"
    fake.write_text("__version__ = '1'\n", encoding="utf-8")
    monkeypatch.setattr(cache_module, "_library_files", lambda name: [str(fake)] if name == "yaml" else [])
    try:
        cache_module.code_fingerprint.cache_clear()
        before = cache_module.code_fingerprint()
        fake.write_text("__version__ = '2.0'\n", encoding="utf-8")
        cache_module.code_fingerprint.cache_clear()
        assert cache_module.code_fingerprint() != before
    finally:
        cache_module.code_fingerprint.cache_clear()


def test_the_fingerprint_covers_every_stage_package() -> None:
    # The cache module sits in rnnlint/run/: an edit to a module of any other stage must change the keys too.
    from rnnlint.run import cache as cache_module

    shown = {part.split(":")[0] for part in cache_module.fingerprint_parts()}
    package = Path(cache_module.__file__).resolve().parent.parent
    modules = {str(p.relative_to(package)) for p in package.rglob("*.py") if "__pycache__" not in p.parts}
    assert {"dialects/native/_fast.py", "settings/keys.py", "app/main.py", "counting.py"} <= modules <= shown


def test_the_tallied_summary_equals_the_full_results_summary() -> None:
    from rnnlint.result import FileResult, LayerResult, RunResult, Violation
    from rnnlint.run.tally import Tally

    def violation(severity: str) -> Violation:
        return Violation("RNN100", severity, "m", 1, 1)  # type: ignore[arg-type]

    files = [
        FileResult(
            path="a.yaml",
            diagnostics=[violation("error"), violation("note"), violation("note")],
            layers=[LayerResult("l", "lstm", 1, 1, 8, True, ""), LayerResult("e", "embedding", 2, 1, 4, False, "")],
        ),
        FileResult(path="b.yaml", skipped=True),
        FileResult(path="c.yaml", diagnostics=[violation("warning")]),
        FileResult(path="d.yaml", diagnostics=[violation("note")], layers=[LayerResult("g", "gru", 1, 1, 6, True, "")]),
    ]
    for strict in (False, True):
        for chosen in (files, files[1:], files[2:3], []):
            tally = Tally()
            for result in chosen:
                tally.add(result)
            full = RunResult(list(chosen), strict=strict)
            tallied = tally.run(strict)
            assert tallied.summary() == full.summary() and tallied.failed == full.failed
            assert tallied.totals() == full.totals()
