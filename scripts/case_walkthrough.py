"""Capture a client's course over five days in tmux (issue 16): plan, sessions, measures, a dose.

Runs the real app (this checkout's src) in a private tmux server at 80x24 with the wall clock
moved to five days by libfaketime (the monotonic clock, which drives the dot and the tones,
is left alone: FAKETIME_DONT_FAKE_MONOTONIC=1).  Data and config live in a temporary folder;
audio is off.  Writes every captured screen to docs/case-walkthrough.md.

    apt-get install faketime   # once
    python3 scripts/case_walkthrough.py

Day 1: the plan's past target, PCL-5, assessment and two sets (incomplete, contained).
Day 2: reevaluation, the target completed (SUD 0, VOC 7, clear body scan); a present
trigger and a future template added.  Day 3: PCL-5 again, a session on the present trigger,
a future-template session with its run-through; the case view, the case export and a SOAP
note of the last session.  Days 4 and 5 (scripts/case_walkthrough_ketamine.py): a
ketamine-assisted session with its dosing record, then an integration session linked to
that dose the next day, the Doses tab and its SOAP note.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOCKET = f"bls-case-{os.getpid()}"
OUT = ROOT / "docs" / "case-walkthrough.md"
SIZE = (80, 24)
CLIENT = "K-7"


class Walk:
    def __init__(self, tmp: Path) -> None:
        self.env = {
            "BLS_DATA_DIR": str(tmp / "data"),
            "BLS_CONFIG_DIR": str(tmp / "config"),
            "PYTHONPATH": str(ROOT / "src"),
            "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        }
        self.day = ""
        self.shots: list[tuple[str, str]] = []

    # -- plumbing ------------------------------------------------------------------------
    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", SOCKET, "-f", "/dev/null", *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def capture(self) -> str:
        return self.tmux("capture-pane", "-p").rstrip("\n")

    def wait_for(self, pattern: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.capture()
            if re.search(pattern, screen):
                return screen
            time.sleep(0.2)
        raise SystemExit(f"timed out waiting for {pattern!r}; screen:\n{screen}")

    def send(self, *keys: str, pause: float = 0.5) -> None:
        self.tmux("send-keys", *keys)
        time.sleep(pause)

    def type(self, text: str, *, enter: bool = True) -> None:
        self.tmux("send-keys", "-l", text)
        time.sleep(0.3)
        if enter:
            self.send("Enter", pause=0.5)

    def shot(self, title: str, pattern: str) -> None:
        self.shots.append((f"{self.day}: {title}", self.wait_for(pattern)))

    def faked(self, when: str, args: list[str]) -> list[str]:
        return ["faketime", "-f", f"@{when}", sys.executable, "-m", "bls_tui", *args]

    def start(self, when: str, args: list[str]) -> None:
        env = " ".join(f"{k}={v}" for k, v in self.env.items())
        cmd = env + " " + " ".join(f"'{a}'" for a in self.faked(when, args))
        self.tmux("new-session", "-d", "-x", str(SIZE[0]), "-y", str(SIZE[1]), cmd + "; sleep 600")
        time.sleep(1.0)

    def stop(self) -> None:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
        time.sleep(0.5)

    def shell(self, when: str, args: list[str]) -> None:
        """A command from the shell, its output kept as a shot."""
        env = {**os.environ, **self.env}
        done = subprocess.run(self.faked(when, args), env=env, capture_output=True, text=True)
        out = (done.stdout + done.stderr).rstrip("\n")
        self.shots.append((f"{self.day}: `bls {' '.join(args)}`", out))
        if done.returncode:
            raise SystemExit(f"bls {' '.join(args)} failed:\n{out}")

    # -- steps ---------------------------------------------------------------------------
    def pcl5(self, answers: str) -> None:
        self.send("m")
        self.wait_for(r"Outcome measure")
        self.send("Enter")
        self.wait_for(r"Item 1 of 20")
        for digit in answers:
            self.send(digit, pause=0.05)
        self.shot("PCL-5 answered item by item: total and cluster sums", r"Total \d+ \(of 0-80\)")
        self.send("Enter", pause=1.0)

    def goto(self, phase: str) -> None:
        self.send("g")
        self.wait_for(r"Go to phase")
        time.sleep(0.5)
        self.type(phase)
        time.sleep(0.5)

    def short_sets(self) -> None:
        for _ in range(11):
            self.send("Left", pause=0.08)

    def run_set(self, number: int, note: str) -> None:
        self.send("Space")
        self.wait_for(rf"After set {number}")
        time.sleep(0.5)
        self.type(note)
        self.wait_for(rf"note saved after set {number}")
        time.sleep(0.5)

    def back_to_target(self, sud: str) -> None:
        self.send("r")
        self.wait_for(r"Back to target")
        self.send("Tab", pause=0.2)
        self.type(sud)
        self.wait_for(rf"SUD {sud} recorded")

    def end_session(self, *, contained: bool) -> None:
        self.send("x")
        self.shot("Closure, prefilled from the data", r"Was the processing complete\?")
        self.send("C-s", pause=1.0)
        if contained:
            self.wait_for(r"Incomplete session: containment")
            self.send("x")
            self.wait_for(r"confirm it is done")
            self.send("C-s", pause=1.0)
        self.shot("The session's summary", r"Session \d+ · client")
        self.send("q", pause=1.0)

    # -- the three days ------------------------------------------------------------------
    def day1(self) -> None:
        self.day = "Day 1 (Mon 2 Nov)"
        self.shell(
            "2026-11-02 09:55:00",
            [
                "targets",
                "add",
                CLIENT,
                "car crash",
                "--prong",
                "past",
                "--nc",
                "I am going to die",
                "--pc",
                "I survived, it is over",
            ],
        )
        self.start("2026-11-02 10:00:00", ["client", CLIENT])
        self.shot("The case view: the plan", r"Client K-7")
        self.pcl5("33232332322323232322")
        self.send("3")
        self.shot("Measures tab", r"PCL-5")
        self.send("1")
        self.send("s")
        self.wait_for(r"New session")
        self.send("C-s", pause=1.5)
        self.shot("The session, on the plan's target", r"target: car")
        self.send("n")
        self.send("n", pause=1.0)
        self.shot("Phase 3 starts from the plan's beliefs", r"Assessment \(phase 3\)")
        time.sleep(1.0)  # keys typed ahead as the form opens by itself are not taken
        self.type("windscreen breaking")
        self.send("Enter", pause=0.2)  # negative belief: from the plan
        self.send("Enter", pause=0.2)  # preferred belief: from the plan
        for text in ("2", "fear", "8", "chest"):
            self.type(text)
        self.wait_for(r"assessment saved")
        self.send("n", pause=1.0)
        self.short_sets()
        self.run_set(1, "shaking hands")
        self.run_set(2, "the noise, then calmer")
        self.back_to_target("4")
        self.end_session(contained=True)
        self.send("2")
        self.shot("Back in the case view: the session in the list", r"1 session ")
        self.stop()

    def day2(self) -> None:
        self.day = "Day 2 (Tue 3 Nov)"
        self.start("2026-11-03 10:00:00", ["client", CLIENT])
        self.wait_for(r"Client K-7")
        self.send("s")
        self.wait_for(r"New session")
        self.send("C-s", pause=1.5)
        self.shot("A returning client starts at phase 8: the plan", r"Reevaluation: the target")
        self.send("Escape")
        self.goto("4")
        self.short_sets()
        self.run_set(1, "it feels further away")
        self.back_to_target("0")
        self.send("n", pause=1.0)
        self.short_sets()
        self.send("Space")
        self.wait_for(r"Installation, after set")
        self.type("7")
        self.send("Enter", pause=0.5)
        self.send("n", pause=1.0)
        self.send("e")
        self.wait_for(r"Body scan")
        time.sleep(0.8)  # the form puts the cursor in its text field once drawn
        self.send("BTab", pause=0.2)  # to the outcome choices
        self.send("Space", pause=0.3)  # the first outcome: clear
        self.send("C-s", pause=0.8)
        self.wait_for(r"body scan: clear recorded")
        self.end_session(contained=False)
        self.send("1")
        self.send("r")
        self.wait_for(r"Reevaluate target")
        self.send("Right", "Right", pause=0.2)  # planned -> in progress -> completed
        self.send("Space", pause=0.2)
        self.send("C-s", pause=1.0)
        self.shot("The target completed: SUD 0, VOC 7, body scan clear", r"completed")
        self.stop()
        self.shell(
            "2026-11-03 11:00:00",
            [
                "targets",
                "add",
                CLIENT,
                "horns in traffic",
                "--prong",
                "present",
                "--touchstone",
                "1",
                "--nc",
                "I am in danger",
                "--pc",
                "I am safe now",
            ],
        )
        self.shell(
            "2026-11-03 11:01:00",
            [
                "targets",
                "add",
                CLIENT,
                "driving to work",
                "--prong",
                "future",
                "--pc",
                "I can drive calmly",
            ],
        )

    def day3(self) -> None:
        self.day = "Day 3 (Wed 4 Nov)"
        self.start("2026-11-04 10:00:00", ["client", CLIENT])
        self.wait_for(r"Client K-7")
        self.pcl5("21121121111211111110")
        for row, label in ((1, "horns"), (2, "driving")):
            self.send("1")
            for _ in range(row):
                self.send("Down", pause=0.2)
            self.send("s")
            self.wait_for(rf"New session[\s\S]*{label}")
            self.send("C-s", pause=1.5)
            self.wait_for(r"Reevaluation: the target")
            self.send("Escape")
            self.goto("3")
            future = label == "driving"
            title = "future template" if future else "Assessment \\(phase 3\\)"
            self.shot(
                f"Phase 3 for the {'future template' if future else 'present trigger'}", title
            )
            time.sleep(1.0)
            if future:  # situation, preferred belief (from the plan), VOC
                self.type("pulling out of the drive")
                self.send("Enter", pause=0.2)
                self.type("4")
            else:  # image, NC and PC (from the plan), VOC, feelings, SUD
                self.type("a horn behind me")
                self.send("Enter", pause=0.2)
                self.send("Enter", pause=0.2)
                self.type("3")
                self.type("startle")
                self.type("6")
            self.send("C-s", pause=0.5)
            self.wait_for(r"assessment saved")
            time.sleep(0.5)
            if future:
                self.goto("5")
                self.short_sets()
                self.send("Space")
                self.shot(
                    "Future template: belief with the situation, then the run-through",
                    r"Future template, after set",
                )
                self.type("6", enter=False)
                self.send("Tab", pause=0.2)
                self.send("Space", pause=0.2)  # the run-through tick box
                self.send("C-s", pause=1.0)
                self.wait_for(r"run-through recorded")
                self.end_session(contained=True)  # VOC 6: incomplete, contained
            else:
                self.goto("4")
                self.short_sets()
                self.run_set(1, "startled, then it passed")
                self.back_to_target("2")
                self.end_session(contained=True)
        self.send("1")
        self.shot("The plan after three days", r"driving")
        self.send("2")
        self.shot("The sessions", r"4 sessions")
        self.send("3")
        self.shot("The measures: PCL-5 at sessions 1 and 3", r"PCL-5")
        self.send("x", pause=1.0)
        self.shot("The case exported", r"case exported")
        self.stop()
        self.shell("2026-11-04 12:00:00", ["client", CLIENT, "--text"])
        self.shell(
            "2026-11-04 12:01:00", ["sessions", "export", "4", "--format", "soap", "-o", "-"]
        )


def main() -> None:
    if shutil.which("faketime") is None:
        raise SystemExit("needs libfaketime: apt-get install faketime")
    from case_walkthrough_ketamine import day4, day5  # beside this file (sys.path[0])

    tmp = Path(tempfile.mkdtemp(prefix="bls-case-"))
    walk = Walk(tmp)
    try:
        walk.day1()
        walk.day2()
        walk.day3()
        day4(walk)
        day5(walk)
    finally:
        walk.stop()
    lines = [
        "# Walkthrough: one client over five days (issue 16)",
        "",
        "Captured with `python3 scripts/case_walkthrough.py`: the real app in a private tmux",
        "server at 80x24 (`tmux capture-pane -p`), audio off, data in a temporary folder, the",
        "wall clock moved to each day by libfaketime (the monotonic clock that drives the dot is",
        "left alone). Sets are shortened with `←` to keep the run short. Colour is not captured,",
        "so a chosen radio button looks like the others.",
        "",
        "Days 4 and 5 are the ketamine-assisted part of a course: a session with its dosing",
        "record, then an integration session the next day linked to that dose. The amount typed",
        "into the dosing record is a placeholder for the capture, not a suggestion (the app",
        "suggests none). The capture compresses the medicine session into a few minutes: the",
        "check-in and the confirmation that the client is ready to leave (`o`) follow the set",
        "at once, where in practice they come at the clinic's times and when observation is done.",
        "",
    ]
    for title, screen in walk.shots:
        lines += [f"## {title}", "", "```text", screen, "```", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT} ({len(walk.shots)} screens)")


if __name__ == "__main__":
    main()
