"""Every engine path with a fake clock: dwell, glides, timed sets with pauses and length
changes (and what the sound plan makes of them), events, the edge window, counts and queries.

Times are worked out by hand in the comments; a phase is in cycles (0.5 = right edge).
"""

from __future__ import annotations

import pytest

from bls_tui.safety import limits
from bls_tui.sound.schedule import Schedule
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import Engine, Event, MotionPlan, SetState

T0 = 1000.0


def make(**kw: object) -> tuple[Engine, FakeClock, list[Event]]:
    clock = FakeClock(T0)
    engine = Engine(MotionPlan(**kw), clock)  # type: ignore[arg-type]
    events: list[Event] = []
    engine.listeners.append(events.append)
    return engine, clock, events


def run_until(engine: Engine, clock: FakeClock, t: float, step: float = 0.05) -> None:
    while clock.now() < t - 1e-12:
        clock.advance(min(step, t - clock.now()))
        engine.poll()


def kinds(events: list[Event]) -> list[str]:
    return [e.kind for e in events]


def edge_times(events: list[Event]) -> list[float]:
    return [e.t for e in events if e.kind == "edge"]


# --------------------------------------------------------------------------- dwell
@pytest.mark.parametrize(
    ("hz", "dwell_ms", "fraction"),
    [(0.5, 100.0, 0.1), (1.0, 100.0, 0.2), (1.5, 100.0, 0.3), (2.0, 100.0, 0.4), (2.0, 200.0, 0.5)],
)
def test_engine_dwell_at_several_speeds(hz: float, dwell_ms: float, fraction: float) -> None:
    engine, _, _ = make(speed_hz=hz, profile="linear", dwell_ms=dwell_ms)
    engine.start_set(T0)
    assert engine.dwell == pytest.approx(fraction)
    sweep = 1 / (2 * hz)
    rest = fraction * sweep
    # resting at the left right after the start, then moving; resting at the right likewise
    assert engine.position(T0 + rest * 0.99)[0] == 0.0
    assert engine.position(T0 + rest + (sweep - rest) / 2)[0] == pytest.approx(0.5)
    assert engine.position(T0 + sweep + rest * 0.99)[0] == 1.0
    assert engine.position(T0 + sweep + rest + (sweep - rest) / 2)[0] == pytest.approx(0.5)


def test_dwell_at_the_cap_leaves_half_of_each_sweep_for_moving() -> None:
    """2 Hz with 200 ms would rest 80 % of a 250 ms sweep; the cap keeps the rest to 125 ms."""
    engine, _, _ = make(speed_hz=2.0, profile="linear", dwell_ms=200.0)
    engine.start_set(T0)
    assert engine.position(T0 + 0.124)[0] == 0.0
    assert engine.position(T0 + 0.13)[0] > 0.0  # moving again after 125 ms
    assert engine.position(T0 + 0.1875)[0] == pytest.approx(0.5)  # half-way at 187.5 ms


def test_sine_profile_has_no_dwell() -> None:
    engine, _, _ = make(speed_hz=1.0, profile="sine", dwell_ms=200.0)
    engine.start_set(T0)
    assert engine.dwell == 0.0
    assert engine.position(T0 + 0.1)[0] > 0.0


# --------------------------------------------------------------------------- set ends
def test_linear_profile_glides_to_the_centre_after_its_rest() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=2, end_mode="centre", profile="linear",
                                 dwell_ms=100.0)  # fmt: skip
    engine.start_set(T0)
    # last edge at 1002.0 (left); dwell 0.2 of a 0.5 s sweep = 0.1 s rest, then 0.4 s to the
    # right end, so the centre is reached 0.1 + 0.2 = 0.3 s after the last edge
    run_until(engine, clock, T0 + 2.29, step=0.01)
    assert engine.state is SetState.GLIDING
    assert engine.position(T0 + 2.05)[0] == 0.0  # resting first
    run_until(engine, clock, T0 + 2.4, step=0.01)
    assert engine.state is SetState.ENDED
    glide = next(e for e in events if e.kind == "glide")
    end = next(e for e in events if e.kind == "set_end")
    assert glide.t == pytest.approx(T0 + 2.0)
    assert end.t == pytest.approx(T0 + 2.3)
    assert engine.position(clock.now() + 10) == pytest.approx((0.5, 0.5))
    assert len(edge_times(events)) == 4
    assert engine.last_summary is not None and engine.last_summary.sweeps_delivered == 4


def test_sine_glide_takes_a_quarter_cycle() -> None:
    engine, clock, events = make(speed_hz=2.0, cycles=1, end_mode="centre")
    engine.start_set(T0)
    run_until(engine, clock, T0 + 1.0, step=0.01)
    end = next(e for e in events if e.kind == "set_end")
    assert end.t == pytest.approx(T0 + 0.5 + 0.125)  # last edge 0.5 s, quarter cycle 0.125 s


def test_circle_ends_at_the_edge_even_with_centre_end() -> None:
    """A circle has no centre on its path: it ends on the left edge, with no glide."""
    engine, clock, events = make(speed_hz=1.0, cycles=2, end_mode="centre", pattern="circle")
    engine.start_set(T0)
    run_until(engine, clock, T0 + 3.0)
    assert "glide" not in kinds(events)
    end = next(e for e in events if e.kind == "set_end")
    assert end.t == pytest.approx(T0 + 2.0)
    assert engine.position(clock.now()) == pytest.approx((0.0, 0.5), abs=1e-12)


@pytest.mark.parametrize("pattern", ["figure-eight", "vertical", "diagonal-up"])
def test_other_patterns_glide_to_the_centre(pattern: str) -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=1, end_mode="centre", pattern=pattern)
    engine.start_set(T0)
    run_until(engine, clock, T0 + 2.0)
    assert "glide" in kinds(events)
    assert engine.position(clock.now()) == pytest.approx((0.5, 0.5), abs=1e-12)


def test_stop_during_the_glide_ends_the_set_as_stopped() -> None:
    engine, clock, _ = make(speed_hz=1.0, cycles=1, end_mode="centre")
    engine.start_set(T0)
    run_until(engine, clock, T0 + 1.1, step=0.01)
    assert engine.state is SetState.GLIDING
    engine.set_cycles(10, clock.now())  # too late: the glide is not called back
    engine.stop_signal(clock.now())
    assert engine.state is SetState.ENDED
    assert engine.last_summary is not None and engine.last_summary.stopped_early
    assert engine.last_summary.sweeps_delivered == 2


# --------------------------------------------------------------------------- timed sets
def test_timed_set_with_two_pauses_and_a_length_change_and_its_sound_plan() -> None:
    """seconds = 10.2 at 1 Hz, paused 5 s then 2 s, lengthened to 15.2 s in the middle.

    Active time 15.2 s is reached at 1022.2 (7 s of pauses); the set ends at the next edge,
    phase 15.5, at 1022.5: 31 sweeps, 15.5 s active, 1.0 Hz delivered.  The sound plan,
    re-made at each change as the audio controller does, sounds exactly those edges.
    """
    engine, clock, events = make(speed_hz=1.0, cycles=None, seconds=10.2)
    engine.start_set(T0)
    sched = Schedule.start(engine, T0)
    assert sched.end_t() == pytest.approx(T0 + 10.5)  # predicted: the edge after 10.2 s
    assert engine.sweeps_planned() is None
    run_until(engine, clock, T0 + 3.2)
    engine.pause(clock.now())
    sched = sched.silenced(clock.now())
    clock.advance(5.0)
    assert engine.elapsed(clock.now()) == pytest.approx(3.2)  # frozen while paused
    engine.resume(clock.now())
    sched = sched.resumed(engine, clock.now())
    assert sched.end_t() == pytest.approx(T0 + 15.5)
    run_until(engine, clock, T0 + 10.2)
    engine.pause(clock.now())
    sched = sched.silenced(clock.now())
    clock.advance(2.0)
    engine.resume(clock.now())
    sched = sched.resumed(engine, clock.now())
    assert engine.elapsed(clock.now()) == pytest.approx(5.2)  # both pauses left out
    assert sched.end_t() == pytest.approx(T0 + 17.5)
    run_until(engine, clock, T0 + 13.2)
    assert engine.set_seconds(15.2) == 15.2
    sched = sched.changed(engine, clock.now())
    assert sched.end_t() == pytest.approx(T0 + 22.5)
    run_until(engine, clock, T0 + 30.0)

    assert engine.state is SetState.ENDED
    want = (
        [T0 + k / 2 for k in range(1, 7)]  # phase 0.5 .. 3.0 before the first pause
        + [T0 + 8.2 + (k / 2 - 3.2) for k in range(7, 11)]  # phase 3.5 .. 5.0
        + [T0 + 12.2 + (k / 2 - 5.2) for k in range(11, 32)]  # phase 5.5 .. 15.5
    )
    assert edge_times(events) == pytest.approx(want, abs=1e-9)
    assert [t for t, _, _ in sched.edges(T0, T0 + 100)] == pytest.approx(want, abs=1e-9)
    summary = engine.last_summary
    assert summary is not None
    assert summary.ended_t == pytest.approx(T0 + 22.5)
    assert summary.sweeps_delivered == 31
    assert summary.active_s == pytest.approx(15.5)
    assert summary.delivered_hz == pytest.approx(1.0)
    assert summary.seconds_planned == 15.2 and summary.cycles_planned is None
    assert engine.sweeps_planned() == 31
    assert engine.elapsed(T0 + 99) == pytest.approx(15.5)
    assert kinds(events)[0] == "set_start" and kinds(events)[-1] == "set_end"
    assert [e.t for e in events if e.kind in ("pause", "resume")] == pytest.approx(
        [T0 + 3.2, T0 + 8.2, T0 + 10.2, T0 + 12.2]
    )


def test_timed_set_shortened_below_what_is_done_ends_at_the_next_edge() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=None, seconds=30.0)
    engine.start_set(T0)
    run_until(engine, clock, T0 + 5.2)
    engine.set_seconds(1.0)  # already past 1 s: ends at the next edge (phase 5.5)
    run_until(engine, clock, T0 + 7.0)
    end = next(e for e in events if e.kind == "set_end")
    assert end.t == pytest.approx(T0 + 5.5)
    assert engine.last_summary is not None and engine.last_summary.sweeps_delivered == 11


def test_set_seconds_clamps_and_switches_to_seconds_mode() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=24)
    assert engine.set_seconds(20.0) == 20.0
    assert engine.plan.seconds == 20.0 and engine.plan.cycles is None
    assert engine.set_seconds(limits.MAX_SECONDS + 100) == 1800.0
    assert engine.set_seconds(-3.0) == 1.0
    engine.set_seconds(2.2)
    engine.start_set(T0)
    assert engine.sweeps_planned() is None and engine.end_phase is None
    run_until(engine, clock, T0 + 5.0)
    end = next(e for e in events if e.kind == "set_end")
    assert end.t == pytest.approx(T0 + 2.5)
    assert engine.end_phase == 2.5


def test_a_very_short_timed_set_still_reaches_the_right_edge() -> None:
    engine, clock, events = make(speed_hz=0.1, cycles=None, seconds=1.0)
    engine.start_set(T0)
    run_until(engine, clock, T0 + 10.0, step=0.1)
    assert engine.state is SetState.ENDED
    assert edge_times(events) == pytest.approx([T0 + 5.0])  # one sweep, 5 s at 0.1 Hz


# --------------------------------------------------------------------------- pauses
def test_several_pauses_in_one_set_all_count() -> None:
    """Three pauses of 2, 3 and 4 s in a 4-cycle set at 1 Hz: 4 s active, 1.0 Hz delivered."""
    engine, clock, _ = make(speed_hz=1.0, cycles=4)
    engine.start_set(T0)
    for at, length in ((0.3, 2.0), (1.1, 3.0), (2.6, 4.0)):
        run_until(engine, clock, T0 + at)
        engine.pause(clock.now())
        clock.advance(length)
        engine.resume(clock.now())
    run_until(engine, clock, T0 + 30.0)
    summary = engine.last_summary
    assert summary is not None
    assert summary.ended_t == pytest.approx(T0 + 4.0 + 9.0)
    assert summary.active_s == pytest.approx(4.0)
    assert summary.delivered_hz == pytest.approx(1.0)
    assert engine.elapsed(clock.now()) == pytest.approx(4.0)


def test_stop_while_paused_after_two_pauses() -> None:
    engine, clock, _ = make(speed_hz=1.0, cycles=10)
    engine.start_set(T0)
    run_until(engine, clock, T0 + 1.0)  # 1 s active
    engine.pause(clock.now())
    clock.advance(3.0)
    engine.resume(clock.now())
    run_until(engine, clock, T0 + 5.0)  # 1 s more
    engine.pause(clock.now())
    clock.advance(2.0)
    assert engine.elapsed(clock.now()) == pytest.approx(2.0)
    engine.stop_signal(clock.now())
    summary = engine.last_summary
    assert summary is not None and summary.stopped_early
    assert summary.active_s == pytest.approx(2.0)
    assert summary.sweeps_delivered == 4
    assert summary.stop_reason == "stop signal"


def test_pause_and_resume_only_where_they_apply() -> None:
    engine, _, events = make(speed_hz=1.0, cycles=1)
    engine.pause(T0)
    engine.resume(T0)
    assert events == []  # nothing to pause before a set
    engine.start_set(T0)
    engine.resume(T0 + 0.1)  # not paused: no resume
    assert kinds(events) == ["set_start"]
    engine.pause(T0 + 0.6)  # one cycle: the set ends at 1.0
    assert engine.state is SetState.PAUSED
    engine.pause(T0 + 0.7)
    assert kinds(events).count("pause") == 1
    engine.resume(T0 + 5.0)
    engine.pause(T0 + 5.5)  # the set ended at 5.4 in this very poll: no pause
    assert engine.state is SetState.ENDED
    assert kinds(events).count("pause") == 1


# --------------------------------------------------------------------------- events
def test_event_kinds_times_and_data_of_a_set() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=1, pattern="vertical", profile="linear")
    engine.toggle(T0)
    run_until(engine, clock, T0 + 0.25)
    engine.set_speed(2.0, clock.now())
    run_until(engine, clock, T0 + 2.0)
    assert kinds(events) == ["set_start", "speed", "edge", "edge", "set_end"]
    start, speed, e1, e2, end = events
    assert start.t == T0
    assert start.data == {"set": 1, "speed_hz": 1.0, "cycles": 1, "seconds": None,
                          "pattern": "vertical", "profile": "linear"}  # fmt: skip
    assert speed.t == pytest.approx(T0 + 0.25) and speed.data == {"set": 1, "speed_hz": 2.0}
    # phase 0.25 at 0.25 s; at 2 Hz the right edge (0.5) is 0.125 s later, the left 0.25 s more
    assert e1.t == pytest.approx(T0 + 0.375) and e1.data == {"set": 1, "side": "right", "k": 1}
    assert e2.t == pytest.approx(T0 + 0.625) and e2.data == {"set": 1, "side": "left", "k": 2}
    assert end.t == pytest.approx(T0 + 0.625)
    assert end.data["sweeps"] == 2 and end.data["stopped"] is False and end.data["reason"] is None
    assert end.data["active_s"] == pytest.approx(0.625)
    assert end.data["delivered_hz"] == pytest.approx(1 / 0.625)
    summary = engine.last_summary
    assert summary is not None
    assert (summary.start_speed_hz, summary.end_speed_hz) == (1.0, 2.0)
    assert (summary.pattern, summary.profile, summary.number) == ("vertical", "linear", 1)
    assert summary.started_t == T0


def test_second_set_numbers_and_toggle() -> None:
    engine, clock, events = make(speed_hz=2.0, cycles=1)
    engine.toggle(T0)
    engine.toggle(T0 + 0.1)
    assert engine.state is SetState.PAUSED
    engine.toggle(T0 + 0.2)
    assert engine.state is SetState.RUNNING
    run_until(engine, clock, T0 + 2.0)
    engine.toggle(clock.now())
    assert engine.set_number == 2 and engine.state is SetState.RUNNING
    engine.start_set(clock.now() + 0.1)  # already in a set: ignored
    assert engine.set_number == 2
    assert [e.data["set"] for e in events if e.kind == "set_start"] == [1, 2]


def test_stop_signal_outside_a_set_is_reported_but_changes_nothing() -> None:
    engine, _, events = make(speed_hz=1.0, cycles=1)
    engine.stop_signal(T0, reason="client")
    assert events[-1].kind == "stop" and events[-1].data == {
        "set": 0, "in_set": False, "reason": "client"
    }  # fmt: skip
    assert engine.state is SetState.IDLE
    engine.start_set(T0)
    engine.stop_signal(T0 + 1.5)  # the set ended at 1.0 in this very poll
    assert events[-1].kind == "stop" and events[-1].data["in_set"] is False
    assert engine.last_summary is not None and not engine.last_summary.stopped_early


def test_speed_change_to_the_same_speed_is_silent_and_idle_change_sets_the_next_set() -> None:
    engine, _, events = make(speed_hz=1.0, cycles=2)
    assert engine.set_speed(1.0, T0) == 1.0
    assert events == []
    assert engine.set_speed(1.5, T0) == 1.5
    assert kinds(events) == ["speed"]
    engine.start_set(T0 + 10)
    assert engine.anchor() == (T0 + 10, 0.0, 1.5)
    assert engine.time_of_phase(0.5) == pytest.approx(T0 + 10 + 1 / 3)


# --------------------------------------------------------------------------- edge window
def test_edge_window_is_half_open_at_both_ends() -> None:
    engine, _, _ = make(speed_hz=2.0, cycles=2)  # edges at +0.25, 0.5, 0.75, 1.0
    engine.start_set(T0)
    assert engine.edges_between(T0, T0 + 0.25) == []  # the edge at t1 is not included
    assert engine.edges_between(T0 + 0.25, T0 + 0.5) == [(T0 + 0.25, "right", 1)]  # t0 is
    assert [k for _, _, k in engine.edges_between(T0 + 0.25, T0 + 0.75)] == [1, 2]
    assert [k for _, _, k in engine.edges_between(T0, T0 + 1e9)] == [1, 2, 3, 4]  # no more
    assert [k for _, _, k in engine.edges_between(T0 + 0.5, T0 + 1.0)] == [2, 3]


def test_edge_window_follows_the_anchor_and_is_empty_when_idle() -> None:
    engine, clock, _ = make(speed_hz=1.0, cycles=4)
    assert engine.edges_between(T0, T0 + 100) == []
    engine.start_set(T0)
    run_until(engine, clock, T0 + 1.2)
    engine.set_speed(2.0, clock.now())  # anchor at phase 1.2
    got = engine.edges_between(clock.now(), T0 + 2.0)
    # phase 1.5 at 1.2 + 0.15, phase 2.0 at 1.2 + 0.4, phase 2.5 at 1.2 + 0.65
    assert got == [
        pytest.approx((T0 + 1.35, "right", 3)),
        pytest.approx((T0 + 1.6, "left", 4)),
        pytest.approx((T0 + 1.85, "right", 5)),
    ]
    engine.pause(clock.now())
    assert engine.edges_between(T0, T0 + 100) == []


def test_edges_between_lists_every_edge_of_a_timed_set_until_the_end_is_known() -> None:
    engine, _, _ = make(speed_hz=1.0, cycles=None, seconds=2.2)
    engine.start_set(T0)
    assert len(engine.edges_between(T0, T0 + 10)) == 19  # [T0, T0 + 10): end not known yet
    engine.poll(T0 + 2.3)  # 2.2 s reached: the set ends on the next edge, the 5th (2.5 s)
    assert engine.state is SetState.RUNNING
    assert [k for _, _, k in engine.edges_between(T0, T0 + 10)] == [1, 2, 3, 4, 5]


# --------------------------------------------------------------------------- queries
def test_sweeps_planned_and_done() -> None:
    engine, clock, _ = make(speed_hz=1.0, cycles=3)
    assert engine.sweeps_planned() == 6
    engine.start_set(T0)
    assert engine.sweeps_done(T0) == 0
    run_until(engine, clock, T0 + 1.6)
    assert engine.sweeps_done(clock.now()) == 3
    engine.set_cycles(5, clock.now())
    assert engine.sweeps_planned() == 10
    engine.set_cycles(1, clock.now())  # below what is done: the next edge (phase 2.0) ends it
    assert engine.sweeps_planned() == 4
    assert engine.end_phase == 2.0
    run_until(engine, clock, T0 + 10)
    assert engine.sweeps_done(clock.now()) == 4
    assert engine.last_summary is not None and engine.last_summary.cycles_delivered == 2.0


def test_elapsed_before_during_and_after_sets() -> None:
    engine, clock, _ = make(speed_hz=1.0, cycles=2)
    assert engine.elapsed(T0 + 50) == 0.0  # no set yet
    assert not engine.in_set and not engine.active
    engine.start_set(T0 + 1)
    assert engine.in_set and engine.active
    assert engine.elapsed(T0 + 1.5) == pytest.approx(0.5)
    run_until(engine, clock, T0 + 10)
    assert engine.elapsed(T0 + 99) == pytest.approx(2.0)  # the last set's active time
    engine.pause(T0 + 10)
    assert not engine.in_set


def test_delivered_hz_of_an_empty_set_is_zero() -> None:
    engine, _, _ = make(speed_hz=1.0, cycles=2)
    engine.start_set(T0)
    engine.stop_signal(T0)
    assert engine.last_summary is not None
    assert engine.last_summary.active_s == 0.0
    assert engine.last_summary.delivered_hz == 0.0
    assert engine.last_summary.cycles_delivered == 0.0


# --------------------------------------------------------------------------- time sources
def test_commands_use_the_given_time_not_the_clock() -> None:
    """A command given a time acts at that time, even if the clock reads something else."""
    engine, clock, events = make(speed_hz=1.0, cycles=4)
    engine.toggle(T0 + 1.0)  # clock still at T0
    engine.toggle(T0 + 1.3)
    engine.toggle(T0 + 2.3)
    assert [(e.kind, e.t) for e in events] == [
        ("set_start", T0 + 1.0), ("pause", T0 + 1.3), ("resume", T0 + 2.3)
    ]  # fmt: skip
    # the speed change polls at its own time first: the right edge (phase 0.5, at 1.0 + 1.0
    # active = T0 + 2.5) comes before it, at the old speed
    engine.set_speed(2.0, T0 + 2.6)
    assert [(e.kind, e.t) for e in events[3:]] == [
        ("edge", pytest.approx(T0 + 2.5)), ("speed", T0 + 2.6)
    ]  # fmt: skip
    engine.set_cycles(1, T0 + 2.7)  # phase 0.6 + 0.2 = 0.8: the next edge (1.0) ends it
    assert engine.end_phase == 1.0
    engine.stop_signal(T0 + 2.75, reason="client")
    assert (events[-2].kind, events[-2].t) == ("stop", T0 + 2.75)
    assert events[-2].data == {"set": 1, "in_set": True, "reason": "client"}
    assert events[-1].kind == "set_end" and events[-1].t == T0 + 2.75
    assert events[-1].data["reason"] == "client" and events[-1].data["stopped"] is True
    assert clock.now() == T0


def test_commands_read_the_clock_when_no_time_is_given() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=4)
    clock.advance(1.0)
    engine.toggle()
    clock.advance(0.2)
    engine.toggle()
    clock.advance(1.0)
    engine.toggle()
    clock.advance(0.1)
    engine.set_speed(1.5)
    clock.advance(0.1)
    engine.poll()
    engine.stop_signal()
    assert [(e.kind, round(e.t - T0, 9)) for e in events] == [
        ("set_start", 1.0), ("pause", 1.2), ("resume", 2.2), ("speed", 2.3), ("stop", 2.4),
        ("set_end", 2.4),
    ]  # fmt: skip
    engine.stop_signal(reason="again")  # outside a set now
    assert (events[-1].kind, events[-1].t, events[-1].data) == (
        "stop", pytest.approx(T0 + 2.4), {"set": 1, "in_set": False, "reason": "again"}
    )  # fmt: skip


def test_set_seconds_and_set_cycles_act_at_the_given_time() -> None:
    engine, clock, events = make(speed_hz=1.0, cycles=None, seconds=30.0)
    engine.start_set(T0)
    engine.poll(T0 + 5.0)
    engine.set_seconds(1.0, T0 + 5.0)  # exactly on the left edge (phase 5.0): ends there
    assert engine.end_phase == 5.0
    engine.poll(T0 + 5.0)
    assert engine.state is SetState.ENDED
    assert events[-1].kind == "set_end" and events[-1].t == pytest.approx(T0 + 5.0)
    engine2, clock2, _ = make(speed_hz=1.0, cycles=24)
    engine2.start_set(T0)
    engine2.poll(T0 + 2.0)
    engine2.set_cycles(1, T0 + 2.0)  # on the left edge at phase 2.0: ends there, not at 2.5
    assert engine2.end_phase == 2.0
    assert clock.now() == clock2.now() == T0


def test_shortening_a_slow_timed_set_ends_at_the_first_edge() -> None:
    engine, _, events = make(speed_hz=0.1, cycles=None, seconds=30.0)
    engine.start_set(T0)
    engine.set_seconds(1.0, T0 + 2.0)  # phase 0.2: the first edge is the right one, at 5 s
    assert engine.end_phase == 0.5
    engine.poll(T0 + 6.0)
    assert [e.t for e in events if e.kind == "set_end"] == pytest.approx([T0 + 5.0])


def test_set_seconds_between_sets_is_for_the_next_set() -> None:
    engine, clock, _ = make(speed_hz=1.0, cycles=2)
    engine.start_set(T0)
    run_until(engine, clock, T0 + 3.0)
    assert engine.end_phase == 2.0
    engine.set_seconds(1.0, clock.now())
    engine.set_cycles(10, clock.now())
    assert engine.end_phase == 2.0  # the last set's end stays as it was
    engine.start_set(clock.now())
    assert engine.end_phase == 10.0 and engine.sweeps_planned() == 20


def test_edges_between_starts_at_the_anchor_edge() -> None:
    engine, clock, _ = make(speed_hz=1.0, cycles=4)
    engine.start_set(T0)
    run_until(engine, clock, T0 + 1.5)
    engine.set_speed(2.0, T0 + 1.5)  # anchor exactly on edge 3 (phase 1.5)
    got = engine.edges_between(T0, T0 + 2.4)
    assert [k for _, _, k in got] == [3, 4, 5, 6]  # from the anchor on, none before it
    assert got[0][0] == pytest.approx(T0 + 1.5)


def test_sweeps_done_in_the_past_and_in_long_timed_sets() -> None:
    engine, clock, _ = make(speed_hz=1.0, cycles=10)
    engine.start_set(T0)
    run_until(engine, clock, T0 + 3.0)
    assert engine.sweeps_done(T0 + 3.0) == 6
    assert engine.sweeps_done(T0 + 1.2) == 2  # asked about an earlier time: what was done then
    assert engine.sweeps_done(T0 + 1.0) == 2
    timed, tclock, _ = make(speed_hz=2.0, cycles=None, seconds=120.0)
    timed.start_set(T0)
    assert timed.sweeps_done(T0) == 0
    run_until(timed, tclock, T0 + 60.0, step=0.5)
    assert timed.sweeps_done(tclock.now()) == 240  # no cap in a timed set


def test_stopping_a_timed_set_early_records_what_was_delivered() -> None:
    engine, clock, _ = make(speed_hz=1.0, cycles=None, seconds=60.0)
    engine.start_set(T0)
    run_until(engine, clock, T0 + 7.3)
    engine.stop_signal(clock.now(), reason="client")
    summary = engine.last_summary
    assert summary is not None
    assert summary.sweeps_delivered == 14 and summary.stopped_early
    assert summary.stop_reason == "client"
    assert (summary.cycles_planned, summary.seconds_planned) == (None, 60.0)
    assert summary.active_s == pytest.approx(7.3)


def test_summary_of_a_cycles_set_names_its_plan() -> None:
    engine, clock, _ = make(speed_hz=2.0, cycles=4)
    engine.start_set(T0)
    run_until(engine, clock, T0 + 3.0)
    summary = engine.last_summary
    assert summary is not None
    assert (summary.cycles_planned, summary.seconds_planned) == (4, None)
    assert summary.sweeps_delivered == 8 and summary.cycles_delivered == 4.0
    assert not summary.stopped_early and summary.stop_reason is None


# --------------------------------------------------------------------------- late polls
def test_position_between_polls_never_runs_past_the_end() -> None:
    engine, _, _ = make(speed_hz=1.0, cycles=1)
    engine.start_set(T0)
    engine.poll(T0 + 0.9)
    # not polled since 0.9 s: asked about 1.25 s, the dot is at the end (left edge), not beyond
    assert engine.position(T0 + 1.25) == pytest.approx((0.0, 0.5), abs=1e-12)
    glide, _, _ = make(speed_hz=1.0, cycles=1, end_mode="centre")
    glide.start_set(T0)
    glide.poll(T0 + 1.1)
    assert glide.state is SetState.GLIDING
    assert glide.position(T0 + 1.9) == pytest.approx((0.5, 0.5), abs=1e-12)  # centre, not past


def test_sine_position_inside_a_sweep() -> None:
    engine, _, _ = make(speed_hz=1.0, cycles=2)
    engine.start_set(T0)
    x = engine.position(T0 + 0.125)[0]  # phase 1/8 on the sine profile
    assert x == pytest.approx((1 - 0.5**0.5) / 2, abs=1e-12)


def test_a_late_poll_ends_a_timed_set_where_it_should_have_ended() -> None:
    engine, _, events = make(speed_hz=1.0, cycles=None, seconds=2.2)
    engine.start_set(T0)
    engine.poll(T0 + 3.9)  # one late poll: 2.2 s was reached at 2.2, the next edge is at 2.5
    assert engine.state is SetState.ENDED
    assert [e.t for e in events if e.kind == "set_end"] == pytest.approx([T0 + 2.5])
    assert engine.last_summary is not None and engine.last_summary.sweeps_delivered == 5
    exact, _, exact_events = make(speed_hz=1.0, cycles=None, seconds=2.0)
    exact.start_set(T0)
    exact.poll(T0 + 2.3)  # 2.0 s falls on the left edge: the set ended right there
    assert [e.t for e in exact_events if e.kind == "set_end"] == pytest.approx([T0 + 2.0])
    on_time, _, _ = make(speed_hz=1.0, cycles=None, seconds=2.0)
    on_time.start_set(T0)
    on_time.poll(T0 + 2.0)  # polled exactly at the length, on an edge: ends in this poll
    assert on_time.state is SetState.ENDED


def test_a_glide_ends_the_set_as_completed_not_stopped() -> None:
    engine, _, events = make(speed_hz=2.0, cycles=1, end_mode="centre")
    engine.start_set(T0)
    engine.poll(T0 + 0.6)
    engine.poll(T0 + 0.625)  # exactly the glide's end: 0.5 s + a quarter cycle at 2 Hz
    assert engine.state is SetState.ENDED
    assert engine.last_summary is not None
    assert engine.last_summary.stopped_early is False
    assert events[-1].data["stopped"] is False and events[-1].data["reason"] is None


def test_elapsed_in_a_second_set_is_that_sets_time() -> None:
    engine, clock, _ = make(speed_hz=2.0, cycles=1)
    engine.start_set(T0)
    run_until(engine, clock, T0 + 2.0)
    assert engine.elapsed(clock.now()) == pytest.approx(0.5)
    engine.start_set(T0 + 10.0)
    assert engine.elapsed(T0 + 10.2) == pytest.approx(0.2)  # not the first set's 0.5 s
    engine.pause(T0 + 10.3)
    assert engine.elapsed(T0 + 50.0) == pytest.approx(0.3)
    engine.stop_signal(T0 + 51.0, reason="client")
    assert events_reason(engine) == "client"


def events_reason(engine: Engine) -> str | None:
    assert engine.last_summary is not None
    return engine.last_summary.stop_reason


@pytest.mark.parametrize(
    ("plan", "length"),
    [({"cycles": None, "seconds": 30.0}, {"cycles": None, "seconds": 30.0}),
     ({"cycles": 12}, {"cycles": 12, "seconds": None})],
)  # fmt: skip
def test_set_start_event_carries_the_set_length_as_planned(
    plan: dict[str, object], length: dict[str, object]
) -> None:
    """The set_start event (and so the trace) states the length the set was given."""
    engine, _clock, events = make(speed_hz=1.0, **plan)
    engine.start_set()
    start = events[-1]
    assert start.kind == "set_start" and start.t == T0
    assert {k: start.data[k] for k in ("cycles", "seconds")} == length
    assert start.data["speed_hz"] == 1.0


def test_a_resumed_sessions_numbering_does_not_make_up_a_set_time() -> None:
    """After `--resume` the engine counts on from the session's last set but has run none: the
    set time is 0:00, not the machine's uptime (the monotonic clock's origin)."""
    clock = FakeClock(32_440.0)
    engine = Engine(MotionPlan(speed_hz=1.0, cycles=2), clock)
    engine.set_number = 5
    assert engine.elapsed(clock.now()) == 0.0
    engine.start_set(clock.now())
    clock.advance(0.75)
    assert engine.elapsed(clock.now()) == pytest.approx(0.75)
