"""Tone synthesis: channels, onsets, fades, peak ceiling, set fade-in, follow mode, validation."""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import bls_tui
from bls_tui.safety import limits
from bls_tui.sound.sounds import list_tones, synthesize, validated
from bls_tui.sound.tones import (
    BUILTIN_TONES,
    FOLLOW_LEVEL,
    SET_FADE_FLOOR,
    ToneParams,
    ToneParamsError,
    builtin_template,
    fade_out,
    onset_frame,
    to_int16,
    volume_db,
    volume_gain,
)

RATE = 48000
START = 1000.0
CEIL = limits.PEAK_CEILING


def first_nonzero(col: np.ndarray) -> int:
    idx = np.flatnonzero(col)
    assert len(idx), "channel is silent"
    return int(idx[0])


def rc(n: int) -> np.ndarray:
    """Raised cosine rising over n samples, sampled at half-sample centres (the spec)."""
    k = np.arange(n)
    return 0.5 * (1 - np.cos(np.pi * (k + 0.5) / n))


@pytest.mark.parametrize("tone", (*BUILTIN_TONES, "marimba"))
def test_left_only_left_right_only_right(tone: str) -> None:
    p = ToneParams(tone=tone, volume_pct=70)
    left = synthesize([(START + 0.1, "left")], start=START, n_frames=RATE, rate=RATE, params=p)
    right = synthesize([(START + 0.1, "right")], start=START, n_frames=RATE, rate=RATE, params=p)
    assert np.all(left[:, 1] == 0.0) and np.any(left[:, 0] != 0.0)
    assert np.all(right[:, 0] == 0.0) and np.any(right[:, 1] != 0.0)
    np.testing.assert_array_equal(left[:, 0], right[:, 1])


def test_alternating_edges_each_in_its_own_ear() -> None:
    edges = [(START + 0.25 + 0.5 * k, "left" if k % 2 == 0 else "right") for k in range(6)]
    buf = synthesize(edges, start=START, n_frames=4 * RATE, rate=RATE, params=ToneParams())
    n = round(0.080 * RATE)
    for t, side in edges:
        on = onset_frame(t, START, RATE)
        ch, other = (0, 1) if side == "left" else (1, 0)
        assert np.any(buf[on : on + n, ch] != 0)
        assert np.all(buf[on : on + n, other] == 0.0)


def test_output_format() -> None:
    buf = synthesize([], start=START, n_frames=123, rate=RATE, params=ToneParams())
    assert buf.shape == (123, 2) and buf.dtype == np.float32 and buf.flags.c_contiguous
    empty = synthesize([], start=START, n_frames=0, rate=RATE, params=ToneParams())
    assert empty.shape == (0, 2)


@pytest.mark.parametrize("start", [0.0, 1000.0, 98765.4321])
@pytest.mark.parametrize("dt", [0.0, 0.01, 0.123456, 0.5000104])
def test_onset_is_first_nonzero_sample(start: float, dt: float) -> None:
    t = start + dt
    buf = synthesize([(t, "left")], start=start, n_frames=RATE, rate=RATE, params=ToneParams())
    assert first_nonzero(buf[:, 0]) == round((t - start) * RATE) == onset_frame(t, start, RATE)


def test_burst_before_frame_zero_contributes_its_tail_and_end_is_clipped() -> None:
    p = ToneParams(volume_pct=100)
    tpl = builtin_template("sine", 500.0, 80.0, 8.0, RATE) * CEIL
    early = synthesize([(START - 0.02, "left")], start=START, n_frames=4000, rate=RATE, params=p)
    lead = round(0.02 * RATE)
    np.testing.assert_allclose(early[: len(tpl) - lead, 0], tpl[lead:], atol=1e-7)
    assert np.all(early[len(tpl) - lead :, 0] == 0)
    late = synthesize([(START + 0.01, "right")], start=START, n_frames=1000, rate=RATE, params=p)
    np.testing.assert_allclose(late[480:, 1], tpl[:520], atol=1e-7)
    gone = synthesize(
        [(START - 1.0, "left"), (START + 5.0, "left")],
        start=START,
        n_frames=1000,
        rate=RATE,
        params=p,
    )
    assert not np.any(gone)


@pytest.mark.parametrize("fade_ms", [5.0, 8.0, 20.0])
def test_sine_burst_fades_in_and_out_as_raised_cosine(fade_ms: float) -> None:
    p = ToneParams(volume_pct=100, fade_ms=fade_ms, freq_hz=440.0)
    buf = synthesize([(START, "left")], start=START, n_frames=RATE // 2, rate=RATE, params=p)
    x = buf[:, 0].astype(np.float64)
    n = round(0.080 * RATE)
    nf = round(fade_ms * RATE / 1000)
    assert nf >= 5 * RATE // 1000
    k = np.arange(n)
    env = np.ones(n)
    env[:nf] = rc(nf)
    env[n - nf :] = rc(nf)[::-1]
    raw = env * np.sin(2 * np.pi * 440.0 * (k + 0.5) / RATE)
    expected = CEIL * raw / np.max(np.abs(raw))
    np.testing.assert_allclose(x[:n], expected, atol=2e-7)
    assert abs(x[0]) < 1e-4 * CEIL and abs(x[n - 1]) < 1e-4 * CEIL
    assert np.all(x[n:] == 0)


@pytest.mark.parametrize("tone", BUILTIN_TONES)
def test_every_builtin_template_starts_and_ends_quietly(tone: str) -> None:
    tpl = builtin_template(tone, 1000.0, 30.0, 5.0, RATE)
    quarter_ms = RATE // 4000  # within the first 0.25 ms of a >= 5 ms raised cosine
    assert np.max(np.abs(tpl[:quarter_ms])) < 0.01
    assert np.max(np.abs(tpl[-quarter_ms:])) < 0.01
    assert np.max(np.abs(tpl)) == pytest.approx(1.0)
    assert not tpl.flags.writeable


@pytest.mark.parametrize("tone", (*BUILTIN_TONES, "soft-drum", "bell-chime", "soft-click"))
@pytest.mark.parametrize("follow", [False, True])
def test_peak_never_exceeds_ceiling_at_full_volume(tone: str, follow: bool) -> None:
    p = ToneParams(tone=tone, volume_pct=100, follow=follow, freq_hz=1000.0, burst_ms=300.0)
    # many edges at the same time on one channel would add up: the guard must hold anyway
    edges = [(START + 0.1, "left")] * 5 + [(START + 0.1 + 0.01 * k, "right") for k in range(40)]
    buf = synthesize(
        edges, start=START, n_frames=RATE, rate=RATE, params=p, follow_x=lambda t: (t - START) % 1.0
    )
    assert np.max(np.abs(buf)) <= CEIL
    assert np.max(np.abs(buf)) > 0.2 * CEIL


def test_volume_law() -> None:
    """0-100 % spans 0 to -40 dB in equal dB steps (2 dB per 5 % key step); 0 % is silence."""
    assert volume_gain(0) == 0.0 and volume_gain(100) == 1.0
    assert volume_db(100) == 0.0 and volume_db(50) == pytest.approx(-20.0)
    assert volume_db(1) == pytest.approx(-39.6) and volume_db(0) == -math.inf
    assert volume_gain(50) == pytest.approx(0.1)  # -20 dB
    assert volume_gain(80) == pytest.approx(10 ** (-8 / 20))
    steps = [20 * math.log10(volume_gain(v + 5) / volume_gain(v)) for v in range(5, 100, 5)]
    assert steps == pytest.approx([2.0] * len(steps))
    gains = [volume_gain(v) for v in range(101)]
    assert all(a < b for a, b in itertools.pairwise(gains))
    silent = synthesize(
        [(START, "left")],
        start=START,
        n_frames=RATE // 4,
        rate=RATE,
        params=ToneParams(volume_pct=0),
    )
    assert not np.any(silent)
    loud = synthesize(
        [(START, "left")],
        start=START,
        n_frames=RATE // 4,
        rate=RATE,
        params=ToneParams(volume_pct=40),
    )
    assert np.max(np.abs(loud)) == pytest.approx(CEIL * 10 ** (-24 / 20), rel=1e-5)


def test_default_volume_peaks_near_minus_14_dbfs() -> None:
    """The default level: a laptop can hear it (peak -12 to -16 dBFS), under the ceiling."""
    assert limits.DEFAULT_VOLUME_PCT == 80
    buf = synthesize(
        [(START + 3.0, "left")],  # after the set fade-in
        start=START,
        n_frames=4 * RATE,
        rate=RATE,
        params=ToneParams(),
    )
    peak_dbfs = 20 * math.log10(float(np.max(np.abs(buf))))
    assert peak_dbfs == pytest.approx(-6.02 - 8.0, abs=0.05)


def test_set_fade_in_makes_the_first_burst_quiet() -> None:
    p = ToneParams(volume_pct=100)
    edges = [(START, "left"), (START + 5.0, "left")]
    buf = synthesize(edges, start=START, n_frames=6 * RATE, rate=RATE, params=p, set_start=START)
    n = round(0.08 * RATE)
    first = np.max(np.abs(buf[:n, 0]))
    later = np.max(np.abs(buf[5 * RATE : 5 * RATE + n, 0]))
    assert later == pytest.approx(CEIL, rel=1e-5)
    assert first < 0.15 * later  # 80 ms into a 2 s raised cosine from -20 dB
    assert first >= SET_FADE_FLOOR * 0.9 * later
    no_ramp = synthesize(edges, start=START, n_frames=RATE, rate=RATE, params=p)
    assert np.max(np.abs(no_ramp[:n, 0])) == pytest.approx(CEIL, rel=1e-5)


def test_set_fade_in_ramp_is_raised_cosine() -> None:
    p = ToneParams(volume_pct=100, follow=True)
    buf = synthesize(
        [],
        start=START,
        n_frames=3 * RATE,
        rate=RATE,
        params=p,
        set_start=START,
        follow_x=lambda t: np.zeros_like(t),
    )
    flat = synthesize(
        [], start=START, n_frames=3 * RATE, rate=RATE, params=p, follow_x=lambda t: np.zeros_like(t)
    )
    i = np.flatnonzero(np.abs(flat[:, 0]) > 0.1 * CEIL * FOLLOW_LEVEL)
    gain = buf[i, 0] / flat[i, 0]
    u = np.clip(i / RATE / limits.SET_FADE_IN_S, 0, 1)
    expected = SET_FADE_FLOOR + (1 - SET_FADE_FLOOR) * 0.5 * (1 - np.cos(np.pi * u))
    np.testing.assert_allclose(gain, expected, rtol=1e-4)


def test_chunks_join_exactly_like_one_buffer() -> None:
    edges = [(START + 0.2 + 0.37 * k, "left" if k % 2 else "right") for k in range(12)]
    p = ToneParams(tone="chime", volume_pct=80)
    whole = synthesize(edges, start=START, n_frames=5 * RATE, rate=RATE, params=p, set_start=START)
    parts = [
        synthesize(
            edges, start=START + a / RATE, n_frames=1000, rate=RATE, params=p, set_start=START
        )
        for a in range(0, 5 * RATE, 1000)
    ]
    np.testing.assert_allclose(np.concatenate(parts), whole, atol=1e-6)


def test_follow_mode_equal_power_and_pans_left_at_zero() -> None:
    p = ToneParams(volume_pct=100, follow=True)
    n = RATE
    left = synthesize(
        [], start=START, n_frames=n, rate=RATE, params=p, follow_x=lambda t: np.zeros_like(t)
    )
    assert np.all(left[:, 1] == 0.0) and np.max(np.abs(left[:, 0])) > 0.9 * CEIL * FOLLOW_LEVEL
    right = synthesize(
        [], start=START, n_frames=n, rate=RATE, params=p, follow_x=lambda t: np.ones_like(t)
    )
    assert np.max(np.abs(right[:, 0])) < 1e-6 and np.max(np.abs(right[:, 1])) > 0.2
    moving = synthesize(
        [], start=START, n_frames=n, rate=RATE, params=p, follow_x=lambda t: (t - START) % 1.0
    )
    power = moving[:, 0].astype(np.float64) ** 2 + moving[:, 1].astype(np.float64) ** 2
    np.testing.assert_allclose(power, left[:, 0].astype(np.float64) ** 2, atol=1e-7)
    centre = synthesize(
        [], start=START, n_frames=n, rate=RATE, params=p, follow_x=lambda t: np.full_like(t, 0.5)
    )
    np.testing.assert_allclose(centre[:, 0], centre[:, 1], atol=1e-7)
    np.testing.assert_allclose(centre[:, 0], left[:, 0] * math.sqrt(0.5), atol=1e-7)


def test_follow_mode_phase_is_continuous_across_chunks() -> None:
    p = ToneParams(follow=True, freq_hz=437.0)
    x = lambda t: 0.5 + 0.5 * np.sin(t)  # noqa: E731
    whole = synthesize([], start=START, n_frames=3000, rate=RATE, params=p, follow_x=x)
    a = synthesize([], start=START, n_frames=1234, rate=RATE, params=p, follow_x=x)
    b = synthesize([], start=START + 1234 / RATE, n_frames=1766, rate=RATE, params=p, follow_x=x)
    np.testing.assert_allclose(np.concatenate([a, b]), whole, atol=1e-6)


def test_follow_mode_needs_positions() -> None:
    p = ToneParams(follow=True)
    with pytest.raises(ToneParamsError, match="follow_x"):
        synthesize([], start=START, n_frames=10, rate=RATE, params=p)
    with pytest.raises(ToneParamsError, match="one position per frame"):
        synthesize(
            [], start=START, n_frames=10, rate=RATE, params=p, follow_x=lambda t: np.zeros(3)
        )


def test_ten_thousand_cycles_onsets_exact() -> None:
    start = 12345.678
    rng = np.random.default_rng(7)
    gaps = 0.0049 + rng.random(20000) * 0.0007  # 20,000 sweeps = 10,000 cycles, jittered
    times = start + 0.0031 + np.cumsum(gaps)
    edges = [(float(t), "left" if k % 2 == 0 else "right") for k, t in enumerate(times)]
    n = onset_frame(float(times[-1]), start, RATE) + 10
    p = ToneParams(volume_pct=100)
    buf = synthesize(edges, start=start, n_frames=n, rate=RATE, params=p, template=[1.0])
    expected = [round((t - start) * RATE) for t, _ in edges]
    np.testing.assert_array_equal(np.flatnonzero(buf[:, 0]), expected[0::2])
    np.testing.assert_array_equal(np.flatnonzero(buf[:, 1]), expected[1::2])


def test_ten_thousand_cycles_at_1hz_onsets_exact_in_late_chunks() -> None:
    start = 5000.3
    edges = [(start + 0.25 + 0.5 * k, "left" if k % 2 == 0 else "right") for k in range(20000)]
    p = ToneParams()
    for t, side in edges[-3:]:
        chunk = t - 0.0173
        buf = synthesize(edges, start=chunk, n_frames=4096, rate=RATE, params=p)
        ch = 0 if side == "left" else 1
        assert first_nonzero(buf[:, ch]) == round((t - chunk) * RATE)


@pytest.mark.parametrize(
    ("kwargs", "field", "range_text"),
    [
        ({"freq_hz": 150}, "freq_hz", "200 and 1000 Hz"),
        ({"freq_hz": 1200}, "freq_hz", "200 and 1000 Hz"),
        ({"freq_hz": float("nan")}, "freq_hz", "200 and 1000 Hz"),
        ({"burst_ms": 10}, "burst_ms", "30 and 300 ms"),
        ({"burst_ms": 400}, "burst_ms", "30 and 300 ms"),
        ({"volume_pct": 120}, "volume_pct", "0 and 100 %"),
        ({"volume_pct": -1}, "volume_pct", "0 and 100 %"),
        ({"fade_ms": 2}, "fade_ms", "5 and 40 ms"),
        ({"fade_ms": 41}, "fade_ms", "5 and 40 ms"),
        ({"burst_ms": 30, "fade_ms": 20}, "fade_ms", "5 and 15 ms"),
        ({"freq_hz": "loud"}, "freq_hz", "200 and 1000 Hz"),
        ({"follow": "yes"}, "follow", "true or false"),
        ({"tone": "no-such-tone"}, "unknown tone", "sine, soft-square"),
    ],
)
def test_bad_params_rejected_with_clear_message(kwargs: dict, field: str, range_text: str) -> None:
    with pytest.raises(ValueError) as exc:
        validated(ToneParams(**kwargs))
    assert isinstance(exc.value, ToneParamsError)
    msg = str(exc.value)
    assert field in msg and range_text in msg and "\n" not in msg


def test_good_params_pass_and_names_are_normalised() -> None:
    assert validated(ToneParams()) == ToneParams()
    assert validated(ToneParams(tone=" chime ")).tone == "chime"
    for name in list_tones():
        assert validated(ToneParams(tone=name, freq_hz=200, burst_ms=300, fade_ms=150))


def test_synthesize_rejects_bad_edges_and_rates() -> None:
    p = ToneParams()
    with pytest.raises(ToneParamsError, match="'left' or 'right'"):
        synthesize([(START, "middle")], start=START, n_frames=10, rate=RATE, params=p)
    with pytest.raises(ToneParamsError, match="finite"):
        synthesize([(float("nan"), "left")], start=START, n_frames=10, rate=RATE, params=p)
    with pytest.raises(ToneParamsError, match="rate"):
        synthesize([], start=START, n_frames=10, rate=100, params=p)
    with pytest.raises(ToneParamsError, match="burst_ms"):
        synthesize([], start=START, n_frames=10, rate=RATE, params=ToneParams(burst_ms=5))


def test_to_int16_interleaved_and_clipped() -> None:
    buf = np.array([[0.5, -0.5], [1.5, -2.0], [0.0, 1.0]], dtype=np.float32)
    out = to_int16(buf)
    assert out.dtype == np.dtype("<i2") and out.flags.c_contiguous
    np.testing.assert_array_equal(out, [[16384, -16384], [32767, -32767], [0, 32767]])
    assert out.tobytes()[:4] == np.array([16384, -16384], dtype="<i2").tobytes()


def test_fade_out_ends_at_silence() -> None:
    buf = np.full((RATE, 2), 0.3, dtype=np.float32)
    tail = fade_out(buf, RATE, ms=20)
    assert tail.shape == (round(0.02 * RATE), 2) and tail.dtype == np.float32
    assert np.all(tail[-1] == 0.0) and tail[0, 0] == pytest.approx(0.3, rel=1e-3)
    assert np.all(np.diff(tail[:, 0]) <= 0)
    short = fade_out(np.ones(10, dtype=np.float32), RATE, ms=20)
    assert short.shape == (10,) and short[-1] == 0.0


def test_importing_tones_and_sounds_does_not_import_numpy() -> None:
    src = str(Path(bls_tui.__file__).resolve().parents[1])
    code = (
        "import sys, bls_tui.sound.tones, bls_tui.sound.sounds, bls_tui.sound.wavio;"
        "bls_tui.sound.sounds.validated(bls_tui.sound.tones.ToneParams());"
        "sys.exit('numpy' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0
