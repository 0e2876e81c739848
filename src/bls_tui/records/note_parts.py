"""The parts of a progress note's data: the target, the sets, the measures, the medicine.

Pure (no template engine, no I/O); :mod:`bls_tui.records.note_context` puts them together.
Typed text goes through :func:`safe_field`: control and bidi characters escaped, one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from bls_tui.ketamine.dose import ROUTES, amount_text
from bls_tui.ketamine.window import since_dose_words
from bls_tui.protocol.model import parse_iso, phase_by_id
from bls_tui.records.measures_export import (
    cutoff_words,
    instrument_name,
    subscore_words,
    total_words,
)
from bls_tui.records.measures_rows import MeasureRecord
from bls_tui.records.review import format_duration
from bls_tui.records.types import Medicine, SessionData
from bls_tui.safety.text import counted, safe_text

NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class TargetView:
    """The target worked: from the plan when the session is on one, else its label."""

    label: str
    prong: str
    status: str
    negative_cognition: str
    positive_cognition: str
    image: str
    emotions: str
    body_location: str


@dataclass(frozen=True)
class SetView:
    """One set of bilateral stimulation, in words."""

    number: int
    phase: str
    speed_hz: str
    cycles: str
    duration: str
    pattern: str
    profile: str
    tones: str
    stopped_early: bool
    line: str


@dataclass(frozen=True)
class MeasureView:
    """One outcome measure (screening, not diagnosis)."""

    name: str
    taken: str
    total: str
    band: str
    part_scores: str
    cutoff: str
    note: str
    line: str


@dataclass(frozen=True)
class MedicineView:
    """The dosing record of a ketamine-assisted session, as entered (no advice)."""

    route: str
    dose: str
    dosed_at: str
    provider: str
    observation_confirmed: str
    checkins: list[str]


@dataclass(frozen=True)
class DoseLinkView:
    """The medicine session a later session follows (integration or EMDR)."""

    session_id: int
    dosed_at: str
    route: str
    dose: str
    since_dose: str
    line: str


def safe_field(text: str | None) -> str:
    """Typed text made safe, on one line (a note's line breaks become " / ")."""
    lines = safe_text(text or "").strip().splitlines()
    return " / ".join(x.strip() for x in lines if x.strip())


def _num(value: float) -> str:
    return f"{value:g}"


def _range(values: Sequence[float], unit: str = "", spec: str = "g") -> str:
    low, high = min(values), max(values)
    text = f"{low:{spec}}" if low == high else f"{low:{spec}}–{high:{spec}}"
    return f"{text}{unit}"


def set_view(data: SessionData, number: int) -> SetView:
    rec = next(r for r in data.sets if r.number == number)
    tones = f"alternating tones ({safe_field(rec.tone)})" if rec.tone else "no tones"
    stopped = ""
    if rec.stopped_early:
        why = safe_field(rec.stop_reason)
        stopped = "; stopped early" + (f" ({why})" if why else "")
    rating = "".join(
        f"; {name} {value}"
        for name, value in (("SUD", rec.sud), ("VOC", rec.voc))
        if value is not None
    )
    speed = f"{rec.speed_hz:.1f}"
    phase = phase_by_id(rec.phase).name
    line = (
        f"Set {rec.number} ({phase}): {speed} Hz, {counted(rec.cycles_delivered, 'cycle')} in "
        f"{format_duration(rec.duration_s)}, {rec.pattern.replace('-', ' ')} "
        f"({rec.profile or 'default'} motion), {tones}{stopped}{rating}"
    )
    return SetView(
        number=rec.number,
        phase=phase,
        speed_hz=speed,
        cycles=_num(rec.cycles_delivered),
        duration=format_duration(rec.duration_s),
        pattern=rec.pattern.replace("-", " "),
        profile=rec.profile or "default",
        tones=tones,
        stopped_early=rec.stopped_early,
        line=line,
    )


def sets_summary(data: SessionData) -> str:
    if not data.sets:
        return "No sets of bilateral stimulation were recorded."
    n = len(data.sets)
    patterns = sorted({r.pattern.replace("-", " ") for r in data.sets})
    tones = "with alternating tones" if any(r.tone for r in data.sets) else "without tones"
    stopped = sum(1 for r in data.sets if r.stopped_early)
    text = (
        f"{n} set{'s' if n != 1 else ''} of bilateral stimulation (visual: {', '.join(patterns)}; "
        f"{tones}) at {_range([round(r.speed_hz, 1) for r in data.sets], ' Hz', '.1f')}, "
        f"{_range([r.cycles_delivered for r in data.sets])} "
        f"{'cycle' if {r.cycles_delivered for r in data.sets} == {1.0} else 'cycles'} each"
    )
    return text + (f"; {stopped} stopped early." if stopped else ".")


def measure_view(record: MeasureRecord, tz: tzinfo) -> MeasureView:
    taken = parse_iso(record.taken_at).astimezone(tz).strftime("%Y-%m-%d %H:%M")
    name = safe_field(instrument_name(record))
    total = total_words(record)
    parts = subscore_words(record)
    cutoff = cutoff_words(record)
    said = f"total {total}" if record.finished else f"{total}, not scored"
    line = f"{name} ({safe_field(record.timeframe)}), {taken}: {said}"
    if record.band:
        line += f", {safe_field(record.band)}"
    if parts:
        line += f"; part scores {parts}"
    if cutoff:
        line += f"; {safe_field(cutoff)}"
    return MeasureView(
        name=name,
        taken=taken,
        total=total,
        band=safe_field(record.band) or "–",
        part_scores=parts or "–",
        cutoff=safe_field(cutoff) or "–",
        note=safe_field(record.note),
        line=line + ".",
    )


def medicine_view(m: Medicine, clock: Any, data: SessionData) -> MedicineView:
    route = ROUTES[m.route].name if m.route in ROUTES else safe_field(m.route)
    checkins = []
    for c in data.checkins:
        parts = []
        if c.systolic and c.diastolic:
            parts.append(f"BP {c.systolic}/{c.diastolic}")
        if c.heart_rate:
            parts.append(f"HR {c.heart_rate}")
        if c.spo2:
            parts.append(f"SpO2 {c.spo2}%")
        if c.sedation:
            parts.append(f"sedation {c.sedation.replace('_', ' ')}")
        if c.flags:
            parts.append("flags: " + ", ".join(safe_field(f) for f in c.flags))
        if c.note:
            parts.append(f"note: {safe_field(c.note)}")
        since = m.minutes_since_dose(c.at)
        when = clock(c.at) + ("" if since is None else f" (T+{since:.0f} min)")
        checkins.append(f"{when}: " + ("; ".join(parts) or "no values"))
    confirmed = clock(m.observation_confirmed_at) if m.observation_confirmed_at else "not recorded"
    return MedicineView(
        route=route,
        dose=f"{amount_text(m.dose_amount)} {safe_field(m.dose_unit)}",
        dosed_at=clock(m.dosed_at) if m.dosed_at else NOT_RECORDED,
        provider=safe_field(m.provider) or NOT_RECORDED,
        observation_confirmed=confirmed,
        checkins=checkins,
    )


def dose_link_view(data: SessionData, dose: SessionData | None, tz: tzinfo) -> DoseLinkView | None:
    m = dose.medicine if dose is not None else None
    if dose is None or m is None or m.dosed_at is None:
        return None
    dosed = parse_iso(m.dosed_at)
    since = since_dose_words(dosed, parse_iso(data.session.started_at))
    route = ROUTES[m.route].name if m.route in ROUTES else safe_field(m.route)
    when = dosed.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    amount = f"{amount_text(m.dose_amount)} {safe_field(m.dose_unit)}"
    line = (
        f"This session is {since}: medicine session {dose.session.id} ({route}, {amount} "
        f"as entered, dosed {when})."
    )
    return DoseLinkView(dose.session.id, when, route, amount, since, line)
