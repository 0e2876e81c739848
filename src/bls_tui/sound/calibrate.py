"""Output-latency calibration from taps (pure): clicks at a steady rate, taps in time with them.

The app plays a click every :data:`INTERVAL_S` seconds; the listener taps space in time with
what they *hear*.  Each tap's offset from the click it belongs to is the output latency plus
the listener's own timing error.  Offsets are folded onto one interval (a missed click or an
extra tap does not shift the others), outliers are rejected around the median with the
median absolute deviation, and the estimate is the mean of what remains (for tap jitter
the mean of the kept taps is about 1.5x more precise than their median), with its spread.

Note: people tend to tap a few tens of ms *before* a steady beat they expect, so the estimate
carries the tapper's own habit; a calm tap along for 20-30 clicks keeps it small.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

INTERVAL_S = 0.8
"""Time between clicks (75 per minute): longer than any plausible output latency + tap."""
CLICKS = 32
"""Clicks in one calibration run (about 26 s)."""
MIN_TAPS = 16
"""Usable taps needed for an estimate."""
LEAD_IN = 3
"""Taps on the first clicks are ignored (the listener finds the beat)."""
WINDOW = (-0.2, 0.75)
"""Offsets are folded into this range of the interval (fractions): -160 ms .. +600 ms."""
MIN_REJECT_MS = 50.0
"""Offsets within this distance of the median are never rejected."""
MAX_SPREAD_MS = 60.0
"""Taps spread wider than this (robust SD) do not follow the clicks: no estimate."""


@dataclass(frozen=True)
class Estimate:
    """The outcome of a calibration run."""

    latency_ms: float | None
    """The estimated output latency (``None`` if there were too few usable taps)."""
    spread_ms: float
    """Robust spread of the kept offsets (1.4826 x median absolute deviation)."""
    used: int
    rejected: int
    taps: int
    problem: str | None = None
    """One line when no estimate could be made."""

    def summary(self) -> str:
        """One line for the screen."""
        if self.latency_ms is None:
            return self.problem or "no estimate"
        return (
            f"latency {self.latency_ms:.0f} ms (spread ±{self.spread_ms:.0f} ms; "
            f"{self.used} taps used, {self.rejected} rejected)"
        )


def click_times(start: float, n: int = CLICKS, interval: float = INTERVAL_S) -> list[float]:
    """Scheduled times of the clicks (the moment each click's first sample leaves the app)."""
    return [start + i * interval for i in range(n)]


def fold(offset: float, interval: float = INTERVAL_S) -> float:
    """``offset`` (seconds after a click) folded into the :data:`WINDOW` of one interval."""
    lo = WINDOW[0] * interval
    return (offset - lo) % interval + lo


def estimate(
    clicks: Sequence[float], taps: Sequence[float], interval: float = INTERVAL_S
) -> Estimate:
    """Estimate the output latency from click times and tap times (same clock, seconds)."""
    if len(clicks) < 2:
        return Estimate(None, 0.0, 0, 0, len(taps), "no clicks were played")
    first = clicks[0] + (LEAD_IN - 0.5) * interval if len(clicks) > LEAD_IN else clicks[0]
    last = clicks[-1] + WINDOW[1] * interval
    usable = [t for t in taps if first <= t <= last]
    offsets = [fold(t - clicks[0], interval) * 1000.0 for t in usable]
    if len(offsets) < MIN_TAPS:
        return Estimate(
            None, 0.0, len(offsets), 0, len(taps),
            f"only {len(offsets)} usable taps; at least {MIN_TAPS} are needed (tap each click)",
        )  # fmt: skip
    kept = _reject(offsets)
    if len(kept) < MIN_TAPS:
        return Estimate(
            None, _spread(offsets), len(kept), len(offsets) - len(kept), len(taps),
            f"the taps were too irregular ({len(kept)} of {len(offsets)} agree); try again",
        )  # fmt: skip
    spread = _spread(kept)
    if spread > MAX_SPREAD_MS:
        return Estimate(
            None, spread, len(kept), len(offsets) - len(kept), len(taps),
            f"the taps do not follow the clicks (spread ±{spread:.0f} ms); try again",
        )  # fmt: skip
    return Estimate(
        statistics.fmean(kept), _spread(kept), len(kept), len(offsets) - len(kept), len(taps)
    )


def _spread(values: Sequence[float]) -> float:
    med = statistics.median(values)
    return 1.4826 * statistics.median(abs(v - med) for v in values)


def _reject(offsets: Sequence[float]) -> list[float]:
    """Keep offsets within max(3 robust SDs, MIN_REJECT_MS) of the median; twice, to settle."""
    kept = list(offsets)
    for _ in range(2):
        med = statistics.median(kept)
        limit = max(3.0 * _spread(kept), MIN_REJECT_MS)
        nxt = [v for v in offsets if abs(v - med) <= limit]
        if len(nxt) < 2 or nxt == kept:
            break
        kept = nxt
    return kept if math.isfinite(statistics.median(kept)) else []
