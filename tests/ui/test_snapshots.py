"""Snapshot tests: what the screen looks like mid-set, and the help screen.

Regenerate after an intended visual change with ``pytest tests/ui/test_snapshots.py
--snapshot-update`` and review the SVGs in ``tests/ui/__snapshots__``.
"""

from __future__ import annotations

from typing import Any

from bls_tui.config.presets import Preset
from bls_tui.services.runtime import RunOptions
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import make_app


def _app() -> tuple[Any, FakeClock]:
    clock = FakeClock()
    return make_app(RunOptions(preset=Preset()), clock), clock


def test_stimulation_screen_mid_set(snap_compare: Any) -> None:
    app, clock = _app()

    async def run_before(pilot: Any) -> None:
        await pilot.press("space")
        clock.advance(3.3)  # 6 sweeps done, the dot 0.6 of the way to the right
        await pilot.pause(0.1)
        app.screen.tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 20), run_before=run_before)


def test_help_screen(snap_compare: Any) -> None:
    app, _ = _app()
    assert snap_compare(app, press=["question_mark"], terminal_size=(110, 34))
