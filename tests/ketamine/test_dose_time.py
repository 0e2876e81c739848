"""Dose time (T0) typed by the clinician, read against a fake ``now``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bls_tui.ketamine.dose import KetamineError, elapsed, format_since_dose
from bls_tui.ketamine.dose_time import MAX_LOOKBACK, DoseTimeError, parse_dose_time

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=LONDON)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, *, fold: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=LONDON, fold=fold)


@pytest.mark.parametrize(
    ("text", "when", "yesterday"),
    [
        ("now", NOW, False),
        ("Just now", NOW, False),
        ("14:05", at(2026, 11, 20, 14, 5), False),
        ("dosed 14:05", at(2026, 11, 20, 14, 5), False),
        ("Dosed at 14:05", at(2026, 11, 20, 14, 5), False),
        ("T0: 14:05", at(2026, 11, 20, 14, 5), False),
        ("2:05pm", at(2026, 11, 20, 14, 5), False),
        ("2:05 PM", at(2026, 11, 20, 14, 5), False),
        ("2pm", at(2026, 11, 20, 14, 0), False),
        ("12:30am", at(2026, 11, 20, 0, 30), False),
        ("12pm", at(2026, 11, 20, 12, 0), False),
        ("14:05:30", at(2026, 11, 20, 14, 5, 30), False),
        ("16:00", at(2026, 11, 19, 16, 0), True),
        ("9:15 p.m.", at(2026, 11, 19, 21, 15), True),
        ("today 9:00", at(2026, 11, 20, 9, 0), False),
        ("yesterday 21:30", at(2026, 11, 19, 21, 30), False),
        ("yesterday at 9am", at(2026, 11, 19, 9, 0), False),
        ("40 min ago", at(2026, 11, 20, 14, 20), False),
        ("40m ago", at(2026, 11, 20, 14, 20), False),
        ("1h 20m ago", at(2026, 11, 20, 13, 40), False),
        ("1 hour and 20 minutes ago", at(2026, 11, 20, 13, 40), False),
        ("2 hours ago", at(2026, 11, 20, 13, 0), False),
        ("1.5 h ago", at(2026, 11, 20, 13, 30), False),
        ("2 days 3 h ago", at(2026, 11, 18, 12, 0), False),
        ("2026-11-20 14:05", at(2026, 11, 20, 14, 5), False),
        ("2026-11-20T14:05:09", at(2026, 11, 20, 14, 5, 9), False),
        ("2026-11-20T14:05Z", at(2026, 11, 20, 14, 5), False),
        ("2026-11-20 15:05+01:00", at(2026, 11, 20, 14, 5), False),
        ("2026-11-06 15:00", at(2026, 11, 6, 15, 0), False),  # exactly 14 days back
        ("15:00:40", NOW, False),  # 40 s ahead: clocks differ, taken as now
    ],
)
def test_parse_ok(text: str, when: datetime, yesterday: bool) -> None:
    got = parse_dose_time(text, NOW)
    assert got.when == when
    assert elapsed(got.when, when) == timedelta(0)
    assert got.assumed_yesterday is yesterday
    assert ("yesterday" in got.note) is yesterday
    assert got.when.tzinfo is LONDON


def test_after_midnight_bare_time_means_yesterday() -> None:
    now = at(2026, 11, 20, 0, 20)
    got = parse_dose_time("23:50", now)
    assert got.when == at(2026, 11, 19, 23, 50)
    assert got.assumed_yesterday
    assert "2026-11-19 23:50" in got.note and "confirm" in got.note
    assert format_since_dose(got.when, now) == "T+0:30 h:mm"


def test_earlier_today_is_not_yesterday() -> None:
    got = parse_dose_time("14:05", NOW)
    assert not got.assumed_yesterday and got.note == ""
    assert format_since_dose(got.when, NOW) == "T+0:55 h:mm"


def test_minutes_ago_across_spring_forward() -> None:
    now = at(2026, 3, 29, 2, 20)  # BST; 01:00-02:00 did not happen
    got = parse_dose_time("40 min ago", now)
    assert elapsed(got.when, now) == timedelta(minutes=40)
    assert got.when == at(2026, 3, 29, 0, 40)


def test_clock_time_in_spring_forward_gap_is_refused() -> None:
    with pytest.raises(DoseTimeError, match="does not exist"):
        parse_dose_time("01:30", at(2026, 3, 29, 3, 0))


def test_ambiguous_fall_back_time_takes_latest_past_instant() -> None:
    now = at(2026, 10, 25, 1, 40, fold=1)  # second 01:40 (GMT)
    got = parse_dose_time("01:10", now)
    assert elapsed(got.when, now) == timedelta(minutes=30)
    early = at(2026, 10, 25, 1, 20)  # first 01:20 (BST): only the first 01:10 is past
    assert elapsed(parse_dose_time("01:10", early).when, early) == timedelta(minutes=10)


def test_fixed_offset_now() -> None:
    now = datetime(2026, 11, 20, 15, 0, tzinfo=timezone(timedelta(hours=-5)))
    got = parse_dose_time("14:05", now)
    assert got.when == datetime(2026, 11, 20, 14, 5, tzinfo=timezone(timedelta(hours=-5)))


@pytest.mark.parametrize(
    ("text", "msg"),
    [
        ("", "no dose time"),
        ("   ", "no dose time"),
        ("dosed", "no dose time"),
        ("abc", "could not read"),
        ("soon", "could not read"),
        ("14", "give minutes"),
        ("25:00", "not a valid time"),
        ("14:60", "not a valid time"),
        ("13:05pm", "hour must be 1-12"),
        ("0am", "hour must be 1-12"),
        ("ago", "how long ago"),
        ("in 40 min", "could not read"),
        ("-40 min ago", "could not read"),
        ("15 days ago", "more than 14 days"),
        ("400 hours ago", "more than 14 days"),
        ("2026-11-20 16:05", "in the future"),
        ("2027-01-01 10:00", "in the future"),
        ("2026-10-01 10:00", "more than 14 days"),
        ("0001-01-01 00:00", "more than 14 days"),
        ("9999-12-31 23:59", "in the future"),
        ("2026-02-30 10:00", "not a valid date"),
        ("2026-11-20 14:05+25:00", "invalid UTC offset"),
        ("2026-11-20", "could not read"),
        ("today 16:00", "later than now"),
        ("14:05 tomorrow", "could not read"),
        ("١٤:٠٥", "could not read"),  # non-ASCII digits
    ],
)
def test_parse_rejects(text: str, msg: str) -> None:
    with pytest.raises(DoseTimeError, match=msg) as err:
        parse_dose_time(text, NOW)
    assert "\n" not in str(err.value)


def test_naive_now_is_refused() -> None:
    with pytest.raises(KetamineError, match="timezone-aware"):
        parse_dose_time("now", datetime(2026, 11, 20, 15, 0))


ZONES = st.sampled_from(
    [LONDON, ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe"), timezone.utc]
)
NOWS = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1)),
    ZONES,
)
PIECES = st.sampled_from(
    [
        "dosed",
        "at",
        "yesterday",
        "today",
        "ago",
        "min",
        "h",
        "hours",
        "days",
        "am",
        "pm",
        ":",
        "-",
        "T",
        "Z",
        "+",
        " ",
        "now",
        "and",
        ",",
    ]
)
NUMBERS = st.integers(min_value=-5, max_value=100_000).map(str)
GRAMMARISH = st.lists(st.one_of(PIECES, NUMBERS), max_size=8).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=40), GRAMMARISH), now=NOWS)
def test_fuzz_parser_only_raises_its_own_error(text: str, now: datetime) -> None:
    try:
        got = parse_dose_time(text, now)
    except DoseTimeError:
        return
    back = elapsed(got.when, now)
    assert timedelta(0) <= back <= MAX_LOOKBACK
    assert got.when.utcoffset() is not None


def test_gap_time_later_than_now_means_yesterday() -> None:
    now = at(2026, 3, 29, 0, 30)  # before today's gap; yesterday 01:30 existed
    got = parse_dose_time("01:30", now)
    assert got.assumed_yesterday
    assert got.when == at(2026, 3, 28, 1, 30)
