"""The frame loop's savings keep the screen true (issue 13: CPU while a set runs).

Widgets that did not change hand the compositor their last lines, the stage repaints only when
the dot's cells or colours change, and the status line is rebuilt when its numbers change; each
test checks that what the screen shows still follows the clock.
"""

from __future__ import annotations

from typing import Any

from textual.geometry import Region

from bls_tui.config.presets import Preset, apply
from bls_tui.services.runtime import RunOptions
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.widgets.stage import Stage
from bls_tui.ui.widgets.status import StatusLine

SIZE = (120, 40)


def app_with(clock: FakeClock, **preset: object) -> BlsApp:
    return make_app(RunOptions(preset=apply(Preset(), dict(preset))), clock=clock)


def screen_text(app: BlsApp) -> str:
    """What the compositor would put on the terminal now."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_unchanged_widgets_give_back_their_lines_until_they_change() -> None:
    clock = FakeClock()
    app = app_with(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = app.screen.query_one(StatusLine)
        crop = Region(0, 0, *status.region.size)  # as the compositor asks (padding included)
        first = status.render_lines(crop)
        assert status.render_lines(crop) is first  # nothing changed: the same lines
        status.show("a new status line\nof the same two rows")  # same size, same crop
        await pilot.pause()
        assert status.region.size == crop.size
        changed = status.render_lines(crop)
        assert changed is not first
        assert "a new status line" in changed[0].text
        assert "a new status line" in screen_text(app)


async def test_the_status_line_follows_sweeps_and_seconds_during_a_set() -> None:
    clock = FakeClock()
    app = app_with(clock, speed_hz=0.2, cycles=10)  # a sweep takes 2.5 s: seconds change alone
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        seen = []
        for _ in range(6):
            clock.advance(1.0)
            await pilot.pause(0.05)
            text = screen_text(app)
            seen.append(text)
            engine = app.runtime.engine
            now = clock.now()
            assert f"sweeps {engine.sweeps_done(now)}/20 " in text
            assert f"│ 0:0{int(engine.elapsed(now))} │" in text
        assert len(set(seen)) == len(seen)  # every step showed a new second


async def test_the_stage_repaints_only_when_the_dot_or_its_colours_change() -> None:
    clock = FakeClock()
    app = app_with(clock, speed_hz=0.1, cycles=10)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        stage = app.screen.query_one(Stage)
        calls: list[Any] = []
        original = stage.refresh

        def counting(*regions: Region, **kw: Any) -> Any:
            calls.append(regions)
            return original(*regions, **kw)

        stage.refresh = counting  # type: ignore[method-assign]
        t = clock.now()
        stage.show_frame(t)
        calls.clear()
        stage.show_frame(t + 1e-6)  # the dot has not moved by 1/8 of a cell
        assert calls == []
        assert stage.last_xy is not None
        app.runtime.preset.dot_color = "#00ff00"  # same cells, new colour: repainted
        stage.show_frame(t + 2e-6)
        assert len(calls) == 1
        await pilot.pause()
        lines = stage.render_lines(Region(0, 0, *stage.size))
        colours = {seg.style.color.triplet for line in lines for seg in line if seg.style.color}
        assert (0, 255, 0) in colours
