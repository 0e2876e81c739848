-- A schema v3 database written by bls-tui f59ce1c (before issue 16) through its own Store
-- API (scripts kept out of the repo: two clients, repeated and case-varied target labels,
-- an unlabelled session, a linked ketamine session), dumped with sqlite3 iterdump
-- (user_version was 3).
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
INSERT INTO "assessment" VALUES(1,'windscreen breaking','I am going to die','I survived, it is over',2,'fear',8,'chest','2026-11-02T15:10:00.000+00:00');
INSERT INTO "assessment" VALUES(2,'windscreen','I am going to die','I survived, it is over',5,'',3,'','2026-11-09T15:05:00.000+00:00');
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
INSERT INTO "checkins" VALUES(1,5,'2026-11-05T15:40:00.000+00:00',150,94,90,97,6.0,'numeric',NULL,NULL,'[]');
CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}');
INSERT INTO "events" VALUES(1,6,'2026-11-02T15:00:00.000+00:00','interrupted','{"reason": "power cut"}');
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
        observation_confirmed_at TEXT, infusion_min REAL, last_spray_min REAL);
INSERT INTO "medicine" VALUES(5,'im',35.0,'mg','2026-11-05T15:10:00.000+00:00','Dr. A','{}',NULL,120,40,NULL,NULL,NULL,NULL);
INSERT INTO "medicine" VALUES(6,'im',35.0,'mg','2026-11-06T15:05:00.000+00:00',NULL,'{}',5,120,40,NULL,NULL,NULL,NULL);
CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        phase TEXT,
        set_number INTEGER,
        text TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (
            kind IN ('clinician', 'between_sets', 'body_scan', 'container', 'grounding')));
INSERT INTO "notes" VALUES(1,1,'2026-11-02T15:22:00.000+00:00',NULL,1,'shaking hands','between_sets');
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
INSERT INTO "ratings" VALUES(1,1,1,'sud',6,'2026-11-02T15:22:00.000+00:00','back_to_target');
INSERT INTO "ratings" VALUES(2,2,1,'sud',0,'2026-11-09T15:12:00.000+00:00','back_to_target');
INSERT INTO "ratings" VALUES(3,2,NULL,'voc',7,'2026-11-09T15:20:00.000+00:00','installation');
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
INSERT INTO "sessions" VALUES(1,'C-014','standard','car crash',60,'2026-11-02T15:00:00.000+00:00','2026-11-02T15:55:00.000+00:00','completed',1,5,3,NULL,4727,'2026-11-02T15:55:00.000+00:00');
INSERT INTO "sessions" VALUES(2,'C-014','standard','car crash',60,'2026-11-09T15:00:00.000+00:00','2026-11-09T15:50:00.000+00:00','completed',1,0,7,NULL,4727,'2026-11-09T15:50:00.000+00:00');
INSERT INTO "sessions" VALUES(3,'C-014','standard','bridge dream',50,'2026-11-16T15:00:00.000+00:00','2026-11-16T15:40:00.000+00:00','completed',0,NULL,NULL,NULL,4727,'2026-11-16T15:40:00.000+00:00');
INSERT INTO "sessions" VALUES(4,'C-014','standard','',30,'2026-11-17T15:00:00.000+00:00','2026-11-17T15:30:00.000+00:00','completed',1,NULL,NULL,NULL,4727,'2026-11-17T15:30:00.000+00:00');
INSERT INTO "sessions" VALUES(5,'K-002','ketamine','the flood',120,'2026-11-05T15:00:00.000+00:00','2026-11-05T17:30:00.000+00:00','completed',1,NULL,NULL,NULL,4727,'2026-11-05T17:30:00.000+00:00');
INSERT INTO "sessions" VALUES(6,'K-002','ketamine','The Flood',90,'2026-11-06T15:00:00.000+00:00',NULL,'interrupted',NULL,NULL,NULL,NULL,4727,'2026-11-06T15:00:00.000+00:00');
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
INSERT INTO "sets" VALUES(1,1,1,'desensitisation','2026-11-02T15:20:00.000+00:00','2026-11-02T15:21:00.000+00:00','horizontal','standard',1.0,24.0,NULL,48,24.0,24.0,NULL,0,NULL,NULL,NULL,6,NULL,NULL);
INSERT INTO "sets" VALUES(2,2,1,'desensitisation','2026-11-09T15:10:00.000+00:00','2026-11-09T15:11:00.000+00:00','horizontal','',1.0,NULL,NULL,48,24.0,24.0,NULL,0,NULL,NULL,NULL,0,NULL,NULL);
CREATE INDEX sessions_by_client ON sessions (client_code, started_at);
CREATE INDEX phases_by_session ON phases (session_id);
CREATE INDEX ratings_by_session ON ratings (session_id);
CREATE INDEX notes_by_session ON notes (session_id);
CREATE INDEX events_by_session ON events (session_id);
CREATE INDEX checkins_by_session ON checkins (session_id);
COMMIT;
