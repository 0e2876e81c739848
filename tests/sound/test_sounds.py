"""Sound library: shipped WAVs, user WAVs (good and bad), WAV reading and writing."""

from __future__ import annotations

import importlib.util
import os
import wave
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import bls_tui
from bls_tui.safety import limits, paths
from bls_tui.sound import sounds
from bls_tui.sound.sounds import synthesize, validated
from bls_tui.sound.tones import BUILTIN_TONES, ToneParams, ToneParamsError
from bls_tui.sound.wavio import WavError, probe_wav, read_wav, write_wav

RATE = 48000
REPO = Path(bls_tui.__file__).resolve().parents[2]
SHIPPED = (
    "bell-chime",
    "marimba",
    "soft-click",
    "soft-drum",
    "soft-tone",
    "water-drop",
    "wood-block",
)


def user_dir() -> Path:
    d = paths.user_sounds_dir()
    d.mkdir(parents=True, exist_ok=True)
    return d


def square(seconds: float, rate: int, channels: int = 1, level: float = 1.0) -> np.ndarray:
    n = round(seconds * rate)
    x = level * np.sign(np.sin(2 * np.pi * 50 * (np.arange(n) + 0.5) / rate))  # 10 ms flat tops
    return np.repeat(x[:, None], channels, axis=1)


def load_make_sounds() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", REPO / "scripts/make_sounds.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_shipped_library_is_listed_after_builtins() -> None:
    assert sounds.list_tones() == [*BUILTIN_TONES, *SHIPPED]
    found, warnings = sounds.shipped_sounds()
    assert warnings == [] and set(found) == set(SHIPPED)
    assert (REPO / "sounds" / "LICENSE").read_text().count("MIT") >= 1


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_wav_format_and_level(name: str) -> None:
    path = REPO / "sounds" / f"{name}.wav"
    info = probe_wav(path)
    assert (info.channels, info.sample_width, info.rate) == (1, 2, 48000)
    assert info.duration_s <= 0.300
    data, _ = read_wav(path)
    peak = np.max(np.abs(data))
    assert 0.2 < peak <= 0.45  # well under full scale
    assert np.max(np.abs(data[:24])) < 0.02 and np.max(np.abs(data[-24:])) < 0.02  # fades


def test_make_sounds_is_deterministic_and_matches_the_committed_files(tmp_path: Path) -> None:
    mod = load_make_sounds()
    a = mod.generate(tmp_path / "a")
    b = mod.generate(tmp_path / "b")
    assert [p.name for p in a] == [f"{n}.wav" for n in mod.SOUNDS]
    assert sorted(mod.SOUNDS) == sorted(SHIPPED)
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes()
        fresh, _ = read_wav(pa)
        committed, _ = read_wav(REPO / "sounds" / pa.name)
        np.testing.assert_allclose(fresh, committed, atol=1.5 / 32768)  # 1 LSB across platforms


@pytest.mark.parametrize(
    ("bits", "rate", "channels"), [(8, 22050, 1), (16, 44100, 2), (24, 96000, 2), (32, 8000, 1)]
)
def test_user_wav_any_depth_and_rate_is_loaded_and_resampled(
    bits: int, rate: int, channels: int
) -> None:
    write_wav(user_dir() / "mine.wav", square(0.25, rate, channels, 0.3), rate, bits=bits)
    found, warnings = sounds.scan_user_sounds()
    assert warnings == [] and list(found) == ["mine"]
    assert sounds.list_tones()[-1] == "mine"
    assert validated(ToneParams(tone="mine")).tone == "mine"
    tpl = sounds.load_tone("mine", rate=RATE)
    assert tpl.dtype == np.float32 and tpl.ndim == 1
    assert abs(len(tpl) - 0.25 * RATE) <= RATE / rate + 1
    assert np.max(np.abs(tpl)) == pytest.approx(1.0)
    n_fade = round(8.0 * RATE / 1000)  # default fade: the square's flat top shows the ramp
    k = np.arange(n_fade)
    ramp = 0.5 * (1 - np.cos(np.pi * (k + 0.5) / n_fade))
    np.testing.assert_allclose(np.abs(tpl[: n_fade // 2]), ramp[: n_fade // 2], atol=2e-2)


def test_loud_user_wav_never_exceeds_the_ceiling() -> None:
    write_wav(user_dir() / "loud.wav", square(1.5, 44100, 2, 1.0), 44100, bits=16)
    p = ToneParams(tone="loud", volume_pct=100)
    edges = [(0.1 * k, "left" if k % 2 else "right") for k in range(40)]  # overlapping bursts
    buf = synthesize(edges, start=0.0, n_frames=6 * RATE, rate=RATE, params=p)
    assert np.max(np.abs(buf)) <= limits.PEAK_CEILING
    assert np.max(np.abs(buf)) == pytest.approx(limits.PEAK_CEILING, rel=1e-3)


def bad_files(d: Path) -> dict[str, str]:
    """Write one bad file per case; return file name -> expected words in its warning."""
    (d / "noise.wav").write_bytes(np.random.default_rng(1).bytes(5000))
    (d / "text.wav").write_text("this is not audio\n")
    (d / "empty.wav").write_bytes(b"")
    write_wav(d / "long.wav", square(2.5, 8000), 8000)
    write_wav(d / "short.wav", square(0.01, 48000), 48000)
    write_wav(d / "sine.wav", square(0.1, 48000), 48000)  # a built-in name
    write_wav(d / "marimba.wav", square(0.1, 48000), 48000)  # a shipped name
    write_wav(d / "cut.wav", square(0.2, 48000), 48000)
    full = (d / "cut.wav").read_bytes()
    (d / "cut.wav").write_bytes(full[: len(full) // 2])
    with wave.open(str(d / "three.wav"), "wb") as w:
        w.setnchannels(3)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 3 * 800)
    return {
        "noise.wav": "not a readable",
        "text.wav": "not a readable",
        "empty.wav": "not a readable",
        "long.wav": "limit is 2 s",
        "short.wav": "minimum is 30 ms",
        "sine.wav": "already in use",
        "marimba.wav": "already in use",
        "cut.wav": "truncated",
        "three.wav": "3 channels",
    }


def test_bad_user_files_are_skipped_with_one_line_warnings() -> None:
    d = user_dir()
    expected = bad_files(d)
    write_wav(d / "good.wav", square(0.1, 48000), 48000)
    (d / "notes.txt").write_text("ignored")
    (d / ".hidden.wav").write_text("ignored")
    found, warnings = sounds.scan_user_sounds()
    assert list(found) == ["good"]
    assert len(warnings) == len(expected)
    for name, words in expected.items():
        hits = [w for w in warnings if name in w]
        assert len(hits) == 1 and words in hits[0] and hits[0].startswith("skipped user sound")
    assert all("\n" not in w for w in warnings)
    assert sounds.list_tones() == [*BUILTIN_TONES, *SHIPPED, "good"]
    with pytest.raises(ToneParamsError, match="unknown tone 'noise'"):
        validated(ToneParams(tone="noise"))
    # the built-in and shipped sounds keep their meaning
    assert sounds.resolve_tone("sine") is None
    assert sounds.resolve_tone("marimba") == REPO / "sounds" / "marimba.wav"


def test_missing_user_folder_is_fine_and_not_created() -> None:
    assert sounds.scan_user_sounds() == ({}, [])
    assert not paths.user_sounds_dir().exists()


def test_changed_user_file_is_reloaded() -> None:
    path = user_dir() / "mine.wav"
    write_wav(path, square(0.1, 48000), 48000)
    first = sounds.load_tone("mine", rate=RATE)
    write_wav(path, square(0.2, 48000), 48000)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert len(sounds.load_tone("mine", rate=RATE)) == 2 * len(first)


@pytest.mark.parametrize("bits", [8, 16, 24, 32])
@pytest.mark.parametrize("channels", [1, 2])
def test_wav_round_trip(tmp_path: Path, bits: int, channels: int) -> None:
    rng = np.random.default_rng(bits)
    x = rng.uniform(-0.9, 0.9, size=(1000, channels))
    path = tmp_path / "x.wav"
    write_wav(path, x if channels == 2 else x[:, 0], 22050, bits=bits)
    y, rate = read_wav(path)
    assert rate == 22050 and y.shape == (1000, channels)
    np.testing.assert_allclose(y, x, atol=1.5 / 2 ** (bits - 1))


def test_wav_write_and_read_errors(tmp_path: Path) -> None:
    with pytest.raises(WavError, match="mono or stereo"):
        write_wav(tmp_path / "a.wav", np.zeros((10, 3)), 48000)
    with pytest.raises(WavError, match="12-bit"):
        write_wav(tmp_path / "a.wav", np.zeros(10), 48000, bits=12)
    write_wav(tmp_path / "long.wav", np.zeros(48000 * 3), 48000)
    with pytest.raises(WavError, match="limit is 2 s"):
        read_wav(tmp_path / "long.wav", max_seconds=2.0)
    with pytest.raises(WavError, match=r"missing\.wav"):
        read_wav(tmp_path / "missing.wav")


def test_render_buffer_writes_16_bit_stereo(tmp_path: Path) -> None:
    p = ToneParams(volume_pct=100)
    buf = synthesize([(0.1, "left"), (0.6, "right")], start=0.0, n_frames=RATE, rate=RATE, params=p)
    write_wav(tmp_path / "out.wav", buf, RATE)
    info = probe_wav(tmp_path / "out.wav")
    assert (info.channels, info.sample_width, info.rate, info.n_frames) == (2, 2, RATE, RATE)
    y, _ = read_wav(tmp_path / "out.wav")
    np.testing.assert_allclose(y, buf, atol=1 / 32767)
