"""Real-time soak: the real `bls session` in a private tmux pane for 90 minutes (not CI).

Runs continuous 24-cycle sets at 1 Hz with the between-sets prompt answered, a speed change
every third set and a note every fifth, on the real clock, and samples the process's resident
memory (``/proc/PID/status`` VmRSS) and CPU time (``/proc/PID/stat``) every ``--every``
seconds.  Prints a table and writes the samples as CSV.

    python bench/soak_realtime.py                 # 90 minutes
    python bench/soak_realtime.py --minutes 10    # a shorter look
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from common import Tmux, bench_env, bls_script, cpu_seconds, load_average, print_table, verdict


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=90.0)
    parser.add_argument("--every", type=float, default=60.0, help="sample period, s")
    parser.add_argument("--csv", type=Path, default=Path("soak_realtime.csv"))
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bls-soak-"))
    env = bench_env(tmp)
    tmux = Tmux("soak", env, 120, 40)
    tmux.start()
    argv_bls = [bls_script(), "session", "--client", "SOAK-1", "--planned", "240",
                "--preset", "standard"]  # fmt: skip
    tmux.spawn(argv_bls)
    time.sleep(3.0)
    pid = tmux.pane_pid()
    for key in ("n", "n", "Escape", "n"):  # preparation, assessment (skip its form), phase 4
        tmux.send(key)
        time.sleep(0.5)
    samples: list[tuple[float, float, float, int]] = []
    t0 = time.monotonic()
    c0 = cpu_seconds(pid)
    end = t0 + args.minutes * 60
    next_sample = t0
    sets = 0
    try:
        while time.monotonic() < end:
            tmux.send("Space")
            sets += 1
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and f"After set {sets}" not in tmux.capture():
                time.sleep(0.5)
            tmux.send("C-s")  # answer the prompt (no SUD: optional)
            time.sleep(0.5)
            if sets % 5 == 0:
                tmux.send(";")
                tmux.send("-l", f"note {sets}")
                tmux.send("Enter")
            if sets % 3 == 0:
                tmux.send("Up" if (sets // 3) % 2 else "Down")
            time.sleep(2.0)
            now = time.monotonic()
            if now >= next_sample:
                samples.append((now - t0, rss_mb(pid), cpu_seconds(pid) - c0, sets))
                print(f"{(now - t0) / 60:6.1f} min  RSS {samples[-1][1]:6.1f} MiB  "
                      f"CPU {samples[-1][2]:7.1f} s  sets {sets}", flush=True)  # fmt: skip
                next_sample += args.every
    finally:
        tmux.send("q")
        time.sleep(0.5)
        tmux.send("y")
        time.sleep(1.0)
        tmux.stop()
    wall = samples[-1][0] if samples else 0.0
    with args.csv.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["t_s", "rss_mib", "cpu_s", "sets"])
        writer.writerows(samples)
    db = tmp / "data" / "sessions.db"
    conn = sqlite3.connect(db)
    recorded = conn.execute("SELECT count(*) FROM sets").fetchone()[0]
    conn.close()
    warm = [s for s in samples if s[0] >= min(600.0, wall / 3)]
    growth = (warm[-1][1] - warm[0][1]) if len(warm) > 1 else float("nan")
    cpu_share = samples[-1][2] / wall if wall else float("nan")
    print_table(
        f"real-time soak, {wall / 60:.1f} min, load {load_average()}",
        [
            ("sets run / recorded", f"{sets} / {recorded}", "equal", verdict(recorded >= sets - 1)),
            ("RSS at start of window", f"{warm[0][1]:.1f} MiB" if warm else "-", "", "info"),
            ("RSS growth after warm-up", f"{growth:.1f} MiB", "<= 5 MiB", verdict(growth <= 5)),
            ("CPU (share of one core)", f"{100 * cpu_share:.1f} %", "", "info"),
            ("samples", str(args.csv), "", "info"),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
