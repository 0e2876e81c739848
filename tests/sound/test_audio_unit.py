"""The sound layer without a device: schedule, renderer, players and controller with fakes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bls_tui.sound.backends.select import (
    AudioChoiceError,
    check_choice,
    check_latency,
    configured_latency_ms,
    open_backend,
)
from bls_tui.sound.base import AudioUnavailable
from bls_tui.sound.controller import SoundController
from bls_tui.sound.players import BufferPlayer
from bls_tui.sound.render import Renderer
from bls_tui.sound.schedule import FADE_S, Schedule
from bls_tui.sound.sounds import synthesize
from bls_tui.sound.tones import ToneParams, to_int16
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import Engine, Event, MotionPlan

RATE = 48000


def engine_with_events(
    speed: float = 1.0, cycles: int = 4
) -> tuple[Engine, FakeClock, list[Event]]:
    clock = FakeClock(100.0)
    engine = Engine(MotionPlan(speed_hz=speed, cycles=cycles), clock)
    events: list[Event] = []
    engine.listeners.append(events.append)
    return engine, clock, events


def test_schedule_follows_engine_edges_through_speed_change_and_pause() -> None:
    engine, _clock, events = engine_with_events(1.0, 6)
    engine.start_set(100.0)
    sched = Schedule.start(engine, 100.0)
    engine.set_speed(1.7, 100.8)
    sched = sched.changed(engine, 100.8)
    engine.pause(101.3)
    sched = sched.silenced(101.3)
    engine.resume(103.0)
    sched = sched.resumed(engine, 103.0)
    engine.poll(200.0)
    want = [(e.t, e.data["side"]) for e in events if e.kind == "edge"]
    got = [(t, side) for t, side, _ in sched.edges(99.0, 300.0)]
    assert len(want) == 12
    assert [(round(t, 9), s) for t, s in got] == [(round(t, 9), s) for t, s in want]
    assert sched.end_t() == pytest.approx(want[-1][0])


def test_renderer_equals_one_shot_synthesis_in_chunks() -> None:
    engine, _, _ = engine_with_events(2.0, 2)
    engine.start_set(100.0)
    sched = Schedule.start(engine, 100.0)
    params = ToneParams(volume_pct=80)
    r = Renderer(RATE, params)
    r.set_schedule(sched)
    n = RATE * 2
    chunks = [r.render(100.0 + i / RATE, 480)[0] for i in range(0, n, 480)]
    whole = np.concatenate(chunks)
    edges = [(t, s) for t, s, _ in sched.edges(99.0, 103.0)]
    ref = synthesize(edges, start=100.0, n_frames=n, rate=RATE, params=params, set_start=100.0)
    assert np.abs(to_int16(whole).astype(int) - to_int16(ref).astype(int)).max() <= 1
    assert len(edges) == 4


def test_silence_fades_out_and_stays_off() -> None:
    engine, _, _ = engine_with_events(1.0, 4)
    engine.start_set(100.0)
    params = ToneParams(tone="sine", burst_ms=300, volume_pct=100, follow=False)
    sched = Schedule.start(engine, 100.0).silenced(100.6)  # inside the first burst (0.5-0.8)
    r = Renderer(RATE, params)
    r.set_schedule(sched)
    buf, onsets = r.render(100.4, RATE)
    f_cut = round(0.2 * RATE)
    n_fade = round(FADE_S * RATE)
    assert np.abs(buf[f_cut - 480 : f_cut]).max() > 0.05
    assert np.all(buf[f_cut + n_fade + 1 :] == 0)
    env = np.abs(buf[f_cut : f_cut + n_fade, 1])
    assert env[-20:].max() < 0.1 * np.abs(buf[f_cut - 480 : f_cut, 1]).max()
    assert [o.k for o in onsets] == [1]


class FakeStream:
    """A stream backend whose device is driven by the test."""

    name = "fake"
    kind = "stream"
    default_latency_ms = 0.0
    write_ahead_ms = 30.0

    def __init__(self, fail_start: bool = False) -> None:
        self.pull: Callable[[int], bytes] | None = None
        self.fail_start = fail_start
        self.stopped = 0

    @property
    def device_name(self) -> str:
        return "fake device"

    def open(self, rate: int) -> None:
        pass

    def start_stream(self, pull: Callable[[int], bytes]) -> None:
        if self.fail_start:
            raise AudioUnavailable("device unplugged")
        self.pull = pull

    def stop_stream(self) -> None:
        self.stopped += 1
        self.pull = None

    def play_buffer(self, data: Any) -> Any:
        raise AudioUnavailable("no")

    def close(self) -> None:
        pass


def test_controller_streams_tones_and_records_them() -> None:
    engine, clock, _ = engine_with_events(2.0, 1)
    backend = FakeStream()
    ctl = SoundController(engine, clock, ToneParams(volume_pct=40), backend=backend)  # type: ignore[arg-type]
    engine.listeners.append(ctl.on_event)
    assert ctl.label() == "sound on · sine 500 Hz · vol 40% · fake"
    engine.start_set(100.0)
    assert ctl.wait_idle()
    assert backend.pull is not None
    out = []
    for _ in range(100):  # 1 s of 10 ms periods, clock kept ahead so nothing waits
        clock.advance(0.01)
        out.append(np.frombuffer(backend.pull(480), dtype="<i2").reshape(-1, 2))
    recs = ctl.take_records()
    assert recs[0]["event"] == "stream_start" and recs[0]["rate"] == RATE
    tones = [r for r in recs if r["event"] == "tone"]
    assert [(r["side"], r["k"]) for r in tones] == [("right", 1), ("left", 2)]
    cap = np.concatenate(out)
    f = tones[0]["frame"]
    assert np.abs(cap[f : f + 2000, 1]).max() > 0 and np.all(cap[f : f + 2000, 0] == 0)
    ctl.close()


def test_keys_change_label_and_sound() -> None:
    engine, clock, _ = engine_with_events()
    ctl = SoundController(engine, clock, ToneParams(volume_pct=40), backend=FakeStream())  # type: ignore[arg-type]
    assert ctl.toggle_mute() is True
    assert ctl.label().startswith("sound muted ·")
    assert ctl.toggle_mute() is False
    assert ctl.change_volume(+1) == 45
    assert ctl.change_volume(-20) == 0
    assert ctl.change_volume(+30) == 100
    assert ctl.next_tone() == "soft-square"
    assert "soft-square 500 Hz · vol 100%" in ctl.label()
    ctl.close()


def test_labels_without_sound() -> None:
    engine, clock, _ = engine_with_events()
    assert SoundController(engine, clock, ToneParams()).label() == "sound off (visual only)"
    off = SoundController(engine, clock, ToneParams(), off_reason="miniaudio: no card")
    assert off.label() == "sound off: no audio device (miniaudio: no card · bls doctor)"


def test_device_lost_mid_set_keeps_the_engine_going() -> None:
    engine, clock, events = engine_with_events(2.0, 2)
    ctl = SoundController(engine, clock, ToneParams(), backend=FakeStream(fail_start=True))  # type: ignore[arg-type]
    engine.listeners.append(ctl.on_event)
    engine.start_set(100.0)
    assert ctl.wait_idle()
    assert ctl.label() == "sound off: audio device lost (device unplugged)"
    assert ctl.lost_at == 100.0
    engine.poll(110.0)
    assert any(e.kind == "set_end" for e in events)
    ctl.close()


class FakeHandle:
    def __init__(self) -> None:
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True

    def is_playing(self) -> bool:
        return not self.stopped


class FakeBuffer(FakeStream):
    kind = "buffer"
    write_ahead_ms = 120.0

    def __init__(self) -> None:
        super().__init__()
        self.played: list[tuple[Any, FakeHandle]] = []

    def play_buffer(self, data: Any) -> Any:
        handle = FakeHandle()
        self.played.append((data, handle))
        return handle


def test_buffer_player_crossfades_on_change_and_fades_in_place_on_stop() -> None:
    engine, clock, _ = engine_with_events(1.0, 4)
    engine.start_set(100.0)
    r = Renderer(RATE, ToneParams(burst_ms=300, volume_pct=100))
    r.set_schedule(Schedule.start(engine, 100.0))
    backend = FakeBuffer()
    records: list[dict[str, Any]] = []
    player = BufferPlayer(backend, r, clock, 0.0, records.append)  # type: ignore[arg-type]
    player.begin()
    first, h1 = backend.played[0]
    seg = player.seg
    assert seg is not None
    t_change = 100.6  # inside the first burst (100.5-100.8)
    f = round((t_change - seg.t0) * RATE)
    before = first[f - 480 : f].copy()
    player.handover(t_change)
    second, _ = backend.played[1]
    n_fade = round(FADE_S * RATE)
    assert np.array_equal(first[f - 480 : f], before)  # untouched before the change
    assert np.all(first[f + n_fade + 1 :] == 0)  # old buffer faded out in place
    seg2 = player.seg
    assert seg2 is not None
    g = round((t_change - seg2.t0) * RATE)
    assert np.all(second[:g] == 0) and np.abs(second[g + n_fade : g + n_fade + 480]).max() > 0
    # same timeline on both sides: fade-out + fade-in add back up to the plain rendering
    # (the two buffers' frame grids differ by a fraction of a frame: within 1 % of the peak)
    mixed = first[f : f + n_fade].astype(int) + second[g : g + n_fade].astype(int)
    plain = to_int16(r.render(seg.t0 + f / RATE, n_fade)[0]).astype(int)
    peak = np.abs(plain).max()
    assert peak > 1000 and np.abs(mixed - plain).max() <= 0.01 * peak
    player.cut(100.7)
    g2 = round((100.7 - seg2.t0) * RATE)
    assert np.all(second[g2 + n_fade + 1 :] == 0)
    clock.set(101.0)
    player.tick(101.0, in_set=False)
    assert h1.stopped and player.seg is None
    player.close()


def test_backend_choice_and_latency_config(tmp_path: Path) -> None:
    with pytest.raises(AudioChoiceError, match="unknown backend"):
        check_choice("pulse")
    assert check_latency(25) == 25.0
    with pytest.raises(AudioChoiceError):
        check_latency(5000)
    cfg = tmp_path / "audio.toml"
    assert configured_latency_ms("miniaudio", cfg) is None
    cfg.write_text("latency_ms = 12\n[simpleaudio]\nlatency_ms = 40\n", encoding="utf-8")
    assert configured_latency_ms("miniaudio", cfg) == 12.0
    assert configured_latency_ms("simpleaudio", cfg) == 40.0
    cfg.write_text("latency_ms = 'x'\n", encoding="utf-8")
    with pytest.raises(AudioChoiceError):
        configured_latency_ms("miniaudio", cfg)
    opened = open_backend("none")
    assert opened.backend is not None and opened.backend.kind == "none"


def test_the_status_line_gives_each_backend_s_gist_not_its_install_hint() -> None:
    """With no sound card and no simpleaudio (the README's default install), the status line
    read "...; pip install 'bl… · bls doctor": the hint inside simpleaudio's reason was taken
    for a backend of its own and cut."""
    from bls_tui.sound.controller import short_reason

    # as sound/backends/simpleaudio.py words it when the extra is not installed
    reason = (
        "miniaudio: failed to open the playback device: cannot find card '0'; "
        "simpleaudio: simpleaudio is not installed (No module named 'simpleaudio'); "
        "pip install 'bls-tui[simpleaudio]' (needs the ALSA headers: apt-get install "
        "libasound2-dev)"
    )
    assert short_reason(reason) == (
        "miniaudio: no sound card; simpleaudio: not installed · bls doctor"
    )
    both = "miniaudio: cannot find card '0'; simpleaudio: cannot find card '0'"
    assert short_reason(both) == "miniaudio, simpleaudio: no sound card · bls doctor"
