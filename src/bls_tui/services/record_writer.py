"""Writing a session's records on a thread of its own: the frame loop never waits on the disk.

:class:`RecordWriter` takes record jobs from the session controller and writes them, in order,
through a connection of its own with a short busy timeout.  A write that fails (database held
by another program, disk full, read-only, I/O error) goes to the emergency copy at once,
together with everything queued behind it, and :attr:`RecordWriter.problem` says so in one
line.  The writer keeps retrying in the background; once the database takes writes again the
waiting records are written there too (the emergency copy stays as a second copy).  After the
queue empties the WAL is checkpointed, so a finished set is in the main database file within
moments, not only in the ``-wal`` file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bls_tui.records.base import InvalidRecordError, StoreError
from bls_tui.records.schema import JOURNAL_LIMIT
from bls_tui.records.store import Store
from bls_tui.safety.media import BUSY, fault_kind, fault_text

WRITE_BUSY_S = 0.5
"""How long one write waits for another program's lock before the emergency copy is used."""
RETRY_S = 1.0
"""Pause between retries while the database does not take writes."""

StoreJob = Callable[[Store], None]


def emergency_dir() -> Path:
    """Where records go when the database cannot be written: a private folder of ours.

    The usual name is predictable, so it is only used if it is a real directory owned by us
    with mode 0700; otherwise a fresh private folder is made with ``mkdtemp``.
    """
    path = Path(tempfile.gettempdir()) / f"bls-tui-emergency-{os.getuid()}"
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return Path(tempfile.mkdtemp(prefix="bls-tui-emergency-"))
    st = os.lstat(path)
    if stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) == 0o700:
        return path
    return Path(tempfile.mkdtemp(prefix="bls-tui-emergency-"))


@dataclass
class _Job:
    what: str
    fn: StoreJob
    payload: dict[str, Any]
    copied: bool = False


def database_tag(db_path: Path) -> str:
    """A short tag naming one database, so sessions of the same ID in two data folders never
    share an emergency file."""
    return hashlib.sha256(str(Path(db_path).resolve()).encode()).hexdigest()[:10]


def emergency_name(db_path: Path, session_id: int) -> str:
    """``session-ID-TAG.jsonl``: the emergency file of one session of one database."""
    return f"session-{session_id}-{database_tag(db_path)}.jsonl"


class EmergencyCopy:
    """Appends records to ``session-ID-TAG.jsonl`` in :func:`emergency_dir` (0600, fsynced)."""

    def __init__(self, session_id: int, db_path: Path) -> None:
        self.session_id = session_id
        self.name = emergency_name(db_path, session_id)
        self.path: Path | None = None
        self._lock = threading.Lock()

    def append(self, records: list[dict[str, Any]]) -> Path:
        """Write ``records`` (one JSON line each); returns the file.  Raises OSError."""
        with self._lock:
            folder = self.path.parent if self.path else emergency_dir()
            path = folder / self.name
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(path, flags, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                for record in records:
                    fh.write(json.dumps(record, default=str) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            self.path = path
            return path


def writer_store(store: Store, busy_s: float = WRITE_BUSY_S) -> Store:
    """A second connection to ``store``'s database for the writer thread (short busy wait).

    The UI keeps the first connection for reading, so a read never queues behind a write
    that waits for another program's lock.
    """
    conn = sqlite3.connect(
        str(store.path), timeout=busy_s, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_s * 1000):d}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_LIMIT:d}")
    except sqlite3.Error:
        conn.close()
        raise
    return Store(conn, store.path, store._wall)


class RecordWriter:
    """Writes a session's records in order on a background thread.

    Args:
        store: the session's store; the writer opens its own connection to the same file
            (falling back to this one if that fails).
        session_id: names the emergency file.
    """

    def __init__(self, store: Store, session_id: int, *, busy_s: float = WRITE_BUSY_S) -> None:
        self.session_id = session_id
        self.emergency = EmergencyCopy(session_id, store.path)
        self.problem: str | None = None
        """One line for the screen while (or since) records could not be written."""
        self.failing = False
        self.fault: str | None = None
        """The kind of the last failure (:mod:`bls_tui.safety.media`), e.g. ``busy``."""
        self.written = 0
        """Jobs written to the database so far."""
        self.copied = 0
        """Jobs that went to the emergency copy."""
        self._own = True
        try:
            self._store = writer_store(store, busy_s)
        except sqlite3.Error:
            self._store, self._own = store, False
        self._pending: deque[_Job] = deque()
        self._cond = threading.Condition()
        self._closing = False
        self._abandon = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="bls-record-writer", daemon=True)
        self._thread.start()

    @property
    def emergency_file(self) -> Path | None:
        """The emergency copy, once something went there."""
        return self.emergency.path

    # ------------------------------------------------------------------ callers' side
    def submit(self, what: str, fn: StoreJob, payload: dict[str, Any]) -> None:
        """Queue a write; returns at once (the frame loop never waits)."""
        with self._cond:
            if self._abandon:  # closed: straight to the emergency copy
                job = _Job(what, fn, payload)
                self._copy([job], "the session had already closed")
                return
            self._pending.append(_Job(what, fn, payload))
            self._cond.notify_all()

    def pending(self) -> int:
        """Jobs not yet written to the database."""
        with self._cond:
            return len(self._pending)

    def flush(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s until every queued job is in the database; True if so."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.1))
        return True

    def close(self, timeout: float) -> bool:
        """Write what is queued, then stop.

        Waits up to ``timeout`` s while the database is held by another program (that may
        pass); a full or read-only disk gets two seconds.  Whatever could not be written by
        then is in the emergency copy.  True if every record reached the database.
        """
        deadline = time.monotonic() + timeout
        done = self.flush(RETRY_S * 2)
        while not done and time.monotonic() < deadline and self.fault == BUSY:
            done = self.flush(min(RETRY_S, deadline - time.monotonic()))  # busy may pass
        with self._cond:
            self._closing = True
            self._abandon = True
            left = [job for job in self._pending if not job.copied]
            self._cond.notify_all()
        if left:
            self._copy(left, "the session closed before the database took them")
        self._thread.join(timeout=max(WRITE_BUSY_S * 4, 2.0))
        if self._own and not self._thread.is_alive():
            with contextlib.suppress(sqlite3.Error):
                self._store.close()
        return done

    # ------------------------------------------------------------------ the thread
    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closing:
                    self._cond.wait()
                if self._abandon or (self._closing and not self._pending):
                    return
                job = self._pending[0]
                fresh = [j for j in self._pending if not j.copied] if self.failing else []
                self._busy = True
            if fresh:  # the database is not taking writes: new records go to the copy at once
                self._copy(fresh, self.problem or "the database is not taking writes")
            try:
                job.fn(self._store)
            except InvalidRecordError as exc:  # will never succeed: keep it in the copy
                if not job.copied:
                    self._copy([job], str(exc))
                self._done(job)
            except (sqlite3.Error, OSError, StoreError) as exc:
                self._failed(exc)
            except Exception as exc:  # a bug must not stop the writer
                if not job.copied:
                    self._copy([job], f"{type(exc).__name__}: {exc}")
                self._done(job)
            else:
                self.written += 1
                self._done(job)

    def _done(self, job: _Job) -> None:
        with self._cond:
            if self._pending and self._pending[0] is job:
                self._pending.popleft()
            empty = not self._pending
        if empty:
            self._checkpoint()
            if self.failing:
                self.failing = False
                where = self.emergency.path
                self.problem = "records are being saved again" + (
                    f" (what had to wait is also in {where})" if where else ""
                )
        with self._cond:
            self._busy = False
            self._cond.notify_all()

    def _failed(self, exc: BaseException) -> None:
        reason = fault_text(exc)
        self.fault = fault_kind(exc)
        with self._cond:
            uncopied = [j for j in self._pending if not j.copied]
        self.failing = True
        if uncopied:
            self._copy(uncopied, reason)
        else:
            self._set_problem(reason, None)
        with self._cond:
            self._busy = False
            self._cond.notify_all()
            if not self._abandon:
                self._cond.wait(RETRY_S)

    def _copy(self, jobs: list[_Job], reason: str) -> None:
        records = [{"record": j.what, **j.payload} for j in jobs]
        try:
            path = self.emergency.append(records)
        except OSError as exc2:
            self._set_problem(reason, f"emergency copy failed: {exc2.strerror or exc2}")
            return
        for job in jobs:
            job.copied = True
        self.copied += len(jobs)
        self._set_problem(reason, f"emergency copy in {path}")

    def _set_problem(self, reason: str, where: str | None) -> None:
        where = where or (f"emergency copy in {self.emergency.path}" if self.emergency.path else "")
        self.problem = f"records cannot be saved ({reason})" + (f"; {where}" if where else "")

    def _checkpoint(self) -> None:
        """Move committed pages from the WAL into the database file (never waits on readers)."""
        with contextlib.suppress(sqlite3.Error):
            self._store.checkpoint()
