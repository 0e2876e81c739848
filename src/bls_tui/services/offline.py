"""Sound without a running app: one set rendered to memory, and the left/right check."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bls_tui.config.presets import Preset
from bls_tui.services.preset_params import plan_from, tone_params
from bls_tui.sound.base import RATE, AudioBackend
from bls_tui.sound.render import MAX_TAIL_S, Renderer
from bls_tui.sound.schedule import Schedule
from bls_tui.sound.sounds import synthesize
from bls_tui.sound.tones import ToneParams, to_int16
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import Engine

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def render_set(preset: Preset, rate: int = RATE) -> tuple[npt.NDArray[np.float32], int, int]:
    """The exact stereo audio of one uninterrupted set: ``(frames, rate, number of tones)``.

    Frame 0 is the set start; it ends after the last burst (or the follow tone) has faded.
    """

    params = tone_params(preset)
    engine = Engine(plan_from(preset), FakeClock(0.0))
    engine.start_set(0.0)
    sched = Schedule.start(engine, 0.0)
    end = sched.end_t() or 0.0
    renderer = Renderer(rate, params, muted=preset.mute)
    renderer.set_schedule(sched)
    tail = 0.05 if params.follow else min(MAX_TAIL_S, params.burst_ms / 1000.0 + 0.2)
    if params.tone not in ("sine", "soft-square", "click", "chime") and not params.follow:
        from bls_tui.sound.sounds import load_tone

        tail = len(load_tone(params.tone, rate=rate, params=params)) / rate + 0.2
    n = round((end + tail) * rate)
    buf, onsets = renderer.render(0.0, n)
    return buf, rate, len(onsets)


CHECK_PLAN: tuple[tuple[str, str], ...] = (("left", "LEFT ear"), ("right", "RIGHT ear"))


def check_buffer(side: str, volume_pct: int, rate: int = RATE) -> npt.NDArray[np.int16]:
    """Three soft bursts on one channel only (1.2 s), for the headphone check."""
    params = ToneParams(tone="sine", burst_ms=150.0, fade_ms=15.0, volume_pct=volume_pct)
    edges = [(0.1 + 0.35 * i, side) for i in range(3)]
    return to_int16(synthesize(edges, start=0.0, n_frames=round(1.2 * rate), rate=rate,
                               params=params))  # fmt: skip


def play_check(backend: AudioBackend, volume_pct: int) -> Iterator[tuple[str, str]]:
    """Play "left" then "right" through an opened backend, yielding what plays as it starts."""
    for side, say in CHECK_PLAN:
        data = check_buffer(side, volume_pct)
        yield side, f"now: {say} ({side} channel only)"
        if backend.kind == "buffer":
            handle = backend.play_buffer(data)
            time.sleep(len(data) / RATE + 0.15)
            handle.stop()
        elif backend.kind == "stream":
            feed = _Feed(data)
            backend.start_stream(feed.pull)
            time.sleep(len(data) / RATE + 0.1)
            backend.stop_stream()
        time.sleep(0.3)


class _Feed:
    """Pull callback over a fixed buffer, paced to the wall clock (unpaced sinks exist)."""

    def __init__(self, data: npt.NDArray[np.int16]) -> None:
        self.data = data
        self.pos = 0
        self.began = time.monotonic()

    def pull(self, n: int) -> bytes:
        import numpy as np

        ahead = self.pos / RATE - (time.monotonic() - self.began) - 0.05
        if ahead > 0:
            time.sleep(min(ahead, 0.1))
        chunk = np.zeros((n, 2), dtype=np.int16)
        part = self.data[self.pos : self.pos + n]
        chunk[: len(part)] = part
        self.pos += n
        return chunk.tobytes()
