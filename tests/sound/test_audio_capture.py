"""Sound through the real stack: real backends, real ALSA, default device routed to a file.

Each test runs the player (or the whole app) in a subprocess with its own ALSA config (see
tests/alsa_capture.py).  Where a backend cannot load, the test skips with how to enable it;
with BLS_REQUIRE_AUDIO_TESTS=1 (as in .ci/run) it fails instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the helpers in tests/
import alsa_capture as ac
from bls_tui.safety import limits
from bls_tui.sound.sounds import synthesize
from bls_tui.sound.tones import ToneParams, to_int16
from envskip import INSTALL_HINTS, env_skip

pytestmark = pytest.mark.audio
RATE = 48000
BACKENDS = ("miniaudio", "simpleaudio")


def need(backend: str, folder: Path) -> None:
    """Skip (or fail under BLS_REQUIRE_AUDIO_TESTS=1) when ``backend`` cannot play here."""
    reason = ac.probe(folder / "probe", backend)
    if reason is None:
        return
    env_skip(f"{backend} cannot open the file-routed ALSA device: {reason}; to run it: "
             f"{INSTALL_HINTS[backend]}")  # fmt: skip


def last_stream(records: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    starts = [r for r in records if r["event"] == "stream_start"]
    assert starts, "no stream_start record"
    ss = starts[-1]
    tones = [r for r in records if r["event"] == "tone" and r["stream"] == ss["stream"]]
    return ss, tones


def expected(ss: dict[str, Any], tones: list[dict[str, Any]], n: int, params: ToneParams,
             set_start: float) -> np.ndarray:  # fmt: skip
    edges = [(r["t"], r["side"]) for r in tones]
    buf = synthesize(edges, start=ss["t"], n_frames=n, rate=RATE, params=params,
                     set_start=set_start)  # fmt: skip
    return to_int16(buf).astype(np.int32)


def split_late(
    ss: dict[str, Any], edges: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Edges before a (late) stream's first frame, as tails to expect, and the edges heard.

    A stream opened late (a loaded machine) starts where the clock is: a burst whose onset came
    before its first frame plays only its tail (no tone record: no onset was played), never late.
    """
    late = [e for e in edges if e["t"] < ss["t"]]
    assert len(late) <= 2, f"stream opened {ss['t'] - edges[0]['t']:.3f} s after the first edge"
    return [{"t": e["t"], "side": e["side"]} for e in late], edges[len(late) :]


def check_bursts(cap: np.ndarray, tones: list[dict[str, Any]], burst_ms: float) -> None:
    """Each burst: own channel only, onset at its frame, faded in and out, under the cap."""
    n_burst = round(burst_ms * RATE / 1000)
    peak_cap = limits.PEAK_CEILING * 32767 + 1
    assert np.abs(cap).max() <= peak_cap
    for r in tones:
        ch = 0 if r["side"] == "left" else 1
        f = r["frame"]
        seg = cap[f - 20 : f + n_burst + 20]
        assert np.all(seg[:, 1 - ch] == 0), f"{r['side']} burst leaked into the other channel"
        nz = np.flatnonzero(seg[:, ch])
        assert len(nz) > 0, f"burst at frame {f} missing"
        # the raised-cosine fade-in starts below 1 LSB: first audible sample within 0.25 ms
        assert 20 <= nz[0] <= 20 + 12, f"onset at {f - 20 + nz[0]}, scheduled {f}"
        body = np.abs(seg[20 : 20 + n_burst, ch])
        peak = body.max()
        assert abs(int(seg[20, ch])) < 0.1 * peak and abs(int(seg[19 + n_burst, ch])) < 0.1 * peak


@pytest.mark.parametrize("backend", BACKENDS)
def test_set_through_backend_equals_synthesis(backend: str, tmp_path: Path) -> None:
    need(backend, tmp_path)
    res = ac.run_script(tmp_path / "play", "set", "--backend", backend, "--cycles", "3")
    assert res["reason"] is None and res["lost"] is None
    assert "ALSA lib" not in res["stderr"]
    ss, tones = last_stream(res["records"])
    edges = [e for e in res["events"] if e["event"] == "edge"]
    # every edge from the (possibly late) stream's start on has its tone, on time
    late_tails, heard = split_late(ss, edges)
    assert [(r["t"], r["side"]) for r in tones] == [(e["t"], e["side"]) for e in heard]
    for r in tones:
        assert r["frame"] == round((r["t"] - ss["t"]) * RATE)
    cap = ac.read_capture(tmp_path / "play" / "out.raw").astype(np.int32)
    set_start = next(e["t"] for e in res["events"] if e["event"] == "set_start")
    exp = expected(ss, late_tails + tones, len(cap), ToneParams(**res["params"]), set_start)
    assert len(cap) > tones[-1]["frame"] + 4000
    assert np.abs(cap - exp).max() <= 1  # float32 chunking: at most 1 LSB of rounding
    check_bursts(cap, tones, res["params"]["burst_ms"])


def test_stop_signal_fades_to_silence_within_50ms(tmp_path: Path) -> None:
    need("miniaudio", tmp_path)
    res = ac.run_script(
        tmp_path / "stop", "set", "--backend", "miniaudio", "--speed", "1", "--cycles", "4",
        "--burst-ms", "300", "--stop-at", "0.62",
    )  # fmt: skip
    ss, tones = last_stream(res["records"])
    stop = next(e for e in res["events"] if e["event"] == "stop")
    cap = ac.read_capture(tmp_path / "stop" / "out.raw").astype(np.int32)
    loud = np.flatnonzero(np.abs(cap).max(axis=1) > 0)
    last_heard = ss["t"] + loud[-1] / RATE
    assert last_heard - stop["t"] <= 0.050, f"sound {1000 * (last_heard - stop['t']):.1f} ms late"
    f_stop = round((stop["t"] - ss["t"]) * RATE)
    before = np.abs(cap[f_stop - 960 : f_stop]).max()
    assert before > 1000, "the stop was meant to land inside a burst"
    tail = np.abs(cap[loud[-1] - 48 : loud[-1] + 1]).max()  # last 1 ms before silence
    assert tail < 0.1 * before, "no fade: sound was cut off (a click)"
    assert all(r["t"] < stop["t"] for r in tones)


def test_speed_change_keeps_sound_on_the_engine_edges(tmp_path: Path) -> None:
    need("miniaudio", tmp_path)
    res = ac.run_script(
        tmp_path / "speed", "set", "--backend", "miniaudio", "--speed", "1", "--cycles", "3",
        "--speed-at", "0.7", "--speed-to", "2",
    )  # fmt: skip
    ss, tones = last_stream(res["records"])
    edges = [e for e in res["events"] if e["event"] == "edge"]
    assert any(e["event"] == "speed" for e in res["events"])
    late_tails, heard = split_late(ss, edges)
    assert [round(r["t"], 9) for r in tones] == [round(e["t"], 9) for e in heard]
    cap = ac.read_capture(tmp_path / "speed" / "out.raw").astype(np.int32)
    set_start = next(e["t"] for e in res["events"] if e["event"] == "set_start")
    exp = expected(ss, late_tails + tones, len(cap), ToneParams(**res["params"]), set_start)
    assert np.abs(cap - exp).max() <= 1


def test_app_headless_sound_matches_its_trace(tmp_path: Path) -> None:
    need("miniaudio", tmp_path)
    res = ac.run_script(tmp_path / "app", "app", "--backend", "miniaudio", "--cycles", "2")
    assert res["lost"] is None
    assert res["label"].startswith("sound on")
    trace = res["trace"]
    ss, tones = last_stream(trace)
    edges = [e for e in trace if e["event"] == "edge"]
    assert len(edges) == 4
    assert [(round(r["t"], 6), r["side"]) for r in tones] == [
        (round(e["t"], 6), e["side"]) for e in edges
    ]
    cap = ac.read_capture(tmp_path / "app" / "out.raw").astype(np.int32)
    set_start = next(e["t"] for e in trace if e["event"] == "set_start")
    params = ToneParams(volume_pct=100)
    exp = expected(ss, tones, len(cap), params, set_start)
    # trace times are rounded to 1 us, so onsets may move by a frame: compare per burst
    check_bursts(cap, tones, params.burst_ms)
    assert abs(np.abs(cap).sum() - np.abs(exp).sum()) <= 0.01 * np.abs(exp).sum()


def test_app_survives_no_device(tmp_path: Path) -> None:
    res = ac.run_script(tmp_path / "nodev", "app", "--backend", "auto", "--cycles", "1",
                        failing=True)  # fmt: skip
    assert res["label"].startswith("sound off: no audio device (")
    assert "sound off: no audio device" in res["screen"]
    assert "ALSA lib" not in res["stderr"]
    kinds = [e["event"] for e in res["trace"]]
    assert "set_end" in kinds and "edge" in kinds and "tone" not in kinds
