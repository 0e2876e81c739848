"""Observation period, BP recheck, check-in reminders with deferral, linked window."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bls_tui.ketamine.dose import ROUTE_IDS, KetamineError
from bls_tui.ketamine.timers import (
    DEFAULT_BP_RECHECK_MIN,
    DEFAULT_OBSERVATION_MIN,
    WINDOW_CLAIMS,
    Observation,
    ObservationState,
    ReminderSchedule,
    bp_recheck_at,
    bp_recheck_due,
    linked_window,
    next_checkin_at,
    observation_remaining,
)

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 11, 20, 14, 0, tzinfo=LONDON)


def t(minutes: float) -> datetime:
    """T0 + minutes (no DST change on this day)."""
    return T0 + timedelta(minutes=minutes)


def test_defaults_cover_every_route() -> None:
    assert set(DEFAULT_OBSERVATION_MIN) == set(ROUTE_IDS)
    assert set(DEFAULT_BP_RECHECK_MIN) == set(ROUTE_IDS)
    assert DEFAULT_OBSERVATION_MIN["esketamine_in"] == 120
    assert DEFAULT_OBSERVATION_MIN["other"] is None
    assert DEFAULT_BP_RECHECK_MIN["esketamine_in"] == 40
    assert [r for r, v in DEFAULT_BP_RECHECK_MIN.items() if v is not None] == ["esketamine_in"]


@pytest.mark.parametrize(
    ("minutes_in", "remaining"),
    [(0, 120), (30.5, 89.5), (119, 1), (120, 0), (500, 0)],
)
def test_observation_remaining(minutes_in: float, remaining: float) -> None:
    assert observation_remaining(T0, t(minutes_in), 120) == timedelta(minutes=remaining)


def test_observation_states_and_confirmation() -> None:
    obs = Observation.for_route("esketamine_in", T0)
    assert obs is not None
    assert obs.ends_at == t(120)
    assert obs.state(t(0)) is ObservationState.RUNNING
    assert obs.state(t(119.9)) is ObservationState.RUNNING
    assert obs.state(t(120)) is ObservationState.ELAPSED_AWAITING_CONFIRMATION
    assert obs.state(t(600)) is ObservationState.ELAPSED_AWAITING_CONFIRMATION  # never self-closes
    done = obs.confirm(t(135), "steady, collected by partner")
    assert done.state(t(135)) is ObservationState.CONFIRMED
    assert not done.confirmed_early
    assert done.note == "steady, collected by partner"
    assert obs.confirmed_at is None  # the original is unchanged
    with pytest.raises(KetamineError, match="already confirmed"):
        done.confirm(t(140))


def test_early_confirmation_is_recorded_not_refused() -> None:
    obs = Observation(T0, 120)
    early = obs.confirm(t(90))
    assert early.state(t(90)) is ObservationState.CONFIRMED
    assert early.confirmed_early
    with pytest.raises(KetamineError, match="before the dose"):
        obs.confirm(t(-1))


def test_observation_configurable_per_route() -> None:
    assert Observation.for_route("other", T0) is None
    custom = Observation.for_route("other", T0, minutes=45)
    assert custom is not None and custom.ends_at == t(45)
    im = Observation.for_route("im", T0, minutes=90)
    assert im is not None and im.minutes == 90
    with pytest.raises(KetamineError, match="unknown route"):
        Observation.for_route("snorted", T0)
    with pytest.raises(KetamineError, match="observation period"):
        Observation(T0, 0)
    with pytest.raises(KetamineError, match="observation period"):
        Observation(T0, float("nan"))


def test_observation_across_dst_uses_real_time() -> None:
    dose = datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)  # clocks jump 01:00 -> 02:00
    obs = Observation(dose, 120)
    assert obs.ends_at == datetime(2026, 3, 29, 3, 30, tzinfo=LONDON)
    now = datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)  # one real hour after the dose
    assert obs.remaining(now) == timedelta(minutes=60)


def test_bp_recheck() -> None:
    assert bp_recheck_at(T0, 40) == t(40)
    assert bp_recheck_at(T0, None) is None
    assert not bp_recheck_due(T0, t(39), 40, None)
    assert bp_recheck_due(T0, t(40), 40, None)
    assert bp_recheck_due(T0, t(45), 40, t(10))  # the pre-recheck BP does not count
    assert not bp_recheck_due(T0, t(45), 40, t(36))  # within 5 min of the recheck counts
    assert not bp_recheck_due(T0, t(45), 40, t(42))
    assert not bp_recheck_due(T0, t(45), None, None)
    with pytest.raises(KetamineError, match="BP recheck"):
        bp_recheck_at(T0, -5)


def test_next_checkin() -> None:
    assert next_checkin_at(t(0), 15) == t(15)
    with pytest.raises(KetamineError, match="check-in interval"):
        next_checkin_at(t(0), 0)


def test_schedule_due_and_record() -> None:
    sched = ReminderSchedule(T0, last_checkin=T0, interval_min=10)
    assert sched.next_due() == t(10)
    assert not sched.checkin_due(t(9))
    assert sched.due_reminders(t(9), set_running=False) == []
    [rem] = sched.due_reminders(t(10), set_running=False)
    assert rem.kind == "check-in" and rem.due_at == t(10) and not rem.deferred
    sched.record_checkin(t(12))
    assert sched.next_due() == t(22)
    assert sched.due_reminders(t(15), set_running=False) == []
    sched.record_checkin(t(5))  # an out-of-order entry does not move the schedule back
    assert sched.next_due() == t(22)


def test_schedule_defers_during_a_set() -> None:
    sched = ReminderSchedule(T0, last_checkin=T0, interval_min=15, bp_recheck_min=40)
    steps = [
        # (minute, set running, expected kinds, expected deferred flags)
        (14, False, [], []),
        (16, True, [], []),  # check-in due, but a set is running
        (17, True, [], []),
        (18, False, ["check-in"], [True]),  # handed over once the set stops
        (19, False, ["check-in"], [False]),  # still due, no longer "deferred"
    ]
    for minute, running, kinds, deferred in steps:
        got = sched.due_reminders(t(minute), set_running=running)
        assert [r.kind for r in got] == kinds, minute
        assert [r.deferred for r in got] == deferred, minute
    sched.record_checkin(t(20))
    assert sched.due_reminders(t(34), set_running=False) == []
    assert sched.due_reminders(t(41), set_running=True) == []
    got = sched.due_reminders(t(42), set_running=False)
    assert [(r.kind, r.deferred) for r in got] == [("check-in", True), ("bp-recheck", True)]
    assert got[1].due_at == t(40)
    sched.record_checkin(t(43), with_bp=True)
    assert sched.due_reminders(t(44), set_running=False) == []
    assert sched.last_bp_at == t(43)


def test_schedule_without_interval_has_only_bp() -> None:
    sched = ReminderSchedule(T0, last_checkin=T0, bp_recheck_min=40)
    assert sched.next_due() is None and not sched.checkin_due(t(500))
    assert [r.kind for r in sched.due_reminders(t(40), set_running=False)] == ["bp-recheck"]


def test_schedule_validates() -> None:
    with pytest.raises(KetamineError, match="check-in interval"):
        ReminderSchedule(T0, T0, interval_min=-1)
    with pytest.raises(KetamineError, match="timezone-aware"):
        ReminderSchedule(T0, datetime(2026, 11, 20, 14, 0))


@pytest.mark.parametrize(
    ("hours_ago", "window", "within", "fragment"),
    [
        (3, None, None, "3.0 h (0.1 d) since the linked dose"),
        (30, 48, True, "within window (18.0 h left of 48 h)"),
        (48, 48, True, "within window (0.0 h left of 48 h)"),
        (50, 48, False, "past window (2.0 h past 48 h)"),
        (80, 72, False, "past window"),
        (51, 72, True, "51.0 h (2.1 d)"),
    ],
)
def test_linked_window(
    hours_ago: float, window: float | None, within: bool | None, fragment: str
) -> None:
    now = T0 + timedelta(hours=hours_ago)
    got = linked_window(T0, now, window)
    assert got.within is within
    assert got.hours_since == pytest.approx(hours_ago)
    assert got.days_since == pytest.approx(hours_ago / 24)
    assert fragment in got.text


def test_linked_window_rejects() -> None:
    with pytest.raises(KetamineError, match="later than now"):
        linked_window(T0, t(-1))
    with pytest.raises(KetamineError, match="window length"):
        linked_window(T0, t(60), 0)
    with pytest.raises(KetamineError, match="window length"):
        linked_window(T0, t(60), 10_000)
    assert [h for h, _ in WINDOW_CLAIMS] == [24, 48, 72]
