"""The sound device opens after the stimulation screen's first paint, once (issue 13: launch).

The app used to ask for it from its own mount, before the stimulation screen was composed; in
a real terminal the opening thread's numpy and backend imports (held under the GIL) then ran
before the first frame: 356 ms to the first frame with sound against 298 ms without, same CPU
(bench/run.py, Debian Python 3.11.2, 3 Dec 2026; 272 / 263 ms after the change). Headless, the
old order happened to paint first too, so the timing itself is shown by the bench; these tests
pin what the code now promises: asked by the painted stimulation screen, opened once."""

from __future__ import annotations

from typing import Any

import pytest

from bls_tui.config.presets import Preset
from bls_tui.services.runtime import OpenedSound, RunOptions, Runtime
from bls_tui.sound.controller import SoundController
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import make_app
from bls_tui.ui.screens.stim import StimScreen
from bls_tui.ui.widgets.stage import Stage


async def test_sound_opens_once_after_the_stage_is_painted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, bool]] = []
    app: Any = None

    def fake_open(self: Runtime) -> OpenedSound:
        screen = app.screen
        painted = isinstance(screen, StimScreen) and bool(screen.query_one(Stage)._lines)
        seen.append((type(screen).__name__, painted))
        return OpenedSound(None, "no sound card (test)", None, None)

    monkeypatch.setattr(Runtime, "open_sound", fake_open)
    app = make_app(RunOptions(preset=Preset(), audio="auto"), FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        assert await app.wait_for_sound()
        app.open_sound()  # a second screen asking again starts no second opening
        await pilot.pause(0.2)
    assert seen == [("StimScreen", True)]


def test_the_device_is_claimed_for_opening_once() -> None:
    from bls_tui.sound.tones import ToneParams
    from bls_tui.stimulus.engine import Engine, MotionPlan

    clock = FakeClock()
    engine = Engine(MotionPlan(), clock)
    sound = SoundController(engine, clock, ToneParams(), opening=True)
    assert sound.claim_open() is True
    assert sound.claim_open() is False
    assert SoundController(engine, clock, ToneParams()).claim_open() is False  # nothing to open
