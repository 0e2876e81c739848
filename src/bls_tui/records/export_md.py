"""The Markdown export: a draft note to paste into the clinician's own record and edit there.

Notes and labels arrive already made safe (:mod:`bls_tui.records.export_safe`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from bls_tui.protocol.model import PHASE_IDS, parse_iso, phase_by_id
from bls_tui.records.closure import closure_words
from bls_tui.records.measures_export import measures_markdown
from bls_tui.records.measures_rows import MeasureRecord
from bls_tui.records.medicine_words import kind_words, medicine_facts
from bls_tui.records.types import SessionData
from bls_tui.records.words import (
    RATING_NAMES,
    event_in_words,
    minutes_since_dose,
    note_time_words,
    when_written,
)
from bls_tui.safety.text import md_text


def _esc(text: object) -> str:
    """One table cell: no pipes or line breaks."""
    return str(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _dur(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def _opt(value: object, scale: str = "") -> str:
    return "–" if value is None or value == "" else f"{value}{scale}"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(_esc(c) for c in row) + " |" for row in rows]


def markdown(
    data: SessionData,
    tz: tzinfo,
    *,
    measures: Sequence[MeasureRecord] = (),
    dose_link: str = "",
) -> str:
    """The draft note; ``measures`` are those of that day (their alerts apart); ``dose_link``
    the words for the earlier dose the session follows (``After the dose of session #5 ...``)."""
    s = data.session

    def clock(stamp: str | None) -> str:
        return "–" if stamp is None else parse_iso(stamp).astimezone(tz).strftime("%H:%M")

    start = parse_iso(s.started_at).astimezone(tz)
    zone = start.tzname() or "local"
    kind = kind_words(s.kind)
    actual = "–"
    if s.ended_at:
        actual = _dur((parse_iso(s.ended_at) - parse_iso(s.started_at)).total_seconds())
    out = [
        "# EMDR session note (draft)",
        "",
        f"- **Client code:** {s.client_code}",
        f"- **Date:** {start:%Y-%m-%d}, {clock(s.started_at)}–{clock(s.ended_at)} ({zone})",
        f"- **Session kind:** {kind}",
        f"- **Length:** planned {s.planned_min} min; actual {actual}",
        f"- **Target:** {s.target_label or '–'}",
        f"- **Status:** {s.status} (session ID {s.id})",
        *([f"- **Dose link:** {md_text(dose_link)}"] if dose_link else []),
        "",
        "## Assessment (baseline)",
        "",
    ]
    a = data.assessment
    if a is None:
        out.append("Not recorded.")
    else:
        out += [
            f"- Image: {_opt(a.image)}",
            f"- Negative belief: {_opt(a.negative_cognition)}",
            f"- Preferred belief: {_opt(a.positive_cognition)}",
            f"- VOC: {_opt(a.voc, '/7')}",
            f"- Feelings: {_opt(a.emotions)}",
            f"- SUD: {_opt(a.sud, '/10')}",
            f"- Body location: {_opt(a.body_location)}",
        ]
    totals: dict[str, float] = {}
    for visit in data.phases:
        totals[visit.phase] = totals.get(visit.phase, 0.0) + (visit.seconds or 0.0)
    out += ["", "## Phases", ""]
    rows = [
        [f"{phase_by_id(p).number}. {phase_by_id(p).name}", _dur(totals[p])]
        for p in PHASE_IDS
        if p in totals
    ]
    out += _table(["Phase", "Time"], rows) if rows else ["None recorded."]
    ket = data.medicine is not None
    head = ["#", "Phase", "Start", "Speed (Hz)", "Sweeps / cycles", "Duration", "SUD", "VOC"]
    head += ["Stopped early"] + (["Since dose (min)"] if ket else [])
    rows = []
    for r in data.sets:
        since = minutes_since_dose(data, r.started_at)
        stopped = f"yes: {r.stop_reason}" if r.stopped_early and r.stop_reason else "no"
        stopped = "yes" if r.stopped_early and not r.stop_reason else stopped
        if r.sound_lost_at:
            stopped += f"; sound lost {clock(r.sound_lost_at)}"
        row = [
            str(r.number),
            phase_by_id(r.phase).name,
            clock(r.started_at),
            f"{r.speed_hz:.2f}",
            f"{r.sweeps_delivered} / {r.cycles_delivered:g}",
            _dur(r.duration_s),
            _opt(r.sud),
            _opt(r.voc),
            stopped,
        ]
        rows.append(row + ([_opt(None if since is None else f"{since:.0f}")] if ket else []))
    out += ["", "## Sets", ""] + (_table(head, rows) if rows else ["No sets recorded."])
    out += ["", "## Notes", ""]
    for n in data.notes:
        where = ", ".join(
            x for x in (n.phase and phase_by_id(n.phase).name, note_time_words(data, n)) if x
        )
        out.append(f"- {clock(n.at)} ({where}): " + n.text.replace("\n", "\n  "))
    if not data.notes:
        out.append("None.")
    loose = [r for r in data.ratings if r.set_number is None]
    events = [f"- {_event_md(data, e, clock)}" for e in data.events]
    if loose:
        out += ["", "## Other ratings", ""]
        out += [
            f"- {clock(r.at)} {RATING_NAMES.get(r.kind, r.kind)} {r.value}"
            f" ({when_written(r.context, r.set_number)})"
            for r in loose
        ]
    if events:
        out += ["", "## Events", "", *events]
    closure = closure_words(s.closure_complete, len(data.sets), "not recorded")
    out += [
        "",
        "## Closure",
        "",
        f"- Closure: {closure}",
        f"- Final SUD: {_opt(s.final_sud, '/10')}; final VOC: {_opt(s.final_voc, '/7')}",
    ]
    if s.container_note:
        out.append(f"- Container: {s.container_note}")
    if data.medicine is not None:
        out += _medicine_md(data, clock)
    if measures:
        out += ["", *measures_markdown(measures, tz, heading="## Outcome measures (that day)")]
    out += ["", "_Draft generated by bls-tui: review and edit before filing._", ""]
    return "\n".join(out)


def _event_md(data: SessionData, e: Any, clock: Any) -> str:
    """``Stop signal at 09:50, set 3, after 29 sweeps``."""
    detail = dict(e.detail)
    number = detail.get("set")
    if e.kind == "stop" and number and detail.get("in_set") is not False:
        done = next((r for r in data.sets if r.number == number), None)
        if done is not None:
            detail["sweeps"] = done.sweeps_delivered
    words = event_in_words(e.kind, detail, clock)
    name, _, rest = words.partition(", ")
    return f"{name} at {clock(e.at)}" + (f", {rest}" if rest else "")


def _medicine_md(data: SessionData, clock: Any) -> list[str]:
    m = data.medicine
    assert m is not None
    out = ["", "## Medicine (ketamine)", ""]
    out += [f"- {label}: {value}" for label, value in medicine_facts(m, clock)]
    if m.linked_session_id is not None:
        out.append(f"- Linked session: {m.linked_session_id}")
    rows = []
    for c in data.checkins:
        since = minutes_since_dose(data, c.at)
        bp = f"{c.systolic}/{c.diastolic}" if c.systolic and c.diastolic else "–"
        presence = "–" if c.presence is None else f"{c.presence:g} ({c.presence_scale})"
        rows.append(
            [
                clock(c.at),
                "–" if since is None else f"{since:.0f}",
                bp,
                _opt(c.heart_rate),
                _opt(c.spo2, "%"),
                presence,
                _opt(c.sedation),
                ", ".join(c.flags) or "–",
                _opt(c.note),
            ]
        )
    head = [
        "Time",
        "Since dose (min)",
        "BP",
        "HR",
        "SpO2",
        "Presence",
        "Sedation (app scale, not MOAA/S)",
    ]
    out += ["", "### Check-ins", ""]
    return out + (_table([*head, "Flags", "Note"], rows) if rows else ["None recorded."])
