"""A client's outcome measures as one table: CSV for a spreadsheet, or complete JSON.

``bls measures export CODE`` writes them.  The CSV has one row per measure, every item answer in
a column of its own (``item_1`` ... up to the longest instrument exported; blank where an item
was not answered or the instrument has fewer items), the total only when the measure is finished
(an unfinished one is never scored), and each item alert in the ``alerts`` column, apart from
the total.  Stamps are ISO-8601 UTC as stored, like the session CSV.  Text a spreadsheet would
run as a formula is neutralised.  JSON holds each measure as stored: instrument, version,
timeframe, every answer, total, part scores, band, alerts with their acknowledgement, note, and
a custom measure's definition as it was when taken.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Literal

from bls_tui.measures.model import SCREENING_NOTE
from bls_tui.records.export import csv_cell
from bls_tui.records.measures_export import cutoff_words, instrument_name
from bls_tui.records.measures_rows import MeasureAlert, MeasureRecord

TableFormat = Literal["csv", "json"]
TABLE_FORMATS: tuple[TableFormat, ...] = ("csv", "json")

HEAD: tuple[str, ...] = (
    "measure_id",
    "client_code",
    "taken_at",
    "instrument",
    "instrument_name",
    "version",
    "timeframe",
    "session_id",
    "finished",
    "answered",
    "items",
    "total",
    "band",
    "part_scores",
    "published_cutoff",
    "alerts",
    "note",
)
"""The CSV's first columns; ``item_1`` ... ``item_N`` follow."""


def _alert(alert: MeasureAlert) -> str:
    seen = (
        f"acknowledged {alert.acknowledged_at}"
        if alert.acknowledged_at is not None
        else "NOT ACKNOWLEDGED"
    )
    return f"item {alert.item} answered {alert.value}, above 0: {seen}"


def _row(record: MeasureRecord, width: int) -> list[object]:
    finished = record.finished and record.total is not None
    answered = sum(1 for v in record.responses if v is not None)
    cells: list[object] = [
        record.id,
        record.client_code,
        record.taken_at,
        record.instrument,
        instrument_name(record),
        record.version,
        record.timeframe,
        record.session_id,
        int(finished),
        answered,
        len(record.responses),
        record.total if finished else None,
        record.band if finished else None,
        "; ".join(f"{k} {v:g}" for k, v in sorted(record.subscores.items())) if finished else "",
        cutoff_words(record),
        " / ".join(_alert(a) for a in record.alerts),
        record.note,
    ]
    answers: list[object] = list(record.responses)
    cells += answers + [None] * (width - len(answers))
    return ["" if c is None else csv_cell(c) for c in cells]


def measures_csv(records: Sequence[MeasureRecord]) -> str:
    """One row per measure (oldest first as given), item answers in ``item_k`` columns."""
    width = max((len(r.responses) for r in records), default=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*HEAD, *(f"item_{k}" for k in range(1, width + 1))])
    for record in records:
        writer.writerow(_row(record, width))
    return out.getvalue()


def measures_json(client_code: str, records: Sequence[MeasureRecord]) -> str:
    """Every measure of a client as stored, with what it is (screening, not diagnosis)."""
    body = {
        "client_code": client_code,
        "note": SCREENING_NOTE,
        "measures": [asdict(r) for r in records],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def measures_table(client_code: str, records: Sequence[MeasureRecord], fmt: TableFormat) -> str:
    """``records`` as ``"csv"`` or ``"json"``."""
    return measures_csv(records) if fmt == "csv" else measures_json(client_code, records)
