"""Benchmark tone synthesis against a plain memory copy of a buffer of the same size.

Run as a script (``python bench/synth.py``) or call :func:`run` (``bench/run.py`` does).
Each figure is the median of several runs, timed with :func:`time.perf_counter`, after one
warm-up call (template caches and page faults of the first allocation excluded).

Note: ``synthesize`` starts from ``np.zeros``, whose untouched pages cost nothing until the
consumer reads them; the "+ to_int16" line includes a full pass over the buffer, which is what
a player or ``bls render`` pays.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

try:
    from bls_tui.sound.sounds import synthesize
    from bls_tui.sound.tones import ToneParams, to_int16
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from bls_tui.sound.sounds import synthesize
    from bls_tui.sound.tones import ToneParams, to_int16

RATE = 48000
START = 1000.0


def _median_s(fn: Callable[[], object], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _edges(seconds: float, speed_hz: float) -> list[tuple[float, str]]:
    n = int(seconds * speed_hz * 2)
    return [(START + k / (2 * speed_hz), "left" if k % 2 == 0 else "right") for k in range(n)]


def _case(seconds: float, params: ToneParams, runs: int) -> tuple[float, float, float]:
    """Median seconds of: synthesize, synthesize + to_int16, and a copy of the same buffer."""
    n = round(seconds * RATE)
    edges = _edges(seconds, 1.0)

    def synth() -> npt.NDArray[np.float32]:
        return synthesize(
            edges,
            start=START,
            n_frames=n,
            rate=RATE,
            params=params,
            set_start=START,
            follow_x=lambda t: (t - START) * (1.0 / seconds),  # cheap: its cost is the caller's
        )

    src = np.ones((n, 2), dtype=np.float32)
    dst = np.empty_like(src)
    t_synth = _median_s(synth, runs)
    t_int16 = _median_s(lambda: to_int16(synth()), runs)
    t_copy = _median_s(lambda: np.copyto(dst, src), runs)
    return t_synth, t_int16, t_copy


def run() -> list[tuple[str, str]]:
    """Measure and return ``(name, value with unit)`` rows."""
    rows: list[tuple[str, str]] = []
    cases = [
        ("30 s set, sine bursts", 30.0, ToneParams(), 15),
        ("5 min set, sine bursts", 300.0, ToneParams(), 5),
        ("30 s set, chime bursts", 30.0, ToneParams(tone="chime"), 15),
        ("30 s set, follow tone", 30.0, ToneParams(follow=True), 9),
        ("5 min set, follow tone", 300.0, ToneParams(follow=True), 3),
    ]
    for label, seconds, params, runs in cases:
        t_synth, t_int16, t_copy = _case(seconds, params, runs)
        rows.append((f"{label}: synthesize", f"{t_synth * 1e3:.2f} ms"))
        rows.append((f"{label}: synthesize + to_int16", f"{t_int16 * 1e3:.2f} ms"))
        rows.append((f"{label}: numpy copy of same buffer", f"{t_copy * 1e3:.2f} ms"))
        rows.append((f"{label}: synthesize / copy", f"{t_synth / t_copy:.2f} x"))
        rows.append((f"{label}: real-time factor", f"{seconds / t_synth:.0f} x faster"))
    return rows


def main() -> int:
    rows = run()
    width = max(len(name) for name, _ in rows)
    print(f"tone synthesis at {RATE} Hz stereo float32, 1 Hz edges, median of several runs")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
