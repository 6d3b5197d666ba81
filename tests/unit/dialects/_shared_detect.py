"""Which dialect claims each file under ../shared/corpus and ../shared/realworld (computed once per session).

The new-dialect tests use it to prove their detection claims none of the other toolkits' files.
"""

from __future__ import annotations

from functools import cache

from rnnlint import dialects
from rnnlint.parse import load
from tests.conftest import SHARED

SUFFIXES = (".yaml", ".yml", ".json", ".jsonnet", ".libsonnet")


@cache
def claimed() -> dict[str, str]:
    """path -> dialect NAME for every corpus/realworld config some dialect detects."""
    found: dict[str, str] = {}
    for folder in (SHARED / "corpus", SHARED / "realworld"):
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or not path.name.lower().endswith(SUFFIXES) or path.name.endswith(".jsonnet"):
                continue
            parsed = load(str(path))
            documents = parsed.documents
            if not documents and parsed.lenient is not None:
                documents = parsed.lenient.documents
            for document in documents[:1]:
                dialect = dialects.detect(document.data)
                if dialect is not None:
                    found[str(path)] = dialect.NAME
    return found
