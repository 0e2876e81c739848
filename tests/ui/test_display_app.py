"""Pilot tests: the therapist's indicator and blank key, and `bls display` itself (fake clock)."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bls_tui.config.presets import Preset
from bls_tui.display.client import Link, attach
from bls_tui.display.server import DisplayServer
from bls_tui.display.socket import SOCKET_NAME
from bls_tui.display.wire import LinkState, position
from bls_tui.services.runtime import RunOptions
from bls_tui.stimulus.clock import FakeClock, MonotonicClock
from bls_tui.ui.app import make_app
from bls_tui.ui.display_app import SHARE_HINT, DisplayApp, DisplayOptions
from bls_tui.ui.widgets.display_indicator import DisplayIndicator
from link_helpers import Heard, Holder, until
from real_app import bls_env, run_bls


@pytest.fixture
def run_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="bls15-", dir="/tmp"))
    monkeypatch.setenv("BLS_RUNTIME_DIR", str(base / "run"))
    try:
        yield base / "run"
    finally:
        shutil.rmtree(base, ignore_errors=True)


def indicator(app: Any) -> str:
    widget = app.screen.query_one(DisplayIndicator)
    widget.show_state()
    return str(widget.render())


# --------------------------------------------------------------------------- the therapist's side
async def test_indicator_blank_key_and_stop_reach_the_display(run_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(RunOptions(preset=Preset(cycles=4)), clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(lambda: app.display_link is not None and app.display_link.path is not None)
        assert indicator(app).startswith("client display: not attached")
        heard = Heard()
        link = await attach(run_dir / SOCKET_NAME, heard, MonotonicClock())
        assert isinstance(link, Link)
        await until(lambda: heard.states)
        assert heard.states[-1].state == "idle"
        assert indicator(app) == "client display: live (1) · c blanks it between sets"

        await pilot.press("c")
        await until(lambda: heard.states[-1].blank)
        assert "BLANK" in indicator(app)
        await pilot.press("space")  # a new set shows the dot again
        await until(lambda: heard.states[-1].state == "running")
        assert not heard.states[-1].blank and heard.states[-1].moving
        await pilot.press("c")
        assert "blanks between sets" in str(app.screen.query_one("#message").render())
        assert not heard.states[-1].blank

        clock.advance(1.3)
        app.screen.tick()
        await pilot.press("s")
        await until(lambda: heard.states[-1].state == "ended")
        halted = heard.states[-1]
        assert not halted.moving
        assert position(halted, clock.now()) == pytest.approx(
            app.runtime.engine.position(clock.now())
        )
        await pilot.press("f")  # client view hides the indicator too, and comes back
        assert not app.screen.query_one(DisplayIndicator).display
        await pilot.press("f")
        assert app.screen.query_one(DisplayIndicator).display
        link.close()


async def test_a_refused_folder_leaves_the_app_working(run_dir: Path) -> None:
    run_dir.mkdir(mode=0o700)
    os.chmod(run_dir, 0o777)
    clock = FakeClock()
    app = make_app(RunOptions(preset=Preset(cycles=1, speed_hz=2.0)), clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(lambda: app.display_link is not None and app.display_link.problem is not None)
        text = indicator(app)
        assert text.startswith("client display: unavailable (") and "must be 0700" in text
        await pilot.press("space")
        assert app.runtime.engine.in_set
        clock.advance(0.6)
        app.screen.tick()
        assert app.runtime.engine.last_summary is not None
        await pilot.press("c")
        assert "no client display link" in str(app.screen.query_one("#message").render())


# --------------------------------------------------------------------------- `bls display`
async def _serve(folder: Path, holder: Holder) -> DisplayServer:
    server = DisplayServer(holder, MonotonicClock(), folder)
    assert await server.start(), server.problem
    return server


async def test_display_draws_from_the_anchor_and_halts_at_once(run_dir: Path) -> None:
    holder = Holder()
    server = await _serve(run_dir, holder)
    clock = FakeClock(start=500.0)
    app = DisplayApp(DisplayOptions(), clock)
    try:
        async with app.run_test(size=(60, 15)) as pilot:
            await until(lambda: app.states >= 1)
            assert app.view.line == "waiting for the first set"
            holder.state = LinkState(state="running", set=1, moving=True, anchor_t=500.0,
                                     hz=1.0, limit=24.0, dot_size=1)  # fmt: skip
            server.publish()
            await until(lambda: app.view.state == holder.state)
            assert app.view.line == ""
            for dt in (0.1, 0.37, 0.5, 1.9):
                clock.advance(dt)
                app.tick()
                assert app.view.last_xy == position(holder.state, clock.now())
            rows = [app.view.render_line(y).text for y in range(15)]
            assert sum(1 for r in rows if r.strip()) == 1  # one row: the dot, no text
            frozen_phase = 0.5
            holder.state = LinkState(state="ended", set=1, moving=False, phase=frozen_phase)
            server.publish()
            await until(lambda: app.view.state == holder.state)
            assert app.view.last_xy == pytest.approx((1.0, 0.5))  # drawn on arrival
            assert app._timer is not None and not app._timer._active.is_set()
            assert app.view.line == "waiting"
            holder.state = LinkState(state="ended", set=1, phase=frozen_phase, blank=True)
            server.publish()
            await until(lambda: app.view.state == holder.state)
            rows = [app.view.render_line(y).text for y in range(15)]
            assert all(not r.strip() for r in rows)  # blank: nothing at all
            await pilot.pause()
    finally:
        server.close()


async def test_display_waits_then_attaches_and_reattaches(run_dir: Path) -> None:
    app = DisplayApp(DisplayOptions(share_safe=True, dot_size=2), FakeClock())
    async with app.run_test(size=(80, 12)):
        await asyncio.sleep(0.1)
        assert app.view.line.startswith("waiting for bls… (no bls is running")
        assert SHARE_HINT in app.view.line and app.view.dot_size == 3
        holder = Holder()
        server = await _serve(run_dir, holder)
        await until(lambda: app.states >= 1, timeout=2)
        assert app.view.line == SHARE_HINT
        server.close()
        await until(lambda: app.link is None)
        assert app.view.line == "bls closed · waiting for it to start again"
        server = await _serve(run_dir, holder)
        try:  # it retries every RETRY_S; how fast it reattaches is measured in bench/display.py
            await until(lambda: app.states >= 2, timeout=10)
        finally:
            server.close()


async def test_display_once_without_a_main_app_exits_with_one_line(run_dir: Path) -> None:
    app = DisplayApp(DisplayOptions(once=True), FakeClock())
    async with app.run_test(size=(40, 10)):
        await until(lambda: app.return_code is not None)
    assert app.return_code == 1
    assert app.problem is not None and app.problem.startswith("no bls is running")


def test_cli_display_bad_flags_and_nothing_to_attach_to(tmp_path: Path) -> None:
    env = bls_env(tmp_path / "cli", BLS_RUNTIME_DIR=tempfile.mkdtemp(prefix="bls15-", dir="/tmp"))
    try:
        res = run_bls(env, "display", "--dot-size", "9")
        assert res.returncode == 2
        assert res.stderr.strip() == "bls: error: --dot-size 9: must be from 1 to 3 rows"
        res = run_bls(env, "display", "--once")
        assert res.returncode == 1
        assert res.stderr.strip().splitlines() == [
            "bls: error: no bls is running on this machine (start `bls run` or `bls session`)"
        ]
        res = run_bls(env, "display")  # stdout is a pipe here: no screen to draw on
        assert res.returncode == 2
        assert res.stderr.strip() == (
            "bls: error: the display needs a terminal, and stdout is not one (a pipe or a file?)"
        )
        os.chmod(env["BLS_RUNTIME_DIR"], 0o755)
        res = run_bls(env, "display", "--once")
        assert res.returncode == 1 and "Traceback" not in res.stderr
        assert "open to others" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    finally:
        shutil.rmtree(env["BLS_RUNTIME_DIR"], ignore_errors=True)
