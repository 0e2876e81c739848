"""`bls sessions recover`: records left only in the emergency copy go back into the database,
once each, with the time they were made; a copy already in the database doubles nothing."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bls_tui.cli import app as cli_app
from bls_tui.config.presets import Preset
from bls_tui.protocol.model import SessionModel
from bls_tui.records.store import Store
from bls_tui.services.recover import emergency_copies, recover_all
from bls_tui.services.runtime import RunOptions, Runtime
from bls_tui.services.session import SessionController
from bls_tui.stimulus.clock import FakeClock

T0 = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def emergency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def held_session(db: Path) -> int:
    """A session whose rating, note, marker, stop and finish never reached the database."""
    now = {"t": T0}
    store = Store.open(db, wall=lambda: now["t"], backup=False)
    clock = FakeClock()
    runtime = Runtime(RunOptions(preset=Preset(speed_hz=2.0, cycles=1)), clock)
    model = SessionModel("R-1", "standard", 60, clock.now(), phase="desensitisation")
    sid = store.create_session("R-1", "standard", 60, started_at=model.started_wall)
    controller = SessionController(store, sid, model, runtime, wall=lambda: now["t"])
    holder = sqlite3.connect(db, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the database to the end
    controller.rating("sud", 5, "back_to_target")
    controller.note("hands shaking")
    controller.event("marker", marker="abreaction")
    runtime.engine.toggle(clock.now())
    while runtime.engine.active:  # one whole set, recorded as a set
        clock.advance(1 / 60)
        runtime.frame(clock.now())
    controller.finish(closure_complete=True, final_sud=1, final_voc=6, container_note=None)
    now["t"] += timedelta(minutes=5)
    assert not controller.close(0.5)  # not everything reached the database
    holder.rollback()
    holder.close()
    store.close()
    return sid


def test_records_only_in_the_copy_come_back_once_with_their_time(
    tmp_path: Path, emergency: Path
) -> None:
    db = tmp_path / "s.db"
    sid = held_session(db)
    [copy] = emergency_copies(db)
    with Store.open(db, backup=False) as store:
        before = store.load_session(sid)
        assert not before.ratings and not before.notes and not before.sets
        [result] = recover_all(store)
        after = store.load_session(sid)
    assert sorted(set(result.written)) == ["event", "finish", "note", "rating", "set"]
    assert not result.failed
    assert [(r.kind, r.value) for r in after.ratings] == [("sud", 5)]
    assert after.ratings[0].at.startswith("2026-12-03T10:00")  # when it was made
    assert [n.text for n in after.notes] == ["hands shaking"]
    assert [s.number for s in after.sets] == [1]
    assert after.session.status == "completed" and after.session.final_voc == 6
    assert not copy.exists() and copy.with_name(copy.name + ".recovered").exists()
    with Store.open(db, backup=False) as store:
        assert recover_all(store) == []  # nothing waits any more
        assert len(store.load_session(sid).ratings) == 1


def test_a_copy_the_database_already_holds_doubles_nothing(tmp_path: Path, emergency: Path) -> None:
    db = tmp_path / "s.db"
    sid = held_session(db)
    [copy] = emergency_copies(db)
    saved = copy.read_text()
    with Store.open(db, backup=False) as store:
        recover_all(store)
    copy.write_text(saved)  # the same copy again, as if the writer had got there later
    with Store.open(db, backup=False) as store:
        [again] = recover_all(store)
        data = store.load_session(sid)
    assert again.written == [] and again.already >= 5
    assert len(data.ratings) == 1 and len(data.notes) == 1 and len(data.sets) == 1


def test_the_command_says_what_came_back_and_what_did_not(
    isolated_dirs: dict[str, Path], emergency: Path
) -> None:
    runner = CliRunner()
    assert "No session database yet" in runner.invoke(cli_app, ["sessions", "recover"]).stdout
    db = isolated_dirs["data"] / "sessions.db"
    held_session(db)
    dry = runner.invoke(cli_app, ["sessions", "recover", "--dry-run"])
    assert dry.exit_code == 0 and "to write back" in dry.stdout
    [copy] = emergency_copies(db)
    copy.write_text(copy.read_text() + "not json\n")
    done = runner.invoke(cli_app, ["sessions", "recover"])
    assert done.exit_code == 1
    assert "written back" in done.stdout and "NOT written: line" in done.stdout
    assert "the copy is kept" in done.stderr and copy.exists()
