"""The main app's side of the client-display link: a non-blocking broadcaster.

Runs in the app's own asyncio loop (Textual's), as an ``asyncio`` Unix server.  It sends a
:class:`~bls_tui.display.wire.LinkState` to every attached display whenever the motion
state changes (engine events at once; anything else, such as a pattern or colour change
between sets, within :data:`CHECK_INTERVAL_S`).  Nothing here ever waits on a display: writes
go to the transport's buffer, and a display whose buffer passes :data:`MAX_BUFFERED` (it
stopped reading), that sends garbage, or that stays silent for :data:`SILENT_DROP_S`, is
dropped.  A display that is killed simply disappears.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bls_tui import __version__
from bls_tui.display.socket import LinkError, clear_stale, prepare_dir, runtime_dir
from bls_tui.display.wire import (
    LIVE_WINDOW_S,
    Decoder,
    LinkState,
    WireError,
    encode,
    version_problem,
)
from bls_tui.stimulus.clock import Clock

CHECK_INTERVAL_S = 0.1
HELLO_TIMEOUT_S = 3.0
SILENT_DROP_S = 15.0
MAX_BUFFERED = 64 * 1024
MIN_BLANK_CHANGE_S = 0.5


class _Peer(asyncio.Protocol):
    """One attached display."""

    def __init__(self, server: DisplayServer) -> None:
        self.server = server
        self.transport: asyncio.WriteTransport | None = None
        self.decoder = Decoder()
        self.ready = False
        self.connected_t = server.clock.now()
        self.last_seen = self.connected_t

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        self.transport = transport
        self.server.peers.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.forget(self)

    def data_received(self, data: bytes) -> None:
        try:
            messages = self.decoder.feed(data)
        except WireError as exc:
            self.server.refuse(self, str(exc))
            return
        for message in messages:
            self.last_seen = self.server.clock.now()
            if not self.ready:
                if message.get("type") != "hello":
                    self.server.refuse(self, "a display must say hello first")
                    return
                problem = version_problem(message, "the display")
                if problem is not None:
                    self.server.refuse(self, problem)
                    return
                self.ready = True
                self.server.welcome(self)

    def send(self, data: bytes) -> None:
        """Queue bytes without waiting; drop the display if it stopped reading."""
        t = self.transport
        if t is None or t.is_closing():
            return
        if t.get_write_buffer_size() > MAX_BUFFERED:
            self.server.drop(self, "a client display stopped reading; it was let go")
            return
        t.write(data)

    def close(self, abort: bool = False) -> None:
        if self.transport is not None and not self.transport.is_closing():
            if abort:
                self.transport.abort()
            else:
                self.transport.close()


class DisplayServer:
    """Serves the client display.  Call :meth:`start` inside the running loop.

    Args:
        provider: Builds the current :class:`LinkState` at a clock time.
        clock: The app's monotonic clock (the displays read the same system clock).
        folder: Socket folder (default: :func:`bls_tui.display.socket.runtime_dir`).
    """

    def __init__(
        self,
        provider: Callable[[float], LinkState],
        clock: Clock,
        folder: Path | None = None,
    ) -> None:
        self.provider = provider
        self.clock = clock
        self.folder = folder
        self.path: Path | None = None
        self.peers: set[_Peer] = set()
        self.problem: str | None = None
        """Why the link is unavailable (folder refused, another bls serves...), one line."""
        self.notice: str | None = None
        """The latest thing that happened to a display (refused, dropped), one line."""
        self.sent = 0
        self.blank = False
        """True while the therapist has blanked the client display (between sets)."""
        self._blank_t: float | None = None
        self._server: asyncio.AbstractServer | None = None
        self._last: LinkState | None = None
        self._last_bytes = b""
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> bool:
        """Open the socket; on any problem set :attr:`problem` and return False (never raise)."""
        self._loop = asyncio.get_running_loop()
        try:
            path = prepare_dir(self.folder or runtime_dir())
            clear_stale(path)
            self._server = await self._loop.create_unix_server(
                lambda: _Peer(self), str(path), start_serving=True
            )
            os.chmod(path, 0o600)
        except LinkError as exc:
            self.problem = str(exc)
            return False
        except OSError as exc:
            self.problem = f"cannot open the display socket ({exc.strerror or exc})"
            return False
        self.path = path
        self._handle = self._loop.call_later(CHECK_INTERVAL_S, self._check)
        return True

    def close(self) -> None:
        """Close every link and remove the socket (idempotent)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        for peer in list(self.peers):
            peer.close()
        self.peers.clear()
        if self._server is not None:
            self._server.close()
            self._server = None
            if self.path is not None:
                with contextlib.suppress(OSError):
                    self.path.unlink()

    # ------------------------------------------------------------------ peers
    def welcome(self, peer: _Peer) -> None:
        """A display said hello with our protocol: send ours and the current state."""
        self.notice = None
        peer.send(
            encode({"type": "hello", "role": "main", "app": "bls-tui", "version": __version__})
        )
        now = self.clock.now()
        if self._last is None:
            self._last = self._state(now)
            self._last_bytes = encode(self._last.to_message(now))
        peer.send(self._last_bytes)

    def refuse(self, peer: _Peer, reason: str) -> None:
        """Tell a display why it cannot attach, then close its link."""
        self.notice = f"refused a client display: {reason}"
        with contextlib.suppress(WireError):
            peer.send(encode({"type": "error", "reason": reason[:300]}))
        peer.close()
        self.forget(peer)

    def drop(self, peer: _Peer, reason: str) -> None:
        """Let a display go at once (its buffered bytes are discarded)."""
        self.notice = reason
        peer.close(abort=True)
        self.forget(peer)

    def forget(self, peer: _Peer) -> None:
        self.peers.discard(peer)

    def counts(self, now: float | None = None) -> tuple[int, int]:
        """``(attached, live)``: displays past the hello, and those heard from recently."""
        now = self.clock.now() if now is None else now
        ready = [p for p in self.peers if p.ready]
        live = [p for p in ready if now - p.last_seen <= LIVE_WINDOW_S]
        return len(ready), len(live)

    # ------------------------------------------------------------------ publishing
    def publish(self, now: float | None = None) -> None:
        """Send the current state to every display if it changed (never blocks)."""
        loop = self._loop
        if loop is None or self._server is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not loop:  # called from another thread: hand it to the loop
            loop.call_soon_threadsafe(self.publish)
            return
        now = self.clock.now() if now is None else now
        state = self._state(now)
        if state == self._last:
            return
        self._last = state
        self._last_bytes = encode(state.to_message(now))
        self.sent += 1
        for peer in list(self.peers):
            if peer.ready:
                peer.send(self._last_bytes)

    def _state(self, now: float) -> LinkState:
        state = self.provider(now)
        return dataclasses.replace(state, blank=self.blank) if self.blank else state

    def on_event(self, event: Any) -> None:
        """Engine listener: publish at once on every engine event (a new set unblanks)."""
        if getattr(event, "kind", None) == "set_start":
            self.blank = False
        self.publish()

    def set_blank(self, on: bool) -> bool:
        """Blank / unblank the client display now; False if it changed too recently.

        At most one change per :data:`MIN_BLANK_CHANGE_S`, so pressing the key repeatedly can
        never make the client's dot flash (the limit is 3 flashes a second).
        """
        now = self.clock.now()
        if self._blank_t is not None and now - self._blank_t < MIN_BLANK_CHANGE_S:
            return False
        self._blank_t = now
        self.blank = on
        self.publish()
        return True

    def _check(self) -> None:
        self._handle = None
        if self._loop is None or self._server is None:
            return
        now = self.clock.now()
        for peer in list(self.peers):
            if not peer.ready and now - peer.connected_t > HELLO_TIMEOUT_S:
                self.refuse(peer, "no hello in time")
            elif peer.ready and now - peer.last_seen > SILENT_DROP_S:
                self.drop(peer, "a client display stopped answering; it was let go")
        self.publish(now)
        self._handle = self._loop.call_later(CHECK_INTERVAL_S, self._check)

    # ------------------------------------------------------------------ words
    def label(self, now: float | None = None) -> str:
        """The therapist's indicator: ``client display: live (N)`` / ``not attached``."""
        if self.problem is not None:
            problem = self.problem
            if problem.startswith("/") and ": " in problem:  # the c key shows it with the path
                problem = problem.split(": ", 1)[1]
            return f"client display: unavailable ({problem})"
        attached, live = self.counts(now)
        if attached == 0:
            text = "client display: not attached (start `bls display` in another window)"
            return f"{text} · {self.notice}" if self.notice else text
        if live == attached:
            text = f"client display: live ({live})"
        else:
            text = f"client display: live ({live}), not responding ({attached - live})"
        return text + (
            " · BLANK (c shows the dot)" if self.blank else " · c blanks it between sets"
        )
