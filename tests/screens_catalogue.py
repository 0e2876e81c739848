"""Every screen and dialog of the app, reachable by name (issue 12).

Each entry builds a fresh app (fake monotonic clock, fixed wall clock, a private database) and
the Pilot steps that bring it to that screen.  Used by the snapshot tests
(``test_snapshots_screens.py``) and the 80x24 "shown whole" walk (``test_screens_whole.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import BlsApp, Mode, make_app

WALL0 = datetime(2026, 12, 2, 9, 54, tzinfo=timezone.utc)

Steps = Callable[[Any, BlsApp, FakeClock], Awaitable[None]]


class Wall:
    """A wall clock that follows the fake monotonic clock from :data:`WALL0`."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.t0 = clock.now()

    def __call__(self) -> datetime:
        return WALL0 + timedelta(seconds=self.clock.now() - self.t0)


def build(db: Path, mode: Mode, start: SessionStart | None = None) -> tuple[BlsApp, FakeClock]:
    clock = FakeClock()
    app = make_app(
        RunOptions(preset=Preset()),
        clock,
        mode=mode,
        session=start,
        store_opener=lambda: Store.open(db, backup=False),
        wall=Wall(clock),
    )
    return app, clock


def seed_recent(db: Path) -> None:
    """Two past sessions: a completed one with sets, and an interrupted empty one."""
    import records_helpers

    store = Store.open(db, backup=False)
    try:
        records_helpers.full_session(store)
        sid = store.create_session(
            "C-022", "standard", 60, target_label="", started_at="2026-12-02T09:54:00+00:00"
        )
        store.mark_interrupted(sid, "quit")
    finally:
        store.close()


async def nothing(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await pilot.pause()


def press(*keys: str) -> Steps:
    async def steps(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
        await pilot.press(*keys)
        await pilot.pause()

    return steps


async def run_set(pilot: Any, app: BlsApp, clock: FakeClock, seconds: float = 30.0) -> None:
    """One set, run to its end on the fake clock."""
    await pilot.press("space")
    clock.advance(seconds)
    for _ in range(20):
        await pilot.pause(0.05)
        if not app.runtime.engine.in_set:
            break
    await pilot.pause()


def chain(*parts: Steps) -> Steps:
    async def steps(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
        for part in parts:
            await part(pilot, app, clock)

    return steps


async def to_desens(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await pilot.press("n", "n")  # preparation, assessment (its form opens by itself)
    await pilot.press("escape")
    await pilot.press("n")  # desensitisation
    await pilot.pause()


async def one_desens_set(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await to_desens(pilot, app, clock)
    await run_set(pilot, app, clock)


async def after_between(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await one_desens_set(pilot, app, clock)
    await pilot.press("escape")
    await pilot.pause()


async def to_phase(pilot: Any, app: BlsApp, number: int) -> None:
    screen = app.screen
    while screen.controller.model.phase.number < number:  # type: ignore[attr-defined]
        await pilot.press("n")
        await pilot.pause()
        while app.screen is not screen:  # a form that opened by itself
            await pilot.press("escape")
            await pilot.pause()


async def installation(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await to_phase(pilot, app, 5)
    await run_set(pilot, app, clock)


async def stopped(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await to_desens(pilot, app, clock)
    await pilot.press("space")
    clock.advance(3.0)
    await pilot.pause(0.1)
    await pilot.press("s")
    await pilot.pause()


async def closure(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await after_between(pilot, app, clock)  # a set: the closure asks about processing
    await to_phase(pilot, app, 7)
    await pilot.press("e")
    await pilot.pause()


async def closure_no_bls(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await to_phase(pilot, app, 7)  # no set: the closure asks how the session closes
    await pilot.press("e")
    await pilot.pause()


async def end_until(pilot: Any, app: BlsApp, screen_id: str) -> None:
    """x, then save each closing form (closure, containment) until ``screen_id`` shows."""
    from textual.widgets import RadioButton, RadioSet

    from bls_tui.ui.screens.confirm import ConfirmScreen
    from bls_tui.ui.screens.form import FormScreen

    await pilot.press("x")
    await pilot.pause()
    for _ in range(8):
        if app.screen.id == screen_id:
            return
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
        elif isinstance(app.screen, FormScreen):
            for radios in app.screen.query(RadioSet).results(RadioSet):
                if radios.pressed_button is None:  # a required choice: the first one
                    radios.query(RadioButton).first().value = True
            await pilot.press("ctrl+s")
        else:
            await pilot.press("x")
        await pilot.pause(0.1)


async def summary(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await after_between(pilot, app, clock)
    await end_until(pilot, app, "summary")


async def containment(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    from textual.widgets import RadioButton

    await after_between(pilot, app, clock)
    await pilot.press("x")
    await pilot.pause()
    for button in app.screen.query("#f-complete RadioButton").results(RadioButton):
        button.value = button.name == "no"
    await pilot.pause()
    await pilot.press("ctrl+s")  # save the closure here: x in its text field would be typed
    await pilot.pause()
    await end_until(pilot, app, "containment")


async def reevaluation(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    await to_phase(pilot, app, 7)
    await pilot.press("n")
    await pilot.pause()


async def dose_saved(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    from textual.widgets import Input, RadioButton

    await pilot.pause()
    app.screen.query_one("#f-amount", Input).value = "50"
    for button in app.screen.query("#f-route RadioButton").results(RadioButton):
        button.value = button.name == "sublingual"
    await pilot.press("ctrl+s")
    await pilot.pause()


STANDARD = SessionStart("C-017", planned_min=60, target_label="car crash")
KETAMINE = SessionStart("K-003", kind="ketamine", planned_min=90, target_label="the flood")
CASE = SessionStart("C-014")
"""The seeded client (a finished session on "car crash", which the plan holds as a target)."""


@dataclass(frozen=True)
class Entry:
    """How to reach one screen."""

    mode: Mode
    steps: Steps
    start: SessionStart | None = None
    seeded: bool = False
    expect: str = ""
    """The id of the screen (or dialog) it must end on."""


SCREENS: dict[str, Entry] = {
    "start-empty": Entry("start", nothing, expect="start"),
    "start-recent": Entry("start", nothing, seeded=True, expect="start"),
    "start-help": Entry("start", press("question_mark"), seeded=True, expect="help"),
    "new-session-form": Entry("new-session", nothing, expect="new-session"),
    "run-idle": Entry("run", nothing, expect="stim"),
    "run-help": Entry("run", press("question_mark"), expect="help"),
    "run-quit-confirm": Entry("run", chain(press("space"), press("q")), expect="confirm"),
    "session-idle": Entry("session", nothing, STANDARD, expect="stim"),
    "session-help": Entry("session", press("question_mark"), STANDARD, expect="help"),
    "session-note-bar": Entry("session", press("semicolon"), STANDARD, expect="stim"),
    "assessment-form": Entry("session", press("n", "n"), STANDARD, expect="assessment"),
    "between-sets-form": Entry("session", one_desens_set, STANDARD, expect="between-sets"),
    "session-after-set": Entry("session", after_between, STANDARD, expect="stim"),
    "back-to-target-form": Entry(
        "session", chain(after_between, press("r")), STANDARD, expect="back-to-target"
    ),
    "installation-form": Entry("session", installation, STANDARD, expect="installation"),
    "grounding-form": Entry("session", stopped, STANDARD, expect="grounding"),
    "body-scan-form": Entry(
        "session",
        chain(lambda p, a, c: to_phase(p, a, 6), press("e")),
        STANDARD,
        expect="body-scan",
    ),
    "closure-form": Entry("session", closure, STANDARD, expect="closure"),
    "closure-form-no-bls": Entry("session", closure_no_bls, STANDARD, expect="closure"),
    "containment-form": Entry("session", containment, STANDARD, expect="containment"),
    "session-quit-confirm": Entry("session", press("q"), STANDARD, expect="confirm"),
    "reevaluation": Entry("session", reevaluation, STANDARD, expect="reevaluation"),
    "summary": Entry("session", summary, STANDARD, expect="summary"),
    "ketamine-dose-form": Entry("session", nothing, KETAMINE, expect="dose"),
    "ketamine-idle": Entry("session", dose_saved, KETAMINE, expect="stim"),
    "ketamine-help": Entry(
        "session", chain(dose_saved, press("question_mark")), KETAMINE, expect="help"
    ),
    "ketamine-checkin-form": Entry(
        "session", chain(dose_saved, press("k")), KETAMINE, expect="checkin"
    ),
    "case-plan": Entry("case", nothing, CASE, seeded=True, expect="case"),
    "case-sessions": Entry("case", press("2"), CASE, seeded=True, expect="case"),
    "case-help": Entry("case", press("question_mark"), CASE, seeded=True, expect="help"),
    "target-form": Entry("case", press("a"), CASE, seeded=True, expect="target-form"),
    "target-status-form": Entry("case", press("r"), CASE, seeded=True, expect="target-status"),
    "measure-pick": Entry("case", press("m"), CASE, seeded=True, expect="measure-pick"),
}


def make(name: str, tmp_path: Path) -> tuple[BlsApp, FakeClock, Steps]:
    """A fresh app for ``name`` and the steps that reach that screen."""
    entry = SCREENS[name]
    db = tmp_path / "sessions.db"
    if entry.seeded:
        seed_recent(db)
    app, clock = build(db, entry.mode, entry.start)
    return app, clock, entry.steps
