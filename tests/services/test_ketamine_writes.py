"""Ketamine records go through the record writer: the UI never waits on a held database.

A second connection holds SQLite's write lock while the dosing record, a check-in and the
observation sign-off are entered.  Each call must return at once (the writer's busy wait is
0.5 s; the UI thread's own connection would wait 5 s), each record must be in the emergency
copy within moments, and all of them must reach the database, in order, once the lock goes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bls_tui.config.appconfig import AppConfig
from bls_tui.ketamine.vitals import VitalsEntry
from bls_tui.records.base import InvalidRecordError
from bls_tui.records.store import Store
from bls_tui.services.ketamine_session import DoseEntry, KetamineClock
from bls_tui.services.record_writer import RecordWriter

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def emergency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def copied(writer: RecordWriter) -> list[dict[str, object]]:
    path = writer.emergency.path
    if path is None or not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_dose_checkin_and_sign_off_never_wait_on_a_held_database(
    tmp_path: Path, emergency: Path
) -> None:
    now = {"t": T0 + timedelta(minutes=5)}
    db = tmp_path / "s.db"
    store = Store.open(db, wall=lambda: now["t"], backup=False)
    sid = store.create_session("K-1", "ketamine", 120)
    writer = RecordWriter(store, sid)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        took = []
        t = time.perf_counter()
        clock = KetamineClock.start(
            store, sid, DoseEntry("im", "50", "mg", T0), AppConfig(), lambda: now["t"],
            writer.submit,
        )  # fmt: skip
        took.append(time.perf_counter() - t)
        now["t"] = T0 + timedelta(minutes=40)
        t = time.perf_counter()
        flags = clock.record_checkin(VitalsEntry(systolic=182, diastolic=95, hr=88))
        took.append(time.perf_counter() - t)
        now["t"] = T0 + timedelta(minutes=70)
        t = time.perf_counter()
        stamp = clock.confirm_observation()
        took.append(time.perf_counter() - t)
        assert max(took) < 0.25, took  # queued, not written: no busy wait on this thread
        assert flags and clock.medicine.observation_confirmed_at == stamp
        deadline = time.monotonic() + 5
        while len(copied(writer)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        kinds = [r["record"] for r in copied(writer)]
        assert kinds == ["medicine", "checkin", "observation_confirmed"], kinds
        assert "held by another program" in (writer.problem or "")
        assert store.load_session(sid).medicine is None  # nothing reached the database yet
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert writer.flush(10)
    data = store.load_session(sid)
    assert data.medicine is not None and data.medicine.dose_amount == 50.0
    assert data.medicine.observation_confirmed_at == stamp
    assert [(c.systolic, c.diastolic, c.heart_rate) for c in data.checkins] == [(182, 95, 88)]
    assert data.checkins[0].flags == flags
    writer.close(5)
    store.close()


def test_a_bad_dosing_record_is_refused_before_anything_is_queued(
    tmp_path: Path, emergency: Path
) -> None:
    store = Store.open(tmp_path / "s.db", wall=lambda: T0, backup=False)
    sid = store.create_session("K-2", "ketamine", 120)
    writer = RecordWriter(store, sid)
    queued: list[str] = []

    def write(what: str, fn: object, payload: object) -> None:
        queued.append(what)

    with pytest.raises(InvalidRecordError, match="linked to itself"):
        KetamineClock.start(
            store, sid, DoseEntry("im", "50", "mg", T0, linked_session_id=sid), AppConfig(),
            lambda: T0, write,
        )  # fmt: skip
    with pytest.raises(InvalidRecordError, match="provider"):
        KetamineClock.start(
            store, sid, DoseEntry("im", "50", "mg", T0, provider="x" * 100_000), AppConfig(),
            lambda: T0, write,
        )  # fmt: skip
    assert queued == []
    writer.close(5)
    store.close()
