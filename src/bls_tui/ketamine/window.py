"""Time since a linked dose, for the sessions after a medicine session (integration, EMDR).

No source establishes how long the window after a dose lasts (published claims range from
"within 48 h" to 24-72 h to 7-10 days), so its length is the clinician's setting
(``integration_window_h`` in config.toml); with none set no session is called "outside".
The day count starts at the dose: the first 24 hours are day 1, the next 24 day 2.
"""

from __future__ import annotations

from datetime import datetime


def hours_since(dose_at: datetime, at: datetime) -> float:
    """Hours from the dose to ``at`` (negative before the dose)."""
    return (at - dose_at).total_seconds() / 3600.0


def since_dose_words(dose_at: datetime, at: datetime, *, after_dose: bool = True) -> str:
    """``day 2 after dose (T+27 h)``; ``T+40 min`` in the first hour; before it, says so.

    ``after_dose=False`` leaves out the words "after dose" (``day 2 (T+27 h)``) where the
    sentence already names the dose.
    """
    hours = hours_since(dose_at, at)
    if hours < 0:
        return f"before the dose (T{hours:+.0f} h)"
    after = " after dose" if after_dose else ""
    if hours < 1:
        return f"day 1{after} (T+{int(hours * 60)} min)"
    day = int(hours // 24) + 1
    return f"day {day}{after} (T+{int(hours)} h)"


def in_window(dose_at: datetime, at: datetime, window_h: int | None) -> bool | None:
    """Whether ``at`` is within the window after the dose; None when no window is set."""
    if window_h is None:
        return None
    hours = hours_since(dose_at, at)
    return 0 <= hours <= window_h
