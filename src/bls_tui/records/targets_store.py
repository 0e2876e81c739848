"""Targets in the record store: the three-pronged plan, status changes, archive, progress.

A target belongs to one client.  Every status change is a row of its own (date, reason, the
session it happened in), so the plan's history is never overwritten.  A target that sessions
refer to cannot be deleted, only archived; archiving hides it from the plan and keeps it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from bls_tui.protocol.model import validate_client_code, validate_target_label
from bls_tui.protocol.targets import (
    PRONGS,
    Progress,
    TargetStatus,
    check_cluster,
    check_reason,
    completion_gaps,
    parse_prong,
    parse_status,
)
from bls_tui.records.base import InvalidRecordError, StoreError, clean_text
from bls_tui.records.target_links import TARGET_COLUMNS as _TARGET_COLUMNS
from bls_tui.records.target_links import TargetLinks
from bls_tui.records.target_links import UnknownTargetError as UnknownTargetError
from bls_tui.records.target_progress import target_progress


class TargetInUseError(StoreError):
    """Deleting a target that sessions refer to (it can only be archived)."""


class TargetIncompleteError(StoreError):
    """Marking a target completed without the values it needs and without a reason."""

    def __init__(self, gaps: list[str]) -> None:
        self.gaps = gaps
        super().__init__(
            "not completed: " + "; ".join(gaps) + " (give a reason to mark it completed anyway)"
        )


@dataclass(frozen=True)
class TargetChange:
    """One status change of a target."""

    at: str
    status: str
    reason: str
    session_id: int | None


@dataclass(frozen=True)
class Target:
    """A target of the plan with its history and the latest values from its sessions."""

    id: int
    client_code: str
    prong: str | None
    label: str
    touchstone_id: int | None
    cluster: str
    negative_cognition: str
    positive_cognition: str
    status: str
    archived_at: str | None
    created_at: str
    changes: tuple[TargetChange, ...] = ()
    progress: Progress = field(default_factory=Progress)
    sessions: int = 0
    last_session_at: str | None = None


def _cognition(value: str, what: str) -> str:
    text = clean_text(value, what) or ""
    if "\n" in text or len(text) > 200:
        raise InvalidRecordError(f"{what} must be one line of at most 200 characters")
    return text


class TargetsMixin(TargetLinks):
    """Targets for :class:`~bls_tui.records.store.Store`."""

    def add_target(
        self,
        client_code: str,
        label: str,
        *,
        prong: str | None,
        touchstone_id: int | None = None,
        cluster: str = "",
        negative_cognition: str = "",
        positive_cognition: str = "",
        status: str = "planned",
        reason: str = "",
        at: str | None = None,
    ) -> int:
        """Add a target to the client's plan; return its ID.

        Raises:
            InvalidRecordError: a field is not valid (the message names it), or the client
                already has a target of that label (labels are unique per client, any case).
        """
        try:
            code = validate_client_code(client_code)
        except ValueError as exc:
            raise InvalidRecordError(f"client code: {exc}") from exc
        clean = self._fields(
            label=label, prong=prong, cluster=cluster, nc=negative_cognition, pc=positive_cognition
        )
        state = self._status(status)
        why = self._reason(reason)
        stamp = self._stamp(at)
        with self._tx() as conn:
            if touchstone_id is not None:
                self._same_client(conn, touchstone_id, code, "touchstone")
            try:
                cur = conn.execute(
                    "INSERT INTO targets (client_code, prong, label, touchstone_id, cluster,"
                    " negative_cognition, positive_cognition, status, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        code,
                        clean["prong"],
                        clean["label"],
                        touchstone_id,
                        clean["cluster"],
                        clean["nc"],
                        clean["pc"],
                        state,
                        stamp,
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise InvalidRecordError(
                    f"label: {code} already has a target called {clean['label']!r}"
                ) from exc
            target_id = int(cur.lastrowid or 0)
            conn.execute(
                "INSERT INTO target_changes (target_id, at, status, reason) VALUES (?, ?, ?, ?)",
                (target_id, stamp, state, why or "added to the plan"),
            )
            return target_id

    def edit_target(
        self,
        target_id: int,
        *,
        label: str | None = None,
        prong: str | None = None,
        touchstone_id: int | None = None,
        cluster: str | None = None,
        negative_cognition: str | None = None,
        positive_cognition: str | None = None,
    ) -> None:
        """Change a target's details (None leaves a field as it is; status has its own call)."""
        with self._tx() as conn:
            old = self._row(conn, target_id)
            clean = self._fields(
                label=old["label"] if label is None else label,
                prong=old["prong"] if prong is None else prong,
                cluster=old["cluster"] if cluster is None else cluster,
                nc=old["negative_cognition"] if negative_cognition is None else negative_cognition,
                pc=old["positive_cognition"] if positive_cognition is None else positive_cognition,
            )
            stone = old["touchstone_id"] if touchstone_id is None else touchstone_id
            if stone is not None:
                if stone == target_id:
                    raise InvalidRecordError("touchstone: a target cannot be its own touchstone")
                self._same_client(conn, stone, str(old["client_code"]), "touchstone")
            try:
                conn.execute(
                    "UPDATE targets SET label = ?, prong = ?, touchstone_id = ?, cluster = ?,"
                    " negative_cognition = ?, positive_cognition = ? WHERE id = ?",
                    (
                        clean["label"],
                        clean["prong"],
                        stone,
                        clean["cluster"],
                        clean["nc"],
                        clean["pc"],
                        target_id,
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise InvalidRecordError(
                    f"label: {old['client_code']} already has a target called {clean['label']!r}"
                ) from exc
            before = {
                "label": old["label"],
                "prong": old["prong"],
                "touchstone": old["touchstone_id"],
                "cluster": old["cluster"],
                "NC": old["negative_cognition"],
                "PC": old["positive_cognition"],
            }
            after = dict(
                zip(
                    before,
                    (
                        clean["label"],
                        clean["prong"],
                        stone,
                        clean["cluster"],
                        clean["nc"],
                        clean["pc"],
                    ),
                    strict=True,
                )
            )
            was = [f"{k} was {before[k]!r}" for k in before if before[k] != after[k]]
            if was:  # what the edit replaced stays in the target's history
                conn.execute(
                    "INSERT INTO target_changes (target_id, at, status, reason)"
                    " VALUES (?, ?, ?, ?)",
                    (target_id, self._stamp(None), old["status"], "edited: " + "; ".join(was)),
                )

    def set_target_status(
        self,
        target_id: int,
        status: str,
        *,
        reason: str = "",
        session_id: int | None = None,
        at: str | None = None,
    ) -> None:
        """Record a status change (kept with its date and reason).

        Completing a target whose latest SUD is not 0, VOC not 7, or body scan not clear needs
        a reason (e.g. "SUD 1 is ecological: the court case is still open").

        Raises:
            TargetIncompleteError: completed without the values and without a reason.
        """
        state = self._status(status)
        why = self._reason(reason)
        stamp = self._stamp(at)
        with self._tx() as conn:
            self._row(conn, target_id)
            if session_id is not None:
                self._require(conn, session_id)
            if state == "completed" and not why:
                gaps = completion_gaps(target_progress(conn, target_id))
                if gaps:
                    raise TargetIncompleteError(gaps)
            conn.execute("UPDATE targets SET status = ? WHERE id = ?", (state, target_id))
            conn.execute(
                "INSERT INTO target_changes (target_id, at, status, reason, session_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (target_id, stamp, state, why, session_id),
            )

    def archive_target(self, target_id: int, *, reason: str = "", at: str | None = None) -> None:
        """Hide a target from the plan; it and every session that worked it are kept."""
        why = self._reason(reason)
        stamp = self._stamp(at)
        with self._tx() as conn:
            row = self._row(conn, target_id)
            conn.execute("UPDATE targets SET archived_at = ? WHERE id = ?", (stamp, target_id))
            conn.execute(
                "INSERT INTO target_changes (target_id, at, status, reason) VALUES (?, ?, ?, ?)",
                (target_id, stamp, str(row["status"]), "archived" + (f": {why}" if why else "")),
            )

    def delete_target(self, target_id: int) -> None:
        """Delete a target no session refers to (a target in use can only be archived)."""
        with self._tx() as conn:
            self._row(conn, target_id)
            used = conn.execute(
                "SELECT COUNT(*) FROM sessions WHERE target_id = ?", (target_id,)
            ).fetchone()[0]
            if used:
                raise TargetInUseError(
                    f"target {target_id} is referred to by {used} session(s); archive it instead"
                )
            conn.execute("DELETE FROM targets WHERE id = ?", (target_id,))

    def targets(self, client_code: str, *, archived: bool = False) -> list[Target]:
        """The client's targets (prong order, then when added), with history and progress."""
        with self._read() as conn:
            where = "" if archived else " AND archived_at IS NULL"
            rows = conn.execute(
                f"SELECT {_TARGET_COLUMNS} FROM targets WHERE client_code = ?{where}"
                " ORDER BY created_at, id",
                (client_code,),
            ).fetchall()
            found = [self._target(conn, r) for r in rows]
        order: dict[str | None, int] = {p: i for i, p in enumerate(PRONGS)}
        return sorted(found, key=lambda t: order.get(t.prong, len(PRONGS)))

    def target(self, target_id: int) -> Target:
        """One target with its history and progress."""
        with self._read() as conn:
            return self._target(conn, self._row(conn, target_id))

    # -- helpers --------------------------------------------------------------------------

    def _target(self, conn: sqlite3.Connection, row: sqlite3.Row) -> Target:
        target_id = int(row["id"])
        changes = tuple(
            TargetChange(str(c[0]), str(c[1]), str(c[2]), c[3])
            for c in conn.execute(
                "SELECT at, status, reason, session_id FROM target_changes WHERE target_id = ?"
                " ORDER BY at, id",
                (target_id,),
            )
        )
        count, last = conn.execute(
            "SELECT COUNT(*), MAX(started_at) FROM sessions WHERE target_id = ?", (target_id,)
        ).fetchone()
        return Target(
            **{k: row[k] for k in row.keys()},  # noqa: SIM118 (sqlite3.Row)
            changes=changes,
            progress=target_progress(conn, target_id),
            sessions=int(count),
            last_session_at=last,
        )

    @staticmethod
    def _fields(
        *, label: str, prong: str | None, cluster: str, nc: str, pc: str
    ) -> dict[str, str | None]:
        try:
            clean_label = validate_target_label(label)
        except ValueError as exc:
            raise InvalidRecordError(f"label: {exc}") from exc
        if not clean_label:
            raise InvalidRecordError("label: a target needs a short label")
        try:
            clean_prong = None if prong is None else parse_prong(prong)
            clean_cluster = check_cluster(cluster)
        except ValueError as exc:
            raise InvalidRecordError(str(exc)) from exc
        return {
            "label": clean_label,
            "prong": clean_prong,
            "cluster": clean_cluster,
            "nc": _cognition(nc, "negative cognition"),
            "pc": _cognition(pc, "positive cognition"),
        }

    @staticmethod
    def _status(status: str) -> TargetStatus:
        try:
            return parse_status(status)
        except ValueError as exc:
            raise InvalidRecordError(str(exc)) from exc

    @staticmethod
    def _reason(reason: str) -> str:
        try:
            return check_reason(reason)
        except ValueError as exc:
            raise InvalidRecordError(str(exc)) from exc
