"""Motion: the dot's position as a pure function of phase.

Phase ``phase`` is measured in cycles: 0 = left edge, 0.5 = right edge, 1 = back at the left
edge.  Edge ``k`` (k = 1, 2, ...) is reached exactly at phase ``k / 2``; odd ``k`` is the right
edge, even ``k`` the left.  Coordinates are normalised: ``x`` 0 = left end of the travel,
1 = right end; ``y`` 0 = top, 1 = bottom.
"""

from __future__ import annotations

import math
from typing import Literal

Pattern = Literal[
    "horizontal", "vertical", "diagonal-up", "diagonal-down", "circle", "figure-eight"
]
Profile = Literal["sine", "linear"]

PATTERNS: tuple[Pattern, ...] = (
    "horizontal",
    "vertical",
    "diagonal-up",
    "diagonal-down",
    "circle",
    "figure-eight",
)
"""All patterns, in the order the `p` key cycles through them."""

CLINICIAN_OPTIONS: frozenset[str] = frozenset({"circle", "figure-eight"})
"""Patterns offered as clinician options only: no source supports them (domain ref. section 2)."""

PROFILES: tuple[Profile, ...] = ("sine", "linear")

PATTERN_LABELS: dict[str, str] = {
    "horizontal": "horizontal",
    "vertical": "vertical",
    "diagonal-up": "diagonal ↗",
    "diagonal-down": "diagonal ↘",
    "circle": "circle (clinician option)",
    "figure-eight": "figure-eight (clinician option)",
}


def dwell_fraction(dwell_ms: float, speed_hz: float) -> float:
    """Fraction of each sweep spent resting at the edge (linear profile).

    A sweep lasts ``1 / (2 * speed_hz)`` seconds; the dwell is part of it, so the speed in Hz
    stays true.  Capped at half the sweep.
    """
    if dwell_ms <= 0:
        return 0.0
    sweep_s = 1.0 / (2.0 * speed_hz)
    return min(0.5, (dwell_ms / 1000.0) / sweep_s)


def sweep_coordinate(phase: float, profile: Profile, dwell: float = 0.0) -> float:
    """Position along the travel (0 = left/start end, 1 = right/far end) at ``phase``.

    ``sine`` is smooth pursuit (slows at the edges); ``linear`` moves at constant speed and
    rests for ``dwell`` (a fraction of the sweep) at each edge right after arriving.
    """
    if profile == "sine":
        return (1.0 - math.cos(2.0 * math.pi * phase)) / 2.0
    half = 2.0 * phase
    k = math.floor(half)
    u = half - k
    s = 0.0 if u <= dwell else (u - dwell) / (1.0 - dwell)  # u < 1, dwell <= 0.5: s < 1
    return s if k % 2 == 0 else 1.0 - s


def _angle_phase(phase: float, profile: Profile, dwell: float) -> float:
    """Phase used by the closed curves: sine profile moves uniformly around them."""
    if profile == "sine":
        return phase
    # linear: the sweep coordinate drives the angle so edges still fall on k / 2
    s = sweep_coordinate(phase, profile, dwell)
    k = math.floor(2.0 * phase)
    base = k / 2.0
    frac = math.acos(1.0 - 2.0 * s) / (2.0 * math.pi)  # 0..0.5 along this half
    return base + (frac if k % 2 == 0 else 0.5 - frac)


def point(
    phase: float, pattern: Pattern, profile: Profile = "sine", dwell: float = 0.0
) -> tuple[float, float]:
    """The dot's normalised ``(x, y)`` at ``phase`` for ``pattern``."""
    if pattern in ("circle", "figure-eight"):
        a = 2.0 * math.pi * _angle_phase(phase, profile, dwell)
        x = (1.0 - math.cos(a)) / 2.0
        if pattern == "circle":
            return x, 0.5 - 0.5 * math.sin(a)
        return x, 0.5 - 0.5 * math.sin(2.0 * a)
    s = sweep_coordinate(phase, profile, dwell)
    if pattern == "horizontal":
        return s, 0.5
    if pattern == "vertical":
        return 0.5, s
    if pattern == "diagonal-up":
        return s, 1.0 - s
    return s, s  # diagonal-down


def centre_phase_offset(profile: Profile, dwell: float) -> float:
    """Phase after a left-edge arrival at which the sweep coordinate reaches the centre."""
    if profile == "sine":
        return 0.25
    return (dwell + 0.5 * (1.0 - dwell)) / 2.0


def edge_side(k: int) -> Literal["left", "right"]:
    """Side of edge arrival ``k`` (k >= 1): odd = right, even = left."""
    return "right" if k % 2 == 1 else "left"
