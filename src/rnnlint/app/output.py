"""``--output-file``: the report replaces the old one only once the run has written all of it.

The report is written to a temporary file beside the target and renamed over it at the end, so a run
that fails part-way (a usage error in a nested configuration, an interrupt, a full disk) leaves the old
report as it was, never a truncated one, and a reader never sees half a report. A target that is not a
regular file (``/dev/stdout``, a FIFO) is written in place, as there is nothing to rename over; a folder
rnnlint may not create files in gets the report through an unnamed temporary file, copied at the end.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from typing import TextIO


@contextlib.contextmanager
def replacing(target: str) -> Iterator[TextIO]:
    """A stream for the report to ``target``; ``target`` is replaced when the block ends without an error.

    Raises OSError when the report cannot be written (a missing folder: before anything is linted)."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        mode, regular = None, True
    else:
        mode, regular = stat.S_IMODE(st.st_mode), stat.S_ISREG(st.st_mode)
    if not regular:
        with open(target, "w", encoding="utf-8") as fh:
            yield fh
        return
    real = os.path.realpath(target)  # a symlink's target is replaced, not the link
    temporary = os.path.join(os.path.dirname(real), f".{os.path.basename(real)}.{os.urandom(6).hex()}.tmp")
    try:
        # 0o666 less the umask, as open(target, "w") would create it; the old report's mode is kept.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except PermissionError:
        if not os.path.isdir(os.path.dirname(real)):
            raise
        with _copied_at_the_end(target) as fh:
            yield fh
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            if mode is not None:
                os.chmod(temporary, mode)
            yield fh
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _copied_at_the_end(target: str) -> Iterator[TextIO]:
    """The report in an unnamed temporary file, copied over ``target`` once it is whole (a folder where
    rnnlint may write the report but create no file)."""
    import shutil
    import tempfile

    with tempfile.TemporaryFile("w+", encoding="utf-8") as held:
        yield held
        held.seek(0)
        with open(target, "w", encoding="utf-8") as fh:
            shutil.copyfileobj(held, fh)
