"""`bls sessions show` and `list` name each session kind (standard, ketamine-assisted,
integration) and, for a session linked to an earlier dose, which dose it follows."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner, Result

from bls_tui.cli import app
from bls_tui.records.store import Store
from bls_tui.records.words import date_in_words
from notes_helpers import record_course
from records_helpers import FakeWall, full_session, stamp

runner = CliRunner()


def bls(*args: str) -> Result:
    result = runner.invoke(app, ["sessions", *args])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


@pytest.fixture
def ids() -> dict[str, int]:
    """A ketamine session dosed at T0-30 min, an integration session 27 h later linked to it,
    a standard session linked to it 50 h after the dose, and a standard one without a link."""
    with Store.open(wall=FakeWall()) as store:
        course = record_course(store)
        linked = store.create_session(
            "C-014",
            "standard",
            60,
            target_label="car crash",
            linked_dose_session_id=course.dose_session,
            started_at=stamp(60 * 50),
        )
        plain = full_session(store)
    return {
        "dose": course.dose_session,
        "integration": course.integration,
        "linked": linked,
        "plain": plain,
    }


def test_show_names_the_integration_kind_and_its_dose(ids: dict[str, int]) -> None:
    out = bls("show", str(ids["integration"]), "--no-plot").stdout.splitlines()
    assert out[0] == f"Session {ids['integration']}: C-014, integration, completed"
    assert out[1] == (
        f"After the dose of session #{ids['dose']} ({date_in_words(stamp(-30))}): day 2 (T+27 h)"
    )
    assert "standard EMDR" not in "\n".join(out)


def test_show_names_the_other_kinds(ids: dict[str, int]) -> None:
    dose = bls("show", str(ids["dose"]), "--no-plot").stdout
    assert dose.startswith(f"Session {ids['dose']}: C-014, ketamine-assisted EMDR, completed\n")
    assert "After the dose" not in dose  # the medicine session itself has no link
    for text in ("Route", "Sublingual lozenge", "Dose (as entered)", "50 mg", "ready to leave"):
        assert text in dose, text
    plain = bls("show", str(ids["plain"]), "--no-plot").stdout
    assert plain.startswith(f"Session {ids['plain']}: C-014, standard EMDR, completed\n")
    assert "After the dose" not in plain


def test_show_a_standard_session_linked_to_a_dose(ids: dict[str, int]) -> None:
    out = bls("show", str(ids["linked"]), "--no-plot").stdout.splitlines()
    assert out[0].startswith(f"Session {ids['linked']}: C-014, standard EMDR, ")
    assert out[1].startswith(f"After the dose of session #{ids['dose']} (")
    assert out[1].endswith("): day 3 (T+50 h)")


def test_list_names_every_kind(ids: dict[str, int]) -> None:
    rows = {
        int(line.split()[0]): line.split()
        for line in bls("list").stdout.splitlines()
        if line[:4].strip().isdigit()
    }
    kind = 4  # ID, date, time, client, kind
    assert rows[ids["integration"]][kind] == "integration"
    assert rows[ids["dose"]][kind] == "ketamine"
    assert rows[ids["linked"]][kind] == "standard"
    assert rows[ids["plain"]][kind] == "standard"
