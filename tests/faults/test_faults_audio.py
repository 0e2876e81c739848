"""Sound faults: no device, a backend that cannot load, a device that fails in mid-set.

In every case the dot goes on, the screen says what happened to the sound, and (in a session)
the set record says when the sound was lost.  The app is the real one (``make_app``, headless);
only the failing device is simulated, because no test machine can unplug a sound card.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import alsa_capture as ac
import bls_tui.sound.backends.select as select_mod
from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.sound.base import AudioUnavailable, BackendKind
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import SetState
from bls_tui.ui.app import BlsApp, make_app
from envskip import INSTALL_HINTS, env_skip

SIZE = (110, 35)


class _Handle:
    def __init__(self) -> None:
        self.playing = True

    def stop(self) -> None:
        self.playing = False

    def is_playing(self) -> bool:
        return self.playing


class UnpluggedBackend:
    """A buffer device that works for the first buffer and is unplugged at the second."""

    name = "simpleaudio"
    kind: BackendKind = "buffer"
    default_latency_ms = 0.0
    write_ahead_ms = 20.0

    def __init__(self) -> None:
        self.calls = 0
        self.failed = threading.Event()

    @property
    def device_name(self) -> str:
        return "test device"

    def open(self, rate: int) -> None:
        pass

    def start_stream(self, pull: Callable[[int], bytes]) -> None:
        raise AssertionError("buffer backend")

    def stop_stream(self) -> None:
        pass

    def play_buffer(self, data: Any) -> _Handle:
        self.calls += 1
        if self.calls > 1:
            self.failed.set()
            raise AudioUnavailable("device unplugged (test)")
        return _Handle()

    def close(self) -> None:
        pass


def session_app(clock: FakeClock, db: Path, audio: str) -> BlsApp:
    return make_app(
        RunOptions(preset=Preset(speed_hz=1.0, cycles=4), audio=audio),
        clock,
        mode="session",
        session=SessionStart("A-1", preset="standard"),
        store_opener=lambda: Store.open(db, backup=False),
    )


def screen_text(app: BlsApp) -> str:
    return ac._screen_text(app)


async def test_device_failing_mid_set_keeps_the_dot_and_records_the_loss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = UnpluggedBackend()
    monkeypatch.setattr(select_mod, "make_backend", lambda name: backend)
    clock = FakeClock()
    db = tmp_path / "s.db"
    app = session_app(clock, db, "simpleaudio")
    async with app.run_test(headless=True, size=SIZE) as pilot:
        assert await app.wait_for_sound()  # opened after the first frame, off the loop
        assert app.runtime.sound.sound_on
        await pilot.press("space")
        clock.advance(1.0)
        await pilot.pause(0.1)
        await pilot.press("up")  # a speed change hands over to a new buffer: the device fails
        assert backend.failed.wait(3.0)
        assert app.runtime.sound.wait_idle(3.0)
        lost_at = app.runtime.sound.lost_at
        assert lost_at is not None and abs(lost_at - clock.now()) < 1e-9
        for _ in range(40):  # the set goes on to its end, on time
            clock.advance(0.1)
            await pilot.pause(0.02)
            if app.runtime.engine.state is SetState.ENDED:
                break
        summary = app.runtime.engine.last_summary
        assert summary is not None and not summary.stopped_early
        assert summary.sweeps_delivered == 8
        await pilot.pause(1.1)
        assert "audio device lost" in screen_text(app)
        await pilot.press("space")  # and the next set runs, silently
        assert app.runtime.engine.state is SetState.RUNNING
    with Store.open(db, backup=False) as store:
        sets = store.load_session(1).sets
    assert sets[0].sound_lost_at is not None, "set record does not say when sound was lost"


async def test_backend_that_cannot_load_leaves_a_visual_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "miniaudio", None)  # import fails: not installed / broken
    monkeypatch.setitem(sys.modules, "simpleaudio", None)
    clock = FakeClock()
    db = tmp_path / "s.db"
    app = session_app(clock, db, "auto")
    async with app.run_test(headless=True, size=SIZE) as pilot:
        assert await app.wait_for_sound()  # opened after the first frame, off the loop
        assert not app.runtime.sound.sound_on
        label = app.runtime.sound.label()
        assert label.startswith("sound off: no audio device (") and "miniaudio" in label
        await pilot.press("space")
        clock.advance(4.01)
        await pilot.pause(0.1)
        assert app.runtime.engine.last_summary is not None
        assert app.runtime.engine.last_summary.sweeps_delivered == 8
        assert "no audio device" in screen_text(app)
    with Store.open(db, backup=False) as store:
        sets = store.load_session(1).sets
    assert [s.number for s in sets] == [1] and sets[0].sound_lost_at is None


@pytest.mark.slow
def test_no_audio_device_real_alsa(tmp_path: Path) -> None:
    """ALSA configured with a card that does not exist: the real backends fail to open.

    Only a missing ALSA configuration is a reason to skip; a crash of the app is a failure.
    """
    if not Path(ac.SYSTEM_ALSA_CONF).is_file():  # pragma: no cover - machine without ALSA
        env_skip(f"needs ALSA's configuration {ac.SYSTEM_ALSA_CONF}: {INSTALL_HINTS['miniaudio']}")
    res = ac.run_script(tmp_path / "nodev", "app", "--backend", "auto", "--cycles", "1",
                        failing=True)  # fmt: skip
    assert "no audio device" in res["screen"], res["screen"]
    assert "Traceback" not in res["stderr"]
    kinds = [e["event"] for e in res["trace"]]
    assert kinds.count("edge") >= 2 and "set_end" in kinds


def test_device_opened_after_the_app_ended_is_closed_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SIGHUP while the device opens: the hand-over to the ended app fails (its loop cancels
    the call); the opening thread closes the device and prints nothing on the terminal."""
    import concurrent.futures

    from bls_tui.services.runtime import OpenedSound

    app = make_app(RunOptions(preset=Preset(), audio="miniaudio"), FakeClock())
    closed: list[bool] = []

    class Backend:
        name, device_name = "fake", "fake device"

        def close(self) -> None:
            closed.append(True)

    def cancelled(*_: Any, **__: Any) -> None:
        raise concurrent.futures.CancelledError()

    monkeypatch.setattr(app.runtime, "open_sound", lambda: OpenedSound(Backend(), None, 0.0, None))  # type: ignore[arg-type]
    monkeypatch.setattr(app, "call_from_thread", cancelled)
    errors: list[Any] = []
    monkeypatch.setattr(threading, "excepthook", errors.append)
    app.runtime.close()
    worker = threading.Thread(target=app._open_sound)
    worker.start()
    worker.join(5)
    assert errors == []
    assert app.runtime.sound.opening is False
    assert closed == [True]  # the device is not left open
