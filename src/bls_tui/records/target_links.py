"""The parts of the target store that sessions use: a new session's target and dose link.

Split from :mod:`bls_tui.records.targets_store` (the plan itself) to keep each module small.
"""

from __future__ import annotations

import sqlite3

from bls_tui.records.base import InvalidRecordError, StoreBase, StoreError

TARGET_COLUMNS = (
    "id, client_code, prong, label, touchstone_id, cluster, negative_cognition,"
    " positive_cognition, status, archived_at, created_at"
)


class UnknownTargetError(StoreError):
    """No target has the given ID."""

    def __init__(self, target_id: int) -> None:
        super().__init__(f"no target with ID {target_id}")


class TargetLinks(StoreBase):
    """Row access and session links for :class:`~bls_tui.records.targets_store.TargetsMixin`."""

    # -- sessions that work a target ------------------------------------------------------

    def check_links(self, code: str, target_id: int | None, dose_session_id: int | None) -> None:
        """Check a new session's target and dose link before it starts (one-line errors)."""
        with self._read() as conn:
            self._check_links(conn, code, "", target_id, dose_session_id)

    def _check_links(
        self,
        conn: sqlite3.Connection,
        code: str,
        label: str,
        target_id: int | None,
        dose_session_id: int | None,
    ) -> str:
        """Check a new session's target and dose link; return the label to store with it."""
        if dose_session_id is not None:
            if not 1 <= dose_session_id < 2**63:
                raise InvalidRecordError(f"dose link: no session with ID {dose_session_id}")
            row = conn.execute(
                "SELECT s.client_code, m.dosed_at FROM sessions s"
                " LEFT JOIN medicine m ON m.session_id = s.id WHERE s.id = ?",
                (dose_session_id,),
            ).fetchone()
            if row is None:
                raise InvalidRecordError(f"dose link: no session with ID {dose_session_id}")
            if row[0] != code:
                raise InvalidRecordError(
                    f"dose link: session {dose_session_id} belongs to another client"
                )
            if row[1] is None:
                raise InvalidRecordError(
                    f"dose link: session {dose_session_id} has no dose recorded"
                )
        if target_id is None:
            return label
        self._same_client(conn, target_id, code, "target")
        row = self._row(conn, target_id)
        if row["archived_at"] is not None:
            raise InvalidRecordError(f"target: target {target_id} is archived")
        return str(row["label"])

    def _target_for_label(self, conn: sqlite3.Connection, code: str, label: str, at: str) -> int:
        """The client's target of that label (any case), made (prong unset) if there is none."""
        row = conn.execute(
            "SELECT id, archived_at FROM targets WHERE client_code = ? AND label = ?"
            " COLLATE NOCASE",
            (code, label),
        ).fetchone()
        if row is not None:
            if row[1] is not None:
                raise InvalidRecordError(f"target: {label!r} is archived (restore it or rename)")
            return int(row[0])
        cur = conn.execute(
            "INSERT INTO targets (client_code, label, status, created_at)"
            " VALUES (?, ?, 'planned', ?)",
            (code, label, at),
        )
        target_id = int(cur.lastrowid or 0)
        conn.execute(
            "INSERT INTO target_changes (target_id, at, status, reason) VALUES (?, ?, ?, ?)",
            (target_id, at, "planned", "named when a session started; prong not chosen yet"),
        )
        return target_id

    def _start_working(
        self, conn: sqlite3.Connection, target_id: int | None, session_id: int, at: str
    ) -> None:
        """A planned (or deferred) target that a session starts on is in progress from then."""
        if target_id is None:
            return
        status = str(self._row(conn, target_id)["status"])
        if status in ("planned", "deferred"):
            conn.execute("UPDATE targets SET status = 'in_progress' WHERE id = ?", (target_id,))
            conn.execute(
                "INSERT INTO target_changes (target_id, at, status, reason, session_id)"
                " VALUES (?, ?, 'in_progress', 'session started on it', ?)",
                (target_id, at, session_id),
            )

    def _row(self, conn: sqlite3.Connection, target_id: int) -> sqlite3.Row:
        if not 1 <= target_id < 2**63:  # no such row, and SQLite could not even be asked
            raise UnknownTargetError(target_id)
        row = conn.execute(
            f"SELECT {TARGET_COLUMNS} FROM targets WHERE id = ?", (target_id,)
        ).fetchone()
        if row is None:
            raise UnknownTargetError(target_id)
        return row  # type: ignore[no-any-return]

    def _same_client(self, conn: sqlite3.Connection, target_id: int, code: str, what: str) -> None:
        row = self._row(conn, target_id)
        if row["client_code"] != code:
            raise InvalidRecordError(f"{what}: target {target_id} belongs to another client")
