"""A session with no BLS set closes settled or with containment, asked in those words; what the
client says at reevaluation is kept with the client's words (found in the five-day walkthrough:
an integration session that only talked was asked "Was the processing complete?", prefilled
INCOMPLETE from the reevaluation SUD, and listed as incomplete)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, RadioSet, Static

from bls_tui.config.presets import Preset
from bls_tui.records.closure import NO_SETS_REASON
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import make_app
from records_helpers import make_set

SIZE = (120, 40)


def _labels(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(" ".join(str(w.render()).split()) for w in app.screen.query(Static))


async def test_a_session_without_sets_is_asked_how_it_closes(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store.open(db, backup=False) as store:
        first = store.create_session("C-017", "standard", 60, target_label="dog bite")
        store.record_set(make_set(first, 1))  # the first session processed
        store.finish_session(first, closure_complete=False, final_sud=3, final_voc=5)
    app = make_app(
        RunOptions(preset=Preset()),
        FakeClock(),
        mode="session",
        session=SessionStart(client_code="C-017", planned_min=60, target_label="dog bite"),
        store_opener=lambda: Store.open(db, backup=False),
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.id == "reevaluation"  # a returning client: the plan opens first
        await pilot.press("escape")
        await pilot.press("r")  # in phase 8: which target, what comes up, SUD, VOC
        await pilot.pause()
        app.screen.query_one("#f-note", Input).value = "it feels further away"
        app.screen.query_one("#f-sud", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("x")  # end: the closure form
        await pilot.pause()
        assert app.screen.id == "closure"
        shown = _labels(app)
        assert "No BLS this session: how does it close?" in shown
        assert "Was the processing complete?" not in shown
        assert " ".join(NO_SETS_REASON.split()) in shown
        assert app.screen.query_one("#f-complete", RadioSet).pressed_button is None  # not chosen
        await pilot.press("ctrl+s")  # nothing chosen: asked again, in the same words
        await pilot.pause()
        assert app.screen.id == "closure"
        assert "choose closed or containment (nothing is chosen for you)" in _labels(app)
        for button in app.screen.query_one("#f-complete", RadioSet).query("RadioButton"):
            button.value = button.name == "yes"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.id == "summary"
        assert "closure closed" in _labels(app)  # not "complete": nothing was processed
        sid = app.controller.session_id  # type: ignore[union-attr]
    with Store.open(db, backup=False) as store:
        data = store.load_session(sid)
        case = store.case("C-017")
    assert data.session.closure_complete is True and not data.sets
    (said,) = [n for n in data.notes if n.text == "it feels further away"]
    assert (said.kind, said.phase) == ("between_sets", "reevaluation")
    from bls_tui.records.closure import closure_words

    words = [closure_words(s.closure_complete, s.sets) for s in case.sessions]
    assert words == ["incomplete", "closed"]
