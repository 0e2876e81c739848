"""Drawing the dot on a character grid with sub-cell precision (pure, no Textual).

Horizontal position uses the left-eighth blocks (▏▎▍▌▋▊▉█): a cell the dot only partly
covers is drawn with a partial block, in the dot's colour on the background (right edge of the
dot) or in the background's colour on the dot's colour (left edge).  Vertical motion uses the
lower-eighth blocks the same way.  The dot therefore moves in steps of 1/8 of a cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LEFT_EIGHTHS = " ▏▎▍▌▋▊▉█"
LOWER_EIGHTHS = " ▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Cell:
    """One character of the dot: ``inverse`` = drawn in background colour on dot colour."""

    row: int
    col: int
    char: str
    inverse: bool = False


def _span(start: float, length: int) -> list[tuple[int, float, str]]:
    """Cells covered by ``[start, start + length)``: (index, coverage, 'full'|'head'|'tail')."""
    start = round(start * 8) / 8  # quantise to eighths so no cell gets a sliver
    out: list[tuple[int, float, str]] = []
    end = start + length
    first = math.floor(start)
    for c in range(first, math.ceil(end)):
        lo, hi = max(start, c), min(end, c + 1)
        cover = hi - lo
        if cover <= 0:
            continue
        if cover >= 1 - 1e-9:
            out.append((c, 1.0, "full"))
        elif lo > c:  # covers the right part of the cell: the dot's leading/left edge
            out.append((c, cover, "head"))
        else:
            out.append((c, cover, "tail"))
    return out


def dot_cells(
    x: float, y: float, width: int, height: int, dot_w: int, dot_h: int, vertical_subcell: bool
) -> list[Cell]:
    """Cells of a ``dot_w`` x ``dot_h`` dot at normalised ``(x, y)`` in a ``width`` x ``height``
    area.  ``x`` = 0 puts the dot's left side on column 0, ``x`` = 1 its right side on the last.
    """
    dot_w, dot_h = min(dot_w, width), min(dot_h, height)
    if width <= 0 or height <= 0:
        return []
    px = x * (width - dot_w)
    py = y * (height - dot_h)
    cells: list[Cell] = []
    if vertical_subcell:
        col0 = round(px)
        for row, cover, kind in _span(py, dot_h):
            eighths = round(cover * 8)
            for col in range(col0, col0 + dot_w):
                if kind == "full":
                    cells.append(Cell(row, col, "█"))
                elif kind == "head":  # bottom part of this row is covered
                    cells.append(Cell(row, col, LOWER_EIGHTHS[eighths]))
                else:  # top part covered: draw background's lower part over dot colour
                    cells.append(Cell(row, col, LOWER_EIGHTHS[8 - eighths], inverse=True))
        return [c for c in cells if c.char != " " or c.inverse]
    row0 = round(py)
    for col, cover, kind in _span(px, dot_w):
        eighths = round(cover * 8)
        for row in range(row0, row0 + dot_h):
            if kind == "full":
                cells.append(Cell(row, col, "█"))
            elif kind == "head":  # right part covered: background's left part over dot colour
                cells.append(Cell(row, col, LEFT_EIGHTHS[8 - eighths], inverse=True))
            else:
                cells.append(Cell(row, col, LEFT_EIGHTHS[eighths]))
    return cells
