"""The clinician's own measures: TOML files checked field by field, and totals in range."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bls_tui.measures.builtin import BUILTINS
from bls_tui.measures.custom import (
    CustomMeasureError,
    find,
    from_record,
    instrument_from,
    load_all,
    load_file,
    measures_dir,
    to_snapshot,
)
from bls_tui.measures.model import Instrument, Scale, score

GOOD = """\
id = "sleep-week"
name = "Sleep this week"
version = "1"
timeframe = "past week"
scoring = "sum"
items = ["I fell asleep easily", "I slept through the night", "I woke rested"]

[scale]
min = 0
max = 3
labels = ["Never", "Sometimes", "Often", "Always"]

[[bands]]
from = 0
to = 4
label = "low"

[[bands]]
from = 5
to = 9
label = "high"
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads_and_scores(isolated_dirs: dict[str, Path]) -> None:
    assert measures_dir() == isolated_dirs["config"] / "measures"
    write(measures_dir(), "sleep.toml", GOOD)
    instrument = find("sleep-week")
    assert not instrument.builtin and instrument.length == 3
    assert instrument.scale.label(2) == "Often"
    result = score(instrument, [1, 2, 3])
    assert result.total == 6 and result.band == "high"
    assert from_record("sleep-week", to_snapshot(instrument)) == instrument


def test_builtin_names_are_found_in_any_spelling() -> None:
    assert find("PHQ-9") is BUILTINS["phq9"] and find("pcl5") is BUILTINS["pcl5"]
    with pytest.raises(CustomMeasureError, match=r"no instrument 'nope'.*phq9"):
        find("nope")


BAD = [
    ("items = [", "not valid TOML"),
    (GOOD.replace('id = "sleep-week"', 'id = "Sleep Week"'), ":1: id: must be"),
    (GOOD.replace('id = "sleep-week"', 'id = "phq9"'), "id: 'phq9' is a built-in"),
    (GOOD.replace('name = "Sleep this week"\n', ""), "name: missing"),
    (GOOD.replace('version = "1"', "version = 1"), ":3: version: must be text"),
    (GOOD.replace('timeframe = "past week"', 'timeframe = ""'), "timeframe: must not be empty"),
    (GOOD.replace('scoring = "sum"', 'scoring = "median"'), ':5: scoring: must be "sum"'),
    (GOOD.replace('"I woke rested"', "3"), "items[3]: must be a non-empty text"),
    (GOOD.replace("items = [", "items = [] #"), "items: must be a non-empty list"),
    (GOOD.replace("max = 3", "max = 0"), "scale.max: must be greater than min"),
    (GOOD.replace("max = 3", "max = 2.5"), "scale.max: must be a whole number"),
    (GOOD.replace("max = 3", "max = 300"), "scale.max: a scale has at most 101 points"),
    (GOOD.replace('"Always"]', '"Always", "More"]'), "scale.labels: needs one label per value"),
    (GOOD.replace("min = 0", "min = 0\nstep = 2"), "scale.step: unknown field"),
    (GOOD.replace("to = 4", "to = 5"), "bands[2].from: overlaps the band 'low'"),
    (GOOD.replace("to = 9", "to = 10"), "bands[2].from: outside the possible totals 0-9"),
    (GOOD.replace('label = "high"', 'label = ""'), "bands[2].label: must be a text"),
    (GOOD.replace('label = "low"', 'lable = "low"'), "bands[1].lable: unknown field"),
    (GOOD + "colour = 1\n", "colour: unknown field"),
    (GOOD.replace("[scale]", "[scales]"), "scales: unknown field"),
    (GOOD.replace('name = "Sleep this week"', 'name = "a\\u001b[2Jb"'), "name: must be one line"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_files_say_file_and_field_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "measures", "m.toml", text)
    with pytest.raises(CustomMeasureError) as info:
        load_file(path)
    line = str(info.value)
    assert "\n" not in line and line.startswith(f"{path}:")
    assert message in line


def test_hostile_files_are_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "measures"
    folder.mkdir()
    (folder / "zero.toml").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.toml")
    write(folder, "huge.toml", "# " + "x" * 300_000)
    write(folder, "latin1.toml", "")
    (folder / "latin1.toml").write_bytes(b'name = "\xe9"')
    write(folder, "deep.toml", "a = " + "[" * 5000 + "]" * 5000)
    write(folder, "good.toml", GOOD)
    found, problems = load_all(folder)
    assert [i.id for i in found] == ["sleep-week"]
    assert len(problems) == 5 and all("\n" not in p for p in problems)


def test_a_duplicate_id_is_reported_not_loaded_twice(tmp_path: Path) -> None:
    folder = tmp_path / "measures"
    write(folder, "a.toml", GOOD)
    write(folder, "b.toml", GOOD)
    found, problems = load_all(folder)
    assert len(found) == 1 and "already defined" in problems[0]


def test_a_bad_stored_snapshot_is_refused() -> None:
    with pytest.raises(CustomMeasureError, match="stored definition of 'x'"):
        from_record("x", {"id": "x"})
    with pytest.raises(CustomMeasureError, match="no definition stored"):
        from_record("gone", {})


# ------------------------------------------------------------------ property: totals in range
@st.composite
def custom_instrument(draw: st.DrawFn) -> Instrument:
    low = draw(st.integers(-20, 20))
    high = draw(st.integers(low + 1, low + 10))
    count = draw(st.integers(1, 30))
    data = {
        "id": "prop",
        "name": "Property",
        "version": "1",
        "timeframe": "today",
        "scoring": draw(st.sampled_from(["sum", "mean"])),
        "items": [f"item {n}" for n in range(count)],
        "scale": {"min": low, "max": high},
    }
    return instrument_from(data, "generated")


@st.composite
def finished_measure(draw: st.DrawFn) -> tuple[Instrument, list[int | None]]:
    instrument = draw(st.one_of(st.sampled_from(list(BUILTINS.values())), custom_instrument()))
    values = instrument.scale.values()
    answers = draw(
        st.lists(st.sampled_from(values), min_size=instrument.length, max_size=instrument.length)
    )
    return instrument, list(answers)


@settings(max_examples=300, deadline=None)
@given(finished_measure())
def test_every_finished_total_is_inside_its_range(
    case: tuple[Instrument, list[int | None]],
) -> None:
    instrument, answers = case
    result = score(instrument, answers)
    low, high = instrument.total_range()
    assert low <= result.total <= high
    for sub in instrument.subscales:
        assert len(sub.items) * instrument.scale.low <= result.subscores[sub.id]
        assert result.subscores[sub.id] <= len(sub.items) * instrument.scale.high
    if instrument.bands:  # published bands cover every possible total
        assert result.band is not None


def test_scale_describes_itself() -> None:
    assert Scale(0, 100, 10).describe() == "0 to 100 in steps of 10"


_ANY = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
_KEYS = st.sampled_from(
    ["id", "name", "version", "timeframe", "instructions", "source", "scoring", "items", "scale",
     "bands", "other"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _ANY, max_size=11))
def test_any_fields_give_an_instrument_or_one_line(data: dict[str, object]) -> None:
    try:
        instrument = instrument_from(data, "fuzz.toml")
    except CustomMeasureError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz.toml:")
    else:
        low, high = instrument.total_range()
        assert low < high or instrument.length == 0


_VALID: dict[str, object] = {
    "id": "x",
    "name": "X",
    "version": "1",
    "timeframe": "today",
    "scoring": "sum",
    "items": ["a", "b"],
    "scale": {"min": 0, "max": 3, "labels": ["n", "s", "o", "a"]},
    "bands": [{"from": 0, "to": 2, "label": "low"}],
}
_PATHS = st.sampled_from(
    [("id",), ("name",), ("items",), ("scale",), ("scale", "min"), ("scale", "max"),
     ("scale", "labels"), ("bands",), ("scoring",), ("bands", 0, "from"), ("bands", 0, "to"),
     ("bands", 0, "label")]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(_PATHS, _ANY)
@example(path=("scale",), value={"\n": None})  # found by CI: a quoted key with a line break
def test_one_bad_field_in_a_good_file_is_named(path: tuple[object, ...], value: object) -> None:
    import copy

    data: dict[str, object] = copy.deepcopy(_VALID)
    target: object = data
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    try:
        instrument_from(data, "one.toml")
    except CustomMeasureError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("one.toml:")
