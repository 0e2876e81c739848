"""The sound layer of a run: engine events in, sound and trace records out.

The UI thread only builds small immutable plans (:class:`Schedule`) and posts work.  Device
calls run off it: the open on a thread of its own after the first frame (see :meth:`attach`);
start, stop and buffer rendering on one worker thread; and miniaudio renders each 10 ms period
on its own device thread.  Nothing here waits on a device from the UI thread.

Time: every schedule is in the runtime's clock.  Changes (speed, pause, stop, settings) take
effect from ``max(event time, player.earliest(now))``: the first frame not yet handed to the
device.  A stop signal therefore fades to silence within the device's write-ahead plus
``FADE_S`` (miniaudio: 30 + 12 ms; simpleaudio: 120 + 12 ms, see its module).
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bls_tui.safety import limits
from bls_tui.sound.base import RATE, AudioBackend, AudioUnavailable
from bls_tui.sound.players import BufferPlayer, StreamPlayer
from bls_tui.sound.render import Renderer
from bls_tui.sound.schedule import FADE_S, Schedule
from bls_tui.sound.tones import BUILTIN_TONES, ToneParams
from bls_tui.stimulus.clock import Clock
from bls_tui.stimulus.engine import Engine, Event, SetState

TICK_S = 0.02


class SoundController:
    """Plays the engine's sets through one backend (or none), with mute / volume / tone keys.

    Args:
        engine: The run's engine (read on the UI thread only).
        clock: The runtime's clock.
        params: Starting tone settings.
        muted: Start muted.
        backend: An *opened* backend, or ``None`` for no sound.
        off_reason: Why there is no sound (shown in :meth:`label`); ``None`` = visual only
            by choice (``--audio none``).
        latency_ms: Output-latency offset (``None``: the backend's default).
        opening: The device is being opened elsewhere (after the first frame, off the event
            loop); :meth:`attach` hands it over.  Sets run meanwhile, silently.
    """

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        params: ToneParams,
        *,
        muted: bool = False,
        backend: AudioBackend | None = None,
        off_reason: str | None = None,
        latency_ms: float | None = None,
        opening: bool = False,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.renderer = Renderer(RATE, params, muted=muted)
        self.opening = opening
        """True until :meth:`attach` (the device is opened after the first frame)."""
        self._open_claimed = False
        self._records: list[dict[str, Any]] = []
        self._records_lock = threading.Lock()
        self._signature: tuple[Any, ...] | None = None
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self.player: StreamPlayer | BufferPlayer | None = None
        self._worker: threading.Thread | None = None
        self.lost_at: float | None = None
        """Clock time sound was lost in the middle of a set (for the set record)."""
        self.lost_reason: str | None = None
        self._closed = False
        self._use(backend, off_reason, latency_ms)

    def claim_open(self) -> bool:
        """True once, while the device is still to be opened: the caller opens it (so a second
        screen asking does not start a second opening)."""
        if not self.opening or self._open_claimed:
            return False
        self._open_claimed = True
        return True

    def attach(
        self, backend: AudioBackend | None, off_reason: str | None, latency_ms: float | None
    ) -> None:
        """UI thread: the device opened (or did not) after the first frame; use it from now.

        A set already running gets its sound from the next device frame on (its onsets before
        that stay silent, so nothing is played late).
        """
        if not self.opening:
            raise RuntimeError("sound already attached")
        self.opening = False
        if self._closed:  # the app ended while the device was opening
            if backend is not None:
                with contextlib.suppress(Exception):
                    backend.close()
            return
        self._use(backend, off_reason, latency_ms)
        sched = self.renderer.schedule
        if self.engine.in_set and sched is not None and sched.set_no == self.engine.set_number:
            if self.engine.state is not SetState.PAUSED:
                self._post(self._begin)

    def _use(
        self, backend: AudioBackend | None, off_reason: str | None, latency_ms: float | None
    ) -> None:
        self.backend = backend if backend is not None and backend.kind != "none" else None
        self.backend_name = backend.name if backend is not None else "none"
        self.device_name = backend.device_name if backend is not None else ""
        self.off_reason = off_reason
        lat = (
            latency_ms
            if latency_ms is not None
            else (backend.default_latency_ms if backend is not None else 0.0)
        )
        self.latency_ms = float(lat)
        if self.backend is not None:
            kind = StreamPlayer if self.backend.kind == "stream" else BufferPlayer
            self.player = kind(
                self.backend, self.renderer, self.clock, self.latency_ms / 1000.0, self._emit
            )
            self._worker = threading.Thread(target=self._work, name="bls-audio", daemon=True)
            self._worker.start()

    # ------------------------------------------------------------------ state
    @property
    def params(self) -> ToneParams:
        """Current tone settings."""
        return self.renderer.params

    @property
    def muted(self) -> bool:
        """True while muted."""
        return self.renderer.muted

    @property
    def sound_on(self) -> bool:
        """True while a device is in use (muted or not)."""
        return self.player is not None and self.lost_reason is None

    def label(self) -> str:
        """Sound state for the status line."""
        if self.lost_reason is not None:
            return f"sound off: audio device lost ({_clip(self.lost_reason)})"
        if self.opening:
            return "sound: opening the audio device…"
        if self.player is None:
            if self.off_reason is None:
                return "sound off (visual only)"
            return f"sound off: no audio device ({short_reason(self.off_reason)})"
        p = self.params
        state = "sound muted" if self.muted else "sound on"
        if p.follow:
            tone = f"follow {p.freq_hz:g} Hz"
        elif p.tone in BUILTIN_TONES:
            tone = f"{p.tone} {p.freq_hz:g} Hz"
        else:
            tone = p.tone
        return f"{state} · {tone} · vol {p.volume_pct}% · {self.backend_name}"

    # ------------------------------------------------------------------ keys
    def toggle_mute(self) -> bool:
        """``m``: mute or unmute (a 10 ms crossfade).  Returns the new muted state."""
        self._set_params(self.params, not self.muted)
        return self.muted

    def set_params(self, params: ToneParams, muted: bool) -> None:
        """New tone settings (a preset change between sets); crossfaded like the keys."""
        self._set_params(params, muted)

    def change_volume(self, steps: int) -> int:
        """``+`` / ``-``: volume by ``steps`` x 5 %, clamped to 0-100.  Returns the new %."""
        new = limits.clamp_volume(self.params.volume_pct + steps * limits.VOLUME_STEP_PCT)
        self._set_params(replace(self.params, volume_pct=new), self.muted)
        return new

    def next_tone(self) -> str:
        """``t``: the next tone type (built-ins, shipped and user WAVs).  Returns its name."""
        from bls_tui.sound.sounds import list_tones

        names = list_tones()
        cur = self.params.tone
        nxt = names[(names.index(cur) + 1) % len(names)] if cur in names else names[0]
        self._set_params(replace(self.params, tone=nxt), self.muted)
        return nxt

    def _set_params(self, params: ToneParams, muted: bool) -> None:
        now = self.clock.now()
        t = self.player.earliest(now) if self.player is not None else now
        self.renderer.set_params(params, muted, t)
        if isinstance(self.player, BufferPlayer):
            self._post(lambda: self._handover(t))

    # ------------------------------------------------------------------ engine
    def on_event(self, event: Event) -> None:
        """Runtime listener (UI thread): update the plan; post device work."""
        kind, t = event.kind, event.t
        sched = self.renderer.schedule
        if kind != "set_start" and not self.engine.in_set:
            return
        if kind == "set_start":
            self._install(Schedule.start(self.engine, t))
            self._post(self._begin)
        elif sched is None or sched.set_no != self.engine.set_number:
            return
        elif kind in ("speed", "resume"):
            te = self._effective(t)
            new = (
                sched.resumed(self.engine, te)
                if kind == "resume"
                else sched.changed(self.engine, te)
            )
            self._install(new)
            self._post(self._begin if kind == "resume" else (lambda: self._handover(te)))
        elif kind == "pause" or (kind == "stop" and event.data.get("in_set")):
            te = self._effective(t)
            self._install(sched.silenced(te))
            self._post(lambda: self._cut(te))

    def sync(self, now: float) -> None:
        """Once per frame (UI thread): notice length changes (no engine event for those)."""
        if not self.engine.active:
            return
        sig = (self.engine.plan.cycles, self.engine.plan.seconds, self.engine.end_phase)
        if self._signature is not None and sig != self._signature:
            sched = self.renderer.schedule
            if sched is not None and sched.set_no == self.engine.set_number:
                te = self._effective(now)
                self._install(sched.changed(self.engine, te))
                self._post(lambda: self._handover(te))
        self._signature = sig

    def _effective(self, t: float) -> float:
        if self.player is None:
            return t
        return max(t, self.player.earliest(self.clock.now()))

    def _install(self, sched: Schedule) -> None:
        self.renderer.set_schedule(sched)
        self._signature = (self.engine.plan.cycles, self.engine.plan.seconds, self.engine.end_phase)

    # ------------------------------------------------------------------ trace
    def _emit(self, record: dict[str, Any]) -> None:
        with self._records_lock:
            self._records.append(record)

    def take_records(self) -> list[dict[str, Any]]:
        """Trace records (``stream_start``, ``tone``) produced since the last call."""
        with self._records_lock:
            out, self._records = self._records, []
        return out

    # ------------------------------------------------------------------ worker
    def _post(self, job: Callable[[], None]) -> None:
        if self.player is not None and self.lost_reason is None:
            self._jobs.put(job)

    def _begin(self) -> None:
        if self.player is not None:
            self.player.begin()

    def _handover(self, t: float) -> None:
        if self.player is not None:
            self.player.handover(t)

    def _cut(self, t: float) -> None:
        if self.player is not None:
            self.player.cut(t)

    def _work(self) -> None:
        """Worker thread: run posted jobs and the player's periodic duties."""
        while True:
            try:
                job = self._jobs.get(timeout=TICK_S)
            except queue.Empty:
                job = self._tick
            if job is None:
                break
            try:
                job()
                if job != self._tick:
                    self._tick()
            except AudioUnavailable as exc:
                self._lose(str(exc))
            except Exception as exc:  # never let a device problem stop the dot
                self._lose(f"{type(exc).__name__}: {exc}")

    def _tick(self) -> None:
        if self.player is not None and self.lost_reason is None:
            self.player.tick(self.clock.now(), self.engine.in_set)

    def _lose(self, reason: str) -> None:
        if self.lost_reason is not None:
            return
        self.lost_reason = reason or "device error"
        if self.engine.in_set:
            self.lost_at = self.clock.now()
        player = self.player
        if player is not None:
            with contextlib.suppress(Exception):
                player.close()

    def wait_idle(self, timeout: float = 2.0) -> bool:
        """Block until posted work is done (tests and CLI tools; never the UI)."""
        done = threading.Event()
        if self._worker is None or not self._worker.is_alive():
            return True
        self._jobs.put(done.set)
        return done.wait(timeout)

    def close(self) -> None:
        """Let a stop fade finish, then stop the device and the worker (idempotent)."""
        import time

        self._closed = True

        if self.player is not None and self.player.running and self.lost_reason is None:
            sched = self.renderer.schedule
            cut = sched.open_silence if sched is not None else None
            if cut is not None:
                wait = cut + FADE_S + 0.01 - self.latency_ms / 1000.0 - self.clock.now()
                time.sleep(min(max(wait, 0.0), 0.25))
        worker, self._worker = self._worker, None
        if worker is not None:
            self._jobs.put(None)
            worker.join(timeout=2.0)
        if self.player is not None:
            with contextlib.suppress(Exception):
                self.player.close()
        if self.backend is not None:
            with contextlib.suppress(Exception):
                self.backend.close()


def short_reason(reason: str) -> str:
    """The gist of each backend's failure for the status line (`bls doctor` has the details).

    ``"miniaudio: ... cannot find card ...; simpleaudio: ..."`` becomes
    ``"miniaudio, simpleaudio: no sound card · bls doctor"``.
    """
    groups: dict[str, list[str]] = {}
    # a backend's own reason may hold "; " (simpleaudio's install hint): split only where the
    # next backend's name begins
    for part in re.split(r"; (?=[A-Za-z][\w-]*: )", reason):
        name, _, rest = part.partition(": ")
        if not rest:
            name, rest = "", part
        if "cannot find card" in rest or "No such file or directory" in rest:
            gist = "no sound card"
        elif "not installed" in rest or "No module named" in rest:
            gist = "not installed"
        else:
            gist = _clip(rest, 40)
        groups.setdefault(gist, []).append(name)
    text = "; ".join(
        f"{', '.join(n for n in names if n)}: {gist}" if any(names) else gist
        for gist, names in groups.items()
    )
    return f"{_clip(text, 70)} · bls doctor"


def _clip(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
