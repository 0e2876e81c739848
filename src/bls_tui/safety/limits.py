"""Safety caps and parameter ranges, stated once.

Units: speed in Hz = full cycles per second (left -> right -> left).  A *sweep* is one
traverse (left -> right, or back); one cycle is two sweeps.
"""

from __future__ import annotations

MIN_SPEED_HZ = 0.1
MAX_SPEED_HZ = 2.0  # hard safety cap: no flag, preset, key or config may exceed it
DEFAULT_SPEED_HZ = 1.0
SPEED_STEP_HZ = 0.1

MIN_CYCLES = 1
MAX_CYCLES = 500
DEFAULT_CYCLES = 24
CYCLES_STEP = 2

MIN_SECONDS = 1.0
MAX_SECONDS = 1800.0

MAX_EDGE_DWELL_MS = 200.0

MIN_DOT_SIZE = 1
MAX_DOT_SIZE = 3

# Sound
MIN_FREQ_HZ = 200.0
MAX_FREQ_HZ = 1000.0
DEFAULT_FREQ_HZ = 500.0
MIN_BURST_MS = 30.0
MAX_BURST_MS = 300.0
DEFAULT_BURST_MS = 80.0
MIN_FADE_MS = 5.0
DEFAULT_VOLUME_PCT = 80  # -8 dB: a set peaks at -14 dBFS (see core.tones, volume_db)
VOLUME_STEP_PCT = 5
PEAK_CEILING = 0.5  # hard ceiling on |sample| (full scale = 1.0), about -6 dBFS
SET_FADE_IN_S = 2.0  # every set starts quiet and ramps up over this time

# Visual safety: nothing may flash faster than this (WCAG 2.3.1)
MAX_FLASHES_PER_S = 3.0


def clamp_speed(hz: float) -> float:
    """Clamp a speed to the allowed range; the 2 Hz cap is never exceeded."""
    return min(MAX_SPEED_HZ, max(MIN_SPEED_HZ, round(hz, 3)))


def clamp_volume(pct: float) -> int:
    """Clamp a volume percentage to 0..100."""
    return int(min(100, max(0, round(pct))))
