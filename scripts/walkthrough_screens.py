"""Capture a tmux walkthrough of a standard and a ketamine-assisted session (issue 12).

Runs the real app (this checkout's src) in a private tmux server at 80x24 and 120x40, sends
the keys a therapist would press, and writes every captured screen to
docs/walkthrough-screens.md.  Data and config live in a temporary folder; audio is off.

    python3 scripts/walkthrough_screens.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOCKET = f"bls-walk-{os.getpid()}"
OUT = ROOT / "docs" / "walkthrough-screens.md"


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], check=True, capture_output=True, text=True
    ).stdout


def capture() -> str:
    return tmux("capture-pane", "-p").rstrip("\n")


def wait_for(pattern: str, timeout: float = 15.0) -> str:
    end = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < end:
        screen = capture()
        if re.search(pattern, screen):
            return screen
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {pattern!r}; screen:\n{screen}")


def send(*keys: str, pause: float = 0.6) -> None:
    tmux("send-keys", *keys)
    time.sleep(pause)


def start(size: tuple[int, int], args: list[str], env: dict[str, str]) -> None:
    cmd = " ".join([f"{k}={v}" for k, v in env.items()] + [sys.executable, "-m", "bls_tui", *args])
    tmux("new-session", "-d", "-x", str(size[0]), "-y", str(size[1]), cmd + "; sleep 600")


def walkthrough(size: tuple[int, int], env: dict[str, str]) -> list[tuple[str, str]]:
    shots: list[tuple[str, str]] = []

    def shot(title: str, pattern: str) -> None:
        shots.append((title, wait_for(pattern)))

    client = f"W-{size[0]}"
    start(size, ["session", "--client", client, "--audio", "none", "--preset", "fast"], env)
    shot("Standard session, phase 1", r"session \d+")
    send("?")
    shot("Help (standard session: no ketamine keys)", r"esc or \? closes")
    send("Escape")
    send("n")
    send("n")
    shot("Phase 3: the assessment form opens by itself (questions whole)", r"Assessment")
    send("e", "I", "m", "a", "g", "e")
    shot("`e` pressed out of habit is not typed into the Image field", r"Image")
    send("Escape")
    send("n")
    send("Space", pause=0.3)
    shot("A set running (footer: only keys that act now)", r"RUNNING|set 1 running")
    shot("After the set: the between-set prompt", r"After set 1")
    send("c", "a", "l", "m", "Enter")
    shot("The note saved, in words", r"note saved after set 1")
    send("r")
    send("Tab", "1", "1", "BSpace", "BSpace", "4", "Enter", pause=1.0)
    shot("Back to target: 11, BackSpace, BackSpace, 4 in one burst saves SUD 4", r"SUD 4 recorded")
    send("q")
    shot("Quit asks first", r"Quit now\?")
    send("y", pause=1.5)
    tmux("kill-server")
    time.sleep(0.5)
    start(
        size, ["session", "--client", f"K-{size[0]}", "--kind", "ketamine", "--audio", "none"], env
    )
    shot("Ketamine-assisted session: the dosing form", r"dosing record")
    time.sleep(1.0)  # the form takes focus once it is drawn
    tmux("send-keys", "-l", "50")
    send("C-s")
    shot("Saving without a route says why, beside the route", r"choose the route")
    send("Enter")
    send("C-s", pause=1.0)
    shot("Dose saved: the medicine clock in the header; k and o in the footer", r"T\+0:0")
    send("k")
    shot("Check-in form (every value optional)", r"Check-in")
    tmux("send-keys", "-l", "152/96")
    send("Enter")
    tmux("send-keys", "-l", "88")
    send("Enter")
    tmux("send-keys", "-l", "97")
    send("C-s", pause=1.0)
    shot("Check-in saved: a value outside the thresholds is named", r"Outside your thresholds")
    send("o")
    shot("Observation sign-off asks first", r"ready to leave")
    send("y", pause=1.0)
    shot("Observation confirmed and recorded", r"observation confirmed")
    send("q")
    send("y", pause=1.5)
    tmux("kill-server")
    time.sleep(0.5)
    start(size, [], env)
    shot("Start screen: recent sessions, dates in words", r"Recent sessions")
    tmux("kill-server")
    time.sleep(0.5)
    return shots


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bls-walk-"))
    env = {
        "BLS_DATA_DIR": str(tmp / "data"),
        "BLS_CONFIG_DIR": str(tmp / "config"),
        "PYTHONPATH": str(ROOT / "src"),
    }
    presets = tmp / "config" / "presets"
    presets.mkdir(parents=True)
    (presets / "fast.toml").write_text('inherits = "standard"\nspeed_hz = 2.0\ncycles = 2\n')
    lines = [
        "# Walkthrough: what a therapist sees at 80x24 and 120x40",
        "",
        "Captured with `python3 scripts/walkthrough_screens.py`: the real app in a private tmux",
        "server (`tmux capture-pane -p`), audio off, data in a temporary folder. A `fast` preset",
        "(2.0 Hz x 2 cycles) keeps the sets short; the sessions otherwise start from their",
        "phases' presets. Colour is not captured: the footer's keys are amber in the app.",
        "",
    ]
    for size in ((80, 24), (120, 40)):
        lines += [f"## {size[0]}x{size[1]}", ""]
        for title, screen in walkthrough(size, env):
            lines += [f"### {title}", "", "```", screen, "```", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    try:
        main()
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
