"""Helpers shared by the record-store and export tests (not a test module)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bls_tui.protocol.model import PhaseVisit, iso_utc
from bls_tui.records.store import SetRecord, Store

T0 = datetime(2025, 3, 2, 10, 0, tzinfo=timezone.utc)


class FakeWall:
    """A wall clock that moves one second per reading (stamps stay ordered and repeatable)."""

    def __init__(self, start: datetime = T0, step_s: float = 1.0) -> None:
        self.t = start
        self.step = timedelta(seconds=step_s)

    def __call__(self) -> datetime:
        now = self.t
        self.t += self.step
        return now

    def jump(self, **delta: float) -> None:
        """Move the clock forward by a timedelta given as keywords (days=1, minutes=5...)."""
        self.t += timedelta(**delta)


def stamp(minutes: float) -> str:
    """An ISO stamp ``minutes`` after :data:`T0`."""
    return iso_utc(T0 + timedelta(minutes=minutes))


def make_set(
    session_id: int, number: int, phase: str = "desensitisation", **kw: object
) -> SetRecord:
    """A plausible 24-cycle set starting ``number`` minutes after T0."""
    values: dict[str, object] = {
        "session_id": session_id,
        "number": number,
        "phase": phase,
        "started_at": stamp(number),
        "ended_at": stamp(number + 0.4),
        "speed_hz": 1.0,
        "sweeps_delivered": 48,
        "cycles_delivered": 24.0,
        "duration_s": 24.0,
        "cycles_planned": 24.0,
        "sweeps_planned": 48,
        "delivered_hz": 0.998,
        "pattern": "horizontal",
        "profile": "standard",
        "tone": "500 Hz",
    }
    values.update(kw)
    return SetRecord(**values)  # type: ignore[arg-type]


def full_session(store: Store, kind: str = "standard") -> int:
    """Record a complete session touching every table; return its ID."""
    sid = store.create_session("C-014", kind, 60, target_label="car crash", started_at=stamp(0))
    store.record_phase(sid, PhaseVisit("assessment", stamp(0)))
    store.save_assessment(
        sid,
        image="the moment of impact",
        negative_cognition="I am in danger",
        positive_cognition="I am safe now",
        voc=2,
        emotions="fear",
        sud=8,
        body_location="chest",
        at=stamp(5),
    )
    store.record_phase(sid, PhaseVisit("assessment", stamp(0), stamp(6), 360.0))
    store.record_phase(sid, PhaseVisit("desensitisation", stamp(6)))
    if kind == "ketamine":
        store.save_medicine(
            sid,
            route="sublingual",
            dose_amount=50,
            dose_unit="mg",
            dosed_at=stamp(-30),
            provider="Dr Example",
            screening={"pregnancy": {"confirmed": True, "note": ""}},
        )
        store.add_checkin(
            sid,
            systolic=128,
            diastolic=82,
            heart_rate=72,
            spo2=98,
            presence=2.5,
            presence_scale="bhs",
            sedation="alert",
            flags=["BP 128/82 fine"],
            at=stamp(7),
        )
    store.record_set(make_set(sid, 7))
    store.add_note(sid, "tightness in chest", kind="between_sets", set_number=7, at=stamp(8))
    store.record_set(
        make_set(
            sid,
            8,
            stopped_early=True,
            stop_reason="client signal",
            sweeps_delivered=20,
            cycles_delivered=10.0,
            duration_s=10.1,
        )
    )
    store.add_event(sid, "stop", {"by": "client"}, at=stamp(8.2))
    store.add_rating(sid, "sud", 4, context="back_to_target", set_number=8, at=stamp(9))
    store.add_note(sid, "=SUM(A1) | pipe\nsecond line", set_number=8, at=stamp(9.5))
    store.record_phase(sid, PhaseVisit("desensitisation", stamp(6), stamp(10), 240.0))
    store.record_phase(sid, PhaseVisit("installation", stamp(10)))
    store.record_set(make_set(sid, 11, phase="installation", speed_hz=0.8))
    store.add_rating(sid, "voc", 6, context="installation", set_number=11, at=stamp(12))
    store.add_rating(sid, "sud", 1, context="closure", at=stamp(20))
    store.finish_session(
        sid,
        closure_complete=False,
        final_sud=1,
        final_voc=6,
        container_note="rest goes in the container",
        ended_at=stamp(55),
    )
    return sid
