"""Ketamine-assisted sessions, without UI: the medicine clock, reminders and check-ins.

Wall-clock time is right here: the dose is a wall-clock event.  ``now`` comes from the
session's ``wall()`` (UTC) and is shown in local time.  The app gives no dosing advice: it keeps
time and records what the clinician enters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bls_tui.config.appconfig import AppConfig
from bls_tui.ketamine.dose import ROUTES, format_since_dose, parse_dose
from bls_tui.ketamine.route_settings import REFERENCE_POINT, RouteSetting, band_text, route_setting
from bls_tui.ketamine.timers import ReminderSchedule, linked_window
from bls_tui.ketamine.vitals import Thresholds, VitalsEntry, flags
from bls_tui.ketamine.window import since_dose_words
from bls_tui.protocol.model import iso_utc, parse_iso
from bls_tui.records.base import InvalidRecordError, StoreError
from bls_tui.records.medicine import checked_medicine
from bls_tui.records.store import Store
from bls_tui.records.types import Medicine
from bls_tui.stimulus.clock import fmt_clock

WriteRecord = Callable[[str, Callable[[Store], None], dict[str, Any]], object]
"""Queues a store write: ``(what, job, payload)``; the session's record writer runs it on its
thread (emergency copy at once if the database does not take it)."""


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
    infusion_min: int | None = None
    last_spray_min: int | None = None


def setting_for(route: str, config: AppConfig) -> RouteSetting:
    """The route's timing: [routes.X] in config.toml, else the app-wide keys, else the label."""
    return route_setting(
        config.routes,
        route,
        observation_min=config.observation_min,
        bp_recheck_min=config.bp_recheck_min,
    )


class KetamineClock:
    """Clocks and reminders of one ketamine-assisted session."""

    def __init__(
        self,
        store: Store,
        session_id: int,
        medicine: Medicine,
        config: AppConfig,
        wall: Callable[[], datetime],
        write: WriteRecord | None = None,
    ) -> None:
        if medicine.dosed_at is None:
            raise ValueError("the medicine record has no dose time")
        self.store = store
        self.write = write
        """Where check-ins and the observation sign-off go: the record writer (the app), or
        ``None`` to write through ``store`` at once (tools and tests without a writer)."""
        self.session_id = session_id
        self.medicine = medicine
        self.wall = wall
        self.window_h = config.integration_window_h
        self.thresholds = thresholds_from(config)
        self.setting = setting_for(medicine.route, config)
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
        write: WriteRecord | None = None,
    ) -> KetamineClock:
        """Save the dosing record and return the running clock.

        The record is checked here, at once (a bad value raises before anything is queued);
        with ``write`` it is then written by the record writer, off the UI thread.

        Raises:
            KetamineError: the dose cannot be read.  InvalidRecordError: a value the record
            must not hold.  StoreError: the linked session does not exist.
        """
        dose = parse_dose(entry.amount, entry.unit)
        setting = setting_for(entry.route, config)
        medicine = checked_medicine(
            route=entry.route,
            dose_amount=dose.amount,
            dose_unit=dose.unit,
            dosed_at=iso_utc(entry.dosed_at),
            provider=entry.provider or None,
            screening=entry.screening,
            linked_session_id=entry.linked_session_id,
            observation_min=setting.observation_min or 0,
            bp_recheck_min=setting.bp_recheck_min,
            checkin_interval_min=config.checkin_interval_min,
            infusion_min=entry.infusion_min,
            last_spray_min=entry.last_spray_min,
        )
        if entry.linked_session_id is not None:
            if entry.linked_session_id == session_id:
                raise InvalidRecordError("a session cannot be linked to itself")
            store.load_session(entry.linked_session_id)  # UnknownSessionError if it is not there

        def save(s: Store) -> None:
            fields = {k: v for k, v in asdict(medicine).items() if k != "observation_confirmed_at"}
            s.save_medicine(session_id, **fields)

        clock = cls(store, session_id, medicine, config, wall, write)
        clock._save("medicine", save, asdict(medicine))
        return clock

    # ------------------------------------------------------------------ clocks
    def minutes_since_dose(self) -> float:
        """Minutes since T0."""
        return (self.wall() - self.dose_at).total_seconds() / 60.0

    def observation_left(self) -> timedelta:
        """Time left of the observation period (zero or negative once over or when none set)."""
        end = self.dose_at + timedelta(minutes=self.medicine.observation_min)
        return end - self.wall()

    @property
    def observation_confirmed(self) -> bool:
        """True once the clinician confirmed the client is ready to leave."""
        return self.medicine.observation_confirmed_at is not None

    def minutes_from_reference(self) -> float | None:
        """Minutes since the route's band reference point (None when its time is unknown)."""
        m = self.medicine
        since = self.minutes_since_dose()
        if m.route == "iv":
            return None if m.infusion_min is None else since - m.infusion_min
        if m.route == "esketamine_in":
            return None if m.last_spray_min is None else since - m.last_spray_min
        return since

    def band(self) -> str:
        """The clinic's reference band now, labelled ('' when none is set or applies)."""
        return band_text(self.setting, self.minutes_from_reference())

    def observation_status(self) -> str:
        """Observation in words: confirmed, time left (with its source), or until confirmed."""
        m = self.medicine
        if m.observation_confirmed_at:
            return "observation confirmed"
        if m.observation_min <= 0:
            return "observation until you confirm (o): no period set"
        source = self.setting.observation_source or "clinic setting"
        left = self.observation_left().total_seconds()
        if left > 0:
            return f"observe ≥{m.observation_min} min ({source}): {fmt_clock(left)} left"
        return f"observe ≥{m.observation_min} min: over, o confirms ready to leave"

    def header(self) -> str:
        """The medicine clock for the top bar: T+, observation, band (if set), next check-in."""
        now = self.wall()
        since = format_since_dose(self.dose_at, now)
        route = ROUTES.get(self.medicine.route)
        parts = [f"{since} {route.short if route else self.medicine.route}"]
        parts.append(self.observation_status())
        band = self.band()
        if band:
            parts.append(band)
        elif self.setting.has_bands and self.medicine.route in REFERENCE_POINT:
            parts.append(f"no band: {REFERENCE_POINT[self.medicine.route]} not entered")
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
        now = self.wall()
        text = (
            f"linked #{self.medicine.linked_session_id}: {since_dose_words(self.linked_dose, now)}"
        )
        if self.window_h is not None:
            window = linked_window(self.linked_dose, now, self.window_h)
            text += "; within window" if window.within else "; past window"
        return text

    def due(self, set_running: bool) -> list[str]:
        """Reminders to show now (none while a set runs; deferred ones after it)."""
        return [r.text for r in self.schedule.due_reminders(self.wall(), set_running)]

    # ------------------------------------------------------------------ records
    def _save(self, what: str, job: Callable[[Store], None], payload: dict[str, Any]) -> None:
        """Through the record writer when there is one, else straight to the store."""
        if self.write is None:
            job(self.store)
        else:
            self.write(what, job, payload)

    def record_checkin(self, entry: VitalsEntry) -> list[str]:
        """Store a check-in; returns the highlighted values (the app decides nothing)."""
        highlights = flags(entry, self.thresholds)
        at = iso_utc(self.wall())
        sid = self.session_id

        def save(s: Store) -> None:
            s.add_vitals(sid, entry, flags=highlights, at=at)

        self._save("checkin", save, {"at": at, **asdict(entry), "flags": highlights})
        self.schedule.record_checkin(self.wall(), with_bp=entry.systolic is not None)
        return highlights

    def confirm_observation(self) -> str:
        """The clinician confirms the client is ready to leave (recorded with the time)."""
        early = self.observation_left().total_seconds() > 0
        at = iso_utc(self.wall())
        sid = self.session_id

        # through the writer the screen has already asked about an early sign-off: record what
        # was confirmed (a refusal there could never succeed); straight to the store, check it
        allow_early = early or self.write is not None

        def save(s: Store) -> None:
            s.confirm_observation(sid, at=at, early=allow_early)

        self._save("observation_confirmed", save, {"at": at, "early": early})
        self.medicine = replace(self.medicine, observation_confirmed_at=at)
        return at


def linked_dose(store: Store, session_id: int) -> tuple[int, datetime] | None:
    """The medicine session a session is linked to and its dose time (None: no link/dose)."""
    try:
        link = store.load_session(session_id).session.linked_dose_session_id
        if link is None:
            return None
        medicine = store.load_session(link).medicine
    except StoreError:
        return None
    if medicine is None or medicine.dosed_at is None:
        return None
    return link, parse_iso(medicine.dosed_at)
