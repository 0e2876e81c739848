"""The engine with a fake clock: positions, exact edges, no drift, phase continuity, set ends."""

from __future__ import annotations

import math

import pytest

from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import Engine, Event, MotionPlan, SetState
from bls_tui.stimulus.motion import PATTERNS, point


def make(**kw: object) -> tuple[Engine, FakeClock, list[Event]]:
    clock = FakeClock(1000.0)
    engine = Engine(MotionPlan(**kw), clock)  # type: ignore[arg-type]
    events: list[Event] = []
    engine.listeners.append(events.append)
    return engine, clock, events


def edges(events: list[Event]) -> list[Event]:
    return [e for e in events if e.kind == "edge"]


def test_position_is_pure_function_of_time() -> None:
    engine, _clock, _ = make(speed_hz=1.0)
    engine.start_set()
    assert engine.position(1000.0) == pytest.approx((0.0, 0.5))
    assert engine.position(1000.5) == pytest.approx((1.0, 0.5))
    assert engine.position(1000.25) == pytest.approx((0.5, 0.5))
    assert engine.position(1001.0)[0] == pytest.approx(0.0, abs=1e-12)
    # asking twice, or out of order, gives the same answer: nothing accumulates
    assert engine.position(1000.3) == engine.position(1000.3)


def test_edge_times_exact_and_alternate() -> None:
    engine, clock, events = make(speed_hz=1.25, cycles=10)
    engine.start_set()
    for _ in range(1000):
        clock.advance(0.0167)
        engine.poll()
    e = edges(events)
    assert len(e) == 20
    for k, ev in enumerate(e, start=1):
        assert ev.t == pytest.approx(1000.0 + k / 2 / 1.25, abs=1e-9)
        assert ev.data["side"] == ("right" if k % 2 else "left")


@pytest.mark.parametrize("hz", [0.1, 0.7, 1.0, 1.3, 2.0])
def test_no_drift_after_10000_cycles(hz: float) -> None:
    engine, clock, events = make(speed_hz=hz, cycles=10_000)
    engine.start_set()
    # poll at irregular, jittery intervals, as a real frame loop would
    t_total = 10_000 / hz + 1
    steps = 20_000
    for i in range(steps):
        clock.advance(t_total / steps * (0.5 + (i % 7) / 6))
        engine.poll()
    clock.advance(t_total)
    engine.poll()
    e = edges(events)
    assert len(e) == 20_000
    last = e[-1]
    assert last.t == pytest.approx(1000.0 + 10_000 / hz, rel=0, abs=1e-9)
    assert engine.state is SetState.ENDED


def test_speed_change_is_phase_continuous() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=24)
    engine.start_set()
    clock.advance(0.3)
    before = engine.position(clock.now())
    engine.set_speed(1.5)
    after = engine.position(clock.now())
    assert before == pytest.approx(after, abs=1e-12)
    # the next edge (right, phase 0.5) is 0.2 cycles ahead at 1.5 Hz
    clock.advance(1.0)
    engine.poll()
    e = edges(events)
    assert e[0].t == pytest.approx(1000.3 + 0.2 / 1.5, abs=1e-9)


def test_speed_capped_everywhere() -> None:
    engine, _, _ = make(speed_hz=5.0)
    assert engine.speed_hz == 2.0
    assert engine.set_speed(3.0) == 2.0
    assert engine.set_speed(0.0) == 0.1


def test_set_ends_after_n_cycles_at_edge() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=4)
    engine.start_set()
    clock.advance(3.99)
    engine.poll()
    assert engine.state is SetState.RUNNING
    clock.advance(0.02)
    engine.poll()
    assert engine.state is SetState.ENDED
    end = next(e for e in events if e.kind == "set_end")
    assert end.t == pytest.approx(1004.0)
    assert end.data["sweeps"] == 8
    assert engine.position(clock.now() + 5) == pytest.approx((0.0, 0.5), abs=1e-12)
    assert engine.last_summary is not None
    assert engine.last_summary.delivered_hz == pytest.approx(1.0)


def test_set_glides_to_centre() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=2, end_mode="centre")
    engine.start_set()
    clock.advance(2.1)
    engine.poll()
    assert engine.state is SetState.GLIDING
    clock.advance(0.2)
    engine.poll()
    assert engine.state is SetState.ENDED
    assert engine.position(clock.now())[0] == pytest.approx(0.5)
    assert len(edges(events)) == 4


def test_seconds_mode_ends_at_next_edge() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=None, seconds=10.2)
    engine.start_set()
    for _ in range(120):
        clock.advance(0.1)
        engine.poll()
    end = next(e for e in events if e.kind == "set_end")
    assert end.t == pytest.approx(1010.5)


def test_pause_freezes_and_resume_continues() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=4)
    engine.start_set()
    clock.advance(0.3)
    engine.pause()
    x = engine.position(clock.now())
    clock.advance(50)
    assert engine.position(clock.now()) == x
    engine.resume()
    clock.advance(0.2)
    engine.poll()
    assert edges(events)[0].t == pytest.approx(1050.5)
    assert engine.elapsed(clock.now()) == pytest.approx(0.5)


def test_stop_signal_ends_set_immediately() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=24)
    engine.start_set()
    clock.advance(3.3)
    engine.stop_signal()
    assert engine.state is SetState.ENDED
    kinds = [e.kind for e in events]
    assert kinds[-2:] == ["stop", "set_end"]
    assert events[-1].data["stopped"] is True
    assert events[-1].t == pytest.approx(1003.3)
    x = engine.position(clock.now())
    clock.advance(1)
    assert engine.position(clock.now()) == x
    assert engine.last_summary is not None and engine.last_summary.sweeps_delivered == 6


def test_cycles_change_during_set_never_below_done() -> None:
    engine, clock, _ = make(speed_hz=1.0, cycles=24)
    engine.start_set()
    clock.advance(5.2)
    engine.set_cycles(2)
    clock.advance(1)
    engine.poll()
    assert engine.state is SetState.ENDED
    assert engine.last_summary is not None
    assert engine.last_summary.sweeps_delivered == 11


def test_edges_between_predicts_future_edges() -> None:
    engine, _, _ = make(speed_hz=2.0, cycles=3)
    engine.start_set()
    pred = engine.edges_between(1000.0, 1100.0)
    assert [round(t - 1000, 6) for t, _, _ in pred] == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5]
    assert [s for _, s, _ in pred][:2] == ["right", "left"]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("profile", ["sine", "linear"])
def test_patterns_stay_in_unit_square_and_hit_edges(pattern: str, profile: str) -> None:
    for i in range(401):
        x, y = point(i / 200, pattern, profile, 0.1)  # type: ignore[arg-type]
        assert -1e-9 <= x <= 1 + 1e-9 and -1e-9 <= y <= 1 + 1e-9
    if pattern != "vertical":
        assert point(0.5, pattern, profile, 0.1)[0] == pytest.approx(1.0)  # type: ignore[arg-type]
        assert point(1.0, pattern, profile, 0.1)[0] == pytest.approx(0.0, abs=1e-9)  # type: ignore[arg-type]


def test_linear_profile_dwells_at_edges() -> None:
    engine, _clock, _ = make(speed_hz=1.0, profile="linear", dwell_ms=100)
    engine.start_set()
    # sweep = 0.5 s; dwell 0.1 s = 20 % of it, right after each arrival
    assert engine.position(1000.05)[0] == 0.0
    assert engine.position(1000.5 + 0.09)[0] == pytest.approx(1.0)
    mid = engine.position(1000.1 + 0.2)[0]
    assert mid == pytest.approx(0.5)
    assert math.isclose(engine.position(1000.49)[0], 0.975, rel_tol=1e-9)
