"""The phase-8 plan fits an 80-column terminal: with three targets its last column was cut
("... Body   L │"; found in the five-day walkthrough). A table too wide for its room drops
the session count and last date, says the prong in one word and shortens long labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import make_app
from bls_tui.ui.widgets.target_table import COLUMNS, COMPACT, TargetTable
from records_helpers import make_set


def _seed(db: Path) -> None:
    with Store.open(db, backup=False) as store:
        store.add_target("K-7", "car crash on the motorway in the rain", prong="past")
        store.add_target("K-7", "horns in traffic", prong="present")
        store.add_target("K-7", "driving to work calmly", prong="future")
        sid = store.create_session("K-7", "standard", 60, target_id=1)
        store.record_set(make_set(sid, 1))
        store.finish_session(sid, closure_complete=False)


@pytest.mark.parametrize(("size", "compact"), [((80, 24), True), ((120, 40), False)])
async def test_the_phase_8_plan_fits_the_terminal(
    tmp_path: Path, size: tuple[int, int], compact: bool
) -> None:
    db = tmp_path / "s.db"
    _seed(db)
    app = make_app(
        RunOptions(preset=Preset()),
        FakeClock(),
        mode="session",
        session=SessionStart(client_code="K-7", planned_min=60, target_id=2),
        store_opener=lambda: Store.open(db, backup=False),
    )
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause(0.2)
        assert app.screen.id == "reevaluation"
        table = app.screen.query_one(TargetTable)
        assert table.compact is compact
        assert table.virtual_size.width <= table.size.width  # nothing to scroll sideways to
        headers = tuple(str(c.label) for c in table.columns.values())
        assert headers == (COMPACT if compact else COLUMNS)
        first = [str(c) for c in table.get_row_at(0)]
        if compact:
            assert first[1] == "past" and first[2].endswith("…")
            assert "car crash on the" in first[2]
            assert [str(c) for c in table.get_row_at(1)][1:3] == ["trigger", "horns in traffic"]
        else:
            assert first[1:3] == ["past memory", "car crash on the motorway in the rain"]
        assert table.chosen is not None and table.chosen.id == 1  # rows still map to targets
