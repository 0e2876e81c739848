"""The stop signal from every overlay, and a client view that draws nothing but the dot.

Written from the therapist's side: a set is running, something opens over the stage, and the
client says "stop".  Pressing `s` (or `esc`) must end the set at once, whatever is on top.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import SetState
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.screens import closure_flow, ketamine_forms
from bls_tui.ui.screens import session_prompts as prompts
from bls_tui.ui.screens.confirm import ConfirmScreen
from bls_tui.ui.screens.form import FormScreen
from bls_tui.ui.screens.help import HelpScreen
from bls_tui.ui.screens.session import SessionScreen
from bls_tui.ui.screens.stim import StimScreen

SIZE = (120, 40)


def _now() -> datetime:
    return datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


OVERLAYS: dict[str, Callable[[], Screen[Any]]] = {
    "help": lambda: HelpScreen(()),
    "confirm": lambda: ConfirmScreen("A question?"),
    "between-sets": lambda: prompts.between_sets(1),
    "back-to-target": prompts.back_to_target,
    "installation": lambda: prompts.installation(1),
    "body-scan": lambda: prompts.body_scan(1),
    "grounding": lambda: prompts.grounding(True),
    "assessment": prompts.assessment,
    "closure": lambda: closure_flow.closure_form(None, ""),
    "containment": lambda: closure_flow.containment_form(""),
    "dose": lambda: ketamine_forms.dose_form(_now),
    "checkin": lambda: ketamine_forms.checkin_form("Check-in"),
}


def session_app(clock: FakeClock, db: Path) -> BlsApp:
    return make_app(
        RunOptions(preset=Preset()),
        clock,
        mode="session",
        session=SessionStart("C-017", planned_min=60, target_label="car crash"),
        store_opener=lambda: Store.open(db, backup=False),
    )


async def _start_set(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await pilot.press("space")
    clock.advance(2.0)
    await pilot.pause()
    assert app.runtime.engine.state is SetState.RUNNING


@pytest.mark.parametrize("key", ["s", "escape"])
@pytest.mark.parametrize("name", sorted(OVERLAYS))
async def test_stop_key_over_any_overlay_ends_the_set(name: str, key: str, tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.go_to_phase("desensitisation")  # type: ignore[attr-defined]
        await _start_set(pilot, app, clock)
        app.push_screen(OVERLAYS[name]())
        await pilot.pause()
        assert not isinstance(app.screen, StimScreen)
        # nothing runs under an overlay: the set paused the moment it opened
        assert app.runtime.engine.state is SetState.PAUSED
        clock.advance(5.0)
        await pilot.press(key)
        # the set ended on that key press (no frame in between), stopped by the signal
        engine = app.runtime.engine
        assert not engine.in_set
        summary = engine.last_summary
        assert summary is not None and summary.stopped_early
        # 2 s at 1.0 Hz before the overlay paused it (fake clock): 4 sweeps, and no more after
        # (counted from the clock, not from frames drawn: a loaded machine may draw none)
        assert summary.active_s == 2.0 and summary.sweeps_delivered == 4
        # the stop is followed by grounding, as after any stop signal
        assert isinstance(app.screen, FormScreen) and app.screen.id == "grounding"


async def test_plain_run_help_and_quit_dialog_stop_on_s() -> None:
    clock = FakeClock()
    app = make_app(RunOptions(preset=Preset()), clock)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("question_mark", "q"):
            await _start_set(pilot, app, clock)
            await pilot.press(key)
            assert isinstance(app.screen, (HelpScreen, ConfirmScreen))
            await pilot.press("s")
            assert isinstance(app.screen, StimScreen)
            assert app.runtime.engine.state is SetState.ENDED
            assert app.runtime.engine.last_summary is not None
            assert app.runtime.engine.last_summary.stopped_early
        assert app.is_running  # `s` in the quit dialog stopped the set, it did not quit


async def test_without_a_set_the_keys_belong_to_the_overlay(tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.go_to_phase("desensitisation")  # type: ignore[attr-defined]
        app.push_screen(prompts.between_sets(1))
        await pilot.pause()
        await pilot.press("s")  # types an "s" into the note: no set, no stop
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#f-note").value == "s"  # type: ignore[attr-defined]
        await pilot.press("escape")  # and esc skips the form as usual
        assert isinstance(app.screen, SessionScreen)
        assert app.runtime.engine.set_number == 0


async def test_client_view_shows_no_form_until_the_therapist_leaves_it(tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.go_to_phase("desensitisation")  # type: ignore[attr-defined]
        await pilot.press("f")
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.client_view
        await pilot.press("space")
        clock.advance(25.0)
        await pilot.pause(0.1)
        assert app.runtime.engine.state is SetState.ENDED
        # the after-set prompt waits: only the dot is drawn
        assert app.screen is screen
        assert app.screen is screen
        await pilot.press("question_mark")  # help waits too
        assert app.screen is screen
        await pilot.press("f")  # the therapist leaves the client view: the prompt appears
        assert isinstance(app.screen, FormScreen) and app.screen.id == "between-sets"
        assert app.screen.query_one("#f-note").value == ""  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert isinstance(app.screen, HelpScreen)
