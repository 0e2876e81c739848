"""Check-in vitals for ketamine-assisted sessions: parse, validate, and highlight.

Every value is optional.  Ranges are plausibility checks against typing mistakes, not clinical
limits.  :func:`flags` only names values outside the clinician's thresholds: highlights for the
clinician, never a decision by the app.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

__all__ = [
    "DIASTOLIC_RANGE",
    "HR_RANGE",
    "MAX_NOTE_CHARS",
    "PRESENCE_SCALES",
    "SEDATION_LEVELS",
    "SEDATION_SCORES",
    "SPO2_RANGE",
    "SYSTOLIC_RANGE",
    "Thresholds",
    "VitalsEntry",
    "VitalsError",
    "checkin_values_words",
    "flags",
    "parse_bp",
    "parse_vitals",
    "sedation_from_score",
]

SYSTOLIC_RANGE = (50, 260)
DIASTOLIC_RANGE = (30, 160)
HR_RANGE = (20, 250)
SPO2_RANGE = (50, 100)
MAX_NOTE_CHARS = 2000

PRESENCE_SCALES: dict[str, str] = {
    "numeric": "clinician's own 0–10 presence scale: 10 = fully present, 0 = not present",
    "bhs": "Back of the Head Scale position, 0 = at the face (present) to 10 = back of the head",
}

SEDATION_LEVELS: tuple[tuple[str, str], ...] = (
    ("alert", "alert, answers normally"),
    ("drowsy", "drowsy, answers when spoken to normally"),
    ("voice", "sedated, responds only to a loud or repeated voice"),
    ("touch", "responds only to touch or a gentle shake"),
    ("unresponsive", "no response to voice or touch"),
)
"""An ordinal loosely modelled on the MOAA/S sedation scale, in our own words (not MOAA/S)."""

SEDATION_SCORES: dict[str, int] = {
    "alert": 5,
    "drowsy": 4,
    "voice": 3,
    "touch": 2,
    "unresponsive": 0,
}
"""Each level as a number on the store's 0–5 sedation column (5 = alert, the MOAA/S top end).

Our scale has no painful-stimulus step, so 1 is never produced; read back, 1 and 0 both mean
"unresponsive".
"""

_SEDATION_LOOKUP = {k: k for k, _ in SEDATION_LEVELS} | {v: k for k, v in SEDATION_LEVELS}
_F = re.IGNORECASE | re.ASCII
_BP_RE = re.compile(r"^(?:bp\b\s*:?\s*)?([0-9]{1,4})\s*/\s*([0-9]{1,4})\s*(?:mm\s*hg)?$", _F)
_UNIT_RE = re.compile(r"\s*(?:mm\s*hg|bpm|/\s*min|%)$", _F)
_NUM_RE = re.compile(r"[0-9]{1,4}(?:\.[0-9]+)?", _F)


class VitalsError(ValueError):
    """A vitals value that cannot be read or is implausible; one-line message."""


def _show(text: str) -> str:
    return repr(text if len(text) <= 30 else text[:27] + "...")


def _in_range(value: float, name: str, unit: str, rng: tuple[int, int]) -> None:
    lo, hi = rng
    if not lo <= value <= hi:
        raise VitalsError(f"{name} {value:g}{unit} is outside the plausible range {lo}–{hi}{unit}")


def _whole(text: str, name: str, unit: str, rng: tuple[int, int]) -> int | None:
    """Read one whole-number field ('' -> None); ``unit`` is the display unit, e.g. ' mmHg'."""
    raw = text.strip()
    if not raw:
        return None
    if "/" in raw and name in ("systolic", "diastolic"):
        raise VitalsError(
            f"{name}: {_show(raw)} looks like a whole BP; enter the two numbers separately "
            "or use the BP field"
        )
    body = _UNIT_RE.sub("", raw)
    if body.startswith("-"):
        raise VitalsError(f"{name} cannot be negative (got {_show(raw)})")
    if not _NUM_RE.fullmatch(body):
        raise VitalsError(f"{name}: {_show(raw)} is not a number (expected {unit.strip()})")
    if "." in body:
        raise VitalsError(f"{name}: give a whole number in {unit.strip()} (got {_show(raw)})")
    value = int(body)
    _in_range(value, name, unit, rng)
    return value


def parse_bp(text: str) -> tuple[int, int]:
    """Read ``"150/95"``, ``"BP 150/95"`` or ``"150 / 95 mmHg"`` as (systolic, diastolic)."""
    m = _BP_RE.match(text.strip())
    if m is None:
        raise VitalsError(f"BP: {_show(text.strip())} is not systolic/diastolic, e.g. 120/80")
    sys_, dia = int(m[1]), int(m[2])
    _in_range(sys_, "systolic", " mmHg", SYSTOLIC_RANGE)
    _in_range(dia, "diastolic", " mmHg", DIASTOLIC_RANGE)
    if dia >= sys_:
        raise VitalsError(f"diastolic {dia} must be below systolic {sys_} mmHg")
    return sys_, dia


@dataclass(frozen=True)
class VitalsEntry:
    """One check-in.  All values optional; construction validates them.

    Attributes:
        systolic: mmHg.
        diastolic: mmHg (below systolic; BP needs both).
        hr: Heart rate, bpm.
        spo2: Oxygen saturation, %.
        presence: Whole number 0–10 on ``presence_scale`` (see :data:`PRESENCE_SCALES`).
        presence_scale: ``"numeric"`` or ``"bhs"``.
        sedation: An id from :data:`SEDATION_LEVELS`.
        note: Short free text.
    """

    systolic: int | None = None
    diastolic: int | None = None
    hr: int | None = None
    spo2: int | None = None
    presence: int | None = None
    presence_scale: str = "numeric"
    sedation: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        checks = (
            ("systolic", "systolic", " mmHg", SYSTOLIC_RANGE),
            ("diastolic", "diastolic", " mmHg", DIASTOLIC_RANGE),
            ("hr", "HR", " bpm", HR_RANGE),
            ("spo2", "SpO2", "%", SPO2_RANGE),
        )
        for attr, name, unit, rng in checks:
            v = getattr(self, attr)
            if v is None:
                continue
            if not isinstance(v, int) or isinstance(v, bool):
                raise VitalsError(f"{name} must be a whole number in {unit.strip()}")
            _in_range(v, name, unit, rng)
        if (self.systolic is None) != (self.diastolic is None):
            missing = "diastolic" if self.diastolic is None else "systolic"
            raise VitalsError(f"BP needs both numbers: {missing} is missing")
        s, d = self.systolic, self.diastolic
        if s is not None and d is not None and d >= s:
            raise VitalsError(f"diastolic {d} must be below systolic {s} mmHg")
        if self.presence_scale not in PRESENCE_SCALES:
            raise VitalsError(f"presence scale must be one of {', '.join(PRESENCE_SCALES)}")
        if self.presence is not None:
            p = self.presence
            if not isinstance(p, int) or isinstance(p, bool) or not 0 <= p <= 10:
                raise VitalsError(
                    f"presence rating must be a whole number from 0 to 10 (got {p!r})"
                )
        if self.sedation is not None and self.sedation not in SEDATION_SCORES:
            ids = ", ".join(k for k, _ in SEDATION_LEVELS)
            raise VitalsError(f"sedation level must be one of {ids}")
        if not isinstance(self.note, str) or len(self.note) > MAX_NOTE_CHARS:
            raise VitalsError(f"note must be text of at most {MAX_NOTE_CHARS} characters")

    @property
    def is_empty(self) -> bool:
        """True if nothing at all was entered."""
        return self == VitalsEntry(presence_scale=self.presence_scale)

    @property
    def sedation_score(self) -> int | None:
        """The sedation level on the store's 0–5 column (see :data:`SEDATION_SCORES`)."""
        return None if self.sedation is None else SEDATION_SCORES[self.sedation]

    def to_dict(self) -> dict[str, object]:
        """Plain dict for storage."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> VitalsEntry:
        """Rebuild from :meth:`to_dict` output; unknown keys raise :class:`VitalsError`."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise VitalsError(f"unknown vitals field(s): {', '.join(sorted(unknown))}")
        return cls(**data)  # type: ignore[arg-type]  # __post_init__ checks every type


def _presence(text: str) -> int | None:
    raw = text.strip()
    if not raw:
        return None
    if raw.startswith("-"):
        raise VitalsError(f"presence rating cannot be negative (got {_show(raw)})")
    if not _NUM_RE.fullmatch(raw):
        raise VitalsError(f"presence rating: {_show(raw)} is not a number from 0 to 10")
    if "." in raw:
        raise VitalsError(f"presence rating: give a whole number from 0 to 10 (got {_show(raw)})")
    value = int(raw)
    if value > 10:
        raise VitalsError(f"presence rating {value} must be from 0 to 10")
    return value


def sedation_from_score(score: int | None) -> str | None:
    """The level id for a stored 0–5 score (1 and 0 both read as ``"unresponsive"``)."""
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
        raise VitalsError(f"sedation score must be a whole number from 0 to 5 (got {score!r})")
    return {5: "alert", 4: "drowsy", 3: "voice", 2: "touch"}.get(score, "unresponsive")


def _sedation(text: str) -> str | None:
    raw = " ".join(text.split()).lower()
    if not raw:
        return None
    if raw not in _SEDATION_LOOKUP:
        ids = ", ".join(k for k, _ in SEDATION_LEVELS)
        raise VitalsError(f"sedation: {_show(raw)} is not one of {ids}")
    return _SEDATION_LOOKUP[raw]


def parse_vitals(
    *,
    bp: str = "",
    systolic: str = "",
    diastolic: str = "",
    hr: str = "",
    spo2: str = "",
    presence: str = "",
    presence_scale: str = "numeric",
    sedation: str = "",
    note: str = "",
) -> VitalsEntry:
    """Read a check-in from text fields ('' = not taken).

    ``bp`` is a convenience single field ("BP 150/95"); use it or ``systolic`` + ``diastolic``.

    Raises:
        VitalsError: One line naming the field, the value and the expected unit or range.
    """
    sys_v: int | None
    dia_v: int | None
    if bp.strip():
        if systolic.strip() or diastolic.strip():
            raise VitalsError("enter BP either in the BP field or as systolic and diastolic")
        sys_v, dia_v = parse_bp(bp)
    else:
        sys_v = _whole(systolic, "systolic", " mmHg", SYSTOLIC_RANGE)
        dia_v = _whole(diastolic, "diastolic", " mmHg", DIASTOLIC_RANGE)
    return VitalsEntry(
        systolic=sys_v,
        diastolic=dia_v,
        hr=_whole(hr, "HR", " bpm", HR_RANGE),
        spo2=_whole(spo2, "SpO2", "%", SPO2_RANGE),
        presence=_presence(presence),
        presence_scale=presence_scale.strip().lower(),
        sedation=_sedation(sedation),
        note=note.strip(),
    )


@dataclass(frozen=True)
class Thresholds:
    """Clinician-configured highlight thresholds (None switches one off).

    Defaults: BP above 140/90 (the Spravato pre-dose figure [34]), SpO2 below 94 %, HR above 120
    or below 50 bpm.  Clinic-configurable engineering defaults, not medical advice.
    """

    systolic_above: int | None = 140
    diastolic_above: int | None = 90
    spo2_below: int | None = 94
    hr_above: int | None = 120
    hr_below: int | None = 50

    def __post_init__(self) -> None:
        limits = {
            "systolic_above": SYSTOLIC_RANGE,
            "diastolic_above": DIASTOLIC_RANGE,
            "spo2_below": SPO2_RANGE,
            "hr_above": HR_RANGE,
            "hr_below": HR_RANGE,
        }
        for name, (lo, hi) in limits.items():
            v = getattr(self, name)
            if v is None:
                continue
            if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
                raise VitalsError(f"threshold {name} must be a whole number from {lo} to {hi}")
        if (
            self.hr_above is not None
            and self.hr_below is not None
            and self.hr_below >= self.hr_above
        ):
            raise VitalsError("threshold hr_below must be lower than hr_above")


def flags(entry: VitalsEntry, thresholds: Thresholds | None = None) -> list[str]:
    """Name the values outside ``thresholds`` (highlights only; the app decides nothing)."""
    t = thresholds or Thresholds()
    out: list[str] = []
    s, d = entry.systolic, entry.diastolic
    if s is not None and d is not None:
        s_hi = t.systolic_above is not None and s > t.systolic_above
        d_hi = t.diastolic_above is not None and d > t.diastolic_above
        if s_hi or d_hi:
            limit = "/".join(
                "–" if v is None else str(v) for v in (t.systolic_above, t.diastolic_above)
            )
            out.append(f"BP {s}/{d} above {limit}")
    if entry.spo2 is not None and t.spo2_below is not None and entry.spo2 < t.spo2_below:
        out.append(f"SpO2 {entry.spo2}% below {t.spo2_below}%")
    if entry.hr is not None:
        if t.hr_above is not None and entry.hr > t.hr_above:
            out.append(f"HR {entry.hr} bpm above {t.hr_above} bpm")
        if t.hr_below is not None and entry.hr < t.hr_below:
            out.append(f"HR {entry.hr} bpm below {t.hr_below} bpm")
    return out


def checkin_values_words(
    *,
    systolic: int | None,
    diastolic: int | None,
    hr: int | None,
    spo2: int | None,
    presence: float | None,
    presence_scale: str,
    sedation: str | None,
) -> list[str]:
    """The values of a check-in as entered, one part each: ``BP 152/96``, ``HR 88``,
    ``SpO2 97 %``, ``presence 8 (numeric)``, ``alert, answers normally`` (nothing else; the
    session screen's "check-in saved" and the session summary say them alike)."""
    parts = []
    if systolic is not None and diastolic is not None:
        parts.append(f"BP {systolic}/{diastolic}")
    if hr is not None:
        parts.append(f"HR {hr}")
    if spo2 is not None:
        parts.append(f"SpO2 {spo2} %")
    if presence is not None:
        parts.append(f"presence {presence:g} ({presence_scale})")
    if sedation:
        parts.append(dict(SEDATION_LEVELS).get(sedation, sedation))
    return parts
