"""Read the dose time (T0) from what the clinician types, relative to an injected ``now``.

Accepted forms (case-insensitive, an optional leading "dosed", "dose", "T0" or "at"):
``now``, ``14:05``, ``2:05pm``, ``2pm``, ``today 14:05``, ``yesterday 21:30``,
``40 min ago``, ``1h 20m ago``, ``2 hours ago``, ``1 day 2 h ago``, and ISO
``2026-11-20 14:05`` (optional seconds, optional ``Z`` / ``+01:00`` offset).

A bare clock time later than now means yesterday; the result says so, so the UI can ask the
clinician to confirm.  Future times and times more than 14 days back are refused.  For DST-correct
wall times, pass ``now`` with a ``zoneinfo.ZoneInfo``; a fixed-offset ``now`` is taken literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from bls_tui.ketamine.dose import KetamineError, shift, to_utc

__all__ = ["FUTURE_TOLERANCE", "MAX_LOOKBACK", "DoseTime", "DoseTimeError", "parse_dose_time"]

MAX_LOOKBACK = timedelta(days=14)
FUTURE_TOLERANCE = timedelta(seconds=60)
"""A typed time up to this far ahead (clocks differ) is taken as now, not refused."""

_HINT = "try 'now', '14:05', '2:05pm', '40 min ago', 'yesterday 21:30' or '2026-11-20 14:05'"
_F = re.IGNORECASE | re.ASCII
_NUM = r"[0-9]{1,6}(?:\.[0-9]{1,3})?"
_CLOCK = r"(?P<h>[0-9]{1,2})(?::(?P<m>[0-9]{2}))?(?::(?P<s>[0-9]{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
_PREFIX_RE = re.compile(r"^(?:(?:dosed|dose|t0)\b[\s:]*)?(?:at\b\s*)?", _F)
_DAY_CLOCK_RE = re.compile(rf"^(?:(?P<day>today|yesterday)\s+(?:at\s+)?)?{_CLOCK}$", _F)
_AGO_RE = re.compile(
    rf"^(?:(?P<d>{_NUM})\s*(?:d|days?)\b[\s,]*(?:and\s+)?)?"
    rf"(?:(?P<h>{_NUM})\s*(?:h|hrs?|hours?)\b[\s,]*(?:and\s+)?)?"
    rf"(?:(?P<m>{_NUM})\s*(?:m|mins?|minutes?)\b\s*)?ago$",
    _F,
)
_ISO_RE = re.compile(
    r"^(?P<Y>[0-9]{4})-(?P<M>[0-9]{2})-(?P<D>[0-9]{2})(?:T|\s+)"
    r"(?P<h>[0-9]{2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.[0-9]{1,6})?)?"
    r"\s*(?P<tz>Z|[+-][0-9]{2}:?[0-9]{2})?$",
    _F,
)


class DoseTimeError(KetamineError):
    """A dose time that cannot be read or is out of range (one-line message)."""


@dataclass(frozen=True)
class DoseTime:
    """A parsed dose time.

    Attributes:
        when: The dose time, aware, in ``now``'s timezone.
        assumed_yesterday: A bare clock time was later than now and was read as yesterday.
        note: Anything the UI should show for confirmation ("" if nothing).
    """

    when: datetime
    assumed_yesterday: bool = False
    note: str = ""


def _show(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _wall_candidates(day: date, t: time, tz: tzinfo | None) -> list[datetime]:
    """Real instants with wall time ``day t`` in ``tz`` (0 in a DST gap, 2 when clocks go back)."""
    found: dict[datetime, datetime] = {}
    for fold in (0, 1):
        dt = datetime.combine(day, t, tzinfo=tz).replace(fold=fold)
        utc = to_utc(dt)
        back = utc.astimezone(tz)
        if back.replace(tzinfo=None) == dt.replace(tzinfo=None):
            found[utc] = back
    return [found[k] for k in sorted(found)]


def _clock_time(m: re.Match[str], raw: str) -> time:
    h, mins, secs = int(m["h"]), int(m["m"] or 0), int(m["s"] or 0)
    ampm = (m["ampm"] or "").replace(".", "").lower()
    if m["m"] is None and not ampm:
        raise DoseTimeError(f"{_show(raw)}: give minutes too, e.g. '{h}:00', or add am/pm")
    if ampm:
        if not 1 <= h <= 12:
            raise DoseTimeError(f"{_show(raw)}: with am/pm the hour must be 1-12")
        h = h % 12 + (12 if ampm == "pm" else 0)
    if h > 23 or mins > 59 or secs > 59:
        raise DoseTimeError(f"{_show(raw)} is not a valid time of day")
    return time(h, mins, secs)


def _pick(cands: list[datetime], now: datetime) -> datetime | None:
    """Latest candidate not after now (+ tolerance), or None."""
    ok = [c for c in cands if to_utc(c) <= to_utc(now) + FUTURE_TOLERANCE]
    return ok[-1] if ok else None


def _from_clock(m: re.Match[str], raw: str, now: datetime) -> DoseTime:
    t = _clock_time(m, raw)
    day_word = (m["day"] or "").lower()
    today = now.date()
    gap = f"{_show(raw)} does not exist on that day (clocks went forward)"
    if day_word == "yesterday":
        cands = _wall_candidates(today - timedelta(days=1), t, now.tzinfo)
        if not cands:
            raise DoseTimeError(gap)
        when = _pick(cands, now)
        if when is None:
            raise DoseTimeError(f"{_show(raw)} is in the future")
        return DoseTime(when)
    cands = _wall_candidates(today, t, now.tzinfo)
    if not cands and t <= now.time():
        raise DoseTimeError(gap)  # a time skipped today; later ones fall through to yesterday
    when = _pick(cands, now)
    if when is not None:
        return DoseTime(when)
    if day_word == "today":
        raise DoseTimeError(f"{_show(raw)} is later than now")
    ycands = _wall_candidates(today - timedelta(days=1), t, now.tzinfo)
    if not ycands:
        raise DoseTimeError(gap)
    when = ycands[-1]
    note = f"{t:%H:%M} is later than now, so it means yesterday ({when:%Y-%m-%d %H:%M}); confirm"
    return DoseTime(when, assumed_yesterday=True, note=note)


def _from_ago(m: re.Match[str], raw: str, now: datetime) -> DoseTime:
    if not (m["d"] or m["h"] or m["m"]):
        raise DoseTimeError(f"{_show(raw)}: say how long ago, e.g. '40 min ago'")
    minutes = float(m["d"] or 0) * 1440 + float(m["h"] or 0) * 60 + float(m["m"] or 0)
    if minutes > MAX_LOOKBACK.total_seconds() / 60:
        raise DoseTimeError(f"{_show(raw)} is more than {MAX_LOOKBACK.days} days back")
    return DoseTime(shift(now, -timedelta(minutes=minutes)))


def _from_iso(m: re.Match[str], raw: str, now: datetime) -> DoseTime:
    try:
        day = date(int(m["Y"]), int(m["M"]), int(m["D"]))
        t = time(int(m["h"]), int(m["m"]), int(m["s"] or 0))
    except ValueError:
        raise DoseTimeError(f"{_show(raw)} is not a valid date and time") from None
    days_back = (now.date() - day).days
    if days_back > MAX_LOOKBACK.days + 1:
        raise DoseTimeError(f"{_show(raw)} is more than {MAX_LOOKBACK.days} days back")
    if days_back < -1:
        raise DoseTimeError(f"{_show(raw)} is in the future; a dose time must be now or earlier")
    tz_text = m["tz"]
    if tz_text is None:
        cands = _wall_candidates(day, t, now.tzinfo)
        if not cands:
            raise DoseTimeError(f"{_show(raw)} does not exist on that day (clocks went forward)")
        when = _pick(cands, now) or cands[0]
    else:
        if tz_text.upper() == "Z":
            offset = timedelta(0)
        else:
            digits = tz_text[1:].replace(":", "")
            hh, mm = int(digits[:2]), int(digits[2:])
            if hh > 23 or mm > 59:
                raise DoseTimeError(f"{_show(raw)} has an invalid UTC offset")
            offset = timedelta(hours=hh, minutes=mm) * (-1 if tz_text[0] == "-" else 1)
        when = datetime.combine(day, t, tzinfo=timezone(offset)).astimezone(now.tzinfo)
    return DoseTime(when)


def parse_dose_time(text: str, now: datetime) -> DoseTime:
    """Read a dose time typed by the clinician.

    Args:
        text: What the clinician typed.
        now: The current local time, timezone-aware (the UI samples it from its clock).

    Returns:
        The :class:`DoseTime`, never in the future and at most 14 days back.

    Raises:
        DoseTimeError: With a one-line message when the text cannot be read or is out of range.
    """
    to_utc(now, "now")
    if not isinstance(text, str):
        raise DoseTimeError("dose time must be text")
    raw = " ".join(text.split())
    body = _PREFIX_RE.sub("", raw, count=1).strip()
    if not body:
        raise DoseTimeError(f"no dose time given; {_HINT}")
    if body.lower() in ("now", "just now"):
        result = DoseTime(now)
    elif (m := _AGO_RE.match(body)) is not None:
        result = _from_ago(m, raw, now)
    elif (m := _ISO_RE.match(body)) is not None:
        result = _from_iso(m, raw, now)
    elif (m := _DAY_CLOCK_RE.match(body)) is not None:
        result = _from_clock(m, raw, now)
    else:
        raise DoseTimeError(f"could not read {_show(raw)} as a dose time; {_HINT}")
    ahead = to_utc(result.when) - to_utc(now)
    if ahead > FUTURE_TOLERANCE:
        raise DoseTimeError(f"{_show(raw)} is in the future; a dose time must be now or earlier")
    if ahead > timedelta(0):
        result = DoseTime(now, result.assumed_yesterday, result.note)
    if -ahead > MAX_LOOKBACK:
        raise DoseTimeError(f"{_show(raw)} is more than {MAX_LOOKBACK.days} days back")
    return result
