"""`bls measures`: instruments with sources, entry, list, ack; bad input in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bls_tui.cli import app
from bls_tui.records.store import Store
from records_helpers import FakeWall

runner = CliRunner()


def bls(*args: str) -> Result:
    return runner.invoke(app, ["measures", *args])


def one_line_error(result: Result, code: int, text: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("bls: error: ") and text in lines[0], lines[0]
    assert "Traceback" not in result.output


def test_instruments_lists_builtins_and_custom_with_sources(
    isolated_dirs: dict[str, Path],
) -> None:
    folder = isolated_dirs["config"] / "measures"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(
        'id = "mine"\nname = "Mine"\nversion = "1"\ntimeframe = "today"\nitems = ["a"]\n'
        "[scale]\nmin = 0\nmax = 4\n",
        encoding="utf-8",
    )
    (folder / "bad.toml").write_text('id = "bad"\n', encoding="utf-8")
    result = bls("instruments")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("pcl5", "phq9", "gad7", "des2", "mine", "ptsd.va.gov", "public domain"):
        assert text in out
    assert "Kroenke" in out and "Spitzer" in out and "Carlson" in out
    assert "The authors publish no severity bands" in out
    assert "bad.toml" in result.stderr and "Traceback" not in result.output


def test_add_list_and_ack(isolated_dirs: dict[str, Path]) -> None:
    result = bls("add", "C-014", "PHQ-9", "--answers", "1,2,1,1,0,2,1,1,2")
    assert result.exit_code == 0, result.output
    assert "total 11 (of 0-27), band moderate" in result.stdout
    assert "item 9 answered 2 (More than half the days)" in result.stdout
    assert "NOT ACKNOWLEDGED" in result.stdout and "bls measures ack 1" in result.stdout
    assert "screening, not diagnosis" in result.stdout
    unfinished = bls("add", "C-014", "pcl5", "--answers", "1,2,,3" + ",0" * 16)
    assert unfinished.exit_code == 0 and "unfinished (19 of 20 answered)" in unfinished.stdout
    listed = bls("list", "C-014")
    assert listed.exit_code == 0
    assert "PHQ-9 | 11 (of 0-27) | band moderate" in listed.stdout
    assert "PCL-5 | unfinished (19 of 20 answered)" in listed.stdout
    assert "NOT ACKNOWLEDGED" in listed.stdout
    acked = bls("ack", "1", "--note", "seen")
    assert acked.exit_code == 0 and "acknowledged by the clinician" in acked.stdout
    assert "NOT ACKNOWLEDGED" not in bls("list", "C-014").stdout
    with Store.open() as store:
        (alert,) = store.load_measure(1).alerts
    assert alert.acknowledged_at is not None and alert.acknowledged_by_note == "seen"
    one_line_error(bls("ack", "1"), 1, "no alert waiting")
    for word in ("sent", "reported", "notified", "alerted"):
        assert word not in (result.stdout + listed.stdout + acked.stdout).lower()


def test_list_without_a_database_says_so() -> None:
    result = bls("list", "C-014")
    assert result.exit_code == 0 and "no measures recorded" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (("add", "Jane Doe", "phq9", "--answers", "0"), 2, "may be a real name"),
        (("add", "C-1", "nope", "--answers", "0"), 2, "no instrument 'nope'"),
        (("add", "C-1", "phq9", "--answers", "1,2"), 2, "9 items; 2 answers"),
        (("add", "C-1", "phq9", "--answers", "1,x,,,,,,,"), 2, "answer 2 'x' is not a whole"),
        (("add", "C-1", "phq9", "--answers", "4,,,,,,,,"), 2, "item 1: 4 is not on the scale"),
        (("add", "C-1", "des2", "--answers", "35" + ",0" * 27), 2, "item 1: 35 is not on"),
        (("add", "C-1", "gad7", "--answers", "0,0,0,0,0,0,0", "--session", "9"), 1, "no session"),
        (("add", "C-1", "gad7", "--answers", "0,0,0,0,0,0,0", "--session", "x"), 2, "--session"),
        (
            ("add", "C-1", "gad7", "--answers", "0,0,0,0,0,0,0", "--taken-at", "monday"),
            2,
            "--taken-at: 'monday' is not a date",
        ),
        (
            ("add", "C-1", "gad7", "--answers", "0,0,0,0,0,0,0", "--taken-at", "2999-01-01"),
            2,
            "in the future",
        ),
        (("ack", "abc"), 2, "ID must be a whole number"),
        (("ack", "99"), 1, "no measure with ID 99"),
        (("take", "C-1", "nope"), 2, "no instrument"),
        (("take", "C 1", "phq9"), 2, "client code"),
    ],
)
def test_bad_input_is_one_line(args: tuple[str, ...], code: int, text: str) -> None:
    one_line_error(bls(*args), code, text)


def test_a_session_of_another_client_is_refused() -> None:
    with Store.open(wall=FakeWall()) as store:
        sid = store.create_session("C-015", "standard", 60)
    one_line_error(
        bls("add", "C-014", "gad7", "--answers", "0,0,0,0,0,0,0", "--session", str(sid)),
        2,
        "client C-015's, not C-014's",
    )


def test_take_builds_the_app_in_measure_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    from bls_tui.cli import launch
    from bls_tui.ui.app import BlsApp

    seen: list[BlsApp] = []

    def fake_run(bls_app: BlsApp) -> None:
        seen.append(bls_app)
        bls_app.saved_line = "nothing saved"

    monkeypatch.setattr(launch, "run_app", fake_run)
    result = bls("take", "C-014", "gad7")
    assert result.exit_code == 0, result.output
    assert seen[0].mode == "measure" and seen[0].measure is not None
    assert seen[0].measure.instrument.id == "gad7" and seen[0].measure.client_code == "C-014"
    assert seen[0].runtime.options.audio == "none"  # no sound device for a questionnaire
    assert "nothing saved" in result.stdout


def test_take_resume_refuses_a_finished_measure() -> None:
    assert bls("add", "C-014", "gad7", "--answers", "0,0,0,0,0,0,0").exit_code == 0
    one_line_error(bls("take", "C-014", "gad7", "--resume", "1"), 1, "is finished")
    one_line_error(bls("take", "C-014", "phq9", "--resume", "1"), 2, "not a PHQ-9")


def test_deleting_a_client_with_only_measures_deletes_them() -> None:
    assert bls("add", "C-020", "gad7", "--answers", "0,0,0,0,0,0,0").exit_code == 0
    assert bls("add", "C-021", "gad7", "--answers", "1,0,0,0,0,0,0").exit_code == 0
    result = runner.invoke(app, ["sessions", "delete", "--client", "C-020", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Deleted 0 session(s) of client C-020 (IDs none) and 1 outcome measure(s)" in (
        result.stdout
    )
    assert "no measures recorded" in bls("list", "C-020").stdout
    assert "GAD-7" in bls("list", "C-021").stdout


def test_taken_at_puts_a_paper_form_on_its_day() -> None:
    result = bls("add", "C-014", "gad7", "--answers", "0,0,0,0,0,0,0", "--taken-at", "2026-01-05")
    assert result.exit_code == 0, result.output
    assert "2026-01-05 00:00" in bls("list", "C-014").stdout


def test_export_writes_a_csv_row_per_measure_readable_only_by_the_owner(
    isolated_dirs: dict[str, Path], tmp_path: Path
) -> None:
    import csv
    import io
    import json
    import stat

    assert bls("add", "C-014", "gad7", "--answers", "1,1,1,1,1,1,1").exit_code == 0
    assert bls("add", "C-014", "pcl5", "--answers", "1,2" + ",".join([""] * 19)).exit_code == 0
    shown = bls("export", "C-014")
    assert shown.exit_code == 0, shown.output
    rows = list(csv.DictReader(io.StringIO(shown.stdout)))
    assert [(r["instrument"], r["total"], r["finished"]) for r in rows] == [
        ("gad7", "7.0", "1"),
        ("pcl5", "", "0"),
    ]
    written = bls("export", "C-014", "--format", "json", "-o", str(tmp_path))
    assert written.exit_code == 0, written.output
    path = tmp_path / "measures-C-014.json"
    assert f"Wrote {path}: 2 measures" in written.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [m["instrument"] for m in json.loads(path.read_text())["measures"]] == ["gad7", "pcl5"]
    empty = bls("export", "C-999")
    assert empty.exit_code == 0 and empty.stdout.startswith("measure_id,client_code,")
    one_line_error(bls("export", "C-014", "--format", "xlsx"), 2, "must be one of csv, json")
    one_line_error(bls("export", "bad code!"), 2, "CODE")
    one_line_error(bls("export", "C-014", "-o", str(tmp_path / "no" / "x.csv")), 1, "does not")


def test_export_shown_on_a_terminal_sends_no_escapes(
    isolated_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bls_tui.cli import measures_export_cmd

    note = "seen \x1b]0;owned\x07 \u202eevil"
    assert bls("add", "C-014", "gad7", "--answers", "0,0,0,0,0,0,0", "--note", note).exit_code == 0
    monkeypatch.setattr(measures_export_cmd, "stdout_is_terminal", lambda: True)
    shown = bls("export", "C-014").stdout
    assert "\x1b" not in shown and "\u202e" not in shown and "seen" in shown
    monkeypatch.setattr(measures_export_cmd, "stdout_is_terminal", lambda: False)
    import json

    kept = json.loads(bls("export", "C-014", "-f", "json").stdout)["measures"][0]["note"]
    assert kept == note  # a file or a pipe gets the note as recorded
