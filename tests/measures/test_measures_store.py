"""Measures in the store: answers kept, unfinished never scored, item-9 alerts acknowledged."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bls_tui.measures.builtin import DES2, ITEM9_ALERT, PCL5, PHQ9
from bls_tui.measures.custom import instrument_from
from bls_tui.records.measures_store import UnknownMeasureError
from bls_tui.records.store import (
    InvalidRecordError,
    SessionStateError,
    Store,
    UnknownSessionError,
)
from records_helpers import T0, FakeWall, stamp


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


@pytest.fixture
def store(wall: FakeWall) -> Iterator[Store]:
    with Store.open(wall=wall) as opened:
        yield opened


def test_a_finished_measure_keeps_answers_and_scores(store: Store) -> None:
    answers = [2, 3, 1, 4, 0, 3, 2, 1, 1, 2, 2, 3, 0, 1, 4, 0, 2, 3, 1, 2]
    sid = store.create_session("C-014", "standard", 60, started_at=stamp(0))
    mid = store.save_measure("C-014", PCL5, answers, session_id=sid, note="before session")
    record = store.load_measure(mid)
    assert record.responses == tuple(answers) and record.finished
    assert record.total == 37 and record.band is None
    assert record.subscores == {"B": 10, "C": 5, "D": 10, "E": 12}
    assert record.version == PCL5.version and record.timeframe == "past month"
    assert record.definition == {} and record.instrument_def() is PCL5
    assert record.note == "before session" and record.alerts == ()
    assert [m.id for m in store.session_measures(sid)] == [mid]


def test_an_unfinished_measure_is_saved_unscored_and_filled_in_later(store: Store) -> None:
    mid = store.save_measure("C-014", PHQ9, [1, 2, None, None, 0, 1, 0, 0, None])
    record = store.load_measure(mid)
    assert not record.finished and record.total is None and record.band is None
    assert record.subscores == {} and record.scored() is None
    with pytest.raises(InvalidRecordError, match="item 2 was recorded as 2"):
        store.update_measure(mid, [1, 3, 1, 1, 0, 1, 0, 0, 0])
    with pytest.raises(InvalidRecordError, match="item 1 was recorded as 1"):
        store.update_measure(mid, [None, 2, 1, 1, 0, 1, 0, 0, 0])
    assert store.load_measure(mid).responses == record.responses  # nothing lost
    partly = store.update_measure(mid, [1, 2, 1, None, 0, 1, 0, 0, None])
    assert not partly.finished and partly.total is None
    done = store.update_measure(mid, [1, 2, 1, 1, 0, 1, 0, 0, 0], note="finished next day")
    assert done.finished and done.total == 6 and done.band == "mild"
    with pytest.raises(SessionStateError, match="finished"):
        store.update_measure(mid, [1, 2, 1, 1, 0, 1, 0, 0, 0])


def test_item9_alert_is_recorded_and_its_acknowledgement_has_a_time(
    store: Store, wall: FakeWall
) -> None:
    mid = store.save_measure("C-014", PHQ9, [0] * 8 + [2], taken_at=stamp(1))
    (alert,) = store.load_measure(mid).alerts
    assert (alert.kind, alert.item, alert.value) == (ITEM9_ALERT, 9, 2)
    assert alert.raised_at == stamp(1) and alert.acknowledged_at is None
    assert [a.id for a in store.unacknowledged_alerts("C-014")] == [alert.id]
    wall.t = T0 + timedelta(minutes=5)
    at = store.acknowledge_alert(alert.id, note="discussed in session")
    assert at == stamp(5)
    (seen,) = store.load_measure(mid).alerts
    assert seen.acknowledged_at == stamp(5) and seen.acknowledged_by_note == "discussed in session"
    assert store.unacknowledged_alerts("C-014") == []
    with pytest.raises(SessionStateError, match="was acknowledged at"):
        store.acknowledge_alert(alert.id)
    assert store.load_measure(mid).alerts[0].acknowledged_at == stamp(5)  # the first is kept
    with pytest.raises(UnknownMeasureError, match="no alert with ID 999"):
        store.acknowledge_alert(999)


def test_item9_alert_of_an_unfinished_measure_and_of_a_later_answer(store: Store) -> None:
    early = store.save_measure("C-014", PHQ9, [None] * 8 + [1])
    assert len(store.load_measure(early).alerts) == 1  # raised at once, not when finished
    later = store.save_measure("C-014", PHQ9, [0] * 8 + [None])
    assert store.load_measure(later).alerts == ()
    store.update_measure(later, [0] * 8 + [3])
    assert [a.value for a in store.load_measure(later).alerts] == [3]
    store.update_measure(early, [0] * 8 + [1])
    assert len(store.load_measure(early).alerts) == 1  # not raised twice
    zero = store.save_measure("C-014", PHQ9, [0] * 9)
    assert store.load_measure(zero).alerts == ()


def test_custom_measure_keeps_its_definition(store: Store) -> None:
    mine = instrument_from(
        {
            "id": "mine",
            "name": "Mine",
            "version": "2",
            "timeframe": "today",
            "scoring": "mean",
            "items": ["a", "b"],
            "scale": {"min": 1, "max": 5},
            "bands": [{"from": 1, "to": 2.5, "label": "low"}],
        },
        "test",
    )
    mid = store.save_measure("C-014", mine, [1, 2])
    record = store.load_measure(mid)
    assert record.total == 1.5 and record.band == "low"
    assert record.instrument_def() == mine  # even if the file is edited or removed later


def test_bad_input_is_refused_in_one_line(store: Store) -> None:
    with pytest.raises(InvalidRecordError, match="client code"):
        store.save_measure("Jane Doe", PHQ9, [0] * 9)
    with pytest.raises(InvalidRecordError, match="9 items; 3 answers"):
        store.save_measure("C-014", PHQ9, [0, 0, 0])
    with pytest.raises(InvalidRecordError, match="item 1: 35 is not on the scale"):
        store.save_measure("C-014", DES2, [35] + [0] * 27)
    with pytest.raises(InvalidRecordError, match="taken at must be an ISO-8601"):
        store.save_measure("C-014", PHQ9, [0] * 9, taken_at="yesterday")
    with pytest.raises(UnknownSessionError):
        store.save_measure("C-014", PHQ9, [0] * 9, session_id=42)
    other = store.create_session("C-015", "standard", 60)
    with pytest.raises(InvalidRecordError, match="client C-015's, not C-014's"):
        store.save_measure("C-014", PHQ9, [0] * 9, session_id=other)
    with pytest.raises(UnknownMeasureError, match="no measure with ID 7"):
        store.load_measure(7)
    assert store.list_measures("C-014") == []


def test_list_is_in_time_order_and_per_client(store: Store) -> None:
    b = store.save_measure("C-014", PHQ9, [0] * 9, taken_at=stamp(10))
    a = store.save_measure("C-014", PCL5, [0] * 20, taken_at=stamp(1))
    store.save_measure("C-015", PHQ9, [0] * 9)
    assert [m.id for m in store.list_measures("C-014")] == [a, b]


def test_deleting_a_session_keeps_its_measures_unlinked(store: Store) -> None:
    sid = store.create_session("C-014", "standard", 60)
    mid = store.save_measure("C-014", PHQ9, [0] * 9, session_id=sid)
    store.delete_session(sid)
    assert store.load_measure(mid).session_id is None


def test_deleting_a_client_removes_measures_here_and_in_backups(wall: FakeWall) -> None:
    with Store.open(wall=wall) as store:
        store.create_session("C-014", "standard", 60)
        store.save_measure("C-014", PHQ9, [0] * 8 + [1])
        keep = store.save_measure("C-015", PHQ9, [0] * 9)
    wall.jump(days=1)
    with Store.open(wall=wall) as store:  # the daily backup now holds the measures
        backups = sorted((store.path.parent / "backups").glob("sessions-*.db"))
        assert backups
        store.delete_client("C-014")
        assert store.list_measures("C-014") == []
        assert [m.id for m in store.list_measures("C-015")] == [keep]
        assert store.unacknowledged_alerts("C-014") == []
    for backup in backups:
        conn = sqlite3.connect(backup)
        try:
            codes = [r[0] for r in conn.execute("SELECT client_code FROM measures")]
            alerts = conn.execute("SELECT COUNT(*) FROM measure_alerts").fetchone()[0]
        finally:
            conn.close()
        assert codes == ["C-015"] and alerts == 0
