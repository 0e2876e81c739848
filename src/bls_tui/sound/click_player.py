"""Plays the calibration clicks through an opened backend (device work off the UI thread)."""

from __future__ import annotations

import threading
import time

from bls_tui.sound.base import RATE, AudioBackend
from bls_tui.sound.calibrate import CLICKS, INTERVAL_S
from bls_tui.stimulus.clock import Clock

LEAD_S = 0.5
"""Silence before the first click, so the device is running when it comes."""


class ClickPlayer:
    """A steady click track: :meth:`start` returns the clock time click 0 leaves the app."""

    def __init__(self, backend: AudioBackend, clock: Clock, volume_pct: int = 40) -> None:
        self.backend = backend
        self.clock = clock
        self.volume_pct = volume_pct
        self.problem: str | None = None
        self._handle: object | None = None

    @property
    def label(self) -> str:
        """Backend and device, for the screen."""
        return f"{self.backend.name} · {self.backend.device_name or 'default device'}"

    def start(self) -> float:
        """Start the clicks now; the time (on :attr:`clock`) of the first click's first sample."""
        import numpy as np

        from bls_tui.sound.sounds import synthesize
        from bls_tui.sound.tones import ToneParams, to_int16

        params = ToneParams(tone="click", volume_pct=self.volume_pct)
        edges = [
            (LEAD_S + i * INTERVAL_S, "left" if i % 2 == 0 else "right") for i in range(CLICKS)
        ]
        n = round((LEAD_S + CLICKS * INTERVAL_S + 0.5) * RATE)
        mono = synthesize(edges, start=0.0, n_frames=n, rate=RATE, params=params)
        both = np.repeat(mono.max(axis=1, keepdims=True), 2, axis=1)  # each click in both ears
        data = to_int16(both)
        t0 = self.clock.now()
        if self.backend.kind == "buffer":
            self._handle = self.backend.play_buffer(data)
        elif self.backend.kind == "stream":
            pos = [0]

            def pull(frames: int) -> bytes:
                ahead = pos[0] / RATE - (time.monotonic() - began) - 0.05
                if ahead > 0:
                    time.sleep(min(ahead, 0.1))
                chunk = np.zeros((frames, 2), dtype=np.int16)
                part = data[pos[0] : pos[0] + frames]
                chunk[: len(part)] = part
                pos[0] += frames
                return chunk.tobytes()

            began = time.monotonic()
            t0 = self.clock.now()
            self.backend.start_stream(pull)
        return t0 + LEAD_S

    def stop(self) -> None:
        """Stop the clicks (in a thread: device calls may block)."""

        def work() -> None:
            try:
                if self._handle is not None:
                    self._handle.stop()  # type: ignore[attr-defined]
                elif self.backend.kind == "stream":
                    self.backend.stop_stream()
                self.backend.close()
            except Exception as exc:  # a device error on close changes nothing measured
                self.problem = f"{type(exc).__name__}: {exc}"

        threading.Thread(target=work, name="bls-calibrate-stop", daemon=True).start()
