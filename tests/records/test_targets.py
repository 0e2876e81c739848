"""Targets as records of their own: the three-pronged plan, status history, archive, links."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bls_tui.protocol.targets import Progress, completion_gaps, parse_prong
from bls_tui.records.base import InvalidRecordError
from bls_tui.records.store import Store
from bls_tui.records.targets_store import (
    TargetIncompleteError,
    TargetInUseError,
    UnknownTargetError,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    now = {"t": T0}
    with Store.open(tmp_path / "s.db", wall=lambda: now["t"], backup=False) as s:
        yield s


def _finish(store: Store, sid: int, *, sud: int, voc: int, scan: str) -> None:
    store.add_event(sid, "body_scan", {"outcome": scan})
    store.finish_session(sid, closure_complete=True, final_sud=sud, final_voc=voc)


def test_a_plan_in_prong_order_with_its_details(store: Store) -> None:
    fut = store.add_target("C-1", "job interview", prong="future", positive_cognition="I can")
    past = store.add_target(
        "C-1", "car crash", prong="past", negative_cognition="I am going to die", cluster="danger"
    )
    now = store.add_target("C-1", "horns in traffic", prong="present", touchstone_id=past)
    store.add_target("C-2", "car crash", prong="past")  # another client may use the label
    plan = store.targets("C-1")
    assert [t.id for t in plan] == [past, now, fut]
    assert plan[1].touchstone_id == past and plan[0].cluster == "danger"
    assert all(t.status == "planned" for t in plan)
    assert plan[0].changes[0].reason == "added to the plan"
    assert plan[0].progress == Progress(None, None, None) and plan[0].sessions == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"label": ""}, "label: a target needs a short label"),
        ({"label": "x" * 300}, "label:"),
        ({"label": "two\nlines"}, "label:"),
        ({"prong": "sideways"}, "prong must be past, present or future"),
        ({"cluster": "c" * 61}, "cluster must be one line"),
        ({"negative_cognition": "n" * 201}, "negative cognition must be one line"),
        ({"status": "done"}, "status must be planned"),
        ({"client_code": "Jane Smith"}, "client code:"),
    ],
)
def test_every_field_is_checked_with_its_name(
    store: Store, kwargs: dict[str, str], message: str
) -> None:
    args = {"client_code": "C-1", "label": "car crash", "prong": "past", **kwargs}
    code, label = args.pop("client_code"), args.pop("label")
    with pytest.raises(InvalidRecordError, match=message.replace("(", r"\(")):
        store.add_target(code, label, **args)  # type: ignore[arg-type]
    assert store.targets("C-1") == []


def test_labels_are_unique_per_client_in_any_case(store: Store) -> None:
    store.add_target("C-1", "Car crash", prong="past")
    with pytest.raises(
        InvalidRecordError, match="label: C-1 already has a target called 'car crash'"
    ):
        store.add_target("C-1", "car crash ", prong="past")


def test_a_touchstone_must_be_the_same_clients(store: Store) -> None:
    other = store.add_target("C-2", "flood", prong="past")
    with pytest.raises(InvalidRecordError, match=r"touchstone: target .* another client"):
        store.add_target("C-1", "storm", prong="present", touchstone_id=other)
    own = store.add_target("C-1", "storm", prong="present")
    with pytest.raises(InvalidRecordError, match="its own touchstone"):
        store.edit_target(own, touchstone_id=own)
    with pytest.raises(UnknownTargetError):
        store.edit_target(999, label="x")


def test_a_session_on_a_planned_target_puts_it_in_progress(store: Store) -> None:
    tid = store.add_target("C-1", "car crash", prong="past")
    sid = store.create_session("C-1", "standard", 60, target_id=tid)
    info = store.load_session(sid).session
    assert (info.target_id, info.target_label) == (tid, "car crash")
    target = store.target(tid)
    assert target.status == "in_progress" and target.sessions == 1
    assert [(c.status, c.session_id) for c in target.changes] == [
        ("planned", None),
        ("in_progress", sid),
    ]
    with pytest.raises(InvalidRecordError, match="another client"):
        store.create_session("C-2", "standard", 60, target_id=tid)


def test_completed_needs_sud_0_voc_7_and_a_clear_body_scan_or_a_reason(store: Store) -> None:
    tid = store.add_target("C-1", "car crash", prong="past")
    with pytest.raises(TargetIncompleteError, match="no SUD recorded; no VOC recorded"):
        store.set_target_status(tid, "completed")
    sid = store.create_session("C-1", "standard", 60, target_id=tid)
    _finish(store, sid, sud=1, voc=6, scan="discomfort")
    with pytest.raises(TargetIncompleteError) as err:
        store.set_target_status(tid, "completed")
    assert err.value.gaps == [
        "SUD 1 (say why it is ecological)",
        "VOC 6 (not 7)",
        "body scan: discomfort",
    ]
    assert store.target(tid).status == "in_progress"  # nothing changed
    store.set_target_status(tid, "completed", reason="SUD 1 ecological: the trial is pending")
    done = store.target(tid)
    assert done.status == "completed" and done.progress == Progress(1, 6, "discomfort")
    assert done.changes[-1].reason == "SUD 1 ecological: the trial is pending"


def test_completed_without_a_reason_when_the_values_are_there(store: Store) -> None:
    tid = store.add_target("C-1", "car crash", prong="past")
    first = store.create_session("C-1", "standard", 60, target_id=tid)
    _finish(store, first, sud=4, voc=4, scan="discomfort")
    second = store.create_session("C-1", "standard", 60, target_id=tid)
    _finish(store, second, sud=0, voc=7, scan="clear")
    assert completion_gaps(store.target(tid).progress) == []
    store.set_target_status(tid, "completed", session_id=second)
    assert store.target(tid).changes[-1].session_id == second


def test_a_target_in_use_is_archived_never_deleted(store: Store) -> None:
    used = store.add_target("C-1", "car crash", prong="past")
    spare = store.add_target("C-1", "spare", prong="future")
    sid = store.create_session("C-1", "standard", 60, target_id=used)
    with pytest.raises(TargetInUseError, match=r"referred to by 1 session.*archive it instead"):
        store.delete_target(used)
    store.archive_target(used, reason="client moved on")
    assert [t.id for t in store.targets("C-1")] == [spare]
    archived = store.targets("C-1", archived=True)
    assert {t.id for t in archived} == {used, spare}
    assert store.load_session(sid).session.target_id == used  # the session is untouched
    with pytest.raises(InvalidRecordError, match="archived"):
        store.create_session("C-1", "standard", 60, target_id=used)
    store.delete_target(spare)
    with pytest.raises(UnknownTargetError):
        store.target(spare)


def test_an_integration_session_links_to_an_earlier_dose(store: Store) -> None:
    dose = store.create_session("K-1", "ketamine", 120, started_at="2026-12-01T09:00:00.000Z")
    with pytest.raises(InvalidRecordError, match="integration session needs the medicine session"):
        store.create_session("K-1", "integration", 60)
    with pytest.raises(InvalidRecordError, match=r"dose link: session .* has no dose recorded"):
        store.create_session("K-1", "integration", 60, linked_dose_session_id=dose)
    store.save_medicine(
        dose, route="im", dose_amount=35, dose_unit="mg", dosed_at=(T0).isoformat(), screening={}
    )
    later = (T0 + timedelta(hours=27)).isoformat()
    sid = store.create_session(
        "K-1", "integration", 60, linked_dose_session_id=dose, started_at=later
    )
    info = store.load_session(sid).session
    assert (info.kind, info.linked_dose_session_id) == ("integration", dose)
    assert store.load_session(sid).medicine is None  # no dose of its own
    with pytest.raises(InvalidRecordError, match="another client"):
        store.create_session("K-2", "integration", 60, linked_dose_session_id=dose)
    with pytest.raises(InvalidRecordError, match="no session with ID 77"):
        store.create_session("K-1", "integration", 60, linked_dose_session_id=77)


def test_prong_words() -> None:
    assert parse_prong("Present trigger") == "present"
    assert parse_prong("f") == "future" and parse_prong("PAST") == "past"
    with pytest.raises(ValueError, match="prong"):
        parse_prong("")


def test_deleting_a_client_deletes_their_targets(store: Store) -> None:
    tid = store.add_target("C-1", "car crash", prong="past")
    store.create_session("C-1", "standard", 60, target_id=tid)
    kept = store.add_target("C-2", "flood", prong="past")
    assert store.delete_client("C-1") == 1
    assert store.targets("C-1", archived=True) == []
    assert [t.id for t in store.targets("C-2")] == [kept]


def test_a_session_named_by_label_joins_the_target_of_that_label(store: Store) -> None:
    tid = store.add_target("C-1", "Car crash", prong="past")
    sid = store.create_session("C-1", "standard", 60, target_label="car CRASH")
    assert store.load_session(sid).session.target_id == tid
    new = store.create_session("C-1", "standard", 60, target_label="storm")
    made = store.load_session(new).session.target_id
    assert made is not None
    target = store.target(made)
    assert (target.label, target.prong, target.status) == ("storm", None, "in_progress")
    assert "prong not chosen yet" in target.changes[0].reason
    store.archive_target(tid)
    with pytest.raises(InvalidRecordError, match="archived"):
        store.create_session("C-1", "standard", 60, target_label="car crash")
    bare = store.create_session("C-1", "standard", 60)
    assert store.load_session(bare).session.target_id is None


def test_an_edit_keeps_what_it_replaced_in_the_history(store: Store) -> None:
    tid = store.add_target("C-1", "car crash", prong="past", negative_cognition="I am weak")
    store.edit_target(tid, label="the crash", negative_cognition="I am powerless")
    store.edit_target(tid, label="the crash")  # nothing changed: no history line
    changes = store.target(tid).changes
    assert [c.reason for c in changes] == [
        "added to the plan",
        "edited: label was 'car crash'; NC was 'I am weak'",
    ]
    assert changes[-1].status == "planned"


def test_ids_too_large_for_sqlite_are_no_such_row(store: Store) -> None:
    with pytest.raises(UnknownTargetError):
        store.target(2**70)
    with pytest.raises(InvalidRecordError, match="no session with ID"):
        store.create_session("C-1", "integration", 60, linked_dose_session_id=2**70)
    with pytest.raises(UnknownTargetError):
        store.create_session("C-1", "standard", 60, target_id=-1)
