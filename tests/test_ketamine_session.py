"""A scripted ketamine-assisted session through the real app: dose, check-ins, gentle sets."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.widgets import Checkbox, Input, Static

from bls_tui.core.clock import FakeClock
from bls_tui.core.engine import SetState
from bls_tui.core.export import export_session, import_json
from bls_tui.core.presets import Preset
from bls_tui.core.records import Store
from bls_tui.runtime import RunOptions
from bls_tui.session import SessionStart
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.screens.form import FormScreen
from bls_tui.ui.screens.session import SessionScreen
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
    )
    async with app.run_test(size=SIZE) as pilot:
        # the dosing form opens first
        assert isinstance(app.screen, FormScreen) and app.screen.id == "dose"
        fill(app, amount="56", dosed="20 min ago", provider="Dr A (prescriber)")
        app.screen.query_one("#f-screen_aneurysm_avm", Checkbox).value = True
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SessionScreen)
        panel = app.screen.ketamine
        assert panel.clock is not None
        clock.advance(1.0)
        app.screen.clock_tick()
        bar = str(app.screen.query_one(PhaseBar).content)
        assert "T+0:20 h:mm" in bar and "observation" in bar  # the medicine clock, across midnight
        # gentle presets wherever BLS is used
        app.screen.go_to_phase("desensitisation")
        assert app.runtime.preset.name == "gentle"
        # check-in 1 by key, with a high BP that is highlighted
        await pilot.press("k")
        fill(app, bp="152/96", hr="88", spo2="97", presence="8")
        await pilot.press("ctrl+s")
        notice = str(app.screen.query_one("#notice", Static).content)
        assert "BP 152/96 above 140/90" in notice
        # three gentle sets, each followed by a check-in prompt
        for n in (1, 2, 3):
            await pilot.press("space")
            assert app.runtime.engine.plan.speed_hz == 0.6
            clock.advance(8 / 0.6 + 0.5)
            await pilot.pause(0.1)
            assert app.runtime.engine.state is SetState.ENDED
            assert isinstance(app.screen, FormScreen) and app.screen.id == "checkin"
            if n == 2:  # check-in 2 with vitals
                fill(app, sud="5", bp="132/84", spo2="93")
            else:
                fill(app, sud=str(7 - n))
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, SessionScreen)
        assert "SpO2 93% below 94%" in str(app.screen.query_one("#notice", Static).content)
        # a bad vital is refused inline
        await pilot.press("k")
        fill(app, hr="abc")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        # closure and end
        app.screen.go_to_phase("closure")
        await pilot.press("e")
        fill(app, final_sud="2", final_voc="5")
        await pilot.press("ctrl+s")
        await pilot.press("x")
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
    assert data.medicine.screening["aneurysm_avm"]["confirmed"] is True
    assert len(data.checkins) == 2
    assert data.checkins[0].systolic == 152 and data.checkins[0].flags
    assert len(data.sets) == 3 and all(s.speed_hz == 0.6 for s in data.sets)
    assert [s.sud for s in data.sets] == [6, 5, 4]
    md = export_session(data, "md")
    assert "152/96" in md and "sublingual" in md.lower()
    assert import_json(export_session(data, "json")) == data


def test_linked_medicine_session_shows_hours_and_days(tmp_path: Path) -> None:
    from bls_tui.core.config import AppConfig
    from bls_tui.ketamine_session import DoseEntry, KetamineClock

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
        assert clock.linked_text == (
            f"linked session #{earlier}: 36.0 h (1.5 d) since the linked dose"
        )
        assert clock.linked_text in clock.header()
