"""`bls display`: the client's own window, showing only the dot.

The app attaches to the running `bls run` / `bls session` (see :mod:`bls_tui.display.client`),
and draws the dot itself at every frame from the monotonic clock and the last
:class:`~bls_tui.display.wire.LinkState`: the same maths as the main window, so both are
in step whatever their sizes.  No text while a set runs; between sets one quiet line.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from pathlib import Path

from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from bls_tui.display.client import Link, attach
from bls_tui.display.socket import socket_path
from bls_tui.display.wire import ALIVE_INTERVAL_S, LinkState, position
from bls_tui.safety import limits
from bls_tui.stimulus.clock import Clock, MonotonicClock
from bls_tui.stimulus.raster import Cell, dot_cells
from bls_tui.stimulus.trace import TraceWriter
from bls_tui.ui.widgets.dot_strip import cells_strip

FPS = 60
RETRY_S = 0.25
"""How often a waiting display tries to attach (reattach within a second of a restart)."""
SHARE_HINT = (
    "share-safe: screen sharing sends 15-30 frames/s and most video calls send mono sound; "
    "send tones to the client's own device, or turn them off"
)
WAIT_COLOUR = "#6c6c6c"


@dataclass
class DisplayOptions:
    """What `bls display` was asked for."""

    once: bool = False
    dot_size: int | None = None
    share_safe: bool = False
    trace: Path | None = None
    socket: Path | None = None


class DotView(Widget):
    """The whole window: the dot on a plain background, or one quiet line."""

    DEFAULT_CSS = "DotView { width: 1fr; height: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.state: LinkState | None = None
        self.line = ""
        """The quiet line shown when no set runs (empty: nothing)."""
        self.dot_size: int | None = None
        self.frame_t = 0.0
        self.last_xy: tuple[float, float] | None = None
        self._rows: dict[int, list[Cell]] = {}

    def show_frame(self, t: float) -> tuple[float, float] | None:
        """Lay out the frame for clock time ``t``; returns the dot's ``(x, y)`` if drawn."""
        self.frame_t = t
        state = self.state
        self._rows = {}
        self.last_xy = None
        if state is None or state.blank or not state.show_dot:
            self.refresh()
            return None
        x, y = position(state, t)
        self.last_xy = (x, y)
        rows = max(limits.MIN_DOT_SIZE, min(limits.MAX_DOT_SIZE, self.dot_size or state.dot_size))
        width, height = self.size.width, self.size.height
        for cell in dot_cells(x, y, width, height, rows * 2, rows, state.pattern == "vertical"):
            self._rows.setdefault(cell.row, []).append(cell)
        self.refresh()
        return x, y

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        state = self.state
        bg_colour = state.background if state is not None else "#1c1c1c"
        bg = Style(bgcolor=bg_colour)
        quiet = state is None or not state.in_set
        if (
            quiet
            and self.line
            and (state is None or not state.blank)
            and y == self.size.height // 2
        ):
            text = self.line[:width]
            pad = (width - len(text)) // 2
            dim = Style(color=WAIT_COLOUR, bgcolor=bg_colour)
            return Strip(
                [
                    Segment(" " * pad, bg),
                    Segment(text, dim),
                    Segment(" " * (width - pad - len(text)), bg),
                ],
                width,
            )
        cells = self._rows.get(y)
        if not cells or state is None:
            return Strip([Segment(" " * width, bg)], width)
        dot = Style(color=state.dot_color, bgcolor=bg_colour)
        inv = Style(color=bg_colour, bgcolor=state.dot_color)
        return cells_strip(cells, width, bg, dot, inv)


class DisplayApp(App[int]):
    """The client display.  ``return_code`` is 0, or 1 when it could not (or may not) attach."""

    TITLE = "bls display"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("ctrl+c", "quit", "Quit", show=False)]
    CSS = "Screen { background: #1c1c1c; }"

    def __init__(self, options: DisplayOptions, clock: Clock | None = None) -> None:
        super().__init__()
        self.options = options
        self.clock: Clock = clock or MonotonicClock()
        self.view = DotView()
        if options.share_safe:
            base = options.dot_size or 2
            self.view.dot_size = min(limits.MAX_DOT_SIZE, base + 1)
        else:
            self.view.dot_size = options.dot_size
        self.trace = TraceWriter(options.trace) if options.trace else None
        self.link: Link | None = None
        self.attached_once = False
        self.problem: str | None = None
        """The last one-line problem (printed on exit when it ended the display)."""
        self.frames = 0
        self.states = 0
        self._timer: Timer | None = None
        self._task: asyncio.Task[None] | None = None
        self._seen_set = False

    def compose(self) -> ComposeResult:
        yield self.view

    def on_mount(self) -> None:
        self._timer = self.set_interval(1 / FPS, self.tick, pause=True)
        self.set_interval(ALIVE_INTERVAL_S, self._alive)
        self._set_line("waiting for bls…")
        self._trace("start")
        self._task = asyncio.get_running_loop().create_task(self._attach_loop())

    def on_unmount(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.link is not None:
            self.link.close()
        if self.trace is not None:
            self.trace.close()

    # ------------------------------------------------------------------ link
    async def _attach_loop(self) -> None:
        path = self.options.socket or socket_path()
        shown: str | None = None
        while True:
            if self.link is None or not self.link.open:
                result = await attach(path, self, self.clock)
                if isinstance(result, Link):
                    self.link = result
                    self.attached_once = True
                    shown = None
                    self._trace("attach")
                elif self.options.once and not self.attached_once:
                    self.problem = result
                    self.exit(1, return_code=1)
                    return
                elif result != shown:
                    shown = result
                    self._set_line(f"waiting for bls… ({result})")
            await asyncio.sleep(RETRY_S)

    def link_state(self, state: LinkState, received_t: float, sent_t: float | None) -> None:
        """A state change from the main app: draw it at once (a stop halts the dot now)."""
        self.states += 1
        self.view.state = state
        if state.set and state.in_set:
            self._seen_set = True
        if self.trace is not None:
            self.trace.write(
                "state", received_t, sent=sent_t, state=state.state, set=state.set,
                moving=state.moving, blank=state.blank,
            )  # fmt: skip
        self._set_line(self._quiet_line())
        self._draw(self.clock.now())
        if self.trace is not None and not state.moving:
            self.trace.flush()  # the halt frame is on disk even if this display is killed
        if self._timer is not None:
            if state.moving and not state.blank:
                self._timer.resume()
            else:
                self._timer.pause()

    def link_problem(self, text: str, fatal: bool) -> None:
        """One line about the link; a version mismatch ends the display."""
        self.problem = text
        self._set_line(text)
        if fatal:
            self.exit(1, return_code=1)

    def link_closed(self) -> None:
        """The main app closed or died: no stimulus without it."""
        self._trace("detach")
        self.link = None
        self.view.state = None
        if self._timer is not None:
            self._timer.pause()
        self.view.show_frame(self.clock.now())
        if self.options.once and self.problem is None:
            self.exit(0)
            return
        if self.problem is None:
            self._set_line("bls closed · waiting for it to start again")

    def _alive(self) -> None:
        if self.link is not None:
            self.link.alive()

    # ------------------------------------------------------------------ frames
    def tick(self) -> None:
        """One frame, from the monotonic clock."""
        self._draw(self.clock.now())

    def _draw(self, now: float) -> None:
        xy = self.view.show_frame(now)
        state = self.view.state
        if xy is not None and state is not None:
            self.frames += 1
            if self.trace is not None:
                self.trace.write("frame", now, x=round(xy[0], 6), y=round(xy[1], 6), set=state.set)

    def _quiet_line(self) -> str:
        state = self.view.state
        if state is None or state.in_set or state.blank:
            return ""
        if self.options.share_safe and not self._seen_set:
            return SHARE_HINT
        return "waiting" if self._seen_set else "waiting for the first set"

    def _set_line(self, text: str) -> None:
        if self.options.share_safe and not self._seen_set and text.startswith("waiting for bls"):
            text = f"{text} · {SHARE_HINT}"
        self.view.line = text
        self.view.refresh()

    def _trace(self, event: str) -> None:
        if self.trace is not None:
            self.trace.write(event, self.clock.now())
            self.trace.flush()


def run_display(options: DisplayOptions) -> int:
    """Run the display until it is closed; the exit status (one line printed on failure)."""
    import signal
    import sys

    app = DisplayApp(options)

    def on_signal(signum: int, _frame: object) -> None:
        # The display holds no records: if a closed terminal keeps Textual from shutting down
        # cleanly within 3 s, leave anyway (a display must never outlive its window).
        import os
        import threading

        watchdog = threading.Timer(3.0, os._exit, (128 + signum,))
        watchdog.daemon = True
        watchdog.start()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise SystemExit(128 + signum) from None
        loop.call_soon_threadsafe(app.exit, 0)

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, on_signal)
    code = app.run()
    if app.problem and code:
        print(f"bls: error: {app.problem}", file=sys.stderr)
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    return code or 0
