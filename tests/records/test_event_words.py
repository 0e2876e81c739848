"""Clinical-flow events (markers, closure, containment, risk, discharge) read as words in
exports, never as ``name: False`` or raw ids (issues 10 and 12)."""

from __future__ import annotations

import pytest

from bls_tui.records.words import event_in_words


def same(stamp: str) -> str:
    return stamp


@pytest.mark.parametrize(
    ("kind", "detail", "expected"),
    [
        (
            "marker",
            {"marker": "interweave", "set": 3, "text": "you were a child then"},
            "Marker, set 3, cognitive interweave, text: you were a child then",
        ),
        ("marker", {"marker": "looping", "set": 2}, "Marker, set 2, looping / blocked"),
        ("marker", {"marker": "abreaction", "set": 4}, "Marker, set 4, abreaction"),
        ("closure", {"complete": False}, "Closure recorded, incomplete"),
        ("closure", {"complete": True}, "Closure recorded, complete"),
        ("containment_started", {}, "Containment started (incomplete session)"),
        (
            "containment_done",
            {"calm_place": True, "container": True, "grounding": False, "debrief": True},
            "Containment done, steps done: calm place, container, debrief",
        ),
        (
            "containment_done",
            {"calm_place": False, "container": False, "grounding": False, "debrief": False},
            "Containment done, steps done: none confirmed",
        ),
        ("risk_reviewed", {"answer": "not_needed", "note": ""}, "Risk reviewed, not needed"),
        (
            "risk_reviewed",
            {"answer": "yes", "note": "safety plan in place"},
            "Risk reviewed, yes, note: safety plan in place",
        ),
        (
            "ended_without_observation_confirmed",
            {},
            "Session ended before the observation was confirmed",
        ),
        ("body_scan", {"outcome": "not_done"}, "Body scan, not done"),
    ],
)
def test_clinical_events_read_as_words(kind: str, detail: dict[str, object], expected: str) -> None:
    said = event_in_words(kind, detail, same)
    assert said == expected
    assert "False" not in said and "True" not in said and "_" not in said


def test_markers_listed_in_order_with_set_and_text() -> None:
    from datetime import timezone

    from bls_tui.records.types import Event
    from bls_tui.records.words import markers_in_words

    events = [
        Event(
            "2026-12-02T10:02:00+00:00",
            "marker",
            {"marker": "interweave", "set": 3, "text": "safe now"},
        ),
        Event("2026-12-02T10:03:00+00:00", "stop", {"set": 3}),
        Event("2026-12-02T10:05:30+00:00", "marker", {"marker": "looping", "set": 4}),
    ]
    assert markers_in_words(events, timezone.utc) == [
        "10:02 set 3: cognitive interweave (safe now)",
        "10:05 set 4: looping / blocked",
    ]
    assert markers_in_words(events[1:2], timezone.utc) == []
