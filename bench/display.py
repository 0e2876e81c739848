"""Client display (`bls display`) figures: lockstep, stop-to-halt, CPU, kill -9 and reattach.

Usage: ``python bench/display.py [--seconds 60] [--kills 20]`` (about 2.5 minutes).  Runs the
code of this checkout (``python -m bls_tui`` with ``src`` on ``PYTHONPATH``) in panes of one
private tmux server (own socket, ``-f /dev/null``); config, data and the display socket live
in a temporary folder.  What each figure means: ``bench/README.md``, "Client display".
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import shlex
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, Row, cpu_seconds, percentile, period_from_minima, print_table, verdict

sys.path.insert(0, str(REPO / "src"))
from bls_tui.stimulus.trace import read_trace

HZ = 1.0
FRAME_S = 1 / 60
TOL_X = 1 / 200
BASELINE_S = 8.0


class Panes:
    """A private tmux server whose panes run commands; panes addressed by id."""

    def __init__(self, env: dict[str, str], width: int = 160, height: int = 40) -> None:
        self.env = env
        self.sock = f"blsbench15-{os.getpid()}"
        self.tmux("new-session", "-d", "-s", "b", "-x", str(width), "-y", str(height), "sleep 3600")
        self.first = self.tmux("display-message", "-p", "-t", "b", "#{pane_id}").strip()

    def tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null", *args], env=self.env,
                             capture_output=True, text=True, check=True)  # fmt: skip
        return out.stdout

    def bls(self, args: list[str]) -> str:
        words = [sys.executable, "-m", "bls_tui", *args]
        return "exec " + " ".join(shlex.quote(w) for w in words)

    def run_in(self, pane: str, args: list[str]) -> float:
        t0 = time.monotonic()
        self.tmux("respawn-pane", "-k", "-t", pane, self.bls(args))
        return t0

    def split(self, args: list[str], width: int, nice: bool = False) -> tuple[str, float]:
        t0 = time.monotonic()
        command = self.bls(args)
        if nice:  # its start-up (Python + Textual) must not starve the main app of CPU
            command = command.replace("exec ", "exec nice -n 19 ", 1)
        pane = self.tmux("split-window", "-d", "-h", "-l", str(width), "-P", "-F", "#{pane_id}",
                         "-t", self.first, command).strip()  # fmt: skip
        return pane, t0

    def window(self, args: list[str], nice: bool = False) -> tuple[str, float]:
        """A pane in a new window: starting or killing it never resizes the main pane."""
        t0 = time.monotonic()
        command = self.bls(args)
        if nice:
            command = command.replace("exec ", "exec nice -n 19 ", 1)
        pane = self.tmux("new-window", "-d", "-P", "-F", "#{pane_id}", "-t", "b", command).strip()
        return pane, t0

    def pid(self, pane: str) -> int:
        return int(self.tmux("display-message", "-p", "-t", pane, "#{pane_pid}"))

    def size(self, pane: str) -> str:
        return self.tmux(
            "display-message", "-p", "-t", pane, "#{pane_width}x#{pane_height}"
        ).strip()

    def screen(self, pane: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", pane)

    def send(self, pane: str, *keys: str) -> None:
        self.tmux("send-keys", "-t", pane, *keys)

    def wait(self, pane: str, text: str, timeout: float = 20.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen(pane):
                return time.monotonic()
            time.sleep(0.02)
        raise RuntimeError(f"pane {pane} never showed {text!r}:\n{self.screen(pane)}")

    def kill_pane(self, pane: str) -> None:
        subprocess.run(["tmux", "-L", self.sock, "kill-pane", "-t", pane], env=self.env,
                       capture_output=True, check=False)  # fmt: skip

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], env=self.env,
                       capture_output=True, check=False)  # fmt: skip


def ideal_x(t: float) -> float:
    return (1 - math.cos(2 * math.pi * HZ * t)) / 2


def frames(events: list[dict[str, Any]], number: int) -> list[tuple[float, float]]:
    return [(e["t"], e["x"]) for e in events if e["event"] == "frame" and e.get("set") == number]


def first_at_or_after(fr: list[tuple[float, float]], t: float) -> float | None:
    return next((ft for ft, _ in fr if ft >= t - 1e-9), None)


def gaps_ms(fr: list[tuple[float, float]]) -> list[float]:
    return [(b[0] - a[0]) * 1e3 for a, b in itertools.pairwise(fr)]


def wait_trace(path: Path, event: str, after: float = 0.0, timeout: float = 5.0) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            for e in read_trace_tolerant(path):
                if e["event"] == event and e["t"] >= after:
                    return float(e["t"])
        time.sleep(0.01)
    return None


def read_trace_tolerant(path: Path) -> list[dict[str, Any]]:
    import json

    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:  # a line cut by kill -9
            continue
    return out


# --------------------------------------------------------------------------- lockstep
def lockstep(tmp: Path, env: dict[str, str], seconds: int, stops: int) -> list[Row]:
    panes = Panes(env)
    main_t, disp_t = tmp / "main.jsonl", tmp / "disp.jsonl"
    try:
        panes.run_in(panes.first, ["run", "--fresh", "--audio", "none", "--speed", "1.0",
                                   "--cycles", str(seconds), "--trace", str(main_t)])  # fmt: skip
        panes.wait(panes.first, "client display: not attached")
        disp, _ = panes.split(["display", "--trace", str(disp_t)], 59)
        panes.wait(panes.first, "client display: live (1)")
        sizes = f"main {panes.size(panes.first)}, display {panes.size(disp)}"
        main_pid, disp_pid = panes.pid(panes.first), panes.pid(disp)
        time.sleep(1.0)
        c0 = (cpu_seconds(main_pid), cpu_seconds(disp_pid), time.monotonic())
        panes.send(panes.first, "Space")
        time.sleep(seconds + 0.5)
        c1 = (cpu_seconds(main_pid), cpu_seconds(disp_pid), time.monotonic())
        panes.wait(panes.first, "set 1 done")
        # short sets stopped at random moments: stop signal -> the display's dot halts
        for _ in range(stops):
            panes.send(panes.first, "Space")
            time.sleep(random.uniform(0.6, 1.8))
            panes.send(panes.first, "s")
            panes.wait(panes.first, "STOP signal")
            time.sleep(0.3)
        panes.send(panes.first, "q")
        time.sleep(1.5)
    finally:
        panes.close()
    main_ev, disp_ev = read_trace(main_t), read_trace_tolerant(disp_t)
    start = next(e["t"] for e in main_ev if e["event"] == "set_start" and e["set"] == 1)
    end = next(e["t"] for e in main_ev if e["event"] == "set_end" and e["set"] == 1)
    mf = [f for f in frames(main_ev, 1) if start <= f[0] <= end]
    df = [f for f in frames(disp_ev, 1) if start <= f[0] <= end]
    d_err = max(abs(x - ideal_x(t - start)) for t, x in df)
    m_err = max(abs(x - ideal_x(t - start)) for t, x in mf)
    edges = [e["t"] for e in main_ev if e["event"] == "edge" and e["set"] == 1]
    diffs = []
    for te in edges:
        a, b = first_at_or_after(mf, te), first_at_or_after(df, te)
        if a is not None and b is not None:
            diffs.append(abs(a - b) * 1e3)
    vm, vd = period_from_minima(mf, start), period_from_minima(df, start)
    fitted = [abs(a - b) * 1e3 for a in vm for b in vd if abs(a - b) < 0.25] or [math.nan]
    halts, moved_after, latencies, sent = [], [], [], []
    for n in range(2, 2 + stops):
        stop_t = next((e["t"] for e in main_ev if e["event"] == "stop" and e["set"] == n), None)
        if stop_t is None:
            continue
        got = next((e for e in disp_ev if e["event"] == "state" and e["set"] == n
                    and e["state"] == "ended"), None)  # fmt: skip
        if got is None:
            continue
        latencies.append((got["t"] - stop_t) * 1e3)
        sent.append((got["sent"] - stop_t) * 1e3)
        after = [f for f in frames(disp_ev, n) if f[0] >= stop_t]
        halt = next((t for t, _ in after if t >= got["t"] - 1e-9), None)
        if halt is not None:
            halts.append((halt - stop_t) * 1e3)
            moved_after.append(sum(1 for t, _ in after if t < halt))
    cpu_main = (c1[0] - c0[0]) / (c1[2] - c0[2])
    cpu_disp = (c1[1] - c0[1]) / (c1[2] - c0[2])
    dg, mg = gaps_ms(df), gaps_ms(mf)
    rows: list[Row] = [
        ("pane sizes", sizes, "different", "info"),
        (f"display: max |x - ideal| over {len(df)} frames", f"{d_err:.2e} of the travel",
         f"<= {TOL_X:.3f}", verdict(d_err <= TOL_X)),
        (f"main: max |x - ideal| over {len(mf)} frames", f"{m_err:.2e} of the travel",
         f"<= {TOL_X:.3f}", verdict(m_err <= TOL_X)),
        (f"edge times, first frame at/after each of {len(diffs)} edges: |main - display| "
         "p50 / p99 / max", f"{percentile(diffs, 50):.1f} / {percentile(diffs, 99):.1f} / "
         f"{max(diffs):.1f} ms", "max <= 17 ms", verdict(max(diffs) <= 17)),
        (f"left-edge times fitted to each window's frames ({len(fitted)} edges): "
         "|main - display| max", f"{max(fitted):.2f} ms", "<= 17 ms", verdict(max(fitted) <= 17)),
        ("frame interval p50 / p99: main | display",
         f"{percentile(mg, 50):.1f} / {percentile(mg, 99):.1f} | "
         f"{percentile(dg, 50):.1f} / {percentile(dg, 99):.1f} ms", "info", "info"),
        (f"stop signal -> display's halt frame ({len(halts)} stops) max",
         f"{max(halts):.1f} ms (sent after {max(sent):.2f} ms, received after "
         f"{max(latencies):.1f} ms; moving frames drawn in between: max {max(moved_after)})",
         "<= 16.7 ms (1 frame)", verdict(max(halts) <= 1000 / 60)),
        (f"CPU during the {seconds} s set: display / main",
         f"{cpu_disp * 100:.1f} % / {cpu_main * 100:.1f} % = {cpu_disp / cpu_main:.2f}",
         "info", "info"),
    ]  # fmt: skip
    return rows


# --------------------------------------------------------------------------- kill -9
def kill_displays(
    panes: Panes, tmp: Path, n: int, tag: str, until: float
) -> list[tuple[float, float]]:
    """Start a display beside the main pane and kill -9 it at a random moment, ``n`` times
    (or until the monotonic time ``until``, when the set would be over)."""
    start_to_attach = []
    for i in range(n):
        if time.monotonic() > until:
            break
        disp_t = tmp / f"kill-{tag}-{i}.jsonl"
        pane, t0 = panes.window(["display", "--trace", str(disp_t)], nice=True)
        att = wait_trace(disp_t, "attach", timeout=10)
        began = wait_trace(disp_t, "start", timeout=1)
        if att is not None and began is not None:
            start_to_attach.append(((att - t0) * 1e3, (att - began) * 1e3))
        time.sleep(random.uniform(0.05, 0.6))
        os.kill(panes.pid(pane), signal.SIGKILL)
        panes.kill_pane(pane)
    return start_to_attach


def kills(tmp: Path, env: dict[str, str], n: int) -> list[Row]:
    """``bls session --trace``: ``n`` displays killed mid-set; frame timing and the record."""
    preset_dir = Path(env["BLS_CONFIG_DIR"]) / "presets"
    preset_dir.mkdir(parents=True, exist_ok=True)
    per_kill = max(2.0, 0.5 * os.getloadavg()[0])  # display start-up grows with the load
    cycles = int(BASELINE_S + n * per_kill + 8)
    (preset_dir / "kills.toml").write_text(f"speed_hz = 1.0\ncycles = {cycles}\n")
    main_t = tmp / "main-kills.jsonl"
    reattach: list[float] = []
    start_to_attach: list[tuple[float, float]] = []
    screens = ""
    panes = Panes(env)
    try:
        panes.run_in(panes.first, ["session", "--client", "C-015", "--preset", "kills",
                                   "--audio", "none", "--trace", str(main_t)])  # fmt: skip
        panes.wait(panes.first, "client display: not attached")
        time.sleep(0.5)
        panes.send(panes.first, "Space")
        panes.wait(panes.first, "RUNNING")
        time.sleep(BASELINE_S)  # the same set with no display first: the control
        began = time.monotonic() - BASELINE_S
        start_to_attach += kill_displays(panes, tmp, n, "session", began + cycles - 3)
        panes.wait(panes.first, "set 1 done", timeout=cycles + 30)
        screens += panes.screen(panes.first)
        # a display that waits while the main app restarts: how soon does it reattach?
        waiting_t = tmp / "waiting.jsonl"
        panes.split(["display", "--trace", str(waiting_t)], 50)
        wait_trace(waiting_t, "attach", timeout=10)
        os.kill(panes.pid(panes.first), signal.SIGTERM)
        wait_trace(waiting_t, "detach", timeout=10)
        for _ in range(3):
            last = max(e["t"] for e in read_trace_tolerant(waiting_t) if e["event"] == "detach")
            sock = tmp / "run" / "display.sock"
            sock.unlink(missing_ok=True)  # SIGTERM removes it; make sure of it
            panes.run_in(panes.first, ["run", "--audio", "none", "--fresh"])
            deadline = time.monotonic() + 20
            while not sock.exists() and time.monotonic() < deadline:
                time.sleep(0.002)
            t0 = time.monotonic()  # the main app's socket is there
            att = wait_trace(waiting_t, "attach", after=last, timeout=10)
            panes.wait(panes.first, "client display: live (1)")
            if att is not None:
                reattach.append((att - t0) * 1e3)
            os.kill(panes.pid(panes.first), signal.SIGTERM)
            wait_trace(waiting_t, "detach", after=att or 0, timeout=10)
    finally:
        panes.close()
    ev = read_trace(main_t)
    start = next(e["t"] for e in ev if e["event"] == "set_start")
    end_e = next(e for e in ev if e["event"] == "set_end")
    mf = [f for f in frames(ev, 1) if start + BASELINE_S + 0.5 <= f[0] <= end_e["t"]]
    g = gaps_ms(mf)
    g0 = gaps_ms([f for f in frames(ev, 1) if start + 0.5 <= f[0] <= start + BASELINE_S])
    planned = cycles / HZ
    late = (end_e["t"] - start) - planned
    con = sqlite3.connect(f"file:{tmp / 'data' / 'sessions.db'}?mode=ro", uri=True)
    rec = con.execute("SELECT sweeps_delivered, stopped_early FROM sets").fetchall()
    con.close()
    log = tmp / "data" / "logs" / "stderr.log"
    tb = "Traceback" in screens or (log.exists() and "Traceback" in log.read_text())
    return [
        ("`bls session`: main frame interval p50 / p99 / max, same set before any display",
         f"{percentile(g0, 50):.1f} / {percentile(g0, 99):.1f} / {max(g0):.1f} ms",
         "control", "info"),
        (f"`bls session`: main frame interval p50 / p99 / max, {len(start_to_attach)} displays "
         "killed -9 mid-set",
         f"{percentile(g, 50):.1f} / {percentile(g, 99):.1f} / {max(g):.1f} ms",
         "p99 <= 25 ms", verdict(percentile(g, 99) <= 25)),
        ("`bls session`: set end vs planned (engine clock)",
         f"{late * 1e3:+.3f} ms ({planned:.0f} s)",
         "on time", verdict(abs(late) < 0.001)),
        (f"`bls session`: set recorded after {n} kills (sweeps, stopped)", f"{rec}",
         f"[({cycles * 2}, 0)]", verdict(rec == [(cycles * 2, 0)])),
        ("traceback on the main screens or in the stderr log", "yes" if tb else "none", "none",
         verdict(not tb)),
        (f"restarted display: its app running -> attached ({len(start_to_attach)} starts) max",
         f"{max(b for _, b in start_to_attach):.0f} ms", "<= 1000 ms",
         verdict(max(b for _, b in start_to_attach) <= 1000)),
        ("restarted display: command -> attached (with Python + Textual start-up) p50 / max",
         f"{percentile([a for a, _ in start_to_attach], 50):.0f} / "
         f"{max(a for a, _ in start_to_attach):.0f} ms", "info", "info"),
        (f"waiting display: main app's socket up -> reattached ({len(reattach)}x) max",
         f"{max(reattach):.0f} ms", "<= 1000 ms", verdict(max(reattach) <= 1000)),
    ]  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--stops", type=int, default=8)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--keep", help="keep traces in this (short) folder")
    ap.add_argument("--only", choices=["lockstep", "kills"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="b15-", dir="/tmp") as name:
        tmp = Path(args.keep) if args.keep else Path(name)
        tmp.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.pop("TMUX", None)
        path = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
        env.update(
            BLS_CONFIG_DIR=str(tmp / "config"),
            BLS_DATA_DIR=str(tmp / "data"),
            BLS_RUNTIME_DIR=str(tmp / "run"),
            TERM="xterm-256color",
        )
        env["PYTHONPATH"] = path
        load0 = os.getloadavg()[0]
        rows: list[Row] = []
        if args.only in (None, "lockstep"):
            rows += lockstep(tmp, env, args.seconds, args.stops)
        if args.only in (None, "kills"):
            rows += kills(tmp, env, args.kills)
        load1 = os.getloadavg()[0]
        rows.append(("1-minute load average at start / end", f"{load0:.2f} / {load1:.2f}",
                     f"{os.cpu_count()} cores", "info"))  # fmt: skip
        print_table("client display", rows)
        return 0 if all(r[3] != "FAIL" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
