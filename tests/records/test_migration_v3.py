"""Schema v2 -> v3 from real old rows: every row kept, screening answers turned into findings.

``tests/data/schema_v2_rows.sql`` is a database written by bls-tui 5463ab5 (the last version
before issue 10) through its own API, dumped with ``sqlite3`` ``iterdump``.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from bls_tui.records import schema as records_schema
from bls_tui.records.export import export_session
from bls_tui.records.store import Store

DUMP = Path(__file__).resolve().parents[1] / "data" / "schema_v2_rows.sql"
TABLES = ("sessions", "phases", "sets", "ratings", "notes", "assessment", "events", "medicine",
          "checkins")  # fmt: skip


def _v2_database(path: Path, extra: str = "") -> None:
    conn = sqlite3.connect(path)
    conn.executescript(DUMP.read_text(encoding="utf-8") + extra)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        conn.close()


def test_v2_rows_all_survive_and_screening_becomes_findings(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    _v2_database(db)
    before = _rows(db)
    assert sum(len(rows) for rows in before.values()) == 8
    assert len(before["medicine"]) == 2 and len(before["checkins"]) == 1
    conn = records_schema.open_database(db, today=date(2026, 12, 2), backup=False)
    assert records_schema.user_version(conn) == records_schema.LATEST_VERSION
    conn.close()
    after = _rows(db)
    for table in TABLES:  # every row is still there; only medicine gained two columns
        assert len(after[table]) == len(before[table]), table
        if table == "sessions":  # opening marks the dead writers' open sessions interrupted

            def strip(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
                return [r[:7] + r[8:14] for r in rows]  # v4 adds two columns

            assert strip(after[table]) == strip(before[table])
        elif table != "medicine":
            assert after[table] == before[table], table
    for old, new in zip(before["medicine"], after["medicine"], strict=True):
        assert new[: len(old)][:6] == old[:6]  # session, route, dose, unit, time, provider
        assert new[len(old) :] == (None, None)  # infusion_min, last_spray_min: not known
    with Store.open(db, backup=False) as store:
        ketamine = store.load_session(2)
        esketamine = store.load_session(3)
        standard = store.load_session(1)
    m = ketamine.medicine
    assert m is not None
    assert (m.route, m.dose_amount, m.observation_min, m.checkin_interval_min) == (
        "sublingual",
        56.0,
        120,
        15,
    )
    assert m.screening["aneurysm_avm"] == {"reviewed": True, "finding": "unknown", "note": ""}
    assert m.screening["hypersensitivity"] == {
        "reviewed": False,
        "finding": "unknown",
        "note": "",
    }
    assert len(m.screening) == 8  # all the old items, none dropped, none invented
    e = esketamine.medicine
    assert e is not None
    assert e.screening == {
        "pregnancy": {"reviewed": True, "finding": "unknown", "note": "test negative"}
    }
    assert (e.observation_min, e.bp_recheck_min) == (120, 40)
    assert standard.session.final_sud == 6 and standard.notes[0].text == "client sighs"
    md = export_session(ketamine, "md")
    assert "malformation (AVM): reviewed, unknown" in md
    assert "Hypersensitivity to ketamine or esketamine: not reviewed" in md
    assert '"confirmed"' not in export_session(ketamine, "json")


def test_odd_old_screening_values_are_kept_untouched(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    extra = (
        "INSERT INTO sessions (id, client_code, kind, planned_min, started_at) "
        "VALUES (9, 'K-1', 'ketamine', 60, '2026-01-01T10:00:00.000+00:00');"
        "INSERT INTO medicine (session_id, route, dose_amount, dose_unit, screening) "
        "VALUES (9, 'im', 50, 'mg', 'not json');"
        "INSERT INTO sessions (id, client_code, kind, planned_min, started_at) "
        "VALUES (10, 'K-1', 'ketamine', 60, '2026-01-02T10:00:00.000+00:00');"
        "INSERT INTO medicine (session_id, route, dose_amount, dose_unit, screening) "
        """VALUES (10, 'im', 50, 'mg', '{"legacy_item": {"confirmed": true, "x": 1}}');"""
    )
    _v2_database(db, extra)
    records_schema.open_database(db, today=date(2026, 12, 2), backup=False).close()
    conn = sqlite3.connect(db)
    rows = dict(conn.execute("SELECT session_id, screening FROM medicine").fetchall())
    conn.close()
    assert rows[9] == "not json"
    assert json.loads(str(rows[10])) == {
        "legacy_item": {"reviewed": True, "finding": "unknown", "note": "", "x": 1}
    }
