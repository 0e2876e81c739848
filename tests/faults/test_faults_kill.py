"""SIGKILL mid-set, at random moments, many times: the database always survives.

A driver process imports the real program once and then, for every run, forks a recorder that
runs a session the way the app does (``Runtime`` + ``Engine`` + ``SessionController`` +
``Store``, on an accelerated fake clock): one-cycle sets at 2 Hz, a note and a SUD rating
after each set, speed changes, heartbeats.  The recorder reports each set only after the
controller's writer thread has written it (``controller.flush``).  The driver SIGKILLs it
after a random delay (so kills land in start-up, mid-transaction, mid-set, between sets)
and reaps it; this test then opens the
database with the real store and checks ``PRAGMA integrity_check`` and that every reported
set is there.  Forking after the imports keeps 50 runs within a few seconds.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bls_tui.records.store import Store
from real_app import bls_env

RUNS = 50

DRIVER = r"""
import json, os, random, signal, sys, time
from pathlib import Path

from bls_tui.stimulus.clock import FakeClock
from bls_tui.config.presets import Preset
from bls_tui.protocol.model import SessionModel
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions, Runtime
from bls_tui.services.session import SessionController

db = Path(sys.argv[1])


def record(out_fd: int, resume: int) -> None:
    clock = FakeClock()
    runtime = Runtime(RunOptions(preset=Preset(speed_hz=2.0, cycles=1)), clock)
    store = Store.open(db, backup=False)
    if resume:
        data = store.resume_session(resume)
        model = SessionModel.resume(data.resume_point(), clock.now())
        sid = resume
    else:
        model = SessionModel("K-7", "standard", 90, clock.now(), phase="desensitisation")
        sid = store.create_session("K-7", "standard", 90, started_at=model.started_wall)
    store.record_phase(sid, model.current_visit())
    controller = SessionController(store, sid, model, runtime)
    os.write(out_fd, f"session {sid}\n".encode())
    rng = random.Random(os.getpid())
    while True:
        runtime.engine.toggle(clock.now())
        if rng.random() < 0.3:
            runtime.engine.set_speed(rng.choice([1.0, 1.5, 2.0]), clock.now())
        while runtime.engine.active:
            clock.advance(1 / 60)
            runtime.frame(clock.now())
        number = controller.last_set_number
        controller.flush(10.0)  # records are written on the writer thread: wait for the set
        if controller.save_problem:
            os.write(out_fd, f"problem {controller.save_problem}\n".encode())
        os.write(out_fd, f"committed {number}\n".encode())
        controller.note(f"after set {number}", set_number=number)
        controller.rating("sud", rng.randint(0, 10), "between_sets", number)
        clock.advance(31)
        controller.tick()


for line in sys.stdin:
    resume, delay = int(line.split()[0]), float(line.split()[1])
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            record(w, resume)
        finally:
            os._exit(3)
    os.close(w)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    chunks = []
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    text = b"".join(chunks).decode()
    lines = [x for x in text.split("\n")[:-1]]
    print(json.dumps({"status": status, "lines": lines}), flush=True)
"""


@pytest.mark.slow
def test_sigkill_at_random_moments_never_damages_the_database(tmp_path: Path) -> None:
    env = bls_env(tmp_path)
    db = Path(env["BLS_DATA_DIR"]) / "sessions.db"
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert driver.stdin is not None and driver.stdout is not None
    sid, reported, killed_mid_run = 0, set[int](), 0
    started = time.monotonic()
    try:
        for run in range(RUNS):
            early = rng.random() < 0.2  # some kills during start-up / resume
            delay = rng.uniform(0.0, 0.05) if early else rng.uniform(0.08, 0.4)
            driver.stdin.write(f"{sid} {delay}\n")
            driver.stdin.flush()
            line = driver.stdout.readline()
            assert line, f"driver died: {driver.stderr.read()[-3000:] if driver.stderr else ''}"
            report = json.loads(line)
            context = f"seed {seed}, run {run}, delay {delay:.3f}"
            assert os.WIFSIGNALED(report["status"]), context
            assert os.WTERMSIG(report["status"]) == 9, context
            lines: list[str] = report["lines"]
            assert not [x for x in lines if x.startswith("problem")], (context, lines)
            if lines and lines[0].startswith("session "):
                sid = int(lines[0].split()[1])
                killed_mid_run += 1
            committed = [int(x.split()[1]) for x in lines if x.startswith("committed ")]
            reported |= set(committed)
            with Store.open(db, backup=False) as store:
                check = store._conn.execute("PRAGMA integrity_check").fetchall()
                assert [tuple(r) for r in check] == [("ok",)], context
                if sid:
                    data = store.load_session(sid)
                    numbers = [s.number for s in data.sets]
                    assert reported <= set(numbers), (context, sorted(reported - set(numbers)))
                    assert numbers == list(range(1, len(numbers) + 1)), context
                    assert data.session.status == "interrupted", context
    finally:
        driver.stdin.close()
        driver.wait(timeout=10)
    elapsed = time.monotonic() - started
    print(
        f"{RUNS} SIGKILLs in {elapsed:.1f} s ({killed_mid_run} after the session opened);"
        f" {len(reported)} sets reported, all on disk, integrity ok every time"
    )
    assert killed_mid_run >= RUNS // 2  # most kills landed after the session was open
    assert len(reported) > RUNS  # and many while sets were being recorded
    with Store.open(db, backup=False) as store:
        resumed = store.resume_session(sid)
        assert resumed.resume_point().last_set_number == len(resumed.sets) >= len(reported)
