"""Generate the shipped sound library into ``sounds/`` (deterministic, no downloads).

Every sound is ours (MIT, see ``sounds/LICENSE``): 48 kHz, 16-bit mono WAV, at most 300 ms,
peak :data:`PEAK` (about -8 dBFS), raised-cosine fade-in and fade-out of at least 5 ms.

Usage: ``python scripts/make_sounds.py [OUT_DIR]`` (default: the repo's ``sounds/``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

try:
    from bls_tui.sound.tones import raised_cosine
    from bls_tui.sound.wavio import write_wav
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from bls_tui.sound.tones import raised_cosine
    from bls_tui.sound.wavio import write_wav

RATE = 48000
PEAK = 0.4
SEED = 20240601

Signal = npt.NDArray[np.float64]


def _t(ms: float) -> Signal:
    return np.arange(round(ms * RATE / 1000)) / RATE


def _finish(x: Signal, fade_in_ms: float, fade_out_ms: float) -> Signal:
    """Raised-cosine fades (>= 5 ms), then scale to :data:`PEAK`."""
    n_in = round(max(fade_in_ms, 5.0) * RATE / 1000)
    n_out = round(max(fade_out_ms, 5.0) * RATE / 1000)
    y = x.astype(np.float64, copy=True)
    y[:n_in] *= raised_cosine(n_in)
    y[len(y) - n_out :] *= raised_cosine(n_out)[::-1]
    return y * (PEAK / float(np.max(np.abs(y))))


def _noise(n: int, seed: int) -> Signal:
    """Uniform white noise in -1..1 from a fixed seed (PCG64 streams are stable)."""
    return np.random.default_rng(seed).random(n) * 2.0 - 1.0


def _lowpass(x: Signal, width: int) -> Signal:
    """Crude low-pass: moving average over ``width`` samples (twice, for a softer slope)."""
    k = np.ones(width) / width
    return np.convolve(np.convolve(x, k, mode="same"), k, mode="same")


def soft_click() -> Signal:
    t = _t(40)
    body = np.sin(2 * np.pi * 2200 * t) + 0.4 * _lowpass(_noise(len(t), SEED), 3)
    return _finish(body * np.exp(-t / 0.006), 5, 8)


def soft_tone() -> Signal:
    t = _t(150)
    x = np.sin(2 * np.pi * 440 * t) + 0.15 * np.sin(2 * np.pi * 880 * t)
    return _finish(x, 15, 25)


def bell_chime() -> Signal:
    t = _t(300)
    x = np.zeros_like(t)
    for ratio, amp, tau in (
        (1.0, 1.0, 0.15),
        (2.0, 0.5, 0.09),
        (2.76, 0.35, 0.06),
        (4.07, 0.2, 0.04),
    ):
        x += amp * np.exp(-t / tau) * np.sin(2 * np.pi * 880 * ratio * t)
    return _finish(x, 5, 40)


def wood_block() -> Signal:
    t = _t(120)
    x = np.sin(2 * np.pi * 950 * t) + 0.45 * np.sin(2 * np.pi * 2380 * t) * np.exp(-t / 0.008)
    x = x * np.exp(-t / 0.025) + 0.15 * _lowpass(_noise(len(t), SEED + 1), 4) * np.exp(-t / 0.004)
    return _finish(x, 5, 15)


def soft_drum() -> Signal:
    t = _t(250)
    freq = 70 + 60 * np.exp(-t / 0.04)  # pitch falls from 130 Hz to 70 Hz
    phase = 2 * np.pi * np.cumsum(freq) / RATE
    thump = np.sin(phase) * np.exp(-t / 0.07)
    skin = 0.25 * _lowpass(_noise(len(t), SEED + 2), 12) * np.exp(-t / 0.015)
    return _finish(thump + skin, 6, 30)


def marimba() -> Signal:
    t = _t(250)
    x = np.sin(2 * np.pi * 523.25 * t) * np.exp(-t / 0.09)
    x += 0.3 * np.sin(2 * np.pi * 523.25 * 3.93 * t) * np.exp(-t / 0.02)
    return _finish(x, 5, 25)


def water_drop() -> Signal:
    t = _t(120)
    freq = 600 + 900 * (1 - np.exp(-t / 0.03))  # quick upward glide
    phase = 2 * np.pi * np.cumsum(freq) / RATE
    return _finish(np.sin(phase) * np.exp(-t / 0.035), 5, 15)


SOUNDS: dict[str, Callable[[], Signal]] = {
    "soft-click": soft_click,
    "soft-tone": soft_tone,
    "bell-chime": bell_chime,
    "wood-block": wood_block,
    "soft-drum": soft_drum,
    "marimba": marimba,
    "water-drop": water_drop,
}


def generate(out_dir: Path) -> list[Path]:
    """Write every sound of :data:`SOUNDS` into ``out_dir``; return the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in SOUNDS.items():
        path = out_dir / f"{name}.wav"
        write_wav(path, make(), RATE, bits=16)
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "sounds"
    for path in generate(out):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
