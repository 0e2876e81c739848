"""``--audio none``: visual only, no device is touched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bls_tui.sound.base import AudioUnavailable, BackendKind, PlayHandle


class NullBackend:
    """The visual-only backend: opens nothing, plays nothing."""

    name = "none"
    kind: BackendKind = "none"
    default_latency_ms = 0.0
    write_ahead_ms = 0.0

    @property
    def device_name(self) -> str:
        """No device."""
        return "no device (visual only)"

    def open(self, rate: int) -> None:
        """Nothing to open."""

    def start_stream(self, pull: Callable[[int], bytes]) -> None:
        """Nothing plays."""

    def stop_stream(self) -> None:
        """Nothing plays."""

    def play_buffer(self, data: Any) -> PlayHandle:
        """Nothing plays."""
        raise AudioUnavailable("sound is off (--audio none)")

    def close(self) -> None:
        """Nothing to close."""
