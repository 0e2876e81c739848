"""The EMDR protocol as data, rating validation and a pure session state machine.

Nothing here does I/O.  Monotonic times (``now``) come from a :class:`~bls_tui.stimulus.clock.Clock`
and wall-clock stamps from an injectable ``wall()`` returning an aware UTC ``datetime``, so the
whole model is testable with fake times.  Prompt texts are our own paraphrases of the standard
procedure (see ``docs/domain.md`` section 1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

# Re-exported here: the texts live in protocol_text to keep this module small.
from bls_tui.protocol.text import *  # noqa: F403
from bls_tui.protocol.text import PHASE_IDS, PHASES, Phase
from bls_tui.safety.text import safe_inline

SessionKind = Literal["standard", "ketamine", "integration"]
SESSION_KINDS: tuple[SessionKind, ...] = ("standard", "ketamine", "integration")
"""``integration``: the sessions after a medicine session (notes, measures, optional BLS),
linked to its dose without a dose of their own."""

PRESET_NAMES = ("resource", "standard", "installation", "gentle", "eyes-closed")
"""Preset names this module may suggest (defined in the preset module)."""

MAX_PLANNED_MIN = 600
MAX_TARGET_LEN = 200
SAME_SITTING_S = 3600.0
"""A resume within this many seconds of the interruption counts the gap as session time."""


_BY_ID = {p.id: p for p in PHASES}


def phase_by_id(phase_id: str) -> Phase:
    """Return the phase with this id, or raise ``ValueError`` naming the valid ids."""
    try:
        return _BY_ID[phase_id]
    except KeyError:
        raise ValueError(
            f"unknown phase {phase_id!r} (expected one of: {', '.join(PHASE_IDS)})"
        ) from None


def suggested_preset(phase_id: str, kind: SessionKind = "standard") -> str | None:
    """Preset to offer for a phase; ketamine sessions get ``"gentle"`` wherever BLS is used."""
    phase = phase_by_id(phase_id)
    if not phase.uses_bls:
        return None
    return "gentle" if kind == "ketamine" else phase.preset


class RatingError(ValueError):
    """A SUD/VOC/BHS entry that is not a whole number in range."""


_WHOLE = re.compile(r"[0-9]{1,2}", re.ASCII)


def _parse_scale(text: str, name: str, low: int, high: int) -> int | None:
    stripped = text.strip()
    if not stripped:
        return None
    if _WHOLE.fullmatch(stripped) is None or not low <= int(stripped) <= high:
        raise RatingError(f"{name} must be a whole number from {low} to {high}")
    return int(stripped)


def parse_sud(text: str) -> int | None:
    """Parse a SUD rating (0-10); empty input means "not rated" (None)."""
    return _parse_scale(text, "SUD", 0, 10)


def parse_voc(text: str) -> int | None:
    """Parse a VOC rating (1-7); empty input means "not rated" (None)."""
    return _parse_scale(text, "VOC", 1, 7)


def parse_bhs(text: str) -> int | None:
    """Parse a Back of the Head Scale position as 0-10 (0 = in front of the face, fully present)."""
    return _parse_scale(text, "BHS", 0, 10)


class ClientCodeError(ValueError):
    """A client code that is not a pseudonym code."""


_CLIENT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}", re.ASCII)


def validate_client_code(code: str) -> str:
    """Return ``code`` if it is a pseudonym code (1-32 letters, digits, '-', '_').

    Raises:
        ClientCodeError: for anything else, with a message asking for a pseudonym code.
    """
    if any(ch.isspace() for ch in code.strip()):
        raise ClientCodeError(
            "client code contains a space and may be a real name; use a pseudonym code "
            "such as C-014 (letters, digits, '-' and '_', up to 32 characters)"
        )
    if _CLIENT_CODE.fullmatch(code) is None:
        raise ClientCodeError(
            "client code must be a pseudonym code of 1-32 letters, digits, '-' and '_', "
            "starting with a letter or digit (for example C-014)"
        )
    return code


def validate_target_label(label: str) -> str:
    """Return a stripped target label, or raise ``ValueError`` if it is too long or multi-line."""
    label = label.strip()
    if len(label) > MAX_TARGET_LEN or "\n" in label or "\r" in label:
        raise ValueError(f"target label must be one line of at most {MAX_TARGET_LEN} characters")
    if safe_inline(label) != label:
        raise ValueError("target label must not hold control or text-direction characters")
    return label


def utc_now() -> datetime:
    """Current wall-clock time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def iso_utc(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds, e.g. ``2025-03-02T10:00:00.000+00:00``."""
    if moment.tzinfo is None:
        raise ValueError("wall-clock times must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def from_iso(text: str) -> datetime:
    """``datetime.fromisoformat`` that also takes a ``Z`` for UTC on Python 3.10 (3.11 does)."""
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


def parse_iso(text: str) -> datetime:
    """Parse a stamp written by :func:`iso_utc` (naive input is taken as UTC)."""
    moment = from_iso(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class PhaseVisit:
    """One stay in a phase; ``left_at``/``seconds`` are None while the visit is open."""

    phase: str
    entered_at: str
    left_at: str | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class PhaseChange:
    """Result of moving between phases: the visit that closed and the one that opened."""

    left: PhaseVisit
    entered: PhaseVisit


@dataclass(frozen=True)
class ResumePoint:
    """What a :class:`SessionModel` needs to carry on after an interruption."""

    client_code: str
    kind: SessionKind
    planned_min: int
    target_label: str
    phase: str
    started_wall: str
    elapsed_s: float
    phase_seconds: Mapping[str, float] = field(default_factory=dict)
    set_counts: Mapping[str, int] = field(default_factory=dict)
    last_set_number: int = 0
    interrupted_at: str | None = None


class SessionModel:
    """Pure state of one running session: phase, clocks and set counts.

    Every method that depends on time takes ``now`` (monotonic seconds); times must not go
    backwards.  Wall-clock stamps for the record store come from ``wall()``.
    """

    def __init__(
        self,
        client_code: str,
        kind: SessionKind,
        planned_min: int,
        now: float,
        *,
        target_label: str = "",
        phase: str = "history",
        wall: Callable[[], datetime] = utc_now,
    ) -> None:
        if kind not in SESSION_KINDS:
            raise ValueError(f"session kind must be one of: {', '.join(SESSION_KINDS)}")
        if isinstance(planned_min, bool) or not 1 <= planned_min <= MAX_PLANNED_MIN:
            raise ValueError(f"planned length must be 1 to {MAX_PLANNED_MIN} minutes")
        self.client_code = validate_client_code(client_code)
        self.kind: SessionKind = kind
        self.planned_min = int(planned_min)
        self.target_label = validate_target_label(target_label)
        self.wall = wall
        self.started_at = now
        self.started_wall = iso_utc(wall())
        self.phase_index = PHASE_IDS.index(phase_by_id(phase).id)
        self._last_now = now
        self._entered_at = now
        self._entered_wall = self.started_wall
        self._seconds: dict[str, float] = {}
        self._sets: dict[str, int] = {}
        self.last_set_number = 0
        self.last_set_at: float | None = None

    @classmethod
    def resume(
        cls, point: ResumePoint, now: float, *, wall: Callable[[], datetime] = utc_now
    ) -> SessionModel:
        """Rebuild a model after an interruption, continuing at ``point.phase``.

        The session clock continues from ``point.elapsed_s``; if the resume happens within
        :data:`SAME_SITTING_S` of ``point.interrupted_at`` the gap is counted too, since the
        client was still in the room.
        """
        model = cls(
            point.client_code,
            point.kind,
            point.planned_min,
            now,
            target_label=point.target_label,
            phase=point.phase,
            wall=wall,
        )
        elapsed = max(0.0, point.elapsed_s)
        if point.interrupted_at is not None:
            gap = (wall() - parse_iso(point.interrupted_at)).total_seconds()
            if 0 <= gap <= SAME_SITTING_S:
                elapsed += gap
        model.started_at = now - elapsed
        model.started_wall = point.started_wall
        model._seconds = dict(point.phase_seconds)
        model._sets = dict(point.set_counts)
        model.last_set_number = point.last_set_number
        return model

    def _tick(self, now: float) -> None:
        if now < self._last_now:
            raise ValueError("monotonic time went backwards")
        self._last_now = now

    @property
    def phase(self) -> Phase:
        """The current phase."""
        return PHASES[self.phase_index]

    @property
    def suggested_preset(self) -> str | None:
        """Preset to offer for the current phase and session kind."""
        return suggested_preset(self.phase.id, self.kind)

    def elapsed(self, now: float) -> float:
        """Seconds since the session started."""
        self._tick(now)
        return now - self.started_at

    def time_left(self, now: float) -> float:
        """Seconds left of the planned length (negative once over time)."""
        return self.planned_min * 60.0 - self.elapsed(now)

    def closure_due(self, now: float, margin_s: float = 900.0) -> bool:
        """True once time left <= ``margin_s`` while the session is still before closure."""
        before_closure = self.phase_index < PHASE_IDS.index("closure")
        return before_closure and self.time_left(now) <= margin_s

    def time_in_phase(self, now: float) -> float:
        """Seconds in the current visit of the current phase."""
        self._tick(now)
        return now - self._entered_at

    def phase_seconds(self, now: float) -> dict[str, float]:
        """Total seconds per phase id, including the open visit (revisits accumulate)."""
        totals = dict(self._seconds)
        pid = self.phase.id
        totals[pid] = totals.get(pid, 0.0) + self.time_in_phase(now)
        return totals

    def current_visit(self) -> PhaseVisit:
        """The open visit of the current phase (record it when it starts)."""
        return PhaseVisit(self.phase.id, self._entered_wall)

    def go_to(self, phase_id: str, now: float) -> PhaseChange:
        """Leave the current phase and enter ``phase_id`` (any phase, e.g. back to 4 from 6)."""
        target = PHASE_IDS.index(phase_by_id(phase_id).id)
        if target == self.phase_index:
            raise ValueError(f"already in phase {self.phase.name}")
        spent = self.time_in_phase(now)
        left_wall = iso_utc(self.wall())
        old = self.phase.id
        self._seconds[old] = self._seconds.get(old, 0.0) + spent
        left = PhaseVisit(old, self._entered_wall, left_wall, spent)
        self.phase_index = target
        self._entered_at = now
        self._entered_wall = left_wall
        return PhaseChange(left, self.current_visit())

    def finish(self, now: float) -> PhaseVisit:
        """Close the current visit at the end of the session and return it for the record."""
        spent = self.time_in_phase(now)
        pid = self.phase.id
        self._seconds[pid] = self._seconds.get(pid, 0.0) + spent
        left_wall = iso_utc(self.wall())
        visit = PhaseVisit(pid, self._entered_wall, left_wall, spent)
        self._entered_at, self._entered_wall = now, left_wall
        return visit

    def next_phase(self, now: float) -> PhaseChange:
        """Move to the next phase; raises ``ValueError`` at the last phase."""
        if self.phase_index + 1 >= len(PHASES):
            raise ValueError("already at the last phase")
        return self.go_to(PHASE_IDS[self.phase_index + 1], now)

    def prev_phase(self, now: float) -> PhaseChange:
        """Move to the previous phase; raises ``ValueError`` at the first phase."""
        if self.phase_index == 0:
            raise ValueError("already at the first phase")
        return self.go_to(PHASE_IDS[self.phase_index - 1], now)

    def sets_in_phase(self, phase_id: str | None = None) -> int:
        """Sets counted in ``phase_id`` (default: the current phase)."""
        return self._sets.get(phase_id or self.phase.id, 0)

    @property
    def total_sets(self) -> int:
        """Sets counted in this session, all phases."""
        return sum(self._sets.values())

    @property
    def next_set_number(self) -> int:
        """Session-wide number the next set will get (1-based)."""
        return self.last_set_number + 1

    def count_set(self, now: float) -> int:
        """Count a finished set in the current phase and return its session-wide number."""
        self._tick(now)
        pid = self.phase.id
        self._sets[pid] = self._sets.get(pid, 0) + 1
        self.last_set_number += 1
        self.last_set_at = now
        return self.last_set_number

    def since_last_set(self, now: float) -> float | None:
        """Seconds since the last counted set ended, or None before the first set."""
        self._tick(now)
        return None if self.last_set_at is None else now - self.last_set_at
