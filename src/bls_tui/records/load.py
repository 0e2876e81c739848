"""Reading sessions back: full loads, lists and a client's target history (Phase 8)."""

from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import fields
from typing import Any

from bls_tui.protocol.model import PhaseVisit
from bls_tui.records.base import StoreBase, UnknownSessionError
from bls_tui.records.types import (
    SET_COLUMNS,
    Assessment,
    Checkin,
    Event,
    Medicine,
    Note,
    Rating,
    SessionData,
    SessionInfo,
    SessionSummary,
    SetRecord,
    TargetHistory,
)


@functools.cache
def _names(cls: Any) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _from_row(cls: Any, row: sqlite3.Row, **given: Any) -> Any:
    """A row type filled from the columns of the same names; ``given`` for fields that need work."""
    return cls(**{name: row[name] for name in _names(cls) if name not in given}, **given)


def _info(row: sqlite3.Row) -> SessionInfo:
    closure = row["closure_complete"]
    info: SessionInfo = _from_row(
        SessionInfo, row, closure_complete=None if closure is None else bool(closure)
    )
    return info


def _set(row: sqlite3.Row) -> SetRecord:
    values = {name: row[name] for name in SET_COLUMNS}
    values["stopped_early"] = bool(values["stopped_early"])
    return SetRecord(**values)


def _medicine(row: sqlite3.Row) -> Medicine:
    medicine: Medicine = _from_row(Medicine, row, screening=json.loads(row["screening"]))
    return medicine


def _checkin(row: sqlite3.Row) -> Checkin:
    checkin: Checkin = _from_row(Checkin, row, flags=json.loads(row["flags"]))
    return checkin


_SUMMARY_SQL = (
    "SELECT s.*, (SELECT COUNT(*) FROM sets WHERE sets.session_id = s.id) AS set_count"
    " FROM sessions AS s"
)


def _summary(row: sqlite3.Row) -> SessionSummary:
    summary: SessionSummary = _from_row(SessionSummary, row)
    return summary


class LoadMixin(StoreBase):
    """Read side of the store."""

    def load_session(self, session_id: int) -> SessionData:
        """Everything recorded for one session, as typed dataclasses in time order.

        Raises:
            UnknownSessionError: no session has this ID.
        """
        with self._read() as conn:
            row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise UnknownSessionError(session_id)

            def rows(table: str, order: str) -> list[sqlite3.Row]:
                return conn.execute(
                    f"SELECT * FROM {table} WHERE session_id = ? ORDER BY {order}", (session_id,)
                ).fetchall()

            assess = rows("assessment", "session_id")
            medicine = rows("medicine", "session_id")
            return SessionData(
                session=_info(row),
                phases=[
                    PhaseVisit(r["phase"], r["entered_at"], r["left_at"], r["seconds"])
                    for r in rows("phases", "id")
                ],
                assessment=Assessment(
                    at=assess[0]["at"],
                    image=assess[0]["image"],
                    negative_cognition=assess[0]["negative_cognition"],
                    positive_cognition=assess[0]["positive_cognition"],
                    voc=assess[0]["voc"],
                    emotions=assess[0]["emotions"],
                    sud=assess[0]["sud"],
                    body_location=assess[0]["body_location"],
                )
                if assess
                else None,
                sets=[_set(r) for r in rows("sets", "number")],
                ratings=[
                    Rating(r["kind"], r["value"], r["at"], r["context"], r["set_number"])
                    for r in rows("ratings", "at, id")
                ],
                notes=[
                    Note(r["at"], r["text"], r["kind"], r["phase"], r["set_number"])
                    for r in rows("notes", "at, id")
                ],
                events=[
                    Event(r["at"], r["kind"], json.loads(r["detail"]))
                    for r in rows("events", "at, id")
                ],
                medicine=_medicine(medicine[0]) if medicine else None,
                checkins=[_checkin(r) for r in rows("checkins", "at, id")],
            )

    def list_sessions(
        self, client: str | None = None, *, status: str | None = None
    ) -> list[SessionSummary]:
        """Sessions, newest first, optionally for one client code and/or one status."""
        clauses, params = [], []
        if client is not None:
            clauses.append("s.client_code = ?")
            params.append(client)
        if status is not None:
            clauses.append("s.status = ?")
            params.append(status)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._read() as conn:
            found = conn.execute(
                f"{_SUMMARY_SQL}{where} ORDER BY s.started_at DESC, s.id DESC", params
            ).fetchall()
        return [_summary(r) for r in found]

    def interrupted_sessions(self, client: str | None = None) -> list[SessionSummary]:
        """Sessions left ``interrupted`` (crash, kill, power loss), newest first."""
        return self.list_sessions(client, status="interrupted")

    def client_history(
        self, code: str, *, exclude_session: int | None = None
    ) -> list[TargetHistory]:
        """Earlier targets of a client with their baseline and latest SUD/VOC (Phase 8).

        Targets are grouped by label (case-insensitive).  A session's latest SUD/VOC is its
        final rating, else its last recorded rating, else its assessment baseline.
        """
        with self._read() as conn:
            ids = [
                int(r["id"])
                for r in conn.execute(
                    "SELECT id FROM sessions WHERE client_code = ? ORDER BY started_at, id",
                    (code,),
                )
            ]
            loaded = [self.load_session(i) for i in ids if i != exclude_session]
        groups: dict[str, list[SessionData]] = {}
        for data in loaded:
            groups.setdefault(data.session.target_label.casefold(), []).append(data)
        history = []
        for group in groups.values():
            baseline = last_sud = last_voc = None
            for data in group:
                first = data.assessment.sud if data.assessment else None
                baseline = first if baseline is None else baseline
                sud = _first(data.session.final_sud, data.last_rating("sud"), first)
                voc = _first(
                    data.session.final_voc,
                    data.last_rating("voc"),
                    data.assessment.voc if data.assessment else None,
                )
                last_sud = sud if sud is not None else last_sud
                last_voc = voc if voc is not None else last_voc
            last = group[-1].session
            history.append(
                TargetHistory(
                    target_label=last.target_label,
                    sessions=len(group),
                    first_date=group[0].session.started_at,
                    last_session_id=last.id,
                    last_date=last.started_at,
                    baseline_sud=baseline,
                    last_sud=last_sud,
                    last_voc=last_voc,
                )
            )
        return sorted(history, key=lambda h: h.last_date, reverse=True)


def _first(*values: int | None) -> int | None:
    return next((v for v in values if v is not None), None)
