"""Real-time soak: the real `bls session` in a private tmux pane for 90 minutes (not CI).

Runs continuous 24-cycle sets at 1 Hz (preset ``standard``) with the between-sets prompt
answered, a speed change every third set and a note every fifth, on the real clock, with
``--trace``.  Every ``--every`` seconds it samples the process's resident memory
(``/proc/PID/status`` VmRSS) and CPU time (``/proc/PID/stat``).  At the end it reads the trace
back: frame intervals while sets run (p50 / p99 / max, and p99 per 10-minute window), every
scheduled edge against the set's grid ``set_start + k / (2 · speed)``, and every frame's x against
the ideal sine.  The app runs from a snapshot of ``src/`` taken at start, so editing the tree
during the run does not change the code under test.

    python bench/soak_realtime.py                  # 90 minutes
    python bench/soak_realtime.py --minutes 10     # a shorter look
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from common import (
    REPO,
    Tmux,
    bench_env,
    cpu_seconds,
    ideal_x,
    load_average,
    percentile,
    print_table,
    verdict,
)


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class TraceStats:
    """Streams a trace file once: frame gaps, edge-grid and x errors per running set."""

    def __init__(self) -> None:
        self.gaps: list[tuple[float, float]] = []  # (t of the later frame, gap in ms)
        self.edge_err_us: list[float] = []
        self.x_err: list[float] = []
        self.sets = 0
        self.sets_skipped = 0  # a speed change or pause inside the set: no fixed grid

    def read(self, path: Path) -> None:
        start: dict[str, float] | None = None
        clean = True
        last_frame: float | None = None
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                e = json.loads(line)
                kind, t = e["event"], float(e["t"])
                if kind == "set_start":
                    start = {"t": t, "hz": float(e["speed_hz"])}
                    sine = e.get("profile") == "sine" and e.get("pattern") == "horizontal"
                    start["sine"] = 1.0 if sine else 0.0
                    clean, last_frame = True, None
                    self.sets += 1
                elif start is None:
                    continue
                elif kind in ("pause", "speed", "stop", "glide"):
                    clean, last_frame = False, None
                elif kind == "resume":
                    last_frame = None
                elif kind == "set_end":
                    self.sets_skipped += 0 if clean else 1
                    start, last_frame = None, None
                elif kind == "frame" and e.get("set") is not None:
                    if last_frame is not None:
                        self.gaps.append((t, (t - last_frame) * 1e3))
                    last_frame = t
                    if clean and start["sine"]:
                        self.x_err.append(abs(float(e["x"]) - ideal_x(t - start["t"], start["hz"])))
                elif kind == "edge" and clean:
                    grid = start["t"] + int(e["k"]) / (2.0 * start["hz"])
                    self.edge_err_us.append(abs(t - grid) * 1e6)

    def p99_by_window(self, t0: float, minutes: float = 10.0) -> list[float]:
        """Frame-gap p99 of each ``minutes`` window from ``t0`` (drift over the run shows here)."""
        out: list[float] = []
        window = minutes * 60
        k = 0
        while True:
            chunk = [g for t, g in self.gaps if t0 + k * window <= t < t0 + (k + 1) * window]
            if not chunk:
                return out
            out.append(percentile(chunk, 99))
            k += 1


def snapshot_src(tmp: Path, src: Path) -> Path:
    """Copy ``src`` (the package tree) to ``tmp`` so edits during the run change nothing."""
    dest = tmp / "src"
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def wait_for(tmux: Tmux, text: str, timeout: float, present: bool = True) -> bool:
    """Poll the pane until ``text`` is (or, with ``present=False``, is no longer) on screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (text in tmux.capture()) == present:
            return True
        time.sleep(0.2)
    return False


def run_sets(tmux: Tmux, pid: int, minutes: float, every: float) -> tuple[list, int, float]:
    """Drive sets until ``minutes`` have passed; returns (samples, sets started, t0)."""
    samples: list[tuple[float, float, float, int]] = []
    t0 = time.monotonic()
    c0 = cpu_seconds(pid)
    end = t0 + minutes * 60
    next_sample = t0
    sets = 0
    while time.monotonic() < end and Path(f"/proc/{pid}").exists():
        tmux.send("Space")
        sets += 1
        if not wait_for(tmux, f"After set {sets}", 90):
            print(f"set {sets}: the between-sets prompt did not appear", flush=True)
        tmux.send("C-s")  # answer the prompt (no SUD: optional)
        wait_for(tmux, f"After set {sets}", 10, present=False)
        if sets % 5 == 0:
            tmux.send("\\;")  # a lone ";" would end the tmux command
            if wait_for(tmux, "note (enter saves", 10):  # type only once the bar has focus
                tmux.send("-l", f"note {sets}")
                tmux.send("Enter")
                wait_for(tmux, "note saved", 10)
            else:
                print(f"set {sets}: the note bar did not open", flush=True)
        if sets % 3 == 0:
            tmux.send("Up" if (sets // 3) % 2 else "Down")
        time.sleep(2.0)
        now = time.monotonic()
        if now >= next_sample:
            samples.append((now - t0, rss_mb(pid), cpu_seconds(pid) - c0, sets))
            print(f"{(now - t0) / 60:6.1f} min  RSS {samples[-1][1]:6.1f} MiB  "
                  f"CPU {samples[-1][2]:7.1f} s  sets {sets}  load {load_average()}",
                  flush=True)  # fmt: skip
            next_sample += every
    return samples, sets, t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=90.0)
    parser.add_argument("--every", type=float, default=60.0, help="sample period, s")
    parser.add_argument("--warmup", type=float, default=10.0, help="warm-up, minutes")
    parser.add_argument("--csv", type=Path, default=Path("soak_realtime.csv"))
    parser.add_argument("--src", type=Path, default=REPO / "src", help="package tree to run")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bls-soak-"))
    env = bench_env(tmp)
    src = snapshot_src(tmp, args.src)
    trace = tmp / "soak.jsonl"
    loads = [load_average()]
    tmux = Tmux("soak", env, 120, 40)
    tmux.start()
    audio = os.environ.get("BLS_SOAK_AUDIO", "auto")
    argv_bls = ["env", f"PYTHONPATH={src}", sys.executable, "-m", "bls_tui", "session",
                "--client", "SOAK-1", "--planned", "240", "--preset", "standard",
                "--audio", audio, "--trace", str(trace)]  # fmt: skip
    tmux.spawn(argv_bls)
    if not wait_for(tmux, "sweeps 0/", 60):
        print("the session screen did not appear", flush=True)
    pid = tmux.pane_pid()
    for key in ("n", "n", "Escape", "n"):  # preparation, assessment (skip its form), phase 4
        tmux.send(key)
        time.sleep(1.0)
    try:
        samples, sets, t0 = run_sets(tmux, pid, args.minutes, args.every)
    finally:
        loads.append(load_average())
        tmux.send("q")
        time.sleep(0.5)
        tmux.send("y")
        time.sleep(1.5)
        tmux.stop()
    wall = samples[-1][0] if samples else 0.0
    with args.csv.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["t_s", "rss_mib", "cpu_s", "sets"])
        writer.writerows(samples)
    conn = sqlite3.connect(tmp / "data" / "sessions.db")
    recorded = conn.execute("SELECT count(*) FROM sets").fetchone()[0]
    conn.close()
    stats = TraceStats()
    stats.read(trace)
    warm = [s for s in samples if s[0] >= args.warmup * 60]
    growth = (max(s[1] for s in warm) - warm[0][1]) if len(warm) > 1 else math.nan
    cpu = samples[-1][2] / wall if wall else math.nan
    gaps = [g for _, g in stats.gaps]
    p99 = percentile(gaps, 99)
    windows = stats.p99_by_window(t0) if stats.gaps else []
    edge_max = max(stats.edge_err_us, default=math.nan)
    x_max = max(stats.x_err, default=math.nan)
    print_table(
        f"real-time soak, {wall / 60:.1f} min, load {loads[0]} at start / {loads[1]} at end",
        [
            ("sets run / recorded", f"{sets} / {recorded}", "equal", verdict(recorded >= sets - 1)),
            ("RSS after warm-up (start / max)",
             f"{warm[0][1]:.1f} / {max(s[1] for s in warm):.1f} MiB" if warm else "-", "", "info"),
            ("RSS growth after warm-up", f"{growth:.1f} MiB", "<= 5 MiB", verdict(growth <= 5)),
            ("CPU (share of one core)", f"{100 * cpu:.1f} %", "", "info"),
            ("sets checked on the grid", f"{stats.sets - stats.sets_skipped} of {stats.sets}",
             "", "info"),
            ("edges: max |t - grid|", f"{edge_max:.1f} us ({len(stats.edge_err_us)} edges)",
             "<= 1 ms", verdict(edge_max <= 1000)),
            ("frames: max |x - ideal|", f"{x_max:.2e} ({len(stats.x_err)} frames)", "<= 1/200",
             verdict(x_max <= 0.005)),
            ("frame interval p50 / p99 / max",
             f"{percentile(gaps, 50):.1f} / {p99:.1f} / {max(gaps, default=math.nan):.1f} ms",
             "p99 <= 25 ms", verdict(p99 <= 25)),
            ("frame p99 per 10 min", " ".join(f"{w:.1f}" for w in windows), "<= 25 ms",
             verdict(bool(windows) and max(windows) <= 25)),
            ("samples", str(args.csv), "", "info"),
        ],
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
