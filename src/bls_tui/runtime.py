"""The running stimulus: engine + trace (+ audio, + records), with no UI.

The Textual screens own a :class:`Runtime` and call :meth:`Runtime.frame` once per rendered
frame.  Everything timed reads the same clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bls_tui.core.clock import Clock, MonotonicClock
from bls_tui.core.engine import Engine, Event, MotionPlan
from bls_tui.core.presets import Preset
from bls_tui.core.trace import TraceWriter


@dataclass
class RunOptions:
    """Everything `bls run` was asked for (already validated)."""

    preset: Preset
    trace: Path | None = None
    client_view: bool = False
    audio: str = "auto"
    audio_latency_ms: float | None = None


def plan_from(preset: Preset) -> MotionPlan:
    """The engine's motion plan for a preset."""
    return MotionPlan(
        speed_hz=preset.speed_hz,
        cycles=preset.cycles,
        seconds=preset.seconds,
        pattern=preset.pattern,  # type: ignore[arg-type]
        profile=preset.profile,  # type: ignore[arg-type]
        dwell_ms=preset.dwell_ms,
        end_mode=preset.end_mode,  # type: ignore[arg-type]
    )


class Runtime:
    """Owns the engine and the trace; forwards engine events to listeners."""

    def __init__(self, options: RunOptions, clock: Clock | None = None) -> None:
        self.options = options
        self.preset = options.preset
        self.clock: Clock = clock or MonotonicClock()
        self.engine = Engine(plan_from(options.preset), self.clock)
        self.trace = TraceWriter(options.trace) if options.trace else None
        self.listeners: list[Callable[[Event], None]] = []
        self.engine.listeners.append(self._on_event)

    def _on_event(self, event: Event) -> None:
        if self.trace is not None:
            self.trace.write(event.kind, event.t, **event.data)
            if event.kind in ("set_end", "stop"):
                self.trace.flush()
        for listener in list(self.listeners):
            listener(event)

    def frame(self, now: float) -> tuple[float, float]:
        """Advance the engine to ``now`` and return the dot position for this frame."""
        self.engine.poll(now)
        return self.engine.position(now)

    def trace_frame(self, t: float, x: float, y: float) -> None:
        """Record one rendered frame in the trace."""
        if self.trace is not None:
            self.trace.write("frame", t, x=round(x, 6), y=round(y, 6), set=self.engine.set_number)

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
        return p

    def close(self) -> None:
        """Stop everything and flush the trace."""
        if self.engine.in_set:
            self.engine.stop_signal(reason="quit")
        if self.trace is not None:
            self.trace.close()
