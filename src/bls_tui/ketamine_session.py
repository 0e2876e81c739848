"""Ketamine-assisted sessions, without UI: the medicine clock, reminders and check-ins.

Wall-clock time is right here: the dose is a wall-clock event.  ``now`` comes from the
session's ``wall()`` (UTC) and is shown in local time.  The app gives no dosing advice: it keeps
time and records what the clinician enters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bls_tui.core.clock import fmt_clock
from bls_tui.core.config import AppConfig
from bls_tui.core.ketamine import ROUTES, band_at, format_since_dose, parse_dose
from bls_tui.core.ketamine_timers import (
    DEFAULT_BP_RECHECK_MIN,
    DEFAULT_OBSERVATION_MIN,
    ReminderSchedule,
    linked_window,
)
from bls_tui.core.protocol import iso_utc, parse_iso
from bls_tui.core.records import Store
from bls_tui.core.records_base import StoreError
from bls_tui.core.records_types import Medicine
from bls_tui.core.vitals import Thresholds, VitalsEntry, flags


def thresholds_from(config: AppConfig) -> Thresholds:
    """The clinician's highlight thresholds from config.toml."""
    return Thresholds(
        systolic_above=config.bp_systolic_max,
        diastolic_above=config.bp_diastolic_max,
        spo2_below=config.spo2_min,
        hr_above=config.hr_max,
        hr_below=config.hr_min,
    )


@dataclass
class DoseEntry:
    """What the clinician entered at the start of a ketamine-assisted session."""

    route: str
    amount: str
    unit: str
    dosed_at: datetime
    provider: str = ""
    screening: dict[str, Any] | None = None
    linked_session_id: int | None = None


def default_minutes(route: str, config: AppConfig) -> tuple[int | None, int | None]:
    """Observation and BP-recheck minutes: config.toml first, else the route's default."""
    obs = config.observation_min or DEFAULT_OBSERVATION_MIN.get(route)
    bp = config.bp_recheck_min or DEFAULT_BP_RECHECK_MIN.get(route)
    return (round(obs) if obs else None), (round(bp) if bp else None)


class KetamineClock:
    """Clocks and reminders of one ketamine-assisted session."""

    def __init__(
        self,
        store: Store,
        session_id: int,
        medicine: Medicine,
        config: AppConfig,
        wall: Callable[[], datetime],
    ) -> None:
        if medicine.dosed_at is None:
            raise ValueError("the medicine record has no dose time")
        self.store = store
        self.session_id = session_id
        self.medicine = medicine
        self.wall = wall
        self.thresholds = thresholds_from(config)
        self.dose_at = parse_iso(medicine.dosed_at)
        self.linked_dose: datetime | None = None
        """Dose time of the earlier medicine session this EMDR is linked to, if any."""
        if medicine.linked_session_id is not None:
            try:
                linked = store.load_session(medicine.linked_session_id).medicine
            except StoreError:
                linked = None
            if linked is not None and linked.dosed_at is not None:
                self.linked_dose = parse_iso(linked.dosed_at)
        self.schedule = ReminderSchedule(
            dose_at=self.dose_at,
            last_checkin=self.dose_at,
            interval_min=medicine.checkin_interval_min,
            bp_recheck_min=medicine.bp_recheck_min,
        )

    @classmethod
    def start(
        cls,
        store: Store,
        session_id: int,
        entry: DoseEntry,
        config: AppConfig,
        wall: Callable[[], datetime],
    ) -> KetamineClock:
        """Save the dosing record and return the running clock."""
        dose = parse_dose(entry.amount, entry.unit)
        observation, bp_recheck = default_minutes(entry.route, config)
        store.save_medicine(
            session_id,
            route=entry.route,
            dose_amount=dose.amount,
            dose_unit=dose.unit,
            dosed_at=iso_utc(entry.dosed_at),
            provider=entry.provider or None,
            screening=entry.screening,
            linked_session_id=entry.linked_session_id,
            observation_min=observation or 120,
            bp_recheck_min=bp_recheck,
            checkin_interval_min=config.checkin_interval_min,
        )
        medicine = store.load_session(session_id).medicine
        assert medicine is not None
        return cls(store, session_id, medicine, config, wall)

    # ------------------------------------------------------------------ clocks
    def minutes_since_dose(self) -> float:
        """Minutes since T0."""
        return (self.wall() - self.dose_at).total_seconds() / 60.0

    def observation_left(self) -> timedelta:
        """Time left of the observation period (negative once it is over)."""
        end = self.dose_at + timedelta(minutes=self.medicine.observation_min)
        return end - self.wall()

    def header(self) -> str:
        """The medicine clock for the top bar: T+, route band, observation, next check-in."""
        now = self.wall()
        route = ROUTES[self.medicine.route]
        band = band_at(self.medicine.route, self.minutes_since_dose())
        parts = [format_since_dose(self.dose_at, now), f"{route.name}: {band}"]
        if self.medicine.observation_confirmed_at:
            parts.append("observation confirmed")
        else:
            left = self.observation_left().total_seconds()
            if left > 0:
                parts.append(f"observation {fmt_clock(left)} left")
            else:
                parts.append("observation over: o confirms the client is ready to leave")
        if self.linked_text:
            parts.append(self.linked_text)
        due = self.schedule.next_due()
        if due is not None:
            parts.append(f"check-in {due.astimezone().strftime('%H:%M')}")
        return " · ".join(parts)

    @property
    def linked_text(self) -> str:
        """Time since the linked medicine session's dose, in hours and days ('' if none)."""
        if self.linked_dose is None:
            return ""
        window = linked_window(self.linked_dose, self.wall())
        return f"linked session #{self.medicine.linked_session_id}: {window.text}"

    def due(self, set_running: bool) -> list[str]:
        """Reminders to show now (none while a set runs; deferred ones after it)."""
        return [r.text for r in self.schedule.due_reminders(self.wall(), set_running)]

    # ------------------------------------------------------------------ records
    def record_checkin(self, entry: VitalsEntry) -> list[str]:
        """Store a check-in; returns the highlighted values (the app decides nothing)."""
        highlights = flags(entry, self.thresholds)
        self.store.add_vitals(self.session_id, entry, flags=highlights)
        self.schedule.record_checkin(self.wall(), with_bp=entry.systolic is not None)
        return highlights

    def confirm_observation(self) -> str:
        """The clinician confirms the client is ready to leave."""
        early = self.observation_left().total_seconds() > 0
        stamp = self.store.confirm_observation(self.session_id, early=early)
        self.medicine = self.store.load_session(self.session_id).medicine or self.medicine
        return stamp
