"""The session summary: the measures of that day with their alerts apart, and `n` exports a
progress note (Pilot); nothing of the measures reaches the client view."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets import OptionList, Static

from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import BlsApp, make_app
from notes_helpers import Course, record_course
from records_helpers import FakeWall


def summary_app(db: Path) -> BlsApp:
    return make_app(
        RunOptions(preset=Preset()),
        FakeClock(),
        mode="start",
        store_opener=lambda: Store.open(db, backup=False),
    )


def seeded(db: Path) -> Course:
    with Store.open(db, backup=False, wall=FakeWall()) as store:
        return record_course(store)


def texts(app: BlsApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def test_the_summary_shows_the_measures_and_the_alert_apart(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    course = seeded(db)
    app = summary_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_summary(course.integration)
        await pilot.pause()
        assert app.screen.id == "summary"
        measures = str(app.screen.query_one("#summary-measures", Static).render())
        assert "PHQ-9" in measures and "9 (of 0-27)" in measures and "GAD-7" in measures
        alerts = [str(w.render()) for w in app.screen.query(".summary-alert")]
        assert alerts[0].startswith("ITEM ALERT: PHQ-9 item 9 answered 2")
        assert "NOT ACKNOWLEDGED" in alerts[0]
        assert "notified no one" in alerts[-1]
        assert "item 9" not in measures  # never folded into the total's line


async def test_n_exports_the_chosen_note(tmp_path: Path, isolated_dirs: dict[str, Path]) -> None:
    db = tmp_path / "s.db"
    course = seeded(db)
    app = summary_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_summary(course.integration)
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.id == "note-pick"
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels[0].startswith("Draft") and labels[1].startswith("DAP")
        for widget in (options, *app.screen.query(Static)):  # whole at 80x24
            region = widget.region
            assert region.width > 0 and region.right <= 80 and region.bottom <= 24, widget
        assert options.option_count == 4 and options.region.height >= 4
        await pilot.press("down", "down", "enter")  # SOAP
        await pilot.pause()
        assert app.screen.id == "summary"
    (written,) = (isolated_dirs["data"] / "exports").glob(
        f"session-{course.integration}-*-soap.txt"
    )
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    text = written.read_text(encoding="utf-8")
    assert text.startswith("SOAP NOTE: integration session")
    assert "ITEM ALERT: PHQ-9 item 9" in text


async def test_esc_exports_nothing(tmp_path: Path, isolated_dirs: dict[str, Path]) -> None:
    db = tmp_path / "s.db"
    course = seeded(db)
    app = summary_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_summary(course.integration)
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.id == "summary"
    assert not (isolated_dirs["data"] / "exports").exists()
