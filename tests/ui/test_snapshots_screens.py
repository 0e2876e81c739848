"""Snapshots of every screen and dialog at the two named sizes (issue 12).

The screens come from :mod:`screens_catalogue` (fixed wall clock, fake monotonic clock, a
private database), so a snapshot changes only when what a therapist sees changes.

Regenerate after an intended visual change, with the pinned versions below (the SVGs depend
on them), and review the SVGs in ``tests/ui/__snapshots__/test_snapshots_screens/``::

    python3 -m pytest tests/ui/test_snapshots_screens.py --snapshot-update

Pinned for regeneration: textual 8.2.8, pytest-textual-snapshot 1.1.0, syrupy 4.8.0
(:data:`PINNED` is checked, so a drifted environment says so instead of failing every SVG).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import screens_catalogue as catalogue

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
PINNED = {"textual": "8.2.8", "pytest-textual-snapshot": "1.1.0", "syrupy": "4.8.0"}


def test_snapshot_versions_are_the_pinned_ones() -> None:
    from importlib.metadata import version

    assert {name: version(name) for name in PINNED} == PINNED


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(catalogue.SCREENS))
def test_screen(name: str, size: str, snap_compare: Any, tmp_path: Path) -> None:
    app, clock, steps = catalogue.make(name, tmp_path)

    async def run_before(pilot: Any) -> None:
        await steps(pilot, app, clock)
        from textual.widgets import Input

        for field in app.screen.query(Input):  # a blinking cursor would differ run to run
            field.cursor_blink = False
        # Let focus moves and radio-set highlights (posted after a refresh) settle: without
        # this the form snapshots differed from run to run under load.
        # The clocks on the screen under a form tick once a (real) second: whether a tick
        # fell after the fake clock's last step was a race (the form pictures differed run to
        # run by "phase 0:00" against "0:30").  Tick them now, as a second later would.
        for under in app.screen_stack:
            if hasattr(under, "clock_tick"):
                under.clock_tick()
        for _ in range(3):
            await pilot.wait_for_scheduled_animations()
            await pilot.pause(0.1)
        assert app.screen.id == catalogue.SCREENS[name].expect

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
