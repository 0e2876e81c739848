"""The promised numbers, stated literally, and the behaviour at and just past each boundary.

Every figure here is written out as a number, never read back from ``safety/limits.py``: raising
a safety limit in the code must fail this file.  The promises (README, safety section):

* sound peak ceiling 0.5 of full scale (−6.02 dBFS), reached only at 100 % volume;
* every set fades in over 2 s, from −20 dB;
* speed 0.1 Hz to 2.0 Hz (hard cap), set length 1 to 500 cycles or 1 to 1800 s, edge dwell
  at most 200 ms;
* nothing flashes more than 3 times a second (WCAG 2.3.1);
* no saturated red: red at or above 80 % of R+G+B (and brighter than 96) is refused;
* a session resumed within 60 minutes counts the gap as session time;
* our files are 0600 and our folders 0700.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from bls_tui.cli.errors import CliError
from bls_tui.cli.options import build_preset
from bls_tui.config.presets import PresetError, validate_fields
from bls_tui.protocol.model import SAME_SITTING_S
from bls_tui.safety import limits
from bls_tui.sound.sounds import synthesize
from bls_tui.sound.tones import ToneParams
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import Engine, Event, MotionPlan, SetState
from bls_tui.stimulus.flashes import flash_rate_ok, flash_times, max_flashes_in_any_second

RATE = 48_000


def literal_limits() -> dict[str, float]:
    return {
        "MAX_SPEED_HZ": 2.0,
        "MIN_SPEED_HZ": 0.1,
        "MIN_CYCLES": 1,
        "MAX_CYCLES": 500,
        "MIN_SECONDS": 1.0,
        "MAX_SECONDS": 1800.0,
        "MAX_EDGE_DWELL_MS": 200.0,
        "PEAK_CEILING": 0.5,
        "SET_FADE_IN_S": 2.0,
        "MAX_FLASHES_PER_S": 3.0,
    }


@pytest.mark.parametrize(("name", "value"), list(literal_limits().items()))
def test_the_constants_are_the_promised_numbers(name: str, value: float) -> None:
    assert getattr(limits, name) == value
    assert SAME_SITTING_S == 3600.0


# --------------------------------------------------------------------------- sound
def burst_peak(t0: float, *, volume: int = 100, set_start: float | None = 0.0) -> float:
    """Peak of one burst starting at clock ``t0`` in a set that started at 0."""
    buf = synthesize(
        [(t0, "left")], start=t0, n_frames=int(0.2 * RATE), rate=RATE,
        params=ToneParams(volume_pct=volume), set_start=set_start,
    )  # fmt: skip
    assert float(np.max(np.abs(buf[:, 1]))) == 0.0  # a left burst is on the left only
    return float(np.max(np.abs(buf)))


def test_peak_ceiling_is_half_full_scale_at_full_volume() -> None:
    peak = burst_peak(5.0)  # long after the fade-in, at 100 %
    assert peak <= 0.5
    assert 20 * math.log10(peak) == pytest.approx(-6.02, abs=0.01)  # at the ceiling, not below


@pytest.mark.parametrize("tone", ["sine", "soft-square", "click", "chime"])
def test_no_tone_passes_the_ceiling_even_when_bursts_overlap(tone: str) -> None:
    edges = [(5.0 + i * 0.01, "left") for i in range(10)]  # ten bursts piled up
    params = ToneParams(tone=tone, volume_pct=100, burst_ms=300, fade_ms=5)
    buf = synthesize(edges, start=5.0, n_frames=RATE // 2, rate=RATE, params=params)
    assert float(np.max(np.abs(buf))) <= 0.5


def test_lower_volume_is_below_the_ceiling() -> None:
    assert burst_peak(5.0, volume=99) < burst_peak(5.0, volume=100)
    assert burst_peak(5.0, volume=0) == 0.0


def test_every_set_fades_in_over_two_seconds() -> None:
    start = burst_peak(0.0)
    half = burst_peak(1.0)
    late = burst_peak(1.5)
    full = burst_peak(2.0)
    assert start <= 0.5 * 10 ** (-20 / 20) * 1.05  # begins at −20 dB (0.05)
    assert start < half < late < full
    assert 0.25 <= half <= 0.35  # half-way up at 1 s (raised cosine from 0.1 to 1: 0.55)
    assert late < 0.49  # still fading at 1.5 s (a 1.5 s fade would be done)
    assert full == pytest.approx(0.5, abs=1e-6)  # done at 2 s (a 2.5 s fade would not be)
    assert burst_peak(3.0) == pytest.approx(full, abs=1e-6)


# --------------------------------------------------------------------------- speed
def test_speed_cap_two_hz_at_and_past_the_boundary() -> None:
    assert limits.clamp_speed(2.0) == 2.0
    assert limits.clamp_speed(2.001) == 2.0
    assert limits.clamp_speed(1.999) == 1.999
    build_preset(preset=None, fresh=True, speed=2.0)  # the cap itself is allowed
    with pytest.raises(CliError, match=r"2\.0 is the cap"):
        build_preset(preset=None, fresh=True, speed=2.01)
    with pytest.raises(PresetError):
        validate_fields({"speed_hz": 2.01}, "test.toml", {})
    validate_fields({"speed_hz": 2.0}, "test.toml", {})


def test_at_two_hz_an_edge_every_quarter_second() -> None:
    clock = FakeClock(0.0)
    engine = Engine(MotionPlan(speed_hz=9.0, cycles=2), clock)
    events: list[Event] = []
    engine.listeners.append(events.append)
    engine.start_set(0.0)
    engine.poll(10.0)
    assert [e.t for e in events if e.kind == "edge"] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert engine.set_speed(2.5, 0.0) == 2.0


def test_speed_floor_point_one_hz() -> None:
    assert limits.clamp_speed(0.1) == 0.1
    assert limits.clamp_speed(0.099) == 0.1
    assert limits.clamp_speed(0.101) == 0.101
    build_preset(preset=None, fresh=True, speed=0.1)
    with pytest.raises(CliError):
        build_preset(preset=None, fresh=True, speed=0.09)
    engine = Engine(MotionPlan(speed_hz=0.01), FakeClock())
    assert engine.speed_hz == 0.1


# --------------------------------------------------------------------------- set length
def test_cycles_one_to_five_hundred() -> None:
    build_preset(preset=None, fresh=True, cycles=500)
    build_preset(preset=None, fresh=True, cycles=1)
    for bad in (501, 0):
        with pytest.raises(CliError, match="from 1 to 500 cycles"):
            build_preset(preset=None, fresh=True, cycles=bad)
    with pytest.raises(PresetError):
        validate_fields({"cycles": 501}, "test.toml", {})
    validate_fields({"cycles": 500}, "test.toml", {})
    engine = Engine(MotionPlan(cycles=24), FakeClock())
    assert engine.set_cycles(500) == 500
    assert engine.set_cycles(501) == 500
    assert engine.set_cycles(5000) == 500
    assert engine.set_cycles(0) == 1


def test_seconds_one_to_eighteen_hundred() -> None:
    build_preset(preset=None, fresh=True, seconds=1800)
    build_preset(preset=None, fresh=True, seconds=1)
    for bad in (1800.5, 0.9):
        with pytest.raises(CliError, match="from 1 to 1800 seconds"):
            build_preset(preset=None, fresh=True, seconds=bad)
    engine = Engine(MotionPlan(cycles=24), FakeClock())
    assert engine.set_seconds(1800.0) == 1800.0
    assert engine.set_seconds(1800.5) == 1800.0
    assert engine.set_seconds(1.0) == 1.0
    assert engine.set_seconds(0.5) == 1.0


def test_edge_dwell_at_most_200_ms() -> None:
    build_preset(preset=None, fresh=True, dwell_ms=200)
    with pytest.raises(CliError):
        build_preset(preset=None, fresh=True, dwell_ms=201)


def test_a_set_of_500_cycles_at_the_cap_runs_to_its_end() -> None:
    clock = FakeClock(0.0)
    engine = Engine(MotionPlan(speed_hz=2.0, cycles=500), clock)
    engine.start_set(0.0)
    engine.poll(249.99)
    assert engine.state is SetState.RUNNING
    engine.poll(250.0)
    assert engine.state is SetState.ENDED
    assert engine.last_summary is not None and engine.last_summary.sweeps_delivered == 1000


# --------------------------------------------------------------------------- flashes
def square_wave(
    flashes_per_s: float, seconds: float = 3.0, fps: int = 120
) -> list[tuple[float, float]]:
    """A whole area switching dark/bright: one flash = one bright-then-dark pair."""
    out = []
    for i in range(int(seconds * fps)):
        t = i / fps
        bright = math.floor(t * flashes_per_s * 2) % 2 == 1
        out.append((t, 0.9 if bright else 0.05))
    return out


def test_three_flashes_a_second_pass_and_four_fail() -> None:
    assert max_flashes_in_any_second(flash_times(square_wave(3.0))) == 3
    assert flash_rate_ok(square_wave(3.0))
    assert max_flashes_in_any_second(flash_times(square_wave(4.0))) == 4
    assert not flash_rate_ok(square_wave(4.0))
    assert not flash_rate_ok(square_wave(3.5))


def test_small_changes_and_bright_only_changes_are_not_flashes() -> None:
    dim = [(i / 60, 0.2 + (0.09 if i % 2 else 0.0)) for i in range(240)]  # 9 % steps, 30 Hz
    assert flash_times(dim) == []
    bright = [(i / 60, 0.85 + (0.14 if i % 2 else 0.0)) for i in range(240)]  # darker >= 0.8
    assert flash_times(bright) == []
    ten = [(i / 60, 0.2 + (0.1 if i % 2 else 0.0)) for i in range(60)]  # 10 % steps count
    assert max_flashes_in_any_second(flash_times(ten)) == 29


# --------------------------------------------------------------------------- colours
@pytest.mark.parametrize(
    ("colour", "refused"),
    [
        ("#ed3f00", False),  # 237 / 300 = 0.79
        ("#f03c00", True),  # 240 / 300 = 0.80: the threshold itself is refused
        ("#f33900", True),  # 243 / 300 = 0.81
        ("#600000", False),  # pure red but dark (96): allowed
        ("#610000", True),  # 97: refused
        ("#ff0000", True),
        ("#c83232", False),  # 200 / 300 = 0.67: a muted red is fine
    ],
)
def test_saturated_red_rule_threshold(colour: str, refused: bool) -> None:
    for key in ("dot_color", "background"):
        if refused:
            with pytest.raises(PresetError, match="saturated red"):
                validate_fields({key: colour}, "test.toml", {})
        else:
            validate_fields({key: colour}, "test.toml", {})


# --------------------------------------------------------------------------- file modes
def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_0600_and_folders_0700(tmp_path: Path, isolated_dirs: dict[str, Path]) -> None:
    from bls_tui.config.presets import Preset
    from bls_tui.config.remembered import last_path, save_last
    from bls_tui.safety.paths import ensure_private_dir
    from bls_tui.stimulus.trace import TraceWriter

    old = os.umask(0o022)
    try:
        folder = ensure_private_dir(tmp_path / "a" / "b")
        assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
        assert save_last(Preset()) is None
        assert mode(last_path()) == 0o600
        assert mode(last_path().parent) == 0o700
        trace = TraceWriter(tmp_path / "trace.jsonl")
        trace.close()
        assert mode(tmp_path / "trace.jsonl") == 0o600
    finally:
        os.umask(old)
