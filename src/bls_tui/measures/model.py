"""What an instrument is, how its answers are checked and scored, and which answers raise alerts.

An answer set is one value (or ``None``, not answered yet) per item, in item order.  Only a
finished set (every item answered) is ever scored: :func:`score` refuses anything else.
Alerts (:func:`alerts_for`) do not wait for the set to be finished: an answer that raises one
raises it as soon as it is given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

SCREENING_NOTE = "screening, not diagnosis"
"""Shown with every measure (issue 16): a score is a screening result, never a diagnosis."""

Scoring = Literal["sum", "mean"]
SCORINGS: tuple[Scoring, ...] = ("sum", "mean")

Answers = Sequence[int | None]


class MeasureError(ValueError):
    """An answer set or definition that cannot be used; the message is one line."""


class UnfinishedError(MeasureError):
    """Scoring was asked for an answer set with items not answered (it is never scored)."""


@dataclass(frozen=True)
class Scale:
    """The response scale: whole numbers from ``low`` to ``high`` in steps of ``step``."""

    low: int
    high: int
    step: int = 1
    labels: tuple[str, ...] = ()
    """One label per allowed value, in order (empty: the values have no labels)."""

    def values(self) -> tuple[int, ...]:
        """Every allowed answer, lowest first."""
        return tuple(range(self.low, self.high + 1, self.step))

    def label(self, value: int) -> str:
        """The label of ``value`` (empty when the scale has none)."""
        values = self.values()
        if self.labels and value in values:
            return self.labels[values.index(value)]
        return ""

    def describe(self) -> str:
        """The scale in one line, e.g. ``0 Not at all · 1 Several days · ...``."""
        if self.labels:
            return " · ".join(
                f"{v} {lab}" for v, lab in zip(self.values(), self.labels, strict=True)
            )
        step = f" in steps of {self.step}" if self.step != 1 else ""
        return f"{self.low} to {self.high}{step}"


@dataclass(frozen=True)
class Band:
    """A published (or, for a custom measure, the clinician's own) range of the total."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Subscale:
    """Items summed (or averaged, as the instrument is) into a part score."""

    id: str
    name: str
    items: tuple[int, ...]
    """Item numbers, 1-based."""


@dataclass(frozen=True)
class Cutoff:
    """A published cut-off, shown with its source; ``flag_at`` marks totals at or above it."""

    text: str
    source: str
    flag_at: float | None = None
    """Totals at or above this are flagged with ``text`` (None: the cut-off is only shown)."""


@dataclass(frozen=True)
class AlertRule:
    """An answer above ``above`` to item ``item`` raises an alert the clinician acknowledges."""

    kind: str
    item: int
    above: int
    message: str


@dataclass(frozen=True)
class RaisedAlert:
    """An alert raised by an answer set."""

    kind: str
    item: int
    value: int
    message: str


@dataclass(frozen=True)
class Instrument:
    """One instrument: its items, scale, scoring rule and the sources of everything shown."""

    id: str
    name: str
    version: str
    timeframe: str
    instructions: str
    items: tuple[str, ...]
    """Item wording, in order; for an instrument whose text is not shipped, ``Item N``."""
    scale: Scale
    scoring: Scoring = "sum"
    subscales: tuple[Subscale, ...] = ()
    bands: tuple[Band, ...] = ()
    band_source: str = ""
    cutoff: Cutoff | None = None
    alerts: tuple[AlertRule, ...] = ()
    source: str = ""
    """Citation of the instrument."""
    terms: str = ""
    """Its terms of use, as checked (licence, public domain, permission)."""
    attribution: str = ""
    """The line shown wherever its text is shown, when its authors ask for one."""
    item_text: bool = True
    """False when the item wording is not shipped (the clinician enters values by number)."""
    builtin: bool = True
    decimals: int = 0
    """Decimals of the total as shown (a mean has 1)."""
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def length(self) -> int:
        """Number of items."""
        return len(self.items)

    def total_range(self) -> tuple[float, float]:
        """The lowest and highest total a finished answer set can have."""
        if self.scoring == "mean":
            return float(self.scale.low), float(self.scale.high)
        return float(self.scale.low * self.length), float(self.scale.high * self.length)

    def show_total(self, total: float) -> str:
        """The total as shown (``12``, ``23.6``)."""
        return f"{total:.{self.decimals}f}"


@dataclass(frozen=True)
class Scored:
    """The result of scoring a finished answer set."""

    total: float
    subscores: dict[str, float]
    band: str | None
    flags: tuple[str, ...] = ()


def check_answers(instrument: Instrument, answers: Answers) -> list[int | None]:
    """The answers as a list, each ``None`` or an allowed value of the scale.

    Raises:
        MeasureError: the wrong number of answers, or a value not on the scale (names the item).
    """
    if len(answers) != instrument.length:
        raise MeasureError(
            f"{instrument.name} has {instrument.length} items; {len(answers)} answers were given"
        )
    allowed = instrument.scale.values()
    checked: list[int | None] = []
    for number, value in enumerate(answers, start=1):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value not in allowed
        ):
            raise MeasureError(
                f"{instrument.name} item {number}: {value!r} is not on the scale "
                f"({instrument.scale.describe()})"
            )
        checked.append(value)
    return checked


def is_finished(instrument: Instrument, answers: Answers) -> bool:
    """True when every item has an allowed answer."""
    return all(v is not None for v in check_answers(instrument, answers))


def unanswered(answers: Answers) -> list[int]:
    """Item numbers (1-based) not answered yet."""
    return [n for n, v in enumerate(answers, start=1) if v is None]


def _combine(instrument: Instrument, values: Sequence[int]) -> float:
    if instrument.scoring == "mean":
        return math.fsum(values) / len(values)
    return float(sum(values))


def score(instrument: Instrument, answers: Answers) -> Scored:
    """Score a finished answer set by the instrument's published rule.

    Raises:
        UnfinishedError: an item is not answered (an unfinished set is never scored).
        MeasureError: a value is not on the scale, or the count is wrong.
    """
    checked = check_answers(instrument, answers)
    missing = unanswered(checked)
    if missing:
        shown = ", ".join(str(n) for n in missing[:8]) + (" ..." if len(missing) > 8 else "")
        raise UnfinishedError(
            f"{instrument.name} is unfinished (item {shown} not answered); it is not scored"
        )
    values = [v for v in checked if v is not None]
    total = _combine(instrument, values)
    subscores = {
        sub.id: _combine(instrument, [values[i - 1] for i in sub.items])
        for sub in instrument.subscales
    }
    band = next((b.label for b in instrument.bands if b.low <= total <= b.high), None)
    flags: tuple[str, ...] = ()
    cut = instrument.cutoff
    if cut is not None and cut.flag_at is not None and total >= cut.flag_at:
        flags = (cut.text,)
    return Scored(total=total, subscores=subscores, band=band, flags=flags)


def alerts_for(instrument: Instrument, answers: Answers) -> list[RaisedAlert]:
    """Alerts the answers given so far raise (finished or not)."""
    checked = check_answers(instrument, answers)
    raised = []
    for rule in instrument.alerts:
        value = checked[rule.item - 1] if 0 < rule.item <= len(checked) else None
        if value is not None and value > rule.above:
            raised.append(RaisedAlert(rule.kind, rule.item, value, rule.message))
    return raised
