"""Time since the linked dose: day count, T+ hours, and the clinician's window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bls_tui.ketamine.window import in_window, since_dose_words

DOSE = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "day 1 after dose (T+0 min)"),
        (40, "day 1 after dose (T+40 min)"),
        (60, "day 1 after dose (T+1 h)"),
        (23 * 60 + 59, "day 1 after dose (T+23 h)"),
        (24 * 60, "day 2 after dose (T+24 h)"),
        (27 * 60, "day 2 after dose (T+27 h)"),
        (72 * 60 + 30, "day 4 after dose (T+72 h)"),
        (-90, "before the dose (T-2 h)"),
    ],
)
def test_since_dose_words(minutes: int, words: str) -> None:
    assert since_dose_words(DOSE, DOSE + timedelta(minutes=minutes)) == words


def test_the_window_is_the_clinicians_setting() -> None:
    later = DOSE + timedelta(hours=50)
    assert in_window(DOSE, later, None) is None  # no window set: nothing is "outside"
    assert in_window(DOSE, later, 48) is False
    assert in_window(DOSE, later, 72) is True
    assert in_window(DOSE, DOSE - timedelta(hours=1), 72) is False
