"""The names the stages above import, re-exported from their homes in this package.

The code lives in :mod:`rnnlint.parse` (``parse_source``, the suffix tables, ``iter_mappings``),
:mod:`rnnlint.parse.document`, :mod:`rnnlint.parse.source` and :mod:`rnnlint.parse.yaml.locate`. This
module only keeps the imports of ``dialects``, ``rules``, ``run`` and ``app`` working while those stages
are reworked; new code imports from the homes. Importing it imports yaml (the YAML locators), as the
dialects do anyway: a run served from the cache must not import it (see ``rnnlint.run.linting``).
"""

from __future__ import annotations

from rnnlint.parse import is_jinja_template, iter_mappings, parse_source
from rnnlint.parse.document import DocPath, Document, Locator, Tagged
from rnnlint.parse.source import MODEL_FILE_SUFFIXES, Problem, Source, display_path
from rnnlint.parse.yaml.locate import YamlLocator, entry_spans

__all__ = [
    "MODEL_FILE_SUFFIXES",
    "DocPath",
    "Document",
    "Locator",
    "Problem",
    "Source",
    "Tagged",
    "YamlLocator",
    "display_path",
    "entry_spans",
    "is_jinja_template",
    "iter_mappings",
    "parse_source",
]
