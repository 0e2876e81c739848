"""Timers around a ketamine dose: observation period, BP recheck, check-ins, linked window.

No built-in number describes a client; the only ones here are the esketamine label's:

- Observation period (minutes from T0): ``esketamine_in`` 120 (label: observe at least 2 h [31]);
  every other route has none built in (a clinic setting, :mod:`bls_tui.ketamine.route_settings`).
  The period never closes by itself: it ends only when the clinician confirms.
- BP recheck: ``esketamine_in`` at T0 + 40 min [31]; no default for other routes.
- Check-in interval: set by the clinician (no standard interval exists).
- Linked window: an optional length the clinician enters (24–72 h and ≤48 h integration are
  published claims); the status is information, never enforced.

Reminders are never shown over a running set: :meth:`ReminderSchedule.due_reminders` holds them
back while a set runs and hands them over, marked deferred, once it stops.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bls_tui.ketamine.dose import ROUTE_IDS, KetamineError, elapsed, shift, to_utc

__all__ = [
    "BP_RECHECK_TOLERANCE_MIN",
    "DEFAULT_BP_RECHECK_MIN",
    "DEFAULT_OBSERVATION_MIN",
    "MAX_CHECKIN_INTERVAL_MIN",
    "MAX_OBSERVATION_MIN",
    "MAX_WINDOW_H",
    "WINDOW_CLAIMS",
    "LinkedWindow",
    "Observation",
    "ObservationState",
    "Reminder",
    "ReminderSchedule",
    "bp_recheck_at",
    "bp_recheck_due",
    "linked_window",
    "next_checkin_at",
    "observation_remaining",
]

DEFAULT_OBSERVATION_MIN: dict[str, float | None] = {r: None for r in ROUTE_IDS}
DEFAULT_OBSERVATION_MIN["esketamine_in"] = 120.0  # esketamine label: observe >= 2 h [31]
DEFAULT_BP_RECHECK_MIN: dict[str, float | None] = {r: None for r in ROUTE_IDS}
DEFAULT_BP_RECHECK_MIN["esketamine_in"] = 40.0  # esketamine label: BP ~40 min after dosing [31]
MAX_OBSERVATION_MIN = 24 * 60.0
MAX_BP_RECHECK_MIN = 12 * 60.0
MAX_CHECKIN_INTERVAL_MIN = 240.0
BP_RECHECK_TOLERANCE_MIN = 5.0
"""A BP taken up to this many minutes before the recheck time counts as the recheck."""
MAX_WINDOW_H = 14 * 24.0
WINDOW_CLAIMS: tuple[tuple[float, str], ...] = (
    (24.0, "24 h: lower end of a claimed 24–72 h window ⚠[23]"),
    (48.0, "48 h: integration within 48 h [22]"),
    (72.0, "72 h: upper end of a claimed 24–72 h window ⚠[23]"),
)
"""Published claims the UI may offer as choices; none is a default and none is enforced."""


def _minutes(value: float, what: str, hi: float) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or not 0 < value <= hi:
        raise KetamineError(f"{what} must be more than 0 and at most {hi:g} min")
    return float(value)


# --- observation --------------------------------------------------------------------------------


class ObservationState(enum.Enum):
    """Where the observation period stands."""

    RUNNING = "running"
    ELAPSED_AWAITING_CONFIRMATION = "elapsed, awaiting clinician confirmation"
    CONFIRMED = "confirmed by clinician"


def observation_remaining(dose_at: datetime, now: datetime, minutes: float) -> timedelta:
    """Time left in an observation period of ``minutes`` from T0 (never negative)."""
    total = timedelta(minutes=_minutes(minutes, "observation period", MAX_OBSERVATION_MIN))
    return max(timedelta(0), total - elapsed(dose_at, now))


@dataclass(frozen=True)
class Observation:
    """An observation period that closes only when the clinician confirms.

    Attributes:
        dose_at: T0.
        minutes: Length of the period (see :data:`DEFAULT_OBSERVATION_MIN`).
        confirmed_at: When the clinician confirmed, or None.
        note: The clinician's note on confirmation.
    """

    dose_at: datetime
    minutes: float
    confirmed_at: datetime | None = None
    note: str = ""

    def __post_init__(self) -> None:
        to_utc(self.dose_at, "dose time")
        _minutes(self.minutes, "observation period", MAX_OBSERVATION_MIN)

    @classmethod
    def for_route(
        cls, route: str, dose_at: datetime, minutes: float | None = None
    ) -> Observation | None:
        """The route's default period (or ``minutes``); None if neither gives one."""
        if route not in DEFAULT_OBSERVATION_MIN:
            raise KetamineError(f"unknown route {route!r}; choose one of {', '.join(ROUTE_IDS)}")
        length = minutes if minutes is not None else DEFAULT_OBSERVATION_MIN[route]
        return None if length is None else cls(dose_at, length)

    @property
    def ends_at(self) -> datetime:
        """When the period elapses (T0 + minutes, real time)."""
        return shift(self.dose_at, timedelta(minutes=self.minutes))

    def remaining(self, now: datetime) -> timedelta:
        """Time left, never negative."""
        return observation_remaining(self.dose_at, now, self.minutes)

    def state(self, now: datetime) -> ObservationState:
        """Running, elapsed and awaiting confirmation, or confirmed."""
        if self.confirmed_at is not None:
            return ObservationState.CONFIRMED
        if self.remaining(now) > timedelta(0):
            return ObservationState.RUNNING
        return ObservationState.ELAPSED_AWAITING_CONFIRMATION

    @property
    def confirmed_early(self) -> bool:
        """True if the clinician confirmed before the period elapsed (recorded, not refused)."""
        return self.confirmed_at is not None and to_utc(self.confirmed_at) < to_utc(self.ends_at)

    def confirm(self, at: datetime, note: str = "") -> Observation:
        """A copy confirmed at ``at``.  The clinician's call; early confirmation is recorded."""
        if self.confirmed_at is not None:
            raise KetamineError("the observation period is already confirmed")
        if elapsed(self.dose_at, at) < timedelta(0):
            raise KetamineError("confirmation cannot be before the dose time")
        return replace(self, confirmed_at=at, note=note)


# --- BP recheck ---------------------------------------------------------------------------------


def bp_recheck_at(dose_at: datetime, minutes: float | None) -> datetime | None:
    """When the BP recheck falls (T0 + minutes), or None if none is set."""
    if minutes is None:
        return None
    return shift(dose_at, timedelta(minutes=_minutes(minutes, "BP recheck", MAX_BP_RECHECK_MIN)))


def bp_recheck_due(
    dose_at: datetime, now: datetime, minutes: float | None, last_bp_at: datetime | None
) -> bool:
    """True once the recheck time has come and no BP was taken since (within the tolerance)."""
    due = bp_recheck_at(dose_at, minutes)
    if due is None or to_utc(now) < to_utc(due):
        return False
    if last_bp_at is None:
        return True
    return elapsed(last_bp_at, due) > timedelta(minutes=BP_RECHECK_TOLERANCE_MIN)


# --- check-in reminders -------------------------------------------------------------------------


def next_checkin_at(last_checkin: datetime, interval_min: float) -> datetime:
    """When the next check-in is due."""
    interval = _minutes(interval_min, "check-in interval", MAX_CHECKIN_INTERVAL_MIN)
    return shift(last_checkin, timedelta(minutes=interval))


@dataclass(frozen=True)
class Reminder:
    """A reminder to show: ``kind`` is ``"check-in"`` or ``"bp-recheck"``."""

    kind: str
    due_at: datetime
    text: str
    deferred: bool = False


@dataclass
class ReminderSchedule:
    """Check-in reminders every ``interval_min`` plus the BP recheck, deferred during sets.

    Attributes:
        dose_at: T0.
        last_checkin: The last check-in (start with T0 or the pre-dose check-in).
        interval_min: Clinician-set interval; None for no check-in reminders.
        bp_recheck_min: Minutes from T0 for the BP recheck; None for none.
        last_bp_at: When BP was last taken, or None.
    """

    dose_at: datetime
    last_checkin: datetime
    interval_min: float | None = None
    bp_recheck_min: float | None = None
    last_bp_at: datetime | None = None
    _deferred: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        to_utc(self.dose_at, "dose time")
        to_utc(self.last_checkin, "last check-in")
        if self.interval_min is not None:
            _minutes(self.interval_min, "check-in interval", MAX_CHECKIN_INTERVAL_MIN)
        bp_recheck_at(self.dose_at, self.bp_recheck_min)

    def next_due(self) -> datetime | None:
        """When the next check-in is due, or None if no interval is set."""
        if self.interval_min is None:
            return None
        return next_checkin_at(self.last_checkin, self.interval_min)

    def checkin_due(self, now: datetime) -> bool:
        """True if a check-in is due at ``now`` (whether or not a set is running)."""
        due = self.next_due()
        return due is not None and to_utc(now) >= to_utc(due)

    def record_checkin(self, at: datetime, *, with_bp: bool = False) -> None:
        """Note a check-in at ``at`` (and a BP reading if ``with_bp``); clears what it answers."""
        to_utc(at, "check-in time")
        if to_utc(at) > to_utc(self.last_checkin):
            self.last_checkin = at
        self._deferred.discard("check-in")
        if with_bp:
            if self.last_bp_at is None or to_utc(at) > to_utc(self.last_bp_at):
                self.last_bp_at = at
            self._deferred.discard("bp-recheck")

    def _due_now(self, now: datetime) -> list[Reminder]:
        out: list[Reminder] = []
        due = self.next_due()
        if due is not None and to_utc(now) >= to_utc(due):
            out.append(Reminder("check-in", due, f"Check-in due (every {self.interval_min:g} min)"))
        if bp_recheck_due(self.dose_at, now, self.bp_recheck_min, self.last_bp_at):
            at = bp_recheck_at(self.dose_at, self.bp_recheck_min)
            assert at is not None  # bp_recheck_due is False without a recheck time
            out.append(
                Reminder("bp-recheck", at, f"BP recheck due (T0 + {self.bp_recheck_min:g} min)")
            )
        return out

    def due_reminders(self, now: datetime, set_running: bool) -> list[Reminder]:
        """Reminders to show now: none while a set runs; afterwards, held ones marked deferred."""
        due = self._due_now(now)
        if set_running:
            self._deferred.update(r.kind for r in due)
            return []
        out = [replace(r, deferred=r.kind in self._deferred) for r in due]
        self._deferred.clear()
        return out


# --- linked window ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkedWindow:
    """Time since an earlier medicine session's dose, and the window status as information.

    Attributes:
        hours_since: Hours since that dose.
        days_since: Days since that dose.
        window_h: The clinician-entered window length, or None.
        within: True / False against the window, None if no window is set.
        text: One line for the UI.
    """

    hours_since: float
    days_since: float
    window_h: float | None
    within: bool | None
    text: str


def linked_window(dose_at: datetime, now: datetime, window_h: float | None = None) -> LinkedWindow:
    """Status of a session linked to the earlier dose at ``dose_at`` (information only)."""
    hours = elapsed(dose_at, now).total_seconds() / 3600
    if hours < 0:
        raise KetamineError("the linked medicine session's dose is later than now")
    since = f"{hours:.1f} h ({hours / 24:.1f} d) since the linked dose"
    if window_h is None:
        return LinkedWindow(hours, hours / 24, None, None, since)
    ok = isinstance(window_h, (int, float)) and not isinstance(window_h, bool)
    if not ok or not math.isfinite(window_h) or not 0 < window_h <= MAX_WINDOW_H:
        raise KetamineError(f"window length must be more than 0 and at most {MAX_WINDOW_H:g} h")
    within = hours <= window_h
    status = (
        f"within window ({window_h - hours:.1f} h left of {window_h:g} h)"
        if within
        else f"past window ({hours - window_h:.1f} h past {window_h:g} h)"
    )
    return LinkedWindow(hours, hours / 24, float(window_h), within, f"{since}; {status}")
