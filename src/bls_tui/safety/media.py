"""Naming storage faults for what they are: busy, full, read-only, I/O, not a folder.

A healthy database on a read-only mount or a full disk is not "damaged"; the words a
therapist reads must say what actually went wrong, in one line.
"""

from __future__ import annotations

import errno
import sqlite3

__all__ = ["BUSY", "FULL", "IO", "NOT_A_FOLDER", "READ_ONLY", "fault_kind", "fault_text"]

BUSY = "busy"
FULL = "full"
READ_ONLY = "read-only"
IO = "io"
NOT_A_FOLDER = "not-a-folder"
DENIED = "denied"

# SQLite primary result codes (the low byte of the extended code)
_SQLITE = {5: BUSY, 6: BUSY, 8: READ_ONLY, 10: IO, 13: FULL}
_ERRNO = {
    errno.ENOSPC: FULL,
    errno.EDQUOT: FULL,
    errno.EROFS: READ_ONLY,
    errno.EIO: IO,
    errno.ENOTDIR: NOT_A_FOLDER,
    errno.EACCES: DENIED,
    errno.EPERM: DENIED,
}
_WORDS = (
    ("database is locked", BUSY),
    ("database table is locked", BUSY),
    ("disk is full", FULL),
    ("readonly database", READ_ONLY),
    ("read-only", READ_ONLY),
    ("disk i/o error", IO),
)

_TEXT = {
    BUSY: "the session database is held by another program",
    FULL: "the disk is full",
    READ_ONLY: "the data folder is read-only",
    IO: "the disk reported an input/output error",
    NOT_A_FOLDER: "the data folder is not a folder",
    DENIED: "permission denied",
}


def fault_kind(exc: BaseException) -> str | None:
    """``busy``, ``full``, ``read-only``, ``io``, ``not-a-folder``, ``denied`` or None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            code = getattr(current, "sqlite_errorcode", None)
            if isinstance(code, int) and (code & 0xFF) in _SQLITE:
                return _SQLITE[code & 0xFF]
            text = str(current).lower()
            for words, kind in _WORDS:
                if words in text:
                    return kind
        if isinstance(current, OSError) and current.errno in _ERRNO:
            return _ERRNO[current.errno]
        current = current.__cause__ or current.__context__
    return None


def fault_text(exc: BaseException) -> str:
    """One line naming the fault (``the disk is full``), or the error's own first line."""
    kind = fault_kind(exc)
    if kind is not None:
        return _TEXT[kind]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return first[:200]
