"""The SQLite record store: writes, reads, migrations, damage handling, backups, permissions."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bls_tui.ketamine.vitals import flags, parse_vitals
from bls_tui.protocol.model import ClientCodeError, PhaseVisit, SessionModel
from bls_tui.records import schema as records_schema
from bls_tui.records.store import (
    CorruptDatabaseError,
    InvalidRecordError,
    NewerDatabaseError,
    SessionStateError,
    Store,
    UnknownSessionError,
    default_db_path,
)
from bls_tui.safety.paths import data_dir
from records_helpers import FakeWall, full_session, make_set, stamp


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


@pytest.fixture
def store(wall: FakeWall) -> Iterator[Store]:
    with Store.open(wall=wall) as opened:
        yield opened


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(proc.stdout)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_path_is_in_data_dir(store: Store) -> None:
    assert store.path == default_db_path() == data_dir() / "sessions.db"


def test_full_session_round_trip(store: Store) -> None:
    sid = full_session(store)
    data = store.load_session(sid)
    s = data.session
    assert (s.client_code, s.kind, s.target_label, s.status) == (
        "C-014",
        "standard",
        "car crash",
        "completed",
    )
    assert (s.closure_complete, s.final_sud, s.final_voc) == (False, 1, 6)
    assert s.container_note == "rest goes in the container" and s.pid == os.getpid()
    assert [v.phase for v in data.phases] == ["assessment", "desensitisation", "installation"]
    assert data.phases[0] == PhaseVisit("assessment", stamp(0), stamp(6), 360.0)
    assert data.phases[2].left_at == stamp(55)  # closed by finish_session
    assert data.assessment is not None and data.assessment.sud == 8
    assert [r.number for r in data.sets] == [7, 8, 11]
    assert data.sets[1].stopped_early and data.sets[1].stop_reason == "client signal"
    assert data.sets[1].sud == 4 and data.sets[2].voc == 6  # ratings copied onto the set
    assert [r.context for r in data.ratings] == ["back_to_target", "installation", "closure"]
    assert [n.kind for n in data.notes] == ["between_sets", "clinician"]
    assert data.events[0].kind == "stop" and data.events[0].detail == {"by": "client"}
    assert data.medicine is None and data.checkins == []


def test_record_phase_change_from_model(store: Store, wall: FakeWall) -> None:
    sid = store.create_session("C-1", "standard", 50)
    m = SessionModel("C-1", "standard", 50, 0.0, phase="assessment", wall=wall)
    store.record_phase(sid, m.current_visit())
    store.record_phase_change(sid, m.next_phase(90.0))
    store.record_phase(sid, m.finish(150.0))
    phases = store.load_session(sid).phases
    assert [(p.phase, p.seconds) for p in phases] == [
        ("assessment", 90.0),
        ("desensitisation", 60.0),
    ]


def test_unknown_session_message(store: Store) -> None:
    with pytest.raises(UnknownSessionError) as info:
        store.load_session(42)
    assert str(info.value) == "no session with ID 42 (see `bls sessions list`)"
    for call in (
        lambda: store.record_set(make_set(42, 1)),
        lambda: store.add_note(42, "x"),
        lambda: store.heartbeat(42),
        lambda: store.delete_session(42),
        lambda: store.resume_session(42),
        lambda: store.finish_session(42, closure_complete=True),
    ):
        with pytest.raises(UnknownSessionError):
            call()


def test_invalid_writes_are_refused(store: Store) -> None:
    sid = store.create_session("C-1", "standard", 60)
    store.record_set(make_set(sid, 1))
    with pytest.raises(InvalidRecordError, match="set 1 of session 1 is already recorded"):
        store.record_set(make_set(sid, 1))
    with pytest.raises(ValueError, match="unknown phase"):
        store.record_set(make_set(sid, 2, phase="warmup"))
    with pytest.raises(InvalidRecordError, match="SUD must be a whole number from 0 to 10"):
        store.add_rating(sid, "sud", 11, context="between_sets")
    with pytest.raises(InvalidRecordError, match="VOC must be"):
        store.finish_session(sid, closure_complete=True, final_voc=0)
    with pytest.raises(InvalidRecordError, match="rating context"):
        store.add_rating(sid, "sud", 3, context="lunch")
    with pytest.raises(InvalidRecordError, match="note is empty"):
        store.add_note(sid, "   ")
    with pytest.raises(InvalidRecordError, match="longer than"):
        store.add_note(sid, "x" * 10_001)
    with pytest.raises(InvalidRecordError, match="lower_snake_case"):
        store.add_event(sid, "Stop!")
    with pytest.raises(InvalidRecordError, match="JSON"):
        store.add_event(sid, "stop", {"when": object()})
    with pytest.raises(ClientCodeError):
        store.create_session("Jane Doe", "standard", 60)
    with pytest.raises(InvalidRecordError, match="session kind"):
        store.create_session("C-1", "group", 60)
    # nothing half-written
    data = store.load_session(sid)
    assert len(data.sets) == 1 and data.ratings == [] and data.notes == [] and data.events == []
    assert store.list_sessions() and len(store.list_sessions()) == 1


def test_permissions_even_with_open_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with Store.open() as st:
            sid = st.create_session("C-1", "standard", 60)
            st.record_set(make_set(sid, 1))
            db = st.path
            for suffix in ("", "-wal", "-shm"):
                extra = Path(f"{db}{suffix}")
                if extra.exists():
                    assert mode(extra) == 0o600, suffix
        with Store.open(wall=FakeWall()):
            pass
    finally:
        os.umask(old)
    assert mode(data_dir()) == 0o700
    assert mode(db) == 0o600
    backups = list((data_dir() / "backups").iterdir())
    assert backups and mode(data_dir() / "backups") == 0o700
    assert all(mode(b) == 0o600 for b in backups)


def test_data_dir_tightened_but_a_chosen_folder_left_alone(tmp_path: Path) -> None:
    data_dir().mkdir(parents=True)
    os.chmod(data_dir(), 0o755)
    Store.open().close()
    assert mode(data_dir()) == 0o700
    chosen = tmp_path / "shared"
    chosen.mkdir(mode=0o755)
    os.chmod(chosen, 0o755)
    Store.open(chosen / "sessions.db").close()
    assert mode(chosen) == 0o755 and mode(chosen / "sessions.db") == 0o600


def test_pragmas(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == records_schema.LATEST_VERSION
    finally:
        conn.close()
    own = store._conn  # the store's own connection settings
    assert own.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert own.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert own.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_migrates_v1_database_to_v2(tmp_path: Path) -> None:
    path = tmp_path / "old" / "sessions.db"
    path.parent.mkdir()
    conn = sqlite3.connect(path, isolation_level=None)
    assert records_schema.migrate(conn, upto=1) == 1
    conn.execute(
        "INSERT INTO sessions (client_code, kind, planned_min, started_at, status)"
        " VALUES ('C-9', 'standard', 60, ?, 'completed')",
        (stamp(0),),
    )
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "medicine" not in tables
    conn.close()
    with Store.open(path, wall=FakeWall()) as st:
        assert st.load_session(1).session.client_code == "C-9"
        st.save_medicine(1, route="im", dose_amount=35, dose_unit="mg")
        assert st.load_session(1).medicine is not None
        version = st._conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == records_schema.LATEST_VERSION
    # the v1 database was backed up before migrating
    backup = records_schema.newest_backup(path)
    assert backup is not None
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()


def test_newer_database_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "sessions.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = digest(path)
    with pytest.raises(NewerDatabaseError, match=r"newer bls-tui.*v99.*not changed"):
        Store.open(path)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


def test_not_a_database_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "sessions.db"
    path.write_text("these are my notes, not a database\n")
    before = digest(path)
    with pytest.raises(CorruptDatabaseError) as info:
        Store.open(path)
    assert "kept unchanged" in str(info.value) and "no backup found" in str(info.value)
    assert digest(path) == before


def test_damaged_database_names_newest_backup(wall: FakeWall) -> None:
    with Store.open(wall=wall) as st:
        sid = st.create_session("C-1", "standard", 60)
        for n in range(1, 200):
            st.record_set(make_set(sid, n, stop_reason="x" * 200))
        path = st.path
    with Store.open(wall=wall):
        pass  # second open of the day takes the backup
    wall.jump(days=1)
    with Store.open(wall=wall):
        pass
    newest = records_schema.newest_backup(path)
    assert newest is not None and newest.name == "sessions-20250303.db"
    raw = bytearray(path.read_bytes())
    page = 4096
    raw[page * 2 : page * 6] = os.urandom(page * 4)
    path.write_bytes(bytes(raw))
    before = digest(path)
    with pytest.raises(CorruptDatabaseError) as info:
        Store.open(path, wall=wall)
    message = str(info.value)
    assert str(newest) in message and "kept unchanged" in message and "\n" not in message
    assert digest(path) == before


def test_daily_backups_keep_last_seven(wall: FakeWall) -> None:
    with Store.open(wall=wall) as st:
        st.create_session("C-1", "standard", 60)
    for _ in range(10):
        with Store.open(wall=wall), Store.open(wall=wall):
            pass  # two opens a day still make one backup
        wall.jump(days=1)
    names = sorted(p.name for p in (data_dir() / "backups").iterdir())
    assert names == [f"sessions-202503{d:02d}.db" for d in range(5, 12)]
    copy = sqlite3.connect(data_dir() / "backups" / names[-1])
    assert copy.execute("SELECT client_code FROM sessions").fetchall() == [("C-1",)]
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()


def test_stale_session_marked_interrupted_and_resumed(wall: FakeWall) -> None:
    with Store.open(wall=wall) as st:
        sid = st.create_session("C-1", "standard", 60, started_at=stamp(0))
        st.record_phase(sid, PhaseVisit("desensitisation", stamp(0)))
        st.record_set(make_set(sid, 1))
        st.record_set(make_set(sid, 2))
        st.heartbeat(sid)
        other = st.create_session("C-2", "standard", 60)  # ours: stays active
        st._conn.execute("UPDATE sessions SET pid = ? WHERE id = ?", (dead_pid(), sid))
    with Store.open(wall=wall) as st:
        assert [s.id for s in st.interrupted_sessions()] == [sid]
        assert st.interrupted_sessions("C-2") == []
        assert st.load_session(other).session.status == "active"
        data = st.load_session(sid)
        assert data.events[-1].kind == "interrupted"
        assert data.phases[0].left_at is not None  # open visit closed at last activity
        with pytest.raises(SessionStateError, match="active; only interrupted"):
            st.resume_session(other)
        resumed = st.resume_session(sid)
        assert resumed.session.status == "active" and resumed.session.pid == os.getpid()
        point = resumed.resume_point()
        assert point.phase == "desensitisation" and point.last_set_number == 2
        assert point.set_counts == {"desensitisation": 2}
        model = SessionModel.resume(point, 0.0, wall=wall)
        assert model.next_set_number == 3
        st.record_phase(sid, model.current_visit())
        st.record_set(make_set(sid, model.count_set(1.0)))
        st.finish_session(sid, closure_complete=True, final_sud=0, final_voc=7)
        with pytest.raises(SessionStateError, match="completed"):
            st.resume_session(sid)
        assert st.mark_stale_interrupted() == []


def test_two_stores_write_in_turns(wall: FakeWall) -> None:
    with Store.open(wall=wall) as a, Store.open(wall=wall) as b:
        sid = a.create_session("C-1", "standard", 60)
        for n in range(1, 41):
            (a if n % 2 else b).record_set(make_set(sid, n))
            (b if n % 2 else a).add_note(sid, f"note {n}", set_number=n)
        assert len(a.load_session(sid).sets) == len(b.load_session(sid).sets) == 40
    with Store.open(wall=wall) as c:
        assert c._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(c.load_session(sid).notes) == 40


def test_two_stores_write_from_threads_at_once(wall: FakeWall) -> None:
    with Store.open(wall=wall) as a, Store.open(wall=wall) as b:
        sid = a.create_session("C-1", "standard", 60)
        errors: list[BaseException] = []

        def writer(st: Store, tag: str) -> None:
            try:
                for i in range(60):
                    st.add_note(sid, f"{tag}{i}")
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(st, t)) for st, t in ((a, "a"), (b, "b"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(a.load_session(sid).notes) == 120


def test_lists_and_client_history(store: Store, wall: FakeWall) -> None:
    first = full_session(store)
    second = store.create_session(
        "C-014", "standard", 60, target_label="Car crash", started_at=stamp(60 * 24 * 7)
    )
    store.add_rating(second, "sud", 2, context="reevaluation")
    other_target = store.create_session("C-014", "standard", 60, target_label="dog bite")
    store.save_assessment(other_target, sud=6, voc=3)
    store.create_session("C-099", "standard", 60)
    assert [s.id for s in store.list_sessions("C-014")] == [second, other_target, first]
    assert {s.client_code for s in store.list_sessions()} == {"C-014", "C-099"}
    assert store.list_sessions(status="completed")[0].id == first
    assert store.list_sessions(status="completed")[0].set_count == 3
    history = {h.target_label.casefold(): h for h in store.client_history("C-014")}
    crash = history["car crash"]
    assert crash.sessions == 2 and crash.baseline_sud == 8
    assert (crash.last_sud, crash.last_voc) == (2, 6) and crash.last_session_id == second
    assert (history["dog bite"].last_sud, history["dog bite"].last_voc) == (6, 3)
    without = store.client_history("C-014", exclude_session=second)
    assert {h.target_label: h.last_sud for h in without}["car crash"] == 1


def test_delete_session_and_client_also_purges_backups(wall: FakeWall) -> None:
    with Store.open(wall=wall) as st:
        keep = st.create_session("C-2", "standard", 60)
        gone = full_session(st)
        also_gone = st.create_session("C-014", "standard", 60)
    with Store.open(wall=wall) as st:  # takes today's backup, holding all three
        backup = records_schema.newest_backup(st.path)
        assert backup is not None
        st.delete_session(gone)
        with pytest.raises(UnknownSessionError):
            st.load_session(gone)
        assert st.delete_client("C-014") == 1
        assert st.delete_client("C-014") == 0
        assert [s.id for s in st.list_sessions()] == [keep]
        for table in ("sets", "notes", "ratings", "phases", "events", "assessment"):
            assert st._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    copy = sqlite3.connect(backup)
    ids = [r[0] for r in copy.execute("SELECT id FROM sessions")]
    leftovers = copy.execute("SELECT COUNT(*) FROM notes").fetchone()[0]
    copy.close()
    assert ids == [keep] and leftovers == 0
    assert also_gone not in ids
    assert b"tightness in chest" not in backup.read_bytes()
    assert b"tightness in chest" not in (data_dir() / "sessions.db").read_bytes()


def test_ketamine_medicine_checkins_and_observation(store: Store, wall: FakeWall) -> None:
    sid = full_session(store, kind="ketamine")
    data = store.load_session(sid)
    assert data.medicine is not None and data.medicine.dose_amount == 50.0
    assert data.medicine.minutes_since_dose(stamp(7)) == 37.0
    assert data.checkins[0].presence == 2.5 and data.checkins[0].sedation == "alert"
    entry = parse_vitals(bp="150/95", hr="80", spo2="97", presence="3", sedation="drowsy")
    store.add_vitals(sid, entry, flags=flags(entry), at=stamp(40))
    stored = store.load_session(sid).checkins[-1]
    assert stored.systolic == 150 and stored.flags == flags(entry) and stored.flags
    assert stored.presence_scale == "numeric"
    with pytest.raises(SessionStateError, match="observation runs until 11:30 UTC"):
        store.confirm_observation(sid, at=stamp(60))
    assert store.confirm_observation(sid, at=stamp(90)) == stamp(90)
    store.save_medicine(
        sid, route="sublingual", dose_amount=75, dose_unit="mg", dosed_at=stamp(-30)
    )
    med = store.load_session(sid).medicine
    assert med is not None and med.dose_amount == 75 and med.observation_confirmed_at == stamp(90)


def test_ketamine_validation(store: Store) -> None:
    sid = store.create_session("C-1", "ketamine", 120)
    with pytest.raises(SessionStateError, match="no medicine recorded"):
        store.confirm_observation(sid)
    bad_medicine: list[tuple[dict[str, object], str]] = [
        ({"route": "smoked"}, "route must be one of"),
        ({"dose_amount": -5}, "positive number"),
        ({"dose_amount": float("nan")}, "positive number"),
        ({"dose_unit": "pills"}, "dose unit"),
        ({"dosed_at": "yesterday"}, "ISO-8601"),
        ({"linked_session_id": sid}, "linked to itself"),
        ({"observation_min": 5000}, "observation time"),
    ]
    for change, message in bad_medicine:
        args: dict[str, object] = {"route": "im", "dose_amount": 35, "dose_unit": "mg"}
        args.update(change)
        with pytest.raises(InvalidRecordError, match=message):
            store.save_medicine(sid, **args)  # type: ignore[arg-type]
    with pytest.raises(UnknownSessionError):
        store.save_medicine(sid, route="im", dose_amount=35, dose_unit="mg", linked_session_id=9)
    bad_checkins = [
        ({"systolic": 120}, "needs both"),
        ({"systolic": 80, "diastolic": 90}, "lower than systolic"),
        ({"spo2": 101}, "spo2"),
        ({"presence": 11}, "presence must be"),
        ({"presence_scale": "vibes"}, "presence scale"),
        ({"sedation": "3"}, "sedation must be"),
        ({"flags": [""]}, "flag"),
    ]
    for kwargs, message in bad_checkins:
        with pytest.raises(InvalidRecordError, match=message):
            store.add_checkin(sid, **kwargs)  # type: ignore[arg-type]
    assert store.load_session(sid).checkins == []


def test_store_usable_from_a_worker_thread(store: Store) -> None:
    sid = store.create_session("C-1", "standard", 60)
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(len(store.load_session(sid).sets)))
    worker.start()
    worker.join()
    assert result == [0]
