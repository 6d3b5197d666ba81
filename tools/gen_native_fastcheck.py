"""Generate ``src/rnnlint/dialects/native/_fast.py`` from the native JSON Schema, the only hand-written form.

The generated module holds ``valid(data)``, the schema compiled to plain Python checks with exactly
jsonschema's verdict (``Draft202012Validator`` with rnnlint's strict "integer": no booleans, no floats
such as 256.0), and the schema's key lists that the native dialect and RNN004 read: the properties of
each section, the layer kinds and the numeric properties. No run loads the schema file or jsonschema
for a valid file.

    python tools/gen_native_fastcheck.py          # rewrite _fast.py after editing the schema
    python tools/gen_native_fastcheck.py --check  # exit 1 when _fast.py is stale

tests/equivalence/test_generated.py regenerates in memory and fails while the committed file is stale.
Only the keywords the schema uses are compiled; any other keyword stops the generator with its name,
so a schema edit can never be silently half-checked.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "src" / "rnnlint" / "schemas" / "rnnlint-config.schema.json"
TARGET = REPO / "src" / "rnnlint" / "dialects" / "native" / "_fast.py"

# Keywords that never make an instance invalid (``then``/``else`` are read with ``if``).
ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples"})

# jsonschema's types, with rnnlint's "integer" (rnnlint.dialects.native.validate.TYPE_CHECKER).
TYPE_TESTS = {
    "integer": "isinstance(v, int) and not isinstance(v, bool)",
    "number": "isinstance(v, (int, float)) and not isinstance(v, bool)",
    "string": "isinstance(v, str)",
    "boolean": "isinstance(v, bool)",
    "object": "isinstance(v, dict)",
    "array": "isinstance(v, list)",
    "null": "v is None",
}
# The type a keyword constrains; it passes on any other type, as in jsonschema.
APPLIES_TO = {
    "minimum": "number",
    "exclusiveMinimum": "number",
    "maximum": "number",
    "exclusiveMaximum": "number",
    "minLength": "string",
    "maxLength": "string",
    "minItems": "array",
    "maxItems": "array",
    "required": "object",
    "properties": "object",
    "additionalProperties": "object",
    "items": "array",
}
# jsonschema's comparisons: each fails on this test, so NaN passes every bound (as there).
BOUNDS = {
    "minimum": "v < {}",
    "exclusiveMinimum": "v <= {}",
    "maximum": "v > {}",
    "exclusiveMaximum": "v >= {}",
    "minLength": "len(v) < {}",
    "maxLength": "len(v) > {}",
    "minItems": "len(v) < {}",
    "maxItems": "len(v) > {}",
}
BOUND_WORDS = {
    "minimum": "min",
    "exclusiveMinimum": "above",
    "maximum": "max",
    "exclusiveMaximum": "below",
    "minLength": "min_length",
    "maxLength": "max_length",
    "minItems": "min_items",
    "maxItems": "max_items",
}


class Unsupported(ValueError):
    """The schema uses a keyword or form this generator does not compile."""


def _implied(known: str | None, wanted: str) -> bool:
    return known == wanted or (known == "integer" and wanted == "number")


def _strings(values: Any, where: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(x, str) for x in values):
        raise Unsupported(f"{where}: only enums and consts of strings are compiled")
    return values


def _identifier(text: str) -> str:
    return re.sub(r"\W+", "_", text).strip("_").lower() or "x"


class Compiler:
    """Compiles each distinct subschema once, to one function ``_name(v) -> bool``."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.functions: dict[str, list[str]] = {}
        self.tables: dict[str, list[str]] = {}
        self.names: dict[str, str] = {}  # canonical subschema -> function name
        self.kinds: dict[str, dict[str, str]] = {}  # $defs name -> discriminator value -> $defs name
        self._defining: str | None = None

    # -- naming ----------------------------------------------------------------------------------------

    def _fresh(self, hint: str) -> str:
        name = f"_{_identifier(hint)}"
        taken = set(self.functions) | set(self.tables) | {"_check", "_data"}
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name}_{n}", n + 1
        return candidate

    @staticmethod
    def _content_name(node: Mapping[str, Any]) -> str | None:
        """A name that says what a leaf schema checks (``_number_min_0_max_1``), or None for structures."""
        parts: list[str] = []
        for keyword, value in node.items():
            if keyword == "type":
                parts.append("_or_".join(value) if isinstance(value, list) else str(value))
            elif keyword == "enum":
                parts.append("one_of_" + "_".join(str(x) for x in value))
            elif keyword == "const":
                parts.append(f"is_{value}")
            elif keyword in BOUNDS:
                parts.append(f"{BOUND_WORDS[keyword]}_{value}")
            else:
                return None
        return "_".join(parts) if parts and len("_".join(parts)) <= 40 else None

    # -- compiling -------------------------------------------------------------------------------------

    def resolve(self, ref: str) -> tuple[str, Mapping[str, Any]]:
        if not ref.startswith("#/"):
            raise Unsupported(f"only local references are compiled: {ref!r}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return ref.rsplit("/", 1)[-1], node

    def check(self, node: Any, hint: str, named: bool = False) -> str:
        """The name of the function that checks ``node`` (``hint`` names it when ``named``: a $defs entry)."""
        if node is True or node == {}:
            return self._always(True)
        if node is False:
            return self._always(False)
        if not isinstance(node, Mapping):
            raise Unsupported(f"{hint}: a schema must be an object or a boolean")
        live = {k: v for k, v in node.items() if k not in ANNOTATIONS}
        if set(live) == {"$ref"}:
            name, target = self.resolve(live["$ref"])
            return self.check(target, name, named=True)
        key = json.dumps(live, sort_keys=True)
        if key in self.names:
            return self.names[key]
        name = self._fresh(hint if named else self._content_name(live) or hint)
        self.names[key] = name
        self.functions[name] = []  # reserved: a recursive reference finds the name
        self.functions[name] = self._body(live, hint)
        return name

    def _always(self, verdict: bool) -> str:
        key = json.dumps(verdict)
        if key not in self.names:
            name = self._fresh("anything" if verdict else "nothing")
            self.names[key] = name
            self.functions[name] = [f"    return {verdict}"]
        return self.names[key]

    def _body(self, node: Mapping[str, Any], hint: str) -> list[str]:
        # (guard, condition): each must hold where its guard does, in order (each may rely on the ones before).
        tests: list[tuple[str | None, str]] = []
        loops: list[str] = []  # statements after them, which return False on a failure
        known: str | None = None
        kind = node.get("type")
        if kind is not None:
            names = kind if isinstance(kind, list) else [kind]
            if any(n not in TYPE_TESTS for n in names):
                raise Unsupported(f"{hint}: unknown type {kind!r}")
            tests.append(
                (None, " or ".join(f"({TYPE_TESTS[n]})" for n in names) if len(names) > 1 else TYPE_TESTS[names[0]])
            )
            known = names[0] if len(names) == 1 else None

        def guarded(wanted: str, test: str) -> tuple[str | None, str]:
            """``test`` where jsonschema applies it: on ``wanted`` values only."""
            return (None if _implied(known, wanted) else TYPE_TESTS[wanted], test)

        required = node.get("required", [])
        if required:
            # Right after the type: the property checks below may then read a required key directly.
            tests.append(guarded("object", " and ".join(f"{_q(k)} in v" for k in _strings(required, hint))))
        for keyword, value in node.items():
            if keyword in ("type", "required"):
                continue
            if keyword == "enum":
                options = _strings(value, hint)
                test = f"v in {_tuple(options)}" if len(options) > 1 else f"v == {_q(options[0])}"
                tests.append((None, test if known == "string" else f"isinstance(v, str) and {test}"))
            elif keyword == "const":
                (option,) = _strings([value], hint)
                test = f"v == {_q(option)}"
                tests.append((None, test if known == "string" else f"isinstance(v, str) and {test}"))
            elif keyword in BOUNDS:
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    raise Unsupported(f"{hint}: {keyword} must be a number")
                tests.append(guarded(APPLIES_TO[keyword], f"not {BOUNDS[keyword].format(value)}"))
            elif keyword == "properties":
                if node.get("additionalProperties") is False:
                    continue  # one loop checks both (below)
                for prop, sub in value.items():
                    check = self.check(sub, f"{hint}_{prop}")
                    test = f"{check}(v[{_q(prop)}])"
                    if not (_implied(known, "object") and prop in required):
                        test = f"{_q(prop)} not in v or {test}"
                    tests.append(guarded("object", test))
            elif keyword == "additionalProperties":
                if value is not False:
                    raise Unsupported(f"{hint}: only additionalProperties: false is compiled")
                table = self._table(f"{hint}_properties", node.get("properties", {}), hint)
                loop = [
                    "for key, item in v.items():",
                    f"    check = {table}.get(key)",
                    "    if check is None or not check(item):",
                    "        return False",
                ]
                loops += loop if _implied(known, "object") else ["if isinstance(v, dict):", *_indent(loop)]
            elif keyword == "items":
                if isinstance(value, list) or "prefixItems" in node:
                    raise Unsupported(f"{hint}: only a single items schema is compiled")
                check = self.check(value, f"{hint}_item")
                loop = [f"if not all(map({check}, v)):", "    return False"]
                loops += loop if _implied(known, "array") else ["if isinstance(v, list):", *_indent(loop)]
            elif keyword == "allOf":
                dispatch = self._dispatch(node, value, hint, known)
                if dispatch is not None:
                    loops += dispatch
                else:
                    tests += [(None, f"{self.check(sub, f'{hint}_{i}')}(v)") for i, sub in enumerate(value)]
            elif keyword == "if":
                then = self.check(node.get("then", True), f"{hint}_then")
                otherwise = self.check(node.get("else", True), f"{hint}_else")
                tests.append((None, f"({then}(v) if {self.check(value, f'{hint}_if')}(v) else {otherwise}(v))"))
            elif keyword in ("then", "else"):
                continue
            elif keyword == "$ref":
                name, target = self.resolve(value)
                tests.append((None, f"{self.check(target, name, named=True)}(v)"))
            else:
                raise Unsupported(
                    f"{hint}: the keyword {keyword!r} is not compiled; teach tools/gen_native_fastcheck.py"
                )
        return _render(tests, loops)

    def _table(self, hint: str, properties: Mapping[str, Any], owner: str) -> str:
        entries = [f"    {_q(prop)}: {self.check(sub, f'{owner}_{prop}')}," for prop, sub in properties.items()]
        name = self._fresh(hint).upper()
        self.tables[name] = [f"{name}: dict[str, Check] = {{", *entries, "}"]
        return name

    def _dispatch(self, node: Mapping[str, Any], branches: Any, hint: str, known: str | None) -> list[str] | None:
        """An ``allOf`` of ``if {K: enum} then S`` branches as one table lookup on ``v[K]``.

        Exact when the object already requires K and the branches' values are distinct strings: then at most
        one ``if`` holds (the one listing ``v[K]``), and for any other value every ``if`` fails.
        """
        if known != "object" or not isinstance(branches, list) or not branches:
            return None
        table: dict[str, Any] = {}
        keys: set[str] = set()
        for branch in branches:
            if not isinstance(branch, Mapping) or set(branch) != {"if", "then"}:
                return None
            condition = branch["if"]
            if not isinstance(condition, Mapping) or set(condition) != {"properties", "required"}:
                return None
            (key, test), *more = condition["properties"].items()
            if more or condition["required"] != [key] or not isinstance(test, Mapping) or len(test) != 1:
                return None
            values = test.get("enum", [test["const"]] if "const" in test else None)
            if not isinstance(values, list) or not all(isinstance(x, str) for x in values):
                return None
            if any(x in table for x in values):
                return None
            keys.add(key)
            table.update(dict.fromkeys(values, branch["then"]))
        (key,) = keys if len(keys) == 1 else (None,)
        if key is None or key not in node.get("required", ()):
            return None
        name = self._fresh(f"{hint}_by_{key}").upper()
        entries = []
        kinds = self.kinds.setdefault(hint, {})
        for value, then in table.items():
            target = then.get("$ref") if isinstance(then, Mapping) and set(then) == {"$ref"} else None
            kinds[value] = self.resolve(target)[0] if target else value
            entries.append(f"    {_q(value)}: {self.check(then, f'{hint}_{value}')},")
        self.tables[name] = [f"{name}: dict[str, Check] = {{", *entries, "}"]
        return [
            f"kind = v[{_q(key)}]",
            f"check = {name}.get(kind) if isinstance(kind, str) else None",
            "if check is not None and not check(v):",
            "    return False",
        ]


def _indent(lines: list[str]) -> list[str]:
    return [f"    {line}" for line in lines]


def _depths(text: str) -> Iterator[tuple[int, int]]:
    """(index, bracket depth) of each character; a string literal's characters count as inside brackets."""
    depth, quoted = 0, False
    for i, ch in enumerate(text):
        if quoted:
            yield i, depth + 1
            quoted = ch != '"' or text[i - 1] == "\\"
            continue
        if ch == '"':
            quoted = True
            yield i, depth + 1
            continue
        depth += ch in "([{"
        yield i, depth  # a bracket pair sits at the depth of what it holds
        depth -= ch in ")]}"


def _top_level(text: str) -> str:
    """``text`` without what is inside brackets or quotes: the operators left are the ones that bind last."""
    return "".join(text[i] if depth == 0 or (text[i] in "()[]{}" and depth == 1) else "" for i, depth in _depths(text))


def _split(test: str, op: str) -> list[str]:
    """``test`` split at ``op`` where it is not inside brackets or quotes."""
    parts, start = [], 0
    for i, depth in _depths(test):
        if depth == 0 and i >= start and test.startswith(op, i):
            parts.append(test[start:i])
            start = i + len(op)
    parts.append(test[start:])
    return parts


def _unwrap(test: str) -> str:
    """``test`` without brackets around all of it."""
    while test.startswith("(") and test.endswith(")") and _top_level(test) == "()":
        test = test[1:-1]
    return test


def _grouped(test: str) -> str:
    return f"({test})" if len(_split(test, " or ")) > 1 else test


def _negate(test: str) -> str:
    """``not test``, pushed inwards (De Morgan) so that it reads as ruff wants (``k not in v``)."""
    test = _unwrap(test)
    ors = _split(test, " or ")
    if len(ors) > 1:
        return " and ".join(_grouped(_negate(part)) for part in ors)
    ands = _split(test, " and ")
    if len(ands) > 1:
        return " or ".join(_negate(part) for part in ands)
    if test.startswith("not "):
        return test[4:]
    for positive, negative in ((" not in ", " in "), (" is not ", " is "), (" != ", " == ")):
        if len(_split(test, positive)) == 2:
            return test.replace(positive, negative, 1)
    for positive, negative in ((" in ", " not in "), (" is ", " is not "), (" == ", " != ")):
        if len(_split(test, positive)) == 2:
            return test.replace(positive, negative, 1)
    if len(_split(test, " if ")) > 1:
        return f"not ({test})"  # a conditional expression binds looser than ``not``
    return f"not {test}"  # a call, or a bound (``not v < 1``: NaN passes, as in jsonschema)


def _render(tests: list[tuple[str | None, str]], loops: list[str]) -> list[str]:
    """A function body: ``return a and b`` when it fits, else one ``if ...: return False`` per condition."""
    conditions = [condition if guard is None else f"{_negate(guard)} or {condition}" for guard, condition in tests]
    if not loops:
        joined = " and ".join(_grouped(c) if len(conditions) > 1 else c for c in conditions) or "True"
        if len(joined) <= 100:
            return [f"    return {joined}"]
    lines = []
    for condition in conditions:
        failed = _negate(condition)
        for part in [failed] if len(failed) <= 100 else _split(failed, " or "):
            lines += [f"    if {part}:", "        return False"]
    lines += _indent(loops)
    if len(lines) >= 2 and lines[-2].startswith("    if ") and lines[-1] == "        return False":
        # ``if x: return False`` then ``return True`` is ``return not x`` (ruff's SIM103).
        return [*lines[:-2], f"    return {_negate(lines[-2][7:-1])}"]
    lines.append("    return True")
    return lines


def _q(value: str) -> str:
    """A string literal as ruff format writes it (double quotes)."""
    return json.dumps(value)


def _tuple(values: Any) -> str:
    items = [_q(v) for v in values]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def number_keys(schema: Mapping[str, Any]) -> dict[str, bool]:
    """Every property name the schema types as a number: name -> True when only integers are allowed."""
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        for _ in range(20):
            if not (isinstance(node, Mapping) and "$ref" in node):
                break
            node = defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {})
        return node

    found: dict[str, bool] = {}
    stack: list[Any] = [schema, *defs.values()]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            for name, prop in node.get("properties", {}).items():
                target = resolve(prop)
                kind = target.get("type") if isinstance(target, Mapping) else None
                if kind in ("integer", "number"):
                    found[name] = found.get(name, True) and kind == "integer"
            stack.extend(v for k, v in node.items() if k != "$defs")
        elif isinstance(node, list):
            stack.extend(node)
    return dict(sorted(found.items()))


def sections(schema: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """The properties of the document and of each object under it ("" is the document, "model" its model)."""
    found: dict[str, tuple[str, ...]] = {}

    def walk(node: Any, path: str) -> None:
        while isinstance(node, Mapping) and set(node) - ANNOTATIONS == {"$ref"}:
            node = _lookup(schema, node["$ref"])
        if not isinstance(node, Mapping) or node.get("type") != "object" or "properties" not in node:
            return
        found[path] = tuple(node["properties"])
        for prop, sub in node["properties"].items():
            walk(sub, f"{path}.{prop}" if path else prop)

    walk(schema, "")
    return found


def _lookup(schema: Mapping[str, Any], ref: str) -> Any:
    node: Any = schema
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _properties_lines(found: Mapping[str, tuple[str, ...]]) -> list[str]:
    out = []
    for path, props in found.items():
        line = f"    {_q(path)}: {_tuple(props)},"
        out += [line] if len(line) <= 120 else [f"    {_q(path)}: (", *(f"        {_q(p)}," for p in props), "    ),"]
    return out


def generate(schema: Mapping[str, Any], source: str = "src/rnnlint/schemas/rnnlint-config.schema.json") -> str:
    """The text of ``_fast.py`` for ``schema``."""
    compiler = Compiler(schema)
    for name, sub in schema.get("$defs", {}).items():
        compiler.check(sub, name, named=True)  # each $defs entry first, so that it names its function
    document = compiler.check(schema, "document")
    out = [
        f"# generated by tools/gen_native_fastcheck.py from {source}; do not edit.",
        '"""The native schema compiled to plain checks: jsonschema\'s verdict without its cost, and its key lists.',
        "",
        "Edit the schema, then run ``python tools/gen_native_fastcheck.py``; tests/equivalence/test_generated.py",
        "fails while this file is stale. ``valid(data)`` is True exactly when jsonschema",
        "(rnnlint.dialects.native.validate) reports no error for ``data``, for any value PyYAML, json or Jsonnet",
        "can produce (tests/equivalence/test_fastcheck.py).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Callable",
        "from typing import Any",
        "",
        "Check = Callable[[Any], bool]",
        "",
        "# Types as rnnlint's validator defines them: an integer is an int, never a bool or a float such as 256.0.",
    ]
    for name, body in compiler.functions.items():
        out += ["", "", f"def {name}(v: Any) -> bool:", *body]
    for lines in compiler.tables.values():
        out += ["", "", *lines]
    out += [
        "",
        "",
        "def valid(data: Any) -> bool:",
        '    """Whether ``data`` is valid against the native schema (jsonschema\'s verdict, exactly)."""',
        f"    return {document}(data)",
        "",
        "",
        '# The properties of the document ("") and of each object section under it, in the schema\'s order.',
        "PROPERTIES: dict[str, tuple[str, ...]] = {",
        *_properties_lines(sections(schema)),
        "}",
    ]
    for owner, kinds in compiler.kinds.items():
        out += [
            "",
            f"# {owner}'s type -> the $defs entry that checks it.",
            f"{owner.upper()}_KINDS: dict[str, str] = {{",
            *(f"    {_q(value)}: {_q(kind)}," for value, kind in kinds.items()),
            "}",
        ]
    out += [
        "",
        "# Every property the schema types as a number, anywhere: name -> True when it must be an integer.",
        "NUMBER_KEYS: dict[str, bool] = {",
        *(f"    {_q(name)}: {integer}," for name, integer in number_keys(schema).items()),
        "}",
    ]
    return "\n".join(out) + "\n"


def lines(schema_path: Path = SCHEMA) -> Iterator[str]:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    yield from generate(schema).splitlines()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed module is stale")
    args = parser.parse_args(argv)
    text = generate(json.loads(SCHEMA.read_text(encoding="utf-8")))
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        if current != text:
            print(f"{TARGET.relative_to(REPO)} is stale: run python tools/gen_native_fastcheck.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
