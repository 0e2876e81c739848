"""The tables of schema v1 (sessions and what a session records) and v2 (ketamine-assisted).

Kept apart from :mod:`bls_tui.records.schema` (opening, checks, migrations, backups) so each
module stays small; later versions are migrations of their own (``schema.MIGRATIONS``).
"""

from __future__ import annotations

V1 = (
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('standard', 'ketamine')),
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
        last_heartbeat TEXT)""",
    "CREATE INDEX sessions_by_client ON sessions (client_code, started_at)",
    """CREATE TABLE phases (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        phase TEXT NOT NULL,
        entered_at TEXT NOT NULL,
        left_at TEXT,
        seconds REAL)""",
    """CREATE TABLE sets (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        number INTEGER NOT NULL CHECK (number > 0),
        phase TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        pattern TEXT NOT NULL,
        profile TEXT NOT NULL,
        speed_hz REAL NOT NULL,
        cycles_planned REAL,
        sweeps_planned INTEGER,
        sweeps_delivered INTEGER NOT NULL,
        cycles_delivered REAL NOT NULL,
        duration_s REAL NOT NULL,
        delivered_hz REAL,
        stopped_early INTEGER NOT NULL DEFAULT 0 CHECK (stopped_early IN (0, 1)),
        stop_reason TEXT,
        sound_lost_at TEXT,
        tone TEXT,
        sud INTEGER CHECK (sud BETWEEN 0 AND 10),
        voc INTEGER CHECK (voc BETWEEN 1 AND 7),
        bhs INTEGER CHECK (bhs BETWEEN 0 AND 10),
        UNIQUE (session_id, number))""",
    """CREATE TABLE ratings (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        set_number INTEGER,
        kind TEXT NOT NULL CHECK (kind IN ('sud', 'voc', 'bhs', 'presence')),
        value INTEGER NOT NULL,
        at TEXT NOT NULL,
        context TEXT NOT NULL)""",
    """CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        phase TEXT,
        set_number INTEGER,
        text TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (
            kind IN ('clinician', 'between_sets', 'body_scan', 'container', 'grounding')))""",
    """CREATE TABLE assessment (
        session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        image TEXT NOT NULL DEFAULT '',
        negative_cognition TEXT NOT NULL DEFAULT '',
        positive_cognition TEXT NOT NULL DEFAULT '',
        voc INTEGER CHECK (voc BETWEEN 1 AND 7),
        emotions TEXT NOT NULL DEFAULT '',
        sud INTEGER CHECK (sud BETWEEN 0 AND 10),
        body_location TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL)""",
    """CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}')""",
    *(
        f"CREATE INDEX {t}_by_session ON {t} (session_id)"
        for t in ("phases", "ratings", "notes", "events")
    ),
)

V2 = (
    """CREATE TABLE medicine (
        session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        route TEXT NOT NULL,
        dose_amount REAL NOT NULL,
        dose_unit TEXT NOT NULL,
        dosed_at TEXT,
        provider TEXT,
        screening TEXT NOT NULL DEFAULT '{}',
        linked_session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
        observation_min INTEGER NOT NULL DEFAULT 120,
        bp_recheck_min INTEGER,
        checkin_interval_min INTEGER,
        observation_confirmed_at TEXT)""",
    """CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        systolic INTEGER,
        diastolic INTEGER,
        heart_rate INTEGER,
        spo2 INTEGER,
        presence REAL CHECK (presence BETWEEN 0 AND 10),
        presence_scale TEXT NOT NULL DEFAULT 'numeric'
            CHECK (presence_scale IN ('numeric', 'bhs')),
        sedation TEXT,
        note TEXT,
        flags TEXT NOT NULL DEFAULT '[]')""",
    "CREATE INDEX checkins_by_session ON checkins (session_id)",
)
