"""Scoring of the built-in instruments against worked examples of their published rules."""

from __future__ import annotations

import pytest

from bls_tui.measures.builtin import BUILTINS, DES2, GAD7, ITEM9_ALERT, PCL5, PHQ9
from bls_tui.measures.model import (
    SCREENING_NOTE,
    MeasureError,
    UnfinishedError,
    alerts_for,
    is_finished,
    score,
)


def test_pcl5_total_and_dsm5_cluster_sums() -> None:
    """National Center for PTSD, "PTSD Checklist for DSM-5 (PCL-5)" scoring (ptsd.va.gov): the
    total is the sum of the 20 items (0-80); cluster severity is the sum of the items of each
    DSM-5 cluster: B = items 1-5, C = 6-7, D = 8-14, E = 15-20."""
    answers = [*(2, 3, 1, 4, 0), *(3, 2), *(1, 1, 2, 2, 3, 0, 1), *(4, 0, 2, 3, 1, 2)]
    result = score(PCL5, answers)
    assert result.total == 10 + 5 + 10 + 12 == 37
    assert result.subscores == {"B": 10, "C": 5, "D": 10, "E": 12}
    assert result.band is None  # the authors publish no severity bands
    assert result.flags == ()  # the 31-33 cut-off is shown with its source, never applied
    assert PCL5.cutoff is not None and "31-33" in PCL5.cutoff.text
    assert "ptsd.va.gov" in PCL5.cutoff.source
    assert score(PCL5, [4] * 20).total == 80 and score(PCL5, [0] * 20).total == 0


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([0, 0, 1, 1, 0, 1, 0, 1, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
        ([1, 2, 1, 1, 0, 2, 1, 1, 0], 9, "mild"),
        ([2, 2, 1, 1, 1, 1, 1, 1, 0], 10, "moderate"),
        ([2, 2, 2, 2, 2, 2, 1, 1, 0], 14, "moderate"),
        ([2, 2, 2, 2, 2, 2, 2, 1, 0], 15, "moderately severe"),
        ([3, 3, 2, 2, 2, 2, 2, 2, 1], 19, "moderately severe"),
        ([3, 3, 3, 2, 2, 2, 2, 2, 1], 20, "severe"),
        ([3] * 9, 27, "severe"),
    ],
)
def test_phq9_sum_and_kroenke_2001_bands(answers: list[int], total: int, band: str) -> None:
    """Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16:606-613: items scored 0-3 and
    summed (0-27); "PHQ-9 scores of 5, 10, 15, and 20 represented mild, moderate, moderately
    severe, and severe depression" (0-4 minimal)."""
    result = score(PHQ9, answers)
    assert result.total == total and result.band == band


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([0] * 7, 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0], 5, "mild"),
        ([2, 2, 1, 1, 1, 1, 1], 9, "mild"),
        ([2, 2, 2, 1, 1, 1, 1], 10, "moderate"),
        ([2, 2, 2, 2, 2, 2, 2], 14, "moderate"),
        ([3, 2, 2, 2, 2, 2, 2], 15, "severe"),
        ([3] * 7, 21, "severe"),
    ],
)
def test_gad7_sum_and_spitzer_2006_bands(answers: list[int], total: int, band: str) -> None:
    """Spitzer, Kroenke, Williams & Löwe (2006), Arch Intern Med 166:1092-1097: items scored
    0-3 and summed (0-21); "scores of 5, 10, and 15 are taken as the cut-off points for mild,
    moderate, and severe anxiety"."""
    result = score(GAD7, answers)
    assert result.total == total and result.band == band


def test_des2_mean_of_28_items_and_the_30_flag() -> None:
    """Carlson & Putnam (1993), "An update on the Dissociative Experiences Scale",
    Dissociation 6(1): the DES-II total is the average of the 28 item scores (each 0-100 in
    steps of 10); the manual's cut-off of 30 marks scores for clinical follow-up."""
    answers = [30] * 14 + [20] * 14  # (14*30 + 14*20) / 28 = 25
    low = score(DES2, answers)
    assert low.total == 25.0 and low.flags == () and low.band is None
    high = score(DES2, [40] * 10 + [30] * 10 + [20] * 8)  # (400 + 300 + 160) / 28 = 30.71...
    assert high.total == pytest.approx(860 / 28)
    assert DES2.show_total(high.total) == "30.7"
    assert high.flags and "follow-up" in high.flags[0]
    assert score(DES2, [30] * 28).flags  # exactly 30 is flagged (30 or more)
    with pytest.raises(MeasureError, match="item 1"):
        score(DES2, [35] + [0] * 27)  # not a step of 10


def test_des2_ships_no_item_text() -> None:
    assert DES2.item_text is False
    assert all(text == f"Item {n}" for n, text in enumerate(DES2.items, start=1))


@pytest.mark.parametrize("instrument", list(BUILTINS.values()), ids=list(BUILTINS))
def test_unfinished_is_never_scored(instrument: object) -> None:
    from bls_tui.measures.model import Instrument

    assert isinstance(instrument, Instrument)
    answers: list[int | None] = [instrument.scale.low] * instrument.length
    answers[-1] = None
    assert not is_finished(instrument, answers)
    with pytest.raises(UnfinishedError, match=f"item {instrument.length} not answered"):
        score(instrument, answers)
    with pytest.raises(UnfinishedError):
        score(instrument, [None] * instrument.length)


def test_wrong_length_and_off_scale_values_are_refused() -> None:
    with pytest.raises(MeasureError, match="9 items; 8 answers"):
        score(PHQ9, [0] * 8)
    with pytest.raises(MeasureError, match="item 3: 4 is not on the scale"):
        score(PHQ9, [0, 0, 4, 0, 0, 0, 0, 0, 0])
    with pytest.raises(MeasureError, match="item 1"):
        score(GAD7, [True, 0, 0, 0, 0, 0, 0])  # type: ignore[list-item]


def test_phq9_item9_raises_an_alert_for_any_answer_above_0_even_unfinished() -> None:
    for value in (1, 2, 3):
        raised = alerts_for(PHQ9, [None] * 8 + [value])
        assert [(a.kind, a.item, a.value) for a in raised] == [(ITEM9_ALERT, 9, value)]
    assert alerts_for(PHQ9, [3] * 8 + [0]) == []
    assert alerts_for(PHQ9, [None] * 9) == []
    assert alerts_for(GAD7, [3] * 7) == [] and alerts_for(PCL5, [4] * 20) == []


def test_item9_text_never_implies_anyone_is_told_or_reassures() -> None:
    text = PHQ9.alerts[0].message.lower()
    for word in ("sent", "reported", "notif", "alerted", "team", "no risk", "safe"):
        assert word not in text
    assert SCREENING_NOTE == "screening, not diagnosis"


def test_instrument_terms_and_attribution() -> None:
    attribution = (
        "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
        "with an educational grant from Pfizer Inc. No permission required to reproduce, "
        "translate, display or distribute."
    )
    assert PHQ9.attribution == attribution and GAD7.attribution == attribution
    assert "public domain" in PCL5.terms
    assert len(PCL5.items) == 20 and len(PHQ9.items) == 9 and len(GAD7.items) == 7
    assert len(DES2.items) == 28
    assert PHQ9.total_range() == (0, 27) and GAD7.total_range() == (0, 21)
    assert PCL5.total_range() == (0, 80) and DES2.total_range() == (0, 100)
