"""Stored outcome measures as typed rows (what :mod:`bls_tui.records.measures_store` returns)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bls_tui.measures.custom import from_record
from bls_tui.measures.model import Instrument, Scored, score
from bls_tui.records.base import StoreError


class UnknownMeasureError(StoreError):
    """No measure (or alert) has the given ID."""


@dataclass(frozen=True)
class MeasureAlert:
    """An alert raised by an answer; open until ``acknowledged_at`` is set."""

    id: int
    measure_id: int
    kind: str
    item: int
    value: int
    raised_at: str
    acknowledged_at: str | None
    acknowledged_by_note: str | None


@dataclass(frozen=True)
class MeasureRecord:
    """One measure as stored."""

    id: int
    client_code: str
    session_id: int | None
    instrument: str
    version: str
    timeframe: str
    taken_at: str
    responses: tuple[int | None, ...]
    finished: bool
    total: float | None
    subscores: dict[str, float]
    band: str | None
    definition: dict[str, Any]
    note: str
    alerts: tuple[MeasureAlert, ...] = ()

    def instrument_def(self) -> Instrument:
        """The instrument this measure was taken with (its stored snapshot, or the built-in).

        Raises:
            CustomMeasureError: the stored definition is unusable.
        """
        return from_record(self.instrument, self.definition)

    def scored(self) -> Scored | None:
        """The full score (with any flag of a published cut-off), or None if unfinished."""
        if not self.finished:
            return None
        return score(self.instrument_def(), self.responses)

    def open_alerts(self) -> tuple[MeasureAlert, ...]:
        """Alerts not acknowledged yet."""
        return tuple(a for a in self.alerts if a.acknowledged_at is None)


def alert_from_row(row: sqlite3.Row) -> MeasureAlert:
    return MeasureAlert(
        id=int(row["id"]),
        measure_id=int(row["measure_id"]),
        kind=str(row["kind"]),
        item=int(row["item"]),
        value=int(row["value"]),
        raised_at=str(row["raised_at"]),
        acknowledged_at=row["acknowledged_at"],
        acknowledged_by_note=row["acknowledged_by_note"],
    )


def record_from_row(row: sqlite3.Row, alerts: Sequence[MeasureAlert]) -> MeasureRecord:
    return MeasureRecord(
        id=int(row["id"]),
        client_code=str(row["client_code"]),
        session_id=row["session_id"],
        instrument=str(row["instrument"]),
        version=str(row["version"]),
        timeframe=str(row["timeframe"]),
        taken_at=str(row["taken_at"]),
        responses=tuple(json.loads(row["responses"])),
        finished=bool(row["finished"]),
        total=row["total"],
        subscores=dict(json.loads(row["subscores"])),
        band=row["band"],
        definition=dict(json.loads(row["definition"])),
        note=str(row["note"]),
        alerts=tuple(alerts),
    )
