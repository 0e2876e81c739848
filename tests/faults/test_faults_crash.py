"""An unexpected error in the TUI: one line, terminal restored, nothing clinical shown, nothing
recorded lost, exit status 1.  And validation problems are inline messages, never crashes.

The crash case runs the real program in a real terminal (tmux) with one function replaced so
that it raises once a flag file appears (a stand-in for any bug); the error's text holds a
"clinical" phrase that must not reach the screen.  A note is half-typed in the note bar when
it happens.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
import time
from pathlib import Path

import pytest
from textual.widgets import Input

import real_app
from bls_tui.config.presets import Preset
from bls_tui.services.record_writer import emergency_name
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import make_app
from real_app import TmuxApp, bls_env, db_rows, write_fast_preset

SECRET = "client disclosed the secret"
CRASHER = r"""
import os, sys
from pathlib import Path
from bls_tui.ui.screens import session as screen_mod

original = screen_mod.SessionScreen.clock_tick


def clock_tick(self):
    if Path(os.environ["CRASH_FLAG"]).exists():
        secret = "client disclosed the secret"  # a local the old handler would have shown
        raise RuntimeError(f"bug while showing: {secret}")
    original(self)


screen_mod.SessionScreen.clock_tick = clock_tick
sys.argv = ["bls", *sys.argv[1:]]
from bls_tui.cli import main
main()
"""


@pytest.mark.slow
def test_a_crash_shows_one_line_keeps_records_and_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = bls_env(tmp_path)
    flag = tmp_path / "crash-now"
    env["CRASH_FLAG"] = str(flag)
    fast = write_fast_preset(env)
    monkeypatch.setattr(real_app, "bls_argv", lambda *a: [real_app.sys.executable, "-c",
                                                          CRASHER, *a])  # fmt: skip
    args = ["session", "--client", "K-9", "--preset", fast, "--audio", "none"]
    app = TmuxApp(tmp_path / "tmux", env, args)
    try:
        app.wait_for(r"session 1 ")
        app.send("Space")
        app.wait_for(r"set 1 done")
        app.send("\\;")
        app.wait_for(r"note \(enter saves")
        app.type("half-typed when it broke")
        time.sleep(0.3)
        flag.touch()
        status = app.wait_exit(timeout=20)
        screen = app.screen()
        modes = app.tty_modes()
    finally:
        app.close()
    assert status == 1, screen
    errors = [x for x in screen.splitlines() if x.startswith("bls: error:")]
    assert errors and "unexpected error (RuntimeError)" in " ".join(screen.split()), screen
    assert "Traceback" not in screen and "secret" not in screen, screen
    assert "icanon" in modes and "-icanon" not in modes and " echo " in modes
    # details in a private log, without local variables
    logs = list((Path(env["BLS_DATA_DIR"]) / "logs").glob("crash-*.log"))
    assert len(logs) == 1
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    assert "RuntimeError" in logs[0].read_text()
    # what was recorded is kept; the session is interrupted; the half-typed note is kept
    assert db_rows(env, "SELECT number FROM sets") == [(1,)]
    assert db_rows(env, "SELECT status FROM sessions") == [("interrupted",)]
    assert ("half-typed when it broke",) in db_rows(env, "SELECT text FROM notes")
    folder = Path(env["TMPDIR"]) / f"bls-tui-emergency-{os.getuid()}"
    db = Path(env["BLS_DATA_DIR"]) / "sessions.db"
    copy = folder / emergency_name(db, 1)  # named for this database, not only the session ID
    records = [json.loads(x) for x in copy.read_text().splitlines()]
    assert any(r["record"] == "unsaved_note" and r["text"] == "half-typed when it broke"
               for r in records)  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["x" * 100_000, "word " * 2_001 * 2, "\u202e" * 10_001],
    ids=["100 kB pasted", "two pages", "10,001 bidi marks"],
)
def test_an_oversized_note_is_an_inline_message_not_a_crash(text: str) -> None:
    clock = FakeClock()
    app = make_app(
        RunOptions(preset=Preset(speed_hz=2.0, cycles=1)),
        clock,
        mode="session",
        session=SessionStart("N-1", preset="standard"),
    )

    async def drive() -> dict[str, object]:
        async with app.run_test(headless=True, size=(110, 35)) as pilot:
            await pilot.pause(0.1)
            await pilot.press("semicolon")
            await pilot.pause(0.05)
            bar = app.screen.query_one("#notebar", Input)
            bar.value = text
            await pilot.press("enter")
            await pilot.pause(0.1)
            message = str(app.screen.query_one("#message").render())
            still_open = bool(app.screen.query("#notebar"))
            kept = app.screen.query_one("#notebar", Input).value if still_open else ""
            await pilot.press("escape")
            await pilot.pause(0.05)
            return {"message": message, "open": still_open, "kept": kept,
                    "running": app.is_running}  # fmt: skip

    out = asyncio.run(drive())
    assert out["running"] is True
    assert "characters long" in str(out["message"]) and "at most" in str(out["message"])
    assert out["open"] and out["kept"] == text  # nothing typed is thrown away
