"""The stimulation engine: one set at a time, everything a pure function of one clock.

The engine never counts ticks.  It keeps an *anchor* ``(t, phase, hz)`` and computes the phase
at any time as ``phase + hz * (t - t_anchor)``.  A speed change (or a resume after a pause)
moves the anchor to the current time and phase, so motion is phase-continuous and edge times
are exact to floating-point error however long the set runs.

Callers drive it with :meth:`Engine.poll` (typically once per rendered frame); events carry
their *scheduled* time, not the time they were noticed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from bls_tui.safety import limits
from bls_tui.stimulus.clock import Clock
from bls_tui.stimulus.motion import (
    Pattern,
    Profile,
    centre_phase_offset,
    dwell_fraction,
    edge_side,
    point,
)

EndMode = Literal["edge", "centre"]


class SetState(Enum):
    """Where the engine is."""

    IDLE = "idle"  # no set yet / between sets
    RUNNING = "running"
    PAUSED = "paused"
    GLIDING = "gliding"  # set length reached, gliding to the centre
    ENDED = "ended"


@dataclass(frozen=True)
class Event:
    """Something that happened (or was scheduled) at clock time ``t``."""

    kind: str
    t: float
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class MotionPlan:
    """What a set looks like.  Exactly one of ``cycles`` / ``seconds`` is set."""

    speed_hz: float = limits.DEFAULT_SPEED_HZ
    cycles: int | None = limits.DEFAULT_CYCLES
    seconds: float | None = None
    pattern: Pattern = "horizontal"
    profile: Profile = "sine"
    dwell_ms: float = 0.0
    end_mode: EndMode = "edge"


@dataclass
class SetSummary:
    """The outcome of one set, in engine terms (clock seconds)."""

    number: int
    started_t: float
    ended_t: float
    pattern: str
    profile: str
    start_speed_hz: float
    end_speed_hz: float
    cycles_planned: int | None
    seconds_planned: float | None
    sweeps_delivered: int
    active_s: float
    stopped_early: bool
    stop_reason: str | None

    @property
    def cycles_delivered(self) -> float:
        """Full cycles delivered (two sweeps each)."""
        return self.sweeps_delivered / 2.0

    @property
    def delivered_hz(self) -> float:
        """Delivered rate: cycles delivered over active (unpaused) time."""
        return self.cycles_delivered / self.active_s if self.active_s > 0 else 0.0


class Engine:
    """Runs sets of bilateral motion against a monotonic :class:`Clock`."""

    def __init__(self, plan: MotionPlan, clock: Clock) -> None:
        self.plan = plan
        self.clock = clock
        self.plan.speed_hz = limits.clamp_speed(plan.speed_hz)
        self.state = SetState.IDLE
        self.set_number = 0
        self.listeners: list[Callable[[Event], None]] = []
        self.last_summary: SetSummary | None = None
        self._anchor_t = 0.0
        self._anchor_phase = 0.0
        self._frozen_phase = 0.0  # phase while paused / ended
        self._set_start = 0.0
        self._paused_total = 0.0
        self._paused_at = 0.0
        self._edges_emitted = 0
        self._end_phase: float | None = None  # phase at which the set's last edge falls
        self._glide_to: float | None = None
        self._start_speed = self.plan.speed_hz
        self._dwell = 0.0

    # ----------------------------------------------------------------- queries
    @property
    def speed_hz(self) -> float:
        """Current speed in Hz (full cycles per second)."""
        return self.plan.speed_hz

    @property
    def active(self) -> bool:
        """True while the dot moves (running or gliding to the centre)."""
        return self.state in (SetState.RUNNING, SetState.GLIDING)

    @property
    def in_set(self) -> bool:
        """True from set start until it ends (including pauses)."""
        return self.state in (SetState.RUNNING, SetState.GLIDING, SetState.PAUSED)

    def phase_at(self, t: float) -> float:
        """Phase in cycles at clock time ``t`` (frozen while paused or ended)."""
        if not self.active:
            return self._frozen_phase
        phase = self._anchor_phase + self.plan.speed_hz * (t - self._anchor_t)
        limit = self._glide_to if self._glide_to is not None else self._end_phase
        return min(phase, limit) if limit is not None else phase

    def anchor(self) -> tuple[float, float, float]:
        """``(t, phase, hz)``: phase at time t is ``phase + hz * (t - t_anchor)`` while active.

        Valid until the next speed change / pause / resume (audio re-plans on those events).
        """
        return self._anchor_t, self._anchor_phase, self.plan.speed_hz

    @property
    def dwell(self) -> float:
        """Edge-dwell fraction of each sweep used by this set (linear profile)."""
        return self._dwell

    @property
    def end_phase(self) -> float | None:
        """Phase of the set's final edge, once known (``None`` in seconds mode before then)."""
        return self._end_phase

    def time_of_phase(self, phase: float) -> float:
        """Clock time at which ``phase`` is (or will be) reached at the current speed."""
        return self._anchor_t + (phase - self._anchor_phase) / self.plan.speed_hz

    def position(self, t: float) -> tuple[float, float]:
        """Normalised ``(x, y)`` of the dot at clock time ``t``."""
        return point(self.phase_at(t), self.plan.pattern, self.plan.profile, self._dwell)

    def sweeps_done(self, t: float) -> int:
        """Edge arrivals (sweeps) so far in this set."""
        return self._edges_emitted_upto(self.phase_at(t))  # poll never passes the set's end

    def sweeps_planned(self) -> int | None:
        """Sweeps in the set if the length is in cycles (None in seconds mode until known)."""
        if self._end_phase is not None:
            return round(self._end_phase * 2)
        return self.plan.cycles * 2 if self.plan.cycles is not None else None

    def elapsed(self, t: float) -> float:
        """Active (unpaused) time in the current or last set."""
        if self.set_number == 0 or self.state is SetState.IDLE:  # no set yet (or a resumed
            return 0.0  # session's numbering, whose sets ran in another process)
        if self.state is SetState.PAUSED:
            end = self._paused_at
        elif self.state is SetState.ENDED and self.last_summary is not None:
            return self.last_summary.active_s
        else:
            end = t
        return max(0.0, end - self._set_start - self._paused_total)

    def edges_between(self, t0: float, t1: float) -> list[tuple[float, str, int]]:
        """Edge arrivals ``(t, side, k)`` scheduled in ``[t0, t1)`` at the current speed.

        A later speed change moves future edges; audio re-plans from the change time.
        """
        if not self.active:
            return []
        first = max(1, math.ceil(2.0 * self._anchor_phase - 1e-9))
        out: list[tuple[float, str, int]] = []
        k = first
        last = self._end_phase * 2 if self._end_phase is not None else None
        while last is None or k <= round(last):
            tk = self.time_of_phase(k / 2.0)
            if tk >= t1:
                break
            if tk >= t0:
                out.append((tk, edge_side(k), k))
            k += 1
        return out

    # ----------------------------------------------------------------- commands
    def start_set(self, t: float | None = None) -> None:
        """Begin a new set at the left edge."""
        now = self.clock.now() if t is None else t
        if self.in_set:
            return
        self.set_number += 1
        self.state = SetState.RUNNING
        self._set_start = now
        self._paused_total = 0.0
        self._anchor_t, self._anchor_phase = now, 0.0
        self._edges_emitted = 0
        self._glide_to = None
        self._start_speed = self.plan.speed_hz
        self._dwell = (
            dwell_fraction(self.plan.dwell_ms, self.plan.speed_hz)
            if self.plan.profile == "linear"
            else 0.0
        )
        self._end_phase = float(self.plan.cycles) if self.plan.cycles is not None else None
        self._emit(
            "set_start",
            now,
            speed_hz=self.plan.speed_hz,
            cycles=self.plan.cycles,
            seconds=self.plan.seconds,
            pattern=self.plan.pattern,
            profile=self.plan.profile,
        )

    def pause(self, t: float | None = None) -> None:
        """Freeze motion; the set resumes from the same phase."""
        now = self.clock.now() if t is None else t
        if self.state is not SetState.RUNNING:
            return
        self.poll(now)
        if self.state is not SetState.RUNNING:
            return
        self._frozen_phase = self.phase_at(now)
        self._paused_at = now
        self.state = SetState.PAUSED
        self._emit("pause", now)

    def resume(self, t: float | None = None) -> None:
        """Continue a paused set from where it stopped."""
        now = self.clock.now() if t is None else t
        if self.state is not SetState.PAUSED:
            return
        self._paused_total += now - self._paused_at
        self._anchor_t, self._anchor_phase = now, self._frozen_phase
        self.state = SetState.RUNNING
        self._emit("resume", now)

    def toggle(self, t: float | None = None) -> None:
        """Space bar: start a set, or pause / resume the running one."""
        now = self.clock.now() if t is None else t
        if self.state is SetState.RUNNING:
            self.pause(now)
        elif self.state is SetState.PAUSED:
            self.resume(now)
        elif not self.in_set:
            self.start_set(now)

    def stop_signal(self, t: float | None = None, reason: str = "stop signal") -> None:
        """The client's stop signal: motion stops now and the set ends, recorded as stopped."""
        now = self.clock.now() if t is None else t
        if not self.in_set:
            self._emit("stop", now, in_set=False, reason=reason)
            return
        if self.active:
            self.poll(now)
        if not self.in_set:  # the set ended on its own in this very poll
            self._emit("stop", now, in_set=False, reason=reason)
            return
        if self.state is SetState.PAUSED:
            self._paused_total += now - self._paused_at
        else:
            self._frozen_phase = self.phase_at(now)
        self._emit("stop", now, in_set=True, reason=reason)
        self._finish(now, stopped=True, reason=reason)

    def set_speed(self, hz: float, t: float | None = None) -> float:
        """Change speed, phase-continuously.  Returns the (capped) new speed."""
        now = self.clock.now() if t is None else t
        new = limits.clamp_speed(hz)
        if new == self.plan.speed_hz:
            return new
        if self.active:
            self.poll(now)
            self._anchor_phase = self.phase_at(now)
            self._anchor_t = now
        self.plan.speed_hz = new
        self._emit("speed", now, speed_hz=new)
        return new

    def set_cycles(self, cycles: int, t: float | None = None) -> int:
        """Change the set length in cycles (also during a set; never below what is done)."""
        now = self.clock.now() if t is None else t
        cycles = max(limits.MIN_CYCLES, min(limits.MAX_CYCLES, cycles))
        self.plan.cycles, self.plan.seconds = cycles, None
        if self.in_set and self._glide_to is None:
            done = self.phase_at(now)
            self._end_phase = max(float(cycles), math.ceil(2.0 * done - 1e-9) / 2.0)
        return cycles

    def set_seconds(self, seconds: float, t: float | None = None) -> float:
        """Set length in seconds: at once in a timed set (never below what is done)."""
        now = self.clock.now() if t is None else t
        seconds = max(limits.MIN_SECONDS, min(limits.MAX_SECONDS, seconds))
        self.plan.seconds, self.plan.cycles = seconds, None
        if self.in_set and self._end_phase is None and self.elapsed(now) >= seconds:
            # already past the new length: end at the next edge, not at one in the past
            self._end_phase = max(0.5, math.ceil(2.0 * self.phase_at(now) - 1e-9) / 2.0)
        return seconds

    def poll(self, t: float | None = None) -> None:
        """Advance to time ``t``: emit due edge events and end the set when it is complete."""
        now = self.clock.now() if t is None else t
        if not self.active:
            return
        if self.plan.seconds is not None and self._end_phase is None:
            active_s = now - self._set_start - self._paused_total
            if active_s >= self.plan.seconds:
                t_s = now - (active_s - self.plan.seconds)
                reached = self._anchor_phase + self.plan.speed_hz * (t_s - self._anchor_t)
                self._end_phase = max(0.5, math.ceil(2.0 * reached - 1e-9) / 2.0)
        phase = self.phase_at(now)
        # phase_at stops at the set's end (or less than a sweep past it while gliding), so no
        # edge past the end is ever emitted
        while (self._edges_emitted + 1) / 2.0 <= phase + 1e-12:
            k = self._edges_emitted + 1
            self._edges_emitted = k
            self._emit("edge", self.time_of_phase(k / 2.0), side=edge_side(k), k=k)
        if self.state is SetState.RUNNING and self._end_phase is not None:
            if phase >= self._end_phase - 1e-12:
                t_end = self.time_of_phase(self._end_phase)
                if self.plan.end_mode == "centre" and self.plan.pattern != "circle":
                    offset = centre_phase_offset(self.plan.profile, self._dwell)
                    self._glide_to = self._end_phase + offset
                    self.state = SetState.GLIDING
                    self._emit("glide", t_end)
                else:
                    self._frozen_phase = self._end_phase
                    self._finish(t_end, stopped=False, reason=None)
                    return
        if self._glide_to is not None:  # gliding (poll returned above unless active)
            if self.phase_at(now) >= self._glide_to - 1e-12:
                self._frozen_phase = self._glide_to
                self._finish(self.time_of_phase(self._glide_to), stopped=False, reason=None)

    # ----------------------------------------------------------------- internals
    def _edges_emitted_upto(self, phase: float) -> int:
        return min(self._edges_emitted, math.floor(2.0 * phase + 1e-9))

    def _finish(self, t_end: float, *, stopped: bool, reason: str | None) -> None:
        active_s = max(0.0, t_end - self._set_start - self._paused_total)
        sweeps = self._edges_emitted  # never past the end: poll stops there, lengths never cut
        self.state = SetState.ENDED
        self.last_summary = SetSummary(
            number=self.set_number,
            started_t=self._set_start,
            ended_t=t_end,
            pattern=self.plan.pattern,
            profile=self.plan.profile,
            start_speed_hz=self._start_speed,
            end_speed_hz=self.plan.speed_hz,
            cycles_planned=self.plan.cycles,
            seconds_planned=self.plan.seconds,
            sweeps_delivered=sweeps,
            active_s=active_s,
            stopped_early=stopped,
            stop_reason=reason,
        )
        self._emit(
            "set_end",
            t_end,
            sweeps=sweeps,
            active_s=active_s,
            stopped=stopped,
            reason=reason,
            delivered_hz=self.last_summary.delivered_hz,
        )

    def _emit(self, kind: str, t: float, **data: Any) -> None:
        data.setdefault("set", self.set_number)
        event = Event(kind, t, data)
        for listener in list(self.listeners):
            listener(event)
