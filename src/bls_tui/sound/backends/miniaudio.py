"""Sound through ``miniaudio`` (wheels bundle the C library; ALSA/CoreAudio/WASAPI at run time).

A streaming backend: miniaudio's device thread calls our ``pull(n)`` for every period, so the
sound for each period is decided at most one device buffer before it is heard, and a stop
signal can fade within that buffer.

Buffer: ``PERIOD_MS`` x ``PERIODS`` = 30 ms.  Latency offset: miniaudio fills the whole device
buffer *before* it starts the device (``ma_device_start`` pre-fills on ALSA), so frame 0 leaves
at the moment the stream starts and the frame -> clock mapping is taken from that moment; the
remaining delay is the converter/DAC path (well under 5 ms on ALSA hardware), hence a default
offset of 0 ms.  Through PulseAudio/PipeWire the server adds its own latency (typically 20-60
ms): measure it with a microphone and set ``--audio-latency-ms`` (or ``latency_ms`` in
``audio.toml``).  No paced sound device exists on the test machines, so these are the
library's documented buffer semantics, not a measurement of a loudspeaker.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from bls_tui.sound.base import AudioUnavailable, BackendKind, PlayHandle, captured_fd2, short_reason

PERIOD_MS = 10
PERIODS = 3


def _backends(miniaudio: Any) -> list[Any]:
    """Real system backends for this OS (never miniaudio's silent NULL backend)."""
    b = miniaudio.Backend
    if sys.platform.startswith("linux"):
        return [b.PULSEAUDIO, b.ALSA]
    if sys.platform == "darwin":
        return [b.COREAUDIO]
    if sys.platform == "win32":
        return [b.WASAPI, b.DSOUND, b.WINMM]
    return [x for x in b if x not in (b.NULL, b.CUSTOM, b.JACK)]


class MiniaudioBackend:
    """A miniaudio ``PlaybackDevice`` fed by a pull callback."""

    name = "miniaudio"
    kind: BackendKind = "stream"
    default_latency_ms = 0.0
    write_ahead_ms = float(PERIOD_MS * PERIODS)

    def __init__(self) -> None:
        self._device: Any = None
        self._device_name = ""
        self._rate = 0

    @property
    def device_name(self) -> str:
        """``"<system backend>: default device"`` once open."""
        return self._device_name

    def open(self, rate: int) -> None:
        """Open the system's default output device."""
        chatter: list[str] = []
        try:
            import miniaudio
        except ImportError as exc:
            raise AudioUnavailable(f"miniaudio is not installed ({exc})") from None
        try:
            with captured_fd2(chatter):
                device = miniaudio.PlaybackDevice(
                    output_format=miniaudio.SampleFormat.SIGNED16,
                    nchannels=2,
                    sample_rate=rate,
                    buffersize_msec=PERIOD_MS,
                    callback_periods=PERIODS,
                    backends=_backends(miniaudio),
                    app_name="bls-tui",
                )
        except Exception as exc:  # miniaudio raises MiniaudioError / cffi errors
            raise AudioUnavailable(short_reason(exc, chatter)) from None
        self._device = device
        self._rate = rate
        self._device_name = f"{device.backend}: default device"

    def start_stream(self, pull: Callable[[int], bytes]) -> None:
        """Start the device; it calls ``pull(n)`` from its own thread."""
        if self._device is None:
            raise AudioUnavailable("device not open")

        def generator() -> Any:
            n = yield b""
            while True:
                n = yield pull(n)

        gen = generator()
        next(gen)
        chatter: list[str] = []
        try:
            with captured_fd2(chatter):
                self._device.start(gen)
        except Exception as exc:
            raise AudioUnavailable(short_reason(exc, chatter)) from None

    def stop_stream(self) -> None:
        """Halt the device (it can be started again)."""
        if self._device is None:
            return
        try:
            with captured_fd2():
                self._device.stop()
        except Exception as exc:
            raise AudioUnavailable(short_reason(exc)) from None

    def play_buffer(self, data: Any) -> PlayHandle:
        """Not a buffer backend."""
        raise AudioUnavailable("miniaudio streams; it does not play whole buffers")

    def close(self) -> None:
        """Stop and release the device (idempotent)."""
        device, self._device = self._device, None
        if device is not None:
            with captured_fd2():
                device.close()
