"""The therapist's side of the client display: the link's start-up, indicator and blank key.

:func:`start_display_link` opens the :class:`~bls_tui.display.server.DisplayServer` for an
app's runtime (every engine event is published at once; the server's own 0.1 s check catches
the rest).  :class:`DisplayIndicator` shows "client display: live (N)" / "not attached".
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App
from textual.widgets import Static

from bls_tui.display.server import DisplayServer
from bls_tui.display.wire import LinkState, snapshot
from bls_tui.services.runtime import Runtime
from bls_tui.ui.widgets.steady import SteadyLines

_TASKS: set[asyncio.Task[bool]] = set()


def start_display_link(runtime: Runtime) -> DisplayServer:
    """Create the server for ``runtime`` and open its socket in the running loop.

    The anchors it sends are times on ``runtime.clock``; a display reads ``time.monotonic()``,
    so they agree when the runtime runs on the real :class:`MonotonicClock` (as `bls run` and
    `bls session` do; tests that fake the clock fake the display's clock too).
    """

    def provider(now: float) -> LinkState:
        p = runtime.preset
        return snapshot(
            runtime.engine,
            now,
            show_dot=bool(p.show_dot),
            dot_size=int(p.dot_size),
            dot_color=str(p.dot_color),
            background=str(p.background),
            blank=False,
        )

    server = DisplayServer(provider, runtime.clock)
    # first in line: the displays hear a stop before the trace, the sound and the records work
    runtime.engine.listeners.insert(0, server.on_event)
    task = asyncio.get_running_loop().create_task(server.start())
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)
    return server


def link_of(app: App[Any]) -> DisplayServer | None:
    """The app's display server, if it has one."""
    server = getattr(app, "display_link", None)
    return server if isinstance(server, DisplayServer) else None


class DisplayIndicator(SteadyLines, Static):
    """One quiet line: how many client displays are attached and live."""

    DEFAULT_CSS = """
    DisplayIndicator { height: 1; padding: 0 1; color: #9e9e9e; background: #262626; }
    """

    def on_mount(self) -> None:
        self.set_interval(0.5, self.show_state)
        self.show_state()

    def show_state(self) -> None:
        """Repaint from the server (only when the words change)."""
        server = link_of(self.app)
        text = server.label() if server is not None else ""
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text)


def toggle_blank(app: App[Any], in_set: bool) -> str:
    """The blank key: blank / unblank the client display between sets; the words to show."""
    server = link_of(app)
    if server is None or server.problem is not None:
        return "no client display link" + (f" ({server.problem})" if server else "")
    if in_set and not server.blank:
        return "the client display blanks between sets (s / esc stops the set)"
    if not server.set_blank(not server.blank):
        return "one moment: the client display changes at most twice a second"
    for indicator in app.screen.query(DisplayIndicator):
        indicator.show_state()
    if server.blank:
        return "client display blanked · c shows the dot again (a new set shows it too)"
    return "client display shows the dot again"
