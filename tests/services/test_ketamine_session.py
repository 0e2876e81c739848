"""A scripted ketamine-assisted session through the real app: dose, check-ins, gentle sets."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.widgets import Input, Label, RadioButton, Static

from bls_tui.config.appconfig import AppConfig
from bls_tui.config.presets import Preset
from bls_tui.records.export import export_session, import_json
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import SetState
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.screens.confirm import ConfirmScreen
from bls_tui.ui.screens.form import FormScreen
from bls_tui.ui.screens.session import SessionScreen
from bls_tui.ui.widgets.keyfooter import KeyFooter
from bls_tui.ui.widgets.phasebar import PhaseBar

SIZE = (120, 40)


class Wall:
    """A wall clock that moves with the fake monotonic clock."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.origin = datetime(2026, 11, 20, 23, 50, tzinfo=timezone.utc)
        self.t0 = clock.now()

    def __call__(self) -> datetime:
        return self.origin + timedelta(seconds=self.clock.now() - self.t0)


def fill(app: BlsApp, **values: str) -> None:
    for key, value in values.items():
        app.screen.query_one(f"#f-{key}", Input).value = value


def choose(app: BlsApp, field: str, value: str) -> None:
    for button in app.screen.query(f"#f-{field} RadioButton").results(RadioButton):
        if button.name == value:
            button.value = True


async def test_scripted_ketamine_session(tmp_path: Path) -> None:
    clock = FakeClock()
    wall = Wall(clock)
    db = tmp_path / "k.db"
    app = make_app(
        RunOptions(preset=Preset()),
        clock,
        mode="session",
        session=SessionStart("K-9", kind="ketamine", planned_min=90, target_label="flood"),
        store_opener=lambda: Store.open(db, backup=False, wall=wall),
        wall=wall,
        config=AppConfig(crisis_line="Clinic duty phone (see the client's care plan)"),
    )
    async with app.run_test(size=SIZE) as pilot:
        # the dosing form opens first; no route is chosen for the clinician
        assert isinstance(app.screen, FormScreen) and app.screen.id == "dose"
        fill(app, amount="56", dosed="20 min ago", provider="Dr A (prescriber)")
        fill(app, screen_aneurysm_avm="a no history", screen_suicide_risk="a")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FormScreen)  # refused: no route yet
        assert "route" in str(app.screen.query_one("#e-route", Label).content)
        choose(app, "route", "sublingual")
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SessionScreen)
        panel = app.screen.ketamine
        assert panel.clock is not None
        # the footer follows at once: check-in and observation now, no second dosing record
        footer = " ".join(app.screen.query_one(KeyFooter).plain_rows())
        assert "k Check-in" in footer and "o " in footer and "d Dose" not in footer, footer
        clock.advance(1.0)
        app.screen.clock_tick()
        bar = str(app.screen.query_one(PhaseBar).content)
        # the medicine clock, across midnight; no band and no observation length are made up
        assert "T+0:20 h:mm" in bar and "observation until you confirm" in bar
        assert "peak" not in bar and "onset" not in bar
        assert "h:mm Sublingual lozenge" in bar  # the route in words, not its id
        # gentle presets wherever BLS is used
        app.screen.go_to_phase("desensitisation")
        assert app.runtime.preset.name == "gentle"
        # check-in by key (the clinician's call), with a high BP that is highlighted
        await pilot.press("k")
        fill(app, bp="152/96", hr="88", spo2="97", presence="8")
        await pilot.press("ctrl+s")
        notice = str(app.screen.query_one("#notice", Static).content)
        assert "BP 152/96 above 140/90" in notice
        said = str(app.screen.query_one("#message", Static).content)
        assert said == "check-in saved: BP 152/96 · HR 88 · SpO2 97 % · presence 8 (numeric)", said
        # gentle sets: the protocol's between-set prompt, not the vitals form
        for n in (1, 2):
            await pilot.press("space")
            assert app.runtime.engine.plan.speed_hz == 0.6
            clock.advance(8 / 0.6 + 0.5)
            await pilot.pause(0.1)
            assert app.runtime.engine.state is SetState.ENDED
            assert isinstance(app.screen, FormScreen) and app.screen.id == "between-sets"
            fill(app, note=f"waves {n}")
            await pilot.press("ctrl+s")
        await pilot.press("r")  # back to target: the SUD
        fill(app, sud="1")
        await pilot.press("ctrl+s")
        # installation: the VOC after the set, as in a standard session
        app.screen.go_to_phase("installation")
        await pilot.press("space")
        clock.advance(8 / 0.6 + 0.5)
        await pilot.pause(0.1)
        assert isinstance(app.screen, FormScreen) and app.screen.id == "installation"
        fill(app, voc="6")
        await pilot.press("ctrl+s")
        # body scan after a set
        app.screen.go_to_phase("body_scan")
        await pilot.press("space")
        clock.advance(8 / 0.6 + 0.5)
        await pilot.pause(0.1)
        assert isinstance(app.screen, FormScreen) and app.screen.id == "body-scan"
        choose(app, "outcome", "clear")
        await pilot.pause()
        fill(app, location="calm")
        await pilot.press("ctrl+s")
        # end: closure (prefilled incomplete, VOC 6), containment, then the discharge check
        await pilot.press("x")
        assert app.screen.id == "closure"
        await pilot.press("ctrl+s")
        await pilot.press("x")
        assert app.screen.id == "containment"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # observation not confirmed: asks first
        question = app.screen.question
        assert "Observation not confirmed" in question and "No driving" in question
        assert "Clinic duty phone" in question
        await pilot.press("y")
        await pilot.pause(0.1)
        session_id = app.controller.session_id if app.controller else 0
    with Store.open(db, backup=False) as store:
        data = store.load_session(session_id)
    assert data.session.kind == "ketamine" and data.session.status == "completed"
    assert data.medicine is not None
    assert (data.medicine.route, data.medicine.dose_amount, data.medicine.dose_unit) == (
        "sublingual",
        56.0,
        "mg",
    )
    assert data.medicine.observation_min == 0  # nothing set for this route: none invented
    assert data.medicine.screening["aneurysm_avm"] == {
        "reviewed": True,
        "finding": "absent",
        "note": "no history",
    }
    assert data.medicine.screening["pregnancy"]["reviewed"] is False
    assert len(data.checkins) == 1
    assert data.checkins[0].systolic == 152 and data.checkins[0].flags
    assert len(data.sets) == 4 and all(s.speed_hz == 0.6 for s in data.sets)
    assert [s.phase for s in data.sets] == ["desensitisation"] * 2 + ["installation", "body_scan"]
    assert data.sets[2].voc == 6
    assert any(e.kind == "body_scan" and e.detail["outcome"] == "clear" for e in data.events)
    assert any(e.kind == "ended_without_observation_confirmed" for e in data.events)
    assert data.session.closure_complete is False
    md = export_session(data, "md")
    assert "152/96" in md and "sublingual" in md.lower()
    assert "arteriovenous malformation (AVM): reviewed, absent (no history)" in md  # words, not ids
    assert "no period set" in md
    assert import_json(export_session(data, "json")) == data


def test_linked_medicine_session_shows_hours_and_days(tmp_path: Path) -> None:
    from bls_tui.config.appconfig import AppConfig
    from bls_tui.services.ketamine_session import DoseEntry, KetamineClock

    now = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)
    db = tmp_path / "l.db"
    with Store.open(db, backup=False, wall=lambda: now) as store:
        earlier = store.create_session("K-9", "ketamine", 60)
        store.save_medicine(
            earlier,
            route="im",
            dose_amount=50,
            dose_unit="mg",
            dosed_at="2026-11-19T22:00:00+00:00",
        )
        sid = store.create_session("K-9", "ketamine", 60)
        entry = DoseEntry("other", "1", "other", now, linked_session_id=earlier)
        clock = KetamineClock.start(store, sid, entry, AppConfig(), lambda: now)
        assert clock.linked_text == f"linked #{earlier}: day 2 after dose (T+36 h)"
        assert clock.linked_text in clock.header()
        for window_h, word in ((24, "past window"), (48, "within window")):
            config = AppConfig(integration_window_h=window_h)
            windowed = KetamineClock(store, sid, clock.medicine, config, lambda: now)
            assert windowed.linked_text == f"linked #{earlier}: day 2 after dose (T+36 h); {word}"
