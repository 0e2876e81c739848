"""The dosing form: no route is chosen for the clinician, and saving without one says so."""

from __future__ import annotations

from datetime import datetime, timezone

from textual.app import App
from textual.widgets import Label, RadioSet

from bls_tui.ui.screens.form import FormResult
from bls_tui.ui.screens.ketamine_forms import DoseForm, dose_form

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


class FormApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.saved: list[FormResult | None] = []

    def on_mount(self) -> None:
        self.push_screen(dose_form(lambda: NOW), self.saved.append)


async def test_saving_without_a_route_shows_why_and_goes_to_the_route() -> None:
    app = FormApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("5", "0", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DoseForm) and app.saved == []
        error = form.query_one("#e-route", Label)
        assert error.display and "choose the route" in str(error.render())
        radio = form.query_one("#f-route", RadioSet)
        assert app.focused is radio
        await pilot.press("enter", "ctrl+s")  # the highlighted route (the first), then save
        await pilot.pause()
        assert len(app.saved) == 1 and app.saved[0] is not None
        assert app.saved[0]["route"] == "im" and app.saved[0]["amount"] is not None
