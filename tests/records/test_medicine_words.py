"""The words for a session's kind, its dosing record and its link to an earlier dose (shared by
the session summary, the Markdown export and `bls sessions show`)."""

from __future__ import annotations

from datetime import datetime, timezone

from bls_tui.ketamine.dose import amount_text, parse_dose
from bls_tui.ketamine.window import since_dose_words
from bls_tui.records.medicine_words import (
    checkin_words,
    dose_link_words,
    kind_words,
    medicine_facts,
    screening_words,
)
from bls_tui.records.types import Checkin, Medicine, SessionData, SessionInfo

UTC = timezone.utc
DOSE = "2026-11-05T09:00:00Z"


def clock(stamp: str) -> str:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).strftime("%H:%M")


def session(sid: int, kind: str = "ketamine", medicine: Medicine | None = None) -> SessionData:
    info = SessionInfo(
        sid, "K-7", kind, "", 60, DOSE, None, "completed", None, None, None, None, None, None
    )
    return SessionData(info, medicine=medicine)


def test_the_three_kinds_in_words() -> None:
    assert kind_words("standard") == "standard EMDR"
    assert kind_words("ketamine") == "ketamine-assisted EMDR"
    assert kind_words("integration") == "integration"


def test_the_dose_link_uses_the_session_header_day_count() -> None:
    dose = session(5, medicine=Medicine("im", 50.0, "mg", dosed_at=DOSE))
    words = dose_link_words(5, dose, "2026-11-06T12:01:00Z", UTC)
    assert words == "After the dose of session #5 (Thu 5 Nov, 09:00): day 2 (T+27 h)"
    header = since_dose_words(
        datetime(2026, 11, 5, 9, tzinfo=UTC), datetime(2026, 11, 6, 12, 1, tzinfo=UTC)
    )
    assert header.replace(" after dose", "") in words  # the header's own words, minus the repeat
    first_hour = dose_link_words(5, dose, "2026-11-05T09:40:00Z", UTC)
    assert first_hour.endswith("): day 1 (T+40 min)")


def test_the_dose_link_when_the_dose_is_not_there() -> None:
    at = "2026-11-06T12:01:00Z"
    no_time = session(5, medicine=Medicine("im", 50.0, "mg"))
    assert dose_link_words(5, no_time, at) == "After the dose of session #5 (no dose time recorded)"
    assert dose_link_words(5, session(5, "standard"), at) == (
        "After session #5, which has no dosing record"
    )
    assert "could not be read" in dose_link_words(5, None, at)


def test_the_amount_is_said_exactly_as_entered() -> None:
    """`:g` said 0.1234567 mg/kg as 0.123457 and 1234.567 mg as 1234.57."""
    for typed in ("50", "0.5", "0.1234567", "1234.567", "0.00001", "10000"):
        dose = parse_dose(typed, "mg/kg")
        assert amount_text(dose.amount) == typed
        assert str(dose) == f"{typed} mg/kg"
        m = Medicine("iv", dose.amount, dose.unit, dosed_at=DOSE)
        assert ("Dose (as entered)", f"{typed} mg/kg") in medicine_facts(m, clock)


def test_the_facts_say_what_was_recorded_and_nothing_else() -> None:
    m = Medicine(
        "iv",
        0.5,
        "mg/kg",
        dosed_at=DOSE,
        infusion_min=40,
        observation_min=0,
        observation_confirmed_at="2026-11-05T10:30:00Z",
    )
    facts = dict(medicine_facts(m, clock))
    assert facts["Route"] == "Intravenous infusion (IV)"
    assert facts["Dosed at (T0)"] == "09:00"
    assert facts["Infusion length (as entered)"] == "40 min"
    assert "Last spray (as entered)" not in facts
    assert facts["Observation"] == (
        "no period set (ends when the clinician confirms); ready to leave: confirmed at 10:30"
    )
    unconfirmed = dict(medicine_facts(Medicine("im", 50.0, "mg"), clock))
    assert unconfirmed["Dosed at (T0)"] == "not recorded"
    assert unconfirmed["Observation"].endswith("; ready to leave: not confirmed")


def test_a_checkin_in_words_with_its_flags_and_note() -> None:
    m = Medicine("im", 50.0, "mg", dosed_at=DOSE)
    c = Checkin(
        "2026-11-05T09:13:00Z",
        systolic=152,
        diastolic=96,
        heart_rate=88,
        spo2=97,
        presence=8,
        sedation="drowsy",
        note="quiet",
        flags=["BP 152/96 above 140/90"],
    )
    assert checkin_words(c, m, clock) == (
        "09:13 (T+13 min): BP 152/96 · HR 88 · SpO2 97 % · presence 8 (numeric) · "
        "drowsy, answers when spoken to normally · flags: BP 152/96 above 140/90 · note: quiet"
    )
    early = Checkin("2026-11-05T08:55:00Z", heart_rate=70)
    assert checkin_words(early, m, clock) == "08:55 (T-5 min): HR 70"
    assert checkin_words(Checkin(DOSE), Medicine("im", 1.0, "mg"), clock) == "09:00: no values"


def test_screening_short_form_counts_the_absent_and_names_the_rest() -> None:
    absent = {"reviewed": True, "finding": "absent", "note": ""}
    record = {
        "pregnancy": {"reviewed": True, "finding": "present", "note": "test today"},
        "psychosis_mania": absent,
        "brain_haemorrhage": absent,
        "suicide_risk": {"reviewed": False, "finding": "unknown", "note": ""},
    }
    assert screening_words(record, short=True) == (
        "3 of 4 items reviewed: Pregnancy: reviewed, present (test today); the other 2 absent"
    )
    assert "Psychosis or mania: reviewed, absent" in screening_words(record)  # the export: all
    assert screening_words({}) == "–"
    assert screening_words({"psychosis_mania": absent}, short=True) == (
        "1 of 1 item reviewed: all 1 absent"
    )
    none = {"pregnancy": {"reviewed": False, "finding": "unknown", "note": ""}}
    assert screening_words(none, short=True) == "no item reviewed (of 1)"
    old = {"pregnancy": {"confirmed": True, "note": ""}}  # before findings were recorded
    assert screening_words(old, short=True) == "1 of 1 item reviewed: Pregnancy: reviewed, unknown"


def test_every_record_of_a_dose_keeps_the_digits_entered() -> None:
    """Notes, the case view's doses and the timeline used ``:g`` (1234.567 -> 1234.57)."""
    from datetime import timezone

    from bls_tui.records.note_context import build_context
    from bls_tui.records.review import timeline_series
    from bls_tui.records.store import Store
    from records_helpers import FakeWall, stamp

    with Store.open(wall=FakeWall()) as store:
        sid = store.create_session("C-014", "ketamine", 60, started_at=stamp(0))
        store.save_medicine(
            sid, route="sublingual", dose_amount=1234.567, dose_unit="mcg", dosed_at=stamp(0)
        )
        data = store.load_session(sid)
        (group,) = store.case("C-014").doses
    assert group.dose == "1234.567 mcg"
    assert timeline_series(data).of_kind("dose")[0].label.startswith("dose 1234.567 mcg")
    note = build_context(data, timezone.utc)
    assert note.medicine is not None and "1234.567 mcg" in str(note.medicine)


def test_the_markdown_draft_of_an_integration_session_names_its_dose() -> None:
    from datetime import timezone

    from bls_tui.records.notes import export_text
    from bls_tui.records.store import Store
    from records_helpers import FakeWall, stamp

    with Store.open(wall=FakeWall()) as store:
        dose = store.create_session("C-014", "ketamine", 60, started_at=stamp(0))
        store.save_medicine(dose, route="im", dose_amount=50, dose_unit="mg", dosed_at=stamp(0))
        later = store.create_session(
            "C-014", "integration", 60, started_at=stamp(27 * 60), linked_dose_session_id=dose
        )
        text, _ = export_text(store, later, "md", timezone.utc)
        alone, _ = export_text(store, dose, "md", timezone.utc)
    assert f"- **Dose link:** After the dose of session #{dose}" in text
    assert "day 2 (T+27 h)" in text
    assert "Dose link" not in alone
