-- A schema v2 database written by bls-tui 5463ab5 (before issue 10) through its own
-- KetamineClock.start / Store calls, dumped with sqlite3 iterdump (user_version was 2).
BEGIN TRANSACTION;
CREATE TABLE assessment (
        session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        image TEXT NOT NULL DEFAULT '',
        negative_cognition TEXT NOT NULL DEFAULT '',
        positive_cognition TEXT NOT NULL DEFAULT '',
        voc INTEGER CHECK (voc BETWEEN 1 AND 7),
        emotions TEXT NOT NULL DEFAULT '',
        sud INTEGER CHECK (sud BETWEEN 0 AND 10),
        body_location TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL);
CREATE TABLE checkins (
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
        flags TEXT NOT NULL DEFAULT '[]');
INSERT INTO "checkins" VALUES(1,2,'2026-12-02T12:38:29.207+00:00',152,96,88,97,8.0,'numeric',NULL,NULL,'["BP 152/96 above 140/90"]');
CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}');
CREATE TABLE medicine (
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
        observation_confirmed_at TEXT);
INSERT INTO "medicine" VALUES(2,'sublingual',56.0,'mg','2026-11-20T23:50:00.000+00:00','Dr A','{"aneurysm_avm": {"confirmed": true, "note": ""}, "brain_haemorrhage": {"confirmed": false, "note": ""}, "dissociative_disorder": {"confirmed": false, "note": ""}, "hypersensitivity": {"confirmed": false, "note": ""}, "hypertension_heart": {"confirmed": false, "note": ""}, "pregnancy": {"confirmed": true, "note": ""}, "psychosis_mania": {"confirmed": false, "note": ""}, "substance_use": {"confirmed": false, "note": ""}}',NULL,120,NULL,15,NULL);
INSERT INTO "medicine" VALUES(3,'esketamine_in',56.0,'mg','2026-11-21T00:00:00.000+00:00',NULL,'{"pregnancy": {"confirmed": true, "note": "test negative"}}',NULL,120,40,15,NULL);
CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        phase TEXT,
        set_number INTEGER,
        text TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (
            kind IN ('clinician', 'between_sets', 'body_scan', 'container', 'grounding')));
INSERT INTO "notes" VALUES(1,1,'2026-12-02T12:38:29.165+00:00',NULL,NULL,'client sighs','clinician');
CREATE TABLE phases (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        phase TEXT NOT NULL,
        entered_at TEXT NOT NULL,
        left_at TEXT,
        seconds REAL);
CREATE TABLE ratings (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        set_number INTEGER,
        kind TEXT NOT NULL CHECK (kind IN ('sud', 'voc', 'bhs', 'presence')),
        value INTEGER NOT NULL,
        at TEXT NOT NULL,
        context TEXT NOT NULL);
INSERT INTO "ratings" VALUES(1,1,NULL,'sud',6,'2026-12-02T12:38:29.164+00:00','back_to_target');
CREATE TABLE sessions (
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
        last_heartbeat TEXT);
INSERT INTO "sessions" VALUES(1,'C-017','standard','car crash',60,'2026-12-02T12:38:29.160+00:00','2026-12-02T12:38:29.175+00:00','completed',0,6,4,'box',4159,'2026-12-02T12:38:29.175+00:00');
INSERT INTO "sessions" VALUES(2,'K-9','ketamine','flood',90,'2026-12-02T12:38:29.186+00:00',NULL,'active',NULL,NULL,NULL,NULL,4159,'2026-12-02T12:38:29.186+00:00');
INSERT INTO "sessions" VALUES(3,'K-9','ketamine','',60,'2026-12-02T12:38:29.220+00:00',NULL,'active',NULL,NULL,NULL,NULL,4159,'2026-12-02T12:38:29.220+00:00');
CREATE TABLE sets (
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
        UNIQUE (session_id, number));
CREATE INDEX sessions_by_client ON sessions (client_code, started_at);
CREATE INDEX phases_by_session ON phases (session_id);
CREATE INDEX ratings_by_session ON ratings (session_id);
CREATE INDEX notes_by_session ON notes (session_id);
CREATE INDEX events_by_session ON events (session_id);
CREATE INDEX checkins_by_session ON checkins (session_id);
COMMIT;
