"""Protocol model boundaries: resume at 59 / 60 / 61 minutes, what a resume keeps, the way
from closure to reevaluation (next and jump), rating and label limits, and CSV formula cells.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from bls_tui.protocol.model import (
    PHASE_IDS,
    ClientCodeError,
    PhaseVisit,
    RatingError,
    ResumePoint,
    SessionModel,
    iso_utc,
    parse_bhs,
    parse_iso,
    parse_sud,
    parse_voc,
    phase_by_id,
    suggested_preset,
    validate_client_code,
    validate_target_label,
)
from bls_tui.records.export import export_session
from bls_tui.records.store import Store
from bls_tui.stimulus.clock import FakeClock
from records_helpers import FakeWall, full_session

T0 = datetime(2025, 3, 2, 10, 0, tzinfo=timezone.utc)


def point(**kw: object) -> ResumePoint:
    args: dict[str, object] = {
        "client_code": "C-014",
        "kind": "standard",
        "planned_min": 60,
        "target_label": "car crash",
        "phase": "desensitisation",
        "started_wall": iso_utc(T0),
        "elapsed_s": 1200.0,
        "phase_seconds": {"assessment": 300.0, "desensitisation": 900.0},
        "set_counts": {"desensitisation": 5},
        "last_set_number": 5,
        "interrupted_at": iso_utc(T0 + timedelta(minutes=20)),
    }
    args.update(kw)
    return ResumePoint(**args)  # type: ignore[arg-type]


def resumed_after(gap: timedelta, **kw: object) -> SessionModel:
    back = T0 + timedelta(minutes=20) + gap
    return SessionModel.resume(point(**kw), 100.0, wall=lambda: back)


# --------------------------------------------------------------------------- resume
@pytest.mark.parametrize(
    ("gap", "counted"),
    [
        (timedelta(minutes=59), True),
        (timedelta(minutes=60), True),  # the hour itself still counts
        (timedelta(minutes=60, seconds=1), False),
        (timedelta(minutes=61), False),
        (timedelta(0), True),
        (timedelta(seconds=-30), False),  # a clock that went back: no negative gap
    ],
)
def test_resume_counts_the_gap_only_within_the_hour(gap: timedelta, counted: bool) -> None:
    model = resumed_after(gap)
    want = 1200.0 + (gap.total_seconds() if counted else 0.0)
    assert model.elapsed(100.0) == pytest.approx(want)
    assert model.started_at == pytest.approx(100.0 - want)


def test_resume_without_interruption_time_continues_from_the_elapsed_time() -> None:
    model = resumed_after(timedelta(minutes=5), interrupted_at=None)
    assert model.elapsed(100.0) == 1200.0
    assert resumed_after(timedelta(minutes=5), elapsed_s=-50.0).elapsed(100.0) == 300.0


def test_resume_keeps_label_phase_counts_and_start() -> None:
    model = resumed_after(timedelta(minutes=10))
    assert model.target_label == "car crash"
    assert model.client_code == "C-014" and model.kind == "standard" and model.planned_min == 60
    assert model.phase.id == "desensitisation"
    assert model.started_wall == iso_utc(T0)  # the session's real start, not the resume
    assert model.sets_in_phase() == 5 and model.total_sets == 5
    assert model.next_set_number == 6
    assert model.phase_seconds(100.0) == {"assessment": 300.0, "desensitisation": 900.0}
    assert model.phase_seconds(160.0)["desensitisation"] == 960.0
    assert model.count_set(170.0) == 6


# --------------------------------------------------------------------------- closure
def fresh(phase: str) -> tuple[SessionModel, FakeClock]:
    clock = FakeClock(500.0)
    wall = FakeWall()
    return SessionModel("C-014", "standard", 60, clock.now(), phase=phase, wall=wall), clock


def test_closure_to_reevaluation_by_next() -> None:
    model, clock = fresh("closure")
    clock.advance(90)
    change = model.next_phase(clock.now())
    assert change.left.phase == "closure" and change.left.seconds == 90.0
    assert change.entered.phase == "reevaluation"
    assert model.phase.id == "reevaluation" and model.phase_index == len(PHASE_IDS) - 1
    assert not model.closure_due(clock.advance(3600))
    with pytest.raises(ValueError, match="last phase"):
        model.next_phase(clock.now())


def test_closure_to_reevaluation_by_jump_and_back() -> None:
    model, clock = fresh("closure")
    clock.advance(30)
    change = model.go_to("reevaluation", clock.now())
    assert (change.left.phase, change.entered.phase) == ("closure", "reevaluation")
    clock.advance(40)
    back = model.prev_phase(clock.now())
    assert (back.left.phase, back.entered.phase) == ("reevaluation", "closure")
    assert back.left.seconds == 40.0
    assert model.phase_seconds(clock.now()) == {"closure": 30.0, "reevaluation": 40.0}


def test_closure_due_only_before_closure_at_the_margin() -> None:
    model, clock = fresh("body_scan")
    clock.advance(2699.0)
    assert not model.closure_due(clock.now())
    clock.advance(1.0)  # exactly 15 minutes left
    assert model.closure_due(clock.now())
    assert model.time_left(clock.now()) == 900.0
    model.next_phase(clock.now())  # into closure
    assert not model.closure_due(clock.now())


def test_visits_carry_wall_stamps() -> None:
    clock = FakeClock(0.0)
    wall_now = [T0]
    model = SessionModel("C-1", "standard", 60, 0.0, wall=lambda: wall_now[0])
    assert model.current_visit() == PhaseVisit("history", iso_utc(T0))
    wall_now[0] = T0 + timedelta(minutes=3)
    change = model.next_phase(clock.advance(180))
    assert change.left == PhaseVisit("history", iso_utc(T0), iso_utc(wall_now[0]), 180.0)
    assert change.entered == PhaseVisit("preparation", iso_utc(wall_now[0]))
    wall_now[0] = T0 + timedelta(minutes=5)
    visit = model.finish(clock.advance(120))
    assert visit == PhaseVisit("preparation", iso_utc(T0 + timedelta(minutes=3)),
                               iso_utc(wall_now[0]), 120.0)  # fmt: skip
    assert model.phase_seconds(clock.now()) == {"history": 180.0, "preparation": 120.0}


def test_since_last_set() -> None:
    model, clock = fresh("desensitisation")
    assert model.since_last_set(clock.now()) is None
    model.count_set(clock.advance(10))
    assert model.since_last_set(clock.advance(25)) == 25.0
    assert model.sets_in_phase("desensitisation") == 1 and model.sets_in_phase("closure") == 0


# --------------------------------------------------------------------------- limits
@pytest.mark.parametrize(("parse", "lo", "hi"), [(parse_sud, 0, 10), (parse_voc, 1, 7),
                                                 (parse_bhs, 0, 10)])  # fmt: skip
def test_rating_scales_at_and_past_their_ends(parse: object, lo: int, hi: int) -> None:
    fn = parse  # type: ignore[assignment]
    assert fn(str(lo)) == lo and fn(str(hi)) == hi  # type: ignore[operator]
    assert fn(f" {hi} ") == hi  # type: ignore[operator]
    for bad in (str(lo - 1), str(hi + 1), "5.5", "1e1", "٣", "100"):
        with pytest.raises(RatingError, match=f"from {lo} to {hi}"):
            fn(bad)  # type: ignore[operator]


def test_target_label_limits() -> None:
    assert validate_target_label("x" * 200) == "x" * 200
    assert validate_target_label("  crash  ") == "crash"
    for bad in ("x" * 201, "a\nb", "a\rb"):
        with pytest.raises(ValueError, match="one line of at most 200"):
            validate_target_label(bad)


def test_planned_length_one_to_six_hundred_minutes() -> None:
    for ok in (1, 600):
        assert SessionModel("C-1", "standard", ok, 0.0).time_left(0.0) == ok * 60.0
    for bad in (0, 601):
        with pytest.raises(ValueError, match="1 to 600 minutes"):
            SessionModel("C-1", "standard", bad, 0.0)


def test_presets_only_for_bls_phases() -> None:
    assert suggested_preset("history") is None
    assert suggested_preset("desensitisation") == phase_by_id("desensitisation").preset
    assert suggested_preset("desensitisation", "ketamine") == "gentle"
    assert suggested_preset("history", "ketamine") is None


def test_stamps_are_utc_with_milliseconds() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert iso_utc(datetime(2025, 3, 2, 12, 0, 0, 123456, tzinfo=plus_two)) == (
        "2025-03-02T10:00:00.123+00:00"
    )
    assert parse_iso("2025-03-02T10:00:00") == T0
    assert parse_iso("2025-03-02T12:00:00+02:00") == T0


# --------------------------------------------------------------------------- CSV export
@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(first: str) -> None:
    with Store.open(wall=FakeWall()) as store:
        data = store.load_session(full_session(store))
    label = f"{first}SUM(A1:A9)"
    data = replace(data, session=replace(data.session, target_label=label))
    rows = list(csv.DictReader(io.StringIO(export_session(data, "csv"), newline="")))
    assert rows
    for row in rows:
        cell = row["target_label"]
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), repr(cell)
        assert cell.endswith("SUM(A1:A9)")
    plain = replace(data, session=replace(data.session, target_label="car crash"))
    rows = list(csv.DictReader(io.StringIO(export_session(plain, "csv"))))
    assert rows[0]["target_label"] == "car crash"  # ordinary text is left alone


def test_csv_line_breaks_stay_inside_their_cell() -> None:
    with Store.open(wall=FakeWall()) as store:
        data = store.load_session(full_session(store))
    data = replace(data, session=replace(data.session, target_label="car\rcrash\r\nat night"))
    text = export_session(data, "csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(data.sets)  # no extra rows
    assert rows[0]["target_label"] == "car\ncrash\nat night"


# --------------------------------------------------------------------------- exact messages
def message(exc: pytest.ExceptionInfo[BaseException]) -> str:
    return str(exc.value)


def test_messages_are_exact() -> None:
    with pytest.raises(ValueError) as exc:
        phase_by_id("nope")
    assert message(exc) == (
        "unknown phase 'nope' (expected one of: history, preparation, assessment, "
        "desensitisation, installation, body_scan, closure, reevaluation)"
    )
    for parse, text in ((parse_sud, "SUD must be a whole number from 0 to 10"),
                        (parse_voc, "VOC must be a whole number from 1 to 7"),
                        (parse_bhs, "BHS must be a whole number from 0 to 10")):  # fmt: skip
        with pytest.raises(RatingError) as exc:
            parse("x")
        assert message(exc) == text
        assert parse("") is None and parse("   ") is None
    with pytest.raises(ClientCodeError) as exc:
        validate_client_code(" A B ")
    assert message(exc) == (
        "client code contains a space and may be a real name; use a pseudonym code "
        "such as C-014 (letters, digits, '-' and '_', up to 32 characters)"
    )
    with pytest.raises(ClientCodeError) as exc:
        validate_client_code("_x")
    assert message(exc) == (
        "client code must be a pseudonym code of 1-32 letters, digits, '-' and '_', "
        "starting with a letter or digit (for example C-014)"
    )
    with pytest.raises(ValueError) as exc:
        validate_target_label("a\nb")
    assert message(exc) == "target label must be one line of at most 200 characters"
    with pytest.raises(ValueError) as exc:
        iso_utc(datetime(2025, 1, 1))
    assert message(exc) == "wall-clock times must be timezone-aware"


def test_model_messages_are_exact() -> None:
    with pytest.raises(ValueError) as exc:
        SessionModel("C-1", "weekly", 60, 0.0)  # type: ignore[arg-type]
    assert message(exc) == "session kind must be one of: standard, ketamine, integration"
    with pytest.raises(ValueError) as exc:
        SessionModel("C-1", "standard", 601, 0.0)
    assert message(exc) == "planned length must be 1 to 600 minutes"
    model = SessionModel("C-1", "standard", 60, 10.0)
    with pytest.raises(ValueError) as exc:
        model.elapsed(9.0)
    assert message(exc) == "monotonic time went backwards"
    with pytest.raises(ValueError) as exc:
        model.prev_phase(10.0)
    assert message(exc) == "already at the first phase"
    with pytest.raises(ValueError) as exc:
        model.go_to("history", 10.0)
    assert message(exc) == "already in phase History and treatment planning"
    model.go_to("reevaluation", 11.0)
    with pytest.raises(ValueError) as exc:
        model.next_phase(12.0)
    assert message(exc) == "already at the last phase"


def test_model_defaults() -> None:
    before = datetime.now(timezone.utc)
    model = SessionModel("C-1", "standard", 60, 10.0)
    after = datetime.now(timezone.utc)
    assert model.phase.id == "history" and model.target_label == ""
    started = parse_iso(model.started_wall)
    assert before - timedelta(milliseconds=1) <= started <= after
    assert model.wall().tzinfo is timezone.utc
    assert model.suggested_preset is None
    model.go_to("desensitisation", 10.0)
    assert model.suggested_preset == phase_by_id("desensitisation").preset
    assert model.last_set_at is None
    model.count_set(12.5)
    assert model.last_set_at == 12.5 and model.last_set_number == 1


def test_resumed_model_uses_the_given_wall_clock() -> None:
    calls: list[int] = []

    def wall() -> datetime:
        calls.append(1)
        return T0 + timedelta(minutes=30)

    model = SessionModel.resume(point(), 100.0, wall=wall)
    assert model.wall is wall
    change = model.next_phase(160.0)
    assert change.left.left_at == iso_utc(T0 + timedelta(minutes=30))
    assert change.left.seconds == 60.0


def test_every_clock_reading_refuses_time_going_backwards() -> None:
    model = SessionModel("C-1", "standard", 60, 10.0, phase="desensitisation")
    model.elapsed(20.0)
    for read in (model.count_set, model.since_last_set, model.time_in_phase, model.elapsed,
                 model.phase_seconds, model.closure_due, model.time_left):  # fmt: skip
        with pytest.raises(ValueError, match="backwards"):
            read(19.0)
    assert model.elapsed(20.0) == 10.0  # the same time again is fine


def test_after_finish_the_open_visit_restarts() -> None:
    model = SessionModel("C-1", "standard", 60, 0.0, phase="closure")
    assert model.finish(30.0).seconds == 30.0
    assert model.time_in_phase(35.0) == 5.0
    assert model.phase_seconds(35.0) == {"closure": 35.0}


def test_a_code_with_spaces_only_around_it_is_not_called_a_name() -> None:
    with pytest.raises(ClientCodeError, match="must be a pseudonym code of 1-32"):
        validate_client_code(" C-1 ")
    assert validate_client_code("C-1") == "C-1"


# --------------------------------------------------------------------------- mutation survivors
def test_a_resume_half_a_second_later_counts_that_half_second() -> None:
    """The same-sitting gap counts from 0 s, not from 1 s (a resume at once keeps the clock)."""
    assert resumed_after(timedelta(seconds=0.5)).elapsed(100.0) == pytest.approx(1200.5)


def test_iso_utc_is_utc_whatever_the_machine_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records are stamped in UTC even on a machine set to another zone."""
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        berlin = datetime(2025, 3, 2, 11, 0, tzinfo=timezone(timedelta(hours=1)))
        assert iso_utc(berlin) == "2025-03-02T10:00:00.000+00:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_suggested_preset_defaults_to_a_standard_session() -> None:
    """No kind given: a standard session's preset (ketamine's gentle preset only when asked)."""
    assert suggested_preset("desensitisation") == phase_by_id("desensitisation").preset
    assert suggested_preset("desensitisation") == suggested_preset("desensitisation", "standard")
    assert suggested_preset("desensitisation", "ketamine") == "gentle"


def test_a_target_label_with_a_control_character_is_refused_in_words() -> None:
    words = r"^target label must not hold control or text-direction characters$"
    with pytest.raises(ValueError, match=words):
        validate_target_label("car\u202ecrash")


def test_phase_seconds_of_a_first_visit_are_its_time_only() -> None:
    """A phase never left before: its seconds are the open visit's, from zero."""
    model = SessionModel("C-014", "standard", 60, 10.0, wall=lambda: T0)
    assert model.phase_seconds(15.0) == {"history": 5.0}


def test_finishing_in_a_revisited_phase_adds_to_its_earlier_seconds() -> None:
    model = SessionModel("C-014", "standard", 60, 0.0, wall=lambda: T0)
    model.go_to("assessment", 30.0)  # history 30 s
    model.go_to("history", 40.0)  # assessment 10 s
    visit = model.finish(45.0)  # history again, 5 s
    assert visit.seconds == 5.0
    assert model.phase_seconds(45.0) == {"history": 35.0, "assessment": 10.0}
