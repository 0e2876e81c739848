"""Markdown / CSV / JSON export of a recorded session."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta, timezone
from pathlib import Path

import pytest

from bls_tui.records.export import (
    CSV_COLUMNS,
    ExportError,
    default_export_name,
    export_session,
    import_json,
    write_export,
)
from bls_tui.records.store import SessionData, Store
from records_helpers import FakeWall, full_session


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(wall=FakeWall()) as opened:
        yield opened


@pytest.fixture
def standard(store: Store) -> SessionData:
    return store.load_session(full_session(store))


@pytest.fixture
def ketamine(store: Store) -> SessionData:
    return store.load_session(full_session(store, kind="ketamine"))


def test_markdown_draft_note(standard: SessionData) -> None:
    md = export_session(standard, "md")
    for text in (
        "# EMDR session note (draft)",
        "- **Client code:** C-014",
        "- **Date:** 2025-03-02, 10:00–10:55 (UTC)",
        "- **Session kind:** standard EMDR",
        "planned 60 min; actual 55 min 00 s",
        "- **Target:** car crash",
        "- Negative belief: I am in danger",
        "- SUD: 8/10",
        "| 3. Assessment | 6 min 00 s |",
        "| 4. Desensitisation | 4 min 00 s |",
        "- Closure: incomplete",
        "- Final SUD: 1/10; final VOC: 6/7",
        "- Container: rest goes in the container",
        "- 10:20 SUD 1 (at closure)",
        "- Stop signal at 10:08, by: client",
    ):
        assert text in md, text
    rows = [line for line in md.splitlines() if line.startswith("| ") and "Hz" not in line]
    set_rows = [r for r in rows if r.split("|")[1].strip() in {"7", "8", "11"}]
    assert len(set_rows) == 3
    assert (
        "| 8 | Desensitisation | 10:08 | 1.00 | 20 / 10 | 10 s | 4 | – | yes: client signal |" in md
    )
    # notes in time order; a pipe in free text cannot break the layout
    assert md.index("tightness in chest") < md.index("=SUM(A1)")
    assert "Medicine" not in md


def test_markdown_shows_sound_loss(standard: SessionData) -> None:
    lost = replace(standard.sets[0], sound_lost_at=standard.sets[0].ended_at)
    md = export_session(replace(standard, sets=[lost, *standard.sets[1:]]), "md")
    assert "| no; sound lost 10:07 |" in md


def test_markdown_times_in_a_given_zone(standard: SessionData) -> None:
    plus2 = timezone(timedelta(hours=2), "CEST")
    assert "- **Date:** 2025-03-02, 12:00–12:55 (CEST)" in export_session(standard, "md", tz=plus2)


def test_markdown_ketamine_sections(ketamine: SessionData) -> None:
    md = export_session(ketamine, "md")
    assert "- **Session kind:** ketamine-assisted EMDR" in md
    assert "## Medicine (ketamine)" in md and "- Dose (as entered): 50 mg" in md
    assert "- Dosed at (T0): 09:30" in md and "- Route: Sublingual lozenge" in md
    assert "Since dose (min)" in md
    set_7 = next(line for line in md.splitlines() if line.startswith("| 7 |"))
    assert set_7.rstrip(" |").endswith("37")  # set 7 starts 37 min after the dose
    assert "| 10:07 | 37 | 128/82 | 72 | 98% | 2.5 (bhs) | alert | BP 128/82 fine | – |" in md
    assert "ready to leave: not confirmed" in md and "- Screening: Pregnancy: reviewed" in md


def test_csv_one_row_per_set(ketamine: SessionData) -> None:
    text = export_session(ketamine, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["set_number"] for r in rows] == ["7", "8", "11"]
    assert [r["minutes_since_dose"] for r in rows] == ["37.0", "38.0", "41.0"]
    assert rows[1]["stopped_early"] == "1" and rows[1]["stop_reason"] == "client signal"
    assert rows[1]["sud"] == "4" and rows[2]["voc"] == "6" and rows[0]["sud"] == ""
    assert rows[0]["notes"] == "after set 7: tightness in chest"
    # labelled by when it was written, so the cell never starts as a spreadsheet formula
    assert rows[1]["notes"].startswith("after set 8: =SUM(A1)")
    assert rows[0]["client_code"] == "C-014" and rows[0]["session_kind"] == "ketamine"


def test_csv_standard_has_empty_dose_column(standard: SessionData) -> None:
    rows = list(csv.DictReader(io.StringIO(export_session(standard, "csv"))))
    assert len(rows) == len(standard.sets) and all(r["minutes_since_dose"] == "" for r in rows)


@pytest.mark.parametrize("kind", ["standard", "ketamine"])
def test_json_round_trip(store: Store, kind: str) -> None:
    data = store.load_session(full_session(store, kind=kind))
    text = export_session(data, "json")
    body = json.loads(text)
    assert body["format"] == "bls-tui-session" and body["schema"] == 1
    assert import_json(text) == data


def test_json_round_trip_minimal_session(store: Store) -> None:
    data = store.load_session(store.create_session("C-1", "standard", 45))
    assert data.assessment is None and data.medicine is None
    assert import_json(export_session(data, "json")) == data


def test_json_round_trip_detects_a_change(standard: SessionData) -> None:
    changed = replace(standard, sets=standard.sets[:-1])
    assert import_json(export_session(changed, "json")) != standard


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: "not json", "not valid JSON"),
        (lambda b: {**b, "format": "other"}, "not a bls-tui session export"),
        (lambda b: {**b, "schema": 2}, "unsupported export schema 2"),
        (lambda b: {k: v for k, v in b.items() if k != "sets"}, "exactly these sections"),
        (lambda b: {**b, "session": {**b["session"], "colour": "red"}}, "unknown field"),
        (lambda b: {**b, "sets": [{"number": 1}]}, r"sets\[0\]"),
        (lambda b: {**b, "notes": {}}, "expected a list"),
    ],
)
def test_import_json_rejects(standard: SessionData, mutate: object, message: str) -> None:
    body = json.loads(export_session(standard, "json"))
    broken = mutate(body)  # type: ignore[operator]
    text = broken if isinstance(broken, str) else json.dumps(broken)
    with pytest.raises(ExportError, match=message):
        import_json(text)


def test_default_name_leaves_out_the_client_code(standard: SessionData) -> None:
    sid = standard.session.id
    assert default_export_name(standard, "md") == f"session-{sid}-20250302.md"
    assert "C-014" not in default_export_name(standard, "csv")
    assert default_export_name(standard, "json", include_client=True) == (
        f"C-014-session-{sid}-20250302.json"
    )


def test_bad_format(standard: SessionData) -> None:
    with pytest.raises(ExportError, match="md, csv, json"):
        export_session(standard, "pdf")
    with pytest.raises(ExportError):
        default_export_name(standard, "docx")


def test_write_export_is_private(tmp_path: Path, standard: SessionData) -> None:
    old = os.umask(0)
    try:
        target = write_export(export_session(standard, "md"), tmp_path / "note.md")
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        existing = tmp_path / "old.csv"
        existing.write_text("old")
        os.chmod(existing, 0o644)
        write_export(export_session(standard, "csv"), existing)
        assert stat.S_IMODE(existing.stat().st_mode) == 0o600
        assert existing.read_text().startswith("session_id,")
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_write_export_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_export("x", tmp_path / "nowhere" / "note.md")


def test_json_carries_the_measures_of_that_day(store: Store, standard: SessionData) -> None:
    from bls_tui.measures.builtin import BUILTINS

    sid = standard.session.id
    mid = store.save_measure(
        standard.session.client_code, BUILTINS["phq9"], [1, 1, 1, 1, 1, 1, 1, 1, 2], session_id=sid
    )
    measures = store.session_measures(sid)
    text = export_session(standard, "json", measures=measures)
    body = json.loads(text)
    [measure] = body["measures"]
    assert measure["id"] == mid and measure["responses"] == [1, 1, 1, 1, 1, 1, 1, 1, 2]
    assert measure["total"] == 10 and measure["alerts"][0]["item"] == 9
    assert measure["alerts"][0]["acknowledged_at"] is None
    assert import_json(text) == standard  # the session reads back; measures are for people
    with pytest.raises(ExportError, match="measures: expected a list"):
        import_json(text.replace('"measures": [', '"measures": {"x": [').replace("]\n}", "]}\n}"))
