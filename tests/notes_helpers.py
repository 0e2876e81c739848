"""A recorded course for the progress-note tests (not a test module).

Session 1: ketamine-assisted EMDR on a past target (NC/PC, sets, ratings, closure incomplete);
session 2: an integration session the next day, linked to that dose, on a present trigger,
with a PHQ-9 whose item 9 is above 0 (not acknowledged) and a GAD-7 taken that day on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from bls_tui.measures.builtin import GAD7, PHQ9
from bls_tui.records.store import Store
from records_helpers import full_session, make_set, stamp


@dataclass(frozen=True)
class Course:
    dose_session: int
    integration: int
    past_target: int
    present_target: int
    phq9: int
    gad7: int


def record_course(store: Store) -> Course:
    """Record the course above; return its IDs."""
    dose = full_session(store, "ketamine")
    past = store.target(store.load_session(dose).session.target_id or 0).id
    store.edit_target(
        past, prong="past", negative_cognition="I am in danger", positive_cognition="I am safe now"
    )
    present = store.add_target(
        "C-014",
        "boss shouting",
        prong="present",
        negative_cognition="I am powerless",
        positive_cognition="I can speak up",
        at=stamp(100),
    )
    day2 = 60 * 27  # 27 hours after T0; the dose was at T0 - 30 min
    sid = store.create_session(
        "C-014",
        "integration",
        50,
        target_id=present,
        linked_dose_session_id=dose,
        started_at=stamp(day2),
    )
    store.record_set(
        make_set(
            sid,
            1,
            started_at=stamp(day2 + 5),
            ended_at=stamp(day2 + 5.5),
            speed_hz=0.6,
            cycles_delivered=12.0,
            pattern="circle",
            tone=None,
        )
    )
    store.add_note(sid, "felt lighter", kind="between_sets", set_number=1, at=stamp(day2 + 6))
    store.add_rating(sid, "sud", 0, context="back_to_target", set_number=1, at=stamp(day2 + 7))
    phq = store.save_measure(
        "C-014", PHQ9, [1, 1, 2, 1, 0, 1, 1, 0, 2], session_id=sid, taken_at=stamp(day2 + 3)
    )
    gad = store.save_measure("C-014", GAD7, [1, 1, 1, 1, 0, 0, 1], taken_at=stamp(day2 - 60))
    store.save_measure("C-014", GAD7, [0] * 7, taken_at=stamp(day2 + 60 * 24))  # another day
    store.finish_session(
        sid, closure_complete=True, final_sud=0, final_voc=6, ended_at=stamp(day2 + 50)
    )
    return Course(dose, sid, past, present, phq, gad)
