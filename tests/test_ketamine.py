"""Routes, bands, doses, the time-since-dose clock and the screening record."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bls_tui.core.ketamine import (
    AFTER,
    BEFORE_ONSET,
    BEFORE_PEAK,
    FADING,
    NO_REFERENCE,
    ONSET,
    PEAK,
    ROUTE_IDS,
    ROUTES,
    SCREENING_ITEMS,
    Dose,
    KetamineError,
    ScreeningAnswer,
    band_at,
    blank_screening,
    elapsed,
    format_since_dose,
    parse_dose,
    screening_from_dict,
    screening_to_dict,
    timeline,
    unreviewed,
)

LONDON = ZoneInfo("Europe/London")


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, *, fold: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=LONDON, fold=fold)


def test_route_ids_and_names() -> None:
    assert ROUTE_IDS == ("im", "iv", "sublingual", "oral", "esketamine_in", "other")
    for rid in ROUTE_IDS:
        assert ROUTES[rid].name
    for rid in ROUTE_IDS[:-1]:
        assert ROUTES[rid].source.startswith("[")
    assert ROUTES["other"].source == ""
    assert "disagree" in ROUTES["oral"].note


@pytest.mark.parametrize(
    ("route", "minutes", "band"),
    [
        ("im", 0, BEFORE_ONSET),
        ("im", 4.9, BEFORE_ONSET),
        ("im", 5, PEAK),
        ("im", 14.9, PEAK),
        ("im", 15, FADING),
        ("im", 119, FADING),
        ("im", 120, AFTER),
        ("sublingual", 10, BEFORE_ONSET),
        ("sublingual", 15, ONSET),
        ("sublingual", 45, PEAK),
        ("sublingual", 60, FADING),
        ("sublingual", 121, AFTER),
        ("oral", 30, BEFORE_PEAK),
        ("oral", 60, PEAK),
        ("oral", 200, FADING),
        ("oral", 361, AFTER),
        ("iv", 10, ONSET),
        ("iv", 40, PEAK),
        ("iv", 55, FADING),
        ("iv", 70, AFTER),
        ("esketamine_in", 10, BEFORE_PEAK),
        ("esketamine_in", 30, PEAK),
        ("esketamine_in", 41, FADING),
        ("esketamine_in", 10_000, FADING),
        ("other", 30, NO_REFERENCE),
    ],
)
def test_band_at(route: str, minutes: float, band: str) -> None:
    assert band_at(route, minutes) == band


def test_iv_bands_follow_infusion_length() -> None:
    assert band_at("iv", 40, infusion_min=100) == ONSET
    assert band_at("iv", 100, infusion_min=100) == PEAK
    assert band_at("iv", 125, infusion_min=100) == FADING
    assert band_at("iv", 131, infusion_min=100) == AFTER
    short = timeline("iv", infusion_min=5)
    assert short.segments[0].label == PEAK  # the onset stretch is empty and dropped
    assert short.segments[0].start_min == 0


def test_esketamine_peak_counts_from_last_spray() -> None:
    assert band_at("esketamine_in", 25, last_spray_min=10) == BEFORE_PEAK
    assert band_at("esketamine_in", 30, last_spray_min=10) == PEAK
    assert band_at("esketamine_in", 50, last_spray_min=10) == FADING


@pytest.mark.parametrize("route", ROUTE_IDS)
def test_timeline_segments_are_contiguous(route: str) -> None:
    tl = timeline(route)
    assert tl.approximate
    if route == "other":
        assert tl.segments == () and tl.horizon_min == 0
        return
    assert tl.segments[0].start_min == 0
    for a, b in zip(tl.segments, tl.segments[1:], strict=False):
        assert a.end_min == b.start_min
        assert a.end_min is not None and a.start_min < a.end_min
    assert tl.segments[-1].end_min is None
    assert tl.horizon_min > 0


@pytest.mark.parametrize(
    ("kwargs", "msg"),
    [
        ({"route": "nasal", "minutes_since_dose": 1}, "unknown route"),
        ({"route": "im", "minutes_since_dose": -1}, "minutes since dose"),
        ({"route": "im", "minutes_since_dose": math.nan}, "minutes since dose"),
        ({"route": "iv", "minutes_since_dose": 1, "infusion_min": -1}, "infusion length"),
        ({"route": "iv", "minutes_since_dose": 1, "infusion_min": 999}, "at most 240"),
    ],
)
def test_band_at_rejects(kwargs: dict[str, object], msg: str) -> None:
    with pytest.raises(KetamineError, match=msg):
        band_at(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        ("56", "mg", Dose(56.0, "mg")),
        (" 0.5 ", "mg/kg", Dose(0.5, "mg/kg")),
        (".5", "MG/KG", Dose(0.5, "mg/kg")),
        ("3", "devices", Dose(3.0, "devices")),
        (250, "mcg", Dose(250.0, "mcg")),
        ("10000", "other", Dose(10000.0, "other")),
    ],
)
def test_parse_dose_ok(amount: str | float, unit: str, expected: Dose) -> None:
    assert parse_dose(amount, unit) == expected


@pytest.mark.parametrize(
    ("amount", "unit", "msg"),
    [
        ("0", "mg", "positive"),
        ("-5", "mg", "not a number"),
        ("abc", "mg", "not a number"),
        ("", "mg", "not a number"),
        ("1,5", "mg", "dot for decimals"),
        ("10001", "mg", "sanity bound"),
        (math.inf, "mg", "positive"),
        (math.nan, "mg", "positive"),
        (True, "mg", "must be a number"),
        ("2.5", "devices", "whole number"),
        ("50", "ml", "unit must be one of"),
        ("50", "", "unit must be one of"),
    ],
)
def test_parse_dose_rejects(amount: object, unit: str, msg: str) -> None:
    with pytest.raises(KetamineError, match=msg):
        parse_dose(amount, unit)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dose", "now", "shown"),
    [
        (at(2026, 11, 20, 14, 0), at(2026, 11, 20, 14, 0), "T+0:00 h:mm"),
        (at(2026, 11, 20, 14, 0), at(2026, 11, 20, 14, 7, 9), "T+0:07 h:mm"),
        (at(2026, 11, 20, 14, 0), at(2026, 11, 20, 14, 59, 59), "T+0:59 h:mm"),
        (at(2026, 11, 20, 14, 0), at(2026, 11, 20, 15, 0), "T+1:00 h:mm"),
        (at(2026, 11, 20, 14, 0), at(2026, 11, 21, 13, 59, 59), "T+23:59 h:mm"),
        (at(2026, 11, 19, 23, 50), at(2026, 11, 20, 0, 20), "T+0:30 h:mm"),
        (at(2026, 11, 18, 11, 0), at(2026, 11, 20, 14, 0), "2 d 3 h since dose"),
        (at(2026, 11, 20, 14, 0), at(2026, 11, 20, 13, 59, 50), "T-0:00 h:mm"),
        # spring forward (London, 29 Mar 2026, 01:00 -> 02:00): 00:30 to 02:30 is one hour
        (at(2026, 3, 29, 0, 30), at(2026, 3, 29, 2, 30), "T+1:00 h:mm"),
        # fall back (25 Oct 2026, 02:00 -> 01:00): first 01:30 to second 01:10 is 40 min
        (at(2026, 10, 25, 1, 30), at(2026, 10, 25, 1, 10, fold=1), "T+0:40 h:mm"),
    ],
)
def test_format_since_dose(dose: datetime, now: datetime, shown: str) -> None:
    assert format_since_dose(dose, now) == shown


def test_elapsed_mixed_timezones_and_naive() -> None:
    dose = at(2026, 7, 1, 12, 0)  # BST, UTC+1
    now = datetime(2026, 7, 1, 11, 30, tzinfo=timezone.utc)
    assert elapsed(dose, now) == timedelta(minutes=30)
    with pytest.raises(KetamineError, match="timezone-aware"):
        elapsed(datetime(2026, 7, 1, 12, 0), now)


def test_screening_items_and_categories() -> None:
    ids = [i.id for i in SCREENING_ITEMS]
    assert ids == [
        "aneurysm_avm",
        "brain_haemorrhage",
        "hypersensitivity",
        "psychosis_mania",
        "substance_use",
        "hypertension_heart",
        "pregnancy",
        "dissociative_disorder",
    ]
    cats = {i.id: i.categories for i in SCREENING_ITEMS}
    assert cats["aneurysm_avm"] == ("label contraindication",)
    assert "label precaution" in cats["psychosis_mania"]
    assert "clinic exclusion" in cats["psychosis_mania"]
    assert cats["pregnancy"] == ("clinic exclusion",)


def test_screening_record_round_trip() -> None:
    record = blank_screening()
    assert unreviewed(record) == [i.id for i in SCREENING_ITEMS]
    record["pregnancy"] = ScreeningAnswer(True, "not pregnant, per client")
    data = screening_to_dict(record)
    back = screening_from_dict(data)
    assert back == record
    assert "pregnancy" not in unreviewed(back)
    assert screening_from_dict({}) == blank_screening()


@pytest.mark.parametrize(
    ("data", "msg"),
    [
        ([], "mapping"),
        ({"nope": {"confirmed": True}}, "unknown screening item"),
        ({"pregnancy": True}, "must hold"),
        ({"pregnancy": {"confirmed": "yes"}}, "true/false"),
        ({"pregnancy": {"confirmed": True, "note": 3}}, "true/false"),
    ],
)
def test_screening_from_dict_rejects(data: object, msg: str) -> None:
    with pytest.raises(KetamineError, match=msg):
        screening_from_dict(data)
