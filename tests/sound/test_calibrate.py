"""Latency calibration: the estimator on synthetic taps, audio.toml per device, the screens."""

from __future__ import annotations

import os
import random
import stat
from pathlib import Path

import pytest

from bls_tui.cli.audio_cmd import latency_line
from bls_tui.config.presets import Preset
from bls_tui.services.runtime import RunOptions
from bls_tui.sound.backends.select import AudioChoiceError, configured_latency_ms
from bls_tui.sound.calibrate import CLICKS, INTERVAL_S, MIN_TAPS, click_times, estimate
from bls_tui.sound.latency_store import save_latency, sounds_like_bluetooth
from bls_tui.stimulus.clock import FakeClock
from bls_tui.ui.app import make_app
from bls_tui.ui.screens.calibrate import CalibrateApp, CalibrateScreen

TRUE_MS = 180.0


def taps_for(seed: int, *, outliers: float = 0.0, miss: float = 0.0, jitter: float = 0.030,
             latency: float = TRUE_MS / 1000) -> tuple[list[float], list[float]]:  # fmt: skip
    r = random.Random(seed)
    clicks = click_times(100.0)
    taps = []
    for c in clicks:
        if r.random() < miss:
            continue
        if r.random() < outliers:  # a stray tap anywhere in the interval
            taps.append(c + r.uniform(-0.15, 0.6))
        else:
            taps.append(c + latency + r.uniform(-jitter, jitter))
    return clicks, taps


# --------------------------------------------------------------------------- the estimator
def test_known_offset_with_30ms_jitter_is_found_within_10ms() -> None:
    errors = []
    for seed in range(300):
        est = estimate(*taps_for(seed))
        assert est.latency_ms is not None
        errors.append(abs(est.latency_ms - TRUE_MS))
    assert max(errors[:50]) <= 10.0  # every one of the first 50 streams
    assert sum(e <= 10.0 for e in errors) / len(errors) >= 0.99


def test_with_20_percent_outliers_still_within_15ms() -> None:
    errors = []
    for seed in range(300):
        est = estimate(*taps_for(seed, outliers=0.2))
        errors.append(abs(est.latency_ms - TRUE_MS) if est.latency_ms is not None else 1e9)
    assert sum(e <= 15.0 for e in errors) / len(errors) >= 0.98
    est = estimate(*taps_for(7, outliers=0.2))
    assert est.rejected > 0 and est.latency_ms is not None


def test_missed_clicks_and_double_taps_do_not_shift_the_estimate() -> None:
    clicks, taps = taps_for(3, miss=0.25)
    assert len(taps) < len(clicks)
    est = estimate(clicks, taps)
    assert est.latency_ms == pytest.approx(TRUE_MS, abs=10)
    doubled = sorted(taps + [t + 0.3 for t in taps[::5]])  # a few nervous double taps
    est2 = estimate(clicks, doubled)
    assert est2.latency_ms == pytest.approx(TRUE_MS, abs=10) and est2.rejected >= 4


@pytest.mark.parametrize("latency_ms", [0.0, 40.0, 250.0, 450.0, -60.0])
def test_other_latencies_including_early_tappers(latency_ms: float) -> None:
    est = estimate(*taps_for(11, latency=latency_ms / 1000, jitter=0.02))
    assert est.latency_ms == pytest.approx(latency_ms, abs=10)


def test_too_few_or_random_taps_give_one_line_and_no_estimate() -> None:
    clicks = click_times(100.0)
    est = estimate(clicks, [c + 0.2 for c in clicks[:10]])
    assert est.latency_ms is None and est.problem is not None
    assert f"at least {MIN_TAPS}" in est.summary()
    r = random.Random(1)
    noise = [r.uniform(clicks[0], clicks[-1]) for _ in range(40)]
    assert estimate(clicks, noise).latency_ms is None
    assert estimate([], []).problem == "no clicks were played"


def test_spread_is_reported() -> None:
    est = estimate(*taps_for(5))
    assert 5.0 < est.spread_ms < 40.0
    assert "spread ±" in est.summary()


# --------------------------------------------------------------------------- audio.toml
def test_saved_latency_is_per_backend_and_device_and_private(tmp_path: Path) -> None:
    cfg = tmp_path / "audio.toml"
    cfg.write_text("latency_ms = 20\n[miniaudio]\nlatency_ms = 30\n")
    save_latency("miniaudio", "Sony WH-1000 (Bluetooth)", 183.44, cfg)
    save_latency("miniaudio", "Built-in Audio Analog Stereo", 31.0, cfg)
    assert stat.S_IMODE(os.stat(cfg).st_mode) == 0o600
    assert configured_latency_ms("miniaudio", cfg, device="Sony WH-1000 (Bluetooth)") == 183.4
    assert configured_latency_ms("miniaudio", cfg, device="Built-in Audio Analog Stereo") == 31
    assert configured_latency_ms("miniaudio", cfg, device="USB headset") == 30.0
    assert configured_latency_ms("simpleaudio", cfg) == 20.0


def test_a_broken_audio_toml_is_one_line_not_overwritten(tmp_path: Path) -> None:
    cfg = tmp_path / "audio.toml"
    cfg.write_text("latency_ms = [\n")
    with pytest.raises(AudioChoiceError) as err:
        save_latency("miniaudio", "dev", 100.0, cfg)
    assert "\n" not in str(err.value) and "calibrate again" in str(err.value)
    assert cfg.read_text() == "latency_ms = [\n"
    with pytest.raises(AudioChoiceError, match="must be from -200 to 1000 ms"):
        save_latency("miniaudio", "dev", 5000.0, tmp_path / "new.toml")


def test_doctor_line_shows_the_latency_and_warns_for_bluetooth(
    isolated_dirs: dict[str, Path],
) -> None:
    assert sounds_like_bluetooth("bluez_output.AC_80_0A.a2dp-sink")
    assert not sounds_like_bluetooth("Built-in Audio Analog Stereo")
    line = latency_line("miniaudio", "Built-in Audio", 40.0)
    assert line == "latency in force: 40 ms (backend default; `bls calibrate` measures it)"
    isolated_dirs["config"].mkdir(parents=True, exist_ok=True)
    save_latency("miniaudio", "bluez_output.a2dp-sink", 212.0)
    line = latency_line("miniaudio", "bluez_output.a2dp-sink", 40.0)
    assert line.startswith("latency in force: 212 ms (audio.toml)")
    assert "Bluetooth sink" in line and "bls calibrate" in line


# --------------------------------------------------------------------------- the screens
class FakePlayer:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.stopped = 0

    @property
    def label(self) -> str:
        return "fake · test device"

    def start(self) -> float:
        return self.clock.now() + 0.5

    def stop(self) -> None:
        self.stopped += 1


async def test_calibration_screen_taps_estimate_and_save() -> None:
    clock = FakeClock()
    player = FakePlayer(clock)
    saved: list[float] = []

    def save(ms: float) -> str:
        saved.append(ms)
        return f"saved {ms:.0f} ms"

    app = CalibrateApp(player, clock, save)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, CalibrateScreen)
        r = random.Random(2)
        for click in screen.clicks:
            clock.set(click + 0.180 + r.uniform(-0.03, 0.03))
            await pilot.press("space")
        clock.advance(1.5)
        screen.check()
        assert screen.result is not None and screen.result.latency_ms is not None
        assert screen.result.latency_ms == pytest.approx(180, abs=10)
        assert player.stopped == 1
        await pilot.press("enter")
        await pilot.pause()
    assert saved and app.outcome.startswith("saved 1")
    assert len(screen.clicks) == CLICKS and screen.clicks[1] - screen.clicks[0] == pytest.approx(
        INTERVAL_S
    )


async def test_calibration_screen_escape_saves_nothing() -> None:
    clock = FakeClock()
    player = FakePlayer(clock)
    app = CalibrateApp(player, clock, lambda ms: "saved")
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.outcome == "left without saving" and player.stopped == 1


async def test_the_stim_key_explains_when_calibration_cannot_run() -> None:
    clock = FakeClock()
    app = make_app(RunOptions(preset=Preset()), clock)  # audio "none": no device
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("l")
        assert "needs a sound device" in str(app.screen.query_one("#message").render())
        await pilot.press("space")
        await pilot.press("l")
        assert "runs between sets" in str(app.screen.query_one("#message").render())
        await pilot.press("s")


def test_click_player_puts_click_0_where_it_says() -> None:
    """A fake stream device: click 0 starts LEAD_S after start(), click 1 one interval later."""
    import numpy as np

    from bls_tui.sound.base import RATE
    from bls_tui.sound.click_player import LEAD_S, ClickPlayer

    class FakeStream:
        name, kind, default_latency_ms, write_ahead_ms = "fake", "stream", 0.0, 0.0
        device_name = "fake device"

        def __init__(self) -> None:
            self.pull = None
            self.closed = False

        def start_stream(self, pull: object) -> None:
            self.pull = pull

        def stop_stream(self) -> None:
            pass

        def close(self) -> None:
            self.closed = True

    clock = FakeClock()
    backend = FakeStream()
    player = ClickPlayer(backend, clock)  # type: ignore[arg-type]
    first = player.start()
    assert first == pytest.approx(clock.now() + LEAD_S)
    assert backend.pull is not None
    n = round((LEAD_S + INTERVAL_S + 0.2) * RATE)
    data = np.frombuffer(backend.pull(n), dtype=np.int16).reshape(-1, 2)
    loud = np.flatnonzero(np.abs(data[:, 0]) > 100)
    assert loud.size and loud[0] / RATE == pytest.approx(LEAD_S, abs=0.005)
    second = loud[loud > (LEAD_S + 0.3) * RATE]
    assert second.size and second[0] / RATE == pytest.approx(LEAD_S + INTERVAL_S, abs=0.005)
    assert np.array_equal(data[:, 0], data[:, 1])  # each click in both ears
    player.stop()
