"""Deleting sessions for good: here, in the WAL and in every daily backup."""

from __future__ import annotations

from collections.abc import Sequence

from bls_tui.records.base import StoreBase
from bls_tui.records.measures_store import purge_measures_in_backups
from bls_tui.records.schema import purge_backups


class DeleteMixin(StoreBase):
    """Deletion for :class:`~bls_tui.records.store.Store`."""

    def delete_session(self, session_id: int) -> None:
        """Delete a session and everything recorded for it, here and in the daily backups."""
        with self._tx() as conn:
            self._require(conn, session_id)
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        self._purge("DELETE FROM sessions WHERE id = ?", (session_id,))

    def delete_client(self, code: str) -> int:
        """Delete all sessions, targets and measures of a client (here and in the backups).

        Returns how many sessions were deleted.
        """
        with self._tx() as conn:
            count = conn.execute("DELETE FROM sessions WHERE client_code = ?", (code,)).rowcount
            conn.execute("DELETE FROM measures WHERE client_code = ?", (code,))
            conn.execute("DELETE FROM targets WHERE client_code = ?", (code,))
        self._purge("DELETE FROM sessions WHERE client_code = ?", (code,))
        purge_backups(
            self.path, "DELETE FROM targets WHERE client_code = ?", (code,), table="targets"
        )
        purge_measures_in_backups(self.path, code)
        return int(count)

    def _purge(self, sql: str, params: Sequence[object]) -> None:
        """Overwrite deleted rows in the WAL and apply the same delete to every backup."""
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        purge_backups(self.path, sql, params)
