"""Privacy: no network, private files, no client code in export names unless asked.

The network guard itself lives in ``tests/netguard`` and is active for every test of the suite
(``tests/conftest.py``); the first tests here prove that it would catch a socket.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import bls_netguard
import pytest

from bls_tui.records.schema import backups_dir
from bls_tui.records.store import Store
from real_app import TmuxApp, bls_env, run_bls, write_fast_preset
from records_helpers import FakeWall, full_session


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def forgive() -> None:
    """Forget violations a test provoked on purpose (the guard fixture would fail it)."""
    bls_netguard.state.violations.clear()
    Path(os.environ["BLS_NETGUARD_LOG"]).unlink(missing_ok=True)


# --------------------------------------------------------------------------- network guard
def test_guard_refuses_an_inet_connect_in_this_process() -> None:
    assert bls_netguard.state.active
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(bls_netguard.NetworkUseError):
            sock.connect(("127.0.0.1", 9))
    finally:
        sock.close()
    assert bls_netguard.state.violations
    forgive()


def test_guard_refuses_name_lookups_and_allows_local_unix_sockets(tmp_path: Path) -> None:
    with pytest.raises(bls_netguard.NetworkUseError):
        socket.getaddrinfo("example.org", 443)
    forgive()
    a, b = socket.socketpair()  # asyncio's self-pipe
    a.close()
    b.close()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(tmp_path / "s.sock"))
    server.close()
    assert bls_netguard.state.violations == []


def test_guard_is_active_in_child_processes(tmp_path: Path) -> None:
    log = Path(os.environ["BLS_NETGUARD_LOG"])
    code = "import socket; s = socket.socket(); s.connect(('127.0.0.1', 9))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode != 0 and "NetworkUseError" in out.stderr
    assert "socket.connect" in log.read_text()
    forgive()


# --------------------------------------------------------------------------- files
def test_store_creates_private_folder_and_files(isolated_dirs: dict[str, Path]) -> None:
    os.umask(0o022)
    wall = FakeWall()
    with Store.open(wall=wall) as store:
        full_session(store)
    data = isolated_dirs["data"]
    assert mode(data) == 0o700
    for name in ("sessions.db", "sessions.db-wal", "sessions.db-shm"):
        if (data / name).exists():
            assert mode(data / name) == 0o600, name
    wall.jump(days=1)
    with Store.open(wall=wall):  # the daily backup is taken on the next day's open
        pass
    folder = backups_dir(data / "sessions.db")
    assert mode(folder) == 0o700
    backups = list(folder.iterdir())
    assert backups and all(mode(p) == 0o600 for p in backups)


def test_exports_are_private_and_named_without_the_client(tmp_path: Path) -> None:
    env = bls_env(tmp_path / "run")
    with Store.open(Path(env["BLS_DATA_DIR"]) / "sessions.db") as store:
        sid = full_session(store)
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("md", "csv", "json"):
        res = run_bls(env, "sessions", "export", str(sid), "--format", fmt, "-o", str(out))
        assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 3
    assert all("C-014" not in n for n in names), names
    assert all(mode(p) == 0o600 for p in out.iterdir())
    res = run_bls(env, "sessions", "export", str(sid), "-o", str(out), "--name-with-client")
    assert res.returncode == 0, res.stderr
    assert any(n.startswith("C-014-") for n in os.listdir(out))
    explicit = out / "explicit.md"
    explicit.write_text("old")
    os.chmod(explicit, 0o644)
    assert run_bls(env, "sessions", "export", str(sid), "-o", str(explicit)).returncode == 0
    assert mode(explicit) == 0o600  # replaced, not widened


@pytest.mark.slow
def test_real_run_leaves_only_private_files(tmp_path: Path) -> None:
    """`bls run` (no session) and `bls session` create their folders 0700 and files 0600."""
    os.umask(0o022)
    env = bls_env(tmp_path / "run")
    data, config = Path(env["BLS_DATA_DIR"]), Path(env["BLS_CONFIG_DIR"])
    data.rmdir()
    config.rmdir()
    app = TmuxApp(tmp_path / "run", env, ["run", "--audio", "none", "--cycles", "1"])
    try:
        app.wait_for(r"space starts a set")
        app.send("q")
        assert app.wait_exit() == 0
    finally:
        app.close()
    for path in [data, *data.rglob("*"), config, *config.rglob("*")]:
        want = 0o700 if path.is_dir() else 0o600
        assert mode(path) == want, f"after `bls run`: {path} is {oct(mode(path))}"
    write_fast_preset(env)  # the user's own file: made private here, as a careful user would
    os.chmod(config / "presets", 0o700)
    os.chmod(config / "presets" / "fast.toml", 0o600)
    app = TmuxApp(
        tmp_path / "run", env, ["session", "--client", "P-1", "--preset", "fast"], size=(110, 35)
    )
    try:
        app.wait_for(r"session \d+")
        app.send("Space")
        app.wait_for(r"set 1 done|between|SUD", timeout=10)
        app.signal(__import__("signal").SIGTERM)
        app.wait_exit()
    finally:
        app.close()
    for root in (data, config):
        for path in [root, *root.rglob("*")]:
            want = 0o700 if path.is_dir() else 0o600
            assert mode(path) == want, f"{path} is {oct(mode(path))}, want {oct(want)}"
