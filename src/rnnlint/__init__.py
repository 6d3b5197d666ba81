"""rnnlint: exact parameter counts and budgets for the recurrent layers in ML model configs."""

__version__ = "0.1.0"
