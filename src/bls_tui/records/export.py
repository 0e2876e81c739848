"""Export a recorded session as a Markdown draft note, a CSV set log, or complete JSON.

Markdown is meant to be pasted into the clinician's own record system and edited there.
CSV has one row per set with the columns in :data:`CSV_COLUMNS`.  JSON holds everything
(``"schema": 1``) and :func:`import_json` reads it back into the same :class:`SessionData`.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict, fields
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Any, Literal

from bls_tui.ketamine.dose import ROUTES
from bls_tui.ketamine.route_settings import observation_text
from bls_tui.ketamine.screening import SCREENING_ITEMS, screening_text
from bls_tui.protocol.model import PHASE_IDS, PhaseVisit, parse_iso, phase_by_id
from bls_tui.records.types import (
    Assessment,
    Checkin,
    Event,
    Medicine,
    Note,
    Rating,
    SessionData,
    SessionInfo,
    SetRecord,
)
from bls_tui.records.words import RATING_NAMES, event_in_words, note_when, when_written

ExportFormat = Literal["md", "csv", "json"]
FORMATS: tuple[ExportFormat, ...] = ("md", "csv", "json")
JSON_FORMAT = "bls-tui-session"
JSON_SCHEMA = 1

CSV_COLUMNS: tuple[str, ...] = (
    "session_id",
    "client_code",
    "session_kind",
    "target_label",
    "set_number",
    "phase",
    "started_at",
    "ended_at",
    "pattern",
    "profile",
    "speed_hz",
    "delivered_hz",
    "sweeps_planned",
    "sweeps_delivered",
    "cycles_planned",
    "cycles_delivered",
    "duration_s",
    "stopped_early",
    "stop_reason",
    "sound_lost_at",
    "tone",
    "sud",
    "voc",
    "bhs",
    "minutes_since_dose",
    "notes",
)
"""CSV columns: set fields as stored (stamps ISO-8601 UTC, speeds in Hz = cycles/s, a sweep is
one traverse), plus ``minutes_since_dose`` (ketamine sessions) and the set's notes joined by
" / "."""


class ExportError(ValueError):
    """Bad export format, unreadable JSON, or a file that cannot be written."""


def default_export_name(data: SessionData, fmt: str, *, include_client: bool = False) -> str:
    """``session-<id>-<YYYYMMDD>.<fmt>``; the client code is prepended only when asked."""
    _check_format(fmt)
    day = parse_iso(data.session.started_at).strftime("%Y%m%d")
    name = f"session-{data.session.id}-{day}.{fmt}"
    return f"{data.session.client_code}-{name}" if include_client else name


def export_session(data: SessionData, fmt: str, *, tz: tzinfo | None = None) -> str:
    """Render ``data`` as ``"md"``, ``"csv"`` or ``"json"``; Markdown times use ``tz`` (UTC)."""
    _check_format(fmt)
    if fmt == "json":
        return to_json(data)
    if fmt == "csv":
        return _csv(data)
    from bls_tui.records.export_safe import markdown_session

    return _markdown(markdown_session(data), tz or timezone.utc)


def write_export(text: str, path: Path) -> Path:
    """Write ``text`` to ``path`` with mode 0600 (replacing any existing file atomically)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: folder {path.parent} does not exist")
    from bls_tui.safety.files import UnsafeFileError, check_regular_target

    try:
        check_regular_target(path)  # never replace a device, FIFO or symlink
    except UnsafeFileError as exc:
        raise ExportError(f"cannot write: {exc}") from None
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(partial, flags, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"export format must be one of: {', '.join(FORMATS)}")


def minutes_since_dose(data: SessionData, at: str) -> float | None:
    """Minutes from the dose (T0) to ``at``, for ketamine sessions with a dose time."""
    return data.medicine.minutes_since_dose(at) if data.medicine else None


# -- CSV -----------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (or split into two rows)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        value = "'" + value
    if isinstance(value, str) and "\r" in value:
        # the csv writer quotes "\n" but not a lone "\r", which spreadsheets read as a row end
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _csv(data: SessionData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    s = data.session
    by_set = _csv_notes(data)
    for rec in data.sets:
        since = minutes_since_dose(data, rec.started_at)
        notes = " / ".join(by_set.get(rec.number, []))
        row: dict[str, object] = {
            **asdict(rec),
            "set_number": rec.number,
            "client_code": s.client_code,
            "session_kind": s.kind,
            "target_label": s.target_label,
            "stopped_early": int(rec.stopped_early),
            "minutes_since_dose": None if since is None else round(since, 1),
            "notes": notes,
        }
        writer.writerow(["" if row[c] is None else _cell(row[c]) for c in CSV_COLUMNS])
    if not data.sets and data.notes:  # no set to carry them: one row with the session's notes
        empty: dict[str, object] = dict.fromkeys(CSV_COLUMNS)
        empty.update(session_id=s.id, client_code=s.client_code, session_kind=s.kind)
        empty.update(target_label=s.target_label, notes=" / ".join(by_set.get(None, [])))
        writer.writerow(["" if empty[c] is None else _cell(empty[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def _csv_notes(data: SessionData) -> dict[int | None, list[str]]:
    """Every note, labelled by when it was written, on the row of its set.

    A note of a set that has no row (or of no set) goes on the next set's row (the last row
    if none follows), so the CSV loses none.
    """
    numbers = sorted(r.number for r in data.sets)
    out: dict[int | None, list[str]] = {}
    for n in data.notes:
        row: int | None = n.set_number if n.set_number in numbers else None
        if row is None and numbers:
            later = [x for x in numbers if n.set_number is None or x > n.set_number]
            row = later[0] if later and n.set_number is not None else None
            if row is None:
                started = [r for r in data.sets if r.started_at >= n.at]
                row = min(r.number for r in started) if started else numbers[-1]
        out.setdefault(row, []).append(f"{_note_when(data, n)}: {n.text}")
    return out


def _note_when(data: SessionData, n: Note) -> str:
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
    return note_when(n.kind, n.set_number, during=during, back_to_target=back)


# -- Markdown ------------------------------------------------------------------------------


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


def _markdown(data: SessionData, tz: tzinfo) -> str:
    s = data.session

    def clock(stamp: str | None) -> str:
        return "–" if stamp is None else parse_iso(stamp).astimezone(tz).strftime("%H:%M")

    start = parse_iso(s.started_at).astimezone(tz)
    zone = start.tzname() or "local"
    kind = "ketamine-assisted EMDR" if s.kind == "ketamine" else "standard EMDR"
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
            x for x in (n.phase and phase_by_id(n.phase).name, _note_when(data, n)) if x
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
    closure = {True: "complete", False: "incomplete", None: "not recorded"}[s.closure_complete]
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


def _screening_item(key: str, value: object) -> str:
    """``Pregnancy: reviewed, absent (note)`` (see :mod:`bls_tui.ketamine.screening`): the item's
    label in words, not its id."""
    text = screening_text(key, value)
    labels = {item.id: item.label for item in SCREENING_ITEMS}
    name = key.replace("_", " ")
    if key in labels and text.startswith(name):
        text = labels[key] + text[len(name) :]
    return text


def _medicine_md(data: SessionData, clock: Any) -> list[str]:
    m = data.medicine
    assert m is not None
    screening = "; ".join(_screening_item(k, v) for k, v in m.screening.items()) or "–"
    confirmed = clock(m.observation_confirmed_at) if m.observation_confirmed_at else "not yet"
    out = [
        "",
        "## Medicine (ketamine)",
        "",
        f"- Route: {ROUTES[m.route].name if m.route in ROUTES else m.route}",
        f"- Dose (as entered): {m.dose_amount:g} {m.dose_unit}",
        f"- Dosed at (T0): {clock(m.dosed_at)}",
        f"- Provider: {_opt(m.provider)}",
        f"- Screening: {screening}",
        f"- Observation: {observation_text(m)}; confirmed: {confirmed}",
    ]
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


# -- JSON ----------------------------------------------------------------------------------


def to_json(data: SessionData) -> str:
    """Everything in ``data`` as indented JSON with ``format`` and ``schema`` fields."""
    body = {"format": JSON_FORMAT, "schema": JSON_SCHEMA, **asdict(data)}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _build(cls: Any, obj: Any, where: str) -> Any:
    if not isinstance(obj, dict):
        raise ExportError(f"{where}: expected an object")
    names = {f.name for f in fields(cls)}
    unknown = set(obj) - names
    if unknown:
        raise ExportError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    try:
        return cls(**obj)
    except TypeError as exc:
        raise ExportError(f"{where}: {exc}") from exc


def _build_list(cls: Any, items: Any, where: str) -> list[Any]:
    if not isinstance(items, list):
        raise ExportError(f"{where}: expected a list")
    return [_build(cls, item, f"{where}[{i}]") for i, item in enumerate(items)]


def import_json(text: str) -> SessionData:
    """Parse a JSON export back into :class:`SessionData`.

    Raises:
        ExportError: not JSON, not a bls-tui session export, or a newer/unknown schema.
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(f"not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    if not isinstance(raw, dict) or raw.pop("format", None) != JSON_FORMAT:
        raise ExportError("not a bls-tui session export (missing format field)")
    schema = raw.pop("schema", None)
    if schema != JSON_SCHEMA:
        raise ExportError(
            f"unsupported export schema {schema!r} (this version reads {JSON_SCHEMA})"
        )
    expected = {f.name for f in fields(SessionData)}
    if set(raw) != expected:
        raise ExportError(f"export must have exactly these sections: {', '.join(sorted(expected))}")
    data = SessionData(
        session=_build(SessionInfo, raw["session"], "session"),
        phases=_build_list(PhaseVisit, raw["phases"], "phases"),
        assessment=None
        if raw["assessment"] is None
        else _build(Assessment, raw["assessment"], "assessment"),
        sets=_build_list(SetRecord, raw["sets"], "sets"),
        ratings=_build_list(Rating, raw["ratings"], "ratings"),
        notes=_build_list(Note, raw["notes"], "notes"),
        events=_build_list(Event, raw["events"], "events"),
        medicine=None if raw["medicine"] is None else _build(Medicine, raw["medicine"], "medicine"),
        checkins=_build_list(Checkin, raw["checkins"], "checkins"),
    )
    for rec in data.sets:
        phase_by_id(rec.phase)
    return data
