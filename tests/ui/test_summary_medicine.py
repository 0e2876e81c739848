"""The session summary of the sessions around a dose (Pilot, 80x24): the medicine record in words,
the dose a later session follows, a session without sets, and the Since dose column."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from bls_tui.config.presets import Preset
from bls_tui.ketamine.window import since_dose_words
from bls_tui.protocol.model import parse_iso
from bls_tui.records.store import Store
from bls_tui.records.words import date_in_words
from bls_tui.services.runtime import RunOptions
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import BlsApp, make_app
from notes_helpers import record_course
from records_helpers import FakeWall, make_set, stamp


def summary_app(db: Path) -> BlsApp:
    return make_app(
        RunOptions(preset=Preset()),
        FakeClock(),
        mode="start",
        store_opener=lambda: Store.open(db, backup=False),
    )


def texts(app: BlsApp) -> str:
    """Every Static on the summary, in order (what the therapist reads)."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def hhmm(at: str) -> str:
    return f"{parse_iso(at).astimezone():%H:%M}"


def seeded(db: Path) -> dict[str, int]:
    """The course of notes_helpers (a ketamine session dosed at T0-30 min, an integration
    session 27 h later), the dose confirmed ready to leave, plus a standard session linked to
    the dose and an integration session with no sets."""
    with Store.open(db, backup=False, wall=FakeWall()) as store:
        course = record_course(store)
        store.confirm_observation(course.dose_session, at=stamp(95))
        standard = store.create_session(
            "C-014",
            "standard",
            60,
            target_label="car crash",
            linked_dose_session_id=course.dose_session,
            started_at=stamp(60 * 50),
        )
        store.record_set(make_set(standard, 1, started_at=stamp(3001), ended_at=stamp(3001.4)))
        store.finish_session(standard, closure_complete=True, ended_at=stamp(3030))
        empty = store.create_session(
            "C-014",
            "integration",
            50,
            linked_dose_session_id=course.dose_session,
            started_at=stamp(60 * 28),
        )
        store.finish_session(empty, closure_complete=True, final_sud=1, ended_at=stamp(1700))
        plain = store.create_session("C-014", "standard", 60, started_at=stamp(60 * 72))
        store.record_set(make_set(plain, 1, started_at=stamp(4321), ended_at=stamp(4321.4)))
    return {
        "dose": course.dose_session,
        "integration": course.integration,
        "standard": standard,
        "empty": empty,
        "plain": plain,
    }


def seeded_app(folder: Path) -> tuple[BlsApp, dict[str, int]]:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "s.db"
    ids = seeded(db)
    return summary_app(db), ids


async def test_the_ketamine_summary_says_the_medicine_record_in_words(tmp_path: Path) -> None:
    app, ids = seeded_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_summary(ids["dose"])
        await pilot.pause()
        head = str(app.screen.query_one("#summary-head", Static).render())
        assert "ketamine-assisted EMDR" in head
        medicine = [str(w.render()) for w in app.screen.query("#summary-medicine Static")]
        text = "\n".join(medicine)
        assert medicine[0] == "Medicine (ketamine), as recorded:"
        assert "Route: Sublingual lozenge" in text  # the route's name, as chosen
        assert "Dose (as entered): 50 mg" in text  # amount and unit as entered, nothing else
        assert f"Dosed at (T0): {date_in_words(stamp(-30))}" in text
        assert "Provider: Dr Example" in text
        assert "Screening: 1 of 1 item reviewed: Pregnancy: reviewed, unknown" in text
        assert (
            "Observation: at least 120 min after the dose; "
            f"ready to leave: confirmed at {hhmm(stamp(95))}" in text
        )
        checkin = next(line for line in medicine if line.startswith("Check-in "))
        assert checkin == (
            f"Check-in {hhmm(stamp(7))} (T+37 min): BP 128/82 · HR 72 · SpO2 98 % · "
            "presence 2.5 (bhs) · alert, answers normally · flags: BP 128/82 fine"
        )
        assert "suggest" not in text.lower()  # a record, never advice


async def test_since_dose_is_kept_at_80_columns(tmp_path: Path) -> None:
    """The ketamine set table keeps Since dose (min) at 80 columns; Sweeps and Speed Hz go."""
    app, ids = seeded_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_summary(ids["dose"])
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert "Since dose (min)" in labels and labels[:4] == ["#", "Phase", "SUD", "VOC"]
        assert [str(c) for c in table.get_row_at(0)][-1] == "37"  # set 7: 37 min after dose
        dropped = str(app.screen.query_one("#summary-dropped", Static).render())
        assert "Since dose" not in dropped and "Sweeps" in dropped and "Speed Hz" in dropped
    app, ids = seeded_app(tmp_path / "wide")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        app.open_summary(ids["dose"])
        await pilot.pause()
        assert len(app.screen.query_one(DataTable).columns) == 12  # wide: every column
        assert not app.screen.query_one("#summary-dropped", Static).display


async def test_an_integration_summary_names_the_dose_it_follows(tmp_path: Path) -> None:
    app, ids = seeded_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_summary(ids["integration"])
        await pilot.pause()
        link = str(app.screen.query_one("#summary-dose-link", Static).render())
        since = since_dose_words(parse_iso(stamp(-30)), parse_iso(stamp(60 * 27)))
        assert since == "day 2 after dose (T+27 h)"  # the session header's words
        assert link == (
            f"After the dose of session #{ids['dose']} ({date_in_words(stamp(-30))}): "
            "day 2 (T+27 h)"
        )
        head = str(app.screen.query_one("#summary-head", Static).render())
        assert " · integration · " in head
        assert not app.screen.query("#summary-medicine")  # no dose of its own


async def test_a_standard_session_with_a_dose_link_says_it_too(tmp_path: Path) -> None:
    app, ids = seeded_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_summary(ids["standard"])
        await pilot.pause()
        link = str(app.screen.query_one("#summary-dose-link", Static).render())
        assert link.startswith(f"After the dose of session #{ids['dose']} (")
        assert link.endswith("): day 3 (T+50 h)")
        assert " · standard EMDR · " in str(app.screen.query_one("#summary-head", Static).render())
        await pilot.press("q")  # back to the start screen
        await pilot.pause()
        app.open_summary(ids["plain"])
        await pilot.pause()
        assert not app.screen.query("#summary-dose-link")  # no link, no line
        assert "After the dose" not in texts(app)


async def test_a_session_without_sets_says_so_instead_of_an_empty_table(tmp_path: Path) -> None:
    app, ids = seeded_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_summary(ids["empty"])
        await pilot.pause()
        assert "No BLS sets in this session." in texts(app)
        assert not app.screen.query(DataTable)  # no header row of an empty table
        assert "Too narrow" not in texts(app)
        await pilot.resize_terminal(60, 24)  # a resize fills no table either
        await pilot.pause()
        assert "Too narrow" not in texts(app) and not app.screen.query(DataTable)
