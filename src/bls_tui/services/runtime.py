"""The running stimulus: engine + trace + sound (+ records), with no UI.

The Textual screens own a :class:`Runtime` and call :meth:`Runtime.frame` once per rendered
frame.  Everything timed reads the same clock.  The sound device is not opened when the
runtime is built: the app draws its first frame, then :meth:`Runtime.open_sound` runs on a
thread of its own and :meth:`Runtime.attach_sound` hands the result over on the UI thread
(:meth:`Runtime.open_sound_now` does both at once, for code without a UI).  Device work
afterwards happens off the UI thread too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bls_tui.config.presets import Preset
from bls_tui.services.preset_params import plan_from, tone_params
from bls_tui.sound.base import AudioBackend
from bls_tui.sound.controller import SoundController
from bls_tui.stimulus.clock import Clock, MonotonicClock
from bls_tui.stimulus.engine import Engine, Event
from bls_tui.stimulus.trace import TraceWriter


@dataclass
class RunOptions:
    """Everything `bls run` was asked for (already validated)."""

    preset: Preset
    trace: Path | None = None
    client_view: bool = False
    audio: str = "none"
    """Sound backend: ``auto``, ``miniaudio``, ``simpleaudio`` or ``none`` (the CLI's default
    is ``auto``; built programmatically, a runtime stays silent unless asked)."""
    audio_latency_ms: float | None = None
    """Output-latency offset; ``None``: the config file's ``latency_ms``, else the backend's."""
    settings_note: str = ""
    """Where the settings came from when it is not a preset (said on the screen)."""


@dataclass
class OpenedSound:
    """What :meth:`Runtime.open_sound` found: an opened backend, or why there is none."""

    backend: AudioBackend | None
    reason: str | None
    latency_ms: float | None
    warning: str | None
    """A bad audio config file (sound still runs, with the backend's default latency)."""


class Runtime:
    """Owns the engine and the trace; forwards engine events to listeners."""

    def __init__(self, options: RunOptions, clock: Clock | None = None) -> None:
        self.options = options
        self.preset = options.preset
        self.clock: Clock = clock or MonotonicClock()
        self.engine = Engine(plan_from(options.preset), self.clock)
        self.trace = TraceWriter(options.trace) if options.trace else None
        self.listeners: list[Callable[[Event], None]] = []
        self.sound_warning: str | None = None
        """A tone setting that could not be used (sound falls back to the default tone)."""
        self.sound = self._make_sound()
        self.engine.listeners.append(self._on_event)

    def _make_sound(self) -> SoundController:
        from bls_tui.sound.tones import ToneParams, ToneParamsError

        p = self.preset
        try:
            params = tone_params(p)
        except ToneParamsError as exc:
            self.sound_warning = str(exc)
            params = ToneParams(volume_pct=limits_volume(p.volume_pct))
        return SoundController(
            self.engine, self.clock, params, muted=p.mute, opening=self.options.audio != "none"
        )

    def open_sound(self) -> OpenedSound:
        """Import and open the sound backend (any thread; slow: see the costs below).

        Measured with ``python -X importtime`` and a timer around ``open_backend`` on the 2-core
        development machine (quiet): numpy 60-90 ms, miniaudio (cffi + its C library) 25-40 ms,
        opening an ALSA device 10-150 ms (failing with no sound card: about 20 ms).  None of
        that delays the first frame, because the app calls this after it.
        """
        from bls_tui.sound.backends.select import (
            AudioChoiceError,
            configured_latency_ms,
            open_backend,
        )

        if not self.sound.opening:
            return OpenedSound(None, None, None, None)
        opened = open_backend(self.options.audio)
        latency = self.options.audio_latency_ms
        warning = None
        if latency is None and opened.backend is not None:
            try:
                latency = configured_latency_ms(
                    opened.backend.name, device=opened.backend.device_name
                )
            except AudioChoiceError as exc:
                warning = str(exc)
        return OpenedSound(opened.backend, opened.reason, latency, warning)

    def attach_sound(self, opened: OpenedSound) -> None:
        """UI thread: start using what :meth:`open_sound` opened."""
        if not self.sound.opening:
            return
        if opened.warning:
            self.sound_warning = opened.warning
        self.sound.attach(opened.backend, opened.reason, opened.latency_ms)

    def open_sound_now(self) -> None:
        """Open and attach the sound device at once (no UI; tests and tools)."""
        self.attach_sound(self.open_sound())

    def _on_event(self, event: Event) -> None:
        self.sound.on_event(event)
        if self.trace is not None:
            self.trace.write(event.kind, event.t, **event.data)
            if event.kind in ("set_end", "stop"):
                self.trace.flush()
        for listener in list(self.listeners):
            listener(event)

    def frame(self, now: float) -> tuple[float, float]:
        """Advance the engine to ``now`` and return the dot position for this frame."""
        self.engine.poll(now)
        self.sound.sync(now)
        self.write_sound_records()
        return self.engine.position(now)

    def write_sound_records(self) -> None:
        """Copy the sound layer's ``stream_start`` / ``tone`` records into the trace."""
        records = self.sound.take_records()
        if self.trace is None:
            return
        for rec in records:
            fields = {k: v for k, v in rec.items() if k not in ("event", "t")}
            self.trace.write(rec["event"], rec["t"], **fields)

    def trace_frame(self, t: float, x: float, y: float) -> None:
        """Record one rendered frame in the trace."""
        if self.trace is not None:
            self.trace.frame(t, x, y, self.engine.set_number)

    def current_preset(self) -> Preset:
        """The preset as adjusted by keys during the run (for `last used`)."""
        plan = self.engine.plan
        p = self.preset
        p.speed_hz, p.cycles, p.seconds, p.pattern = (
            plan.speed_hz,
            plan.cycles,
            plan.seconds,
            plan.pattern,
        )
        sp = self.sound.params
        p.tone, p.volume_pct, p.mute = sp.tone, sp.volume_pct, self.sound.muted
        return p

    def close(self) -> None:
        """Stop everything and flush the trace."""
        if self.engine.in_set:
            self.engine.stop_signal(reason="quit")
        self.sound.close()
        self.write_sound_records()
        if self.trace is not None:
            self.trace.close()


def limits_volume(pct: object) -> int:
    """A usable volume from a preset value (falls back to the default)."""
    from bls_tui.safety import limits

    if isinstance(pct, (int, float)) and not isinstance(pct, bool):
        return limits.clamp_volume(pct)
    return limits.DEFAULT_VOLUME_PCT
