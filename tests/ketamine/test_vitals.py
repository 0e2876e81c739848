"""Check-in vitals: parsing, validation messages, threshold highlights."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bls_tui.ketamine.vitals import (
    DIASTOLIC_RANGE,
    HR_RANGE,
    PRESENCE_SCALES,
    SEDATION_LEVELS,
    SEDATION_SCORES,
    SPO2_RANGE,
    SYSTOLIC_RANGE,
    Thresholds,
    VitalsEntry,
    VitalsError,
    flags,
    parse_bp,
    parse_vitals,
    sedation_from_score,
)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, VitalsEntry()),
        ({"systolic": "120", "diastolic": "80"}, VitalsEntry(120, 80)),
        ({"systolic": " 120 mmHg", "diastolic": "80mmhg"}, VitalsEntry(120, 80)),
        ({"bp": "BP 150/95"}, VitalsEntry(150, 95)),
        ({"bp": "bp: 150 / 95 mmHg"}, VitalsEntry(150, 95)),
        ({"hr": "72 bpm", "spo2": "97%"}, VitalsEntry(hr=72, spo2=97)),
        ({"hr": "72/min"}, VitalsEntry(hr=72)),
        ({"presence": "3"}, VitalsEntry(presence=3)),
        (
            {"presence": "10", "presence_scale": "BHS"},
            VitalsEntry(presence=10, presence_scale="bhs"),
        ),
        ({"sedation": "Drowsy"}, VitalsEntry(sedation="drowsy")),
        ({"sedation": "responds only to touch or a gentle shake"}, VitalsEntry(sedation="touch")),
        ({"note": "  calm, talking  "}, VitalsEntry(note="calm, talking")),
        ({"spo2": "100", "hr": "20"}, VitalsEntry(hr=20, spo2=100)),
    ],
)
def test_parse_ok(fields: dict[str, str], expected: VitalsEntry) -> None:
    assert parse_vitals(**fields) == expected


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"systolic": "abc", "diastolic": "80"}, "systolic: 'abc' is not a number .expected mmHg"),
        ({"systolic": "120/80"}, "looks like a whole BP"),
        ({"diastolic": "120/80", "systolic": "130"}, "looks like a whole BP"),
        ({"systolic": "-120", "diastolic": "80"}, "cannot be negative"),
        ({"systolic": "300", "diastolic": "80"}, "systolic 300 mmHg is outside .* 50–260 mmHg"),
        ({"systolic": "49", "diastolic": "30"}, "outside the plausible range"),
        ({"systolic": "120", "diastolic": "20"}, "diastolic 20 mmHg is outside .* 30–160 mmHg"),
        ({"systolic": "120.5", "diastolic": "80"}, "whole number in mmHg"),
        ({"systolic": "120"}, "diastolic is missing"),
        ({"diastolic": "80"}, "systolic is missing"),
        ({"systolic": "80", "diastolic": "120"}, "diastolic 120 must be below systolic 80"),
        ({"systolic": "100", "diastolic": "100"}, "must be below systolic"),
        ({"bp": "150-95"}, "not systolic/diastolic"),
        ({"bp": "150/"}, "not systolic/diastolic"),
        ({"bp": "300/95"}, "systolic 300 mmHg"),
        ({"bp": "80/120"}, "diastolic 120 must be below systolic 80"),
        ({"bp": "150/95", "systolic": "150"}, "either in the BP field"),
        ({"hr": "abc"}, "HR: 'abc' is not a number .expected bpm"),
        ({"hr": "0"}, "HR 0 bpm is outside .* 20–250 bpm"),
        ({"hr": "251"}, "outside the plausible range"),
        ({"hr": "-60"}, "HR cannot be negative"),
        ({"hr": "1e3"}, "not a number"),
        ({"spo2": "101"}, "SpO2 101% is outside .* 50–100%"),
        ({"spo2": "49%"}, "SpO2 49%"),
        ({"spo2": "97.5"}, "whole number in %"),
        ({"spo2": "ninety"}, "expected %"),
        ({"presence": "11"}, "from 0 to 10"),
        ({"presence": "2.5"}, "whole number from 0 to 10"),
        ({"presence": "-1"}, "cannot be negative"),
        ({"presence": "lots"}, "not a number from 0 to 10"),
        ({"presence": "3", "presence_scale": "cadss"}, "presence scale must be one of"),
        ({"sedation": "asleep"}, "sedation: 'asleep' is not one of"),
        ({"note": "x" * 2001}, "at most 2000 characters"),
        ({"hr": "٧٢"}, "not a number"),  # non-ASCII digits
    ],
)
def test_parse_rejects(fields: dict[str, str], msg: str) -> None:
    with pytest.raises(VitalsError, match=msg) as err:
        parse_vitals(**fields)
    assert "\n" not in str(err.value)


def test_parse_bp_direct() -> None:
    assert parse_bp(" 118/76 ") == (118, 76)
    with pytest.raises(VitalsError):
        parse_bp("120")


def test_entry_validates_on_construction_and_round_trips() -> None:
    entry = VitalsEntry(130, 85, 88, 96, 4, "bhs", "alert", "ok")
    assert VitalsEntry.from_dict(entry.to_dict()) == entry
    assert not entry.is_empty and VitalsEntry().is_empty
    with pytest.raises(VitalsError, match="unknown vitals field"):
        VitalsEntry.from_dict({"temp": 37})
    with pytest.raises(VitalsError, match="whole number"):
        VitalsEntry.from_dict({"hr": "72"})
    with pytest.raises(VitalsError, match="whole number"):
        VitalsEntry(hr=True)
    with pytest.raises(VitalsError, match="presence rating"):
        VitalsEntry(presence=float("nan"))  # type: ignore[arg-type]
    with pytest.raises(VitalsError, match="sedation level"):
        VitalsEntry(sedation="alert, answers normally")  # a label is not an id


def test_scales_are_described() -> None:
    assert set(PRESENCE_SCALES) == {"numeric", "bhs"}
    assert "10 = fully present" in PRESENCE_SCALES["numeric"]
    assert "face" in PRESENCE_SCALES["bhs"] and "back of the head" in PRESENCE_SCALES["bhs"]
    assert [k for k, _ in SEDATION_LEVELS] == ["alert", "drowsy", "voice", "touch", "unresponsive"]


@pytest.mark.parametrize(
    ("entry", "thresholds", "expected"),
    [
        (VitalsEntry(), Thresholds(), []),
        (VitalsEntry(120, 80, 70, 98), Thresholds(), []),
        (VitalsEntry(140, 90, 120, 94), Thresholds(), []),  # at the threshold is not outside
        (VitalsEntry(150, 95), Thresholds(), ["BP 150/95 above 140/90"]),
        (VitalsEntry(135, 92), Thresholds(), ["BP 135/92 above 140/90"]),
        (VitalsEntry(141, 70), Thresholds(), ["BP 141/70 above 140/90"]),
        (VitalsEntry(spo2=92), Thresholds(), ["SpO2 92% below 94%"]),
        (VitalsEntry(hr=130), Thresholds(), ["HR 130 bpm above 120 bpm"]),
        (VitalsEntry(hr=45), Thresholds(), ["HR 45 bpm below 50 bpm"]),
        (
            VitalsEntry(160, 100, 130, 90),
            Thresholds(),
            ["BP 160/100 above 140/90", "SpO2 90% below 94%", "HR 130 bpm above 120 bpm"],
        ),
        (VitalsEntry(150, 95), Thresholds(systolic_above=160, diastolic_above=100), []),
        (VitalsEntry(150, 95), Thresholds(diastolic_above=None), ["BP 150/95 above 140/–"]),
        (VitalsEntry(spo2=80, hr=40), Thresholds(spo2_below=None, hr_below=None), []),
    ],
)
def test_flags(entry: VitalsEntry, thresholds: Thresholds, expected: list[str]) -> None:
    assert flags(entry, thresholds) == expected


def test_flags_default_thresholds() -> None:
    assert flags(VitalsEntry(150, 95)) == ["BP 150/95 above 140/90"]


@pytest.mark.parametrize(
    ("kwargs", "msg"),
    [
        ({"systolic_above": 10}, "systolic_above"),
        ({"spo2_below": 101}, "spo2_below"),
        ({"hr_above": 60, "hr_below": 60}, "lower than hr_above"),
        ({"hr_above": 1.5}, "hr_above"),
    ],
)
def test_thresholds_validate(kwargs: dict[str, object], msg: str) -> None:
    with pytest.raises(VitalsError, match=msg):
        Thresholds(**kwargs)  # type: ignore[arg-type]


FIELD_TEXT = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-50, max_value=400).map(str),
    st.builds(lambda a, b: f"{a}/{b}", st.integers(0, 300), st.integers(0, 300)),
    st.sampled_from(["", "120", "80", "97%", "72 bpm", "BP 150/95", "alert", "3.5"]),
)


@settings(max_examples=400, deadline=None)
@given(
    bp=st.one_of(st.just(""), FIELD_TEXT),
    systolic=FIELD_TEXT,
    diastolic=FIELD_TEXT,
    hr=FIELD_TEXT,
    spo2=FIELD_TEXT,
    presence=FIELD_TEXT,
    scale=st.one_of(st.sampled_from(["numeric", "bhs"]), st.text(max_size=8)),
    sedation=st.one_of(st.sampled_from([k for k, _ in SEDATION_LEVELS]), FIELD_TEXT),
    note=st.text(max_size=30),
)
def test_fuzz_parser_only_raises_vitals_error(
    bp: str,
    systolic: str,
    diastolic: str,
    hr: str,
    spo2: str,
    presence: str,
    scale: str,
    sedation: str,
    note: str,
) -> None:
    try:
        entry = parse_vitals(
            bp=bp,
            systolic=systolic,
            diastolic=diastolic,
            hr=hr,
            spo2=spo2,
            presence=presence,
            presence_scale=scale,
            sedation=sedation,
            note=note,
        )
    except VitalsError as err:
        assert "\n" not in str(err)
        return
    if entry.systolic is not None:
        assert entry.diastolic is not None
        assert SYSTOLIC_RANGE[0] <= entry.systolic <= SYSTOLIC_RANGE[1]
        assert DIASTOLIC_RANGE[0] <= entry.diastolic < entry.systolic
    if entry.hr is not None:
        assert HR_RANGE[0] <= entry.hr <= HR_RANGE[1]
    if entry.spo2 is not None:
        assert SPO2_RANGE[0] <= entry.spo2 <= SPO2_RANGE[1]
    assert isinstance(flags(entry), list)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=30))
def test_fuzz_parse_bp(text: str) -> None:
    try:
        s, d = parse_bp(text)
    except VitalsError:
        return
    assert SYSTOLIC_RANGE[0] <= s <= SYSTOLIC_RANGE[1]
    assert DIASTOLIC_RANGE[0] <= d < s


def test_sedation_scores_round_trip() -> None:
    assert [SEDATION_SCORES[k] for k, _ in SEDATION_LEVELS] == [5, 4, 3, 2, 0]
    for level, _ in SEDATION_LEVELS:
        assert sedation_from_score(VitalsEntry(sedation=level).sedation_score) == level
    assert sedation_from_score(1) == "unresponsive"
    assert sedation_from_score(None) is None and VitalsEntry().sedation_score is None
    with pytest.raises(VitalsError, match="0 to 5"):
        sedation_from_score(6)
