"""The one small interface every audio backend implements, and what they share.

Two kinds of device exist:

* ``"stream"`` backends (miniaudio) *pull* frames: :meth:`AudioBackend.start_stream` hands
  them a ``pull(n) -> bytes`` callable, which they call from their own thread for as long as
  the stream runs.  Stopping can fade within one device buffer.
* ``"buffer"`` backends (simpleaudio) *play whole buffers*: :meth:`AudioBackend.play_buffer`
  starts one and returns a handle; the library reads the caller's memory as it plays, so the
  not-yet-read part of a buffer can still be changed in place (how fades and re-plans work).

Every backend writes interleaved little-endian int16 stereo at the rate given to ``open``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, Literal, Protocol

RATE = 48000
"""Sample rate of every stream (Hz)."""

BackendKind = Literal["stream", "buffer", "none"]


class AudioUnavailable(Exception):
    """No sound from this backend; ``str(exc)`` is a one-line reason for the user."""


class PlayHandle(Protocol):
    """A buffer that a buffer backend is playing."""

    def stop(self) -> None:
        """Stop playing (the library may still drain what it already wrote)."""
        ...

    def is_playing(self) -> bool:
        """True until the buffer has played out or was stopped."""
        ...


class AudioBackend(Protocol):
    """A sound output.  ``open`` raises :class:`AudioUnavailable`; other calls may raise it too.

    Attributes:
        name: Backend name as used by ``--audio``.
        kind: ``"stream"``, ``"buffer"`` or ``"none"`` (visual only).
        default_latency_ms: Time from the moment a stream/buffer starts until its frame 0 is
            heard, used when no ``--audio-latency-ms`` / config value is given.
        write_ahead_ms: How far ahead of the ear the device holds frames that can no longer be
            changed (a stop fade can start no earlier than this).
    """

    name: str
    kind: BackendKind
    default_latency_ms: float
    write_ahead_ms: float

    @property
    def device_name(self) -> str:
        """Human name of the opened device ("" before ``open``)."""
        ...

    def open(self, rate: int) -> None:
        """Open the output device at ``rate`` (stereo int16)."""
        ...

    def start_stream(self, pull: Callable[[int], bytes]) -> None:
        """Stream backends: start the device; it calls ``pull(n_frames)`` from its thread."""
        ...

    def stop_stream(self) -> None:
        """Stream backends: halt the device (the stream may be started again)."""
        ...

    def play_buffer(self, data: Any) -> PlayHandle:
        """Buffer backends: play a C-contiguous int16 ``(n, 2)`` array, reading it in place."""
        ...

    def close(self) -> None:
        """Release the device (idempotent)."""
        ...


@contextlib.contextmanager
def captured_fd2(sink: list[str] | None = None) -> Iterator[None]:
    """Keep C-library chatter on file descriptor 2 (ALSA diagnostics) off the terminal.

    While the block runs, fd 2 points at a temporary file; its text is appended to ``sink``
    (when given) afterwards, so it can become part of a one-line reason.  Python's own
    ``sys.stderr`` object is not touched.
    """
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        try:
            os.dup2(tmp.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if sink is not None:
                tmp.seek(0)
                text = tmp.read(4000).decode("utf-8", "replace")
                sink.extend(line.strip() for line in text.splitlines() if line.strip())


def short_reason(exc: BaseException, chatter: list[str] | None = None) -> str:
    """One line from an exception (plus the first line of library chatter, if any)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if chatter:
        first = chatter[0]
        if first and first not in text:
            text = f"{text} [{first[:160]}]"
    return text[:300]
