"""Another program holds the database's write lock for 25 s in the middle of a set.

The real program runs a recorded session in a real terminal (tmux) with ``--trace``.  A second
process takes SQLite's write lock (``BEGIN IMMEDIATE``) and keeps it 25 s while a 20 s set
runs; a note is typed during the set and the set ends while the lock is still held.  The dot
must not freeze (frame interval p99 <= 25 ms over the whole set, from the trace), the screen
must say records cannot be saved because the database is held by another program and where
the emergency copy is, the set must be recorded (in the emergency copy at once, and in the
database once the lock is gone), and after quitting the session must be ``interrupted``,
never left ``active``.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bls_tui.services.record_writer import emergency_name
from real_app import TmuxApp, bls_env, db_path, db_rows, integrity, write_fast_preset
from sizing import sized

HOLD_S = sized(25.0, 10.0)
"""How long the second process holds the lock (25 s at full length, as the issue asks)."""
SET_CYCLES = sized(20, 6)
"""Set length at 1 Hz: the set ends while the lock is still held."""
HOLDER = r"""
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
print("released", flush=True)
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def frame_gaps_ms(trace: Path, set_number: int) -> list[float]:
    """Intervals between drawn frames while set ``set_number`` ran (from the --trace file)."""
    events = [json.loads(x) for x in trace.read_text().splitlines() if x.strip()]
    start = [e["t"] for e in events if e["event"] == "set_start"][set_number - 1]
    end = [e["t"] for e in events if e["event"] == "set_end"][set_number - 1]
    times = [e["t"] for e in events if e["event"] == "frame" and start <= e["t"] <= end]
    gaps = [(b - a) * 1e3 for a, b in itertools.pairwise(times)]
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    print(f"set {set_number}: longest gap ends {times[worst + 1] - start:.2f} s into the set")
    return gaps


def summary(gaps: list[float]) -> str:
    return (
        f"p50 {percentile(gaps, 0.5):.1f} ms, p99 {percentile(gaps, 0.99):.1f} ms, "
        f"max {max(gaps):.1f} ms over {len(gaps)} frames"
    )


@pytest.mark.slow
@pytest.mark.sized
def test_a_held_lock_mid_set_freezes_nothing_and_loses_nothing(tmp_path: Path) -> None:
    env = bls_env(tmp_path)
    preset = write_fast_preset(env, "twenty", speed_hz=1.0, cycles=SET_CYCLES)
    trace = tmp_path / "trace.jsonl"
    args = ["session", "--client", "L-1", "--preset", preset, "--audio", "none"]
    app = TmuxApp(tmp_path / "tmux", env, [*args, "--trace", str(trace)], size=(110, 34))
    holder = None
    try:
        app.wait_for(r"session 1 ")
        app.send("Space")  # a control set first: the same dot with nobody holding the lock
        app.wait_for(r"set 1 done", timeout=40)
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(db_path(env)), str(HOLD_S)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        locked_at = time.monotonic()
        app.send("Space")
        app.wait_for("set 2 running")
        time.sleep(2)
        app.send("\\;")  # a lone ";" would end the tmux command
        app.wait_for(r"note \(enter saves")
        app.type("written while the database was locked")
        app.send("Enter")
        app.wait_for("note saved")
        shown = app.wait_for(r"set 2 done", timeout=30)
        assert time.monotonic() - locked_at < HOLD_S, "the set should end while still locked"
        shown = app.wait_for(r"held by another program", timeout=5)
        assert "emergency copy in" in shown, shown
        assert holder.stdout.readline().strip() == "released"
        app.wait_for(r"records are being saved again", timeout=10)
        app.send("q")
        app.wait_for(r"Quit now")
        app.send("y")
        status = app.wait_exit(timeout=20)
    finally:
        if holder is not None and holder.poll() is None:
            holder.kill()
        app.close()
    assert status == 0
    control, gaps = frame_gaps_ms(trace, 1), frame_gaps_ms(trace, 2)
    print(f"\nframe intervals, set without the lock: {summary(control)}")
    print(f"frame intervals, set with the lock held: {summary(gaps)}")
    assert len(gaps) > SET_CYCLES * 30, len(gaps)  # the dot kept drawing through the whole set
    # a write waiting on the lock in the frame loop would stop the dot for 0.5-5 s (load
    # spikes on a busy 2-core machine reach ~250 ms)
    assert max(gaps) < 450.0, summary(gaps)
    # <= 25 ms; on a machine so loaded that even the unlocked set misses that, no worse
    # than the unlocked set (with 30 % slack for the load changing between the two sets)
    p99 = percentile(gaps, 0.99)
    assert p99 <= max(25.0, percentile(control, 0.99) * 1.3), summary(gaps)
    # the set and the note are in the database (written once the lock was gone) ...
    assert integrity(db_path(env)) == "ok"
    assert db_rows(env, "SELECT number FROM sets WHERE session_id = 1") == [(1,), (2,)]
    notes = db_rows(env, "SELECT text FROM notes WHERE session_id = 1")
    assert ("written while the database was locked",) in notes
    # ... and in the emergency copy, written at once while it was held
    copy = Path(env["TMPDIR"]) / f"bls-tui-emergency-{__import__('os').getuid()}"
    name = emergency_name(db_path(env), 1)
    records = [json.loads(x) for x in (copy / name).read_text().splitlines()]
    assert [r["number"] for r in records if r["record"] == "set"] == [2]
    assert any(r["record"] == "note" for r in records)
    # never left active
    assert db_rows(env, "SELECT status FROM sessions WHERE id = 1") == [("interrupted",)]
