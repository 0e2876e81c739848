"""One line of a dot stage as a Textual strip: the stage and the client display draw alike."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from bls_tui.stimulus.raster import Cell


def cells_strip(cells: list[Cell], width: int, bg: Style, dot: Style, inv: Style) -> Strip:
    """One line of ``width`` cells: the dot's cells (left to right) on the background."""
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
