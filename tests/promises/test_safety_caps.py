"""Safety caps at every entry point: flag, preset file, key, config / remembered settings.

Speed never above 2 Hz, volume never above 100 % and samples never above the peak ceiling,
no colour that is a photosensitivity risk, nothing that flashes, no bell.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bls_tui.cli.errors import CliError
from bls_tui.cli.options import build_preset
from bls_tui.config.presets import Preset, PresetError, resolve
from bls_tui.config.remembered import load_last
from bls_tui.safety import limits
from bls_tui.services.runtime import RunOptions
from bls_tui.sound.sounds import validated
from bls_tui.sound.tones import ToneParams
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import Engine, MotionPlan
from bls_tui.ui.app import make_app
from bls_tui.ui.widgets.stage import Stage


@pytest.mark.parametrize("speed", [2.01, 2.5, 10.0, 1e9, float("inf"), float("nan"), -1.0])
def test_speed_flag_above_cap_refused(speed: float) -> None:
    with pytest.raises(CliError):
        build_preset(preset=None, fresh=True, speed=speed)


@pytest.mark.parametrize("volume", [101, 150, 10**6, -1])
def test_volume_flag_above_ceiling_refused(volume: int) -> None:
    from bls_tui.cli.audio_cmd import sound_overrides

    with pytest.raises(CliError):
        sound_overrides(tone=None, freq=None, volume=volume, mute=None, follow=None)


@pytest.mark.parametrize(
    "text",
    ["speed_hz = 2.01\n", "speed_hz = 1e9\n", "speed_hz = inf\n", "speed_hz = nan\n",
     "volume_pct = 101\n", 'dot_color = "#ff0000"\n', 'background = "#e00000"\n',
     'inherits = "standard"\nspeed_hz = 3\n'],
)  # fmt: skip
def test_preset_file_above_cap_refused(text: str, isolated_dirs: dict[str, Path]) -> None:
    folder = isolated_dirs["config"] / "presets"
    folder.mkdir(parents=True)
    (folder / "unsafe.toml").write_text(text)
    with pytest.raises(PresetError):
        resolve("unsafe", folder)
    with pytest.raises(CliError):
        build_preset(preset="unsafe", fresh=False)


@pytest.mark.parametrize("text", ["speed_hz = 5.0\n", "volume_pct = 400\n", "speed_hz = nan\n"])
def test_remembered_settings_above_cap_ignored(text: str, isolated_dirs: dict[str, Path]) -> None:
    """The last-used settings file is config too: an unsafe value is never used."""
    path = isolated_dirs["config"] / "last.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    preset, warning = load_last()
    assert preset is None and warning
    chosen, _ = build_preset(preset=None, fresh=False)
    assert chosen.speed_hz <= limits.MAX_SPEED_HZ and chosen.volume_pct <= 100


def test_config_and_audio_config_cannot_raise_speed_or_volume() -> None:
    from bls_tui.config.appconfig import FIELD_NAMES, ConfigError, parse_config_text

    assert not {"speed_hz", "volume_pct"} & set(FIELD_NAMES)
    for text in ("speed_hz = 3\n", "volume_pct = 200\n"):
        with pytest.raises(ConfigError):
            parse_config_text(text, "config.toml")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=30))
def test_engine_never_runs_above_cap_whatever_it_is_asked(requests: list[float]) -> None:
    clock = FakeClock()
    engine = Engine(MotionPlan(speed_hz=1.0, cycles=10), clock)
    engine.toggle(clock.now())
    for hz in requests:
        clock.advance(0.05)
        got = engine.set_speed(hz, clock.now())
        assert limits.MIN_SPEED_HZ <= got <= limits.MAX_SPEED_HZ
        assert limits.MIN_SPEED_HZ <= engine.speed_hz <= limits.MAX_SPEED_HZ


async def test_keys_cannot_exceed_speed_or_volume_caps() -> None:
    clock = FakeClock()
    app = make_app(RunOptions(preset=Preset(speed_hz=1.9, volume_pct=95)), clock)
    async with app.run_test(headless=True, size=(100, 30)) as pilot:
        await pilot.press(*["up"] * 30)
        assert app.runtime.engine.plan.speed_hz == limits.MAX_SPEED_HZ
        await pilot.press("space")
        for _ in range(5):  # during a set too (the key's action; keys queue slowly while animating)
            app.screen.action_speed(+1)  # type: ignore[attr-defined]
        assert app.runtime.engine.speed_hz == limits.MAX_SPEED_HZ
        for _ in range(40):
            app.runtime.sound.change_volume(+1)
        assert app.runtime.sound.params.volume_pct == 100


@pytest.mark.parametrize("tone", ["sine", "soft-square", "click", "chime"])
def test_rendered_samples_stay_under_the_peak_ceiling_at_full_volume(tone: str) -> None:
    from bls_tui.sound.render import Renderer
    from bls_tui.sound.schedule import Schedule

    clock = FakeClock(0.0)
    engine = Engine(MotionPlan(speed_hz=2.0, cycles=4), clock)
    renderer = Renderer(48000, validated(ToneParams(tone=tone, volume_pct=100)))
    engine.toggle(0.0)
    renderer.set_schedule(Schedule.start(engine, 0.0))
    buf, _ = renderer.render(0.0, 48000 * 3)
    peak = float(np.max(np.abs(buf)))
    assert 0.0 < peak <= limits.PEAK_CEILING + 1e-6, peak


async def test_nothing_flashes_and_there_is_no_bell() -> None:
    """Only the dot's cells change between frames; the background never changes colour."""
    clock = FakeClock()
    app = make_app(RunOptions(preset=Preset(speed_hz=2.0, cycles=6)), clock)
    async with app.run_test(headless=True, size=(80, 24)) as pilot:
        await pilot.press("space")
        stage = app.screen.query_one(Stage)
        backgrounds = set()
        lit_per_frame = []
        for _ in range(60):
            clock.advance(1 / 30)
            await pilot.pause(0.005)
            lit = 0
            for y in range(stage.size.height):
                for seg in stage.render_line(y):
                    if seg.style is not None and seg.style.bgcolor is not None:
                        backgrounds.add(seg.style.bgcolor.name)
                    if seg.text.strip():
                        lit += len(seg.text.strip())
            lit_per_frame.append(lit)
        assert len(backgrounds) <= 2  # the background, and the dot colour under inverse cells
        assert max(lit_per_frame) <= 3 * 4 * 2  # only the dot is ever drawn, never a full screen
        app.bell()  # a no-op: no startle
