"""The one crash handler: details to a private log, one line to the screen, nothing clinical.

An unexpected error in the TUI must never paint a traceback with local variables (which can
hold a client's notes) on a screen the client may be facing.  :func:`write_crash_log` puts the
traceback (without locals) in ``DATA/logs/crash-*.log``, mode 0600 in a 0700 folder, and
:func:`crash_line` is the single line the terminal gets: the error's type, never its text.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime, timezone
from pathlib import Path


def _log_folder() -> Path:
    from bls_tui.safety.paths import data_dir, ensure_private_dir

    try:
        folder = ensure_private_dir(data_dir() / "logs")
        if folder.is_dir() and os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    from bls_tui.services.record_writer import emergency_dir

    return emergency_dir()


def write_crash_log(error: BaseException) -> Path | None:
    """Write the traceback (no local variables) to a new 0600 file; None if impossible."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    for folder_of in (_log_folder, _fallback):
        try:
            folder = folder_of()
            path = folder / f"crash-{stamp}-{os.getpid()}.log"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(path, flags, 0o600)
        except OSError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"bls-tui crash at {stamp} UTC, process {os.getpid()}\n{text}")
        return path
    return None


def _fallback() -> Path:
    from bls_tui.services.record_writer import emergency_dir

    return emergency_dir()


def crash_line(error: BaseException, log: Path | None, kept: str) -> str:
    """The one line shown after a crash: what kind of error, what was kept, where details are."""
    where = f"details in {log}" if log is not None else "no details could be written"
    return f"bls-tui stopped after an unexpected error ({type(error).__name__}); {kept}; {where}"
