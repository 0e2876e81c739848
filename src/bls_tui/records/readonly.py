"""Opening the session database for reading only: listing, showing and exporting.

Never takes the write lock and never migrates the file: a database on read-only media, one
that another program is writing, or one from an older bls-tui can all be read.  What is read
is a consistent snapshot copied into memory (SQLite's backup API); an older schema is brought
up to date in that copy, never in the file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bls_tui.records.base import CorruptDatabaseError, NewerDatabaseError
from bls_tui.records.faults import (
    check_folder,
    check_ours,
    check_regular,
    is_media_fault,
    media_error,
)
from bls_tui.records.schema import _SQLITE_MAGIC, LATEST_VERSION, _corrupt, migrate

READ_BUSY_S = 5.0


def _connect(db_path: Path, mode: str) -> sqlite3.Connection:
    uri = f"{db_path.resolve().as_uri()}?{mode}"
    conn = sqlite3.connect(uri, uri=True, timeout=READ_BUSY_S, check_same_thread=False)
    conn.isolation_level = None
    try:
        conn.execute("PRAGMA user_version").fetchone()
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def connect_read_only(db_path: Path) -> sqlite3.Connection:
    """``mode=ro``; on media where even the shared-memory file cannot be made, ``immutable``."""
    try:
        return _connect(db_path, "mode=ro")
    except sqlite3.OperationalError as exc:
        if not is_media_fault(exc):
            raise
        return _connect(db_path, "mode=ro&immutable=1")


def open_read_only(db_path: Path) -> sqlite3.Connection | None:
    """A read-only connection to ``db_path``, or None when there is no database yet.

    Raises:
        MediaError, NotBlsDatabaseError, NewerDatabaseError, CorruptDatabaseError.
    """
    check_folder(db_path)
    try:
        size = os.stat(db_path).st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise media_error(db_path, exc, "cannot read") from exc
    check_regular(db_path)
    if size == 0:
        return None
    try:
        with open(db_path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise media_error(db_path, exc, "cannot read") from exc
    if head != _SQLITE_MAGIC:
        raise _corrupt(db_path, "not an SQLite database")
    try:
        conn = connect_read_only(db_path)
    except sqlite3.DatabaseError as exc:
        if is_media_fault(exc):
            raise media_error(db_path, exc, "cannot read") from exc
        raise _corrupt(db_path, str(exc)) from exc
    try:
        return _checked(conn, db_path)
    except BaseException:
        conn.close()
        raise


def _checked(conn: sqlite3.Connection, db_path: Path) -> sqlite3.Connection:
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > LATEST_VERSION:
            raise NewerDatabaseError(
                f"{db_path} was written by a newer bls-tui (schema v{version}, this version "
                f"knows up to v{LATEST_VERSION}); update bls-tui to read it"
            )
        check_ours(conn, db_path, version)
        verdict = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        if is_media_fault(exc):
            raise media_error(db_path, exc, "cannot read") from exc
        raise _corrupt(db_path, str(exc)) from exc
    if verdict != ["ok"]:
        raise _corrupt(db_path, "integrity check failed: " + verdict[0][:120])
    # A private in-memory snapshot: an older schema is brought up to date there, and sessions
    # whose process is gone are shown as interrupted, all without writing to the file.
    copy = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        conn.backup(copy)
        if version < LATEST_VERSION:
            migrate(copy)
    except sqlite3.Error as exc:
        copy.close()
        if is_media_fault(exc):
            raise media_error(db_path, exc, "cannot read") from exc
        raise _corrupt(db_path, str(exc)) from exc
    conn.close()
    conn = copy
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


__all__ = ["CorruptDatabaseError", "connect_read_only", "open_read_only"]
