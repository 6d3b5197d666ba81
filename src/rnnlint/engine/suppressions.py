"""``# rnnlint:`` comment pragmas: inline settings and suppressions (YAML ``#``, Jsonnet ``#`` and ``//``).

Settings a file's own format has no place for::

    # rnnlint: train_examples=25000 max_params=5_000_000 input_size=80

Suppressions::

    - type: gru  # rnnlint: disable=RNN203        (this line)
    # rnnlint: disable=RNN203,RNN204               (on a line of its own: the next line with content)
    # rnnlint: disable-file=RNN104                 (the whole file; bare disable-file: every code)

What cannot be read (an unknown key or code, a bad value) is an RNN010 problem; a suppression
that suppresses nothing is an RNN011 problem, as ruff's RUF100 reports unused ``noqa``.
Comments of the shape ``# rnnlint: 235,520 params (...)`` are annotations written by
``rnnlint annotate`` and are not pragmas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rnnlint import codes
from rnnlint.model import SourcedValue, Span
from rnnlint.parse import JSON_SUFFIXES, JSONNET_SUFFIXES
from rnnlint.parse.source import Problem
from rnnlint.result import FileResult, Violation
from rnnlint.settings import GROWTH_KEY, keys, parse_growth

if TYPE_CHECKING:
    from rnnlint.settings import FileSettings

INVALID, UNUSED = codes.RNN010, codes.RNN011

# A comment starts at '#' (or '//' in Jsonnet) at the start of a line or after whitespace.
_YAML_PRAGMA = re.compile(r"(?:^|(?<=\s))#\s*rnnlint\s*:(?P<body>.*)$")
_JSONNET_PRAGMA = re.compile(r"(?:^|(?<=\s))(?:#|//)\s*rnnlint\s*:(?P<body>.*)$")
# "# rnnlint: 235,520 params (lstm ...)", "unknown params (...)", "total [at least] 2,236,034 params
# (...)": annotate-mode comments, not pragmas.
_ANNOTATION = re.compile(r"\s*(?:total\s+(?:at\s+least\s+)?)?(?:~?\d[\d,_]*|unknown)\s+params\b")
# A trailing "# why" or "// why" after the pragma's items is commentary.
_TRAILING_COMMENT = re.compile(r"\s(?:#|//).*$")
_ITEM = re.compile(r"(?P<key>[A-Za-z_][\w-]*)(?:\s*=\s*(?P<value>[^\s,=]+(?:\s*,\s*[^\s,=]+)*))?")
_SEPARATOR = re.compile(r"[\s,;]*")

# The settings a pragma may state (rnnlint.settings.keys), then the suppressions.
VALUE_KEYS = keys.names(pragma=True)
KEYS = (*VALUE_KEYS, "disable", "disable-file")


class Suppression:
    """One ``disable`` / ``disable-file`` pragma; ``codes`` empty means every code (disable-file only)."""

    __slots__ = ("codes", "column", "line", "targets", "used")

    def __init__(
        self, line: int, column: int, codes: tuple[tuple[str, int], ...], targets: frozenset[int] | None
    ) -> None:
        self.line = line
        self.column = column
        self.codes = codes  # (code, column of the code in the comment)
        # The lines it covers; None for the whole file.
        self.targets = targets
        self.used: set[str] = set()

    def covers(self, v: Violation) -> bool:
        if self.targets is not None and v.line not in self.targets:
            return False
        return not self.codes or any(code == v.code for code, _ in self.codes)


class Pragmas:
    """Everything the ``# rnnlint:`` comments of one file say."""

    __slots__ = ("dialect", "framework", "problems", "suppressions", "values")

    def __init__(self) -> None:
        self.values: dict[str, SourcedValue] = {}
        self.framework: str | None = None
        self.dialect: str | None = None
        self.suppressions: list[Suppression] = []
        self.problems: list[Problem] = []

    def __bool__(self) -> bool:
        return bool(self.values or self.framework or self.dialect or self.suppressions or self.problems)

    def merged_into(self, file: FileSettings) -> FileSettings:
        """The file's settings with what its pragmas state (see :meth:`FileSettings.with_pragmas`)."""
        return file.with_pragmas(self.dialect, self.framework, self.values)

    def filtered(self, result: FileResult) -> FileResult:
        if self.suppressions:
            result.diagnostics = self.filter(result.diagnostics)
        return result

    def filter(self, violations: Iterable[Violation]) -> list[Violation]:
        """The violations no suppression covers; covering ones are marked used."""
        kept: list[Violation] = []
        for v in violations:
            covering = [s for s in self.suppressions if s.covers(v)]
            for s in covering:
                s.used.add(v.code)
            if not covering:
                kept.append(v)
        return kept

    def file_suppresses(self, code: str) -> bool:
        return any(s.targets is None and (not s.codes or code in dict(s.codes)) for s in self.suppressions)

    def unused(self, file: FileSettings) -> list[Problem]:
        """RNN011 problems: suppressions (or their codes) that covered nothing.

        Codes that are not selected for this path never run, so a suppression of them cannot
        be judged and is left alone.
        """
        found: list[Problem] = []
        for s in self.suppressions:
            kind = "disable-file" if s.targets is None else "disable"
            if not s.codes:
                if not s.used:
                    found.append(Problem(UNUSED, f"unused suppression: '{kind}' suppresses nothing", _at(s)))
                continue
            for code, column in s.codes:
                if code in s.used or not file.is_selected(code):
                    continue
                where = "in this file" if s.targets is None else _lines_phrase(s.targets)
                found.append(
                    Problem(
                        UNUSED,
                        f"unused suppression: {code} is not reported {where}; remove it from '{kind}'",
                        Span(s.line, column, s.line, column + len(code) - 1),
                    )
                )
        return found


def _at(s: Suppression) -> Span:
    return Span(s.line, s.column)


def _lines_phrase(targets: frozenset[int]) -> str:
    return "on line " + ", ".join(str(n) for n in sorted(targets))


def known_codes() -> frozenset[str]:
    from rnnlint.rules import all_rules

    return frozenset(r.CODE for r in all_rules())


def _has_comments(path: str) -> bool:
    return not path.lower().endswith(JSON_SUFFIXES)


def _content_line_after(lines: Sequence[str], index: int) -> int:
    """1-based number of the first line after ``lines[index]`` with content (not blank, not only a comment)."""
    for j in range(index + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and not stripped.startswith(("#", "//")):
            return j + 1
    return index + 2


def scan(path: str, text: str | None, codes: frozenset[str] | None = None) -> Pragmas:
    """Read every pragma of a file (nothing for JSON, which has no comments)."""
    pragmas = Pragmas()
    if text is None or "rnnlint" not in text or not _has_comments(path):
        return pragmas
    pattern = _JSONNET_PRAGMA if path.lower().endswith(JSONNET_SUFFIXES) else _YAML_PRAGMA
    lines = text.splitlines()
    known = codes if codes is not None else known_codes()
    declared: dict[str, int] = {}
    for index, line in enumerate(lines):
        if "rnnlint" not in line:
            continue
        match = pattern.search(line)
        if match is None or _ANNOTATION.match(match.group("body")):
            continue
        _Reader(pragmas, known, declared, lines, index, match, pattern).read()
    return pragmas


class _Reader:
    """Reads the items of one pragma comment into :class:`Pragmas`."""

    def __init__(
        self,
        pragmas: Pragmas,
        known: frozenset[str],
        declared: dict[str, int],
        lines: Sequence[str],
        index: int,
        match: re.Match[str],
        comment: re.Pattern[str],
    ) -> None:
        self.pragmas = pragmas
        self.known = known
        self.declared = declared
        self.lines = lines
        self.index = index
        self.match = match
        self.comment = comment

    @property
    def line(self) -> int:
        return self.index + 1

    def problem(self, message: str, column: int, length: int = 1) -> None:
        span = Span(self.line, column, self.line, column + max(length, 1) - 1)
        self.pragmas.problems.append(Problem(INVALID, message, span))

    def read(self) -> None:
        body = self.match.group("body")
        start = self.match.start("body")
        trailing = _TRAILING_COMMENT.search(body)
        if trailing:
            body = body[: trailing.start()]
        pos = _SEPARATOR.match(body, 0).end()  # type: ignore[union-attr]
        if pos >= len(body):
            self.problem("empty '# rnnlint:' comment; write key=value items or disable=CODES", start + 1)
            return
        while pos < len(body):
            item = _ITEM.match(body, pos)
            if item is None or item.end() == pos:
                rest = body[pos:].split()[0]
                self.problem(f"cannot read {rest!r}; items look like key=value", start + pos + 1, len(rest))
                return
            self.item(item.group("key"), item.group("value"), start + item.start() + 1, start, item)
            pos = _SEPARATOR.match(body, item.end()).end()  # type: ignore[union-attr]

    def item(self, key: str, value: str | None, column: int, base: int, item: re.Match[str]) -> None:
        normalized = key.replace("-", "_") if key not in ("disable-file",) else key
        if normalized == "disable_file":
            normalized = "disable-file"
        if normalized in ("disable", "disable-file"):
            self.suppression(normalized, value, column, base + (item.start("value") if value else 0) + 1)
            return
        if normalized not in VALUE_KEYS:
            import difflib  # only for a bad pragma's hint

            close = difflib.get_close_matches(normalized, KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.problem(f"unknown key '{key}'{hint}; allowed: {', '.join(KEYS)}", column, len(key))
            return
        if value is None:
            self.problem(f"'{key}' needs a value ({key}=...)", column, len(key))
            return
        if normalized in self.declared:
            self.problem(f"'{key}' is already declared at line {self.declared[normalized]}", column, len(key))
            return
        parsed = self.value(normalized, value, column)
        if parsed is None:
            return
        self.declared[normalized] = self.line
        if normalized == "framework":
            self.pragmas.framework = value
        elif normalized == "dialect":
            self.pragmas.dialect = value
        elif isinstance(parsed, (int, float)):
            span = Span(self.line, column, self.line, column + len(key) + 1 + len(value) - 1)
            if normalized == GROWTH_KEY:
                growth = parse_growth(value)
                assert growth is not None  # checked by value()
                normalized, parsed = growth
            self.pragmas.values[normalized] = SourcedValue(parsed, f"pragma at line {self.line}", span)

    def value(self, name: str, raw: str, column: int) -> float | str | None:
        """A pragma's value checked against its key's kind and bounds (rnnlint.settings.keys)."""
        key = keys.BY_NAME[name]
        if key.kind == keys.CHOICE:
            if raw not in key.choices:
                self.problem(f"{name} must be one of {', '.join(key.choices)}, not {raw!r}", column, len(name))
                return None
            return raw
        if key.kind == keys.DIALECT:
            from rnnlint import dialects

            if dialects.by_name(raw) is None:
                self.problem(f"unknown dialect {raw!r}; known: {', '.join(dialects.names())}", column, len(name))
                return None
            return raw
        if key.kind == keys.GROWTH:
            growth = parse_growth(raw)
            if growth is None:
                wanted = "a number of parameters or a percentage such as 10%"
                self.problem(f"{name} must be {wanted}, not {raw!r}", column, len(name))
                return None
            return growth[1]
        text = raw.replace("_", "")
        number: float | None
        try:
            number = float(text)
        except ValueError:
            number = None
        minimum = key.minimum or 0
        if key.kind == keys.INT:
            if number is None or not number.is_integer() or not re.fullmatch(r"\d+(?:[eE]\+?\d+)?", text):
                self.problem(f"{name} must be a whole number such as 5_000_000, not {raw!r}", column, len(name))
                return None
            number = int(number)
            if number < minimum:
                self.problem(f"{name} must be at least {int(minimum)}, not {raw!r}", column, len(name))
                return None
        elif number is None or number != number or number <= minimum or number == float("inf"):
            self.problem(f"{name} must be a positive number, not {raw!r}", column, len(name))
            return None
        return number

    def suppression(self, kind: str, value: str | None, column: int, value_column: int) -> None:
        if value is None and kind == "disable":
            self.problem("'disable' needs the codes to suppress, e.g. disable=RNN103", column, len(kind))
            return
        codes: list[tuple[str, int]] = []
        for part in re.finditer(r"[^\s,]+", value or ""):
            code = part.group().upper()
            code_column = value_column + part.start()
            if code not in self.known:
                import difflib  # only for a bad pragma's hint

                close = difflib.get_close_matches(code, sorted(self.known), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.problem(f"unknown rule code {part.group()!r} in '{kind}'{hint}", code_column, len(code))
                continue
            codes.append((code, code_column))
        if value is not None and not codes:
            return  # every code was unknown: reported above, nothing to suppress
        targets: frozenset[int] | None = None
        if kind == "disable":
            before = self.lines[self.index][: self.match.start()]
            on_own_line = not before.strip()
            target = _content_line_after(self.lines, self.index) if on_own_line else self.line
            targets = frozenset({target})
        self.pragmas.suppressions.append(Suppression(self.line, column, tuple(codes), targets))
