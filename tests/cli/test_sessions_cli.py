"""`bls sessions list|show|export|delete` against a temporary data dir."""

from __future__ import annotations

import csv
import io
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bls_tui.cli import app
from bls_tui.records.export import default_export_name, import_json
from bls_tui.records.store import Store, default_db_path
from records_helpers import FakeWall, full_session, make_set

runner = CliRunner()


def bls(*args: str, input: str | None = None) -> Result:
    return runner.invoke(app, ["sessions", *args], input=input)


def one_line_error(result: Result, code: int, text: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("bls: error: ") and text in lines[0], lines[0]
    assert "Traceback" not in result.output


@pytest.fixture
def ids() -> dict[str, int]:
    """A standard session of C-014, a ketamine one of C-014 and an interrupted one of K-2."""
    with Store.open(wall=FakeWall()) as store:
        standard = full_session(store)
        ketamine = full_session(store, kind="ketamine")
        other = store.create_session("K-2", "standard", 45, target_label="exam")
        store.record_set(make_set(other, 1))
    with closing(sqlite3.connect(default_db_path())) as conn:  # its process is gone
        conn.execute("UPDATE sessions SET pid = NULL WHERE id = ?", (other,))
        conn.commit()
    return {"standard": standard, "ketamine": ketamine, "other": other}


def load(session_id: int):  # type: ignore[no-untyped-def]
    with Store.open(wall=FakeWall()) as store:
        return store.load_session(session_id)


def test_help() -> None:
    for command in ([], ["list"], ["show"], ["export"], ["delete"]):
        result = bls(*command, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_list_empty_is_friendly_and_creates_nothing(isolated_dirs: dict[str, Path]) -> None:
    result = bls("list")
    assert result.exit_code == 0 and result.stdout.strip() == "No sessions recorded yet."
    assert not default_db_path().exists()


def test_list(ids: dict[str, int]) -> None:
    result = bls("list")
    assert result.exit_code == 0
    rows = {
        int(line.split()[0]): line
        for line in result.stdout.splitlines()
        if line[:4].strip().isdigit()
    }
    assert set(rows) == set(ids.values())
    standard = rows[ids["standard"]].split()
    assert standard[1:] == [
        "2025-03-02",
        *standard[2:3],
        "C-014",
        "standard",
        "completed",
        "3",
        "60/55",
        "car",
        "crash",
    ]
    assert "ketamine" in rows[ids["ketamine"]]
    assert "interrupted" in rows[ids["other"]] and "45/–" in rows[ids["other"]]
    only = bls("list", "--client", "K-2")
    assert "K-2" in only.stdout and "C-014" not in only.stdout
    none = bls("list", "--client", "Z-9")
    assert none.exit_code == 0 and none.stdout.strip() == "No sessions recorded for client Z-9."


def test_list_bad_client_code_is_usage_error() -> None:
    one_line_error(bls("list", "--client", "Jane Doe"), 2, "may be a real name")


def test_show_standard(ids: dict[str, int]) -> None:
    result = bls("show", str(ids["standard"]))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for text in (
        f"Session {ids['standard']}: C-014, standard EMDR, completed",
        "planned 60, actual 55",
        "car crash",
        "Assessment (baseline)",
        "I am in danger",
        "8/10",
        "3. Assessment",
        "6 min 00 s",
        "4. Desensitisation",
        "20/48",
        "10/24",
        "yes: client signal",
        "tightness in chest",
        "incomplete",
        "rest goes in the container",
        "SUD 0-10",
        "VOC 1-7",
        "minutes since session start",
    ):
        assert text in out, text
    assert "Medicine" not in out
    assert "\x1b[" not in out  # not a terminal: no colour codes
    assert "SUD 0-10" not in bls("show", str(ids["standard"]), "--no-plot").stdout


def test_show_ketamine(ids: dict[str, int]) -> None:
    out = bls("show", str(ids["ketamine"])).stdout
    for text in ("Medicine (ketamine)", "Sublingual lozenge", "50 mg", "128/82", "2.5 (bhs)"):
        assert text in out, text
    for text in ("Since dose (min)", "Vitals", "Timeline since dose (T0)"):
        assert text in out, text


def test_show_unknown_and_bad_ids(ids: dict[str, int]) -> None:
    one_line_error(bls("show", "42"), 1, "no session with ID 42 (see `bls sessions list`)")
    one_line_error(bls("show", "abc"), 2, "session ID must be a whole number")
    one_line_error(bls("export", "0"), 2, "session ID must be a whole number")


def test_show_without_database_is_not_found() -> None:
    one_line_error(bls("show", "1"), 1, "no session with ID 1")
    assert not default_db_path().exists()


def test_export_json_round_trip(ids: dict[str, int]) -> None:
    for key in ("standard", "ketamine"):
        result = bls("export", str(ids[key]), "--format", "json")
        assert result.exit_code == 0
        assert import_json(result.stdout) == load(ids[key])


def test_export_markdown_is_a_session_note(ids: dict[str, int]) -> None:
    md = bls("export", str(ids["standard"]), "-f", "md").stdout
    assert md.startswith("# EMDR session note (draft)")
    assert "- **Client code:** C-014" in md and "## Closure" in md
    set_lines = [line for line in md.splitlines() if line.startswith(("| 7 |", "| 8 |", "| 11 |"))]
    assert len(set_lines) == 3


def test_export_csv_one_row_per_set(ids: dict[str, int]) -> None:
    text = bls("export", str(ids["standard"]), "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["set_number"] for r in rows] == ["7", "8", "11"]


def test_export_to_file_is_private(ids: dict[str, int], tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    result = bls("export", str(ids["standard"]), "--format", "md", "-o", str(target))
    assert result.exit_code == 0 and str(target) in result.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == bls("export", str(ids["standard"])).stdout


def test_export_to_folder_uses_default_name(ids: dict[str, int], tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    data = load(ids["ketamine"])
    plain = bls("export", str(ids["ketamine"]), "-f", "csv", "-o", str(folder))
    assert plain.exit_code == 0
    named = bls(
        "export", str(ids["ketamine"]), "-f", "json", "-o", str(folder), "--name-with-client"
    )
    assert named.exit_code == 0
    expected = {
        default_export_name(data, "csv"),
        default_export_name(data, "json", include_client=True),
    }
    assert {p.name for p in folder.iterdir()} == expected
    assert any(name.startswith("C-014-") for name in expected)
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_export_errors(ids: dict[str, int], tmp_path: Path) -> None:
    one_line_error(
        bls("export", "1", "--format", "pdf"), 2, "--format 'pdf': must be one of md, csv, json"
    )
    missing = tmp_path / "no" / "such" / "note.md"
    one_line_error(bls("export", "1", "-o", str(missing)), 1, "does not exist")
    assert not missing.parent.exists()
    one_line_error(bls("export", "77", "-f", "csv"), 1, "no session with ID 77")


def test_delete_refused_keeps_data(ids: dict[str, int]) -> None:
    sid = ids["standard"]
    for answer in ("no\n", "\n", "y\n", ""):
        one_line_error(bls("delete", str(sid), input=answer), 1, "nothing was deleted")
    assert load(sid).session.id == sid


def test_delete_one_session_after_typing_its_id(ids: dict[str, int]) -> None:
    sid = ids["standard"]
    result = bls("delete", str(sid), input=f"{sid}\n")
    assert result.exit_code == 0, result.stderr
    assert f"Type {sid} to confirm" in result.stdout
    assert f"Deleted session {sid} (C-014" in result.stdout
    one_line_error(bls("show", str(sid)), 1, f"no session with ID {sid}")
    assert load(ids["ketamine"]).session.id == ids["ketamine"]


def test_delete_client_with_yes(ids: dict[str, int]) -> None:
    result = bls("delete", "--client", "C-014", "--yes")
    assert result.exit_code == 0
    assert "Deleted 2 session(s) of client C-014" in result.stdout
    listed = bls("list").stdout
    assert "C-014" not in listed and "K-2" in listed


def test_delete_client_needs_the_code_typed(ids: dict[str, int]) -> None:
    one_line_error(bls("delete", "--client", "K-2", input="C-014\n"), 1, "nothing was deleted")
    result = bls("delete", "--client", "K-2", input="K-2\n")
    assert result.exit_code == 0 and "Deleted 1 session(s) of client K-2" in result.stdout


def test_delete_usage_and_not_found(ids: dict[str, int]) -> None:
    one_line_error(bls("delete"), 2, "give a session ID or --client CODE")
    one_line_error(bls("delete", "1", "--client", "K-2"), 2, "give a session ID or --client CODE")
    one_line_error(bls("delete", "--client", "Z-9", "--yes"), 1, "no sessions for client Z-9")
    one_line_error(bls("delete", "99", "--yes"), 1, "no session with ID 99")


def test_delete_refuses_a_session_being_recorded() -> None:
    with Store.open() as store:  # real clock: the heartbeat is fresh and this process is alive
        sid = store.create_session("C-7", "standard", 60)
    one_line_error(bls("delete", str(sid), "--yes"), 1, "is being recorded by a running bls")
    one_line_error(bls("delete", "--client", "C-7", "--yes"), 1, "is being recorded")
    assert load(sid).session.status == "active"


def test_corrupt_database_is_kept(ids: dict[str, int]) -> None:
    path = default_db_path()
    Store.open(wall=FakeWall()).close()  # the second open takes the daily backup
    backup = path.parent / "backups" / "sessions-20250302.db"
    assert backup.exists()
    assert not Path(f"{path}-wal").exists()  # every connection was closed
    garbage = b"this is not a database\x00" * 100
    path.write_bytes(garbage)
    for args in (["list"], ["show", "1"], ["export", "1", "-f", "json"], ["delete", "1", "--yes"]):
        result = bls(*args)
        one_line_error(result, 1, "is damaged")
        assert "kept unchanged" in result.stderr and str(backup) in result.stderr
    assert path.read_bytes() == garbage


def test_newer_database_is_refused(ids: dict[str, int]) -> None:
    with closing(sqlite3.connect(default_db_path())) as conn:
        conn.execute("PRAGMA user_version = 99")
    for args in (["list"], ["show", "1"]):
        one_line_error(bls(*args), 1, "written by a newer bls-tui")


def test_console_script_bad_format_is_one_line(ids: dict[str, int]) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bls_tui", "sessions", "export", "1", "--format", "pdf"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_export_to_a_terminal_never_sends_escapes_or_bidi_overrides(
    ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """CSV and JSON on a terminal show a note's ESC and RLO escaped; piped, the data is exact."""
    from bls_tui.cli import sessions_cmd

    note = "calm\x1b]0;pwned\x07 \u202eevil"
    with Store.open(wall=FakeWall()) as store:
        store.add_note(ids["standard"], note)
    for fmt in ("csv", "json", "md"):
        monkeypatch.setattr(sessions_cmd, "stdout_is_terminal", lambda: True)
        shown = bls("export", str(ids["standard"]), "-f", fmt).stdout
        assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown, fmt
        assert "calm" in shown
        monkeypatch.setattr(sessions_cmd, "stdout_is_terminal", lambda: False)
        piped = bls("export", str(ids["standard"]), "-f", fmt).stdout
        if fmt == "json":
            assert any("\u202e" in n.text for n in import_json(piped).notes)
