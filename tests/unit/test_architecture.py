"""The pipeline's import direction: every import (lazy ones included) points down the layers, and
no two modules import each other, directly or around a loop.

This is the import-linter "layers" contract, as a test that needs nothing installed: the imports are
read from the source with ``ast``. A new module must be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "rnnlint"

# Top to bottom. A node may import any layer below it, never its own layer's siblings (engine, reporters and
# annotate are independent of each other) nor a layer above. Packages are one node each: their modules are
# one stage, and inside a package the modules must not import each other around a loop (test_no_module_cycles).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("__main__",),  # python -m rnnlint
    ("app",),  # argv -> exit code: the console script, the commands, the public API
    ("run",),  # many files -> results: the walk, the cache, the workers, the tally
    ("engine", "reporters", "annotate"),  # one file through detect/adapt/count/rules; output; rewriting
    ("rules",),
    ("dialects",),  # adapt a document to the normalized model
    ("parse", "settings"),  # bytes -> documents with positions; configuration
    ("counting", "result", "codes"),
    ("model", "schemas"),  # the normalized model; the shipped JSON Schema (data only)
)
PACKAGES = ("app", "run", "engine", "annotate", "rules", "dialects", "parse", "settings", "reporters")


def _node(module: str) -> str | None:
    """``rnnlint.dialects.espnet2`` -> ``dialects``; None for what is not rnnlint's (or the package itself)."""
    parts = module.split(".")
    if parts[0] != "rnnlint" or len(parts) == 1:
        return None
    return parts[1]


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every rnnlint module ``path`` imports, at any depth of the code (lazy imports too)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            # "from rnnlint import counting" imports the submodule.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {m for m in found if m.startswith("rnnlint.")}


def _graph() -> dict[str, set[str]]:
    """Node -> the nodes it imports. The package's own ``__init__`` (the version, and a lazy facade
    over :mod:`rnnlint.app.api`) is not a node: importing ``rnnlint.__version__`` is importing nothing."""
    modules = {
        p.stem if p.parent == SRC else p.relative_to(SRC).parts[0]
        for p in SRC.rglob("*.py")
        if "__pycache__" not in p.parts
    }
    modules.discard("__init__")
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for path in SRC.rglob("*.py"):
        if path == SRC / "__init__.py":
            continue
        source = _node(_module_name(path))
        assert source is not None
        for imported in _imports(path):
            target = _node(imported)
            if target is not None and target != source and target in graph:
                graph[source].add(target)
    return graph


def test_every_module_has_a_layer() -> None:
    placed = {m for layer in LAYERS for m in layer}
    assert set(_graph()) == placed, "give each new module a layer in tests/unit/test_architecture.py"


def upward(graph: dict[str, set[str]], layers: tuple[tuple[str, ...], ...]) -> list[str]:
    rank = {m: i for i, layer in enumerate(layers) for m in layer}
    return sorted(
        f"{source} (layer {rank[source]}) imports {target} (layer {rank[target]})"
        for source, targets in graph.items()
        for target in targets
        if rank[target] <= rank[source]
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_imports_point_down() -> None:
    assert upward(_graph(), LAYERS) == []


def test_no_import_cycles() -> None:
    assert cycles(_graph()) == []


def _module_graph() -> dict[str, set[str]]:
    """Module -> the modules it imports (``from rnnlint.x import name`` is an import of ``rnnlint.x``)."""
    modules = {_module_name(p): p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        if name == "rnnlint":
            continue
        targets = set()
        for imported in _imports(path):
            target = imported if imported in modules else imported.rpartition(".")[0]
            if target in modules and target not in (name, "rnnlint"):
                targets.add(target)
        graph[name] = targets
    return graph


def test_no_module_cycles() -> None:
    graph = _module_graph()
    assert len(graph) > 90 and graph["rnnlint.app.main"]
    assert cycles(graph) == []


def test_the_checks_are_not_vacuous() -> None:
    # Lazy imports inside functions are read (app.main imports cli only inside a function).
    assert _imports(SRC / "app" / "main.py") >= {"rnnlint.app.cli", "rnnlint.app.exits"}
    assert upward({"model": {"cli"}, "cli": set()}, (("cli",), ("model",))) == ["model (layer 1) imports cli (layer 0)"]
    assert upward({"engine": {"annotate"}, "annotate": set()}, (("engine", "annotate"),)) == [
        "engine (layer 0) imports annotate (layer 0)"
    ]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
