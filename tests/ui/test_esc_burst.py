"""Keys in a burst over a closing form or dialog never close the screen beneath it.

Found by an adversarial pass: between sets, `g` (or `x`) then three Escs in one read left a
blank screen where no key worked, not even the stop key: each Esc dismissed again while the
form was still closing, and the later ones popped the session screen itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import make_app
from bls_tui.ui.screens.session import SessionScreen
from records_helpers import FakeWall


@pytest.mark.parametrize(
    "keys",
    [
        ("g", "escape", "escape", "escape"),
        ("x", "escape", "escape", "escape"),
        ("question_mark", "escape", "escape", "escape"),
        ("q", "escape", "escape", "escape"),
        ("g", "enter", "escape", "escape"),
    ],
    ids=["go-to-phase", "end-session", "help", "quit-question", "go-to-phase-enter"],
)
async def test_a_burst_of_escapes_never_closes_the_session_screen(
    tmp_path: Path, keys: tuple[str, ...]
) -> None:
    wall = FakeWall()
    app = make_app(
        RunOptions(preset=Preset()),
        FakeClock(),
        mode="session",
        session=SessionStart("E-1", planned_min=60),
        store_opener=lambda: Store.open(tmp_path / "s.db", backup=False, wall=wall),
        wall=wall,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press(keys[0])
        await pilot.pause()
        for key in keys[1:]:  # no pause between them, as when they come in one read
            app.post_message(events.Key(key, "\x1b" if key == "escape" else None))
        await pilot.pause()
        await pilot.pause()
        assert any(isinstance(s, SessionScreen) for s in app.screen_stack), app.screen_stack
        while not isinstance(app.screen, SessionScreen):
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("space")  # and the stage still answers
        assert app.runtime.engine.in_set


async def test_quitting_mid_set_ends_cleanly(tmp_path: Path) -> None:
    """`q`, `y` while a set runs: the set is stopped and recorded, no crash (the grounding form
    that follows a stop used to be pushed into a closing app and fail to find its fields)."""
    wall = FakeWall()
    db = tmp_path / "s.db"
    app = make_app(
        RunOptions(preset=Preset()),
        FakeClock(),
        mode="session",
        session=SessionStart("E-2", planned_min=60),
        store_opener=lambda: Store.open(db, backup=False, wall=wall),
        wall=wall,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        assert app.runtime.engine.in_set
        await pilot.press("q")
        await pilot.press("y")
        await pilot.pause()
    assert app.crash_message is None
    assert app.return_code in (0, None)
    with Store.open(db, backup=False, wall=wall) as store:
        sets = store.load_session(1).sets
    assert len(sets) == 1 and sets[0].stopped_early
