"""Local SQLite record store for sessions: every write commits at once, in its own transaction.

Everything a caller needs is importable from here.  Typical use from a session screen (run
the calls in a worker thread; the store is thread-safe)::

    with Store.open() as store:
        sid = store.create_session("C-014", "standard", 60, target_label="car crash")
        store.record_phase(sid, model.current_visit())
        store.record_set(SetRecord(sid, model.count_set(now), ...))
        store.add_rating(sid, "sud", 4, context="back_to_target", set_number=3)
        store.finish_session(sid, closure_complete=True, final_sud=0, final_voc=7)

Row types live in :mod:`bls_tui.records.types`; opening, backups and migrations in
:mod:`bls_tui.records.schema`; errors in :mod:`bls_tui.records.base`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from bls_tui.protocol.model import (
    SESSION_KINDS,
    PhaseChange,
    PhaseVisit,
    phase_by_id,
    utc_now,
    validate_client_code,
    validate_target_label,
)
from bls_tui.records.base import *  # noqa: F403
from bls_tui.records.base import (
    InvalidRecordError,
    check_rating,
    clean_text,
    insert_event,
)
from bls_tui.records.case import CaseMixin
from bls_tui.records.delete import DeleteMixin
from bls_tui.records.lifecycle import LifecycleMixin
from bls_tui.records.medicine import KetamineMixin
from bls_tui.records.schema import newest_backup as newest_backup
from bls_tui.records.schema import open_database
from bls_tui.records.types import *  # noqa: F403
from bls_tui.records.types import (
    NOTE_KINDS,
    RATING_CONTEXTS,
    RATING_RANGES,
    SET_COLUMNS,
    SetRecord,
)
from bls_tui.safety import paths

DB_NAME = "sessions.db"
_EVENT_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}", re.ASCII)


def default_db_path() -> Path:
    """``data_dir() / "sessions.db"``."""
    return paths.data_dir() / DB_NAME


class Store(LifecycleMixin, KetamineMixin, CaseMixin, DeleteMixin):
    """The session database.  Open with :meth:`open`; use as a context manager.

    Every write method runs in its own ``BEGIN IMMEDIATE`` transaction and commits before
    returning (``synchronous=FULL``), so a recorded set survives a crash or power loss.
    Timestamps default to ``wall()`` now, as ISO-8601 UTC.
    """

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        wall: Callable[[], datetime] = utc_now,
        backup: bool = True,
    ) -> Store:
        """Open the database (default :func:`default_db_path`) and mark stale sessions.

        Raises:
            NewerDatabaseError: written by a newer bls-tui; left untouched.
            CorruptDatabaseError: damaged; left untouched, the newest backup is named.
        """
        db_path = path or default_db_path()
        conn = open_database(db_path, today=wall().date(), backup=backup)
        store = cls(conn, db_path, wall)
        try:
            store.mark_stale_interrupted()
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_read_only(
        cls, path: Path | None = None, *, wall: Callable[[], datetime] = utc_now
    ) -> Store | None:
        """Open for reading only (no write lock, no migration); None if there is no database.

        Works on read-only media and while another program holds the write lock: it reads an
        in-memory snapshot, in which an older schema is brought up to date and sessions whose
        process is gone show as interrupted (the file itself is never written).
        """
        from bls_tui.records.readonly import open_read_only

        db_path = path or default_db_path()
        conn = open_read_only(db_path)
        if conn is None:
            return None
        store = cls(conn, db_path, wall)
        store.mark_stale_interrupted()
        return store

    # -- sessions ---------------------------------------------------------------------------

    def create_session(
        self,
        client_code: str,
        kind: str,
        planned_min: int,
        *,
        target_label: str = "",
        started_at: str | None = None,
        target_id: int | None = None,
        linked_dose_session_id: int | None = None,
    ) -> int:
        """Start a session record (status ``active``, this process's pid); return its ID.

        ``target_id`` names the plan's target worked (its label is copied into
        ``target_label``; a planned target becomes in progress); ``linked_dose_session_id`` an
        earlier medicine session of the same client whose window this session is in.
        """
        validate_client_code(client_code)
        label = validate_target_label(target_label)
        if kind not in SESSION_KINDS:
            raise InvalidRecordError(f"session kind must be one of: {', '.join(SESSION_KINDS)}")
        if isinstance(planned_min, bool) or not 1 <= planned_min <= 600:
            raise InvalidRecordError("planned length must be 1 to 600 minutes")
        if kind == "integration" and linked_dose_session_id is None:
            raise InvalidRecordError(
                "dose link: an integration session needs the medicine session it follows"
            )
        at = self._stamp(started_at)
        with self._tx() as conn:
            label = self._check_links(conn, client_code, label, target_id, linked_dose_session_id)
            if target_id is None and label:
                target_id = self._target_for_label(conn, client_code, label, at)
            cur = conn.execute(
                "INSERT INTO sessions (client_code, kind, target_label, planned_min, started_at,"
                " status, pid, last_heartbeat, target_id, linked_dose_session_id)"
                " VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)",
                (
                    client_code,
                    kind,
                    label,
                    planned_min,
                    at,
                    os.getpid(),
                    at,
                    target_id,
                    linked_dose_session_id,
                ),
            )
            session_id = int(cur.lastrowid or 0)
            self._start_working(conn, target_id, session_id, at)
            return session_id

    # -- phases, sets, ratings, notes, events -------------------------------------------------

    def record_phase(self, session_id: int, visit: PhaseVisit) -> None:
        """Record a phase visit: an open one on entering, the closed one on leaving.

        A closed visit updates the matching open row (same phase and ``entered_at``) if there
        is one, otherwise it is inserted.
        """
        phase_by_id(visit.phase)
        with self._tx() as conn:
            self._require(conn, session_id)
            self._write_visit(conn, session_id, visit)

    def record_phase_change(self, session_id: int, change: PhaseChange) -> None:
        """Record both halves of a :class:`PhaseChange` in one transaction."""
        with self._tx() as conn:
            self._require(conn, session_id)
            self._write_visit(conn, session_id, change.left)
            self._write_visit(conn, session_id, change.entered)

    def _write_visit(self, conn: sqlite3.Connection, session_id: int, visit: PhaseVisit) -> None:
        if visit.left_at is not None:
            cur = conn.execute(
                "UPDATE phases SET left_at = ?, seconds = ? WHERE session_id = ? AND phase = ?"
                " AND entered_at = ? AND left_at IS NULL",
                (visit.left_at, visit.seconds, session_id, visit.phase, visit.entered_at),
            )
            if cur.rowcount:
                return
        conn.execute(
            "INSERT INTO phases (session_id, phase, entered_at, left_at, seconds)"
            " VALUES (?, ?, ?, ?, ?)",
            (session_id, visit.phase, visit.entered_at, visit.left_at, visit.seconds),
        )

    def record_set(self, rec: SetRecord) -> None:
        """Write a finished set.  Raises :class:`InvalidRecordError` for a duplicate number."""
        phase_by_id(rec.phase)
        if rec.number < 1 or rec.speed_hz <= 0 or rec.duration_s < 0:
            raise InvalidRecordError("set number must be >= 1, speed > 0 and duration >= 0")
        for kind in ("sud", "voc", "bhs"):
            check_rating(kind, getattr(rec, kind))
        values = [getattr(rec, name) for name in SET_COLUMNS]
        values[SET_COLUMNS.index("stopped_early")] = int(rec.stopped_early)
        with self._tx() as conn:
            self._require(conn, rec.session_id)
            try:
                conn.execute(
                    f"INSERT INTO sets ({', '.join(SET_COLUMNS)})"
                    f" VALUES ({', '.join('?' * len(SET_COLUMNS))})",
                    values,
                )
            except sqlite3.IntegrityError as exc:
                raise InvalidRecordError(
                    f"set {rec.number} of session {rec.session_id} is already recorded"
                ) from exc

    def add_rating(
        self,
        session_id: int,
        kind: str,
        value: int,
        *,
        context: str,
        set_number: int | None = None,
        at: str | None = None,
    ) -> None:
        """Record a rating; with ``set_number`` it is also stored on that set's row."""
        if kind not in RATING_RANGES:
            raise InvalidRecordError(f"rating kind must be one of: {', '.join(RATING_RANGES)}")
        check_rating(kind, value)
        if context not in RATING_CONTEXTS:
            raise InvalidRecordError(f"rating context must be one of: {', '.join(RATING_CONTEXTS)}")
        with self._tx() as conn:
            self._require(conn, session_id)
            conn.execute(
                "INSERT INTO ratings (session_id, set_number, kind, value, at, context)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, set_number, kind, value, self._stamp(at), context),
            )
            if set_number is not None and kind in ("sud", "voc", "bhs"):
                conn.execute(
                    f"UPDATE sets SET {kind} = ? WHERE session_id = ? AND number = ?",
                    (value, session_id, set_number),
                )

    def add_note(
        self,
        session_id: int,
        text: str,
        *,
        kind: str = "clinician",
        phase: str | None = None,
        set_number: int | None = None,
        at: str | None = None,
    ) -> None:
        """Record a free-text note (empty text is refused)."""
        if kind not in NOTE_KINDS:
            raise InvalidRecordError(f"note kind must be one of: {', '.join(NOTE_KINDS)}")
        if phase is not None:
            phase_by_id(phase)
        body = clean_text(text, "note")
        if not body:
            raise InvalidRecordError("note is empty")
        with self._tx() as conn:
            self._require(conn, session_id)
            conn.execute(
                "INSERT INTO notes (session_id, at, phase, set_number, text, kind)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, self._stamp(at), phase, set_number, body, kind),
            )

    def save_assessment(
        self,
        session_id: int,
        *,
        image: str = "",
        negative_cognition: str = "",
        positive_cognition: str = "",
        voc: int | None = None,
        emotions: str = "",
        sud: int | None = None,
        body_location: str = "",
        at: str | None = None,
    ) -> None:
        """Save (or replace) the Phase 3 baseline of a session."""
        check_rating("voc", voc)
        check_rating("sud", sud)
        fields = (image, negative_cognition, positive_cognition, emotions, body_location)
        texts = [clean_text(t, "assessment field") or "" for t in fields]
        with self._tx() as conn:
            self._require(conn, session_id)
            conn.execute(
                "INSERT OR REPLACE INTO assessment (session_id, image, negative_cognition,"
                " positive_cognition, emotions, body_location, voc, sud, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, *texts, voc, sud, self._stamp(at)),
            )

    def add_event(
        self,
        session_id: int,
        kind: str,
        detail: Mapping[str, Any] | None = None,
        *,
        at: str | None = None,
    ) -> None:
        """Record a marker (``stop``, ``back_to_target``, ``sound_lost``...) with JSON detail."""
        if _EVENT_KIND.fullmatch(kind) is None:
            raise InvalidRecordError("event kind must be lower_snake_case, up to 40 characters")
        with self._tx() as conn:
            self._require(conn, session_id)
            insert_event(conn, session_id, self._stamp(at), kind, dict(detail or {}))
