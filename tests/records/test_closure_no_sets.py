"""A session with no BLS set (an integration session that only talked, a history session):
its closure is about how it ends, not whether processing was complete."""

from __future__ import annotations

from datetime import timezone

from bls_tui.records.closure import (
    NO_SETS_REASON,
    LastValues,
    closure_prefill,
    closure_words,
)
from bls_tui.records.note_context import build_context
from bls_tui.records.store import Store
from records_helpers import FakeWall, make_set, stamp


def test_no_sets_prefills_nothing_whatever_the_ratings() -> None:
    raised = LastValues(sud=2, voc=4, body_scan="discomfort")
    assert closure_prefill(raised, sets=0).choice is None
    assert closure_prefill(raised, sets=0).reason == NO_SETS_REASON
    assert closure_prefill(raised, sets=1).choice == "no"  # after processing: as before
    assert closure_prefill(raised).choice == "no"  # set count unknown: as before


def test_closure_words_name_a_session_without_sets_for_what_it_was() -> None:
    assert [closure_words(c, 3) for c in (True, False, None)] == ["complete", "incomplete", "-"]
    assert [closure_words(c, 0) for c in (True, False, None)] == ["closed", "contained", "-"]


def test_a_progress_note_of_a_talking_session_says_how_it_closed() -> None:
    with Store.open(wall=FakeWall()) as store:
        talk = store.create_session("C-014", "standard", 60, started_at=stamp(0))
        store.add_rating(talk, "sud", 2, context="reevaluation", at=stamp(1))
        store.add_note(
            talk, "it feels further away", kind="between_sets", phase="reevaluation", at=stamp(2)
        )
        store.finish_session(talk, closure_complete=False, ended_at=stamp(10))
        processed = store.create_session("C-014", "standard", 60, started_at=stamp(20))
        store.record_set(make_set(processed, 1))
        store.finish_session(processed, closure_complete=False, ended_at=stamp(40))
        talked, worked = store.load_session(talk), store.load_session(processed)
    note = build_context(talked, timezone.utc)
    assert note.closure == "contained"
    assert "The session closed with containment (no BLS this session)." in note.plan
    assert not any("the target is open" in line for line in note.plan)
    assert note.responses == ["At reevaluation: it feels further away"]
    worked_plan = build_context(worked, timezone.utc).plan
    assert build_context(worked, timezone.utc).closure == "incomplete"
    assert any(
        line.startswith("Closure was incomplete (no target recorded)") for line in worked_plan
    )
    assert not any("the target is open" in line for line in worked_plan)


def test_the_markdown_draft_says_how_a_talking_session_closed() -> None:
    from bls_tui.records.export import export_session

    with Store.open(wall=FakeWall()) as store:
        talk = store.create_session("C-014", "standard", 60, started_at=stamp(0))
        store.finish_session(talk, closure_complete=True, ended_at=stamp(10))
        text = export_session(store.load_session(talk), "md", tz=timezone.utc)
    assert "- Closure: closed" in text


def test_the_summary_and_sessions_show_say_how_a_talking_session_closed(
    isolated_dirs: dict[str, object],
) -> None:
    from typer.testing import CliRunner

    from bls_tui.cli import app

    with Store.open() as store:
        talk = store.create_session("C-014", "standard", 60, started_at=stamp(0))
        store.finish_session(talk, closure_complete=False, ended_at=stamp(10))
    shown = CliRunner().invoke(app, ["sessions", "show", str(talk)])
    assert shown.exit_code == 0, shown.output
    assert "contained" in shown.stdout and "incomplete" not in shown.stdout
