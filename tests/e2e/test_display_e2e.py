"""End to end: `bls run` and `bls display` in two panes of one private tmux server."""

from __future__ import annotations

import math
import os
import re
import shlex
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest

from bls_tui.stimulus.trace import read_trace
from real_app import TmuxApp, alive, bls_argv, bls_env

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


class Pane:
    """A second pane (the client display) beside the main app's pane."""

    def __init__(self, main: TmuxApp, args: list[str]) -> None:
        self.main = main
        argv = " ".join(shlex.quote(a) for a in bls_argv(*args))
        self.id = main._tmux(
            "split-window", "-d", "-h", "-l", "44", "-P", "-F", "#{pane_id}", "-t", "app",
            "sh", "-c", f"{argv}; echo DISPLAY-EXIT=$?; exec sleep 600",
        ).strip()  # fmt: skip
        shell = int(main._tmux("display-message", "-p", "-t", self.id, "#{pane_pid}"))
        kids = Path(f"/proc/{shell}/task/{shell}/children")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not kids.read_text().split():
            time.sleep(0.01)
        self.pid = int(kids.read_text().split()[0])

    def screen(self) -> str:
        return self.main._tmux("capture-pane", "-p", "-t", self.id)

    def wait_for(self, pattern: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if re.search(pattern, shown):
                return shown
            time.sleep(0.05)
        raise AssertionError(f"display pane never showed {pattern!r}; it shows:\n{shown}")

    def kill(self) -> None:
        self.main._tmux("kill-pane", "-t", self.id, check=False)


@pytest.mark.slow
def test_main_and_display_in_two_panes(tmp_path: Path) -> None:
    run = Path(tempfile.mkdtemp(prefix="bls15-", dir="/tmp")) / "run"
    env = bls_env(tmp_path / "e2e", BLS_RUNTIME_DIR=str(run))
    main_trace, disp_trace = tmp_path / "main.jsonl", tmp_path / "disp.jsonl"
    main = TmuxApp(
        tmp_path / "e2e", env,
        ["run", "--audio", "none", "--speed", "1.0", "--cycles", "8", "--fresh",
         "--trace", str(main_trace)],
        size=(130, 30),
    )  # fmt: skip
    try:
        main.wait_for(r"client display: not attached")
        display = Pane(main, ["display", "--trace", str(disp_trace)])
        display.wait_for(r"waiting for", timeout=30)
        main.wait_for(r"client display: live \(1\)")

        main.send("Space")
        display.wait_for(r"█")
        time.sleep(0.3)
        assert "waiting" not in display.screen()  # no text while a set runs
        time.sleep(1.2)
        main.send("s")
        main.wait_for(r"STOP signal")
        display.wait_for(r"waiting")

        # kill -9 the display mid-set: the main app goes on, the set ends on time
        main.send("Space")
        display.wait_for(r"█")
        time.sleep(0.5)
        os.kill(display.pid, signal.SIGKILL)
        main.wait_for(r"client display: not attached", timeout=10)
        main.wait_for(r"set 2 done", timeout=30)
        display.kill()

        # restart: it reattaches (the main app's socket is still there)
        again = Pane(main, ["display", "--once"])
        again.wait_for(r"waiting", timeout=30)
        main.wait_for(r"client display: live \(1\)", timeout=5)
        main.send("q")
        assert main.wait_exit() == 0
        again.wait_for(r"DISPLAY-EXIT=0")  # --once: leaves when the main app closes
        assert "Traceback" not in main.screen() + again.screen()
    finally:
        main.close()
        shutil.rmtree(run.parent, ignore_errors=True)

    events = read_trace(main_trace)
    start = next(e["t"] for e in events if e["event"] == "set_start")
    stop = next(e["t"] for e in events if e["event"] == "stop")
    frames = [e for e in read_trace(disp_trace) if e["event"] == "frame" and e["set"] == 1]
    moving = [f for f in frames if start <= f["t"] < stop]
    assert len(moving) > 10
    worst = max(abs(f["x"] - (1 - math.cos(2 * math.pi * (f["t"] - start))) / 2) for f in moving)
    assert worst <= 1 / 200
    halted = [f for f in frames if f["t"] >= stop]
    assert halted, "the display drew no frame after the stop"
    ideal_stop_x = (1 - math.cos(2 * math.pi * (stop - start))) / 2
    assert halted[-1]["x"] == pytest.approx(ideal_stop_x, abs=1e-4)
    assert not alive(main.pid)
