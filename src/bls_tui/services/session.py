"""A recorded EMDR session: the protocol model, the engine and the record store, glued.

No UI here.  :class:`SessionController` listens to the engine and hands every finished set,
stop, rating and note to a :class:`~bls_tui.services.record_writer.RecordWriter` the moment it
happens; the writer stores it on a thread of its own, so the frame loop never waits on the
disk.  If the database cannot be written (held by another program, disk full, read-only),
the session carries on: the record goes to an emergency JSON-lines file at once and
:attr:`SessionController.save_problem` says where.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bls_tui.config.presets import Preset, PresetError, apply, resolve, validate_fields
from bls_tui.protocol.model import SessionModel, iso_utc, utc_now
from bls_tui.records.base import MAX_TEXT
from bls_tui.records.store import Store
from bls_tui.records.types import SessionData, SetRecord
from bls_tui.safety.paths import presets_dir
from bls_tui.services.preset_params import plan_from, tone_params
from bls_tui.services.record_writer import RecordWriter, StoreJob
from bls_tui.services.record_writer import emergency_dir as emergency_dir
from bls_tui.services.runtime import Runtime
from bls_tui.stimulus.engine import Event

HEARTBEAT_S = 30.0
CLOSE_WAIT_S = 10.0
"""At exit, how long the last records may wait for a busy database (the dot has stopped)."""
SUMMARY_WAIT_S = 2.0


def note_problem(text: str) -> str | None:
    """Why a note cannot be saved as typed (shown inline), or None if it can."""
    body = text.strip()
    if not body:
        return "the note is empty"
    if len(body) > MAX_TEXT:
        return f"the note is {len(body):,} characters long; {MAX_TEXT:,} at most: shorten it"
    return None


@dataclass
class SessionStart:
    """What the start form (or `bls session` flags) asked for."""

    client_code: str
    kind: str = "standard"
    planned_min: int = 60
    target_label: str = ""
    preset: str | None = None
    """A preset chosen by the therapist overrides the per-phase suggestions."""
    resume_id: int | None = None
    target_id: int | None = None
    """A target of the client's plan (its label becomes the session's target label)."""
    linked_dose_session_id: int | None = None
    """An earlier medicine session whose window this one is in (integration sessions need it)."""


class SessionController:
    """Records a session as it happens."""

    def __init__(
        self,
        store: Store,
        session_id: int,
        model: SessionModel,
        runtime: Runtime,
        *,
        fixed_preset: bool = False,
        wall: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.model = model
        self.runtime = runtime
        self.fixed_preset = fixed_preset
        self.wall = wall
        self.writer = RecordWriter(store, session_id)
        self._set_started_wall: str | None = None
        self._set_phase: str = model.phase.id
        self.last_set_number: int | None = None
        self.last_set_stopped = False
        self.finished = False
        """True once the session was ended properly (closure recorded)."""
        self.interrupted = False
        """True once the session was marked interrupted (quit, signal, crash)."""
        self.draft_note = ""
        """The text in the note bar that is not saved yet (kept if the app closes)."""
        self.keep_settings_once = False
        """Set on resume: the restored settings win over the phase's suggestion once."""
        self.last_ratings: dict[str, int] = {}
        """The latest value of each rating kind (SUD, VOC...) for the session header."""
        self._last_heartbeat = runtime.clock.now()
        runtime.listeners.append(self.on_engine_event)

    # ------------------------------------------------------------------ writing safely
    @property
    def save_problem(self) -> str | None:
        """Set when a record could not be written to the database (and where it went)."""
        return self.writer.problem

    @property
    def emergency_file(self) -> Path | None:
        """The emergency copy, once a record had to go there."""
        return self.writer.emergency_file

    def write(self, what: str, fn: StoreJob, payload: dict[str, Any]) -> bool:
        """Queue a store write (returns at once); on failure the writer keeps an emergency copy.

        Returns False if the database is known not to take writes right now.
        """
        self.writer.submit(what, fn, payload)
        return not self.writer.failing

    def flush(self, timeout: float = SUMMARY_WAIT_S) -> bool:
        """Wait up to ``timeout`` s for queued records to reach the database."""
        return self.writer.flush(timeout)

    def close(self, timeout: float = CLOSE_WAIT_S) -> bool:
        """Write what is queued, then stop the writer (what could not wait is in the copy)."""
        return self.writer.close(timeout)

    def keep_unsaved(self, text: str, why: str) -> Path | None:
        """Keep text that was typed but not saved (the note bar at a crash or a hang-up).

        It goes to the emergency copy at once, and also to the database as a note when it is
        a valid one.  Returns the emergency file (None if even that could not be written).
        """
        record = {"record": "unsaved_note", "text": text, "why": why, "at": iso_utc(self.wall())}
        try:
            path: Path | None = self.writer.emergency.append([record])
        except OSError:
            path = None
        if note_problem(text) is None:
            phase = self.model.phase.id
            self.writer.submit(
                "note",
                lambda s: s.add_note(self.session_id, text, phase=phase),
                {"text": text, "kind": "clinician", "phase": phase, "at": record["at"]},
            )
        return path

    # ------------------------------------------------------------------ engine events
    def on_engine_event(self, event: Event) -> None:
        """Record what the engine did."""
        if event.kind == "set_start":
            self._set_started_wall = iso_utc(self.wall())
            self._set_phase = self.model.phase.id
        elif event.kind == "stop":
            detail = {"set": event.data.get("set"), "in_set": event.data.get("in_set")}
            detail["reason"] = event.data.get("reason")
            at = iso_utc(self.wall())  # the moment of the client's stop signal
            self.write(
                "event",
                lambda s: s.add_event(self.session_id, "stop", detail, at=at),
                {"kind": "stop", **detail, "at": at},
            )
        elif event.kind == "set_end":
            self._record_set(event)

    def _record_set(self, event: Event) -> None:
        summary = self.runtime.engine.last_summary
        if summary is None:
            return
        number = self.model.count_set(self.runtime.clock.now())
        ended = iso_utc(self.wall())
        plan = self.runtime.engine.plan
        sound_lost = None
        lost_at = self.runtime.sound.lost_at
        if lost_at is not None and lost_at >= summary.started_t:
            ago = self.runtime.clock.now() - lost_at
            sound_lost = iso_utc(self.wall() - timedelta(seconds=ago))
        rec = SetRecord(
            session_id=self.session_id,
            number=number,
            phase=self._set_phase,
            started_at=self._set_started_wall or ended,
            ended_at=ended,
            speed_hz=summary.start_speed_hz,
            sweeps_delivered=summary.sweeps_delivered,
            cycles_delivered=summary.cycles_delivered,
            duration_s=round(summary.active_s, 3),
            pattern=summary.pattern,
            profile=summary.profile,
            cycles_planned=float(summary.cycles_planned) if summary.cycles_planned else None,
            sweeps_planned=summary.cycles_planned * 2 if summary.cycles_planned else None,
            delivered_hz=round(summary.delivered_hz, 4),
            stopped_early=summary.stopped_early,
            stop_reason=summary.stop_reason,
            sound_lost_at=sound_lost,
            tone=None if self.runtime.preset.mute else self.runtime.preset.tone,
        )
        del plan
        self.last_set_number = number
        self.last_set_stopped = summary.stopped_early
        self.write("set", lambda s: s.record_set(rec), asdict(rec))

    # ------------------------------------------------------------------ clinician input
    def note(self, text: str, kind: str = "clinician", set_number: int | None = None) -> bool:
        """A timestamped note (also during a set)."""
        phase = self.model.phase.id
        at = iso_utc(self.wall())  # when it was said, even if the disk takes it later
        return self.write(
            "note",
            lambda s: s.add_note(
                self.session_id, text, kind=kind, phase=phase, set_number=set_number, at=at
            ),
            {"text": text, "kind": kind, "phase": phase, "at": at},
        )

    def rating(self, kind: str, value: int, context: str, set_number: int | None = None) -> bool:
        """A SUD / VOC / BHS / presence rating."""
        self.last_ratings[kind] = value
        at = iso_utc(self.wall())
        return self.write(
            "rating",
            lambda s: s.add_rating(
                self.session_id, kind, value, context=context, set_number=set_number, at=at
            ),
            {"kind": kind, "value": value, "context": context, "set": set_number, "at": at},
        )

    def event(self, kind: str, **detail: Any) -> bool:
        """A marker such as ``back_to_target``."""
        at = iso_utc(self.wall())
        return self.write(
            "event",
            lambda s: s.add_event(self.session_id, kind, detail, at=at),
            {"kind": kind, **detail, "at": at},
        )

    def save_assessment(self, **fields: Any) -> bool:
        """The Phase 3 baseline."""
        fields.setdefault("at", iso_utc(self.wall()))
        return self.write(
            "assessment",
            lambda s: s.save_assessment(self.session_id, **fields),
            dict(fields),
        )

    # ------------------------------------------------------------------ phases
    def go_to_phase(self, phase_id: str) -> str | None:
        """Move to ``phase_id``; returns the preset name applied, if any."""
        change = self.model.go_to(phase_id, self.runtime.clock.now())
        self.write(
            "phase",
            lambda s: s.record_phase_change(self.session_id, change),
            {"left": asdict(change.left), "entered": asdict(change.entered)},
        )
        return self.apply_suggested()

    def apply_suggested(self) -> str | None:
        """Load the preset the current phase suggests (unless the therapist fixed one)."""
        name = self.model.suggested_preset
        if self.keep_settings_once:
            self.keep_settings_once = False
            return None
        if self.fixed_preset or name is None or self.runtime.engine.in_set:
            return None
        try:
            preset = resolve(name, presets_dir())
        except PresetError:
            return None
        apply_preset(self.runtime, preset)
        return name

    def tick(self) -> None:
        """Periodic duties (call about once a second): the heartbeat."""
        now = self.runtime.clock.now()
        if now - self._last_heartbeat >= HEARTBEAT_S:
            self._last_heartbeat = now
            self.write("heartbeat", lambda s: s.heartbeat(self.session_id), {})

    def interrupt(self, reason: str) -> bool:
        """Keep the session as interrupted (resumable), e.g. on quit or SIGTERM."""
        self.interrupted = True
        return self.write(
            "interrupt",
            lambda s: s.mark_interrupted(self.session_id, reason),
            {"reason": reason, "at": iso_utc(self.wall())},
        )

    def finish(
        self,
        *,
        closure_complete: bool | None,
        final_sud: int | None,
        final_voc: int | None,
        container_note: str | None,
    ) -> bool:
        """End the session: close the phase visit and mark it completed."""
        visit = self.model.finish(self.runtime.clock.now())
        self.finished = True

        def write(store: Store) -> None:
            store.record_phase(self.session_id, visit)
            store.finish_session(
                self.session_id,
                closure_complete=bool(closure_complete),
                final_sud=final_sud,
                final_voc=final_voc,
                container_note=container_note or "",
            )

        return self.write(
            "finish",
            write,
            {"closure_complete": closure_complete, "final_sud": final_sud, "final_voc": final_voc},
        )


def settings_of_last_set(base: Preset, data: SessionData) -> Preset | None:
    """``base`` with the speed, pattern, profile, length and sound of the session's last set.

    What `bls session --resume` continues with (None if no set was recorded; a value that is
    not a valid setting any more is left at ``base``'s).
    """
    if not data.sets:
        return None
    last = data.sets[-1]
    values: dict[str, Any] = {"speed_hz": float(last.speed_hz), "pattern": last.pattern}
    if last.profile:
        values["profile"] = last.profile
    if last.cycles_planned and float(last.cycles_planned).is_integer():
        values["cycles"] = int(last.cycles_planned)
    values["mute"] = last.tone is None
    if last.tone is not None:
        values["tone"] = last.tone
    where = f"set {last.number} of session {data.session.id}"
    valid = {}
    for key, value in values.items():  # a value this release no longer accepts is skipped
        try:
            validate_fields({key: value}, where, {})
        except PresetError:
            continue
        valid[key] = value
    return apply(base, valid) if valid else None


def apply_preset(runtime: Runtime, preset: Preset) -> None:
    """Use ``preset`` for the next set (motion and sound settings)."""
    runtime.preset = preset
    from bls_tui.sound.tones import ToneParamsError

    try:
        runtime.sound.set_params(tone_params(preset), preset.mute)
    except ToneParamsError as exc:
        runtime.sound_warning = str(exc)
    plan = plan_from(preset)
    engine = runtime.engine
    for name in ("speed_hz", "cycles", "seconds", "pattern", "profile", "dwell_ms", "end_mode"):
        setattr(engine.plan, name, getattr(plan, name))
