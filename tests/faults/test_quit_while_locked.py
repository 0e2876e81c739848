"""Quitting while another program holds the database: the app says where the records are.

Found by an adversarial pass: the finished set was only in the emergency copy, and the app
exited 0 saying nothing.  Now the exit note names the emergency copy (the CLI prints it as one
line and exits 1), and the copy is named for this database (sessions with the same ID in two
data folders never share one), and `sessions delete` removes it with the session.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bls_tui.cli import app as cli
from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.record_writer import emergency_dir, emergency_name
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import make_app
from records_helpers import FakeWall


@pytest.fixture
def emergency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return tmp_path / "tmp"


async def test_quitting_with_the_database_held_names_the_emergency_copy(
    isolated_dirs: dict[str, Path], emergency: Path
) -> None:
    wall = FakeWall()
    clock = FakeClock()
    db = isolated_dirs["data"] / "sessions.db"
    app = make_app(
        RunOptions(preset=Preset(cycles=1, speed_hz=2.0)),
        clock,
        mode="session",
        session=SessionStart("L-1", planned_min=60),
        store_opener=lambda: Store.open(db, backup=False, wall=wall),
        wall=wall,
    )
    holder: sqlite3.Connection | None = None
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("space")
        clock.advance(2.0)
        await pilot.pause(0.2)
        await pilot.press("escape")  # the between-sets prompt
        await pilot.press("q")
        await pilot.press("y")
    assert holder is not None
    holder.execute("ROLLBACK")
    holder.close()
    copy = emergency_dir() / emergency_name(db, 1)
    assert app.exit_note is not None and str(copy) in app.exit_note, app.exit_note
    records = [json.loads(line) for line in copy.read_text().splitlines()]
    assert any(r["record"] == "set" for r in records)
    # `sessions delete` takes the emergency copy with the session
    result = CliRunner().invoke(cli, ["sessions", "delete", "1", "--yes"])
    assert result.exit_code == 0, result.output
    assert not copy.exists()


def test_two_databases_never_share_an_emergency_file(tmp_path: Path) -> None:
    a = emergency_name(tmp_path / "one" / "sessions.db", 1)
    b = emergency_name(tmp_path / "two" / "sessions.db", 1)
    assert a != b and a.startswith("session-1-") and a.endswith(".jsonl")
