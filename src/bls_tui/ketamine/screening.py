"""The ketamine screening record: each item reviewed or not, a finding, and a note.

A record, never a gate: nothing here blocks a session.  Each answer is stored as
``{"reviewed": bool, "finding": "present" | "absent" | "unknown", "note": str}``.  Records
written before schema v3 held ``{"confirmed": bool, "note": str}``; :func:`migrate_old` turns
those into the new form (``confirmed`` meant "reviewed"; the finding was never asked, so it is
``unknown``) and keeps every key, known or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bls_tui.ketamine.dose import KetamineError

__all__ = [
    "FINDINGS",
    "SCREENING_ITEMS",
    "ScreeningAnswer",
    "ScreeningItem",
    "blank_screening",
    "migrate_old",
    "parse_answer",
    "risk_present",
    "screening_from_dict",
    "screening_text",
    "screening_to_dict",
    "unreviewed",
]

LABEL_CONTRAINDICATION = "label contraindication"
LABEL_PRECAUTION = "label precaution"
CLINIC_EXCLUSION = "clinic exclusion"
CLINICAL_CHECK = "clinical check"
FINDINGS = ("present", "absent", "unknown")
RISK_ITEM = "suicide_risk"


@dataclass(frozen=True)
class ScreeningItem:
    """One checklist item with the category the domain reference gives it."""

    id: str
    label: str
    categories: tuple[str, ...]
    note: str = ""


SCREENING_ITEMS: tuple[ScreeningItem, ...] = (
    ScreeningItem(
        "aneurysm_avm",
        "Aneurysmal vascular disease or arteriovenous malformation (AVM)",
        (LABEL_CONTRAINDICATION,),
        "[32b]",
    ),
    ScreeningItem(
        "brain_haemorrhage", "History of intracerebral haemorrhage", (LABEL_CONTRAINDICATION,),
        "[32b]",
    ),
    ScreeningItem(
        "hypersensitivity", "Hypersensitivity to ketamine or esketamine",
        (LABEL_CONTRAINDICATION,), "[32b]",
    ),
    ScreeningItem(
        "psychosis_mania", "Psychosis or mania", (LABEL_PRECAUTION, CLINIC_EXCLUSION),
        "Some sources call it a contraindication ⚠[34b]; clinic exclusion [37].",
    ),
    ScreeningItem(
        "substance_use", "Active substance use disorder", (LABEL_PRECAUTION, CLINIC_EXCLUSION),
        "Some sources call it a contraindication ⚠[34b]; clinic exclusion [37].",
    ),
    ScreeningItem(
        "hypertension_heart", "Uncontrolled hypertension or heart disease", (CLINIC_EXCLUSION,),
        "[37]; BP above 140/90 before dosing: weigh the risk [34].",
    ),
    ScreeningItem("pregnancy", "Pregnancy", (CLINIC_EXCLUSION,), "[37]"),
    ScreeningItem(
        "dissociative_disorder", "Primary dissociative disorder", (CLINIC_EXCLUSION,), "[37]"
    ),
    ScreeningItem(
        RISK_ITEM, "Current suicidal thoughts or a recent suicide attempt", (CLINICAL_CHECK,),
        "Shown to the clinician; the app notifies no one.",
    ),
    ScreeningItem(
        "co_medication", "Relevant co-medication (note which)", (CLINICAL_CHECK,), ""
    ),
    ScreeningItem(
        "escort_transport", "Escort and transport home arranged; no driving until the next day",
        (CLINICAL_CHECK,), "[31]",
    ),
    ScreeningItem(
        "dissociation_stabilised", "Dissociation: present, and whether it is stabilised",
        (CLINICAL_CHECK,), "[45][46]",
    ),
    ScreeningItem(
        "medical_clearance", "Medical clearance: prescriber and date (in the note)",
        (CLINICAL_CHECK,), "",
    ),
)  # fmt: skip
_IDS = {i.id for i in SCREENING_ITEMS}


@dataclass(frozen=True)
class ScreeningAnswer:
    """One item: reviewed or not, the finding, and a note."""

    reviewed: bool = False
    finding: str = "unknown"
    note: str = ""


def blank_screening() -> dict[str, ScreeningAnswer]:
    """Every item unreviewed."""
    return {item.id: ScreeningAnswer() for item in SCREENING_ITEMS}


def unreviewed(record: Mapping[str, ScreeningAnswer]) -> list[str]:
    """Ids of items not yet reviewed, in checklist order."""
    return [i.id for i in SCREENING_ITEMS if not record.get(i.id, ScreeningAnswer()).reviewed]


def screening_to_dict(record: Mapping[str, ScreeningAnswer]) -> dict[str, dict[str, Any]]:
    """Plain JSON-able form for storage."""
    return {
        k: {"reviewed": v.reviewed, "finding": v.finding, "note": v.note} for k, v in record.items()
    }


def migrate_old(data: Mapping[str, Any]) -> dict[str, Any]:
    """A pre-v3 record (``{"confirmed", "note"}`` per item) in the new form; keys all kept.

    Values already in the new form, and values of an unexpected shape, are kept as they are.
    """
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and "confirmed" in value and "reviewed" not in value:
            rest = {k: v for k, v in value.items() if k not in ("confirmed", "note")}
            out[key] = {
                "reviewed": bool(value.get("confirmed")),
                "finding": "unknown",
                "note": str(value.get("note") or ""),
                **rest,
            }
        else:
            out[key] = value
    return out


def screening_from_dict(data: object) -> dict[str, ScreeningAnswer]:
    """Read a stored record (old or new form); bad shapes raise :class:`KetamineError`."""
    if not isinstance(data, dict):
        raise KetamineError("screening record must be a mapping of item id to answer")
    record = blank_screening()
    for key, value in migrate_old(data).items():
        if key not in _IDS:
            raise KetamineError(f"unknown screening item {key!r}")
        if not isinstance(value, dict):
            raise KetamineError(f"screening item {key!r} must hold reviewed, finding and note")
        reviewed, finding = value.get("reviewed", False), value.get("finding", "unknown")
        note = value.get("note", "")
        if not isinstance(reviewed, bool) or not isinstance(note, str) or finding not in FINDINGS:
            raise KetamineError(
                f"screening item {key!r}: reviewed true/false, finding one of "
                f"{', '.join(FINDINGS)}, note text"
            )
        record[key] = ScreeningAnswer(reviewed, finding, note)
    return record


def parse_answer(text: str) -> ScreeningAnswer:
    """A typed answer: ``p`` / ``a`` / ``u`` (or the word) then an optional note.

    Empty means "not reviewed".  Examples: ``a``, ``absent negative test today``,
    ``p sertraline 100 mg``, ``u client unsure``.
    """
    text = text.strip()
    if not text:
        return ScreeningAnswer()
    if len(text) > 500:
        raise ValueError("too long (500 characters at most)")
    head, _, note = text.partition(" ")
    word = {"p": "present", "a": "absent", "u": "unknown"}.get(head.lower(), head.lower())
    if word not in FINDINGS:
        raise ValueError("start with p (present), a (absent) or u (unknown), then a note")
    return ScreeningAnswer(True, word, note.strip())


def risk_present(record: Mapping[str, ScreeningAnswer]) -> bool:
    """True when current suicidal thoughts or a recent attempt was recorded as present."""
    answer = record.get(RISK_ITEM)
    return answer is not None and answer.finding == "present"


def screening_text(key: str, value: object) -> str:
    """One item for notes and exports: ``pregnancy: reviewed, absent (note)``."""
    name = key.replace("_", " ")
    if isinstance(value, dict):
        value = migrate_old({key: value})[key]
    if isinstance(value, dict) and "reviewed" in value:
        if not value.get("reviewed"):
            return f"{name}: not reviewed"
        note = value.get("note")
        text = f"reviewed, {value.get('finding', 'unknown')}"
        return f"{name}: {text} ({note})" if note else f"{name}: {text}"
    return f"{name}: {value}"
