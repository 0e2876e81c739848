"""One monotonic clock for everything that is timed.

Motion, edge events, tone onsets and the trace all read the same clock.  Tests replace it
with :class:`FakeClock`, which only moves when told to.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Anything with a monotonic ``now()`` in seconds."""

    def now(self) -> float:
        """Return the current monotonic time in seconds."""
        ...


class MonotonicClock:
    """The real clock: :func:`time.monotonic`."""

    def now(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock for tests: starts at ``start`` and moves only by :meth:`advance` / :meth:`set`."""

    def __init__(self, start: float = 1000.0) -> None:
        self._t = start

    def now(self) -> float:
        return self._t

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` and return the new time."""
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        self._t += seconds
        return self._t

    def set(self, t: float) -> None:
        """Jump to absolute time ``t`` (never backwards)."""
        if t < self._t:
            raise ValueError("a monotonic clock cannot go backwards")
        self._t = t


class ScaledClock:
    """A monotonic clock that runs ``factor`` times faster than real time (soak tests)."""

    def __init__(self, factor: float) -> None:
        self._factor = factor
        self._origin = time.monotonic()

    def now(self) -> float:
        return self._origin + (time.monotonic() - self._origin) * self._factor


def fmt_clock(seconds: float) -> str:
    """A duration as ``m:ss`` (or ``h:mm:ss``), for clocks on screen."""
    s = int(max(0.0, seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
