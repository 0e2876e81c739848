"""SIGKILL a process that is recording sets: nothing it reported as committed may be lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import bls_tui
from bls_tui.records.store import Store

CHILD = r"""
import sys
from pathlib import Path
from bls_tui.protocol.model import PhaseVisit, iso_utc, utc_now
from bls_tui.records.store import SetRecord, Store

path, resume = Path(sys.argv[1]), int(sys.argv[2])
with Store.open(path) as store:
    if resume:
        number = store.resume_session(resume).resume_point().last_set_number
        sid = resume
    else:
        sid = store.create_session("K-1", "standard", 60)
        store.record_phase(sid, PhaseVisit("desensitisation", iso_utc(utc_now())))
        number = 0
    print(f"session {sid}", flush=True)
    while True:
        number += 1
        now = iso_utc(utc_now())
        store.record_set(SetRecord(sid, number, "desensitisation", now, now, 1.0, 48, 24.0,
                                   24.0, stop_reason="x" * 300))
        print(f"committed {number}", flush=True)
        store.add_note(sid, f"after set {number}", set_number=number)
        store.heartbeat(sid)
"""

RUNS = 10


def _env() -> dict[str, str]:
    src = str(Path(bls_tui.__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    return env


def _run_and_kill(path: Path, resume: int, delay: float) -> tuple[int, list[int]]:
    """Start a recorder, SIGKILL it ``delay`` s after it starts recording; return its report."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(resume)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if not first.startswith("session "):
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"recorder did not start: {first!r} {err[-2000:]}")
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=10)  # reaps the child, so its pid is no longer alive
    assert proc.returncode == -signal.SIGKILL
    lines = out.splitlines(keepends=True)
    committed = [
        int(x.split()[1]) for x in lines if x.startswith("committed ") and x.endswith("\n")
    ]
    return int(first.split()[1]), committed


@pytest.mark.slow
def test_sigkill_loses_no_committed_set(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    path = tmp_path / "data" / "sessions.db"
    sid, reported = 0, set[int]()
    for run in range(RUNS):
        sid, committed = _run_and_kill(path, sid, rng.uniform(0.0, 0.2))
        reported |= set(committed)
        context = f"seed {seed}, run {run}, child reported up to {max(committed, default=0)}"
        with Store.open(path) as store:
            check = store._conn.execute("PRAGMA integrity_check").fetchall()
            assert [tuple(r) for r in check] == [("ok",)], context
            data = store.load_session(sid)
            numbers = [s.number for s in data.sets]
            assert reported <= set(numbers), context
            assert numbers == list(range(1, len(numbers) + 1)), context
            assert data.session.status == "interrupted", context
            assert [s.id for s in store.interrupted_sessions()] == [sid], context
    with Store.open(path) as store:
        resumed = store.resume_session(sid)
        assert resumed.session.status == "active"
        assert resumed.resume_point().last_set_number == len(resumed.sets) >= len(reported)
        assert [e.kind for e in resumed.events].count("interrupted") == RUNS
