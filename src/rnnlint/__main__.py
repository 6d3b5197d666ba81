"""``python -m rnnlint``."""

from __future__ import annotations

import sys

from rnnlint.app.main import main

if __name__ == "__main__":
    sys.exit(main())
