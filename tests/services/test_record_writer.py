"""The record writer: faults named, emergency copy at once, retried into the database, in order.

Each fault is a real SQLite error of that kind raised by the store for the first few tries;
the record must reach the emergency copy at once (well before the retries end), the problem
line must name the fault, and once the database takes writes again every record is written
there too, in the order it was made.  Also: --resume settings and the too-small stage.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from pathlib import Path

import pytest

from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.record_writer import RecordWriter
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart, settings_of_last_set
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import make_app
from records_helpers import FakeWall, make_set

FAULTS = {
    # name: (SQLite result code, what the screen must say)
    "held by another program": (5, "held by another program"),
    "disk full": (13, "disk is full"),
    "read-only": (8, "read-only"),
    "I/O error": (10, "input/output error"),
}


def fault(code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("simulated")
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


@pytest.fixture
def emergency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_failing_write_is_copied_at_once_and_written_later(
    name: str, tmp_path: Path, emergency: Path
) -> None:
    code, words = FAULTS[name]
    store = Store.open(tmp_path / "s.db", wall=FakeWall(), backup=False)
    sid = store.create_session("W-1", "standard", 60)
    writer = RecordWriter(store, sid)
    failures = {"left": 3}

    def flaky(s: Store) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise fault(code)
        s.add_note(sid, "first")

    t0 = time.monotonic()
    writer.submit("note", flaky, {"text": "first"})
    writer.submit("note", lambda s: s.add_note(sid, "second"), {"text": "second"})
    while writer.emergency_file is None and time.monotonic() - t0 < 5:
        time.sleep(0.01)
    copied_after = time.monotonic() - t0
    assert writer.emergency_file is not None
    assert copied_after < 0.5, copied_after  # at once, not after the retries
    assert writer.problem is not None and words in writer.problem, writer.problem
    lines = [json.loads(x) for x in writer.emergency_file.read_text().splitlines()]
    assert [r["text"] for r in lines] == ["first", "second"]  # queued ones go with it
    assert writer.flush(10.0)
    assert writer.close(1.0)
    texts = [n.text for n in store.load_session(sid).notes]
    assert texts == ["first", "second"]  # in order, once the database took writes again
    assert writer.problem is not None and "saved again" in writer.problem
    store.close()


def test_records_that_never_reach_the_database_stay_in_the_copy(
    tmp_path: Path, emergency: Path
) -> None:
    store = Store.open(tmp_path / "s.db", wall=FakeWall(), backup=False)
    sid = store.create_session("W-2", "standard", 60)
    writer = RecordWriter(store, sid)

    def never(s: Store) -> None:
        raise fault(13)

    writer.submit("set", never, {"number": 1})
    assert not writer.close(0.5)
    assert writer.emergency_file is not None
    assert json.loads(writer.emergency_file.read_text())["number"] == 1
    store.close()


def test_resume_continues_with_the_last_sets_settings(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db", wall=FakeWall(), backup=False) as store:
        sid = store.create_session("R-1", "standard", 60)
        store.record_set(make_set(sid, 1, speed_hz=0.8, pattern="diagonal-up", profile="linear",
                                  cycles_planned=12.0, tone="marimba"))  # fmt: skip
        data = store.load_session(sid)
    restored = settings_of_last_set(Preset(), data)
    assert restored is not None
    assert (restored.speed_hz, restored.pattern, restored.profile) == (0.8, "diagonal-up", "linear")
    assert (restored.cycles, restored.tone, restored.mute) == (12, "marimba", False)


def test_no_set_starts_while_the_stage_is_too_small() -> None:
    clock = FakeClock()
    app = make_app(RunOptions(preset=Preset(speed_hz=2.0, cycles=1)), clock, mode="run")

    async def drive() -> tuple[bool, str]:
        async with app.run_test(headless=True, size=(30, 8)) as pilot:
            await pilot.pause(0.05)
            await pilot.press("space")
            await pilot.pause(0.05)
            text = str(app.screen.query_one("#too-small").render())
            return app.runtime.engine.in_set, text

    in_set, text = asyncio.run(drive())
    assert not in_set
    assert "No set can start" in text


def test_resumed_session_uses_its_own_settings_in_the_app(tmp_path: Path) -> None:
    db = tmp_path / "data" / "sessions.db"
    db.parent.mkdir(parents=True)
    with Store.open(db, backup=False) as store:
        sid = store.create_session("R-2", "standard", 60)
        store.record_set(make_set(sid, 1, speed_hz=0.7, pattern="vertical", cycles_planned=9.0))
        store.mark_interrupted(sid, "test")
    clock = FakeClock()
    app = make_app(
        RunOptions(preset=Preset(speed_hz=1.5, cycles=30)),
        clock,
        mode="session",
        session=SessionStart("", resume_id=sid),
        store_opener=lambda: Store.open(db, backup=False),
    )

    async def drive() -> Preset:
        async with app.run_test(headless=True, size=(110, 35)) as pilot:
            await pilot.pause(0.2)
            preset = app.runtime.preset
            await pilot.press("q")
            await pilot.press("y")
            return preset

    preset = asyncio.run(drive())
    assert (preset.speed_hz, preset.pattern, preset.cycles) == (0.7, "vertical", 9)
    assert app.runtime.engine.plan.speed_hz == 0.7


def test_a_late_write_keeps_the_moment_it_happened(tmp_path: Path, emergency: Path) -> None:
    """A rating, a note, a marker and the stop signal written after another program held the
    database keep the time they were made, not the time the disk took them."""
    from datetime import datetime, timedelta, timezone

    from bls_tui.protocol.model import SessionModel
    from bls_tui.services.runtime import Runtime

    now = {"t": datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)}

    def wall() -> datetime:
        return now["t"]

    db = tmp_path / "s.db"
    store = Store.open(db, wall=wall, backup=False)
    clock = FakeClock()
    runtime = Runtime(RunOptions(preset=Preset(speed_hz=2.0, cycles=1)), clock)
    model = SessionModel("L-1", "standard", 60, clock.now(), phase="desensitisation", wall=wall)
    sid = store.create_session("L-1", "standard", 60, started_at=model.started_wall)
    from bls_tui.services.session import SessionController

    controller = SessionController(store, sid, model, runtime, wall=wall)
    holder = sqlite3.connect(db, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    controller.rating("sud", 4, "back_to_target")
    controller.note("hands shaking")
    controller.event("marker", marker="abreaction")
    runtime.engine.toggle(clock.now())
    clock.advance(0.2)
    runtime.engine.stop_signal(reason="client")
    made = now["t"].isoformat(timespec="milliseconds").replace("+00:00", "Z")
    now["t"] += timedelta(minutes=2)  # the lock is held for two minutes
    time.sleep(0.7)
    holder.rollback()
    holder.close()
    assert controller.flush(10.0)
    data = store.load_session(sid)
    stamps = [data.ratings[0].at, data.notes[0].at]
    stamps += [e.at for e in data.events if e.kind in ("marker", "stop")]
    assert len(stamps) == 4
    assert all(s.startswith("2026-12-03T10:00:00") for s in stamps), (stamps, made)
    controller.close(1.0)
    store.close()
