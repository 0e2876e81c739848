"""Photosensitivity check: count luminance flashes over time (WCAG 2.3.1, general flash).

A *transition* is a change of the mean relative luminance of an area by at least
:data:`FLASH_DELTA` (10 % of the maximum), where the darker of the two states is below
:data:`DARK_BELOW`; a *flash* is a pair of opposing transitions.  Nothing we draw may flash more
than :data:`~bls_tui.safety.limits.MAX_FLASHES_PER_S` times in any one-second period.

The input is a series of ``(t, luminance)`` samples of one area (a widget, a window), e.g. one
per rendered frame; the caller measures the luminance (see :func:`relative_luminance`).
"""

from __future__ import annotations

from collections.abc import Sequence

from bls_tui.safety import limits

FLASH_DELTA = 0.1
"""Smallest change of relative luminance (0..1) that counts as a transition."""
DARK_BELOW = 0.8
"""A transition counts only if its darker state is below this relative luminance."""


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance (0 = black, 1 = white) of an 8-bit sRGB colour."""

    def channel(c: int) -> float:
        v = c / 255.0
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def flash_times(samples: Sequence[tuple[float, float]], delta: float = FLASH_DELTA) -> list[float]:
    """Times at which a flash completes (the second transition of each opposing pair).

    ``samples`` are ``(t, luminance)`` in time order.  Slow drifts count as soon as they add
    up to ``delta`` away from the last extreme, as a fast change would.
    """
    if not samples:
        return []
    out: list[float] = []
    lo = hi = samples[0][1]  # before the first transition: range seen so far
    extreme = lo  # after it: the peak (rising) or trough (falling) since the last transition
    direction = 0  # +1 last transition was a rise, -1 a fall, 0 none yet
    transitions = 0
    for t, level in samples[1:]:
        rise = fall = False
        if direction == 0:
            lo, hi = min(lo, level), max(hi, level)
            rise = level - lo >= delta and lo < DARK_BELOW
            fall = not rise and hi - level >= delta and level < DARK_BELOW
        elif direction > 0:
            extreme = max(extreme, level)
            fall = extreme - level >= delta and level < DARK_BELOW
        else:
            extreme = min(extreme, level)
            rise = level - extreme >= delta and extreme < DARK_BELOW
        if rise or fall:
            direction = 1 if rise else -1
            extreme = level
            transitions += 1
            if transitions % 2 == 0:
                out.append(t)
    return out


def max_flashes_in_any_second(times: Sequence[float]) -> int:
    """Most flashes in any one-second window ``[t, t + 1)``."""
    ordered = sorted(times)
    best = 0
    j = 0
    for i, start in enumerate(ordered):
        j = max(j, i)
        while j < len(ordered) and ordered[j] < start + 1.0 - 1e-9:
            j += 1
        best = max(best, j - i)
    return best


def flash_rate_ok(samples: Sequence[tuple[float, float]]) -> bool:
    """True if the series never flashes more than ``MAX_FLASHES_PER_S`` times in a second."""
    return max_flashes_in_any_second(flash_times(samples)) <= limits.MAX_FLASHES_PER_S
