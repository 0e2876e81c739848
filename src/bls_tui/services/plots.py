"""Terminal plots of a recorded session, drawn with plotext.

The ``draw_*`` functions take a plotext-like object and only add data, limits and labels, so
the Textual summary screen can reuse them on ``textual_plotext.PlotextPlot().plt``::

    plot = self.query_one(PlotextPlot)
    plot.plt.clear_data()
    plot.plt.clear_figure()
    draw_ratings(plot.plt, data)
    plot.refresh()

The ``*_plot`` functions render to a string for the CLI.  plotext is imported only inside them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bls_tui.records.review import (
    minutes_between,
    rating_series,
    session_end,
    timeline_series,
)
from bls_tui.records.types import SessionData

__all__ = [
    "draw_ratings",
    "draw_timeline",
    "draw_vitals",
    "ratings_plot",
    "timeline_plot",
    "vitals_plot",
]

MIN_WIDTH, MIN_HEIGHT = 30, 8
_SET_LANE = -1.5


def _xs(points: list[tuple[float, float]] | list[tuple[float, int]]) -> list[float]:
    return [round(p[0], 2) for p in points]


def _ys(points: list[tuple[float, float]] | list[tuple[float, int]]) -> list[float]:
    return [float(p[1]) for p in points]


def _xrange(plt: Any, xs: list[float]) -> None:
    """Set the x range to cover ``xs`` (plotext fails on a zero-width range)."""
    low, high = min(xs), max(xs)
    if high - low < 1.0:
        high = low + 1.0
    plt.xlim(low, high)


def draw_ratings(plt: Any, data: SessionData) -> None:
    """SUD (0–10, left axis) and VOC (1–7, right axis) over minutes since session start."""
    series = rating_series(data)
    sud, voc = series["sud"], series["voc"]
    end = minutes_between(data.session.started_at, session_end(data))
    _xrange(plt, [0.0, end, *_xs(sud), *_xs(voc)])
    plt.title("SUD and VOC" if sud or voc else "SUD and VOC: no ratings recorded")
    plt.xlabel("minutes since session start")
    plt.ylim(0, 10)
    plt.yticks(list(range(0, 11, 2)))
    plt.ylabel("SUD 0-10")
    if sud:
        plt.plot(_xs(sud), _ys(sud), marker="dot", color="red", label="SUD")
        plt.scatter(_xs(sud), _ys(sud), marker="●", color="red")
    if voc:
        plt.plot(_xs(voc), _ys(voc), marker="dot", color="blue", label="VOC", yside="right")
        plt.scatter(_xs(voc), _ys(voc), marker="◆", color="blue", yside="right")
        plt.ylim(1, 7, yside="right")
        plt.yticks(list(range(1, 8)), yside="right")
        plt.ylabel("VOC 1-7", yside="right")


def draw_vitals(plt: Any, data: SessionData) -> None:
    """BP and heart rate (left axis) and SpO2 (right axis) over minutes since the dose."""
    line = timeline_series(data)
    v = line.vitals
    xs = [p[0] for key in ("systolic", "diastolic", "heart_rate", "spo2") for p in v[key]]
    _xrange(plt, [0.0, *xs])
    plt.title("Vitals" if xs else "Vitals: none recorded")
    plt.xlabel(f"minutes since {line.zero_label}")
    plt.ylabel("mmHg / bpm")
    for key, label, color in (
        ("systolic", "systolic", "red"),
        ("diastolic", "diastolic", "orange"),
        ("heart_rate", "HR", "magenta"),
    ):
        if v[key]:
            plt.plot(_xs(v[key]), _ys(v[key]), marker="dot", color=color, label=label)
            plt.scatter(_xs(v[key]), _ys(v[key]), marker="●", color=color)
    if v["spo2"]:
        spo2 = v["spo2"]
        plt.plot(_xs(spo2), _ys(spo2), marker="dot", color="blue", label="SpO2", yside="right")
        plt.scatter(_xs(spo2), _ys(spo2), marker="◆", color="blue", yside="right")
        plt.ylim(min(85.0, *_ys(spo2)), 100, yside="right")
        plt.ylabel("SpO2 %", yside="right")


def draw_timeline(plt: Any, data: SessionData) -> None:
    """Presence/BHS and SUD (0–10) over minutes since the dose, sets as a lane below.

    Vertical lines mark the dose (T0), the planned BP recheck and the end of observation.
    """
    line = timeline_series(data)
    ratings = rating_series(data, ("sud",))["sud"]
    shift = minutes_between(line.zero_at, data.session.started_at)
    sud = [(m + shift, value) for m, value in ratings]
    spans = line.of_kind("set")
    xs = [m.minute for m in line.marks] + [m.end_minute or m.minute for m in spans]
    _xrange(plt, [0.0, *xs])
    plt.title(f"Timeline since {line.zero_label}")
    plt.xlabel(f"minutes since {line.zero_label}")
    ticks = [_SET_LANE, 0, 2, 4, 6, 8, 10]
    plt.yticks(ticks, ["sets", "0", "2", "4", "6", "8", "10"])
    plt.ylim(_SET_LANE - 0.5, 10)
    for key, label, color in (
        ("presence", "presence", "green"),
        ("bhs", "BHS", "cyan"),
    ):
        points = line.vitals[key]
        if points:
            plt.plot(_xs(points), _ys(points), marker="dot", color=color, label=label)
            plt.scatter(_xs(points), _ys(points), marker="●", color=color)
    if sud:
        plt.plot(_xs(sud), _ys(sud), marker="dot", color="red", label="SUD")
    for span in spans:
        end = span.end_minute if span.end_minute is not None else span.minute
        plt.plot([span.minute, max(end, span.minute)], [_SET_LANE, _SET_LANE], marker="hd")
    for kind, text, color, align in (
        ("dose", "T0", "red", "left"),
        ("bp_recheck_due", "BP", "orange", "left"),
        ("observation_end", "obs end", "blue", "right"),
    ):
        for mark in line.of_kind(kind):
            plt.vline(mark.minute, color)
            plt.text(text, mark.minute, -0.6, color=color, alignment=align)


def _render(
    draw: Callable[[Any, SessionData], None],
    data: SessionData,
    width: int,
    height: int,
    color: bool,
) -> str:
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValueError(f"plot size must be at least {MIN_WIDTH}x{MIN_HEIGHT} characters")
    import plotext as plt

    plt.clear_figure()
    try:
        plt.plotsize(width, height)
        plt.theme("pro" if color else "clear")  # "pro": the terminal's own background
        draw(plt, data)
        text: str = plt.build()
    finally:
        plt.clear_figure()
    return text if color else str(plt.uncolorize(text))


def ratings_plot(
    data: SessionData, width: int = 80, height: int = 18, *, color: bool = True
) -> str:
    """SUD and VOC over session minutes as terminal text (ANSI colours unless ``color=False``).

    Raises:
        ValueError: ``width``/``height`` below :data:`MIN_WIDTH` x :data:`MIN_HEIGHT`.
    """
    return _render(draw_ratings, data, width, height, color)


def vitals_plot(data: SessionData, width: int = 80, height: int = 18, *, color: bool = True) -> str:
    """BP, heart rate and SpO2 over minutes since the dose, as terminal text."""
    return _render(draw_vitals, data, width, height, color)


def timeline_plot(
    data: SessionData, width: int = 80, height: int = 18, *, color: bool = True
) -> str:
    """Presence, SUD and sets over minutes since the dose, as terminal text."""
    return _render(draw_timeline, data, width, height, color)
