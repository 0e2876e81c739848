"""Media faults named as what they are, and reading that works whatever the medium.

Each case puts a real fault where the session database lives: a data folder that is a file,
another program's SQLite file, a FIFO, a database held by a second process, a read-only or a
full tmpfs (in a private mount namespace: ``unshare -m`` / ``-rm``; skipped with the reason
where that is not allowed).  Reading commands (list / show / export) must work wherever the
database is healthy; every refusal is one line naming the fault; no 0-byte database is left
behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bls_tui.records.base import DatabaseBusyError, MediaError, NotBlsDatabaseError
from bls_tui.records.store import Store
from real_app import bls_env, run_bls
from records_helpers import FakeWall


def seeded(env: dict[str, str]) -> Path:
    db = Path(env["BLS_DATA_DIR"]) / "sessions.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db, wall=FakeWall()) as store:
        sid = store.create_session("H-1", "standard", 60)
        store.add_note(sid, "kept")
        store.finish_session(sid, closure_complete=True)
    return db


def data_is_a_file(env: dict[str, str]) -> None:
    data = Path(env["BLS_DATA_DIR"])
    data.rmdir()
    data.write_text("not a folder\n")


def other_sqlite(env: dict[str, str]) -> None:
    conn = sqlite3.connect(Path(env["BLS_DATA_DIR"]) / "sessions.db")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.commit()
    conn.close()


def other_sqlite_with_sessions(env: dict[str, str]) -> None:
    """Another program's file that happens to have a `sessions` table and user_version 3."""
    conn = sqlite3.connect(Path(env["BLS_DATA_DIR"]) / "sessions.db")
    conn.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, token TEXT)")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


def db_fifo(env: dict[str, str]) -> None:
    os.mkfifo(Path(env["BLS_DATA_DIR"]) / "sessions.db")


def not_sqlite(env: dict[str, str]) -> None:
    (Path(env["BLS_DATA_DIR"]) / "sessions.db").write_text("hello\n")


# name: (make the fault, command, exit status, needle)
CASES: dict[str, tuple[Callable[[dict[str, str]], None], list[str], int, str]] = {
    "data folder is a file: list": (data_is_a_file, ["sessions", "list"], 1, "not a folder"),
    "data folder is a file: delete": (data_is_a_file, ["sessions", "delete", "1", "-y"], 1,
                                      "not a folder"),
    "another program's SQLite: list": (other_sqlite, ["sessions", "list"], 1,
                                       "not a bls-tui database"),
    "another program's SQLite: show": (other_sqlite, ["sessions", "show", "1"], 1,
                                       "not a bls-tui database"),
    "another program's SQLite: delete": (other_sqlite, ["sessions", "delete", "1", "-y"], 1,
                                         "not a bls-tui database"),
    "another program's SQLite with a sessions table: list": (
        other_sqlite_with_sessions, ["sessions", "list"], 1, "not a bls-tui database"),
    "another program's SQLite with a sessions table: show": (
        other_sqlite_with_sessions, ["sessions", "show", "1"], 1, "not a bls-tui database"),
    "database path is a FIFO": (db_fifo, ["sessions", "list"], 1, "not a regular file"),
    "not SQLite at all": (not_sqlite, ["sessions", "list"], 1, "damaged"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
def test_media_fault_is_named_in_one_line(tmp_path: Path, name: str) -> None:
    make, args, code, needle = CASES[name]
    env = bls_env(tmp_path)
    make(env)
    target = Path(env["BLS_DATA_DIR"]) / "sessions.db"
    before = target.read_bytes() if target.is_file() else None
    res = run_bls(env, *args, timeout=30)
    lines = res.stderr.strip().splitlines()
    assert res.returncode == code and len(lines) == 1, res.stderr
    assert lines[0].startswith("bls: error: ") and needle in lines[0], lines[0]
    assert "Traceback" not in res.stderr
    if before is not None:
        assert target.read_bytes() == before, "the file was changed"


@pytest.mark.parametrize("make", [other_sqlite, other_sqlite_with_sessions])
def test_another_programs_sqlite_is_refused_by_the_store_and_left_unchanged(
    tmp_path: Path, make: Callable[[dict[str, str]], None]
) -> None:
    env = bls_env(tmp_path)
    make(env)
    db = Path(env["BLS_DATA_DIR"]) / "sessions.db"
    before = db.read_bytes()
    with pytest.raises(NotBlsDatabaseError, match="not a bls-tui database"):
        Store.open(db)
    assert db.read_bytes() == before


HOLD = r"""
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def held(tmp_path: Path) -> Any:
    """A seeded database whose write lock a second process holds until the test ends."""
    env = bls_env(tmp_path)
    db = seeded(env)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    yield env, db
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=10)


@pytest.mark.parametrize(
    "args",
    [["sessions", "list"], ["sessions", "show", "1", "--no-plot"],
     ["sessions", "export", "1", "-f", "json"]],
    ids=["list", "show", "export"],
)  # fmt: skip
def test_reading_works_while_another_program_holds_the_lock(held: Any, args: list[str]) -> None:
    env, _ = held
    res = run_bls(env, *args, timeout=30)
    assert res.returncode == 0, res.stderr
    assert "H-1" in res.stdout


def test_writing_while_held_is_one_line_naming_the_holder(held: Any) -> None:
    env, db = held
    res = run_bls(env, "sessions", "delete", "1", "-y", timeout=60)
    lines = res.stderr.strip().splitlines()
    assert res.returncode == 1 and len(lines) == 1, res.stderr
    assert "held by another program" in lines[0], lines[0]
    with Store.open(db, backup=False) as store, pytest.raises(DatabaseBusyError) as info:
        store.create_session("H-2", "standard", 60)
    assert "held by another program" in str(info.value)


def test_a_new_database_on_a_held_file_is_named_busy(tmp_path: Path) -> None:
    """A fresh (schema-less) file held by another bls: creating the tables must wait, then
    say so in one line, and remove nothing that is not ours."""
    db = tmp_path / "fresh.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusyError, match="held by another program"):
            Store.open(db, backup=False)
    finally:
        conn.execute("ROLLBACK")
        conn.close()


# --------------------------------------------------------------------------- tmpfs faults
CHILD = r"""
import json, os, subprocess, sys
from pathlib import Path
data = Path(os.environ["BLS_DATA_DIR"])
out = {}
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(data)],
               check=True)
from bls_tui.records.store import Store
from records_helpers import FakeWall
mode = sys.argv[1]
if mode == "read-only":
    with Store.open(wall=FakeWall()) as store:
        sid = store.create_session("R-1", "standard", 60)
        store.add_note(sid, "on read-only media")
        store.finish_session(sid, closure_complete=True)
    subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
else:  # full: nothing exists yet, and not a byte is free
    fd = os.open(data / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    os.close(fd)
bls = [sys.executable, "-m", "bls_tui"]
for name, args in (("list", ["sessions", "list"]), ("show", ["sessions", "show", "1", "--no-plot"]),
                   ("export", ["sessions", "export", "1", "-f", "json"]),
                   ("delete", ["sessions", "delete", "1", "-y"])):
    res = subprocess.run(bls + args, capture_output=True, text=True, timeout=60)
    out[name] = [res.returncode, res.stdout[:600], res.stderr]
try:
    Store.open().close()
    out["open"] = "opened"
except Exception as exc:
    out["open"] = f"{type(exc).__name__}: {exc}"
out["files"] = sorted(p.name for p in data.iterdir())
print("RESULT " + json.dumps(out))
"""


def run_in_tmpfs(tmp_path: Path, mode: str) -> dict[str, Any]:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        pytest.skip("needs unshare(1) and mount(8) for a private tmpfs")
    prefix = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    env = bls_env(tmp_path)
    env["PYTHONPATH"] = f"{Path(__file__).resolve().parents[1]}{os.pathsep}{env['PYTHONPATH']}"
    res = subprocess.run(
        [*prefix, sys.executable, "-c", CHILD, mode], env=env, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip
    if res.returncode != 0 and ("unshare" in res.stderr or "mount" in res.stderr):
        pytest.skip(f"no private mount namespace here: {res.stderr.strip()[-200:]}")
    lines = [x for x in res.stdout.splitlines() if x.startswith("RESULT ")]
    assert res.returncode == 0 and lines, res.stderr[-3000:]
    out: dict[str, Any] = json.loads(lines[0][7:])
    return out


@pytest.mark.slow
def test_read_only_media_can_be_read_and_exported(tmp_path: Path) -> None:
    out = run_in_tmpfs(tmp_path, "read-only")
    for name in ("list", "show", "export"):
        code, stdout, stderr = out[name]
        assert code == 0 and "R-1" in stdout, (name, stderr)
    code, _, stderr = out["delete"]
    assert code == 1 and len(stderr.strip().splitlines()) == 1, stderr
    assert "read-only" in stderr and "damaged" not in stderr, stderr
    assert "read-only" in out["open"] and MediaError.__name__ in out["open"], out["open"]


@pytest.mark.slow
def test_a_full_disk_at_start_is_named_and_leaves_no_empty_database(tmp_path: Path) -> None:
    out = run_in_tmpfs(tmp_path, "full")
    assert out["list"][0] == 0 and "No sessions recorded yet" in out["list"][1], out["list"]
    assert "full" in out["open"] and "damaged" not in out["open"], out["open"]
    assert out["files"] == ["filler"], out["files"]  # no 0-byte sessions.db, -wal or -shm


def test_database_file_bytes_unchanged_by_reading(tmp_path: Path) -> None:
    env = bls_env(tmp_path)
    db = seeded(env)
    Store.open(db).close()  # checkpointed and closed: the file is the whole database
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    for args in (["sessions", "list"], ["sessions", "show", "1"], ["sessions", "export", "1"]):
        assert run_bls(env, *args).returncode == 0
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
