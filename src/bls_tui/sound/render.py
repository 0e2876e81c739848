"""Rendering the current schedule for any window of clock time (thread-safe).

The UI thread swaps in new schedules and tone settings; audio threads call
:meth:`Renderer.render`.  Outside transitions the output is exactly
:func:`bls_tui.sound.tones.synthesize` of the schedule's edges, so a capture can be compared
with a one-shot synthesis of the same set.  Transitions:

* a silence (pause / stop) fades out over ``FADE_S`` from its start (same raised cosine as
  :func:`tones.fade_out`) and holds zero until its end; bursts that began before a silence
  do not come back after it;
* a change of tone settings (volume, mute, tone type) crossfades over ``XFADE_S``.
"""

from __future__ import annotations

import bisect
import itertools
import math
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bls_tui.sound.schedule import FADE_S, INF, Schedule
from bls_tui.sound.sounds import synthesize
from bls_tui.sound.tones import ToneParams

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]

XFADE_S = 0.010
MAX_TAIL_S = 2.1
"""Longest burst template (WAV sounds are at most 2 s): how far back an onset still sounds."""


@dataclass(frozen=True)
class Onset:
    """A burst onset placed in a rendered window."""

    t: float
    side: str
    k: int
    frame: int  # offset from the window's first frame


def fade_gain(times: npt.NDArray[np.float64], start: float) -> npt.NDArray[np.float64]:
    """1 before ``start``, raised-cosine down to 0 over ``FADE_S``, then 0."""
    import numpy as np

    u = np.clip((times - start) / FADE_S, 0.0, 1.0)
    return 0.5 * (1.0 + np.cos(np.pi * u))


class Renderer:
    """Audio of a schedule for any clock window; settings may change at any time."""

    def __init__(self, rate: int, params: ToneParams, *, muted: bool = False) -> None:
        self.rate = rate
        self._lock = threading.Lock()
        self._schedule: Schedule | None = None
        self._params = params
        self._muted = muted
        self._prev: tuple[ToneParams, bool] | None = None
        self._change_t = -INF

    # ----------------------------------------------------------- settings
    @property
    def schedule(self) -> Schedule | None:
        """The schedule being rendered."""
        return self._schedule

    @property
    def params(self) -> ToneParams:
        """Current tone settings."""
        return self._params

    @property
    def muted(self) -> bool:
        """True while muted."""
        return self._muted

    def set_schedule(self, schedule: Schedule | None) -> None:
        """Render ``schedule`` from now on."""
        with self._lock:
            self._schedule = schedule

    def set_params(self, params: ToneParams, muted: bool, t: float) -> None:
        """New tone settings, crossfaded in from clock time ``t``."""
        with self._lock:
            self._prev = (self._params, self._muted)
            self._params, self._muted = params, muted
            self._change_t = t

    # ----------------------------------------------------------- rendering
    def render(self, start: float, n: int) -> tuple[FloatArray, list[Onset]]:
        """``n`` stereo frames whose frame ``i`` is heard at ``start + i / rate``, and the
        audible burst onsets among them."""
        import numpy as np

        with self._lock:
            sched, params, muted = self._schedule, self._params, self._muted
            prev, change_t = self._prev, self._change_t
        rate = self.rate
        if sched is None or n <= 0:
            return np.zeros((max(n, 0), 2), dtype=np.float32), []
        end = start + n / rate
        buf = self._render_with(sched, params, muted, start, n)
        if prev is not None and change_t + XFADE_S > start and change_t < end:
            old = self._render_with(sched, prev[0], prev[1], start, n)
            times = start + np.arange(n, dtype=np.float64) / rate
            w = np.clip((times - change_t) / XFADE_S, 0.0, 1.0).astype(np.float32)[:, None]
            buf = np.ascontiguousarray(old * (1.0 - w) + buf * w, dtype=np.float32)
        onsets: list[Onset] = []
        if not muted and params.volume_pct > 0:
            for t, side, k in sched.edges(start, end):
                frame = round((t - start) * rate)
                if 0 <= frame < n:
                    onsets.append(Onset(t, side, k, frame))
        return buf, onsets

    def _render_with(
        self, sched: Schedule, params: ToneParams, muted: bool, start: float, n: int
    ) -> FloatArray:
        import numpy as np

        rate = self.rate
        end = start + n / rate
        if muted or params.volume_pct <= 0:
            return np.zeros((n, 2), dtype=np.float32)
        # pieces split at silence ends: after a silence only its own new onsets sound
        cuts = sorted(b for a, b in sched.silences if start < b < end)
        bounds = [0, *(math.ceil((b - start) * rate - 1e-9) for b in cuts), n]
        ends = sorted(b for _, b in sched.silences if b < INF)
        pieces = []
        for p0, p1 in itertools.pairwise(bounds):
            if p1 <= p0:
                continue
            t_p = start + p0 / rate
            i = bisect.bisect_right(ends, t_p + 1e-12)
            since = ends[i - 1] if i > 0 else -INF
            edges = [
                (t, side)
                for t, side, _ in sched.edges(max(since, t_p - MAX_TAIL_S), start + p1 / rate)
            ]
            follow = sched.x_at if params.follow else None
            pieces.append(
                synthesize(
                    edges,
                    start=t_p,
                    n_frames=p1 - p0,
                    rate=rate,
                    params=params,
                    set_start=sched.set_start,
                    follow_x=follow,
                )
            )
        buf = pieces[0] if len(pieces) == 1 else np.concatenate(pieces, axis=0)
        gain = self._silence_gain(sched, params, start, n)
        if gain is not None:
            buf = np.ascontiguousarray(buf * gain.astype(np.float32)[:, None], dtype=np.float32)
        return buf

    def _silence_gain(
        self, sched: Schedule, params: ToneParams, start: float, n: int
    ) -> npt.NDArray[np.float64] | None:
        """Envelope of the silences (and the follow tone's end) over the window, if any."""
        import numpy as np

        end = start + n / self.rate
        spans = list(sched.silences)
        if params.follow:
            last = sched.end_t()
            if last is not None:
                spans.append((last, INF))
        spans = [(a, b) for a, b in spans if a < end and b > start]
        if not spans:
            return None
        times = start + np.arange(n, dtype=np.float64) / self.rate
        gain = np.ones(n)
        for a, b in spans:
            g = fade_gain(times, a)
            g[times >= b] = 1.0
            gain *= g
        return gain
