"""Widgets that hand the compositor their last lines again while nothing about them changed.

While a set runs, only the stage's dot rows are repainted, but Textual's compositor asks every
widget whose *clip* overlaps the repainted rows for its lines, and every widget on the stimulation
screen is clipped by the screen itself: the screen, the message and status lines, the display
indicator and the footer were all rendered again on every frame (from Textual's line cache, but
through its per-call style, colour and filter work: about a third of the frame loop's Python
time, measured with cProfile in a headless set).

:class:`SteadyLines` keeps the lines of the last call and returns them while the widget has not
been marked dirty since, the crop is the same and the app's line filters are the same.
Textual marks a widget dirty (``_set_dirty``) whenever its content, size or styles change, which
is also what its own line cache relies on; if a Textual version no longer has that hook the
mixin does nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.filter import LineFilter

    _Base = Widget
else:  # a plain mixin at run time: Textual reads a widget's CSS from its first DOMNode base
    _Base = object

_HOOK = hasattr(Widget, "_set_dirty")
"""True when Textual marks repaints through ``Widget._set_dirty`` (else the memo is off)."""


class SteadyLines(_Base):
    """Mix in before a Textual widget class: ``class StatusLine(SteadyLines, Static)``."""

    _steady_key: tuple[Region, tuple[LineFilter, ...]] | None = None
    _steady_lines: list[Strip] | None = None

    def _set_dirty(self, *regions: Region) -> None:
        self._steady_lines = None
        super()._set_dirty(*regions)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Textual's lines for ``crop``; the same list again while nothing changed."""
        if not _HOOK:
            return super().render_lines(crop)
        key = (crop, tuple(self.get_line_filters()))  # a new size marks the widget dirty
        if self._steady_lines is not None and key == self._steady_key:
            return self._steady_lines
        lines = super().render_lines(crop)
        self._steady_key, self._steady_lines = key, lines
        return lines


class SteadyStatic(SteadyLines, Static):
    """A :class:`~textual.widgets.Static` line (messages, notices) under :class:`SteadyLines`."""
