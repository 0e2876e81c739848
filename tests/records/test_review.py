"""Pure review functions (ratings, phases, sets, timeline) and the plotext renderings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bls_tui.protocol.model import PhaseVisit
from bls_tui.records.review import (
    format_duration,
    phase_durations,
    rating_series,
    set_headers,
    set_rows,
    timeline_series,
)
from bls_tui.records.store import SessionData, Store
from bls_tui.services.plots import draw_ratings, ratings_plot, timeline_plot, vitals_plot
from records_helpers import FakeWall, full_session, make_set, stamp


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(wall=FakeWall()) as opened:
        yield opened


@pytest.fixture
def standard(store: Store) -> SessionData:
    return store.load_session(full_session(store))


@pytest.fixture
def ketamine(store: Store) -> SessionData:
    return store.load_session(full_session(store, kind="ketamine"))


def test_rating_series_is_every_recorded_point_once_in_time_order(store: Store) -> None:
    sid = store.create_session("C-1", "standard", 60, started_at=stamp(0))
    store.save_assessment(sid, sud=9, voc=1, at=stamp(4))
    store.record_set(make_set(sid, 6, sud=7))  # SUD written on the set row only, ends at 6.4
    store.record_set(make_set(sid, 8))
    store.add_rating(sid, "sud", 5, context="back_to_target", set_number=8, at=stamp(9))
    store.add_rating(sid, "voc", 4, context="installation", at=stamp(30))
    store.add_rating(sid, "sud", 3, context="between_sets", at=stamp(12))  # recorded late
    store.add_rating(sid, "bhs", 2, context="between_sets", at=stamp(13))
    store.finish_session(sid, closure_complete=True, final_sud=0, final_voc=6, ended_at=stamp(50))
    series = rating_series(store.load_session(sid))
    assert series == {
        "sud": [(4.0, 9), (6.4, 7), (9.0, 5), (12.0, 3), (50.0, 0)],
        "voc": [(4.0, 1), (30.0, 4), (50.0, 6)],
    }
    assert rating_series(store.load_session(sid), ("bhs",)) == {"bhs": [(13.0, 2)]}


def test_rating_series_prefers_rating_rows_over_copies(store: Store) -> None:
    sid = store.create_session("C-1", "standard", 60, started_at=stamp(0))
    store.save_assessment(sid, sud=8, at=stamp(5))
    store.add_rating(sid, "sud", 8, context="assessment", at=stamp(5))
    store.add_rating(sid, "sud", 1, context="closure", at=stamp(40))
    store.finish_session(sid, closure_complete=False, final_sud=1, ended_at=stamp(45))
    assert rating_series(store.load_session(sid))["sud"] == [(5.0, 8), (40.0, 1)]


def test_rating_series_of_the_shared_fixture(standard: SessionData) -> None:
    assert rating_series(standard) == {
        "sud": [(5.0, 8), (9.0, 4), (20.0, 1)],
        "voc": [(5.0, 2), (12.0, 6), (55.0, 6)],
    }


def test_rating_series_refuses_unknown_kind(standard: SessionData) -> None:
    with pytest.raises(ValueError, match="rating kind"):
        rating_series(standard, ("mood",))


def test_phase_durations_sum_revisits_in_protocol_order(store: Store) -> None:
    sid = store.create_session("C-1", "standard", 60, started_at=stamp(0))
    store.record_phase(sid, PhaseVisit("desensitisation", stamp(0), stamp(10), 600.0))
    store.record_phase(sid, PhaseVisit("assessment", stamp(10), stamp(12), 120.0))
    store.record_phase(sid, PhaseVisit("desensitisation", stamp(12), stamp(15), 180.0))
    store.record_phase(sid, PhaseVisit("installation", stamp(15)))  # still open
    store.add_note(sid, "last thing recorded", at=stamp(20))
    times = phase_durations(store.load_session(sid))
    assert [(p.phase, p.number, p.seconds, p.visits) for p in times] == [
        ("assessment", 3, 120.0, 1),
        ("desensitisation", 4, 780.0, 2),
        ("installation", 5, 300.0, 1),  # open visit counted up to the last activity
    ]


def test_set_rows_show_sweeps_and_cycles(standard: SessionData, store: Store) -> None:
    rows = set_rows(standard)
    assert [r.number for r in rows] == [7, 8, 11]
    stopped = rows[1]
    cells = stopped.cells()
    assert len(cells) == len(set_headers())
    assert cells[:7] == ["8", "Desensitisation", "1.00", "20/48", "10/24", "10 s", "0.998"]
    assert cells[7:] == ["4", "–", "yes: client signal", "no"]
    assert rows[2].cells()[8] == "6" and rows[2].phase == "installation"
    assert stopped.start_min == 8.0 and stopped.since_dose_min is None
    sid = store.create_session("C-2", "standard", 30, started_at=stamp(0))
    store.record_set(
        make_set(sid, 1, sweeps_planned=None, cycles_planned=None, sound_lost_at=stamp(1.2))
    )
    row = set_rows(store.load_session(sid))[0]
    assert row.sound_lost and row.cells()[3:5] == ["48", "24"] and row.cells()[-1] == "yes"


def test_set_rows_since_dose_for_ketamine(ketamine: SessionData) -> None:
    rows = set_rows(ketamine)
    assert [r.since_dose_min for r in rows] == [37.0, 38.0, 41.0]
    assert rows[0].cells(since_dose=True)[-1] == "37"
    assert set_headers(since_dose=True)[-1] == "Since dose (min)"


def test_timeline_counts_from_the_dose(ketamine: SessionData) -> None:
    line = timeline_series(ketamine)
    assert line.zero_label == "dose (T0)" and line.zero_at == ketamine.medicine.dosed_at  # type: ignore[union-attr]
    firsts = {m.kind: m.minute for m in reversed(line.marks)}
    assert firsts["dose"] == 0.0
    assert firsts["session_start"] == 30.0
    assert firsts["bp_recheck_due"] == 40.0
    assert firsts["observation_end"] == 120.0
    assert firsts["session_end"] == 85.0
    assert [(m.minute, m.end_minute) for m in line.of_kind("set")] == [
        (37.0, pytest.approx(37.4)),
        (38.0, pytest.approx(38.4)),
        (41.0, pytest.approx(41.4)),
    ]
    assert line.vitals["systolic"] == [(37.0, 128.0)]
    assert line.vitals["spo2"] == [(37.0, 98.0)]
    assert line.vitals["bhs"] == [(37.0, 2.5)] and line.vitals["presence"] == []
    assert [m.minute for m in line.marks] == sorted(m.minute for m in line.marks)
    assert line.of_kind("checkin")[0].label == "BP 128/82, HR 72"


def test_no_observation_period_draws_no_observation_end(ketamine: SessionData) -> None:
    """A route with no observation period set (0) ends only when confirmed: no "obs end" at T0."""
    from dataclasses import replace

    data = ketamine
    assert data.medicine is not None
    none_set = replace(data, medicine=replace(data.medicine, observation_min=0))
    assert timeline_series(none_set).of_kind("observation_end") == []
    assert len(timeline_series(data).of_kind("observation_end")) == 1


def test_timeline_without_dose_counts_from_session_start(standard: SessionData) -> None:
    line = timeline_series(standard)
    assert line.zero_label == "session start" and line.of_kind("dose") == []
    assert line.of_kind("session_start")[0].minute == 0.0
    assert [m.label for m in line.of_kind("rating")] == ["SUD 4", "VOC 6", "SUD 1"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "–"), (0.4, "0 s"), (24.0, "24 s"), (65, "1 min 05 s"), (3720, "1 h 02 min")],
)
def test_format_duration(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


def test_ratings_plot_has_axis_labels(standard: SessionData) -> None:
    text = ratings_plot(standard, 80, 18, color=False)
    assert text.strip()
    for label in ("SUD and VOC", "SUD 0-10", "VOC 1-7", "minutes since session start"):
        assert label in text
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80 and len(lines) <= 18
    assert "\x1b[" in ratings_plot(standard, 60, 12)  # coloured for a terminal


def test_plot_without_ratings_says_so(store: Store) -> None:
    data = store.load_session(store.create_session("C-1", "standard", 30, started_at=stamp(0)))
    assert "no ratings recorded" in ratings_plot(data, 60, 10, color=False)


def test_plot_size_is_checked(standard: SessionData) -> None:
    with pytest.raises(ValueError, match="at least"):
        ratings_plot(standard, 10, 5)


def test_ketamine_plots(ketamine: SessionData) -> None:
    vitals = vitals_plot(ketamine, 80, 14, color=False)
    for label in ("Vitals", "systolic", "SpO2", "minutes since dose (T0)"):
        assert label in vitals
    timeline = timeline_plot(ketamine, 80, 16, color=False)
    for label in ("Timeline since dose (T0)", "sets", "T0", "BP", "obs end"):
        assert label in timeline


class Recorder:
    """A plotext-like object that records the drawing calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((name, args, kwargs))

        return record


def test_draw_ratings_only_draws_on_the_given_object(standard: SessionData) -> None:
    rec = Recorder()
    draw_ratings(rec, standard)
    names = {name for name, _, _ in rec.calls}
    assert not names & {"build", "show", "plotsize", "clf", "clear_figure"}
    lines = {kw.get("label"): args for name, args, kw in rec.calls if name == "plot"}
    assert lines["SUD"] == ([5.0, 9.0, 20.0], [8.0, 4.0, 1.0])
    assert lines["VOC"] == ([5.0, 12.0, 55.0], [2.0, 6.0, 6.0])


def test_draw_ratings_works_on_a_textual_plotext_figure(standard: SessionData) -> None:
    from textual_plotext.plot import Plot

    figure = Plot()
    draw_ratings(figure, standard)
    figure.plotsize(70, 16)
    text = figure.uncolorize(figure.build())
    assert "SUD 0-10" in text and "VOC 1-7" in text
