"""Ketamine-assisted sessions: the dosing record, vitals/presence check-ins, observation sign-off.

Timers count from T0 = ``dosed_at`` (see ``docs/domain.md`` section 3).  Routes, dose units and
vitals ranges come from :mod:`bls_tui.ketamine.dose` and :mod:`bls_tui.ketamine.vitals`, so the
store accepts exactly what those parsers produce; the ranges only catch typing slips.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from bls_tui.ketamine.dose import DOSE_UNITS, MAX_DOSE_AMOUNT, ROUTE_IDS
from bls_tui.ketamine.vitals import (
    DIASTOLIC_RANGE,
    HR_RANGE,
    PRESENCE_SCALES,
    SEDATION_LEVELS,
    SPO2_RANGE,
    SYSTOLIC_RANGE,
    VitalsEntry,
)
from bls_tui.protocol.model import iso_utc, parse_iso
from bls_tui.records.base import (
    InvalidRecordError,
    SessionStateError,
    StoreBase,
    clean_text,
)
from bls_tui.records.types import Medicine

CHECKIN_SCALES: tuple[str, ...] = tuple(PRESENCE_SCALES)
"""Presence scales accepted (the keys of ``vitals.PRESENCE_SCALES``)."""
_RANGES = {
    "systolic": SYSTOLIC_RANGE,
    "diastolic": DIASTOLIC_RANGE,
    "heart_rate": HR_RANGE,
    "spo2": SPO2_RANGE,
}
_SEDATION_IDS = tuple(key for key, _ in SEDATION_LEVELS)


def _stamp_ok(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    try:
        return iso_utc(parse_iso(value))
    except ValueError as exc:
        raise InvalidRecordError(f"{what} must be an ISO-8601 date and time") from exc


def _minutes(value: int | None, what: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRecordError(f"{what} must be whole minutes from {low} to {high}")
    return value


def _check_vitals(readings: Mapping[str, int | None]) -> None:
    for name, value in readings.items():
        low, high = _RANGES[name]
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high
        ):
            raise InvalidRecordError(f"{name} must be a whole number from {low} to {high}")
    systolic, diastolic = readings["systolic"], readings["diastolic"]
    if (systolic is None) != (diastolic is None):
        raise InvalidRecordError("blood pressure needs both systolic and diastolic")
    if systolic is not None and diastolic is not None and diastolic >= systolic:
        raise InvalidRecordError("diastolic pressure must be lower than systolic")


def checked_medicine(
    *,
    route: str,
    dose_amount: float,
    dose_unit: str,
    dosed_at: str | None = None,
    provider: str | None = None,
    screening: Mapping[str, Any] | None = None,
    linked_session_id: int | None = None,
    observation_min: int = 120,
    bp_recheck_min: int | None = 40,
    checkin_interval_min: int | None = None,
    infusion_min: int | None = None,
    last_spray_min: int | None = None,
) -> Medicine:
    """The dosing record as it will be stored, checked (no I/O: callers check before queueing).

    Raises:
        InvalidRecordError: a value the medicine table must not hold, named in one line.
    """
    if route not in ROUTE_IDS:
        raise InvalidRecordError(f"route must be one of: {', '.join(ROUTE_IDS)}")
    if isinstance(dose_amount, bool) or not (
        isinstance(dose_amount, (int, float))
        and math.isfinite(dose_amount)
        and 0 < dose_amount <= MAX_DOSE_AMOUNT
    ):
        raise InvalidRecordError("dose must be a positive number")
    unit = (dose_unit or "").strip().lower()
    if unit not in DOSE_UNITS:
        raise InvalidRecordError(f"dose unit must be one of: {', '.join(DOSE_UNITS)}")
    try:
        blob = json.dumps(dict(screening or {}), sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise InvalidRecordError(f"screening is not JSON-serialisable: {exc}") from exc
    observation = _minutes(observation_min, "observation time", 0, 1440)
    if observation is None:  # the column is NOT NULL
        raise InvalidRecordError("observation time must be whole minutes from 0 to 1440")
    return Medicine(
        route=route,
        dose_amount=float(dose_amount),
        dose_unit=unit,
        dosed_at=_stamp_ok(dosed_at, "dose time"),
        provider=clean_text(provider, "provider"),
        screening=json.loads(blob),
        linked_session_id=linked_session_id,
        observation_min=observation,
        bp_recheck_min=_minutes(bp_recheck_min, "BP recheck", 1, 1440),
        checkin_interval_min=_minutes(checkin_interval_min, "check-in interval", 1, 240),
        infusion_min=_minutes(infusion_min, "infusion length", 1, 1440),
        last_spray_min=_minutes(last_spray_min, "last spray", 0, 1440),
    )


class KetamineMixin(StoreBase):
    """Write side for ketamine-assisted sessions."""

    def save_medicine(self, session_id: int, **fields: Any) -> None:
        """Save (or update) the dosing record; an existing observation sign-off is kept.

        ``fields`` are :func:`checked_medicine`'s (route, dose_amount, dose_unit, dosed_at, ...);
        ``dose_amount``/``dose_unit`` are stored as entered (e.g. 56 and "mg").  Defaults follow
        the Spravato label: BP recheck at T0 + 40 min, observation of at least 120 min.

        Raises:
            InvalidRecordError: a bad value (see :func:`checked_medicine`), or a bad link.
        """
        linked_session_id = fields.get("linked_session_id")
        m = checked_medicine(**fields)
        values = (
            m.route,
            m.dose_amount,
            m.dose_unit,
            m.dosed_at,
            m.provider,
            json.dumps(m.screening, sort_keys=True),
            m.linked_session_id,
            m.observation_min,
            m.bp_recheck_min,
            m.checkin_interval_min,
            m.infusion_min,
            m.last_spray_min,
        )
        with self._tx() as conn:
            self._require(conn, session_id)
            if linked_session_id is not None:
                if linked_session_id == session_id:
                    raise InvalidRecordError("a session cannot be linked to itself")
                self._require(conn, linked_session_id)
            conn.execute(
                "INSERT INTO medicine (session_id, route, dose_amount, dose_unit, dosed_at,"
                " provider, screening, linked_session_id, observation_min, bp_recheck_min,"
                " checkin_interval_min, infusion_min, last_spray_min)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (session_id) DO UPDATE SET route = excluded.route,"
                " dose_amount = excluded.dose_amount, dose_unit = excluded.dose_unit,"
                " dosed_at = excluded.dosed_at, provider = excluded.provider,"
                " screening = excluded.screening, linked_session_id = excluded.linked_session_id,"
                " observation_min = excluded.observation_min,"
                " bp_recheck_min = excluded.bp_recheck_min,"
                " checkin_interval_min = excluded.checkin_interval_min,"
                " infusion_min = excluded.infusion_min, last_spray_min = excluded.last_spray_min",
                (session_id, *values),
            )

    def add_checkin(
        self,
        session_id: int,
        *,
        systolic: int | None = None,
        diastolic: int | None = None,
        heart_rate: int | None = None,
        spo2: int | None = None,
        presence: float | None = None,
        presence_scale: str = "numeric",
        sedation: str | None = None,
        note: str | None = None,
        flags: Iterable[str] = (),
        at: str | None = None,
    ) -> None:
        """Record one vitals/presence check-in.

        ``presence`` is 0-10 on ``presence_scale`` (a key of ``vitals.PRESENCE_SCALES``, which
        also says which end means present); ``sedation`` an id from ``vitals.SEDATION_LEVELS``;
        ``flags`` the highlight texts from ``vitals.flags()``.
        """
        _check_vitals(
            {"systolic": systolic, "diastolic": diastolic, "heart_rate": heart_rate, "spo2": spo2}
        )
        if presence_scale not in CHECKIN_SCALES:
            raise InvalidRecordError(f"presence scale must be one of: {', '.join(CHECKIN_SCALES)}")
        if presence is not None and (
            isinstance(presence, bool)
            or not isinstance(presence, (int, float))
            or not (math.isfinite(presence) and 0 <= presence <= 10)
        ):
            raise InvalidRecordError("presence must be a number from 0 to 10")
        if sedation is not None and sedation not in _SEDATION_IDS:
            raise InvalidRecordError(f"sedation must be one of: {', '.join(_SEDATION_IDS)}")
        stored = [clean_text(f, "flag") or "" for f in flags]
        if any(not f or len(f) > 200 for f in stored):
            raise InvalidRecordError("each flag must be 1-200 characters")
        with self._tx() as conn:
            self._require(conn, session_id)
            conn.execute(
                "INSERT INTO checkins (session_id, at, systolic, diastolic, heart_rate, spo2,"
                " presence, presence_scale, sedation, note, flags)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    self._stamp(at),
                    systolic,
                    diastolic,
                    heart_rate,
                    spo2,
                    None if presence is None else float(presence),
                    presence_scale,
                    sedation,
                    clean_text(note, "note") or None,
                    json.dumps(stored),
                ),
            )

    def add_vitals(
        self,
        session_id: int,
        entry: VitalsEntry,
        *,
        flags: Iterable[str] = (),
        at: str | None = None,
    ) -> None:
        """Record a :class:`~bls_tui.ketamine.vitals.VitalsEntry` (pass ``vitals.flags(entry)``)."""
        self.add_checkin(
            session_id,
            systolic=entry.systolic,
            diastolic=entry.diastolic,
            heart_rate=entry.hr,
            spo2=entry.spo2,
            presence=entry.presence,
            presence_scale=entry.presence_scale,
            sedation=entry.sedation,
            note=entry.note,
            flags=flags,
            at=at,
        )

    def confirm_observation(
        self, session_id: int, *, at: str | None = None, early: bool = False
    ) -> str:
        """Record the clinician's sign-off that observation after dosing is complete.

        Raises:
            SessionStateError: no dosing record, or the observation window has not ended yet
                (pass ``early=True`` if the clinician confirms earlier on purpose).
        """
        stamp = self._stamp(at)
        with self._tx() as conn:
            self._require(conn, session_id)
            row = conn.execute(
                "SELECT dosed_at, observation_min FROM medicine WHERE session_id = ?",
                (session_id,),
            ).fetchone()
            if row is None:
                raise SessionStateError(f"no medicine recorded for session {session_id}")
            if row["dosed_at"] is not None and not early:
                ends = parse_iso(row["dosed_at"]) + timedelta(minutes=row["observation_min"])
                if parse_iso(stamp) < ends:
                    raise SessionStateError(
                        f"observation runs until {ends:%H:%M} UTC ({row['observation_min']} min"
                        " after dosing); confirm after that or confirm early on purpose"
                    )
            conn.execute(
                "UPDATE medicine SET observation_confirmed_at = ? WHERE session_id = ?",
                (stamp, session_id),
            )
        return stamp
