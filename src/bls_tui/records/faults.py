"""Checks before opening the session database, and media faults named as what they are.

A database on a read-only mount or a full disk is healthy: it must be reported as read-only
or full, never as damaged.  A data folder that is a file, a database path that is a device or
a FIFO, and another program's SQLite file each get one line of their own.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

from bls_tui.records.base import (
    DatabaseBusyError,
    MediaError,
    NotBlsDatabaseError,
    StoreError,
)
from bls_tui.safety.media import BUSY, READ_ONLY, fault_kind, fault_text

_SQLITE_CANTOPEN = 14


def read_only_mount(folder: Path) -> bool:
    """True if ``folder`` is on a file system mounted read-only."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def check_folder(db_path: Path) -> None:
    """Refuse a data folder that exists but is not a folder."""
    parent = db_path.parent
    for folder in (parent, *parent.parents):
        try:
            st = os.stat(folder)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise MediaError(f"cannot use the data folder {parent}: {fault_text(exc)}") from exc
        if not stat.S_ISDIR(st.st_mode):
            raise MediaError(f"the data folder {parent} is not a folder ({folder} is a file)")
        return


def check_regular(db_path: Path) -> None:
    """Refuse a database path that is a folder, device, FIFO or socket."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        raise MediaError(f"{db_path} is not a regular file; the session database must be one")


SESSION_COLUMNS = frozenset({"id", "client_code", "kind", "planned_min", "started_at", "status"})
"""Columns every version of our ``sessions`` table has had (a foreign ``sessions`` lacks them)."""


def check_ours(conn: sqlite3.Connection, db_path: Path, version: int) -> None:
    """Refuse another program's SQLite database (tables, but none of ours)."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    tables = {str(r[0]) for r in rows if not str(r[0]).startswith("sqlite_")}
    ours = version == 0 and not tables
    if version > 0 and {"sessions", "sets"} <= tables:
        columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(sessions)").fetchall()}
        ours = columns >= SESSION_COLUMNS
    if not ours:
        raise NotBlsDatabaseError(
            f"{db_path} is not a bls-tui database (another program's SQLite file); it was "
            "left unchanged: move it away or set BLS_DATA_DIR to another folder"
        )


def is_media_fault(exc: BaseException) -> bool:
    """True for busy / full / read-only / I/O / cannot-open errors (not damage)."""
    if fault_kind(exc) is not None:
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and (code & 0xFF) == _SQLITE_CANTOPEN


def media_error(db_path: Path, exc: BaseException, verb: str) -> StoreError:
    """The one-line error for a storage fault while opening ``db_path``."""
    kind = fault_kind(exc)
    if kind == BUSY:
        return DatabaseBusyError(
            f"{db_path} is held by another program (another bls may be writing); "
            "try again in a moment"
        )
    if kind == READ_ONLY or (kind is None and read_only_mount(db_path.parent)):
        return MediaError(
            f"{verb} {db_path}: the data folder is read-only, so nothing can be recorded "
            "(`bls sessions list/show/export` can still read it)"
        )
    return MediaError(f"{verb} {db_path}: {fault_text(exc)}; the file was not changed")


def remove_empty(db_path: Path) -> None:
    """Remove a database file this run created and left empty (and its -wal/-shm)."""
    with contextlib.suppress(OSError):
        if db_path.stat().st_size == 0:
            db_path.unlink()
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
