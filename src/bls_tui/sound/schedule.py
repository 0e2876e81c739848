"""What a set sounds like, as an immutable plan in clock time (no device, no threads).

A :class:`Schedule` is built from the engine's anchors.  Each speed change, resume or length
change appends a :class:`Segment` starting at the change time, so edge times stay exactly the
engine's (phase-continuous) edge times.  Pauses and the stop signal add *silences*: sound fades
out over ``FADE_S`` at the silence start and stays off until its end.

Building a schedule is O(number of segments), so it is done on the UI thread; listing edges
and rendering happen on audio threads.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bls_tui.stimulus.engine import Engine
from bls_tui.stimulus.motion import edge_side, point

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

FADE_S = 0.012
"""Fade to silence on stop / pause (raised cosine), seconds."""

INF = math.inf


@dataclass(frozen=True)
class Segment:
    """Edges ``k_first..k_last`` at the speed of one engine anchor, for clock ``[t0, t1)``."""

    t0: float
    t1: float
    at: float
    ap: float
    hz: float
    k_first: int
    k_last: int | None

    def phase(self, t: float) -> float:
        """Motion phase at ``t`` under this anchor."""
        return self.ap + self.hz * (t - self.at)

    def edge_t(self, k: int) -> float:
        """Time of edge ``k`` (never before the segment starts)."""
        return max(self.t0, self.at + (k / 2.0 - self.ap) / self.hz)


@dataclass(frozen=True)
class Schedule:
    """The sound plan of one set."""

    set_no: int
    set_start: float
    segments: tuple[Segment, ...]
    silences: tuple[tuple[float, float], ...] = ()
    pattern: str = "horizontal"
    profile: str = "sine"
    dwell: float = 0.0

    # ------------------------------------------------------------- building
    @classmethod
    def start(cls, engine: Engine, t: float) -> Schedule:
        """The plan of the set the engine has just started at ``t``."""
        seg = _segment(engine, t, k_first=1)
        plan = engine.plan
        return cls(engine.set_number, t, (seg,), (), plan.pattern, plan.profile, engine.dwell)

    def changed(self, engine: Engine, t: float) -> Schedule:
        """Edges from ``t`` on follow the engine's current anchor (speed or length change)."""
        last = self.segments[-1]
        if last.t1 < INF:  # paused: nothing to change until the resume
            return self
        k_next = last.k_first
        if t > last.t0:
            k_next = max(last.k_first, math.ceil(2.0 * last.phase(t) - 1e-9))
        closed = replace(last, t1=t)
        seg = _segment(engine, t, k_first=k_next)
        return replace(self, segments=(*self.segments[:-1], closed, seg))

    def silenced(self, t: float) -> Schedule:
        """Silence from ``t`` (pause or stop): no segment is live after ``t``."""
        last = self.segments[-1]
        segs = self.segments
        if last.t1 == INF:
            segs = (*segs[:-1], replace(last, t1=max(t, last.t0)))
        return replace(self, segments=segs, silences=(*self.silences, (t, INF)))

    def resumed(self, engine: Engine, t: float) -> Schedule:
        """Close the open silence at ``t``; edges continue from the engine's anchor."""
        sil = list(self.silences)
        if sil and sil[-1][1] == INF:
            sil[-1] = (sil[-1][0], max(t, sil[-1][0]))
        last = self.segments[-1]
        k_next = max(last.k_first, math.ceil(2.0 * engine.anchor()[1] - 1e-9))
        seg = _segment(engine, t, k_first=k_next)
        return replace(self, segments=(*self.segments, seg), silences=tuple(sil))

    # ------------------------------------------------------------- queries
    @property
    def open_silence(self) -> float | None:
        """Start of a silence that has not ended (paused or stopped), or ``None``."""
        if self.silences and self.silences[-1][1] == INF:
            return self.silences[-1][0]
        return None

    def in_silence(self, t: float) -> bool:
        """True if ``t`` lies inside a silence."""
        return any(a <= t < b for a, b in self.silences)

    def end_t(self) -> float | None:
        """Time after which no new onset comes (``None`` while the set length is unbounded)."""
        last = self.segments[-1]
        if last.t1 < INF:
            return last.t1
        return None if last.k_last is None else last.edge_t(last.k_last)

    def edges(self, a: float, b: float) -> list[tuple[float, str, int]]:
        """Edges ``(t, side, k)`` with ``a <= t < b`` that are not inside a silence."""
        out: list[tuple[float, str, int]] = []
        for seg in self.segments:
            lo, hi = max(a, seg.t0), min(b, seg.t1)
            if lo >= hi:
                continue
            k = seg.k_first
            if lo > seg.t0:
                k = max(k, math.ceil(2.0 * seg.phase(lo) - 1e-9))
            while seg.k_last is None or k <= seg.k_last:
                t = seg.edge_t(k)
                if t >= hi:
                    break
                if t >= lo and not self.in_silence(t):
                    out.append((t, edge_side(k), k))
                k += 1
        return out

    def phase_at(self, t: float) -> float:
        """Motion phase at ``t`` (frozen between segments)."""
        starts = [s.t0 for s in self.segments]
        i = max(0, bisect.bisect_right(starts, t) - 1)
        seg = self.segments[i]
        return seg.phase(min(max(t, seg.t0), seg.t1 if seg.t1 < INF else t))

    def x_at(self, times: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The dot's x (0 = left, 1 = right) at clock ``times``, for the follow tone."""
        import numpy as np

        if len(times) == 0:
            return np.zeros(0)
        t0, t1 = float(times[0]), float(times[-1])
        n_grid = max(2, math.ceil((t1 - t0) / 0.004) + 1)
        grid = np.linspace(t0, t1, n_grid)
        xs = np.array(
            [
                point(self.phase_at(float(g)), self.pattern, self.profile, self.dwell)[0]  # type: ignore[arg-type]
                for g in grid
            ]
        )
        return np.asarray(np.interp(times, grid, xs), dtype=np.float64)


def _segment(engine: Engine, t: float, *, k_first: int) -> Segment:
    at, ap, hz = engine.anchor()
    return Segment(t, INF, at, ap, hz, k_first, planned_last_edge(engine, t))


def planned_last_edge(engine: Engine, now: float) -> int | None:
    """Index of the set's last edge as the engine will end it (seconds mode: predicted)."""
    end = engine.end_phase
    if end is not None:
        return round(2.0 * end)
    seconds = engine.plan.seconds
    if seconds is None:
        return None
    at, ap, hz = engine.anchor()
    t_s = now + max(0.0, seconds - engine.elapsed(now))
    reached = ap + hz * (t_s - at)
    return max(1, math.ceil(2.0 * reached - 1e-9))
