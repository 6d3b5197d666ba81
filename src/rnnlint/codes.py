"""Every rule code, once: the constants that rules, dialects and the parse stage import.

A code's rule module (``rnnlint/rules/rnnNNN_*.py``) has its name, severity and documentation;
the registry test checks that each code here has exactly one rule module and each rule a code.
Importing this module costs nothing: it holds strings only.
"""

from __future__ import annotations

RNN001 = "RNN001"  # parse-error
RNN002 = "RNN002"  # schema
RNN003 = "RNN003"  # duplicate-key
RNN004 = "RNN004"  # yaml11-number
RNN010 = "RNN010"  # invalid-pragma
RNN011 = "RNN011"  # unused-suppression
RNN100 = "RNN100"  # layer-params
RNN101 = "RNN101"  # max-params
RNN102 = "RNN102"  # max-layer-params
RNN103 = "RNN103"  # dataset-size
RNN104 = "RNN104"  # assumed-value
RNN105 = "RNN105"  # budget-unchecked
RNN106 = "RNN106"  # uncounted-part
RNN107 = "RNN107"  # max-growth
RNN201 = "RNN201"  # input-size-mismatch
RNN202 = "RNN202"  # projection
RNN203 = "RNN203"  # single-layer-dropout
RNN204 = "RNN204"  # cudnn-kernel
RNN205 = "RNN205"  # unknown-layer

CODES: tuple[str, ...] = (
    RNN001,
    RNN002,
    RNN003,
    RNN004,
    RNN010,
    RNN011,
    RNN100,
    RNN101,
    RNN102,
    RNN103,
    RNN104,
    RNN105,
    RNN106,
    RNN107,
    RNN201,
    RNN202,
    RNN203,
    RNN204,
    RNN205,
)
