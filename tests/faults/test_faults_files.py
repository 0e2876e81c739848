"""Hostile files, hostile text and odd values: one line each, no hang, nothing replaced.

Every case runs the real program (``python -m bls_tui``) as a child process with its own
folders, on real files: symlinks to devices, FIFOs, folders, oversized files, deep preset
chains, escape sequences and bidi overrides in presets and notes, export targets that are not
regular files.  Each must end within the time limit with one ``bls: error:`` line (or a clean
result), no traceback, and leave no device or FIFO replaced.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, as a package
    import tomli as tomllib

from bls_tui.records.store import Store
from real_app import bls_env, db_rows, run_bls
from records_helpers import FakeWall

ESC = "\x1b]0;owned\x07\x1b[2J"
RLO = "\u202e"


@dataclass
class Case:
    setup: Callable[[dict[str, str]], None]
    args: list[str]
    needle: str
    """Text the one error line must contain ("" = the command must succeed)."""


def cfg(env: dict[str, str]) -> Path:
    path = Path(env["BLS_CONFIG_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def presets(env: dict[str, str]) -> Path:
    path = cfg(env) / "presets"
    path.mkdir(exist_ok=True)
    return path


def link(target: str, *parts: str) -> Callable[[dict[str, str]], None]:
    def setup(env: dict[str, str]) -> None:
        path = presets(env) if parts[0] == "presets" else cfg(env)
        os.symlink(target, path / parts[-1])

    return setup


def fifo(*parts: str) -> Callable[[dict[str, str]], None]:
    def setup(env: dict[str, str]) -> None:
        path = presets(env) if parts[0] == "presets" else cfg(env)
        os.mkfifo(path / parts[-1])

    return setup


def big(*parts: str) -> Callable[[dict[str, str]], None]:
    def setup(env: dict[str, str]) -> None:
        path = presets(env) if parts[0] == "presets" else cfg(env)
        (path / parts[-1]).write_text("# padding\n" * 40_000)

    return setup


def folder(*parts: str) -> Callable[[dict[str, str]], None]:
    def setup(env: dict[str, str]) -> None:
        path = presets(env) if parts[0] == "presets" else cfg(env)
        (path / parts[-1]).mkdir()

    return setup


def chain(depth: int) -> Callable[[dict[str, str]], None]:
    def setup(env: dict[str, str]) -> None:
        folder_ = presets(env)
        for i in range(depth):
            parent = f"p{i + 1}" if i + 1 < depth else "standard"
            (folder_ / f"p{i}.toml").write_text(f'inherits = "{parent}"\n')

    return setup


def nothing(env: dict[str, str]) -> None:
    del env


def sounds(kind: str) -> Callable[[dict[str, str]], None]:
    def setup(env: dict[str, str]) -> None:
        path = Path(env["BLS_DATA_DIR"]) / "sounds"
        path.mkdir(parents=True, exist_ok=True)
        if kind == "zero":
            os.symlink("/dev/zero", path / "zero.wav")
        else:
            os.mkfifo(path / "pipe.wav")

    return setup


# fmt: off
CASES: dict[str, Case] = {
    "config -> /dev/zero": Case(link("/dev/zero", "config.toml"), ["run"], "device"),
    "config is a FIFO": Case(fifo("config.toml"), ["run"], "FIFO"),
    "config is a folder": Case(folder("config.toml"), ["run"], "folder"),
    "config of 400 kB": Case(big("config.toml"), ["run"], "limit"),
    "preset -> /dev/zero": Case(link("/dev/zero", "presets", "z.toml"), ["run", "--preset", "z"],
                                "device"),
    "preset is a FIFO": Case(fifo("presets", "f.toml"), ["presets", "show", "f"], "FIFO"),
    "preset of 400 kB": Case(big("presets", "b.toml"), ["presets", "show", "b"], "limit"),
    "preset chain 1,100 deep": Case(chain(1100), ["presets", "show", "p0"], "deeper than 16"),
    "remembered settings are a FIFO": Case(fifo("last.toml"), ["config", "path"], ""),
    "tone -> /dev/zero": Case(sounds("zero"), ["run", "--tone", "zero"], "--tone"),
    "tone is a FIFO": Case(sounds("fifo"), ["run", "--tone", "pipe"], "--tone"),
    "session ID past SQLite's range": Case(nothing, ["sessions", "show", "9" * 30], "session ID"),
    "session ID of 2**63": Case(nothing, ["sessions", "show", str(2**63)], "session ID"),
    "session ID in other digits": Case(nothing, ["sessions", "show", "\u0664\u0662"],
                                       "session ID"),
    "bad --target named as --target": Case(
        nothing, ["session", "--client", "C-1", "--target", "a\nb"], "--target"
    ),
    "--target with a bidi override": Case(
        nothing, ["session", "--client", "C-1", "--target", f"x{RLO}y"], "--target"
    ),
    "--trace to a FIFO": Case(fifo("trace.fifo"), ["run", "--trace", "{config}/trace.fifo"],
                              "--trace"),
    "--trace to a device": Case(nothing, ["run", "--trace", "/dev/null"], "--trace"),
    "stdout not a terminal: run": Case(nothing, ["run"], "terminal"),
    "stdout not a terminal: session": Case(nothing, ["session", "--client", "T-1"], "terminal"),
    "stdout not a terminal: bls": Case(nothing, [], "terminal"),
}
# fmt: on


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_or_value_gives_one_line(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    env = bls_env(tmp_path)
    case.setup(env)
    args = [a.replace("{config}", env["BLS_CONFIG_DIR"]) for a in case.args]
    res = run_bls(env, *args, timeout=30)  # a FIFO that hangs or /dev/zero fails the timeout
    assert "Traceback" not in res.stderr + res.stdout, res.stderr
    if not case.needle:
        assert res.returncode == 0, res.stderr
        return
    lines = res.stderr.strip().splitlines()
    assert res.returncode != 0
    assert len(lines) == 1 and lines[0].startswith("bls: error: "), res.stderr
    assert case.needle in lines[0], lines[0]
    # nothing was recorded by a program that refused to start
    db = Path(env["BLS_DATA_DIR"]) / "sessions.db"
    if db.exists():
        assert db_rows(env, "SELECT count(*) FROM sessions") == [(0,)]


def test_trace_file_is_private_even_with_umask_022(tmp_path: Path) -> None:
    env = bls_env(tmp_path)
    trace = tmp_path / "t.jsonl"
    old = os.umask(0o022)
    try:
        res = run_bls(env, "run", "--trace", str(trace))  # refused later: no terminal
    finally:
        os.umask(old)
    assert "terminal" in res.stderr
    assert stat.S_IMODE(trace.stat().st_mode) == 0o600


# --------------------------------------------------------------------------- escaped output
def test_presets_show_and_list_escape_controls_and_show_valid_toml(tmp_path: Path) -> None:
    env = bls_env(tmp_path)
    description = f"calm{ESC}{RLO}done"
    presets(env).joinpath("evil.toml").write_text(
        f"description = {toml_quote(description)}\nspeed_hz = 1.0\n", encoding="utf-8"
    )
    shown = run_bls(env, "presets", "show", "evil")
    listed = run_bls(env, "presets", "list")
    assert shown.returncode == 0 and listed.returncode == 0, shown.stderr + listed.stderr
    for out in (shown.stdout, listed.stdout):
        assert "\x1b" not in out and "\x07" not in out and RLO not in out
    assert "\\u202e" in listed.stdout or "\\u202e" in shown.stdout
    parsed = tomllib.loads(shown.stdout)  # valid TOML that reads back as the same text
    assert parsed["description"] == description


def toml_quote(text: str) -> str:
    from bls_tui.safety.text import toml_string

    return toml_string(text)


def test_sessions_show_and_list_escape_notes_and_labels(tmp_path: Path) -> None:
    env = bls_env(tmp_path)
    db = Path(env["BLS_DATA_DIR"]) / "sessions.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db, wall=FakeWall()) as store:
        sid = store.create_session("E-1", "standard", 60)
        store.add_note(sid, f"before{ESC}{RLO}after")
        store.finish_session(sid, closure_complete=True)
        # a label written by an older release, before labels were checked
        store._conn.execute("UPDATE sessions SET target_label = ?", (f"lab{RLO}el\x1b[2J",))
    for args in (["sessions", "show", "1", "--no-plot"], ["sessions", "list"]):
        res = run_bls(env, *args)
        assert res.returncode == 0, res.stderr
        assert "\x1b" not in res.stdout and RLO not in res.stdout, res.stdout
        assert "\\u202e" in res.stdout


def test_markdown_export_renders_notes_as_text(tmp_path: Path) -> None:
    env = bls_env(tmp_path)
    db = Path(env["BLS_DATA_DIR"]) / "sessions.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db, wall=FakeWall()) as store:
        sid = store.create_session("M-1", "standard", 60)
        store.add_note(sid, "<script>alert(1)</script> <img src=x onerror=alert(1)>")
        store.add_note(sid, "[click](javascript:alert(1)) and ![x](https://example.org/p.png)")
        store.add_note(sid, "see <https://example.org/a> or https://example.org/b")
        store.finish_session(sid, closure_complete=True)
    res = run_bls(env, "sessions", "export", "1", "-o", "-")
    assert res.returncode == 0, res.stderr
    md = res.stdout
    assert not (Path(env["HOME"]) / "-").exists() and not Path("-").exists()
    for raw in ("<script", "<img", "](javascript:", "![x](", "<https://", "https://"):
        assert raw not in md, (raw, md)
    assert "&lt;script&gt;" in md and "javascript&#58;" in md


# --------------------------------------------------------------------------- export targets
def recorded(env: dict[str, str]) -> None:
    db = Path(env["BLS_DATA_DIR"]) / "sessions.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db, wall=FakeWall()) as store:
        sid = store.create_session("X-1", "standard", 60)
        store.finish_session(sid, closure_complete=True)


# fmt: off
TARGETS: dict[str, tuple[Callable[[Path], Path], str]] = {
    # name: (make the target, needle of the one error line)
    "a FIFO": (lambda d: (os.mkfifo(d / "p"), d / "p")[1], "FIFO"),
    "a symlink to a device": (lambda d: (os.symlink("/dev/null", d / "n"), d / "n")[1],
                              "symbolic link"),
    "a symlink to a file": (lambda d: (os.symlink(d / "real.md", d / "l"), d / "l")[1],
                            "symbolic link"),
    "a device": (lambda d: Path("/dev/null"), "device"),
}
# fmt: on


@pytest.mark.parametrize("name", list(TARGETS))
def test_export_never_replaces_a_non_regular_target(tmp_path: Path, name: str) -> None:
    env = bls_env(tmp_path)
    recorded(env)
    where = tmp_path / "out"
    where.mkdir()
    (where / "real.md").write_text("keep me\n")
    make, needle = TARGETS[name]
    target = make(where)
    before = os.lstat(target)
    res = run_bls(env, "sessions", "export", "1", "-o", str(target), timeout=30)
    lines = res.stderr.strip().splitlines()
    assert res.returncode == 1 and len(lines) == 1 and needle in lines[0], res.stderr
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert (where / "real.md").read_text() == "keep me\n"
    assert not [p for p in where.iterdir() if p.name.endswith(".partial")]


def test_export_dash_goes_to_stdout(tmp_path: Path) -> None:
    env = bls_env(tmp_path)
    recorded(env)
    argv = [sys.executable, "-m", "bls_tui", "sessions", "export", "1", "-f", "json", "-o", "-"]
    res = subprocess.run(
        argv, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=30, check=False
    )
    assert res.returncode == 0, res.stderr
    assert '"client_code": "X-1"' in res.stdout
    assert not (tmp_path / "-").exists()


def test_sqlite_overflow_ids_never_reach_sqlite(tmp_path: Path) -> None:
    env = bls_env(tmp_path)
    recorded(env)
    for value in (str(2**64), "0", "1e3", " 1 2"):
        res = run_bls(env, "sessions", "show", value)
        assert res.returncode == 2 and "session ID" in res.stderr, (value, res.stderr)
    with pytest.raises(OverflowError):  # what SQLite itself would have raised
        sqlite3.connect(":memory:").execute("SELECT ?", (2**64,))
