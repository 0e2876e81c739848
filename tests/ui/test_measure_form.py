"""The measure form: digits answer and move on, back, unfinished save, the item-9 dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from bls_tui.config.presets import Preset
from bls_tui.measures.builtin import DES2, PCL5, PHQ9
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.measure_mode import MeasureStart
from bls_tui.ui.screens.measure_form import ItemAlertDialog, MeasureForm
from records_helpers import FakeWall

SIZE = (80, 24)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data" / "sessions.db"
    with Store.open(path, wall=FakeWall()):
        pass
    yield path


def app_for(
    db: Path,
    instrument: object = PHQ9,
    *,
    session_id: int | None = None,
    resume_id: int | None = None,
    answers: list[int | None] | None = None,
) -> BlsApp:
    """The one app factory in its measure mode (what `bls measures take` runs)."""
    wall = FakeWall()
    return make_app(
        RunOptions(preset=Preset()),
        mode="measure",
        store_opener=lambda: Store.open(db, wall=wall),
        wall=wall,
        measure=MeasureStart(
            "C-014",
            instrument,  # type: ignore[arg-type]
            session_id,
            resume_id,
            tuple(answers or ()),
        ),
    )


def text(app: BlsApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def form(app: BlsApp) -> MeasureForm:
    screen = app.screen
    assert isinstance(screen, MeasureForm)
    return screen


def on_screen(app: BlsApp, selector: str) -> bool:
    region = app.screen.query_one(selector).region
    return region.width > 0 and region.bottom <= SIZE[1] and region.right <= SIZE[0]


async def test_digits_answer_and_move_on_and_back_goes_back(db: Path) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Item 1 of 9" in text(app, "#mf-item")
        assert "Little interest or pleasure in doing things" in text(app, "#mf-item")
        assert "screening, not diagnosis" in text(app, "#mf-title")
        assert "Several days" in text(app, "#mf-scale")
        for selector in ("#mf-title", "#mf-item", "#mf-scale", "#mf-answer", "#mf-footer"):
            assert on_screen(app, selector), selector
        await pilot.press("1", "2")
        assert "Item 3 of 9" in text(app, "#mf-item")
        assert form(app).entry.answers[:2] == [1, 2]
        assert "Total: shown when all 9 items are answered" in text(app, "#mf-summary")
        await pilot.press("left")
        assert "Item 2 of 9" in text(app, "#mf-item") and "Answer: 2" in text(app, "#mf-answer")
        await pilot.press("0")
        assert form(app).entry.answers[:3] == [1, 0, None]
        await pilot.press("7")  # not on the 0-3 scale
        assert "7 is not on the scale" in text(app, "#mf-answer")
        assert form(app).entry.answers[2] is None


async def test_unfinished_save_is_kept_unscored(db: Path) -> None:
    app = app_for(db, PCL5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "4", "2", *(["right"] * 17))
        assert "Not answered: item 4, 5, 6" in text(app, "#mf-item")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.saved_id is not None and app.saved_line is not None
    assert "unfinished" in app.saved_line
    with Store.open(db) as store:
        record = store.load_measure(app.saved_id)
    assert not record.finished and record.total is None
    assert record.responses[:3] == (3, 4, 2) and record.responses[3:] == (None,) * 17


async def test_finished_shows_total_and_band_then_saves(db: Path) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"21110210")
        assert "shown when all 9 items are answered" in text(app, "#mf-summary")
        await pilot.press("0")
        summary = text(app, "#mf-summary")
        assert "Total 8 (of 0-27)" in summary and "band: mild" in summary
        assert on_screen(app, "#mf-summary")
        await pilot.press("enter")
        await pilot.pause()
    with Store.open(db) as store:
        assert app.saved_id is not None
        record = store.load_measure(app.saved_id)
    assert record.finished and record.total == 8 and record.alerts == ()


async def test_item9_dialog_esc_does_not_acknowledge_a_does_with_time(db: Path) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"00000000", "2")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ItemAlertDialog)
        words = str(dialog.query_one("#measure-alert-text", Static).render()).lower()
        for never in ("sent", "reported", "notif", "alerted", "team"):
            assert never not in words
        dialog.delay_s = 0.0
        await pilot.press("escape", "1", "enter", "space", "q")
        await pilot.pause()
        assert app.screen is dialog  # nothing but `a` closes it
        assert "Esc does not acknowledge" in str(
            dialog.query_one("#measure-alert-keys", Static).render()
        )
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, MeasureForm)
        alert_line = text(app, "#mf-alert")
        assert "Item 9 answered 2" in alert_line and "acknowledged" in alert_line
        assert on_screen(app, "#mf-alert")
        assert "Total 2" in text(app, "#mf-summary")  # apart from the alert
        await pilot.press("ctrl+s")
        await pilot.pause()
    with Store.open(db) as store:
        assert app.saved_id is not None
        (alert,) = store.load_measure(app.saved_id).alerts
    assert alert.value == 2 and alert.acknowledged_at is not None
    assert alert.acknowledged_by_note == "acknowledged on the form"


async def test_keys_typed_in_a_burst_do_not_close_the_dialog(db: Path) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"000000001", "a")  # `a` at once, before it could be read
        await pilot.pause()
        assert isinstance(app.screen, ItemAlertDialog)


async def test_saving_with_an_open_alert_shows_the_dialog_again(db: Path) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"000000003")
        await pilot.pause()
        assert isinstance(app.screen, ItemAlertDialog)
        assert "ITEM 9 ANSWERED 3" in str(app.screen.query_one("#measure-alert-title").render())


async def test_item9_answer_0_shows_nothing_reassuring(db: Path) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"000000000")
        shown = " ".join(str(w.render()) for w in app.screen.query(Static) if w.display).lower()
        assert not app.screen.query_one("#mf-alert").display
        for word in ("no risk", "safe", "reassur", "no suicid"):
            assert word not in shown


async def test_des2_takes_values_by_number_with_enter(db: Path) -> None:
    app = app_for(db, DES2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Item 1 of the form you hold" in text(app, "#mf-item")
        await pilot.press("3", "0")  # 30 is complete: recorded at once
        await pilot.press("1", "0", "0")  # 100
        await pilot.press("1", "0", "enter")  # 10, confirmed with enter
        await pilot.press("5", "5")  # 55 is not on the scale (0-100 in steps of 10)
        assert form(app).entry.answers[:4] == [30, 100, 10, None]
        assert "not on the scale" in text(app, "#mf-answer")


async def test_leaving_with_answers_asks_first(db: Path) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "escape")
        await pilot.pause()
        from bls_tui.ui.screens.confirm import ConfirmScreen

        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MeasureForm)
        await pilot.press("escape", "y")
        await pilot.pause()
    assert app.saved_id is None and app.saved_line == "nothing saved"


async def test_resuming_keeps_recorded_answers(db: Path) -> None:
    with Store.open(db) as store:
        mid = store.save_measure("C-014", PHQ9, [1, 1, None, None, None, None, None, None, None])
    app = app_for(db, PHQ9, resume_id=mid, answers=[1, 1, *([None] * 7)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Item 3 of 9" in text(app, "#mf-item")
        await pilot.press("left", "3")
        assert "recorded earlier and is kept" in text(app, "#mf-answer")
        await pilot.press("right", *"0000000")
        await pilot.press("enter")
        await pilot.pause()
    with Store.open(db) as store:
        record = store.load_measure(mid)
    assert record.finished and record.responses[:2] == (1, 1) and record.total == 2


async def test_help_lists_the_keys_and_backspace_removes_a_digit(db: Path) -> None:
    from bls_tui.ui.screens.help import HelpScreen

    app = app_for(db, DES2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "backspace")
        assert form(app).entry.typed == "" and form(app).entry.position == 0
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeasureForm)


async def test_a_measure_taken_in_a_session_belongs_to_it(db: Path) -> None:
    with Store.open(db) as store:
        sid = store.create_session("C-014", "standard", 60)
    app = app_for(db, PHQ9, session_id=sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"000000000", "enter")
        await pilot.pause()
    with Store.open(db) as store:
        assert [m.id for m in store.session_measures(sid)] == [app.saved_id]


async def test_a_custom_measure_with_markup_in_its_name_is_shown_as_typed(db: Path) -> None:
    from bls_tui.measures.custom import instrument_from

    mine = instrument_from(
        {
            "id": "mine",
            "name": "Mood [/b] [red]x",
            "version": "1",
            "timeframe": "today [i]",
            "items": ["[b]bold?[/b]"],
            "scale": {"min": 0, "max": 2},
        },
        "test",
    )
    app = app_for(db, mine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Mood [/b] [red]x" in text(app, "#mf-title")
        assert "[b]bold?[/b]" in text(app, "#mf-item")
        await pilot.press("2")
        assert "Total 2 (of 0-2)" in text(app, "#mf-summary")


async def test_the_measure_mode_opens_no_display_link_and_no_sound(db: Path) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MeasureForm)
        assert app.display_link is None  # a questionnaire never reaches a client display
        assert not app.runtime.sound.opening
        assert len(app.screen_stack) == 2  # the default screen and the form: nothing else
