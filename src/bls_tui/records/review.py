"""Pure views of a recorded session for the summary screen, the CLI and the plots.

Everything takes a :class:`~bls_tui.records.types.SessionData` and returns plain values:
minutes are floats counted from the session start (or, for :func:`timeline_series`, from the
ketamine dose time T0 when there is one).  Nothing here does I/O or imports a UI library.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bls_tui.ketamine.dose import amount_text
from bls_tui.protocol.model import PHASE_IDS, parse_iso, phase_by_id
from bls_tui.records.types import SessionData, SetRecord

__all__ = [
    "Mark",
    "PhaseTime",
    "SetRow",
    "Timeline",
    "format_duration",
    "minutes_between",
    "phase_durations",
    "rating_series",
    "session_end",
    "set_headers",
    "set_rows",
    "timeline_series",
]

RATING_SCALES: dict[str, tuple[int, int]] = {"sud": (0, 10), "voc": (1, 7), "bhs": (0, 10)}
"""Kinds :func:`rating_series` can collect, with their scale."""

VITAL_KEYS = ("systolic", "diastolic", "heart_rate", "spo2", "presence", "bhs")
"""Series names in :attr:`Timeline.vitals` (``presence`` = numeric scale, ``bhs`` = BHS scale)."""


def minutes_between(start: str, at: str) -> float:
    """Minutes from ISO stamp ``start`` to ISO stamp ``at`` (negative if ``at`` is earlier)."""
    delta: float = (parse_iso(at) - parse_iso(start)).total_seconds()
    return delta / 60.0


def session_end(data: SessionData) -> str:
    """When the session ended: ``ended_at``, else its last recorded activity."""
    return data.session.ended_at or data.last_activity()


def format_duration(seconds: float | None) -> str:
    """``24 s``, ``3 min 05 s`` or ``1 h 02 min``; ``–`` for None."""
    if seconds is None:
        return "–"
    total = round(max(0.0, seconds))
    if total < 60:
        return f"{total} s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


# -- ratings -------------------------------------------------------------------------------


def rating_series(
    data: SessionData, kinds: tuple[str, ...] = ("sud", "voc")
) -> dict[str, list[tuple[float, int]]]:
    """Rating points per kind as ``(minutes since session start, value)``, in time order.

    Sources, each point counted once:

    * the Phase 3 baseline (assessment), unless a rating with context ``assessment`` of the
      same kind was recorded (then that rating is the baseline);
    * every row of the ratings table;
    * a set's own ``sud``/``voc``/``bhs`` column (at the set's end), unless a rating of that
      kind names the set (the store copies such ratings onto the set row);
    * the final closure rating (at ``ended_at``), unless a rating with context ``closure``
      of that kind was recorded.

    Raises:
        ValueError: a kind not in :data:`RATING_SCALES`.
    """
    for kind in kinds:
        if kind not in RATING_SCALES:
            raise ValueError(f"rating kind must be one of: {', '.join(RATING_SCALES)}")
    start = data.session.started_at
    found: dict[str, list[tuple[float, int, int]]] = {kind: [] for kind in kinds}

    def add(kind: str, at: str, value: int | None) -> None:
        if kind in found and value is not None:
            found[kind].append((minutes_between(start, at), len(found[kind]), value))

    def rated(kind: str, context: str) -> bool:
        return any(r.kind == kind and r.context == context for r in data.ratings)

    a = data.assessment
    if a is not None:
        for kind, value in (("sud", a.sud), ("voc", a.voc)):
            if not rated(kind, "assessment"):
                add(kind, a.at, value)
    for rating in data.ratings:
        add(rating.kind, rating.at, rating.value)
    for rec in data.sets:
        for kind in ("sud", "voc", "bhs"):
            linked = any(r.kind == kind and r.set_number == rec.number for r in data.ratings)
            if not linked:
                add(kind, rec.ended_at, getattr(rec, kind))
    s = data.session
    if s.ended_at is not None:
        for kind, value in (("sud", s.final_sud), ("voc", s.final_voc)):
            if not rated(kind, "closure"):
                add(kind, s.ended_at, value)
    return {kind: [(m, v) for m, _, v in sorted(points)] for kind, points in found.items()}


# -- phases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseTime:
    """Total time in one phase (revisits added up)."""

    phase: str
    number: int
    name: str
    seconds: float
    visits: int


def phase_durations(data: SessionData) -> list[PhaseTime]:
    """Time per phase in protocol order; an open visit counts up to :func:`session_end`."""
    end = session_end(data)
    totals: dict[str, float] = {}
    visits: dict[str, int] = {}
    for visit in data.phases:
        spent = visit.seconds
        if spent is None:
            spent = max(0.0, minutes_between(visit.entered_at, visit.left_at or end) * 60.0)
        totals[visit.phase] = totals.get(visit.phase, 0.0) + spent
        visits[visit.phase] = visits.get(visit.phase, 0) + 1
    out = []
    for pid in PHASE_IDS:
        if pid in totals:
            phase = phase_by_id(pid)
            out.append(PhaseTime(pid, phase.number, phase.name, totals[pid], visits[pid]))
    return out


# -- sets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetRow:
    """One set, ready for a table (raw values; :meth:`cells` formats them)."""

    number: int
    phase: str
    phase_name: str
    start_min: float
    speed_hz: float
    sweeps_delivered: int
    sweeps_planned: int | None
    cycles_delivered: float
    cycles_planned: float | None
    duration_s: float
    delivered_hz: float | None
    sud: int | None
    voc: int | None
    bhs: int | None
    stopped_early: bool
    stop_reason: str | None
    sound_lost: bool
    since_dose_min: float | None = None

    def cells(self, *, since_dose: bool = False) -> list[str]:
        """Strings in :func:`set_headers` order."""

        def of(done: float, planned: float | None) -> str:
            return f"{done:g}" if planned is None else f"{done:g}/{planned:g}"

        stopped = "no"
        if self.stopped_early:
            stopped = f"yes: {self.stop_reason}" if self.stop_reason else "yes"
        row = [
            str(self.number),
            self.phase_name,
            f"{self.speed_hz:.2f}",
            of(self.sweeps_delivered, self.sweeps_planned),
            of(self.cycles_delivered, self.cycles_planned),
            format_duration(self.duration_s),
            "–" if self.delivered_hz is None else f"{self.delivered_hz:.3f}",
            _opt(self.sud),
            _opt(self.voc),
            stopped,
            "yes" if self.sound_lost else "no",
        ]
        if since_dose:
            row.append("–" if self.since_dose_min is None else f"{self.since_dose_min:.0f}")
        return row


def set_headers(*, since_dose: bool = False) -> list[str]:
    """Column titles matching :meth:`SetRow.cells`."""
    head = ["#", "Phase", "Speed Hz", "Sweeps", "Cycles", "Duration", "Delivered Hz"]
    head += ["SUD", "VOC", "Stopped early", "Sound lost"]
    return [*head, "Since dose (min)"] if since_dose else head


def set_rows(data: SessionData) -> list[SetRow]:
    """One :class:`SetRow` per recorded set, in set-number order."""
    return [_row(data, rec) for rec in sorted(data.sets, key=lambda r: r.number)]


def _row(data: SessionData, rec: SetRecord) -> SetRow:
    m = data.medicine
    since = m.minutes_since_dose(rec.started_at) if m is not None else None
    return SetRow(
        number=rec.number,
        phase=rec.phase,
        phase_name=phase_by_id(rec.phase).name,
        start_min=minutes_between(data.session.started_at, rec.started_at),
        speed_hz=rec.speed_hz,
        sweeps_delivered=rec.sweeps_delivered,
        sweeps_planned=rec.sweeps_planned,
        cycles_delivered=rec.cycles_delivered,
        cycles_planned=rec.cycles_planned,
        duration_s=rec.duration_s,
        delivered_hz=rec.delivered_hz,
        sud=rec.sud,
        voc=rec.voc,
        bhs=rec.bhs,
        stopped_early=rec.stopped_early,
        stop_reason=rec.stop_reason,
        sound_lost=rec.sound_lost_at is not None,
        since_dose_min=since,
    )


def _opt(value: object) -> str:
    return "–" if value is None else str(value)


# -- timeline (ketamine-assisted sessions, or any session) ---------------------------------


@dataclass(frozen=True)
class Mark:
    """Something that happened at ``minute`` (a span when ``end_minute`` is set).

    ``kind`` is one of ``dose``, ``session_start``, ``session_end``, ``bp_recheck_due``,
    ``observation_end``, ``observation_confirmed``, ``set``, ``checkin``, ``rating``,
    ``note``, ``event``.
    """

    minute: float
    kind: str
    label: str
    end_minute: float | None = None


@dataclass(frozen=True)
class Timeline:
    """Marks and vitals series on one time axis starting at ``zero_at``."""

    zero_at: str
    zero_label: str
    marks: list[Mark] = field(default_factory=list)
    vitals: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Mark]:
        """Marks of one kind, in time order."""
        return [m for m in self.marks if m.kind == kind]


def timeline_series(data: SessionData) -> Timeline:
    """Everything on one axis of minutes since the dose (T0), or since session start.

    With a recorded dose time the axis starts at T0 and also carries the planned BP recheck
    and the end of the observation window (when a period was set: with none, the window ends
    only when the clinician confirms, marked "observation ok"); otherwise it starts at the
    session start.
    ``vitals`` holds only the values actually recorded, keyed by :data:`VITAL_KEYS`.
    """
    s, m = data.session, data.medicine
    dosed = m is not None and m.dosed_at is not None
    zero = m.dosed_at if m is not None and m.dosed_at is not None else s.started_at
    label = "dose (T0)" if dosed else "session start"

    def at(stamp: str) -> float:
        return minutes_between(zero, stamp)

    marks: list[Mark] = []
    if dosed and m is not None:
        marks.append(
            Mark(0.0, "dose", f"dose {amount_text(m.dose_amount)} {m.dose_unit} {m.route}")
        )
        if m.bp_recheck_min is not None:
            marks.append(Mark(float(m.bp_recheck_min), "bp_recheck_due", "BP recheck due"))
        if m.observation_min > 0:  # 0: no period set for the route; it ends when confirmed
            marks.append(Mark(float(m.observation_min), "observation_end", "observation ends"))
        if m.observation_confirmed_at is not None:
            marks.append(
                Mark(at(m.observation_confirmed_at), "observation_confirmed", "observation ok")
            )
    marks.append(Mark(at(s.started_at), "session_start", "session start"))
    if s.ended_at is not None:
        marks.append(Mark(at(s.ended_at), "session_end", "session end"))
    for rec in data.sets:
        marks.append(Mark(at(rec.started_at), "set", f"set {rec.number}", at(rec.ended_at)))
    for r in data.ratings:
        marks.append(Mark(at(r.at), "rating", f"{r.kind.upper()} {r.value}"))
    for n in data.notes:
        marks.append(Mark(at(n.at), "note", n.text.splitlines()[0][:60] if n.text else ""))
    for e in data.events:
        marks.append(Mark(at(e.at), "event", e.kind.replace("_", " ")))
    vitals: dict[str, list[tuple[float, float]]] = {key: [] for key in VITAL_KEYS}
    for c in data.checkins:
        minute = at(c.at)
        parts = []
        if c.systolic is not None and c.diastolic is not None:
            parts.append(f"BP {c.systolic}/{c.diastolic}")
        for key, value in (
            ("systolic", c.systolic),
            ("diastolic", c.diastolic),
            ("heart_rate", c.heart_rate),
            ("spo2", c.spo2),
        ):
            if value is not None:
                vitals[key].append((minute, float(value)))
        if c.presence is not None:
            key = "bhs" if c.presence_scale == "bhs" else "presence"
            vitals[key].append((minute, float(c.presence)))
        if c.heart_rate is not None:
            parts.append(f"HR {c.heart_rate}")
        marks.append(Mark(minute, "checkin", ", ".join(parts) or "check-in"))
    marks.sort(key=lambda mark: mark.minute)
    for series in vitals.values():
        series.sort(key=lambda point: point[0])
    return Timeline(zero, label, marks, vitals)
