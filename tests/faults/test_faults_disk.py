"""The data folder turns read-only or fills up in the middle of a session.

The real app runs headless in a child process with its data folder on a small tmpfs of its
own (a private mount namespace: ``unshare -m``, or ``unshare -rm`` when not root).  After three
recorded sets the tmpfs is remounted read-only, or filled to the last byte; the session goes
on: two more sets and a note.  The screen must say records cannot be saved and where the
emergency copy is; the emergency copy must hold what could not be saved; and once the disk is
writable again, the database must pass ``integrity_check`` with the first three sets intact.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from real_app import bls_env

CHILD = r"""
import asyncio, json, os, subprocess, sys
from pathlib import Path

from bls_tui.stimulus.clock import FakeClock
from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.ui.app import make_app

data = Path(os.environ["BLS_DATA_DIR"])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(data)], check=True)
clock = FakeClock()
app = make_app(
    RunOptions(preset=Preset(speed_hz=2.0, cycles=1)),
    clock,
    mode="session",
    session=SessionStart("D-1", preset="standard"),
)
out = {}


async def one_set(pilot):
    await pilot.press("space")
    clock.advance(0.6)
    await pilot.pause(0.05)


async def drive():
    async with app.run_test(headless=True, size=(110, 35)) as pilot:
        await pilot.pause(0.1)
        for _ in range(3):
            await one_set(pilot)
        if True:
            fd = os.open(data / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                while True:
                    os.write(fd, b"\0" * 4096)
            except OSError:
                pass
            finally:
                os.close(fd)
        # small writes may still fit in the WAL space freed by the last checkpoint; a long
        # note needs new pages, so it meets the full disk (and everything after it waits)
        await pilot.press("semicolon")
        app.screen.query_one("#notebar").value = "a long note " * 800
        await pilot.press("enter")
        await pilot.pause(0.3)
        for _ in range(2):
            await one_set(pilot)
        await pilot.press("semicolon")
        await pilot.press(*"after the disk problem")
        await pilot.press("enter")
        clock.advance(2)
        await pilot.pause(1.3)  # the once-a-second check shows the problem
        out["notice"] = str(app.screen.query_one("#notice").render())
        out["message"] = str(app.screen.query_one("#message").render())
        out["engine_sets"] = app.runtime.engine.set_number
        out["emergency"] = str(app.controller.emergency_file)
        await pilot.press("q")
        await pilot.pause(0.1)
        await pilot.press("y")
        await pilot.pause(0.1)


asyncio.run(drive())
(data / "filler").unlink()
with Store.open(backup=False) as store:
    out["integrity"] = [r[0] for r in store._conn.execute("PRAGMA integrity_check")]
    loaded = store.load_session(1)
    out["sets"] = [s.number for s in loaded.sets]
    out["status"] = loaded.session.status
print("RESULT " + json.dumps(out))
"""


def unshare_prefix() -> list[str]:
    import os

    if shutil.which("unshare") is None or shutil.which("mount") is None:
        pytest.skip("needs unshare(1) and mount(8) for a private tmpfs: apt-get install util-linux")
    return ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]


def run_child(script: str, env: dict[str, str]) -> dict[str, Any]:
    cmd = [*unshare_prefix(), sys.executable, "-c", script]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if res.returncode != 0 and "unshare failed" in res.stderr:
        pytest.skip(f"no private mount namespace here: {res.stderr.strip()}")
    lines = [x for x in res.stdout.splitlines() if x.startswith("RESULT ")]
    assert res.returncode == 0 and lines, res.stderr[-3000:]
    out: dict[str, Any] = json.loads(lines[0][7:])
    return out


@pytest.mark.slow
def test_session_goes_on_when_the_disk_fills_up(tmp_path: Path) -> None:
    out = run_child(CHILD, bls_env(tmp_path))
    # the session went on
    assert out["engine_sets"] == 5, out
    # the screen says so, and where the emergency copy is
    assert "records cannot be saved" in out["notice"], out
    emergency = Path(out["emergency"])
    assert str(emergency) in out["notice"], out
    assert emergency.is_relative_to(tmp_path / "tmp")  # TMPDIR, not the broken disk
    records = [json.loads(x) for x in emergency.read_text().splitlines()]
    kinds = [r["record"] for r in records]
    assert kinds.count("set") == 2, kinds
    assert [r["number"] for r in records if r["record"] == "set"] == [4, 5]
    assert any(r["record"] == "note" and r["text"] == "after the disk problem" for r in records)
    assert any(r["record"] == "note" and r["text"].startswith("a long note") for r in records)
    assert "disk is full" in out["notice"], out  # named as what it is
    assert "interrupt" in kinds  # quitting could not be written either: it is in the copy
    # nothing already saved was damaged
    assert out["integrity"] == ["ok"], out
    assert out["sets"] == [1, 2, 3], out
    assert out["status"] in ("active", "interrupted"), out


READ_ONLY = r"""
import asyncio, json, os, subprocess, hashlib
from pathlib import Path

from bls_tui.stimulus.clock import FakeClock
from bls_tui.config.presets import Preset
from bls_tui.protocol.model import PhaseVisit, iso_utc, utc_now
from bls_tui.records.store import SetRecord, Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.ui.app import make_app

data = Path(os.environ["BLS_DATA_DIR"])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(data)], check=True)
with Store.open(backup=False) as store:  # an earlier session, then the folder turns read-only
    sid = store.create_session("R-1", "standard", 60)
    now = iso_utc(utc_now())
    store.record_phase(sid, PhaseVisit("desensitisation", now))
    store.record_set(SetRecord(sid, 1, "desensitisation", now, now, 1.0, 48, 24.0, 24.0))
    store.mark_interrupted(sid, "test")
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
digest = lambda: hashlib.sha256((data / "sessions.db").read_bytes()).hexdigest()
before = digest()
subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
clock = FakeClock()
out = {}
for mode, start in (("session", SessionStart("R-2")), ("session", SessionStart("", resume_id=1))):
    app = make_app(RunOptions(preset=Preset(speed_hz=2.0, cycles=1)), clock, mode=mode,
                   session=start)

    async def drive():
        async with app.run_test(headless=True, size=(110, 35)) as pilot:
            await pilot.pause(0.2)
            out.setdefault("notes", []).append([n.message for n in app._notifications])
            out.setdefault("screens", []).append(type(app.screen).__name__)
            await pilot.press("q")
            await pilot.pause(0.1)

    asyncio.run(drive())
run = make_app(RunOptions(preset=Preset(speed_hz=2.0, cycles=1)), clock, mode="run")


async def quick():
    async with run.run_test(headless=True, size=(110, 35)) as pilot:
        await pilot.press("space")
        clock.advance(0.6)
        await pilot.pause(0.1)
        out["quick_run_sets"] = run.runtime.engine.set_number
        out["quick_run_done"] = str(run.screen.query_one("#message").render())
        await pilot.press("q")


asyncio.run(quick())
out["unchanged"] = digest() == before
subprocess.run(["mount", "-o", "remount,rw", str(data)], check=True)
with Store.open(backup=False) as store:
    out["integrity"] = [r[0] for r in store._conn.execute("PRAGMA integrity_check")]
    out["sets"] = [s.number for s in store.load_session(1).sets]
print("RESULT " + json.dumps(out))
"""


@pytest.mark.slow
def test_read_only_data_folder_is_reported_and_left_intact(tmp_path: Path) -> None:
    out = run_child(READ_ONLY, bls_env(tmp_path))
    for notes in out["notes"]:
        assert len(notes) == 1 and notes[0].startswith("cannot start the session:"), out
        assert "\n" not in notes[0] and "Traceback" not in notes[0]
    assert out["quick_run_sets"] == 1 and "set 1 done" in out["quick_run_done"], out
    assert out["unchanged"], "the read-only database file was changed"
    assert out["integrity"] == ["ok"] and out["sets"] == [1], out
