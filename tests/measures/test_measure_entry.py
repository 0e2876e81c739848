"""The form's model: keys answer, multi-digit scales, negative scales, kept answers, alerts seen."""

from __future__ import annotations

from bls_tui.measures.builtin import DES2, PHQ9
from bls_tui.measures.custom import instrument_from
from bls_tui.measures.entry import Entry
from bls_tui.measures.model import RaisedAlert


def test_single_digit_scale_answers_and_moves_to_the_next_unanswered() -> None:
    entry = Entry(PHQ9, [None, 2, None, *([None] * 6)], locked=frozenset())
    assert entry.position == 0 and entry.single_key
    assert entry.key("1") is None and entry.position == 2  # item 2 already answered: skipped
    assert entry.key("x") is None and entry.key("9") == "9 is not on the scale " + (
        "(0 Not at all · 1 Several days · 2 More than half the days · 3 Nearly every day)"
    )
    entry.back()
    assert entry.position == 1 and entry.answers[1] == 2
    assert entry.clear() is None and entry.answers[1] is None


def test_item9_alert_comes_back_when_the_answer_changes() -> None:
    entry = Entry(PHQ9)
    for _ in range(8):
        entry.key("0")
    raised = entry.key("1")
    assert isinstance(raised, RaisedAlert) and raised.item == 9
    entry.acknowledge(raised, lambda: "2026-12-03T10:00:00.000+00:00")
    assert entry.unseen_alerts() == []
    entry.back()
    again = entry.key("3")
    assert isinstance(again, RaisedAlert) and again.value == 3
    assert entry.unseen_alerts() == [again]
    entry.back()
    assert entry.key("0") is None and entry.alerts() == []


def test_answers_recorded_earlier_are_kept() -> None:
    entry = Entry(PHQ9, [1, 1, *([None] * 7)])
    assert entry.position == 2 and entry.kept == frozenset({0, 1})
    entry.back()
    assert "recorded earlier" in str(entry.key("3"))
    assert "recorded earlier" in str(entry.clear())
    assert entry.answers[1] == 1


def test_multi_digit_and_negative_scales() -> None:
    des = Entry(DES2)
    assert not des.single_key
    assert des.key("1") is None and des.typed == "1"
    assert des.key("0") is None and des.typed == "10"  # 10, or 100 to come
    assert des.enter() is None and des.answers[0] == 10
    assert des.key("0") is None and des.answers[1] == 0
    assert "not on the scale" in str(des.enter() or des.key("7") or des.key("7"))
    custom = instrument_from(
        {
            "id": "mood",
            "name": "Mood",
            "version": "1",
            "timeframe": "today",
            "items": ["a", "b"],
            "scale": {"min": -3, "max": 3},
        },
        "test",
    )
    entry = Entry(custom)
    assert not entry.single_key
    assert entry.key("-") is None and entry.key("2") is None and entry.answers[0] == -2
    assert entry.key("3") is None and entry.answers[1] == 3
    assert entry.finished and entry.on_summary and entry.result() is not None
    assert "all items are shown" in str(entry.key("1"))
