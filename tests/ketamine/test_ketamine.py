"""Routes, bands, doses, the time-since-dose clock and the screening record."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bls_tui.ketamine.dose import (
    ROUTE_IDS,
    ROUTES,
    Dose,
    KetamineError,
    elapsed,
    format_since_dose,
    parse_dose,
)
from bls_tui.ketamine.screening import (
    SCREENING_ITEMS,
    ScreeningAnswer,
    blank_screening,
    migrate_old,
    parse_answer,
    screening_from_dict,
    screening_text,
    screening_to_dict,
    unreviewed,
)

LONDON = ZoneInfo("Europe/London")


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, *, fold: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=LONDON, fold=fold)


def test_route_ids_and_names() -> None:
    assert ROUTE_IDS == ("im", "iv", "sublingual", "oral", "esketamine_in", "other")
    for rid in ROUTE_IDS:
        assert ROUTES[rid].name
    # no timing figures are built into the routes (timing is a clinic setting)
    texts = (r.name + r.note.replace("T0", "T") for r in ROUTES.values())
    assert not any(ch.isdigit() for text in texts for ch in text)


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
        (math.inf, "mg", "above the sanity bound"),
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
        "suicide_risk",
        "co_medication",
        "escort_transport",
        "dissociation_stabilised",
        "medical_clearance",
    ]
    cats = {i.id: i.categories for i in SCREENING_ITEMS}
    assert cats["aneurysm_avm"] == ("label contraindication",)
    assert "label precaution" in cats["psychosis_mania"]
    assert "clinic exclusion" in cats["psychosis_mania"]
    assert cats["pregnancy"] == ("clinic exclusion",)


def test_screening_record_round_trip() -> None:
    record = blank_screening()
    assert unreviewed(record) == [i.id for i in SCREENING_ITEMS]
    record["pregnancy"] = ScreeningAnswer(True, "absent", "negative test today")
    data = screening_to_dict(record)
    back = screening_from_dict(data)
    assert back == record
    assert "pregnancy" not in unreviewed(back)
    assert screening_from_dict({}) == blank_screening()


@pytest.mark.parametrize(
    ("data", "msg"),
    [
        ([], "mapping"),
        ({"nope": {"reviewed": True}}, "unknown screening item"),
        ({"pregnancy": True}, "must hold"),
        ({"pregnancy": {"reviewed": "yes"}}, "true/false"),
        ({"pregnancy": {"reviewed": True, "note": 3}}, "true/false"),
        ({"pregnancy": {"reviewed": True, "finding": "maybe"}}, "finding one of"),
    ],
)
def test_screening_from_dict_rejects(data: object, msg: str) -> None:
    with pytest.raises(KetamineError, match=msg):
        screening_from_dict(data)


def test_old_screening_answers_read_as_reviewed_with_unknown_finding() -> None:
    old = {"pregnancy": {"confirmed": True, "note": "per client"}, "aneurysm_avm": {
        "confirmed": False, "note": ""}}  # fmt: skip
    assert migrate_old(old)["pregnancy"] == {
        "reviewed": True,
        "finding": "unknown",
        "note": "per client",
    }
    record = screening_from_dict(old)
    assert record["pregnancy"] == ScreeningAnswer(True, "unknown", "per client")
    assert not record["aneurysm_avm"].reviewed
    assert screening_text("pregnancy", old["pregnancy"]) == (
        "pregnancy: reviewed, unknown (per client)"
    )


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("", ScreeningAnswer()),
        ("a", ScreeningAnswer(True, "absent", "")),
        ("absent negative test today", ScreeningAnswer(True, "absent", "negative test today")),
        ("P sertraline 100 mg", ScreeningAnswer(True, "present", "sertraline 100 mg")),
        ("u client unsure", ScreeningAnswer(True, "unknown", "client unsure")),
    ],
)
def test_typed_screening_answers(typed: str, answer: ScreeningAnswer) -> None:
    assert parse_answer(typed) == answer


def test_typed_screening_answer_needs_a_finding() -> None:
    with pytest.raises(ValueError, match="present"):
        parse_answer("yes")


def test_a_dose_too_long_to_hold_is_above_the_bound_not_negative() -> None:
    """400 pasted nines overflow to infinity: the message says too large, not 'positive'."""
    with pytest.raises(KetamineError, match="above the sanity bound"):
        parse_dose("9" * 400, "mg")
