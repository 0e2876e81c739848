"""`bls measures export` tables: a row per measure, item answers kept, unfinished never scored."""

from __future__ import annotations

import csv
import io
import json

from bls_tui.measures.builtin import GAD7, PCL5, PHQ9
from bls_tui.records.measures_table import HEAD, measures_csv, measures_json
from bls_tui.records.store import Store
from records_helpers import FakeWall, stamp


def _records() -> list:  # type: ignore[type-arg]
    with Store.open(wall=FakeWall()) as store:
        sid = store.create_session("C-014", "standard", 60, started_at=stamp(0))
        phq = store.save_measure("C-014", PHQ9, [1] * 8 + [2], session_id=sid, taken_at=stamp(1))
        store.save_measure("C-014", PCL5, [1, 2, *([None] * 18)], taken_at=stamp(2))
        store.save_measure("C-014", PCL5, [2] * 20, taken_at=stamp(3), note="=HYPERLINK(x)")
        store.save_measure("C-014", GAD7, [0] * 7, taken_at=stamp(4))
        (alert,) = store.load_measure(phq).alerts
        store.acknowledge_alert(alert.id, at=stamp(5))
        return store.list_measures("C-014")


def test_csv_has_a_row_per_measure_with_every_item_answer() -> None:
    rows = list(csv.DictReader(io.StringIO(measures_csv(_records()))))
    assert len(rows) == 4
    assert list(rows[0])[: len(HEAD)] == list(HEAD)
    assert [k for k in rows[0] if k.startswith("item_")] == [f"item_{k}" for k in range(1, 21)]
    phq, pcl_open, pcl, gad = rows
    assert (phq["instrument"], phq["instrument_name"], phq["total"], phq["band"]) == (
        "phq9",
        "PHQ-9",
        "10.0",
        "moderate",
    )
    assert phq["session_id"] == "1" and phq["items"] == "9" and phq["item_9"] == "2"
    assert phq["item_10"] == "" and phq["taken_at"] == stamp(1)
    assert phq["alerts"] == f"item 9 answered 2, above 0: acknowledged {stamp(5)}"
    # an unfinished measure: answers kept, no total, no band, no part scores
    assert pcl_open["finished"] == "0" and pcl_open["answered"] == "2"
    assert pcl_open["total"] == pcl_open["band"] == pcl_open["part_scores"] == ""
    assert (pcl_open["item_1"], pcl_open["item_2"], pcl_open["item_3"]) == ("1", "2", "")
    # PCL-5 all 2: total 40, cluster sums B 10 (5 items), C 4, D 14, E 12
    assert pcl["total"] == "40.0" and pcl["finished"] == "1"
    assert pcl["part_scores"] == "B 10; C 4; D 14; E 12"
    assert "33" in pcl["published_cutoff"]
    assert pcl["note"] == "'=HYPERLINK(x)"  # a spreadsheet will not run it
    assert gad["total"] == "0.0" and gad["alerts"] == "" and gad["band"] == "minimal"


def test_csv_of_no_measures_is_the_header_only() -> None:
    assert measures_csv([]) == ",".join(HEAD) + "\n"


def test_json_keeps_everything_as_stored() -> None:
    records = _records()
    body = json.loads(measures_json("C-014", records))
    assert body["client_code"] == "C-014" and body["note"] == "screening, not diagnosis"
    assert [m["id"] for m in body["measures"]] == [r.id for r in records]
    assert body["measures"][1]["responses"][:3] == [1, 2, None]
    assert body["measures"][1]["total"] is None
    assert body["measures"][0]["alerts"][0]["acknowledged_at"] == stamp(5)
    assert body["measures"][0]["timeframe"] == "over the last 2 weeks"
    assert body["measures"][0]["version"]
