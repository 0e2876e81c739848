"""Schema v3 -> v4 from real old rows: every row kept, target labels become target records.

``tests/data/schema_v3_rows.sql`` is a database written by bls-tui f59ce1c (the last version
before issue 16) through its own Store API, dumped with ``sqlite3`` ``iterdump``.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bls_tui.records import schema as records_schema
from bls_tui.records.schema_v4 import MIGRATED_REASON, migrate_v4

DUMP = Path(__file__).resolve().parents[1] / "data" / "schema_v3_rows.sql"
TABLES = ("sessions", "phases", "sets", "ratings", "notes", "assessment", "events", "medicine",
          "checkins")  # fmt: skip
V3_SESSION_COLUMNS = 14


def _v3_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(DUMP.read_text(encoding="utf-8"))
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        conn.close()


def _open(db: Path) -> sqlite3.Connection:
    return records_schema.open_database(db, today=date(2026, 12, 3), backup=False)


def test_every_v3_row_survives_the_move_to_v4(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    _v3_database(db)
    before = _rows(db)
    assert [len(before[t]) for t in TABLES] == [6, 0, 2, 3, 1, 2, 1, 2, 1]
    _open(db).close()
    after = _rows(db)
    for table in TABLES:
        assert len(after[table]) == len(before[table]), table
        if table == "sessions":  # the open session of a dead writer is marked interrupted
            assert [r[:7] + r[8:V3_SESSION_COLUMNS] for r in after[table]] == [
                r[:7] + r[8:] for r in before[table]
            ]
        else:
            assert after[table] == before[table], table


def test_labels_become_one_target_per_client_and_label(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    _v3_database(db)
    conn = _open(db)
    assert records_schema.user_version(conn) == 4 == records_schema.LATEST_VERSION
    targets = {
        (r["client_code"], r["label"]): r
        for r in conn.execute("SELECT * FROM targets ORDER BY id").fetchall()
    }
    assert sorted(targets) == [("C-014", "bridge dream"), ("C-014", "car crash"),
                               ("K-002", "the flood")]  # fmt: skip
    crash = targets[("C-014", "car crash")]
    assert crash["prong"] is None  # not recorded before v4: left for the therapist
    assert crash["status"] == "in_progress"
    assert crash["negative_cognition"] == "I am going to die"
    assert crash["positive_cognition"] == "I survived, it is over"
    assert crash["created_at"] == "2026-11-02T15:00:00.000+00:00"  # the first session's start
    sessions = conn.execute("SELECT id, target_label, target_id FROM sessions ORDER BY id")
    by_label = {str(r[1]).casefold(): r[2] for r in sessions if r[1]}
    assert by_label["car crash"] == crash["id"]
    # "the flood" and "The Flood" are one target; the unlabelled session has none
    flood = conn.execute("SELECT target_id FROM sessions WHERE client_code = 'K-002'").fetchall()
    assert {r[0] for r in flood} == {targets[("K-002", "the flood")]["id"]}
    unlabelled = conn.execute("SELECT target_id FROM sessions WHERE target_label = ''")
    assert unlabelled.fetchone()[0] is None
    changes = conn.execute("SELECT status, reason FROM target_changes").fetchall()
    assert len(changes) == 3 and all(tuple(c) == ("in_progress", MIGRATED_REASON) for c in changes)
    conn.close()


def test_the_dose_link_moves_onto_the_session_and_references_hold(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    _v3_database(db)
    conn = _open(db)
    links = conn.execute("SELECT id, linked_dose_session_id FROM sessions WHERE kind = 'ketamine'")
    assert [tuple(r) for r in links] == [(5, None), (6, 5)]
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(sqlite3.IntegrityError):  # a target in use cannot be deleted
        conn.execute("DELETE FROM targets WHERE label = 'car crash'")
    # deleting a session still cascades to its rows (the rebuilt table kept its references)
    conn.execute("DELETE FROM sessions WHERE id = 1")
    assert conn.execute("SELECT count(*) FROM sets WHERE session_id = 1").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM target_changes").fetchone()[0] == 3
    conn.execute("INSERT INTO sessions (client_code, kind, planned_min, started_at)"
                 " VALUES ('I-1', 'integration', 50, '2026-12-03T10:00:00Z')")  # fmt: skip
    conn.close()


def test_an_old_dangling_row_does_not_block_the_move(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    _v3_database(db)
    raw = sqlite3.connect(db)  # a dangling reference planted in the old file
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("INSERT INTO sets (session_id, number, phase, started_at, ended_at, pattern,"
                " profile, speed_hz, sweeps_delivered, cycles_delivered, duration_s)"
                " VALUES (99, 1, 'desensitisation', 'a', 'b', 'h', '', 1, 1, 0.5, 1)")  # fmt: skip
    raw.commit()
    raw.close()
    before = _rows(db)
    _open(db).close()
    assert len(_rows(db)["sets"]) == len(before["sets"]) == 3


def test_a_failed_v4_migration_leaves_the_v3_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "sessions.db"
    _v3_database(db)
    before = _rows(db)

    def half_way(conn: sqlite3.Connection) -> None:
        migrate_v4(conn)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(records_schema, "MIGRATIONS", (*records_schema.MIGRATIONS[:3], half_way))
    with pytest.raises(records_schema.StoreError):
        _open(db)
    assert _rows(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    made = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'targets'")
    assert made.fetchone()[0] == 0
    conn.close()
