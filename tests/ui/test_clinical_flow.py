"""The session flow from the therapist's side: closure, containment, markers, phases, ratings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from bls_tui.config.appconfig import AppConfig
from bls_tui.config.presets import Preset
from bls_tui.records.export import export_session
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import SetState
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.screens.session import SessionScreen
from bls_tui.ui.screens.summary import SummaryScreen

SIZE = (120, 40)


def session_app(
    clock: FakeClock, db: Path, config: AppConfig | None = None, **start: Any
) -> BlsApp:
    args: dict[str, Any] = {"client_code": "C-017", "planned_min": 60, "target_label": "crash"}
    args.update(start)
    return make_app(
        RunOptions(preset=Preset()),
        clock,
        mode="session",
        session=SessionStart(**args),
        store_opener=lambda: Store.open(db, backup=False),
        config=config,
    )


def fill(app: BlsApp, **values: str) -> None:
    for key, value in values.items():
        app.screen.query_one(f"#f-{key}", Input).value = value


def chosen(app: BlsApp, field: str) -> str | None:
    button = app.screen.query_one(f"#f-{field}", RadioSet).pressed_button
    return None if button is None else button.name


def text_of(widget: Any) -> str:
    console = Console(width=200, record=True)
    console.print(widget.render())
    return console.export_text()


def screen_text(app: BlsApp) -> str:
    return "\n".join(text_of(w) for w in app.screen.query(Static))


async def run_set(pilot: Any, app: BlsApp, clock: FakeClock, seconds: float = 25.0) -> None:
    await pilot.press("space")
    assert app.runtime.engine.state is SetState.RUNNING
    clock.advance(seconds)
    await pilot.pause(0.1)
    await pilot.pause()  # the prompt that opened is composed before the test looks at it


def session_data(db: Path, session_id: int) -> Any:
    with Store.open(db, backup=False) as store:
        return store.load_session(session_id)


async def test_x_with_sud_6_leads_into_containment_and_summary_waits(tmp_path: Path) -> None:
    clock = FakeClock()
    db = tmp_path / "s.db"
    app = session_app(clock, db, AppConfig(crisis_line="Clinic line 0000 (weekdays)"))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        screen.go_to_phase("desensitisation")
        await run_set(pilot, app, clock)
        await pilot.press("escape")  # skip the between-set note
        await pilot.press("r")  # back to target: SUD 6
        fill(app, sud="6")
        await pilot.press("ctrl+s")
        await pilot.press("x")
        # the closure form: prefilled INCOMPLETE, with the reason, and the whole closure text
        assert app.screen.id == "closure"
        assert chosen(app, "complete") == "no"
        text = screen_text(app)
        assert "Prefilled INCOMPLETE because of: last SUD 6 (above 0)" in text
        assert "jot it down" in text  # complete: keep a log
        assert "calm place" in text and "container" in text  # incomplete: containment lines
        assert "Clinic line 0000 (weekdays)" in text
        assert "does not contact or notify anyone" in text
        assert app.screen.query_one("#f-final_sud", Input).value == "6"  # the last SUD
        await pilot.press("ctrl+s")
        # containment: calm-place preset (slow, short), steps on screen, NO summary yet
        assert app.screen is screen
        assert app.runtime.preset.name == "resource"
        assert (app.runtime.engine.plan.speed_hz, app.runtime.engine.plan.cycles) == (0.5, 6)
        assert screen.controller.model.phase.id == "closure"
        assert "containment" in screen.notice_text and "calm place" in screen.notice_text
        await run_set(pilot, app, clock, 13.0)  # a slow, short calm-place set
        assert app.runtime.engine.state is SetState.ENDED
        assert app.screen is screen  # no protocol prompt after a calm-place set
        await pilot.press("x")
        assert app.screen.id == "containment"
        await pilot.press("escape")  # not yet: back to the session, still no summary
        assert app.screen is screen
        await pilot.press("x")
        fill(app, debrief_note="settled, knows the log")
        app.screen.query_one("#f-calm_place").value = True  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert isinstance(app.screen, SummaryScreen)
        session_id = screen.controller.session_id
    data = session_data(db, session_id)
    assert data.session.status == "completed" and data.session.closure_complete is False
    assert data.session.final_sud == 6
    kinds = [e.kind for e in data.events]
    assert kinds.index("containment_started") < kinds.index("containment_done")
    done = next(e for e in data.events if e.kind == "containment_done")
    assert done.detail["calm_place"] is True and done.detail["container"] is False
    assert [s.phase for s in data.sets] == ["desensitisation", "closure"]
    assert any(n.text == "debrief: settled, knows the log" for n in data.notes)


async def one_set(pilot: Any, app: BlsApp, clock: FakeClock) -> None:
    """A set, so the closure asks about processing (a session with none is asked how it
    closes instead: tests/ui/test_closure_no_sets_ui.py)."""
    screen = app.screen
    await run_set(pilot, app, clock)
    if app.screen is not screen:
        await pilot.press("escape")  # the between-sets prompt, unanswered
    assert app.runtime.engine.state is SetState.ENDED and app.screen is screen


async def test_closure_without_data_chooses_nothing_and_asks(tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db")
    async with app.run_test(size=SIZE) as pilot:
        await one_set(pilot, app, clock)
        await pilot.press("x")
        assert app.screen.id == "closure"
        assert chosen(app, "complete") is None  # no default
        assert "Not prefilled: no SUD, VOC, body scan recorded" in screen_text(app)
        await pilot.press("enter")  # an accidental enter records nothing
        await pilot.press("ctrl+s")
        assert app.screen.id == "closure"
        assert "choose complete or incomplete" in str(
            app.screen.query_one("#e-complete", Label).content
        )
        for button in app.screen.query(RadioButton).results(RadioButton):
            if button.name == "yes":
                button.value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert isinstance(app.screen, SummaryScreen)  # complete: summary at once


async def test_complete_data_prefills_complete(tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db")
    async with app.run_test(size=SIZE) as pilot:
        controller = app.controller
        assert controller is not None
        await one_set(pilot, app, clock)
        controller.rating("sud", 0, "back_to_target")
        controller.rating("voc", 7, "installation")
        controller.event("body_scan", outcome="clear")
        await pilot.press("x")
        assert chosen(app, "complete") == "yes"
        assert "Prefilled COMPLETE: last SUD 0, last VOC 7, body scan clear" in screen_text(app)


async def test_risk_reviewed_is_recorded_and_exported(tmp_path: Path) -> None:
    clock = FakeClock()
    db = tmp_path / "s.db"
    app = session_app(clock, db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        for button in app.screen.query(RadioButton).results(RadioButton):
            if button.name in ("yes", "not_needed"):
                button.value = True
        await pilot.pause()
        fill(app, risk_note="no current thoughts, plan reviewed")
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert app.controller is not None
        session_id = app.controller.session_id
    data = session_data(db, session_id)
    risk = next(e for e in data.events if e.kind == "risk_reviewed")
    assert risk.detail == {"answer": "not_needed", "note": "no current thoughts, plan reviewed"}
    assert "Risk reviewed at" in export_session(data, "md")


async def test_markers_do_not_stop_the_set_and_reach_the_export(tmp_path: Path) -> None:
    clock = FakeClock()
    db = tmp_path / "s.db"
    app = session_app(clock, db)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        screen.go_to_phase("desensitisation")
        await pilot.press("space")
        clock.advance(3.0)
        await pilot.press("a")  # abreaction
        await pilot.press("w")  # looping / blocked
        await pilot.press("i")  # interweave with a short text
        await pilot.press(*"safe now?")
        await pilot.press("enter")
        assert app.runtime.engine.state is SetState.RUNNING  # the set went on throughout
        clock.advance(25.0)
        await pilot.pause(0.1)
        session_id = screen.controller.session_id
        screen.controller.flush()
        assert app.store is not None
        app.push_screen(SummaryScreen(app.store, session_id))
        await pilot.pause(0.1)
        shown = str(app.screen.query_one("#summary-markers", Static).render())
        assert "abreaction" in shown and "looping / blocked" in shown
        assert "cognitive interweave (safe now?)" in shown
    data = session_data(db, session_id)
    markers = [e.detail for e in data.events if e.kind == "marker"]
    assert [m["marker"] for m in markers] == ["abreaction", "looping", "interweave"]
    assert markers[2]["text"] == "safe now?" and all(m["set"] == 1 for m in markers)
    md = export_session(data, "md")
    assert md.count("Marker at") == 3 and "cognitive interweave, text: safe now?" in md


async def test_sud_cue_when_it_has_not_moved(tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db", AppConfig(stuck_after=3))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        screen.go_to_phase("desensitisation")
        for _ in range(3):
            await pilot.press("r")
            fill(app, sud="5")
            await pilot.press("ctrl+s")
        assert "SUD has stayed at 5 over the last 3 checkpoints" in screen.notice_text


async def test_between_sets_go_with_that_and_no_sud_by_default(tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.go_to_phase("desensitisation")  # type: ignore[attr-defined]
        await run_set(pilot, app, clock)
        assert app.screen.id == "between-sets"
        assert not app.screen.query("#f-sud")
        assert "Go with that." in screen_text(app)


async def test_assessment_scale_anchors_are_whole(tmp_path: Path) -> None:
    app = session_app(FakeClock(), tmp_path / "s.db")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.go_to_phase("assessment")  # type: ignore[attr-defined]
        await pilot.pause()
        labels = " ".join(str(lbl.content) for lbl in app.screen.query(Label))
        assert "7 (completely true)" in labels
        assert "10 (the worst you can imagine)" in labels


async def test_target_and_beliefs_stay_on_screen_in_installation(tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        screen.controller.save_assessment(
            image="the junction",
            negative_cognition="I am powerless",
            positive_cognition="I can act",
            body_location="chest",
        )
        screen.go_to_phase("desensitisation")
        # phase 4 opens with the client's own image, NC and body location as a reminder
        assert "the junction" in screen.notice_text and "chest" in screen.notice_text
        screen.go_to_phase("installation")
        await run_set(pilot, app, clock, 16.0)
        assert app.screen.id == "installation"
        text = screen_text(app)
        assert "I can act" in text and "the junction" in text and "I am powerless" in text
        fill(app, voc="5")
        await pilot.press("ctrl+s")
        await run_set(pilot, app, clock, 16.0)
        fill(app, voc="5")
        await pilot.press("ctrl+s")
        assert "blocking belief" in screen.notice_text  # VOC stays below 7


async def test_body_scan_has_no_default_choice(tmp_path: Path) -> None:
    clock = FakeClock()
    db = tmp_path / "s.db"
    app = session_app(clock, db)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.go_to_phase("body_scan")  # type: ignore[attr-defined]
        await run_set(pilot, app, clock)
        assert app.screen.id == "body-scan"
        assert chosen(app, "outcome") is None
        await pilot.press("ctrl+s")  # an accidental save records no outcome
        assert app.controller is not None
        session_id = app.controller.session_id
    data = session_data(db, session_id)
    assert not any(e.kind == "body_scan" for e in data.events)
    assert not any("clear" in n.text for n in data.notes)


async def test_reevaluation_first_then_jump_without_empty_visits(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store.open(db, backup=False) as store:
        earlier = store.create_session("C-017", "standard", 60, target_label="dog bite")
        store.finish_session(earlier, closure_complete=False, final_sud=3, final_voc=5)
    clock = FakeClock()
    app = session_app(clock, db)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.id == "reevaluation"  # the plan opens by itself at phase 8
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.controller.model.phase.id == "reevaluation"
        await pilot.press("r")  # in phase 8: the reevaluation rating, not "back to target"
        assert app.screen.id == "reevaluation-rating"
        fill(app, note="dog bite", sud="2", voc="6")
        await pilot.press("ctrl+s")
        clock.advance(120)
        await pilot.press("g")
        fill(app, phase="4")
        await pilot.press("ctrl+s")
        assert screen.controller.model.phase.id == "desensitisation"
        session_id = screen.controller.session_id
    data = session_data(db, session_id)
    assert [p.phase for p in data.phases] == ["reevaluation", "desensitisation"]
    contexts = {(r.kind, r.context) for r in data.ratings}
    assert contexts == {("sud", "reevaluation"), ("voc", "reevaluation")}
    assert not any(e.kind == "back_to_target" for e in data.events)


async def test_presence_check_after_a_stop_in_a_standard_session(tmp_path: Path) -> None:
    clock = FakeClock()
    app = session_app(clock, tmp_path / "s.db")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.go_to_phase("desensitisation")  # type: ignore[attr-defined]
        await pilot.press("space")
        clock.advance(2.0)
        await pilot.press("s")
        assert app.screen.id == "grounding"
        assert app.screen.query("#f-presence")


async def test_observation_dialog_text_wraps_at_120_and_80_columns(tmp_path: Path) -> None:
    from bls_tui.ui.screens.confirm import ConfirmScreen

    question = "The observation period has not ended (1:59:00 left). Confirm ready to leave anyway?"
    for size in ((120, 40), (80, 24)):
        app = session_app(FakeClock(), tmp_path / f"s{size[0]}.db")
        async with app.run_test(size=size) as pilot:
            app.push_screen(ConfirmScreen(question))
            await pilot.pause()
            label = app.screen.query_one("#confirm-question", Label)
            assert label.size.width >= 40
            lines = label.render_lines(label.region.reset_offset)
            shown = " ".join("".join(s.text for s in line).strip() for line in lines)
            assert "Confirm ready to leave anyway?" in " ".join(shown.split())
