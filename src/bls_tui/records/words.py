"""Records said in words, for screens and exports (pure: no Textual, no I/O).

Dates as a therapist reads them (``Tue 2 Dec, 09:54``), recorded events as sentences
(``Stop signal at 09:50, set 3, after 29 sweeps``) and saved values as confirmations
(``SUD 4 recorded after set 3``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from bls_tui.protocol.model import parse_iso

if TYPE_CHECKING:  # annotations only: the stimulation screen imports these words cheaply
    from bls_tui.records.types import Event, Note, SessionData

RATING_NAMES = {"sud": "SUD", "voc": "VOC", "bhs": "BHS", "presence": "Presence"}


def date_in_words(stamp: str, tz: tzinfo | None = None, *, now: datetime | None = None) -> str:
    """``Tue 2 Dec, 09:54`` in local time (``tz``; default the machine's), with the year when
    it is not the year of ``now``."""
    when = parse_iso(stamp).astimezone(tz)
    text = f"{when:%a} {when.day} {when:%b}"
    if now is not None and now.astimezone(tz).year != when.year:
        text += f" {when.year}"
    return f"{text}, {when:%H:%M}"


def day_in_words(stamp: str, tz: tzinfo | None = None, *, now: datetime | None = None) -> str:
    """``2 Dec`` in local time, with the year when it is not the year of ``now``."""
    when = parse_iso(stamp).astimezone(tz)
    text = f"{when.day} {when:%b}"
    if now is not None and now.astimezone(tz).year != when.year:
        text += f" {when.year}"
    return text


def rating_saved(kind: str, value: object, context: str, set_number: int | None) -> str:
    """``SUD 4 recorded after set 3`` (or ``at assessment``, ``back to target``...)."""
    name = RATING_NAMES.get(kind, kind)
    return f"{name} {value} recorded {when_written(context, set_number)}"


def when_written(context: str, set_number: int | None) -> str:
    """When a rating or note was written, in words."""
    if context in ("during_set", "in_set"):
        return f"during set {set_number}" if set_number else "during a set"
    if context == "back_to_target":
        return f"back to target (after set {set_number})" if set_number else "back to target"
    if context in ("assessment", "closure"):
        return f"at {context}"
    if set_number:
        return f"after set {set_number}"
    return "before the first set"


EVENT_NAMES = {
    "stop": "Stop signal",
    "back_to_target": "Back to target",
    "grounding": "Grounding",
    "observation_confirmed": "Observation confirmed",
    "closure": "Closure recorded",
    "containment_started": "Containment started (incomplete session)",
    "containment_done": "Containment done",
    "risk_reviewed": "Risk reviewed",
    "ended_without_observation_confirmed": "Session ended before the observation was confirmed",
    "body_scan": "Body scan",
    "run_through": "Future template run-through",
}

MARKER_NAMES = {
    "interweave": "cognitive interweave",
    "abreaction": "abreaction",
    "looping": "looping / blocked",
}
"""Fidelity markers (one key each during a set), said in words."""

STEP_NAMES = {
    "calm_place": "calm place",
    "container": "container",
    "grounding": "grounding",
    "debrief": "debrief",
}
RISK_ANSWERS = {"yes": "yes", "not_needed": "not needed"}
BODY_SCAN_OUTCOMES = {
    "clear": "clear",
    "discomfort": "discomfort",
    "pleasant": "pleasant",
    "not_done": "not done",
}


def _special_parts(kind: str, rest: dict[str, object]) -> list[str]:
    """Words for the details of events whose details are not plain ``name: value``."""
    parts: list[str] = []
    if kind == "marker":
        marker = str(rest.pop("marker", ""))
        parts.append(MARKER_NAMES.get(marker, marker.replace("_", " ")))
    elif kind == "closure" and "complete" in rest:
        parts.append("complete" if rest.pop("complete") else "incomplete")
    elif kind == "containment_done":
        done = [STEP_NAMES.get(k, k) for k in list(rest) if k in STEP_NAMES and rest.pop(k)]
        parts.append("steps done: " + (", ".join(done) if done else "none confirmed"))
    elif kind == "risk_reviewed" and "answer" in rest:
        answer = rest.pop("answer")
        parts.append(RISK_ANSWERS.get(str(answer), str(answer or "not answered")))
    elif kind == "body_scan" and "outcome" in rest:
        outcome = rest.pop("outcome")
        parts.append(BODY_SCAN_OUTCOMES.get(str(outcome), str(outcome).replace("_", " ")))
    return [p for p in parts if p]


def event_in_words(kind: str, detail: Mapping[str, object], clock: Callable[[str], str]) -> str:
    """A recorded event as a sentence; ``clock`` turns the ISO time in ``detail['at']`` (when
    present) into local ``HH:MM``.  Unknown details are said as ``name: value``."""
    name = EVENT_NAMES.get(kind, kind.replace("_", " ").capitalize())
    rest = dict(detail)
    parts: list[str] = []
    number = rest.pop("set", None)
    in_set = rest.pop("in_set", None)
    sweeps = rest.pop("sweeps", None)
    reason = rest.pop("reason", None)
    if number:
        parts.append(f"set {number}" if in_set is not False else f"after set {number}")
    elif in_set is False:
        parts.append("between sets")
    if sweeps is not None:
        parts.append(f"after {sweeps} sweeps")
    if reason and reason not in ("stop", "stop_signal", "key"):
        parts.append(f"reason: {str(reason).replace('_', ' ')}")
    parts += _special_parts(kind, rest)
    for key, value in rest.items():
        if key == "at" or value in (None, ""):
            continue
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return ", ".join([name, *parts])


def delivered_in_words(delivered_hz: float | None, nominal_hz: float, stopped_early: bool) -> str:
    """The delivered rate only when it is a fault: '' when it is within 5 % of the set speed or
    the set was stopped early (a short, stopped set delivers a lower average by design)."""
    if delivered_hz is None or stopped_early or nominal_hz <= 0:
        return ""
    if abs(delivered_hz - nominal_hz) / nominal_hz <= DELIVERED_TOLERANCE:
        return ""
    return f"delivered {delivered_hz:.2f} Hz against {nominal_hz:.1f} Hz set (check timing)"


DELIVERED_TOLERANCE = 0.05
"""A set's average delivered rate within 5 % of its set speed is normal: the rate is counted
over the whole set including the slow-down at the end, so 0.480 Hz for 0.5 Hz is expected."""


NOTE_KIND_WORDS = {"body_scan": "body scan", "grounding": "grounding", "container": "container"}


def note_when(
    kind: str,
    set_number: int | None,
    *,
    during: bool = False,
    back_to_target: bool = False,
    phase: str | None = None,
) -> str:
    """When a note was written: ``during set 3``, ``after set 3``, ``back to target``...

    ``during``: written while set ``set_number`` ran; ``back_to_target``: written at a return
    to the target (the records keep both as times, see :func:`bls_tui.records.export`).
    """
    if during:
        return when_written("during_set", set_number)
    if back_to_target:
        return when_written("back_to_target", set_number)
    if kind == "between_sets" and phase == "reevaluation":
        return "at reevaluation"  # what the client reported when the target was checked
    when = f"after set {set_number}" if set_number else ""
    label = NOTE_KIND_WORDS.get(kind, "")
    return ", ".join(x for x in (label, when) if x) or "before the first set"


def markers_in_words(events: Iterable[Event], tz: tzinfo | None = None) -> list[str]:
    """The session's fidelity markers, one line each: ``10:02 set 3: cognitive interweave
    (you were a child then)`` in local time (``tz``; default the machine's)."""
    lines = []
    for e in events:
        if e.kind != "marker":
            continue
        detail = dict(e.detail)
        kind = str(detail.get("marker", ""))
        text = f"{parse_iso(e.at).astimezone(tz):%H:%M}"
        if detail.get("set"):
            text += f" set {detail['set']}"
        text += f": {MARKER_NAMES.get(kind, kind.replace('_', ' '))}"
        if detail.get("text"):
            text += f" ({detail['text']})"
        lines.append(text)
    return lines


def minutes_since_dose(data: SessionData, at: str) -> float | None:
    """Minutes from the dose (T0) to ``at``, for ketamine sessions with a dose time."""
    return data.medicine.minutes_since_dose(at) if data.medicine else None


def note_time_words(data: SessionData, n: Note) -> str:
    """``during set 3`` / ``after set 3`` / ``back to target``, from the recorded times."""
    t = parse_iso(n.at)
    rec = next((r for r in data.sets if r.number == n.set_number), None)
    during = rec is not None and parse_iso(rec.started_at) <= t < parse_iso(rec.ended_at)
    back = False
    if n.kind == "between_sets" and not during:
        marks = [
            parse_iso(e.at)
            for e in data.events
            if e.kind == "back_to_target" and e.detail.get("set") == n.set_number
        ]
        starts = [parse_iso(r.started_at) for r in data.sets]
        back = any(m <= t and not any(m < s <= t for s in starts) for m in marks)
    return note_when(n.kind, n.set_number, during=during, back_to_target=back, phase=n.phase)
