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
from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from bls_tui.protocol.model import PhaseVisit, parse_iso, phase_by_id
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
from bls_tui.records.words import (
    minutes_since_dose,
    note_time_words,
)

if TYPE_CHECKING:
    from bls_tui.records.measures_rows import MeasureRecord

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


def export_session(
    data: SessionData,
    fmt: str,
    *,
    tz: tzinfo | None = None,
    measures: Sequence[MeasureRecord] = (),
    dose_link: str = "",
) -> str:
    """Render ``data`` as ``"md"``, ``"csv"`` or ``"json"``; Markdown times use ``tz`` (UTC).

    ``dose_link`` (Markdown only): the words for the earlier dose the session follows.

    ``measures`` (those of that day, :func:`~bls_tui.records.note_context.measures_of_day`)
    go into the Markdown note, their alerts apart from the totals.
    """
    _check_format(fmt)
    if fmt == "json":
        return to_json(data, measures)
    if fmt == "csv":
        return _csv(data)
    from bls_tui.records.export_md import markdown
    from bls_tui.records.export_safe import markdown_session

    return markdown(
        markdown_session(data), tz or timezone.utc, measures=measures, dose_link=dose_link
    )


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


# -- CSV -----------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
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
        writer.writerow(["" if row[c] is None else csv_cell(row[c]) for c in CSV_COLUMNS])
    if not data.sets and data.notes:  # no set to carry them: one row with the session's notes
        empty: dict[str, object] = dict.fromkeys(CSV_COLUMNS)
        empty.update(session_id=s.id, client_code=s.client_code, session_kind=s.kind)
        empty.update(target_label=s.target_label, notes=" / ".join(by_set.get(None, [])))
        writer.writerow(["" if empty[c] is None else csv_cell(empty[c]) for c in CSV_COLUMNS])
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
        out.setdefault(row, []).append(f"{note_time_words(data, n)}: {n.text}")
    return out


# -- JSON ----------------------------------------------------------------------------------


def to_json(data: SessionData, measures: Sequence[MeasureRecord] = ()) -> str:
    """Everything in ``data`` as indented JSON with ``format`` and ``schema`` fields.

    ``measures`` (those of that day) go into a ``measures`` section: every item answer, the
    scores, and each item alert with its acknowledgement.
    """
    body: dict[str, Any] = {"format": JSON_FORMAT, "schema": JSON_SCHEMA, **asdict(data)}
    if measures:
        body["measures"] = [asdict(m) for m in measures]
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
    extra = raw.pop("measures", None)  # the measures of that day, read by people, not back in
    if extra is not None and not isinstance(extra, list):
        raise ExportError("measures: expected a list")
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
