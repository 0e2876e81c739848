"""Outcome measures plotted across sessions: each instrument's finished totals over the days.

Unfinished measures are never scored, so they are never plotted.  Each instrument is one line,
labelled with its name and range (totals on different scales share the axis; the labels say
which is which).  ``draw_measures`` only adds to a plotext-like object (the case view reuses it
on a ``PlotextPlot``); ``measures_plot`` renders text for `bls measures list --plot`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bls_tui.measures.custom import CustomMeasureError
from bls_tui.protocol.model import parse_iso
from bls_tui.records.measures_export import instrument_name, series
from bls_tui.records.measures_rows import MeasureRecord

COLORS = ("red", "blue", "green", "magenta", "orange", "cyan")


def _range(records: Sequence[MeasureRecord], instrument_id: str) -> tuple[float, float] | None:
    for r in records:
        if r.instrument == instrument_id:
            try:
                return r.instrument_def().total_range()
            except CustomMeasureError:
                return None
    return None


def draw_measures(plt: Any, records: Sequence[MeasureRecord]) -> None:
    """Each instrument's totals over days since the client's first measure."""
    done = [r for r in records if r.finished and r.total is not None]
    if not done:
        plt.title("Outcome measures: none finished yet")
        return
    first = min(parse_iso(r.taken_at) for r in done)
    instruments = sorted({r.instrument for r in done})
    xs_all: list[float] = []
    top = 0.0
    for n, instrument_id in enumerate(instruments):
        points = series(done, instrument_id)
        xs = [round((parse_iso(t) - first).total_seconds() / 86400, 2) for t, _ in points]
        ys = [float(v) for _, v in points]
        name = instrument_name(next(r for r in done if r.instrument == instrument_id))
        span = _range(done, instrument_id)
        label = f"{name} ({span[0]:g}-{span[1]:g})" if span else name
        top = max(top, span[1] if span else max(ys))
        color = COLORS[n % len(COLORS)]
        plt.plot(xs, ys, marker="dot", color=color, label=label)
        plt.scatter(xs, ys, marker="●", color=color)
        xs_all += xs
    low, high = min(xs_all), max(xs_all)
    plt.xlim(low, high if high - low >= 1 else low + 1)
    plt.ylim(0, top or 1)
    plt.title("Outcome measures (screening, not diagnosis)")
    plt.xlabel("days since the first measure")
    plt.ylabel("total")


def measures_plot(
    records: Sequence[MeasureRecord], width: int = 80, height: int = 16, *, color: bool = True
) -> str:
    """The plot as terminal text (ANSI colours unless ``color=False``)."""
    import plotext as plt

    plt.clear_figure()
    try:
        plt.plotsize(width, height)
        plt.theme("pro" if color else "clear")
        draw_measures(plt, records)
        text: str = plt.build()
    finally:
        plt.clear_figure()
    return text if color else str(plt.uncolorize(text))
