"""One file through the pipeline: read -> parse -> detect dialect -> adapt -> count -> rules."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable

from rnnlint import codes, counting, dialects
from rnnlint.engine import suppressions
from rnnlint.model import ModelConfig, Omission
from rnnlint.parse import JINJA_SKIP_REASON, Parsed, is_jinja_template, load, parse_source
from rnnlint.parse.document import Document
from rnnlint.parse.source import Problem, Source
from rnnlint.result import FileResult, LayerResult, OmittedPart, Severity, Violation
from rnnlint.rules import Rule, all_rules, relayed
from rnnlint.rules.context import CountedLayer, LintContext
from rnnlint.settings import FileSettings, Settings


class InternalError(Exception):
    """A bug in rnnlint itself (exit code 2); carries the file it happened on."""


# A selected rule, its code, its severity, and whether it relays earlier findings of its code (RELAYS).
ActiveRule = tuple[Rule, str, Severity, bool]
# The selected rules and their severities for the last settings seen (one Settings per run).
_active: tuple[Settings, tuple[ActiveRule, ...], tuple[ActiveRule, ...]] | None = None


def _active_rules(settings: Settings, late: bool) -> tuple[ActiveRule, ...]:
    global _active
    if _active is None or _active[0] is not settings:
        early: list[ActiveRule] = []
        after: list[ActiveRule] = []
        for rule in all_rules():
            code = rule.CODE
            if not settings.is_selected(code):
                continue
            severity: Severity = settings.severity.get(code, rule.SEVERITY)  # type: ignore[assignment]
            (after if rule.PHASE == "after-suppressions" else early).append((rule, code, severity, bool(rule.RELAYS)))
        _active = (settings, tuple(early), tuple(after))
    return _active[2] if late else _active[1]


def _violations(ctx: LintContext, late: bool = False) -> list[Violation]:
    """Run the rules; ``late`` runs those that judge the suppressions (RNN011) instead."""
    file = ctx.settings
    found: list[Violation] = []
    for rule, code, severity, relays in _active_rules(file.settings, late):
        if file.ignored(code):  # an override that matches the file ignores it
            continue
        findings = rule.check(ctx)
        if relays:  # the findings made before the rules ran come first, as they were found
            findings = itertools.chain(relayed(ctx, code), findings)
        for finding in findings:
            span = finding.span
            found.append(
                Violation(code, severity, finding.message, span.line, span.column, span.end_line, span.end_column)
            )
    found.sort(key=lambda v: (v.line, v.column, v.code))
    return found


def count_layers(model: ModelConfig) -> tuple[CountedLayer, ...]:
    return tuple(
        CountedLayer(spec, counting.count(spec.module), counting.is_recurrent(spec.module)) for spec in model.layers
    )


def adapt_document(
    text: str | None, document: Document, file: FileSettings
) -> tuple[dialects.Dialect | None, dialects.Adapted | None]:
    """Detect the document's dialect (or take the forced one) and adapt it to the normalized model.

    ``(None, None)`` when it is not a model config rnnlint knows. The annotate mode shares this, so
    a pragma or override that forces the dialect, framework or input size changes its counts too.
    """
    forced = file.dialect
    dialect = dialects.by_name(forced) if forced else dialects.detect(document.data)
    if dialect is None:
        return None, None
    options = dialects.AdaptOptions(
        path=file.path,
        text=text,
        framework=file.framework,
        input_size=file.input_size,
        state_size=file.state_size,
        action_size=file.action_size,
    )
    adapted = dialect.adapt(document, options)
    adapted.model = _nothing_counted(dialect, adapted.model)
    return dialect, adapted


# Said of a toolkit's model when its dialect found no part to count and named nothing it left out.
NOTHING_COUNTED = (
    "the model: the config declares no part rnnlint counts (it counts recurrent layers and the fixed-size "
    "parts around them), so its size is unknown"
)


def _nothing_counted(dialect: dialects.Dialect, model: ModelConfig | None) -> ModelConfig | None:
    """A toolkit always builds something: a model with no layer and no omission is unknown, never 0.

    Dialects that list a model's every part (rnnlint's own, Keras JSON, ``_target_`` lists) say so
    with ``LISTS_EVERY_PART``; there an empty list really is an empty model."""
    if model is None or model.layers or model.omitted or getattr(dialect, "LISTS_EVERY_PART", False):
        return model
    return model._replace(omitted=(Omission(NOTHING_COUNTED, model.span),))


def _non_trainable(layer: CountedLayer) -> int:
    if not layer.spec.trainable and layer.count.params is not None:
        return layer.count.params  # a frozen layer trains none of them
    return layer.count.non_trainable


def _result(ctx: LintContext, document: Document | None) -> FileResult:
    model = ctx.model
    result = FileResult(
        path=ctx.path, diagnostics=_violations(ctx), source_text=ctx.source.text, strict=ctx.settings.strict
    )
    if document is not None and document.count > 1:
        result.document = document.index
    if model is None:
        result.complete = False
        return result
    result.dialect = model.dialect
    result.framework = model.framework
    result.total_params = ctx.total_params
    result.counted_params = ctx.counted_params
    result.recurrent_params = ctx.recurrent_params
    result.complete = ctx.complete
    result.layers = [
        LayerResult(
            name=c.spec.name,
            type=c.spec.type,
            line=c.spec.span.line,
            column=c.spec.span.column,
            params=c.count.params,
            recurrent=c.recurrent,
            formula=c.count.formula,
            end_line=c.spec.span.end_line,
            input_size=counting.input_size(c.spec.module),
            output_size=c.count.output_size,
            non_trainable=_non_trainable(c),
        )
        for c in ctx.layers
    ]
    result.omitted = [OmittedPart(o.message, o.span.line, o.span.column) for o in model.omitted]
    base = ctx.settings.base
    if base is not None:
        result.base_total, result.base_ref = base.total, base.ref
    for name in ("max_params", "max_layer_params"):
        limit = ctx.limit(name)
        if limit is not None:
            result.limits[name] = (limit.value, limit.source)
    return result


def lint_document(
    source: Source,
    document: Document,
    file: FileSettings,
    pragmas: suppressions.Pragmas,
    pragma_problems: Iterable[Problem] = (),
) -> FileResult:
    """One document of a file; ``file`` holds the file's pragmas already (see :func:`lint_parsed`)."""
    path = file.path
    ctx = LintContext(path=path, source=source, settings=file, document=document)
    ctx.problems.extend(document.problems)
    ctx.problems.extend(pragma_problems)
    dialect, adapted = adapt_document(source.text, document, file)
    if dialect is None or adapted is None:
        if ctx.problems:  # e.g. duplicate keys in a file that is not a model config still matter
            return pragmas.filtered(_result(ctx, document))
        forced = file.dialect
        reason = f"unknown dialect {forced!r}" if forced else "not a model config rnnlint knows"
        return FileResult(path=path, skipped=True, skip_reason=reason, document=None)
    ctx.problems.extend(adapted.problems)
    ctx.model = adapted.model
    if ctx.model is not None:
        ctx.layers = count_layers(ctx.model)
    result = pragmas.filtered(_result(ctx, document))
    if result.dialect is None:
        result.dialect = dialect.NAME
    return result


def _document_ends(documents: list[Document]) -> list[int]:
    """The last line of each document (a pragma belongs to the first document ending at or after it)."""
    ends = []
    for doc in documents:
        span = doc.locator.value(())
        ends.append(span.end_line if span.end_line is not None else span.line)
    return ends


def _owner(ends: list[int], line: int) -> int:
    for index, end in enumerate(ends):
        if line <= end:
            return index
    return max(len(ends) - 1, 0)


def _report_unused(
    parsed: Parsed, file: FileSettings, pragmas: suppressions.Pragmas, results: list[FileResult], ends: list[int]
) -> None:
    """RNN011: suppressions that suppressed nothing, reported in the document that holds them."""
    path = file.path
    by_owner: dict[int, list[Problem]] = {}
    for problem in pragmas.unused(file):
        by_owner.setdefault(_owner(ends, problem.span.line), []).append(problem)
    for index, problems in by_owner.items():
        if index >= len(results) or results[index].skipped:
            continue  # no rule ran on it, so nothing can be judged unused
        ctx = LintContext(path=path, source=parsed.source, settings=file, problems=problems)
        late = [v for v in _violations(ctx, late=True) if not pragmas.file_suppresses(v.code)]
        results[index].diagnostics = sorted(
            [*results[index].diagnostics, *late], key=lambda v: (v.line, v.column, v.code)
        )


# A file that does not parse "shows it is a model config" when its text names a recurrent layer.
_RECURRENT_WORD = re.compile(r"lstm|gru|rnn", re.IGNORECASE)
# Source problems about the file's format (a walk skips such a file); the others (permissions, the
# size cap, a FIFO) are about the machine and stay errors wherever the file came from.
_FORMAT_PROBLEMS = ("binary file", "invalid UTF-8", "invalid UTF-16", "not a Keras model file")


def _json_syntax(dialect: dialects.Dialect) -> frozenset[str]:
    """What a dialect's toolkit reads in a .json file beyond JSON (its module's ``JSON_SYNTAX``)."""
    return getattr(dialect, "JSON_SYNTAX", frozenset())


def _read_leniently(parsed: Parsed, file: FileSettings) -> tuple[Parsed, bool | None]:
    """A .json file that is JSON with comments or trailing commas, as its toolkit reads it.

    Returns the parse to lint (the lenient documents when the dialect that recognises them reads
    such files) and whether the file shows it is a model config (None: the lenient reading does not
    tell)."""
    lenient = parsed.lenient
    if lenient is None:
        return parsed, None
    forced = file.dialect
    dialect = dialects.by_name(forced) if forced else dialects.detect(lenient.documents[0].data)
    if dialect is None:
        return parsed, False
    if lenient.features <= _json_syntax(dialect):
        return Parsed(parsed.source, lenient.documents, []), True
    used = ", ".join(_FEATURE_NAMES[f] for f in sorted(lenient.features))
    hinted = [
        p._replace(message=f"{p.message} ({used}: {dialect.NAME} reads this file as plain JSON)")
        if p.code == codes.RNN001
        else p
        for p in parsed.problems
    ]
    return parsed._replace(problems=hinted), True


_FEATURE_NAMES = {"//": "a // comment", "#": "a # comment", "/*": "a /* */ comment", ",": "a trailing comma"}


def problem_is_loop(problem: Problem | None) -> bool:
    return problem is not None and "symbolic links" in problem.message


def walk_skip_reason(parsed: Parsed, file: FileSettings, shows_config: bool | None) -> str | None:
    """Why a file met by walking a directory is skipped rather than reported (None: it is linted).

    The rule: a walked file that cannot be read as its format, and whose text does not show it
    is a model config, is not a model config. Its text shows one when a dialect recognises what
    could be read of it (the documents before a YAML error, the JSON-with-comments reading of a
    .json file), when a dialect is forced for it, or when it names a recurrent layer (LSTM, GRU,
    RNN in any case, anywhere in the text).
    """
    failures = [p for p in parsed.problems if p.code == codes.RNN001]
    if not failures:
        return None
    source = parsed.source
    path = source.path
    if source.text is None:
        if os.path.islink(path) and not os.path.exists(path):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            if problem_is_loop(source.problem):
                return f"symlink loop: {target} leads back to itself"
            return f"dangling symlink: its target {target} does not exist"
        problem = source.problem
        if problem is None or not problem.message.startswith(_FORMAT_PROBLEMS):
            return None
        return f"not a config: {problem.message}"
    if shows_config is None:
        if file.dialect is not None:
            return None
        if any(dialects.detect(doc.data) is not None for doc in parsed.documents):
            return None
        if _RECURRENT_WORD.search(source.text) is not None:
            return None
    elif shows_config:
        return None
    else:
        return "JSON with comments or trailing commas (an editor or tool setting), not a model config rnnlint knows"
    first = failures[0]
    return (
        f"not a model config: it does not parse ({first.message} at {first.span.line}:{first.span.column}) "
        "and names no recurrent layer"
    )


def resolved(settings: Settings | FileSettings, path: str) -> FileSettings:
    """``path``'s own settings (already resolved when the caller did it)."""
    if isinstance(settings, FileSettings):
        return settings if settings.path == path else settings.settings.resolve(path)
    return settings.resolve(path)


def lint_parsed(parsed: Parsed, settings: Settings | FileSettings, walked: bool = False) -> list[FileResult]:
    """One file's results; ``walked``: met by walking a directory (see :func:`walk_skip_reason`)."""
    path = parsed.source.path
    if parsed.problems and is_jinja_template(parsed.source.text):
        # TensorFlowASR .yml.j2 and the like: the YAML exists only after rendering.
        return [FileResult(path=path, skipped=True, skip_reason=JINJA_SKIP_REASON)]
    file = resolved(settings, path)
    if parsed.problems:
        parsed, shows_config = _read_leniently(parsed, file)
        if walked:
            reason = walk_skip_reason(parsed, file, shows_config)
            if reason is not None:
                return [FileResult(path=path, skipped=True, skip_reason=reason)]
    pragmas = suppressions.scan(path, parsed.source.text)
    file = pragmas.merged_into(file)  # the one place a file's pragmas join its settings
    ends = _document_ends(parsed.documents) if pragmas else []
    owned: list[list[Problem]] = [[] for _ in parsed.documents]
    stray: list[Problem] = []
    for problem in pragmas.problems:
        (owned[_owner(ends, problem.span.line)] if owned else stray).append(problem)
    results = [lint_document(parsed.source, doc, file, pragmas, owned[i]) for i, doc in enumerate(parsed.documents)]
    if parsed.problems or stray:
        problems = [*parsed.problems, *stray]
        ctx = LintContext(path=path, source=parsed.source, settings=file, problems=problems)
        results.append(pragmas.filtered(_result(ctx, None)))
    if pragmas.suppressions and parsed.documents:
        _report_unused(parsed, file, pragmas, results, ends)
    if not results:
        # An empty file or one holding only comments: nothing to lint.
        results.append(FileResult(path=path, skipped=True, skip_reason="empty document"))
    if parsed.source.member is not None:
        _point_into_member(results, parsed.source.member)
    return results


def _point_into_member(results: list[FileResult], member: str) -> None:
    """A Keras model file: lines and columns are in its model JSON, so every message names it."""
    for result in results:
        result.diagnostics = [
            d._replace(message=f"{d.message} [{member} {d.line}:{d.column}]") for d in result.diagnostics
        ]


def lint_file(
    path: str, settings: Settings | FileSettings, stdin: bytes | None = None, walked: bool = False
) -> list[FileResult]:
    """Lint one path; a bug in rnnlint becomes :class:`InternalError`, never a bare traceback."""
    try:
        return lint_parsed(load(path, settings.max_file_bytes, stdin), settings, walked)
    except Exception as exc:
        raise InternalError(internal_error(path, exc)) from exc


def internal_error(path: str, exc: BaseException) -> str:
    """The one-line message for a bug in rnnlint met while linting ``path`` (no traceback)."""
    import traceback  # only for an rnnlint bug (start-up time)

    detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return f"{path}: internal error: {detail}"


def lint_text(path: str, text: str, settings: Settings | FileSettings) -> list[FileResult]:
    """Lint text already in memory (tests, editors)."""
    return lint_parsed(parse_source(Source(path, text)), settings)


def problems_only(path: str, problems: Iterable[Problem], settings: Settings | FileSettings) -> FileResult:
    file = resolved(settings, path)
    ctx = LintContext(path=path, source=Source(path, None), settings=file, problems=list(problems))
    return _result(ctx, None)
