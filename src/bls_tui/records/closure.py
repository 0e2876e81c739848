"""Closure (phase 7): the complete / incomplete prefill and the containment steps, as pure data.

The app never decides whether processing was complete: it *prefills* the closure form from the
session's own data and says why, and the therapist chooses.  The rule is the one the domain
reference gives for an incomplete session (``docs/domain.md`` §1, phase 7, source [9] and
[1c]): last SUD above 0, last VOC below 7, or a body scan that is not clear.  An incomplete
session goes through containment — calm place with slow, short sets, container, grounding and a
short debrief — and the session ends only when the therapist confirms that it is done.

Texts are our own paraphrases (no book text).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bls_tui.records.types import Event, Note, Rating

__all__ = [
    "CONTAINMENT_STEPS",
    "NO_SETS_REASON",
    "ClosurePrefill",
    "LastValues",
    "closure_prefill",
    "closure_words",
    "last_values",
]

CONTAINMENT_STEPS: tuple[tuple[str, str], ...] = (
    (
        "calm_place",
        "Calm place: bring up the calm place, with a few slow, short sets (the resource "
        "preset is loaded; space starts a set).",
    ),
    (
        "container",
        "Container: whatever is still there goes into the container, to wait until next time.",
    ),
    (
        "grounding",
        "Grounding: breath, feet on the floor, name a few things in the room, here and now.",
    ),
    (
        "debrief",
        "Debrief: processing may go on after the session; keep a short log of what comes up, "
        "and use the calm place if needed.",
    ),
)
"""The containment procedure after an incomplete session, in order (id, what to do)."""

NOT_CLEAR = ("discomfort", "not_done")
"""Body-scan outcomes that count as "not clear" for the prefill."""


@dataclass(frozen=True)
class LastValues:
    """The latest SUD, VOC and body-scan outcome of a session (None when not recorded)."""

    sud: int | None = None
    voc: int | None = None
    body_scan: str | None = None


def last_values(
    ratings: Iterable[Rating], events: Iterable[Event] = (), notes: Iterable[Note] = ()
) -> LastValues:
    """The latest SUD and VOC ratings and body-scan outcome, in recording order.

    Closure ratings are left out: they are what the form is about to record.  The body-scan
    outcome comes from ``body_scan`` events, or (for older records) from body-scan notes.
    """
    sud = voc = None
    for rating in ratings:
        if rating.context == "closure":
            continue
        if rating.kind == "sud":
            sud = rating.value
        elif rating.kind == "voc":
            voc = rating.value
    scan: str | None = None
    for note in notes:
        if note.kind == "body_scan" and note.text.startswith("body scan: "):
            word = note.text.removeprefix("body scan: ").split(";")[0].strip()
            scan = word if word != "not chosen" else scan
    for event in events:
        if event.kind == "body_scan" and isinstance(event.detail.get("outcome"), str):
            scan = event.detail["outcome"]
    return LastValues(sud, voc, scan)


@dataclass(frozen=True)
class ClosurePrefill:
    """The closure form's prefilled choice and the reason shown beside it.

    ``choice`` is ``"yes"`` (complete), ``"no"`` (incomplete) or None (nothing to go on:
    no choice is made for the therapist).
    """

    choice: str | None
    reason: str


NO_SETS_REASON = (
    "No BLS sets this session, so nothing was processed and nothing is prefilled: the ratings "
    "say where the target stands, not how the session ends. Choose closed if the client leaves "
    "settled, or containment."
)


def closure_prefill(values: LastValues, *, sets: int | None = None) -> ClosurePrefill:
    """Prefill complete / incomplete from the data, with the reason, or leave it open.

    ``sets`` = 0 (a session with no BLS set, such as an integration session that only talked):
    a SUD above 0 at reevaluation is where the target stands, not an unfinished set, so nothing
    is prefilled and the therapist chooses how the session closes.
    """
    if sets == 0:
        return ClosurePrefill(None, NO_SETS_REASON)
    why: list[str] = []
    if values.sud is not None and values.sud > 0:
        why.append(f"last SUD {values.sud} (above 0)")
    if values.voc is not None and values.voc < 7:
        why.append(f"last VOC {values.voc} (below 7)")
    if values.body_scan in NOT_CLEAR:
        why.append(f"body scan: {values.body_scan.replace('_', ' ')}")
    if why:
        return ClosurePrefill(
            "no", "Prefilled INCOMPLETE because of: " + "; ".join(why) + ". Change it if needed."
        )
    missing: Sequence[str] = [
        name
        for name, value in (
            ("SUD", values.sud),
            ("VOC", values.voc),
            ("body scan", values.body_scan),
        )
        if value is None
    ]
    if not missing:
        return ClosurePrefill(
            "yes",
            f"Prefilled COMPLETE: last SUD {values.sud}, last VOC {values.voc}, body scan "
            f"{str(values.body_scan).replace('_', ' ')}. Change it if needed.",
        )
    return ClosurePrefill(
        None,
        "Not prefilled: no " + ", ".join(missing) + " recorded this session. "
        "Choose complete or incomplete.",
    )


def closure_words(complete: bool | None, sets: int, none: str = "-") -> str:
    """A session's closure in a word: complete / incomplete after processing; with no BLS set,
    closed (settled) / contained; ``none`` when no closure was recorded."""
    if complete is None:
        return none
    if sets == 0:
        return "closed" if complete else "contained"
    return "complete" if complete else "incomplete"
