"""Entering a measure item by item: where the clinician is, what is answered, what needs seeing.

The form screen shows this model and sends it keys; nothing of the entry lives in widgets.
Scales whose values are all single digits take one key per answer; others (DES-II: 0-100 in
steps of 10) collect digits until the value is complete or enter is pressed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bls_tui.measures.model import (
    Instrument,
    RaisedAlert,
    Scored,
    alerts_for,
    check_answers,
    score,
    unanswered,
)


@dataclass
class Entry:
    """One measure being entered."""

    instrument: Instrument
    answers: list[int | None] = field(default_factory=list)
    position: int = 0
    """Index of the item shown (0-based); ``length`` means the summary after the last item."""
    typed: str = ""
    """Digits typed so far for a scale that needs more than one key."""
    acknowledged: dict[int, tuple[int, str]] = field(default_factory=dict)
    """Item -> (the answer seen, when) for alerts the clinician acknowledged."""
    locked: frozenset[int] | None = None
    """Items recorded earlier (a resumed measure): shown, not changed.  None: the items
    answered in ``answers`` as given."""

    def __post_init__(self) -> None:
        if not self.answers:
            self.answers = [None] * self.instrument.length
        self.answers = check_answers(self.instrument, self.answers)
        if self.locked is None:
            self.locked = frozenset(i for i, v in enumerate(self.answers) if v is not None)
        missing = unanswered(self.answers)
        self.position = missing[0] - 1 if missing else self.instrument.length

    @property
    def kept(self) -> frozenset[int]:
        """Item indexes recorded earlier (never changed here)."""
        return self.locked or frozenset()

    @property
    def single_key(self) -> bool:
        """True when every allowed value is one digit (a digit answers at once)."""
        values = self.instrument.scale.values()
        return all(0 <= v <= 9 for v in values)

    @property
    def on_summary(self) -> bool:
        """True after the last item."""
        return self.position >= self.instrument.length

    @property
    def finished(self) -> bool:
        """Every item answered."""
        return not unanswered(self.answers)

    def answered_count(self) -> int:
        """How many items have an answer."""
        return sum(1 for v in self.answers if v is not None)

    def result(self) -> Scored | None:
        """The score once finished (never before)."""
        return score(self.instrument, self.answers) if self.finished else None

    def alerts(self) -> list[RaisedAlert]:
        """Alerts raised by the answers given so far."""
        return alerts_for(self.instrument, self.answers)

    def unseen_alerts(self) -> list[RaisedAlert]:
        """Alerts not acknowledged for the answer now given."""
        return [a for a in self.alerts() if self.acknowledged.get(a.item, (None,))[0] != a.value]

    def acknowledge(self, alert: RaisedAlert, now: Callable[[], str]) -> str:
        """Record that the clinician saw ``alert``; returns the time."""
        stamp = now()
        self.acknowledged[alert.item] = (alert.value, stamp)
        return stamp

    def key(self, character: str) -> RaisedAlert | str | None:
        """A typed character on an item: answer, keep collecting, or say what is wrong.

        Returns the alert the answer raised (to show at once), a one-line problem, or None.
        """
        if self.on_summary:
            return "all items are shown; go back to change one"
        if self.position in self.kept:
            return "this answer was recorded earlier and is kept; go on with the next item"
        if character == "-" and not self.typed and self.instrument.scale.low < 0:
            self.typed = "-"
            return None
        if not (character.isascii() and character.isdigit()):
            return None
        allowed = self.instrument.scale.values()
        if self.single_key:
            value = int(character)
            if value not in allowed:
                return f"{value} is not on the scale ({self.instrument.scale.describe()})"
            return self._set(value)
        candidate = self.typed + character
        if not any(str(v).startswith(candidate) for v in allowed):
            self.typed = ""
            return f"{candidate} is not on the scale ({self.instrument.scale.describe()})"
        self.typed = candidate
        value = int(candidate)
        longer = any(str(v).startswith(candidate) and str(v) != candidate for v in allowed)
        if value in allowed and not longer:
            return self._set(value)
        return None

    def enter(self) -> RaisedAlert | str | None:
        """Enter: confirm typed digits, or move on over an answered item."""
        if self.typed:
            text, self.typed = self.typed, ""
            allowed = self.instrument.scale.values()
            if text.lstrip("-").isdigit() and int(text) in allowed:
                return self._set(int(text))
            return f"{text} is not on the scale ({self.instrument.scale.describe()})"
        if not self.on_summary and self.answers[self.position] is not None:
            self.position += 1
        return None

    def _set(self, value: int) -> RaisedAlert | None:
        self.typed = ""
        item = self.position
        self.answers[item] = value
        self.position = self._next_after(item)
        return next((a for a in self.unseen_alerts() if a.item == item + 1), None)

    def _next_after(self, item: int) -> int:
        for index in range(item + 1, self.instrument.length):
            if self.answers[index] is None:
                return index
        return self.instrument.length

    def back(self) -> None:
        """Go to the previous item (its answer stays until a new one is typed)."""
        self.typed = ""
        if self.position > 0:
            self.position -= 1

    def forward(self) -> None:
        """Go to the next item without answering (it stays unanswered)."""
        self.typed = ""
        if self.position < self.instrument.length:
            self.position += 1

    def clear(self) -> str | None:
        """Remove the answer of the item shown (not one recorded earlier)."""
        if self.on_summary:
            return None
        if self.position in self.kept:
            return "this answer was recorded earlier and is kept"
        self.typed = ""
        self.answers[self.position] = None
        self.acknowledged.pop(self.position + 1, None)
        return None

    def snapshot(self) -> Sequence[int | None]:
        """The answers as they are now."""
        return tuple(self.answers)
