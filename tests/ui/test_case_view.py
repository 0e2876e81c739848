"""The case view and the target plan, driven by keys (Pilot)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, RadioSet, Static, TabbedContent

from bls_tui.config.appconfig import AppConfig
from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.screens.case import CaseScreen
from bls_tui.ui.screens.session import SessionScreen
from bls_tui.ui.widgets.target_table import TargetTable

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)


def wall() -> datetime:
    return NOW


def case_app(db: Path, code: str = "C-1", config: AppConfig | None = None) -> BlsApp:
    return make_app(
        RunOptions(preset=Preset()),
        FakeClock(),
        mode="case",
        session=SessionStart(code),
        store_opener=lambda: Store.open(db, backup=False, wall=wall),
        wall=wall,
        config=config,
    )


def seeded(db: Path) -> dict[str, int]:
    """Client C-1: a past target worked in two sessions, a present trigger, a dose."""
    ids: dict[str, int] = {}
    with Store.open(db, backup=False, wall=wall) as store:
        ids["past"] = store.add_target(
            "C-1", "car crash", prong="past", negative_cognition="I am unsafe"
        )
        ids["present"] = store.add_target(
            "C-1", "horns", prong="present", touchstone_id=ids["past"]
        )
        start = (NOW - timedelta(days=2)).isoformat()
        first = store.create_session("C-1", "standard", 60, target_id=ids["past"], started_at=start)
        store.add_rating(first, "sud", 6, context="back_to_target")
        store.finish_session(first, closure_complete=True, final_sud=3, final_voc=5)
        ids["dose"] = store.create_session("C-1", "ketamine", 120, started_at=start)
        store.save_medicine(
            ids["dose"],
            route="im",
            dose_amount=35,
            dose_unit="mg",
            dosed_at=(NOW - timedelta(hours=27)).isoformat(),
            screening={},
        )
    return ids


def texts(app: BlsApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_case_shows_plan_sessions_and_doses(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ids = seeded(db)
    app = case_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        plan = rows(app.screen.query_one(TargetTable))
        assert [r[:4] for r in plan] == [
            [str(ids["past"]), "past memory", "car crash", "in progress"],
            [str(ids["present"]), "present trigger", "horns", "planned"],
        ]
        assert plan[0][5:7] == ["3", "5"]  # latest SUD / VOC from the session that worked it
        await pilot.press("2")
        assert app.screen.query_one(TabbedContent).active == "tab-sessions"
        sessions = rows(app.screen.query_one("#case-sessions", DataTable))
        assert [r[2] for r in sessions] == ["ketamine (active)", "EMDR"]
        assert sessions[1][6] == "6→3"
        await pilot.press("4")
        doses = rows(app.screen.query_one("#case-doses", DataTable))
        assert doses[0][0] == str(ids["dose"]) and doses[0][4] == "day 2 after dose (T+27 h)"
        assert "Client C-1" in texts(app) and "2 targets" in texts(app)


async def test_add_a_future_template_and_reevaluate_with_a_reason(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ids = seeded(db)
    app = case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#f-label", Input).value = "job interview"
        app.screen.query_one("#f-pc", Input).value = "I can handle it"
        radio = app.screen.query_one("#f-prong", RadioSet)
        for button in radio.query("RadioButton"):
            button.value = button.name == "future"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        with Store.open(db, backup=False) as store:
            future = [t for t in store.targets("C-1") if t.prong == "future"]
        assert [(t.label, t.positive_cognition, t.status) for t in future] == [
            ("job interview", "I can handle it", "planned")
        ]
        # reevaluate the past target: completed without SUD 0 / VOC 7 asks for the reason
        table = app.screen.query_one(TargetTable)
        table.move_cursor(row=0)
        await pilot.press("r")
        await pilot.pause()
        shown = texts(app)
        assert "SUD 3 (not 0)" in shown and "VOC 5 (not 7)" in shown
        for button in app.screen.query_one("#f-status", RadioSet).query("RadioButton"):
            button.value = button.name == "completed"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.id == "target-status"  # asked again: no reason given
        assert app.screen.query_one("#f-status", RadioSet).pressed_button.name == "completed"  # type: ignore[union-attr]
        app.screen.query_one("#f-reason", Input).value = "ecological: the court case is open"
        await pilot.press("ctrl+s")
        await pilot.pause()
        with Store.open(db, backup=False) as store:
            done = store.target(ids["past"])
        assert done.status == "completed"
        assert done.changes[-1].reason == "ecological: the court case is open"
        assert done.changes[-1].at.startswith("2026-12-03T10:00")  # the injected clock


async def test_archive_keeps_the_target_and_its_sessions(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ids = seeded(db)
    app = case_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(TargetTable).move_cursor(row=0)
        await pilot.press("z")
        await pilot.pause()
        plan = rows(app.screen.query_one(TargetTable))
        assert plan[0][3] == "in progress (archived)"
    with Store.open(db, backup=False) as store:
        assert store.target(ids["past"]).archived_at is not None
        assert [t.id for t in store.targets("C-1")] == [ids["present"]]


async def test_a_session_starts_on_the_chosen_target(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ids = seeded(db)
    app = case_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(TargetTable).move_cursor(row=1)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query_one("#f-target", Input).value == "horns"
        assert app.screen.query_one("#f-client", Input).value == "C-1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        if app.screen.id == "reevaluation":  # a returning client: the plan opened first
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        sid = app.screen.controller.session_id
        await pilot.press("x")  # end the session: closure form, then the summary
        await pilot.pause()
        for button in app.screen.query_one("#f-complete", RadioSet).query("RadioButton"):
            button.value = button.name == "yes"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        if app.screen.id != "summary":  # containment first when closure was incomplete
            await pilot.press("ctrl+s")
            await pilot.pause()
        await pilot.press("q")  # the summary closes back to the case view, read again
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert "3 sessions" in texts(app)
    with Store.open(db, backup=False) as store:
        assert store.load_session(sid).session.target_id == ids["present"]
        assert store.target(ids["present"]).status == "in_progress"


async def test_an_integration_session_after_the_dose_shows_the_day(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ids = seeded(db)
    app = case_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert app.screen.query_one("#f-after_dose", Input).value == str(ids["dose"])
        await pilot.press("ctrl+s")
        await pilot.pause()
        if app.screen.id == "reevaluation":  # a returning client: the plan opened first
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        app.screen.clock_tick()
        await pilot.pause()
        assert "day 2 after dose (T+27 h)" in texts(app)
        sid = app.screen.controller.session_id
    with Store.open(db, backup=False) as store:
        info = store.load_session(sid).session
        assert (info.kind, info.linked_dose_session_id) == ("integration", ids["dose"])
        assert store.load_session(sid).medicine is None


async def test_an_integration_session_without_its_dose_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    seeded(db)
    app = case_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#f-after_dose", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.id == "new-session"  # asked again, nothing recorded
    with Store.open(db, backup=False) as store:
        assert sorted(s.kind for s in store.list_sessions("C-1")) == ["ketamine", "standard"]


async def test_a_future_template_has_its_own_prompts_and_run_through(tmp_path: Path) -> None:
    from bls_tui.records.words import event_in_words
    from bls_tui.stimulus.engine import SetState
    from bls_tui.ui.screens.form import FormScreen

    db = tmp_path / "s.db"
    with Store.open(db, backup=False, wall=wall) as store:
        future = store.add_target(
            "C-1", "job interview", prong="future", positive_cognition="I can"
        )
    clock = FakeClock()
    app = make_app(
        RunOptions(preset=Preset()),
        clock,
        mode="session",
        session=SessionStart("C-1", target_id=future),
        store_opener=lambda: Store.open(db, backup=False, wall=wall),
        wall=wall,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        screen.go_to_phase("assessment")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        shown = texts(app) + "\n".join(str(w.render()) for w in app.screen.query("Label"))
        assert "future template" in shown and "Future situation" in shown
        app.screen.query_one("#f-image", Input).value = "walking into the interview room"
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen.go_to_phase("installation")
        await pilot.pause()
        await pilot.press("space")
        assert app.runtime.engine.state is SetState.RUNNING
        clock.advance(60)
        await pilot.pause(0.1)
        await pilot.pause()
        assert app.screen.id == "installation"
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "run the situation through like a short film" in shown
        assert "Future situation: walking into the interview room" in shown
        app.screen.query_one("#f-voc", Input).value = "6"
        app.screen.query_one("#f-run_through").value = True  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        sid = screen.controller.session_id
        screen.controller.flush(2.0)
    with Store.open(db, backup=False) as store:
        data = store.load_session(sid)
    runs = [e for e in data.events if e.kind == "run_through"]
    assert len(runs) == 1 and runs[0].detail["voc"] == 6
    assert event_in_words("run_through", runs[0].detail, str).startswith(
        "Future template run-through"
    )
    assert [(r.kind, r.value, r.context) for r in data.ratings] == [("voc", 6, "installation")]


async def test_phase_3_starts_from_the_plans_beliefs_and_fills_the_plan(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store.open(db, backup=False, wall=wall) as store:
        known = store.add_target("C-1", "car crash", prong="past", negative_cognition="I am weak")
        blank = store.add_target("C-1", "storm", prong="past")
    for target, expect_nc in ((known, "I am weak"), (blank, "")):
        app = make_app(
            RunOptions(preset=Preset()),
            FakeClock(),
            mode="session",
            session=SessionStart("C-1", target_id=target),
            store_opener=lambda: Store.open(db, backup=False, wall=wall),
            wall=wall,
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            if app.screen.id == "reevaluation":  # the second client session starts at phase 8
                await pilot.press("escape")
                await pilot.pause()
            app.screen.go_to_phase("assessment")  # type: ignore[attr-defined]
            await pilot.pause()
            assert app.screen.query_one("#f-negative_cognition", Input).value == expect_nc
            app.screen.query_one("#f-positive_cognition", Input).value = "I can cope"
            if not expect_nc:
                app.screen.query_one("#f-negative_cognition", Input).value = "I am in danger"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.controller is not None
            app.controller.flush(2.0)
    with Store.open(db, backup=False) as store:
        first, second = store.target(known), store.target(blank)
    assert (first.negative_cognition, first.positive_cognition) == ("I am weak", "I can cope")
    assert (second.negative_cognition, second.positive_cognition) == (
        "I am in danger",
        "I can cope",
    )


async def test_arrows_move_in_the_table_of_the_tab_shown(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ids = seeded(db)
    app = case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2", "1", "down")
        await pilot.pause()
        table = app.screen.query_one(TargetTable)
        assert app.focused is table
        assert table.chosen is not None and table.chosen.id == ids["present"]


async def test_a_session_opens_from_the_case_and_comes_back(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    seeded(db)
    app = case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o")  # not on the Sessions tab: says how
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("2", "down", "o")
        await pilot.pause()
        assert app.screen.id == "summary"
        assert "Session 1 · client C-1" in texts(app)  # the highlighted row (newest first)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)


async def test_measures_tab_lists_and_plots_them(tmp_path: Path) -> None:
    from textual_plotext import PlotextPlot

    from bls_tui.measures.builtin import BUILTINS

    db = tmp_path / "s.db"
    seeded(db)
    with Store.open(db, backup=False, wall=wall) as store:
        store.save_measure("C-1", BUILTINS["phq9"], [2, 2, 2, 1, 1, 1, 1, 1, 0])
    app = case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        rows_ = rows(app.screen.query_one("#case-measures", DataTable))
        assert rows_[0][2:4] == ["PHQ-9", "11 (of 0-27), moderate"]
        plot = app.screen.query_one("#case-measure-plot", PlotextPlot)
        assert plot.display and plot.size.height >= 8


async def test_a_measure_in_session_is_linked_to_it_and_never_in_client_view(
    tmp_path: Path,
) -> None:
    db = tmp_path / "s.db"
    app = make_app(
        RunOptions(preset=Preset()),
        FakeClock(),
        mode="session",
        session=SessionStart("C-9"),
        store_opener=lambda: Store.open(db, backup=False, wall=wall),
        wall=wall,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f")  # client view: only the dot
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.screen.client_view
        await pilot.press("f", "M")
        await pilot.pause()
        assert app.screen.id == "measure-pick"
        await pilot.press("enter")  # PCL-5
        await pilot.pause()
        await pilot.press(*"1" * 20)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.controller is not None
        sid = app.controller.session_id
    with Store.open(db, backup=False) as store:
        [measure] = store.list_measures("C-9")
    assert (measure.session_id, measure.total, measure.finished) == (sid, 20.0, True)
