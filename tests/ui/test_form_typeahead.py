"""Answers typed ahead in a form: each lands in its own field, whatever the typing speed.

Found on the dosing form at 80x24: answers typed with Enter between them about 0.1 s apart
(or slower on a loaded machine) all went into the first screening field, and the message under
it was off the screen.  Enter moved the focus only when ``Input.Submitted`` reached the form,
behind the keys already queued for the old field.  Here the keys of a whole form are posted as
the terminal driver posts one read (``pilot.press`` waits for the app to go idle between keys,
so it never typed ahead), parsed from the bytes a terminal sends: Enter is ``\\r``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet

import bls_tui.ui.app as app_module
import screens_catalogue as catalogue
from bls_tui.ketamine.screening import SCREENING_ITEMS
from bls_tui.ui.app import BlsApp
from bls_tui.ui.screens.closure_flow import closure_form
from bls_tui.ui.screens.form import FormResult, FormScreen
from bls_tui.ui.screens.ketamine_forms import checkin_form, dose_form
from bls_tui.ui.screens.session_prompts import installation
from bls_tui.ui.screens.start import new_session_form
from bls_tui.ui.screens.target_forms import target_form

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
SIZE = (80, 24)
ANSWERS = [
    "a",
    "a negative test today",
    "u",
    "p bipolar II, stable",
    "a",
    "p treated, 128/82 today",
    "a negative test today",
    "a",
    "a",
    "p sertraline 100 mg",
    "p partner drives",
    "a",
    "a",
]


class Host(App[None]):
    """Opens one form, laid out as in the app (its stylesheet); keeps what it returned."""

    CSS_PATH = str(Path(app_module.__file__).parent / BlsApp.CSS_PATH)
    HORIZONTAL_BREAKPOINTS = BlsApp.HORIZONTAL_BREAKPOINTS

    def __init__(self, form: FormScreen) -> None:
        super().__init__()
        self.form = form
        self.saved: list[FormResult | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.form, self.saved.append)


def type_ahead(app: App[Any], *answers: str) -> None:
    """Each answer then Enter, all in one terminal read: no key waits for the one before."""
    for event in XTermParser().feed("".join(f"{answer}\r" for answer in answers)):
        assert isinstance(event, events.Key)
        app.post_message(event)


def values(form: FormScreen) -> dict[str, str]:
    return {(i.id or "").removeprefix("f-"): i.value for i in form.query(Input)}


def in_view(widget: Widget) -> bool:
    """The whole widget is inside the form's visible box (not scrolled away, not below it)."""
    box = widget.screen.query_one(".form-box", VerticalScroll)
    region = widget.region  # empty when the compositor did not place it on the screen
    return bool(region) and box.content_region.contains_region(region)


async def until(pilot: Any, check: Callable[[], object], pauses: int = 50) -> bool:
    """Pause until ``check()`` holds: on a loaded machine one pause may return early."""
    for _ in range(pauses):
        if check():
            return True
        await pilot.pause()
    return bool(check())


async def opened(app: App[Any], pilot: Any) -> FormScreen:
    """The form, once its first text field has the focus (SafeChoiceForm: after a refresh)."""
    assert await until(pilot, lambda: isinstance(app.focused, Input))
    assert isinstance(app.screen, FormScreen)
    return app.screen


def choose(form: FormScreen, field: str, value: str) -> None:
    for button in form.query(f"#f-{field} RadioButton").results(RadioButton):
        button.value = button.name == value


async def test_the_dosing_form_typed_ahead_saves_every_answer_in_its_own_field() -> None:
    assert len(ANSWERS) == len(SCREENING_ITEMS)
    app = Host(dose_form(lambda: NOW))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        choose(form, "route", "sublingual")
        # amount, time (replaces the default "now"), infusion, last spray, provider, linked
        type_ahead(app, "50", "8:40", "", "", "nurse", "", *ANSWERS)
        assert await until(pilot, lambda: app.saved), values(form)  # Enter in the last saved
        assert len(app.saved) == 1
    saved = app.saved[0]
    assert saved is not None
    assert (saved["amount"], saved["dosed"].strftime("%H:%M"), saved["provider"]) == (
        "50",
        "08:40",
        "nurse",
    )
    for item, answer in zip(SCREENING_ITEMS, ANSWERS, strict=True):
        got = saved[f"screen_{item.id}"]
        finding, _, note = answer.partition(" ")
        assert (got.finding[0], got.note) == (finding, note), item.id


async def test_the_checkin_form_typed_ahead() -> None:
    app = Host(checkin_form("Check-in"))
    async with app.run_test(size=SIZE) as pilot:
        await opened(app, pilot)
        type_ahead(app, "128/82", "72", "98", "7", "calm, talking")
        await until(pilot, lambda: app.saved)
    assert len(app.saved) == 1 and app.saved[0] is not None
    saved = app.saved[0]
    assert (saved["bp"], saved["hr"], saved["spo2"], saved["note"]) == (
        (128, 82),
        72,
        98,
        "calm, talking",
    )


async def test_the_new_session_form_typed_ahead_replaces_a_default() -> None:
    app = Host(new_session_form())
    async with app.run_test(size=SIZE) as pilot:
        await opened(app, pilot)
        type_ahead(app, "C-017", "90", "flood", "")  # "90" over the default "60"
        await until(pilot, lambda: app.saved)
    assert len(app.saved) == 1 and app.saved[0] is not None
    saved = app.saved[0]
    assert (saved["client"], saved["planned"], saved["target"]) == ("C-017", 90, "flood")


async def test_the_target_form_typed_ahead() -> None:
    app = Host(target_form("C-014"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")  # from the prong (a choice) to the label
        form = app.screen
        assert isinstance(form, FormScreen)
        label = form.query_one("#f-label")
        assert await until(pilot, lambda: app.focused is label)
        type_ahead(app, "car crash", "I am powerless", "I can act")
        touchstone = form.query_one("#f-touchstone")
        await until(pilot, lambda: app.focused is touchstone and values(form)["pc"])
        assert values(form) == {
            "label": "car crash",
            "nc": "I am powerless",
            "pc": "I can act",
            "touchstone": "",
            "cluster": "",
        }
        assert app.focused is touchstone and app.saved == []


async def test_a_refused_answer_keeps_the_focus_and_the_keys_typed_after_it() -> None:
    """Enter on an answer the field refuses stays there, with its message in view; what was
    typed after it goes into that field too, never into the next one unseen."""
    app = Host(dose_form(lambda: NOW))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.set_focus(form.query_one("#f-screen_aneurysm_avm", Input))
        type_ahead(app, "a", "x", "u")  # "x" is not p, a or u
        second = form.query_one("#f-screen_brain_haemorrhage", Input)
        error = form.query_one("#e-screen_brain_haemorrhage", Label)
        await until(pilot, lambda: second.value == "xu" and in_view(error))
        assert (values(form)["screen_aneurysm_avm"], second.value) == ("a", "xu")
        assert app.focused is second and values(form)["screen_hypersensitivity"] == ""
        assert error.display and "start with p" in str(error.render())
        assert in_view(error) and in_view(second) and app.saved == []


async def test_a_message_due_under_the_last_row_is_scrolled_into_view() -> None:
    """Enter refused in a field on the last visible row: its message, below, is brought up."""
    app = Host(dose_form(lambda: NOW))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        field = form.query_one("#f-screen_pregnancy", Input)
        box = form.query_one(".form-box", VerticalScroll)
        form.set_focus(field)  # scrolls it to the middle
        assert await until(pilot, lambda: in_view(field))
        below = field.region.bottom - box.content_region.bottom  # put it on the last row
        box.scroll_to(y=box.scroll_y + below, animate=False, immediate=True)
        last_row = box.content_region.bottom
        assert await until(pilot, lambda: in_view(field) and field.region.bottom == last_row)
        type_ahead(app, "x")
        error = form.query_one("#e-screen_pregnancy", Label)
        await until(pilot, lambda: error.display and in_view(error))
        assert app.focused is field and error.display and in_view(error)


async def test_a_refused_save_goes_to_the_field_and_shows_its_message() -> None:
    """ctrl+s from the top with a bad answer far below: the focus goes to that answer and its
    message is on the 24-row screen."""
    app = Host(dose_form(lambda: NOW))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        choose(form, "route", "sublingual")
        last = form.query_one("#f-screen_medical_clearance", Input)
        last.value = "maybe"
        type_ahead(app, "50")  # amount, Enter: on to the time of dose
        await pilot.press("ctrl+s")
        error = form.query_one("#e-screen_medical_clearance", Label)
        await until(pilot, lambda: app.focused is last and in_view(error))
        assert app.saved == [] and app.focused is last
        assert error.display and in_view(error) and in_view(last)


async def test_a_save_refused_for_a_choice_shows_why() -> None:
    """The dosing form without a route and the closure form without complete/incomplete:
    the message is shown (closure's used to be set but left hidden) and the choice focused."""
    app = Host(dose_form(lambda: NOW))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        await pilot.press("5", "0", "ctrl+s")
        route, error = form.query_one("#f-route", RadioSet), form.query_one("#e-route", Label)
        await until(pilot, lambda: app.focused is route and in_view(error))
        assert app.saved == [] and app.focused is route and in_view(error)
    app = Host(closure_form(None, ""))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        await pilot.press("ctrl+s")
        choice, error = (
            form.query_one("#f-complete", RadioSet),
            form.query_one("#e-complete", Label),
        )
        await until(pilot, lambda: app.focused is choice and in_view(error))
        assert app.saved == [] and app.focused is choice
        assert error.display and "choose complete" in str(error.render()) and in_view(error)


async def test_in_the_app_at_80x24_the_dose_typed_ahead_is_recorded(tmp_path: Path) -> None:
    """The whole app (its key bindings, paste and overlay guards): the dosing form that opens a
    ketamine-assisted session, typed ahead to its last answer, records every answer."""
    app, clock, steps = catalogue.make("ketamine-dose-form", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await steps(pilot, app, clock)
        form = await opened(app, pilot)
        choose(form, "route", "sublingual")
        type_ahead(app, "50", "now", "", "", "nurse", "", *ANSWERS)
        assert await until(pilot, lambda: app.screen.id == "stim"), values(form)
        store, sid = app.controller.store, app.controller.session_id  # type: ignore[union-attr]
        medicine = store.load_session(sid).medicine
    assert medicine is not None
    assert (medicine.dose_amount, medicine.provider) == (50.0, "nurse")
    words = {"p": "present", "a": "absent", "u": "unknown"}
    for item, answer in zip(SCREENING_ITEMS, ANSWERS, strict=True):
        finding, _, note = answer.partition(" ")
        got = medicine.screening[item.id]
        assert (got["finding"], got["note"]) == (words[finding], note), item.id


# Choice fields (a RadioSet, a Checkbox): Tab and Shift+Tab there ran only when the key came
# back up to the App, behind the keys typed after it, which the choice field had dropped.

SHIFT_TAB = "\x1b[Z"
DOWN = "\x1b[B"


def keys_ahead(app: App[Any], typed: str) -> None:
    """The terminal's bytes for a run of keys (Tab ``\\t``, Enter ``\\r``), in one read."""
    for event in XTermParser().feed(typed):
        assert isinstance(event, events.Key)
        app.post_message(event)


async def test_the_target_form_typed_ahead_from_the_prong() -> None:
    """The form opens on the prong (a choice): Tab and the label typed at once."""
    app = Host(target_form("C-014"))
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        assert isinstance(form, FormScreen)
        prong = form.query_one("#f-prong", RadioSet)
        assert await until(pilot, lambda: app.focused is prong)
        keys_ahead(app, "\tcar crash\rI am powerless\r")
        pc = form.query_one("#f-pc")
        await until(pilot, lambda: app.focused is pc and values(form)["nc"])
        assert (values(form)["label"], values(form)["nc"]) == ("car crash", "I am powerless")
        assert app.focused is pc and prong.pressed_button is not None
        assert prong.pressed_button.name == "past" and app.saved == []


async def test_shift_tab_typed_ahead_through_choices() -> None:
    """From the check-in note back over sedation and the presence scale to the presence."""
    app = Host(checkin_form("Check-in"))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.set_focus(form.query_one("#f-note", Input))
        presence = form.query_one("#f-presence", Input)
        keys_ahead(app, SHIFT_TAB * 3 + "5")
        await until(pilot, lambda: app.focused is presence and presence.value)
        assert app.focused is presence and presence.value == "5"


async def test_a_choice_made_in_a_burst_and_the_answers_after_it() -> None:
    """down, Enter (and down, space) choose in a RadioSet as typed slowly; Tab moves on."""
    app = Host(checkin_form("Check-in"))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.set_focus(form.query_one("#f-presence", Input))
        keys_ahead(app, f"5\t{DOWN}\r\t{DOWN} \tcalm")
        note = form.query_one("#f-note", Input)
        await until(pilot, lambda: note.value == "calm")
        await pilot.press("ctrl+s")
    assert len(app.saved) == 1 and app.saved[0] is not None
    saved = app.saved[0]
    assert (saved["scale"], saved["sedation"], saved["note"]) == ("bhs", "alert", "calm")
    assert saved["presence"] == 5


async def test_a_tick_box_typed_ahead() -> None:
    """Tab to the run-through tick box, Shift+Tab back, the VOC, Tab, space, Tab, the note."""
    app = Host(installation(4, future=True))
    async with app.run_test(size=SIZE) as pilot:
        await opened(app, pilot)
        keys_ahead(app, f"\t{SHIFT_TAB}6\t \tcalm\r")
        await until(pilot, lambda: app.saved)
    assert len(app.saved) == 1 and app.saved[0] is not None
    saved = app.saved[0]
    assert (saved["voc"], saved["run_through"], saved["note"]) == (6, True, "calm")


async def test_choice_keys_typed_slowly_still_choose() -> None:
    """The keys a choice field uses, one at a time (each after the app went idle)."""
    app = Host(target_form("C-014"))
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        assert isinstance(form, FormScreen)
        prong = form.query_one("#f-prong", RadioSet)
        assert await until(pilot, lambda: app.focused is prong)
        await pilot.press("right", "enter")
        assert prong.pressed_button is not None and prong.pressed_button.name == "present"
        await pilot.press("down", "space", "up", "left", "space")
        assert prong.pressed_button is not None and prong.pressed_button.name == "past"
    app = Host(installation(4, future=True))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        await pilot.press("tab", "space")
        tick = form.query_one("#f-run_through", Checkbox)
        assert app.focused is tick and tick.value
        await pilot.press("enter")
        assert app.focused is tick and not tick.value and app.saved == []


async def sedation_saved(burst: str) -> tuple[object, list[str]]:
    """The check-in's sedation saved after ``burst`` typed there at once, and the buttons on."""
    app = Host(checkin_form("Check-in"))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        sedation = form.query_one("#f-sedation", RadioSet)
        buttons = list(sedation.query(RadioButton).results(RadioButton))
        form.set_focus(sedation)
        keys_ahead(app, burst)
        await until(pilot, lambda: app.saved)
    assert len(app.saved) == 1 and app.saved[0] is not None
    return app.saved[0]["sedation"], [button.name for button in buttons if button.value]


async def test_a_choice_and_a_save_in_one_burst_save_the_new_choice() -> None:
    """down, space, ctrl+s at once; two choices, Tab, the note, Enter on the last field at
    once.  RadioSet recorded a choice only when its button's Changed message came back to it,
    after the save had read the previous choice."""
    assert await sedation_saved(f"{DOWN} \x13") == ("alert", ["alert"])
    assert await sedation_saved(f"{DOWN}{DOWN}\r{DOWN} \tcalm\r") == ("voice", ["voice"])


async def test_a_tick_and_a_save_in_one_burst_save_the_tick() -> None:
    """Tab to the run-through tick box, space, ctrl+s at once (a Checkbox sets its value at
    once: this passes without the RadioSet fix too, and guards it)."""
    app = Host(installation(4, future=True))
    async with app.run_test(size=SIZE) as pilot:
        await opened(app, pilot)
        keys_ahead(app, "6\t \x13")
        await until(pilot, lambda: app.saved)
    assert len(app.saved) == 1 and app.saved[0] is not None
    assert (app.saved[0]["voc"], app.saved[0]["run_through"]) == (6, True)
