"""Errors, input checks and connection plumbing shared by the parts of the record store."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from bls_tui.protocol.model import iso_utc
from bls_tui.records.types import RATING_RANGES
from bls_tui.safety.media import BUSY, fault_kind, fault_text

__all__ = [
    "CorruptDatabaseError",
    "DatabaseBusyError",
    "InvalidRecordError",
    "MediaError",
    "NewerDatabaseError",
    "NotBlsDatabaseError",
    "SessionStateError",
    "StoreError",
    "UnknownSessionError",
    "pid_alive",
]


class StoreError(Exception):
    """Base of all record-store errors; the message is one line, ready for the CLI."""


class NewerDatabaseError(StoreError):
    """The database was written by a newer bls-tui (schema version unknown here)."""


class CorruptDatabaseError(StoreError):
    """The database file is not readable as a sound SQLite database."""


class DatabaseBusyError(StoreError):
    """Another process held the write lock for longer than the busy timeout."""


class MediaError(StoreError):
    """The storage failed, not the database: read-only, full, I/O error, not a folder."""


class NotBlsDatabaseError(StoreError):
    """The file is an SQLite database, but another program's (no bls-tui tables)."""


class UnknownSessionError(StoreError):
    """No session has the given ID."""

    def __init__(self, session_id: int) -> None:
        super().__init__(f"no session with ID {session_id} (see `bls sessions list`)")
        self.session_id = session_id


class InvalidRecordError(StoreError, ValueError):
    """A value the store refuses to write (out of range, unknown kind, duplicate set...)."""


class SessionStateError(StoreError):
    """The session is not in a state that allows this (e.g. resuming a completed one)."""


MAX_TEXT = 10_000


def check_rating(kind: str, value: int | None) -> None:
    """Raise :class:`InvalidRecordError` unless ``value`` is None or a whole number in range."""
    if value is None:
        return
    low, high = RATING_RANGES[kind]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRecordError(f"{kind.upper()} must be a whole number from {low} to {high}")


def clean_text(value: str | None, what: str) -> str | None:
    """Strip free text and refuse anything longer than :data:`MAX_TEXT`."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise InvalidRecordError(f"{what} is longer than {MAX_TEXT} characters")
    return value


_S = TypeVar("_S", bound="StoreBase")


class StoreBase:
    """Connection plumbing shared by the :class:`~bls_tui.records.store.Store` parts."""

    def __init__(self, conn: sqlite3.Connection, path: Path, wall: Callable[[], datetime]) -> None:
        self._conn = conn
        self.path = path
        self._wall = wall
        self._lock = threading.RLock()

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._conn.close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _stamp(self, at: str | None = None) -> str:
        return at if at is not None else iso_utc(self._wall())

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; commits on success, rolls back and re-raises on error."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if fault_kind(exc) == BUSY:
                    raise DatabaseBusyError(
                        f"the session database {self.path} is held by another program "
                        "(another bls may be writing); try again in a moment"
                    ) from exc
                raise MediaError(f"cannot write {self.path}: {fault_text(exc)}") from exc
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def checkpoint(self) -> None:
        """Copy committed pages from the WAL into the database file; never waits on readers."""
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read snapshot (nests inside :meth:`_tx`)."""
        with self._lock:
            if self._conn.in_transaction:
                yield self._conn
                return
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    def _require(self, conn: sqlite3.Connection, session_id: int) -> str:
        """Return the session's status or raise :class:`UnknownSessionError`."""
        row = conn.execute("SELECT status FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise UnknownSessionError(session_id)
        return str(row[0])


def pid_alive(pid: int) -> bool:
    """True if a process with this id exists (a process we may not signal counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def insert_event(
    conn: sqlite3.Connection, session_id: int, at: str, kind: str, detail: dict[str, Any]
) -> None:
    """Insert an ``events`` row inside an open transaction."""
    try:
        blob = json.dumps(detail, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise InvalidRecordError(f"event detail is not JSON-serialisable: {exc}") from exc
    conn.execute(
        "INSERT INTO events (session_id, at, kind, detail) VALUES (?, ?, ?, ?)",
        (session_id, at, kind, blob),
    )
