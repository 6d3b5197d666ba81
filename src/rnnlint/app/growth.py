"""How a change grows each model: configs against their version at a git base.

``rnnlint check --diff-base REF`` hands each changed config's base size to RNN107 (through
``Settings.base``); ``rnnlint diff`` reports every changed config and layer with its delta, in
text, JSON, Markdown or GitHub form. git does the git work (:mod:`rnnlint.run.gitbase`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple, TextIO

from rnnlint import codes, engine
from rnnlint.counting import fmt, signed_change
from rnnlint.result import FileResult, LayerResult
from rnnlint.run import gitbase
from rnnlint.settings import BaseState, Settings


class Base(NamedTuple):
    commit: str
    # How it was chosen ("--base main", "the merge base with origin/main (...)").
    how: str
    top: str
    changes: tuple[gitbase.Change, ...]

    @property
    def ref(self) -> str:
        return self.commit[:12]


def find_base(ref: str | None, paths: Sequence[str], environ: Mapping[str, str]) -> Base:
    top = gitbase.toplevel()
    commit, how = gitbase.resolve_base(top, ref, environ)
    specs = [p for p in paths if p != "-"] or ["."]
    return Base(commit, how, top, tuple(gitbase.changes(top, commit, specs)))


def _model(results: Sequence[FileResult]) -> FileResult | None:
    """The first document that is a model (multi-document files compare their first model)."""
    return next((r for r in results if not r.skipped and r.dialect is not None), None)


def lint_base(base: Base, change: gitbase.Change, settings: Settings) -> tuple[FileResult | None, str | None]:
    """The config at the base, or why there is none to compare with."""
    text = gitbase.show(base.top, base.commit, change.old_path)
    if text is None:
        return None, f"{change.old_path} cannot be read at {base.ref}"
    results = engine.lint_text(os.path.join(base.top, change.old_path), text, settings)
    model = _model(results)
    if model is None:
        error = next((d for r in results for d in r.diagnostics if d.severity == "error"), None)
        if error is not None:
            return None, f"at {base.ref} it did not parse: {error.message} (line {error.line})"
        return None, None
    errors = [
        d for d in model.diagnostics if d.severity == "error" and d.code in (codes.RNN001, codes.RNN002, codes.RNN003)
    ]
    if errors and not model.layers:
        return None, f"at {base.ref} it did not parse: {errors[0].message} (line {errors[0].line})"
    return model, None


def base_states(base: Base, settings: Settings) -> dict[str, BaseState]:
    """Each changed config's size at the base, by absolute path now (what RNN107 compares)."""
    states: dict[str, BaseState] = {}
    for change in base.changes:
        if change.status not in ("modified", "renamed"):
            continue
        model, _ = lint_base(base, change, settings)
        if model is None:
            continue
        states[os.path.join(base.top, change.path)] = BaseState(
            change.status, change.old_path, model.total_params, model.counted_params, base.ref
        )
    return states


class LayerDelta(NamedTuple):
    name: str
    type: str
    status: str  # "changed", "unchanged", "added", "removed"
    base: int | None
    now: int | None


class FileDelta(NamedTuple):
    path: str  # now (the base's path when deleted)
    old_path: str
    status: str  # "added", "deleted", "modified", "renamed"
    base: FileResult | None
    now: FileResult | None
    # Why the base could not be compared (it did not parse, ...).
    note: str | None
    layers: tuple[LayerDelta, ...]

    def sizes(self) -> tuple[int | None, int | None, bool]:
        """(base, now, whole): the totals, or the counted sums when either side leaves a part out."""
        base_total = self.base.total_params if self.base else None
        now_total = self.now.total_params if self.now else None
        if (self.base is None or base_total is not None) and (self.now is None or now_total is not None):
            return base_total, now_total, True
        return (
            self.base.counted_params if self.base else None,
            self.now.counted_params if self.now else None,
            False,
        )


def _layer_deltas(base: FileResult | None, now: FileResult | None) -> tuple[LayerDelta, ...]:
    """Layers matched by name (and type); the rest are added or removed."""
    before: dict[tuple[str, str], LayerResult] = {(x.name, x.type): x for x in (base.layers if base else [])}
    out: list[LayerDelta] = []
    for layer in now.layers if now else []:
        old = before.pop((layer.name, layer.type), None)
        if old is None:
            out.append(LayerDelta(layer.name, layer.type, "added", None, layer.params))
        else:
            status = "unchanged" if old.params == layer.params else "changed"
            out.append(LayerDelta(layer.name, layer.type, status, old.params, layer.params))
    out.extend(LayerDelta(x.name, x.type, "removed", x.params, None) for x in before.values())
    return tuple(out)


def compare(base: Base, settings: Settings, now: Mapping[str, FileResult]) -> list[FileDelta]:
    """Every changed config's delta; ``now`` holds the linted current files by absolute path."""
    out: list[FileDelta] = []
    for change in base.changes:
        current = now.get(os.path.join(base.top, change.path)) if change.path else None
        old: FileResult | None = None
        note: str | None = None
        if change.status != "added":
            old, note = lint_base(base, change, settings)
        if current is not None and current.dialect is None:
            error = next((d for d in current.diagnostics if d.severity == "error"), None)
            note = f"it does not parse now: {error.message} (line {error.line})" if error else note
            current = None
        if current is None and old is None and note is None:
            continue  # not a model config on either side
        path = change.path or change.old_path
        out.append(FileDelta(path, change.old_path, change.status, old, current, note, _layer_deltas(old, current)))
    return out


def _size(n: int | None) -> str:
    return "unknown" if n is None else fmt(n)


def _arrow(old: int | None, new: int | None) -> str:
    return f"{_size(old)} -> {_size(new)} ({signed_change(old, new)})"


def text_lines(delta: FileDelta) -> Iterator[str]:
    base, now, whole = delta.sizes()
    what = "total" if whole else "counted (part of the model is not counted)"
    head = delta.path
    if delta.status == "renamed":
        head += f" (renamed from {delta.old_path})"
    if delta.note:
        yield f"{head}: {delta.note}; now {what} {_size(now)}"
    elif delta.status == "added" or delta.base is None:
        yield f"{head}: new config, {what} {_size(now)}"
    elif delta.status == "deleted" or delta.now is None:
        yield f"{head}: deleted (was {what} {_size(base)})"
    else:
        yield f"{head}: {what} {_arrow(base, now)}"
    for v in delta.now.diagnostics if delta.now else []:
        if v.code == codes.RNN107:
            yield f"  {v.line}:{v.column}: {v.code} {v.message}"
    if delta.base is None or delta.now is None:
        return
    for layer in delta.layers:
        label = f"  {layer.name} ({layer.type})"
        if layer.status == "changed":
            yield f"{label}: {_arrow(layer.base, layer.now)}"
        elif layer.status == "added":
            yield f"{label}: added, {_size(layer.now)}"
        elif layer.status == "removed":
            yield f"{label}: removed (was {_size(layer.base)})"


def entry(delta: FileDelta) -> dict[str, Any]:
    """One changed config as ``rnnlint diff --format json`` writes it."""
    base, now, whole = delta.sizes()
    either = delta.now or delta.base
    return {
        "path": delta.path,
        "old_path": delta.old_path or None,
        "status": delta.status,
        "dialect": either.dialect if either is not None else None,
        "base_total": delta.base.total_params if delta.base else None,
        "total": delta.now.total_params if delta.now else None,
        "base_counted": delta.base.counted_params if delta.base else None,
        "counted": delta.now.counted_params if delta.now else None,
        # The change in the totals, or in the counted sums when "whole" is false; null when unknown.
        "delta": None if base is None or now is None else now - base,
        "whole": whole,
        "note": delta.note,
        "layers": [
            {
                "name": layer.name,
                "type": layer.type,
                "status": layer.status,
                "base_params": layer.base,
                "params": layer.now,
                "delta": None if layer.base is None or layer.now is None else layer.now - layer.base,
            }
            for layer in delta.layers
        ],
        "diagnostics": [
            {"code": d.code, "severity": d.severity, "message": d.message, "line": d.line, "column": d.column}
            for d in (delta.now.diagnostics if delta.now else [])
            if d.code == codes.RNN107
        ],
    }


def markdown(deltas: Sequence[FileDelta], base: Base) -> str:
    lines = [
        f"Model size against {base.ref} ({base.how})",
        "",
        "| config | layer | base | now | change |",
        "|---|---|---:|---:|---:|",
    ]
    for delta in deltas:
        old, new, whole = delta.sizes()
        name = delta.path.replace("|", "\\|")
        status = {"added": " (new)", "deleted": " (deleted)", "renamed": f" (renamed from {delta.old_path})"}.get(
            delta.status, ""
        )
        total = "**total**" if whole else "**counted** (part not counted)"
        if delta.note:
            lines.append(f"| `{name}`{status} | {total} | {delta.note} | {_size(new)} | |")
        else:
            lines.append(
                f"| `{name}`{status} | {total} | {_size(old) if delta.base else ''} | "
                f"{_size(new) if delta.now else ''} | {signed_change(old, new) if delta.base and delta.now else ''} |"
            )
        if delta.base is not None and delta.now is not None:
            for layer in delta.layers:
                if layer.status == "unchanged":
                    continue
                lines.append(
                    f"| | {layer.name} ({layer.type}) {'' if layer.status == 'changed' else layer.status} | "
                    f"{_size(layer.base) if layer.base is not None or layer.status != 'added' else ''} | "
                    f"{_size(layer.now) if layer.status != 'removed' else ''} | "
                    f"{signed_change(layer.base, layer.now) if layer.status == 'changed' else ''} |"
                )
    if not deltas:
        lines.append("| no config changed | | | | |")
    return "\n".join(lines) + "\n"


def write_text(deltas: Sequence[FileDelta], base: Base, out: TextIO) -> None:
    out.write(f"against {base.ref} ({base.how})\n")
    for delta in deltas:
        for line in text_lines(delta):
            out.write(line + "\n")
    grown = sum(1 for d in deltas if d.base and d.now and (d.sizes()[0] or 0) < (d.sizes()[1] or 0))
    out.write(f"{len(deltas)} config{'s' if len(deltas) != 1 else ''} changed, {grown} grew.\n")


FORMATS = ("text", "json", "markdown", "github")


def document(deltas: Sequence[FileDelta], base: Base) -> dict[str, Any]:
    from rnnlint import __version__

    entries = [entry(d) for d in deltas]
    known = [e["delta"] for e in entries if e["delta"] is not None]
    return {
        "version": __version__,
        "base": {"commit": base.commit, "how": base.how},
        "files": entries,
        "summary": {
            "changed": len(entries),
            "grew": sum(1 for d in known if d > 0),
            # The sum of the known deltas; "complete" is false when a config's delta is unknown.
            "delta": sum(known),
            "complete": len(known) == len(entries),
            "failed": any(d["severity"] == "error" for e in entries for d in e["diagnostics"]),
        },
    }


def _github(deltas: Sequence[FileDelta], base: Base, out: TextIO, environ: Mapping[str, str]) -> None:
    from rnnlint.reporters.common import repository_root
    from rnnlint.reporters.github import workflow_command

    root = repository_root(environ)
    for delta in deltas:
        if delta.now is None:
            continue
        lines = delta.now.source_text.splitlines() if delta.now.source_text else []
        rel = os.path.relpath(os.path.join(base.top, delta.path), root).replace(os.sep, "/")
        for v in delta.now.diagnostics:
            if v.code == codes.RNN107:
                out.write(workflow_command(rel, v, lines) + "\n")
    write_text(deltas, base, out)
    summary = environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(markdown(deltas, base) + "\n")


def write(form: str, deltas: Sequence[FileDelta], base: Base, out: TextIO, environ: Mapping[str, str]) -> None:
    if form == "json":
        from rnnlint.reporters import jsontext

        out.write(jsontext.dumps(document(deltas, base)) + "\n")
    elif form == "markdown":
        out.write(markdown(deltas, base))
    elif form == "github":
        _github(deltas, base, out, environ)
    else:
        write_text(deltas, base, out)
