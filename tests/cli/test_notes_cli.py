"""`bls sessions export ID --format soap|dap|birp|NAME` and `bls notes templates [--copy]`."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bls_tui.cli import app
from bls_tui.records.store import Store
from notes_helpers import Course, record_course
from records_helpers import FakeWall

runner = CliRunner()


def bls(*args: str) -> Result:
    return runner.invoke(app, list(args))


def one_line_error(result: Result, code: int, text: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bls: error: "), lines
    assert text in lines[0], lines[0]
    assert "Traceback" not in result.output


@pytest.fixture
def course() -> Course:
    with Store.open(wall=FakeWall()) as store:
        return record_course(store)


@pytest.mark.parametrize("fmt", ["soap", "dap", "birp"])
def test_export_a_progress_note(course: Course, fmt: str) -> None:
    result = bls("sessions", "export", str(course.integration), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{fmt.upper()} NOTE: integration session")
    assert "day 2 after dose (T+27 h)" in result.stdout
    assert "ITEM ALERT: PHQ-9 item 9 answered 2" in result.stdout


def test_a_note_file_is_private_and_named(course: Course, tmp_path: Path) -> None:
    result = bls("sessions", "export", str(course.dose_session), "-f", "soap", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    written = tmp_path / f"session-{course.dose_session}-20250302-soap.txt"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert "SOAP NOTE" in written.read_text(encoding="utf-8")


def test_the_markdown_export_has_the_measures(course: Course) -> None:
    result = bls("sessions", "export", str(course.integration), "-f", "md")
    assert result.exit_code == 0, result.stderr
    assert "## Outcome measures (that day)" in result.stdout
    assert "NOT ACKNOWLEDGED" in result.stdout


def test_an_unknown_format_is_one_line(course: Course) -> None:
    result = bls("sessions", "export", str(course.integration), "-f", "sop")
    one_line_error(result, 2, "must be one of md, csv, json or a note template")


def test_a_broken_user_template_is_one_line(course: Course, isolated_dirs: dict[str, Path]) -> None:
    folder = isolated_dirs["config"] / "notes"
    folder.mkdir(parents=True)
    (folder / "mine.txt.j2").write_text("ok\n{{ ''.__class__.__mro__ }}\n", encoding="utf-8")
    result = bls("sessions", "export", str(course.integration), "-f", "mine")
    one_line_error(result, 1, "mine.txt.j2:2: not allowed in a note template")


def test_templates_lists_and_copies(isolated_dirs: dict[str, Path]) -> None:
    result = bls("notes", "templates")
    assert result.exit_code == 0, result.stderr
    assert "soap  shipped" in result.stdout and "birp  shipped" in result.stdout
    result = bls("notes", "templates", "--copy")
    assert result.exit_code == 0, result.stderr
    folder = isolated_dirs["config"] / "notes"
    assert sorted(p.name for p in folder.iterdir()) == ["birp.txt.j2", "dap.txt.j2", "soap.txt.j2"]
    assert "yours (replaces the shipped one)" in result.stdout
    (folder / "short.txt.j2").write_text("{{ sud_line }}\n", encoding="utf-8")
    assert "short  yours:" in bls("notes", "templates").stdout
