"""The stage: the area the dot travels across, drawn with sub-cell precision."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from bls_tui.core.raster import Cell, dot_cells
from bls_tui.runtime import Runtime


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
        super().__init__(id=id)
        self.runtime = runtime
        self.frame_t = runtime.clock.now()
        """Clock time of the frame being drawn."""
        self._key: tuple[float, int, int] | None = None
        self._rows: dict[int, list[Cell]] = {}
        self.last_xy: tuple[float, float] = (0.0, 0.5)
        """Normalised position drawn in the last frame."""

    def show_frame(self, t: float) -> None:
        """Draw the frame for clock time ``t``, repainting only the rows the dot was or is on."""
        old_rows = set(self._rows)
        self.frame_t = t
        self._layout_cells()
        rows = old_rows | set(self._rows)
        if not rows or not self.runtime.preset.show_dot:
            self.refresh()
            return
        top, bottom = min(rows), max(rows)
        self.refresh(Region(0, top, self.size.width, bottom - top + 1))

    def _layout_cells(self) -> None:
        width, height = self.size.width, self.size.height
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
        self._layout_cells()
        preset = self.runtime.preset
        width = self.size.width
        bg = Style(bgcolor=preset.background)
        cells = self._rows.get(y)
        if not preset.show_dot and y == self.size.height // 2:
            text = "eyes closed · audio-led (dot hidden)"[:width]
            pad = (width - len(text)) // 2
            dim = Style(color="#8a8a8a", bgcolor=preset.background)
            return Strip(
                [
                    Segment(" " * pad, bg),
                    Segment(text, dim),
                    Segment(" " * (width - pad - len(text)), bg),
                ],
                width,
            )
        if not cells:
            return Strip([Segment(" " * width, bg)], width)
        dot = Style(color=preset.dot_color, bgcolor=preset.background)
        inv = Style(color=preset.background, bgcolor=preset.dot_color)
        segments: list[Segment] = []
        col = 0
        for cell in sorted(cells, key=lambda c: c.col):
            if cell.col < col or cell.col >= width:
                continue
            if cell.col > col:
                segments.append(Segment(" " * (cell.col - col), bg))
            segments.append(Segment(cell.char, inv if cell.inverse else dot))
            col = cell.col + 1
        if col < width:
            segments.append(Segment(" " * (width - col), bg))
        return Strip(segments, width)
