"""The terminal is resized during a set, down to 40x12 and below.

Tempo must not change (edges stay on the engine's schedule), the dot must stay inside the
stage, nothing may crash, and a terminal smaller than the layout shows a clear message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bls_tui.config.presets import Preset
from bls_tui.services.runtime import RunOptions
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.trace import read_trace
from bls_tui.ui.app import make_app
from bls_tui.ui.widgets.stage import Stage
from real_app import TmuxApp, bls_env

SIZES = [(120, 40), (80, 24), (40, 12), (30, 8), (200, 60), (41, 13), (40, 12), (100, 30)]


def too_small_shown(app: object) -> str | None:
    """The too-small message if it is on screen, else None."""
    found = app.screen.query("#too-small")  # type: ignore[attr-defined]
    if not found or not found.first().display:
        return None
    return str(found.first().render())


@pytest.mark.parametrize("mode", ["run", "session"])
async def test_resizing_during_a_set_keeps_tempo_and_dot(mode: str, tmp_path: Path) -> None:
    from bls_tui.records.store import Store
    from bls_tui.services.session import SessionStart

    clock = FakeClock()
    trace = tmp_path / "trace.jsonl"
    app = make_app(
        RunOptions(preset=Preset(speed_hz=1.0, cycles=24), trace=trace),
        clock,
        mode=mode,  # type: ignore[arg-type]
        session=SessionStart("Z-1", preset="standard") if mode == "session" else None,
        store_opener=lambda: Store.open(tmp_path / "s.db", backup=False),
    )
    async with app.run_test(headless=True, size=SIZES[0]) as pilot:
        await pilot.press("space")
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            for _ in range(2):
                clock.advance(0.37)
                await pilot.pause(0.02)
                stage = app.screen.query_one(Stage)
                if stage.display and stage.size.height and stage.size.width:
                    assert stage.last_xy == app.runtime.engine.position(stage.frame_t)
                    for row, cells in stage._rows.items():
                        assert 0 <= row < stage.size.height, (width, height, row)
                        assert all(0 <= c.col < stage.size.width for c in cells), (width, height)
            small = width < 40 or height < 12
            shown = too_small_shown(app)
            if small:
                assert shown and "too small" in shown.lower(), (width, height, shown)
            else:
                assert shown is None, (width, height, shown)
        for _ in range(40):
            clock.advance(1.0)
            await pilot.pause(0.02)
            if not app.runtime.engine.in_set:
                break
        summary = app.runtime.engine.last_summary
        assert summary is not None and summary.sweeps_delivered == 48
        assert abs(summary.delivered_hz - 1.0) < 1e-6
    events = read_trace(trace)
    set_start = next(e["t"] for e in events if e["event"] == "set_start")
    edges = [e["t"] for e in events if e["event"] == "edge"]
    assert len(edges) == 48
    for k, t in enumerate(edges, start=1):  # every edge exactly on the 1 Hz grid
        assert abs(t - (set_start + k * 0.5)) < 1e-6, (k, t - set_start)


@pytest.mark.slow
def test_real_terminal_resized_mid_set(tmp_path: Path) -> None:
    env = bls_env(tmp_path)
    app = TmuxApp(tmp_path, env, ["run", "--audio", "none", "--cycles", "60"], size=(100, 30))
    try:
        app.wait_for("space starts a set")
        app.send("Space")
        app.wait_for("set 1 running")
        for width, height in ((40, 12), (30, 8), (160, 50), (40, 12), (100, 30)):
            app.resize(width, height)
            shown = app.wait_for(r"(?i)too small" if width < 40 else r"RUNNING")
            assert "Traceback" not in shown
        app.send("s")
        app.wait_for("STOP signal")
        app.send("q")
        assert app.wait_exit() == 0
        assert "Traceback" not in app.screen()
    finally:
        app.close()


async def test_a_lost_resize_signal_heals_from_the_terminal_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app re-reads the terminal's size twice a second: a SIGWINCH lost under load (seen
    in the tmux test above) cannot leave it drawing for a size the terminal no longer has."""
    import bls_tui.ui.screens.stim as stim

    clock = FakeClock()
    app = make_app(RunOptions(preset=Preset(speed_hz=1.0, cycles=24)), clock)
    async with app.run_test(headless=True, size=(100, 30)) as pilot:
        await pilot.press("space")
        assert too_small_shown(app) is None
        monkeypatch.setattr(stim, "real_terminal_size", lambda: (30, 8))
        app.screen.check_terminal_size()  # type: ignore[attr-defined]
        for _ in range(50):
            await pilot.pause(0.02)
            if too_small_shown(app):
                break
        assert "too small (30x8)" in (too_small_shown(app) or "")
        monkeypatch.setattr(stim, "real_terminal_size", lambda: (100, 30))
        app.screen.check_terminal_size()  # type: ignore[attr-defined]
        for _ in range(50):
            await pilot.pause(0.02)
            if too_small_shown(app) is None:
                break
        assert too_small_shown(app) is None
        assert app.runtime.engine.in_set  # timing untouched: the set goes on
