"""A target's latest SUD, VOC and body scan, read from the sessions that worked it."""

from __future__ import annotations

import json
import sqlite3

from bls_tui.protocol.targets import Progress
from bls_tui.records.closure import last_values
from bls_tui.records.types import Event, Note, Rating


def target_progress(conn: sqlite3.Connection, target_id: int) -> Progress:
    """Latest SUD, VOC and body scan over the sessions that worked the target, in order."""
    ids = [
        int(r[0])
        for r in conn.execute(
            "SELECT id FROM sessions WHERE target_id = ? ORDER BY started_at, id",
            (target_id,),
        )
    ]
    sud = voc = scan = None
    for sid in ids:
        ratings = [
            Rating(**dict(r))
            for r in conn.execute(
                "SELECT kind, value, at, context, set_number FROM ratings"
                " WHERE session_id = ? ORDER BY at, id",
                (sid,),
            )
        ]
        notes = [
            Note(**dict(r))
            for r in conn.execute(
                "SELECT at, text, kind, phase, set_number FROM notes"
                " WHERE session_id = ? AND kind = 'body_scan' ORDER BY at, id",
                (sid,),
            )
        ]
        events = [
            Event(r[0], r[1], _detail(r[2]))
            for r in conn.execute(
                "SELECT at, kind, detail FROM events"
                " WHERE session_id = ? AND kind = 'body_scan' ORDER BY at, id",
                (sid,),
            )
        ]
        values = last_values(ratings, events, notes)
        final = conn.execute(
            "SELECT final_sud, final_voc FROM sessions WHERE id = ?", (sid,)
        ).fetchone()
        sud = _latest(final[0], values.sud, sud)
        voc = _latest(final[1], values.voc, voc)
        scan = values.body_scan if values.body_scan is not None else scan
    return Progress(sud, voc, scan)


def _latest(final: int | None, rated: int | None, before: int | None) -> int | None:
    if final is not None:
        return final
    return rated if rated is not None else before


def _detail(blob: str) -> dict[str, object]:
    try:
        value = json.loads(blob)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
