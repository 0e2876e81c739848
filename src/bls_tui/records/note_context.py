"""What a progress note says, taken from the record: the plain data the note templates read.

Pure: no template engine, no I/O.  :func:`build_context` turns a recorded session (with its
target, the measures taken that day and the dose it follows, when there is one) into a
:class:`NoteContext` of strings, numbers and lists; :func:`as_template_data` gives it to the
templates as plain dicts (docs/notes.md lists every field).

The words are the record's own: what was recorded, when, and what was not.  Nothing here
judges how the client is doing; where the record has nothing (the assessment of a SOAP note,
the plan), the note gets :data:`CLINICIAN_LINE` for the clinician to fill in.  Typed text
(labels, notes, beliefs) is passed through :func:`~bls_tui.safety.text.safe_text`: control and
bidi characters cannot reach the clinician's terminal or record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from bls_tui.protocol.model import parse_iso
from bls_tui.protocol.targets import PRONG_WORDS, STATUS_WORDS
from bls_tui.records.closure import closure_words, last_values
from bls_tui.records.measures_export import alert_words
from bls_tui.records.measures_rows import MeasureRecord
from bls_tui.records.note_parts import (
    NOT_RECORDED,
    DoseLinkView,
    MeasureView,
    MedicineView,
    SetView,
    TargetView,
    dose_link_view,
    measure_view,
    medicine_view,
    safe_field,
    set_view,
    sets_summary,
)
from bls_tui.records.review import format_duration, phase_durations
from bls_tui.records.types import SessionData
from bls_tui.records.words import (
    BODY_SCAN_OUTCOMES,
    MARKER_NAMES,
    STEP_NAMES,
    event_in_words,
    note_time_words,
)

if TYPE_CHECKING:
    from bls_tui.records.targets_store import Target

CLINICIAN_LINE = "[CLINICIAN TO COMPLETE]"
"""Where the record has nothing to say, the note says so for the clinician to fill in."""
NOBODY_TOLD = "This app works offline: it has notified no one of any answer."
KIND_WORDS = {
    "standard": "EMDR session",
    "ketamine": "ketamine-assisted EMDR session",
    "integration": "integration session after a medicine session",
}


@dataclass(frozen=True)
class NoteContext:
    """Everything a note template may use (all text already made safe)."""

    client_code: str
    session_id: int
    date: str
    start: str
    end: str
    zone: str
    kind: str
    kind_words: str
    planned_min: int
    actual: str
    status: str
    target: TargetView
    phases: list[str]
    sud_start: int | None
    sud_end: int | None
    voc_start: int | None
    voc_end: int | None
    sud_line: str
    voc_line: str
    start_ratings: str
    end_ratings: str
    sets: list[SetView]
    sets_summary: str
    responses: list[str]
    clinician_notes: list[str]
    events: list[str]
    body_scan: str
    closure: str
    closure_line: str
    containment: list[str]
    container_note: str
    measures: list[MeasureView]
    alerts: list[str]
    alerts_open: bool
    measures_note: str
    medicine: MedicineView | None
    dose_link: DoseLinkView | None
    plan: list[str]
    clinician_line: str = CLINICIAN_LINE
    nobody_told: str = NOBODY_TOLD
    extra: dict[str, str] = field(default_factory=dict)


def as_template_data(ctx: NoteContext) -> dict[str, Any]:
    """The context as plain dicts and lists (what a sandboxed template may see)."""
    return asdict(ctx)


START_CONTEXTS = ("assessment", "reevaluation")
"""Ratings that say where a session started: the Phase 3 baseline, or the Phase 8 one."""


def _ratings(data: SessionData) -> tuple[int | None, int | None, int | None, int | None]:
    """SUD and VOC at the start (the assessment, else a reevaluation rating; a rating taken
    mid-session is not a start) and at the end (closure values, else the last rating)."""

    def first(kind: str) -> int | None:
        found = [r.value for r in data.ratings if r.kind == kind and r.context in START_CONTEXTS]
        return found[0] if found else None

    def last(kind: str) -> int | None:
        found = [r.value for r in data.ratings if r.kind == kind]
        return found[-1] if found else None

    a = data.assessment
    sud_start = a.sud if a is not None and a.sud is not None else first("sud")
    voc_start = a.voc if a is not None and a.voc is not None else first("voc")
    s = data.session
    sud_end = s.final_sud if s.final_sud is not None else last("sud")
    voc_end = s.final_voc if s.final_voc is not None else last("voc")
    return sud_start, sud_end, voc_start, voc_end


def _rating_line(name: str, scale: int, start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return f"{name}: {NOT_RECORDED}."
    first = NOT_RECORDED if start is None else f"{start}/{scale}"
    last = NOT_RECORDED if end is None else f"{end}/{scale}"
    return f"{name} {first} at the start, {last} at the end."


def _pair(sud: int | None, voc: int | None) -> str:
    """``SUD 8/10, VOC 2/7`` (``not recorded`` for either)."""
    first = NOT_RECORDED if sud is None else f"{sud}/10"
    second = NOT_RECORDED if voc is None else f"{voc}/7"
    return f"SUD {first}, VOC {second}"


def _body_scan(data: SessionData) -> str:
    scans = [n for n in data.notes if n.kind == "body_scan"]
    if scans:
        text = safe_field(scans[-1].text).removeprefix("body scan: ")
        return text.replace("not_done", "not done").replace("not chosen", NOT_RECORDED)
    outcome = last_values(data.ratings, data.events, data.notes).body_scan
    if outcome is None:
        return NOT_RECORDED
    return BODY_SCAN_OUTCOMES.get(outcome, outcome.replace("_", " "))


def _events(data: SessionData, clock: Any) -> list[str]:
    out: list[str] = []
    for e in data.events:
        if e.kind == "marker":
            detail = e.detail
            kind = str(detail.get("marker", ""))
            text = MARKER_NAMES.get(kind, kind.replace("_", " ")).capitalize()
            where = f", set {detail['set']}" if detail.get("set") else ""
            said = f": {safe_field(str(detail['text']))}" if detail.get("text") else ""
            out.append(f"{clock(e.at)} {text}{where}{said}")
        elif e.kind in ("stop", "back_to_target", "grounding", "run_through"):
            detail = {k: safe_field(v) if isinstance(v, str) else v for k, v in e.detail.items()}
            words = event_in_words(e.kind, detail, clock).replace("voc: ", "VOC ")
            out.append(f"{clock(e.at)} {words}")
    return out


def _containment(data: SessionData) -> list[str]:
    done: list[str] = []
    for e in data.events:
        if e.kind == "containment_done":
            done = [STEP_NAMES[k] for k in STEP_NAMES if e.detail.get(k)]
    return done


def _plan(data: SessionData, target: TargetView, alerts_open: bool) -> list[str]:
    """Facts from the record that bear on the next session (no clinical judgement)."""
    out: list[str] = []
    closure = data.session.closure_complete
    if target.label:
        out.append(f"Target '{target.label}': status {target.status}.")
    if closure is False and not data.sets:
        out.append("The session closed with containment (no BLS this session).")
    elif closure is False and target.label:
        out.append(
            "Closure was incomplete: the target is open; the standard protocol reevaluates it "
            "at the start of the next session."
        )
    elif closure is False:
        out.append(
            "Closure was incomplete (no target recorded); the standard protocol reevaluates at "
            "the start of the next session."
        )
    elif closure is True and target.status == "completed":
        out.append("The target is marked completed in the plan.")
    if alerts_open:
        out.append("An item alert on an outcome measure is not acknowledged in the app.")
    if data.session.status == "interrupted":
        out.append("The session was interrupted and can be continued.")
    return out


def build_context(
    data: SessionData,
    tz: tzinfo,
    *,
    target: Target | None = None,
    measures: Sequence[MeasureRecord] = (),
    dose: SessionData | None = None,
) -> NoteContext:
    """The note's data from a recorded session.

    Args:
        data: the session as loaded (raw: this escapes what it uses).
        tz: the time zone of the times in the note (the clinician's local zone that day).
        target: the plan's target the session worked (a ``Target`` of the store), if any.
        measures: the measures to report (see :func:`measures_of_day`).
        dose: the medicine session a linked session follows, loaded, if any.
    """
    s = data.session

    def clock(stamp: str | None) -> str:
        return "–" if stamp is None else parse_iso(stamp).astimezone(tz).strftime("%H:%M")

    start = parse_iso(s.started_at).astimezone(tz)
    a = data.assessment
    tv = TargetView(
        label=safe_field(target.label if target is not None else s.target_label),
        prong=PRONG_WORDS.get(target.prong or "", "") if target is not None else "",
        status=STATUS_WORDS.get(target.status, target.status) if target is not None else "",
        negative_cognition=safe_field(
            (a.negative_cognition if a is not None else "")
            or (target.negative_cognition if target is not None else "")
        ),
        positive_cognition=safe_field(
            (a.positive_cognition if a is not None else "")
            or (target.positive_cognition if target is not None else "")
        ),
        image=safe_field(a.image) if a is not None else "",
        emotions=safe_field(a.emotions) if a is not None else "",
        body_location=safe_field(a.body_location) if a is not None else "",
    )
    sud_start, sud_end, voc_start, voc_end = _ratings(data)
    responses = [
        f"{note_time_words(data, n).capitalize()}: {safe_field(n.text)}"
        for n in data.notes
        if n.kind == "between_sets"
    ]
    clinician = [f"{clock(n.at)} {safe_field(n.text)}" for n in data.notes if n.kind == "clinician"]
    views = [measure_view(r, tz) for r in measures]
    alerts = [safe_field(alert_words(al, r, tz)) + "." for r in measures for al in r.alerts]
    alerts_open = any(al.acknowledged_at is None for r in measures for al in r.alerts)
    closure = closure_words(s.closure_complete, len(data.sets), NOT_RECORDED)
    actual = "–"
    if s.ended_at:
        actual = format_duration((parse_iso(s.ended_at) - parse_iso(s.started_at)).total_seconds())
    return NoteContext(
        client_code=safe_field(s.client_code),
        session_id=s.id,
        date=f"{start:%Y-%m-%d}",
        start=clock(s.started_at),
        end=clock(s.ended_at),
        zone=start.tzname() or "local time",
        kind=s.kind,
        kind_words=KIND_WORDS.get(s.kind, s.kind),
        planned_min=s.planned_min,
        actual=actual,
        status=s.status,
        target=tv,
        phases=[
            f"{p.number}. {p.name} ({format_duration(p.seconds)})" for p in phase_durations(data)
        ],
        sud_start=sud_start,
        sud_end=sud_end,
        voc_start=voc_start,
        voc_end=voc_end,
        sud_line=_rating_line("SUD", 10, sud_start, sud_end),
        voc_line=_rating_line("VOC", 7, voc_start, voc_end),
        start_ratings=_pair(sud_start, voc_start),
        end_ratings=_pair(sud_end, voc_end),
        sets=[set_view(data, r.number) for r in sorted(data.sets, key=lambda r: r.number)],
        sets_summary=sets_summary(data),
        responses=responses,
        clinician_notes=clinician,
        events=_events(data, clock),
        body_scan=_body_scan(data),
        closure=closure,
        closure_line=f"Closure: {closure}; final SUD "
        f"{NOT_RECORDED if s.final_sud is None else f'{s.final_sud}/10'}, final VOC "
        f"{NOT_RECORDED if s.final_voc is None else f'{s.final_voc}/7'}.",
        containment=_containment(data),
        container_note=safe_field(s.container_note),
        measures=views,
        alerts=alerts,
        alerts_open=alerts_open,
        measures_note="screening, not diagnosis",
        medicine=medicine_view(data.medicine, clock, data) if data.medicine is not None else None,
        dose_link=dose_link_view(data, dose, tz),
        plan=_plan(data, tv, alerts_open),
    )


def measures_of_day(
    session_measures: Sequence[MeasureRecord],
    client_measures: Sequence[MeasureRecord],
    started_at: str,
    tz: tzinfo,
) -> list[MeasureRecord]:
    """The measures a session's note reports: those taken in the session, and those of the
    client taken the same (local) day with no session named; oldest first."""
    day = parse_iso(started_at).astimezone(tz).date()
    chosen = {r.id: r for r in session_measures}
    for r in client_measures:
        if r.session_id is None and parse_iso(r.taken_at).astimezone(tz).date() == day:
            chosen.setdefault(r.id, r)
    return sorted(chosen.values(), key=lambda r: (r.taken_at, r.id))
