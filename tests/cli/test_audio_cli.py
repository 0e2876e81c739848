"""`bls render`, `bls doctor` and the sound flags' validation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from bls_tui.config.presets import Preset
from bls_tui.services.offline import render_set
from bls_tui.sound.tones import to_int16
from bls_tui.sound.wavio import read_wav


def bls(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bls_tui", *args], capture_output=True, text=True, timeout=60
    )


def test_render_writes_the_exact_set(tmp_path: Path) -> None:
    out = tmp_path / "set.wav"
    res = bls("render", str(out), "--fresh", "--speed", "2", "--cycles", "3", "--volume", "60")
    assert res.returncode == 0, res.stderr
    assert "6 tones" in res.stdout
    data, rate = read_wav(out)
    ref, ref_rate, n = render_set(Preset(speed_hz=2.0, cycles=3, volume_pct=60))
    assert rate == ref_rate == 48000 and n == 6 and data.shape == ref.shape
    got = np.rint(data * 32768).astype(int)
    assert np.abs(got - to_int16(ref).astype(int)).max() <= 1
    left, right = np.abs(got[:, 0]).sum(), np.abs(got[:, 1]).sum()
    assert left > 0 and right > 0


def test_bad_sound_flags_give_one_line_and_exit_2(tmp_path: Path) -> None:
    for args, text in (
        (("run", "--volume", "101"), "--volume 101"),
        (("run", "--freq", "50"), "--freq 50"),
        (("run", "--audio", "pulse"), "--audio 'pulse'"),
        (("run", "--audio-latency-ms", "5000"), "--audio-latency-ms"),
        (("render", str(tmp_path / "x.wav"), "--tone", "nope"), "unknown tone 'nope'"),
    ):
        res = bls(*args)
        assert res.returncode == 2, (args, res.stderr)
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and text in lines[0] and lines[0].startswith("bls: error:")


def test_doctor_reports_every_backend() -> None:
    res = bls("doctor")
    assert res.returncode == 0
    assert res.stdout.count("\n") == 3
    assert res.stdout.startswith("miniaudio") and "\nsimpleaudio" in res.stdout
    assert "--audio auto would use:" in res.stdout
    # ALSA's own diagnostics never reach the terminal; at most one is quoted inside a reason
    assert "ALSA lib" not in res.stderr
    assert all(not line.startswith("ALSA lib") for line in res.stdout.splitlines())
