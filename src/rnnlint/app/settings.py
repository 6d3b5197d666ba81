"""A command's settings: the configuration, the command line and, for ``--diff-base``, the base's counts.

Built once per command; each file's effective settings come from the :class:`~rnnlint.settings.SettingsTree`
made here (the nearest configuration above the file, unless ``--config`` or ``--isolated`` names one).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from rnnlint.run import linting
from rnnlint.run.linting import _check_dialects
from rnnlint.settings import Settings, SettingsTree, load_settings

if TYPE_CHECKING:
    from rnnlint.app.options import CheckArgs


def build_settings(args: CheckArgs) -> Settings:
    settings = load_settings(args.config, args.isolated)
    for key in ("select", "ignore"):
        if args.cli.get(key):
            from rnnlint.settings import check_code

            # As in pyproject.toml: an unknown code or prefix is refused, not a rule silently off.
            for code in args.cli[key]:
                check_code(code, "command line", f"--{key}", prefix=True)
    settings = settings.with_cli(**args.cli)
    if args.cli.get("diff_base") is not None:
        from rnnlint.app import growth

        # Each changed config counted at the base, for RNN107 (git reads the base; only changed files).
        base = growth.find_base(args.cli["diff_base"], list(args.paths), os.environ)
        settings = settings._replace(base=growth.base_states(base, settings))
    _check_dialects(settings)
    # --config and --isolated name one configuration (or none) for every file.
    hierarchical = not (args.config or args.isolated)
    extra = {"base": settings.base} if settings.base else None
    linting._tree = SettingsTree(settings, args.cli, hierarchical, extra, check=_check_dialects)
    return settings
