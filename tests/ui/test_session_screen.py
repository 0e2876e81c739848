"""A whole scripted session through the real app (Pilot), checked against the database."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label

from bls_tui.config.appconfig import AppConfig
from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import SetState
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.screens.form import FormScreen
from bls_tui.ui.screens.session import SessionScreen
from bls_tui.ui.screens.summary import SummaryScreen

SIZE = (120, 40)


def session_app(
    clock: FakeClock, db: Path, config: AppConfig | None = None, **start: object
) -> BlsApp:
    args = {"client_code": "C-017", "planned_min": 60, "target_label": "car crash"}
    args.update(start)
    return make_app(
        RunOptions(preset=Preset()),
        clock,
        mode="session",
        session=SessionStart(**args),  # type: ignore[arg-type]
        store_opener=lambda: Store.open(db, backup=False),
        config=config,
    )


def fill(app: BlsApp, **values: str) -> None:
    for key, value in values.items():
        app.screen.query_one(f"#f-{key}", Input).value = value


async def run_set(pilot, app: BlsApp, clock: FakeClock, seconds: float) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("space")
    assert app.runtime.engine.state is SetState.RUNNING
    clock.advance(seconds)
    await pilot.pause(0.1)


async def test_scripted_session_is_recorded(tmp_path: Path) -> None:
    clock = FakeClock()
    db = tmp_path / "s.db"
    app = session_app(clock, db, AppConfig(sud_every_set=True))  # SUD after every set
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SessionScreen)
        controller = app.controller
        assert controller is not None
        assert controller.model.phase.id == "history"
        await pilot.press("n")  # preparation: the resource preset is suggested and loaded
        assert controller.model.phase.id == "preparation"
        assert app.runtime.engine.plan.speed_hz == 0.5
        await pilot.press("n")  # assessment: its form opens
        assert isinstance(app.screen, FormScreen) and app.screen.id == "assessment"
        fill(app, image="the junction", negative_cognition="I am powerless", voc="0")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FormScreen)  # VOC 0 is refused inline
        assert "VOC" in str(app.screen.query_one("#e-voc", Label).content)
        fill(app, voc="2", sud="8", positive_cognition="I can act", body_location="chest")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SessionScreen)
        clock.advance(300)
        await pilot.press("n")  # desensitisation: standard preset
        assert controller.model.phase.id == "desensitisation"
        assert (app.runtime.engine.plan.speed_hz, app.runtime.engine.plan.cycles) == (1.0, 24)
        # three sets with the between-set prompt
        for n, sud in ((1, "7"), (2, ""), (3, "4")):
            await run_set(pilot, app, clock, 24.5)
            assert app.runtime.engine.state is SetState.ENDED
            assert isinstance(app.screen, FormScreen) and app.screen.id == "between-sets"
            fill(app, note=f"noticed {n}", sud=sud)
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, SessionScreen)
        # a clinician note during a set does not stop it
        await pilot.press("space")
        clock.advance(2.0)
        await pilot.press("semicolon")
        await pilot.press(*"client sighs")
        await pilot.press("enter")
        assert app.runtime.engine.state is SetState.RUNNING
        # the stop signal: grounding instead of SUD
        clock.advance(1.3)
        await pilot.press("s")
        assert isinstance(app.screen, FormScreen) and app.screen.id == "grounding"
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)
        # back to target with SUD
        await pilot.press("r")
        fill(app, sud="3")
        await pilot.press("ctrl+s")
        # installation with VOC per set
        await pilot.press("n")
        assert app.runtime.engine.plan.speed_hz == 0.8
        await run_set(pilot, app, clock, 16)
        assert app.screen.id == "installation"
        fill(app, voc="6")
        await pilot.press("ctrl+s")
        # body scan, closure, end
        await pilot.press("n", "e")
        assert app.screen.id == "body-scan"
        fill(app, location="light in the chest")
        await pilot.press("ctrl+s")
        await pilot.press("n", "e")
        assert app.screen.id == "closure"
        fill(app, final_sud="1", final_voc="6", container="rest in the box")
        await pilot.press("ctrl+s")  # prefilled incomplete (last VOC 6): containment first
        assert app.runtime.preset.name == "resource"
        await pilot.press("x")
        assert app.screen.id == "containment"
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert isinstance(app.screen, SummaryScreen)
        session_id = controller.session_id
    with Store.open(db, backup=False) as store:
        data = store.load_session(session_id)
    assert data.session.status == "completed"
    assert data.session.closure_complete is False
    assert (data.session.final_sud, data.session.final_voc) == (1, 6)
    assert data.assessment is not None and data.assessment.voc == 2 and data.assessment.sud == 8
    assert [s.number for s in data.sets] == [1, 2, 3, 4, 5]
    assert [s.phase for s in data.sets] == ["desensitisation"] * 4 + ["installation"]
    assert [s.sweeps_delivered for s in data.sets[:3]] == [48, 48, 48]
    stopped = data.sets[3]
    assert stopped.stopped_early and stopped.stop_reason == "stop signal"
    assert stopped.sweeps_delivered == 6
    assert [s.sud for s in data.sets[:3]] == [7, None, 4]
    assert data.sets[4].voc == 6
    texts = [n.text for n in data.notes]
    assert "noticed 1" in texts and "client sighs" in texts and "rest in the box" in texts
    assert any(e.kind == "stop" for e in data.events)
    assert any(e.kind == "back_to_target" for e in data.events)
    assert {p.phase for p in data.phases} >= {
        "history",
        "preparation",
        "assessment",
        "desensitisation",
        "installation",
        "body_scan",
        "closure",
    }
    assessment_visit = next(p for p in data.phases if p.phase == "assessment")
    assert assessment_visit.seconds is not None and assessment_visit.seconds >= 300


async def test_incomplete_closure_offers_calm_place(tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db")
    async with app.run_test(size=SIZE) as pilot:
        assert app.controller is not None
        app.screen.go_to_phase("closure")  # type: ignore[attr-defined]
        await pilot.press("e")
        await pilot.press("down", "down")  # radio: no choice made for you; choose incomplete
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        assert app.runtime.preset.name == "resource"


async def test_quit_keeps_session_interrupted_and_resumable(tmp_path: Path) -> None:
    clock = FakeClock()
    db = tmp_path / "s.db"
    app = session_app(clock, db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "escape", "n")
        await run_set(pilot, app, clock, 25)
        await pilot.press("escape")
        assert app.controller is not None
        session_id = app.controller.session_id
        await pilot.press("q", "y")
        await pilot.pause()
    with Store.open(db, backup=False) as store:
        assert store.load_session(session_id).session.status == "interrupted"
    clock2 = FakeClock()
    app2 = session_app(clock2, db, client_code="", resume_id=0)
    async with app2.run_test(size=SIZE) as pilot:
        assert isinstance(app2.screen, SessionScreen)
        assert app2.controller is not None
        assert app2.controller.session_id == session_id
        assert app2.controller.model.phase.id == "desensitisation"
        await run_set(pilot, app2, clock2, 25)
        assert app2.controller.last_set_number == 2


async def test_client_with_history_starts_at_reevaluation(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store.open(db, backup=False) as store:
        sid = store.create_session("C-017", "standard", 60, target_label="dog bite")
        store.add_rating(sid, "sud", 3, context="closure")
        store.finish_session(sid, closure_complete=False, final_sud=3, final_voc=5)
    app = session_app(FakeClock(), db)
    async with app.run_test(size=SIZE) as pilot:
        assert app.controller is not None
        assert app.controller.model.phase.id == "reevaluation"
        await pilot.pause()
        assert app.screen.id == "reevaluation"  # the plan opens by itself at phase 8
        await pilot.pause()
        from bls_tui.ui.widgets.target_table import TargetTable

        plan = app.screen.query_one(TargetTable)
        row = [str(c) for c in plan.get_row_at(0)]
        assert row[2:7] == ["dog bite", "in progress", "1", "3", "5"]  # the plan, from the records
        await pilot.press("r")  # reevaluate: its status, with the reason
        await pilot.pause()
        assert app.screen.id == "target-status"
        from textual.widgets import Input, RadioSet

        for button in app.screen.query_one("#f-status", RadioSet).query("RadioButton"):
            button.value = button.name == "deferred"  # type: ignore[attr-defined]
        app.screen.query_one("#f-reason", Input).value = "client wants to work the flood first"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.id == "reevaluation"
    with Store.open(db, backup=False) as store:
        target = store.targets("C-017")[0]
        assert target.status == "deferred"
        assert target.changes[-1].session_id == app.controller.session_id


async def test_bad_rating_text_never_crashes(tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db", AppConfig(sud_every_set=True))
    async with app.run_test(size=SIZE) as pilot:
        app.screen.go_to_phase("desensitisation")  # type: ignore[attr-defined]
        await run_set(pilot, app, clock, 25)
        for bad in ("11", "-1", "abc", "5.5", "9" * 400, "１０"):
            fill(app, sud=bad)
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, FormScreen)
            assert str(app.screen.query_one("#e-sud", Label).content)
        fill(app, sud="10")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SessionScreen)
