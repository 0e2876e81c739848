"""Feeding a backend from the :class:`Renderer`: a pull stream, or chained buffers.

Both players run their device work on the controller's worker thread (never the UI thread)
and report trace records through ``emit``.  Stream frame ``i`` is heard at clock
``t0 + i / rate``, where ``t0`` = clock time the stream started + the latency offset; that
``t0`` is the ``stream_start`` record's ``t``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bls_tui.sound.base import AudioBackend, AudioUnavailable
from bls_tui.sound.render import MAX_TAIL_S, Onset, Renderer, fade_gain
from bls_tui.sound.schedule import FADE_S
from bls_tui.sound.tones import to_int16
from bls_tui.stimulus.clock import Clock

Emit = Callable[[dict[str, Any]], None]

STREAM_AHEAD_S = 0.030
"""A pull stream never hands over frames further ahead of the ear than this (the 30 ms device
buffer of the miniaudio backend); it also paces unpaced sinks such as ALSA's null/file."""
WATCHDOG_S = 1.0
"""A running stream whose device has not asked for frames for this long is lost."""
SEGMENT_S = 10.0
"""Longest buffer a buffer backend is given at once (longer sets are chained)."""


class _Ids:
    """Stream ids, unique per process."""

    lock = threading.Lock()
    last = 0

    @classmethod
    def next(cls) -> int:
        with cls.lock:
            cls.last += 1
            return cls.last


class StreamPlayer:
    """Runs a stream backend: its device thread pulls rendered frames."""

    def __init__(
        self, backend: AudioBackend, renderer: Renderer, clock: Clock, latency_s: float, emit: Emit
    ) -> None:
        self.backend, self.renderer, self.clock = backend, renderer, clock
        self.latency_s, self.emit = latency_s, emit
        self.rate = renderer.rate
        self.running = False
        self.stream_id = 0
        self.t0 = 0.0
        self.pos = 0
        self.error: str | None = None
        self._last_pull = 0.0

    def earliest(self, now: float) -> float:
        """Heard time of the first frame that can still change."""
        if not self.running:
            return now + self.latency_s
        return max(now + self.latency_s, self.t0 + self.pos / self.rate)

    def begin(self) -> None:
        """Start the device if it is not running."""
        if self.running:
            return
        self.stream_id = _Ids.next()
        self.pos = 0
        self.t0 = 0.0
        self.error = None
        self._last_pull = time.monotonic()
        self.running = True
        try:
            self.backend.start_stream(self._pull)
        except AudioUnavailable:
            self.running = False
            raise

    def _pull(self, n: int) -> bytes:
        """Device thread: the next ``n`` frames (never raises)."""
        try:
            self._last_pull = time.monotonic()
            if self.pos == 0 and self.t0 == 0.0:
                self.t0 = self.clock.now() + self.latency_s
                self.emit(
                    {
                        "event": "stream_start",
                        "t": self.t0,
                        "stream": self.stream_id,
                        "rate": self.rate,
                        "backend": self.backend.name,
                        "latency_ms": round(self.latency_s * 1000.0, 3),
                    }
                )
            # pace to the clock: an unpaced sink (ALSA null/file) must not run ahead
            due = self.t0 - self.latency_s + (self.pos + n) / self.rate - STREAM_AHEAD_S
            wait = due - self.clock.now()
            if wait > 0:
                time.sleep(min(wait, 0.5))
            buf, onsets = self.renderer.render(self.t0 + self.pos / self.rate, n)
            self._record(onsets)
            self.pos += n
            return bytes(to_int16(buf).data)
        except Exception as exc:  # a failure here must not print over the TUI
            self.error = f"{type(exc).__name__}: {exc}"
            return bytes(4 * n)

    def _record(self, onsets: list[Onset]) -> None:
        for o in onsets:
            self.emit(
                {
                    "event": "tone",
                    "t": o.t,
                    "side": o.side,
                    "k": o.k,
                    "frame": self.pos + o.frame,
                    "stream": self.stream_id,
                }
            )

    def handover(self, t: float) -> None:
        """Nothing to do: every period is rendered from the current schedule."""

    def cut(self, t: float) -> None:
        """Nothing to do: the renderer fades from ``t``."""

    def tick(self, now: float, in_set: bool) -> None:
        """Stop the device once the set's sound is over; notice a dead device."""
        if not self.running:
            return
        if self.error is not None:
            self._halt()
            raise AudioUnavailable(self.error)
        if time.monotonic() - self._last_pull > WATCHDOG_S:
            self._halt()
            raise AudioUnavailable("the audio device stopped asking for sound")
        if not in_set and self._sound_over(now):
            self._halt()

    def _sound_over(self, now: float) -> bool:
        sched = self.renderer.schedule
        end = sched.end_t() if sched is not None else None
        if end is None:
            return sched is None
        tail = MAX_TAIL_S if sched is None or sched.open_silence is None else FADE_S
        return self.t0 + self.pos / self.rate > end + tail + 0.05 or now > end + tail + 0.5

    def _halt(self) -> None:
        self.running = False
        self.backend.stop_stream()

    def close(self) -> None:
        """Stop the device."""
        if self.running:
            self._halt()


@dataclass
class _Segment:
    """One buffer being played by a buffer backend."""

    stream_id: int
    t0: float
    data: Any  # int16 (n, 2) array, read in place by the library
    handle: Any
    pending: list[Onset] = field(default_factory=list)
    stop_at: float | None = None  # faded out: stop the handle at this clock time

    def end(self, rate: int) -> float:
        """Heard time just after the last frame."""
        return self.t0 + len(self.data) / rate


class BufferPlayer:
    """Runs a buffer backend: the set is rendered in segments and played buffer by buffer.

    Changes take effect at :meth:`earliest` (``write_ahead_ms`` after now): the playing buffer
    is faded out in place from there and, if the set goes on, a new buffer fading in at the
    same instant takes over (a crossfade between two renders of the same timeline).
    """

    def __init__(
        self, backend: AudioBackend, renderer: Renderer, clock: Clock, latency_s: float, emit: Emit
    ) -> None:
        self.backend, self.renderer, self.clock = backend, renderer, clock
        self.latency_s, self.emit = latency_s, emit
        self.rate = renderer.rate
        self.ahead_s = backend.write_ahead_ms / 1000.0
        self.seg: _Segment | None = None
        self.retiring: list[_Segment] = []
        self._render_est = 0.03

    @property
    def running(self) -> bool:
        """True while a buffer plays."""
        return self.seg is not None

    def earliest(self, now: float) -> float:
        """Heard time of the first frame that can still change."""
        return now + self.latency_s + (self.ahead_s if self.seg is not None else 0.0)

    def begin(self) -> None:
        """Play the set from now (a new buffer), if nothing plays yet."""
        if self.seg is None or self.seg.stop_at is not None:
            self._play_from(None)

    def handover(self, t: float) -> None:
        """The plan changed from ``t``: a new buffer takes over there."""
        if self.seg is None:
            return
        self._fade_current(t)
        sched = self.renderer.schedule
        if sched is not None and sched.open_silence is None:
            self._play_from(t)

    def cut(self, t: float) -> None:
        """Silence from ``t`` (pause / stop): fade the playing buffer out in place."""
        self._fade_current(t)

    def _fade_current(self, t: float) -> None:
        import numpy as np

        seg = self.seg
        if seg is None or seg.stop_at is not None:
            return
        f = max(0, round((t - seg.t0) * self.rate))
        if f < len(seg.data):
            rest = seg.data[f:]
            times = seg.t0 + (f + np.arange(len(rest), dtype=np.float64)) / self.rate
            gain = fade_gain(times, t)[:, None]
            rest[...] = np.rint(rest * gain).astype(np.int16)
        self._flush(seg, until=t, drop_rest=True)
        seg.stop_at = t + FADE_S + 0.02

    def _play_from(self, t_fade_in: float | None) -> None:
        import numpy as np

        sched = self.renderer.schedule
        if sched is None:
            return
        t_call = self.clock.now() + self._render_est
        t0 = t_call + self.latency_s
        end = sched.end_t()
        stop_at = t0 + SEGMENT_S if end is None else min(t0 + SEGMENT_S, end + MAX_TAIL_S)
        n = max(0, round((stop_at - t0) * self.rate))
        began = time.perf_counter()
        buf, onsets = self.renderer.render(t0, n)
        if t_fade_in is not None:
            times = t0 + np.arange(n, dtype=np.float64) / self.rate
            buf = buf * (1.0 - fade_gain(times, t_fade_in)).astype(np.float32)[:, None]
            onsets = [o for o in onsets if o.t >= t_fade_in]
        data = to_int16(buf)
        self._render_est = 1.5 * (time.perf_counter() - began) + 0.01
        wait = t_call - self.clock.now()
        if wait > 0:
            time.sleep(wait)
        late = max(0, round((self.clock.now() - t_call) * self.rate))
        data = data[late:]
        onsets = [Onset(o.t, o.side, o.k, o.frame - late) for o in onsets if o.frame >= late]
        old = self.seg
        self.seg = None
        if old is not None:
            self.retiring.append(old)
        if len(data) == 0:
            return
        handle = self.backend.play_buffer(data)
        seg = _Segment(_Ids.next(), t0 + late / self.rate, data, handle, onsets)
        self.seg = seg
        self.emit(
            {
                "event": "stream_start",
                "t": seg.t0,
                "stream": seg.stream_id,
                "rate": self.rate,
                "backend": self.backend.name,
                "latency_ms": round(self.latency_s * 1000.0, 3),
            }
        )

    def _flush(self, seg: _Segment, *, until: float, drop_rest: bool = False) -> None:
        """Emit tone records of ``seg`` heard before ``until`` (forget the rest if asked)."""
        keep = []
        for o in seg.pending:
            if o.t < until:
                self.emit(
                    {
                        "event": "tone",
                        "t": o.t,
                        "side": o.side,
                        "k": o.k,
                        "frame": o.frame,
                        "stream": seg.stream_id,
                    }
                )
            elif not drop_rest:
                keep.append(o)
        seg.pending = keep

    def tick(self, now: float, in_set: bool) -> None:
        """Emit heard tones, stop faded buffers, chain the next segment of a long set."""
        for old in list(self.retiring):
            if old.stop_at is None or now >= old.stop_at:
                if old.stop_at is not None:
                    old.handle.stop()
                self._flush(old, until=INF_T)
                self.retiring.remove(old)
        seg = self.seg
        if seg is None:
            return
        self._flush(seg, until=now)
        if seg.stop_at is not None:
            if now >= seg.stop_at:
                seg.handle.stop()
                self.seg = None
            return
        sched = self.renderer.schedule
        end = sched.end_t() if sched is not None else None
        seg_end = seg.end(self.rate)
        if end is not None and seg_end >= end + 0.05:
            if now > seg_end:  # played out
                self._flush(seg, until=INF_T)
                self.seg = None
            return
        if now > seg_end - 0.5 - self.ahead_s:
            self.handover(self.earliest(now))

    def close(self) -> None:
        """Stop every buffer."""
        for old in self.retiring:
            old.handle.stop()
        self.retiring.clear()
        if self.seg is not None:
            self.seg.handle.stop()
            self.seg = None


INF_T = float("inf")
