"""Schema v4: targets of their own, integration sessions, dose links and outcome measures.

Every row of an older database is kept.  ``sessions`` is rebuilt (SQLite cannot widen a CHECK
in place) to allow the ``integration`` kind and to gain ``target_id`` and
``linked_dose_session_id``; the old ``target_label`` column stays as it was.  The target labels
of a client's sessions become target records (labels that differ only in case or surrounding
spaces are one target), each session points at its target, and the target's first change
records that it came from the labels, with its prong left unset for the therapist to choose.
"""

from __future__ import annotations

import sqlite3

SESSION_COLUMNS_V3 = (
    "id, client_code, kind, target_label, planned_min, started_at, ended_at, status,"
    " closure_complete, final_sud, final_voc, container_note, pid, last_heartbeat"
)

SESSIONS_V4 = """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('standard', 'ketamine', 'integration')),
        target_label TEXT NOT NULL DEFAULT '',
        planned_min INTEGER NOT NULL CHECK (planned_min > 0),
        started_at TEXT NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'interrupted', 'completed')),
        closure_complete INTEGER CHECK (closure_complete IN (0, 1)),
        final_sud INTEGER CHECK (final_sud BETWEEN 0 AND 10),
        final_voc INTEGER CHECK (final_voc BETWEEN 1 AND 7),
        container_note TEXT,
        pid INTEGER,
        last_heartbeat TEXT,
        target_id INTEGER REFERENCES targets (id) ON DELETE RESTRICT,
        linked_dose_session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL)"""

TABLES_V4 = (
    """CREATE TABLE targets (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        prong TEXT CHECK (prong IN ('past', 'present', 'future')),
        label TEXT NOT NULL CHECK (label <> ''),
        touchstone_id INTEGER REFERENCES targets (id) ON DELETE SET NULL,
        cluster TEXT NOT NULL DEFAULT '',
        negative_cognition TEXT NOT NULL DEFAULT '',
        positive_cognition TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'planned'
            CHECK (status IN ('planned', 'in_progress', 'completed', 'deferred')),
        archived_at TEXT,
        created_at TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX targets_by_client ON targets (client_code, label COLLATE NOCASE)",
    """CREATE TABLE target_changes (
        id INTEGER PRIMARY KEY,
        target_id INTEGER NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL)""",
    "CREATE INDEX target_changes_by_target ON target_changes (target_id)",
    """CREATE TABLE measures (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
        instrument TEXT NOT NULL,
        version TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        responses TEXT NOT NULL,
        finished INTEGER NOT NULL CHECK (finished IN (0, 1)),
        total REAL,
        subscores TEXT NOT NULL DEFAULT '{}',
        band TEXT,
        definition TEXT NOT NULL DEFAULT '{}',
        note TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX measures_by_client ON measures (client_code, taken_at)",
    """CREATE TABLE measure_alerts (
        id INTEGER PRIMARY KEY,
        measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        item INTEGER NOT NULL,
        value INTEGER NOT NULL,
        raised_at TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by_note TEXT)""",
    "CREATE INDEX measure_alerts_by_measure ON measure_alerts (measure_id)",
)

MIGRATED_REASON = "from the target label of earlier sessions (schema v4); prong not recorded"


def migrate_v4(conn: sqlite3.Connection) -> None:
    """v3 -> v4 inside the caller's transaction (foreign keys are off while it runs)."""
    for statement in TABLES_V4:
        conn.execute(statement)
    # SQLite's documented order: new table under another name, copy, drop, rename (renaming
    # the old table first would repoint every other table's references at the old one).
    conn.execute(SESSIONS_V4.replace("CREATE TABLE sessions (", "CREATE TABLE sessions_v4 (", 1))
    conn.execute(
        f"INSERT INTO sessions_v4 ({SESSION_COLUMNS_V3}) SELECT {SESSION_COLUMNS_V3} FROM sessions"
    )
    conn.execute("DROP TABLE sessions")
    conn.execute("ALTER TABLE sessions_v4 RENAME TO sessions")
    conn.execute("CREATE INDEX sessions_by_client ON sessions (client_code, started_at)")
    _targets_from_labels(conn)
    _links_from_medicine(conn)


def _targets_from_labels(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT id, client_code, target_label, started_at FROM sessions"
        " WHERE trim(target_label) <> '' ORDER BY started_at, id"
    ).fetchall()
    made: dict[tuple[str, str], int] = {}
    for session_id, client, label, started in rows:
        key = (str(client), str(label).strip().casefold())
        target_id = made.get(key)
        if target_id is None:
            cur = conn.execute(
                "INSERT INTO targets (client_code, label, status, created_at)"
                " VALUES (?, ?, 'in_progress', ?)",
                (client, str(label).strip(), started),
            )
            target_id = int(cur.lastrowid or 0)
            made[key] = target_id
            conn.execute(
                "INSERT INTO target_changes (target_id, at, status, reason, session_id)"
                " VALUES (?, ?, 'in_progress', ?, ?)",
                (target_id, started, MIGRATED_REASON, session_id),
            )
        conn.execute("UPDATE sessions SET target_id = ? WHERE id = ?", (target_id, session_id))
    for target_id in made.values():  # NC/PC from the latest assessment that named them
        found = conn.execute(
            "SELECT a.negative_cognition, a.positive_cognition FROM assessment a"
            " JOIN sessions s ON s.id = a.session_id WHERE s.target_id = ?"
            " ORDER BY s.started_at DESC, s.id DESC",
            (target_id,),
        ).fetchall()
        nc = next((str(r[0]) for r in found if r[0]), "")
        pc = next((str(r[1]) for r in found if r[1]), "")
        conn.execute(
            "UPDATE targets SET negative_cognition = ?, positive_cognition = ? WHERE id = ?",
            (nc, pc, target_id),
        )


def _links_from_medicine(conn: sqlite3.Connection) -> None:
    """A dose record linked to an earlier session carries that link onto the session row."""
    conn.execute(
        "UPDATE sessions SET linked_dose_session_id = ("
        " SELECT m.linked_session_id FROM medicine m WHERE m.session_id = sessions.id)"
        " WHERE id IN (SELECT session_id FROM medicine WHERE linked_session_id IS NOT NULL)"
    )
