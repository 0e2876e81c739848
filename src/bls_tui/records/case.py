"""A client's course of treatment: sessions, target plan, measures and doses, in one read.

Built for the case view and the case export; read in one snapshot with a handful of queries
(no per-session load), so a long case opens quickly (``bench/case_view.py``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bls_tui.ketamine.dose import amount_text
from bls_tui.ketamine.window import in_window, since_dose_words
from bls_tui.protocol.model import PHASE_IDS, parse_iso
from bls_tui.records.measures_rows import MeasureRecord
from bls_tui.records.measures_store import MeasuresMixin
from bls_tui.records.targets_store import Target, TargetsMixin


@dataclass(frozen=True)
class CaseSession:
    """One line of the case view's session list."""

    id: int
    started_at: str
    kind: str
    status: str
    target_id: int | None
    target_label: str
    furthest_phase: int | None
    """Highest phase number (1-8) the session entered; None before any phase."""
    sets: int
    first_sud: int | None
    last_sud: int | None
    last_voc: int | None
    closure_complete: bool | None
    linked_dose_session_id: int | None
    phases: tuple[int, ...] = ()
    """The phase numbers entered, in the order first entered (``(8, 3, 4, 7)``)."""


@dataclass(frozen=True)
class DoseGroup:
    """A medicine session and the sessions in its window (linked to it, or within the hours)."""

    session_id: int
    dosed_at: str
    route: str
    dose: str
    sessions: tuple[tuple[int, str, bool], ...]
    """(session ID, time since the dose in words, linked explicitly) for each later session."""


@dataclass(frozen=True)
class Case:
    """Everything the case view shows for one client."""

    client_code: str
    sessions: tuple[CaseSession, ...]
    targets: tuple[Target, ...]
    measures: tuple[MeasureRecord, ...]
    doses: tuple[DoseGroup, ...]
    window_h: int | None

    def days_since_dose(self, now: datetime) -> list[tuple[int, str]]:
        """(medicine session, ``day 3 after dose (T+50 h)``) for every dose, newest first."""
        return [(d.session_id, since_dose_words(parse_iso(d.dosed_at), now)) for d in self.doses]


_PHASE_NUMBER = {pid: i + 1 for i, pid in enumerate(PHASE_IDS)}

_SESSIONS_SQL = """
SELECT s.id, s.started_at, s.kind, s.status, s.target_id, s.target_label, s.closure_complete,
    s.linked_dose_session_id, s.final_sud, s.final_voc,
    (SELECT COUNT(*) FROM sets WHERE sets.session_id = s.id) AS sets,
    (SELECT GROUP_CONCAT(phase) FROM (SELECT phase FROM phases WHERE phases.session_id = s.id
        ORDER BY entered_at, id)) AS phases,
    (SELECT sud FROM assessment WHERE assessment.session_id = s.id) AS base_sud,
    (SELECT voc FROM assessment WHERE assessment.session_id = s.id) AS base_voc,
    (SELECT value FROM ratings r WHERE r.session_id = s.id AND r.kind = 'sud'
        ORDER BY r.at, r.id LIMIT 1) AS first_rated_sud,
    (SELECT value FROM ratings r WHERE r.session_id = s.id AND r.kind = 'sud'
        ORDER BY r.at DESC, r.id DESC LIMIT 1) AS last_rated_sud,
    (SELECT value FROM ratings r WHERE r.session_id = s.id AND r.kind = 'voc'
        ORDER BY r.at DESC, r.id DESC LIMIT 1) AS last_rated_voc
FROM sessions s WHERE s.client_code = ? ORDER BY s.started_at, s.id
"""


def _pick(*values: int | None) -> int | None:
    return next((v for v in values if v is not None), None)


def _case_session(row: sqlite3.Row) -> CaseSession:
    phases = [p for p in str(row["phases"] or "").split(",") if p in _PHASE_NUMBER]
    order = tuple(dict.fromkeys(_PHASE_NUMBER[p] for p in phases))
    closure = row["closure_complete"]
    return CaseSession(
        id=int(row["id"]),
        started_at=str(row["started_at"]),
        kind=str(row["kind"]),
        status=str(row["status"]),
        target_id=row["target_id"],
        target_label=str(row["target_label"]),
        furthest_phase=max(order, default=None),
        sets=int(row["sets"]),
        first_sud=_pick(row["base_sud"], row["first_rated_sud"]),
        last_sud=_pick(row["final_sud"], row["last_rated_sud"], row["base_sud"]),
        last_voc=_pick(row["final_voc"], row["last_rated_voc"], row["base_voc"]),
        closure_complete=None if closure is None else bool(closure),
        linked_dose_session_id=row["linked_dose_session_id"],
        phases=order,
    )


class CaseMixin(MeasuresMixin, TargetsMixin):
    """The case view's read for :class:`~bls_tui.records.store.Store`."""

    def case(self, client_code: str, *, window_h: int | None = None) -> Case:
        """The client's sessions (oldest first), targets, measures and doses with windows."""
        with self._read() as conn:
            sessions = tuple(_case_session(r) for r in conn.execute(_SESSIONS_SQL, (client_code,)))
            doses = conn.execute(
                "SELECT m.session_id, m.dosed_at, m.route, m.dose_amount, m.dose_unit"
                " FROM medicine m JOIN sessions s ON s.id = m.session_id"
                " WHERE s.client_code = ? AND m.dosed_at IS NOT NULL ORDER BY m.dosed_at DESC",
                (client_code,),
            ).fetchall()
            targets = tuple(self.targets(client_code, archived=True))
            measures = tuple(self.list_measures(client_code))
        groups = tuple(_group(d, sessions, window_h) for d in doses)
        return Case(client_code, sessions, targets, measures, groups, window_h)


def _group(dose: sqlite3.Row, sessions: tuple[CaseSession, ...], window_h: int | None) -> DoseGroup:
    dose_id = int(dose["session_id"])
    dosed = parse_iso(str(dose["dosed_at"]))
    members = []
    for s in sessions:
        if s.id == dose_id:
            continue
        linked = s.linked_dose_session_id == dose_id
        started = parse_iso(s.started_at)
        if linked or (s.linked_dose_session_id is None and in_window(dosed, started, window_h)):
            members.append((s.id, since_dose_words(dosed, started), linked))
    amount = dose["dose_amount"]
    text = (
        f"{amount_text(amount)} {dose['dose_unit']}" if isinstance(amount, float) else f"{amount}"
    )
    return DoseGroup(
        dose_id, str(dose["dosed_at"]), str(dose["route"]), text.strip(), tuple(members)
    )
