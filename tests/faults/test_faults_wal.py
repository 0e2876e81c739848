"""The ``-wal`` file is deleted mid-session, then the program is killed: at most the set in
progress is lost.

Records are checkpointed into the main database file as soon as the writer's queue is empty
(after every set), so a finished set does not live only in the WAL.  The real program runs a
recorded session in a real terminal (tmux); after some finished sets the WAL file is
removed (as a careless clean-up or a sync tool might), more happens, and the program is
SIGKILLed.  The database must open, pass ``integrity_check`` and hold the session and every
set that had finished a moment before the kill.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from real_app import TmuxApp, bls_env, db_path, db_rows, integrity, write_fast_preset

SETTLE_S = 1.5
""""Within a few seconds": the pause after a set before the WAL goes."""

CASES = {
    # name: (sets before the WAL is deleted, sets finished after it, kill mid-set?)
    "deleted between sets, killed between sets": (3, 0, False),
    "deleted between sets, killed mid-set": (3, 0, True),
    "deleted, one more set, killed mid-set": (2, 1, True),
}


def one_set(app: TmuxApp, number: int) -> None:
    app.send("Space")
    app.wait_for(rf"set {number} done")


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_losing_the_wal_loses_at_most_the_set_in_progress(tmp_path: Path, case: str) -> None:
    before, after, mid_set = CASES[case]
    env = bls_env(tmp_path)
    fast = write_fast_preset(env)
    app = TmuxApp(
        tmp_path / "tmux", env, ["session", "--client", "W-1", "--preset", fast, "--audio", "none"]
    )
    try:
        app.wait_for(r"session 1 ")
        for number in range(1, before + 1):
            one_set(app, number)
        time.sleep(SETTLE_S)
        wal = Path(f"{db_path(env)}-wal")
        assert wal.exists()
        wal.unlink()
        for number in range(before + 1, before + after + 1):
            one_set(app, number)
        time.sleep(SETTLE_S)
        if mid_set:
            app.send("Right", "Right", "Right", "Space")  # a longer set, left running
            app.wait_for(rf"set {before + after + 1} running")
        app.signal(signal.SIGKILL)
        app.wait_exit(timeout=10)
    finally:
        app.close()
    assert integrity(db_path(env)) == "ok"
    assert db_rows(env, "SELECT client_code FROM sessions") == [("W-1",)]
    sets = [n for (n,) in db_rows(env, "SELECT number FROM sets ORDER BY number")]
    assert sets == list(range(1, before + after + 1)), (case, sets)
