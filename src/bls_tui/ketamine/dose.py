"""Ketamine-assisted sessions: routes, doses, dose times and the clocks around them.

The app gives no dosing advice.  It keeps time and records what the clinician enters.  No
pharmacological timing is built in here (route timing is a clinic setting, see
:mod:`bls_tui.ketamine.route_settings`); nothing assumes when EMDR happens relative to the dose (the
published models conflict).  The screening checklist is in :mod:`bls_tui.ketamine.screening`.

Every function takes ``now`` as an argument (a timezone-aware datetime); nothing reads a clock.
Differences are always taken in UTC, so midnight and DST changes do not distort them.  Reminder
scheduling lives in :mod:`bls_tui.ketamine.timers`, dose-time parsing in
:mod:`bls_tui.ketamine.dose_time`, check-in vitals in :mod:`bls_tui.ketamine.vitals`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

__all__ = [
    "DOSE_UNITS",
    "MAX_DOSE_AMOUNT",
    "ROUTES",
    "ROUTE_IDS",
    "Dose",
    "KetamineError",
    "RouteInfo",
    "amount_text",
    "elapsed",
    "format_since_dose",
    "parse_dose",
]


class KetamineError(ValueError):
    """Bad ketamine-session input; the message is one line, fit to show the clinician."""


# --- time helpers -------------------------------------------------------------------------------


def to_utc(dt: datetime, what: str = "time") -> datetime:
    """Return ``dt`` in UTC; raise :class:`KetamineError` if it carries no timezone."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise KetamineError(f"{what} must be timezone-aware (local time with an offset)")
    return dt.astimezone(timezone.utc)


def elapsed(dose_at: datetime, now: datetime) -> timedelta:
    """Real time from ``dose_at`` to ``now`` (negative if ``now`` is earlier)."""
    return to_utc(now, "now") - to_utc(dose_at, "dose time")


def shift(dt: datetime, delta: timedelta) -> datetime:
    """``dt + delta`` in real time, returned in ``dt``'s own timezone (DST-safe)."""
    return (to_utc(dt) + delta).astimezone(dt.tzinfo)


def format_since_dose(dose_at: datetime, now: datetime) -> str:
    """``T+0:48 h:mm`` under a day (hours and minutes, the unit said), else ``2 d 3 h since dose``.

    Whole minutes since the dose: ``T+00:48`` read as 48 hours on a busy screen (issue 12).
    """
    secs = math.floor(elapsed(dose_at, now).total_seconds())
    sign = "+" if secs >= 0 else "-"
    secs = abs(secs)
    days, rest = divmod(secs, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h {'since' if sign == '+' else 'before'} dose"
    del seconds
    return f"T{sign}{hours}:{minutes:02d} h:mm"


# --- routes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteInfo:
    """One route of administration.  No timing figures are built in: timing is a clinic
    setting per route (:mod:`bls_tui.ketamine.route_settings`), except the esketamine label's."""

    id: str
    name: str
    note: str = ""

    @property
    def short(self) -> str:
        """The name for a one-line header: the abbreviation in brackets if there is one."""
        if self.name.endswith(")") and "(" in self.name:
            return self.name[self.name.rindex("(") + 1 : -1]
        return self.name


ROUTES: dict[str, RouteInfo] = {
    r.id: r
    for r in (
        RouteInfo("im", "Intramuscular (IM)"),
        RouteInfo("iv", "Intravenous infusion (IV)", "Bands count from the end of the infusion."),
        RouteInfo("sublingual", "Sublingual lozenge"),
        RouteInfo("oral", "Oral, swallowed"),
        RouteInfo(
            "esketamine_in",
            "Esketamine, intranasal",
            "T0 is the first device; bands count from the last spray.",
        ),
        RouteInfo("other", "Other"),
    )
}
ROUTE_IDS: tuple[str, ...] = tuple(ROUTES)


# --- doses --------------------------------------------------------------------------------------

DOSE_UNITS: tuple[str, ...] = ("mg", "mcg", "mg/kg", "devices", "other")
MAX_DOSE_AMOUNT = 10000.0
_AMOUNT_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+", re.ASCII)


@dataclass(frozen=True)
class Dose:
    """A dose as the clinician entered it: a positive amount and a unit.  No defaults."""

    amount: float
    unit: str

    def __str__(self) -> str:
        return f"{amount_text(self.amount)} {self.unit}"


def amount_text(amount: float) -> str:
    """A dose amount with every digit it was entered with: ``50``, ``0.5``, ``1234.567``
    (``:g`` would round the last to ``1234.57``); never an exponent."""
    return format(Decimal(repr(float(amount))).normalize(), "f")


def parse_dose(amount: str | float, unit: str) -> Dose:
    """Validate a dose the clinician typed; raise :class:`KetamineError` with a one-line reason."""
    u = unit.strip().lower() if isinstance(unit, str) else ""
    if u not in DOSE_UNITS:
        raise KetamineError(f"dose unit must be one of {', '.join(DOSE_UNITS)}")
    if isinstance(amount, str):
        text = amount.strip()
        if "," in text:
            raise KetamineError(f"dose {text[:20]!r}: use a dot for decimals, no commas")
        if not _AMOUNT_RE.fullmatch(text):
            raise KetamineError(f"dose {text[:20]!r} is not a number")
        value = float(text)
    elif isinstance(amount, (int, float)) and not isinstance(amount, bool):
        value = float(amount)
    else:
        raise KetamineError("dose amount must be a number")
    if math.isnan(value) or value <= 0:
        raise KetamineError("dose amount must be a positive number")
    if value > MAX_DOSE_AMOUNT:  # also a number too long to hold (inf)
        if math.isinf(value):
            raise KetamineError(f"dose is above the sanity bound {MAX_DOSE_AMOUNT:g} {u}")
        raise KetamineError(f"dose {value:g} {u} is above the sanity bound {MAX_DOSE_AMOUNT:g}")
    if u == "devices" and value != int(value):
        raise KetamineError("number of devices must be a whole number")
    return Dose(value, u)
