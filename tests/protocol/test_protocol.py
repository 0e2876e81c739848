"""The protocol as data, rating/client-code validation and the session state machine."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bls_tui.protocol.model import (
    ASSESSMENT_PROMPTS,
    BETWEEN_SET_PROMPTS,
    BODY_SCAN_OPTIONS,
    CLOSURE_COMPLETE,
    CLOSURE_INCOMPLETE,
    GROUNDING_LINES,
    PHASE_IDS,
    PHASES,
    PRESET_NAMES,
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
)
from bls_tui.stimulus.clock import FakeClock

T0 = datetime(2025, 3, 2, 10, 0, tzinfo=timezone.utc)


class Wall:
    """Wall clock kept in step with a FakeClock."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.origin = clock.now()

    def __call__(self) -> datetime:
        return T0 + timedelta(seconds=self.clock.now() - self.origin)


def test_eight_phases_in_order_with_text() -> None:
    assert PHASE_IDS == (
        "history",
        "preparation",
        "assessment",
        "desensitisation",
        "installation",
        "body_scan",
        "closure",
        "reevaluation",
    )
    assert [p.number for p in PHASES] == list(range(1, 9))
    for phase in PHASES:
        assert phase.name and phase.purpose and "\n" not in phase.purpose
    assert [p.id for p in PHASES if p.uses_bls] == [
        "preparation",
        "desensitisation",
        "installation",
        "body_scan",
        "closure",
    ]


def test_suggested_presets_standard_and_ketamine() -> None:
    standard = {p: suggested_preset(p) for p in PHASE_IDS}
    assert standard == {
        "history": None,
        "preparation": "resource",
        "assessment": None,
        "desensitisation": "standard",
        "installation": "installation",
        "body_scan": "standard",
        "closure": "resource",
        "reevaluation": None,
    }
    for phase in PHASES:
        expected = "gentle" if phase.uses_bls else None
        assert suggested_preset(phase.id, "ketamine") == expected


def test_suggested_presets_exist_in_the_preset_module() -> None:
    from bls_tui.config.presets import BUILTINS

    assert set(PRESET_NAMES) <= set(BUILTINS)
    for phase in PHASES:
        for kind in ("standard", "ketamine"):
            name = suggested_preset(phase.id, kind)
            assert name is None or name in PRESET_NAMES


def test_unknown_phase_message_lists_ids() -> None:
    with pytest.raises(ValueError, match="expected one of: history, preparation"):
        phase_by_id("phase9")


def test_assessment_prompts_in_order() -> None:
    fields = [p.field for p in ASSESSMENT_PROMPTS]
    assert fields == [
        "image",
        "negative_cognition",
        "positive_cognition",
        "voc",
        "emotions",
        "sud",
        "body_location",
    ]
    texts = {p.field: p.text for p in ASSESSMENT_PROMPTS}
    assert "1" in texts["voc"] and "7" in texts["voc"]
    assert "0" in texts["sud"] and "10" in texts["sud"]
    assert len(set(texts.values())) == 7


def test_between_set_grounding_closure_and_body_scan_texts() -> None:
    assert any("breath" in t.lower() and "notice" in t.lower() for t in BETWEEN_SET_PROMPTS)
    joined = " ".join(GROUNDING_LINES).lower()
    assert "breathe" in joined and "feet on the floor" in joined and "room" in joined
    incomplete = " ".join(CLOSURE_INCOMPLETE).lower()
    assert "calm place" in incomplete and "container" in incomplete
    assert CLOSURE_COMPLETE and not set(CLOSURE_COMPLETE) & set(GROUNDING_LINES)
    assert [o.id for o in BODY_SCAN_OPTIONS] == ["clear", "discomfort", "pleasant", "not_done"]


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("10", 10), (" 7 ", 7), ("05", 5)])
def test_parse_sud_valid(text: str, value: int) -> None:
    assert parse_sud(text) == value


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_rating_is_none(text: str) -> None:
    assert parse_sud(text) is None
    assert parse_voc(text) is None
    assert parse_bhs(text) is None


BAD = ["11", "-1", "abc", "5.5", "9" * 5000, "1e1", "+5", "1 0", "0x5", "٥", "½", "10%", "None"]


@pytest.mark.parametrize("text", BAD)
def test_parse_sud_rejects(text: str) -> None:
    with pytest.raises(RatingError) as info:
        parse_sud(text)
    assert str(info.value) == "SUD must be a whole number from 0 to 10"


@pytest.mark.parametrize("text", [*BAD, "0", "8"])
def test_parse_voc_rejects(text: str) -> None:
    with pytest.raises(RatingError, match=r"^VOC must be a whole number from 1 to 7$"):
        parse_voc(text)


def test_parse_voc_valid_range() -> None:
    assert [parse_voc(str(n)) for n in range(1, 8)] == list(range(1, 8))


@given(st.text(max_size=30))
def test_parsers_never_raise_anything_else(text: str) -> None:
    for parse, low, high in ((parse_sud, 0, 10), (parse_voc, 1, 7), (parse_bhs, 0, 10)):
        try:
            value = parse(text)
        except RatingError:
            continue
        assert value is None or low <= value <= high


@pytest.mark.parametrize("code", ["C-014", "a", "x" * 32, "client_7", "7B"])
def test_client_code_valid(code: str) -> None:
    assert validate_client_code(code) == code


def test_client_code_with_space_asks_for_pseudonym() -> None:
    with pytest.raises(ClientCodeError, match="real name; use a pseudonym code"):
        validate_client_code("John Smith")


@pytest.mark.parametrize("code", ["", "x" * 33, "José", "-abc", "a/b", "a.b", "ab\n"])
def test_client_code_rejects(code: str) -> None:
    with pytest.raises(ClientCodeError, match="pseudonym code"):
        validate_client_code(code)


def test_iso_roundtrip_and_naive_rejected() -> None:
    assert parse_iso(iso_utc(T0)) == T0
    with pytest.raises(ValueError, match="timezone-aware"):
        iso_utc(datetime(2025, 1, 1))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(start=500.0)


def model(clock: FakeClock, **kw: object) -> SessionModel:
    args: dict[str, object] = {"target_label": "car crash", "phase": "assessment"}
    args.update(kw)
    return SessionModel("C-014", "standard", 60, clock.now(), wall=Wall(clock), **args)  # type: ignore[arg-type]


def test_phase_times_accumulate_on_revisit(clock: FakeClock) -> None:
    m = model(clock)
    assert m.current_visit() == PhaseVisit("assessment", iso_utc(T0))
    clock.advance(300)
    change = m.next_phase(clock.now())
    assert change.left == PhaseVisit(
        "assessment", iso_utc(T0), iso_utc(T0 + timedelta(seconds=300)), 300.0
    )
    assert change.entered.phase == "desensitisation" and change.entered.left_at is None
    clock.advance(600)
    m.prev_phase(clock.now())
    clock.advance(60)
    m.next_phase(clock.now())
    clock.advance(30)
    totals = m.phase_seconds(clock.now())
    assert totals == {"assessment": 360.0, "desensitisation": 630.0}
    assert m.time_in_phase(clock.now()) == 30.0
    assert m.elapsed(clock.now()) == 990.0


def test_phase_bounds(clock: FakeClock) -> None:
    m = model(clock, phase="history")
    with pytest.raises(ValueError, match="first phase"):
        m.prev_phase(clock.now())
    with pytest.raises(ValueError, match="already in phase"):
        m.go_to("history", clock.now())
    m.go_to("reevaluation", clock.now())
    with pytest.raises(ValueError, match="last phase"):
        m.next_phase(clock.now())


def test_time_left_and_closure_due(clock: FakeClock) -> None:
    m = model(clock, phase="desensitisation")
    assert m.time_left(clock.now()) == 3600.0
    clock.advance(2699)
    assert not m.closure_due(clock.now())
    clock.advance(1)
    assert m.time_left(clock.now()) == 900.0
    assert m.closure_due(clock.now())
    assert m.closure_due(clock.now(), margin_s=600) is False
    m.go_to("closure", clock.now())
    assert not m.closure_due(clock.now())
    m.go_to("reevaluation", clock.now())
    assert not m.closure_due(clock.now())
    m.go_to("body_scan", clock.now())
    assert m.closure_due(clock.now())
    clock.advance(1000)
    assert m.time_left(clock.now()) == -100.0


def test_set_counting_per_phase(clock: FakeClock) -> None:
    m = model(clock, phase="desensitisation")
    assert m.next_set_number == 1 and m.since_last_set(clock.now()) is None
    assert [m.count_set(clock.advance(30)) for _ in range(3)] == [1, 2, 3]
    m.next_phase(clock.now())
    assert m.count_set(clock.advance(30)) == 4
    clock.advance(12)
    assert m.since_last_set(clock.now()) == 12.0
    assert m.sets_in_phase("desensitisation") == 3
    assert m.sets_in_phase() == 1 and m.total_sets == 4 and m.next_set_number == 5


def test_finish_closes_the_open_visit(clock: FakeClock) -> None:
    m = model(clock, phase="closure")
    clock.advance(120)
    visit = m.finish(clock.now())
    assert visit.phase == "closure" and visit.seconds == 120.0 and visit.left_at is not None


def test_time_must_not_go_backwards(clock: FakeClock) -> None:
    m = model(clock)
    with pytest.raises(ValueError, match="backwards"):
        m.elapsed(clock.now() - 1)


def test_model_validates_inputs(clock: FakeClock) -> None:
    with pytest.raises(ClientCodeError):
        SessionModel("Jane Doe", "standard", 60, clock.now())
    with pytest.raises(ValueError, match="session kind"):
        SessionModel("C-1", "weekly", 60, clock.now())  # type: ignore[arg-type]
    for bad in (0, 601, True):
        with pytest.raises(ValueError, match="planned length"):
            SessionModel("C-1", "standard", bad, clock.now())
    with pytest.raises(ValueError, match="one line"):
        SessionModel("C-1", "standard", 60, clock.now(), target_label="a\nb")


def test_ketamine_model_suggests_gentle(clock: FakeClock) -> None:
    m = SessionModel("C-1", "ketamine", 90, clock.now(), phase="desensitisation")
    assert m.suggested_preset == "gentle"
    m.go_to("assessment", clock.now())
    assert m.suggested_preset is None


def point(interrupted_at: datetime) -> ResumePoint:
    return ResumePoint(
        client_code="C-014",
        kind="standard",
        planned_min=60,
        target_label="car crash",
        phase="desensitisation",
        started_wall=iso_utc(T0),
        elapsed_s=1200.0,
        phase_seconds={"assessment": 400.0, "desensitisation": 800.0},
        set_counts={"desensitisation": 9},
        last_set_number=9,
        interrupted_at=iso_utc(interrupted_at),
    )


def test_resume_same_sitting_counts_the_gap(clock: FakeClock) -> None:
    stop = T0 + timedelta(seconds=1200)
    m = SessionModel.resume(point(stop), clock.now(), wall=lambda: stop + timedelta(minutes=3))
    assert m.elapsed(clock.now()) == 1200.0 + 180.0
    assert m.phase.id == "desensitisation" and m.next_set_number == 10
    assert m.sets_in_phase() == 9 and m.started_wall == iso_utc(T0)
    clock.advance(60)
    assert m.phase_seconds(clock.now())["desensitisation"] == 860.0
    assert m.time_left(clock.now()) == 3600.0 - 1440.0


def test_resume_days_later_does_not_count_the_gap(clock: FakeClock) -> None:
    stop = T0 + timedelta(seconds=1200)
    m = SessionModel.resume(point(stop), clock.now(), wall=lambda: stop + timedelta(days=2))
    assert m.elapsed(clock.now()) == 1200.0


def test_stamps_with_z_for_utc_are_read_on_every_supported_python() -> None:
    """Python 3.10's fromisoformat refuses a trailing Z (3.11 takes it); the app reads both."""
    from datetime import datetime, timezone

    from bls_tui.protocol.model import parse_iso

    expected = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)
    assert parse_iso("2026-11-02T10:00:00Z") == expected
    assert parse_iso("2026-11-02T10:00:00z") == expected
    assert parse_iso("2026-11-02T10:00:00+00:00") == expected
    assert parse_iso("2026-11-02T10:00:00") == expected  # naive: UTC
