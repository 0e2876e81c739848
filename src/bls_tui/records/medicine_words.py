"""A session's kind, its medicine record and its link to an earlier dose, in words.

One wording for the session summary, the Markdown export and `bls sessions show` (pure: no
Textual, no I/O).  Amounts and units are said exactly as entered; nothing here suggests a dose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import tzinfo
from typing import TYPE_CHECKING

from bls_tui.ketamine.dose import ROUTES, amount_text
from bls_tui.ketamine.route_settings import observation_text
from bls_tui.ketamine.screening import SCREENING_ITEMS, migrate_old, screening_text
from bls_tui.ketamine.vitals import checkin_values_words
from bls_tui.ketamine.window import since_dose_words
from bls_tui.protocol.model import parse_iso
from bls_tui.records.base import StoreError
from bls_tui.records.types import Checkin, Medicine, SessionData, SessionInfo
from bls_tui.records.words import date_in_words

if TYPE_CHECKING:
    from bls_tui.records.store import Store

__all__ = [
    "KIND_WORDS",
    "checkin_words",
    "dose_link_words",
    "dose_words",
    "kind_words",
    "medicine_facts",
    "route_words",
    "screening_item_words",
    "screening_words",
]

KIND_WORDS = {
    "standard": "standard EMDR",
    "ketamine": "ketamine-assisted EMDR",
    "integration": "integration",
}
"""Session kinds as the records say them (``integration``: the sessions after a dose)."""

Clock = Callable[[str], str]
"""Turns an ISO stamp into the time as the reader sees it (``09:14``)."""


def kind_words(kind: str) -> str:
    """``ketamine-assisted EMDR`` for ``ketamine`` (see :data:`KIND_WORDS`)."""
    return KIND_WORDS.get(kind, kind.replace("_", " "))


def route_words(route: str) -> str:
    """``Intramuscular (IM)`` for ``im``; an unknown route as stored."""
    return ROUTES[route].name if route in ROUTES else route


def dose_words(m: Medicine) -> str:
    """``50 mg``: the amount and unit exactly as entered (no rounding, no suggestion)."""
    return f"{amount_text(m.dose_amount)} {m.dose_unit}"


def screening_item_words(key: str, value: object) -> str:
    """``Pregnancy: reviewed, absent (note)`` (see :mod:`bls_tui.ketamine.screening`): the
    item's label in words, not its id."""
    text = screening_text(key, value)
    labels = {item.id: item.label for item in SCREENING_ITEMS}
    name = key.replace("_", " ")
    if key in labels and text.startswith(name):
        text = labels[key] + text[len(name) :]
    return text


def screening_words(screening: Mapping[str, object], *, short: bool = False) -> str:
    """Every item of the screening record in the export's words (``–`` when none is stored).

    ``short`` (the summary): how many were reviewed, each finding other than absent in the
    same words, and how many were absent: ``14 of 14 items reviewed: Pregnancy: reviewed,
    present (note); the other 13 absent``.
    """
    items = [screening_item_words(k, v) for k, v in screening.items()]
    if not items:
        return "–"
    if not short:
        return "; ".join(items)
    reviewed, absent, named = 0, 0, []
    for key, value in migrate_old(screening).items():
        if isinstance(value, dict) and "reviewed" in value:
            if not value.get("reviewed"):
                continue
            if value.get("finding") == "absent":
                absent += 1
                reviewed += 1
                continue
        reviewed += 1
        named.append(screening_item_words(key, value))
    if not reviewed:
        return f"no item reviewed (of {len(items)})"
    if absent:
        named.append(f"the other {absent} absent" if named else f"all {absent} absent")
    of = f"{len(items)} item" + ("s" if len(items) != 1 else "")
    return f"{reviewed} of {of} reviewed: " + "; ".join(named)


def medicine_facts(
    m: Medicine,
    clock: Clock,
    *,
    dose_clock: Clock | None = None,
    short_screening: bool = False,
) -> list[tuple[str, str]]:
    """The dosing record as (label, value) pairs, in the Markdown export's words.

    ``clock`` says the confirmation time, ``dose_clock`` (default ``clock``) the dose time;
    ``short_screening`` counts the items absent and names the other findings.
    """
    dosed = "not recorded" if m.dosed_at is None else (dose_clock or clock)(m.dosed_at)
    facts = [
        ("Route", route_words(m.route)),
        ("Dose (as entered)", dose_words(m)),
        ("Dosed at (T0)", dosed),
    ]
    if m.infusion_min is not None:
        facts.append(("Infusion length (as entered)", f"{m.infusion_min} min"))
    if m.last_spray_min is not None:
        facts.append(("Last spray (as entered)", f"{m.last_spray_min} min after the first device"))
    confirmed = "not confirmed"
    if m.observation_confirmed_at:
        confirmed = f"confirmed at {clock(m.observation_confirmed_at)}"
    return [
        *facts,
        ("Provider", m.provider or "–"),
        ("Screening", screening_words(m.screening, short=short_screening)),
        ("Observation", f"{observation_text(m)}; ready to leave: {confirmed}"),
    ]


def checkin_words(c: Checkin, m: Medicine, clock: Clock) -> str:
    """``09:13 (T+13 min): BP 128/82 · HR 76 · SpO2 98 % · presence 8 (numeric) · alert,
    answers normally · flags: ... · note: ...``: what was entered, with its highlights."""
    since = m.minutes_since_dose(c.at)
    when = clock(c.at) + ("" if since is None else f" (T{round(since):+d} min)")
    parts = checkin_values_words(
        systolic=c.systolic,
        diastolic=c.diastolic,
        hr=c.heart_rate,
        spo2=c.spo2,
        presence=c.presence,
        presence_scale=c.presence_scale,
        sedation=c.sedation,
    )
    if c.flags:
        parts.append("flags: " + ", ".join(c.flags))
    if c.note:
        parts.append(f"note: {c.note}")
    return f"{when}: " + (" · ".join(parts) or "no values")


def dose_link_words(link: int, dose: SessionData | None, at: str, tz: tzinfo | None = None) -> str:
    """``After the dose of session #5 (Thu 5 Nov, 09:00): day 2 (T+27 h)`` for a session that
    started at ``at`` and is linked to medicine session ``link`` (``dose``: that session's
    record, None when it could not be read).  The day count is the session header's
    (:func:`bls_tui.ketamine.window.since_dose_words`)."""
    if dose is None:
        return f"After the dose of session #{link} (that record could not be read)"
    m = dose.medicine
    if m is None:
        return f"After session #{link}, which has no dosing record"
    if m.dosed_at is None:
        return f"After the dose of session #{link} (no dose time recorded)"
    since = since_dose_words(parse_iso(m.dosed_at), parse_iso(at), after_dose=False)
    return f"After the dose of session #{link} ({date_in_words(m.dosed_at, tz)}): {since}"


def stored_dose_link_words(store: Store, info: SessionInfo, tz: tzinfo | None = None) -> str:
    """:func:`dose_link_words` for a stored session, reading its dose ('' when unlinked)."""
    link = info.linked_dose_session_id
    if link is None:
        return ""
    try:
        dose: SessionData | None = store.load_session(link)
    except StoreError:
        dose = None
    return dose_link_words(link, dose, info.started_at, tz)
