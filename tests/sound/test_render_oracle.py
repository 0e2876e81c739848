"""An independent oracle for audio files: the standard library's ``wave`` module reads what
`bls render` wrote (no numpy, no code of ours on the reading side).

Expected figures are worked out from the promise, not from the renderer: 1 Hz, 2 cycles =
4 edges at 0.5, 1.0, 1.5 and 2.0 s (right, left, right, left); the file ends 0.2 s after the
last 80 ms burst, so 2.28 s = 109,440 frames at 48 kHz; at 100 % the peak after the 2 s fade-in
is half of full scale (−6.02 dBFS) and never more.
"""

from __future__ import annotations

import math
import wave
from array import array
from pathlib import Path

from real_app import bls_env, run_bls


def read_frames(path: Path) -> tuple[int, int, int, int, list[int], list[int]]:
    with wave.open(str(path), "rb") as w:
        channels, width, rate, n = (
            w.getnchannels(),
            w.getsampwidth(),
            w.getframerate(),
            w.getnframes(),
        )
        raw = w.readframes(n)
    samples = array("h")
    samples.frombytes(raw)  # 16-bit little-endian PCM, as WAV stores it (this machine is LE)
    return channels, width, rate, n, list(samples[0::2]), list(samples[1::2])


def first_sound(channel: list[int], start: int = 0) -> int:
    return next(i for i in range(start, len(channel)) if channel[i] != 0)


def test_wave_reads_what_bls_render_wrote(tmp_path: Path) -> None:
    env = bls_env(tmp_path / "run")
    out = tmp_path / "set.wav"
    res = run_bls(env, "render", str(out), "--fresh", "--speed", "1", "--cycles", "2",
                  "--volume", "100", "--tone", "sine", "--freq", "500")  # fmt: skip
    assert res.returncode == 0, res.stderr
    channels, width, rate, n, left, right = read_frames(out)
    assert (channels, width, rate) == (2, 2, 48_000)
    assert n == 109_440 == len(left) == len(right)

    # the first burst is on the right only, at 0.5 s; the second on the left only, at 1.0 s
    assert all(v == 0 for v in left[:48_000])
    # (the burst's own fade starts from zero: its first frames round to 0, 1 ms at most)
    assert 24_000 <= first_sound(right) <= 24_048
    assert 48_000 <= first_sound(left) <= 48_048
    assert all(v == 0 for v in right[24_000 + 4_000 : 72_000])  # silent until the 3rd edge

    peak = max(max(map(abs, left)), max(map(abs, right)))
    assert peak <= 16_384  # never above half of full scale (32,768)
    assert 20 * math.log10(peak / 32_768) >= -6.03  # and the last burst reaches it
    # the fade-in: the first burst (0.5 s into the set) is far quieter than the last
    first_peak = max(map(abs, right[24_000:28_000]))
    last_peak = max(map(abs, left[96_000:100_000]))
    assert last_peak >= 16_380
    assert first_peak < 0.3 * last_peak
