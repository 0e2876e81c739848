"""A session's life in the store: heartbeat, finish, interrupted (stale or told), resumed."""

from __future__ import annotations

import os
import sqlite3

from bls_tui.protocol.model import parse_iso
from bls_tui.records.base import (
    SessionStateError,
    check_rating,
    clean_text,
    insert_event,
    pid_alive,
)
from bls_tui.records.load import LoadMixin
from bls_tui.records.types import SessionData


class LifecycleMixin(LoadMixin):
    """Session status changes for :class:`~bls_tui.records.store.Store`."""

    def heartbeat(self, session_id: int) -> None:
        """Record that this process still runs the session (call every ~30 s)."""
        with self._tx() as conn:
            self._require(conn, session_id)
            conn.execute(
                "UPDATE sessions SET pid = ?, last_heartbeat = ? WHERE id = ?",
                (os.getpid(), self._stamp(), session_id),
            )

    def finish_session(
        self,
        session_id: int,
        *,
        closure_complete: bool,
        final_sud: int | None = None,
        final_voc: int | None = None,
        container_note: str | None = None,
        ended_at: str | None = None,
    ) -> None:
        """Mark the session completed with its closure outcome; close any open phase visit."""
        check_rating("sud", final_sud)
        check_rating("voc", final_voc)
        at = self._stamp(ended_at)
        with self._tx() as conn:
            self._require(conn, session_id)
            self._close_open_phases(conn, session_id, at)
            conn.execute(
                "UPDATE sessions SET status = 'completed', ended_at = ?, closure_complete = ?,"
                " final_sud = ?, final_voc = ?, container_note = ?, last_heartbeat = ?"
                " WHERE id = ?",
                (
                    at,
                    int(closure_complete),
                    final_sud,
                    final_voc,
                    clean_text(container_note, "container note"),
                    at,
                    session_id,
                ),
            )

    def mark_stale_interrupted(self) -> list[int]:
        """Mark ``active`` sessions whose process is gone as ``interrupted``; return their IDs.

        The open phase visit is closed at the session's last recorded activity, and an
        ``interrupted`` event is stamped at that time.
        """
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, pid FROM sessions WHERE status = 'active'"
            ).fetchall()
            stale = [int(r[0]) for r in rows if r[1] is None or not pid_alive(int(r[1]))]
            marked = []
            for session_id in stale:
                last = self.load_session(session_id).last_activity()
                with self._tx() as conn:
                    changed = conn.execute(
                        "UPDATE sessions SET status = 'interrupted'"
                        " WHERE id = ? AND status = 'active'",
                        (session_id,),
                    ).rowcount
                    if changed:  # another process may have marked it first
                        self._close_open_phases(conn, session_id, last)
                        detail = {"detected_at": self._stamp()}
                        insert_event(conn, session_id, last, "interrupted", detail)
                        marked.append(session_id)
        return marked

    def mark_interrupted(self, session_id: int, reason: str) -> None:
        """Mark an active session ``interrupted`` now (quit, SIGTERM, SIGHUP): resumable."""
        with self._tx() as conn:
            status = self._require(conn, session_id)
            if status != "active":
                return
            now = self._stamp()
            conn.execute(
                "UPDATE sessions SET status = 'interrupted' WHERE id = ? AND status = 'active'",
                (session_id,),
            )
            self._close_open_phases(conn, session_id, now)
            insert_event(conn, session_id, now, "interrupted", {"reason": reason})

    def resume_session(self, session_id: int) -> SessionData:
        """Reopen an interrupted session in this process and return everything recorded.

        Build the model with ``SessionModel.resume(data.resume_point(), now)`` and then record
        ``model.current_visit()``.

        Raises:
            SessionStateError: the session is not interrupted.
        """
        with self._tx() as conn:
            status = self._require(conn, session_id)
            if status != "interrupted":
                raise SessionStateError(
                    f"session {session_id} is {status}; only interrupted sessions can be resumed"
                )
            now = self._stamp()
            conn.execute(
                "UPDATE sessions SET status = 'active', pid = ?, last_heartbeat = ? WHERE id = ?",
                (os.getpid(), now, session_id),
            )
            insert_event(conn, session_id, now, "resumed", {})
        return self.load_session(session_id)

    def _close_open_phases(self, conn: sqlite3.Connection, session_id: int, at: str) -> None:
        rows = conn.execute(
            "SELECT id, entered_at FROM phases WHERE session_id = ? AND left_at IS NULL",
            (session_id,),
        ).fetchall()
        for row_id, entered in rows:
            spent = max(0.0, (parse_iso(at) - parse_iso(entered)).total_seconds())
            conn.execute(
                "UPDATE phases SET left_at = ?, seconds = ? WHERE id = ?", (at, spent, row_id)
            )
