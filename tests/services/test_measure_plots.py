"""Measures plotted across sessions: one line per instrument, unfinished ones never plotted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bls_tui.measures.builtin import BUILTINS
from bls_tui.records.store import Store
from bls_tui.services.measure_plots import draw_measures, measures_plot


class Recorder:
    """A plotext stand-in that keeps what was drawn."""

    def __init__(self) -> None:
        self.lines: list[tuple[list[float], list[float], str]] = []
        self.titles: list[str] = []

    def plot(self, xs: list[float], ys: list[float], **kw: Any) -> None:
        self.lines.append((xs, ys, kw["label"]))

    def title(self, text: str) -> None:
        self.titles.append(text)

    def __getattr__(self, name: str) -> Any:
        return lambda *a, **k: None


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "s.db", backup=False) as opened:
        yield opened


def test_each_instrument_is_a_line_of_its_finished_totals(store: Store) -> None:
    pcl5 = BUILTINS["pcl5"]
    store.save_measure("P-1", pcl5, [2] * 20, taken_at="2026-11-02T10:00:00Z")
    store.save_measure("P-1", pcl5, [1] * 20, taken_at="2026-11-09T10:00:00Z")
    store.save_measure("P-1", pcl5, [0] * 19 + [None], taken_at="2026-11-12T10:00:00Z")
    store.save_measure("P-1", BUILTINS["gad7"], [1] * 7, taken_at="2026-11-09T10:00:00Z")
    drawn = Recorder()
    draw_measures(drawn, store.list_measures("P-1"))
    lines = {label: (xs, ys) for xs, ys, label in drawn.lines}
    assert lines["PCL-5 (0-80)"] == ([0.0, 7.0], [40.0, 20.0])  # the unfinished one is left out
    assert lines["GAD-7 (0-21)"] == ([7.0], [7.0])
    assert drawn.titles == ["Outcome measures (screening, not diagnosis)"]


def test_no_finished_measure_draws_no_line(store: Store) -> None:
    store.save_measure("P-2", BUILTINS["phq9"], [1, None, 1, 1, 1, 1, 1, 1, 0])
    drawn = Recorder()
    draw_measures(drawn, store.list_measures("P-2"))
    assert drawn.lines == [] and drawn.titles == ["Outcome measures: none finished yet"]
    text = measures_plot(store.list_measures("P-2"), color=False)
    assert "none finished yet" in text
