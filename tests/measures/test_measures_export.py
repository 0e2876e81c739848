"""Measures as Markdown lines: alerts apart from totals, unfinished said, answers kept, sources."""

from __future__ import annotations

from datetime import timezone

from bls_tui.measures.builtin import DES2, PCL5, PHQ9
from bls_tui.records.measures_export import measures_markdown, series
from bls_tui.records.store import Store
from records_helpers import FakeWall, stamp


def test_markdown_of_a_clients_measures() -> None:
    with Store.open(wall=FakeWall()) as store:
        sid = store.create_session("C-014", "standard", 60, started_at=stamp(0))
        phq = store.save_measure("C-014", PHQ9, [1] * 8 + [2], session_id=sid, taken_at=stamp(1))
        store.save_measure("C-014", PCL5, [1, 2, *([None] * 18)], taken_at=stamp(2))
        store.save_measure("C-014", DES2, [40] * 28, taken_at=stamp(3), note="<b>x</b>")
        (alert,) = store.load_measure(phq).alerts
        store.acknowledge_alert(alert.id, at=stamp(4))
        store.save_measure("C-014", PHQ9, [0] * 9, taken_at=stamp(5))
        records = store.list_measures("C-014")
        session_lines = measures_markdown(store.session_measures(sid), timezone.utc)
    text = "\n".join(measures_markdown(records, timezone.utc))
    assert text.startswith("## Outcome measures") and "Screening, not diagnosis" in text
    assert (
        "| 2025-03-02 10:01 | PHQ-9 (#1) | over the last 2 weeks | 10 (of 0-27) | moderate |"
        in text
    )
    assert "unfinished (2 of 20 answered)" in text
    assert "40.0 (of 0-100)" in text and "30 or more: flagged for clinical follow-up" in text
    assert "published provisional cut-off" not in text  # the PCL-5 is unfinished: no cut-off
    assert "- PHQ-9 item 9 answered 2 (More than half the days), above 0: acknowledged" in text
    assert "- #2 PCL-5: 1:1 2:2 3:- 4:-" in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "<b>" not in text
    assert "Pfizer" in text and "ptsd.va.gov" not in text.split("Item answers:")[0]
    lowered = text.lower()
    for word in ("no risk", "sent", "reported", "notified", "alerted"):
        assert word not in lowered
    assert any("PHQ-9 (#1)" in line for line in session_lines)
    assert not any("PCL-5" in line for line in session_lines)
    assert measures_markdown([], timezone.utc) == []


def test_series_for_a_plot_leaves_unfinished_out() -> None:
    with Store.open(wall=FakeWall()) as store:
        store.save_measure("C-014", PCL5, [2] * 20, taken_at=stamp(60 * 24 * 2))
        store.save_measure("C-014", PCL5, [3] * 20, taken_at=stamp(0))
        store.save_measure("C-014", PCL5, [None] * 20, taken_at=stamp(60))
        store.save_measure("C-014", PHQ9, [1] * 9, taken_at=stamp(5))
        records = store.list_measures("C-014")
    assert series(records, "pcl5") == [(stamp(0), 60.0), (stamp(60 * 24 * 2), 40.0)]
    assert series(records, "phq9") == [(stamp(5), 9.0)]
