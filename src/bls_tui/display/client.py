"""The display's side of the link: attach to the main app's socket and hear its state.

:func:`attach` checks that the folder and the socket are ours and private before it connects,
says hello, and hands every message to a :class:`LinkListener`.  It never raises for a
missing or refused main app: the display shows a line and tries again.
"""

from __future__ import annotations

import asyncio
import errno
from pathlib import Path
from typing import Any, Protocol

from bls_tui.display.socket import NOT_RUNNING, socket_problem
from bls_tui.display.wire import Decoder, LinkState, WireError, encode, version_problem
from bls_tui.stimulus.clock import Clock


class LinkListener(Protocol):
    """What the display app implements to hear the link."""

    def link_state(self, state: LinkState, received_t: float, sent_t: float | None) -> None:
        """A new state arrived."""
        ...

    def link_problem(self, text: str, fatal: bool) -> None:
        """One line about the link; ``fatal``: retrying will not help (version mismatch)."""
        ...

    def link_closed(self) -> None:
        """The main app went away (or closed the link)."""
        ...


class _Client(asyncio.Protocol):
    def __init__(self, listener: LinkListener, clock: Clock) -> None:
        self.listener = listener
        self.clock = clock
        self.decoder = Decoder()
        self.transport: asyncio.WriteTransport | None = None
        self.greeted = False
        self.failed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        self.transport = transport
        transport.write(encode({"type": "hello", "role": "display"}))

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.listener.link_closed()

    def data_received(self, data: bytes) -> None:
        now = self.clock.now()
        try:
            messages = self.decoder.feed(data)
        except WireError as exc:
            self._fail(f"the running bls sent {exc}", fatal=False)
            return
        for message in messages:
            if not self._handle(message, now):
                return

    def _handle(self, message: dict[str, Any], now: float) -> bool:
        kind = message.get("type")
        if kind == "error":
            self._fail(f"the running bls refused this display: {message.get('reason')}", True)
            return False
        problem = version_problem(message, "the running bls")
        if problem is not None:
            self._fail(problem.replace("this bls", "this display"), fatal=True)
            return False
        if kind == "hello":
            self.greeted = True
        elif kind == "state" and self.greeted:
            try:
                state = LinkState.from_message(message)
            except WireError as exc:
                self._fail(f"the running bls sent a bad {exc}", fatal=False)
                return False
            sent = message.get("sent")
            sent_t = float(sent) if isinstance(sent, (int, float)) else None
            self.listener.link_state(state, now, sent_t)
        return True

    def _fail(self, text: str, fatal: bool) -> None:
        self.failed = True
        self.listener.link_problem(text, fatal)
        if self.transport is not None:
            self.transport.abort()

    def alive(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(encode({"type": "alive"}))

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class Link:
    """An attached link (returned by :func:`attach`)."""

    def __init__(self, client: _Client) -> None:
        self._client = client

    @property
    def open(self) -> bool:
        """True while connected."""
        return self._client.transport is not None and not self._client.transport.is_closing()

    def alive(self) -> None:
        """Tell the main app this display is alive (call about once a second)."""
        self._client.alive()

    def close(self) -> None:
        """Close the link."""
        self._client.close()


async def attach(path: Path, listener: LinkListener, clock: Clock) -> Link | str:
    """Connect to the main app at ``path``; the :class:`Link`, or one line saying why not."""
    problem = socket_problem(path)
    if problem is not None:
        return problem
    loop = asyncio.get_running_loop()
    try:
        _, client = await loop.create_unix_connection(lambda: _Client(listener, clock), str(path))
    except OSError as exc:
        if exc.errno in (errno.ECONNREFUSED, errno.ENOENT):
            return NOT_RUNNING
        return f"{path}: cannot attach ({exc.strerror or exc})"
    return Link(client)
