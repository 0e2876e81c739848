"""Snapshots of the measure form at 80x24: the longest item, the item-9 dialog, the summary.

Regenerate after an intended visual change (pinned versions as in test_snapshots_screens.py)::

    python3 -m pytest tests/ui/test_measure_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bls_tui.config.presets import Preset
from bls_tui.measures.builtin import PCL5, PHQ9
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.ui.app import make_app
from bls_tui.ui.measure_mode import MeasureStart
from bls_tui.ui.screens.measure_form import ItemAlertDialog
from records_helpers import FakeWall

CASES = {
    "pcl5-item9": (PCL5, "12340123"),  # the longest item wording
    "phq9-item9-dialog": (PHQ9, "000000002"),
    "phq9-summary-acknowledged": (PHQ9, "210110101"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_measure_form(name: str, snap_compare: Any, tmp_path: Path) -> None:
    instrument, keys = CASES[name]
    db = tmp_path / "sessions.db"
    wall = FakeWall()
    app = make_app(
        RunOptions(preset=Preset()),
        mode="measure",
        store_opener=lambda: Store.open(db, wall=wall, backup=False),
        wall=wall,
        measure=MeasureStart("C-014", instrument),
    )

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        if name == "phq9-summary-acknowledged":
            dialog = app.screen
            assert isinstance(dialog, ItemAlertDialog)
            dialog.delay_s = 0.0
            await pilot.press("a")
            await pilot.pause()
        for _ in range(3):
            await pilot.wait_for_scheduled_animations()
            await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
