"""The display link over a real Unix socket: attach, publish, and every kind of bad input.

Each test runs a :class:`DisplayServer` and raw or real clients in one asyncio loop, in a
short private folder (``sun_path`` is about 100 bytes).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bls_tui.display import server as server_mod
from bls_tui.display.client import Link, attach
from bls_tui.display.server import DisplayServer
from bls_tui.display.socket import (
    NOT_RUNNING,
    SOCKET_NAME,
    LinkError,
    clear_stale,
    prepare_dir,
    probe,
    runtime_dir,
)
from bls_tui.display.wire import PROTOCOL_VERSION, Decoder, LinkState, encode
from bls_tui.stimulus.clock import FakeClock, MonotonicClock
from link_helpers import Heard, Holder, until


@pytest.fixture
def folder() -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="bls15-", dir="/tmp"))
    try:
        yield base / "run"
    finally:
        shutil.rmtree(base, ignore_errors=True)


async def raw(path: Path) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_unix_connection(str(path))


async def read_messages(reader: asyncio.StreamReader, timeout: float = 2.0) -> list[dict[str, Any]]:
    dec = Decoder()
    out: list[dict[str, Any]] = []
    try:
        while True:
            data = await asyncio.wait_for(reader.read(4096), timeout)
            if not data:
                return out
            out += dec.feed(data)
    except asyncio.TimeoutError:
        return out


# --------------------------------------------------------------------------- the good path
async def test_displays_attach_hear_every_change_and_are_counted(folder: Path) -> None:
    holder = Holder()
    server = DisplayServer(holder, MonotonicClock(), folder)
    assert await server.start(), server.problem
    try:
        path = folder / SOCKET_NAME
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600
        assert server.label().startswith("client display: not attached")
        heard = [Heard(), Heard()]
        links = [await attach(path, h, MonotonicClock()) for h in heard]
        assert all(isinstance(link, Link) for link in links)
        await until(lambda: all(h.states for h in heard))
        assert server.counts() == (2, 2)
        assert server.label().startswith("client display: live (2)")
        holder.state = LinkState(state="running", set=1, moving=True, anchor_t=5.0)
        server.on_event(None)
        await until(lambda: all(len(h.states) == 2 for h in heard))
        assert heard[0].states[-1] == holder.state
        server.publish()  # unchanged: nothing is sent again
        await asyncio.sleep(0.05)
        assert len(heard[1].states) == 2
        server.set_blank(True)
        await until(lambda: heard[0].states[-1].blank)
        assert "BLANK" in server.label()
        for link in links:
            assert isinstance(link, Link)
            link.close()
        await until(lambda: server.counts() == (0, 0))
    finally:
        server.close()
    assert not (folder / SOCKET_NAME).exists()


async def test_a_new_set_unblanks(folder: Path) -> None:
    server = DisplayServer(Holder(), MonotonicClock(), folder)
    assert await server.start()
    try:
        server.set_blank(True)
        server.on_event(type("E", (), {"kind": "set_start"})())
        assert server.blank is False
    finally:
        server.close()


async def test_display_attach_says_one_line_when_nothing_runs(folder: Path) -> None:
    heard = Heard()
    assert await attach(folder / SOCKET_NAME, heard, MonotonicClock()) == NOT_RUNNING
    assert probe(folder / SOCKET_NAME) == NOT_RUNNING


# --------------------------------------------------------------------------- bad input
async def test_stale_socket_is_replaced(folder: Path) -> None:
    prepare_dir(folder)
    path = folder / SOCKET_NAME
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()  # a bls killed -9 leaves this behind
    assert probe(path) == NOT_RUNNING
    server = DisplayServer(Holder(), MonotonicClock(), folder)
    assert await server.start(), server.problem
    try:
        assert probe(path) is None
        second = DisplayServer(Holder(), MonotonicClock(), folder)
        assert not await second.start()
        assert second.problem == "another bls on this machine already serves the client display"
    finally:
        server.close()


def test_a_file_in_place_of_the_socket_is_refused(folder: Path) -> None:
    prepare_dir(folder)
    (folder / SOCKET_NAME).write_text("not a socket")
    with pytest.raises(LinkError, match="is not a socket; refusing"):
        clear_stale(folder / SOCKET_NAME)


@pytest.mark.parametrize("mode", [0o755, 0o770, 0o701])
async def test_a_folder_open_to_others_is_refused(folder: Path, mode: int) -> None:
    folder.mkdir(mode=0o700)
    os.chmod(folder, mode)
    server = DisplayServer(Holder(), MonotonicClock(), folder)
    assert not await server.start()
    assert server.problem is not None and "open to others" in server.problem
    assert "\n" not in server.problem
    assert "must be 0700" in server.label()
    assert "open to others" in (probe(folder / SOCKET_NAME) or "")


async def test_a_folder_or_socket_owned_by_another_user_is_refused(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare_dir(folder)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(folder / SOCKET_NAME))
    dead.close()
    real = os.getuid()
    monkeypatch.setattr("bls_tui.display.socket.os.getuid", lambda: real + 1)  # we are someone else
    server = DisplayServer(Holder(), MonotonicClock(), folder)
    assert not await server.start()
    assert server.problem is not None and "belongs to another user" in server.problem
    assert "belongs to another user" in (probe(folder / SOCKET_NAME) or "")
    monkeypatch.undo()
    os.chmod(folder, 0o700)
    if real == 0:  # as root, a real foreign owner can be set up too
        os.chown(folder / SOCKET_NAME, 65534, 65534)
        with pytest.raises(LinkError, match="socket belongs to another user"):
            clear_stale(folder / SOCKET_NAME)


def test_a_symlinked_folder_is_refused(folder: Path) -> None:
    target = folder.parent / "elsewhere"
    target.mkdir(mode=0o700)
    folder.symlink_to(target)
    with pytest.raises(LinkError, match="not a plain folder"):
        prepare_dir(folder)


@pytest.mark.parametrize(
    "garbage",
    [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"9999999:" + b"x" * 100,
        b"2:{}\n",
        b"\x00" * 64,
    ],
)
async def test_garbage_or_oversized_messages_drop_only_that_client(
    folder: Path, garbage: bytes
) -> None:
    holder = Holder()
    server = DisplayServer(holder, MonotonicClock(), folder)
    assert await server.start()
    try:
        good = Heard()
        link = await attach(folder / SOCKET_NAME, good, MonotonicClock())
        assert isinstance(link, Link)
        reader, writer = await raw(folder / SOCKET_NAME)
        writer.write(garbage)
        await writer.drain()
        msgs = await read_messages(reader)
        assert [m["type"] for m in msgs] == ["error"]
        assert "\n" not in msgs[0]["reason"]
        assert server.notice is not None and server.notice.startswith("refused a client display")
        writer.close()
        holder.state = LinkState(state="running", set=2, moving=True)
        server.publish()
        await until(lambda: good.states and good.states[-1].set == 2)
        assert server.counts()[0] == 1
    finally:
        server.close()


async def test_a_display_of_a_newer_version_is_refused_in_one_line(folder: Path) -> None:
    server = DisplayServer(Holder(), MonotonicClock(), folder)
    assert await server.start()
    try:
        reader, writer = await raw(folder / SOCKET_NAME)
        body = b'{"v":%d,"type":"hello","role":"display"}' % (PROTOCOL_VERSION + 1)
        writer.write(b"%d:%s\n" % (len(body), body))
        msgs = await read_messages(reader)
        assert [m["type"] for m in msgs] == ["error"]
        assert msgs[0]["reason"].startswith(
            f"the display speaks display protocol {PROTOCOL_VERSION + 1}"
        )
        assert server.counts() == (0, 0)
        writer.close()
    finally:
        server.close()


async def test_the_display_refuses_a_main_app_of_another_version(folder: Path) -> None:
    prepare_dir(folder)
    path = folder / SOCKET_NAME

    async def fake_main(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        body = b'{"v":%d,"type":"hello","role":"main"}' % (PROTOCOL_VERSION + 1)
        writer.write(b"%d:%s\n" % (len(body), body))
        await writer.drain()
        await asyncio.sleep(1)
        writer.close()

    srv = await asyncio.start_unix_server(fake_main, str(path))
    try:
        heard = Heard()
        assert isinstance(await attach(path, heard, MonotonicClock()), Link)
        await until(lambda: heard.problems)
        text, fatal = heard.problems[0]
        assert fatal and "\n" not in text
        assert text.startswith(f"the running bls speaks display protocol {PROTOCOL_VERSION + 1}")
        assert "this display speaks" in text
    finally:
        srv.close()


async def test_a_display_that_stops_reading_is_dropped_without_blocking(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_mod, "MAX_BUFFERED", 1024)
    holder = Holder()
    server = DisplayServer(holder, MonotonicClock(), folder)
    assert await server.start()
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(str(folder / SOCKET_NAME))
        sock.sendall(encode({"type": "hello", "role": "display"}))  # then never reads again
        await until(lambda: server.counts()[0] == 1)
        sent = 0
        for i in range(3000):  # publish() only queues: it returns even though nobody reads
            holder.state = LinkState(state="running", set=i, moving=True, anchor_t=float(i))
            server.publish()
            sent += 1
            if server.counts()[0] == 0:
                break
            await asyncio.sleep(0)
        assert server.counts()[0] == 0 and sent < 3000
        assert server.notice == "a client display stopped reading; it was let go"
        sock.close()
    finally:
        server.close()


async def test_a_silent_display_shows_as_not_responding(folder: Path) -> None:
    clock = FakeClock()
    server = DisplayServer(Holder(), clock, folder)
    assert await server.start()
    try:
        heard = Heard()
        link = await attach(folder / SOCKET_NAME, heard, MonotonicClock())
        assert isinstance(link, Link)
        await until(lambda: server.counts() == (1, 1))
        clock.advance(5.0)
        assert server.counts() == (1, 0)
        assert "not responding (1)" in server.label()
        link.alive()
        await until(lambda: server.counts() == (1, 1))
    finally:
        server.close()


def test_runtime_dir_prefers_the_override_then_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BLS_RUNTIME_DIR", str(tmp_path / "r"))
    assert runtime_dir() == tmp_path / "r"
    monkeypatch.delenv("BLS_RUNTIME_DIR")
    monkeypatch.setenv("BLS_DATA_DIR", str(tmp_path / "d"))
    assert runtime_dir() == tmp_path / "d" / "run"
    monkeypatch.delenv("BLS_DATA_DIR")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "x"))
    if os.uname().sysname == "Linux":
        assert runtime_dir() == tmp_path / "x" / "bls-tui"


def test_a_too_long_socket_path_is_one_line(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 120)
    with pytest.raises(LinkError, match="path too long for a socket; set BLS_RUNTIME_DIR"):
        prepare_dir(deep)


# --------------------------------------------------------------------------- privacy guard
@pytest.mark.parametrize("family", [socket.AF_INET, socket.AF_INET6])
def test_network_guard_still_refuses_inet_while_the_unix_link_passes(
    family: socket.AddressFamily, folder: Path
) -> None:
    import bls_netguard

    prepare_dir(folder)
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(str(folder / SOCKET_NAME))
    unix.close()
    assert bls_netguard.state.violations == []
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        with pytest.raises(bls_netguard.NetworkUseError):
            sock.bind(("127.0.0.1", 0) if family == socket.AF_INET else ("::1", 0))
    finally:
        sock.close()
    assert bls_netguard.state.violations
    bls_netguard.state.violations.clear()
    Path(os.environ["BLS_NETGUARD_LOG"]).unlink(missing_ok=True)


async def test_blank_changes_at_most_twice_a_second(folder: Path) -> None:
    """Pressing the blank key fast can never make the client's dot flash."""
    clock = FakeClock()
    server = DisplayServer(Holder(), clock, folder)
    assert await server.start()
    try:
        assert server.set_blank(True) and server.blank
        clock.advance(0.2)
        assert not server.set_blank(False) and server.blank
        clock.advance(0.3)
        assert server.set_blank(False) and not server.blank
    finally:
        server.close()
