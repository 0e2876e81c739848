"""Nothing flashes more than 3 times a second, and no bell is ever rung: checks that can fail.

The stage's mean relative luminance is measured frame by frame over simulated sets (fake
clock, 30 frames a second) and fed to :func:`bls_tui.stimulus.flashes.flash_rate_ok`; a stage made
to flash on purpose shows that the measurement catches it.  The bell is watched at the app
(``App.bell``) and at the terminal (any ``\\a`` written by the driver).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from rich.color import Color
from textual.app import App

from bls_tui.config.presets import Preset
from bls_tui.services.runtime import RunOptions
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.flashes import flash_rate_ok, flash_times, relative_luminance
from bls_tui.stimulus.motion import PATTERNS
from bls_tui.stimulus.raster import LEFT_EIGHTHS, LOWER_EIGHTHS
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.widgets.stage import Stage

FPS = 30
OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
"""Operating-system commands (window title...) end in BEL too; those are not a bell."""


def coverage(char: str) -> float:
    """Share of a cell a block character paints in its foreground colour."""
    for table in (LOWER_EIGHTHS, LEFT_EIGHTHS):
        if char in table:
            return table.index(char) / 8
    return 0.0 if char == " " else 0.5  # text: about half the cell


def lum(color: Color | None, fallback: float) -> float:
    if color is None:
        return fallback
    t = color.get_truecolor()
    return relative_luminance((t.red, t.green, t.blue))


def stage_luminance(stage: Stage) -> float:
    """Mean relative luminance of the stage's cells, as drawn."""
    total = 0.0
    cells = 0
    for y in range(stage.size.height):
        for seg in stage.render_line(y):
            style = seg.style
            fg = lum(style.color if style else None, 1.0)
            bg = lum(style.bgcolor if style else None, 0.0)
            if style is not None and style.reverse:
                fg, bg = bg, fg
            for ch in seg.text:
                c = coverage(ch)
                total += c * fg + (1 - c) * bg
                cells += 1
    return total / max(1, cells)


async def luminance_series(
    preset: Preset, size: tuple[int, int], seconds: float, flip_background: bool = False
) -> list[tuple[float, float]]:
    clock = FakeClock(0.0)
    app = make_app(RunOptions(preset=preset), clock)
    series: list[tuple[float, float]] = []
    async with app.run_test(headless=True, size=size) as pilot:
        await pilot.press("space")
        stage = app.screen.query_one(Stage)
        for i in range(int(seconds * FPS)):
            if flip_background:  # a deliberately flashing stage: the check must catch it
                app.runtime.preset.background = "#ffffff" if i % 2 else "#000000"
            clock.advance(1 / FPS)
            stage.show_frame(clock.now())
            await pilot.pause(0)
            series.append((clock.now(), stage_luminance(stage)))
    return series


@pytest.mark.parametrize("pattern", PATTERNS)
async def test_no_pattern_flashes_at_the_speed_cap(pattern: str) -> None:
    preset = Preset(speed_hz=2.0, cycles=6, pattern=pattern, dot_size=3)  # type: ignore[arg-type]
    series = await luminance_series(preset, (80, 24), 3.0)
    levels = [v for _, v in series]
    assert max(levels) > min(levels) - 1  # measured something
    assert flash_times(series) == []
    assert flash_rate_ok(series)


@pytest.mark.parametrize("profile", ["sine", "linear"])
async def test_small_stage_big_dot_does_not_flash(profile: str) -> None:
    """The worst case we allow: the largest dot on the smallest terminal, at 2 Hz."""
    preset = Preset(speed_hz=2.0, cycles=6, pattern="vertical", dot_size=3,
                    profile=profile, dwell_ms=200.0)  # type: ignore[arg-type]  # fmt: skip
    series = await luminance_series(preset, (40, 12), 3.0)
    assert flash_rate_ok(series), flash_times(series)


async def test_the_measurement_catches_a_flashing_stage() -> None:
    preset = Preset(speed_hz=1.0, cycles=6)
    series = await luminance_series(preset, (60, 20), 2.0, flip_background=True)
    assert len(flash_times(series)) >= 20  # 15 flashes a second at 30 frames a second
    assert not flash_rate_ok(series)


# --------------------------------------------------------------------------- bell
class RecordingDriver:
    """Stands in for a real terminal driver: records what would be written to the tty."""

    is_headless = False

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)


def test_the_app_bell_writes_nothing_to_a_real_terminal() -> None:
    app = make_app(RunOptions(preset=Preset()), FakeClock())
    driver = RecordingDriver()
    app._driver = driver  # type: ignore[assignment]
    assert not app.is_headless
    app.bell()
    assert driver.written == []
    App.bell(app)  # Textual's own bell on the same terminal does write BEL: the check works
    assert driver.written == ["\x07"]


async def test_no_bell_is_rung_in_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    rung: list[str] = []
    monkeypatch.setattr(BlsApp, "bell", lambda self: rung.append("bell"))
    clock = FakeClock(0.0)
    app = make_app(RunOptions(preset=Preset(speed_hz=1.9, cycles=2)), clock)
    written: list[str] = []
    async with app.run_test(headless=True, size=(80, 24)) as pilot:
        assert app._driver is not None
        original = app._driver.write

        def spy(data: str, *args: Any) -> None:
            written.append(data)
            original(data, *args)

        monkeypatch.setattr(app._driver, "write", spy)
        # at the caps, unbound keys, pause/resume, stop, a second set: the usual bell triggers
        await pilot.press(*["up"] * 5, "z", "F12", "ctrl+x", "space")
        for _ in range(10):
            clock.advance(0.1)
            await pilot.pause(0.01)
        await pilot.press("space", "space", *["down"] * 25, "s")
        await pilot.press("space")
        for _ in range(30):
            clock.advance(0.1)
            await pilot.pause(0.01)
        await pilot.press("question_mark")
        await pilot.pause(0.05)
        await pilot.press("escape", "escape")
    assert rung == []
    bells = [w for w in written if "\x07" in OSC.sub("", w)]
    assert bells == [], bells
