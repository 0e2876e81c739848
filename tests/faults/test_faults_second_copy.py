"""Two copies of the real program against the same data folder at the same time."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from real_app import TmuxApp, bls_env, db_rows, integrity, run_bls, write_fast_preset


@pytest.mark.slow
def test_two_copies_record_side_by_side_and_a_live_session_is_protected(tmp_path: Path) -> None:
    env = bls_env(tmp_path / "shared")
    write_fast_preset(env, speed_hz=2.0, cycles=1)
    first = TmuxApp(tmp_path / "a", env, ["session", "--client", "S-1", "--preset", "fast"])
    second = TmuxApp(tmp_path / "b", env, ["session", "--client", "S-2", "--preset", "fast"])
    apps = [first, second]
    try:
        for app in apps:
            app.wait_for(r"session \d+")
        for n in range(1, 6):  # sets in both copies, interleaved
            for app in apps:
                app.send("Space")
            for app in apps:
                app.wait_for(f"set {n} done")
        # a third copy tries to take over the session the first one is recording
        third = TmuxApp(tmp_path / "c", env, ["session", "--resume-id", "1"])
        apps.append(third)
        shown = third.wait_for(r"session 1 is active")
        assert "bls: error:" in shown and "Traceback" not in shown
        assert third.wait_exit() == 1
        # deleting a session that is being recorded is refused with one line
        res = run_bls(env, "sessions", "delete", "1", "--yes")
        assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1, res
        assert "Traceback" not in res.stderr
        for app in (first, second):
            app.signal(signal.SIGTERM)
            app.wait_exit()
    finally:
        for app in apps:
            app.close()
    assert integrity(Path(env["BLS_DATA_DIR"]) / "sessions.db") == "ok"
    sessions = db_rows(env, "SELECT id, client_code, status FROM sessions ORDER BY client_code")
    assert [(c, s) for _, c, s in sessions] == [("S-1", "interrupted"), ("S-2", "interrupted")]
    for sid, _, _ in sessions:
        numbers = [n for (n,) in db_rows(env, "SELECT number FROM sets WHERE session_id = ?",
                                         (sid,))]  # fmt: skip
        assert sorted(numbers) == [1, 2, 3, 4, 5], (sid, numbers)


@pytest.mark.slow
def test_resuming_a_session_another_copy_records_is_refused_in_one_line(tmp_path: Path) -> None:
    """`bls session --resume-id N` while another bls records N: one line, exit 1, no TUI."""
    env = bls_env(tmp_path / "shared")
    first = TmuxApp(tmp_path / "a", env, ["session", "--client", "S-1"])
    try:
        first.wait_for(r"session \d+")
        second = TmuxApp(tmp_path / "b", env, ["session", "--resume-id", "1"])
        try:
            code = second.wait_exit(timeout=8)
            shown = second.screen()
        finally:
            second.close()
        first.signal(signal.SIGTERM)
        first.wait_exit()
    finally:
        first.close()
    assert code == 1, shown
    errors = [line for line in shown.splitlines() if line.startswith("bls: error:")]
    assert len(errors) == 1 and "session 1" in errors[0], shown
