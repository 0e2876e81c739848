"""Sound through ``simpleaudio`` (builds against the ALSA headers; ``simpleaudio-patched``).

A buffer backend: ``play_buffer`` opens ``default`` per buffer and a C thread writes the
caller's memory to ALSA in chunks of its fixed 100 ms buffer (``SA_LATENCY_US`` in its C
source), reading the buffer *in place*.  So:

* Frame 0 is heard right after ``play_buffer`` returns: ``snd_pcm_set_params`` sets the start
  threshold to the buffer size and the first ``snd_pcm_writei`` fills it at once.  Default
  latency offset 0 ms (plus whatever a sound server adds; set ``--audio-latency-ms``).
* Frames up to 100 ms ahead of the ear are already inside ALSA and cannot be changed, and
  ``stop()`` *drains* them (``snd_pcm_drain``).  Hence ``write_ahead_ms`` = 100 + 20 ms margin:
  a stop fade starts that far ahead, which is the 100 ms the schedule must compensate for.
  The stop therefore silences within about 135 ms on this backend (miniaudio: within 45 ms).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bls_tui.sound.base import AudioUnavailable, BackendKind, PlayHandle, captured_fd2, short_reason

SA_BUFFER_MS = 100.0  # simpleaudio.h: #define SA_LATENCY_US (100000)


class SimpleaudioBackend:
    """``simpleaudio.play_buffer`` per buffer."""

    name = "simpleaudio"
    kind: BackendKind = "buffer"
    default_latency_ms = 0.0
    write_ahead_ms = SA_BUFFER_MS + 20.0

    def __init__(self) -> None:
        self._sa: Any = None
        self._rate = 0

    @property
    def device_name(self) -> str:
        """simpleaudio always plays to the system default device."""
        return "ALSA/system default device" if self._sa is not None else ""

    def open(self, rate: int) -> None:
        """Import simpleaudio and prove the default device opens (plays 10 ms of silence)."""
        try:
            import simpleaudio
        except ImportError as exc:
            raise AudioUnavailable(
                f"simpleaudio is not installed ({exc}); pip install 'bls-tui[simpleaudio]' "
                "(needs the ALSA headers: apt-get install libasound2-dev)"
            ) from None
        self._sa = simpleaudio
        self._rate = rate
        silence = bytearray(4 * max(1, rate // 100))
        try:
            handle = self.play_buffer(silence)
            handle.stop()
        except AudioUnavailable:
            self._sa = None
            raise

    def start_stream(self, pull: Callable[[int], bytes]) -> None:
        """Not a stream backend."""
        raise AudioUnavailable("simpleaudio plays whole buffers; it does not stream")

    def stop_stream(self) -> None:
        """Nothing to do (buffers are stopped through their handles)."""

    def play_buffer(self, data: Any) -> PlayHandle:
        """Start playing ``data`` (int16 stereo, C-contiguous) and return its handle."""
        if self._sa is None:
            raise AudioUnavailable("device not open")
        chatter: list[str] = []
        try:
            with captured_fd2(chatter):
                handle: PlayHandle = self._sa.play_buffer(data, 2, 2, self._rate)
        except Exception as exc:  # SimpleaudioError, ValueError
            raise AudioUnavailable(short_reason(exc, chatter)) from None
        return handle

    def close(self) -> None:
        """Nothing is held between buffers."""
        self._sa = None
