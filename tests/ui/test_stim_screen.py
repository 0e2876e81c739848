"""Pilot tests of the stimulation screen with a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from bls_tui.config.presets import Preset, apply
from bls_tui.services.runtime import RunOptions
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import SetState
from bls_tui.stimulus.trace import read_trace
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.screens.confirm import ConfirmScreen
from bls_tui.ui.screens.help import HelpScreen
from bls_tui.ui.screens.stim import StimScreen
from bls_tui.ui.widgets.stage import Stage

SIZE = (120, 40)


def app_with(clock: FakeClock, trace: Path | None = None, **preset: object) -> BlsApp:
    options = RunOptions(preset=apply(Preset(), dict(preset)), trace=trace)
    return make_app(options, clock=clock)


def screen(app: BlsApp) -> StimScreen:
    assert isinstance(app.screen, StimScreen)
    return app.screen


async def test_space_starts_and_pauses() -> None:
    clock = FakeClock()
    app = app_with(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        assert app.runtime.engine.state is SetState.RUNNING
        clock.advance(0.25)
        await pilot.pause(0.05)
        assert app.screen.query_one(Stage).last_xy[0] == pytest.approx(0.5)
        await pilot.press("space")
        assert app.runtime.engine.state is SetState.PAUSED
        frozen = app.runtime.engine.position(clock.now())
        clock.advance(10)
        await pilot.pause(0.05)
        assert app.runtime.engine.position(clock.now()) == frozen
        await pilot.press("space")
        assert app.runtime.engine.state is SetState.RUNNING


async def test_speed_keys_and_cap() -> None:
    clock = FakeClock()
    app = app_with(clock, speed_hz=1.8)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("up")
        assert app.runtime.engine.speed_hz == 1.9
        await pilot.press("up", "up", "up", "up")
        assert app.runtime.engine.speed_hz == 2.0
        assert "maximum (safety cap)" in message_text(app)
        await pilot.press("down")
        assert app.runtime.engine.speed_hz == 1.9


async def test_length_keys_change_cycles() -> None:
    clock = FakeClock()
    app = app_with(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        assert app.runtime.engine.plan.cycles == 26
        await pilot.press("left", "left")
        assert app.runtime.engine.plan.cycles == 22


async def test_stop_signal_ends_set_within_one_frame() -> None:
    for key in ("s", "escape"):
        clock = FakeClock()
        app = app_with(clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("space")
            clock.advance(3.3)
            await pilot.pause(0.05)
            await pilot.press(key)
            engine = app.runtime.engine
            assert engine.state is SetState.ENDED
            assert engine.last_summary is not None and engine.last_summary.stopped_early
            assert engine.last_summary.ended_t == clock.now()
            drawn = app.screen.query_one(Stage).last_xy
            assert drawn == engine.position(clock.now())  # the frame shows where it stopped
            frames = screen(app).frames
            clock.advance(1.0)
            await pilot.pause(0.1)
            assert screen(app).frames == frames  # nothing animates after a stop
            assert "STOP signal" in message_text(app)


async def test_auto_stop_after_n_cycles() -> None:
    clock = FakeClock()
    app = app_with(clock, cycles=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        clock.advance(1.9)
        await pilot.pause(0.05)
        assert app.runtime.engine.state is SetState.RUNNING
        clock.advance(0.2)
        await pilot.pause(0.1)
        engine = app.runtime.engine
        assert engine.state is SetState.ENDED
        assert engine.last_summary is not None and engine.last_summary.sweeps_delivered == 4
        assert "set 1 done: 4 sweeps" in message_text(app)
        # next set on space
        await pilot.press("space")
        assert engine.state is SetState.RUNNING and engine.set_number == 2


async def test_resize_refits_without_changing_tempo() -> None:
    clock = FakeClock()
    app = app_with(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        clock.advance(0.125)
        await pilot.pause(0.05)
        before = app.screen.query_one(Stage).last_xy
        await pilot.resize_terminal(60, 20)
        await pilot.pause(0.05)
        stage = app.screen.query_one(Stage)
        assert stage.size.width == 60
        assert stage.last_xy == before  # same time, same normalised position
        clock.advance(0.375)
        await pilot.pause(0.05)
        assert app.screen.query_one(Stage).last_xy[0] == pytest.approx(1.0)  # right edge, on time


async def test_client_view_hides_everything_but_the_dot() -> None:
    clock = FakeClock()
    app = app_with(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        for selector in ("#status", "#message", "#footer"):
            assert not app.screen.query_one(selector).display
        await pilot.press("f")
        assert app.screen.query_one("#status").display


async def test_quit_asks_first_while_a_set_runs() -> None:
    clock = FakeClock()
    app = app_with(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, StimScreen)
        assert app.is_running
        await pilot.press("q")
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_without_set_exits_at_once() -> None:
    app = app_with(FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_help_screen_lists_every_key_from_the_table() -> None:
    app = app_with(FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table", Static).content
        from rich.console import Console

        console = Console(width=120, record=True)
        console.print(table)
        text = console.export_text()
        for spec in screen_keys():
            assert spec.description[:30] in text
        await pilot.press("escape")
        assert isinstance(app.screen, StimScreen)


def screen_keys():  # type: ignore[no-untyped-def]
    return StimScreen.KEYS


async def test_pattern_key_cycles_between_sets_and_queues_during_a_set() -> None:
    clock = FakeClock()
    app = app_with(clock, cycles=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert app.runtime.engine.plan.pattern == "vertical"
        await pilot.press("space", "p")
        assert app.runtime.engine.plan.pattern == "vertical"  # not mid-set
        clock.advance(1.01)
        await pilot.pause(0.1)
        assert app.runtime.engine.plan.pattern == "diagonal-up"


async def test_trace_records_frames_edges_and_set_events(tmp_path: Path) -> None:
    clock = FakeClock()
    trace = tmp_path / "trace.jsonl"
    app = app_with(clock, trace=trace, cycles=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        for _ in range(12):
            clock.advance(0.1)
            await pilot.pause(0.03)
        await pilot.press("q")
    events = read_trace(trace)
    kinds = [e["event"] for e in events]
    assert "set_start" in kinds and "set_end" in kinds and "frame" in kinds
    edges = [e for e in events if e["event"] == "edge"]
    assert [e["side"] for e in edges] == ["right", "left"]
    start = next(e for e in events if e["event"] == "set_start")["t"]
    assert edges[0]["t"] - start == 0.5
    for f in (e for e in events if e["event"] == "frame"):
        assert 0.0 <= f["x"] <= 1.0 and 0.0 <= f["y"] <= 1.0


def message_text(app: BlsApp) -> str:
    return str(app.screen.query_one("#message", Static).content)


async def test_tiny_terminal_shows_a_message_and_keeps_tempo() -> None:
    clock = FakeClock()
    app = app_with(clock, cycles=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.resize_terminal(40, 12)
        clock.advance(0.25)
        await pilot.pause(0.05)
        stage = app.screen.query_one(Stage)
        assert stage.display and stage.size.width == 40
        assert not app.screen.query_one("#too-small").display
        await pilot.resize_terminal(30, 8)
        await pilot.pause(0.05)
        notice = app.screen.query_one("#too-small", Static)
        assert notice.display and "Terminal too small (30x8)" in str(notice.content)
        assert not stage.display
        clock.advance(1.8)
        await pilot.pause(0.1)
        assert app.runtime.engine.state is SetState.ENDED  # tempo unaffected: ended on time
        assert app.runtime.engine.last_summary is not None
        assert app.runtime.engine.last_summary.ended_t == 1002.0
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.05)
        assert stage.display and not notice.display
        assert app.screen.query_one("#status").display


async def test_sound_keys_change_the_controller_and_status() -> None:
    app = app_with(FakeClock(), volume_pct=40)
    async with app.run_test(size=SIZE) as pilot:
        sound = app.runtime.sound
        assert "sound off (visual only)" in str(app.screen.query_one("#status", Static).content)
        await pilot.press("plus")
        assert sound.params.volume_pct == 45
        await pilot.press("minus", "minus")
        assert sound.params.volume_pct == 35
        for _ in range(30):
            await pilot.press("plus")
        assert sound.params.volume_pct == 100  # capped; the peak ceiling is in the synthesis
        await pilot.press("m")
        assert sound.muted and app.runtime.current_preset().mute
        tone = sound.params.tone
        await pilot.press("t")
        assert sound.params.tone != tone


async def test_closing_an_overlay_lets_go_of_its_render_caches() -> None:
    """Textual memoises a colour lookup per widget (keeping the widget's rendered lines alive);
    back on the stage, that memo is emptied so closed screens do not pile up over a session."""
    from textual._styles_cache import StylesCache

    memo = StylesCache.get_inner_outer
    clock = FakeClock()
    app = app_with(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause(0.05)
        assert isinstance(app.screen, HelpScreen)
        assert memo.cache_info().currsize > 0  # the help screen's widgets are in it
        await pilot.press("escape")
        await pilot.pause(0.05)
        assert isinstance(app.screen, StimScreen)
        assert memo.cache_info().currsize <= 8  # only what the stage drew since


async def test_status_line_grows_when_its_text_needs_more_rows() -> None:
    """The status repaints without a layout pass, except when its text needs more or fewer
    rows: a long sound state at 80 columns (no sound card) was cut after its first words."""
    from bls_tui.ui.widgets.status import StatusLine, wrapped_rows

    app = app_with(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        stim = screen(app)
        status = stim.query_one("#status", StatusLine)
        await pilot.pause(0.05)
        short_rows = status.size.height
        long_label = (
            "sound off: no audio device (miniaudio, simpleaudio: no sound card · bls doctor)"
        )
        stim.sound_label = lambda: long_label  # type: ignore[method-assign]
        stim.refresh_status()
        await pilot.pause(0.1)
        text = status._last_text  # type: ignore[attr-defined]
        assert long_label in text
        assert status.size.height == wrapped_rows(text, status.content_size.width) > short_rows
        assert "bls doctor" in str(status.render())
