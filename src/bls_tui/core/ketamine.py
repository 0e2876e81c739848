"""Ketamine-assisted sessions: routes, doses, dose times and the clocks around them.

The app gives no dosing advice.  It keeps time and records what the clinician enters.  All bands
below are approximate reference figures from ``docs/domain.md`` section 3, shown for information;
nothing here assumes when EMDR happens relative to the dose (the published models conflict).

Every function takes ``now`` as an argument (a timezone-aware datetime); nothing reads a clock.
Differences are always taken in UTC, so midnight and DST changes do not distort them.  Reminder
scheduling lives in :mod:`bls_tui.core.ketamine_timers`, dose-time parsing in
:mod:`bls_tui.core.dose_time`, check-in vitals in :mod:`bls_tui.core.vitals`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

__all__ = [
    "AFTER",
    "BEFORE_ONSET",
    "BEFORE_PEAK",
    "DOSE_UNITS",
    "FADING",
    "MAX_DOSE_AMOUNT",
    "NO_REFERENCE",
    "ONSET",
    "PEAK",
    "PEAK_HALF_WIDTH_MIN",
    "ROUTES",
    "ROUTE_IDS",
    "SCREENING_ITEMS",
    "Dose",
    "KetamineError",
    "RouteInfo",
    "ScreeningAnswer",
    "ScreeningItem",
    "Segment",
    "Timeline",
    "band_at",
    "blank_screening",
    "elapsed",
    "format_since_dose",
    "parse_dose",
    "screening_from_dict",
    "screening_to_dict",
    "timeline",
    "unreviewed",
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

BEFORE_ONSET = "before onset (approx.)"
BEFORE_PEAK = "before peak (onset time not stated)"
ONSET = "onset"
PEAK = "around peak"
FADING = "effects fading"
AFTER = "after typical duration"
NO_REFERENCE = "no reference bands for this route"

PEAK_HALF_WIDTH_MIN = 10.0
"""Engineering convention: a single Tmax figure "~X" is drawn as the band X ± 10 min."""

MAX_INFUSION_MIN = 240.0


@dataclass(frozen=True)
class RouteInfo:
    """One route of administration with its reference figures (approximate, for information)."""

    id: str
    name: str
    onset: str
    peak: str
    effects: str
    source: str
    note: str = ""


ROUTES: dict[str, RouteInfo] = {
    r.id: r
    for r in (
        RouteInfo("im", "Intramuscular (IM)", "~5 min", "5–15 min", "30 min–2 h", "[27][28]"),
        RouteInfo(
            "iv",
            "Intravenous infusion (IV)",
            "minutes",
            "end of infusion",
            "fade ~30 min after the end",
            "[29][24]",
            "Reference regimen 0.5 mg/kg over 40 min; bands follow the infusion length entered.",
        ),
        RouteInfo(
            "sublingual",
            "Sublingual lozenge",
            "15–20 min",
            "Tmax ~45 min",
            "fades over 1–2 h",
            "[26][28]",
        ),
        RouteInfo(
            "oral",
            "Oral, swallowed",
            "slower (no figure given)",
            "Tmax ~1 h",
            "2–6 h",
            "[26][27][27b][30]",
            "Sources disagree on the duration of oral effects.",
        ),
        RouteInfo(
            "esketamine_in",
            "Esketamine, intranasal",
            "not stated",
            "Tmax 20–40 min after the last spray",
            "monitor ≥2 h; half-life 7–12 h",
            "[33][31]",
            "T0 is the first device; the peak band counts from the last spray.",
        ),
        RouteInfo("other", "Other", "—", "—", "—", "", "No reference figures."),
    )
}
ROUTE_IDS: tuple[str, ...] = tuple(ROUTES)


@dataclass(frozen=True)
class Segment:
    """A stretch of the timeline in minutes since T0; ``end_min`` None means open-ended."""

    label: str
    start_min: float
    end_min: float | None

    def contains(self, minutes: float) -> bool:
        """True if ``minutes`` falls in ``[start_min, end_min)``."""
        return self.start_min <= minutes and (self.end_min is None or minutes < self.end_min)


@dataclass(frozen=True)
class Timeline:
    """Approximate reference bands for one route, in minutes since T0, for drawing."""

    route: str
    segments: tuple[Segment, ...]
    source: str
    note: str
    approximate: bool = True

    @property
    def horizon_min(self) -> float:
        """The last finite boundary (where a drawing can stop), 0 if there are no bands."""
        ends = [s.end_min for s in self.segments if s.end_min is not None]
        return max(ends, default=0.0)

    def band_at(self, minutes_since_dose: float) -> str:
        """The band label at ``minutes_since_dose``."""
        m = _check_minutes(minutes_since_dose, "minutes since dose")
        for seg in self.segments:
            if seg.contains(m):
                return seg.label
        return NO_REFERENCE


def _check_minutes(value: float, what: str, hi: float = math.inf) -> float:
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 or value > hi:
        bound = "" if math.isinf(hi) else f" and at most {hi:g}"
        raise KetamineError(f"{what} must be a number of minutes, 0 or more{bound}")
    return float(value)


def _route(route: str) -> RouteInfo:
    try:
        return ROUTES[route]
    except (KeyError, TypeError):
        raise KetamineError(
            f"unknown route {route!r}; choose one of {', '.join(ROUTE_IDS)}"
        ) from None


def timeline(route: str, *, infusion_min: float = 40.0, last_spray_min: float = 0.0) -> Timeline:
    """Reference bands for ``route``.

    Args:
        route: One of :data:`ROUTE_IDS`.
        infusion_min: IV only: infusion length (the peak is at its end).
        last_spray_min: Esketamine only: minutes from the first device to the last spray.
    """
    info = _route(route)
    inf = _check_minutes(infusion_min, "infusion length", MAX_INFUSION_MIN)
    spray = _check_minutes(last_spray_min, "time of the last spray", MAX_INFUSION_MIN)
    w = PEAK_HALF_WIDTH_MIN
    bounds: list[tuple[str, float]]  # (label, start); each segment ends where the next starts
    if route == "im":
        bounds = [(BEFORE_ONSET, 0), (PEAK, 5), (FADING, 15), (AFTER, 120)]
    elif route == "sublingual":
        bounds = [(BEFORE_ONSET, 0), (ONSET, 15), (PEAK, 45 - w), (FADING, 45 + w), (AFTER, 120)]
    elif route == "oral":
        bounds = [(BEFORE_PEAK, 0), (PEAK, 60 - w), (FADING, 60 + w), (AFTER, 360)]
    elif route == "iv":
        bounds = [(ONSET, 0), (PEAK, max(0.0, inf - w)), (FADING, inf + w), (AFTER, inf + 30)]
    elif route == "esketamine_in":
        bounds = [(BEFORE_PEAK, 0), (PEAK, spray + 20), (FADING, spray + 40)]
    else:
        bounds = []
    segs: list[Segment] = []
    for i, (label, start) in enumerate(bounds):
        end = bounds[i + 1][1] if i + 1 < len(bounds) else None
        if end is None or end > start:
            segs.append(Segment(label, float(start), None if end is None else float(end)))
    return Timeline(route, tuple(segs), info.source, info.note)


def band_at(
    route: str,
    minutes_since_dose: float,
    *,
    infusion_min: float = 40.0,
    last_spray_min: float = 0.0,
) -> str:
    """The approximate band label for ``route`` at ``minutes_since_dose`` (information only)."""
    tl = timeline(route, infusion_min=infusion_min, last_spray_min=last_spray_min)
    return tl.band_at(minutes_since_dose)


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
        return f"{self.amount:g} {self.unit}"


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
    if not math.isfinite(value) or value <= 0:
        raise KetamineError("dose amount must be a positive number")
    if value > MAX_DOSE_AMOUNT:
        raise KetamineError(f"dose {value:g} {u} is above the sanity bound {MAX_DOSE_AMOUNT:g}")
    if u == "devices" and value != int(value):
        raise KetamineError("number of devices must be a whole number")
    return Dose(value, u)


# --- screening checklist ------------------------------------------------------------------------

LABEL_CONTRAINDICATION = "label contraindication"
LABEL_PRECAUTION = "label precaution"
CLINIC_EXCLUSION = "clinic exclusion"


@dataclass(frozen=True)
class ScreeningItem:
    """One checklist item with the category the domain reference gives it."""

    id: str
    label: str
    categories: tuple[str, ...]
    note: str = ""


SCREENING_ITEMS: tuple[ScreeningItem, ...] = (
    ScreeningItem(
        "aneurysm_avm",
        "Aneurysmal vascular disease or arteriovenous malformation (AVM)",
        (LABEL_CONTRAINDICATION,),
        "[32b]",
    ),
    ScreeningItem(
        "brain_haemorrhage",
        "History of intracerebral haemorrhage",
        (LABEL_CONTRAINDICATION,),
        "[32b]",
    ),
    ScreeningItem(
        "hypersensitivity",
        "Hypersensitivity to ketamine or esketamine",
        (LABEL_CONTRAINDICATION,),
        "[32b]",
    ),
    ScreeningItem(
        "psychosis_mania",
        "Psychosis or mania",
        (LABEL_PRECAUTION, CLINIC_EXCLUSION),
        "Some sources call it a contraindication ⚠[34b]; clinic exclusion [37].",
    ),
    ScreeningItem(
        "substance_use",
        "Active substance use disorder",
        (LABEL_PRECAUTION, CLINIC_EXCLUSION),
        "Some sources call it a contraindication ⚠[34b]; clinic exclusion [37].",
    ),
    ScreeningItem(
        "hypertension_heart",
        "Uncontrolled hypertension or heart disease",
        (CLINIC_EXCLUSION,),
        "[37]; BP above 140/90 before dosing: weigh the risk [34].",
    ),
    ScreeningItem("pregnancy", "Pregnancy", (CLINIC_EXCLUSION,), "[37]"),
    ScreeningItem(
        "dissociative_disorder", "Primary dissociative disorder", (CLINIC_EXCLUSION,), "[37]"
    ),
)
_SCREENING_IDS = {i.id for i in SCREENING_ITEMS}


@dataclass(frozen=True)
class ScreeningAnswer:
    """The clinician's record for one item: ``confirmed`` means reviewed; ``note`` the finding."""

    confirmed: bool = False
    note: str = ""


def blank_screening() -> dict[str, ScreeningAnswer]:
    """A fresh record with every item unreviewed.  A record, never a gate."""
    return {item.id: ScreeningAnswer() for item in SCREENING_ITEMS}


def unreviewed(record: dict[str, ScreeningAnswer]) -> list[str]:
    """Ids of items not yet confirmed, in checklist order."""
    return [i.id for i in SCREENING_ITEMS if not record.get(i.id, ScreeningAnswer()).confirmed]


def screening_to_dict(record: dict[str, ScreeningAnswer]) -> dict[str, dict[str, object]]:
    """Plain JSON-able form for storage."""
    return {k: {"confirmed": v.confirmed, "note": v.note} for k, v in record.items()}


def screening_from_dict(data: object) -> dict[str, ScreeningAnswer]:
    """Read a stored record; unknown ids or wrong types raise :class:`KetamineError`."""
    if not isinstance(data, dict):
        raise KetamineError("screening record must be a mapping of item id to answer")
    record = blank_screening()
    for key, value in data.items():
        if key not in _SCREENING_IDS:
            raise KetamineError(f"unknown screening item {key!r}")
        if not isinstance(value, dict):
            raise KetamineError(f"screening item {key!r} must hold confirmed and note")
        confirmed, note = value.get("confirmed", False), value.get("note", "")
        if not isinstance(confirmed, bool) or not isinstance(note, str):
            raise KetamineError(f"screening item {key!r}: confirmed must be true/false, note text")
        record[key] = ScreeningAnswer(confirmed, note)
    return record
