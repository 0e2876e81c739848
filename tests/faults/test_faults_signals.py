"""SIGTERM, SIGHUP and SIGINT in every screen of the real program, in a real terminal (tmux).

For each screen the three signals go to three copies started side by side.  Each must: end
without a traceback, leave the terminal as it found it (normal screen, cursor shown, mouse
reporting off, canonical mode and echo back on: the shell's ``stty -a`` after the program
says so), and, in a session, keep every finished set on disk and mark the session
interrupted (with the signal's name) so that it can be resumed.  Closing the terminal itself
(the window or the SSH connection: SIGHUP, then a dead tty) is tested separately.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from real_app import TmuxApp, alive, bls_env, db_rows, integrity, run_bls, write_fast_preset

SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


@dataclass
class Screen:
    """How to bring the real program to one screen."""

    args: list[str]
    ready: str
    """Regex the pane shows once the program is ready for keys."""
    steps: Callable[[TmuxApp], None] | None = None
    session: bool = False
    finished_sets: int = 0


def _two_sets(app: TmuxApp) -> None:
    """One finished set, then a long one left running."""
    app.send("Space")
    app.wait_for("set 1 done")
    app.send("Right", "Right", "Right", "Right", "Right", "Space")
    app.wait_for("set 2 running")


def _assessment_form(app: TmuxApp) -> None:
    app.send("Space")
    app.wait_for("set 1 done")
    app.send("n")
    app.wait_for(r"phase 2")
    app.send("n")
    app.wait_for(r"(?i)negative cognition|image")


def _running_set(app: TmuxApp) -> None:
    app.send("Space")
    app.wait_for("set 1 running")


def _help(app: TmuxApp) -> None:
    app.send("?")
    app.wait_for(r"(?i)stop signal|keys")


RUN = ["run", "--audio", "none"]
SESSION = ["session", "--client", "S-1", "--preset", "fast"]
SCREENS = {
    "start": Screen([], r"(?i)quick bls run"),
    "new-session-form": Screen(["session"], r"(?i)client code"),
    "stim-idle": Screen(["run", "--audio", "none"], "space starts a set"),
    "stim-running": Screen([*RUN, "--cycles", "50"], "space starts", _running_set),
    "help": Screen(["run", "--audio", "none"], "space starts a set", _help),
    "session-between-sets": Screen(SESSION, r"session \d+", None, True, 0),
    "session-mid-set": Screen(SESSION, r"session \d+", _two_sets, True, 1),
    "session-form": Screen(SESSION, r"session \d+", _assessment_form, True, 1),
}


def start(base: Path, screen: Screen) -> TmuxApp:
    env = bls_env(base)
    write_fast_preset(env, speed_hz=0.5, cycles=1)  # 2 s sets
    return TmuxApp(base, env, screen.args, size=(110, 35))


def check_terminal_restored(app: TmuxApp, what: str) -> None:
    shown = app.screen()
    assert "Traceback" not in shown, f"{what}:\n{shown}"
    state = app.terminal_state()
    assert state["alternate_on"] == "0", (what, state)
    assert state["cursor_flag"] == "1", (what, state)
    for flag in ("mouse_any_flag", "mouse_all_flag", "mouse_button_flag", "mouse_sgr_flag"):
        assert state[flag] == "0", (what, state)
    modes = app.tty_modes()
    assert re.search(r"(?<!-)\bicanon\b", modes) and re.search(r"(?<![-\w])echo\b", modes), (
        f"{what}: terminal left in raw mode:\n{modes}"
    )


def check_session_kept(app: TmuxApp, screen: Screen, reason: str, what: str) -> None:
    env = app.env
    assert integrity(Path(env["BLS_DATA_DIR"]) / "sessions.db") == "ok", what
    sessions = db_rows(env, "SELECT id, status FROM sessions")
    assert sessions == [(1, "interrupted")], (what, sessions)
    sets = db_rows(env, "SELECT number, stopped_early FROM sets ORDER BY number")
    finished = [n for n, stopped in sets if not stopped]
    assert len(finished) >= screen.finished_sets, (what, sets)
    events = db_rows(env, "SELECT detail FROM events WHERE kind = 'interrupted'")
    assert events and reason in events[-1][0], (what, events)
    listed = run_bls(env, "sessions", "list")
    assert listed.returncode == 0 and "interrupted" in listed.stdout, (what, listed)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SCREENS))
def test_signals_restore_terminal_and_keep_session(name: str, tmp_path: Path) -> None:
    screen = SCREENS[name]
    apps = {sig: start(tmp_path / sig.name, screen) for sig in SIGNALS}
    try:
        for sig, app in apps.items():
            app.wait_for(screen.ready)
            if screen.steps is not None:
                screen.steps(app)
            app.signal(sig)
        for sig, app in apps.items():
            what = f"{name} / {sig.name}"
            code = app.wait_exit()
            assert code is not None, what
            check_terminal_restored(app, what)
            if screen.session:
                check_session_kept(app, screen, sig.name, what)
    finally:
        for app in apps.values():
            app.close()


@pytest.mark.slow
def test_closing_the_terminal_keeps_the_session_resumable(tmp_path: Path) -> None:
    """The window or SSH connection goes away mid-set: SIGHUP and a dead tty."""
    screen = SCREENS["session-mid-set"]
    app = start(tmp_path, screen)
    try:
        app.wait_for(screen.ready)
        _two_sets(app)
        app.close_terminal()
        deadline = time.monotonic() + 15
        while alive(app.pid):
            assert time.monotonic() < deadline, "bls kept running without a tty"
            time.sleep(0.05)
        check_session_kept(app, screen, "SIGHUP", "terminal closed")
        again = ["session", "--resume", "--preset", "fast"]
        resumed = TmuxApp(tmp_path / "again", app.env, again, size=(110, 35))
        try:
            resumed.wait_for(r"session 1\b")
            resumed.send("Space")
            resumed.wait_for(r"set \d+ done")
            resumed.signal(signal.SIGTERM)
            resumed.wait_exit()
        finally:
            resumed.close()
        numbers = [n for (n,) in db_rows(app.env, "SELECT number FROM sets ORDER BY number")]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3, numbers
    finally:
        app.close()
