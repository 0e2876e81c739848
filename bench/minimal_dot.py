"""The bare comparison app: a dot moved at 60 fps the obvious way.

A :class:`~textual.widgets.Static` in the middle of the screen whose content (spaces and a
4 x 2 block dot, the size of bls's default dot) is rebuilt from ``time.monotonic()`` in
``set_interval(1 / 60)``: whole-cell steps, no trace, no engine, no status line.  ``bench/run.py``
measures its CPU next to ``bls run``'s.  Run it alone with ``python bench/minimal_dot.py``
(``q`` quits).
"""

from __future__ import annotations

import math
import time

from textual.app import App, ComposeResult
from textual.widgets import Static

SPEED_HZ = 1.0
DOT_W = 4


class MinimalDot(App[None]):
    """A dot moving left-right at ``SPEED_HZ`` with a smooth-pursuit (cosine) profile."""

    CSS = """
    Screen { align: center middle; }
    #dot { width: 100%; height: 2; }
    """
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("", id="dot")

    def on_mount(self) -> None:
        self.t0 = time.monotonic()
        self.dot = self.query_one("#dot", Static)
        self.set_interval(1 / 60, self.tick)

    def tick(self) -> None:
        phase = SPEED_HZ * (time.monotonic() - self.t0)
        x = (1.0 - math.cos(2.0 * math.pi * phase)) / 2.0
        col = round(x * max(0, self.dot.size.width - DOT_W))
        line = " " * col + "█" * DOT_W
        self.dot.update(line + "\n" + line)


if __name__ == "__main__":
    MinimalDot().run()
