"""The stage: the area the dot travels across, drawn with sub-cell precision."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import ANSIToTruecolor, LineFilter
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from bls_tui.services.runtime import Runtime
from bls_tui.stimulus.raster import Cell, dot_cells
from bls_tui.ui.widgets.dot_strip import cells_strip

if TYPE_CHECKING:
    from collections.abc import Iterable

    from typing_extensions import Self

HIDDEN_NOTE = "#8a8a8a"
"""Colour of the "dot hidden" note on the stage."""


class Stage(Widget):
    """Draws the dot at the position of the current frame time.

    The screen's frame timer sets :attr:`frame_t` and calls :meth:`refresh`; the position is
    recomputed from the engine (a pure function of that time) whenever the frame time or the
    widget size changes, so a resize re-fits at once without touching the tempo.
    """

    DEFAULT_CSS = """
    Stage { width: 1fr; height: 1fr; }
    """

    def __init__(self, runtime: Runtime, *, id: str | None = None) -> None:
        self._lines: dict[int, Strip] = {}
        """Drawn lines by row (see :meth:`render_lines`)."""
        self._lines_key: tuple[object, ...] | None = None
        super().__init__(id=id)
        self.runtime = runtime
        self.frame_t = runtime.clock.now()
        """Clock time of the frame being drawn."""
        self._key: tuple[float, int, int] | None = None
        self._drawn: tuple[object, ...] | None = None
        """What the last repainted frame showed: the dot's cells, the size and the colours."""
        self._rows: dict[int, list[Cell]] = {}
        self.last_xy: tuple[float, float] = (0.0, 0.5)
        """Normalised position drawn in the last frame."""

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Textual's refresh; also forgets the cached lines of the repainted rows."""
        if repaint:
            if regions:
                for region in regions:
                    for y in range(region.y, region.bottom):
                        self._lines.pop(y, None)
            else:
                self._lines.clear()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The stage's lines for ``crop``, from a per-row cache.

        Textual's compositor asks every widget under a changed region for *all* its lines on
        every frame and passes each through its style cache; here only the rows the dot left
        or entered (dropped from the cache by :meth:`refresh`) are drawn again.  The stage has
        no border or padding and paints its own background, so a line is exactly
        :meth:`render_line` with the app's line filters applied.
        """
        preset = self.runtime.preset
        filters = _needed_filters(self.get_line_filters(), preset.dot_color, preset.background)
        size = self.size
        key = (size, preset.dot_color, preset.background, preset.show_dot, filters)
        if key != self._lines_key:
            self._lines_key = key
            self._lines.clear()
        lines = self._lines
        out: list[Strip] = []
        background: Color | None = None
        for y in crop.line_range:
            strip = lines.get(y)
            if strip is None:
                strip = self._render_row(y, size.width, size.height)
                if filters and background is None:
                    background = self.background_colors[1]
                for line_filter in filters:
                    assert background is not None
                    strip = strip.apply_filter(line_filter, background)
                lines[y] = strip
            out.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, size.width):
            out = [strip.crop(x1, x2) for strip in out]
        return out

    def show_frame(self, t: float) -> None:
        """Draw the frame for clock time ``t``, repainting only the rows the dot was or is on,
        and nothing when the dot covers the same cells as in the last frame (near the edges
        of a sine sweep and at slow speeds the dot moves less than 1/8 of a cell a frame)."""
        old_rows = set(self._rows)
        self.frame_t = t
        size = self.size
        self._layout_cells(size.width, size.height)
        preset = self.runtime.preset
        drawn = (self._rows, size, preset.dot_color, preset.background, preset.show_dot)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        rows = old_rows | set(self._rows)
        if not rows or not self.runtime.preset.show_dot:
            self.refresh()
            return
        top, bottom = min(rows), max(rows)
        self.refresh(Region(0, top, size.width, bottom - top + 1))

    def _layout_cells(self, width: int, height: int) -> None:
        key = (self.frame_t, width, height)
        if key == self._key:
            return
        self._key = key
        preset = self.runtime.preset
        x, y = self.runtime.engine.position(self.frame_t)
        self.last_xy = (x, y)
        self.runtime.trace_frame(self.frame_t, x, y)
        self._rows = {}
        if not preset.show_dot:
            return
        rows = max(1, min(3, preset.dot_size))
        vertical = self.runtime.engine.plan.pattern == "vertical"
        for cell in dot_cells(x, y, width, height, rows * 2, rows, vertical):
            self._rows.setdefault(cell.row, []).append(cell)

    def render_line(self, y: int) -> Strip:
        """One line of the stage."""
        size = self.size
        return self._render_row(y, size.width, size.height)

    def _render_row(self, y: int, width: int, height: int) -> Strip:
        self._layout_cells(width, height)
        preset = self.runtime.preset
        bg, dot, inv = _styles(preset.dot_color, preset.background)
        cells = self._rows.get(y)
        if not preset.show_dot and y == height // 2:
            text = "eyes closed · audio-led (dot hidden)"[:width]
            pad = (width - len(text)) // 2
            dim = Style(color=HIDDEN_NOTE, bgcolor=preset.background)
            return Strip(
                [
                    Segment(" " * pad, bg),
                    Segment(text, dim),
                    Segment(" " * (width - pad - len(text)), bg),
                ],
                width,
            )
        if not cells:
            return _blank(width, bg)
        return cells_strip(cells, width, bg, dot, inv)


@functools.lru_cache(maxsize=16)
def _styles(dot_color: str, background: str) -> tuple[Style, Style, Style]:
    """Background, dot and inverse styles (parsed once per colour pair, not per line)."""
    return (
        Style(bgcolor=background),
        Style(color=dot_color, bgcolor=background),
        Style(color=background, bgcolor=dot_color),
    )


def _needed_filters(
    filters: Iterable[LineFilter], dot_color: str, background: str
) -> tuple[LineFilter, ...]:
    """The app's line filters that change this stage's lines.

    Textual's ANSI-to-truecolor filter only replaces colours that have no RGB value (and dims
    dim text); when both colours are RGB it gives back the same segments, so it is left out
    rather than building a second copy of every drawn line.
    """
    if not _all_rgb(dot_color, background):
        return tuple(filters)
    return tuple(f for f in filters if not isinstance(f, ANSIToTruecolor))


@functools.lru_cache(maxsize=16)
def _all_rgb(dot_color: str, background: str) -> bool:
    """True if the stage's styles (and the hidden-dot note's) all carry RGB colours."""
    styles = (*_styles(dot_color, background), Style(color=HIDDEN_NOTE, bgcolor=background))
    colors = [c for st in styles for c in (st.color, st.bgcolor) if c is not None]
    return all(c.triplet is not None for c in colors) and not any(st.dim for st in styles)


@functools.lru_cache(maxsize=16)
def _blank(width: int, bg: Style) -> Strip:
    """An empty stage line (one shared object, so Textual's per-strip filter cache hits)."""
    return Strip([Segment(" " * width, bg)], width)
