"""Progress notes (issue 16, section 5): the note context from a recorded course, the shipped
DAP/SOAP/BIRP templates, the clinician's own templates, and templates that try to misbehave."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timezone
from pathlib import Path

import pytest

from bls_tui.records import notes
from bls_tui.records.note_context import CLINICIAN_LINE, NOBODY_TOLD, NoteContext
from bls_tui.records.store import Store
from notes_helpers import Course, record_course
from records_helpers import FakeWall

UTC = timezone.utc


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(wall=FakeWall()) as opened:
        yield opened


@pytest.fixture
def course(store: Store) -> Course:
    return record_course(store)


def ctx(store: Store, sid: int) -> NoteContext:
    return notes.session_context(store, sid, UTC)


# -- the context -------------------------------------------------------------------------


def test_context_of_the_ketamine_session(store: Store, course: Course) -> None:
    c = ctx(store, course.dose_session)
    assert c.kind == "ketamine" and c.client_code == "C-014" and c.date == "2025-03-02"
    assert (c.target.label, c.target.prong) == ("car crash", "past memory")
    assert c.target.negative_cognition == "I am in danger"
    assert c.target.positive_cognition == "I am safe now"
    assert (c.sud_start, c.sud_end, c.voc_start, c.voc_end) == (8, 1, 2, 6)
    assert c.sud_line == "SUD 8/10 at the start, 1/10 at the end."
    assert [s.number for s in c.sets] == [7, 8, 11]
    assert c.sets[2].speed_hz == "0.8" and c.sets[2].phase == "Installation"
    assert "stopped early (client signal)" in c.sets[1].line
    assert "3 sets" in c.sets_summary and "0.8–1.0 Hz" in c.sets_summary
    assert c.responses == ["After set 7: tightness in chest"]
    assert c.clinician_notes == ["10:09 =SUM(A1) | pipe / second line"]  # one line
    assert c.closure == "incomplete" and c.container_note == "rest goes in the container"
    assert c.medicine is not None and c.medicine.dose == "50 mg"
    assert c.medicine.dosed_at == "09:30" and c.medicine.checkins[0].startswith("10:07 (T+37")
    assert c.dose_link is None
    assert c.measures == [] and c.alerts == []
    assert any("reevaluates it at the start of the next session" in p for p in c.plan)


def test_context_of_the_integration_session(store: Store, course: Course) -> None:
    c = ctx(store, course.integration)
    assert c.kind == "integration" and c.date == "2025-03-03"
    assert (c.target.label, c.target.prong, c.target.status) == (
        "boss shouting",
        "present trigger",
        "in progress",
    )
    assert c.target.negative_cognition == "I am powerless"  # from the plan (no assessment)
    assert (c.sud_start, c.sud_end) == (None, 0)  # a SUD of 0 is a value, not a gap
    assert c.sud_line == "SUD not recorded at the start, 0/10 at the end."
    assert c.sets[0].tones == "no tones" and c.sets[0].pattern == "circle"
    assert c.dose_link is not None
    assert c.dose_link.since_dose == "day 2 after dose (T+27 h)"
    assert c.dose_link.session_id == course.dose_session
    # the PHQ-9 of that session and the GAD-7 on paper that day; not the other day's
    assert [m.name for m in c.measures] == ["GAD-7", "PHQ-9"]
    assert len(c.alerts) == 1 and "item 9" in c.alerts[0]
    assert "NOT ACKNOWLEDGED" in c.alerts[0] and c.alerts_open
    assert any("not acknowledged" in p for p in c.plan)


def test_an_unfinished_measure_is_not_scored(store: Store, course: Course) -> None:
    from bls_tui.measures.builtin import PCL5

    store.save_measure("C-014", PCL5, [1, 2, 3] + [None] * 17, session_id=course.integration)
    c = ctx(store, course.integration)
    pcl = next(m for m in c.measures if m.name == "PCL-5")
    assert "unfinished (3 of 20 answered), not scored" in pcl.line and "total" not in pcl.line


def test_a_mid_session_rating_is_not_a_start(store: Store, course: Course) -> None:
    store.add_rating(course.integration, "voc", 5, context="installation", set_number=1)
    assert ctx(store, course.integration).voc_start is None
    store.add_rating(course.integration, "sud", 3, context="reevaluation")
    assert ctx(store, course.integration).sud_start == 3  # Phase 8: where this session began


def test_an_acknowledged_alert_says_so(store: Store, course: Course) -> None:
    alert = store.load_measure(course.phq9).alerts[0]
    store.acknowledge_alert(alert.id, note="safety plan reviewed")
    c = ctx(store, course.integration)
    assert "acknowledged by the clinician" in c.alerts[0]
    assert "safety plan reviewed" in c.alerts[0] and not c.alerts_open


def test_typed_text_cannot_reach_the_terminal(store: Store, course: Course) -> None:
    store.add_note(course.integration, "evil \x1b[2J\u202e text", kind="between_sets")
    c = ctx(store, course.integration)
    assert all("\x1b" not in r and "\u202e" not in r for r in c.responses)


# -- the shipped templates ---------------------------------------------------------------


@pytest.mark.parametrize("name", notes.SHIPPED)
def test_shipped_notes_say_the_facts(store: Store, course: Course, name: str) -> None:
    text = notes.render_named(name, ctx(store, course.dose_session))
    assert text.startswith(f"{name.upper()} NOTE: ketamine-assisted EMDR session")
    for fact in (
        "car crash (past memory)",
        '"I am in danger"',
        "SUD 8/10",
        "1/10",
        "Set 8 (Desensitisation): 1.0 Hz, 10 cycles",
        "Set 11 (Installation): 0.8 Hz",
        "After set 7: tightness in chest",
        "Closure: incomplete",
        "Medicine (as recorded): Sublingual",
        "50 mg",
        f"Plan for next session: {CLINICIAN_LINE}",
    ):
        assert fact in text, (name, fact)
    assert "{{" not in text and "{%" not in text
    assert "None" not in text
    assert "=SUM(A1)" not in text  # the clinician's own notes stay out of a progress note


@pytest.mark.parametrize("name", notes.SHIPPED)
def test_shipped_notes_of_the_integration_session(store: Store, course: Course, name: str) -> None:
    text = notes.render_named(name, ctx(store, course.integration))
    assert "day 2 after dose (T+27 h)" in text
    assert f"medicine session {course.dose_session}" in text
    assert "boss shouting (present trigger)" in text
    assert "PHQ-9 (over the last 2 weeks)" in text and "total 9 (of 0-27)" in text
    assert "GAD-7" in text
    alert = next(line for line in text.splitlines() if "ITEM ALERT" in line)
    assert "item 9 answered 2" in alert and "NOT ACKNOWLEDGED" in alert
    assert NOBODY_TOLD in alert  # never implies anyone was told
    assert "Set 1 (Desensitisation): 0.6 Hz, 12 cycles" in text


# -- the clinician's templates -----------------------------------------------------------


def user_template(isolated_dirs: dict[str, Path], name: str, text: str) -> Path:
    folder = isolated_dirs["config"] / "notes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_template_replaces_the_shipped_one(
    store: Store, course: Course, isolated_dirs: dict[str, Path]
) -> None:
    user_template(isolated_dirs, "soap.txt.j2", "Mine: {{ target.label }} / {{ sud_line }}\n")
    text = notes.render_named("soap", ctx(store, course.dose_session))
    assert text == "Mine: car crash / SUD 8/10 at the start, 1/10 at the end.\n"
    found, _ = notes.available()
    soap = next(t for t in found if t.name == "soap")
    assert soap.origin.startswith("yours") and soap.path is not None


def test_any_other_file_is_a_template_of_its_own(
    store: Store, course: Course, isolated_dirs: dict[str, Path]
) -> None:
    user_template(isolated_dirs, "brief.md.j2", "# {{ client_code }}\n{{ target.label | md }}\n")
    user_template(isolated_dirs, "csv.txt.j2", "no")  # an export format: not a template
    user_template(isolated_dirs, "Bad Name.txt.j2", "no")
    found, skipped = notes.available()
    assert [t.name for t in found] == ["dap", "soap", "birp", "brief"]
    assert next(t for t in found if t.name == "brief").extension == "md"
    assert len(skipped) == 2
    assert notes.render_named("brief", ctx(store, course.dose_session)) == "# C-014\ncar crash\n"


def test_copy_the_shipped_templates(isolated_dirs: dict[str, Path]) -> None:
    copied = notes.copy_shipped()
    assert [c[2] for c in copied] == [True, True, True]
    for _, path, _ in copied:
        assert path.read_text(encoding="utf-8") == notes.shipped_source(path.name.split(".")[0])
        assert (path.stat().st_mode & 0o777) == 0o600
    path = copied[0][1]
    path.write_text("edited", encoding="utf-8")
    assert [c[2] for c in notes.copy_shipped()] == [False, False, False]
    assert path.read_text(encoding="utf-8") == "edited"  # an edited copy is never replaced


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("line one\n{{ target.lable }}\n", "typo.txt.j2:2: 'dict object' has no attribute 'lable'"),
        ("a\nb\n{% for x in %}\n", "typo.txt.j2:3: "),
        ("{{ nothing_here }}", "typo.txt.j2:1: 'nothing_here' is undefined"),
        ("{{ 1 / 0 }}", "typo.txt.j2:1: ZeroDivisionError"),
        ("{{ 'x' * 100000000 }}", "a repeat of more than 10000"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "too deeply nested"),
        ('{% include "soap" %}', "cannot include another"),
        (
            "{% for i in range(99999) %}{% for j in range(99999) %}xxxx{% endfor %}{% endfor %}",
            "the note is over 1,048,576 characters",
        ),
    ],
)
def test_a_broken_template_is_one_line(
    store: Store, course: Course, isolated_dirs: dict[str, Path], text: str, expected: str
) -> None:
    user_template(isolated_dirs, "typo.txt.j2", text)
    with pytest.raises(notes.NoteTemplateError) as err:
        notes.render_named("typo", ctx(store, course.dose_session))
    message = str(err.value)
    assert expected in message and "\n" not in message, message


@pytest.mark.parametrize(
    "text",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ target.__class__ }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ self._TemplateReference__context }}",
        "{{ ''.format.__self__ }}",
        "{{ sets.append(1) }}",
        "{{ target.clear() }}",
    ],
)
def test_the_sandbox_refuses_python_internals(
    store: Store, course: Course, isolated_dirs: dict[str, Path], text: str
) -> None:
    user_template(isolated_dirs, "evil.txt.j2", text)
    with pytest.raises(notes.NoteTemplateError) as err:
        notes.render_named("evil", ctx(store, course.dose_session))
    assert "evil.txt.j2:1:" in str(err.value)


def test_links_and_fifos_are_not_read(
    store: Store, course: Course, isolated_dirs: dict[str, Path], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    folder = user_template(isolated_dirs, "x.txt.j2", "x").parent
    (folder / "link.txt.j2").symlink_to(secret)
    os.mkfifo(folder / "pipe.txt.j2")
    for name, words in (("link", "symbolic link"), ("pipe", "FIFO")):
        with pytest.raises(notes.NoteTemplateError) as err:
            notes.render_named(name, ctx(store, course.dose_session))
        assert words in str(err.value) and "SECRET" not in str(err.value)


def test_an_unknown_name_lists_the_templates() -> None:
    with pytest.raises(notes.NoteTemplateError, match="there are: dap, soap, birp"):
        notes.find("sop")


# -- the export --------------------------------------------------------------------------


def test_export_text_names_the_file(store: Store, course: Course) -> None:
    text, name = notes.export_text(store, course.integration, "birp", UTC)
    assert name == f"session-{course.integration}-20250303-birp.txt"
    assert text.startswith("BIRP NOTE")
    _, named = notes.export_text(store, course.integration, "dap", UTC, include_client=True)
    assert named.startswith("C-014-session-")


def test_the_markdown_draft_has_the_measures_of_that_day(store: Store, course: Course) -> None:
    text, name = notes.export_text(store, course.integration, "md", UTC)
    assert name.endswith(".md")
    assert "## Outcome measures (that day)" in text
    assert "PHQ-9" in text and "GAD-7" in text
    alerts = text[text.index("**Item alerts**") :]
    assert "item 9 answered 2" in alerts and "NOT ACKNOWLEDGED" in alerts
    draft, _ = notes.export_text(store, course.dose_session, "md", UTC)
    assert "Outcome measures" not in draft  # none that day
