"""Outcome measures in the record store: item answers, scores, and item alerts to acknowledge.

Each measure keeps every item answer (``None`` = not answered yet), the instrument's version and
timeframe, and for a custom measure a JSON snapshot of its definition.  An unfinished measure
is saved as unfinished and never scored; filling it in later only adds answers, it never
changes or drops one already recorded.  An answer that raises an alert (PHQ-9 item 9 above 0)
is stored as an alert row at once, open until the clinician acknowledges it (with the time).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from bls_tui.measures.custom import CustomMeasureError, to_snapshot
from bls_tui.measures.entry import Entry
from bls_tui.measures.model import (
    Instrument,
    MeasureError,
    alerts_for,
    check_answers,
    score,
    unanswered,
)
from bls_tui.protocol.model import ClientCodeError, iso_utc, parse_iso, validate_client_code
from bls_tui.records.base import (
    InvalidRecordError,
    SessionStateError,
    StoreBase,
    StoreError,
    clean_text,
)
from bls_tui.records.measures_rows import (
    MeasureAlert,
    MeasureRecord,
    UnknownMeasureError,
    alert_from_row,
    record_from_row,
)
from bls_tui.records.schema import backups_dir, tighten

__all__ = [
    "MeasureAlert",
    "MeasureRecord",
    "MeasuresMixin",
    "UnknownMeasureError",
    "purge_measures_in_backups",
]

MAX_MEASURE_NOTE = 2000


def _client(code: str) -> str:
    try:
        return validate_client_code(code)
    except ClientCodeError as exc:
        raise InvalidRecordError(str(exc)) from None


def _answers(instrument: Instrument, responses: Sequence[int | None]) -> list[int | None]:
    try:
        return check_answers(instrument, responses)
    except MeasureError as exc:
        raise InvalidRecordError(str(exc)) from None


def _when(stamp: str) -> str:
    try:
        return iso_utc(parse_iso(stamp))
    except (TypeError, ValueError):
        raise InvalidRecordError("taken at must be an ISO-8601 date and time") from None


def _note(note: str | None) -> str:
    text = clean_text(note, "note") or ""
    if len(text) > MAX_MEASURE_NOTE:
        raise InvalidRecordError(f"note is longer than {MAX_MEASURE_NOTE} characters")
    return text


class MeasuresMixin(StoreBase):
    """Outcome measures for :class:`~bls_tui.records.store.Store`."""

    def save_measure(
        self,
        client_code: str,
        instrument: Instrument,
        responses: Sequence[int | None],
        *,
        session_id: int | None = None,
        taken_at: str | None = None,
        note: str | None = None,
    ) -> int:
        """Save a measure, finished or not; return its ID.  Only a finished one is scored.

        Alerts its answers raise (PHQ-9 item 9 above 0) are stored with it, open.

        Raises:
            InvalidRecordError: a bad client code, answer or note; a session of another client.
            UnknownSessionError: ``session_id`` does not exist.
        """
        code = _client(client_code)
        answers = _answers(instrument, responses)
        text = _note(note)
        stamp = _when(self._stamp(taken_at))
        finished = not unanswered(answers)
        result = score(instrument, answers) if finished else None
        with self._tx() as conn:
            if session_id is not None:
                self._require(conn, session_id)
                owner = conn.execute(
                    "SELECT client_code FROM sessions WHERE id = ?", (session_id,)
                ).fetchone()[0]
                if owner != code:
                    raise InvalidRecordError(
                        f"session {session_id} is client {owner}'s, not {code}'s"
                    )
            cur = conn.execute(
                "INSERT INTO measures (client_code, session_id, instrument, version, timeframe,"
                " taken_at, responses, finished, total, subscores, band, definition, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    session_id,
                    instrument.id,
                    instrument.version,
                    instrument.timeframe,
                    stamp,
                    json.dumps(answers),
                    int(finished),
                    None if result is None else result.total,
                    json.dumps({} if result is None else result.subscores, sort_keys=True),
                    None if result is None else result.band,
                    json.dumps(to_snapshot(instrument), sort_keys=True),
                    text,
                ),
            )
            measure_id = int(cur.lastrowid or 0)
            self._raise_alerts(conn, measure_id, instrument, answers, stamp)
        return measure_id

    def _raise_alerts(
        self,
        conn: sqlite3.Connection,
        measure_id: int,
        instrument: Instrument,
        answers: Sequence[int | None],
        stamp: str,
    ) -> None:
        present = {
            (str(r[0]), int(r[1]))
            for r in conn.execute(
                "SELECT kind, item FROM measure_alerts WHERE measure_id = ?", (measure_id,)
            )
        }
        for alert in alerts_for(instrument, answers):
            if (alert.kind, alert.item) in present:
                continue
            conn.execute(
                "INSERT INTO measure_alerts (measure_id, kind, item, value, raised_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (measure_id, alert.kind, alert.item, alert.value, stamp),
            )

    def update_measure(
        self,
        measure_id: int,
        responses: Sequence[int | None],
        *,
        note: str | None = None,
        at: str | None = None,
    ) -> MeasureRecord:
        """Add answers to an unfinished measure (scored once every item is answered).

        Raises:
            SessionStateError: the measure is finished (its answers are kept as they are).
            InvalidRecordError: an answer already recorded would change or be dropped.
            UnknownMeasureError: no such measure.
        """
        text = None if note is None else _note(note)
        stamp = self._stamp(at)
        with self._tx() as conn:
            old = self._load(conn, measure_id)
            if old.finished:
                raise SessionStateError(
                    f"measure {measure_id} is finished; its answers are kept as recorded"
                )
            try:
                instrument = old.instrument_def()
            except CustomMeasureError as exc:
                raise InvalidRecordError(str(exc)) from None
            answers = _answers(instrument, responses)
            for number, (before, after) in enumerate(
                zip(old.responses, answers, strict=True), start=1
            ):
                if before is not None and after != before:
                    raise InvalidRecordError(
                        f"{instrument.name} item {number} was recorded as {before}; recorded "
                        "answers are kept (take the measure again for new answers)"
                    )
            finished = not unanswered(answers)
            result = score(instrument, answers) if finished else None
            conn.execute(
                "UPDATE measures SET responses = ?, finished = ?, total = ?, subscores = ?,"
                " band = ?, note = ? WHERE id = ?",
                (
                    json.dumps(answers),
                    int(finished),
                    None if result is None else result.total,
                    json.dumps({} if result is None else result.subscores, sort_keys=True),
                    None if result is None else result.band,
                    old.note if text is None else text,
                    measure_id,
                ),
            )
            self._raise_alerts(conn, measure_id, instrument, answers, stamp)
            return self._load(conn, measure_id)

    def _load(self, conn: sqlite3.Connection, measure_id: int) -> MeasureRecord:
        row = conn.execute("SELECT * FROM measures WHERE id = ?", (measure_id,)).fetchone()
        if row is None:
            raise UnknownMeasureError(f"no measure with ID {measure_id}")
        alerts = conn.execute(
            "SELECT * FROM measure_alerts WHERE measure_id = ? ORDER BY id", (measure_id,)
        ).fetchall()
        return record_from_row(row, [alert_from_row(a) for a in alerts])

    def _many(self, where: str, params: Sequence[object]) -> list[MeasureRecord]:
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT * FROM measures WHERE {where} ORDER BY taken_at, id", tuple(params)
            ).fetchall()
            ids = [int(r["id"]) for r in rows]
            by_measure: dict[int, list[MeasureAlert]] = {i: [] for i in ids}
            if ids:
                marks = ", ".join("?" * len(ids))
                for a in conn.execute(
                    f"SELECT * FROM measure_alerts WHERE measure_id IN ({marks}) ORDER BY id",
                    ids,
                ):
                    by_measure[int(a["measure_id"])].append(alert_from_row(a))
        return [record_from_row(r, by_measure[int(r["id"])]) for r in rows]

    def load_measure(self, measure_id: int) -> MeasureRecord:
        """One measure with its alerts.

        Raises:
            UnknownMeasureError: no such measure.
        """
        with self._read() as conn:
            return self._load(conn, measure_id)

    def list_measures(self, client_code: str) -> list[MeasureRecord]:
        """A client's measures, oldest first."""
        return self._many("client_code = ?", (client_code,))

    def session_measures(self, session_id: int) -> list[MeasureRecord]:
        """The measures taken in (or linked to) a session, oldest first."""
        return self._many("session_id = ?", (session_id,))

    def acknowledge_alert(
        self, alert_id: int, *, note: str | None = None, at: str | None = None
    ) -> str:
        """Record that the clinician has seen an alert; returns the time recorded.

        Raises:
            UnknownMeasureError: no such alert.
            SessionStateError: it was acknowledged before (the first acknowledgement is kept).
        """
        text = _note(note)
        stamp = self._stamp(at)
        with self._tx() as conn:
            row = conn.execute(
                "SELECT acknowledged_at FROM measure_alerts WHERE id = ?", (alert_id,)
            ).fetchone()
            if row is None:
                raise UnknownMeasureError(f"no alert with ID {alert_id}")
            if row[0] is not None:
                raise SessionStateError(f"alert {alert_id} was acknowledged at {row[0]}")
            conn.execute(
                "UPDATE measure_alerts SET acknowledged_at = ?, acknowledged_by_note = ?"
                " WHERE id = ?",
                (stamp, text, alert_id),
            )
        return stamp

    def save_entry(
        self,
        client_code: str,
        entry: Entry,
        *,
        session_id: int | None = None,
        measure_id: int | None = None,
        at: str | None = None,
    ) -> int:
        """Save a measure entered on the form (or fill in ``measure_id``); return its ID.

        The alerts the clinician acknowledged on the form are recorded as acknowledged, at the
        time they were (only for the answer that was seen).
        """
        answers = list(entry.snapshot())
        if measure_id is None:
            measure_id = self.save_measure(
                client_code, entry.instrument, answers, session_id=session_id, taken_at=at
            )
        else:
            self.update_measure(measure_id, answers, at=at)
        for alert in self.load_measure(measure_id).open_alerts():
            seen = entry.acknowledged.get(alert.item)
            if seen is not None and seen[0] == alert.value:
                self.acknowledge_alert(alert.id, note="acknowledged on the form", at=seen[1])
        return measure_id

    def unacknowledged_alerts(self, client_code: str) -> list[MeasureAlert]:
        """A client's alerts that no one has acknowledged yet, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT a.* FROM measure_alerts a JOIN measures m ON m.id = a.measure_id"
                " WHERE m.client_code = ? AND a.acknowledged_at IS NULL ORDER BY a.raised_at, a.id",
                (client_code,),
            ).fetchall()
        return [alert_from_row(r) for r in rows]


def purge_measures_in_backups(db_path: Path, client_code: str) -> None:
    """Delete a client's measures from every daily backup that has the table (older ones do not).

    Raises:
        StoreError: a backup could not be purged (the live database already was).
    """
    folder = backups_dir(db_path)
    for backup in sorted(folder.glob("sessions-*.db")) if folder.is_dir() else []:
        try:
            other = sqlite3.connect(str(backup), isolation_level=None)
            try:
                has = other.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'measures'"
                ).fetchone()
                if has is None:
                    continue
                other.execute("PRAGMA foreign_keys = ON")
                other.execute("PRAGMA secure_delete = ON")
                other.execute("DELETE FROM measures WHERE client_code = ?", (client_code,))
                other.execute("VACUUM")
            finally:
                other.close()
        except sqlite3.Error as exc:
            msg = f"deleted here, but could not purge backup {backup}: {exc}"
            raise StoreError(msg) from exc
        tighten(backup)
