"""Typed rows of the session record store (what :class:`~bls_tui.records.store.Store` returns).

All stamps are ISO-8601 UTC strings as written by :func:`bls_tui.protocol.model.iso_utc`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal

from bls_tui.protocol.model import PhaseVisit, ResumePoint, SessionKind, parse_iso

__all__ = [
    "Assessment",
    "Checkin",
    "Event",
    "Medicine",
    "Note",
    "PhaseVisit",
    "Rating",
    "SessionData",
    "SessionInfo",
    "SessionSummary",
    "SetRecord",
    "TargetHistory",
]

SessionStatus = Literal["active", "interrupted", "completed"]
RatingKind = Literal["sud", "voc", "bhs", "presence"]
NoteKind = Literal["clinician", "between_sets", "body_scan", "container", "grounding"]

RATING_RANGES: dict[str, tuple[int, int]] = {
    "sud": (0, 10),
    "voc": (1, 7),
    "bhs": (0, 10),  # 0 = in front of the face (fully present), 10 = back of the head
    "presence": (0, 10),  # numeric presence scale, see vitals.PRESENCE_SCALES
}
RATING_CONTEXTS = (
    "between_sets",
    "back_to_target",
    "assessment",
    "installation",
    "body_scan",
    "closure",
    "reevaluation",
    "checkin",
)
NOTE_KINDS: tuple[NoteKind, ...] = (
    "clinician",
    "between_sets",
    "body_scan",
    "container",
    "grounding",
)


@dataclass(frozen=True)
class SessionInfo:
    """The ``sessions`` row."""

    id: int
    client_code: str
    kind: SessionKind
    target_label: str
    planned_min: int
    started_at: str
    ended_at: str | None
    status: SessionStatus
    closure_complete: bool | None
    final_sud: int | None
    final_voc: int | None
    container_note: str | None
    pid: int | None
    last_heartbeat: str | None
    target_id: int | None = None
    linked_dose_session_id: int | None = None
    """An earlier medicine session whose window this session is in (integration, EMDR)."""


@dataclass(frozen=True)
class SetRecord:
    """One finished (or stopped) BLS set.

    ``sweeps_*`` count single traverses, ``cycles_*`` full left-right-left cycles;
    ``delivered_hz`` is the measured speed, ``sound_lost_at`` the stamp audio dropped (if it did).
    """

    session_id: int
    number: int
    phase: str
    started_at: str
    ended_at: str
    speed_hz: float
    sweeps_delivered: int
    cycles_delivered: float
    duration_s: float
    pattern: str = "horizontal"
    profile: str = ""
    cycles_planned: float | None = None
    sweeps_planned: int | None = None
    delivered_hz: float | None = None
    stopped_early: bool = False
    stop_reason: str | None = None
    sound_lost_at: str | None = None
    tone: str | None = None
    sud: int | None = None
    voc: int | None = None
    bhs: int | None = None


SET_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(SetRecord))
"""Column names of the ``sets`` table, in :class:`SetRecord` field order."""


@dataclass(frozen=True)
class Rating:
    """A SUD/VOC/BHS/presence rating; ``set_number`` is the set it follows, if any."""

    kind: RatingKind
    value: int
    at: str
    context: str
    set_number: int | None = None


@dataclass(frozen=True)
class Note:
    """A free-text note."""

    at: str
    text: str
    kind: NoteKind = "clinician"
    phase: str | None = None
    set_number: int | None = None


@dataclass(frozen=True)
class Assessment:
    """The Phase 3 baseline."""

    at: str
    image: str = ""
    negative_cognition: str = ""
    positive_cognition: str = ""
    voc: int | None = None
    emotions: str = ""
    sud: int | None = None
    body_location: str = ""


@dataclass(frozen=True)
class Event:
    """A marker such as a stop, back-to-target, interruption or resume."""

    at: str
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Medicine:
    """Ketamine dosing record; minutes count from ``dosed_at`` (T0).

    ``observation_min`` 0 means no observation period was set for the route (it then ends only
    when the clinician confirms); the screening answers are described in
    :mod:`bls_tui.ketamine.screening`.
    """

    route: str
    dose_amount: float
    dose_unit: str
    dosed_at: str | None = None
    provider: str | None = None
    screening: dict[str, Any] = field(default_factory=dict)
    linked_session_id: int | None = None
    observation_min: int = 120
    bp_recheck_min: int | None = 40
    checkin_interval_min: int | None = None
    observation_confirmed_at: str | None = None
    infusion_min: int | None = None
    """IV: infusion length in minutes, as entered (None: not asked / not entered)."""
    last_spray_min: int | None = None
    """Esketamine: minutes from the first device to the last spray, as entered."""

    def minutes_since_dose(self, at: str) -> float | None:
        """Minutes from T0 to ``at`` (None before a dose time is recorded)."""
        if self.dosed_at is None:
            return None
        return (parse_iso(at) - parse_iso(self.dosed_at)).total_seconds() / 60.0


@dataclass(frozen=True)
class Checkin:
    """Vitals/presence check-in, as produced by :mod:`bls_tui.ketamine.vitals`.

    ``presence`` 0-10 on ``presence_scale`` (see ``vitals.PRESENCE_SCALES``); ``sedation`` a
    ``vitals.SEDATION_LEVELS`` id; ``flags`` the highlight texts of ``vitals.flags()``.
    """

    at: str
    systolic: int | None = None
    diastolic: int | None = None
    heart_rate: int | None = None
    spo2: int | None = None
    presence: float | None = None
    presence_scale: str = "numeric"
    sedation: str | None = None
    note: str | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SessionSummary:
    """One line of a session list."""

    id: int
    client_code: str
    kind: SessionKind
    target_label: str
    planned_min: int
    started_at: str
    ended_at: str | None
    status: SessionStatus
    set_count: int
    target_id: int | None = None
    linked_dose_session_id: int | None = None


@dataclass(frozen=True)
class TargetHistory:
    """An earlier target of a client, for Phase 8 reevaluation."""

    target_label: str
    sessions: int
    first_date: str
    last_session_id: int
    last_date: str
    baseline_sud: int | None
    last_sud: int | None
    last_voc: int | None


@dataclass(frozen=True)
class SessionData:
    """Everything recorded for one session, in time order."""

    session: SessionInfo
    phases: list[PhaseVisit] = field(default_factory=list)
    assessment: Assessment | None = None
    sets: list[SetRecord] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    medicine: Medicine | None = None
    checkins: list[Checkin] = field(default_factory=list)

    def last_activity(self) -> str:
        """Latest stamp anywhere in the session (the best guess of when it stopped)."""
        stamps = [self.session.started_at]
        if self.session.last_heartbeat:
            stamps.append(self.session.last_heartbeat)
        stamps += [s.ended_at for s in self.sets] + [r.at for r in self.ratings]
        stamps += [n.at for n in self.notes] + [c.at for c in self.checkins]
        stamps += [p.left_at or p.entered_at for p in self.phases]
        stamps += [e.at for e in self.events if e.kind != "resumed"]
        return max(stamps, key=parse_iso)

    def last_rating(self, kind: RatingKind) -> int | None:
        """Latest rating of ``kind`` (ratings table, then set columns), or None."""
        for rating in reversed(self.ratings):
            if rating.kind == kind:
                return rating.value
        for rec in reversed(self.sets):
            value: int | None = getattr(rec, kind, None)
            if value is not None:
                return value
        return None

    def resume_point(self) -> ResumePoint:
        """Where to carry on: last phase entered, time spent, set counts and set number."""
        interrupted = [e.at for e in self.events if e.kind == "interrupted"]
        stop_at = interrupted[-1] if interrupted else self.last_activity()
        seconds: dict[str, float] = {}
        for visit in self.phases:
            spent = visit.seconds
            if spent is None:
                spent = _seconds_between(visit.entered_at, visit.left_at or stop_at)
            seconds[visit.phase] = seconds.get(visit.phase, 0.0) + spent
        counts: dict[str, int] = {}
        for rec in self.sets:
            counts[rec.phase] = counts.get(rec.phase, 0) + 1
        s = self.session
        return ResumePoint(
            client_code=s.client_code,
            kind=s.kind,
            planned_min=s.planned_min,
            target_label=s.target_label,
            phase=self.phases[-1].phase if self.phases else "history",
            started_wall=s.started_at,
            elapsed_s=_seconds_between(s.started_at, stop_at),
            phase_seconds=seconds,
            set_counts=counts,
            last_set_number=max((r.number for r in self.sets), default=0),
            interrupted_at=stop_at,
        )


def _seconds_between(start: str, end: str) -> float:
    delta: float = (parse_iso(end) - parse_iso(start)).total_seconds()
    return max(0.0, delta)


def date_of(stamp: str) -> str:
    """``YYYY-MM-DD`` of an ISO stamp (UTC)."""
    moment: datetime = parse_iso(stamp)
    return moment.date().isoformat()
